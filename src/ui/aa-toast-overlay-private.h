#pragma once

#include "aa-toast-overlay.h"

G_BEGIN_DECLS

/* Called by aa_toast_dismiss(). */
void       aa_toast_overlay_dismiss_toast        (AaToastOverlay *self,
                                                  AaToast        *toast);
/* The AaToastWidget of the shown toast, for tests. */
GtkWidget *aa_toast_overlay_get_shown_widget     (AaToastOverlay *self);

G_END_DECLS
