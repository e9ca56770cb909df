/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-main"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "aa-server.h"

#define EXIT_USAGE 2
#define TOKEN_ENV  "ASYNC_ACTIONS_SERVER_TOKEN"

typedef struct {
  AaServer  *server;
  GMainLoop *loop;
} Shutdown;

static gboolean
signal_cb (gpointer data)
{
  Shutdown *shutdown = data;

  /* Every acknowledged change is on disk already; this writes anything left. */
  aa_server_shutdown (shutdown->server);
  g_main_loop_quit (shutdown->loop);

  return G_SOURCE_CONTINUE;
}

/* 32 random bytes from the kernel, as hex. */
static char *
generate_token (GError **error)
{
  guint8 bytes[32];
  GString *token = g_string_sized_new (2 * sizeof bytes);
  gsize filled = 0;

  while (filled < sizeof bytes) {
    ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

    if (n < 0 && errno != EINTR) {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Couldn’t make a token: %s"), g_strerror (saved_errno));
      g_string_free (token, TRUE);
      return NULL;
    }
    if (n > 0)
      filled += (gsize) n;
  }

  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  return g_string_free (token, FALSE);
}

static char *
read_token_file (const char  *path,
                 GError     **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  /* The first line, without the spaces around it. */
  contents[strcspn (contents, "\r\n")] = '\0';
  return g_strdup (g_strstrip (contents));
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("async-actions-server: %s\n", message);
  g_printerr (_("Run “async-actions-server --help” to see the options.\n"));
  return EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AaServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_file = NULL;
  g_auto(GStrv) allowed_hosts = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  gint port = 0;
  gint latency_ms = 0;
  double failure_rate = 0;
  gint64 seed = 0;
  gint generate_notes = 0;
  gint request_timeout = 30;
  gint keepalive_ms = 0;
  gint stream_buffer = 0;
  gint events_kept = 0;
  gboolean listen_all = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  gboolean no_auth = FALSE;
  gboolean ignore_keys = FALSE;
  gboolean generated = FALSE;
  Shutdown shutdown;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on; 0 picks a free one. The base URL is printed as the first line"), "N" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
      N_("SQLite database, created from the demo data when missing; a JSON data file of an earlier version is imported (default: $XDG_DATA_HOME/async-actions/server.db)"), "FILE" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      N_("Require “Authorization: Bearer T” on every request (default: a new token, printed after the URL)"), "T" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("Read the token from the first line of FILE, so it does not show in the process list"), "FILE" },
    { "no-auth", 0, 0, G_OPTION_ARG_NONE, &no_auth,
      N_("Answer every request, without a token"), NULL },
    { "allowed-host", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allowed_hosts,
      N_("Also answer requests for this host name (IP addresses and “localhost” always are); may be repeated"), "NAME" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms,
      N_("Delay every API request by N milliseconds"), "N" },
    { "failure-rate", 0, 0, G_OPTION_ARG_DOUBLE, &failure_rate,
      N_("Fail this share of changes with 503, from 0 to 1"), "P" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed for the random failures, so that a run can be repeated"), "N" },
    { "listen-all", 0, 0, G_OPTION_ARG_NONE, &listen_all,
      N_("Listen on every network interface, not only on loopback"), NULL },
    { "generate-notes", 0, 0, G_OPTION_ARG_INT, &generate_notes,
      N_("Add N generated notes when creating a fresh data file (for large-list demos)"), "N" },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout,
      N_("Close a connection whose request takes longer than N seconds to arrive, or that stays idle as long (default: 30)"), "N" },
    { "keepalive-ms", 0, 0, G_OPTION_ARG_INT, &keepalive_ms,
      N_("Send a keep-alive comment on every GET /events stream each N milliseconds (default: 15000)"), "N" },
    { "stream-buffer", 0, 0, G_OPTION_ARG_INT, &stream_buffer,
      N_("Cut a GET /events reader once N bytes wait for it; it resumes with Last-Event-ID (default: 1048576)"), "N" },
    { "events-kept", 0, 0, G_OPTION_ARG_INT, &events_kept,
      N_("Keep the last N changes for readers that resume with Last-Event-ID (default: 1000)"), "N" },
    { "ignore-idempotency-keys", 0, 0, G_OPTION_ARG_NONE, &ignore_keys,
      N_("Behave like a plain backend that ignores “Idempotency-Key”: a request sent twice is applied twice (for testing clients)"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Log every request to standard error"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* ASYNC_ACTIONS_LOCALEDIR lets an uninstalled build (build-aux/run-demo,
   * meson devenv) speak the translations it compiled. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ASYNC_ACTIONS_LOCALEDIR") ? g_getenv ("ASYNC_ACTIONS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("The demo REST backend of Async Actions: notes, invoices and members under /api/v1,\n"
      "with fault injection (latency, failures, dropped connections) for demos and tests."));
  g_option_context_set_description (context,
    _("Faults can also be changed while running: PUT /api/v1/_control/faults with\n"
      "{\"latency_ms\", \"failure_rate\", \"offline\", \"next\": [\"error-500\", \"error-503\",\n"
      "\"timeout\", \"drop\", \"lost-response\", \"conflict\"]}. SIGINT and SIGTERM stop the\n"
      "server cleanly. The token can also come from $ASYNC_ACTIONS_SERVER_TOKEN.\n"
      "Exit status: 0 on success, 1 when the server can’t start, 2 for bad options.\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("Unexpected argument. Options start with “--”."));

  if (version) {
    g_print ("async-actions-server %s\n", PACKAGE_VERSION);
    return 0;
  }

  if (port < 0 || port > 65535)
    return usage_error (context, _("--port must be from 0 to 65535."));
  if (latency_ms < 0 || latency_ms > 600000)
    return usage_error (context, _("--latency-ms must be from 0 to 600000."));
  if (!(failure_rate >= 0 && failure_rate <= 1))
    return usage_error (context, _("--failure-rate must be a number from 0 to 1, like 0.2."));
  if (seed < 0 || seed > G_MAXUINT32)
    return usage_error (context, _("--seed must be from 0 to 4294967295."));
  if (request_timeout < 1 || request_timeout > 3600)
    return usage_error (context, _("--request-timeout must be from 1 to 3600."));
  if (keepalive_ms < 0 || stream_buffer < 0 || events_kept < 0)
    return usage_error (context, _("--keepalive-ms, --stream-buffer and --events-kept must not be negative."));
  if (generate_notes < 0 || generate_notes > 1000000)
    return usage_error (context, _("--generate-notes must be from 0 to 1000000."));
  if (no_auth && (token != NULL || token_file != NULL))
    return usage_error (context, _("--no-auth and a token exclude each other. Choose one."));
  if (token != NULL && token_file != NULL)
    return usage_error (context, _("Give the token either with --token or with --token-file, not both."));
  if (token_file != NULL) {
    token = read_token_file (token_file, &error);
    if (token == NULL)
      return usage_error (context, error->message);
    if (*token == '\0')
      return usage_error (context, _("The file given with --token-file is empty. Put the token on its first line."));
  }
  if (token == NULL && !no_auth && g_getenv (TOKEN_ENV) != NULL && *g_getenv (TOKEN_ENV) != '\0')
    token = g_strdup (g_getenv (TOKEN_ENV));
  if (token != NULL && *token == '\0')
    return usage_error (context, _("--token must not be empty."));
  /* A server on loopback is still reachable by every local user and by web
   * pages: it asks for a token unless told not to. */
  if (token == NULL && !no_auth) {
    token = generate_token (&error);
    if (token == NULL) {
      g_printerr ("async-actions-server: %s\n", error->message);
      return 1;
    }
    generated = TRUE;
  }

  if (data_path == NULL)
    data_path = g_build_filename (g_get_user_data_dir (), "async-actions", "server.db", NULL);
  dir = g_path_get_dirname (data_path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_printerr (_("async-actions-server: Couldn’t create the folder “%s”: %s\n"), dir, g_strerror (saved_errno));
    return 1;
  }

  server = g_initable_new (AA_TYPE_SERVER, NULL, &error,
                           "data-path", data_path,
                           "token", token,
                           "allowed-hosts", allowed_hosts,
                           "latency-ms", (guint) latency_ms,
                           "failure-rate", failure_rate,
                           "seed", (guint) seed,
                           "generate-notes", (guint) generate_notes,
                           "verbose", verbose,
                           "request-timeout", (guint) request_timeout,
                           "ignore-idempotency-keys", ignore_keys,
                           NULL);
  if (server == NULL) {
    g_printerr ("async-actions-server: %s\n", error->message);
    return 1;
  }

  aa_server_set_stream_options (server, (guint) keepalive_ms, (gsize) stream_buffer, (guint) events_kept);

  if (!aa_server_listen (server, (guint) port, listen_all, &error)) {
    g_printerr (_("async-actions-server: Couldn’t listen on port %d: %s\n"), port, error->message);
    return 1;
  }

  /* Scripts read the first line to find the server: the URL, then the
   * token when it was made here (read -r url token). */
  url = aa_server_dup_url (server);
  if (generated)
    g_print ("%s %s\n", url, token);
  else
    g_print ("%s\n", url);
  fflush (stdout);
  if (verbose)
    g_printerr (_("Serving %s from “%s”\n"), url, data_path);

  loop = g_main_loop_new (NULL, FALSE);
  shutdown.server = server;
  shutdown.loop = loop;
  g_unix_signal_add (SIGINT, signal_cb, &shutdown);
  g_unix_signal_add (SIGTERM, signal_cb, &shutdown);

  g_main_loop_run (loop);

  return 0;
}
