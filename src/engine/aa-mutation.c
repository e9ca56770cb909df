/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-mutation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-mutation-private.h"
#include "aa-operation.h"
#include "aa-resource.h"
#include "aa-rest-client.h"

/**
 * AaMutation:
 *
 * One user intention: an operation applied to a target, with its patch, its
 * idempotency key (the same on every retry), its state and its timing.
 *
 * Mutations are created with aa_mutation_new() and run by [class@Engine];
 * only the engine changes their state.
 */

struct _AaMutation
{
  GObject          parent_instance;

  AaOperation     *operation;
  char            *label;
  AaResource      *target;
  char            *idempotency_key;
  AaMutationState  state;
  GError          *error;
  char            *message;
  guint            attempts;
  gboolean         replayed;
  JsonObject      *patch;
  AaMutation      *undo_of;
  AaMutation      *undone_by;  /* weak */
  gint64           queued_at;
  gint64           sent_at;
  gint64           finished_at;

  /* For the engine and the messages. */
  char            *subject;
  JsonObject      *inverse;
  gint64           base_version;
  gboolean         dismissed;
  /* The last request that may have reached the server, and what its
   * backend promised: NULL when nothing of it can have been applied. */
  char            *sent_method;
  AaBackendFeatures sent_to;

  /* The engine's, while it finds out what happened to it
   * (aa-mutation-private.h). */
  GError          *lost_answer;
  JsonNode        *event_state;
  guint            n_in_flight_answers;
  gboolean         checking;
  guint            journaled;
};

G_DEFINE_FINAL_TYPE (AaMutation, aa_mutation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OPERATION,
  PROP_POLICY,
  PROP_LABEL,
  PROP_TARGET,
  PROP_IDEMPOTENCY_KEY,
  PROP_STATE,
  PROP_PENDING,
  PROP_ERROR,
  PROP_MESSAGE,
  PROP_ATTEMPTS,
  PROP_REPLAYED,
  PROP_UNDO_OF,
  PROP_UNDONE_BY,
  PROP_QUEUED_AT,
  PROP_SENT_AT,
  PROP_FINISHED_AT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
aa_mutation_finalize (GObject *object)
{
  AaMutation *self = AA_MUTATION (object);

  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->sent_method, g_free);
  g_clear_object (&self->operation);
  g_clear_object (&self->target);
  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->patch, json_object_unref);
  g_clear_object (&self->undo_of);
  g_clear_weak_pointer (&self->undone_by);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->inverse, json_object_unref);
  g_clear_error (&self->lost_answer);
  g_clear_pointer (&self->event_state, json_node_unref);

  G_OBJECT_CLASS (aa_mutation_parent_class)->finalize (object);
}

static void
aa_mutation_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AaMutation *self = AA_MUTATION (object);

  switch (prop_id) {
  case PROP_OPERATION:
    g_value_set_object (value, self->operation);
    break;
  case PROP_POLICY:
    g_value_set_enum (value, aa_operation_get_policy (self->operation));
    break;
  case PROP_LABEL:
    g_value_set_string (value, aa_mutation_get_label (self));
    break;
  case PROP_TARGET:
    g_value_set_object (value, self->target);
    break;
  case PROP_IDEMPOTENCY_KEY:
    g_value_set_string (value, self->idempotency_key);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_PENDING:
    g_value_set_boolean (value, aa_mutation_is_pending (self));
    break;
  case PROP_ERROR:
    g_value_set_boxed (value, self->error);
    break;
  case PROP_MESSAGE:
    g_value_set_string (value, self->message);
    break;
  case PROP_ATTEMPTS:
    g_value_set_uint (value, self->attempts);
    break;
  case PROP_REPLAYED:
    g_value_set_boolean (value, self->replayed);
    break;
  case PROP_UNDO_OF:
    g_value_set_object (value, self->undo_of);
    break;
  case PROP_UNDONE_BY:
    g_value_set_object (value, self->undone_by);
    break;
  case PROP_QUEUED_AT:
    g_value_set_int64 (value, self->queued_at);
    break;
  case PROP_SENT_AT:
    g_value_set_int64 (value, self->sent_at);
    break;
  case PROP_FINISHED_AT:
    g_value_set_int64 (value, self->finished_at);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_mutation_class_init (AaMutationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = aa_mutation_finalize;
  object_class->get_property = aa_mutation_get_property;

  /**
   * AaMutation:operation:
   *
   * What kind of action it is.
   */
  props[PROP_OPERATION] =
    g_param_spec_object ("operation", NULL, NULL, AA_TYPE_OPERATION, flags);
  /**
   * AaMutation:policy:
   *
   * Its operation's policy.
   */
  props[PROP_POLICY] =
    g_param_spec_enum ("policy", NULL, NULL,
                       AA_TYPE_POLICY, AA_POLICY_OPTIMISTIC, flags);
  /**
   * AaMutation:label:
   *
   * What it does, naming the object.
   */
  props[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, flags);
  /**
   * AaMutation:target:
   *
   * The resource it changes, or %NULL.
   */
  props[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, AA_TYPE_RESOURCE, flags);
  /**
   * AaMutation:idempotency-key:
   *
   * The same `Idempotency-Key` on every attempt.
   */
  props[PROP_IDEMPOTENCY_KEY] =
    g_param_spec_string ("idempotency-key", NULL, NULL, NULL, flags);
  /**
   * AaMutation:state:
   *
   * Where it is in its life.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       AA_TYPE_MUTATION_STATE, AA_MUTATION_STATE_QUEUED, flags);
  /**
   * AaMutation:pending:
   *
   * Whether it is unsettled: queued, sent, waiting or of unknown outcome.
   */
  props[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  /**
   * AaMutation:error:
   *
   * Its last failure, or %NULL.
   */
  props[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  /**
   * AaMutation:message:
   *
   * Its failure message: what failed and what to do next; or, while it is
   * WAITING or UNKNOWN, what is happening to it ("not confirmed yet"),
   * never worded as a failure.
   */
  props[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);
  /**
   * AaMutation:attempts:
   *
   * How many requests were sent for it.
   */
  props[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * AaMutation:replayed:
   *
   * Whether the last answer replayed an earlier one for the same key.
   */
  props[PROP_REPLAYED] =
    g_param_spec_boolean ("replayed", NULL, NULL, FALSE, flags);
  /**
   * AaMutation:undo-of:
   *
   * For an undo, the mutation it undoes.
   */
  props[PROP_UNDO_OF] =
    g_param_spec_object ("undo-of", NULL, NULL, AA_TYPE_MUTATION, flags);
  /**
   * AaMutation:undone-by:
   *
   * Its undo, once it was undone.
   */
  props[PROP_UNDONE_BY] =
    g_param_spec_object ("undone-by", NULL, NULL, AA_TYPE_MUTATION, flags);
  /**
   * AaMutation:queued-at:
   *
   * When it was last queued (monotonic microseconds).
   */
  props[PROP_QUEUED_AT] =
    g_param_spec_int64 ("queued-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * AaMutation:sent-at:
   *
   * When its last request left (monotonic microseconds), or 0.
   */
  props[PROP_SENT_AT] =
    g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * AaMutation:finished-at:
   *
   * When it settled (monotonic microseconds), or 0.
   */
  props[PROP_FINISHED_AT] =
    g_param_spec_int64 ("finished-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_mutation_init (AaMutation *self)
{
}

/**
 * aa_mutation_new:
 * @operation: what kind of action it is
 * @target: (nullable): the resource it changes, or %NULL for an action on
 *   a whole collection
 * @subject: (nullable): how messages name the object, such as its title
 * @patch: (nullable): the fields it sets: the request body and the
 *   optimistic change of field-setting operations
 *
 * Creates a mutation with a new idempotency key. Run it with aa_engine_run().
 *
 * Returns: (transfer full): a new mutation
 */
AaMutation *
aa_mutation_new (AaOperation *operation,
                 AaResource  *target,
                 const char  *subject,
                 JsonObject  *patch)
{
  AaMutation *self;

  g_return_val_if_fail (AA_IS_OPERATION (operation), NULL);
  g_return_val_if_fail (target == NULL || AA_IS_RESOURCE (target), NULL);

  self = g_object_new (AA_TYPE_MUTATION, NULL);
  self->operation = g_object_ref (operation);
  self->target = target ? g_object_ref (target) : NULL;
  self->subject = g_strdup (subject);
  self->patch = patch ? json_object_ref (patch) : NULL;
  self->idempotency_key = aa_rest_client_new_idempotency_key ();
  self->state = AA_MUTATION_STATE_QUEUED;
  self->queued_at = g_get_monotonic_time ();
  self->base_version = -1;

  return self;
}

/**
 * aa_mutation_get_operation:
 * @self: a mutation
 *
 * Gets the kind of action of the mutation.
 *
 * Returns: (transfer none): its operation
 */
AaOperation *
aa_mutation_get_operation (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->operation;
}

/**
 * aa_mutation_get_policy:
 * @self: a mutation
 *
 * Gets whether the mutation is optimistic or pessimistic.
 *
 * Returns: its operation's policy
 */
AaPolicy
aa_mutation_get_policy (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), AA_POLICY_OPTIMISTIC);
  return aa_operation_get_policy (self->operation);
}

/**
 * aa_mutation_get_label:
 * @self: a mutation
 *
 * Gets what the mutation does, in words.
 *
 * Returns: what it does, naming the object, for lists and logs: "Star “Read later”"
 */
const char *
aa_mutation_get_label (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);

  /* Built on first use, so that an app can attach what its messages need
   * to a new mutation before anything reads them. */
  if (self->label == NULL)
    self->label = aa_operation_format_label (self->operation, self);
  return self->label;
}

/**
 * aa_mutation_get_target:
 * @self: a mutation
 *
 * Gets the resource the mutation changes.
 *
 * Returns: (transfer none) (nullable): the resource it changes, or %NULL
 */
AaResource *
aa_mutation_get_target (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->target;
}

/**
 * aa_mutation_get_idempotency_key:
 * @self: a mutation
 *
 * Gets the mutation's idempotency key.
 *
 * Returns: its `Idempotency-Key`: the same on every retry of it
 */
const char *
aa_mutation_get_idempotency_key (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->idempotency_key;
}

/**
 * aa_mutation_get_state:
 * @self: a mutation
 *
 * Gets the state of the mutation.
 *
 * Returns: where it is in its life
 */
AaMutationState
aa_mutation_get_state (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), AA_MUTATION_STATE_QUEUED);
  return self->state;
}

/**
 * aa_mutation_is_pending:
 * @self: a mutation
 *
 * Says whether the mutation is not settled yet.
 *
 * Returns: %TRUE while it is queued, sent, waiting for the server to be
 *   reachable, or of unknown outcome (unless the user let it go:
 *   aa_engine_dismiss()): not settled yet
 */
gboolean
aa_mutation_is_pending (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), FALSE);
  /* An unknown outcome the user let go (aa_engine_dismiss()) is nobody's
   * to wait for any more, though it stays unknown. */
  return self->state == AA_MUTATION_STATE_QUEUED || self->state == AA_MUTATION_STATE_SENT ||
         self->state == AA_MUTATION_STATE_WAITING ||
         (self->state == AA_MUTATION_STATE_UNKNOWN && !self->dismissed);
}

typedef struct {
  gulong        pending_id;
  GCancellable *cancellable;
  gulong        cancelled_id;
} Wait;

static void
wait_free (Wait *wait)
{
  g_clear_object (&wait->cancellable);
  g_free (wait);
}

/* Ends a wait: takes the reference on @task that the handlers held. */
static void
wait_end (GTask *task)
{
  AaMutation *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);

  g_clear_signal_handler (&wait->pending_id, self);
  if (wait->cancellable != NULL)
    g_clear_signal_handler (&wait->cancelled_id, wait->cancellable);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
wait_pending_cb (AaMutation *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  if (!aa_mutation_is_pending (self))
    wait_end (user_data);
}

static void
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  wait_end (user_data);
}

/**
 * aa_mutation_wait_async:
 * @self: a mutation
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called once @self is settled
 * @user_data: (closure): the data passed to @callback
 *
 * Waits, without blocking, until @self is no longer pending (see
 * [method@Mutation.is_pending]): the way to follow one mutation outside a
 * GUI, in a script or a test. If it is settled already, @callback runs on
 * the next iteration of the thread-default main context.
 *
 * How it ended is its [property@Mutation:state] and its
 * [property@Mutation:error]; a retry ([method@Engine.retry]) makes it
 * pending again, to be waited for again. Call it on the thread that runs
 * the engine.
 */
void
aa_mutation_wait_async (AaMutation          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Wait *wait;

  g_return_if_fail (AA_IS_MUTATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_mutation_wait_async);

  if (!aa_mutation_is_pending (self) || g_cancellable_is_cancelled (cancellable)) {
    if (!g_task_return_error_if_cancelled (task))
      g_task_return_boolean (task, TRUE);
    return;
  }

  wait = g_new0 (Wait, 1);
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);
  wait->pending_id = g_signal_connect (self, "notify::pending", G_CALLBACK (wait_pending_cb), task);
  if (cancellable != NULL) {
    wait->cancellable = g_object_ref (cancellable);
    wait->cancelled_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (wait_cancelled_cb), task);
  }
  /* The handlers hold the task until one of them ends the wait. */
  g_steal_pointer (&task);
}

/**
 * aa_mutation_wait_finish:
 * @self: a mutation
 * @result: the result passed to the callback
 * @error: return location for a #GError (only %G_IO_ERROR_CANCELLED)
 *
 * Finishes [method@Mutation.wait_async].
 *
 * Returns: %TRUE once @self is settled, %FALSE if the wait was cancelled
 */
gboolean
aa_mutation_wait_finish (AaMutation    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aa_mutation_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * aa_mutation_get_error:
 * @self: a mutation
 *
 * Gets the error of the mutation's last failure.
 *
 * Returns: (nullable): its last failure
 */
const GError *
aa_mutation_get_error (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->error;
}

/**
 * aa_mutation_get_message:
 * @self: a mutation
 *
 * Gets the message of the mutation's last failure.
 *
 * Returns: (nullable): its failure message, both parts: what failed and
 *   what to do next; while it is WAITING or UNKNOWN, what is happening
 *   to it, never worded as a failure
 */
const char *
aa_mutation_get_message (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->message;
}

/**
 * aa_mutation_get_attempts:
 * @self: a mutation
 *
 * Gets the number of requests sent for the mutation.
 *
 * Returns: how many requests were sent for it; a retry sends another with the same key
 */
guint
aa_mutation_get_attempts (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), 0);
  return self->attempts;
}

/**
 * aa_mutation_get_replayed:
 * @self: a mutation
 *
 * Says whether the server replayed an earlier answer for the mutation's key.
 *
 * Returns: %TRUE when the last answer replayed an earlier one for the same key
 */
gboolean
aa_mutation_get_replayed (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), FALSE);
  return self->replayed;
}

/**
 * aa_mutation_get_patch:
 * @self: a mutation
 *
 * Gets the fields the mutation sets.
 *
 * Returns: (transfer none) (nullable): the fields it sets
 */
JsonObject *
aa_mutation_get_patch (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->patch;
}

/**
 * aa_mutation_get_undo_of:
 * @self: a mutation
 *
 * Gets the mutation this one undoes.
 *
 * Returns: (transfer none) (nullable): for an undo, the mutation it undoes
 */
AaMutation *
aa_mutation_get_undo_of (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->undo_of;
}

/**
 * aa_mutation_get_undone_by:
 * @self: a mutation
 *
 * Gets the mutation that undid this one.
 *
 * Returns: (transfer none) (nullable): its undo, if it was undone
 */
AaMutation *
aa_mutation_get_undone_by (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->undone_by;
}

/**
 * aa_mutation_get_queued_at:
 * @self: a mutation
 *
 * Gets when the mutation was last queued.
 *
 * Returns: when it was last queued, in monotonic microseconds
 */
gint64
aa_mutation_get_queued_at (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), 0);
  return self->queued_at;
}

/**
 * aa_mutation_get_sent_at:
 * @self: a mutation
 *
 * Gets when the mutation's last request was sent.
 *
 * Returns: when its last request was sent, in monotonic microseconds, or 0
 */
gint64
aa_mutation_get_sent_at (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), 0);
  return self->sent_at;
}

/**
 * aa_mutation_get_finished_at:
 * @self: a mutation
 *
 * Gets when the mutation settled.
 *
 * Returns: when it settled, in monotonic microseconds, or 0
 */
gint64
aa_mutation_get_finished_at (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), 0);
  return self->finished_at;
}

/**
 * aa_mutation_state_get_label:
 * @state: a state
 *
 * Gets the name of a mutation state, for people.
 *
 * Returns: the state for people, translated: "Rolled back"
 */
const char *
aa_mutation_state_get_label (AaMutationState state)
{
  switch (state) {
  case AA_MUTATION_STATE_QUEUED:
    return _("Queued");
  case AA_MUTATION_STATE_SENT:
    return _("Sent");
  case AA_MUTATION_STATE_SUCCEEDED:
    return _("Succeeded");
  case AA_MUTATION_STATE_FAILED:
    return _("Failed");
  case AA_MUTATION_STATE_ROLLED_BACK:
    return _("Rolled back");
  case AA_MUTATION_STATE_UNDONE:
    return _("Undone");
  case AA_MUTATION_STATE_COALESCED:
    return _("Coalesced");
  case AA_MUTATION_STATE_WAITING:
    return _("Waiting to be sent");
  case AA_MUTATION_STATE_UNKNOWN:
    return _("Not confirmed yet");
  default:
    g_return_val_if_reached (NULL);
  }
}

/**
 * aa_policy_get_label:
 * @policy: a policy
 *
 * Gets the name of a policy, for people.
 *
 * Returns: the policy for people, translated: "Optimistic"
 */
const char *
aa_policy_get_label (AaPolicy policy)
{
  switch (policy) {
  case AA_POLICY_OPTIMISTIC:
    return _("Optimistic");
  case AA_POLICY_PESSIMISTIC:
    return _("Pessimistic");
  default:
    g_return_val_if_reached (NULL);
  }
}

/**
 * aa_mutation_get_subject:
 * @self: a mutation
 *
 * Gets how the messages of the mutation name its object.
 *
 * Returns: (nullable): how messages name its object
 */
const char *
aa_mutation_get_subject (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->subject;
}

/* Private API for the engine. */

void
aa_mutation_set_state (AaMutation      *self,
                       AaMutationState  state)
{
  gboolean was_pending;

  g_assert (AA_IS_MUTATION (self));

  if (self->state == state)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  was_pending = aa_mutation_is_pending (self);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);

  if (state == AA_MUTATION_STATE_QUEUED) {
    self->queued_at = g_get_monotonic_time ();
    self->finished_at = 0;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_QUEUED_AT]);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FINISHED_AT]);
  } else if (state == AA_MUTATION_STATE_SENT) {
    self->sent_at = g_get_monotonic_time ();
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SENT_AT]);
  } else {
    self->finished_at = g_get_monotonic_time ();
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FINISHED_AT]);
  }

  if (was_pending != aa_mutation_is_pending (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING]);

  /* A mutation on its way again has no failure to show, and one that
   * waits or is being checked says so in words of its own (set after). */
  if (aa_mutation_is_pending (self) && self->error != NULL) {
    g_clear_error (&self->error);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
  }
  if (aa_mutation_is_pending (self) && self->message != NULL) {
    g_clear_pointer (&self->message, g_free);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);
  }

  g_object_thaw_notify (G_OBJECT (self));
}

void
aa_mutation_begin_attempt (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));

  g_object_freeze_notify (G_OBJECT (self));
  self->attempts++;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ATTEMPTS]);
  aa_mutation_set_state (self, AA_MUTATION_STATE_SENT);
  g_object_thaw_notify (G_OBJECT (self));
}

void
aa_mutation_fail (AaMutation      *self,
                  AaMutationState  state,
                  const GError    *error,
                  const char      *message)
{
  g_assert (AA_IS_MUTATION (self));
  g_assert (state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK);
  g_assert (error != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);

  self->dismissed = FALSE;
  aa_mutation_set_state (self, state);

  g_object_thaw_notify (G_OBJECT (self));
}

void
aa_mutation_set_message (AaMutation *self,
                         const char *message)
{
  g_assert (AA_IS_MUTATION (self));

  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);
}

void
aa_mutation_set_sent (AaMutation        *self,
                      const char        *method,
                      AaBackendFeatures  features)
{
  g_assert (AA_IS_MUTATION (self));

  g_free (self->sent_method);
  self->sent_method = g_strdup (method);
  self->sent_to = features;
}

const char *
aa_mutation_get_sent_method (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));

  return self->sent_method;
}

/* Whether @method is idempotent by itself: sent twice, applied as once.
 * A PATCH is when it only sets fields (to the same values again). */
static gboolean
method_is_idempotent (const char       *method,
                      AaOperationFlags  flags)
{
  if (g_ascii_strcasecmp (method, "PATCH") == 0)
    return (flags & AA_OPERATION_SETS_FIELDS) != 0;

  return g_ascii_strcasecmp (method, "POST") != 0;
}

/* Whether a request that failed with @error may still have been applied:
 * its answer was lost, the server failed while handling it (5xx), or it
 * answered a success we could not read. A refusal (4xx) applied nothing. */
static gboolean
may_have_applied (const GError *error)
{
  return error == NULL ||
         g_error_matches (error, AA_ERROR, AA_ERROR_TIMEOUT) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_SERVER) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_BAD_RESPONSE) ||
         error->domain != AA_ERROR;
}

gboolean
aa_mutation_can_send_again (AaMutation   *self,
                            const GError *error)
{
  g_assert (AA_IS_MUTATION (self));

  if (self->sent_method == NULL)
    return TRUE;
  if (self->sent_to & AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS)
    return TRUE;
  if (method_is_idempotent (self->sent_method, aa_operation_get_flags (self->operation)))
    return TRUE;

  return !may_have_applied (error);
}

void
aa_mutation_set_replayed (AaMutation *self,
                          gboolean    replayed)
{
  g_assert (AA_IS_MUTATION (self));

  replayed = !!replayed;
  if (self->replayed != replayed) {
    self->replayed = replayed;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REPLAYED]);
  }
}

void
aa_mutation_link_undo (AaMutation *original,
                       AaMutation *undo)
{
  g_assert (AA_IS_MUTATION (original));
  g_assert (AA_IS_MUTATION (undo));
  g_assert (undo->undo_of == NULL);

  undo->undo_of = g_object_ref (original);
  g_object_notify_by_pspec (G_OBJECT (undo), props[PROP_UNDO_OF]);

  g_set_weak_pointer (&original->undone_by, undo);
  g_object_notify_by_pspec (G_OBJECT (original), props[PROP_UNDONE_BY]);
}

/**
 * aa_mutation_get_inverse:
 * @self: a mutation
 *
 * For an %AA_OPERATION_SETS_FIELDS operation, the values its fields showed
 * just before it: the patch of its undo.
 *
 * Returns: (transfer none) (nullable): the inverse patch
 */
JsonObject *
aa_mutation_get_inverse (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), NULL);
  return self->inverse;
}

void
aa_mutation_set_inverse (AaMutation *self,
                         JsonObject *inverse)
{
  g_assert (AA_IS_MUTATION (self));

  if (inverse != NULL)
    json_object_ref (inverse);
  g_clear_pointer (&self->inverse, json_object_unref);
  self->inverse = inverse;
}

/**
 * aa_mutation_get_base_version:
 * @self: a mutation
 *
 * The version of its target that its values are based on: the "version"
 * member of the target's confirmed state when it started (or was retried),
 * moved on only by our own changes that settled ahead of it. An operation
 * that must never overwrite someone else's change sends it as `If-Match`.
 *
 * Returns: the base version, or -1 when none is known
 */
gint64
aa_mutation_get_base_version (AaMutation *self)
{
  g_return_val_if_fail (AA_IS_MUTATION (self), -1);
  return self->base_version;
}

/**
 * aa_mutation_set_base_version:
 * @self: a mutation, not yet run
 * @version: the version its values are based on, or -1 for the one its
 *   target has when it runs
 *
 * Bases the mutation on an older version than its target's: for an editor
 * whose user kept their text over a change made elsewhere, so that an
 * operation that sends `If-Match` meets the conflict instead of
 * overwriting that change.
 */
void
aa_mutation_set_base_version (AaMutation *self,
                              gint64      version)
{
  g_return_if_fail (AA_IS_MUTATION (self));
  self->base_version = version;
}

void
aa_mutation_restore (AaMutation *self,
                     const char *idempotency_key,
                     guint       attempts)
{
  g_assert (AA_IS_MUTATION (self));
  g_assert (idempotency_key != NULL);

  g_free (self->idempotency_key);
  self->idempotency_key = g_strdup (idempotency_key);
  self->attempts = attempts;
}

gboolean
aa_mutation_get_dismissed (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return self->dismissed;
}

void
aa_mutation_set_dismissed (AaMutation *self,
                           gboolean    dismissed)
{
  gboolean was_pending;

  g_assert (AA_IS_MUTATION (self));

  was_pending = aa_mutation_is_pending (self);
  self->dismissed = !!dismissed;
  if (was_pending != aa_mutation_is_pending (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING]);
}

const GError *
aa_mutation_get_lost_answer (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return self->lost_answer;
}

void
aa_mutation_set_lost_answer (AaMutation   *self,
                             const GError *error)
{
  g_assert (AA_IS_MUTATION (self));

  g_clear_error (&self->lost_answer);
  if (error != NULL)
    self->lost_answer = g_error_copy (error);
}

JsonNode *
aa_mutation_get_event_state (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return self->event_state;
}

void
aa_mutation_set_event_state (AaMutation *self,
                             JsonNode   *state)
{
  g_assert (AA_IS_MUTATION (self));

  g_clear_pointer (&self->event_state, json_node_unref);
  if (state != NULL)
    self->event_state = json_node_ref (state);
}

guint
aa_mutation_add_in_flight_answer (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return ++self->n_in_flight_answers;
}

void
aa_mutation_forget_lost_answer (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));

  g_clear_error (&self->lost_answer);
  g_clear_pointer (&self->event_state, json_node_unref);
  self->n_in_flight_answers = 0;
}

gboolean
aa_mutation_get_checking (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return self->checking;
}

void
aa_mutation_set_checking (AaMutation *self,
                          gboolean    checking)
{
  g_assert (AA_IS_MUTATION (self));
  self->checking = !!checking;
}

guint
aa_mutation_get_journaled (AaMutation *self)
{
  g_assert (AA_IS_MUTATION (self));
  return self->journaled;
}

void
aa_mutation_set_journaled (AaMutation *self,
                           guint       journaled)
{
  g_assert (AA_IS_MUTATION (self));
  self->journaled = journaled;
}
