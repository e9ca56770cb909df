/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-preferences-window.h"

G_BEGIN_DECLS

/* The window's parts, for tests. */
GtkEntry      *aa_preferences_window_get_server_url_entry (AaPreferencesWindow *self);
GtkLabel      *aa_preferences_window_get_server_url_error (AaPreferencesWindow *self);
GtkSpinButton *aa_preferences_window_get_toast_timeout    (AaPreferencesWindow *self);

G_END_DECLS
