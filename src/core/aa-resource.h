#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * AaSyncState:
 * @AA_SYNC_STATE_SYNCED: what is shown is what the server confirmed.
 * @AA_SYNC_STATE_PENDING: optimistic changes are shown and on their way.
 * @AA_SYNC_STATE_UNSAVED: an optimistic create that the server has not
 *   accepted yet and that failed; it lives only here until a retry succeeds.
 */
typedef enum {
  AA_SYNC_STATE_SYNCED,
  AA_SYNC_STATE_PENDING,
  AA_SYNC_STATE_UNSAVED,
} AaSyncState;

#define AA_TYPE_RESOURCE (aa_resource_get_type ())

G_DECLARE_DERIVABLE_TYPE (AaResource, aa_resource, AA, RESOURCE, GObject)

/*
 * A resource is shown as its last server-confirmed state with the pending
 * optimistic patches of the engine laid on top. Subclasses say how to read a
 * server object and how to show a state; the engine does the rest.
 */
struct _AaResourceClass
{
  GObjectClass parent_class;

  /* Returns a canonical copy of a server object (ids as strings, defaults
   * filled in, unknown members dropped), or NULL with AA_ERROR_BAD_RESPONSE. */
  JsonObject *(*normalize) (JsonObject  *server_object,
                            GError     **error);
  /* Sets the typed properties from a canonical state, notifying only the
   * properties whose value changes. */
  void        (*render)    (AaResource  *self,
                            JsonObject  *state);
};

const char  *aa_resource_get_id         (AaResource *self);
/* TRUE while the id is a temporary local one (an unconfirmed create). */
gboolean     aa_resource_is_local       (AaResource *self);
/* TRUE while a pessimistic mutation of this resource waits for the server. */
gboolean     aa_resource_get_busy       (AaResource *self);
AaSyncState  aa_resource_get_sync_state (AaResource *self);

G_END_DECLS
