/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "test-pessimistic-flows"

#include "config.h"

#include "aa-error.h"
#include "aa-pages-test-helpers.h"
#include "aa-ui.h"

/* The pessimistic flows and the engine made visible, driven through the
 * real widgets against the real embedded server with injected faults. */

static GtkWidget *
trash_dialog (gpointer data)
{
  return aa_trash_page_get_confirm_dialog (data);
}

static gboolean
trash_busy_cb (gpointer user_data)
{
  return aa_action_manager_get_trash_busy (AA_ACTION_MANAGER (user_data));
}

static gboolean
busy_cb (gpointer user_data)
{
  return aa_resource_get_busy (AA_RESOURCE (user_data));
}

static guint
count_rows (GtkWidget *list_box)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

static guint
server_list_length (AaUiFixture *fixture,
                    const char  *path)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (fixture->server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  return json_array_get_length (json_node_get_array (node));
}

/* Empty Trash refused by the server: every note stays, the toast says what
 * to do and Retry empties it. */
static void
test_empty_trash_refused (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GListModel *trash = aa_action_manager_get_trash (fixture->manager);
  GtkWidget *page, *list_box;
  AdwToast *toast;

  aa_pages_trash_notes (fixture, 3);
  page = aa_pages_show (fixture, "trash");
  list_box = aa_trash_page_get_list_box (AA_TRASH_PAGE (page));
  aa_pages_wait_state (aa_trash_page_get_load_state (AA_TRASH_PAGE (page)), "content");
  g_assert_cmpuint (count_rows (list_box), ==, 3);

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300, \"next\": [\"error-503\"]}");
  g_signal_emit_by_name (aa_trash_page_get_empty_button (AA_TRASH_PAGE (page)), "clicked");
  g_assert_nonnull (trash_dialog (page));
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (trash_dialog (page))), ==,
                   "3 notes will be deleted for good. This can’t be undone.");
  aa_pages_answer_dialog (trash_dialog, page, "confirm");
  aa_test_wait_until (trash_busy_cb, fixture->manager, 5000);

  /* Pessimistic: progress in place, nothing gone yet, no second try. */
  g_assert_true (gtk_widget_get_visible (aa_trash_page_get_progress (AA_TRASH_PAGE (page))));
  g_assert_false (gtk_widget_is_sensitive (aa_trash_page_get_empty_button (AA_TRASH_PAGE (page))));
  g_assert_false (gtk_widget_is_sensitive (list_box));
  gtk_test_accessible_assert_state (list_box, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, 3);

  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  /* Short: what failed, and Retry (why is in Activity). */
  g_assert_cmpstr (aa_ui_toast_title (toast), ==, "Couldn’t empty the trash.");
  g_assert_false (aa_action_manager_get_trash_busy (fixture->manager));
  g_assert_false (gtk_widget_get_visible (aa_trash_page_get_progress (AA_TRASH_PAGE (page))));
  g_assert_true (gtk_widget_is_sensitive (aa_trash_page_get_empty_button (AA_TRASH_PAGE (page))));
  gtk_test_accessible_assert_state (list_box, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, 3);
  g_assert_cmpuint (count_rows (list_box), ==, 3);
  g_assert_cmpuint (server_list_length (fixture, "/trash"), ==, 3);

  /* Retry sends it again and the trash empties, with no undo offered. */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_click_toast_button (fixture);
  aa_ui_fixture_wait_idle (fixture);
  toast = aa_pages_wait_toast_title (fixture, "3 notes deleted for good");
  g_assert_null (adw_toast_get_button_label (toast));
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, 0);
  g_assert_cmpuint (server_list_length (fixture, "/trash"), ==, 0);
  aa_pages_wait_state (aa_trash_page_get_load_state (AA_TRASH_PAGE (page)), "empty");

  aa_ui_fixture_free (fixture);
}

/* Restoring from the trash is optimistic: the row leaves at once. */
static void
test_restore (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GListModel *trash = aa_action_manager_get_trash (fixture->manager);
  g_autoptr(AaItem) item = NULL;
  GtkListBoxRow *row;
  GtkWidget *page, *load_state, *shown;

  aa_pages_trash_notes (fixture, 1);
  page = aa_pages_show (fixture, "trash");
  item = g_list_model_get_item (trash, 0);

  /* Its row's Restore button: the note it shows goes back. */
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (aa_trash_page_get_list_box (AA_TRASH_PAGE (page))), 0);
  g_signal_emit_by_name (gtk_widget_get_last_child (gtk_list_box_row_get_child (row)), "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (trash), ==, 0);
  g_assert_false (aa_item_get_trashed (item));
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpuint (server_list_length (fixture, "/trash"), ==, 0);
  load_state = aa_trash_page_get_load_state (AA_TRASH_PAGE (page));
  aa_pages_wait_state (load_state, "empty");
  shown = gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_template_child (load_state, AA_TYPE_LOAD_STATE, "stack")));
  g_assert_true (ADW_IS_STATUS_PAGE (shown));
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (shown)), ==, "user-trash-symbolic");

  aa_ui_fixture_free (fixture);
}

static void
type_card (AaInvoiceRow *row,
           const char   *card)
{
  GtkWidget *entry = aa_invoice_row_get_card_entry (row);

  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (aa_invoice_row_get_form (row))))
    g_signal_emit_by_name (aa_invoice_row_get_pay_button (row), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (entry), card);
}

/* A malformed number is flagged at the field before anything is sent; a
 * declined card keeps the form and its input, with the message there. */
static void
test_pay_declined (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoiceRow *row = aa_pages_invoice_row (fixture, page, "Design system");
  AaInvoice *invoice = aa_invoice_row_get_invoice (row);
  GtkWidget *entry = aa_invoice_row_get_card_entry (row);

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_status_label (row))), ==, "Open");

  /* Typos are flagged while typing; a short number once Pay is pressed. */
  type_card (row, "4242 42x");
  g_assert_true (gtk_widget_get_visible (aa_invoice_row_get_field_error (row)));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  type_card (row, "4242 4242");
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_field_error (row)));
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  g_assert_null (aa_pages_invoice_dialog (row));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_field_error (row))), ==,
                   "Enter the 16-digit card number. This one is too short.");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  /* Tied to the field, for a screen reader: invalid, and why. */
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_relation (entry, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                       aa_invoice_row_get_field_error (row), NULL);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "POST", "/payments"), ==, 0);

  /* The declined card: the dialog names the amount, then the server says no. */
  type_card (row, "4000 0000 0000 0002");
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_field_error (row)));
  /* Fixed: not invalid, and described by nothing empty. */
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300}");
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (aa_pages_invoice_dialog (row))), ==, "Pay €1840.00?");
  aa_pages_answer_dialog (aa_pages_invoice_dialog, row, "confirm");
  aa_test_wait_until (busy_cb, invoice, 5000);

  /* While the server works: the Pay button busy, the form waits. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_submit_label (row))), ==, "Paying…");
  g_assert_false (gtk_widget_get_can_target (aa_invoice_row_get_submit_button (row)));
  g_assert_false (gtk_widget_is_sensitive (entry));
  /* A second press while it is on its way asks nothing and sends nothing. */
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  g_signal_emit_by_name (entry, "activate");
  g_assert_null (aa_pages_invoice_dialog (row));

  aa_pages_wait_label (aa_invoice_row_get_message_label (row), "Payment failed. Try another card.");
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_relation (entry, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                       aa_invoice_row_get_message_label (row), NULL);
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_retry_button (row)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (aa_invoice_row_get_form (row))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "4000 0000 0000 0002");
  g_assert_true (gtk_widget_is_sensitive (entry));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_status_label (row))), ==, "Open");
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  /* Failures stay at the form: no toast. */
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "POST", "/payments"), ==, 1);

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_free (fixture);
}

static gboolean
mutation_unknown_cb (gpointer data)
{
  AaInvoiceRow *row = data;
  AaMutation *mutation = aa_invoice_row_get_mutation (row);

  return mutation != NULL && aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN;
}

/* A lost response: the server charged, the answer never came. The row
 * never says "Couldn't pay", doesn't offer Pay again, says the payment is
 * being checked, and shows Paid by itself once the engine's check finds
 * it: one charge, no Retry to press. */
static void
test_pay_lost_response (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoiceRow *row = aa_pages_invoice_row (fixture, page, "Hosting");
  AaInvoice *invoice = aa_invoice_row_get_invoice (row);
  guint paid_before = aa_pages_count_paid (fixture);
  GtkWidget *message = aa_invoice_row_get_message_label (row);
  AaMutation *mutation;

  type_card (row, "4242 4242 4242 4242");
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  aa_pages_answer_dialog (aa_pages_invoice_dialog, row, "confirm");
  aa_test_wait_until (mutation_unknown_cb, row, 5000);
  mutation = aa_invoice_row_get_mutation (row);

  /* Not confirmed yet: said calmly at the form, never as a failure, and
   * nothing to press (Pay again would pay twice). */
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==,
                   "The payment of “Hosting and backups, November” isn’t confirmed yet. "
                   "Checking whether it went through; don’t pay again.");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (message), "inline-pending"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_status_label (row))), ==, "Not confirmed yet");
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (message)), "Couldn’t"));
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_retry_button (row)));
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_pay_button (row)));
  g_assert_false (gtk_widget_get_can_target (aa_invoice_row_get_submit_button (row)));
  g_assert_cmpuint (aa_pages_count_paid (fixture), ==, paid_before + 1);

  /* Paid by itself, and never a failure on the way. */
  aa_pages_wait_settled (mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  aa_pages_wait_label (aa_invoice_row_get_status_label (row), "Paid");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (aa_invoice_row_get_form (row))));
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_pay_button (row)));
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);

  /* Charged once: one request, one paid invoice more. */
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "POST", "/payments"), ==, 1);
  g_assert_cmpuint (aa_pages_count_paid (fixture), ==, paid_before + 1);

  aa_ui_fixture_free (fixture);
}

/* A page first shown while the server is unreachable says so and offers
 * Retry, which loads it. */
static void
test_billing_unreachable (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *page, *load_state, *shown;

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  page = aa_pages_show (fixture, "billing");
  load_state = aa_billing_page_get_load_state (AA_BILLING_PAGE (page));
  aa_pages_wait_state (load_state, "error");
  g_assert_true (g_str_has_prefix (aa_load_state_get_error_text (AA_LOAD_STATE (load_state)),
                                   "The invoices could not be loaded from "));
  /* A load changed nothing, and comes back by itself. */
  g_assert_true (g_str_has_suffix (aa_load_state_get_error_text (AA_LOAD_STATE (load_state)),
                                   "This page loads by itself once the server can be reached."));
  /* libadwaita's status page, as on the notes page, not one of our own. */
  shown = gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_template_child (load_state, AA_TYPE_LOAD_STATE, "stack")));
  g_assert_true (ADW_IS_STATUS_PAGE (shown));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (shown)), ==, "Can’t Reach the Server");
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (shown)), ==, "network-offline-symbolic");

  /* Back: it loads with no Retry pressed. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_pages_wait_state (load_state, "content");
  g_assert_nonnull (aa_billing_page_find_row (AA_BILLING_PAGE (page), aa_pages_find_invoice (fixture, "Hosting")));

  aa_ui_fixture_free (fixture);
}

static AaMemberRow *
member_row (AaUiFixture *fixture,
            GtkWidget   *page,
            const char  *name)
{
  GtkWidget *row = aa_team_page_find_row (AA_TEAM_PAGE (page), aa_pages_find_member (fixture, name));

  g_assert_nonnull (row);
  return AA_MEMBER_ROW (row);
}

static void
choose_role (AaMemberRow *row,
             AaRole       role)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (aa_member_row_get_role_dropdown (row)),
                              aa_member_row_position_for_role (role));
}

static guint
shown_role (AaMemberRow *row)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (aa_member_row_get_role_dropdown (row)));
}

static gboolean
me_is_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  AaMember *me = aa_action_manager_get_me (fixture->manager);

  return me != NULL && g_strcmp0 (aa_member_get_name (me), "Sofía Martínez") == 0;
}

/* A forbidden change (403) puts the control back with the reason inline;
 * what the signed-in member may not change is off before any click; the
 * last owner (409) likewise. */
static void
test_role_forbidden (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *page = aa_pages_show (fixture, "team");
  AaMemberRow *aiko = member_row (fixture, page, "Aiko Tanaka");
  AaMemberRow *sofia = member_row (fixture, page, "Sofía Martínez");
  AaMemberRow *jonas = member_row (fixture, page, "Jonas Becker");
  AaMemberRow *seun = member_row (fixture, page, "Oluwaseun Adeyemi");
  GtkWidget *dropdown;

  /* Signed in as Jonas, an admin. */
  g_assert_true (gtk_widget_get_visible (aa_member_row_get_you_label (jonas)));
  g_assert_false (gtk_widget_get_visible (aa_member_row_get_you_label (aiko)));
  dropdown = aa_member_row_get_role_dropdown (sofia);
  g_assert_false (gtk_widget_get_sensitive (dropdown));
  g_assert_cmpstr (aa_ui_get_tooltip (dropdown), ==,
                   "Only owners can change an owner’s role. Ask an owner.");
  g_assert_true (gtk_widget_get_sensitive (aa_member_row_get_role_dropdown (aiko)));

  /* Busy while the server decides, then back, with the reason, and the
   * focus back on the control it was on (GTK moves it off while it is
   * off). */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 300}");
  dropdown = aa_member_row_get_role_dropdown (aiko);
  gtk_widget_grab_focus (aa_ui_get_drop_down_button (dropdown));
  g_assert_true (gtk_widget_has_focus (aa_ui_get_drop_down_button (dropdown)));
  choose_role (aiko, AA_ROLE_OWNER);
  g_assert_true (gtk_widget_get_visible (aa_member_row_get_spinner (aiko)));
  g_assert_false (gtk_widget_get_sensitive (dropdown));
  gtk_test_accessible_assert_state (dropdown, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  g_assert_cmpuint (shown_role (aiko), ==, aa_member_row_position_for_role (AA_ROLE_OWNER));
  aa_pages_wait_label (aa_member_row_get_status_label (aiko),
                       "Couldn’t make Aiko Tanaka an owner. Only owners can make owners. Ask an owner.");
  g_assert_cmpuint (shown_role (aiko), ==, aa_member_row_position_for_role (AA_ROLE_MEMBER));
  g_assert_true (gtk_widget_get_sensitive (dropdown));
  g_assert_true (gtk_widget_has_focus (aa_ui_get_drop_down_button (dropdown)));
  gtk_test_accessible_assert_state (dropdown, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  g_assert_false (gtk_widget_get_visible (aa_member_row_get_spinner (aiko)));
  g_assert_false (gtk_widget_get_visible (aa_member_row_get_retry_button (aiko)));
  /* The refusal is the role control's, for a screen reader too. */
  gtk_test_accessible_assert_state (dropdown, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_relation (dropdown, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                       aa_member_row_get_status_label (aiko), NULL);
  /* And its button's, where the focus is, which says whose role it is. */
  gtk_test_accessible_assert_property (aa_ui_get_drop_down_button (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Role of Aiko Tanaka: Member");
  gtk_test_accessible_assert_state (aa_ui_get_drop_down_button (dropdown), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_relation (aa_ui_get_drop_down_button (dropdown), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                       aa_member_row_get_status_label (aiko), NULL);
  /* Going back sent nothing more. */
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "PATCH", "/members"), ==, 1);

  /* An allowed change is saved, said in place as what happened. */
  choose_role (seun, AA_ROLE_ADMIN);
  aa_pages_wait_label (aa_member_row_get_status_label (seun), "Oluwaseun Adeyemi is now an admin");
  gtk_test_accessible_assert_property (aa_ui_get_drop_down_button (aa_member_row_get_role_dropdown (seun)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Role of Oluwaseun Adeyemi: Admin");
  g_assert_cmpint (aa_member_get_role (aa_member_row_get_member (seun)), ==, AA_ROLE_ADMIN);

  /* Signed in as the only owner: demoting oneself is refused (409). */
  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (aa_team_page_get_signed_in_combo (AA_TEAM_PAGE (page))), 0);
  aa_test_wait_until (me_is_cb, fixture, 10000);
  g_assert_true (gtk_widget_get_visible (aa_member_row_get_you_label (sofia)));
  g_assert_false (gtk_widget_get_visible (aa_member_row_get_you_label (jonas)));
  g_assert_true (gtk_widget_get_sensitive (aa_member_row_get_role_dropdown (sofia)));
  choose_role (sofia, AA_ROLE_ADMIN);
  aa_pages_wait_label (aa_member_row_get_status_label (sofia),
                       "Couldn’t make Sofía Martínez an admin. A team needs at least one owner. Make someone else an owner first.");
  g_assert_cmpuint (shown_role (sofia), ==, aa_member_row_position_for_role (AA_ROLE_OWNER));

  aa_ui_fixture_free (fixture);
}

static AaActivityRow *
wait_activity_row (AaActivityPage *page,
                   AaMutation     *mutation)
{
  GtkWidget *row = NULL;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (row == NULL && g_get_monotonic_time () < end) {
    aa_ui_iterate_ms (20);
    row = aa_activity_page_find_row (page, mutation);
  }
  g_assert_nonnull (row);

  return AA_ACTIVITY_ROW (row);
}

/* The Activity page shows a rapid toggle coalescing, and an undo that
 * cancels a delete still queued. */
static void
test_activity (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaActivityPage *page = AA_ACTIVITY_PAGE (aa_pages_show (fixture, "activity"));
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  gboolean starred = aa_item_get_starred (item);
  AaMutation *clicks[3];
  AaMutation *delete;
  AaActivityRow *row;
  GtkWidget *state;

  aa_pages_wait_state (aa_activity_page_get_load_state (page), "empty");

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 400}");
  for (guint i = 0; i < G_N_ELEMENTS (clicks); i++)
    clicks[i] = aa_action_manager_set_starred (fixture->manager, item, (i % 2 == 0) ? !starred : starred);
  aa_pages_wait_state (aa_activity_page_get_load_state (page), "content");

  row = wait_activity_row (page, clicks[1]);
  state = aa_activity_row_get_state_label (row);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (state)), ==, "Coalesced");
  g_assert_true (gtk_widget_has_css_class (state, "coalesced"));
  row = wait_activity_row (page, clicks[0]);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_state_label (row))), ==, "Sent");
  g_assert_true (gtk_widget_has_css_class (aa_activity_row_get_state_label (row), "sent"));

  /* Queued behind the star in flight: Undo cancels it, nothing is sent. */
  delete = aa_action_manager_delete_note (fixture->manager, item);
  row = wait_activity_row (page, delete);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_state_label (row))), ==, "Queued");
  g_assert_true (gtk_widget_get_visible (aa_activity_row_get_undo_button (row)));
  g_signal_emit_by_name (aa_activity_row_get_undo_button (row), "clicked");
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_state_label (row))), ==, "Undone");
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_undo_button (row)));

  aa_ui_fixture_wait_idle (fixture);
  row = wait_activity_row (page, clicks[0]);
  aa_pages_wait_label (aa_activity_row_get_state_label (row), "Succeeded");
  /* The server already had the third click's value: one request in all. */
  g_assert_cmpint (aa_mutation_get_state (clicks[2]), ==, AA_MUTATION_STATE_COALESCED);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "PATCH", "/items"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "DELETE", "/items"), ==, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (aa_activity_row_get_details_label (row))),
                                   "Optimistic · key "));

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 0}");
  aa_ui_fixture_free (fixture);
}

static gboolean
two_attempts_cb (gpointer user_data)
{
  return aa_mutation_get_attempts (user_data) == 2;
}

/* Retry in the Activity list is reachable and usable from the keyboard. */
static void
test_activity_keyboard (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaActivityPage *page = AA_ACTIVITY_PAGE (aa_pages_show (fixture, "activity"));
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  GtkWidget *retry, *focus = NULL;
  AaActivityRow *row;
  AaMutation *star;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  star = aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  aa_pages_wait_settled (star);
  row = wait_activity_row (page, star);
  retry = aa_activity_row_get_retry_button (row);
  g_assert_true (gtk_widget_get_visible (retry));

  /* Tab from the row reaches its Retry. */
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
  for (guint i = 0; i < 8 && focus != retry; i++) {
    gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
    focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  }
  g_assert_true (focus == retry);

  /* A key press on the button: clicked once its short press shows. */
  gtk_widget_activate (retry);
  aa_test_wait_until (two_attempts_cb, star, 5000);
  aa_pages_wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (star), ==, 2);

  aa_ui_fixture_free (fixture);
}

static gboolean
quit_dialog_shown_cb (gpointer user_data)
{
  GtkWidget *dialog = aa_window_get_quit_dialog (user_data);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static gboolean
closed_cb (gpointer user_data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (user_data)) && aa_window_get_quit_dialog (user_data) == NULL;
}

/* Closing with a change on its way waits for it, says which, and then
 * closes by itself; with nothing pending it closes at once. */
static void
test_close_waits (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(JsonObject) server_item = NULL;
  AaMutation *star;
  GtkWidget *dialog, *list, *line;

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 1000}");
  star = aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));

  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_test_wait_until (quit_dialog_shown_cb, fixture->window, 5000);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
  dialog = aa_window_get_quit_dialog (fixture->window);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Finishing 1 Change…");
  list = aa_quit_dialog_get_list (AA_QUIT_DIALOG (dialog));
  line = gtk_widget_get_first_child (list);
  g_assert_nonnull (line);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line)), ==,
                   aa_mutation_get_label (star));
  g_assert_true (aa_mutation_is_pending (star));

  /* It settles, and the window closes by itself. */
  aa_test_wait_until (closed_cb, fixture->window, 10000);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  server_item = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), NULL);
  g_assert_cmpint (json_object_get_boolean_member (server_item, "starred"), ==, aa_item_get_starred (item));

  aa_ui_fixture_free (fixture);
}

/* A failed change nobody retried is named; Retry from the dialog sends it
 * and the window closes once it succeeded. Quit Anyway closes at once. */
static void
test_close_failed (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  AaQuitDialog *dialog;
  AaMutation *done;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  done = aa_action_manager_set_done (fixture->manager, item, !aa_item_get_done (item));
  aa_pages_wait_settled (done);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_ROLLED_BACK);

  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_test_wait_until (quit_dialog_shown_cb, fixture->window, 5000);
  dialog = AA_QUIT_DIALOG (aa_window_get_quit_dialog (fixture->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "1 Change Was Not Saved");
  g_assert_true (gtk_widget_get_visible (aa_quit_dialog_get_retry_button (dialog)));

  /* Keep Open: the window stays. */
  aa_quit_dialog_response (dialog, "cancel");
  aa_ui_iterate_ms (50);
  g_assert_null (aa_window_get_quit_dialog (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));

  /* Retry from the dialog: it succeeds, and the window closes. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  aa_test_wait_until (quit_dialog_shown_cb, fixture->window, 5000);
  dialog = AA_QUIT_DIALOG (aa_window_get_quit_dialog (fixture->window));
  g_signal_emit_by_name (aa_quit_dialog_get_retry_button (dialog), "clicked");
  aa_test_wait_until (closed_cb, fixture->window, 10000);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_SUCCEEDED);

  aa_ui_fixture_free (fixture);
}

static void
test_close_idle (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
  g_assert_null (aa_window_get_quit_dialog (fixture->window));

  aa_ui_fixture_free (fixture);
}

typedef struct {
  gboolean done;
  gboolean quit;
} QuitAnswer;

static void
quit_choose_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QuitAnswer *answer = user_data;

  answer->quit = aa_quit_dialog_choose_finish (AA_QUIT_DIALOG (object), result, NULL);
  answer->done = TRUE;
}

static gboolean
quit_answered_cb (gpointer user_data)
{
  return ((QuitAnswer *) user_data)->done;
}

static gboolean
object_gone_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* The window it waits for goes first: the caller still gets an answer
 * ("stay": nothing was decided), and the dialog goes with the window. */
static void
test_close_parent_destroyed (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  GtkWidget *parent = gtk_window_new ();
  AaQuitDialog *dialog;
  QuitAnswer answer = { FALSE, TRUE };

  aa_ui_fixture_set_faults (fixture, "{\"latency_ms\": 1000}");
  aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));

  dialog = aa_quit_dialog_new (fixture->manager);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (parent));
  aa_quit_dialog_choose_async (dialog, GTK_WINDOW (parent), NULL, quit_choose_cb, &answer);

  gtk_window_destroy (GTK_WINDOW (parent));
  aa_test_wait_until (quit_answered_cb, &answer, 5000);
  g_assert_false (answer.quit);
  aa_test_wait_until (object_gone_cb, &dialog, 5000);

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Pages/empty-trash-refused", test_empty_trash_refused);
  g_test_add_func ("/Aa/Pages/restore", test_restore);
  g_test_add_func ("/Aa/Pages/pay-declined", test_pay_declined);
  g_test_add_func ("/Aa/Pages/pay-lost-response", test_pay_lost_response);
  g_test_add_func ("/Aa/Pages/billing-unreachable", test_billing_unreachable);
  g_test_add_func ("/Aa/Pages/role-forbidden", test_role_forbidden);
  g_test_add_func ("/Aa/Pages/activity", test_activity);
  g_test_add_func ("/Aa/Pages/activity-keyboard", test_activity_keyboard);
  g_test_add_func ("/Aa/Pages/close-waits", test_close_waits);
  g_test_add_func ("/Aa/Pages/close-failed", test_close_failed);
  g_test_add_func ("/Aa/Pages/close-idle", test_close_idle);
  g_test_add_func ("/Aa/Pages/close-parent-destroyed", test_close_parent_destroyed);

  return g_test_run ();
}
