/* The real async-actions-server binary (AA_SERVER_BIN): acknowledged changes
 * survive SIGKILL, SIGTERM flushes and exits 0, a damaged data file is
 * refused and left alone, and bad options exit with status 2. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct {
  GSubprocess *process;
  char        *url;
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
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            error);
}

/* Starts the server on @data_path and reads the base URL from its first line. */
static Server *
server_start (const char *data_path,
              const char *extra_arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  Server *server = g_new0 (Server, 1);

  server->process = spawn (&error, "--port", "0", "--data", data_path, extra_arg, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server->url);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (server->url, "/api/v1"));

  return server;
}

static JsonNode *
request (Server     *server,
         const char *method,
         const char *path,
         const char *body,
         guint      *out_status)
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

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  return json_parser_steal_root (parser);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/ServerBinary/sigkill-keeps-acknowledged", test_sigkill_keeps_acknowledged);
  g_test_add_func ("/Aa/ServerBinary/sigterm-exits-cleanly", test_sigterm_exits_cleanly);
  g_test_add_func ("/Aa/ServerBinary/corrupt-file-refused", test_corrupt_file_refused);
  g_test_add_func ("/Aa/ServerBinary/options", test_options);
  g_test_add_func ("/Aa/ServerBinary/token-and-generated-notes", test_token_and_generated_notes);

  return g_test_run ();
}
