/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-connectivity.h"
#include "aa-engine-private.h"
#include "aa-error.h"
#include "aa-journal.h"
#include "aa-mutation-private.h"
#include "aa-operation-private.h"
#include "aa-resource-private.h"
#include "aa-resource-store-private.h"
#include "aa-state-private.h"

/**
 * AaEngine:
 *
 * Runs every mutation of an app: optimistic or pessimistic, one request per
 * resource at a time and in order, rapid changes coalesced, a failure
 * rolled back to the confirmed state with later pending changes kept,
 * retried with the same idempotency key, undone by a real request (or
 * cancelled if it was never sent), and every outcome reported once through
 * [signal@Engine::feedback] with the tier its rule gives it.
 *
 * The life of one mutation:
 *
 *  1. The app builds an [class@Mutation] of one of its [class@Operation]s
 *     and calls [method@Engine.run]: it is logged in the activity log
 *     ([method@Engine.get_mutations]) and queued behind the other
 *     mutations of its resource.
 *  2. The resource shows its last confirmed state with the changes of its
 *     pending optimistic mutations laid on top
 *     ([vfunc@Operation.apply]), in order. So an optimistic change is
 *     visible before the call returns, a failure rolls back by leaving its
 *     change out, and a refresh never loses a pending change.
 *  3. The request ([vfunc@Operation.build_request]) is sent once nothing
 *     else of that resource is in flight.
 *  4. The answer settles it: a success becomes the confirmed state
 *     ([vfunc@Operation.confirm]), a failure keeps its error and message
 *     ([property@Mutation:error], [property@Mutation:message]); the next
 *     mutation of the resource is sent, and
 *     [signal@Engine::feedback] says what happened.
 *
 * With a [class@Journal] ([method@Engine.set_journal]), step 1 writes the
 * mutation to it before anything is shown, each change of its state is
 * written as it happens, and it leaves the journal when it settles;
 * [method@Engine.restore] starts again what a journal kept.
 */

/* In this file: aa_engine_run() logs the mutation and enqueue()s it; show()
 * recomputes what the resource displays; pump() sends the head of a queue;
 * request_cb() settles it through settle_success() or settle_failure(),
 * both of which show() the resource again, pump() the next one and emit
 * "feedback". */

struct _AaEngine
{
  GObject       parent_instance;

  AaRestClient *client;
  GListStore   *mutations;  /* the activity log, newest first */
  /* Resource (or the engine itself, for mutations without a target) ->
   * GQueue of its AaMutation, oldest first: the head is in flight or next.
   * Keyed by object, not id, so a create's temporary id can change. */
  GHashTable   *queues;
  /* The mutations that may count in n-pending or n-failed: those pending or
   * failed when last looked at. Succeeded ones leave it for good, so the
   * summary never walks the whole activity log. */
  GHashTable   *counted;
  guint         n_pending;
  guint         n_failed;
  AaMutation   *undoable;
  /* Counts settled mutations. Each one stamps its target with the count
   * (aa_resource_mark_settled()) and a refresh remembers it when it is sent, so a list
   * the server may have read before one of our changes is known as such. */
  guint         clock;
  /* The idempotency keys this engine sent, newest last, so that an event
   * stream's echo of our own change is known as ours. Bounded. */
  GHashTable   *sent_keys;
  GQueue        sent_order;

  /* Resource -> RemovedFrom: where the target of an %AA_OPERATION_REMOVES
   * mutation was, so that a failure or a re-create puts it back there. */
  GHashTable   *removed_from;

  AaJournal    *journal;
  /* Operation name -> Registered: how a journal's rows become mutations. */
  GHashTable   *operations;
  /* Whether the server can be reached; while it can't, optimistic
   * mutations wait and pessimistic ones are refused. */
  AaConnectivity *connectivity;
  guint         n_waiting;
  guint         n_unknown;
  /* Resolving unknown outcomes: the next attempt, with backoff. */
  GSource      *resolve_timer;
  guint         resolve_delay_ms;
  /* Queues to send from once the server is back, a few per main-loop
   * iteration (not owned: a key whose queue is gone is skipped). */
  GQueue        resuming;
  GSource      *resume_idle;
};

/* How long resuming may take of one main-loop iteration. */
#define RESUME_BUDGET_US 3000

#define MIN_RESOLVE_DELAY_MS 250
#define MAX_RESOLVE_DELAY_MS 30000
/* How many times a resend of an unknown outcome may be answered 409 (its
 * first attempt still in flight on the server) before that is a refusal. */
#define MAX_IN_FLIGHT_ANSWERS 5

#define MAX_SENT_KEYS 4096

G_DEFINE_FINAL_TYPE (AaEngine, aa_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_N_PENDING,
  PROP_N_FAILED,
  PROP_UNDOABLE,
  PROP_JOURNAL,
  PROP_N_WAITING,
  PROP_N_UNKNOWN,
  PROP_CONNECTIVITY,
  N_PROPS
};

enum {
  SIGNAL_FEEDBACK,
  SIGNAL_SHOWN,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (AaEngine *self,
                  gpointer  key);
static gboolean journal_write (AaEngine    *self,
                               AaMutation  *mutation,
                               gboolean     force,
                               GError     **error);
static void journal_sync (AaEngine   *self,
                          AaMutation *mutation);
static void journal_sync_full (AaEngine   *self,
                               AaMutation *mutation,
                               gboolean    force);

/* Small helpers */

static gboolean
has_flag (AaMutation       *mutation,
          AaOperationFlags  flag)
{
  return (aa_operation_get_flags (aa_mutation_get_operation (mutation)) & flag) != 0;
}

static gboolean
is_failed (AaMutation *mutation)
{
  AaMutationState state = aa_mutation_get_state (mutation);

  return state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK;
}

/* Not sent yet, or sent without reaching the server: nothing of it was
 * applied, so it may still be coalesced or cancelled. */
static gboolean
is_held (AaMutation *mutation)
{
  AaMutationState state = aa_mutation_get_state (mutation);

  return state == AA_MUTATION_STATE_QUEUED || state == AA_MUTATION_STATE_WAITING;
}

static gboolean
is_reachable (AaEngine *self)
{
  return aa_connectivity_get_reachable (self->connectivity);
}

/*
 * The one place where a mutation changes state: every transition of its
 * life in this file goes through here (QUEUED, WAITING, SENT, UNKNOWN,
 * SUCCEEDED, FAILED, ROLLED_BACK, UNDONE, COALESCED), so that whatever
 * must follow each one (a journal of unsettled mutations) hooks here.
 * @error and @message: the failure, for FAILED and ROLLED_BACK; for
 * WAITING and UNKNOWN, @message is what the user reads meanwhile.
 */
static void
set_state (AaEngine        *self,
           AaMutation      *mutation,
           AaMutationState  state,
           const GError    *error,
           const char      *message)
{
  switch (state) {
  case AA_MUTATION_STATE_SENT:
    aa_mutation_begin_attempt (mutation);
    break;
  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    aa_mutation_fail (mutation, state, error, message);
    break;
  case AA_MUTATION_STATE_WAITING:
  case AA_MUTATION_STATE_UNKNOWN:
    aa_mutation_set_state (mutation, state);
    aa_mutation_set_message (mutation, message);
    break;
  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_SUCCEEDED:
  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    aa_mutation_set_state (mutation, state);
    break;
  }

  /* Settled: nothing of its lost answer is left to find out. */
  if (!aa_mutation_is_pending (mutation))
    aa_mutation_forget_lost_answer (mutation);

  journal_sync (self, mutation);
}

/* WAITING, with its words. */
static void
hold (AaEngine   *self,
      AaMutation *mutation)
{
  g_autofree char *words = aa_operation_format_waiting (aa_mutation_get_operation (mutation), mutation);

  set_state (self, mutation, AA_MUTATION_STATE_WAITING, NULL, words);
}

static gpointer
queue_key (AaEngine   *self,
           AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);

  return target != NULL ? (gpointer) target : (gpointer) self;
}

static GQueue *
lookup_queue (AaEngine *self,
              gpointer  key)
{
  return g_hash_table_lookup (self->queues, key);
}

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, g_object_unref);
}

static void
drop_from_queue (AaEngine   *self,
                 AaMutation *mutation)
{
  gpointer key = queue_key (self, mutation);
  GQueue *queue = lookup_queue (self, key);

  if (queue == NULL || !g_queue_remove (queue, mutation))
    return;

  g_object_unref (mutation);
  if (g_queue_is_empty (queue))
    g_hash_table_remove (self->queues, key);
}

static gboolean
is_head (AaEngine   *self,
         AaMutation *mutation)
{
  GQueue *queue = lookup_queue (self, queue_key (self, mutation));

  return queue != NULL && g_queue_peek_head (queue) == (gpointer) mutation;
}

/* States may carry a "version" member (an ETag's value); -1 when not. */
static gint64
state_version (AaState *state)
{
  return aa_state_get_int (state, "version", -1);
}

static gint64
get_base_version (AaMutation *mutation)
{
  return aa_mutation_get_base_version (mutation);
}

static void
set_base_version (AaMutation *mutation,
                  gint64      version)
{
  aa_mutation_set_base_version (mutation, version);
}

/* Our own change of @resource was answered with @version, one more than the
 * version it applied to: the field changes queued behind it that were based
 * on that one now build on ours. Based on an older one, they missed someone
 * else's change, and their 412 says so. */
static void
advance_bases (AaEngine   *self,
               AaResource *resource,
               gint64      version)
{
  GQueue *queue = lookup_queue (self, resource);

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (has_flag (mutation, AA_OPERATION_SETS_FIELDS) &&
        is_held (mutation) &&
        version > 0 && get_base_version (mutation) == version - 1) {
      set_base_version (mutation, version);
      journal_sync_full (self, mutation, TRUE);
    }
  }
}

/* What a resource displays: confirmed state + pending optimistic changes */

static gboolean
has_pending_optimistic (AaEngine   *self,
                        AaResource *resource)
{
  GQueue *queue = lookup_queue (self, resource);

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC && aa_mutation_is_pending (mutation))
      return TRUE;
  }

  return FALSE;
}

static JsonObject *
compute_displayed (AaEngine   *self,
                   AaResource *resource)
{
  JsonObject *state = aa_state_dup_object (aa_resource_get_confirmed (resource));
  GQueue *queue = lookup_queue (self, resource);

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC && aa_mutation_is_pending (mutation))
      aa_operation_apply (aa_mutation_get_operation (mutation), mutation, state);
  }

  return state;
}

/* Which sync state a resource shows when its mutations are in several:
 * the one that needs the user's attention most. */
static guint
sync_rank (AaSyncState state)
{
  switch (state) {
  case AA_SYNC_STATE_UNSAVED:
    return 4;
  case AA_SYNC_STATE_UNKNOWN:
    return 3;
  case AA_SYNC_STATE_WAITING:
    return 2;
  case AA_SYNC_STATE_PENDING:
    return 1;
  case AA_SYNC_STATE_SYNCED:
  default:
    return 0;
  }
}

/* Renders @key (a resource, or the engine itself) after anything happened
 * to it: displayed state, busy, sync state. */
static void
show (AaEngine *self,
      gpointer  key)
{
  GQueue *queue = lookup_queue (self, key);
  g_autoptr(AaState) state = NULL;
  AaSyncState sync_state = AA_SYNC_STATE_SYNCED;
  gboolean busy = FALSE;
  AaResource *resource;

  if (key == (gpointer) self)
    return;

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;
    AaSyncState mutation_state = AA_SYNC_STATE_PENDING;

    if (!aa_mutation_is_pending (mutation)) {
      if (has_flag (mutation, AA_OPERATION_CREATES))
        sync_state = AA_SYNC_STATE_UNSAVED;  /* a failed create waits at the head */
      continue;
    }

    if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN)
      mutation_state = AA_SYNC_STATE_UNKNOWN;
    else if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_WAITING)
      mutation_state = AA_SYNC_STATE_WAITING;

    /* A pessimistic change is not shown until confirmed: its target is
     * busy, and says so when its outcome is unknown. */
    if (aa_mutation_get_policy (mutation) == AA_POLICY_PESSIMISTIC) {
      busy = TRUE;
      if (mutation_state != AA_SYNC_STATE_UNKNOWN)
        continue;
    }

    if (sync_rank (mutation_state) > sync_rank (sync_state))
      sync_state = mutation_state;
  }

  resource = key;
  /* Nothing laid on top: the confirmed state itself is shown, not a copy. */
  if (has_pending_optimistic (self, resource)) {
    g_autoptr(JsonObject) displayed = compute_displayed (self, resource);

    state = aa_state_new (displayed);
  } else {
    state = aa_state_ref (aa_resource_get_confirmed (resource));
  }
  aa_resource_render (resource, state);
  aa_resource_set_busy (resource, busy);
  aa_resource_set_sync_state (resource, sync_state);

  g_signal_emit (self, signals[SIGNAL_SHOWN], 0, resource);
}

/* Removing for good (AA_OPERATION_REMOVES) */

typedef struct {
  GWeakRef store;  /* the store holds the engine */
  guint    position;
} RemovedFrom;

static void
removed_from_free (RemovedFrom *removed)
{
  g_weak_ref_clear (&removed->store);
  g_free (removed);
}

/* The store @resource was taken out of by a removal, if it was. */
static AaResourceStore *
dup_removed_store (AaEngine   *self,
                   AaResource *resource)
{
  RemovedFrom *removed = g_hash_table_lookup (self->removed_from, resource);

  return removed != NULL ? g_weak_ref_get (&removed->store) : NULL;
}

/* The target of a removal leaves its list at once (if optimistic) or once
 * the server confirms it, remembering where it was. */
static void
take_out (AaEngine   *self,
          AaResource *target)
{
  AaResourceStore *store = target ? aa_resource_store_of (target) : NULL;
  RemovedFrom *removed;
  guint position;

  if (store == NULL || !_aa_resource_store_find (store, target, &position))
    return;

  removed = g_new0 (RemovedFrom, 1);
  g_weak_ref_init (&removed->store, store);
  removed->position = position;
  g_hash_table_replace (self->removed_from, g_object_ref (target), removed);
  aa_resource_store_remove (store, target);
}

/* A failed removal rolls back, and a re-create brings it back (as local
 * until the server gives its new id): where it was. */
static void
put_back (AaEngine   *self,
          AaResource *target,
          gboolean    as_local)
{
  RemovedFrom *removed = target ? g_hash_table_lookup (self->removed_from, target) : NULL;
  g_autoptr(AaResourceStore) store = NULL;

  if (removed == NULL || aa_resource_store_of (target) != NULL)
    return;

  store = g_weak_ref_get (&removed->store);
  if (store != NULL) {
    if (as_local)
      aa_resource_set_local (target, TRUE);
    _aa_resource_store_put_back (store, removed->position, target);
  }
  g_hash_table_remove (self->removed_from, target);
}

/* The summary properties: n-pending, n-failed, undoable */

static gboolean
can_undo (AaEngine   *self,
          AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  g_autoptr(AaResourceStore) removed_store = NULL;
  AaResourceStore *store;

  if (!has_flag (mutation, AA_OPERATION_UNDOABLE) || target == NULL)
    return FALSE;

  /* No undo of an undo, no second undo, nothing to undo after a failure,
   * and nothing of an object that is gone for good (unless our own removal
   * took it, which a re-create brings back). */
  store = aa_resource_store_of (target);
  if (store == NULL && has_flag (mutation, AA_OPERATION_REMOVES))
    store = removed_store = dup_removed_store (self, target);
  return aa_mutation_get_undo_of (mutation) == NULL &&
         aa_mutation_get_undone_by (mutation) == NULL &&
         (aa_mutation_is_pending (mutation) ||
          aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED) &&
         store != NULL;
}

static void
update_summary (AaEngine *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->mutations));
  guint n_pending = 0;
  guint n_failed = 0;
  guint n_waiting = 0;
  guint n_unknown = 0;
  AaMutation *undoable = NULL;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->counted);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    AaMutation *mutation = key;

    /* A mutation refused before anything was sent (invalid input) is
     * fixed in the form, not retried, so it does not count. Only a
     * retry brings a dismissed one back (and adds it again). */
    if (aa_mutation_is_pending (mutation)) {
      n_pending++;
      if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_WAITING)
        n_waiting++;
      else if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN)
        n_unknown++;
    } else if (is_failed (mutation) && !aa_mutation_get_dismissed (mutation) && aa_mutation_get_attempts (mutation) > 0)
      n_failed++;
    else
      g_hash_table_iter_remove (&iter);
  }

  /* The newest one that can be undone: usually the first looked at. */
  for (guint i = 0; i < n && undoable == NULL; i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (G_LIST_MODEL (self->mutations), i);

    if (can_undo (self, mutation))
      undoable = mutation;
  }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_pending != n_pending) {
    self->n_pending = n_pending;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_PENDING]);
  }
  if (self->n_failed != n_failed) {
    self->n_failed = n_failed;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_FAILED]);
  }
  if (self->n_waiting != n_waiting) {
    self->n_waiting = n_waiting;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_WAITING]);
  }
  if (self->n_unknown != n_unknown) {
    self->n_unknown = n_unknown;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_UNKNOWN]);
  }
  if (g_set_object (&self->undoable, undoable))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNDOABLE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
emit_feedback (AaEngine   *self,
               AaMutation *mutation)
{
  g_autoptr(AaFeedback) feedback = NULL;

  /* "Deleted “X”" with Undo is pointless once the user already undid it. */
  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED &&
      aa_mutation_get_undone_by (mutation) != NULL)
    return;

  feedback = aa_feedback_new_for_mutation (mutation);
  if (feedback != NULL)
    g_signal_emit (self, signals[SIGNAL_FEEDBACK], 0, feedback);
}

/* Queues and coalescing */

/*
 * Coalescing keeps rapid clicks from turning into a stream of requests.
 * Take a star clicked 3 times while nothing is in flight:
 *
 *   click 1 (on)   sent at once
 *   click 2 (off)  queued behind it
 *   click 3 (on)   queued; it sets every field click 2 sets, so click 2 is
 *                  COALESCED here and never sent
 *   click 1 settles: the server confirms "on", which is what click 3 wants,
 *                  so click 3 is COALESCED too (drop_confirmed()).
 *
 * One request in all. With a 4th click (off) replacing click 3, "off" differs
 * from the confirmed "on" and is sent: two requests. The display never waits
 * for any of this: it always shows the newest click.
 */
static void
coalesce (AaEngine   *self,
          AaMutation *mutation)
{
  g_debug ("Coalesced %s", aa_mutation_get_label (mutation));
  set_state (self, mutation, AA_MUTATION_STATE_COALESCED, NULL, NULL);
  drop_from_queue (self, mutation);
}

static gboolean
patch_covers (JsonObject *newer,
              JsonObject *older)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (newer == NULL || older == NULL)
    return FALSE;

  json_object_iter_init (&iter, older);
  while (json_object_iter_next (&iter, &name, &node)) {
    if (!json_object_has_member (newer, name))
      return FALSE;
  }

  return TRUE;
}

/* Drops the queued field changes that @newer makes pointless. Only the run
 * of queued field changes at the tail is looked at: the server must still
 * see whatever came before a delete, or before a request in flight. */
static void
drop_superseded (AaEngine   *self,
                 GQueue     *queue,
                 AaMutation *newer)
{
  GList *l = queue->tail;

  while (l != NULL) {
    AaMutation *older = l->data;

    l = l->prev;
    if (!is_held (older) || !has_flag (older, AA_OPERATION_SETS_FIELDS))
      break;
    if (patch_covers (aa_mutation_get_patch (newer), aa_mutation_get_patch (older)))
      coalesce (self, older);
  }
}

/* Drops the held field changes (waiting, say, for the server to be back)
 * that a newer held one of the same fields makes pointless: what waited
 * offline leaves as the user's last intentions, in order. A change of
 * another kind (a delete) is a barrier, as in drop_superseded(). */
static void
coalesce_held (AaEngine *self,
               gpointer  key)
{
  GQueue *queue = lookup_queue (self, key);
  g_autoptr(GPtrArray) newer = g_ptr_array_new ();
  GList *l = queue ? queue->tail : NULL;

  while (l != NULL) {
    AaMutation *mutation = l->data;
    gboolean covered = FALSE;

    l = l->prev;
    if (!is_held (mutation) || !has_flag (mutation, AA_OPERATION_SETS_FIELDS)) {
      g_ptr_array_set_size (newer, 0);
      continue;
    }

    for (guint i = 0; i < newer->len && !covered; i++)
      covered = patch_covers (aa_mutation_get_patch (newer->pdata[i]), aa_mutation_get_patch (mutation));
    if (covered)
      coalesce (self, mutation);
    else
      g_ptr_array_add (newer, mutation);
  }
}

/* Drops the queued field changes whose values the server now has. */
static void
drop_confirmed (AaEngine   *self,
                AaResource *resource)
{
  GQueue *queue = lookup_queue (self, resource);
  AaState *confirmed = aa_resource_get_confirmed (resource);
  GList *l = queue ? queue->head : NULL;

  while (l != NULL) {
    AaMutation *mutation = l->data;
    JsonObject *patch = aa_mutation_get_patch (mutation);
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;
    gboolean same = TRUE;

    l = l->next;
    if (!is_held (mutation) ||
        !has_flag (mutation, AA_OPERATION_SETS_FIELDS) || patch == NULL)
      break;

    json_object_iter_init (&iter, patch);
    while (same && json_object_iter_next (&iter, &name, &node)) {
      g_autoptr(JsonNode) current = aa_state_dup_member (confirmed, name);

      same = current != NULL && json_node_equal (current, node);
    }

    if (same)
      coalesce (self, mutation);
  }
}

static void
enqueue (AaEngine   *self,
         AaMutation *mutation)
{
  gpointer key = queue_key (self, mutation);
  GQueue *queue = lookup_queue (self, key);

  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (self->queues, key, queue);
  }

  if (has_flag (mutation, AA_OPERATION_SETS_FIELDS))
    drop_superseded (self, queue, mutation);

  /* Unreachable: it waits, shown, and still coalesces with what follows. */
  if (is_reachable (self))
    set_state (self, mutation, AA_MUTATION_STATE_QUEUED, NULL, NULL);
  else
    hold (self, mutation);
  g_queue_push_tail (queue, g_object_ref (mutation));

  /* A re-create brings back what our removal took out; an optimistic
   * removal takes it out at once. */
  if (has_flag (mutation, AA_OPERATION_CREATES))
    put_back (self, aa_mutation_get_target (mutation), TRUE);
  if (has_flag (mutation, AA_OPERATION_REMOVES) && aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC)
    take_out (self, aa_mutation_get_target (mutation));

  /* Optimistic: the models change here, inside the caller's call. */
  show (self, key);
  pump (self, key);
}

/* Sending */

typedef struct {
  AaEngine   *self;
  AaMutation *mutation;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->mutation);
  g_free (request);
}

static void request_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
remember_key (AaEngine   *self,
              const char *key)
{
  char *copy;

  if (key == NULL || g_hash_table_contains (self->sent_keys, key))
    return;

  copy = g_strdup (key);
  g_hash_table_add (self->sent_keys, copy);
  g_queue_push_tail (&self->sent_order, copy);
  if (g_queue_get_length (&self->sent_order) > MAX_SENT_KEYS)
    g_hash_table_remove (self->sent_keys, g_queue_pop_head (&self->sent_order));
}

/**
 * aa_engine_is_own_change:
 * @self: an engine
 * @idempotency_key: the key an event names as the origin of a change
 *
 * Tells an echo of our own change from a change made elsewhere: the
 * engine remembers the keys of the last 4,096 mutations it sent.
 *
 * Returns: %TRUE when one of this engine's mutations was sent with
 *   @idempotency_key
 */
gboolean
aa_engine_is_own_change (AaEngine   *self,
                         const char *idempotency_key)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  return g_hash_table_contains (self->sent_keys, idempotency_key);
}

static void
send (AaEngine   *self,
      AaMutation *mutation)
{
  g_autoptr(AaRequest) request = NULL;
  Request *data;

  request = aa_operation_build_request (aa_mutation_get_operation (mutation), mutation);
  g_return_if_fail (request != NULL);

  set_state (self, mutation, AA_MUTATION_STATE_SENT, NULL, NULL);
  aa_mutation_set_sent (mutation, aa_request_get_method (request),
                        aa_rest_client_get_backend_features (self->client));
  remember_key (self, aa_mutation_get_idempotency_key (mutation));
  g_debug ("Sending %s: %s %s (attempt %u)", aa_mutation_get_label (mutation),
           aa_request_get_method (request), aa_request_get_path (request),
           aa_mutation_get_attempts (mutation));

  data = g_new0 (Request, 1);
  data->self = g_object_ref (self);
  data->mutation = g_object_ref (mutation);
  aa_rest_client_request_async (self->client,
                                aa_request_get_method (request),
                                aa_request_get_path (request),
                                aa_request_get_body (request),
                                aa_mutation_get_idempotency_key (mutation),
                                aa_request_get_if_match (request),
                                NULL, request_cb, data);
}

/* Sends the head of @key's queue unless something of it is in flight. */
static void
pump (AaEngine *self,
      gpointer  key)
{
  GQueue *queue = lookup_queue (self, key);
  AaMutation *head;

  if (queue == NULL)
    return;

  head = g_queue_peek_head (queue);

  /* A failed create stays at the head: what was queued behind it needs
   * the id that only a successful retry of the create will give. */
  if (aa_mutation_get_state (head) == AA_MUTATION_STATE_QUEUED && is_reachable (self))
    send (self, head);
}

/* Settling */

/* Stores what the server confirmed for @mutation's target. */
static gboolean
confirm (AaEngine    *self,
         AaMutation  *mutation,
         JsonNode    *node,
         GError     **error)
{
  AaResource *target = aa_mutation_get_target (mutation);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(AaState) state = NULL;
  GError *local_error = NULL;

  object = aa_operation_confirm (aa_mutation_get_operation (mutation), mutation, node, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, local_error);
    return FALSE;
  }
  /* Removed for good: a pessimistic removal's target leaves now. */
  if (target != NULL && has_flag (mutation, AA_OPERATION_REMOVES))
    take_out (self, target);
  if (object == NULL || target == NULL)
    return TRUE;
  state = aa_state_new (object);

  /* The create's answer carries the real id: the temporary one goes, and
   * whatever waited behind the create is sent with the real one. */
  if (aa_resource_is_local (target) && aa_state_has_member (state, "id")) {
    AaResourceStore *store = aa_resource_store_of (target);
    g_autofree char *id = _aa_state_dup_id (state);
    g_autofree char *old_id = g_strdup (aa_resource_get_id (target));

    if (store != NULL) {
      AaResource *twin = aa_resource_store_lookup (store, id);

      /* A refresh that raced the answer (or followed a lost one) may
       * already show the server's copy: ours, which the user may be
       * editing, replaces it. */
      if (twin != NULL && twin != target && !aa_engine_has_pending (self, twin))
        aa_resource_store_remove (store, twin);
    }

    aa_resource_set_id (target, id);
    aa_resource_set_local (target, FALSE);
    if (store != NULL)
      _aa_resource_store_rekey (store, target, old_id);
    /* What waited behind the create is journaled with the real id. */
    if (self->journal != NULL)
      aa_journal_rename_target (self->journal, old_id, id);
  }

  if (has_flag (mutation, AA_OPERATION_SETS_FIELDS))
    advance_bases (self, target, state_version (state));

  /* A refresh that the server answered after this request may already have
   * confirmed a newer version (someone else's change on top of ours). */
  if (state_version (state) < 0 ||
      state_version (aa_resource_get_confirmed (target)) <= state_version (state))
    aa_resource_set_confirmed (target, state);

  return TRUE;
}

/* The server's copy of an object that a refresh showed beside our
 * unconfirmed create, kept by confirm() while it had changes on their way:
 * once they settled it goes, and ours takes what it confirmed, if newer. */
static void
drop_twin (AaEngine *self,
           gpointer  key)
{
  AaResource *twin = key;
  AaResourceStore *store;
  AaResource *owner;
  AaState *confirmed;

  if (key == (gpointer) self || aa_engine_has_pending (self, twin))
    return;

  store = aa_resource_store_of (twin);
  if (store == NULL)
    return;

  owner = aa_resource_store_lookup (store, aa_resource_get_id (twin));
  if (owner == NULL || owner == twin)
    return;

  confirmed = aa_resource_get_confirmed (twin);
  /* States are immutable: the owner shares the twin's. */
  if (state_version (confirmed) > state_version (aa_resource_get_confirmed (owner))) {
    aa_resource_set_confirmed (owner, confirmed);
    show (self, owner);
  }
  aa_resource_store_remove (store, twin);
}

/* A failed change whose every field a newer change of the same object just
 * saved has nothing left to save: it is let go, so that neither the failed
 * count nor quitting names it (a save that met a conflict, then saved again
 * over the reloaded version, say). */
static void
dismiss_covered_failures (AaEngine   *self,
                          AaMutation *saved)
{
  AaResource *target = aa_mutation_get_target (saved);
  GHashTableIter iter;
  gpointer key;

  if (target == NULL || !has_flag (saved, AA_OPERATION_SETS_FIELDS))
    return;

  g_hash_table_iter_init (&iter, self->counted);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    AaMutation *failed = key;

    if (failed != saved && is_failed (failed) && aa_mutation_get_target (failed) == target &&
        has_flag (failed, AA_OPERATION_SETS_FIELDS) &&
        patch_covers (aa_mutation_get_patch (saved), aa_mutation_get_patch (failed))) {
      aa_mutation_set_dismissed (failed, TRUE);
      journal_sync_full (self, failed, TRUE);
    }
  }
}

static void settle_failure (AaEngine     *self,
                            AaMutation   *mutation,
                            const GError *error);
static void schedule_resolve (AaEngine *self);

static void
settle_success (AaEngine   *self,
                AaMutation *mutation,
                JsonNode   *node)
{
  g_autoptr(GError) error = NULL;
  AaMutation *original = aa_mutation_get_undo_of (mutation);
  AaResource *target = aa_mutation_get_target (mutation);
  gpointer key = queue_key (self, mutation);

  /* Ticks before confirm(), so that what it removes is known as removed
   * after any refresh already on its way. */
  self->clock++;

  if (!confirm (self, mutation, node, &error)) {
    settle_failure (self, mutation, error);
    return;
  }

  if (target != NULL)
    aa_resource_mark_settled (target, self->clock);

  if (aa_mutation_get_lost_answer (mutation) != NULL)
    self->resolve_delay_ms = 0;
  set_state (self, mutation, AA_MUTATION_STATE_SUCCEEDED, NULL, NULL);
  drop_from_queue (self, mutation);

  /* The original counts as undone once its undo is on the server. */
  if (original != NULL)
    set_state (self, original, AA_MUTATION_STATE_UNDONE, NULL, NULL);

  if (target != NULL)
    drop_confirmed (self, target);
  dismiss_covered_failures (self, mutation);

  show (self, key);
  pump (self, key);
  drop_twin (self, key);
}

/* 404 or 410: the object is not on the server any more, so nothing of it
 * can succeed. It leaves the view, and what was queued for it with it. */
static void
remove_gone (AaEngine   *self,
             AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  AaResourceStore *store = target ? aa_resource_store_of (target) : NULL;
  GQueue *queue;

  if (store == NULL)
    return;

  queue = lookup_queue (self, target);
  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    if (l->data != (gpointer) mutation && aa_mutation_is_pending (l->data))
      set_state (self, l->data, AA_MUTATION_STATE_UNDONE, NULL, NULL);
  }
  g_hash_table_remove (self->queues, target);
  aa_resource_set_removed_elsewhere (target);
  aa_resource_store_remove (store, target);
}

/* A failure that the server's answer (or its absence) makes final. */
static void
settle_failure_for_good (AaEngine     *self,
                         AaMutation   *mutation,
                         const GError *error)
{
  g_autofree char *message = aa_feedback_format_failure (mutation, error);
  gpointer key = queue_key (self, mutation);
  g_autoptr(GObject) keep = g_object_ref (key);

  g_debug ("%s failed: %s", aa_mutation_get_label (mutation), error->message);

  if (aa_error_is_removal (error) && !has_flag (mutation, AA_OPERATION_CREATES)) {
    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
    drop_from_queue (self, mutation);
    remove_gone (self, mutation);
    return;
  }

  if (has_flag (mutation, AA_OPERATION_CREATES)) {
    /* The object stays, marked unsaved, with what was typed; it keeps its
     * place at the head of its queue until a retry succeeds. */
    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
  } else if (aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC) {
    /* Leaving its change out of show() is the whole rollback: later
     * pending mutations of the resource stay applied. */
    set_state (self, mutation, AA_MUTATION_STATE_ROLLED_BACK, error, message);
    drop_from_queue (self, mutation);
    if (has_flag (mutation, AA_OPERATION_REMOVES))
      put_back (self, aa_mutation_get_target (mutation), FALSE);
  } else {
    /* Pessimistic: nothing was changed, so nothing to take back. */
    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
    drop_from_queue (self, mutation);
  }

  show (self, key);
  pump (self, key);
  drop_twin (self, key);
}

/* Whether the engine can find out by itself what happened to @mutation,
 * whose answer was lost: by its check, an event, or a resend that is safe
 * (aa_mutation_can_send_again()). */
static gboolean
can_resolve (AaMutation *mutation)
{
  switch (aa_operation_get_resolution (aa_mutation_get_operation (mutation))) {
  case AA_RESOLUTION_CHECK:
  case AA_RESOLUTION_EVENT:
    return TRUE;
  case AA_RESOLUTION_RESEND:
  case AA_RESOLUTION_DEFAULT:
  default:
    return aa_mutation_can_send_again (mutation, NULL);
  }
}

/* The words of an unknown outcome: "checking" while the engine can find
 * out, else that it couldn't confirm it and what to do. */
static char *
format_unknown (AaMutation *mutation)
{
  AaOperation *operation = aa_mutation_get_operation (mutation);

  if (can_resolve (mutation))
    return aa_operation_format_unknown (operation, mutation);
  return aa_operation_format_unconfirmed (operation, mutation);
}

/* The answer was lost after the request may have reached the server: its
 * outcome is unknown. It stays at the head of its queue, its optimistic
 * change still shown, until resolve_unknown() finds out. */
static void
settle_unknown (AaEngine     *self,
                AaMutation   *mutation,
                const GError *error)
{
  g_autofree char *words = format_unknown (mutation);

  g_debug ("%s: outcome unknown (%s)", aa_mutation_get_label (mutation), error->message);
  set_state (self, mutation, AA_MUTATION_STATE_UNKNOWN, NULL, words);
  aa_mutation_set_lost_answer (mutation, error);
  show (self, queue_key (self, mutation));
  schedule_resolve (self);
}

/* Whether @error leaves the outcome unknown: the request may have reached
 * the server, and its answer was lost. */
static gboolean
is_lost_answer (const GError *error)
{
  return g_error_matches (error, AA_ERROR, AA_ERROR_TIMEOUT) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_CONNECTION_LOST);
}

/* Three outcomes, never two: the server refused (final), the request never
 * reached it (nothing applied: an optimistic change waits for the server),
 * or its answer was lost (unknown). */
static void
settle_failure (AaEngine     *self,
                AaMutation   *mutation,
                const GError *error)
{
  gboolean was_unknown = aa_mutation_get_lost_answer (mutation) != NULL;

  if (g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE)) {
    aa_connectivity_report_unreachable (self->connectivity);

    /* An earlier attempt may still have reached it. */
    if (was_unknown) {
      g_autofree char *words = format_unknown (mutation);

      set_state (self, mutation, AA_MUTATION_STATE_UNKNOWN, NULL, words);
      show (self, queue_key (self, mutation));
      return;
    }

    if (aa_operation_get_offline_policy (aa_mutation_get_operation (mutation)) == AA_OFFLINE_POLICY_WAIT) {
      hold (self, mutation);
      coalesce_held (self, queue_key (self, mutation));
      show (self, queue_key (self, mutation));
      return;
    }
  } else if (was_unknown && g_error_matches (error, AA_ERROR, AA_ERROR_STATE) &&
             aa_mutation_add_in_flight_answer (mutation) <= MAX_IN_FLIGHT_ANSWERS) {
    /* The same key still in flight (409): the first attempt is still
     * being applied, so the outcome is still unknown; asked again later. */
    g_autofree char *words = format_unknown (mutation);

    set_state (self, mutation, AA_MUTATION_STATE_UNKNOWN, NULL, words);
    show (self, queue_key (self, mutation));
    schedule_resolve (self);
    return;
  } else if (is_lost_answer (error)) {
    JsonNode *seen = aa_mutation_get_event_state (mutation);

    /* The stream already said the server applied it. */
    if (seen != NULL) {
      g_autoptr(JsonNode) node = json_node_ref (seen);

      settle_success (self, mutation, node);
      return;
    }
    settle_unknown (self, mutation, error);
    return;
  }

  settle_failure_for_good (self, mutation, error);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  AaEngine *self = request->self;
  AaMutation *mutation = request->mutation;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replayed = FALSE;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, &replayed, &error);

  /* Settled while on its way: its target was removed elsewhere
   * (remove_elsewhere()). Whatever the answer (404, 410, or a
   * success that raced the removal), there is nothing left to confirm,
   * roll back or retry, and the user was told once already. */
  if (aa_mutation_get_state (mutation) != AA_MUTATION_STATE_SENT) {
    g_debug ("%s: answer after its target was removed elsewhere, ignored", aa_mutation_get_label (mutation));
    request_free (request);
    return;
  }

  aa_mutation_set_replayed (mutation, replayed);

  if (node != NULL || (error->domain == AA_ERROR && !is_lost_answer (error) &&
                       !g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE)))
    aa_connectivity_report_reachable (self->connectivity);

  if (node != NULL)
    settle_success (self, mutation, node);
  else
    settle_failure (self, mutation, error);

  emit_feedback (self, mutation);
  update_summary (self);
  request_free (request);
}

/* Unknown outcomes */

typedef struct {
  AaEngine   *self;
  AaMutation *mutation;
} Check;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Check *check = user_data;
  g_autoptr(AaEngine) self = check->self;
  g_autoptr(AaMutation) mutation = check->mutation;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const GError *lost;
  AaCheckResult found = AA_CHECK_RESULT_UNKNOWN;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  aa_mutation_set_checking (mutation, FALSE);

  /* Settled meanwhile: by an event naming its key, or removed elsewhere. */
  if (aa_mutation_get_state (mutation) != AA_MUTATION_STATE_UNKNOWN)
    return;

  if (node != NULL)
    found = aa_operation_interpret_check (aa_mutation_get_operation (mutation), mutation, node);
  else if (g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE))
    aa_connectivity_report_unreachable (self->connectivity);

  g_debug ("%s: checked, %s", aa_mutation_get_label (mutation),
           found == AA_CHECK_RESULT_APPLIED ? "applied" :
           found == AA_CHECK_RESULT_NOT_APPLIED ? "not applied" : "still unknown");

  switch (found) {
  case AA_CHECK_RESULT_APPLIED:
    settle_success (self, mutation, node);
    break;
  case AA_CHECK_RESULT_NOT_APPLIED:
    /* Nothing happened: a plain failure, with the error of the attempt
     * whose answer was lost (a retry sends the same key). */
    lost = aa_mutation_get_lost_answer (mutation);
    aa_mutation_set_sent (mutation, NULL, AA_BACKEND_FEATURES_NONE);
    if (lost != NULL) {
      g_autoptr(GError) copy = g_error_copy (lost);

      settle_failure_for_good (self, mutation, copy);
    } else {
      g_autoptr(GError) copy = g_error_new_literal (AA_ERROR, AA_ERROR_CONNECTION_LOST,
                                                    _("The server’s answer was lost."));

      settle_failure_for_good (self, mutation, copy);
    }
    break;
  case AA_CHECK_RESULT_UNKNOWN:
  default:
    schedule_resolve (self);
    return;
  }

  emit_feedback (self, mutation);
  update_summary (self);
}

static void
check (AaEngine   *self,
       AaMutation *mutation)
{
  g_autoptr(AaRequest) request = NULL;
  Check *data;

  if (aa_mutation_get_checking (mutation))
    return;

  request = aa_operation_build_check (aa_mutation_get_operation (mutation), mutation);
  /* A check declared in the rule but not implemented: a resend, where
   * it is safe. */
  if (request == NULL) {
    if (aa_mutation_can_send_again (mutation, NULL))
      send (self, mutation);
    return;
  }

  g_debug ("Checking %s: %s %s", aa_mutation_get_label (mutation),
           aa_request_get_method (request), aa_request_get_path (request));
  aa_mutation_set_checking (mutation, TRUE);

  data = g_new0 (Check, 1);
  data->self = g_object_ref (self);
  data->mutation = g_object_ref (mutation);
  aa_rest_client_request_async (self->client,
                                aa_request_get_method (request),
                                aa_request_get_path (request),
                                aa_request_get_body (request),
                                NULL, -1, NULL, check_cb, data);
}

/* Finds out what happened to each mutation of unknown outcome (the head of
 * its queue), as its rule says: the same request again with the same key,
 * or the operation's own check. Called once the server answers a probe. */
static void
resolve_unknown (AaEngine *self)
{
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  if (!is_reachable (self))
    return;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    AaMutation *head = g_queue_peek_head (value);

    if (aa_mutation_get_state (head) == AA_MUTATION_STATE_UNKNOWN)
      g_ptr_array_add (unknown, g_object_ref (head));
  }

  for (guint i = 0; i < unknown->len; i++) {
    AaMutation *mutation = g_ptr_array_index (unknown, i);

    switch (aa_operation_get_resolution (aa_mutation_get_operation (mutation))) {
    case AA_RESOLUTION_CHECK:
      check (self, mutation);
      break;
    case AA_RESOLUTION_EVENT:
      break;
    case AA_RESOLUTION_RESEND:
    case AA_RESOLUTION_DEFAULT:
    default:
      /* Not without a backend that honours the key, for a request that is
       * not idempotent: it stays unknown, worded so (settle_unknown()),
       * unless an event naming its key comes. */
      if (aa_mutation_can_send_again (mutation, NULL))
        send (self, mutation);
      break;
    }
  }

  if (unknown->len > 0)
    update_summary (self);
}

static gboolean
resolve_timer_cb (gpointer user_data)
{
  AaEngine *self = user_data;

  g_clear_pointer (&self->resolve_timer, g_source_unref);
  /* The probe's answer resolves them (probed_cb()); an unanswered one
   * makes the server unreachable, and its return resolves them. */
  aa_connectivity_check (self->connectivity);
  return G_SOURCE_REMOVE;
}

/* Another attempt at the unknown outcomes soon, with backoff: a server
 * that keeps losing answers is not asked in a tight loop. */
static void
schedule_resolve (AaEngine *self)
{
  if (self->resolve_timer != NULL)
    return;

  self->resolve_delay_ms = self->resolve_delay_ms == 0 ? MIN_RESOLVE_DELAY_MS
                                                       : MIN (self->resolve_delay_ms * 2, MAX_RESOLVE_DELAY_MS);
  self->resolve_timer = g_timeout_source_new (self->resolve_delay_ms);
  g_source_set_callback (self->resolve_timer, resolve_timer_cb, self, NULL);
  g_source_set_static_name (self->resolve_timer, "[aa] resolve unknown outcomes");
  g_source_attach (self->resolve_timer, g_main_context_get_thread_default ());
}

static void
probed_cb (AaEngine *self,
           gboolean  reachable)
{
  if (reachable)
    resolve_unknown (self);
}

static gboolean
resume_cb (gpointer user_data)
{
  AaEngine *self = user_data;
  gint64 start = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->resuming) && g_get_monotonic_time () - start < RESUME_BUDGET_US) {
    gpointer key = g_queue_pop_head (&self->resuming);

    if (lookup_queue (self, key) == NULL)
      continue;
    show (self, key);
    pump (self, key);
  }

  if (!g_queue_is_empty (&self->resuming))
    return G_SOURCE_CONTINUE;

  update_summary (self);
  g_clear_pointer (&self->resume_idle, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* The server can't be reached: what is queued waits (optimistic) or is
 * refused (pessimistic). When it can again: what waits is sent, in order
 * per resource, and unknown outcomes are resolved. */
static void
reachable_cb (AaEngine *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean reachable = is_reachable (self);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    GQueue *queue = value;

    g_ptr_array_add (keys, key);
    for (GList *l = queue->head; l != NULL; l = l->next) {
      AaMutation *mutation = l->data;
      AaMutationState state = aa_mutation_get_state (mutation);

      if (reachable && state == AA_MUTATION_STATE_WAITING)
        set_state (self, mutation, AA_MUTATION_STATE_QUEUED, NULL, NULL);
      else if (!reachable && state == AA_MUTATION_STATE_QUEUED &&
               aa_operation_get_offline_policy (aa_mutation_get_operation (mutation)) == AA_OFFLINE_POLICY_WAIT)
        hold (self, mutation);
      else if (!reachable && state == AA_MUTATION_STATE_QUEUED)
        g_ptr_array_add (refused, g_object_ref (mutation));
    }
  }

  for (guint i = 0; i < refused->len; i++) {
    AaMutation *mutation = g_ptr_array_index (refused, i);
    g_autoptr(GError) error = g_error_new_literal (AA_ERROR, AA_ERROR_OFFLINE,
                                                   _("The server can’t be reached."));
    g_autofree char *message = aa_feedback_format_failure (mutation, error);

    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
    drop_from_queue (self, mutation);
    emit_feedback (self, mutation);
  }

  for (guint i = 0; i < keys->len; i++) {
    if (reachable) {
      /* Sent a few at a time: a thousand changes waited, and no frame
       * may wait for them. */
      coalesce_held (self, keys->pdata[i]);
      if (lookup_queue (self, keys->pdata[i]) != NULL)
        g_queue_push_tail (&self->resuming, keys->pdata[i]);
    } else if (lookup_queue (self, keys->pdata[i]) != NULL) {
      show (self, keys->pdata[i]);
    }
  }

  if (reachable && !g_queue_is_empty (&self->resuming) && self->resume_idle == NULL) {
    self->resume_idle = g_idle_source_new ();
    g_source_set_priority (self->resume_idle, G_PRIORITY_DEFAULT);
    g_source_set_callback (self->resume_idle, resume_cb, self, NULL);
    g_source_set_static_name (self->resume_idle, "[aa] send what waited");
    g_source_attach (self->resume_idle, g_main_context_get_thread_default ());
  }

  if (reachable)
    resolve_unknown (self);
  update_summary (self);
}

/* An event whose origin is @origin: the mutation of unknown outcome with
 * that key, if any, succeeded; one still on its way keeps @state in case
 * its answer is lost. TRUE when it settled one. */
static gboolean
resolve_by_event (AaEngine   *self,
                  const char *origin,
                  JsonObject *state)
{
  g_autoptr(JsonNode) node = NULL;
  GHashTableIter iter;
  gpointer value;
  AaMutation *found = NULL;

  g_hash_table_iter_init (&iter, self->queues);
  while (found == NULL && g_hash_table_iter_next (&iter, NULL, &value)) {
    AaMutation *head = g_queue_peek_head (value);

    if (g_strcmp0 (aa_mutation_get_idempotency_key (head), origin) == 0)
      found = head;
  }

  if (found == NULL)
    return FALSE;

  if (state != NULL) {
    node = json_node_new (JSON_NODE_OBJECT);
    json_node_set_object (node, state);
  } else {
    node = json_node_new (JSON_NODE_NULL);
  }

  /* On its way: its own answer settles it, unless that answer is lost. */
  if (aa_mutation_get_state (found) == AA_MUTATION_STATE_SENT) {
    aa_mutation_set_event_state (found, node);
    return FALSE;
  }
  if (aa_mutation_get_state (found) != AA_MUTATION_STATE_UNKNOWN)
    return FALSE;

  g_debug ("%s: the server's event names its key, so it was applied", aa_mutation_get_label (found));
  g_object_ref (found);
  settle_success (self, found, node);
  emit_feedback (self, found);
  update_summary (self);
  g_object_unref (found);

  return TRUE;
}

gboolean
_aa_engine_claim_event (AaEngine   *self,
                        const char *origin,
                        JsonObject *state)
{
  g_assert (AA_IS_ENGINE (self));

  if (origin == NULL)
    return FALSE;
  /* A mutation whose answer was lost learns here that it succeeded; the
   * echo of any other change of ours is left to its own answer. */
  return resolve_by_event (self, origin, state) || aa_engine_is_own_change (self, origin);
}

/* Removed elsewhere */

static GError *
new_removed_elsewhere_error (void)
{
  return g_error_new_literal (AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE,
                              _("It was removed elsewhere while this change waited."));
}

/* The mutations of @resource the user is still acting on: those queued or
 * on their way, oldest first, then the failed ones waiting for a retry. */
static GPtrArray *
list_acting_on (AaEngine   *self,
                AaResource *resource)
{
  GPtrArray *acting = g_ptr_array_new_with_free_func (g_object_unref);
  GQueue *queue = lookup_queue (self, resource);
  GHashTableIter iter;
  gpointer key;

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    if (aa_mutation_is_pending (l->data))
      g_ptr_array_add (acting, g_object_ref (l->data));
  }

  g_hash_table_iter_init (&iter, self->counted);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    AaMutation *failed = key;

    if (aa_mutation_get_target (failed) == resource && is_failed (failed) &&
        !aa_mutation_get_dismissed (failed) && aa_mutation_get_attempts (failed) > 0)
      g_ptr_array_add (acting, g_object_ref (failed));
  }

  return acting;
}

/* What the message is about: the newest pending change (the user's latest
 * intention), or else the failed one that failed last. */
static AaMutation *
choose_told (GPtrArray *acting)
{
  AaMutation *told = NULL;

  for (guint i = 0; i < acting->len; i++) {
    AaMutation *mutation = g_ptr_array_index (acting, i);

    if (aa_mutation_is_pending (mutation))
      told = mutation;
    else if (told == NULL || (!aa_mutation_is_pending (told) &&
                              aa_mutation_get_finished_at (mutation) > aa_mutation_get_finished_at (told)))
      told = mutation;
  }

  return told;
}

static void
remove_elsewhere (AaEngine   *self,
                  AaResource *resource)
{
  g_autoptr(AaResource) keep = g_object_ref (resource);
  g_autoptr(GPtrArray) acting = list_acting_on (self, resource);
  g_autoptr(GError) error = NULL;
  AaResourceStore *store = aa_resource_store_of (resource);
  AaMutation *told;

  aa_resource_set_removed_elsewhere (resource);

  /* Leaves at once, whatever is pending: nothing queued for it is sent
   * (the queue goes), and a request on its way is left to finish, its
   * answer ignored by request_cb(). */
  told = choose_told (acting);
  g_hash_table_remove (self->queues, resource);
  if (store != NULL)
    aa_resource_store_remove (store, resource);

  /* Nobody was acting on it: it just leaves, and its Undo with it (the
   * summary looked at only then: a burst of removals stays cheap). */
  if (acting->len == 0) {
    if (self->undoable != NULL && aa_mutation_get_target (self->undoable) == resource)
      update_summary (self);
    return;
  }

  /* Each change the user made is dropped for good, with the reason: none
   * can succeed, so none is retried, counted as failed or named on quit. */
  error = new_removed_elsewhere_error ();
  for (guint i = 0; i < acting->len; i++) {
    AaMutation *mutation = g_ptr_array_index (acting, i);
    g_autofree char *message = aa_feedback_format_failure (mutation, error);

    g_debug ("%s dropped: its target was removed elsewhere", aa_mutation_get_label (mutation));
    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
    aa_mutation_set_dismissed (mutation, TRUE);
    journal_sync_full (self, mutation, TRUE);
  }

  /* One message however many changes there were. */
  emit_feedback (self, told);
  update_summary (self);
}

/* The Undo of a toast shown before its object was removed elsewhere:
 * nothing can bring it back, and the user is told so, once per click,
 * instead of nothing happening. Nothing is sent. */
static void
refuse_undo_of_removed (AaEngine   *self,
                        AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  g_autoptr(AaMutation) undo = NULL;
  g_autoptr(GError) error = NULL;

  if (target == NULL || !aa_resource_get_removed_elsewhere (target) ||
      !has_flag (mutation, AA_OPERATION_UNDOABLE) ||
      aa_mutation_get_state (mutation) != AA_MUTATION_STATE_SUCCEEDED ||
      aa_mutation_get_undo_of (mutation) != NULL || aa_mutation_get_undone_by (mutation) != NULL)
    return;

  undo = aa_operation_make_undo (aa_mutation_get_operation (mutation), mutation);
  if (undo == NULL)
    return;

  error = new_removed_elsewhere_error ();
  aa_engine_refuse (self, undo, error);
}

/* Running, retrying, dismissing and undoing */

static void start (AaEngine   *self,
                   AaMutation *mutation);

/**
 * aa_engine_run:
 * @self: an engine
 * @mutation: a new mutation
 *
 * Logs @mutation and runs it: an optimistic one has changed its target's
 * shown state when this returns; the request goes out when nothing else of
 * the target is in flight.
 *
 * While [property@Connectivity:reachable] is %FALSE, a mutation whose
 * rule waits offline ([enum@OfflinePolicy]) is shown and waits
 * (%AA_MUTATION_STATE_WAITING) to be sent once the server is back, and
 * one whose rule refuses is refused at once, as aa_engine_refuse() does,
 * with %AA_ERROR_OFFLINE: nothing applied, nothing queued.
 *
 * Returns: (transfer none): @mutation
 */
AaMutation *
aa_engine_run (AaEngine   *self,
               AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (aa_mutation_get_attempts (mutation) == 0, NULL);

  /* Never queued to run later without the user seeing it happen. */
  if (!is_reachable (self) &&
      aa_operation_get_offline_policy (aa_mutation_get_operation (mutation)) == AA_OFFLINE_POLICY_REFUSE) {
    g_autoptr(GError) error = g_error_new_literal (AA_ERROR, AA_ERROR_OFFLINE,
                                                   _("The server can’t be reached."));

    return aa_engine_refuse (self, mutation, error);
  }

  start (self, mutation);
  return mutation;
}

/* aa_engine_run(), for a new mutation or one restored from the journal. */
static void
start (AaEngine   *self,
       AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  g_autoptr(GError) error = NULL;

  /* What its undo will set back: the values shown just before it. */
  if (target != NULL && has_flag (mutation, AA_OPERATION_SETS_FIELDS) && aa_mutation_get_patch (mutation) != NULL) {
    g_autoptr(JsonObject) displayed = compute_displayed (self, target);
    g_autoptr(JsonObject) inverse = json_object_new ();
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, aa_mutation_get_patch (mutation));
    while (json_object_iter_next (&iter, &name, &node)) {
      JsonNode *shown = json_object_get_member (displayed, name);

      if (shown != NULL)
        json_object_set_member (inverse, name, json_node_copy (shown));
    }
    aa_mutation_set_inverse (mutation, inverse);
  }

  /* Unless the app based it on an older version the user saw. */
  if (target != NULL && get_base_version (mutation) < 0)
    set_base_version (mutation, state_version (aa_resource_get_confirmed (target)));

  /* In the journal (on disk a moment later, in order) before it is shown.
   * A change the journal can't keep is refused rather than promised. */
  if (!journal_write (self, mutation, TRUE, &error)) {
    aa_engine_refuse (self, mutation, error);
    return;
  }

  g_list_store_insert (self->mutations, 0, mutation);
  g_hash_table_add (self->counted, g_object_ref (mutation));
  enqueue (self, mutation);
  update_summary (self);
}

/**
 * aa_engine_refuse:
 * @self: an engine
 * @mutation: a new mutation
 * @error: why it can't be sent, usually an %AA_ERROR_VALIDATION from the
 *   app's own check of the input
 *
 * Logs @mutation as FAILED without applying or sending anything: invalid
 * input is flagged before anything leaves. It is not retried; the input is
 * corrected and sent as a new mutation.
 *
 * Returns: (transfer none): @mutation
 */
AaMutation *
aa_engine_refuse (AaEngine     *self,
                  AaMutation   *mutation,
                  const GError *error)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  message = aa_feedback_format_failure (mutation, error);
  set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
  g_list_store_insert (self->mutations, 0, mutation);
  emit_feedback (self, mutation);
  update_summary (self);

  return mutation;
}

/**
 * aa_engine_retry:
 * @self: an engine
 * @mutation: a failed or rolled-back mutation
 *
 * Sends @mutation again with the same idempotency key, re-applying it
 * first if it is optimistic, so a server that already applied it (its
 * answer was lost) replays its first answer instead of applying it twice.
 *
 * A request that is not idempotent by its method (a POST, or a PATCH of an
 * operation without %AA_OPERATION_SETS_FIELDS) that may have been applied
 * (it failed after it may have arrived) is not sent again unless the
 * client's [property@RestClient:backend-features] promise that the backend
 * honours `Idempotency-Key`.
 *
 * Returns: %FALSE if it is not in a state that can be retried, was
 *   refused before anything was sent, or can't be sent again safely
 */
gboolean
aa_engine_retry (AaEngine   *self,
                 AaMutation *mutation)
{
  AaResource *target;

  g_return_val_if_fail (AA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  /* Invalid input (never sent) is corrected in the form, not retried. */
  if (!is_failed (mutation) || aa_mutation_get_attempts (mutation) == 0)
    return FALSE;

  /* It may have been applied, and sending it again could apply it twice. */
  if (!aa_mutation_can_send_again (mutation, aa_mutation_get_error (mutation)))
    return FALSE;

  /* A failed create that was let go took its object with it. */
  if (has_flag (mutation, AA_OPERATION_CREATES) && !is_head (self, mutation))
    return FALSE;

  /* Nothing to send it to: the object is gone from the server. */
  target = aa_mutation_get_target (mutation);
  if (target != NULL && aa_resource_store_of (target) == NULL && !has_flag (mutation, AA_OPERATION_CREATES))
    return FALSE;

  /* Refused again at once: nothing can be sent now. */
  if (!is_reachable (self) &&
      aa_operation_get_offline_policy (aa_mutation_get_operation (mutation)) == AA_OFFLINE_POLICY_REFUSE) {
    g_autoptr(GError) error = g_error_new_literal (AA_ERROR, AA_ERROR_OFFLINE,
                                                   _("The server can’t be reached."));
    g_autofree char *message = aa_feedback_format_failure (mutation, error);

    set_state (self, mutation, AA_MUTATION_STATE_FAILED, error, message);
    emit_feedback (self, mutation);
    update_summary (self);
    return FALSE;
  }

  aa_mutation_set_dismissed (mutation, FALSE);
  g_hash_table_add (self->counted, g_object_ref (mutation));
  journal_sync_full (self, mutation, TRUE);

  if (has_flag (mutation, AA_OPERATION_CREATES)) {
    /* Still at the head of its queue: send it again from there. The server
     * answers a create it already made (lost response) with a replay. */
    if (is_reachable (self))
      set_state (self, mutation, AA_MUTATION_STATE_QUEUED, NULL, NULL);
    else
      hold (self, mutation);
    show (self, queue_key (self, mutation));
    pump (self, queue_key (self, mutation));
  } else {
    /* Same key, re-applied if optimistic, queued like a new one. A retried
     * change is the user's values again over the version shown now
     * (reloaded after a conflict, say). */
    if (target != NULL)
      set_base_version (mutation, state_version (aa_resource_get_confirmed (target)));
    enqueue (self, mutation);
  }

  update_summary (self);
  return TRUE;
}

/* Lets go of a create at the head of its queue (failed, or of unknown
 * outcome): its object was never confirmed by the server, and what waited
 * behind it is cancelled with it. */
static void
let_go_of_create (AaEngine   *self,
                  AaMutation *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  GQueue *queue = lookup_queue (self, target);
  g_autoptr(AaResource) keep = NULL;
  AaResourceStore *store;

  if (queue == NULL || g_queue_peek_head (queue) != (gpointer) mutation)
    return;

  keep = g_object_ref (target);
  store = aa_resource_store_of (target);
  for (GList *l = queue->head->next; l != NULL; l = l->next)
    set_state (self, l->data, AA_MUTATION_STATE_UNDONE, NULL, NULL);
  g_hash_table_remove (self->queues, target);
  if (store != NULL)
    aa_resource_store_remove (store, target);
}

/* Whether the engine will find out by itself what happened to @mutation,
 * of unknown outcome, by asking the server: its check, or a resend that is
 * safe. An event naming its key may still come, but nothing makes it. */
static gboolean
can_ask (AaMutation *mutation)
{
  switch (aa_operation_get_resolution (aa_mutation_get_operation (mutation))) {
  case AA_RESOLUTION_CHECK:
    return TRUE;
  case AA_RESOLUTION_EVENT:
    return FALSE;
  case AA_RESOLUTION_RESEND:
  case AA_RESOLUTION_DEFAULT:
  default:
    return aa_mutation_can_send_again (mutation, NULL);
  }
}

/**
 * aa_engine_can_dismiss:
 * @self: an engine
 * @mutation: a mutation
 *
 * Says whether aa_engine_dismiss() would let @mutation go: it failed and
 * nobody let it go yet, or its outcome is unknown and the engine can't
 * find out by asking the server (no check, and sending it again is not
 * safe: see aa_mutation_can_send_again()). An app offers the user to
 * acknowledge such an outcome, worded as not known (its
 * [property@Mutation:message]), never as a failure.
 *
 * Returns: %TRUE if @mutation can be let go
 */
gboolean
aa_engine_can_dismiss (AaEngine   *self,
                       AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  if (aa_mutation_get_dismissed (mutation))
    return FALSE;
  if (is_failed (mutation))
    return TRUE;
  return aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN && is_head (self, mutation) &&
         !can_ask (mutation);
}

/**
 * aa_engine_dismiss:
 * @self: an engine
 * @mutation: a failed mutation, or one of unknown outcome that the engine
 *   can't find out (aa_engine_can_dismiss())
 *
 * Lets a failed mutation go: it stops counting in [property@Engine:n-failed].
 * Letting a failed create go removes its unsaved object, and cancels
 * (UNDONE) what was queued behind it.
 *
 * Letting go of an outcome the engine can't find out is the user's
 * acknowledgement that it is not known: @mutation stays
 * %AA_MUTATION_STATE_UNKNOWN (it may have been applied, so it is never
 * called failed) but stops being pending: it leaves
 * [property@Engine:n-unknown], aa_engine_list_unsettled() and the
 * journal; its change is no longer laid over the server's state (what
 * shows is what the server last confirmed, until a refresh says more); and
 * what was queued behind it is sent. A create's unconfirmed object leaves
 * with it and what was queued behind it is cancelled (a refresh shows the
 * object if the server made it).
 */
void
aa_engine_dismiss (AaEngine   *self,
                   AaMutation *mutation)
{
  g_return_if_fail (AA_IS_ENGINE (self));
  g_return_if_fail (AA_IS_MUTATION (mutation));

  if (!aa_engine_can_dismiss (self, mutation))
    return;

  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_UNKNOWN) {
    gpointer key = queue_key (self, mutation);
    g_autoptr(GObject) keep = g_object_ref (key);

    g_debug ("%s: outcome not known, let go", aa_mutation_get_label (mutation));
    aa_mutation_set_dismissed (mutation, TRUE);
    aa_mutation_forget_lost_answer (mutation);
    journal_sync_full (self, mutation, TRUE);
    if (has_flag (mutation, AA_OPERATION_CREATES)) {
      let_go_of_create (self, mutation);
    } else {
      drop_from_queue (self, mutation);
      show (self, key);
      pump (self, key);
    }
    update_summary (self);
    return;
  }

  aa_mutation_set_dismissed (mutation, TRUE);
  journal_sync_full (self, mutation, TRUE);

  /* Letting a failed create go lets its object go: it never existed on the
   * server, and what waited behind it is cancelled with it. */
  if (has_flag (mutation, AA_OPERATION_CREATES))
    let_go_of_create (self, mutation);

  update_summary (self);
}

/* TRUE when @resource displays every value of @values. */
static gboolean
shows_values (AaEngine   *self,
              AaResource *resource,
              JsonObject *values)
{
  g_autoptr(JsonObject) displayed = compute_displayed (self, resource);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (values == NULL)
    return TRUE;

  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &name, &node)) {
    JsonNode *shown = json_object_get_member (displayed, name);

    if (shown == NULL || !json_node_equal (shown, node))
      return FALSE;
  }

  return TRUE;
}

/**
 * aa_engine_can_undo:
 * @self: an engine
 * @mutation: a mutation
 *
 * Says whether @mutation can be undone now: it succeeded, its operation is
 * undoable and it was not undone yet, or it is still queued (then undoing
 * cancels it).
 *
 * Returns: %TRUE when aa_engine_undo() would take @mutation back
 */
gboolean
aa_engine_can_undo (AaEngine   *self,
                    AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  return can_undo (self, mutation);
}

/**
 * aa_engine_undo:
 * @self: an engine
 * @mutation: a pending or succeeded mutation of an undoable operation
 *
 * Takes @mutation back. Never sent yet: it is cancelled (UNDONE) and
 * nothing is sent. Otherwise its undo (aa_operation_make_undo()) is a real
 * request, queued behind it if it is in flight; @mutation turns UNDONE when
 * the undo succeeds, and a failed undo is an ordinary failed mutation,
 * retryable.
 *
 * An object removed elsewhere (an event said so, or the server answered
 * 404 or 410) can't be brought back: nothing is sent, and the undo is
 * logged as refused with %AA_ERROR_REMOVED_ELSEWHERE, its message emitted
 * through [signal@Engine::feedback], so that an Undo offered before the
 * removal does not silently do nothing.
 *
 * Returns: (transfer none) (nullable): the undo, @mutation itself when it
 *   was only cancelled, or %NULL when it can't be undone
 */
AaMutation *
aa_engine_undo (AaEngine   *self,
                AaMutation *mutation)
{
  g_autoptr(AaMutation) undo = NULL;
  AaResource *target;

  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  if (!can_undo (self, mutation)) {
    refuse_undo_of_removed (self, mutation);
    return NULL;
  }

  target = aa_mutation_get_target (mutation);

  if (is_held (mutation)) {
    set_state (self, mutation, AA_MUTATION_STATE_UNDONE, NULL, NULL);
    drop_from_queue (self, mutation);
    if (has_flag (mutation, AA_OPERATION_REMOVES))
      put_back (self, target, FALSE);
    show (self, target);

    /* Unless it had replaced queued changes of its fields: the values from
     * before it were never sent, so its inverse is (star, unstar, star,
     * undo: the star in flight is followed by an unstar). */
    if (!has_flag (mutation, AA_OPERATION_SETS_FIELDS) ||
        shows_values (self, target, aa_mutation_get_inverse (mutation))) {
      update_summary (self);
      return mutation;
    }
  }

  undo = aa_operation_make_undo (aa_mutation_get_operation (mutation), mutation);
  if (undo == NULL) {
    update_summary (self);
    return NULL;
  }

  aa_mutation_link_undo (mutation, undo);
  return aa_engine_run (self, undo);
}

/**
 * aa_engine_find_pending:
 * @self: an engine
 * @target: (nullable): a resource, or %NULL for mutations without a target
 * @operation: an operation
 *
 * The newest pending mutation of @operation on @target: a second click
 * while the first is on its way is the same intention (one key, one charge).
 *
 * Returns: (transfer none) (nullable): the pending mutation, or %NULL
 */
AaMutation *
aa_engine_find_pending (AaEngine    *self,
                        AaResource  *target,
                        AaOperation *operation)
{
  GQueue *queue;

  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (target == NULL || AA_IS_RESOURCE (target), NULL);
  g_return_val_if_fail (AA_IS_OPERATION (operation), NULL);

  queue = lookup_queue (self, target ? (gpointer) target : (gpointer) self);
  for (GList *l = queue ? queue->tail : NULL; l != NULL; l = l->prev) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_operation (mutation) == operation && aa_mutation_is_pending (mutation))
      return mutation;
  }

  return NULL;
}

/**
 * aa_engine_has_pending:
 * @self: an engine
 * @resource: a resource
 *
 * Says whether @resource has changes the server has not confirmed.
 *
 * Returns: %TRUE while @resource has mutations queued, in flight, or a
 *   failed create waiting for a retry
 */
gboolean
aa_engine_has_pending (AaEngine   *self,
                       AaResource *resource)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), FALSE);

  return lookup_queue (self, resource) != NULL;
}

/**
 * aa_engine_list_unsettled:
 * @self: an engine
 *
 * What quitting now would lose, newest first: the mutations queued or in
 * flight, waiting for the server (%AA_MUTATION_STATE_WAITING) or of unknown
 * outcome (%AA_MUTATION_STATE_UNKNOWN: never a failure; tell them apart by
 * [property@Mutation:state]), and the failed ones nobody retried or dismissed that a retry or a
 * reload could still save (not those the server refused for good).
 *
 * Returns: (transfer full) (element-type AaMutation): the unsettled mutations
 */
GPtrArray *
aa_engine_list_unsettled (AaEngine *self)
{
  GListModel *mutations;
  GPtrArray *unsettled;
  guint n;

  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);

  unsettled = g_ptr_array_new_with_free_func (g_object_unref);
  mutations = G_LIST_MODEL (self->mutations);
  n = g_list_model_get_n_items (mutations);

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i);
    AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

    if (aa_mutation_is_pending (mutation)) {
      g_ptr_array_add (unsettled, g_steal_pointer (&mutation));
      continue;
    }

    if (!is_failed (mutation) || aa_mutation_get_dismissed (mutation) || aa_mutation_get_attempts (mutation) == 0)
      continue;

    /* A refusal for good is the server's answer, not a change waiting to
     * be made: quitting loses nothing of it. What a retry or a reload
     * could still save counts. */
    aa_feedback_choose_tier (mutation, &action);
    if (action != AA_FEEDBACK_ACTION_NONE)
      g_ptr_array_add (unsettled, g_steal_pointer (&mutation));
  }

  return unsettled;
}

void
_aa_engine_reconfirm (AaEngine   *self,
                      AaResource *resource,
                      AaState    *state,
                      guint       sent_at)
{
  gint64 have = state_version (aa_resource_get_confirmed (resource));
  gint64 incoming = state_version (state);

  /* A list sent before one of our changes settled may have been read
   * before it: only a newer version is believed then (a delete or a
   * change without versions bumps none). */
  if (incoming >= 0 && have > incoming)
    return;
  if (aa_resource_settled_since (resource, sent_at) && (incoming < 0 || incoming == have))
    return;
  /* Nothing new (a refresh of what we have): the state we keep stays, and
   * nothing is shown again. */
  if (aa_state_equal (aa_resource_get_confirmed (resource), state))
    return;

  aa_resource_set_confirmed (resource, state);
  show (self, resource);
}

void
_aa_engine_apply_remote (AaEngine   *self,
                         AaResource *resource,
                         AaState    *state)
{
  gint64 have, incoming;

  g_assert (AA_IS_ENGINE (self));
  g_assert (AA_IS_RESOURCE (resource));

  if (state == NULL) {
    remove_elsewhere (self, resource);
    return;
  }

  have = state_version (aa_resource_get_confirmed (resource));
  incoming = state_version (state);
  if ((incoming >= 0 && have > incoming) || aa_state_equal (aa_resource_get_confirmed (resource), state))
    return;

  /* Stamped as a settled change of ours is: a change that bumps no version
   * (a move to the trash) would otherwise be taken back by a list read
   * before it, at the same version. */
  self->clock++;
  aa_resource_mark_settled (resource, self->clock);
  aa_resource_set_confirmed (resource, state);
  show (self, resource);
}

/**
 * aa_engine_replace_confirmed:
 * @self: an engine
 * @resource: a resource
 * @state: its latest canonical state from the server
 *
 * Takes @state as @resource's confirmed state whatever its version (the
 * user asked for the latest, after a conflict), with the pending changes
 * still laid on top.
 */
void
aa_engine_replace_confirmed (AaEngine   *self,
                             AaResource *resource,
                             JsonObject *state)
{
  g_autoptr(AaState) confirmed = NULL;

  g_return_if_fail (AA_IS_ENGINE (self));
  g_return_if_fail (AA_IS_RESOURCE (resource));
  g_return_if_fail (state != NULL);

  confirmed = aa_state_new (state);
  aa_resource_set_confirmed (resource, confirmed);
  show (self, resource);
}

/* The journal */

typedef struct {
  AaOperation *operation;
  GWeakRef     store;  /* the store holds the engine */
} Registered;

static void
registered_free (Registered *registered)
{
  g_clear_object (&registered->operation);
  g_weak_ref_clear (&registered->store);
  g_free (registered);
}

/* What a restart must not lose: what aa_engine_list_unsettled() lists. */
static gboolean
is_unsettled (AaMutation *mutation)
{
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

  if (aa_mutation_is_pending (mutation))
    return TRUE;
  if (!is_failed (mutation) || aa_mutation_get_dismissed (mutation) || aa_mutation_get_attempts (mutation) == 0)
    return FALSE;

  aa_feedback_choose_tier (mutation, &action);
  return action != AA_FEEDBACK_ACTION_NONE;
}

static AaJournalEntry *
entry_for (AaMutation *mutation)
{
  AaJournalEntry *entry = aa_journal_entry_new ();
  AaResource *target = aa_mutation_get_target (mutation);
  JsonObject *patch = aa_mutation_get_patch (mutation);
  const GError *error = aa_mutation_get_error (mutation);

  entry->operation = g_strdup (aa_operation_get_name (aa_mutation_get_operation (mutation)));
  entry->idempotency_key = g_strdup (aa_mutation_get_idempotency_key (mutation));
  if (target != NULL) {
    entry->target_id = g_strdup (aa_resource_get_id (target));
    if (aa_resource_is_local (target))
      entry->temporary_id = g_strdup (entry->target_id);
  }
  entry->subject = g_strdup (aa_mutation_get_subject (mutation));
  if (patch != NULL) {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), patch);

    entry->patch = json_to_string (node, FALSE);
  }
  entry->base_version = aa_mutation_get_base_version (mutation);
  entry->state = aa_mutation_get_state (mutation);
  entry->attempts = aa_mutation_get_attempts (mutation);
  if (error != NULL && is_failed (mutation)) {
    entry->error_domain = g_strdup (g_quark_to_string (error->domain));
    entry->error_code = error->code;
    entry->error_message = g_strdup (error->message);
  }

  return entry;
}

/* The state a mutation was last journaled in (+ 1; 0: not journaled),
 * so that set_state() writes only what changed. */
static void
mark_journaled (AaMutation *mutation,
                gboolean    journaled)
{
  aa_mutation_set_journaled (mutation, journaled ? aa_mutation_get_state (mutation) + 1 : 0);
}

/* Writes @mutation as it is now: added while unsettled, its state updated,
 * removed once settled. FALSE when the journal refused to add it. Called
 * by set_state() on every transition, and where something else a restart
 * needs changed (@force: its base version, its dismissal). */
static gboolean
journal_write (AaEngine    *self,
               AaMutation  *mutation,
               gboolean     force,
               GError     **error)
{
  const char *key = aa_mutation_get_idempotency_key (mutation);
  guint journaled = aa_mutation_get_journaled (mutation);
  g_autoptr(AaJournalEntry) entry = NULL;

  /* An operation without a name can't be found again after a restart. */
  if (self->journal == NULL || aa_operation_get_name (aa_mutation_get_operation (mutation)) == NULL)
    return TRUE;

  if (!is_unsettled (mutation)) {
    if (journaled != 0 || aa_journal_contains (self->journal, key)) {
      aa_journal_remove (self->journal, key, NULL);
      mark_journaled (mutation, FALSE);
    }
    return TRUE;
  }

  /* Nothing changed since it was last written. */
  if (!force && journaled == aa_mutation_get_state (mutation) + 1)
    return TRUE;

  if (!aa_journal_contains (self->journal, key)) {
    entry = entry_for (mutation);
    if (aa_journal_append (self->journal, entry, error) == 0)
      return FALSE;
  } else {
    switch ((int) aa_mutation_get_state (mutation)) {
    case AA_MUTATION_STATE_QUEUED:
    case AA_MUTATION_STATE_FAILED:
    case AA_MUTATION_STATE_ROLLED_BACK:
      /* Queued again (a retry, a restart) or failed: the base version,
       * the target id and the error may have changed too. */
      entry = entry_for (mutation);
      aa_journal_update (self->journal, entry, NULL);
      break;
    default:
      /* Only the state and the attempts changed: the cheapest write. */
      aa_journal_update_state (self->journal, key, aa_mutation_get_state (mutation),
                               aa_mutation_get_attempts (mutation), NULL);
    }
  }

  mark_journaled (mutation, TRUE);
  return TRUE;
}

static void
journal_sync_full (AaEngine   *self,
                   AaMutation *mutation,
                   gboolean    force)
{
  g_autoptr(GError) error = NULL;

  if (!journal_write (self, mutation, force, &error))
    g_warning ("%s is not kept across a restart: %s", aa_mutation_get_label (mutation), error->message);
}

static void
journal_sync (AaEngine   *self,
              AaMutation *mutation)
{
  journal_sync_full (self, mutation, FALSE);
}

/**
 * aa_engine_set_journal:
 * @self: an engine
 * @journal: (nullable): a journal, or %NULL for none
 *
 * Keeps every unsettled mutation (queued, waiting, on its way, outcome
 * unknown, failed awaiting a retry) in @journal: written before it is
 * shown, its state updated as it changes, and removed once it settled.
 * The mutations unsettled now are written at once. A mutation the journal
 * refuses (it is full) is refused too, with the journal's error, before
 * anything is shown: a change the journal can't keep is not promised.
 *
 * After a restart, aa_engine_restore() starts again what it kept. Only
 * mutations of operations with a name ([property@Operation:name]) are
 * journaled.
 */
void
aa_engine_set_journal (AaEngine  *self,
                       AaJournal *journal)
{
  GListModel *mutations;
  guint n;

  g_return_if_fail (AA_IS_ENGINE (self));
  g_return_if_fail (journal == NULL || AA_IS_JOURNAL (journal));

  if (self->journal == journal)
    return;

  g_set_object (&self->journal, journal);
  mutations = G_LIST_MODEL (self->mutations);
  n = g_list_model_get_n_items (mutations);
  for (guint i = 0; i < n; i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i);

    mark_journaled (mutation, FALSE);
  }

  /* Oldest first, so that the journal's order is the order they ran in. */
  for (guint i = n; journal != NULL && i > 0; i--) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i - 1);

    journal_sync_full (self, mutation, TRUE);
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_JOURNAL]);
}

/**
 * aa_engine_get_journal:
 * @self: an engine
 *
 * The journal that keeps the engine's unsettled mutations across a restart.
 *
 * Returns: (transfer none) (nullable): its journal
 */
AaJournal *
aa_engine_get_journal (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  return self->journal;
}

/**
 * aa_engine_register_operation:
 * @self: an engine
 * @operation: an operation with a name ([property@Operation:name]),
 *   stable across versions of the app
 * @store: (nullable): the store of its targets, or %NULL for an operation
 *   without a target
 *
 * Tells aa_engine_restore() how to rebuild the journaled mutations of
 * @operation: the rows that name it get it back, and their target from
 * @store by id (a create's target is added to @store again, as local).
 */
void
aa_engine_register_operation (AaEngine        *self,
                              AaOperation     *operation,
                              AaResourceStore *store)
{
  Registered *registered;

  g_return_if_fail (AA_IS_ENGINE (self));
  g_return_if_fail (AA_IS_OPERATION (operation));
  g_return_if_fail (aa_operation_get_name (operation) != NULL);
  g_return_if_fail (store == NULL || AA_IS_RESOURCE_STORE (store));

  registered = g_new0 (Registered, 1);
  registered->operation = g_object_ref (operation);
  g_weak_ref_init (&registered->store, store);
  g_hash_table_replace (self->operations, g_strdup (aa_operation_get_name (operation)), registered);
}

/**
 * aa_engine_add_operations:
 * @self: an engine
 * @entries: (array length=n_entries): the declared operations
 * @n_entries: the length of @entries, or -1 when a zeroed entry (without a
 *   name) ends it
 * @store: (nullable): the store of their targets, or %NULL for operations
 *   without a target
 * @translation_domain: (nullable): the gettext domain of their templates
 * @user_data: the data their callbacks get
 *
 * Makes the operation of each entry (aa_operation_new_from_entry()), gives
 * each its undo by name, and registers them
 * (aa_engine_register_operation()): an app's actions, declared in one
 * table, are added with this one call and found again with
 * aa_engine_lookup_operation().
 *
 * Since: 0.3
 */
void
aa_engine_add_operations (AaEngine               *self,
                          const AaOperationEntry *entries,
                          gssize                  n_entries,
                          AaResourceStore        *store,
                          const char             *translation_domain,
                          gpointer                user_data)
{
  g_return_if_fail (AA_IS_ENGINE (self));
  g_return_if_fail (entries != NULL || n_entries == 0);

  for (gsize i = 0; n_entries < 0 ? entries[i].name != NULL : i < (gsize) n_entries; i++) {
    g_autoptr(AaOperation) operation = aa_operation_new_from_entry (&entries[i], translation_domain, user_data);

    aa_engine_register_operation (self, operation, store);
  }

  for (gsize i = 0; n_entries < 0 ? entries[i].name != NULL : i < (gsize) n_entries; i++) {
    AaOperation *undo;

    if (entries[i].undo == NULL)
      continue;
    undo = aa_engine_lookup_operation (self, entries[i].undo);
    if (undo == NULL) {
      g_critical ("The undo “%s” of the operation “%s” is not declared", entries[i].undo, entries[i].name);
      continue;
    }
    aa_operation_set_undo (aa_engine_lookup_operation (self, entries[i].name), undo);
  }
}

/**
 * aa_engine_lookup_operation:
 * @self: an engine
 * @name: the name of a registered operation
 *
 * Finds an operation added with aa_engine_add_operations() or
 * aa_engine_register_operation().
 *
 * Returns: (transfer none) (nullable): the operation named @name
 *
 * Since: 0.3
 */
AaOperation *
aa_engine_lookup_operation (AaEngine   *self,
                            const char *name)
{
  Registered *registered;

  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  registered = g_hash_table_lookup (self->operations, name);
  return registered != NULL ? registered->operation : NULL;
}

/* The mutation a journal's row describes, or NULL when it can't be (no
 * such operation, or its target is gone from the server). */
static AaMutation *
rebuild (AaEngine       *self,
         AaJournalEntry *entry,
         GHashTable     *locals)
{
  Registered *registered = g_hash_table_lookup (self->operations, entry->operation);
  g_autoptr(AaResourceStore) store = NULL;
  g_autoptr(JsonObject) patch = NULL;
  AaResource *target = NULL;
  AaMutation *mutation;

  if (registered == NULL) {
    g_warning ("The journal names an operation “%s” that nobody registered: its change %s is dropped",
               entry->operation, entry->idempotency_key);
    return NULL;
  }
  store = g_weak_ref_get (&registered->store);

  if (entry->patch != NULL) {
    g_autoptr(JsonNode) node = json_from_string (entry->patch, NULL);

    if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
      g_warning ("The journal's change %s has no patch that can be read: it is dropped", entry->idempotency_key);
      return NULL;
    }
    patch = json_object_ref (json_node_get_object (node));
  }

  if (entry->target_id != NULL) {
    gboolean local = g_strcmp0 (entry->target_id, entry->temporary_id) == 0;

    target = g_hash_table_lookup (locals, entry->target_id);
    if (target == NULL && !local && store != NULL)
      target = aa_resource_store_lookup (store, entry->target_id);
    /* A create the server may not have made: its object is back, under a
     * new temporary id, and what waited behind it follows it there. */
    if (target == NULL && local && store != NULL && patch != NULL &&
        (aa_operation_get_flags (registered->operation) & AA_OPERATION_CREATES) != 0) {
      target = aa_resource_store_add_local (store, 0, patch);
      g_hash_table_insert (locals, g_strdup (entry->target_id), g_object_ref (target));
    }
    if (target == NULL) {
      g_debug ("The journal's change %s is dropped: its target %s is gone", entry->idempotency_key, entry->target_id);
      return NULL;
    }
  }

  mutation = aa_mutation_new (registered->operation, target, entry->subject, patch);
  aa_mutation_restore (mutation, entry->idempotency_key, entry->attempts);
  aa_mutation_set_base_version (mutation, entry->base_version);
  return mutation;
}

/* A restored mutation that had failed: logged as failed again, waiting for
 * the user's Retry (a failed create keeps the head of its queue), nothing
 * sent and nothing applied. */
static void
restore_failed (AaEngine     *self,
                AaMutation   *mutation,
                const GError *error)
{
  AaResource *target = aa_mutation_get_target (mutation);
  g_autofree char *message = aa_feedback_format_failure (mutation, error);
  gboolean creates = has_flag (mutation, AA_OPERATION_CREATES) && target != NULL;

  set_state (self, mutation,
             creates || aa_mutation_get_policy (mutation) == AA_POLICY_PESSIMISTIC ?
               AA_MUTATION_STATE_FAILED : AA_MUTATION_STATE_ROLLED_BACK,
             error, message);
  g_list_store_insert (self->mutations, 0, mutation);
  g_hash_table_add (self->counted, g_object_ref (mutation));

  if (creates) {
    GQueue *queue = lookup_queue (self, target);

    if (queue == NULL) {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, target, queue);
    }
    g_queue_push_head (queue, g_object_ref (mutation));
    show (self, target);
  }
}

/* A restored mutation whose answer was lost: UNKNOWN in its queue, its
 * optimistic change shown, resolved once the server answers a probe. */
static void
restore_unknown (AaEngine     *self,
                 AaMutation   *mutation,
                 const GError *error)
{
  gpointer key = queue_key (self, mutation);
  GQueue *queue = lookup_queue (self, key);

  g_list_store_insert (self->mutations, 0, mutation);
  g_hash_table_add (self->counted, g_object_ref (mutation));
  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (self->queues, key, queue);
  }
  g_queue_push_tail (queue, g_object_ref (mutation));
  settle_unknown (self, mutation, error);
}

/* A restored mutation sent before the restart may have arrived: what the
 * rule for sending it again (aa_mutation_can_send_again()) needs to know. */
static void
restore_sent (AaEngine   *self,
              AaMutation *mutation)
{
  g_autoptr(AaRequest) request = NULL;

  request = aa_operation_build_request (aa_mutation_get_operation (mutation), mutation);
  if (request != NULL)
    aa_mutation_set_sent (mutation, aa_request_get_method (request),
                          aa_rest_client_get_backend_features (self->client));
}

static void
restart (AaEngine             *self,
         AaMutation           *mutation,
         const AaJournalEntry *entry)
{
  g_autoptr(GError) error = NULL;

  switch ((int) entry->state) {
  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    if (entry->error_domain != NULL)
      error = g_error_new_literal (g_quark_from_string (entry->error_domain), entry->error_code,
                                   entry->error_message ? entry->error_message : "");
    else
      error = g_error_new_literal (AA_ERROR, AA_ERROR_CONNECTION_LOST,
                                   _("The app stopped before this change was confirmed."));
    if (aa_mutation_get_attempts (mutation) > 0)
      restore_sent (self, mutation);
    restore_failed (self, mutation, error);
    break;

  case AA_MUTATION_STATE_SENT:
  case AA_MUTATION_STATE_UNKNOWN:
    /* On its way when the process died, or already unknown: the server
     * may have it. Its outcome is unknown, resolved as its rule says (the
     * same key again, or the operation's check), never sent blindly. */
    error = g_error_new_literal (AA_ERROR, AA_ERROR_CONNECTION_LOST,
                                 _("The app stopped before the server’s answer came."));
    restore_sent (self, mutation);
    restore_unknown (self, mutation, error);
    break;

  default:
    start (self, mutation);
  }
}

/**
 * aa_engine_restore:
 * @self: an engine with a journal
 * @error: return location for an error
 *
 * Starts again the mutations the journal kept from an earlier run (the
 * process died, or quit with changes unsent), in their order, each rebuilt
 * through the operation registered under its name
 * (aa_engine_register_operation()) and sent with its original idempotency
 * key, so that the server replays what it already applied instead of
 * applying it twice. Call it once the lists were refreshed: optimistic
 * changes are laid on the refreshed states, shown as pending.
 *
 * A mutation that was on its way (or whose outcome was unknown) is
 * %AA_MUTATION_STATE_UNKNOWN again and resolved as its rule says: sent
 * again with the same key, or found out by the operation's check (a
 * pessimistic one is never sent again blindly). One that waited for the
 * server waits again if it still can't be reached. A failed one is logged
 * as failed again, waiting for Retry.
 * A row whose operation nobody registered, or whose target is gone, is
 * dropped. Mutations this engine already runs are left as they are.
 *
 * Returns: how many mutations were restored, or 0 with @error set when the
 *   journal could not be read
 */
guint
aa_engine_restore (AaEngine  *self,
                   GError   **error)
{
  g_autolist(AaJournalEntry) entries = NULL;
  g_autoptr(GHashTable) locals = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) running = NULL;
  GHashTableIter iter;
  gpointer key;
  guint n_restored = 0;

  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  g_return_val_if_fail (self->journal != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  entries = aa_journal_list (self->journal, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return 0;
  }

  running = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, self->counted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (running, (gpointer) aa_mutation_get_idempotency_key (key));
  /* Journal's temporary id -> the local resource that replaces it. */
  locals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  for (GList *l = entries; l != NULL; l = l->next) {
    AaJournalEntry *entry = l->data;
    g_autoptr(AaMutation) mutation = NULL;

    if (g_hash_table_contains (running, entry->idempotency_key))
      continue;

    mutation = rebuild (self, entry, locals);
    if (mutation == NULL) {
      aa_journal_remove (self->journal, entry->idempotency_key, NULL);
      continue;
    }

    g_debug ("Restoring %s (%s, %u attempts)", aa_mutation_get_label (mutation),
             aa_mutation_state_get_label (entry->state), entry->attempts);
    restart (self, mutation, entry);
    n_restored++;
  }

  update_summary (self);
  return n_restored;
}

/* GObject */

static void
aa_engine_finalize (GObject *object)
{
  AaEngine *self = AA_ENGINE (object);

  if (self->resume_idle != NULL) {
    g_source_destroy (self->resume_idle);
    g_clear_pointer (&self->resume_idle, g_source_unref);
  }
  g_queue_clear (&self->resuming);
  if (self->resolve_timer != NULL) {
    g_source_destroy (self->resolve_timer);
    g_clear_pointer (&self->resolve_timer, g_source_unref);
  }
  if (self->connectivity != NULL)
    g_signal_handlers_disconnect_by_data (self->connectivity, self);
  g_clear_object (&self->connectivity);
  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_pointer (&self->counted, g_hash_table_unref);
  g_queue_clear (&self->sent_order);
  g_clear_pointer (&self->sent_keys, g_hash_table_unref);
  g_clear_object (&self->mutations);
  g_clear_object (&self->undoable);
  g_clear_object (&self->client);
  g_clear_object (&self->journal);
  g_clear_pointer (&self->operations, g_hash_table_unref);
  g_clear_pointer (&self->removed_from, g_hash_table_unref);

  G_OBJECT_CLASS (aa_engine_parent_class)->finalize (object);
}

static void
aa_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AaEngine *self = AA_ENGINE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_N_PENDING:
    g_value_set_uint (value, self->n_pending);
    break;
  case PROP_N_FAILED:
    g_value_set_uint (value, self->n_failed);
    break;
  case PROP_UNDOABLE:
    g_value_set_object (value, self->undoable);
    break;
  case PROP_JOURNAL:
    g_value_set_object (value, self->journal);
    break;
  case PROP_N_WAITING:
    g_value_set_uint (value, self->n_waiting);
    break;
  case PROP_N_UNKNOWN:
    g_value_set_uint (value, self->n_unknown);
    break;
  case PROP_CONNECTIVITY:
    g_value_set_object (value, self->connectivity);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AaEngine *self = AA_ENGINE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;
  case PROP_JOURNAL:
    aa_engine_set_journal (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_engine_constructed (GObject *object)
{
  AaEngine *self = AA_ENGINE (object);

  G_OBJECT_CLASS (aa_engine_parent_class)->constructed (object);

  self->connectivity = aa_connectivity_new (self->client);
  g_signal_connect_object (self->connectivity, "notify::reachable", G_CALLBACK (reachable_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connectivity, "probed", G_CALLBACK (probed_cb), self, G_CONNECT_SWAPPED);
}

static void
aa_engine_class_init (AaEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = aa_engine_constructed;

  object_class->finalize = aa_engine_finalize;
  object_class->get_property = aa_engine_get_property;
  object_class->set_property = aa_engine_set_property;

  /**
   * AaEngine:client:
   *
   * The REST client every request goes through.
   */
  props[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AA_TYPE_REST_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AaEngine:n-pending:
   *
   * How many mutations are pending: queued, in flight, waiting for the
   * server or of unknown outcome.
   */
  props[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * AaEngine:n-failed:
   *
   * How many failed mutations nobody retried or dismissed yet.
   */
  props[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * AaEngine:undoable:
   *
   * The most recent mutation that aa_engine_undo() applies to, or %NULL.
   */
  props[PROP_UNDOABLE] =
    g_param_spec_object ("undoable", NULL, NULL, AA_TYPE_MUTATION, flags);

  /**
   * AaEngine:journal:
   *
   * The journal that keeps the unsettled mutations across a restart, or
   * %NULL; see aa_engine_set_journal().
   */
  props[PROP_JOURNAL] =
    g_param_spec_object ("journal", NULL, NULL, AA_TYPE_JOURNAL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaEngine:n-waiting:
   *
   * How many mutations wait for the server to be reachable
   * (%AA_MUTATION_STATE_WAITING); they count in
   * [property@Engine:n-pending] too, never in [property@Engine:n-failed].
   *
   * Since: 0.2
   */
  props[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * AaEngine:n-unknown:
   *
   * How many mutations have an unknown outcome that the engine is
   * resolving (%AA_MUTATION_STATE_UNKNOWN); they count in
   * [property@Engine:n-pending] too, never in [property@Engine:n-failed].
   *
   * Since: 0.2
   */
  props[PROP_N_UNKNOWN] =
    g_param_spec_uint ("n-unknown", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * AaEngine:connectivity:
   *
   * Whether the server can be reached: the engine's own
   * [class@Connectivity], fed by its requests.
   *
   * Since: 0.2
   */
  props[PROP_CONNECTIVITY] =
    g_param_spec_object ("connectivity", NULL, NULL, AA_TYPE_CONNECTIVITY, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * AaEngine::feedback:
   * @self: the engine
   * @feedback: the outcome to render
   *
   * An outcome to render, its tier chosen by the mutation's rule. Inline
   * feedback names its mutation, so the element that shows the target can
   * render it in place; an app makes every toast in one handler of this.
   */
  signals[SIGNAL_FEEDBACK] =
    g_signal_new ("feedback",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_FEEDBACK);

  /**
   * AaEngine::shown:
   * @self: the engine
   * @resource: the resource shown anew
   *
   * @resource shows a new state (a change applied, rolled back or
   * confirmed), for an app that places its objects by what they show (a
   * note in the list or in the trash, say). One handler for every
   * resource, instead of one per resource.
   */
  signals[SIGNAL_SHOWN] =
    g_signal_new ("shown",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_RESOURCE);
}

static void
aa_engine_init (AaEngine *self)
{
  self->mutations = g_list_store_new (AA_TYPE_MUTATION);
  self->queues = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) queue_free);
  self->counted = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->sent_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->sent_order);
  self->operations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) registered_free);
  self->removed_from = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) removed_from_free);
}

/**
 * aa_engine_new:
 * @client: the REST client to send requests with
 *
 * Creates an engine that sends its requests through @client.
 *
 * Returns: (transfer full): a new engine
 */
AaEngine *
aa_engine_new (AaRestClient *client)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);

  return g_object_new (AA_TYPE_ENGINE, "client", client, NULL);
}

/**
 * aa_engine_get_client:
 * @self: an engine
 *
 * Gets the REST client that sends the engine's requests.
 *
 * Returns: (transfer none): its REST client
 */
AaRestClient *
aa_engine_get_client (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  return self->client;
}

/**
 * aa_engine_get_mutations:
 * @self: an engine
 *
 * Every mutation of this session, newest first: the activity log.
 *
 * Returns: (transfer none): a list model of [class@Mutation]
 */
GListModel *
aa_engine_get_mutations (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->mutations);
}

/**
 * aa_engine_get_n_pending:
 * @self: an engine
 *
 * Gets the number of mutations queued or in flight
 * ([property@Engine:n-pending]).
 *
 * Returns: how many mutations are queued or in flight
 */
guint
aa_engine_get_n_pending (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  return self->n_pending;
}

/**
 * aa_engine_get_n_failed:
 * @self: an engine
 *
 * Gets the number of failed mutations that still wait for a retry or a
 * dismissal ([property@Engine:n-failed]).
 *
 * Returns: how many failed mutations nobody retried or dismissed yet
 */
guint
aa_engine_get_n_failed (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  return self->n_failed;
}

/**
 * aa_engine_get_undoable:
 * @self: an engine
 *
 * Gets the mutation that an Undo would take back now
 * ([property@Engine:undoable]).
 *
 * Returns: (transfer none) (nullable): the most recent mutation that undo applies to
 */
AaMutation *
aa_engine_get_undoable (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  return self->undoable;
}

/**
 * aa_engine_get_clock:
 * @self: an engine
 *
 * A count of settled mutations and of changes applied from elsewhere
 * (aa_resource_store_apply_remote()). Pass it, read when a list is
 * requested, to aa_resource_store_apply_states(): a list the server may
 * have read before one of them is then known as such.
 *
 * Returns: the clock
 */
guint
aa_engine_get_clock (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  return self->clock;
}

/**
 * aa_engine_get_connectivity:
 * @self: an engine
 *
 * Gets the engine's view of whether its server can be reached.
 *
 * Returns: (transfer none): whether the server can be reached, as the
 *   engine knows it; widgets bind to its properties
 *
 * Since: 0.2
 */
AaConnectivity *
aa_engine_get_connectivity (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), NULL);
  return self->connectivity;
}

/**
 * aa_engine_get_n_waiting:
 * @self: an engine
 *
 * Gets how many mutations wait, shown, for the server to be reachable again.
 *
 * Returns: how many mutations wait for the server to be reachable
 *
 * Since: 0.2
 */
guint
aa_engine_get_n_waiting (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  return self->n_waiting;
}

/**
 * aa_engine_get_n_unknown:
 * @self: an engine
 *
 * Gets how many mutations have an outcome the engine is still finding out:
 * their answer was lost after the request may have reached the server.
 *
 * Returns: how many mutations have an outcome the engine is finding out
 *
 * Since: 0.2
 */
guint
aa_engine_get_n_unknown (AaEngine *self)
{
  g_return_val_if_fail (AA_IS_ENGINE (self), 0);
  return self->n_unknown;
}
