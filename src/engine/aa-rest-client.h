/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

G_BEGIN_DECLS

/**
 * AaBackendFeatures:
 * @AA_BACKEND_FEATURES_NONE: the backend promises nothing beyond plain
 *   REST: the default, and what a backend nobody here wrote deserves.
 * @AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS: it honours `Idempotency-Key`: a
 *   request sent again with the same key is applied at most once (the first
 *   answer is replayed, 409 while the first is in flight, 422 for another
 *   body). Only then does the engine send a POST again, or a PATCH that does
 *   not only set fields, whose answer was lost.
 * @AA_BACKEND_FEATURES_IF_MATCH: it honours `If-Match` with the version of
 *   the object (412 when it changed since), so a change based on an older
 *   version never overwrites a newer one.
 * @AA_BACKEND_FEATURES_EVENT_STREAM: it sends its changes as Server-Sent
 *   Events, each naming the `Idempotency-Key` of the request that made it
 *   as its `origin`.
 *
 * What a backend promises, as declared with
 * aa_rest_client_set_backend_features(). The contract and what degrades
 * without each part are in the "What your backend must do" page.
 *
 * Since: 0.2
 */
typedef enum {
  AA_BACKEND_FEATURES_NONE             = 0,
  AA_BACKEND_FEATURES_IDEMPOTENCY_KEYS = 1 << 0,
  AA_BACKEND_FEATURES_IF_MATCH         = 1 << 1,
  AA_BACKEND_FEATURES_EVENT_STREAM     = 1 << 2,
} AaBackendFeatures;

#define AA_TYPE_REST_CLIENT (aa_rest_client_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaRestClient, aa_rest_client, AA, REST_CLIENT, GObject)

AA_AVAILABLE_IN_ALL
AaRestClient *aa_rest_client_new             (const char           *base_url);

AA_AVAILABLE_IN_ALL
const char   *aa_rest_client_get_base_url    (AaRestClient         *self);
AA_AVAILABLE_IN_ALL
const char   *aa_rest_client_get_token       (AaRestClient         *self);
AA_AVAILABLE_IN_ALL
void          aa_rest_client_set_token       (AaRestClient         *self,
                                              const char           *token);
AA_AVAILABLE_IN_ALL
guint         aa_rest_client_get_timeout     (AaRestClient         *self);
AA_AVAILABLE_IN_ALL
void          aa_rest_client_set_timeout     (AaRestClient         *self,
                                              guint                 timeout_seconds);

AA_AVAILABLE_IN_ALL
gboolean      aa_rest_client_get_blocked     (AaRestClient         *self);
AA_AVAILABLE_IN_ALL
void          aa_rest_client_set_blocked     (AaRestClient         *self,
                                              gboolean              blocked);

AA_AVAILABLE_IN_ALL
AaBackendFeatures aa_rest_client_get_backend_features (AaRestClient      *self);
AA_AVAILABLE_IN_ALL
void              aa_rest_client_set_backend_features (AaRestClient      *self,
                                                       AaBackendFeatures  features);

/* A fresh random UUID: one per user intention, reused on every retry of it. */
AA_AVAILABLE_IN_ALL
char         *aa_rest_client_new_idempotency_key (void);

/*
 * One JSON request. @path is relative to the base URL ("/items/42").
 * @body may be NULL. @idempotency_key is required for POST, PATCH, PUT and
 * DELETE. @if_match_version, when >= 0, is sent as `If-Match: "<version>"`.
 *
 * The result is the parsed response body (a JSON null node for an empty body).
 * Every failure is an AA_ERROR (or G_IO_ERROR_CANCELLED); for an HTTP error
 * the GError message is the server's own error message.
 */
AA_AVAILABLE_IN_ALL
void          aa_rest_client_request_async   (AaRestClient         *self,
                                              const char           *method,
                                              const char           *path,
                                              JsonNode             *body,
                                              const char           *idempotency_key,
                                              gint64                if_match_version,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* @out_replayed: (out) (optional): TRUE when the server replayed the first
 * answer for this idempotency key (`Idempotent-Replayed: true`). */
AA_AVAILABLE_IN_ALL
JsonNode     *aa_rest_client_request_finish  (AaRestClient         *self,
                                              GAsyncResult         *result,
                                              gboolean             *out_replayed,
                                              GError              **error);

/* A tolerant reader for conventional REST backends: unknown members are
 * ignored, @id may be a JSON string or number and always comes back as a
 * string, absent optional members get the defaults given by the caller.
 * These return FALSE/NULL with AA_ERROR_BAD_RESPONSE for the wrong shape. */
AA_AVAILABLE_IN_ALL
char         *aa_json_dup_id                 (JsonObject           *object,
                                              const char           *field,
                                              GError              **error);
AA_AVAILABLE_IN_ALL
char         *aa_json_dup_string             (JsonObject           *object,
                                              const char           *field,
                                              const char           *default_value,
                                              GError              **error);
AA_AVAILABLE_IN_ALL
gboolean      aa_json_get_boolean            (JsonObject           *object,
                                              const char           *field,
                                              gboolean              default_value,
                                              gboolean             *out_value,
                                              GError              **error);
AA_AVAILABLE_IN_ALL
gboolean      aa_json_get_int                (JsonObject           *object,
                                              const char           *field,
                                              gint64                default_value,
                                              gint64               *out_value,
                                              GError              **error);

G_END_DECLS
