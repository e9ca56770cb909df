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

void
aa_test_backend_reply_list (SoupServerMessage *msg,
                            GPtrArray         *objects)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  json_node_set_array (node, array);
  aa_test_backend_reply_node (msg, 200, node);
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

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
aa_test_backend_refresh (AaResourceStore *store,
                         const char      *path)
{
  gboolean done = FALSE;

  aa_resource_store_refresh_async (store, path, NULL, refresh_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

struct _AaTestPatch
{
  AaOperation  parent_instance;
  char        *collection;
};

G_DEFINE_FINAL_TYPE (AaTestPatch, aa_test_patch, AA_TYPE_OPERATION)

static AaRequest *
aa_test_patch_build_request (AaOperation *operation,
                             AaMutation  *mutation)
{
  AaTestPatch *self = AA_TEST_PATCH (operation);
  g_autofree char *path = aa_path_build (self->collection, aa_resource_get_id (aa_mutation_get_target (mutation)), NULL);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (body, aa_mutation_get_patch (mutation));
  return aa_request_new ("PATCH", path, body, -1);
}

static void
aa_test_patch_finalize (GObject *object)
{
  g_free (AA_TEST_PATCH (object)->collection);
  G_OBJECT_CLASS (aa_test_patch_parent_class)->finalize (object);
}

static void
aa_test_patch_class_init (AaTestPatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aa_test_patch_finalize;
  AA_OPERATION_CLASS (klass)->build_request = aa_test_patch_build_request;
}

static void
aa_test_patch_init (AaTestPatch *self)
{
}

AaOperation *
aa_test_patch_new (const char *name,
                   const char *collection)
{
  AaTestPatch *self = g_object_new (AA_TEST_TYPE_PATCH, "name", name, "flags", AA_OPERATION_SETS_FIELDS, NULL);

  self->collection = g_strdup (collection);
  return AA_OPERATION (self);
}
