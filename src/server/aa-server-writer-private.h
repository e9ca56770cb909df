/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-server-state-private.h"

G_BEGIN_DECLS

/*
 * Group commit: the one thread that writes the database. Changes are made
 * in memory on the server's thread, then handed over here as an
 * AaServerWrite (copies of what changed, the events and the idempotency
 * record). The writer takes whatever has gathered, writes each change in
 * a savepoint of one transaction and commits it with one sync: concurrent
 * requests share the flush. Each write then comes back to the server's
 * main context, in order, through its done callback.
 *
 * A change that fails to be written is rolled back alone; the changes
 * queued behind it were made in memory on top of it, so they are refused
 * too (same epoch, see AaServerStore), and the server reads its memory
 * back from the database before it makes new ones.
 */
typedef struct _AaServerWriter AaServerWriter;
typedef struct _AaServerWrite  AaServerWrite;
typedef struct _AaServerView   AaServerView;

typedef void (*AaServerWriteDone) (AaServerWrite *write,
                                   gpointer       user_data);

struct _AaServerWrite {
  guint64          epoch;
  GPtrArray       *items;          /* AaServerItem*, to write */
  GPtrArray       *purged;         /* item ids, to delete for good */
  GPtrArray       *invoices;       /* AaServerInvoice* */
  GPtrArray       *payments;       /* AaServerPayment*, new ones */
  GPtrArray       *members;        /* AaServerMember* */
  gboolean         counters;
  guint64          next_item_id;
  guint64          next_payment_id;
  GPtrArray       *events;         /* AaServerEvent* */
  gint64           prune_events;   /* forget the events up to this id; 0: none */
  AaServerRecord  *record;         /* the answer to replay, or NULL */
  gint64           prune_records;  /* forget records expired by then; 0: not now */

  GError          *error;          /* set by the writer */

  AaServerWriteDone done;
  gpointer          user_data;
};

AaServerWrite  *aa_server_write_new     (void);
void            aa_server_write_free    (AaServerWrite   *write);

/* Opens its own connection to @path; applies each write to @view (not
 * taken) once durable; done callbacks run on @context. */
AaServerWriter *aa_server_writer_new    (const char      *path,
                                         AaServerView    *view,
                                         GMainContext    *context,
                                         GError         **error);
/* Takes @write; its done callback runs once it is on disk, or failed. */
void            aa_server_writer_push   (AaServerWriter  *writer,
                                         AaServerWrite   *write);
/* Waits for everything pushed so far and runs the done callbacks now.
 * From @context's thread only. */
void            aa_server_writer_flush  (AaServerWriter  *writer);
/* Flushes, then stops the thread. */
void            aa_server_writer_free   (AaServerWriter  *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaServerWrite, aa_server_write_free)

G_END_DECLS
