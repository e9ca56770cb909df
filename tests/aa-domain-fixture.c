/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-domain-fixture.h"

void
feedback_cb (AaActionManager *manager,
             AaFeedback      *feedback,
             Fixture         *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

void
refresh (Fixture *f)
{
  Wait wait = { 0, };

  aa_action_manager_refresh_async (f->manager, AA_REFRESH_ALL, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = aa_test_server_start (NULL);
  f->client = aa_rest_client_new (f->server->url);
  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  f->manager = aa_action_manager_new (f->client);
  f->control = aa_demo_control_new (f->manager);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (aa_action_manager_get_engine (f->manager), "feedback", G_CALLBACK (feedback_cb), f);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (f->manager)), >=, 5);
}

gboolean
idle (gpointer data)
{
  Fixture *f = data;

  return aa_engine_get_n_pending (aa_action_manager_get_engine (f->manager)) == 0;
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  aa_test_wait_until (idle, f, 10000);
  g_clear_pointer (&f->feedback, g_ptr_array_unref);
  g_assert_finalize_object (f->control);
  g_assert_finalize_object (f->manager);
  g_assert_finalize_object (f->client);
  g_clear_pointer (&f->server, aa_test_server_free);
}

void
wait_settled (AaMutation *mutation)
{
  aa_test_wait_settled (mutation, 10000);
}

/* Borrowed: the model keeps it alive. */
AaItem *
item_at (Fixture *f,
         guint    position)
{
  g_autoptr(AaItem) item = g_list_model_get_item (aa_action_manager_get_items (f->manager), position);

  g_assert_nonnull (item);
  return item;
}

gint
model_index (GListModel *model,
             gpointer    object)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(GObject) candidate = g_list_model_get_item (model, i);

    if (candidate == object)
      return (gint) i;
  }

  return -1;
}

const char *
item_id (AaItem *item)
{
  return aa_resource_get_id (AA_RESOURCE (item));
}

JsonArray *
server_list (Fixture    *f,
             const char *path,
             JsonNode  **out_node)
{
  guint status = 0;

  *out_node = aa_test_request (f->server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (*out_node);

  return json_node_get_array (*out_node);
}

/* The position of @id in the server's GET @path list, or -1. */
gint
server_index (Fixture    *f,
              const char *path,
              const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = server_list (f, path, &node);

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
      return (gint) i;
  }

  return -1;
}

JsonObject *
server_item (Fixture    *f,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (f->server, "GET", path, NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  return json_object_ref (json_node_get_object (node));
}

guint
count_item_requests (Fixture    *f,
                     const char *method,
                     AaItem     *item)
{
  g_autofree char *prefix = g_strdup_printf ("/items/%s", item_id (item));

  return aa_test_count_requests (f->server, method, prefix);
}

AaFeedback *
last_feedback (Fixture *f)
{
  g_assert_cmpuint (f->feedback->len, >, 0);
  return g_ptr_array_index (f->feedback, f->feedback->len - 1);
}

void
assert_feedback (AaFeedback       *feedback,
                 AaMutation       *mutation,
                 AaFeedbackTier    tier,
                 AaFeedbackAction  action)
{
  g_assert_true (aa_feedback_get_mutation (feedback) == mutation);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, tier);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, action);
  g_assert_cmpstr (aa_feedback_get_title (feedback), !=, "");
  g_assert_null (strstr (aa_feedback_get_title (feedback), "Something went wrong"));
}

guint
count_notify (GObject    *object,
              const char *property)
{
  return GPOINTER_TO_UINT (g_object_get_data (object, property));
}

void
notify_counter_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  const char *name = g_param_spec_get_name (pspec);

  g_object_set_data (object, name, GUINT_TO_POINTER (count_notify (object, name) + 1));
}
