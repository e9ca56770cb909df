/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "aa-fuzz.h"

void
aa_fuzz_remove_dir_files (const char *dir)
{
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (dir == NULL)
    return;
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    g_unlink (path);
  }
}

void
aa_fuzz_remove_dir (const char *dir)
{
  if (dir == NULL)
    return;
  aa_fuzz_remove_dir_files (dir);
  g_rmdir (dir);
}
