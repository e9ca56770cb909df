/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "async-actions.h"

#include "aa-refresher.h"

G_BEGIN_DECLS

#define AA_TYPE_LIVE_SYNC (aa_live_sync_get_type ())

G_DECLARE_FINAL_TYPE (AaLiveSync, aa_live_sync, AA, LIVE_SYNC, GObject)

/*
 * Live updates: the server's changes (GET /events) applied to the models
 * as they happen, pending changes kept on top (see AaEventStream and
 * aa_resource_store_apply_remote()), and the refetch that stands in for
 * the stream when it is not connected (focus, network, reachability).
 *
 * Properties (read-only, notify):
 *   "connection-state" AaConnectionState of the stream (UNSUPPORTED
 *                      before aa_live_sync_start())
 */

AaLiveSync        *aa_live_sync_new                  (AaRefresher     *refresher,
                                                      AaResourceStore *notes,
                                                      AaResourceStore *invoices,
                                                      AaResourceStore *members);
/* The first connection refreshes the lists fetched so far once; a "reset"
 * event too. */
void               aa_live_sync_start                (AaLiveSync      *self);
void               aa_live_sync_stop                 (AaLiveSync      *self);
/* NULL before aa_live_sync_start(). */
AaEventStream     *aa_live_sync_get_event_stream     (AaLiveSync      *self);
AaConnectionState  aa_live_sync_get_connection_state (AaLiveSync      *self);
/* Unless the stream is connected (then nothing was missed), refetch the
 * lists fetched so far, debounced and at most once every 2 s. */
void               aa_live_sync_catch_up             (AaLiveSync      *self);

G_END_DECLS
