/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-lane"

#include "config.h"

#include "aa-server-lane-private.h"

void
aa_server_lane_init (AaServerLane     *lane,
                     GMainContext     *context,
                     guint             max_wait_ms,
                     AaServerLaneFunc  func,
                     gpointer          data)
{
  g_return_if_fail (lane != NULL && context != NULL && func != NULL);

  *lane = (AaServerLane) {
    .context = g_main_context_ref (context),
    .max_wait_ms = max_wait_ms,
    .func = func,
    .data = data,
  };
  g_mutex_init (&lane->mutex);
}

/* With the lane's mutex held. */
static void
unschedule (AaServerLane *lane)
{
  if (lane->idle != NULL) {
    g_source_destroy (lane->idle);
    g_clear_pointer (&lane->idle, g_source_unref);
  }
  if (lane->deadline != NULL) {
    g_source_destroy (lane->deadline);
    g_clear_pointer (&lane->deadline, g_source_unref);
  }
}

static gboolean
run_cb (gpointer data)
{
  AaServerLane *lane = data;

  /* Unscheduled before the work, so that what the work misses schedules
   * a new run. */
  g_mutex_lock (&lane->mutex);
  unschedule (lane);
  g_mutex_unlock (&lane->mutex);

  lane->func (lane->data);

  return G_SOURCE_REMOVE;
}

static GSource *
attach (AaServerLane *lane,
        GSource      *source,
        int           priority)
{
  g_source_set_priority (source, priority);
  g_source_set_callback (source, run_cb, lane, NULL);
  g_source_attach (source, lane->context);

  return source;
}

void
aa_server_lane_schedule (AaServerLane *lane)
{
  g_return_if_fail (lane != NULL && lane->context != NULL);

  g_mutex_lock (&lane->mutex);
  if (lane->idle == NULL) {
    /* Below every socket of the context: it runs when no read waits. */
    lane->idle = attach (lane, g_idle_source_new (), G_PRIORITY_DEFAULT_IDLE);
    lane->deadline = attach (lane, g_timeout_source_new (lane->max_wait_ms), G_PRIORITY_DEFAULT);
  }
  g_mutex_unlock (&lane->mutex);
}

void
aa_server_lane_cancel (AaServerLane *lane)
{
  g_return_if_fail (lane != NULL);

  g_mutex_lock (&lane->mutex);
  unschedule (lane);
  g_mutex_unlock (&lane->mutex);
}

void
aa_server_lane_clear (AaServerLane *lane)
{
  if (lane == NULL || lane->context == NULL)
    return;

  aa_server_lane_cancel (lane);
  g_clear_pointer (&lane->context, g_main_context_unref);
  g_mutex_clear (&lane->mutex);
}
