#pragma once

#include <gio/gio.h>

#include "aa-rest-client.h"

G_BEGIN_DECLS

/**
 * AaConnectionState:
 * @AA_CONNECTION_STATE_OFFLINE: not connected: stopped, or waiting to try
 *   again after the connection dropped or could not be made.
 * @AA_CONNECTION_STATE_CONNECTING: a connection is being made.
 * @AA_CONNECTION_STATE_CONNECTED: events arrive as they happen.
 * @AA_CONNECTION_STATE_UNSUPPORTED: the server has no event stream (404,
 *   405, or not `text/event-stream`); nothing more is tried. Refetch
 *   instead when it matters (the window regains focus, the network returns).
 *
 * Where an [class@EventStream] stands.
 */
typedef enum {
  AA_CONNECTION_STATE_OFFLINE,
  AA_CONNECTION_STATE_CONNECTING,
  AA_CONNECTION_STATE_CONNECTED,
  AA_CONNECTION_STATE_UNSUPPORTED,
} AaConnectionState;

#define AA_TYPE_EVENT_STREAM (aa_event_stream_get_type ())

G_DECLARE_FINAL_TYPE (AaEventStream, aa_event_stream, AA, EVENT_STREAM, GObject)

AaEventStream     *aa_event_stream_new                  (AaRestClient   *client,
                                                         const char     *path);
AaRestClient      *aa_event_stream_get_client           (AaEventStream  *self);
const char        *aa_event_stream_get_path             (AaEventStream  *self);
void               aa_event_stream_start                (AaEventStream  *self);
void               aa_event_stream_stop                 (AaEventStream  *self);
AaConnectionState  aa_event_stream_get_connection_state (AaEventStream  *self);
const char        *aa_event_stream_get_last_event_id    (AaEventStream  *self);
void               aa_event_stream_set_last_event_id    (AaEventStream  *self,
                                                         const char     *id);
void               aa_event_stream_set_backoff          (AaEventStream  *self,
                                                         guint           min_ms,
                                                         guint           max_ms);
void               aa_event_stream_set_idle_timeout     (AaEventStream  *self,
                                                         guint           timeout_ms);
guint              aa_event_stream_get_n_connections    (AaEventStream  *self);
void               aa_event_stream_feed                 (AaEventStream  *self,
                                                         const char     *data,
                                                         gssize          length);
void               aa_event_stream_reset_parser         (AaEventStream  *self);

G_END_DECLS
