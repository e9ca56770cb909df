#pragma once

#include <gtk/gtk.h>

#include "aa-toast.h"

G_BEGIN_DECLS

#define AA_TYPE_TOAST_OVERLAY (aa_toast_overlay_get_type ())

G_DECLARE_FINAL_TYPE (AaToastOverlay, aa_toast_overlay, AA, TOAST_OVERLAY, GtkWidget)

/*
 * Shows toasts over its child, one at a time, at the bottom, from a queue.
 * A high-priority toast is shown at once and puts the current one back at
 * the head of the queue; adding the toast that is shown restarts its
 * timeout; Escape dismisses the toast that is shown.
 */
GtkWidget *aa_toast_overlay_new           (void);

GtkWidget *aa_toast_overlay_get_child     (AaToastOverlay *self);
void       aa_toast_overlay_set_child     (AaToastOverlay *self,
                                           GtkWidget      *child);

/* Takes ownership of @toast (transfer full). */
void       aa_toast_overlay_add_toast     (AaToastOverlay *self,
                                           AaToast        *toast);

/* The toast on screen, or NULL. */
AaToast   *aa_toast_overlay_get_shown_toast (AaToastOverlay *self);
/* How many toasts wait behind the one on screen. */
guint      aa_toast_overlay_get_n_queued    (AaToastOverlay *self);

G_END_DECLS
