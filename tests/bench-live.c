/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Live updates at the scale the app promises: 1,000 remote changes a second
 * applied to a store of 10,000 resources (aa_resource_store_apply_remote(),
 * coalesced at most once a frame), and a burst of 1,000 at once (a replay
 * after a reconnection). The measure is the longest main-loop iteration
 * (the work done between two polls: what would hold up a frame), next to a
 * baseline taken in the same run: the same changes made to a plain
 * GListStore of as many objects, one splice each. Run with
 * `meson test -C _build --benchmark`. */

#define G_LOG_DOMAIN "aa-bench-live"

#include "config.h"

#include "async-actions.h"

#define N_RESOURCES   10000
#define N_CHANGES     1000
#define TARGET_MS     16.0

typedef struct {
  AaResourceStore *store;     /* the engine, or */
  GListStore      *baseline;  /* a plain list */
  guint            sent;
  guint            per_tick;
  gint64           version;
} Load;

static JsonObject *
make_state (guint  index,
            gint64 version)
{
  JsonObject *state = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%u", index);
  g_autofree char *title = g_strdup_printf ("Resource %u, version %" G_GINT64_FORMAT, index, version);

  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "title", title);
  json_object_set_boolean_member (state, "flag", index % 2 == 0);
  json_object_set_int_member (state, "version", version);
  return state;
}

/* One change: a new state of a resource, as an event stream hands it over. */
static void
change_one (Load *load)
{
  guint index = g_random_int_range (0, N_RESOURCES);
  g_autoptr(JsonObject) state = make_state (index, ++load->version);

  if (load->store != NULL) {
    g_autofree char *id = g_strdup_printf ("%u", index);

    aa_resource_store_apply_remote (load->store, id, state, NULL, NULL);
  } else {
    g_autoptr(AaResource) resource = g_object_new (AA_TYPE_RESOURCE, NULL);

    g_list_store_splice (load->baseline, index, 1, (gpointer *) &resource, 1);
  }
  load->sent++;
}

static gboolean
tick_cb (gpointer data)
{
  Load *load = data;

  for (guint i = 0; i < load->per_tick && load->sent < N_CHANGES; i++)
    change_one (load);

  return load->sent < N_CHANGES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Runs the default main context by hand, timing the work of each
 * iteration (check and dispatch), not the wait for it. */
static double
worst_iteration_ms (Load   *load,
                    guint   interval_ms,
                    guint   per_tick)
{
  GMainContext *context = g_main_context_default ();
  gint64 worst = 0;
  gint64 quiet_since = 0;

  load->sent = 0;
  load->per_tick = per_tick;
  g_timeout_add (interval_ms, tick_cb, load);

  /* Until everything was sent and applied: a quiet 100 ms after the last. */
  while (load->sent < N_CHANGES || g_get_monotonic_time () - quiet_since < 100000) {
    GPollFD fds[32];
    gint max_priority, timeout, n_fds;
    gint64 start;

    g_main_context_prepare (context, &max_priority);
    n_fds = g_main_context_query (context, max_priority, &timeout, fds, G_N_ELEMENTS (fds));
    if (timeout < 0 || timeout > 20)
      timeout = 20;
    g_poll (fds, n_fds, timeout);

    start = g_get_monotonic_time ();
    if (g_main_context_check (context, max_priority, fds, n_fds)) {
      g_main_context_dispatch (context);
      quiet_since = g_get_monotonic_time ();
    }
    worst = MAX (worst, g_get_monotonic_time () - start);
  }

  return worst / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AaRestClient) client = NULL;
  g_autoptr(AaEngine) engine = NULL;
  g_autoptr(AaResourceStore) store = NULL;
  g_autoptr(GListStore) baseline = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  Load live = { 0, }, plain = { 0, };
  double live_steady, plain_steady, live_burst, plain_burst;

  g_test_init (&argc, &argv, NULL);
  g_random_set_seed (42);

  /* Nothing is sent: the client only names a server. */
  client = aa_rest_client_new ("http://127.0.0.1:9/api/v1");
  engine = aa_engine_new (client);
  store = aa_resource_store_new (engine, AA_TYPE_RESOURCE);
  baseline = g_list_store_new (AA_TYPE_RESOURCE);
  for (guint i = 0; i < N_RESOURCES; i++) {
    JsonObject *state = make_state (i, 1);
    g_autoptr(AaResource) resource = g_object_new (AA_TYPE_RESOURCE, NULL);

    g_list_store_append (baseline, resource);
    g_ptr_array_add (states, state);
  }
  aa_resource_store_apply_states (store, states, aa_engine_get_clock (engine), NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_RESOURCES);

  live.store = store;
  live.version = plain.version = 1;
  plain.baseline = baseline;

  /* 1,000 a second: one every millisecond. */
  live_steady = worst_iteration_ms (&live, 1, 1);
  plain_steady = worst_iteration_ms (&plain, 1, 1);
  /* 1,000 at once. */
  live_burst = worst_iteration_ms (&live, 1, N_CHANGES);
  plain_burst = worst_iteration_ms (&plain, 1, N_CHANGES);

  g_print ("# %u remote changes a second to %u resources: worst main-loop iteration %.2f ms "
           "(baseline, plain GListStore changes: %.2f ms; ratio %.2f; target <= %.0f ms)\n",
           N_CHANGES, N_RESOURCES, live_steady, plain_steady, live_steady / MAX (plain_steady, 0.001), TARGET_MS);
  g_print ("# a burst of %u at once: worst iteration %.2f ms (baseline %.2f ms; ratio %.2f)\n",
           N_CHANGES, live_burst, plain_burst, live_burst / MAX (plain_burst, 0.001));
  g_print ("1..1\n");
  g_assert_cmpfloat (live_steady, <=, TARGET_MS);
  g_assert_cmpfloat (live_burst, <=, TARGET_MS);
  g_print ("ok 1 /Live/bench\n");

  return 0;
}
