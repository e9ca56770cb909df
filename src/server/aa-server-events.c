#define G_LOG_DOMAIN "aa-server-events"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aa-server-private.h"

/*
 * GET /events: Server-Sent Events, one per accepted change, written to a
 * chunked response that stays open. An event is formatted once and its
 * bytes shared by every stream, so a hundred readers cost a hundred
 * appends. A reader that does not keep up is not buffered without limit:
 * once more than streams->limit bytes wait for it, its connection is cut
 * and it comes back with Last-Event-ID. A comment every keepalive_ms lets
 * both ends notice a dead connection.
 */

typedef struct {
  AaServer          *self;
  SoupServerMessage *msg;      /* owned */
  gsize              queued;   /* appended, not yet written */
} Stream;

static void
stream_free (Stream *stream)
{
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
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
  g_autoptr(GIOStream) connection = NULL;

  g_hash_table_remove (self->streams.streams, msg);
  /* Taken from libsoup and closed: the reader sees the stream end. */
  connection = soup_server_message_steal_connection (msg);
  if (connection != NULL)
    g_io_stream_close (connection, NULL, NULL);
}

static void
stream_write (Stream *stream,
              GBytes *bytes)
{
  stream->queued += g_bytes_get_size (bytes);
  if (stream->queued > stream->self->streams.limit) {
    stream->self->streams.n_dropped++;
    g_debug ("A reader of the event stream fell %" G_GSIZE_FORMAT " bytes behind; cutting it", stream->queued);
    stream_cut (stream);
    return;
  }

  soup_message_body_append_bytes (soup_server_message_get_response_body (stream->msg), bytes);
  soup_server_message_unpause (stream->msg);
}

static void
wrote_body_data_cb (SoupServerMessage *msg,
                    guint              chunk_size,
                    Stream            *stream)
{
  stream->queued -= MIN (stream->queued, chunk_size);
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
                       GBytes   *bytes);

static gboolean
keepalive_cb (gpointer data)
{
  AaServer *self = data;
  g_autoptr(GBytes) comment = g_bytes_new_static (": keep-alive\n\n", strlen (": keep-alive\n\n"));

  write_all (self, comment);

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
  g_autoptr(GBytes) hello = g_bytes_new_static (": connected\n\n", strlen (": connected\n\n"));
  Stream *stream;
  gint64 after = last_event_id (msg);

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

  /* The first chunk: the reader knows at once that it is connected. */
  stream_write (stream, hello);

  if (after >= 0) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) missed = aa_server_store_events_since (self->store, after, &error);

    if (missed == NULL) {
      g_autofree char *data = NULL;
      g_autoptr(GBytes) reset = NULL;

      /* Too far behind: the reader refreshes, then follows from here. */
      data = g_strdup_printf ("{\"reason\": \"%s\"}", error->message);
      reset = format_event (aa_server_store_get_last_event_id (self->store), "reset", data);
      stream_write (stream, reset);
    }
    for (guint i = 0; missed != NULL && i < missed->len; i++) {
      AaServerEvent *event = g_ptr_array_index (missed, i);
      g_autoptr(GBytes) bytes = format_event (event->id, event->type, event->data);

      stream_write (stream, bytes);
      if (!g_hash_table_contains (self->streams.streams, msg))
        break;
    }
  }

  if (self->streams.keepalive == NULL) {
    self->streams.keepalive = g_timeout_source_new (self->streams.keepalive_ms);
    g_source_set_callback (self->streams.keepalive, keepalive_cb, self, NULL);
    g_source_attach (self->streams.keepalive, self->context);
  }
}

/* Writes @bytes to every stream; a stream cut on the way is skipped. */
static void
write_all (AaServer *self,
           GBytes   *bytes)
{
  g_autoptr(GList) msgs = g_hash_table_get_keys (self->streams.streams);

  for (const GList *l = msgs; l != NULL; l = l->next) {
    Stream *stream = g_hash_table_lookup (self->streams.streams, l->data);

    if (stream != NULL)
      stream_write (stream, bytes);
  }
}

void
aa_server_streams_broadcast (AaServer *self)
{
  g_autoptr(GPtrArray) events = aa_server_store_take_events (self->store);

  for (guint i = 0; i < events->len && g_hash_table_size (self->streams.streams) > 0; i++) {
    AaServerEvent *event = g_ptr_array_index (events, i);
    g_autoptr(GBytes) bytes = format_event (event->id, event->type, event->data);

    write_all (self, bytes);
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
