/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-rule"

#include "config.h"

#include "aa-rule.h"

G_DEFINE_BOXED_TYPE (AaRule, aa_rule, aa_rule_copy, aa_rule_free)

/**
 * aa_rule_new:
 *
 * Creates the default row: optimistic, no dialog before, no feedback on
 * success, a toast with Retry on failure, inline feedback for input errors,
 * and the defaults of the offline and unknown-outcome columns (see
 * [struct@Rule]).
 *
 * Returns: (transfer full): a new rule
 */
AaRule *
aa_rule_new (void)
{
  AaRule *rule = g_new0 (AaRule, 1);

  rule->policy = AA_POLICY_OPTIMISTIC;
  rule->before = AA_FEEDBACK_TIER_NONE;
  rule->success = AA_FEEDBACK_TIER_NONE;
  rule->success_action = AA_FEEDBACK_ACTION_NONE;
  rule->failure = AA_FEEDBACK_TIER_TOAST;
  rule->failure_action = AA_FEEDBACK_ACTION_RETRY;
  rule->input_failure = AA_FEEDBACK_TIER_INLINE;
  rule->input_failure_action = AA_FEEDBACK_ACTION_NONE;
  rule->offline = AA_OFFLINE_POLICY_DEFAULT;
  rule->resolution = AA_RESOLUTION_DEFAULT;
  rule->unknown = AA_FEEDBACK_TIER_NONE;

  return rule;
}

/**
 * aa_rule_copy:
 * @rule: a rule
 *
 * Copies a rule.
 *
 * Returns: (transfer full): a copy of @rule
 */
AaRule *
aa_rule_copy (const AaRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  return g_memdup2 (rule, sizeof *rule);
}

/**
 * aa_rule_free:
 * @rule: (transfer full): a rule
 *
 * Frees @rule.
 */
void
aa_rule_free (AaRule *rule)
{
  g_free (rule);
}
