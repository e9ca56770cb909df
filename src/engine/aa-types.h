/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include "aa-version-macros.h"
#include <glib-object.h>

G_BEGIN_DECLS

/* The engine's types refer to each other; the full declarations are in
 * their own headers. */
typedef struct _AaConnectivity  AaConnectivity;
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

/**
 * AaOfflinePolicy:
 * @AA_OFFLINE_POLICY_DEFAULT: %AA_OFFLINE_POLICY_WAIT for an optimistic
 *   operation, %AA_OFFLINE_POLICY_REFUSE for a pessimistic one.
 * @AA_OFFLINE_POLICY_WAIT: while the server can't be reached the mutation
 *   stays shown and waits (%AA_MUTATION_STATE_WAITING), and is sent, in
 *   order, once it can.
 * @AA_OFFLINE_POLICY_REFUSE: while the server can't be reached the
 *   mutation is refused at once, nothing applied or queued.
 *
 * What an action does while [property@Connectivity:reachable] is %FALSE: a
 * column of the rules table ([struct@Rule]).
 *
 * Since: 0.2
 */
typedef enum {
  AA_OFFLINE_POLICY_DEFAULT,
  AA_OFFLINE_POLICY_WAIT,
  AA_OFFLINE_POLICY_REFUSE,
} AaOfflinePolicy;

/**
 * AaResolution:
 * @AA_RESOLUTION_DEFAULT: %AA_RESOLUTION_CHECK when the operation declares
 *   a check ([vfunc@Operation.build_check]), else %AA_RESOLUTION_RESEND.
 * @AA_RESOLUTION_RESEND: once the server answers a probe again, the
 *   request is sent again with the same `Idempotency-Key`: the server
 *   replays its first answer, or applies it once if it never arrived.
 * @AA_RESOLUTION_CHECK: once the server answers a probe again, the
 *   operation's own check says whether it was applied; if it was not, the
 *   mutation fails plainly (a retry sends the same key).
 * @AA_RESOLUTION_EVENT: only an event naming the mutation's key as its
 *   origin (or a retry by the user) settles it.
 *
 * How an unknown outcome (%AA_MUTATION_STATE_UNKNOWN) is resolved, besides
 * the event from the stream whose origin is the mutation's key, which
 * always settles it as succeeded: a column of the rules table.
 *
 * Since: 0.2
 */
typedef enum {
  AA_RESOLUTION_DEFAULT,
  AA_RESOLUTION_RESEND,
  AA_RESOLUTION_CHECK,
  AA_RESOLUTION_EVENT,
} AaResolution;

/**
 * AaCheckResult:
 * @AA_CHECK_RESULT_UNKNOWN: the answer doesn't tell; checked again later.
 * @AA_CHECK_RESULT_APPLIED: the server has the change: it succeeded.
 * @AA_CHECK_RESULT_NOT_APPLIED: the server doesn't have the change: it failed.
 *
 * What an operation's check ([vfunc@Operation.interpret_check]) found out
 * about a mutation whose answer was lost.
 *
 * Since: 0.2
 */
typedef enum {
  AA_CHECK_RESULT_UNKNOWN,
  AA_CHECK_RESULT_APPLIED,
  AA_CHECK_RESULT_NOT_APPLIED,
} AaCheckResult;

G_END_DECLS
