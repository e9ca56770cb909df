/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-preferences"

#include "config.h"

#include <gtk/gtk.h>

#include "aa-application.h"
#include "aa-error.h"
#include "aa-preferences-window-private.h"
#include "aa-ui-test-helpers.h"

/* GSETTINGS_BACKEND=memory: every test starts from the schema's defaults. */
static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static AaPreferencesWindow *
present_preferences (GSettings *settings)
{
  AaPreferencesWindow *window = AA_PREFERENCES_WINDOW (aa_preferences_window_new (settings));

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

static void
destroy_window (AaPreferencesWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  aa_ui_iterate_ms (20);
  g_assert_null (window);
}

static void
test_check_server_url (void)
{
  const char *valid[] = {
    "http://localhost:8080/api/v1",
    "https://notes.example.org/api/v1",
    "HTTP://127.0.0.1:1234",
  };
  const char *invalid[] = {
    "",
    "localhost:8080",
    "ftp://example.org",
    "http://",
    "http:///api/v1",
    "example.org/api/v1",
    "http://exa mple.org",
  };

  g_assert_false (aa_preferences_window_check_server_url (NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_true (aa_preferences_window_check_server_url (valid[i], &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++) {
    g_autoptr(GError) error = NULL;

    g_test_message ("“%s”", invalid[i]);
    g_assert_false (aa_preferences_window_check_server_url (invalid[i], &error));
    g_assert_error (error, AA_ERROR, AA_ERROR_VALIDATION);
    /* The message says what to type instead. */
    g_assert_nonnull (strstr (error->message, "http://"));
  }
}

static void
test_server_url (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaPreferencesWindow *window;
  GtkEntry *entry;
  GtkLabel *error;
  g_autofree char *stored = NULL;
  int position;

  g_settings_set_string (settings, "server-url", "http://127.0.0.1:9/api/v1");
  window = present_preferences (settings);
  entry = aa_preferences_window_get_server_url_entry (window);
  error = aa_preferences_window_get_server_url_error (window);

  /* It shows what is stored. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://127.0.0.1:9/api/v1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  /* A valid address is stored as typed, without surrounding spaces. */
  gtk_editable_set_text (GTK_EDITABLE (entry), " http://localhost:8080/api/v1 ");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  stored = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (stored, ==, "http://localhost:8080/api/v1");
  g_clear_pointer (&stored, g_free);

  /* One that cannot work is flagged at the field, and the last valid one
   * stays stored. */
  position = (int) g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
  gtk_editable_insert_text (GTK_EDITABLE (entry), " x", -1, &position);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_cmpstr (gtk_label_get_text (error), !=, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  stored = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (stored, ==, "http://localhost:8080/api/v1");
  g_clear_pointer (&stored, g_free);

  gtk_editable_set_text (GTK_EDITABLE (entry), "localhost:8080");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  stored = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (stored, !=, "localhost:8080");
  g_clear_pointer (&stored, g_free);

  /* Empty means the embedded server again. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  stored = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (stored, ==, "");

  destroy_window (window);
}

static void
test_toast_timeout (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaPreferencesWindow *window = present_preferences (settings);
  GtkSpinButton *spin = aa_preferences_window_get_toast_timeout (window);

  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 5);

  gtk_spin_button_set_value (spin, 12);
  g_assert_cmpuint (g_settings_get_uint (settings, "toast-timeout"), ==, 12);

  gtk_spin_button_set_value (spin, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "toast-timeout"), ==, 0);

  /* The field follows the setting, and keeps to the schema's range. */
  g_settings_set_uint (settings, "toast-timeout", 30);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 30);
  gtk_spin_button_set_value (spin, 600);
  g_assert_cmpuint (g_settings_get_uint (settings, "toast-timeout"), ==, 60);

  destroy_window (window);
}

static void
test_close (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaPreferencesWindow *window = present_preferences (settings);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  aa_ui_iterate_ms (20);
  g_assert_null (window);
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  return g_value_dup_string (&value);
}

/* The README's live demo: the server this copy uses, with its token, is
 * in Preferences with buttons that copy them; the token of another server
 * is a preference. */
static void
test_server_in_use (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaPreferencesWindow *window = present_preferences (settings);
  GtkWidget *widget = GTK_WIDGET (window);
  AdwActionRow *url_row = ADW_ACTION_ROW (gtk_widget_get_template_child (widget, AA_TYPE_PREFERENCES_WINDOW, "in_use_url_row"));
  AdwActionRow *token_row = ADW_ACTION_ROW (gtk_widget_get_template_child (widget, AA_TYPE_PREFERENCES_WINDOW, "in_use_token_row"));
  GtkWidget *copy_url = GTK_WIDGET (gtk_widget_get_template_child (widget, AA_TYPE_PREFERENCES_WINDOW, "copy_url_button"));
  GtkWidget *copy_token = GTK_WIDGET (gtk_widget_get_template_child (widget, AA_TYPE_PREFERENCES_WINDOW, "copy_token_button"));
  GtkWidget *token_entry = GTK_WIDGET (gtk_widget_get_template_child (widget, AA_TYPE_PREFERENCES_WINDOW, "token_entry"));
  g_autofree char *copied_url = NULL;
  g_autofree char *copied_token = NULL;
  g_autofree char *stored = NULL;

  aa_preferences_window_set_server_in_use (window, "http://127.0.0.1:4321/api/v1", "0123abcd");
  g_assert_cmpstr (adw_action_row_get_subtitle (url_row), ==, "http://127.0.0.1:4321/api/v1");
  g_assert_cmpstr (adw_action_row_get_subtitle (token_row), ==, "0123abcd");

  g_signal_emit_by_name (copy_url, "clicked");
  copied_url = clipboard_text (widget);
  g_assert_cmpstr (copied_url, ==, "http://127.0.0.1:4321/api/v1");
  g_signal_emit_by_name (copy_token, "clicked");
  copied_token = clipboard_text (widget);
  g_assert_cmpstr (copied_token, ==, "0123abcd");

  gtk_editable_set_text (GTK_EDITABLE (token_entry), "s3cret");
  stored = g_settings_get_string (settings, "token");
  g_assert_cmpstr (stored, ==, "s3cret");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A second copy started for another server opens its own window: it does
 * not hand its options to the copy already running (which ignored them
 * and exited 0). */
static void
test_server_url_runs_alone (void)
{
  g_autoptr(AaApplication) plain = aa_application_new ();
  g_autoptr(AaApplication) other = aa_application_new ();
  g_autoptr(GVariantDict) none = g_variant_dict_new (NULL);
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);

  g_assert_cmpint (G_APPLICATION_GET_CLASS (plain)->handle_local_options (G_APPLICATION (plain), none), ==, -1);
  g_assert_false (g_application_get_flags (G_APPLICATION (plain)) & G_APPLICATION_NON_UNIQUE);

  g_variant_dict_insert (options, "server-url", "s", "http://127.0.0.1:4321/api/v1");
  g_variant_dict_insert (options, "token", "s", "0123abcd");
  g_assert_cmpint (G_APPLICATION_GET_CLASS (other)->handle_local_options (G_APPLICATION (other), options), ==, -1);
  g_assert_true (g_application_get_flags (G_APPLICATION (other)) & G_APPLICATION_NON_UNIQUE);
}

typedef struct {
  gboolean quit_sent;
  gboolean forced;
} QuitAtStart;

static void
quit_on_activate_cb (GApplication *app,
                     QuitAtStart  *quit)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* The window waits for its notes before it is shown (at most 150 ms):
   * the quit comes in that moment, as a shell's or a session's can. */
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (window)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  quit->quit_sent = TRUE;
}

static gboolean
force_quit_cb (gpointer user_data)
{
  QuitAtStart *quit = user_data;

  quit->forced = TRUE;
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

/* A quit right after the start, before the window is shown, ends the app
 * (GTK closes only a realized window; the quit was once ignored). */
static void
test_quit_at_start (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start ("quit-token");
  g_autoptr(AaApplication) app = aa_application_new ();
  char *argv[] = { (char *) "async-actions", (char *) "--server-url", server->url,
                   (char *) "--token", (char *) "quit-token", NULL };
  QuitAtStart quit = { FALSE, FALSE };
  guint id;

  g_signal_connect_after (app, "activate", G_CALLBACK (quit_on_activate_cb), &quit);
  id = g_timeout_add (aa_test_scale_ms (20000), force_quit_cb, &quit);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv), ==, 0);
  if (!quit.forced)
    g_source_remove (id);

  g_assert_true (quit.quit_sent);
  g_assert_false (quit.forced);
}

/* The app binds its window to the settings: size, page and the toast
 * timeout come back at the next launch. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaWindow *window;
  GtkWidget *stack;
  g_autofree char *page = NULL;
  int width, height;

  g_settings_set_int (settings, "window-width", 1150);
  g_settings_set_int (settings, "window-height", 760);
  g_settings_set_string (settings, "last-page", "billing");
  aa_window_bind_settings (fixture->window, settings);

  stack = aa_window_get_stack (fixture->window);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 1150);
  g_assert_cmpint (height, ==, 760);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "billing");

  /* What the user leaves is saved when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1250, 800);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "team");
  aa_ui_iterate_ms (50);
  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_ui_iterate_ms (20);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1250);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 800);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (page, ==, "team");

  /* A page this version does not have is not restored. */
  window = aa_window_new (NULL, fixture->manager);
  g_object_ref_sink (window);
  g_settings_set_string (settings, "last-page", "no-such-page");
  aa_window_bind_settings (window, settings);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (aa_window_get_stack (window))), ==, "notes");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  aa_ui_fixture_free (fixture);
}

static AdwToast *
wait_new_toast (AaUiFixture *fixture,
                const char  *button_label)
{
  AdwToast *toast = aa_ui_fixture_wait_toast (fixture, button_label);

  g_assert_nonnull (toast);
  return toast;
}

static void
fail_star (AaUiFixture *fixture,
           AaItem      *item)
{
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
}

static void
test_toast_timeout_applies (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  AdwToast *toast;

  aa_window_bind_settings (fixture->window, settings);
  g_assert_cmpuint (aa_window_get_toast_timeout (fixture->window), ==, 5);

  /* A confirmation stays as long as the preference says. */
  g_settings_set_uint (settings, "toast-timeout", 3);
  g_assert_cmpuint (aa_window_get_toast_timeout (fixture->window), ==, 3);
  aa_action_manager_save_note (fixture->manager, item, "Timed", "");
  toast = wait_new_toast (fixture, NULL);
  g_assert_cmpstr (aa_ui_toast_title (toast), ==, "Saved");
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, 3);
  adw_toast_dismiss (toast);
  aa_ui_fixture_wait_idle (fixture);

  /* A failure with Retry stays long enough to use it. */
  fail_star (fixture, item);
  toast = wait_new_toast (fixture, "Retry");
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, 10);
  adw_toast_dismiss (toast);
  aa_ui_fixture_wait_idle (fixture);

  g_settings_set_uint (settings, "toast-timeout", 20);
  fail_star (fixture, item);
  toast = wait_new_toast (fixture, "Retry");
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, 20);
  adw_toast_dismiss (toast);
  aa_ui_fixture_wait_idle (fixture);

  /* 0 keeps every toast until dismissed. */
  g_settings_set_uint (settings, "toast-timeout", 0);
  fail_star (fixture, item);
  toast = wait_new_toast (fixture, "Retry");
  g_assert_cmpuint (adw_toast_get_timeout (toast), ==, 0);
  adw_toast_dismiss (toast);
  aa_ui_fixture_wait_idle (fixture);

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Preferences/check-server-url", test_check_server_url);
  g_test_add_func ("/Aa/Preferences/server-url", test_server_url);
  g_test_add_func ("/Aa/Preferences/toast-timeout", test_toast_timeout);
  g_test_add_func ("/Aa/Preferences/close", test_close);
  g_test_add_func ("/Aa/Preferences/server-in-use", test_server_in_use);
  g_test_add_func ("/Aa/Preferences/server-url-runs-alone", test_server_url_runs_alone);
  g_test_add_func ("/Aa/Application/quit-at-start", test_quit_at_start);
  g_test_add_func ("/Aa/Settings/window-state", test_window_state);
  g_test_add_func ("/Aa/Settings/toast-timeout", test_toast_timeout_applies);

  return g_test_run ();
}
