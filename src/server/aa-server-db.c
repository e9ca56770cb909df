/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "aa-server-db-private.h"
#include "aa-server-store.h"

/* "AAsv" in PRAGMA application_id: the file is ours, not any database. */
#define APPLICATION_ID 0x41417376
#define SCHEMA_VERSION 1

static const char schema[] =
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
  "  notes TEXT NOT NULL, starred INTEGER NOT NULL, done INTEGER NOT NULL,"
  "  trashed INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL);"
  "CREATE TABLE purged (id TEXT PRIMARY KEY) WITHOUT ROWID;"
  "CREATE TABLE invoices (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
  "  description TEXT NOT NULL, currency TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
  "  paid INTEGER NOT NULL);"
  "CREATE TABLE payments (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
  "  invoice_id TEXT NOT NULL, card_last4 TEXT NOT NULL, created_at TEXT NOT NULL);"
  "CREATE TABLE members (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
  "  role TEXT NOT NULL);"
  "CREATE TABLE idempotency (principal TEXT NOT NULL, key TEXT NOT NULL,"
  "  fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, etag TEXT,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
  "  PRIMARY KEY (principal, key)) WITHOUT ROWID;"
  "CREATE INDEX idempotency_expiry ON idempotency (expires_at);";

/* The change log that GET /events streams and replays. Created on open too:
 * a database of an earlier version gets it without a new schema version. */
static const char events_schema[] =
  "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, type TEXT NOT NULL,"
  "  data TEXT NOT NULL);";

typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SAVEPOINT,
  STMT_RELEASE,
  STMT_ROLLBACK_TO,
  STMT_PUT_ITEM,
  STMT_DELETE_ITEM,
  STMT_ADD_PURGED,
  STMT_PUT_INVOICE,
  STMT_PUT_PAYMENT,
  STMT_PUT_MEMBER,
  STMT_PUT_COUNTER,
  STMT_PUT_RECORD,
  STMT_LOOKUP_RECORD,
  STMT_PRUNE_RECORDS,
  STMT_PUT_EVENT,
  STMT_PRUNE_EVENTS,
  STMT_EVENTS_SINCE,
  STMT_EVENT_BOUNDS,
  N_STMTS
} Stmt;

static const char *stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  /* One change of a batch (aa-server-writer.c): undone alone if it fails. */
  [STMT_SAVEPOINT] = "SAVEPOINT change",
  [STMT_RELEASE] = "RELEASE change",
  [STMT_ROLLBACK_TO] = "ROLLBACK TO change",
  /* An upsert keeps the row, and so the item's place in creation order. */
  [STMT_PUT_ITEM] =
    "INSERT INTO items (id, title, notes, starred, done, trashed, version, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET"
    " title = ?2, notes = ?3, starred = ?4, done = ?5, trashed = ?6, version = ?7, updated_at = ?8",
  [STMT_DELETE_ITEM] = "DELETE FROM items WHERE id = ?1",
  [STMT_ADD_PURGED] = "INSERT OR IGNORE INTO purged (id) VALUES (?1)",
  [STMT_PUT_INVOICE] =
    "INSERT INTO invoices (id, description, currency, amount_cents, paid) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (id) DO UPDATE SET description = ?2, currency = ?3, amount_cents = ?4, paid = ?5",
  [STMT_PUT_PAYMENT] =
    "INSERT INTO payments (id, invoice_id, card_last4, created_at) VALUES (?1, ?2, ?3, ?4)",
  [STMT_PUT_MEMBER] =
    "INSERT INTO members (id, name, role) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (id) DO UPDATE SET name = ?2, role = ?3",
  [STMT_PUT_COUNTER] = "INSERT OR REPLACE INTO counters (name, value) VALUES (?1, ?2)",
  [STMT_PUT_RECORD] =
    "INSERT OR REPLACE INTO idempotency"
    " (principal, key, fingerprint, status, body, etag, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_LOOKUP_RECORD] =
    "SELECT fingerprint, status, body, etag, created_at FROM idempotency"
    " WHERE principal = ?1 AND key = ?2 AND expires_at > ?3",
  [STMT_PRUNE_RECORDS] = "DELETE FROM idempotency WHERE expires_at <= ?1",
  [STMT_PUT_EVENT] = "INSERT INTO events (id, type, data) VALUES (?1, ?2, ?3)",
  [STMT_PRUNE_EVENTS] = "DELETE FROM events WHERE id <= ?1",
  [STMT_EVENTS_SINCE] = "SELECT id, type, data FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
  [STMT_EVENT_BOUNDS] = "SELECT COALESCE (MIN (id), 0), COALESCE (MAX (id), 0) FROM events",
};

struct _AaServerDb
{
  char         *path;
  sqlite3      *handle;
  sqlite3_stmt *stmts[N_STMTS];
  gboolean      in_transaction;
};

static gboolean
fail (sqlite3     *handle,
      const char  *path,
      GError     **error)
{
  int code = sqlite3_extended_errcode (handle);

  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "%s", sqlite3_errmsg (handle));
  } else {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn’t write the database “%s”: %s"), path, sqlite3_errmsg (handle));
  }
  return FALSE;
}

static gboolean
exec (sqlite3     *handle,
      const char  *path,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (handle, path, error);

  return TRUE;
}

/* Runs a statement with no rows to read, and resets it for the next use. */
static gboolean
step (AaServerDb    *db,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return fail (db->handle, db->path, error);

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? (const char *) text : "");
}

gboolean
aa_server_db_has_header (const char *data,
                         gsize       length)
{
  static const char header[] = "SQLite format 3";

  /* The header includes its terminating NUL. */
  return length >= sizeof header && memcmp (data, header, sizeof header) == 0;
}

/* Prepares every statement once; they live as long as the connection. */
static gboolean
prepare (AaServerDb  *db,
         GError     **error)
{
  for (guint i = 0; i < N_STMTS; i++) {
    if (sqlite3_prepare_v3 (db->handle, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &db->stmts[i], NULL) != SQLITE_OK)
      return fail (db->handle, db->path, error);
  }

  return TRUE;
}

void
aa_server_db_close (AaServerDb *db)
{
  if (db == NULL)
    return;

  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (db->stmts[i]);
  sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

static AaServerDb *
db_new (const char  *path,
        int          flags,
        GError     **error)
{
  g_autoptr(AaServerDb) db = g_new0 (AaServerDb, 1);

  db->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &db->handle, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    if (db->handle == NULL) {
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                   _("Couldn’t open the database “%s”: out of memory"), path);
      return NULL;
    }
    fail (db->handle, path, error);
    return NULL;
  }
  sqlite3_extended_result_codes (db->handle, 1);
  /* Two connections share the file (aa_server_db_connect()): in WAL they
   * rarely wait for each other, and then not for long. */
  sqlite3_busy_timeout (db->handle, 10000);

  return g_steal_pointer (&db);
}

static gboolean
write_state (AaServerDb           *db,
             const AaServerState  *state,
             GPtrArray            *records,
             GError              **error)
{
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < state->items->len; i++) {
    if (!aa_server_db_put_item (db, g_ptr_array_index (state->items, i), error))
      return FALSE;
  }
  g_hash_table_iter_init (&iter, state->purged);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    sqlite3_bind_text (db->stmts[STMT_ADD_PURGED], 1, key, -1, SQLITE_STATIC);
    if (!step (db, db->stmts[STMT_ADD_PURGED], error))
      return FALSE;
  }
  for (guint i = 0; i < state->invoices->len; i++) {
    if (!aa_server_db_put_invoice (db, g_ptr_array_index (state->invoices, i), error))
      return FALSE;
  }
  for (guint i = 0; i < state->payments->len; i++) {
    if (!aa_server_db_put_payment (db, g_ptr_array_index (state->payments, i), error))
      return FALSE;
  }
  for (guint i = 0; i < state->members->len; i++) {
    if (!aa_server_db_put_member (db, g_ptr_array_index (state->members, i), error))
      return FALSE;
  }
  for (guint i = 0; records != NULL && i < records->len; i++) {
    AaServerRecord *record = g_ptr_array_index (records, i);

    if (!aa_server_db_put_record (db, record, AA_SERVER_KEY_LIFETIME_SECONDS, error))
      return FALSE;
  }

  return aa_server_db_put_counters (db, state, error);
}

static gboolean
sync_directory (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* The rename is durable only once the folder is on disk. */
  if (fd < 0 || fsync (fd) != 0) {
    int saved_errno = errno;

    if (fd >= 0)
      close (fd);
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn’t write the folder “%s”: %s"), dir, g_strerror (saved_errno));
    return FALSE;
  }

  close (fd);
  return TRUE;
}

gboolean
aa_server_db_create (const char           *path,
                     const AaServerState  *state,
                     GPtrArray            *records,
                     GError              **error)
{
  static const char *sidecars[] = { "-wal", "-shm", "-journal" };
  g_autoptr(AaServerDb) db = NULL;
  g_autofree char *tmp = g_strconcat (path, ".new-XXXXXX", NULL);
  g_autofree char *journal = NULL;
  g_autofree char *pragmas = NULL;
  int fd;

  g_return_val_if_fail (path != NULL && state != NULL, FALSE);

  /* A unique name beside the target, so the rename stays on one file system. */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    int saved_errno = errno;

    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn’t create the database “%s”: %s"), path, g_strerror (saved_errno));
    return FALSE;
  }
  close (fd);
  journal = g_strconcat (tmp, "-journal", NULL);

  /* Filled in one transaction with a rollback journal (SQLite syncs the file
   * at commit); the WAL is switched on once it has its final name. */
  db = db_new (tmp, SQLITE_OPEN_READWRITE, error);
  pragmas = g_strdup_printf ("PRAGMA synchronous = FULL; PRAGMA application_id = %d;"
                             "PRAGMA user_version = %d;", APPLICATION_ID, SCHEMA_VERSION);
  if (db == NULL ||
      !exec (db->handle, path, pragmas, error) ||
      !exec (db->handle, path, "BEGIN", error) ||
      !exec (db->handle, path, schema, error) ||
      !exec (db->handle, path, events_schema, error) ||
      !prepare (db, error) ||
      !write_state (db, state, records, error) ||
      !exec (db->handle, path, "COMMIT", error)) {
    g_clear_pointer (&db, aa_server_db_close);
    g_unlink (tmp);
    g_unlink (journal);
    return FALSE;
  }
  g_clear_pointer (&db, aa_server_db_close);

  /* What is at @path is no database (or nothing): a log left beside it by
   * an earlier one must not be replayed into the new one. */
  for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++) {
    g_autofree char *sidecar = g_strconcat (path, sidecars[i], NULL);

    g_unlink (sidecar);
  }

  if (g_rename (tmp, path) != 0) {
    int saved_errno = errno;

    g_unlink (tmp);
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn’t create the database “%s”: %s"), path, g_strerror (saved_errno));
    return FALSE;
  }

  return sync_directory (path, error);
}

static gint64
pragma_int (AaServerDb  *db,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL) != SQLITE_OK) {
    fail (db->handle, db->path, error);
    return -1;
  }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    fail (db->handle, db->path, error);
  sqlite3_finalize (stmt);

  return value;
}

static gboolean
quick_check (AaServerDb  *db,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    return fail (db->handle, db->path, error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = column_text (stmt, 0);
  sqlite3_finalize (stmt);

  if (result == NULL)
    return fail (db->handle, db->path, error);
  if (!g_str_equal (result, "ok")) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT, "%s", result);
    return FALSE;
  }

  return TRUE;
}

AaServerDb *
aa_server_db_open (const char  *path,
                   GError     **error)
{
  g_autoptr(AaServerDb) db = NULL;
  gint64 application_id;

  g_return_val_if_fail (path != NULL, NULL);

  db = db_new (path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    return NULL;

  /* Read before anything is written: a file that isn't ours stays as it is. */
  application_id = pragma_int (db, "PRAGMA application_id", error);
  if (application_id < 0 && error != NULL && *error != NULL)
    return NULL;
  if (application_id != APPLICATION_ID) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                         "it is an SQLite database, but not one of this server");
    return NULL;
  }
  if (pragma_int (db, "PRAGMA user_version", NULL) != SCHEMA_VERSION) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                         "the database version is not one this server knows");
    return NULL;
  }
  if (!quick_check (db, error))
    return NULL;

  /* WAL: a commit appends and syncs the log, rather than rewriting pages in
   * place; FULL syncs it at every commit, so an answered change is durable. */
  if (!exec (db->handle, path, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error) ||
      !exec (db->handle, path, events_schema, error) ||
      !prepare (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

AaServerDb *
aa_server_db_connect (const char  *path,
                      GError     **error)
{
  g_autoptr(AaServerDb) db = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  db = db_new (path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL ||
      !exec (db->handle, path, "PRAGMA synchronous = FULL;", error) ||
      !prepare (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

gboolean
aa_server_db_is_durable (AaServerDb *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  g_return_val_if_fail (db != NULL, FALSE);

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);

  /* 2 is FULL, 3 EXTRA. */
  return wal && pragma_int (db, "PRAGMA synchronous", NULL) >= 2;
}

static gboolean
load_rows (AaServerDb  *db,
           const char  *sql,
           void       (*row_cb) (sqlite3_stmt *stmt, AaServerState *state),
           AaServerState *state,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail (db->handle, db->path, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    row_cb (stmt, state);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return fail (db->handle, db->path, error);
  return TRUE;
}

/* The first of @n text columns of the row that is not UTF-8, by name
 * (@names), or NULL when every one is. */
static const char *
damaged_column (sqlite3_stmt       *stmt,
                const char * const *names,
                guint               n)
{
  for (guint i = 0; i < n; i++) {
    const char *text = (const char *) sqlite3_column_text (stmt, (int) i);

    if (text != NULL && !g_utf8_validate (text, sqlite3_column_bytes (stmt, (int) i), NULL))
      return names[i];
  }

  return NULL;
}

/* Text that is not UTF-8 (a flipped byte passes SQLite's own checks) would
 * make every answer that holds it unreadable: such a record is set aside
 * in @damaged (its id, readable, to why), and named wherever it would have
 * been served. The first column is the id. Returns the id, or NULL when
 * the row is whole. */
static char *
set_aside (sqlite3_stmt       *stmt,
           const char         *kind,
           const char * const *names,
           guint               n,
           GHashTable         *damaged)
{
  const char *column = damaged_column (stmt, names, n);
  char *id;

  if (column == NULL)
    return NULL;

  id = g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 0), -1);
  g_message ("The stored %s %s is damaged (its %s is not UTF-8); it is not served", kind, id, column);
  if (damaged != NULL)
    g_hash_table_insert (damaged, g_strdup (id), g_strdup (column));

  return id;
}

/* An item's id stays taken. */
static gboolean
set_aside_damaged (sqlite3_stmt  *stmt,
                   AaServerState *state)
{
  static const char * const names[] = { "id", "title", "notes" };
  g_autofree char *id = set_aside (stmt, "note", names, G_N_ELEMENTS (names), state->damaged);
  guint64 number;

  /* updated_at comes after the flags. */
  if (id == NULL && !g_utf8_validate ((const char *) sqlite3_column_text (stmt, 7),
                                      sqlite3_column_bytes (stmt, 7), NULL)) {
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    g_message ("The stored note %s is damaged (its updated_at is not UTF-8); it is not served", id);
    g_hash_table_insert (state->damaged, g_strdup (id), g_strdup ("updated_at"));
  }
  if (id == NULL)
    return FALSE;

  number = aa_server_parse_id (id);
  if (number != 0 && number < AA_SERVER_MAX_ID)
    state->next_item_id = MAX (state->next_item_id, number + 1);

  return TRUE;
}

static void
item_row (sqlite3_stmt  *stmt,
          AaServerState *state)
{
  AaServerItem *item;

  if (set_aside_damaged (stmt, state))
    return;

  item = g_new0 (AaServerItem, 1);
  item->id = column_text (stmt, 0);
  item->title = column_text (stmt, 1);
  item->notes = column_text (stmt, 2);
  item->starred = sqlite3_column_int (stmt, 3) != 0;
  item->done = sqlite3_column_int (stmt, 4) != 0;
  item->trashed = sqlite3_column_int (stmt, 5) != 0;
  item->version = sqlite3_column_int64 (stmt, 6);
  item->updated_at = column_text (stmt, 7);
  /* The UNIQUE constraint rules out a second one. */
  aa_server_state_add_item (state, item);
}

static void
purged_row (sqlite3_stmt  *stmt,
            AaServerState *state)
{
  g_hash_table_add (state->purged, column_text (stmt, 0));
}

static void
invoice_row (sqlite3_stmt  *stmt,
             AaServerState *state)
{
  static const char * const names[] = { "id", "description", "currency" };
  g_autofree char *damaged = set_aside (stmt, "invoice", names, G_N_ELEMENTS (names), state->damaged_invoices);
  AaServerInvoice *invoice;

  if (damaged != NULL)
    return;

  invoice = g_new0 (AaServerInvoice, 1);
  invoice->id = column_text (stmt, 0);
  invoice->description = column_text (stmt, 1);
  invoice->currency = column_text (stmt, 2);
  invoice->amount_cents = sqlite3_column_int64 (stmt, 3);
  invoice->paid = sqlite3_column_int (stmt, 4) != 0;
  g_ptr_array_add (state->invoices, invoice);
}

static void
payment_row (sqlite3_stmt  *stmt,
             AaServerState *state)
{
  static const char * const names[] = { "id", "invoice_id", "card_last4", "created_at" };
  g_autofree char *damaged = set_aside (stmt, "payment", names, G_N_ELEMENTS (names), NULL);
  AaServerPayment *payment;

  /* Payments are never served; a damaged one is only left alone. */
  if (damaged != NULL)
    return;

  payment = g_new0 (AaServerPayment, 1);
  payment->id = column_text (stmt, 0);
  payment->invoice_id = column_text (stmt, 1);
  payment->card_last4 = column_text (stmt, 2);
  payment->created_at = column_text (stmt, 3);
  g_ptr_array_add (state->payments, payment);
}

static void
member_row (sqlite3_stmt  *stmt,
            AaServerState *state)
{
  static const char * const names[] = { "id", "name", "role" };
  g_autofree char *damaged = set_aside (stmt, "member", names, G_N_ELEMENTS (names), state->damaged_members);
  AaServerMember *member;

  if (damaged != NULL)
    return;

  member = g_new0 (AaServerMember, 1);
  member->id = column_text (stmt, 0);
  member->name = column_text (stmt, 1);
  member->role = column_text (stmt, 2);
  g_ptr_array_add (state->members, member);
}

static void
counter_row (sqlite3_stmt  *stmt,
             AaServerState *state)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 0);
  gint64 value = CLAMP (sqlite3_column_int64 (stmt, 1), 1, AA_SERVER_MAX_ID);

  if (g_strcmp0 (name, "next_item_id") == 0)
    state->next_item_id = MAX (state->next_item_id, (guint64) value);
  else if (g_strcmp0 (name, "next_payment_id") == 0)
    state->next_payment_id = MAX (state->next_payment_id, (guint64) value);
}

AaServerState *
aa_server_db_load (AaServerDb  *db,
                   GError     **error)
{
  g_autoptr(AaServerState) state = aa_server_state_new ();

  g_return_val_if_fail (db != NULL, NULL);

  if (!load_rows (db, "SELECT id, title, notes, starred, done, trashed, version, updated_at"
                      " FROM items ORDER BY seq", item_row, state, error) ||
      !load_rows (db, "SELECT id FROM purged", purged_row, state, error) ||
      !load_rows (db, "SELECT id, description, currency, amount_cents, paid"
                      " FROM invoices ORDER BY seq", invoice_row, state, error) ||
      !load_rows (db, "SELECT id, invoice_id, card_last4, created_at FROM payments ORDER BY seq",
                  payment_row, state, error) ||
      !load_rows (db, "SELECT id, name, role FROM members ORDER BY seq", member_row, state, error) ||
      !load_rows (db, "SELECT name, value FROM counters", counter_row, state, error))
    return NULL;

  if (state->members->len == 0) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                         "there are no members");
    return NULL;
  }

  return g_steal_pointer (&state);
}

gboolean
aa_server_db_begin (AaServerDb  *db,
                    GError     **error)
{
  g_return_val_if_fail (db != NULL && !db->in_transaction, FALSE);

  if (!step (db, db->stmts[STMT_BEGIN], error))
    return FALSE;

  db->in_transaction = TRUE;
  return TRUE;
}

gboolean
aa_server_db_commit (AaServerDb  *db,
                     GError     **error)
{
  g_return_val_if_fail (db != NULL && db->in_transaction, FALSE);

  if (!step (db, db->stmts[STMT_COMMIT], error)) {
    aa_server_db_rollback (db);
    return FALSE;
  }

  db->in_transaction = FALSE;
  return TRUE;
}

void
aa_server_db_rollback (AaServerDb *db)
{
  g_return_if_fail (db != NULL);

  if (!db->in_transaction)
    return;

  /* SQLite may have rolled back on its own already (a full disk): then this
   * fails harmlessly. */
  if (sqlite3_get_autocommit (db->handle) == 0)
    step (db, db->stmts[STMT_ROLLBACK], NULL);
  db->in_transaction = FALSE;
}

gboolean
aa_server_db_savepoint (AaServerDb  *db,
                        GError     **error)
{
  g_return_val_if_fail (db != NULL && db->in_transaction, FALSE);

  return step (db, db->stmts[STMT_SAVEPOINT], error);
}

gboolean
aa_server_db_release (AaServerDb  *db,
                      GError     **error)
{
  g_return_val_if_fail (db != NULL && db->in_transaction, FALSE);

  return step (db, db->stmts[STMT_RELEASE], error);
}

gboolean
aa_server_db_rollback_to (AaServerDb *db)
{
  g_return_val_if_fail (db != NULL && db->in_transaction, FALSE);

  /* Some errors (a full disk, I/O) make SQLite roll back the whole
   * transaction on its own: then there is no savepoint left. */
  if (sqlite3_get_autocommit (db->handle) != 0) {
    db->in_transaction = FALSE;
    return FALSE;
  }

  return step (db, db->stmts[STMT_ROLLBACK_TO], NULL) &&
         step (db, db->stmts[STMT_RELEASE], NULL);
}

gboolean
aa_server_db_in_transaction (AaServerDb *db)
{
  return db->in_transaction;
}

gboolean
aa_server_db_put_item (AaServerDb          *db,
                       const AaServerItem  *item,
                       GError             **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_ITEM];

  bind_text (stmt, 1, item->id);
  bind_text (stmt, 2, item->title);
  bind_text (stmt, 3, item->notes);
  sqlite3_bind_int (stmt, 4, !!item->starred);
  sqlite3_bind_int (stmt, 5, !!item->done);
  sqlite3_bind_int (stmt, 6, !!item->trashed);
  sqlite3_bind_int64 (stmt, 7, item->version);
  bind_text (stmt, 8, item->updated_at);

  return step (db, stmt, error);
}

gboolean
aa_server_db_purge_item (AaServerDb  *db,
                         const char  *id,
                         GError     **error)
{
  bind_text (db->stmts[STMT_DELETE_ITEM], 1, id);
  if (!step (db, db->stmts[STMT_DELETE_ITEM], error))
    return FALSE;

  bind_text (db->stmts[STMT_ADD_PURGED], 1, id);
  return step (db, db->stmts[STMT_ADD_PURGED], error);
}

gboolean
aa_server_db_put_invoice (AaServerDb             *db,
                          const AaServerInvoice  *invoice,
                          GError                **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_INVOICE];

  bind_text (stmt, 1, invoice->id);
  bind_text (stmt, 2, invoice->description);
  bind_text (stmt, 3, invoice->currency);
  sqlite3_bind_int64 (stmt, 4, invoice->amount_cents);
  sqlite3_bind_int (stmt, 5, !!invoice->paid);

  return step (db, stmt, error);
}

gboolean
aa_server_db_put_payment (AaServerDb             *db,
                          const AaServerPayment  *payment,
                          GError                **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_PAYMENT];

  bind_text (stmt, 1, payment->id);
  bind_text (stmt, 2, payment->invoice_id);
  bind_text (stmt, 3, payment->card_last4);
  bind_text (stmt, 4, payment->created_at);

  return step (db, stmt, error);
}

gboolean
aa_server_db_put_member (AaServerDb            *db,
                         const AaServerMember  *member,
                         GError               **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_MEMBER];

  bind_text (stmt, 1, member->id);
  bind_text (stmt, 2, member->name);
  bind_text (stmt, 3, member->role);

  return step (db, stmt, error);
}

static gboolean
put_counter (AaServerDb  *db,
             const char  *name,
             guint64      value,
             GError     **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_COUNTER];

  bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, (gint64) MIN (value, AA_SERVER_MAX_ID));

  return step (db, stmt, error);
}

gboolean
aa_server_db_put_counters (AaServerDb           *db,
                           const AaServerState  *state,
                           GError              **error)
{
  return put_counter (db, "next_item_id", state->next_item_id, error) &&
         put_counter (db, "next_payment_id", state->next_payment_id, error);
}

gboolean
aa_server_db_put_record (AaServerDb            *db,
                         const AaServerRecord  *record,
                         gint64                 lifetime,
                         GError               **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_RECORD];

  bind_text (stmt, 1, record->principal);
  bind_text (stmt, 2, record->key);
  bind_text (stmt, 3, record->fingerprint);
  sqlite3_bind_int (stmt, 4, (int) record->status);
  bind_text (stmt, 5, record->body != NULL ? record->body : "");
  bind_text (stmt, 6, record->etag);
  sqlite3_bind_int64 (stmt, 7, record->created_at);
  sqlite3_bind_int64 (stmt, 8, record->created_at + lifetime);

  return step (db, stmt, error);
}

/* A replayed answer is sent as JSON: its text must be UTF-8. */
static gboolean
record_is_whole (sqlite3_stmt *stmt)
{
  static const char * const names[] = { "fingerprint", "status", "body", "etag" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (sqlite3_column_type (stmt, (int) i) == SQLITE_TEXT &&
        !g_utf8_validate ((const char *) sqlite3_column_text (stmt, (int) i),
                          sqlite3_column_bytes (stmt, (int) i), NULL)) {
      g_message ("A stored idempotency record is damaged (its %s is not UTF-8); it is not replayed", names[i]);
      return FALSE;
    }
  }

  return TRUE;
}

AaServerRecord *
aa_server_db_lookup_record (AaServerDb  *db,
                            const char  *principal,
                            const char  *key,
                            gint64       now,
                            GError     **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_LOOKUP_RECORD];
  AaServerRecord *record = NULL;
  int rc;

  bind_text (stmt, 1, principal);
  bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, now);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && !record_is_whole (stmt)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_DAMAGED,
                         _("The saved answer to this change (its Idempotency-Key) is damaged and can’t be sent again. The change was made: reload to see it."));
  } else if (rc == SQLITE_ROW) {
    record = g_new0 (AaServerRecord, 1);
    record->principal = g_strdup (principal);
    record->key = g_strdup (key);
    record->fingerprint = column_text (stmt, 0);
    record->status = (guint) sqlite3_column_int (stmt, 1);
    record->body = column_text (stmt, 2);
    if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
      record->etag = column_text (stmt, 3);
    record->created_at = sqlite3_column_int64 (stmt, 4);
  } else if (rc != SQLITE_DONE) {
    fail (db->handle, db->path, error);
  }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return record;
}

gboolean
aa_server_db_prune_records (AaServerDb  *db,
                            gint64       now,
                            GError     **error)
{
  sqlite3_bind_int64 (db->stmts[STMT_PRUNE_RECORDS], 1, now);

  return step (db, db->stmts[STMT_PRUNE_RECORDS], error);
}

gboolean
aa_server_db_put_event (AaServerDb           *db,
                        const AaServerEvent  *event,
                        GError              **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_PUT_EVENT];

  sqlite3_bind_int64 (stmt, 1, event->id);
  bind_text (stmt, 2, event->type);
  bind_text (stmt, 3, event->data);

  return step (db, stmt, error);
}

gboolean
aa_server_db_prune_events (AaServerDb  *db,
                           gint64       up_to,
                           GError     **error)
{
  sqlite3_bind_int64 (db->stmts[STMT_PRUNE_EVENTS], 1, up_to);

  return step (db, db->stmts[STMT_PRUNE_EVENTS], error);
}

GPtrArray *
aa_server_db_events_since (AaServerDb  *db,
                           gint64       after,
                           guint        limit,
                           GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_event_free);
  sqlite3_stmt *stmt = db->stmts[STMT_EVENTS_SINCE];
  int rc;

  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    AaServerEvent *event;

    /* A damaged event can't be streamed, nor left out: the reader starts
     * over from a fresh list (the stream's "reset"). */
    if (!g_utf8_validate ((const char *) sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1), NULL) ||
        !g_utf8_validate ((const char *) sqlite3_column_text (stmt, 2), sqlite3_column_bytes (stmt, 2), NULL)) {
      g_message ("The stored event %" G_GINT64_FORMAT " is damaged (not UTF-8); it is not streamed",
                 (gint64) sqlite3_column_int64 (stmt, 0));
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_GONE,
                   "the stored event %" G_GINT64_FORMAT " is damaged", (gint64) sqlite3_column_int64 (stmt, 0));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return NULL;
    }
    event = g_new0 (AaServerEvent, 1);

    event->id = sqlite3_column_int64 (stmt, 0);
    event->type = column_text (stmt, 1);
    event->data = column_text (stmt, 2);
    g_ptr_array_add (events, event);
  }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE) {
    fail (db->handle, db->path, error);
    return NULL;
  }

  return g_steal_pointer (&events);
}

gboolean
aa_server_db_event_bounds (AaServerDb  *db,
                           gint64      *out_first,
                           gint64      *out_last,
                           GError     **error)
{
  sqlite3_stmt *stmt = db->stmts[STMT_EVENT_BOUNDS];
  gboolean ok = FALSE;

  if (sqlite3_step (stmt) == SQLITE_ROW) {
    *out_first = sqlite3_column_int64 (stmt, 0);
    *out_last = sqlite3_column_int64 (stmt, 1);
    ok = TRUE;
  } else {
    fail (db->handle, db->path, error);
  }
  sqlite3_reset (stmt);

  return ok;
}
