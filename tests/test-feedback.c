/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "aa-domain-enums.h"
#include "aa-enums.h"
#include "aa-error.h"
#include "aa-feedback.h"
#include "aa-invoice.h"
#include "aa-item.h"
#include "aa-member.h"
#include "aa-action-manager-private.h"
#include "aa-mutation-private.h"
#include "aa-rules-private.h"

/* The rules table, the messages and the labels, without a server. */

/* This app's operations belong to a manager; it sends nothing here. */
static AaActionManager *manager;

/* This app's kinds of action: the names of the entries of aa-rules.c. */
static const char * const kinds[] = {
  "create-note", "star-note", "done-note", "save-note", "delete-note", "restore-note",
  "empty-trash", "pay-invoice", "change-role",
};

typedef struct {
  const char      *kind;
  AaPolicy         policy;
  AaFeedbackTier   before, success, failure;
  AaFeedbackAction success_action, failure_action;
} ExpectedRule;

/* The table of docs/rules.md, written out independently of aa-feedback.c. */
static const ExpectedRule expected_rules[] = {
  { "create-note",  AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "star-note",    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "done-note",    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "save-note",    AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "delete-note",  AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_DIALOG, AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_UNDO, AA_FEEDBACK_ACTION_RETRY },
  { "restore-note", AA_POLICY_OPTIMISTIC,  AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "empty-trash",  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_DIALOG, AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "pay-invoice",  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_DIALOG, AA_FEEDBACK_TIER_TOAST,  AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
  { "change-role",  AA_POLICY_PESSIMISTIC, AA_FEEDBACK_TIER_NONE,   AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE, AA_FEEDBACK_ACTION_RETRY },
};

/* The offline and unknown-outcome columns (docs/outcomes.md), written out
 * independently of aa-rules.c: what each action does while the server
 * can't be reached, how its lost answer is resolved, and the tier of its
 * "not confirmed yet". */
static const struct {
  const char     *kind;
  AaOfflinePolicy offline;
  AaResolution    resolution;
  AaFeedbackTier  unknown;
} expected_outcomes[] = {
  { "create-note",  AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "star-note",    AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "done-note",    AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "save-note",    AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "delete-note",  AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "restore-note", AA_OFFLINE_POLICY_WAIT,   AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_NONE },
  { "empty-trash",  AA_OFFLINE_POLICY_REFUSE, AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_TOAST },
  { "pay-invoice",  AA_OFFLINE_POLICY_REFUSE, AA_RESOLUTION_CHECK,  AA_FEEDBACK_TIER_INLINE },
  { "change-role",  AA_OFFLINE_POLICY_REFUSE, AA_RESOLUTION_RESEND, AA_FEEDBACK_TIER_INLINE },
};

static void
test_rules_outcomes (void)
{
  g_autoptr(AaRule) fresh = aa_rule_new ();

  g_assert_cmpuint (G_N_ELEMENTS (expected_outcomes), ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (expected_outcomes); i++) {
    const AaRule *rule = aa_rules_lookup (expected_outcomes[i].kind);
    AaOperation *operation = aa_engine_lookup_operation (aa_action_manager_get_engine (manager),
                                                         expected_outcomes[i].kind);

    /* With the defaults resolved: a column left out of an entry is zero. */
    g_assert_cmpint (aa_operation_get_offline_policy (operation), ==, expected_outcomes[i].offline);
    g_assert_cmpint (aa_operation_get_resolution (operation), ==, expected_outcomes[i].resolution);
    g_assert_cmpint (rule->unknown, ==, expected_outcomes[i].unknown);
    /* A pessimistic action is never queued to run later. */
    if (rule->policy == AA_POLICY_PESSIMISTIC)
      g_assert_cmpint (rule->offline, ==, AA_OFFLINE_POLICY_REFUSE);
    /* Nothing to press while the engine finds out. */
    g_assert_cmpint (rule->unknown, !=, AA_FEEDBACK_TIER_DIALOG);
  }

  /* The defaults of a row that doesn't set them are the safe ones. */
  g_assert_cmpint (fresh->offline, ==, AA_OFFLINE_POLICY_DEFAULT);
  g_assert_cmpint (fresh->resolution, ==, AA_RESOLUTION_DEFAULT);
  g_assert_cmpint (fresh->unknown, ==, AA_FEEDBACK_TIER_NONE);
}

static void
test_rules_table (void)
{
  /* Every kind has exactly one row, and it says what the table says. */
  g_assert_cmpuint (G_N_ELEMENTS (kinds), ==, G_N_ELEMENTS (expected_rules));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    const char *kind = kinds[i];
    const AaRule *rule = aa_rules_lookup (kind);
    const ExpectedRule *expected = NULL;

    for (guint j = 0; j < G_N_ELEMENTS (expected_rules); j++) {
      if (g_str_equal (expected_rules[j].kind, kind)) {
        g_assert_null (expected);
        expected = &expected_rules[j];
      }
    }

    g_assert_nonnull (rule);
    g_assert_nonnull (expected);
    g_assert_cmpint (rule->policy, ==, expected->policy);
    g_assert_cmpint (rule->before, ==, expected->before);
    g_assert_cmpint (rule->success, ==, expected->success);
    g_assert_cmpint (rule->success_action, ==, expected->success_action);
    g_assert_cmpint (rule->failure, ==, expected->failure);
    g_assert_cmpint (rule->failure_action, ==, expected->failure_action);
    /* Tiers are never mixed: a dialog is only ever "before". */
    g_assert_cmpint (rule->success, !=, AA_FEEDBACK_TIER_DIALOG);
    g_assert_cmpint (rule->failure, !=, AA_FEEDBACK_TIER_DIALOG);
    g_assert_cmpint (rule->input_failure, !=, AA_FEEDBACK_TIER_DIALOG);
  }

  /* Save: an invalid field or a conflict stays inline in the editor. */
  g_assert_cmpint (aa_rules_lookup ("save-note")->input_failure, ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (aa_rules_lookup ("pay-invoice")->input_failure, ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (aa_rules_lookup ("change-role")->input_failure, ==, AA_FEEDBACK_TIER_INLINE);
}


static AaMutation *
make_mutation (const char     *kind,
               const char     *subject,
               const char     *detail,
               JsonObject     *patch)
{
  AaOperation *operation = aa_engine_lookup_operation (aa_action_manager_get_engine (manager), kind);
  AaMutation *mutation = aa_mutation_new (operation, NULL, subject, patch);

  if (detail != NULL)
    aa_app_mutation_set_detail (mutation, detail);
  return mutation;
}

/* A mutation of @kind about the objects of the examples. */
static AaMutation *
new_mutation (const char *kind)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  AaMutation *mutation;

  if (g_str_equal (kind, "star-note")) {
    json_object_set_boolean_member (patch, "starred", TRUE);
    return make_mutation (kind, "Buy milk", NULL, patch);
  } else if (g_str_equal (kind, "done-note")) {
    json_object_set_boolean_member (patch, "done", TRUE);
    return make_mutation (kind, "Buy milk", NULL, patch);
  } else if (g_str_equal (kind, "create-note") || g_str_equal (kind, "save-note")) {
    json_object_set_string_member (patch, "title", "Buy milk");
    json_object_set_string_member (patch, "notes", "");
    return make_mutation (kind, "Buy milk", NULL, patch);
  } else if (g_str_equal (kind, "delete-note") || g_str_equal (kind, "restore-note")) {
    return make_mutation (kind, "Buy milk", NULL, NULL);
  } else if (g_str_equal (kind, "empty-trash")) {
    return make_mutation (kind, NULL, NULL, NULL);
  } else if (g_str_equal (kind, "pay-invoice")) {
    json_object_set_string_member (patch, "invoice_id", "INV-1");
    json_object_set_string_member (patch, "card_number", "4242424242424242");
    return make_mutation (kind, "Team plan, November", "€120.00", patch);
  } else if (g_str_equal (kind, "change-role")) {
    json_object_set_string_member (patch, "role", "admin");
    mutation = make_mutation (kind, "Chloé Martin", NULL, patch);
    aa_app_mutation_set_roles (mutation, TRUE, AA_ROLE_ADMIN, AA_ROLE_MEMBER);
    return mutation;
  }
  g_assert_not_reached ();
}

static guint
count_sentences (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++) {
    if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))
      n++;
  }

  return n;
}

static void
test_every_error_message (void)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (AA_TYPE_ERROR);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    for (guint j = 0; j < codes->n_values; j++) {
      g_autoptr(AaMutation) mutation = new_mutation (kinds[i]);
      g_autoptr(GError) error = g_error_new_literal (AA_ERROR, codes->values[j].value,
                                                     "Add a title. It can’t be empty.");
      g_autofree char *message = aa_feedback_format_failure (mutation, error);
      const char *subject = aa_mutation_get_subject (mutation);

      g_test_message ("%s × %s: %s", kinds[i], codes->values[j].value_nick, message);

      g_assert_nonnull (message);
      g_assert_null (strstr (message, "Something went wrong"));
      g_assert_null (strstr (message, "Unknown error"));
      /* Both parts: what failed and what to do next. */
      g_assert_cmpuint (count_sentences (message), >=, 2);
      g_assert_true (g_str_has_suffix (message, "."));

      if (codes->values[j].value == AA_ERROR_VALIDATION) {
        /* The validator's message, shown at the field it names. */
        g_assert_cmpstr (message, ==, error->message);
      } else if (codes->values[j].value == AA_ERROR_REFUSED &&
                 g_str_equal (kinds[i], "pay-invoice")) {
        g_assert_cmpstr (message, ==, "Payment failed. Try another card.");
      } else if (subject != NULL) {
        /* It names the object. */
        g_assert_nonnull (strstr (message, subject));
      } else {
        g_assert_nonnull (strstr (message, "trash"));
      }

      /* Never the server's raw words outside validation. */
      if (codes->values[j].value != AA_ERROR_VALIDATION)
        g_assert_null (strstr (message, "Add a title"));
    }
  }
}

static void
test_specific_messages (void)
{
  g_autoptr(AaMutation) star = new_mutation ("star-note");
  g_autoptr(AaMutation) save = new_mutation ("save-note");
  g_autoptr(AaMutation) pay = new_mutation ("pay-invoice");
  g_autoptr(AaMutation) role = new_mutation ("change-role");
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) make_owner = NULL;
  g_autoptr(AaMutation) demote_owner = NULL;
  g_autoptr(GError) offline = g_error_new_literal (AA_ERROR, AA_ERROR_OFFLINE, "x");
  g_autoptr(GError) conflict = g_error_new_literal (AA_ERROR, AA_ERROR_CONFLICT, "x");
  g_autoptr(GError) state = g_error_new_literal (AA_ERROR, AA_ERROR_STATE, "x");
  g_autoptr(GError) permission = g_error_new_literal (AA_ERROR, AA_ERROR_PERMISSION, "x");
  g_autoptr(GError) removed = g_error_new_literal (AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE, "x");
  g_autoptr(AaMutation) restore = new_mutation ("restore-note");
  g_autoptr(AaMutation) trash = new_mutation ("delete-note");
  char *message;

  message = aa_feedback_format_failure (star, offline);
  g_assert_cmpstr (message, ==, "Couldn’t star “Buy milk”. Nothing was changed: the server can’t be reached. Try again once it’s back.");
  g_free (message);

  message = aa_feedback_format_failure (save, conflict);
  g_assert_cmpstr (message, ==, "“Buy milk” was changed elsewhere. Your text is kept until you choose.");
  g_free (message);

  message = aa_feedback_format_failure (pay, state);
  g_assert_cmpstr (message, ==, "Couldn’t pay “Team plan, November”. This invoice is already paid. Reload to see it.");
  g_free (message);

  /* Removed elsewhere while it waited: what happened to the note and to
   * the change, in the words of each action. */
  message = aa_feedback_format_failure (star, removed);
  g_assert_cmpstr (message, ==, "“Buy milk” was deleted elsewhere. Your unsaved change to it was dropped.");
  g_free (message);

  message = aa_feedback_format_failure (save, removed);
  g_assert_cmpstr (message, ==, "“Buy milk” was deleted elsewhere. Your unsaved change to it was dropped.");
  g_free (message);

  message = aa_feedback_format_failure (restore, removed);
  g_assert_cmpstr (message, ==, "“Buy milk” was deleted for good elsewhere. It can no longer be restored.");
  g_free (message);

  message = aa_feedback_format_failure (trash, removed);
  g_assert_cmpstr (message, ==, "“Buy milk” was already deleted for good elsewhere. There’s nothing left to move to the Trash.");
  g_free (message);

  /* Invoices are never removed: the engine's own words. */
  message = aa_feedback_format_failure (pay, removed);
  g_assert_cmpstr (message, ==, "Couldn’t pay “Team plan, November”. It was deleted elsewhere, so this change was dropped.");
  g_free (message);

  /* Role refusals explain the rule with the roles involved. */
  aa_app_mutation_set_roles (role, TRUE, AA_ROLE_MEMBER, AA_ROLE_MEMBER);
  message = aa_feedback_format_failure (role, permission);
  g_assert_cmpstr (message, ==, "Couldn’t make Chloé Martin an admin. Members can’t change roles. Ask an admin or owner.");
  g_free (message);

  json_object_set_string_member (patch, "role", "owner");
  make_owner = make_mutation ("change-role", "Chloé Martin", NULL, patch);
  aa_app_mutation_set_roles (make_owner, TRUE, AA_ROLE_ADMIN, AA_ROLE_MEMBER);
  message = aa_feedback_format_failure (make_owner, permission);
  g_assert_cmpstr (message, ==, "Couldn’t make Chloé Martin an owner. Only owners can make owners. Ask an owner.");
  g_free (message);

  json_object_set_string_member (patch, "role", "member");
  demote_owner = make_mutation ("change-role", "Chloé Martin", NULL, patch);
  aa_app_mutation_set_roles (demote_owner, TRUE, AA_ROLE_ADMIN, AA_ROLE_OWNER);
  message = aa_feedback_format_failure (demote_owner, permission);
  g_assert_cmpstr (message, ==, "Couldn’t make Chloé Martin a member. Only owners can change an owner’s role. Ask an owner.");
  g_free (message);

  aa_app_mutation_set_roles (demote_owner, TRUE, AA_ROLE_OWNER, AA_ROLE_OWNER);
  message = aa_feedback_format_failure (demote_owner, state);
  g_assert_cmpstr (message, ==, "Couldn’t make Chloé Martin a member. A team needs at least one owner. Make someone else an owner first.");
  g_free (message);
}

static void
test_labels (void)
{
  g_autoptr(AaMutation) star = new_mutation ("star-note");
  g_autoptr(AaMutation) done = new_mutation ("done-note");
  g_autoptr(AaMutation) save = new_mutation ("save-note");
  g_autoptr(AaMutation) delete = new_mutation ("delete-note");
  g_autoptr(AaMutation) restore = new_mutation ("restore-note");
  g_autoptr(AaMutation) empty = new_mutation ("empty-trash");
  g_autoptr(AaMutation) pay = new_mutation ("pay-invoice");
  g_autoptr(AaMutation) role = new_mutation ("change-role");
  g_autoptr(AaMutation) other = new_mutation ("star-note");

  g_assert_cmpstr (aa_mutation_get_label (star), ==, "Star “Buy milk”");
  g_assert_cmpstr (aa_mutation_get_label (done), ==, "Mark “Buy milk” as done");
  g_assert_cmpstr (aa_mutation_get_label (save), ==, "Save “Buy milk”");
  g_assert_cmpstr (aa_mutation_get_label (delete), ==, "Move “Buy milk” to the Trash");
  g_assert_cmpstr (aa_mutation_get_label (restore), ==, "Restore “Buy milk”");
  g_assert_cmpstr (aa_mutation_get_label (empty), ==, "Empty trash");
  g_assert_cmpstr (aa_mutation_get_label (pay), ==, "Pay “Team plan, November” (€120.00)");
  g_assert_cmpstr (aa_mutation_get_label (role), ==, "Make Chloé Martin an admin");

  /* One key per intention. */
  g_assert_nonnull (aa_mutation_get_idempotency_key (star));
  g_assert_cmpstr (aa_mutation_get_idempotency_key (star), !=, aa_mutation_get_idempotency_key (other));
  g_assert_cmpint (aa_mutation_get_policy (pay), ==, AA_POLICY_PESSIMISTIC);
  g_assert_cmpint (aa_mutation_get_policy (star), ==, AA_POLICY_OPTIMISTIC);
}

static void
test_choose_tier (void)
{
  g_autoptr(AaMutation) save = new_mutation ("save-note");
  g_autoptr(AaMutation) original = new_mutation ("delete-note");
  g_autoptr(AaMutation) undo = new_mutation ("restore-note");
  g_autoptr(AaMutation) pay = new_mutation ("pay-invoice");
  g_autoptr(GError) server = g_error_new_literal (AA_ERROR, AA_ERROR_SERVER, "x");
  g_autoptr(GError) conflict = g_error_new_literal (AA_ERROR, AA_ERROR_CONFLICT, "x");
  g_autoptr(GError) invalid = g_error_new_literal (AA_ERROR, AA_ERROR_VALIDATION, "Add a title. It can’t be empty.");
  g_autoptr(GError) declined = g_error_new_literal (AA_ERROR, AA_ERROR_REFUSED, "x");
  g_autoptr(AaFeedback) feedback = NULL;
  AaFeedbackAction action;

  /* Pending: nothing to say yet. */
  g_assert_cmpint (aa_feedback_choose_tier (save, &action), ==, AA_FEEDBACK_TIER_NONE);
  g_assert_null (aa_feedback_new_for_mutation (save));

  aa_mutation_fail (save, AA_MUTATION_STATE_ROLLED_BACK, server, "Couldn’t save “Buy milk”. Retry.");
  g_assert_cmpint (aa_feedback_choose_tier (save, &action), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_RETRY);

  aa_mutation_fail (save, AA_MUTATION_STATE_ROLLED_BACK, conflict, "“Buy milk” was changed elsewhere. Reload.");
  g_assert_cmpint (aa_feedback_choose_tier (save, &action), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_RELOAD);

  aa_mutation_fail (save, AA_MUTATION_STATE_FAILED, invalid, invalid->message);
  g_assert_cmpint (aa_feedback_choose_tier (save, &action), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_NONE);

  aa_mutation_set_state (save, AA_MUTATION_STATE_SUCCEEDED);
  feedback = aa_feedback_new_for_mutation (save);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpstr (aa_feedback_get_title (feedback), ==, "Saved");
  g_assert_null (aa_feedback_get_action_label (feedback));
  g_clear_object (&feedback);

  /* An undo: success silent, failure toast + Retry. */
  aa_mutation_link_undo (original, undo);
  aa_mutation_set_state (undo, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_feedback_choose_tier (undo, &action), ==, AA_FEEDBACK_TIER_NONE);
  aa_mutation_fail (undo, AA_MUTATION_STATE_ROLLED_BACK, server, "Couldn’t restore “Buy milk”. Retry.");
  g_assert_cmpint (aa_feedback_choose_tier (undo, &action), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_RETRY);

  aa_mutation_set_state (original, AA_MUTATION_STATE_SUCCEEDED);
  feedback = aa_feedback_new_for_mutation (original);
  g_assert_cmpint (aa_feedback_get_tier (feedback), ==, AA_FEEDBACK_TIER_TOAST);
  g_assert_cmpstr (aa_feedback_get_title (feedback), ==, "Moved “Buy milk” to the Trash");
  g_assert_cmpstr (aa_feedback_get_action_label (feedback), ==, "Undo");
  g_clear_object (&feedback);

  /* A conflict on a toggle (no If-Match) is transient: toast + Retry. */
  {
    g_autoptr(AaMutation) star = new_mutation ("star-note");

    aa_mutation_fail (star, AA_MUTATION_STATE_ROLLED_BACK, conflict, "Couldn’t star “Buy milk”. Retry.");
    g_assert_cmpint (aa_feedback_choose_tier (star, &action), ==, AA_FEEDBACK_TIER_TOAST);
    g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_RETRY);
  }

  /* A declined card stays at the form, no retry of the same card. */
  aa_mutation_fail (pay, AA_MUTATION_STATE_FAILED, declined, "Payment failed. Try another card.");
  g_assert_cmpint (aa_feedback_choose_tier (pay, &action), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_NONE);
  aa_mutation_fail (pay, AA_MUTATION_STATE_FAILED, server, "Couldn’t pay “Team plan, November”. Retry.");
  g_assert_cmpint (aa_feedback_choose_tier (pay, &action), ==, AA_FEEDBACK_TIER_INLINE);
  g_assert_cmpint (action, ==, AA_FEEDBACK_ACTION_RETRY);

  g_assert_finalize_object (g_steal_pointer (&undo));
  g_assert_finalize_object (g_steal_pointer (&original));
}

static void
test_plurals (void)
{
  g_autoptr(AaMutation) empty = new_mutation ("empty-trash");
  char *title;

  aa_mutation_set_state (empty, AA_MUTATION_STATE_SUCCEEDED);

  title = aa_feedback_format_success (empty);
  g_assert_cmpstr (title, ==, "Trash emptied");
  g_free (title);

  aa_app_mutation_set_count (empty, 1);
  title = aa_feedback_format_success (empty);
  g_assert_cmpstr (title, ==, "1 note deleted for good");
  g_free (title);

  aa_app_mutation_set_count (empty, 3);
  title = aa_feedback_format_success (empty);
  g_assert_cmpstr (title, ==, "3 notes deleted for good");
  g_free (title);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_tolerant_resources (void)
{
  g_autoptr(JsonObject) item_json = parse_object ("{\"id\": 42, \"title\": \"Buy milk\", \"colour\": \"red\"}");
  g_autoptr(JsonObject) bad_json = parse_object ("{\"id\": true, \"title\": \"Buy milk\"}");
  g_autoptr(JsonObject) eur_json = parse_object ("{\"id\": \"a\", \"description\": \"Team plan, November\", \"amount_cents\": 12000, \"currency\": \"EUR\", \"status\": \"open\"}");
  g_autoptr(JsonObject) usd_json = parse_object ("{\"id\": \"b\", \"amount_cents\": 4950, \"currency\": \"USD\", \"status\": \"paid\"}");
  g_autoptr(JsonObject) chf_json = parse_object ("{\"id\": \"c\", \"amount_cents\": 1234, \"currency\": \"CHF\"}");
  g_autoptr(JsonObject) member_json = parse_object ("{\"id\": 7, \"name\": \"Chloé Martin\", \"role\": \"admin\"}");
  g_autoptr(GError) error = NULL;
  AaResource *resource;
  char *amount;

  resource = aa_resource_new_from_server (AA_TYPE_ITEM, item_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aa_resource_get_id (resource), ==, "42");
  g_assert_cmpstr (aa_item_get_title (AA_ITEM (resource)), ==, "Buy milk");
  g_assert_cmpstr (aa_item_get_notes (AA_ITEM (resource)), ==, "");
  g_assert_cmpint (aa_item_get_version (AA_ITEM (resource)), ==, -1);
  g_assert_null (aa_item_get_updated_at (AA_ITEM (resource)));
  g_assert_false (aa_state_has_member (aa_resource_get_confirmed (resource), "colour"));
  g_assert_finalize_object (resource);

  g_assert_null (aa_resource_new_from_server (AA_TYPE_ITEM, bad_json, &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  resource = aa_resource_new_from_server (AA_TYPE_INVOICE, eur_json, &error);
  g_assert_no_error (error);
  amount = aa_invoice_format_amount (AA_INVOICE (resource));
  g_assert_cmpstr (amount, ==, "€120.00");
  g_free (amount);
  g_assert_finalize_object (resource);

  resource = aa_resource_new_from_server (AA_TYPE_INVOICE, usd_json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aa_invoice_get_status (AA_INVOICE (resource)), ==, AA_INVOICE_STATUS_PAID);
  amount = aa_invoice_format_amount (AA_INVOICE (resource));
  g_assert_cmpstr (amount, ==, "$49.50");
  g_free (amount);
  g_assert_finalize_object (resource);

  resource = aa_resource_new_from_server (AA_TYPE_INVOICE, chf_json, &error);
  g_assert_no_error (error);
  amount = aa_invoice_format_amount (AA_INVOICE (resource));
  g_assert_cmpstr (amount, ==, "CHF 12.34");
  g_free (amount);
  g_assert_finalize_object (resource);

  resource = aa_resource_new_from_server (AA_TYPE_MEMBER, member_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aa_resource_get_id (resource), ==, "7");
  g_assert_cmpint (aa_member_get_role (AA_MEMBER (resource)), ==, AA_ROLE_ADMIN);
  g_assert_finalize_object (resource);
}

static void
test_roles (void)
{
  /* A member changes nothing. */
  for (AaRole from = AA_ROLE_MEMBER; from <= AA_ROLE_OWNER; from++)
    for (AaRole to = AA_ROLE_MEMBER; to <= AA_ROLE_OWNER; to++)
      g_assert_false (aa_role_can_change (AA_ROLE_MEMBER, from, to));

  /* An admin changes members and admins, never owners, makes no owners. */
  g_assert_true (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_MEMBER, AA_ROLE_ADMIN));
  g_assert_true (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_ADMIN, AA_ROLE_MEMBER));
  g_assert_false (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_MEMBER, AA_ROLE_OWNER));
  g_assert_false (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_OWNER, AA_ROLE_ADMIN));

  /* An owner changes anything, but the same role is no change. */
  g_assert_true (aa_role_can_change (AA_ROLE_OWNER, AA_ROLE_OWNER, AA_ROLE_MEMBER));
  g_assert_true (aa_role_can_change (AA_ROLE_OWNER, AA_ROLE_MEMBER, AA_ROLE_OWNER));
  g_assert_false (aa_role_can_change (AA_ROLE_OWNER, AA_ROLE_ADMIN, AA_ROLE_ADMIN));

  for (AaRole role = AA_ROLE_MEMBER; role <= AA_ROLE_OWNER; role++) {
    AaRole parsed;

    g_assert_true (aa_role_from_string (aa_role_to_string (role), &parsed));
    g_assert_cmpint (parsed, ==, role);
  }
  g_assert_false (aa_role_from_string ("boss", NULL));
}

/* Messages quote a name with “…”: a name with quotation marks of its own
 * keeps them as inner ones, and a long one is shortened so that a toast
 * stays on one line. */
static void
test_subjects (void)
{
  g_autofree char *plain = aa_subject_for_messages ("Buy milk");
  g_autofree char *quoted = aa_subject_for_messages ("Read “Dune” again");
  g_autofree char *straight = aa_subject_for_messages ("Say \"hi\" to Ana");
  g_autofree char *lengthy = aa_subject_for_messages ("Write the quarterly report for the board and send it to everyone");
  g_autofree char *unbroken = aa_subject_for_messages ("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

  g_autofree char *listed = aa_subject_for_messages ("Design system workshop, two days, Studio Lindqvist");

  g_assert_cmpstr (plain, ==, "Buy milk");
  g_assert_cmpstr (listed, ==, "Design system workshop, two days…");
  g_assert_cmpstr (quoted, ==, "Read ‘Dune’ again");
  g_assert_cmpstr (straight, ==, "Say ‘hi’ to Ana");
  g_assert_cmpstr (lengthy, ==, "Write the quarterly report for the…");
  g_assert_cmpint (g_utf8_strlen (lengthy, -1), <=, 40);
  g_assert_cmpint (g_utf8_strlen (unbroken, -1), ==, 40);
  g_assert_true (g_str_has_suffix (unbroken, "…"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/Feedback/rules-table", test_rules_table);
  g_test_add_func ("/Aa/Feedback/rules-outcomes", test_rules_outcomes);
  g_test_add_func ("/Aa/Feedback/every-error-message", test_every_error_message);
  g_test_add_func ("/Aa/Feedback/specific-messages", test_specific_messages);
  g_test_add_func ("/Aa/Feedback/labels", test_labels);
  g_test_add_func ("/Aa/Feedback/choose-tier", test_choose_tier);
  g_test_add_func ("/Aa/Feedback/plurals", test_plurals);
  g_test_add_func ("/Aa/Feedback/tolerant-resources", test_tolerant_resources);
  g_test_add_func ("/Aa/Feedback/roles", test_roles);
  g_test_add_func ("/Aa/Feedback/subjects", test_subjects);

  {
    g_autoptr(AaRestClient) client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");
    int status;

    manager = aa_action_manager_new (client);
    status = g_test_run ();
    g_clear_object (&manager);
    return status;
  }
}
