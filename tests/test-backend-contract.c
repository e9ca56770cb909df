/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the backend promises, both sides, against the real server on
 * loopback: the demo server (it honours Idempotency-Key) and the same
 * server as a plain backend (async-actions-server --ignore-idempotency-keys).
 * A lost POST is resent to the first and never to the second; a lost PATCH
 * that sets fields is resent to both; a default message fits its method. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "aa-action-manager.h"
#include "aa-error.h"
#include "aa-item.h"
#include "aa-mutation-private.h"
#include "aa-operation-private.h"
#include "aa-test-utils.h"

#define DEMO_FEATURES  (AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS | AA_BACKEND_FEATURES_IF_MATCH | \
                        AA_BACKEND_FEATURES_EVENT_STREAM)
/* Honest about a backend that ignores the key. */
#define PLAIN_FEATURES (AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM)

typedef struct {
  GSubprocess     *process;
  char            *dir;
  AaTestServer     view;     /* url only: for the control requests */
  AaRestClient    *client;
  AaActionManager *manager;
  GPtrArray       *feedback; /* AaFeedback, in emission order */
} Fixture;

static void
feedback_cb (AaActionManager *manager,
             AaFeedback      *feedback,
             Fixture         *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

/* The server binary itself, with its option, and a client declaring
 * @features. */
static void
fixture_start (Fixture           *f,
               gboolean           plain,
               AaBackendFeatures  features)
{
  g_autoptr(GSubprocessLauncher) launcher = aa_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = NULL;
  const char *bin = g_getenv ("AA_SERVER_BIN");

  g_assert_nonnull (bin);
  f->dir = g_dir_make_tmp ("aa-contract-XXXXXX", &error);
  g_assert_no_error (error);
  data_path = g_build_filename (f->dir, "data.db", NULL);
  f->process = g_subprocess_launcher_spawn (launcher, &error, bin, "--port", "0", "--data", data_path, "--no-auth",
                                            plain ? "--ignore-idempotency-keys" : NULL, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->process));
  f->view.url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (f->view.url, "http://"));

  f->client = aa_rest_client_new (f->view.url);
  aa_rest_client_set_backend_features (f->client, features);
  f->manager = aa_action_manager_new (f->client);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (aa_action_manager_get_engine (f->manager), "feedback", G_CALLBACK (feedback_cb), f);

  aa_test_refresh (f->manager, AA_REFRESH_ALL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "data.db", NULL);
  g_autofree char *wal = g_build_filename (f->dir, "data.db-wal", NULL);
  g_autofree char *shm = g_build_filename (f->dir, "data.db-shm", NULL);

  g_clear_pointer (&f->feedback, g_ptr_array_unref);
  g_clear_object (&f->manager);
  g_clear_object (&f->client);
  g_subprocess_send_signal (f->process, SIGTERM);
  g_subprocess_wait (f->process, NULL, NULL);
  g_clear_object (&f->process);
  g_remove (db);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->view.url);
}

static gboolean
is_unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

/* How many notes the server has with @title. */
static guint
count_titles (Fixture    *f,
              const char *title)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  guint status = 0;
  guint n = 0;

  node = aa_test_request (&f->view, "GET", "/items", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  items = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                       : json_object_get_array_member (json_node_get_object (node), "items");
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *item = json_array_get_object_element (items, i);

    if (g_strcmp0 (json_object_get_string_member_with_default (item, "title", NULL), title) == 0)
      n++;
  }

  return n;
}

/* The last feedback about @mutation, or NULL. */
static AaFeedback *
last_feedback_of (Fixture    *f,
                  AaMutation *mutation)
{
  for (guint i = f->feedback->len; i > 0; i--) {
    AaFeedback *feedback = g_ptr_array_index (f->feedback, i - 1);

    if (aa_feedback_get_mutation (feedback) == mutation)
      return feedback;
  }

  return NULL;
}

static void
assert_no_retry_offered (Fixture *f)
{
  for (guint i = 0; i < f->feedback->len; i++)
    g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, i)), !=, AA_FEEDBACK_ACTION_RETRY);
}

/* The demo server honours the key: a lost POST is resent with the same key
 * and applied once (the server replays its first answer). */
static void
test_demo_lost_post_resent (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *key = NULL;
  AaMutation *create;

  fixture_start (f, FALSE, DEMO_FEATURES);
  aa_test_set_faults (&f->view, "{\"next\": [\"lost-response\"]}");

  create = aa_action_manager_create_note (f->manager, "Fix bike", NULL);
  key = g_strdup (aa_mutation_get_idempotency_key (create));
  aa_test_wait_until (is_unknown, create, 10000);
  aa_test_wait_settled (create, 10000);

  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_mutation_get_idempotency_key (create), ==, key);
  g_assert_true (aa_mutation_get_replayed (create));
  g_assert_cmpuint (aa_mutation_get_attempts (create), ==, 2);
  g_assert_cmpuint (aa_test_count_requests (&f->view, "POST", "/items"), ==, 2);
  g_assert_cmpuint (count_titles (f, "Fix bike"), ==, 1);
}

/* A plain backend, declared honestly: a lost POST is never sent again. It
 * stays unknown, never failed, with words that say so and what to do. */
static void
test_plain_lost_post_not_resent (Fixture       *f,
                                 gconstpointer  data)
{
  AaMutation *create;

  fixture_start (f, TRUE, PLAIN_FEATURES);
  aa_test_set_faults (&f->view, "{\"next\": [\"lost-response\"]}");

  create = aa_action_manager_create_note (f->manager, "Fix bike", NULL);
  aa_test_wait_until (is_unknown, create, 10000);
  /* Long enough for a few rounds of the engine's resolving (250 ms, then
   * doubling), had it resent. */
  aa_test_spin (2000);

  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_UNKNOWN);
  g_assert_null (aa_mutation_get_error (create));
  g_assert_cmpuint (aa_mutation_get_attempts (create), ==, 1);
  g_assert_cmpstr (aa_mutation_get_message (create), ==,
                   "Couldn’t confirm “Fix bike” was added. Reload to see whether it was.");
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  g_assert_false (aa_action_manager_retry (f->manager, create));
  assert_no_retry_offered (f);

  /* The server's log: one POST, one note. */
  g_assert_cmpuint (aa_test_count_requests (&f->view, "POST", "/items"), ==, 1);
  g_assert_cmpuint (count_titles (f, "Fix bike"), ==, 1);
}

/* A failure after the request may have arrived (a 500) offers no Retry on
 * a plain backend, and its message says why; the demo server's offers one. */
static void
test_failed_post_retry (Fixture       *f,
                        gconstpointer  data)
{
  gboolean plain = GPOINTER_TO_INT (data);
  AaMutation *create;
  AaFeedback *feedback;
  const char *message;

  fixture_start (f, plain, plain ? PLAIN_FEATURES : DEMO_FEATURES);
  aa_test_set_faults (&f->view, "{\"next\": [\"error-500\"]}");

  create = aa_action_manager_create_note (f->manager, "Fix bike", NULL);
  aa_test_wait_settled (create, 10000);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (create), AA_ERROR, AA_ERROR_SERVER);
  feedback = last_feedback_of (f, create);
  g_assert_nonnull (feedback);
  message = aa_mutation_get_message (create);
  g_assert_true (g_str_has_prefix (message, "Couldn’t add “Fix bike”."));

  if (plain) {
    g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_NONE);
    g_assert_nonnull (strstr (message, "It may have reached the server anyway, so it isn’t sent again."));
    g_assert_false (aa_action_manager_retry (f->manager, create));
    g_assert_cmpuint (aa_test_count_requests (&f->view, "POST", "/items"), ==, 1);
  } else {
    g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_RETRY);
    g_assert_null (strstr (message, "isn’t sent again"));
    g_assert_true (aa_action_manager_retry (f->manager, create));
    aa_test_wait_settled (create, 10000);
    g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
    g_assert_cmpuint (aa_test_count_requests (&f->view, "POST", "/items"), ==, 2);
    g_assert_cmpuint (count_titles (f, "Fix bike"), ==, 1);
  }
}

/* A PATCH that sets fields is idempotent by nature: on a plain backend too,
 * a lost one is resolved by sending it again. */
static void
test_plain_lost_patch_resent (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(AaItem) item = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  AaMutation *star;
  gboolean starred;
  guint status = 0;

  fixture_start (f, TRUE, PLAIN_FEATURES);
  item = g_list_model_get_item (aa_action_manager_get_items (f->manager), 0);
  g_assert_nonnull (item);
  starred = aa_item_get_starred (item);
  aa_test_set_faults (&f->view, "{\"next\": [\"lost-response\"]}");

  star = aa_action_manager_set_starred (f->manager, item, !starred);
  aa_test_wait_until (is_unknown, star, 10000);
  aa_test_wait_settled (star, 10000);

  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (star), ==, 2);
  g_assert_false (aa_mutation_get_replayed (star));
  g_assert_cmpuint (aa_test_count_requests (&f->view, "PATCH", "/items/"), ==, 2);
  path = g_strconcat ("/items/", aa_resource_get_id (AA_RESOURCE (item)), NULL);
  node = aa_test_request (&f->view, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_boolean_member (json_node_get_object (node), "starred"), ==, !starred);
  assert_no_retry_offered (f);
}

/* The plain mode is what it says: the same key twice, applied twice, and
 * a payment without a key is taken. The demo server replays. */
static void
test_server_modes (Fixture       *f,
                   gconstpointer  data)
{
  gboolean plain = GPOINTER_TO_INT (data);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  guint status = 0;

  fixture_start (f, plain, plain ? PLAIN_FEATURES : DEMO_FEATURES);

  first = aa_test_request (&f->view, "POST", "/items", "{\"title\": \"Fix bike\"}", &status, NULL,
                           "Idempotency-Key", "4b0f1c8e-2d7a-4c61-9a55-0d3f6f1e7a21", NULL);
  g_assert_cmpuint (status, ==, 201);
  second = aa_test_request (&f->view, "POST", "/items", "{\"title\": \"Fix bike\"}", &status, NULL,
                            "Idempotency-Key", "4b0f1c8e-2d7a-4c61-9a55-0d3f6f1e7a21", NULL);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpuint (count_titles (f, "Fix bike"), ==, plain ? 2 : 1);
}

/* A client promises nothing until told; the property notifies on change. */
static guint n_notify;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  n_notify++;
}

static void
test_default_promises_nothing (void)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");
  AaBackendFeatures features;

  g_assert_cmpint (aa_rest_client_get_backend_features (client), ==, AA_BACKEND_FEATURES_NONE);
  n_notify = 0;
  g_signal_connect (client, "notify::backend-features", G_CALLBACK (notify_cb), NULL);
  aa_rest_client_set_backend_features (client, DEMO_FEATURES);
  aa_rest_client_set_backend_features (client, DEMO_FEATURES);
  g_assert_cmpuint (n_notify, ==, 1);
  g_object_get (client, "backend-features", &features, NULL);
  g_assert_cmpint (features, ==, DEMO_FEATURES);
}

/* An operation that declares nothing but its request. */
typedef struct {
  AaOperation  parent_instance;
  const char  *method;
} TestOperation;

typedef AaOperationClass TestOperationClass;

static GType test_operation_get_type (void);
G_DEFINE_TYPE (TestOperation, test_operation, AA_TYPE_OPERATION)

static AaRequest *
test_operation_build_request (AaOperation *operation,
                              AaMutation  *mutation)
{
  return aa_request_new (((TestOperation *) operation)->method, "/todos/1", NULL, -1);
}

static void
test_operation_class_init (TestOperationClass *klass)
{
  klass->build_request = test_operation_build_request;
}

static void
test_operation_init (TestOperation *self)
{
}

/* The default messages speak of what the request does. */
static void
test_messages_fit_method (void)
{
  static const struct {
    const char *method;
    const char *label;
    const char *success;
    const char *failure;
    const char *unconfirmed;
  } cases[] = {
    { "DELETE", "Delete “Fix bike”", "Deleted “Fix bike”", "Couldn’t delete “Fix bike”.",
      "Couldn’t confirm “Fix bike” was deleted. Reload to see whether it was." },
    { "POST", "Add “Fix bike”", "Added “Fix bike”", "Couldn’t add “Fix bike”.",
      "Couldn’t confirm “Fix bike” was added. Reload to see whether it was." },
    { "PATCH", "Change “Fix bike”", "Changed “Fix bike”", "Couldn’t change “Fix bike”.",
      "Couldn’t confirm “Fix bike” was changed. Reload to see whether it was." },
    { "PUT", "Change “Fix bike”", "Changed “Fix bike”", "Couldn’t change “Fix bike”.",
      "Couldn’t confirm “Fix bike” was changed. Reload to see whether it was." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(AaOperation) operation = g_object_new (test_operation_get_type (), "name", "test", NULL);
    g_autoptr(AaMutation) mutation = NULL;
    g_autoptr(GError) error = g_error_new_literal (AA_ERROR, AA_ERROR_PERMISSION, "No.");
    g_autofree char *success = NULL;
    g_autofree char *failure = NULL;
    g_autofree char *unconfirmed = NULL;

    ((TestOperation *) operation)->method = cases[i].method;
    mutation = aa_mutation_new (operation, NULL, "Fix bike", NULL);

    g_assert_cmpstr (aa_mutation_get_label (mutation), ==, cases[i].label);
    success = aa_operation_format_success (operation, mutation);
    g_assert_cmpstr (success, ==, cases[i].success);
    failure = aa_operation_format_failure (operation, mutation, error);
    g_assert_true (g_str_has_prefix (failure, cases[i].failure));
    unconfirmed = aa_operation_format_unconfirmed (operation, mutation);
    g_assert_cmpstr (unconfirmed, ==, cases[i].unconfirmed);
  }
}

/* The one rule, by method, flags, backend and error. */
static void
test_send_again_rule (void)
{
  static const struct {
    const char        *method;
    AaOperationFlags   flags;
    AaBackendFeatures  features;
    gint               error;  /* -1: unknown outcome */
    gboolean           safe;
  } cases[] = {
    { "POST", AA_OPERATION_CREATES, PLAIN_FEATURES, -1, FALSE },
    { "POST", AA_OPERATION_CREATES, PLAIN_FEATURES, AA_ERROR_TIMEOUT, FALSE },
    { "POST", AA_OPERATION_CREATES, PLAIN_FEATURES, AA_ERROR_SERVER, FALSE },
    { "POST", AA_OPERATION_CREATES, PLAIN_FEATURES, AA_ERROR_VALIDATION, TRUE },
    { "POST", AA_OPERATION_CREATES, PLAIN_FEATURES, AA_ERROR_OFFLINE, TRUE },
    { "POST", AA_OPERATION_CREATES, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS, -1, TRUE },
    { "PATCH", AA_OPERATION_NONE, PLAIN_FEATURES, -1, FALSE },
    { "PATCH", AA_OPERATION_SETS_FIELDS, AA_BACKEND_FEATURES_NONE, -1, TRUE },
    { "PUT", AA_OPERATION_NONE, AA_BACKEND_FEATURES_NONE, -1, TRUE },
    { "DELETE", AA_OPERATION_NONE, AA_BACKEND_FEATURES_NONE, AA_ERROR_CONNECTION_LOST, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(AaOperation) operation = g_object_new (test_operation_get_type (), "name", "test",
                                                     "flags", cases[i].flags, NULL);
    g_autoptr(AaMutation) mutation = aa_mutation_new (operation, NULL, "Fix bike", NULL);
    g_autoptr(GError) error = cases[i].error >= 0 ? g_error_new_literal (AA_ERROR, cases[i].error, "x") : NULL;

    ((TestOperation *) operation)->method = cases[i].method;
    /* Never sent: nothing of it can have arrived. */
    g_assert_true (aa_mutation_can_send_again (mutation, error));
    aa_mutation_set_sent (mutation, cases[i].method, cases[i].features);
    g_assert_cmpint (aa_mutation_can_send_again (mutation, error), ==, cases[i].safe);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func, data) \
  g_test_add ("/Aa/BackendContract/" name, Fixture, data, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/Aa/BackendContract/default-promises-nothing", test_default_promises_nothing);
  g_test_add_func ("/Aa/BackendContract/messages-fit-method", test_messages_fit_method);
  g_test_add_func ("/Aa/BackendContract/send-again-rule", test_send_again_rule);
  ADD ("demo-lost-post-resent", test_demo_lost_post_resent, NULL);
  ADD ("plain-lost-post-not-resent", test_plain_lost_post_not_resent, NULL);
  ADD ("demo-failed-post-retry", test_failed_post_retry, GINT_TO_POINTER (FALSE));
  ADD ("plain-failed-post-no-retry", test_failed_post_retry, GINT_TO_POINTER (TRUE));
  ADD ("plain-lost-patch-resent", test_plain_lost_patch_resent, NULL);
  ADD ("demo-server-replays", test_server_modes, GINT_TO_POINTER (FALSE));
  ADD ("plain-server-ignores-keys", test_server_modes, GINT_TO_POINTER (TRUE));

  return g_test_run ();
}
