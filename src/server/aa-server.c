/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server"

#include "config.h"

#include <netinet/in.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-private.h"

/* Enough for 50 clients connecting at once, and more. */
#define LISTEN_BACKLOG          128
#define DEFAULT_REQUEST_TIMEOUT 30

static void aa_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (AaServer, aa_server, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, aa_server_initable_iface_init))

enum {
  PROP_0,
  PROP_DATA_PATH,
  PROP_TOKEN,
  PROP_ALLOWED_HOSTS,
  PROP_LATENCY_MS,
  PROP_FAILURE_RATE,
  PROP_SEED,
  PROP_GENERATE_NOTES,
  PROP_VERBOSE,
  PROP_REQUEST_TIMEOUT,
  PROP_IGNORE_IDEMPOTENCY_KEYS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Sending, closing and finishing requests. */

void
aa_server_set_response (SoupServerMessage *msg,
                        guint              status,
                        GBytes            *body,
                        const char        *etag,
                        const char        *allow,
                        gboolean           replayed)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (status == 401)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"async-actions\"");
  if (allow != NULL)
    soup_message_headers_replace (headers, "Allow", allow);
  if (etag != NULL)
    soup_message_headers_replace (headers, "ETag", etag);
  if (replayed)
    soup_message_headers_replace (headers, "Idempotent-Replayed", "true");
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static void
send_reply_now (SoupServerMessage   *msg,
                const AaServerReply *reply)
{
  g_autoptr(GBytes) body = aa_server_reply_to_bytes (reply);

  aa_server_set_response (msg, reply->status, body, reply->etag, reply->allow, FALSE);
}

static void
close_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;

  /* Taking the connection from libsoup and closing it: the client sees the
   * connection end without any HTTP answer. */
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
log_request (AaServerRequest *req,
             const char      *outcome)
{
  if (!req->self->verbose)
    return;

  g_printerr ("%s %s -> %s (%.1f ms)\n",
              soup_server_message_get_method (req->msg), req->path, outcome,
              (g_get_monotonic_time () - req->started) / 1000.0);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 AaServerRequest   *req)
{
  req->gone = TRUE;
}

static void
request_free (AaServerRequest *req)
{
  g_signal_handlers_disconnect_by_func (req->msg, disconnected_cb, req);
  if (req->source != NULL) {
    g_source_destroy (req->source);
    g_source_unref (req->source);
  }
  g_clear_object (&req->msg);
  g_clear_pointer (&req->stat, aa_server_stat_release);
  g_free (req->path);
  g_free (req->id);
  g_free (req->principal);
  g_free (req->key);
  g_free (req->fingerprint);
  aa_server_reply_clear (&req->early);
  aa_server_reply_clear (&req->answer);
  g_clear_pointer (&req->answer_body, g_bytes_unref);
  g_clear_pointer (&req->replay, aa_server_record_free);
  g_free (req);
}

static void
release_in_flight (AaServerRequest *req)
{
  if (req->in_flight) {
    aa_server_idempotency_release (&req->self->idempotency, req->principal, req->key);
    req->in_flight = FALSE;
  }
}

static void
request_finish (AaServerRequest *req)
{
  release_in_flight (req);
  g_hash_table_remove (req->self->requests, req);
}

static void
request_send (AaServerRequest *req,
              guint            status,
              GBytes          *body,
              const char      *etag,
              const char      *allow,
              gboolean         replayed)
{
  g_autofree char *outcome = NULL;

  if (req->self->verbose)
    outcome = g_strdup_printf ("%u%s", status, replayed ? " (replayed)" : "");
  if (!req->gone) {
    aa_server_set_response (req->msg, status, body, etag, allow, replayed);
    if (req->stat != NULL)
      aa_server_stat_set_status (req->stat, status);
    if (req->paused)
      soup_server_message_unpause (req->msg);
  }
  log_request (req, outcome);
  request_finish (req);
}

static void
request_send_reply (AaServerRequest     *req,
                    const AaServerReply *reply)
{
  g_autoptr(GBytes) body = aa_server_reply_to_bytes (reply);

  request_send (req, reply->status, body, reply->etag, reply->allow, FALSE);
}

static void
request_close (AaServerRequest *req)
{
  if (!req->gone)
    close_connection (req->msg);
  log_request (req, "connection closed");
  request_finish (req);
}

/* Timers on the server's own main context, never the default one. */
static GSource *
schedule (AaServer    *self,
          guint        delay_ms,
          GSourceFunc  func,
          gpointer     data)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);

  return source;
}

static void
request_pause (AaServerRequest *req)
{
  if (!req->paused) {
    soup_server_message_pause (req->msg);
    req->paused = TRUE;
  }
}

gboolean
aa_server_is_mutating (const char *method)
{
  return g_str_equal (method, "POST") || g_str_equal (method, "PATCH") ||
         g_str_equal (method, "PUT") || g_str_equal (method, "DELETE");
}

/* Processing, after the latency: faults first, then the handler. */

static void
committed_cb (AaServerStore *store,
              const GError  *error,
              gpointer       user_data)
{
  AaServerRequest *req = user_data;

  if (error != NULL) {
    g_message ("%s", error->message);
    aa_server_reply_store_error (&req->answer, error);
    g_clear_pointer (&req->answer_body, g_bytes_unref);
    req->answer_body = aa_server_reply_to_bytes (&req->answer);
  }
  /* Durable: now everyone listening hears of it. */
  aa_server_streams_broadcast (req->self);

  if (req->fault == AA_FAULT_LOST_RESPONSE) {
    request_close (req);
    return;
  }

  request_send (req, req->answer.status, req->answer_body, req->answer.etag, req->answer.allow, FALSE);
}

static gboolean hold_done_cb (gpointer data);

static void
request_process (AaServerRequest *req)
{
  AaServer *self = req->self;
  g_auto(AaServerReply) reply = { 0, };
  g_autoptr(GBytes) body = NULL;
  AaFault fault = AA_FAULT_NONE;

  if (req->has_early) {
    request_send_reply (req, &req->early);
    return;
  }

  if (req->mutating)
    fault = aa_server_faults_take (&self->faults);

  switch (fault) {
  case AA_FAULT_ERROR_500:
    aa_server_reply_error (&reply, 500, "server_error",
                           _("The server failed while handling this request. Nothing was changed."));
    request_send_reply (req, &reply);
    return;
  case AA_FAULT_ERROR_503:
    aa_server_reply_error (&reply, 503, "service_unavailable",
                           _("The server is busy. Nothing was changed; try again."));
    request_send_reply (req, &reply);
    return;
  case AA_FAULT_CONFLICT:
    aa_server_reply_error (&reply, 412, "precondition_failed",
                           _("This was changed elsewhere meanwhile. Reload it and apply your change again."));
    request_send_reply (req, &reply);
    return;
  case AA_FAULT_DROP:
    request_close (req);
    return;
  case AA_FAULT_TIMEOUT:
    /* Never applied, so a retry need not wait for the hold to end. */
    release_in_flight (req);
    request_pause (req);
    req->source = schedule (self, self->faults.timeout_hold_ms, hold_done_cb, req);
    log_request (req, "held (timeout fault)");
    return;
  case AA_FAULT_LOST_RESPONSE:
  case AA_FAULT_NONE:
  default:
    break;
  }

  if (req->replay != NULL && fault == AA_FAULT_LOST_RESPONSE) {
    request_close (req);
    return;
  } else if (req->replay != NULL) {
    g_autoptr(GBytes) replayed = g_bytes_new (req->replay->body, strlen (req->replay->body));

    request_send (req, req->replay->status, replayed, req->replay->etag, NULL, TRUE);
    return;
  }

  req->route->handler (self, req, &reply);
  body = aa_server_reply_to_bytes (&reply);

  if (req->mutating) {
    g_autofree char *text = NULL;
    gboolean record = req->key != NULL && aa_server_idempotency_is_recordable (reply.status);

    if (record)
      text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

    /* On disk, with the response to replay, before anyone hears of it: the
     * answer waits for the writer thread, the main loop does not. */
    req->answer = reply;
    memset (&reply, 0, sizeof reply);
    req->answer_body = g_steal_pointer (&body);
    req->fault = fault;
    request_pause (req);
    aa_server_store_commit_async (self->store, req->principal, record ? req->key : NULL, req->fingerprint,
                                  req->answer.status, text, req->answer.etag, committed_cb, req);
    return;
  }

  request_send (req, reply.status, body, reply.etag, reply.allow, FALSE);
}

static gboolean
hold_done_cb (gpointer data)
{
  AaServerRequest *req = data;

  g_clear_pointer (&req->source, g_source_unref);
  request_close (req);

  return G_SOURCE_REMOVE;
}

static gboolean
latency_done_cb (gpointer data)
{
  AaServerRequest *req = data;

  g_clear_pointer (&req->source, g_source_unref);
  request_process (req);

  return G_SOURCE_REMOVE;
}

/* The idempotency layer, for a change: decided on arrival, so that a retry
 * during the latency already sees the first one in flight. */
static void
request_check_key (AaServerRequest *req)
{
  AaServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(GBytes) body = NULL;
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");

  /* A plain backend: the header means nothing to it. */
  if (self->ignore_idempotency_keys)
    return;

  if (key != NULL && *key == '\0')
    key = NULL;

  if (key == NULL && g_str_equal (req->route->pattern, "/payments")) {
    aa_server_reply_error (&req->early, 400, "idempotency_key_required",
                           _("Payments need an “Idempotency-Key” header, so that a retry never charges twice."));
    req->has_early = TRUE;
    return;
  }
  if (key == NULL)
    return;
  if (!aa_server_idempotency_check_key (key, &req->early)) {
    req->has_early = TRUE;
    return;
  }

  body = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  req->key = g_strdup (key);
  req->principal = aa_server_idempotency_principal (self->token, aa_server_store_get_session (self->store));
  req->fingerprint = aa_server_idempotency_fingerprint (soup_server_message_get_method (req->msg),
                                                        req->path, body);

  switch (aa_server_idempotency_begin (&self->idempotency, self->store, req->principal, req->key,
                                       req->fingerprint, &req->replay, &req->early)) {
  case AA_IDEMPOTENCY_NEW:
    req->in_flight = TRUE;
    break;
  case AA_IDEMPOTENCY_REPLAY:
    /* Who asks now must still be allowed to make the change. */
    if (!aa_server_may_replay (self, req, &req->early)) {
      g_clear_pointer (&req->replay, aa_server_record_free);
      req->has_early = TRUE;
    }
    break;
  case AA_IDEMPOTENCY_REFUSED:
  default:
    req->has_early = TRUE;
    break;
  }
}

/* On arrival: everything that does not depend on time, then the latency. */
static void
request_start (AaServerRequest *req)
{
  AaServer *self = req->self;
  SoupServerMessage *msg = req->msg;
  const char *method = soup_server_message_get_method (msg);

  req->route = aa_server_find_route (aa_server_api_routes, aa_server_n_api_routes, method, req->path,
                                     &req->id, &req->early);
  if (req->route == NULL || !aa_server_check_body (msg, &req->early))
    req->has_early = TRUE;
  else if (req->mutating)
    request_check_key (req);

  if (self->faults.latency_ms > 0) {
    request_pause (req);
    req->source = schedule (self, self->faults.latency_ms, latency_done_cb, req);
    return;
  }

  request_process (req);
}

static void
handle_control (AaServer          *self,
                SoupServerMessage *msg,
                const char        *path)
{
  g_auto(AaServerReply) reply = { 0, };
  g_autofree char *id = NULL;
  AaServerRequest control = { .self = self, .msg = msg };
  const AaServerRoute *route;

  if (!aa_server_is_authorized (self, msg)) {
    aa_server_unauthorized (&reply);
  } else {
    route = aa_server_find_route (aa_server_control_routes, aa_server_n_control_routes,
                                  soup_server_message_get_method (msg), path, &id, &reply);
    if (route != NULL && aa_server_check_body (msg, &reply))
      route->handler (self, &control, &reply);
  }

  send_reply_now (msg, &reply);
}

/* Changes are handled in the order they arrived, after the reads that
 * wait (aa-server-lane-private.h). */
static void
handle_changes (gpointer data)
{
  AaServer *self = data;
  AaServerRequest *req;

  while ((req = g_queue_pop_head (&self->changes)) != NULL)
    request_start (req);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  AaServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *relative = path;
  AaServerRequest *req;

  g_assert (AA_IS_SERVER (self));

  if (g_str_has_prefix (path, AA_SERVER_API_PREFIX) &&
      (path[strlen (AA_SERVER_API_PREFIX)] == '\0' || path[strlen (AA_SERVER_API_PREFIX)] == '/'))
    relative = path + strlen (AA_SERVER_API_PREFIX);
  else
    relative = NULL;

  if (relative != NULL &&
      (g_str_equal (relative, "/_control") || g_str_has_prefix (relative, "/_control/"))) {
    handle_control (self, msg, relative);
    return;
  }

  /* The stream of changes stays open: it is no request to answer. Offline,
   * it is cut like everything else; the token was checked on arrival. */
  if (relative != NULL && g_str_equal (relative, "/events") && g_str_equal (method, "GET") &&
      !self->faults.offline && aa_server_is_authorized (self, msg)) {
    aa_server_streams_open (self, msg);
    return;
  }

  req = g_new0 (AaServerRequest, 1);
  req->self = self;
  req->msg = g_object_ref (msg);
  req->path = g_strdup (relative != NULL ? relative : path);
  req->started = g_get_monotonic_time ();
  req->mutating = aa_server_is_mutating (method);
  g_hash_table_add (self->requests, req);
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), req);

  if (self->faults.offline) {
    req->stat = aa_server_stats_add (&self->stats, method, req->path);
    request_close (req);
    return;
  }

  /* Refused before the body already (aa-server-admission.c); this is for
   * the requests that slipped by, and the log keeps only authorised ones. */
  if (!aa_server_is_authorized (self, msg)) {
    g_auto(AaServerReply) reply = { 0, };

    aa_server_unauthorized (&reply);
    request_send_reply (req, &reply);
    return;
  }
  req->stat = aa_server_stats_add (&self->stats, method, req->path);

  if (relative == NULL) {
    aa_server_reply_error (&req->early, 404, "not_found",
                           _("There is nothing at this address. The API is under /api/v1."));
    req->has_early = TRUE;
    request_process (req);
    return;
  }

  if (req->mutating) {
    request_pause (req);
    g_queue_push_tail (&self->changes, req);
    aa_server_lane_schedule (&self->intake);
    return;
  }

  request_start (req);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    AaServer          *self)
{
  aa_server_admission_start (self, msg);
}

/* GObject. */

static gboolean
aa_server_initable_init (GInitable     *initable,
                         GCancellable  *cancellable,
                         GError       **error)
{
  AaServer *self = AA_SERVER (initable);

  if (self->data_path == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The server needs a data file."));
    return FALSE;
  }

  self->store = aa_server_store_new (self->data_path, self->generate_notes, error);
  if (self->store == NULL)
    return FALSE;

  self->soup = soup_server_new ("server-header", "async-actions-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, NULL, server_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  return TRUE;
}

static void
aa_server_initable_iface_init (GInitableIface *iface)
{
  iface->init = aa_server_initable_init;
}

static void
aa_server_dispose (GObject *object)
{
  AaServer *self = (AaServer *) object;

  aa_server_shutdown (self);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (aa_server_parent_class)->dispose (object);
}

static void
aa_server_finalize (GObject *object)
{
  AaServer *self = (AaServer *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  aa_server_faults_clear (&self->faults);
  aa_server_idempotency_clear (&self->idempotency);
  aa_server_stats_clear (&self->stats);
  aa_server_streams_clear (&self->streams);
  aa_server_lane_clear (&self->intake);
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->admissions);
  g_free (self->data_path);
  g_free (self->token);
  g_strfreev (self->allowed_hosts);
  g_free (self->url);

  G_OBJECT_CLASS (aa_server_parent_class)->finalize (object);
}

static void
aa_server_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AaServer *self = AA_SERVER (object);

  switch (prop_id) {
  case PROP_DATA_PATH:
    g_value_set_string (value, self->data_path);
    break;
  case PROP_TOKEN:
    g_value_set_string (value, self->token);
    break;
  case PROP_ALLOWED_HOSTS:
    g_value_set_boxed (value, self->allowed_hosts);
    break;
  case PROP_LATENCY_MS:
    g_value_set_uint (value, self->faults.latency_ms);
    break;
  case PROP_FAILURE_RATE:
    g_value_set_double (value, self->faults.failure_rate);
    break;
  case PROP_SEED:
    g_value_set_uint (value, self->faults.seed);
    break;
  case PROP_GENERATE_NOTES:
    g_value_set_uint (value, self->generate_notes);
    break;
  case PROP_VERBOSE:
    g_value_set_boolean (value, self->verbose);
    break;
  case PROP_REQUEST_TIMEOUT:
    g_value_set_uint (value, self->request_timeout_s);
    break;
  case PROP_IGNORE_IDEMPOTENCY_KEYS:
    g_value_set_boolean (value, self->ignore_idempotency_keys);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_server_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AaServer *self = AA_SERVER (object);

  switch (prop_id) {
  case PROP_DATA_PATH:
    self->data_path = g_value_dup_string (value);
    break;
  case PROP_TOKEN:
    self->token = g_value_dup_string (value);
    break;
  case PROP_ALLOWED_HOSTS:
    {
      const char * const *hosts = g_value_get_boxed (value);

      /* Compared with the lowercased host name of each request. */
      self->allowed_hosts = g_new0 (char *, hosts != NULL ? g_strv_length ((char **) hosts) + 1 : 1);
      for (guint i = 0; hosts != NULL && hosts[i] != NULL; i++)
        self->allowed_hosts[i] = g_ascii_strdown (hosts[i], -1);
    }
    break;
  case PROP_LATENCY_MS:
    aa_server_set_latency_ms (self, g_value_get_uint (value));
    break;
  case PROP_FAILURE_RATE:
    aa_server_set_failure_rate (self, g_value_get_double (value));
    break;
  case PROP_SEED:
    aa_server_set_seed (self, g_value_get_uint (value));
    break;
  case PROP_GENERATE_NOTES:
    self->generate_notes = g_value_get_uint (value);
    break;
  case PROP_VERBOSE:
    aa_server_set_verbose (self, g_value_get_boolean (value));
    break;
  case PROP_REQUEST_TIMEOUT:
    self->request_timeout_s = g_value_get_uint (value);
    break;
  case PROP_IGNORE_IDEMPOTENCY_KEYS:
    self->ignore_idempotency_keys = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_server_class_init (AaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aa_server_dispose;
  object_class->finalize = aa_server_finalize;
  object_class->get_property = aa_server_get_property;
  object_class->set_property = aa_server_set_property;

  props[PROP_DATA_PATH] =
    g_param_spec_string ("data-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_ALLOWED_HOSTS] =
    g_param_spec_boxed ("allowed-hosts", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL, 0, AA_SERVER_MAX_DELAY_MS, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_FAILURE_RATE] =
    g_param_spec_double ("failure-rate", NULL, NULL, 0, 1, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_GENERATE_NOTES] =
    g_param_spec_uint ("generate-notes", NULL, NULL, 0, 1000000, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_VERBOSE] =
    g_param_spec_boolean ("verbose", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Seconds a request may take to arrive, headers and body. */
  props[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 1, 3600, DEFAULT_REQUEST_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Behave like a backend that knows nothing of Idempotency-Key. */
  props[PROP_IGNORE_IDEMPOTENCY_KEYS] =
    g_param_spec_boolean ("ignore-idempotency-keys", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_server_init (AaServer *self)
{
  self->request_timeout_s = DEFAULT_REQUEST_TIMEOUT;
  aa_server_faults_init (&self->faults);
  aa_server_idempotency_init (&self->idempotency);
  aa_server_stats_init (&self->stats);
  aa_server_streams_init (&self->streams);
  self->requests = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) request_free, NULL);
  self->admissions = aa_server_admission_table_new ();
}

AaServer *
aa_server_new (const char  *data_path,
               const char  *token,
               GError     **error)
{
  g_return_val_if_fail (data_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (AA_TYPE_SERVER, NULL, error,
                         "data-path", data_path,
                         "token", token,
                         NULL);
}

void
aa_server_set_latency_ms (AaServer *self,
                          guint     latency_ms)
{
  g_return_if_fail (AA_IS_SERVER (self));

  latency_ms = MIN (latency_ms, AA_SERVER_MAX_DELAY_MS);
  if (self->faults.latency_ms == latency_ms)
    return;

  self->faults.latency_ms = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LATENCY_MS]);
}

void
aa_server_set_failure_rate (AaServer *self,
                            double    failure_rate)
{
  g_return_if_fail (AA_IS_SERVER (self));
  g_return_if_fail (failure_rate >= 0 && failure_rate <= 1);

  if (self->faults.failure_rate == failure_rate)
    return;

  self->faults.failure_rate = failure_rate;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FAILURE_RATE]);
}

void
aa_server_set_seed (AaServer *self,
                    guint32   seed)
{
  guint32 old_seed;

  g_return_if_fail (AA_IS_SERVER (self));

  /* Reseeding restarts the sequence even for the same seed: reproducible runs. */
  old_seed = self->faults.seed;
  aa_server_faults_reseed (&self->faults, seed);
  if (old_seed != seed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SEED]);
}

void
aa_server_set_verbose (AaServer *self,
                       gboolean  verbose)
{
  g_return_if_fail (AA_IS_SERVER (self));

  verbose = !!verbose;
  if (self->verbose == verbose)
    return;

  self->verbose = verbose;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VERBOSE]);
}

/* Our own listening socket, for its backlog: libsoup's is 10. */
static gboolean
listen_on (AaServer        *self,
           GInetAddress    *address,
           guint            port,
           guint           *out_port,
           GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bind_address = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return FALSE;

  bind_address = g_inet_socket_address_new (address, (guint16) port);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, bind_address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return FALSE;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;
  if (out_port != NULL)
    *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  return TRUE;
}

gboolean
aa_server_listen (AaServer  *self,
                  guint      port,
                  gboolean   listen_all,
                  GError   **error)
{
  g_autoptr(GInetAddress) v4 = NULL;
  g_autoptr(GInetAddress) v6 = NULL;
  guint bound_port = 0;

  g_return_val_if_fail (AA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->context == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  self->context = g_main_context_ref_thread_default ();
  aa_server_lane_init (&self->intake, self->context, AA_SERVER_LANE_MAX_WAIT_MS, handle_changes, self);

  if (listen_all) {
    v4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
    v6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
  } else {
    v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  }

  if (!listen_on (self, v4, port, &bound_port, error))
    return FALSE;
  /* The same port on IPv6 when there is one; IPv4 alone will do. */
  listen_on (self, v6, bound_port, NULL, NULL);

  self->url = g_strdup_printf ("http://127.0.0.1:%u" AA_SERVER_API_PREFIX, bound_port);
  return TRUE;
}

char *
aa_server_dup_url (AaServer *self)
{
  g_return_val_if_fail (AA_IS_SERVER (self), NULL);

  return g_strdup (self->url);
}

void
aa_server_shutdown (AaServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) pending = NULL;

  g_return_if_fail (AA_IS_SERVER (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;

  /* Changes on their way to disk are answered first; held and delayed
   * requests end now, unapplied, so that nothing hangs. */
  if (self->store != NULL && !aa_server_store_flush (self->store, &error))
    g_message ("%s", error->message);
  aa_server_lane_cancel (&self->intake);
  g_queue_clear (&self->changes);
  pending = g_hash_table_get_keys (self->requests);
  for (const GList *l = pending; l != NULL; l = l->next)
    request_close (l->data);
  aa_server_streams_close_all (self);
  aa_server_admission_stop_all (self);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

/**
 * aa_server_set_stream_options:
 * @self: a server
 * @keepalive_ms: how often GET /events streams get a comment, 0 to leave it
 * @limit: the bytes that may wait for one reader before it is cut, 0 to leave it
 * @events_kept: how many events the log keeps for Last-Event-ID, 0 to leave it
 *
 * Tunes the stream of changes; the defaults (15 s, 1 MiB, 1,000) suit the
 * app, smaller values let tests reach each case quickly. Set before the
 * first stream opens.
 */
void
aa_server_set_stream_options (AaServer *self,
                              guint     keepalive_ms,
                              gsize     limit,
                              guint     events_kept)
{
  g_return_if_fail (AA_IS_SERVER (self));

  if (keepalive_ms > 0)
    self->streams.keepalive_ms = keepalive_ms;
  if (limit > 0)
    self->streams.limit = limit;
  if (events_kept > 0)
    aa_server_store_set_events_kept (self->store, events_kept);
}
