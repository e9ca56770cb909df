#pragma once

#include <glib-object.h>

#include "aa-mutation.h"

G_BEGIN_DECLS

/* Feedback tiers, never mixed. */
typedef enum {
  AA_FEEDBACK_TIER_NONE,
  AA_FEEDBACK_TIER_INLINE,   /* expected, local: the element itself shows it */
  AA_FEEDBACK_TIER_TOAST,    /* non-blocking confirmation or failure */
  AA_FEEDBACK_TIER_DIALOG,   /* destructive or irreversible: ask first */
} AaFeedbackTier;

/* The one recovery a feedback offers. */
typedef enum {
  AA_FEEDBACK_ACTION_NONE,
  AA_FEEDBACK_ACTION_RETRY,   /* aa_action_manager_retry() */
  AA_FEEDBACK_ACTION_UNDO,    /* aa_action_manager_undo() */
  AA_FEEDBACK_ACTION_RELOAD,  /* a conflict: reload the latest version */
} AaFeedbackAction;

/*
 * The rules table of README.md, one row per kind of mutation. It lives in
 * aa-feedback.c as a static array; nothing else decides tiers.
 */
typedef struct {
  AaMutationKind   kind;
  AaPolicy         policy;
  AaFeedbackTier   before;             /* DIALOG: ask to confirm first */
  AaFeedbackTier   success;
  AaFeedbackAction success_action;
  AaFeedbackTier   failure;
  AaFeedbackAction failure_action;
  /* Failures the user fixes in the form (invalid field, conflict, declined
   * card, forbidden role) go here instead. */
  AaFeedbackTier   input_failure;
  AaFeedbackAction input_failure_action;
} AaActionRule;

const AaActionRule *aa_action_rule_lookup (AaMutationKind kind);

#define AA_TYPE_FEEDBACK (aa_feedback_get_type ())

G_DECLARE_FINAL_TYPE (AaFeedback, aa_feedback, AA, FEEDBACK, GObject)

/* One outcome to render: emitted by AaActionManager::feedback. Read-only
 * properties "tier", "title", "action", "mutation". */
AaFeedbackTier    aa_feedback_get_tier         (AaFeedback *self);
const char       *aa_feedback_get_title        (AaFeedback *self);
AaFeedbackAction  aa_feedback_get_action       (AaFeedback *self);
/* "Retry", "Undo", "Reload", or NULL for none (translated). */
const char       *aa_feedback_get_action_label (AaFeedback *self);
AaMutation       *aa_feedback_get_mutation     (AaFeedback *self);

AaFeedback       *aa_feedback_new              (AaFeedbackTier    tier,
                                                const char       *title,
                                                AaFeedbackAction  action,
                                                AaMutation       *mutation);
/* The feedback for @mutation's outcome so far (its state and error), or
 * NULL when the rules give it none: what AaActionManager::feedback emits. */
AaFeedback       *aa_feedback_new_for_mutation (AaMutation       *mutation);

/* The one place that chooses a tier: @mutation's rule (the undo rule for an
 * undo), its state, and whether its error is one the user fixes in the form. */
AaFeedbackTier    aa_feedback_choose_tier      (AaMutation       *mutation,
                                                AaFeedbackAction *out_action);
/* The full failure message, both parts: what failed, naming the object, and
 * what to do next ("Couldn't star “Buy milk”. Check your connection and
 * retry."). A validation error's message is the validator's own. */
char             *aa_feedback_format_failure   (AaMutation       *mutation,
                                                const GError     *error);
/* The message of a success ("Deleted “Buy milk”", "Saved"). */
char             *aa_feedback_format_success   (AaMutation       *mutation);

/* Text for a confirmation dialog, before a DIALOG-tier action. */
typedef struct {
  char *heading;       /* "Delete “Buy milk”?" */
  char *body;          /* "It moves to the trash. You can undo this." */
  char *confirm_label; /* "Delete" */
  gboolean destructive;
} AaConfirmation;

void aa_confirmation_free (AaConfirmation *confirmation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaConfirmation, aa_confirmation_free)

G_END_DECLS
