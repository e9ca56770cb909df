/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-routes"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-private.h"

/* The store's answer: @node with @status, or the store's @error. */
static void
reply_result (AaServerReply *reply,
              guint          status,
              JsonNode      *node,
              const GError  *error)
{
  if (node == NULL)
    aa_server_reply_store_error (reply, error);
  else
    aa_server_reply_json (reply, status, node);
}

static char *
etag_for_version (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

/* Request bodies. */

/* Whether a JSON text holds "\u0000" inside a string. */
static gboolean
has_nul_escape (const char *data,
                gsize       length)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++) {
    if (!in_string) {
      in_string = data[i] == '"';
    } else if (data[i] == '"') {
      in_string = FALSE;
    } else if (data[i] == '\\' && i + 1 < length) {
      if (data[i + 1] == 'u' && i + 5 < length && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;
    }
  }

  return FALSE;
}

static JsonNode *
parse_body (SoupServerMessage *msg,
            AaServerReply     *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0 || data == NULL) {
    aa_server_reply_error (reply, 400, "invalid_json", _("The request needs a JSON body."));
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &error) ||
      json_parser_get_root (parser) == NULL) {
    g_autofree char *message = g_strdup_printf (_("The body is not valid JSON: %s"),
                                                error != NULL ? error->message : _("it is empty"));

    aa_server_reply_error (reply, 400, "invalid_json", message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    aa_server_reply_error (reply, 422, "validation_failed", _("The body must be a JSON object."));
    return NULL;
  }
  /* json-glib would cut such a string short: refuse it rather than store
   * less than was sent. */
  if (has_nul_escape (data, length)) {
    aa_server_reply_error (reply, 422, "validation_failed",
                           _("The text contains a NUL character (\\u0000), which can’t be stored. Remove it."));
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
              AaServerReply *reply)
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

      aa_server_reply_error (reply, 422, "validation_failed", message);
      return FALSE;
    }

    if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != field->type) {
      g_autofree char *message =
        g_strdup_printf (field->type == G_TYPE_BOOLEAN ? _("The field “%s” must be true or false.")
                                                       : _("The field “%s” must be a string."),
                         name);

      aa_server_reply_error (reply, 422, "validation_failed", message);
      return FALSE;
    }
  }

  return TRUE;
}

/* The body as a JSON object of these @fields, or NULL with @reply set. */
static JsonNode *
parse_fields (SoupServerMessage *msg,
              const Field       *fields,
              guint              n_fields,
              AaServerReply     *reply)
{
  g_autoptr(JsonNode) root = parse_body (msg, reply);

  if (root == NULL || !check_fields (json_node_get_object (root), fields, n_fields, reply))
    return NULL;

  return g_steal_pointer (&root);
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
  gboolean quoted;
  gint64 version;

  if (header == NULL)
    return -1;

  value = g_strstrip (g_strdup (header));
  if (g_str_equal (value, "*"))
    return -1;

  p = value;
  if (g_str_has_prefix (p, "W/"))
    p += 2;
  quoted = *p == '"';
  if (quoted)
    p++;
  version = g_ascii_strtoll (p, &end, 10);
  /* A quote opened is closed, and nothing follows the tag. */
  if (quoted && *end == '"')
    end++;
  else if (quoted)
    return G_MAXINT64;
  if (end == p || !g_ascii_isdigit (*p) || version < 0 || *end != '\0')
    return G_MAXINT64;

  return version;
}

/* The API handlers. */

/* Damaged records are left out of a list, which stays readable, and named
 * here; each one answers 500 damaged_record on its own. */
static void
name_damaged (AaServer        *self,
              AaServerRequest *req,
              const char      *collection)
{
  g_autofree char *damaged = aa_server_store_dup_damaged (self->store, collection);

  if (damaged != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                  "Aa-Damaged-Records", damaged);
}

/* A list, whole or (with "limit" and "after") a page of it: see the REST
 * contract in the README. A bad value is a 400 that says which. */
static void
reply_list (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply,
            gboolean         trashed)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *limit_text;
  const char *after;
  guint64 limit = AA_SERVER_PAGE_MAX;
  GBytes *page;

  name_damaged (self, req, "items");

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (query != NULL && params == NULL) {
    aa_server_reply_error (reply, 400, "invalid_parameter", _("The query of the list can’t be read."));
    return;
  }

  limit_text = params != NULL ? g_hash_table_lookup (params, "limit") : NULL;
  after = params != NULL ? g_hash_table_lookup (params, "after") : NULL;
  if (limit_text == NULL && after == NULL) {
    aa_server_reply_raw (reply, 200, aa_server_store_list_items (self->store, trashed));
    return;
  }

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, AA_SERVER_PAGE_MAX, &limit, NULL)) {
    g_autofree char *message = g_strdup_printf (_("“limit” must be a whole number from 1 to %u."), AA_SERVER_PAGE_MAX);

    aa_server_reply_error (reply, 400, "invalid_parameter", message);
    return;
  }
  if (after != NULL && *after == '\0') {
    aa_server_reply_error (reply, 400, "invalid_parameter", _("“after” must be the id of a note in the list."));
    return;
  }

  page = aa_server_store_list_items_page (self->store, trashed, after, (guint) limit, &error);
  if (page == NULL)
    aa_server_reply_error (reply, 400, "invalid_parameter", error->message);
  else
    aa_server_reply_raw (reply, 200, page);
}

static void
list_items (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply)
{
  reply_list (self, req, reply, FALSE);
}

static void
get_item (AaServer        *self,
          AaServerRequest *req,
          AaServerReply   *reply)
{
  g_autoptr(GError) error = NULL;
  GBytes *json;
  gint64 version;

  json = aa_server_store_get_item (self->store, req->id, &version, &error);
  if (json == NULL) {
    aa_server_reply_store_error (reply, error);
    return;
  }

  aa_server_reply_raw (reply, 200, json);
  reply->etag = etag_for_version (version);
}

static const Field item_fields[] = {
  { "title", G_TYPE_STRING },
  { "notes", G_TYPE_STRING },
  { "starred", G_TYPE_BOOLEAN },
  { "done", G_TYPE_BOOLEAN },
};

static void
create_item (AaServer        *self,
             AaServerRequest *req,
             AaServerReply   *reply)
{
  g_autoptr(JsonNode) root = parse_fields (req->msg, item_fields, G_N_ELEMENTS (item_fields), reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;
  gint64 version;

  if (root == NULL)
    return;
  object = json_node_get_object (root);

  node = aa_server_store_create_item (self->store,
                                      get_string (object, "title"),
                                      get_string (object, "notes"),
                                      get_flag (object, "starred") == 1,
                                      get_flag (object, "done") == 1,
                                      &version, &error);
  if (node == NULL) {
    aa_server_reply_store_error (reply, error);
    return;
  }

  aa_server_reply_json (reply, 201, node);
  reply->etag = etag_for_version (version);
}

static void
update_item (AaServer        *self,
             AaServerRequest *req,
             AaServerReply   *reply)
{
  g_autoptr(JsonNode) root = parse_fields (req->msg, item_fields, G_N_ELEMENTS (item_fields), reply);
  g_autoptr(GError) error = NULL;
  AaServerItemChange change;
  const char *if_match;
  JsonObject *object;
  JsonNode *node;
  gint64 version;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (json_object_get_size (object) == 0) {
    aa_server_reply_error (reply, 422, "validation_failed",
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
    aa_server_reply_store_error (reply, error);
    return;
  }

  aa_server_reply_json (reply, 200, node);
  reply->etag = etag_for_version (version);
}

static void
trash_item (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = aa_server_store_trash_item (self->store, req->id, &error);

  reply_result (reply, 200, node, error);
}

static void
restore_item (AaServer        *self,
              AaServerRequest *req,
              AaServerReply   *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = aa_server_store_restore_item (self->store, req->id, &error);

  reply_result (reply, 200, node, error);
}

static void
list_trash (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply)
{
  reply_list (self, req, reply, TRUE);
}

static void
empty_trash (AaServer        *self,
             AaServerRequest *req,
             AaServerReply   *reply)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "purged", aa_server_store_empty_trash (self->store));
  json_node_take_object (node, object);
  aa_server_reply_json (reply, 200, node);
}

static void
list_invoices (AaServer        *self,
               AaServerRequest *req,
               AaServerReply   *reply)
{
  name_damaged (self, req, "invoices");
  aa_server_reply_raw (reply, 200, aa_server_store_list_invoices (self->store));
}

static void
pay_invoice (AaServer        *self,
             AaServerRequest *req,
             AaServerReply   *reply)
{
  static const Field fields[] = {
    { "invoice_id", G_TYPE_STRING },
    { "card_number", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_fields (req->msg, fields, G_N_ELEMENTS (fields), reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "invoice_id")) {
    aa_server_reply_error (reply, 422, "validation_failed", _("Say which invoice to pay with “invoice_id”."));
    return;
  }

  node = aa_server_store_pay_invoice (self->store,
                                      get_string (object, "invoice_id"),
                                      get_string (object, "card_number"),
                                      &error);
  reply_result (reply, 201, node, error);
}

static void
list_members (AaServer        *self,
              AaServerRequest *req,
              AaServerReply   *reply)
{
  name_damaged (self, req, "members");
  aa_server_reply_raw (reply, 200, aa_server_store_list_members (self->store));
}

static void
get_me (AaServer        *self,
        AaServerRequest *req,
        AaServerReply   *reply)
{
  aa_server_reply_raw (reply, 200, aa_server_store_get_me (self->store));
}

static void
set_role (AaServer        *self,
          AaServerRequest *req,
          AaServerReply   *reply)
{
  static const Field fields[] = {
    { "role", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_fields (req->msg, fields, G_N_ELEMENTS (fields), reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);

  node = aa_server_store_set_role (self->store, req->id, get_string (object, "role"), &error);
  reply_result (reply, 200, node, error);
}

const AaServerRoute aa_server_api_routes[] = {
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
const guint aa_server_n_api_routes = G_N_ELEMENTS (aa_server_api_routes);

/* The demo controls (no latency, no faults, no idempotency). */

static void
get_faults (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply)
{
  aa_server_reply_json (reply, 200, aa_server_faults_to_json (&self->faults));
}

static void
put_faults (AaServer        *self,
            AaServerRequest *req,
            AaServerReply   *reply)
{
  g_autoptr(JsonNode) root = parse_body (req->msg, reply);
  g_autofree char *message = NULL;
  guint latency_ms = self->faults.latency_ms;
  double failure_rate = self->faults.failure_rate;
  guint32 seed = self->faults.seed;

  if (root == NULL)
    return;

  if (!aa_server_faults_update (&self->faults, json_node_get_object (root), &message)) {
    aa_server_reply_error (reply, 422, "validation_failed", message);
    return;
  }

  /* Offline, the streams of changes end too, and stay away until online. */
  if (self->faults.offline)
    aa_server_streams_close_all (self);

  /* The same values are AaServer properties. */
  if (latency_ms != self->faults.latency_ms)
    g_object_notify (G_OBJECT (self), "latency-ms");
  if (failure_rate != self->faults.failure_rate)
    g_object_notify (G_OBJECT (self), "failure-rate");
  if (seed != self->faults.seed)
    g_object_notify (G_OBJECT (self), "seed");

  aa_server_reply_json (reply, 200, aa_server_faults_to_json (&self->faults));
}

static void
get_stats (AaServer        *self,
           AaServerRequest *req,
           AaServerReply   *reply)
{
  aa_server_reply_json (reply, 200, aa_server_stats_to_json (&self->stats));
}

static void
put_session (AaServer        *self,
             AaServerRequest *req,
             AaServerReply   *reply)
{
  static const Field fields[] = {
    { "member_id", G_TYPE_STRING },
  };
  g_autoptr(JsonNode) root = parse_fields (req->msg, fields, G_N_ELEMENTS (fields), reply);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *node;

  if (root == NULL)
    return;
  object = json_node_get_object (root);

  node = aa_server_store_set_session (self->store, get_string (object, "member_id"), &error);
  reply_result (reply, 200, node, error);
}

/* The demo's "cut the live stream": every GET /events connection ends now;
 * the clients come back with Last-Event-ID. */
static void
drop_streams (AaServer        *self,
              AaServerRequest *req,
              AaServerReply   *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dropped");
  json_builder_add_int_value (builder, aa_server_streams_close_all (self));
  json_builder_end_object (builder);
  aa_server_reply_json (reply, 200, json_builder_get_root (builder));
}

const AaServerRoute aa_server_control_routes[] = {
  { "GET", "/_control/faults",  get_faults },
  { "PUT", "/_control/faults",  put_faults },
  { "GET", "/_control/stats",   get_stats },
  { "PUT", "/_control/session", put_session },
  { "POST", "/_control/drop-streams", drop_streams },
};
const guint aa_server_n_control_routes = G_N_ELEMENTS (aa_server_control_routes);

/* Routing. */

/* The end of the segment that starts at @p. */
static const char *
segment_end (const char *p)
{
  while (*p != '\0' && *p != '/')
    p++;

  return p;
}

/* Walks @pattern and @path segment by segment, without copying them: this
 * runs for every route of every request. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **out_id)
{
  const char *id = NULL;
  gsize id_length = 0;

  while (*pattern != '\0' && *path != '\0') {
    const char *want_end = segment_end (pattern);
    const char *have_end = segment_end (path);
    gsize want = (gsize) (want_end - pattern);
    gsize have = (gsize) (have_end - path);

    if (want == 1 && *pattern == '*') {
      if (have == 0)
        return FALSE;
      id = path;
      id_length = have;
    } else if (want != have || memcmp (pattern, path, want) != 0) {
      return FALSE;
    }

    pattern = want_end;
    path = have_end;
    /* The separators go together: one more segment on both sides or none. */
    if ((*pattern == '/') != (*path == '/'))
      return FALSE;
    if (*pattern == '/') {
      pattern++;
      path++;
    }
  }
  if (*pattern != '\0' || *path != '\0')
    return FALSE;

  if (id != NULL) {
    g_autofree char *segment = g_strndup (id, id_length);
    char *unescaped = g_uri_unescape_string (segment, NULL);

    if (unescaped == NULL)
      return FALSE;
    if (out_id != NULL)
      *out_id = unescaped;
    else
      g_free (unescaped);
  }

  return TRUE;
}

/* Finds the route, or fills @reply with 404 or 405 (and its Allow header). */
const AaServerRoute *
aa_server_find_route (const AaServerRoute  *routes,
            guint         n_routes,
            const char   *method,
            const char   *path,
            char        **out_id,
            AaServerReply *reply)
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

    aa_server_reply_error (reply, 405, "method_not_allowed", message);
    reply->allow = g_string_free (g_steal_pointer (&allow), FALSE);
  } else {
    aa_server_reply_error (reply, 404, "not_found", _("There is nothing at this address. Check the path."));
  }

  return NULL;
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "application/json") == 0 ||
          g_str_has_suffix (content_type, "+json"));
}

/* 413 and 415, common to every request with a body. */
gboolean
aa_server_check_body (SoupServerMessage *msg,
            AaServerReply     *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type;

  if (body->length > AA_SERVER_MAX_BODY_BYTES) {
    aa_server_reply_error (reply, 413, "payload_too_large", _("The body is larger than 64 KiB. Send less."));
    return FALSE;
  }

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (body->length > 0 && !is_json_type (content_type)) {
    aa_server_reply_error (reply, 415, "unsupported_media_type",
                 _("Send the body as JSON, with “Content-Type: application/json”."));
    return FALSE;
  }

  return TRUE;
}


gboolean
aa_server_may_replay (AaServer        *self,
                      AaServerRequest *req,
                      AaServerReply   *refusal)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  /* Role changes are the one change that depends on who asks: a member who
   * lost the right since must not get the old success again. */
  if (req->route->handler != set_role)
    return TRUE;

  root = parse_body (req->msg, refusal);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);
  if (!aa_server_store_may_set_role (self->store, req->id, get_string (object, "role"), &error)) {
    aa_server_reply_store_error (refusal, error);
    return FALSE;
  }

  return TRUE;
}
