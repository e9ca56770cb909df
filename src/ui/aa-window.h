#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_WINDOW (aa_window_get_type ())

G_DECLARE_FINAL_TYPE (AaWindow, aa_window, AA, WINDOW, GtkApplicationWindow)

/*
 * The main window: a header bar, a stack of pages (Notes, Trash, Billing,
 * Team, Activity; those from the server install "page.reload"), a toast
 * overlay around them, and the one place where the manager's "feedback"
 * becomes toasts. Closing it while changes are unsettled waits for them
 * (AaQuitDialog) instead of losing them.
 */
AaWindow        *aa_window_new         (GtkApplication  *application,
                                        AaActionManager *manager);
AaActionManager *aa_window_get_manager (AaWindow        *self);

G_END_DECLS
