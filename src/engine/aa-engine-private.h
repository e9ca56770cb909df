/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-engine.h"

G_BEGIN_DECLS

/* What AaResourceStore asks of the engine that runs its resources. */

/* TRUE when a mutation of @resource settled after a refresh sent at @sent_at. */
gboolean _aa_engine_settled_since (AaEngine   *self,
                                   AaResource *resource,
                                   guint       sent_at);
/* A refresh's state for @resource, believed unless it is older than ours. */
void     _aa_engine_reconfirm     (AaEngine   *self,
                                   AaResource *resource,
                                   AaState    *state,
                                   guint       sent_at);
/* A state from elsewhere (an event): believed unless older than ours, and
 * from then on a list read before it does not take it back. */
void     _aa_engine_confirm_remote (AaEngine   *self,
                                    AaResource *resource,
                                    AaState    *state);
/* Someone else removed @resource for good: it leaves its store at once, and
 * what the user was doing to it is dropped, with one message. */
void     _aa_engine_remove_elsewhere (AaEngine   *self,
                                      AaResource *resource);

/* An event whose origin is @origin: the mutation of unknown outcome with
 * that key, if any, succeeded, with @state (NULL: removed) as its answer;
 * one still on its way keeps @state in case its answer is lost.
 * Returns TRUE when it settled one. */
gboolean _aa_engine_resolve_by_event (AaEngine   *self,
                                      const char *origin,
                                      JsonObject *state);

G_END_DECLS
