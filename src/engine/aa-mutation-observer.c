/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-mutation-observer"

#include "config.h"

#include "aa-enums.h"
#include "aa-mutation-observer.h"

/**
 * AaMutationObserver:
 *
 * Follows one [class@Mutation] for a widget: the concept TanStack Query
 * calls `MutationObserver`.
 *
 * A row that starts a mutation sets it as the observer's
 * [property@MutationObserver:mutation] and binds to, or connects to the
 * notifications of, the observer's read-only properties: its
 * [property@MutationObserver:state], whether to show it
 * [property@MutationObserver:busy], its current
 * [property@MutationObserver:message] (a failure, or the words of a
 * mutation that waits or is not confirmed yet), its
 * [property@MutationObserver:error] and whether it is
 * [property@MutationObserver:settled]. Each is notified only when its value
 * changes. The observer keeps following a settled mutation, since a retry
 * makes it pending again, until it is given another one (or %NULL, when a
 * list row is reused for another object) or is finalized; it holds a
 * reference on the mutation and no signal handler outlives it.
 *
 * Since: 0.2
 */

struct _AaMutationObserver
{
  GObject          parent_instance;

  AaMutation      *mutation;
  AaMutationState  state;
  gboolean         busy;
  gboolean         settled;
  char            *message;
  GError          *error;
};

G_DEFINE_FINAL_TYPE (AaMutationObserver, aa_mutation_observer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MUTATION,
  PROP_STATE,
  PROP_BUSY,
  PROP_MESSAGE,
  PROP_ERROR,
  PROP_SETTLED,
  N_PROPS
};

enum {
  SIGNAL_SETTLED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* Copies what the mutation says now, notifying what changed; with
 * @announce, emits "settled" when the mutation followed stops being pending. */
static void
sync_from_mutation (AaMutationObserver *self,
                    gboolean            announce)
{
  AaMutation *mutation = self->mutation;
  AaMutationState state = AA_MUTATION_STATE_QUEUED;
  gboolean busy = FALSE, settled = FALSE, was_settled = self->settled;
  const char *message = NULL;
  const GError *error = NULL;

  if (mutation != NULL) {
    state = aa_mutation_get_state (mutation);
    settled = !aa_mutation_is_pending (mutation);
    busy = !settled && aa_mutation_get_policy (mutation) == AA_POLICY_PESSIMISTIC;
    message = aa_mutation_get_message (mutation);
    error = aa_mutation_get_error (mutation);
  }

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state) {
    self->state = state;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  }
  if (self->busy != busy) {
    self->busy = busy;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
  }
  if (self->error != error &&
      (self->error == NULL || error == NULL ||
       self->error->domain != error->domain || self->error->code != error->code ||
       g_strcmp0 (self->error->message, error->message) != 0)) {
    g_clear_error (&self->error);
    self->error = error != NULL ? g_error_copy (error) : NULL;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
  }
  if (g_strcmp0 (self->message, message) != 0) {
    g_free (self->message);
    self->message = g_strdup (message);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);
  }
  if (self->settled != settled) {
    self->settled = settled;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SETTLED]);
  }

  g_object_thaw_notify (G_OBJECT (self));

  if (announce && settled && !was_settled)
    g_signal_emit (self, signals[SIGNAL_SETTLED], 0);
}

static void
mutation_changed_cb (AaMutationObserver *self)
{
  sync_from_mutation (self, TRUE);
}

static void
aa_mutation_observer_dispose (GObject *object)
{
  AaMutationObserver *self = AA_MUTATION_OBSERVER (object);

  if (self->mutation != NULL)
    g_signal_handlers_disconnect_by_data (self->mutation, self);
  g_clear_object (&self->mutation);

  G_OBJECT_CLASS (aa_mutation_observer_parent_class)->dispose (object);
}

static void
aa_mutation_observer_finalize (GObject *object)
{
  AaMutationObserver *self = AA_MUTATION_OBSERVER (object);

  g_free (self->message);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (aa_mutation_observer_parent_class)->finalize (object);
}

static void
aa_mutation_observer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AaMutationObserver *self = AA_MUTATION_OBSERVER (object);

  switch (prop_id) {
  case PROP_MUTATION:
    g_value_set_object (value, self->mutation);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_BUSY:
    g_value_set_boolean (value, self->busy);
    break;
  case PROP_MESSAGE:
    g_value_set_string (value, self->message);
    break;
  case PROP_ERROR:
    g_value_set_boxed (value, self->error);
    break;
  case PROP_SETTLED:
    g_value_set_boolean (value, self->settled);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_mutation_observer_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AaMutationObserver *self = AA_MUTATION_OBSERVER (object);

  switch (prop_id) {
  case PROP_MUTATION:
    aa_mutation_observer_set_mutation (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_mutation_observer_class_init (AaMutationObserverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = aa_mutation_observer_dispose;
  object_class->finalize = aa_mutation_observer_finalize;
  object_class->get_property = aa_mutation_observer_get_property;
  object_class->set_property = aa_mutation_observer_set_property;

  /**
   * AaMutationObserver:mutation:
   *
   * The mutation followed, or %NULL. Setting another one stops following
   * the previous one.
   *
   * Since: 0.2
   */
  props[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL, AA_TYPE_MUTATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AaMutationObserver:state:
   *
   * The state of the mutation followed; %AA_MUTATION_STATE_QUEUED without one.
   *
   * Since: 0.2
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       AA_TYPE_MUTATION_STATE, AA_MUTATION_STATE_QUEUED, flags);
  /**
   * AaMutationObserver:busy:
   *
   * Whether a widget shows the mutation as in progress: a pessimistic
   * mutation while it is pending (queued, sent, waiting, or of unknown
   * outcome, "not confirmed yet"), since nothing of it is shown until the
   * server confirms it, like [property@Resource:busy]. An optimistic
   * mutation is never busy: its change shows at once (see
   * [property@MutationObserver:settled]). %FALSE without a mutation.
   *
   * Since: 0.2
   */
  props[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  /**
   * AaMutationObserver:message:
   *
   * The mutation's current words ([property@Mutation:message]): what failed
   * and what to do next, or, while it waits or its outcome is unknown,
   * what is happening to it; %NULL when it has nothing to say.
   *
   * Since: 0.2
   */
  props[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);
  /**
   * AaMutationObserver:error:
   *
   * The mutation's failure ([property@Mutation:error]), or %NULL.
   *
   * Since: 0.2
   */
  props[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  /**
   * AaMutationObserver:settled:
   *
   * Whether the mutation followed is no longer pending (succeeded, failed,
   * rolled back, undone or coalesced). %FALSE without a mutation.
   *
   * Since: 0.2
   */
  props[PROP_SETTLED] =
    g_param_spec_boolean ("settled", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * AaMutationObserver::settled:
   * @self: the observer
   *
   * Emitted when the mutation followed stops being pending, after the
   * properties are notified. A retry makes it pending again, so it may be
   * emitted again for the same mutation; it is not emitted for a mutation
   * that is already settled when it is given.
   *
   * Since: 0.2
   */
  signals[SIGNAL_SETTLED] =
    g_signal_new ("settled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
aa_mutation_observer_init (AaMutationObserver *self)
{
  self->state = AA_MUTATION_STATE_QUEUED;
}

/**
 * aa_mutation_observer_new:
 * @mutation: (nullable): the mutation to follow, or %NULL
 *
 * Creates an observer that follows @mutation.
 *
 * Returns: (transfer full): a new observer
 *
 * Since: 0.2
 */
AaMutationObserver *
aa_mutation_observer_new (AaMutation *mutation)
{
  g_return_val_if_fail (mutation == NULL || AA_IS_MUTATION (mutation), NULL);

  return g_object_new (AA_TYPE_MUTATION_OBSERVER, "mutation", mutation, NULL);
}

/**
 * aa_mutation_observer_get_mutation:
 * @self: an observer
 *
 * Gets the mutation followed ([property@MutationObserver:mutation]).
 *
 * Returns: (transfer none) (nullable): the mutation, or %NULL
 *
 * Since: 0.2
 */
AaMutation *
aa_mutation_observer_get_mutation (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), NULL);

  return self->mutation;
}

/**
 * aa_mutation_observer_set_mutation:
 * @self: an observer
 * @mutation: (nullable): the mutation to follow, or %NULL
 *
 * Follows @mutation instead of the previous one, whose signals are
 * disconnected; every property then says what @mutation says.
 *
 * Since: 0.2
 */
void
aa_mutation_observer_set_mutation (AaMutationObserver *self,
                                   AaMutation         *mutation)
{
  g_return_if_fail (AA_IS_MUTATION_OBSERVER (self));
  g_return_if_fail (mutation == NULL || AA_IS_MUTATION (mutation));

  if (self->mutation == mutation)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->mutation != NULL)
    g_signal_handlers_disconnect_by_data (self->mutation, self);
  g_set_object (&self->mutation, mutation);
  if (mutation != NULL) {
    g_signal_connect_object (mutation, "notify::state", G_CALLBACK (mutation_changed_cb), self, G_CONNECT_SWAPPED);
    /* An unknown outcome let go stops being pending in the same state. */
    g_signal_connect_object (mutation, "notify::pending", G_CALLBACK (mutation_changed_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (mutation, "notify::message", G_CALLBACK (mutation_changed_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (mutation, "notify::error", G_CALLBACK (mutation_changed_cb), self, G_CONNECT_SWAPPED);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTATION]);
  /* A mutation given already settled is read from the property, not
   * announced. */
  sync_from_mutation (self, FALSE);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * aa_mutation_observer_get_state:
 * @self: an observer
 *
 * Gets the state of the mutation followed
 * ([property@MutationObserver:state]).
 *
 * Returns: its state; %AA_MUTATION_STATE_QUEUED without a mutation
 *
 * Since: 0.2
 */
AaMutationState
aa_mutation_observer_get_state (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), AA_MUTATION_STATE_QUEUED);

  return self->state;
}

/**
 * aa_mutation_observer_get_busy:
 * @self: an observer
 *
 * Says whether a widget shows the mutation as in progress: a pessimistic
 * one while it is pending ([property@MutationObserver:busy]).
 *
 * Returns: whether it is busy
 *
 * Since: 0.2
 */
gboolean
aa_mutation_observer_get_busy (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), FALSE);

  return self->busy;
}

/**
 * aa_mutation_observer_get_message:
 * @self: an observer
 *
 * Gets the current words of the mutation followed
 * ([property@MutationObserver:message]).
 *
 * Returns: (nullable): its message, or %NULL
 *
 * Since: 0.2
 */
const char *
aa_mutation_observer_get_message (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), NULL);

  return self->message;
}

/**
 * aa_mutation_observer_get_error:
 * @self: an observer
 *
 * Gets the failure of the mutation followed
 * ([property@MutationObserver:error]).
 *
 * Returns: (transfer none) (nullable): its error, or %NULL
 *
 * Since: 0.2
 */
const GError *
aa_mutation_observer_get_error (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), NULL);

  return self->error;
}

/**
 * aa_mutation_observer_get_settled:
 * @self: an observer
 *
 * Says whether the mutation followed is no longer pending
 * ([property@MutationObserver:settled]).
 *
 * Returns: whether it is settled; %FALSE without a mutation
 *
 * Since: 0.2
 */
gboolean
aa_mutation_observer_get_settled (AaMutationObserver *self)
{
  g_return_val_if_fail (AA_IS_MUTATION_OBSERVER (self), FALSE);

  return self->settled;
}
