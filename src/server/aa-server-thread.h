/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AA_TYPE_SERVER_THREAD (aa_server_thread_get_type ())

G_DECLARE_FINAL_TYPE (AaServerThread, aa_server_thread, AA, SERVER_THREAD, GObject)

/*
 * The demo server embedded in a process (the app, the tests): its own thread
 * with its own GMainContext, so no server work ever runs on the caller's
 * (UI) thread. Thread-safe.
 */
AaServerThread *aa_server_thread_new   (const char      *data_path,
                                        const char      *token);
/* Starts the thread and blocks until the server listens on a free loopback
 * port, or fails to. */
gboolean        aa_server_thread_start (AaServerThread  *self,
                                        GError         **error);
/* "http://127.0.0.1:PORT/api/v1", valid after a successful start. */
const char     *aa_server_thread_get_url (AaServerThread *self);
/* Flushes the data, stops the server and joins the thread. Idempotent;
 * also done on finalize. */
void            aa_server_thread_stop  (AaServerThread  *self);

G_END_DECLS
