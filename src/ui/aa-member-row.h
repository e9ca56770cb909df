/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_MEMBER_ROW (aa_member_row_get_type ())

G_DECLARE_FINAL_TYPE (AaMemberRow, aa_member_row, AA, MEMBER_ROW, GtkListBoxRow)

/*
 * One member: name ("(you)" for the signed-in one) and a role control.
 * A change waits for the server (pessimistic) with the control busy; the
 * outcome is shown in the row: "Saved", or why not and what to do, with
 * the control back on the confirmed role. A control the signed-in member
 * may not use is insensitive, its tooltip saying why.
 */
GtkWidget  *aa_member_row_new                (AaActionManager *manager,
                                              AaMember        *member);
AaMember   *aa_member_row_get_member         (AaMemberRow     *self);
/* Re-reads who is signed in and what they may change. */
void        aa_member_row_update_permissions (AaMemberRow     *self);

/* The parts, for tests. */
GtkWidget  *aa_member_row_get_role_dropdown  (AaMemberRow *self);
GtkWidget  *aa_member_row_get_spinner        (AaMemberRow *self);
GtkWidget  *aa_member_row_get_status_label   (AaMemberRow *self);
GtkWidget  *aa_member_row_get_retry_button   (AaMemberRow *self);
GtkWidget  *aa_member_row_get_you_label      (AaMemberRow *self);
/* The dropdown position of @role, and back. */
guint       aa_member_row_position_for_role  (AaRole       role);

G_END_DECLS
