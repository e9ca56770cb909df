/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-validate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-validate.h"

#define CARD_DIGITS 16

gboolean
aa_validate_title (const char  *title,
                   GError     **error)
{
  gboolean has_content = FALSE;
  glong n_chars;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (title != NULL && !g_utf8_validate (title, -1, NULL)) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Retype the title. It contains characters that can’t be read."));
    return FALSE;
  }

  if (title == NULL)
    title = "";

  for (const char *p = title; *p != '\0'; p = g_utf8_next_char (p)) {
    if (!g_unichar_isspace (g_utf8_get_char (p))) {
      has_content = TRUE;
      break;
    }
  }

  if (!has_content) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Add a title. It can’t be empty."));
    return FALSE;
  }

  n_chars = g_utf8_strlen (title, -1);
  if (n_chars > AA_TITLE_MAX_CHARS) {
    g_set_error (error, AA_ERROR, AA_ERROR_VALIDATION,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Shorten the title to %d character or fewer.",
                              "Shorten the title to %d characters or fewer.",
                              AA_TITLE_MAX_CHARS),
                 AA_TITLE_MAX_CHARS);
    return FALSE;
  }

  return TRUE;
}

gboolean
aa_validate_card_number (const char  *card_number,
                         char       **out_digits,
                         GError     **error)
{
  char digits[CARD_DIGITS + 1];
  guint n_digits = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_digits != NULL)
    *out_digits = NULL;

  if (card_number == NULL) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Enter the 16-digit card number."));
    return FALSE;
  }

  /* People type card numbers in groups, so spaces are allowed anywhere;
   * anything else is a typo worth pointing out. */
  for (const char *p = card_number; *p != '\0'; p++) {
    if (*p == ' ')
      continue;

    if (!g_ascii_isdigit (*p)) {
      g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                           _("Use only digits in the card number."));
      return FALSE;
    }

    if (n_digits == CARD_DIGITS) {
      g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                           _("Enter the 16-digit card number. This one has too many digits."));
      return FALSE;
    }

    digits[n_digits++] = *p;
  }

  if (n_digits == 0) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Enter the 16-digit card number."));
    return FALSE;
  }

  if (n_digits < CARD_DIGITS) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Enter the 16-digit card number. This one is too short."));
    return FALSE;
  }

  digits[n_digits] = '\0';
  if (out_digits != NULL)
    *out_digits = g_strdup (digits);

  return TRUE;
}
