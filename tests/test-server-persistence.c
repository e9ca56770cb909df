/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The real async-actions-server binary (AA_SERVER_BIN): acknowledged changes
 * survive SIGKILL, SIGTERM flushes and exits 0, a damaged data file is
 * refused and left alone, and bad options exit with status 2. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aa-server-store.h"
#include "aa-test-utils.h"

typedef struct {
  GSubprocess *process;
  char        *url;
  char        *token;
} Server;

static void
server_free (Server *server)
{
  /* Does nothing to a process that has already been waited for. */
  if (server->process != NULL) {
    g_subprocess_force_exit (server->process);
    g_subprocess_wait (server->process, NULL, NULL);
  }
  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server->token);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static const char *
server_binary (void)
{
  const char *path = g_getenv ("AA_SERVER_BIN");

  g_assert_nonnull (path);
  return path;
}

static GSubprocess *
spawn (GError **error,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* A failed assertion aborts this process: the server must not outlive it. */
  launcher = aa_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* Reads the first line: the base URL, then the token when the server made one. */
static void
read_first_line (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  char *space;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  space = strchr (line, ' ');
  if (space != NULL) {
    server->token = g_strdup (space + 1);
    *space = '\0';
  }
  server->url = g_strdup (line);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (server->url, "/api/v1"));
}

/* Starts the server on @data_path, with a token of its own making. */
static Server *
server_start (const char *data_path,
              const char *extra_arg)
{
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);

  server->process = spawn (&error, "--port", "0", "--data", data_path, extra_arg, NULL);
  g_assert_no_error (error);
  read_first_line (server);
  g_assert_nonnull (server->token);
  g_assert_cmpuint (strlen (server->token), ==, 64);

  return server;
}

/* @key and @out_replayed may be NULL. */
static JsonNode *
request_with_key (Server     *server,
                  const char *method,
                  const char *path,
                  const char *body,
                  const char *key,
                  guint      *out_status,
                  gboolean   *out_replayed)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body != NULL) {
    g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  }
  if (server->token != NULL) {
    g_autofree char *authorization = g_strconcat ("Bearer ", server->token, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  }
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (out_replayed != NULL)
    *out_replayed = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                  "Idempotent-Replayed") != NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonNode *
request (Server     *server,
         const char *method,
         const char *path,
         const char *body,
         guint      *out_status)
{
  return request_with_key (server, method, path, body, NULL, out_status, NULL);
}

static guint
count_titled (Server     *server,
              const char *title)
{
  guint status = 0;
  g_autoptr(JsonNode) list = request (server, "GET", "/items", NULL, &status);
  JsonArray *items;
  guint count = 0;

  g_assert_cmpuint (status, ==, 200);
  items = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "title"), title) == 0)
      count++;
  }

  return count;
}

static guint
count_items (Server *server)
{
  guint status = 0;
  g_autoptr(JsonNode) list = request (server, "GET", "/items", NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_node_get_array (list));
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("aa-persist-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
test_sigkill_keeps_acknowledged (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(Server) first = server_start (path, NULL);
  g_autoptr(Server) second = NULL;
  g_autoptr(JsonNode) patched = NULL;
  guint status = 0;

  for (guint i = 0; i < 5; i++) {
    g_autofree char *body = g_strdup_printf ("{\"title\": \"Acknowledged %u\"}", i);
    g_autoptr(JsonNode) created = request (first, "POST", "/items", body, &status);

    g_assert_cmpuint (status, ==, 201);
  }
  patched = request (first, "PATCH", "/items/1", "{\"starred\": false, \"done\": true}", &status);
  g_assert_cmpuint (status, ==, 200);

  /* Killed right after the last acknowledgement, with no chance to flush. */
  g_subprocess_send_signal (first->process, SIGKILL);
  g_subprocess_wait (first->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (first->process));

  second = server_start (path, NULL);
  for (guint i = 0; i < 5; i++) {
    g_autofree char *title = g_strdup_printf ("Acknowledged %u", i);

    g_assert_cmpuint (count_titled (second, title), ==, 1);
  }
  {
    g_autoptr(JsonNode) item = request (second, "GET", "/items/1", NULL, &status);

    g_assert_cmpuint (status, ==, 200);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (item), "done"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (item), "version"), ==, 2);
  }

  remove_tree (dir);
}

/* One of 16 clients creating notes as fast as the server takes them, each
 * with its own key, until the server is killed under it. */
typedef struct {
  const char *url;
  const char *token;
  guint       index;
  GPtrArray  *acknowledged;   /* titles answered 201 */
  char       *in_doubt;       /* the title of the request cut off, if any */
  gint       *stop;
  gint       *n_acknowledged; /* by all of them */
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autofree char *uri = g_strconcat (client->url, "/items", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", client->token, NULL);

  for (guint i = 0; !g_atomic_int_get (client->stop); i++) {
    g_autofree char *title = g_strdup_printf ("c%u-%u", client->index, i);
    g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);
    g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", title);
    answer = soup_session_send_and_read (session, msg, NULL, &error);
    if (error == NULL && soup_message_get_status (msg) == 201) {
      g_ptr_array_add (client->acknowledged, g_steal_pointer (&title));
      g_atomic_int_inc (client->n_acknowledged);
      continue;
    }
    /* Killed meanwhile: this one may or may not have been applied. */
    client->in_doubt = g_steal_pointer (&title);
    break;
  }

  return NULL;
}

static GHashTable *
count_titles (Server *server)
{
  guint status = 0;
  g_autoptr(JsonNode) list = request (server, "GET", "/items", NULL, &status);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *items;

  g_assert_cmpuint (status, ==, 200);
  items = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    const char *title = json_object_get_string_member (json_array_get_object_element (items, i), "title");

    g_hash_table_insert (counts, g_strdup (title),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, title)) + 1));
  }

  return counts;
}

/* SIGKILL while 16 clients write (group commit at work): every
 * acknowledged change is there once, a change cut off is there at most
 * once, and its retry with the same key applies it exactly once. */
static void
test_sigkill_under_load (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autoptr(Server) first = server_start (path, NULL);
  g_autoptr(Server) second = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  Client clients[16];
  GThread *threads[16];
  gint stop = 0;
  gint n_so_far = 0;
  guint n_acknowledged = 0, n_in_doubt = 0;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++) {
    clients[i] = (Client) {
      .url = first->url, .token = first->token, .index = i, .stop = &stop, .n_acknowledged = &n_so_far,
      .acknowledged = g_ptr_array_new_with_free_func (g_free),
    };
    threads[i] = g_thread_new ("client", client_thread, &clients[i]);
  }

  /* Killed in full flow, once some changes are through (liveness bound:
   * a minute). */
  for (guint i = 0; i < 12000 && g_atomic_int_get (&n_so_far) < 200; i++)
    g_usleep (5 * 1000);
  g_usleep (100 * 1000);
  g_subprocess_send_signal (first->process, SIGKILL);
  g_subprocess_wait (first->process, NULL, NULL);
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    g_thread_join (threads[i]);

  /* Under the same token: keys are scoped by who asks. */
  second = g_new0 (Server, 1);
  second->process = spawn (&error, "--port", "0", "--data", path, "--token", first->token, NULL);
  g_assert_no_error (error);
  read_first_line (second);
  g_assert_null (second->token);
  second->token = g_strdup (first->token);
  counts = count_titles (second);
  n_acknowledged = 0;
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++) {
    for (guint j = 0; j < clients[i].acknowledged->len; j++) {
      const char *title = g_ptr_array_index (clients[i].acknowledged, j);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, title)), ==, 1);
      n_acknowledged++;
    }
    if (clients[i].in_doubt != NULL) {
      g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", clients[i].in_doubt);
      g_autoptr(JsonNode) retried = NULL;
      guint status = 0;

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, clients[i].in_doubt)), <=, 1);
      retried = request_with_key (second, "POST", "/items", body, clients[i].in_doubt, &status, NULL);
      g_assert_cmpuint (status, ==, 201);
      g_assert_cmpuint (count_titled (second, clients[i].in_doubt), ==, 1);
      n_in_doubt++;
    }
  }
  g_test_message ("%u changes acknowledged before SIGKILL, all kept; %u cut off, each applied once on retry",
                  n_acknowledged, n_in_doubt);
  g_assert_cmpuint (n_acknowledged, >=, 200);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++) {
    g_ptr_array_unref (clients[i].acknowledged);
    g_free (clients[i].in_doubt);
  }
  remove_tree (dir);
}

/* A test that fails must not leave its servers running: a child test
 * starts one and aborts, and the server goes with it. */
static void
test_harness_stops_servers (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *pid_path = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *proc = NULL;
  gint64 deadline;
  int pid;

  /* The child's folder, named after the parent that removes it. */
  dir = g_strdup_printf ("%s/aa-harness-%d", g_get_tmp_dir (), (int) (g_test_subprocess () ? getppid () : getpid ()));
  pid_path = g_build_filename (dir, "server.pid", NULL);
  if (g_test_subprocess ()) {
    g_autofree char *path = g_build_filename (dir, "data.db", NULL);
    Server *server = server_start (path, NULL);

    g_assert_true (g_file_set_contents (pid_path, g_subprocess_get_identifier (server->process), -1, NULL));
    /* What a failed assertion does. */
    abort ();
  }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_assert_true (g_file_get_contents (pid_path, &pid_text, NULL, NULL));
  pid = atoi (pid_text);
  g_assert_cmpint (pid, >, 0);

  /* Gone, or a zombie waiting for whoever inherited it (liveness bound). */
  proc = g_strdup_printf ("/proc/%d/stat", pid);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline) {
    g_autofree char *stat = NULL;
    const char *end;

    if (!g_file_get_contents (proc, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL || end[2] == 'Z') {
      remove_tree (dir);
      return;
    }
    g_usleep (20 * 1000);
  }

  kill (pid, SIGKILL);
  remove_tree (dir);
  g_error ("the server %d outlived the test that started it", pid);
}

static void
test_sigterm_exits_cleanly (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "nested", "folder", "data.json", NULL);
  g_autoptr(Server) server = server_start (path, NULL);
  g_autoptr(Server) again = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  guint status = 0;

  created = request (server, "POST", "/items", "{\"title\": \"Before SIGTERM\"}", &status);
  g_assert_cmpuint (status, ==, 201);

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  /* A complete database, in the folder the server created, with nothing
   * left in its write-ahead log. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA quick_check", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = server_start (path, NULL);
  g_assert_cmpuint (count_titled (again, "Before SIGTERM"), ==, 1);
  g_assert_cmpuint (count_items (again), ==, 13);

  remove_tree (dir);
}

/* Rows matching @sql (one text parameter), read by a connection of our own. */
static gint64
count_rows (const char *path,
            const char *sql,
            const char *parameter)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, parameter, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* Durability a test can see, which SIGKILL can't (the kernel keeps what a
 * killed process wrote, synced or not): the store's own connection syncs
 * every commit (WAL with synchronous FULL, read back from it), and each
 * change with its idempotency record is in the file when the commit that
 * comes before its answer returns: another connection sees both at once. */
static void
test_commit_is_durable (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AaServerStore) store = NULL;

  store = aa_server_store_new (path, 0, &error);
  g_assert_no_error (error);
  g_assert_true (aa_server_store_is_durable (store));

  for (guint i = 0; i < 3; i++) {
    g_autofree char *title = g_strdup_printf ("Durable %u", i);
    g_autofree char *key = g_strdup_printf ("k-durable-%u", i);
    g_autoptr(JsonNode) created = NULL;

    created = aa_server_store_create_item (store, title, "", FALSE, FALSE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count_rows (path, "SELECT count(*) FROM items WHERE title = ?", title), ==, 0);
    g_assert_true (aa_server_store_commit (store, "principal", key, "fingerprint", 201, "{}", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_rows (path, "SELECT count(*) FROM items WHERE title = ?", title), ==, 1);
    g_assert_cmpint (count_rows (path, "SELECT count(*) FROM idempotency WHERE key = ?", key), ==, 1);
  }

  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_corrupt_file_refused (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  const char *corrupt = "{\"format\": 1, \"items\": [{\"title\": 7}]}";

  g_file_set_contents (path, corrupt, -1, &error);
  g_assert_no_error (error);

  process = spawn (&error, "--port", "0", "--data", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, path));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, corrupt);

  remove_tree (dir);
}

static void
expect_exit (int         status,
             const char *expected_out,
             const char *expected_err,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  va_start (args, expected_err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_test_message ("%s\n%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, status);
  if (expected_out != NULL)
    g_assert_nonnull (strstr (out, expected_out));
  if (expected_err != NULL)
    g_assert_nonnull (strstr (err, expected_err));
}

static void
test_options (void)
{
  expect_exit (2, NULL, "--failure-rate", "--failure-rate", "1.5", NULL);
  expect_exit (2, NULL, "--failure-rate", "--failure-rate", "-0.1", NULL);
  expect_exit (2, NULL, "--port", "--port", "70000", NULL);
  expect_exit (2, NULL, "--latency-ms", "--latency-ms", "-5", NULL);
  expect_exit (2, NULL, "bogus", "--bogus", NULL);
  expect_exit (2, NULL, NULL, "--port", "abc", NULL);
  expect_exit (0, "async-actions-server " PACKAGE_VERSION, NULL, "--version", NULL);
  expect_exit (0, "--failure-rate", NULL, "--help", NULL);
}

static void
test_token_and_generated_notes (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) denied = NULL;
  g_autoptr(SoupMessage) allowed = NULL;
  g_autoptr(GBytes) denied_body = NULL;
  g_autoptr(GBytes) allowed_body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  server->process = spawn (&error, "--port", "0", "--data", path, "--token", "t0k3n",
                           "--generate-notes", "50", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  uri = g_strconcat (server->url, "/items", NULL);

  denied = soup_message_new ("GET", uri);
  denied_body = soup_session_send_and_read (session, denied, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (denied), ==, 401);

  allowed = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (allowed), "Authorization", "Bearer t0k3n");
  allowed_body = soup_session_send_and_read (session, allowed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (allowed), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (allowed_body, NULL), g_bytes_get_size (allowed_body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 62);

  remove_tree (dir);
}


/* Runs the server until it exits; returns its standard error. */
static char *
run_to_exit (int         expected_status,
             const char *data_path,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, (char *) data_path);
  va_start (args, data_path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);
  g_assert_cmpstr (out, ==, "");
  /* A clear message, never a GLib critical or warning. */
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));

  return err;
}

static gboolean
is_database (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return length >= 16 && memcmp (contents, "SQLite format 3", 16) == 0;
}

static char *
fingerprint (const char *method,
             const char *path,
             const char *body)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) method, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) body, -1);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
kill_server (Server *server)
{
  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, NULL);
}

/* Everything in a data file of the JSON format comes over into the database,
 * and the JSON file stays beside it. */
static void
test_import_json (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autofree char *backup = g_strconcat (path, ".json-backup", NULL);
  g_autofree char *backup_2 = g_strconcat (path, ".json-backup-1", NULL);
  g_autofree char *replayed_body = g_strdup ("{\"title\": \"Sent once\"}");
  g_autofree char *print = fingerprint ("POST", "/items", replayed_body);
  g_autofree char *data = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(Server) again = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  gboolean replayed = FALSE;

  data = g_strdup_printf (
    "{\"format\": 1, \"next_item_id\": 40, \"next_payment_id\": 8,"
    " \"items\": ["
    "  {\"id\": \"3\", \"title\": \"Kept note\", \"notes\": \"Line one\\nLine two\", \"starred\": true,"
    "   \"done\": false, \"version\": 4, \"updated_at\": \"2026-01-02T03:04:05Z\"},"
    "  {\"id\": \"7\", \"title\": \"In the trash\", \"trashed\": true, \"version\": 2,"
    "   \"updated_at\": \"2026-01-02T03:04:05Z\"}],"
    " \"purged\": [\"5\"],"
    " \"invoices\": [{\"id\": \"inv_1\", \"description\": \"Paid one\", \"amount_cents\": 1200, \"status\": \"paid\"},"
    "   {\"id\": \"inv_2\", \"description\": \"Open one\", \"amount_cents\": 900, \"currency\": \"USD\"}],"
    " \"payments\": [{\"id\": \"pay_7\", \"invoice_id\": \"inv_1\", \"card_last4\": \"4242\","
    "   \"created_at\": \"2026-01-02T03:04:05Z\"}],"
    " \"members\": [{\"id\": \"m1\", \"name\": \"Ana Lima\", \"role\": \"owner\"},"
    "   {\"id\": \"m2\", \"name\": \"Bo Chen\", \"role\": \"admin\"}],"
    " \"idempotency\": [{\"key\": \"k-old\", \"fingerprint\": \"%s\", \"status\": 201,"
    "   \"body\": \"{\\\"id\\\": \\\"39\\\", \\\"title\\\": \\\"Sent once\\\"}\", \"etag\": \"\\\"1\\\"\","
    "   \"created_at\": %" G_GINT64_FORMAT "}]}",
    print, g_get_real_time () / G_USEC_PER_SEC - 60);
  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);

  server = server_start (path, NULL);
  g_assert_true (is_database (path));
  g_file_get_contents (backup, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, data);

  {
    g_autoptr(JsonNode) item = request (server, "GET", "/items/3", NULL, &status);
    JsonObject *object = json_node_get_object (item);

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (object, "notes"), ==, "Line one\nLine two");
    g_assert_true (json_object_get_boolean_member (object, "starred"));
    g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==, "2026-01-02T03:04:05Z");
  }
  {
    g_autoptr(JsonNode) trash = request (server, "GET", "/trash", NULL, &status);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (trash)), ==, 1);
  }
  {
    g_autoptr(JsonNode) gone = request (server, "POST", "/items/5/restore", NULL, &status);

    g_assert_cmpuint (status, ==, 410);
  }
  {
    g_autoptr(JsonNode) invoices = request (server, "GET", "/invoices", NULL, &status);
    JsonArray *array = json_node_get_array (invoices);

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "status"), ==, "paid");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "currency"), ==, "USD");
  }
  {
    g_autoptr(JsonNode) members = request (server, "GET", "/members", NULL, &status);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (members)), ==, 2);
  }
  {
    /* The idempotency record came over: the retry is answered, not applied. */
    g_autoptr(JsonNode) retry = request_with_key (server, "POST", "/items", replayed_body, "k-old",
                                                  &status, &replayed);

    g_assert_cmpuint (status, ==, 201);
    g_assert_true (replayed);
    g_assert_cmpuint (count_titled (server, "Sent once"), ==, 0);
  }
  {
    /* The counters came over: no id is handed out twice. */
    g_autoptr(JsonNode) created = request (server, "POST", "/items", "{\"title\": \"New\"}", &status);

    g_assert_cmpuint (status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (created), "id"), ==, "40");
  }
  {
    g_autoptr(JsonNode) paid = request_with_key (server, "POST", "/payments",
                                                 "{\"invoice_id\": \"inv_2\", \"card_number\": \"4242424242424242\"}",
                                                 "k-pay", &status, &replayed);

    g_assert_cmpuint (status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (paid), "id"), ==, "pay_8");
  }

  /* Imported once: the next start opens the database, and makes no copy. */
  kill_server (server);
  again = server_start (path, NULL);
  g_assert_cmpuint (count_titled (again, "Kept note"), ==, 1);
  g_assert_cmpuint (count_titled (again, "New"), ==, 1);
  g_assert_false (g_file_test (backup_2, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

/* An edited file with the largest id: the server neither wraps around nor
 * writes what it can't read back. */
static void
test_id_overflow (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(Server) server = NULL;
  g_autoptr(Server) again = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  const char *data =
    "{\"format\": 1, \"next_item_id\": -1, \"members\": [{\"id\": \"1\", \"name\": \"Ana\", \"role\": \"owner\"}],"
    " \"items\": [{\"id\": \"18446744073709551615\", \"title\": \"Last id\"},"
    "   {\"id\": \"9223372036854775806\", \"title\": \"Almost\"}]}";

  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);

  server = server_start (path, NULL);
  created = request (server, "POST", "/items", "{\"title\": \"After the last\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (created), "id"), ==,
                   "9223372036854775807");
  {
    /* The ids have run out: a clear refusal, nothing wraps around. */
    g_autoptr(JsonNode) refused = request (server, "POST", "/items", "{\"title\": \"One more\"}", &status);

    g_assert_cmpuint (status, ==, 500);
  }

  kill_server (server);
  again = server_start (path, NULL);
  g_assert_cmpuint (count_titled (again, "Last id"), ==, 1);
  g_assert_cmpuint (count_titled (again, "After the last"), ==, 1);
  g_assert_cmpuint (count_titled (again, "One more"), ==, 0);

  remove_tree (dir);
}

static void
test_empty_file_refused (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  gsize length = 1;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  err = run_to_exit (1, path, NULL);
  g_assert_nonnull (strstr (err, path));
  g_assert_nonnull (strstr (err, "empty"));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, 0);

  remove_tree (dir);
}

static void
test_damaged_database_refused (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  gsize length = 0, after_length = 0;

  /* A real database, then damaged in the middle. */
  {
    g_autoptr(Server) server = server_start (path, NULL);

    g_subprocess_send_signal (server->process, SIGTERM);
    g_subprocess_wait (server->process, NULL, NULL);
  }
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 100, 0xa5, length - 100);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));

  err = run_to_exit (1, path, NULL);
  g_assert_nonnull (strstr (err, path));
  g_assert_nonnull (strstr (err, "damaged"));

  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpuint (after_length, ==, length);
  g_assert_true (memcmp (after, contents, length) == 0);

  remove_tree (dir);
}

/* A data path that is a symbolic link is followed, and stays a link. */
static void
test_symlink_followed (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *target = g_build_filename (dir, "real.db", NULL);
  g_autofree char *link = g_build_filename (dir, "link.db", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.db", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "missing", "nothing.db", NULL);
  g_autofree char *err = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(Server) again = NULL;
  g_autoptr(JsonNode) created = NULL;
  guint status = 0;
  const char *data = "{\"format\": 1, \"members\": [{\"id\": \"1\", \"name\": \"Ana\", \"role\": \"owner\"}],"
                     " \"items\": [{\"id\": \"1\", \"title\": \"Through the link\"}]}";

  g_assert_true (g_file_set_contents (target, data, -1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);

  server = server_start (link, NULL);
  created = request (server, "POST", "/items", "{\"title\": \"Written through\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  kill_server (server);

  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (is_database (target));
  again = server_start (target, NULL);
  g_assert_cmpuint (count_titled (again, "Through the link"), ==, 1);
  g_assert_cmpuint (count_titled (again, "Written through"), ==, 1);

  /* A link that leads nowhere is refused, and left as it is. */
  g_assert_cmpint (symlink (nowhere, dangling), ==, 0);
  err = run_to_exit (1, dangling, NULL);
  g_assert_nonnull (strstr (err, dangling));
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));

  remove_tree (dir);
}

static JsonNode *
get_with_authorization (Server     *server,
                        const char *authorization,
                        guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (server->url, "/items", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

/* Without options the server makes a token and prints it after the URL;
 * --no-auth, --token-file and the environment change that. */
static void
test_token_by_default (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autofree char *token_path = g_build_filename (dir, "token", NULL);
  guint status = 0;

  {
    g_autoptr(Server) server = server_start (path, NULL);
    g_autofree char *lower = g_strconcat ("bearer ", server->token, NULL);
    g_autoptr(JsonNode) denied = get_with_authorization (server, NULL, &status);

    g_assert_cmpuint (status, ==, 401);
    g_assert_nonnull (denied);
    {
      /* The scheme is case-insensitive. */
      g_autoptr(JsonNode) allowed = get_with_authorization (server, lower, &status);

      g_assert_cmpuint (status, ==, 200);
    }
  }
  {
    g_autoptr(Server) server = g_new0 (Server, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) open = NULL;

    server->process = spawn (&error, "--port", "0", "--data", path, "--no-auth", NULL);
    g_assert_no_error (error);
    read_first_line (server);
    g_assert_null (server->token);
    open = get_with_authorization (server, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  {
    g_autoptr(Server) server = g_new0 (Server, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) denied = NULL;
    g_autoptr(JsonNode) allowed = NULL;

    g_assert_true (g_file_set_contents (token_path, "from-a-file\n", -1, NULL));
    server->process = spawn (&error, "--port", "0", "--data", path, "--token-file", token_path, NULL);
    g_assert_no_error (error);
    read_first_line (server);
    g_assert_null (server->token);
    denied = get_with_authorization (server, "Bearer nope", &status);
    g_assert_cmpuint (status, ==, 401);
    allowed = get_with_authorization (server, "Bearer from-a-file", &status);
    g_assert_cmpuint (status, ==, 200);
  }
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(Server) server = g_new0 (Server, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) allowed = NULL;

    g_subprocess_launcher_setenv (launcher, "ASYNC_ACTIONS_SERVER_TOKEN", "from-the-env", TRUE);
    server->process = g_subprocess_launcher_spawn (launcher, &error, server_binary (),
                                                   "--port", "0", "--data", path, NULL);
    g_assert_no_error (error);
    read_first_line (server);
    g_assert_null (server->token);
    allowed = get_with_authorization (server, "Bearer from-the-env", &status);
    g_assert_cmpuint (status, ==, 200);
  }

  expect_exit (2, NULL, "--no-auth", "--no-auth", "--token", "t", NULL);

  remove_tree (dir);
}

/* A connection that sends nothing, or a byte now and then, is closed. */
static void
test_idle_connections_closed (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autoptr(Server) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) idle = NULL;
  g_autoptr(GSocketConnection) slow = NULL;
  GInputStream *in;
  char buffer[256];
  gssize n_read;

  server = server_start (path, "--request-timeout=1");
  uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);

  idle = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  /* Blocks until the server closes the connection (the test's own timeout
   * catches a server that never does). */
  in = g_io_stream_get_input_stream (G_IO_STREAM (idle));
  n_read = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
  g_assert_true (n_read <= 0);
  g_clear_error (&error);

  slow = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  {
    GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (slow));
    const char *request = "GET /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    gboolean closed = FALSE;

    /* One byte every 200 ms: the whole request never arrives in time. */
    for (guint i = 0; request[i] != '\0' && !closed; i++) {
      closed = !g_output_stream_write_all (out, request + i, 1, NULL, NULL, NULL);
      g_usleep (200 * 1000);
    }
    in = g_io_stream_get_input_stream (G_IO_STREAM (slow));
    n_read = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
    g_assert_true (closed || n_read <= 0);
  }

  remove_tree (dir);
}

/* A database removed by hand while its log stayed: the fresh one made in its
 * place does not take the old log in. */
static void
test_stale_log_ignored (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "data.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(Server) first = server_start (path, NULL);
  g_autoptr(Server) second = NULL;
  guint status = 0;

  for (guint i = 0; i < 20; i++) {
    g_autoptr(JsonNode) created = request (first, "POST", "/items", "{\"title\": \"In the old log\"}", &status);

    g_assert_cmpuint (status, ==, 201);
  }
  kill_server (first);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (path), ==, 0);

  second = server_start (path, NULL);
  g_assert_cmpuint (count_titled (second, "In the old log"), ==, 0);
  g_assert_cmpuint (count_items (second), ==, 12);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/ServerBinary/sigkill-keeps-acknowledged", test_sigkill_keeps_acknowledged);
  g_test_add_func ("/Aa/ServerBinary/sigkill-under-load", test_sigkill_under_load);
  g_test_add_func ("/Aa/ServerBinary/harness-stops-servers", test_harness_stops_servers);
  g_test_add_func ("/Aa/ServerStore/commit-is-durable", test_commit_is_durable);
  g_test_add_func ("/Aa/ServerBinary/sigterm-exits-cleanly", test_sigterm_exits_cleanly);
  g_test_add_func ("/Aa/ServerBinary/corrupt-file-refused", test_corrupt_file_refused);
  g_test_add_func ("/Aa/ServerBinary/options", test_options);
  g_test_add_func ("/Aa/ServerBinary/token-and-generated-notes", test_token_and_generated_notes);
  g_test_add_func ("/Aa/ServerBinary/import-json", test_import_json);
  g_test_add_func ("/Aa/ServerBinary/id-overflow", test_id_overflow);
  g_test_add_func ("/Aa/ServerBinary/empty-file-refused", test_empty_file_refused);
  g_test_add_func ("/Aa/ServerBinary/damaged-database-refused", test_damaged_database_refused);
  g_test_add_func ("/Aa/ServerBinary/symlink-followed", test_symlink_followed);
  g_test_add_func ("/Aa/ServerBinary/token-by-default", test_token_by_default);
  g_test_add_func ("/Aa/ServerBinary/idle-connections-closed", test_idle_connections_closed);
  g_test_add_func ("/Aa/ServerBinary/stale-log-ignored", test_stale_log_ignored);

  return g_test_run ();
}
