/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-request"

#include "config.h"

#include "aa-request.h"

struct _AaRequest
{
  grefcount  ref_count;
  char      *method;
  char      *path;
  JsonNode  *body;
  gint64     if_match;
};

G_DEFINE_BOXED_TYPE (AaRequest, aa_request, aa_request_ref, aa_request_unref)

/**
 * aa_request_new:
 * @method: the HTTP method, such as "PATCH"
 * @path: the path relative to the client's base URL, such as "/bookmarks/42"
 * @body: (nullable): the JSON body, or %NULL for none
 * @if_match: a version to send as `If-Match: "<version>"`, or -1 for none
 *
 * Creates the description of a request.
 *
 * Returns: (transfer full): a new request
 */
AaRequest *
aa_request_new (const char *method,
                const char *path,
                JsonNode   *body,
                gint64      if_match)
{
  AaRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (AaRequest, 1);
  g_ref_count_init (&self->ref_count);
  self->method = g_strdup (method);
  self->path = g_strdup (path);
  self->body = body ? json_node_copy (body) : NULL;
  self->if_match = if_match;

  return self;
}

/**
 * aa_request_ref:
 * @self: a request
 *
 * Takes a reference on the request.
 *
 * Returns: (transfer full): @self
 */
AaRequest *
aa_request_ref (AaRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * aa_request_unref:
 * @self: (transfer full): a request
 *
 * Drops a reference on @self.
 */
void
aa_request_unref (AaRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  g_free (self->method);
  g_free (self->path);
  g_clear_pointer (&self->body, json_node_unref);
  g_free (self);
}

/**
 * aa_request_get_method:
 * @self: a request
 *
 * Gets the HTTP method of the request.
 *
 * Returns: the HTTP method
 */
const char *
aa_request_get_method (AaRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

/**
 * aa_request_get_path:
 * @self: a request
 *
 * Gets the path of the request.
 *
 * Returns: the path, relative to the client's base URL
 */
const char *
aa_request_get_path (AaRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/**
 * aa_request_get_body:
 * @self: a request
 *
 * Gets the body of the request.
 *
 * Returns: (transfer none) (nullable): the JSON body
 */
JsonNode *
aa_request_get_body (AaRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

/**
 * aa_request_get_if_match:
 * @self: a request
 *
 * Gets the version the request sends as `If-Match`.
 *
 * Returns: the version sent as `If-Match`, or -1 for none
 */
gint64
aa_request_get_if_match (AaRequest *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->if_match;
}

/**
 * aa_path_build:
 * @collection: the collection, such as "bookmarks"
 * @id: the resource's id, escaped here: it is whatever string the server chose
 * @action: (nullable): a sub-resource, such as "restore"
 *
 * Builds "/collection/id" or "/collection/id/action".
 *
 * Returns: (transfer full): the path
 */
char *
aa_path_build (const char *collection,
               const char *id,
               const char *action)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (collection != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  if (action != NULL)
    return g_strdup_printf ("/%s/%s/%s", collection, escaped, action);
  return g_strdup_printf ("/%s/%s", collection, escaped);
}
