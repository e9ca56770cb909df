/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_NETWORK_POPOVER (aa_network_popover_get_type ())

G_DECLARE_FINAL_TYPE (AaNetworkPopover, aa_network_popover, AA, NETWORK_POPOVER, GtkPopover)

/*
 * "Network conditions" for demos: the demo server's latency, failure rate,
 * offline switch and one-shot faults for the next requests, through the
 * manager (GET/PUT /_control/faults). It reads the state back each time it
 * opens and after each change, so it shows what the server really has.
 * Property "degraded" (read-only): latency, failures, offline or a queued
 * fault are set.
 */
GtkWidget *aa_network_popover_new         (void);
void       aa_network_popover_set_manager (AaNetworkPopover *self,
                                           AaActionManager  *manager);
/* Queues a one-shot fault ("error-500", "timeout"...) for the next request. */
void       aa_network_popover_queue_fault (AaNetworkPopover *self,
                                           const char       *fault);

G_END_DECLS
