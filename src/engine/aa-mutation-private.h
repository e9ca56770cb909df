/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-mutation.h"
#include "aa-rest-client.h"

G_BEGIN_DECLS

/*
 * How AaEngine runs a mutation and moves it through its states.
 * Nothing else changes a mutation.
 */

/* Moves to @state, stamping queued-at, sent-at or finished-at. */
void        aa_mutation_set_state        (AaMutation      *self,
                                          AaMutationState  state);
/* One more request with the same key: attempts + 1, state SENT. */
void        aa_mutation_begin_attempt    (AaMutation      *self);
/* Ends it as FAILED or ROLLED_BACK with @error and the user-facing @message. */
void        aa_mutation_fail             (AaMutation      *self,
                                          AaMutationState  state,
                                          const GError    *error,
                                          const char      *message);
/* The words of a WAITING or UNKNOWN mutation (its "message"), or NULL. */
void        aa_mutation_set_message      (AaMutation      *self,
                                          const char      *message);
/* Its request went out with @method to a backend that promises
 * @features; a NULL @method: nothing of it can have been applied (a check
 * said so). */
void        aa_mutation_set_sent         (AaMutation        *self,
                                          const char        *method,
                                          AaBackendFeatures  features);
/* The method of its last request that may have arrived, or NULL. */
const char *aa_mutation_get_sent_method  (AaMutation      *self);
/* The one rule for sending a mutation again (a Retry, or a resend that
 * resolves an unknown outcome): safe unless its request is not idempotent
 * by its method (a POST; a PATCH of an operation without
 * AA_OPERATION_SETS_FIELDS), its backend does not honour Idempotency-Key,
 * and it may have been applied: its outcome is unknown (@error NULL) or it
 * failed with @error after it may have arrived (a lost answer, a 5xx). */
gboolean    aa_mutation_can_send_again   (AaMutation      *self,
                                          const GError    *error);
void        aa_mutation_set_replayed     (AaMutation      *self,
                                          gboolean         replayed);

/* Links @undo to @original both ways (undo-of holds a reference, undone-by
 * is weak, so the pair makes no cycle). */
void        aa_mutation_link_undo        (AaMutation      *original,
                                          AaMutation      *undo);

void        aa_mutation_set_inverse      (AaMutation      *self,
                                          JsonObject      *inverse);

/* A mutation rebuilt from the journal after a restart: the key it was sent
 * with before, and how many times it was sent. */
void        aa_mutation_restore          (AaMutation      *self,
                                          const char      *idempotency_key,
                                          guint            attempts);

/* A failure the user let go (no longer counted in "n-failed"), or an
 * unknown outcome the user acknowledged (no longer pending). */
gboolean    aa_mutation_get_dismissed    (AaMutation      *self);
void        aa_mutation_set_dismissed    (AaMutation      *self,
                                          gboolean         dismissed);

/*
 * What AaEngine keeps on a mutation while it finds out what happened to
 * it (aa-engine.c: settle_unknown(), settle_failure(), check(),
 * resolve_by_event()). Fields of the mutation, not qdata, so
 * that a reader sees them here; the engine forgets them when the mutation
 * settles (aa_mutation_forget_lost_answer() from its set_state()).
 */

/* The error of the attempt whose answer was lost (NULL: none was lost): a
 * check that finds it was not applied fails with it. */
const GError *aa_mutation_get_lost_answer   (AaMutation   *self);
void          aa_mutation_set_lost_answer   (AaMutation   *self,
                                             const GError *error);
/* The state an event naming its key brought while it was on its way (a
 * JSON object, or null: removed); should its answer be lost, it succeeded. */
JsonNode     *aa_mutation_get_event_state   (AaMutation   *self);
void          aa_mutation_set_event_state   (AaMutation   *self,
                                             JsonNode     *state);
/* One more resend of an unknown outcome answered 409 (its first attempt
 * still being applied). Returns how many were, this one included. */
guint         aa_mutation_add_in_flight_answer (AaMutation *self);
/* Forgets the three above: nothing is left to find out once it settled. */
void          aa_mutation_forget_lost_answer (AaMutation  *self);
/* Its check (AaOperation.build_check) is on its way. */
gboolean      aa_mutation_get_checking      (AaMutation   *self);
void          aa_mutation_set_checking      (AaMutation   *self,
                                             gboolean      checking);
/* The state it was last written to the journal in, plus one (0: not in
 * the journal), so that the engine writes only what changed. */
guint         aa_mutation_get_journaled     (AaMutation   *self);
void          aa_mutation_set_journaled     (AaMutation   *self,
                                             guint         journaled);

G_END_DECLS
