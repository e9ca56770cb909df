/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-server-writer-private.h"

G_BEGIN_DECLS

/*
 * What reads show: the records as they are on disk, serialised. The writer
 * thread applies each change to it once the change is durable, before the
 * change is answered, so a read never shows a change that could still be
 * lost, and shows every change already answered. The lists are joined
 * from each record's kept entry, and joined again on the writer thread
 * after a batch, not on the server's main loop. A read takes a reference
 * to what is kept, under a lock held for that alone: it never waits for a
 * write.
 *
 * Every function may be called from any thread; apply() and prepare() only
 * from the writer thread. (AaServerView is declared with the writer.)
 */

/* From the records loaded from the database (damaged ones left out). */
AaServerView *aa_server_view_new              (const AaServerState *state);
void          aa_server_view_free             (AaServerView        *view);

/* Writer thread: a write of @batch that is on disk (its error unset). */
void          aa_server_view_apply            (AaServerView        *view,
                                               const AaServerWrite *write);
/* Writer thread: joins the lists a batch left stale. */
void          aa_server_view_prepare          (AaServerView        *view);

/* GET /items, GET /trash: newest first. */
GBytes       *aa_server_view_list_items       (AaServerView        *view,
                                               gboolean             trashed);
/* Up to @limit items after the one with id @after (NULL: from the top);
 * NULL when @after is not in the list. */
GBytes       *aa_server_view_list_items_page  (AaServerView        *view,
                                               gboolean             trashed,
                                               const char          *after,
                                               guint                limit);
/* An item not in the trash, or NULL. */
GBytes       *aa_server_view_get_item         (AaServerView        *view,
                                               const char          *id,
                                               gint64              *out_version);
GBytes       *aa_server_view_list_invoices    (AaServerView        *view);
GBytes       *aa_server_view_list_members     (AaServerView        *view);
/* A member, or NULL. */
GBytes       *aa_server_view_get_member       (AaServerView        *view,
                                               const char          *id);

G_END_DECLS
