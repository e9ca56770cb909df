#pragma once

#include <gtk/gtk.h>

#include "aa-feedback.h"

G_BEGIN_DECLS

/**
 * AaResponseAppearance:
 * @AA_RESPONSE_DEFAULT: a plain button.
 * @AA_RESPONSE_SUGGESTED: the recommended way forward ("suggested-action").
 * @AA_RESPONSE_DESTRUCTIVE: removes or loses something ("destructive-action").
 */
typedef enum {
  AA_RESPONSE_DEFAULT,
  AA_RESPONSE_SUGGESTED,
  AA_RESPONSE_DESTRUCTIVE,
} AaResponseAppearance;

#define AA_TYPE_CONFIRM_DIALOG (aa_confirm_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AaConfirmDialog, aa_confirm_dialog, AA, CONFIRM_DIALOG, GtkWindow)

/*
 * A modal question with a heading, a body and a row of responses, in the
 * spirit of GtkAlertDialog (GTK 4.10) and AdwMessageDialog. Escape and
 * closing the window choose the close response ("cancel" by default).
 * Properties "heading", "body", "default-response", "close-response".
 */
AaConfirmDialog *aa_confirm_dialog_new                    (const char           *heading,
                                                           const char           *body);
/* A dialog for a DIALOG-tier action: "Cancel" and the confirm response
 * (id "confirm"), destructive when @confirmation says so. */
AaConfirmDialog *aa_confirm_dialog_new_for_confirmation   (const AaConfirmation *confirmation);

const char      *aa_confirm_dialog_get_heading            (AaConfirmDialog      *self);
void             aa_confirm_dialog_set_heading            (AaConfirmDialog      *self,
                                                           const char           *heading);
const char      *aa_confirm_dialog_get_body               (AaConfirmDialog      *self);
void             aa_confirm_dialog_set_body               (AaConfirmDialog      *self,
                                                           const char           *body);

void             aa_confirm_dialog_add_response           (AaConfirmDialog      *self,
                                                           const char           *id,
                                                           const char           *label);
void             aa_confirm_dialog_set_response_appearance (AaConfirmDialog     *self,
                                                           const char           *id,
                                                           AaResponseAppearance  appearance);
const char      *aa_confirm_dialog_get_default_response   (AaConfirmDialog      *self);
void             aa_confirm_dialog_set_default_response   (AaConfirmDialog      *self,
                                                           const char           *id);
const char      *aa_confirm_dialog_get_close_response     (AaConfirmDialog      *self);
void             aa_confirm_dialog_set_close_response     (AaConfirmDialog      *self,
                                                           const char           *id);
/* The button of a response, for tests and accessibility checks. */
GtkWidget       *aa_confirm_dialog_get_response_button    (AaConfirmDialog      *self,
                                                           const char           *id);
/* Chooses @id as if its button was clicked. */
void             aa_confirm_dialog_response               (AaConfirmDialog      *self,
                                                           const char           *id);

/* Presents the dialog, modal for @parent, and finishes with the id of the
 * response chosen. Cancelling @cancellable closes it with the close
 * response. The dialog destroys itself once it has answered. */
void             aa_confirm_dialog_choose_async           (AaConfirmDialog      *self,
                                                           GtkWindow            *parent,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
const char      *aa_confirm_dialog_choose_finish          (AaConfirmDialog      *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
