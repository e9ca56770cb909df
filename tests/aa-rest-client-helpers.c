/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-rest-client.h"
#include "aa-rest-client-helpers.h"

/* Helpers: run one request to completion on the default main context. */

void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *res = user_data;

  res->node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result,
                                             &res->replayed, &res->error);
  res->done = TRUE;
}

gboolean
result_done (gpointer user_data)
{
  Result *res = user_data;

  return res->done;
}

JsonNode *
request_full (AaRestClient  *client,
              const char    *method,
              const char    *path,
              const char    *body_json,
              const char    *key,
              gint64         if_match_version,
              GCancellable  *cancellable,
              gboolean      *out_replayed,
              GError       **error)
{
  g_autoptr(JsonNode) body = NULL;
  Result res = { 0 };

  if (body_json != NULL) {
    g_autoptr(GError) parse_error = NULL;

    body = json_from_string (body_json, &parse_error);
    g_assert_no_error (parse_error);
  }

  aa_rest_client_request_async (client, method, path, body, key, if_match_version,
                                cancellable, result_cb, &res);
  aa_test_wait_until (result_done, &res, 20000);

  g_assert_true ((res.node == NULL) != (res.error == NULL));
  if (out_replayed != NULL)
    *out_replayed = res.replayed;
  if (res.error != NULL)
    g_propagate_error (error, res.error);

  return res.node;
}

/* A request that must succeed. */
JsonNode *
request_ok (AaRestClient *client,
            const char   *method,
            const char   *path,
            const char   *body_json)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (!g_str_equal (method, "GET"))
    key = aa_rest_client_new_idempotency_key ();

  node = request_full (client, method, path, body_json, key, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* A request that must fail with @code; returns the error for more checks. */
GError *
request_error (AaRestClient *client,
               const char   *method,
               const char   *path,
               const char   *body_json,
               gint64        if_match_version,
               AaError       code)
{
  g_autofree char *key = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  if (!g_str_equal (method, "GET"))
    key = aa_rest_client_new_idempotency_key ();

  node = request_full (client, method, path, body_json, key, if_match_version, NULL, NULL, &error);
  g_assert_error (error, AA_ERROR, (int) code);
  g_assert_null (node);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");

  return error;
}

AaRestClient *
client_for (AaTestServer *server)
{
  AaRestClient *client = aa_rest_client_new (server->url);

  aa_rest_client_set_token (client, server->token);
  return client;
}

/* The server's stats record paths relative to the API prefix. */
guint
count_requests (AaTestServer *server,
                const char   *method,
                const char   *path_prefix)
{
  return aa_test_count_requests (server, method, path_prefix);
}

char *
create_item (AaRestClient *client,
             const char   *title)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  json = json_to_string (body, FALSE);

  node = request_ok (client, "POST", "/items", json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  id = aa_json_dup_id (json_node_get_object (node), "id", &error);
  g_assert_no_error (error);

  return id;
}

/* How many items in GET /items have @title. */
guint
count_items_titled (AaRestClient *client,
                    const char   *title)
{
  g_autoptr(JsonNode) node = request_ok (client, "GET", "/items", NULL);
  JsonArray *array;
  guint count = 0;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *item = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member_with_default (item, "title", NULL), title) == 0)
      count++;
  }

  return count;
}

/* The id of the first element of GET @path whose @member equals @value. */
char *
find_id (AaRestClient *client,
         const char   *path,
         const char   *member,
         const char   *value)
{
  g_autoptr(JsonNode) node = request_ok (client, "GET", path, NULL);
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL), value) == 0) {
      g_autoptr(GError) error = NULL;
      char *id = aa_json_dup_id (object, "id", &error);

      g_assert_no_error (error);
      return id;
    }
  }

  g_error ("No element of %s has %s = %s", path, member, value);
  return NULL;
}

static gboolean
unpause_cb (gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  TinyServer *tiny = g_object_get_data (G_OBJECT (msg), "tiny");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
  soup_server_message_unpause (msg);
  tiny->slow_answered = TRUE;

  return G_SOURCE_REMOVE;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
tiny_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  TinyServer *tiny = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  tiny->n_requests++;
  g_free (tiny->last_path);
  tiny->last_path = g_strdup (path);
  g_free (tiny->last_method);
  tiny->last_method = g_strdup (soup_server_message_get_method (msg));
#define RECORD(field, name) \
  g_free (tiny->field); \
  tiny->field = g_strdup (soup_message_headers_get_one (headers, name));
  RECORD (idempotency_key, "Idempotency-Key")
  RECORD (if_match, "If-Match")
  RECORD (authorization, "Authorization")
  RECORD (accept, "Accept")
  RECORD (content_type, "Content-Type")
  RECORD (user_agent, "User-Agent")
#undef RECORD
  g_free (tiny->body);
  tiny->body = body->length > 0 ? g_strndup (body->data, body->length) : NULL;

  if (g_str_equal (path, "/api/v1/echo") || g_str_equal (path, "/echo")) {
    respond (msg, 200, "{\"ok\": true}");
  } else if (g_str_equal (path, "/api/v1/malformed")) {
    respond (msg, 200, "{\"id\": \"1\", \"title\": ");
  } else if (g_str_equal (path, "/api/v1/not-utf8")) {
    respond (msg, 200, "\"\xff\xfe\"");
  } else if (g_str_equal (path, "/api/v1/html-404")) {
    soup_server_message_set_status (msg, 404, NULL);
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                      "<h1>Not here</h1>", strlen ("<h1>Not here</h1>"));
  } else if (g_str_equal (path, "/api/v1/teapot")) {
    respond (msg, 418, "{\"error\": \"short and stout\"}");
  } else if (g_str_equal (path, "/api/v1/maintenance")) {
    respond (msg, 503, "{\"error\": {\"code\": \"maintenance\", \"message\": \"Down for maintenance.\"}}");
  } else if (g_str_equal (path, "/api/v1/empty")) {
    soup_server_message_set_status (msg, 204, NULL);
  } else if (g_str_equal (path, "/api/v1/replayed")) {
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Idempotent-Replayed", "true");
    respond (msg, 200, "{\"ok\": true}");
  } else if (g_str_equal (path, "/api/v1/items")) {
    /* What a conventional backend might send: numeric ids, optional members
     * left out or null, and members we have never heard of. */
    respond (msg, 200,
             "[{\"id\": 42, \"title\": \"Numeric id\", \"starred\": true,"
             "  \"owner\": {\"name\": \"Ana\", \"tags\": [1, 2]}},"
             " {\"id\": \"abc\", \"title\": \"String id\", \"notes\": null, \"done\": true,"
             "  \"version\": 3, \"updated_at\": \"2026-01-01T10:00:00Z\", \"x-extra\": 1.5},"
             " {\"id\": 7.0, \"title\": \"Float id\", \"version\": 2.0, \"done\": null}]");
  } else if (g_str_equal (path, "/api/v1/wrong-shapes")) {
    respond (msg, 200,
             "{\"id\": true, \"title\": 5, \"done\": \"yes\", \"version\": \"3\","
             " \"notes\": [], \"fraction\": 1.5, \"empty_id\": \"\", \"object_id\": {},"
             " \"huge\": 1e300}");
  } else if (g_str_equal (path, "/api/v1/slow")) {
    g_object_set_data (G_OBJECT (msg), "tiny", tiny);
    soup_server_message_pause (msg);
    g_timeout_add (300, unpause_cb, g_object_ref (msg));
  } else {
    respond (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"No such path.\"}}");
  }
}

TinyServer *
tiny_server_new (void)
{
  TinyServer *tiny = g_new0 (TinyServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *root = NULL;

  tiny->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (tiny->server, NULL, tiny_handler, tiny, NULL);
  soup_server_listen_local (tiny->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (tiny->server);
  g_assert_nonnull (uris);
  root = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* The root ends in '/': the base URL gets the prefix without one. */
  tiny->url = g_strconcat (root, "api/v1", NULL);

  return tiny;
}

void
tiny_server_free (TinyServer *tiny)
{
  soup_server_disconnect (tiny->server);
  /* Let the closed connections finish on the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (tiny->server);
  g_free (tiny->url);
  g_free (tiny->last_path);
  g_free (tiny->last_method);
  g_free (tiny->idempotency_key);
  g_free (tiny->if_match);
  g_free (tiny->authorization);
  g_free (tiny->accept);
  g_free (tiny->content_type);
  g_free (tiny->user_agent);
  g_free (tiny->body);
  g_free (tiny);
}


/* Reads one request; returns its "METHOD /path", or NULL at end of stream. */
static char *
raw_read_request (GSocket      *socket,
                  GCancellable *cancellable)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  const char *end;
  const char *length_header;
  gsize header_len;
  gsize content_length = 0;

  while ((end = strstr (data->str, "\r\n\r\n")) == NULL) {
    char buf[1024];
    gssize n = g_socket_receive (socket, buf, sizeof buf, cancellable, NULL);

    if (n <= 0)
      return NULL;
    g_string_append_len (data, buf, n);
  }

  header_len = end + 4 - data->str;
  length_header = strstr (data->str, "Content-Length: ");
  if (length_header != NULL && length_header < end)
    content_length = g_ascii_strtoull (length_header + strlen ("Content-Length: "), NULL, 10);

  while (data->len < header_len + content_length) {
    char buf[1024];
    gssize n = g_socket_receive (socket, buf, sizeof buf, cancellable, NULL);

    if (n <= 0)
      return NULL;
    g_string_append_len (data, buf, n);
  }

  words = g_strsplit (data->str, " ", 3);
  g_assert_cmpuint (g_strv_length (words), ==, 3);

  return g_strdup_printf ("%s %s", words[0], words[1]);
}

static void
raw_send (GSocket    *socket,
          const char *text)
{
  g_socket_send_with_blocking (socket, text, strlen (text), TRUE, NULL, NULL);
}

typedef struct {
  RawServer *raw;
  GSocket   *socket;
} RawConnection;

static gpointer
raw_connection_thread (gpointer user_data)
{
  RawConnection *connection = user_data;
  RawServer *raw = connection->raw;
  GSocket *socket = connection->socket;
  char *request;

  while ((request = raw_read_request (socket, raw->cancellable)) != NULL) {
    const char *path = strchr (request, ' ') + 1;
    gboolean keep_open = FALSE;

    g_mutex_lock (&raw->lock);
    g_ptr_array_add (raw->requests, request);
    g_mutex_unlock (&raw->lock);

    if (g_str_has_suffix (path, "/ok")) {
      raw_send (socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: 11\r\n\r\n{\"ok\":true}");
      keep_open = TRUE;
    } else if (g_str_has_suffix (path, "/garbage")) {
      raw_send (socket, "HTTX/1.1 ???\r\n\r\n");
    } else if (g_str_has_suffix (path, "/partial")) {
      raw_send (socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100\r\n\r\n{\"id\": ");
    } else if (g_str_has_suffix (path, "/reset")) {
      struct linger linger = { 1, 0 };

      /* Closing with a zero linger time sends RST instead of FIN. */
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
    /* Anything else ("/close"): close without answering. */

    if (!keep_open)
      break;
  }

  g_socket_close (socket, NULL);
  g_object_unref (socket);
  g_free (connection);

  return NULL;
}

/* One thread per connection, as a kept-alive connection stays open while
 * the client opens new ones. */
static gpointer
raw_server_thread (gpointer user_data)
{
  RawServer *raw = user_data;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  GSocket *socket;

  while ((socket = g_socket_accept (raw->listener, raw->cancellable, NULL)) != NULL) {
    RawConnection *connection = g_new0 (RawConnection, 1);

    connection->raw = raw;
    connection->socket = socket;
    g_mutex_lock (&raw->lock);
    raw->n_connections++;
    g_mutex_unlock (&raw->lock);
    g_ptr_array_add (threads, g_thread_new ("raw-connection", raw_connection_thread, connection));
  }

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  return NULL;
}

RawServer *
raw_server_new (void)
{
  RawServer *raw = g_new0 (RawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  raw->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (raw->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (raw->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (raw->listener, &error);
  g_assert_no_error (error);

  raw->url = g_strdup_printf ("http://127.0.0.1:%u/api/v1",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  raw->cancellable = g_cancellable_new ();
  raw->requests = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&raw->lock);
  raw->thread = g_thread_new ("raw-server", raw_server_thread, raw);

  return raw;
}

void
raw_server_free (RawServer *raw)
{
  g_cancellable_cancel (raw->cancellable);
  g_thread_join (raw->thread);
  g_socket_close (raw->listener, NULL);
  g_clear_object (&raw->listener);
  g_clear_object (&raw->cancellable);
  g_ptr_array_unref (raw->requests);
  g_mutex_clear (&raw->lock);
  g_free (raw->url);
  g_free (raw);
}


guint
raw_server_count (RawServer  *raw,
                  const char *request)
{
  guint count = 0;

  g_mutex_lock (&raw->lock);
  for (guint i = 0; i < raw->requests->len; i++) {
    if (g_str_equal (g_ptr_array_index (raw->requests, i), request))
      count++;
  }
  g_mutex_unlock (&raw->lock);

  return count;
}
