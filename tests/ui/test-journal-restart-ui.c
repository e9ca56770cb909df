/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-journal-restart"

/* The window is killed (SIGKILL) with a star held on the wire, a done
 * queued behind it and text typed into another note; started again on the
 * same journal, all three are back: the star and the done shown, then
 * confirmed, each applied once; the note's row marked as a draft, and the
 * text in the editor when it is opened. */

#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "aa-item-row-private.h"
#include "aa-offline-banner.h"
#include "aa-pages-test-helpers.h"
#include "aa-note-editor-private.h"
#include "aa-ui-test-helpers.h"

static gboolean
loaded_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  GtkWidget *stack = aa_notes_page_get_state_stack (fixture->page);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "content") == 0;
}

/* A window on @server with the journal on, as the app opens it. */
static AaUiFixture *
open_window (AaTestServer *server)
{
  AaUiFixture *fixture = g_new0 (AaUiFixture, 1);
  g_autoptr(GError) error = NULL;

  fixture->server = server;
  fixture->client = aa_rest_client_new (server->url);
  aa_rest_client_set_backend_features (fixture->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  fixture->manager = aa_action_manager_new (fixture->client);
  g_assert_true (aa_action_manager_open_journal (fixture->manager, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->window = g_object_ref_sink (aa_window_new (NULL, fixture->manager));
  fixture->page = AA_NOTES_PAGE (aa_window_get_notes_page (fixture->window));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  aa_window_present_when_ready (fixture->window);
  aa_test_wait_until (loaded_cb, fixture, 10000);
  aa_ui_iterate_ms (50);
  return fixture;
}

static AaItem *
item_titled (AaUiFixture *fixture,
             const char  *title)
{
  GListModel *items = aa_action_manager_get_items (fixture->manager);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (items, i);

    if (g_strcmp0 (aa_item_get_title (item), title) == 0)
      return item;
  }
  g_assert_not_reached ();
}

static AaNoteEditor *
editor_of (AaUiFixture *fixture)
{
  return AA_NOTE_EDITOR (aa_notes_page_get_editor (fixture->page));
}

static void
select_note (AaUiFixture *fixture,
             AaItem      *item)
{
  GListModel *model = G_LIST_MODEL (aa_notes_page_get_selection (fixture->page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(AaItem) other = g_list_model_get_item (model, i);

    if (other == item) {
      gtk_single_selection_set_selected (aa_notes_page_get_selection (fixture->page), i);
      g_assert_true (aa_note_editor_get_item (editor_of (fixture)) == item);
      return;
    }
  }
  g_assert_not_reached ();
}

static char *
notes_field (AaUiFixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (aa_note_editor_get_notes_view (editor_of (fixture))));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The child: three things the user saw happen, then it waits to be killed. */
static int
run_child (const char *url)
{
  AaTestServer server = { .url = (char *) url };
  AaUiFixture *fixture = open_window (&server);
  AaItem *a = item_titled (fixture, "A");
  AaItem *c = item_titled (fixture, "C");
  GtkTextBuffer *buffer;

  /* The server sits on the star; the done waits behind it. */
  aa_test_set_faults (&server, "{\"next\": [\"timeout\"], \"timeout_hold_ms\": 60000}");
  aa_action_manager_set_starred (fixture->manager, a, TRUE);
  aa_action_manager_set_done (fixture->manager, a, TRUE);

  /* Text typed into another note, never saved; no flush: the journal
   * must have it within about a second by itself. */
  select_note (fixture, c);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (aa_note_editor_get_notes_view (editor_of (fixture))));
  gtk_text_buffer_set_text (buffer, "typed before the kill", -1);
  aa_ui_iterate_ms (1200);

  g_print ("ready\n");
  fflush (stdout);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static gint64
server_version (AaUiFixture *fixture,
                AaItem      *item,
                gboolean    *starred,
                gboolean    *done)
{
  g_autoptr(JsonObject) note = NULL;
  guint status = 0;

  note = aa_ui_fixture_get_server_item (fixture, aa_resource_get_id (AA_RESOURCE (item)), &status);
  g_assert_cmpuint (status, ==, 200);
  if (starred != NULL)
    *starred = json_object_get_boolean_member (note, "starred");
  if (done != NULL)
    *done = json_object_get_boolean_member (note, "done");
  return json_object_get_int_member (note, "version");
}

static gboolean
restored_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  AaItem *a = item_titled (fixture, "A");

  return aa_item_get_starred (a) && aa_item_get_done (a);
}

static void
test_killed_window (void)
{
  AaTestServer *server = aa_test_server_start (NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  AaUiFixture *fixture;
  AaItem *a, *c;
  GtkWidget *row, *draft_image;
  gint64 version_before;
  gboolean starred = FALSE, done = FALSE;

  version_before = aa_test_create_note (server, "A");
  aa_test_create_note (server, "C");

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--child", server->url, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  /* Past what GTest prints first. */
  do {
    g_free (line);
    line = g_data_input_stream_read_line (out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (line);
  } while (line[0] == '#');
  g_assert_cmpstr (line, ==, "ready");
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* Started again, on the same journal. */
  fixture = open_window (server);
  a = item_titled (fixture, "A");
  c = item_titled (fixture, "C");
  /* The star and the done are back, shown before the server confirms. */
  aa_test_wait_until (restored_cb, fixture, 10000);

  /* The typed text: the row says so, the editor has it. */
  row = aa_ui_fixture_wait_row (fixture, c);
  draft_image = aa_item_row_get_draft_image (AA_ITEM_ROW (row));
  g_assert_nonnull (draft_image);
  g_assert_true (gtk_widget_get_visible (draft_image));
  select_note (fixture, c);
  typed = notes_field (fixture);
  g_assert_cmpstr (typed, ==, "typed before the kill");

  /* Each change applied once: the star and the done, two versions. */
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpint (server_version (fixture, a, &starred, &done), ==, version_before + 2);
  g_assert_true (starred);
  g_assert_true (done);

  aa_ui_fixture_free (fixture);
}

static gboolean
waiting_cb (gpointer user_data)
{
  return aa_mutation_get_state (user_data) == AA_MUTATION_STATE_WAITING;
}

static gboolean
banner_says_kept_cb (gpointer user_data)
{
  AaOfflineBanner *banner = user_data;

  return aa_offline_banner_get_revealed (banner) &&
         g_strcmp0 (aa_offline_banner_get_title (banner),
                    "Offline — 1 change is kept and will be sent when the server is back.") == 0;
}

static gboolean
starred_on_server_cb (gpointer user_data)
{
  AaUiFixture *fixture = user_data;
  gboolean starred = FALSE;

  server_version (fixture, item_titled (fixture, "B"), &starred, NULL);
  return starred;
}

/* Quit while offline with a star waiting, then started again while the
 * server still can't be reached: the notes can't be read, so the star
 * can't be laid on its note yet, but the window says at once, from the
 * journal, that it is kept; once the server is back, it lands, once. */
static void
test_kept_shown_offline (void)
{
  AaTestServer *server = aa_test_server_start (NULL);
  AaUiFixture *fixture;
  g_autoptr(AaMutation) star = NULL;
  g_autoptr(GError) error = NULL;
  AaOfflineBanner *banner;
  GtkWidget *activity, *load_state;
  g_autofree char *empty_title = NULL;
  gint64 version_before;

  version_before = aa_test_create_note (server, "B");

  fixture = open_window (server);
  aa_rest_client_set_blocked (fixture->client, TRUE);
  aa_connectivity_report_unreachable (aa_engine_get_connectivity (aa_action_manager_get_engine (fixture->manager)));
  star = g_object_ref (aa_action_manager_set_starred (fixture->manager, item_titled (fixture, "B"), TRUE));
  aa_test_wait_until (waiting_cb, star, 10000);
  g_assert_true (aa_journal_flush (aa_action_manager_get_journal (fixture->manager), &error));
  g_assert_no_error (error);
  /* Quit: the window and its manager go, the server stays. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  aa_ui_iterate_ms (20);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->client);
  g_free (fixture);

  fixture = g_new0 (AaUiFixture, 1);
  fixture->server = server;
  fixture->client = aa_rest_client_new (server->url);
  aa_rest_client_set_backend_features (fixture->client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  aa_rest_client_set_blocked (fixture->client, TRUE);
  fixture->manager = aa_action_manager_new (fixture->client);
  g_assert_true (aa_action_manager_open_journal (fixture->manager, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->window = g_object_ref_sink (aa_window_new (NULL, fixture->manager));
  fixture->page = AA_NOTES_PAGE (aa_window_get_notes_page (fixture->window));
  aa_window_present_when_ready (fixture->window);
  banner = AA_OFFLINE_BANNER (aa_window_get_offline_banner (fixture->window));
  aa_test_wait_until (banner_says_kept_cb, banner, 10000);
  g_assert_cmpuint (aa_action_manager_get_n_kept (fixture->manager), ==, 1);
  /* Activity says so too, rather than "No Changes Yet". */
  activity = aa_pages_show (fixture, "activity");
  load_state = aa_activity_page_get_load_state (AA_ACTIVITY_PAGE (activity));
  g_assert_cmpstr (aa_load_state_get_state (AA_LOAD_STATE (load_state)), ==, "empty");
  g_object_get (load_state, "empty-title", &empty_title, NULL);
  g_assert_cmpstr (empty_title, ==, "Changes Kept From Last Time");
  aa_pages_show (fixture, "notes");

  /* The server is back: the lists are read, the star laid on its note
   * and sent, once. */
  aa_rest_client_set_blocked (fixture->client, FALSE);
  aa_connectivity_check (aa_engine_get_connectivity (aa_action_manager_get_engine (fixture->manager)));
  aa_test_wait_until (loaded_cb, fixture, 10000);
  aa_test_wait_until (starred_on_server_cb, fixture, 10000);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_cmpuint (aa_action_manager_get_n_kept (fixture->manager), ==, 0);
  g_assert_true (aa_item_get_starred (item_titled (fixture, "B")));
  g_assert_cmpint (server_version (fixture, item_titled (fixture, "B"), NULL, NULL), ==, version_before + 1);

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  gboolean is_child = argc == 3 && g_str_equal (argv[1], "--child");
  g_autofree char *state_home = is_child ? NULL : g_dir_make_tmp ("aa-journal-ui-XXXXXX", NULL);

  /* Never the user's own state folder; the child inherits it. */
  if (state_home != NULL)
    g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  aa_ui_test_init (&argc, &argv);

  if (is_child)
    return run_child (argv[2]);

  g_test_add_func ("/Aa/JournalRestart/killed-window", test_killed_window);
  g_test_add_func ("/Aa/JournalRestart/kept-shown-offline", test_kept_shown_offline);
  return g_test_run ();
}
