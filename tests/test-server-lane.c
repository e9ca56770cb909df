/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Reads first: the server's lane (aa-server-lane-private.h) runs a change's
 * work after the reads that wait, never starved by them, and may be
 * scheduled from the writer thread; then the real server answers changes
 * while readers keep it busy. */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "aa-server-lane-private.h"
#include "aa-test-utils.h"

typedef struct {
  guint  n_runs;
  guint  reads_at_first_run;
  guint  n_reads;
  guint  reads_wanted;      /* 0: the reads never end */
} Counts;

static void
count_run (gpointer data)
{
  Counts *counts = data;

  if (counts->n_runs++ == 0)
    counts->reads_at_first_run = counts->n_reads;
}

/* A read that is ready on every iteration, as sockets are under load. */
static gboolean
read_cb (gpointer data)
{
  Counts *counts = data;

  counts->n_reads++;
  if (counts->reads_wanted > 0 && counts->n_reads >= counts->reads_wanted)
    return G_SOURCE_REMOVE;
  return G_SOURCE_CONTINUE;
}

static gboolean
has_run (gpointer data)
{
  return ((Counts *) data)->n_runs > 0;
}

static guint
add_reads (Counts *counts)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT, read_cb, counts, NULL);
}

/* Waiting reads are served before the change's work. */
static void
test_after_reads (void)
{
  Counts counts = { .reads_wanted = 5 };
  AaServerLane lane;

  aa_server_lane_init (&lane, g_main_context_default (), 60 * 1000, count_run, &counts);
  add_reads (&counts);
  aa_server_lane_schedule (&lane);
  aa_server_lane_schedule (&lane);

  aa_test_wait_until (has_run, &counts, 5000);
  g_assert_cmpuint (counts.reads_at_first_run, ==, 5);
  aa_test_spin (20);
  g_assert_cmpuint (counts.n_runs, ==, 1);

  aa_server_lane_clear (&lane);
}

/* Reads that never stop delay the work by the lane's bound, no more. */
static void
test_not_starved (void)
{
  Counts counts = { 0, };
  AaServerLane lane;
  guint reads;

  aa_server_lane_init (&lane, g_main_context_default (), 20, count_run, &counts);
  reads = add_reads (&counts);
  aa_server_lane_schedule (&lane);

  aa_test_wait_until (has_run, &counts, 5000);
  g_assert_cmpuint (counts.reads_at_first_run, >, 0);

  g_source_remove (reads);
  aa_server_lane_clear (&lane);
}

static void
test_cancel (void)
{
  Counts counts = { 0, };
  AaServerLane lane;

  aa_server_lane_init (&lane, g_main_context_default (), 1, count_run, &counts);
  aa_server_lane_schedule (&lane);
  aa_server_lane_cancel (&lane);
  aa_test_spin (30);
  g_assert_cmpuint (counts.n_runs, ==, 0);

  /* Scheduled again after a cancel, it runs. */
  aa_server_lane_schedule (&lane);
  aa_test_wait_until (has_run, &counts, 5000);
  aa_server_lane_clear (&lane);
}

/* The writer thread queues done writes and schedules the lane; the lane's
 * work takes what has gathered. None may be left behind. */
#define N_PUSHED 5000

typedef struct {
  AaServerLane  lane;
  GAsyncQueue  *queue;
  guint         n_taken;
} Handoff;

static void
take_all (gpointer data)
{
  Handoff *handoff = data;

  while (g_async_queue_try_pop (handoff->queue) != NULL)
    handoff->n_taken++;
}

static gpointer
push_thread (gpointer data)
{
  Handoff *handoff = data;

  for (guint i = 0; i < N_PUSHED; i++) {
    g_async_queue_push (handoff->queue, GUINT_TO_POINTER (i + 1));
    aa_server_lane_schedule (&handoff->lane);
    if (i % 64 == 0)
      g_thread_yield ();
  }

  return NULL;
}

static gboolean
all_taken (gpointer data)
{
  return ((Handoff *) data)->n_taken == N_PUSHED;
}

static void
test_from_thread (void)
{
  Handoff handoff = { .queue = g_async_queue_new () };
  GThread *thread;

  aa_server_lane_init (&handoff.lane, g_main_context_default (), 10, take_all, &handoff);
  thread = g_thread_new ("lane-pusher", push_thread, &handoff);

  aa_test_wait_until (all_taken, &handoff, 30000);
  g_thread_join (thread);

  aa_server_lane_clear (&handoff.lane);
  g_async_queue_unref (handoff.queue);
}

/* The real server: changes are answered while readers keep it busy. */
#define N_READERS 8
#define N_CHANGES 20

typedef struct {
  const char *url;
  gint       *stop;
  guint       n_reads;
} Reader;

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *uri = g_strconcat (reader->url, "/items", NULL);

  while (!g_atomic_int_get (reader->stop)) {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_atomic_int_inc ((gint *) &reader->n_reads);
  }

  return NULL;
}

static guint
reads_so_far (Reader *readers)
{
  guint total = 0;

  for (guint i = 0; i < N_READERS; i++)
    total += (guint) g_atomic_int_get ((gint *) &readers[i].n_reads);
  return total;
}

static void
test_changes_under_reads (void)
{
  g_autoptr(AaTestServer) server = aa_test_server_start (NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *uri = g_strconcat (server->url, "/items/3", NULL);
  Reader readers[N_READERS];
  GThread *threads[N_READERS];
  gint stop = 0;
  guint before;

  /* The bound on each change: far above a change's time under reads (the
   * lane's 10 ms, twice), far below a change that waits for reads to end. */
  session = soup_session_new_with_options ("timeout", aa_test_scale_ms (10000) / 1000, NULL);

  for (guint i = 0; i < N_READERS; i++) {
    readers[i] = (Reader) { .url = server->url, .stop = &stop };
    threads[i] = g_thread_new ("reader", reader_thread, &readers[i]);
  }
  while (reads_so_far (readers) < 100)
    g_usleep (1000);

  before = reads_so_far (readers);
  for (guint i = 0; i < N_CHANGES; i++) {
    g_autoptr(SoupMessage) msg = soup_message_new ("PATCH", uri);
    g_autofree char *body = g_strdup_printf ("{\"title\": \"Change %u\"}", i);
    g_autofree char *key = g_strdup_printf ("under-reads-%u", i);
    g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/json", request);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
    answer = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  /* The readers were served all along. */
  g_assert_cmpuint (reads_so_far (readers), >, before);

  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < N_READERS; i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/ServerLane/after-reads", test_after_reads);
  g_test_add_func ("/Aa/ServerLane/not-starved", test_not_starved);
  g_test_add_func ("/Aa/ServerLane/cancel", test_cancel);
  g_test_add_func ("/Aa/ServerLane/from-thread", test_from_thread);
  g_test_add_func ("/Aa/ServerLane/changes-under-reads", test_changes_under_reads);

  return g_test_run ();
}
