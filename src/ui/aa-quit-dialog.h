#pragma once

#include <adwaita.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_QUIT_DIALOG (aa_quit_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AaQuitDialog, aa_quit_dialog, AA, QUIT_DIALOG, AdwMessageDialog)

/*
 * Shown when quitting while changes are unsettled
 * (aa_action_manager_list_unsettled()): it says how many and which, waits
 * while any is on its way, and answers "quit" by itself once all of them
 * settled. A failed change nobody retried is named too, with Retry, and so
 * are notes with unsaved edits (aa_quit_dialog_set_drafts()).
 * "Quit Anyway" warns that what is listed is lost; "Keep Open" (the
 * default and close response: Return and Escape) stays.
 *
 * Responses, for aa_quit_dialog_response(): "cancel", "retry", "quit".
 */
AaQuitDialog *aa_quit_dialog_new            (AaActionManager *manager);

/* Names the notes with edits typed and not saved (AaItem), which the user
 * has to keep open for or to lose: with any, it does not quit by itself.
 * Before choosing. */
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
