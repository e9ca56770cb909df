/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-bookmarks-backend.h"
#include "aa-test-backend.h"

/*
 * Three outcomes, never two, and offline as a state: the engine on a
 * domain of its own (bookmarks with a star, a title and an approval)
 * against the backend of aa-bookmarks-backend.h, which keeps idempotency
 * keys as a real server does, can lose an answer after applying a change
 * (or drop a request before), and can go down for real. Its log says which
 * change was applied, so that each test proves nothing was applied twice.
 */

/* Every change the backend received was applied at most once per key. */
static void
assert_applied_once (Backend *backend)
{
  g_autoptr(GHashTable) applied = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (backend->log, i);

    if (!logged->applied)
      continue;
    g_assert_nonnull (logged->key);
    g_assert_false (g_hash_table_contains (applied, logged->key));
    g_hash_table_add (applied, logged->key);
  }
}

/* The domain: bookmarks */

/* Setting fields of a bookmark (star, rename) is aa_test_patch_new (). */

#define NT_TYPE_APPROVE (nt_approve_get_type ())
G_DECLARE_FINAL_TYPE (NtApprove, nt_approve, NT, APPROVE, AaOperation)

/* Approves a bookmark: pessimistic, and it declares its check (read the
 * bookmark). */
struct _NtApprove
{
  AaOperation parent_instance;
};

G_DEFINE_FINAL_TYPE (NtApprove, nt_approve, AA_TYPE_OPERATION)

static AaRequest *
nt_approve_build_request (AaOperation *operation,
                          AaMutation  *mutation)
{
  g_autofree char *path = aa_path_build ("bookmarks", aa_resource_get_id (aa_mutation_get_target (mutation)), "approve");

  return aa_request_new ("POST", path, NULL, -1);
}

static AaRequest *
nt_approve_build_check (AaOperation *operation,
                        AaMutation  *mutation)
{
  g_autofree char *path = aa_path_build ("bookmarks", aa_resource_get_id (aa_mutation_get_target (mutation)), NULL);

  return aa_request_new ("GET", path, NULL, -1);
}

static AaCheckResult
nt_approve_interpret_check (AaOperation *operation,
                            AaMutation  *mutation,
                            JsonNode    *answer)
{
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return AA_CHECK_RESULT_UNKNOWN;
  return json_object_get_boolean_member_with_default (json_node_get_object (answer), "approved", FALSE)
         ? AA_CHECK_RESULT_APPLIED : AA_CHECK_RESULT_NOT_APPLIED;
}

static void
nt_approve_class_init (NtApproveClass *klass)
{
  AaOperationClass *operation_class = AA_OPERATION_CLASS (klass);

  operation_class->build_request = nt_approve_build_request;
  operation_class->build_check = nt_approve_build_check;
  operation_class->interpret_check = nt_approve_interpret_check;
}

static void
nt_approve_init (NtApprove *self)
{
}

/* Fixture */

typedef struct {
  Backend         *backend;
  AaRestClient    *client;
  AaEngine        *engine;
  AaConnectivity  *connectivity;
  AaResourceStore *store;
  AaOperation     *patch;
  AaOperation     *approve;
  GPtrArray       *feedback;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets the main loop run for @ms, for what must not happen meanwhile. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  wait_until (is_true, &done);
}

static gboolean
settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

static gboolean
is_waiting (gpointer data)
{
  return aa_mutation_get_state (data) == AA_MUTATION_STATE_WAITING;
}

static gboolean
is_unknown (gpointer data)
{
  return aa_mutation_get_state (data) == AA_MUTATION_STATE_UNKNOWN;
}

static gboolean
reachable (gpointer data)
{
  return aa_connectivity_get_reachable (data);
}

static gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (data) == 0;
}

/* "Couldn’t star …", but not "Couldn’t confirm … Reload to see whether it
 * was.": that one says the outcome is not known. */
static gboolean
says_failure (const char *title)
{
  return strstr (title, "Couldn") != NULL && strstr (title, "Couldn’t confirm") == NULL;
}

static void
feedback_cb (AaEngine   *engine,
             AaFeedback *feedback,
             Fixture    *f)
{
  /* Whatever the outcome, an unknown one is never worded as a failure. */
  if (aa_mutation_get_state (aa_feedback_get_mutation (feedback)) == AA_MUTATION_STATE_UNKNOWN)
    g_assert_false (says_failure (aa_feedback_get_title (feedback)));
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AaRule rule = {
    AA_POLICY_OPTIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_NONE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE,
    /* The new columns left to their defaults: wait offline, resend. */
  };
  AaRule pessimistic = {
    AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_OFFLINE_POLICY_DEFAULT, AA_RESOLUTION_DEFAULT, AA_FEEDBACK_TIER_INLINE,
  };

  f->backend = backend_start ();
  f->client = aa_rest_client_new (f->backend->url);
  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  f->engine = aa_engine_new (f->client);
  f->connectivity = aa_engine_get_connectivity (f->engine);
  aa_connectivity_set_probe_path (f->connectivity, "/bookmarks");
  aa_connectivity_set_backoff (f->connectivity, 20, 200);
  f->store = aa_resource_store_new (f->engine, AA_TYPE_RESOURCE);
  f->patch = aa_test_patch_new ("patch-bookmark", "bookmarks");
  aa_operation_set_rule (f->patch, &rule);
  f->approve = g_object_new (NT_TYPE_APPROVE, "name", "approve-bookmark", NULL);
  aa_operation_set_rule (f->approve, &pessimistic);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->engine, "feedback", G_CALLBACK (feedback_cb), f);

  aa_test_backend_refresh (f->store, "/bookmarks");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wait_until (idle, f->engine);
  assert_applied_once (f->backend);
  g_ptr_array_unref (f->feedback);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->patch);
  g_object_unref (f->approve);
  g_assert_finalize_object (f->client);
  backend_free (f->backend);
}

static AaResource *
bookmark (Fixture    *f,
          const char *id)
{
  AaResource *resource = aa_resource_store_lookup (f->store, id);

  g_assert_nonnull (resource);
  return resource;
}

static AaMutation *
set_member (Fixture     *f,
            AaOperation *operation,
            const char  *id,
            const char  *member,
            JsonNode    *value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  json_object_set_member (patch, member, value);
  mutation = aa_mutation_new (operation, bookmark (f, id), id, patch);
  return aa_engine_run (f->engine, mutation);
}

static AaMutation *
star (Fixture    *f,
      const char *id,
      gboolean    starred)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, starred);
  return set_member (f, f->patch, id, "starred", value);
}

static AaMutation *
retitle (Fixture    *f,
         const char *id,
         const char *title)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, title);
  return set_member (f, f->patch, id, "title", value);
}

static AaMutation *
approve (Fixture    *f,
         const char *id)
{
  g_autoptr(AaMutation) mutation = aa_mutation_new (f->approve, bookmark (f, id), id, NULL);

  return aa_engine_run (f->engine, mutation);
}

static gboolean
shown_boolean (Fixture    *f,
               const char *id,
               const char *member)
{
  return aa_state_get_boolean (aa_resource_get_shown (bookmark (f, id)), member, FALSE);
}

static gboolean
server_boolean (Fixture    *f,
                const char *id,
                const char *member)
{
  return json_object_get_boolean_member_with_default (find_bookmark (f->backend, id), member, FALSE);
}

static gboolean
is_listed (GPtrArray  *mutations,
           AaMutation *mutation)
{
  return g_ptr_array_find (mutations, mutation, NULL);
}

static void
assert_no_failure_said (Fixture *f)
{
  for (guint i = 0; i < f->feedback->len; i++)
    g_assert_false (says_failure (aa_feedback_get_title (g_ptr_array_index (f->feedback, i))));
}

/* Tests */

/* The server answered: the change is confirmed, applied once. */
static void
test_succeeded (Fixture       *f,
                gconstpointer  data)
{
  AaMutation *mutation = star (f, "1", TRUE);

  g_assert_true (shown_boolean (f, "1", "starred"));
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (server_boolean (f, "1", "starred"));
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/1"), ==, 1);
  g_assert_true (aa_connectivity_get_reachable (f->connectivity));
}

/* The server refused: a failure for good, rolled back, worded as one. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  AaMutation *mutation;

  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  mutation = star (f, "1", TRUE);
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_false (shown_boolean (f, "1", "starred"));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_true (g_str_has_prefix (aa_feedback_get_title (g_ptr_array_index (f->feedback, 0)), "Couldn’t"));
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/1"), ==, 0);
  /* An answer, even a refusal, means the server is there. */
  g_assert_true (aa_connectivity_get_reachable (f->connectivity));
  aa_engine_dismiss (f->engine, mutation);
}

/* Not reached: nothing was applied, so the star stays shown and waits;
 * the engine probes, notices the server is back, and sends it, with no
 * Retry to press. */
static void
test_not_reached_waits (Fixture       *f,
                        gconstpointer  data)
{
  AaMutation *mutation;
  g_autoptr(GPtrArray) unsettled = NULL;
  guint probes;

  backend_down (f->backend);
  mutation = star (f, "1", TRUE);
  wait_until (is_waiting, mutation);

  g_assert_false (aa_connectivity_get_reachable (f->connectivity));
  g_assert_cmpint (aa_connectivity_get_unreachable_since (f->connectivity), >, 0);
  g_assert_true (shown_boolean (f, "1", "starred"));
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "1")), ==, AA_SYNC_STATE_WAITING);
  g_assert_null (aa_mutation_get_error (mutation));
  g_assert_nonnull (aa_mutation_get_message (mutation));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_waiting (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_true (is_listed (unsettled, mutation));

  /* It keeps probing, with backoff, while the server is away. */
  probes = aa_connectivity_get_n_probes (f->connectivity);
  while (aa_connectivity_get_n_probes (f->connectivity) < probes + 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_WAITING);

  backend_up (f->backend);
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_connectivity_get_reachable (f->connectivity));
  g_assert_cmpint (aa_connectivity_get_unreachable_since (f->connectivity), ==, 0);
  g_assert_true (server_boolean (f, "1", "starred"));
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/1"), ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  assert_no_failure_said (f);
}

/* The answer was lost after the server applied the change: unknown, never
 * failed; resent with the same key once a probe is answered, the server
 * replays its first answer. */
static void
test_unknown_replayed (Fixture       *f,
                       gconstpointer  data)
{
  AaMutation *mutation;
  g_autoptr(GPtrArray) unsettled = NULL;
  const char *key;

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  mutation = star (f, "1", TRUE);
  key = aa_mutation_get_idempotency_key (mutation);
  wait_until (is_unknown, mutation);

  g_assert_true (shown_boolean (f, "1", "starred"));
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "1")), ==, AA_SYNC_STATE_UNKNOWN);
  g_assert_null (aa_mutation_get_error (mutation));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_unknown (f->engine), ==, 1);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_true (is_listed (unsettled, mutation));

  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_mutation_get_replayed (mutation));
  g_assert_cmpuint (aa_mutation_get_attempts (mutation), ==, 2);
  g_assert_cmpuint (count_requests_to (f->backend, "PATCH", "/bookmarks/1"), ==, 2);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/1"), ==, 1);
  for (guint i = 0; i < f->backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (f->backend->log, i);

    if (g_str_equal (logged->method, "PATCH"))
      g_assert_cmpstr (logged->key, ==, key);
  }
  assert_no_failure_said (f);
}

/* A resend answered 409, the first attempt still in flight on the server:
 * still unknown, never a refusal; the next resend gets the replay. */
static void
test_unknown_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  AaMutation *mutation;

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_BUSY));
  mutation = star (f, "1", TRUE);
  wait_until (settled, mutation);

  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_mutation_get_replayed (mutation));
  g_assert_cmpuint (aa_mutation_get_attempts (mutation), ==, 3);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/1"), ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  assert_no_failure_said (f);
}

/* The answer was lost after the server applied the approval: the
 * operation’s own check (read the bookmark) says it went through, and nothing
 * is sent again. Meanwhile the target is busy and says "not confirmed". */
static void
test_unknown_checked_applied (Fixture       *f,
                              gconstpointer  data)
{
  AaMutation *mutation;
  AaFeedback *feedback;

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  mutation = approve (f, "2");
  wait_until (is_unknown, mutation);

  g_assert_true (aa_resource_get_busy (bookmark (f, "2")));
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "2")), ==, AA_SYNC_STATE_UNKNOWN);
  g_assert_false (shown_boolean (f, "2", "approved"));
  g_assert_cmpuint (f->feedback->len, ==, 1);
  feedback = g_ptr_array_index (f->feedback, 0);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "not confirmed yet"));

  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (shown_boolean (f, "2", "approved"));
  g_assert_false (aa_resource_get_busy (bookmark (f, "2")));
  g_assert_cmpuint (aa_mutation_get_attempts (mutation), ==, 1);
  g_assert_cmpuint (count_requests_to (f->backend, "POST", "/bookmarks/2/approve"), ==, 1);
  g_assert_cmpuint (count_requests_to (f->backend, "GET", "/bookmarks/2"), ==, 1);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/2/approve"), ==, 1);
  g_assert_cmpint (aa_feedback_get_tier (g_ptr_array_index (f->feedback, f->feedback->len - 1)), ==,
                   AA_FEEDBACK_TIER_TOAST);
}

/* The connection dropped before the server applied anything: the check
 * says so, and it is a plain failure that says what to do; a retry (the
 * same key) approves once. */
static void
test_unknown_checked_not_applied (Fixture       *f,
                                  gconstpointer  data)
{
  AaMutation *mutation;
  AaFeedback *feedback;

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_DROP));
  mutation = approve (f, "2");
  wait_until (is_unknown, mutation);
  wait_until (settled, mutation);

  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_CONNECTION_LOST);
  g_assert_false (aa_resource_get_busy (bookmark (f, "2")));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);
  feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
  g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_RETRY);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/2/approve"), ==, 0);

  g_assert_true (aa_engine_retry (f->engine, mutation));
  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/2/approve"), ==, 1);
}

/* An action whose rule resolves an unknown outcome by the event only: it
 * stays unknown (nothing resent) until the stream names its key. */
static void
test_unknown_event (Fixture       *f,
                    gconstpointer  data)
{
  AaRule rule = *aa_operation_get_rule (f->patch);
  g_autoptr(JsonObject) state = NULL;
  AaMutation *mutation;
  guint probes;

  rule.resolution = AA_RESOLUTION_EVENT;
  aa_operation_set_rule (f->patch, &rule);

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  mutation = retitle (f, "3", "Renamed");
  wait_until (is_unknown, mutation);

  /* Probes are answered; still nothing is sent again. */
  probes = aa_connectivity_get_n_probes (f->connectivity);
  while (aa_connectivity_get_n_probes (f->connectivity) < probes + 1 || aa_connectivity_get_probing (f->connectivity))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_UNKNOWN);
  g_assert_cmpuint (count_requests_to (f->backend, "PATCH", "/bookmarks/3"), ==, 1);

  /* The stream delivers the change, naming the mutation's key. */
  state = aa_json_object_copy (find_bookmark (f->backend, "3"));
  aa_resource_store_apply_remote (f->store, "3", state, NULL, aa_mutation_get_idempotency_key (mutation));
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_shown (bookmark (f, "3")), "title", NULL), ==, "Renamed");
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "3")), ==, AA_SYNC_STATE_SYNCED);
  g_assert_cmpuint (count_requests_to (f->backend, "PATCH", "/bookmarks/3"), ==, 1);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/3"), ==, 1);
  assert_no_failure_said (f);
}

/* Offline, changes wait in order per bookmark and keep coalescing; once the
 * server is back they are sent by themselves, in order, as few as the
 * last intentions need. */
static void
test_offline_order_coalescing (Fixture       *f,
                               gconstpointer  data)
{
  AaMutation *first, *last_title, *last_star, *other;
  g_autoptr(GPtrArray) patches = g_ptr_array_new ();

  backend_down (f->backend);
  first = star (f, "1", TRUE);
  wait_until (is_waiting, first);

  retitle (f, "1", "A");
  star (f, "1", FALSE);
  last_title = retitle (f, "1", "B");
  last_star = star (f, "1", TRUE);
  other = retitle (f, "2", "Elsewhere");

  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_cmpint (aa_mutation_get_state (last_title), ==, AA_MUTATION_STATE_WAITING);
  g_assert_cmpint (aa_mutation_get_state (last_star), ==, AA_MUTATION_STATE_WAITING);
  g_assert_cmpint (aa_mutation_get_state (other), ==, AA_MUTATION_STATE_WAITING);
  g_assert_cmpuint (aa_engine_get_n_waiting (f->engine), ==, 3);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_shown (bookmark (f, "1")), "title", NULL), ==, "B");
  g_assert_true (shown_boolean (f, "1", "starred"));

  backend_up (f->backend);
  wait_until (idle, f->engine);
  g_assert_cmpint (aa_mutation_get_state (last_title), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (last_star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (other), ==, AA_MUTATION_STATE_SUCCEEDED);

  /* Bookmark 1: the title, then the star, as the user last left them. */
  for (guint i = 0; i < f->backend->log->len; i++) {
    Logged *logged = g_ptr_array_index (f->backend->log, i);

    if (g_str_equal (logged->method, "PATCH") && g_str_equal (logged->path, "/bookmarks/1"))
      g_ptr_array_add (patches, logged->key);
  }
  g_assert_cmpuint (patches->len, ==, 2);
  g_assert_cmpstr (patches->pdata[0], ==, aa_mutation_get_idempotency_key (last_title));
  g_assert_cmpstr (patches->pdata[1], ==, aa_mutation_get_idempotency_key (last_star));
  g_assert_cmpstr (json_object_get_string_member (find_bookmark (f->backend, "1"), "title"), ==, "B");
  g_assert_true (server_boolean (f, "1", "starred"));
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/2"), ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  assert_no_failure_said (f);
}

/* A pessimistic action offline is refused at once: nothing is applied or
 * queued, and the message says so and what to do. */
static void
test_offline_refuses_pessimistic (Fixture       *f,
                                  gconstpointer  data)
{
  AaMutation *waiting, *mutation;
  AaFeedback *feedback;
  g_autoptr(GPtrArray) unsettled = NULL;
  guint n_requests;

  backend_down (f->backend);
  waiting = star (f, "1", TRUE);
  wait_until (is_waiting, waiting);

  n_requests = f->backend->log->len;
  mutation = approve (f, "2");
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_OFFLINE);
  g_assert_cmpuint (aa_mutation_get_attempts (mutation), ==, 0);
  g_assert_false (aa_resource_get_busy (bookmark (f, "2")));
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_false (is_listed (unsettled, mutation));
  feedback = g_ptr_array_index (f->feedback, f->feedback->len - 1);
  g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "Nothing was changed"));

  backend_up (f->backend);
  wait_until (settled, waiting);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpuint (count_requests_to (f->backend, "POST", "/bookmarks/2/approve"), ==, 0);
  g_assert_false (server_boolean (f, "2", "approved"));
  g_assert_cmpuint (f->backend->log->len, >, n_requests);
}

/* The connectivity alone: told unreachable, it probes with backoff and
 * notices by itself that the server is back. */
static void
test_connectivity_probes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint probes = aa_connectivity_get_n_probes (f->connectivity);
  gint64 last = g_get_monotonic_time ();

  backend_down (f->backend);
  aa_connectivity_report_unreachable (f->connectivity);
  g_assert_false (aa_connectivity_get_reachable (f->connectivity));
  g_assert_true (aa_connectivity_get_probing (f->connectivity));

  while (gaps->len < 5) {
    g_main_context_iteration (NULL, TRUE);
    if (aa_connectivity_get_n_probes (f->connectivity) > probes) {
      gint64 now = g_get_monotonic_time ();
      gint64 gap = now - last;

      g_array_append_val (gaps, gap);
      probes = aa_connectivity_get_n_probes (f->connectivity);
      last = now;
    }
  }
  /* 20, 40, 80, 160, 200 ms, each drawn between its half and its whole. */
  g_assert_cmpint (g_array_index (gaps, gint64, 4), >=, 100 * 1000 - 2000);
  g_assert_cmpint (g_array_index (gaps, gint64, 1), <, g_array_index (gaps, gint64, 4));
  g_assert_cmpint (g_array_index (gaps, gint64, 0), <=, 150 * 1000);
  g_assert_false (aa_connectivity_get_reachable (f->connectivity));

  backend_up (f->backend);
  wait_until (reachable, f->connectivity);
  g_assert_cmpint (aa_connectivity_get_unreachable_since (f->connectivity), ==, 0);
}

/* Nothing can find out what happened to a lost POST: the rule resends, but
 * the backend ignores Idempotency-Key (a resend could apply it twice), and
 * there is no check. It stays unknown, never failed, worded so; the change
 * queued behind it waits until the user acknowledges the unknown outcome,
 * which leaves it unknown but no longer pending, and then goes. */
static void
test_unknown_unresolvable_dismissed (Fixture       *f,
                                     gconstpointer  data)
{
  AaRule rule = {
    AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_OFFLINE_POLICY_DEFAULT, AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_INLINE,
  };
  g_autoptr(AaOperation) blind = g_object_new (NT_TYPE_APPROVE, "name", "approve-blind", NULL);
  g_autoptr(AaMutation) mutation = NULL;
  g_autoptr(GPtrArray) unsettled = NULL;
  AaMutation *behind;

  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_NONE);
  aa_operation_set_rule (blind, &rule);
  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  mutation = aa_mutation_new (blind, bookmark (f, "2"), "2", NULL);
  aa_engine_run (f->engine, mutation);
  behind = star (f, "2", TRUE);
  wait_until (is_unknown, mutation);
  /* Long enough for a few rounds of resolving (250 ms, then doubling). */
  spin (1500);

  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_UNKNOWN);
  g_assert_cmpint (aa_mutation_get_state (behind), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpuint (count_requests_to (f->backend, "POST", "/bookmarks/2/approve"), ==, 1);
  g_assert_cmpuint (count_requests_to (f->backend, "PATCH", "/bookmarks/2"), ==, 0);
  g_assert_nonnull (strstr (aa_mutation_get_message (mutation), "Reload to see"));
  g_assert_true (aa_engine_can_dismiss (f->engine, mutation));
  g_assert_false (aa_engine_can_dismiss (f->engine, behind));

  aa_engine_dismiss (f->engine, mutation);

  /* Still not known, and never a failure; but nobody waits for it. */
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_UNKNOWN);
  g_assert_false (aa_mutation_is_pending (mutation));
  g_assert_null (aa_mutation_get_error (mutation));
  g_assert_nonnull (strstr (aa_mutation_get_message (mutation), "Reload to see"));
  g_assert_false (aa_engine_can_dismiss (f->engine, mutation));
  g_assert_cmpuint (aa_engine_get_n_unknown (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  unsettled = aa_engine_list_unsettled (f->engine);
  g_assert_false (is_listed (unsettled, mutation));

  wait_until (settled, behind);
  g_assert_cmpint (aa_mutation_get_state (behind), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_resource_get_sync_state (bookmark (f, "2")), !=, AA_SYNC_STATE_UNKNOWN);
  g_assert_false (aa_resource_get_busy (bookmark (f, "2")));
  g_assert_cmpuint (count_requests_to (f->backend, "POST", "/bookmarks/2/approve"), ==, 1);
  g_assert_cmpuint (count_applied (f->backend, "/bookmarks/2/approve"), ==, 1);
  assert_no_failure_said (f);
}

/* An unknown outcome the engine can find out (here by a safe resend) is
 * not the user's to let go. */
static void
test_unknown_resolvable_not_dismissed (Fixture       *f,
                                       gconstpointer  data)
{
  AaMutation *mutation;

  g_queue_push_tail (&f->backend->faults, GINT_TO_POINTER (FAULT_LOSE));
  mutation = star (f, "1", TRUE);
  wait_until (is_unknown, mutation);
  g_assert_false (aa_engine_can_dismiss (f->engine, mutation));
  aa_engine_dismiss (f->engine, mutation);
  g_assert_true (aa_mutation_is_pending (mutation));

  wait_until (settled, mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Outcomes/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("succeeded", test_succeeded);
  ADD ("refused", test_refused);
  ADD ("not-reached-waits", test_not_reached_waits);
  ADD ("unknown-replayed", test_unknown_replayed);
  ADD ("unknown-in-flight", test_unknown_in_flight);
  ADD ("unknown-checked-applied", test_unknown_checked_applied);
  ADD ("unknown-checked-not-applied", test_unknown_checked_not_applied);
  ADD ("unknown-event", test_unknown_event);
  ADD ("unknown-unresolvable-dismissed", test_unknown_unresolvable_dismissed);
  ADD ("unknown-resolvable-not-dismissed", test_unknown_resolvable_not_dismissed);
  ADD ("offline-order-coalescing", test_offline_order_coalescing);
  ADD ("offline-refuses-pessimistic", test_offline_refuses_pessimistic);
  ADD ("connectivity-probes", test_connectivity_probes);

  return g_test_run ();
}
