/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-note-drafts"

#include "config.h"

#include "aa-note-drafts.h"

struct _AaNoteDrafts
{
  GObject          parent_instance;

  AaEngine        *engine;
  AaRefresher     *refresher;
  AaResourceStore *notes;

  /* What a restart restores once every list its changes may target was
   * read, and the typed text kept in the journal. */
  gboolean         restore_pending;
  GHashTable      *pending_drafts;  /* item id -> JsonObject, until the debounce */
  GSource         *draft_timeout;
};

/* Typed text reaches the journal at most this long after it was typed. */
#define DRAFT_DEBOUNCE_MS 700

G_DEFINE_FINAL_TYPE (AaNoteDrafts, aa_note_drafts, G_TYPE_OBJECT)

static void
restore_journal (AaNoteDrafts *self)
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

/* Every list read: the changes kept from the last run have their targets. */
static void
refreshed_cb (AaNoteDrafts *self,
              guint         flags)
{
  if (self->restore_pending && (flags & AA_REFRESH_ALL) == AA_REFRESH_ALL)
    restore_journal (self);
}

static void
restore_refresh_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Unreachable: the next refresh of every list restores them. */
  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error))
    g_debug ("Changes kept from the last run wait for the server: %s", error->message);
}

gboolean
aa_note_drafts_open_journal (AaNoteDrafts  *self,
                             const char    *server_id,
                             const char    *account,
                             GError       **error)
{
  g_autoptr(AaJournal) journal = NULL;

  g_return_val_if_fail (AA_IS_NOTE_DRAFTS (self), FALSE);
  g_return_val_if_fail (aa_engine_get_journal (self->engine) == NULL, FALSE);

  if (server_id == NULL)
    server_id = aa_rest_client_get_base_url (aa_engine_get_client (self->engine));

  journal = aa_journal_open_for_server (APP_ID, server_id, account, error);
  if (journal == NULL)
    return FALSE;

  aa_engine_set_journal (self->engine, journal);

  /* Changes kept from the last run are laid on the lists their targets
   * are in: all of them are read first. */
  if (aa_journal_get_n_entries (journal) > 0) {
    self->restore_pending = TRUE;
    aa_refresher_refresh_async (self->refresher, AA_REFRESH_ALL, NULL, restore_refresh_cb, NULL);
  }

  return TRUE;
}

static gboolean
write_drafts_cb (gpointer user_data)
{
  AaNoteDrafts *self = user_data;

  g_clear_pointer (&self->draft_timeout, g_source_unref);
  aa_note_drafts_flush (self);
  return G_SOURCE_REMOVE;
}

void
aa_note_drafts_flush (AaNoteDrafts *self)
{
  AaJournal *journal;
  GHashTableIter iter;
  gpointer id, fields;

  g_return_if_fail (AA_IS_NOTE_DRAFTS (self));

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
aa_note_drafts_keep (AaNoteDrafts *self,
                     AaItem       *item,
                     const char   *title,
                     const char   *notes,
                     gint64        based_on)
{
  JsonObject *fields;

  g_return_if_fail (AA_IS_NOTE_DRAFTS (self));
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
aa_note_drafts_forget (AaNoteDrafts *self,
                       AaItem       *item)
{
  AaJournal *journal;
  const char *id;

  g_return_if_fail (AA_IS_NOTE_DRAFTS (self));
  g_return_if_fail (AA_IS_ITEM (item));

  id = aa_resource_get_id (AA_RESOURCE (item));
  if (self->pending_drafts != NULL)
    g_hash_table_remove (self->pending_drafts, id);
  journal = aa_engine_get_journal (self->engine);
  if (journal != NULL)
    aa_journal_remove_draft (journal, id);
}

gboolean
aa_note_drafts_lookup (AaNoteDrafts  *self,
                       AaItem        *item,
                       char         **title,
                       char         **notes,
                       gint64        *based_on)
{
  g_autoptr(JsonObject) fields = NULL;
  AaJournal *journal;
  const char *id;

  g_return_val_if_fail (AA_IS_NOTE_DRAFTS (self), FALSE);
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
aa_note_drafts_has_draft (AaNoteDrafts *self,
                          AaItem       *item)
{
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;

  g_return_val_if_fail (AA_IS_NOTE_DRAFTS (self), FALSE);
  g_return_val_if_fail (AA_IS_ITEM (item), FALSE);

  /* Text that the note has now (saved since) is no draft. */
  return aa_note_drafts_lookup (self, item, &title, &notes, NULL) &&
         (g_strcmp0 (title, aa_item_get_title (item)) != 0 || g_strcmp0 (notes, aa_item_get_notes (item)) != 0);
}

GPtrArray *
aa_note_drafts_list_kept (AaNoteDrafts *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ids = NULL;
  AaJournal *journal;

  g_return_val_if_fail (AA_IS_NOTE_DRAFTS (self), items);

  aa_note_drafts_flush (self);
  journal = aa_engine_get_journal (self->engine);
  if (journal == NULL)
    return items;

  ids = aa_journal_list_drafts (journal);
  for (guint i = 0; ids[i] != NULL; i++) {
    AaItem *item = (AaItem *) aa_resource_store_lookup (self->notes, ids[i]);

    if (item != NULL && aa_note_drafts_has_draft (self, item))
      g_ptr_array_add (items, g_object_ref (item));
  }
  return items;
}

/* GObject */

static void
aa_note_drafts_dispose (GObject *object)
{
  AaNoteDrafts *self = AA_NOTE_DRAFTS (object);

  /* Typed text waiting for the debounce is kept all the same. */
  aa_note_drafts_flush (self);

  G_OBJECT_CLASS (aa_note_drafts_parent_class)->dispose (object);
}

static void
aa_note_drafts_finalize (GObject *object)
{
  AaNoteDrafts *self = AA_NOTE_DRAFTS (object);

  g_clear_pointer (&self->pending_drafts, g_hash_table_unref);
  g_clear_object (&self->notes);
  g_clear_object (&self->refresher);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (aa_note_drafts_parent_class)->finalize (object);
}

static void
aa_note_drafts_class_init (AaNoteDraftsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aa_note_drafts_dispose;
  object_class->finalize = aa_note_drafts_finalize;
}

static void
aa_note_drafts_init (AaNoteDrafts *self)
{
}

AaNoteDrafts *
aa_note_drafts_new (AaRefresher     *refresher,
                    AaResourceStore *notes)
{
  AaNoteDrafts *self;

  g_return_val_if_fail (AA_IS_REFRESHER (refresher), NULL);
  g_return_val_if_fail (AA_IS_RESOURCE_STORE (notes), NULL);

  self = g_object_new (AA_TYPE_NOTE_DRAFTS, NULL);
  self->engine = g_object_ref (aa_resource_store_get_engine (notes));
  self->refresher = g_object_ref (refresher);
  self->notes = g_object_ref (notes);
  g_signal_connect_object (refresher, "refreshed", G_CALLBACK (refreshed_cb), self, G_CONNECT_SWAPPED);

  return self;
}
