/* SPDX-License-Identifier: LGPL-2.1-or-later */

#define G_LOG_DOMAIN "aa-journal"

#include "config.h"

#include <errno.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "aa-enums.h"
#include "aa-journal.h"

/**
 * AaJournal:
 *
 * What must survive the process: the unsettled mutations (queued, waiting,
 * on their way, outcome unknown, failed awaiting a retry) and the text typed
 * but not saved yet, so that a crash, a kill or a power cut loses nothing
 * the user was shown.
 *
 * An append-and-delete log in SQLite (WAL mode, `synchronous=FULL`), one
 * file per server URL and account under `$XDG_STATE_HOME/<app-id>/`
 * (aa_journal_build_path()). The URL and account are stored in the file and
 * checked when it is opened: a journal written for another server or account
 * is set aside, never replayed. So is a damaged one (not a database, a failed
 * `quick_check`, another schema): it is renamed `…-damaged-<time>` and
 * [method@Journal.get_set_aside] names it, and a new journal starts.
 *
 * Writes never wait on the disk in the caller's thread: the writes of one
 * main-loop iteration are handed together, as soon as the caller returns
 * to the loop (at a high priority, before the next frame is drawn), to the
 * journal's writer thread, which commits what has queued up in one
 * transaction with one `fsync()` (group commit), in order. The caller's
 * cost is a copy of a few hundred bytes; aa_journal_flush() waits until
 * everything written so far is on disk. Reads (aa_journal_list()) flush
 * first, so they see every write. A journal is used from the thread whose
 * thread-default main context was current when it was opened.
 *
 * The journal is bounded: at most [property@Journal:max-entries] changes and
 * [property@Journal:max-bytes] bytes of changes and drafts together, one
 * draft per resource; beyond that a write is refused with
 * %AA_JOURNAL_ERROR_FULL and nothing is written.
 *
 * [class@Engine] keeps its mutations in a journal given to
 * aa_engine_set_journal(); an app reads and writes drafts itself.
 */

/* "AaJn": tells our files from any other SQLite database. */
#define JOURNAL_APPLICATION_ID 0x41614a6e
#define JOURNAL_SCHEMA_VERSION 1

#define DEFAULT_MAX_ENTRIES    10000
#define DEFAULT_MAX_BYTES      (64 * 1024 * 1024)
/* One change or draft: a note's text is far below this. */
#define MAX_ITEM_BYTES         (1024 * 1024)
#define MAX_DRAFTS             1000
/* Writes committed together at most: a burst of clicks makes one fsync. */
#define MAX_BATCH              512

/**
 * aa_journal_error_quark:
 *
 * The quark of the %AA_JOURNAL_ERROR domain.
 *
 * Returns: the quark
 */
G_DEFINE_QUARK (aa-journal-error-quark, aa_journal_error)

/* Entries */

G_DEFINE_BOXED_TYPE (AaJournalEntry, aa_journal_entry, aa_journal_entry_copy, aa_journal_entry_free)

/**
 * aa_journal_entry_new:
 *
 * Creates an empty entry, to fill in and pass to aa_journal_append().
 *
 * Returns: (transfer full): an empty entry, with no base version
 */
AaJournalEntry *
aa_journal_entry_new (void)
{
  AaJournalEntry *entry = g_new0 (AaJournalEntry, 1);

  entry->base_version = -1;
  entry->state = AA_MUTATION_STATE_QUEUED;
  return entry;
}

/**
 * aa_journal_entry_copy:
 * @entry: an entry
 *
 * Copies @entry and its strings.
 *
 * Returns: (transfer full): a copy of @entry
 */
AaJournalEntry *
aa_journal_entry_copy (const AaJournalEntry *entry)
{
  AaJournalEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->operation = g_strdup (entry->operation);
  copy->target_id = g_strdup (entry->target_id);
  copy->temporary_id = g_strdup (entry->temporary_id);
  copy->subject = g_strdup (entry->subject);
  copy->patch = g_strdup (entry->patch);
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->error_domain = g_strdup (entry->error_domain);
  copy->error_message = g_strdup (entry->error_message);
  return copy;
}

/**
 * aa_journal_entry_free:
 * @entry: an entry
 *
 * Frees @entry.
 */
void
aa_journal_entry_free (AaJournalEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->operation);
  g_free (entry->target_id);
  g_free (entry->temporary_id);
  g_free (entry->subject);
  g_free (entry->patch);
  g_free (entry->idempotency_key);
  g_free (entry->error_domain);
  g_free (entry->error_message);
  g_free (entry);
}

static gsize
entry_size (const AaJournalEntry *entry)
{
  /* The strings, plus about what SQLite spends on a row's numbers. */
  return 64 + strlen (entry->idempotency_key) + strlen (entry->operation) +
         (entry->target_id ? strlen (entry->target_id) : 0) +
         (entry->temporary_id ? strlen (entry->temporary_id) : 0) +
         (entry->subject ? strlen (entry->subject) : 0) +
         (entry->patch ? strlen (entry->patch) : 0) +
         (entry->error_domain ? strlen (entry->error_domain) : 0) +
         (entry->error_message ? strlen (entry->error_message) : 0);
}

static const char *
state_to_nick (AaMutationState state)
{
  GEnumClass *klass = g_type_class_ref (AA_TYPE_MUTATION_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value ? value->value_nick : "sent";
}

/* A state the library no longer knows was perhaps on its way: "sent" has
 * it resolved rather than sent blindly. */
static AaMutationState
state_from_nick (const char *nick)
{
  GEnumClass *klass = g_type_class_ref (AA_TYPE_MUTATION_STATE);
  GEnumValue *value = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;
  AaMutationState state = value ? (AaMutationState) value->value : AA_MUTATION_STATE_SENT;

  g_type_class_unref (klass);
  return state;
}

/* The writer thread */

typedef enum {
  OP_INSERT,
  OP_UPDATE,
  OP_UPDATE_STATE,
  OP_DELETE,
  OP_RENAME_TARGET,
  OP_SET_DRAFT,
  OP_DELETE_DRAFT,
  OP_FLUSH,
  OP_QUIT,
} OpKind;

typedef struct {
  GMutex   mutex;
  GCond    cond;
  gboolean done;
  GError  *error;
} Flush;

typedef struct {
  OpKind          kind;
  AaJournalEntry *entry;   /* INSERT, UPDATE */
  char           *key;     /* UPDATE_STATE, DELETE, SET_DRAFT, DELETE_DRAFT, RENAME_TARGET (old) */
  char           *text;    /* SET_DRAFT (fields), RENAME_TARGET (new) */
  const char     *state;   /* UPDATE_STATE: a static nick */
  gint64          number;  /* UPDATE_STATE (attempts), SET_DRAFT (updated-at) */
  Flush          *flush;   /* FLUSH, QUIT: signalled once committed */
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->entry, aa_journal_entry_free);
  g_free (op->key);
  g_free (op->text);
  g_free (op);
}

typedef enum {
  STMT_INSERT,
  STMT_UPDATE,
  STMT_UPDATE_STATE,
  STMT_DELETE,
  STMT_RENAME_TARGET,
  STMT_SET_DRAFT,
  STMT_DELETE_DRAFT,
  N_STMTS
} StmtKind;

static const char * const stmt_sql[N_STMTS] = {
  /* Both number their parameters as bind_entry() does. */
  [STMT_INSERT] = "INSERT INTO mutations (seq, idempotency_key, operation, target_id, temporary_id,"
                  " subject, patch, base_version, state, attempts, created_at,"
                  " error_domain, error_code, error_message)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  [STMT_UPDATE] = "UPDATE mutations SET target_id = ?4, temporary_id = ?5, subject = ?6, patch = ?7,"
                  " base_version = ?8, state = ?9, attempts = ?10,"
                  " error_domain = ?12, error_code = ?13, error_message = ?14"
                  " WHERE idempotency_key = ?2",
  [STMT_UPDATE_STATE] = "UPDATE mutations SET state = ?, attempts = ? WHERE idempotency_key = ?",
  [STMT_DELETE] = "DELETE FROM mutations WHERE idempotency_key = ?",
  [STMT_RENAME_TARGET] = "UPDATE mutations SET target_id = ? WHERE target_id = ?",
  [STMT_SET_DRAFT] = "INSERT OR REPLACE INTO drafts (resource_id, fields, updated_at) VALUES (?, ?, ?)",
  [STMT_DELETE_DRAFT] = "DELETE FROM drafts WHERE resource_id = ?",
};

/* What the writer thread shares with the journal. The connection is used
 * under @lock only: by the writer for a batch, by readers in between. */
typedef struct {
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  GMutex        lock;
  GAsyncQueue  *queue;  /* Op */
  GError       *error;  /* the first failed commit since the last flush */
  char         *path;
} Writer;

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *path)
{
  g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
               _("Couldn’t write the journal of unsent changes “%s”: %s"),
               path, sqlite3_errmsg (db));
  return FALSE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

/* An entry's fields, as ?1 to ?14 of STMT_INSERT and STMT_UPDATE. */
static void
bind_entry (sqlite3_stmt         *stmt,
            const AaJournalEntry *entry)
{
  sqlite3_bind_int64 (stmt, 1, entry->seq);
  bind_text (stmt, 2, entry->idempotency_key);
  bind_text (stmt, 3, entry->operation);
  bind_text (stmt, 4, entry->target_id);
  bind_text (stmt, 5, entry->temporary_id);
  bind_text (stmt, 6, entry->subject);
  bind_text (stmt, 7, entry->patch);
  sqlite3_bind_int64 (stmt, 8, entry->base_version);
  bind_text (stmt, 9, state_to_nick (entry->state));
  sqlite3_bind_int64 (stmt, 10, entry->attempts);
  sqlite3_bind_int64 (stmt, 11, entry->created_at);
  bind_text (stmt, 12, entry->error_domain);
  sqlite3_bind_int (stmt, 13, entry->error_code);
  bind_text (stmt, 14, entry->error_message);
}

static gboolean
run_op (Writer  *writer,
        Op      *op,
        GError **error)
{
  sqlite3_stmt *stmt = NULL;
  AaJournalEntry *entry = op->entry;
  int rc;

  switch (op->kind) {
  case OP_INSERT:
  case OP_UPDATE:
    stmt = writer->stmts[op->kind == OP_INSERT ? STMT_INSERT : STMT_UPDATE];
    bind_entry (stmt, entry);
    break;
  case OP_UPDATE_STATE:
    stmt = writer->stmts[STMT_UPDATE_STATE];
    bind_text (stmt, 1, op->state);
    sqlite3_bind_int64 (stmt, 2, op->number);
    bind_text (stmt, 3, op->key);
    break;
  case OP_DELETE:
    stmt = writer->stmts[STMT_DELETE];
    bind_text (stmt, 1, op->key);
    break;
  case OP_RENAME_TARGET:
    stmt = writer->stmts[STMT_RENAME_TARGET];
    bind_text (stmt, 1, op->text);
    bind_text (stmt, 2, op->key);
    break;
  case OP_SET_DRAFT:
    stmt = writer->stmts[STMT_SET_DRAFT];
    bind_text (stmt, 1, op->key);
    bind_text (stmt, 2, op->text);
    sqlite3_bind_int64 (stmt, 3, op->number);
    break;
  case OP_DELETE_DRAFT:
    stmt = writer->stmts[STMT_DELETE_DRAFT];
    bind_text (stmt, 1, op->key);
    break;
  case OP_FLUSH:
  case OP_QUIT:
  default:
    return TRUE;
  }

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, writer->db, writer->path);
  return TRUE;
}

static void
signal_flush (Flush  *flush,
              GError *error)
{
  g_mutex_lock (&flush->mutex);
  flush->done = TRUE;
  flush->error = error ? g_error_copy (error) : NULL;
  g_cond_signal (&flush->cond);
  g_mutex_unlock (&flush->mutex);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *path,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (error, db, path);
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  gboolean quit = FALSE;

#ifdef __linux__
  /* The UI thread comes first: on a busy machine a commit waits a little
   * rather than delay a frame (Linux gives each thread its own nice). */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif

  while (!quit) {
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
    g_autoptr(GError) error = NULL;
    Op *op = g_async_queue_pop (writer->queue);

    /* Whatever queued up while the last commit waited on the disk goes in
     * this one: a burst of writes costs one fsync. */
    do {
      g_ptr_array_add (batch, op);
    } while (batch->len < MAX_BATCH && (op = g_async_queue_try_pop (writer->queue)) != NULL);

    g_mutex_lock (&writer->lock);
    if (exec_sql (writer->db, writer->path, "BEGIN IMMEDIATE", &error)) {
      for (guint i = 0; i < batch->len && error == NULL; i++)
        run_op (writer, g_ptr_array_index (batch, i), &error);
      if (error == NULL)
        exec_sql (writer->db, writer->path, "COMMIT", &error);
      else
        sqlite3_exec (writer->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (error != NULL) {
      g_warning ("%s", error->message);
      if (writer->error == NULL)
        writer->error = g_error_copy (error);
    }
    g_mutex_unlock (&writer->lock);

    for (guint i = 0; i < batch->len; i++) {
      Op *done = g_ptr_array_index (batch, i);

      if (done->flush != NULL)
        signal_flush (done->flush, error);
      if (done->kind == OP_QUIT)
        quit = TRUE;
    }
  }

  return NULL;
}

/* The object */

typedef struct {
  char   *fields;  /* JSON text */
  gint64  updated_at;
} Draft;

static Draft *
draft_new (char   *fields,
           gint64  updated_at)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->fields = fields;
  draft->updated_at = updated_at;
  return draft;
}

static void
draft_free (Draft *draft)
{
  g_free (draft->fields);
  g_free (draft);
}

struct _AaJournal
{
  GObject     parent_instance;

  char       *path;
  char       *server_url;
  char       *account;
  GError     *set_aside;

  Writer     *writer;
  GThread    *thread;
  /* Writes of this main-loop iteration, handed to the writer together
   * once the caller returned to the loop (before the next frame). */
  GPtrArray  *batch;
  GSource    *handover;
  GMainContext *context;

  /* What is in the journal once the writer is done, as seen by the owner's
   * thread: for the bounds and to refuse an update of nothing, without
   * waiting for the disk. */
  GHashTable *entries;  /* idempotency key -> size */
  GHashTable *drafts;   /* resource id -> Draft */
  guint64     bytes;
  gint64      next_seq;
  guint       max_entries;
  guint64     max_bytes;
};

G_DEFINE_FINAL_TYPE (AaJournal, aa_journal, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SERVER_URL,
  PROP_ACCOUNT,
  PROP_MAX_ENTRIES,
  PROP_MAX_BYTES,
  PROP_N_ENTRIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Hands the writes of this iteration to the writer thread, in one go:
 * one wake-up of the writer per iteration rather than one per write keeps
 * the click path at a few microseconds. */
static void
hand_over (AaJournal *self)
{
  if (self->handover != NULL) {
    g_source_destroy (self->handover);
    g_clear_pointer (&self->handover, g_source_unref);
  }
  if (self->batch->len == 0)
    return;

  g_async_queue_lock (self->writer->queue);
  for (guint i = 0; i < self->batch->len; i++)
    g_async_queue_push_unlocked (self->writer->queue, g_ptr_array_index (self->batch, i));
  g_async_queue_unlock (self->writer->queue);
  g_ptr_array_set_size (self->batch, 0);
}

static gboolean
hand_over_cb (gpointer user_data)
{
  hand_over (user_data);
  return G_SOURCE_REMOVE;
}

static void
push (AaJournal *self,
      Op        *op)
{
  g_ptr_array_add (self->batch, op);

  /* Before anything else of the next iteration, a frame included. */
  if (self->handover == NULL) {
    self->handover = g_idle_source_new ();
    g_source_set_priority (self->handover, G_PRIORITY_HIGH);
    g_source_set_callback (self->handover, hand_over_cb, self, NULL);
    g_source_set_static_name (self->handover, "[aa] journal hand-over");
    g_source_attach (self->handover, self->context);
  }
}

static Op *
op_new (OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  return op;
}

static gboolean
wait_for_writer (AaJournal *self,
                 OpKind     kind,
                 GError   **error)
{
  Flush flush = { 0, };
  Op *op = op_new (kind);
  gboolean ok;

  g_mutex_init (&flush.mutex);
  g_cond_init (&flush.cond);
  op->flush = &flush;
  hand_over (self);
  g_async_queue_push (self->writer->queue, op);

  g_mutex_lock (&flush.mutex);
  while (!flush.done)
    g_cond_wait (&flush.cond, &flush.mutex);
  g_mutex_unlock (&flush.mutex);

  /* A failure of any write since the last flush, not only of this batch. */
  g_mutex_lock (&self->writer->lock);
  if (flush.error == NULL && self->writer->error != NULL)
    flush.error = g_steal_pointer (&self->writer->error);
  g_clear_error (&self->writer->error);
  g_mutex_unlock (&self->writer->lock);

  ok = flush.error == NULL;
  if (!ok)
    g_propagate_error (error, flush.error);

  g_mutex_clear (&flush.mutex);
  g_cond_clear (&flush.cond);
  return ok;
}

static void
writer_free (Writer *writer)
{
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (writer->stmts[i]);
  if (writer->db != NULL)
    sqlite3_close (writer->db);
  g_clear_pointer (&writer->queue, g_async_queue_unref);
  g_clear_error (&writer->error);
  g_mutex_clear (&writer->lock);
  g_free (writer->path);
  g_free (writer);
}

static void
aa_journal_finalize (GObject *object)
{
  AaJournal *self = AA_JOURNAL (object);

  if (self->thread != NULL) {
    g_autoptr(GError) error = NULL;

    if (!wait_for_writer (self, OP_QUIT, &error))
      g_warning ("%s", error->message);
    g_thread_join (self->thread);
  }
  g_clear_pointer (&self->writer, writer_free);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_error (&self->set_aside);
  g_free (self->path);
  g_free (self->server_url);
  g_free (self->account);

  G_OBJECT_CLASS (aa_journal_parent_class)->finalize (object);
}

static void
aa_journal_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AaJournal *self = AA_JOURNAL (object);

  switch (prop_id) {
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  case PROP_SERVER_URL:
    g_value_set_string (value, self->server_url);
    break;
  case PROP_ACCOUNT:
    g_value_set_string (value, self->account);
    break;
  case PROP_MAX_ENTRIES:
    g_value_set_uint (value, self->max_entries);
    break;
  case PROP_MAX_BYTES:
    g_value_set_uint64 (value, self->max_bytes);
    break;
  case PROP_N_ENTRIES:
    g_value_set_uint (value, aa_journal_get_n_entries (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_journal_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  AaJournal *self = AA_JOURNAL (object);

  switch (prop_id) {
  case PROP_MAX_ENTRIES:
    aa_journal_set_max_entries (self, g_value_get_uint (value));
    break;
  case PROP_MAX_BYTES:
    aa_journal_set_max_bytes (self, g_value_get_uint64 (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_journal_class_init (AaJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = aa_journal_finalize;
  object_class->get_property = aa_journal_get_property;
  object_class->set_property = aa_journal_set_property;

  /**
   * AaJournal:path:
   *
   * The journal's file.
   */
  props[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);

  /**
   * AaJournal:server-url:
   *
   * The server URL the journal was opened for, stored in its file.
   */
  props[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, flags);

  /**
   * AaJournal:account:
   *
   * The account the journal was opened for, stored in its file.
   */
  props[PROP_ACCOUNT] = g_param_spec_string ("account", NULL, NULL, NULL, flags);

  /**
   * AaJournal:max-entries:
   *
   * How many unsettled changes the journal keeps at most; one more is
   * refused with %AA_JOURNAL_ERROR_FULL.
   */
  props[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaJournal:max-bytes:
   *
   * How many bytes of changes and drafts the journal keeps at most.
   */
  props[PROP_MAX_BYTES] =
    g_param_spec_uint64 ("max-bytes", NULL, NULL, 1024, G_MAXUINT64, DEFAULT_MAX_BYTES,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaJournal:n-entries:
   *
   * How many unsettled changes the journal holds.
   */
  props[PROP_N_ENTRIES] = g_param_spec_uint ("n-entries", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_journal_init (AaJournal *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) draft_free);
  self->max_entries = DEFAULT_MAX_ENTRIES;
  self->max_bytes = DEFAULT_MAX_BYTES;
  self->next_seq = 1;
  self->batch = g_ptr_array_new ();  /* the ops are the writer's once handed over */
  self->context = g_main_context_ref_thread_default ();
}

/* Opening */

/**
 * aa_journal_build_path:
 * @app_id: the app's id, such as "org.example.AsyncActions"
 * @server_url: the server's base URL
 * @account: (nullable): the signed-in account, or %NULL
 *
 * Where the journal of @server_url and @account lives:
 * `$XDG_STATE_HOME/<app-id>/journal-<hash>.sqlite`, the hash being of the URL
 * and the account, so that each pair has its own file.
 *
 * Returns: (transfer full) (type filename): the path
 */
char *
aa_journal_build_path (const char *app_id,
                       const char *server_url,
                       const char *account)
{
  g_autofree char *identity = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  identity = g_strdup_printf ("%s\n%s", server_url, account ? account : "");
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, identity, -1);
  hash[32] = '\0';
  name = g_strdup_printf ("journal-%s.sqlite", hash);

  return g_build_filename (g_get_user_state_dir (), app_id, name, NULL);
}

typedef enum {
  CHECK_OK,
  CHECK_DAMAGED,
  CHECK_OTHER_SERVER,
  CHECK_FAILED,
} Check;

static gint64
pragma_int (sqlite3    *db,
            const char *sql,
            int        *rc)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  *rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (*rc == SQLITE_OK) {
    *rc = sqlite3_step (stmt);
    if (*rc == SQLITE_ROW) {
      value = sqlite3_column_int64 (stmt, 0);
      *rc = SQLITE_OK;
    }
  }
  sqlite3_finalize (stmt);
  return value;
}

static char *
meta_value (sqlite3    *db,
            const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) == SQLITE_OK) {
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  }
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
is_damage (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT || rc == SQLITE_FORMAT ||
         rc == SQLITE_ERROR || rc == SQLITE_MISMATCH || rc == SQLITE_SCHEMA;
}

static gboolean
create_schema (sqlite3     *db,
               const char  *path,
               const char  *server_url,
               const char  *account,
               GError     **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *created = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  sqlite3_stmt *stmt = NULL;
  const char *keys[] = { "server-url", "account", "created-at" };
  const char *values[] = { server_url, account ? account : "", created };

  sql = g_strdup_printf ("BEGIN IMMEDIATE;"
                         "PRAGMA application_id = %d;"
                         "PRAGMA user_version = %d;"
                         "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "CREATE TABLE mutations ("
                         " seq INTEGER PRIMARY KEY,"
                         " idempotency_key TEXT NOT NULL UNIQUE,"
                         " operation TEXT NOT NULL,"
                         " target_id TEXT,"
                         " temporary_id TEXT,"
                         " subject TEXT,"
                         " patch TEXT,"
                         " base_version INTEGER NOT NULL,"
                         " state TEXT NOT NULL,"
                         " attempts INTEGER NOT NULL,"
                         " created_at INTEGER NOT NULL,"
                         " error_domain TEXT,"
                         " error_code INTEGER NOT NULL DEFAULT 0,"
                         " error_message TEXT);"
                         "CREATE TABLE drafts ("
                         " resource_id TEXT PRIMARY KEY,"
                         " fields TEXT NOT NULL,"
                         " updated_at INTEGER NOT NULL);",
                         JOURNAL_APPLICATION_ID, JOURNAL_SCHEMA_VERSION);
  if (!exec_sql (db, path, sql, error))
    goto fail;

  if (sqlite3_prepare_v2 (db, "INSERT INTO meta (key, value) VALUES (?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail_sqlite;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    sqlite3_bind_text (stmt, 1, keys[i], -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, values[i], -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      goto fail_sqlite;
    sqlite3_reset (stmt);
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  return exec_sql (db, path, "COMMIT", error);

fail_sqlite:
  set_sqlite_error (error, db, path);
  sqlite3_finalize (stmt);
fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Whether @db is a journal of ours, for @server_url and @account, and
 * intact. A new (empty) database gets the schema. */
static Check
check_db (sqlite3     *db,
          const char  *path,
          const char  *server_url,
          const char  *account,
          GError     **error)
{
  g_autofree char *stored_url = NULL;
  g_autofree char *stored_account = NULL;
  gint64 application_id, user_version, n_tables;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  /* The first read of the header: a file that is no database fails here. */
  application_id = pragma_int (db, "PRAGMA application_id", &rc);
  if (rc != SQLITE_OK)
    return is_damage (rc) ? CHECK_DAMAGED : CHECK_FAILED;
  user_version = pragma_int (db, "PRAGMA user_version", &rc);
  if (rc != SQLITE_OK)
    return is_damage (rc) ? CHECK_DAMAGED : CHECK_FAILED;
  n_tables = pragma_int (db, "SELECT count(*) FROM sqlite_master", &rc);
  if (rc != SQLITE_OK)
    return is_damage (rc) ? CHECK_DAMAGED : CHECK_FAILED;

  if (application_id == 0 && user_version == 0 && n_tables == 0)
    return create_schema (db, path, server_url, account, error) ? CHECK_OK : CHECK_FAILED;

  if (application_id != JOURNAL_APPLICATION_ID || user_version != JOURNAL_SCHEMA_VERSION)
    return CHECK_DAMAGED;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    return CHECK_DAMAGED;

  stored_url = meta_value (db, "server-url");
  stored_account = meta_value (db, "account");
  if (stored_url == NULL || stored_account == NULL)
    return CHECK_DAMAGED;
  if (g_strcmp0 (stored_url, server_url) != 0 || g_strcmp0 (stored_account, account ? account : "") != 0)
    return CHECK_OTHER_SERVER;

  return CHECK_OK;
}

static void
rename_if_there (const char *from,
                 const char *to)
{
  if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
    g_warning ("Couldn’t rename %s to %s: %s", from, to, g_strerror (errno));
}

/* Renames @path (and its write-ahead log, which belongs to it) out of the
 * way, keeping it for a person to look at. */
static char *
set_aside (const char  *path,
           const char  *why,
           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *aside = g_strdup_printf ("%s-%s-%s", path, why, stamp);
  g_autofree char *aside_wal = NULL;

  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++) {
    g_free (aside);
    aside = g_strdup_printf ("%s-%s-%s-%u", path, why, stamp, n);
  }

  if (g_rename (path, aside) != 0) {
    int saved_errno = errno;

    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
                 _("Couldn’t set aside the journal of unsent changes “%s”: %s"),
                 path, g_strerror (saved_errno));
    return NULL;
  }
  aside_wal = g_strconcat (aside, "-wal", NULL);
  rename_if_there (wal, aside_wal);
  g_unlink (shm);

  return g_steal_pointer (&aside);
}

static sqlite3 *
open_connection (const char  *path,
                 GError     **error)
{
  sqlite3 *db = NULL;

  /* Our own lock serializes the writer thread and the readers. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
                 _("Couldn’t open the journal of unsent changes “%s”: %s"),
                 path, db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
    sqlite3_close (db);
    return NULL;
  }
  sqlite3_busy_timeout (db, 5000);
  sqlite3_extended_result_codes (db, TRUE);
  return db;
}

/* Loads what the bounds count, and the drafts. */
static gboolean
load_index (AaJournal  *self,
            sqlite3    *db,
            GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT seq, idempotency_key, operation, target_id, temporary_id, subject, patch,"
                              " error_domain, error_message FROM mutations", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, db, self->path);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    AaJournalEntry entry = {
      .seq = sqlite3_column_int64 (stmt, 0),
      .idempotency_key = (char *) sqlite3_column_text (stmt, 1),
      .operation = (char *) sqlite3_column_text (stmt, 2),
      .target_id = (char *) sqlite3_column_text (stmt, 3),
      .temporary_id = (char *) sqlite3_column_text (stmt, 4),
      .subject = (char *) sqlite3_column_text (stmt, 5),
      .patch = (char *) sqlite3_column_text (stmt, 6),
      .error_domain = (char *) sqlite3_column_text (stmt, 7),
      .error_message = (char *) sqlite3_column_text (stmt, 8),
    };
    gsize size = entry_size (&entry);

    g_hash_table_insert (self->entries, g_strdup (entry.idempotency_key), GSIZE_TO_POINTER (size));
    self->bytes += size;
    self->next_seq = MAX (self->next_seq, entry.seq + 1);
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, db, self->path);

  if (sqlite3_prepare_v2 (db, "SELECT resource_id, fields, updated_at FROM drafts", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, db, self->path);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    const char *fields = (const char *) sqlite3_column_text (stmt, 1);

    g_hash_table_insert (self->drafts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         draft_new (g_strdup (fields), sqlite3_column_int64 (stmt, 2)));
    self->bytes += strlen (fields);
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, db, self->path);

  return TRUE;
}

static sqlite3 *
open_checked (AaJournal  *self,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *aside = NULL;
  const char *why = NULL;
  sqlite3 *db;

  db = open_connection (self->path, error);
  if (db == NULL)
    return NULL;

  switch (check_db (db, self->path, self->server_url, self->account, &local_error)) {
  case CHECK_OK:
    return db;
  case CHECK_FAILED:
    sqlite3_close (db);
    if (local_error == NULL)
      g_set_error (&local_error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
                   _("Couldn’t read the journal of unsent changes “%s”."), self->path);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  case CHECK_DAMAGED:
    why = "damaged";
    break;
  case CHECK_OTHER_SERVER:
    why = "other-account";
    break;
  default:
    g_assert_not_reached ();
  }

  sqlite3_close (db);
  aside = set_aside (self->path, why, error);
  if (aside == NULL)
    return NULL;

  if (g_str_equal (why, "damaged"))
    g_set_error (&self->set_aside, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_DAMAGED,
                 _("The journal of unsent changes was damaged. It was set aside as “%s”, and changes "
                   "waiting in it were not restored."), aside);
  else
    g_set_error (&self->set_aside, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_OTHER_SERVER,
                 _("The journal of unsent changes “%s” was written for another server or account. It was "
                   "set aside as “%s”, and none of its changes were sent here."), self->path, aside);
  g_message ("%s", self->set_aside->message);

  db = open_connection (self->path, error);
  if (db == NULL)
    return NULL;
  if (check_db (db, self->path, self->server_url, self->account, error) != CHECK_OK) {
    sqlite3_close (db);
    if (error != NULL && *error == NULL)
      g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
                   _("Couldn’t read the journal of unsent changes “%s”."), self->path);
    return NULL;
  }
  return db;
}

/**
 * aa_journal_open:
 * @path: (type filename): the journal's file, created if missing
 * @server_url: the server URL its changes are for
 * @account: (nullable): the account they are for, or %NULL
 * @error: return location for an error
 *
 * Opens the journal at @path for @server_url and @account. A file that is
 * damaged, or that was written for another URL or account, is set aside
 * (renamed, never deleted) and a new journal started in its place:
 * [method@Journal.get_set_aside] then says so, naming the file.
 *
 * Returns: (transfer full) (nullable): the journal, or %NULL with @error
 *   set when no journal can be kept at @path
 */
AaJournal *
aa_journal_open (const char  *path,
                 const char  *server_url,
                 const char  *account,
                 GError     **error)
{
  g_autoptr(AaJournal) self = NULL;
  g_autofree char *dir = NULL;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (AA_TYPE_JOURNAL, NULL);
  self->path = g_strdup (path);
  self->server_url = g_strdup (server_url);
  self->account = g_strdup (account ? account : "");

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FAILED,
                 _("Couldn’t create the folder of the journal of unsent changes “%s”: %s"),
                 dir, g_strerror (saved_errno));
    return NULL;
  }

  db = open_checked (self, error);
  if (db == NULL)
    return NULL;

  /* WAL with synchronous=FULL: each commit is fsync()ed before it counts,
   * so a power cut keeps every acknowledged write (NORMAL would keep them
   * across a crash of the process only). */
  if (!exec_sql (db, path, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error) ||
      !load_index (self, db, error)) {
    sqlite3_close (db);
    return NULL;
  }

  self->writer = g_new0 (Writer, 1);
  self->writer->db = db;
  self->writer->path = g_strdup (path);
  self->writer->queue = g_async_queue_new ();
  g_mutex_init (&self->writer->lock);
  for (guint i = 0; i < N_STMTS; i++) {
    if (sqlite3_prepare_v3 (db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &self->writer->stmts[i], NULL) != SQLITE_OK) {
      set_sqlite_error (error, db, path);
      return NULL;
    }
  }

  self->thread = g_thread_try_new ("aa-journal", writer_thread, self->writer, error);
  if (self->thread == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * aa_journal_open_for_server:
 * @app_id: the app's id, naming its folder under `$XDG_STATE_HOME`
 * @server_url: the server URL its changes are for
 * @account: (nullable): the account they are for, or %NULL
 * @error: return location for an error
 *
 * Opens the journal of @server_url and @account at the path
 * aa_journal_build_path() gives; see aa_journal_open().
 *
 * Returns: (transfer full) (nullable): the journal, or %NULL with @error set
 */
AaJournal *
aa_journal_open_for_server (const char  *app_id,
                            const char  *server_url,
                            const char  *account,
                            GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  path = aa_journal_build_path (app_id, server_url, account);
  return aa_journal_open (path, server_url, account, error);
}

/* Properties */

/**
 * aa_journal_get_path:
 * @self: a journal
 *
 * The journal's file.
 *
 * Returns: (type filename): its file
 */
const char *
aa_journal_get_path (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);
  return self->path;
}

/**
 * aa_journal_get_server_url:
 * @self: a journal
 *
 * The server URL the journal was opened for, as stored in its file.
 *
 * Returns: the server URL it was opened for
 */
const char *
aa_journal_get_server_url (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);
  return self->server_url;
}

/**
 * aa_journal_get_account:
 * @self: a journal
 *
 * The account the journal was opened for, as stored in its file.
 *
 * Returns: the account it was opened for ("" for none)
 */
const char *
aa_journal_get_account (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);
  return self->account;
}

/**
 * aa_journal_get_set_aside:
 * @self: a journal
 *
 * What was set aside when the journal was opened: %AA_JOURNAL_ERROR_DAMAGED
 * or %AA_JOURNAL_ERROR_OTHER_SERVER, its message naming the file it was
 * renamed to, for the app to tell the user that changes kept in it were
 * not restored.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL when the file
 *   opened was intact and ours
 */
const GError *
aa_journal_get_set_aside (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);
  return self->set_aside;
}

/**
 * aa_journal_get_max_entries:
 * @self: a journal
 *
 * The bound on the number of unsettled changes.
 *
 * Returns: how many changes it keeps at most
 */
guint
aa_journal_get_max_entries (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), 0);
  return self->max_entries;
}

/**
 * aa_journal_set_max_entries:
 * @self: a journal
 * @max_entries: how many changes it keeps at most
 *
 * Sets the bound on changes. Those already kept stay.
 */
void
aa_journal_set_max_entries (AaJournal *self,
                            guint      max_entries)
{
  g_return_if_fail (AA_IS_JOURNAL (self));
  g_return_if_fail (max_entries > 0);

  if (self->max_entries != max_entries) {
    self->max_entries = max_entries;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_ENTRIES]);
  }
}

/**
 * aa_journal_get_max_bytes:
 * @self: a journal
 *
 * The bound on the bytes of changes and drafts together.
 *
 * Returns: how many bytes of changes and drafts it keeps at most
 */
guint64
aa_journal_get_max_bytes (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), 0);
  return self->max_bytes;
}

/**
 * aa_journal_set_max_bytes:
 * @self: a journal
 * @max_bytes: how many bytes of changes and drafts it keeps at most
 *
 * Sets the bound on bytes. What is already kept stays.
 */
void
aa_journal_set_max_bytes (AaJournal *self,
                          guint64    max_bytes)
{
  g_return_if_fail (AA_IS_JOURNAL (self));
  g_return_if_fail (max_bytes >= 1024);

  if (self->max_bytes != max_bytes) {
    self->max_bytes = max_bytes;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_BYTES]);
  }
}

/**
 * aa_journal_get_n_entries:
 * @self: a journal
 *
 * How many unsettled changes the journal holds now, written or on their way to disk.
 *
 * Returns: how many unsettled changes it holds
 */
guint
aa_journal_get_n_entries (AaJournal *self)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), 0);
  return g_hash_table_size (self->entries);
}

/* Changes */

static gboolean
refuse_full (AaJournal  *self,
             gsize       size,
             GError    **error)
{
  if (size > MAX_ITEM_BYTES) {
    g_autofree char *formatted = g_format_size (size);

    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_TOO_LARGE,
                 _("This change is too large to keep until it is sent (%s)."), formatted);
    return TRUE;
  }
  if (g_hash_table_size (self->entries) >= self->max_entries || self->bytes + size > self->max_bytes) {
    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FULL,
                 _("Too many changes are waiting to be sent (%u): no more can be kept until some are sent."),
                 g_hash_table_size (self->entries));
    return TRUE;
  }
  return FALSE;
}

static void
notify_n_entries (AaJournal *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/**
 * aa_journal_append:
 * @self: a journal
 * @entry: an unsettled mutation, with at least its operation and
 *   idempotency key; its @seq is set
 * @error: return location for an error
 *
 * Adds @entry at the end of the journal. It is on disk soon after, in
 * order with every other write; aa_journal_flush() waits for it. A journal
 * over its bounds refuses it with %AA_JOURNAL_ERROR_FULL.
 *
 * Returns: the entry's place in the order (its @seq), or 0 with @error set
 */
gint64
aa_journal_append (AaJournal       *self,
                   AaJournalEntry  *entry,
                   GError         **error)
{
  Op *op;
  gsize size;

  g_return_val_if_fail (AA_IS_JOURNAL (self), 0);
  g_return_val_if_fail (entry != NULL, 0);
  g_return_val_if_fail (entry->operation != NULL, 0);
  g_return_val_if_fail (entry->idempotency_key != NULL, 0);
  g_return_val_if_fail (!g_hash_table_contains (self->entries, entry->idempotency_key), 0);

  size = entry_size (entry);
  if (refuse_full (self, size, error))
    return 0;

  entry->seq = self->next_seq++;
  if (entry->created_at == 0)
    entry->created_at = g_get_real_time ();

  g_hash_table_insert (self->entries, g_strdup (entry->idempotency_key), GSIZE_TO_POINTER (size));
  self->bytes += size;

  op = op_new (OP_INSERT);
  op->entry = aa_journal_entry_copy (entry);
  push (self, op);

  notify_n_entries (self);
  return entry->seq;
}

static gboolean
check_known (AaJournal   *self,
             const char  *key,
             GError     **error)
{
  if (g_hash_table_contains (self->entries, key))
    return TRUE;

  g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_NOT_FOUND,
               "No journal entry has the key %s", key);
  return FALSE;
}

/**
 * aa_journal_update:
 * @self: a journal
 * @entry: an entry already in the journal (found by its idempotency key)
 * @error: return location for an error
 *
 * Writes what may change of an unsettled mutation: its target id (a create
 * got its real one), patch, base version, state, attempts and error.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
aa_journal_update (AaJournal             *self,
                   const AaJournalEntry  *entry,
                   GError               **error)
{
  gsize old_size, size;
  Op *op;

  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->idempotency_key != NULL && entry->operation != NULL, FALSE);

  if (!check_known (self, entry->idempotency_key, error))
    return FALSE;

  old_size = GPOINTER_TO_SIZE (g_hash_table_lookup (self->entries, entry->idempotency_key));
  size = entry_size (entry);
  if (size > MAX_ITEM_BYTES || (size > old_size && self->bytes + size - old_size > self->max_bytes)) {
    g_autofree char *formatted = g_format_size (size);

    /* The bounds are on growth: the count does not change. */
    g_set_error (error, AA_JOURNAL_ERROR, size > MAX_ITEM_BYTES ? AA_JOURNAL_ERROR_TOO_LARGE : AA_JOURNAL_ERROR_FULL,
                 _("This change is too large to keep until it is sent (%s)."), formatted);
    return FALSE;
  }

  g_hash_table_insert (self->entries, g_strdup (entry->idempotency_key), GSIZE_TO_POINTER (size));
  self->bytes = self->bytes - old_size + size;

  op = op_new (OP_UPDATE);
  op->entry = aa_journal_entry_copy (entry);
  push (self, op);
  return TRUE;
}

/**
 * aa_journal_update_state:
 * @self: a journal
 * @idempotency_key: the key of an entry in the journal
 * @state: its new state
 * @attempts: how many requests were sent for it
 * @error: return location for an error
 *
 * Writes a mutation's new state, such as "sent" before its request leaves.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
aa_journal_update_state (AaJournal        *self,
                         const char       *idempotency_key,
                         AaMutationState   state,
                         guint             attempts,
                         GError          **error)
{
  Op *op;

  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  if (!check_known (self, idempotency_key, error))
    return FALSE;

  op = op_new (OP_UPDATE_STATE);
  op->key = g_strdup (idempotency_key);
  op->state = state_to_nick (state);
  op->number = attempts;
  push (self, op);
  return TRUE;
}

/**
 * aa_journal_remove:
 * @self: a journal
 * @idempotency_key: the key of an entry in the journal
 * @error: return location for an error
 *
 * Takes a settled mutation out of the journal.
 *
 * Returns: %TRUE, or %FALSE with %AA_JOURNAL_ERROR_NOT_FOUND when no entry
 *   has that key
 */
gboolean
aa_journal_remove (AaJournal   *self,
                   const char  *idempotency_key,
                   GError     **error)
{
  Op *op;

  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  if (!check_known (self, idempotency_key, error))
    return FALSE;

  self->bytes -= GPOINTER_TO_SIZE (g_hash_table_lookup (self->entries, idempotency_key));
  g_hash_table_remove (self->entries, idempotency_key);

  op = op_new (OP_DELETE);
  op->key = g_strdup (idempotency_key);
  push (self, op);

  notify_n_entries (self);
  return TRUE;
}

/**
 * aa_journal_rename_target:
 * @self: a journal
 * @old_id: a target id, such as the temporary id of a create
 * @new_id: the id that replaces it
 *
 * Gives the entries of @old_id's target @new_id: the mutations that waited
 * behind a create go to the id the server gave it.
 */
void
aa_journal_rename_target (AaJournal  *self,
                          const char *old_id,
                          const char *new_id)
{
  Op *op;

  g_return_if_fail (AA_IS_JOURNAL (self));
  g_return_if_fail (old_id != NULL && new_id != NULL);

  op = op_new (OP_RENAME_TARGET);
  op->key = g_strdup (old_id);
  op->text = g_strdup (new_id);
  push (self, op);
}

/**
 * aa_journal_contains:
 * @self: a journal
 * @idempotency_key: a key
 *
 * Whether an unsettled mutation with @idempotency_key is in the journal.
 *
 * Returns: %TRUE when an entry has @idempotency_key
 */
gboolean
aa_journal_contains (AaJournal  *self,
                     const char *idempotency_key)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  return g_hash_table_contains (self->entries, idempotency_key);
}

/**
 * aa_journal_list:
 * @self: a journal
 * @error: return location for an error
 *
 * Reads every entry back from the file, in the order they were appended,
 * once every write so far is on disk: what to restore after a restart.
 *
 * Returns: (transfer full) (element-type AaJournalEntry): the entries,
 *   oldest first (%NULL when there are none, or with @error set); free
 *   them with `g_list_free_full (entries, aa_journal_entry_free)`
 */
GList *
aa_journal_list (AaJournal  *self,
                 GError    **error)
{
  GQueue entries = G_QUEUE_INIT;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);

  if (!aa_journal_flush (self, error))
    return NULL;

  g_mutex_lock (&self->writer->lock);
  db = self->writer->db;
  rc = sqlite3_prepare_v2 (db, "SELECT seq, idempotency_key, operation, target_id, temporary_id, subject,"
                               " patch, base_version, state, attempts, created_at,"
                               " error_domain, error_code, error_message"
                               " FROM mutations ORDER BY seq", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    AaJournalEntry *entry = aa_journal_entry_new ();

    entry->seq = sqlite3_column_int64 (stmt, 0);
    entry->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    entry->operation = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    entry->target_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    entry->temporary_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    entry->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    entry->patch = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
    entry->base_version = sqlite3_column_int64 (stmt, 7);
    entry->state = state_from_nick ((const char *) sqlite3_column_text (stmt, 8));
    entry->attempts = sqlite3_column_int (stmt, 9);
    entry->created_at = sqlite3_column_int64 (stmt, 10);
    entry->error_domain = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
    entry->error_code = sqlite3_column_int (stmt, 12);
    entry->error_message = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
    g_queue_push_tail (&entries, entry);
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE)
    set_sqlite_error (error, db, self->path);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->writer->lock);

  if (rc != SQLITE_DONE) {
    g_queue_clear_full (&entries, (GDestroyNotify) aa_journal_entry_free);
    return NULL;
  }
  return entries.head;
}

/* Drafts */

/**
 * aa_journal_set_draft:
 * @self: a journal
 * @resource_id: the id of the resource being edited
 * @fields: the fields typed so far, such as `{"title": …, "notes": …}`
 * @error: return location for an error
 *
 * Keeps what was typed into @resource_id and not saved yet, replacing its
 * previous draft: one draft per resource. A draft larger than 1 MiB, or one
 * that would take the journal over its bounds, is refused and the previous
 * one kept.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
aa_journal_set_draft (AaJournal   *self,
                      const char  *resource_id,
                      JsonObject  *fields,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  Draft *draft;
  const char *old;
  gsize size, old_size;
  gint64 now;
  Op *op;

  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (resource_id != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  node = json_node_init_object (json_node_alloc (), fields);
  text = json_to_string (node, FALSE);
  size = strlen (text);
  draft = g_hash_table_lookup (self->drafts, resource_id);
  old = draft ? draft->fields : NULL;
  old_size = old ? strlen (old) : 0;

  if (g_strcmp0 (old, text) == 0)
    return TRUE;
  if (size > MAX_ITEM_BYTES) {
    g_autofree char *formatted = g_format_size (size);

    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_TOO_LARGE,
                 _("This text is too large to keep until it is saved (%s)."), formatted);
    return FALSE;
  }
  if ((old == NULL && g_hash_table_size (self->drafts) >= MAX_DRAFTS) ||
      (size > old_size && self->bytes + size - old_size > self->max_bytes)) {
    g_set_error (error, AA_JOURNAL_ERROR, AA_JOURNAL_ERROR_FULL,
                 _("Too much unsaved text is waiting: no more can be kept until some is saved."));
    return FALSE;
  }

  self->bytes = self->bytes - old_size + size;
  now = g_get_real_time ();
  op = op_new (OP_SET_DRAFT);
  op->key = g_strdup (resource_id);
  op->text = g_strdup (text);
  op->number = now;
  push (self, op);

  g_hash_table_insert (self->drafts, g_strdup (resource_id), draft_new (g_steal_pointer (&text), now));
  return TRUE;
}

/**
 * aa_journal_dup_draft:
 * @self: a journal
 * @resource_id: the id of a resource
 * @updated_at: (out) (optional): when it was last written, in wall-clock
 *   microseconds
 *
 * The draft kept for @resource_id: what was typed into it and not saved yet.
 *
 * Returns: (transfer full) (nullable): the fields of @resource_id's draft,
 *   or %NULL when it has none
 */
JsonObject *
aa_journal_dup_draft (AaJournal  *self,
                      const char *resource_id,
                      gint64     *updated_at)
{
  g_autoptr(JsonNode) node = NULL;
  Draft *draft;

  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (resource_id != NULL, NULL);

  draft = g_hash_table_lookup (self->drafts, resource_id);
  if (updated_at != NULL)
    *updated_at = draft ? draft->updated_at : 0;
  if (draft == NULL)
    return NULL;

  node = json_from_string (draft->fields, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/**
 * aa_journal_has_draft:
 * @self: a journal
 * @resource_id: the id of a resource
 *
 * Whether a draft is kept for @resource_id.
 *
 * Returns: %TRUE when @resource_id has a draft
 */
gboolean
aa_journal_has_draft (AaJournal  *self,
                      const char *resource_id)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (resource_id != NULL, FALSE);

  return g_hash_table_contains (self->drafts, resource_id);
}

/**
 * aa_journal_remove_draft:
 * @self: a journal
 * @resource_id: the id of a resource
 *
 * Forgets @resource_id's draft: it was saved, or the user discarded it.
 */
void
aa_journal_remove_draft (AaJournal  *self,
                         const char *resource_id)
{
  Draft *draft;
  Op *op;

  g_return_if_fail (AA_IS_JOURNAL (self));
  g_return_if_fail (resource_id != NULL);

  draft = g_hash_table_lookup (self->drafts, resource_id);
  if (draft == NULL)
    return;

  self->bytes -= strlen (draft->fields);
  g_hash_table_remove (self->drafts, resource_id);

  op = op_new (OP_DELETE_DRAFT);
  op->key = g_strdup (resource_id);
  push (self, op);
}

/**
 * aa_journal_list_drafts:
 * @self: a journal
 *
 * The resources that have a draft in the journal.
 *
 * Returns: (transfer full): the ids of the resources that have a draft
 */
char **
aa_journal_list_drafts (AaJournal *self)
{
  g_autofree gpointer *ids = NULL;

  g_return_val_if_fail (AA_IS_JOURNAL (self), NULL);

  ids = g_hash_table_get_keys_as_array (self->drafts, NULL);
  return g_strdupv ((char **) ids);
}

/**
 * aa_journal_flush:
 * @self: a journal
 * @error: return location for an error
 *
 * Waits until every write made so far is on disk (committed and
 * `fsync()`ed), and says whether any of them failed since the last flush.
 *
 * Returns: %TRUE when all of them are on disk, or %FALSE with @error set
 */
gboolean
aa_journal_flush (AaJournal  *self,
                  GError    **error)
{
  g_return_val_if_fail (AA_IS_JOURNAL (self), FALSE);

  return wait_for_writer (self, OP_FLUSH, error);
}
