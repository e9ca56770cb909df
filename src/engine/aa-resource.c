/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-resource"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-resource-private.h"
#include "aa-rest-client.h"
#include "aa-state-private.h"

/**
 * AaResource:
 *
 * One object of the server, as the engine shows it: its last
 * server-confirmed state with the pending optimistic changes laid on top.
 *
 * Subclasses say how to read a server object ([vfunc@Resource.normalize])
 * and how to show a state as typed properties ([vfunc@Resource.render]),
 * in C or in any language with GObject Introspection (`do_normalize` and
 * `do_render` in Python, `vfunc_normalize` and `vfunc_render` in GJS).
 * The base class can be used as it is: it keeps every member of the server
 * object as it came, the "id" with its JSON type (a string or a number, so
 * that what is written back is what was read), and shows the state as
 * [property@Resource:shown]. [property@Resource:id] is always the id as a
 * string.
 *
 * States are kept as [struct@State]s, compact and immutable; with nothing
 * pending, the shown state is the confirmed one itself.
 */

typedef struct
{
  char        *id;
  gboolean     local;
  gboolean     busy;
  AaSyncState  sync_state;
  /* What the server last confirmed, canonical; for a local resource, the
   * state it was created with. */
  AaState     *confirmed;
  /* What is shown now: confirmed + pending optimistic changes; the same
   * state as confirmed when nothing is pending. */
  AaState     *shown;
  /* The AaResourceStore that holds it, unowned: a field, not qdata, which
   * would cost an allocation a resource. */
  gpointer     store;
  /* The engine's clock when a change of it last settled or came from
   * elsewhere (aa_resource_mark_settled()). */
  guint        settled_at;
  /* The server said someone else removed it. */
  gboolean     removed_elsewhere;
} AaResourcePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AaResource, aa_resource, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOCAL,
  PROP_BUSY,
  PROP_SYNC_STATE,
  PROP_SHOWN,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
aa_resource_finalize (GObject *object)
{
  AaResource *self = AA_RESOURCE (object);
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->confirmed, aa_state_unref);
  g_clear_pointer (&priv->shown, aa_state_unref);

  G_OBJECT_CLASS (aa_resource_parent_class)->finalize (object);
}

static void
aa_resource_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AaResource *self = AA_RESOURCE (object);
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, priv->id);
    break;
  case PROP_LOCAL:
    g_value_set_boolean (value, priv->local);
    break;
  case PROP_BUSY:
    g_value_set_boolean (value, priv->busy);
    break;
  case PROP_SYNC_STATE:
    g_value_set_enum (value, priv->sync_state);
    break;
  case PROP_SHOWN:
    g_value_set_boxed (value, priv->shown);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

/**
 * AaResourceClass::normalize:
 * @self: a resource of the class (any: it is not changed, and may be one made
 *   only to read a list)
 * @server_object: an object as the server sent it
 * @error: return location for an error
 *
 * Reads a server object into the canonical state the engine keeps: defaults
 * filled in, unknown members dropped if the class wants, the "id" a string
 * or a whole number. The default keeps every member as it came.
 *
 * Returns: (transfer full) (nullable): the canonical state, or %NULL with
 *   %AA_ERROR_BAD_RESPONSE
 */
static JsonObject *
aa_resource_real_normalize (AaResource  *self,
                            JsonObject  *server_object,
                            GError     **error)
{
  g_autofree char *id = aa_json_dup_id (server_object, "id", error);

  if (id == NULL)
    return NULL;

  /* The id keeps its JSON type: 4 stays 4, so that an undo that writes the
   * object back sends what the server sent. */
  return aa_json_object_copy (server_object);
}

/**
 * AaResourceClass::render:
 * @self: a resource
 * @previous: (nullable): the state shown until now, or %NULL for a new
 *   resource, which nobody listens to yet
 * @state: the state shown now, already [property@Resource:shown]
 *
 * Notifies the typed properties whose value changed from @previous to
 * @state ([method@State.member_equal] says which). A subclass reads its
 * properties from the shown state rather than keeping copies.
 */
static void
aa_resource_real_render (AaResource *self,
                         AaState    *previous,
                         AaState    *state)
{
}

static void
aa_resource_class_init (AaResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_resource_finalize;
  object_class->get_property = aa_resource_get_property;

  klass->normalize = aa_resource_real_normalize;
  klass->render = aa_resource_real_render;

  /**
   * AaResource:id:
   *
   * The server's id, or a temporary local one.
   */
  props[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AaResource:local:
   *
   * Whether its id is a temporary local one.
   */
  props[PROP_LOCAL] =
    g_param_spec_boolean ("local", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AaResource:busy:
   *
   * Whether a pessimistic mutation of it waits for the server.
   */
  props[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AaResource:sync-state:
   *
   * Whether what it shows is confirmed, pending or unsaved.
   */
  props[PROP_SYNC_STATE] =
    g_param_spec_enum ("sync-state", NULL, NULL,
                       AA_TYPE_SYNC_STATE, AA_SYNC_STATE_SYNCED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaResource:shown:
   *
   * The state shown now, canonical: the last confirmed state with the
   * pending optimistic changes laid on top. It is replaced, never changed
   * in place, so a notification means a new state.
   */
  props[PROP_SHOWN] =
    g_param_spec_boxed ("shown", NULL, NULL, AA_TYPE_STATE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_resource_init (AaResource *self)
{
}

/**
 * aa_resource_get_id:
 * @self: a resource
 *
 * Gets the resource's id, as a string ([property@Resource:id]).
 *
 * Returns: (nullable): its id: the server's, or a temporary local one
 */
const char *
aa_resource_get_id (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), NULL);

  priv = aa_resource_get_instance_private (self);
  return priv->id;
}

/**
 * aa_resource_is_local:
 * @self: a resource
 *
 * Says whether the server has not created the resource yet.
 *
 * Returns: %TRUE while its id is a temporary local one (an unconfirmed create)
 */
gboolean
aa_resource_is_local (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), FALSE);

  priv = aa_resource_get_instance_private (self);
  return priv->local;
}

/**
 * aa_resource_get_busy:
 * @self: a resource
 *
 * Says whether the resource waits for the server ([property@Resource:busy]).
 *
 * Returns: %TRUE while a pessimistic mutation of it waits for the server
 */
gboolean
aa_resource_get_busy (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), FALSE);

  priv = aa_resource_get_instance_private (self);
  return priv->busy;
}

/**
 * aa_resource_get_sync_state:
 * @self: a resource
 *
 * Gets whether what the resource shows is what the server confirmed
 * ([property@Resource:sync-state]).
 *
 * Returns: whether what it shows is confirmed, pending or unsaved
 */
AaSyncState
aa_resource_get_sync_state (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), AA_SYNC_STATE_SYNCED);

  priv = aa_resource_get_instance_private (self);
  return priv->sync_state;
}

/**
 * aa_json_object_copy:
 * @object: an object
 *
 * A copy member by member, in order (json-glib 1.6 has none).
 *
 * Returns: (transfer full): a copy of @object
 */
JsonObject *
aa_json_object_copy (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));

  return copy;
}

/**
 * aa_resource_normalize: (virtual normalize)
 * @self: a resource of the class that reads @server_object
 * @server_object: an object as the server sent it
 * @error: return location for an error
 *
 * Reads @server_object as the class of @self does
 * ([vfunc@Resource.normalize]). @self itself is not changed.
 *
 * Returns: (transfer full) (nullable): its canonical state, or %NULL with
 *   %AA_ERROR_BAD_RESPONSE
 */
JsonObject *
aa_resource_normalize (AaResource  *self,
                       JsonObject  *server_object,
                       GError     **error)
{
  JsonObject *state;

  g_return_val_if_fail (AA_IS_RESOURCE (self), NULL);
  g_return_val_if_fail (server_object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  state = AA_RESOURCE_GET_CLASS (self)->normalize (self, server_object, error);
  g_return_val_if_fail (state != NULL || error == NULL || *error != NULL, NULL);
  return state;
}

JsonObject *
_aa_resource_normalize_for_type (GType        type,
                                 JsonObject  *server_object,
                                 GError     **error)
{
  g_autoptr(AaResource) reader = NULL;

  g_return_val_if_fail (g_type_is_a (type, AA_TYPE_RESOURCE), NULL);

  reader = g_object_new (type, NULL);
  return aa_resource_normalize (reader, server_object, error);
}

/**
 * aa_resource_new_from_server:
 * @type: %AA_TYPE_RESOURCE or a subclass
 * @server_object: an object as the server sent it
 * @error: return location for an error
 *
 * Creates a resource outside any store, confirmed and shown as the server
 * sent it.
 *
 * Returns: (transfer full) (nullable): a new resource, or %NULL with
 *   %AA_ERROR_BAD_RESPONSE
 */
AaResource *
aa_resource_new_from_server (GType         type,
                             JsonObject   *server_object,
                             GError      **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(AaState) state = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (g_type_is_a (type, AA_TYPE_RESOURCE), NULL);
  g_return_val_if_fail (server_object != NULL, NULL);

  object = _aa_resource_normalize_for_type (type, server_object, error);
  if (object == NULL)
    return NULL;

  state = aa_state_new (object);
  id = _aa_state_dup_id (state);
  return aa_resource_new_confirmed (type, id, state);
}

/* Private API for the engine. */

AaResource *
aa_resource_new_confirmed (GType       type,
                           const char *id,
                           AaState    *state)
{
  AaResource *self;
  AaResourcePrivate *priv;

  g_assert (g_type_is_a (type, AA_TYPE_RESOURCE));

  /* Set directly, as no one can listen to a new object yet. */
  self = g_object_new (type, NULL);
  priv = aa_resource_get_instance_private (self);
  priv->id = g_strdup (id);
  aa_resource_set_confirmed (self, state);
  aa_resource_render (self, state);

  return self;
}

AaResource *
aa_resource_new_local (GType    type,
                       AaState *state)
{
  g_autofree char *id = _aa_state_dup_id (state);
  AaResource *self = aa_resource_new_confirmed (type, id, state);
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  priv->local = TRUE;
  return self;
}

/**
 * aa_resource_get_confirmed:
 * @self: a resource
 *
 * The last state the server confirmed, canonical; for a local resource, the
 * state it was created with.
 *
 * Returns: (transfer none): the confirmed state
 */
AaState *
aa_resource_get_confirmed (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), NULL);

  priv = aa_resource_get_instance_private (self);
  return priv->confirmed;
}

/**
 * aa_resource_get_shown:
 * @self: a resource
 *
 * Gets the state the resource shows: the confirmed one with the pending
 * optimistic changes laid on top.
 *
 * Returns: (transfer none) (nullable): the state shown now, see [property@Resource:shown]
 */
AaState *
aa_resource_get_shown (AaResource *self)
{
  AaResourcePrivate *priv;

  g_return_val_if_fail (AA_IS_RESOURCE (self), NULL);

  priv = aa_resource_get_instance_private (self);
  return priv->shown;
}

void
aa_resource_set_confirmed (AaResource *self,
                           AaState    *state)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));
  g_assert (state != NULL);

  aa_state_ref (state);
  g_clear_pointer (&priv->confirmed, aa_state_unref);
  priv->confirmed = state;
}

void
aa_resource_render (AaResource *self,
                    AaState    *state)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);
  g_autoptr(AaState) previous = NULL;

  g_assert (AA_IS_RESOURCE (self));
  g_assert (state != NULL);

  if (priv->shown == state)
    return;

  /* An equal state shows nothing new; the confirmed one is kept instead,
   * so that shown and confirmed stay one allocation when nothing is
   * pending. */
  if (priv->shown != NULL && aa_state_equal (priv->shown, state)) {
    if (state == priv->confirmed) {
      g_clear_pointer (&priv->shown, aa_state_unref);
      priv->shown = aa_state_ref (state);
    }
    return;
  }

  previous = g_steal_pointer (&priv->shown);
  priv->shown = aa_state_ref (state);

  /* A new resource: nobody listens yet (a refresh makes 10,000). */
  if (previous == NULL) {
    AA_RESOURCE_GET_CLASS (self)->render (self, NULL, state);
    return;
  }

  /* Batch the notifications so a row redraws once per change. */
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SHOWN]);
  AA_RESOURCE_GET_CLASS (self)->render (self, previous, state);
  g_object_thaw_notify (G_OBJECT (self));
}

void
aa_resource_set_id (AaResource *self,
                    const char *id)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  if (g_strcmp0 (priv->id, id) != 0) {
    g_free (priv->id);
    priv->id = g_strdup (id);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
  }
}

void
aa_resource_set_local (AaResource *self,
                       gboolean    local)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  local = !!local;
  if (priv->local != local) {
    priv->local = local;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL]);
  }
}

void
aa_resource_set_busy (AaResource *self,
                      gboolean    busy)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  busy = !!busy;
  if (priv->busy != busy) {
    priv->busy = busy;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
  }
}

void
aa_resource_set_sync_state (AaResource  *self,
                            AaSyncState  sync_state)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  if (priv->sync_state != sync_state) {
    priv->sync_state = sync_state;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SYNC_STATE]);
  }
}

gpointer
aa_resource_get_store (AaResource *self)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  return priv->store;
}

void
aa_resource_set_store (AaResource *self,
                       gpointer    store)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  priv->store = store;
}

void
aa_resource_mark_settled (AaResource *self,
                          guint       clock)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  priv->settled_at = clock;
}

gboolean
aa_resource_settled_since (AaResource *self,
                           guint       sent_at)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  return priv->settled_at > sent_at;
}

void
aa_resource_set_removed_elsewhere (AaResource *self)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  priv->removed_elsewhere = TRUE;
}

gboolean
aa_resource_get_removed_elsewhere (AaResource *self)
{
  AaResourcePrivate *priv = aa_resource_get_instance_private (self);

  g_assert (AA_IS_RESOURCE (self));

  return priv->removed_elsewhere;
}
