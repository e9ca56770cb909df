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

G_END_DECLS
