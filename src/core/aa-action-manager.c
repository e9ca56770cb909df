#define G_LOG_DOMAIN "aa-action-manager"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-action-manager.h"
#include "aa-error.h"
#include "aa-mutation-private.h"
#include "aa-resource-private.h"
#include "aa-validate.h"

/*
 * AaActionManager runs every mutation. Follow one from start to finish:
 *
 *  1. An intention (aa_action_manager_set_starred() …) validates its input,
 *     builds an AaMutation (aa-mutation.c: label, policy from the rules,
 *     idempotency key) and start()s it: it is logged and enqueue()d on its
 *     resource's queue.
 *  2. show() recomputes what the resource displays: its last confirmed state
 *     with the patches of its pending optimistic mutations laid on top, in
 *     order. So an optimistic change is visible before the call returns, a
 *     failure rolls back by simply leaving its patch out, and a refresh never
 *     loses a pending change.
 *  3. pump() sends the head of the queue when nothing of that resource is in
 *     flight: one request per resource at a time, in order.
 *  4. request_cb() settles it: settle_success() stores what the server
 *     confirmed, settle_failure() records the error and the message; both
 *     show() the resource again, pump() the next one and emit "feedback"
 *     with the tier that aa-feedback.c's rules give the outcome.
 */

struct _AaActionManager
{
  GObject       parent_instance;

  AaRestClient *client;

  GListStore   *items;      /* AaItem not in the trash, in master order */
  GListStore   *trash;      /* AaItem in the trash, in master order */
  GListStore   *invoices;
  GListStore   *members;
  GListStore   *mutations;  /* the activity log, newest first */
  AaMember     *me;

  /* Every known item, visible or trashed, in the server's order (newest
   * first): moving between the two stores keeps an item's place. */
  GPtrArray    *all_items;
  /* AaItem -> the GListStore showing it. */
  GHashTable   *placement;
  /* Id -> AaItem, for every item of all_items. */
  GHashTable   *items_by_id;
  /* While a refresh merges lists, items are placed once at the end. */
  gboolean      deferring_placement;
  /* Resource (or the manager itself, for the trash) -> GQueue of its
   * AaMutation, oldest first: the head is in flight or next. Keyed by
   * object, not id, so a create's temporary id can change under it. */
  GHashTable   *queues;

  /* The mutations that may count in n-pending or n-failed: those pending or
   * failed when last looked at. Succeeded ones leave it for good, so the
   * summary never walks the whole activity log. */
  GHashTable   *counted;
  guint         n_pending;
  guint         n_failed;
  AaMutation   *undoable;
  gboolean      trash_busy;
  guint         next_local_id;
  /* Counts settled mutations. Each one stamps its target with the count
   * (settled_quark) and a refresh remembers it when it is sent, so a list
   * the server may have read before one of our changes is known as such. */
  guint         clock;
  guint         trash_emptied_at;
};

G_DEFINE_FINAL_TYPE (AaActionManager, aa_action_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_N_PENDING,
  PROP_N_FAILED,
  PROP_UNDOABLE,
  PROP_TRASH_BUSY,
  PROP_ME,
  N_PROPS
};

enum {
  SIGNAL_FEEDBACK,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static GQuark settled_quark;
static GQuark base_version_quark;

static void pump (AaActionManager *self,
                  gpointer         key);

/* Small helpers */

/* Star, done and save set fields with PATCH, so a later value of a field
 * replaces an earlier one: the only kinds that coalesce. */
static gboolean
is_field_patch (AaMutation *mutation)
{
  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_STAR_NOTE:
  case AA_MUTATION_KIND_DONE_NOTE:
  case AA_MUTATION_KIND_SAVE_NOTE:
    return TRUE;
  default:
    return FALSE;
  }
}

static gboolean
is_failed (AaMutation *mutation)
{
  AaMutationState state = aa_mutation_get_state (mutation);

  return state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK;
}

static gpointer
queue_key (AaActionManager *self,
           AaMutation      *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);

  return target != NULL ? (gpointer) target : (gpointer) self;
}

static GQueue *
lookup_queue (AaActionManager *self,
              gpointer         key)
{
  return g_hash_table_lookup (self->queues, key);
}

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, g_object_unref);
}

static void
drop_from_queue (AaActionManager *self,
                 AaMutation      *mutation)
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
has_pending (AaActionManager *self,
             gpointer         key)
{
  return lookup_queue (self, key) != NULL;
}

static gboolean
is_head (AaActionManager *self,
         AaMutation      *mutation)
{
  GQueue *queue = lookup_queue (self, queue_key (self, mutation));

  return queue != NULL && g_queue_peek_head (queue) == (gpointer) mutation;
}

static void
stamp_settled (AaActionManager *self,
               AaResource      *resource)
{
  g_object_set_qdata (G_OBJECT (resource), settled_quark, GUINT_TO_POINTER (++self->clock));
}

/* TRUE when one of our mutations of @resource settled after a refresh was
 * sent at @sent_at: what that refresh says of it may predate our change. */
static gboolean
settled_since (AaResource *resource,
               guint       sent_at)
{
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (resource), settled_quark)) > sent_at;
}

static gint64
state_version (JsonObject *state)
{
  return json_object_get_int_member_with_default (state, "version", -1);
}

/* A save's If-Match: the version its text was based on, moved on only by
 * our own changes that settled ahead of it (-1 for a note not created yet). */
static gint64
get_base_version (AaMutation *mutation)
{
  gint64 *base = g_object_get_qdata (G_OBJECT (mutation), base_version_quark);

  return base != NULL ? *base : -1;
}

static void
set_base_version (AaMutation *mutation,
                  gint64      version)
{
  g_object_set_qdata_full (G_OBJECT (mutation), base_version_quark,
                           g_memdup2 (&version, sizeof version), g_free);
}

/* Our own PATCH of @resource was answered with @version, one more than the
 * version it applied to: the saves queued behind it that were based on that
 * one now build on ours. Based on an older one, they missed someone else's
 * change, and their 412 says so. */
static void
advance_saves (AaActionManager *self,
               AaResource      *resource,
               gint64           version)
{
  GQueue *queue = lookup_queue (self, resource);

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_SAVE_NOTE &&
        aa_mutation_get_state (mutation) == AA_MUTATION_STATE_QUEUED &&
        version > 0 && get_base_version (mutation) == version - 1)
      set_base_version (mutation, version);
  }
}

/* Item placement: the visible list or the trash, at the master position */

static void
place_item (AaActionManager *self,
            AaItem          *item)
{
  GListStore *want = aa_item_get_trashed (item) ? self->trash : self->items;
  GListStore *have = g_hash_table_lookup (self->placement, item);
  guint position = 0;
  guint index;

  if (want == have || !g_ptr_array_find (self->all_items, item, &index))
    return;

  if (have != NULL && g_list_store_find (have, item, &position))
    g_list_store_remove (have, position);

  /* Its position is the number of items before it in the master order
   * that the same store shows. */
  position = 0;
  for (guint i = 0; i < index; i++) {
    if (g_hash_table_lookup (self->placement, g_ptr_array_index (self->all_items, i)) == want)
      position++;
  }

  g_list_store_insert (want, position, item);
  g_hash_table_insert (self->placement, item, want);
}

/* Places every item in one pass (after a refresh). Both stores keep the
 * master order, so while walking it, one counter per store says where each
 * item is and where it goes: linear, however many items there are. */
static void
place_all_items (AaActionManager *self)
{
  guint n_items = 0;
  guint n_trash = 0;

  for (guint i = 0; i < self->all_items->len; i++) {
    AaItem *item = g_ptr_array_index (self->all_items, i);
    GListStore *want = aa_item_get_trashed (item) ? self->trash : self->items;
    GListStore *have = g_hash_table_lookup (self->placement, item);

    if (have != want) {
      if (have != NULL)
        g_list_store_remove (have, have == self->items ? n_items : n_trash);
      g_list_store_insert (want, want == self->items ? n_items : n_trash, item);
      g_hash_table_insert (self->placement, item, want);
    }

    if (want == self->items)
      n_items++;
    else
      n_trash++;
  }
}

static void
add_item (AaActionManager *self,
          AaItem          *item,
          guint            index)
{
  g_ptr_array_insert (self->all_items, MIN (index, self->all_items->len), g_object_ref (item));
  g_hash_table_insert (self->items_by_id, g_strdup (aa_resource_get_id (AA_RESOURCE (item))), item);
  if (!self->deferring_placement)
    place_item (self, item);
}

static void
remove_item (AaActionManager *self,
             AaItem          *item)
{
  GListStore *have = g_hash_table_lookup (self->placement, item);
  guint position;

  if (have != NULL && g_list_store_find (have, item, &position))
    g_list_store_remove (have, position);
  g_hash_table_remove (self->placement, item);
  /* A server copy that a create's answer made redundant no longer owns its
   * id (see confirm()). */
  if (g_hash_table_lookup (self->items_by_id, aa_resource_get_id (AA_RESOURCE (item))) == item)
    g_hash_table_remove (self->items_by_id, aa_resource_get_id (AA_RESOURCE (item)));
  g_ptr_array_remove (self->all_items, item);
}

/* What a resource displays: confirmed state + pending optimistic patches */

/* One optimistic mutation's change to a state. Delete and restore change the
 * engine's own "trashed" flag; the others set the fields of their patch. */
static void
apply_change (JsonObject *state,
              AaMutation *mutation)
{
  JsonObject *patch = aa_mutation_get_patch (mutation);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_DELETE_NOTE:
    json_object_set_boolean_member (state, "trashed", TRUE);
    break;
  case AA_MUTATION_KIND_RESTORE_NOTE:
    json_object_set_boolean_member (state, "trashed", FALSE);
    break;
  default:
    json_object_iter_init (&iter, patch);
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (state, name, json_node_copy (node));
  }
}

static JsonObject *
compute_displayed (AaActionManager *self,
                   AaResource      *resource)
{
  JsonObject *state = aa_state_copy (aa_resource_get_confirmed (resource));
  GQueue *queue = lookup_queue (self, resource);

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC && aa_mutation_is_pending (mutation))
      apply_change (state, mutation);
  }

  return state;
}

/* Renders @key (a resource, or the manager for the trash) after anything
 * happened to it: displayed state, busy, sync state, placement. */
static void
show (AaActionManager *self,
      gpointer         key)
{
  GQueue *queue = lookup_queue (self, key);
  g_autoptr(JsonObject) state = NULL;
  AaSyncState sync_state = AA_SYNC_STATE_SYNCED;
  gboolean busy = FALSE;
  AaResource *resource;

  for (GList *l = queue ? queue->head : NULL; l != NULL; l = l->next) {
    AaMutation *mutation = l->data;

    if (aa_mutation_is_pending (mutation) && aa_mutation_get_policy (mutation) == AA_POLICY_PESSIMISTIC)
      busy = TRUE;
    else if (aa_mutation_is_pending (mutation))
      sync_state = MAX (sync_state, AA_SYNC_STATE_PENDING);
    else if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_CREATE_NOTE)
      sync_state = AA_SYNC_STATE_UNSAVED;  /* a failed create waits at the head */
  }

  if (key == (gpointer) self) {
    if (self->trash_busy != busy) {
      self->trash_busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRASH_BUSY]);
    }
    return;
  }

  resource = key;
  state = compute_displayed (self, resource);
  aa_resource_render (resource, state);
  aa_resource_set_busy (resource, busy);
  aa_resource_set_sync_state (resource, sync_state);

  if (AA_IS_ITEM (resource) && !self->deferring_placement)
    place_item (self, AA_ITEM (resource));
}

/* The summary properties: n-pending, n-failed, undoable */

static gboolean
can_undo (AaActionManager *self,
          AaMutation      *mutation)
{
  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_STAR_NOTE:
  case AA_MUTATION_KIND_DONE_NOTE:
  case AA_MUTATION_KIND_SAVE_NOTE:
  case AA_MUTATION_KIND_DELETE_NOTE:
    break;
  default:
    return FALSE;
  }

  /* No undo of an undo, no second undo, nothing to undo after a failure,
   * and nothing of a note that is gone for good (emptied from the trash). */
  return aa_mutation_get_undo_of (mutation) == NULL &&
         aa_mutation_get_undone_by (mutation) == NULL &&
         (aa_mutation_is_pending (mutation) ||
          aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED) &&
         g_hash_table_contains (self->placement, aa_mutation_get_target (mutation));
}

static void
update_summary (AaActionManager *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->mutations));
  guint n_pending = 0;
  guint n_failed = 0;
  AaMutation *undoable = NULL;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->counted);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    AaMutation *mutation = key;

    /* A mutation refused before anything was sent (invalid input) is
     * fixed in the form, not retried, so it does not count. Only a
     * retry brings a dismissed one back (and adds it again). */
    if (aa_mutation_is_pending (mutation))
      n_pending++;
    else if (is_failed (mutation) && !aa_mutation_get_dismissed (mutation) && aa_mutation_get_attempts (mutation) > 0)
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
  if (g_set_object (&self->undoable, undoable))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNDOABLE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
emit_feedback (AaActionManager *self,
               AaMutation      *mutation)
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
coalesce (AaActionManager *self,
          AaMutation      *mutation)
{
  g_debug ("Coalesced %s", aa_mutation_get_label (mutation));
  aa_mutation_set_state (mutation, AA_MUTATION_STATE_COALESCED);
  drop_from_queue (self, mutation);
}

static gboolean
patch_covers (JsonObject *newer,
              JsonObject *older)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, older);
  while (json_object_iter_next (&iter, &name, &node)) {
    if (!json_object_has_member (newer, name))
      return FALSE;
  }

  return TRUE;
}

/* Drops the queued field patches that @newer makes pointless. Only the run
 * of queued field patches at the tail is looked at: the server must still
 * see whatever came before a delete, or before a request in flight. */
static void
drop_superseded (AaActionManager *self,
                 GQueue          *queue,
                 AaMutation      *newer)
{
  GList *l = queue->tail;

  while (l != NULL) {
    AaMutation *older = l->data;

    l = l->prev;
    if (aa_mutation_get_state (older) != AA_MUTATION_STATE_QUEUED || !is_field_patch (older))
      break;
    if (patch_covers (aa_mutation_get_patch (newer), aa_mutation_get_patch (older)))
      coalesce (self, older);
  }
}

/* Drops the queued field patches whose values the server now has. */
static void
drop_confirmed (AaActionManager *self,
                AaResource      *resource)
{
  GQueue *queue = lookup_queue (self, resource);
  JsonObject *confirmed = aa_resource_get_confirmed (resource);
  GList *l = queue ? queue->head : NULL;

  while (l != NULL) {
    AaMutation *mutation = l->data;
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;
    gboolean same = TRUE;

    l = l->next;
    if (aa_mutation_get_state (mutation) != AA_MUTATION_STATE_QUEUED || !is_field_patch (mutation))
      break;

    json_object_iter_init (&iter, aa_mutation_get_patch (mutation));
    while (same && json_object_iter_next (&iter, &name, &node)) {
      JsonNode *current = json_object_get_member (confirmed, name);

      same = current != NULL && json_node_equal (current, node);
    }

    if (same)
      coalesce (self, mutation);
  }
}

static void
enqueue (AaActionManager *self,
         AaMutation      *mutation)
{
  gpointer key = queue_key (self, mutation);
  GQueue *queue = lookup_queue (self, key);

  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (self->queues, key, queue);
  }

  if (is_field_patch (mutation))
    drop_superseded (self, queue, mutation);

  aa_mutation_set_state (mutation, AA_MUTATION_STATE_QUEUED);
  g_queue_push_tail (queue, g_object_ref (mutation));

  /* Optimistic: the models change here, inside the caller's call. */
  show (self, key);
  pump (self, key);
}

/* Logs a new mutation and runs it. */
static AaMutation *
start (AaActionManager *self,
       AaMutation      *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);

  /* What its undo will set back: the displayed values just before it. */
  if (is_field_patch (mutation)) {
    g_autoptr(JsonObject) displayed = compute_displayed (self, target);
    g_autoptr(JsonObject) inverse = json_object_new ();
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, aa_mutation_get_patch (mutation));
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (inverse, name, json_node_copy (json_object_get_member (displayed, name)));
    aa_mutation_set_inverse (mutation, inverse);
  }

  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_SAVE_NOTE)
    set_base_version (mutation, state_version (aa_resource_get_confirmed (target)));

  g_list_store_insert (self->mutations, 0, mutation);
  g_hash_table_add (self->counted, g_object_ref (mutation));
  enqueue (self, mutation);
  update_summary (self);

  return mutation;
}

/* Invalid input: the mutation is born FAILED, nothing applied or sent. */
static AaMutation *
refuse (AaActionManager *self,
        AaMutation      *mutation,
        const GError    *error)
{
  g_autofree char *message = aa_feedback_format_failure (mutation, error);

  aa_mutation_fail (mutation, AA_MUTATION_STATE_FAILED, error, message);
  g_list_store_insert (self->mutations, 0, mutation);
  emit_feedback (self, mutation);
  update_summary (self);

  return mutation;
}

/* Sending */

/* "/items/{id}" and the like, the id escaped: it is whatever string the
 * server chose, slashes and spaces included. */
static char *
resource_path (const char *collection,
               const char *id,
               const char *action)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  if (action != NULL)
    return g_strdup_printf ("/%s/%s/%s", collection, escaped, action);
  return g_strdup_printf ("/%s/%s", collection, escaped);
}

typedef struct {
  AaActionManager *self;
  AaMutation      *mutation;
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
send (AaActionManager *self,
      AaMutation      *mutation)
{
  AaResource *target = aa_mutation_get_target (mutation);
  const char *id = target ? aa_resource_get_id (target) : NULL;
  JsonObject *patch = aa_mutation_get_patch (mutation);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  const char *method = NULL;
  gint64 if_match = -1;
  Request *request;

  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_CREATE_NOTE:
    method = "POST";
    path = g_strdup ("/items");
    break;
  case AA_MUTATION_KIND_STAR_NOTE:
  case AA_MUTATION_KIND_DONE_NOTE:
    /* No If-Match: a star or a done flag is independent of everything else
     * in the note, so the last write winning is exactly right, and a
     * concurrent edit of the text must not make a star fail. */
    method = "PATCH";
    path = resource_path ("items", id, NULL);
    break;
  case AA_MUTATION_KIND_SAVE_NOTE:
    /* If-Match: text edits must never silently overwrite someone else's;
     * a stale version gets 412 and the user chooses. */
    method = "PATCH";
    path = resource_path ("items", id, NULL);
    /* Started on a note whose create was pending: nobody else knew it. */
    if_match = get_base_version (mutation);
    if (if_match < 0)
      if_match = state_version (aa_resource_get_confirmed (target));
    break;
  case AA_MUTATION_KIND_DELETE_NOTE:
    method = "DELETE";
    path = resource_path ("items", id, NULL);
    break;
  case AA_MUTATION_KIND_RESTORE_NOTE:
    method = "POST";
    path = resource_path ("items", id, "restore");
    break;
  case AA_MUTATION_KIND_EMPTY_TRASH:
    method = "POST";
    path = g_strdup ("/trash/empty");
    break;
  case AA_MUTATION_KIND_PAY_INVOICE:
    method = "POST";
    path = g_strdup ("/payments");
    break;
  case AA_MUTATION_KIND_CHANGE_ROLE:
    method = "PATCH";
    path = resource_path ("members", id, NULL);
    break;
  default:
    g_assert_not_reached ();
  }

  if (patch != NULL) {
    body = json_node_new (JSON_NODE_OBJECT);
    json_node_set_object (body, patch);
  }

  aa_mutation_begin_attempt (mutation);
  g_debug ("Sending %s: %s %s (attempt %u)", aa_mutation_get_label (mutation),
           method, path, aa_mutation_get_attempts (mutation));

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->mutation = g_object_ref (mutation);
  aa_rest_client_request_async (self->client, method, path, body,
                                aa_mutation_get_idempotency_key (mutation), if_match,
                                NULL, request_cb, request);
}

/* Sends the head of @key's queue unless something of it is in flight. */
static void
pump (AaActionManager *self,
      gpointer         key)
{
  GQueue *queue = lookup_queue (self, key);
  AaMutation *head;

  if (queue == NULL)
    return;

  head = g_queue_peek_head (queue);

  /* A failed create stays at the head: what was queued behind it needs
   * the id that only a successful retry of the create will give. */
  if (aa_mutation_get_state (head) == AA_MUTATION_STATE_QUEUED)
    send (self, head);
}

/* Settling */

/* Stores what the server confirmed for @mutation's target. */
static gboolean
confirm (AaActionManager  *self,
         AaMutation       *mutation,
         JsonNode         *node,
         GError          **error)
{
  AaResource *target = aa_mutation_get_target (mutation);
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(JsonObject) state = NULL;

  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_DELETE_NOTE:
    /* The answer may or may not carry the item; either way it is trashed. */
    if (object != NULL && json_object_has_member (object, "id"))
      state = aa_resource_normalize (AA_TYPE_ITEM, object, NULL);
    if (state == NULL)
      state = aa_state_copy (aa_resource_get_confirmed (target));
    json_object_set_boolean_member (state, "trashed", TRUE);
    break;

  case AA_MUTATION_KIND_PAY_INVOICE:
    /* The answer is the payment, not the invoice: a succeeded payment is
     * what makes the invoice paid. */
    state = aa_state_copy (aa_resource_get_confirmed (target));
    json_object_set_string_member (state, "status", "paid");
    break;

  case AA_MUTATION_KIND_EMPTY_TRASH:
    return TRUE;

  case AA_MUTATION_KIND_CREATE_NOTE:
  case AA_MUTATION_KIND_STAR_NOTE:
  case AA_MUTATION_KIND_DONE_NOTE:
  case AA_MUTATION_KIND_SAVE_NOTE:
  case AA_MUTATION_KIND_RESTORE_NOTE:
  case AA_MUTATION_KIND_CHANGE_ROLE:
  default:
    if (object == NULL) {
      g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                           _("The server's answer has no object in it."));
      return FALSE;
    }
    state = aa_resource_normalize (G_OBJECT_TYPE (target), object, error);
    if (state == NULL)
      return FALSE;
    break;
  }

  /* The create's answer carries the real id: the temporary one goes, and
   * whatever waited behind the create is sent with the real one. */
  if (aa_resource_is_local (target)) {
    const char *id = json_object_get_string_member (state, "id");
    AaItem *twin = g_hash_table_lookup (self->items_by_id, id);

    /* A refresh that raced the answer (or followed a lost one) may already
     * show the server's copy of this note: ours, which the user may be
     * editing, replaces it. */
    if (twin != NULL && !has_pending (self, twin))
      remove_item (self, twin);

    g_hash_table_remove (self->items_by_id, aa_resource_get_id (target));
    aa_resource_set_id (target, id);
    aa_resource_set_local (target, FALSE);
    g_hash_table_insert (self->items_by_id, g_strdup (aa_resource_get_id (target)), target);
  }

  if (is_field_patch (mutation))
    advance_saves (self, target, state_version (state));

  /* A refresh that the server answered after this request may already have
   * confirmed a newer version (someone else's edit on top of ours). */
  if (state_version (state) < 0 ||
      state_version (aa_resource_get_confirmed (target)) <= state_version (state))
    aa_resource_set_confirmed (target, state);

  return TRUE;
}

/* Empty trash: what the trash showed as confirmed is gone for good. */
static guint
purge_trash (AaActionManager *self)
{
  guint n_purged = 0;

  for (guint i = self->all_items->len; i > 0; i--) {
    AaItem *item = g_ptr_array_index (self->all_items, i - 1);
    JsonObject *confirmed = aa_resource_get_confirmed (AA_RESOURCE (item));

    /* An item with a restore (or anything) pending was not purged by
     * this request's rules: its own request decides. */
    if (json_object_get_boolean_member (confirmed, "trashed") && !has_pending (self, item)) {
      remove_item (self, item);
      n_purged++;
    }
  }

  return n_purged;
}

static void settle_failure (AaActionManager *self,
                            AaMutation      *mutation,
                            const GError    *error);

/* The server's copy of a note that a refresh showed beside our unconfirmed
 * create, kept by confirm() while it had changes on their way: once they
 * settled it goes, and the note itself takes what it confirmed, if newer. */
static void
drop_twin (AaActionManager *self,
           gpointer         key)
{
  AaResource *twin = key;
  AaResource *owner;
  JsonObject *confirmed;

  if (!AA_IS_ITEM (key) || has_pending (self, key))
    return;

  owner = g_hash_table_lookup (self->items_by_id, aa_resource_get_id (twin));
  if (owner == NULL || owner == twin)
    return;

  confirmed = aa_resource_get_confirmed (twin);
  if (state_version (confirmed) > state_version (aa_resource_get_confirmed (owner))) {
    g_autoptr(JsonObject) state = aa_state_copy (confirmed);

    aa_resource_set_confirmed (owner, state);
    show (self, owner);
  }
  remove_item (self, AA_ITEM (twin));
}

static void
settle_success (AaActionManager *self,
                AaMutation      *mutation,
                JsonNode        *node)
{
  g_autoptr(GError) error = NULL;
  AaMutation *original = aa_mutation_get_undo_of (mutation);
  gpointer key = queue_key (self, mutation);

  if (!confirm (self, mutation, node, &error)) {
    settle_failure (self, mutation, error);
    return;
  }

  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_EMPTY_TRASH) {
    aa_mutation_set_count (mutation, purge_trash (self));
    self->trash_emptied_at = ++self->clock;
  } else {
    stamp_settled (self, aa_mutation_get_target (mutation));
  }

  aa_mutation_set_state (mutation, AA_MUTATION_STATE_SUCCEEDED);
  drop_from_queue (self, mutation);

  /* The original counts as undone once its undo is on the server. */
  if (original != NULL)
    aa_mutation_set_state (original, AA_MUTATION_STATE_UNDONE);

  if (key != (gpointer) self)
    drop_confirmed (self, key);

  show (self, key);
  pump (self, key);
  drop_twin (self, key);
}

static void
settle_failure (AaActionManager *self,
                AaMutation      *mutation,
                const GError    *error)
{
  g_autofree char *message = aa_feedback_format_failure (mutation, error);
  gpointer key = queue_key (self, mutation);

  g_debug ("%s failed: %s", aa_mutation_get_label (mutation), error->message);

  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_CREATE_NOTE) {
    /* The note stays, marked unsaved, with what was typed; it keeps its
     * place at the head of its queue until a retry succeeds. */
    aa_mutation_fail (mutation, AA_MUTATION_STATE_FAILED, error, message);
  } else if (aa_mutation_get_policy (mutation) == AA_POLICY_OPTIMISTIC) {
    /* Leaving its patch out of show() is the whole rollback: later pending
     * mutations of the resource stay applied. */
    aa_mutation_fail (mutation, AA_MUTATION_STATE_ROLLED_BACK, error, message);
    drop_from_queue (self, mutation);
  } else {
    /* Pessimistic: nothing was changed, so nothing to take back. */
    aa_mutation_fail (mutation, AA_MUTATION_STATE_FAILED, error, message);
    drop_from_queue (self, mutation);
  }

  show (self, key);
  pump (self, key);
  drop_twin (self, key);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  AaActionManager *self = request->self;
  AaMutation *mutation = request->mutation;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replayed = FALSE;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, &replayed, &error);
  aa_mutation_set_replayed (mutation, replayed);

  if (node != NULL)
    settle_success (self, mutation, node);
  else
    settle_failure (self, mutation, error);

  emit_feedback (self, mutation);
  update_summary (self);
  request_free (request);
}

/* The intentions */

static AaMutation *
new_item_mutation (AaActionManager *self,
                   AaMutationKind   kind,
                   AaItem          *item,
                   JsonObject      *patch)
{
  return aa_mutation_new (kind, AA_RESOURCE (item), aa_item_get_title (item), NULL, patch);
}

AaMutation *
aa_action_manager_create_note (AaActionManager *self,
                               const char      *title,
                               const char      *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(AaResource) item = NULL;
  g_autoptr(AaMutation) mutation = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : "");

  if (!aa_validate_title (title, &error)) {
    mutation = aa_mutation_new (AA_MUTATION_KIND_CREATE_NOTE, NULL, title, NULL, patch);
    return refuse (self, mutation, error);
  }

  /* The note exists here at once, under a temporary id, at the top. */
  id = g_strdup_printf ("local-%u", ++self->next_local_id);
  state = aa_state_copy (patch);
  json_object_set_string_member (state, "id", id);
  json_object_set_boolean_member (state, "starred", FALSE);
  json_object_set_boolean_member (state, "done", FALSE);
  json_object_set_int_member (state, "version", -1);
  json_object_set_null_member (state, "updated_at");
  json_object_set_boolean_member (state, "trashed", FALSE);
  item = aa_resource_new_local (AA_TYPE_ITEM, state);
  add_item (self, AA_ITEM (item), 0);

  mutation = new_item_mutation (self, AA_MUTATION_KIND_CREATE_NOTE, AA_ITEM (item), patch);
  return start (self, mutation);
}

static AaMutation *
set_flag (AaActionManager *self,
          AaMutationKind   kind,
          AaItem          *item,
          const char      *field,
          gboolean         value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  json_object_set_boolean_member (patch, field, value);
  mutation = new_item_mutation (self, kind, item, patch);

  return start (self, mutation);
}

AaMutation *
aa_action_manager_set_starred (AaActionManager *self,
                               AaItem          *item,
                               gboolean         starred)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  return set_flag (self, AA_MUTATION_KIND_STAR_NOTE, item, "starred", !!starred);
}

AaMutation *
aa_action_manager_set_done (AaActionManager *self,
                            AaItem          *item,
                            gboolean         done)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  return set_flag (self, AA_MUTATION_KIND_DONE_NOTE, item, "done", !!done);
}

AaMutation *
aa_action_manager_save_note (AaActionManager *self,
                             AaItem          *item,
                             const char      *title,
                             const char      *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : aa_item_get_notes (item));
  mutation = new_item_mutation (self, AA_MUTATION_KIND_SAVE_NOTE, item, patch);

  if (!aa_validate_title (title, &error))
    return refuse (self, mutation, error);

  return start (self, mutation);
}

AaMutation *
aa_action_manager_delete_note (AaActionManager *self,
                               AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_item_mutation (self, AA_MUTATION_KIND_DELETE_NOTE, item, NULL);
  return start (self, mutation);
}

AaMutation *
aa_action_manager_restore_note (AaActionManager *self,
                                AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_item_mutation (self, AA_MUTATION_KIND_RESTORE_NOTE, item, NULL);
  return start (self, mutation);
}

/* The pending mutation of @kind on @key, if any. */
static AaMutation *
find_pending (AaActionManager *self,
              gpointer         key,
              AaMutationKind   kind)
{
  GQueue *queue = lookup_queue (self, key);

  for (GList *l = queue ? queue->tail : NULL; l != NULL; l = l->prev) {
    AaMutation *mutation = l->data;

    if (aa_mutation_get_kind (mutation) == kind && aa_mutation_is_pending (mutation))
      return mutation;
  }

  return NULL;
}

AaMutation *
aa_action_manager_empty_trash (AaActionManager *self)
{
  g_autoptr(AaMutation) mutation = NULL;
  AaMutation *pending;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  /* Emptying twice at once is still one intention. */
  pending = find_pending (self, self, AA_MUTATION_KIND_EMPTY_TRASH);
  if (pending != NULL)
    return pending;

  mutation = aa_mutation_new (AA_MUTATION_KIND_EMPTY_TRASH, NULL, NULL, NULL, NULL);
  return start (self, mutation);
}

AaMutation *
aa_action_manager_pay_invoice (AaActionManager *self,
                               AaInvoice       *invoice,
                               const char      *card_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *amount = NULL;
  AaMutation *pending;
  gboolean valid;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  /* A double click is one intention: one key, one charge. */
  pending = find_pending (self, invoice, AA_MUTATION_KIND_PAY_INVOICE);
  if (pending != NULL)
    return pending;

  valid = aa_validate_card_number (card_number, &digits, &error);
  json_object_set_string_member (patch, "invoice_id", aa_resource_get_id (AA_RESOURCE (invoice)));
  json_object_set_string_member (patch, "card_number", digits ? digits : "");
  amount = aa_invoice_format_amount (invoice);
  mutation = aa_mutation_new (AA_MUTATION_KIND_PAY_INVOICE, AA_RESOURCE (invoice),
                              aa_invoice_get_description (invoice), amount, patch);

  if (!valid)
    return refuse (self, mutation, error);

  return start (self, mutation);
}

AaMutation *
aa_action_manager_change_role (AaActionManager *self,
                               AaMember        *member,
                               AaRole           role)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  AaMutation *pending;
  AaRole current;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_MEMBER (member), NULL);

  current = aa_member_get_role (member);

  /* Choosing the role the member has (or is about to have) is no change:
   * the pending one is the answer, or nothing at all. A control that is
   * set back to the confirmed value after a failure must not start one. */
  pending = find_pending (self, member, AA_MUTATION_KIND_CHANGE_ROLE);
  if (pending != NULL)
    aa_mutation_get_roles (pending, NULL, NULL, &current);
  if (current == role)
    return pending;

  /* A change the rules forbid is still sent: the server decides, and
   * its 403 is explained with the roles involved. The UI disables such
   * controls beforehand with aa_role_can_change(). */
  json_object_set_string_member (patch, "role", aa_role_to_string (role));
  mutation = aa_mutation_new (AA_MUTATION_KIND_CHANGE_ROLE, AA_RESOURCE (member),
                              aa_member_get_name (member), NULL, patch);
  aa_mutation_set_roles (mutation, self->me != NULL,
                         self->me ? aa_member_get_role (self->me) : AA_ROLE_MEMBER,
                         aa_member_get_role (member));

  return start (self, mutation);
}

/* Retry, dismiss, undo */

gboolean
aa_action_manager_retry (AaActionManager *self,
                         AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  /* Invalid input (never sent) is corrected in the form, not retried. */
  if (!is_failed (mutation) || aa_mutation_get_attempts (mutation) == 0)
    return FALSE;

  /* A failed create that was let go took its note with it. */
  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_CREATE_NOTE && !is_head (self, mutation))
    return FALSE;

  aa_mutation_set_dismissed (mutation, FALSE);
  g_hash_table_add (self->counted, g_object_ref (mutation));

  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_CREATE_NOTE) {
    /* Still at the head of its queue: send it again from there. The server
     * answers a create it already made (lost response) with a replay. */
    aa_mutation_set_state (mutation, AA_MUTATION_STATE_QUEUED);
    show (self, queue_key (self, mutation));
    pump (self, queue_key (self, mutation));
  } else {
    /* Same key, re-applied if optimistic, queued like a new one. A retried
     * save is the user's text again over the version shown now (reloaded
     * after a conflict, say). */
    if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_SAVE_NOTE)
      set_base_version (mutation, state_version (aa_resource_get_confirmed (aa_mutation_get_target (mutation))));
    enqueue (self, mutation);
  }

  update_summary (self);
  return TRUE;
}

void
aa_action_manager_dismiss (AaActionManager *self,
                           AaMutation      *mutation)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (AA_IS_MUTATION (mutation));

  if (!is_failed (mutation))
    return;

  aa_mutation_set_dismissed (mutation, TRUE);

  /* Letting a failed create go lets its note go: it never existed on the
   * server, and what waited behind it is cancelled with it. */
  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_CREATE_NOTE) {
    AaResource *item = aa_mutation_get_target (mutation);
    GQueue *queue = lookup_queue (self, item);

    if (queue != NULL && g_queue_peek_head (queue) == (gpointer) mutation) {
      g_autoptr(AaResource) keep = g_object_ref (item);

      for (GList *l = queue->head->next; l != NULL; l = l->next)
        aa_mutation_set_state (l->data, AA_MUTATION_STATE_UNDONE);
      g_hash_table_remove (self->queues, item);
      remove_item (self, AA_ITEM (item));
    }
  }

  update_summary (self);
}

/* TRUE when @resource displays every value of @values. */
static gboolean
shows_values (AaActionManager *self,
              AaResource      *resource,
              JsonObject      *values)
{
  g_autoptr(JsonObject) displayed = compute_displayed (self, resource);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &name, &node)) {
    JsonNode *shown = json_object_get_member (displayed, name);

    if (shown == NULL || !json_node_equal (shown, node))
      return FALSE;
  }

  return TRUE;
}

gboolean
aa_action_manager_can_undo (AaActionManager *self,
                            AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  return can_undo (self, mutation);
}

/*
 * Undo is a real request: delete -> restore, star/done/save -> the same kind
 * with the values from before (recorded by start()). It is queued behind the
 * original if that is in flight. The original turns UNDONE when its undo
 * succeeds; a failed undo is an ordinary failed mutation, retryable.
 */
AaMutation *
aa_action_manager_undo (AaActionManager *self,
                        AaMutation      *mutation)
{
  g_autoptr(AaMutation) undo = NULL;
  AaResource *target;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  if (!can_undo (self, mutation))
    return NULL;

  target = aa_mutation_get_target (mutation);

  /* Never sent: cancelling it is the whole undo, and nothing is sent. */
  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_QUEUED) {
    aa_mutation_set_state (mutation, AA_MUTATION_STATE_UNDONE);
    drop_from_queue (self, mutation);
    show (self, target);

    /* Unless it had replaced queued changes of its fields: the values from
     * before it were never sent, so its inverse is (star, unstar, star,
     * undo: the star in flight is followed by an unstar). */
    if (!is_field_patch (mutation) || shows_values (self, target, aa_mutation_get_inverse (mutation))) {
      update_summary (self);
      return mutation;
    }
  }

  if (aa_mutation_get_kind (mutation) == AA_MUTATION_KIND_DELETE_NOTE)
    undo = new_item_mutation (self, AA_MUTATION_KIND_RESTORE_NOTE, AA_ITEM (target), NULL);
  else
    undo = new_item_mutation (self, aa_mutation_get_kind (mutation), AA_ITEM (target),
                              aa_mutation_get_inverse (mutation));

  aa_mutation_link_undo (mutation, undo);
  return start (self, undo);
}

/* Refresh: new confirmed states, pending patches laid on top again */

static gboolean
normalize_list (JsonNode   *node,
                GType       type,
                GPtrArray **out_states,
                GError    **error)
{
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                         _("The server sent something other than a list."));
    return FALSE;
  }

  /* Back to front, dropping each server object once it is read, so that a
   * list of 10,000 notes is never held twice in memory. */
  array = json_node_get_array (node);
  for (guint i = json_array_get_length (array); i > 0; i--) {
    JsonNode *element = json_array_get_element (array, i - 1);
    JsonObject *state;

    if (!JSON_NODE_HOLDS_OBJECT (element)) {
      g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                           _("The server sent a list with something other than objects in it."));
      return FALSE;
    }

    state = aa_resource_normalize (type, json_node_get_object (element), error);
    if (state == NULL)
      return FALSE;
    g_ptr_array_add (states, state);
    json_array_remove_element (array, i - 1);
  }

  /* Read back to front: put them in the server's order again. */
  for (guint i = 0; i < states->len / 2; i++) {
    gpointer first = states->pdata[i];

    states->pdata[i] = states->pdata[states->len - 1 - i];
    states->pdata[states->len - 1 - i] = first;
  }

  *out_states = g_steal_pointer (&states);
  return TRUE;
}

/* Replaces a resource's confirmed state unless it is older than the one we
 * have. A list sent at @sent_at, before a change of ours settled, may have
 * been read before the change: only a newer version is believed then (a
 * delete, a payment or a role change bumps no version, or has none). */
static void
reconfirm (AaActionManager *self,
           AaResource      *resource,
           JsonObject      *state,
           guint            sent_at)
{
  gint64 have = state_version (aa_resource_get_confirmed (resource));
  gint64 incoming = state_version (state);

  if (incoming >= 0 && have > incoming)
    return;
  if (settled_since (resource, sent_at) && (incoming < 0 || incoming == have))
    return;

  aa_resource_set_confirmed (resource, state);
  show (self, resource);
}

/* Merges one server list of items, in its order. A new item goes right
 * after the known item that precedes it in the server's list, so the
 * master order follows the server's without moving what is known. */
/* Where @item is in the master order. A list from the server comes in that
 * order, so the search starts at @hint, right after the previous one found:
 * a refresh of 10,000 known notes is linear, not quadratic. */
static gboolean
find_item (AaActionManager *self,
           AaItem          *item,
           guint            hint,
           guint           *out_index)
{
  guint len = self->all_items->len;

  for (guint i = 0; i < len; i++) {
    guint index = (hint + i) % len;

    if (g_ptr_array_index (self->all_items, index) == item) {
      *out_index = index;
      return TRUE;
    }
  }

  return FALSE;
}

static void
merge_items (AaActionManager *self,
             GPtrArray       *states,
             gboolean         trashed,
             GHashTable      *seen,
             guint            sent_at)
{
  guint next = trashed ? self->all_items->len : 0;
  guint hint = 0;

  for (guint i = 0; i < states->len; i++) {
    JsonObject *state = g_ptr_array_index (states, i);
    const char *id = json_object_get_string_member (state, "id");
    guint index;
    AaItem *item;

    json_object_set_boolean_member (state, "trashed", trashed);
    g_hash_table_add (seen, g_strdup (id));

    item = g_hash_table_lookup (self->items_by_id, id);
    if (item != NULL) {
      reconfirm (self, AA_RESOURCE (item), state, sent_at);
      if (find_item (self, item, hint, &index)) {
        next = MAX (next, index + 1);
        hint = index + 1;
      }
    } else if (trashed && self->trash_emptied_at > sent_at) {
      /* Read before our empty trash purged it: gone for good. */
      continue;
    } else {
      g_autoptr(AaResource) resource = g_object_new (AA_TYPE_ITEM, NULL);

      aa_resource_set_id (resource, id);
      aa_resource_set_confirmed (resource, state);
      aa_resource_render (resource, state);
      /* Trashed items first seen in the trash go after everything. */
      index = trashed ? self->all_items->len : next++;
      add_item (self, AA_ITEM (resource), index);
      if (index <= hint)
        hint++;
    }
  }
}

static void
apply_item_lists (AaActionManager *self,
                  GPtrArray       *items,
                  GPtrArray       *trash,
                  guint            sent_at)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->deferring_placement = TRUE;
  if (items != NULL)
    merge_items (self, items, FALSE, seen, sent_at);
  if (trash != NULL)
    merge_items (self, trash, TRUE, seen, sent_at);
  self->deferring_placement = FALSE;

  /* What the server no longer lists was deleted or purged elsewhere,
   * unless it is ours alone so far (local) or has changes on their way. */
  for (guint i = self->all_items->len; i > 0; i--) {
    AaItem *item = g_ptr_array_index (self->all_items, i - 1);
    AaResource *resource = AA_RESOURCE (item);
    gboolean was_trashed = json_object_get_boolean_member (aa_resource_get_confirmed (resource), "trashed");
    gboolean listed = was_trashed ? trash != NULL : items != NULL;

    if (listed &&
        !g_hash_table_contains (seen, aa_resource_get_id (resource)) &&
        !aa_resource_is_local (resource) &&
        !has_pending (self, resource) &&
        !settled_since (resource, sent_at))
      remove_item (self, item);
  }

  place_all_items (self);
}

/* Invoices and members: the server's order, existing objects kept. */
static void
apply_list (AaActionManager *self,
            GListStore      *store,
            GType            type,
            GPtrArray       *states,
            guint            sent_at)
{
  GListModel *model = G_LIST_MODEL (store);
  g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);
  gboolean same = TRUE;

  for (guint i = 0; i < states->len; i++) {
    JsonObject *state = g_ptr_array_index (states, i);
    const char *id = json_object_get_string_member (state, "id");
    AaResource *resource = NULL;

    for (guint j = 0; j < n && resource == NULL; j++) {
      g_autoptr(AaResource) candidate = g_list_model_get_item (model, j);

      if (g_strcmp0 (aa_resource_get_id (candidate), id) == 0)
        resource = g_steal_pointer (&candidate);
    }

    if (resource != NULL) {
      reconfirm (self, resource, state, sent_at);
    } else {
      resource = g_object_new (type, NULL);
      aa_resource_set_id (resource, id);
      aa_resource_set_confirmed (resource, state);
      aa_resource_render (resource, state);
    }
    g_ptr_array_add (next, resource);
  }

  /* Splice only when something changed, so views do not rebuild. */
  if (next->len != n)
    same = FALSE;
  for (guint i = 0; same && i < n; i++) {
    g_autoptr(GObject) current = g_list_model_get_item (model, i);

    same = current == g_ptr_array_index (next, i);
  }
  if (!same)
    g_list_store_splice (store, 0, n, next->pdata, next->len);
}

static void
apply_me (AaActionManager *self,
          JsonNode        *node)
{
  g_autofree char *id = NULL;
  AaMember *me = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->members));

  if (JSON_NODE_HOLDS_OBJECT (node))
    id = aa_json_dup_id (json_node_get_object (node), "id", NULL);

  for (guint i = 0; id != NULL && i < n && me == NULL; i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (G_LIST_MODEL (self->members), i);

    if (g_strcmp0 (aa_resource_get_id (AA_RESOURCE (member)), id) == 0)
      me = member;
  }

  if (g_set_object (&self->me, me))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ME]);
}

enum {
  FETCH_ITEMS,
  FETCH_TRASH,
  FETCH_INVOICES,
  FETCH_MEMBERS,
  FETCH_ME,
  N_FETCHES
};

static const char * const fetch_paths[N_FETCHES] = { "/items", "/trash", "/invoices", "/members", "/me" };

typedef struct {
  JsonNode *nodes[N_FETCHES];
  guint     n_outstanding;
  guint     sent_at;  /* the manager's clock when the requests left */
  GError   *error;
} Refresh;

typedef struct {
  GTask *task;
  guint  fetch;
} Fetch;

static void
refresh_free (Refresh *refresh)
{
  for (guint i = 0; i < N_FETCHES; i++)
    g_clear_pointer (&refresh->nodes[i], json_node_unref);
  g_clear_error (&refresh->error);
  g_free (refresh);
}

/* All lists fetched: apply them together, so an item that moved to the trash
 * elsewhere is seen in the trash rather than as gone. */
static void
refresh_apply (AaActionManager  *self,
               Refresh          *refresh,
               GError          **error)
{
  GPtrArray *lists[N_FETCHES] = { NULL, };
  const GType types[N_FETCHES] = { AA_TYPE_ITEM, AA_TYPE_ITEM, AA_TYPE_INVOICE, AA_TYPE_MEMBER, G_TYPE_NONE };
  gboolean valid = TRUE;

  /* Nothing is applied from an answer that cannot be read as a whole. */
  for (guint i = 0; valid && i < FETCH_ME; i++) {
    if (refresh->nodes[i] != NULL)
      valid = normalize_list (refresh->nodes[i], types[i], &lists[i], error);
  }

  if (valid) {
    if (lists[FETCH_ITEMS] != NULL || lists[FETCH_TRASH] != NULL)
      apply_item_lists (self, lists[FETCH_ITEMS], lists[FETCH_TRASH], refresh->sent_at);
    if (lists[FETCH_INVOICES] != NULL)
      apply_list (self, self->invoices, AA_TYPE_INVOICE, lists[FETCH_INVOICES], refresh->sent_at);
    if (lists[FETCH_MEMBERS] != NULL)
      apply_list (self, self->members, AA_TYPE_MEMBER, lists[FETCH_MEMBERS], refresh->sent_at);
    if (refresh->nodes[FETCH_ME] != NULL)
      apply_me (self, refresh->nodes[FETCH_ME]);
  }

  for (guint i = 0; i < N_FETCHES; i++)
    g_clear_pointer (&lists[i], g_ptr_array_unref);
}


static void
refresh_fetch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&fetch->task);
  AaActionManager *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node != NULL)
    refresh->nodes[fetch->fetch] = node;
  else if (refresh->error == NULL)
    refresh->error = g_steal_pointer (&error);
  g_free (fetch);

  if (--refresh->n_outstanding > 0)
    return;

  /* What did arrive is applied even if something else failed: the UI
   * shows what it can and says what it could not reach. */
  if (refresh->error == NULL)
    refresh_apply (self, refresh, &refresh->error);
  else {
    g_autoptr(GError) ignored = NULL;

    refresh_apply (self, refresh, &ignored);
  }

  update_summary (self);

  if (refresh->error != NULL)
    g_task_return_error (task, g_steal_pointer (&refresh->error));
  else
    g_task_return_boolean (task, TRUE);
}

void
aa_action_manager_refresh_async (AaActionManager     *self,
                                 AaRefreshFlags       flags,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const AaRefreshFlags needs[N_FETCHES] = {
    AA_REFRESH_ITEMS, AA_REFRESH_TRASH, AA_REFRESH_INVOICES, AA_REFRESH_MEMBERS, AA_REFRESH_MEMBERS,
  };
  Refresh *refresh;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_refresh_async);
  refresh = g_new0 (Refresh, 1);
  refresh->sent_at = self->clock;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);

  /* The lists are fetched in parallel; each request holds the task. */
  for (guint i = 0; i < N_FETCHES; i++) {
    Fetch *fetch;

    if ((flags & needs[i]) == 0)
      continue;

    fetch = g_new0 (Fetch, 1);
    fetch->task = g_object_ref (task);
    fetch->fetch = i;
    refresh->n_outstanding++;
    aa_rest_client_request_async (self->client, "GET", fetch_paths[i], NULL, NULL, -1,
                                  cancellable, refresh_fetch_cb, fetch);
  }

  if (refresh->n_outstanding == 0)
    g_task_return_boolean (task, TRUE);
}

gboolean
aa_action_manager_refresh_finish (AaActionManager  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reload_item_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaActionManager *self = g_task_get_source_object (task);
  AaItem *item = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) state = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL) {
    g_task_return_error (task, error);
    return;
  }

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_task_return_new_error (task, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                             _("The server's answer has no object in it."));
    return;
  }

  state = aa_resource_normalize (AA_TYPE_ITEM, json_node_get_object (node), &error);
  if (state == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The user asked for the latest version: it replaces ours, whatever its
   * version, with pending changes still on top. */
  aa_resource_set_confirmed (AA_RESOURCE (item), state);
  show (self, item);
  g_task_return_boolean (task, TRUE);
}

void
aa_action_manager_reload_item_async (AaActionManager     *self,
                                     AaItem              *item,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (AA_IS_ITEM (item));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_reload_item_async);
  g_task_set_task_data (task, g_object_ref (item), g_object_unref);

  path = resource_path ("items", aa_resource_get_id (AA_RESOURCE (item)), NULL);
  aa_rest_client_request_async (self->client, "GET", path, NULL, NULL, -1,
                                cancellable, reload_item_cb, g_steal_pointer (&task));
}

gboolean
aa_action_manager_reload_item_finish (AaActionManager  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Confirmation texts */

AaConfirmation *
aa_action_manager_describe_delete (AaActionManager *self,
                                   AaItem          *item)
{
  AaConfirmation *confirmation;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  confirmation = g_new0 (AaConfirmation, 1);
  confirmation->heading = g_strdup_printf (_("Delete “%s”?"), aa_item_get_title (item));
  confirmation->body = g_strdup (_("It moves to the trash. You can undo this right after."));
  confirmation->confirm_label = g_strdup (_("Delete"));
  confirmation->destructive = TRUE;

  return confirmation;
}

AaConfirmation *
aa_action_manager_describe_empty_trash (AaActionManager *self)
{
  AaConfirmation *confirmation;
  guint n;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->trash));
  confirmation = g_new0 (AaConfirmation, 1);
  confirmation->heading = g_strdup (_("Empty Trash?"));
  confirmation->body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u note will be deleted for good. This can't be undone.",
                                                     "%u notes will be deleted for good. This can't be undone.",
                                                     n),
                                        n);
  confirmation->confirm_label = g_strdup (_("Empty Trash"));
  confirmation->destructive = TRUE;

  return confirmation;
}

AaConfirmation *
aa_action_manager_describe_payment (AaActionManager *self,
                                    AaInvoice       *invoice,
                                    const char      *card_number)
{
  g_autofree char *amount = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  AaConfirmation *confirmation;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  for (const char *p = card_number ? card_number : ""; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  }

  amount = aa_invoice_format_amount (invoice);
  confirmation = g_new0 (AaConfirmation, 1);
  confirmation->heading = g_strdup_printf (_("Pay %s?"), amount);
  confirmation->body = g_strdup_printf (_("“%s” will be charged to the card ending in %s."),
                                        aa_invoice_get_description (invoice),
                                        digits->str + (digits->len > 4 ? digits->len - 4 : 0));
  confirmation->confirm_label = g_strdup_printf (_("Pay %s"), amount);
  confirmation->destructive = FALSE;

  return confirmation;
}

/* Quitting */

GPtrArray *
aa_action_manager_list_unsettled (AaActionManager *self)
{
  GListModel *mutations;
  GPtrArray *unsettled;
  guint n;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

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

    /* A refusal for good (a declined card, a forbidden role) is the
     * server's answer, not a change waiting to be made: quitting loses
     * nothing of it. What a retry or a reload could still save counts. */
    aa_feedback_choose_tier (mutation, &action);
    if (action != AA_FEEDBACK_ACTION_NONE)
      g_ptr_array_add (unsettled, g_steal_pointer (&mutation));
  }

  return unsettled;
}

/* Signing in as another member of the demo server */

static void
sign_in_refresh_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaActionManager *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The roles shown must be the server's, and "me" the new member. */
  aa_action_manager_refresh_async (self, AA_REFRESH_MEMBERS, cancellable,
                                   sign_in_refresh_cb, g_steal_pointer (&task));
}

void
aa_action_manager_sign_in_as_async (AaActionManager     *self,
                                    AaMember            *member,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (AA_IS_MEMBER (member));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_sign_in_as_async);

  json_object_set_string_member (object, "member_id", aa_resource_get_id (AA_RESOURCE (member)));
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, object);
  key = aa_rest_client_new_idempotency_key ();
  aa_rest_client_request_async (self->client, "PUT", "/_control/session", body, key, -1,
                                cancellable, sign_in_cb, task);
}

gboolean
aa_action_manager_sign_in_as_finish (AaActionManager  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Network conditions of the demo server */

static void
get_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    g_task_return_new_error (task, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                             _("The server's answer has no object in it."));
  else
    g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                           (GDestroyNotify) json_object_unref);
}

void
aa_action_manager_get_faults_async (AaActionManager     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_get_faults_async);
  aa_rest_client_request_async (self->client, "GET", "/_control/faults", NULL, NULL, -1,
                                cancellable, get_faults_cb, task);
}

JsonObject *
aa_action_manager_get_faults_finish (AaActionManager  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
aa_action_manager_set_faults_async (AaActionManager     *self,
                                    JsonObject          *faults,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (faults != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_set_faults_async);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, faults);
  /* Every PUT carries a key; a settings change is its own intention. */
  key = aa_rest_client_new_idempotency_key ();
  aa_rest_client_request_async (self->client, "PUT", "/_control/faults", body, key, -1,
                                cancellable, set_faults_cb, task);
}

gboolean
aa_action_manager_set_faults_finish (AaActionManager  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
aa_action_manager_finalize (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_pointer (&self->counted, g_hash_table_unref);
  g_clear_pointer (&self->placement, g_hash_table_unref);
  g_clear_pointer (&self->items_by_id, g_hash_table_unref);
  g_clear_pointer (&self->all_items, g_ptr_array_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->trash);
  g_clear_object (&self->invoices);
  g_clear_object (&self->members);
  g_clear_object (&self->mutations);
  g_clear_object (&self->me);
  g_clear_object (&self->undoable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (aa_action_manager_parent_class)->finalize (object);
}

static void
aa_action_manager_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

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
  case PROP_TRASH_BUSY:
    g_value_set_boolean (value, self->trash_busy);
    break;
  case PROP_ME:
    g_value_set_object (value, self->me);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_action_manager_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_action_manager_class_init (AaActionManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  settled_quark = g_quark_from_static_string ("aa-action-manager-settled-at");
  base_version_quark = g_quark_from_static_string ("aa-action-manager-base-version");

  object_class->finalize = aa_action_manager_finalize;
  object_class->get_property = aa_action_manager_get_property;
  object_class->set_property = aa_action_manager_set_property;

  props[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AA_TYPE_REST_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_UNDOABLE] =
    g_param_spec_object ("undoable", NULL, NULL, AA_TYPE_MUTATION, flags);
  props[PROP_TRASH_BUSY] =
    g_param_spec_boolean ("trash-busy", NULL, NULL, FALSE, flags);
  props[PROP_ME] =
    g_param_spec_object ("me", NULL, NULL, AA_TYPE_MEMBER, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FEEDBACK] =
    g_signal_new ("feedback",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_FEEDBACK);
}

static void
aa_action_manager_init (AaActionManager *self)
{
  self->items = g_list_store_new (AA_TYPE_ITEM);
  self->trash = g_list_store_new (AA_TYPE_ITEM);
  self->invoices = g_list_store_new (AA_TYPE_INVOICE);
  self->members = g_list_store_new (AA_TYPE_MEMBER);
  self->mutations = g_list_store_new (AA_TYPE_MUTATION);
  self->all_items = g_ptr_array_new_with_free_func (g_object_unref);
  self->placement = g_hash_table_new (NULL, NULL);
  self->items_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->queues = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) queue_free);
  self->counted = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

AaActionManager *
aa_action_manager_new (AaRestClient *client)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);

  return g_object_new (AA_TYPE_ACTION_MANAGER, "client", client, NULL);
}

AaRestClient *
aa_action_manager_get_client (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->client;
}

const char *
aa_action_manager_get_server_url (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_rest_client_get_base_url (self->client);
}

GListModel *
aa_action_manager_get_items (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->items);
}

GListModel *
aa_action_manager_get_trash (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->trash);
}

GListModel *
aa_action_manager_get_invoices (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->invoices);
}

GListModel *
aa_action_manager_get_members (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->members);
}

AaMember *
aa_action_manager_get_me (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->me;
}

GListModel *
aa_action_manager_get_mutations (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->mutations);
}

guint
aa_action_manager_get_n_pending (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);
  return self->n_pending;
}

guint
aa_action_manager_get_n_failed (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);
  return self->n_failed;
}

gboolean
aa_action_manager_get_trash_busy (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return self->trash_busy;
}

AaMutation *
aa_action_manager_get_undoable (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->undoable;
}

AaItem *
aa_action_manager_lookup_item (AaActionManager *self,
                               const char      *id)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->items_by_id, id);
}
