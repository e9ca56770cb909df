/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The demo server's idempotency keys: replays, keys in flight, their
 * scope, and a change and its record as one. */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "aa-server.h"
#include "test-server-common.h"

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

  assert_status (first, 201);

  /* A new server on the same file. */
  aa_test_server_restart (server);

  replay = call (server, "POST", "/items", "{\"title\": \"Kept\"}", "Idempotency-Key", "k-kept");
  assert_status (replay, 201);
  g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object (replay), "id"), ==,
                   json_object_get_string_member (object (first), "id"));
  g_assert_cmpuint (count_titled (server, "/items", "Kept"), ==, 1);
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

/* Two members under one token, the same key and body: each change is its
 * own. The idempotency scope is who asks, the member included. */
static void
test_idempotency_scoped_by_member (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("s3cret");
  g_autoptr(Response) by_admin = NULL;
  g_autoptr(Response) by_member = NULL;
  g_autoptr(Response) again_by_member = NULL;
  const char *body = "{\"title\": \"Same body\"}";

  /* Signed in as the admin (member 2) by default. */
  by_admin = call (server, "POST", "/items", body, "Idempotency-Key", "k-shared");
  assert_status (by_admin, 201);

  set_session (server, "4");
  by_member = call (server, "POST", "/items", body, "Idempotency-Key", "k-shared");
  assert_status (by_member, 201);
  g_assert_null (soup_message_headers_get_one (by_member->headers, "Idempotent-Replayed"));
  g_assert_cmpstr (json_object_get_string_member (object (by_member), "id"), !=,
                   json_object_get_string_member (object (by_admin), "id"));
  g_assert_cmpuint (count_titled (server, "/items", "Same body"), ==, 2);

  /* Each member's own retry is a replay of their own change. */
  again_by_member = call (server, "POST", "/items", body, "Idempotency-Key", "k-shared");
  assert_status (again_by_member, 201);
  g_assert_cmpstr (soup_message_headers_get_one (again_by_member->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (object (again_by_member), "id"), ==,
                   json_object_get_string_member (object (by_member), "id"));
  g_assert_cmpuint (count_titled (server, "/items", "Same body"), ==, 2);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 20000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static char *
stored_title (const char *path,
              const char *id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *title = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 20000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT title FROM items WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return title;
}

/* The change is written, then its idempotency record fails: the answer is
 * a 500, the change is not saved (one transaction, rolled back), the
 * server shows what is on disk, and later writes go through. */
static void
test_idempotency_record_fails (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(Response) before = call (server, "GET", "/items/3", NULL);
  g_autoptr(Response) failed = NULL;
  g_autoptr(Response) shown = NULL;
  g_autoptr(Response) later = NULL;
  g_autoptr(Response) retried = NULL;
  g_autofree char *title = NULL;
  gint64 version;

  assert_status (before, 200);
  version = json_object_get_int_member (object (before), "version");

  /* The record's insert fails for this key alone, after the item's. */
  exec_sql (server->data_path,
            "CREATE TRIGGER test_fail_record BEFORE INSERT ON idempotency WHEN NEW.key = 'k-fails'"
            " BEGIN SELECT RAISE (ABORT, 'the record could not be written'); END;");

  failed = call (server, "PATCH", "/items/3", "{\"title\": \"Never saved\"}", "Idempotency-Key", "k-fails");
  assert_error (failed, 500, "storage_failed");

  title = stored_title (server->data_path, "3");
  g_assert_cmpstr (title, ==, json_object_get_string_member (object (before), "title"));
  shown = call (server, "GET", "/items/3", NULL);
  assert_status (shown, 200);
  g_assert_cmpstr (json_object_get_string_member (object (shown), "title"), ==,
                   json_object_get_string_member (object (before), "title"));
  g_assert_cmpint (json_object_get_int_member (object (shown), "version"), ==, version);

  later = call (server, "PATCH", "/items/3", "{\"title\": \"Saved later\"}", "Idempotency-Key", "k-later");
  assert_status (later, 200);
  g_assert_cmpint (json_object_get_int_member (object (later), "version"), ==, version + 1);
  g_clear_pointer (&title, g_free);
  title = stored_title (server->data_path, "3");
  g_assert_cmpstr (title, ==, "Saved later");

  /* The failed key was never recorded: once the store works, its retry
   * is applied, once. */
  exec_sql (server->data_path, "DROP TRIGGER test_fail_record;");
  retried = call (server, "PATCH", "/items/3", "{\"title\": \"Never saved\"}", "Idempotency-Key", "k-fails");
  assert_status (retried, 200);
  g_assert_null (soup_message_headers_get_one (retried->headers, "Idempotent-Replayed"));
  g_assert_cmpint (json_object_get_int_member (object (retried), "version"), ==, version + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/Server/idempotency/replay", test_idempotent_replay);
  g_test_add_func ("/Aa/Server/idempotency/lost-response", test_idempotent_lost_response);
  g_test_add_func ("/Aa/Server/idempotency/in-flight", test_idempotent_in_flight);
  g_test_add_func ("/Aa/Server/idempotency/survives-restart", test_idempotent_survives_restart);
  g_test_add_func ("/Aa/Server/items/if-match-malformed", test_if_match_malformed);
  g_test_add_func ("/Aa/Server/idempotency/412-not-replayed", test_idempotency_412_not_replayed);
  g_test_add_func ("/Aa/Server/idempotency/key-length", test_idempotency_key_length);
  g_test_add_func ("/Aa/Server/idempotency/scoped-by-principal", test_idempotency_scoped_by_principal);
  g_test_add_func ("/Aa/Server/idempotency/scoped-by-member", test_idempotency_scoped_by_member);
  g_test_add_func ("/Aa/Server/idempotency/record-fails", test_idempotency_record_fails);

  return g_test_run ();
}
