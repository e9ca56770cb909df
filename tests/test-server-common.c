/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the server tests share (tests/test-server-common.h). */

#include "config.h"

#include <string.h>

#include "test-server-common.h"

void
response_free (Response *response)
{
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_error (&response->error);
  g_free (response);
}

/* Like aa_test_request(), but a connection that ends without an answer is a
 * result, not a failure; the token is added unless "Authorization" is given;
 * @content_type NULL means application/json. */
Response *
send_request (AaTestServer *server,
              const char   *method,
              const char   *path,
              const char   *content_type,
              const char   *body,
              ...)
{
  /* A bound on liveness, stretched on a slower setup (valgrind). */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", aa_test_scale_ms (20000) / 1000, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  Response *response = g_new0 (Response, 1);
  SoupMessageHeaders *headers;
  gint64 start = g_get_monotonic_time ();
  const char *name;
  va_list args;

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (headers, name, va_arg (args, const char *));
  va_end (args);

  /* An empty "Authorization" means: send none at all. */
  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), "") == 0) {
    soup_message_headers_remove (headers, "Authorization");
  } else if (server->token != NULL && soup_message_headers_get_one (headers, "Authorization") == NULL) {
    g_autofree char *auth = g_strdup_printf ("Bearer %s", server->token);

    soup_message_headers_replace (headers, "Authorization", auth);
  }

  if (body != NULL) {
    g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json",
                                              request_body);
  }

  bytes = soup_session_send_and_read (session, msg, NULL, &response->error);
  response->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  if (response->error != NULL)
    return response;

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (bytes) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    response->body = json_parser_steal_root (parser);

  return response;
}

void
assert_status (Response *response,
               guint     status)
{
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, "application/json");
}

/* Checks an error answer: status, code and a non-empty message. */
void
assert_error (Response   *response,
              guint       status,
              const char *code)
{
  JsonObject *error;

  assert_status (response, status);
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->body));
  error = json_object_get_object_member (json_node_get_object (response->body), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 5);
}

void
assert_no_answer (Response *response)
{
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);
}

JsonObject *
object (Response *response)
{
  g_assert_nonnull (response->body);
  return json_node_get_object (response->body);
}

JsonArray *
array (Response *response)
{
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->body));
  return json_node_get_array (response->body);
}

guint
count_titled (AaTestServer *server,
              const char   *path,
              const char   *title)
{
  g_autoptr(Response) list = call (server, "GET", path, NULL);
  JsonArray *items;
  guint count = 0;

  assert_status (list, 200);
  items = array (list);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "title"), title) == 0)
      count++;
  }

  return count;
}

int
index_of (AaTestServer *server,
          const char   *id)
{
  g_autoptr(Response) list = call (server, "GET", "/items", NULL);
  JsonArray *items = array (list);

  for (guint i = 0; i < json_array_get_length (items); i++) {
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "id"), id) == 0)
      return (int) i;
  }

  return -1;
}

char *
create_note (AaTestServer *server,
             const char   *title)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(Response) response = call (server, "POST", "/items", body);

  assert_status (response, 201);
  return g_strdup (json_object_get_string_member (object (response), "id"));
}

void
set_session (AaTestServer *server,
             const char   *member_id)
{
  g_autofree char *body = g_strdup_printf ("{\"member_id\": \"%s\"}", member_id);
  g_autoptr(Response) response = call (server, "PUT", "/_control/session", body);

  assert_status (response, 200);
  g_assert_cmpstr (json_object_get_string_member (object (response), "id"), ==, member_id);
}

gpointer
background_request (gpointer data)
{
  Background *background = data;

  return call (background->server, background->method, background->path, background->body,
               "Idempotency-Key", background->key);
}

/* Waits until the server has seen @n requests for @method on @path. */
void
wait_for_arrival (AaTestServer *server,
                  const char   *method,
                  const char   *path,
                  guint         n)
{
  for (guint i = 0; i < 500; i++) {
    if (aa_test_count_requests (server, method, path) >= n)
      return;
    g_usleep (10 * 1000);
  }
  g_assert_not_reached ();
}

guint16
server_port (AaTestServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

GSocketConnection *
raw_connect (AaTestServer *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server_port (server), NULL, &error);
  g_assert_no_error (error);
  /* A server that never answers fails the test rather than hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), aa_test_scale_ms (20000) / 1000);

  return connection;
}

/* Everything the server sends until it closes the connection. */
char *
raw_read_all (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) answer = g_string_new (NULL);
  char buffer[4096];
  gssize n_read;

  while ((n_read = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (answer, buffer, n_read);

  return g_string_free (g_steal_pointer (&answer), FALSE);
}

/* Sends @head (and no body), then reads the answer. */
char *
raw_exchange (AaTestServer *server,
              const char   *head)
{
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);

  return raw_read_all (connection);
}

const char *
member_role (AaTestServer *server,
             const char   *id)
{
  static char role[16];
  g_autoptr(Response) members = call (server, "GET", "/members", NULL);

  for (guint i = 0; i < json_array_get_length (array (members)); i++) {
    JsonObject *member = json_array_get_object_element (array (members), i);

    if (g_str_equal (json_object_get_string_member (member, "id"), id))
      g_strlcpy (role, json_object_get_string_member (member, "role"), sizeof role);
  }

  return role;
}
