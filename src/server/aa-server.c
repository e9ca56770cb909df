#define G_LOG_DOMAIN "aa-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "aa-server.h"
#include "aa-server-store.h"

#define API_PREFIX       "/api/v1"
#define MAX_BODY_BYTES   (64 * 1024)
#define MAX_STATS        10000
#define DEFAULT_HOLD_MS  30000
#define MAX_DELAY_MS     (10 * 60 * 1000)

/* One line of GET /_control/stats; shared with the request that fills in
 * its status, hence reference counted (g_rc_box). */
typedef struct {
  char  *method;
  char  *path;
  guint  status;
} Stat;

/* What a handler answers: a JSON body, or an error code and message. */
typedef struct {
  guint     status;
  JsonNode *body;
  char     *code;
  char     *message;
  char     *etag;
  char     *allow;
} Reply;

typedef struct _Request Request;
typedef void (*Handler) (AaServer *self,
                         Request  *req,
                         Reply    *reply);

typedef struct {
  const char *method;
  const char *pattern;   /* "*" matches one path segment: the id */
  Handler     handler;
} Route;

/* A non-control request from arrival to answer (or to a closed connection). */
struct _Request {
  AaServer          *self;
  SoupServerMessage *msg;
  char              *path;          /* relative to /api/v1 */
  const Route       *route;
  char              *id;
  Stat              *stat;
  gint64             started;
  gboolean           mutating;
  gboolean           paused;
  gboolean           gone;          /* the client went away meanwhile */
  GSource           *source;        /* latency or timeout hold */

  char              *key;           /* Idempotency-Key */
  char              *fingerprint;
  gboolean           in_flight;     /* we own the in-flight mark of @key */

  Reply              early;         /* decided on arrival, sent after latency */
  gboolean           has_early;
  gboolean           replay;
  guint              replay_status;
  char              *replay_body;
  char              *replay_etag;
};

struct _AaServer
{
  GObject        parent_instance;

  char          *data_path;
  char          *token;
  guint          generate_notes;
  gboolean       verbose;

  AaServerStore *store;
  SoupServer    *soup;
  GMainContext  *context;
  char          *url;
  gboolean       shut_down;

  /* Faults. */
  guint          latency_ms;
  double         failure_rate;
  guint32        seed;
  GRand         *rand;
  gboolean       offline;
  guint          timeout_hold_ms;
  GQueue         next_faults;   /* char* */

  GQueue         stats;         /* Stat* */
  GHashTable    *in_flight;     /* Idempotency-Key -> fingerprint */
  GHashTable    *requests;      /* Request* set: everything not yet answered */
};

static void aa_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (AaServer, aa_server, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, aa_server_initable_iface_init))

enum {
  PROP_0,
  PROP_DATA_PATH,
  PROP_TOKEN,
  PROP_LATENCY_MS,
  PROP_FAILURE_RATE,
  PROP_SEED,
  PROP_GENERATE_NOTES,
  PROP_VERBOSE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *fault_names[] = {
  "error-500", "error-503", "timeout", "drop", "lost-response", "conflict",
};

/* Stats. */

static void
stat_clear (gpointer data)
{
  Stat *stat = data;

  g_free (stat->method);
  g_free (stat->path);
}

static void
stat_release (gpointer data)
{
  g_rc_box_release_full (data, stat_clear);
}

static Stat *
add_stat (AaServer   *self,
          const char *method,
          const char *path)
{
  Stat *stat = g_rc_box_new0 (Stat);

  stat->method = g_strdup (method);
  stat->path = g_strdup (path);
  g_queue_push_tail (&self->stats, stat);
  while (self->stats.length > MAX_STATS)
    stat_release (g_queue_pop_head (&self->stats));

  return g_rc_box_acquire (stat);
}

/* Replies. */

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->message, g_free);
  g_clear_pointer (&reply->etag, g_free);
  g_clear_pointer (&reply->allow, g_free);
  reply->status = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
reply_json (Reply    *reply,
            guint     status,
            JsonNode *body)
{
  reply_clear (reply);
  reply->status = status;
  reply->body = body;
}

static void
reply_error (Reply      *reply,
             guint       status,
             const char *code,
             const char *message)
{
  reply_clear (reply);
  reply->status = status;
  reply->code = g_strdup (code);
  reply->message = g_strdup (message);
}

static void
reply_store_error (Reply        *reply,
                   const GError *error)
{
  static const struct {
    AaServerStoreError  code;
    guint               status;
    const char         *name;
  } map[] = {
    { AA_SERVER_STORE_ERROR_NOT_FOUND, 404, "not_found" },
    { AA_SERVER_STORE_ERROR_GONE, 410, "gone" },
    { AA_SERVER_STORE_ERROR_VALIDATION, 422, "validation_failed" },
    { AA_SERVER_STORE_ERROR_PRECONDITION, 412, "precondition_failed" },
    { AA_SERVER_STORE_ERROR_CARD_DECLINED, 402, "card_declined" },
    { AA_SERVER_STORE_ERROR_INVALID_CARD, 422, "invalid_card" },
    { AA_SERVER_STORE_ERROR_ALREADY_PAID, 409, "already_paid" },
    { AA_SERVER_STORE_ERROR_FORBIDDEN, 403, "forbidden" },
    { AA_SERVER_STORE_ERROR_LAST_OWNER, 409, "last_owner" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++) {
    if (g_error_matches (error, AA_SERVER_STORE_ERROR, map[i].code)) {
      reply_error (reply, map[i].status, map[i].name, error->message);
      return;
    }
  }

  reply_error (reply, 500, "storage_failed", error->message);
}

static char *
reply_to_string (const Reply *reply)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (reply->body != NULL)
    return json_to_string (reply->body, FALSE);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, reply->code != NULL ? reply->code : "server_error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, reply->message != NULL ? reply->message : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
etag_for_version (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

/* Sending, closing and finishing requests. */

static void
set_response (AaServer          *self,
              SoupServerMessage *msg,
              guint              status,
              char              *body,
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
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
send_reply_now (AaServer          *self,
                SoupServerMessage *msg,
                const Reply       *reply)
{
  set_response (self, msg, reply->status, reply_to_string (reply), reply->etag, reply->allow, FALSE);
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
log_request (Request    *req,
             const char *outcome)
{
  if (!req->self->verbose)
    return;

  g_printerr ("%s %s -> %s (%.1f ms)\n",
              soup_server_message_get_method (req->msg), req->path, outcome,
              (g_get_monotonic_time () - req->started) / 1000.0);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 Request           *req)
{
  req->gone = TRUE;
}

static void
request_free (Request *req)
{
  g_signal_handlers_disconnect_by_func (req->msg, disconnected_cb, req);
  if (req->source != NULL) {
    g_source_destroy (req->source);
    g_source_unref (req->source);
  }
  g_clear_object (&req->msg);
  g_clear_pointer (&req->stat, stat_release);
  g_free (req->path);
  g_free (req->id);
  g_free (req->key);
  g_free (req->fingerprint);
  reply_clear (&req->early);
  g_free (req->replay_body);
  g_free (req->replay_etag);
  g_free (req);
}

static void
release_in_flight (Request *req)
{
  if (req->in_flight) {
    g_hash_table_remove (req->self->in_flight, req->key);
    req->in_flight = FALSE;
  }
}

static void
request_finish (Request *req)
{
  release_in_flight (req);
  g_hash_table_remove (req->self->requests, req);
}

static void
request_send (Request     *req,
              guint        status,
              char        *body,
              const char  *etag,
              const char  *allow,
              gboolean     replayed)
{
  g_autofree char *outcome = g_strdup_printf ("%u%s", status, replayed ? " (replayed)" : "");

  if (!req->gone) {
    set_response (req->self, req->msg, status, body, etag, allow, replayed);
    req->stat->status = status;
    if (req->paused)
      soup_server_message_unpause (req->msg);
  } else {
    g_free (body);
  }
  log_request (req, outcome);
  request_finish (req);
}

static void
request_send_reply (Request     *req,
                    const Reply *reply)
{
  request_send (req, reply->status, reply_to_string (reply), reply->etag, reply->allow, FALSE);
}

static void
request_close (Request *req)
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
request_pause (Request *req)
{
  if (!req->paused) {
    soup_server_message_pause (req->msg);
    req->paused = TRUE;
  }
}

/* Request bodies. */

static JsonNode *
parse_body (SoupServerMessage *msg,
            Reply             *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0 || data == NULL) {
    reply_error (reply, 400, "invalid_json", _("The request needs a JSON body."));
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &error) ||
      json_parser_get_root (parser) == NULL) {
    g_autofree char *message = g_strdup_printf (_("The body is not valid JSON: %s"),
                                                error != NULL ? error->message : _("it is empty"));

    reply_error (reply, 400, "invalid_json", message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    reply_error (reply, 422, "validation_failed", _("The body must be a JSON object."));
    return NULL;
  }

  return json_parser_steal_root (parser);
}

typedef struct {
  const char *name;
  GType       type;
} Field;

/* Refuses unknown members and wrong types, naming the field. */
static gboolean
check_fields (JsonObject  *object,
              const Field *fields,
              guint        n_fields,
              Reply       *reply)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (const GList *l = names; l != NULL; l = l->next) {
    const char *name = l->data;
    JsonNode *node = json_object_get_member (object, name);
    const Field *field = NULL;

    for (guint i = 0; i < n_fields; i++) {
      if (g_str_equal (fields[i].name, name))
        field = &fields[i];
    }

    if (field == NULL) {
      g_autofree char *message = g_strdup_printf (_("The field “%s” is not known here. Remove it."), name);

      reply_error (reply, 422, "validation_failed", message);
      return FALSE;
    }

    if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != field->type) {
      g_autofree char *message =
        g_strdup_printf (field->type == G_TYPE_BOOLEAN ? _("The field “%s” must be true or false.")
                                                       : _("The field “%s” must be a string."),
                         name);

      reply_error (reply, 422, "validation_failed", message);
      return FALSE;
    }
  }

  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_string_member (object, name) : NULL;
}

static int
get_flag (JsonObject *object,
          const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_boolean_member (object, name) : -1;
}

/* "3", W/"3" or 3; -1 for none or "*"; G_MAXINT64 (matches nothing) when unreadable. */
static gint64
parse_if_match (const char *header)
{
  g_autofree char *value = NULL;
  char *p, *end;
  gint64 version;

  if (header == NULL)
    return -1;

  value = g_strstrip (g_strdup (header));
  if (g_str_equal (value, "*"))
    return -1;

  p = value;
  if (g_str_has_prefix (p, "W/"))
    p += 2;
  if (*p == '"')
    p++;
  version = g_ascii_strtoll (p, &end, 10);
  if (end == p || version < 0 || (*end != '"' && *end != '\0'))
    return G_MAXINT64;

  return version;
}

/* The API handlers. */

static void
list_items (AaServer *self,
            Request  *req,
            Reply    *reply)
{
  reply_json (reply, 200, aa_server_store_list_items (self->store, FALSE));
}

static void
get_item (AaServer *self,
          Request  *req,
          Reply    *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  gint64 version;

  node = aa_server_store_get_item (self->store, req->id, &version, &error);
  if (node == NULL) {
    reply_store_error (reply, error);
    return;
  }

  reply_json (reply, 200, node);
  reply->etag = etag_for_version (version);
}

static const Field item_fields[] = {
  { "title", G_TYPE_STRING },
  { "notes", G_TYPE_STRING },
  { "starred", G_TYPE_BOOLEAN },
  { "done", G_TYPE_BOOLEAN },
};

static void
create_item (AaServer *self,
             Request  *req,
             Reply    *reply)
{
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;
  gint64 version;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!check_fields (object, item_fields, G_N_ELEMENTS (item_fields), reply))
    return;

  node = aa_server_store_create_item (self->store,
                                      get_string (object, "title"),
                                      get_string (object, "notes"),
                                      get_flag (object, "starred") == 1,
                                      get_flag (object, "done") == 1,
                                      &version, &error);
  if (node == NULL) {
    reply_store_error (reply, error);
    return;
  }

  reply_json (reply, 201, node);
  reply->etag = etag_for_version (version);
}

static void
update_item (AaServer *self,
             Request  *req,
             Reply    *reply)
{
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GError) error = NULL;
  AaServerItemChange change;
  const char *if_match;
  JsonObject *object;
  JsonNode *node;
  gint64 version;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!check_fields (object, item_fields, G_N_ELEMENTS (item_fields), reply))
    return;
  if (json_object_get_size (object) == 0) {
    reply_error (reply, 422, "validation_failed",
                 _("Nothing to change. Send at least one of title, notes, starred or done."));
    return;
  }

  change.title = get_string (object, "title");
  change.notes = get_string (object, "notes");
  change.starred = get_flag (object, "starred");
  change.done = get_flag (object, "done");
  if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "If-Match");

  node = aa_server_store_update_item (self->store, req->id, &change, parse_if_match (if_match),
                                      &version, &error);
  if (node == NULL) {
    reply_store_error (reply, error);
    return;
  }

  reply_json (reply, 200, node);
  reply->etag = etag_for_version (version);
}

static void
trash_item (AaServer *self,
            Request  *req,
            Reply    *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = aa_server_store_trash_item (self->store, req->id, &error);

  if (node == NULL)
    reply_store_error (reply, error);
  else
    reply_json (reply, 200, node);
}

static void
restore_item (AaServer *self,
              Request  *req,
              Reply    *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = aa_server_store_restore_item (self->store, req->id, &error);

  if (node == NULL)
    reply_store_error (reply, error);
  else
    reply_json (reply, 200, node);
}

static void
list_trash (AaServer *self,
            Request  *req,
            Reply    *reply)
{
  reply_json (reply, 200, aa_server_store_list_items (self->store, TRUE));
}

static void
empty_trash (AaServer *self,
             Request  *req,
             Reply    *reply)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "purged", aa_server_store_empty_trash (self->store));
  json_node_take_object (node, object);
  reply_json (reply, 200, node);
}

static void
list_invoices (AaServer *self,
               Request  *req,
               Reply    *reply)
{
  reply_json (reply, 200, aa_server_store_list_invoices (self->store));
}

static void
pay_invoice (AaServer *self,
             Request  *req,
             Reply    *reply)
{
  static const Field fields[] = {
    { "invoice_id", G_TYPE_STRING },
    { "card_number", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!check_fields (object, fields, G_N_ELEMENTS (fields), reply))
    return;
  if (!json_object_has_member (object, "invoice_id")) {
    reply_error (reply, 422, "validation_failed", _("Say which invoice to pay with “invoice_id”."));
    return;
  }

  node = aa_server_store_pay_invoice (self->store,
                                      get_string (object, "invoice_id"),
                                      get_string (object, "card_number"),
                                      &error);
  if (node == NULL)
    reply_store_error (reply, error);
  else
    reply_json (reply, 201, node);
}

static void
list_members (AaServer *self,
              Request  *req,
              Reply    *reply)
{
  reply_json (reply, 200, aa_server_store_list_members (self->store));
}

static void
get_me (AaServer *self,
        Request  *req,
        Reply    *reply)
{
  reply_json (reply, 200, aa_server_store_get_me (self->store));
}

static void
set_role (AaServer *self,
          Request  *req,
          Reply    *reply)
{
  static const Field fields[] = {
    { "role", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!check_fields (object, fields, G_N_ELEMENTS (fields), reply))
    return;

  node = aa_server_store_set_role (self->store, req->id, get_string (object, "role"), &error);
  if (node == NULL)
    reply_store_error (reply, error);
  else
    reply_json (reply, 200, node);
}

static const Route api_routes[] = {
  { "GET",    "/items",              list_items },
  { "POST",   "/items",              create_item },
  { "GET",    "/items/*",            get_item },
  { "PATCH",  "/items/*",            update_item },
  { "DELETE", "/items/*",            trash_item },
  { "POST",   "/items/*/restore",    restore_item },
  { "GET",    "/trash",              list_trash },
  { "POST",   "/trash/empty",        empty_trash },
  { "GET",    "/invoices",           list_invoices },
  { "POST",   "/payments",           pay_invoice },
  { "GET",    "/members",            list_members },
  { "PATCH",  "/members/*",          set_role },
  { "GET",    "/me",                 get_me },
};

/* The demo controls (no latency, no faults, no idempotency). */

static JsonNode *
faults_to_json (AaServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "latency_ms");
  json_builder_add_int_value (builder, self->latency_ms);
  json_builder_set_member_name (builder, "failure_rate");
  json_builder_add_double_value (builder, self->failure_rate);
  json_builder_set_member_name (builder, "offline");
  json_builder_add_boolean_value (builder, self->offline);
  json_builder_set_member_name (builder, "timeout_hold_ms");
  json_builder_add_int_value (builder, self->timeout_hold_ms);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, self->seed);
  json_builder_set_member_name (builder, "next");
  json_builder_begin_array (builder);
  for (const GList *l = self->next_faults.head; l != NULL; l = l->next)
    json_builder_add_string_value (builder, l->data);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
get_faults (AaServer *self,
            Request  *req,
            Reply    *reply)
{
  reply_json (reply, 200, faults_to_json (self));
}

static gboolean
read_delay (JsonObject *object,
            const char *name,
            gint64     *out,
            Reply      *reply)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > MAX_DELAY_MS) {
    g_autofree char *message = g_strdup_printf (_("The field “%s” must be a number of milliseconds "
                                                  "from 0 to %d."), name, MAX_DELAY_MS);

    reply_error (reply, 422, "validation_failed", message);
    return FALSE;
  }

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
is_fault_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++) {
    if (g_strcmp0 (fault_names[i], name) == 0)
      return TRUE;
  }

  return FALSE;
}

static void
put_faults (AaServer *self,
            Request  *req,
            Reply    *reply)
{
  static const char *known[] = {
    "latency_ms", "failure_rate", "offline", "next", "timeout_hold_ms", "seed",
  };
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GList) names = NULL;
  gint64 latency_ms = self->latency_ms;
  gint64 hold_ms = self->timeout_hold_ms;
  double failure_rate = self->failure_rate;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);

  /* Everything is checked before anything is applied. */
  names = json_object_get_members (object);
  for (const GList *l = names; l != NULL; l = l->next) {
    if (!g_strv_contains (known, l->data)) {
      g_autofree char *message = g_strdup_printf (_("The field “%s” is not known here. Remove it."),
                                                  (const char *) l->data);

      reply_error (reply, 422, "validation_failed", message);
      return;
    }
  }

  if (!read_delay (object, "latency_ms", &latency_ms, reply) ||
      !read_delay (object, "timeout_hold_ms", &hold_ms, reply))
    return;

  node = json_object_get_member (object, "failure_rate");
  if (node != NULL) {
    GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

    if (type == G_TYPE_INT64)
      failure_rate = json_node_get_int (node);
    else if (type == G_TYPE_DOUBLE)
      failure_rate = json_node_get_double (node);
    else
      failure_rate = -1;
    if (!(failure_rate >= 0 && failure_rate <= 1)) {
      reply_error (reply, 422, "validation_failed", _("The field “failure_rate” must be a number from 0 to 1."));
      return;
    }
  }

  node = json_object_get_member (object, "offline");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)) {
    reply_error (reply, 422, "validation_failed", _("The field “offline” must be true or false."));
    return;
  }

  node = json_object_get_member (object, "seed");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
                       json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT32)) {
    reply_error (reply, 422, "validation_failed", _("The field “seed” must be a whole number from 0 to 4294967295."));
    return;
  }

  node = json_object_get_member (object, "next");
  if (node != NULL) {
    JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

    for (guint i = 0; array != NULL && i < json_array_get_length (array); i++) {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          !is_fault_name (json_node_get_string (element)))
        array = NULL;
    }
    if (array == NULL) {
      reply_error (reply, 422, "validation_failed",
                   _("The field “next” must list faults: error-500, error-503, timeout, drop, "
                     "lost-response or conflict."));
      return;
    }

    g_queue_clear_full (&self->next_faults, g_free);
    for (guint i = 0; i < json_array_get_length (array); i++)
      g_queue_push_tail (&self->next_faults, g_strdup (json_array_get_string_element (array, i)));
  }

  self->latency_ms = latency_ms;
  self->timeout_hold_ms = hold_ms;
  self->failure_rate = failure_rate;
  if (json_object_has_member (object, "offline"))
    self->offline = json_object_get_boolean_member (object, "offline");
  if (json_object_has_member (object, "seed"))
    aa_server_set_seed (self, (guint32) json_object_get_int_member (object, "seed"));

  reply_json (reply, 200, faults_to_json (self));
}

static void
get_stats (AaServer *self,
           Request  *req,
           Reply    *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (const GList *l = self->stats.head; l != NULL; l = l->next) {
    const Stat *stat = l->data;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "method");
    json_builder_add_string_value (builder, stat->method);
    json_builder_set_member_name (builder, "path");
    json_builder_add_string_value (builder, stat->path);
    json_builder_set_member_name (builder, "status");
    json_builder_add_int_value (builder, stat->status);
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  reply_json (reply, 200, json_builder_get_root (builder));
}

static void
put_session (AaServer *self,
             Request  *req,
             Reply    *reply)
{
  static const Field fields[] = {
    { "member_id", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!check_fields (object, fields, G_N_ELEMENTS (fields), reply))
    return;

  node = aa_server_store_set_session (self->store, get_string (object, "member_id"), &error);
  if (node == NULL)
    reply_store_error (reply, error);
  else
    reply_json (reply, 200, node);
}

static const Route control_routes[] = {
  { "GET", "/_control/faults",  get_faults },
  { "PUT", "/_control/faults",  put_faults },
  { "GET", "/_control/stats",   get_stats },
  { "PUT", "/_control/session", put_session },
};

/* Routing. */

static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **out_id)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  g_autofree char *id = NULL;

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;

  for (guint i = 0; want[i] != NULL; i++) {
    if (g_str_equal (want[i], "*")) {
      if (*have[i] == '\0')
        return FALSE;
      g_free (id);
      id = g_uri_unescape_string (have[i], NULL);
      if (id == NULL)
        return FALSE;
    } else if (!g_str_equal (want[i], have[i])) {
      return FALSE;
    }
  }

  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* Finds the route, or fills @reply with 404 or 405 (and its Allow header). */
static const Route *
find_route (const Route  *routes,
            guint         n_routes,
            const char   *method,
            const char   *path,
            char        **out_id,
            Reply        *reply)
{
  g_autoptr(GString) allow = NULL;

  for (guint i = 0; i < n_routes; i++) {
    g_autofree char *id = NULL;

    if (!match_pattern (routes[i].pattern, path, &id))
      continue;
    if (g_str_equal (routes[i].method, method)) {
      *out_id = g_steal_pointer (&id);
      return &routes[i];
    }
    if (allow == NULL)
      allow = g_string_new (routes[i].method);
    else
      g_string_append_printf (allow, ", %s", routes[i].method);
  }

  if (allow != NULL) {
    g_autofree char *message = g_strdup_printf (_("%s is not allowed here. Use %s."), method, allow->str);

    reply_error (reply, 405, "method_not_allowed", message);
    reply->allow = g_string_free (g_steal_pointer (&allow), FALSE);
  } else {
    reply_error (reply, 404, "not_found", _("There is nothing at this address. Check the path."));
  }

  return NULL;
}

static gboolean
is_mutating (const char *method)
{
  return g_str_equal (method, "POST") || g_str_equal (method, "PATCH") ||
         g_str_equal (method, "PUT") || g_str_equal (method, "DELETE");
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "application/json") == 0 ||
          g_str_has_suffix (content_type, "+json"));
}

/* 413 and 415, common to every request with a body. */
static gboolean
check_body (SoupServerMessage *msg,
            Reply             *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type;

  if (body->length > MAX_BODY_BYTES) {
    reply_error (reply, 413, "payload_too_large", _("The body is larger than 64 KiB. Send less."));
    return FALSE;
  }

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (body->length > 0 && !is_json_type (content_type)) {
    reply_error (reply, 415, "unsupported_media_type",
                 _("Send the body as JSON, with “Content-Type: application/json”."));
    return FALSE;
  }

  return TRUE;
}

static gboolean
is_authorized (AaServer          *self,
               SoupServerMessage *msg)
{
  const char *header;
  g_autofree char *expected = NULL;

  if (self->token == NULL)
    return TRUE;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  expected = g_strdup_printf ("Bearer %s", self->token);

  return g_strcmp0 (header, expected) == 0;
}

static void
unauthorized (Reply *reply)
{
  reply_error (reply, 401, "unauthorized",
               _("Sign in again: the request needs a valid “Authorization: Bearer” token."));
}

static char *
compute_fingerprint (SoupServerMessage *msg,
                     const char        *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *method = soup_server_message_get_method (msg);
  gsize length;
  const guchar *data = g_bytes_get_data (bytes, &length);

  g_checksum_update (checksum, (const guchar *) method, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (length > 0)
    g_checksum_update (checksum, data, length);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Processing, after the latency: faults first, then the handler. */

static gboolean
is_recordable (guint status)
{
  /* A 5xx or a 412 (which depends on If-Match, outside the fingerprint) is
   * not the final word: a retry with the same key gets a fresh try. */
  return status < 500 && status != 412;
}

static gboolean hold_done_cb (gpointer data);

static void
request_process (Request *req)
{
  AaServer *self = req->self;
  g_auto(Reply) reply = { 0, };
  g_autofree char *fault = NULL;
  g_autofree char *body = NULL;

  if (req->has_early) {
    request_send_reply (req, &req->early);
    return;
  }

  if (req->mutating) {
    fault = g_queue_pop_head (&self->next_faults);
    if (fault == NULL && self->failure_rate > 0 && g_rand_double (self->rand) < self->failure_rate)
      fault = g_strdup ("error-503");
  }

  if (g_strcmp0 (fault, "error-500") == 0) {
    reply_error (&reply, 500, "server_error", _("The server failed while handling this request. Nothing was changed."));
    request_send_reply (req, &reply);
    return;
  } else if (g_strcmp0 (fault, "error-503") == 0) {
    reply_error (&reply, 503, "service_unavailable", _("The server is busy. Nothing was changed; try again."));
    request_send_reply (req, &reply);
    return;
  } else if (g_strcmp0 (fault, "conflict") == 0) {
    reply_error (&reply, 412, "precondition_failed",
                 _("This was changed elsewhere meanwhile. Reload it and apply your change again."));
    request_send_reply (req, &reply);
    return;
  } else if (g_strcmp0 (fault, "drop") == 0) {
    request_close (req);
    return;
  } else if (g_strcmp0 (fault, "timeout") == 0) {
    /* Never applied, so a retry need not wait for the hold to end. */
    release_in_flight (req);
    request_pause (req);
    req->source = schedule (self, self->timeout_hold_ms, hold_done_cb, req);
    log_request (req, "held (timeout fault)");
    return;
  }

  if (req->replay && g_strcmp0 (fault, "lost-response") == 0) {
    request_close (req);
    return;
  } else if (req->replay) {
    request_send (req, req->replay_status, g_strdup (req->replay_body), req->replay_etag, NULL, TRUE);
    return;
  }

  req->route->handler (self, req, &reply);
  body = reply_to_string (&reply);

  if (req->mutating) {
    g_autoptr(GError) error = NULL;
    gboolean record = req->key != NULL && is_recordable (reply.status);

    /* On disk, with the response to replay, before anyone hears of it. */
    if (!aa_server_store_commit (self->store, record ? req->key : NULL, req->fingerprint,
                                 reply.status, body, reply.etag, &error)) {
      g_message ("%s", error->message);
      reply_store_error (&reply, error);
      g_clear_pointer (&body, g_free);
      body = reply_to_string (&reply);
    }
  }

  if (g_strcmp0 (fault, "lost-response") == 0) {
    request_close (req);
    return;
  }

  request_send (req, reply.status, g_steal_pointer (&body), reply.etag, reply.allow, FALSE);
}

static gboolean
hold_done_cb (gpointer data)
{
  Request *req = data;

  g_clear_pointer (&req->source, g_source_unref);
  request_close (req);

  return G_SOURCE_REMOVE;
}

static gboolean
latency_done_cb (gpointer data)
{
  Request *req = data;

  g_clear_pointer (&req->source, g_source_unref);
  request_process (req);

  return G_SOURCE_REMOVE;
}

/* On arrival: everything that does not depend on time, then the latency. */
static void
request_start (Request *req)
{
  AaServer *self = req->self;
  SoupServerMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *key;

  req->route = find_route (api_routes, G_N_ELEMENTS (api_routes), method, req->path, &req->id, &req->early);
  if (req->route == NULL || !check_body (msg, &req->early)) {
    req->has_early = TRUE;
  } else if (req->mutating) {
    key = soup_message_headers_get_one (headers, "Idempotency-Key");
    if (key != NULL && *key == '\0')
      key = NULL;

    if (key == NULL && g_str_equal (req->route->pattern, "/payments")) {
      reply_error (&req->early, 400, "idempotency_key_required",
                   _("Payments need an “Idempotency-Key” header, so that a retry never charges twice."));
      req->has_early = TRUE;
    } else if (key != NULL) {
      const char *in_flight;
      const char *body = NULL, *etag = NULL;
      AaServerKeyState state;

      req->key = g_strdup (key);
      req->fingerprint = compute_fingerprint (msg, req->path);
      in_flight = g_hash_table_lookup (self->in_flight, key);

      if (in_flight != NULL && g_str_equal (in_flight, req->fingerprint)) {
        reply_error (&req->early, 409, "idempotency_in_flight",
                     _("The same request is still being handled. Wait for it, then retry."));
        req->has_early = TRUE;
      } else if (in_flight != NULL) {
        reply_error (&req->early, 422, "idempotency_key_reused",
                     _("This Idempotency-Key was already used for a different request. Use a new key."));
        req->has_early = TRUE;
      } else {
        state = aa_server_store_lookup_key (self->store, key, req->fingerprint,
                                            &req->replay_status, &body, &etag);
        if (state == AA_SERVER_KEY_MISMATCH) {
          reply_error (&req->early, 422, "idempotency_key_reused",
                       _("This Idempotency-Key was already used for a different request. Use a new key."));
          req->has_early = TRUE;
        } else if (state == AA_SERVER_KEY_MATCH) {
          req->replay = TRUE;
          req->replay_body = g_strdup (body);
          req->replay_etag = g_strdup (etag);
        } else {
          g_hash_table_insert (self->in_flight, g_strdup (key), g_strdup (req->fingerprint));
          req->in_flight = TRUE;
        }
      }
    }
  }

  if (self->latency_ms > 0) {
    request_pause (req);
    req->source = schedule (self, self->latency_ms, latency_done_cb, req);
    return;
  }

  request_process (req);
}

static void
handle_control (AaServer          *self,
                SoupServerMessage *msg,
                const char        *path)
{
  g_auto(Reply) reply = { 0, };
  g_autofree char *id = NULL;
  Request control = { .self = self, .msg = msg };
  const Route *route;

  if (!is_authorized (self, msg)) {
    unauthorized (&reply);
  } else {
    route = find_route (control_routes, G_N_ELEMENTS (control_routes),
                        soup_server_message_get_method (msg), path, &id, &reply);
    if (route != NULL && check_body (msg, &reply))
      route->handler (self, &control, &reply);
  }

  send_reply_now (self, msg, &reply);
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
  Request *req;

  g_assert (AA_IS_SERVER (self));

  if (g_str_has_prefix (path, API_PREFIX) &&
      (path[strlen (API_PREFIX)] == '\0' || path[strlen (API_PREFIX)] == '/'))
    relative = path + strlen (API_PREFIX);
  else
    relative = NULL;

  if (relative != NULL &&
      (g_str_equal (relative, "/_control") || g_str_has_prefix (relative, "/_control/"))) {
    handle_control (self, msg, relative);
    return;
  }

  req = g_new0 (Request, 1);
  req->self = self;
  req->msg = g_object_ref (msg);
  req->path = g_strdup (relative != NULL ? relative : path);
  req->stat = add_stat (self, method, req->path);
  req->started = g_get_monotonic_time ();
  req->mutating = is_mutating (method);
  g_hash_table_add (self->requests, req);
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), req);

  if (self->offline) {
    request_close (req);
    return;
  }

  if (!is_authorized (self, msg)) {
    g_auto(Reply) reply = { 0, };

    unauthorized (&reply);
    request_send_reply (req, &reply);
    return;
  }

  if (relative == NULL) {
    reply_error (&req->early, 404, "not_found", _("There is nothing at this address. The API is under /api/v1."));
    req->has_early = TRUE;
    request_process (req);
    return;
  }

  request_start (req);
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
  g_clear_pointer (&self->rand, g_rand_free);
  g_queue_clear_full (&self->next_faults, g_free);
  g_queue_clear_full (&self->stats, stat_release);
  g_hash_table_unref (self->in_flight);
  g_hash_table_unref (self->requests);
  g_free (self->data_path);
  g_free (self->token);
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
  case PROP_LATENCY_MS:
    g_value_set_uint (value, self->latency_ms);
    break;
  case PROP_FAILURE_RATE:
    g_value_set_double (value, self->failure_rate);
    break;
  case PROP_SEED:
    g_value_set_uint (value, self->seed);
    break;
  case PROP_GENERATE_NOTES:
    g_value_set_uint (value, self->generate_notes);
    break;
  case PROP_VERBOSE:
    g_value_set_boolean (value, self->verbose);
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
  props[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL, 0, MAX_DELAY_MS, 0,
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

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_server_init (AaServer *self)
{
  self->rand = g_rand_new_with_seed (0);
  self->timeout_hold_ms = DEFAULT_HOLD_MS;
  g_queue_init (&self->next_faults);
  g_queue_init (&self->stats);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) request_free, NULL);
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

  latency_ms = MIN (latency_ms, MAX_DELAY_MS);
  if (self->latency_ms == latency_ms)
    return;

  self->latency_ms = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LATENCY_MS]);
}

void
aa_server_set_failure_rate (AaServer *self,
                            double    failure_rate)
{
  g_return_if_fail (AA_IS_SERVER (self));
  g_return_if_fail (failure_rate >= 0 && failure_rate <= 1);

  if (self->failure_rate == failure_rate)
    return;

  self->failure_rate = failure_rate;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FAILURE_RATE]);
}

void
aa_server_set_seed (AaServer *self,
                    guint32   seed)
{
  g_return_if_fail (AA_IS_SERVER (self));

  /* Reseeding restarts the sequence even for the same seed: reproducible runs. */
  g_rand_set_seed (self->rand, seed);
  if (self->seed == seed)
    return;

  self->seed = seed;
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

gboolean
aa_server_listen (AaServer  *self,
                  guint      port,
                  gboolean   listen_all,
                  GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  GSList *uris;
  guint bound_port = 0;
  gboolean ok;

  g_return_val_if_fail (AA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->context == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  self->context = g_main_context_ref_thread_default ();

  if (listen_all) {
    ok = soup_server_listen_all (self->soup, port, 0, error);
  } else {
    ok = soup_server_listen_local (self->soup, port, 0, &local_error);
    /* No usable ::1 here: loopback IPv4 alone will do. */
    if (!ok) {
      g_clear_error (&local_error);
      soup_server_disconnect (self->soup);
      ok = soup_server_listen_local (self->soup, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error);
    }
    if (!ok)
      g_propagate_error (error, g_steal_pointer (&local_error));
  }
  if (!ok)
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    bound_port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->url = g_strdup_printf ("http://127.0.0.1:%u" API_PREFIX, bound_port);
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

  /* Held and delayed requests end now, unapplied, so that nothing hangs. */
  pending = g_hash_table_get_keys (self->requests);
  for (const GList *l = pending; l != NULL; l = l->next)
    request_close (l->data);

  if (self->store != NULL && !aa_server_store_flush (self->store, &error))
    g_message ("%s", error->message);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
