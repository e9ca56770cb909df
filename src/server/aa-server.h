/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AA_TYPE_SERVER (aa_server_get_type ())

G_DECLARE_FINAL_TYPE (AaServer, aa_server, AA, SERVER, GObject)

/*
 * The demo REST backend (the contract is in README.md). It lives on the
 * thread-default main context that is current when aa_server_listen() is
 * called, and never touches another one.
 *
 * Construct properties: "data-path" (the SQLite database; created from the
 * demo data when missing, imported when it holds the JSON format of earlier
 * versions), "token" (nullable: no auth), "allowed-hosts" (host names to
 * answer to besides addresses and localhost), "request-timeout" (seconds),
 * "latency-ms", "failure-rate", "seed", "generate-notes" (extra notes when
 * seeding), "verbose", "ignore-idempotency-keys" (a plain backend that
 * neither requires, records nor replays Idempotency-Key, for tests of
 * clients). aa_server_new() is g_initable_new() with the first two.
 */
AaServer   *aa_server_new          (const char  *data_path,
                                    const char  *token,
                                    GError     **error);

void        aa_server_set_latency_ms   (AaServer *self,
                                        guint     latency_ms);
void        aa_server_set_failure_rate (AaServer *self,
                                        double    failure_rate);
void        aa_server_set_seed         (AaServer *self,
                                        guint32   seed);
/* Logs each request to stderr. */
void        aa_server_set_verbose      (AaServer *self,
                                        gboolean  verbose);

/* Listens on 127.0.0.1 and ::1 (every address with @listen_all); @port 0
 * picks a free one. */
gboolean    aa_server_listen       (AaServer    *self,
                                    guint        port,
                                    gboolean     listen_all,
                                    GError     **error);
/* "http://127.0.0.1:PORT/api/v1", after listening. */
char       *aa_server_dup_url      (AaServer    *self);
/* Writes anything unwritten, and stops listening. */
void        aa_server_shutdown     (AaServer    *self);
/* GET /events: keep-alive period, bytes queued for a reader before it is
 * cut, events kept for Last-Event-ID; 0 leaves a value as it is. */
void        aa_server_set_stream_options (AaServer *self,
                                          guint     keepalive_ms,
                                          gsize     limit,
                                          guint     events_kept);

G_END_DECLS
