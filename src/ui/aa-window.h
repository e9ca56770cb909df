/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_WINDOW (aa_window_get_type ())

G_DECLARE_FINAL_TYPE (AaWindow, aa_window, AA, WINDOW, AdwApplicationWindow)

/*
 * The main window: a header bar, a stack of pages (Notes, Trash, Billing,
 * Team, Activity; those from the server install "page.reload"), a toast
 * overlay around them, and the one place where the engine's "feedback"
 * becomes toasts. Closing it while changes are unsettled waits for them
 * (AaQuitDialog) instead of losing them.
 */
AaWindow        *aa_window_new         (GtkApplication  *application,
                                        AaActionManager *manager);
AaActionManager *aa_window_get_manager (AaWindow        *self);
/* Presents the window once the notes it opens on are there (or failed to
 * come), waiting 150 ms at most, so that it opens with them rather than
 * flashing their loading state. The app presents a new window this way. */
void             aa_window_present_when_ready (AaWindow *self);

/* Restores the size, the maximised state and the page from @settings (the
 * org.example.AsyncActions schema), saves them when the window closes, and
 * follows "toast-timeout". The app does this; tests may leave it out. */
void             aa_window_bind_settings   (AaWindow  *self,
                                            GSettings *settings);

/* Property "toast-timeout": seconds a toast stays, 0 until dismissed (5 by
 * default). A toast with a button stays at least 8 seconds, a failure at
 * least 10, so that there is time to use it. */
guint            aa_window_get_toast_timeout (AaWindow *self);
void             aa_window_set_toast_timeout (AaWindow *self,
                                              guint     toast_timeout);
/* Shows @toast (transfer full) with the window's timeout: every toast
 * should come through here, so that it follows the preference. */
void             aa_window_add_toast         (AaWindow *self,
                                              AdwToast *toast);

G_END_DECLS
