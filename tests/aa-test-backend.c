/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-test-backend.h"

JsonObject *
aa_test_backend_find (GPtrArray  *objects,
                      const char *id)
{
  for (guint i = 0; i < objects->len; i++) {
    JsonObject *object = g_ptr_array_index (objects, i);

    if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
      return object;
  }
  return NULL;
}

void
aa_test_backend_reply (SoupServerMessage *msg,
                       guint              status,
                       const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

void
aa_test_backend_reply_node (SoupServerMessage *msg,
                            guint              status,
                            JsonNode          *node)
{
  g_autofree char *body = json_to_string (node, FALSE);

  aa_test_backend_reply (msg, status, body);
}

char *
aa_test_backend_listen (SoupServer *server,
                        guint16    *out_port)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint16 port;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (out_port != NULL)
    *out_port = port;

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}
