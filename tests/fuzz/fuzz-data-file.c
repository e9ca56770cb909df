/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: the server's data file as it finds it on disk. Bytes
 * that start like an SQLite database are opened and loaded as one
 * (aa_server_db_open(), aa_server_db_load()); anything else is read as the
 * JSON format of earlier versions (aa_server_import_json()), and what
 * imports is written to a new database and loaded back, as the first start
 * after an upgrade does. */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "aa-server-db-private.h"
#include "aa-server-import-private.h"
#include "aa-server-store.h"

#include "aa-fuzz.h"

static char *dir;

static void
remove_dir_at_exit (void)
{
  aa_fuzz_remove_dir (dir);
}

static void
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AaServerDb) db = NULL;
  g_autoptr(AaServerState) state = NULL;

  db = aa_server_db_open (path, &error);
  if (db != NULL)
    state = aa_server_db_load (db, &error);
  /* Loaded, or refused with an error that says why. */
  g_assert ((state != NULL) != (error != NULL));
  if (error != NULL)
    g_assert (error->domain == AA_SERVER_STORE_ERROR && error->message[0] != '\0');
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AaServerState) state = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL) {
    dir = g_dir_make_tmp ("aa-fuzz-data-file-XXXXXX", &error);
    g_assert_no_error (error);
    atexit (remove_dir_at_exit);
  }
  path = g_build_filename (dir, "data.db", NULL);
  aa_fuzz_remove_dir_files (dir);

  if (aa_server_db_has_header ((const char *) data, size)) {
    if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
      g_error ("%s", error->message);
    load (path);
    return 0;
  }

  state = aa_server_import_json ((const char *) data, size, &records, &error);
  g_assert ((state != NULL) != (error != NULL));
  if (state == NULL) {
    g_assert (error->domain == AA_SERVER_STORE_ERROR && error->message[0] != '\0');
    return 0;
  }

  if (!aa_server_db_create (path, state, records, &error))
    g_error ("What imported couldn’t be written: %s", error->message);
  load (path);
  return 0;
}
