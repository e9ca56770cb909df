/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_BILLING_PAGE (aa_billing_page_get_type ())

G_DECLARE_FINAL_TYPE (AaBillingPage, aa_billing_page, AA, BILLING_PAGE, GtkWidget)

/*
 * The Billing page: the invoices, each with its amount and state, and a pay
 * form in place for the open ones (AaInvoiceRow). It loads when first
 * shown; it installs "page.reload".
 */
GtkWidget       *aa_billing_page_new         (AaActionManager *manager);
AaActionManager *aa_billing_page_get_manager (AaBillingPage   *self);
/* Property "folded": the window is narrow, as a phone's; each invoice's
 * title takes the row's width. The window sets it. */
gboolean         aa_billing_page_get_folded  (AaBillingPage   *self);
void             aa_billing_page_set_folded  (AaBillingPage   *self,
                                              gboolean         folded);

/* The parts, for tests. */
GtkWidget       *aa_billing_page_get_load_state (AaBillingPage *self);
/* The row of @invoice, or NULL. */
GtkWidget       *aa_billing_page_find_row       (AaBillingPage *self,
                                                 AaInvoice     *invoice);

G_END_DECLS
