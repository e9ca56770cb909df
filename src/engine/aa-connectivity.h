/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>

#include "aa-version-macros.h"

#include "aa-event-stream.h"
#include "aa-rest-client.h"
#include "aa-types.h"

G_BEGIN_DECLS

#define AA_TYPE_CONNECTIVITY (aa_connectivity_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaConnectivity, aa_connectivity, AA, CONNECTIVITY, GObject)

AA_AVAILABLE_IN_ALL
AaConnectivity *aa_connectivity_new                    (AaRestClient   *client);
AA_AVAILABLE_IN_ALL
gboolean        aa_connectivity_get_reachable          (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
gint64          aa_connectivity_get_unreachable_since  (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
gboolean        aa_connectivity_get_probing            (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
guint           aa_connectivity_get_n_probes           (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
const char     *aa_connectivity_get_probe_path         (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_set_probe_path         (AaConnectivity *self,
                                                        const char     *path);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_set_backoff            (AaConnectivity *self,
                                                        guint           min_ms,
                                                        guint           max_ms);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_follow_event_stream    (AaConnectivity *self,
                                                        AaEventStream  *stream);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_report_unreachable     (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_report_reachable       (AaConnectivity *self);
AA_AVAILABLE_IN_ALL
void            aa_connectivity_check                  (AaConnectivity *self);

G_END_DECLS
