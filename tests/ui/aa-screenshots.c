#define G_LOG_DOMAIN "aa-screenshots"

/*
 * Takes the README screenshots from the real app: a real window on the real
 * embedded server, driven through each flow with injected faults. Run under
 * a display of 1100x700, for example
 *
 *   xvfb-run -a -s '-screen 0 1100x700x24' _build/tests/ui/aa-screenshots data/screenshots
 *   GTK_THEME=Adwaita:dark xvfb-run ... aa-screenshots --dark data/screenshots
 *
 * Popovers are captured from the screen; a dialog, which needs a window
 * manager to be placed, is drawn centred over its window.
 */

#include "config.h"

#include <cairo.h>

#include "aa-confirm-dialog.h"
#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-ui-test-helpers.h"

static const char *out_dir;

static void
capture_screen (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autofree char *command = g_strdup_printf ("import -window root %s", path);
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Let the frame reach the X server. */
  aa_ui_iterate_ms (500);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) || status != 0)
    g_error ("Couldn't run “%s”: %s", command, error != NULL ? error->message : "failed");
  g_print ("%s\n", path);
}

static cairo_surface_t *
texture_to_surface (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* The window with a dialog over it, as a window manager would place it,
 * or with a popover where GTK placed it (without a compositor, X would draw
 * its shadow black). */
static void
capture_with (AaWindow   *window,
              GtkWidget  *other,
              gboolean    is_dialog,
              const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autoptr(GdkTexture) window_texture = NULL;
  g_autoptr(GdkTexture) dialog_texture = NULL;
  cairo_surface_t *window_surface, *dialog_surface, *out;
  cairo_t *cr;
  int width, height, x, y;

  aa_ui_iterate_ms (500);
  window_texture = aa_ui_render (GTK_WIDGET (window));
  dialog_texture = aa_ui_render (other);
  window_surface = texture_to_surface (window_texture);
  dialog_surface = texture_to_surface (dialog_texture);
  width = cairo_image_surface_get_width (window_surface);
  height = cairo_image_surface_get_height (window_surface);

  out = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (out);
  cairo_set_source_surface (cr, window_surface, 0, 0);
  cairo_paint (cr);
  if (is_dialog) {
    /* The parent dims while a modal dialog is up. */
    cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
    cairo_paint (cr);
    x = (width - cairo_image_surface_get_width (dialog_surface)) / 2;
    y = (height - cairo_image_surface_get_height (dialog_surface)) / 3;
    /* A soft shadow, as the compositor would draw. */
    for (int i = 8; i > 0; i--) {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.025);
      cairo_rectangle (cr, x - i, y - i + 3,
                       cairo_image_surface_get_width (dialog_surface) + 2 * i,
                       cairo_image_surface_get_height (dialog_surface) + 2 * i);
      cairo_fill (cr);
    }
  } else {
    GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (other));
    double window_x, window_y, other_x, other_y;

    gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
    gtk_native_get_surface_transform (GTK_NATIVE (other), &other_x, &other_y);
    x = gdk_popup_get_position_x (GDK_POPUP (surface)) + other_x - window_x;
    y = gdk_popup_get_position_y (GDK_POPUP (surface)) + other_y - window_y;
  }
  cairo_set_source_surface (cr, dialog_surface, x, y);
  cairo_paint (cr);
  cairo_destroy (cr);

  if (cairo_surface_write_to_png (out, path) != CAIRO_STATUS_SUCCESS)
    g_error ("Couldn't write %s", path);
  g_print ("%s\n", path);

  cairo_surface_destroy (out);
  cairo_surface_destroy (window_surface);
  cairo_surface_destroy (dialog_surface);
}

static void
wait_animations (void)
{
  aa_ui_iterate_ms (700);
}

static AaItem *
find_by_title (AaUiFixture *fixture,
               const char  *prefix)
{
  GListModel *items = aa_action_manager_get_items (fixture->manager);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (items, i);

    if (g_str_has_prefix (aa_item_get_title (item), prefix))
      return item;
  }

  return NULL;
}

static AaItem *
item_at (AaUiFixture *fixture,
         guint        position)
{
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, position);

  return item;
}

static AaNoteEditor *
select_position (AaUiFixture *fixture,
                 guint        position)
{
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), position);
  return AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
}

static gboolean
dialog_shown_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  GtkWidget *dialog = aa_notes_page_get_confirm_dialog (fixture->page);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static gboolean
banner_shown_cb (gpointer user_data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (aa_note_editor_get_conflict_banner (user_data)));
}

static gboolean
unsaved_cb (gpointer user_data)
{
  return aa_resource_get_sync_state (user_data) == AA_SYNC_STATE_UNSAVED;
}

static void
dismiss_toasts (AaUiFixture *fixture)
{
  AaToastOverlay *overlay = aa_window_get_toast_overlay (fixture->window);
  AaToast *toast;

  while ((toast = aa_toast_overlay_get_shown_toast (overlay)) != NULL)
    aa_toast_dismiss (toast);
  wait_animations ();
}

static void
light_flows (AaUiFixture *fixture)
{
  AaNoteEditor *editor;
  GtkWidget *row, *dialog, *entry;
  AaItem *item;

  /* The list, one note open. */
  editor = select_position (fixture, 1);
  capture_screen ("notes-list");

  /* Save in progress: the button is busy, the rest is usable. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 5000}");
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Plan the team offsite in Ghent and Bruges");
  gtk_widget_grab_focus (aa_note_editor_get_notes_view (editor));
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  capture_screen ("save-in-progress");
  aa_ui_fixture_wait_toast (fixture, NULL);
  wait_animations ();
  capture_screen ("saved-toast");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  dismiss_toasts (fixture);

  /* Delete: the dialog, then the toast with Undo. */
  item = item_at (fixture, 3);
  select_position (fixture, 3);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_delete_button (AA_ITEM_ROW (row)), "clicked");
  aa_test_wait_until (dialog_shown_cb, fixture, 5000);
  dialog = aa_notes_page_get_confirm_dialog (fixture->page);
  capture_with (fixture->window, dialog, TRUE, "delete-dialog");
  g_signal_emit_by_name (aa_confirm_dialog_get_response_button (AA_CONFIRM_DIALOG (dialog), "confirm"), "clicked");
  aa_ui_fixture_wait_toast (fixture, "Undo");
  wait_animations ();
  capture_screen ("toast-undo");
  aa_ui_fixture_wait_idle (fixture);
  dismiss_toasts (fixture);

  /* A star that the server refuses: rolled back, toast with Retry. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  item = find_by_title (fixture, "Winter tyres");
  if (item == NULL)
    item = item_at (fixture, 2);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_star_button (AA_ITEM_ROW (row)), "clicked");
  aa_ui_fixture_wait_toast (fixture, "Retry");
  wait_animations ();
  capture_screen ("failure-toast-retry");
  dismiss_toasts (fixture);

  /* A note created while offline: kept, marked, with Retry. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-note", NULL);
  editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  item = aa_note_editor_get_item (editor);
  aa_test_wait_until (unsaved_cb, item, 15000);
  gtk_widget_grab_focus (aa_notes_page_get_list_view (fixture->page));
  wait_animations ();
  capture_screen ("unsaved-row");
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  dismiss_toasts (fixture);

  /* A validation error stays in the editor. */
  editor = select_position (fixture, 2);
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  capture_screen ("validation-inline");

  /* A conflict: inline, offering the latest version, the text kept. */
  editor = select_position (fixture, 4);
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"conflict\"]}");
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Draft the release notes for 2.4");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_test_wait_until (banner_shown_cb, editor, 10000);
  capture_screen ("conflict-inline");

  /* The network conditions, with a fault queued. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 800, \"failure_rate\": 0.1, \"next\": [\"lost-response\"]}");
  gtk_menu_button_popup (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));
  capture_with (fixture->window, aa_window_get_network_popover (fixture->window), FALSE, "network-conditions");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));
}

static void
dark_flows (AaUiFixture *fixture)
{
  AaItem *item;
  GtkWidget *row, *dialog;

  select_position (fixture, 1);
  item = item_at (fixture, 3);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_delete_button (AA_ITEM_ROW (row)), "clicked");
  aa_test_wait_until (dialog_shown_cb, fixture, 5000);
  dialog = aa_notes_page_get_confirm_dialog (fixture->page);
  g_signal_emit_by_name (aa_confirm_dialog_get_response_button (AA_CONFIRM_DIALOG (dialog), "confirm"), "clicked");
  aa_ui_fixture_wait_toast (fixture, "Undo");
  wait_animations ();
  capture_screen ("dark");
}

int
main (int   argc,
      char *argv[])
{
  gboolean dark = FALSE;
  AaUiFixture *fixture;

  aa_ui_test_init (&argc, &argv);
  /* The toasts slide in; the screenshots wait for them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  if (argc > 1 && g_str_equal (argv[1], "--dark")) {
    dark = TRUE;
    argc--;
    argv++;
  }
  if (argc != 2) {
    g_printerr ("Usage: aa-screenshots [--dark] DIRECTORY\n");
    return 2;
  }
  out_dir = argv[1];
  g_mkdir_with_parents (out_dir, 0755);

  fixture = aa_ui_fixture_new ();
  gtk_window_maximize (GTK_WINDOW (fixture->window));
  aa_ui_iterate_ms (300);

  if (dark)
    dark_flows (fixture);
  else
    light_flows (fixture);

  aa_ui_fixture_free (fixture);

  return 0;
}
