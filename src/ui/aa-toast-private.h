#pragma once

#include "aa-toast.h"

G_BEGIN_DECLS

/* For AaToastOverlay: which overlay shows or queues the toast (weak), so
 * that aa_toast_dismiss() reaches it. */
gpointer aa_toast_get_overlay          (AaToast  *self);
void     aa_toast_set_overlay          (AaToast  *self,
                                        gpointer  overlay);
void     aa_toast_emit_button_clicked  (AaToast  *self);
void     aa_toast_emit_dismissed       (AaToast  *self);

G_END_DECLS
