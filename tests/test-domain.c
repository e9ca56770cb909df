#include "config.h"

#include "aa-action-manager.h"
#include "aa-demo-control.h"
#include "aa-error.h"
#include "aa-rules-private.h"
#include "aa-test-utils.h"

/* The engine against the real server thread: every count below is what the
 * server received, from GET /_control/stats. */

typedef struct {
  AaTestServer    *server;
  AaRestClient    *client;
  AaActionManager *manager;
  AaDemoControl   *control;
  GPtrArray       *feedback;  /* AaFeedback, in emission order */
} Fixture;

static void
feedback_cb (AaActionManager *manager,
             AaFeedback      *feedback,
             Fixture         *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
refresh (Fixture *f)
{
  Wait wait = { 0, };

  aa_action_manager_refresh_async (f->manager, AA_REFRESH_ALL, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = aa_test_server_start (NULL);
  f->client = aa_rest_client_new (f->server->url);
  f->manager = aa_action_manager_new (f->client);
  f->control = aa_demo_control_new (f->manager);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->manager, "feedback", G_CALLBACK (feedback_cb), f);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (f->manager)), >=, 5);
}

static gboolean
idle (gpointer data)
{
  Fixture *f = data;

  return aa_action_manager_get_n_pending (f->manager) == 0;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  aa_test_wait_until (idle, f, 10000);
  g_clear_pointer (&f->feedback, g_ptr_array_unref);
  g_assert_finalize_object (f->control);
  g_assert_finalize_object (f->manager);
  g_assert_finalize_object (f->client);
  g_clear_pointer (&f->server, aa_test_server_free);
}

/* Helpers */

static gboolean
settled (gpointer data)
{
  return !aa_mutation_is_pending (AA_MUTATION (data));
}

static void
wait_settled (AaMutation *mutation)
{
  aa_test_wait_until (settled, mutation, 10000);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets the main context run for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  aa_test_wait_until (flag_set, &done, ms + 5000);
}

/* Borrowed: the model keeps it alive. */
static AaItem *
item_at (Fixture *f,
         guint    position)
{
  g_autoptr(AaItem) item = g_list_model_get_item (aa_action_manager_get_items (f->manager), position);

  g_assert_nonnull (item);
  return item;
}

static gint
model_index (GListModel *model,
             gpointer    object)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(GObject) candidate = g_list_model_get_item (model, i);

    if (candidate == object)
      return (gint) i;
  }

  return -1;
}

static const char *
item_id (AaItem *item)
{
  return aa_resource_get_id (AA_RESOURCE (item));
}

static JsonArray *
server_list (Fixture    *f,
             const char *path,
             JsonNode  **out_node)
{
  guint status = 0;

  *out_node = aa_test_request (f->server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (*out_node);

  return json_node_get_array (*out_node);
}

/* The position of @id in the server's GET @path list, or -1. */
static gint
server_index (Fixture    *f,
              const char *path,
              const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = server_list (f, path, &node);

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
      return (gint) i;
  }

  return -1;
}

static JsonObject *
server_item (Fixture    *f,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (f->server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  return json_object_ref (json_node_get_object (node));
}

static guint
count_item_requests (Fixture    *f,
                     const char *method,
                     AaItem     *item)
{
  g_autofree char *prefix = g_strdup_printf ("/items/%s", item_id (item));

  return aa_test_count_requests (f->server, method, prefix);
}

static AaFeedback *
last_feedback (Fixture *f)
{
  g_assert_cmpuint (f->feedback->len, >, 0);
  return g_ptr_array_index (f->feedback, f->feedback->len - 1);
}

static gboolean
is_unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

static void
assert_feedback (AaFeedback       *feedback,
                 AaMutation       *mutation,
                 AaFeedbackTier    tier,
                 AaFeedbackAction  action)
{
  g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, tier);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, action);
  g_assert_cmpstr (aa_feedback_get_title (feedback), !=, "");
  g_assert_null (strstr (aa_feedback_get_title (feedback), "Something went wrong"));
}

static guint
count_notify (GObject    *object,
              const char *property)
{
  return GPOINTER_TO_UINT (g_object_get_data (object, property));
}

static void
notify_counter_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  const char *name = g_param_spec_get_name (pspec);

  g_object_set_data (object, name, GUINT_TO_POINTER (count_notify (object, name) + 1));
}

/* Tests */

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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 1);

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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (star), ==, 2);
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_signal_handlers_disconnect_by_func (star, star_state_cb, &watch);
}

static void
test_ordering (Fixture       *f,
               gconstpointer  data)
{
  AaItem *first = item_at (f, 0);
  AaItem *other = item_at (f, 1);
  AaMutation *star, *mark, *elsewhere;

  aa_test_set_faults (f->server, "{\"latency_ms\": 1000}");

  star = aa_action_manager_set_starred (f->manager, first, !aa_item_get_starred (first));
  mark = aa_action_manager_set_done (f->manager, first, !aa_item_get_done (first));
  elsewhere = aa_action_manager_set_starred (f->manager, other, !aa_item_get_starred (other));
  g_assert_cmpuint (aa_action_manager_get_n_pending (f->manager), ==, 3);

  /* One request per resource in flight; other resources are independent. */
  spin (300);
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
  g_assert_true (aa_action_manager_lookup_item (f->manager, item_id (item)) == item);

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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
  g_assert_cmpuint (count_titles (f, "Pay the rent"), ==, 1);

  /* Resolved by itself: the same key again, and the server replays. */
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_mutation_get_idempotency_key (create), ==, key);
  g_assert_true (aa_mutation_get_replayed (create));
  g_assert_cmpuint (aa_mutation_get_attempts (create), ==, 2);
  g_assert_false (aa_resource_is_local (AA_RESOURCE (item)));
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (item)), ==, AA_SYNC_STATE_SYNCED);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
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
  g_assert_cmpint (aa_action_rule_lookup (AA_MUTATION_KIND_DELETE_NOTE)->before, ==, AA_FEEDBACK_TIER_DIALOG);

  g_object_ref (item);
  delete = aa_action_manager_delete_note (f->manager, item);
  g_assert_cmpint (model_index (items, item), ==, -1);
  g_assert_cmpint (model_index (trash, item), >=, 0);
  g_assert_true (aa_item_get_trashed (item));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, n_items - 1);
  g_assert_true (aa_action_manager_get_undoable (f->manager) == delete);

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
  g_assert_cmpint (aa_mutation_kind_of (undo), ==, AA_MUTATION_KIND_RESTORE_NOTE);
  g_assert_true (aa_mutation_get_undo_of (undo) == delete);
  g_assert_true (aa_mutation_get_undone_by (delete) == undo);
  /* Back where it was, at once. */
  g_assert_cmpint (model_index (items, item), ==, 2);
  g_assert_cmpint (model_index (trash, item), ==, -1);
  g_assert_null (aa_action_manager_get_undoable (f->manager));
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
  g_assert_true (aa_action_manager_get_undoable (f->manager) == star);

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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 1);

  g_assert_true (aa_action_manager_retry (f->manager, undo));
  g_assert_cmpint (model_index (items, item), ==, 1);
  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpint (server_index (f, "/items", item_id (item)), ==, 1);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
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
  g_assert_cmpint (aa_mutation_kind_of (undo), ==, AA_MUTATION_KIND_DONE_NOTE);
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
  spin (100);

  aa_action_manager_refresh_async (f->manager, AA_REFRESH_ALL, NULL, refresh_cb, &wait);
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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 1);

  /* Letting the unsaved note go removes it. */
  aa_action_manager_dismiss (f->manager, create);
  g_assert_true (item_at (f, 0) != created);
  g_assert_null (aa_action_manager_lookup_item (f->manager, "local-1"));
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
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
  g_assert_true (aa_action_manager_lookup_item (f->manager, item_id (added)) == added);

  /* The models follow the server's order. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    g_assert_cmpint (server_index (f, "/items", item_id (item_at (f, i))), ==, (gint) i);
}

static gboolean
invoice_paid (gpointer data)
{
  return aa_invoice_get_status (AA_INVOICE (data)) == AA_INVOICE_STATUS_PAID;
}

static AaInvoice *
find_invoice (Fixture *f,
              AaInvoiceStatus status)
{
  GListModel *invoices = aa_action_manager_get_invoices (f->manager);

  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++) {
    g_autoptr(AaInvoice) invoice = g_list_model_get_item (invoices, i);

    if (aa_invoice_get_status (invoice) == status)
      return invoice;
  }

  g_assert_not_reached ();
}

static gint
server_invoice_paid (Fixture   *f,
                     AaInvoice *invoice)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = server_list (f, "/invoices", &node);

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "id"), aa_resource_get_id (AA_RESOURCE (invoice))) == 0)
      return g_strcmp0 (json_object_get_string_member (object, "status"), "paid") == 0;
  }

  return -1;
}

static void
test_pay (Fixture       *f,
          gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  g_autoptr(AaConfirmation) confirmation = NULL;
  g_autofree char *amount = aa_invoice_format_amount (invoice);
  g_autofree char *heading = g_strdup_printf ("Pay %s?", amount);
  g_autofree char *named = aa_subject_for_messages (aa_invoice_get_description (invoice));
  g_autofree char *paid = g_strdup_printf ("Paid “%s”", named);
  AaMutation *pay;

  confirmation = aa_action_manager_describe_payment (f->manager, invoice, "4242 4242 4242 4242");
  g_assert_cmpstr (confirmation->heading, ==, heading);
  g_assert_true (g_str_has_suffix (confirmation->body, "the card ending in 4242."));
  g_assert_false (confirmation->destructive);
  g_assert_true (amount[0] == '\xe2');  /* € */

  aa_test_set_faults (f->server, "{\"latency_ms\": 500}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  g_assert_cmpint (aa_mutation_get_policy (pay), ==, AA_POLICY_PESSIMISTIC);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  /* One intention, one key, one charge. */
  g_assert_true (aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242") == pay);

  spin (100);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpuint (f->feedback->len, ==, 0);

  aa_test_wait_until (invoice_paid, invoice, 5000);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (server_invoice_paid (f, invoice), ==, TRUE);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 1);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, paid);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
}

static void
test_pay_declined (Fixture       *f,
                   gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4000 0000 0000 0002");
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  wait_settled (pay);

  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (pay), AA_ERROR, AA_ERROR_REFUSED);
  g_assert_cmpstr (aa_mutation_get_message (pay), ==, "Payment failed. Try another card.");
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Payment failed. Try another card.");
  g_assert_cmpint (server_invoice_paid (f, invoice), ==, FALSE);

  /* Another card is a new intention. */
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242424242424242");
  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);
}

static void
test_pay_lost_response_retry (Fixture       *f,
                              gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  /* Charged, but the answer was lost: never "Couldn't pay", and the
   * payment's own check (the invoice is paid) says it went through,
   * without paying again. */
  aa_test_set_faults (f->server, "{\"next\": [\"lost-response\"]}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  aa_test_wait_until (is_unknown, pay, 10000);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (invoice)), ==, AA_SYNC_STATE_UNKNOWN);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_null (strstr (aa_feedback_get_title (last_feedback (f)), "Couldn"));
  g_assert_nonnull (strstr (aa_feedback_get_title (last_feedback (f)), "isn’t confirmed yet"));

  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 1);
  g_assert_true (server_invoice_paid (f, invoice));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
}

/* The answer was lost and the check finds the invoice still open: a plain
 * failure that says what to do, and a retry (same key) pays once. */
static void
test_pay_timeout_not_applied (Fixture       *f,
                              gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  aa_rest_client_set_timeout (f->client, 1);
  aa_test_set_faults (f->server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 3000}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  aa_test_wait_until (is_unknown, pay, 10000);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);

  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  g_assert_false (server_invoice_paid (f, invoice));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY);

  aa_rest_client_set_timeout (f->client, 10);
  g_assert_true (aa_action_manager_retry (f->manager, pay));
  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (server_invoice_paid (f, invoice));
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 2);
}

static void
test_pay_invalid_card (Fixture       *f,
                       gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 42");
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (pay), AA_ERROR, AA_ERROR_VALIDATION);
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 0);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, aa_mutation_get_error (pay)->message);
  g_assert_false (aa_action_manager_retry (f->manager, pay));
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
  spin (50);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 0);
}

static AaMember *
find_member (Fixture    *f,
             const char *name)
{
  GListModel *members = aa_action_manager_get_members (f->manager);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (members, i);

    if (g_strcmp0 (aa_member_get_name (member), name) == 0)
      return member;
  }

  g_assert_not_reached ();
}

static void
test_change_role (Fixture       *f,
                  gconstpointer  data)
{
  AaMember *me = aa_action_manager_get_me (f->manager);
  AaMember *aiko = find_member (f, "Aiko Tanaka");
  AaMember *owner = find_member (f, "Sofía Martínez");
  AaMutation *change;

  /* The seed signs in an admin. */
  g_assert_nonnull (me);
  g_assert_cmpint (aa_member_get_role (me), ==, AA_ROLE_ADMIN);
  g_assert_false (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_MEMBER, AA_ROLE_OWNER));

  /* Forbidden, still sent: the server answers 403, nothing changes. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_OWNER);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (aiko)));
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (change), AA_ERROR, AA_ERROR_PERMISSION);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (aiko)));
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Aiko Tanaka an owner. Only owners can make owners. Ask an owner.");
  assert_feedback (last_feedback (f), change, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);

  change = aa_action_manager_change_role (f->manager, owner, AA_ROLE_MEMBER);
  wait_settled (change);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Sofía Martínez a member. Only owners can change an owner’s role. Ask an owner.");
  g_assert_cmpint (aa_member_get_role (owner), ==, AA_ROLE_OWNER);

  /* Allowed: nothing changes until the server confirms. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN);
  g_assert_cmpstr (aa_mutation_get_label (change), ==, "Make Aiko Tanaka an admin");
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  g_assert_true (aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN) == change);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_ADMIN);
  assert_feedback (last_feedback (f), change, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Aiko Tanaka is now an admin");

  /* The same role again is no change at all. */
  g_assert_null (aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN));
  g_assert_cmpuint (aa_test_count_requests (f->server, "PATCH", "/members"), ==, 3);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_demo_control_sign_in_as_finish (AA_DEMO_CONTROL (object), result, &wait->error);
  wait->done = TRUE;
}

/* Signed in as the only owner: demoting oneself is the server's 409, and
 * the roles and "me" follow the session. */
static void
test_sign_in_as (Fixture       *f,
                 gconstpointer  data)
{
  AaMember *owner = find_member (f, "Sofía Martínez");
  AaMember *aiko = find_member (f, "Aiko Tanaka");
  AaMutation *change;
  Wait wait = { 0, };

  g_assert_true (aa_action_manager_get_me (f->manager) != owner);

  aa_demo_control_sign_in_as_async (f->control, owner, NULL, sign_in_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (aa_action_manager_get_me (f->manager) == owner);

  change = aa_action_manager_change_role (f->manager, owner, AA_ROLE_ADMIN);
  wait_settled (change);
  g_assert_error (aa_mutation_get_error (change), AA_ERROR, AA_ERROR_STATE);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Sofía Martínez an admin. A team needs at least one owner. Make someone else an owner first.");
  g_assert_cmpint (aa_member_get_role (owner), ==, AA_ROLE_OWNER);

  /* An owner may make owners. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_OWNER);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_OWNER);

  /* Back to a plain member: "me" follows again. */
  memset (&wait, 0, sizeof wait);
  aa_demo_control_sign_in_as_async (f->control, aiko, NULL, sign_in_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (aa_action_manager_get_me (f->manager) == aiko);
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
                    aa_action_manager_get_n_pending (f->manager) + aa_action_manager_get_n_failed (f->manager));
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  aa_action_manager_dismiss (f->manager, star);
  unsettled = aa_action_manager_list_unsettled (f->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);
  g_clear_pointer (&unsettled, g_ptr_array_unref);

  /* A declined card is the server's final answer: nothing to lose. */
  declined = aa_action_manager_pay_invoice (f->manager, invoice, "4000 0000 0000 0002");
  wait_settled (declined);
  g_assert_error (aa_mutation_get_error (declined), AA_ERROR, AA_ERROR_REFUSED);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 1);
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
  g_assert_null (aa_action_manager_lookup_item (f->manager, item_id (AA_ITEM (aa_mutation_get_target (first)))));
  assert_feedback (last_feedback (f), empty, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
  g_assert_true (g_str_has_suffix (aa_feedback_get_title (last_feedback (f)), "notes deleted for good"));
  /* Nothing of a note gone for good can be undone. */
  g_assert_null (aa_action_manager_get_undoable (f->manager));
  g_assert_false (aa_action_manager_can_undo (f->manager, first));
  g_assert_cmpuint (json_array_get_length (server_list (f, "/trash", &node)), ==, 0);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_action_manager_reload_item_finish (AA_ACTION_MANAGER (object), result, &wait->error);
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
  expected = g_strdup_printf ("“%s” was changed elsewhere. Reload the latest version; your text is kept until you choose.",
                              old_title);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, expected);

  aa_action_manager_reload_item_async (f->manager, item, NULL, reload_cb, &wait);
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

  aa_action_manager_reload_item_async (f->manager, item, NULL, reload_cb, &wait);
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
  g_assert_cmpuint (aa_action_manager_get_n_pending (f->manager), ==, 0);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);

  spin (50);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/items"), ==, 0);
  g_assert_cmpuint (aa_test_count_requests (f->server, "PATCH", "/items"), ==, 0);
}

static void
test_summary_notify (Fixture       *f,
                     gconstpointer  data)
{
  GObject *manager = G_OBJECT (f->manager);
  AaItem *item = item_at (f, 0);
  AaMutation *star, *mark;

  g_signal_connect (manager, "notify::n-pending", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (manager, "notify::n-failed", G_CALLBACK (notify_counter_cb), NULL);
  g_signal_connect (manager, "notify::undoable", G_CALLBACK (notify_counter_cb), NULL);

  star = aa_action_manager_set_starred (f->manager, item, !aa_item_get_starred (item));
  g_assert_cmpuint (aa_action_manager_get_n_pending (f->manager), ==, 1);
  g_assert_cmpuint (count_notify (manager, "n-pending"), ==, 1);
  g_assert_true (aa_action_manager_get_undoable (f->manager) == star);
  g_assert_cmpuint (count_notify (manager, "undoable"), ==, 1);

  wait_settled (star);
  g_assert_cmpuint (aa_action_manager_get_n_pending (f->manager), ==, 0);
  g_assert_cmpuint (count_notify (manager, "n-pending"), ==, 2);
  g_assert_cmpuint (count_notify (manager, "undoable"), ==, 1);

  aa_test_set_faults (f->server, "{\"next\": [\"error-503\"]}");
  mark = aa_action_manager_set_done (f->manager, item, !aa_item_get_done (item));
  g_assert_true (aa_action_manager_get_undoable (f->manager) == mark);
  wait_settled (mark);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 1);
  g_assert_cmpuint (count_notify (manager, "n-failed"), ==, 1);
  /* A failed mutation is not undoable; the previous one is again. */
  g_assert_true (aa_action_manager_get_undoable (f->manager) == star);
  g_assert_cmpuint (count_notify (manager, "undoable"), ==, 3);

  aa_action_manager_dismiss (f->manager, mark);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
  g_assert_cmpuint (count_notify (manager, "n-failed"), ==, 2);

  g_signal_handlers_disconnect_by_func (manager, notify_counter_cb, NULL);
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
  g_assert_true (aa_action_manager_get_undoable (f->manager) == third);

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
  g_assert_cmpuint (aa_action_manager_get_n_pending (f->manager), ==, 0);
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);
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
  g_assert_cmpuint (aa_action_manager_get_n_failed (f->manager), ==, 0);

  on_server = server_item (f, item_id (item));
  g_assert_cmpint (json_object_get_boolean_member (on_server, "starred"), ==, !starred);
  g_assert_cmpint (json_object_get_boolean_member (on_server, "done"), ==, !done);
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  g_assert_cmpint (aa_item_get_done (item), ==, !done);
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
  g_assert_true (aa_action_manager_lookup_item (f->manager, item_id (item)) == item);

  refresh (f);
  g_assert_cmpuint (count_model_titles (f, "Renew the passport"), ==, 1);
  g_assert_true (aa_action_manager_lookup_item (f->manager, item_id (item)) == item);
  g_assert_cmpuint (count_titles (f, "Renew the passport"), ==, 1);
}

/* Races against a scripted server: each request is held until the test
 * answers it, so answers can arrive in any order the network allows. */

typedef struct {
  SoupServer      *server;
  GPtrArray       *held;  /* SoupServerMessage, paused, in arrival order */
  char            *url;
  AaRestClient    *client;
  AaActionManager *manager;
} Script;

static void
script_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Script *script = user_data;

  soup_server_message_pause (msg);
  g_ptr_array_add (script->held, g_object_ref (msg));
}

static void
script_setup (Script        *script,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  script->held = g_ptr_array_new_with_free_func (g_object_unref);
  script->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (script->server, NULL, script_handler_cb, script, NULL);
  soup_server_listen_local (script->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (script->server);
  script->url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  script->client = aa_rest_client_new (script->url);
  script->manager = aa_action_manager_new (script->client);
}

static void
script_teardown (Script        *script,
                 gconstpointer  data)
{
  g_assert_cmpuint (script->held->len, ==, 0);
  g_assert_finalize_object (script->manager);
  g_assert_finalize_object (script->client);
  soup_server_disconnect (script->server);
  g_clear_object (&script->server);
  g_clear_pointer (&script->held, g_ptr_array_unref);
  g_clear_pointer (&script->url, g_free);
}

typedef struct {
  Script     *script;
  const char *method;
  const char *path;
  guint       index;
} Expect;

static gboolean
request_arrived (gpointer data)
{
  Expect *expect = data;

  for (guint i = 0; i < expect->script->held->len; i++) {
    SoupServerMessage *msg = g_ptr_array_index (expect->script->held, i);

    if (g_str_equal (soup_server_message_get_method (msg), expect->method) &&
        g_str_has_suffix (g_uri_get_path (soup_server_message_get_uri (msg)), expect->path)) {
      expect->index = i;
      return TRUE;
    }
  }

  return FALSE;
}

/* Waits for a request to arrive and takes it out of the held ones. */
static SoupServerMessage *
script_expect (Script     *script,
               const char *method,
               const char *path)
{
  Expect expect = { script, method, path, 0 };

  aa_test_wait_until (request_arrived, &expect, 5000);
  return g_ptr_array_steal_index (script->held, expect.index);
}

static void
script_answer (SoupServerMessage *msg,
               guint              status,
               const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

#define NOTE(id, title, starred, version) \
  "{\"id\": \"" id "\", \"title\": \"" title "\", \"notes\": \"\", \"starred\": " starred ", " \
  "\"done\": false, \"version\": " version ", \"updated_at\": \"2026-01-01T00:00:00Z\"}"

static void
script_refresh_async (Script  *script,
                      Wait    *wait)
{
  aa_action_manager_refresh_async (script->manager, AA_REFRESH_ITEMS | AA_REFRESH_TRASH,
                                   NULL, refresh_cb, wait);
}

/* The first load: one note, an empty trash. */
static AaItem *
script_load (Script *script)
{
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  return aa_action_manager_lookup_item (script->manager, "n1");
}

/* A list fetched before a delete settled must not bring the note back. */
static void
test_stale_refresh_after_delete (Script        *script,
                                 gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *items, *trash;
  AaMutation *delete;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  items = script_expect (script, "GET", "/items");
  trash = script_expect (script, "GET", "/trash");

  delete = aa_action_manager_delete_note (script->manager, item);
  script_answer (script_expect (script, "DELETE", "/items/n1"), 200, NOTE ("n1", "Buy milk", "false", "1"));
  wait_settled (delete);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);

  /* The lists were read by the server before the delete. */
  script_answer (items, 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (trash, 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (aa_action_manager_get_items (script->manager), item), ==, -1);
  g_assert_cmpint (model_index (aa_action_manager_get_trash (script->manager), item), ==, 0);
}

/* A list fetched before a create settled must not remove the new note. */
static void
test_stale_refresh_after_create (Script        *script,
                                 gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  SoupServerMessage *list, *trash;
  AaMutation *create;
  AaItem *created;
  Wait wait = { 0, };

  script_load (script);
  script_refresh_async (script, &wait);
  list = script_expect (script, "GET", "/items");
  trash = script_expect (script, "GET", "/trash");

  create = aa_action_manager_create_note (script->manager, "Call mom", NULL);
  created = AA_ITEM (aa_mutation_get_target (create));
  script_answer (script_expect (script, "POST", "/items"), 201, NOTE ("n2", "Call mom", "false", "1"));
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);

  script_answer (list, 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (trash, 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (aa_action_manager_lookup_item (script->manager, "n2") == created);
  g_assert_cmpint (model_index (items, created), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
}

/* A mutation's answer older than what a refresh already confirmed (someone
 * else edited the note after ours was applied) must not replace it. */
static void
test_stale_answer_after_refresh (Script        *script,
                                 gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *patch;
  AaMutation *star;
  Wait wait = { 0, };

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  patch = script_expect (script, "PATCH", "/items/n1");

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200,
                 "[" NOTE ("n1", "Buy oat milk", "true", "3") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  g_assert_cmpstr (aa_item_get_title (item), ==, "Buy oat milk");

  script_answer (patch, 200, NOTE ("n1", "Buy milk", "true", "2"));
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_item_get_title (item), ==, "Buy oat milk");
  g_assert_true (aa_item_get_starred (item));
}

/* Ids are the server's business: any string, escaped in the path. */
static void
test_id_escaped_in_path (Script        *script,
                         gconstpointer  data)
{
  AaMutation *star;
  AaItem *item;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200,
                 "[" NOTE ("2024/07 #1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  item = aa_action_manager_lookup_item (script->manager, "2024/07 #1");
  g_assert_nonnull (item);

  /* SoupServer hands the path over decoded; unescaped, the “#” would have
   * cut it short, as a fragment. */
  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  script_answer (script_expect (script, "PATCH", "/api/v1/items/2024/07 #1"), 200,
                 NOTE ("2024/07 #1", "Buy milk", "true", "2"));
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_item_get_starred (item));
}

/* The trash emptied while a restore of one of its notes is in flight: the
 * server restored it first, and the note survives the purge the empty
 * trash's answer makes here. */
static void
test_empty_trash_during_restore (Script        *script,
                                 gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  GListModel *trash = aa_action_manager_get_trash (script->manager);
  SoupServerMessage *restore_msg;
  AaMutation *restore, *empty;
  AaItem *item;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[" NOTE ("n2", "Call mom", "false", "3") "]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  item = aa_action_manager_lookup_item (script->manager, "n2");
  g_assert_nonnull (item);
  g_assert_cmpint (model_index (trash, item), ==, 0);

  restore = aa_action_manager_restore_note (script->manager, item);
  restore_msg = script_expect (script, "POST", "/items/n2/restore");
  g_assert_cmpint (model_index (items, item), >=, 0);

  empty = aa_action_manager_empty_trash (script->manager);
  script_answer (script_expect (script, "POST", "/trash/empty"), 200, "{\"purged\": 0}");
  wait_settled (empty);
  g_assert_cmpint (aa_mutation_get_state (empty), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_action_manager_lookup_item (script->manager, "n2") == item);
  g_assert_cmpint (model_index (items, item), >=, 0);

  script_answer (restore_msg, 200, NOTE ("n2", "Call mom", "false", "4"));
  wait_settled (restore);
  g_assert_cmpint (aa_mutation_get_state (restore), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_action_manager_lookup_item (script->manager, "n2") == item);
  g_assert_false (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (items, item), >=, 0);
  g_assert_cmpint (model_index (trash, item), ==, -1);
}

static gboolean
body_has (SoupServerMessage *msg,
          const char        *member,
          gboolean           value)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (!json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  return json_object_has_member (object, member) &&
         json_object_get_boolean_member (object, member) == value;
}

/* Coalescing stops at a delete: "done" then a delete then "not done",
 * queued behind a request in flight, still sends the first "done" before
 * the delete (the server must see what came before it). */
static void
test_coalesce_stops_at_delete (Script        *script,
                               gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *star, *done, *delete, *undone;

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  msg = script_expect (script, "PATCH", "/items/n1");

  done = aa_action_manager_set_done (script->manager, item, TRUE);
  delete = aa_action_manager_delete_note (script->manager, item);
  undone = aa_action_manager_set_done (script->manager, item, FALSE);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_mutation_get_state (undone), ==, AA_MUTATION_STATE_QUEUED);

  script_answer (msg, 200, NOTE ("n1", "Buy milk", "true", "2"));
  msg = script_expect (script, "PATCH", "/items/n1");
  g_assert_true (body_has (msg, "done", TRUE));
  script_answer (msg, 200, NOTE ("n1", "Buy milk", "true", "3"));
  /* The delete's answer says "not done" already (NOTE has done false), so
   * the last change needs no request of its own. */
  script_answer (script_expect (script, "DELETE", "/items/n1"), 200, NOTE ("n1", "Buy milk", "true", "3"));

  wait_settled (undone);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (undone), ==, AA_MUTATION_STATE_COALESCED);
}

/* A refresh whose list no longer has a note with a change on its way: the
 * note stays until its own request decides. */
static void
test_refresh_unlisted_pending (Script        *script,
                               gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *star;
  Wait wait = { 0, };

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  msg = script_expect (script, "PATCH", "/items/n1");

  /* Deleted for good elsewhere meanwhile. */
  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (aa_mutation_is_pending (star));
  g_assert_true (aa_action_manager_lookup_item (script->manager, "n1") == item);
  g_assert_cmpint (model_index (items, item), ==, 0);
  g_assert_true (aa_item_get_starred (item));

  script_answer (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"There is no such note.\"}}");
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), !=, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_error (aa_mutation_get_error (star), AA_ERROR, AA_ERROR_NOT_FOUND);
}

static void
collect_feedback_cb (AaActionManager *manager,
                     AaFeedback      *feedback,
                     GPtrArray       *feedback_list)
{
  g_ptr_array_add (feedback_list, g_object_ref (feedback));
}

/* Undo of a delete still in flight: once the delete succeeds, no "Deleted
 * “…”" toast offers an Undo the user already used. */
static void
test_undo_delete_in_flight (Script        *script,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) feedback = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *items = aa_action_manager_get_items (script->manager);
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *delete, *undo;

  g_signal_connect (script->manager, "feedback", G_CALLBACK (collect_feedback_cb), feedback);

  delete = aa_action_manager_delete_note (script->manager, item);
  msg = script_expect (script, "DELETE", "/items/n1");
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SENT);

  undo = aa_action_manager_undo (script->manager, delete);
  g_assert_nonnull (undo);
  g_assert_true (undo != delete);
  g_assert_cmpint (model_index (items, item), ==, 0);

  script_answer (msg, 200, NOTE ("n1", "Buy milk", "false", "1"));
  script_answer (script_expect (script, "POST", "/items/n1/restore"), 200, NOTE ("n1", "Buy milk", "false", "1"));
  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (items, item), ==, 0);

  for (guint i = 0; i < feedback->len; i++) {
    AaFeedback *shown = g_ptr_array_index (feedback, i);

    g_assert_false (aa_feedback_get_mutation (shown) == delete &&
                    aa_feedback_get_action (shown) == AA_FEEDBACK_ACTION_UNDO);
  }
  g_signal_handlers_disconnect_by_func (script->manager, collect_feedback_cb, feedback);
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
  aa_action_manager_refresh_async (manager, AA_REFRESH_ITEMS, NULL, refresh_cb, &wait);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("optimistic-star", test_optimistic_star);
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
  ADD ("pay", test_pay);
  ADD ("pay-declined", test_pay_declined);
  ADD ("pay-lost-response-checked", test_pay_lost_response_retry);
  ADD ("pay-timeout-not-applied", test_pay_timeout_not_applied);
  ADD ("pay-invalid-card", test_pay_invalid_card);
  ADD ("change-role", test_change_role);
  ADD ("sign-in-as", test_sign_in_as);
  ADD ("empty-trash", test_empty_trash);
  ADD ("save-conflict", test_save_conflict);
  ADD ("validation", test_validation);
  ADD ("summary-notify", test_summary_notify);
  ADD ("faults", test_faults_roundtrip);
  ADD ("list-unsettled", test_list_unsettled);
  ADD ("undo-after-coalesce", test_undo_after_coalesce);
  ADD ("retry-dismissed-create", test_retry_dismissed_create);
  ADD ("replayed-answer-is-older", test_replayed_answer_is_older);
  ADD ("save-behind-star-conflict", test_save_behind_star_conflict);
  ADD ("save-behind-own-changes", test_save_behind_own_changes);
  ADD ("twin-with-pending-goes", test_twin_with_pending_goes);
  ADD ("save-conflict-retry-after-reload", test_save_conflict_retry_after_reload);
  ADD ("notes-pages", test_notes_pages);

#undef ADD

#define ADD_SCRIPTED(path, func) \
  g_test_add ("/Aa/Engine/" path, Script, NULL, script_setup, func, script_teardown)

  ADD_SCRIPTED ("stale-refresh-after-delete", test_stale_refresh_after_delete);
  ADD_SCRIPTED ("stale-refresh-after-create", test_stale_refresh_after_create);
  ADD_SCRIPTED ("stale-answer-after-refresh", test_stale_answer_after_refresh);
  ADD_SCRIPTED ("id-escaped-in-path", test_id_escaped_in_path);
  ADD_SCRIPTED ("empty-trash-during-restore", test_empty_trash_during_restore);
  ADD_SCRIPTED ("coalesce-stops-at-delete", test_coalesce_stops_at_delete);
  ADD_SCRIPTED ("refresh-unlisted-pending", test_refresh_unlisted_pending);
  ADD_SCRIPTED ("undo-delete-in-flight", test_undo_delete_in_flight);

#undef ADD_SCRIPTED

  return g_test_run ();
}
