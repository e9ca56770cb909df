/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_ACTIVITY_ROW (aa_activity_row_get_type ())

G_DECLARE_FINAL_TYPE (AaActivityRow, aa_activity_row, AA, ACTIVITY_ROW, GtkWidget)

/*
 * One mutation in the Activity list, live: what it does, its policy, its
 * state, its timing, attempts and idempotency key, and Retry or Undo where
 * they apply. Bound and unbound as the list scrolls.
 */
GtkWidget  *aa_activity_row_new          (AaActionManager *manager);
AaMutation *aa_activity_row_get_mutation (AaActivityRow   *self);
void        aa_activity_row_set_mutation (AaActivityRow   *self,
                                          AaMutation      *mutation);

/* The parts, for tests. */
GtkWidget  *aa_activity_row_get_state_label  (AaActivityRow *self);
GtkWidget  *aa_activity_row_get_details_label (AaActivityRow *self);
/* What happened, in plain words (the engine's state is in the details). */
GtkWidget  *aa_activity_row_get_outcome_label (AaActivityRow *self);
GtkWidget  *aa_activity_row_get_retry_button (AaActivityRow *self);
GtkWidget  *aa_activity_row_get_undo_button  (AaActivityRow *self);

G_END_DECLS
