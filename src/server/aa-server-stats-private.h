/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The request log behind GET /_control/stats: the latest requests, bounded
 * in count and in the bytes of the answer (a long path is cut), so that no
 * client can make it grow without end and the answer stays within 1 MiB.
 */
typedef struct _AaServerStat AaServerStat;

typedef struct {
  GQueue entries;   /* AaServerStat* */
  gsize  n_bytes;
} AaServerStats;

#define AA_SERVER_STATS_MAX_ENTRIES 10000
#define AA_SERVER_STATS_MAX_BYTES   (1024 * 1024)
#define AA_SERVER_STATS_MAX_PATH    1024

void           aa_server_stats_init    (AaServerStats *stats);
void           aa_server_stats_clear   (AaServerStats *stats);
/* Logs a request; the entry is shared with the caller, who fills in the
 * status later and releases it. */
AaServerStat  *aa_server_stats_add     (AaServerStats *stats,
                                        const char    *method,
                                        const char    *path);
void           aa_server_stat_set_status (AaServerStat *stat,
                                          guint         status);
void           aa_server_stat_release  (AaServerStat  *stat);
JsonNode      *aa_server_stats_to_json (AaServerStats *stats);

G_END_DECLS
