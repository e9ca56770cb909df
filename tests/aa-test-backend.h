/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * For the tests of the engine on a domain of their own (test-engine,
 * test-outcomes): the pieces of a backend in the test's own process, with
 * nothing but libsoup and json-glib.
 */

/* The object of @objects (JsonObject) whose "id" is @id, or NULL. */
JsonObject *aa_test_backend_find    (GPtrArray         *objects,
                                     const char        *id);
/* Answers @msg with @status and @json as its body. */
void        aa_test_backend_reply   (SoupServerMessage *msg,
                                     guint              status,
                                     const char        *json);
/* Answers @msg with @status and @node as its body. */
void        aa_test_backend_reply_node (SoupServerMessage *msg,
                                        guint              status,
                                        JsonNode          *node);
/* Listens on a free loopback port; returns the base URL (no trailing
 * slash) and sets @out_port. */
char       *aa_test_backend_listen  (SoupServer        *server,
                                     guint16           *out_port);

G_END_DECLS
