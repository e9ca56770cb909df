#define G_LOG_DOMAIN "aa-test-live-editor"

#include "config.h"

#include "aa-note-editor-private.h"
#include "aa-ui-test-helpers.h"

/* A note open in the editor while it changes elsewhere (live updates): an
 * untouched field follows; typed text is never overwritten, the editor says
 * inline that the note changed, and the user keeps editing (a save then
 * meets the usual conflict) or takes their version. */

typedef struct {
  AaItem     *item;
  const char *title;
} TitleIs;

static gboolean
title_is (gpointer data)
{
  TitleIs *t = data;

  return g_strcmp0 (aa_item_get_title (t->item), t->title) == 0;
}

static gboolean
is_revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
mutation_settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

static void
change_elsewhere (AaUiFixture *fixture,
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

static void
test_changed_elsewhere (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  GtkWidget *banner = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR,
                                                                 "elsewhere_banner"));
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  TitleIs t = { item, NULL };
  AaMutation *save;

  aa_ui_fixture_start_live (fixture);
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  g_assert_true (aa_note_editor_get_item (editor) == item);

  /* Untouched, the fields follow a change made elsewhere, quietly. */
  t.title = "Renamed in another window";
  change_elsewhere (fixture, item, "{\"title\": \"Renamed in another window\"}");
  aa_test_wait_until (title_is, &t, 10000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, t.title);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Typed text stays; the editor says the note changed elsewhere. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "My unsaved title");
  t.title = "Their title";
  change_elsewhere (fixture, item, "{\"title\": \"Their title\"}");
  aa_test_wait_until (title_is, &t, 10000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "My unsaved title");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Show Their Version: their text in the fields, the banner gone. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.show-theirs", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Their title");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Keep Editing: the text stays, and saving it meets the usual conflict
   * rather than overwriting their change. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Mine after all");
  t.title = "Theirs again";
  change_elsewhere (fixture, item, "{\"title\": \"Theirs again\"}");
  aa_test_wait_until (is_revealed, banner, 10000);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.keep-editing", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Mine after all");

  save = aa_note_editor_save (editor);
  g_assert_nonnull (save);
  aa_test_wait_until (mutation_settled, save, 10000);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (aa_note_editor_get_conflict_banner (editor))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Mine after all");

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/LiveEditor/changed-elsewhere", test_changed_elsewhere);

  return g_test_run ();
}
