/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-page-screenshots"

/*
 * Takes the README screenshots of the Trash, Billing, Team and Activity
 * pages and of a quit that waits, from the real app on the real embedded
 * server. Run under a display of 1100x700, for example
 *
 *   xvfb-run -a -s '-screen 0 1100x700x24' _build/tests/ui/aa-page-screenshots data/screenshots
 *   xvfb-run ... aa-page-screenshots --dark /tmp/dark
 */

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-pages-test-helpers.h"
#include "aa-screenshot-helpers.h"

static GtkWidget *
trash_dialog (gpointer data)
{
  return aa_trash_page_get_confirm_dialog (data);
}

static GtkWidget *
invoice_dialog (gpointer data)
{
  return aa_invoice_row_get_confirm_dialog (data);
}

static gboolean
busy_cb (gpointer user_data)
{
  return aa_resource_get_busy (AA_RESOURCE (user_data));
}

static AaInvoiceRow *
invoice_row (AaUiFixture *fixture,
             GtkWidget   *page,
             const char  *prefix)
{
  AaInvoice *invoice = aa_pages_find_invoice (fixture, prefix);

  return AA_INVOICE_ROW (aa_billing_page_find_row (AA_BILLING_PAGE (page), invoice));
}

static void
pay (AaInvoiceRow *row,
     const char   *card)
{
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (row), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (row)), card);
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  aa_pages_answer_dialog (invoice_dialog, row, "confirm");
}

static void
trash (AaUiFixture *fixture,
       gboolean     dark)
{
  GtkWidget *page;

  aa_pages_trash_notes (fixture, 4);
  aa_screenshots_dismiss_toasts (fixture);
  page = aa_pages_show (fixture, "trash");
  aa_screenshots_capture_screen (dark ? "trash-dark" : "trash");

  /* Emptying, once confirmed: progress in place. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 3000}");
  gtk_widget_activate_action (page, "trash.empty", NULL);
  aa_pages_wait_mapped (trash_dialog (page));
  aa_pages_answer_dialog (trash_dialog, page, "confirm");
  aa_ui_iterate_ms (300);
  aa_screenshots_capture_screen (dark ? "trash-emptying-dark" : "trash-emptying");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_fixture_wait_toast (fixture, NULL);
  aa_screenshots_wait_animations ();
  aa_screenshots_dismiss_toasts (fixture);
}

static gboolean
unknown_cb (gpointer user_data)
{
  return aa_resource_get_sync_state (user_data) == AA_SYNC_STATE_UNKNOWN;
}

static void
billing (AaUiFixture *fixture,
         gboolean     dark)
{
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoiceRow *workshop = invoice_row (fixture, page, "Design system");
  AaInvoiceRow *hosting = invoice_row (fixture, page, "Hosting");

  /* A malformed number, flagged at the field as it is typed. */
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (hosting), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (hosting)), "4242 4242 42x");
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen (dark ? "billing-invalid-dark" : "billing-invalid");
  g_signal_emit_by_name (aa_invoice_row_get_cancel_button (hosting), "clicked");

  /* Declined: the message at the form, the number kept. */
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (workshop), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (workshop)), "4000 0000 0000 0002");
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (workshop), "clicked");
  aa_pages_wait_mapped (invoice_dialog (workshop));
  aa_pages_answer_dialog (invoice_dialog, workshop, "confirm");
  aa_pages_wait_label (aa_invoice_row_get_message_label (workshop),
                       g_dgettext (GETTEXT_PACKAGE, "Payment failed. Try another card."));
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen (dark ? "billing-declined-dark" : "billing-declined");
  g_signal_emit_by_name (aa_invoice_row_get_cancel_button (workshop), "clicked");

  /* Paying: the button busy, the rest usable. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 4000}");
  pay (hosting, "4242 4242 4242 4242");
  aa_test_wait_until (busy_cb, aa_invoice_row_get_invoice (hosting), 5000);
  aa_ui_iterate_ms (300);
  aa_screenshots_capture_screen (dark ? "billing-dark" : "billing");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_fixture_wait_toast (fixture, NULL);
  aa_screenshots_wait_animations ();
  aa_screenshots_dismiss_toasts (fixture);

  /* Charged, the answer lost: not confirmed yet, being checked (slowly,
   * for the picture), never "Couldn't pay"; then Paid by itself. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  pay (workshop, "4242 4242 4242 4242");
  aa_test_wait_until (unknown_cb, aa_invoice_row_get_invoice (workshop), 5000);
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 4000}");
  aa_ui_iterate_ms (300);
  aa_screenshots_capture_screen (dark ? "billing-unconfirmed-dark" : "billing-unconfirmed");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_iterate_ms (300);
  aa_screenshots_dismiss_toasts (fixture);
}

static void
team (AaUiFixture *fixture,
      gboolean     dark)
{
  GtkWidget *page = aa_pages_show (fixture, "team");
  AaMember *aiko = aa_pages_find_member (fixture, "Aiko Tanaka");
  AaMember *seun = aa_pages_find_member (fixture, "Oluwaseun Adeyemi");
  AaMemberRow *row;

  /* The signed-in admin tries to make an owner: refused, said inline. */
  row = AA_MEMBER_ROW (aa_team_page_find_row (AA_TEAM_PAGE (page), aiko));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (aa_member_row_get_role_dropdown (row)),
                              aa_member_row_position_for_role (AA_ROLE_OWNER));
  aa_ui_fixture_wait_idle (fixture);

  /* An allowed change: saved, said inline. */
  row = AA_MEMBER_ROW (aa_team_page_find_row (AA_TEAM_PAGE (page), seun));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (aa_member_row_get_role_dropdown (row)),
                              aa_member_row_position_for_role (AA_ROLE_ADMIN));
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen (dark ? "team-dark" : "team");
}

static void
activity (AaUiFixture *fixture,
          gboolean     dark)
{
  g_autoptr(AaItem) first = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) second = aa_ui_fixture_get_item (fixture, 1);
  AaMutation *star, *delete;

  /* A lost response, retried with the same key: replayed. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  star = aa_action_manager_set_done (fixture->manager, second, !aa_item_get_done (second));
  aa_pages_wait_settled (star);
  aa_action_manager_retry (fixture->manager, star);
  aa_pages_wait_settled (star);

  /* A rapid toggle: three clicks, one request, the middle one coalesced. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 1500}");
  for (guint i = 0; i < 3; i++)
    aa_action_manager_set_starred (fixture->manager, first, !aa_item_get_starred (first));

  /* An undo that cancels a delete still queued behind the star. */
  delete = aa_action_manager_delete_note (fixture->manager, first);
  aa_action_manager_undo (fixture->manager, delete);

  aa_pages_show (fixture, "activity");
  aa_ui_iterate_ms (500);
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
  aa_screenshots_dismiss_toasts (fixture);
  aa_screenshots_capture_screen (dark ? "activity-dark" : "activity");
}

static gboolean
revealed_cb (gpointer user_data)
{
  return gtk_revealer_get_reveal_child (user_data);
}

/* Live updates: a note changed elsewhere under unsaved text, and the
 * header saying it reconnects. */
static void
live (AaUiFixture *fixture,
      gboolean     dark)
{
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  GtkWidget *banner = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), AA_TYPE_NOTE_EDITOR,
                                                                 "elsewhere_banner"));
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autofree char *path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (item)));
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fixture->server->token);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  aa_ui_fixture_start_live (fixture);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (aa_window_get_stack (fixture->window)), "notes");
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);
  gtk_editable_set_text (GTK_EDITABLE (aa_note_editor_get_title_entry (editor)), "Passport: book the town hall slot");
  node = aa_test_request (fixture->server, "PATCH", path, "{\"title\": \"Renew passport (done by Sam?)\"}",
                          &status, NULL, "Authorization", auth, "Idempotency-Key", key, NULL);
  aa_test_wait_until (revealed_cb, banner, 10000);
  aa_screenshots_wait_animations ();
  aa_screenshots_capture_screen (dark ? "live-changed-elsewhere-dark" : "live-changed-elsewhere");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.discard-mine", NULL);
  aa_action_manager_stop_live (fixture->manager);
}

static gboolean
quit_dialog_cb (gpointer user_data)
{
  GtkWidget *dialog = aa_window_get_quit_dialog (user_data);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static void
quit (AaUiFixture *fixture,
      gboolean     dark)
{
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 2);
  g_autoptr(AaItem) other = aa_ui_fixture_get_item (fixture, 3);

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (aa_window_get_stack (fixture->window)), "notes");

  /* One change failed and nobody retried it; one is on its way. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  aa_pages_wait_settled (aa_action_manager_set_starred (fixture->manager, other, !aa_item_get_starred (other)));
  aa_screenshots_dismiss_toasts (fixture);
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 8000}");
  aa_action_manager_save_note (fixture->manager, item, aa_item_get_title (item),
                               "For the book club on the 14th. Bring the notes on delays.");

  /* And a note with edits typed and not saved, left for another. */
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 4);
  gtk_editable_set_text (GTK_EDITABLE (aa_note_editor_get_title_entry (AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page)))),
                         "Quarterly VAT return, due on the 10th");
  gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), 0);

  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_test_wait_until (quit_dialog_cb, fixture->window, 5000);
  aa_screenshots_capture_with (fixture->window, aa_window_get_quit_dialog (fixture->window), TRUE, dark ? "quit-dark" : "quit");
  aa_quit_dialog_response (AA_QUIT_DIALOG (aa_window_get_quit_dialog (fixture->window)), "cancel");
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_wait_idle (fixture);
}

/* Quitting offline with changes waiting, the journal on as in the app:
 * they are kept, nothing is lost. A window of its own, nothing else
 * unsettled. */
static void
quit_offline (gboolean dark)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 2);
  g_autoptr(AaItem) other = aa_ui_fixture_get_item (fixture, 3);
  g_autoptr(GError) error = NULL;

  g_assert_true (aa_action_manager_open_journal (fixture->manager, NULL, NULL, &error));

  gtk_window_maximize (GTK_WINDOW (fixture->window));
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  aa_action_manager_set_done (fixture->manager, other, !aa_item_get_done (other));
  aa_ui_iterate_ms (300);
  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_test_wait_until (quit_dialog_cb, fixture->window, 5000);
  aa_screenshots_capture_with (fixture->window, aa_window_get_quit_dialog (fixture->window), TRUE,
                               dark ? "quit-offline-dark" : "quit-offline");
  aa_quit_dialog_response (AA_QUIT_DIALOG (aa_window_get_quit_dialog (fixture->window)), "cancel");
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_ui_fixture_wait_idle (fixture);
  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = g_dir_make_tmp ("aa-page-screenshots-XXXXXX", NULL);
  gboolean dark;
  AaUiFixture *fixture;

  /* The journal of quit_offline(), never in the user's own state folder. */
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  dark = aa_screenshots_init (&argc, &argv, "aa-page-screenshots");

  fixture = aa_ui_fixture_new ();
  gtk_window_maximize (GTK_WINDOW (fixture->window));
  /* No tooltips under the resting pointer in the pictures. */
  gtk_widget_set_can_target (aa_window_get_stack (fixture->window), FALSE);
  aa_ui_iterate_ms (300);

  trash (fixture, dark);
  billing (fixture, dark);
  team (fixture, dark);
  activity (fixture, dark);
  live (fixture, dark);
  quit (fixture, dark);

  aa_ui_fixture_free (fixture);
  quit_offline (dark);

  return 0;
}
