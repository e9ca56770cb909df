/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-domain-fixture.h"

/* Saving a note's text in the app's domain against the real server:
 * conflicts (412) and Reload, validation, saves queued behind other
 * changes, and typed text discarded with an Undo. */

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_refresher_reload_item_finish (AA_REFRESHER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
test_save_conflict (Fixture       *f,
                    gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autofree char *old_title = g_strdup (aa_item_get_title (item));
  g_autofree char *path = g_strdup_printf ("/items/%s", item_id (item));
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) patched = NULL;
  AaMutation *save;
  Wait wait = { 0, };
  guint status = 0;

  /* Someone else edits the note. */
  patched = aa_test_request (f->server, "PATCH", path, "{\"notes\": \"Edited elsewhere\"}", &status, NULL,
                             "Idempotency-Key", "test-conflict-edit", NULL);
  g_assert_cmpuint (status, ==, 200);

  save = aa_action_manager_save_note (f->manager, item, "My new title", "My text");
  g_assert_cmpstr (aa_item_get_title (item), ==, "My new title");
  wait_settled (save);

  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);
  g_assert_cmpstr (aa_item_get_title (item), ==, old_title);
  assert_feedback (last_feedback (f), save, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RELOAD);
  g_assert_cmpstr (aa_feedback_get_action_label (last_feedback (f)), ==, "Reload");
  expected = g_strdup_printf ("“%s” was changed elsewhere. Your text is kept until you choose.",
                              old_title);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, expected);

  aa_refresher_reload_item_async (aa_action_manager_get_refresher (f->manager), item, NULL, reload_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_cmpstr (aa_item_get_notes (item), ==, "Edited elsewhere");

  /* Saved again over the latest version. */
  aa_action_manager_dismiss (f->manager, save);
  save = aa_action_manager_save_note (f->manager, item, "My new title", "My text");
  wait_settled (save);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_SUCCEEDED);
  assert_feedback (last_feedback (f), save, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Saved");
  g_assert_cmpstr (aa_item_get_notes (item), ==, "My text");
}

static void
count_discarded_cb (AaActionManager *manager,
                    AaMutation      *mutation,
                    gpointer         user_data)
{
  g_ptr_array_add (user_data, mutation);
}

/* Discarding what was typed in a note: its failed save is let go for good
 * (no Retry brings it back, nothing counts it), its queued save is
 * cancelled, and the one on its way, which can't be called back, is
 * said. The server never gets the discarded text. */
static void
test_discard_typed_text (Fixture       *f,
                         gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autoptr(GPtrArray) told = g_ptr_array_new ();
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *failed, *sent, *queued;

  g_signal_connect (f->manager, "discarded", G_CALLBACK (count_discarded_cb), told);

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  failed = aa_action_manager_save_note (f->manager, item, "Failed text", "");
  wait_settled (failed);
  g_assert_cmpint (aa_mutation_get_state (failed), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 1);

  aa_test_set_faults (f->server, "{\"latency_ms\": 300}");
  sent = aa_action_manager_save_note (f->manager, item, "Sent text", "");
  queued = aa_action_manager_save_note (f->manager, item, "Queued text", "");
  g_assert_cmpint (aa_mutation_get_state (sent), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (queued), ==, AA_MUTATION_STATE_QUEUED);

  g_assert_false (aa_action_manager_discard_typed_text (f->manager, item));
  g_assert_cmpint (aa_mutation_get_state (queued), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpuint (told->len, ==, 1);
  g_assert_true (g_ptr_array_index (told, 0) == (gpointer) failed);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_false (aa_action_manager_can_retry (f->manager, failed));
  g_assert_false (aa_action_manager_retry (f->manager, failed));
  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 1);
  g_assert_true (g_ptr_array_index (unsettled, 0) == (gpointer) sent);

  aa_test_wait_until (idle, f, 10000);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
  on_server = server_item (f, item_id (item));
  g_assert_cmpstr (json_object_get_string_member (on_server, "title"), ==, "Sent text");

  /* Once is enough: nothing is told twice. */
  g_assert_true (aa_action_manager_discard_typed_text (f->manager, item));
  g_assert_cmpuint (told->len, ==, 1);
  g_signal_handlers_disconnect_by_func (f->manager, count_discarded_cb, told);
}

/* Retry of a save refused with 412, after "Reload latest": the same key,
 * now with the reloaded version in If-Match. The server never keeps a 412
 * as the answer to replay for that key, so the retry succeeds. */
static void
test_save_conflict_retry_after_reload (Fixture       *f,
                                       gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autofree char *path = g_strdup_printf ("/items/%s", item_id (item));
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *save;
  Wait wait = { 0, };
  guint status = 0;
  gint64 reloaded_version;

  patched = aa_test_request (f->server, "PATCH", path, "{\"notes\": \"Edited elsewhere\"}", &status, NULL,
                             "Idempotency-Key", "test-conflict-retry-edit", NULL);
  g_assert_cmpuint (status, ==, 200);

  save = aa_action_manager_save_note (f->manager, item, "My new title", "My text");
  wait_settled (save);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);

  aa_refresher_reload_item_async (aa_action_manager_get_refresher (f->manager), item, NULL, reload_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  reloaded_version = aa_item_get_version (item);
  g_assert_cmpint (reloaded_version, ==, json_object_get_int_member (json_node_get_object (patched), "version"));

  g_assert_true (aa_action_manager_retry (f->manager, save));
  wait_settled (save);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_item_get_title (item), ==, "My new title");
  assert_feedback (last_feedback (f), save, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);

  /* Applied once, over the reloaded version, with the user's text and the
   * other edit's fields as the reload showed them. */
  on_server = server_item (f, item_id (item));
  g_assert_cmpstr (json_object_get_string_member (on_server, "title"), ==, "My new title");
  g_assert_cmpstr (json_object_get_string_member (on_server, "notes"), ==, "My text");
  g_assert_cmpint (json_object_get_int_member (on_server, "version"), ==, reloaded_version + 1);
  g_assert_cmpuint (count_item_requests (f, "PATCH", item), ==, 3);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (f->manager);
  guint n_items = g_list_model_get_n_items (items);
  AaItem *item = item_at (f, 0);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  AaMutation *create, *save;

  create = aa_action_manager_create_note (f->manager, "   ", NULL);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (create), AA_ERROR, AA_ERROR_VALIDATION);
  g_assert_cmpstr (aa_mutation_get_message (create), ==, "Add a title. It can’t be empty.");
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, n_items);
  assert_feedback (last_feedback (f), create, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);

  save = aa_action_manager_save_note (f->manager, item, "", "Some text");
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpstr (aa_item_get_title (item), ==, title);
  assert_feedback (last_feedback (f), save, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);

  aa_test_spin (50);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/items"), ==, 0);
  g_assert_cmpuint (aa_test_count_requests (f->server, "PATCH", "/items"), ==, 0);
}

/* A save waiting behind a star must still be checked against the version
 * its text was based on: the star's answer carries a newer version, which
 * also holds someone else's edit, and sending that one as If-Match would
 * overwrite the edit without a word. */
static void
test_save_behind_star_conflict (Fixture       *f,
                                gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autofree char *path = g_strdup_printf ("/items/%s", item_id (item));
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *star, *save;
  guint status = 0;

  patched = aa_test_request (f->server, "PATCH", path, "{\"notes\": \"Edited elsewhere\"}", &status, NULL,
                             "Idempotency-Key", "test-behind-star-edit", NULL);
  g_assert_cmpuint (status, ==, 200);

  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  save = aa_action_manager_save_note (f->manager, item, "My new title", "My text");
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_QUEUED);
  wait_settled (save);

  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);
  on_server = server_item (f, item_id (item));
  g_assert_cmpstr (json_object_get_string_member (on_server, "notes"), ==, "Edited elsewhere");
}

/* Our own changes are no conflict: a save queued behind our star and our
 * earlier save goes through. */
static void
test_save_behind_own_changes (Fixture       *f,
                              gconstpointer  data)
{
  AaItem *item = item_at (f, 0);
  g_autoptr(JsonObject) on_server = NULL;
  AaMutation *star, *first, *mark, *second;

  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  first = aa_action_manager_save_note (f->manager, item, "First title", "First text");
  mark = aa_action_manager_set_done (f->manager, item, !aa_item_get_done (item));
  aa_test_wait_until (idle, f, 10000);
  second = aa_action_manager_save_note (f->manager, item, "Second title", "Second text");
  wait_settled (second);

  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (mark), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (second), ==, AA_MUTATION_STATE_SUCCEEDED);
  on_server = server_item (f, item_id (item));
  g_assert_cmpstr (json_object_get_string_member (on_server, "notes"), ==, "Second text");
}

/* "Reload" of a note moved to the trash elsewhere: the server has nothing
 * at /items/{id} any more, so the reload fails as it always did (what the
 * editor says), the note leaves the notes, and the refresh the reload then
 * makes finds it in the trash: it does not simply vanish. */
static void
test_reload_trashed_elsewhere (Fixture       *f,
                               gconstpointer  data)
{
  AaResourceStore *notes = aa_action_manager_get_notes (f->manager);
  AaItem *item = item_at (f, 0);
  g_autoptr(AaItem) keep = g_object_ref (item);
  g_autofree char *id = g_strdup (item_id (item));
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autoptr(JsonNode) deleted = NULL;
  AaItem *trashed;
  Wait wait = { 0, };
  guint status = 0;

  deleted = aa_test_request (f->server, "DELETE", path, NULL, &status, NULL,
                             "Idempotency-Key", "test-reload-trashed", NULL);
  g_assert_cmpuint (status, ==, 200);

  aa_refresher_reload_item_async (aa_action_manager_get_refresher (f->manager), item, NULL, reload_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_false (wait.ok);
  g_assert_error (wait.error, AA_ERROR, AA_ERROR_NOT_FOUND);
  g_clear_error (&wait.error);
  g_assert_cmpint (model_index (aa_action_manager_get_items (f->manager), item), ==, -1);

  /* Found in the trash by the refresh the reload made, not by another. */
  trashed = AA_ITEM (aa_resource_store_lookup (notes, id));
  g_assert_nonnull (trashed);
  g_assert_true (aa_item_get_trashed (trashed));
  g_assert_cmpint (model_index (aa_action_manager_get_trash (f->manager), trashed), >=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Domain/Saves/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("save-conflict", test_save_conflict);
  ADD ("discard-typed-text", test_discard_typed_text);
  ADD ("validation", test_validation);
  ADD ("save-behind-star-conflict", test_save_behind_star_conflict);
  ADD ("save-behind-own-changes", test_save_behind_own_changes);
  ADD ("save-conflict-retry-after-reload", test_save_conflict_retry_after_reload);
  ADD ("reload-trashed-elsewhere", test_reload_trashed_elsewhere);

#undef ADD

  return g_test_run ();
}
