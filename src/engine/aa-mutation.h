/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

#include "aa-resource.h"
#include "aa-types.h"

G_BEGIN_DECLS

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
 * @AA_MUTATION_STATE_WAITING: the server can't be reached: it is shown
 *   (optimistic) and waits, still coalescing, to be sent in order once the
 *   server is back; nothing to retry. Pending, never failed. (Since: 0.2)
 * @AA_MUTATION_STATE_UNKNOWN: its request may have reached the server but
 *   the answer was lost (a timeout after sending, a connection dropped
 *   after the request was written, a lost response). The engine resolves
 *   it by itself (see [enum@Resolution]) into SUCCEEDED or FAILED. Pending,
 *   never failed; its optimistic change stays shown. (Since: 0.2)
 *
 * The life of a mutation. QUEUED, SENT, WAITING and UNKNOWN are pending
 * (aa_mutation_is_pending()); the others are settled. Only FAILED and
 * ROLLED_BACK are failures.
 */
typedef enum {
  AA_MUTATION_STATE_QUEUED,
  AA_MUTATION_STATE_SENT,
  AA_MUTATION_STATE_SUCCEEDED,
  AA_MUTATION_STATE_FAILED,
  AA_MUTATION_STATE_ROLLED_BACK,
  AA_MUTATION_STATE_UNDONE,
  AA_MUTATION_STATE_COALESCED,
  AA_MUTATION_STATE_WAITING,
  AA_MUTATION_STATE_UNKNOWN,
} AaMutationState;

#define AA_TYPE_MUTATION (aa_mutation_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaMutation, aa_mutation, AA, MUTATION, GObject)

AA_AVAILABLE_IN_ALL
AaMutation      *aa_mutation_new                 (AaOperation *operation,
                                                  AaResource  *target,
                                                  const char  *subject,
                                                  JsonObject  *patch);
AA_AVAILABLE_IN_ALL
AaOperation     *aa_mutation_get_operation       (AaMutation *self);
AA_AVAILABLE_IN_ALL
AaPolicy         aa_mutation_get_policy          (AaMutation *self);
AA_AVAILABLE_IN_ALL
const char      *aa_mutation_get_label           (AaMutation *self);
AA_AVAILABLE_IN_ALL
const char      *aa_mutation_get_subject         (AaMutation *self);
AA_AVAILABLE_IN_ALL
AaResource      *aa_mutation_get_target          (AaMutation *self);
AA_AVAILABLE_IN_ALL
const char      *aa_mutation_get_idempotency_key (AaMutation *self);
AA_AVAILABLE_IN_ALL
AaMutationState  aa_mutation_get_state           (AaMutation *self);
AA_AVAILABLE_IN_ALL
gboolean         aa_mutation_is_pending          (AaMutation *self);
AA_AVAILABLE_IN_ALL
void             aa_mutation_wait_async          (AaMutation          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AA_AVAILABLE_IN_ALL
gboolean         aa_mutation_wait_finish         (AaMutation          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
AA_AVAILABLE_IN_ALL
const GError    *aa_mutation_get_error           (AaMutation *self);
AA_AVAILABLE_IN_ALL
const char      *aa_mutation_get_message         (AaMutation *self);
AA_AVAILABLE_IN_ALL
guint            aa_mutation_get_attempts        (AaMutation *self);
AA_AVAILABLE_IN_ALL
gboolean         aa_mutation_get_replayed        (AaMutation *self);
AA_AVAILABLE_IN_ALL
JsonObject      *aa_mutation_get_patch           (AaMutation *self);
AA_AVAILABLE_IN_ALL
JsonObject      *aa_mutation_get_inverse         (AaMutation *self);
AA_AVAILABLE_IN_ALL
gint64           aa_mutation_get_base_version    (AaMutation *self);
AA_AVAILABLE_IN_ALL
void             aa_mutation_set_base_version    (AaMutation *self,
                                                  gint64      version);
AA_AVAILABLE_IN_ALL
AaMutation      *aa_mutation_get_undo_of         (AaMutation *self);
AA_AVAILABLE_IN_ALL
AaMutation      *aa_mutation_get_undone_by       (AaMutation *self);
AA_AVAILABLE_IN_ALL
gint64           aa_mutation_get_queued_at       (AaMutation *self);
AA_AVAILABLE_IN_ALL
gint64           aa_mutation_get_sent_at         (AaMutation *self);
AA_AVAILABLE_IN_ALL
gint64           aa_mutation_get_finished_at     (AaMutation *self);

AA_AVAILABLE_IN_ALL
const char      *aa_mutation_state_get_label     (AaMutationState state); /* translated */
AA_AVAILABLE_IN_ALL
const char      *aa_policy_get_label             (AaPolicy        policy); /* translated */

G_END_DECLS
