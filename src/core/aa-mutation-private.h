#pragma once

#include "aa-member.h"
#include "aa-mutation.h"

G_BEGIN_DECLS

/*
 * How AaActionManager builds a mutation and moves it through its states.
 * Nothing else changes a mutation.
 */

/* @subject names the object in messages (a note's title, an invoice's
 * description, a member's name; NULL for empty trash); @detail adds to it
 * (the formatted amount of a payment). @patch is both the request body and
 * the optimistic change; a reference is taken. The policy comes from the
 * rules table, the label is built from the rest, the idempotency key is new. */
AaMutation *aa_mutation_new              (AaMutationKind   kind,
                                          AaResource      *target,
                                          const char      *subject,
                                          const char      *detail,
                                          JsonObject      *patch);

const char *aa_mutation_get_subject      (AaMutation      *self);

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
void        aa_mutation_set_replayed     (AaMutation      *self,
                                          gboolean         replayed);

/* Links @undo to @original both ways (undo-of holds a reference, undone-by
 * is weak, so the pair makes no cycle). */
void        aa_mutation_link_undo        (AaMutation      *original,
                                          AaMutation      *undo);

/* The values the patched fields had before it applied: the patch of its undo. */
JsonObject *aa_mutation_get_inverse      (AaMutation      *self);
void        aa_mutation_set_inverse      (AaMutation      *self,
                                          JsonObject      *inverse);

/* A failure the user let go (no longer counted in "n-failed"). */
gboolean    aa_mutation_get_dismissed    (AaMutation      *self);
void        aa_mutation_set_dismissed    (AaMutation      *self,
                                          gboolean         dismissed);

/* For a role change: the signed-in member's role (when known) and the role
 * the member had, so a refusal can be explained. */
void        aa_mutation_set_roles        (AaMutation      *self,
                                          gboolean         me_known,
                                          AaRole           me,
                                          AaRole           from);
gboolean    aa_mutation_get_roles        (AaMutation      *self,
                                          AaRole          *out_me,
                                          AaRole          *out_from,
                                          AaRole          *out_to);

/* For empty trash: how many notes went for good. */
guint       aa_mutation_get_count        (AaMutation      *self);
void        aa_mutation_set_count        (AaMutation      *self,
                                          guint            count);

G_END_DECLS
