/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource.h"

G_BEGIN_DECLS

#define AA_TYPE_ITEM (aa_item_get_type ())

G_DECLARE_FINAL_TYPE (AaItem, aa_item, AA, ITEM, AaResource)

/* A note: properties "title", "notes", "starred", "done", "version" (int64,
 * -1 when the backend has none), "updated-at" (GDateTime, nullable) and
 * "trashed". */
const char *aa_item_get_title      (AaItem *self);
const char *aa_item_get_notes      (AaItem *self);
gboolean    aa_item_get_starred    (AaItem *self);
gboolean    aa_item_get_done       (AaItem *self);
gint64      aa_item_get_version    (AaItem *self);
GDateTime  *aa_item_get_updated_at (AaItem *self);
gboolean    aa_item_get_trashed    (AaItem *self);

G_END_DECLS
