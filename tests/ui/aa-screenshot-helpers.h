/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-ui-test-helpers.h"

G_BEGIN_DECLS

/*
 * What the README screenshot programs (aa-screenshots, aa-page-screenshots)
 * share: their command line, and the captures. Captures need ImageMagick's
 * `import` and a display of 1100x700.
 */

/* Sets GTK up as aa_ui_test_init() does, with animations on (the toasts
 * slide in; the captures wait for them), then reads "[--dark] DIRECTORY"
 * and makes DIRECTORY, where the captures go. Exits with the usage of
 * @program when the arguments are wrong. Returns whether --dark was given. */
gboolean aa_screenshots_init            (int          *argc,
                                         char       ***argv,
                                         const char   *program);
/* The whole screen, as NAME.png. */
void     aa_screenshots_capture_screen  (const char   *name);
/* The window with a dialog over it, as a window manager would place it,
 * or with a popover where GTK placed it, as NAME.png. */
void     aa_screenshots_capture_with    (AaWindow     *window,
                                         GtkWidget    *other,
                                         gboolean      is_dialog,
                                         const char   *name);
/* The window alone, as NAME.png (for the narrow window, which does not
 * fill the screen). */
void     aa_screenshots_capture_window  (AaWindow     *window,
                                         const char   *name);
/* Makes the window phone-sized (360x640), as a user drags it narrower:
 * it folds, then shrinks on. */
void     aa_screenshots_make_narrow     (AaWindow     *window);
/* Waits for the toasts and revealers to finish moving. */
void     aa_screenshots_wait_animations (void);
/* Dismisses the toasts one after the other, and waits for them to go. */
void     aa_screenshots_dismiss_toasts  (AaUiFixture  *fixture);

G_END_DECLS
