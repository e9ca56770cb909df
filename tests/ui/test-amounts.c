/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-amounts"

/* Amounts follow the locale's conventions for money (LC_MONETARY):
 * "€1,840.00" in English, "1.840,00 €" in German, on the billing page too.
 * The locales come from the system, or are compiled for the test from the
 * `locales` package's sources when the system has not generated them. */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "aa-invoice-row.h"
#include "aa-pages-test-helpers.h"
#include "aa-resource-private.h"

static char *locale_dir;

/* Compiles the locales the system has not generated into a directory of
 * the test's own, all before pointing LOCPATH there: glibc remembers a
 * locale it did not find under a path. */
static void
ensure_locales (const char * const *names)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++) {
    locale_t locale = newlocale (LC_ALL_MASK, names[i], (locale_t) 0);

    if (locale == (locale_t) 0)
      g_ptr_array_add (missing, (gpointer) names[i]);
    else
      freelocale (locale);
  }
  if (missing->len == 0)
    return;

  locale_dir = g_dir_make_tmp ("aa-locales-XXXXXX", NULL);
  g_assert_nonnull (locale_dir);
  for (guint i = 0; i < missing->len; i++) {
    const char *name = g_ptr_array_index (missing, i);
    /* "de_DE.UTF-8": the source "de_DE", the charmap "UTF-8". */
    g_autofree char *source = g_strndup (name, strchr (name, '.') - name);
    g_autofree char *output = g_build_filename (locale_dir, name, NULL);
    const char *argv[] = { "localedef", "-i", source, "-f", "UTF-8", output, NULL };
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_printerr ("localedef %s: %s\n", name, err);
  }
  g_setenv ("LOCPATH", locale_dir, TRUE);
}

static locale_t
open_locale (const char *name)
{
  locale_t locale = newlocale (LC_ALL_MASK, name, (locale_t) 0);

  g_assert_true (locale != (locale_t) 0);
  return locale;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
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
  int status;

  ensure_locales (locales);
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Amounts/format", test_format);
  g_test_add_func ("/Aa/Amounts/billing-page", test_billing_page);

  status = g_test_run ();
  if (locale_dir != NULL)
    remove_tree (locale_dir);

  return status;
}
