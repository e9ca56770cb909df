#pragma once

#include <glib-object.h>

#include "aa-mutation.h"
#include "aa-types.h"

G_BEGIN_DECLS

#define AA_TYPE_FEEDBACK (aa_feedback_get_type ())

G_DECLARE_FINAL_TYPE (AaFeedback, aa_feedback, AA, FEEDBACK, GObject)

AaFeedback       *aa_feedback_new              (AaFeedbackTier    tier,
                                                const char       *title,
                                                AaFeedbackAction  action,
                                                AaMutation       *mutation);
AaFeedback       *aa_feedback_new_for_mutation (AaMutation       *mutation);

AaFeedbackTier    aa_feedback_get_tier         (AaFeedback       *self);
const char       *aa_feedback_get_title        (AaFeedback       *self);
AaFeedbackAction  aa_feedback_get_action       (AaFeedback       *self);
const char       *aa_feedback_get_action_label (AaFeedback       *self);
AaMutation       *aa_feedback_get_mutation     (AaFeedback       *self);

AaFeedbackTier    aa_feedback_choose_tier      (AaMutation       *mutation,
                                                AaFeedbackAction *out_action);
char             *aa_feedback_format_failure   (AaMutation       *mutation,
                                                const GError     *error);
char             *aa_feedback_format_success   (AaMutation       *mutation);
char             *aa_feedback_compose_failure  (const char       *what_failed,
                                                AaMutation       *mutation,
                                                const GError     *error);

/**
 * AaConfirmation:
 * @heading: the question, such as "Delete “Read later”?"
 * @body: what follows, such as "It moves to the trash. You can undo this."
 * @confirm_label: the label of the button that goes ahead, such as "Delete"
 * @destructive: whether going ahead destroys something
 *
 * The text of the dialog that comes before an action whose rule asks first
 * (see aa_operation_asks_first()).
 */
typedef struct {
  char *heading;
  char *body;
  char *confirm_label;
  gboolean destructive;
} AaConfirmation;

#define AA_TYPE_CONFIRMATION (aa_confirmation_get_type ())

GType           aa_confirmation_get_type (void) G_GNUC_CONST;
AaConfirmation *aa_confirmation_new      (const char           *heading,
                                          const char           *body,
                                          const char           *confirm_label,
                                          gboolean              destructive);
AaConfirmation *aa_confirmation_copy     (const AaConfirmation *confirmation);
void            aa_confirmation_free     (AaConfirmation       *confirmation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaConfirmation, aa_confirmation_free)

G_END_DECLS
