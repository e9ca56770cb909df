/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "aa-domain-fixture.h"

/* Billing and team of the app's domain against the real server: paying
 * invoices (declined, lost answers, invalid cards), roles and signing in. */

static gboolean
invoice_paid (gpointer data)
{
  return aa_invoice_get_status (AA_INVOICE (data)) == AA_INVOICE_STATUS_PAID;
}

static AaInvoice *
find_invoice (Fixture *f,
              AaInvoiceStatus status)
{
  GListModel *invoices = aa_action_manager_get_invoices (f->manager);

  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++) {
    g_autoptr(AaInvoice) invoice = g_list_model_get_item (invoices, i);

    if (aa_invoice_get_status (invoice) == status)
      return invoice;
  }

  g_assert_not_reached ();
}

static gint
server_invoice_paid (Fixture   *f,
                     AaInvoice *invoice)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = server_list (f, "/invoices", &node);

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (object, "id"), aa_resource_get_id (AA_RESOURCE (invoice))) == 0)
      return g_strcmp0 (json_object_get_string_member (object, "status"), "paid") == 0;
  }

  return -1;
}

static void
test_pay (Fixture       *f,
          gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  g_autoptr(AaConfirmation) confirmation = NULL;
  g_autofree char *amount = aa_invoice_format_amount (invoice);
  g_autofree char *heading = g_strdup_printf ("Pay %s?", amount);
  g_autofree char *named = aa_subject_for_messages (aa_invoice_get_description (invoice));
  g_autofree char *paid = g_strdup_printf ("Paid “%s”", named);
  AaMutation *pay;

  confirmation = aa_action_manager_describe_payment (f->manager, invoice, "4242 4242 4242 4242");
  g_assert_cmpstr (confirmation->heading, ==, heading);
  g_assert_true (g_str_has_suffix (confirmation->body, "the card ending in 4242."));
  g_assert_false (confirmation->destructive);
  g_assert_true (amount[0] == '\xe2');  /* € */

  /* Held back longer than the look below takes, and short of the client's
   * 10 s timeout on every setup. */
  aa_test_set_faults (f->server, "{\"latency_ms\": 2000}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  g_assert_cmpint (aa_mutation_get_policy (pay), ==, AA_POLICY_PESSIMISTIC);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  /* One intention, one key, one charge. */
  g_assert_true (aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242") == pay);

  aa_test_spin (100);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpuint (f->feedback->len, ==, 0);

  aa_test_wait_until (invoice_paid, invoice, 5000);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (server_invoice_paid (f, invoice), ==, TRUE);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 1);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, paid);
  aa_test_set_faults (f->server, "{\"latency_ms\": 0}");
}

static void
test_pay_declined (Fixture       *f,
                   gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4000 0000 0000 0002");
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  wait_settled (pay);

  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (pay), AA_ERROR, AA_ERROR_REFUSED);
  g_assert_cmpstr (aa_mutation_get_message (pay), ==, "Payment failed. Try another card.");
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Payment failed. Try another card.");
  g_assert_cmpint (server_invoice_paid (f, invoice), ==, FALSE);

  /* Another card is a new intention. */
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242424242424242");
  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);
}

static gboolean
is_unknown (gpointer data)
{
  return aa_mutation_get_state (AA_MUTATION (data)) == AA_MUTATION_STATE_UNKNOWN;
}

static void
test_pay_lost_response_retry (Fixture       *f,
                              gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  /* Charged, but the answer was lost: never "Couldn't pay", and the
   * payment's own check (the invoice is paid) says it went through,
   * without paying again. */
  aa_test_set_faults (f->server, "{\"next\": [\"lost-response\"]}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  aa_test_wait_until (is_unknown, pay, 10000);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (invoice)), ==, AA_SYNC_STATE_UNKNOWN);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_null (strstr (aa_feedback_get_title (last_feedback (f)), "Couldn"));
  g_assert_nonnull (strstr (aa_feedback_get_title (last_feedback (f)), "isn’t confirmed yet"));

  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_PAID);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 1);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 1);
  g_assert_true (server_invoice_paid (f, invoice));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_TOAST, AA_FEEDBACK_ACTION_NONE);
}

/* The answer was lost and the check finds the invoice still open: a plain
 * failure that says what to do, and a retry (same key) pays once. */
static void
test_pay_timeout_not_applied (Fixture       *f,
                              gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  aa_rest_client_set_timeout (f->client, 1);
  aa_test_set_faults (f->server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 3000}");
  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 4242 4242 4242");
  aa_test_wait_until (is_unknown, pay, 10000);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);

  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);
  g_assert_false (server_invoice_paid (f, invoice));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_RETRY);

  aa_rest_client_set_timeout (f->client, 10);
  g_assert_true (aa_action_manager_retry (f->manager, pay));
  wait_settled (pay);
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_true (server_invoice_paid (f, invoice));
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 2);
}

static void
test_pay_invalid_card (Fixture       *f,
                       gconstpointer  data)
{
  AaInvoice *invoice = find_invoice (f, AA_INVOICE_STATUS_OPEN);
  AaMutation *pay;

  pay = aa_action_manager_pay_invoice (f->manager, invoice, "4242 42");
  g_assert_cmpint (aa_mutation_get_state (pay), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (pay), AA_ERROR, AA_ERROR_VALIDATION);
  g_assert_cmpuint (aa_mutation_get_attempts (pay), ==, 0);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (invoice)));
  assert_feedback (last_feedback (f), pay, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, aa_mutation_get_error (pay)->message);
  g_assert_false (aa_action_manager_retry (f->manager, pay));
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (f->manager)), ==, 0);
  aa_test_spin (50);
  g_assert_cmpuint (aa_test_count_requests (f->server, "POST", "/payments"), ==, 0);
}

static AaMember *
find_member (Fixture    *f,
             const char *name)
{
  GListModel *members = aa_action_manager_get_members (f->manager);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (members, i);

    if (g_strcmp0 (aa_member_get_name (member), name) == 0)
      return member;
  }

  g_assert_not_reached ();
}

static void
test_change_role (Fixture       *f,
                  gconstpointer  data)
{
  AaMember *me = aa_action_manager_get_me (f->manager);
  AaMember *aiko = find_member (f, "Aiko Tanaka");
  AaMember *owner = find_member (f, "Sofía Martínez");
  AaMutation *change;

  /* The seed signs in an admin. */
  g_assert_nonnull (me);
  g_assert_cmpint (aa_member_get_role (me), ==, AA_ROLE_ADMIN);
  g_assert_false (aa_role_can_change (AA_ROLE_ADMIN, AA_ROLE_MEMBER, AA_ROLE_OWNER));

  /* Forbidden, still sent: the server answers 403, nothing changes. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_OWNER);
  g_assert_true (aa_resource_get_busy (AA_RESOURCE (aiko)));
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_FAILED);
  g_assert_error (aa_mutation_get_error (change), AA_ERROR, AA_ERROR_PERMISSION);
  g_assert_false (aa_resource_get_busy (AA_RESOURCE (aiko)));
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Aiko Tanaka an owner. Only owners can make owners. Ask an owner.");
  assert_feedback (last_feedback (f), change, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);

  change = aa_action_manager_change_role (f->manager, owner, AA_ROLE_MEMBER);
  wait_settled (change);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Sofía Martínez a member. Only owners can change an owner’s role. Ask an owner.");
  g_assert_cmpint (aa_member_get_role (owner), ==, AA_ROLE_OWNER);

  /* Allowed: nothing changes until the server confirms. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN);
  g_assert_cmpstr (aa_mutation_get_label (change), ==, "Make Aiko Tanaka an admin");
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_MEMBER);
  g_assert_true (aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN) == change);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_ADMIN);
  assert_feedback (last_feedback (f), change, AA_FEEDBACK_TIER_INLINE, AA_FEEDBACK_ACTION_NONE);
  g_assert_cmpstr (aa_feedback_get_title (last_feedback (f)), ==, "Aiko Tanaka is now an admin");

  /* The same role again is no change at all. */
  g_assert_null (aa_action_manager_change_role (f->manager, aiko, AA_ROLE_ADMIN));
  g_assert_cmpuint (aa_test_count_requests (f->server, "PATCH", "/members"), ==, 3);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = aa_demo_control_sign_in_as_finish (AA_DEMO_CONTROL (object), result, &wait->error);
  wait->done = TRUE;
}

/* Signed in as the only owner: demoting oneself is the server's 409, and
 * the roles and "me" follow the session. */
static void
test_sign_in_as (Fixture       *f,
                 gconstpointer  data)
{
  AaMember *owner = find_member (f, "Sofía Martínez");
  AaMember *aiko = find_member (f, "Aiko Tanaka");
  AaMutation *change;
  Wait wait = { 0, };

  g_assert_true (aa_action_manager_get_me (f->manager) != owner);

  aa_demo_control_sign_in_as_async (f->control, owner, NULL, sign_in_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (aa_action_manager_get_me (f->manager) == owner);

  change = aa_action_manager_change_role (f->manager, owner, AA_ROLE_ADMIN);
  wait_settled (change);
  g_assert_error (aa_mutation_get_error (change), AA_ERROR, AA_ERROR_STATE);
  g_assert_cmpstr (aa_mutation_get_message (change), ==,
                   "Couldn’t make Sofía Martínez an admin. A team needs at least one owner. Make someone else an owner first.");
  g_assert_cmpint (aa_member_get_role (owner), ==, AA_ROLE_OWNER);

  /* An owner may make owners. */
  change = aa_action_manager_change_role (f->manager, aiko, AA_ROLE_OWNER);
  wait_settled (change);
  g_assert_cmpint (aa_mutation_get_state (change), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpint (aa_member_get_role (aiko), ==, AA_ROLE_OWNER);

  /* Back to a plain member: "me" follows again. */
  memset (&wait, 0, sizeof wait);
  aa_demo_control_sign_in_as_async (f->control, aiko, NULL, sign_in_cb, &wait);
  aa_test_wait_until (wait_done, &wait, 5000);
  g_assert_no_error (wait.error);
  g_assert_true (aa_action_manager_get_me (f->manager) == aiko);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Aa/Domain/Billing/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("pay", test_pay);
  ADD ("pay-declined", test_pay_declined);
  ADD ("pay-lost-response-checked", test_pay_lost_response_retry);
  ADD ("pay-timeout-not-applied", test_pay_timeout_not_applied);
  ADD ("pay-invalid-card", test_pay_invalid_card);

#undef ADD

#define ADD(path, func) \
  g_test_add ("/Aa/Domain/Team/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("change-role", test_change_role);
  ADD ("sign-in-as", test_sign_in_as);

#undef ADD

  return g_test_run ();
}
