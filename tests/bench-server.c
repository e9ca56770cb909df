/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Benchmarks of the demo server: durable writes at 100 and 10,000 notes and
 * reads of the list at 1,000, each next to a baseline measured in the same
 * run on the same machine (an fsync loop on the same file system; bare
 * libsoup answering a fixed body); then throughput under load: durable
 * writes from 1, 4 and 16 clients against the fdatasync floor with 1 and
 * 16 threads, and reads alone against reads under 16 writers (medians of
 * rounds, see docs/server.md). The data is on the build directory's disk,
 * not a tmpfs. Run with `meson test -C _build --benchmark`. The numbers
 * are printed with their targets, not asserted: the machine is shared, and
 * a timing is not a test. */

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

/* Throughput under load. */
#define LOAD_ROUNDS           3
#define LOAD_SECONDS          3.0
#define LOAD_NOTES            1000
#define N_READERS             4
#define TARGET_SCALING        1.5   /* 16 clients / 1 client */
#define TARGET_OF_FLOOR       0.16  /* 16 clients / the 16-thread floor */
#define TARGET_READS_KEPT     0.6   /* reads under 16 writers / reads alone */

/* A fresh folder on the build directory's file system: a benchmark of
 * durable writes on a tmpfs would measure nothing. */
static char *
bench_dir (void)
{
  g_autofree char *template = g_test_build_filename (G_TEST_BUILT, "aa-bench-server-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&template));

  g_assert_nonnull (dir);
  return dir;
}

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
  g_autofree char *dir = bench_dir ();

  g_assert_cmpuint (n_notes, >=, 12);
  server->process = aa_test_server_process_start (dir, n_notes - 12);
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
  g_autofree char *dir = bench_dir ();
  g_autofree char *path = g_build_filename (dir, "fsync", NULL);
  g_autofree double *times = g_new (double, N_FSYNCS);
  char block[1024];
  int fd;

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

/* Throughput under load: threads, each with its own session (writers) or
 * file (the floor), for LOAD_SECONDS or until told to stop. */

typedef struct {
  const char  *url;
  guint        round;
  guint        index;
  gint64       end;         /* monotonic; 0: until stop */
  gint        *stop;
  const char  *dir;
  guint        n;
} Worker;

static gboolean
worker_goes_on (Worker *worker)
{
  if (worker->end > 0)
    return g_get_monotonic_time () < worker->end;
  return !g_atomic_int_get (worker->stop);
}

static gpointer
floor_thread (gpointer data)
{
  Worker *worker = data;
  g_autofree char *path = g_strdup_printf ("%s/floor-%u", worker->dir, worker->index);
  char block[1024];
  int fd;

  memset (block, 'x', sizeof block);
  fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  while (worker_goes_on (worker)) {
    g_assert_cmpint (write (fd, block, sizeof block), ==, sizeof block);
    g_assert_cmpint (fdatasync (fd), ==, 0);
    worker->n++;
  }
  close (fd);
  g_unlink (path);

  return NULL;
}

/* A keep-alive HTTP/1.1 connection written and read by hand: the load's
 * clients share the two cores with the server, so they cost as little as
 * a client can (as wrk does), and what is measured is the server. */
typedef struct {
  GSocket *socket;
  char    *host;      /* "127.0.0.1:PORT" */
  char    *prefix;    /* the URL's path, "/api/v1" */
  GString *in;
} Conn;

static Conn *
conn_new (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  Conn *conn = g_new0 (Conn, 1);

  g_assert_nonnull (uri);
  address = g_inet_socket_address_new (loopback, (guint16) g_uri_get_port (uri));
  conn->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (conn->socket, 30);
  g_socket_connect (conn->socket, address, NULL, &error);
  g_assert_no_error (error);
  conn->host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  conn->prefix = g_strdup (g_uri_get_path (uri));
  conn->in = g_string_sized_new (256 * 1024);

  return conn;
}

static void
conn_free (Conn *conn)
{
  g_object_unref (conn->socket);
  g_free (conn->host);
  g_free (conn->prefix);
  g_string_free (conn->in, TRUE);
  g_free (conn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_free)

/* Sends one request and reads its whole answer; returns its status and
 * the size of its body. */
static guint
conn_request (Conn        *conn,
              const char  *method,
              const char  *path,
              const char  *key,
              const char  *body,
              gsize       *out_length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *end, *length_header;
  gsize head, length;
  guint status;

  g_string_append_printf (out, "%s %s%s HTTP/1.1\r\nHost: %s\r\n", method, conn->prefix, path, conn->host);
  if (key != NULL)
    g_string_append_printf (out, "Idempotency-Key: %s\r\n", key);
  if (body != NULL)
    g_string_append_printf (out, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                            strlen (body), body);
  else
    g_string_append (out, "\r\n");
  g_socket_send_with_blocking (conn->socket, out->str, out->len, TRUE, NULL, &error);
  g_assert_no_error (error);

  /* The head, then as much body as it announces. */
  g_string_truncate (conn->in, 0);
  while ((end = g_strstr_len (conn->in->str, (gssize) conn->in->len, "\r\n\r\n")) == NULL) {
    char buffer[16384];
    gssize n = g_socket_receive (conn->socket, buffer, sizeof buffer, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
    g_string_append_len (conn->in, buffer, n);
  }
  head = (gsize) (end - conn->in->str) + 4;
  g_assert_true (g_str_has_prefix (conn->in->str, "HTTP/1.1 "));
  status = (guint) g_ascii_strtoull (conn->in->str + strlen ("HTTP/1.1 "), NULL, 10);
  length_header = g_strstr_len (conn->in->str, (gssize) head, "Content-Length: ");
  g_assert_nonnull (length_header);
  length = (gsize) g_ascii_strtoull (length_header + strlen ("Content-Length: "), NULL, 10);
  while (conn->in->len < head + length) {
    char buffer[65536];
    gssize n = g_socket_receive (conn->socket, buffer, sizeof buffer, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
    g_string_append_len (conn->in, buffer, n);
  }
  g_assert_cmpuint (conn->in->len, ==, head + length);

  if (out_length != NULL)
    *out_length = length;
  return status;
}

/* PATCH with a fresh Idempotency-Key: the change and its record, durable. */
static gpointer
writer_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(Conn) conn = conn_new (worker->url);

  while (worker_goes_on (worker)) {
    g_autofree char *path = g_strdup_printf ("/items/%u", 1 + (worker->index * 61 + worker->n * 7919) % LOAD_NOTES);
    g_autofree char *key = g_strdup_printf ("load-%u-%u-%u", worker->round, worker->index, worker->n);

    g_assert_cmpuint (conn_request (conn, "PATCH", path, key,
                                    worker->n % 2 == 0 ? "{\"done\": true}" : "{\"done\": false}", NULL), ==, 200);
    /* Read by reads_under_writers() while this thread runs. */
    g_atomic_int_inc ((gint *) &worker->n);
  }

  return NULL;
}

static gpointer
reader_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(Conn) conn = conn_new (worker->url);

  while (worker_goes_on (worker)) {
    gsize length = 0;

    g_assert_cmpuint (conn_request (conn, "GET", "/items", NULL, NULL, &length), ==, 200);
    g_assert_cmpuint (length, >, 0);
    worker->n++;
  }

  return NULL;
}

/* CPU seconds the server process has used so far (user and system). */
static double
server_cpu_seconds (Server *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process->process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return 0;
  /* After the name: state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* @n_threads of @func for LOAD_SECONDS: operations per second in all. */
static double
run_threads (GThreadFunc  func,
             guint        n_threads,
             const char  *url,
             const char  *dir,
             guint        round)
{
  g_autofree Worker *workers = g_new0 (Worker, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (LOAD_SECONDS * G_USEC_PER_SEC);
  guint64 total = 0;

  for (guint i = 0; i < n_threads; i++) {
    workers[i] = (Worker) { .url = url, .dir = dir, .round = round, .index = i, .end = end };
    threads[i] = g_thread_new ("bench-load", func, &workers[i]);
  }
  for (guint i = 0; i < n_threads; i++) {
    g_thread_join (threads[i]);
    total += workers[i].n;
  }

  return total / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static guint
writes_so_far (Worker *writers,
               guint   n_writers)
{
  guint total = 0;

  for (guint i = 0; i < n_writers; i++)
    total += (guint) g_atomic_int_get ((gint *) &writers[i].n);
  return total;
}

/* Readers for LOAD_SECONDS while 16 writers run: reads per second, and
 * in @out_writes the writes per second meanwhile (reads come first, but
 * must not starve the writes). */
static double
reads_under_writers (const char *url,
                     guint       round,
                     double     *out_writes)
{
  Worker writers[16];
  GThread *threads[16];
  gint stop = 0;
  double rate;
  gint64 start;
  guint before;

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++) {
    writers[i] = (Worker) { .url = url, .round = round + 100, .index = i, .stop = &stop };
    threads[i] = g_thread_new ("bench-writer", writer_thread, &writers[i]);
  }
  /* The writers at full speed first. */
  g_usleep (G_USEC_PER_SEC / 2);
  before = writes_so_far (writers, G_N_ELEMENTS (writers));
  start = g_get_monotonic_time ();
  rate = run_threads (reader_thread, N_READERS, url, NULL, round);
  *out_writes = (writes_so_far (writers, G_N_ELEMENTS (writers)) - before) /
                ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    g_thread_join (threads[i]);

  return rate;
}

enum {
  FLOOR_1,
  FLOOR_16,
  WRITES_1,
  WRITES_4,
  WRITES_16,
  READS_ALONE,
  READS_UNDER_WRITES,
  WRITES_UNDER_READS,
  N_LOADS
};

static double
median_of (double *values)
{
  double copy[LOAD_ROUNDS];

  memcpy (copy, values, sizeof copy);
  return quantile (copy, LOAD_ROUNDS, 0.5);
}

static void
test_load (void)
{
  Server *server = server_start (LOAD_NOTES);
  g_autofree char *dir = bench_dir ();
  double rates[N_LOADS][LOAD_ROUNDS];
  double m[N_LOADS];
  double cpu;

  /* Rounds interleave the loads, so that a slow moment of the shared
   * machine hits all of them alike. */
  for (guint r = 0; r < LOAD_ROUNDS; r++) {
    rates[FLOOR_1][r] = run_threads (floor_thread, 1, NULL, dir, r);
    rates[FLOOR_16][r] = run_threads (floor_thread, 16, NULL, dir, r);
    rates[WRITES_1][r] = run_threads (writer_thread, 1, server->url, NULL, r * 10 + 1);
    rates[WRITES_4][r] = run_threads (writer_thread, 4, server->url, NULL, r * 10 + 2);
    cpu = server_cpu_seconds (server);
    rates[WRITES_16][r] = run_threads (writer_thread, 16, server->url, NULL, r * 10 + 3);
    g_test_message ("  server CPU per write at 16 clients: %.2f ms",
                    (server_cpu_seconds (server) - cpu) * 1000 / (rates[WRITES_16][r] * LOAD_SECONDS));
    rates[READS_ALONE][r] = run_threads (reader_thread, N_READERS, server->url, NULL, r);
    rates[READS_UNDER_WRITES][r] = reads_under_writers (server->url, r * 10 + 4, &rates[WRITES_UNDER_READS][r]);
    g_test_message ("round %u: floor %.0f / %.0f; writes %.0f / %.0f / %.0f; reads %.0f, under writes %.0f "
                    "(writes meanwhile %.0f)",
                    r + 1, rates[FLOOR_1][r], rates[FLOOR_16][r], rates[WRITES_1][r], rates[WRITES_4][r],
                    rates[WRITES_16][r], rates[READS_ALONE][r], rates[READS_UNDER_WRITES][r],
                    rates[WRITES_UNDER_READS][r]);
  }
  for (guint i = 0; i < N_LOADS; i++)
    m[i] = median_of (rates[i]);

  g_test_message ("Medians of %u rounds of %.0f s, %u notes, data on disk:", LOAD_ROUNDS, LOAD_SECONDS, LOAD_NOTES);
  g_test_message ("  floor, 1 KB append + fdatasync, a file per thread: 1 thread %.0f/s, 16 threads %.0f/s",
                  m[FLOOR_1], m[FLOOR_16]);
  g_test_message ("  durable PATCH/s: 1 client %.0f, 4 clients %.0f, 16 clients %.0f",
                  m[WRITES_1], m[WRITES_4], m[WRITES_16]);
  g_test_message ("  16 clients / 1 client: %.2f (target %.2f); 4 / 1: %.2f",
                  m[WRITES_16] / m[WRITES_1], TARGET_SCALING, m[WRITES_4] / m[WRITES_1]);
  g_test_message ("  16 clients / 16-thread floor: %.2f (target %.2f); 1 client / 1-thread floor: %.2f",
                  m[WRITES_16] / m[FLOOR_16], TARGET_OF_FLOOR, m[WRITES_1] / m[FLOOR_1]);
  g_test_message ("  GET /items from %u readers: alone %.0f/s, under 16 writers %.0f/s: %.2f (target %.2f)",
                  N_READERS, m[READS_ALONE], m[READS_UNDER_WRITES], m[READS_UNDER_WRITES] / m[READS_ALONE],
                  TARGET_READS_KEPT);
  g_test_message ("  PATCH/s from the 16 writers meanwhile: %.0f, %.2f of 16 clients alone "
                  "(reads go first, but never starve the writes)",
                  m[WRITES_UNDER_READS], m[WRITES_UNDER_READS] / m[WRITES_16]);
  if (m[WRITES_16] / m[WRITES_1] < TARGET_SCALING || m[WRITES_16] / m[FLOOR_16] < TARGET_OF_FLOOR ||
      m[READS_UNDER_WRITES] / m[READS_ALONE] < TARGET_READS_KEPT)
    g_test_message ("  TARGET MISSED on this run");

  server_stop (server);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Aa/BenchServer/writes", test_writes);
  g_test_add_func ("/Aa/BenchServer/reads", test_reads);
  g_test_add_func ("/Aa/BenchServer/load", test_load);

  return g_test_run ();
}
