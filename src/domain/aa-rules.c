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
 * This app's actions, declared. Each row of specs[] at the bottom is one
 * kind of action: its rules-table row (policy, before, success, failure,
 * failures the user fixes in the form, as in docs/rules.md), the request it
 * sends, how it changes the shown state, how it is undone, and its
 * messages. The engine (src/engine) asks these through AaAppOperation.
 */

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
create_label (AaMutation *m)
{
  return g_strdup_printf (_("Add “%s”"), subject (m));
}

static char *
create_success (AaMutation *m)
{
  return g_strdup_printf (_("Added “%s”"), subject (m));
}

static char *
create_failed (AaMutation *m)
{
  return g_strdup_printf (_("Couldn’t add “%s”."), subject (m));
}

static char *
star_label (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Star “%s”") : _("Unstar “%s”"), subject (m));
}

static char *
star_success (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Starred “%s”") : _("Unstarred “%s”"), subject (m));
}

static char *
star_failed (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "starred") ? _("Couldn’t star “%s”.") : _("Couldn’t unstar “%s”."),
                          subject (m));
}

static char *
done_label (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Mark “%s” as done") : _("Mark “%s” as not done"),
                          subject (m));
}

static char *
done_success (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Marked “%s” as done") : _("Marked “%s” as not done"),
                          subject (m));
}

static char *
done_failed (AaMutation *m)
{
  return g_strdup_printf (patch_boolean (m, "done") ? _("Couldn’t mark “%s” as done.")
                                                    : _("Couldn’t mark “%s” as not done."),
                          subject (m));
}

static char *
save_label (AaMutation *m)
{
  return g_strdup_printf (_("Save “%s”"), subject (m));
}

static char *
save_success (AaMutation *m)
{
  return g_strdup (_("Saved"));
}

static char *
save_failed (AaMutation *m)
{
  return g_strdup_printf (_("Couldn’t save “%s”."), subject (m));
}

static char *
save_failure (AaMutation   *m,
              const GError *error)
{
  if (g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
    return g_strdup_printf (_("“%s” was changed elsewhere. Your text is kept until you choose."),
                            subject (m));
  return NULL;
}

static char *
delete_label (AaMutation *m)
{
  return g_strdup_printf (_("Move “%s” to the Trash"), subject (m));
}

static char *
delete_success (AaMutation *m)
{
  return g_strdup_printf (_("Moved “%s” to the Trash"), subject (m));
}

static char *
delete_failed (AaMutation *m)
{
  return g_strdup_printf (_("Couldn’t move “%s” to the Trash."), subject (m));
}

static char *
restore_label (AaMutation *m)
{
  return g_strdup_printf (_("Restore “%s”"), subject (m));
}

static char *
restore_success (AaMutation *m)
{
  return g_strdup_printf (_("Restored “%s”"), subject (m));
}

static char *
restore_failed (AaMutation *m)
{
  return g_strdup_printf (_("Couldn’t restore “%s”."), subject (m));
}

static char *
empty_label (AaMutation *m)
{
  return g_strdup (_("Empty trash"));
}

static char *
empty_success (AaMutation *m)
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
empty_failed (AaMutation *m)
{
  return g_strdup (_("Couldn’t empty the trash."));
}

static char *
pay_label (AaMutation *m)
{
  const char *detail = aa_app_mutation_get_detail (m);

  /* Translators: the invoice's description, then its amount. */
  return g_strdup_printf (_("Pay “%s” (%s)"), subject (m), detail ? detail : "");
}

static char *
pay_success (AaMutation *m)
{
  return g_strdup_printf (_("Paid “%s”"), subject (m));
}

static char *
pay_failed (AaMutation *m)
{
  return g_strdup_printf (_("Couldn’t pay “%s”."), subject (m));
}

static char *
pay_failure (AaMutation   *m,
             const GError *error)
{
  g_autofree char *what = NULL;

  /* 402: the card was declined, whatever the server calls it. */
  if (g_error_matches (error, AA_ERROR, AA_ERROR_REFUSED))
    return g_strdup (_("Payment failed. Try another card."));

  if (g_error_matches (error, AA_ERROR, AA_ERROR_STATE)) {
    what = pay_failed (m);
    /* Translators: what failed, then what to do next. */
    return g_strdup_printf (_("%s %s"), what, _("This invoice is already paid. Reload to see it."));
  }

  return NULL;
}

static char *
pay_unknown (AaMutation *m)
{
  return g_strdup_printf (_("The payment of “%s” isn’t confirmed yet. Checking whether it went through; don’t pay again."),
                          subject (m));
}

static char *
role_label (AaMutation *m)
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
role_success (AaMutation *m)
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
role_failed (AaMutation *m)
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
role_failure (AaMutation   *m,
              const GError *error)
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

  if (next == NULL)
    return NULL;

  what = role_failed (m);
  /* Translators: what failed, then what to do next. */
  return g_strdup_printf (_("%s %s"), what, next);
}

/* A note removed elsewhere while the user was changing it: only a purge
 * (emptying the trash) removes one, so it is gone for good. */
static char *
change_removed (AaMutation *m)
{
  return g_strdup_printf (_("“%s” was deleted elsewhere. Your unsaved change to it was dropped."), subject (m));
}

static char *
delete_removed (AaMutation *m)
{
  return g_strdup_printf (_("“%s” was already deleted for good elsewhere. There’s nothing left to move to the Trash."),
                          subject (m));
}

static char *
restore_removed (AaMutation *m)
{
  return g_strdup_printf (_("“%s” was deleted for good elsewhere. It can no longer be restored."), subject (m));
}

/* Requests */

static const char *
target_id (AaMutation *mutation)
{
  return aa_resource_get_id (aa_mutation_get_target (mutation));
}

static JsonNode *
patch_body (AaMutation *mutation)
{
  JsonObject *patch = aa_mutation_get_patch (mutation);
  JsonNode *body;

  if (patch == NULL)
    return NULL;
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, patch);
  return body;
}

static AaRequest *
request (const char *method,
         char       *path,   /* taken */
         JsonNode   *body,   /* taken */
         gint64      if_match)
{
  g_autofree char *owned_path = path;
  g_autoptr(JsonNode) owned_body = body;

  return aa_request_new (method, owned_path, owned_body, if_match);
}

static AaRequest *
create_request (AaMutation *m)
{
  return request ("POST", g_strdup ("/items"), patch_body (m), -1);
}

/* No If-Match: a star or a done flag is independent of everything else in
 * the note, so the last write winning is exactly right, and a concurrent
 * edit of the text must not make a star fail. */
static AaRequest *
flag_request (AaMutation *m)
{
  return request ("PATCH", aa_path_build ("items", target_id (m), NULL), patch_body (m), -1);
}

/* If-Match: text edits must never silently overwrite someone else's; a
 * stale version gets 412 and the user chooses. */
static AaRequest *
save_request (AaMutation *m)
{
  gint64 if_match = aa_mutation_get_base_version (m);

  /* Started on a note whose create was pending: nobody else knew it. */
  if (if_match < 0)
    if_match = aa_state_get_int (aa_resource_get_confirmed (aa_mutation_get_target (m)), "version", -1);
  return request ("PATCH", aa_path_build ("items", target_id (m), NULL), patch_body (m), if_match);
}

static AaRequest *
delete_request (AaMutation *m)
{
  return request ("DELETE", aa_path_build ("items", target_id (m), NULL), NULL, -1);
}

static AaRequest *
restore_request (AaMutation *m)
{
  return request ("POST", aa_path_build ("items", target_id (m), "restore"), NULL, -1);
}

static AaRequest *
empty_request (AaMutation *m)
{
  return request ("POST", g_strdup ("/trash/empty"), NULL, -1);
}

static AaRequest *
pay_request (AaMutation *m)
{
  return request ("POST", g_strdup ("/payments"), patch_body (m), -1);
}

static AaRequest *
role_request (AaMutation *m)
{
  return request ("PATCH", aa_path_build ("members", target_id (m), NULL), patch_body (m), -1);
}

/* Whether a payment whose answer was lost went through: the invoice's
 * status in the list. */
static AaRequest *
pay_check (AaMutation *m)
{
  return request ("GET", g_strdup ("/invoices"), NULL, -1);
}

static AaCheckResult
pay_checked (AaMutation *m,
             JsonNode   *answer)
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
delete_apply (AaMutation *m,
              JsonObject *state)
{
  json_object_set_boolean_member (state, "trashed", TRUE);
}

static void
restore_apply (AaMutation *m,
               JsonObject *state)
{
  json_object_set_boolean_member (state, "trashed", FALSE);
}

/* The answer may or may not carry the note; either way it is trashed. */
static JsonObject *
delete_confirm (AaActionManager  *manager,
                AaMutation       *m,
                JsonNode         *answer,
                GError          **error)
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
pay_confirm (AaActionManager  *manager,
             AaMutation       *m,
             JsonNode         *answer,
             GError          **error)
{
  JsonObject *state = aa_state_dup_object (aa_resource_get_confirmed (aa_mutation_get_target (m)));

  json_object_set_string_member (state, "status", "paid");
  return state;
}

static JsonObject *
empty_confirm (AaActionManager  *manager,
               AaMutation       *m,
               JsonNode         *answer,
               GError          **error)
{
  aa_app_mutation_set_count (m, _aa_action_manager_purge_trash (manager));
  return NULL;
}

/* Failures the user fixes where they typed or chose */

static gboolean
save_input_error (const GError *error)
{
  /* A toggle sends no If-Match, so a conflict there is transient and
   * simply retried; a save's conflict is the user's to resolve. */
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT);
}

static gboolean
refusal_input_error (const GError *error)
{
  /* Another card, someone with the right role. */
  return g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_REFUSED) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_PERMISSION) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_STATE);
}

#define OPTIMISTIC  AA_POLICY_OPTIMISTIC
#define PESSIMISTIC AA_POLICY_PESSIMISTIC
#define NONE        AA_FEEDBACK_TIER_NONE
#define INLINE      AA_FEEDBACK_TIER_INLINE
#define TOAST       AA_FEEDBACK_TIER_TOAST
#define DIALOG      AA_FEEDBACK_TIER_DIALOG
#define NO_ACTION   AA_FEEDBACK_ACTION_NONE
#define RETRY       AA_FEEDBACK_ACTION_RETRY
#define UNDO        AA_FEEDBACK_ACTION_UNDO
#define RELOAD      AA_FEEDBACK_ACTION_RELOAD
#define WAIT        AA_OFFLINE_POLICY_WAIT
#define REFUSE      AA_OFFLINE_POLICY_REFUSE
#define RESEND      AA_RESOLUTION_RESEND
#define CHECK       AA_RESOLUTION_CHECK

/*
 * The rules table of docs/rules.md. Rule columns: policy, before, success
 * (+ action), failure (+ action), failures fixed in the form (+ action),
 * offline (wait or refuse), how an unknown outcome is resolved (resend
 * with the same key, or the action's check), and the tier of its "not
 * confirmed yet" (docs/outcomes.md).
 * Retry is offered only where it can succeed: the engine drops it for an
 * object gone from the server (404, 410, or removed elsewhere), a wrong
 * token (401) and a forbidden action (403). The last column is the message
 * when the object was removed elsewhere while the change waited: only
 * notes are ever removed (invoices and members never are).
 */
static const AaActionSpec specs[] = {
  /* Create note: the row at the top says "unsaved" until the server has it. */
  { AA_MUTATION_KIND_CREATE_NOTE, "create-note", AA_OPERATION_CREATES,
    { OPTIMISTIC, NONE, INLINE, NO_ACTION, INLINE, RETRY, INLINE, NO_ACTION, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_CREATE_NOTE,
    create_request, NULL, NULL, create_label, create_success, create_failed, NULL, NULL, NULL },

  /* Star and done: the row already changed; a failure rolls it back. */
  { AA_MUTATION_KIND_STAR_NOTE, "star-note", AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    { OPTIMISTIC, NONE, INLINE, NO_ACTION, TOAST, RETRY, TOAST, NO_ACTION, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_STAR_NOTE,
    flag_request, NULL, NULL, star_label, star_success, star_failed, NULL, NULL, change_removed },
  { AA_MUTATION_KIND_DONE_NOTE, "done-note", AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    { OPTIMISTIC, NONE, INLINE, NO_ACTION, TOAST, RETRY, TOAST, NO_ACTION, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_DONE_NOTE,
    flag_request, NULL, NULL, done_label, done_success, done_failed, NULL, NULL, change_removed },

  /* Save: an invalid field or a conflict is shown in the editor. */
  { AA_MUTATION_KIND_SAVE_NOTE, "save-note", AA_OPERATION_SETS_FIELDS | AA_OPERATION_UNDOABLE,
    { OPTIMISTIC, NONE, TOAST, NO_ACTION, TOAST, RETRY, INLINE, RELOAD, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_SAVE_NOTE,
    save_request, NULL, NULL, save_label, save_success, save_failed, save_failure, save_input_error, change_removed },

  /* Delete: asked first, undoable after (a restore). */
  { AA_MUTATION_KIND_DELETE_NOTE, "delete-note", AA_OPERATION_UNDOABLE,
    { OPTIMISTIC, DIALOG, TOAST, UNDO, TOAST, RETRY, TOAST, NO_ACTION, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_RESTORE_NOTE,
    delete_request, delete_apply, delete_confirm, delete_label, delete_success, delete_failed, NULL, NULL, delete_removed },

  /* Restore from the trash: the row moving back is the confirmation. */
  { AA_MUTATION_KIND_RESTORE_NOTE, "restore-note", AA_OPERATION_NONE,
    { OPTIMISTIC, NONE, NONE, NO_ACTION, TOAST, RETRY, TOAST, NO_ACTION, WAIT, RESEND, NONE },
    AA_MUTATION_KIND_RESTORE_NOTE,
    restore_request, restore_apply, NULL, restore_label, restore_success, restore_failed, NULL, NULL, restore_removed },

  /* Empty trash cannot be undone: asked first, nothing changes until done. */
  { AA_MUTATION_KIND_EMPTY_TRASH, "empty-trash", AA_OPERATION_NONE,
    { PESSIMISTIC, DIALOG, TOAST, NO_ACTION, TOAST, RETRY, TOAST, NO_ACTION, REFUSE, RESEND, TOAST },
    AA_MUTATION_KIND_EMPTY_TRASH,
    empty_request, NULL, empty_confirm, empty_label, empty_success, empty_failed, NULL, NULL, NULL },

  /* Pay: the dialog names the amount; failures stay at the form. */
  { AA_MUTATION_KIND_PAY_INVOICE, "pay-invoice", AA_OPERATION_NONE,
    { PESSIMISTIC, DIALOG, TOAST, NO_ACTION, INLINE, RETRY, INLINE, NO_ACTION, REFUSE, CHECK, INLINE },
    AA_MUTATION_KIND_PAY_INVOICE,
    pay_request, NULL, pay_confirm, pay_label, pay_success, pay_failed, pay_failure, refusal_input_error, NULL,
    pay_unknown, pay_check, pay_checked },

  /* Change role: the control itself is busy, then shows the outcome. */
  { AA_MUTATION_KIND_CHANGE_ROLE, "change-role", AA_OPERATION_NONE,
    { PESSIMISTIC, NONE, INLINE, NO_ACTION, INLINE, RETRY, INLINE, NO_ACTION, REFUSE, RESEND, INLINE },
    AA_MUTATION_KIND_CHANGE_ROLE,
    role_request, NULL, NULL, role_label, role_success, role_failed, role_failure, refusal_input_error, NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (specs) == AA_N_MUTATION_KINDS);

const AaActionSpec *
aa_action_spec_lookup (AaMutationKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (specs), NULL);
  g_assert (specs[kind].kind == kind);

  return &specs[kind];
}

const AaRule *
aa_action_rule_lookup (AaMutationKind kind)
{
  const AaActionSpec *spec = aa_action_spec_lookup (kind);

  return spec ? &spec->rule : NULL;
}
