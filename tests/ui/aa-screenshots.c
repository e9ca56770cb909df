/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-screenshots"

/*
 * Takes the README screenshots from the real app: a real window on the real
 * embedded server, driven through each flow with injected faults, then
 * made phone-sized (narrow-*.png). Run under a display of 1100x700, for
 * example
 *
 *   xvfb-run -a -s '-screen 0 1100x700x24' _build/tests/ui/aa-screenshots data/screenshots
 *   xvfb-run ... aa-screenshots --dark data/screenshots
 *
 * Popovers are captured from the screen; a dialog, which needs a window
 * manager to be placed, is drawn centred over its window.
 */

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-screenshot-helpers.h"

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

static gboolean
waiting_cb (gpointer user_data)
{
  return aa_resource_get_sync_state (user_data) == AA_SYNC_STATE_WAITING;
}

/* The demo's Offline condition, and a note starred meanwhile. */
static void
offline_star (AaUiFixture *fixture)
{
  AaItem *item = item_at (fixture, 1);
  GtkWidget *row = aa_ui_fixture_wait_row (fixture, item);

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  g_signal_emit_by_name (aa_item_row_get_star_button (AA_ITEM_ROW (row)), "clicked");
  aa_test_wait_until (waiting_cb, item, 15000);
  gtk_widget_grab_focus (aa_notes_page_get_list_view (fixture->page));
  aa_screenshots_wait_animations ();
}

static void
light_flows (AaUiFixture *fixture)
{
  AaNoteEditor *editor;
  GtkWidget *row, *dialog, *entry;
  AaItem *item;

  /* The list, one note open. */
  editor = select_position (fixture, 1);
  aa_screenshots_capture_screen ("notes-list");

  /* Save in progress: the button is busy, the rest is usable. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 5000}");
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Plan the team offsite in Ghent and Bruges");
  gtk_widget_grab_focus (aa_note_editor_get_notes_view (editor));
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_screenshots_capture_screen ("save-in-progress");
  aa_ui_fixture_wait_toast (fixture, NULL);
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen ("saved-toast");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_dismiss_toasts (fixture);

  /* Delete: the dialog, then the toast with Undo. */
  item = item_at (fixture, 3);
  select_position (fixture, 3);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_delete_button (AA_ITEM_ROW (row)), "clicked");
  aa_test_wait_until (dialog_shown_cb, fixture, 5000);
  dialog = aa_notes_page_get_confirm_dialog (fixture->page);
  aa_screenshots_capture_with (fixture->window, dialog, TRUE, "delete-dialog");
  aa_ui_respond (dialog, "confirm");
  aa_ui_fixture_wait_toast (fixture, g_dgettext (GETTEXT_PACKAGE, "Undo"));
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen ("toast-undo");
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_dismiss_toasts (fixture);

  /* A star that the server refuses: rolled back, toast with Retry. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  item = find_by_title (fixture, "Winter tyres");
  if (item == NULL)
    item = item_at (fixture, 2);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_star_button (AA_ITEM_ROW (row)), "clicked");
  aa_ui_fixture_wait_toast (fixture, g_dgettext (GETTEXT_PACKAGE, "Retry"));
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen ("failure-toast-retry");
  aa_screenshots_dismiss_toasts (fixture);

  /* A note the server refused to create: kept, marked, with Retry. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-note", NULL);
  editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  item = aa_note_editor_get_item (editor);
  aa_test_wait_until (unsaved_cb, item, 15000);
  gtk_widget_grab_focus (aa_notes_page_get_list_view (fixture->page));
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen ("unsaved-row");
  aa_screenshots_dismiss_toasts (fixture);

  /* Offline: said once at the top; a star made meanwhile stays, marked
   * as waiting to be sent. */
  offline_star (fixture);
  aa_screenshots_capture_screen ("offline");
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_dismiss_toasts (fixture);

  /* A validation error stays in the editor. */
  editor = select_position (fixture, 2);
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_screenshots_capture_screen ("validation-inline");

  /* A conflict: inline, offering the latest version, the text kept. */
  editor = select_position (fixture, 4);
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"conflict\"]}");
  entry = aa_note_editor_get_title_entry (editor);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Draft the release notes for 2.4");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_test_wait_until (banner_shown_cb, editor, 10000);
  aa_screenshots_capture_screen ("conflict-inline");

  /* The network conditions, with a fault queued. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 800, \"failure_rate\": 0.1, \"next\": [\"lost-response\"]}");
  gtk_menu_button_popup (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));
  aa_screenshots_capture_with (fixture->window, aa_window_get_network_popover (fixture->window), FALSE, "network-conditions");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));

  /* Drafts: the notes left with edits say so in the list (the conflicted
   * one), and the one opened again has its text back, an empty title
   * flagged at the field. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0, \"failure_rate\": 0, \"next\": []}");
  select_position (fixture, 2);
  aa_ui_iterate_ms (100);
  aa_screenshots_capture_screen ("drafts");
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
  aa_ui_respond (dialog, "confirm");
  aa_ui_fixture_wait_toast (fixture, g_dgettext (GETTEXT_PACKAGE, "Undo"));
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen ("dark");
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_dismiss_toasts (fixture);

  offline_star (fixture);
  aa_screenshots_capture_screen ("offline-dark");
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_ui_fixture_wait_idle (fixture);
}

static gboolean
load_failed_cb (gpointer user_data)
{
  GtkWidget *stack = aa_notes_page_get_state_stack (user_data);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "error") == 0;
}

/* No server at the address: the page says so, and offers Retry. */
static void
unreachable (void)
{
  /* Port 9 (discard) has nothing listening here. */
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");
  g_autoptr(AaActionManager) manager = aa_action_manager_new (client);
  AaWindow *window = g_object_ref_sink (aa_window_new (NULL, manager));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  aa_test_wait_until (load_failed_cb, aa_window_get_notes_page (window), 15000);
  aa_screenshots_capture_screen ("unreachable");
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
leaflet_still_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  GObject *leaflet = gtk_widget_get_template_child (GTK_WIDGET (fixture->page), AA_TYPE_NOTES_PAGE, "leaflet");

  return !adw_leaflet_get_child_transition_running (ADW_LEAFLET (leaflet));
}

/* Phone-sized: the list, a note on its own screen, the switcher at the
 * bottom. */
static void
narrow_flows (AaUiFixture *fixture,
              gboolean     dark)
{
  GtkWidget *list_view = aa_notes_page_get_list_view (fixture->page);

  aa_screenshots_dismiss_toasts (fixture);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (aa_window_get_stack (fixture->window)), "notes");
  aa_screenshots_make_narrow (fixture->window);
  select_position (fixture, 1);
  aa_notes_page_show_list (fixture->page);
  aa_screenshots_capture_window (fixture->window, dark ? "narrow-notes-dark" : "narrow-notes");

  g_signal_emit_by_name (list_view, "activate", 1);
  aa_test_wait_until (leaflet_still_cb, fixture, 5000);
  aa_screenshots_capture_window (fixture->window, dark ? "narrow-editor-dark" : "narrow-editor");
  aa_notes_page_show_list (fixture->page);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "billing");
  aa_ui_iterate_ms (1000);
  aa_screenshots_capture_window (fixture->window, dark ? "narrow-billing-dark" : "narrow-billing");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "team");
  aa_ui_iterate_ms (1000);
  aa_screenshots_capture_window (fixture->window, dark ? "narrow-team-dark" : "narrow-team");
}

int
main (int   argc,
      char *argv[])
{
  gboolean dark = aa_screenshots_init (&argc, &argv, "aa-screenshots");
  AaUiFixture *fixture;

  fixture = aa_ui_fixture_new ();
  gtk_window_maximize (GTK_WINDOW (fixture->window));
  aa_ui_iterate_ms (300);

  if (dark)
    dark_flows (fixture);
  else
    light_flows (fixture);
  narrow_flows (fixture, dark);

  aa_ui_fixture_free (fixture);

  if (!dark)
    unreachable ();

  return 0;
}
