#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_WINDOW (aa_window_get_type ())

G_DECLARE_FINAL_TYPE (AaWindow, aa_window, AA, WINDOW, GtkApplicationWindow)

/*
 * The main window: a header bar, a stack of pages (each installs
 * "page.reload"), a toast overlay around them, and the one place where the
 * manager's "feedback" becomes toasts.
 */
AaWindow        *aa_window_new         (GtkApplication  *application,
                                        AaActionManager *manager);
AaActionManager *aa_window_get_manager (AaWindow        *self);

G_END_DECLS
