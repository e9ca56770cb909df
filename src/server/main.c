#define G_LOG_DOMAIN "aa-server-main"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "aa-server.h"

#define EXIT_USAGE 2

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
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  gint port = 0;
  gint latency_ms = 0;
  double failure_rate = 0;
  gint64 seed = 0;
  gint generate_notes = 0;
  gboolean listen_all = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  Shutdown shutdown;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on; 0 picks a free one. The base URL is printed as the first line"), "N" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
      N_("Data file, created from the demo data when missing (default: $XDG_DATA_HOME/async-actions/server.json)"), "FILE" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      N_("Require “Authorization: Bearer T” on every request"), "T" },
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
      "server cleanly. Exit status: 0 on success, 1 when the server can't start,\n"
      "2 for bad options.\n"));
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
  if (generate_notes < 0 || generate_notes > 1000000)
    return usage_error (context, _("--generate-notes must be from 0 to 1000000."));
  if (token != NULL && *token == '\0')
    return usage_error (context, _("--token must not be empty."));

  if (data_path == NULL)
    data_path = g_build_filename (g_get_user_data_dir (), "async-actions", "server.json", NULL);
  dir = g_path_get_dirname (data_path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_printerr (_("async-actions-server: Couldn't create the folder “%s”: %s\n"), dir, g_strerror (saved_errno));
    return 1;
  }

  server = g_initable_new (AA_TYPE_SERVER, NULL, &error,
                           "data-path", data_path,
                           "token", token,
                           "latency-ms", (guint) latency_ms,
                           "failure-rate", failure_rate,
                           "seed", (guint) seed,
                           "generate-notes", (guint) generate_notes,
                           "verbose", verbose,
                           NULL);
  if (server == NULL) {
    g_printerr ("async-actions-server: %s\n", error->message);
    return 1;
  }

  if (!aa_server_listen (server, (guint) port, listen_all, &error)) {
    g_printerr (_("async-actions-server: Couldn't listen on port %d: %s\n"), port, error->message);
    return 1;
  }

  /* Scripts read the first line to find the server. */
  url = aa_server_dup_url (server);
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
