/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <glib-object.h>

#include "aa-version-macros.h"

#include "aa-mutation.h"
#include "aa-types.h"

G_BEGIN_DECLS

#define AA_TYPE_FEEDBACK (aa_feedback_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaFeedback, aa_feedback, AA, FEEDBACK, GObject)

AA_AVAILABLE_IN_ALL
AaFeedback       *aa_feedback_new              (AaFeedbackTier    tier,
                                                const char       *title,
                                                AaFeedbackAction  action,
                                                AaMutation       *mutation);
AA_AVAILABLE_IN_ALL
AaFeedback       *aa_feedback_new_for_mutation (AaMutation       *mutation);

AA_AVAILABLE_IN_ALL
AaFeedbackTier    aa_feedback_get_tier         (AaFeedback       *self);
AA_AVAILABLE_IN_ALL
const char       *aa_feedback_get_title        (AaFeedback       *self);
AA_AVAILABLE_IN_ALL
AaFeedbackAction  aa_feedback_get_action       (AaFeedback       *self);
AA_AVAILABLE_IN_ALL
const char       *aa_feedback_get_action_label (AaFeedback       *self);
AA_AVAILABLE_IN_ALL
AaMutation       *aa_feedback_get_mutation     (AaFeedback       *self);

AA_AVAILABLE_IN_ALL
AaFeedbackTier    aa_feedback_choose_tier      (AaMutation       *mutation,
                                                AaFeedbackAction *out_action);
AA_AVAILABLE_IN_ALL
char             *aa_feedback_format_failure   (AaMutation       *mutation,
                                                const GError     *error);
AA_AVAILABLE_IN_ALL
char             *aa_feedback_format_success   (AaMutation       *mutation);
AA_AVAILABLE_IN_ALL
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

AA_AVAILABLE_IN_ALL
GType           aa_confirmation_get_type (void) G_GNUC_CONST;
AA_AVAILABLE_IN_ALL
AaConfirmation *aa_confirmation_new      (const char           *heading,
                                          const char           *body,
                                          const char           *confirm_label,
                                          gboolean              destructive);
AA_AVAILABLE_IN_ALL
AaConfirmation *aa_confirmation_copy     (const AaConfirmation *confirmation);
AA_AVAILABLE_IN_ALL
void            aa_confirmation_free     (AaConfirmation       *confirmation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaConfirmation, aa_confirmation_free)

G_END_DECLS
