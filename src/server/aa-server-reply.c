/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-reply"

#include "config.h"

#include <string.h>

#include "aa-server-reply-private.h"
#include "aa-server-store.h"

void
aa_server_reply_clear (AaServerReply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
  g_clear_pointer (&reply->raw, g_bytes_unref);
  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->message, g_free);
  g_clear_pointer (&reply->etag, g_free);
  g_clear_pointer (&reply->allow, g_free);
  reply->status = 0;
}

void
aa_server_reply_json (AaServerReply *reply,
                      guint          status,
                      JsonNode      *body)
{
  aa_server_reply_clear (reply);
  reply->status = status;
  reply->body = body;
}

void
aa_server_reply_raw (AaServerReply *reply,
                     guint          status,
                     GBytes        *body)
{
  aa_server_reply_clear (reply);
  reply->status = status;
  reply->raw = body;
}

void
aa_server_reply_error (AaServerReply *reply,
                       guint          status,
                       const char    *code,
                       const char    *message)
{
  aa_server_reply_clear (reply);
  reply->status = status;
  reply->code = g_strdup (code);
  reply->message = g_strdup (message);
}

void
aa_server_reply_store_error (AaServerReply *reply,
                             const GError  *error)
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
    { AA_SERVER_STORE_ERROR_DAMAGED, 500, "damaged_record" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++) {
    if (g_error_matches (error, AA_SERVER_STORE_ERROR, map[i].code)) {
      aa_server_reply_error (reply, map[i].status, map[i].name, error->message);
      return;
    }
  }

  aa_server_reply_error (reply, 500, "storage_failed", error->message);
}

static GBytes *
node_to_bytes (JsonNode *node)
{
  char *data = json_to_string (node, FALSE);

  return g_bytes_new_take (data, strlen (data));
}

GBytes *
aa_server_error_body (const char *code,
                      const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code != NULL ? code : "server_error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message != NULL ? message : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return node_to_bytes (root);
}

GBytes *
aa_server_reply_to_bytes (const AaServerReply *reply)
{
  if (reply->raw != NULL)
    return g_bytes_ref (reply->raw);
  if (reply->body != NULL)
    return node_to_bytes (reply->body);

  return aa_server_error_body (reply->code, reply->message);
}
