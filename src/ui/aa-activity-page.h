/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_ACTIVITY_PAGE (aa_activity_page_get_type ())

G_DECLARE_FINAL_TYPE (AaActivityPage, aa_activity_page, AA, ACTIVITY_PAGE, GtkWidget)

/*
 * The Activity page: every mutation of this session, newest first, live
 * (AaActivityRow), so a reader can watch the engine: a rapid toggle
 * coalescing, a lost response retried with the same key, an undo
 * cancelling a queued delete. It reads the manager's log, not the server.
 */
GtkWidget       *aa_activity_page_new         (AaActionManager *manager);
AaActionManager *aa_activity_page_get_manager (AaActivityPage  *self);

/* The parts, for tests. */
GtkWidget       *aa_activity_page_get_list_view  (AaActivityPage *self);
GtkWidget       *aa_activity_page_get_load_state (AaActivityPage *self);
/* The row showing @mutation, or NULL when it is not on screen. */
GtkWidget       *aa_activity_page_find_row       (AaActivityPage *self,
                                                  AaMutation     *mutation);

G_END_DECLS
