/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-notes-page.h"

G_BEGIN_DECLS

/* The page's parts, for tests. */
GtkWidget          *aa_notes_page_get_state_stack (AaNotesPage *self);
GtkWidget          *aa_notes_page_get_list_stack  (AaNotesPage *self);
GtkWidget          *aa_notes_page_get_list_view   (AaNotesPage *self);
GtkSingleSelection *aa_notes_page_get_selection   (AaNotesPage *self);
GtkWidget          *aa_notes_page_get_editor      (AaNotesPage *self);
GtkWidget          *aa_notes_page_get_trash_button (AaNotesPage *self);
/* The row widget showing @item, or NULL when it is not on screen. */
GtkWidget          *aa_notes_page_find_row        (AaNotesPage *self,
                                                   AaItem      *item);
/* The delete confirmation on screen, or NULL. */
GtkWidget          *aa_notes_page_get_confirm_dialog (AaNotesPage *self);

G_END_DECLS
