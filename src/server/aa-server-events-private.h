/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define AA_SERVER_DEFAULT_KEEPALIVE_MS    15000
#define AA_SERVER_DEFAULT_STREAM_LIMIT    (1024 * 1024)

/*
 * GET /events: the open Server-Sent Events streams. Plain data owned by
 * AaServer; the functions are in aa-server-events.c.
 */
typedef struct {
  GHashTable *streams;       /* SoupServerMessage* -> its stream */
  GSource    *keepalive;
  guint       keepalive_ms;
  gsize       limit;         /* bytes queued for one reader before it is dropped */
  guint       n_dropped;     /* readers dropped for being too slow, for tests */
} AaServerStreams;

G_END_DECLS
