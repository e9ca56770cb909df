/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-refresher"

#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "aa-refresher.h"

/*
 * A refresh reads the lists it is asked for in parallel, each with the
 * engine's refresh of its store. Two things it does itself: the notes and
 * the trash read together are merged as one list (aa_note_lists_apply()),
 * and /me, an object rather than a list, names one of the members.
 */

struct _AaRefresher
{
  GObject          parent_instance;

  AaRestClient    *client;
  AaEngine        *engine;
  AaNoteLists     *notes;
  AaResourceStore *invoices;
  AaResourceStore *members;
  AaMember        *me;

  /* What was ever asked for: what a catch-up reads again. */
  AaRefreshFlags   fetched;
};

G_DEFINE_FINAL_TYPE (AaRefresher, aa_refresher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ME,
  N_PROPS
};

enum {
  SIGNAL_REFRESHED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* The reads of one refresh that are not the engine's: the notes with the
 * trash, and /me. */
enum {
  FETCH_ITEMS,
  FETCH_TRASH,
  FETCH_ME,
  N_FETCHES
};

static const char * const fetch_paths[N_FETCHES] = { "/items", "/trash", "/me" };

typedef struct {
  JsonNode       *nodes[N_FETCHES];
  guint           n_outstanding;
  guint           sent_at;  /* the engine's clock when the requests left */
  AaRefreshFlags  flags;
  GError         *error;
} Refresh;

typedef struct {
  GTask *task;
  guint  fetch;
} Fetch;

static void
refresh_free (Refresh *refresh)
{
  for (guint i = 0; i < N_FETCHES; i++)
    g_clear_pointer (&refresh->nodes[i], json_node_unref);
  g_clear_error (&refresh->error);
  g_free (refresh);
}

static void
refresh_failed (Refresh *refresh,
                GError  *error)
{
  if (refresh->error == NULL)
    refresh->error = error;
  else
    g_error_free (error);
}

static void
apply_me (AaRefresher *self,
          JsonNode    *node)
{
  g_autofree char *id = NULL;
  AaResource *me = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    id = aa_json_dup_id (json_node_get_object (node), "id", NULL);
  if (id != NULL)
    me = aa_resource_store_lookup (self->members, id);

  if (g_set_object (&self->me, AA_MEMBER (me)))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ME]);
}

/* The notes and the trash read together: merged as one list. Nothing is
 * applied from an answer that cannot be read as a whole. */
static void
apply_notes (AaRefresher  *self,
             Refresh      *refresh,
             GError      **error)
{
  AaResourceStore *store = aa_note_lists_get_store (self->notes);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) trash = NULL;

  if (refresh->nodes[FETCH_ITEMS] != NULL &&
      (items = aa_resource_store_normalize_list (store, refresh->nodes[FETCH_ITEMS], error)) == NULL)
    return;
  if (refresh->nodes[FETCH_TRASH] != NULL &&
      (trash = aa_resource_store_normalize_list (store, refresh->nodes[FETCH_TRASH], error)) == NULL)
    return;

  if (items != NULL || trash != NULL)
    aa_note_lists_apply (self->notes, items, trash, refresh->sent_at);
}

/* The app's memory policy, not the library's: reading a big list (its JSON
 * tree, the normalized objects) takes several times what its resources
 * keep. Once it is freed the heap is only fragmented (mallinfo2 after
 * 10,000 notes: under 500 bytes a note in use in a 40 MB arena), yet the
 * process stays that much bigger (3 KB a note). malloc_trim() hands the
 * free pages back to the system; it takes some 20 to 90 ms for 10,000
 * notes. Done after the first refresh, whatever its length (what the app
 * freed while starting goes back with it), and whenever lists of 1,000
 * resources together have been read since. */
#define BIG_LIST 1000

static guint n_listed_since_trim;
static gboolean trimmed_once;

static gboolean
trim_cb (gpointer data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

/* On the main loop's next iteration, once the lists read are freed. At the
 * default priority, not an idle one, which a GTK app's frames can hold off
 * for long after a load. */
static void
give_back_memory (guint n_listed)
{
  n_listed_since_trim += MIN (n_listed, BIG_LIST);
  if (n_listed_since_trim < BIG_LIST && trimmed_once)
    return;

  n_listed_since_trim = 0;
  trimmed_once = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, trim_cb, NULL, NULL);
}

/* One list of the refresh is in. */
static void
refresh_fetched (GTask *task)
{
  AaRefresher *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GError) ignored = NULL;

  if (--refresh->n_outstanding > 0)
    return;

  /* What did arrive is applied even if something else failed: the UI
   * shows what it can and says what it could not reach. The members are
   * in by now, so /me can name one. */
  apply_notes (self, refresh, refresh->error == NULL ? &refresh->error : &ignored);
  if (refresh->nodes[FETCH_ME] != NULL)
    apply_me (self, refresh->nodes[FETCH_ME]);
  give_back_memory (g_list_model_get_n_items (G_LIST_MODEL (aa_note_lists_get_store (self->notes))) +
                    g_list_model_get_n_items (G_LIST_MODEL (self->invoices)) +
                    g_list_model_get_n_items (G_LIST_MODEL (self->members)));

  /* A list that never reached the server says it can't be reached. */
  if (g_error_matches (refresh->error, AA_ERROR, AA_ERROR_OFFLINE))
    aa_connectivity_report_unreachable (aa_engine_get_connectivity (self->engine));

  if (refresh->error != NULL) {
    g_task_return_error (task, g_steal_pointer (&refresh->error));
    return;
  }

  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0, refresh->flags);
  g_task_return_boolean (task, TRUE);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&fetch->task);
  Refresh *refresh = g_task_get_task_data (task);
  GError *error = NULL;
  JsonNode *node;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node != NULL)
    refresh->nodes[fetch->fetch] = node;
  else
    refresh_failed (refresh, error);
  g_free (fetch);

  refresh_fetched (task);
}

static void
fetch (AaRefresher *self,
       GTask       *task,
       guint        which)
{
  Refresh *refresh = g_task_get_task_data (task);
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->task = g_object_ref (task);
  fetch->fetch = which;
  refresh->n_outstanding++;
  aa_rest_client_request_async (self->client, "GET", fetch_paths[which], NULL, NULL, -1,
                                g_task_get_cancellable (task), fetch_cb, fetch);
}

/* A list read by the engine's refresh: the notes in pages, the invoices,
 * the members. */
static void
part_refreshed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (AA_IS_NOTE_LISTS (object))
    ok = aa_note_lists_refresh_items_finish (AA_NOTE_LISTS (object), result, &error);
  else
    ok = aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error);
  if (!ok)
    refresh_failed (g_task_get_task_data (task), error);
  refresh_fetched (task);
}

static void
refresh_store (GTask           *task,
               AaResourceStore *store,
               const char      *path)
{
  Refresh *refresh = g_task_get_task_data (task);

  refresh->n_outstanding++;
  aa_resource_store_refresh_async (store, path, g_task_get_cancellable (task),
                                   part_refreshed_cb, g_object_ref (task));
}

void
aa_refresher_refresh_async (AaRefresher         *self,
                            AaRefreshFlags       flags,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Refresh *refresh;

  g_return_if_fail (AA_IS_REFRESHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self->fetched |= flags;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_refresher_refresh_async);
  refresh = g_new0 (Refresh, 1);
  refresh->sent_at = aa_engine_get_clock (self->engine);
  refresh->flags = flags;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);

  /* Held until every read below was started: one that ends at once must
   * not end the refresh. */
  refresh->n_outstanding++;

  /* The notes alone come in pages: the first is shown at once. With the
   * trash, both are read whole and merged together, so that a note moved
   * to the trash elsewhere is seen in the trash rather than as gone. */
  if ((flags & AA_REFRESH_ITEMS) && !(flags & AA_REFRESH_TRASH)) {
    refresh->n_outstanding++;
    aa_note_lists_refresh_items_async (self->notes, cancellable, part_refreshed_cb, g_object_ref (task));
  } else if (flags & AA_REFRESH_TRASH) {
    if (flags & AA_REFRESH_ITEMS)
      fetch (self, task, FETCH_ITEMS);
    fetch (self, task, FETCH_TRASH);
  }
  if (flags & AA_REFRESH_INVOICES)
    refresh_store (task, self->invoices, "/invoices");
  if (flags & AA_REFRESH_MEMBERS) {
    refresh_store (task, self->members, "/members");
    fetch (self, task, FETCH_ME);
  }

  refresh_fetched (task);
}

gboolean
aa_refresher_refresh_finish (AaRefresher   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (AA_IS_REFRESHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gone_refreshed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Whether or not the lists could be read, the note asked for is gone. */
  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error))
    g_debug ("After a note was found gone: %s", error->message);

  /* The editor asked for a version to show or to save over: there is
   * none, which it says as it says any failure. */
  g_task_return_new_error (task, AA_ERROR, AA_ERROR_NOT_FOUND, _("There is no note with this id."));
}

static void
reload_item_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(AaResource) reloaded = NULL;
  GError *error = NULL;

  reloaded = aa_resource_store_reload_finish (AA_RESOURCE_STORE (object), result, &error);
  if (error != NULL) {
    g_task_return_error (task, error);
  } else if (reloaded == NULL) {
    /* Gone from the notes, perhaps into the trash or for good: the lists
     * say where, so that the note does not simply vanish. */
    aa_refresher_refresh_async (g_task_get_source_object (task), AA_REFRESH_ITEMS | AA_REFRESH_TRASH,
                                g_task_get_cancellable (task), gone_refreshed_cb, g_object_ref (task));
  } else {
    g_task_return_boolean (task, TRUE);
  }
}

void
aa_refresher_reload_item_async (AaRefresher         *self,
                                AaItem              *item,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (AA_IS_REFRESHER (self));
  g_return_if_fail (AA_IS_ITEM (item));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_refresher_reload_item_async);

  /* The engine merges it as a refresh would: the latest confirmed state,
   * with pending changes still on top. */
  path = aa_path_build ("items", aa_resource_get_id (AA_RESOURCE (item)), NULL);
  aa_resource_store_reload_async (aa_note_lists_get_store (self->notes), AA_RESOURCE (item), path,
                                  cancellable, reload_item_cb, g_steal_pointer (&task));
}

gboolean
aa_refresher_reload_item_finish (AaRefresher   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (AA_IS_REFRESHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* GObject */

static void
aa_refresher_finalize (GObject *object)
{
  AaRefresher *self = AA_REFRESHER (object);

  g_clear_object (&self->me);
  g_clear_object (&self->members);
  g_clear_object (&self->invoices);
  g_clear_object (&self->notes);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (aa_refresher_parent_class)->finalize (object);
}

static void
aa_refresher_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AaRefresher *self = AA_REFRESHER (object);

  switch (prop_id) {
  case PROP_ME:
    g_value_set_object (value, self->me);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_refresher_class_init (AaRefresherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_refresher_finalize;
  object_class->get_property = aa_refresher_get_property;

  props[PROP_ME] =
    g_param_spec_object ("me", NULL, NULL, AA_TYPE_MEMBER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
aa_refresher_init (AaRefresher *self)
{
}

AaRefresher *
aa_refresher_new (AaRestClient    *client,
                  AaNoteLists     *notes,
                  AaResourceStore *invoices,
                  AaResourceStore *members)
{
  AaRefresher *self;

  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);
  g_return_val_if_fail (AA_IS_NOTE_LISTS (notes), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (invoices), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (members), NULL);

  self = g_object_new (AA_TYPE_REFRESHER, NULL);
  self->client = g_object_ref (client);
  self->notes = g_object_ref (notes);
  self->engine = g_object_ref (aa_resource_store_get_engine (invoices));
  self->invoices = g_object_ref (invoices);
  self->members = g_object_ref (members);

  return self;
}

AaMember *
aa_refresher_get_me (AaRefresher *self)
{
  g_return_val_if_fail (AA_IS_REFRESHER (self), NULL);
  return self->me;
}

AaRefreshFlags
aa_refresher_get_fetched (AaRefresher *self)
{
  g_return_val_if_fail (AA_IS_REFRESHER (self), 0);
  return self->fetched;
}
