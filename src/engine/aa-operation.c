/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-operation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-feedback.h"
#include "aa-mutation-private.h"
#include "aa-operation-private.h"
#include "aa-resource-private.h"

/**
 * AaOperation:
 *
 * A kind of action an app offers ("star a bookmark", "pay an invoice"): its
 * row in the rules table and the answers to the engine's questions about
 * each of its mutations.
 *
 * An app declares one operation per kind of action, usually by subclassing
 * and overriding [vfunc@Operation.build_request]; the defaults of the other
 * virtual functions suit an operation that sets fields of its target with a
 * PATCH, and the default messages fit the request's method: a DELETE's
 * speak of deleting ("Deleted “X”", "Couldn’t delete “X”."), a POST's of
 * adding, any other's of changing. The engine never needs to change to add
 * an action.
 */

typedef struct
{
  char             *name;
  AaOperationFlags  flags;
  AaRule            rule;
} AaOperationPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AaOperation, aa_operation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FLAGS,
  PROP_POLICY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static AaRequest *
aa_operation_real_build_request (AaOperation *self,
                                 AaMutation  *mutation)
{
  g_critical ("%s does not implement AaOperation.build_request()", G_OBJECT_TYPE_NAME (self));
  return NULL;
}

static void
aa_operation_real_apply (AaOperation *self,
                         AaMutation  *mutation,
                         JsonObject  *state)
{
  JsonObject *patch = aa_mutation_get_patch (mutation);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (patch == NULL)
    return;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (state, name, json_node_copy (node));
}

static JsonObject *
aa_operation_real_confirm (AaOperation  *self,
                           AaMutation   *mutation,
                           JsonNode     *answer,
                           GError      **error)
{
  AaResource *target = aa_mutation_get_target (mutation);

  if (target == NULL)
    return NULL;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer)) {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                         _("The server’s answer has no object in it."));
    return NULL;
  }

  return aa_resource_normalize (target, json_node_get_object (answer), error);
}

static AaMutation *
aa_operation_real_make_undo (AaOperation *self,
                             AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  JsonObject *inverse = aa_mutation_get_inverse (mutation);

  if ((priv->flags & AA_OPERATION_SETS_FIELDS) == 0 || inverse == NULL)
    return NULL;

  return aa_mutation_new (self, aa_mutation_get_target (mutation),
                          aa_mutation_get_subject (mutation), inverse);
}

static const char *
subject_or_empty (AaMutation *mutation)
{
  const char *subject = aa_mutation_get_subject (mutation);

  return subject ? subject : "";
}

/* What a request does, by its method: a default message speaks of it. */
typedef enum {
  VERB_CHANGE,
  VERB_ADD,
  VERB_DELETE,
} Verb;

static Verb
verb_of (AaOperation *self,
         AaMutation  *mutation)
{
  const char *method = aa_mutation_get_sent_method (mutation);
  g_autoptr(AaRequest) request = NULL;

  /* Not sent yet: the request it will send says, if the operation builds
   * one (the base class only complains). */
  if (method == NULL && AA_OPERATION_GET_CLASS (self)->build_request != aa_operation_real_build_request) {
    request = aa_operation_build_request (self, mutation);
    method = request != NULL ? aa_request_get_method (request) : NULL;
  }

  if (method != NULL && g_ascii_strcasecmp (method, "DELETE") == 0)
    return VERB_DELETE;
  if (method != NULL && g_ascii_strcasecmp (method, "POST") == 0)
    return VERB_ADD;
  return VERB_CHANGE;
}

static char *
aa_operation_real_format_label (AaOperation *self,
                                AaMutation  *mutation)
{
  switch (verb_of (self, mutation)) {
  case VERB_ADD:
    return g_strdup_printf (_("Add “%s”"), subject_or_empty (mutation));
  case VERB_DELETE:
    return g_strdup_printf (_("Delete “%s”"), subject_or_empty (mutation));
  case VERB_CHANGE:
  default:
    return g_strdup_printf (_("Change “%s”"), subject_or_empty (mutation));
  }
}

static char *
aa_operation_real_format_success (AaOperation *self,
                                  AaMutation  *mutation)
{
  switch (verb_of (self, mutation)) {
  case VERB_ADD:
    return g_strdup_printf (_("Added “%s”"), subject_or_empty (mutation));
  case VERB_DELETE:
    return g_strdup_printf (_("Deleted “%s”"), subject_or_empty (mutation));
  case VERB_CHANGE:
  default:
    return g_strdup_printf (_("Changed “%s”"), subject_or_empty (mutation));
  }
}

static char *
aa_operation_real_format_failure (AaOperation  *self,
                                  AaMutation   *mutation,
                                  const GError *error)
{
  g_autofree char *what = NULL;

  switch (verb_of (self, mutation)) {
  case VERB_ADD:
    what = g_strdup_printf (_("Couldn’t add “%s”."), subject_or_empty (mutation));
    break;
  case VERB_DELETE:
    what = g_strdup_printf (_("Couldn’t delete “%s”."), subject_or_empty (mutation));
    break;
  case VERB_CHANGE:
  default:
    what = g_strdup_printf (_("Couldn’t change “%s”."), subject_or_empty (mutation));
    break;
  }

  return aa_feedback_compose_failure (what, mutation, error);
}

char *
aa_operation_format_unconfirmed (AaOperation *self,
                                 AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  switch (verb_of (self, mutation)) {
  case VERB_ADD:
    return g_strdup_printf (_("Couldn’t confirm “%s” was added. Reload to see whether it was."),
                            subject_or_empty (mutation));
  case VERB_DELETE:
    return g_strdup_printf (_("Couldn’t confirm “%s” was deleted. Reload to see whether it was."),
                            subject_or_empty (mutation));
  case VERB_CHANGE:
  default:
    return g_strdup_printf (_("Couldn’t confirm “%s” was changed. Reload to see whether it was."),
                            subject_or_empty (mutation));
  }
}

static gboolean
aa_operation_real_is_input_error (AaOperation  *self,
                                  AaMutation   *mutation,
                                  const GError *error)
{
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION);
}

static AaRequest *
aa_operation_real_build_check (AaOperation *self,
                               AaMutation  *mutation)
{
  return NULL;
}

static AaCheckResult
aa_operation_real_interpret_check (AaOperation *self,
                                   AaMutation  *mutation,
                                   JsonNode    *answer)
{
  return AA_CHECK_RESULT_UNKNOWN;
}

static char *
aa_operation_real_format_unknown (AaOperation *self,
                                  AaMutation  *mutation)
{
  /* Translators: a mutation's label ("Star “Read later”"), then why it isn't shown as done. */
  return g_strdup_printf (_("%s: not confirmed yet. Checking with the server…"), aa_mutation_get_label (mutation));
}

static char *
aa_operation_real_format_waiting (AaOperation *self,
                                  AaMutation  *mutation)
{
  /* Translators: a mutation's label ("Star “Read later”"), then what happens to it. */
  return g_strdup_printf (_("%s: waiting to be sent when the server is back."), aa_mutation_get_label (mutation));
}

static void
aa_operation_finalize (GObject *object)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (AA_OPERATION (object));

  g_clear_pointer (&priv->name, g_free);

  G_OBJECT_CLASS (aa_operation_parent_class)->finalize (object);
}

static void
aa_operation_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (AA_OPERATION (object));

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, priv->name);
    break;
  case PROP_FLAGS:
    g_value_set_flags (value, priv->flags);
    break;
  case PROP_POLICY:
    g_value_set_enum (value, priv->rule.policy);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_operation_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AaOperation *self = AA_OPERATION (object);
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  switch (prop_id) {
  case PROP_NAME:
    g_free (priv->name);
    priv->name = g_value_dup_string (value);
    break;
  case PROP_FLAGS:
    priv->flags = g_value_get_flags (value);
    break;
  case PROP_POLICY:
    if (priv->rule.policy != (AaPolicy) g_value_get_enum (value)) {
      priv->rule.policy = g_value_get_enum (value);
      g_object_notify_by_pspec (object, pspec);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_operation_class_init (AaOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_operation_finalize;
  object_class->get_property = aa_operation_get_property;
  object_class->set_property = aa_operation_set_property;

  klass->build_request = aa_operation_real_build_request;
  klass->apply = aa_operation_real_apply;
  klass->confirm = aa_operation_real_confirm;
  klass->make_undo = aa_operation_real_make_undo;
  klass->format_label = aa_operation_real_format_label;
  klass->format_success = aa_operation_real_format_success;
  klass->format_failure = aa_operation_real_format_failure;
  klass->is_input_error = aa_operation_real_is_input_error;
  klass->build_check = aa_operation_real_build_check;
  klass->interpret_check = aa_operation_real_interpret_check;
  klass->format_unknown = aa_operation_real_format_unknown;
  klass->format_waiting = aa_operation_real_format_waiting;

  /**
   * AaOperation:name:
   *
   * A short untranslated name for logs, such as "star".
   */
  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AaOperation:flags:
   *
   * What the engine may assume about the operation's mutations.
   */
  props[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, NULL,
                        AA_TYPE_OPERATION_FLAGS, AA_OPERATION_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AaOperation:policy:
   *
   * The policy column of the operation's rule.
   */
  props[PROP_POLICY] =
    g_param_spec_enum ("policy", NULL, NULL,
                       AA_TYPE_POLICY, AA_POLICY_OPTIMISTIC,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_operation_init (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  g_autoptr(AaRule) rule = aa_rule_new ();

  priv->rule = *rule;
}

/**
 * aa_operation_get_name:
 * @self: an operation
 *
 * Gets the operation's name.
 *
 * Returns: (nullable): the operation's name, for logs
 */
const char *
aa_operation_get_name (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  return priv->name;
}

/**
 * aa_operation_get_flags:
 * @self: an operation
 *
 * Gets the operation's flags.
 *
 * Returns: what the engine may assume about its mutations
 */
AaOperationFlags
aa_operation_get_flags (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), AA_OPERATION_NONE);
  return priv->flags;
}

/**
 * aa_operation_get_rule:
 * @self: an operation
 *
 * Gets the operation's rule.
 *
 * Returns: (transfer none): the operation's row of the rules table
 */
const AaRule *
aa_operation_get_rule (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  return &priv->rule;
}

/**
 * aa_operation_set_rule:
 * @self: an operation
 * @rule: its row of the rules table, copied
 *
 * Sets the operation's rule. Set it before the first mutation starts.
 */
void
aa_operation_set_rule (AaOperation  *self,
                       const AaRule *rule)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  gboolean policy_changed;

  g_return_if_fail (AA_IS_OPERATION (self));
  g_return_if_fail (rule != NULL);

  policy_changed = priv->rule.policy != rule->policy;
  priv->rule = *rule;
  if (policy_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POLICY]);
}

/**
 * aa_operation_get_policy:
 * @self: an operation
 *
 * Gets the operation's policy, the first column of its rule.
 *
 * Returns: whether its mutations are optimistic or pessimistic
 */
AaPolicy
aa_operation_get_policy (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), AA_POLICY_OPTIMISTIC);
  return priv->rule.policy;
}

/**
 * aa_operation_asks_first:
 * @self: an operation
 *
 * Whether the "before" column of its rule asks for a confirmation dialog.
 * Widgets ask this instead of deciding for themselves.
 *
 * Returns: %TRUE when a dialog must confirm the action before it starts
 */
gboolean
aa_operation_asks_first (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), FALSE);
  return priv->rule.before == AA_FEEDBACK_TIER_DIALOG;
}

/**
 * aa_operation_build_request:
 * @self: an operation
 * @mutation: one of its mutations, about to be sent
 *
 * Builds the request that carries @mutation to the server
 * ([vfunc@Operation.build_request]).
 *
 * Returns: (transfer full): the request that carries @mutation
 */
AaRequest *
aa_operation_build_request (AaOperation *self,
                            AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->build_request (self, mutation);
}

/**
 * aa_operation_apply:
 * @self: an operation
 * @mutation: one of its pending optimistic mutations
 * @state: a copy of the target's state, changed in place
 *
 * Lays @mutation's optimistic change on @state. The default sets the
 * members of the mutation's patch.
 */
void
aa_operation_apply (AaOperation *self,
                    AaMutation  *mutation,
                    JsonObject  *state)
{
  g_return_if_fail (AA_IS_OPERATION (self));
  g_return_if_fail (AA_IS_MUTATION (mutation));
  g_return_if_fail (state != NULL);

  AA_OPERATION_GET_CLASS (self)->apply (self, mutation, state);
}

/**
 * aa_operation_confirm:
 * @self: an operation
 * @mutation: one of its mutations, which succeeded
 * @answer: (nullable): the server's answer
 * @error: return location for an error
 *
 * Turns the server's answer into the target's new confirmed state. The
 * default normalizes the answer as the target's class does. An operation
 * without a target does what its success means here and returns %NULL.
 *
 * Returns: (transfer full) (nullable): the new confirmed state, or %NULL
 *   when there is nothing to store (or with @error set when the answer
 *   can't be read)
 */
JsonObject *
aa_operation_confirm (AaOperation  *self,
                      AaMutation   *mutation,
                      JsonNode     *answer,
                      GError      **error)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->confirm (self, mutation, answer, error);
}

/**
 * aa_operation_make_undo:
 * @self: an operation
 * @mutation: one of its mutations
 *
 * The mutation that takes @mutation back: for an operation that sets
 * fields, the same operation with the values shown before it; for a delete,
 * a restore. Only called for %AA_OPERATION_UNDOABLE operations.
 *
 * Returns: (transfer full) (nullable): the inverse mutation, or %NULL
 */
AaMutation *
aa_operation_make_undo (AaOperation *self,
                        AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->make_undo (self, mutation);
}

/**
 * aa_operation_format_label:
 * @self: an operation
 * @mutation: one of its mutations
 *
 * Formats what @mutation does, in words ([vfunc@Operation.format_label]).
 *
 * Returns: (transfer full): what @mutation does, naming its object, such as
 *   "Star “Read later”"
 */
char *
aa_operation_format_label (AaOperation *self,
                           AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->format_label (self, mutation);
}

/**
 * aa_operation_format_success:
 * @self: an operation
 * @mutation: one of its mutations, which succeeded
 *
 * Formats the message of the success of @mutation
 * ([vfunc@Operation.format_success]).
 *
 * Returns: (transfer full): the message of the success, such as "Starred “Read later”"
 */
char *
aa_operation_format_success (AaOperation *self,
                             AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->format_success (self, mutation);
}

/**
 * aa_operation_format_failure:
 * @self: an operation
 * @mutation: one of its mutations, which failed
 * @error: why
 *
 * The full failure message: what failed, naming the object, then what to do
 * next. Implementations usually build the first sentence and pass it to
 * aa_feedback_compose_failure().
 *
 * Returns: (transfer full): the message
 */
char *
aa_operation_format_failure (AaOperation  *self,
                             AaMutation   *mutation,
                             const GError *error)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  return AA_OPERATION_GET_CLASS (self)->format_failure (self, mutation, error);
}

/**
 * aa_operation_is_input_error:
 * @self: an operation
 * @mutation: one of its mutations, which failed
 * @error: why
 *
 * Whether the user fixes @error where they typed or chose (an invalid
 * field, say), so that the "input failure" columns of the rule apply. The
 * default says so of %AA_ERROR_VALIDATION only.
 *
 * Returns: %TRUE for a failure fixed in the form
 */
gboolean
aa_operation_is_input_error (AaOperation  *self,
                             AaMutation   *mutation,
                             const GError *error)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);

  return AA_OPERATION_GET_CLASS (self)->is_input_error (self, mutation, error);
}

/**
 * aa_operation_get_offline_policy:
 * @self: an operation
 *
 * The offline column of its rule, with the default resolved: an
 * optimistic operation waits, a pessimistic one is refused.
 *
 * Returns: %AA_OFFLINE_POLICY_WAIT or %AA_OFFLINE_POLICY_REFUSE
 *
 * Since: 0.2
 */
AaOfflinePolicy
aa_operation_get_offline_policy (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), AA_OFFLINE_POLICY_REFUSE);

  if (priv->rule.offline != AA_OFFLINE_POLICY_DEFAULT)
    return priv->rule.offline;
  return priv->rule.policy == AA_POLICY_OPTIMISTIC ? AA_OFFLINE_POLICY_WAIT : AA_OFFLINE_POLICY_REFUSE;
}

/**
 * aa_operation_get_resolution:
 * @self: an operation
 *
 * The unknown-outcome column of its rule, with the default resolved: its
 * check when [vfunc@Operation.build_check] is overridden, else a resend
 * with the same key.
 *
 * Returns: %AA_RESOLUTION_RESEND, %AA_RESOLUTION_CHECK or %AA_RESOLUTION_EVENT
 *
 * Since: 0.2
 */
AaResolution
aa_operation_get_resolution (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), AA_RESOLUTION_EVENT);

  if (priv->rule.resolution != AA_RESOLUTION_DEFAULT)
    return priv->rule.resolution;
  if (AA_OPERATION_GET_CLASS (self)->build_check != aa_operation_real_build_check)
    return AA_RESOLUTION_CHECK;
  return AA_RESOLUTION_RESEND;
}

/**
 * aa_operation_build_check:
 * @self: an operation
 * @mutation: a mutation of unknown outcome
 *
 * Builds the request that finds out whether a mutation whose answer was lost
 * was applied (for example, a GET of the invoice it pays).
 *
 * Returns: (transfer full) (nullable): the request that finds out whether
 *   @mutation was applied, or %NULL when the operation has no check
 *
 * Since: 0.2
 */
AaRequest *
aa_operation_build_check (AaOperation *self,
                          AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->build_check (self, mutation);
}

/**
 * aa_operation_interpret_check:
 * @self: an operation
 * @mutation: a mutation of unknown outcome
 * @answer: the answer to the request of aa_operation_build_check()
 *
 * Reads the answer to the request of aa_operation_build_check() and says
 * whether the server has @mutation's change.
 *
 * Returns: whether the server has @mutation's change. On
 *   %AA_CHECK_RESULT_APPLIED the engine confirms @mutation with @answer
 *   (aa_operation_confirm()).
 *
 * Since: 0.2
 */
AaCheckResult
aa_operation_interpret_check (AaOperation *self,
                              AaMutation  *mutation,
                              JsonNode    *answer)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), AA_CHECK_RESULT_UNKNOWN);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), AA_CHECK_RESULT_UNKNOWN);
  g_return_val_if_fail (answer != NULL, AA_CHECK_RESULT_UNKNOWN);

  return AA_OPERATION_GET_CLASS (self)->interpret_check (self, mutation, answer);
}

/**
 * aa_operation_format_unknown:
 * @self: an operation
 * @mutation: a mutation whose answer was lost
 *
 * Words the unknown outcome of @mutation calmly, as not confirmed yet: never
 * as a failure.
 *
 * Returns: (transfer full): the calm words of its unknown outcome: "Star
 *   “X”: not confirmed yet. Checking with the server…"
 *
 * Since: 0.2
 */
char *
aa_operation_format_unknown (AaOperation *self,
                             AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->format_unknown (self, mutation);
}

/**
 * aa_operation_format_waiting:
 * @self: an operation
 * @mutation: a mutation waiting for the server
 *
 * Words what happens to @mutation while it waits for the server to be
 * reachable.
 *
 * Returns: (transfer full): what happens to it: "Star “X”: waiting to be
 *   sent when the server is back."
 *
 * Since: 0.2
 */
char *
aa_operation_format_waiting (AaOperation *self,
                             AaMutation  *mutation)
{
  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  return AA_OPERATION_GET_CLASS (self)->format_waiting (self, mutation);
}
