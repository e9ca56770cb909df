/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-bookmarks-backend.h"
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

JsonObject *
find_bookmark (Backend    *backend,
               const char *id)
{
  return aa_test_backend_find (backend->bookmarks, id);
}

/* A copy of @object as it is now, for an answer. */
static JsonNode *
snapshot (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, aa_json_object_copy (object));
  return node;
}

static void
reply_error (SoupServerMessage *msg,
             guint              status)
{
  g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"test\", \"message\": \"Refused with %u by the test.\"}}", status);

  aa_test_backend_reply (msg, status, body);
}

static void
close_without_answer (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* GET /bookmarks, in keyset pages: after the bookmark ID, at most "limit"
 * of them. */
static void
list (Backend           *backend,
      SoupServerMessage *msg,
      const char        *query)
{
  g_autoptr(JsonNode) list = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GHashTable) params = NULL;
  guint start = 0, limit = G_MAXUINT;

  if (query != NULL && !backend->plain) {
    const char *after;

    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
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
  aa_test_backend_reply_node (msg, 200, list);
}

/* Applies a change, returning its answer and status. */
static JsonNode *
apply (Backend    *backend,
       const char *method,
       char      **parts,
       JsonNode   *body,
       guint      *out_status)
{
  JsonObject *bookmark = parts[1] != NULL ? find_bookmark (backend, parts[1]) : NULL;

  if (g_str_equal (method, "POST") && parts[1] == NULL) {
    g_autofree char *id = g_strdup_printf ("b%u", ++backend->next_id);

    bookmark = aa_json_object_copy (json_node_get_object (body));
    json_object_set_string_member (bookmark, "id", id);
    json_object_set_boolean_member (bookmark, "starred", FALSE);
    json_object_set_int_member (bookmark, "version", 1);
    g_ptr_array_insert (backend->bookmarks, 0, bookmark);
    *out_status = 201;
    return snapshot (bookmark);
  }

  if (bookmark == NULL) {
    *out_status = 404;
    return NULL;
  }
  if (g_str_equal (method, "PATCH") && parts[2] == NULL) {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, json_node_get_object (body));
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (bookmark, name, json_node_copy (node));
  } else if (g_str_equal (method, "POST") && g_strcmp0 (parts[2], "approve") == 0) {
    json_object_set_boolean_member (bookmark, "approved", TRUE);
  } else {
    *out_status = 405;
    return NULL;
  }
  json_object_set_int_member (bookmark, "version", json_object_get_int_member (bookmark, "version") + 1);
  *out_status = 200;
  return snapshot (bookmark);
}

static void
handle (Backend           *backend,
        SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);  /* bookmarks, id, action */
  Logged *logged = g_new0 (Logged, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonNode *recorded;
  Fault fault;

  logged->method = g_strdup (method);
  logged->path = g_strdup (path);
  logged->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  logged->key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  g_ptr_array_add (backend->log, logged);

  if (g_str_equal (method, "GET") && parts[1] != NULL) {
    JsonObject *bookmark = find_bookmark (backend, parts[1]);

    if (!g_queue_is_empty (&backend->read_statuses))
      logged->status = GPOINTER_TO_UINT (g_queue_pop_head (&backend->read_statuses));
    else
      logged->status = bookmark != NULL ? 200 : 404;
    if (logged->status == 200) {
      answer = snapshot (bookmark);
      aa_test_backend_reply_node (msg, 200, answer);
    } else {
      reply_error (msg, logged->status);
    }
    return;
  }

  if (g_str_equal (method, "GET")) {
    list (backend, msg, logged->query);
    logged->status = 200;
    return;
  }

  fault = GPOINTER_TO_INT (g_queue_pop_head (&backend->faults));
  if (fault == FAULT_DROP) {
    close_without_answer (msg);
    return;
  }
  if (fault == FAULT_BUSY) {
    logged->status = 409;
    aa_test_backend_reply (msg, 409, "{\"error\": {\"code\": \"idempotency_in_flight\", \"message\": \"Still in flight.\"}}");
    return;
  }

  /* Applied once per key: the same key again gets the first answer. */
  recorded = logged->key != NULL ? g_hash_table_lookup (backend->answers, logged->key) : NULL;
  if (recorded != NULL) {
    logged->replayed = TRUE;
    logged->status = 200;
    if (fault == FAULT_LOSE) {
      close_without_answer (msg);
    } else {
      aa_test_backend_reply_node (msg, 200, recorded);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Idempotent-Replayed", "true");
    }
    return;
  }

  if (!g_queue_is_empty (&backend->statuses)) {
    logged->status = GPOINTER_TO_UINT (g_queue_pop_head (&backend->statuses));
    reply_error (msg, logged->status);
    return;
  }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  body = json_from_string (g_bytes_get_size (bytes) ? g_bytes_get_data (bytes, NULL) : "{}", NULL);
  answer = apply (backend, method, parts, body, &logged->status);
  if (answer == NULL) {
    reply_error (msg, logged->status);
    return;
  }
  logged->applied = TRUE;
  if (logged->key != NULL)
    g_hash_table_insert (backend->answers, g_strdup (logged->key), json_node_ref (answer));

  if (fault == FAULT_LOSE)
    close_without_answer (msg);
  else
    aa_test_backend_reply_node (msg, logged->status, answer);
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
  backend->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  backend->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (backend->bookmarks, new_bookmark ("1", "GNOME"));
  g_ptr_array_add (backend->bookmarks, new_bookmark ("2", "GTK"));
  g_ptr_array_add (backend->bookmarks, new_bookmark ("3", "libsoup"));

  backend->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (backend->server, "/bookmarks", server_cb, backend, NULL);
  backend->url = aa_test_backend_listen (backend->server, &backend->port);

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
  g_hash_table_unref (backend->answers);
  g_queue_clear (&backend->faults);
  g_queue_clear (&backend->statuses);
  g_queue_clear (&backend->read_statuses);
  g_free (backend->url);
  g_free (backend);
}

void
backend_up (Backend *backend)
{
  g_autoptr(GError) error = NULL;

  soup_server_listen_local (backend->server, backend->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
}

/* A real outage: nothing listens on the port, so a connection is refused
 * before any request is written. */
void
backend_down (Backend *backend)
{
  soup_server_disconnect (backend->server);
}

guint
count_requests (Backend    *backend,
                const char *method)
{
  return count_requests_to (backend, method, NULL);
}

/* Those of @method to @path, or to any path. */
guint
count_requests_to (Backend    *backend,
                   const char *method,
                   const char *path)
{
  guint n = 0;

  for (guint i = 0; i < backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (backend->log, i);

    if (g_str_equal (logged->method, method) && (path == NULL || g_str_equal (logged->path, path)))
      n++;
  }
  return n;
}

guint
count_applied (Backend    *backend,
               const char *path)
{
  guint n = 0;

  for (guint i = 0; i < backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (backend->log, i);

    if (logged->applied && g_str_equal (logged->path, path))
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
