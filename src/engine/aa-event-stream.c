/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-event-stream"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "aa-enums.h"
#include "aa-event-stream.h"

/**
 * AaEventStream:
 *
 * Listens to a server's changes as Server-Sent Events (`text/event-stream`)
 * with the token of an [class@RestClient], and hands each event to the app
 * through [signal@EventStream::event].
 *
 * It reconnects by itself after the connection drops, waiting longer after
 * each failed attempt (exponential backoff with jitter, so that a hundred
 * clients of a restarted server do not all come back at once), and resumes
 * with `Last-Event-ID`, so that the server can replay what was missed. A
 * connection on which nothing arrives for the idle timeout (the server
 * sends keep-alive comments) is taken for dead and made again.
 *
 * The parser reads the stream as it comes, in pieces of any size; a line it
 * cannot read (not UTF-8, or longer than 1 MiB) is skipped with a warning.
 * An app applies each event to its stores with
 * aa_resource_store_apply_remote().
 */

#define DEFAULT_MIN_BACKOFF_MS  1000
#define DEFAULT_MAX_BACKOFF_MS  30000
#define DEFAULT_IDLE_TIMEOUT_MS 45000
#define MAX_LINE_BYTES          (1024 * 1024)
#define MAX_EVENT_BYTES         (4 * 1024 * 1024)
#define READ_BYTES              16384

struct _AaEventStream
{
  GObject            parent_instance;

  AaRestClient      *client;
  char              *path;
  SoupSession       *session;
  GCancellable      *cancellable;   /* the current connection */
  GInputStream      *input;
  GSource           *retry;
  GSource           *idle;
  AaConnectionState  state;
  gboolean           running;
  guint              attempts;      /* failed attempts since the last connection */
  guint              n_connections;
  guint              min_backoff_ms;
  guint              max_backoff_ms;
  guint              idle_timeout_ms;

  /* The parser. */
  GString           *line;
  gboolean           skipping_line; /* the rest of an overlong line */
  gboolean           after_cr;      /* a "\n" right after "\r" ends nothing */
  GString           *data;
  char              *type;
  char              *id;            /* of the event being read */
  gboolean           has_id;
  char              *last_event_id;
};

G_DEFINE_FINAL_TYPE (AaEventStream, aa_event_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PATH,
  PROP_CONNECTION_STATE,
  PROP_LAST_EVENT_ID,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (AaEventStream *self);

static void
set_state (AaEventStream     *self,
           AaConnectionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTION_STATE]);
}

/* The parser, after the text/event-stream format of the HTML standard. */

static void
dispatch (AaEventStream *self)
{
  if (self->has_id && g_strcmp0 (self->id, self->last_event_id) != 0) {
    g_free (self->last_event_id);
    self->last_event_id = g_strdup (self->id);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_EVENT_ID]);
  }

  if (self->data->len > 0) {
    /* The data lines are joined with "\n", without a final one. */
    g_string_truncate (self->data, self->data->len - 1);
    g_signal_emit (self, signals[SIGNAL_EVENT], 0,
                   self->type != NULL ? self->type : "message", self->last_event_id, self->data->str);
  }

  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->id, g_free);
  self->has_id = FALSE;
}

static void
process_line (AaEventStream *self,
              const char    *line,
              gsize          length)
{
  const char *colon;
  g_autofree char *field = NULL;
  const char *value;

  if (length == 0) {
    dispatch (self);
    return;
  }
  if (!g_utf8_validate_len (line, length, NULL)) {
    g_warning ("Skipped a line of the event stream from %s that is not UTF-8",
               aa_rest_client_get_base_url (self->client));
    return;
  }
  if (line[0] == ':')
    return;  /* a comment: keep-alive */

  colon = memchr (line, ':', length);
  if (colon != NULL) {
    field = g_strndup (line, colon - line);
    value = colon + 1;
    if (*value == ' ')
      value++;
  } else {
    field = g_strndup (line, length);
    value = "";
  }

  if (g_str_equal (field, "data")) {
    if (self->data->len + strlen (value) + 1 > MAX_EVENT_BYTES) {
      g_warning ("Skipped an event of the stream from %s larger than %u bytes",
                 aa_rest_client_get_base_url (self->client), MAX_EVENT_BYTES);
      g_string_truncate (self->data, 0);
      return;
    }
    g_string_append (self->data, value);
    g_string_append_c (self->data, '\n');
  } else if (g_str_equal (field, "event")) {
    g_free (self->type);
    self->type = g_strdup (value);
  } else if (g_str_equal (field, "id")) {
    g_free (self->id);
    self->id = g_strdup (value);
    self->has_id = TRUE;
  } else if (g_str_equal (field, "retry")) {
    guint64 ms;

    if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &ms, NULL) && ms > 0)
      self->min_backoff_ms = MIN ((guint) ms, self->max_backoff_ms);
  } else {
    g_warning ("Skipped a line of the event stream from %s with an unknown field “%s”",
               aa_rest_client_get_base_url (self->client), field);
  }
}

/**
 * aa_event_stream_feed:
 * @self: an event stream
 * @data: (array length=length) (element-type guint8): the next bytes of the stream
 * @length: their length, or -1 when @data ends with a NUL
 *
 * Parses the next bytes of a `text/event-stream`, emitting
 * [signal@EventStream::event] for each complete event. The stream calls it
 * with what it reads; it is public for other transports and for tests.
 */
void
aa_event_stream_feed (AaEventStream *self,
                      const char    *data,
                      gssize         length)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));
  g_return_if_fail (data != NULL || length == 0);

  if (length < 0)
    length = strlen (data);

  for (gssize i = 0; i < length; i++) {
    char c = data[i];

    if (c == '\n' && self->after_cr) {
      self->after_cr = FALSE;
      continue;
    }
    self->after_cr = c == '\r';

    if (c == '\n' || c == '\r') {
      if (!self->skipping_line)
        process_line (self, self->line->str, self->line->len);
      self->skipping_line = FALSE;
      g_string_truncate (self->line, 0);
    } else if (self->skipping_line) {
      continue;
    } else if (c == '\0' || self->line->len >= MAX_LINE_BYTES) {
      g_warning ("Skipped a line of the event stream from %s: %s",
                 aa_rest_client_get_base_url (self->client),
                 c == '\0' ? "it holds a NUL byte" : "it is longer than 1 MiB");
      self->skipping_line = TRUE;
      g_string_truncate (self->line, 0);
    } else {
      g_string_append_c (self->line, c);
    }
  }
}

/**
 * aa_event_stream_reset_parser:
 * @self: an event stream
 *
 * Forgets a partly read line or event: a new connection starts afresh.
 */
void
aa_event_stream_reset_parser (AaEventStream *self)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->id, g_free);
  self->has_id = FALSE;
  self->skipping_line = FALSE;
  self->after_cr = FALSE;
}

/* The connection */

static void
clear_source (GSource **source)
{
  if (*source != NULL) {
    g_source_destroy (*source);
    g_clear_pointer (source, g_source_unref);
  }
}

static void
close_connection (AaEventStream *self)
{
  clear_source (&self->idle);
  if (self->cancellable != NULL) {
    g_cancellable_cancel (self->cancellable);
    g_clear_object (&self->cancellable);
  }
  g_clear_object (&self->input);
}

static gboolean
retry_cb (gpointer data)
{
  AaEventStream *self = data;

  g_clear_pointer (&self->retry, g_source_unref);
  connect_now (self);

  return G_SOURCE_REMOVE;
}

/* After a drop or a failed attempt: wait, longer each time, then again. */
static void
schedule_retry (AaEventStream *self)
{
  guint64 delay;

  close_connection (self);
  if (!self->running)
    return;

  delay = (guint64) self->min_backoff_ms << MIN (self->attempts, 16);
  delay = MIN (delay, self->max_backoff_ms);
  /* Half of it fixed, half at random. */
  delay = delay / 2 + g_random_int_range (0, (gint32) MAX (delay / 2, 1));
  self->attempts++;

  set_state (self, AA_CONNECTION_STATE_OFFLINE);
  clear_source (&self->retry);
  self->retry = g_timeout_source_new ((guint) delay);
  g_source_set_callback (self->retry, retry_cb, self, NULL);
  g_source_attach (self->retry, g_main_context_get_thread_default ());
}

static gboolean
idle_timeout_cb (gpointer data)
{
  AaEventStream *self = data;

  g_clear_pointer (&self->idle, g_source_unref);
  g_debug ("Nothing from %s for %u ms: connecting again",
           aa_rest_client_get_base_url (self->client), self->idle_timeout_ms);
  schedule_retry (self);

  return G_SOURCE_REMOVE;
}

static void
restart_idle_timer (AaEventStream *self)
{
  clear_source (&self->idle);
  self->idle = g_timeout_source_new (self->idle_timeout_ms);
  g_source_set_callback (self->idle, idle_timeout_cb, self, NULL);
  g_source_attach (self->idle, g_main_context_get_thread_default ());
}

static void read_next (AaEventStream *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AaEventStream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || G_INPUT_STREAM (object) != self->input)
    return;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0) {
    g_debug ("The event stream from %s ended: %s", aa_rest_client_get_base_url (self->client),
             error != NULL ? error->message : "closed by the server");
    self->attempts = 0;
    schedule_retry (self);
    return;
  }

  restart_idle_timer (self);
  aa_event_stream_feed (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* A handler may have stopped us. */
  if (self->input == G_INPUT_STREAM (object))
    read_next (self);
}

static void
read_next (AaEventStream *self)
{
  g_input_stream_read_bytes_async (self->input, READ_BYTES, G_PRIORITY_DEFAULT, self->cancellable,
                                   read_cb, g_object_ref (self));
}

static gboolean
is_event_stream (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AaEventStream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  guint status;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (input == NULL) {
    g_debug ("Couldn’t reach the event stream at %s: %s", aa_rest_client_get_base_url (self->client),
             error->message);
    schedule_retry (self);
    return;
  }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED ||
      (status == SOUP_STATUS_OK && !is_event_stream (msg))) {
    /* A plain REST backend: nothing to listen to, and no use asking again. */
    close_connection (self);
    set_state (self, AA_CONNECTION_STATE_UNSUPPORTED);
    return;
  }
  if (status != SOUP_STATUS_OK) {
    g_debug ("The event stream at %s answered %u", aa_rest_client_get_base_url (self->client), status);
    schedule_retry (self);
    return;
  }

  self->input = g_steal_pointer (&input);
  self->attempts = 0;
  self->n_connections++;
  aa_event_stream_reset_parser (self);
  restart_idle_timer (self);
  set_state (self, AA_CONNECTION_STATE_CONNECTED);
  if (self->input != NULL)
    read_next (self);
}

static void
connect_now (AaEventStream *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;
  const char *token = aa_rest_client_get_token (self->client);

  close_connection (self);
  url = g_strconcat (aa_rest_client_get_base_url (self->client), self->path, NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL) {
    g_warning ("Can’t listen to events at “%s”: it is not a URL", url);
    set_state (self, AA_CONNECTION_STATE_UNSUPPORTED);
    return;
  }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (token != NULL) {
    g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

    soup_message_headers_replace (headers, "Authorization", authorization);
  }
  if (self->last_event_id != NULL && *self->last_event_id != '\0')
    soup_message_headers_replace (headers, "Last-Event-ID", self->last_event_id);

  self->cancellable = g_cancellable_new ();
  set_state (self, AA_CONNECTION_STATE_CONNECTING);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                           sent_cb, g_object_ref (self));
}

/**
 * aa_event_stream_start:
 * @self: an event stream
 *
 * Connects, and keeps connecting until aa_event_stream_stop(). Does
 * nothing when already started.
 */
void
aa_event_stream_start (AaEventStream *self)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->attempts = 0;
  connect_now (self);
}

/**
 * aa_event_stream_stop:
 * @self: an event stream
 *
 * Closes the connection and stops reconnecting; the last event id is kept,
 * so a later start resumes from it.
 */
void
aa_event_stream_stop (AaEventStream *self)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));

  self->running = FALSE;
  clear_source (&self->retry);
  close_connection (self);
  set_state (self, AA_CONNECTION_STATE_OFFLINE);
}

/* Accessors */

/**
 * aa_event_stream_get_client:
 * @self: an event stream
 *
 * Gets the client the stream connects with.
 *
 * Returns: (transfer none): the client whose base URL and token it uses
 */
AaRestClient *
aa_event_stream_get_client (AaEventStream *self)
{
  g_return_val_if_fail (AA_IS_EVENT_STREAM (self), NULL);
  return self->client;
}

/**
 * aa_event_stream_get_path:
 * @self: an event stream
 *
 * Gets the path of the stream.
 *
 * Returns: the path of the stream, relative to the client's base URL
 */
const char *
aa_event_stream_get_path (AaEventStream *self)
{
  g_return_val_if_fail (AA_IS_EVENT_STREAM (self), NULL);
  return self->path;
}

/**
 * aa_event_stream_get_connection_state:
 * @self: an event stream
 *
 * Gets whether the stream is connected, connecting, offline or unsupported
 * ([property@EventStream:connection-state]).
 *
 * Returns: where it stands
 */
AaConnectionState
aa_event_stream_get_connection_state (AaEventStream *self)
{
  g_return_val_if_fail (AA_IS_EVENT_STREAM (self), AA_CONNECTION_STATE_OFFLINE);
  return self->state;
}

/**
 * aa_event_stream_get_last_event_id:
 * @self: an event stream
 *
 * Gets the id of the last event received, which a reconnection sends as
 * `Last-Event-ID`.
 *
 * Returns: (nullable): the id of the last event received, sent as
 *   `Last-Event-ID` when connecting again
 */
const char *
aa_event_stream_get_last_event_id (AaEventStream *self)
{
  g_return_val_if_fail (AA_IS_EVENT_STREAM (self), NULL);
  return self->last_event_id;
}

/**
 * aa_event_stream_set_last_event_id:
 * @self: an event stream
 * @id: (nullable): where to resume from, or %NULL for only what happens next
 *
 * Sets where the next connection resumes, for example an id kept from an
 * earlier run.
 */
void
aa_event_stream_set_last_event_id (AaEventStream *self,
                                   const char    *id)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));

  if (g_strcmp0 (self->last_event_id, id) == 0)
    return;

  g_free (self->last_event_id);
  self->last_event_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_EVENT_ID]);
}

/**
 * aa_event_stream_set_backoff:
 * @self: an event stream
 * @min_ms: the wait before the first attempt after a drop (1000 by default)
 * @max_ms: the longest wait (30000 by default)
 *
 * Each failed attempt doubles the wait, up to @max_ms; each wait is
 * between half of it and all of it, at random.
 */
void
aa_event_stream_set_backoff (AaEventStream *self,
                             guint          min_ms,
                             guint          max_ms)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->min_backoff_ms = min_ms;
  self->max_backoff_ms = max_ms;
}

/**
 * aa_event_stream_set_idle_timeout:
 * @self: an event stream
 * @timeout_ms: how long a silent connection is believed alive (45000 by
 *   default: three of the server's keep-alive periods)
 *
 * Sets how long the stream waits without a byte (a keep-alive included)
 * before it takes the connection for dead and reconnects.
 */
void
aa_event_stream_set_idle_timeout (AaEventStream *self,
                                  guint          timeout_ms)
{
  g_return_if_fail (AA_IS_EVENT_STREAM (self));
  g_return_if_fail (timeout_ms > 0);

  self->idle_timeout_ms = timeout_ms;
}

/**
 * aa_event_stream_get_n_connections:
 * @self: an event stream
 *
 * Gets how many times the stream connected since it was created.
 *
 * Returns: how many times it connected so far
 */
guint
aa_event_stream_get_n_connections (AaEventStream *self)
{
  g_return_val_if_fail (AA_IS_EVENT_STREAM (self), 0);
  return self->n_connections;
}

/* GObject */

static void
aa_event_stream_dispose (GObject *object)
{
  AaEventStream *self = AA_EVENT_STREAM (object);

  self->running = FALSE;
  clear_source (&self->retry);
  close_connection (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (aa_event_stream_parent_class)->dispose (object);
}

static void
aa_event_stream_finalize (GObject *object)
{
  AaEventStream *self = AA_EVENT_STREAM (object);

  g_clear_object (&self->client);
  g_free (self->path);
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->type);
  g_free (self->id);
  g_free (self->last_event_id);

  G_OBJECT_CLASS (aa_event_stream_parent_class)->finalize (object);
}

static void
aa_event_stream_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AaEventStream *self = AA_EVENT_STREAM (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  case PROP_CONNECTION_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_LAST_EVENT_ID:
    g_value_set_string (value, self->last_event_id);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_event_stream_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AaEventStream *self = AA_EVENT_STREAM (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;
  case PROP_PATH:
    self->path = g_value_dup_string (value);
    break;
  case PROP_LAST_EVENT_ID:
    aa_event_stream_set_last_event_id (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_event_stream_class_init (AaEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aa_event_stream_dispose;
  object_class->finalize = aa_event_stream_finalize;
  object_class->get_property = aa_event_stream_get_property;
  object_class->set_property = aa_event_stream_set_property;

  /**
   * AaEventStream:client:
   *
   * The client whose base URL and token the stream uses.
   */
  props[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AA_TYPE_REST_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * AaEventStream:path:
   *
   * The path of the stream, relative to the client's base URL ("/events").
   */
  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, "/events",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * AaEventStream:connection-state:
   *
   * Where the stream stands: bind a calm status to it ("Reconnecting…").
   */
  props[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL,
                       AA_TYPE_CONNECTION_STATE, AA_CONNECTION_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AaEventStream:last-event-id:
   *
   * The id of the last event received, sent as `Last-Event-ID` when
   * connecting again.
   */
  props[PROP_LAST_EVENT_ID] =
    g_param_spec_string ("last-event-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * AaEventStream::event:
   * @self: the event stream
   * @type: the event's type ("message" when it names none)
   * @id: (nullable): the last event id, this event's when it has one
   * @data: the event's data
   *
   * One complete event, in the order the server sent them.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
aa_event_stream_init (AaEventStream *self)
{
  self->min_backoff_ms = DEFAULT_MIN_BACKOFF_MS;
  self->max_backoff_ms = DEFAULT_MAX_BACKOFF_MS;
  self->idle_timeout_ms = DEFAULT_IDLE_TIMEOUT_MS;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  /* Its own session: a stream that stays open must not take one of the
   * client's connections to the host from the requests. */
  self->session = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
}

/**
 * aa_event_stream_new:
 * @client: the client whose base URL and token to use
 * @path: the path of the stream, relative to the base URL, such as "/events"
 *
 * Creates a stream of the server's changes at @path (such as "/events");
 * aa_event_stream_start() connects it.
 *
 * Returns: (transfer full): a new event stream, not started
 */
AaEventStream *
aa_event_stream_new (AaRestClient *client,
                     const char   *path)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (AA_TYPE_EVENT_STREAM, "client", client, "path", path, NULL);
}
