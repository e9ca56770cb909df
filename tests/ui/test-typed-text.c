/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-typed-text"

/* Typed text is never discarded without an Undo, and never saved once
 * discarded: Discard My Changes (on the live banner or the conflict
 * banner) takes a failed save's Retry with it, from the toast, the
 * Activity page and the quit dialog alike. And "changed elsewhere" is
 * said only of another client's change, never of the user's own failed
 * save. The server's state is the proof. */

#include "config.h"

#include "aa-activity-row.h"
#include "aa-note-editor-private.h"
#include "aa-quit-dialog.h"
#include "aa-ui-test-helpers.h"

static GtkWidget *
editor_child (AaNoteEditor *editor,
              const char   *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR, name));
}

static gboolean
revealed (AaNoteEditor *editor,
          const char   *banner)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (editor_child (editor, banner)));
}

static gboolean
conflict_shown_cb (gpointer data)
{
  return revealed (data, "conflict_banner");
}

static gboolean
conflict_hidden_cb (gpointer data)
{
  return !revealed (data, "conflict_banner");
}

static AaNoteEditor *
open_note (AaUiFixture *fixture,
           guint        position)
{
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));

  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), position);
  return editor;
}

static void
type_title (AaNoteEditor *editor,
            const char   *text)
{
  gtk_editable_set_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor)), text);
}

static const char *
title_field (AaNoteEditor *editor)
{
  return gtk_editable_get_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor)));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Another client renames @item (the live updates, if started, tell). */
static void
patch_elsewhere (AaUiFixture *fixture,
                 AaItem      *item,
                 const char  *title)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);

  aa_ui_fixture_patch_elsewhere (fixture, item, body);
}

/* The same, waiting for the live updates to show it. */
static void
rename_elsewhere (AaUiFixture *fixture,
                  AaItem      *item,
                  const char  *title)
{
  patch_elsewhere (fixture, item, title);
  aa_ui_wait_item_title (item, title);
}

static char *
server_title (AaUiFixture *fixture,
              AaItem      *item)
{
  g_autoptr(JsonObject) object = NULL;
  guint status = 0;

  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);

  return g_strdup (json_object_get_string_member (object, "title"));
}

/* Saves what is typed and waits for the failure toast's Retry. */
static AaMutation *
save_fails (AaUiFixture  *fixture,
            AaNoteEditor *editor,
            AdwToast     **out_toast)
{
  AaMutation *save;
  AdwToast *toast;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  save = aa_note_editor_save (editor);
  g_assert_nonnull (save);
  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_ROLLED_BACK);
  if (out_toast != NULL)
    *out_toast = toast;

  return save;
}

/* A 500 to the user's own save (after an earlier save of the note, which
 * moved its version on) is a failure with a Retry, not a change made
 * elsewhere; Retry saves it and nothing is left to say. */
static void
test_own_failure_not_elsewhere (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor;
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *saved = NULL;
  AaMutation *save;

  aa_ui_fixture_start_live (fixture);
  editor = open_note (fixture, 1);
  type_title (editor, "Saved first");
  save = aa_note_editor_save (editor);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_SUCCEEDED);

  type_title (editor, "Typed during an outage");
  save_fails (fixture, editor, NULL);
  aa_ui_iterate_ms (200);
  g_assert_false (revealed (editor, "elsewhere_banner"));
  g_assert_false (revealed (editor, "conflict_banner"));
  g_assert_cmpstr (title_field (editor), ==, "Typed during an outage");

  aa_ui_fixture_click_toast_button (fixture);
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_iterate_ms (200);
  saved = server_title (fixture, item);
  g_assert_cmpstr (saved, ==, "Typed during an outage");
  g_assert_false (revealed (editor, "elsewhere_banner"));

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

/* A real change elsewhere, then the user's save fails: the banner says so
 * (rightly), and goes once the toast's Retry has saved the text. */
static void
test_banner_goes_after_retry (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor;
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autofree char *saved = NULL;

  aa_ui_fixture_start_live (fixture);
  editor = open_note (fixture, 0);
  type_title (editor, "Mine");
  rename_elsewhere (fixture, item, "Theirs");
  g_assert_true (revealed (editor, "elsewhere_banner"));

  save_fails (fixture, editor, NULL);
  g_assert_cmpstr (title_field (editor), ==, "Mine");
  g_assert_true (revealed (editor, "elsewhere_banner"));

  aa_ui_fixture_click_toast_button (fixture);
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_iterate_ms (200);
  saved = server_title (fixture, item);
  g_assert_cmpstr (saved, ==, "Mine");
  g_assert_false (revealed (editor, "elsewhere_banner"));
  g_assert_false (revealed (editor, "conflict_banner"));

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

static void
toast_dismissed_cb (AdwToast  *toast,
                    gboolean *dismissed)
{
  *dismissed = TRUE;
}

/* Shows the first change with feedback in @row, as the Activity page
 * would once it is bound. */
static void
set_row_mutation_cb (GtkWidget  *row,
                     AaFeedback *feedback)
{
  if (aa_activity_row_get_mutation (AA_ACTIVITY_ROW (row)) == NULL && aa_feedback_get_mutation (feedback) != NULL)
    aa_activity_row_set_mutation (AA_ACTIVITY_ROW (row), aa_feedback_get_mutation (feedback));
}

/* The user's save of @item fails (500), another client renames it, and the
 * user discards their text: returns the failed save. @dismissed, if given,
 * is set when the failure's toast goes. */
static AaMutation *
discard_after_failure (AaUiFixture   *fixture,
                       AaNoteEditor **out_editor,
                       AaItem        *item,
                       gboolean      *dismissed)
{
  AaNoteEditor *editor;
  AaMutation *save;
  AdwToast *toast;

  if (aa_action_manager_get_connection_state (fixture->manager) != AA_CONNECTION_STATE_CONNECTED)
    aa_ui_fixture_start_live (fixture);
  editor = open_note (fixture, 0);
  g_assert_true (aa_note_editor_get_item (editor) == item);
  type_title (editor, "Typed during an outage");
  save = save_fails (fixture, editor, &toast);
  if (dismissed != NULL)
    g_signal_connect (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), dismissed);
  rename_elsewhere (fixture, item, "Their title");
  g_assert_true (revealed (editor, "elsewhere_banner"));

  click (editor_child (editor, "elsewhere_discard_button"));
  g_assert_cmpstr (title_field (editor), ==, "Their title");
  g_assert_true (revealed (editor, "discarded_banner"));
  *out_editor = editor;

  return save;
}

/* A save failed (500), then the note changed elsewhere and the user
 * discarded their text: its Retry goes from the toast, the domain refuses
 * it, nothing counts as failed or unsaved, and the window closes without
 * asking. The server keeps their version. */
static void
test_discard_drops_failed_save (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor;
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *saved = NULL;
  GtkWidget *row = g_object_ref_sink (aa_activity_row_new (fixture->manager));
  gboolean dismissed = FALSE;
  AaMutation *save;

  /* The Activity page's row of the failed save, there all along. */
  aa_ui_fixture_start_live (fixture);
  g_signal_connect_swapped (aa_action_manager_get_engine (fixture->manager), "feedback", G_CALLBACK (set_row_mutation_cb), row);
  save = discard_after_failure (fixture, &editor, item, &dismissed);
  g_assert_true (aa_activity_row_get_mutation (AA_ACTIVITY_ROW (row)) == save);
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_retry_button (AA_ACTIVITY_ROW (row))));
  g_signal_handlers_disconnect_by_data (fixture->manager, row);
  g_object_unref (row);
  g_assert_true (dismissed);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (fixture->manager)), ==, 0);
  unsettled = aa_action_manager_list_unsettled (fixture->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);
  drafts = aa_notes_page_list_drafts (fixture->page);
  g_assert_cmpuint (drafts->len, ==, 0);

  /* A Retry offered before (the Activity page's, say) sends nothing. */
  g_assert_false (aa_action_manager_can_retry (fixture->manager, save));
  g_assert_false (aa_action_manager_retry (fixture->manager, save));
  aa_ui_fixture_wait_idle (fixture);

  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_ui_fixture_wait_closed (fixture);
  saved = server_title (fixture, item);
  g_assert_cmpstr (saved, ==, "Their title");

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

/* Undo brings the discarded text back as unsaved typing: the quit dialog
 * names it as a draft, and its Retry does not send the discarded save. */
static void
test_undo_then_quit_retry (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor;
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autofree char *saved = NULL;
  GtkWidget *dialog;

  discard_after_failure (fixture, &editor, item, NULL);
  click (editor_child (editor, "undo_discard_button"));
  g_assert_cmpstr (title_field (editor), ==, "Typed during an outage");
  g_assert_true (revealed (editor, "elsewhere_banner"));
  g_assert_false (revealed (editor, "discarded_banner"));

  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_ui_fixture_wait_quit_dialog (fixture);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "1 Note Has Unsaved Edits");
  g_assert_false (gtk_widget_get_visible (aa_quit_dialog_get_retry_button (AA_QUIT_DIALOG (dialog))));
  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "retry");
  aa_ui_fixture_wait_idle (fixture);
  saved = server_title (fixture, item);
  g_assert_cmpstr (saved, ==, "Their title");

  aa_quit_dialog_response (AA_QUIT_DIALOG (aa_window_get_quit_dialog (fixture->window)), "quit");
  aa_ui_fixture_wait_closed (fixture);

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

/* The conflict banner offers the same choices: Discard My Changes shows
 * the server's version with an Undo, Undo brings the text and the choice
 * back, and Keep My Changes lets the next save replace the server's
 * version. The app never heard of the change (no live updates): only the
 * server's If-Match check finds it. */
static void
test_conflict_discard_undo_keep (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_note (fixture, 2);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 2);
  g_autofree char *saved = NULL;
  g_autofree char *keep_name = NULL;
  AaMutation *save;

  patch_elsewhere (fixture, item, "Their title");
  type_title (editor, "My version");
  save = aa_note_editor_save (editor);
  aa_test_wait_until (conflict_shown_cb, editor, 10000);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_error (aa_mutation_get_error (save), AA_ERROR, AA_ERROR_CONFLICT);
  g_assert_false (revealed (editor, "elsewhere_banner"));
  keep_name = g_strdup_printf ("Keep My Changes to “%s”", aa_item_get_title (item));
  gtk_test_accessible_assert_property (editor_child (editor, "conflict_keep_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, keep_name);

  click (editor_child (editor, "conflict_discard_button"));
  aa_test_wait_until (conflict_hidden_cb, editor, 10000);
  g_assert_cmpstr (title_field (editor), ==, "Their title");
  g_assert_true (revealed (editor, "discarded_banner"));

  click (editor_child (editor, "undo_discard_button"));
  g_assert_cmpstr (title_field (editor), ==, "My version");
  g_assert_true (revealed (editor, "conflict_banner"));
  g_assert_false (revealed (editor, "discarded_banner"));

  /* Changed once more meanwhile: Keep My Changes bases the text on the
   * latest version, whichever it is. */
  patch_elsewhere (fixture, item, "Their second title");
  click (editor_child (editor, "conflict_keep_button"));
  aa_test_wait_until (conflict_hidden_cb, editor, 10000);
  g_assert_cmpstr (title_field (editor), ==, "My version");
  save = aa_note_editor_save (editor);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpint (aa_mutation_get_state (save), ==, AA_MUTATION_STATE_SUCCEEDED);
  saved = server_title (fixture, item);
  g_assert_cmpstr (saved, ==, "My version");

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/TypedText/own-failure-not-elsewhere", test_own_failure_not_elsewhere);
  g_test_add_func ("/Aa/TypedText/banner-goes-after-retry", test_banner_goes_after_retry);
  g_test_add_func ("/Aa/TypedText/discard-drops-failed-save", test_discard_drops_failed_save);
  g_test_add_func ("/Aa/TypedText/undo-then-quit-retry", test_undo_then_quit_retry);
  g_test_add_func ("/Aa/TypedText/conflict-discard-undo-keep", test_conflict_discard_undo_keep);

  return g_test_run ();
}
