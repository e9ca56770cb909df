/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-activity-page.h"
#include "aa-activity-row.h"
#include "aa-billing-page.h"
#include "aa-invoice-row.h"
#include "aa-load-state.h"
#include "aa-member-row.h"
#include "aa-quit-dialog.h"
#include "aa-team-page.h"
#include "aa-trash-page.h"
#include "aa-ui-test-helpers.h"

G_BEGIN_DECLS

/* Shows the window's page @name ("trash", "billing", "team", "activity")
 * and waits until it has left its loading state. */
GtkWidget  *aa_pages_show          (AaUiFixture *fixture,
                                    const char  *name);
/* The load state of a page is @state ("loading", "error", "empty",
 * "content"), waiting for it. */
void        aa_pages_wait_state    (GtkWidget   *load_state,
                                    const char  *state);
/* Moves @n notes to the trash (through the manager) and waits. */
void        aa_pages_trash_notes   (AaUiFixture *fixture,
                                    guint        n);
/* The invoice / member with this description or name (borrowed). */
AaInvoice  *aa_pages_find_invoice  (AaUiFixture *fixture,
                                    const char  *description_prefix);
AaMember   *aa_pages_find_member   (AaUiFixture *fixture,
                                    const char  *name);
/* The row of the Billing page @page showing the invoice whose description
 * starts with @description_prefix. */
AaInvoiceRow *aa_pages_invoice_row (AaUiFixture *fixture,
                                    GtkWidget   *page,
                                    const char  *description_prefix);
/* The payment confirmation of @row (an AaInvoiceRow) on screen, or NULL:
 * a getter for aa_pages_answer_dialog(). */
GtkWidget  *aa_pages_invoice_dialog (gpointer    row);
/* Waits until @widget is mapped (shown on screen). */
void        aa_pages_wait_mapped   (GtkWidget   *widget);
/* Waits until @widget is visible and has this text (a GtkLabel). */
void        aa_pages_wait_label    (GtkWidget   *label,
                                    const char  *text);
/* Waits until @mutation is no longer pending. */
void        aa_pages_wait_settled  (AaMutation  *mutation);
/* Waits until the confirm dialog returned by @get (called with @data) is
 * mapped, and answers it with @response. */
void        aa_pages_answer_dialog (GtkWidget *(*get) (gpointer),
                                    gpointer     data,
                                    const char  *response);
/* Dismisses every toast, shown or queued. */
void        aa_pages_dismiss_toasts (AaUiFixture *fixture);
/* Waits until a toast with this title is shown and returns it. */
AdwToast   *aa_pages_wait_toast_title (AaUiFixture *fixture,
                                       const char  *title);
/* How many invoices the server lists as paid (GET /invoices). */
guint       aa_pages_count_paid    (AaUiFixture *fixture);

G_END_DECLS
