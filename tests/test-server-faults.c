/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The demo server's fault kit (the demo's Network conditions and the
 * tests' own faults: errors, drops, timeouts, latency, offline), against a
 * real server on its own thread (tests/aa-test-utils.h). The rest of the
 * contract is in test-server.c. */

#include "config.h"

#include <string.h>

#include "aa-server.h"
#include "test-server-common.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/Server/faults/control", test_faults_control);
  g_test_add_func ("/Aa/Server/faults/errors", test_faults_errors);
  g_test_add_func ("/Aa/Server/faults/drop", test_faults_drop);
  g_test_add_func ("/Aa/Server/faults/timeout", test_faults_timeout);
  g_test_add_func ("/Aa/Server/faults/timeout-retry-while-held", test_faults_timeout_retry_while_held);
  g_test_add_func ("/Aa/Server/faults/held-closed-on-shutdown", test_faults_held_closed_on_shutdown);
  g_test_add_func ("/Aa/Server/faults/failure-rate", test_faults_failure_rate);
  g_test_add_func ("/Aa/Server/faults/offline", test_faults_offline);
  g_test_add_func ("/Aa/Server/faults/latency", test_faults_latency);

  return g_test_run ();
}
