/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-action-manager.h"
#include "aa-error.h"
#include "aa-rules-private.h"
#include "aa-test-utils.h"

/*
 * Every flow against every fault the demo server can inject, on the real
 * server. Each cell starts from a fresh server, arms one fault, runs the
 * flow as the UI does, and then checks what the user and the data went
 * through:
 *   - exactly one feedback for the outcome, of the tier the rules table
 *     gives, naming the object and saying what to do next;
 *   - Retry offered only where it succeeds: when offered, the fault is
 *     lifted and the retry must succeed with the same idempotency key;
 *   - afterwards the client's models equal the server's data, nothing is
 *     left pending, and no side effect happened twice.
 * The matrix is printed as a Markdown table (and written to
 * fault-matrix.md in the build directory) for docs/testing.md.
 */

typedef enum {
  FLOW_CREATE,
  FLOW_STAR,
  FLOW_SAVE,
  FLOW_DELETE,
  FLOW_UNDO_DELETE,
  FLOW_EMPTY_TRASH,
  FLOW_PAY,
  FLOW_CHANGE_ROLE,
  N_FLOWS
} Flow;

static const char *flow_names[N_FLOWS] = {
  "create", "star", "save", "delete", "undo delete", "empty trash", "pay", "change role",
};

typedef enum {
  FAULT_500,
  FAULT_503,
  FAULT_TIMEOUT,
  FAULT_DROP,
  FAULT_LOST_RESPONSE,
  FAULT_CONFLICT,
  FAULT_OFFLINE,
  FAULT_LATENCY,
  N_FAULTS
} Fault;

static const char *fault_names[N_FAULTS] = {
  "error-500", "error-503", "timeout", "drop", "lost-response", "conflict", "offline", "5 s latency",
};

/* The client gives up on a silent server after this long; the latency
 * fault stays under it, the timeout fault holds the request past it. */
#define CLIENT_TIMEOUT_S 7
#define LATENCY_MS       5000

typedef struct {
  AaTestServer    *server;
  AaRestClient    *client;
  AaActionManager *manager;
  GPtrArray       *feedback;  /* AaFeedback, in emission order */
  char            *object;    /* the name the messages must mention */
  gint64           version;   /* the first note's version before the flow */
} Cell;

static char *matrix[N_FLOWS][N_FAULTS];

static void
feedback_cb (AaActionManager *manager,
             AaFeedback      *feedback,
             Cell            *cell)
{
  g_ptr_array_add (cell->feedback, g_object_ref (feedback));
}

typedef struct {
  gboolean done;
  GError  *error;
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

  aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
refresh (Cell *cell)
{
  Wait wait = { 0, };

  aa_action_manager_refresh_async (cell->manager, AA_REFRESH_ALL, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 10000);
  g_assert_no_error (wait.error);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  aa_action_manager_reload_item_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (aa_action_manager_get_engine (AA_ACTION_MANAGER (data))) == 0;
}

static void
wait_settled (AaMutation *mutation)
{
  aa_test_wait_settled (mutation, (CLIENT_TIMEOUT_S + 10) * 1000);
}

/* Settled, or of unknown outcome, or waiting for the server. */
static gboolean
has_outcome (gpointer data)
{
  AaMutationState state = aa_mutation_get_state (AA_MUTATION (data));

  return !aa_mutation_is_pending (AA_MUTATION (data)) ||
         state == AA_MUTATION_STATE_UNKNOWN || state == AA_MUTATION_STATE_WAITING;
}

static void
arm (Cell  *cell,
     Fault  fault)
{
  static const char *armed[N_FAULTS] = {
    [FAULT_500]           = "{\"next\": [\"error-500\"]}",
    [FAULT_503]           = "{\"next\": [\"error-503\"]}",
    [FAULT_TIMEOUT]       = "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 9000}",
    [FAULT_DROP]          = "{\"next\": [\"drop\"]}",
    [FAULT_LOST_RESPONSE] = "{\"next\": [\"lost-response\"]}",
    [FAULT_CONFLICT]      = "{\"next\": [\"conflict\"]}",
    [FAULT_OFFLINE]       = "{\"offline\": true}",
    [FAULT_LATENCY]       = "{\"latency_ms\": 5000}",
  };

  aa_test_set_faults (cell->server, armed[fault]);
  /* As the demo's Offline does: the app's requests never reach the server. */
  if (fault == FAULT_OFFLINE)
    aa_rest_client_set_blocked (cell->client, TRUE);
}

static gboolean
reachable (gpointer data)
{
  return aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (data)));
}

static void
disarm (Cell *cell)
{
  aa_test_set_faults (cell->server, "{\"next\": [], \"offline\": false, \"latency_ms\": 0}");
  aa_rest_client_set_blocked (cell->client, FALSE);
  /* Found out by a probe, with nothing to press. */
  aa_test_wait_until (reachable, cell->manager, 10000);
}

/* Borrowed from the model. */
static gpointer
model_first (GListModel *model)
{
  g_autoptr(GObject) object = g_list_model_get_item (model, 0);

  g_assert_nonnull (object);
  return object;
}

static AaInvoice *
open_invoice (Cell *cell)
{
  GListModel *invoices = aa_action_manager_get_invoices (cell->manager);

  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++) {
    g_autoptr(AaInvoice) invoice = g_list_model_get_item (invoices, i);

    if (aa_invoice_get_status (invoice) == AA_INVOICE_STATUS_OPEN)
      return invoice;
  }

  g_assert_not_reached ();
}

static AaMember *
other_member (Cell *cell)
{
  GListModel *members = aa_action_manager_get_members (cell->manager);
  AaMember *me = aa_action_manager_get_me (cell->manager);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (members, i);

    if (member != me && aa_member_get_role (member) == AA_ROLE_MEMBER)
      return member;
  }

  g_assert_not_reached ();
}

static AaMutation *
settle_setup (Cell       *cell,
              AaMutation *mutation)
{
  wait_settled (mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_ptr_array_set_size (cell->feedback, 0);
  return mutation;
}

/* Whatever a flow needs before its own request, done without faults; then
 * the fault, then the flow's one intention. */
static AaMutation *
run_flow (Cell  *cell,
          Flow   flow,
          Fault  fault)
{
  AaActionManager *m = cell->manager;
  AaItem *item = model_first (aa_action_manager_get_items (m));
  AaMutation *before = NULL;

  g_free (cell->object);
  cell->object = g_strdup (aa_item_get_title (item));

  switch (flow) {
  case FLOW_UNDO_DELETE:
    before = settle_setup (cell, aa_action_manager_delete_note (m, item));
    break;
  case FLOW_EMPTY_TRASH:
    settle_setup (cell, aa_action_manager_delete_note (m, item));
    g_free (cell->object);
    cell->object = g_strdup ("trash");
    break;
  case FLOW_CREATE:
    g_free (cell->object);
    cell->object = g_strdup ("Matrix note");
    break;
  case FLOW_PAY:
    g_free (cell->object);
    cell->object = g_strdup (aa_invoice_get_description (open_invoice (cell)));
    break;
  case FLOW_CHANGE_ROLE:
    g_free (cell->object);
    cell->object = g_strdup (aa_member_get_name (other_member (cell)));
    break;
  case FLOW_STAR:
  case FLOW_SAVE:
  case FLOW_DELETE:
  case N_FLOWS:
  default:
    break;
  }

  arm (cell, fault);

  switch (flow) {
  case FLOW_CREATE:
    return aa_action_manager_create_note (m, "Matrix note", "made under a fault");
  case FLOW_STAR:
    return aa_action_manager_set_starred (m, item, !aa_item_get_starred (item));
  case FLOW_SAVE:
    return aa_action_manager_save_note (m, item, "Saved under a fault", "new text");
  case FLOW_DELETE:
    return aa_action_manager_delete_note (m, item);
  case FLOW_UNDO_DELETE:
    return aa_action_manager_undo (m, before);
  case FLOW_EMPTY_TRASH:
    return aa_action_manager_empty_trash (m);
  case FLOW_PAY:
    return aa_action_manager_pay_invoice (m, open_invoice (cell), "4242 4242 4242 4242");
  case FLOW_CHANGE_ROLE:
    return aa_action_manager_change_role (m, other_member (cell), AA_ROLE_ADMIN);
  case N_FLOWS:
  default:
    g_assert_not_reached ();
  }
}

static const char *
tier_text (AaFeedbackTier tier)
{
  switch (tier) {
  case AA_FEEDBACK_TIER_INLINE:
    return "inline";
  case AA_FEEDBACK_TIER_TOAST:
    return "toast";
  case AA_FEEDBACK_TIER_DIALOG:
    return "dialog";
  case AA_FEEDBACK_TIER_NONE:
  default:
    return "none";
  }
}

static const char *
action_text (AaFeedbackAction action)
{
  switch (action) {
  case AA_FEEDBACK_ACTION_RETRY:
    return "+Retry";
  case AA_FEEDBACK_ACTION_UNDO:
    return "+Undo";
  case AA_FEEDBACK_ACTION_RELOAD:
    return "+Reload";
  case AA_FEEDBACK_ACTION_NONE:
  default:
    return "";
  }
}

/* The rules row for @mutation's outcome, read from the declarative table:
 * a conflict on a save is fixed in the editor; every other injected fault
 * is a transient failure. */
static void
expected_feedback (AaMutation       *mutation,
                   AaFeedbackTier   *out_tier,
                   AaFeedbackAction *out_action)
{
  AaOperation *operation = aa_mutation_get_operation (mutation);
  const AaRule *rule = aa_operation_get_rule (operation);
  const GError *error = aa_mutation_get_error (mutation);
  gboolean undo = aa_mutation_get_undo_of (mutation) != NULL;

  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED) {
    *out_tier = undo ? AA_FEEDBACK_TIER_NONE : rule->success;
    *out_action = undo ? AA_FEEDBACK_ACTION_NONE : rule->success_action;
  } else if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN) {
    /* "Not confirmed yet", in the rule's tier, with nothing to press. */
    *out_tier = undo ? AA_FEEDBACK_TIER_NONE : rule->unknown;
    *out_action = AA_FEEDBACK_ACTION_NONE;
  } else if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_WAITING) {
    *out_tier = AA_FEEDBACK_TIER_NONE;
    *out_action = AA_FEEDBACK_ACTION_NONE;
  } else if (g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT) &&
             g_strcmp0 (aa_operation_get_name (operation), "save-note") == 0) {
    *out_tier = rule->input_failure;
    *out_action = rule->input_failure_action;
  } else {
    /* An undo's failure is a toast with Retry, whatever it undoes. */
    *out_tier = undo ? AA_FEEDBACK_TIER_TOAST : rule->failure;
    *out_action = undo ? AA_FEEDBACK_ACTION_RETRY : rule->failure_action;
  }
}

/* Exactly one feedback for @mutation's outcome, as the rules say; returns
 * its action. */
static AaFeedbackAction
check_one_feedback (Cell       *cell,
                    AaMutation *mutation,
                    GString    *outcome)
{
  AaFeedbackTier tier;
  AaFeedbackAction action;

  expected_feedback (mutation, &tier, &action);

  if (tier == AA_FEEDBACK_TIER_NONE) {
    g_assert_cmpuint (cell->feedback->len, ==, 0);
    g_string_append (outcome, "silent");
    return AA_FEEDBACK_ACTION_NONE;
  }

  g_assert_cmpuint (cell->feedback->len, ==, 1);
  {
    AaFeedback *feedback = g_ptr_array_index (cell->feedback, 0);
    const char *title = aa_feedback_get_title (feedback);

    g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
    g_assert_cmpint (aa_feedback_get_tier (feedback), ==, tier);
    g_assert_cmpint (aa_feedback_get_action (feedback), ==, action);
    g_assert_null (strstr (title, "Something went wrong"));
    g_assert_null (strstr (title, "Unknown error"));

    /* An unknown outcome is never worded as a failure. */
    if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN) {
      g_assert_null (strstr (title, "Couldn"));
      g_assert_nonnull (strstr (title, "confirmed yet"));
    } else if (aa_mutation_get_state (mutation) != AA_MUTATION_STATE_SUCCEEDED) {
      const char *next = strstr (title, ". ");

      /* What failed, naming the object, then what to do next. */
      g_autofree char *named = aa_subject_for_messages (cell->object);

      g_assert_nonnull (strstr (title, named));
      g_assert_nonnull (next);
      g_assert_cmpuint (strlen (next), >, strlen (". Retry."));
    }

    g_string_append_printf (outcome, "%s%s", tier_text (tier), action_text (action));
  }

  g_ptr_array_set_size (cell->feedback, 0);
  return action;
}

static void
finish_reload (Cell       *cell,
               AaMutation *mutation)
{
  Wait wait = { 0, };
  AaItem *item = AA_ITEM (aa_mutation_get_target (mutation));

  aa_action_manager_reload_item_async (cell->manager, item, NULL, reload_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 10000);
  g_assert_no_error (wait.error);
}

/* The client's models against the server's lists, field by field. */
static void
assert_models_match_server (Cell *cell)
{
  struct {
    const char *path;
    GListModel *model;
  } lists[] = {
    { "/items",    aa_action_manager_get_items (cell->manager) },
    { "/trash",    aa_action_manager_get_trash (cell->manager) },
    { "/invoices", aa_action_manager_get_invoices (cell->manager) },
    { "/members",  aa_action_manager_get_members (cell->manager) },
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++) {
    g_autoptr(JsonNode) node = NULL;
    guint status = 0;
    JsonArray *array;

    node = aa_test_request (cell->server, "GET", lists[l].path, NULL, &status, NULL, NULL);
    g_assert_cmpuint (status, ==, 200);
    array = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (array), ==, g_list_model_get_n_items (lists[l].model));

    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonObject *object = json_array_get_object_element (array, i);
      g_autoptr(AaResource) resource = g_list_model_get_item (lists[l].model, i);

      g_assert_cmpstr (aa_resource_get_id (resource), ==, json_object_get_string_member (object, "id"));
      g_assert_cmpint (aa_resource_get_sync_state (resource), ==, AA_SYNC_STATE_SYNCED);

      if (AA_IS_ITEM (resource)) {
        AaItem *item = AA_ITEM (resource);

        g_assert_cmpstr (aa_item_get_title (item), ==, json_object_get_string_member (object, "title"));
        g_assert_cmpstr (aa_item_get_notes (item), ==, json_object_get_string_member (object, "notes"));
        g_assert_cmpint (aa_item_get_starred (item), ==, json_object_get_boolean_member (object, "starred"));
        g_assert_cmpint (aa_item_get_done (item), ==, json_object_get_boolean_member (object, "done"));
      } else if (AA_IS_INVOICE (resource)) {
        g_assert_cmpstr (aa_invoice_get_status (AA_INVOICE (resource)) == AA_INVOICE_STATUS_PAID ? "paid" : "open",
                         ==, json_object_get_string_member (object, "status"));
      } else if (AA_IS_MEMBER (resource)) {
        g_assert_cmpstr (aa_role_to_string (aa_member_get_role (AA_MEMBER (resource))),
                         ==, json_object_get_string_member (object, "role"));
      }
    }
  }
}

static guint
count_titled (Cell       *cell,
              const char *title)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0, n = 0;
  JsonArray *array;

  node = aa_test_request (cell->server, "GET", "/items", NULL, &status, NULL, NULL);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i), "title"), title) == 0)
      n++;
  }

  return n;
}

/* The side effect happened, and once. */
static void
assert_once (Cell       *cell,
             Flow        flow,
             AaMutation *mutation)
{
  switch (flow) {
  case FLOW_CREATE:
    g_assert_cmpuint (count_titled (cell, "Matrix note"), ==, 1);
    break;
  case FLOW_STAR:
  case FLOW_SAVE: {
    /* One application, one new version. */
    AaItem *item = AA_ITEM (aa_mutation_get_target (mutation));
    g_autofree char *path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (item)));
    g_autoptr(JsonNode) node = NULL;
    guint status = 0;

    node = aa_test_request (cell->server, "GET", path, NULL, &status, NULL, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "version"), ==, cell->version + 1);
    break;
  }
  case FLOW_DELETE:
    g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_trash (cell->manager)), ==, 1);
    break;
  case FLOW_UNDO_DELETE:
    g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_trash (cell->manager)), ==, 0);
    break;
  case FLOW_EMPTY_TRASH:
    g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_trash (cell->manager)), ==, 0);
    break;
  case FLOW_PAY:
    /* Charged once: any repeat carried the same key and was a replay (an
     * attempt that never reached the server, offline, is not there). */
    g_assert_cmpuint (aa_test_count_requests (cell->server, "POST", "/payments"), <=,
                      aa_mutation_get_attempts (mutation));
    g_assert_cmpuint (aa_test_count_requests (cell->server, "POST", "/payments"), >=, 1);
    g_assert_true (aa_mutation_get_attempts (mutation) == 1 || aa_mutation_get_replayed (mutation) ||
                   aa_mutation_get_error (mutation) == NULL);
    break;
  case FLOW_CHANGE_ROLE:
    g_assert_cmpint (aa_member_get_role (AA_MEMBER (aa_mutation_get_target (mutation))), ==, AA_ROLE_ADMIN);
    break;
  case N_FLOWS:
  default:
    g_assert_not_reached ();
  }
}

static void
run_cell (Flow  flow,
          Fault fault)
{
  Cell cell = { 0, };
  g_autoptr(GString) outcome = g_string_new (NULL);
  AaMutation *mutation;
  AaFeedbackAction action;
  AaMutationState state;

  cell.server = aa_test_server_start (NULL);
  cell.client = aa_rest_client_new (cell.server->url);
  aa_rest_client_set_backend_features (cell.client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  aa_rest_client_set_timeout (cell.client, CLIENT_TIMEOUT_S);
  cell.manager = aa_action_manager_new (cell.client);
  cell.feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (aa_action_manager_get_engine (cell.manager), "feedback", G_CALLBACK (feedback_cb), &cell);
  refresh (&cell);

  cell.version = aa_item_get_version (model_first (aa_action_manager_get_items (cell.manager)));

  mutation = g_object_ref (run_flow (&cell, flow, fault));
  aa_test_wait_until (has_outcome, mutation, (CLIENT_TIMEOUT_S + 10) * 1000);
  state = aa_mutation_get_state (mutation);

  /* The answer was lost, or the server can't be reached: never failed,
   * never counted as such; once the fault is lifted the engine finds out
   * (or sends it) by itself, with nothing to press. */
  if (state == AA_MUTATION_STATE_UNKNOWN || state == AA_MUTATION_STATE_WAITING) {
    g_string_append (outcome, state == AA_MUTATION_STATE_UNKNOWN ? "unknown, " : "waiting, ");
    check_one_feedback (&cell, mutation, outcome);
    g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (cell.manager)), ==, 0);
    disarm (&cell);
    wait_settled (mutation);
    state = aa_mutation_get_state (mutation);
    g_string_append (outcome, " → ");
  } else {
    disarm (&cell);
  }

  g_string_append (outcome, state == AA_MUTATION_STATE_SUCCEEDED ? "done, " :
                            state == AA_MUTATION_STATE_ROLLED_BACK ? "rolled back, " : "failed, ");
  action = check_one_feedback (&cell, mutation, outcome);

  if (state != AA_MUTATION_STATE_SUCCEEDED) {
    /* Every injected fault passes: the way out must lead somewhere. */
    g_assert_true (action == AA_FEEDBACK_ACTION_RETRY || action == AA_FEEDBACK_ACTION_RELOAD);

    if (action == AA_FEEDBACK_ACTION_RETRY) {
      const char *key = aa_mutation_get_idempotency_key (mutation);
      g_autofree char *key_before = g_strdup (key);

      g_assert_true (aa_action_manager_retry (cell.manager, mutation));
      wait_settled (mutation);
      g_assert_cmpstr (aa_mutation_get_idempotency_key (mutation), ==, key_before);
      g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
      g_string_append (outcome, " → Retry: ");
      check_one_feedback (&cell, mutation, outcome);
    } else {
      /* A conflict: the latest version is reloaded and the change made
       * again, as a new intention. */
      g_autoptr(AaMutation) again = NULL;

      finish_reload (&cell, mutation);
      cell.version = aa_item_get_version (AA_ITEM (aa_mutation_get_target (mutation)));
      again = g_object_ref (aa_action_manager_save_note (cell.manager, AA_ITEM (aa_mutation_get_target (mutation)),
                                                         "Saved under a fault", "new text"));
      wait_settled (again);
      g_assert_cmpint (aa_mutation_get_state (again), ==, AA_MUTATION_STATE_SUCCEEDED);
      g_string_append (outcome, " → Reload, save: ");
      check_one_feedback (&cell, again, outcome);
      g_set_object (&mutation, again);
    }
  }

  aa_test_wait_until (idle, cell.manager, 10000);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (cell.manager)), ==, 0);
  assert_once (&cell, flow, mutation);
  assert_models_match_server (&cell);

  g_string_append_printf (outcome, "; %u req%s", aa_mutation_get_attempts (mutation),
                          aa_mutation_get_replayed (mutation) ? ", replayed" : "");
  matrix[flow][fault] = g_string_free (g_steal_pointer (&outcome), FALSE);

  g_object_unref (mutation);
  g_clear_pointer (&cell.feedback, g_ptr_array_unref);
  g_assert_finalize_object (cell.manager);
  g_assert_finalize_object (cell.client);
  g_clear_pointer (&cell.server, aa_test_server_free);
  g_free (cell.object);
}

static void
test_cell (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);

  run_cell (index / N_FAULTS, index % N_FAULTS);
}

static char *
build_table (void)
{
  GString *table = g_string_new ("| flow |");

  for (guint fault = 0; fault < N_FAULTS; fault++)
    g_string_append_printf (table, " %s |", fault_names[fault]);
  g_string_append (table, "\n|---|");
  for (guint fault = 0; fault < N_FAULTS; fault++)
    g_string_append (table, "---|");
  g_string_append_c (table, '\n');

  for (guint flow = 0; flow < N_FLOWS; flow++) {
    g_string_append_printf (table, "| %s |", flow_names[flow]);
    for (guint fault = 0; fault < N_FAULTS; fault++)
      g_string_append_printf (table, " %s |", matrix[flow][fault]);
    g_string_append_c (table, '\n');
  }

  return g_string_free (table, FALSE);
}

/* Last: the table of every cell, printed, written to the build directory
 * and compared with docs/testing.md's copy between its two markers, so that
 * a change in behaviour cannot leave the docs behind. */
static void
test_table (void)
{
  g_autofree char *table = NULL;
  g_autofree char *built = NULL;
  g_autofree char *path = NULL;
  g_autofree char *readme = NULL;
  g_autofree char *shown = NULL;
  const char *start, *end;

  for (guint flow = 0; flow < N_FLOWS; flow++) {
    for (guint fault = 0; fault < N_FAULTS; fault++) {
      if (matrix[flow][fault] == NULL) {
        g_test_skip ("Not every cell ran");
        return;
      }
    }
  }

  table = build_table ();
  built = g_test_build_filename (G_TEST_BUILT, "fault-matrix.md", NULL);
  g_assert_true (g_file_set_contents (built, table, -1, NULL));
  g_test_message ("The fault matrix (also in %s):\n%s", built, table);

  path = g_test_build_filename (G_TEST_DIST, "..", "docs", "testing.md", NULL);
  g_assert_true (g_file_get_contents (path, &readme, NULL, NULL));
  start = strstr (readme, "<!-- fault-matrix -->\n");
  end = strstr (readme, "<!-- /fault-matrix -->");
  g_assert_nonnull (start);
  g_assert_nonnull (end);
  start += strlen ("<!-- fault-matrix -->\n");
  shown = g_strndup (start, end - start);
  g_assert_cmpstr (shown, ==, table);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint flow = 0; flow < N_FLOWS; flow++) {
    for (guint fault = 0; fault < N_FAULTS; fault++) {
      g_autofree char *path = g_strdup_printf ("/FaultMatrix/cell/%s/%s", flow_names[flow], fault_names[fault]);

      g_strdelimit (path, " ", '-');
      g_test_add_data_func (path, GUINT_TO_POINTER (flow * N_FAULTS + fault), test_cell);
    }
  }

  g_test_add_func ("/FaultMatrix/summary/table", test_table);

  status = g_test_run ();

  for (guint flow = 0; flow < N_FLOWS; flow++)
    for (guint fault = 0; fault < N_FAULTS; fault++)
      g_free (matrix[flow][fault]);

  return status;
}
