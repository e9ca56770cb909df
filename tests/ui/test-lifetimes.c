/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-lifetimes"

#include "config.h"

#include <gtk/gtk.h>

#include "aa-ui-test-helpers.h"

/* Criticals are fatal in tests: a callback that reaches a widget or an
 * action group after the window has gone fails here. */

static gboolean
items_loaded_cb (gpointer user_data)
{
  return g_list_model_get_n_items (aa_action_manager_get_items (user_data)) > 0;
}

/* The first load is still on its way when the window closes (a quit right
 * after launch): its answer must not touch the window's actions. */
static void
test_window_closed_while_loading (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(AaRestClient) client = aa_rest_client_new (server->url);
  g_autoptr(AaActionManager) manager = aa_action_manager_new (client);
  AaWindow *window;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  aa_test_set_faults (server, "{\"latency_ms\": 300}");
  window = g_object_ref_sink (aa_window_new (NULL, manager));
  gtk_window_present (GTK_WINDOW (window));
  aa_ui_iterate_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (aa_action_manager_get_items (manager)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* The answer arrives after the window is gone, and is applied. */
  aa_test_wait_until (items_loaded_cb, manager, 5000);
  aa_ui_iterate_ms (100);
}

int
main (int   argc,
      char *argv[])
{
  aa_ui_test_init (&argc, &argv);

  g_test_add_func ("/Aa/Lifetimes/window-closed-while-loading", test_window_closed_while_loading);

  return g_test_run ();
}
