/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Shared by the engine (to flag a field before anything is sent) and the
 * demo server (to refuse bad input): one rule, one place. Errors are
 * AA_ERROR_VALIDATION with a translated message that names the field and
 * says what to do ("Add a title. It can’t be empty."). */

#define AA_TITLE_MAX_CHARS 200

gboolean aa_validate_title       (const char  *title,
                                  GError     **error);
/* Accepts 16 digits with optional spaces; @out_digits gets the digits only. */
gboolean aa_validate_card_number (const char  *card_number,
                                  char       **out_digits,
                                  GError     **error);

G_END_DECLS
