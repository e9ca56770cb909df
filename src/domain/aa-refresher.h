/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "async-actions.h"

#include "aa-item.h"
#include "aa-member.h"
#include "aa-note-lists.h"

G_BEGIN_DECLS

typedef enum {
  AA_REFRESH_ITEMS    = 1 << 0,
  AA_REFRESH_TRASH    = 1 << 1,
  AA_REFRESH_INVOICES = 1 << 2,
  AA_REFRESH_MEMBERS  = 1 << 3, /* /members and /me */
  AA_REFRESH_ALL      = 0xf,
} AaRefreshFlags;

#define AA_TYPE_REFRESHER (aa_refresher_get_type ())

G_DECLARE_FINAL_TYPE (AaRefresher, aa_refresher, AA, REFRESHER, GObject)

/*
 * Reads the app's lists from the server (each with the engine's refresh,
 * aa_resource_store_refresh_async()): new confirmed states, pending
 * changes laid on top again, so nothing pending is lost.
 *
 * Properties (read-only, notify):
 *   "me"  AaMember, the signed-in member (NULL before members load)
 *
 * Signals:
 *   "refreshed" (AaRefreshFlags flags): every list of @flags was read and
 *   applied, just before the refresh returns.
 */

AaRefresher    *aa_refresher_new            (AaRestClient     *client,
                                             AaNoteLists      *notes,
                                             AaResourceStore  *invoices,
                                             AaResourceStore  *members);
/* The signed-in member, or NULL before the members were loaded. */
AaMember       *aa_refresher_get_me         (AaRefresher      *self);
/* What was ever asked for: what a catch-up reads again. */
AaRefreshFlags  aa_refresher_get_fetched    (AaRefresher      *self);

void            aa_refresher_refresh_async  (AaRefresher         *self,
                                             AaRefreshFlags       flags,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean        aa_refresher_refresh_finish (AaRefresher         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Reloads one item (GET /items/{id}, aa_resource_store_reload_async()),
 * for "reload the latest version" after a conflict; a note the server no
 * longer has leaves the notes, the notes and the trash are read again (so
 * a note trashed elsewhere shows in the trash), and it fails with
 * AA_ERROR_NOT_FOUND. */
void            aa_refresher_reload_item_async  (AaRefresher         *self,
                                                 AaItem              *item,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        aa_refresher_reload_item_finish (AaRefresher         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
