/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "async-actions.h"

#include "aa-member.h"

G_BEGIN_DECLS

/* The kinds of action this app offers. Undo of a star, done or save is the
 * inverse PATCH, so it is the same kind again (see aa_mutation_get_undo_of()). */
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

#define AA_N_MUTATION_KINDS (AA_MUTATION_KIND_CHANGE_ROLE + 1)

/* The kind's row of the rules table (aa-rules.c). */
const AaRule   *aa_action_rule_lookup     (AaMutationKind   kind);

typedef struct _AaActionManager AaActionManager;

#define AA_TYPE_APP_OPERATION (aa_app_operation_get_type ())

G_DECLARE_FINAL_TYPE (AaAppOperation, aa_app_operation, AA, APP_OPERATION, AaOperation)

/*
 * One of this app's operations: its kind's row of the declaration table in
 * aa-rules.c (rule, request, state change, undo, messages) as the engine's
 * AaOperation. @manager (not owned) is the facade whose models an operation
 * without a target changes (empty trash purges the trash).
 */
AaOperation    *aa_app_operation_new      (AaMutationKind   kind,
                                           AaActionManager *manager);
AaMutationKind  aa_app_operation_get_kind (AaAppOperation  *self);
AaActionManager *aa_app_operation_get_manager (AaAppOperation *self);

/* The kind of @mutation's operation. */
AaMutationKind  aa_mutation_kind_of       (AaMutation      *mutation);

/* What a few messages need beyond the subject, kept on the mutation. */
void            aa_app_mutation_set_detail (AaMutation     *mutation,
                                            const char     *detail);
const char     *aa_app_mutation_get_detail (AaMutation     *mutation);
/* For a role change: the signed-in member's role (when known) and the role
 * the member had, so a refusal can be explained. */
void            aa_app_mutation_set_roles  (AaMutation     *mutation,
                                            gboolean        me_known,
                                            AaRole          me,
                                            AaRole          from);
gboolean        aa_app_mutation_get_roles  (AaMutation     *mutation,
                                            AaRole         *out_me,
                                            AaRole         *out_from,
                                            AaRole         *out_to);
/* For empty trash: how many notes went for good. */
void            aa_app_mutation_set_count  (AaMutation     *mutation,
                                            guint           count);
guint           aa_app_mutation_get_count  (AaMutation     *mutation);

G_END_DECLS
