/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "aa-error.h"

/**
 * aa_error_quark:
 *
 * Gets the error domain of the library's errors.
 *
 * Returns: the quark of the %AA_ERROR domain
 */
G_DEFINE_QUARK (aa-error-quark, aa_error)

/**
 * aa_error_is_retryable:
 * @error: a failure
 *
 * Whether the failure is transient, so that sending the same intention
 * again (with the same idempotency key) may succeed: unreachable, timeout,
 * a dropped connection, 5xx and 429.
 *
 * Returns: %TRUE when a retry can succeed
 */
gboolean
aa_error_is_retryable (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == AA_ERROR) {
    switch ((AaError) error->code) {
    case AA_ERROR_OFFLINE:
    case AA_ERROR_TIMEOUT:
    case AA_ERROR_CONNECTION_LOST:
    case AA_ERROR_SERVER:
      return TRUE;
    case AA_ERROR_CONFLICT:
    case AA_ERROR_STATE:
    case AA_ERROR_PERMISSION:
    case AA_ERROR_VALIDATION:
    case AA_ERROR_REFUSED:
    case AA_ERROR_NOT_FOUND:
    case AA_ERROR_GONE:
    case AA_ERROR_UNAUTHORIZED:
    case AA_ERROR_BAD_RESPONSE:
    case AA_ERROR_REMOVED_ELSEWHERE:
    default:
      return FALSE;
    }
  }

  /* Errors from other domains reach here only when something below the REST
   * client failed; a cancelled request was the user's choice, the rest may be
   * transient. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
}

/**
 * aa_error_is_removal:
 * @error: a failure
 *
 * Whether @error says that the object is not on the server any more (404,
 * 410, or removed elsewhere as an event said): a mutation of it can never
 * succeed, and it leaves the view.
 *
 * Returns: %TRUE for %AA_ERROR_NOT_FOUND, %AA_ERROR_GONE and
 *   %AA_ERROR_REMOVED_ELSEWHERE
 */
gboolean
aa_error_is_removal (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return g_error_matches (error, AA_ERROR, AA_ERROR_NOT_FOUND) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_GONE) ||
         g_error_matches (error, AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE);
}

/**
 * aa_error_get_next_step:
 * @error: a failure
 *
 * The translated second sentence of every failure message: what to do
 * next, for example "Check your connection and retry."
 *
 * Returns: (transfer none): the next step, never %NULL
 */
const char *
aa_error_get_next_step (const GError *error)
{
  g_return_val_if_fail (error != NULL, _("Try again in a moment."));

  if (error->domain == AA_ERROR) {
    switch ((AaError) error->code) {
    case AA_ERROR_OFFLINE:
      return _("Nothing was changed: the server can’t be reached. Try again once it’s back.");
    case AA_ERROR_TIMEOUT:
      return _("The server is taking too long. Retry in a moment.");
    case AA_ERROR_CONNECTION_LOST:
      return _("The connection dropped. Check your connection and retry.");
    case AA_ERROR_SERVER:
      return _("The server had a problem. Retry in a moment.");
    case AA_ERROR_CONFLICT:
      return _("It was changed elsewhere. Reload the latest version, then try again.");
    case AA_ERROR_STATE:
      return _("Its current state doesn’t allow this. Reload to see the latest.");
    case AA_ERROR_PERMISSION:
      return _("Ask an owner or admin for access.");
    case AA_ERROR_VALIDATION:
      return _("Correct the highlighted field and try again.");
    case AA_ERROR_REFUSED:
      return _("The server refused it. Check the details and try again.");
    case AA_ERROR_NOT_FOUND:
      return _("It may have been deleted elsewhere. Reload to see the latest.");
    case AA_ERROR_GONE:
      return _("It was removed for good and can’t be brought back.");
    case AA_ERROR_UNAUTHORIZED:
      return _("Check the access token and sign in again.");
    case AA_ERROR_BAD_RESPONSE:
      return _("The server’s answer couldn’t be read. Retry, or check that the server is up to date.");
    case AA_ERROR_REMOVED_ELSEWHERE:
      return _("It was deleted elsewhere, so this change was dropped.");
    default:
      break;
    }
  }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("It was cancelled. Start it again when you’re ready.");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return _("The server is taking too long. Retry in a moment.");

  if (error->domain == G_RESOLVER_ERROR || error->domain == G_IO_ERROR)
    return _("Check your connection and retry.");

  if (error->domain == G_FILE_ERROR)
    return _("Check that there is free disk space and that the data folder is writable, then retry.");

  return _("Retry in a moment. If it keeps failing, restart the app.");
}
