#pragma once

#include "aa-resource.h"

G_BEGIN_DECLS

/*
 * The engine's side of AaResource. Only AaActionManager changes resources:
 * it keeps the last state the server confirmed and renders the displayed
 * state (confirmed + pending optimistic patches) through these.
 */

/* A new resource of @type (a subclass of AaResource) from a server object:
 * normalized, confirmed and rendered. NULL with AA_ERROR_BAD_RESPONSE. */
AaResource *aa_resource_new_from_server  (GType         type,
                                          JsonObject   *server_object,
                                          GError      **error);
/* A new local resource that the server has not seen yet: @state (with a
 * temporary "id") is its baseline, as if confirmed, until the server answers. */
AaResource *aa_resource_new_local        (GType         type,
                                          JsonObject   *state);
/* The class's normalize vfunc for @type. */
JsonObject *aa_resource_normalize        (GType         type,
                                          JsonObject   *server_object,
                                          GError      **error);

/* The last server-confirmed state (canonical), owned by @self; never NULL. */
JsonObject *aa_resource_get_confirmed    (AaResource   *self);
/* Takes a reference on @state. */
void        aa_resource_set_confirmed    (AaResource   *self,
                                          JsonObject   *state);
/* Shows @state through the class's render vfunc. */
void        aa_resource_render           (AaResource   *self,
                                          JsonObject   *state);

void        aa_resource_set_id           (AaResource   *self,
                                          const char   *id);
void        aa_resource_set_local        (AaResource   *self,
                                          gboolean      local);
void        aa_resource_set_busy         (AaResource   *self,
                                          gboolean      busy);
void        aa_resource_set_sync_state   (AaResource   *self,
                                          AaSyncState   sync_state);

/* Canonical states are flat objects of scalars, so a copy is member by member. */
JsonObject *aa_state_copy                (JsonObject   *state);

G_END_DECLS
