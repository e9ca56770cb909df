/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-item-row.h"

G_BEGIN_DECLS

/* The row's controls, for tests. */
GtkWidget *aa_item_row_get_done_check     (AaItemRow *self);
GtkWidget *aa_item_row_get_title_label    (AaItemRow *self);
GtkWidget *aa_item_row_get_star_button    (AaItemRow *self);
GtkWidget *aa_item_row_get_delete_button  (AaItemRow *self);
GtkWidget *aa_item_row_get_unsaved_box    (AaItemRow *self);
GtkWidget *aa_item_row_get_retry_button   (AaItemRow *self);
GtkWidget *aa_item_row_get_pending_spinner (AaItemRow *self);
/* The row's menu once opened, or NULL. */
GtkWidget *aa_item_row_get_menu_popover   (AaItemRow *self);
/* The mark of a change waiting for the server or being checked; NULL
 * until the row first showed one. */
GtkWidget *aa_item_row_get_sync_image     (AaItemRow *self);
/* NULL until the row first showed a note with a draft. */
GtkWidget *aa_item_row_get_draft_image    (AaItemRow *self);

G_END_DECLS
