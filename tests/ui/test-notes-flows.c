/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-notes-flows"

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-pages-test-helpers.h"
#include "aa-ui-test-helpers.h"

typedef struct {
  AaItem   *item;
  gboolean  value;
} Expect;

static gboolean
starred_is_cb (gpointer user_data)
{
  Expect *expect = user_data;

  return aa_item_get_starred (expect->item) == expect->value;
}

static gboolean
server_starred (AaUiFixture *fixture,
                AaItem      *item)
{
  g_autoptr(JsonObject) object = NULL;
  guint status = 0;

  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);

  return json_object_get_boolean_member (object, "starred");
}

/* The star changes in the same frame as the click, rolls back when the
 * server fails, and the toast's Retry sends it again. */
static void
test_star_rollback (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  gboolean was = aa_item_get_starred (item);
  GtkWidget *row, *star;
  AdwToast *toast;
  Expect expect = { item, was };

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300, \"next\": [\"error-500\"]}");
  row = aa_ui_fixture_wait_row (fixture, item);
  star = aa_item_row_get_star_button (AA_ITEM_ROW (row));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) == was);

  g_signal_emit_by_name (star, "clicked");

  /* Before any answer: the row and the model have changed already. */
  g_assert_true (aa_item_get_starred (item) == !was);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) == !was);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (fixture->manager)), >, 0);
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, TRUE);

  /* The failure takes it back, and says so with Retry. */
  aa_test_wait_until (starred_is_cb, &expect, 10000);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) == was);
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), aa_item_get_title (item)));
  g_assert_true (server_starred (fixture, item) == was);

  aa_ui_fixture_click_toast_button (fixture);
  expect.value = !was;
  g_assert_true (aa_item_get_starred (item) == !was);
  aa_ui_fixture_wait_idle (fixture);
  aa_test_wait_until (starred_is_cb, &expect, 10000);
  g_assert_true (server_starred (fixture, item) == !was);

  aa_ui_fixture_free (fixture);
}

static gboolean
dialog_shown_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  GtkWidget *dialog = aa_notes_page_get_confirm_dialog (fixture->page);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static gboolean
in_list (AaUiFixture *fixture,
         AaItem      *item,
         guint       *out_position)
{
  GListModel *items = aa_action_manager_get_items (fixture->manager);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) other = g_list_model_get_item (items, i);

    if (other == item) {
      if (out_position != NULL)
        *out_position = i;
      return TRUE;
    }
  }

  return FALSE;
}

static gboolean
in_list_cb (gpointer user_data)
{
  Expect *expect = user_data;
  AaUiFixture *fixture = g_object_get_data (G_OBJECT (expect->item), "fixture");

  return in_list (fixture, expect->item, NULL) == expect->value;
}

/* Clicks the row's delete button and confirms in the dialog. */
static void
delete_through_dialog (AaUiFixture *fixture,
                       AaItem      *item)
{
  GtkWidget *row = aa_ui_fixture_wait_row (fixture, item);
  GtkWidget *dialog;
  GtkWidget *confirm;
  g_autofree char *quoted = g_strdup_printf ("“%s”", aa_item_get_title (item));

  g_signal_emit_by_name (aa_item_row_get_delete_button (AA_ITEM_ROW (row)), "clicked");
  aa_test_wait_until (dialog_shown_cb, fixture, 5000);
  dialog = aa_notes_page_get_confirm_dialog (fixture->page);

  /* The dialog names the note, and its button says what it does. */
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), quoted));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  confirm = aa_ui_find_response_button (dialog, "confirm");
  g_assert_true (gtk_widget_has_css_class (confirm, "destructive"));

  g_signal_emit_by_name (confirm, "clicked");
}

static void
test_delete_undo (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 2);
  g_autofree char *id = g_strdup (aa_resource_get_id (AA_RESOURCE (item)));
  Expect expect = { item, TRUE };
  AdwToast *toast;
  guint position = 0;
  guint status = 0;
  g_autoptr(JsonObject) object = NULL;

  g_object_set_data (G_OBJECT (item), "fixture", fixture);
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300}");
  delete_through_dialog (fixture, item);

  /* The row leaves as soon as the dialog has answered, before the server. */
  expect.value = FALSE;
  aa_test_wait_until (in_list_cb, &expect, 5000);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (fixture->manager)), >, 0);
  expect.value = TRUE;

  toast = aa_ui_fixture_wait_toast (fixture, "Undo");
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), aa_item_get_title (item)));
  aa_ui_fixture_wait_idle (fixture);
  g_clear_pointer (&object, json_object_unref);
  object = aa_ui_fixture_get_server_item (fixture, id, &status);
  g_assert_cmpuint (status, ==, 404);

  aa_ui_fixture_click_toast_button (fixture);
  aa_test_wait_until (in_list_cb, &expect, 5000);
  aa_ui_fixture_wait_idle (fixture);

  /* Back where it was, and on the server. */
  g_assert_true (in_list (fixture, item, &position));
  g_assert_cmpuint (position, ==, 2);
  g_clear_pointer (&object, json_object_unref);
  object = aa_ui_fixture_get_server_item (fixture, id, &status);
  g_assert_cmpuint (status, ==, 200);

  aa_ui_fixture_free (fixture);
}

static gboolean
save_done_cb (gpointer user_data)
{
  AaNoteEditor *editor = user_data;

  return gtk_widget_get_sensitive (aa_note_editor_get_save_button (editor)) ||
         !gtk_widget_get_visible (aa_note_editor_get_save_spinner (editor));
}

static AaNoteEditor *
open_editor (AaUiFixture *fixture,
             guint        position)
{
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, position);

  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), position);
  g_assert_true (aa_note_editor_get_item (editor) == item);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor))), ==,
                   aa_item_get_title (item));

  return editor;
}

static void
test_save (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_editor (fixture, 0);
  AaItem *item = aa_note_editor_get_item (editor);
  GtkWidget *save = aa_note_editor_get_save_button (editor);
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(JsonObject) object = NULL;
  AdwToast *toast;
  guint status = 0;

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 400}");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Water the plants on Sunday");
  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");

  /* Inline while it waits: busy and insensitive, the rest usable. */
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_true (gtk_widget_get_visible (aa_note_editor_get_save_spinner (editor)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_note_editor_get_save_label (editor))), ==, "Saving…");
  gtk_test_accessible_assert_state (save, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  g_assert_true (gtk_widget_is_sensitive (entry));
  g_assert_cmpstr (aa_item_get_title (item), ==, "Water the plants on Sunday");
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  /* One save, one spinner: the note's row beside the editor shows none. */
  {
    GtkWidget *row = aa_ui_fixture_wait_row (fixture, item);
    GtkWidget *spinner = aa_item_row_get_pending_spinner (AA_ITEM_ROW (row));

    g_assert_true (spinner == NULL || !gtk_widget_get_visible (spinner));
    gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  }

  /* Then the toast. */
  toast = aa_ui_fixture_wait_toast (fixture, NULL);
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), "Saved"));
  aa_test_wait_until (save_done_cb, editor, 5000);
  g_assert_false (gtk_widget_get_visible (aa_note_editor_get_save_spinner (editor)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_note_editor_get_save_label (editor))), ==, "Save");
  gtk_test_accessible_assert_state (save, GTK_ACCESSIBLE_STATE_BUSY, FALSE);

  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Water the plants on Sunday");

  aa_ui_fixture_free (fixture);
}

static void
test_validation_inline (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_editor (fixture, 1);
  AaItem *item = aa_note_editor_get_item (editor);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  GtkWidget *error = aa_note_editor_get_title_error (editor);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_ui_iterate_ms (300);

  /* Under the field, not in a toast; nothing changed anywhere. */
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), !=, "");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  g_assert_cmpstr (aa_item_get_title (item), ==, title);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Typing clears it. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "A");
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  aa_ui_fixture_free (fixture);
}

static void
test_undo_restore_fails_then_retry (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *id = g_strdup (aa_resource_get_id (AA_RESOURCE (item)));
  Expect gone = { item, FALSE };
  Expect back = { item, TRUE };
  g_autoptr(JsonObject) object = NULL;
  AdwToast *toast;
  guint status = 0;

  g_object_set_data (G_OBJECT (item), "fixture", fixture);
  delete_through_dialog (fixture, item);
  aa_ui_fixture_wait_toast (fixture, "Undo");
  aa_ui_fixture_wait_idle (fixture);

  /* The restore fails: the row goes again, and a toast offers Retry. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  aa_ui_fixture_click_toast_button (fixture);
  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), aa_item_get_title (item)));
  aa_test_wait_until (in_list_cb, &gone, 5000);
  object = aa_ui_fixture_get_server_item (fixture, id, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Retry restores it. */
  aa_ui_fixture_click_toast_button (fixture);
  aa_test_wait_until (in_list_cb, &back, 5000);
  aa_ui_fixture_wait_idle (fixture);
  g_clear_pointer (&object, json_object_unref);
  object = aa_ui_fixture_get_server_item (fixture, id, &status);
  g_assert_cmpuint (status, ==, 200);

  aa_ui_fixture_free (fixture);
}

static gboolean
banner_shown_cb (gpointer user_data)
{
  AaNoteEditor *editor = user_data;

  return gtk_revealer_get_reveal_child (GTK_REVEALER (aa_note_editor_get_conflict_banner (editor)));
}

static gboolean
banner_hidden_cb (gpointer user_data)
{
  return !banner_shown_cb (user_data);
}

static void
test_conflict_keeps_text (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_editor (fixture, 3);
  AaItem *item = aa_note_editor_get_item (editor);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"conflict\"]}");
  gtk_editable_set_text (GTK_EDITABLE (entry), "My version");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");
  aa_test_wait_until (banner_shown_cb, editor, 10000);
  aa_ui_fixture_wait_idle (fixture);

  /* Inline, with the typed text kept and the list back to the server's. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "My version");
  g_assert_cmpstr (aa_item_get_title (item), ==, title);

  /* Discard My Changes: the server's version in place of the text. */
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR,
                                                        "conflict_discard_button"),
                         "clicked");
  aa_test_wait_until (banner_hidden_cb, editor, 10000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, title);

  aa_ui_fixture_free (fixture);
}

static gboolean
sync_state_is_cb (gpointer user_data)
{
  Expect *expect = user_data;

  return aa_resource_get_sync_state (AA_RESOURCE (expect->item)) == (AaSyncState) expect->value;
}

static guint
count_on_server (AaUiFixture *fixture,
                 const char  *title)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  guint status = 0, count = 0;

  node = aa_test_request (fixture->server, "GET", "/items", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "title"), title) == 0)
      count++;
  }

  return count;
}

/* A create made while the server can't be reached stays, marked as
 * waiting to be sent (not "unsaved", no toast, nothing to retry), and is
 * sent by itself once the server is back: exactly one note. */
static void
test_create_offline_then_sent (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  g_autoptr(AaItem) first = NULL;
  GtkWidget *row, *entry;
  AaItem *item;
  Expect expect = { NULL, AA_SYNC_STATE_WAITING };

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "new-note"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "new-note", NULL);

  /* At once: at the top, open in the editor, its title ready to type over. */
  item = aa_note_editor_get_item (editor);
  g_assert_nonnull (item);
  first = aa_ui_fixture_get_item (fixture, 0);
  g_assert_true (first == item);
  entry = aa_note_editor_get_title_entry (editor);
  g_assert_true (gtk_widget_has_focus (gtk_widget_get_first_child (entry)) || gtk_widget_is_focus (entry) ||
                 gtk_widget_get_focus_child (entry) != NULL);

  /* Offline, it waits to be sent: never failed, no toast. */
  expect.item = item;
  aa_test_wait_until (sync_state_is_cb, &expect, 15000);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_assert_true (aa_item_row_get_unsaved_box (AA_ITEM_ROW (row)) == NULL ||
                 !gtk_widget_get_visible (aa_item_row_get_unsaved_box (AA_ITEM_ROW (row))));
  g_assert_true (gtk_widget_get_visible (aa_item_row_get_sync_image (AA_ITEM_ROW (row))));
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (fixture->manager)), ==, 0);

  /* Back: sent by itself, nothing to press. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  expect.value = AA_SYNC_STATE_SYNCED;
  aa_test_wait_until (sync_state_is_cb, &expect, 15000);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_false (gtk_widget_get_visible (aa_item_row_get_sync_image (AA_ITEM_ROW (row))));
  g_assert_cmpuint (count_on_server (fixture, aa_item_get_title (item)), ==, 1);

  aa_ui_fixture_free (fixture);
}

static void
note_unsaved_cb (AaItem     *item,
                 GParamSpec *pspec,
                 gboolean   *seen)
{
  if (aa_resource_get_sync_state (AA_RESOURCE (item)) == AA_SYNC_STATE_UNSAVED)
    *seen = TRUE;
}

/* A create whose response is lost was applied on the server: its outcome
 * is unknown, never "unsaved", and the engine resends it with the same
 * idempotency key by itself: still one note, no Retry to press. */
static void
test_create_lost_response_resolved (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  Expect expect = { NULL, AA_SYNC_STATE_SYNCED };
  gboolean unsaved = FALSE;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "new-note", NULL);
  expect.item = aa_note_editor_get_item (editor);
  g_signal_connect (expect.item, "notify::sync-state", G_CALLBACK (note_unsaved_cb), &unsaved);
  aa_test_wait_until (sync_state_is_cb, &expect, 15000);
  aa_ui_fixture_wait_idle (fixture);
  g_signal_handlers_disconnect_by_func (expect.item, note_unsaved_cb, &unsaved);

  g_assert_false (unsaved);
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  g_assert_cmpuint (count_on_server (fixture, aa_item_get_title (expect.item)), ==, 1);

  aa_ui_fixture_free (fixture);
}

/* Rapid clicks on a star: the row follows each click, and ends where the
 * server ends. */
static void
test_rapid_star_clicks (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 4);
  gboolean was = aa_item_get_starred (item);
  GtkWidget *row, *star;

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 200}");
  row = aa_ui_fixture_wait_row (fixture, item);
  star = aa_item_row_get_star_button (AA_ITEM_ROW (row));

  for (int i = 0; i < 5; i++) {
    g_signal_emit_by_name (star, "clicked");
    g_assert_true (aa_item_get_starred (item) == (i % 2 == 0 ? !was : was));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) == aa_item_get_starred (item));
    aa_ui_iterate_ms (30);
  }

  aa_ui_fixture_wait_idle (fixture);
  g_assert_true (aa_item_get_starred (item) == !was);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) == !was);
  g_assert_true (server_starred (fixture, item) == !was);
  g_assert_null (aa_window_get_shown_toast (fixture->window));

  aa_ui_fixture_free (fixture);
}

/* A save the server refuses: the list goes back, the typed text stays, a
 * toast offers Retry, and Retry saves it. */
static void
test_save_failure_then_retry (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_editor (fixture, 1);
  AaItem *item = aa_note_editor_get_item (editor);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);
  g_autoptr(JsonObject) object = NULL;
  AdwToast *toast;
  guint status = 0;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Typed during an outage");
  g_signal_emit_by_name (aa_note_editor_get_save_button (editor), "clicked");

  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), title));
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpstr (aa_item_get_title (item), ==, title);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Typed during an outage");
  g_assert_true (gtk_widget_is_sensitive (aa_note_editor_get_save_button (editor)));
  g_assert_false (gtk_widget_get_visible (aa_note_editor_get_title_error (editor)));

  aa_ui_fixture_click_toast_button (fixture);
  aa_ui_fixture_wait_toast (fixture, NULL);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpstr (aa_item_get_title (item), ==, "Typed during an outage");
  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Typed during an outage");

  aa_ui_fixture_free (fixture);
}

static gboolean
reloaded_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;

  return aa_test_count_requests (fixture->server, "GET", "/items") >= 2;
}

/* Reload (Ctrl+R) keeps the open note and what is typed in it. */
static void
test_reload_keeps_typing (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = open_editor (fixture, 2);
  AaItem *item = aa_note_editor_get_item (editor);
  GtkWidget *entry = aa_note_editor_get_title_entry (editor);

  gtk_editable_set_text (GTK_EDITABLE (entry), "Typed but not saved");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "reload", NULL);
  aa_test_wait_until (reloaded_cb, fixture, 10000);
  aa_ui_iterate_ms (200);

  g_assert_true (aa_note_editor_get_item (editor) == item);
  g_assert_true (gtk_single_selection_get_selected_item (aa_notes_page_get_selection (fixture->page)) == item);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Typed but not saved");

  aa_ui_fixture_free (fixture);
}

/* Ctrl+Z (win.undo) undoes the latest delete, outside text fields. */
static void
test_undo_shortcut (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  Expect gone = { item, FALSE };
  Expect back = { item, TRUE };

  g_object_set_data (G_OBJECT (item), "fixture", fixture);
  delete_through_dialog (fixture, item);
  aa_test_wait_until (in_list_cb, &gone, 5000);
  aa_ui_fixture_wait_idle (fixture);

  gtk_widget_grab_focus (aa_notes_page_get_list_view (fixture->page));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "undo", NULL);
  aa_test_wait_until (in_list_cb, &back, 5000);
  aa_ui_fixture_wait_idle (fixture);

  aa_ui_fixture_free (fixture);
}

static gboolean
is_retry_button (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "Retry") == 0;
}

/* A toast's Retry is reachable without a mouse: Tab gets there from the
 * list, however many notes there are. */
static void
test_toast_button_keyboard (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  GtkWidget *row, *button;
  GtkRoot *root = GTK_ROOT (fixture->window);
  gboolean reached = FALSE;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_star_button (AA_ITEM_ROW (row)), "clicked");
  aa_ui_fixture_wait_toast (fixture, "Retry");
  button = aa_ui_find_widget (aa_window_get_toast_overlay (fixture->window), is_retry_button, NULL);
  g_assert_nonnull (button);

  /* From the open note (the list's Tab leads there) onwards. */
  aa_note_editor_focus_title (open_editor (fixture, 0));
  for (guint i = 0; i < 40 && !reached; i++) {
    gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
    reached = gtk_root_get_focus (root) == button;
  }
  g_assert_true (reached);

  aa_ui_fixture_free (fixture);
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  builder = gtk_builder_new_from_resource ("/org/example/AsyncActions/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static gboolean
list_stack_shows_cb (gpointer user_data)
{
  GtkStack *stack = user_data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), g_object_get_data (G_OBJECT (stack), "want")) == 0;
}

static void
wait_list_stack (GtkWidget  *stack,
                 const char *name)
{
  g_object_set_data (G_OBJECT (stack), "want", (gpointer) name);
  aa_test_wait_until (list_stack_shows_cb, stack, 10000);
}

/* With every note in the Trash the list says so as the other pages do, in
 * a status page, narrow enough for the sidebar; its New Note makes one. */
static void
test_empty_list (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *stack = aa_notes_page_get_list_stack (fixture->page);
  GtkWidget *empty, *button;

  aa_pages_trash_notes (fixture, g_list_model_get_n_items (aa_action_manager_get_items (fixture->manager)));
  wait_list_stack (stack, "empty");

  empty = gtk_stack_get_visible_child (GTK_STACK (stack));
  g_assert_true (ADW_IS_STATUS_PAGE (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Notes");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)), ==, "Add one with New Note or Ctrl+N.");
  g_assert_nonnull (adw_status_page_get_icon_name (ADW_STATUS_PAGE (empty)));
  g_assert_true (gtk_widget_has_css_class (empty, "compact"));

  button = adw_status_page_get_child (ADW_STATUS_PAGE (empty));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "notes.new");
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "New Note");

  g_signal_emit_by_name (button, "clicked");
  wait_list_stack (stack, "list");
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (fixture->manager)), ==, 1);
  aa_ui_fixture_wait_idle (fixture);

  aa_ui_fixture_free (fixture);
}

static gboolean
degraded_is_cb (gpointer user_data)
{
  GtkWidget *popover = user_data;
  gboolean want = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (popover), "want-degraded"));
  gboolean degraded = FALSE;

  g_object_get (popover, "degraded", &degraded, NULL);
  return degraded == want;
}

/* The network button's "degraded" badge says a fault is waiting; once
 * the one-shot fault queued is used up by a change, it goes. */
static void
test_degraded_badge_goes (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *popover = aa_window_get_network_popover (fixture->window);
  GtkWidget *button = aa_window_get_network_button (fixture->window);
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  gtk_popover_popup (GTK_POPOVER (popover));
  g_object_set_data (G_OBJECT (popover), "want-degraded", GINT_TO_POINTER (TRUE));
  aa_test_wait_until (degraded_is_cb, popover, 10000);
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_true (gtk_widget_has_css_class (button, "degraded"));

  aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  g_object_set_data (G_OBJECT (popover), "want-degraded", GINT_TO_POINTER (FALSE));
  aa_test_wait_until (degraded_is_cb, popover, 10000);
  g_assert_false (gtk_widget_has_css_class (button, "degraded"));

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/NotesFlows/star-rollback", test_star_rollback);
  g_test_add_func ("/Aa/NotesFlows/delete-undo", test_delete_undo);
  g_test_add_func ("/Aa/NotesFlows/save", test_save);
  g_test_add_func ("/Aa/NotesFlows/validation-inline", test_validation_inline);
  g_test_add_func ("/Aa/NotesFlows/undo-restore-fails-then-retry", test_undo_restore_fails_then_retry);
  g_test_add_func ("/Aa/NotesFlows/conflict-keeps-text", test_conflict_keeps_text);
  g_test_add_func ("/Aa/NotesFlows/create-offline-waits", test_create_offline_then_sent);
  g_test_add_func ("/Aa/NotesFlows/create-lost-response-resent", test_create_lost_response_resolved);
  g_test_add_func ("/Aa/NotesFlows/rapid-star-clicks", test_rapid_star_clicks);
  g_test_add_func ("/Aa/NotesFlows/save-failure-then-retry", test_save_failure_then_retry);
  g_test_add_func ("/Aa/NotesFlows/reload-keeps-typing", test_reload_keeps_typing);
  g_test_add_func ("/Aa/NotesFlows/undo-shortcut", test_undo_shortcut);
  g_test_add_func ("/Aa/NotesFlows/toast-button-keyboard", test_toast_button_keyboard);
  g_test_add_func ("/Aa/NotesFlows/degraded-badge-goes", test_degraded_badge_goes);
  g_test_add_func ("/Aa/NotesFlows/help-overlay", test_help_overlay);
  g_test_add_func ("/Aa/NotesFlows/empty-list", test_empty_list);

  return g_test_run ();
}
