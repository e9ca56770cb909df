/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include "aa-version-macros.h"
#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AA_TYPE_STATE (aa_state_get_type ())

typedef struct _AaState AaState;

AA_AVAILABLE_IN_ALL
GType        aa_state_get_type      (void) G_GNUC_CONST;

AA_AVAILABLE_IN_ALL
AaState     *aa_state_new           (JsonObject  *object);
AA_AVAILABLE_IN_ALL
AaState     *aa_state_ref           (AaState     *self);
AA_AVAILABLE_IN_ALL
void         aa_state_unref         (AaState     *self);

AA_AVAILABLE_IN_ALL
gboolean     aa_state_has_member    (AaState     *self,
                                     const char  *name);
AA_AVAILABLE_IN_ALL
const char  *aa_state_get_string    (AaState     *self,
                                     const char  *name,
                                     const char  *default_value);
AA_AVAILABLE_IN_ALL
gboolean     aa_state_get_boolean   (AaState     *self,
                                     const char  *name,
                                     gboolean     default_value);
AA_AVAILABLE_IN_ALL
gint64       aa_state_get_int       (AaState     *self,
                                     const char  *name,
                                     gint64       default_value);
AA_AVAILABLE_IN_ALL
double       aa_state_get_double    (AaState     *self,
                                     const char  *name,
                                     double       default_value);
AA_AVAILABLE_IN_ALL
JsonNode    *aa_state_dup_member    (AaState     *self,
                                     const char  *name);
AA_AVAILABLE_IN_ALL
gboolean     aa_state_member_equal  (AaState     *self,
                                     AaState     *other,
                                     const char  *name);
AA_AVAILABLE_IN_ALL
JsonObject  *aa_state_dup_object    (AaState     *self);
AA_AVAILABLE_IN_ALL
gboolean     aa_state_equal         (AaState     *self,
                                     AaState     *other);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaState, aa_state_unref)

G_END_DECLS
