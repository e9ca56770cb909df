/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-action-manager"

#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "aa-action-manager-private.h"
#include "aa-mutation-private.h"
#include "aa-rules-private.h"
#include "aa-validate.h"

/*
 * AaActionManager is this app's domain on top of the engine. It owns the
 * models the UI binds to and turns each intention (star a note, pay an
 * invoice) into an AaMutation of one of the operations declared in
 * aa-rules.c, which the AaEngine runs: queues, coalescing, rollback, retry
 * and undo all happen there (src/engine/aa-engine.c).
 *
 * The notes live in one AaResourceStore in the server's order (newest
 * first), shown by two lists: the notes and the trash. Moving a note
 * between them (delete, restore) keeps its place.
 */

struct _AaActionManager
{
  GObject          parent_instance;

  AaRestClient    *client;
  AaEngine        *engine;
  AaOperation     *operations[AA_N_MUTATION_KINDS];

  AaResourceStore *notes;     /* every AaItem, visible or trashed */
  GListStore      *items;     /* AaItem not in the trash, in the notes' order */
  GListStore      *trash;     /* AaItem in the trash, in the notes' order */
  AaResourceStore *invoices;
  AaResourceStore *members;
  AaMember        *me;

  /* AaItem -> the GListStore showing it. */
  GHashTable      *placement;
  /* While a refresh merges lists, notes are placed once at the end, or
   * after each part of a list read in pages. */
  gboolean         deferring_placement;
  guint            n_paging;
  gboolean         trash_busy;

  /* Live updates: the server's stream of changes, and the refetch that
   * stands in for it when it is not connected. */
  AaEventStream   *events;
  GSource         *catch_up;
  gint64           caught_up_at;
  /* What was ever fetched: what a catch-up fetches again. */
  AaRefreshFlags   fetched;

  /* The journal (the engine's): what a restart restores once every list
   * its changes may target was read, and the typed text kept in it. */
  gboolean         restore_pending;
  GHashTable      *pending_drafts;  /* item id -> JsonObject, until the debounce */
  GSource         *draft_timeout;
};

/* Typed text reaches the journal at most this long after it was typed. */
#define DRAFT_DEBOUNCE_MS 700

/* A refetch in place of the stream waits this long for more reasons to
 * refetch (focus and network come back together), and comes at most this
 * often. */
#define CATCH_UP_DELAY_MS     300
#define CATCH_UP_INTERVAL_US  (2 * G_USEC_PER_SEC)

/* The notes are read in pages: the first one is about a screenful of a
 * large window, there to show at once (the list view builds a row for
 * each note of it, seen or not); the rest follows in larger pages, between
 * frames. */
#define NOTES_FIRST_PAGE_SIZE  25
#define NOTES_PAGE_SIZE        500

G_DEFINE_FINAL_TYPE (AaActionManager, aa_action_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_N_PENDING,
  PROP_N_FAILED,
  PROP_UNDOABLE,
  PROP_TRASH_BUSY,
  PROP_ME,
  PROP_CONNECTION_STATE,
  PROP_ITEMS_COMPLETE,
  N_PROPS
};

enum {
  SIGNAL_FEEDBACK,
  SIGNAL_DISCARDED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* Set on a save whose text the user discarded: nothing sends it again. */
static GQuark discarded_quark;

/* Placement: the visible list or the trash, at the notes' position */

static GListStore *
wanted_store (AaActionManager *self,
              AaItem          *item)
{
  return aa_item_get_trashed (item) ? self->trash : self->items;
}

static void
place_item (AaActionManager *self,
            AaItem          *item)
{
  GListModel *notes = G_LIST_MODEL (self->notes);
  GListStore *want = wanted_store (self, item);
  GListStore *have = g_hash_table_lookup (self->placement, item);
  guint n = g_list_model_get_n_items (notes);
  guint position = 0;

  if (want == have || !aa_resource_store_contains (self->notes, AA_RESOURCE (item)))
    return;

  if (have != NULL && g_list_store_find (have, item, &position))
    g_list_store_remove (have, position);

  /* Its position is the number of notes before it that the same list shows. */
  position = 0;
  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) other = g_list_model_get_item (notes, i);

    if (other == item)
      break;
    if (g_hash_table_lookup (self->placement, other) == want)
      position++;
  }

  g_list_store_insert (want, position, item);
  g_hash_table_insert (self->placement, item, want);
}

/* Notes to insert into a list at consecutive places: one splice, so that
 * a view is told of a page of notes once, not once a note. */
typedef struct {
  GListStore *store;
  guint       position;
  GPtrArray  *items;
} Run;

static void
run_flush (Run *run)
{
  if (run->store != NULL && run->items->len > 0)
    g_list_store_splice (run->store, run->position, 0, run->items->pdata, run->items->len);
  run->store = NULL;
  g_ptr_array_set_size (run->items, 0);
}

/* Places every note in one pass (after a refresh, or a part of one). Both
 * lists keep the notes' order, so while walking it, one counter per list
 * says where each note is and where it goes: linear, however many notes
 * there are. */
static void
place_all_items (AaActionManager *self)
{
  GListModel *notes = G_LIST_MODEL (self->notes);
  guint n = g_list_model_get_n_items (notes);
  guint n_items = 0;
  guint n_trash = 0;
  Run run = { NULL, 0, g_ptr_array_new_with_free_func (g_object_unref) };

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (notes, i);
    GListStore *want = wanted_store (self, item);
    GListStore *have = g_hash_table_lookup (self->placement, item);
    guint position = want == self->items ? n_items : n_trash;

    if (have != want) {
      if (have != NULL) {
        if (run.store == have)
          run_flush (&run);
        g_list_store_remove (have, have == self->items ? n_items : n_trash);
      }
      if (run.store != want || run.position + run.items->len != position) {
        run_flush (&run);
        run.store = want;
        run.position = position;
      }
      g_ptr_array_add (run.items, g_object_ref (item));
      g_hash_table_insert (self->placement, item, want);
    } else if (run.store == want) {
      /* A note already there comes after the run: the run goes first. */
      run_flush (&run);
    }

    if (want == self->items)
      n_items++;
    else
      n_trash++;
  }

  run_flush (&run);
  g_ptr_array_unref (run.items);
}

/* A part of a list read in pages is in the notes: show it. */
static void
notes_page_applied_cb (AaActionManager *self)
{
  place_all_items (self);
}

static void
notes_complete_cb (AaActionManager *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ITEMS_COMPLETE]);
}

/* A delete or a restore, applied, rolled back or confirmed. */
static void
shown_cb (AaActionManager *self,
          AaResource      *resource)
{
  if (AA_IS_ITEM (resource) && !self->deferring_placement)
    place_item (self, AA_ITEM (resource));
}

static void
unplace_item (AaActionManager *self,
              AaItem          *item)
{
  GListStore *have = g_hash_table_lookup (self->placement, item);
  guint position;

  if (have != NULL && g_list_store_find (have, item, &position))
    g_list_store_remove (have, position);
  g_hash_table_remove (self->placement, item);
}

static void
notes_changed_cb (AaActionManager *self,
                  guint            position,
                  guint            removed,
                  guint            added)
{
  GListModel *notes = G_LIST_MODEL (self->notes);

  /* The removed ones are gone from the notes already: look for them. */
  if (removed > 0) {
    g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->placement);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      if (!aa_resource_store_contains (self->notes, key))
        g_ptr_array_add (gone, g_object_ref (key));
    }
    for (guint i = 0; i < gone->len; i++)
      unplace_item (self, g_ptr_array_index (gone, i));
  }

  /* A refresh places them all at once when it is done (or a part of it);
   * a note created meanwhile is placed as the engine shows it. */
  for (guint i = position; i < position + added && !self->deferring_placement && self->n_paging == 0; i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (notes, i);

    place_item (self, item);
  }
}

guint
_aa_action_manager_purge_trash (AaActionManager *self)
{
  GListModel *notes = G_LIST_MODEL (self->notes);
  guint n_purged = 0;

  for (guint i = g_list_model_get_n_items (notes); i > 0; i--) {
    g_autoptr(AaResource) item = g_list_model_get_item (notes, i - 1);

    /* A note with a restore (or anything) pending was not purged by this
     * request's rules: its own request decides. */
    if (aa_state_get_boolean (aa_resource_get_confirmed (item), "trashed", FALSE) &&
        !aa_engine_has_pending (self->engine, item)) {
      aa_resource_store_remove (self->notes, item);
      n_purged++;
    }
  }

  return n_purged;
}

AaOperation *
_aa_action_manager_get_operation (AaActionManager *self,
                                  AaMutationKind   kind)
{
  g_assert (AA_IS_ACTION_MANAGER (self));
  g_assert (kind < AA_N_MUTATION_KINDS);

  return self->operations[kind];
}

/* The intentions */

static AaMutation *
new_mutation (AaActionManager *self,
              AaMutationKind   kind,
              gpointer         target,
              const char      *subject,
              JsonObject      *patch)
{
  g_autofree char *named = subject != NULL ? aa_subject_for_messages (subject) : NULL;

  return aa_mutation_new (self->operations[kind], target, named, patch);
}

static AaMutation *
run (AaActionManager *self,
     AaMutation      *mutation)
{
  return aa_engine_run (self->engine, mutation);
}

AaMutation *
aa_action_manager_create_note (AaActionManager *self,
                               const char      *title,
                               const char      *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(AaMutation) mutation = NULL;
  AaResource *item;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : "");

  if (!aa_validate_title (title, &error)) {
    mutation = new_mutation (self, AA_MUTATION_KIND_CREATE_NOTE, NULL, title, patch);
    return aa_engine_refuse (self->engine, mutation, error);
  }

  /* The note exists here at once, under a temporary id, at the top. */
  state = aa_json_object_copy (patch);
  json_object_set_boolean_member (state, "starred", FALSE);
  json_object_set_boolean_member (state, "done", FALSE);
  json_object_set_int_member (state, "version", -1);
  json_object_set_null_member (state, "updated_at");
  json_object_set_boolean_member (state, "trashed", FALSE);
  item = aa_resource_store_add_local (self->notes, 0, state);

  mutation = new_mutation (self, AA_MUTATION_KIND_CREATE_NOTE, item, title, patch);
  return run (self, mutation);
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
  mutation = new_mutation (self, kind, item, aa_item_get_title (item), patch);

  return run (self, mutation);
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
  return aa_action_manager_save_note_based_on (self, item, title, notes, -1);
}

AaMutation *
aa_action_manager_save_note_based_on (AaActionManager *self,
                                      AaItem          *item,
                                      const char      *title,
                                      const char      *notes,
                                      gint64           base_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : aa_item_get_notes (item));
  mutation = new_mutation (self, AA_MUTATION_KIND_SAVE_NOTE, item, aa_item_get_title (item), patch);
  if (base_version >= 0)
    aa_mutation_set_base_version (mutation, base_version);

  if (!aa_validate_title (title, &error))
    return aa_engine_refuse (self->engine, mutation, error);

  return run (self, mutation);
}

AaMutation *
aa_action_manager_delete_note (AaActionManager *self,
                               AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_mutation (self, AA_MUTATION_KIND_DELETE_NOTE, item, aa_item_get_title (item), NULL);
  return run (self, mutation);
}

AaMutation *
aa_action_manager_restore_note (AaActionManager *self,
                                AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_mutation (self, AA_MUTATION_KIND_RESTORE_NOTE, item, aa_item_get_title (item), NULL);
  return run (self, mutation);
}

/* Emptying twice at once is one intention, so the one empty trash
 * mutation that is pending, if any, says whether the trash is busy. */
static void
trash_busy_cb (AaMutation      *mutation,
               GParamSpec      *pspec,
               AaActionManager *self)
{
  gboolean busy = aa_mutation_is_pending (mutation);

  if (self->trash_busy != busy) {
    self->trash_busy = busy;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRASH_BUSY]);
  }
}

AaMutation *
aa_action_manager_empty_trash (AaActionManager *self)
{
  g_autoptr(AaMutation) mutation = NULL;
  AaMutation *pending;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  /* Emptying twice at once is still one intention. */
  pending = aa_engine_find_pending (self->engine, NULL, self->operations[AA_MUTATION_KIND_EMPTY_TRASH]);
  if (pending != NULL)
    return pending;

  mutation = new_mutation (self, AA_MUTATION_KIND_EMPTY_TRASH, NULL, NULL, NULL);
  /* The trash is busy while it waits for the server, retries included. */
  g_signal_connect_object (mutation, "notify::pending", G_CALLBACK (trash_busy_cb), self, 0);
  run (self, mutation);
  trash_busy_cb (mutation, NULL, self);

  return mutation;
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
  pending = aa_engine_find_pending (self->engine, AA_RESOURCE (invoice), self->operations[AA_MUTATION_KIND_PAY_INVOICE]);
  if (pending != NULL)
    return pending;

  valid = aa_validate_card_number (card_number, &digits, &error);
  json_object_set_string_member (patch, "invoice_id", aa_resource_get_id (AA_RESOURCE (invoice)));
  json_object_set_string_member (patch, "card_number", digits ? digits : "");
  amount = aa_invoice_format_amount (invoice);
  mutation = new_mutation (self, AA_MUTATION_KIND_PAY_INVOICE, invoice, aa_invoice_get_description (invoice), patch);
  aa_app_mutation_set_detail (mutation, amount);

  if (!valid)
    return aa_engine_refuse (self->engine, mutation, error);

  return run (self, mutation);
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
  pending = aa_engine_find_pending (self->engine, AA_RESOURCE (member), self->operations[AA_MUTATION_KIND_CHANGE_ROLE]);
  if (pending != NULL)
    aa_app_mutation_get_roles (pending, NULL, NULL, &current);
  if (current == role)
    return pending;

  /* A change the rules forbid is still sent: the server decides, and
   * its 403 is explained with the roles involved. The UI disables such
   * controls beforehand with aa_role_can_change(). */
  json_object_set_string_member (patch, "role", aa_role_to_string (role));
  mutation = new_mutation (self, AA_MUTATION_KIND_CHANGE_ROLE, member, aa_member_get_name (member), patch);
  aa_app_mutation_set_roles (mutation, self->me != NULL,
                             self->me ? aa_member_get_role (self->me) : AA_ROLE_MEMBER,
                             aa_member_get_role (member));

  return run (self, mutation);
}

/* Retry, dismiss, undo: the engine's */

gboolean
aa_action_manager_can_retry (AaActionManager *self,
                             AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  return g_object_get_qdata (G_OBJECT (mutation), discarded_quark) == NULL;
}

gboolean
aa_action_manager_retry (AaActionManager *self,
                         AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);

  /* Text the user threw away is not brought back by a Retry offered
   * before they did (a toast, the Activity page, the quit dialog). */
  if (!aa_action_manager_can_retry (self, mutation))
    return FALSE;

  return aa_engine_retry (self->engine, mutation);
}

/* The saves of what the user typed in @item: not the undo of one, which
 * sets back values the note had. */
static gboolean
is_typed_save (AaActionManager *self,
               AaMutation      *mutation,
               AaItem          *item)
{
  return aa_mutation_get_operation (mutation) == self->operations[AA_MUTATION_KIND_SAVE_NOTE] &&
         aa_mutation_get_target (mutation) == AA_RESOURCE (item) &&
         aa_mutation_get_undo_of (mutation) == NULL;
}

gboolean
aa_action_manager_discard_typed_text (AaActionManager *self,
                                      AaItem          *item)
{
  GListModel *mutations;
  g_autoptr(GPtrArray) saves = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) discarded = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean all = TRUE;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_ITEM (item), FALSE);

  /* Gathered first: cancelling one may log its undo. */
  mutations = aa_engine_get_mutations (self->engine);
  for (guint i = 0; i < g_list_model_get_n_items (mutations); i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i);

    if (is_typed_save (self, mutation, item))
      g_ptr_array_add (saves, g_steal_pointer (&mutation));
  }

  for (guint i = 0; i < saves->len; i++) {
    AaMutation *mutation = g_ptr_array_index (saves, i);
    AaMutationState state = aa_mutation_get_state (mutation);

    if (state == AA_MUTATION_STATE_QUEUED) {
      /* Never sent: cancelled, nothing leaves. */
      aa_engine_undo (self->engine, mutation);
    } else if (aa_mutation_is_pending (mutation)) {
      /* On its way: it can't be called back. */
      all = FALSE;
    } else if ((state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK) &&
               g_object_get_qdata (G_OBJECT (mutation), discarded_quark) == NULL) {
      g_object_set_qdata (G_OBJECT (mutation), discarded_quark, GINT_TO_POINTER (TRUE));
      aa_engine_dismiss (self->engine, mutation);
      g_ptr_array_add (discarded, g_object_ref (mutation));
    }
  }

  /* Told once the walk is over: a handler may change the log. */
  for (guint i = 0; i < discarded->len; i++)
    g_signal_emit (self, signals[SIGNAL_DISCARDED], 0, g_ptr_array_index (discarded, i));

  return all;
}

void
aa_action_manager_dismiss (AaActionManager *self,
                           AaMutation      *mutation)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_engine_dismiss (self->engine, mutation);
}

gboolean
aa_action_manager_can_undo (AaActionManager *self,
                            AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_engine_can_undo (self->engine, mutation);
}

AaMutation *
aa_action_manager_undo (AaActionManager *self,
                        AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_undo (self->engine, mutation);
}

/* Whether Retry is worth offering for @mutation: it failed after it was
 * sent, nothing made it moot since (a later change that set the same
 * values, or the user letting it go), and the rules offer a retry. */
gboolean
aa_action_manager_offers_retry (AaActionManager *self,
                                AaMutation      *mutation)
{
  AaMutationState state;
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  state = aa_mutation_get_state (mutation);
  if (state != AA_MUTATION_STATE_FAILED && state != AA_MUTATION_STATE_ROLLED_BACK)
    return FALSE;
  if (aa_mutation_get_dismissed (mutation) || aa_mutation_get_attempts (mutation) == 0 ||
      !aa_action_manager_can_retry (self, mutation))
    return FALSE;

  aa_feedback_choose_tier (mutation, &action);
  return action == AA_FEEDBACK_ACTION_RETRY;
}

GPtrArray *
aa_action_manager_list_unsettled (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_list_unsettled (self->engine);
}


/* The journal: nothing lost when the process dies */

static AaResourceStore *
store_of_kind (AaActionManager *self,
               AaMutationKind   kind)
{
  switch (kind) {
  case AA_MUTATION_KIND_EMPTY_TRASH:
    return NULL;
  case AA_MUTATION_KIND_PAY_INVOICE:
    return self->invoices;
  case AA_MUTATION_KIND_CHANGE_ROLE:
    return self->members;
  default:
    return self->notes;
  }
}

static void
restore_journal (AaActionManager *self)
{
  g_autoptr(GError) error = NULL;
  guint n;

  self->restore_pending = FALSE;
  n = aa_engine_restore (self->engine, &error);
  if (error != NULL)
    g_warning ("Couldn’t restore the changes kept from the last run: %s", error->message);
  else if (n > 0)
    g_debug ("Restored %u changes kept from the last run", n);
}

static void
restore_refresh_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Unreachable: the next refresh of every list restores them. */
  if (!aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &error))
    g_debug ("Changes kept from the last run wait for the server: %s", error->message);
}

gboolean
aa_action_manager_open_journal (AaActionManager  *self,
                                const char       *server_id,
                                const char       *account,
                                GError          **error)
{
  g_autoptr(AaJournal) journal = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (aa_engine_get_journal (self->engine) == NULL, FALSE);

  if (server_id == NULL)
    server_id = aa_rest_client_get_base_url (self->client);

  journal = aa_journal_open_for_server (APP_ID, server_id, account, error);
  if (journal == NULL)
    return FALSE;

  for (guint i = 0; i < AA_N_MUTATION_KINDS; i++)
    aa_engine_register_operation (self->engine, self->operations[i], store_of_kind (self, i));
  aa_engine_set_journal (self->engine, journal);

  /* Changes kept from the last run are laid on the lists their targets
   * are in: all of them are read first. */
  if (aa_journal_get_n_entries (journal) > 0) {
    self->restore_pending = TRUE;
    aa_action_manager_refresh_async (self, AA_REFRESH_ALL, NULL, restore_refresh_cb, NULL);
  }

  return TRUE;
}

AaJournal *
aa_action_manager_get_journal (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_get_journal (self->engine);
}

guint
aa_action_manager_get_n_kept (AaActionManager *self)
{
  AaJournal *journal;
  g_autoptr(GPtrArray) running = NULL;
  guint n;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);

  journal = aa_engine_get_journal (self->engine);
  if (!self->restore_pending || journal == NULL)
    return 0;

  /* The journal holds this run's unsettled changes too. */
  n = aa_journal_get_n_entries (journal);
  running = aa_engine_list_unsettled (self->engine);
  return n > running->len ? n - running->len : 0;
}

static gboolean
write_drafts_cb (gpointer user_data)
{
  AaActionManager *self = user_data;

  g_clear_pointer (&self->draft_timeout, g_source_unref);
  aa_action_manager_flush_drafts (self);
  return G_SOURCE_REMOVE;
}

void
aa_action_manager_flush_drafts (AaActionManager *self)
{
  AaJournal *journal;
  GHashTableIter iter;
  gpointer id, fields;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));

  if (self->draft_timeout != NULL) {
    g_source_destroy (self->draft_timeout);
    g_clear_pointer (&self->draft_timeout, g_source_unref);
  }

  journal = aa_engine_get_journal (self->engine);
  if (journal == NULL || self->pending_drafts == NULL)
    return;

  g_hash_table_iter_init (&iter, self->pending_drafts);
  while (g_hash_table_iter_next (&iter, &id, &fields)) {
    g_autoptr(GError) error = NULL;

    if (!aa_journal_set_draft (journal, id, fields, &error))
      g_warning ("Typed text is not kept across a restart: %s", error->message);
    g_hash_table_iter_remove (&iter);
  }
}

void
aa_action_manager_keep_draft (AaActionManager *self,
                              AaItem          *item,
                              const char      *title,
                              const char      *notes,
                              gint64           based_on)
{
  JsonObject *fields;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (AA_IS_ITEM (item));

  if (aa_engine_get_journal (self->engine) == NULL)
    return;

  fields = json_object_new ();
  json_object_set_string_member (fields, "title", title ? title : "");
  json_object_set_string_member (fields, "notes", notes ? notes : "");
  json_object_set_int_member (fields, "based_on", based_on);

  if (self->pending_drafts == NULL)
    self->pending_drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  g_hash_table_replace (self->pending_drafts, g_strdup (aa_resource_get_id (AA_RESOURCE (item))), fields);

  /* Written once typing pauses, and at the latest this long after the
   * first key: a steady typist is kept too. */
  if (self->draft_timeout == NULL) {
    self->draft_timeout = g_timeout_source_new (DRAFT_DEBOUNCE_MS);
    g_source_set_callback (self->draft_timeout, write_drafts_cb, self, NULL);
    g_source_set_static_name (self->draft_timeout, "[aa] write drafts");
    g_source_attach (self->draft_timeout, g_main_context_get_thread_default ());
  }
}

void
aa_action_manager_forget_draft (AaActionManager *self,
                                AaItem          *item)
{
  AaJournal *journal;
  const char *id;

  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  g_return_if_fail (AA_IS_ITEM (item));

  id = aa_resource_get_id (AA_RESOURCE (item));
  if (self->pending_drafts != NULL)
    g_hash_table_remove (self->pending_drafts, id);
  journal = aa_engine_get_journal (self->engine);
  if (journal != NULL)
    aa_journal_remove_draft (journal, id);
}

gboolean
aa_action_manager_lookup_draft (AaActionManager  *self,
                                AaItem           *item,
                                char            **title,
                                char            **notes,
                                gint64           *based_on)
{
  g_autoptr(JsonObject) fields = NULL;
  AaJournal *journal;
  const char *id;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_ITEM (item), FALSE);

  id = aa_resource_get_id (AA_RESOURCE (item));
  journal = aa_engine_get_journal (self->engine);
  if (self->pending_drafts != NULL && g_hash_table_contains (self->pending_drafts, id))
    fields = json_object_ref (g_hash_table_lookup (self->pending_drafts, id));
  else if (journal != NULL)
    fields = aa_journal_dup_draft (journal, id, NULL);
  if (fields == NULL)
    return FALSE;

  if (title != NULL)
    *title = g_strdup (json_object_get_string_member_with_default (fields, "title", ""));
  if (notes != NULL)
    *notes = g_strdup (json_object_get_string_member_with_default (fields, "notes", ""));
  if (based_on != NULL)
    *based_on = json_object_get_int_member_with_default (fields, "based_on", -1);
  return TRUE;
}

gboolean
aa_action_manager_has_draft (AaActionManager *self,
                             AaItem          *item)
{
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_ITEM (item), FALSE);

  /* Text that the note has now (saved since) is no draft. */
  return aa_action_manager_lookup_draft (self, item, &title, &notes, NULL) &&
         (g_strcmp0 (title, aa_item_get_title (item)) != 0 || g_strcmp0 (notes, aa_item_get_notes (item)) != 0);
}

GPtrArray *
aa_action_manager_list_kept_drafts (AaActionManager *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ids = NULL;
  AaJournal *journal;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), items);

  aa_action_manager_flush_drafts (self);
  journal = aa_engine_get_journal (self->engine);
  if (journal == NULL)
    return items;

  ids = aa_journal_list_drafts (journal);
  for (guint i = 0; ids[i] != NULL; i++) {
    AaItem *item = aa_action_manager_lookup_item (self, ids[i]);

    if (item != NULL && aa_action_manager_has_draft (self, item))
      g_ptr_array_add (items, g_object_ref (item));
  }
  return items;
}

/* Refresh: new confirmed states, pending changes laid on top again */

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
  guint     sent_at;  /* the engine's clock when the requests left */
  AaRefreshFlags flags;
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

static void
set_trashed (GPtrArray *states,
             gboolean   trashed)
{
  for (guint i = 0; states != NULL && i < states->len; i++)
    json_object_set_boolean_member (g_ptr_array_index (states, i), "trashed", trashed);
}

/* Which notes a list speaks for: the list, the trash, or both. */
static gboolean
covers_trashed (AaResource *resource,
                gpointer    user_data)
{
  gboolean trashed = GPOINTER_TO_INT (user_data);

  return aa_state_get_boolean (aa_resource_get_confirmed (resource), "trashed", FALSE) == trashed;
}

static void
apply_notes (AaActionManager *self,
             GPtrArray       *items,
             GPtrArray       *trash,
             guint            sent_at)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  set_trashed (items, FALSE);
  set_trashed (trash, TRUE);
  if (items != NULL)
    g_ptr_array_extend (all, items, NULL, NULL);
  if (trash != NULL)
    g_ptr_array_extend (all, trash, NULL, NULL);

  /* Both lists together, so that a note moved to the trash elsewhere is
   * seen in the trash rather than as gone. */
  self->deferring_placement = TRUE;
  if (items != NULL && trash != NULL)
    aa_resource_store_apply_states (self->notes, all, sent_at, NULL, NULL);
  else
    aa_resource_store_apply_states (self->notes, all, sent_at, covers_trashed, GINT_TO_POINTER (trash != NULL));
  self->deferring_placement = FALSE;

  place_all_items (self);
}

static void
apply_me (AaActionManager *self,
          JsonNode        *node)
{
  g_autofree char *id = NULL;
  AaResource *me = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    id = aa_json_dup_id (json_node_get_object (node), "id", NULL);
  if (id != NULL)
    me = aa_resource_store_lookup (self->members, id);

  if (g_set_object (&self->me, AA_MEMBER (me)))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ME]);
}

/* All lists fetched: apply them together. Nothing is applied from an answer
 * that cannot be read as a whole. */
static void
refresh_apply (AaActionManager  *self,
               Refresh          *refresh,
               GError          **error)
{
  GPtrArray *lists[N_FETCHES] = { NULL, };
  AaResourceStore *stores[N_FETCHES] = { self->notes, self->notes, self->invoices, self->members, NULL };
  gboolean valid = TRUE;

  for (guint i = 0; valid && i < FETCH_ME; i++) {
    if (refresh->nodes[i] != NULL) {
      lists[i] = aa_resource_store_normalize_list (stores[i], refresh->nodes[i], error);
      valid = lists[i] != NULL;
    }
  }

  if (valid) {
    if (lists[FETCH_ITEMS] != NULL || lists[FETCH_TRASH] != NULL)
      apply_notes (self, lists[FETCH_ITEMS], lists[FETCH_TRASH], refresh->sent_at);
    if (lists[FETCH_INVOICES] != NULL)
      aa_resource_store_apply_states (self->invoices, lists[FETCH_INVOICES], refresh->sent_at, NULL, NULL);
    if (lists[FETCH_MEMBERS] != NULL)
      aa_resource_store_apply_states (self->members, lists[FETCH_MEMBERS], refresh->sent_at, NULL, NULL);
    if (refresh->nodes[FETCH_ME] != NULL)
      apply_me (self, refresh->nodes[FETCH_ME]);
  }

  for (guint i = 0; i < N_FETCHES; i++)
    g_clear_pointer (&lists[i], g_ptr_array_unref);
}

static void refresh_fetched (GTask *task);

static void
refresh_fetch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&fetch->task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = aa_rest_client_request_finish (AA_REST_CLIENT (object), result, NULL, &error);
  if (node != NULL)
    refresh->nodes[fetch->fetch] = node;
  else if (refresh->error == NULL)
    refresh->error = g_steal_pointer (&error);
  g_free (fetch);

  refresh_fetched (task);
}

/* The notes alone, read in pages by the engine and placed as they come. */
static void
refresh_pages_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaActionManager *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->n_paging--;
  if (!aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error) && refresh->error == NULL)
    refresh->error = g_steal_pointer (&error);
  place_all_items (self);

  refresh_fetched (task);
}

/* The app's memory policy, not the library's: reading a big list (its JSON
 * tree, the normalized objects) takes several times what its resources
 * keep. Once it is freed the heap is only fragmented (mallinfo2 after
 * 10,000 notes: under 500 bytes a note in use in a 40 MB arena), yet the
 * process stays that much bigger (3 KB a note). malloc_trim() hands the
 * free pages back to the system; it takes some 20 to 90 ms for 10,000
 * notes. Done after the first refresh, whatever its length (what the app
 * freed while starting goes back with it), and whenever lists of 1,000
 * resources together have been read since. */
#define BIG_LIST 1000

static guint n_listed_since_trim;
static gboolean trimmed_once;

static gboolean
trim_cb (gpointer data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

/* On the main loop's next iteration, once the lists read are freed. At the
 * default priority, not an idle one, which a GTK app's frames can hold off
 * for long after a load. */
static void
give_back_memory (guint n_listed)
{
  n_listed_since_trim += MIN (n_listed, BIG_LIST);
  if (n_listed_since_trim < BIG_LIST && trimmed_once)
    return;

  n_listed_since_trim = 0;
  trimmed_once = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, trim_cb, NULL, NULL);
}

static void restore_journal (AaActionManager *self);

/* One list of the refresh is in. */
static void
refresh_fetched (GTask *task)
{
  AaActionManager *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);

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
  give_back_memory (g_list_model_get_n_items (G_LIST_MODEL (self->notes)) +
                    g_list_model_get_n_items (G_LIST_MODEL (self->invoices)) +
                    g_list_model_get_n_items (G_LIST_MODEL (self->members)));

  /* A list that never reached the server says it can't be reached. */
  if (g_error_matches (refresh->error, AA_ERROR, AA_ERROR_OFFLINE))
    aa_connectivity_report_unreachable (aa_engine_get_connectivity (self->engine));

  if (refresh->error != NULL) {
    g_task_return_error (task, g_steal_pointer (&refresh->error));
    return;
  }

  if (self->restore_pending && (refresh->flags & AA_REFRESH_ALL) == AA_REFRESH_ALL)
    restore_journal (self);
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

  self->fetched |= flags;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_action_manager_refresh_async);
  refresh = g_new0 (Refresh, 1);
  refresh->sent_at = aa_engine_get_clock (self->engine);
  refresh->flags = flags;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);

  /* The notes alone (the trash is not read with them) come in pages:
   * the first is shown at once. With the trash, both are read whole and
   * merged together, so that a note moved to the trash elsewhere is seen
   * in the trash rather than as gone. */
  if ((flags & AA_REFRESH_ITEMS) && !(flags & AA_REFRESH_TRASH)) {
    flags &= ~AA_REFRESH_ITEMS;
    refresh->n_outstanding++;
    self->n_paging++;
    aa_resource_store_refresh_full_async (self->notes, fetch_paths[FETCH_ITEMS],
                                          covers_trashed, GINT_TO_POINTER (FALSE), NULL,
                                          cancellable, refresh_pages_cb, g_object_ref (task));
  }

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
                             _("The server’s answer has no object in it."));
    return;
  }

  state = aa_resource_normalize (AA_RESOURCE (item), json_node_get_object (node), &error);
  if (state == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The user asked for the latest version: it replaces ours, whatever its
   * version, with pending changes still on top. */
  json_object_set_boolean_member (state, "trashed", aa_item_get_trashed (item));
  aa_engine_replace_confirmed (self->engine, AA_RESOURCE (item), state);
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

  path = aa_path_build ("items", aa_resource_get_id (AA_RESOURCE (item)), NULL);
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

/* Confirmation texts: only where the rule's "before" column asks */

static gboolean
asks_first (AaActionManager *self,
            AaMutationKind   kind)
{
  AaOperation *operation = AA_OPERATION (self->operations[kind]);

  /* Nothing to confirm while the server can't be reached and the rule
   * refuses the action then: the engine refuses it at once, nothing
   * happens, and the refusal says so. */
  if (!aa_connectivity_get_reachable (aa_engine_get_connectivity (self->engine)) &&
      aa_operation_get_offline_policy (operation) == AA_OFFLINE_POLICY_REFUSE)
    return FALSE;

  return aa_operation_asks_first (operation);
}

AaConfirmation *
aa_action_manager_describe_delete (AaActionManager *self,
                                   AaItem          *item)
{
  g_autofree char *subject = NULL;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  if (!asks_first (self, AA_MUTATION_KIND_DELETE_NOTE))
    return NULL;

  subject = aa_subject_for_messages (aa_item_get_title (item));
  heading = g_strdup_printf (_("Move “%s” to the Trash?"), subject);
  return aa_confirmation_new (heading, _("You can undo this right after, or restore it from the Trash later."),
                              _("Move to Trash"), TRUE);
}

AaConfirmation *
aa_action_manager_describe_empty_trash (AaActionManager *self)
{
  g_autofree char *body = NULL;
  guint n;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  if (!asks_first (self, AA_MUTATION_KIND_EMPTY_TRASH))
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->trash));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u note will be deleted for good. This can’t be undone.",
                                       "%u notes will be deleted for good. This can’t be undone.",
                                       n),
                          n);
  return aa_confirmation_new (_("Empty Trash?"), body, _("Empty Trash"), TRUE);
}

AaConfirmation *
aa_action_manager_describe_payment (AaActionManager *self,
                                    AaInvoice       *invoice,
                                    const char      *card_number)
{
  g_autofree char *amount = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  if (!asks_first (self, AA_MUTATION_KIND_PAY_INVOICE))
    return NULL;

  for (const char *p = card_number ? card_number : ""; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  }

  amount = aa_invoice_format_amount (invoice);
  heading = g_strdup_printf (_("Pay %s?"), amount);
  body = g_strdup_printf (_("“%s” will be charged to the card ending in %s."),
                          aa_invoice_get_description (invoice),
                          digits->str + (digits->len > 4 ? digits->len - 4 : 0));
  label = g_strdup_printf (_("Pay %s"), amount);

  return aa_confirmation_new (heading, body, label, FALSE);
}

/* Live updates */

static void
background_refresh_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nobody asked: a failure says nothing now; the next reason retries. */
  if (!aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &error))
    g_debug ("Couldn’t catch up with the server: %s", error->message);
}

static void
refresh_in_background (AaActionManager *self)
{
  /* What waits for the next frame is older than what the lists will say. */
  aa_resource_store_flush_remote (self->notes);
  aa_resource_store_flush_remote (self->invoices);
  aa_resource_store_flush_remote (self->members);
  self->caught_up_at = g_get_monotonic_time ();
  /* What was never shown loads when it first is, as usual. */
  if (self->fetched != 0)
    aa_action_manager_refresh_async (self, self->fetched, NULL, background_refresh_cb, NULL);
}

/* One event of the stream: {"id", "state" (null: gone for good), "after",
 * "origin"}, for the store its type names. */
static void
event_cb (AaActionManager *self,
          const char      *type,
          const char      *event_id,
          const char      *data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AaResourceStore *store = NULL;
  JsonObject *object;
  JsonNode *state;
  const char *id;

  if (g_str_equal (type, "reset")) {
    /* Too far behind for the server to replay: start over from the lists. */
    refresh_in_background (self);
    return;
  }

  if (g_str_equal (type, "item"))
    store = self->notes;
  else if (g_str_equal (type, "invoice"))
    store = self->invoices;
  else if (g_str_equal (type, "member"))
    store = self->members;
  if (store == NULL) {
    g_debug ("Ignored an event of type “%s”", type);
    return;
  }

  if (!json_parser_load_from_data (parser, data, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_warning ("Ignored event %s from %s: its data is not a JSON object", event_id ? event_id : "(no id)",
               aa_rest_client_get_base_url (self->client));
    return;
  }
  object = json_node_get_object (json_parser_get_root (parser));
  id = json_object_get_string_member_with_default (object, "id", NULL);
  state = json_object_get_member (object, "state");
  if (id == NULL || state == NULL || !(JSON_NODE_HOLDS_OBJECT (state) || JSON_NODE_HOLDS_NULL (state))) {
    g_warning ("Ignored event %s from %s: it names no id or state", event_id ? event_id : "(no id)",
               aa_rest_client_get_base_url (self->client));
    return;
  }

  aa_resource_store_apply_remote (store, id,
                                  JSON_NODE_HOLDS_OBJECT (state) ? json_node_get_object (state) : NULL,
                                  json_object_get_string_member_with_default (object, "after", NULL),
                                  json_object_get_string_member_with_default (object, "origin", NULL));
}

static void
connection_state_cb (AaActionManager *self)
{
  /* The first connection follows what the lists loaded before it; later
   * ones resume with Last-Event-ID and miss nothing. */
  if (aa_event_stream_get_connection_state (self->events) == AA_CONNECTION_STATE_CONNECTED &&
      aa_event_stream_get_n_connections (self->events) == 1)
    refresh_in_background (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTION_STATE]);
}

static void
network_changed_cb (AaActionManager *self,
                    gboolean         available)
{
  if (available)
    aa_action_manager_catch_up (self);
}

/**
 * aa_action_manager_start_live:
 *
 * Listens to the server's changes (GET /events) and applies them to the
 * models as they happen. Against a server without the stream, the
 * connection state becomes AA_CONNECTION_STATE_UNSUPPORTED and
 * aa_action_manager_catch_up() refetches instead.
 */
void
aa_action_manager_start_live (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));

  if (self->events == NULL) {
    self->events = aa_event_stream_new (self->client, "/events");
    g_signal_connect_object (self->events, "event", G_CALLBACK (event_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->events, "notify::connection-state", G_CALLBACK (connection_state_cb),
                             self, G_CONNECT_SWAPPED);
    g_signal_connect_object (g_network_monitor_get_default (), "network-changed", G_CALLBACK (network_changed_cb),
                             self, G_CONNECT_SWAPPED);
    aa_connectivity_follow_event_stream (aa_engine_get_connectivity (self->engine), self->events);
  }
  aa_event_stream_start (self->events);
}

void
aa_action_manager_stop_live (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));

  if (self->events != NULL)
    aa_event_stream_stop (self->events);
}

AaEventStream *
aa_action_manager_get_event_stream (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  return self->events;
}

AaConnectionState
aa_action_manager_get_connection_state (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), AA_CONNECTION_STATE_OFFLINE);

  return self->events != NULL ? aa_event_stream_get_connection_state (self->events)
                              : AA_CONNECTION_STATE_UNSUPPORTED;
}

static gboolean
catch_up_cb (gpointer data)
{
  AaActionManager *self = data;

  g_clear_pointer (&self->catch_up, g_source_unref);
  /* The stream connected while this waited (the window became active
   * before it did, at startup): it says everything already. */
  if (aa_action_manager_get_connection_state (self) == AA_CONNECTION_STATE_CONNECTED)
    return G_SOURCE_REMOVE;
  refresh_in_background (self);

  return G_SOURCE_REMOVE;
}

void
aa_action_manager_catch_up (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));

  /* Connected, the stream says everything already. */
  if (aa_action_manager_get_connection_state (self) == AA_CONNECTION_STATE_CONNECTED ||
      self->catch_up != NULL ||
      (self->caught_up_at != 0 && g_get_monotonic_time () - self->caught_up_at < CATCH_UP_INTERVAL_US))
    return;

  self->catch_up = g_timeout_source_new (CATCH_UP_DELAY_MS);
  g_source_set_callback (self->catch_up, catch_up_cb, self, NULL);
  g_source_attach (self->catch_up, g_main_context_get_thread_default ());
}

/* GObject */

static void
engine_notify_cb (AaActionManager *self,
                  GParamSpec      *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "n-pending"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_PENDING]);
  else if (g_str_equal (name, "n-failed"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_FAILED]);
  else if (g_str_equal (name, "undoable"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNDOABLE]);
}

static void
engine_feedback_cb (AaActionManager *self,
                    AaFeedback      *feedback)
{
  g_signal_emit (self, signals[SIGNAL_FEEDBACK], 0, feedback);
}

static void
reachable_cb (AaActionManager *self)
{
  /* Back: what changed elsewhere meanwhile (the stream resumes too). */
  if (aa_connectivity_get_reachable (aa_engine_get_connectivity (self->engine)))
    aa_action_manager_catch_up (self);
}

static void
aa_action_manager_constructed (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  G_OBJECT_CLASS (aa_action_manager_parent_class)->constructed (object);

  self->engine = aa_engine_new (self->client);
  /* The cheapest read any member may make. */
  aa_connectivity_set_probe_path (aa_engine_get_connectivity (self->engine), "/items?limit=1");
  g_signal_connect_object (aa_engine_get_connectivity (self->engine), "notify::reachable",
                           G_CALLBACK (reachable_cb), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < AA_N_MUTATION_KINDS; i++)
    self->operations[i] = aa_app_operation_new (i, self);

  self->notes = aa_resource_store_new (self->engine, AA_TYPE_ITEM);
  self->invoices = aa_resource_store_new (self->engine, AA_TYPE_INVOICE);
  self->members = aa_resource_store_new (self->engine, AA_TYPE_MEMBER);

  g_signal_connect_object (self->notes, "items-changed", G_CALLBACK (notes_changed_cb), self, G_CONNECT_SWAPPED);
  aa_resource_store_set_first_page_size (self->notes, NOTES_FIRST_PAGE_SIZE);
  aa_resource_store_set_page_size (self->notes, NOTES_PAGE_SIZE);
  g_signal_connect_object (self->notes, "page-applied", G_CALLBACK (notes_page_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes, "notify::complete", G_CALLBACK (notes_complete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify", G_CALLBACK (engine_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "feedback", G_CALLBACK (engine_feedback_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "shown", G_CALLBACK (shown_cb), self, G_CONNECT_SWAPPED);
}

static void
aa_action_manager_dispose (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  /* The stream's reads hold it: stopped, it lets go. */
  if (self->events != NULL) {
    g_signal_handlers_disconnect_by_data (self->events, self);
    aa_event_stream_stop (self->events);
  }
  g_clear_object (&self->events);
  if (self->catch_up != NULL) {
    g_source_destroy (self->catch_up);
    g_clear_pointer (&self->catch_up, g_source_unref);
  }
  /* Typed text waiting for the debounce is kept all the same. */
  aa_action_manager_flush_drafts (self);

  G_OBJECT_CLASS (aa_action_manager_parent_class)->dispose (object);
}

static void
aa_action_manager_finalize (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  g_clear_pointer (&self->placement, g_hash_table_unref);
  g_clear_pointer (&self->pending_drafts, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->trash);
  g_clear_object (&self->notes);
  g_clear_object (&self->invoices);
  g_clear_object (&self->members);
  g_clear_object (&self->me);
  for (guint i = 0; i < AA_N_MUTATION_KINDS; i++)
    g_clear_object (&self->operations[i]);
  g_clear_object (&self->engine);
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
    g_value_set_uint (value, aa_engine_get_n_pending (self->engine));
    break;
  case PROP_N_FAILED:
    g_value_set_uint (value, aa_engine_get_n_failed (self->engine));
    break;
  case PROP_UNDOABLE:
    g_value_set_object (value, aa_engine_get_undoable (self->engine));
    break;
  case PROP_TRASH_BUSY:
    g_value_set_boolean (value, self->trash_busy);
    break;
  case PROP_ME:
    g_value_set_object (value, self->me);
    break;
  case PROP_ITEMS_COMPLETE:
    g_value_set_boolean (value, aa_action_manager_get_items_complete (self));
    break;
  case PROP_CONNECTION_STATE:
    g_value_set_enum (value, aa_action_manager_get_connection_state (self));
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

  object_class->constructed = aa_action_manager_constructed;
  object_class->dispose = aa_action_manager_dispose;
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
  props[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL, AA_TYPE_CONNECTION_STATE,
                       AA_CONNECTION_STATE_UNSUPPORTED, flags);
  /* Whether the notes list holds every note of its last load: FALSE
   * before, and while the pages after the first are still coming. */
  props[PROP_ITEMS_COMPLETE] =
    g_param_spec_boolean ("items-complete", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FEEDBACK] =
    g_signal_new ("feedback",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_FEEDBACK);
  signals[SIGNAL_DISCARDED] =
    g_signal_new ("discarded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_MUTATION);

  discarded_quark = g_quark_from_static_string ("aa-action-manager-discarded");
}

static void
aa_action_manager_init (AaActionManager *self)
{
  self->items = g_list_store_new (AA_TYPE_ITEM);
  self->trash = g_list_store_new (AA_TYPE_ITEM);
  self->placement = g_hash_table_new (NULL, NULL);
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

AaEngine *
aa_action_manager_get_engine (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->engine;
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

gboolean
aa_action_manager_get_items_complete (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_resource_store_get_complete (self->notes);
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
  return aa_engine_get_mutations (self->engine);
}

guint
aa_action_manager_get_n_pending (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);
  return aa_engine_get_n_pending (self->engine);
}

guint
aa_action_manager_get_n_failed (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);
  return aa_engine_get_n_failed (self->engine);
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
  return aa_engine_get_undoable (self->engine);
}

AaItem *
aa_action_manager_lookup_item (AaActionManager *self,
                               const char      *id)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return (AaItem *) aa_resource_store_lookup (self->notes, id);
}
