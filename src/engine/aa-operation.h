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

#include "aa-request.h"
#include "aa-rule.h"
#include "aa-types.h"

G_BEGIN_DECLS

/**
 * AaOperationFlags:
 * @AA_OPERATION_NONE: none of the below.
 * @AA_OPERATION_SETS_FIELDS: its patch sets fields of its target, so a later
 *   mutation that sets the same fields replaces a queued one (coalescing),
 *   and its undo sets back the values shown just before it.
 * @AA_OPERATION_UNDOABLE: a success can be undone by aa_engine_undo(), with
 *   the mutation aa_operation_make_undo() returns.
 * @AA_OPERATION_CREATES: it creates its target, which has a temporary local
 *   id until the server answers; a failure keeps the target, unsaved, at the
 *   head of its queue until a retry succeeds or it is dismissed.
 *
 * What the engine may assume about an operation's mutations.
 */
typedef enum {
  AA_OPERATION_NONE         = 0,
  AA_OPERATION_SETS_FIELDS  = 1 << 0,
  AA_OPERATION_UNDOABLE     = 1 << 1,
  AA_OPERATION_CREATES      = 1 << 2,
} AaOperationFlags;

#define AA_TYPE_OPERATION (aa_operation_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (AaOperation, aa_operation, AA, OPERATION, GObject)

/**
 * AaOperationClass:
 * @parent_class: the parent class
 * @build_request: the request that carries a mutation to the server
 * @apply: the optimistic change of a mutation to a shown state
 * @confirm: the target's new confirmed state from the server's answer
 * @make_undo: the mutation that takes a succeeded one back
 * @format_label: what a mutation does, naming its object
 * @format_success: the message of a success
 * @format_failure: the message of a failure: what failed, and what to do next
 * @is_input_error: whether a failure is fixed where the user typed or chose
 * @build_check: the request (a GET) that finds out whether a mutation whose
 *   answer was lost was applied, or %NULL when the operation has no check
 *   (the default). Since: 0.2
 * @interpret_check: what the answer to @build_check's request says. Since: 0.2
 * @format_unknown: the calm words of an unknown outcome ("not confirmed
 *   yet"), never worded as a failure. Since: 0.2
 * @format_waiting: the words of a mutation waiting for the server to be
 *   reachable. Since: 0.2
 *
 * The questions the engine asks an operation. Only @build_request has no
 * default: the others suit an operation that PATCHes fields of its target.
 */
struct _AaOperationClass
{
  GObjectClass parent_class;

  AaRequest  *(*build_request)  (AaOperation   *self,
                                 AaMutation    *mutation);
  void        (*apply)          (AaOperation   *self,
                                 AaMutation    *mutation,
                                 JsonObject    *state);
  JsonObject *(*confirm)        (AaOperation   *self,
                                 AaMutation    *mutation,
                                 JsonNode      *answer,
                                 GError       **error);
  AaMutation *(*make_undo)      (AaOperation   *self,
                                 AaMutation    *mutation);
  char       *(*format_label)   (AaOperation   *self,
                                 AaMutation    *mutation);
  char       *(*format_success) (AaOperation   *self,
                                 AaMutation    *mutation);
  char       *(*format_failure) (AaOperation   *self,
                                 AaMutation    *mutation,
                                 const GError  *error);
  gboolean    (*is_input_error) (AaOperation   *self,
                                 AaMutation    *mutation,
                                 const GError  *error);
  AaRequest  *(*build_check)    (AaOperation   *self,
                                 AaMutation    *mutation);
  AaCheckResult (*interpret_check) (AaOperation *self,
                                    AaMutation  *mutation,
                                    JsonNode    *answer);
  char       *(*format_unknown) (AaOperation   *self,
                                 AaMutation    *mutation);
  char       *(*format_waiting) (AaOperation   *self,
                                 AaMutation    *mutation);

  /*< private >*/
  gpointer padding[4];
};

AA_AVAILABLE_IN_ALL
const char       *aa_operation_get_name       (AaOperation   *self);
AA_AVAILABLE_IN_ALL
AaOperationFlags  aa_operation_get_flags      (AaOperation   *self);
AA_AVAILABLE_IN_ALL
const AaRule     *aa_operation_get_rule       (AaOperation   *self);
AA_AVAILABLE_IN_ALL
void              aa_operation_set_rule       (AaOperation   *self,
                                               const AaRule  *rule);
AA_AVAILABLE_IN_ALL
AaPolicy          aa_operation_get_policy     (AaOperation   *self);
AA_AVAILABLE_IN_ALL
gboolean          aa_operation_asks_first     (AaOperation   *self);

AA_AVAILABLE_IN_ALL
AaRequest        *aa_operation_build_request  (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
void              aa_operation_apply          (AaOperation   *self,
                                               AaMutation    *mutation,
                                               JsonObject    *state);
AA_AVAILABLE_IN_ALL
JsonObject       *aa_operation_confirm        (AaOperation   *self,
                                               AaMutation    *mutation,
                                               JsonNode      *answer,
                                               GError       **error);
AA_AVAILABLE_IN_ALL
AaMutation       *aa_operation_make_undo      (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
char             *aa_operation_format_label   (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
char             *aa_operation_format_success (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
char             *aa_operation_format_failure (AaOperation   *self,
                                               AaMutation    *mutation,
                                               const GError  *error);
AA_AVAILABLE_IN_ALL
gboolean          aa_operation_is_input_error (AaOperation   *self,
                                               AaMutation    *mutation,
                                               const GError  *error);
AA_AVAILABLE_IN_ALL
AaOfflinePolicy   aa_operation_get_offline_policy (AaOperation *self);
AA_AVAILABLE_IN_ALL
AaResolution      aa_operation_get_resolution (AaOperation   *self);
AA_AVAILABLE_IN_ALL
AaRequest        *aa_operation_build_check    (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
AaCheckResult     aa_operation_interpret_check (AaOperation  *self,
                                                AaMutation   *mutation,
                                                JsonNode     *answer);
AA_AVAILABLE_IN_ALL
char             *aa_operation_format_unknown (AaOperation   *self,
                                               AaMutation    *mutation);
AA_AVAILABLE_IN_ALL
char             *aa_operation_format_waiting (AaOperation   *self,
                                               AaMutation    *mutation);

G_END_DECLS
