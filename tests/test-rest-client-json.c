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

/* AaRestClient's reading and writing: the JSON shapes it takes or
 * refuses, the headers it sends, replays, cancelling, its properties, and
 * the input rules it shares with the server. Its failures are in
 * test-rest-client.c. */

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
