/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Replays inputs through a fuzz target without libFuzzer, so that a normal
 * build (gcc, valgrind, the sanitizers) runs the seed corpus and every
 * crash the fuzzers ever found: `fuzz-replay-TARGET DIR_OR_FILE...`. */

#include "config.h"

#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static guint
replay (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    guint n = 0;

    g_assert_no_error (error);
    /* Dot files (.keep) hold an empty directory in git. */
    while ((name = g_dir_read_name (dir)) != NULL)
      if (name[0] != '.')
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
    /* In a stable order, so that a failure is the same on every run. */
    g_ptr_array_sort (names, compare_paths);
    for (guint i = 0; i < names->len; i++)
      n += replay (g_ptr_array_index (names, i));
    return n;
  }

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  g_print ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  if (argc < 2) {
    g_printerr ("Usage: %s DIR_OR_FILE...\n", argv[0]);
    return EXIT_FAILURE;
  }
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  if (n == 0) {
    g_printerr ("No input to replay in the arguments.\n");
    return EXIT_FAILURE;
  }
  g_print ("%u inputs replayed\n", n);
  return EXIT_SUCCESS;
}
