/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-rest-client.h"
#include "aa-test-utils.h"
#include "aa-validate.h"

/* Helpers: run one request to completion on the default main context. */

typedef struct {
  gboolean  done;
  JsonNode *node;
  GError   *error;
  gboolean  replayed;
} Result;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *res = user_data;

  res->node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result,
                                             &res->replayed, &res->error);
  res->done = TRUE;
}

static gboolean
result_done (gpointer user_data)
{
  Result *res = user_data;

  return res->done;
}

static JsonNode *
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
static JsonNode *
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
static GError *
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

static AaRestClient *
client_for (AaTestServer *server)
{
  AaRestClient *client = aa_rest_client_new (server->url);

  aa_rest_client_set_token (client, server->token);
  return client;
}

/* The server's stats record paths relative to the API prefix. */
static guint
count_requests (AaTestServer *server,
                const char   *method,
                const char   *path_prefix)
{
  return aa_test_count_requests (server, method, path_prefix);
}

static char *
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
static guint
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
static char *
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

/* A tiny SoupServer inside the test, for answers the real server never
 * gives (malformed JSON, foreign shapes) and to see the headers we send. */

typedef struct {
  SoupServer *server;
  char       *url;
  char       *last_path;
  char       *last_method;
  char       *idempotency_key;
  char       *if_match;
  char       *authorization;
  char       *accept;
  char       *content_type;
  char       *user_agent;
  char       *body;
  guint       n_requests;
  gboolean    slow_answered;
} TinyServer;

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

static TinyServer *
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

static void
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TinyServer, tiny_server_free)

/* A raw HTTP/1.1 server on its own thread, for the transport failures:
 * it closes, resets or garbles connections on purpose. */

typedef struct {
  GSocket      *listener;
  char         *url;
  GThread      *thread;
  GCancellable *cancellable;
  GMutex        lock;
  GPtrArray    *requests;     /* "METHOD /path" in arrival order */
  guint         n_connections;
} RawServer;

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

static RawServer *
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

static void
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

static guint
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

static void
test_transport_failures (void)
{
  g_autoptr(RawServer) raw = raw_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (raw->url);
  const struct {
    const char *method;
    const char *path;
  } cases[] = {
    { "POST", "/close" },
    { "GET", "/close" },
    { "PATCH", "/reset" },
    { "POST", "/garbage" },
    { "POST", "/partial" },
  };

  /* Whatever the socket said, once the request left it is "connection lost". */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *request = g_strdup_printf ("%s /api/v1%s", cases[i].method, cases[i].path);

    error = request_error (client, cases[i].method, cases[i].path,
                           g_str_equal (cases[i].method, "GET") ? NULL : "{}", -1,
                           AA_ERROR_CONNECTION_LOST);
    g_assert_true (aa_error_is_retryable (error));
    /* Mutations are never sent twice behind our back. */
    if (!g_str_equal (cases[i].method, "GET"))
      g_assert_cmpuint (raw_server_count (raw, request), ==, 1);
  }

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_no_silent_resend (void)
{
  g_autoptr(RawServer) raw = raw_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (raw->url);
  const char *methods[] = { "DELETE", "PUT", "PATCH", "POST" };

  /* A GET leaves a kept-alive connection open; on it libsoup would re-send
   * a DELETE or PUT that the server dropped. Ours fail exactly once. */
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_autoptr(JsonNode) ok = request_ok (client, "GET", "/ok", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *request = g_strdup_printf ("%s /api/v1/close", methods[i]);

    g_assert_true (JSON_NODE_HOLDS_OBJECT (ok));
    error = request_error (client, methods[i], "/close", NULL, -1, AA_ERROR_CONNECTION_LOST);
    g_assert_cmpuint (raw_server_count (raw, request), ==, 1);
  }

  g_assert_finalize_object (g_steal_pointer (&client));
}

/* Every AaError kind, each from the situation that really causes it. */

static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autofree char *url = aa_test_unreachable_url ();

  client = aa_rest_client_new (url);

  g_clear_error (&error);
  error = request_error (client, "GET", "/items", NULL, -1, AA_ERROR_OFFLINE);
  g_clear_error (&error);
  error = request_error (client, "POST", "/items", "{\"title\": \"Offline\"}", -1, AA_ERROR_OFFLINE);
  g_assert_true (aa_error_is_retryable (error));

  g_assert_finalize_object (g_steal_pointer (&client));
}

/* The server goes away between two requests: the kept-alive connection
 * is dead and nothing listens any more. */
static void
test_offline_after_keep_alive (void)
{
  g_autoptr(RawServer) raw = raw_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (raw->url);
  g_autoptr(JsonNode) ok = request_ok (client, "GET", "/ok", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (ok));
  g_clear_pointer (&raw, raw_server_free);

  error = request_error (client, "GET", "/ok", NULL, -1, AA_ERROR_OFFLINE);
  g_clear_error (&error);
  error = request_error (client, "PATCH", "/ok", "{}", -1, AA_ERROR_OFFLINE);

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_timeout (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  aa_rest_client_set_timeout (client, 1);
  aa_test_set_faults (server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 5000}");

  start = g_get_monotonic_time ();
  error = request_error (client, "POST", "/items", "{\"title\": \"Slow\"}", -1, AA_ERROR_TIMEOUT);
  elapsed = g_get_monotonic_time () - start;

  /* It gave up at the client's timeout, not when the server closed. */
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC * 4);
  g_assert_true (aa_error_is_retryable (error));
}

static void
test_connection_lost (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;

  aa_test_set_faults (server, "{\"next\": [\"drop\"]}");
  error = request_error (client, "POST", "/items", "{\"title\": \"Dropped\"}", -1,
                         AA_ERROR_CONNECTION_LOST);
  g_assert_true (aa_error_is_retryable (error));
  g_assert_cmpuint (count_items_titled (client, "Dropped"), ==, 0);
  g_clear_error (&error);

  /* A DELETE on a kept-alive connection (the GET above left one idle): libsoup
   * would re-send it on its own; we must see the failure exactly once. */
  id = create_item (client, "Delete me");
  g_assert_cmpuint (count_items_titled (client, "Delete me"), ==, 1);
  path = g_strdup_printf ("/items/%s", id);
  key = aa_rest_client_new_idempotency_key ();

  aa_test_set_faults (server, "{\"next\": [\"drop\"]}");
  node = request_full (client, "DELETE", path, NULL, key, -1, NULL, NULL, &error);
  g_assert_error (error, AA_ERROR, AA_ERROR_CONNECTION_LOST);
  g_assert_null (node);
  g_clear_error (&error);
  g_assert_cmpuint (count_requests (server, "DELETE", "/items/"), ==, 1);
  g_assert_cmpuint (count_items_titled (client, "Delete me"), ==, 1);

  /* The explicit retry, with the same key, goes through. */
  node = request_full (client, "DELETE", path, NULL, key, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpuint (count_requests (server, "DELETE", "/items/"), ==, 2);
  g_assert_cmpuint (count_items_titled (client, "Delete me"), ==, 0);
}

static void
test_server_error (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;

  aa_test_set_faults (server, "{\"next\": [\"error-500\"]}");
  error = request_error (client, "POST", "/items", "{\"title\": \"Five hundred\"}", -1,
                         AA_ERROR_SERVER);
  g_assert_true (aa_error_is_retryable (error));
  g_assert_cmpuint (count_items_titled (client, "Five hundred"), ==, 0);
}

static void
test_conflict (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) item = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autofree char *id = create_item (client, "Versioned");
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  gint64 version = -1;
  gint64 new_version = -1;

  item = request_ok (client, "GET", path, NULL);
  g_assert_true (aa_json_get_int (json_node_get_object (item), "version", -1, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, >=, 0);

  /* The current version applies... */
  {
    g_autofree char *key = aa_rest_client_new_idempotency_key ();

    patched = request_full (client, "PATCH", path, "{\"title\": \"Versioned 2\"}", key,
                            version, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (aa_json_get_int (json_node_get_object (patched), "version", -1,
                                    &new_version, &error));
    g_assert_no_error (error);
    g_assert_cmpint (new_version, ==, version + 1);
  }

  /* ...the one we had before is stale now. */
  error = request_error (client, "PATCH", path, "{\"title\": \"Versioned 3\"}", version,
                         AA_ERROR_CONFLICT);
  g_assert_false (aa_error_is_retryable (error));
  g_assert_cmpuint (count_items_titled (client, "Versioned 2"), ==, 1);
}

static void
test_state (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *paid = find_id (client, "/invoices", "status", "paid");
  g_autofree char *body = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4242 4242 4242 4242\"}",
                                           paid);

  error = request_error (client, "POST", "/payments", body, -1, AA_ERROR_STATE);
  g_assert_false (aa_error_is_retryable (error));
}

static void
test_permission (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) me = request_ok (client, "GET", "/me", NULL);
  g_autofree char *member = find_id (client, "/members", "role", "member");
  g_autofree char *path = g_strdup_printf ("/members/%s", member);

  /* The seed signs in an admin, who cannot make owners. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (me), "role"), ==, "admin");
  error = request_error (client, "PATCH", path, "{\"role\": \"owner\"}", -1, AA_ERROR_PERMISSION);
  g_assert_false (aa_error_is_retryable (error));
}

static void
test_validation (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) raw = NULL;
  g_autofree char *key = aa_rest_client_new_idempotency_key ();
  guint status = 0;

  error = request_error (client, "POST", "/items", "{\"title\": \"   \"}", -1, AA_ERROR_VALIDATION);
  g_assert_false (aa_error_is_retryable (error));

  /* The message is the server's own. */
  raw = aa_test_request (server, "POST", "/items", "{\"title\": \"   \"}", &status, NULL,
                         "Idempotency-Key", key, NULL);
  g_assert_cmpuint (status, ==, 422);
  g_assert_nonnull (raw);
  g_assert_cmpstr (error->message, ==,
                   json_object_get_string_member (json_object_get_object_member (json_node_get_object (raw), "error"),
                                                  "message"));
}

static void
test_payment_declined (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *open = find_id (client, "/invoices", "status", "open");
  g_autofree char *body = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4000 0000 0000 0002\"}",
                                           open);

  error = request_error (client, "POST", "/payments", body, -1, AA_ERROR_REFUSED);
  g_assert_false (aa_error_is_retryable (error));
}

static void
test_not_found (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;

  error = request_error (client, "GET", "/items/no-such-item", NULL, -1, AA_ERROR_NOT_FOUND);
  g_assert_false (aa_error_is_retryable (error));
}

static void
test_gone (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_item (client, "Purged");
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autofree char *restore = g_strdup_printf ("/items/%s/restore", id);
  g_autoptr(JsonNode) deleted = request_ok (client, "DELETE", path, NULL);
  g_autoptr(JsonNode) emptied = request_ok (client, "POST", "/trash/empty", NULL);

  g_assert_nonnull (deleted);
  g_assert_nonnull (emptied);
  error = request_error (client, "POST", restore, NULL, -1, AA_ERROR_GONE);
  g_assert_false (aa_error_is_retryable (error));
}

static void
test_unauthorized (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autoptr(AaRestClient) client = aa_rest_client_new (server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) items = NULL;

  error = request_error (client, "GET", "/items", NULL, -1, AA_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  aa_rest_client_set_token (client, "wrong");
  error = request_error (client, "POST", "/items", "{\"title\": \"Intruder\"}", -1,
                         AA_ERROR_UNAUTHORIZED);
  g_assert_false (aa_error_is_retryable (error));

  aa_rest_client_set_token (client, "s3cret");
  items = request_ok (client, "GET", "/items", NULL);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (items));
  g_assert_cmpuint (count_items_titled (client, "Intruder"), ==, 0);
}

static void
test_bad_response (void)
{
  g_autoptr(TinyServer) tiny = tiny_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (tiny->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  error = request_error (client, "GET", "/malformed", NULL, -1, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = request_error (client, "GET", "/not-utf8", NULL, -1, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* An error status from a foreign shape: the kind from the status, the
   * message from the status too. */
  error = request_error (client, "GET", "/teapot", NULL, -1, AA_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "418"));
  g_clear_error (&error);
  error = request_error (client, "GET", "/html-404", NULL, -1, AA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);
  error = request_error (client, "GET", "/maintenance", NULL, -1, AA_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "Down for maintenance.");
  g_clear_error (&error);

  /* No body at all is a JSON null, not an error. */
  node = request_ok (client, "GET", "/empty", NULL);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_wrong_shapes (void)
{
  g_autoptr(TinyServer) tiny = tiny_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (tiny->url);
  g_autoptr(JsonNode) node = request_ok (client, "GET", "/wrong-shapes", NULL);
  JsonObject *object = json_node_get_object (node);
  const char *id_members[] = { "id", "notes", "fraction", "empty_id", "object_id", "missing", "huge" };
  g_autoptr(GError) error = NULL;
  gboolean flag = TRUE;
  gint64 number = 99;
  char *string;

  for (guint i = 0; i < G_N_ELEMENTS (id_members); i++) {
    string = aa_json_dup_id (object, id_members[i], &error);
    g_assert_null (string);
    g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
    g_assert_nonnull (strstr (error->message, id_members[i]));
    g_clear_error (&error);
  }

  string = aa_json_dup_string (object, "title", "default", &error);
  g_assert_null (string);
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "title"));
  g_clear_error (&error);

  g_assert_false (aa_json_get_boolean (object, "done", FALSE, &flag, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "done"));
  g_clear_error (&error);

  g_assert_false (aa_json_get_int (object, "version", 0, &number, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "version"));
  g_clear_error (&error);

  g_assert_false (aa_json_get_int (object, "fraction", 0, &number, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  g_assert_false (aa_json_get_int (object, "huge", 0, &number, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  g_assert_false (aa_json_get_int (object, "notes", 0, &number, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* Failures leave the out values alone. */
  g_assert_true (flag);
  g_assert_cmpint (number, ==, 99);
}

static void
test_tolerance (void)
{
  g_autoptr(TinyServer) tiny = tiny_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (tiny->url);
  g_autoptr(JsonNode) node = request_ok (client, "GET", "/items", NULL);
  const struct {
    const char *id;
    const char *title;
    const char *notes;
    gboolean    starred;
    gboolean    done;
    gint64      version;
    const char *updated_at;
  } expected[] = {
    { "42", "Numeric id", "", TRUE, FALSE, -1, NULL },
    { "abc", "String id", "", FALSE, TRUE, 3, "2026-01-01T10:00:00Z" },
    { "7", "Float id", "", FALSE, FALSE, 2, NULL },
  };
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    JsonObject *object = json_array_get_object_element (array, i);
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;
    g_autofree char *title = NULL;
    g_autofree char *notes = NULL;
    g_autofree char *updated_at = NULL;
    gboolean starred = -1;
    gboolean done = -1;
    gint64 version = 0;

    id = aa_json_dup_id (object, "id", &error);
    g_assert_no_error (error);
    title = aa_json_dup_string (object, "title", NULL, &error);
    g_assert_no_error (error);
    notes = aa_json_dup_string (object, "notes", "", &error);
    g_assert_no_error (error);
    updated_at = aa_json_dup_string (object, "updated_at", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (aa_json_get_boolean (object, "starred", FALSE, &starred, &error));
    g_assert_no_error (error);
    g_assert_true (aa_json_get_boolean (object, "done", FALSE, &done, &error));
    g_assert_no_error (error);
    g_assert_true (aa_json_get_int (object, "version", -1, &version, &error));
    g_assert_no_error (error);

    g_assert_cmpstr (id, ==, expected[i].id);
    g_assert_cmpstr (title, ==, expected[i].title);
    g_assert_cmpstr (notes, ==, expected[i].notes);
    g_assert_cmpstr (updated_at, ==, expected[i].updated_at);
    g_assert_cmpint (starred, ==, expected[i].starred);
    g_assert_cmpint (done, ==, expected[i].done);
    g_assert_cmpint (version, ==, expected[i].version);
  }
}

static void
test_headers (void)
{
  g_autoptr(TinyServer) tiny = tiny_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (tiny->url);
  g_autoptr(AaRestClient) slash_client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *slash_url = g_strconcat (tiny->url, "/", NULL);
  gboolean replayed = TRUE;

  aa_rest_client_set_token (client, "t0ken");
  node = request_full (client, "PATCH", "/echo", "{\"title\": \"Héllo\"}", "key-1", 7,
                       NULL, &replayed, &error);
  g_assert_no_error (error);
  g_assert_false (replayed);
  g_assert_cmpstr (tiny->last_method, ==, "PATCH");
  g_assert_cmpstr (tiny->last_path, ==, "/api/v1/echo");
  g_assert_cmpstr (tiny->idempotency_key, ==, "key-1");
  g_assert_cmpstr (tiny->if_match, ==, "\"7\"");
  g_assert_cmpstr (tiny->authorization, ==, "Bearer t0ken");
  g_assert_cmpstr (tiny->accept, ==, "application/json");
  g_assert_cmpstr (tiny->content_type, ==, "application/json");
  g_assert_cmpstr (tiny->user_agent, ==, "async-actions/" PACKAGE_VERSION);
  g_assert_cmpstr (tiny->body, ==, "{\"title\":\"Héllo\"}");
  g_clear_pointer (&node, json_node_unref);

  /* A read sends neither key nor version nor body; version 0 is a version. */
  aa_rest_client_set_token (client, NULL);
  node = request_full (client, "GET", "echo", NULL, NULL, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tiny->last_path, ==, "/api/v1/echo");
  g_assert_null (tiny->idempotency_key);
  g_assert_null (tiny->if_match);
  g_assert_null (tiny->authorization);
  g_assert_null (tiny->body);
  g_clear_pointer (&node, json_node_unref);

  slash_client = aa_rest_client_new (slash_url);
  node = request_full (slash_client, "DELETE", "/echo", NULL, "key-2", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tiny->last_path, ==, "/api/v1/echo");
  g_assert_cmpstr (tiny->idempotency_key, ==, "key-2");
  g_assert_cmpstr (tiny->if_match, ==, "\"0\"");
  g_clear_pointer (&node, json_node_unref);

  node = request_full (client, "POST", "/replayed", "{}", "key-3", -1, NULL, &replayed, &error);
  g_assert_no_error (error);
  g_assert_true (replayed);

  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_finalize_object (g_steal_pointer (&slash_client));
}

static void
test_replayed (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) retry = NULL;
  g_autofree char *key = aa_rest_client_new_idempotency_key ();
  g_autofree char *id = NULL;
  gboolean replayed = TRUE;

  aa_test_set_faults (server, "{\"next\": [\"lost-response\"]}");
  first = request_full (client, "POST", "/items", "{\"title\": \"Exactly once\"}", key, -1,
                        NULL, &replayed, &error);
  g_assert_error (error, AA_ERROR, AA_ERROR_CONNECTION_LOST);
  g_assert_null (first);
  g_assert_false (replayed);
  g_clear_error (&error);

  /* It was applied, but we could not know. */
  g_assert_cmpuint (count_items_titled (client, "Exactly once"), ==, 1);

  retry = request_full (client, "POST", "/items", "{\"title\": \"Exactly once\"}", key, -1,
                        NULL, &replayed, &error);
  g_assert_no_error (error);
  g_assert_true (replayed);
  id = aa_json_dup_id (json_node_get_object (retry), "id", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (count_items_titled (client, "Exactly once"), ==, 1);
}

static gboolean
slow_arrived (gpointer user_data)
{
  TinyServer *tiny = user_data;

  return tiny->n_requests > 0;
}

static gboolean
slow_answered (gpointer user_data)
{
  TinyServer *tiny = user_data;

  return tiny->slow_answered;
}

static void
test_cancel (void)
{
  g_autoptr(TinyServer) tiny = tiny_server_new ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (tiny->url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  Result res = { 0 };

  /* In flight: the tiny server holds the answer for 300 ms. */
  aa_rest_client_request_async (client, "POST", "/slow", NULL, "key-slow", -1, cancellable,
                                result_cb, &res);
  aa_test_wait_until (slow_arrived, tiny, 5000);
  g_cancellable_cancel (cancellable);
  aa_test_wait_until (result_done, &res, 5000);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (res.node);
  g_assert_false (aa_error_is_retryable (res.error));
  g_assert_cmpstr (aa_error_get_next_step (res.error), !=, "");
  g_clear_error (&res.error);
  aa_test_wait_until (slow_answered, tiny, 5000);

  /* Cancelled before it started. */
  g_cancellable_cancel (cancelled);
  node = request_full (client, "GET", "/echo", NULL, NULL, -1, cancelled, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (node);
  g_assert_cmpuint (tiny->n_requests, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
assert_next_step (const GError *error)
{
  const char *step = aa_error_get_next_step (error);

  g_assert_nonnull (step);
  g_assert_cmpuint (strlen (step), >, 10);
  g_assert_null (strstr (step, "Something went wrong"));
  g_assert_null (strstr (step, "Unknown error"));
  /* A full sentence. */
  g_assert_true (g_ascii_isupper (step[0]));
  g_assert_true (g_str_has_suffix (step, "."));
}

static void
test_next_steps (void)
{
  GEnumClass *enum_class;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const struct {
    AaError  code;
    gboolean retryable;
  } kinds[] = {
    { AA_ERROR_OFFLINE, TRUE },
    { AA_ERROR_TIMEOUT, TRUE },
    { AA_ERROR_CONNECTION_LOST, TRUE },
    { AA_ERROR_SERVER, TRUE },
    { AA_ERROR_CONFLICT, FALSE },
    { AA_ERROR_STATE, FALSE },
    { AA_ERROR_PERMISSION, FALSE },
    { AA_ERROR_VALIDATION, FALSE },
    { AA_ERROR_REFUSED, FALSE },
    { AA_ERROR_NOT_FOUND, FALSE },
    { AA_ERROR_GONE, FALSE },
    { AA_ERROR_UNAUTHORIZED, FALSE },
    { AA_ERROR_BAD_RESPONSE, FALSE },
    { AA_ERROR_REMOVED_ELSEWHERE, FALSE },
  };
  const GError foreign[] = {
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, (char *) "Operation was cancelled" },
    { G_IO_ERROR, G_IO_ERROR_FAILED, (char *) "Failed" },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, (char *) "Not found" },
    { G_FILE_ERROR, G_FILE_ERROR_NOSPC, (char *) "No space" },
    { G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, (char *) "Parse" },
  };

  g_assert_cmpstr (g_quark_to_string (AA_ERROR), ==, "aa-error-quark");

  /* Every code of the enum is covered, and each step is its own. */
  enum_class = g_type_class_ref (AA_TYPE_ERROR);
  g_assert_cmpuint (enum_class->n_values, ==, G_N_ELEMENTS (kinds));
  g_type_class_unref (enum_class);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    g_autoptr(GError) error = g_error_new_literal (AA_ERROR, kinds[i].code, "detail");
    const char *step = aa_error_get_next_step (error);

    assert_next_step (error);
    g_assert_cmpint (aa_error_is_retryable (error), ==, kinds[i].retryable);
    g_hash_table_add (seen, (gpointer) step);
  }
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (kinds));

  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    assert_next_step (&foreign[i]);
}

static void
test_properties (void)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:1/api/v1");
  g_autofree char *base_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *key1 = aa_rest_client_new_idempotency_key ();
  g_autofree char *key2 = aa_rest_client_new_idempotency_key ();
  guint timeout = 0;

  g_assert_cmpstr (aa_rest_client_get_base_url (client), ==, "http://127.0.0.1:1/api/v1");
  g_assert_null (aa_rest_client_get_token (client));
  g_assert_cmpuint (aa_rest_client_get_timeout (client), ==, 10);

  aa_rest_client_set_token (client, "abc");
  g_object_get (client, "base-url", &base_url, "token", &token, "timeout", &timeout, NULL);
  g_assert_cmpstr (base_url, ==, "http://127.0.0.1:1/api/v1");
  g_assert_cmpstr (token, ==, "abc");
  g_assert_cmpuint (timeout, ==, 10);

  g_assert_true (g_uuid_string_is_valid (key1));
  g_assert_cmpstr (key1, !=, key2);

  g_assert_finalize_object (g_steal_pointer (&client));

  /* A timeout given at construction reaches the session too. */
  client = g_object_new (AA_TYPE_REST_CLIENT, "base-url", "http://127.0.0.1:1", "timeout", 2, NULL);
  g_assert_cmpuint (aa_rest_client_get_timeout (client), ==, 2);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:1/api/v1");
  guint token_notifies = 0;
  guint timeout_notifies = 0;

  g_signal_connect (client, "notify::token", G_CALLBACK (count_notify_cb), &token_notifies);
  g_signal_connect (client, "notify::timeout", G_CALLBACK (count_notify_cb), &timeout_notifies);

  aa_rest_client_set_token (client, "a");
  aa_rest_client_set_token (client, "a");
  g_object_set (client, "token", "b", NULL);
  aa_rest_client_set_token (client, NULL);
  aa_rest_client_set_token (client, NULL);
  g_assert_cmpuint (token_notifies, ==, 3);

  aa_rest_client_set_timeout (client, 10);
  aa_rest_client_set_timeout (client, 3);
  g_object_set (client, "timeout", 3, NULL);
  g_assert_cmpuint (timeout_notifies, ==, 1);
  g_assert_cmpuint (aa_rest_client_get_timeout (client), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_mutation_needs_key (void)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:1/api/v1");
  const char *methods[] = { "POST", "PATCH", "PUT", "DELETE" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_test_expect_message ("aa-rest-client", G_LOG_LEVEL_CRITICAL, "*idempotency_key*");
    aa_rest_client_request_async (client, methods[i], "/items", NULL, NULL, -1, NULL, NULL, NULL);
    g_test_assert_expected_messages ();
  }

  g_assert_finalize_object (g_steal_pointer (&client));
}

/* aa-validate */

static void
assert_title_invalid (const char *title,
                      const char *expected_fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (aa_validate_title (title, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, expected_fragment));
}

static void
test_validate_title (void)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) multibyte = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < AA_TITLE_MAX_CHARS; i++) {
    g_string_append_c (ascii, 'a');
    /* Two, three and four bytes per character: counted as one each. */
    g_string_append (multibyte, (i % 3 == 0) ? "é" : (i % 3 == 1) ? "€" : "😀");
  }

  g_assert_true (aa_validate_title ("Buy milk", &error));
  g_assert_no_error (error);
  g_assert_true (aa_validate_title ("  x  ", NULL));
  g_assert_true (aa_validate_title (ascii->str, NULL));
  g_assert_true (aa_validate_title (multibyte->str, &error));
  g_assert_no_error (error);

  g_string_append (ascii, "a");
  g_string_append (multibyte, "é");
  assert_title_invalid (ascii->str, "200");
  assert_title_invalid (multibyte->str, "200");

  assert_title_invalid ("", "Add a title");
  assert_title_invalid ("   ", "Add a title");
  assert_title_invalid ("\t\n \u00a0", "Add a title");
  assert_title_invalid (NULL, "Add a title");
  assert_title_invalid ("bad \xff byte", "title");
}

static void
assert_card (const char *number,
             const char *expected_digits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digits = NULL;
  gboolean valid;

  valid = aa_validate_card_number (number, &digits, &error);

  if (expected_digits != NULL) {
    g_assert_no_error (error);
    g_assert_true (valid);
    g_assert_cmpstr (digits, ==, expected_digits);
  } else {
    g_assert_false (valid);
    g_assert_null (digits);
    g_assert_error (error, AA_ERROR, AA_ERROR_VALIDATION);
    g_assert_nonnull (strstr (error->message, "card number"));
  }
}

static void
test_validate_card (void)
{
  assert_card ("4242424242424242", "4242424242424242");
  assert_card ("4000 0000 0000 0002", "4000000000000002");
  assert_card (" 4242 4242  4242 4242 ", "4242424242424242");
  assert_card ("4 2 4 2 4 2 4 2 4 2 4 2 4 2 4 2", "4242424242424242");
  g_assert_true (aa_validate_card_number ("4242424242424242", NULL, NULL));

  assert_card ("424242424242424", NULL);
  assert_card ("42424242424242424", NULL);
  assert_card ("4242 4242 4242 424a", NULL);
  assert_card ("abcd efgh ijkl mnop", NULL);
  assert_card ("4242-4242-4242-4242", NULL);
  assert_card ("", NULL);
  assert_card ("    ", NULL);
  assert_card (NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/RestClient/error/offline", test_offline);
  g_test_add_func ("/Aa/RestClient/error/offline-after-keep-alive", test_offline_after_keep_alive);
  g_test_add_func ("/Aa/RestClient/error/timeout", test_timeout);
  g_test_add_func ("/Aa/RestClient/error/connection-lost", test_connection_lost);
  g_test_add_func ("/Aa/RestClient/error/server", test_server_error);
  g_test_add_func ("/Aa/RestClient/error/conflict", test_conflict);
  g_test_add_func ("/Aa/RestClient/error/state", test_state);
  g_test_add_func ("/Aa/RestClient/error/permission", test_permission);
  g_test_add_func ("/Aa/RestClient/error/validation", test_validation);
  g_test_add_func ("/Aa/RestClient/error/payment-declined", test_payment_declined);
  g_test_add_func ("/Aa/RestClient/error/not-found", test_not_found);
  g_test_add_func ("/Aa/RestClient/error/gone", test_gone);
  g_test_add_func ("/Aa/RestClient/error/unauthorized", test_unauthorized);
  g_test_add_func ("/Aa/RestClient/error/bad-response", test_bad_response);
  g_test_add_func ("/Aa/RestClient/error/transport", test_transport_failures);
  g_test_add_func ("/Aa/RestClient/no-silent-resend", test_no_silent_resend);
  g_test_add_func ("/Aa/RestClient/error/next-steps", test_next_steps);
  g_test_add_func ("/Aa/RestClient/json/wrong-shapes", test_wrong_shapes);
  g_test_add_func ("/Aa/RestClient/json/tolerance", test_tolerance);
  g_test_add_func ("/Aa/RestClient/headers", test_headers);
  g_test_add_func ("/Aa/RestClient/replayed", test_replayed);
  g_test_add_func ("/Aa/RestClient/cancel", test_cancel);
  g_test_add_func ("/Aa/RestClient/properties", test_properties);
  g_test_add_func ("/Aa/RestClient/notify", test_notify);
  g_test_add_func ("/Aa/RestClient/mutation-needs-key", test_mutation_needs_key);
  g_test_add_func ("/Aa/Validate/title", test_validate_title);
  g_test_add_func ("/Aa/Validate/card-number", test_validate_card);

  return g_test_run ();
}
