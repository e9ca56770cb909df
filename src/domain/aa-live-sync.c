/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-live-sync"

#include "config.h"

#include "aa-live-sync.h"

struct _AaLiveSync
{
  GObject          parent_instance;

  AaEngine        *engine;
  AaRefresher     *refresher;
  AaResourceStore *notes;     /* the trash is the same store */
  AaResourceStore *invoices;
  AaResourceStore *members;

  /* The server's stream of changes, and the refetch that stands in for it
   * when it is not connected. */
  AaEventStream   *events;
  GSource         *catch_up;
  gint64           caught_up_at;
};

/* A refetch in place of the stream waits this long for more reasons to
 * refetch (focus and network come back together), and comes at most this
 * often. */
#define CATCH_UP_DELAY_MS     300
#define CATCH_UP_INTERVAL_US  (2 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (AaLiveSync, aa_live_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION_STATE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
background_refresh_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nobody asked: a failure says nothing now; the next reason retries. */
  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error))
    g_debug ("Couldn’t catch up with the server: %s", error->message);
}

static void
refresh_in_background (AaLiveSync *self)
{
  AaRefreshFlags fetched = aa_refresher_get_fetched (self->refresher);

  /* What waits for the next frame is older than what the lists will say. */
  aa_resource_store_flush_remote (self->notes);
  aa_resource_store_flush_remote (self->invoices);
  aa_resource_store_flush_remote (self->members);
  self->caught_up_at = g_get_monotonic_time ();
  /* What was never shown loads when it first is, as usual. */
  if (fetched != 0)
    aa_refresher_refresh_async (self->refresher, fetched, NULL, background_refresh_cb, NULL);
}

/* One event of the stream: {"id", "state" (null: gone for good), "after",
 * "origin"}, for the store its type names. */
static void
event_cb (AaLiveSync *self,
          const char *type,
          const char *event_id,
          const char *data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AaResourceStore *store = NULL;
  JsonObject *object;
  JsonNode *state;
  const char *id;

  if (g_str_equal (type, "reset")) {
    /* Too far behind for the server to replay: start over from the lists. */
    refresh_in_background (self);
    return;
  }

  if (g_str_equal (type, "item"))
    store = self->notes;
  else if (g_str_equal (type, "invoice"))
    store = self->invoices;
  else if (g_str_equal (type, "member"))
    store = self->members;
  if (store == NULL) {
    g_debug ("Ignored an event of type “%s”", type);
    return;
  }

  if (!json_parser_load_from_data (parser, data, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_warning ("Ignored event %s from %s: its data is not a JSON object", event_id ? event_id : "(no id)",
               aa_rest_client_get_base_url (aa_engine_get_client (self->engine)));
    return;
  }
  object = json_node_get_object (json_parser_get_root (parser));
  id = json_object_get_string_member_with_default (object, "id", NULL);
  state = json_object_get_member (object, "state");
  if (id == NULL || state == NULL || !(JSON_NODE_HOLDS_OBJECT (state) || JSON_NODE_HOLDS_NULL (state))) {
    g_warning ("Ignored event %s from %s: it names no id or state", event_id ? event_id : "(no id)",
               aa_rest_client_get_base_url (aa_engine_get_client (self->engine)));
    return;
  }

  aa_resource_store_apply_remote (store, id,
                                  JSON_NODE_HOLDS_OBJECT (state) ? json_node_get_object (state) : NULL,
                                  json_object_get_string_member_with_default (object, "after", NULL),
                                  json_object_get_string_member_with_default (object, "origin", NULL));
}

static void
connection_state_cb (AaLiveSync *self)
{
  /* The first connection follows what the lists loaded before it; later
   * ones resume with Last-Event-ID and miss nothing. */
  if (aa_event_stream_get_connection_state (self->events) == AA_CONNECTION_STATE_CONNECTED &&
      aa_event_stream_get_n_connections (self->events) == 1)
    refresh_in_background (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTION_STATE]);
}

static void
network_changed_cb (AaLiveSync *self,
                    gboolean    available)
{
  if (available)
    aa_live_sync_catch_up (self);
}

/*
 * Listens to the server's changes (GET /events) and applies them to the
 * models as they happen. Against a server without the stream, the
 * connection state becomes AA_CONNECTION_STATE_UNSUPPORTED and
 * aa_live_sync_catch_up() refetches instead.
 */
void
aa_live_sync_start (AaLiveSync *self)
{
  g_return_if_fail (AA_IS_LIVE_SYNC (self));

  if (self->events == NULL) {
    self->events = aa_event_stream_new (aa_engine_get_client (self->engine), "/events");
    g_signal_connect_object (self->events, "event", G_CALLBACK (event_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->events, "notify::connection-state", G_CALLBACK (connection_state_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (g_network_monitor_get_default (), "network-changed", G_CALLBACK (network_changed_cb),
                             self, G_CONNECT_SWAPPED);
    aa_connectivity_follow_event_stream (aa_engine_get_connectivity (self->engine), self->events);
  }
  aa_event_stream_start (self->events);
}

void
aa_live_sync_stop (AaLiveSync *self)
{
  g_return_if_fail (AA_IS_LIVE_SYNC (self));

  if (self->events != NULL)
    aa_event_stream_stop (self->events);
}

AaEventStream *
aa_live_sync_get_event_stream (AaLiveSync *self)
{
  g_return_val_if_fail (AA_IS_LIVE_SYNC (self), NULL);

  return self->events;
}

AaConnectionState
aa_live_sync_get_connection_state (AaLiveSync *self)
{
  g_return_val_if_fail (AA_IS_LIVE_SYNC (self), AA_CONNECTION_STATE_OFFLINE);

  return self->events != NULL ? aa_event_stream_get_connection_state (self->events)
                              : AA_CONNECTION_STATE_UNSUPPORTED;
}

static gboolean
catch_up_cb (gpointer data)
{
  AaLiveSync *self = data;

  g_clear_pointer (&self->catch_up, g_source_unref);
  /* The stream connected while this waited (the window became active
   * before it did, at startup): it says everything already. */
  if (aa_live_sync_get_connection_state (self) == AA_CONNECTION_STATE_CONNECTED)
    return G_SOURCE_REMOVE;
  refresh_in_background (self);

  return G_SOURCE_REMOVE;
}

void
aa_live_sync_catch_up (AaLiveSync *self)
{
  g_return_if_fail (AA_IS_LIVE_SYNC (self));

  /* Connected, the stream says everything already. */
  if (aa_live_sync_get_connection_state (self) == AA_CONNECTION_STATE_CONNECTED ||
      self->catch_up != NULL ||
      (self->caught_up_at != 0 && g_get_monotonic_time () - self->caught_up_at < CATCH_UP_INTERVAL_US))
    return;

  self->catch_up = g_timeout_source_new (CATCH_UP_DELAY_MS);
  g_source_set_callback (self->catch_up, catch_up_cb, self, NULL);
  g_source_attach (self->catch_up, g_main_context_get_thread_default ());
}


static void
reachable_cb (AaLiveSync *self)
{
  /* Back: what changed elsewhere meanwhile (the stream resumes too). */
  if (aa_connectivity_get_reachable (aa_engine_get_connectivity (self->engine)))
    aa_live_sync_catch_up (self);
}

/* GObject */

static void
aa_live_sync_dispose (GObject *object)
{
  AaLiveSync *self = AA_LIVE_SYNC (object);

  /* The stream's reads hold it: stopped, it lets go. */
  if (self->events != NULL) {
    g_signal_handlers_disconnect_by_data (self->events, self);
    aa_event_stream_stop (self->events);
  }
  g_clear_object (&self->events);
  if (self->catch_up != NULL) {
    g_source_destroy (self->catch_up);
    g_clear_pointer (&self->catch_up, g_source_unref);
  }

  G_OBJECT_CLASS (aa_live_sync_parent_class)->dispose (object);
}

static void
aa_live_sync_finalize (GObject *object)
{
  AaLiveSync *self = AA_LIVE_SYNC (object);

  g_clear_object (&self->members);
  g_clear_object (&self->invoices);
  g_clear_object (&self->notes);
  g_clear_object (&self->refresher);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (aa_live_sync_parent_class)->finalize (object);
}

static void
aa_live_sync_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AaLiveSync *self = AA_LIVE_SYNC (object);

  switch (prop_id) {
  case PROP_CONNECTION_STATE:
    g_value_set_enum (value, aa_live_sync_get_connection_state (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_live_sync_class_init (AaLiveSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aa_live_sync_dispose;
  object_class->finalize = aa_live_sync_finalize;
  object_class->get_property = aa_live_sync_get_property;

  props[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL, AA_TYPE_CONNECTION_STATE,
                       AA_CONNECTION_STATE_UNSUPPORTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_live_sync_init (AaLiveSync *self)
{
}

AaLiveSync *
aa_live_sync_new (AaRefresher     *refresher,
                  AaResourceStore *notes,
                  AaResourceStore *invoices,
                  AaResourceStore *members)
{
  AaLiveSync *self;

  g_return_val_if_fail (AA_IS_REFRESHER (refresher), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (notes), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (invoices), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (members), NULL);

  self = g_object_new (AA_TYPE_LIVE_SYNC, NULL);
  self->engine = g_object_ref (aa_resource_store_get_engine (notes));
  self->refresher = g_object_ref (refresher);
  self->notes = g_object_ref (notes);
  self->invoices = g_object_ref (invoices);
  self->members = g_object_ref (members);
  g_signal_connect_object (aa_engine_get_connectivity (self->engine), "notify::reachable",
                           G_CALLBACK (reachable_cb), self, G_CONNECT_SWAPPED);

  return self;
}
