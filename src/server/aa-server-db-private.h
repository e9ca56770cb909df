/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-server-state-private.h"

G_BEGIN_DECLS

/*
 * The server's SQLite database: one file in WAL mode with synchronous=FULL,
 * so a committed transaction is on disk before the answer goes out. Every
 * write happens between aa_server_db_begin() and aa_server_db_commit(); a
 * failed write rolls the whole transaction back. Errors are
 * AA_SERVER_STORE_ERROR_STORAGE, or _CORRUPT for a file that can't be read.
 */
typedef struct _AaServerDb AaServerDb;

/* TRUE when the file starts like an SQLite database. */
gboolean        aa_server_db_has_header     (const char           *data,
                                             gsize                 length);
/* Writes a new database at @path from @state and @records (element-type
 * AaServerRecord), atomically: a crash leaves what was there before. */
gboolean        aa_server_db_create         (const char           *path,
                                             const AaServerState  *state,
                                             GPtrArray            *records,
                                             GError              **error);
/* Opens an existing database, refusing (untouched) one that is damaged or
 * not the server's. */
AaServerDb     *aa_server_db_open           (const char           *path,
                                             GError              **error);
/* Another connection to a database aa_server_db_open() checked: the
 * writer thread's (aa-server-writer.c), while the first one reads. */
AaServerDb     *aa_server_db_connect        (const char           *path,
                                             GError              **error);
void            aa_server_db_close          (AaServerDb           *db);
AaServerState  *aa_server_db_load           (AaServerDb           *db,
                                             GError              **error);

/* TRUE when a commit on this connection is durable before it returns:
 * WAL, synced at every commit (synchronous FULL or EXTRA), as read back
 * from the connection itself. */
gboolean        aa_server_db_is_durable     (AaServerDb           *db);

gboolean        aa_server_db_begin          (AaServerDb           *db,
                                             GError              **error);
gboolean        aa_server_db_commit         (AaServerDb           *db,
                                             GError              **error);
void            aa_server_db_rollback       (AaServerDb           *db);
gboolean        aa_server_db_in_transaction (AaServerDb           *db);
/* One change inside a transaction: released when written, or rolled back
 * alone. rollback_to() is FALSE when the whole transaction was lost. */
gboolean        aa_server_db_savepoint      (AaServerDb           *db,
                                             GError              **error);
gboolean        aa_server_db_release        (AaServerDb           *db,
                                             GError              **error);
gboolean        aa_server_db_rollback_to    (AaServerDb           *db);

gboolean        aa_server_db_put_item       (AaServerDb           *db,
                                             const AaServerItem   *item,
                                             GError              **error);
/* Deletes the item and remembers its id as purged. */
gboolean        aa_server_db_purge_item     (AaServerDb           *db,
                                             const char           *id,
                                             GError              **error);
gboolean        aa_server_db_put_invoice    (AaServerDb           *db,
                                             const AaServerInvoice *invoice,
                                             GError              **error);
gboolean        aa_server_db_put_payment    (AaServerDb           *db,
                                             const AaServerPayment *payment,
                                             GError              **error);
gboolean        aa_server_db_put_member     (AaServerDb           *db,
                                             const AaServerMember *member,
                                             GError              **error);
gboolean        aa_server_db_put_counters   (AaServerDb           *db,
                                             const AaServerState  *state,
                                             GError              **error);

/* Idempotency records, in their own table, expiring @lifetime seconds
 * after they were made. */
gboolean        aa_server_db_put_record     (AaServerDb           *db,
                                             const AaServerRecord *record,
                                             gint64                lifetime,
                                             GError              **error);
/* The unexpired record for (@principal, @key), or NULL (also on error,
 * which is then set). */
AaServerRecord *aa_server_db_lookup_record  (AaServerDb           *db,
                                             const char           *principal,
                                             const char           *key,
                                             gint64                now,
                                             GError              **error);
/* Forgets expired records, through the index on their expiry. */
gboolean        aa_server_db_prune_records  (AaServerDb           *db,
                                             gint64                now,
                                             GError              **error);

/* The change log, in the same transactions as the changes. */
gboolean        aa_server_db_put_event      (AaServerDb           *db,
                                             const AaServerEvent  *event,
                                             GError              **error);
/* Forgets the events up to and including @up_to. */
gboolean        aa_server_db_prune_events   (AaServerDb           *db,
                                             gint64                up_to,
                                             GError              **error);
/* At most @limit events after @after, in order (element-type AaServerEvent). */
GPtrArray      *aa_server_db_events_since   (AaServerDb           *db,
                                             gint64                after,
                                             guint                 limit,
                                             GError              **error);
/* The first and last ids kept, 0 and 0 when there are none. */
gboolean        aa_server_db_event_bounds   (AaServerDb           *db,
                                             gint64               *out_first,
                                             gint64               *out_last,
                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaServerDb, aa_server_db_close)

G_END_DECLS
