#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AA_TYPE_STATE (aa_state_get_type ())

typedef struct _AaState AaState;

GType        aa_state_get_type      (void) G_GNUC_CONST;

AaState     *aa_state_new           (JsonObject  *object);
AaState     *aa_state_ref           (AaState     *self);
void         aa_state_unref         (AaState     *self);

gboolean     aa_state_has_member    (AaState     *self,
                                     const char  *name);
const char  *aa_state_get_string    (AaState     *self,
                                     const char  *name,
                                     const char  *default_value);
gboolean     aa_state_get_boolean   (AaState     *self,
                                     const char  *name,
                                     gboolean     default_value);
gint64       aa_state_get_int       (AaState     *self,
                                     const char  *name,
                                     gint64       default_value);
double       aa_state_get_double    (AaState     *self,
                                     const char  *name,
                                     double       default_value);
JsonNode    *aa_state_dup_member    (AaState     *self,
                                     const char  *name);
gboolean     aa_state_member_equal  (AaState     *self,
                                     AaState     *other,
                                     const char  *name);
JsonObject  *aa_state_dup_object    (AaState     *self);
gboolean     aa_state_equal         (AaState     *self,
                                     AaState     *other);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaState, aa_state_unref)

G_END_DECLS
