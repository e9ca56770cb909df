/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: a server's answer as the client reads it. The first
 * byte picks the HTTP status, the rest is the body, read by the REST
 * client (_aa_rest_client_read_answer(): JSON, the server's error message),
 * then by every reader of the app's resources: one object as a note, an
 * invoice and a member (what each action's confirmation and "Reload latest"
 * read), a list as each store's refresh reads it, and the states a refresh
 * applies to the stores. */

#include "config.h"

#include "aa-engine.h"
#include "aa-resource-private.h"
#include "aa-rest-client-private.h"
#include "aa-resource-store.h"
#include "aa-invoice.h"
#include "aa-item.h"
#include "aa-member.h"

static const guint statuses[] = {
  200, 201, 204, 302, 400, 401, 402, 403, 404, 405, 408, 409, 410, 412, 413,
  415, 422, 429, 500, 502, 503, 504,
};

static AaEngine *engine;
static AaResourceStore *stores[3];

static void
read_as_each_type (JsonNode *node,
                   GBytes   *body)
{
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++) {
    GType type = aa_resource_store_get_resource_type (stores[i]);
    g_autoptr(GError) error = NULL;

    if (JSON_NODE_HOLDS_OBJECT (node)) {
      g_autoptr(JsonObject) state = _aa_resource_normalize_for_type (type, json_node_get_object (node), &error);

      /* The readers' promise: a state, or an error saying why not. */
      g_assert ((state != NULL) != (error != NULL));
      if (state != NULL) {
        g_autofree char *id = aa_json_dup_id (state, "id", NULL);

        g_assert (id != NULL);
      }
    } else if (JSON_NODE_HOLDS_ARRAY (node)) {
      /* A list of its own each, as a refresh reads the answer it got. */
      g_autoptr(JsonNode) list = _aa_rest_client_read_answer (200, NULL, body, NULL);
      g_autoptr(GPtrArray) states = aa_resource_store_normalize_list (stores[i], list, &error);

      g_assert ((states != NULL) != (error != NULL));
      if (states != NULL)
        aa_resource_store_apply_states (stores[i], states, 0, NULL, NULL);
    }
  }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status;

  if (size == 0)
    return -1;

  if (engine == NULL) {
    g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");

    engine = aa_engine_new (client);
    stores[0] = aa_resource_store_new (engine, AA_TYPE_ITEM);
    stores[1] = aa_resource_store_new (engine, AA_TYPE_INVOICE);
    stores[2] = aa_resource_store_new (engine, AA_TYPE_MEMBER);
  }

  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  body = g_bytes_new (data + 1, size - 1);
  node = _aa_rest_client_read_answer (status, NULL, body, &error);

  if (node == NULL) {
    /* A failure always says what failed. */
    g_assert (error != NULL);
    g_assert (error->message != NULL && error->message[0] != '\0');
    return 0;
  }
  g_assert (error == NULL);
  g_assert (status >= 200 && status < 300);

  read_as_each_type (node, body);
  return 0;
}
