/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-confirm-dialog"

/*
 * The dialog tier (AdwMessageDialog through aa_ui_confirm_async()) and the
 * keyboard around it: on a payment, Return and Escape charge nothing, and
 * the focus stays in the window after the payment succeeds or is declined.
 */

#include "config.h"

#include "aa-pages-test-helpers.h"
#include "aa-ui.h"

static GtkWidget *
invoice_dialog (gpointer row)
{
  return aa_invoice_row_get_confirm_dialog (row);
}

static AaInvoiceRow *
open_pay_form (AaUiFixture *fixture,
               const char  *prefix,
               const char  *card)
{
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoice *invoice = aa_pages_find_invoice (fixture, prefix);
  GtkWidget *row = aa_billing_page_find_row (AA_BILLING_PAGE (page), invoice);

  g_assert_nonnull (row);
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (AA_INVOICE_ROW (row)), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (AA_INVOICE_ROW (row))), card);
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (AA_INVOICE_ROW (row)), "clicked");

  return AA_INVOICE_ROW (row);
}

static gboolean
mapped_cb (gpointer user_data)
{
  GtkWidget *dialog = invoice_dialog (user_data);

  return dialog != NULL && gtk_widget_get_mapped (dialog);
}

static gboolean
gone_cb (gpointer user_data)
{
  return invoice_dialog (user_data) == NULL;
}

/* Return on the payment confirmation is its default response: Cancel,
 * and so is Escape. Nothing is charged either way. */
static void
test_pay_safe_default (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaInvoiceRow *row = open_pay_form (fixture, "Design system", "4242 4242 4242 4242");
  GtkWidget *dialog;
  GtkWidget *cancel;

  aa_test_wait_until (mapped_cb, row, 10000);
  dialog = invoice_dialog (row);
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  cancel = aa_ui_find_response_button (dialog, "cancel");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == cancel);

  /* Return, as GtkWindow answers it. */
  g_assert_true (gtk_widget_activate_action (dialog, "default.activate", NULL));
  aa_test_wait_until (gone_cb, row, 5000);

  /* Again, then Escape. */
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  aa_test_wait_until (mapped_cb, row, 10000);
  gtk_window_close (GTK_WINDOW (invoice_dialog (row)));
  aa_test_wait_until (gone_cb, row, 5000);

  aa_ui_iterate_ms (100);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "POST", "/payments"), ==, 0);
  g_assert_null (aa_invoice_row_get_mutation (row));
  /* Back to the form, where the keyboard was. */
  g_assert_true (gtk_widget_has_focus (aa_invoice_row_get_submit_button (row)));

  aa_ui_fixture_free (fixture);
}

static gboolean
settled_cb (gpointer user_data)
{
  AaMutation *mutation = aa_invoice_row_get_mutation (user_data);

  return mutation != NULL && !aa_mutation_is_pending (mutation) &&
         !aa_resource_get_busy (AA_RESOURCE (aa_invoice_row_get_invoice (user_data)));
}

static void
assert_focus_in (AaUiFixture *fixture,
                 GtkWidget   *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_nonnull (focus);
  g_test_message ("focus on %s in %s", G_OBJECT_TYPE_NAME (focus), G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)));
  g_assert_true (gtk_widget_get_mapped (focus));
  g_assert_true (focus == row || gtk_widget_is_ancestor (focus, row));
}

/* After a payment, whatever its outcome, Tab goes on from the row that
 * made it: the focus is not left on a widget that went away. */
static void
test_focus_after_payment (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaInvoiceRow *row;

  /* Declined: the card field, its text selected. */
  row = open_pay_form (fixture, "Design system", "4000 0000 0000 0002");
  aa_pages_answer_dialog (invoice_dialog, row, "confirm");
  aa_test_wait_until (settled_cb, row, 10000);
  aa_ui_iterate_ms (50);
  assert_focus_in (fixture, GTK_WIDGET (row));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         aa_invoice_row_get_card_entry (row)));

  /* Paid: the form goes, the row keeps the focus. */
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (row)), "4242 4242 4242 4242");
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");
  aa_pages_answer_dialog (invoice_dialog, row, "confirm");
  aa_pages_wait_label (aa_invoice_row_get_status_label (row), "Paid");
  aa_ui_iterate_ms (50);
  assert_focus_in (fixture, GTK_WIDGET (row));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/ConfirmDialog/pay-safe-default", test_pay_safe_default);
  g_test_add_func ("/Aa/ConfirmDialog/focus-after-payment", test_focus_after_payment);

  return g_test_run ();
}
