/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "aa-bookmarks-fixture.h"
#include "aa-test-backend.h"

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

  if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/bookmarks/")) {
    JsonObject *bookmark = find_bookmark (backend, path + strlen ("/bookmarks/"));

    if (!g_queue_is_empty (&backend->read_statuses))
      logged->status = GPOINTER_TO_UINT (g_queue_pop_head (&backend->read_statuses));
    else
      logged->status = bookmark != NULL ? 200 : 404;
    if (logged->status == 200)
      reply_object (msg, 200, bookmark);
    else
      reply_error (msg, logged->status);
    return;
  }

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

void
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

JsonObject *
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

Backend *
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

void
backend_free (Backend *backend)
{
  g_clear_pointer (&backend->held, g_ptr_array_unref);
  soup_server_disconnect (backend->server);
  g_clear_object (&backend->server);
  g_ptr_array_unref (backend->bookmarks);
  g_ptr_array_unref (backend->log);
  g_queue_clear (&backend->statuses);
  g_queue_clear (&backend->read_statuses);
  g_free (backend->url);
  g_free (backend);
}

guint
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

Logged *
last_request (Backend *backend)
{
  g_assert_cmpuint (backend->log->len, >, 0);
  return g_ptr_array_index (backend->log, backend->log->len - 1);
}

/* The domain: bookmarks, defined here and nowhere in the engine */

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

void
wait_until (Condition condition,
            gpointer  data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

/* The backend holds two requests: an engine's SENT is its side of the
 * wire, and a request can still be on its way under load. */
gboolean
holds_two (gpointer data)
{
  return ((Backend *) data)->held->len >= 2;
}

gboolean
settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

gboolean
refreshed (gpointer data)
{
  return *(gboolean *) data;
}

void
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

void
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

gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (AA_ENGINE (data)) == 0;
}

void
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

AaResource *
bookmark (Fixture    *f,
          const char *id)
{
  AaResource *resource = aa_resource_store_lookup (f->store, id);

  g_assert_nonnull (resource);
  return resource;
}

gboolean
shown_boolean (AaResource *resource,
               const char *member)
{
  return aa_state_get_boolean (aa_resource_get_shown (resource), member, FALSE);
}

const char *
shown_string (AaResource *resource,
              const char *member)
{
  return aa_state_get_string (aa_resource_get_shown (resource), member, NULL);
}

AaMutation *
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

AaMutation *
star (Fixture    *f,
      AaResource *resource,
      gboolean    starred)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, starred);
  return set_member (f, resource, "starred", value);
}

AaMutation *
rename_bookmark (Fixture    *f,
                 AaResource *resource,
                 const char *title)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, title);
  return set_member (f, resource, "title", value);
}
