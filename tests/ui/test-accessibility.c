/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-accessibility"

/*
 * Every control named: walks the widget tree of every page (a note open, a
 * trashed note, the pay form open, the team, the activity with a failed and
 * an undoable change, a toast on screen) and of the dialogs, and fails on
 * any interactive control whose accessible name is missing, is a type name,
 * or is a bare verb that does not say what it acts on ("Retry", "Undo").
 *
 * The name is what GTK 4.8 gives assistive technologies over AT-SPI (seen
 * with Accerciser's library, Atspi): the "label" property (a button's or a
 * check button's text sets it) followed by the labels that name the widget
 * (a mnemonic label, a button's own with an underscore among them): a
 * button named on purpose whose mnemonic label still names it is read
 * "Cancel Cancel". A tooltip is not a name, nor is a label packed inside a
 * button. A drop-down's focus is on its button, which is checked too.
 *
 * Besides controls, what a screen reader reads by itself is checked: an
 * alert, and a list's item that takes no focus (a row, the item shown in a
 * drop-down's button), which AT-SPI names by its type when it has no name.
 * What has the hidden state is not given to assistive technologies at
 * all, nor is anything inside it.
 */

#include "config.h"

#include <string.h>

#include "aa-invoice-row.h"
#include "aa-member-row.h"
#include "aa-note-editor-private.h"
#include "aa-offline-banner.h"
#include "aa-pages-test-helpers.h"
#include "aa-preferences-window.h"
#include "aa-quit-dialog.h"
#include "aa-team-page.h"
#include "aa-ui.h"

/* Verbs that need an object. */
static const char * const bare_verbs[] = {
  "Retry", "Undo", "Delete", "Restore", "Pay", "Star", "Unstar", "Change", "Remove", "OK",
};

/* A widget's tooltip, set in a template or by aa_ui_set_tooltip(). */
static const char *
tooltip (GtkWidget *widget)
{
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    return gtk_widget_get_tooltip_text (widget);
  return aa_ui_get_tooltip (widget) != NULL ? aa_ui_get_tooltip (widget) : "";
}

/* Controls, and what a screen reader stops on besides: a list's items
 * (GtkListView's GtkListItemWidget, a focusable GtkListBoxRow) and the
 * scroll panes, read as "scroll pane" when they have no name. */
static gboolean
is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SWITCH (widget) ||
         GTK_IS_SCALE (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_COMBO_BOX (widget) ||
         GTK_IS_SCROLLED_WINDOW (widget) ||
         (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkListItemWidget") && gtk_widget_get_focusable (widget)) ||
         (GTK_IS_LIST_BOX_ROW (widget) && gtk_widget_get_focusable (widget));
}

/* Read by itself without taking the focus. */
static gboolean
is_read_alone (GtkWidget *widget)
{
  return gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_ALERT ||
         g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkListItemWidget") || GTK_IS_LIST_BOX_ROW (widget);
}

/* AT-SPI leaves out what has the hidden state, with all it holds. */
static gboolean
is_hidden (GtkWidget *widget)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    return FALSE;

  differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  return differs == NULL;
}

/* Controls made of controls: the outer one is what is named. */
static gboolean
is_composite (GtkWidget *widget)
{
  return GTK_IS_MENU_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_COMBO_BOX (widget);
}

static char *
label_property (GtkWidget *widget)
{
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;

  /* GTK 4.8 has no getter: the check answers with the real value when it
   * is not the one asked for. */
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "\x01 no label is this");
  return value;
}

static void
collect_mnemonic_labels (GtkWidget  *widget,
                         GHashTable *named)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_mnemonic_widget (GTK_LABEL (widget)) != NULL)
    g_hash_table_insert (named, gtk_label_get_mnemonic_widget (GTK_LABEL (widget)),
                         (gpointer) gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonic_labels (child, named);
}

/* As GTK 4.8 computes it: the "label" property, then the labels in the
 * "labelled-by" relation (a mnemonic label sets it), each once. A button's
 * text counts because setting it sets the property; a label in a box
 * inside does not. */
static char *
accessible_name (GtkWidget  *widget,
                 GHashTable *mnemonic_labels)
{
  g_autofree char *name = label_property (widget);
  const char *text;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return g_steal_pointer (&name);

  text = g_hash_table_lookup (mnemonic_labels, widget);
  if (text == NULL)
    text = "(labelled by another widget)";
  /* GTK's own label for a button is its text as typed: "_Cancel" then
   * "Cancel", a name with an underscore either way. */
  if (name == NULL || g_str_equal (name, text))
    return g_strdup (text);

  return g_strdup_printf ("%s %s", name, text);
}

/* The nearest ancestor that says where a control is. */
static GType
where_type (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w)) {
    const char *name = G_OBJECT_TYPE_NAME (w);

    if (g_str_has_prefix (name, "Aa") || GTK_IS_HEADER_BAR (w) || ADW_IS_HEADER_BAR (w))
      return G_OBJECT_TYPE (w);
  }

  return GTK_TYPE_WIDGET;
}

/* "Pay…" is as bare as "Pay". */
static gboolean
is_bare_verb (const char *name)
{
  g_autofree char *verb = g_strdup (name);

  if (g_str_has_suffix (verb, "…"))
    verb[strlen (verb) - strlen ("…")] = '\0';
  else if (g_str_has_suffix (verb, "..."))
    verb[strlen (verb) - 3] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (bare_verbs); i++) {
    if (g_ascii_strcasecmp (verb, bare_verbs[i]) == 0)
      return TRUE;
  }

  return FALSE;
}

/* A mnemonic's underscore read aloud: "_Retry". */
static gboolean
has_mnemonic (const char *name)
{
  for (const char *p = strchr (name, '_'); p != NULL; p = strchr (p + 1, '_')) {
    if (g_unichar_isalnum (g_utf8_get_char (p + 1)) && (p == name || !g_ascii_isalnum (p[-1])))
      return TRUE;
  }

  return FALSE;
}

static char *
description_property (GtkWidget *widget)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
    return NULL;

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                             "\x01 no description is this");
}

/* What a screen reader says twice: the description repeating the name
 * ("Move to Trash Move to Trash"), or the name repeating itself ("Retry
 * Retry"). */
static gboolean
is_duplicated (GtkWidget  *widget,
               const char *name)
{
  g_autofree char *description = description_property (widget);
  gsize half = strlen (name) / 2;

  if (description != NULL && g_utf8_collate (description, name) == 0)
    return TRUE;

  return strlen (name) % 2 == 1 && name[half] == ' ' && strncmp (name, name + half + 1, half) == 0;
}

/* A dialog's buttons are read with the dialog, whose title names the
 * object ("Delete “Groceries”?"): there a verb alone is the convention. */
static gboolean
in_titled_dialog (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *title;

  if (!GTK_IS_WINDOW (root) || AA_IS_WINDOW (root))
    return FALSE;
  title = gtk_window_get_title (GTK_WINDOW (root));

  return title != NULL && *title != '\0';
}

static void
check_tree (GtkWidget  *widget,
            GHashTable *mnemonic_labels,
            GString    *failures,
            guint      *n_checked)
{
  if (!gtk_widget_get_visible (widget) || is_hidden (widget))
    return;

  if (is_interactive (widget) || is_read_alone (widget)) {
    g_autofree char *name = accessible_name (widget, mnemonic_labels);

    (*n_checked)++;
    if (name == NULL || *name == '\0' || g_str_has_prefix (name, "Gtk") || g_str_has_prefix (name, "Adw") ||
        has_mnemonic (name) || is_duplicated (widget, name) ||
        (is_bare_verb (name) && !in_titled_dialog (widget)))
      g_string_append_printf (failures, "  %s in %s in %s (tooltip “%s”): named “%s”\n",
                              G_OBJECT_TYPE_NAME (widget),
                              G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)),
                              G_OBJECT_TYPE_NAME (gtk_widget_get_ancestor (widget, where_type (widget))),
                              tooltip (widget),
                              name != NULL ? name : "(nothing)");
    if (is_composite (widget))
      return;
  }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, mnemonic_labels, failures, n_checked);
}

static void
assert_all_named (GtkWidget  *root,
                  const char *what)
{
  g_autoptr(GHashTable) mnemonic_labels = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n_checked = 0;

  collect_mnemonic_labels (root, mnemonic_labels);
  check_tree (root, mnemonic_labels, failures, &n_checked);
  g_test_message ("%s: %u controls named", what, n_checked);
  g_assert_cmpuint (n_checked, >, 0);
  if (failures->len > 0 && g_getenv ("AA_A11Y_LIST") != NULL)
    g_printerr ("%s:\n%s", what, failures->str);
  else if (failures->len > 0)
    g_error ("%s: controls without a name that says what they act on:\n%s", what, failures->str);
}

/* The first enabled drop-down under @widget: a member's role. */
static GtkWidget *
first_drop_down (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget) && gtk_widget_is_sensitive (widget) &&
      gtk_widget_get_ancestor (widget, AA_TYPE_MEMBER_ROW) != NULL)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = first_drop_down (child);

    if (found != NULL)
      return found;
  }

  return NULL;
}

/* Opens @drop_down's list and returns its popover, once on screen. */
static GtkWidget *
open_drop_down (GtkWidget *drop_down)
{
  GtkWidget *popover;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (aa_ui_get_drop_down_button (drop_down)), TRUE);
  for (popover = gtk_widget_get_first_child (drop_down); popover != NULL && !GTK_IS_POPOVER (popover);
       popover = gtk_widget_get_next_sibling (popover))
    ;
  g_assert_nonnull (popover);
  aa_pages_wait_mapped (popover);

  return popover;
}

static gboolean
offline_banner_shown_cb (gpointer user_data)
{
  return aa_offline_banner_get_revealed (user_data);
}

/* The window, every page shown in turn with its interesting states. */
static void
test_pages (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) other = NULL;
  GtkWidget *billing, *activity, *team, *role, *popover;
  g_autofree char *retry_name = NULL;
  AaMutation *star;
  AaInvoice *invoice;
  GtkWidget *row;

  /* Notes: a note open, its row on screen. */
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  aa_ui_fixture_wait_row (fixture, item);
  assert_all_named (GTK_WIDGET (fixture->window), "notes");

  /* Trash: a note in it, and the toast of its delete (with Undo). */
  other = aa_ui_fixture_get_item (fixture, 1);
  aa_action_manager_delete_note (fixture->manager, other);
  g_assert_nonnull (aa_ui_fixture_wait_toast (fixture, "Undo"));
  aa_pages_show (fixture, "trash");
  assert_all_named (GTK_WIDGET (fixture->window), "trash, with a toast");

  /* Billing: the pay form open. */
  billing = aa_pages_show (fixture, "billing");
  invoice = aa_pages_find_invoice (fixture, "");
  row = aa_billing_page_find_row (AA_BILLING_PAGE (billing), invoice);
  g_assert_nonnull (row);
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (AA_INVOICE_ROW (row)), "clicked");
  aa_ui_iterate_ms (50);
  g_assert_true (gtk_widget_get_visible (aa_invoice_row_get_submit_button (AA_INVOICE_ROW (row))));
  assert_all_named (GTK_WIDGET (fixture->window), "billing, the pay form open");

  team = aa_pages_show (fixture, "team");
  assert_all_named (GTK_WIDGET (fixture->window), "team");

  /* A role's choices, open: each named by the role it gives. */
  role = first_drop_down (team);
  g_assert_nonnull (role);
  popover = open_drop_down (role);
  assert_all_named (popover, "a role's choices");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Who is signed in, open: each named by whom it signs in as. */
  popover = open_drop_down (aa_team_page_get_signed_in_combo (AA_TEAM_PAGE (team)));
  assert_all_named (popover, "who is signed in");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* The demo's network conditions, open. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));
  aa_pages_wait_mapped (aa_window_get_network_popover (fixture->window));
  assert_all_named (aa_window_get_network_popover (fixture->window), "network conditions");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (aa_window_get_network_button (fixture->window)));

  /* Activity: a failed change (Retry) and an undoable one (Undo). */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  star = aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  aa_pages_wait_settled (star);
  aa_pages_dismiss_toasts (fixture);
  activity = aa_pages_show (fixture, "activity");
  assert_all_named (GTK_WIDGET (fixture->window), "activity");
  /* The change a Retry acts on is named in full. */
  row = aa_activity_page_find_row (AA_ACTIVITY_PAGE (activity), star);
  g_assert_nonnull (row);
  retry_name = g_strdup_printf ("Retry: %s", aa_mutation_get_label (star));
  gtk_test_accessible_assert_property (aa_activity_row_get_retry_button (AA_ACTIVITY_ROW (row)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, retry_name);

  /* Offline: the banner's alert is named by what it says. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  aa_test_wait_until (offline_banner_shown_cb, aa_window_get_offline_banner (fixture->window), 5000);
  assert_all_named (GTK_WIDGET (fixture->window), "offline");
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");

  aa_ui_fixture_free (fixture);
}

static gboolean
shown_cb (gpointer user_data)
{
  GtkWidget **widget = user_data;

  return *widget != NULL && gtk_widget_get_mapped (*widget);
}

static GtkWidget *
get_confirm_dialog (gpointer page)
{
  return aa_notes_page_get_confirm_dialog (page);
}

/* The dialogs: delete, quit, preferences. */
static void
test_dialogs (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *dialog = NULL;
  GtkWidget *preferences;

  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "delete", NULL);
  dialog = aa_notes_page_get_confirm_dialog (fixture->page);
  aa_test_wait_until (shown_cb, &dialog, 5000);
  assert_all_named (dialog, "delete dialog");
  aa_pages_answer_dialog (get_confirm_dialog, fixture->page, "cancel");

  gtk_editable_set_text (GTK_EDITABLE (aa_note_editor_get_title_entry (AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page)))),
                         "A draft");
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  aa_pages_wait_settled (aa_action_manager_set_done (fixture->manager, item, !aa_item_get_done (item)));
  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_window_get_quit_dialog (fixture->window);
  aa_test_wait_until (shown_cb, &dialog, 5000);
  assert_all_named (dialog, "quit dialog");
  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "cancel");

  preferences = aa_preferences_window_new (settings);
  gtk_window_present (GTK_WINDOW (preferences));
  aa_pages_wait_mapped (preferences);
  assert_all_named (preferences, "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));

  aa_ui_fixture_free (fixture);
}

/* Activates the window's own shortcut for @keyval, as a key press that
 * reached the window would. */
static gboolean
press_key_on_window (GtkWidget *window,
                     guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
    g_autoptr(GListModel) shortcuts = NULL;

    if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
      continue;
    shortcuts = g_object_ref (G_LIST_MODEL (controller));
    for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++) {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

      if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
          gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
          gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
        return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, window,
                                             gtk_shortcut_get_arguments (shortcut));
    }
  }

  return FALSE;
}

/* The header bar's New Note and Reload act on the page shown, named for it,
 * and are not there where they mean nothing; Escape dismisses the toast
 * with the focus in the header bar too. */
static void
test_header_and_escape (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *new_button = aa_window_get_new_button (fixture->window);
  GtkWidget *reload_button = aa_window_get_reload_button (fixture->window);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);

  g_assert_true (gtk_widget_get_visible (new_button));
  g_assert_true (gtk_widget_get_visible (reload_button));
  gtk_test_accessible_assert_property (reload_button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Reload Notes");

  aa_pages_show (fixture, "trash");
  g_assert_false (gtk_widget_get_visible (new_button));
  g_assert_true (gtk_widget_get_visible (reload_button));
  gtk_test_accessible_assert_property (reload_button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Reload Trash");

  aa_pages_show (fixture, "activity");
  g_assert_false (gtk_widget_get_visible (new_button));
  g_assert_false (gtk_widget_get_visible (reload_button));

  aa_pages_show (fixture, "trash");
  aa_action_manager_delete_note (fixture->manager, item);
  g_assert_nonnull (aa_ui_fixture_wait_toast (fixture, "Undo"));
  gtk_widget_grab_focus (reload_button);
  g_assert_true (gtk_widget_has_focus (reload_button));
  g_assert_true (press_key_on_window (GTK_WIDGET (fixture->window), GDK_KEY_Escape));
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  /* Without a toast, Escape goes on to whoever else wants it. */
  g_assert_false (press_key_on_window (GTK_WIDGET (fixture->window), GDK_KEY_Escape));

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Accessibility/pages", test_pages);
  g_test_add_func ("/Aa/Accessibility/dialogs", test_dialogs);
  g_test_add_func ("/Aa/Accessibility/header-and-escape", test_header_and_escape);

  return g_test_run ();
}
