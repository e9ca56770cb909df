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
#include "aa-rest-client-helpers.h"

/* AaRestClient's failures: every AaError kind from the situation that
 * really causes it, and what to do next. The JSON it reads, the headers it
 * sends and its properties are in test-rest-client-json.c. */

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

  return g_test_run ();
}
