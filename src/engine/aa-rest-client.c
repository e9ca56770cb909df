/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-rest-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-rest-client-private.h"

#define DEFAULT_TIMEOUT_SECONDS 10
#define IDLE_TIMEOUT_SECONDS    60
#define MAX_CONNECTIONS_PER_HOST 8

struct _AaRestClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  guint        timeout;
  gboolean     blocked;
  AaBackendFeatures backend_features;
};

/**
 * AaRestClient:
 *
 * One `SoupSession` speaking JSON to a conventional REST backend: it sends
 * the `Idempotency-Key` and `If-Match` headers, maps every failure to an
 * %AA_ERROR kind, and never lets libsoup send a mutation again on its own.
 */
G_DEFINE_FINAL_TYPE (AaRestClient, aa_rest_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_BLOCKED,
  PROP_BACKEND_FEATURES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* One request in flight: the task's data. */
typedef struct {
  SoupMessage *msg;
  gulong       wrote_body_id;
  gboolean     request_sent;
} Request;

static void
request_free (Request *request)
{
  g_clear_signal_handler (&request->wrote_body_id, request->msg);
  g_clear_object (&request->msg);
  g_free (request);
}

static void
aa_rest_client_constructed (GObject *object)
{
  AaRestClient *self = AA_REST_CLIENT (object);
  g_autofree char *user_agent = g_strdup_printf ("async-actions/%s", PACKAGE_VERSION);

  G_OBJECT_CLASS (aa_rest_client_parent_class)->constructed (object);

  /* Each resource has at most one request in flight, but many resources
   * can: libsoup's default of two connections per host would let two slow
   * requests hold back every other one, a refresh included. */
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 "user-agent", user_agent,
                                                 "max-conns-per-host", MAX_CONNECTIONS_PER_HOST,
                                                 "max-conns", MAX_CONNECTIONS_PER_HOST * 2,
                                                 NULL);
}

static void
aa_rest_client_finalize (GObject *object)
{
  AaRestClient *self = AA_REST_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (aa_rest_client_parent_class)->finalize (object);
}

static void
aa_rest_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AaRestClient *self = AA_REST_CLIENT (object);

  switch (prop_id) {
  case PROP_BASE_URL:
    g_value_set_string (value, self->base_url);
    break;
  case PROP_TOKEN:
    g_value_set_string (value, self->token);
    break;
  case PROP_TIMEOUT:
    g_value_set_uint (value, self->timeout);
    break;
  case PROP_BLOCKED:
    g_value_set_boolean (value, self->blocked);
    break;
  case PROP_BACKEND_FEATURES:
    g_value_set_flags (value, self->backend_features);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_rest_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AaRestClient *self = AA_REST_CLIENT (object);

  switch (prop_id) {
  case PROP_BASE_URL:
    self->base_url = g_value_dup_string (value);
    break;
  case PROP_TOKEN:
    aa_rest_client_set_token (self, g_value_get_string (value));
    break;
  case PROP_TIMEOUT:
    aa_rest_client_set_timeout (self, g_value_get_uint (value));
    break;
  case PROP_BLOCKED:
    aa_rest_client_set_blocked (self, g_value_get_boolean (value));
    break;
  case PROP_BACKEND_FEATURES:
    aa_rest_client_set_backend_features (self, g_value_get_flags (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_rest_client_class_init (AaRestClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = aa_rest_client_constructed;
  object_class->finalize = aa_rest_client_finalize;
  object_class->get_property = aa_rest_client_get_property;
  object_class->set_property = aa_rest_client_set_property;

  /**
   * AaRestClient:base-url:
   *
   * The URL every request path is relative to, the API prefix included,
   * such as "http://127.0.0.1:8080/api/v1".
   */
  props[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AaRestClient:token:
   *
   * The bearer token, sent as `Authorization: Bearer <token>` when not %NULL.
   */
  props[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaRestClient:timeout:
   *
   * The seconds without progress on a request before it fails with
   * %AA_ERROR_TIMEOUT.
   */
  props[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaRestClient:blocked:
   *
   * While %TRUE, every request fails at once with %AA_ERROR_OFFLINE and
   * nothing is sent: an app's "Work Offline" switch, or a demo's outage,
   * which then looks to everything above exactly like a server that can't
   * be reached.
   *
   * Since: 0.2
   */
  props[PROP_BLOCKED] =
    g_param_spec_boolean ("blocked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaRestClient:backend-features:
   *
   * What the backend promises: whether it honours `Idempotency-Key`,
   * `If-Match` and sends an event stream.
   *
   * The default, %AA_BACKEND_FEATURES_NONE, is safe with any backend:
   * without %AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS the engine never sends
   * again a request that is not idempotent by its method (a POST, or a
   * PATCH of an operation without %AA_OPERATION_SETS_FIELDS) once it may
   * have arrived, so a backend that ignores the key never gets a
   * duplicate. Declare what your backend does honour.
   *
   * Since: 0.2
   */
  props[PROP_BACKEND_FEATURES] =
    g_param_spec_flags ("backend-features", NULL, NULL,
                        AA_TYPE_BACKEND_FEATURES, AA_BACKEND_FEATURES_NONE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_rest_client_init (AaRestClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
}

/**
 * aa_rest_client_new:
 * @base_url: the server's base URL, such as "http://127.0.0.1:8080/api/v1"
 *
 * Creates a client of the REST API at @base_url (such as
 * "https://example.com/api/v1"), which every request path is relative to.
 *
 * Returns: (transfer full): a new client
 */
AaRestClient *
aa_rest_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (AA_TYPE_REST_CLIENT,
                       "base-url", base_url,
                       NULL);
}

/**
 * aa_rest_client_get_base_url:
 * @self: a client
 *
 * Gets the client's base URL.
 *
 * Returns: its base URL
 */
const char *
aa_rest_client_get_base_url (AaRestClient *self)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * aa_rest_client_get_token:
 * @self: a client
 *
 * Gets the client's bearer token.
 *
 * Returns: (nullable): the bearer token it sends
 */
const char *
aa_rest_client_get_token (AaRestClient *self)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (self), NULL);

  return self->token;
}

/**
 * aa_rest_client_set_token:
 * @self: a client
 * @token: (nullable): a bearer token, or %NULL for none
 *
 * Sets the token sent as `Authorization: Bearer`.
 */
void
aa_rest_client_set_token (AaRestClient *self,
                          const char   *token)
{
  g_return_if_fail (AA_IS_REST_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOKEN]);
}

/**
 * aa_rest_client_get_timeout:
 * @self: a client
 *
 * Gets the client's timeout.
 *
 * Returns: the seconds without progress before a request fails with %AA_ERROR_TIMEOUT
 */
guint
aa_rest_client_get_timeout (AaRestClient *self)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (self), 0);

  return self->timeout;
}

/**
 * aa_rest_client_set_timeout:
 * @self: a client
 * @timeout_seconds: seconds without progress before a request fails
 *
 * Sets the timeout of its requests.
 */
void
aa_rest_client_set_timeout (AaRestClient *self,
                            guint         timeout_seconds)
{
  g_return_if_fail (AA_IS_REST_CLIENT (self));
  g_return_if_fail (timeout_seconds > 0);

  if (self->timeout == timeout_seconds)
    return;

  self->timeout = timeout_seconds;
  /* Before construction ends the session does not exist yet; constructed()
   * picks the value up. */
  if (self->session != NULL)
    soup_session_set_timeout (self->session, timeout_seconds);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIMEOUT]);
}

/**
 * aa_rest_client_get_blocked:
 * @self: a client
 *
 * Gets whether the client is blocked: while it is, every request fails at
 * once as not reached, as during an outage.
 *
 * Returns: whether every request fails at once as not reached
 *
 * Since: 0.2
 */
gboolean
aa_rest_client_get_blocked (AaRestClient *self)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (self), FALSE);

  return self->blocked;
}

/**
 * aa_rest_client_set_blocked:
 * @self: a client
 * @blocked: whether to fail every request at once, nothing sent
 *
 * Sets [property@RestClient:blocked].
 *
 * Since: 0.2
 */
void
aa_rest_client_set_blocked (AaRestClient *self,
                            gboolean      blocked)
{
  g_return_if_fail (AA_IS_REST_CLIENT (self));

  if (self->blocked == !!blocked)
    return;

  self->blocked = !!blocked;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BLOCKED]);
}

/**
 * aa_rest_client_get_backend_features:
 * @self: a client
 *
 * Gets what the backend promises ([property@RestClient:backend-features]).
 *
 * Returns: the features declared for the backend
 *
 * Since: 0.2
 */
AaBackendFeatures
aa_rest_client_get_backend_features (AaRestClient *self)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (self), AA_BACKEND_FEATURES_NONE);

  return self->backend_features;
}

/**
 * aa_rest_client_set_backend_features:
 * @self: a client
 * @features: what the backend honours
 *
 * Declares what the backend promises ([property@RestClient:backend-features]).
 * Declare only what it does: a backend declared to honour
 * `Idempotency-Key` that ignores it gets a duplicate when the engine sends a
 * lost POST again.
 *
 * Since: 0.2
 */
void
aa_rest_client_set_backend_features (AaRestClient      *self,
                                     AaBackendFeatures  features)
{
  g_return_if_fail (AA_IS_REST_CLIENT (self));

  if (self->backend_features == features)
    return;

  self->backend_features = features;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BACKEND_FEATURES]);
}

/**
 * aa_rest_client_new_idempotency_key:
 *
 * Makes a new idempotency key.
 *
 * Returns: (transfer full): a fresh random UUID: one per user intention,
 *   reused on every retry of it
 */
char *
aa_rest_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

static gboolean
method_is_mutating (const char *method)
{
  return g_str_equal (method, "POST") ||
         g_str_equal (method, "PATCH") ||
         g_str_equal (method, "PUT") ||
         g_str_equal (method, "DELETE");
}

static char *
build_url (AaRestClient *self,
           const char   *path)
{
  gsize base_len = strlen (self->base_url);

  while (base_len > 0 && self->base_url[base_len - 1] == '/')
    base_len--;
  while (*path == '/')
    path++;

  return g_strdup_printf ("%.*s/%s", (int) base_len, self->base_url, path);
}

/* Whether a transport failure happened before anything could reach the
 * server: then nothing was applied and the engine may say "offline". */
static gboolean
is_unreachable_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;

  if (error->domain == G_IO_ERROR) {
    switch (error->code) {
    case G_IO_ERROR_CONNECTION_REFUSED:
    case G_IO_ERROR_HOST_NOT_FOUND:
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
    case G_IO_ERROR_NOT_CONNECTED:
    case G_IO_ERROR_PROXY_FAILED:
    case G_IO_ERROR_PROXY_AUTH_FAILED:
    case G_IO_ERROR_PROXY_NEED_AUTH:
    case G_IO_ERROR_PROXY_NOT_ALLOWED:
      return TRUE;
    default:
      return FALSE;
    }
  }

  return FALSE;
}

static GError *
map_transport_error (AaRestClient *self,
                     Request      *request,
                     const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  /* A timeout while connecting means the server was never reached; only
   * one after the request left means it is slow. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) && request->request_sent)
    return g_error_new (AA_ERROR, AA_ERROR_TIMEOUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The server didn’t answer within %u second.",
                                     "The server didn’t answer within %u seconds.",
                                     self->timeout),
                        self->timeout);

  /* A connection that failed before the whole request was written cannot
   * have been applied, so it counts as offline however the socket failed
   * (refused, unreachable, name not resolved, connect timed out). */
  if (is_unreachable_error (error) || !request->request_sent)
    return g_error_new (AA_ERROR, AA_ERROR_OFFLINE,
                        _("Couldn’t reach the server: %s"), error->message);

  /* Everything else happened after the request left: closed, reset or
   * truncated answers ("Connection terminated unexpectedly" is a
   * G_IO_ERROR_PARTIAL_INPUT, a garbled status line SOUP_SESSION_ERROR_PARSING).
   * The server may or may not have applied it. */
  return g_error_new (AA_ERROR, AA_ERROR_CONNECTION_LOST,
                      _("The connection closed before the server answered: %s"),
                      error->message);
}

static AaError
error_code_for_status (guint status)
{
  switch (status) {
  case SOUP_STATUS_BAD_REQUEST:
  case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
  case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
  case SOUP_STATUS_UNPROCESSABLE_ENTITY:
    return AA_ERROR_VALIDATION;
  case SOUP_STATUS_UNAUTHORIZED:
    return AA_ERROR_UNAUTHORIZED;
  case 402: /* refused for a reason of the server's own domain */
    return AA_ERROR_REFUSED;
  case SOUP_STATUS_FORBIDDEN:
    return AA_ERROR_PERMISSION;
  case SOUP_STATUS_NOT_FOUND:
    return AA_ERROR_NOT_FOUND;
  case SOUP_STATUS_REQUEST_TIMEOUT:
    return AA_ERROR_TIMEOUT;
  case SOUP_STATUS_CONFLICT:
    return AA_ERROR_STATE;
  case SOUP_STATUS_GONE:
    return AA_ERROR_GONE;
  case SOUP_STATUS_PRECONDITION_FAILED:
    return AA_ERROR_CONFLICT;
  case 429: /* Too Many Requests: transient, like a 503. */
    return AA_ERROR_SERVER;
  default:
    break;
  }

  if (status >= 500 && status <= 599)
    return AA_ERROR_SERVER;

  /* 405, 3xx that were not followed, 1xx and the like: client and server
   * disagree about the contract. */
  return AA_ERROR_BAD_RESPONSE;
}

/* The message of a `{"error": {"code", "message"}}` body, or NULL. */
static const char *
server_error_message (JsonNode *node)
{
  JsonObject *object;
  JsonNode *error_node;
  JsonNode *message_node;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  error_node = json_object_get_member (object, "error");
  if (error_node == NULL || !JSON_NODE_HOLDS_OBJECT (error_node))
    return NULL;

  message_node = json_object_get_member (json_node_get_object (error_node), "message");
  if (message_node == NULL || !JSON_NODE_HOLDS_VALUE (message_node) ||
      json_node_get_value_type (message_node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (message_node);
}

static JsonNode *
parse_body (GBytes  *bytes,
            GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    return json_node_new (JSON_NODE_NULL);

  /* json-glib wants a length that fits in gssize and, for safety with
   * malformed input, valid UTF-8. */
  if (length > G_MAXSSIZE || !g_utf8_validate (data, length, NULL)) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                         _("The server’s answer isn’t valid text."));
    return NULL;
  }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, error)) {
    g_autoptr(GError) json_error = g_steal_pointer (error);

    g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                 _("The server’s answer isn’t valid JSON: %s"), json_error->message);
    return NULL;
  }

  if (json_parser_get_root (parser) == NULL)
    return json_node_new (JSON_NODE_NULL);

  return json_parser_steal_root (parser);
}

/* The answer to a request: the parsed body of a success, or the error for
 * @status with the server's own message. @reason may be NULL. */
JsonNode *
_aa_rest_client_read_answer (guint        status,
                             const char  *reason,
                             GBytes      *bytes,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *message;

  node = parse_body (bytes, &local_error);

  if (SOUP_STATUS_IS_SUCCESSFUL (status)) {
    if (node == NULL)
      g_propagate_error (error, g_steal_pointer (&local_error));
    return g_steal_pointer (&node);
  }

  message = server_error_message (node);
  if (message != NULL && *message != '\0')
    g_set_error (error, AA_ERROR, error_code_for_status (status), "%s", message);
  else
    g_set_error (error, AA_ERROR, error_code_for_status (status),
                 _("The server answered %u (%s)."),
                 status, reason != NULL ? reason : soup_status_get_phrase (status));
  return NULL;
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  AaRestClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert (AA_IS_REST_CLIENT (self));

  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (bytes == NULL) {
    g_debug ("%s %s failed: %s",
             soup_message_get_method (request->msg),
             g_uri_get_path (soup_message_get_uri (request->msg)),
             error->message);
    g_task_return_error (task, map_transport_error (self, request, error));
    return;
  }

  node = _aa_rest_client_read_answer (soup_message_get_status (request->msg),
                                      soup_message_get_reason_phrase (request->msg),
                                      bytes, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
}

static void
wrote_body_cb (SoupMessage *msg,
               Request     *request)
{
  request->request_sent = TRUE;
}

/**
 * aa_rest_client_request_async:
 * @self: a client
 * @method: "GET", "POST", "PATCH", "PUT" or "DELETE"
 * @path: relative to the base URL, such as "/bookmarks/42"
 * @body: (nullable): the JSON body
 * @idempotency_key: (nullable): required for POST, PATCH, PUT and DELETE
 * @if_match_version: when >= 0, sent as `If-Match: "<version>"`
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the answer
 * @user_data: (closure): data for @callback
 *
 * Sends one JSON request. libsoup never sends a mutation again behind the
 * engine's back.
 */
void
aa_rest_client_request_async (AaRestClient        *self,
                              const char          *method,
                              const char          *path,
                              JsonNode            *body,
                              const char          *idempotency_key,
                              gint64               if_match_version,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  gboolean mutating;
  Request *request;

  g_return_if_fail (AA_IS_REST_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  mutating = method_is_mutating (method);
  g_return_if_fail (!mutating || (idempotency_key != NULL && *idempotency_key != '\0'));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_rest_client_request_async);

  url = build_url (self, path);

  if (self->blocked) {
    g_task_return_new_error (task, AA_ERROR, AA_ERROR_OFFLINE,
                             _("Couldn’t reach the server: %s"), _("the connection is switched off."));
    return;
  }

  msg = soup_message_new (method, url);
  if (msg == NULL) {
    g_task_return_new_error (task, AA_ERROR, AA_ERROR_OFFLINE,
                             _("The server address “%s” isn’t a valid web address."),
                             url);
    return;
  }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (self->token != NULL && *self->token != '\0') {
    g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->token);

    soup_message_headers_replace (headers, "Authorization", authorization);
  }

  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);

  if (if_match_version >= 0) {
    g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match_version);

    soup_message_headers_replace (headers, "If-Match", etag);
  }

  if (body != NULL) {
    g_autofree char *json = json_to_string (body, FALSE);
    gsize length = strlen (json);
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&json), length);

    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  }

  /* libsoup silently re-sends a PUT or DELETE when a reused keep-alive
   * connection closes before any byte of the answer arrives (it treats those
   * methods as idempotent; POST and PATCH always get a fresh connection).
   * The server may have applied the first attempt, and the engine must see
   * each failure exactly once and retry explicitly with the same key, so
   * every mutation gets its own connection, where libsoup never re-sends. */
  if (mutating)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);

  request = g_new0 (Request, 1);
  request->msg = g_object_ref (msg);
  request->wrote_body_id = g_signal_connect (msg, "wrote-body",
                                             G_CALLBACK (wrote_body_cb), request);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_cb, g_steal_pointer (&task));
}

/**
 * aa_rest_client_request_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @out_replayed: (out) (optional): %TRUE when the server replayed the first
 *   answer for this idempotency key (`Idempotent-Replayed: true`)
 * @error: return location for an error
 *
 * Every failure is an %AA_ERROR (or %G_IO_ERROR_CANCELLED); for an HTTP
 * error the #GError message is the server's own error message.
 *
 * Returns: (transfer full) (nullable): the parsed answer (a JSON null node
 *   for an empty body), or %NULL with @error set
 */
JsonNode *
aa_rest_client_request_finish (AaRestClient  *self,
                               GAsyncResult  *result,
                               gboolean      *out_replayed,
                               GError       **error)
{
  JsonNode *node;

  g_return_val_if_fail (AA_IS_REST_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aa_rest_client_request_async, NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);

  if (out_replayed != NULL) {
    Request *request = g_task_get_task_data (G_TASK (result));
    const char *replayed = NULL;

    if (node != NULL && request != NULL)
      replayed = soup_message_headers_get_one (soup_message_get_response_headers (request->msg),
                                               "Idempotent-Replayed");
    *out_replayed = replayed != NULL && g_ascii_strcasecmp (replayed, "true") == 0;
  }

  return node;
}

/* Tolerant JSON readers. */

static const char *
json_type_description (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");

  switch (json_node_get_value_type (node)) {
  case G_TYPE_STRING:
    return _("a string");
  case G_TYPE_BOOLEAN:
    return _("true or false");
  default:
    return _("a number");
  }
}

static void
set_wrong_type_error (GError     **error,
                      const char  *field,
                      const char  *expected,
                      JsonNode    *node)
{
  /* TRANSLATORS: e.g. The server sent “version” as a string instead of a whole number. */
  g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
               _("The server sent “%s” as %s instead of %s."),
               field, json_type_description (node), expected);
}

/* The field's node, or NULL when absent or JSON null. */
static JsonNode *
get_field (JsonObject *object,
           const char *field)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* A JSON number that holds a whole number, as json-glib gives integers as
 * gint64 and anything with a fraction or exponent as double. */
static gboolean
node_get_whole_number (JsonNode *node,
                       gint64   *out_value)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node)) {
  case G_TYPE_INT64:
    *out_value = json_node_get_int (node);
    return TRUE;
  case G_TYPE_DOUBLE: {
    double value = json_node_get_double (node);

    /* Range first: converting an out-of-range double is undefined. 2^63
     * itself does not fit a gint64, hence the strict upper bound. */
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0) ||
        (double) (gint64) value != value)
      return FALSE;
    *out_value = (gint64) value;
    return TRUE;
  }
  default:
    return FALSE;
  }
}

/**
 * aa_json_dup_id:
 * @object: a server object
 * @field: the name of the field, such as "id"
 * @error: return location for an error
 *
 * A tolerant reader: the id may be a JSON string or number.
 *
 * Returns: (transfer full) (nullable): the id as a string, or %NULL with
 *   %AA_ERROR_BAD_RESPONSE
 */
char *
aa_json_dup_id (JsonObject  *object,
                const char  *field,
                GError     **error)
{
  JsonNode *node;
  gint64 number;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = get_field (object, field);
  if (node == NULL) {
    g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                 _("The server’s answer has no “%s”."), field);
    return NULL;
  }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
    const char *id = json_node_get_string (node);

    if (*id == '\0') {
      g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                   _("The server sent an empty “%s”."), field);
      return NULL;
    }

    return g_strdup (id);
  }

  if (node_get_whole_number (node, &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);

  set_wrong_type_error (error, field, _("a string or a whole number"), node);
  return NULL;
}

/**
 * aa_json_dup_string:
 * @object: a server object
 * @field: the name of the field
 * @default_value: (nullable): the value when it is absent
 * @error: return location for an error
 *
 * Reads a string member of a server object, tolerantly: an absent or null
 * member gives @default_value.
 *
 * Returns: (transfer full) (nullable): the string, or %NULL with
 *   %AA_ERROR_BAD_RESPONSE for the wrong type
 */
char *
aa_json_dup_string (JsonObject  *object,
                    const char  *field,
                    const char  *default_value,
                    GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = get_field (object, field);
  if (node == NULL)
    return g_strdup (default_value);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    set_wrong_type_error (error, field, _("a string"), node);
    return NULL;
  }

  return g_strdup (json_node_get_string (node));
}

/**
 * aa_json_get_boolean:
 * @object: a server object
 * @field: the name of the field
 * @default_value: the value when it is absent
 * @out_value: (out): the value
 * @error: return location for an error
 *
 * Reads a boolean member of a server object, tolerantly: an absent or null
 * member gives @default_value.
 *
 * Returns: %FALSE with %AA_ERROR_BAD_RESPONSE for the wrong type
 */
gboolean
aa_json_get_boolean (JsonObject  *object,
                     const char  *field,
                     gboolean     default_value,
                     gboolean    *out_value,
                     GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = get_field (object, field);
  if (node == NULL) {
    if (out_value != NULL)
      *out_value = default_value;
    return TRUE;
  }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    set_wrong_type_error (error, field, _("true or false"), node);
    return FALSE;
  }

  if (out_value != NULL)
    *out_value = json_node_get_boolean (node);
  return TRUE;
}

/**
 * aa_json_get_int:
 * @object: a server object
 * @field: the name of the field
 * @default_value: the value when it is absent
 * @out_value: (out): the value
 * @error: return location for an error
 *
 * Reads an integer member of a server object, tolerantly: an absent or null
 * member gives @default_value.
 *
 * Returns: %FALSE with %AA_ERROR_BAD_RESPONSE for the wrong type
 */
gboolean
aa_json_get_int (JsonObject  *object,
                 const char  *field,
                 gint64       default_value,
                 gint64      *out_value,
                 GError     **error)
{
  JsonNode *node;
  gint64 number;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = get_field (object, field);
  if (node == NULL) {
    if (out_value != NULL)
      *out_value = default_value;
    return TRUE;
  }

  if (!node_get_whole_number (node, &number)) {
    set_wrong_type_error (error, field, _("a whole number"), node);
    return FALSE;
  }

  if (out_value != NULL)
    *out_value = number;
  return TRUE;
}
