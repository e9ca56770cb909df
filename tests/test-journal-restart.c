/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "aa-action-manager.h"
#include "aa-test-utils.h"

/*
 * The journal across a real death: a child process makes changes in every
 * unsettled state against the real server (held on the wire, queued
 * behind it, refused and awaiting Retry, applied with its answer lost so
 * its outcome is unknown, waiting for a server that can't be reached),
 * types a draft, and is killed with SIGKILL; this process starts again on
 * the same journal and the server's own data shows each change applied
 * exactly once.
 */

static gboolean
not_pending (gpointer user_data)
{
  return !aa_mutation_is_pending (user_data);
}

static gboolean
is_unknown (gpointer user_data)
{
  return aa_mutation_get_state (user_data) == AA_MUTATION_STATE_UNKNOWN;
}

static gboolean
is_waiting (gpointer user_data)
{
  return aa_mutation_get_state (user_data) == AA_MUTATION_STATE_WAITING;
}

static gboolean
unreachable (gpointer user_data)
{
  return !aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (user_data)));
}

static gboolean
nothing_pending (gpointer user_data)
{
  return aa_engine_get_n_pending (aa_action_manager_get_engine (user_data)) == 0;
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static AaItem *
item_titled (AaActionManager *manager,
             const char      *title)
{
  GListModel *items = aa_action_manager_get_items (manager);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (items, i);

    if (g_strcmp0 (aa_item_get_title (item), title) == 0)
      return item;
  }
  g_assert_not_reached ();
}

/* The child: every state a restart must bring back, then it waits to be
 * killed. */
static int
run_child (const char *url)
{
  AaTestServer server = { .url = (char *) url };
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaActionManager) manager = aa_action_manager_new (client);
  g_autoptr(GError) error = NULL;
  AaMutation *failed, *lost, *held, *queued, *waiting;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  if (!aa_action_manager_open_journal (manager, NULL, NULL, &error))
    g_error ("%s", error->message);
  aa_test_refresh (manager, AA_REFRESH_ITEMS);

  /* Failed, awaiting Retry: the server refused it (500), nothing applied. */
  aa_test_set_faults (&server, "{\"next\": [\"error-500\"]}");
  failed = aa_action_manager_set_starred (manager, item_titled (manager, "B"), TRUE);
  aa_test_wait_until (not_pending, failed, 5000);

  /* Held on the wire (the server sits on it, then closes without applying
   * it), and a change queued behind it. */
  aa_test_set_faults (&server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 60000}");
  held = aa_action_manager_set_starred (manager, item_titled (manager, "A"), TRUE);
  queued = aa_action_manager_set_done (manager, item_titled (manager, "A"), TRUE);
  g_assert_cmpint (aa_mutation_get_state (held), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (queued), ==, AA_MUTATION_STATE_QUEUED);
  iterate_for (300);

  /* Applied by the server, its answer lost: unknown. The server goes
   * offline before the engine finds out, so it stays unknown. */
  aa_test_set_faults (&server, "{\"next\": [\"lost-response\"]}");
  lost = aa_action_manager_set_starred (manager, item_titled (manager, "D"), TRUE);
  aa_test_wait_until (is_unknown, lost, 5000);
  aa_test_set_faults (&server, "{\"offline\": true}");

  /* Waiting for the server, which can't be reached. */
  aa_test_wait_until (unreachable, manager, 10000);
  waiting = aa_action_manager_set_starred (manager, item_titled (manager, "E"), TRUE);
  aa_test_wait_until (is_waiting, waiting, 5000);
  g_assert_cmpint (aa_mutation_get_state (lost), ==, AA_MUTATION_STATE_UNKNOWN);

  /* Typed text, not saved. */
  aa_action_manager_keep_draft (manager, item_titled (manager, "C"), "C", "typed before the kill",
                                aa_item_get_version (item_titled (manager, "C")));
  aa_action_manager_flush_drafts (manager);

  if (!aa_journal_flush (aa_action_manager_get_journal (manager), &error))
    g_error ("%s", error->message);
  g_print ("ready\n");
  fflush (stdout);

  /* Until the parent kills it. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static JsonObject *
server_note (AaTestServer *server,
             const char   *id)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (node));
}

static gint64
server_version (AaTestServer *server,
                AaItem       *item)
{
  g_autoptr(JsonObject) note = server_note (server, aa_resource_get_id (AA_RESOURCE (item)));

  return json_object_get_int_member (note, "version");
}

static gboolean
restored (gpointer user_data)
{
  AaActionManager *manager = user_data;

  return aa_engine_get_n_pending (aa_action_manager_get_engine (manager)) > 0 || aa_engine_get_n_failed (aa_action_manager_get_engine (manager)) > 0;
}

static void
test_killed_and_restarted (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaActionManager) manager = NULL;
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;
  const char *names[] = { "A", "B", "C", "D", "E" };
  gint64 before[G_N_ELEMENTS (names)];
  AaItem *a, *b, *c, *d, *e;
  AaMutation *retried = NULL;
  guint n_patches_before;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    aa_test_create_note (server, names[i]);

  client = aa_rest_client_new (server->url);
  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  manager = aa_action_manager_new (client);
  aa_test_refresh (manager, AA_REFRESH_ITEMS);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    before[i] = server_version (server, item_titled (manager, names[i]));
  g_clear_object (&manager);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            g_test_get_filename (G_TEST_BUILT, "test-journal-restart", NULL),
                            "--child", server->url, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  aa_test_set_faults (server, "{\"offline\": false, \"next\": []}");
  n_patches_before = aa_test_count_requests (server, "PATCH", "/items/");

  /* Started again, on the same journal. */
  manager = aa_action_manager_new (client);
  g_assert_true (aa_action_manager_open_journal (manager, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (aa_journal_get_n_entries (aa_action_manager_get_journal (manager)), ==, 5);
  aa_test_refresh (manager, AA_REFRESH_ITEMS);
  aa_test_wait_until (restored, manager, 5000);
  a = item_titled (manager, "A");
  b = item_titled (manager, "B");
  c = item_titled (manager, "C");
  d = item_titled (manager, "D");
  e = item_titled (manager, "E");

  /* The held star and the queued done are shown at once, pending; so is
   * the star that waited for the server. */
  g_assert_true (aa_item_get_starred (a));
  g_assert_true (aa_item_get_done (a));
  g_assert_true (aa_engine_has_pending (aa_action_manager_get_engine (manager), AA_RESOURCE (a)));
  g_assert_true (aa_item_get_starred (e));

  /* The typed text is back. */
  g_assert_true (aa_action_manager_lookup_draft (manager, c, &title, &notes, NULL));
  g_assert_cmpstr (notes, ==, "typed before the kill");

  aa_test_wait_until (nothing_pending, manager, 10000);
  g_assert_true (aa_item_get_starred (a));
  g_assert_true (aa_item_get_done (a));

  /* The unknown one was resolved by itself (sent again with its key: the
   * server replayed it); the refused one waits for Retry, never sent
   * unseen. */
  g_assert_true (aa_item_get_starred (d));
  unsettled = aa_action_manager_list_unsettled (manager);
  g_assert_cmpuint (unsettled->len, ==, 1);
  for (guint i = 0; i < unsettled->len; i++) {
    AaMutation *mutation = g_ptr_array_index (unsettled, i);

    g_assert_false (aa_mutation_is_pending (mutation));
    g_assert_true (aa_action_manager_retry (manager, mutation));
    retried = mutation;
    aa_test_wait_until (not_pending, mutation, 5000);
    g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  }
  g_assert_nonnull (retried);
  g_assert_true (aa_item_get_starred (b));
  g_assert_true (aa_item_get_starred (d));

  /* Each change applied once: A got its star and its done, B, D and E
   * their star (D's again replayed what the server had), C nothing. */
  g_assert_cmpint (server_version (server, a), ==, before[0] + 2);
  g_assert_cmpint (server_version (server, b), ==, before[1] + 1);
  g_assert_cmpint (server_version (server, c), ==, before[2]);
  g_assert_cmpint (server_version (server, d), ==, before[3] + 1);
  g_assert_cmpint (server_version (server, e), ==, before[4] + 1);
  /* After the kill: A's star again, its done, D again, E, B's retry. */
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/") - n_patches_before, ==, 5);

  /* Settled: out of the journal; the draft stays until saved. */
  g_assert_true (aa_journal_flush (aa_action_manager_get_journal (manager), &error));
  g_assert_cmpuint (aa_journal_get_n_entries (aa_action_manager_get_journal (manager)), ==, 0);
  g_assert_true (aa_journal_has_draft (aa_action_manager_get_journal (manager), aa_resource_get_id (AA_RESOURCE (c))));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2]);

  /* Never the user's own state folder; the child inherits it. */
  state_home = g_dir_make_tmp ("aa-journal-restart-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/JournalRestart/killed-and-restarted", test_killed_and_restarted);

  return g_test_run ();
}
