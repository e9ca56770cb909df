/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-domain-fixture.h"

/* The notes of the app's domain (AaActionManager) against the real server:
 * optimistic changes, ordering, coalescing, creates, undo, refreshes,
 * conflicts and validation. */

static void
test_optimistic_star (Fixture       *f,
                      gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  gboolean was = aa_item_get_starred (item);
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *mutation;

  g_signal_connect (item, "notify::starred", G_CALLBACK (notify_counter_cb), NULL);

  mutation = aa_action_manager_set_starred (f->manager, item, !was);

  /* Changed inside the call, before the main context ran once. */
  g_assert_cmpint (aa_item_get_starred (item), ==, !was);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_PENDING);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_policy (mutation), ==, AA_POLICY_OPTIMISTIC);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 0);

  wait_settled (mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 1);
  g_assert_cmpint (aa_item_get_starred (item), ==, !was);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_SYNCED);
  /* The row changed once: no flicker on confirmation. */
  g_assert_cmpuint (count_notify (G_OBJECT (item), "starred"), ==, 1);

  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, !was);

  /* Success of a toggle is inline only. */
  g_assert_cmpuint (f->feedback->len, ==, 1);
  assert_feedback (last_feedback (f), mutation, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_signal_handlers_disconnect_by_func (item, notify_counter_cb, NULL);
}

typedef struct {
  AaItem   *item;
  gboolean  done_when_rolled_back;
  gboolean  seen;
} RollbackWatch;

static void
star_state_cb (AaMutation    *mutation,
               GParamSpec    *pspec,
               RollbackWatch *watch)
{
  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_ROLLED_BACK) {
    watch->done_when_rolled_back = aa_item_get_done (watch->item);
    watch->seen = TRUE;
  }
}

static void
test_rollback_keeps_later_pending (Fixture       *f,
                                   gconstpointer  data)
{
  AaItem *item = item_at (f, 1);
  gboolean starred = aa_item_get_starred (item);
  gboolean done = aa_item_get_done (item);
  g_autoptr(JsonObject) on_server = NULL;
  RollbackWatch watch = { item, FALSE, FALSE };
  AaMutation *star, *mark;
  AaFeedback *feedback;
  g_autofree char *expected = NULL;

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");

  star = aa_action_manager_set_starred (f->manager, item, !starred);
  mark = aa_action_manager_set_done (f->manager, item, !done);
  g_signal_connect (star, "notify::state", G_CALLBACK (star_state_cb), &watch);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_assert_cmpint (aa_item_get_done (item), ==, !done);

  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_error (aa_mutation_get_error (star), AA_ERROR, AA_ERROR_SERVER);
  /* Back to the confirmed state, with the later pending "done" still on. */
  g_assert_true (watch.seen);
  g_assert_cmpint (watch.done_when_rolled_back, ==, !done);
  g_assert_cmpint (aa_item_get_starred (item), ==, starred);
  g_assert_cmpint (aa_item_get_done (item), ==, !done);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);

  feedback = g_ptr_array_index (f->feedback, 0);
  assert_feedback (feedback, star, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY);
  expected = g_strdup_printf ("Couldn’t %s “%s”. ", starred ? "unstar" : "star", aa_item_get_title (item));
  g_assert_true (g_str_has_prefix (aa_feedback_get_title (feedback), expected));
  g_assert_cmpstr (aa_feedback_get_action_label (feedback), ==, "Retry");

  wait_settled (mark);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_SUCCEEDED);
  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, starred);
  g_assert_cmpint (json_object_get_boolean_member (on_server, "done"), ==, !done);

  /* Retry: same key, applied again, then confirmed. */
  g_assert_true (aa_action_manager_retry (f->manager, star));
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (star), ==, 2);
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_signal_handlers_disconnect_by_func (star, star_state_cb, &watch);
}

typedef struct {
  Fixture *f;
  AaItem  *first;
  AaItem  *other;
} Arrived;

static gboolean
both_arrived (gpointer data)
{
  Arrived *a = data;

  return count_item_requests (a->f, "PATCH", a->first) > 0 && count_item_requests (a->f, "PATCH", a->other) > 0;
}

static void
test_ordering (Fixture       *f,
               gconstpointer  data)
{
  AaItem *first = item_at (f, 0);
  AaItem *other = item_at (f, 1);
  AaMutation *star, *mark, *elsewhere;
  Arrived arrived = { f, first, other };

  /* Long enough for both requests to arrive while the first answer is held
   * back, and short of the client's 10 s timeout on every setup (a latency
   * scaled for valgrind would time the requests out again and again). */
  aa_test_set_faults (f->server, "{\"latency_ms\": 3000}");

  star = aa_action_manager_set_starred (f->manager, first, !aa_item_get_starred (first));
  mark = aa_action_manager_set_done (f->manager, first, !aa_item_get_done (first));
  elsewhere = aa_action_manager_set_starred (f->manager, other, !aa_item_get_starred (other));
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)), ==, 3);

  /* One request per resource in flight; other resources are independent. */
  aa_test_wait_until (both_arrived, &arrived, 5000);
  g_assert_cmpuint (count_item_requests (f, "PATCH", first), ==, 1);
  g_assert_cmpuint (count_item_requests (f, "PATCH", other), ==, 1);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_mutation_get_state (elsewhere), ==, AA_MUTATION_STATE_SENT);

  wait_settled (mark);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_item_requests (f, "PATCH", first), ==, 2);
  /* The next one left only when the previous one had settled. */
  g_assert_cmpint (aa_mutation_get_sent_at (mark), >=, aa_mutation_get_finished_at (star));
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
}

static void
rapid_clicks (Fixture *f,
              guint    n_clicks,
              guint    expected_requests)
{
  AaItem *item = item_at (f, 2);
  gboolean was = aa_item_get_starred (item);
  gboolean want = n_clicks % 2 ? !was : was;
  g_autoptr(GPtrArray) clicks = g_ptr_array_new ();
  g_autoptr(JsonObject) on_server = NULL;
  guint n_coalesced = 0;

  for (guint i = 0; i < n_clicks; i++) {
    g_ptr_array_add (clicks, aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item)));
    /* The row always shows the newest click. */
    g_assert_cmpint (aa_item_get_starred (item), ==, i % 2 ? was : !was);
  }

  aa_test_wait_until (idle, f, 10000);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, expected_requests);
  for (guint i = 0; i < n_clicks; i++) {
    if (aa_mutation_get_state (g_ptr_array_index (clicks, i)) == AA_MUTATION_STATE_COALESCED)
      n_coalesced++;
  }
  g_assert_cmpuint (n_coalesced, ==, n_clicks - expected_requests);

  g_assert_cmpint (aa_item_get_starred (item), ==, want);
  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, want);
}

static void
test_coalesce_odd (Fixture       *f,
                   gconstpointer  data)
{
  rapid_clicks (f, 3, 1);
}

static void
test_coalesce_even (Fixture       *f,
                    gconstpointer  data)
{
  rapid_clicks (f, 4, 2);
}

static void
test_create_temp_id (Fixture       *f,
                     gconstpointer  data)
{
  AaMutation *create, *star;
  AaItem *item;
  g_autoptr(JsonObject) on_server = NULL;

  aa_test_set_faults (f->server, "{\"latency_ms\": 200}");

  create = aa_action_manager_create_note (f->manager, "Call the bank", "About the card");
  item = AA_ITEM (aa_mutation_get_target (create));
  g_assert_true (aa_resource_is_local (AA_RESOURCE (item)));
  g_assert_true (g_str_has_prefix (item_id (item), "local-"));
  g_assert_true (item_at (f, 0) == item);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_PENDING);
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager), item_id (item))) == item);

  /* Starred while the create is in flight: it waits for the real id. */
  star = aa_action_manager_set_starred (f->manager, item, TRUE);
  g_assert_true (aa_item_get_starred (item));
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_QUEUED);

  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_resource_is_local (AA_RESOURCE (item)));
  g_assert_false (g_str_has_prefix (item_id (item), "local-"));
  g_assert_true (item_at (f, 0) == item);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_SYNCED);

  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/items"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (f->server, "PATCH", "/items/local"), ==, 0);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 1);
  on_server = server_item (f, item_id (item));
  g_assert_cmpstr (json_object_get_string_member (on_server, "title"), ==, "Call the bank");
  g_assert_true (json_object_get_boolean_member (on_server, "starred"));
  g_assert_cmpint (server_index (f, "/items", item_id (item)), ==, 0);

  /* Inline feedback only, for both. */
  for (guint i = 0; i < f->feedback->len; i++)
    g_assert_cmpint (aa_feedback_get_tier (g_ptr_array_index (f->feedback, i)), ==, AA_FEEDBACK_TIER_INLINE);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
}

static guint
count_titles (Fixture    *f,
              const char *title)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = server_list (f, "/items", &node);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "title"), title) == 0)
      n++;
  }

  return n;
}

static guint
count_model_titles (Fixture    *f,
                    const char *title)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    if (g_strcmp0 (aa_item_get_title (item_at (f, i)), title) == 0)
      n++;
  }

  return n;
}

static gboolean
is_unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

static void
test_create_lost_response_retry (Fixture       *f,
                                 gconstpointer  data)
{
  AaMutation *create;
  AaItem *item;
  g_autofree char *key = NULL;

  aa_test_set_faults (f->server, "{\"next\": [\"lost-response\"]}");

  create = aa_action_manager_create_note (f->manager, "Pay the rent", NULL);
  item = AA_ITEM (aa_mutation_get_target (create));
  key = g_strdup (aa_mutation_get_idempotency_key (create));

  /* Applied on the server, but we never heard: unknown, never failed. */
  aa_test_wait_until (is_unknown, create, 10000);
  g_assert_null (aa_mutation_get_error (create));
  g_assert_true (item_at (f, 0) == item);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_UNKNOWN);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (count_titles (f, "Pay the rent"), ==, 1);

  /* Resolved by itself: the same key again, and the server replays. */
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_mutation_get_idempotency_key (create), ==, key);
  g_assert_true (aa_mutation_get_replayed (create));
  g_assert_cmpuint (aa_mutation_get_attempts (create), ==, 2);
  g_assert_false (aa_resource_is_local (AA_RESOURCE (item)));
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_SYNCED);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  for (guint i = 0; i < f->feedback->len; i++)
    g_assert_null (strstr (aa_feedback_get_title (g_ptr_array_index (f->feedback, i)), "Couldn"));

  /* One note here, exactly one there, for two requests. */
  g_assert_cmpuint (count_model_titles (f, "Pay the rent"), ==, 1);
  g_assert_true (item_at (f, 0) == item);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/items"), ==, 2);
  g_assert_cmpuint (count_titles (f, "Pay the rent"), ==, 1);
  g_assert_cmpuint (server_index (f, "/items", item_id (item)), ==, 0);
}

static void
test_undo_delete (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  GListModel *trash = aa_action_manager_get_trash (f->manager);
  AaItem *item = item_at (f, 2);
  g_autofree char *id = g_strdup (item_id (item));
  guint n_items = g_list_model_get_n_items (items);
  g_autoptr(AaConfirmation) confirmation = NULL;
  g_autofree char *deleted = NULL;
  AaMutation *delete, *undo;
  gint server_position = server_index (f, "/items", id);

  confirmation = aa_action_manager_describe_delete (f->manager, item);
  g_assert_true (confirmation->destructive);
  g_assert_true (g_str_has_prefix (confirmation->heading, "Move “"));
  g_assert_cmpstr (confirmation->confirm_label, ==, "Move to Trash");
  g_assert_cmpint (aa_rules_lookup ("delete-note")->before, ==, AA_FEEDBACK_TIER_DIALOG);

  g_object_ref (item);
  delete = aa_action_manager_delete_note (f->manager, item);
  g_assert_cmpint (model_index (items, item), ==, -1);
  g_assert_cmpint (model_index (trash, item), >=, 0);
  g_assert_true (aa_item_get_trashed (item));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, n_items - 1);
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == delete);

  wait_settled (delete);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (server_index (f, "/items", id), ==, -1);
  g_assert_cmpint (server_index (f, "/trash", id), >=, 0);
  assert_feedback (last_feedback (f), delete, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_UNDO);
  deleted = g_strdup_printf ("Moved “%s” to the Trash", aa_item_get_title (item));
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, deleted);
  g_assert_cmpstr (aa_feedback_get_action_label (last_feedback (f)), ==, "Undo");

  undo = aa_action_manager_undo (f->manager, delete);
  g_assert_nonnull (undo);
  g_assert_true (undo != delete);
  g_assert_cmpstr (aa_operation_get_name (aa_mutation_get_operation (undo)), ==, "restore-note");
  g_assert_true (aa_mutation_get_undo_of (undo) == delete);
  g_assert_true (aa_mutation_get_undone_by (delete) == undo);
  /* Back where it was, at once. */
  g_assert_cmpint (model_index (items, item), ==, 2);
  g_assert_cmpint (model_index (trash, item), ==, -1);
  g_assert_null (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)));
  g_assert_null (aa_action_manager_undo (f->manager, undo));

  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpuint (count_item_requests (f, "POST", item), ==, 1);
  /* On the server too, in its old position; the undo's success is silent. */
  g_assert_cmpint (server_index (f, "/items", id), ==, server_position);
  g_assert_true (aa_feedback_get_mutation (last_feedback (f)) == delete);
  g_object_unref (item);
}

static void
test_undo_before_send (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  AaItem *item = item_at (f, 0);
  AaMutation *star, *delete;

  aa_test_set_faults (f->server, "{\"latency_ms\": 300}");

  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  delete = aa_action_manager_delete_note (f->manager, item);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (model_index (items, item), ==, -1);

  /* Never sent: the undo cancels it locally and is the mutation itself. */
  g_assert_true (aa_action_manager_undo (f->manager, delete) == delete);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpint (model_index (items, item), ==, 0);
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == star);

  aa_test_wait_until (idle, f, 10000);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_test_count_requests (f->server, "DELETE", "/items"), ==, 0);
  g_assert_cmpint (server_index (f, "/items", item_id (item)), ==, 0);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
}

static void
test_failed_undo_retry (Fixture       *f,
                        gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  GListModel *trash = aa_action_manager_get_trash (f->manager);
  AaItem *item = item_at (f, 1);
  AaMutation *delete, *undo;
  g_autofree char *expected = NULL;

  delete = aa_action_manager_delete_note (f->manager, item);
  wait_settled (delete);

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  undo = aa_action_manager_undo (f->manager, delete);
  g_assert_cmpint (model_index (items, item), ==, 1);
  wait_settled (undo);

  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (model_index (items, item), ==, -1);
  g_assert_cmpint (model_index (trash, item), >=, 0);
  /* A failed undo: toast + Retry. */
  assert_feedback (last_feedback (f), undo, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY);
  expected = g_strdup_printf ("Couldn’t restore “%s”. The server had a problem. Retry in a moment.",
                              aa_item_get_title (item));
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, expected);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);

  g_assert_true (aa_action_manager_retry (f->manager, undo));
  g_assert_cmpint (model_index (items, item), ==, 1);
  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpint (server_index (f, "/items", item_id (item)), ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
}

static void
test_undo_toggle (Fixture       *f,
                  gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  gboolean was = aa_item_get_done (item);
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *mark, *undo;

  mark = aa_action_manager_set_done (f->manager, item, !was);
  /* In flight: the inverse PATCH waits behind it. */
  undo = aa_action_manager_undo (f->manager, mark);
  g_assert_cmpstr (aa_operation_get_name (aa_mutation_get_operation (undo)), ==, "done-note");
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_item_get_done (item), ==, was);

  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 2);
  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "done"), ==, was);
}

static void
test_refresh_keeps_pending (Fixture       *f,
                            gconstpointer  data)
{
  AaItem *item = item_at (f, 3);
  gboolean was = aa_item_get_starred (item);
  AaMutation *star, *create;
  AaItem *created;
  Wait wait = { 0, };

  /* A note the server never got: local and unsaved. */
  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  create = aa_action_manager_create_note (f->manager, "Water the plants", NULL);
  created = AA_ITEM (aa_mutation_get_target (create));
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (created)), ==, AA_SYNC_STATE_UNSAVED);

  /* The star is held by the server, so it stays pending across the
   * refresh, whose lists do not have it. */
  aa_test_set_faults (f->server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 1500}");
  star = aa_action_manager_set_starred (f->manager, item, !was);
  aa_test_spin (100);

  aa_refresher_refresh_async (aa_action_manager_get_refresher (f->manager), AA_REFRESH_ALL, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (aa_mutation_is_pending (star));
  g_assert_cmpint (aa_item_get_starred (item), ==, !was);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_PENDING);
  g_assert_true (item_at (f, 0) == created);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (created)), ==, AA_SYNC_STATE_UNSAVED);

  /* When the server drops it, its outcome is unknown, never failed: it
   * is sent again with the same key, and lands. */
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_item_get_starred (item), ==, !was);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);

  /* Letting the unsaved note go removes it. */
  aa_action_manager_dismiss (f->manager, create);
  g_assert_true (item_at (f, 0) != created);
  g_assert_null (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager), "local-1"));
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
}

static void
test_refresh_merges (Fixture       *f,
                     gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  GListModel *trash = aa_action_manager_get_trash (f->manager);
  AaItem *gone = item_at (f, 1);
  g_autofree char *path = g_strdup_printf ("/items/%s", item_id (gone));
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) created = NULL;
  AaItem *added;
  guint status = 0;

  /* Someone else deletes a note and adds one. */
  deleted = aa_test_request (f->server, "DELETE", path, NULL, &status, NULL,
                             "Idempotency-Key", "test-merge-delete", NULL);
  g_assert_cmpuint (status, ==, 200);
  created = aa_test_request (f->server, "POST", "/items", "{\"title\": \"From elsewhere\"}", &status, NULL,
                             "Idempotency-Key", "test-merge-create", NULL);
  g_assert_cmpuint (status, ==, 201);

  refresh (f);
  g_assert_cmpint (model_index (items, gone), ==, -1);
  g_assert_cmpint (model_index (trash, gone), >=, 0);
  g_assert_true (aa_item_get_trashed (gone));
  added = item_at (f, 0);
  g_assert_cmpstr (aa_item_get_title (added), ==, "From elsewhere");
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager), item_id (added))) == added);

  /* The models follow the server's order. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    g_assert_cmpint (server_index (f, "/items", item_id (item_at (f, i))), ==, (gint) i);
}

/* What a quit would lose: pending and failed-without-retry, never what
 * settled, was dismissed, or was refused before sending. */
static void
test_list_unsettled (Fixture       *f,
                     gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autoptr(AaInvoice) invoice = g_list_model_get_item (aa_action_manager_get_invoices (f->manager), 0);
  g_autoptr(GPtrArray) unsettled = NULL;
  AaMutation *star, *done, *invalid, *declined;

  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  invalid = aa_action_manager_save_note (f->manager, item, "", NULL);
  g_assert_cmpint (aa_mutation_get_state (invalid), ==, AA_MUTATION_STATE_FAILED);

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  done = aa_action_manager_set_done (f->manager, item, !aa_item_get_done (item));

  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 2);
  g_assert_true (g_ptr_array_index (unsettled, 0) == done);
  g_assert_true (g_ptr_array_index (unsettled, 1) == star);
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  wait_settled (star);
  wait_settled (done);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_SUCCEEDED);

  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 1);
  g_assert_true (g_ptr_array_index (unsettled, 0) == star);
  g_assert_cmpuint (unsettled->len, ==,
                    aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)) + aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)));
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  aa_action_manager_dismiss (f->manager, star);
  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  /* A declined card is the server's final answer: nothing to lose. */
  declined = aa_action_manager_pay_invoice (f->manager, invoice, "4000 0000 0000 0002");
  wait_settled (declined);
  g_assert_error (aa_mutation_get_error (declined), AA_ERROR, AA_ERROR_REFUSED);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);
  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);
}

static gboolean
trash_busy (gpointer data)
{
  return aa_action_manager_get_trash_busy (AA_ACTION_MANAGER (data));
}

static void
test_empty_trash (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *trash = aa_action_manager_get_trash (f->manager);
  g_autoptr(AaConfirmation) confirmation = NULL;
  g_autoptr(JsonNode) node = NULL;
  AaMutation *first, *second, *empty;
  guint n_before;

  first = aa_action_manager_delete_note (f->manager, item_at (f, 0));
  second = aa_action_manager_delete_note (f->manager, item_at (f, 0));
  wait_settled (first);
  wait_settled (second);
  n_before = g_list_model_get_n_items (trash);
  g_assert_cmpuint (n_before, >=, 2);

  confirmation = aa_action_manager_describe_empty_trash (f->manager);
  g_assert_cmpstr (confirmation->heading, ==, "Empty Trash?");
  g_assert_true (g_str_has_suffix (confirmation->body, "notes will be deleted for good. This can’t be undone."));
  g_assert_cmpstr (confirmation->confirm_label, ==, "Empty Trash");
  g_assert_true (confirmation->destructive);

  /* Refused: every note is still there. */
  aa_test_set_faults (f->server, "{\"next\": [\"error-500\"]}");
  empty = aa_action_manager_empty_trash (f->manager);
  g_assert_true (trash_busy (f->manager));
  g_assert_true (aa_action_manager_empty_trash (f->manager) == empty);
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, n_before);
  wait_settled (empty);
  g_assert_cmpint (aa_mutation_get_state (empty), ==, AA_MUTATION_STATE_FAILED);
  g_assert_false (trash_busy (f->manager));
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, n_before);
  assert_feedback (last_feedback (f), empty, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==,
                   "Couldn’t empty the trash. The server had a problem. Retry in a moment.");
  g_assert_null (aa_action_manager_undo (f->manager, empty));

  /* Retried: gone for good, here and there. */
  g_assert_true (aa_action_manager_retry (f->manager, empty));
  g_assert_true (trash_busy (f->manager));
  wait_settled (empty);
  g_assert_cmpint (aa_mutation_get_state (empty), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, 0);
  g_assert_null (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager),
                                           item_id (AA_ITEM (aa_mutation_get_target (first)))));
  assert_feedback (last_feedback (f), empty, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
  g_assert_true (g_str_has_suffix (aa_feedback_get_title (last_feedback (f)), "notes deleted for good"));
  /* Nothing of a note gone for good can be undone. */
  g_assert_null (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)));
  g_assert_false (aa_action_manager_can_undo (f->manager, first));
  g_assert_cmpuint (json_array_get_length (server_list (f, "/trash", &node)), ==, 0);
}

static void
test_summary_notify (Fixture       *f,
                     gconstpointer  data)
{
  GObject *engine = G_OBJECT (aa_action_manager_get_engine (f->manager));
  AaItem *item = item_at (f, 0);
  AaMutation *star, *mark;

  g_signal_connect (engine, "notify::n-pending", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (engine, "notify::n-failed", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (engine, "notify::undoable", G_CALLBACK (notify_counter_cb), NULL);

  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)), ==, 1);
  g_assert_cmpuint (count_notify (engine, "n-pending"), ==, 1);
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == star);
  g_assert_cmpuint (count_notify (engine, "undoable"), ==, 1);

  wait_settled (star);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (count_notify (engine, "n-pending"), ==, 2);
  g_assert_cmpuint (count_notify (engine, "undoable"), ==, 1);

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  mark = aa_action_manager_set_done (f->manager, item, !aa_item_get_done (item));
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == mark);
  wait_settled (mark);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);
  g_assert_cmpuint (count_notify (engine, "n-failed"), ==, 1);
  /* A failed mutation is not undoable; the previous one is again. */
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == star);
  g_assert_cmpuint (count_notify (engine, "undoable"), ==, 3);

  aa_action_manager_dismiss (f->manager, mark);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (count_notify (engine, "n-failed"), ==, 2);

  g_signal_handlers_disconnect_by_func (engine, notify_counter_cb, NULL);
}

static void
faults_set_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_demo_control_set_faults_finish (AA_DEMO_CONTROL (object), result, &wait->error);
  wait->done = TRUE;
}

static void
faults_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  JsonObject **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = aa_demo_control_get_faults_finish (AA_DEMO_CONTROL (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_faults_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) faults = json_object_new ();
  JsonObject *read = NULL;
  Wait wait = { 0, };

  json_object_set_int_member (faults, "latency_ms", 25);
  aa_demo_control_set_faults_async (f->control, faults, NULL, faults_set_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  aa_demo_control_get_faults_async (f->control, NULL, faults_read_cb, &read);
  aa_test_wait_until (pointer_set, &read, 5000);
  g_assert_cmpint (json_object_get_int_member (read, "latency_ms"), ==, 25);
  json_object_unref (read);
}

/* Undo of a queued click that replaced (coalesced) an earlier queued one
 * goes back to what the earlier one showed, here and on the server. */
static void
test_undo_after_coalesce (Fixture       *f,
                          gconstpointer  data)
{
  AaItem *item = item_at (f, 2);
  gboolean was = aa_item_get_starred (item);
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *first, *second, *third, *undo;

  aa_test_set_faults (f->server, "{\"latency_ms\": 300}");

  first = aa_action_manager_set_starred (f->manager, item, !was);
  second = aa_action_manager_set_starred (f->manager, item, was);
  third = aa_action_manager_set_starred (f->manager, item, !was);
  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_cmpint (aa_mutation_get_state (third), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_true (aa_engine_get_undoable (aa_action_manager_get_engine (f->manager)) == third);

  /* Before the third click, the row showed the second one. */
  undo = aa_action_manager_undo (f->manager, third);
  g_assert_nonnull (undo);
  g_assert_cmpint (aa_mutation_get_state (third), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpint (aa_item_get_starred (item), ==, was);

  aa_test_wait_until (idle, f, 10000);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
  g_assert_cmpint (aa_item_get_starred (item), ==, was);
  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, was);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 2);
}

/* A create that was let go has no note left to send: retry refuses. */
static void
test_retry_dismissed_create (Fixture       *f,
                             gconstpointer  data)
{
  AaMutation *create;

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  create = aa_action_manager_create_note (f->manager, "Book the dentist", NULL);
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);

  aa_action_manager_dismiss (f->manager, create);
  g_assert_cmpuint (count_model_titles (f, "Book the dentist"), ==, 0);

  g_assert_false (aa_action_manager_retry (f->manager, create));
  g_assert_false (aa_mutation_is_pending (create));
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/items"), ==, 1);
}

/* A resend after a lost response gets the first answer replayed, and what
 * was queued behind it follows in order: neither takes the other back. */
static void
test_replayed_answer_is_older (Fixture       *f,
                               gconstpointer  data)
{
  AaItem *item = item_at (f, 1);
  gboolean starred = aa_item_get_starred (item);
  gboolean done = aa_item_get_done (item);
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *star, *mark;

  aa_test_set_faults (f->server, "{\"next\": [\"lost-response\"]}");
  star = aa_action_manager_set_starred (f->manager, item, !starred);
  aa_test_wait_until (is_unknown, star, 10000);

  /* Behind the star of unknown outcome, in order: the star is resent
   * (replayed), then the done goes. */
  mark = aa_action_manager_set_done (f->manager, item, !done);
  wait_settled (mark);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_mutation_get_replayed (star));
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);

  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, !starred);
  g_assert_cmpint (json_object_get_boolean_member (on_server, "done"), ==, !done);
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_assert_cmpint (aa_item_get_done (item), ==, !done);
}

/* After a lost create, a refresh while its outcome is unknown may show the
 * server's copy beside ours; once the resend confirms ours (replayed), one
 * row per note is left, and a refresh keeps it that way. */
static void
test_twin_with_pending_goes (Fixture       *f,
                             gconstpointer  data)
{
  AaMutation *create;
  AaItem *item;

  aa_test_set_faults (f->server, "{\"next\": [\"lost-response\"]}");
  create = aa_action_manager_create_note (f->manager, "Renew the passport", NULL);
  item = AA_ITEM (aa_mutation_get_target (create));
  aa_test_wait_until (is_unknown, create, 10000);

  refresh (f);
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_mutation_get_replayed (create));
  g_assert_cmpuint (count_model_titles (f, "Renew the passport"), ==, 1);
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager), item_id (item))) == item);

  refresh (f);
  g_assert_cmpuint (count_model_titles (f, "Renew the passport"), ==, 1);
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (f->manager), item_id (item))) == item);
  g_assert_cmpuint (count_titles (f, "Renew the passport"), ==, 1);
}

/* The notes alone load in pages: the first is there to act on before the
 * rest, and nothing says the list is complete until it is. */
typedef struct {
  AaActionManager *manager;
  guint            n_first;
  gboolean         complete_then;
  AaMutation      *create;
  AaMutation      *star;
  AaItem          *starred;
} FirstPage;

static void
first_page_cb (GListModel *items,
               guint       position,
               guint       removed,
               guint       added,
               FirstPage  *first)
{
  g_autoptr(AaItem) top = NULL;

  if (first->n_first > 0 || added == 0)
    return;
  first->n_first = g_list_model_get_n_items (items);
  first->complete_then = aa_action_manager_get_items_complete (first->manager);

  /* A note made now shows at once, above the notes still to come. */
  first->create = aa_action_manager_create_note (first->manager, "Made while loading", "");
  g_assert_nonnull (first->create);
  top = g_list_model_get_item (items, 0);
  g_assert_cmpstr (aa_item_get_title (top), ==, "Made while loading");

  /* A note shown can be acted on: its star stays through the pages. */
  first->starred = g_list_model_get_item (items, 1);
  first->star = aa_action_manager_set_starred (first->manager, first->starred,
                                               !aa_item_get_starred (first->starred));
  g_assert_nonnull (first->star);
}

static void
test_notes_pages (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AaActionManager) manager = aa_action_manager_new (f->client);
  GListModel *items = aa_action_manager_get_items (manager);
  g_autoptr(JsonNode) list = NULL;
  FirstPage first = { manager, };
  Wait wait = { 0, };
  guint status = 0;

  for (guint i = 0; i < 120; i++) {
    g_autofree char *key = g_strdup_printf ("test-pages-%u", i);
    g_autoptr(JsonNode) created = aa_test_request (f->server, "POST", "/items", "{\"title\": \"Many\"}", &status, NULL,
                                                   "Idempotency-Key", key, NULL);

    g_assert_cmpuint (status, ==, 201);
  }

  g_assert_false (aa_action_manager_get_items_complete (manager));
  g_signal_connect (items, "items-changed", G_CALLBACK (first_page_cb), &first);
  aa_refresher_refresh_async (aa_action_manager_get_refresher (manager), AA_REFRESH_ITEMS, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 10000);
  g_assert_no_error (wait.error);
  g_signal_handlers_disconnect_by_data (items, &first);

  /* A first page, then the rest; at the end, every note of the server in
   * its order, under the one made meanwhile. */
  g_assert_cmpuint (first.n_first, >, 0);
  g_assert_cmpuint (first.n_first, <, 120);
  g_assert_false (first.complete_then);
  g_assert_true (aa_action_manager_get_items_complete (manager));
  wait_settled (first.create);
  wait_settled (first.star);
  g_assert_cmpint (aa_mutation_get_state (first.star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_item_get_starred (first.starred));
  g_clear_object (&first.starred);
  list = aa_test_request (f->server, "GET", "/items", NULL, &status, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, json_array_get_length (json_node_get_array (list)));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (items, i);

    g_assert_cmpstr (aa_resource_get_id (AA_RESOURCE (item)), ==,
                     json_object_get_string_member (json_array_get_object_element (json_node_get_array (list), i), "id"));
  }
}

/* A declared action runs by its name, with no intention of its own: what a
 * new action's widget calls. */
static void
test_run_declared_action (Fixture       *f,
                          gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  gboolean was = aa_item_get_done (item);
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *mutation;

  json_object_set_boolean_member (patch, "done", !was);
  mutation = aa_action_manager_run_action (f->manager, "done-note", AA_RESOURCE (item),
                                           aa_item_get_title (item), patch);
  g_assert_cmpint (aa_item_get_done (item), ==, !was);
  g_assert_cmpstr (aa_operation_get_name (aa_mutation_get_operation (mutation)), ==, "done-note");
  wait_settled (mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "done"), ==, !was);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Domain/Notes/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("optimistic-star", test_optimistic_star);
  ADD ("run-declared-action", test_run_declared_action);
  ADD ("rollback-keeps-later-pending", test_rollback_keeps_later_pending);
  ADD ("ordering", test_ordering);
  ADD ("coalesce-odd", test_coalesce_odd);
  ADD ("coalesce-even", test_coalesce_even);
  ADD ("create-temp-id", test_create_temp_id);
  ADD ("create-lost-response-retry", test_create_lost_response_retry);
  ADD ("undo-delete", test_undo_delete);
  ADD ("undo-before-send", test_undo_before_send);
  ADD ("failed-undo-retry", test_failed_undo_retry);
  ADD ("undo-toggle", test_undo_toggle);
  ADD ("refresh-keeps-pending", test_refresh_keeps_pending);
  ADD ("refresh-merges", test_refresh_merges);
  ADD ("empty-trash", test_empty_trash);
  ADD ("summary-notify", test_summary_notify);
  ADD ("faults", test_faults_roundtrip);
  ADD ("list-unsettled", test_list_unsettled);
  ADD ("undo-after-coalesce", test_undo_after_coalesce);
  ADD ("retry-dismissed-create", test_retry_dismissed_create);
  ADD ("replayed-answer-is-older", test_replayed_answer_is_older);
  ADD ("twin-with-pending-goes", test_twin_with_pending_goes);
  ADD ("notes-pages", test_notes_pages);

#undef ADD

  return g_test_run ();
}
