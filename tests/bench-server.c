/* Benchmarks of the demo server: durable writes at 100 and 10,000 notes and
 * reads of the list at 1,000, each next to a baseline measured in the same
 * run on the same machine (an fsync loop on the same file system; bare
 * libsoup answering a fixed body). Run with `meson test -C _build
 * --benchmark`. The numbers are printed with their targets, not asserted:
 * the machine is shared, and a timing is not a test. */

#define G_LOG_DOMAIN "aa-bench-server"

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "aa-test-utils.h"

#define N_WRITES      5000
#define N_WINDOWS     10
#define N_FSYNCS      1000
#define READ_SECONDS  3.0

#define TARGET_PATCH_MEDIAN_MS  3.0
#define TARGET_PATCH_P99_MS    10.0
#define TARGET_FLATNESS         1.3
#define TARGET_LIST_PER_S    1500.0

typedef struct {
  AaTestServerProcess *process;
  const char          *url;
  SoupSession         *session;
} Server;

/* The real binary on a fresh database of @n_notes notes (the seed has 12). */
static Server *
server_start (guint n_notes)
{
  Server *server = g_new0 (Server, 1);

  g_assert_cmpuint (n_notes, >=, 12);
  server->process = aa_test_server_process_start (NULL, n_notes - 12);
  server->url = server->process->url;
  server->session = soup_session_new_with_options ("timeout", 30, NULL);

  return server;
}

static void
server_stop (Server *server)
{
  aa_test_server_process_free (server->process);
  g_object_unref (server->session);
  g_free (server);
}

static GBytes *
send (SoupSession *session,
      const char  *method,
      const char  *uri,
      const char  *body,
      const char  *key,
      guint        expected_status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  if (body != NULL) {
    g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  }
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);

  return bytes;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The @q quantile of @n values, sorting them. */
static double
quantile (double *values,
          gsize   n,
          double  q)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[MIN ((gsize) (q * (double) n), n - 1)];
}

/* Median time of appending ~1 KB to a file and fdatasync-ing it, in the
 * folder the database will be in: the floor under a durable write. */
static double
fsync_baseline_ms (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aa-bench-server-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fsync", NULL);
  g_autofree double *times = g_new (double, N_FSYNCS);
  char block[1024];
  int fd;

  g_assert_no_error (error);
  memset (block, 'x', sizeof block);
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < N_FSYNCS; i++) {
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpint (write (fd, block, sizeof block), ==, sizeof block);
    g_assert_cmpint (fdatasync (fd), ==, 0);
    times[i] = (g_get_monotonic_time () - start) / 1000.0;
  }
  close (fd);
  g_unlink (path);
  g_rmdir (dir);

  return quantile (times, N_FSYNCS, 0.5);
}

static void
measure_writes (guint   n_notes,
                double  fsync_ms)
{
  Server *server = server_start (n_notes);
  g_autofree double *times = g_new (double, N_WRITES);
  g_autofree double *window = g_new (double, N_WRITES / N_WINDOWS);
  g_autoptr(GString) windows = g_string_new (NULL);
  double first = 0, last = 0, median, p99;

  for (guint i = 0; i < N_WRITES; i++) {
    /* Spread over the notes; the seed's ids are 1..12, generated ones follow. */
    g_autofree char *uri = g_strdup_printf ("%s/items/%u", server->url, 1 + (i * 7919) % n_notes);
    g_autofree char *key = g_strdup_printf ("bench-%u-%u", n_notes, i);
    g_autoptr(GBytes) answer = NULL;
    gint64 start = g_get_monotonic_time ();

    answer = send (server->session, "PATCH", uri, i % 2 == 0 ? "{\"done\": true}" : "{\"done\": false}", key, 200);
    times[i] = (g_get_monotonic_time () - start) / 1000.0;
  }

  for (guint w = 0; w < N_WINDOWS; w++) {
    gsize size = N_WRITES / N_WINDOWS;
    double m;

    memcpy (window, times + w * size, size * sizeof *window);
    m = quantile (window, size, 0.5);
    g_string_append_printf (windows, "%s%.2f", w > 0 ? " " : "", m);
    if (w == 0)
      first = m;
    last = m;
  }
  median = quantile (times, N_WRITES, 0.5);
  p99 = quantile (times, N_WRITES, 0.99);

  g_test_message ("PATCH at %u notes, %u durable writes: median %.2f ms (target %.1f), p99 %.2f ms (target %.1f)",
                  n_notes, N_WRITES, median, TARGET_PATCH_MEDIAN_MS, p99, TARGET_PATCH_P99_MS);
  g_test_message ("  median per window of %u: %s ms; last/first %.2f (target %.1f)",
                  N_WRITES / N_WINDOWS, windows->str, last / first, TARGET_FLATNESS);
  g_test_message ("  median / fsync baseline: %.1f", median / fsync_ms);
  if (median > TARGET_PATCH_MEDIAN_MS || p99 > TARGET_PATCH_P99_MS || last / first > TARGET_FLATNESS)
    g_test_message ("  TARGET MISSED on this run");

  server_stop (server);
}

static void
test_writes (void)
{
  double fsync_ms = fsync_baseline_ms ();

  g_test_message ("baseline: 1 KB append + fdatasync, median of %u: %.2f ms", N_FSYNCS, fsync_ms);
  measure_writes (100, fsync_ms);
  measure_writes (10000, fsync_ms);
}

/* GET @uri as often as it goes for READ_SECONDS. */
static double
requests_per_second (SoupSession *session,
                     const char  *uri)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (READ_SECONDS * G_USEC_PER_SEC);
  guint n = 0;

  while (g_get_monotonic_time () < end) {
    g_autoptr(GBytes) answer = send (session, "GET", uri, NULL, NULL, 200);

    g_assert_cmpuint (g_bytes_get_size (answer), >, 0);
    n++;
  }

  return n / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

typedef struct {
  GBytes       *body;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  guint         port;
  GMutex        mutex;
  GCond         cond;
} Bare;

static void
bare_cb (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  Bare *bare = data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bare->body);
}

static gpointer
bare_thread (gpointer data)
{
  Bare *bare = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (bare->context);
  bare->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (bare->soup, NULL, bare_cb, bare, NULL);
  soup_server_listen_local (bare->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (bare->soup);

  g_mutex_lock (&bare->mutex);
  bare->port = (guint) g_uri_get_port (uris->data);
  g_cond_signal (&bare->cond);
  g_mutex_unlock (&bare->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (bare->loop);
  soup_server_disconnect (bare->soup);
  g_clear_object (&bare->soup);
  g_main_context_pop_thread_default (bare->context);

  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Bare libsoup answering @body from memory: the ceiling for the list. */
static double
bare_requests_per_second (GBytes *body)
{
  Bare bare = { .body = body };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = NULL;
  GThread *thread;
  double rate;

  bare.context = g_main_context_new ();
  bare.loop = g_main_loop_new (bare.context, FALSE);
  g_mutex_init (&bare.mutex);
  g_cond_init (&bare.cond);

  thread = g_thread_new ("bare-libsoup", bare_thread, &bare);
  g_mutex_lock (&bare.mutex);
  while (bare.port == 0)
    g_cond_wait (&bare.cond, &bare.mutex);
  g_mutex_unlock (&bare.mutex);

  uri = g_strdup_printf ("http://127.0.0.1:%u/", bare.port);
  rate = requests_per_second (session, uri);

  g_main_context_invoke (bare.context, quit_cb, bare.loop);
  g_thread_join (thread);
  g_main_loop_unref (bare.loop);
  g_main_context_unref (bare.context);
  g_mutex_clear (&bare.mutex);
  g_cond_clear (&bare.cond);

  return rate;
}

static void
test_reads (void)
{
  Server *server = server_start (1000);
  g_autofree char *uri = g_strconcat (server->url, "/items", NULL);
  g_autoptr(GBytes) list = send (server->session, "GET", uri, NULL, NULL, 200);
  double rate = requests_per_second (server->session, uri);
  double bare = bare_requests_per_second (list);

  g_test_message ("GET /items at 1000 notes (%" G_GSIZE_FORMAT " bytes): %.0f req/s (target %.0f); "
                  "bare libsoup, same body: %.0f req/s; ratio %.2f",
                  g_bytes_get_size (list), rate, TARGET_LIST_PER_S, bare, rate / bare);
  if (rate < TARGET_LIST_PER_S)
    g_test_message ("  TARGET MISSED on this run");

  server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/BenchServer/writes", test_writes);
  g_test_add_func ("/Aa/BenchServer/reads", test_reads);

  return g_test_run ();
}
