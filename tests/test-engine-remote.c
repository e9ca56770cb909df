/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include <async-actions.h>

#include "aa-bookmarks-fixture.h"
#include "aa-test-backend.h"

/*
 * The engine and its store on the bookmarks of aa-bookmarks-fixture.c:
 * refreshes (whole and in pages), reloads of one bookmark, removals and
 * changes from elsewhere, and AaState. The queues are in test-engine.c.
 */

static void
test_refresh_removes (Fixture       *f,
                      gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  g_autoptr(AaResource) keep = g_object_ref (gtk);
  AaMutation *starring;

  /* What the server no longer lists leaves, unless it has changes on
   * their way; the order of the others is kept. */
  f->backend->holding = TRUE;
  starring = star (f, gtk, TRUE);
  g_ptr_array_remove_range (f->backend->bookmarks, 1, 2);
  refresh (f);
  g_assert_true (aa_resource_store_contains (f->store, gtk));
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  release (f->backend);
  wait_until (settled, starring);
}

/* Removed elsewhere */

/* An event says the bookmark was removed by someone else. */
static void
remove_elsewhere (Fixture    *f,
                  const char *id)
{
  g_assert_true (aa_resource_store_apply_remote (f->store, id, NULL, NULL, NULL));
  aa_resource_store_flush_remote (f->store);
}

/* Nothing holds @mutation but the activity log: the request that carried
 * it was answered and let go. */
static gboolean
answered (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static gboolean
holds_one (gpointer data)
{
  return ((Backend *) data)->held->len == 1;
}

static void
assert_removed_elsewhere (AaMutation *mutation)
{
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE);
}

/* Removed elsewhere with a change on its way and another queued behind it:
 * it leaves at once, the queued one is never sent, one message without
 * Retry, and the answer of the one on its way changes nothing, whether it
 * is a 404 (@data: the server has it no more) or a success that raced the
 * removal. */
static void
test_removed_elsewhere_pending (Fixture       *f,
                                gconstpointer  data)
{
  gboolean purged_on_server = GPOINTER_TO_INT (data);
  AaResource *gnome = bookmark (f, "1");
  g_autoptr(AaResource) keep = g_object_ref (gnome);
  AaMutation *starring, *renaming;
  AaFeedback *feedback;
  guint patches = count_requests (f->backend, "PATCH");

  f->backend->holding = TRUE;
  starring = star (f, gnome, TRUE);
  renaming = rename_bookmark (f, gnome, "GNOME Shell");
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SENT);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_QUEUED);
  wait_until (holds_one, f->backend);

  remove_elsewhere (f, "1");

  /* At once: out of the store, nothing pending, one calm message about the
   * newest change, naming the bookmark, without Retry. */
  g_assert_false (aa_resource_store_contains (f->store, gnome));
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  assert_removed_elsewhere (starring);
  assert_removed_elsewhere (renaming);
  g_assert_false (aa_engine_has_pending (f->engine, gnome));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  feedback = g_ptr_array_index (f->feedback, 0);
  g_assert_true (aa_feedback_get_mutation (feedback) == renaming);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (aa_feedback_get_action (feedback), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "“GNOME”"));
  g_assert_nonnull (strstr (aa_feedback_get_title (feedback), "deleted elsewhere"));
  g_assert_false (aa_engine_retry (f->engine, starring));
  g_assert_false (aa_engine_retry (f->engine, renaming));
  {
    g_autoptr(GPtrArray) unsettled = aa_engine_list_unsettled (f->engine);

    g_assert_cmpuint (unsettled->len, ==, 0);
  }

  /* The answer of the one on its way: nothing comes back, nothing more
   * is said, and the queued one was never sent. */
  if (purged_on_server)
    g_ptr_array_remove_index (f->backend->bookmarks, 0);
  release (f->backend);
  wait_until (answered, starring);
  g_assert_cmpuint (count_requests (f->backend, "PATCH"), ==, patches + 1);
  g_assert_cmpuint (last_request (f->backend)->status, ==, purged_on_server ? 404 : 200);
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  assert_removed_elsewhere (starring);
  assert_removed_elsewhere (renaming);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
}

/* Removed elsewhere with nothing of ours on its way: it just leaves, and
 * nothing is said. A change that failed and waits for a retry is the user
 * acting on it: dropped, with one message, and no retry left. */
static void
test_removed_elsewhere_idle (Fixture       *f,
                             gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  g_autoptr(AaResource) keep = g_object_ref (gtk);
  AaMutation *starring;
  guint requests = f->backend->log->len;

  remove_elsewhere (f, "2");
  g_assert_false (aa_resource_store_contains (f->store, gtk));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_cmpuint (f->backend->log->len, ==, requests);

  g_queue_push_tail (&f->backend->statuses, GUINT_TO_POINTER (500));
  starring = star (f, bookmark (f, "3"), TRUE);
  wait_until (settled, starring);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_ROLLED_BACK);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 1);
  g_assert_cmpuint (f->feedback->len, ==, 1);

  remove_elsewhere (f, "3");
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  assert_removed_elsewhere (starring);
  g_assert_cmpuint (aa_engine_get_n_failed (f->engine), ==, 0);
  g_assert_cmpuint (f->feedback->len, ==, 2);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 1)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_false (aa_engine_retry (f->engine, starring));
  g_assert_cmpuint (f->backend->log->len, ==, requests + 1);
}

/* An Undo offered before the removal sends nothing and says why, instead
 * of doing nothing or restoring what is gone. */
static void
test_removed_elsewhere_undo (Fixture       *f,
                             gconstpointer  data)
{
  AaResource *gnome = bookmark (f, "1");
  AaMutation *starring, *undo;
  guint requests;

  starring = star (f, gnome, TRUE);
  wait_until (settled, starring);
  g_assert_true (aa_engine_get_undoable (f->engine) == starring);
  requests = f->backend->log->len;

  remove_elsewhere (f, "1");
  g_assert_cmpuint (f->feedback->len, ==, 0);
  g_assert_null (aa_engine_get_undoable (f->engine));
  g_assert_false (aa_engine_can_undo (f->engine, starring));

  g_assert_null (aa_engine_undo (f->engine, starring));
  g_assert_cmpuint (f->feedback->len, ==, 1);
  undo = aa_feedback_get_mutation (g_ptr_array_index (f->feedback, 0));
  assert_removed_elsewhere (undo);
  g_assert_cmpuint (aa_mutation_get_attempts (undo), ==, 0);
  g_assert_cmpint (aa_feedback_get_action (g_ptr_array_index (f->feedback, 0)), ==, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpint (aa_mutation_get_state (starring), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_null (aa_resource_store_lookup (f->store, "1"));
  g_assert_cmpuint (aa_engine_get_n_pending (f->engine), ==, 0);
  g_assert_cmpuint (f->backend->log->len, ==, requests);
}

/* A change made elsewhere that bumps no version (a move to a trash, say)
 * is not taken back by a list the server read before it. */
static void
test_remote_before_stale_list (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) renamed = new_bookmark ("1", "Renamed elsewhere");
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint sent_at = aa_engine_get_clock (f->engine);

  g_ptr_array_add (stale, new_bookmark ("1", "GNOME"));
  g_ptr_array_add (stale, new_bookmark ("2", "GTK"));
  g_ptr_array_add (stale, new_bookmark ("3", "libsoup"));

  g_assert_true (aa_resource_store_apply_remote (f->store, "1", renamed, NULL, NULL));
  aa_resource_store_flush_remote (f->store);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "Renamed elsewhere");

  aa_resource_store_apply_states (f->store, stale, sent_at, NULL, NULL);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "Renamed elsewhere");

  /* A list read after it is believed. */
  aa_resource_store_apply_states (f->store, stale, aa_engine_get_clock (f->engine), NULL, NULL);
  g_assert_cmpstr (shown_string (bookmark (f, "1"), "title"), ==, "GNOME");
}

/* Reloading one bookmark */

typedef struct {
  gboolean    done;
  AaResource *resource;
  GError     *error;
} Reloaded;

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reloaded *reloaded = user_data;

  reloaded->resource = aa_resource_store_reload_finish (AA_RESOURCE_STORE (object), result, &reloaded->error);
  reloaded->done = TRUE;
}

/* Reloads @resource from GET /bookmarks/{id}; the caller frees what the
 * result holds. */
static Reloaded
reload (Fixture    *f,
        AaResource *resource)
{
  g_autofree char *path = aa_path_build ("bookmarks", aa_resource_get_id (resource), NULL);
  Reloaded reloaded = { 0, };

  aa_resource_store_reload_async (f->store, resource, path, NULL, reload_cb, &reloaded);
  wait_until (refreshed, &reloaded.done);
  g_assert_cmpstr (last_request (f->backend)->method, ==, "GET");
  g_assert_cmpstr (last_request (f->backend)->path, ==, path);
  return reloaded;
}

/* Someone else changes the bookmark @id on the server. */
static void
change_on_server (Fixture    *f,
                  const char *id,
                  const char *title)
{
  JsonObject *bookmark = aa_test_backend_find (f->backend->bookmarks, id);

  json_object_set_string_member (bookmark, "title", title);
  json_object_set_int_member (bookmark, "version", json_object_get_int_member (bookmark, "version") + 1);
}

/* A reload takes the server's state as confirmed, and nothing else changes. */
static void
test_reload (Fixture       *f,
             gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  Reloaded reloaded;

  change_on_server (f, "2", "GTK 4");
  change_on_server (f, "3", "libsoup 3");
  reloaded = reload (f, gtk);
  g_assert_no_error (reloaded.error);
  g_assert_true (reloaded.resource == gtk);
  g_clear_object (&reloaded.resource);

  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gtk), "title", NULL), ==, "GTK 4");
  g_assert_cmpint (aa_state_get_int (aa_resource_get_confirmed (gtk), "version", -1), ==, 2);
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "GTK 4");
  /* The other bookmarks are left to their own reloads. */
  g_assert_cmpstr (shown_string (bookmark (f, "3"), "title"), ==, "libsoup");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 3);
}

/* A reload while a change is on its way: the confirmed state is the
 * server's, the change stays shown on top of it, and it settles as it
 * would have, its answer confirmed. */
static void
test_reload_pending (Fixture       *f,
                     gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  AaMutation *renaming;
  Reloaded reloaded;

  f->backend->holding = TRUE;
  renaming = rename_bookmark (f, gtk, "Mine");
  wait_until (holds_one, f->backend);
  change_on_server (f, "2", "Theirs");
  json_object_set_boolean_member (aa_test_backend_find (f->backend->bookmarks, "2"), "starred", TRUE);

  reloaded = reload (f, gtk);
  g_assert_no_error (reloaded.error);
  g_assert_true (reloaded.resource == gtk);
  g_clear_object (&reloaded.resource);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gtk), "title", NULL), ==, "Theirs");
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "Mine");
  g_assert_true (shown_boolean (gtk, "starred"));
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SENT);

  release (f->backend);
  wait_until (settled, renaming);
  g_assert_cmpint (aa_mutation_get_state (renaming), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gtk), "title", NULL), ==, "Mine");
  g_assert_cmpint (aa_state_get_int (aa_resource_get_confirmed (gtk), "version", -1), ==, 3);
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "Mine");
  g_assert_true (shown_boolean (gtk, "starred"));
}

/* A bookmark the server no longer has leaves, as a refresh that no longer
 * lists it makes it leave, and an Undo of it sends nothing. One with a
 * change on its way stays until that change meets the same answer. */
static void
test_reload_gone (Fixture       *f,
                  gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  AaResource *libsoup = bookmark (f, "3");
  g_autoptr(AaResource) keep_gtk = g_object_ref (gtk);
  g_autoptr(AaResource) keep_libsoup = g_object_ref (libsoup);
  AaMutation *starring;
  Reloaded reloaded;
  guint requests;

  starring = star (f, gtk, TRUE);
  wait_until (settled, starring);
  g_ptr_array_remove_index (f->backend->bookmarks, 1);
  reloaded = reload (f, gtk);
  g_assert_no_error (reloaded.error);
  g_assert_null (reloaded.resource);
  g_assert_cmpuint (last_request (f->backend)->status, ==, 404);
  g_assert_false (aa_resource_store_contains (f->store, gtk));
  g_assert_null (aa_resource_store_lookup (f->store, "2"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpuint (f->feedback->len, ==, 0);
  requests = f->backend->log->len;
  g_assert_false (aa_engine_can_undo (f->engine, starring));
  g_assert_null (aa_engine_undo (f->engine, starring));
  g_assert_cmpuint (f->backend->log->len, ==, requests);
  g_assert_cmpuint (f->feedback->len, ==, 1);
  g_assert_error (aa_mutation_get_error (aa_feedback_get_mutation (g_ptr_array_index (f->feedback, 0))),
                  AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE);

  f->backend->holding = TRUE;
  starring = star (f, libsoup, TRUE);
  wait_until (holds_one, f->backend);
  g_ptr_array_remove_index (f->backend->bookmarks, 1);
  reloaded = reload (f, libsoup);
  g_assert_no_error (reloaded.error);
  g_assert_true (reloaded.resource == libsoup);
  g_clear_object (&reloaded.resource);
  g_assert_true (aa_resource_store_contains (f->store, libsoup));
  g_assert_true (shown_boolean (libsoup, "starred"));

  release (f->backend);
  wait_until (settled, starring);
  g_assert_error (aa_mutation_get_error (starring), AA_ERROR, AA_ERROR_NOT_FOUND);
  g_assert_false (aa_resource_store_contains (f->store, libsoup));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
}

/* A failure changes nothing and comes back as the engine's error. */
static void
test_reload_error (Fixture       *f,
                   gconstpointer  data)
{
  AaResource *gtk = bookmark (f, "2");
  Reloaded reloaded;

  change_on_server (f, "2", "GTK 4");
  g_queue_push_tail (&f->backend->read_statuses, GUINT_TO_POINTER (503));
  reloaded = reload (f, gtk);
  g_assert_error (reloaded.error, AA_ERROR, AA_ERROR_SERVER);
  g_assert_null (reloaded.resource);
  g_clear_error (&reloaded.error);
  g_assert_true (aa_resource_store_contains (f->store, gtk));
  g_assert_cmpstr (aa_state_get_string (aa_resource_get_confirmed (gtk), "title", NULL), ==, "GTK");
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "GTK");

  g_queue_push_tail (&f->backend->read_statuses, GUINT_TO_POINTER (403));
  reloaded = reload (f, gtk);
  g_assert_error (reloaded.error, AA_ERROR, AA_ERROR_PERMISSION);
  g_clear_error (&reloaded.error);
  g_assert_true (aa_resource_store_contains (f->store, gtk));
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "GTK");
}

/* A cancelled reload changes nothing, even once its answer is in. */
static void
test_reload_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AaResource *gtk = bookmark (f, "2");
  Reloaded reloaded = { 0, };

  change_on_server (f, "2", "GTK 4");
  aa_resource_store_reload_async (f->store, gtk, "/bookmarks/2", cancellable, reload_cb, &reloaded);
  g_cancellable_cancel (cancellable);
  wait_until (refreshed, &reloaded.done);
  g_assert_error (reloaded.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (reloaded.resource);
  g_clear_error (&reloaded.error);
  g_assert_cmpstr (shown_string (gtk, "title"), ==, "GTK");
}

/* A bookmark whose create is on its way has nothing on the server to
 * read yet: it comes back as it is, and nothing is asked. */
static void
test_reload_local (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(AaMutation) create = NULL;
  AaResource *added;
  Reloaded reloaded = { 0, };
  guint requests;

  json_object_set_string_member (state, "title", "Flathub");
  f->backend->holding = TRUE;
  added = aa_resource_store_add_local (f->store, 0, state);
  create = aa_mutation_new (f->create, added, "Flathub", state);
  aa_engine_run (f->engine, create);
  wait_until (holds_one, f->backend);
  requests = f->backend->log->len;

  aa_resource_store_reload_async (f->store, added, "/bookmarks/local", NULL, reload_cb, &reloaded);
  wait_until (refreshed, &reloaded.done);
  g_assert_no_error (reloaded.error);
  g_assert_true (reloaded.resource == added);
  g_clear_object (&reloaded.resource);
  g_assert_cmpuint (f->backend->log->len, ==, requests);
  g_assert_true (aa_resource_store_contains (f->store, added));

  release (f->backend);
  wait_until (settled, create);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_SUCCEEDED);
}

/* Paged refreshes */

static void
add_bookmarks (Backend *backend,
               guint    n)
{
  for (guint i = 1; i <= n; i++) {
    g_autofree char *id = g_strdup_printf ("b%u", i);
    g_autofree char *title = g_strdup_printf ("Bookmark %u", i);

    g_ptr_array_add (backend->bookmarks, new_bookmark (id, title));
  }
}

static void
assert_same_order (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->store);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->backend->bookmarks->len);
  for (guint i = 0; i < f->backend->bookmarks->len; i++) {
    g_autoptr(AaResource) resource = g_list_model_get_item (model, i);

    g_assert_cmpstr (aa_resource_get_id (resource), ==,
                     json_object_get_string_member (g_ptr_array_index (f->backend->bookmarks, i), "id"));
  }
}

static guint
count_gets (Fixture *f)
{
  return count_requests (f->backend, "GET");
}

typedef struct {
  Fixture *f;
  guint    n_parts;
  guint    n_first;       /* resources after the first part */
  gboolean complete_then; /* the store said complete after the first part */
  gboolean three_then;    /* "3", no longer listed, was still there */
} Parts;

static void
page_applied_cb (AaResourceStore *store,
                 Parts           *parts)
{
  if (parts->n_parts++ > 0)
    return;
  parts->n_first = g_list_model_get_n_items (G_LIST_MODEL (store));
  parts->complete_then = aa_resource_store_get_complete (store);
  parts->three_then = aa_resource_store_lookup (store, "3") != NULL;
}

static void
test_refresh_pages (Fixture       *f,
                    gconstpointer  data)
{
  Parts parts = { f, };
  guint gets = count_gets (f);
  Logged *second;

  g_assert_true (aa_resource_store_get_complete (f->store));
  add_bookmarks (f->backend, 21);
  g_ptr_array_remove_index (f->backend->bookmarks, 2);   /* "3" */
  aa_resource_store_set_first_page_size (f->store, 4);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (page_applied_cb), &parts);
  refresh (f);

  /* 23 bookmarks, a first page of 4, then pages of 10: the first shown at
   * once, while the list was not complete and "3" not yet gone; all in
   * order at the end. */
  g_assert_cmpuint (count_gets (f) - gets, ==, 3);
  g_assert_cmpuint (parts.n_first, ==, 4 + 1);
  g_assert_false (parts.complete_then);
  g_assert_true (parts.three_then);
  g_assert_cmpuint (parts.n_parts, >=, 3);
  assert_same_order (f);
  g_assert_null (aa_resource_store_lookup (f->store, "3"));
  g_assert_true (aa_resource_store_get_complete (f->store));
  second = g_ptr_array_index (f->backend->log, f->backend->log->len - 2);
  g_assert_cmpstr (second->query, ==, "limit=10&after=b2");
  g_signal_handlers_disconnect_by_data (f->store, &parts);
}

/* Remote changes while the pages come are newer than the pages. */
static void
remote_during_pages_cb (AaResourceStore *store,
                        Parts           *parts)
{
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) created = NULL;

  if (parts->n_parts++ > 0)
    return;

  /* One on a page still to come changes, one is removed, one is new. */
  changed = new_bookmark ("b15", "Changed elsewhere");
  json_object_set_int_member (changed, "version", 2);
  created = new_bookmark ("new", "Created elsewhere");
  g_assert_true (aa_resource_store_apply_remote (store, "b15", changed, "b14", NULL));
  g_assert_true (aa_resource_store_apply_remote (store, "b16", NULL, NULL, NULL));
  g_assert_true (aa_resource_store_apply_remote (store, "new", created, NULL, NULL));
  aa_resource_store_flush_remote (store);
  /* Nothing of it is out of place meanwhile. */
  g_assert_null (aa_resource_store_lookup (store, "b15"));
  g_assert_null (aa_resource_store_lookup (store, "new"));
}

static void
test_refresh_pages_remote (Fixture       *f,
                           gconstpointer  data)
{
  Parts parts = { f, };
  g_autoptr(AaResource) first = NULL;

  add_bookmarks (f->backend, 22);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (remote_during_pages_cb), &parts);
  refresh (f);
  g_signal_handlers_disconnect_by_data (f->store, &parts);

  /* The page read before the change did not undo it; the removed one did
   * not come back; the new one, in no page, did not leave. */
  g_assert_cmpstr (shown_string (bookmark (f, "b15"), "title"), ==, "Changed elsewhere");
  g_assert_null (aa_resource_store_lookup (f->store, "b16"));
  first = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_cmpstr (aa_resource_get_id (first), ==, "new");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 25 - 1 + 1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->store)); i++) {
    g_autoptr(AaResource) resource = g_list_model_get_item (G_LIST_MODEL (f->store), i);

    if (g_str_equal (aa_resource_get_id (resource), "b15")) {
      g_autoptr(AaResource) before = g_list_model_get_item (G_LIST_MODEL (f->store), i - 1);

      g_assert_cmpstr (aa_resource_get_id (before), ==, "b14");
    }
  }
}

static void
cancel_cb (AaResourceStore *store,
           GCancellable    *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
refresh_cancelled_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *(gboolean *) user_data = TRUE;
}

/* Cancelled between pages: it ends with that, what came is kept, nothing
 * claims to be complete, and the next refresh reads it all. */
static void
test_refresh_pages_cancel (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  add_bookmarks (f->backend, 30);
  aa_resource_store_set_page_size (f->store, 10);
  g_signal_connect (f->store, "page-applied", G_CALLBACK (cancel_cb), cancellable);
  aa_resource_store_refresh_full_async (f->store, "/bookmarks", NULL, NULL, NULL, cancellable,
                                        refresh_cancelled_cb, &done);
  wait_until (refreshed, &done);
  g_signal_handlers_disconnect_by_data (f->store, cancellable);
  g_assert_false (aa_resource_store_get_complete (f->store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), >=, 10);

  refresh (f);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));
}

/* A server that knows no pages sends its whole list: read once. One that
 * ignores only "after" repeats the first page: the refresh ends there. */
static void
test_refresh_pages_plain (Fixture       *f,
                          gconstpointer  data)
{
  guint gets;

  add_bookmarks (f->backend, 22);
  f->backend->plain = TRUE;
  aa_resource_store_set_page_size (f->store, 10);
  gets = count_gets (f);
  refresh (f);
  g_assert_cmpuint (count_gets (f) - gets, ==, 1);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));

  g_ptr_array_set_size (f->backend->bookmarks, 10);
  gets = count_gets (f);
  refresh (f);
  g_assert_cmpuint (count_gets (f) - gets, ==, 2);
  assert_same_order (f);
  g_assert_true (aa_resource_store_get_complete (f->store));
}

/* A state keeps every member, typed, and gives back the object it was made of. */
static void
test_state (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\": \"7\", \"title\": \"GNOME\", \"starred\": true,"
                                                " \"version\": 3, \"score\": 0.5, \"note\": null,"
                                                " \"tags\": [\"a\", {\"b\": 1}]}", NULL);
  g_autoptr(JsonNode) reordered = json_from_string ("{\"tags\": [\"a\", {\"b\": 1}], \"note\": null, \"score\": 0.5,"
                                                    " \"version\": 3, \"starred\": true, \"title\": \"GNOME\", \"id\": \"7\"}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\": \"7\", \"title\": \"GTK\", \"starred\": true,"
                                                " \"version\": 3, \"score\": 0.5, \"note\": null,"
                                                " \"tags\": [\"a\", {\"b\": 1}]}", NULL);
  g_autoptr(AaState) state = aa_state_new (json_node_get_object (node));
  g_autoptr(AaState) same = aa_state_new (json_node_get_object (reordered));
  g_autoptr(AaState) changed = aa_state_new (json_node_get_object (other));
  g_autoptr(JsonObject) object = aa_state_dup_object (state);
  g_autoptr(JsonNode) back = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) member = aa_state_dup_member (state, "tags");
  g_autoptr(GList) names = json_object_get_members (object);

  g_assert_cmpstr (aa_state_get_string (state, "id", NULL), ==, "7");
  g_assert_cmpstr (aa_state_get_string (state, "title", NULL), ==, "GNOME");
  g_assert_true (aa_state_get_boolean (state, "starred", FALSE));
  g_assert_cmpint (aa_state_get_int (state, "version", -1), ==, 3);
  g_assert_cmpfloat (aa_state_get_double (state, "score", 0), ==, 0.5);
  g_assert_true (aa_state_has_member (state, "note"));
  g_assert_null (aa_state_get_string (state, "note", NULL));
  g_assert_cmpstr (aa_state_get_string (state, "absent", "default"), ==, "default");
  g_assert_cmpint (aa_state_get_int (state, "title", -1), ==, -1);
  g_assert_false (aa_state_has_member (state, "absent"));
  g_assert_null (aa_state_dup_member (state, "absent"));

  /* Nested members come back as they were; the object keeps the order. */
  g_assert_true (json_node_equal (back, node));
  g_assert_cmpstr (names->data, ==, "id");
  g_assert_cmpstr (g_list_last (names)->data, ==, "tags");
  g_assert_true (json_node_equal (member, json_object_get_member (json_node_get_object (node), "tags")));

  g_assert_true (aa_state_equal (state, same));
  g_assert_false (aa_state_equal (state, changed));
  g_assert_true (aa_state_member_equal (state, changed, "starred"));
  g_assert_false (aa_state_member_equal (state, changed, "title"));
  g_assert_true (aa_state_member_equal (state, changed, "absent"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("refresh-removes", test_refresh_removes);
  ADD ("remote-before-stale-list", test_remote_before_stale_list);
  g_test_add ("/Aa/Engine/removed-elsewhere/pending-purged", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_removed_elsewhere_pending, fixture_teardown);
  g_test_add ("/Aa/Engine/removed-elsewhere/pending-raced", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_removed_elsewhere_pending, fixture_teardown);
  ADD ("removed-elsewhere/idle", test_removed_elsewhere_idle);
  ADD ("removed-elsewhere/undo", test_removed_elsewhere_undo);
  ADD ("reload", test_reload);
  ADD ("reload-pending", test_reload_pending);
  ADD ("reload-gone", test_reload_gone);
  ADD ("reload-error", test_reload_error);
  ADD ("reload-cancelled", test_reload_cancelled);
  ADD ("reload-local", test_reload_local);
  ADD ("refresh-pages", test_refresh_pages);
  ADD ("refresh-pages-remote", test_refresh_pages_remote);
  ADD ("refresh-pages-plain", test_refresh_pages_plain);
  ADD ("refresh-pages-cancel", test_refresh_pages_cancel);
  g_test_add_func ("/Aa/Engine/state", test_state);

  return g_test_run ();
}
