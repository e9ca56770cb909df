/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-app-operation"

#include "config.h"

#include "aa-action-manager-private.h"
#include "aa-app-operation.h"
#include "aa-rules-private.h"

/*
 * The engine's AaOperation for one row of aa-rules.c: each virtual function
 * asks the row, or takes the engine's default where the row has none.
 */

struct _AaAppOperation
{
  AaOperation         parent_instance;

  const AaActionSpec *spec;
  AaActionManager    *manager;  /* not owned: it owns us */
};

G_DEFINE_FINAL_TYPE (AaAppOperation, aa_app_operation, AA_TYPE_OPERATION)

static GQuark detail_quark;
static GQuark roles_quark;
static GQuark count_quark;

static AaRequest *
aa_app_operation_build_request (AaOperation *operation,
                                AaMutation  *mutation)
{
  return AA_APP_OPERATION (operation)->spec->request (mutation);
}

static void
aa_app_operation_apply (AaOperation *operation,
                        AaMutation  *mutation,
                        JsonObject  *state)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  if (self->spec->apply != NULL)
    self->spec->apply (mutation, state);
  else
    AA_OPERATION_CLASS (aa_app_operation_parent_class)->apply (operation, mutation, state);
}

static JsonObject *
aa_app_operation_confirm (AaOperation  *operation,
                          AaMutation   *mutation,
                          JsonNode     *answer,
                          GError      **error)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  if (self->spec->confirm != NULL)
    return self->spec->confirm (self->manager, mutation, answer, error);
  return AA_OPERATION_CLASS (aa_app_operation_parent_class)->confirm (operation, mutation, answer, error);
}

static AaMutation *
aa_app_operation_make_undo (AaOperation *operation,
                            AaMutation  *mutation)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);
  AaOperation *undo;

  if (self->spec->undo == self->spec->kind)
    return AA_OPERATION_CLASS (aa_app_operation_parent_class)->make_undo (operation, mutation);

  /* Another kind takes it back (delete -> restore), on the same object. */
  undo = _aa_action_manager_get_operation (self->manager, self->spec->undo);
  return aa_mutation_new (undo, aa_mutation_get_target (mutation), aa_mutation_get_subject (mutation), NULL);
}

static char *
aa_app_operation_format_label (AaOperation *operation,
                               AaMutation  *mutation)
{
  return AA_APP_OPERATION (operation)->spec->label (mutation);
}

static char *
aa_app_operation_format_success (AaOperation *operation,
                                 AaMutation  *mutation)
{
  return AA_APP_OPERATION (operation)->spec->success (mutation);
}

static char *
aa_app_operation_format_failure (AaOperation  *operation,
                                 AaMutation   *mutation,
                                 const GError *error)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);
  g_autofree char *what = NULL;
  char *message = NULL;

  if (self->spec->removed != NULL && g_error_matches (error, AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE))
    return self->spec->removed (mutation);

  /* The validator's message names the field and the fix. */
  if (self->spec->failure != NULL && !g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION))
    message = self->spec->failure (mutation, error);
  if (message != NULL)
    return message;

  what = self->spec->what_failed (mutation);
  return aa_feedback_compose_failure (what, mutation, error);
}

static gboolean
aa_app_operation_is_input_error (AaOperation  *operation,
                                 AaMutation   *mutation,
                                 const GError *error)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  if (self->spec->input_error != NULL)
    return self->spec->input_error (error);
  return AA_OPERATION_CLASS (aa_app_operation_parent_class)->is_input_error (operation, mutation, error);
}

static AaRequest *
aa_app_operation_build_check (AaOperation *operation,
                              AaMutation  *mutation)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  return self->spec->check != NULL ? self->spec->check (mutation) : NULL;
}

static AaCheckResult
aa_app_operation_interpret_check (AaOperation *operation,
                                  AaMutation  *mutation,
                                  JsonNode    *answer)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  return self->spec->checked != NULL ? self->spec->checked (mutation, answer) : AA_CHECK_RESULT_UNKNOWN;
}

static char *
aa_app_operation_format_unknown (AaOperation *operation,
                                 AaMutation  *mutation)
{
  AaAppOperation *self = AA_APP_OPERATION (operation);

  if (self->spec->unknown != NULL)
    return self->spec->unknown (mutation);
  return AA_OPERATION_CLASS (aa_app_operation_parent_class)->format_unknown (operation, mutation);
}

static void
aa_app_operation_class_init (AaAppOperationClass *klass)
{
  AaOperationClass *operation_class = AA_OPERATION_CLASS (klass);

  operation_class->build_request = aa_app_operation_build_request;
  operation_class->apply = aa_app_operation_apply;
  operation_class->confirm = aa_app_operation_confirm;
  operation_class->make_undo = aa_app_operation_make_undo;
  operation_class->format_label = aa_app_operation_format_label;
  operation_class->format_success = aa_app_operation_format_success;
  operation_class->format_failure = aa_app_operation_format_failure;
  operation_class->is_input_error = aa_app_operation_is_input_error;
  operation_class->build_check = aa_app_operation_build_check;
  operation_class->interpret_check = aa_app_operation_interpret_check;
  operation_class->format_unknown = aa_app_operation_format_unknown;

  detail_quark = g_quark_from_static_string ("aa-app-mutation-detail");
  roles_quark = g_quark_from_static_string ("aa-app-mutation-roles");
  count_quark = g_quark_from_static_string ("aa-app-mutation-count");
}

static void
aa_app_operation_init (AaAppOperation *self)
{
}

AaOperation *
aa_app_operation_new (AaMutationKind   kind,
                      AaActionManager *manager)
{
  const AaActionSpec *spec = aa_action_spec_lookup (kind);
  AaAppOperation *self;

  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (AA_TYPE_APP_OPERATION,
                       "name", spec->name,
                       "flags", spec->flags,
                       NULL);
  self->spec = spec;
  self->manager = manager;
  aa_operation_set_rule (AA_OPERATION (self), &spec->rule);

  return AA_OPERATION (self);
}

AaMutationKind
aa_app_operation_get_kind (AaAppOperation *self)
{
  g_return_val_if_fail (AA_IS_APP_OPERATION (self), AA_MUTATION_KIND_CREATE_NOTE);
  return self->spec->kind;
}

AaActionManager *
aa_app_operation_get_manager (AaAppOperation *self)
{
  g_return_val_if_fail (AA_IS_APP_OPERATION (self), NULL);
  return self->manager;
}

AaMutationKind
aa_mutation_kind_of (AaMutation *mutation)
{
  AaOperation *operation;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), AA_MUTATION_KIND_CREATE_NOTE);

  operation = aa_mutation_get_operation (mutation);
  g_return_val_if_fail (AA_IS_APP_OPERATION (operation), AA_MUTATION_KIND_CREATE_NOTE);

  return AA_APP_OPERATION (operation)->spec->kind;
}

/* What a few messages need, kept on the mutation */

typedef struct {
  gboolean me_known;
  AaRole   me;
  AaRole   from;
} Roles;

void
aa_app_mutation_set_detail (AaMutation *mutation,
                            const char *detail)
{
  g_return_if_fail (AA_IS_MUTATION (mutation));
  g_object_set_qdata_full (G_OBJECT (mutation), detail_quark, g_strdup (detail), g_free);
}

const char *
aa_app_mutation_get_detail (AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  return g_object_get_qdata (G_OBJECT (mutation), detail_quark);
}

void
aa_app_mutation_set_roles (AaMutation *mutation,
                           gboolean    me_known,
                           AaRole      me,
                           AaRole      from)
{
  Roles *roles = g_new0 (Roles, 1);

  g_return_if_fail (AA_IS_MUTATION (mutation));

  roles->me_known = me_known;
  roles->me = me;
  roles->from = from;
  g_object_set_qdata_full (G_OBJECT (mutation), roles_quark, roles, g_free);
}

gboolean
aa_app_mutation_get_roles (AaMutation *mutation,
                           AaRole     *out_me,
                           AaRole     *out_from,
                           AaRole     *out_to)
{
  Roles *roles;
  JsonObject *patch;
  AaRole to = AA_ROLE_MEMBER;

  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  roles = g_object_get_qdata (G_OBJECT (mutation), roles_quark);
  patch = aa_mutation_get_patch (mutation);
  if (patch != NULL)
    aa_role_from_string (json_object_get_string_member_with_default (patch, "role", NULL), &to);

  if (out_me != NULL)
    *out_me = roles ? roles->me : AA_ROLE_MEMBER;
  if (out_from != NULL)
    *out_from = roles ? roles->from : AA_ROLE_MEMBER;
  if (out_to != NULL)
    *out_to = to;

  return roles != NULL && roles->me_known;
}

void
aa_app_mutation_set_count (AaMutation *mutation,
                           guint       count)
{
  g_return_if_fail (AA_IS_MUTATION (mutation));
  g_object_set_qdata (G_OBJECT (mutation), count_quark, GUINT_TO_POINTER (count));
}

guint
aa_app_mutation_get_count (AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), 0);
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (mutation), count_quark));
}
