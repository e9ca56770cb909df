/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

G_BEGIN_DECLS

/**
 * AaRequest:
 *
 * The HTTP request an operation sends for one mutation: a method, a path
 * relative to the client's base URL, an optional JSON body and an optional
 * `If-Match` version. The engine adds the mutation's idempotency key.
 */
typedef struct _AaRequest AaRequest;

#define AA_TYPE_REQUEST (aa_request_get_type ())

AA_AVAILABLE_IN_ALL
GType       aa_request_get_type     (void) G_GNUC_CONST;
AA_AVAILABLE_IN_ALL
AaRequest  *aa_request_new          (const char *method,
                                     const char *path,
                                     JsonNode   *body,
                                     gint64      if_match);
AA_AVAILABLE_IN_ALL
AaRequest  *aa_request_ref          (AaRequest  *self);
AA_AVAILABLE_IN_ALL
void        aa_request_unref        (AaRequest  *self);
AA_AVAILABLE_IN_ALL
const char *aa_request_get_method   (AaRequest  *self);
AA_AVAILABLE_IN_ALL
const char *aa_request_get_path     (AaRequest  *self);
AA_AVAILABLE_IN_ALL
JsonNode   *aa_request_get_body     (AaRequest  *self);
AA_AVAILABLE_IN_ALL
gint64      aa_request_get_if_match (AaRequest  *self);

AA_AVAILABLE_IN_ALL
char       *aa_path_build           (const char *collection,
                                     const char *id,
                                     const char *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaRequest, aa_request_unref)

G_END_DECLS
