/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: one HTTP/1.1 request (method, path, headers, body, as
 * raw bytes) through libsoup's parser, the server's admission and its API
 * handlers, on a real store in a temporary directory. No socket: the bytes
 * arrive on an in-memory stream (soup_server_accept_iostream()).
 *
 * The oracle besides ASan and UBSan: whatever arrives, the first answer is
 * never a 500 (a 5xx is a fault the server injects only when told to,
 * through the control routes this target leaves out). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aa-server-private.h"

#include "aa-fuzz.h"

/* Every so many inputs, a fresh store, so that created notes don't pile up
 * and slow the run down. */
#define INPUTS_PER_STORE 20000

static AaServer *server;
static char *dir;
static GSocketAddress *local_address;
static GSocketAddress *remote_address;
static guint n_inputs;

static void
server_stop (void)
{
  if (server == NULL)
    return;
  aa_server_shutdown (server);
  while (g_main_context_iteration (NULL, FALSE));
  g_clear_object (&server);
  aa_fuzz_remove_dir (dir);
  g_clear_pointer (&dir, g_free);
}

static void
server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  dir = g_dir_make_tmp ("aa-fuzz-server-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "data.db", NULL);
  server = g_initable_new (AA_TYPE_SERVER, NULL, &error,
                           "data-path", path,
                           "token", "fuzz",
                           NULL);
  g_assert_no_error (error);
  /* What aa_server_listen() does besides listening. */
  server->context = g_main_context_ref_thread_default ();
}

static void
stop_at_exit (void)
{
  server_stop ();
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const char *answer;
  gsize answer_length;

  /* The control routes exist to inject faults, hold and delay requests:
   * the fault matrix covers them (tests/test-fault-matrix.c). */
  if (g_strstr_len ((const char *) data, size, "_control") != NULL)
    return -1;

  if (server == NULL) {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

    local_address = g_inet_socket_address_new (loopback, 8080);
    remote_address = g_inet_socket_address_new (loopback, 40000);
    atexit (stop_at_exit);
  }
  if (server == NULL || n_inputs++ % INPUTS_PER_STORE == 0) {
    server_stop ();
    server_start ();
  }

  in = g_memory_input_stream_new_from_data (g_memdup2 (data, size), (gssize) size, g_free);
  out = g_memory_output_stream_new_resizable ();
  stream = g_simple_io_stream_new (in, out);
  if (!soup_server_accept_iostream (server->soup, stream, local_address, remote_address, &error))
    g_error ("Couldn’t hand the request to the server: %s", error->message);

  /* Until the connection has nothing left to do: the input ends, so it
   * closes after at most the requests it holds. A change is answered once
   * the writer thread has it on disk: waited for, then sent. */
  for (;;) {
    gsize before;

    while (g_main_context_iteration (NULL, FALSE));
    before = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
    aa_server_store_flush (server->store, NULL);
    while (g_main_context_iteration (NULL, FALSE));
    if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) == before)
      break;
  }

  answer = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  answer_length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  /* libsoup's own 5xx (505 for an HTTP version it doesn't speak) are
   * fine; a 500 is ours. */
  if (answer_length >= 12 && memcmp (answer, "HTTP/1.1 500", 12) == 0)
    g_error ("The server answered with an internal error:\n%.*s", (int) answer_length, answer);

  return 0;
}
