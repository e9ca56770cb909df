/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The client's side of the stream of changes: an event older than the
 * state already held is not applied, and reconnecting waits longer after
 * each failed attempt. The engine alone, no server. */

#include "config.h"

#include <gio/gio.h>

#include <async-actions.h>

static JsonObject *
note_state (const char *id,
            const char *title,
            gint64      version)
{
  JsonObject *state = json_object_new ();

  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "title", title);
  json_object_set_int_member (state, "version", version);

  return state;
}

/* An API URL on a loopback port that was free a moment ago. */
static char *
unreachable_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return g_strdup_printf ("http://127.0.0.1:%u/api/v1", port);
}

/* Events can arrive after a newer state (a list read later, a replay
 * overlapping the live stream): version 2 after version 3 is dropped. */
static void
test_older_event_ignored (void)
{
  g_autofree char *url = unreachable_url ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaEngine) engine = aa_engine_new (client);
  g_autoptr(AaResourceStore) store = aa_resource_store_new (engine, AA_TYPE_RESOURCE);
  g_autoptr(JsonObject) v3 = note_state ("1", "Third", 3);
  g_autoptr(JsonObject) v2 = note_state ("1", "Second", 2);
  g_autoptr(JsonObject) v4 = note_state ("1", "Fourth", 4);
  AaResource *note;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_resource_store_apply_remote (store, "1", v3, NULL, NULL);
  aa_resource_store_flush_remote (store);
  note = aa_resource_store_lookup (store, "1");
  g_assert_nonnull (note);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_shown (note), "title", NULL), ==, "Third");

  aa_resource_store_apply_remote (store, "1", v2, NULL, NULL);
  aa_resource_store_flush_remote (store);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_shown (note), "title", NULL), ==, "Third");
  g_assert_cmpint (aa_state_get_int (aa_resource_get_confirmed (note), "version", -1), ==, 3);

  /* A newer one still is. */
  aa_resource_store_apply_remote (store, "1", v4, NULL, NULL);
  aa_resource_store_flush_remote (store);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_shown (note), "title", NULL), ==, "Fourth");
}

typedef struct {
  GArray *attempts;   /* gint64, monotonic µs of each CONNECTING */
} Attempts;

static void
state_cb (AaEventStream *stream,
          GParamSpec    *pspec,
          Attempts      *attempts)
{
  gint64 now = g_get_monotonic_time ();

  if (aa_event_stream_get_connection_state (stream) == AA_CONNECTION_STATE_CONNECTING)
    g_array_append_val (attempts->attempts, now);
}

static gboolean
timeout_cb (gpointer data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

/* A server that is not there: attempt after attempt, the waits between
 * them grow (exponential, half of each at random), so that many clients
 * do not knock again all at once. */
static void
test_reconnect_backs_off (void)
{
  g_autofree char *url = unreachable_url ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaEventStream) stream = aa_event_stream_new (client, "/events");
  Attempts attempts = { g_array_new (FALSE, FALSE, sizeof (gint64)) };
  guint timeout;
  double first, last;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_event_stream_set_backoff (stream, 50, 60 * 1000);
  g_signal_connect (stream, "notify::connection-state", G_CALLBACK (state_cb), &attempts);
  /* A liveness bound only: the waits add up to at most 1.55 s. */
  timeout = g_timeout_add_seconds (60, timeout_cb, NULL);
  aa_event_stream_start (stream);
  while (attempts.attempts->len < 6)
    g_main_context_iteration (NULL, TRUE);
  aa_event_stream_stop (stream);
  g_source_remove (timeout);

  /* The first wait is 25 to 50 ms, the fifth 400 to 800 ms (a loaded
   * machine only adds). Waits that never grew would all be 25 to 50 ms. */
  first = (g_array_index (attempts.attempts, gint64, 1) - g_array_index (attempts.attempts, gint64, 0)) / 1000.0;
  last = (g_array_index (attempts.attempts, gint64, 5) - g_array_index (attempts.attempts, gint64, 4)) / 1000.0;
  g_test_message ("first wait %.0f ms, fifth %.0f ms", first, last);
  g_assert_cmpfloat (last, >=, 400);

  g_array_unref (attempts.attempts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/EventOrder/older-event-ignored", test_older_event_ignored);
  g_test_add_func ("/Aa/EventOrder/reconnect-backs-off", test_reconnect_backs_off);

  return g_test_run ();
}
