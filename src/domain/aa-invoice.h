/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource.h"

G_BEGIN_DECLS

typedef enum {
  AA_INVOICE_STATUS_OPEN,
  AA_INVOICE_STATUS_PAID,
} AaInvoiceStatus;

#define AA_TYPE_INVOICE (aa_invoice_get_type ())

G_DECLARE_FINAL_TYPE (AaInvoice, aa_invoice, AA, INVOICE, AaResource)

/* Properties "description", "amount-cents", "currency", "status". */
const char      *aa_invoice_get_description  (AaInvoice *self);
gint64           aa_invoice_get_amount_cents (AaInvoice *self);
const char      *aa_invoice_get_currency     (AaInvoice *self);
AaInvoiceStatus  aa_invoice_get_status       (AaInvoice *self);
/* The amount for people, as LC_MONETARY writes money: "€1,840.00" in
 * English, "1.840,00 €" in German, "€1840.00" in the C locale; a currency
 * without a symbol by its code ("CHF 49.50"). */
char            *aa_invoice_format_amount    (AaInvoice *self);

G_END_DECLS
