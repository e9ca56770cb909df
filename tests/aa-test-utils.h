/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aa-action-manager.h"
#include "aa-mutation.h"
#include "aa-server-thread.h"

G_BEGIN_DECLS

/* A real server on its own thread, on a free loopback port, with its data in
 * a fresh temporary directory. */
typedef struct {
  AaServerThread *thread;
  char           *dir;
  char           *data_path;
  char           *url;    /* base URL, ending in /api/v1 */
  char           *token;  /* NULL when started without one */
} AaTestServer;

AaTestServer *aa_test_server_start     (const char   *token);
/* Stops the server and starts a new one on the same data file (and token);
 * its url changes. */
void          aa_test_server_restart   (AaTestServer *server);
void          aa_test_server_free      (AaTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaTestServer, aa_test_server_free)

/* The demo server in a process of its own (the binary AA_SERVER_BIN
 * names), for benchmarks: without tokens, on a fresh data file in @dir (a
 * new temporary folder when NULL; either is removed with it) with
 * @n_notes notes generated. It dies with this process. */
typedef struct {
  GSubprocess *process;
  char        *dir;
  char        *url;    /* base URL, ending in /api/v1 */
} AaTestServerProcess;

AaTestServerProcess *aa_test_server_process_start (const char          *dir,
                                                   guint                n_notes);
void                 aa_test_server_process_free  (AaTestServerProcess *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaTestServerProcess, aa_test_server_process_free)

/* For g_subprocess_launcher_set_child_setup(), with this process's pid as
 * user_data (GINT_TO_POINTER (getpid ())): the child is killed when this
 * process dies, a failed assertion or meson's timeout included, and ends
 * at once if it already has. */
void          aa_test_die_with_parent  (gpointer      user_data);
/* A launcher whose children die with this process: what every test that
 * spawns a server uses, from the thread that lives as long as the test
 * (PR_SET_PDEATHSIG follows the spawning thread). */
GSubprocessLauncher *aa_test_launcher_new (GSubprocessFlags flags);

/* This process's resident memory, in bytes. */
gsize         aa_test_resident_bytes   (void);

/* One synchronous raw HTTP request, for checking the contract by status.
 * @body_json may be NULL. Headers are given as NULL-terminated name/value
 * pairs. Returns the parsed body (NULL when empty or not JSON) and sets
 * @out_status; @out_headers (optional) gets the response headers. */
JsonNode     *aa_test_request          (AaTestServer        *server,
                                        const char          *method,
                                        const char          *path,
                                        const char          *body_json,
                                        guint               *out_status,
                                        SoupMessageHeaders **out_headers,
                                        ...) G_GNUC_NULL_TERMINATED;

/* An API URL on a loopback port that was free a moment ago and that nobody
 * listens on now: a server that is not there. */
char         *aa_test_unreachable_url  (void);

/* Sets the server's faults with PUT /_control/faults, e.g. "{\"next\": [\"drop\"]}". */
void          aa_test_set_faults       (AaTestServer        *server,
                                        const char          *faults_json);

/* How many requests the server received for @method on paths starting with
 * @path_prefix, from GET /_control/stats ({"requests": [{"method", "path",
 * "status"}...]} in arrival order). */
guint         aa_test_count_requests   (AaTestServer        *server,
                                        const char          *method,
                                        const char          *path_prefix);

/* A bound on liveness in ms, stretched by AA_TEST_TIME_SCALE on a slower
 * setup (valgrind, a loaded machine). */
guint         aa_test_scale_ms         (guint                timeout_ms);

/* Iterates the default main context until @condition returns TRUE, failing
 * the test after @timeout_ms; the failure names the condition and the line
 * that waited. */
typedef gboolean (*AaTestCondition) (gpointer user_data);
void          aa_test_wait_until_at    (AaTestCondition      condition,
                                        gpointer             user_data,
                                        guint                timeout_ms,
                                        const char          *what,
                                        const char          *where);
#define aa_test_wait_until(condition, user_data, timeout_ms) \
  aa_test_wait_until_at ((condition), (user_data), (timeout_ms), #condition, G_STRLOC)

/* An AaTestCondition: TRUE once @mutation (an AaMutation) is no longer pending. */
gboolean      aa_test_mutation_settled (gpointer             mutation);
/* Waits until @mutation is no longer pending, failing after @timeout_ms
 * (scaled, as aa_test_wait_until()). */
void          aa_test_wait_settled     (AaMutation          *mutation,
                                        guint                timeout_ms);
/* Removes @path and everything below it. */
void          aa_test_remove_tree      (const char          *path);
/* Lets the default main context run for @ms. */
void          aa_test_spin             (guint                ms);

/* Refreshes @flags of @manager, iterating the default main context until
 * it is done; fails the test on an error. */
void          aa_test_refresh          (AaActionManager     *manager,
                                        AaRefreshFlags       flags);

/* POST /items {"title": @title, "notes": ""}: returns the new note's
 * version. */
gint64        aa_test_create_note      (AaTestServer        *server,
                                        const char          *title);

G_END_DECLS
