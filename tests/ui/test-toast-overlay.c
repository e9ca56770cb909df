/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-toast-overlay"

/*
 * The window's toasts (AdwToast on AdwToastOverlay): how the engine's
 * feedback becomes them, one Undo at a time, their buttons acting on the
 * change they name, and server text kept as text.
 */

#include "config.h"

#include <string.h>

#include "aa-pages-test-helpers.h"
#include "aa-ui.h"

static guint
count_toasts_with_button (AaUiFixture *fixture,
                          const char  *label)
{
  GPtrArray *toasts = aa_window_get_toasts (fixture->window);
  guint n = 0;

  for (guint i = 0; i < toasts->len; i++) {
    if (g_strcmp0 (adw_toast_get_button_label (g_ptr_array_index (toasts, i)), label) == 0)
      n++;
  }

  return n;
}

typedef struct {
  AaUiFixture *fixture;
  const char  *title;
} Shown;

static gboolean
undo_for_cb (gpointer user_data)
{
  Shown *shown = user_data;
  AdwToast *toast = aa_window_get_shown_toast (shown->fixture->window);

  return toast != NULL && g_strcmp0 (adw_toast_get_button_label (toast), "Undo") == 0 &&
         strstr (aa_ui_toast_title (toast), shown->title) != NULL;
}

/* A toast for @title was added, shown or not. */
static gboolean
undo_added_cb (gpointer user_data)
{
  Shown *shown = user_data;
  GPtrArray *toasts = aa_window_get_toasts (shown->fixture->window);

  for (guint i = 0; i < toasts->len; i++) {
    AdwToast *toast = g_ptr_array_index (toasts, i);

    if (g_strcmp0 (adw_toast_get_button_label (toast), "Undo") == 0 &&
        strstr (aa_ui_toast_title (toast), shown->title) != NULL)
      return TRUE;
  }

  return FALSE;
}

static gboolean
untrashed_cb (gpointer user_data)
{
  return !aa_item_get_trashed (user_data);
}

/* Two notes moved to the Trash in a row: one Undo, for the second, and
 * Ctrl+Z undoes that same note. */
static void
test_one_undo (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) first = aa_ui_fixture_get_item (fixture, 0);
  g_autoptr(AaItem) second = aa_ui_fixture_get_item (fixture, 1);
  /* Copies: a note's title string goes when the note is updated. */
  g_autofree char *first_title = g_strdup (aa_item_get_title (first));
  g_autofree char *second_title = g_strdup (aa_item_get_title (second));
  Shown shown = { fixture, NULL };

  aa_ui_fixture_dismiss_toasts (fixture);
  aa_action_manager_delete_note (fixture->manager, first);
  shown.title = first_title;
  aa_test_wait_until (undo_added_cb, &shown, 10000);
  g_assert_true (undo_for_cb (&shown));

  aa_action_manager_delete_note (fixture->manager, second);
  shown.title = second_title;
  aa_test_wait_until (undo_added_cb, &shown, 10000);

  /* At once the second note's Undo is on screen, and the first note's is
   * gone rather than waiting in front of it (it would stay 8 s). */
  g_assert_true (undo_for_cb (&shown));
  g_assert_cmpuint (count_toasts_with_button (fixture, "Undo"), ==, 1);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_true (aa_item_get_trashed (first));
  g_assert_true (aa_item_get_trashed (second));

  /* Ctrl+Z, with the focus out of any text field. */
  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "undo", NULL);
  aa_test_wait_until (untrashed_cb, second, 10000);
  aa_ui_fixture_wait_idle (fixture);
  g_assert_true (aa_item_get_trashed (first));
  /* Nothing left offers to undo what was undone. */
  g_assert_cmpuint (count_toasts_with_button (fixture, "Undo"), ==, 0);

  aa_ui_fixture_free (fixture);
}

/* Notes trashed one after the other while toasts slide in and out (the
 * animations on, as in the app): one Undo, for the last note. Replacing
 * the Undo by dismissing it while it slid in crashed libadwaita 1.2. */
static void
test_trashes_while_animating (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) last = NULL;
  g_autofree char *title = NULL;
  Shown shown = { fixture, NULL };

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  for (guint i = 0; i < 4; i++) {
    g_clear_object (&last);
    last = aa_ui_fixture_get_item (fixture, 0);
    aa_action_manager_delete_note (fixture->manager, last);
    aa_ui_iterate_ms (60);
  }
  title = g_strdup (aa_item_get_title (last));
  aa_ui_fixture_wait_idle (fixture);
  shown.title = title;
  aa_test_wait_until (undo_for_cb, &shown, 10000);
  aa_ui_iterate_ms (700);
  g_assert_cmpuint (count_toasts_with_button (fixture, "Undo"), ==, 1);

  aa_ui_fixture_free (fixture);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* The visible Undo acts on its own note, after another note's toast. */
static void
test_undo_button (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 2);
  g_autofree char *title = g_strdup (aa_item_get_title (item));
  Shown shown = { fixture, title };
  AdwToast *toast;

  aa_ui_fixture_dismiss_toasts (fixture);
  aa_action_manager_delete_note (fixture->manager, item);
  aa_test_wait_until (undo_for_cb, &shown, 10000);
  toast = aa_window_get_shown_toast (fixture->window);
  /* Time to reach the button. */
  g_assert_cmpuint (adw_toast_get_timeout (toast), >=, 8);
  aa_ui_fixture_click_toast_button (fixture);
  aa_test_wait_until (untrashed_cb, item, 10000);
  aa_ui_fixture_wait_idle (fixture);

  aa_ui_fixture_free (fixture);
}

static gboolean
retried_cb (gpointer user_data)
{
  return aa_mutation_get_state (user_data) == AA_MUTATION_STATE_SUCCEEDED;
}

/* A failure: a high-priority toast that stays longer, and its Retry sends
 * that change again. */
static void
test_retry_button (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);
  AaMutation *star;
  AdwToast *toast;

  aa_ui_fixture_set_faults (fixture, "{\"next\": [\"error-500\"]}");
  star = aa_action_manager_set_starred (fixture->manager, item, !aa_item_get_starred (item));
  toast = aa_ui_fixture_wait_toast (fixture, "Retry");
  g_assert_cmpint (adw_toast_get_priority (toast), ==, ADW_TOAST_PRIORITY_HIGH);
  g_assert_cmpuint (adw_toast_get_timeout (toast), >=, 10);
  g_assert_false (aa_mutation_is_pending (star));
  g_assert_cmpint (aa_mutation_get_state (star), !=, AA_MUTATION_STATE_SUCCEEDED);

  aa_ui_fixture_click_toast_button (fixture);
  aa_test_wait_until (retried_cb, star, 10000);

  aa_ui_fixture_free (fixture);
}

/* A title from the server is text, not markup: AdwToast 1.2 parses its
 * title as markup, so the window escapes it. */
static void
test_title_is_text (void)
{
  AaUiFixture *fixture = aa_ui_fixture_new ();
  const char *title = "Fish & <b>chips</b>";
  AdwToast *toast = aa_ui_toast_new (title);

  g_assert_cmpstr (aa_ui_toast_title (toast), ==, title);
  aa_window_add_toast (fixture->window, toast);
  g_assert_true (aa_window_get_shown_toast (fixture->window) == toast);
  aa_ui_fixture_dismiss_toasts (fixture);
  g_assert_null (aa_window_get_shown_toast (fixture->window));

  aa_ui_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/ToastOverlay/one-undo", test_one_undo);
  g_test_add_func ("/Aa/ToastOverlay/undo-button", test_undo_button);
  g_test_add_func ("/Aa/ToastOverlay/trashes-while-animating", test_trashes_while_animating);
  g_test_add_func ("/Aa/ToastOverlay/retry-button", test_retry_button);
  g_test_add_func ("/Aa/ToastOverlay/title-is-text", test_title_is_text);

  return g_test_run ();
}
