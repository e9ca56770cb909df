/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-test-backend.h"

/*
 * The engine on a domain of its own, bookmarks, against a tiny backend in
 * this file: nothing of the app (notes, trash, invoices) is linked, which
 * proves the engine does not depend on it. Each test names the promise it
 * checks.
 */

/* The backend: GET /bookmarks (in pages with ?limit=N&after=ID, unless
 * plain), POST /bookmarks, PATCH /bookmarks/{id} */

typedef struct {
  char *method;
  char *path;
  char *query;
  char *key;
  guint status;
} Logged;

typedef struct {
  SoupServer *server;
  char       *url;
  GPtrArray  *bookmarks;   /* JsonObject */
  GPtrArray  *log;         /* Logged */
  GQueue      statuses;    /* one-shot failure statuses for the next mutations */
  gboolean    holding;     /* mutations wait until released */
  GPtrArray  *held;        /* SoupServerMessage */
  guint       next_id;
  gboolean    plain;       /* GET ignores "limit" and "after" */
} Backend;

static void
logged_free (Logged *logged)
{
  g_free (logged->method);
  g_free (logged->path);
  g_free (logged->query);
  g_free (logged->key);
  g_free (logged);
}

static JsonObject *
find_bookmark (Backend    *backend,
               const char *id)
{
  return aa_test_backend_find (backend->bookmarks, id);
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       JsonNode          *node)
{
  aa_test_backend_reply_node (msg, status, node);
}

static void
reply_object (SoupServerMessage *msg,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  reply (msg, status, node);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status)
{
  g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"test\", \"message\": \"Refused with %u by the test.\"}}", status);

  aa_test_backend_reply (msg, status, body);
}

static void
handle (Backend           *backend,
        SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Logged *logged = g_new0 (Logged, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) body = NULL;

  logged->method = g_strdup (method);
  logged->path = g_strdup (path);
  logged->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  logged->key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  g_ptr_array_add (backend->log, logged);

  if (g_str_equal (method, "GET")) {
    g_autoptr(JsonNode) list = json_node_new (JSON_NODE_ARRAY);
    g_autoptr(JsonArray) array = json_array_new ();
    g_autoptr(GHashTable) params = NULL;
    guint start = 0, limit = G_MAXUINT;

    /* Keyset pages: after the bookmark ID, at most "limit" of them. */
    if (logged->query != NULL && !backend->plain) {
      const char *after;

      params = g_uri_parse_params (logged->query, -1, "&", G_URI_PARAMS_NONE, NULL);
      g_assert_nonnull (params);
      after = g_hash_table_lookup (params, "after");
      if (g_hash_table_contains (params, "limit"))
        limit = (guint) g_ascii_strtoull (g_hash_table_lookup (params, "limit"), NULL, 10);
      if (after != NULL) {
        g_assert_true (g_ptr_array_find (backend->bookmarks, find_bookmark (backend, after), &start));
        start++;
      }
    }
    for (guint i = start; i < backend->bookmarks->len && i - start < limit; i++)
      json_array_add_object_element (array, aa_json_object_copy (g_ptr_array_index (backend->bookmarks, i)));
    json_node_set_array (list, array);
    reply (msg, 200, list);
    logged->status = 200;
    return;
  }

  if (!g_queue_is_empty (&backend->statuses)) {
    logged->status = GPOINTER_TO_UINT (g_queue_pop_head (&backend->statuses));
    reply_error (msg, logged->status);
    return;
  }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  body = json_from_string (g_bytes_get_size (bytes) ? g_bytes_get_data (bytes, NULL) : "{}", NULL);

  if (g_str_equal (method, "POST") && g_str_equal (path, "/bookmarks")) {
    JsonObject *bookmark = aa_json_object_copy (json_node_get_object (body));
    g_autofree char *id = g_strdup_printf ("b%u", ++backend->next_id);

    json_object_set_string_member (bookmark, "id", id);
    json_object_set_boolean_member (bookmark, "starred", FALSE);
    json_object_set_int_member (bookmark, "version", 1);
    g_ptr_array_insert (backend->bookmarks, 0, bookmark);
    reply_object (msg, 201, bookmark);
    logged->status = 201;
  } else if (g_str_equal (method, "PATCH") && g_str_has_prefix (path, "/bookmarks/")) {
    JsonObject *bookmark = find_bookmark (backend, path + strlen ("/bookmarks/"));
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    if (bookmark == NULL) {
      logged->status = 404;
      reply_error (msg, 404);
      return;
    }
    json_object_iter_init (&iter, json_node_get_object (body));
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (bookmark, name, json_node_copy (node));
    json_object_set_int_member (bookmark, "version", json_object_get_int_member (bookmark, "version") + 1);
    reply_object (msg, 200, bookmark);
    logged->status = 200;
  } else {
    logged->status = 405;
    reply_error (msg, 405);
  }
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Backend *backend = user_data;

  if (backend->holding && !g_str_equal (soup_server_message_get_method (msg), "GET")) {
    soup_server_message_pause (msg);
    g_ptr_array_add (backend->held, g_object_ref (msg));
    return;
  }

  handle (backend, msg);
}

static void
release (Backend *backend)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&backend->held);

  backend->held = g_ptr_array_new_with_free_func (g_object_unref);
  backend->holding = FALSE;
  for (guint i = 0; i < held->len; i++) {
    handle (backend, g_ptr_array_index (held, i));
    soup_server_message_unpause (g_ptr_array_index (held, i));
  }
}

static JsonObject *
new_bookmark (const char *id,
              const char *title)
{
  JsonObject *bookmark = json_object_new ();

  json_object_set_string_member (bookmark, "id", id);
  json_object_set_string_member (bookmark, "title", title);
  json_object_set_boolean_member (bookmark, "starred", FALSE);
  json_object_set_int_member (bookmark, "version", 1);
  return bookmark;
}

static Backend *
backend_start (void)
{
  Backend *backend = g_new0 (Backend, 1);

  backend->bookmarks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  backend->log = g_ptr_array_new_with_free_func ((GDestroyNotify) logged_free);
  backend->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (backend->bookmarks, new_bookmark ("1", "GNOME"));
  g_ptr_array_add (backend->bookmarks, new_bookmark ("2", "GTK"));
  g_ptr_array_add (backend->bookmarks, new_bookmark ("3", "libsoup"));

  backend->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (backend->server, "/bookmarks", server_cb, backend, NULL);
  backend->url = aa_test_backend_listen (backend->server, NULL);

  return backend;
}

static void
backend_free (Backend *backend)
{
  g_clear_pointer (&backend->held, g_ptr_array_unref);
  soup_server_disconnect (backend->server);
  g_clear_object (&backend->server);
  g_ptr_array_unref (backend->bookmarks);
  g_ptr_array_unref (backend->log);
  g_queue_clear (&backend->statuses);
  g_free (backend->url);
  g_free (backend);
}

static guint
count_requests (Backend    *backend,
                const char *method)
{
  guint n = 0;

  for (guint i = 0; i < backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (backend->log, i);

    if (g_str_equal (logged->method, method))
      n++;
  }
  return n;
}

static Logged *
last_request (Backend *backend)
{
  g_assert_cmpuint (backend->log->len, >, 0);
  return g_ptr_array_index (backend->log, backend->log->len - 1);
}

/* The domain: bookmarks, defined here and nowhere in the engine */

#define BM_TYPE_PATCH (bm_patch_get_type ())
G_DECLARE_FINAL_TYPE (BmPatch, bm_patch, BM, PATCH, AaOperation)

/* Sets fields of a bookmark: star, rename. Undo is the inverse patch. */
struct _BmPatch
{
  AaOperation parent_instance;
};

G_DEFINE_FINAL_TYPE (BmPatch, bm_patch, AA_TYPE_OPERATION)

static AaRequest *
bm_patch_build_request (AaOperation *operation,
                        AaMutation  *mutation)
{
  g_autofree char *path = aa_path_build ("bookmarks", aa_resource_get_id (aa_mutation_get_target (mutation)), NULL);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (body, aa_mutation_get_patch (mutation));
  return aa_request_new ("PATCH", path, body, -1);
}

static char *
bm_patch_format_failure (AaOperation  *operation,
                         AaMutation   *mutation,
                         const GError *error)
{
  g_autofree char *what = g_strdup_printf ("Couldn’t change the bookmark “%s”.", aa_mutation_get_subject (mutation));

  return aa_feedback_compose_failure (what, mutation, error);
}

static void
bm_patch_class_init (BmPatchClass *klass)
{
  AA_OPERATION_CLASS (klass)->build_request = bm_patch_build_request;
  AA_OPERATION_CLASS (klass)->format_failure = bm_patch_format_failure;
}

static void
bm_patch_init (BmPatch *self)
{
}

#define BM_TYPE_CREATE (bm_create_get_type ())
G_DECLARE_FINAL_TYPE (BmCreate, bm_create, BM, CREATE, AaOperation)

/* Adds a bookmark: POST /bookmarks, its target local until the answer. */
struct _BmCreate
{
  AaOperation parent_instance;
};

G_DEFINE_FINAL_TYPE (BmCreate, bm_create, AA_TYPE_OPERATION)

static AaRequest *
bm_create_build_request (AaOperation *operation,
                         AaMutation  *mutation)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (body, aa_mutation_get_patch (mutation));
  return aa_request_new ("POST", "/bookmarks", body, -1);
}

static void
bm_create_class_init (BmCreateClass *klass)
{
  AA_OPERATION_CLASS (klass)->build_request = bm_create_build_request;
}

static void
bm_create_init (BmCreate *self)
{
}

/* Fixture */

typedef struct {
  Backend         *backend;
  AaRestClient    *client;
  AaEngine        *engine;
  AaResourceStore *store;
  AaOperation     *patch;
  AaOperation     *create;
  GPtrArray       *feedback;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

/* The backend holds two requests: an engine's SENT is its side of the
 * wire, and a request can still be on its way under load. */
static gboolean
holds_two (gpointer data)
{
  return ((Backend *) data)->held->len >= 2;
}

static gboolean
settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

static gboolean
refreshed (gpointer data)
{
  return *(gboolean *) data;
}

static void
refresh (Fixture *f)
{
  aa_test_backend_refresh (f->store, "/bookmarks");
}

static void
feedback_cb (AaEngine   *engine,
             AaFeedback *feedback,
             Fixture    *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AaRule rule = {
    AA_POLICY_OPTIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_NONE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
  };

  f->backend = backend_start ();
  f->client = aa_rest_client_new (f->backend->url);
  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  f->engine = aa_engine_new (f->client);
  f->store = aa_resource_store_new (f->engine, AA_TYPE_RESOURCE);
  f->patch = g_object_new (BM_TYPE_PATCH, "name", "patch-bookmark",
                           "flags", AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE, NULL);
  aa_operation_set_rule (f->patch, &rule);
  f->create = g_object_new (BM_TYPE_CREATE, "name", "add-bookmark", "flags", AA_OPERATION_CREATES, NULL);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->engine, "feedback", G_CALLBACK (feedback_cb), f);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 3);
}

static gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (AA_ENGINE (data)) == 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  release (f->backend);
  wait_until (idle, f->engine);
  g_ptr_array_unref (f->feedback);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->patch);
  g_object_unref (f->create);
  g_assert_finalize_object (f->client);
  backend_free (f->backend);
}

static AaResource *
bookmark (Fixture    *f,
          const char *id)
{
  AaResource *resource = aa_resource_store_lookup (f->store, id);

  g_assert_nonnull (resource);
  return resource;
}

static gboolean
shown_boolean (AaResource *resource,
               const char *member)
{
  return aa_state_get_boolean (aa_resource_get_shown (resource), member, FALSE);
}

static const char *
shown_string (AaResource *resource,
              const char *member)
{
  return aa_state_get_string (aa_resource_get_shown (resource), member, NULL);
}

static AaMutation *
set_member (Fixture    *f,
            AaResource *resource,
            const char *member,
            JsonNode   *value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  json_object_set_member (patch, member, value);
  mutation = aa_mutation_new (f->patch, resource, shown_string (resource, "title"), patch);
  return aa_engine_run (f->engine, mutation);
}

static AaMutation *
star (Fixture    *f,
      AaResource *resource,
      gboolean    starred)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, starred);
  return set_member (f, resource, "starred", value);
}

static AaMutation *
rename_bookmark (Fixture    *f,
                 AaResource *resource,
                 const char *title)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, title);
  return set_member (f, resource, "title", value);
}

/* Tests */

static void
test_optimistic_success (Fixture       *f,
                         gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *mutation = star (f, gnome, TRUE);

  /* Shown before the call returned, confirmed after. */
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_cmpint (aa_resource_get_sync_state (gnome), ==, AA_SYNC_STATE_PENDING);
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  g_assert_cmpint (aa_resource_get_sync_state (gnome), ==, AA_SYNC_STATE_SYNCED);
  g_assert_cmpstr (last_request (f->backend)->method, ==, "PATCH");
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/1");
  g_assert_cmpstr (last_request (f->backend)->key, ==, aa_mutation_get_idempotency_key (mutation));
  g_assert_cmpstr (aa_mutation_get_label (mutation), ==, "Change “GNOME”");
}

static void
test_rollback_keeps_later (Fixture       *f,
                           gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *renaming;

  /* The star fails while a rename waits behind it: the star rolls back to
   * the confirmed state, and the rename stays shown and is sent. */
  f->backend->holding = TRUE;
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, gnome, TRUE);
  renaming = rename_bookmark (f, gnome, "GNOME Foundation");
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_QUEUED);

  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_false (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
  wait_until (settled, renaming);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
}

static void
test_order_per_resource (Fixture       *f,
                         gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaResource *gtk = bookmark (f, "2");
  AaMutation *first, *second, *other;

  /* One request per resource at a time; other resources are not held up. */
  f->backend->holding = TRUE;
  first = rename_bookmark (f, gnome, "One");
  second = rename_bookmark (f, gnome, "Two");
  other = star (f, gtk, TRUE);
  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (other), ==, AA_MUTATION_STATE_SENT);

  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "Two");

  /* Both on the server before it answers, so that the order it logs is the
   * order the engine kept: the second rename can only come after. */
  wait_until (holds_two, f->backend);
  release (f->backend);
  wait_until (idle, f->engine);
  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 3);
  /* In order: the second one last. */
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/1");
  g_assert_cmpstr (last_request (f->backend)->key, ==, aa_mutation_get_idempotency_key (second));
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gnome), "title", NULL), ==, "Two");
}

static void
test_ordered_fields (Fixture       *f,
                     gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *renaming, *starring;

  /* Different fields are not coalesced, and go in order. */
  f->backend->holding = TRUE;
  renaming = rename_bookmark (f, gnome, "One");
  starring = star (f, gnome, TRUE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_QUEUED);
  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 2);
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *clicks[3];

  /* On, off, on: the first is sent, the second is replaced by the third,
   * and the third is what the server confirmed already. One request. */
  f->backend->holding = TRUE;
  clicks[0] = star (f, gnome, TRUE);
  clicks[1] = star (f, gnome, FALSE);
  clicks[2] = star (f, gnome, TRUE);
  g_assert_cmpint (aa_mutation_get_state (clicks[1]), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_true (shown_boolean (gnome, "starred"));

  release (f->backend);
  wait_until (idle, f->engine);
  g_assert_cmpint (aa_mutation_get_state (clicks[0]), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (clicks[2]), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 1);
}

static void
test_temporary_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) create = NULL;
  AaMutation *starring;
  AaResource *added;

  /* The new bookmark exists at once under a local id; what is queued
   * behind its create goes out with the server's id. */
  json_object_set_string_member (state, "title", "Flathub");
  json_object_set_boolean_member (state, "starred", FALSE);
  json_object_set_string_member (patch, "title", "Flathub");
  f->backend->holding = TRUE;
  added = aa_resource_store_add_local (f->store, 0, state);
  g_assert_true (aa_resource_is_local (added));
  g_assert_true (g_str_has_prefix (aa_resource_get_id (added), "local-"));
  g_assert_true (aa_resource_store_lookup (f->store, aa_resource_get_id (added)) == added);
  create = aa_mutation_new (f->create, added, "Flathub", patch);
  aa_engine_run (f->engine, create);
  starring = star (f, added, TRUE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_QUEUED);

  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_resource_is_local (added));
  g_assert_cmpstr (aa_resource_get_id (added), ==, "b1");
  g_assert_true (aa_resource_store_lookup (f->store, "b1") == added);
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/b1");
  g_assert_true (shown_boolean (added, "starred"));
}

static void
test_failed_create (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) create = NULL;
  AaResource *added;

  /* A failed create keeps its object, unsaved; dismissing it lets it go. */
  json_object_set_string_member (state, "title", "Flathub");
  json_object_set_string_member (patch, "title", "Flathub");
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  added = aa_resource_store_add_local (f->store, 0, state);
  create = aa_mutation_new (f->create, added, "Flathub", patch);
  aa_engine_run (f->engine, create);
  wait_until (settled, create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpint (aa_resource_get_sync_state (added), ==, AA_SYNC_STATE_UNSAVED);
  g_assert_true (aa_resource_store_contains (f->store, added));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);

  aa_engine_dismiss (f->engine, create);
  g_assert_false (aa_resource_store_contains (f->store, added));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_false (aa_engine_retry (f->engine, create));
}

static void
test_refresh_keeps_pending (Fixture       *f,
                            gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring;

  /* A refresh while the star is on its way replaces the confirmed state
   * only: the star stays shown. */
  f->backend->holding = TRUE;
  starring = star (f, gnome, TRUE);
  refresh (f);
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_false (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  release (f->backend);
  wait_until (settled, starring);
  g_assert_true (shown_boolean (gnome, "starred"));
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *undo, *renaming, *unsent;

  /* Undo of a sent change is a real request with the values from before. */
  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_true (aa_engine_get_undoable (f->engine) == starring);
  undo = aa_engine_undo (f->engine, starring);
  g_assert_nonnull (undo);
  g_assert_true (aa_mutation_get_undo_of (undo) == starring);
  g_assert_false (shown_boolean (gnome, "starred"));
  wait_until (settled, undo);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_false (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 2);

  /* Undo of one never sent cancels it, and nothing is sent. */
  f->backend->holding = TRUE;
  renaming = rename_bookmark (f, gnome, "One");
  unsent = star (f, gnome, TRUE);
  g_assert_true (aa_engine_undo (f->engine, unsent) == unsent);
  g_assert_cmpint (aa_mutation_get_state (unsent), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_false (shown_boolean (gnome, "starred"));
  release (f->backend);
  wait_until (settled, renaming);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 3);
}

static void
test_retry_same_key (Fixture       *f,
                     gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring;
  AaFeedback *feedback;
  Logged *first, *second;

  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_false (shown_boolean (gnome, "starred"));
  feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_RETRY);
  g_assert_cmpstr (aa_feedback_get_title (feedback), ==,
                   "Couldn’t change the bookmark “GNOME”. The server had a problem. Retry in a moment.");

  g_assert_true (aa_engine_retry (f->engine, starring));
  g_assert_true (shown_boolean (gnome, "starred"));
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (starring), ==, 2);

  g_assert_cmpuint (f->backend->log->len, ==, 3);  /* GET, PATCH 500, PATCH 200 */
  first = g_ptr_array_index (f->backend->log, 1);
  second = g_ptr_array_index (f->backend->log, 2);
  g_assert_cmpuint (first->status, ==, 500);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpstr (first->key, ==, second->key);
  g_assert_cmpstr (first->key, ==, aa_mutation_get_idempotency_key (starring));
}

static void
test_activity_log (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *log = aa_engine_get_mutations (f->engine);
  AaMutation *a, *b;
  g_autoptr(AaMutation) newest = NULL;
  g_autoptr(AaMutation) oldest = NULL;

  a = star (f, bookmark (f, "1"), TRUE);
  b = star (f, bookmark (f, "2"), TRUE);
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 2);
  wait_until (idle, f->engine);

  /* Newest first, every state and time kept. */
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 2);
  newest = g_list_model_get_item (log, 0);
  oldest = g_list_model_get_item (log, 1);
  g_assert_true (newest == b);
  g_assert_true (oldest == a);
  g_assert_cmpint (aa_mutation_get_finished_at (a), >=, aa_mutation_get_sent_at (a));
  g_assert_cmpint (aa_mutation_get_sent_at (a), >=, aa_mutation_get_queued_at (a));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
}

static void
test_unsettled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) unsettled = NULL;
  AaMutation *pending, *failed, *gone;

  /* Quitting waits for what is on its way and what a retry could save,
   * not for what can never succeed. */
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  failed = star (f, bookmark (f, "1"), TRUE);
  wait_until (settled, failed);
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (404));
  gone = star (f, bookmark (f, "2"), TRUE);
  wait_until (settled, gone);
  f->backend->holding = TRUE;
  pending = star (f, bookmark (f, "3"), TRUE);

  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_cmpuint (unsettled->len, ==, 2);
  g_assert_true (g_ptr_array_index (unsettled, 0) == pending);
  g_assert_true (g_ptr_array_index (unsettled, 1) == failed);
}

static void
test_superseded_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) unsettled = NULL;
  AaResource *gnome = bookmark (f, "1");
  AaMutation *failed, *again;

  /* A failed change that a newer one of the same fields then saved has
   * nothing left to save: it stops counting and quitting does not name it. */
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  failed = star (f, gnome, TRUE);
  wait_until (settled, failed);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);

  again = star (f, gnome, TRUE);
  wait_until (settled, again);
  g_assert_cmpint (aa_mutation_get_state (again), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_cmpuint (unsettled->len, ==, 0);
}

typedef struct {
  guint            status;
  gint             code;
  gboolean         removed;
  AaFeedbackAction action;
  const char      *says;
} StatusCase;

/* Retry only where a retry can succeed; an object gone from the server
 * leaves the view with a calm message. */
static const StatusCase status_cases[] = {
  { 404, AA_ERROR_NOT_FOUND,    TRUE,  AA_FEEDBACK_ACTION_NONE,  "deleted elsewhere, so it’s no longer shown" },
  { 410, AA_ERROR_GONE,         TRUE,  AA_FEEDBACK_ACTION_NONE,  "removed for good, so it’s no longer shown" },
  { 401, AA_ERROR_UNAUTHORIZED, FALSE, AA_FEEDBACK_ACTION_NONE,  "sign in again" },
  { 403, AA_ERROR_PERMISSION,   FALSE, AA_FEEDBACK_ACTION_NONE,  "Ask an owner" },
  { 500, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
  { 503, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
  { 429, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
};

static void
test_truthful_feedback (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++) {
    const StatusCase *c = &status_cases[i];
    g_autoptr(GPtrArray) unsettled = NULL;
    AaResource *resource;
    AaMutation *mutation, *queued;
    AaFeedback *feedback;

    g_test_message ("status %u", c->status);
    refresh (f);
    resource = bookmark (f, "1");
    f->backend->holding = TRUE;
    g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (c->status));
    mutation = star (f, resource, !shown_boolean (resource, "starred"));
    queued = rename_bookmark (f, resource, "Renamed");
    release (f->backend);
    wait_until (settled, mutation);

    g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, c->code);
    feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
    g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
    g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
    g_assert_cmpint (aa_feedback_get_action (feedback), ==, c->action);
    g_assert_nonnull (strstr (aa_feedback_get_title (feedback), c->says));
    g_assert_nonnull (strstr (aa_feedback_get_title (feedback), aa_mutation_get_subject (mutation)));

    unsettled = aa_engine_list_unsettled (f->engine);
    g_assert_true (g_ptr_array_find (unsettled, mutation, NULL) == (c->action == AA_FEEDBACK_ACTION_RETRY));

    if (c->removed) {
      /* Out of the view, what was queued for it cancelled, no retry. */
      g_assert_false (aa_resource_store_contains (f->store, resource));
      g_assert_cmpint (aa_mutation_get_state (queued), ==, AA_MUTATION_STATE_UNDONE);
      g_assert_false (aa_engine_retry (f->engine, mutation));
      g_assert_false (aa_engine_can_undo (f->engine, mutation));
      g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 1);
    } else {
      g_assert_true (aa_resource_store_contains (f->store, resource));
      wait_until (settled, queued);
      aa_engine_dismiss (f->engine, mutation);
    }

    wait_until (idle, f->engine);
    g_ptr_array_set_size (f->backend->log, 0);
    /* The next case starts from the server's bookmarks again. */
    if (c->removed)
      g_assert_null (aa_resource_store_lookup (f->store, "1"));
  }
}

static gboolean
waiting (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_WAITING;
}

static gboolean
unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

static void
test_unreachable_and_timeout (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaEngine) engine = NULL;
  g_autoptr(AaResourceStore) store = NULL;
  g_autoptr(AaOperation) patch = NULL;
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  g_autoptr(AaFeedback) feedback = NULL;
  g_autofree char *url = NULL;
  AaResource *resource;
  guint16 port;

  /* Nothing listens on the port of a listener that was closed. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = aa_rest_client_new (url);

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |

                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  engine = aa_engine_new (client);
  store = aa_resource_store_new (engine, AA_TYPE_RESOURCE);
  patch = g_object_new (BM_TYPE_PATCH, "flags", AA_OPERATION_SETS_FIELDS, NULL);
  json_object_set_string_member (state, "title", "GNOME");
  resource = aa_resource_store_add_local (store, 0, state);
  json_object_set_boolean_member (change, "starred", TRUE);
  mutation = aa_mutation_new (patch, resource, "GNOME", change);
  aa_engine_run (engine, mutation);
  wait_until (waiting, mutation);

  /* Never reached: nothing applied, so the star stays shown and waits for
   * the server, never failed, nothing to retry. */
  g_assert_null (aa_mutation_get_error (mutation));
  g_assert_true (aa_mutation_is_pending (mutation));
  g_assert_false (aa_connectivity_get_reachable (aa_engine_get_connectivity (engine)));
  g_assert_cmpuint (aa_engine_get_n_failed (engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_waiting (engine), ==, 1);
  g_assert_true (aa_state_get_boolean (aa_resource_get_shown (resource), "starred", FALSE));
  g_assert_cmpint (aa_resource_get_sync_state (resource), ==, AA_SYNC_STATE_WAITING);
  feedback = aa_feedback_new_for_mutation (mutation);
  g_assert_null (feedback);
  g_assert_nonnull (strstr (aa_mutation_get_message (mutation), "waiting to be sent when the server is back"));
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  AaMutation *starring;
  AaFeedback *feedback;

  /* The server never answers in time: the outcome is unknown, never a
   * failure, and the same request is sent again, with the same key, once
   * a probe is answered. */
  aa_rest_client_set_timeout (f->client, 1);
  f->backend->holding = TRUE;
  starring = star (f, bookmark (f, "1"), TRUE);
  wait_until (unknown, starring);
  g_assert_null (aa_mutation_get_error (starring));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_unknown (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "1")), ==, AA_SYNC_STATE_UNKNOWN);

  f->backend->holding = FALSE;
  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (starring), >=, 2);
  for (guint i = 0; i < f->feedback->len; i++) {
    feedback = g_ptr_array_index (f->feedback, i);
    g_assert_null (strstr (aa_feedback_get_title (feedback), "Couldn"));
  }
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AaRule) rule = aa_rule_new ();
  AaMutation *starring;

  /* The rule alone decides: a dialog before, a toast with Undo after. */
  g_assert_false (aa_operation_asks_first (f->patch));
  rule->before = AA_FEEDBACK_TIER_DIALOG;
  rule->success = AA_FEEDBACK_TIER_TOAST;
  rule->success_action = AA_FEEDBACK_ACTION_UNDO;
  rule->policy = AA_POLICY_PESSIMISTIC;
  aa_operation_set_rule (f->patch, rule);
  g_assert_true (aa_operation_asks_first (f->patch));

  /* Pessimistic: nothing shown until the server says so, busy meanwhile. */
  f->backend->holding = TRUE;
  starring = star (f, bookmark (f, "1"), TRUE);
  g_assert_false (shown_boolean (bookmark (f, "1"), "starred"));
  g_assert_true (aa_resource_get_busy (bookmark (f, "1")));
  release (f->backend);
  wait_until (settled, starring);
  g_assert_true (shown_boolean (bookmark (f, "1"), "starred"));
  g_assert_false (aa_resource_get_busy (bookmark (f, "1")));
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_cmpint (aa_feedback_get_tier (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_ACTION_UNDO);
  g_assert_cmpstr (aa_feedback_get_action_label (g_ptr_array_index (f->feedback, 0)), ==, "Undo");
}

static void
test_refresh_removes (Fixture       *f,
                      gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  g_autoptr(AaResource) keep = g_object_ref (gtk);
  AaMutation *starring;

  /* What the server no longer lists leaves, unless it has changes on
   * their way; the order of the others is kept. */
  f->backend->holding = TRUE;
  starring = star (f, gtk, TRUE);
  g_ptr_array_remove_range (f->backend->bookmarks, 1, 2);
  refresh (f);
  g_assert_true (aa_resource_store_contains (f->store, gtk));
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  release (f->backend);
  wait_until (settled, starring);
}

/* Removed elsewhere */

/* An event says the bookmark was removed by someone else. */
static void
remove_elsewhere (Fixture    *f,
                  const char *id)
{
  g_assert_true (aa_resource_store_apply_remote (f->store, id, NULL, NULL, NULL));
  aa_resource_store_flush_remote (f->store);
}

/* Nothing holds @mutation but the activity log: the request that carried
 * it was answered and let go. */
static gboolean
answered (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static gboolean
holds_one (gpointer data)
{
  return ((Backend *) data)->held->len == 1;
}

static void
assert_removed_elsewhere (AaMutation *mutation)
{
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE);
}

/* Removed elsewhere with a change on its way and another queued behind it:
 * it leaves at once, the queued one is never sent, one message without
 * Retry, and the answer of the one on its way changes nothing, whether it
 * is a 404 (@data: the server has it no more) or a success that raced the
 * removal. */
static void
test_removed_elsewhere_pending (Fixture       *f,
                                gconstpointer  data)
{
  gboolean purged_on_server = GPOINTER_TO_INT (data);
  AaResource *gnome = bookmark (f, "1");
  g_autoptr(AaResource) keep = g_object_ref (gnome);
  AaMutation *starring, *renaming;
  AaFeedback *feedback;
  guint patches = count_requests (f->backend, "PATCH");

  f->backend->holding = TRUE;
  starring = star (f, gnome, TRUE);
  renaming = rename_bookmark (f, gnome, "GNOME Shell");
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_QUEUED);
  wait_until (holds_one, f->backend);

  remove_elsewhere (f, "1");

  /* At once: out of the store, nothing pending, one calm message about the
   * newest change, naming the bookmark, without Retry. */
  g_assert_false (aa_resource_store_contains (f->store, gnome));
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  assert_removed_elsewhere (starring);
  assert_removed_elsewhere (renaming);
  g_assert_false (aa_engine_has_pending (f->engine, gnome));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  feedback = g_ptr_array_index (f->feedback, 0);
  g_assert_true (aa_feedback_get_mutation (feedback) == renaming);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "“GNOME”"));
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "deleted elsewhere"));
  g_assert_false (aa_engine_retry (f->engine, starring));
  g_assert_false (aa_engine_retry (f->engine, renaming));
  {
    g_autoptr(GPtrArray) unsettled = aa_engine_list_unsettled (f->engine);

    g_assert_cmpuint (unsettled->len, ==, 0);
  }

  /* The answer of the one on its way: nothing comes back, nothing more
   * is said, and the queued one was never sent. */
  if (purged_on_server)
    g_ptr_array_remove_index (f->backend->bookmarks, 0);
  release (f->backend);
  wait_until (answered, starring);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, patches + 1);
  g_assert_cmpuint (last_request (f->backend)->status, ==, purged_on_server ? 404 : 200);
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  assert_removed_elsewhere (starring);
  assert_removed_elsewhere (renaming);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
}

/* Removed elsewhere with nothing of ours on its way: it just leaves, and
 * nothing is said. A change that failed and waits for a retry is the user
 * acting on it: dropped, with one message, and no retry left. */
static void
test_removed_elsewhere_idle (Fixture       *f,
                             gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  g_autoptr(AaResource) keep = g_object_ref (gtk);
  AaMutation *starring;
  guint requests = f->backend->log->len;

  remove_elsewhere (f, "2");
  g_assert_false (aa_resource_store_contains (f->store, gtk));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_cmpuint (f->backend->log->len, ==, requests);

  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, bookmark (f, "3"), TRUE);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 1);

  remove_elsewhere (f, "3");
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  assert_removed_elsewhere (starring);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (f->feedback->len, ==, 2);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 1)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_false (aa_engine_retry (f->engine, starring));
  g_assert_cmpuint (f->backend->log->len, ==, requests + 1);
}

/* An Undo offered before the removal sends nothing and says why, instead
 * of doing nothing or restoring what is gone. */
static void
test_removed_elsewhere_undo (Fixture       *f,
                             gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *undo;
  guint requests;

  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_true (aa_engine_get_undoable (f->engine) == starring);
  requests = f->backend->log->len;

  remove_elsewhere (f, "1");
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_null (aa_engine_get_undoable (f->engine));
  g_assert_false (aa_engine_can_undo (f->engine, starring));

  g_assert_null (aa_engine_undo (f->engine, starring));
  g_assert_cmpuint (f->feedback->len, ==, 1);
  undo = aa_feedback_get_mutation (g_ptr_array_index (f->feedback, 0));
  assert_removed_elsewhere (undo);
  g_assert_cmpuint (aa_mutation_get_attempts (undo), ==, 0);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
  g_assert_cmpuint (f->backend->log->len, ==, requests);
}

/* A change made elsewhere that bumps no version (a move to a trash, say)
 * is not taken back by a list the server read before it. */
static void
test_remote_before_stale_list (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) renamed = new_bookmark ("1", "Renamed elsewhere");
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint sent_at = aa_engine_get_clock (f->engine);

  g_ptr_array_add (stale, new_bookmark ("1", "GNOME"));
  g_ptr_array_add (stale, new_bookmark ("2", "GTK"));
  g_ptr_array_add (stale, new_bookmark ("3", "libsoup"));

  g_assert_true (aa_resource_store_apply_remote (f->store, "1", renamed, NULL, NULL));
  aa_resource_store_flush_remote (f->store);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "Renamed elsewhere");

  aa_resource_store_apply_states (f->store, stale, sent_at, NULL, NULL);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "Renamed elsewhere");

  /* A list read after it is believed. */
  aa_resource_store_apply_states (f->store, stale, aa_engine_get_clock (f->engine), NULL, NULL);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "GNOME");
}

/* Paged refreshes */

static void
add_bookmarks (Backend *backend,
               guint    n)
{
  for (guint i = 1; i <= n; i++) {
    g_autofree char *id = g_strdup_printf ("b%u", i);
    g_autofree char *title = g_strdup_printf ("Bookmark %u", i);

    g_ptr_array_add (backend->bookmarks, new_bookmark (id, title));
  }
}

static void
assert_same_order (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->store);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->backend->bookmarks->len);
  for (guint i = 0; i < f->backend->bookmarks->len; i++) {
    g_autoptr(AaResource) resource = g_list_model_get_item (model, i);

    g_assert_cmpstr (aa_resource_get_id (resource), ==,
                     json_object_get_string_member (g_ptr_array_index (f->backend->bookmarks, i), "id"));
  }
}

static guint
count_gets (Fixture *f)
{
  return count_requests (f->backend, "GET");
}

typedef struct {
  Fixture *f;
  guint    n_parts;
  guint    n_first;       /* resources after the first part */
  gboolean complete_then; /* the store said complete after the first part */
  gboolean three_then;    /* "3", no longer listed, was still there */
} Parts;

static void
page_applied_cb (AaResourceStore *store,
                 Parts           *parts)
{
  if (parts->n_parts++ > 0)
    return;
  parts->n_first = g_list_model_get_n_items (G_LIST_MODEL (store));
  parts->complete_then = aa_resource_store_get_complete (store);
  parts->three_then = aa_resource_store_lookup (store, "3") != NULL;
}

static void
test_refresh_pages (Fixture       *f,
                    gconstpointer  data)
{
  Parts parts = { f, };
  guint gets = count_gets (f);
  Logged *second;

  g_assert_true (aa_resource_store_get_complete (f->store));
  add_bookmarks (f->backend, 21);
  g_ptr_array_remove_index (f->backend->bookmarks, 2);   /* "3" */
  aa_resource_store_set_first_page_size (f->store, 4);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (page_applied_cb), &parts);
  refresh (f);

  /* 23 bookmarks, a first page of 4, then pages of 10: the first shown at
   * once, while the list was not complete and "3" not yet gone; all in
   * order at the end. */
  g_assert_cmpuint (count_gets (f) - gets, ==, 3);
  g_assert_cmpuint (parts.n_first, ==, 4 + 1);
  g_assert_false (parts.complete_then);
  g_assert_true (parts.three_then);
  g_assert_cmpuint (parts.n_parts, >=, 3);
  assert_same_order (f);
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  g_assert_true (aa_resource_store_get_complete (f->store));
  second = g_ptr_array_index (f->backend->log, f->backend->log->len - 2);
  g_assert_cmpstr (second->query, ==, "limit=10&after=b2");
  g_signal_handlers_disconnect_by_data (f->store, &parts);
}

/* Remote changes while the pages come are newer than the pages. */
static void
remote_during_pages_cb (AaResourceStore *store,
                        Parts           *parts)
{
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) created = NULL;

  if (parts->n_parts++ > 0)
    return;

  /* One on a page still to come changes, one is removed, one is new. */
  changed = new_bookmark ("b15", "Changed elsewhere");
  json_object_set_int_member (changed, "version", 2);
  created = new_bookmark ("new", "Created elsewhere");
  g_assert_true (aa_resource_store_apply_remote (store, "b15", changed, "b14", NULL));
  g_assert_true (aa_resource_store_apply_remote (store, "b16", NULL, NULL, NULL));
  g_assert_true (aa_resource_store_apply_remote (store, "new", created, NULL, NULL));
  aa_resource_store_flush_remote (store);
  /* Nothing of it is out of place meanwhile. */
  g_assert_null (aa_resource_store_lookup (store, "b15"));
  g_assert_null (aa_resource_store_lookup (store, "new"));
}

static void
test_refresh_pages_remote (Fixture       *f,
                           gconstpointer  data)
{
  Parts parts = { f, };
  g_autoptr(AaResource) first = NULL;

  add_bookmarks (f->backend, 22);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (remote_during_pages_cb), &parts);
  refresh (f);
  g_signal_handlers_disconnect_by_data (f->store, &parts);

  /* The page read before the change did not undo it; the removed one did
   * not come back; the new one, in no page, did not leave. */
  g_assert_cmpstr (shown_string (bookmark (f, "b15"), "title"), ==, "Changed elsewhere");
  g_assert_null (aa_resource_store_lookup (f->store, "b16"));
  first = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_cmpstr (aa_resource_get_id (first), ==, "new");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 25 - 1 + 1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->store)); i++) {
    g_autoptr(AaResource) resource = g_list_model_get_item (G_LIST_MODEL (f->store), i);

    if (g_str_equal (aa_resource_get_id (resource), "b15")) {
      g_autoptr(AaResource) before = g_list_model_get_item (G_LIST_MODEL (f->store), i - 1);

      g_assert_cmpstr (aa_resource_get_id (before), ==, "b14");
    }
  }
}

static void
cancel_cb (AaResourceStore *store,
           GCancellable    *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
refresh_cancelled_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *(gboolean *) user_data = TRUE;
}

/* Cancelled between pages: it ends with that, what came is kept, nothing
 * claims to be complete, and the next refresh reads it all. */
static void
test_refresh_pages_cancel (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  add_bookmarks (f->backend, 30);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (cancel_cb), cancellable);
  aa_resource_store_refresh_full_async (f->store, "/bookmarks", NULL, NULL, NULL, cancellable,
                                        refresh_cancelled_cb, &done);
  wait_until (refreshed, &done);
  g_signal_handlers_disconnect_by_data (f->store, cancellable);
  g_assert_false (aa_resource_store_get_complete (f->store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), >=, 10);

  refresh (f);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));
}

/* A server that knows no pages sends its whole list: read once. One that
 * ignores only "after" repeats the first page: the refresh ends there. */
static void
test_refresh_pages_plain (Fixture       *f,
                          gconstpointer  data)
{
  guint gets;

  add_bookmarks (f->backend, 22);
  f->backend->plain = TRUE;
  aa_resource_store_set_page_size (f->store, 10);
  gets = count_gets (f);
  refresh (f);
  g_assert_cmpuint (count_gets (f) - gets, ==, 1);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));

  g_ptr_array_set_size (f->backend->bookmarks, 10);
  gets = count_gets (f);
  refresh (f);
  g_assert_cmpuint (count_gets (f) - gets, ==, 2);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));
}

/* A state keeps every member, typed, and gives back the object it was made of. */
static void
test_state (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\": \"7\", \"title\": \"GNOME\", \"starred\": true,"
                                                " \"version\": 3, \"score\": 0.5, \"note\": null,"
                                                " \"tags\": [\"a\", {\"b\": 1}]}", NULL);
  g_autoptr(JsonNode) reordered = json_from_string ("{\"tags\": [\"a\", {\"b\": 1}], \"note\": null, \"score\": 0.5,"
                                                    " \"version\": 3, \"starred\": true, \"title\": \"GNOME\", \"id\": \"7\"}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\": \"7\", \"title\": \"GTK\", \"starred\": true,"
                                                " \"version\": 3, \"score\": 0.5, \"note\": null,"
                                                " \"tags\": [\"a\", {\"b\": 1}]}", NULL);
  g_autoptr(AaState) state = aa_state_new (json_node_get_object (node));
  g_autoptr(AaState) same = aa_state_new (json_node_get_object (reordered));
  g_autoptr(AaState) changed = aa_state_new (json_node_get_object (other));
  g_autoptr(JsonObject) object = aa_state_dup_object (state);
  g_autoptr(JsonNode) back = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) member = aa_state_dup_member (state, "tags");
  g_autoptr(GList) names = json_object_get_members (object);

  g_assert_cmpstr (aa_state_get_string (state, "id", NULL), ==, "7");
  g_assert_cmpstr (aa_state_get_string (state, "title", NULL), ==, "GNOME");
  g_assert_true (aa_state_get_boolean (state, "starred", FALSE));
  g_assert_cmpint (aa_state_get_int (state, "version", -1), ==, 3);
  g_assert_cmpfloat (aa_state_get_double (state, "score", 0), ==, 0.5);
  g_assert_true (aa_state_has_member (state, "note"));
  g_assert_null (aa_state_get_string (state, "note", NULL));
  g_assert_cmpstr (aa_state_get_string (state, "absent", "default"), ==, "default");
  g_assert_cmpint (aa_state_get_int (state, "title", -1), ==, -1);
  g_assert_false (aa_state_has_member (state, "absent"));
  g_assert_null (aa_state_dup_member (state, "absent"));

  /* Nested members come back as they were; the object keeps the order. */
  g_assert_true (json_node_equal (back, node));
  g_assert_cmpstr (names->data, ==, "id");
  g_assert_cmpstr (g_list_last (names)->data, ==, "tags");
  g_assert_true (json_node_equal (member, json_object_get_member (json_node_get_object (node), "tags")));

  g_assert_true (aa_state_equal (state, same));
  g_assert_false (aa_state_equal (state, changed));
  g_assert_true (aa_state_member_equal (state, changed, "starred"));
  g_assert_false (aa_state_member_equal (state, changed, "title"));
  g_assert_true (aa_state_member_equal (state, changed, "absent"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("optimistic-success", test_optimistic_success);
  ADD ("rollback-keeps-later", test_rollback_keeps_later);
  ADD ("order-per-resource", test_order_per_resource);
  ADD ("ordered-fields", test_ordered_fields);
  ADD ("coalescing", test_coalescing);
  ADD ("temporary-id", test_temporary_id);
  ADD ("failed-create", test_failed_create);
  ADD ("refresh-keeps-pending", test_refresh_keeps_pending);
  ADD ("refresh-removes", test_refresh_removes);
  ADD ("remote-before-stale-list", test_remote_before_stale_list);
  g_test_add ("/Aa/Engine/removed-elsewhere/pending-purged", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_removed_elsewhere_pending, fixture_teardown);
  g_test_add ("/Aa/Engine/removed-elsewhere/pending-raced", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_removed_elsewhere_pending, fixture_teardown);
  ADD ("removed-elsewhere/idle", test_removed_elsewhere_idle);
  ADD ("removed-elsewhere/undo", test_removed_elsewhere_undo);
  ADD ("refresh-pages", test_refresh_pages);
  ADD ("refresh-pages-remote", test_refresh_pages_remote);
  ADD ("refresh-pages-plain", test_refresh_pages_plain);
  ADD ("refresh-pages-cancel", test_refresh_pages_cancel);
  ADD ("undo", test_undo);
  ADD ("retry-same-key", test_retry_same_key);
  ADD ("activity-log", test_activity_log);
  ADD ("unsettled", test_unsettled);
  ADD ("superseded-failure", test_superseded_failure);
  ADD ("truthful-feedback", test_truthful_feedback);
  ADD ("timeout", test_timeout);
  ADD ("rules", test_rules);
  g_test_add_func ("/Aa/Engine/unreachable", test_unreachable_and_timeout);
  g_test_add_func ("/Aa/Engine/state", test_state);

  return g_test_run ();
}
