/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-window.h"

G_BEGIN_DECLS

/* The window's parts, for tests. */
GtkWidget      *aa_window_get_toast_overlay   (AaWindow *self);
AdwToast       *aa_window_get_shown_toast     (AaWindow *self);
/* The toasts added and not dismissed yet (AdwToast), oldest first. */
GPtrArray      *aa_window_get_toasts          (AaWindow *self);
GtkWidget      *aa_window_get_stack           (AaWindow *self);
GtkWidget      *aa_window_get_notes_page      (AaWindow *self);
GtkWidget      *aa_window_get_network_button  (AaWindow *self);
GtkWidget      *aa_window_get_new_button      (AaWindow *self);
GtkWidget      *aa_window_get_reload_button   (AaWindow *self);
GtkWidget      *aa_window_get_network_popover (AaWindow *self);
GtkWidget      *aa_window_get_trash_page      (AaWindow *self);
GtkWidget      *aa_window_get_billing_page    (AaWindow *self);
GtkWidget      *aa_window_get_team_page       (AaWindow *self);
GtkWidget      *aa_window_get_activity_page   (AaWindow *self);
/* The dialog shown while closing waits for unsettled changes, or NULL. */
GtkWidget      *aa_window_get_quit_dialog     (AaWindow *self);
/* The banner that says the server can't be reached (AaOfflineBanner). */
GtkWidget      *aa_window_get_offline_banner  (AaWindow *self);
/* Narrow: the header, the notes and the pages laid out for a phone. */
gboolean        aa_window_get_folded          (AaWindow *self);
GtkWidget      *aa_window_get_back_button     (AaWindow *self);
GtkWidget      *aa_window_get_switcher_bar    (AaWindow *self);
GtkWidget      *aa_window_get_switcher_title  (AaWindow *self);

/* How long aa_window_present_when_ready() waits at most (150 ms). */
void            aa_window_set_ready_wait      (AaWindow *self,
                                               guint     ready_wait_ms);

G_END_DECLS
