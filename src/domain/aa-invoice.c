/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-invoice"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <limits.h>
#include <locale.h>

#include "aa-domain-enums.h"
#include "aa-error.h"
#include "aa-invoice.h"
#include "aa-resource-private.h"
#include "aa-rest-client.h"

/* The typed properties are read from the shown state, not copied. */
struct _AaInvoice
{
  AaResource       parent_instance;
};

G_DEFINE_FINAL_TYPE (AaInvoice, aa_invoice, AA_TYPE_RESOURCE)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  PROP_AMOUNT_CENTS,
  PROP_CURRENCY,
  PROP_STATUS,
  N_PROPS
};

/* The member of the canonical state behind each property. */
static const char * const members[N_PROPS] = {
  [PROP_DESCRIPTION] = "description",
  [PROP_AMOUNT_CENTS] = "amount_cents",
  [PROP_CURRENCY] = "currency",
  [PROP_STATUS] = "status",
};

static GParamSpec *props[N_PROPS];

/* Canonical state: {"id", "description", "amount_cents", "currency",
 * "status": "open"|"paid"}. */
static JsonObject *
aa_invoice_normalize (AaResource  *resource,
                      JsonObject  *server_object,
                      GError     **error)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *description = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *status = NULL;
  gint64 amount_cents;

  if (!(id = aa_json_dup_id (server_object, "id", error)) ||
      !(description = aa_json_dup_string (server_object, "description", "", error)) ||
      !(currency = aa_json_dup_string (server_object, "currency", "EUR", error)) ||
      !(status = aa_json_dup_string (server_object, "status", "open", error)) ||
      !aa_json_get_int (server_object, "amount_cents", 0, &amount_cents, error))
    return NULL;

  /* Paying an invoice in a state we do not know could charge twice, so an
   * unknown status is refused rather than guessed. */
  if (g_strcmp0 (status, "open") != 0 && g_strcmp0 (status, "paid") != 0) {
    g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                 _("The server sent an invoice status “%s” that this version doesn’t know."),
                 status);
    return NULL;
  }

  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "description", description);
  json_object_set_int_member (state, "amount_cents", amount_cents);
  json_object_set_string_member (state, "currency", currency);
  json_object_set_string_member (state, "status", status);

  return g_steal_pointer (&state);
}

static void
aa_invoice_render (AaResource *resource,
                   AaState    *previous,
                   AaState    *state)
{
  for (guint i = PROP_DESCRIPTION; previous != NULL && i < N_PROPS; i++)
    if (!aa_state_member_equal (previous, state, members[i]))
      g_object_notify_by_pspec (G_OBJECT (resource), props[i]);
}

static void
aa_invoice_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AaInvoice *self = AA_INVOICE (object);

  switch (prop_id) {
  case PROP_DESCRIPTION:
    g_value_set_string (value, aa_invoice_get_description (self));
    break;
  case PROP_AMOUNT_CENTS:
    g_value_set_int64 (value, aa_invoice_get_amount_cents (self));
    break;
  case PROP_CURRENCY:
    g_value_set_string (value, aa_invoice_get_currency (self));
    break;
  case PROP_STATUS:
    g_value_set_enum (value, aa_invoice_get_status (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_invoice_class_init (AaInvoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AaResourceClass *resource_class = AA_RESOURCE_CLASS (klass);

  object_class->get_property = aa_invoice_get_property;

  resource_class->normalize = aa_invoice_normalize;
  resource_class->render = aa_invoice_render;

  props[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_AMOUNT_CENTS] =
    g_param_spec_int64 ("amount-cents", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, "EUR",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       AA_TYPE_INVOICE_STATUS, AA_INVOICE_STATUS_OPEN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_invoice_init (AaInvoice *self)
{
}

/* The shown state, or NULL before the engine showed any (never, in a store). */
static AaState *
shown (AaInvoice *self)
{
  return aa_resource_get_shown (AA_RESOURCE (self));
}

const char *
aa_invoice_get_description (AaInvoice *self)
{
  g_return_val_if_fail (AA_IS_INVOICE (self), NULL);
  return shown (self) ? aa_state_get_string (shown (self), "description", "") : "";
}

gint64
aa_invoice_get_amount_cents (AaInvoice *self)
{
  g_return_val_if_fail (AA_IS_INVOICE (self), 0);
  return shown (self) ? aa_state_get_int (shown (self), "amount_cents", 0) : 0;
}

const char *
aa_invoice_get_currency (AaInvoice *self)
{
  g_return_val_if_fail (AA_IS_INVOICE (self), NULL);
  return shown (self) ? aa_state_get_string (shown (self), "currency", "EUR") : "EUR";
}

AaInvoiceStatus
aa_invoice_get_status (AaInvoice *self)
{
  g_return_val_if_fail (AA_IS_INVOICE (self), AA_INVOICE_STATUS_OPEN);
  return shown (self) && g_strcmp0 (aa_state_get_string (shown (self), "status", NULL), "paid") == 0
         ? AA_INVOICE_STATUS_PAID : AA_INVOICE_STATUS_OPEN;
}

static const struct {
  const char *code;
  const char *symbol;
} currency_symbols[] = {
  { "EUR", "€" },
  { "USD", "$" },
  { "GBP", "£" },
};

/* The integer part with the thousands separator of LC_MONETARY, grouped
 * as its grouping says (sizes from the right, the last one repeating). */
static void
append_grouped (GString    *out,
                guint64     units,
                const char *separator,
                const char *grouping)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, units);
  gsize n = strlen (digits);
  gsize cuts[32];
  guint n_cuts = 0;
  gsize position = n;
  const char *group = grouping;

  /* Where each separator goes, from the right. */
  while (*separator != '\0' && group != NULL && *group > 0 && *group != CHAR_MAX &&
         position > (gsize) *group && n_cuts < G_N_ELEMENTS (cuts)) {
    position -= *group;
    cuts[n_cuts++] = position;
    if (group[1] != '\0')
      group++;
  }

  for (gsize i = 0; i < n; i++) {
    for (guint c = 0; c < n_cuts; c++) {
      if (cuts[c] == i)
        g_string_append (out, separator);
    }
    g_string_append_c (out, digits[i]);
  }
}

/* The amount as LC_MONETARY writes money: its separators and grouping, and
 * the symbol before or after ("€1,840.00" in English, "1.840,00 €" in
 * German). The C locale says none of it: "€1840.00". */
char *
aa_invoice_format_amount (AaInvoice *self)
{
  const struct lconv *conventions;
  const char *decimal_point, *separator, *grouping;
  const char *symbol = NULL;
  const char *currency;
  gint64 amount_cents;
  char precedes, spaced;
  guint64 magnitude;
  GString *number, *out;

  g_return_val_if_fail (AA_IS_INVOICE (self), NULL);

  currency = aa_invoice_get_currency (self);
  amount_cents = aa_invoice_get_amount_cents (self);

  /* The calling thread's locale (uselocale() included). */
  conventions = localeconv ();
  decimal_point = conventions->mon_decimal_point;
  separator = conventions->mon_thousands_sep;
  grouping = conventions->mon_grouping;
  precedes = conventions->p_cs_precedes;
  spaced = conventions->p_sep_by_space;

  for (guint i = 0; i < G_N_ELEMENTS (currency_symbols) && symbol == NULL; i++) {
    if (g_ascii_strcasecmp (currency, currency_symbols[i].code) == 0)
      symbol = currency_symbols[i].symbol;
  }
  /* A code without a symbol is kept apart from the number. */
  if (symbol == NULL) {
    symbol = currency;
    spaced = 1;
  }

  magnitude = amount_cents < 0 ? -(guint64) amount_cents : (guint64) amount_cents;
  number = g_string_new (amount_cents < 0 ? "-" : "");
  append_grouped (number, magnitude / 100, separator, grouping);
  g_string_append_printf (number, "%s%02u", *decimal_point != '\0' ? decimal_point : ".",
                          (guint) (magnitude % 100));

  out = g_string_new (NULL);
  if (precedes == 0)
    g_string_append_printf (out, "%s%s%s", number->str, spaced == 1 ? " " : "", symbol);
  else
    g_string_append_printf (out, "%s%s%s", symbol, spaced == 1 ? " " : "", number->str);
  g_string_free (number, TRUE);

  return g_string_free (out, FALSE);
}
