/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-bookmarks-fixture.h"
#include "aa-test-backend.h"

/*
 * The engine's queues on the bookmarks of aa-bookmarks-fixture.c: order,
 * coalescing, creates, undo, retry, the activity log and the feedback.
 * Refreshes and changes from elsewhere are in test-engine-remote.c. Each
 * test names the promise it checks.
 */

/* Tests */

static void
test_optimistic_success (Fixture       *f,
                         gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *mutation = star (f, gnome, TRUE);

  /* Shown before the call returned, confirmed after. */
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_cmpint (aa_resource_get_sync_state (gnome), ==, AA_SYNC_STATE_PENDING);
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  g_assert_cmpint (aa_resource_get_sync_state (gnome), ==, AA_SYNC_STATE_SYNCED);
  g_assert_cmpstr (last_request (f->backend)->method, ==, "PATCH");
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/1");
  g_assert_cmpstr (last_request (f->backend)->key, ==, aa_mutation_get_idempotency_key (mutation));
  g_assert_cmpstr (aa_mutation_get_label (mutation), ==, "Change “GNOME”");
}

static void
test_rollback_keeps_later (Fixture       *f,
                           gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *renaming;

  /* The star fails while a rename waits behind it: the star rolls back to
   * the confirmed state, and the rename stays shown and is sent. */
  f->backend->holding = TRUE;
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, gnome, TRUE);
  renaming = rename_bookmark (f, gnome, "GNOME Foundation");
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_QUEUED);

  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_false (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
  wait_until (settled, renaming);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (shown_boolean (gnome, "starred"));
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "GNOME Foundation");
}

static void
test_order_per_resource (Fixture       *f,
                         gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaResource *gtk = bookmark (f, "2");
  AaMutation *first, *second, *other;

  /* One request per resource at a time; other resources are not held up. */
  f->backend->holding = TRUE;
  first = rename_bookmark (f, gnome, "One");
  second = rename_bookmark (f, gnome, "Two");
  other = star (f, gtk, TRUE);
  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (other), ==, AA_MUTATION_STATE_SENT);

  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpstr (shown_string (gnome, "title"), ==, "Two");

  /* Both on the server before it answers, so that the order it logs is the
   * order the engine kept: the second rename can only come after. */
  wait_until (holds_two, f->backend);
  release (f->backend);
  wait_until (idle, f->engine);
  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 3);
  /* In order: the second one last. */
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/1");
  g_assert_cmpstr (last_request (f->backend)->key, ==, aa_mutation_get_idempotency_key (second));
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gnome), "title", NULL), ==, "Two");
}

static void
test_ordered_fields (Fixture       *f,
                     gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *renaming, *starring;

  /* Different fields are not coalesced, and go in order. */
  f->backend->holding = TRUE;
  renaming = rename_bookmark (f, gnome, "One");
  starring = star (f, gnome, TRUE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_QUEUED);
  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 2);
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *clicks[3];

  /* On, off, on: the first is sent, the second is replaced by the third,
   * and the third is what the server confirmed already. One request. */
  f->backend->holding = TRUE;
  clicks[0] = star (f, gnome, TRUE);
  clicks[1] = star (f, gnome, FALSE);
  clicks[2] = star (f, gnome, TRUE);
  g_assert_cmpint (aa_mutation_get_state (clicks[1]), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_true (shown_boolean (gnome, "starred"));

  release (f->backend);
  wait_until (idle, f->engine);
  g_assert_cmpint (aa_mutation_get_state (clicks[0]), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (clicks[2]), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 1);
}

static void
test_temporary_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) create = NULL;
  AaMutation *starring;
  AaResource *added;

  /* The new bookmark exists at once under a local id; what is queued
   * behind its create goes out with the server's id. */
  json_object_set_string_member (state, "title", "Flathub");
  json_object_set_boolean_member (state, "starred", FALSE);
  json_object_set_string_member (patch, "title", "Flathub");
  f->backend->holding = TRUE;
  added = aa_resource_store_add_local (f->store, 0, state);
  g_assert_true (aa_resource_is_local (added));
  g_assert_true (g_str_has_prefix (aa_resource_get_id (added), "local-"));
  g_assert_true (aa_resource_store_lookup (f->store, aa_resource_get_id (added)) == added);
  create = aa_mutation_new (f->create, added, "Flathub", patch);
  aa_engine_run (f->engine, create);
  starring = star (f, added, TRUE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_QUEUED);

  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_resource_is_local (added));
  g_assert_cmpstr (aa_resource_get_id (added), ==, "b1");
  g_assert_true (aa_resource_store_lookup (f->store, "b1") == added);
  g_assert_cmpstr (last_request (f->backend)->path, ==, "/bookmarks/b1");
  g_assert_true (shown_boolean (added, "starred"));
}

static void
test_failed_create (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) create = NULL;
  AaResource *added;

  /* A failed create keeps its object, unsaved; dismissing it lets it go. */
  json_object_set_string_member (state, "title", "Flathub");
  json_object_set_string_member (patch, "title", "Flathub");
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  added = aa_resource_store_add_local (f->store, 0, state);
  create = aa_mutation_new (f->create, added, "Flathub", patch);
  aa_engine_run (f->engine, create);
  wait_until (settled, create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpint (aa_resource_get_sync_state (added), ==, AA_SYNC_STATE_UNSAVED);
  g_assert_true (aa_resource_store_contains (f->store, added));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);

  aa_engine_dismiss (f->engine, create);
  g_assert_false (aa_resource_store_contains (f->store, added));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_false (aa_engine_retry (f->engine, create));
}

static void
test_refresh_keeps_pending (Fixture       *f,
                            gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring;

  /* A refresh while the star is on its way replaces the confirmed state
   * only: the star stays shown. */
  f->backend->holding = TRUE;
  starring = star (f, gnome, TRUE);
  refresh (f);
  g_assert_true (shown_boolean (gnome, "starred"));
  g_assert_false (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  release (f->backend);
  wait_until (settled, starring);
  g_assert_true (shown_boolean (gnome, "starred"));
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *undo, *renaming, *unsent;

  /* Undo of a sent change is a real request with the values from before. */
  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_true (aa_engine_get_undoable (f->engine) == starring);
  undo = aa_engine_undo (f->engine, starring);
  g_assert_nonnull (undo);
  g_assert_true (aa_mutation_get_undo_of (undo) == starring);
  g_assert_false (shown_boolean (gnome, "starred"));
  wait_until (settled, undo);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_false (aa_state_get_boolean (aa_resource_get_confirmed (gnome), "starred", FALSE));
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 2);

  /* Undo of one never sent cancels it, and nothing is sent. */
  f->backend->holding = TRUE;
  renaming = rename_bookmark (f, gnome, "One");
  unsent = star (f, gnome, TRUE);
  g_assert_true (aa_engine_undo (f->engine, unsent) == unsent);
  g_assert_cmpint (aa_mutation_get_state (unsent), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_false (shown_boolean (gnome, "starred"));
  release (f->backend);
  wait_until (settled, renaming);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 3);
}

static void
test_retry_same_key (Fixture       *f,
                     gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring;
  AaFeedback *feedback;
  Logged *first, *second;

  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_false (shown_boolean (gnome, "starred"));
  feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_RETRY);
  g_assert_cmpstr (aa_feedback_get_title (feedback), ==,
                   "Couldn’t change the bookmark “GNOME”. The server had a problem. Retry in a moment.");

  g_assert_true (aa_engine_retry (f->engine, starring));
  g_assert_true (shown_boolean (gnome, "starred"));
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (starring), ==, 2);

  g_assert_cmpuint (f->backend->log->len, ==, 3);  /* GET, PATCH 500, PATCH 200 */
  first = g_ptr_array_index (f->backend->log, 1);
  second = g_ptr_array_index (f->backend->log, 2);
  g_assert_cmpuint (first->status, ==, 500);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpstr (first->key, ==, second->key);
  g_assert_cmpstr (first->key, ==, aa_mutation_get_idempotency_key (starring));
}

static void
test_activity_log (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *log = aa_engine_get_mutations (f->engine);
  AaMutation *a, *b;
  g_autoptr(AaMutation) newest = NULL;
  g_autoptr(AaMutation) oldest = NULL;

  a = star (f, bookmark (f, "1"), TRUE);
  b = star (f, bookmark (f, "2"), TRUE);
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 2);
  wait_until (idle, f->engine);

  /* Newest first, every state and time kept. */
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 2);
  newest = g_list_model_get_item (log, 0);
  oldest = g_list_model_get_item (log, 1);
  g_assert_true (newest == b);
  g_assert_true (oldest == a);
  g_assert_cmpint (aa_mutation_get_finished_at (a), >=, aa_mutation_get_sent_at (a));
  g_assert_cmpint (aa_mutation_get_sent_at (a), >=, aa_mutation_get_queued_at (a));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
}

static void
test_unsettled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) unsettled = NULL;
  AaMutation *pending, *failed, *gone;

  /* Quitting waits for what is on its way and what a retry could save,
   * not for what can never succeed. */
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  failed = star (f, bookmark (f, "1"), TRUE);
  wait_until (settled, failed);
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (404));
  gone = star (f, bookmark (f, "2"), TRUE);
  wait_until (settled, gone);
  f->backend->holding = TRUE;
  pending = star (f, bookmark (f, "3"), TRUE);

  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_cmpuint (unsettled->len, ==, 2);
  g_assert_true (g_ptr_array_index (unsettled, 0) == pending);
  g_assert_true (g_ptr_array_index (unsettled, 1) == failed);
}

static void
test_superseded_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) unsettled = NULL;
  AaResource *gnome = bookmark (f, "1");
  AaMutation *failed, *again;

  /* A failed change that a newer one of the same fields then saved has
   * nothing left to save: it stops counting and quitting does not name it. */
  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (503));
  failed = star (f, gnome, TRUE);
  wait_until (settled, failed);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);

  again = star (f, gnome, TRUE);
  wait_until (settled, again);
  g_assert_cmpint (aa_mutation_get_state (again), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_cmpuint (unsettled->len, ==, 0);
}

typedef struct {
  guint            status;
  gint             code;
  gboolean         removed;
  AaFeedbackAction action;
  const char      *says;
} StatusCase;

/* Retry only where a retry can succeed; an object gone from the server
 * leaves the view with a calm message. */
static const StatusCase status_cases[] = {
  { 404, AA_ERROR_NOT_FOUND,    TRUE,  AA_FEEDBACK_ACTION_NONE,  "deleted elsewhere, so it’s no longer shown" },
  { 410, AA_ERROR_GONE,         TRUE,  AA_FEEDBACK_ACTION_NONE,  "removed for good, so it’s no longer shown" },
  { 401, AA_ERROR_UNAUTHORIZED, FALSE, AA_FEEDBACK_ACTION_NONE,  "sign in again" },
  { 403, AA_ERROR_PERMISSION,   FALSE, AA_FEEDBACK_ACTION_NONE,  "Ask an owner" },
  { 500, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
  { 503, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
  { 429, AA_ERROR_SERVER,       FALSE, AA_FEEDBACK_ACTION_RETRY, "Retry" },
};

static void
test_truthful_feedback (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++) {
    const StatusCase *c = &status_cases[i];
    g_autoptr(GPtrArray) unsettled = NULL;
    AaResource *resource;
    AaMutation *mutation, *queued;
    AaFeedback *feedback;

    g_test_message ("status %u", c->status);
    refresh (f);
    resource = bookmark (f, "1");
    f->backend->holding = TRUE;
    g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (c->status));
    mutation = star (f, resource, !shown_boolean (resource, "starred"));
    queued = rename_bookmark (f, resource, "Renamed");
    release (f->backend);
    wait_until (settled, mutation);

    g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, c->code);
    feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
    g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
    g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
    g_assert_cmpint (aa_feedback_get_action (feedback), ==, c->action);
    g_assert_nonnull (strstr (aa_feedback_get_title (feedback), c->says));
    g_assert_nonnull (strstr (aa_feedback_get_title (feedback), aa_mutation_get_subject (mutation)));

    unsettled = aa_engine_list_unsettled (f->engine);
    g_assert_true (g_ptr_array_find (unsettled, mutation, NULL) == (c->action == AA_FEEDBACK_ACTION_RETRY));

    if (c->removed) {
      /* Out of the view, what was queued for it cancelled, no retry. */
      g_assert_false (aa_resource_store_contains (f->store, resource));
      g_assert_cmpint (aa_mutation_get_state (queued), ==, AA_MUTATION_STATE_UNDONE);
      g_assert_false (aa_engine_retry (f->engine, mutation));
      g_assert_false (aa_engine_can_undo (f->engine, mutation));
      g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, 1);
    } else {
      g_assert_true (aa_resource_store_contains (f->store, resource));
      wait_until (settled, queued);
      aa_engine_dismiss (f->engine, mutation);
    }

    wait_until (idle, f->engine);
    g_ptr_array_set_size (f->backend->log, 0);
    /* The next case starts from the server's bookmarks again. */
    if (c->removed)
      g_assert_null (aa_resource_store_lookup (f->store, "1"));
  }
}

static gboolean
waiting (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_WAITING;
}

static gboolean
unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

static void
test_unreachable_and_timeout (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaEngine) engine = NULL;
  g_autoptr(AaResourceStore) store = NULL;
  g_autoptr(AaOperation) patch = NULL;
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  g_autoptr(AaFeedback) feedback = NULL;
  g_autofree char *url = NULL;
  AaResource *resource;
  guint16 port;

  /* Nothing listens on the port of a listener that was closed. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = aa_rest_client_new (url);

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |

                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  engine = aa_engine_new (client);
  store = aa_resource_store_new (engine, AA_TYPE_RESOURCE);
  patch = g_object_new (BM_TYPE_PATCH, "flags", AA_OPERATION_SETS_FIELDS, NULL);
  json_object_set_string_member (state, "title", "GNOME");
  resource = aa_resource_store_add_local (store, 0, state);
  json_object_set_boolean_member (change, "starred", TRUE);
  mutation = aa_mutation_new (patch, resource, "GNOME", change);
  aa_engine_run (engine, mutation);
  wait_until (waiting, mutation);

  /* Never reached: nothing applied, so the star stays shown and waits for
   * the server, never failed, nothing to retry. */
  g_assert_null (aa_mutation_get_error (mutation));
  g_assert_true (aa_mutation_is_pending (mutation));
  g_assert_false (aa_connectivity_get_reachable (aa_engine_get_connectivity (engine)));
  g_assert_cmpuint (aa_engine_get_n_failed (engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_waiting (engine), ==, 1);
  g_assert_true (aa_state_get_boolean (aa_resource_get_shown (resource), "starred", FALSE));
  g_assert_cmpint (aa_resource_get_sync_state (resource), ==, AA_SYNC_STATE_WAITING);
  feedback = aa_feedback_new_for_mutation (mutation);
  g_assert_null (feedback);
  g_assert_nonnull (strstr (aa_mutation_get_message (mutation), "waiting to be sent when the server is back"));
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  AaMutation *starring;
  AaFeedback *feedback;

  /* The server never answers in time: the outcome is unknown, never a
   * failure, and the same request is sent again, with the same key, once
   * a probe is answered. */
  aa_rest_client_set_timeout (f->client, 1);
  f->backend->holding = TRUE;
  starring = star (f, bookmark (f, "1"), TRUE);
  wait_until (unknown, starring);
  g_assert_null (aa_mutation_get_error (starring));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_unknown (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "1")), ==, AA_SYNC_STATE_UNKNOWN);

  f->backend->holding = FALSE;
  release (f->backend);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (starring), >=, 2);
  for (guint i = 0; i < f->feedback->len; i++) {
    feedback = g_ptr_array_index (f->feedback, i);
    g_assert_null (strstr (aa_feedback_get_title (feedback), "Couldn"));
  }
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AaRule) rule = aa_rule_new ();
  AaMutation *starring;

  /* The rule alone decides: a dialog before, a toast with Undo after. */
  g_assert_false (aa_operation_asks_first (f->patch));
  rule->before = AA_FEEDBACK_TIER_DIALOG;
  rule->success = AA_FEEDBACK_TIER_TOAST;
  rule->success_action = AA_FEEDBACK_ACTION_UNDO;
  rule->policy = AA_POLICY_PESSIMISTIC;
  aa_operation_set_rule (f->patch, rule);
  g_assert_true (aa_operation_asks_first (f->patch));

  /* Pessimistic: nothing shown until the server says so, busy meanwhile. */
  f->backend->holding = TRUE;
  starring = star (f, bookmark (f, "1"), TRUE);
  g_assert_false (shown_boolean (bookmark (f, "1"), "starred"));
  g_assert_true (aa_resource_get_busy (bookmark (f, "1")));
  release (f->backend);
  wait_until (settled, starring);
  g_assert_true (shown_boolean (bookmark (f, "1"), "starred"));
  g_assert_false (aa_resource_get_busy (bookmark (f, "1")));
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_cmpint (aa_feedback_get_tier (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_ACTION_UNDO);
  g_assert_cmpstr (aa_feedback_get_action_label (g_ptr_array_index (f->feedback, 0)), ==, "Undo");
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("optimistic-success", test_optimistic_success);
  ADD ("rollback-keeps-later", test_rollback_keeps_later);
  ADD ("order-per-resource", test_order_per_resource);
  ADD ("ordered-fields", test_ordered_fields);
  ADD ("coalescing", test_coalescing);
  ADD ("temporary-id", test_temporary_id);
  ADD ("failed-create", test_failed_create);
  ADD ("refresh-keeps-pending", test_refresh_keeps_pending);
  ADD ("undo", test_undo);
  ADD ("retry-same-key", test_retry_same_key);
  ADD ("activity-log", test_activity_log);
  ADD ("unsettled", test_unsettled);
  ADD ("superseded-failure", test_superseded_failure);
  ADD ("truthful-feedback", test_truthful_feedback);
  ADD ("timeout", test_timeout);
  ADD ("rules", test_rules);
  g_test_add_func ("/Aa/Engine/unreachable", test_unreachable_and_timeout);

  return g_test_run ();
}
