/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-domain-fixture.h"

/* The app's domain against a scripted server that holds every request until
 * the test answers it: answers in any order the network allows. */

/* Races against a scripted server: each request is held until the test
 * answers it, so answers can arrive in any order the network allows. */

typedef struct {
  SoupServer      *server;
  GPtrArray       *held;  /* SoupServerMessage, paused, in arrival order */
  char            *url;
  AaRestClient    *client;
  AaActionManager *manager;
} Script;

static void
script_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Script *script = user_data;

  soup_server_message_pause (msg);
  g_ptr_array_add (script->held, g_object_ref (msg));
}

static void
script_setup (Script        *script,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  script->held = g_ptr_array_new_with_free_func (g_object_unref);
  script->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (script->server, NULL, script_handler_cb, script, NULL);
  soup_server_listen_local (script->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (script->server);
  script->url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  script->client = aa_rest_client_new (script->url);

  aa_rest_client_set_backend_features (script->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |

                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  script->manager = aa_action_manager_new (script->client);
}

static void
script_teardown (Script        *script,
                 gconstpointer  data)
{
  g_assert_cmpuint (script->held->len, ==, 0);
  g_assert_finalize_object (script->manager);
  g_assert_finalize_object (script->client);
  soup_server_disconnect (script->server);
  g_clear_object (&script->server);
  g_clear_pointer (&script->held, g_ptr_array_unref);
  g_clear_pointer (&script->url, g_free);
}

typedef struct {
  Script     *script;
  const char *method;
  const char *path;
  guint       index;
} Expect;

static gboolean
request_arrived (gpointer data)
{
  Expect *expect = data;

  for (guint i = 0; i < expect->script->held->len; i++) {
    SoupServerMessage *msg = g_ptr_array_index (expect->script->held, i);

    if (g_str_equal (soup_server_message_get_method (msg), expect->method) &&
        g_str_has_suffix (g_uri_get_path (soup_server_message_get_uri (msg)), expect->path)) {
      expect->index = i;
      return TRUE;
    }
  }

  return FALSE;
}

/* Waits for a request to arrive and takes it out of the held ones. */
static SoupServerMessage *
script_expect (Script     *script,
               const char *method,
               const char *path)
{
  Expect expect = { script, method, path, 0 };

  aa_test_wait_until (request_arrived, &expect, 5000);
  return g_ptr_array_steal_index (script->held, expect.index);
}

static void
script_answer (SoupServerMessage *msg,
               guint              status,
               const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

#define NOTE(id, title, starred, version) \
  "{\"id\": \"" id "\", \"title\": \"" title "\", \"notes\": \"\", \"starred\": " starred ", " \
  "\"done\": false, \"version\": " version ", \"updated_at\": \"2026-01-01T00:00:00Z\"}"

static void
script_refresh_async (Script  *script,
                      Wait    *wait)
{
  aa_action_manager_refresh_async (script->manager, AA_REFRESH_ITEMS | AA_REFRESH_TRASH,
                                   NULL, refresh_cb, wait);
}

/* The first load: one note, an empty trash. */
static AaItem *
script_load (Script *script)
{
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  return AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n1"));
}

/* A list fetched before a delete settled must not bring the note back. */
static void
test_stale_refresh_after_delete (Script        *script,
                                 gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *items, *trash;
  AaMutation *delete;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  items = script_expect (script, "GET", "/items");
  trash = script_expect (script, "GET", "/trash");

  delete = aa_action_manager_delete_note (script->manager, item);
  script_answer (script_expect (script, "DELETE", "/items/n1"), 200, NOTE ("n1", "Buy milk", "false", "1"));
  wait_settled (delete);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);

  /* The lists were read by the server before the delete. */
  script_answer (items, 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (trash, 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (aa_action_manager_get_items (script->manager), item), ==, -1);
  g_assert_cmpint (model_index (aa_action_manager_get_trash (script->manager), item), ==, 0);
}

/* A list fetched before a create settled must not remove the new note. */
static void
test_stale_refresh_after_create (Script        *script,
                                 gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  SoupServerMessage *list, *trash;
  AaMutation *create;
  AaItem *created;
  Wait wait = { 0, };

  script_load (script);
  script_refresh_async (script, &wait);
  list = script_expect (script, "GET", "/items");
  trash = script_expect (script, "GET", "/trash");

  create = aa_action_manager_create_note (script->manager, "Call mom", NULL);
  created = AA_ITEM (aa_mutation_get_target (create));
  script_answer (script_expect (script, "POST", "/items"), 201, NOTE ("n2", "Call mom", "false", "1"));
  wait_settled (create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);

  script_answer (list, 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (trash, 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n2")) == created);
  g_assert_cmpint (model_index (items, created), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
}

/* A mutation's answer older than what a refresh already confirmed (someone
 * else edited the note after ours was applied) must not replace it. */
static void
test_stale_answer_after_refresh (Script        *script,
                                 gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *patch;
  AaMutation *star;
  Wait wait = { 0, };

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  patch = script_expect (script, "PATCH", "/items/n1");

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200,
                 "[" NOTE ("n1", "Buy oat milk", "true", "3") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  g_assert_cmpstr (aa_item_get_title (item), ==, "Buy oat milk");

  script_answer (patch, 200, NOTE ("n1", "Buy milk", "true", "2"));
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_item_get_title (item), ==, "Buy oat milk");
  g_assert_true (aa_item_get_starred (item));
}

/* Ids are the server's business: any string, escaped in the path. */
static void
test_id_escaped_in_path (Script        *script,
                         gconstpointer  data)
{
  AaMutation *star;
  AaItem *item;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200,
                 "[" NOTE ("2024/07 #1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  item = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "2024/07 #1"));
  g_assert_nonnull (item);

  /* SoupServer hands the path over decoded; unescaped, the “#” would have
   * cut it short, as a fragment. */
  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  script_answer (script_expect (script, "PATCH", "/api/v1/items/2024/07 #1"), 200,
                 NOTE ("2024/07 #1", "Buy milk", "true", "2"));
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_item_get_starred (item));
}

/* The trash emptied while a restore of one of its notes is in flight: the
 * server restored it first, and the note survives the purge the empty
 * trash's answer makes here. */
static void
test_empty_trash_during_restore (Script        *script,
                                 gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  GListModel *trash = aa_action_manager_get_trash (script->manager);
  SoupServerMessage *restore_msg;
  AaMutation *restore, *empty;
  AaItem *item;
  Wait wait = { 0, };

  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[" NOTE ("n1", "Buy milk", "false", "1") "]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[" NOTE ("n2", "Call mom", "false", "3") "]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);
  item = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n2"));
  g_assert_nonnull (item);
  g_assert_cmpint (model_index (trash, item), ==, 0);

  restore = aa_action_manager_restore_note (script->manager, item);
  restore_msg = script_expect (script, "POST", "/items/n2/restore");
  g_assert_cmpint (model_index (items, item), >=, 0);

  empty = aa_action_manager_empty_trash (script->manager);
  script_answer (script_expect (script, "POST", "/trash/empty"), 200, "{\"purged\": 0}");
  wait_settled (empty);
  g_assert_cmpint (aa_mutation_get_state (empty), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n2")) == item);
  g_assert_cmpint (model_index (items, item), >=, 0);

  script_answer (restore_msg, 200, NOTE ("n2", "Call mom", "false", "4"));
  wait_settled (restore);
  g_assert_cmpint (aa_mutation_get_state (restore), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n2")) == item);
  g_assert_false (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (items, item), >=, 0);
  g_assert_cmpint (model_index (trash, item), ==, -1);
}

static gboolean
body_has (SoupServerMessage *msg,
          const char        *member,
          gboolean           value)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (!json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  return json_object_has_member (object, member) &&
         json_object_get_boolean_member (object, member) == value;
}

/* Coalescing stops at a delete: "done" then a delete then "not done",
 * queued behind a request in flight, still sends the first "done" before
 * the delete (the server must see what came before it). */
static void
test_coalesce_stops_at_delete (Script        *script,
                               gconstpointer  data)
{
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *star, *done, *delete, *undone;

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  msg = script_expect (script, "PATCH", "/items/n1");

  done = aa_action_manager_set_done (script->manager, item, TRUE);
  delete = aa_action_manager_delete_note (script->manager, item);
  undone = aa_action_manager_set_done (script->manager, item, FALSE);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_QUEUED);
  g_assert_cmpint (aa_mutation_get_state (undone), ==, AA_MUTATION_STATE_QUEUED);

  script_answer (msg, 200, NOTE ("n1", "Buy milk", "true", "2"));
  msg = script_expect (script, "PATCH", "/items/n1");
  g_assert_true (body_has (msg, "done", TRUE));
  script_answer (msg, 200, NOTE ("n1", "Buy milk", "true", "3"));
  /* The delete's answer says "not done" already (NOTE has done false), so
   * the last change needs no request of its own. */
  script_answer (script_expect (script, "DELETE", "/items/n1"), 200, NOTE ("n1", "Buy milk", "true", "3"));

  wait_settled (undone);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (undone), ==, AA_MUTATION_STATE_COALESCED);
}

/* A refresh whose list no longer has a note with a change on its way: the
 * note stays until its own request decides. */
static void
test_refresh_unlisted_pending (Script        *script,
                               gconstpointer  data)
{
  GListModel *items = aa_action_manager_get_items (script->manager);
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *star;
  Wait wait = { 0, };

  star = aa_action_manager_set_starred (script->manager, item, TRUE);
  msg = script_expect (script, "PATCH", "/items/n1");

  /* Deleted for good elsewhere meanwhile. */
  script_refresh_async (script, &wait);
  script_answer (script_expect (script, "GET", "/items"), 200, "[]");
  script_answer (script_expect (script, "GET", "/trash"), 200, "[]");
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_true (wait.ok);

  g_assert_true (aa_mutation_is_pending (star));
  g_assert_true (AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (script->manager), "n1")) == item);
  g_assert_cmpint (model_index (items, item), ==, 0);
  g_assert_true (aa_item_get_starred (item));

  script_answer (msg, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"There is no such note.\"}}");
  wait_settled (star);
  g_assert_cmpint (aa_mutation_get_state (star), !=, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_error (aa_mutation_get_error (star), AA_ERROR, AA_ERROR_NOT_FOUND);
}

static void
collect_feedback_cb (AaActionManager *manager,
                     AaFeedback      *feedback,
                     GPtrArray       *feedback_list)
{
  g_ptr_array_add (feedback_list, g_object_ref (feedback));
}

/* Undo of a delete still in flight: once the delete succeeds, no "Deleted
 * “…”" toast offers an Undo the user already used. */
static void
test_undo_delete_in_flight (Script        *script,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) feedback = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *items = aa_action_manager_get_items (script->manager);
  AaItem *item = script_load (script);
  SoupServerMessage *msg;
  AaMutation *delete, *undo;

  g_signal_connect (aa_action_manager_get_engine (script->manager), "feedback", G_CALLBACK (collect_feedback_cb), feedback);

  delete = aa_action_manager_delete_note (script->manager, item);
  msg = script_expect (script, "DELETE", "/items/n1");
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SENT);

  undo = aa_action_manager_undo (script->manager, delete);
  g_assert_nonnull (undo);
  g_assert_true (undo != delete);
  g_assert_cmpint (model_index (items, item), ==, 0);

  script_answer (msg, 200, NOTE ("n1", "Buy milk", "false", "1"));
  script_answer (script_expect (script, "POST", "/items/n1/restore"), 200, NOTE ("n1", "Buy milk", "false", "1"));
  wait_settled (undo);
  g_assert_cmpint (aa_mutation_get_state (undo), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_item_get_trashed (item));
  g_assert_cmpint (model_index (items, item), ==, 0);

  for (guint i = 0; i < feedback->len; i++) {
    AaFeedback *shown = g_ptr_array_index (feedback, i);

    g_assert_false (aa_feedback_get_mutation (shown) == delete &&
                    aa_feedback_get_action (shown) == AA_FEEDBACK_ACTION_UNDO);
  }
  g_signal_handlers_disconnect_by_func (script->manager, collect_feedback_cb, feedback);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Domain/Races/" path, Script, NULL, script_setup, func, script_teardown)

  ADD ("stale-refresh-after-delete", test_stale_refresh_after_delete);
  ADD ("stale-refresh-after-create", test_stale_refresh_after_create);
  ADD ("stale-answer-after-refresh", test_stale_answer_after_refresh);
  ADD ("id-escaped-in-path", test_id_escaped_in_path);
  ADD ("empty-trash-during-restore", test_empty_trash_during_restore);
  ADD ("coalesce-stops-at-delete", test_coalesce_stops_at_delete);
  ADD ("refresh-unlisted-pending", test_refresh_unlisted_pending);
  ADD ("undo-delete-in-flight", test_undo_delete_in_flight);

#undef ADD

  return g_test_run ();
}
