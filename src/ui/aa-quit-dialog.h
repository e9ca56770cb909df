/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_QUIT_DIALOG (aa_quit_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AaQuitDialog, aa_quit_dialog, AA, QUIT_DIALOG, AdwMessageDialog)

/*
 * Shown when quitting while changes are unsettled
 * (aa_action_manager_list_unsettled()): one row for each, saying what
 * really holds for it: being sent (it answers "quit" by itself once all
 * of them settled), waiting to be sent (offline: sent next time the app
 * opens), being checked (its answer was lost), failed (what failed and
 * what to do, with Retry), and notes with unsaved edits
 * (aa_quit_dialog_set_drafts()), each with Save ("save-draft"). Its
 * heading's count is its number of rows. Only what failed and what is not
 * saved makes quitting lose something: then "Quit Anyway" says so;
 * otherwise "Quit" says nothing will be lost. "Keep Open" (the default and
 * close response: Return and Escape) stays.
 *
 * Signal "save-draft" (AaItem *item): the user chose to save @item's edits.
 *
 * Responses, for aa_quit_dialog_response(): "cancel", "retry", "quit".
 */
AaQuitDialog *aa_quit_dialog_new            (AaActionManager *manager);

/* Names the notes with edits typed and not saved (AaItem), which the user
 * has to keep open for or to lose: with any, it does not quit by itself.
 * Before choosing. */
/* Also once shown: the rows follow. */
void          aa_quit_dialog_set_drafts     (AaQuitDialog        *self,
                                             GPtrArray           *drafts);

/* Presents it, modal for @parent. Finishes with TRUE to quit (everything
 * settled, or "Quit Anyway"), FALSE to stay. The dialog destroys itself
 * once it has answered. */
void          aa_quit_dialog_choose_async   (AaQuitDialog        *self,
                                             GtkWindow           *parent,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      aa_quit_dialog_choose_finish  (AaQuitDialog        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

void          aa_quit_dialog_response       (AaQuitDialog        *self,
                                             const char          *response);

/* The parts, for tests. */
GtkWidget    *aa_quit_dialog_get_list          (AaQuitDialog *self);
GtkWidget    *aa_quit_dialog_get_retry_button  (AaQuitDialog *self);

G_END_DECLS
