/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-adaptive"

/*
 * The window from 360 px up, and the keyboard from the first key: the
 * folded layout, where focus goes at start, after a delete and after a page
 * switch, and each row's menu.
 */

#include "config.h"

#include "aa-connection-status.h"
#include "aa-offline-banner.h"
#include "aa-team-page.h"
#include "aa-member-row.h"

#include <libintl.h>
#include <locale.h>

#include "aa-activity-row.h"
#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-pages-test-helpers.h"
#include "aa-quit-dialog.h"
#include "aa-ui-test-helpers.h"

static gboolean
folded_is_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  gboolean want = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (fixture->window), "want-folded"));

  return aa_window_get_folded (fixture->window) == want;
}

static gboolean
width_is_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  int want = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (fixture->window), "want-width"));

  return gtk_widget_get_width (gtk_window_get_child (GTK_WINDOW (fixture->window))) <= want;
}

/* As a user drags the window's edge: the wide layout stops at its
 * minimum width, below the breakpoint, where the window folds; then the
 * folded one goes on down. */
static void
resize_and_wait (AaUiFixture *fixture,
                 int          width,
                 int          height,
                 gboolean     folded)
{
  g_object_set_data (G_OBJECT (fixture->window), "want-folded", GINT_TO_POINTER (folded));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  aa_test_wait_until (folded_is_cb, fixture, 5000);
  if (folded) {
    g_object_set_data (G_OBJECT (fixture->window), "want-width", GINT_TO_POINTER (width));
    /* Once the header has folded too (at idle), asked again: the same size
     * asked again is not asked at all, and the window would stay as wide
     * as the header needed before it folded. */
    aa_ui_iterate_ms (50);
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), width + 1, height);
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
    aa_test_wait_until (width_is_cb, fixture, 5000);
  }
  /* One more frame, laid out in the new mode. */
  aa_ui_iterate_ms (100);
}

static int
min_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The focus widget's row, when it is a row of the notes list. */
static AaItem *
focused_item (AaUiFixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  GtkWidget *list_view = aa_notes_page_get_list_view (fixture->page);
  GtkWidget *row;

  if (focus == NULL || gtk_widget_get_parent (focus) != list_view)
    return NULL;

  row = gtk_widget_get_first_child (focus);
  return AA_IS_ITEM_ROW (row) ? aa_item_row_get_item (AA_ITEM_ROW (row)) : NULL;
}

static gboolean
focus_on_item_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  AaItem *want = g_object_get_data (G_OBJECT (fixture->window), "want-focus");

  return focused_item (fixture) == want;
}

static void
wait_focus_on (AaUiFixture *fixture,
               AaItem      *item)
{
  g_object_set_data (G_OBJECT (fixture->window), "want-focus", item);
  aa_test_wait_until (focus_on_item_cb, fixture, 5000);
}

/* Wide, the window cannot be made narrower than where it folds, or it
 * would never fold; narrow, every page fits in 360 px. */
static gboolean
switcher_shown_cb (gpointer user_data)
{
  return !adw_view_switcher_title_get_title_visible (user_data);
}

static gboolean
bar_hidden_cb (gpointer user_data)
{
  return !adw_view_switcher_bar_get_reveal (user_data);
}

/* At 360 px a member's name wraps rather than lose its end ("Oluwaseun
 * …"): whose role it is must be read in full. */
static void
assert_names_whole (GtkWidget *team_page)
{
  GtkWidget *list_box = GTK_WIDGET (gtk_widget_get_template_child (team_page, AA_TYPE_TEAM_PAGE, "list_box"));
  guint n = 0;

  aa_ui_iterate_ms (50);
  for (GtkWidget *row = gtk_widget_get_first_child (list_box); row != NULL; row = gtk_widget_get_next_sibling (row)) {
    GtkWidget *name;

    if (!AA_IS_MEMBER_ROW (row))
      continue;
    name = GTK_WIDGET (gtk_widget_get_template_child (row, AA_TYPE_MEMBER_ROW, "name_label"));
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))));
    n++;
  }
  g_assert_cmpuint (n, >, 0);
}

static gboolean
offline_banner_shown_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_offline_banner_get_revealed (AA_OFFLINE_BANNER (aa_window_get_offline_banner (fixture->window)));
}

static void
test_fold (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  GtkWidget *stack = aa_window_get_stack (fixture->window);
  GtkWidget *header_bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), AA_TYPE_WINDOW, "header_bar"));
  AdwViewSwitcherTitle *switcher_title = ADW_VIEW_SWITCHER_TITLE (aa_window_get_switcher_title (fixture->window));
  AdwViewSwitcherBar *switcher_bar = ADW_VIEW_SWITCHER_BAR (aa_window_get_switcher_bar (fixture->window));
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (stack)));
  GtkWidget *editor = aa_notes_page_get_editor (fixture->page);
  GtkWidget *list_view = aa_notes_page_get_list_view (fixture->page);
  g_autoptr(AaItem) item = NULL;
  g_autofree char *layout = NULL;

  g_assert_false (aa_window_get_folded (fixture->window));
  g_assert_cmpint (min_width (content), <, 720);
  g_assert_cmpint (min_width (header_bar), <, 720);
  g_assert_true (gtk_widget_get_visible (list_view) && gtk_widget_get_mapped (list_view));
  g_assert_false (adw_view_switcher_bar_get_reveal (switcher_bar));
  g_assert_false (adw_view_switcher_title_get_title_visible (switcher_title));

  /* At phone width the window has its close button only, as GNOME and
   * Phosh lay it out (GTK's own default adds minimise and maximise). */
  g_object_get (gtk_settings_get_default (), "gtk-decoration-layout", &layout, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  resize_and_wait (fixture, 360, 640, TRUE);

  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  g_assert_cmpint (min_width (header_bar), <=, 360);
  /* Reload moved to the main menu. */
  g_assert_false (gtk_widget_get_visible (aa_window_get_reload_button (fixture->window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "reload-from-menu"));

  /* Each page with its content: notes in the trash, invoices, members,
   * and a change in the activity. */
  aa_pages_trash_notes (fixture, 1);
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++) {
    g_autoptr(GObject) object = g_list_model_get_item (pages, i);
    AdwViewStackPage *page = ADW_VIEW_STACK_PAGE (object);

    aa_pages_show (fixture, adw_view_stack_page_get_name (page));
    if (min_width (adw_view_stack_page_get_child (page)) > 360)
      g_error ("The page “%s” needs %d px", adw_view_stack_page_get_name (page),
               min_width (adw_view_stack_page_get_child (page)));
    if (g_str_equal (adw_view_stack_page_get_name (page), "team"))
      assert_names_whole (adw_view_stack_page_get_child (page));
  }
  g_assert_cmpint (min_width (content), <=, 360);

  /* Offline: the header says so and the banner is there, in 360 px too,
   * on each page. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  aa_test_wait_until (offline_banner_shown_cb, fixture, 5000);
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++) {
    g_autoptr(GObject) object = g_list_model_get_item (pages, i);

    aa_pages_show (fixture, adw_view_stack_page_get_name (ADW_VIEW_STACK_PAGE (object)));
    if (min_width (header_bar) > 360 || min_width (content) > 360)
      g_error ("Offline, on “%s”, the header needs %d px and the window %d px",
               adw_view_stack_page_get_name (ADW_VIEW_STACK_PAGE (object)), min_width (header_bar), min_width (content));
  }
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_pages_show (fixture, "notes");
  aa_ui_iterate_ms (50);

  /* The switcher moved to the bottom, the list is the one screen. */
  g_assert_true (adw_view_switcher_bar_get_reveal (switcher_bar));
  g_assert_true (adw_view_switcher_title_get_title_visible (switcher_title));
  g_assert_true (gtk_widget_get_mapped (list_view));
  g_assert_false (gtk_widget_get_mapped (editor));
  g_assert_false (gtk_widget_get_visible (aa_window_get_back_button (fixture->window)));

  /* Enter on a note opens its screen, with a way back. */
  item = aa_ui_fixture_get_item (fixture, 1);
  g_signal_emit_by_name (list_view, "activate", 1);
  aa_ui_iterate_ms (50);
  g_assert_true (aa_notes_page_get_editing (fixture->page));
  g_assert_true (gtk_widget_get_mapped (editor));
  g_assert_false (gtk_widget_get_mapped (list_view));
  g_assert_true (gtk_widget_get_visible (aa_window_get_back_button (fixture->window)));

  /* Its banners, all shown at once, fit too: their buttons wrap. */
  for (guint i = 0; i < 3; i++) {
    const char *banners[] = { "conflict_banner", "elsewhere_banner", "discarded_banner" };

    gtk_revealer_set_reveal_child (GTK_REVEALER (gtk_widget_get_template_child (editor, AA_TYPE_NOTE_EDITOR, banners[i])), TRUE);
  }
  g_assert_cmpint (min_width (content), <=, 360);
  for (guint i = 0; i < 3; i++) {
    const char *banners[] = { "conflict_banner", "elsewhere_banner", "discarded_banner" };

    gtk_revealer_set_reveal_child (GTK_REVEALER (gtk_widget_get_template_child (editor, AA_TYPE_NOTE_EDITOR, banners[i])), FALSE);
  }
  g_assert_false (adw_view_switcher_bar_get_reveal (switcher_bar));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), editor));
  /* In the title, with nothing selected that a key would replace. */
  g_assert_false (gtk_editable_get_selection_bounds (GTK_EDITABLE (aa_note_editor_get_title_entry (AA_NOTE_EDITOR (editor))),
                                                     NULL, NULL));

  /* Back: the list, on the same note. */
  g_signal_emit_by_name (aa_window_get_back_button (fixture->window), "clicked");
  g_assert_false (aa_notes_page_get_editing (fixture->page));
  wait_focus_on (fixture, item);
  g_assert_true (gtk_widget_get_mapped (list_view));

  /* Trash is a place under the list, and goes back to Notes. */
  g_signal_emit_by_name (aa_notes_page_get_trash_button (fixture->page), "clicked");
  g_assert_true (adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)) == aa_window_get_trash_page (fixture->window));
  g_assert_true (gtk_widget_get_visible (aa_window_get_back_button (fixture->window)));
  g_assert_false (adw_view_switcher_bar_get_reveal (switcher_bar));
  g_signal_emit_by_name (aa_window_get_back_button (fixture->window), "clicked");
  g_assert_true (adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)) == GTK_WIDGET (fixture->page));

  /* Wide again: both panes, the switcher back on top. */
  resize_and_wait (fixture, 1000, 700, FALSE);
  g_assert_true (gtk_widget_get_mapped (list_view));
  g_assert_true (gtk_widget_get_mapped (editor));
  g_assert_false (gtk_widget_get_visible (aa_window_get_back_button (fixture->window)));
  aa_test_wait_until (switcher_shown_cb, switcher_title, 5000);
  /* The bar follows once the header is laid out. */
  aa_test_wait_until (bar_hidden_cb, switcher_bar, 5000);
  g_assert_true (gtk_widget_get_visible (aa_window_get_reload_button (fixture->window)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "reload-from-menu"));

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", layout, NULL);
  aa_ui_fixture_free (fixture);
}

/* At start the focus is on the first note, and Tab from the header bar
 * comes back into the list. */
static void
test_initial_focus (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) first = aa_ui_fixture_get_item (fixture, 0);
  GtkWidget *header_bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), AA_TYPE_WINDOW, "header_bar"));
  GtkWidget *list_view = aa_notes_page_get_list_view (fixture->page);
  gboolean reached = FALSE;

  wait_focus_on (fixture, first);

  gtk_widget_child_focus (header_bar, GTK_DIR_TAB_FORWARD);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), header_bar));
  /* Tab, as the window's key binding does it. */
  for (guint i = 0; i < 12 && !reached; i++) {
    GtkWidget *focus;

    g_signal_emit_by_name (fixture->window, "move-focus", GTK_DIR_TAB_FORWARD);
    focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
    g_test_message ("Tab %u: %s", i, focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "(none)");
    reached = focus != NULL && gtk_widget_is_ancestor (focus, list_view);
  }
  g_assert_true (reached);
  g_assert_true (focused_item (fixture) == first);
  /* The focused row shows it. */
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (fixture->window)));

  /* Tab and Shift+Tab leave the list at once, with no note open as with
   * one: not row by row. */
  g_signal_emit_by_name (fixture->window, "move-focus", GTK_DIR_TAB_FORWARD);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), list_view));
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (fixture->window)));
  g_signal_emit_by_name (fixture->window, "move-focus", GTK_DIR_TAB_BACKWARD);
  g_assert_true (focused_item (fixture) == first);
  g_signal_emit_by_name (fixture->window, "move-focus", GTK_DIR_TAB_BACKWARD);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), list_view));
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (fixture->window)));

  aa_ui_fixture_free (fixture);
}

static gboolean
dialog_shown_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_notes_page_get_confirm_dialog (fixture->page) != NULL;
}

static void
confirm_delete (AaUiFixture *fixture)
{
  aa_test_wait_until (dialog_shown_cb, fixture, 5000);
  aa_ui_respond (aa_notes_page_get_confirm_dialog (fixture->page), "confirm");
}

/* After a delete the focus is on the note that took its place, even once
 * the toast is up. */
static void
test_delete_focus (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) deleted = aa_ui_fixture_get_item (fixture, 2);
  g_autoptr(AaItem) next = aa_ui_fixture_get_item (fixture, 3);
  GtkWidget *toast_overlay = GTK_WIDGET (aa_window_get_toast_overlay (fixture->window));

  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 2);
  aa_notes_page_focus_list (fixture->page);
  wait_focus_on (fixture, deleted);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete", NULL);
  confirm_delete (fixture);
  wait_focus_on (fixture, next);
  g_assert_true (gtk_single_selection_get_selected_item (aa_notes_page_get_selection (fixture->page)) == next);

  aa_ui_fixture_wait_toast (fixture, "Undo");
  aa_ui_iterate_ms (100);
  g_assert_true (focused_item (fixture) == next);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), toast_overlay) &&
                  !gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                           aa_window_get_stack (fixture->window)));
  aa_ui_fixture_wait_idle (fixture);

  /* The same from the editor, with the row's own button. */
  {
    GtkWidget *editor = aa_notes_page_get_editor (fixture->page);
    g_autoptr(AaItem) after = aa_ui_fixture_get_item (fixture, 3);
    GtkWidget *row = aa_ui_fixture_wait_row (fixture, next);

    gtk_widget_grab_focus (aa_note_editor_get_title_entry (AA_NOTE_EDITOR (editor)));
    g_signal_emit_by_name (aa_item_row_get_delete_button (AA_ITEM_ROW (row)), "clicked");
    confirm_delete (fixture);
    wait_focus_on (fixture, after);
    aa_ui_iterate_ms (100);
    g_assert_true (focused_item (fixture) == after);
  }

  aa_ui_fixture_free (fixture);
}

static gboolean
focus_in_cb (gpointer user_data)
{
  GtkWidget *page = user_data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (page));

  return focus != NULL && gtk_widget_is_ancestor (focus, page);
}

/* A page shown is a page to work in: the focus goes into it. */
static void
test_page_focus (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *team = aa_window_get_team_page (fixture->window);
  g_autoptr(AaItem) first = aa_ui_fixture_get_item (fixture, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "team");
  aa_test_wait_until (focus_in_cb, team, 10000);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "notes");
  wait_focus_on (fixture, first);

  aa_ui_fixture_free (fixture);
}

static gboolean
starred_cb (gpointer user_data)
{
  return aa_item_get_starred (AA_ITEM (user_data));
}

static gboolean
done_cb (gpointer user_data)
{
  return aa_item_get_done (AA_ITEM (user_data));
}

/* Shift+F10 (and the Menu key) open the focused row's menu: Star, Mark as
 * Done, Move to Trash. */
static void
test_row_menu (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = NULL;
  GtkWidget *list_view = aa_notes_page_get_list_view (fixture->page);
  GtkWidget *row, *popover;
  GMenuModel *model;
  GtkShortcutAction *menu_action = NULL;
  guint position = G_MAXUINT;
  g_autofree char *label = NULL;
  GListModel *controllers;

  /* A note neither starred nor done. */
  for (guint i = 0; position == G_MAXUINT; i++) {
    g_autoptr(AaItem) candidate = aa_ui_fixture_get_item (fixture, i);

    g_assert_nonnull (candidate);
    if (!aa_item_get_starred (candidate) && !aa_item_get_done (candidate)) {
      position = i;
      item = g_steal_pointer (&candidate);
    }
  }
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), position);
  aa_notes_page_focus_list (fixture->page);
  wait_focus_on (fixture, item);
  row = aa_ui_fixture_wait_row (fixture, item);

  /* The list's shortcut for the menu keys. */
  controllers = gtk_widget_observe_controllers (list_view);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && menu_action == NULL; i++) {
    g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

    if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
      continue;
    for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++) {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
      g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

      if (strstr (trigger, "<Shift>F10") != NULL && strstr (trigger, "Menu") != NULL)
        menu_action = gtk_shortcut_get_action (shortcut);
    }
  }
  g_object_unref (controllers);
  g_assert_nonnull (menu_action);
  g_assert_true (gtk_shortcut_action_activate (menu_action, 0, list_view, NULL));

  popover = aa_item_row_get_menu_popover (AA_ITEM_ROW (row));
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "_Star");
  g_clear_pointer (&label, g_free);
  g_assert_true (g_menu_model_get_item_attribute (model, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "Mark as _Done");
  gtk_popover_popdown (GTK_POPOVER (popover));

  gtk_widget_activate_action (row, "row.toggle-star", NULL);
  aa_test_wait_until (starred_cb, item, 5000);
  gtk_widget_activate_action (row, "row.toggle-done", NULL);
  aa_test_wait_until (done_cb, item, 5000);

  /* Now it offers the way back. */
  aa_item_row_popup_menu (AA_ITEM_ROW (row), 10, 10);
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_clear_pointer (&label, g_free);
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "Un_star");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* A right click opens the menu of the row under the pointer. */
  {
    g_autoptr(AaItem) other = aa_ui_fixture_get_item (fixture, position + 1);
    GtkWidget *other_row = aa_ui_fixture_wait_row (fixture, other);
    GListModel *row_controllers = gtk_widget_observe_controllers (other_row);
    gboolean clicked = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (row_controllers) && !clicked; i++) {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (row_controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY) {
        g_signal_emit_by_name (controller, "pressed", 1, 20.0, 10.0);
        clicked = TRUE;
      }
    }
    g_object_unref (row_controllers);
    g_assert_true (clicked);
    g_assert_nonnull (aa_item_row_get_menu_popover (AA_ITEM_ROW (other_row)));
    g_assert_true (gtk_widget_get_visible (aa_item_row_get_menu_popover (AA_ITEM_ROW (other_row))));
    gtk_popover_popdown (GTK_POPOVER (aa_item_row_get_menu_popover (AA_ITEM_ROW (other_row))));
  }

  /* Move to Trash asks first, as the button does. */
  gtk_widget_activate_action (row, "row.trash", NULL);
  confirm_delete (fixture);
  aa_ui_fixture_wait_toast (fixture, "Undo");
  g_assert_true (aa_item_get_trashed (item));
  aa_ui_fixture_wait_idle (fixture);

  aa_ui_fixture_free (fixture);
}

static GtkWidget *find_descendant (GtkWidget *widget,
                                   GType      type);

static AaActivityRow *
find_activity_row (GtkWidget  *widget,
                   AaMutation *mutation)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    AaActivityRow *found;

    if (AA_IS_ACTIVITY_ROW (child) && aa_activity_row_get_mutation (AA_ACTIVITY_ROW (child)) == mutation)
      return AA_ACTIVITY_ROW (child);
    found = find_activity_row (child, mutation);
    if (found != NULL)
      return found;
  }

  return NULL;
}

/* The Activity page says what happened plainly; the engine's words are in
 * the details, one click away. It lives in the main menu. */
static void
test_activity_plain (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  AaMutation *star, *failed;
  AaActivityRow *row;
  GtkWidget *page;
  gboolean starred = aa_item_get_starred (item);
  gboolean done = aa_item_get_done (item);

  star = aa_action_manager_set_starred (fixture->manager, item, !starred);
  aa_pages_wait_settled (star);
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  failed = aa_action_manager_set_done (fixture->manager, item, !done);
  aa_pages_wait_settled (failed);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "activity");
  page = aa_pages_show (fixture, "activity");
  g_assert_true (gtk_widget_get_visible (aa_window_get_back_button (fixture->window)));

  row = find_activity_row (page, star);
  g_assert_nonnull (row);
  /* The verb of the action, not "Saved" for everything. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_outcome_label (row))), ==,
                   starred ? "Unstarred" : "Starred");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_state_label (row))), ==, "Succeeded");
  g_assert_false (gtk_widget_get_mapped (aa_activity_row_get_details_label (row)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_details_label (row))), "Optimistic"));

  row = find_activity_row (page, failed);
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_outcome_label (row))), ==,
                   done ? "Couldn’t mark as not done" : "Couldn’t mark as done");
  g_assert_true (gtk_widget_has_css_class (aa_activity_row_get_outcome_label (row), "rolled-back"));

  aa_ui_fixture_free (fixture);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;
    found = find_descendant (child, type);
    if (found != NULL)
      return found;
  }

  return NULL;
}

/* The shortcuts window fits on one page: no page switcher at its foot. */
static void
test_shortcuts_one_page (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *overlay, *section, *pages;
  g_autoptr(GListModel) list = NULL;

  builder = gtk_builder_new_from_resource ("/org/example/AsyncActions/gtk/help-overlay.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_present (GTK_WINDOW (overlay));
  aa_ui_iterate_ms (100);

  section = find_descendant (overlay, GTK_TYPE_SHORTCUTS_SECTION);
  g_assert_nonnull (section);
  pages = find_descendant (section, GTK_TYPE_STACK);
  g_assert_nonnull (pages);
  list = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (pages)));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);

  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* The quit dialog is a dialog to assistive technologies, and staying is
 * its safe answer: Return and Escape keep the window open. */
static void
test_quit_dialog_safe (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaQuitDialog *dialog = aa_quit_dialog_new (fixture->manager);
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (dialog));

  g_assert_true (role == GTK_ACCESSIBLE_ROLE_DIALOG || role == GTK_ACCESSIBLE_ROLE_ALERT_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  gtk_window_destroy (GTK_WINDOW (dialog));
  aa_ui_fixture_free (fixture);
}

static gboolean
is_ellipsized_label (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

static gboolean
two_failed_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_engine_get_n_failed (aa_action_manager_get_engine (fixture->manager)) == 2;
}

/* gtk_test_init() leaves the locale alone: sets it as the app does. */
static void
set_up_language (void)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

  g_assert_nonnull (setlocale (LC_ALL, ""));
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Really in that language, money too ("1.840,00 €"). */
  if (g_str_equal (g_getenv ("LANGUAGE"), "de")) {
    g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Notes"), ==, "Notizen");
    g_assert_nonnull (setlocale (LC_MONETARY, "de_DE.UTF-8"));
  }
}

/* 360 px with a note open, with minimise and close buttons in the
 * header. */
static void
check_narrow_note (void)
{
  AaUiFixture *fixture;
  GtkWidget *content, *header_bar, *title;
  g_autoptr(AaItem) starred = NULL;

  set_up_language ();
  fixture = aa_ui_fixture_new ();
  content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  header_bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), AA_TYPE_WINDOW, "header_bar"));
  title = aa_window_get_switcher_title (fixture->window);

  /* The longest words the pages show: a note not saved yet in the list,
   * failed changes with their reasons in Activity (whose width counts
   * even while another page is shown). */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\", \"error-500\"]}");
  aa_action_manager_create_note (fixture->manager, "Untitled note", NULL);
  starred = g_list_model_get_item (aa_action_manager_get_items (fixture->manager), 1);
  aa_action_manager_set_starred (fixture->manager, starred, !aa_item_get_starred (starred));
  aa_test_wait_until (two_failed_cb, fixture, 10000);

  /* A window manager's title buttons, as GNOME lays them out. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:minimize,close", NULL);
  resize_and_wait (fixture, 360, 640, TRUE);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  /* The list: the title says what the app is, whole. */
  g_assert_null (aa_ui_find_widget (title, is_ellipsized_label, NULL));

  /* A note open, with its editor: still 360 px. */
  g_signal_emit_by_name (aa_notes_page_get_list_view (fixture->page), "activate", 0);
  aa_ui_iterate_ms (100);
  g_assert_true (aa_notes_page_get_editing (fixture->page));
  g_test_message ("narrow with a note open (%s): content %d px, header %d px", g_getenv ("LANGUAGE"),
                  min_width (content), min_width (header_bar));
  g_assert_cmpint (min_width (content), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  /* No title squeezed to a lone "…". */
  g_assert_null (aa_ui_find_widget (header_bar, is_ellipsized_label, NULL));

  aa_ui_fixture_free (fixture);
}

static gboolean
is_connection_status (GtkWidget *widget,
                      gpointer   data)
{
  return AA_IS_CONNECTION_STATUS (widget);
}

/* Offline at 360 px with every title button a window manager may show:
 * the header keeps its buttons, the title and the offline status, on each
 * page and with a note open. */
static void
check_narrow_offline (void)
{
  AaUiFixture *fixture;
  GtkWidget *content, *header_bar, *status;
  GtkWidget *stack;
  g_autoptr(GListModel) pages = NULL;

  set_up_language ();
  fixture = aa_ui_fixture_new ();
  content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  header_bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), AA_TYPE_WINDOW, "header_bar"));
  stack = aa_window_get_stack (fixture->window);
  pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (stack)));

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:minimize,maximize,close", NULL);
  resize_and_wait (fixture, 360, 640, TRUE);
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  aa_test_wait_until (offline_banner_shown_cb, fixture, 5000);

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++) {
    g_autoptr(GObject) object = g_list_model_get_item (pages, i);
    const char *name = adw_view_stack_page_get_name (ADW_VIEW_STACK_PAGE (object));

    aa_pages_show (fixture, name);
    g_test_message ("offline at 360 px on “%s” (%s): content %d px, header %d px", name,
                    g_getenv ("LANGUAGE"), min_width (content), min_width (header_bar));
    if (min_width (header_bar) > 360 || min_width (content) > 360)
      g_error ("Offline, on “%s”, the header needs %d px and the window %d px", name,
               min_width (header_bar), min_width (content));
  }

  aa_pages_show (fixture, "notes");
  /* Reload is in the main menu; the status is its icon, named. */
  g_assert_false (gtk_widget_get_visible (aa_window_get_reload_button (fixture->window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "reload-from-menu"));
  status = gtk_widget_get_first_child (aa_ui_find_widget (header_bar, is_connection_status, NULL));
  g_assert_true (gtk_widget_get_mapped (status));
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL, g_dgettext (GETTEXT_PACKAGE, "Offline"));

  g_signal_emit_by_name (aa_notes_page_get_list_view (fixture->page), "activate", 0);
  aa_ui_iterate_ms (100);
  g_assert_true (aa_notes_page_get_editing (fixture->page));
  g_assert_cmpint (min_width (content), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  g_assert_null (aa_ui_find_widget (header_bar, is_ellipsized_label, NULL));

  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_ui_fixture_free (fixture);
}

/* How many lines @label's text takes in @width px, as it would alone on its
 * line. */
static int
lines_at_width (GtkWidget *label,
                int        width)
{
  g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (label)));

  pango_layout_set_width (layout, width * PANGO_SCALE);
  return pango_layout_get_line_count (layout);
}

/* Each invoice's title, with the lines it takes now and the lines it would
 * take alone across the whole row. */
static void
assert_titles_whole (GtkWidget  *billing_page,
                     const char *layout_name,
                     gboolean    across)
{
  GtkWidget *list_box = GTK_WIDGET (gtk_widget_get_template_child (billing_page, AA_TYPE_BILLING_PAGE, "list_box"));
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list_box); row != NULL; row = gtk_widget_get_next_sibling (row)) {
    GtkWidget *title, *parts;
    int lines, alone;

    if (!AA_IS_INVOICE_ROW (row))
      continue;
    title = GTK_WIDGET (gtk_widget_get_template_child (row, AA_TYPE_INVOICE_ROW, "description_label"));
    parts = gtk_widget_get_first_child (row);
    lines = pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (title)));
    /* The row's width within its padding (pages.css). */
    alone = lines_at_width (title, gtk_widget_get_width (parts) - 24);
    g_test_message ("%s: “%s” in %d px, %d lines (alone in the row: %d)", layout_name,
                    gtk_label_get_text (GTK_LABEL (title)), gtk_widget_get_width (title), lines, alone);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
    if (across)
      g_assert_cmpint (lines, <=, alone);
    n++;
  }
  g_assert_cmpuint (n, >, 0);
}

static gboolean
invoice_busy_cb (gpointer user_data)
{
  return aa_resource_get_busy (AA_RESOURCE (user_data));
}

static gboolean
invoice_paid_cb (gpointer user_data)
{
  return aa_invoice_get_status (AA_INVOICE (user_data)) == AA_INVOICE_STATUS_PAID &&
         !aa_resource_get_busy (AA_RESOURCE (user_data));
}

static gboolean
focus_in_card_cb (gpointer user_data)
{
  GtkWidget *entry = aa_invoice_row_get_card_entry (user_data);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (entry));

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* Paying from the keyboard, wide or narrow: the same Pay button by the same
 * name, the form and its busy button within the window, the focus on the
 * button while it works and on the row once paid. */
static void
pay_by_keyboard (AaUiFixture *fixture,
                 GtkWidget   *page,
                 const char  *description,
                 gboolean     narrow,
                 gboolean     by_return)
{
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  AaInvoiceRow *row = aa_pages_invoice_row (fixture, page, description);
  AaInvoice *invoice = aa_invoice_row_get_invoice (row);
  GtkWidget *pay = aa_invoice_row_get_pay_button (row);
  g_autofree char *name = NULL;

  g_assert_true (aa_invoice_row_get_narrow (row) == narrow);
  name = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "toast button", "%s: %s"),
                          g_dgettext (GETTEXT_PACKAGE, "Pay"), aa_invoice_get_description (invoice));
  gtk_test_accessible_assert_property (pay, GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  /* Space or Return on the focused button: clicked once it is let go. */
  g_assert_true (gtk_widget_grab_focus (pay));
  g_signal_emit_by_name (pay, "activate");
  aa_test_wait_until (focus_in_card_cb, row, 5000);
  g_assert_cmpint (min_width (content), <=, narrow ? 360 : 720);

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300}");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (row)), "4242 4242 4242 4242");
  /* Return in the card field, or Tab to the form's Pay and Space. */
  if (by_return) {
    g_signal_emit_by_name (aa_invoice_row_get_card_entry (row), "activate");
  } else {
    g_assert_true (gtk_widget_grab_focus (aa_invoice_row_get_submit_button (row)));
    g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "activate");
  }
  aa_pages_answer_dialog (aa_pages_invoice_dialog, row, "confirm");
  aa_test_wait_until (invoice_busy_cb, invoice, 5000);
  /* Busy on the button itself, which has the focus. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_submit_label (row))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Paying…"));
  g_assert_true (gtk_widget_has_css_class (aa_invoice_row_get_submit_button (row), "busy"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == aa_invoice_row_get_submit_button (row));
  g_assert_cmpint (min_width (content), <=, narrow ? 360 : 720);

  aa_test_wait_until (invoice_paid_cb, invoice, 5000);
  aa_ui_iterate_ms (50);
  /* Paid: no Pay button left, the row keeps the focus. */
  g_assert_false (gtk_widget_get_visible (pay));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == GTK_WIDGET (row));
  g_assert_cmpint (min_width (content), <=, narrow ? 360 : 720);
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
}

/* The invoices at 360 px in the window's longest words: each title across
 * the row, not squeezed beside its amount and its Pay button into a column
 * of single words. Billing's width counts on every page once its invoices
 * are there: the window folds on Notes. */
static void
check_narrow_billing (void)
{
  AaUiFixture *fixture;
  GtkWidget *content, *page;

  set_up_language ();
  fixture = aa_ui_fixture_new ();
  content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  page = aa_pages_show (fixture, "billing");
  aa_pages_wait_state (aa_billing_page_get_load_state (AA_BILLING_PAGE (page)), "content");
  assert_titles_whole (page, "wide", FALSE);
  pay_by_keyboard (fixture, page, "Hosting and backups", FALSE, TRUE);
  g_test_message ("Billing (%s), wide: the window needs %d px", g_getenv ("LANGUAGE"), min_width (content));

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:minimize,maximize,close", NULL);
  aa_pages_show (fixture, "notes");
  resize_and_wait (fixture, 360, 640, TRUE);
  aa_pages_show (fixture, "billing");
  g_test_message ("Billing (%s), narrow: the window needs %d px", g_getenv ("LANGUAGE"), min_width (content));
  g_assert_cmpint (min_width (content), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  assert_titles_whole (page, "narrow", TRUE);
  pay_by_keyboard (fixture, page, "Design system workshop", TRUE, FALSE);

  aa_ui_fixture_free (fixture);
}

/* Team at a phone's width: the description above "Signed in as", across
 * the column, not squeezed beside it into a word or two a line. */
static void
check_narrow_team (void)
{
  AaUiFixture *fixture;
  GtkWidget *content, *page, *description;

  set_up_language ();
  fixture = aa_ui_fixture_new ();
  content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  page = aa_pages_show (fixture, "team");
  aa_pages_wait_state (aa_team_page_get_load_state (AA_TEAM_PAGE (page)), "content");
  description = aa_team_page_get_description (AA_TEAM_PAGE (page));
  g_assert_false (aa_team_page_get_folded (AA_TEAM_PAGE (page)));

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:minimize,maximize,close", NULL);
  resize_and_wait (fixture, 360, 640, TRUE);
  aa_ui_iterate_ms (50);
  g_test_message ("Team (%s), narrow: the window needs %d px, the description has %d px",
                  g_getenv ("LANGUAGE"), min_width (content), gtk_widget_get_width (description));
  g_assert_true (aa_team_page_get_folded (AA_TEAM_PAGE (page)));
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  /* The column is 360 px less the page's margins: most of it. */
  g_assert_cmpint (gtk_widget_get_width (description), >=, 280);

  aa_ui_fixture_free (fixture);
}

/* Made narrow while Billing is shown, the window folds as it does on Notes,
 * whose leaflet is not laid out meanwhile; and unfolds again. */
static void
test_fold_on_billing (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (fixture->window));
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoiceRow *row;
  g_autofree char *layout = NULL;

  aa_pages_wait_state (aa_billing_page_get_load_state (AA_BILLING_PAGE (page)), "content");
  row = aa_pages_invoice_row (fixture, page, "Design system workshop");
  g_object_get (gtk_settings_get_default (), "gtk-decoration-layout", &layout, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  resize_and_wait (fixture, 360, 640, TRUE);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  g_assert_true (aa_invoice_row_get_narrow (row));
  g_assert_false (gtk_widget_get_visible (aa_window_get_reload_button (fixture->window)));
  assert_titles_whole (page, "narrow", TRUE);

  /* Notes, then, as its leaflet lays it out: folded too. */
  aa_pages_show (fixture, "notes");
  g_assert_true (aa_window_get_folded (fixture->window));
  g_assert_true (aa_notes_page_get_folded (fixture->page));
  aa_pages_show (fixture, "billing");

  resize_and_wait (fixture, 1000, 700, FALSE);
  aa_ui_iterate_ms (50);
  g_assert_false (aa_invoice_row_get_narrow (row));
  g_assert_true (gtk_widget_get_visible (aa_window_get_reload_button (fixture->window)));

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", layout, NULL);
  aa_ui_fixture_free (fixture);
}

/* Each runs in a process of its own, in its language: English, and German
 * for its longer words. */
typedef struct {
  const char *language;
  void      (*check) (void);
} NarrowCase;

static const NarrowCase narrow_note_en = { "en", check_narrow_note };
static const NarrowCase narrow_note_de = { "de", check_narrow_note };
static const NarrowCase narrow_offline_en = { "en", check_narrow_offline };
static const NarrowCase narrow_offline_de = { "de", check_narrow_offline };
static const NarrowCase narrow_billing_en = { "en", check_narrow_billing };
static const NarrowCase narrow_billing_de = { "de", check_narrow_billing };
static const NarrowCase narrow_team_en = { "en", check_narrow_team };
static const NarrowCase narrow_team_de = { "de", check_narrow_team };

static void
test_narrow (gconstpointer data)
{
  const NarrowCase *narrow = data;

  if (g_test_subprocess ()) {
    narrow->check ();
    return;
  }

  g_setenv ("LANGUAGE", narrow->language, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  const char * const locales[] = { "de_DE.UTF-8", NULL };
  g_autofree char *locale_dir = aa_ui_test_ensure_locales (locales);
  int status;

  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Adaptive/fold", test_fold);
  g_test_add_func ("/Aa/Adaptive/fold-on-billing", test_fold_on_billing);
  g_test_add_data_func ("/Aa/Adaptive/narrow-note/en", &narrow_note_en, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-note/de", &narrow_note_de, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-offline/en", &narrow_offline_en, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-offline/de", &narrow_offline_de, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-billing/en", &narrow_billing_en, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-billing/de", &narrow_billing_de, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-team/en", &narrow_team_en, test_narrow);
  g_test_add_data_func ("/Aa/Adaptive/narrow-team/de", &narrow_team_de, test_narrow);
  g_test_add_func ("/Aa/Adaptive/initial-focus", test_initial_focus);
  g_test_add_func ("/Aa/Adaptive/delete-focus", test_delete_focus);
  g_test_add_func ("/Aa/Adaptive/page-focus", test_page_focus);
  g_test_add_func ("/Aa/Adaptive/row-menu", test_row_menu);
  g_test_add_func ("/Aa/Adaptive/shortcuts-one-page", test_shortcuts_one_page);
  g_test_add_func ("/Aa/Adaptive/activity-plain", test_activity_plain);
  g_test_add_func ("/Aa/Adaptive/quit-dialog-safe", test_quit_dialog_safe);

  status = g_test_run ();
  aa_ui_test_remove_locales (locale_dir);

  return status;
}
