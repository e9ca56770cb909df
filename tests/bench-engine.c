/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Benchmarks of the engine at the scale the app promises (10,000 notes).
 * Run with `meson test -C _build --benchmark`. Each measure is printed and
 * checked against its target, so a regression fails the benchmark run. */

#define G_LOG_DOMAIN "aa-bench"

#include "config.h"

#include <malloc.h>
#include <stdlib.h>

#include "aa-action-manager.h"
#include "aa-test-utils.h"

#define N_NOTES  10000
#define N_CLICKS 1000

/* Targets. An optimistic click must change the model well inside one frame
 * (16 ms at 60 Hz) on a slow machine; the list must load in about a second. */
#define TARGET_CLICK_P99_US        1000.0
#define TARGET_CLICK_MEAN_US        250.0
#define TARGET_REFRESH_MS          1000.0
#define TARGET_BYTES_PER_NOTE      2048.0
#define TARGET_SETTLE_PER_CLICK_MS  120.0

/* What the heap holds (glibc's count): the resources themselves, whatever
 * the allocator keeps of freed memory. */
static gsize
heap_in_use (void)
{
  return mallinfo2 ().uordblks;
}

typedef struct {
  gboolean  done;
  GError   *error;
} Wait;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  aa_action_manager_refresh_finish (AA_ACTION_MANAGER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
refresh (AaActionManager *manager)
{
  Wait wait = { FALSE, NULL };

  aa_action_manager_refresh_async (manager, AA_REFRESH_ITEMS, NULL, refresh_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_large_list (void)
{
  g_autoptr(AaTestServerProcess) server = NULL;
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaActionManager) manager = NULL;
  GListModel *items;
  gsize rss_before, rss_after, heap_before, heap_after;
  gint64 start;
  double refresh_ms, bytes_per_note, heap_per_note, click_total_us = 0, click_p99_us, settle_ms;
  g_autofree double *click_us = g_new0 (double, N_CLICKS);

  server = aa_test_server_process_start (NULL, N_NOTES);
  client = aa_rest_client_new (server->url);
  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);
  manager = aa_action_manager_new (client);
  items = aa_action_manager_get_items (manager);

  rss_before = aa_test_resident_bytes ();
  heap_before = heap_in_use ();
  start = g_get_monotonic_time ();
  refresh (manager);
  refresh_ms = (g_get_monotonic_time () - start) / 1000.0;
  /* Resident once what the refresh left for the main loop ran, as in an
   * app, which goes on iterating (the store gives back the memory reading
   * the list took when it is next idle). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  rss_after = aa_test_resident_bytes ();
  heap_after = heap_in_use ();
  g_assert_cmpuint (g_list_model_get_n_items (items), >=, N_NOTES);
  bytes_per_note = (double) (rss_after - MIN (rss_before, rss_after)) / N_NOTES;
  heap_per_note = (double) (heap_after - MIN (heap_before, heap_after)) / N_NOTES;

  /* Clicks on distinct notes: the model must change inside the call. */
  for (guint i = 0; i < N_CLICKS; i++) {
    g_autoptr(AaItem) item = g_list_model_get_item (items, i * (N_NOTES / N_CLICKS));
    gboolean starred = aa_item_get_starred (item);
    gint64 t0 = g_get_monotonic_time ();
    double us;

    aa_action_manager_set_starred (manager, item, !starred);
    us = g_get_monotonic_time () - t0;
    g_assert_cmpint (aa_item_get_starred (item), ==, !starred);
    click_total_us += us;
    click_us[i] = us;
  }
  qsort (click_us, N_CLICKS, sizeof (double), compare_doubles);
  click_p99_us = click_us[N_CLICKS * 99 / 100];

  start = g_get_monotonic_time ();
  while (aa_engine_get_n_pending (aa_action_manager_get_engine (manager)) > 0)
    g_main_context_iteration (NULL, TRUE);
  settle_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (manager)), ==, 0);

  g_test_message ("refresh of %d notes: %.1f ms (target %.0f ms)", N_NOTES, refresh_ms, TARGET_REFRESH_MS);
  g_test_message ("memory: %.0f bytes per note resident (target %.0f), %.0f of them in use on the heap",
                  bytes_per_note, TARGET_BYTES_PER_NOTE, heap_per_note);
  g_test_message ("optimistic click: mean %.1f us, 99th percentile %.1f us (targets %.0f, %.0f)",
                  click_total_us / N_CLICKS, click_p99_us, TARGET_CLICK_MEAN_US, TARGET_CLICK_P99_US);
  g_test_message ("%d clicks settled on the server in %.0f ms (%.2f ms each, target %.0f)",
                  N_CLICKS, settle_ms, settle_ms / N_CLICKS, TARGET_SETTLE_PER_CLICK_MS);

  g_assert_cmpfloat (refresh_ms, <, TARGET_REFRESH_MS);
  g_assert_cmpfloat (bytes_per_note, <, TARGET_BYTES_PER_NOTE);
  g_assert_cmpfloat (click_total_us / N_CLICKS, <, TARGET_CLICK_MEAN_US);
  g_assert_cmpfloat (click_p99_us, <, TARGET_CLICK_P99_US);
  g_assert_cmpfloat (settle_ms / N_CLICKS, <, TARGET_SETTLE_PER_CLICK_MS);

  g_clear_object (&manager);
  g_clear_object (&client);
}

/* Offline drain: 1,000 changes made to 100 notes (stars and titles), then
 * sent once the server is back; the same changes made online are the
 * baseline, measured in the same run. */

#define DRAIN_NOTES          100
#define DRAIN_CHANGES        1000
#define TARGET_DRAIN_REQUESTS 200
#define TARGET_ITERATION_US  16000

/* How long the main loop spent in poll() during the last iteration:
 * waiting, not working. */
static gint64 polled_us;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 start = g_get_monotonic_time ();
  gint result = g_poll (fds, n_fds, timeout);

  polled_us += g_get_monotonic_time () - start;
  return result;
}

/* Iterates until nothing is pending; returns the longest iteration's work
 * (its time outside poll()). */
static gint64
drain (AaActionManager *manager,
       double          *out_ms)
{
  GMainContext *context = g_main_context_default ();
  gint64 longest = 0, start = g_get_monotonic_time ();

  g_main_context_set_poll_func (context, timed_poll);
  while (aa_engine_get_n_pending (aa_action_manager_get_engine (manager)) > 0) {
    gint64 t0 = g_get_monotonic_time ();

    polled_us = 0;
    g_main_context_iteration (context, TRUE);
    longest = MAX (longest, g_get_monotonic_time () - t0 - polled_us);
  }
  g_main_context_set_poll_func (context, NULL);
  *out_ms = (g_get_monotonic_time () - start) / 1000.0;

  return longest;
}

/* Change @k of the run: note k % 100, a star toggle or a new title. */
static AaMutation *
make_change (AaActionManager *manager,
             guint            k,
             const char      *run)
{
  g_autoptr(AaItem) item = g_list_model_get_item (aa_action_manager_get_items (manager), k % DRAIN_NOTES);

  if ((k / DRAIN_NOTES) % 2 == 0)
    return aa_action_manager_set_starred (manager, item, !aa_item_get_starred (item));
  else {
    g_autofree char *title = g_strdup_printf ("%s %u", run, k);

    return aa_action_manager_save_note (manager, item, title, aa_item_get_notes (item));
  }
}

/* Every note on the server shows the last change made to it, and the
 * changes of each note that were sent left in the order they were made. */
static void
assert_last_intentions (AaTestServer *api,
                        GPtrArray    *changes)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;
  JsonArray *array;

  for (guint k = 0; k + DRAIN_NOTES < changes->len; k++) {
    AaMutation *older = changes->pdata[k];

    for (guint later = k + DRAIN_NOTES; later < changes->len; later += DRAIN_NOTES) {
      AaMutation *newer = changes->pdata[later];

      if (aa_mutation_get_attempts (older) > 0 && aa_mutation_get_attempts (newer) > 0 &&
          aa_mutation_get_state (older) == AA_MUTATION_STATE_SUCCEEDED &&
          aa_mutation_get_state (newer) == AA_MUTATION_STATE_SUCCEEDED)
        g_assert_cmpint (aa_mutation_get_sent_at (older), <=, aa_mutation_get_sent_at (newer));
    }
  }

  node = aa_test_request (api, "GET", "/items?limit=1000", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  array = json_node_get_array (node);
  for (guint i = 0; i < DRAIN_NOTES; i++) {
    AaMutation *last_star = changes->pdata[changes->len - 2 * DRAIN_NOTES + i];
    AaMutation *last_title = changes->pdata[changes->len - DRAIN_NOTES + i];
    AaItem *item = AA_ITEM (aa_mutation_get_target (last_star));
    JsonObject *object = NULL;

    for (guint j = 0; j < json_array_get_length (array) && object == NULL; j++) {
      JsonObject *candidate = json_array_get_object_element (array, j);

      if (g_strcmp0 (json_object_get_string_member (candidate, "id"), aa_resource_get_id (AA_RESOURCE (item))) == 0)
        object = candidate;
    }
    g_assert_nonnull (object);
    g_assert_cmpint (json_object_get_boolean_member (object, "starred"), ==,
                     json_object_get_boolean_member (aa_mutation_get_patch (last_star), "starred"));
    g_assert_cmpstr (json_object_get_string_member (object, "title"), ==,
                     json_object_get_string_member (aa_mutation_get_patch (last_title), "title"));
  }
}

static guint
count_patches (AaTestServer *api)
{
  return aa_test_count_requests (api, "PATCH", "/items/");
}

static void
test_offline_drain (void)
{
  g_autoptr(AaTestServerProcess) server = aa_test_server_process_start (NULL, DRAIN_NOTES);
  g_autoptr(AaRestClient) client = aa_rest_client_new (server->url);
  g_autoptr(AaActionManager) manager = aa_action_manager_new (client);
  g_autoptr(GPtrArray) online = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) offline = g_ptr_array_new_with_free_func (g_object_unref);
  AaConnectivity *connectivity = aa_engine_get_connectivity (aa_action_manager_get_engine (manager));
  AaTestServer api = { .url = server->url };
  guint before, online_requests, offline_requests;
  gint64 online_longest, offline_longest;
  double online_ms, offline_ms;

  aa_rest_client_set_backend_features (client, AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS |
                                       AA_BACKEND_FEATURES_IF_MATCH | AA_BACKEND_FEATURES_EVENT_STREAM);

  refresh (manager);
  aa_connectivity_set_backoff (connectivity, 50, 200);

  /* Baseline: the same changes, the server reachable all along. */
  before = count_patches (&api);
  for (guint k = 0; k < DRAIN_CHANGES; k++)
    g_ptr_array_add (online, g_object_ref (make_change (manager, k, "Online")));
  online_longest = drain (manager, &online_ms);
  online_requests = count_patches (&api) - before;
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (manager)), ==, 0);
  assert_last_intentions (&api, online);

  /* Offline: nothing reaches the server; every change waits, shown. */
  aa_rest_client_set_blocked (client, TRUE);
  for (guint k = 0; k < DRAIN_CHANGES; k++)
    g_ptr_array_add (offline, g_object_ref (make_change (manager, k, "Offline")));
  while (aa_connectivity_get_reachable (connectivity) ||
         aa_engine_get_n_waiting (aa_action_manager_get_engine (manager)) < aa_engine_get_n_pending (aa_action_manager_get_engine (manager)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (manager)), ==, 0);

  /* Back: found by a probe, and drained with nothing pressed. */
  before = count_patches (&api);
  aa_rest_client_set_blocked (client, FALSE);
  offline_longest = drain (manager, &offline_ms);
  offline_requests = count_patches (&api) - before;
  g_assert_cmpuint (aa_engine_get_n_failed (aa_action_manager_get_engine (manager)), ==, 0);
  assert_last_intentions (&api, offline);

  g_test_message ("%d changes to %d notes, online (baseline): %u requests, drained in %.0f ms, "
                  "longest main-loop iteration %.1f ms",
                  DRAIN_CHANGES, DRAIN_NOTES, online_requests, online_ms, online_longest / 1000.0);
  g_test_message ("the same made offline: %u requests (target at most %d; %.2fx the baseline), "
                  "drained in %.0f ms after the server was back (probe included), "
                  "longest main-loop iteration %.1f ms (target %.0f)",
                  offline_requests, TARGET_DRAIN_REQUESTS, (double) offline_requests / MAX (online_requests, 1),
                  offline_ms, offline_longest / 1000.0, TARGET_ITERATION_US / 1000.0);

  g_assert_cmpuint (offline_requests, <=, TARGET_DRAIN_REQUESTS);
  g_assert_cmpint (offline_longest, <=, TARGET_ITERATION_US);

  g_clear_object (&manager);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Aa/Bench/large-list", test_large_list);
  g_test_add_func ("/Aa/Bench/offline-drain", test_offline_drain);
  return g_test_run ();
}
