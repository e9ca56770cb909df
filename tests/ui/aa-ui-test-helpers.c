/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-ui-test"

#include "config.h"

#include <locale.h>

#include "aa-demo-control.h"
#include "aa-ui-test-helpers.h"
#include "aa-ui.h"

void
aa_ui_test_init (int    *argc,
                 char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  aa_ui_init ();
  aa_ui_load_style (gdk_display_get_default ());
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", g_getenv ("AA_TEST_ANIMATIONS") != NULL, NULL);
}

/* Compiles the locales the system has not generated into a directory of
 * the test's own, all before pointing LOCPATH there: glibc remembers a
 * locale it did not find under a path. */
char *
aa_ui_test_ensure_locales (const char * const *names)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  char *locale_dir;

  for (guint i = 0; names[i] != NULL; i++) {
    locale_t locale = newlocale (LC_ALL_MASK, names[i], (locale_t) 0);

    if (locale == (locale_t) 0)
      g_ptr_array_add (missing, (gpointer) names[i]);
    else
      freelocale (locale);
  }
  if (missing->len == 0)
    return NULL;

  locale_dir = g_dir_make_tmp ("aa-locales-XXXXXX", NULL);
  g_assert_nonnull (locale_dir);
  for (guint i = 0; i < missing->len; i++) {
    const char *name = g_ptr_array_index (missing, i);
    /* "de_DE.UTF-8": the source "de_DE", the charmap "UTF-8". */
    g_autofree char *source = g_strndup (name, strchr (name, '.') - name);
    g_autofree char *output = g_build_filename (locale_dir, name, NULL);
    const char *argv[] = { "localedef", "-i", source, "-f", "UTF-8", output, NULL };
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_printerr ("localedef %s: %s\n", name, err);
  }
  g_setenv ("LOCPATH", locale_dir, TRUE);

  return locale_dir;
}

void
aa_ui_test_remove_locales (const char *locale_dir)
{
  if (locale_dir != NULL)
    aa_test_remove_tree (locale_dir);
}

void
aa_ui_iterate_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end) {
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  }
}

static gboolean
loaded_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  GtkWidget *stack = aa_notes_page_get_state_stack (fixture->page);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "content") == 0;
}

AaUiFixture *
aa_ui_fixture_new (void)
{
  AaUiFixture *fixture = g_new0 (AaUiFixture, 1);

  fixture->server = aa_test_server_start (NULL);
  fixture->client = aa_rest_client_new (fixture->server->url);
  aa_rest_client_set_backend_features (fixture->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  fixture->manager = aa_action_manager_new (fixture->client);
  fixture->window = g_object_ref_sink (aa_window_new (NULL, fixture->manager));
  fixture->page = AA_NOTES_PAGE (aa_window_get_notes_page (fixture->window));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  /* As the app opens its window. */
  aa_window_present_when_ready (fixture->window);
  aa_test_wait_until (loaded_cb, fixture, 10000);
  aa_ui_iterate_ms (50);

  return fixture;
}

void
aa_ui_fixture_free (AaUiFixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  aa_ui_iterate_ms (20);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->client);
  aa_test_server_free (fixture->server);
  g_free (fixture);
}

typedef struct {
  gboolean done;
  GError  *error;
} Wait;

static gboolean
wait_done_cb (gpointer user_data)
{
  return ((Wait *) user_data)->done;
}

static void
set_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  aa_demo_control_set_faults_finish (AA_DEMO_CONTROL (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
connected_cb (gpointer user_data)
{
  return aa_action_manager_get_connection_state (user_data) == AA_CONNECTION_STATE_CONNECTED;
}

void
aa_ui_fixture_start_live (AaUiFixture *fixture)
{
  aa_action_manager_start_live (fixture->manager);
  aa_test_wait_until (connected_cb, fixture->manager, 10000);
}

void
aa_ui_fixture_set_faults (AaUiFixture *fixture,
                          const char  *faults_json)
{
  g_autoptr(AaDemoControl) control = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  node = json_from_string (faults_json, &error);
  g_assert_no_error (error);

  control = aa_demo_control_new (fixture->manager);
  aa_demo_control_set_faults_async (control, json_node_get_object (node), NULL,
                                    set_faults_cb, &wait);
  aa_test_wait_until (wait_done_cb, &wait, 10000);
  g_assert_no_error (wait.error);
}

AaItem *
aa_ui_fixture_get_item (AaUiFixture *fixture,
                        guint        position)
{
  return g_list_model_get_item (aa_action_manager_get_items (fixture->manager), position);
}

typedef struct {
  AaUiFixture *fixture;
  AaItem      *item;
  GtkWidget   *row;
  const char  *label;
  AdwToast    *toast;
} Find;

static gboolean
row_shown_cb (gpointer user_data)
{
  Find *find = user_data;

  find->row = aa_notes_page_find_row (find->fixture->page, find->item);
  return find->row != NULL && gtk_widget_get_mapped (find->row);
}

GtkWidget *
aa_ui_fixture_wait_row (AaUiFixture *fixture,
                        AaItem      *item)
{
  Find find = { fixture, item };

  aa_test_wait_until (row_shown_cb, &find, 5000);

  return find.row;
}

static gboolean
idle_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_engine_get_n_pending (aa_action_manager_get_engine (fixture->manager)) == 0;
}

void
aa_ui_fixture_wait_idle (AaUiFixture *fixture)
{
  aa_test_wait_until (idle_cb, fixture, 15000);
}

static gboolean
toast_shown_cb (gpointer user_data)
{
  Find *find = user_data;

  find->toast = aa_window_get_shown_toast (find->fixture->window);
  if (find->toast == NULL)
    return FALSE;

  return find->label == NULL || g_strcmp0 (adw_toast_get_button_label (find->toast), find->label) == 0;
}

AdwToast *
aa_ui_fixture_wait_toast (AaUiFixture *fixture,
                          const char  *button_label)
{
  Find find = { fixture, NULL, NULL, button_label };

  aa_test_wait_until (toast_shown_cb, &find, 15000);

  return find.toast;
}

GtkWidget *
aa_ui_find_widget (GtkWidget  *widget,
                   gboolean  (*match) (GtkWidget *widget,
                                       gpointer   data),
                   gpointer    data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = aa_ui_find_widget (child, match, data);

    if (found != NULL)
      return found;
  }

  return NULL;
}

static gboolean
is_labelled_button (GtkWidget *widget,
                    gpointer   label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

void
aa_ui_fixture_click_toast_button (AaUiFixture *fixture)
{
  AdwToast *toast = aa_window_get_shown_toast (fixture->window);
  GtkWidget *button;

  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  button = aa_ui_find_widget (aa_window_get_toast_overlay (fixture->window), is_labelled_button,
                              (gpointer) adw_toast_get_button_label (toast));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

void
aa_ui_fixture_dismiss_toasts (AaUiFixture *fixture)
{
  GPtrArray *toasts = aa_window_get_toasts (fixture->window);

  while (toasts->len > 0)
    adw_toast_dismiss (g_ptr_array_index (toasts, toasts->len - 1));
  aa_ui_iterate_ms (20);
}

const char *
aa_ui_toast_title (AdwToast *toast)
{
  char *text = NULL;

  g_assert_true (pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &text, NULL, NULL));
  g_object_set_data_full (G_OBJECT (toast), "aa-test-title", text, g_free);

  return text;
}

GtkWidget *
aa_ui_find_response_button (GtkWidget  *dialog,
                            const char *response)
{
  const char *label;

  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  label = adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), response);

  return aa_ui_find_widget (dialog, is_labelled_button, (gpointer) label);
}

void
aa_ui_respond (GtkWidget  *dialog,
               const char *response)
{
  GtkWidget *button = aa_ui_find_response_button (dialog, response);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

JsonObject *
aa_ui_fixture_get_server_item (AaUiFixture *fixture,
                               const char  *id,
                               guint       *out_status)
{
  g_autofree char *path = g_strconcat ("/items/", id, NULL);
  g_autoptr(JsonNode) node = NULL;

  node = aa_test_request (fixture->server, "GET", path, NULL, out_status, NULL, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

GdkTexture *
aa_ui_render (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (native));
  int height = gtk_widget_get_height (GTK_WIDGET (native));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
aa_ui_fixture_patch_elsewhere (AaUiFixture *fixture,
                               AaItem      *item,
                               const char  *body)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (item)));
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fixture->server->token);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (fixture->server, "PATCH", path, body, &status, NULL,
                          "Authorization", auth, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (status, ==, 200);
}

static gboolean
quit_dialog_shown_cb (gpointer user_data)
{
  GtkWidget *dialog = aa_window_get_quit_dialog (user_data);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

GtkWidget *
aa_ui_fixture_wait_quit_dialog (AaUiFixture *fixture)
{
  aa_test_wait_until (quit_dialog_shown_cb, fixture->window, 5000);

  return aa_window_get_quit_dialog (fixture->window);
}

static gboolean
closed_cb (gpointer user_data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (user_data)) && aa_window_get_quit_dialog (user_data) == NULL;
}

void
aa_ui_fixture_wait_closed (AaUiFixture *fixture)
{
  aa_test_wait_until (closed_cb, fixture->window, 5000);
}

typedef struct {
  AaItem     *item;
  const char *title;
} TitleIs;

static gboolean
title_is_cb (gpointer data)
{
  TitleIs *t = data;

  return g_strcmp0 (aa_item_get_title (t->item), t->title) == 0;
}

void
aa_ui_wait_item_title (AaItem     *item,
                       const char *title)
{
  TitleIs t = { item, title };

  aa_test_wait_until (title_is_cb, &t, 10000);
}
