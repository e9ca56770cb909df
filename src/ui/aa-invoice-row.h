/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_INVOICE_ROW (aa_invoice_row_get_type ())

G_DECLARE_FINAL_TYPE (AaInvoiceRow, aa_invoice_row, AA, INVOICE_ROW, GtkListBoxRow)

/*
 * One invoice: description, amount and state, and for an open one a pay form
 * in place (card number with live validation, the confirmation with the
 * amount, the busy Pay button, and the outcome inline: "Paid", a declined
 * card, or a failure with Retry on the same payment).
 */
GtkWidget  *aa_invoice_row_new          (AaActionManager *manager,
                                         AaInvoice       *invoice);
AaInvoice  *aa_invoice_row_get_invoice  (AaInvoiceRow    *self);
/* For a folded window: the title across the row, the rest below it. */
void        aa_invoice_row_set_narrow   (AaInvoiceRow    *self,
                                         gboolean         narrow);
gboolean    aa_invoice_row_get_narrow   (AaInvoiceRow    *self);
/* The payment this row started last, or NULL. */
AaMutation *aa_invoice_row_get_mutation (AaInvoiceRow    *self);

/* The parts, for tests. */
GtkWidget  *aa_invoice_row_get_status_label   (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_pay_button     (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_form           (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_card_entry     (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_field_error    (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_message_label  (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_retry_button   (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_cancel_button  (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_submit_button  (AaInvoiceRow *self);
GtkWidget  *aa_invoice_row_get_submit_label   (AaInvoiceRow *self);
/* The confirmation on screen, or NULL. */
GtkWidget  *aa_invoice_row_get_confirm_dialog (AaInvoiceRow *self);

G_END_DECLS
