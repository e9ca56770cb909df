/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"
#include "aa-notes-page-private.h"
#include "aa-test-utils.h"
#include "aa-window-private.h"

G_BEGIN_DECLS

/* A real window on a real embedded server with a fresh seeded data file. */
typedef struct {
  AaTestServer    *server;
  AaRestClient    *client;
  AaActionManager *manager;
  AaWindow        *window;
  AaNotesPage     *page;
} AaUiFixture;

/* Sets GTK up for tests (no animations, the app's resources and style). */
void         aa_ui_test_init          (int          *argc,
                                       char       ***argv);

/* Makes the locales @names (NULL-terminated, "de_DE.UTF-8") available,
 * compiling the ones the system lacks into a new directory that LOCPATH
 * then points at; call it before anything sets a locale. Returns that
 * directory, or NULL. */
char        *aa_ui_test_ensure_locales (const char * const *names);
/* Removes what aa_ui_test_ensure_locales() compiled (NULL: nothing). */
void         aa_ui_test_remove_locales (const char  *locale_dir);

/* Presents the window and waits until the notes are loaded. */
AaUiFixture *aa_ui_fixture_new        (void);
void         aa_ui_fixture_free       (AaUiFixture  *fixture);

/* Starts the manager's live updates and waits until its stream is
 * connected. */
void         aa_ui_fixture_start_live (AaUiFixture  *fixture);

/* PUT /_control/faults through the manager, waiting for the answer. */
void         aa_ui_fixture_set_faults (AaUiFixture  *fixture,
                                       const char   *faults_json);
/* The note at @position in the list (a new reference). */
AaItem      *aa_ui_fixture_get_item   (AaUiFixture  *fixture,
                                       guint         position);
/* Waits until @item's row is on screen and returns it. */
GtkWidget   *aa_ui_fixture_wait_row   (AaUiFixture  *fixture,
                                       AaItem       *item);
/* Waits until no mutation is pending. */
void         aa_ui_fixture_wait_idle  (AaUiFixture  *fixture);
/* Waits until a toast is shown whose button says @button_label (NULL for
 * any toast) and returns it. */
AdwToast    *aa_ui_fixture_wait_toast (AaUiFixture  *fixture,
                                       const char   *button_label);
/* Clicks the button of the toast on screen. */
void         aa_ui_fixture_click_toast_button (AaUiFixture *fixture);
/* Dismisses every toast, shown or queued. */
void         aa_ui_fixture_dismiss_toasts (AaUiFixture *fixture);
/* The title of @toast as plain text (AdwToast keeps it as markup). */
const char  *aa_ui_toast_title        (AdwToast     *toast);

/* The button on screen of the response @response of an AdwMessageDialog,
 * and clicking it, as a user would. */
GtkWidget   *aa_ui_find_response_button (GtkWidget  *dialog,
                                         const char *response);
void         aa_ui_respond            (GtkWidget    *dialog,
                                       const char   *response);
/* The first descendant of @widget (itself included) for which @match
 * returns TRUE, depth first. */
GtkWidget   *aa_ui_find_widget        (GtkWidget    *widget,
                                       gboolean    (*match) (GtkWidget *widget,
                                                             gpointer   data),
                                       gpointer      data);

/* Another client's change: PATCH /items/{id} with @body (JSON) straight
 * to the server, as another window would send it. */
void         aa_ui_fixture_patch_elsewhere (AaUiFixture *fixture,
                                            AaItem      *item,
                                            const char  *body);
/* Waits until @item's title (as the app shows it) is @title. */
void         aa_ui_wait_item_title    (AaItem       *item,
                                       const char   *title);
/* Waits until closing the window shows the quit dialog, and returns it. */
GtkWidget   *aa_ui_fixture_wait_quit_dialog (AaUiFixture *fixture);
/* Waits until the window is closed and its quit dialog gone. */
void         aa_ui_fixture_wait_closed (AaUiFixture *fixture);

/* Runs the main loop for @ms milliseconds. */
void         aa_ui_iterate_ms         (guint         ms);

/* The server's copy of a note (GET /items/{id}): its status and, on 200,
 * its JSON object (a new reference). */
JsonObject  *aa_ui_fixture_get_server_item (AaUiFixture *fixture,
                                            const char  *id,
                                            guint       *out_status);

/* Renders @widget's native (a window, a dialog) to a texture. */
GdkTexture  *aa_ui_render            (GtkWidget    *widget);

G_END_DECLS
