/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The journal's cost on the click path, next to its baseline in the same
 * run: an optimistic click with the journal on against the engine without
 * one. Run with `meson test -C _build --benchmark bench-journal`. */

#define G_LOG_DOMAIN "aa-bench"

#include "config.h"

#include <stdlib.h>
#include <time.h>
#include <glib/gstdio.h>

#include "aa-action-manager.h"
#include "aa-test-utils.h"

#define N_NOTES  2000
#define N_CLICKS 1000
#define N_ROUNDS 5

/* Target: the journal keeps the click's p99 within 10 % of the engine's.
 * Checked on the main thread's CPU time, which is what the code costs; the
 * wall-clock time is printed too, but on a loaded machine its 99th
 * percentile is the scheduler's (a preemption is milliseconds), whichever
 * engine the click went to. */
#define TARGET_P99_RATIO 1.1

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (double *values,
            guint   n,
            guint   p)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[MIN (n - 1, n * p / 100)];
}

static void
settle (AaActionManager *manager)
{
  while (aa_engine_get_n_pending (aa_action_manager_get_engine (manager)) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static double
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* One click: the time until the model shows it (it changes inside the
 * call), on the wall clock and in this thread's CPU time. */
static double
click (AaActionManager *manager,
       guint            i,
       double          *cpu_us)
{
  GListModel *items = aa_action_manager_get_items (manager);
  g_autoptr(AaItem) item = g_list_model_get_item (items, i % g_list_model_get_n_items (items));
  gboolean starred = aa_item_get_starred (item);
  gint64 t0 = g_get_monotonic_time ();
  double c0 = thread_cpu_us ();
  double us;

  aa_action_manager_set_starred (manager, item, !starred);
  if (cpu_us != NULL)
    *cpu_us = thread_cpu_us () - c0;
  us = g_get_monotonic_time () - t0;
  g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
  return us;
}

static void
test_click_cost (void)
{
  g_autoptr(AaTestServerProcess) server = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaActionManager) plain = NULL;
  g_autoptr(AaActionManager) journaled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *plain_us = g_new0 (double, N_CLICKS * N_ROUNDS);
  g_autofree double *journal_us = g_new0 (double, N_CLICKS * N_ROUNDS);
  g_autofree double *plain_cpu = g_new0 (double, N_CLICKS * N_ROUNDS);
  g_autofree double *journal_cpu = g_new0 (double, N_CLICKS * N_ROUNDS);
  g_autofree double *durable_us = g_new0 (double, N_CLICKS / 10);
  const guint n = N_CLICKS * N_ROUNDS;
  AaJournal *journal;
  double wall_ratio, cpu_ratio;

  server = aa_test_server_process_start (NULL, N_NOTES);
  client = aa_rest_client_new (server->url);
  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  plain = aa_action_manager_new (client);
  journaled = aa_action_manager_new (client);
  g_assert_true (aa_action_manager_open_journal (journaled, NULL, NULL, &error));
  g_assert_no_error (error);
  journal = aa_action_manager_get_journal (journaled);
  aa_test_refresh (plain, AA_REFRESH_ITEMS);
  aa_test_refresh (journaled, AA_REFRESH_ITEMS);

  /* Click by click, one engine then the other, so that both meet the same
   * machine: the same server load, the same other processes. Each click is
   * on another note, as in bench-engine: each one sends a request. */
  for (guint round = 0; round < N_ROUNDS; round++) {
    for (guint i = 0; i < N_CLICKS; i++) {
      guint k = round * N_CLICKS + i;

      plain_us[k] = click (plain, k, &plain_cpu[k]);
      journal_us[k] = click (journaled, k, &journal_cpu[k]);
    }
    settle (plain);
    settle (journaled);
  }

  /* How long after the click the change is on disk (fsync()ed). */
  for (guint i = 0; i < N_CLICKS / 10; i++) {
    gint64 t0 = g_get_monotonic_time ();

    click (journaled, i, NULL);
    g_assert_true (aa_journal_flush (journal, &error));
    durable_us[i] = g_get_monotonic_time () - t0;
  }
  settle (journaled);
  g_assert_true (aa_journal_flush (journal, &error));
  g_assert_cmpuint (aa_journal_get_n_entries (journal), ==, 0);

  wall_ratio = percentile (journal_us, n, 99) / percentile (plain_us, n, 99);
  cpu_ratio = percentile (journal_cpu, n, 99) / percentile (plain_cpu, n, 99);

  g_test_message ("click -> shown, wall clock:  without a journal p50 %.1f us p99 %.1f us; with it p50 %.1f us p99 %.1f us",
                  percentile (plain_us, n, 50), percentile (plain_us, n, 99),
                  percentile (journal_us, n, 50), percentile (journal_us, n, 99));
  g_test_message ("click -> shown, CPU time:    without a journal p50 %.1f us p99 %.1f us; with it p50 %.1f us p99 %.1f us",
                  percentile (plain_cpu, n, 50), percentile (plain_cpu, n, 99),
                  percentile (journal_cpu, n, 50), percentile (journal_cpu, n, 99));
  g_test_message ("p99 ratio journal / none: %.3f in CPU time (target %.2f), %.3f on the wall clock",
                  cpu_ratio, TARGET_P99_RATIO, wall_ratio);
  g_test_message ("click -> on disk (fsync()ed by the writer thread): p50 %.0f us, p99 %.0f us",
                  percentile (durable_us, N_CLICKS / 10, 50), percentile (durable_us, N_CLICKS / 10, 99));

  g_assert_cmpfloat (cpu_ratio, <=, TARGET_P99_RATIO);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_home = g_dir_make_tmp ("aa-bench-journal-XXXXXX", NULL);

  /* Never the user's own state folder. */
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Aa/Bench/journal-click-cost", test_click_cost);
  return g_test_run ();
}
