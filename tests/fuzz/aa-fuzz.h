/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes the files in @dir (a target's temporary store), and @dir. */
void aa_fuzz_remove_dir_files (const char *dir);
void aa_fuzz_remove_dir       (const char *dir);

G_END_DECLS
