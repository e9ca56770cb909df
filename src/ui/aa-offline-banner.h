/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_OFFLINE_BANNER (aa_offline_banner_get_type ())

G_DECLARE_FINAL_TYPE (AaOfflineBanner, aa_offline_banner, AA, OFFLINE_BANNER, GtkWidget)

/*
 * Offline as a state, said once for every change (the HIG's banner, as
 * AdwBanner does from libadwaita 1.3): while the engine's connectivity
 * says the server can't be reached, a bar at the top of the content says
 * so and what happens to changes meanwhile; when it is back, it says so for
 * a moment and goes. Its text is an alert for screen readers.
 */
GtkWidget  *aa_offline_banner_new            (AaActionManager *manager);
/* Whether it is shown (revealed, or being revealed). */
gboolean    aa_offline_banner_get_revealed   (AaOfflineBanner *self);
/* What it says now. */
const char *aa_offline_banner_get_title      (AaOfflineBanner *self);
/* How long "back" stays before the banner goes, in ms (default 4000). */
void        aa_offline_banner_set_back_delay (AaOfflineBanner *self,
                                              guint            ms);

G_END_DECLS
