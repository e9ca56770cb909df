/* The demo server's contract, status by status, against a real server on
 * its own thread (tests/aa-test-utils.h). */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "aa-server.h"
#include "aa-test-utils.h"

typedef struct {
  guint               status;
  JsonNode           *body;
  SoupMessageHeaders *headers;
  GError             *error;    /* the connection failed: no HTTP answer */
  gint64              elapsed_ms;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_error (&response->error);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* Like aa_test_request(), but a connection that ends without an answer is a
 * result, not a failure; the token is added unless "Authorization" is given;
 * @content_type NULL means application/json. */
static Response *
send_request (AaTestServer *server,
              const char   *method,
              const char   *path,
              const char   *content_type,
              const char   *body,
              ...)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
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

#define call(server, method, path, body, ...) \
  send_request ((server), (method), (path), NULL, (body), ##__VA_ARGS__, NULL)

static void
assert_status (Response *response,
               guint     status)
{
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, "application/json");
}

/* Checks an error answer: status, code and a non-empty message. */
static void
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

static void
assert_no_answer (Response *response)
{
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);
}

static JsonObject *
object (Response *response)
{
  g_assert_nonnull (response->body);
  return json_node_get_object (response->body);
}

static JsonArray *
array (Response *response)
{
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->body));
  return json_node_get_array (response->body);
}

static guint
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

static int
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

static char *
create_note (AaTestServer *server,
             const char   *title)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(Response) response = call (server, "POST", "/items", body);

  assert_status (response, 201);
  return g_strdup (json_object_get_string_member (object (response), "id"));
}

static void
test_items_list (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) response = call (server, "GET", "/items", NULL);
  JsonArray *items;
  guint64 previous = G_MAXUINT64;
  guint n_starred = 0, n_done = 0;

  assert_status (response, 200);
  items = array (response);
  g_assert_cmpuint (json_array_get_length (items), ==, 12);

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *item = json_array_get_object_element (items, i);
    g_autoptr(GDateTime) updated = NULL;
    guint64 id;

    g_assert_true (json_node_get_value_type (json_object_get_member (item, "id")) == G_TYPE_STRING);
    id = g_ascii_strtoull (json_object_get_string_member (item, "id"), NULL, 10);
    g_assert_cmpuint (id, <, previous);   /* newest first */
    previous = id;
    g_assert_cmpuint (strlen (json_object_get_string_member (item, "title")), >, 0);
    g_assert_nonnull (json_object_get_string_member (item, "notes"));
    n_starred += json_object_get_boolean_member (item, "starred");
    n_done += json_object_get_boolean_member (item, "done");
    g_assert_cmpint (json_object_get_int_member (item, "version"), ==, 1);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (item, "updated_at"), "Z"));
    updated = g_date_time_new_from_iso8601 (json_object_get_string_member (item, "updated_at"), NULL);
    g_assert_nonnull (updated);
  }

  /* A realistic mix. */
  g_assert_cmpuint (n_starred, >, 0);
  g_assert_cmpuint (n_starred, <, 12);
  g_assert_cmpuint (n_done, >, 0);
  g_assert_cmpuint (n_done, <, 12);
}

static const char *
id_at (Response *response,
       guint     index)
{
  return json_object_get_string_member (json_array_get_object_element (array (response), index), "id");
}

/* Keyset pages: together they are the list, whatever changes between them. */
static void
test_items_pages (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) whole = call (server, "GET", "/items", NULL);
  g_autoptr(Response) first = call (server, "GET", "/items?limit=5", NULL);
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) third = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) trashed = NULL;
  g_autoptr(Response) trash = NULL;
  g_autofree char *path = NULL;
  const char * const bad[] = {
    "/items?limit=0", "/items?limit=abc", "/items?limit=-1", "/items?limit=1001", "/items?limit=",
    "/items?limit=5&after=999999", "/items?after=", "/trash?limit=0",
  };

  assert_status (whole, 200);
  assert_status (first, 200);
  g_assert_cmpuint (json_array_get_length (array (first)), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (id_at (first, i), ==, id_at (whole, i));

  /* Between two pages, a note is created (at the top, on a page already
   * read) and the note the next page continues after goes to the trash:
   * the next page starts where the first ended all the same. */
  created = call (server, "POST", "/items", "{\"title\": \"Between pages\"}", "Idempotency-Key", "page-create");
  assert_status (created, 201);
  path = g_strdup_printf ("/items/%s", id_at (first, 4));
  trashed = call (server, "DELETE", path, NULL, "Idempotency-Key", "page-trash");
  assert_status (trashed, 200);
  g_free (path);
  path = g_strdup_printf ("/items?limit=5&after=%s", id_at (first, 4));
  second = call (server, "GET", path, NULL);
  assert_status (second, 200);
  g_assert_cmpuint (json_array_get_length (array (second)), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (id_at (second, i), ==, id_at (whole, 5 + i));

  /* The last page is short; "after" alone reads to the end. */
  g_free (path);
  path = g_strdup_printf ("/items?after=%s", id_at (second, 4));
  third = call (server, "GET", path, NULL);
  assert_status (third, 200);
  g_assert_cmpuint (json_array_get_length (array (third)), ==, 2);
  g_assert_cmpstr (id_at (third, 1), ==, id_at (whole, 11));

  /* The trash pages the same way. */
  trash = call (server, "GET", "/trash?limit=1", NULL);
  assert_status (trash, 200);
  g_assert_cmpuint (json_array_get_length (array (trash)), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(Response) refused = call (server, "GET", bad[i], NULL);

    g_test_message ("GET %s", bad[i]);
    assert_error (refused, 400, "invalid_parameter");
  }
}

static void
test_items_get (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) found = call (server, "GET", "/items/3", NULL);
  g_autoptr(Response) absent = call (server, "GET", "/items/999", NULL);
  g_autoptr(Response) trash = NULL;
  g_autoptr(Response) trashed = NULL;

  assert_status (found, 200);
  g_assert_cmpstr (json_object_get_string_member (object (found), "id"), ==, "3");
  g_assert_cmpstr (soup_message_headers_get_one (found->headers, "ETag"), ==, "\"1\"");
  assert_error (absent, 404, "not_found");

  trash = call (server, "DELETE", "/items/3", NULL);
  assert_status (trash, 200);
  trashed = call (server, "GET", "/items/3", NULL);
  assert_error (trashed, 404, "not_found");
}

static void
test_items_create (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) created = call (server, "POST", "/items",
                                      "{\"title\": \"Buy milk\", \"notes\": \"Two litres\\nOrganic\"}");
  g_autoptr(Response) list = NULL;
  g_autoptr(GString) long_title = g_string_new (NULL);
  g_autofree char *body = NULL;
  JsonObject *item;

  assert_status (created, 201);
  item = object (created);
  g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, "Buy milk");
  g_assert_cmpstr (json_object_get_string_member (item, "notes"), ==, "Two litres\nOrganic");
  g_assert_cmpint (json_object_get_int_member (item, "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (item, "starred"));
  g_assert_false (json_object_get_boolean_member (item, "done"));
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, "13");

  /* The new note is at the top. */
  list = call (server, "GET", "/items", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (list), 0), "id"), ==, "13");
  g_assert_cmpuint (count_titled (server, "/items", "Buy milk"), ==, 1);

  /* Notes are optional. */
  {
    g_autoptr(Response) bare = call (server, "POST", "/items", "{\"title\": \"Bare\"}");

    assert_status (bare, 201);
    g_assert_cmpstr (json_object_get_string_member (object (bare), "notes"), ==, "");
  }

  /* 200 characters, two bytes each, is fine; 201 is not. */
  for (guint i = 0; i < 200; i++)
    g_string_append (long_title, "é");
  body = g_strdup_printf ("{\"title\": \"%s\"}", long_title->str);
  {
    g_autoptr(Response) ok = call (server, "POST", "/items", body);

    assert_status (ok, 201);
  }
  g_string_append (long_title, "é");
  g_free (body);
  body = g_strdup_printf ("{\"title\": \"%s\"}", long_title->str);
  {
    g_autoptr(Response) too_long = call (server, "POST", "/items", body);

    assert_error (too_long, 422, "validation_failed");
  }
}

static void
test_items_create_invalid (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  static const struct {
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "{\"title\": \"\"}", 422, "validation_failed" },
    { "{\"title\": \"  \\t \"}", 422, "validation_failed" },
    { "{\"notes\": \"no title\"}", 422, "validation_failed" },
    { "{\"title\": 42}", 422, "validation_failed" },
    { "{\"title\": null}", 422, "validation_failed" },
    { "{\"title\": \"Fine\", \"notes\": false}", 422, "validation_failed" },
    { "{\"title\": \"Fine\", \"colour\": \"red\"}", 422, "validation_failed" },
    { "[\"title\"]", 422, "validation_failed" },
    { "{\"title\": \"Unclosed", 400, "invalid_json" },
    { "not json at all", 400, "invalid_json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = call (server, "POST", "/items", cases[i].body);

    g_test_message ("body: %s", cases[i].body);
    assert_error (response, cases[i].status, cases[i].code);
  }

  /* Nothing was written by any of them. */
  {
    g_autoptr(Response) list = call (server, "GET", "/items", NULL);

    g_assert_cmpuint (json_array_get_length (array (list)), ==, 12);
  }
}

static void
test_bad_requests (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(GString) big = g_string_new ("{\"title\": \"Big\", \"notes\": \"");
  g_autoptr(Response) empty = NULL;
  g_autoptr(Response) text = NULL;
  g_autoptr(Response) no_type = NULL;
  g_autoptr(Response) too_big = NULL;
  g_autoptr(Response) charset = NULL;

  empty = call (server, "POST", "/items", "");
  assert_error (empty, 400, "invalid_json");

  text = send_request (server, "POST", "/items", "text/plain", "{\"title\": \"Plain\"}", NULL);
  assert_error (text, 415, "unsupported_media_type");
  no_type = send_request (server, "PATCH", "/items/1", "application/x-www-form-urlencoded", "title=Form", NULL);
  assert_error (no_type, 415, "unsupported_media_type");

  /* Parameters of the media type are fine. */
  charset = send_request (server, "POST", "/items", "application/json; charset=utf-8", "{\"title\": \"UTF-8\"}", NULL);
  assert_status (charset, 201);

  while (big->len <= 64 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}");
  too_big = call (server, "POST", "/items", big->str);
  assert_error (too_big, 413, "payload_too_large");

  g_assert_cmpuint (count_titled (server, "/items", "Big"), ==, 0);
  g_assert_cmpuint (count_titled (server, "/items", "Plain"), ==, 0);
}

static void
test_routing (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  static const struct {
    const char *method;
    const char *path;
    const char *allow;   /* NULL: 404 */
  } cases[] = {
    { "GET", "/nothing", NULL },
    { "GET", "/items/1/history", NULL },
    { "GET", "/items/", NULL },
    { "GET", "", NULL },
    { "DELETE", "/items", "GET, POST" },
    { "POST", "/items/1", "GET, PATCH, DELETE" },
    { "GET", "/trash/empty", "POST" },
    { "DELETE", "/trash", "GET" },
    { "PATCH", "/me", "GET" },
    { "GET", "/payments", "POST" },
    { "POST", "/members/1", "PATCH" },
    { "GET", "/_control/session", "PUT" },
    { "GET", "/_control/nothing", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = call (server, cases[i].method, cases[i].path, NULL);

    g_test_message ("%s %s", cases[i].method, cases[i].path);
    if (cases[i].allow == NULL) {
      assert_error (response, 404, "not_found");
    } else {
      assert_error (response, 405, "method_not_allowed");
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Allow"), ==, cases[i].allow);
    }
  }

  /* Outside the API prefix too. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *root = g_strndup (server->url, strlen (server->url) - strlen ("/api/v1"));
    g_autofree char *uri = g_strconcat (root, "/api/v2/items", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  }
}

static void
test_items_patch (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) stale = NULL;
  g_autoptr(Response) blind = NULL;
  g_autoptr(Response) current = NULL;
  JsonObject *item;

  first = call (server, "PATCH", "/items/2", "{\"starred\": true, \"title\": \"Call the plumber again\"}",
                "If-Match", "\"1\"");
  assert_status (first, 200);
  item = object (first);
  g_assert_cmpint (json_object_get_int_member (item, "version"), ==, 2);
  g_assert_true (json_object_get_boolean_member (item, "starred"));
  g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, "Call the plumber again");
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "ETag"), ==, "\"2\"");

  second = call (server, "PATCH", "/items/2", "{\"done\": false, \"notes\": \"Booked for Tuesday.\"}",
                 "If-Match", "\"2\"");
  assert_status (second, 200);
  g_assert_cmpint (json_object_get_int_member (object (second), "version"), ==, 3);
  g_assert_false (json_object_get_boolean_member (object (second), "done"));

  stale = call (server, "PATCH", "/items/2", "{\"done\": true}", "If-Match", "\"1\"");
  assert_error (stale, 412, "precondition_failed");

  /* Without If-Match, the last write wins. */
  blind = call (server, "PATCH", "/items/2", "{\"done\": true}");
  assert_status (blind, 200);
  g_assert_cmpint (json_object_get_int_member (object (blind), "version"), ==, 4);

  current = call (server, "GET", "/items/2", NULL);
  assert_status (current, 200);
  g_assert_true (json_object_get_boolean_member (object (current), "done"));
  g_assert_cmpstr (json_object_get_string_member (object (current), "notes"), ==, "Booked for Tuesday.");
  g_assert_cmpstr (soup_message_headers_get_one (current->headers, "ETag"), ==, "\"4\"");
}

static void
test_items_patch_invalid (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  static const struct {
    const char *path;
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "/items/1", "{\"starred\": \"yes\"}", 422, "validation_failed" },
    { "/items/1", "{\"done\": 1}", 422, "validation_failed" },
    { "/items/1", "{\"title\": \"\"}", 422, "validation_failed" },
    { "/items/1", "{\"title\": \"Fine\", \"priority\": 2}", 422, "validation_failed" },
    { "/items/1", "{}", 422, "validation_failed" },
    /* No partial write: the valid half is not applied either. */
    { "/items/1", "{\"done\": true, \"title\": \" \"}", 422, "validation_failed" },
    { "/items/1", "{\"done\": tru}", 400, "invalid_json" },
    { "/items/999", "{\"done\": true}", 404, "not_found" },
  };
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) trash = NULL;
  g_autoptr(Response) trashed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(Response) response = call (server, "PATCH", cases[i].path, cases[i].body);

    g_test_message ("%s %s", cases[i].path, cases[i].body);
    assert_error (response, cases[i].status, cases[i].code);
  }

  after = call (server, "GET", "/items/1", NULL);
  g_assert_cmpint (json_object_get_int_member (object (after), "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (object (after), "done"));

  trash = call (server, "DELETE", "/items/1", NULL);
  assert_status (trash, 200);
  trashed = call (server, "PATCH", "/items/1", "{\"done\": true}");
  assert_error (trashed, 404, "not_found");
}

static void
test_trash_restore (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  int position = index_of (server, "7");
  g_autoptr(Response) trash = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) trash_list = NULL;
  g_autoptr(Response) restore = NULL;
  g_autoptr(Response) restore_again = NULL;
  g_autoptr(Response) never = NULL;
  g_autoptr(Response) original = call (server, "GET", "/items/7", NULL);
  const char *title = json_object_get_string_member (object (original), "title");

  g_assert_cmpint (position, ==, 5);

  trash = call (server, "DELETE", "/items/7", NULL);
  assert_status (trash, 200);
  g_assert_cmpstr (json_object_get_string_member (object (trash), "id"), ==, "7");
  g_assert_cmpint (index_of (server, "7"), ==, -1);

  /* Deleting again is fine: it is in the trash either way. */
  again = call (server, "DELETE", "/items/7", NULL);
  assert_status (again, 200);

  trash_list = call (server, "GET", "/trash", NULL);
  assert_status (trash_list, 200);
  g_assert_cmpuint (json_array_get_length (array (trash_list)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (trash_list), 0), "title"),
                   ==, title);

  /* A newer note meanwhile does not take its place. */
  g_free (create_note (server, "Newer"));

  restore = call (server, "POST", "/items/7/restore", NULL);
  assert_status (restore, 200);
  g_assert_cmpstr (json_object_get_string_member (object (restore), "title"), ==, title);
  g_assert_cmpint (index_of (server, "7"), ==, position + 1);

  restore_again = call (server, "POST", "/items/7/restore", NULL);
  assert_status (restore_again, 200);
  g_assert_cmpint (index_of (server, "7"), ==, position + 1);

  never = call (server, "POST", "/items/999/restore", NULL);
  assert_error (never, 404, "not_found");

  {
    g_autoptr(Response) empty_none = call (server, "POST", "/trash/empty", NULL);

    assert_status (empty_none, 200);
    g_assert_cmpint (json_object_get_int_member (object (empty_none), "purged"), ==, 0);
  }
}

static void
test_trash_empty (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) empty = NULL;
  g_autoptr(Response) trash_list = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(Response) get = NULL;

  for (guint i = 1; i <= 3; i++) {
    g_autofree char *path = g_strdup_printf ("/items/%u", i);
    g_autoptr(Response) trash = call (server, "DELETE", path, NULL);

    assert_status (trash, 200);
  }

  empty = call (server, "POST", "/trash/empty", "{}");
  assert_status (empty, 200);
  g_assert_cmpint (json_object_get_int_member (object (empty), "purged"), ==, 3);

  trash_list = call (server, "GET", "/trash", NULL);
  g_assert_cmpuint (json_array_get_length (array (trash_list)), ==, 0);

  gone = call (server, "POST", "/items/2/restore", NULL);
  assert_error (gone, 410, "gone");
  get = call (server, "GET", "/items/2", NULL);
  assert_error (get, 404, "not_found");

  /* Purged ids are never given out again. */
  {
    g_autofree char *id = create_note (server, "After the purge");

    g_assert_cmpstr (id, ==, "13");
  }
}

static void
test_invoices_payments (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) invoices = call (server, "GET", "/invoices", NULL);
  const char *open_id = NULL;
  const char *paid_id = NULL;
  guint n_open = 0;

  assert_status (invoices, 200);
  g_assert_cmpuint (json_array_get_length (array (invoices)), ==, 3);
  for (guint i = 0; i < 3; i++) {
    JsonObject *invoice = json_array_get_object_element (array (invoices), i);
    const char *status = json_object_get_string_member (invoice, "status");

    g_assert_nonnull (json_object_get_string_member (invoice, "id"));
    g_assert_cmpuint (strlen (json_object_get_string_member (invoice, "description")), >, 5);
    g_assert_cmpint (json_object_get_int_member (invoice, "amount_cents"), >, 0);
    g_assert_cmpstr (json_object_get_string_member (invoice, "currency"), ==, "EUR");
    if (g_str_equal (status, "open")) {
      n_open++;
      if (open_id == NULL)
        open_id = json_object_get_string_member (invoice, "id");
    } else {
      g_assert_cmpstr (status, ==, "paid");
      paid_id = json_object_get_string_member (invoice, "id");
    }
  }
  g_assert_cmpuint (n_open, ==, 2);
  g_assert_nonnull (paid_id);

  {
    g_autofree char *body = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4242424242424242\"}", open_id);
    g_autofree char *declined = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4000 0000 0000 0002\"}", open_id);
    g_autofree char *declined_bare = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4000000000000002\"}", open_id);
    g_autofree char *malformed = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4242 4242\"}", open_id);
    g_autofree char *letters = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4242-4242-4242-4242\"}", open_id);
    g_autofree char *wrong_type = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": 4242424242424242}", open_id);
    g_autofree char *paid = g_strdup_printf ("{\"invoice_id\": \"%s\", \"card_number\": \"4242424242424242\"}", paid_id);
    g_autoptr(Response) no_key = call (server, "POST", "/payments", body);
    g_autoptr(Response) declined1 = call (server, "POST", "/payments", declined, "Idempotency-Key", "pay-d1");
    g_autoptr(Response) declined2 = call (server, "POST", "/payments", declined_bare, "Idempotency-Key", "pay-d2");
    g_autoptr(Response) bad = call (server, "POST", "/payments", malformed, "Idempotency-Key", "pay-m");
    g_autoptr(Response) bad2 = call (server, "POST", "/payments", letters, "Idempotency-Key", "pay-l");
    g_autoptr(Response) bad_type = call (server, "POST", "/payments", wrong_type, "Idempotency-Key", "pay-t");
    g_autoptr(Response) unknown = call (server, "POST", "/payments",
                                        "{\"invoice_id\": \"INV-0\", \"card_number\": \"4242424242424242\"}",
                                        "Idempotency-Key", "pay-u");
    g_autoptr(Response) already = call (server, "POST", "/payments", paid, "Idempotency-Key", "pay-p");
    g_autoptr(Response) still_open = call (server, "GET", "/invoices", NULL);
    g_autoptr(Response) ok = NULL;
    g_autoptr(Response) replay = NULL;
    g_autoptr(Response) twice = NULL;
    g_autoptr(Response) after = NULL;

    assert_error (no_key, 400, "idempotency_key_required");
    assert_error (declined1, 402, "card_declined");
    assert_error (declined2, 402, "card_declined");
    assert_error (bad, 422, "invalid_card");
    assert_error (bad2, 422, "invalid_card");
    assert_error (bad_type, 422, "validation_failed");
    assert_error (unknown, 404, "not_found");
    assert_error (already, 409, "already_paid");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (still_open), 0), "status"),
                     ==, "open");

    ok = call (server, "POST", "/payments", body, "Idempotency-Key", "pay-ok");
    assert_status (ok, 201);
    g_assert_cmpstr (json_object_get_string_member (object (ok), "invoice_id"), ==, open_id);
    g_assert_cmpstr (json_object_get_string_member (object (ok), "status"), ==, "succeeded");
    g_assert_nonnull (json_object_get_string_member (object (ok), "id"));

    replay = call (server, "POST", "/payments", body, "Idempotency-Key", "pay-ok");
    assert_status (replay, 201);
    g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==, "true");
    g_assert_cmpstr (json_object_get_string_member (object (replay), "id"), ==,
                     json_object_get_string_member (object (ok), "id"));

    twice = call (server, "POST", "/payments", body, "Idempotency-Key", "pay-new");
    assert_error (twice, 409, "already_paid");

    after = call (server, "GET", "/invoices", NULL);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (after), 0), "status"),
                     ==, "paid");
  }
}

static void
set_session (AaTestServer *server,
             const char   *member_id)
{
  g_autofree char *body = g_strdup_printf ("{\"member_id\": \"%s\"}", member_id);
  g_autoptr(Response) response = call (server, "PUT", "/_control/session", body);

  assert_status (response, 200);
  g_assert_cmpstr (json_object_get_string_member (object (response), "id"), ==, member_id);
}

static void
expect_role_change (AaTestServer *server,
                    const char   *member_id,
                    const char   *role,
                    guint         status,
                    const char   *code)
{
  g_autofree char *path = g_strdup_printf ("/members/%s", member_id);
  g_autofree char *body = g_strdup_printf ("{\"role\": \"%s\"}", role);
  g_autoptr(Response) response = call (server, "PATCH", path, body);

  g_test_message ("member %s -> %s", member_id, role);
  if (code != NULL) {
    assert_error (response, status, code);
  } else {
    assert_status (response, status);
    g_assert_cmpstr (json_object_get_string_member (object (response), "role"), ==, role);
  }
}

static void
test_members (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) members = call (server, "GET", "/members", NULL);
  g_autoptr(Response) me = call (server, "GET", "/me", NULL);
  g_autoptr(Response) unknown_session = NULL;
  guint n_owners = 0, n_admins = 0, n_members = 0;

  assert_status (members, 200);
  g_assert_cmpuint (json_array_get_length (array (members)), ==, 4);
  for (guint i = 0; i < 4; i++) {
    JsonObject *member = json_array_get_object_element (array (members), i);
    const char *role = json_object_get_string_member (member, "role");

    g_assert_cmpuint (strlen (json_object_get_string_member (member, "name")), >, 3);
    n_owners += g_str_equal (role, "owner");
    n_admins += g_str_equal (role, "admin");
    n_members += g_str_equal (role, "member");
  }
  g_assert_cmpuint (n_owners, ==, 1);
  g_assert_cmpuint (n_admins, ==, 1);
  g_assert_cmpuint (n_members, ==, 2);

  /* The admin is signed in by default. */
  assert_status (me, 200);
  g_assert_cmpstr (json_object_get_string_member (object (me), "role"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (object (me), "id"), ==, "2");

  /* Admin: members and admins, not owners, and makes no owners. */
  expect_role_change (server, "3", "admin", 200, NULL);
  expect_role_change (server, "3", "member", 200, NULL);
  expect_role_change (server, "1", "member", 403, "forbidden");
  expect_role_change (server, "3", "owner", 403, "forbidden");
  expect_role_change (server, "3", "boss", 422, "validation_failed");
  expect_role_change (server, "9", "member", 404, "not_found");
  {
    g_autoptr(Response) wrong_type = call (server, "PATCH", "/members/3", "{\"role\": 1}");
    g_autoptr(Response) extra = call (server, "PATCH", "/members/3", "{\"role\": \"member\", \"name\": \"X\"}");

    assert_error (wrong_type, 422, "validation_failed");
    assert_error (extra, 422, "validation_failed");
  }

  /* Member: no role changes at all. */
  set_session (server, "4");
  expect_role_change (server, "3", "admin", 403, "forbidden");
  expect_role_change (server, "4", "admin", 403, "forbidden");

  /* Owner: anything but demoting the last owner. */
  set_session (server, "1");
  expect_role_change (server, "1", "admin", 409, "last_owner");
  expect_role_change (server, "3", "owner", 200, NULL);
  expect_role_change (server, "1", "admin", 200, NULL);
  {
    g_autoptr(Response) me_now = call (server, "GET", "/me", NULL);

    g_assert_cmpstr (json_object_get_string_member (object (me_now), "role"), ==, "admin");
  }

  unknown_session = call (server, "PUT", "/_control/session", "{\"member_id\": \"99\"}");
  assert_error (unknown_session, 404, "not_found");
}

static void
test_idempotent_replay (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) first = call (server, "POST", "/items", "{\"title\": \"Once\"}", "Idempotency-Key", "k-create");
  g_autoptr(Response) second = call (server, "POST", "/items", "{\"title\": \"Once\"}", "Idempotency-Key", "k-create");
  g_autoptr(Response) other_body = call (server, "POST", "/items", "{\"title\": \"Twice\"}", "Idempotency-Key", "k-create");
  g_autoptr(Response) other_path = call (server, "PATCH", "/items/1", "{\"title\": \"Once\"}", "Idempotency-Key", "k-create");
  g_autoptr(Response) toggle = NULL;
  g_autoptr(Response) toggle_again = NULL;
  g_autoptr(Response) item = NULL;
  g_autoptr(Response) delete1 = NULL;
  g_autoptr(Response) delete2 = NULL;

  assert_status (first, 201);
  g_assert_null (soup_message_headers_get_one (first->headers, "Idempotent-Replayed"));
  assert_status (second, 201);
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object (first), "id"), ==,
                   json_object_get_string_member (object (second), "id"));
  g_assert_cmpuint (count_titled (server, "/items", "Once"), ==, 1);

  assert_error (other_body, 422, "idempotency_key_reused");
  assert_error (other_path, 422, "idempotency_key_reused");
  g_assert_cmpuint (count_titled (server, "/items", "Twice"), ==, 0);

  /* A PATCH is applied once: the version moves once. */
  toggle = call (server, "PATCH", "/items/4", "{\"starred\": false}", "Idempotency-Key", "k-star");
  toggle_again = call (server, "PATCH", "/items/4", "{\"starred\": false}", "Idempotency-Key", "k-star");
  assert_status (toggle, 200);
  assert_status (toggle_again, 200);
  g_assert_cmpstr (soup_message_headers_get_one (toggle_again->headers, "ETag"), ==, "\"2\"");
  item = call (server, "GET", "/items/4", NULL);
  g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 2);

  delete1 = call (server, "DELETE", "/items/4", NULL, "Idempotency-Key", "k-delete");
  delete2 = call (server, "DELETE", "/items/4", NULL, "Idempotency-Key", "k-delete");
  assert_status (delete1, 200);
  assert_status (delete2, 200);
  g_assert_cmpstr (soup_message_headers_get_one (delete2->headers, "Idempotent-Replayed"), ==, "true");
}

static void
test_idempotent_lost_response (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) lost = NULL;
  g_autoptr(Response) retry = NULL;
  g_autoptr(Response) pay_lost = NULL;
  g_autoptr(Response) pay_retry = NULL;
  g_autoptr(Response) invoices = NULL;
  const char *pay = "{\"invoice_id\": \"INV-2026-0147\", \"card_number\": \"4242 4242 4242 4242\"}";

  aa_test_set_faults (server, "{\"next\": [\"lost-response\"]}");

  lost = call (server, "POST", "/items", "{\"title\": \"Survivor\"}", "Idempotency-Key", "k-lost");
  assert_no_answer (lost);
  /* Applied and persisted even though nobody heard of it. */
  g_assert_cmpuint (count_titled (server, "/items", "Survivor"), ==, 1);

  retry = call (server, "POST", "/items", "{\"title\": \"Survivor\"}", "Idempotency-Key", "k-lost");
  assert_status (retry, 201);
  g_assert_cmpstr (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpuint (count_titled (server, "/items", "Survivor"), ==, 1);

  /* A replay is a mutating request too, and can be lost in turn. */
  aa_test_set_faults (server, "{\"next\": [\"lost-response\", \"lost-response\"]}");
  pay_lost = call (server, "POST", "/payments", pay, "Idempotency-Key", "k-pay-lost");
  assert_no_answer (pay_lost);
  g_clear_pointer (&pay_lost, response_free);
  pay_lost = call (server, "POST", "/payments", pay, "Idempotency-Key", "k-pay-lost");
  assert_no_answer (pay_lost);
  pay_retry = call (server, "POST", "/payments", pay, "Idempotency-Key", "k-pay-lost");
  assert_status (pay_retry, 201);
  g_assert_cmpstr (soup_message_headers_get_one (pay_retry->headers, "Idempotent-Replayed"), ==, "true");
  invoices = call (server, "GET", "/invoices", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (invoices), 1), "status"),
                   ==, "paid");

  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/items"), ==, 2);
  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/payments"), ==, 3);
}

typedef struct {
  AaTestServer *server;
  const char   *method;
  const char   *path;
  const char   *body;
  const char   *key;
} Background;

static gpointer
background_request (gpointer data)
{
  Background *background = data;

  return call (background->server, background->method, background->path, background->body,
               "Idempotency-Key", background->key);
}

/* Waits until the server has seen @n requests for @method on @path. */
static void
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

static void
test_idempotent_in_flight (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  Background background = { server, "POST", "/items", "{\"title\": \"Slow\"}", "k-slow" };
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) duplicate = NULL;
  g_autoptr(Response) reused = NULL;
  g_autoptr(Response) after = NULL;
  GThread *thread;

  aa_test_set_faults (server, "{\"latency_ms\": 800}");
  thread = g_thread_new ("slow-request", background_request, &background);
  wait_for_arrival (server, "POST", "/items", 1);

  duplicate = call (server, "POST", "/items", "{\"title\": \"Slow\"}", "Idempotency-Key", "k-slow");
  reused = call (server, "POST", "/items", "{\"title\": \"Fast\"}", "Idempotency-Key", "k-slow");
  first = g_thread_join (thread);

  assert_status (first, 201);
  assert_error (duplicate, 409, "idempotency_in_flight");
  assert_error (reused, 422, "idempotency_key_reused");

  aa_test_set_faults (server, "{\"latency_ms\": 0}");
  after = call (server, "POST", "/items", "{\"title\": \"Slow\"}", "Idempotency-Key", "k-slow");
  assert_status (after, 201);
  g_assert_cmpstr (soup_message_headers_get_one (after->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpuint (count_titled (server, "/items", "Slow"), ==, 1);
}

static void
test_idempotent_survives_restart (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) first = call (server, "POST", "/items", "{\"title\": \"Kept\"}", "Idempotency-Key", "k-kept");
  g_autoptr(Response) replay = NULL;
  g_autoptr(GError) error = NULL;

  assert_status (first, 201);

  /* A new server on the same file. */
  aa_server_thread_stop (server->thread);
  g_clear_object (&server->thread);
  server->thread = aa_server_thread_new (server->data_path, NULL);
  aa_server_thread_start (server->thread, &error);
  g_assert_no_error (error);
  g_free (server->url);
  server->url = g_strdup (aa_server_thread_get_url (server->thread));

  replay = call (server, "POST", "/items", "{\"title\": \"Kept\"}", "Idempotency-Key", "k-kept");
  assert_status (replay, 201);
  g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object (replay), "id"), ==,
                   json_object_get_string_member (object (first), "id"));
  g_assert_cmpuint (count_titled (server, "/items", "Kept"), ==, 1);
}

static void
test_faults_control (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) initial = call (server, "GET", "/_control/faults", NULL);
  g_autoptr(Response) partial = NULL;
  g_autoptr(Response) replaced = NULL;
  JsonObject *faults;

  assert_status (initial, 200);
  faults = object (initial);
  g_assert_cmpint (json_object_get_int_member (faults, "latency_ms"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (faults, "failure_rate"), ==, 0);
  g_assert_false (json_object_get_boolean_member (faults, "offline"));
  g_assert_cmpint (json_object_get_int_member (faults, "timeout_hold_ms"), ==, 30000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (faults, "next")), ==, 0);

  aa_test_set_faults (server, "{\"latency_ms\": 5, \"next\": [\"drop\", \"conflict\"]}");
  partial = call (server, "PUT", "/_control/faults", "{\"failure_rate\": 0.25}");
  assert_status (partial, 200);
  faults = object (partial);
  g_assert_cmpint (json_object_get_int_member (faults, "latency_ms"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (faults, "failure_rate"), ==, 0.25);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (faults, "next")), ==, 2);

  /* "next" replaces the queue. */
  aa_test_set_faults (server, "{\"next\": [\"error-500\"], \"failure_rate\": 0, \"latency_ms\": 0}");
  replaced = call (server, "GET", "/_control/faults", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (replaced), "next")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object (replaced), "next"), 0),
                   ==, "error-500");

  {
    static const char *invalid[] = {
      "{\"failure_rate\": 2}",
      "{\"failure_rate\": \"high\"}",
      "{\"latency_ms\": -1}",
      "{\"offline\": \"yes\"}",
      "{\"next\": [\"explode\"]}",
      "{\"next\": \"drop\"}",
      "{\"weather\": \"rain\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (invalid); i++) {
      g_autoptr(Response) response = call (server, "PUT", "/_control/faults", invalid[i]);

      g_test_message ("%s", invalid[i]);
      assert_error (response, 422, "validation_failed");
    }
  }
  {
    g_autoptr(Response) broken = call (server, "PUT", "/_control/faults", "{\"next\": [");
    g_autoptr(Response) unchanged = call (server, "GET", "/_control/faults", NULL);

    assert_error (broken, 400, "invalid_json");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (unchanged), "next")), ==, 1);
  }
}

static void
test_faults_errors (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) read_ok = NULL;
  g_autoptr(Response) e500 = NULL;
  g_autoptr(Response) e503 = NULL;
  g_autoptr(Response) conflict = NULL;
  g_autoptr(Response) retry = NULL;
  g_autoptr(Response) faults = NULL;

  aa_test_set_faults (server, "{\"next\": [\"error-500\", \"error-503\", \"conflict\"]}");

  /* Reads do not consume faults. */
  read_ok = call (server, "GET", "/items", NULL);
  assert_status (read_ok, 200);

  e500 = call (server, "POST", "/items", "{\"title\": \"Faulty\"}", "Idempotency-Key", "k-f");
  assert_error (e500, 500, "server_error");
  e503 = call (server, "POST", "/items", "{\"title\": \"Faulty\"}", "Idempotency-Key", "k-f");
  assert_error (e503, 503, "service_unavailable");
  conflict = call (server, "PATCH", "/items/1", "{\"done\": true}");
  assert_error (conflict, 412, "precondition_failed");
  g_assert_cmpuint (count_titled (server, "/items", "Faulty"), ==, 0);

  /* The failed attempts were not recorded: the same key now goes through. */
  retry = call (server, "POST", "/items", "{\"title\": \"Faulty\"}", "Idempotency-Key", "k-f");
  assert_status (retry, 201);
  g_assert_null (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"));
  g_assert_cmpuint (count_titled (server, "/items", "Faulty"), ==, 1);

  faults = call (server, "GET", "/_control/faults", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (faults), "next")), ==, 0);
  {
    g_autoptr(Response) item = call (server, "GET", "/items/1", NULL);

    g_assert_false (json_object_get_boolean_member (object (item), "done"));
  }
}

static void
test_faults_drop (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) dropped = NULL;
  g_autoptr(Response) retry = NULL;

  aa_test_set_faults (server, "{\"next\": [\"drop\"]}");
  dropped = call (server, "POST", "/items", "{\"title\": \"Dropped\"}", "Idempotency-Key", "k-drop");
  assert_no_answer (dropped);
  g_assert_cmpuint (count_titled (server, "/items", "Dropped"), ==, 0);

  retry = call (server, "POST", "/items", "{\"title\": \"Dropped\"}", "Idempotency-Key", "k-drop");
  assert_status (retry, 201);
  g_assert_null (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"));
  g_assert_cmpuint (count_titled (server, "/items", "Dropped"), ==, 1);
}

static void
test_faults_timeout (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) held = NULL;
  g_autoptr(Response) retry = NULL;

  aa_test_set_faults (server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 400}");
  held = call (server, "PATCH", "/items/5", "{\"done\": true}", "Idempotency-Key", "k-hold");
  assert_no_answer (held);
  g_assert_cmpint (held->elapsed_ms, >=, 350);

  {
    g_autoptr(Response) item = call (server, "GET", "/items/5", NULL);

    g_assert_false (json_object_get_boolean_member (object (item), "done"));
    g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 1);
  }

  retry = call (server, "PATCH", "/items/5", "{\"done\": true}", "Idempotency-Key", "k-hold");
  assert_status (retry, 200);
  g_assert_cmpint (json_object_get_int_member (object (retry), "version"), ==, 2);
}

static void
test_faults_held_closed_on_shutdown (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  Background background = { server, "POST", "/items", "{\"title\": \"Held\"}", "k-held" };
  g_autoptr(Response) held = NULL;
  GThread *thread;
  gint64 start;

  /* The default hold is 30 s: stopping must not wait for it. */
  aa_test_set_faults (server, "{\"next\": [\"timeout\"]}");
  thread = g_thread_new ("held-request", background_request, &background);
  wait_for_arrival (server, "POST", "/items", 1);
  g_usleep (50 * 1000);

  start = g_get_monotonic_time ();
  aa_server_thread_stop (server->thread);
  held = g_thread_join (thread);
  assert_no_answer (held);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

/* An If-Match the server can't read matches no version: 412, never taken
 * as "no If-Match" (which would let the change overwrite blindly). */
static void
test_if_match_malformed (void)
{
  static const char *malformed[] = { "\"abc\"", "\"1", "1\"x", "W/", "\"-1\"", "\"\"", "v1" };
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++) {
    g_autoptr(Response) refused = NULL;
    g_autoptr(Response) current = NULL;

    g_test_message ("If-Match: %s", malformed[i]);
    refused = call (server, "PATCH", "/items/2", "{\"done\": true}", "If-Match", malformed[i]);
    assert_error (refused, 412, "precondition_failed");

    current = call (server, "GET", "/items/2", NULL);
    g_assert_cmpint (json_object_get_int_member (object (current), "version"), ==, 1);
  }
}

/* A 412 depends on If-Match, which the key's fingerprint leaves out: it is
 * never replayed, so the retry with the reloaded version succeeds. */
static void
test_idempotency_412_not_replayed (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) edit = NULL;
  g_autoptr(Response) stale = NULL;
  g_autoptr(Response) retry = NULL;
  g_autoptr(Response) again = NULL;

  edit = call (server, "PATCH", "/items/2", "{\"notes\": \"Edited elsewhere\"}", "Idempotency-Key", "k-edit");
  assert_status (edit, 200);

  stale = call (server, "PATCH", "/items/2", "{\"title\": \"Mine\"}",
                "Idempotency-Key", "k-412", "If-Match", "\"1\"");
  assert_error (stale, 412, "precondition_failed");

  retry = call (server, "PATCH", "/items/2", "{\"title\": \"Mine\"}",
                "Idempotency-Key", "k-412", "If-Match", "\"2\"");
  assert_status (retry, 200);
  g_assert_null (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"));
  g_assert_cmpint (json_object_get_int_member (object (retry), "version"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object (retry), "title"), ==, "Mine");

  /* The success is the key's answer from now on. */
  again = call (server, "PATCH", "/items/2", "{\"title\": \"Mine\"}",
                "Idempotency-Key", "k-412", "If-Match", "\"2\"");
  assert_status (again, 200);
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpint (json_object_get_int_member (object (again), "version"), ==, 3);
}

static gboolean
faults_queue_empty (AaTestServer *server)
{
  g_autoptr(JsonNode) faults = NULL;
  guint status = 0;

  faults = aa_test_request (server, "GET", "/_control/faults", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (faults), "next")) == 0;
}

/* The client's own timeout gives up on a request the server holds (a
 * `timeout` fault) and sends it again with the same key while the first is
 * still held: the retry is applied at once (never 409 "in flight"), and the
 * held one, never applied, only closes. */
static void
test_faults_timeout_retry_while_held (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  Background background = { server, "PATCH", "/items/5", "{\"done\": true}", "k-held-retry" };
  g_autoptr(Response) held = NULL;
  g_autoptr(Response) retry = NULL;
  g_autoptr(Response) item = NULL;
  GThread *thread;

  aa_test_set_faults (server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 3000}");
  thread = g_thread_new ("held-request", background_request, &background);
  wait_for_arrival (server, "PATCH", "/items/5", 1);
  /* Taken by the first request: it is being held now. */
  for (guint i = 0; i < 500 && !faults_queue_empty (server); i++)
    g_usleep (10 * 1000);
  g_assert_true (faults_queue_empty (server));

  retry = call (server, "PATCH", "/items/5", "{\"done\": true}", "Idempotency-Key", "k-held-retry");
  assert_status (retry, 200);
  g_assert_null (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"));
  g_assert_cmpint (json_object_get_int_member (object (retry), "version"), ==, 2);

  held = g_thread_join (thread);
  assert_no_answer (held);

  item = call (server, "GET", "/items/5", NULL);
  g_assert_true (json_object_get_boolean_member (object (item), "done"));
  g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 2);
}

static GArray *
statuses_with_failure_rate (AaTestServer *server)
{
  GArray *statuses = g_array_new (FALSE, FALSE, sizeof (guint));

  aa_test_set_faults (server, "{\"failure_rate\": 0.5, \"seed\": 42}");
  for (guint i = 0; i < 24; i++) {
    g_autoptr(Response) read = call (server, "GET", "/items/6", NULL);
    g_autoptr(Response) response = call (server, "PATCH", "/items/6", "{\"starred\": true}");

    /* Reads never fail. */
    assert_status (read, 200);
    g_assert_no_error (response->error);
    g_assert_true (response->status == 200 || response->status == 503);
    if (response->status == 503)
      assert_error (response, 503, "service_unavailable");
    g_array_append_val (statuses, response->status);
  }
  aa_test_set_faults (server, "{\"failure_rate\": 0}");

  return statuses;
}

static void
test_faults_failure_rate (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(GArray) first = statuses_with_failure_rate (server);
  g_autoptr(GArray) second = statuses_with_failure_rate (server);
  guint n_failed = 0;

  /* The same seed gives the same failures. */
  g_assert_cmpuint (first->len, ==, second->len);
  for (guint i = 0; i < first->len; i++) {
    g_assert_cmpuint (g_array_index (first, guint, i), ==, g_array_index (second, guint, i));
    n_failed += g_array_index (first, guint, i) == 503;
  }
  g_assert_cmpuint (n_failed, >, 3);
  g_assert_cmpuint (n_failed, <, 21);

  {
    g_autoptr(Response) item = call (server, "GET", "/items/6", NULL);

    g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 1 + 2 * (24 - n_failed));
  }
}

static void
test_faults_offline (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) read = NULL;
  g_autoptr(Response) write = NULL;
  g_autoptr(Response) control = NULL;
  g_autoptr(Response) back = NULL;

  aa_test_set_faults (server, "{\"offline\": true}");
  read = call (server, "GET", "/items", NULL);
  write = call (server, "POST", "/items", "{\"title\": \"Offline\"}");
  assert_no_answer (read);
  assert_no_answer (write);

  /* The controls keep working, so the demo can come back online. */
  control = call (server, "GET", "/_control/faults", NULL);
  assert_status (control, 200);
  g_assert_true (json_object_get_boolean_member (object (control), "offline"));

  aa_test_set_faults (server, "{\"offline\": false}");
  back = call (server, "GET", "/items", NULL);
  assert_status (back, 200);
  g_assert_cmpuint (count_titled (server, "/items", "Offline"), ==, 0);
}

static void
test_faults_latency (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) slow = NULL;
  g_autoptr(Response) slow_write = NULL;
  g_autoptr(Response) control = NULL;

  aa_test_set_faults (server, "{\"latency_ms\": 300}");
  slow = call (server, "GET", "/me", NULL);
  assert_status (slow, 200);
  g_assert_cmpint (slow->elapsed_ms, >=, 290);
  slow_write = call (server, "POST", "/items", "{\"title\": \"Slowly\"}");
  assert_status (slow_write, 201);
  g_assert_cmpint (slow_write->elapsed_ms, >=, 290);

  /* The controls are never delayed: with ten minutes of latency they still
   * answer (well before the client gives up after 20 s). */
  aa_test_set_faults (server, "{\"latency_ms\": 600000}");
  control = call (server, "GET", "/_control/faults", NULL);
  assert_status (control, 200);
  aa_test_set_faults (server, "{\"latency_ms\": 0}");
}

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

/* Sanitizers make every allocation many times slower: a smaller list there. */
#if defined(__SANITIZE_ADDRESS__)
# define N_LARGE 2000
#else
# define N_LARGE 10000
#endif

static void
test_large_list (void)
{
  g_autoptr(AaTestServer) server = g_new0 (AaTestServer, 1);
  g_autoptr(GString) data = g_string_new ("{\"format\": 1, \"members\": [{\"id\": \"1\", \"name\": \"Ana Lima\", \"role\": \"owner\"}], \"items\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) patch = NULL;
  g_autoptr(Response) again = NULL;

  for (guint i = 1; i <= N_LARGE; i++)
    g_string_append_printf (data, "%s{\"id\": \"%u\", \"title\": \"Note %u\", \"notes\": \"Some notes\", "
                            "\"version\": 1, \"updated_at\": \"2026-01-01T10:00:00Z\"}",
                            i > 1 ? "," : "", i, i);
  g_string_append (data, "]}");

  server->dir = g_dir_make_tmp ("aa-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->data_path = g_build_filename (server->dir, "data.json", NULL);
  g_file_set_contents (server->data_path, data->str, (gssize) data->len, &error);
  g_assert_no_error (error);
  server->thread = aa_server_thread_new (server->data_path, NULL);
  aa_server_thread_start (server->thread, &error);
  g_assert_no_error (error);
  server->url = g_strdup (aa_server_thread_get_url (server->thread));

  list = call (server, "GET", "/items", NULL);
  assert_status (list, 200);
  g_assert_cmpuint (json_array_get_length (array (list)), ==, N_LARGE);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array (list), 0), "id"), ==,
                   G_STRINGIFY (N_LARGE));

  /* A change is written, and the list shows it (its cache is gone). How
   * fast both are is for bench-server. */
  patch = call (server, "PATCH", "/items/" G_STRINGIFY (N_LARGE), "{\"done\": true}");
  assert_status (patch, 200);
  again = call (server, "GET", "/items", NULL);
  assert_status (again, 200);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array (again), 0), "done"));
}

static void
test_storage_failure (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) create = NULL;
  g_autoptr(Response) patch = NULL;
  g_autoptr(Response) item = NULL;
  g_autoptr(Response) retry = NULL;
  sqlite3 *other = NULL;

  /* Another process holds the database's write lock: every write fails. */
  g_assert_cmpint (sqlite3_open (server->data_path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  create = call (server, "POST", "/items", "{\"title\": \"Unsaved\"}", "Idempotency-Key", "k-unsaved");
  assert_error (create, 500, "storage_failed");
  patch = call (server, "PATCH", "/items/1", "{\"done\": true}");
  assert_error (patch, 500, "storage_failed");

  /* Nothing that was refused stays in memory either. */
  g_assert_cmpuint (count_titled (server, "/items", "Unsaved"), ==, 0);
  item = call (server, "GET", "/items/1", NULL);
  g_assert_false (json_object_get_boolean_member (object (item), "done"));
  g_assert_cmpint (json_object_get_int_member (object (item), "version"), ==, 1);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  retry = call (server, "POST", "/items", "{\"title\": \"Unsaved\"}", "Idempotency-Key", "k-unsaved");
  assert_status (retry, 201);
  g_assert_null (soup_message_headers_get_one (retry->headers, "Idempotent-Replayed"));
  g_assert_true (g_file_test (server->data_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_corrupt_data_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aa-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(AaServer) server = NULL;
  const char *corrupt = "{\"items\": [{\"title\": \"half a file";

  g_assert_no_error (error);
  g_file_set_contents (path, corrupt, -1, &error);
  g_assert_no_error (error);

  server = aa_server_new (path, NULL, &error);
  g_assert_null (server);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));

  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, corrupt);
  g_unlink (path);
  g_rmdir (dir);
}


static guint16
server_port (AaTestServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

static GSocketConnection *
raw_connect (AaTestServer *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server_port (server), NULL, &error);
  g_assert_no_error (error);
  /* A server that never answers fails the test rather than hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);

  return connection;
}

/* Everything the server sends until it closes the connection. */
static char *
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
static char *
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

static void
test_idempotency_key_length (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autofree char *longest = g_strnfill (255, 'k');
  g_autofree char *too_long = g_strnfill (256, 'k');
  g_autofree char *huge = g_strnfill (60 * 1024, 'k');
  g_autoptr(Response) refused = call (server, "POST", "/items", "{\"title\": \"Long key\"}",
                                      "Idempotency-Key", too_long);
  g_autoptr(Response) refused_huge = call (server, "POST", "/items", "{\"title\": \"Long key\"}",
                                           "Idempotency-Key", huge);
  g_autoptr(Response) spaced = call (server, "POST", "/items", "{\"title\": \"Long key\"}",
                                     "Idempotency-Key", "two words");
  g_autoptr(Response) accepted = call (server, "POST", "/items", "{\"title\": \"Long key\"}",
                                       "Idempotency-Key", longest);
  g_autoptr(Response) replayed = call (server, "POST", "/items", "{\"title\": \"Long key\"}",
                                       "Idempotency-Key", longest);

  assert_error (refused, 400, "idempotency_key_invalid");
  assert_error (refused_huge, 400, "idempotency_key_invalid");
  assert_error (spaced, 400, "idempotency_key_invalid");
  assert_status (accepted, 201);
  assert_status (replayed, 201);
  g_assert_cmpstr (soup_message_headers_get_one (replayed->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpuint (count_titled (server, "/items", "Long key"), ==, 1);
}

static const char *
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

/* A key answers only the one who used it: a member replaying an admin's
 * key for a role change is not handed the admin's success. */
static void
test_idempotency_scoped_by_principal (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autoptr(Response) promoted = NULL;
  g_autoptr(Response) demoted = NULL;
  g_autoptr(Response) as_member = NULL;
  g_autoptr(Response) replay_as_member = NULL;
  g_autoptr(Response) as_admin = NULL;
  g_autoptr(Response) replay_as_admin = NULL;
  const char *change = "{\"role\": \"admin\"}";

  /* Signed in as the admin (member 2) by default. */
  promoted = call (server, "PATCH", "/members/3", change, "Idempotency-Key", "k-role");
  assert_status (promoted, 200);
  demoted = call (server, "PATCH", "/members/3", "{\"role\": \"member\"}");
  assert_status (demoted, 200);

  as_member = call (server, "PUT", "/_control/session", "{\"member_id\": \"4\"}");
  assert_status (as_member, 200);
  replay_as_member = call (server, "PATCH", "/members/3", change, "Idempotency-Key", "k-role");
  assert_error (replay_as_member, 403, "forbidden");
  g_assert_null (soup_message_headers_get_one (replay_as_member->headers, "Idempotent-Replayed"));
  g_assert_cmpstr (member_role (server, "3"), ==, "member");

  /* The admin still gets the recorded answer. */
  as_admin = call (server, "PUT", "/_control/session", "{\"member_id\": \"2\"}");
  assert_status (as_admin, 200);
  replay_as_admin = call (server, "PATCH", "/members/3", change, "Idempotency-Key", "k-role");
  assert_status (replay_as_admin, 200);
  g_assert_cmpstr (soup_message_headers_get_one (replay_as_admin->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (member_role (server, "3"), ==, "member");
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/Server/items/list", test_items_list);
  g_test_add_func ("/Aa/Server/items/pages", test_items_pages);
  g_test_add_func ("/Aa/Server/items/get", test_items_get);
  g_test_add_func ("/Aa/Server/items/create", test_items_create);
  g_test_add_func ("/Aa/Server/items/create-invalid", test_items_create_invalid);
  g_test_add_func ("/Aa/Server/items/patch", test_items_patch);
  g_test_add_func ("/Aa/Server/items/patch-invalid", test_items_patch_invalid);
  g_test_add_func ("/Aa/Server/trash/restore", test_trash_restore);
  g_test_add_func ("/Aa/Server/trash/empty", test_trash_empty);
  g_test_add_func ("/Aa/Server/bad-requests", test_bad_requests);
  g_test_add_func ("/Aa/Server/routing", test_routing);
  g_test_add_func ("/Aa/Server/payments", test_invoices_payments);
  g_test_add_func ("/Aa/Server/members", test_members);
  g_test_add_func ("/Aa/Server/idempotency/replay", test_idempotent_replay);
  g_test_add_func ("/Aa/Server/idempotency/lost-response", test_idempotent_lost_response);
  g_test_add_func ("/Aa/Server/idempotency/in-flight", test_idempotent_in_flight);
  g_test_add_func ("/Aa/Server/idempotency/survives-restart", test_idempotent_survives_restart);
  g_test_add_func ("/Aa/Server/faults/control", test_faults_control);
  g_test_add_func ("/Aa/Server/faults/errors", test_faults_errors);
  g_test_add_func ("/Aa/Server/faults/drop", test_faults_drop);
  g_test_add_func ("/Aa/Server/faults/timeout", test_faults_timeout);
  g_test_add_func ("/Aa/Server/faults/timeout-retry-while-held", test_faults_timeout_retry_while_held);
  g_test_add_func ("/Aa/Server/items/if-match-malformed", test_if_match_malformed);
  g_test_add_func ("/Aa/Server/idempotency/412-not-replayed", test_idempotency_412_not_replayed);
  g_test_add_func ("/Aa/Server/faults/held-closed-on-shutdown", test_faults_held_closed_on_shutdown);
  g_test_add_func ("/Aa/Server/faults/failure-rate", test_faults_failure_rate);
  g_test_add_func ("/Aa/Server/faults/offline", test_faults_offline);
  g_test_add_func ("/Aa/Server/faults/latency", test_faults_latency);
  g_test_add_func ("/Aa/Server/auth", test_auth);
  g_test_add_func ("/Aa/Server/stats", test_stats);
  g_test_add_func ("/Aa/Server/large-list", test_large_list);
  g_test_add_func ("/Aa/Server/storage-failure", test_storage_failure);
  g_test_add_func ("/Aa/Server/corrupt-data-file", test_corrupt_data_file);
  g_test_add_func ("/Aa/Server/idempotency/key-length", test_idempotency_key_length);
  g_test_add_func ("/Aa/Server/idempotency/scoped-by-principal", test_idempotency_scoped_by_principal);
  g_test_add_func ("/Aa/Server/host-and-origin", test_host_and_origin);
  g_test_add_func ("/Aa/Server/oversize-refused-unread", test_oversize_refused_unread);
  g_test_add_func ("/Aa/Server/chunked-cut-off", test_chunked_cut_off);
  g_test_add_func ("/Aa/Server/nul-refused", test_nul_refused);
  g_test_add_func ("/Aa/Server/stats-bounded", test_stats_bounded);
  g_test_add_func ("/Aa/Server/many-connections", test_many_connections);

  return g_test_run ();
}
