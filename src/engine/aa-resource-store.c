/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-resource-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-engine-private.h"
#include "aa-error.h"
#include "aa-resource-private.h"
#include "aa-resource-store-private.h"

/**
 * AaResourceStore:
 *
 * A list model of the resources of one kind, in the server's order, run by
 * an [class@Engine].
 *
 * A refresh ([method@ResourceStore.apply_states]) replaces confirmed states
 * only: pending optimistic changes stay laid on top, a state older than one
 * of our own settled changes is not believed, and what the server no longer
 * lists leaves unless it has changes on their way; a removal made
 * elsewhere ([method@ResourceStore.apply_remote]) takes effect at once,
 * and drops what was queued for the resource. A create starts with
 * [method@ResourceStore.add_local] under a temporary id, which the engine
 * swaps for the server's when the create succeeds; lookups know both.
 * One resource is read again with [method@ResourceStore.reload_async],
 * merged as a refresh merges it.
 *
 * With a [property@ResourceStore:page-size], a refresh reads its list in
 * pages: the first is merged at once, so that the first resources are
 * there to show and act on, and the others in parts small enough not to
 * hold up a frame, while [property@ResourceStore:complete] stays %FALSE.
 * Only once the last page is in do the resources the list no longer holds
 * leave.
 */

struct _AaResourceStore
{
  GObject     parent_instance;

  AaEngine   *engine;
  GType       resource_type;
  GPtrArray  *resources;
  GHashTable *by_id;        /* id -> AaResource (unowned) */
  /* Id -> the engine's clock when it left: a refresh sent before that must
   * not bring it back. */
  GHashTable *removed_at;
  guint       next_local_id;

  /* Remote changes waiting for the next flush: id -> Remote, and their
   * order. A burst is applied at most once a frame, the latest state of
   * each resource once. */
  GHashTable *remote;
  GQueue      remote_order;
  GSource    *remote_flush;
  gint64      flushed_at;

  guint       page_size;
  guint       first_page_size;
  gboolean    complete;
  /* The paged refresh under way, and those waiting for it to end. */
  struct _Paging *paging;
  GQueue      waiting;
};

/* A refresh read in pages. */
typedef struct _Paging {
  GTask            *task;
  char             *path;
  AaResourceFilter  covers;
  gpointer          covers_data;
  GDestroyNotify    covers_destroy;
  guint             sent_at;
  guint             page_size;   /* as it was when the refresh started */
  guint             limit;       /* of the page on its way */
  guint             n_pages;
  /* Every id the pages listed so far, or a remote change named meanwhile:
   * what the end of the refresh leaves in place. */
  GHashTable       *seen;
  /* The ids listed, in order: the last one still here anchors what the
   * next part adds. */
  GPtrArray        *order;
  /* Pages read and not yet merged (GPtrArray of states), and how much of
   * the first one is merged. */
  GQueue            pages;
  guint             merged;
  gboolean          read_all;
  gboolean          requesting;  /* a page is on its way */
  /* Where the next page starts, while it waits for the pages read ahead
   * to be merged. */
  char             *next_after;
  GSource          *merge;
  /* Remote changes of resources no page listed yet: applied at the end,
   * so that they do not land out of place. id -> Remote */
  GHashTable       *held;
} Paging;

/* A part of a page merged between two frames: at most this many
 * resources, and no more than this long at a time. */
#define PAGE_PART         250
#define PAGE_BUDGET_US    8000
/* Pages read and not merged yet, at most: reading can run ahead of
 * merging (a near server answers faster than frames leave time to merge),
 * and every page waiting holds its objects, so that a big list would
 * otherwise be held whole beside the resources made of it. */
#define PAGES_AHEAD       2

typedef struct {
  char       *id;
  AaState    *state;     /* NULL: removed */
  char       *after;
} Remote;

/* One frame at 60 Hz; a flush stops after half of it and goes on next time. */
#define REMOTE_INTERVAL_US  16000
#define REMOTE_BUDGET_US    8000

static void
remote_free (Remote *remote)
{
  g_free (remote->id);
  g_clear_pointer (&remote->state, aa_state_unref);
  g_free (remote->after);
  g_free (remote);
}

static void list_model_iface_init (GListModelInterface *iface);
static void paging_free (Paging *paging);
static void apply_remote_now (AaResourceStore *self,
                              Remote          *remote);

enum {
  PROP_0,
  PROP_PAGE_SIZE,
  PROP_FIRST_PAGE_SIZE,
  PROP_COMPLETE,
  N_PROPS
};

enum {
  SIGNAL_PAGE_APPLIED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (AaResourceStore, aa_resource_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))


static GType
store_get_object_type (GListModel *model)
{
  return AA_RESOURCE_STORE (model)->resource_type;
}

static guint
store_get_length (GListModel *model)
{
  return AA_RESOURCE_STORE (model)->resources->len;
}

static gpointer
store_get_object (GListModel *model,
                  guint       position)
{
  AaResourceStore *self = AA_RESOURCE_STORE (model);

  if (position >= self->resources->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->resources, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = store_get_object_type;
  iface->get_n_items = store_get_length;
  iface->get_item = store_get_object;
}

static void
aa_resource_store_dispose (GObject *object)
{
  AaResourceStore *self = AA_RESOURCE_STORE (object);

  for (guint i = 0; self->resources && i < self->resources->len; i++)
    aa_resource_set_store (g_ptr_array_index (self->resources, i), NULL);
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->removed_at, g_hash_table_unref);
  if (self->remote_flush != NULL) {
    g_source_destroy (self->remote_flush);
    g_clear_pointer (&self->remote_flush, g_source_unref);
  }
  g_queue_clear (&self->remote_order);
  g_clear_pointer (&self->remote, g_hash_table_unref);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (aa_resource_store_parent_class)->dispose (object);
}

static void
aa_resource_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AaResourceStore *self = AA_RESOURCE_STORE (object);

  switch (prop_id) {
  case PROP_PAGE_SIZE:
    g_value_set_uint (value, self->page_size);
    break;
  case PROP_FIRST_PAGE_SIZE:
    g_value_set_uint (value, self->first_page_size);
    break;
  case PROP_COMPLETE:
    g_value_set_boolean (value, self->complete);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_resource_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AaResourceStore *self = AA_RESOURCE_STORE (object);

  switch (prop_id) {
  case PROP_PAGE_SIZE:
    aa_resource_store_set_page_size (self, g_value_get_uint (value));
    break;
  case PROP_FIRST_PAGE_SIZE:
    aa_resource_store_set_first_page_size (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_resource_store_class_init (AaResourceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aa_resource_store_dispose;
  object_class->get_property = aa_resource_store_get_property;
  object_class->set_property = aa_resource_store_set_property;

  /**
   * AaResourceStore:page-size:
   *
   * How many resources a refresh asks for at a time (`?limit=N`, then
   * `?limit=N&after=<the last id>`), or 0 to read each list in one request.
   * A server that ignores the parameters and sends its whole list is read
   * in one request all the same.
   */
  props[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaResourceStore:first-page-size:
   *
   * How many resources the first page of a refresh asks for, when
   * [property@ResourceStore:page-size] is not 0: a screenful or two, there
   * to show at once, while the following pages can be larger (fewer
   * requests). 0: as many as the other pages.
   */
  props[PROP_FIRST_PAGE_SIZE] =
    g_param_spec_uint ("first-page-size", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaResourceStore:complete:
   *
   * Whether the store holds the whole list of its last refresh: %FALSE
   * until a refresh succeeded, and while a refresh still reads pages (the
   * first ones may be shown already).
   */
  props[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * AaResourceStore::page-applied:
   * @self: the store
   *
   * A paged refresh merged a part of its list: the first page, at once,
   * then each part of the following ones. A view that waits for the end of
   * a refresh to take the resources in one go can take these now.
   */
  signals[SIGNAL_PAGE_APPLIED] =
    g_signal_new ("page-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

}

static void
aa_resource_store_init (AaResourceStore *self)
{
  self->resources = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->removed_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->remote = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) remote_free);
  g_queue_init (&self->remote_order);
  g_queue_init (&self->waiting);
}

/**
 * aa_resource_store_new:
 * @engine: the engine that runs the mutations of its resources
 * @resource_type: the type of its resources, %AA_TYPE_RESOURCE or a subclass
 *
 * Creates an empty list model of resources of @resource_type, whose
 * mutations @engine runs.
 *
 * Returns: (transfer full): a new, empty store
 */
AaResourceStore *
aa_resource_store_new (AaEngine *engine,
                       GType     resource_type)
{
  AaResourceStore *self;

  g_return_val_if_fail (AA_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (g_type_is_a (resource_type, AA_TYPE_RESOURCE), NULL);

  self = g_object_new (AA_TYPE_RESOURCE_STORE, NULL);
  self->engine = g_object_ref (engine);
  self->resource_type = resource_type;

  return self;
}

/**
 * aa_resource_store_get_engine:
 * @self: a store
 *
 * Gets the engine that runs the mutations of the store's resources.
 *
 * Returns: (transfer none): the engine of its resources
 */
AaEngine *
aa_resource_store_get_engine (AaResourceStore *self)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), NULL);
  return self->engine;
}

/**
 * aa_resource_store_get_resource_type:
 * @self: a store
 *
 * Gets the type of the store's resources.
 *
 * Returns: the type of its resources
 */
GType
aa_resource_store_get_resource_type (AaResourceStore *self)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), G_TYPE_INVALID);
  return self->resource_type;
}

/**
 * aa_resource_store_of:
 * @resource: a resource
 *
 * Gets the store that holds @resource.
 *
 * Returns: (transfer none) (nullable): the store that holds @resource
 */
AaResourceStore *
aa_resource_store_of (AaResource *resource)
{
  g_return_val_if_fail (AA_IS_RESOURCE (resource), NULL);
  return aa_resource_get_store (resource);
}

/**
 * aa_resource_store_lookup:
 * @self: a store
 * @id: a server id, or the temporary id of an unconfirmed create
 *
 * Finds the resource of the store with @id.
 *
 * Returns: (transfer none) (nullable): the resource with @id
 */
AaResource *
aa_resource_store_lookup (AaResourceStore *self,
                          const char      *id)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

/**
 * aa_resource_store_contains:
 * @self: a store
 * @resource: a resource
 *
 * Says whether @resource is in the store.
 *
 * Returns: %TRUE when @resource is in @self
 */
gboolean
aa_resource_store_contains (AaResourceStore *self,
                            AaResource      *resource)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), FALSE);
  g_return_val_if_fail (AA_IS_RESOURCE (resource), FALSE);

  return aa_resource_store_of (resource) == self;
}

/* Inserts without telling: the caller emits items-changed. */
static guint
insert_quietly (AaResourceStore *self,
                guint            position,
                AaResource      *resource)
{
  position = MIN (position, self->resources->len);
  g_ptr_array_insert (self->resources, position, g_object_ref (resource));
  g_hash_table_insert (self->by_id, g_strdup (aa_resource_get_id (resource)), resource);
  aa_resource_set_store (resource, self);
  return position;
}

static void
insert (AaResourceStore *self,
        guint            position,
        AaResource      *resource)
{
  position = insert_quietly (self, position, resource);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

/* Announces the resources inserted together since the last time. */
static void
announce (AaResourceStore *self,
          guint            position,
          guint           *n_inserted)
{
  if (*n_inserted > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, *n_inserted);
  *n_inserted = 0;
}


/* The "id" of a canonical state as a string, whether the server sent a
 * string or a number (states keep the id's JSON type); NULL without one. */
static char *
dup_id (JsonObject *state)
{
  return aa_json_dup_id (state, "id", NULL);
}

/* Where @resource is. A list from the server comes in the store's order, so
 * the search starts at @hint, right after the previous one found: merging
 * a list of 10,000 known resources is linear, not quadratic. */
static gboolean
find (AaResourceStore *self,
      AaResource      *resource,
      guint            hint,
      guint           *out_index)
{
  guint len = self->resources->len;

  for (guint i = 0; i < len; i++) {
    guint index = (hint + i) % len;

    if (g_ptr_array_index (self->resources, index) == resource) {
      *out_index = index;
      return TRUE;
    }
  }

  return FALSE;
}

/* The server, asked at @sent_at, no longer has the resource at @index: it
 * leaves, unless it is local, has changes on their way (they meet the
 * same answer themselves), or a change of ours settled after @sent_at (the
 * answer may be older than that). Returns whether it left. */
static gboolean
leave_if_gone (AaResourceStore *self,
               guint            index,
               guint            sent_at)
{
  g_autoptr(AaResource) resource = g_object_ref (g_ptr_array_index (self->resources, index));
  const char *id = aa_resource_get_id (resource);

  if (aa_resource_is_local (resource) ||
      aa_engine_has_pending (self->engine, resource) ||
      aa_resource_settled_since (resource, sent_at))
    return FALSE;

  /* Deleted elsewhere: no tombstone, the server said so itself. */
  if (g_hash_table_lookup (self->by_id, id) == resource)
    g_hash_table_remove (self->by_id, id);
  aa_resource_set_store (resource, NULL);
  g_ptr_array_remove_index (self->resources, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
  return TRUE;
}

/**
 * aa_resource_store_add_local:
 * @self: a store
 * @position: where it goes (past the end: at the end)
 * @state: its state, as if confirmed, without an "id"
 *
 * Adds a resource that the server has not seen yet, under a temporary id:
 * the target of a create (an %AA_OPERATION_CREATES operation).
 *
 * Returns: (transfer none): the new resource
 */
AaResource *
aa_resource_store_add_local (AaResourceStore *self,
                             guint            position,
                             JsonObject      *state)
{
  g_autoptr(JsonObject) local = NULL;
  g_autoptr(AaState) compact = NULL;
  g_autoptr(AaResource) resource = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), NULL);
  g_return_val_if_fail (state != NULL, NULL);

  id = g_strdup_printf ("local-%u", ++self->next_local_id);
  local = aa_json_object_copy (state);
  json_object_set_string_member (local, "id", id);
  compact = aa_state_new (local);
  resource = aa_resource_new_local (self->resource_type, compact);
  insert (self, position, resource);

  return resource;
}

/**
 * aa_resource_store_remove:
 * @self: a store
 * @resource: one of its resources
 *
 * Removes @resource: it is gone for good (deleted elsewhere, purged, or a
 * create that was let go). A refresh sent before this does not bring it back.
 */
void
aa_resource_store_remove (AaResourceStore *self,
                          AaResource      *resource)
{
  const char *id;
  guint index;

  g_return_if_fail (AA_IS_RESOURCE_STORE (self));
  g_return_if_fail (AA_IS_RESOURCE (resource));

  if (!g_ptr_array_find (self->resources, resource, &index))
    return;

  id = aa_resource_get_id (resource);
  g_hash_table_insert (self->removed_at, g_strdup (id), GUINT_TO_POINTER (aa_engine_get_clock (self->engine)));
  /* A server copy that a create's answer made redundant no longer owns its id. */
  if (g_hash_table_lookup (self->by_id, id) == resource)
    g_hash_table_remove (self->by_id, id);
  aa_resource_set_store (resource, NULL);
  g_ptr_array_remove_index (self->resources, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

gboolean
_aa_resource_store_find (AaResourceStore *self,
                         AaResource      *resource,
                         guint           *out_position)
{
  g_assert (AA_IS_RESOURCE_STORE (self));
  return find (self, resource, 0, out_position);
}

void
_aa_resource_store_put_back (AaResourceStore *self,
                             guint            position,
                             AaResource      *resource)
{
  g_assert (AA_IS_RESOURCE_STORE (self));
  g_assert (aa_resource_get_store (resource) == NULL);

  g_hash_table_remove (self->removed_at, aa_resource_get_id (resource));
  insert (self, position, resource);
}

void
_aa_resource_store_rekey (AaResourceStore *self,
                          AaResource      *resource,
                          const char      *old_id)
{
  g_assert (AA_IS_RESOURCE_STORE (self));

  if (g_hash_table_lookup (self->by_id, old_id) == resource)
    g_hash_table_remove (self->by_id, old_id);
  g_hash_table_insert (self->by_id, g_strdup (aa_resource_get_id (resource)), resource);
}

/**
 * aa_resource_store_normalize_list:
 * @self: a store
 * @list: a JSON array of server objects
 * @error: return location for an error
 *
 * Normalizes each server object as the store's resource type does. Nothing
 * is returned from a list that cannot be read as a whole.
 *
 * Returns: (transfer full) (element-type Json.Object) (nullable): the
 *   canonical states, in order, or %NULL with %AA_ERROR_BAD_RESPONSE
 */
GPtrArray *
aa_resource_store_normalize_list (AaResourceStore  *self,
                                  JsonNode         *list,
                                  GError          **error)
{
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(AaResource) reader = NULL;
  JsonArray *array;

  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), NULL);
  g_return_val_if_fail (list != NULL, NULL);

  if (!JSON_NODE_HOLDS_ARRAY (list)) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                         _("The server sent something other than a list."));
    return NULL;
  }

  /* The list is left whole, and freed whole by the caller once the states
   * are applied: the resources made meanwhile then sit together rather
   * than in the holes of a list freed as it is read, and the memory the
   * list took can go back to the system (an app may call malloc_trim()
   * once its lists are read; the library leaves the process's memory alone). */
  array = json_node_get_array (list);
  states = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    JsonObject *state;

    if (!JSON_NODE_HOLDS_OBJECT (element)) {
      g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                           _("The server sent a list with something other than objects in it."));
      return NULL;
    }

    /* One resource of the class reads the whole list. */
    if (reader == NULL)
      reader = g_object_new (self->resource_type, NULL);
    state = aa_resource_normalize (reader, json_node_get_object (element), error);
    if (state == NULL)
      return NULL;
    g_ptr_array_add (states, state);
  }

  return g_steal_pointer (&states);
}

/**
 * aa_resource_store_apply_states:
 * @self: a store
 * @states: (element-type Json.Object): canonical states from the server, in its order
 * @sent_at: the engine's clock (aa_engine_get_clock()) when the list was requested
 * @covers: (scope call) (nullable): which resources the list speaks for,
 *   or %NULL for all of them
 * @user_data: (closure covers): data for @covers
 *
 * Merges a list from the server. Known resources take the listed state as
 * confirmed (unless it is older than a change of ours that settled after
 * @sent_at) and keep their place and their pending changes; new ones go
 * right after the known one that precedes them in the list. Covered
 * resources the list leaves out are gone, unless they are local or have
 * changes on their way.
 */
void
aa_resource_store_apply_states (AaResourceStore  *self,
                                GPtrArray        *states,
                                guint             sent_at,
                                AaResourceFilter  covers,
                                gpointer          user_data)
{
  g_autoptr(GHashTable) seen = NULL;
  guint next = 0;
  guint hint = 0;
  /* New resources side by side are announced in one items-changed (a
   * first load: one for all), before anything else can be seen. */
  guint inserted_at = 0, n_inserted = 0;

  g_return_if_fail (AA_IS_RESOURCE_STORE (self));
  g_return_if_fail (states != NULL);

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < states->len; i++) {
    JsonObject *object = g_ptr_array_index (states, i);
    g_autofree char *id = dup_id (object);
    g_autoptr(AaState) state = NULL;
    AaResource *resource;
    guint index;

    if (id == NULL)
      continue;
    g_hash_table_add (seen, g_strdup (id));

    resource = g_hash_table_lookup (self->by_id, id);
    if (resource != NULL) {
      announce (self, inserted_at, &n_inserted);
      state = aa_state_new (object);
      _aa_engine_reconfirm (self->engine, resource, state, sent_at);
      if (find (self, resource, hint, &index)) {
        next = MAX (next, index + 1);
        hint = index + 1;
      }
    } else if (GPOINTER_TO_UINT (g_hash_table_lookup (self->removed_at, id)) > sent_at) {
      /* Read before we removed it: gone for good. */
      continue;
    } else {
      g_autoptr(AaResource) created = NULL;

      state = aa_state_new (object);
      created = aa_resource_new_confirmed (self->resource_type, id, state);
      index = insert_quietly (self, next++, created);
      if (n_inserted == 0)
        inserted_at = index;
      n_inserted++;
      if (index <= hint)
        hint++;
    }
  }
  announce (self, inserted_at, &n_inserted);

  for (guint i = self->resources->len; i > 0; i--) {
    AaResource *resource = g_ptr_array_index (self->resources, i - 1);

    if (!g_hash_table_contains (seen, aa_resource_get_id (resource)) &&
        (covers == NULL || covers (resource, user_data)))
      leave_if_gone (self, i - 1, sent_at);
  }
}

/**
 * aa_resource_store_get_page_size:
 * @self: a store
 *
 * Gets the size of the pages of a refresh ([property@ResourceStore:page-
 * size]).
 *
 * Returns: how many resources a refresh asks for at a time, or 0
 */
guint
aa_resource_store_get_page_size (AaResourceStore *self)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), 0);
  return self->page_size;
}

/**
 * aa_resource_store_set_page_size:
 * @self: a store
 * @page_size: how many resources a refresh asks for at a time, or 0 to
 *   read each list in one request
 *
 * Sets [property@ResourceStore:page-size], for the next refresh.
 */
void
aa_resource_store_set_page_size (AaResourceStore *self,
                                 guint            page_size)
{
  g_return_if_fail (AA_IS_RESOURCE_STORE (self));

  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PAGE_SIZE]);
}

/**
 * aa_resource_store_get_first_page_size:
 * @self: a store
 *
 * Gets the size of the first page of a refresh
 * ([property@ResourceStore:first-page-size]).
 *
 * Returns: how many resources the first page of a refresh asks for, or 0
 *   for as many as the others
 */
guint
aa_resource_store_get_first_page_size (AaResourceStore *self)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), 0);
  return self->first_page_size;
}

/**
 * aa_resource_store_set_first_page_size:
 * @self: a store
 * @first_page_size: how many resources the first page of a refresh asks
 *   for, or 0 for as many as the others
 *
 * Sets [property@ResourceStore:first-page-size], for the next refresh.
 */
void
aa_resource_store_set_first_page_size (AaResourceStore *self,
                                       guint            first_page_size)
{
  g_return_if_fail (AA_IS_RESOURCE_STORE (self));

  if (self->first_page_size == first_page_size)
    return;
  self->first_page_size = first_page_size;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIRST_PAGE_SIZE]);
}

/**
 * aa_resource_store_get_complete:
 * @self: a store
 *
 * Says whether the store holds the whole list
 * ([property@ResourceStore:complete]).
 *
 * Returns: %TRUE when the store holds the whole list of its last refresh
 */
gboolean
aa_resource_store_get_complete (AaResourceStore *self)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), FALSE);
  return self->complete;
}

static void
set_complete (AaResourceStore *self,
              gboolean         complete)
{
  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMPLETE]);
}

static void
paging_free (Paging *paging)
{
  g_free (paging->path);
  g_free (paging->next_after);
  if (paging->covers_destroy != NULL)
    paging->covers_destroy (paging->covers_data);
  g_clear_pointer (&paging->seen, g_hash_table_unref);
  g_clear_pointer (&paging->order, g_ptr_array_unref);
  g_queue_clear_full (&paging->pages, (GDestroyNotify) g_ptr_array_unref);
  if (paging->merge != NULL) {
    g_source_destroy (paging->merge);
    g_clear_pointer (&paging->merge, g_source_unref);
  }
  g_clear_pointer (&paging->held, g_hash_table_unref);
  g_free (paging);
}

static void start_refresh (AaResourceStore *self,
                           Paging          *paging);

/* Ends the refresh under way with @error (taken), or with success, and
 * starts the one waiting next. */
static void
paging_end (AaResourceStore *self,
            GError          *error)
{
  Paging *paging = g_steal_pointer (&self->paging);
  g_autoptr(GTask) task = g_steal_pointer (&paging->task);
  GHashTableIter iter;
  Remote *remote;

  /* The remote changes held back are newer than the pages: never lost,
   * even when the refresh fails. */
  g_hash_table_iter_init (&iter, paging->held);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &remote))
    apply_remote_now (self, remote);

  if (error == NULL)
    set_complete (self, TRUE);
  paging_free (paging);

  if (!g_queue_is_empty (&self->waiting))
    start_refresh (self, g_queue_pop_head (&self->waiting));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Which resources the end of a paged refresh removes: covered ones that no
 * page listed and no remote change named. */
static gboolean
not_seen (AaResource *resource,
          gpointer    user_data)
{
  Paging *paging = user_data;

  return !g_hash_table_contains (paging->seen, aa_resource_get_id (resource)) &&
         (paging->covers == NULL || paging->covers (resource, paging->covers_data));
}

static gboolean
covers_none (AaResource *resource,
             gpointer    user_data)
{
  return FALSE;
}

/* The last resource listed so far that is still here. */
static AaResource *
find_anchor (AaResourceStore *self,
             Paging          *paging)
{
  for (guint i = paging->order->len; i > 0; i--) {
    AaResource *resource = g_hash_table_lookup (self->by_id, g_ptr_array_index (paging->order, i - 1));

    if (resource != NULL)
      return resource;
  }

  return NULL;
}

/* Merges @states[@from, @to) of a page: known resources take their state,
 * new ones go after the last one listed before them (by putting that one
 * first: aa_resource_store_apply_states() places new resources after the
 * known one before them). Nothing leaves yet. */
static void
merge_part (AaResourceStore *self,
            Paging          *paging,
            GPtrArray       *states,
            guint            from,
            guint            to)
{
  g_autoptr(GPtrArray) part = g_ptr_array_new_full (to - from + 1, (GDestroyNotify) json_object_unref);
  AaResource *anchor = find_anchor (self, paging);

  if (anchor != NULL)
    g_ptr_array_add (part, aa_state_dup_object (aa_resource_get_confirmed (anchor)));
  for (guint i = from; i < to; i++) {
    JsonObject *state = g_ptr_array_index (states, i);
    g_autofree char *id = dup_id (state);

    /* What a remote change named meanwhile is newer than this page. */
    if (id == NULL || g_hash_table_contains (paging->held, id))
      continue;
    if (!g_hash_table_contains (paging->seen, id)) {
      g_ptr_array_add (paging->order, g_strdup (id));
      g_hash_table_add (paging->seen, g_strdup (id));
    }
    g_ptr_array_add (part, json_object_ref (state));
  }

  aa_resource_store_apply_states (self, part, paging->sent_at, covers_none, NULL);
}

/* Everything read and merged: what the list no longer holds leaves. */
static void
paging_finish (AaResourceStore *self)
{
  Paging *paging = self->paging;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  aa_resource_store_apply_states (self, none, paging->sent_at, not_seen, paging);
  paging_end (self, NULL);
}

static void request_next_page (AaResourceStore *self);

/* Merges pages in parts, between frames. */
static gboolean
merge_cb (gpointer user_data)
{
  g_autoptr(AaResourceStore) self = g_object_ref (user_data);
  Paging *paging = self->paging;
  gint64 start = g_get_monotonic_time ();
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (paging->task), &error)) {
    g_clear_pointer (&paging->merge, g_source_unref);
    /* A page on its way ends the refresh when its answer comes back. */
    if (paging->requesting)
      g_error_free (error);
    else
      paging_end (self, error);
    return G_SOURCE_REMOVE;
  }

  while (!g_queue_is_empty (&paging->pages) && g_get_monotonic_time () - start < PAGE_BUDGET_US) {
    GPtrArray *states = g_queue_peek_head (&paging->pages);
    guint to = MIN (states->len, paging->merged + PAGE_PART);

    merge_part (self, paging, states, paging->merged, to);
    paging->merged = to;
    if (to == states->len) {
      g_ptr_array_unref (g_queue_pop_head (&paging->pages));
      paging->merged = 0;
      request_next_page (self);
    }
    g_signal_emit (self, signals[SIGNAL_PAGE_APPLIED], 0);
  }

  if (!g_queue_is_empty (&paging->pages))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&paging->merge, g_source_unref);
  if (paging->read_all)
    paging_finish (self);
  return G_SOURCE_REMOVE;
}

static void request_page (AaResourceStore *self,
                          const char      *after,
                          guint            limit);

/* Reads the next page, unless one is on its way or enough wait. */
static void
request_next_page (AaResourceStore *self)
{
  Paging *paging = self->paging;
  g_autofree char *after = NULL;

  if (paging->next_after == NULL || paging->requesting || g_queue_get_length (&paging->pages) >= PAGES_AHEAD)
    return;
  after = g_steal_pointer (&paging->next_after);
  request_page (self, after, paging->page_size);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AaResourceStore) self = user_data;
  Paging *paging = self->paging;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) states = NULL;
  gboolean first = paging->n_pages++ == 0;
  GError *error = NULL;
  g_autofree char *first_id = NULL;
  guint n;

  paging->requesting = FALSE;
  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node != NULL)
    states = aa_resource_store_normalize_list (self, node, &error);
  if (states == NULL) {
    paging_end (self, error);
    return;
  }

  /* A short page is the last; a long one is a whole list from a server
   * that knows no pages; one that starts with a resource listed before
   * comes from a server that ignores "after", and adds nothing. */
  n = states->len;
  if (n > 0)
    first_id = dup_id (g_ptr_array_index (states, 0));
  if (!first && first_id != NULL && g_hash_table_contains (paging->seen, first_id)) {
    g_ptr_array_set_size (states, 0);
    paging->read_all = TRUE;
  } else if (n != paging->limit || first_id == NULL) {
    paging->read_all = TRUE;
  } else {
    /* The next page is read while this one is merged. */
    g_free (paging->next_after);
    paging->next_after = dup_id (g_ptr_array_index (states, n - 1));
  }

  if (first) {
    /* The first page at once: the first screenful is there to show. */
    merge_part (self, paging, states, 0, states->len);
    g_signal_emit (self, signals[SIGNAL_PAGE_APPLIED], 0);
    if (paging->read_all)
      paging_finish (self);
    else
      request_next_page (self);
    return;
  }

  g_queue_push_tail (&paging->pages, g_steal_pointer (&states));
  request_next_page (self);
  if (paging->merge == NULL) {
    paging->merge = g_idle_source_new ();
    g_source_set_priority (paging->merge, G_PRIORITY_DEFAULT_IDLE);
    g_source_set_callback (paging->merge, merge_cb, self, NULL);
    g_source_attach (paging->merge, g_main_context_get_thread_default ());
  }
}

static void
request_page (AaResourceStore *self,
              const char      *after,
              guint            limit)
{
  Paging *paging = self->paging;
  g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, FALSE) : NULL;
  g_autofree char *path = NULL;
  const char *separator = strchr (paging->path, '?') != NULL ? "&" : "?";

  paging->limit = limit;
  paging->requesting = TRUE;
  if (escaped != NULL)
    path = g_strdup_printf ("%s%slimit=%u&after=%s", paging->path, separator, paging->limit, escaped);
  else
    path = g_strdup_printf ("%s%slimit=%u", paging->path, separator, paging->limit);

  aa_rest_client_request_async (aa_engine_get_client (self->engine), "GET", path, NULL, NULL, -1,
                                g_task_get_cancellable (paging->task), page_cb, g_object_ref (self));
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AaResourceStore) self = user_data;
  Paging *paging = self->paging;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) states = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node != NULL)
    states = aa_resource_store_normalize_list (self, node, &error);
  if (states == NULL) {
    paging_end (self, error);
    return;
  }

  aa_resource_store_apply_states (self, states, paging->sent_at, not_seen, paging);
  paging_end (self, NULL);
}

static void
start_refresh (AaResourceStore *self,
               Paging          *paging)
{
  g_assert (self->paging == NULL);

  self->paging = paging;
  paging->sent_at = aa_engine_get_clock (self->engine);
  set_complete (self, FALSE);

  paging->page_size = self->page_size;
  if (paging->page_size > 0)
    request_page (self, NULL, self->first_page_size > 0 ? self->first_page_size : paging->page_size);
  else
    aa_rest_client_request_async (aa_engine_get_client (self->engine), "GET", paging->path, NULL, NULL, -1,
                                  g_task_get_cancellable (paging->task), refresh_cb, g_object_ref (self));
}

/**
 * aa_resource_store_refresh_full_async:
 * @self: a store
 * @path: the path of the list, such as "/bookmarks"
 * @covers: (scope notified) (closure covers_data) (destroy covers_destroy) (nullable):
 *   which resources the list speaks for, or %NULL for all of them
 * @covers_data: (nullable): data for @covers
 * @covers_destroy: (nullable): frees @covers_data
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (nullable): called when the whole list was
 *   applied, or the refresh failed
 * @user_data: (closure callback): data for @callback
 *
 * Fetches the list at @path and merges it as aa_resource_store_apply_states()
 * does: nothing pending is lost, and covered resources the list no longer
 * holds leave.
 *
 * With a [property@ResourceStore:page-size], the list is read in pages
 * (`?limit=N&after=<the last id>`, keyset pagination): the first page is
 * merged as soon as it arrives, the following ones in parts between
 * frames, each followed by [signal@ResourceStore::page-applied], while
 * [property@ResourceStore:complete] is %FALSE. Resources leave only once
 * the last page is in; a remote change
 * (aa_resource_store_apply_remote()) that arrives meanwhile is newer than
 * any page, and a resource it names does not leave. A failed page ends the
 * refresh with its error, the pages merged so far kept.
 *
 * A refresh asked for while another is under way starts when it ends.
 *
 * From Python, @covers_data is a tuple of the extra arguments @covers gets
 * (`store.refresh_full_async(path, covers, (), None, callback)`); from GJS
 * there is none (`store.refresh_full_async(path, covers, null, callback)`).
 */
void
aa_resource_store_refresh_full_async (AaResourceStore     *self,
                                      const char          *path,
                                      AaResourceFilter     covers,
                                      gpointer             covers_data,
                                      GDestroyNotify       covers_destroy,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Paging *paging;

  g_return_if_fail (AA_IS_RESOURCE_STORE (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  paging = g_new0 (Paging, 1);
  paging->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (paging->task, aa_resource_store_refresh_async);
  paging->path = g_strdup (path);
  paging->covers = covers;
  paging->covers_data = covers_data;
  paging->covers_destroy = covers_destroy;
  paging->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  paging->order = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&paging->pages);
  paging->held = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) remote_free);

  if (self->paging != NULL)
    g_queue_push_tail (&self->waiting, paging);
  else
    start_refresh (self, paging);
}

/**
 * aa_resource_store_refresh_async:
 * @self: a store
 * @path: the path of the list, such as "/bookmarks"
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the list was applied or failed
 * @user_data: (closure): data for @callback
 *
 * Fetches the list at @path and applies it with
 * aa_resource_store_apply_states(): nothing pending is lost. The list
 * speaks for every resource of the store; see
 * aa_resource_store_refresh_full_async() for one that speaks for some,
 * and for pages.
 */
void
aa_resource_store_refresh_async (AaResourceStore     *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  aa_resource_store_refresh_full_async (self, path, NULL, NULL, NULL, cancellable, callback, user_data);
}

/**
 * aa_resource_store_refresh_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes aa_resource_store_refresh_async() or
 * aa_resource_store_refresh_full_async().
 *
 * Returns: %TRUE when the whole list was applied
 */
gboolean
aa_resource_store_refresh_finish (AaResourceStore  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reloading one resource */

typedef struct {
  AaResource *resource;
  guint       sent_at;
} Reload;

static void
reload_free (Reload *reload)
{
  g_clear_object (&reload->resource);
  g_free (reload);
}

/* The resource, or NULL when it is no longer in the store. */
static void
return_reloaded (GTask      *task,
                 AaResource *resource)
{
  if (aa_resource_store_contains (g_task_get_source_object (task), resource))
    g_task_return_pointer (task, g_object_ref (resource), g_object_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaResourceStore *self = g_task_get_source_object (task);
  Reload *reload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) canonical = NULL;
  g_autoptr(AaState) state = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;
  guint index;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  /* Cancelled, even with its answer in: nothing changes. */
  if (node != NULL && g_task_return_error_if_cancelled (task))
    return;
  if (node == NULL) {
    if (!aa_error_is_removal (error)) {
      g_task_return_error (task, error);
      return;
    }
    g_error_free (error);
    /* Gone, as from a list that no longer holds it; an Undo then says so
     * rather than sending what would meet a 404 again. */
    if (find (self, reload->resource, 0, &index) &&
        leave_if_gone (self, index, reload->sent_at))
      aa_resource_set_removed_elsewhere (reload->resource);
  } else {
    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      g_task_return_new_error (task, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                               _("The server’s answer has no object in it."));
      return;
    }
    canonical = _aa_resource_normalize_for_type (self->resource_type, json_node_get_object (node), &error);
    if (canonical == NULL) {
      g_task_return_error (task, error);
      return;
    }
    id = dup_id (canonical);
    if (g_strcmp0 (id, aa_resource_get_id (reload->resource)) != 0) {
      g_task_return_new_error (task, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                               _("The server sent another object than the one asked for."));
      return;
    }

    /* Merged as a refresh merges a listed resource: the confirmed state
     * only, unless ours is newer, with the pending changes laid on top. A
     * resource that left meanwhile stays gone. */
    if (aa_resource_store_contains (self, reload->resource)) {
      state = aa_state_new (canonical);
      _aa_engine_reconfirm (self->engine, reload->resource, state, reload->sent_at);
      /* The pages of a refresh under way may be older than this answer:
       * it does not leave at their end. */
      if (self->paging != NULL)
        g_hash_table_add (self->paging->seen, g_strdup (id));
    }
  }

  return_reloaded (task, reload->resource);
}

/**
 * aa_resource_store_reload_async:
 * @self: a store
 * @resource: a resource of the store
 * @path: the path of the resource on the server, such as "/bookmarks/7"
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the resource was merged or the
 *   reload failed
 * @user_data: (closure): data for @callback
 *
 * Fetches one resource from @path and merges it as a refresh
 * ([method@ResourceStore.refresh_async]) merges a listed one: its state
 * becomes the confirmed state, unless ours is newer, and its pending
 * optimistic changes stay laid on top, to settle as they would have.
 *
 * An answer of 404 or 410 says that the server no longer has it: it leaves
 * the store as a resource that a refresh no longer lists does, unless it
 * has changes on their way, which meet that answer themselves, and an
 * Undo of an earlier change of it then sends nothing and says why (see
 * aa_engine_undo()). Any other failure changes nothing and comes back as
 * an %AA_ERROR.
 *
 * A resource the server has not confirmed yet (a create on its way, under
 * a temporary id) is not asked for: it comes back as it is.
 */
void
aa_resource_store_reload_async (AaResourceStore     *self,
                                AaResource          *resource,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Reload *reload;

  g_return_if_fail (AA_IS_RESOURCE_STORE (self));
  g_return_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (resource, self->resource_type));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_resource_store_reload_async);
  reload = g_new0 (Reload, 1);
  reload->resource = g_object_ref (resource);
  reload->sent_at = aa_engine_get_clock (self->engine);
  g_task_set_task_data (task, reload, (GDestroyNotify) reload_free);

  if (aa_resource_is_local (resource)) {
    return_reloaded (task, resource);
    return;
  }

  aa_rest_client_request_async (aa_engine_get_client (self->engine), "GET", path, NULL, NULL, -1,
                                cancellable, reload_cb, g_steal_pointer (&task));
}

/**
 * aa_resource_store_reload_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes aa_resource_store_reload_async().
 *
 * Returns: (transfer full) (nullable): the resource, merged, or %NULL
 *   without an error when it is no longer in the store: the server no
 *   longer has it, or it left meanwhile
 */
AaResource *
aa_resource_store_reload_finish (AaResourceStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remote changes */

/* Keeps a remote change until the paged refresh under way ends. */
static void
hold_remote (Paging *paging,
             Remote *remote)
{
  Remote *held = g_new0 (Remote, 1);

  held->id = g_strdup (remote->id);
  held->state = remote->state != NULL ? aa_state_ref (remote->state) : NULL;
  held->after = g_strdup (remote->after);
  g_hash_table_replace (paging->held, held->id, held);
}

static void
apply_remote_now (AaResourceStore *self,
                  Remote          *remote)
{
  AaResource *resource = g_hash_table_lookup (self->by_id, remote->id);

  /* While a refresh reads pages, the pages still to come may be older than
   * this change: a resource it names does not leave at the end, one it
   * removes is not brought back, and one new to the store waits for the
   * end, so that it lands after its neighbours. */
  if (self->paging != NULL) {
    g_hash_table_add (self->paging->seen, g_strdup (remote->id));
    if (resource == NULL || remote->state == NULL)
      hold_remote (self->paging, remote);
    if (resource == NULL)
      return;
  }

  if (resource != NULL) {
    /* A removal leaves at once, whatever is pending (the engine drops what
     * was queued for it and tells the user once if they were acting on
     * it); a new state is confirmed unless ours is newer, with what is
     * pending still laid on top of it. */
    _aa_engine_apply_remote (self->engine, resource, remote->state);
  } else if (remote->state != NULL) {
    g_autoptr(AaResource) created = aa_resource_new_confirmed (self->resource_type, remote->id, remote->state);
    AaResource *before = remote->after != NULL ? g_hash_table_lookup (self->by_id, remote->after) : NULL;
    guint index = 0;

    if (before != NULL && g_ptr_array_find (self->resources, before, &index))
      index++;
    g_hash_table_remove (self->removed_at, remote->id);
    insert (self, index, created);
  }
}

/**
 * aa_resource_store_flush_remote:
 * @self: a store
 *
 * Applies every remote change that waits for the next frame now (before a
 * refresh, or in tests).
 */
void
aa_resource_store_flush_remote (AaResourceStore *self)
{
  g_return_if_fail (AA_IS_RESOURCE_STORE (self));

  while (!g_queue_is_empty (&self->remote_order)) {
    char *id = g_queue_pop_head (&self->remote_order);
    Remote *remote = NULL;

    g_hash_table_steal_extended (self->remote, id, NULL, (gpointer *) &remote);
    apply_remote_now (self, remote);
    remote_free (remote);
  }
}

static gboolean
remote_flush_cb (gpointer data)
{
  AaResourceStore *self = data;
  gint64 start = g_get_monotonic_time ();

  g_clear_pointer (&self->remote_flush, g_source_unref);
  self->flushed_at = start;

  /* Within a budget, so that a burst never holds up a frame: what is
   * left goes next time. */
  while (!g_queue_is_empty (&self->remote_order) &&
         g_get_monotonic_time () - start < REMOTE_BUDGET_US) {
    char *id = g_queue_pop_head (&self->remote_order);
    Remote *remote = NULL;

    g_hash_table_steal_extended (self->remote, id, NULL, (gpointer *) &remote);
    apply_remote_now (self, remote);
    remote_free (remote);
  }

  if (!g_queue_is_empty (&self->remote_order)) {
    self->remote_flush = g_timeout_source_new (REMOTE_INTERVAL_US / 1000);
    g_source_set_callback (self->remote_flush, remote_flush_cb, self, NULL);
    g_source_attach (self->remote_flush, g_main_context_get_thread_default ());
  }

  return G_SOURCE_REMOVE;
}

/**
 * aa_resource_store_apply_remote:
 * @self: a store
 * @id: the server id of the resource that changed
 * @server_object: (nullable): its new state as the server sends it, or
 *   %NULL when it is gone for good
 * @after_id: (nullable): for a resource new to the store, the id of the
 *   one it comes after in the server's order, or %NULL for the top
 * @origin: (nullable): the idempotency key of the request that made the
 *   change, when the server names it
 *
 * Applies a change made elsewhere, as an event stream
 * ([class@EventStream]) reports it: a new confirmed state, with pending
 * optimistic changes still laid on top (a remote title change never makes
 * a pending star vanish), a removal, or a resource new to the store, in
 * its place. A change our own engine made (@origin is the key of one of
 * its mutations) is left to that mutation's own answer, so that it is not
 * applied twice.
 *
 * Changes are applied together, at most once a frame (16 ms), the latest
 * state of each resource once: a burst costs one update of the model.
 *
 * A removal takes effect then, whatever is pending for the resource: it
 * leaves the store, its mutations still queued are dropped (never sent),
 * and one on its way is left to finish, its answer (404, 410, or a success
 * that raced the removal) changing nothing. Every change the user was
 * making to it, and a failed one waiting for a retry, ends FAILED with
 * %AA_ERROR_REMOVED_ELSEWHERE, retry not offered; one
 * [signal@Engine::feedback] per resource, the operation's failure message
 * of the newest of them, says so. A resource nobody was acting on just
 * leaves, and an Undo of it later sends nothing and says why (see
 * aa_engine_undo()).
 *
 * Returns: %FALSE when the change was ignored: ours, or unreadable
 */
gboolean
aa_resource_store_apply_remote (AaResourceStore *self,
                                const char      *id,
                                JsonObject      *server_object,
                                const char      *after_id,
                                const char      *origin)
{
  g_autoptr(GError) error = NULL;
  AaState *state = NULL;
  Remote *remote;

  g_return_val_if_fail (AA_IS_RESOURCE_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* Ours: the engine settles a mutation whose answer was lost with it, and
   * our own changes are confirmed by their answers. */
  if (_aa_engine_claim_event (self->engine, origin, server_object))
    return FALSE;

  if (server_object != NULL) {
    g_autoptr(JsonObject) object = _aa_resource_normalize_for_type (self->resource_type, server_object, &error);

    if (object == NULL) {
      g_warning ("Ignored a change of “%s” from the server: %s", id, error->message);
      return FALSE;
    }
    /* Compact while it waits for the next frame. */
    state = aa_state_new (object);
  }

  remote = g_hash_table_lookup (self->remote, id);
  if (remote == NULL) {
    remote = g_new0 (Remote, 1);
    remote->id = g_strdup (id);
    g_hash_table_insert (self->remote, remote->id, remote);
    g_queue_push_tail (&self->remote_order, remote->id);
  }
  g_clear_pointer (&remote->state, aa_state_unref);
  g_free (remote->after);
  remote->state = state;
  remote->after = g_strdup (after_id);

  if (self->remote_flush == NULL) {
    gint64 since = g_get_monotonic_time () - self->flushed_at;
    guint delay = since >= REMOTE_INTERVAL_US ? 0 : (guint) ((REMOTE_INTERVAL_US - since) / 1000);

    self->remote_flush = g_timeout_source_new (delay);
    g_source_set_callback (self->remote_flush, remote_flush_cb, self, NULL);
    g_source_attach (self->remote_flush, g_main_context_get_thread_default ());
  }

  return TRUE;
}
