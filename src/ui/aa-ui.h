#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Registers the UI's resources (templates, stylesheet, shortcuts window).
 * Call once before creating any AaWindow, AaToastOverlay or AaConfirmDialog;
 * the application and the UI tests do. */
void aa_ui_init                 (void);
/* Adds the app's stylesheet to @display. */
void aa_ui_load_style           (GdkDisplay *display);

G_END_DECLS
