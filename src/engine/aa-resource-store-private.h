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

/* Where @resource is in the store. */
gboolean _aa_resource_store_find     (AaResourceStore *self,
                                      AaResource      *resource,
                                      guint           *out_position);
/* Puts back at @position a resource removed with aa_resource_store_remove()
 * (a failed removal, a re-create): refreshes may show its id again. */
void     _aa_resource_store_put_back (AaResourceStore *self,
                                      guint            position,
                                      AaResource      *resource);

G_END_DECLS
