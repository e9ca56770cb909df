/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_TRASH_PAGE (aa_trash_page_get_type ())

G_DECLARE_FINAL_TYPE (AaTrashPage, aa_trash_page, AA, TRASH_PAGE, GtkWidget)

/*
 * The Trash page: the trashed notes, each restorable (optimistic), and
 * Empty Trash (pessimistic: asked first, progress in place while the
 * server works, never undone). It loads when first shown.
 *
 * Actions: "page.reload", "trash.empty" (asks first); each row's Restore
 * button hands its own note to aa_action_manager_restore_note().
 */
GtkWidget       *aa_trash_page_new         (AaActionManager *manager);
AaActionManager *aa_trash_page_get_manager (AaTrashPage     *self);

/* The parts, for tests. */
GtkWidget       *aa_trash_page_get_load_state     (AaTrashPage *self);
GtkWidget       *aa_trash_page_get_list_box       (AaTrashPage *self);
GtkWidget       *aa_trash_page_get_empty_button   (AaTrashPage *self);
GtkWidget       *aa_trash_page_get_progress       (AaTrashPage *self);
/* The confirmation on screen, or NULL. */
GtkWidget       *aa_trash_page_get_confirm_dialog (AaTrashPage *self);

G_END_DECLS
