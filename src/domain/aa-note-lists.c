/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-note-lists"

#include "config.h"

#include "aa-note-lists.h"

/*
 * Which list shows a note follows its "trashed" state: a delete or a
 * restore (applied, rolled back or confirmed) moves it, at the place the
 * notes' order gives it. A refresh places every note once at the end, or
 * after each part of a list read in pages.
 */

struct _AaNoteLists
{
  GObject          parent_instance;

  AaEngine        *engine;
  AaResourceStore *notes;     /* every AaItem, visible or trashed */
  GListStore      *items;     /* AaItem not in the trash, in the notes' order */
  GListStore      *trash;     /* AaItem in the trash, in the notes' order */

  /* AaItem -> the GListStore showing it. */
  GHashTable      *placement;
  /* While a refresh merges lists, notes are placed once at the end, or
   * after each part of a list read in pages. */
  gboolean         deferring_placement;
  guint            n_paging;
};

/* The notes are read in pages: the first one is about a screenful of a
 * large window, there to show at once (the list view builds a row for
 * each note of it, seen or not); the rest follows in larger pages, between
 * frames. */
#define NOTES_FIRST_PAGE_SIZE  25
#define NOTES_PAGE_SIZE        500

G_DEFINE_FINAL_TYPE (AaNoteLists, aa_note_lists, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Placement: the visible list or the trash, at the notes' position */

static GListStore *
wanted_store (AaNoteLists *self,
              AaItem      *item)
{
  return aa_item_get_trashed (item) ? self->trash : self->items;
}

static void
place_item (AaNoteLists *self,
            AaItem      *item)
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
place_all_items (AaNoteLists *self)
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
notes_page_applied_cb (AaNoteLists *self)
{
  place_all_items (self);
}

static void
notes_complete_cb (AaNoteLists *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMPLETE]);
}

/* A delete or a restore, applied, rolled back or confirmed. */
static void
shown_cb (AaNoteLists *self,
          AaResource  *resource)
{
  if (AA_IS_ITEM (resource) && !self->deferring_placement)
    place_item (self, AA_ITEM (resource));
}

static void
unplace_item (AaNoteLists *self,
              AaItem      *item)
{
  GListStore *have = g_hash_table_lookup (self->placement, item);
  guint position;

  if (have != NULL && g_list_store_find (have, item, &position))
    g_list_store_remove (have, position);
  g_hash_table_remove (self->placement, item);
}

static void
notes_changed_cb (AaNoteLists *self,
                  guint        position,
                  guint        removed,
                  guint        added)
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
aa_note_lists_purge_trash (AaNoteLists *self)
{
  GListModel *notes = G_LIST_MODEL (self->notes);
  guint n_purged = 0;

  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), 0);

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

/* Refresh */

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

void
aa_note_lists_apply (AaNoteLists *self,
                     GPtrArray   *items,
                     GPtrArray   *trash,
                     guint        sent_at)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  g_return_if_fail (AA_IS_NOTE_LISTS (self));

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
refresh_items_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AaNoteLists *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->n_paging--;
  place_all_items (self);
  if (!aa_resource_store_refresh_finish (AA_RESOURCE_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
aa_note_lists_refresh_items_async (AaNoteLists         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AA_IS_NOTE_LISTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_note_lists_refresh_items_async);
  self->n_paging++;
  aa_resource_store_refresh_full_async (self->notes, "/items", covers_trashed, GINT_TO_POINTER (FALSE), NULL,
                                        cancellable, refresh_items_cb, g_steal_pointer (&task));
}

gboolean
aa_note_lists_refresh_items_finish (AaNoteLists   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
aa_note_lists_finalize (GObject *object)
{
  AaNoteLists *self = AA_NOTE_LISTS (object);

  g_clear_pointer (&self->placement, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->trash);
  g_clear_object (&self->notes);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (aa_note_lists_parent_class)->finalize (object);
}

static void
aa_note_lists_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AaNoteLists *self = AA_NOTE_LISTS (object);

  switch (prop_id) {
  case PROP_COMPLETE:
    g_value_set_boolean (value, aa_note_lists_get_complete (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_note_lists_class_init (AaNoteListsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_note_lists_finalize;
  object_class->get_property = aa_note_lists_get_property;

  props[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_note_lists_init (AaNoteLists *self)
{
  self->items = g_list_store_new (AA_TYPE_ITEM);
  self->trash = g_list_store_new (AA_TYPE_ITEM);
  self->placement = g_hash_table_new (NULL, NULL);
}

AaNoteLists *
aa_note_lists_new (AaEngine *engine)
{
  AaNoteLists *self;

  g_return_val_if_fail (AA_IS_ENGINE (engine), NULL);

  self = g_object_new (AA_TYPE_NOTE_LISTS, NULL);
  self->engine = g_object_ref (engine);
  self->notes = aa_resource_store_new (engine, AA_TYPE_ITEM);
  aa_resource_store_set_first_page_size (self->notes, NOTES_FIRST_PAGE_SIZE);
  aa_resource_store_set_page_size (self->notes, NOTES_PAGE_SIZE);

  g_signal_connect_object (self->notes, "items-changed", G_CALLBACK (notes_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes, "page-applied", G_CALLBACK (notes_page_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes, "notify::complete", G_CALLBACK (notes_complete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "shown", G_CALLBACK (shown_cb), self, G_CONNECT_SWAPPED);

  return self;
}

AaResourceStore *
aa_note_lists_get_store (AaNoteLists *self)
{
  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), NULL);
  return self->notes;
}

GListModel *
aa_note_lists_get_items (AaNoteLists *self)
{
  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), NULL);
  return G_LIST_MODEL (self->items);
}

GListModel *
aa_note_lists_get_trash (AaNoteLists *self)
{
  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), NULL);
  return G_LIST_MODEL (self->trash);
}

gboolean
aa_note_lists_get_complete (AaNoteLists *self)
{
  g_return_val_if_fail (AA_IS_NOTE_LISTS (self), FALSE);
  return aa_resource_store_get_complete (self->notes);
}
