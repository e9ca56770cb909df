/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "aa-bookmarks-fixture.h"
#include "aa-test-backend.h"

/* The domain: bookmarks, defined here and nowhere in the engine */

/* Sets fields of a bookmark: star, rename. Undo is the inverse patch. */
struct _BmPatch
{
  AaOperation parent_instance;
};

G_DEFINE_FINAL_TYPE (BmPatch, bm_patch, AA_TYPE_OPERATION)

static AaRequest *
bm_patch_build_request (AaOperation *operation,
                        AaMutation  *mutation)
{
  g_autofree char *path = aa_path_build ("bookmarks", aa_resource_get_id (aa_mutation_get_target (mutation)), NULL);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (body, aa_mutation_get_patch (mutation));
  return aa_request_new ("PATCH", path, body, -1);
}

static char *
bm_patch_format_failure (AaOperation  *operation,
                         AaMutation   *mutation,
                         const GError *error)
{
  g_autofree char *what = g_strdup_printf ("Couldn’t change the bookmark “%s”.", aa_mutation_get_subject (mutation));

  return aa_feedback_compose_failure (what, mutation, error);
}

static void
bm_patch_class_init (BmPatchClass *klass)
{
  AA_OPERATION_CLASS (klass)->build_request = bm_patch_build_request;
  AA_OPERATION_CLASS (klass)->format_failure = bm_patch_format_failure;
}

static void
bm_patch_init (BmPatch *self)
{
}

/* Adds a bookmark: POST /bookmarks, its target local until the answer. */
struct _BmCreate
{
  AaOperation parent_instance;
};

G_DEFINE_FINAL_TYPE (BmCreate, bm_create, AA_TYPE_OPERATION)

static AaRequest *
bm_create_build_request (AaOperation *operation,
                         AaMutation  *mutation)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (body, aa_mutation_get_patch (mutation));
  return aa_request_new ("POST", "/bookmarks", body, -1);
}

static void
bm_create_class_init (BmCreateClass *klass)
{
  AA_OPERATION_CLASS (klass)->build_request = bm_create_build_request;
}

static void
bm_create_init (BmCreate *self)
{
}

/* Fixture */

void
wait_until (Condition condition,
            gpointer  data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

/* The backend holds two requests: an engine's SENT is its side of the
 * wire, and a request can still be on its way under load. */
gboolean
holds_two (gpointer data)
{
  return ((Backend *) data)->held->len >= 2;
}

gboolean
settled (gpointer data)
{
  return !aa_mutation_is_pending (data);
}

gboolean
refreshed (gpointer data)
{
  return *(gboolean *) data;
}

void
refresh (Fixture *f)
{
  aa_test_backend_refresh (f->store, "/bookmarks");
}

static void
feedback_cb (AaEngine   *engine,
             AaFeedback *feedback,
             Fixture    *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AaRule rule = {
    AA_POLICY_OPTIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_NONE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
  };

  f->backend = backend_start ();
  f->client = aa_rest_client_new (f->backend->url);
  aa_rest_client_set_backend_features (f->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  f->engine = aa_engine_new (f->client);
  f->store = aa_resource_store_new (f->engine, AA_TYPE_RESOURCE);
  f->patch = g_object_new (BM_TYPE_PATCH, "name", "patch-bookmark",
                           "flags", AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE, NULL);
  aa_operation_set_rule (f->patch, &rule);
  f->create = g_object_new (BM_TYPE_CREATE, "name", "add-bookmark", "flags", AA_OPERATION_CREATES, NULL);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->engine, "feedback", G_CALLBACK (feedback_cb), f);
  refresh (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 3);
}

gboolean
idle (gpointer data)
{
  return aa_engine_get_n_pending (AA_ENGINE (data)) == 0;
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  release (f->backend);
  wait_until (idle, f->engine);
  g_ptr_array_unref (f->feedback);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->engine);
  g_object_unref (f->patch);
  g_object_unref (f->create);
  g_assert_finalize_object (f->client);
  backend_free (f->backend);
}

AaResource *
bookmark (Fixture    *f,
          const char *id)
{
  AaResource *resource = aa_resource_store_lookup (f->store, id);

  g_assert_nonnull (resource);
  return resource;
}

gboolean
shown_boolean (AaResource *resource,
               const char *member)
{
  return aa_state_get_boolean (aa_resource_get_shown (resource), member, FALSE);
}

const char *
shown_string (AaResource *resource,
              const char *member)
{
  return aa_state_get_string (aa_resource_get_shown (resource), member, NULL);
}

AaMutation *
set_member (Fixture    *f,
            AaResource *resource,
            const char *member,
            JsonNode   *value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  json_object_set_member (patch, member, value);
  mutation = aa_mutation_new (f->patch, resource, shown_string (resource, "title"), patch);
  return aa_engine_run (f->engine, mutation);
}

AaMutation *
star (Fixture    *f,
      AaResource *resource,
      gboolean    starred)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, starred);
  return set_member (f, resource, "starred", value);
}

AaMutation *
rename_bookmark (Fixture    *f,
                 AaResource *resource,
                 const char *title)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, title);
  return set_member (f, resource, "title", value);
}
