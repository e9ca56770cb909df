/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The demo server's contract, status by status, against a real server on
 * its own thread (tests/aa-test-utils.h): items, trash, payments, members
 * and storage. Faults, idempotency and admission have files of their own. */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "aa-server.h"
#include "test-server-common.h"

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

/* A flipped byte in a stored text passes SQLite's checks at start-up, but
 * is not UTF-8: that note is left out of the list, which stays valid JSON
 * and names it (Aa-Damaged-Records), and the note itself answers a 500
 * that says which it is. The other notes are served and changed. */
static void
test_damaged_text (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Response) damaged = NULL;
  g_autoptr(Response) patch_damaged = NULL;
  g_autoptr(Response) patch_other = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;
  JsonArray *items;
  sqlite3 *db = NULL;

  aa_server_thread_stop (server->thread);
  g_assert_cmpint (sqlite3_open (server->data_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE items SET title = CAST (X'4F6BFF21' AS TEXT) WHERE id = '5'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  aa_test_server_restart (server);

  uri = g_strconcat (server->url, "/items", NULL);
  msg = soup_message_new ("GET", uri);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_utf8_validate (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL));
  items = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (items), ==, 11);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "id"), !=, "5");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Aa-Damaged-Records"), ==, "5");

  damaged = call (server, "GET", "/items/5", NULL);
  assert_error (damaged, 500, "damaged_record");
  message = json_object_get_string_member (json_object_get_object_member (object (damaged), "error"), "message");
  g_assert_nonnull (strstr (message, "5"));
  g_assert_nonnull (strstr (message, "title"));
  patch_damaged = call (server, "PATCH", "/items/5", "{\"done\": true}");
  assert_error (patch_damaged, 500, "damaged_record");
  patch_other = call (server, "PATCH", "/items/6", "{\"done\": true}");
  assert_status (patch_other, 200);
}

static const char *
title_in_list (Response   *list,
               const char *id)
{
  JsonArray *items = array (list);

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *item = json_array_get_object_element (items, i);

    if (g_str_equal (json_object_get_string_member (item, "id"), id))
      return json_object_get_string_member (item, "title");
  }

  return NULL;
}

/* Reads show what is on disk: while another connection holds the database,
 * a PATCH waits for the disk, and neither the note nor the list shows it;
 * once it is written and answered, both do. */
static void
test_reads_show_durable (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) before = call (server, "GET", "/items/3", NULL);
  g_autoptr(Response) item = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) patched = NULL;
  g_autoptr(Response) item_after = NULL;
  g_autoptr(Response) list_after = NULL;
  Background background = { server, "PATCH", "/items/3", "{\"title\": \"Not on disk yet\"}", "k-durable" };
  const char *title;
  GThread *thread;
  sqlite3 *db = NULL;

  assert_status (before, 200);
  title = json_object_get_string_member (object (before), "title");

  g_assert_cmpint (sqlite3_open (server->data_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  thread = g_thread_new ("patch-held", background_request, &background);
  wait_for_arrival (server, "PATCH", "/items/3", 1);

  item = call (server, "GET", "/items/3", NULL);
  assert_status (item, 200);
  g_assert_cmpstr (json_object_get_string_member (object (item), "title"), ==, title);
  g_assert_cmpstr (soup_message_headers_get_one (item->headers, "ETag"), ==,
                   soup_message_headers_get_one (before->headers, "ETag"));
  list = call (server, "GET", "/items", NULL);
  assert_status (list, 200);
  g_assert_cmpstr (title_in_list (list, "3"), ==, title);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  patched = g_thread_join (thread);
  assert_status (patched, 200);

  item_after = call (server, "GET", "/items/3", NULL);
  g_assert_cmpstr (json_object_get_string_member (object (item_after), "title"), ==, "Not on disk yet");
  list_after = call (server, "GET", "/items", NULL);
  g_assert_cmpstr (title_in_list (list_after, "3"), ==, "Not on disk yet");
}

/* GET @path: valid UTF-8 and JSON, with its Aa-Damaged-Records header. */
static JsonNode *
get_readable (AaTestServer  *server,
              const char    *path,
              char         **out_damaged)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (bytes, &length);
  g_assert_true (g_utf8_validate (data, (gssize) length, NULL));
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) length, NULL));
  *out_damaged = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "Aa-Damaged-Records"));

  return json_parser_steal_root (parser);
}

/* The first event the stream sends after Last-Event-ID 0, whole. */
static char *
first_event (AaTestServer *server)
{
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  g_autofree char *head = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                           "Last-Event-ID: 0\r\n\r\n", server_port (server));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *event;

  /* A bound on liveness, not a timing. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 60);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((event = strstr (text->str, "\nevent: ")) == NULL || strstr (event, "\n\n") == NULL) {
    char buffer[4096];
    gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
    g_string_append_len (text, buffer, n);
  }

  return g_strndup (event + 1, (gsize) (strstr (event, "\n\n") - event));
}

/* Damaged text (not UTF-8) in every table that is served: an invoice and a
 * member are left out of their lists, named, and refuse changes with 500
 * damaged_record; a damaged answer to replay is not replayed; a damaged
 * event is not streamed, the reader is told to start over. */
static void
test_damaged_text_everywhere (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) patched = call (server, "PATCH", "/items/4", "{\"done\": true}", "Idempotency-Key", "k-damaged");
  g_autoptr(Response) replayed = NULL;
  g_autoptr(Response) paid = NULL;
  g_autoptr(Response) role = NULL;
  g_autoptr(Response) other_role = NULL;
  g_autoptr(JsonNode) invoices = NULL;
  g_autoptr(JsonNode) members = NULL;
  g_autofree char *invoices_damaged = NULL;
  g_autofree char *members_damaged = NULL;
  g_autofree char *event = NULL;
  sqlite3 *db = NULL;
  const char *damage[] = {
    "UPDATE invoices SET description = CAST (X'576F726BFF' AS TEXT) WHERE id = 'INV-2026-0147'",
    "UPDATE members SET name = CAST (X'4169FE6B6F' AS TEXT) WHERE id = '3'",
    "UPDATE idempotency SET body = CAST (X'7B22FF227D' AS TEXT) WHERE key = 'k-damaged'",
    "UPDATE events SET data = CAST (X'7B22FF227D' AS TEXT) WHERE id = (SELECT MIN (id) FROM events)",
  };

  assert_status (patched, 200);
  aa_server_thread_stop (server->thread);
  g_assert_cmpint (sqlite3_open (server->data_path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    g_assert_cmpint (sqlite3_exec (db, damage[i], NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  aa_test_server_restart (server);

  invoices = get_readable (server, "/invoices", &invoices_damaged);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (invoices)), ==, 2);
  g_assert_cmpstr (invoices_damaged, ==, "INV-2026-0147");
  members = get_readable (server, "/members", &members_damaged);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (members)), ==, 3);
  g_assert_cmpstr (members_damaged, ==, "3");

  paid = call (server, "POST", "/payments", "{\"invoice_id\": \"INV-2026-0147\", \"card_number\": \"4242424242424242\"}",
               "Idempotency-Key", "k-pay-damaged");
  assert_error (paid, 500, "damaged_record");
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (object (paid), "error"), "message"),
                            "INV-2026-0147"));
  role = call (server, "PATCH", "/members/3", "{\"role\": \"admin\"}", "Idempotency-Key", "k-role-damaged");
  assert_error (role, 500, "damaged_record");
  other_role = call (server, "PATCH", "/members/4", "{\"role\": \"admin\"}", "Idempotency-Key", "k-role-other");
  assert_status (other_role, 200);

  replayed = call (server, "PATCH", "/items/4", "{\"done\": true}", "Idempotency-Key", "k-damaged");
  assert_error (replayed, 500, "damaged_record");

  event = first_event (server);
  g_assert_true (g_utf8_validate (event, -1, NULL));
  g_assert_true (g_str_has_prefix (event, "event: reset\n"));
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
  g_test_add_func ("/Aa/Server/large-list", test_large_list);
  g_test_add_func ("/Aa/Server/storage-failure", test_storage_failure);
  g_test_add_func ("/Aa/Server/corrupt-data-file", test_corrupt_data_file);
  g_test_add_func ("/Aa/Server/damaged-text", test_damaged_text);
  g_test_add_func ("/Aa/Server/damaged-text-everywhere", test_damaged_text_everywhere);
  g_test_add_func ("/Aa/Server/reads-show-durable", test_reads_show_durable);

  return g_test_run ();
}
