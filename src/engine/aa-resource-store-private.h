/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource-store.h"

G_BEGIN_DECLS

/*
 * The store's side of the engine <-> store contract (the whole of it is
 * described in aa-engine-private.h).
 */

/* Called by AaEngine when a create's answer gives @resource the server's
 * id in place of its temporary @old_id, so that lookups by the new id find
 * it (events and refreshes name it by the server's id). */
void _aa_resource_store_rekey (AaResourceStore *self,
                               AaResource      *resource,
                               const char      *old_id);

G_END_DECLS
