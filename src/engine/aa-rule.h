#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include "aa-version-macros.h"
#include "aa-types.h"

G_BEGIN_DECLS

/**
 * AaRule:
 * @policy: optimistic or pessimistic
 * @before: %AA_FEEDBACK_TIER_DIALOG to ask for confirmation first, else
 *   %AA_FEEDBACK_TIER_NONE
 * @success: the tier of a success
 * @success_action: what a success offers (usually %AA_FEEDBACK_ACTION_UNDO or none)
 * @failure: the tier of a failure
 * @failure_action: what a failure offers (usually %AA_FEEDBACK_ACTION_RETRY);
 *   the engine offers a retry only where one can succeed
 * @input_failure: the tier of a failure the user fixes where they typed
 *   (an invalid field, a conflict, a refusal), see aa_operation_is_input_error()
 * @input_failure_action: what such a failure offers
 *
 * One row of an app's rules table: how an operation is shown and what each
 * of its outcomes says. An app keeps its rows in one declarative place.
 */
typedef struct {
  AaPolicy         policy;
  AaFeedbackTier   before;
  AaFeedbackTier   success;
  AaFeedbackAction success_action;
  AaFeedbackTier   failure;
  AaFeedbackAction failure_action;
  AaFeedbackTier   input_failure;
  AaFeedbackAction input_failure_action;
} AaRule;

#define AA_TYPE_RULE (aa_rule_get_type ())

AA_AVAILABLE_IN_ALL
GType   aa_rule_get_type (void) G_GNUC_CONST;
AA_AVAILABLE_IN_ALL
AaRule *aa_rule_new      (void);
AA_AVAILABLE_IN_ALL
AaRule *aa_rule_copy     (const AaRule *rule);
AA_AVAILABLE_IN_ALL
void    aa_rule_free     (AaRule       *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaRule, aa_rule_free)

G_END_DECLS
