/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>

#include "aa-version-macros.h"

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

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaEventStream, aa_event_stream, AA, EVENT_STREAM, GObject)

AA_AVAILABLE_IN_ALL
AaEventStream     *aa_event_stream_new                  (AaRestClient   *client,
                                                         const char     *path);
AA_AVAILABLE_IN_ALL
AaRestClient      *aa_event_stream_get_client           (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
const char        *aa_event_stream_get_path             (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_start                (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_stop                 (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
AaConnectionState  aa_event_stream_get_connection_state (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
const char        *aa_event_stream_get_last_event_id    (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_set_last_event_id    (AaEventStream  *self,
                                                         const char     *id);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_set_backoff          (AaEventStream  *self,
                                                         guint           min_ms,
                                                         guint           max_ms);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_set_idle_timeout     (AaEventStream  *self,
                                                         guint           timeout_ms);
AA_AVAILABLE_IN_ALL
guint              aa_event_stream_get_n_connections    (AaEventStream  *self);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_feed                 (AaEventStream  *self,
                                                         const char     *data,
                                                         gssize          length);
AA_AVAILABLE_IN_ALL
void               aa_event_stream_reset_parser         (AaEventStream  *self);

G_END_DECLS
