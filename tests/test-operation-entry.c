/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Operations declared, not subclassed: an AaOperationEntry table added to
 * an engine with one call, against the demo server on a thread of its own.
 * The request comes from the method and path template, the messages from
 * templates, an undo's feedback from its own operation's rule, and a
 * removal (a delete on a backend without a Trash) leaves the list at once
 * and is undone by a re-create that says "Restored". */

#include "config.h"

#include <async-actions.h>

#include "aa-test-backend.h"
#include "aa-test-utils.h"

#define TOAST_RETRY { .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY }

static const char * const item_fields[] = { "title", "notes", "starred", "done", NULL };

static const AaOperationEntry entries[] = {
  { .name = "star", .method = "PATCH", .path = "/items/{id}",
    .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    .rule = { .success = AA_FEEDBACK_TIER_TOAST, .success_action = AA_FEEDBACK_ACTION_UNDO },
    .label = "Star “{subject}”", .success = "Starred “{subject}”", .failure = "Couldn’t star “{subject}”.",
    .undo = "unstar" },
  /* Its undo, with a rule of its own: a quiet success. */
  { .name = "unstar", .method = "PATCH", .path = "/items/{id}",
    .flags = AA_OPERATION_SETS_FIELDS, .rule = { .success = AA_FEEDBACK_TIER_INLINE },
    .success = "Unstarred “{subject}”" },
  { .name = "rename", .method = "PATCH", .path = "/items/{id}", .if_match = TRUE,
    .flags = AA_OPERATION_SETS_FIELDS, .fields = item_fields, .rule = TOAST_RETRY },
  { .name = "recreate", .method = "POST", .path = "/items",
    .flags = AA_OPERATION_CREATES, .fields = item_fields, .rule = TOAST_RETRY },
  { .name = "delete", .method = "DELETE", .path = "/items/{id}",
    .flags = AA_OPERATION_REMOVES | AA_OPERATION_UNDOABLE, .undo = "recreate",
    .rule = { .success = AA_FEEDBACK_TIER_TOAST, .success_action = AA_FEEDBACK_ACTION_UNDO,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY } },
};

typedef struct {
  AaTestServer    *server;
  AaRestClient    *client;
  AaEngine        *engine;
  AaResourceStore *store;
  GPtrArray       *feedback;  /* AaFeedback, in emission order */
} Fixture;

static void
feedback_cb (AaEngine   *engine,
             AaFeedback *feedback,
             Fixture    *f)
{
  g_ptr_array_add (f->feedback, g_object_ref (feedback));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = aa_test_server_start (NULL);
  f->client = aa_rest_client_new (f->server->url);
  f->engine = aa_engine_new (f->client);
  f->store = aa_resource_store_new (f->engine, AA_TYPE_RESOURCE);
  f->feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->engine, "feedback", G_CALLBACK (feedback_cb), f);
  aa_engine_add_operations (f->engine, entries, G_N_ELEMENTS (entries), f->store, NULL, NULL);
  aa_test_backend_refresh (f->store, "/items");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), >, 2);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->feedback, g_ptr_array_unref);
  g_clear_object (&f->store);
  g_clear_object (&f->engine);
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, aa_test_server_free);
}

static AaResource *
nth (Fixture *f,
     guint    i)
{
  g_autoptr(AaResource) resource = g_list_model_get_item (G_LIST_MODEL (f->store), i);

  return resource;  /* the store keeps it */
}

static AaFeedback *
last_feedback (Fixture *f)
{
  g_assert_cmpuint (f->feedback->len, >, 0);
  return g_ptr_array_index (f->feedback, f->feedback->len - 1);
}

static JsonObject *
boolean_patch (const char *name,
               gboolean    value)
{
  JsonObject *patch = json_object_new ();

  json_object_set_boolean_member (patch, name, value);
  return patch;
}

/* The declaration is the operation's properties, and its request. */
static void
test_entry_declares (Fixture       *f,
                     gconstpointer  data)
{
  AaOperation *rename = aa_engine_lookup_operation (f->engine, "rename");
  AaOperation *delete = aa_engine_lookup_operation (f->engine, "delete");
  AaResource *note = nth (f, 0);
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  g_autoptr(AaRequest) request = NULL;
  g_autoptr(AaRule) rule = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *label = NULL;

  g_assert_nonnull (rename);
  g_assert_null (aa_engine_lookup_operation (f->engine, "no-such-operation"));
  g_assert_cmpstr (aa_operation_get_method (rename), ==, "PATCH");
  g_assert_cmpstr (aa_operation_get_path (rename), ==, "/items/{id}");
  g_assert_true (aa_operation_get_undo (delete) == aa_engine_lookup_operation (f->engine, "recreate"));
  g_assert_null (aa_operation_get_undo (rename));
  g_object_get (rename, "rule", &rule, NULL);
  g_assert_cmpint (rule->failure, ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (rule->success, ==, AA_FEEDBACK_TIER_NONE);

  /* The declared fields only, never "id"; If-Match with the base version. */
  json_object_set_string_member (patch, "title", "Renamed");
  json_object_set_string_member (patch, "id", "sneaky");
  json_object_set_string_member (patch, "version", "7");
  mutation = aa_mutation_new (rename, note, "A %s %n note", patch);
  aa_mutation_set_base_version (mutation, 3);
  request = aa_operation_build_request (rename, mutation);
  path = g_strconcat ("/items/", aa_resource_get_id (note), NULL);
  g_assert_cmpstr (aa_request_get_method (request), ==, "PATCH");
  g_assert_cmpstr (aa_request_get_path (request), ==, path);
  g_assert_cmpint (aa_request_get_if_match (request), ==, 3);
  body = json_to_string (aa_request_get_body (request), FALSE);
  g_assert_cmpstr (body, ==, "{\"title\":\"Renamed\"}");

  /* No template: the default of its method. A subject is never a format. */
  label = aa_operation_format_label (rename, mutation);
  g_assert_cmpstr (label, ==, "Change “A %s %n note”");
}

/* The undo's feedback comes from the undo operation's own rule and
 * messages, and an undo never offers Undo. */
static void
test_undo_rule (Fixture       *f,
                gconstpointer  data)
{
  AaOperation *star = aa_engine_lookup_operation (f->engine, "star");
  AaResource *note = nth (f, 1);
  g_autoptr(JsonObject) patch = boolean_patch ("starred", !aa_state_get_boolean (aa_resource_get_shown (note),
                                                                                  "starred", FALSE));
  g_autoptr(AaMutation) mutation = aa_mutation_new (star, note, "Fix bike", patch);
  AaMutation *undo;

  aa_engine_run (f->engine, mutation);
  aa_test_wait_settled (mutation, 10000);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_feedback_get_tier (last_feedback (f)), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (last_feedback (f)), ==, AA_FEEDBACK_ACTION_UNDO);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Starred “Fix bike”");

  undo = aa_engine_undo (f->engine, mutation);
  g_assert_nonnull (undo);
  g_assert_true (aa_mutation_get_operation (undo) == aa_engine_lookup_operation (f->engine, "unstar"));
  aa_test_wait_settled (undo, 10000);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  /* Unstar's rule: an inline success, with no action; not a fixed rule. */
  g_assert_true (aa_feedback_get_mutation (last_feedback (f)) == undo);
  g_assert_cmpint (aa_feedback_get_tier (last_feedback (f)), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (aa_feedback_get_action (last_feedback (f)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Unstarred “Fix bike”");
}

static gboolean
contains (AaResourceStore *store,
          AaResource      *resource,
          guint           *out_position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++) {
    g_autoptr(AaResource) item = g_list_model_get_item (G_LIST_MODEL (store), i);

    if (item == resource) {
      *out_position = i;
      return TRUE;
    }
  }
  return FALSE;
}

/* A removal leaves the list at once; its undo re-creates the object where
 * it was, under the server's new id, and says "Restored". */
static void
test_removes (Fixture       *f,
              gconstpointer  data)
{
  AaOperation *delete = aa_engine_lookup_operation (f->engine, "delete");
  g_autoptr(AaResource) note = g_object_ref (nth (f, 1));
  g_autofree char *old_id = g_strdup (aa_resource_get_id (note));
  g_autofree char *title = g_strdup (aa_state_get_string (aa_resource_get_shown (note), "title", NULL));
  g_autoptr(AaMutation) deletion = aa_mutation_new (delete, note, title, NULL);
  g_autofree char *restore = g_strdup_printf ("Restore “%s”", title);
  g_autofree char *restored = g_strdup_printf ("Restored “%s”", title);
  g_autofree char *success = NULL;
  AaMutation *undo;
  guint position;

  aa_engine_run (f->engine, deletion);
  g_assert_false (contains (f->store, note, &position));
  aa_test_wait_settled (deletion, 10000);
  g_assert_cmpint (aa_mutation_get_state (deletion), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (contains (f->store, note, &position));
  g_assert_cmpint (aa_feedback_get_action (last_feedback (f)), ==, AA_FEEDBACK_ACTION_UNDO);
  g_assert_true (g_str_has_prefix (aa_feedback_get_title (last_feedback (f)), "Deleted “"));
  g_assert_true (aa_engine_can_undo (f->engine, deletion));

  undo = aa_engine_undo (f->engine, deletion);
  g_assert_nonnull (undo);
  g_assert_true (contains (f->store, note, &position));
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpstr (aa_mutation_get_label (undo), ==, restore);
  aa_test_wait_settled (undo, 10000);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (deletion), ==, AA_MUTATION_STATE_UNDONE);
  g_assert_true (contains (f->store, note, &position));
  g_assert_false (aa_resource_is_local (note));
  g_assert_cmpstr (aa_resource_get_id (note), !=, old_id);
  g_assert_true (aa_resource_store_lookup (f->store, aa_resource_get_id (note)) == note);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (note), "title", NULL), ==, title);
  success = aa_operation_format_success (aa_mutation_get_operation (undo), undo);
  g_assert_cmpstr (success, ==, restored);
}

/* A removal that fails puts its object back where it was. */
static void
test_removes_rollback (Fixture       *f,
                       gconstpointer  data)
{
  AaOperation *delete = aa_engine_lookup_operation (f->engine, "delete");
  AaResource *note = nth (f, 2);
  g_autoptr(AaMutation) deletion = aa_mutation_new (delete, note, "Fix bike", NULL);
  guint position;

  aa_test_set_faults (f->server, "{\"next\": [\"error-500\"]}");
  aa_engine_run (f->engine, deletion);
  g_assert_false (contains (f->store, note, &position));
  aa_test_wait_settled (deletion, 10000);
  g_assert_cmpint (aa_mutation_get_state (deletion), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_true (contains (f->store, note, &position));
  g_assert_cmpuint (position, ==, 2);
  g_assert_cmpint (aa_feedback_get_action (last_feedback (f)), ==, AA_FEEDBACK_ACTION_RETRY);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==,
                   "Couldn’t delete “Fix bike”. The server had a problem. Retry in a moment.");

  /* Retry takes it out again, and this time it goes. */
  g_assert_true (aa_engine_retry (f->engine, deletion));
  g_assert_false (contains (f->store, note, &position));
  aa_test_wait_settled (deletion, 10000);
  g_assert_cmpint (aa_mutation_get_state (deletion), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (contains (f->store, note, &position));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/Aa/OperationEntry/declares", test_entry_declares);
  ADD ("/Aa/OperationEntry/undo-rule", test_undo_rule);
  ADD ("/Aa/OperationEntry/removes", test_removes);
  ADD ("/Aa/OperationEntry/removes-rollback", test_removes_rollback);
#undef ADD

  return g_test_run ();
}
