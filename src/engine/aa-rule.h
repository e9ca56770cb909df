/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

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
 * @offline: what it does while the server can't be reached: wait, or be
 *   refused at once (since: 0.2)
 * @resolution: how an unknown outcome is resolved: resend with the same
 *   key, the operation's check, or the event only (since: 0.2)
 * @unknown: the tier of an unknown outcome's "not confirmed yet" message
 *   ([vfunc@Operation.format_unknown]); its resolution then gets the
 *   success or failure tier (since: 0.2)
 *
 * One row of an app's rules table: how an operation is shown and what each
 * of its outcomes says. An app keeps its rows in one declarative place.
 *
 * The columns added in 0.2 are zero by default, and zero is safe:
 * %AA_OFFLINE_POLICY_DEFAULT (wait if optimistic, refuse if pessimistic),
 * %AA_RESOLUTION_DEFAULT (the operation's check if it has one, else a
 * resend with the same key) and %AA_FEEDBACK_TIER_NONE for the unknown
 * message (the mutation's state and its target's sync state still say it).
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
  AaOfflinePolicy  offline;
  AaResolution     resolution;
  AaFeedbackTier   unknown;
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
