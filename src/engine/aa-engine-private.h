/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-engine.h"

G_BEGIN_DECLS

/*
 * The engine <-> store contract: what AaResourceStore (aa-resource-store.c)
 * asks of the engine that runs its resources. These three calls and three
 * public ones (aa_engine_get_client(), aa_engine_get_clock(),
 * aa_engine_has_pending()) are all the store knows of the engine. The
 * other way, the engine uses the store's public API (aa_resource_store_of(),
 * _lookup(), _remove(), _add_local()) and _aa_resource_store_rekey()
 * (aa-resource-store-private.h). What each resource remembers for both
 * (when a change of it last settled, whether it was removed elsewhere) is
 * a field of the resource (aa-resource-private.h), not a call.
 */

/* Called by aa_resource_store_apply_states() (a refresh) for each listed
 * resource it already holds: @state becomes its confirmed state unless it
 * is older than ours, or than a change that settled after the list was
 * requested at @sent_at (aa_engine_get_clock()); the pending changes are
 * laid on it again. */
void     _aa_engine_reconfirm     (AaEngine   *self,
                                   AaResource *resource,
                                   AaState    *state,
                                   guint       sent_at);

/* Called by the store when it applies a change from elsewhere (an event,
 * aa_resource_store_apply_remote()) to a resource it holds. A @state is
 * believed unless older than ours, and from then on a list read before it
 * does not take it back. A %NULL @state: someone else removed @resource
 * for good; it leaves its store at once, and what the user was doing to it
 * is dropped, with one message. */
void     _aa_engine_apply_remote  (AaEngine   *self,
                                   AaResource *resource,
                                   AaState    *state);

/* Called by aa_resource_store_apply_remote() first, for an event whose
 * origin (the Idempotency-Key of the request that made it) is @origin, or
 * NULL: the mutation of unknown outcome with that key, if any, succeeded,
 * with @state (NULL: removed) as its answer; one still on its way keeps
 * @state in case its answer is lost. Returns TRUE when the event is ours
 * (it settled one, or echoes a change this engine sent): the store then
 * applies nothing of it. */
gboolean _aa_engine_claim_event   (AaEngine   *self,
                                   const char *origin,
                                   JsonObject *state);

G_END_DECLS
