/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include <async-actions.h>

/*
 * AaJournal on its own: what it keeps, in which order, for which server,
 * within which bounds, and that it survives being killed and being damaged.
 */

#define URL   "http://127.0.0.1:8080/api/v1"
#define OTHER "http://127.0.0.1:9090/api/v1"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("aa-journal-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "journal.sqlite", NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    g_unlink (path);
  }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static AaJournal *
open_journal (Fixture    *fixture,
              const char *url,
              const char *account)
{
  g_autoptr(GError) error = NULL;
  AaJournal *journal = aa_journal_open (fixture->path, url, account, &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);
  return journal;
}

static AaJournalEntry *
make_entry (const char *operation,
            const char *target_id,
            const char *patch)
{
  AaJournalEntry *entry = aa_journal_entry_new ();
  g_autofree char *key = g_uuid_string_random ();

  entry->operation = g_strdup (operation);
  entry->target_id = g_strdup (target_id);
  entry->patch = g_strdup (patch);
  entry->idempotency_key = g_steal_pointer (&key);
  return entry;
}

static GPtrArray *
list_entries (AaJournal *journal)
{
  g_autoptr(GError) error = NULL;
  GList *list = aa_journal_list (journal, &error);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_journal_entry_free);

  g_assert_no_error (error);
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (entries, l->data);
  g_list_free (list);
  return entries;
}

static void
close_journal (AaJournal **journal)
{
  g_assert_finalize_object (*journal);
  *journal = NULL;
}

/* Every field comes back as written, after the journal was closed. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, "ada");
  g_autoptr(AaJournalEntry) entry = make_entry ("save", "42", "{\"title\":\"Tea ☕\",\"notes\":\"\"}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  AaJournalEntry *back;
  gint64 seq;

  entry->temporary_id = g_strdup ("local-1");
  entry->subject = g_strdup ("Tea");
  entry->base_version = 7;
  entry->state = AA_MUTATION_STATE_SENT;
  entry->attempts = 2;
  seq = aa_journal_append (journal, entry, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq, >, 0);
  g_assert_cmpint (entry->seq, ==, seq);
  g_assert_cmpint (entry->created_at, >, 0);
  g_assert_true (aa_journal_contains (journal, entry->idempotency_key));
  g_assert_cmpuint (aa_journal_get_n_entries (journal), ==, 1);
  close_journal (&journal);

  journal = open_journal (fixture, URL, "ada");
  g_assert_null (aa_journal_get_set_aside (journal));
  g_assert_cmpuint (aa_journal_get_n_entries (journal), ==, 1);
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 1);
  back = g_ptr_array_index (entries, 0);
  g_assert_cmpint (back->seq, ==, seq);
  g_assert_cmpstr (back->operation, ==, "save");
  g_assert_cmpstr (back->target_id, ==, "42");
  g_assert_cmpstr (back->temporary_id, ==, "local-1");
  g_assert_cmpstr (back->subject, ==, "Tea");
  g_assert_cmpstr (back->patch, ==, entry->patch);
  g_assert_cmpstr (back->idempotency_key, ==, entry->idempotency_key);
  g_assert_cmpint (back->base_version, ==, 7);
  g_assert_cmpint (back->state, ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpuint (back->attempts, ==, 2);
  g_assert_cmpint (back->created_at, ==, entry->created_at);
}

/* Entries come back in the order they were appended, whatever was removed
 * in between, and the order goes on after a reopen. */
static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(AaJournalEntry) last = NULL;
  g_autoptr(GError) error = NULL;
  gint64 previous = 0;

  for (guint i = 0; i < 50; i++) {
    g_autoptr(AaJournalEntry) entry = make_entry ("star", "1", i % 2 ? "{\"starred\":true}" : "{\"starred\":false}");

    g_assert_cmpint (aa_journal_append (journal, entry, &error), >, previous);
    g_assert_no_error (error);
    previous = entry->seq;
    g_ptr_array_add (keys, g_strdup (entry->idempotency_key));
  }
  /* Remove every third one. */
  for (guint i = 0; i < keys->len; i += 3) {
    aa_journal_remove (journal, g_ptr_array_index (keys, i), &error);
    g_assert_no_error (error);
  }
  close_journal (&journal);

  journal = open_journal (fixture, URL, NULL);
  last = make_entry ("done", "2", "{\"done\":true}");
  g_assert_cmpint (aa_journal_append (journal, last, &error), >, previous);
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 50 - 17 + 1);
  for (guint i = 0, k = 0; k < keys->len; k++) {
    if (k % 3 == 0)
      continue;
    g_assert_cmpstr (((AaJournalEntry *) g_ptr_array_index (entries, i++))->idempotency_key,
                     ==, g_ptr_array_index (keys, k));
  }
  g_assert_cmpstr (((AaJournalEntry *) g_ptr_array_index (entries, entries->len - 1))->idempotency_key,
                   ==, last->idempotency_key);
}

/* What changes of an unsettled mutation is written: state and attempts,
 * base version, and the real id a create got. */
static void
test_update_state (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(AaJournalEntry) create = make_entry ("create", "local-7", "{\"title\":\"New\"}");
  g_autoptr(AaJournalEntry) star = make_entry ("star", "local-7", "{\"starred\":true}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  AaJournalEntry *back;

  aa_journal_append (journal, create, &error);
  g_assert_no_error (error);
  aa_journal_append (journal, star, &error);
  g_assert_no_error (error);

  g_assert_true (aa_journal_update_state (journal, create->idempotency_key, AA_MUTATION_STATE_SENT, 1, &error));
  g_assert_no_error (error);
  g_assert_true (aa_journal_update_state (journal, create->idempotency_key, AA_MUTATION_STATE_FAILED, 1, &error));
  aa_journal_rename_target (journal, "local-7", "17");
  star->base_version = 3;
  star->state = AA_MUTATION_STATE_ROLLED_BACK;
  star->attempts = 4;
  star->error_domain = g_strdup ("aa-error-quark");
  star->error_code = 3;
  star->error_message = g_strdup ("Internal error");
  g_free (star->target_id);
  star->target_id = g_strdup ("17");
  g_assert_true (aa_journal_update (journal, star, &error));
  g_assert_no_error (error);
  close_journal (&journal);

  journal = open_journal (fixture, URL, NULL);
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 2);
  back = g_ptr_array_index (entries, 0);
  g_assert_cmpint (back->state, ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpuint (back->attempts, ==, 1);
  g_assert_cmpstr (back->target_id, ==, "17");
  back = g_ptr_array_index (entries, 1);
  g_assert_cmpint (back->state, ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpuint (back->attempts, ==, 4);
  g_assert_cmpint (back->base_version, ==, 3);
  g_assert_cmpstr (back->target_id, ==, "17");
  g_assert_cmpstr (back->error_domain, ==, "aa-error-quark");
  g_assert_cmpint (back->error_code, ==, 3);
  g_assert_cmpstr (back->error_message, ==, "Internal error");
}

/* A settled mutation leaves for good; an unknown key is refused. */
static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(AaJournalEntry) entry = make_entry ("star", "1", "{\"starred\":true}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  aa_journal_append (journal, entry, &error);
  g_assert_no_error (error);
  g_assert_true (aa_journal_remove (journal, entry->idempotency_key, &error));
  g_assert_no_error (error);
  g_assert_false (aa_journal_contains (journal, entry->idempotency_key));
  g_assert_false (aa_journal_remove (journal, entry->idempotency_key, &error));
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (aa_journal_update_state (journal, "nope", AA_MUTATION_STATE_SENT, 1, &error));
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  close_journal (&journal);

  journal = open_journal (fixture, URL, NULL);
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpuint (aa_journal_get_n_entries (journal), ==, 0);
}

static JsonObject *
make_fields (const char *title,
             const char *notes)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "notes", notes);
  return fields;
}

/* One draft per resource, the newest, kept across a reopen until removed. */
static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(JsonObject) first = make_fields ("Tea", "Green");
  g_autoptr(JsonObject) second = make_fields ("Tea", "Green, then black");
  g_autoptr(JsonObject) other = make_fields ("Bread", "");
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *huge = NULL;
  g_autoptr(JsonObject) too_large = NULL;
  gint64 updated_at = 0;

  g_assert_true (aa_journal_set_draft (journal, "1", first, &error));
  g_assert_true (aa_journal_set_draft (journal, "1", second, &error));
  g_assert_true (aa_journal_set_draft (journal, "2", other, &error));
  g_assert_no_error (error);
  g_assert_true (aa_journal_has_draft (journal, "1"));

  /* Larger than one draft may be: refused, the previous one kept. */
  huge = g_strnfill (2 * 1024 * 1024, 'x');
  too_large = make_fields ("Tea", huge);
  g_assert_false (aa_journal_set_draft (journal, "1", too_large, &error));
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  close_journal (&journal);

  journal = open_journal (fixture, URL, NULL);
  ids = aa_journal_list_drafts (journal);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  back = aa_journal_dup_draft (journal, "1", &updated_at);
  g_assert_nonnull (back);
  g_assert_cmpint (updated_at, >, 0);
  g_assert_cmpstr (json_object_get_string_member (back, "notes"), ==, "Green, then black");
  g_assert_null (aa_journal_dup_draft (journal, "3", NULL));

  aa_journal_remove_draft (journal, "1");
  g_assert_false (aa_journal_has_draft (journal, "1"));
  close_journal (&journal);

  journal = open_journal (fixture, URL, NULL);
  g_assert_false (aa_journal_has_draft (journal, "1"));
  g_assert_true (aa_journal_has_draft (journal, "2"));
}

/* A journal written for another URL or account is set aside, never read:
 * nothing of it is replayed here. */
static void
test_other_server (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, "ada");
  g_autoptr(AaJournalEntry) entry = make_entry ("pay", "inv-1", "{}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path_a = aa_journal_build_path ("org.example.Test", URL, "ada");
  g_autofree char *path_b = aa_journal_build_path ("org.example.Test", URL, "bob");
  g_autofree char *path_c = aa_journal_build_path ("org.example.Test", OTHER, "ada");
  g_autofree char *state_dir = g_build_filename (g_get_user_state_dir (), "org.example.Test", NULL);
  const GError *set_aside;

  /* Each URL and account has its own file, under $XDG_STATE_HOME. */
  g_assert_true (g_str_has_prefix (path_a, state_dir));
  g_assert_cmpstr (path_a, !=, path_b);
  g_assert_cmpstr (path_a, !=, path_c);

  aa_journal_append (journal, entry, &error);
  g_assert_no_error (error);
  close_journal (&journal);

  /* The same file (copied, or a hash collision) for another server. */
  journal = open_journal (fixture, OTHER, "ada");
  set_aside = aa_journal_get_set_aside (journal);
  g_assert_error ((GError *) set_aside, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_OTHER_SERVER);
  g_assert_nonnull (strstr (set_aside->message, "journal.sqlite-other-account-"));
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);
  close_journal (&journal);

  /* And for another account of the same server: the new file is not ada's. */
  journal = open_journal (fixture, OTHER, "bob");
  g_assert_error ((GError *) aa_journal_get_set_aside (journal), AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_OTHER_SERVER);
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 0);
}

static guint
count_files_with (const char *dir,
                  const char *part)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    n += strstr (name, part) != NULL && !g_str_has_suffix (name, "-wal");
  return n;
}

static void
assert_set_aside_damaged (Fixture *fixture,
                          guint    n_before)
{
  g_autoptr(AaJournal) journal = NULL;
  g_autoptr(AaJournalEntry) entry = make_entry ("star", "1", "{}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const GError *set_aside;

  journal = open_journal (fixture, URL, NULL);
  set_aside = aa_journal_get_set_aside (journal);
  g_assert_error ((GError *) set_aside, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_DAMAGED);
  g_assert_nonnull (strstr (set_aside->message, "journal.sqlite-damaged-"));
  g_assert_cmpuint (count_files_with (fixture->dir, "-damaged-"), ==, n_before + 1);

  /* A fresh journal works in its place. */
  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, 0);
  aa_journal_append (journal, entry, &error);
  g_assert_no_error (error);
  g_assert_true (aa_journal_flush (journal, &error));
}

static void
write_sqlite (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Not a database, another database, another schema version, a damaged
 * page: each is set aside with a message naming it, never a crash. */
static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_set_contents (fixture->path, "This is not a database, not even close. 0123456789", -1, &error);
  g_assert_no_error (error);
  assert_set_aside_damaged (fixture, 0);

  g_unlink (fixture->path);
  write_sqlite (fixture->path, "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT);");
  assert_set_aside_damaged (fixture, 1);

  /* Ours, but a schema this version does not know. */
  {
    g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  }
  write_sqlite (fixture->path, "PRAGMA user_version = 99;");
  assert_set_aside_damaged (fixture, 2);

  /* Ours, with pages overwritten in the middle. */
  {
    g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);

    for (guint i = 0; i < 200; i++) {
      g_autoptr(AaJournalEntry) entry = make_entry ("save", "1", "{\"notes\":\"Lorem ipsum dolor sit amet\"}");

      aa_journal_append (journal, entry, &error);
      g_assert_no_error (error);
    }
  }
  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8192);
  /* The last pages hold the rows and their index, not the metadata. */
  memset (contents + length - 8192 + 100, 0x5a, 4096);
  g_file_set_contents (fixture->path, contents, length, &error);
  g_assert_no_error (error);
  assert_set_aside_damaged (fixture, 3);
}

/* A clear refusal beyond the bounds: nothing written, and room again once
 * something settled. */
static void
test_size_bound (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AaJournalEntry) refused = make_entry ("star", "1", "{}");
  g_autoptr(AaJournalEntry) large = NULL;
  g_autoptr(AaJournalEntry) again = make_entry ("star", "1", "{}");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (2 * 1024 * 1024, 'x');

  aa_journal_set_max_entries (journal, 5);
  for (guint i = 0; i < 5; i++) {
    g_autoptr(AaJournalEntry) entry = make_entry ("star", "1", "{}");

    aa_journal_append (journal, entry, &error);
    g_assert_no_error (error);
    g_ptr_array_add (keys, g_strdup (entry->idempotency_key));
  }
  g_assert_cmpint (aa_journal_append (journal, refused, &error), ==, 0);
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "Too many changes"));
  g_clear_error (&error);
  g_assert_false (aa_journal_contains (journal, refused->idempotency_key));

  aa_journal_remove (journal, g_ptr_array_index (keys, 0), &error);
  g_assert_cmpint (aa_journal_append (journal, again, &error), >, 0);
  g_assert_no_error (error);

  /* Bytes: one change larger than any may be, and a journal whose bytes
   * are spent. */
  aa_journal_set_max_entries (journal, 1000);
  large = make_entry ("save", "1", huge);
  g_assert_cmpint (aa_journal_append (journal, large, &error), ==, 0);
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_TOO_LARGE);
  g_clear_error (&error);

  aa_journal_set_max_bytes (journal, 4096);
  for (guint i = 0; error == NULL && i < 100; i++) {
    g_autoptr(AaJournalEntry) entry = make_entry ("save", "1", "{\"notes\":\"0123456789012345678901234567890123456789\"}");

    aa_journal_append (journal, entry, &error);
  }
  g_assert_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (aa_journal_get_n_entries (journal), <, 100);

  entries = list_entries (journal);
  g_assert_cmpuint (entries->len, ==, aa_journal_get_n_entries (journal));
}

/* The child of test_killed: appends, flushes, and says which key is on
 * disk, until it is killed. */
static int
run_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AaJournal) journal = aa_journal_open (path, URL, NULL, &error);

  if (journal == NULL) {
    g_printerr ("%s\n", error->message);
    return 1;
  }

  for (guint i = 0; ; i++) {
    g_autoptr(AaJournalEntry) entry = make_entry ("save", "1", "{\"notes\":\"typed before the kill\"}");

    if (aa_journal_append (journal, entry, &error) == 0 || !aa_journal_flush (journal, &error)) {
      g_printerr ("%s\n", error->message);
      return 1;
    }
    /* Unflushed writes as well, which may or may not make it. */
    for (guint j = 0; j < 5; j++) {
      g_autoptr(AaJournalEntry) extra = make_entry ("star", "2", "{\"starred\":true}");

      aa_journal_append (journal, extra, NULL);
    }
    g_print ("%s\n", entry->idempotency_key);
  }
}

/* Killed (SIGKILL) in the middle of writing: every write acknowledged as on
 * disk is there after a reopen, in order, and the file is intact. */
static void
test_killed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) found = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(AaJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  const char *self_path = g_test_get_filename (G_TEST_BUILT, "test-journal", NULL);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--journal-child", fixture->path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  while (acknowledged->len < 40) {
    char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (line);
    g_ptr_array_add (acknowledged, line);
  }
  g_subprocess_force_exit (child);  /* SIGKILL */
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  journal = open_journal (fixture, URL, NULL);
  g_assert_null (aa_journal_get_set_aside (journal));
  entries = list_entries (journal);
  for (guint i = 0; i < entries->len; i++) {
    AaJournalEntry *entry = g_ptr_array_index (entries, i);

    g_hash_table_add (found, entry->idempotency_key);
    if (i > 0)
      g_assert_cmpint (entry->seq, >, ((AaJournalEntry *) g_ptr_array_index (entries, i - 1))->seq);
  }
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_true (g_hash_table_contains (found, g_ptr_array_index (acknowledged, i)));
}

/* The price of durability, printed: a write handed to the writer thread
 * (the click path) against one waited on disk. */
static void
test_cost (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(AaJournal) journal = open_journal (fixture, URL, NULL);
  g_autoptr(GError) error = NULL;
  const guint n = 200;
  gint64 queued = 0, durable = 0;

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaJournalEntry) entry = make_entry ("star", "1", "{\"starred\":true}");
    gint64 t0 = g_get_monotonic_time (), t1;

    aa_journal_append (journal, entry, &error);
    t1 = g_get_monotonic_time ();
    aa_journal_flush (journal, &error);
    g_assert_no_error (error);
    queued += t1 - t0;
    durable += g_get_monotonic_time () - t0;
  }
  g_test_message ("append: %.1f us in the caller, %.1f us until on disk (mean of %u)",
                  (double) queued / n, (double) durable / n, n);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--journal-child"))
    return run_child (argv[2]);

  /* Never the user's own state folder. */
  state_home = g_dir_make_tmp ("aa-journal-state-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Journal/round-trip", test_round_trip);
  ADD ("/Journal/order", test_order);
  ADD ("/Journal/update-state", test_update_state);
  ADD ("/Journal/remove", test_remove);
  ADD ("/Journal/drafts", test_drafts);
  ADD ("/Journal/other-server", test_other_server);
  ADD ("/Journal/damaged", test_damaged);
  ADD ("/Journal/size-bound", test_size_bound);
  ADD ("/Journal/killed", test_killed);
  ADD ("/Journal/cost", test_cost);
#undef ADD

  {
    int status = g_test_run ();

    g_rmdir (state_home);
    return status;
  }
}
