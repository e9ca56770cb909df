/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-drafts"

/* Nothing typed is lost: a note left with unsaved edits keeps them as a
 * draft, through another note, a refresh and a change on the server; an
 * invalid draft stays, flagged; closing the window names every draft. */

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-quit-dialog.h"
#include "aa-ui-test-helpers.h"

static AaNoteEditor *
editor_of (AaUiFixture *fixture)
{
  return AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
}

static void
select_note (AaUiFixture *fixture,
             AaItem      *item)
{
  GListModel *model = G_LIST_MODEL (aa_notes_page_get_selection (fixture->page));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) other = g_list_model_get_item (model, i);

    if (other == item) {
      gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), i);
      g_assert_true (aa_note_editor_get_item (editor_of (fixture)) == item);
      return;
    }
  }
  g_assert_not_reached ();
}

static const char *
title_field (AaUiFixture *fixture)
{
  return gtk_editable_get_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor_of (fixture))));
}

static char *
notes_field (AaUiFixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (aa_note_editor_get_notes_view (editor_of (fixture))));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
type_notes (AaUiFixture *fixture,
            const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (aa_note_editor_get_notes_view (editor_of (fixture))));

  gtk_text_buffer_set_text (buffer, text, -1);
}

static void
type_title (AaUiFixture *fixture,
            const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor_of (fixture))), text);
}

static gboolean
has_draft (GPtrArray *drafts,
           AaItem    *item)
{
  return g_ptr_array_find (drafts, item, NULL);
}

/* Selecting another note keeps what was typed; selecting it again puts it
 * back, and the other note shows its own text meanwhile. */
static void
test_switch_keeps_draft (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *a_title = g_strdup (aa_item_get_title (a));
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *notes = NULL;
  GtkWidget *draft_image;

  select_note (fixture, a);
  type_title (fixture, "Typed, not saved");
  type_notes (fixture, "Notes typed, not saved");

  select_note (fixture, b);
  g_assert_cmpstr (title_field (fixture), ==, aa_item_get_title (b));
  g_assert_true (aa_note_editor_has_draft (editor_of (fixture), a));
  /* Nothing went to the server, and the list shows the saved title. */
  g_assert_cmpstr (aa_item_get_title (a), ==, a_title);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (fixture->manager)), ==, 0);
  drafts = aa_notes_page_list_drafts (fixture->page);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_true (has_draft (drafts, a));
  /* Its row says so. */
  draft_image = aa_item_row_get_draft_image (AA_ITEM_ROW (aa_ui_fixture_wait_row (fixture, a)));
  g_assert_nonnull (draft_image);
  g_assert_true (gtk_widget_get_visible (draft_image));
  gtk_test_accessible_assert_property (draft_image, GTK_ACCESSIBLE_PROPERTY_LABEL, "Unsaved edits");

  select_note (fixture, a);
  g_assert_false (gtk_widget_get_visible (draft_image));
  g_assert_cmpstr (title_field (fixture), ==, "Typed, not saved");
  notes = notes_field (fixture);
  g_assert_cmpstr (notes, ==, "Notes typed, not saved");
  g_assert_false (gtk_widget_get_visible (aa_note_editor_get_title_error (editor_of (fixture))));

  aa_ui_fixture_free (fixture);
}

static gboolean
reloaded_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_test_count_requests (fixture->server, "GET", "/items") >= 2;
}

static gboolean
notes_are_cb (gpointer user_data)
{
  return g_strcmp0 (aa_item_get_notes (user_data), "Their notes") == 0;
}

/* A refresh that brings a change made elsewhere keeps the draft: the field
 * typed in stays as typed, the untouched one follows the server. */
static void
test_draft_survives_server_change (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *notes = NULL;
  GtkWidget *banner;
  guint status = 0;

  select_note (fixture, a);
  type_notes (fixture, "My notes, typed while someone renamed it");
  select_note (fixture, b);

  path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (a)));
  answer = aa_test_request (fixture->server, "PATCH", path, "{\"title\": \"Renamed elsewhere\"}",
                            &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "reload", NULL);
  aa_test_wait_until (reloaded_cb, fixture, 10000);
  aa_ui_iterate_ms (200);
  g_assert_cmpstr (aa_item_get_title (a), ==, "Renamed elsewhere");

  select_note (fixture, a);
  g_assert_cmpstr (title_field (fixture), ==, "Renamed elsewhere");
  notes = notes_field (fixture);
  g_assert_cmpstr (notes, ==, "My notes, typed while someone renamed it");
  /* The field typed in was not changed elsewhere: nothing to say, as for
   * an open note. */
  banner = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor_of (fixture)), AA_TYPE_NOTE_EDITOR,
                                                      "elsewhere_banner"));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* The field typed in, changed while the draft waited: said as for an
   * open note. */
  select_note (fixture, b);
  g_clear_pointer (&answer, json_node_unref);
  answer = aa_test_request (fixture->server, "PATCH", path, "{\"notes\": \"Their notes\"}",
                            &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "reload", NULL);
  aa_test_wait_until (notes_are_cb, a, 10000);
  select_note (fixture, a);
  g_clear_pointer (&notes, g_free);
  notes = notes_field (fixture);
  g_assert_cmpstr (notes, ==, "My notes, typed while someone renamed it");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  aa_ui_fixture_free (fixture);
}

/* An empty title is not a reason to drop a draft: it stays, flagged at
 * the field when the note is opened again. */
static void
test_invalid_draft_flagged (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  GtkWidget *error_label;

  select_note (fixture, a);
  type_title (fixture, "");
  type_notes (fixture, "Kept though the title is empty");
  select_note (fixture, b);
  g_assert_true (aa_note_editor_has_draft (editor_of (fixture), a));

  select_note (fixture, a);
  g_assert_cmpstr (title_field (fixture), ==, "");
  error_label = aa_note_editor_get_title_error (editor_of (fixture));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  gtk_test_accessible_assert_state (aa_note_editor_get_title_entry (editor_of (fixture)),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);

  aa_ui_fixture_free (fixture);
}

/* A saved draft is no draft: nothing is left to name when closing. */
static void
test_saved_draft_gone (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autoptr(GPtrArray) drafts = NULL;

  select_note (fixture, a);
  type_title (fixture, "Typed and saved");
  g_assert_nonnull (aa_note_editor_save (editor_of (fixture)));
  aa_ui_fixture_wait_idle (fixture);
  select_note (fixture, b);

  g_assert_false (aa_note_editor_has_draft (editor_of (fixture), a));
  drafts = aa_notes_page_list_drafts (fixture->page);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_assert_cmpstr (aa_item_get_title (a), ==, "Typed and saved");

  aa_ui_fixture_free (fixture);
}

static gboolean
list_names (GtkWidget  *list,
            const char *text)
{
  for (GtkWidget *line = gtk_widget_get_first_child (list); line != NULL; line = gtk_widget_get_next_sibling (line)) {
    if (ADW_IS_PREFERENCES_ROW (line) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line)), text) == 0)
      return TRUE;
  }

  return FALSE;
}

/* Closing the window (as quitting does) with drafts, nothing on its way:
 * the quit dialog names each note, does not close by itself, keeps the
 * drafts on "Keep Open", and loses them only on "Quit Anyway". */
static void
test_quit_names_drafts (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *a_line = NULL;
  g_autofree char *b_line = NULL;
  GtkWidget *dialog;
  GtkWidget *list;

  select_note (fixture, a);
  type_title (fixture, "Draft of the first note");
  select_note (fixture, b);
  type_notes (fixture, "Typed in the open note");
  a_line = g_strdup_printf ("Edits to “%s”", aa_item_get_title (a));
  b_line = g_strdup_printf ("Edits to “%s”", aa_item_get_title (b));

  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_ui_fixture_wait_quit_dialog (fixture);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "2 Notes Have Unsaved Edits");
  list = aa_quit_dialog_get_list (AA_QUIT_DIALOG (dialog));
  g_assert_true (list_names (list, a_line));
  g_assert_true (list_names (list, b_line));

  /* Nothing settles a draft but the user. */
  aa_ui_iterate_ms (300);
  g_assert_true (aa_window_get_quit_dialog (fixture->window) == dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));

  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "cancel");
  aa_ui_iterate_ms (50);
  g_assert_null (aa_window_get_quit_dialog (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
  g_assert_true (aa_note_editor_has_draft (editor_of (fixture), a));
  g_assert_cmpstr (title_field (fixture), ==, aa_item_get_title (b));

  /* The application's Quit closes its windows the same way. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_quit_dialog_response (AA_QUIT_DIALOG (aa_ui_fixture_wait_quit_dialog (fixture)), "quit");
  aa_ui_fixture_wait_closed (fixture);

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Drafts/switch-keeps-draft", test_switch_keeps_draft);
  g_test_add_func ("/Aa/Drafts/draft-survives-server-change", test_draft_survives_server_change);
  g_test_add_func ("/Aa/Drafts/invalid-draft-flagged", test_invalid_draft_flagged);
  g_test_add_func ("/Aa/Drafts/saved-draft-gone", test_saved_draft_gone);
  g_test_add_func ("/Aa/Drafts/quit-names-drafts", test_quit_names_drafts);

  return g_test_run ();
}
