/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the demo server lets in, and within which bounds: tokens, hosts and
 * origins, bodies, the request log and the event streams. */

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "aa-server.h"
#include "test-server-common.h"

static void
test_auth (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autoptr(Response) missing = call (server, "GET", "/items", NULL, "Authorization", "");
  g_autoptr(Response) wrong = call (server, "GET", "/items", NULL, "Authorization", "Bearer nope");
  g_autoptr(Response) basic = call (server, "POST", "/items", "{\"title\": \"Sneaky\"}", "Authorization", "Basic czNjcmV0");
  g_autoptr(Response) right = call (server, "GET", "/items", NULL);
  g_autoptr(Response) control_missing = call (server, "GET", "/_control/faults", NULL, "Authorization", "");
  g_autoptr(Response) control_put = call (server, "PUT", "/_control/faults", "{\"offline\": true}",
                                          "Authorization", "Bearer nope");
  g_autoptr(Response) unknown = call (server, "GET", "/nothing", NULL, "Authorization", "");
  g_autoptr(Response) control_right = call (server, "GET", "/_control/faults", NULL);

  assert_error (missing, 401, "unauthorized");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (missing->headers, "WWW-Authenticate"), "Bearer"));
  assert_error (wrong, 401, "unauthorized");
  assert_error (basic, 401, "unauthorized");
  assert_status (right, 200);
  assert_error (control_missing, 401, "unauthorized");
  assert_error (control_put, 401, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (control_put->headers, "WWW-Authenticate"));
  assert_error (unknown, 401, "unauthorized");
  assert_status (control_right, 200);
  g_assert_false (json_object_get_boolean_member (object (control_right), "offline"));
  g_assert_cmpuint (count_titled (server, "/items", "Sneaky"), ==, 0);

  /* Without --token, no header is needed. */
  {
    g_autoptr(AaTestServer) open_server = aa_test_server_start (NULL);
    g_autoptr(Response) open = call (open_server, "GET", "/items", NULL);

    assert_status (open, 200);
  }
}

static void
test_stats (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) a = call (server, "GET", "/items", NULL);
  g_autoptr(Response) b = call (server, "PATCH", "/items/1", "{\"done\": true}");
  g_autoptr(Response) c = call (server, "GET", "/nothing", NULL);
  g_autoptr(Response) d = NULL;
  g_autoptr(Response) stats = NULL;
  JsonArray *requests;
  static const struct {
    const char *method;
    const char *path;
    guint       status;
  } expected[] = {
    { "GET", "/items", 200 },
    { "PATCH", "/items/1", 200 },
    { "GET", "/nothing", 404 },
    { "POST", "/items", 0 },
  };

  aa_test_set_faults (server, "{\"next\": [\"drop\"]}");
  d = call (server, "POST", "/items", "{\"title\": \"Counted\"}");
  assert_no_answer (d);

  stats = call (server, "GET", "/_control/stats", NULL);
  assert_status (stats, 200);
  requests = json_object_get_array_member (object (stats), "requests");
  /* Control requests are not counted. */
  g_assert_cmpuint (json_array_get_length (requests), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    JsonObject *request = json_array_get_object_element (requests, i);

    g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, expected[i].method);
    g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, expected[i].path);
    g_assert_cmpint (json_object_get_int_member (request, "status"), ==, expected[i].status);
  }

  g_assert_cmpuint (aa_test_count_requests (server, "GET", "/items"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/"), ==, 1);
}

/* DNS rebinding: a name other than ours is refused; so is a change from a
 * page of another site. */
static void
test_host_and_origin (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autofree char *evil = g_strdup_printf ("GET /api/v1/items HTTP/1.1\r\nHost: evil.example:%u\r\n"
                                           "Connection: close\r\n\r\n", server_port (server));
  g_autofree char *local = g_strdup_printf ("GET /api/v1/items HTTP/1.1\r\nHost: localhost:%u\r\n"
                                            "Connection: close\r\n\r\n", server_port (server));
  g_autofree char *absolute = g_strdup_printf ("GET http://evil.example:%u/api/v1/items HTTP/1.1\r\n"
                                               "Host: 127.0.0.1:%u\r\nConnection: close\r\n\r\n",
                                               server_port (server), server_port (server));
  g_autofree char *evil_answer = raw_exchange (server, evil);
  /* Names that merely start or end like ours are someone else's. */
  g_autofree char *suffixed = g_strdup_printf ("GET /api/v1/items HTTP/1.1\r\nHost: localhost.attacker.example:%u\r\n"
                                               "Connection: close\r\n\r\n", server_port (server));
  g_autofree char *prefixed = g_strdup_printf ("GET /api/v1/items HTTP/1.1\r\nHost: attacker-localhost:%u\r\n"
                                               "Connection: close\r\n\r\n", server_port (server));
  g_autofree char *suffixed_answer = raw_exchange (server, suffixed);
  g_autofree char *prefixed_answer = raw_exchange (server, prefixed);
  g_autofree char *absolute_answer = raw_exchange (server, absolute);
  g_autofree char *local_answer = raw_exchange (server, local);
  g_autofree char *own_origin = g_strdup_printf ("http://127.0.0.1:%u", server_port (server));
  g_autoptr(Response) cross_post = call (server, "POST", "/items", "{\"title\": \"Cross-site\"}",
                                         "Origin", "http://evil.example");
  g_autoptr(Response) null_post = call (server, "POST", "/items", "{\"title\": \"Cross-site\"}",
                                        "Origin", "null");
  g_autoptr(Response) cross_get = call (server, "GET", "/items", NULL, "Origin", "http://evil.example");
  g_autoptr(Response) own_post = call (server, "POST", "/items", "{\"title\": \"Same site\"}",
                                       "Origin", own_origin);

  g_assert_true (g_str_has_prefix (evil_answer, "HTTP/1.1 421"));
  g_assert_nonnull (strstr (evil_answer, "\"misdirected_request\""));
  g_assert_true (g_str_has_prefix (absolute_answer, "HTTP/1.1 421"));
  g_assert_true (g_str_has_prefix (suffixed_answer, "HTTP/1.1 421"));
  g_assert_true (g_str_has_prefix (prefixed_answer, "HTTP/1.1 421"));
  g_assert_true (g_str_has_prefix (local_answer, "HTTP/1.1 200"));
  assert_error (cross_post, 403, "cross_origin");
  assert_error (null_post, 403, "cross_origin");
  assert_status (cross_get, 200);
  assert_status (own_post, 201);
  g_assert_cmpuint (count_titled (server, "/items", "Cross-site"), ==, 0);
}

/* A body over the limit is refused from its Content-Length: the answer
 * comes although the body is never sent. */
static void
test_oversize_refused_unread (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autofree char *oversize = g_strdup_printf ("POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                               "Authorization: Bearer s3cret\r\n"
                                               "Content-Type: application/json\r\n"
                                               "Content-Length: 104857600\r\n\r\n", server_port (server));
  g_autofree char *wrong_token = g_strdup_printf ("POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                                  "Authorization: Bearer nope\r\n"
                                                  "Content-Type: application/json\r\n"
                                                  "Content-Length: 1000\r\n\r\n", server_port (server));
  g_autofree char *oversize_answer = raw_exchange (server, oversize);
  g_autofree char *wrong_token_answer = raw_exchange (server, wrong_token);

  g_assert_true (g_str_has_prefix (oversize_answer, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (oversize_answer, "Content-Type: application/json"));
  g_assert_nonnull (strstr (oversize_answer, "\"payload_too_large\""));
  g_assert_true (g_str_has_prefix (wrong_token_answer, "HTTP/1.1 401"));
  g_assert_nonnull (strstr (wrong_token_answer, "WWW-Authenticate: Bearer"));
  g_assert_nonnull (strstr (wrong_token_answer, "\"unauthorized\""));
}

/* A chunked body has no length up front: it is cut off at the limit. */
static void
test_chunked_cut_off (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *head = g_strdup_printf ("POST /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n"
                                           "10\r\n{\"title\": \"Chunk\r\n", server_port (server));
  g_autofree char *filler = g_strnfill (8192, 'x');
  g_autofree char *chunk = g_strdup_printf ("2000\r\n%s\r\n", filler);
  g_autofree char *answer = NULL;
  gboolean sent = TRUE;

  g_assert_true (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL));
  /* 80 KiB; the server may stop listening before the end. */
  for (guint i = 0; i < 10 && sent; i++)
    sent = g_output_stream_write_all (out, chunk, strlen (chunk), NULL, NULL, NULL);

  answer = raw_read_all (connection);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (answer, "\"payload_too_large\""));
  g_assert_cmpuint (count_titled (server, "/items", "Chunk"), ==, 0);
}

/* json-glib would cut a string at a NUL: such text is refused, not shortened. */
static void
test_nul_refused (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) title = call (server, "POST", "/items", "{\"title\": \"Before\\u0000After\"}");
  g_autoptr(Response) notes = call (server, "PATCH", "/items/1", "{\"notes\": \"a\\u0000b\"}");
  g_autoptr(Response) escaped = call (server, "POST", "/items", "{\"title\": \"Shows \\\\u0000 as text\"}");
  g_autoptr(Response) item = call (server, "GET", "/items/1", NULL);

  assert_error (title, 422, "validation_failed");
  assert_error (notes, 422, "validation_failed");
  assert_status (escaped, 201);
  g_assert_cmpstr (json_object_get_string_member (object (escaped), "title"), ==, "Shows \\u0000 as text");
  g_assert_cmpuint (count_titled (server, "/items", "Before"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 1);
}

/* The request log is bounded in bytes, long paths are cut, and requests
 * refused for their token are not logged at all. */
static void
test_stats_bounded (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *segment = g_strnfill (1500, 'p');
  g_autoptr(Response) refused = call (server, "GET", "/refused-for-its-token", NULL, "Authorization", "Bearer nope");
  g_autoptr(Response) stats = NULL;
  JsonArray *requests;
  gsize n_bytes = 0;
  const guint n_requests = 1000;

  assert_error (refused, 401, "unauthorized");

  for (guint i = 0; i < n_requests; i++) {
    g_autofree char *uri = g_strdup_printf ("%s/long/%u/%s", server->url, i, segment);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) bytes = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer s3cret");
    bytes = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  }

  /* The answer itself keeps the promise of 1 MiB, not only its paths. */
  {
    g_autofree char *uri = g_strconcat (server->url, "/_control/stats", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) bytes = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer s3cret");
    bytes = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpuint (g_bytes_get_size (bytes), <=, 1024 * 1024);
    g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000 * 1000);
  }

  stats = call (server, "GET", "/_control/stats", NULL);
  assert_status (stats, 200);
  requests = json_object_get_array_member (object (stats), "requests");
  g_assert_cmpuint (json_array_get_length (requests), >, 0);
  g_assert_cmpuint (json_array_get_length (requests), <, n_requests);
  for (guint i = 0; i < json_array_get_length (requests); i++) {
    const char *path = json_object_get_string_member (json_array_get_object_element (requests, i), "path");

    g_assert_null (strstr (path, "refused-for-its-token"));
    g_assert_cmpuint (strlen (path), <=, 1024 + strlen ("…"));
    n_bytes += strlen (path);
  }
  g_assert_cmpuint (n_bytes, <=, 1024 * 1024);
  /* The newest is kept. */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (requests,
                                   json_array_get_length (requests) - 1), "path"), "/long/999/"));
}

/* 50 clients at once: all connected before any is answered, all served. */
static void
test_many_connections (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autofree char *request = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Connection: close\r\n\r\n", server_port (server));
  GSocketConnection *connections[50];

  for (guint i = 0; i < G_N_ELEMENTS (connections); i++)
    connections[i] = raw_connect (server);
  for (guint i = 0; i < G_N_ELEMENTS (connections); i++) {
    GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connections[i]));

    g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (connections); i++) {
    g_autofree char *answer = raw_read_all (connections[i]);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
    g_object_unref (connections[i]);
  }
}

/* The bytes queued in the kernel on the server's side of the loopback
 * connection from @client_port to @server_port (tx_queue in
 * /proc/net/tcp), or -1 when it is not listed. */
static gint64
server_send_queue (guint16 server_port,
                   guint16 client_port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *local = g_strdup_printf (":%04X", server_port);
  g_autofree char *remote = g_strdup_printf (":%04X", client_port);

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++) {
    g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
    g_autoptr(GPtrArray) columns = g_ptr_array_new ();

    for (guint j = 0; fields[j] != NULL; j++) {
      if (*fields[j] != '\0')
        g_ptr_array_add (columns, fields[j]);
    }
    /* sl local_address rem_address st tx_queue:rx_queue ... */
    if (columns->len < 5)
      continue;
    if (g_str_has_suffix (g_ptr_array_index (columns, 1), local) &&
        g_str_has_suffix (g_ptr_array_index (columns, 2), remote))
      return g_ascii_strtoll (g_ptr_array_index (columns, 4), NULL, 16);
  }

  return -1;
}

/* A reader of the event stream that stops reading: what waits for it is
 * bounded by the server's own queue (1 MiB by default), and the kernel
 * holds little of it, not megabytes (SO_SNDBUF sized for the stream). */
static void
test_events_send_buffer (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, server_port (server));
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *head = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n",
                                           server_port (server));
  g_autofree char *notes = g_strnfill (40 * 1024, 'n');
  g_autofree char *body = g_strdup_printf ("{\"notes\": \"%s\"}", notes);
  gint64 most = 0;
  gint64 deadline;
  guint16 client_port;

  g_assert_no_error (error);
  /* A small window, so that what the reader does not take stays with the
   * server. */
  g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error);
  g_assert_no_error (error);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  g_socket_send (socket, head, strlen (head), NULL, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  client_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  /* About 800 KB of events, under the server's 1 MiB: it keeps the reader. */
  for (guint i = 0; i < 20; i++) {
    g_autoptr(Response) patched = call (server, "PATCH", "/items/1", body);

    assert_status (patched, 200);
  }

  /* The server writes what the kernel takes at once: watch for a second
   * once it has begun (a minute at most for that, on a loaded machine). */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline) {
    gint64 queued = server_send_queue (server_port (server), client_port);

    if (most == 0 && queued > 0)
      deadline = MIN (deadline, g_get_monotonic_time () + G_USEC_PER_SEC);
    most = MAX (most, queued);
    g_usleep (20 * 1000);
  }
  g_test_message ("the kernel held at most %" G_GINT64_FORMAT " bytes for the reader", most);
  g_assert_cmpint (most, >, 0);
  g_assert_cmpint (most, <=, 256 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/Server/auth", test_auth);
  g_test_add_func ("/Aa/Server/stats", test_stats);
  g_test_add_func ("/Aa/Server/host-and-origin", test_host_and_origin);
  g_test_add_func ("/Aa/Server/oversize-refused-unread", test_oversize_refused_unread);
  g_test_add_func ("/Aa/Server/chunked-cut-off", test_chunked_cut_off);
  g_test_add_func ("/Aa/Server/nul-refused", test_nul_refused);
  g_test_add_func ("/Aa/Server/stats-bounded", test_stats_bounded);
  g_test_add_func ("/Aa/Server/many-connections", test_many_connections);
  g_test_add_func ("/Aa/Server/events-send-buffer", test_events_send_buffer);

  return g_test_run ();
}
