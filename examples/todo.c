/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The to-do pattern from C, headless, against the demo server: a list, an
 * optimistic toggle that rolls back on failure and is retried with the same
 * idempotency key, and a delete with Undo. The server's own request log
 * (GET /_control/stats) is the proof. The same program is todo.py and
 * todo.js.
 *
 *   todo [--plain] [SERVER_BINARY]
 *
 * --plain (or AA_EXAMPLE_PLAIN=1) starts the server with
 * --ignore-idempotency-keys, a plain backend, and declares no
 * IDEMPOTENCY_KEYS: the toggle (a PATCH that sets fields) and the delete are
 * still retried and undone, and a restore (a POST that re-creates the
 * deleted to-do) whose answer is lost is never sent again and offers no
 * Retry. The delete is declared as a backend without a Trash needs it.
 *
 * Built against the installed headers alone:
 *   cc todo.c $(pkg-config --cflags --libs async-actions-1) -o todo
 */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <async-actions.h>

/* [operations] */
/* A toggle that PATCHes {"done": …} (applied at once, undone with the value
 * from before: the defaults of an operation that sets fields), and a delete
 * that removes the to-do from the list at once, for a backend without a
 * Trash: its Undo re-creates it from what the server last confirmed, with a
 * POST to the collection ("Restored “…”"). */
#define TOAST_RETRY { .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY }

static const char * const todo_fields[] = { "title", "notes", "starred", "done", NULL };

static const AaOperationEntry todo_operations[] = {
  { .name = "toggle", .method = "PATCH", .path = "/items/{id}",
    .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE, .rule = TOAST_RETRY },
  { .name = "recreate", .method = "POST", .path = "/items",
    .flags = AA_OPERATION_CREATES, .fields = todo_fields, .rule = TOAST_RETRY },
  { .name = "delete", .method = "DELETE", .path = "/items/{id}",
    .flags = AA_OPERATION_REMOVES | AA_OPERATION_UNDOABLE, .undo = "recreate", .rule = TOAST_RETRY },
};
/* [operations] */

static JsonObject *
boolean_patch (const char *name,
               gboolean    value)
{
  JsonObject *patch = json_object_new ();

  json_object_set_boolean_member (patch, name, value);
  return patch;
}

/* [wait] */
static void
settled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  aa_mutation_wait_finish (AA_MUTATION (object), result, NULL);
  g_main_loop_quit (user_data);
}

/* Runs the main loop until @mutation is no longer pending. */
static AaMutationState
settle (AaMutation *mutation)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  aa_mutation_wait_async (mutation, NULL, settled_cb, loop);
  g_main_loop_run (loop);
  return aa_mutation_get_state (mutation);
}
/* [wait] */

static void
state_cb (AaMutation *mutation,
          GParamSpec *pspec,
          gpointer    user_data)
{
  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN)
    g_main_loop_quit (user_data);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @mutation's outcome is unknown (it stays pending:
 * nothing here can resolve it), then one second more, in which a resend
 * would reach the server's log. */
static AaMutationState
until_unknown (AaMutation *mutation)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler = g_signal_connect (mutation, "notify::state", G_CALLBACK (state_cb), loop);

  if (aa_mutation_get_state (mutation) != AA_MUTATION_STATE_UNKNOWN)
    g_main_loop_run (loop);
  g_signal_handler_disconnect (mutation, handler);
  g_timeout_add (1000, quit_cb, loop);
  g_main_loop_run (loop);
  return aa_mutation_get_state (mutation);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error))
    g_printerr ("# %s\n", error->message);
  g_main_loop_quit (user_data);
}

static void
refresh (AaResourceStore *store,
         const char      *path)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  aa_resource_store_refresh_async (store, path, NULL, refreshed_cb, loop);
  g_main_loop_run (loop);
}

typedef struct {
  GMainLoop *loop;
  JsonNode  *node;
} Answer;

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Answer *answer = user_data;

  answer->node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, NULL);
  g_main_loop_quit (answer->loop);
}

/* A plain request (the demo server's controls are not mutations). */
static JsonNode *
request (AaRestClient *client,
         const char   *method,
         const char   *path,
         const char   *body_json)
{
  Answer answer = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(JsonNode) body = body_json ? json_from_string (body_json, NULL) : NULL;
  g_autofree char *key = g_str_equal (method, "GET") ? NULL : aa_rest_client_new_idempotency_key ();

  aa_rest_client_request_async (client, method, path, body, key, -1, NULL, answered_cb, &answer);
  g_main_loop_run (answer.loop);
  g_main_loop_unref (answer.loop);
  return answer.node;
}

static guint n_checks;
static GSubprocess *server_process;

static void
check (gboolean    condition,
       const char *message)
{
  n_checks++;
  g_print ("%s %u - %s\n", condition ? "ok" : "not ok", n_checks, message);
  if (!condition) {
    g_print ("1..%u\n", n_checks);
    /* A failed check leaves no server behind. */
    g_subprocess_force_exit (server_process);
    exit (1);
  }
}

static void
feedback_cb (AaEngine   *engine,
             AaFeedback *feedback,
             gpointer    user_data)
{
  g_set_object ((AaFeedback **) user_data, feedback);
}

static gboolean
is_done (AaResource *todo)
{
  return aa_state_get_boolean (aa_resource_get_shown (todo), "done", FALSE);
}

/* The writes the server received, as "PATCH 200, …". */
static char *
server_log (AaRestClient *client)
{
  g_autoptr(JsonNode) stats = request (client, "GET", "/_control/stats", NULL);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (stats), "requests");
  g_autoptr(GString) log = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (requests); i++) {
    JsonObject *r = json_array_get_object_element (requests, i);
    const char *method = json_object_get_string_member (r, "method");

    if (g_str_equal (method, "GET") || g_str_has_prefix (json_object_get_string_member (r, "path"), "/_control"))
      continue;
    g_string_append_printf (log, "%s%s %" G_GINT64_FORMAT, log->len ? ", " : "",
                            method, json_object_get_int_member (r, "status"));
  }
  return g_string_free (g_steal_pointer (&log), FALSE);
}

static void
run (const char *url,
     const char *token,
     gboolean    plain)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaEngine) engine = NULL;
  g_autoptr(AaResourceStore) todos = NULL;
  AaOperation *toggle, *delete;
  g_autoptr(AaFeedback) feedback = NULL;
  g_autoptr(AaMutation) mutation = NULL;
  g_autoptr(AaMutation) deletion = NULL;
  g_autoptr(AaMutation) undo = NULL;
  g_autoptr(AaResource) todo = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *key = NULL;
  g_autofree char *log = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;
  const char *expected;
  AaBackendFeatures features;
  guint n_todos;
  gboolean listed = FALSE;

  /* [setup] */
  aa_rest_client_set_token (client, token);
  /* Declare only what your backend does: the demo server honours all three,
   * a plain backend (the demo server's --ignore-idempotency-keys) no keys. */
  features = AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM;
  if (!plain)
    features |= AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS;
  aa_rest_client_set_backend_features (client, features);
  engine = aa_engine_new (client);
  todos = aa_resource_store_new (engine, AA_TYPE_RESOURCE);
  aa_engine_add_operations (engine, todo_operations, G_N_ELEMENTS (todo_operations), todos, NULL, NULL);
  toggle = aa_engine_lookup_operation (engine, "toggle");
  delete = aa_engine_lookup_operation (engine, "delete");
  g_signal_connect (engine, "feedback", G_CALLBACK (feedback_cb), &feedback);
  /* [setup] */

  /* The list. */
  refresh (todos, "/items");
  n_todos = g_list_model_get_n_items (G_LIST_MODEL (todos));
  for (guint i = 0; i < n_todos; i++) {
    g_autoptr(AaResource) t = g_list_model_get_item (G_LIST_MODEL (todos), i);

    g_print ("# [%s] %s\n", is_done (t) ? "x" : " ",
             aa_state_get_string (aa_resource_get_shown (t), "title", ""));
    if (todo == NULL && !is_done (t))
      todo = g_object_ref (t);
  }
  message = g_strdup_printf ("the list has %u to-dos", n_todos);
  check (n_todos > 0 && todo != NULL, message);
  title = g_strdup (aa_state_get_string (aa_resource_get_shown (todo), "title", NULL));

  /* [toggle] */
  /* Optimistic: shown at once, then confirmed by the server. */
  patch = boolean_patch ("done", TRUE);
  mutation = aa_mutation_new (toggle, todo, title, patch);
  aa_engine_run (engine, mutation);
  check (is_done (todo), "the toggle shows before the server answers");
  check (settle (mutation) == AA_MUTATION_STATE_SUCCEEDED, "the server confirmed it");
  /* [toggle] */

  /* [retry] */
  /* The server fails the next request: the toggle rolls back, with Retry. */
  json_node_unref (request (client, "PUT", "/_control/faults", "{\"next\": [\"error-500\"]}"));
  g_clear_pointer (&patch, json_object_unref);
  g_clear_object (&mutation);
  patch = boolean_patch ("done", FALSE);
  mutation = aa_mutation_new (toggle, todo, title, patch);
  aa_engine_run (engine, mutation);
  check (settle (mutation) == AA_MUTATION_STATE_ROLLED_BACK && is_done (todo),
         "a failure rolls back to what the server has");
  g_free (message);
  message = g_strdup_printf ("the failure offers Retry: %s", aa_feedback_get_title (feedback));
  check (aa_feedback_get_action (feedback) == AA_FEEDBACK_ACTION_RETRY, message);

  /* Retry: the same mutation, sent again with the same idempotency key. */
  key = g_strdup (aa_mutation_get_idempotency_key (mutation));
  check (aa_engine_retry (engine, mutation), "retry sends it again");
  check (settle (mutation) == AA_MUTATION_STATE_SUCCEEDED && !is_done (todo), "the retry succeeded");
  check (g_str_equal (aa_mutation_get_idempotency_key (mutation), key) &&
         aa_mutation_get_attempts (mutation) == 2, "with the same key, twice");
  /* [retry] */

  /* [delete] */
  /* Delete: gone from the list at once; Undo is a real request (a re-create). */
  deletion = aa_mutation_new (delete, todo, title, NULL);
  aa_engine_run (engine, deletion);
  check (!aa_resource_store_contains (todos, todo), "the delete shows at once: the to-do left the list");
  check (settle (deletion) == AA_MUTATION_STATE_SUCCEEDED, "the server deleted it");
  check (aa_engine_can_undo (engine, deletion), "the delete can be undone");
  undo = aa_engine_undo (engine, deletion);
  if (undo != NULL)
    g_object_ref (undo);
  check (undo != NULL && aa_resource_store_contains (todos, todo), "undo shows it again at once");
  check (settle (undo) == AA_MUTATION_STATE_SUCCEEDED &&
         aa_mutation_get_state (deletion) == AA_MUTATION_STATE_UNDONE, "the server has it again");
  /* [delete] */

  /* A lost answer: the server restores the to-do, but its answer never
   * arrives. With keys, the restore (a POST) is sent again with its key and
   * the first answer replayed; without, it may have been applied, so it is
   * never sent again, offers no Retry and says so. */
  g_clear_object (&deletion);
  g_clear_object (&undo);
  deletion = aa_mutation_new (delete, todo, title, NULL);
  aa_engine_run (engine, deletion);
  check (settle (deletion) == AA_MUTATION_STATE_SUCCEEDED, "deleted again");
  json_node_unref (request (client, "PUT", "/_control/faults", "{\"next\": [\"lost-response\"]}"));
  undo = aa_engine_undo (engine, deletion);
  check (undo != NULL, "undo it again");
  g_object_ref (undo);
  if (plain) {
    AaMutationState state = until_unknown (undo);
    const char *words = aa_mutation_get_message (undo) ? aa_mutation_get_message (undo) : "";

    g_free (message);
    message = g_strdup_printf ("a restore whose answer is lost is not sent again: %s", words);
    check (state == AA_MUTATION_STATE_UNKNOWN && aa_mutation_get_attempts (undo) == 1, message);
    check (!aa_engine_retry (engine, undo), "it offers no Retry");
    check (strstr (words, "restored. Reload to see whether it was") != NULL,
           "its message says it may be restored, and to reload");
  } else {
    check (settle (undo) == AA_MUTATION_STATE_SUCCEEDED && aa_mutation_get_attempts (undo) == 2 &&
           aa_mutation_get_replayed (undo), "a restore whose answer is lost is sent again with its key and replayed");
  }

  /* The server's request log: every write, the failed one and its retry,
   * the lost restore (status 0: no answer left the server) and, with keys
   * only, its resend. */
  log = server_log (client);
  expected = plain ? "PATCH 200, PATCH 500, PATCH 200, DELETE 200, POST 201, DELETE 200, POST 0"
                   : "PATCH 200, PATCH 500, PATCH 200, DELETE 200, POST 201, DELETE 200, POST 0, POST 201";
  g_free (message);
  message = g_strdup_printf ("the server saw toggle, failed toggle, its retry, delete, restore, delete, lost restore%s: %s",
                             plain ? "" : ", its resend", log);
  check (g_str_equal (log, expected), message);

  list = request (client, "GET", "/items", NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++) {
    JsonObject *item = json_array_get_object_element (json_node_get_array (list), i);
    listed |= g_strcmp0 (json_object_get_string_member_with_default (item, "title", NULL), title) == 0;
  }
  check (listed, "the to-do is back in the list on the server");
}

int
main (int   argc,
      char *argv[])
{
  const char *server = "async-actions-server";
  gboolean plain = g_strcmp0 (g_getenv ("AA_EXAMPLE_PLAIN"), "1") == 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;

  /* The library's messages are translated and use typographic quotes (“…”):
   * without a locale, a C program prints them as "?". */
  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++) {
    if (g_str_equal (argv[i], "--plain"))
      plain = TRUE;
    else
      server = argv[i];
  }

  dir = g_dir_make_tmp ("todo-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (dir, "todos.json", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              server, "--port", "0", "--data", data,
                              plain ? "--ignore-idempotency-keys" : NULL, NULL);
  if (process == NULL) {
    g_printerr ("Could not start %s: %s\n", server, error->message);
    return 1;
  }

  server_process = process;

  /* The first line is the URL and the token the server made up. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  words = line ? g_strsplit (g_strstrip (line), " ", 2) : NULL;
  if (words == NULL || g_strv_length (words) != 2) {
    g_printerr ("The server did not say where it listens\n");
    g_subprocess_force_exit (process);
    return 1;
  }

  run (words[0], words[1], plain);
  g_print ("1..%u\n", n_checks);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_remove (data);
  g_rmdir (dir);
  return 0;
}
