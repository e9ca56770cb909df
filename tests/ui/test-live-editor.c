/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-live-editor"

#include "config.h"

#include "aa-note-editor-private.h"
#include "aa-ui-test-helpers.h"

/* A note open in the editor while it changes elsewhere (live updates): an
 * untouched field follows; typed text is never overwritten, the editor says
 * inline that the note changed, and the user keeps their changes (a save
 * then replaces their version) or discards them (with an Undo); saving
 * without choosing meets the usual conflict. */

typedef struct {
  AaItem     *item;
  const char *text;
} Expect;

static gboolean
notes_is (gpointer data)
{
  Expect *t = data;

  return g_strcmp0 (aa_item_get_notes (t->item), t->text) == 0;
}

static gboolean
mutation_settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

static void
test_changed_elsewhere (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  GtkWidget *banner = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR,
                                                                 "elsewhere_banner"));
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  Expect t = { item, NULL };
  AaMutation *save;

  aa_ui_fixture_start_live (fixture);
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  g_assert_true (aa_note_editor_get_item (editor) == item);

  /* Untouched, the fields follow a change made elsewhere, quietly. */
  t.text = "Renamed in another window";
  aa_ui_fixture_patch_elsewhere (fixture, item, "{\"title\": \"Renamed in another window\"}");
  aa_ui_wait_item_title (item, t.text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, t.text);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* A change elsewhere to a field the user did not type in follows,
   * and says nothing. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "My unsaved title");
  t.text = "Their notes";
  aa_ui_fixture_patch_elsewhere (fixture, item, "{\"notes\": \"Their notes\"}");
  aa_test_wait_until (notes_is, &t, 10000);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Typed text stays; the editor says the note changed elsewhere. */
  t.text = "Their title";
  aa_ui_fixture_patch_elsewhere (fixture, item, "{\"title\": \"Their title\"}");
  aa_ui_wait_item_title (item, t.text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "My unsaved title");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Saving without choosing meets the usual conflict rather than
   * overwriting their change: the conflict banner takes over. */
  save = aa_note_editor_save (editor);
  g_assert_nonnull (save);
  aa_test_wait_until (mutation_settled, save, 10000);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (aa_note_editor_get_conflict_banner (editor))));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "My unsaved title");

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

static GtkWidget *
editor_child (AaNoteEditor *editor,
              const char   *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR, name));
}

/* Discard My Changes on the live banner: their text at once, no dialog,
 * and an inline Undo (reachable by keyboard, named for the note) that
 * brings the typed text back, with the choice offered again. */
static void
test_discard_then_undo (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  GtkWidget *banner = editor_child (editor, "elsewhere_banner");
  GtkWidget *discarded = editor_child (editor, "discarded_banner");
  GtkWidget *undo = editor_child (editor, "undo_discard_button");
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autofree char *undo_name = NULL;

  aa_ui_fixture_start_live (fixture);
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "My unsaved title");
  aa_ui_fixture_patch_elsewhere (fixture, item, "{\"title\": \"Their title\"}");
  aa_ui_wait_item_title (item, "Their title");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Chosen from the keyboard: the focus is on the button, and lands on
   * Undo once the button is gone. */
  gtk_widget_grab_focus (editor_child (editor, "elsewhere_discard_button"));
  g_signal_emit_by_name (editor_child (editor, "elsewhere_discard_button"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Their title");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (discarded)));
  g_assert_true (gtk_widget_has_focus (undo));
  undo_name = g_strdup_printf ("Undo Discarding My Changes to “%s”", "Their title");
  gtk_test_accessible_assert_property (undo, GTK_ACCESSIBLE_PROPERTY_LABEL, undo_name);
  g_assert_null (aa_window_get_quit_dialog (fixture->window));

  g_signal_emit_by_name (undo, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "My unsaved title");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (discarded)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (gtk_widget_has_focus (editor_child (editor, "elsewhere_keep_button")));

  /* Typing after a discard ends its Undo: it would lose the new text. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.discard-mine", NULL);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (discarded)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Typed after discarding");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (discarded)));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.undo-discard", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Typed after discarding");

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

/* Keep My Changes: the banner goes, the text stays, and saving it replaces
 * their version on the server. */
static void
test_keep_then_save (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  GtkWidget *banner = editor_child (editor, "elsewhere_banner");
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(JsonObject) object = NULL;
  AaMutation *save;
  guint status = 0;

  aa_ui_fixture_start_live (fixture);
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Mine after all");
  aa_ui_fixture_patch_elsewhere (fixture, item, "{\"title\": \"Their title\"}");
  aa_ui_wait_item_title (item, "Their title");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  g_signal_emit_by_name (editor_child (editor, "elsewhere_keep_button"), "clicked");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Mine after all");

  save = aa_note_editor_save (editor);
  g_assert_nonnull (save);
  aa_test_wait_until (mutation_settled, save, 10000);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_SUCCEEDED);
  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Mine after all");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (aa_note_editor_get_conflict_banner (editor))));

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/LiveEditor/changed-elsewhere", test_changed_elsewhere);
  g_test_add_func ("/LiveEditor/discard-then-undo", test_discard_then_undo);
  g_test_add_func ("/LiveEditor/keep-then-save", test_keep_then_save);

  return g_test_run ();
}
