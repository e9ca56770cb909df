/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-connectivity"

#include "config.h"

#include "aa-connectivity.h"
#include "aa-error.h"

/**
 * AaConnectivity:
 *
 * Whether the server can be reached, as one object that widgets bind to:
 * [property@Connectivity:reachable] and
 * [property@Connectivity:unreachable-since].
 *
 * It learns it from three sources: requests that never reached the server
 * (aa_connectivity_report_unreachable(), which [class@Engine] calls for
 * its own), the event stream's state (aa_connectivity_follow_event_stream())
 * and `GNetworkMonitor`. While the server can't be reached it probes it
 * with a cheap GET ([property@Connectivity:probe-path]) with exponential
 * backoff and jitter, and notices by itself when it is back. Any HTTP
 * answer below 500 to a probe means reachable.
 *
 * An [class@Engine] owns one (aa_engine_get_connectivity()): while it is
 * unreachable, optimistic mutations wait and pessimistic ones are refused
 * (see [enum@OfflinePolicy]), and mutations of unknown outcome are
 * resolved after a successful probe.
 *
 * Since: 0.2
 */

#define DEFAULT_MIN_BACKOFF_MS 500
#define DEFAULT_MAX_BACKOFF_MS 30000

struct _AaConnectivity
{
  GObject          parent_instance;

  AaRestClient    *client;
  GNetworkMonitor *monitor;
  AaEventStream   *stream;  /* weak */
  char            *probe_path;
  gboolean         reachable;
  gint64           unreachable_since;
  guint            min_backoff_ms;
  guint            max_backoff_ms;
  guint            failed_probes;
  guint            n_probes;
  GSource         *timer;
  GCancellable    *probe;   /* a probe in flight */
};

G_DEFINE_FINAL_TYPE (AaConnectivity, aa_connectivity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REACHABLE,
  PROP_UNREACHABLE_SINCE,
  PROP_PROBING,
  PROP_N_PROBES,
  PROP_PROBE_PATH,
  N_PROPS
};

enum {
  SIGNAL_PROBED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void probe (AaConnectivity *self);

static gboolean
is_probing (AaConnectivity *self)
{
  return self->timer != NULL || self->probe != NULL;
}

static void
set_reachable (AaConnectivity *self,
               gboolean        reachable)
{
  if (self->reachable == !!reachable)
    return;

  g_debug ("The server is %s", reachable ? "reachable again" : "unreachable");
  self->reachable = !!reachable;
  self->unreachable_since = reachable ? 0 : g_get_real_time ();

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNREACHABLE_SINCE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REACHABLE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_timer (AaConnectivity *self)
{
  if (self->timer != NULL) {
    g_source_destroy (self->timer);
    g_clear_pointer (&self->timer, g_source_unref);
  }
}

static gboolean
timer_cb (gpointer user_data)
{
  AaConnectivity *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  probe (self);
  return G_SOURCE_REMOVE;
}

/* The next probe: exponential backoff from the shortest delay, capped,
 * with "equal jitter" (half fixed, half random) so that many clients
 * coming back after one outage don't probe in step. */
static void
schedule_probe (AaConnectivity *self)
{
  gboolean was_probing = is_probing (self);
  guint64 delay = self->min_backoff_ms;
  guint ms;

  clear_timer (self);
  for (guint i = 0; i < self->failed_probes && delay < self->max_backoff_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_backoff_ms);
  ms = (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));

  self->timer = g_timeout_source_new (ms);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_static_name (self->timer, "[aa] connectivity probe");
  g_source_attach (self->timer, g_main_context_get_thread_default ());

  if (!was_probing)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBING]);
}

/* Any HTTP answer but a 5xx: the server is there and answering. */
static gboolean
answered (const GError *error)
{
  return error == NULL ||
         (error->domain == AA_ERROR &&
          error->code != AA_ERROR_OFFLINE &&
          error->code != AA_ERROR_TIMEOUT &&
          error->code != AA_ERROR_CONNECTION_LOST &&
          error->code != AA_ERROR_SERVER &&
          error->code != AA_ERROR_BAD_RESPONSE);
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AaConnectivity) self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reachable;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->probe);
  reachable = answered (error);
  g_debug ("Probe %u: %s", self->n_probes, reachable ? "answered" : error->message);

  if (reachable) {
    self->failed_probes = 0;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBING]);
  } else {
    self->failed_probes++;
    schedule_probe (self);
  }

  set_reachable (self, reachable);
  g_signal_emit (self, signals[SIGNAL_PROBED], 0, reachable);
}

static void
probe (AaConnectivity *self)
{
  gboolean was_probing = is_probing (self);

  if (self->probe != NULL)
    return;

  clear_timer (self);
  self->probe = g_cancellable_new ();
  self->n_probes++;
  aa_rest_client_request_async (self->client, "GET", self->probe_path, NULL, NULL, -1,
                                self->probe, probe_cb, g_object_ref (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_PROBES]);
  if (!was_probing)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBING]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
network_changed_cb (AaConnectivity *self,
                    gboolean        available)
{
  /* Only a hint: a network without a default route still reaches a
   * server on loopback, and one with it may not reach ours. */
  if (!self->reachable || !available) {
    self->failed_probes = 0;
    probe (self);
  }
}

static void
stream_state_cb (AaConnectivity *self)
{
  switch (aa_event_stream_get_connection_state (self->stream)) {
  case AA_CONNECTION_STATE_CONNECTED:
    aa_connectivity_report_reachable (self);
    break;
  case AA_CONNECTION_STATE_OFFLINE:
    /* Dropped or not made: the probe says whether it is the server. */
    if (self->reachable && aa_event_stream_get_n_connections (self->stream) > 0)
      probe (self);
    break;
  case AA_CONNECTION_STATE_CONNECTING:
  case AA_CONNECTION_STATE_UNSUPPORTED:
  default:
    break;
  }
}

static void
aa_connectivity_constructed (GObject *object)
{
  AaConnectivity *self = AA_CONNECTIVITY (object);

  G_OBJECT_CLASS (aa_connectivity_parent_class)->constructed (object);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
aa_connectivity_dispose (GObject *object)
{
  AaConnectivity *self = AA_CONNECTIVITY (object);

  clear_timer (self);
  if (self->probe != NULL)
    g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_weak_pointer (&self->stream);

  G_OBJECT_CLASS (aa_connectivity_parent_class)->dispose (object);
}

static void
aa_connectivity_finalize (GObject *object)
{
  AaConnectivity *self = AA_CONNECTIVITY (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->client);
  g_clear_pointer (&self->probe_path, g_free);

  G_OBJECT_CLASS (aa_connectivity_parent_class)->finalize (object);
}

static void
aa_connectivity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AaConnectivity *self = AA_CONNECTIVITY (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_REACHABLE:
    g_value_set_boolean (value, self->reachable);
    break;
  case PROP_UNREACHABLE_SINCE:
    g_value_set_int64 (value, self->unreachable_since);
    break;
  case PROP_PROBING:
    g_value_set_boolean (value, is_probing (self));
    break;
  case PROP_N_PROBES:
    g_value_set_uint (value, self->n_probes);
    break;
  case PROP_PROBE_PATH:
    g_value_set_string (value, self->probe_path);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_connectivity_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AaConnectivity *self = AA_CONNECTIVITY (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;
  case PROP_PROBE_PATH:
    aa_connectivity_set_probe_path (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_connectivity_class_init (AaConnectivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = aa_connectivity_constructed;
  object_class->dispose = aa_connectivity_dispose;
  object_class->finalize = aa_connectivity_finalize;
  object_class->get_property = aa_connectivity_get_property;
  object_class->set_property = aa_connectivity_set_property;

  /**
   * AaConnectivity:client:
   *
   * The REST client that probes go through.
   *
   * Since: 0.2
   */
  props[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AA_TYPE_REST_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AaConnectivity:reachable:
   *
   * Whether the server can be reached, as far as anyone knows: %TRUE
   * until a request fails without reaching it.
   *
   * Since: 0.2
   */
  props[PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, TRUE, flags);

  /**
   * AaConnectivity:unreachable-since:
   *
   * When the server became unreachable (wall-clock microseconds, as
   * g_get_real_time()), or 0 while it is reachable.
   *
   * Since: 0.2
   */
  props[PROP_UNREACHABLE_SINCE] =
    g_param_spec_int64 ("unreachable-since", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * AaConnectivity:probing:
   *
   * Whether a probe is on its way or scheduled.
   *
   * Since: 0.2
   */
  props[PROP_PROBING] =
    g_param_spec_boolean ("probing", NULL, NULL, FALSE, flags);

  /**
   * AaConnectivity:n-probes:
   *
   * How many probes were sent so far.
   *
   * Since: 0.2
   */
  props[PROP_N_PROBES] =
    g_param_spec_uint ("n-probes", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * AaConnectivity:probe-path:
   *
   * The path of the probe's GET, relative to the client's base URL: a
   * cheap read, such as a list with `?limit=1`.
   *
   * Since: 0.2
   */
  props[PROP_PROBE_PATH] =
    g_param_spec_string ("probe-path", NULL, NULL, "/",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * AaConnectivity::probed:
   * @self: the connectivity
   * @reachable: whether the server answered
   *
   * A probe came back. Emitted after every probe, even when
   * [property@Connectivity:reachable] did not change: an engine resolves
   * its unknown outcomes after a probe that the server answered.
   *
   * Since: 0.2
   */
  signals[SIGNAL_PROBED] =
    g_signal_new ("probed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
aa_connectivity_init (AaConnectivity *self)
{
  self->reachable = TRUE;
  self->probe_path = g_strdup ("/");
  self->min_backoff_ms = DEFAULT_MIN_BACKOFF_MS;
  self->max_backoff_ms = DEFAULT_MAX_BACKOFF_MS;
}

/**
 * aa_connectivity_new:
 * @client: the REST client to probe with
 *
 * Creates the connectivity of @client's server: it probes that server with
 * backoff and jitter while it is unreachable, and follows the network
 * monitor.
 *
 * Returns: (transfer full): a new connectivity, reachable until told otherwise
 *
 * Since: 0.2
 */
AaConnectivity *
aa_connectivity_new (AaRestClient *client)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);

  return g_object_new (AA_TYPE_CONNECTIVITY, "client", client, NULL);
}

/**
 * aa_connectivity_get_reachable:
 * @self: a connectivity
 *
 * Gets whether the server can be reached: %FALSE from the first request that
 * never reached it until a probe, a request or the event stream gets an
 * answer.
 *
 * Returns: whether the server can be reached, as far as anyone knows
 *
 * Since: 0.2
 */
gboolean
aa_connectivity_get_reachable (AaConnectivity *self)
{
  g_return_val_if_fail (AA_IS_CONNECTIVITY (self), TRUE);
  return self->reachable;
}

/**
 * aa_connectivity_get_unreachable_since:
 * @self: a connectivity
 *
 * Gets since when the server has been unreachable.
 *
 * Returns: when the server became unreachable (g_get_real_time()), or 0
 *
 * Since: 0.2
 */
gint64
aa_connectivity_get_unreachable_since (AaConnectivity *self)
{
  g_return_val_if_fail (AA_IS_CONNECTIVITY (self), 0);
  return self->unreachable_since;
}

/**
 * aa_connectivity_get_probing:
 * @self: a connectivity
 *
 * Gets whether a probe is on its way or scheduled.
 *
 * Returns: whether a probe is on its way or scheduled
 *
 * Since: 0.2
 */
gboolean
aa_connectivity_get_probing (AaConnectivity *self)
{
  g_return_val_if_fail (AA_IS_CONNECTIVITY (self), FALSE);
  return is_probing (self);
}

/**
 * aa_connectivity_get_n_probes:
 * @self: a connectivity
 *
 * Gets how many probes this object has sent, for tests and diagnostics.
 *
 * Returns: how many probes were sent so far
 *
 * Since: 0.2
 */
guint
aa_connectivity_get_n_probes (AaConnectivity *self)
{
  g_return_val_if_fail (AA_IS_CONNECTIVITY (self), 0);
  return self->n_probes;
}

/**
 * aa_connectivity_get_probe_path:
 * @self: a connectivity
 *
 * Gets the path, relative to the client's base URL, that probes read.
 *
 * Returns: the path its probes GET
 *
 * Since: 0.2
 */
const char *
aa_connectivity_get_probe_path (AaConnectivity *self)
{
  g_return_val_if_fail (AA_IS_CONNECTIVITY (self), NULL);
  return self->probe_path;
}

/**
 * aa_connectivity_set_probe_path:
 * @self: a connectivity
 * @path: a path relative to the client's base URL, such as "/items?limit=1"
 *
 * Sets what a probe reads: something cheap that any signed-in user may GET.
 *
 * Since: 0.2
 */
void
aa_connectivity_set_probe_path (AaConnectivity *self,
                                const char     *path)
{
  g_return_if_fail (AA_IS_CONNECTIVITY (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (self->probe_path, path) == 0)
    return;

  g_free (self->probe_path);
  self->probe_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBE_PATH]);
}

/**
 * aa_connectivity_set_backoff:
 * @self: a connectivity
 * @min_ms: the delay before the first probe after the server became
 *   unreachable (500 ms by default)
 * @max_ms: the longest delay between probes (30 s by default)
 *
 * The delays double after each failed probe, from @min_ms up to @max_ms;
 * each is then drawn at random between its half and its whole.
 *
 * Since: 0.2
 */
void
aa_connectivity_set_backoff (AaConnectivity *self,
                             guint           min_ms,
                             guint           max_ms)
{
  g_return_if_fail (AA_IS_CONNECTIVITY (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->min_backoff_ms = min_ms;
  self->max_backoff_ms = max_ms;
}

/**
 * aa_connectivity_follow_event_stream:
 * @self: a connectivity
 * @stream: (nullable): the app's event stream, or %NULL to stop following it
 *
 * Takes the stream's state into account: connected means reachable; a
 * dropped stream makes a probe find out whether the server is gone.
 *
 * Since: 0.2
 */
void
aa_connectivity_follow_event_stream (AaConnectivity *self,
                                     AaEventStream  *stream)
{
  g_return_if_fail (AA_IS_CONNECTIVITY (self));
  g_return_if_fail (stream == NULL || AA_IS_EVENT_STREAM (stream));

  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_set_weak_pointer (&self->stream, stream);
  if (stream != NULL)
    g_signal_connect_object (stream, "notify::connection-state", G_CALLBACK (stream_state_cb), self,
                             G_CONNECT_SWAPPED);
}

/**
 * aa_connectivity_report_unreachable:
 * @self: a connectivity
 *
 * A request failed without reaching the server (%AA_ERROR_OFFLINE): the
 * server is unreachable from now, and probes start, with backoff, until
 * one is answered.
 *
 * Since: 0.2
 */
void
aa_connectivity_report_unreachable (AaConnectivity *self)
{
  g_return_if_fail (AA_IS_CONNECTIVITY (self));

  if (!self->reachable)
    return;

  self->failed_probes = 0;
  set_reachable (self, FALSE);
  if (self->probe == NULL)
    schedule_probe (self);
}

/**
 * aa_connectivity_report_reachable:
 * @self: a connectivity
 *
 * The server answered a request: it is reachable, and probing stops.
 *
 * Since: 0.2
 */
void
aa_connectivity_report_reachable (AaConnectivity *self)
{
  gboolean was_probing;

  g_return_if_fail (AA_IS_CONNECTIVITY (self));

  if (self->reachable)
    return;

  was_probing = is_probing (self);
  clear_timer (self);
  self->failed_probes = 0;
  set_reachable (self, TRUE);
  if (was_probing != is_probing (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBING]);
}

/**
 * aa_connectivity_check:
 * @self: a connectivity
 *
 * Probes the server now (unless a probe is already on its way), such as
 * after an answer was lost: [signal@Connectivity::probed] tells the
 * result, and an unanswered probe makes the server unreachable.
 *
 * Since: 0.2
 */
void
aa_connectivity_check (AaConnectivity *self)
{
  g_return_if_fail (AA_IS_CONNECTIVITY (self));

  probe (self);
}
