/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource-store.h"

G_BEGIN_DECLS

/* The engine gave @resource the server's id in place of @old_id. */
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
