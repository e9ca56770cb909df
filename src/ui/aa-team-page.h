/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_TEAM_PAGE (aa_team_page_get_type ())

G_DECLARE_FINAL_TYPE (AaTeamPage, aa_team_page, AA, TEAM_PAGE, GtkWidget)

/*
 * The Team page: the members with a role control each (AaMemberRow), and a
 * "Signed in as" choice for the demo server, so that what each role may do
 * can be shown. It loads when first shown; it installs "page.reload".
 */
GtkWidget       *aa_team_page_new         (AaActionManager *manager);
AaActionManager *aa_team_page_get_manager (AaTeamPage      *self);
/* Property "folded": the window is narrow, as a phone's; the description
 * takes the column and "Signed in as" goes below it. */
gboolean         aa_team_page_get_folded  (AaTeamPage      *self);
void             aa_team_page_set_folded  (AaTeamPage      *self,
                                           gboolean         folded);

/* The parts, for tests. */
GtkWidget       *aa_team_page_get_load_state      (AaTeamPage *self);
GtkWidget       *aa_team_page_get_description     (AaTeamPage *self);
GtkWidget       *aa_team_page_get_signed_in_combo (AaTeamPage *self);
/* The row of @member, or NULL. */
GtkWidget       *aa_team_page_find_row            (AaTeamPage *self,
                                                   AaMember   *member);

G_END_DECLS
