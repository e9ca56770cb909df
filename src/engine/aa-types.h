#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include "aa-version-macros.h"
#include <glib-object.h>

G_BEGIN_DECLS

/* The engine's types refer to each other; the full declarations are in
 * their own headers. */
typedef struct _AaEngine        AaEngine;
typedef struct _AaMutation      AaMutation;
typedef struct _AaOperation     AaOperation;
typedef struct _AaResource      AaResource;
typedef struct _AaResourceStore AaResourceStore;

/**
 * AaPolicy:
 * @AA_POLICY_OPTIMISTIC: the change is shown at once and rolled back if the
 *   server refuses it.
 * @AA_POLICY_PESSIMISTIC: nothing changes until the server confirms; the
 *   target is busy meanwhile.
 *
 * How a mutation is shown while it is on its way.
 */
typedef enum {
  AA_POLICY_OPTIMISTIC,
  AA_POLICY_PESSIMISTIC,
} AaPolicy;

/**
 * AaFeedbackTier:
 * @AA_FEEDBACK_TIER_NONE: nothing to say.
 * @AA_FEEDBACK_TIER_INLINE: expected and local: the element itself shows it.
 * @AA_FEEDBACK_TIER_TOAST: a non-blocking confirmation or failure.
 * @AA_FEEDBACK_TIER_DIALOG: destructive or irreversible: ask first.
 *
 * Feedback tiers, never mixed: an outcome gets exactly one.
 */
typedef enum {
  AA_FEEDBACK_TIER_NONE,
  AA_FEEDBACK_TIER_INLINE,
  AA_FEEDBACK_TIER_TOAST,
  AA_FEEDBACK_TIER_DIALOG,
} AaFeedbackTier;

/**
 * AaFeedbackAction:
 * @AA_FEEDBACK_ACTION_NONE: no recovery is offered.
 * @AA_FEEDBACK_ACTION_RETRY: send it again with the same key, see aa_engine_retry().
 * @AA_FEEDBACK_ACTION_UNDO: take it back, see aa_engine_undo().
 * @AA_FEEDBACK_ACTION_RELOAD: a conflict: reload the latest version first.
 *
 * The one recovery a feedback offers.
 */
typedef enum {
  AA_FEEDBACK_ACTION_NONE,
  AA_FEEDBACK_ACTION_RETRY,
  AA_FEEDBACK_ACTION_UNDO,
  AA_FEEDBACK_ACTION_RELOAD,
} AaFeedbackAction;

G_END_DECLS
