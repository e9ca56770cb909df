/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-feedback"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-feedback.h"
#include "aa-mutation-private.h"
#include "aa-operation.h"

/**
 * AaFeedback:
 *
 * One outcome to render, emitted by [signal@Engine::feedback]: its tier,
 * its message and the one recovery it offers.
 *
 * The tier comes from the mutation's rule ([struct@Rule]) and nothing else
 * decides it; widgets only render it.
 */

/* Retry is offered only where a retry can succeed. The object is gone
 * (404, 410), the token is wrong (401) or the member may not (403): sending
 * the same request again changes nothing. */
static gboolean
retry_can_succeed (const GError *error)
{
  return !(aa_error_is_removal (error) ||
           g_error_matches (error, AA_ERROR, AA_ERROR_UNAUTHORIZED) ||
           g_error_matches (error, AA_ERROR, AA_ERROR_PERMISSION));
}

/**
 * aa_feedback_choose_tier:
 * @mutation: a mutation
 * @out_action: (out) (optional): the recovery to offer
 *
 * The one place that chooses a tier: @mutation's rule (an undo's is the rule
 * of its own operation, [property@Operation:undo], like any other's), its
 * state, and whether its error is one the user fixes in the form. An undo
 * never offers Undo in turn.
 * An unknown outcome gets the rule's @unknown tier and no action; a
 * mutation waiting for the server gets none (the connectivity says it
 * once for all of them). Retry is offered only where it can succeed and
 * can't apply a change twice: not for a POST that may have reached a
 * backend that doesn't honour `Idempotency-Key`
 * ([property@RestClient:backend-features]).
 *
 * Returns: the tier of @mutation's outcome so far
 */
AaFeedbackTier
aa_feedback_choose_tier (AaMutation       *mutation,
                         AaFeedbackAction *out_action)
{
  AaOperation *operation;
  const AaRule *rule;
  const GError *error;
  AaFeedbackTier tier = AA_FEEDBACK_TIER_NONE;
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), AA_FEEDBACK_TIER_NONE);

  operation = aa_mutation_get_operation (mutation);
  rule = aa_operation_get_rule (operation);
  error = aa_mutation_get_error (mutation);

  switch (aa_mutation_get_state (mutation)) {
  case AA_MUTATION_STATE_SUCCEEDED:
    tier = rule->success;
    action = rule->success_action;
    break;

  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    if (error != NULL && aa_operation_is_input_error (operation, mutation, error)) {
      tier = rule->input_failure;
      action = rule->input_failure_action;
      /* Reload answers a conflict only; an invalid field needs typing. */
      if (action == AA_FEEDBACK_ACTION_RELOAD && !g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
        action = AA_FEEDBACK_ACTION_NONE;
    } else {
      tier = rule->failure;
      action = rule->failure_action;
      if (action == AA_FEEDBACK_ACTION_RETRY && error != NULL && !retry_can_succeed (error))
        action = AA_FEEDBACK_ACTION_NONE;
      /* It may have been applied, and the backend would apply it again. */
      if (action == AA_FEEDBACK_ACTION_RETRY && !aa_mutation_can_send_again (mutation, error))
        action = AA_FEEDBACK_ACTION_NONE;
      /* Refused before anything was sent (offline, say): it is made
       * again, not retried (aa_engine_retry() would refuse). */
      if (action == AA_FEEDBACK_ACTION_RETRY && aa_mutation_get_attempts (mutation) == 0 &&
          g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE))
        action = AA_FEEDBACK_ACTION_NONE;
    }
    break;

  case AA_MUTATION_STATE_UNKNOWN:
    /* "Not confirmed yet": never worded as a failure, and nothing to do. */
    tier = rule->unknown;
    action = AA_FEEDBACK_ACTION_NONE;
    break;

  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_WAITING:
  case AA_MUTATION_STATE_SENT:
  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    break;
  }

  /* No undo of an undo (aa_engine_undo() refuses it). */
  if (action == AA_FEEDBACK_ACTION_UNDO && aa_mutation_get_undo_of (mutation) != NULL)
    action = AA_FEEDBACK_ACTION_NONE;
  if (tier == AA_FEEDBACK_TIER_NONE)
    action = AA_FEEDBACK_ACTION_NONE;
  if (out_action != NULL)
    *out_action = action;

  return tier;
}

/**
 * aa_feedback_compose_failure:
 * @what_failed: the first sentence, naming the object: "Couldn’t star “Read later”."
 * @mutation: the mutation that failed
 * @error: why
 *
 * Builds a failure message the way every operation should: what failed,
 * then what to do next. A validation error's message is the validator's
 * own (it names the field and the fix); an object that is gone says that it
 * left the view; a request that may have reached the server and can't be
 * sent again safely (see [property@RestClient:backend-features]) says so
 * instead of suggesting to try again.
 *
 * Returns: (transfer full): the message
 */
char *
aa_feedback_compose_failure (const char   *what_failed,
                             AaMutation   *mutation,
                             const GError *error)
{
  const char *next;

  g_return_val_if_fail (what_failed != NULL, NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) && error->message && *error->message)
    return g_strdup (error->message);

  if (g_error_matches (error, AA_ERROR, AA_ERROR_NOT_FOUND) && aa_mutation_get_target (mutation) != NULL)
    next = _("It was deleted elsewhere, so it’s no longer shown here.");
  else if (g_error_matches (error, AA_ERROR, AA_ERROR_GONE) && aa_mutation_get_target (mutation) != NULL)
    next = _("It was removed for good, so it’s no longer shown here.");
  else if (!aa_mutation_can_send_again (mutation, error))
    next = _("It may have reached the server anyway, so it isn’t sent again. Reload to see whether it did.");
  else
    next = aa_error_get_next_step (error);

  /* Translators: what failed, then what to do next. */
  return g_strdup_printf (_("%s %s"), what_failed, next);
}

/**
 * aa_feedback_format_failure:
 * @mutation: the mutation that failed
 * @error: why
 *
 * Formats the message of a failure of @mutation: what failed, naming the
 * object, and what to do next.
 *
 * Returns: (transfer full): the full failure message of @mutation's
 *   operation, both parts: what failed and what to do next
 */
char *
aa_feedback_format_failure (AaMutation   *mutation,
                            const GError *error)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  return aa_operation_format_failure (aa_mutation_get_operation (mutation), mutation, error);
}

/**
 * aa_feedback_format_success:
 * @mutation: the mutation that succeeded
 *
 * Formats the message of the success of @mutation.
 *
 * Returns: (transfer full): the message of its success ("Saved")
 */
char *
aa_feedback_format_success (AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return aa_operation_format_success (aa_mutation_get_operation (mutation), mutation);
}

/* AaFeedback */

struct _AaFeedback
{
  GObject           parent_instance;

  AaFeedbackTier    tier;
  char             *title;
  AaFeedbackAction  action;
  AaMutation       *mutation;
};

G_DEFINE_FINAL_TYPE (AaFeedback, aa_feedback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIER,
  PROP_TITLE,
  PROP_ACTION,
  PROP_MUTATION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
aa_feedback_finalize (GObject *object)
{
  AaFeedback *self = AA_FEEDBACK (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->mutation);

  G_OBJECT_CLASS (aa_feedback_parent_class)->finalize (object);
}

static void
aa_feedback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AaFeedback *self = AA_FEEDBACK (object);

  switch (prop_id) {
  case PROP_TIER:
    g_value_set_enum (value, self->tier);
    break;
  case PROP_TITLE:
    g_value_set_string (value, self->title);
    break;
  case PROP_ACTION:
    g_value_set_enum (value, self->action);
    break;
  case PROP_MUTATION:
    g_value_set_object (value, self->mutation);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_feedback_class_init (AaFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = aa_feedback_finalize;
  object_class->get_property = aa_feedback_get_property;

  /**
   * AaFeedback:tier:
   *
   * Its tier.
   */
  props[PROP_TIER] =
    g_param_spec_enum ("tier", NULL, NULL,
                       AA_TYPE_FEEDBACK_TIER, AA_FEEDBACK_TIER_NONE, flags);
  /**
   * AaFeedback:title:
   *
   * Its message.
   */
  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  /**
   * AaFeedback:action:
   *
   * The one recovery it offers.
   */
  props[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL,
                       AA_TYPE_FEEDBACK_ACTION, AA_FEEDBACK_ACTION_NONE, flags);
  /**
   * AaFeedback:mutation:
   *
   * The mutation it is about, or %NULL.
   */
  props[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL, AA_TYPE_MUTATION, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_feedback_init (AaFeedback *self)
{
}

/**
 * aa_feedback_new:
 * @tier: its tier
 * @title: its message
 * @action: the recovery it offers
 * @mutation: (nullable): the mutation it is about
 *
 * Creates a feedback. The engine makes them; an app creates one for an
 * outcome of its own, to show it the same way.
 *
 * Returns: (transfer full): a new feedback
 */
AaFeedback *
aa_feedback_new (AaFeedbackTier    tier,
                 const char       *title,
                 AaFeedbackAction  action,
                 AaMutation       *mutation)
{
  AaFeedback *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (mutation == NULL || AA_IS_MUTATION (mutation), NULL);

  self = g_object_new (AA_TYPE_FEEDBACK, NULL);
  self->tier = tier;
  self->title = g_strdup (title);
  self->action = action;
  self->mutation = mutation ? g_object_ref (mutation) : NULL;

  return self;
}

/**
 * aa_feedback_new_for_mutation:
 * @mutation: a mutation
 *
 * The feedback for @mutation's outcome so far (its state and error), as
 * [signal@Engine::feedback] emits it.
 *
 * Returns: (transfer full) (nullable): the feedback, or %NULL when its rule gives it none
 */
AaFeedback *
aa_feedback_new_for_mutation (AaMutation *mutation)
{
  AaFeedbackAction action;
  AaFeedbackTier tier;
  g_autofree char *title = NULL;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  tier = aa_feedback_choose_tier (mutation, &action);
  if (tier == AA_FEEDBACK_TIER_NONE)
    return NULL;

  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED)
    title = aa_feedback_format_success (mutation);
  else
    title = g_strdup (aa_mutation_get_message (mutation));

  return aa_feedback_new (tier, title, action, mutation);
}

/**
 * aa_feedback_get_tier:
 * @self: a feedback
 *
 * Gets the tier of the feedback: inline, toast or dialog.
 *
 * Returns: its tier
 */
AaFeedbackTier
aa_feedback_get_tier (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), AA_FEEDBACK_TIER_NONE);
  return self->tier;
}

/**
 * aa_feedback_get_title:
 * @self: a feedback
 *
 * Gets the message of the feedback.
 *
 * Returns: its message: what happened, naming the object, and for a
 *   failure what to do next
 */
const char *
aa_feedback_get_title (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);
  return self->title;
}

/**
 * aa_feedback_get_action:
 * @self: a feedback
 *
 * Gets the one recovery the feedback offers.
 *
 * Returns: the one recovery it offers
 */
AaFeedbackAction
aa_feedback_get_action (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), AA_FEEDBACK_ACTION_NONE);
  return self->action;
}

/**
 * aa_feedback_get_action_label:
 * @self: a feedback
 *
 * Gets the label of the button of the feedback's action.
 *
 * Returns: (nullable): "Retry", "Undo" or "Reload" (translated), or %NULL for none
 */
const char *
aa_feedback_get_action_label (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);

  switch (self->action) {
  case AA_FEEDBACK_ACTION_RETRY:
    return _("Retry");
  case AA_FEEDBACK_ACTION_UNDO:
    return _("Undo");
  case AA_FEEDBACK_ACTION_RELOAD:
    return _("Reload");
  case AA_FEEDBACK_ACTION_NONE:
  default:
    return NULL;
  }
}

/**
 * aa_feedback_get_mutation:
 * @self: a feedback
 *
 * Gets the mutation the feedback is about.
 *
 * Returns: (transfer none) (nullable): the mutation it is about
 */
AaMutation *
aa_feedback_get_mutation (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);
  return self->mutation;
}

G_DEFINE_BOXED_TYPE (AaConfirmation, aa_confirmation, aa_confirmation_copy, aa_confirmation_free)

/**
 * aa_confirmation_new:
 * @heading: the question
 * @body: what follows
 * @confirm_label: the label of the button that goes ahead
 * @destructive: whether going ahead destroys something
 *
 * Creates the text of a dialog that asks before an action.
 *
 * Returns: (transfer full): a new confirmation text
 */
AaConfirmation *
aa_confirmation_new (const char *heading,
                     const char *body,
                     const char *confirm_label,
                     gboolean    destructive)
{
  AaConfirmation *confirmation = g_new0 (AaConfirmation, 1);

  confirmation->heading = g_strdup (heading);
  confirmation->body = g_strdup (body);
  confirmation->confirm_label = g_strdup (confirm_label);
  confirmation->destructive = !!destructive;

  return confirmation;
}

/**
 * aa_confirmation_copy:
 * @confirmation: a confirmation text
 *
 * Copies a confirmation text.
 *
 * Returns: (transfer full): a copy
 */
AaConfirmation *
aa_confirmation_copy (const AaConfirmation *confirmation)
{
  g_return_val_if_fail (confirmation != NULL, NULL);

  return aa_confirmation_new (confirmation->heading, confirmation->body,
                              confirmation->confirm_label, confirmation->destructive);
}

/**
 * aa_confirmation_free:
 * @confirmation: (transfer full) (nullable): a confirmation text
 *
 * Frees @confirmation.
 */
void
aa_confirmation_free (AaConfirmation *confirmation)
{
  if (confirmation == NULL)
    return;

  g_free (confirmation->heading);
  g_free (confirmation->body);
  g_free (confirmation->confirm_label);
  g_free (confirmation);
}
