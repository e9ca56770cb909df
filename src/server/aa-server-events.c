/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-events"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "aa-server-private.h"

/*
 * GET /events: Server-Sent Events, one per accepted change, written to a
 * chunked response that stays open. An event is formatted once and its
 * bytes shared by every stream, so a hundred readers cost a hundred
 * appends. A reader that does not keep up is not buffered without limit:
 * once more than streams->limit bytes wait for it, its connection is cut
 * and it comes back with Last-Event-ID. What it missed is replayed from
 * the log as it reads, never more than the limit at a time; live events
 * wait in the log meanwhile. A comment every keepalive_ms lets both ends
 * notice a dead connection.
 */

/* Events read from the log at a time while a stream catches up. */
#define REPLAY_BATCH 64
/* The kernel's share of a stream: without a size, Linux lets the send
 * buffer of a reader that stopped reading grow to megabytes on top of
 * what the server queues itself (the limit). The kernel doubles it. */
#define STREAM_SNDBUF (32 * 1024)

typedef struct {
  AaServer          *self;
  SoupServerMessage *msg;      /* owned */
  gsize              queued;   /* appended, not yet written */
  gint64             cursor;   /* the last event id written */
  gboolean           replaying;
  GSource           *replay;   /* the next batch, once the reader read */
  GPtrArray         *missed;   /* AaServerEvent: read from the log, not yet written */
  guint              next;     /* the first of missed not yet written */
} Stream;

static void replay (Stream *stream);

static void
stream_free (Stream *stream)
{
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  if (stream->replay != NULL) {
    g_source_destroy (stream->replay);
    g_source_unref (stream->replay);
  }
  g_clear_pointer (&stream->missed, g_ptr_array_unref);
  g_object_unref (stream->msg);
  g_free (stream);
}

void
aa_server_streams_init (AaServerStreams *streams)
{
  streams->streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) stream_free);
  streams->keepalive_ms = AA_SERVER_DEFAULT_KEEPALIVE_MS;
  streams->limit = AA_SERVER_DEFAULT_STREAM_LIMIT;
}

void
aa_server_streams_clear (AaServerStreams *streams)
{
  if (streams->keepalive != NULL) {
    g_source_destroy (streams->keepalive);
    g_clear_pointer (&streams->keepalive, g_source_unref);
  }
  g_clear_pointer (&streams->streams, g_hash_table_unref);
}

static void
stream_cut (Stream *stream)
{
  AaServer *self = stream->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (stream->msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GBytes) bye = g_bytes_new_static ("\n", 1);

  g_hash_table_remove (self->streams.streams, msg);
  /* Shut down rather than taken from libsoup (whose peer may be gone
   * already): the reader sees the stream end, and libsoup, failing to
   * write the last byte, cleans up as usual. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bye);
  soup_server_message_unpause (msg);
}

static void
stream_write (Stream *stream,
              GBytes *bytes)
{
  /* One event, however large, may always wait alone. */
  if (stream->queued > 0 && stream->queued + g_bytes_get_size (bytes) > stream->self->streams.limit) {
    stream->self->streams.n_dropped++;
    g_debug ("A reader of the event stream fell %" G_GSIZE_FORMAT " bytes behind; cutting it", stream->queued);
    stream_cut (stream);
    return;
  }

  stream->queued += g_bytes_get_size (bytes);
  soup_message_body_append_bytes (soup_server_message_get_response_body (stream->msg), bytes);
  soup_server_message_unpause (stream->msg);
}

static gboolean
replay_cb (gpointer data)
{
  Stream *stream = data;

  g_clear_pointer (&stream->replay, g_source_unref);
  replay (stream);

  return G_SOURCE_REMOVE;
}

static void
wrote_body_data_cb (SoupServerMessage *msg,
                    guint              chunk_size,
                    Stream            *stream)
{
  stream->queued -= MIN (stream->queued, chunk_size);

  /* Half read: the next batch, outside of libsoup's write. */
  if (stream->replaying && stream->replay == NULL && stream->queued <= stream->self->streams.limit / 2) {
    stream->replay = g_idle_source_new ();
    g_source_set_callback (stream->replay, replay_cb, stream, NULL);
    g_source_attach (stream->replay, stream->self->context);
  }
}

static void
stream_gone_cb (SoupServerMessage *msg,
                Stream            *stream)
{
  g_hash_table_remove (stream->self->streams.streams, msg);
}

static GBytes *
format_event (gint64      id,
              const char *type,
              const char *data)
{
  char *text = g_strdup_printf ("id: %" G_GINT64_FORMAT "\nevent: %s\ndata: %s\n\n", id, type, data);

  return g_bytes_new_take (text, strlen (text));
}

static void write_all (AaServer *self,
                       GBytes   *bytes,
                       gint64    id);

/* Writes what the stream missed from the log, as much as the limit allows,
 * then follows live once it has caught up. */
static void
replay (Stream *stream)
{
  AaServer *self = stream->self;
  SoupServerMessage *msg = stream->msg;
  g_autoptr(GError) error = NULL;

  /* A batch read from the log is written out before the next is read: a
   * reader that takes one event at a time must not cost a whole batch's
   * reading per event. */
  if (stream->missed == NULL || stream->next >= stream->missed->len) {
    g_clear_pointer (&stream->missed, g_ptr_array_unref);
    stream->next = 0;
    stream->missed = aa_server_store_events_since (self->store, stream->cursor, REPLAY_BATCH, &error);
  }

  if (stream->missed == NULL) {
    g_autofree char *data = NULL;
    g_autoptr(GBytes) reset = NULL;

    /* Too far behind: the reader refreshes, then follows from here. */
    stream->replaying = FALSE;
    stream->cursor = aa_server_store_get_last_event_id (self->store);
    data = g_strdup_printf ("{\"reason\": \"%s\"}", error->message);
    reset = format_event (stream->cursor, "reset", data);
    stream_write (stream, reset);
    return;
  }

  while (stream->next < stream->missed->len) {
    AaServerEvent *event = g_ptr_array_index (stream->missed, stream->next);
    g_autoptr(GBytes) bytes = format_event (event->id, event->type, event->data);
    gint64 id = event->id;

    /* Over the limit: the rest once the reader has read. */
    if (stream->queued > 0 && stream->queued + g_bytes_get_size (bytes) > self->streams.limit)
      return;
    stream->next++;
    stream_write (stream, bytes);
    if (!g_hash_table_contains (self->streams.streams, msg))
      return;
    stream->cursor = id;
  }

  if (stream->cursor >= aa_server_store_get_last_event_id (self->store)) {
    stream->replaying = FALSE;
    g_clear_pointer (&stream->missed, g_ptr_array_unref);
  } else if (stream->missed->len > 0 && stream->replay == NULL && stream->queued <= self->streams.limit / 2) {
    stream->replay = g_idle_source_new ();
    g_source_set_callback (stream->replay, replay_cb, stream, NULL);
    g_source_attach (stream->replay, self->context);
  }
}

static gboolean
keepalive_cb (gpointer data)
{
  AaServer *self = data;
  g_autoptr(GBytes) comment = g_bytes_new_static (": keep-alive\n\n", strlen (": keep-alive\n\n"));

  write_all (self, comment, 0);

  return G_SOURCE_CONTINUE;
}

/* Last-Event-ID, or -1 when absent or not a number. */
static gint64
last_event_id (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Last-Event-ID");
  guint64 id;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &id, NULL))
    return -1;
  return (gint64) id;
}

void
aa_server_streams_open (AaServer          *self,
                        SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) hello = NULL;
  g_autofree char *text = NULL;
  gsize length;
  Stream *stream;
  gint64 after = last_event_id (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GError) error = NULL;

  if (socket != NULL &&
      !g_socket_set_option (socket, SOL_SOCKET, SO_SNDBUF, MIN (STREAM_SNDBUF, (int) self->streams.limit), &error))
    g_debug ("Couldn’t bound the send buffer of an event stream: %s", error->message);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  stream = g_new0 (Stream, 1);
  stream->self = self;
  stream->msg = g_object_ref (msg);
  g_hash_table_insert (self->streams.streams, msg, stream);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), stream);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_gone_cb), stream);
  g_signal_connect (msg, "disconnected", G_CALLBACK (stream_gone_cb), stream);

  /* The first chunk: the reader knows at once that it is connected and,
   * coming without Last-Event-ID, where it stands (an id without data). */
  if (after < 0)
    text = g_strdup_printf (": connected\nid: %" G_GINT64_FORMAT "\n\n", aa_server_store_get_last_event_id (self->store));
  else
    text = g_strdup (": connected\n\n");
  length = strlen (text);
  hello = g_bytes_new_take (g_steal_pointer (&text), length);
  stream_write (stream, hello);

  stream->cursor = after >= 0 ? after : aa_server_store_get_last_event_id (self->store);
  stream->replaying = after >= 0;
  if (stream->replaying)
    replay (stream);

  if (self->streams.keepalive == NULL) {
    self->streams.keepalive = g_timeout_source_new (self->streams.keepalive_ms);
    g_source_set_callback (self->streams.keepalive, keepalive_cb, self, NULL);
    g_source_attach (self->streams.keepalive, self->context);
  }
}

/* Writes @bytes to every stream following live (@id > 0: the event it
 * is); a stream cut on the way is skipped, one catching up reads the
 * event from the log in its turn. */
static void
write_all (AaServer *self,
           GBytes   *bytes,
           gint64    id)
{
  g_autoptr(GList) msgs = g_hash_table_get_keys (self->streams.streams);

  for (const GList *l = msgs; l != NULL; l = l->next) {
    Stream *stream = g_hash_table_lookup (self->streams.streams, l->data);

    if (stream == NULL || (id > 0 && stream->replaying))
      continue;
    /* A keep-alive is for a quiet connection: one with bytes still on their
     * way is not quiet, and a comment queued behind a large event would
     * cut a reader that is reading (a replay sends one event at a time). */
    if (id == 0 && stream->queued > 0)
      continue;
    stream_write (stream, bytes);
    if (id > 0 && g_hash_table_contains (self->streams.streams, l->data))
      stream->cursor = id;
  }
}

void
aa_server_streams_broadcast (AaServer *self)
{
  g_autoptr(GPtrArray) events = aa_server_store_take_events (self->store);

  for (guint i = 0; i < events->len && g_hash_table_size (self->streams.streams) > 0; i++) {
    AaServerEvent *event = g_ptr_array_index (events, i);
    g_autoptr(GBytes) bytes = format_event (event->id, event->type, event->data);

    write_all (self, bytes, event->id);
  }
}

guint
aa_server_streams_close_all (AaServer *self)
{
  g_autoptr(GList) msgs = g_hash_table_get_keys (self->streams.streams);
  guint n = 0;

  for (const GList *l = msgs; l != NULL; l = l->next) {
    Stream *stream = g_hash_table_lookup (self->streams.streams, l->data);

    if (stream != NULL) {
      stream_cut (stream);
      n++;
    }
  }

  return n;
}
