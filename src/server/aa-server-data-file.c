/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-data-file"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-data-file-private.h"
#include "aa-server-db-private.h"
#include "aa-server-import-private.h"
#include "aa-server-store.h"

#define SEED_RESOURCE "/org/example/AsyncActions/server/seed.json"

/* From the generated aa-server-resources.c: referencing it keeps the linker
 * from dropping the resource out of the static library. */
GResource *aa_server_get_resource (void);

/* Generated notes for demos with many rows. */
static void
generate_notes (AaServerState *state,
                guint  n_notes)
{
  static const char *verbs[] = {
    "Call", "Email", "Book", "Review", "Renew", "Order", "Plan", "Pay", "Return", "Update",
  };
  static const char *objects[] = {
    "the dentist", "the landlord", "train tickets to Lyon", "the quarterly report",
    "the car insurance", "printer toner", "Maya’s birthday dinner", "the electricity bill",
    "the library books", "the team wiki", "the passport", "a table at Osteria Nonna",
  };
  g_autofree char *now = aa_server_now_rfc3339 ();

  for (guint i = 0; i < n_notes; i++) {
    AaServerItem *item = g_new0 (AaServerItem, 1);

    item->id = g_strdup_printf ("%" G_GUINT64_FORMAT, state->next_item_id);
    item->title = g_strdup_printf ("%s %s (#%u)",
                                   verbs[i % G_N_ELEMENTS (verbs)],
                                   objects[(i / G_N_ELEMENTS (verbs)) % G_N_ELEMENTS (objects)],
                                   i + 1);
    item->notes = g_strdup (i % 3 == 0 ? "Generated for the large-list demo." : "");
    item->starred = i % 7 == 0;
    item->done = i % 5 == 0;
    item->version = 1;
    item->updated_at = g_strdup (now);
    aa_server_state_add_item (state, item);
  }
}

static AaServerState *
seed_state (guint    n_generated,
            GError **error)
{
  g_autoptr(GBytes) seed = NULL;
  g_autoptr(GError) local_error = NULL;
  AaServerState *state;

  seed = g_resource_lookup_data (aa_server_get_resource (), SEED_RESOURCE,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (seed == NULL) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("The demo data is missing from this build: %s"), local_error->message);
    return NULL;
  }
  state = aa_server_import_json (g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), NULL, &local_error);
  if (state == NULL) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 _("The demo data in this build is damaged: %s"), local_error->message);
    return NULL;
  }
  generate_notes (state, n_generated);

  return state;
}

void
aa_server_data_file_damaged (GError     **error,
                             const char  *path,
                             const char  *why)
{
  /* Never overwrite what we can't read: the person decides. */
  g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
               _("The data file “%s” is damaged (%s). It was left untouched; "
                 "fix it, or move it away to start from the demo data."),
               path, why);
}

/* Keeps a copy of the JSON file beside the database; never overwrites an
 * earlier, different copy. */
static char *
write_backup (const char  *path,
              const char  *contents,
              gsize        length,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < 100; i++) {
    g_autofree char *backup = i == 0 ? g_strconcat (path, ".json-backup", NULL)
                                     : g_strdup_printf ("%s.json-backup-%u", path, i);
    g_autofree char *existing = NULL;
    gsize existing_length = 0;

    /* The same copy from an import cut short is kept, not made twice. */
    if (g_file_get_contents (backup, &existing, &existing_length, NULL) &&
        existing_length == length && memcmp (existing, contents, length) == 0)
      return g_steal_pointer (&backup);
    if (g_file_test (backup, G_FILE_TEST_EXISTS))
      continue;
    if (!g_file_set_contents_full (backup, contents, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, &local_error)) {
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                   _("Couldn’t keep a copy of the data file as “%s”: %s"), backup, local_error->message);
      return NULL;
    }
    return g_steal_pointer (&backup);
  }

  g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
               _("Couldn’t keep a copy of the data file “%s”: there are 100 copies already. "
                 "Remove the old “.json-backup” files."), path);
  return NULL;
}

/* A data file in the JSON format of earlier versions becomes the database
 * at @path; with @backup, a copy of the JSON is kept beside it (when @path
 * is the JSON file itself, about to be replaced). */
static gboolean
import_json (const char  *path,
             const char  *json_path,
             const char  *contents,
             gsize        length,
             gboolean     backup,
             GError     **error)
{
  g_autoptr(AaServerState) state = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *copy = NULL;

  state = aa_server_import_json (contents, length, &records, &local_error);
  if (state == NULL) {
    aa_server_data_file_damaged (error, json_path, local_error->message);
    return FALSE;
  }

  /* The copy first: a crash before the rename leaves the JSON file in place,
   * imported again at the next start. */
  if (backup) {
    copy = write_backup (path, contents, length, error);
    if (copy == NULL)
      return FALSE;
  }
  if (!aa_server_db_create (path, state, records, error))
    return FALSE;

  g_message ("Imported “%s” into the database “%s”%s%s.", json_path, path,
             copy != NULL ? "; the JSON file is kept as " : "", copy != NULL ? copy : "");
  return TRUE;
}

/* A symbolic link is followed, never replaced: the database goes where it points. */
static char *
resolve_path (const char  *path,
              GError     **error)
{
  g_autofree char *resolved = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return g_strdup (path);

  resolved = realpath (path, NULL);
  if (resolved == NULL) {
    int saved_errno = errno;

    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("The data file “%s” is a symbolic link that leads nowhere (%s). "
                   "Point it at a file, or give the real path with --data."),
                 path, g_strerror (saved_errno));
    return NULL;
  }

  return g_strdup (resolved);
}

static gboolean
prepare_file (const char  *path,
              guint        n_generated,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error)) {
    g_autoptr(AaServerState) state = NULL;

    if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                   _("Couldn’t read the data file “%s”: %s"), path, local_error->message);
      return FALSE;
    }

    /* FILE.db, new, beside FILE.json of an earlier version (the default
     * data file was server.json): that one is imported, and left as it is. */
    if (g_str_has_suffix (path, ".db")) {
      g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".db"));
      g_autofree char *json = g_strconcat (stem, ".json", NULL);

      if (g_file_get_contents (json, &contents, &length, NULL) && length > 0 &&
          !aa_server_db_has_header (contents, length))
        return import_json (path, json, contents, length, FALSE, error);
      g_clear_pointer (&contents, g_free);
    }

    state = seed_state (n_generated, error);
    return state != NULL && aa_server_db_create (path, state, NULL, error);
  }

  if (length == 0) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 _("The data file “%s” is empty. It was left untouched; remove it to start "
                   "from the demo data, or put back a copy of your data."), path);
    return FALSE;
  }
  if (aa_server_db_has_header (contents, length))
    return TRUE;

  return import_json (path, path, contents, length, TRUE, error);
}

char *
aa_server_data_file_prepare (const char  *path,
                             guint        n_generated,
                             GError     **error)
{
  g_autofree char *resolved = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  resolved = resolve_path (path, error);
  if (resolved == NULL || !prepare_file (resolved, n_generated, error))
    return NULL;

  return g_steal_pointer (&resolved);
}
