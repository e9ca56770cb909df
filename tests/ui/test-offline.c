/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "test-offline"

/* The truth in the window (issue 20): offline is a state said once, the
 * changes made meanwhile stay shown and marked and land once, pessimistic
 * actions are refused at once, and the quit dialog says what holds for
 * each change. Against the real embedded server, with the demo's Offline
 * condition (the app's own requests never reach it). */

#include "config.h"

#include "aa-item-row-private.h"
#include "aa-note-editor-private.h"
#include "aa-offline-banner.h"
#include "aa-pages-test-helpers.h"
#include "aa-ui.h"

typedef struct {
  AaItem      *item;
  AaSyncState  state;
} Expect;

static gboolean
sync_state_is_cb (gpointer user_data)
{
  Expect *expect = user_data;

  return aa_resource_get_sync_state (AA_RESOURCE (expect->item)) == expect->state;
}

static void
wait_sync_state (AaItem      *item,
                 AaSyncState  state)
{
  Expect expect = { item, state };

  aa_test_wait_until (sync_state_is_cb, &expect, 15000);
}

static AaOfflineBanner *
banner_of (AaUiFixture *fixture)
{
  return AA_OFFLINE_BANNER (aa_window_get_offline_banner (fixture->window));
}

static gboolean
banner_hidden_cb (gpointer user_data)
{
  return !aa_offline_banner_get_revealed (user_data);
}

static guint
count_patches (AaUiFixture *fixture,
               AaItem      *item)
{
  g_autofree char *path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (item)));

  return aa_test_count_requests (fixture->server, "PATCH", path);
}

static gboolean
server_flag (AaUiFixture *fixture,
             AaItem      *item,
             const char  *field)
{
  g_autoptr(JsonObject) object = NULL;
  guint status = 0;

  object = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_get_boolean_member (object, field);
}

/* The Offline condition: the banner says so at once, persistently, as an
 * alert; the header says Offline, not "Reconnecting…"; when the server is
 * back, the banner says so and goes by itself. */
static void
test_banner (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaOfflineBanner *banner = banner_of (fixture);

  aa_offline_banner_set_back_delay (banner, 200);
  g_assert_false (aa_offline_banner_get_revealed (banner));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (banner)))),
                                   GTK_ACCESSIBLE_ROLE_ALERT);

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  g_assert_true (aa_offline_banner_get_revealed (banner));
  g_assert_cmpstr (aa_offline_banner_get_title (banner), ==,
                   "Offline — the server can’t be reached. Your changes are kept and will be sent when it’s back.");

  /* Persistent: it stays however long the outage lasts. */
  aa_ui_iterate_ms (500);
  g_assert_true (aa_offline_banner_get_revealed (banner));

  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_test_wait_until (banner_hidden_cb, banner, 10000);
  g_assert_true (aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (fixture->manager))));

  aa_ui_fixture_free (fixture);
}

/* A real outage, no demo condition: nothing listens at the server's
 * address. The first request that can't reach it makes the window say
 * Offline, in the banner and in the header. */
static void
test_banner_real_outage (void)
{
  g_autofree char *url = aa_test_unreachable_url ();
  g_autoptr(AaRestClient) client = aa_rest_client_new (url);
  g_autoptr(AaActionManager) manager = aa_action_manager_new (client);
  AaWindow *window = g_object_ref_sink (aa_window_new (NULL, manager));
  AaOfflineBanner *banner = AA_OFFLINE_BANNER (aa_window_get_offline_banner (window));

  gtk_window_present (GTK_WINDOW (window));
  aa_test_wait_until ((AaTestCondition) aa_offline_banner_get_revealed, banner, 15000);
  g_assert_true (g_str_has_prefix (aa_offline_banner_get_title (banner), "Offline — "));
  g_assert_false (aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (manager))));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  aa_ui_iterate_ms (20);
}

/* A star and a done made offline stay shown, marked on their rows as
 * waiting (for a screen reader too), with no toast; when the server is
 * back they are sent by themselves, the marks go, and the server applied
 * each exactly once. */
static void
test_star_done_land_once (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaOfflineBanner *banner = banner_of (fixture);
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  gboolean starred = aa_item_get_starred (a);
  gboolean done = aa_item_get_done (b);
  AaItemRow *row_a = AA_ITEM_ROW (aa_ui_fixture_wait_row (fixture, a));
  AaItemRow *row_b = AA_ITEM_ROW (aa_ui_fixture_wait_row (fixture, b));
  GtkWidget *mark;

  aa_offline_banner_set_back_delay (banner, 200);
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");

  /* Clicked on the rows, as a user would. */
  g_signal_emit_by_name (aa_item_row_get_star_button (row_a), "clicked");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (aa_item_row_get_done_check (row_b)), !done);
  wait_sync_state (a, AA_SYNC_STATE_WAITING);
  wait_sync_state (b, AA_SYNC_STATE_WAITING);

  /* Shown, marked, said once. */
  g_assert_cmpint (aa_item_get_starred (a), ==, !starred);
  g_assert_cmpint (aa_item_get_done (b), ==, !done);
  mark = aa_item_row_get_sync_image (row_a);
  g_assert_nonnull (mark);
  g_assert_true (gtk_widget_get_visible (mark));
  gtk_test_accessible_assert_property (mark, GTK_ACCESSIBLE_PROPERTY_LABEL, "Waiting to be sent");
  g_assert_true (g_str_has_prefix (aa_ui_get_tooltip (mark), "Waiting to be sent"));
  g_assert_true (gtk_widget_get_visible (aa_item_row_get_sync_image (row_b)));
  g_assert_null (aa_window_get_shown_toast (fixture->window));
  g_assert_cmpuint (aa_window_get_toasts (fixture->window)->len, ==, 0);
  g_assert_cmpstr (aa_offline_banner_get_title (banner), ==,
                   "Offline — 2 changes are kept and will be sent when the server is back.");

  /* It waits as long as the outage lasts: nothing rolls back, nothing sent. */
  aa_ui_iterate_ms (1500);
  g_assert_cmpint (aa_item_get_starred (a), ==, !starred);
  g_assert_cmpint (aa_resource_get_sync_state (AA_RESOURCE (a)), ==, AA_SYNC_STATE_WAITING);
  g_assert_cmpuint (count_patches (fixture, a), ==, 0);
  g_assert_cmpuint (count_patches (fixture, b), ==, 0);
  g_assert_null (aa_window_get_shown_toast (fixture->window));

  /* Back: sent without a Retry, each applied once. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  wait_sync_state (a, AA_SYNC_STATE_SYNCED);
  wait_sync_state (b, AA_SYNC_STATE_SYNCED);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_false (gtk_widget_get_visible (aa_item_row_get_sync_image (row_a)));
  g_assert_false (gtk_widget_get_visible (aa_item_row_get_sync_image (row_b)));
  g_assert_cmpint (aa_item_get_starred (a), ==, !starred);
  g_assert_cmpint (aa_item_get_done (b), ==, !done);
  g_assert_cmpint (server_flag (fixture, a, "starred"), ==, !starred);
  g_assert_cmpint (server_flag (fixture, b, "done"), ==, !done);
  g_assert_cmpuint (count_patches (fixture, a), ==, 1);
  g_assert_cmpuint (count_patches (fixture, b), ==, 1);
  aa_test_wait_until (banner_hidden_cb, banner, 10000);

  aa_ui_fixture_free (fixture);
}

static gboolean
is_waiting_mark_cb (GtkWidget *widget,
                    gpointer   data)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (aa_ui_get_tooltip (widget), data) == 0;
}

/* A note moved to the Trash offline leaves the list and is in the Trash
 * at once, marked as waiting to be sent there too; it lands once. */
static void
test_trash_waits (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autofree char *path = g_strdup_printf ("/items/%s", aa_resource_get_id (AA_RESOURCE (a)));
  const char *waiting = "Waiting to be sent: the server can’t be reached. It is sent by itself once the server is back.";
  GtkWidget *page, *list;
  AaMutation *delete;

  page = aa_pages_show (fixture, "trash");
  list = aa_trash_page_get_list_box (AA_TRASH_PAGE (page));
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  delete = aa_action_manager_delete_note (fixture->manager, a);
  wait_sync_state (a, AA_SYNC_STATE_WAITING);
  aa_ui_iterate_ms (50);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_WAITING);
  g_assert_nonnull (aa_ui_find_widget (list, is_waiting_mark_cb, (gpointer) waiting));
  g_assert_null (aa_window_get_shown_toast (fixture->window));

  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_pages_wait_settled (delete);
  g_assert_cmpint (aa_mutation_get_state (delete), ==, AA_MUTATION_STATE_SUCCEEDED);
  aa_ui_iterate_ms (50);
  g_assert_null (aa_ui_find_widget (list, is_waiting_mark_cb, (gpointer) waiting));
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "DELETE", path), ==, 1);

  aa_ui_fixture_free (fixture);
}

/* Paying while offline is refused at once, at the form, without asking
 * to confirm a payment that can't happen: nothing happened (no request,
 * the invoice still open), and what to do; never queued to be charged
 * later. */
static void
test_pay_refused (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  GtkWidget *page = aa_pages_show (fixture, "billing");
  AaInvoiceRow *row = aa_pages_invoice_row (fixture, page, "Hosting");
  AaInvoice *invoice = aa_invoice_row_get_invoice (row);
  GtkWidget *message = aa_invoice_row_get_message_label (row);
  AaMutation *mutation;

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  g_signal_emit_by_name (aa_invoice_row_get_pay_button (row), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (aa_invoice_row_get_card_entry (row)), "4242 4242 4242 4242");
  g_signal_emit_by_name (aa_invoice_row_get_submit_button (row), "clicked");

  /* Nothing to confirm: refused at once. */
  g_assert_null (aa_pages_invoice_dialog (row));
  mutation = aa_invoice_row_get_mutation (row);
  g_assert_nonnull (mutation);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpuint (aa_mutation_get_attempts (mutation), ==, 0);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==,
                   "Couldn’t pay “Hosting and backups, November”. "
                   "Nothing was changed: the server can’t be reached. Try again once it’s back.");
  g_assert_false (gtk_widget_get_visible (aa_invoice_row_get_retry_button (row)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (aa_invoice_row_get_status_label (row))), ==, "Open");

  /* Nothing waits to charge it later. */
  aa_ui_iterate_ms (300);
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_ui_iterate_ms (500);
  g_assert_cmpint (aa_mutation_get_state (mutation), ==, AA_MUTATION_STATE_FAILED);
  g_assert_cmpuint (aa_test_count_requests (fixture->server, "POST", "/payments"), ==, 0);
  g_assert_cmpint (aa_invoice_get_status (invoice), ==, AA_INVOICE_STATUS_OPEN);

  aa_ui_fixture_free (fixture);
}

static gboolean
mutation_unknown_cb (gpointer user_data)
{
  return aa_mutation_get_state (user_data) == AA_MUTATION_STATE_UNKNOWN;
}

/* The row of the quit dialog titled @title, or NULL. */
static AdwActionRow *
quit_row (GtkWidget  *list,
          const char *title)
{
  for (GtkWidget *line = gtk_widget_get_first_child (list); line != NULL; line = gtk_widget_get_next_sibling (line)) {
    if (ADW_IS_ACTION_ROW (line) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line)), title) == 0)
      return ADW_ACTION_ROW (line);
  }

  return NULL;
}

static gboolean
find_label_cb (GtkWidget *widget,
               gpointer   data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_button_cb (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "quit-save");
}

static void
assert_quit_row (GtkWidget  *list,
                 const char *title,
                 const char *state,
                 const char *subtitle)
{
  AdwActionRow *row = quit_row (list, title);

  if (row == NULL)
    g_error ("No row “%s” in the quit dialog", title);
  g_assert_nonnull (aa_ui_find_widget (GTK_WIDGET (row), find_label_cb, (gpointer) state));
  if (subtitle != NULL)
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *line = gtk_widget_get_first_child (list); line != NULL; line = gtk_widget_get_next_sibling (line))
    n += ADW_IS_ACTION_ROW (line);

  return n;
}

/* Quitting with a change failed, one whose answer was lost, one waiting
 * offline and a draft: one row each, saying what really holds, no two
 * alike, and a heading whose count is the number of rows. The draft's
 * Save saves it. */
static void
test_quit_rows (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaNoteEditor *editor = AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autoptr(AaItem) c = aa_ui_fixture_get_item (fixture, 2);
  g_autoptr(AaItem) d = aa_ui_fixture_get_item (fixture, 3);
  g_autofree char *draft_title = NULL;
  AaMutation *failed, *unknown, *waiting;
  GtkWidget *dialog, *list, *save;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Failed: a 503, not retried. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  failed = aa_action_manager_set_done (fixture->manager, b, !aa_item_get_done (b));
  aa_pages_wait_settled (failed);
  g_assert_cmpint (aa_mutation_get_state (failed), ==, AA_MUTATION_STATE_ROLLED_BACK);

  /* Unknown: the answer lost, then the server out of reach before the
   * engine could find out. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  unknown = aa_action_manager_set_starred (fixture->manager, c, !aa_item_get_starred (c));
  aa_test_wait_until (mutation_unknown_cb, unknown, 5000);
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");

  /* Waiting: made offline. */
  waiting = aa_action_manager_set_starred (fixture->manager, a, !aa_item_get_starred (a));
  wait_sync_state (a, AA_SYNC_STATE_WAITING);
  g_assert_cmpint (aa_mutation_get_state (unknown), ==, AA_MUTATION_STATE_UNKNOWN);

  /* A draft: typed into the open note, not saved. */
  {
    GListModel *model = G_LIST_MODEL (aa_notes_page_get_selection (fixture->page));

    for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
      g_autoptr(AaItem) other = g_list_model_get_item (model, i);

      if (other == d)
        gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), i);
    }
  }
  g_assert_true (aa_note_editor_get_item (editor) == d);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (aa_note_editor_get_notes_view (editor))),
                            "Typed and not saved", -1);
  draft_title = g_strdup_printf ("Edits to “%s”", aa_item_get_title (d));

  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_ui_fixture_wait_quit_dialog (fixture);
  list = aa_quit_dialog_get_list (AA_QUIT_DIALOG (dialog));

  /* No journal here: nothing keeps it past a quit, and the row says so. */
  assert_quit_row (list, aa_mutation_get_label (waiting), "Waiting to be sent",
                   "Lost if you quit before the server is back");
  assert_quit_row (list, aa_mutation_get_label (unknown), "Being checked", aa_mutation_get_message (unknown));
  assert_quit_row (list, aa_mutation_get_label (failed), "Failed", aa_mutation_get_message (failed));
  assert_quit_row (list, draft_title, "Not saved", NULL);
  g_assert_null (strstr (aa_mutation_get_message (unknown), "Couldn’t"));
  g_assert_true (g_str_has_prefix (aa_mutation_get_message (failed), "Couldn’t"));

  /* Its count is its number of rows, and no two rows read the same. */
  g_assert_cmpuint (count_rows (list), ==, 4);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "4 Changes Not on the Server Yet");
  for (GtkWidget *line = gtk_widget_get_first_child (list); line != NULL; line = gtk_widget_get_next_sibling (line)) {
    g_autofree char *text = g_strdup_printf ("%s\n%s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line)),
                                             adw_action_row_get_subtitle (ADW_ACTION_ROW (line)));

    g_assert_true (g_hash_table_add (seen, g_steal_pointer (&text)));
  }
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "quit"), ==, "_Quit Anyway");

  /* The draft's Save saves it (offline, it waits like any change). */
  save = aa_ui_find_widget (GTK_WIDGET (quit_row (list, draft_title)), is_button_cb, NULL);
  g_assert_nonnull (save);
  g_signal_emit_by_name (save, "clicked");
  g_assert_null (quit_row (list, draft_title));
  g_assert_cmpstr (aa_item_get_notes (d), ==, "Typed and not saved");

  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "cancel");
  aa_ui_iterate_ms (50);
  aa_ui_fixture_free (fixture);
}

/* Quitting offline with changes waiting, the journal on (as the app
 * runs): it says nothing will be lost, as the journal keeps them to be sent
 * next time, and its Quit is not a destructive "Quit Anyway". */
static void
test_quit_offline_loses_nothing (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *list;
  AaMutation *star;

  g_assert_true (aa_action_manager_open_journal (fixture->manager, NULL, NULL, &error));
  g_assert_no_error (error);

  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  star = aa_action_manager_set_starred (fixture->manager, a, !aa_item_get_starred (a));
  aa_action_manager_set_done (fixture->manager, b, !aa_item_get_done (b));
  wait_sync_state (a, AA_SYNC_STATE_WAITING);
  wait_sync_state (b, AA_SYNC_STATE_WAITING);

  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_ui_fixture_wait_quit_dialog (fixture);
  list = aa_quit_dialog_get_list (AA_QUIT_DIALOG (dialog));
  g_assert_cmpuint (count_rows (list), ==, 2);
  assert_quit_row (list, aa_mutation_get_label (star), "Waiting to be sent", "Will be sent next time you open the app");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "2 Changes Not on the Server Yet");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "sent next time you open the app"));
  g_assert_nonnull (aa_ui_find_widget (dialog, find_label_cb, (gpointer) "Nothing will be lost if you quit now."));
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "quit"), ==, "_Quit");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit"), !=,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_null (aa_ui_find_widget (dialog, find_label_cb, (gpointer) "Failed"));

  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "cancel");
  aa_ui_iterate_ms (50);
  aa_ui_fixture_free (fixture);
}

static AaActivityRow *
activity_row (GtkWidget  *page,
              AaMutation *mutation)
{
  GtkWidget *row = aa_activity_page_find_row (AA_ACTIVITY_PAGE (page), mutation);

  g_assert_nonnull (row);
  return AA_ACTIVITY_ROW (row);
}

static const char *
outcome_of (GtkWidget  *page,
            AaMutation *mutation)
{
  return gtk_label_get_text (GTK_LABEL (aa_activity_row_get_outcome_label (activity_row (page, mutation))));
}

/* The Activity page says the new states in plain words, then the outcome
 * with the verb of the action, and offers no Retry on a failure that a
 * later change made moot. */
static void
test_activity (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) a = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) b = aa_ui_fixture_get_item (fixture, 1);
  gboolean starred = aa_item_get_starred (a);
  gboolean b_starred = aa_item_get_starred (b);
  AaMutation *failed, *later, *waiting, *unknown;
  GtkWidget *page, *summary;

  page = aa_pages_show (fixture, "activity");
  summary = GTK_WIDGET (gtk_widget_get_template_child (page, AA_TYPE_ACTIVITY_PAGE, "summary_label"));

  /* A star fails (503), then the same star again succeeds: the first one's
   * Retry can do nothing more. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-503\"]}");
  failed = aa_action_manager_set_starred (fixture->manager, a, !starred);
  aa_pages_wait_settled (failed);
  aa_ui_iterate_ms (50);
  g_assert_cmpstr (outcome_of (page, failed), ==, starred ? "Couldn’t unstar" : "Couldn’t star");
  g_assert_true (gtk_widget_get_visible (aa_activity_row_get_retry_button (activity_row (page, failed))));
  later = aa_action_manager_set_starred (fixture->manager, a, !starred);
  aa_pages_wait_settled (later);
  aa_ui_iterate_ms (50);
  g_assert_cmpstr (outcome_of (page, later), ==, starred ? "Unstarred" : "Starred");
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_retry_button (activity_row (page, failed))));

  /* Its answer lost, the server then out of reach: not confirmed yet. */
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  unknown = aa_action_manager_set_starred (fixture->manager, b, !b_starred);
  aa_test_wait_until (mutation_unknown_cb, unknown, 5000);
  aa_ui_fixture_set_faults (fixture, "{\"offline\": true}");
  waiting = aa_action_manager_set_done (fixture->manager, a, !aa_item_get_done (a));
  wait_sync_state (a, AA_SYNC_STATE_WAITING);
  aa_ui_iterate_ms (50);
  g_assert_cmpstr (outcome_of (page, waiting), ==, "Waiting to be sent");
  g_assert_cmpstr (outcome_of (page, unknown), ==, "Not confirmed yet — checking");
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_retry_button (activity_row (page, waiting))));
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_retry_button (activity_row (page, unknown))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "1 waiting to be sent"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "1 not confirmed yet"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "0 failed"));

  /* Back: each lands and says what it did. */
  aa_ui_fixture_set_faults (fixture, "{\"offline\": false}");
  aa_pages_wait_settled (waiting);
  aa_pages_wait_settled (unknown);
  aa_ui_iterate_ms (50);
  g_assert_cmpint (aa_mutation_get_state (unknown), ==, AA_MUTATION_STATE_SUCCEEDED);
  g_assert_cmpstr (outcome_of (page, unknown), ==, b_starred ? "Unstarred" : "Starred");
  g_assert_cmpstr (outcome_of (page, waiting), ==,
                   aa_item_get_done (a) ? "Marked as done" : "Marked as not done");

  aa_ui_fixture_free (fixture);
}

/* A create whose answer was lost, to a backend that promises nothing (a
 * resend could add the note twice): nothing can find out. The Activity
 * page says the outcome is unknown, not "checking", and offers Stop
 * Waiting; so does the quit dialog's row. Stopping leaves it unknown, never
 * failed, and nothing is left to lose on quitting. */
static void
test_unknown_let_go (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  AaEngine *engine = aa_action_manager_get_engine (fixture->manager);
  AaMutation *create;
  GtkWidget *page, *dialog, *stop;
  g_autoptr(GPtrArray) unsettled = NULL;
  AaActivityRow *row;

  aa_rest_client_set_backend_features (fixture->client, AA_BACKEND_FEATURES_NONE);
  page = aa_pages_show (fixture, "activity");
  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"lost-response\"]}");
  create = aa_action_manager_create_note (fixture->manager, "Fix bike", NULL);
  aa_test_wait_until (mutation_unknown_cb, create, 5000);
  aa_ui_iterate_ms (50);

  row = activity_row (page, create);
  stop = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), AA_TYPE_ACTIVITY_ROW, "dismiss_button"));
  g_assert_cmpstr (outcome_of (page, create), ==, "Outcome unknown");
  g_assert_true (gtk_widget_get_visible (stop));
  g_assert_false (gtk_widget_get_visible (aa_activity_row_get_retry_button (row)));

  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = aa_ui_fixture_wait_quit_dialog (fixture);
  assert_quit_row (aa_quit_dialog_get_list (AA_QUIT_DIALOG (dialog)), aa_mutation_get_label (create),
                   "Outcome unknown", aa_mutation_get_message (create));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "reload to see"));
  aa_quit_dialog_response (AA_QUIT_DIALOG (dialog), "cancel");
  aa_ui_iterate_ms (50);

  g_signal_emit_by_name (stop, "clicked");
  aa_ui_iterate_ms (50);
  g_assert_cmpint (aa_mutation_get_state (create), ==, AA_MUTATION_STATE_UNKNOWN);
  g_assert_false (aa_mutation_is_pending (create));
  g_assert_cmpstr (outcome_of (page, create), ==, "Outcome unknown");
  g_assert_false (gtk_widget_get_visible (stop));
  g_assert_cmpuint (aa_engine_get_n_unknown (engine), ==, 0);
  g_assert_cmpuint (aa_engine_get_n_failed (engine), ==, 0);
  unsettled = aa_action_manager_list_unsettled (fixture->manager);
  g_assert_cmpuint (unsettled->len, ==, 0);

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = g_dir_make_tmp ("aa-offline-XXXXXX", NULL);

  /* The journal of the quit tests, never in the user's own state folder. */
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Offline/banner", test_banner);
  g_test_add_func ("/Aa/Offline/banner-real-outage", test_banner_real_outage);
  g_test_add_func ("/Aa/Offline/star-done-land-once", test_star_done_land_once);
  g_test_add_func ("/Aa/Offline/trash-waits", test_trash_waits);
  g_test_add_func ("/Aa/Offline/pay-refused", test_pay_refused);
  g_test_add_func ("/Aa/Offline/activity", test_activity);
  g_test_add_func ("/Aa/Offline/quit-rows", test_quit_rows);
  g_test_add_func ("/Aa/Offline/unknown-let-go", test_unknown_let_go);
  g_test_add_func ("/Aa/Offline/quit-offline-loses-nothing", test_quit_offline_loses_nothing);

  return g_test_run ();
}
