/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <async-actions.h>

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
/* Answers @msg with 200 and a JSON array of @objects (JsonObject). */
void        aa_test_backend_reply_list (SoupServerMessage *msg,
                                        GPtrArray         *objects);
/* Listens on a free loopback port; returns the base URL (no trailing
 * slash) and sets @out_port. */
char       *aa_test_backend_listen  (SoupServer        *server,
                                     guint16           *out_port);

/* Refreshes @store from @path, iterating the default main context until
 * it is done; fails the test on an error. */
void        aa_test_backend_refresh (AaResourceStore   *store,
                                     const char        *path);

/* An operation that sets fields of an object of @collection: PATCH
 * /@collection/{id} with the mutation's patch as its body
 * (AA_OPERATION_SETS_FIELDS, so resending it is safe). */
#define AA_TEST_TYPE_PATCH (aa_test_patch_get_type ())
G_DECLARE_FINAL_TYPE (AaTestPatch, aa_test_patch, AA_TEST, PATCH, AaOperation)

AaOperation *aa_test_patch_new      (const char        *name,
                                     const char        *collection);

G_END_DECLS
