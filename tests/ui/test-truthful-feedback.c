/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-truthful-feedback"

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-pages-test-helpers.h"
#include "aa-ui-test-helpers.h"

/*
 * Retry is offered only where a retry can succeed. A star on a note that
 * another client deleted (404) or purged (410) takes the note out of the
 * list with a calm toast that says so, without Retry (a failure Retry can
 * fix keeps it: test-notes-flows' star-rollback; 401 and 403 are checked
 * status by status in test-engine). Real widgets, the real server.
 */

static void
delete_elsewhere (AaUiFixture *fixture,
                  AaItem      *item,
                  gboolean     purge)
{
  g_autofree char *path = g_strconcat ("/items/", aa_resource_get_id (AA_RESOURCE (item)), NULL);
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) emptied = NULL;
  guint status = 0;

  deleted = aa_test_request (fixture->server, "DELETE", path, NULL, &status, NULL,
                             "Idempotency-Key", "test-delete-elsewhere", NULL);
  g_assert_cmpuint (status, ==, 200);
  if (purge) {
    emptied = aa_test_request (fixture->server, "POST", "/trash/empty", NULL, &status, NULL,
                               "Idempotency-Key", "test-purge-elsewhere", NULL);
    g_assert_cmpuint (status, ==, 200);
  }
}

static gboolean
not_listed_cb (gpointer user_data)
{
  AaUiFixture *fixture = ((gpointer *) user_data)[0];
  AaItem *item = ((gpointer *) user_data)[1];

  return !g_list_store_find (G_LIST_STORE (aa_action_manager_get_items (fixture->manager)), item, NULL);
}

static void
star_gone (gboolean    purge,
           const char *says)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  gpointer data[2] = { fixture, item };
  g_autoptr(GPtrArray) unsettled = NULL;
  GtkWidget *row;
  AdwToast *toast;

  delete_elsewhere (fixture, item, purge);
  row = aa_ui_fixture_wait_row (fixture, item);
  g_signal_emit_by_name (aa_item_row_get_star_button (AA_ITEM_ROW (row)), "clicked");
  aa_ui_fixture_wait_idle (fixture);

  /* Out of the list, a toast that names it and says why, and no Retry. */
  aa_test_wait_until (not_listed_cb, data, 10000);
  toast = aa_ui_fixture_wait_toast (fixture, NULL);
  g_test_message ("%s", aa_ui_toast_title (toast));
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), title));
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), says));
  g_assert_null (adw_toast_get_button_label (toast));
  g_assert_null (aa_resource_store_lookup (aa_action_manager_get_notes (fixture->manager),
                                           aa_resource_get_id (AA_RESOURCE (item))));
  /* Nothing to lose on quitting: it can never succeed. */
  unsettled = aa_action_manager_list_unsettled (fixture->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);

  aa_ui_fixture_free (fixture);
}

static void
test_star_deleted_elsewhere (void)
{
  star_gone (FALSE, "deleted elsewhere, so it’s no longer shown here");
}

static void
test_star_purged_elsewhere (void)
{
  star_gone (TRUE, "removed for good, so it’s no longer shown here");
}

static void
flag_cb (gpointer  instance,
         gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_set_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* A toast that says the note was deleted elsewhere. */
static gboolean
says_deleted_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  AdwToast *toast = aa_window_get_shown_toast (fixture->window);

  return toast != NULL && strstr (aa_ui_toast_title (toast), "deleted elsewhere") != NULL;
}

/* A star failed and its toast offers Retry; then another client purges the
 * note, and the event says so at once. The Retry could do nothing now: its
 * toast goes, and the one that says why comes, without a button. */
static void
test_failed_then_purged_elsewhere (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 1);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  gpointer data[2] = { fixture, item };
  gboolean dismissed = FALSE;
  AaMutation *star;
  AdwToast *toast;

  aa_ui_fixture_start_live (fixture);

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  star = aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  aa_pages_wait_settled (star);
  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  g_signal_connect (toast, "dismissed", G_CALLBACK (flag_cb), &dismissed);

  delete_elsewhere (fixture, item, TRUE);
  aa_test_wait_until (not_listed_cb, data, 10000);
  aa_test_wait_until (is_set_cb, &dismissed, 10000);
  aa_test_wait_until (says_deleted_cb, fixture, 10000);
  toast = aa_window_get_shown_toast (fixture->window);
  g_test_message ("%s", aa_ui_toast_title (toast));
  g_assert_nonnull (strstr (aa_ui_toast_title (toast), title));
  g_assert_null (adw_toast_get_button_label (toast));
  g_assert_false (aa_action_manager_retry (fixture->manager, star));

  aa_action_manager_stop_live (fixture->manager);
  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/TruthfulFeedback/star-deleted-elsewhere", test_star_deleted_elsewhere);
  g_test_add_func ("/Aa/TruthfulFeedback/star-purged-elsewhere", test_star_purged_elsewhere);
  g_test_add_func ("/Aa/TruthfulFeedback/failed-then-purged-elsewhere", test_failed_then_purged_elsewhere);

  return g_test_run ();
}
