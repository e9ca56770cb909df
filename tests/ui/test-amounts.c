/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-amounts"

/* Amounts follow the locale's conventions for money (LC_MONETARY):
 * "€1,840.00" in English, "1.840,00 €" in German, on the billing page too.
 * The locales come from the system, or are compiled for the test from the
 * `locales` package's sources when the system has not generated them. */

#include "config.h"

#include <locale.h>

#include "aa-invoice-row.h"
#include "aa-pages-test-helpers.h"
#include "aa-resource-private.h"

static locale_t
open_locale (const char *name)
{
  locale_t locale = newlocale (LC_ALL_MASK, name, (locale_t) 0);

  g_assert_true (locale != (locale_t) 0);
  return locale;
}

static char *
format (const char *currency,
        gint64      cents,
        locale_t    locale)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": \"i\", \"description\": \"Plan\", \"amount_cents\": %"
                                           G_GINT64_FORMAT ", \"currency\": \"%s\", \"status\": \"open\"}",
                                           cents, currency);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AaResource) invoice = aa_resource_new_from_server (AA_TYPE_INVOICE, json_node_get_object (node), &error);
  locale_t previous;
  char *text;

  g_assert_no_error (error);
  previous = uselocale (locale);
  text = aa_invoice_format_amount (AA_INVOICE (invoice));
  uselocale (previous);

  return text;
}

#define assert_format(currency, cents, locale, expected) G_STMT_START { \
  g_autofree char *text__ = format (currency, cents, locale); \
  g_assert_cmpstr (text__, ==, expected); \
} G_STMT_END

static void
test_format (void)
{
  locale_t english = open_locale ("en_US.UTF-8");
  locale_t german = open_locale ("de_DE.UTF-8");
  locale_t c = newlocale (LC_ALL_MASK, "C", (locale_t) 0);

  assert_format ("EUR", 184000, english, "€1,840.00");
  assert_format ("EUR", 184000, german, "1.840,00 €");
  assert_format ("EUR", 184000, c, "€1840.00");

  assert_format ("EUR", 12000, english, "€120.00");
  assert_format ("EUR", 12000, german, "120,00 €");
  assert_format ("USD", 123456789, english, "$1,234,567.89");
  assert_format ("USD", 123456789, german, "1.234.567,89 $");
  assert_format ("EUR", -184005, german, "-1.840,05 €");
  assert_format ("EUR", 5, english, "€0.05");
  assert_format ("CHF", 184000, german, "1.840,00 CHF");
  assert_format ("CHF", 184000, english, "CHF 1,840.00");

  freelocale (english);
  freelocale (german);
  freelocale (c);
}

static gboolean
label_has_cb (gpointer user_data)
{
  GtkWidget *label = user_data;

  return strstr (gtk_label_get_text (GTK_LABEL (label)), "1.840,00 €") != NULL;
}

/* The billing page in German: the amount and the Pay button, German style. */
static void
test_billing_page (void)
{
  locale_t german = open_locale ("de_DE.UTF-8");
  locale_t previous = uselocale (german);
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *billing = aa_pages_show (fixture, "billing");
  /* The seed's invoice of 1,840.00. */
  AaInvoice *invoice = aa_pages_find_invoice (fixture, "Design system workshop");
  GtkWidget *row;

  g_assert_cmpint (aa_invoice_get_amount_cents (invoice), ==, 184000);
  row = aa_billing_page_find_row (AA_BILLING_PAGE (billing), invoice);
  g_assert_nonnull (row);
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (AA_INVOICE_ROW (row)), "clicked");
  aa_test_wait_until (label_has_cb, aa_invoice_row_get_submit_label (AA_INVOICE_ROW (row)), 5000);
  gtk_test_accessible_assert_property (aa_invoice_row_get_submit_button (AA_INVOICE_ROW (row)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Pay 1.840,00 € for “Design system workshop, two days, Studio Lindqvist”");

  aa_ui_fixture_free (fixture);
  uselocale (previous);
  freelocale (german);
}

int
main (int   argc,
      char *argv[])
{
  const char * const locales[] = { "en_US.UTF-8", "de_DE.UTF-8", NULL };
  g_autofree char *locale_dir = aa_ui_test_ensure_locales (locales);
  int status;

  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Amounts/format", test_format);
  g_test_add_func ("/Aa/Amounts/billing-page", test_billing_page);

  status = g_test_run ();
  aa_ui_test_remove_locales (locale_dir);

  return status;
}
