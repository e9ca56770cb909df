/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-server-db-private.h"
#include "aa-server-lane-private.h"
#include "aa-server-store.h"
#include "aa-server-view-private.h"
#include "aa-server-writer-private.h"

/* Changes committed together at most: a batch stays a few milliseconds. */
#define MAX_BATCH 256

struct _AaServerWriter
{
  AaServerDb   *db;             /* the writer thread's alone */
  AaServerView *view;           /* what reads show, updated once durable */
  GThread      *thread;
  GAsyncQueue  *queue;          /* AaServerWrite*, or the writer itself to stop */
  guint64       failed_epoch;   /* writer thread: changes of it are refused */
  gboolean      failed;

  GMutex        mutex;
  GCond         cond;
  GQueue        done;           /* AaServerWrite*, written or failed, in order */
  AaServerLane  dispatch;       /* answers them on the main context */
  guint64       n_pushed;       /* from context's thread */
  guint64       n_done;
};

AaServerWrite *
aa_server_write_new (void)
{
  AaServerWrite *write = g_new0 (AaServerWrite, 1);

  write->items = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_item_free);
  write->purged = g_ptr_array_new_with_free_func (g_free);
  write->invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_invoice_free);
  write->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_payment_free);
  write->members = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_member_free);
  write->events = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_event_free);

  return write;
}

void
aa_server_write_free (AaServerWrite *write)
{
  if (write == NULL)
    return;

  g_ptr_array_unref (write->items);
  g_ptr_array_unref (write->purged);
  g_ptr_array_unref (write->invoices);
  g_ptr_array_unref (write->payments);
  g_ptr_array_unref (write->members);
  g_clear_pointer (&write->events, g_ptr_array_unref);
  g_clear_pointer (&write->record, aa_server_record_free);
  g_clear_error (&write->error);
  g_free (write);
}

/* One change, inside the batch's transaction. */
static gboolean
write_one (AaServerDb     *db,
           AaServerWrite  *write,
           GError        **error)
{
  for (guint i = 0; i < write->items->len; i++) {
    if (!aa_server_db_put_item (db, g_ptr_array_index (write->items, i), error))
      return FALSE;
  }
  for (guint i = 0; i < write->purged->len; i++) {
    if (!aa_server_db_purge_item (db, g_ptr_array_index (write->purged, i), error))
      return FALSE;
  }
  for (guint i = 0; i < write->invoices->len; i++) {
    if (!aa_server_db_put_invoice (db, g_ptr_array_index (write->invoices, i), error))
      return FALSE;
  }
  for (guint i = 0; i < write->payments->len; i++) {
    if (!aa_server_db_put_payment (db, g_ptr_array_index (write->payments, i), error))
      return FALSE;
  }
  for (guint i = 0; i < write->members->len; i++) {
    if (!aa_server_db_put_member (db, g_ptr_array_index (write->members, i), error))
      return FALSE;
  }
  if (write->counters) {
    AaServerState counters = {
      .next_item_id = write->next_item_id,
      .next_payment_id = write->next_payment_id,
    };

    if (!aa_server_db_put_counters (db, &counters, error))
      return FALSE;
  }
  for (guint i = 0; i < write->events->len; i++) {
    if (!aa_server_db_put_event (db, g_ptr_array_index (write->events, i), error))
      return FALSE;
  }
  if (write->prune_events > 0 && !aa_server_db_prune_events (db, write->prune_events, error))
    return FALSE;
  if (write->record != NULL &&
      !aa_server_db_put_record (db, write->record, AA_SERVER_KEY_LIFETIME_SECONDS, error))
    return FALSE;
  if (write->prune_records > 0 && !aa_server_db_prune_records (db, write->prune_records, error))
    return FALSE;

  return TRUE;
}

static void
refuse (AaServerWriter *writer,
        AaServerWrite  *write,
        const GError   *error)
{
  if (write->error == NULL)
    write->error = g_error_copy (error);
  writer->failed_epoch = MAX (writer->failed_epoch, write->epoch);
  writer->failed = TRUE;
}

static void
write_batch (AaServerWriter *writer,
             GPtrArray      *batch)
{
  g_autoptr(GError) behind = NULL;
  g_autoptr(GError) error = NULL;
  gboolean began;
  guint n_written = 0;

  g_set_error_literal (&behind, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                       _("A change made just before this one couldn’t be saved, so this one wasn’t either. Try again."));

  began = aa_server_db_begin (writer->db, &error);
  for (guint i = 0; i < batch->len; i++) {
    AaServerWrite *write = g_ptr_array_index (batch, i);

    if (writer->failed && write->epoch <= writer->failed_epoch) {
      refuse (writer, write, behind);
      continue;
    }
    if (!began) {
      refuse (writer, write, error);
      continue;
    }
    if (!aa_server_db_savepoint (writer->db, &write->error) ||
        !write_one (writer->db, write, &write->error) ||
        !aa_server_db_release (writer->db, &write->error)) {
      g_message ("%s", write->error->message);
      refuse (writer, write, write->error);
      /* The whole transaction is gone: so are the ones before. */
      if (!aa_server_db_rollback_to (writer->db)) {
        for (guint j = 0; j < i; j++)
          refuse (writer, g_ptr_array_index (batch, j), write->error);
        began = FALSE;
        g_set_error_literal (&error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                             write->error->message);
      }
      continue;
    }
    n_written++;
  }

  /* One sync for the batch: what makes group commit pay. */
  if (began && n_written > 0 && !aa_server_db_commit (writer->db, &error)) {
    for (guint i = 0; i < batch->len; i++)
      refuse (writer, g_ptr_array_index (batch, i), error);
  } else if (began && n_written == 0) {
    aa_server_db_rollback (writer->db);
  }
}

static void
dispatch (gpointer data)
{
  AaServerWriter *writer = data;
  GQueue done = G_QUEUE_INIT;
  AaServerWrite *write;

  g_mutex_lock (&writer->mutex);
  done = writer->done;
  g_queue_init (&writer->done);
  g_mutex_unlock (&writer->mutex);

  while ((write = g_queue_pop_head (&done)) != NULL) {
    write->done (write, write->user_data);
    aa_server_write_free (write);
  }
}

static gpointer
writer_thread (gpointer data)
{
  AaServerWriter *writer = data;
  gboolean stop = FALSE;

  while (!stop) {
    g_autoptr(GPtrArray) batch = g_ptr_array_new ();
    gpointer next = g_async_queue_pop (writer->queue);

    /* Whatever gathered while the last batch was being written. */
    while (next != NULL && !stop) {
      if (next == writer)
        stop = TRUE;
      else
        g_ptr_array_add (batch, next);
      next = batch->len < MAX_BATCH && !stop ? g_async_queue_try_pop (writer->queue) : NULL;
    }
    if (batch->len == 0)
      continue;

    write_batch (writer, batch);
    /* Readers see a change once it is on disk, and before it is answered. */
    for (guint i = 0; i < batch->len; i++) {
      AaServerWrite *write = g_ptr_array_index (batch, i);

      if (write->error == NULL)
        aa_server_view_apply (writer->view, write);
    }

    g_mutex_lock (&writer->mutex);
    for (guint i = 0; i < batch->len; i++)
      g_queue_push_tail (&writer->done, g_ptr_array_index (batch, i));
    writer->n_done += batch->len;
    g_cond_broadcast (&writer->cond);
    g_mutex_unlock (&writer->mutex);
    /* Answered once no read waits, or after the lane's bound. */
    aa_server_lane_schedule (&writer->dispatch);

    /* The lists joined here, not on the main loop, while the answers go out. */
    aa_server_view_prepare (writer->view);
  }

  return NULL;
}

AaServerWriter *
aa_server_writer_new (const char    *path,
                      AaServerView  *view,
                      GMainContext  *context,
                      GError       **error)
{
  AaServerWriter *writer;
  AaServerDb *db;

  g_return_val_if_fail (path != NULL && view != NULL && context != NULL, NULL);

  db = aa_server_db_connect (path, error);
  if (db == NULL)
    return NULL;

  writer = g_new0 (AaServerWriter, 1);
  writer->db = db;
  writer->view = view;
  aa_server_lane_init (&writer->dispatch, context, AA_SERVER_LANE_MAX_WAIT_MS, dispatch, writer);
  writer->queue = g_async_queue_new ();
  g_mutex_init (&writer->mutex);
  g_cond_init (&writer->cond);
  g_queue_init (&writer->done);
  writer->thread = g_thread_new ("aa-server-writer", writer_thread, writer);

  return writer;
}

void
aa_server_writer_push (AaServerWriter *writer,
                       AaServerWrite  *write)
{
  g_return_if_fail (writer != NULL && write != NULL && write->done != NULL);

  g_mutex_lock (&writer->mutex);
  writer->n_pushed++;
  g_mutex_unlock (&writer->mutex);
  g_async_queue_push (writer->queue, write);
}

void
aa_server_writer_flush (AaServerWriter *writer)
{
  g_return_if_fail (writer != NULL);

  g_mutex_lock (&writer->mutex);
  while (writer->n_done < writer->n_pushed)
    g_cond_wait (&writer->cond, &writer->mutex);
  g_mutex_unlock (&writer->mutex);

  aa_server_lane_cancel (&writer->dispatch);
  dispatch (writer);
}

void
aa_server_writer_free (AaServerWriter *writer)
{
  if (writer == NULL)
    return;

  aa_server_writer_flush (writer);
  g_async_queue_push (writer->queue, writer);
  g_thread_join (writer->thread);

  g_async_queue_unref (writer->queue);
  aa_server_db_close (writer->db);
  aa_server_lane_clear (&writer->dispatch);
  g_mutex_clear (&writer->mutex);
  g_cond_clear (&writer->cond);
  g_free (writer);
}
