#pragma once

#include <gtk/gtk.h>

#include "aa-toast.h"

G_BEGIN_DECLS

#define AA_TYPE_TOAST_WIDGET (aa_toast_widget_get_type ())

G_DECLARE_FINAL_TYPE (AaToastWidget, aa_toast_widget, AA, TOAST_WIDGET, GtkWidget)

/* The widget AaToastOverlay shows for its current toast: the title, the
 * optional button and a close button. It runs the toast's timeout, paused
 * while the pointer is over it or it holds the focus. */
GtkWidget *aa_toast_widget_new           (AaToast       *toast);
AaToast   *aa_toast_widget_get_toast     (AaToastWidget *self);
/* Starts the timeout from the beginning (the toast was added again). */
void       aa_toast_widget_reset_timeout (AaToastWidget *self);
/* Stops the timeout for good, as the widget leaves. */
void       aa_toast_widget_stop_timeout  (AaToastWidget *self);

/* For tests. */
GtkWidget *aa_toast_widget_get_button    (AaToastWidget *self);
GtkWidget *aa_toast_widget_get_close_button (AaToastWidget *self);
GtkWidget *aa_toast_widget_get_title_label  (AaToastWidget *self);

G_END_DECLS
