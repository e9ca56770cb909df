/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-startup"

/*
 * How the window opens (aa_window_present_when_ready(), as the app opens
 * it): with its notes when they come soon enough, never with a flash of
 * their spinner first; with the loading state when they are slow; with the
 * load's error when it failed; and with the focus on the notes.
 */

#include "config.h"

#include "aa-ui-test-helpers.h"

typedef struct {
  AaUiFixture *fixture;
  char        *state_when_shown;
} Startup;

/* Which state the notes page was in when the window was first shown. */
static void
window_shown_cb (GtkWidget *window,
                 Startup   *startup)
{
  GtkWidget *page = aa_window_get_notes_page (AA_WINDOW (window));
  GtkWidget *stack = aa_notes_page_get_state_stack (AA_NOTES_PAGE (page));

  if (startup->state_when_shown == NULL)
    startup->state_when_shown = g_strdup (gtk_stack_get_visible_child_name (GTK_STACK (stack)));
}

static gboolean
shown_cb (gpointer user_data)
{
  return ((Startup *) user_data)->state_when_shown != NULL;
}

/* Opens a window on @server (taken; NULL for none) or @url as the app
 * does, waiting at most @wait_ms for its notes, until it is shown. */
static void
startup_open (Startup      *startup,
              AaTestServer *server,
              const char   *url,
              guint         wait_ms)
{
  AaUiFixture *fixture = startup->fixture = g_new0 (AaUiFixture, 1);

  fixture->server = server;
  fixture->client = aa_rest_client_new (server != NULL ? server->url : url);
  aa_rest_client_set_backend_features (fixture->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  fixture->manager = aa_action_manager_new (fixture->client);
  fixture->window = g_object_ref_sink (aa_window_new (NULL, fixture->manager));
  fixture->page = AA_NOTES_PAGE (aa_window_get_notes_page (fixture->window));
  aa_window_set_ready_wait (fixture->window, wait_ms);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  g_signal_connect (fixture->window, "show", G_CALLBACK (window_shown_cb), startup);

  aa_window_present_when_ready (fixture->window);
  /* The notes cannot have come yet: nothing has been read. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_null (startup->state_when_shown);

  aa_test_wait_until (shown_cb, startup, 20000);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

static void
startup_clear (Startup *startup)
{
  g_clear_pointer (&startup->fixture, aa_ui_fixture_free);
  g_clear_pointer (&startup->state_when_shown, g_free);
}

static gboolean
list_has_focus_cb (gpointer user_data)
{
  AaUiFixture *fixture = ((Startup *) user_data)->fixture;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, aa_notes_page_get_list_view (fixture->page));
}

/* However long the first page takes, the window opens with it. */
static void
test_opens_with_notes (void)
{
  Startup startup = { 0 };

  startup_open (&startup, aa_test_server_start (NULL), NULL, G_MAXINT);
  g_assert_cmpstr (startup.state_when_shown, ==, "content");
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (startup.fixture->manager)), >, 0);

  /* The notes came before there was a window to focus them in. */
  aa_test_wait_until (list_has_focus_cb, &startup, 10000);

  startup_clear (&startup);
}

static gboolean
content_cb (gpointer user_data)
{
  AaUiFixture *fixture = ((Startup *) user_data)->fixture;
  GtkWidget *stack = aa_notes_page_get_state_stack (fixture->page);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "content") == 0;
}

/* A slow server does not keep the window away: it opens on the loading
 * state, which then gives way to the notes. */
static void
test_opens_loading_when_slow (void)
{
  Startup startup = { 0 };
  AaTestServer *server = aa_test_server_start (NULL);

  aa_test_set_faults (server, "{\"latency_ms\": 2000}");
  startup_open (&startup, server, NULL, 100);
  g_assert_cmpstr (startup.state_when_shown, ==, "loading");

  aa_test_wait_until (content_cb, &startup, 20000);

  startup_clear (&startup);
}

/* A load that failed opens the window at once, on its error and its next
 * step, without waiting for the time it would give the notes. */
static void
test_opens_on_error (void)
{
  Startup startup = { 0 };
  g_autofree char *url = aa_test_unreachable_url ();

  startup_open (&startup, NULL, url, G_MAXINT);
  g_assert_cmpstr (startup.state_when_shown, ==, "error");

  startup_clear (&startup);
}

static gboolean
error_cb (gpointer user_data)
{
  AaUiFixture *fixture = ((Startup *) user_data)->fixture;
  GtkWidget *stack = aa_notes_page_get_state_stack (fixture->page);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "error") == 0;
}

/* A refused token: no Retry can fix it, so the page offers Preferences,
 * where the token is set. */
static void
test_wrong_token (void)
{
  Startup startup = { 0 };
  GtkWidget *button;

  startup_open (&startup, aa_test_server_start ("the-right-token"), NULL, G_MAXINT);
  aa_test_wait_until (error_cb, &startup, 20000);
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (startup.fixture->page), AA_TYPE_NOTES_PAGE,
                                                      "error_retry_button"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.preferences");
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Open Preferences to Set the Token");

  startup_clear (&startup);
}

static double
luminance (GtkWidget *widget)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue;
}

/* The window follows the desktop's light or dark style (libadwaita's
 * style manager, which a desktop setting drives), not GTK_THEME alone. */
static void
test_follows_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *list = aa_notes_page_get_list_view (fixture->page);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  aa_ui_iterate_ms (50);
  g_assert_false (adw_style_manager_get_dark (style));
  g_assert_cmpfloat (luminance (list), <, 0.5);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_PREFER_DARK);
  aa_ui_iterate_ms (50);
  g_assert_true (adw_style_manager_get_dark (style));
  /* Light text on a dark window. */
  g_assert_cmpfloat (luminance (list), >, 0.5);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Startup/opens-with-notes", test_opens_with_notes);
  g_test_add_func ("/Aa/Startup/opens-loading-when-slow", test_opens_loading_when_slow);
  g_test_add_func ("/Aa/Startup/opens-on-error", test_opens_on_error);
  g_test_add_func ("/Aa/Startup/wrong-token", test_wrong_token);
  g_test_add_func ("/Aa/Startup/follows-dark", test_follows_dark);

  return g_test_run ();
}
