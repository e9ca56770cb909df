/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_CONNECTION_STATUS (aa_connection_status_get_type ())

G_DECLARE_FINAL_TYPE (AaConnectionStatus, aa_connection_status, AA, CONNECTION_STATUS, GtkWidget)

/*
 * The connection's state, calmly: nothing while changes made elsewhere
 * arrive as they happen (or when the backend has no stream), a small
 * "Reconnecting…" after the stream dropped while the server still answers,
 * and "Offline" while the engine's connectivity says it can't be reached
 * (the window's AaOfflineBanner says what that means). Never a toast.
 */
GtkWidget *aa_connection_status_new         (AaActionManager    *manager);
/* Narrow: the icon or the spinner alone, its words in its tooltip and its
 * accessible name. */
void       aa_connection_status_set_compact (AaConnectionStatus *self,
                                             gboolean            compact);

G_END_DECLS
