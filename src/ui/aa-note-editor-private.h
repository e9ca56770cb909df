/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-note-editor.h"

G_BEGIN_DECLS

/* The editor's controls, for tests. */
GtkWidget *aa_note_editor_get_title_entry      (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_title_error      (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_notes_view       (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_save_button      (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_save_label       (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_save_spinner     (AaNoteEditor *self);
GtkWidget *aa_note_editor_get_conflict_banner  (AaNoteEditor *self);

/* Whether @item, not open, has a draft kept. */
gboolean   aa_note_editor_has_draft            (AaNoteEditor *self,
                                                AaItem       *item);

G_END_DECLS
