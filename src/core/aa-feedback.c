#define G_LOG_DOMAIN "aa-feedback"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-core-enums.h"
#include "aa-error.h"
#include "aa-feedback.h"
#include "aa-member.h"
#include "aa-mutation-private.h"

/*
 * The rules of README.md, one row per kind of mutation, and the only
 * place that decides feedback tiers. Columns: policy, before, success (+
 * action), failure (+ action), and failures the user fixes in the form.
 */
static const AaActionRule rules[] = {
  /* Create note: the row at the top says "unsaved" until the server has it. */
  { AA_MUTATION_KIND_CREATE_NOTE,  AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE },
  /* Star and done: the row already changed; a failure rolls it back. */
  { AA_MUTATION_KIND_STAR_NOTE,    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE },
  { AA_MUTATION_KIND_DONE_NOTE,    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE },
  /* Save: an invalid field or a conflict is shown in the editor. */
  { AA_MUTATION_KIND_SAVE_NOTE,    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RELOAD },
  /* Delete: asked first, undoable after. */
  { AA_MUTATION_KIND_DELETE_NOTE,  AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_DIALOG,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_UNDO,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE },
  /* Restore from the trash: the row moving back is the confirmation. */
  { AA_MUTATION_KIND_RESTORE_NOTE, AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE },
  /* Empty trash cannot be undone: asked first, nothing changes until done. */
  { AA_MUTATION_KIND_EMPTY_TRASH,  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_DIALOG,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE },
  /* Pay: the dialog names the amount; failures stay at the form. */
  { AA_MUTATION_KIND_PAY_INVOICE,  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_DIALOG,
    AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE },
  /* Change role: the control itself is busy, then shows the outcome. */
  { AA_MUTATION_KIND_CHANGE_ROLE,  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY,
    AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE },
};

/* An undo is the same kind as what it undoes, but the row moving back is
 * its success; only its failure is worth a toast (with Retry). */
static const AaActionRule undo_rule = {
  AA_MUTATION_KIND_CREATE_NOTE /* unused */, AA_POLICY_OPTIMISTIC, AA_FEEDBACK_TIER_NONE,
  AA_FEEDBACK_TIER_NONE,  AA_FEEDBACK_ACTION_NONE,
  AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_RETRY,
  AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE,
};

const AaActionRule *
aa_action_rule_lookup (AaMutationKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++) {
    if (rules[i].kind == kind)
      return &rules[i];
  }

  g_return_val_if_reached (NULL);
}

/* Failures the user fixes where they typed or chose: a field, a newer
 * version of the text, another card, someone with the right role. A toggle
 * sends no If-Match, so a conflict there is transient and simply retried. */
static gboolean
is_input_error (AaMutationKind  kind,
                const GError   *error)
{
  if (error->domain != AA_ERROR)
    return FALSE;

  switch ((AaError) error->code) {
  case AA_ERROR_VALIDATION:
    return TRUE;
  case AA_ERROR_CONFLICT:
    return kind == AA_MUTATION_KIND_SAVE_NOTE;
  case AA_ERROR_PAYMENT_DECLINED:
  case AA_ERROR_PERMISSION:
  case AA_ERROR_STATE:
    return kind == AA_MUTATION_KIND_PAY_INVOICE || kind == AA_MUTATION_KIND_CHANGE_ROLE;
  default:
    return FALSE;
  }
}

AaFeedbackTier
aa_feedback_choose_tier (AaMutation       *mutation,
                         AaFeedbackAction *out_action)
{
  AaMutationKind kind;
  const AaActionRule *rule;
  const GError *error;
  AaFeedbackTier tier = AA_FEEDBACK_TIER_NONE;
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), AA_FEEDBACK_TIER_NONE);

  kind = aa_mutation_get_kind (mutation);
  rule = aa_mutation_get_undo_of (mutation) ? &undo_rule : aa_action_rule_lookup (kind);
  error = aa_mutation_get_error (mutation);

  switch (aa_mutation_get_state (mutation)) {
  case AA_MUTATION_STATE_SUCCEEDED:
    tier = rule->success;
    action = rule->success_action;
    break;

  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    if (error != NULL && is_input_error (kind, error)) {
      tier = rule->input_failure;
      action = rule->input_failure_action;
      /* Reload answers a conflict only; an invalid field needs typing. */
      if (action == AA_FEEDBACK_ACTION_RELOAD && !g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
        action = AA_FEEDBACK_ACTION_NONE;
    } else {
      tier = rule->failure;
      action = rule->failure_action;
    }
    break;

  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_SENT:
  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    break;
  }

  if (tier == AA_FEEDBACK_TIER_NONE)
    action = AA_FEEDBACK_ACTION_NONE;
  if (out_action != NULL)
    *out_action = action;

  return tier;
}

static AaRole
patch_role (AaMutation *mutation)
{
  AaRole to = AA_ROLE_MEMBER;

  aa_mutation_get_roles (mutation, NULL, NULL, &to);
  return to;
}

static gboolean
patch_boolean (AaMutation *mutation,
               const char *member)
{
  JsonObject *patch = aa_mutation_get_patch (mutation);

  return patch != NULL && json_object_get_boolean_member_with_default (patch, member, FALSE);
}

/* The first sentence of a failure: what failed, naming the object. */
static char *
format_what_failed (AaMutation *mutation)
{
  const char *subject = aa_mutation_get_subject (mutation);

  if (subject == NULL)
    subject = "";

  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_CREATE_NOTE:
    return g_strdup_printf (_("Couldn't add “%s”."), subject);
  case AA_MUTATION_KIND_STAR_NOTE:
    return g_strdup_printf (patch_boolean (mutation, "starred") ? _("Couldn't star “%s”.")
                                                                : _("Couldn't unstar “%s”."),
                            subject);
  case AA_MUTATION_KIND_DONE_NOTE:
    return g_strdup_printf (patch_boolean (mutation, "done") ? _("Couldn't mark “%s” as done.")
                                                             : _("Couldn't mark “%s” as not done."),
                            subject);
  case AA_MUTATION_KIND_SAVE_NOTE:
    return g_strdup_printf (_("Couldn't save “%s”."), subject);
  case AA_MUTATION_KIND_DELETE_NOTE:
    return g_strdup_printf (_("Couldn't delete “%s”."), subject);
  case AA_MUTATION_KIND_RESTORE_NOTE:
    return g_strdup_printf (_("Couldn't restore “%s”."), subject);
  case AA_MUTATION_KIND_EMPTY_TRASH:
    return g_strdup (_("Couldn't empty the trash."));
  case AA_MUTATION_KIND_PAY_INVOICE:
    return g_strdup_printf (_("Couldn't pay “%s”."), subject);
  case AA_MUTATION_KIND_CHANGE_ROLE:
    switch (patch_role (mutation)) {
    case AA_ROLE_OWNER:
      return g_strdup_printf (_("Couldn't make %s an owner."), subject);
    case AA_ROLE_ADMIN:
      return g_strdup_printf (_("Couldn't make %s an admin."), subject);
    case AA_ROLE_MEMBER:
    default:
      return g_strdup_printf (_("Couldn't make %s a member."), subject);
    }
  default:
    g_return_val_if_reached (NULL);
  }
}

/* A better second sentence where the engine knows more than the error
 * kind, or NULL for aa_error_get_next_step(). */
static const char *
specific_next_step (AaMutation   *mutation,
                    const GError *error)
{
  AaMutationKind kind = aa_mutation_get_kind (mutation);

  if (kind == AA_MUTATION_KIND_CHANGE_ROLE) {
    AaRole me, from, to;
    gboolean me_known = aa_mutation_get_roles (mutation, &me, &from, &to);

    if (g_error_matches (error, AA_ERROR, AA_ERROR_PERMISSION)) {
      if (me_known && me == AA_ROLE_MEMBER)
        return _("Members can't change roles. Ask an admin or owner.");
      if (to == AA_ROLE_OWNER)
        return _("Only owners can make owners. Ask an owner.");
      if (from == AA_ROLE_OWNER)
        return _("Only owners can change an owner's role. Ask an owner.");
    }

    if (g_error_matches (error, AA_ERROR, AA_ERROR_STATE) && from == AA_ROLE_OWNER)
      return _("A team needs at least one owner. Make someone else an owner first.");
  }

  if (kind == AA_MUTATION_KIND_PAY_INVOICE && g_error_matches (error, AA_ERROR, AA_ERROR_STATE))
    return _("This invoice is already paid. Reload to see it.");

  return NULL;
}

char *
aa_feedback_format_failure (AaMutation   *mutation,
                            const GError *error)
{
  AaMutationKind kind;
  g_autofree char *what = NULL;
  const char *next;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  kind = aa_mutation_get_kind (mutation);

  /* The validator's message already names the field and the fix, and it
   * is shown next to that field. */
  if (g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) && error->message && *error->message)
    return g_strdup (error->message);

  if (kind == AA_MUTATION_KIND_PAY_INVOICE && g_error_matches (error, AA_ERROR, AA_ERROR_PAYMENT_DECLINED))
    return g_strdup (_("Payment failed. Try another card."));

  if (kind == AA_MUTATION_KIND_SAVE_NOTE && g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
    return g_strdup_printf (_("“%s” was changed elsewhere. Reload the latest version; your text is kept until you choose."),
                            aa_mutation_get_subject (mutation));

  what = format_what_failed (mutation);
  next = specific_next_step (mutation, error);
  if (next == NULL)
    next = aa_error_get_next_step (error);

  /* Translators: what failed, then what to do next. */
  return g_strdup_printf (_("%s %s"), what, next);
}

char *
aa_feedback_format_success (AaMutation *mutation)
{
  const char *subject;
  guint count;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  subject = aa_mutation_get_subject (mutation);
  if (subject == NULL)
    subject = "";

  switch (aa_mutation_get_kind (mutation)) {
  case AA_MUTATION_KIND_CREATE_NOTE:
    return g_strdup_printf (_("Added “%s”"), subject);
  case AA_MUTATION_KIND_STAR_NOTE:
    return g_strdup_printf (patch_boolean (mutation, "starred") ? _("Starred “%s”") : _("Unstarred “%s”"),
                            subject);
  case AA_MUTATION_KIND_DONE_NOTE:
    return g_strdup_printf (patch_boolean (mutation, "done") ? _("Marked “%s” as done")
                                                             : _("Marked “%s” as not done"),
                            subject);
  case AA_MUTATION_KIND_SAVE_NOTE:
    return g_strdup (_("Saved"));
  case AA_MUTATION_KIND_DELETE_NOTE:
    return g_strdup_printf (_("Deleted “%s”"), subject);
  case AA_MUTATION_KIND_RESTORE_NOTE:
    return g_strdup_printf (_("Restored “%s”"), subject);
  case AA_MUTATION_KIND_EMPTY_TRASH:
    count = aa_mutation_get_count (mutation);
    if (count == 0)
      return g_strdup (_("Trash emptied"));
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u note deleted for good",
                                         "%u notes deleted for good",
                                         count),
                            count);
  case AA_MUTATION_KIND_PAY_INVOICE:
    return g_strdup_printf (_("Paid “%s”"), subject);
  case AA_MUTATION_KIND_CHANGE_ROLE:
    switch (patch_role (mutation)) {
    case AA_ROLE_OWNER:
      return g_strdup_printf (_("%s is now an owner"), subject);
    case AA_ROLE_ADMIN:
      return g_strdup_printf (_("%s is now an admin"), subject);
    case AA_ROLE_MEMBER:
    default:
      return g_strdup_printf (_("%s is now a member"), subject);
    }
  default:
    g_return_val_if_reached (NULL);
  }
}

/* AaFeedback */

struct _AaFeedback
{
  GObject           parent_instance;

  AaFeedbackTier    tier;
  char             *title;
  AaFeedbackAction  action;
  AaMutation       *mutation;
};

G_DEFINE_FINAL_TYPE (AaFeedback, aa_feedback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIER,
  PROP_TITLE,
  PROP_ACTION,
  PROP_MUTATION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
aa_feedback_finalize (GObject *object)
{
  AaFeedback *self = AA_FEEDBACK (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->mutation);

  G_OBJECT_CLASS (aa_feedback_parent_class)->finalize (object);
}

static void
aa_feedback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AaFeedback *self = AA_FEEDBACK (object);

  switch (prop_id) {
  case PROP_TIER:
    g_value_set_enum (value, self->tier);
    break;
  case PROP_TITLE:
    g_value_set_string (value, self->title);
    break;
  case PROP_ACTION:
    g_value_set_enum (value, self->action);
    break;
  case PROP_MUTATION:
    g_value_set_object (value, self->mutation);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_feedback_class_init (AaFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = aa_feedback_finalize;
  object_class->get_property = aa_feedback_get_property;

  props[PROP_TIER] =
    g_param_spec_enum ("tier", NULL, NULL,
                       AA_TYPE_FEEDBACK_TIER, AA_FEEDBACK_TIER_NONE, flags);
  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  props[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL,
                       AA_TYPE_FEEDBACK_ACTION, AA_FEEDBACK_ACTION_NONE, flags);
  props[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL, AA_TYPE_MUTATION, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_feedback_init (AaFeedback *self)
{
}

AaFeedback *
aa_feedback_new (AaFeedbackTier    tier,
                 const char       *title,
                 AaFeedbackAction  action,
                 AaMutation       *mutation)
{
  AaFeedback *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (mutation == NULL || AA_IS_MUTATION (mutation), NULL);

  self = g_object_new (AA_TYPE_FEEDBACK, NULL);
  self->tier = tier;
  self->title = g_strdup (title);
  self->action = action;
  self->mutation = mutation ? g_object_ref (mutation) : NULL;

  return self;
}

AaFeedback *
aa_feedback_new_for_mutation (AaMutation *mutation)
{
  AaFeedbackAction action;
  AaFeedbackTier tier;
  g_autofree char *title = NULL;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);

  tier = aa_feedback_choose_tier (mutation, &action);
  if (tier == AA_FEEDBACK_TIER_NONE)
    return NULL;

  if (aa_mutation_get_state (mutation) == AA_MUTATION_STATE_SUCCEEDED)
    title = aa_feedback_format_success (mutation);
  else
    title = g_strdup (aa_mutation_get_message (mutation));

  return aa_feedback_new (tier, title, action, mutation);
}

AaFeedbackTier
aa_feedback_get_tier (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), AA_FEEDBACK_TIER_NONE);
  return self->tier;
}

const char *
aa_feedback_get_title (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);
  return self->title;
}

AaFeedbackAction
aa_feedback_get_action (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), AA_FEEDBACK_ACTION_NONE);
  return self->action;
}

const char *
aa_feedback_get_action_label (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);

  switch (self->action) {
  case AA_FEEDBACK_ACTION_RETRY:
    return _("Retry");
  case AA_FEEDBACK_ACTION_UNDO:
    return _("Undo");
  case AA_FEEDBACK_ACTION_RELOAD:
    return _("Reload");
  case AA_FEEDBACK_ACTION_NONE:
  default:
    return NULL;
  }
}

AaMutation *
aa_feedback_get_mutation (AaFeedback *self)
{
  g_return_val_if_fail (AA_IS_FEEDBACK (self), NULL);
  return self->mutation;
}

void
aa_confirmation_free (AaConfirmation *confirmation)
{
  if (confirmation == NULL)
    return;

  g_free (confirmation->heading);
  g_free (confirmation->body);
  g_free (confirmation->confirm_label);
  g_free (confirmation);
}
