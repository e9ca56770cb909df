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
 * @AA_OPERATION_REMOVES: it removes its target for good (a delete on a
 *   backend without a Trash): an optimistic one takes the target out of its
 *   store at once and puts it back where it was if it fails. Its undo (with
 *   %AA_OPERATION_UNDOABLE) re-creates the target from its last confirmed
 *   state with the [property@Operation:undo] operation, which must be an
 *   %AA_OPERATION_CREATES one (a POST to the collection). Since: 0.3
 *
 * What the engine may assume about an operation's mutations.
 */
typedef enum {
  AA_OPERATION_NONE         = 0,
  AA_OPERATION_SETS_FIELDS  = 1 << 0,
  AA_OPERATION_UNDOABLE     = 1 << 1,
  AA_OPERATION_CREATES      = 1 << 2,
  AA_OPERATION_REMOVES      = 1 << 3,
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

/**
 * AaOperationEntry:
 * @name: the operation's [property@Operation:name], unique among the entries
 * @method: its [property@Operation:method], such as "PATCH"
 * @path: its [property@Operation:path] template, such as "/items/{id}"
 * @flags: its [property@Operation:flags]
 * @rule: its [property@Operation:rule], as written: a column left out is zero
 *   (optimistic, nothing shown)
 * @if_match: its [property@Operation:if-match]
 * @fields: (nullable) (array zero-terminated=1): its [property@Operation:fields]
 * @label: (nullable): its [property@Operation:label] template
 * @success: (nullable): its [property@Operation:success] template
 * @failure: (nullable): its [property@Operation:failure] template
 * @unknown: (nullable): its [property@Operation:unknown] template
 * @undo: (nullable): the name of the entry of its [property@Operation:undo]
 *   operation, or %NULL for itself
 * @build_request: (nullable): replaces the declared request
 * @apply: (nullable): replaces the default optimistic change
 * @confirm: (nullable): replaces the default reading of the answer
 * @format_label: (nullable): replaces the label template
 * @format_success: (nullable): replaces the success template
 * @format_failure: (nullable): a whole failure message where the action
 *   knows better than the error kind, or %NULL from it for the default
 * @is_input_error: (nullable): replaces the default (validation errors only)
 * @build_check: (nullable): the request that checks an unknown outcome
 * @interpret_check: (nullable): what the check's answer says
 * @format_unknown: (nullable): replaces the unknown template
 *
 * One declared operation for aa_engine_add_operations(), written with
 * designated initialisers like a `GActionEntry`:
 *
 * ```c
 * static const AaOperationEntry entries[] = {
 *   { .name = "toggle", .method = "PATCH", .path = "/items/{id}",
 *     .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
 *     .rule = { .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY } },
 * };
 * ```
 *
 * The message templates are translated in the domain given to
 * aa_engine_add_operations() (mark them with `N_()`). The callbacks, all
 * optional, say what a declaration cannot (plurals, a failure that depends
 * on roles, a state change that is not the patch); they get the user data
 * given to aa_engine_add_operations().
 *
 * Since: 0.3
 */
typedef struct _AaOperationEntry AaOperationEntry;

struct _AaOperationEntry
{
  const char         *name;
  const char         *method;
  const char         *path;
  AaOperationFlags    flags;
  AaRule              rule;
  gboolean            if_match;
  const char * const *fields;
  const char         *label;
  const char         *success;
  const char         *failure;
  const char         *unknown;
  const char         *undo;

  AaRequest    *(*build_request)   (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    gpointer      user_data);
  void          (*apply)           (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    JsonObject   *state,
                                    gpointer      user_data);
  JsonObject   *(*confirm)         (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    JsonNode     *answer,
                                    GError      **error,
                                    gpointer      user_data);
  char         *(*format_label)    (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    gpointer      user_data);
  char         *(*format_success)  (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    gpointer      user_data);
  char         *(*format_failure)  (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    const GError *error,
                                    gpointer      user_data);
  gboolean      (*is_input_error)  (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    const GError *error,
                                    gpointer      user_data);
  AaRequest    *(*build_check)     (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    gpointer      user_data);
  AaCheckResult (*interpret_check) (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    JsonNode     *answer,
                                    gpointer      user_data);
  char         *(*format_unknown)  (AaOperation  *operation,
                                    AaMutation   *mutation,
                                    gpointer      user_data);

  /*< private >*/
  gpointer padding[8];
};

AA_AVAILABLE_IN_ALL
AaOperation      *aa_operation_new_from_entry (const AaOperationEntry *entry,
                                               const char             *translation_domain,
                                               gpointer                user_data);

AA_AVAILABLE_IN_ALL
const char       *aa_operation_get_name       (AaOperation   *self);
AA_AVAILABLE_IN_ALL
const char       *aa_operation_get_method     (AaOperation   *self);
AA_AVAILABLE_IN_ALL
const char       *aa_operation_get_path       (AaOperation   *self);
AA_AVAILABLE_IN_ALL
AaOperation      *aa_operation_get_undo       (AaOperation   *self);
AA_AVAILABLE_IN_ALL
void              aa_operation_set_undo       (AaOperation   *self,
                                               AaOperation   *undo);
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
