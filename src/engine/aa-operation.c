/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-operation"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "aa-enums.h"
#include "aa-error.h"
#include "aa-feedback.h"
#include "aa-mutation-private.h"
#include "aa-operation-private.h"
#include "aa-resource-private.h"
#include "aa-state.h"

/**
 * AaOperation:
 *
 * A kind of action an app offers ("star a bookmark", "pay an invoice"): its
 * row in the rules table and the answers to the engine's questions about
 * each of its mutations.
 *
 * An app declares one operation per kind of action, by its properties:
 *
 * ```python
 * toggle = AsyncActions.Operation(name='toggle', method='PATCH', path='/items/{id}',
 *                                 flags=AsyncActions.OperationFlags.SETS_FIELDS)
 * ```
 *
 * or in C by a table of [struct@OperationEntry] given to
 * aa_engine_add_operations(). [property@Operation:method] and
 * [property@Operation:path] make the request ("{id}" is the target's id),
 * the patch is its body, [property@Operation:rule] says how each outcome is
 * shown, the templates [property@Operation:label],
 * [property@Operation:success], [property@Operation:failure] and
 * [property@Operation:unknown] word it ("{subject}" is the mutation's
 * subject), and [property@Operation:undo] takes it back.
 *
 * Without templates, the default messages fit the method: a DELETE's speak
 * of deleting ("Deleted “X”", "Couldn’t delete “X”."), a POST's of adding,
 * an undo's POST of restoring, any other's of changing. The defaults of the
 * other virtual functions suit an operation that sets fields of its target.
 *
 * Subclass and override the virtual functions only for what a declaration
 * cannot say: a state change that is not the patch (an
 * [vfunc@Operation.apply] that moves a note to the Trash), an answer that
 * is not the target ([vfunc@Operation.confirm]), a check of an unknown
 * outcome ([vfunc@Operation.build_check]), messages that need plurals or
 * other data than the subject. The engine never needs to change to add an
 * action.
 */

typedef struct
{
  char             *name;
  AaOperationFlags  flags;
  AaRule            rule;
  char             *method;
  char             *path;
  gboolean          if_match;
  GStrv             fields;
  char             *label;
  char             *success;
  char             *failure;
  char             *unknown;
  char             *translation_domain;
  AaOperation      *undo;
  /* The callbacks of the entry it was declared from, if any. */
  AaOperationEntry  entry;
  gpointer          user_data;
} AaOperationPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AaOperation, aa_operation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FLAGS,
  PROP_POLICY,
  PROP_METHOD,
  PROP_PATH,
  PROP_IF_MATCH,
  PROP_FIELDS,
  PROP_RULE,
  PROP_LABEL,
  PROP_SUCCESS,
  PROP_FAILURE,
  PROP_UNKNOWN,
  PROP_UNDO,
  PROP_TRANSLATION_DOMAIN,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* @template with each "{@name}" replaced by @value, nothing else read. */
static char *
expand (const char *template,
        const char *name,
        const char *value)
{
  g_autofree char *placeholder = g_strconcat ("{", name, "}", NULL);
  g_auto(GStrv) parts = g_strsplit (template, placeholder, -1);

  return g_strjoinv (value ? value : "", parts);
}

static AaRequest *
aa_operation_real_build_request (AaOperation *self,
                                 AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  AaResource *target = aa_mutation_get_target (mutation);
  JsonObject *patch = aa_mutation_get_patch (mutation);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(JsonNode) body = NULL;
  gint64 if_match = -1;

  if (priv->entry.build_request != NULL)
    return priv->entry.build_request (self, mutation, priv->user_data);

  if (priv->method == NULL || priv->path == NULL) {
    g_critical ("%s declares no method and path, and does not implement AaOperation.build_request()",
                G_OBJECT_TYPE_NAME (self));
    return NULL;
  }

  if (target != NULL)
    id = g_uri_escape_string (aa_resource_get_id (target), NULL, FALSE);
  path = expand (priv->path, "id", id);

  if (patch != NULL) {
    g_autoptr(GList) names = json_object_get_members (patch);

    /* The declared fields only, if any; never the id, which is in the path. */
    sent = json_object_new ();
    for (const GList *l = names; l != NULL; l = l->next) {
      if (priv->fields != NULL ? g_strv_contains ((const char * const *) priv->fields, l->data)
                               : !g_str_equal (l->data, "id"))
        json_object_set_member (sent, l->data, json_node_copy (json_object_get_member (patch, l->data)));
    }
    body = json_node_init_object (json_node_alloc (), sent);
  }

  if (priv->if_match) {
    if_match = aa_mutation_get_base_version (mutation);
    /* Started on an object whose create was pending: nobody else knew it. */
    if (if_match < 0 && target != NULL)
      if_match = aa_state_get_int (aa_resource_get_confirmed (target), "version", -1);
  }

  return aa_request_new (priv->method, path, body, if_match);
}

static void
aa_operation_real_apply (AaOperation *self,
                         AaMutation  *mutation,
                         JsonObject  *state)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  JsonObject *patch = aa_mutation_get_patch (mutation);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (priv->entry.apply != NULL) {
    priv->entry.apply (self, mutation, state, priv->user_data);
    return;
  }

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
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  AaResource *target = aa_mutation_get_target (mutation);

  if (priv->entry.confirm != NULL)
    return priv->entry.confirm (self, mutation, answer, error, priv->user_data);

  /* Removed for good: nothing of it is left to store. */
  if (target == NULL || (priv->flags & AA_OPERATION_REMOVES) != 0)
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
  AaResource *target = aa_mutation_get_target (mutation);
  AaOperation *undo = priv->undo ? priv->undo : self;

  /* Re-created from what the server last confirmed, under a new id. */
  if ((priv->flags & AA_OPERATION_REMOVES) != 0) {
    g_autoptr(JsonObject) state = NULL;

    if (priv->undo == NULL || target == NULL ||
        (aa_operation_get_flags (priv->undo) & AA_OPERATION_CREATES) == 0)
      return NULL;
    state = aa_state_dup_object (aa_resource_get_confirmed (target));
    json_object_remove_member (state, "id");
    return aa_mutation_new (undo, target, aa_mutation_get_subject (mutation), state);
  }

  /* Another operation takes it back (delete -> restore, star -> unstar) on
   * the same object, with the values from before if it set fields. */
  if (priv->undo != NULL)
    return aa_mutation_new (undo, target, aa_mutation_get_subject (mutation),
                            (priv->flags & AA_OPERATION_SETS_FIELDS) != 0 ? inverse : NULL);

  if ((priv->flags & AA_OPERATION_SETS_FIELDS) == 0 || inverse == NULL)
    return NULL;

  return aa_mutation_new (self, target, aa_mutation_get_subject (mutation), inverse);
}

/* @template, declared, translated and with the subject in it; or NULL. */
static char *
format_template (AaOperation *self,
                 const char  *template,
                 AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (template == NULL)
    return NULL;
  if (priv->translation_domain != NULL)
    template = g_dgettext (priv->translation_domain, template);

  return expand (template, "subject", aa_mutation_get_subject (mutation));
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
  VERB_RESTORE,
} Verb;

static Verb
verb_of (AaOperation *self,
         AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  const char *method = aa_mutation_get_sent_method (mutation);
  g_autoptr(AaRequest) request = NULL;

  if (method == NULL)
    method = priv->method;

  /* Not sent yet: the request it will send says, if the operation builds
   * one (the base class only complains). */
  if (method == NULL &&
      (AA_OPERATION_GET_CLASS (self)->build_request != aa_operation_real_build_request ||
       priv->entry.build_request != NULL)) {
    request = aa_operation_build_request (self, mutation);
    method = request != NULL ? aa_request_get_method (request) : NULL;
  }

  if (method != NULL && g_ascii_strcasecmp (method, "DELETE") == 0)
    return VERB_DELETE;
  /* An undo's POST brings back what was deleted. */
  if (method != NULL && g_ascii_strcasecmp (method, "POST") == 0)
    return aa_mutation_get_undo_of (mutation) != NULL ? VERB_RESTORE : VERB_ADD;
  return VERB_CHANGE;
}

static char *
aa_operation_real_format_label (AaOperation *self,
                                AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.format_label != NULL)
    return priv->entry.format_label (self, mutation, priv->user_data);
  if (priv->label != NULL)
    return format_template (self, priv->label, mutation);

  switch (verb_of (self, mutation)) {
  case VERB_RESTORE:
    return g_strdup_printf (_("Restore “%s”"), subject_or_empty (mutation));
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
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.format_success != NULL)
    return priv->entry.format_success (self, mutation, priv->user_data);
  if (priv->success != NULL)
    return format_template (self, priv->success, mutation);

  switch (verb_of (self, mutation)) {
  case VERB_RESTORE:
    return g_strdup_printf (_("Restored “%s”"), subject_or_empty (mutation));
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
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);
  g_autofree char *what = NULL;

  /* The validator's message names the field and the fix. */
  if (priv->entry.format_failure != NULL && !g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION)) {
    char *message = priv->entry.format_failure (self, mutation, error, priv->user_data);

    if (message != NULL)
      return message;
  }
  if (priv->failure != NULL)
    return aa_feedback_compose_failure (what = format_template (self, priv->failure, mutation), mutation, error);

  switch (verb_of (self, mutation)) {
  case VERB_RESTORE:
    what = g_strdup_printf (_("Couldn’t restore “%s”."), subject_or_empty (mutation));
    break;
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
  case VERB_RESTORE:
    return g_strdup_printf (_("Couldn’t confirm “%s” was restored. Reload to see whether it was."),
                            subject_or_empty (mutation));
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
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.is_input_error != NULL)
    return priv->entry.is_input_error (self, mutation, error, priv->user_data);
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION);
}

static AaRequest *
aa_operation_real_build_check (AaOperation *self,
                               AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.build_check != NULL)
    return priv->entry.build_check (self, mutation, priv->user_data);
  return NULL;
}

static AaCheckResult
aa_operation_real_interpret_check (AaOperation *self,
                                   AaMutation  *mutation,
                                   JsonNode    *answer)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.interpret_check != NULL)
    return priv->entry.interpret_check (self, mutation, answer, priv->user_data);
  return AA_CHECK_RESULT_UNKNOWN;
}

static char *
aa_operation_real_format_unknown (AaOperation *self,
                                  AaMutation  *mutation)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  if (priv->entry.format_unknown != NULL)
    return priv->entry.format_unknown (self, mutation, priv->user_data);
  if (priv->unknown != NULL)
    return format_template (self, priv->unknown, mutation);

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
  g_clear_pointer (&priv->method, g_free);
  g_clear_pointer (&priv->path, g_free);
  g_clear_pointer (&priv->fields, g_strfreev);
  g_clear_pointer (&priv->label, g_free);
  g_clear_pointer (&priv->success, g_free);
  g_clear_pointer (&priv->failure, g_free);
  g_clear_pointer (&priv->unknown, g_free);
  g_clear_pointer (&priv->translation_domain, g_free);
  g_clear_object (&priv->undo);

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
  case PROP_METHOD:
    g_value_set_string (value, priv->method);
    break;
  case PROP_PATH:
    g_value_set_string (value, priv->path);
    break;
  case PROP_IF_MATCH:
    g_value_set_boolean (value, priv->if_match);
    break;
  case PROP_FIELDS:
    g_value_set_boxed (value, priv->fields);
    break;
  case PROP_RULE:
    g_value_set_boxed (value, &priv->rule);
    break;
  case PROP_LABEL:
    g_value_set_string (value, priv->label);
    break;
  case PROP_SUCCESS:
    g_value_set_string (value, priv->success);
    break;
  case PROP_FAILURE:
    g_value_set_string (value, priv->failure);
    break;
  case PROP_UNKNOWN:
    g_value_set_string (value, priv->unknown);
    break;
  case PROP_UNDO:
    g_value_set_object (value, priv->undo);
    break;
  case PROP_TRANSLATION_DOMAIN:
    g_value_set_string (value, priv->translation_domain);
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
      g_object_notify_by_pspec (object, props[PROP_RULE]);
    }
    break;
  case PROP_METHOD:
    g_free (priv->method);
    priv->method = g_value_dup_string (value);
    break;
  case PROP_PATH:
    g_free (priv->path);
    priv->path = g_value_dup_string (value);
    break;
  case PROP_IF_MATCH:
    priv->if_match = g_value_get_boolean (value);
    break;
  case PROP_FIELDS:
    g_strfreev (priv->fields);
    priv->fields = g_value_dup_boxed (value);
    break;
  case PROP_RULE:
    if (g_value_get_boxed (value) != NULL)
      aa_operation_set_rule (self, g_value_get_boxed (value));
    break;
  case PROP_LABEL:
    g_free (priv->label);
    priv->label = g_value_dup_string (value);
    break;
  case PROP_SUCCESS:
    g_free (priv->success);
    priv->success = g_value_dup_string (value);
    break;
  case PROP_FAILURE:
    g_free (priv->failure);
    priv->failure = g_value_dup_string (value);
    break;
  case PROP_UNKNOWN:
    g_free (priv->unknown);
    priv->unknown = g_value_dup_string (value);
    break;
  case PROP_UNDO:
    aa_operation_set_undo (self, g_value_get_object (value));
    break;
  case PROP_TRANSLATION_DOMAIN:
    g_free (priv->translation_domain);
    priv->translation_domain = g_value_dup_string (value);
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


  /**
   * AaOperation:method:
   *
   * The HTTP method of its request, such as "PATCH", "DELETE" or "POST"; also the verb of its default messages.
   *
   * Since: 0.3
   */
  props[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:path:
   *
   * The path template of its request, such as "/items/{id}": "{id}" is the target's id (escaped). Nothing else in it is read.
   *
   * Since: 0.3
   */
  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:if-match:
   *
   * Whether its request sends `If-Match` with the version the change was based on, so that a stale one gets 412 (a text edit must never silently overwrite someone else's).
   *
   * Since: 0.3
   */
  props[PROP_IF_MATCH] =
    g_param_spec_boolean ("if-match", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:fields:
   *
   * The members its request body carries, or %NULL for every member of the patch but "id". A re-create (the undo of an %AA_OPERATION_REMOVES operation) sends these of the last confirmed state.
   *
   * Since: 0.3
   */
  props[PROP_FIELDS] =
    g_param_spec_boxed ("fields", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:rule:
   *
   * Its row of the rules table ([struct@Rule]): how each outcome of its mutations is shown. Set the whole row; its columns are the fields of the boxed value.
   *
   * Since: 0.3
   */
  props[PROP_RULE] =
    g_param_spec_boxed ("rule", NULL, NULL, AA_TYPE_RULE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:label:
   *
   * The template of what a mutation does, such as "Star “{subject}”", or %NULL for the default of its method. "{subject}" is the mutation's subject; nothing else is read, so data never becomes a format.
   *
   * Since: 0.3
   */
  props[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:success:
   *
   * The template of a success, such as "Starred “{subject}”", or %NULL for the default of its method.
   *
   * Since: 0.3
   */
  props[PROP_SUCCESS] =
    g_param_spec_string ("success", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:failure:
   *
   * The template of the first sentence of a failure, such as "Couldn’t star “{subject}”.", or %NULL for the default of its method. What to do next follows it (aa_feedback_compose_failure()).
   *
   * Since: 0.3
   */
  props[PROP_FAILURE] =
    g_param_spec_string ("failure", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:unknown:
   *
   * The template of an unknown outcome, worded calmly as not confirmed yet, or %NULL for the default.
   *
   * Since: 0.3
   */
  props[PROP_UNKNOWN] =
    g_param_spec_string ("unknown", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:undo:
   *
   * The operation whose mutation takes one of this one's back, with its own rule and messages; %NULL for itself with the inverse patch (an operation that sets fields). An undo is never undone in turn.
   *
   * Since: 0.3
   */
  props[PROP_UNDO] =
    g_param_spec_object ("undo", NULL, NULL, AA_TYPE_OPERATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * AaOperation:translation-domain:
   *
   * The gettext domain its templates are translated in when formatted, or %NULL when they are given translated already.
   *
   * Since: 0.3
   */
  props[PROP_TRANSLATION_DOMAIN] =
    g_param_spec_string ("translation-domain", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

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
  if (memcmp (&priv->rule, rule, sizeof *rule) == 0)
    return;
  priv->rule = *rule;
  if (policy_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POLICY]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RULE]);
}

/**
 * aa_operation_new_from_entry:
 * @entry: a declared operation
 * @translation_domain: (nullable): the gettext domain of its templates
 * @user_data: the data its callbacks get
 *
 * Makes the operation @entry declares. Its [property@Operation:undo] is
 * left for the caller (aa_engine_add_operations() finds it by name).
 *
 * Returns: (transfer full): the new operation
 *
 * Since: 0.3
 */
AaOperation *
aa_operation_new_from_entry (const AaOperationEntry *entry,
                             const char             *translation_domain,
                             gpointer                user_data)
{
  AaOperation *self;
  AaOperationPrivate *priv;

  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (entry->name != NULL, NULL);

  self = g_object_new (AA_TYPE_OPERATION,
                       "name", entry->name,
                       "method", entry->method,
                       "path", entry->path,
                       "flags", entry->flags,
                       "rule", &entry->rule,
                       "if-match", entry->if_match,
                       "fields", entry->fields,
                       "label", entry->label,
                       "success", entry->success,
                       "failure", entry->failure,
                       "unknown", entry->unknown,
                       "translation-domain", translation_domain,
                       NULL);
  priv = aa_operation_get_instance_private (self);
  priv->entry = *entry;
  /* Only its callbacks are read from the copy. */
  priv->entry.name = priv->entry.method = priv->entry.path = NULL;
  priv->entry.fields = NULL;
  priv->entry.label = priv->entry.success = priv->entry.failure = priv->entry.unknown = NULL;
  priv->entry.undo = NULL;
  priv->user_data = user_data;

  return self;
}

/**
 * aa_operation_get_method:
 * @self: an operation
 *
 * Gets the method of its declared request ([property@Operation:method]).
 *
 * Returns: (nullable): the method, such as "PATCH"
 *
 * Since: 0.3
 */
const char *
aa_operation_get_method (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  return priv->method;
}

/**
 * aa_operation_get_path:
 * @self: an operation
 *
 * Gets the path template of its declared request ([property@Operation:path]).
 *
 * Returns: (nullable): the template, such as "/items/{id}"
 *
 * Since: 0.3
 */
const char *
aa_operation_get_path (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  return priv->path;
}

/**
 * aa_operation_get_undo:
 * @self: an operation
 *
 * Gets the operation that takes its mutations back
 * ([property@Operation:undo]).
 *
 * Returns: (transfer none) (nullable): the undo operation, or %NULL for
 *   itself with the inverse patch
 *
 * Since: 0.3
 */
AaOperation *
aa_operation_get_undo (AaOperation *self)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_val_if_fail (AA_IS_OPERATION (self), NULL);
  return priv->undo;
}

/**
 * aa_operation_set_undo:
 * @self: an operation
 * @undo: (nullable): the operation that takes its mutations back, or %NULL
 *   for itself
 *
 * Sets [property@Operation:undo]. The undo's own rule and messages word
 * its outcome.
 *
 * Since: 0.3
 */
void
aa_operation_set_undo (AaOperation *self,
                       AaOperation *undo)
{
  AaOperationPrivate *priv = aa_operation_get_instance_private (self);

  g_return_if_fail (AA_IS_OPERATION (self));
  g_return_if_fail (undo == NULL || AA_IS_OPERATION (undo));

  /* Itself is the default, and holding itself would leak. */
  if (undo == self)
    undo = NULL;
  if (g_set_object (&priv->undo, undo))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNDO]);
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
