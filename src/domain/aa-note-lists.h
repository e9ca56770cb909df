/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "async-actions.h"

#include "aa-item.h"

G_BEGIN_DECLS

#define AA_TYPE_NOTE_LISTS (aa_note_lists_get_type ())

G_DECLARE_FINAL_TYPE (AaNoteLists, aa_note_lists, AA, NOTE_LISTS, GObject)

/*
 * The notes: one AaResourceStore in the server's order (newest first),
 * shown by two lists, the notes and the trash. Moving a note between them
 * (delete, restore) keeps its place.
 *
 * Properties (read-only, notify):
 *   "complete"  gboolean, whether the notes list holds every note of its
 *               last load: FALSE before, and while the pages after the
 *               first are still coming
 */

AaNoteLists     *aa_note_lists_new          (AaEngine        *engine);
AaResourceStore *aa_note_lists_get_store    (AaNoteLists     *self); /* every AaItem */
GListModel      *aa_note_lists_get_items    (AaNoteLists     *self); /* AaItem not in the trash */
GListModel      *aa_note_lists_get_trash    (AaNoteLists     *self); /* AaItem in the trash */
gboolean         aa_note_lists_get_complete (AaNoteLists     *self);

/* Reads /items alone, in pages, each placed as it comes (the engine's
 * paged refresh: aa_resource_store_refresh_full_async()). */
void             aa_note_lists_refresh_items_async  (AaNoteLists         *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         aa_note_lists_refresh_items_finish (AaNoteLists         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* Merges what /items (@items) and /trash (@trash) said, either of them
 * NULL when it was not read; both together, so that a note moved to the
 * trash elsewhere is seen in the trash rather than as gone. */
void             aa_note_lists_apply        (AaNoteLists     *self,
                                             GPtrArray       *items,
                                             GPtrArray       *trash,
                                             guint            sent_at);
/* Empty trash succeeded: what the trash showed as confirmed is gone for
 * good. Returns how many notes went. */
guint            aa_note_lists_purge_trash  (AaNoteLists     *self);

G_END_DECLS
