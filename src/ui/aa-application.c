/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-action-manager.h"
#include "aa-application.h"
#include "aa-preferences-window.h"
#include "aa-server-thread.h"
#include "aa-ui.h"
#include "aa-window.h"

struct _AaApplication
{
  AdwApplication   parent_instance;

  char            *server_url;
  char            *token;

  GSettings       *settings;
  GtkWidget       *preferences; /* weak */

  AaServerThread  *server;
  AaRestClient    *client;
  AaActionManager *manager;
  /* What the journal had to say at start (set aside, or none kept), told
   * once the window shows. */
  char            *journal_message;
};

G_DEFINE_FINAL_TYPE (AaApplication, aa_application, ADW_TYPE_APPLICATION)

static gboolean
start_embedded_server (AaApplication  *self,
                       GError        **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "async-actions", NULL);
  g_autofree char *data_path = g_build_filename (dir, "server.json", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Couldn’t create the data folder %s: %s"), dir, g_strerror (saved_errno));
    return FALSE;
  }

  /* Only this process knows the token, so other local users cannot reach
   * the demo data through the loopback port. */
  g_free (self->token);
  self->token = g_uuid_string_random ();

  self->server = aa_server_thread_new (data_path, self->token);
  if (!aa_server_thread_start (self->server, error)) {
    g_clear_object (&self->server);
    return FALSE;
  }

  g_free (self->server_url);
  self->server_url = g_strdup (aa_server_thread_get_url (self->server));
  g_debug ("Embedded demo server at %s, data in %s", self->server_url, data_path);

  return TRUE;
}

/* Run from the build directory without `meson devenv`, the schema is not
 * found: the app still runs, only without remembering anything. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL) {
    g_printerr (_("The settings schema %s is not installed, so preferences and the window state are not kept. "
                  "Install the app, or run it with “meson devenv”.\n"), APP_ID);
    return NULL;
  }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
use_preferred_server (AaApplication *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (self->settings == NULL)
    return;

  url = g_settings_get_string (self->settings, "server-url");
  if (*url == '\0')
    return;

  /* Only `gsettings set` can store an address the preferences refuse. */
  if (!aa_preferences_window_check_server_url (url, &error)) {
    g_printerr (_("The server URL in Preferences, “%s”, can’t be used: %s Using the embedded demo server instead.\n"),
                url, error->message);
    return;
  }

  self->server_url = g_steal_pointer (&url);
  /* Its token goes with it, unless --token gave one. */
  if (self->token == NULL) {
    g_autofree char *token = g_settings_get_string (self->settings, "token");

    if (*token != '\0')
      self->token = g_steal_pointer (&token);
  }
}

/* Quitting closes the windows, and each waits for what it would lose:
 * the app ends when the last one is gone. Asked before the first window
 * is up (a quit from D-Bus right after the start), nothing can be lost
 * yet, and there is no window whose closing would end the app. */
static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  if (windows == NULL) {
    g_application_quit (G_APPLICATION (user_data));
    return;
  }

  for (GList *l = windows; l != NULL; l = l->next) {
    /* GTK closes only a realized window: one still waiting to be shown
     * with its notes (aa_window_present_when_ready()) is shown now, so
     * that a quit right after the start is never ignored. */
    if (!gtk_widget_get_realized (GTK_WIDGET (l->data)))
      gtk_window_present (l->data);
    gtk_window_close (l->data);
  }
  g_list_free (windows);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AaApplication *self = AA_APPLICATION (user_data);

  if (self->preferences == NULL) {
    self->preferences = aa_preferences_window_new (self->settings);
    g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    aa_preferences_window_set_server_in_use (AA_PREFERENCES_WINDOW (self->preferences),
                                             self->server_url, self->token);
  }

  gtk_window_set_transient_for (GTK_WINDOW (self->preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Async Actions developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Async Actions"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Async Actions developers",
                        "comments", _("A design reference for saving, deleting and toggling over an unreliable network"),
                                                "copyright", "© 2026 The Async Actions developers",
                        "license-type", GTK_LICENSE_LGPL_2_1,
                        "developers", developers,
                        /* Translators: your name and e-mail address, one translator per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The help lives in the app, from a resource: it ships no Yelp pages. */
static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/example/AsyncActions/aa-help-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "help_window"));

  gtk_window_set_transient_for (window, gtk_application_get_active_window (GTK_APPLICATION (user_data)));
  gtk_window_present (window);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "help", help_action },
  { "about", about_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.new-note", { "<Control>n", NULL } },
  { "win.reload", { "<Control>r", "F5", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.toggle-star", { "<Control>d", NULL } },
  { "win.toggle-done", { "<Control>e", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.back", { "<Alt>Left", NULL } },
  { "win.show-page::notes", { "<Alt>1", NULL } },
  /* In the switcher's order, then the places reached from Notes. */
  { "win.show-page::billing", { "<Alt>2", NULL } },
  { "win.show-page::team", { "<Alt>3", NULL } },
  { "win.show-page::trash", { "<Alt>4", NULL } },
  { "win.show-page::activity", { "<Alt>5", NULL } },
};

static gint
aa_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  AaApplication *self = AA_APPLICATION (application);

  if (g_variant_dict_contains (options, "version")) {
    g_print ("async-actions %s\n", PACKAGE_VERSION);
    return 0;
  }

  g_variant_dict_lookup (options, "server-url", "s", &self->server_url);
  g_variant_dict_lookup (options, "token", "s", &self->token);

  if (self->server_url == NULL && self->token != NULL) {
    g_printerr ("%s\n", _("--token goes with --server-url: the embedded demo server makes its own."));
    return 2;
  }

  /* Another server, another window: a copy already running would take
   * this one's place and ignore the options (GApplication passes it only
   * an activation), so this copy runs on its own. */
  if (self->server_url != NULL)
    g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (aa_application_parent_class)->handle_local_options (application, options);
}

/* The journal keeps unsent changes and typed text across a crash. The
 * embedded server listens on a new port each time: its data file names it.
 * A token stands for the account, hashed so that the file never holds it. */
static void
open_journal (AaApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_id = NULL;
  g_autofree char *account = NULL;
  const GError *set_aside;

  if (self->server != NULL)
    server_id = g_strconcat ("embedded:", g_get_user_data_dir (), "/async-actions/server.json", NULL);
  else if (self->token != NULL)
    account = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->token, -1);

  if (!aa_action_manager_open_journal (self->manager, server_id, account, &error)) {
    g_warning ("%s", error->message);
    self->journal_message = g_strdup_printf (_("Unsent changes can’t be kept if the app stops: %s"), error->message);
    return;
  }

  set_aside = aa_journal_get_set_aside (aa_action_manager_get_journal (self->manager));
  if (set_aside != NULL)
    self->journal_message = g_strdup (set_aside->message);
}

static void
aa_application_startup (GApplication *application)
{
  AaApplication *self = AA_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  aa_ui_init ();

  G_APPLICATION_CLASS (aa_application_parent_class)->startup (application);

  aa_ui_load_style (gdk_display_get_default ());
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  self->settings = new_settings ();
  if (self->settings == NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "preferences")), FALSE);

  /* --server-url first, then the preference, then the embedded server. */
  if (self->server_url == NULL)
    use_preferred_server (self);

  if (self->server_url == NULL && !start_embedded_server (self, &error)) {
    g_printerr (_("Couldn’t start the demo server: %s\n"), error->message);
    g_printerr ("%s\n", _("Check that the data folder is writable, or use --server-url to reach another backend."));
    g_application_quit (application);
    return;
  }

  self->client = aa_rest_client_new (self->server_url);

  aa_rest_client_set_backend_features (self->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |

                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  if (self->token != NULL)
    aa_rest_client_set_token (self->client, self->token);
  self->manager = aa_action_manager_new (self->client);
  open_journal (self);
  aa_action_manager_start_live (self->manager);
}

static void
aa_application_activate (GApplication *application)
{
  AaApplication *self = AA_APPLICATION (application);
  GtkWindow *window;

  if (self->manager == NULL)
    return;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL) {
    window = GTK_WINDOW (aa_window_new (GTK_APPLICATION (self), self->manager));
    if (self->settings != NULL)
      aa_window_bind_settings (AA_WINDOW (window), self->settings);
    aa_window_present_when_ready (AA_WINDOW (window));
    if (self->journal_message != NULL)
      aa_window_add_toast (AA_WINDOW (window), aa_ui_toast_new (self->journal_message));
    g_clear_pointer (&self->journal_message, g_free);
    return;
  }

  gtk_window_present (window);
}

static void
aa_application_shutdown (GApplication *application)
{
  AaApplication *self = AA_APPLICATION (application);
  GList *windows;

  if (self->preferences != NULL)
    gtk_window_destroy (GTK_WINDOW (self->preferences));

  /* The windows hold the manager: close them before the server goes. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_clear_object (&self->manager);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  if (self->server != NULL)
    aa_server_thread_stop (self->server);
  g_clear_object (&self->server);

  G_APPLICATION_CLASS (aa_application_parent_class)->shutdown (application);
}

static void
aa_application_finalize (GObject *object)
{
  AaApplication *self = AA_APPLICATION (object);

  g_free (self->server_url);
  g_free (self->token);
  g_free (self->journal_message);

  G_OBJECT_CLASS (aa_application_parent_class)->finalize (object);
}

static void
aa_application_class_init (AaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = aa_application_finalize;

  application_class->handle_local_options = aa_application_handle_local_options;
  application_class->startup = aa_application_startup;
  application_class->activate = aa_application_activate;
  application_class->shutdown = aa_application_shutdown;
}

static void
aa_application_init (AaApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server-url", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Use the backend at URL instead of the embedded demo server"), N_("URL") },
    { "token", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Bearer token for the backend given by --server-url"), N_("TOKEN") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Notes that save, delete and toggle over an unreliable network."));
}

AaApplication *
aa_application_new (void)
{
  return g_object_new (AA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/example/AsyncActions",
                       NULL);
}
