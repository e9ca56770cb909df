#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-resource.h"

G_BEGIN_DECLS

/**
 * AaPolicy:
 * @AA_POLICY_OPTIMISTIC: change the UI at once, roll back on failure.
 * @AA_POLICY_PESSIMISTIC: change nothing until the server confirms; the
 *   target is busy meanwhile.
 */
typedef enum {
  AA_POLICY_OPTIMISTIC,
  AA_POLICY_PESSIMISTIC,
} AaPolicy;

/* One user intention. Undo of a star, done or save is the inverse PATCH, so
 * it is the same kind again (see aa_mutation_get_undo_of()). */
typedef enum {
  AA_MUTATION_KIND_CREATE_NOTE,
  AA_MUTATION_KIND_STAR_NOTE,
  AA_MUTATION_KIND_DONE_NOTE,
  AA_MUTATION_KIND_SAVE_NOTE,
  AA_MUTATION_KIND_DELETE_NOTE,
  AA_MUTATION_KIND_RESTORE_NOTE,
  AA_MUTATION_KIND_EMPTY_TRASH,
  AA_MUTATION_KIND_PAY_INVOICE,
  AA_MUTATION_KIND_CHANGE_ROLE,
} AaMutationKind;

/**
 * AaMutationState:
 * @AA_MUTATION_STATE_QUEUED: waiting behind another mutation of its resource.
 * @AA_MUTATION_STATE_SENT: the request is on its way.
 * @AA_MUTATION_STATE_SUCCEEDED: the server confirmed it.
 * @AA_MUTATION_STATE_FAILED: the server refused it or could not be reached;
 *   nothing was changed locally (pessimistic) or the row keeps it unsaved (create).
 * @AA_MUTATION_STATE_ROLLED_BACK: it failed and its optimistic change was
 *   taken back.
 * @AA_MUTATION_STATE_UNDONE: undone (by a real inverse request), or cancelled
 *   before it was sent.
 * @AA_MUTATION_STATE_COALESCED: never sent: a newer mutation of the same
 *   field replaced it, or the server already had its value.
 */
typedef enum {
  AA_MUTATION_STATE_QUEUED,
  AA_MUTATION_STATE_SENT,
  AA_MUTATION_STATE_SUCCEEDED,
  AA_MUTATION_STATE_FAILED,
  AA_MUTATION_STATE_ROLLED_BACK,
  AA_MUTATION_STATE_UNDONE,
  AA_MUTATION_STATE_COALESCED,
} AaMutationState;

#define AA_TYPE_MUTATION (aa_mutation_get_type ())

G_DECLARE_FINAL_TYPE (AaMutation, aa_mutation, AA, MUTATION, GObject)

/* Read-only properties, all with notify: "kind", "policy", "label", "target",
 * "idempotency-key", "state", "error", "message", "attempts", "replayed",
 * "undo-of", "undone-by", "queued-at", "sent-at", "finished-at". */
AaMutationKind   aa_mutation_get_kind            (AaMutation *self);
AaPolicy         aa_mutation_get_policy          (AaMutation *self);
/* What it does, naming the object, for lists and logs: "Star “Buy milk”". */
const char      *aa_mutation_get_label           (AaMutation *self);
/* The resource it changes; NULL for empty trash. */
AaResource      *aa_mutation_get_target          (AaMutation *self);
/* The same key on every retry of this intention. */
const char      *aa_mutation_get_idempotency_key (AaMutation *self);
AaMutationState  aa_mutation_get_state           (AaMutation *self);
/* TRUE while queued or sent. */
gboolean         aa_mutation_is_pending          (AaMutation *self);
/* The last failure, or NULL. */
const GError    *aa_mutation_get_error           (AaMutation *self);
/* The user-facing failure message, both parts: what failed and what to do
 * next ("Couldn't star “Buy milk”. Check your connection and retry."). */
const char      *aa_mutation_get_message         (AaMutation *self);
/* How many requests were sent for it; a retry sends another with the same key. */
guint            aa_mutation_get_attempts        (AaMutation *self);
/* TRUE when the last answer was a replay of an earlier one for the same key. */
gboolean         aa_mutation_get_replayed        (AaMutation *self);
/* The fields it sets, as sent in the request body (NULL for delete, restore,
 * empty trash). */
JsonObject      *aa_mutation_get_patch           (AaMutation *self);
/* For an undo, the mutation it undoes; for an undone one, its undo. */
AaMutation      *aa_mutation_get_undo_of         (AaMutation *self);
AaMutation      *aa_mutation_get_undone_by       (AaMutation *self);
/* Monotonic times in microseconds (g_get_monotonic_time()), 0 when not yet. */
gint64           aa_mutation_get_queued_at       (AaMutation *self);
gint64           aa_mutation_get_sent_at         (AaMutation *self);
gint64           aa_mutation_get_finished_at     (AaMutation *self);

const char      *aa_mutation_state_get_label     (AaMutationState state); /* translated */
const char      *aa_policy_get_label             (AaPolicy        policy); /* translated */

G_END_DECLS
