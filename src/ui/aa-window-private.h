#pragma once

#include "aa-window.h"
#include "aa-toast-overlay.h"

G_BEGIN_DECLS

/* The window's parts, for tests. */
AaToastOverlay *aa_window_get_toast_overlay   (AaWindow *self);
GtkWidget      *aa_window_get_stack           (AaWindow *self);
GtkWidget      *aa_window_get_notes_page      (AaWindow *self);
GtkWidget      *aa_window_get_network_button  (AaWindow *self);
GtkWidget      *aa_window_get_network_popover (AaWindow *self);

G_END_DECLS
