#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

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

GType       aa_request_get_type     (void) G_GNUC_CONST;
AaRequest  *aa_request_new          (const char *method,
                                     const char *path,
                                     JsonNode   *body,
                                     gint64      if_match);
AaRequest  *aa_request_ref          (AaRequest  *self);
void        aa_request_unref        (AaRequest  *self);
const char *aa_request_get_method   (AaRequest  *self);
const char *aa_request_get_path     (AaRequest  *self);
JsonNode   *aa_request_get_body     (AaRequest  *self);
gint64      aa_request_get_if_match (AaRequest  *self);

char       *aa_path_build           (const char *collection,
                                     const char *id,
                                     const char *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaRequest, aa_request_unref)

G_END_DECLS
