/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_DEMO_CONTROL (aa_demo_control_get_type ())

G_DECLARE_FINAL_TYPE (AaDemoControl, aa_demo_control, AA, DEMO_CONTROL, GObject)

/* The demo server's controls (/_control), for the "Network conditions"
 * menu and the Team page, through @manager's client. */
AaDemoControl *aa_demo_control_new               (AaActionManager     *manager);

/* The signed-in member (PUT /_control/session), for showing what each role
 * may do; /members and /me are fetched again after, so the manager's "me"
 * follows. */
void           aa_demo_control_sign_in_as_async  (AaDemoControl       *self,
                                                  AaMember            *member,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       aa_demo_control_sign_in_as_finish (AaDemoControl       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The network conditions (GET/PUT /_control/faults): the object is the
 * contract's JSON. */
void           aa_demo_control_get_faults_async  (AaDemoControl       *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject    *aa_demo_control_get_faults_finish (AaDemoControl       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void           aa_demo_control_set_faults_async  (AaDemoControl       *self,
                                                  JsonObject          *faults,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       aa_demo_control_set_faults_finish (AaDemoControl       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void           aa_demo_control_drop_streams_async  (AaDemoControl       *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       aa_demo_control_drop_streams_finish (AaDemoControl       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
