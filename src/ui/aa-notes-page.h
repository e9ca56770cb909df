#pragma once

#include <gtk/gtk.h>

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
 * "notes.toggle-star-selected", "notes.toggle-done-selected", and those its
 * rows use ("notes.set-starred", "notes.set-done", "notes.delete",
 * "notes.retry-item").
 *
 * Property "loaded" (read-only): the notes came from the server at least
 * once; until then "notes.new" is disabled.
 */
GtkWidget       *aa_notes_page_new         (void);
AaActionManager *aa_notes_page_get_manager (AaNotesPage     *self);
void             aa_notes_page_set_manager (AaNotesPage     *self,
                                            AaActionManager *manager);
/* The notes with edits typed and not saved (a new array of AaItem). */
GPtrArray       *aa_notes_page_list_drafts (AaNotesPage     *self);

G_END_DECLS
