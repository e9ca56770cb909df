/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <glib.h>

#include "aa-version-macros.h"

G_BEGIN_DECLS

/**
 * AA_ERROR:
 *
 * The error domain of the engine's failures; see [error@Error].
 */
#define AA_ERROR (aa_error_quark ())

/**
 * AaError:
 * @AA_ERROR_OFFLINE: the server could not be reached at all (nothing was
 *   sent, nothing applied). An optimistic mutation then waits for the
 *   server instead of failing; see [enum@OfflinePolicy].
 * @AA_ERROR_TIMEOUT: the server took longer than the client's timeout to
 *   answer after the request was sent: the engine makes the outcome
 *   unknown (%AA_MUTATION_STATE_UNKNOWN), not failed.
 * @AA_ERROR_CONNECTION_LOST: the connection closed before an answer came; the
 *   change may or may not have been applied, so only an idempotent retry is
 *   safe: the engine makes the outcome unknown, not failed.
 * @AA_ERROR_SERVER: the server answered 5xx.
 * @AA_ERROR_CONFLICT: 412, the resource changed since the version we had.
 * @AA_ERROR_STATE: 409, the resource's current state forbids the change
 *   (invoice already paid, last owner, same idempotency key still in flight).
 * @AA_ERROR_PERMISSION: 403, the signed-in member may not do this.
 * @AA_ERROR_VALIDATION: 400/413/415/422, the request itself was refused.
 * @AA_ERROR_REFUSED: 402, the server refused the request for a reason of
 *   its own domain (a declined card, say); its message says which.
 * @AA_ERROR_NOT_FOUND: 404, the resource does not exist.
 * @AA_ERROR_GONE: 410, the resource was removed for good.
 * @AA_ERROR_UNAUTHORIZED: 401, the token is missing or wrong.
 * @AA_ERROR_BAD_RESPONSE: the server's answer could not be understood.
 * @AA_ERROR_REMOVED_ELSEWHERE: the resource was deleted or removed for good
 *   elsewhere (an event stream said so, see aa_resource_store_apply_remote())
 *   while the mutation waited or was on its way: it was dropped, never sent
 *   or its answer left unread, and nothing of it can succeed any more.
 *
 * The kinds of failure the engine tells apart, whatever the app's domain.
 * Each kind has its own "what to do next" in aa_error_get_next_step(), and
 * an HTTP error keeps the server's own message as the #GError message.
 */
typedef enum {
  AA_ERROR_OFFLINE,
  AA_ERROR_TIMEOUT,
  AA_ERROR_CONNECTION_LOST,
  AA_ERROR_SERVER,
  AA_ERROR_CONFLICT,
  AA_ERROR_STATE,
  AA_ERROR_PERMISSION,
  AA_ERROR_VALIDATION,
  AA_ERROR_REFUSED,
  AA_ERROR_NOT_FOUND,
  AA_ERROR_GONE,
  AA_ERROR_UNAUTHORIZED,
  AA_ERROR_BAD_RESPONSE,
  AA_ERROR_REMOVED_ELSEWHERE,
} AaError;

AA_AVAILABLE_IN_ALL
GQuark      aa_error_quark          (void);
AA_AVAILABLE_IN_ALL
gboolean    aa_error_is_retryable   (const GError *error);
AA_AVAILABLE_IN_ALL
gboolean    aa_error_is_removal     (const GError *error);
AA_AVAILABLE_IN_ALL
const char *aa_error_get_next_step  (const GError *error);

G_END_DECLS
