/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "aa-test-utils.h"

AaTestServer *
aa_test_server_start (const char *token)
{
  g_autoptr(GError) error = NULL;
  AaTestServer *server = g_new0 (AaTestServer, 1);

  server->dir = g_dir_make_tmp ("aa-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->data_path = g_build_filename (server->dir, "data.db", NULL);
  server->token = g_strdup (token);
  server->thread = aa_server_thread_new (server->data_path, token);
  aa_server_thread_start (server->thread, &error);
  g_assert_no_error (error);
  server->url = g_strdup (aa_server_thread_get_url (server->thread));

  return server;
}

void
aa_test_server_restart (AaTestServer *server)
{
  g_autoptr(GError) error = NULL;

  aa_server_thread_stop (server->thread);
  g_clear_object (&server->thread);
  server->thread = aa_server_thread_new (server->data_path, server->token);
  aa_server_thread_start (server->thread, &error);
  g_assert_no_error (error);
  g_free (server->url);
  server->url = g_strdup (aa_server_thread_get_url (server->thread));
}

void
aa_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      aa_test_remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

void
aa_test_server_free (AaTestServer *server)
{
  if (server == NULL)
    return;

  aa_server_thread_stop (server->thread);
  g_clear_object (&server->thread);
  aa_test_remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->data_path);
  g_free (server->url);
  g_free (server->token);
  g_free (server);
}

void
aa_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The parent may have died between fork() and prctl(). */
  if (user_data != NULL && getppid () != GPOINTER_TO_INT (user_data))
    _exit (1);
}

GSubprocessLauncher *
aa_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, aa_test_die_with_parent, GINT_TO_POINTER (getpid ()), NULL);
  return launcher;
}

AaTestServerProcess *
aa_test_server_process_start (const char *dir,
                              guint       n_notes)
{
  const char *bin = g_getenv ("AA_SERVER_BIN");
  AaTestServerProcess *server = g_new0 (AaTestServerProcess, 1);
  g_autoptr(GSubprocessLauncher) launcher = aa_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *n = g_strdup_printf ("%u", n_notes);

  g_assert_nonnull (bin);
  server->dir = dir != NULL ? g_strdup (dir) : g_dir_make_tmp ("aa-bench-XXXXXX", &error);
  g_assert_no_error (error);
  data_path = g_build_filename (server->dir, "data.db", NULL);

  server->process = g_subprocess_launcher_spawn (launcher, &error, bin, "--port", "0", "--data", data_path,
                                                 "--no-auth", "--generate-notes", n, NULL);
  g_assert_no_error (error);

  /* The server prints its base URL as its first line once it listens. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (server->url, "http://"));

  return server;
}

void
aa_test_server_process_free (AaTestServerProcess *server)
{
  if (server == NULL)
    return;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  /* The data file and the database's journals with it. */
  aa_test_remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->url);
  g_free (server);
}

gsize
aa_test_resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  return (gsize) g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

JsonNode *
aa_test_request (AaTestServer        *server,
                 const char          *method,
                 const char          *path,
                 const char          *body_json,
                 guint               *out_status,
                 SoupMessageHeaders **out_headers,
                 ...)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean has_content_type = FALSE;
  const char *name;
  va_list args;

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);

  va_start (args, out_headers);
  while ((name = va_arg (args, const char *)) != NULL) {
    const char *value = va_arg (args, const char *);

    if (g_ascii_strcasecmp (name, "Content-Type") == 0)
      has_content_type = TRUE;
    soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
  }
  va_end (args);

  if (body_json != NULL) {
    g_autoptr(GBytes) body = g_bytes_new (body_json, strlen (body_json));
    const char *content_type = has_content_type
      ? soup_message_headers_get_one (soup_message_get_request_headers (msg), "Content-Type")
      : "application/json";

    soup_message_set_request_body_from_bytes (msg, content_type, body);
  }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  if (g_bytes_get_size (bytes) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;

  return json_parser_steal_root (parser);
}

static JsonNode *
control_request (AaTestServer *server,
                 const char   *method,
                 const char   *path,
                 const char   *body_json)
{
  g_autofree char *auth = server->token ? g_strdup_printf ("Bearer %s", server->token) : NULL;
  JsonNode *node;
  guint status = 0;

  if (auth != NULL)
    node = aa_test_request (server, method, path, body_json, &status, NULL, "Authorization", auth, NULL);
  else
    node = aa_test_request (server, method, path, body_json, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  return node;
}

char *
aa_test_unreachable_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return g_strdup_printf ("http://127.0.0.1:%u/api/v1", port);
}

void
aa_test_set_faults (AaTestServer *server,
                    const char   *faults_json)
{
  g_autoptr(JsonNode) node = control_request (server, "PUT", "/_control/faults", faults_json);
}

guint
aa_test_count_requests (AaTestServer *server,
                        const char   *method,
                        const char   *path_prefix)
{
  g_autoptr(JsonNode) node = control_request (server, "GET", "/_control/stats", NULL);
  JsonArray *requests;
  guint count = 0;

  g_assert_nonnull (node);
  requests = json_object_get_array_member (json_node_get_object (node), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++) {
    JsonObject *request = json_array_get_object_element (requests, i);

    if (g_strcmp0 (json_object_get_string_member (request, "method"), method) == 0 &&
        g_str_has_prefix (json_object_get_string_member (request, "path"), path_prefix))
      count++;
  }

  return count;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* A wait is a bound on liveness, not a timing: under a slower setup (the
 * valgrind one sets AA_TEST_TIME_SCALE) every bound grows alike. */
guint
aa_test_scale_ms (guint timeout_ms)
{
  const char *scale = g_getenv ("AA_TEST_TIME_SCALE");
  guint64 factor = scale != NULL ? g_ascii_strtoull (scale, NULL, 10) : 1;

  return (guint) MIN ((guint64) timeout_ms * MAX (factor, 1), G_MAXUINT);
}

void
aa_test_wait_until_at (AaTestCondition condition,
                       gpointer        user_data,
                       guint           timeout_ms,
                       const char     *what,
                       const char     *where)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (aa_test_scale_ms (timeout_ms), timeout_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  else
    g_error ("%s: waited %u ms for %s, in vain", where, aa_test_scale_ms (timeout_ms), what);
}

gboolean
aa_test_mutation_settled (gpointer mutation)
{
  return !aa_mutation_is_pending (AA_MUTATION (mutation));
}

void
aa_test_wait_settled (AaMutation *mutation,
                      guint       timeout_ms)
{
  aa_test_wait_until (aa_test_mutation_settled, mutation, timeout_ms);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
aa_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  aa_test_wait_until (flag_set, &done, ms + 5000);
}

typedef struct {
  gboolean  done;
  GError   *error;
} RefreshWait;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshWait *wait = user_data;

  aa_refresher_refresh_finish (AA_REFRESHER (object), result, &wait->error);
  wait->done = TRUE;
}

void
aa_test_refresh (AaActionManager *manager,
                 AaRefreshFlags   flags)
{
  RefreshWait wait = { FALSE, NULL };

  aa_refresher_refresh_async (aa_action_manager_get_refresher (manager), flags, NULL, refresh_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
}

gint64
aa_test_create_note (AaTestServer *server,
                     const char   *title)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "notes");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  json = json_to_string (body, FALSE);

  node = aa_test_request (server, "POST", "/items", json, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (node), "version");
}
