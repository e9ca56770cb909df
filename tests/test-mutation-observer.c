/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-test-backend.h"
#include "aa-test-utils.h"

/*
 * AaMutationObserver following real mutations of the engine against a
 * backend in this file: GET /things, PATCH /things/{id}, which succeeds,
 * is refused or loses its answer (applied, then the connection closes),
 * as the test asks. The operation is a pessimistic PATCH that sets
 * fields (safe to resend).
 */

typedef enum {
  OUTCOME_OK,
  OUTCOME_REFUSE,
  OUTCOME_LOSE,
} Outcome;

typedef struct {
  SoupServer *server;
  char       *url;
  GPtrArray  *things;    /* JsonObject */
  GQueue      outcomes;  /* Outcome, for the next PATCHes */
} Backend;

static char *
thing_json (JsonObject *thing)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, thing);
  return json_to_string (node, FALSE);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Backend *backend = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);  /* things, id */
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *json = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  JsonObject *thing;
  Outcome outcome;

  if (g_str_equal (method, "GET") && parts[1] == NULL) {
    aa_test_backend_reply_list (msg, backend->things);
    return;
  }

  thing = parts[1] != NULL ? aa_test_backend_find (backend->things, parts[1]) : NULL;
  if (thing == NULL) {
    aa_test_backend_reply (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"No such thing.\"}}");
    return;
  }
  if (g_str_equal (method, "GET")) {
    json = thing_json (thing);
    aa_test_backend_reply (msg, 200, json);
    return;
  }

  outcome = GPOINTER_TO_INT (g_queue_pop_head (&backend->outcomes));
  if (outcome == OUTCOME_REFUSE) {
    aa_test_backend_reply (msg, 422, "{\"error\": {\"code\": \"invalid\", \"message\": \"Refused by the test.\"}}");
    return;
  }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  body = json_from_string (g_bytes_get_size (bytes) ? g_bytes_get_data (bytes, NULL) : "{}", NULL);
  json_object_iter_init (&iter, json_node_get_object (body));
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (thing, name, json_node_copy (value));
  json_object_set_int_member (thing, "version", json_object_get_int_member (thing, "version") + 1);

  if (outcome == OUTCOME_LOSE) {
    g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

    if (stream != NULL)
      g_io_stream_close (stream, NULL, NULL);
    return;
  }
  json = thing_json (thing);
  aa_test_backend_reply (msg, 200, json);
}

static Backend *
backend_start (void)
{
  Backend *backend = g_new0 (Backend, 1);

  backend->things = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 1; i <= 2; i++) {
    JsonObject *thing = json_object_new ();
    g_autofree char *id = g_strdup_printf ("%u", i);

    json_object_set_string_member (thing, "id", id);
    json_object_set_string_member (thing, "title", "A thing");
    json_object_set_int_member (thing, "version", 1);
    g_ptr_array_add (backend->things, thing);
  }
  backend->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (backend->server, "/things", server_cb, backend, NULL);
  backend->url = aa_test_backend_listen (backend->server, NULL);
  return backend;
}

static void
backend_free (Backend *backend)
{
  soup_server_disconnect (backend->server);
  g_clear_object (&backend->server);
  g_ptr_array_unref (backend->things);
  g_queue_clear (&backend->outcomes);
  g_free (backend->url);
  g_free (backend);
}

/* Fixture */

typedef struct {
  Backend         *backend;
  AaRestClient    *client;
  AaEngine        *engine;
  AaResourceStore *store;
  AaOperation     *rename;
} Fixture;

static gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (data) == 0;
}

static gboolean
observer_settled (gpointer data)
{
  return aa_mutation_observer_get_settled (data);
}

static gboolean
observer_unknown (gpointer data)
{
  return aa_mutation_observer_get_state (data) == AA_MUTATION_STATE_UNKNOWN;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AaRule pessimistic = {
    AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_OFFLINE_POLICY_DEFAULT, AA_RESOLUTION_DEFAULT, AA_FEEDBACK_TIER_INLINE,
  };

  f->backend = backend_start ();
  f->client = aa_rest_client_new (f->backend->url);
  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS);
  f->engine = aa_engine_new (f->client);
  aa_connectivity_set_probe_path (aa_engine_get_connectivity (f->engine), "/things");
  aa_connectivity_set_backoff (aa_engine_get_connectivity (f->engine), 20, 200);
  f->store = aa_resource_store_new (f->engine, AA_TYPE_RESOURCE);
  f->rename = aa_test_patch_new ("rename-thing", "things");
  aa_operation_set_rule (f->rename, &pessimistic);

  aa_test_backend_refresh (f->store, "/things");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  aa_test_wait_until (idle, f->engine, 10000);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->rename);
  g_assert_finalize_object (f->client);
  backend_free (f->backend);
}

static AaMutation *
rename_thing (Fixture    *f,
              const char *id,
              const char *title)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  AaResource *target = aa_resource_store_lookup (f->store, id);

  g_assert_nonnull (target);
  json_object_set_string_member (patch, "title", title);
  mutation = aa_mutation_new (f->rename, target, id, patch);
  return aa_engine_run (f->engine, mutation);
}

/* What the observer told, in order. */
typedef struct {
  GString *notified;
  guint    n_settled;
} Record;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Record     *record)
{
  g_string_append_printf (record->notified, "%s ", pspec->name);
}

static void
settled_cb (AaMutationObserver *observer,
            Record             *record)
{
  g_assert_true (aa_mutation_observer_get_settled (observer));
  record->n_settled++;
}

static void
record_init (Record             *record,
             AaMutationObserver *observer)
{
  record->notified = g_string_new (NULL);
  record->n_settled = 0;
  g_signal_connect (observer, "notify", G_CALLBACK (notify_cb), record);
  g_signal_connect (observer, "settled", G_CALLBACK (settled_cb), record);
}

static gboolean
notified (Record     *record,
          const char *name)
{
  g_autofree char *word = g_strdup_printf ("%s ", name);

  return strstr (record->notified->str, word) != NULL;
}

/* Tests */

static void
test_empty (void)
{
  g_autoptr(AaMutationObserver) observer = aa_mutation_observer_new (NULL);
  g_autoptr(AaMutation) mutation = NULL;
  GError *error = NULL;
  gboolean settled = TRUE, busy = TRUE;

  g_assert_null (aa_mutation_observer_get_mutation (observer));
  g_assert_cmpint (aa_mutation_observer_get_state (observer), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_false (aa_mutation_observer_get_busy (observer));
  g_assert_false (aa_mutation_observer_get_settled (observer));
  g_assert_null (aa_mutation_observer_get_message (observer));
  g_assert_null (aa_mutation_observer_get_error (observer));

  g_object_get (observer, "mutation", &mutation, "error", &error, "settled", &settled, "busy", &busy, NULL);
  g_assert_null (mutation);
  g_assert_null (error);
  g_assert_false (settled);
  g_assert_false (busy);

  g_assert_finalize_object (g_steal_pointer (&observer));
}

/* Success: busy while on its way, then settled once, with nothing to say. */
static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AaMutationObserver) observer = aa_mutation_observer_new (NULL);
  AaMutation *mutation;
  Record record;

  record_init (&record, observer);
  mutation = rename_thing (f, "1", "Renamed");
  aa_mutation_observer_set_mutation (observer, mutation);
  g_assert_true (aa_mutation_observer_get_mutation (observer) == mutation);
  g_assert_true (notified (&record, "mutation"));
  g_assert_true (aa_mutation_observer_get_busy (observer));
  g_assert_false (aa_mutation_observer_get_settled (observer));
  g_assert_cmpuint (record.n_settled, ==, 0);

  g_string_truncate (record.notified, 0);
  aa_test_wait_until (observer_settled, observer, 10000);
  g_assert_cmpint (aa_mutation_observer_get_state (observer), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_mutation_observer_get_busy (observer));
  g_assert_null (aa_mutation_observer_get_message (observer));
  g_assert_null (aa_mutation_observer_get_error (observer));
  g_assert_cmpuint (record.n_settled, ==, 1);
  g_assert_true (notified (&record, "state"));
  g_assert_true (notified (&record, "busy"));
  g_assert_true (notified (&record, "settled"));
  /* Nothing changed, nothing notified. */
  g_assert_false (notified (&record, "message"));
  g_assert_false (notified (&record, "error"));

  g_string_free (record.notified, TRUE);
  g_assert_finalize_object (g_steal_pointer (&observer));
}

/* Failure: the error and the message come with the settled state. */
static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AaMutationObserver) observer = NULL;
  AaMutation *mutation;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  Record record;

  g_queue_push_tail (&f->backend->outcomes, GINT_TO_POINTER (OUTCOME_REFUSE));
  mutation = rename_thing (f, "1", "Refused");
  observer = aa_mutation_observer_new (mutation);
  record_init (&record, observer);
  aa_test_wait_until (observer_settled, observer, 10000);

  g_assert_cmpint (aa_mutation_observer_get_state (observer), ==, AA_MUTATION_STATE_FAILED);
  g_assert_false (aa_mutation_observer_get_busy (observer));
  g_assert_nonnull (aa_mutation_observer_get_error (observer));
  g_assert_cmpstr (aa_mutation_observer_get_message (observer), ==, aa_mutation_get_message (mutation));
  g_assert_nonnull (aa_mutation_observer_get_message (observer));
  g_assert_true (notified (&record, "error"));
  g_assert_true (notified (&record, "message"));
  g_assert_cmpuint (record.n_settled, ==, 1);

  g_object_get (observer, "error", &error, "message", &message, NULL);
  g_assert_true (g_error_matches (error, aa_mutation_get_error (mutation)->domain,
                                  aa_mutation_get_error (mutation)->code));
  g_assert_cmpstr (message, ==, aa_mutation_get_message (mutation));

  /* A retry makes it pending again: no error, busy; then settled again. */
  aa_engine_retry (f->engine, mutation);
  g_assert_false (aa_mutation_observer_get_settled (observer));
  g_assert_true (aa_mutation_observer_get_busy (observer));
  g_assert_null (aa_mutation_observer_get_error (observer));
  g_assert_null (aa_mutation_observer_get_message (observer));
  aa_test_wait_until (observer_settled, observer, 10000);
  g_assert_cmpint (aa_mutation_observer_get_state (observer), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (record.n_settled, ==, 2);

  g_string_free (record.notified, TRUE);
  g_assert_finalize_object (g_steal_pointer (&observer));
}

/* Unknown: the answer was lost; busy and "not confirmed yet", never a
 * failure, until the engine finds out. */
static void
test_unknown (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AaMutationObserver) observer = aa_mutation_observer_new (NULL);
  AaMutation *mutation;
  Record record;

  g_queue_push_tail (&f->backend->outcomes, GINT_TO_POINTER (OUTCOME_LOSE));
  mutation = rename_thing (f, "1", "Lost");
  g_object_set (observer, "mutation", mutation, NULL);
  record_init (&record, observer);
  aa_test_wait_until (observer_unknown, observer, 10000);

  g_assert_true (aa_mutation_observer_get_busy (observer));
  g_assert_false (aa_mutation_observer_get_settled (observer));
  g_assert_null (aa_mutation_observer_get_error (observer));
  g_assert_cmpuint (record.n_settled, ==, 0);

  aa_test_wait_until (observer_settled, observer, 10000);
  g_assert_cmpint (aa_mutation_observer_get_state (observer), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_mutation_observer_get_busy (observer));
  g_assert_null (aa_mutation_observer_get_message (observer));
  g_assert_cmpuint (record.n_settled, ==, 1);

  g_string_free (record.notified, TRUE);
  g_assert_finalize_object (g_steal_pointer (&observer));
}

/* Another mutation: the previous one is no longer followed; one given
 * already settled is read, not announced. */
static void
test_switch (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AaMutationObserver) observer = aa_mutation_observer_new (NULL);
  g_autoptr(AaMutation) first = NULL;
  AaMutation *second;
  Record record;

  g_queue_push_tail (&f->backend->outcomes, GINT_TO_POINTER (OUTCOME_REFUSE));
  first = g_object_ref (rename_thing (f, "1", "First"));
  aa_test_wait_until (idle, f->engine, 10000);
  g_assert_cmpint (aa_mutation_get_state (first), ==, AA_MUTATION_STATE_FAILED);

  record_init (&record, observer);
  aa_mutation_observer_set_mutation (observer, first);
  g_assert_true (aa_mutation_observer_get_settled (observer));
  g_assert_nonnull (aa_mutation_observer_get_error (observer));
  g_assert_cmpuint (record.n_settled, ==, 0);

  second = rename_thing (f, "2", "Second");
  aa_mutation_observer_set_mutation (observer, second);
  g_assert_true (aa_mutation_observer_get_mutation (observer) == second);
  g_assert_false (aa_mutation_observer_get_settled (observer));
  g_assert_null (aa_mutation_observer_get_error (observer));
  g_assert_null (aa_mutation_observer_get_message (observer));

  /* The first one changes; the observer does not follow it any more. */
  g_string_truncate (record.notified, 0);
  aa_engine_retry (f->engine, first);
  g_assert_false (notified (&record, "state"));
  aa_test_wait_until (observer_settled, observer, 10000);
  aa_test_wait_until (idle, f->engine, 10000);
  g_assert_cmpuint (record.n_settled, ==, 1);

  /* Setting the same one again changes nothing. */
  g_string_truncate (record.notified, 0);
  aa_mutation_observer_set_mutation (observer, second);
  g_assert_cmpstr (record.notified->str, ==, "");

  aa_mutation_observer_set_mutation (observer, NULL);
  g_assert_null (aa_mutation_observer_get_mutation (observer));
  g_assert_false (aa_mutation_observer_get_settled (observer));

  g_string_free (record.notified, TRUE);
  g_assert_finalize_object (g_steal_pointer (&observer));
}

/* The observer goes before its mutation: nothing of it stays connected. */
static void
test_finalize (Fixture       *f,
               gconstpointer  data)
{
  AaMutationObserver *observer;
  g_autoptr(AaMutation) mutation = NULL;

  mutation = g_object_ref (rename_thing (f, "1", "Gone"));
  observer = aa_mutation_observer_new (mutation);
  g_assert_finalize_object (observer);
  /* Its state changes with no observer to tell. */
  aa_test_wait_until (idle, f->engine, 10000);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/MutationObserver/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/Aa/MutationObserver/empty", test_empty);
  ADD ("success", test_success);
  ADD ("failure", test_failure);
  ADD ("unknown", test_unknown);
  ADD ("switch", test_switch);
  ADD ("finalize", test_finalize);

  return g_test_run ();
}
