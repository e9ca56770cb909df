/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AA_TYPE_PREFERENCES_WINDOW (aa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AaPreferencesWindow, aa_preferences_window, AA, PREFERENCES_WINDOW, AdwPreferencesWindow)

/*
 * Preferences, applied as they change: the server URL to use instead of the
 * embedded demo server (checked as typed; it takes effect at the next
 * launch) with its token, how long toasts stay, and the server this copy
 * uses with buttons that copy its address and token. Property "settings" (construct-only):
 * the org.example.AsyncActions GSettings to edit; by default the app's.
 */
GtkWidget *aa_preferences_window_new                 (GSettings   *settings);

void       aa_preferences_window_set_server_in_use   (AaPreferencesWindow *self,
                                                      const char          *url,
                                                      const char          *token);

/* A usable backend address: http or https, with a host. On FALSE, @error
 * says what to type instead. NULL and "" are not addresses either. */
gboolean   aa_preferences_window_check_server_url    (const char  *url,
                                                      GError     **error);

G_END_DECLS
