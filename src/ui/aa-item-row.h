/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-item.h"

G_BEGIN_DECLS

#define AA_TYPE_ITEM_ROW (aa_item_row_get_type ())

G_DECLARE_FINAL_TYPE (AaItemRow, aa_item_row, AA, ITEM_ROW, GtkWidget)

/*
 * One note in the list: done check, title, star, delete, and its sync state
 * ("Not saved yet" with Retry, or a quiet pending mark). It renders the
 * item's properties and acts on its own item: its actions ("row.toggle-star",
 * "row.toggle-done", "row.trash", "row.retry"), which its buttons and its
 * menu (right click, the Menu key, Shift+F10) use, hand the item itself to
 * the AaNotesPage it is in (aa_notes_page_set_starred(), …).
 */
GtkWidget *aa_item_row_new      (void);
AaItem    *aa_item_row_get_item (AaItemRow *self);
void       aa_item_row_set_item (AaItemRow *self,
                                 AaItem    *item);
void       aa_item_row_popup_menu (AaItemRow *self,
                                   double     x,
                                   double     y);
/* Marks the note as having unsaved edits kept while another is open. */
void       aa_item_row_set_has_draft (AaItemRow *self,
                                      gboolean   has_draft);

G_END_DECLS
