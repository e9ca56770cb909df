/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_NOTE_EDITOR (aa_note_editor_get_type ())

G_DECLARE_FINAL_TYPE (AaNoteEditor, aa_note_editor, AA, NOTE_EDITOR, GtkWidget)

/*
 * Edits one note: title, notes and Save. It shows its save inline (the
 * button busy while the save is pending, a validation error under the
 * title, a conflict banner) and keeps what the user typed through
 * failures; toasts are the window's business. When a field typed in was
 * changed elsewhere, or a save met a conflict, a banner offers Keep My
 * Changes or Discard My Changes; a discard offers Undo (docs/editor.md).
 */
GtkWidget *aa_note_editor_new         (void);
void       aa_note_editor_set_manager (AaNoteEditor    *self,
                                       AaActionManager *manager);
AaItem    *aa_note_editor_get_item    (AaNoteEditor    *self);
void       aa_note_editor_set_item    (AaNoteEditor    *self,
                                       AaItem          *item);
/* Saves what is typed; returns the save mutation, or NULL when nothing
 * could be saved (no item, or a save of it is still pending). */
AaMutation *aa_note_editor_save       (AaNoteEditor    *self);
/* The notes with edits not saved (a new array of AaItem): the open one if
 * its fields differ from it, and those left with a draft. A note's draft
 * is kept while another is open and put back when it is opened again. */
GPtrArray *aa_note_editor_list_drafts (AaNoteEditor    *self);
/* Focuses the title, its text selected so that typing replaces it. */
void       aa_note_editor_focus_title (AaNoteEditor    *self);

G_END_DECLS
