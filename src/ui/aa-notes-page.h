/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_NOTES_PAGE (aa_notes_page_get_type ())

G_DECLARE_FINAL_TYPE (AaNotesPage, aa_notes_page, AA, NOTES_PAGE, GtkWidget)

/*
 * The Notes page: the list of notes beside the editor of the selected one,
 * with its loading, unreachable and empty states.
 *
 * Like every page of AaWindow it installs "page.reload"; its own actions are
 * "notes.new", "notes.save", "notes.delete-selected",
 * "notes.toggle-star-selected", "notes.toggle-done-selected". Its rows hand
 * it their own note (aa_notes_page_set_starred() and the three below).
 *
 * Property "loaded" (read-only): the notes came from the server at least
 * once; until then "notes.new" is disabled. Property "loading" (read-only):
 * a load of the notes is on its way.
 *
 * Property "folded": the list and the editor are two screens, for a narrow
 * window; "editing" (read-only) is TRUE while the editor's is shown.
 */
GtkWidget       *aa_notes_page_new         (void);
AaActionManager *aa_notes_page_get_manager (AaNotesPage     *self);
void             aa_notes_page_set_manager (AaNotesPage     *self,
                                            AaActionManager *manager);
/* What a row asks for its own note: a star, done, a delete (asked first
 * when the rules say so; the next note takes its place), and Retry of the
 * latest failed change to it, with its own key. */
void             aa_notes_page_set_starred (AaNotesPage     *self,
                                            AaItem          *item,
                                            gboolean         starred);
void             aa_notes_page_set_done    (AaNotesPage     *self,
                                            AaItem          *item,
                                            gboolean         done);
void             aa_notes_page_delete_item (AaNotesPage     *self,
                                            AaItem          *item);
void             aa_notes_page_retry_item  (AaNotesPage     *self,
                                            AaItem          *item);
/* The notes with edits typed and not saved (a new array of AaItem). */
GPtrArray       *aa_notes_page_list_drafts (AaNotesPage     *self);
/* Opens @item and saves the edits typed into it (the quit dialog's Save);
 * returns the save, or NULL. */
AaMutation      *aa_notes_page_save_draft  (AaNotesPage     *self,
                                            AaItem          *item);
gboolean         aa_notes_page_get_folded  (AaNotesPage     *self);
/* The narrowest width the list and the editor fit in side by side: below
 * it the page folds. */
int              aa_notes_page_get_unfold_width (AaNotesPage *self);
gboolean         aa_notes_page_get_loaded  (AaNotesPage     *self);
gboolean         aa_notes_page_get_loading (AaNotesPage     *self);
gboolean         aa_notes_page_get_editing (AaNotesPage     *self);
/* Back from the editor's screen to the list, on the open note. */
void             aa_notes_page_show_list   (AaNotesPage     *self);
/* Focuses the selected note's row, or the first one. */
void             aa_notes_page_focus_list  (AaNotesPage     *self);

G_END_DECLS
