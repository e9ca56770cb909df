/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Work that gives way to reads. The server's main context serves reads
 * at the default priority, from the view, at the cost of a reference; a
 * change costs far more (its JSON, its idempotency record, its answer).
 * A lane runs its callback at a lower priority, so a read that is waiting
 * is served first, and at the default one once the callback has waited
 * max_wait_ms, so reads can delay a change but never starve it. Plain
 * data owned by its user; scheduling is safe from any thread.
 */
typedef void (*AaServerLaneFunc) (gpointer data);

typedef struct {
  GMainContext     *context;
  guint             max_wait_ms;
  AaServerLaneFunc  func;
  gpointer          data;

  GMutex            mutex;
  GSource          *idle;       /* both set while scheduled */
  GSource          *deadline;
} AaServerLane;

/* Reads can hold a change back this long at most, at each of its two
 * steps on the main context (its handling, and its answer once durable). */
#define AA_SERVER_LANE_MAX_WAIT_MS 10

void aa_server_lane_init     (AaServerLane     *lane,
                              GMainContext     *context,
                              guint             max_wait_ms,
                              AaServerLaneFunc  func,
                              gpointer          data);
/* Runs the callback once soon; more calls before it runs add nothing. */
void aa_server_lane_schedule (AaServerLane     *lane);
/* Forgets a scheduled run (the caller runs the work itself). */
void aa_server_lane_cancel   (AaServerLane     *lane);
void aa_server_lane_clear    (AaServerLane     *lane);

G_END_DECLS
