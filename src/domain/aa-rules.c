/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-rules"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "aa-action-manager-private.h"
#include "aa-invoice.h"
#include "aa-item.h"
#include "aa-member.h"
#include "aa-rules-private.h"

/*
 * This app's actions, declared. Each entry of operations[] at the bottom is
 * one kind of action (an AaOperation): its request (method and path), its
 * rules-table row (as in docs/rules.md), how it is undone, and its messages
 * (templates, or the functions above where a template can't say it:
 * star or unstar, plurals, roles, a failure that depends on the error).
 * aa_rules_add_operations() hands them to the engine with one call.
 */

/* What a few messages need, kept on the mutation */

static GQuark
detail_quark (void)
{
  return g_quark_from_static_string ("aa-app-mutation-detail");
}

static GQuark
roles_quark (void)
{
  return g_quark_from_static_string ("aa-app-mutation-roles");
}

static GQuark
count_quark (void)
{
  return g_quark_from_static_string ("aa-app-mutation-count");
}


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
  g_object_set_qdata_full (G_OBJECT (mutation), detail_quark (), g_strdup (detail), g_free);
}

const char *
aa_app_mutation_get_detail (AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), NULL);
  return g_object_get_qdata (G_OBJECT (mutation), detail_quark ());
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
  g_object_set_qdata_full (G_OBJECT (mutation), roles_quark (), roles, g_free);
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

  roles = g_object_get_qdata (G_OBJECT (mutation), roles_quark ());
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
  g_object_set_qdata (G_OBJECT (mutation), count_quark (), GUINT_TO_POINTER (count));
}

guint
aa_app_mutation_get_count (AaMutation *mutation)
{
  g_return_val_if_fail (AA_IS_MUTATION (mutation), 0);
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (mutation), count_quark ()));
}

/* Messages */

static const char *
subject (AaMutation *mutation)
{
  const char *text = aa_mutation_get_subject (mutation);

  return text ? text : "";
}

#define SUBJECT_MAX_CHARS 40

char *
aa_subject_for_messages (const char *name)
{
  static const struct {
    gunichar outer;
    gunichar inner;
  } quotes[] = {
    { 0x201C, 0x2018 }, /* “ ‘ */
    { 0x201D, 0x2019 }, /* ” ’ */
    { 0x201E, 0x201A }, /* „ ‚ */
    { 0x00AB, 0x2039 }, /* « ‹ */
    { 0x00BB, 0x203A }, /* » › */
  };
  GString *subject;
  gboolean open = TRUE;
  glong length, kept = 0;

  g_return_val_if_fail (name != NULL, NULL);

  length = g_utf8_strlen (name, -1);
  subject = g_string_sized_new (strlen (name));

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    /* A long name keeps its start, cut at a word where one is near. */
    if (length > SUBJECT_MAX_CHARS && kept >= SUBJECT_MAX_CHARS - 1) {
      char *space = strrchr (subject->str, ' ');

      if (space != NULL && g_utf8_strlen (space, -1) < 12)
        g_string_truncate (subject, space - subject->str);
      while (subject->len > 0 && strchr (" ,;:.-", subject->str[subject->len - 1]) != NULL)
        g_string_truncate (subject, subject->len - 1);
      g_string_append (subject, "…");
      break;
    }

    if (c == '"') {
      c = open ? 0x2018 : 0x2019;
      open = !open;
    } else {
      for (guint i = 0; i < G_N_ELEMENTS (quotes); i++) {
        if (c == quotes[i].outer)
          c = quotes[i].inner;
      }
    }

    g_string_append_unichar (subject, c);
    kept++;
  }

  return g_string_free (subject, FALSE);
}

static gboolean
patch_boolean (AaMutation *mutation,
               const char *member)
{
  JsonObject *patch = aa_mutation_get_patch (mutation);

  return patch != NULL && json_object_get_boolean_member_with_default (patch, member, FALSE);
}

static AaRole
patch_role (AaMutation *mutation)
{
  AaRole to = AA_ROLE_MEMBER;

  aa_app_mutation_get_roles (mutation, NULL, NULL, &to);
  return to;
}

static char *
star_label (AaOperation *op,
            AaMutation  *m,
            gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Star “%s”") : _("Unstar “%s”"), subject (m));
}

static char *
star_success (AaOperation *op,
              AaMutation  *m,
              gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Starred “%s”") : _("Unstarred “%s”"), subject (m));
}

static char *
star_failed (AaOperation *op,
             AaMutation  *m,
             gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Couldn’t star “%s”.") : _("Couldn’t unstar “%s”."),
                          subject (m));
}

static char *
done_label (AaOperation *op,
            AaMutation  *m,
            gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Mark “%s” as done") : _("Mark “%s” as not done"),
                          subject (m));
}

static char *
done_success (AaOperation *op,
              AaMutation  *m,
              gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Marked “%s” as done") : _("Marked “%s” as not done"),
                          subject (m));
}

static char *
done_failed (AaOperation *op,
             AaMutation  *m,
             gpointer     data)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Couldn’t mark “%s” as done.")
                                                    : _("Couldn’t mark “%s” as not done."),
                          subject (m));
}

/* A note removed elsewhere while the user was changing it: only a purge
 * (emptying the trash) removes one, so it is gone for good. */
static char *
change_removed (AaOperation *op,
                AaMutation  *m,
                gpointer     data)
{
  return g_strdup_printf (_("“%s” was deleted elsewhere. Your unsaved change to it was dropped."), subject (m));
}

static char *
delete_removed (AaOperation *op,
                AaMutation  *m,
                gpointer     data)
{
  return g_strdup_printf (_("“%s” was already deleted for good elsewhere. There’s nothing left to move to the Trash."),
                          subject (m));
}

static char *
restore_removed (AaOperation *op,
                 AaMutation  *m,
                 gpointer     data)
{
  return g_strdup_printf (_("“%s” was deleted for good elsewhere. It can no longer be restored."), subject (m));
}

static char *
save_failure (AaOperation  *op,
              AaMutation   *m,
              const GError *error,
              gpointer      data)
{
  if (g_error_matches (error, AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE))
    return change_removed (op, m, data);
  if (g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
    return g_strdup_printf (_("“%s” was changed elsewhere. Your text is kept until you choose."),
                            subject (m));
  return NULL;
}

static char *
empty_success (AaOperation *op,
               AaMutation  *m,
               gpointer     data)
{
  guint count = aa_app_mutation_get_count (m);

  if (count == 0)
    return g_strdup (_("Trash emptied"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u note deleted for good",
                                       "%u notes deleted for good",
                                       count),
                          count);
}

static char *
pay_label (AaOperation *op,
           AaMutation  *m,
           gpointer     data)
{
  const char *detail = aa_app_mutation_get_detail (m);

  /* Translators: the invoice's description, then its amount. */
  return g_strdup_printf (_("Pay “%s” (%s)"), subject (m), detail ? detail : "");
}


static char *
pay_failure (AaOperation  *op,
             AaMutation   *m,
             const GError *error,
             gpointer      data)
{
  g_autofree char *what = NULL;

  /* 402: the card was declined, whatever the server calls it. */
  if (g_error_matches (error, AA_ERROR, AA_ERROR_REFUSED))
    return g_strdup (_("Payment failed. Try another card."));

  if (g_error_matches (error, AA_ERROR, AA_ERROR_STATE)) {
    what = g_strdup_printf (_("Couldn’t pay “%s”."), subject (m));
    /* Translators: what failed, then what to do next. */
    return g_strdup_printf (_("%s %s"), what, _("This invoice is already paid. Reload to see it."));
  }

  return NULL;
}

static char *
role_label (AaOperation *op,
            AaMutation  *m,
            gpointer     data)
{
  switch (patch_role (m)) {
  case AA_ROLE_OWNER:
    return g_strdup_printf (_("Make %s an owner"), subject (m));
  case AA_ROLE_ADMIN:
    return g_strdup_printf (_("Make %s an admin"), subject (m));
  case AA_ROLE_MEMBER:
  default:
    return g_strdup_printf (_("Make %s a member"), subject (m));
  }
}

static char *
role_success (AaOperation *op,
              AaMutation  *m,
              gpointer     data)
{
  switch (patch_role (m)) {
  case AA_ROLE_OWNER:
    return g_strdup_printf (_("%s is now an owner"), subject (m));
  case AA_ROLE_ADMIN:
    return g_strdup_printf (_("%s is now an admin"), subject (m));
  case AA_ROLE_MEMBER:
  default:
    return g_strdup_printf (_("%s is now a member"), subject (m));
  }
}

static char *
role_failed (AaOperation *op,
             AaMutation  *m,
             gpointer     data)
{
  switch (patch_role (m)) {
  case AA_ROLE_OWNER:
    return g_strdup_printf (_("Couldn’t make %s an owner."), subject (m));
  case AA_ROLE_ADMIN:
    return g_strdup_printf (_("Couldn’t make %s an admin."), subject (m));
  case AA_ROLE_MEMBER:
  default:
    return g_strdup_printf (_("Couldn’t make %s a member."), subject (m));
  }
}

/* Where the roles involved say more than the error kind. */
static char *
role_failure (AaOperation  *op,
              AaMutation   *m,
              const GError *error,
              gpointer      data)
{
  g_autofree char *what = NULL;
  const char *next = NULL;
  AaRole me, from, to;
  gboolean me_known = aa_app_mutation_get_roles (m, &me, &from, &to);

  if (g_error_matches (error, AA_ERROR, AA_ERROR_PERMISSION)) {
    if (me_known && me == AA_ROLE_MEMBER)
      next = _("Members can’t change roles. Ask an admin or owner.");
    else if (to == AA_ROLE_OWNER)
      next = _("Only owners can make owners. Ask an owner.");
    else if (from == AA_ROLE_OWNER)
      next = _("Only owners can change an owner’s role. Ask an owner.");
  }

  if (g_error_matches (error, AA_ERROR, AA_ERROR_STATE) && from == AA_ROLE_OWNER)
    next = _("A team needs at least one owner. Make someone else an owner first.");

  what = role_failed (op, m, data);
  if (next == NULL)
    return aa_feedback_compose_failure (what, m, error);

  /* Translators: what failed, then what to do next. */
  return g_strdup_printf (_("%s %s"), what, next);
}

/* The whole message of a failure, where the error or the patch says more
 * than a template; NULL takes the entry's template. */

/* Star or done: a note removed elsewhere says what happened to it and to
 * the change; otherwise what failed, by the flag its patch sets. */
static char *
flag_failure (AaOperation  *op,
              AaMutation   *m,
              const GError *error,
              gpointer      data)
{
  JsonObject *patch = aa_mutation_get_patch (m);
  g_autofree char *what = NULL;

  if (g_error_matches (error, AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE))
    return change_removed (op, m, data);
  if (patch != NULL && json_object_has_member (patch, "starred"))
    what = star_failed (op, m, data);
  else
    what = done_failed (op, m, data);
  return aa_feedback_compose_failure (what, m, error);
}

/* To or from the Trash: a note removed elsewhere can't be moved; any other
 * failure takes the entry's template. */
static char *
trash_failure (AaOperation  *op,
               AaMutation   *m,
               const GError *error,
               gpointer      data)
{
  if (!g_error_matches (error, AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE))
    return NULL;
  if (g_str_equal (aa_operation_get_name (op), "delete-note"))
    return delete_removed (op, m, data);
  return restore_removed (op, m, data);
}

/* Requests */

static const char *
target_id (AaMutation *mutation)
{
  return aa_resource_get_id (aa_mutation_get_target (mutation));
}

/* Whether a payment whose answer was lost went through: the invoice's
 * status in the list. */
static AaRequest *
pay_check (AaOperation *op,
           AaMutation  *m,
           gpointer     data)
{
  return aa_request_new ("GET", "/invoices", NULL, -1);
}

static AaCheckResult
pay_checked (AaOperation *op,
             AaMutation  *m,
             JsonNode    *answer,
             gpointer     data)
{
  JsonArray *invoices = JSON_NODE_HOLDS_ARRAY (answer) ? json_node_get_array (answer) : NULL;

  for (guint i = 0; invoices != NULL && i < json_array_get_length (invoices); i++) {
    JsonNode *node = json_array_get_element (invoices, i);
    JsonObject *invoice = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    g_autofree char *id = invoice ? aa_json_dup_id (invoice, "id", NULL) : NULL;

    if (g_strcmp0 (id, target_id (m)) != 0)
      continue;
    return g_strcmp0 (json_object_get_string_member_with_default (invoice, "status", NULL), "paid") == 0
           ? AA_CHECK_RESULT_APPLIED : AA_CHECK_RESULT_NOT_APPLIED;
  }

  return AA_CHECK_RESULT_UNKNOWN;
}

/* State changes */

/* Delete and restore move a note between the list and the trash. */
static void
delete_apply (AaOperation *op,
              AaMutation  *m,
              JsonObject  *state,
              gpointer     data)
{
  json_object_set_boolean_member (state, "trashed", TRUE);
}

static void
restore_apply (AaOperation *op,
               AaMutation  *m,
               JsonObject  *state,
               gpointer     data)
{
  json_object_set_boolean_member (state, "trashed", FALSE);
}

/* The answer may or may not carry the note; either way it is trashed. */
static JsonObject *
delete_confirm (AaOperation  *op,
                AaMutation   *m,
                JsonNode     *answer,
                GError      **error,
                gpointer      data)
{
  JsonObject *object = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonObject *state = NULL;

  if (object != NULL && json_object_has_member (object, "id"))
    state = aa_resource_normalize (aa_mutation_get_target (m), object, NULL);
  if (state == NULL)
    state = aa_state_dup_object (aa_resource_get_confirmed (aa_mutation_get_target (m)));
  json_object_set_boolean_member (state, "trashed", TRUE);

  return state;
}

/* The answer is the payment, not the invoice: a succeeded payment is what
 * makes the invoice paid. */
static JsonObject *
pay_confirm (AaOperation  *op,
             AaMutation   *m,
             JsonNode     *answer,
             GError      **error,
             gpointer      data)
{
  JsonObject *state = aa_state_dup_object (aa_resource_get_confirmed (aa_mutation_get_target (m)));

  json_object_set_string_member (state, "status", "paid");
  return state;
}

static JsonObject *
empty_confirm (AaOperation  *op,
               AaMutation   *m,
               JsonNode     *answer,
               GError      **error,
               gpointer      data)
{
  aa_app_mutation_set_count (m, _aa_action_manager_purge_trash (data));
  return NULL;
}

/* Failures the user fixes where they typed or chose */

static gboolean
save_input_error (AaOperation  *op,
                  AaMutation   *m,
                  const GError *error,
                  gpointer      data)
{
  /* A toggle sends no If-Match, so a conflict there is transient and
   * simply retried; a save's conflict is the user's to resolve. */
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT);
}

static gboolean
refusal_input_error (AaOperation  *op,
                     AaMutation   *m,
                     const GError *error,
                     gpointer      data)
{
  /* Another card, someone with the right role. */
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_REFUSED) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_PERMISSION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_STATE);
}

/*
 * The rules table of docs/rules.md, one entry per kind of action. A rule
 * column left out is zero: optimistic, nothing shown, wait while offline,
 * resolve an unknown outcome by resending with the same key.
 * Retry is offered only where it can succeed: the engine drops it for an
 * object gone from the server (404, 410, or removed elsewhere), a wrong
 * token (401) and a forbidden action (403). Only notes are ever removed
 * elsewhere (invoices and members never are): their failure callbacks say
 * what happened to the note and to the change.
 */
static const AaOperationEntry note_operations[] = {
  /* Create note: the row at the top says "unsaved" until the server has it. */
  { .name = "create-note", .method = "POST", .path = "/items", .flags = AA_OPERATION_CREATES,
    .rule = { .success = AA_FEEDBACK_TIER_INLINE,
              .failure = AA_FEEDBACK_TIER_INLINE, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_INLINE },
    .label = N_("Add “{subject}”"), .success = N_("Added “{subject}”"), .failure = N_("Couldn’t add “{subject}”.") },

  /* Star and done: the row already changed; a failure rolls it back. No
   * If-Match: a flag is independent of the rest of the note, so the last
   * write winning is right, and an edit of the text must not fail a star. */
  { .name = "star-note", .method = "PATCH", .path = "/items/{id}",
    .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    .rule = { .success = AA_FEEDBACK_TIER_INLINE,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_TOAST },
    .format_label = star_label, .format_success = star_success, .format_failure = flag_failure },
  { .name = "done-note", .method = "PATCH", .path = "/items/{id}",
    .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    .rule = { .success = AA_FEEDBACK_TIER_INLINE,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_TOAST },
    .format_label = done_label, .format_success = done_success, .format_failure = flag_failure },

  /* Save: If-Match, so text edits never silently overwrite someone else's
   * (a stale version gets 412 and the user chooses); an invalid field or a
   * conflict is shown in the editor. */
  { .name = "save-note", .method = "PATCH", .path = "/items/{id}", .if_match = TRUE,
    .flags = AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    .rule = { .success = AA_FEEDBACK_TIER_TOAST,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_INLINE, .input_failure_action = AA_FEEDBACK_ACTION_RELOAD },
    .label = N_("Save “{subject}”"), .success = N_("Saved"), .failure = N_("Couldn’t save “{subject}”."),
    .format_failure = save_failure, .is_input_error = save_input_error },

  /* Move to the Trash: asked first, undoable after (a restore). */
  { .name = "delete-note", .method = "DELETE", .path = "/items/{id}", .flags = AA_OPERATION_UNDOABLE,
    .rule = { .before = AA_FEEDBACK_TIER_DIALOG,
              .success = AA_FEEDBACK_TIER_TOAST, .success_action = AA_FEEDBACK_ACTION_UNDO,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_TOAST },
    .label = N_("Move “{subject}” to the Trash"), .success = N_("Moved “{subject}” to the Trash"),
    .failure = N_("Couldn’t move “{subject}” to the Trash."), .undo = "restore-note",
    .apply = delete_apply, .confirm = delete_confirm, .format_failure = trash_failure },

  /* Restore from the Trash (the undo of a move there): the row moving back
   * is the confirmation. */
  { .name = "restore-note", .method = "POST", .path = "/items/{id}/restore",
    .rule = { .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_TOAST },
    .label = N_("Restore “{subject}”"), .success = N_("Restored “{subject}”"),
    .failure = N_("Couldn’t restore “{subject}”."),
    .apply = restore_apply, .format_failure = trash_failure },
};

static const AaOperationEntry trash_operations[] = {
  /* Empty trash cannot be undone: asked first, nothing changes until done. */
  { .name = "empty-trash", .method = "POST", .path = "/trash/empty",
    .rule = { .policy = AA_POLICY_PESSIMISTIC, .before = AA_FEEDBACK_TIER_DIALOG,
              .success = AA_FEEDBACK_TIER_TOAST,
              .failure = AA_FEEDBACK_TIER_TOAST, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_TOAST,
              .offline = AA_OFFLINE_POLICY_REFUSE, .unknown = AA_FEEDBACK_TIER_TOAST },
    .label = N_("Empty trash"), .failure = N_("Couldn’t empty the trash."),
    .format_success = empty_success, .confirm = empty_confirm },
};

static const AaOperationEntry invoice_operations[] = {
  /* Pay: the dialog names the amount; failures stay at the form; a lost
   * answer is checked by reading the invoice. */
  { .name = "pay-invoice", .method = "POST", .path = "/payments",
    .rule = { .policy = AA_POLICY_PESSIMISTIC, .before = AA_FEEDBACK_TIER_DIALOG,
              .success = AA_FEEDBACK_TIER_TOAST,
              .failure = AA_FEEDBACK_TIER_INLINE, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_INLINE,
              .offline = AA_OFFLINE_POLICY_REFUSE, .resolution = AA_RESOLUTION_CHECK,
              .unknown = AA_FEEDBACK_TIER_INLINE },
    .success = N_("Paid “{subject}”"), .failure = N_("Couldn’t pay “{subject}”."),
    .unknown = N_("The payment of “{subject}” isn’t confirmed yet. Checking whether it went through; don’t pay again."),
    .format_label = pay_label, .confirm = pay_confirm, .format_failure = pay_failure,
    .is_input_error = refusal_input_error, .build_check = pay_check, .interpret_check = pay_checked },
};

static const AaOperationEntry member_operations[] = {
  /* Change role: the control itself is busy, then shows the outcome. */
  { .name = "change-role", .method = "PATCH", .path = "/members/{id}",
    .rule = { .policy = AA_POLICY_PESSIMISTIC,
              .success = AA_FEEDBACK_TIER_INLINE,
              .failure = AA_FEEDBACK_TIER_INLINE, .failure_action = AA_FEEDBACK_ACTION_RETRY,
              .input_failure = AA_FEEDBACK_TIER_INLINE,
              .offline = AA_OFFLINE_POLICY_REFUSE, .unknown = AA_FEEDBACK_TIER_INLINE },
    .format_label = role_label, .format_success = role_success, .format_failure = role_failure,
    .is_input_error = refusal_input_error },
};

void
aa_rules_add_operations (AaEngine        *engine,
                         AaResourceStore *notes,
                         AaResourceStore *invoices,
                         AaResourceStore *members,
                         AaActionManager *manager)
{
  aa_engine_add_operations (engine, note_operations, G_N_ELEMENTS (note_operations), notes, GETTEXT_PACKAGE, manager);
  aa_engine_add_operations (engine, trash_operations, G_N_ELEMENTS (trash_operations), NULL, GETTEXT_PACKAGE, manager);
  aa_engine_add_operations (engine, invoice_operations, G_N_ELEMENTS (invoice_operations), invoices, GETTEXT_PACKAGE,
                            manager);
  aa_engine_add_operations (engine, member_operations, G_N_ELEMENTS (member_operations), members, GETTEXT_PACKAGE,
                            manager);
}

const AaRule *
aa_rules_lookup (const char *name)
{
  const struct {
    const AaOperationEntry *entries;
    guint n;
  } tables[] = {
    { note_operations, G_N_ELEMENTS (note_operations) },
    { trash_operations, G_N_ELEMENTS (trash_operations) },
    { invoice_operations, G_N_ELEMENTS (invoice_operations) },
    { member_operations, G_N_ELEMENTS (member_operations) },
  };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++) {
    for (guint i = 0; i < tables[t].n; i++) {
      if (g_str_equal (tables[t].entries[i].name, name))
        return &tables[t].entries[i].rule;
    }
  }
  return NULL;
}
