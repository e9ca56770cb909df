/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "aa-feedback.h"

G_BEGIN_DECLS

/* Registers the UI's resources (templates, stylesheet, shortcuts window).
 * Call once before creating any AaWindow; the application and the UI tests
 * do. */
void aa_ui_init                 (void);
/* Adds the app's stylesheet to @display. */
void aa_ui_load_style           (GdkDisplay *display);
/* Picks GTK's cairo renderer, without OpenGL, when OpenGL on the X server
 * can only be software (llvmpipe), unless GSK_RENDERER says otherwise. It
 * sets GSK_RENDERER and GDK_DEBUG: call it before gtk_init(), while no
 * other thread runs (main() does).
 * Returns the renderer chosen ("cairo"), or NULL when GTK's own choice
 * stands. */
const char *aa_ui_choose_renderer (void);

/* Shows @toast (transfer full) in the window of @widget, through
 * aa_window_add_toast() so that it follows the toast timeout preference.
 * Pages use it for toasts that are not engine feedback. */
void aa_ui_show_toast           (GtkWidget  *widget,
                                 AdwToast   *toast);
/* A toast whose title is @title as plain text (AdwToast 1.2 reads its
 * title as markup). */
AdwToast *aa_ui_toast_new       (const char *title);

/* Asks @confirmation in an AdwMessageDialog modal for the window of
 * @widget: "Cancel", the default and close response (Return and Escape
 * change nothing), and the action ("confirm"). Finishes with TRUE when
 * the action was chosen; cancelling @cancellable closes the dialog.
 * Returns the dialog (owned by GTK until it is answered). */
GtkWidget *aa_ui_confirm_async  (GtkWidget            *widget,
                                 const AaConfirmation *confirmation,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean   aa_ui_confirm_finish (GAsyncResult         *result);
/* Closes @window, as Escape would, once @cancellable (or nothing, for
 * NULL) is cancelled. Returns the id for g_cancellable_disconnect(). */
gulong     aa_ui_close_when_cancelled (GtkWindow      *window,
                                       GCancellable   *cancellable);

/* Whether content that just appeared in @widget may take the keyboard
 * focus: it is on nothing, or where the window put it by itself (the
 * header bar); never taken from where the user moved it. */
gboolean aa_ui_focus_is_free    (GtkWidget  *widget);

/* Sets the tooltip of @widget, and its accessible description, to @text
 * (NULL for none). Unlike gtk_widget_set_tooltip_text(), it does not ask the
 * display server where the pointer is (GTK 4.8 does, twice, on every call):
 * a round trip for each row a list creates. */
void aa_ui_set_tooltip          (GtkWidget  *widget,
                                 const char *text);
/* Names what GTK 4.8 and libadwaita 1.2 leave without a plain name under
 * @root, for screen readers: a button with a mnemonic is named by its
 * label without the underscore ("_Retry" read as "underscore Retry"),
 * unless it has a name of its own; a view switcher's buttons by their
 * page; a status page's scroll pane by its title. Call it once the
 * widgets are there (a template initialised, a row made). */
void aa_ui_name_parts           (GtkWidget  *root);
/* Gives @widget the accessible name @name, and no other (GTK 4.8 would
 * add a mnemonic label's), which aa_ui_name_parts() and a new label then
 * leave alone. A drop-down's button, where its focus is, is named too,
 * with what is chosen: "Role of Ada: Admin". */
void aa_ui_set_name             (GtkWidget  *widget,
                                 const char *name);
/* The button inside a GtkDropDown, where the focus goes. */
GtkWidget *aa_ui_get_drop_down_button (GtkWidget *drop_down);
/* Names @button "@verb: @object" ("Retry: Can’t Reach the Server"): a
 * verb alone does not say what it acts on. */
void aa_ui_name_action          (GtkWidget  *button,
                                 const char *verb,
                                 const char *object);

/* The button of an error page: Retry reloads, except after a refused
 * token, which no retry can fix: then it opens Preferences, where the
 * token is set. Names it for @title, the page's error title. */
void aa_ui_set_error_action     (GtkWidget    *button,
                                 const GError *error,
                                 const char   *title);

/* Makes @image (a GtkImage) the mark of an object whose change is shown
 * and not on the server yet, nor on its way: waiting to be sent (offline)
 * or not confirmed yet (its answer was lost); hidden in any other state.
 * Its icon, tooltip and accessible name say which. */
void aa_ui_update_sync_mark     (GtkWidget   *image,
                                 AaSyncState  state);
/* The tooltip aa_ui_set_tooltip() gave @widget, or NULL. */
const char *aa_ui_get_tooltip   (GtkWidget  *widget);

G_END_DECLS
