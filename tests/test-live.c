/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Live updates: the server's GET /events, the engine's AaEventStream and
 * aa_resource_store_apply_remote(), and the app's domain on top, with two
 * engines (two AaActionManagers, each with its own client) on one server.
 * Every wait has a generous timeout; nothing here measures time. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "aa-action-manager.h"
#include "aa-demo-control.h"
#include "aa-test-utils.h"

#define TOKEN "live-token"
#define WAIT_MS 10000

/* A manager with its own client, its lists loaded and its stream connected. */
typedef struct {
  AaActionManager *manager;
  GArray          *event_ids;   /* gint64, every event id received in order */
  guint            n_resets;
} Peer;

typedef struct {
  gboolean  done;
  GError   *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
event_cb (AaEventStream *stream,
          const char    *type,
          const char    *id,
          const char    *data,
          Peer          *peer)
{
  gint64 value = g_ascii_strtoll (id, NULL, 10);

  if (g_str_equal (type, "reset"))
    peer->n_resets++;
  else
    g_array_append_val (peer->event_ids, value);
}

static gboolean
is_connected (gpointer data)
{
  Peer *peer = data;

  return aa_action_manager_get_connection_state (peer->manager) == AA_CONNECTION_STATE_CONNECTED;
}

static gboolean
knows_position (gpointer data)
{
  Peer *peer = data;

  return aa_event_stream_get_last_event_id (aa_action_manager_get_event_stream (peer->manager)) != NULL;
}

static Peer *
peer_new (const char *url,
          const char *token)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  Peer *peer = g_new0 (Peer, 1);
  Wait wait = { 0, };
  AaEventStream *stream;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_rest_client_set_token (client, token);
  peer->manager = aa_action_manager_new (client);
  peer->event_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  aa_action_manager_refresh_async (peer->manager, AA_REFRESH_ALL, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, WAIT_MS);
  g_assert_no_error (wait.error);

  aa_action_manager_start_live (peer->manager);
  stream = aa_action_manager_get_event_stream (peer->manager);
  aa_event_stream_set_backoff (stream, 20, 200);
  g_signal_connect (stream, "event", G_CALLBACK (event_cb), peer);
  aa_test_wait_until (is_connected, peer, WAIT_MS);
  /* The server says where the stream stands in its first bytes. */
  aa_test_wait_until (knows_position, peer, WAIT_MS);

  return peer;
}

/* A refresh still on its way (the one on connecting) holds the manager. */
static gboolean
is_let_go (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (aa_action_manager_get_event_stream (peer->manager), peer);
  aa_action_manager_stop_live (peer->manager);
  aa_test_wait_until (is_let_go, peer->manager, WAIT_MS);
  g_assert_finalize_object (peer->manager);
  g_array_unref (peer->event_ids);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static AaItem *
item (Peer       *peer,
      const char *id)
{
  AaItem *found = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (peer->manager), id));

  g_assert_nonnull (found);
  return found;
}

static gint64
last_event_id (Peer *peer)
{
  const char *id = aa_event_stream_get_last_event_id (aa_action_manager_get_event_stream (peer->manager));

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

/* Conditions */

typedef struct {
  Peer       *peer;
  const char *id;
  const char *title;
  gint64      event_id;
  guint       n;
} Expect;

static gboolean
is_starred (gpointer data)
{
  Expect *e = data;
  AaItem *found = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (e->peer->manager), e->id));

  return found != NULL && aa_item_get_starred (found);
}

static gboolean
has_title (gpointer data)
{
  Expect *e = data;
  AaItem *found = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (e->peer->manager), e->id));

  return found != NULL && g_strcmp0 (aa_item_get_title (found), e->title) == 0;
}

static gboolean
is_trashed (gpointer data)
{
  Expect *e = data;
  AaItem *found = AA_ITEM (aa_resource_store_lookup (aa_action_manager_get_notes (e->peer->manager), e->id));

  return found != NULL && aa_item_get_trashed (found);
}

static gboolean
has_n_items (gpointer data)
{
  Expect *e = data;

  return g_list_model_get_n_items (aa_action_manager_get_items (e->peer->manager)) == e->n;
}

static gboolean
reached_event (gpointer data)
{
  Expect *e = data;

  return last_event_id (e->peer) >= e->event_id;
}

/* The server's own last event id: a fresh stream is told it on connect. */
static gint64
server_last_event_id (const char *url)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaEventStream) stream = aa_event_stream_new (client, "/events");
  gint64 id;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_rest_client_set_token (client, TOKEN);
  aa_event_stream_start (stream);
  while (aa_event_stream_get_last_event_id (stream) == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = g_ascii_strtoll (aa_event_stream_get_last_event_id (stream), NULL, 10);
  aa_event_stream_stop (stream);

  return id;
}

static void
patch_title (AaTestServer *server,
             const char   *id,
             const char   *title)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", id);
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = aa_test_request (server, "PATCH", path, body, &status, NULL,
                          "Authorization", "Bearer " TOKEN, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* Every id from the first on, once each, in order: nothing missed or doubled. */
static void
assert_contiguous (GArray *ids,
                   gint64  first,
                   gint64  last)
{
  g_assert_cmpuint (ids->len, ==, last - first + 1);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, first + i);
}

/* Tests */

static void
test_two_engines (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) a = peer_new (server->url, TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  guint n_items = g_list_model_get_n_items (aa_action_manager_get_items (b->manager));
  Expect e = { .peer = b, .id = "3" };
  AaMutation *mutation;

  /* A star in one appears in the other. */
  g_assert_false (aa_item_get_starred (item (b, "3")));
  mutation = aa_action_manager_set_starred (a->manager, item (a, "3"), TRUE);
  aa_test_wait_until (is_starred, &e, WAIT_MS);
  aa_test_wait_settled (mutation, WAIT_MS);

  /* A save. */
  e.title = "Written in the other window";
  mutation = aa_action_manager_save_note (a->manager, item (a, "3"), e.title, "Both see it");
  aa_test_wait_until (has_title, &e, WAIT_MS);
  g_assert_cmpstr (aa_item_get_notes (item (b, "3")), ==, "Both see it");
  aa_test_wait_settled (mutation, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);

  /* A delete: out of the list, into the trash. */
  mutation = aa_action_manager_delete_note (a->manager, item (a, "3"));
  aa_test_wait_until (is_trashed, &e, WAIT_MS);
  e.n = n_items - 1;
  aa_test_wait_until (has_n_items, &e, WAIT_MS);
  aa_test_wait_settled (mutation, WAIT_MS);

  /* A create appears once in the other, at the top, and its echo makes no
   * second copy in the one that made it. */
  mutation = aa_action_manager_create_note (a->manager, "Made in A", NULL);
  e.n = n_items;
  aa_test_wait_until (has_n_items, &e, WAIT_MS);
  aa_test_wait_settled (mutation, WAIT_MS);
  {
    g_autoptr(AaItem) top = g_list_model_get_item (aa_action_manager_get_items (b->manager), 0);
    Expect ea = { .peer = a, .event_id = server_last_event_id (server->url), .n = n_items };

    g_assert_cmpstr (aa_item_get_title (top), ==, "Made in A");
    /* The echo is known as ours on arrival: nothing waits to be applied. */
    aa_test_wait_until (reached_event, &ea, WAIT_MS);
    g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (a->manager)), ==, n_items);
  }

  /* B heard every change, in order; A's own echoes changed nothing twice. */
  assert_contiguous (b->event_ids, 1, server_last_event_id (server->url));
}

static gboolean
star_arrived (gpointer data)
{
  return aa_test_count_requests (data, "PATCH", "/items/3") == 1;
}

static void
test_remote_during_pending (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  Expect e = { .peer = b, .id = "3", .title = "Renamed elsewhere" };
  AaMutation *star;

  /* B's star is held by the server; meanwhile someone renames the note. */
  g_assert_false (aa_item_get_starred (item (b, "3")));
  aa_test_set_faults (server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 2000}");
  star = aa_action_manager_set_starred (b->manager, item (b, "3"), TRUE);
  g_assert_true (aa_mutation_is_pending (star));
  aa_test_wait_until (star_arrived, server, WAIT_MS);
  patch_title (server, "3", e.title);

  /* Both show: the remote title under the pending star, never a flicker. */
  aa_test_wait_until (has_title, &e, WAIT_MS);
  g_assert_true (aa_item_get_starred (item (b, "3")));
  g_assert_true (aa_mutation_is_pending (star));

  /* The held star's answer never comes: its outcome is unknown, so it is
   * sent again with its key and lands; the remote title stays. */
  aa_test_wait_settled (star, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (aa_item_get_starred (item (b, "3")));
  g_assert_cmpstr (aa_item_get_title (item (b, "3")), ==, e.title);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (b->manager)), ==, 0);
}

/* Purged elsewhere (another engine empties the trash) */

#define HOLD_MS 8000

static void
collect_feedback (AaActionManager *manager,
                  AaFeedback      *feedback,
                  GPtrArray       *all)
{
  g_ptr_array_add (all, g_object_ref (feedback));
}

static gboolean
is_gone (gpointer data)
{
  Expect *e = data;

  return aa_resource_store_lookup (aa_action_manager_get_notes (e->peer->manager), e->id) == NULL;
}

static gboolean
restore_arrived (gpointer data)
{
  return aa_test_count_requests (data, "POST", "/items/3/restore") == 1;
}

/* Holds no more than @refs references: let go by whatever held it. */
typedef struct {
  GObject *object;
  guint    refs;
} Refs;

static gboolean
is_down_to (gpointer data)
{
  Refs *refs = data;

  return refs->object->ref_count <= refs->refs;
}

static void
assert_removed_elsewhere (AaMutation *mutation)
{
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE);
}

/* B restores a note from the trash, the request held on the wire, and
 * stars it meanwhile (queued behind); A empties the trash. In B the note
 * leaves at once, the star is never sent, one message says so, and the
 * held restore's end changes nothing. */
static void
test_purge_during_pending (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) a = peer_new (server->url, TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  g_autoptr(GPtrArray) feedback = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *faults = g_strdup_printf ("{\"next\": [\"timeout\"], \"timeout_hold_ms\": %d}", HOLD_MS);
  Expect e = { .peer = b, .id = "3" };
  g_autofree char *title = g_strdup (aa_item_get_title (item (b, "3")));
  AaMutation *mutation, *restore, *star;
  AaFeedback *told;
  Refs refs;

  /* Once the refreshes on connecting are in, so that each change here
   * reaches the other as an event. */
  aa_test_wait_until (is_let_go, a->manager, WAIT_MS);
  aa_test_wait_until (is_let_go, b->manager, WAIT_MS);
  mutation = aa_action_manager_delete_note (a->manager, item (a, "3"));
  aa_test_wait_settled (mutation, WAIT_MS);
  aa_test_wait_until (is_trashed, &e, WAIT_MS);
  g_signal_connect (aa_action_manager_get_engine (b->manager), "feedback", G_CALLBACK (collect_feedback), feedback);

  aa_test_set_faults (server, faults);
  restore = aa_action_manager_restore_note (b->manager, item (b, "3"));
  star = aa_action_manager_set_starred (b->manager, item (b, "3"), TRUE);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_QUEUED);
  aa_test_wait_until (restore_arrived, server, WAIT_MS);

  mutation = aa_action_manager_empty_trash (a->manager);
  aa_test_wait_settled (mutation, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_SUCCEEDED);

  /* At once, the restore still held: out of the list and the trash,
   * nothing pending, one message about the newest change, naming the
   * note, without Retry. */
  aa_test_wait_until (is_gone, &e, WAIT_MS);
  assert_removed_elsewhere (restore);
  assert_removed_elsewhere (star);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (b->manager)), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (b->manager)), ==, 0);
  g_assert_cmpuint (feedback->len, ==, 1);
  told = g_ptr_array_index (feedback, 0);
  g_assert_true (aa_feedback_get_mutation (told) == star);
  g_assert_cmpint (aa_feedback_get_tier (told), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (told), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (told), title));
  g_assert_nonnull (strstr (aa_feedback_get_title (told), "deleted elsewhere"));
  g_assert_false (aa_action_manager_retry (b->manager, restore));
  g_assert_false (aa_action_manager_retry (b->manager, star));

  /* The held restore ends (the server closes it): its request lets it go,
   * and nothing comes back, nothing more is said, nothing more is sent. */
  refs.object = G_OBJECT (restore);
  refs.refs = G_OBJECT (restore)->ref_count - 1;
  aa_test_wait_until (is_down_to, &refs, HOLD_MS + WAIT_MS);
  g_assert_null (aa_resource_store_lookup (aa_action_manager_get_notes (b->manager), "3"));
  assert_removed_elsewhere (restore);
  g_assert_cmpuint (feedback->len, ==, 1);
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (b->manager)), ==, 0);
  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/items/3/restore"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/3"), ==, 0);

  g_signal_handlers_disconnect_by_data (b->manager, feedback);
}

/* Nothing pending: a remote move to the trash and a purge change B's list
 * as before and say nothing; the Undo of B's own earlier move to the trash
 * then sends nothing and says why. */
static void
test_purge_idle (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) a = peer_new (server->url, TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  g_autoptr(GPtrArray) feedback = g_ptr_array_new_with_free_func (g_object_unref);
  Expect e2 = { .peer = b, .id = "2" };
  Expect e4 = { .peer = b, .id = "4" };
  g_autofree char *title = g_strdup (aa_item_get_title (item (b, "2")));
  guint n_trash = g_list_model_get_n_items (aa_action_manager_get_trash (b->manager));
  AaMutation *mutation, *trashing;

  aa_test_wait_until (is_let_go, a->manager, WAIT_MS);
  aa_test_wait_until (is_let_go, b->manager, WAIT_MS);
  g_signal_connect (aa_action_manager_get_engine (b->manager), "feedback", G_CALLBACK (collect_feedback), feedback);
  trashing = aa_action_manager_delete_note (b->manager, item (b, "2"));
  aa_test_wait_settled (trashing, WAIT_MS);
  g_assert_cmpuint (feedback->len, ==, 1);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (feedback, 0)), ==, AA_FEEDBACK_ACTION_UNDO);

  mutation = aa_action_manager_delete_note (a->manager, item (a, "4"));
  aa_test_wait_settled (mutation, WAIT_MS);
  aa_test_wait_until (is_trashed, &e4, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_trash (b->manager)), ==, n_trash + 2);
  g_assert_cmpuint (feedback->len, ==, 1);

  mutation = aa_action_manager_empty_trash (a->manager);
  aa_test_wait_settled (mutation, WAIT_MS);
  aa_test_wait_until (is_gone, &e2, WAIT_MS);
  aa_test_wait_until (is_gone, &e4, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_trash (b->manager)), ==, 0);
  g_assert_cmpuint (feedback->len, ==, 1);
  g_assert_null (aa_engine_get_undoable (aa_action_manager_get_engine (b->manager)));

  /* The toast's Undo, clicked after the purge. */
  g_assert_false (aa_action_manager_can_undo (b->manager, trashing));
  g_assert_null (aa_action_manager_undo (b->manager, trashing));
  g_assert_cmpuint (feedback->len, ==, 2);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (feedback, 1)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (g_ptr_array_index (feedback, 1)), title));
  g_assert_nonnull (strstr (aa_feedback_get_title (g_ptr_array_index (feedback, 1)), "can no longer be restored"));
  g_assert_cmpuint (aa_engine_get_n_pending (aa_action_manager_get_engine (b->manager)), ==, 0);
  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/items/2/restore"), ==, 0);
  g_assert_null (aa_resource_store_lookup (aa_action_manager_get_notes (b->manager), "2"));

  g_signal_handlers_disconnect_by_data (b->manager, feedback);
}

static void
test_drop_resumes (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  gint64 first = server_last_event_id (server->url) + 1;
  Expect e = { .peer = b };
  g_autoptr(JsonNode) dropped = NULL;
  guint status = 0;

  patch_title (server, "1", "one");
  patch_title (server, "2", "two");
  dropped = aa_test_request (server, "POST", "/_control/drop-streams", NULL, &status, NULL,
                             "Authorization", "Bearer " TOKEN, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (dropped), "dropped"), >=, 1);
  patch_title (server, "3", "three");
  patch_title (server, "4", "four");
  patch_title (server, "5", "five");

  e.event_id = first + 4;
  aa_test_wait_until (reached_event, &e, WAIT_MS);
  g_assert_cmpuint (aa_event_stream_get_n_connections (aa_action_manager_get_event_stream (b->manager)), >=, 2);
  assert_contiguous (b->event_ids, first, first + 4);
  e.id = "5";
  e.title = "five";
  aa_test_wait_until (has_title, &e, WAIT_MS);
  g_assert_cmpstr (aa_item_get_title (item (b, "3")), ==, "three");
}

static gboolean is_not_connected (gpointer data);

static void
test_offline_cuts_stream (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  AaEventStream *stream = aa_action_manager_get_event_stream (b->manager);

  /* The demo's Offline switch ends the stream, and keeps it away. */
  aa_test_set_faults (server, "{\"offline\": true}");
  aa_test_wait_until (is_not_connected, b, WAIT_MS);
  g_assert_cmpuint (aa_event_stream_get_n_connections (stream), ==, 1);

  aa_test_set_faults (server, "{\"offline\": false}");
  aa_test_wait_until (is_connected, b, WAIT_MS);
  g_assert_cmpuint (aa_event_stream_get_n_connections (stream), ==, 2);
}

static void
demo_faults_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  aa_demo_control_set_faults_finish (AA_DEMO_CONTROL (object), result, &wait->error);
  wait->done = TRUE;
}

static void
demo_set_offline (AaDemoControl *control,
                  gboolean       offline)
{
  g_autoptr(JsonObject) faults = json_object_new ();
  Wait wait = { 0, };

  json_object_set_boolean_member (faults, "offline", offline);
  aa_demo_control_set_faults_async (control, faults, NULL, demo_faults_cb, &wait);
  aa_test_wait_until (wait_done, &wait, WAIT_MS);
  g_assert_no_error (wait.error);
}

static gboolean
is_waiting (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_WAITING;
}

static gboolean
is_reachable (gpointer data)
{
  return aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (data)));
}

static void
count_failure_words (AaActionManager *manager,
                     AaFeedback      *feedback,
                     guint           *n)
{
  if (strstr (aa_feedback_get_title (feedback), "Couldn’t star") != NULL ||
      strstr (aa_feedback_get_title (feedback), "Couldn’t mark") != NULL)
    (*n)++;
}

/* The demo's Offline is a real outage for the app: a star and a done made
 * meanwhile stay shown and wait, never "Couldn't …"; a payment is refused
 * at once, nothing charged; when the condition is lifted the app notices
 * by itself and both land, once each. */
static void
test_demo_offline (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  g_autoptr(AaDemoControl) control = aa_demo_control_new (b->manager);
  AaConnectivity *connectivity = aa_engine_get_connectivity (aa_action_manager_get_engine (b->manager));
  GListModel *invoices = aa_action_manager_get_invoices (b->manager);
  g_autoptr(AaInvoice) invoice = NULL;
  gboolean was_starred = aa_item_get_starred (item (b, "1"));
  gboolean was_done = aa_item_get_done (item (b, "2"));
  AaMutation *star, *done, *pay;
  guint n_failures = 0;

  g_signal_connect (aa_action_manager_get_engine (b->manager), "feedback", G_CALLBACK (count_failure_words), &n_failures);
  aa_connectivity_set_backoff (connectivity, 20, 200);
  demo_set_offline (control, TRUE);

  star = aa_action_manager_set_starred (b->manager, item (b, "1"), !was_starred);
  done = aa_action_manager_set_done (b->manager, item (b, "2"), !was_done);
  aa_test_wait_until (is_waiting, star, WAIT_MS);
  aa_test_wait_until (is_waiting, done, WAIT_MS);
  g_assert_false (aa_connectivity_get_reachable (connectivity));
  g_assert_cmpint (aa_item_get_starred (item (b, "1")), ==, !was_starred);
  g_assert_cmpint (aa_item_get_done (item (b, "2")), ==, !was_done);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (b->manager)), ==, 0);

  for (guint i = 0; i < g_list_model_get_n_items (invoices) && invoice == NULL; i++) {
    g_autoptr(AaInvoice) candidate = g_list_model_get_item (invoices, i);

    if (aa_invoice_get_status (candidate) == AA_INVOICE_STATUS_OPEN)
      invoice = g_steal_pointer (&candidate);
  }
  g_assert_nonnull (invoice);
  pay = aa_action_manager_pay_invoice (b->manager, invoice, "4242 4242 4242 4242");
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 0);
  g_assert_nonnull (strstr (aa_mutation_get_message (pay), "Nothing was changed"));
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));

  demo_set_offline (control, FALSE);
  aa_test_wait_until (is_reachable, b->manager, WAIT_MS);
  aa_test_wait_settled (star, WAIT_MS);
  aa_test_wait_settled (done, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_mutation_get_state (done), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (n_failures, ==, 0);

  /* Each landed once; nothing was paid. */
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/1"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/2"), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/payments"), ==, 0);
  g_signal_handlers_disconnect_by_func (b->manager, count_failure_words, &n_failures);
}

/* A change whose answer is lost, while the stream is connected: the
 * server's event names its key, so it succeeded, and nothing is sent
 * again. The same for a payment: Paid, charged once, never "Couldn't pay". */
static void
test_lost_answer_event (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(Peer) b = peer_new (server->url, TOKEN);
  GListModel *invoices = aa_action_manager_get_invoices (b->manager);
  g_autoptr(AaInvoice) invoice = NULL;
  AaMutation *star, *pay;

  aa_test_set_faults (server, "{\"next\": [\"lost-response\"]}");
  star = aa_action_manager_set_starred (b->manager, item (b, "3"), TRUE);
  aa_test_wait_settled (star, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (star), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpuint (aa_mutation_get_attempts (star), ==, 1);
  g_assert_true (aa_item_get_starred (item (b, "3")));
  g_assert_cmpuint (aa_test_count_requests (server, "PATCH", "/items/3"), ==, 1);

  for (guint i = 0; i < g_list_model_get_n_items (invoices) && invoice == NULL; i++) {
    g_autoptr(AaInvoice) candidate = g_list_model_get_item (invoices, i);

    if (aa_invoice_get_status (candidate) == AA_INVOICE_STATUS_OPEN)
      invoice = g_steal_pointer (&candidate);
  }
  g_assert_nonnull (invoice);
  aa_test_set_faults (server, "{\"next\": [\"lost-response\"]}");
  pay = aa_action_manager_pay_invoice (b->manager, invoice, "4242 4242 4242 4242");
  aa_test_wait_settled (pay, WAIT_MS);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (server, "POST", "/payments"), ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (b->manager)), ==, 0);
}

/* A spawned async-actions-server, to restart on its port and database. */
typedef struct {
  GSubprocess  *process;
  AaTestServer  api;   /* url and token, for aa_test_request() */
  char         *dir;
  char         *data;
  char         *port;
} Spawned;

static void
spawned_start (Spawned    *s,
               const char *extra,
               const char *extra_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = {
    g_getenv ("AA_SERVER_BIN"), "--port", s->port ? s->port : "0", "--data", s->data,
    "--token", TOKEN, "--keepalive-ms", "200", extra, extra_value, NULL,
  };

  /* A failed assertion aborts this process: the server must not outlive it. */
  g_autoptr(GSubprocessLauncher) launcher = aa_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  s->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_free (s->api.url);
  s->api.url = g_strdup (line);
  s->api.token = (char *) TOKEN;
  if (s->port == NULL)
    s->port = g_strndup (line + strlen ("http://127.0.0.1:"), strcspn (line + strlen ("http://127.0.0.1:"), "/"));
}

static void
spawned_stop (Spawned *s)
{
  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, NULL);
  g_clear_object (&s->process);
}

static Spawned *
spawned_new (const char *extra,
             const char *extra_value)
{
  Spawned *s = g_new0 (Spawned, 1);
  g_autoptr(GError) error = NULL;

  s->dir = g_dir_make_tmp ("aa-live-XXXXXX", &error);
  g_assert_no_error (error);
  s->data = g_build_filename (s->dir, "notes.db", NULL);
  spawned_start (s, extra, extra_value);

  return s;
}

static void
spawned_free (Spawned *s)
{
  const char *sidecars[] = { "", "-wal", "-shm" };

  if (s->process != NULL)
    spawned_stop (s);
  for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++) {
    g_autofree char *path = g_strconcat (s->data, sidecars[i], NULL);

    g_remove (path);
  }
  g_rmdir (s->dir);
  g_free (s->api.url);
  g_free (s->dir);
  g_free (s->data);
  g_free (s->port);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Spawned, spawned_free)

static gboolean
is_not_connected (gpointer data)
{
  return !is_connected (data);
}

static void
test_server_restart (void)
{
  g_autoptr(Spawned) s = spawned_new (NULL, NULL);
  g_autoptr(Peer) b = peer_new (s->api.url, TOKEN);
  gint64 first = server_last_event_id (s->api.url) + 1;
  Expect e = { .peer = b, .id = "2", .title = "After the restart" };

  patch_title (&s->api, "1", "Before the restart");
  spawned_stop (s);
  aa_test_wait_until (is_not_connected, b, WAIT_MS);

  /* Same port, same database; a change lands before B is back. */
  spawned_start (s, NULL, NULL);
  patch_title (&s->api, "2", e.title);

  aa_test_wait_until (has_title, &e, WAIT_MS);
  aa_test_wait_until (is_connected, b, WAIT_MS);
  g_assert_cmpstr (aa_item_get_title (item (b, "1")), ==, "Before the restart");
  assert_contiguous (b->event_ids, first, first + 1);
}

static void
test_reset_refreshes (void)
{
  g_autoptr(Spawned) s = spawned_new ("--events-kept", "3");
  g_autoptr(Peer) b = peer_new (s->api.url, TOKEN);
  Expect e = { .peer = b, .id = "1", .title = "change 6" };

  /* B goes away; more changes happen than the server keeps. */
  aa_action_manager_stop_live (b->manager);
  for (guint i = 1; i <= 6; i++) {
    g_autofree char *title = g_strdup_printf ("change %u", i);

    patch_title (&s->api, "1", title);
  }

  aa_action_manager_start_live (b->manager);
  aa_test_wait_until (has_title, &e, WAIT_MS);
  g_assert_cmpuint (b->n_resets, ==, 1);
  g_assert_cmpuint (b->event_ids->len, ==, 0);
}

/* 12 MB of events: more than the kernel buffers on both sides hold. */
#define N_BIG_CHANGES 200

static void
test_slow_reader_dropped (void)
{
  g_autoptr(Spawned) s = spawned_new ("--stream-buffer", "16384");
  g_autoptr(Peer) b = peer_new (s->api.url, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) atoi (s->port));
  g_autofree char *big = g_strnfill (60000, 'x');
  g_autofree char *body = g_strdup_printf ("{\"notes\": \"%s\"}", big);
  const char request[] = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Authorization: Bearer " TOKEN "\r\n\r\n";
  gint64 first = server_last_event_id (s->api.url) + 1;
  Expect e = { .peer = b };
  char buffer[65536];
  gsize total = 0;
  gssize n;

  /* A reader that never reads, with the smallest receive buffer. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, NULL);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==, strlen (request));

  for (guint i = 0; i < N_BIG_CHANGES; i++) {
    g_autofree char *key = g_uuid_string_random ();
    g_autoptr(JsonNode) node = NULL;
    guint status = 0;

    node = aa_test_request (&s->api, "PATCH", "/items/1", body, &status, NULL,
                            "Authorization", "Bearer " TOKEN, "Idempotency-Key", key, NULL);
    g_assert_cmpuint (status, ==, 200);
  }

  /* The slow one was cut: reading on, it meets the end of the stream. */
  g_socket_set_timeout (socket, 20);
  do
    n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
  while (n > 0 && (total += n) < 64 * 1024 * 1024);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);

  /* B, in this process, read nothing either while the changes were made,
   * so it was cut too: it resumed, and the log was replayed to it no
   * faster than it read, every event once, in order. A reader that reads
   * is never cut again: not by the keep-alives the server sends every
   * 200 ms here, while one large event after another waits for it. */
  e.event_id = first + N_BIG_CHANGES - 1;
  aa_test_wait_until (reached_event, &e, WAIT_MS);
  assert_contiguous (b->event_ids, first, first + N_BIG_CHANGES - 1);
  g_assert_cmpuint (aa_event_stream_get_n_connections (aa_action_manager_get_event_stream (b->manager)), ==, 2);
}

typedef struct {
  GPtrArray *streams;
  guint      n_heard;
} Crowd;

static void
crowd_event_cb (AaEventStream *stream,
                const char    *type,
                const char    *id,
                const char    *data,
                Crowd         *crowd)
{
  crowd->n_heard++;
}

static gboolean
all_connected (gpointer data)
{
  Crowd *crowd = data;

  for (guint i = 0; i < crowd->streams->len; i++) {
    if (aa_event_stream_get_connection_state (g_ptr_array_index (crowd->streams, i)) != AA_CONNECTION_STATE_CONNECTED)
      return FALSE;
  }
  return TRUE;
}

static gboolean
all_heard (gpointer data)
{
  Crowd *crowd = data;

  return crowd->n_heard == crowd->streams->len;
}

static void
test_hundred_clients (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(AaRestClient) client = aa_rest_client_new (server->url);
  Crowd crowd = { .streams = g_ptr_array_new_with_free_func (g_object_unref) };

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_rest_client_set_token (client, TOKEN);
  for (guint i = 0; i < 100; i++) {
    AaEventStream *stream = aa_event_stream_new (client, "/events");

    g_signal_connect (stream, "event", G_CALLBACK (crowd_event_cb), &crowd);
    aa_event_stream_start (stream);
    g_ptr_array_add (crowd.streams, stream);
  }
  aa_test_wait_until (all_connected, &crowd, 30000);

  /* One change reaches all hundred, and the server still answers. */
  patch_title (server, "1", "Heard by a hundred");
  aa_test_wait_until (all_heard, &crowd, 30000);
  patch_title (server, "1", "And again");

  for (guint i = 0; i < crowd.streams->len; i++)
    aa_event_stream_stop (g_ptr_array_index (crowd.streams, i));
  g_ptr_array_unref (crowd.streams);
}

typedef struct {
  GPtrArray *types;
  GPtrArray *ids;
  GPtrArray *data;
} Heard;

static void
heard_cb (AaEventStream *stream,
          const char    *type,
          const char    *id,
          const char    *data,
          Heard         *heard)
{
  g_ptr_array_add (heard->types, g_strdup (type));
  g_ptr_array_add (heard->ids, g_strdup (id));
  g_ptr_array_add (heard->data, g_strdup (data));
}

/* The engine logs structured: its warnings are counted here, not fatal. */
static guint n_parser_warnings;

static GLogWriterOutput
count_warnings (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0 &&
        g_str_equal (fields[i].value, "aa-event-stream") && (log_level & G_LOG_LEVEL_WARNING)) {
      n_parser_warnings++;
      return G_LOG_WRITER_HANDLED;
    }
  }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_parser_malformed (void)
{
  g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");
  g_autoptr(AaEventStream) stream = aa_event_stream_new (client, "/events");
  Heard heard = {
    g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
  };
  const char split[] = "id: 7\r\nevent: item\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n";
  g_autofree char *overlong = g_strnfill (1024 * 1024 + 10, 'y');
  guint expected_warnings = 0;

  g_signal_connect (stream, "event", G_CALLBACK (heard_cb), &heard);

  /* Byte by byte, CRLF line ends, two data lines joined with "\n". */
  for (gsize i = 0; i < strlen (split); i++)
    aa_event_stream_feed (stream, split + i, 1);
  g_assert_cmpuint (heard.types->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (heard.types, 0), ==, "item");
  g_assert_cmpstr (g_ptr_array_index (heard.ids, 0), ==, "7");
  g_assert_cmpstr (g_ptr_array_index (heard.data, 0), ==, "{\"a\":\n1}");

  /* Comments, CR alone, an id without data (remembered, not dispatched),
   * an event without a type ("message"). */
  aa_event_stream_feed (stream, ": keep-alive\r\rid: 8\r\r", -1);
  g_assert_cmpuint (heard.types->len, ==, 1);
  g_assert_cmpstr (aa_event_stream_get_last_event_id (stream), ==, "8");
  aa_event_stream_feed (stream, "data:no space\n\n", -1);
  g_assert_cmpstr (g_ptr_array_index (heard.types, 1), ==, "message");
  g_assert_cmpstr (g_ptr_array_index (heard.data, 1), ==, "no space");

  /* Bad lines are skipped with a warning; the events around them arrive. */
  aa_event_stream_feed (stream, "data: \xff\xfe\ndata: ok\n\n", -1);
  g_assert_cmpuint (n_parser_warnings, ==, ++expected_warnings);
  g_assert_cmpstr (g_ptr_array_index (heard.data, 2), ==, "ok");

  aa_event_stream_feed (stream, "data: a\0b\ndata: after nul\n\n", strlen ("data: a") + 1 + strlen ("b\ndata: after nul\n\n"));
  g_assert_cmpuint (n_parser_warnings, ==, ++expected_warnings);
  g_assert_cmpstr (g_ptr_array_index (heard.data, 3), ==, "after nul");

  aa_event_stream_feed (stream, "data: ", -1);
  aa_event_stream_feed (stream, overlong, -1);
  aa_event_stream_feed (stream, "\ndata: after long\n\n", -1);
  g_assert_cmpuint (n_parser_warnings, ==, ++expected_warnings);
  g_assert_cmpstr (g_ptr_array_index (heard.data, 4), ==, "after long");

  aa_event_stream_feed (stream, "bogus: 1\ndata: still fine\n\n", -1);
  g_assert_cmpuint (n_parser_warnings, ==, ++expected_warnings);
  g_assert_cmpstr (g_ptr_array_index (heard.data, 5), ==, "still fine");

  /* Half an event waits for the rest; a reset parser forgets it. */
  aa_event_stream_feed (stream, "data: half", -1);
  aa_event_stream_reset_parser (stream);
  aa_event_stream_feed (stream, "\n\n", -1);
  g_assert_cmpuint (heard.types->len, ==, 6);

  g_ptr_array_unref (heard.types);
  g_ptr_array_unref (heard.ids);
  g_ptr_array_unref (heard.data);
}

static gboolean
is_unsupported (gpointer data)
{
  return aa_event_stream_get_connection_state (data) == AA_CONNECTION_STATE_UNSUPPORTED;
}

typedef struct {
  AaTestServer *server;
  guint         n;
} Count;

static gboolean
lists_fetched (gpointer data)
{
  Count *count = data;

  return aa_test_count_requests (count->server, "GET", "/items") >= count->n;
}

static void
test_without_stream (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (TOKEN);
  g_autoptr(AaRestClient) client = aa_rest_client_new (server->url);
  g_autoptr(AaEventStream) stream = NULL;
  g_autoptr(AaActionManager) manager = NULL;
  Count count = { server, 1 };
  Wait wait = { 0, };

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_rest_client_set_token (client, TOKEN);

  /* A path without a stream: said once, never tried again. */
  stream = aa_event_stream_new (client, "/no-stream-here");
  aa_event_stream_start (stream);
  aa_test_wait_until (is_unsupported, stream, WAIT_MS);
  aa_event_stream_stop (stream);

  /* Without the stream, focus and the network coming back refetch,
   * debounced: two reasons at once, one refetch. */
  manager = aa_action_manager_new (client);
  g_assert_cmpint (aa_action_manager_get_connection_state (manager), ==, AA_CONNECTION_STATE_UNSUPPORTED);
  aa_action_manager_refresh_async (manager, AA_REFRESH_ITEMS, NULL, refresh_cb, &wait);
  aa_test_wait_until (wait_done, &wait, WAIT_MS);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (aa_test_count_requests (server, "GET", "/items"), ==, 1);

  aa_action_manager_catch_up (manager);
  aa_action_manager_catch_up (manager);
  count.n = 2;
  aa_test_wait_until (lists_fetched, &count, WAIT_MS);
  g_assert_cmpuint (aa_test_count_requests (server, "GET", "/items"), ==, 2);
  /* Only what was fetched before: the invoices load when first shown. */
  g_assert_cmpuint (aa_test_count_requests (server, "GET", "/invoices"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_warnings, NULL, NULL);

  g_test_add_func ("/Live/two-engines", test_two_engines);
  g_test_add_func ("/Live/remote-during-pending", test_remote_during_pending);
  g_test_add_func ("/Live/purge-during-pending", test_purge_during_pending);
  g_test_add_func ("/Live/purge-idle", test_purge_idle);
  g_test_add_func ("/Live/drop-resumes", test_drop_resumes);
  g_test_add_func ("/Live/offline-cuts-stream", test_offline_cuts_stream);
  g_test_add_func ("/Live/demo-offline", test_demo_offline);
  g_test_add_func ("/Live/lost-answer-event", test_lost_answer_event);
  g_test_add_func ("/Live/server-restart", test_server_restart);
  g_test_add_func ("/Live/reset-refreshes", test_reset_refreshes);
  g_test_add_func ("/Live/slow-reader-dropped", test_slow_reader_dropped);
  g_test_add_func ("/Live/hundred-clients", test_hundred_clients);
  g_test_add_func ("/Live/parser-malformed", test_parser_malformed);
  g_test_add_func ("/Live/without-stream", test_without_stream);

  return g_test_run ();
}
