/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-idempotency"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-idempotency-private.h"

void
aa_server_idempotency_init (AaServerIdempotency *self)
{
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
aa_server_idempotency_clear (AaServerIdempotency *self)
{
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
}

char *
aa_server_idempotency_principal (const char *token,
                                 const char *member_id)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  /* The token never goes to disk, only a digest that can't be turned back. */
  g_checksum_update (checksum, (const guchar *) "token\n", -1);
  if (token != NULL)
    g_checksum_update (checksum, (const guchar *) token, -1);
  g_checksum_update (checksum, (const guchar *) "\nmember\n", -1);
  if (member_id != NULL)
    g_checksum_update (checksum, (const guchar *) member_id, -1);

  return g_strdup (g_checksum_get_string (checksum));
}

char *
aa_server_idempotency_fingerprint (const char *method,
                                   const char *path,
                                   GBytes     *body)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize length = 0;
  const guchar *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  g_checksum_update (checksum, (const guchar *) method, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (length > 0)
    g_checksum_update (checksum, data, length);

  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
aa_server_idempotency_check_key (const char    *key,
                                 AaServerReply *refusal)
{
  if (strlen (key) > AA_SERVER_MAX_KEY_BYTES) {
    g_autofree char *message =
      g_strdup_printf (_("The “Idempotency-Key” is longer than %d bytes. Use a shorter one, "
                         "such as a UUID."), AA_SERVER_MAX_KEY_BYTES);

    aa_server_reply_error (refusal, 400, "idempotency_key_invalid", message);
    return FALSE;
  }

  for (const char *p = key; *p != '\0'; p++) {
    if (*p < 0x21 || *p > 0x7e) {
      aa_server_reply_error (refusal, 400, "idempotency_key_invalid",
                             _("The “Idempotency-Key” may only hold visible ASCII characters. "
                               "Use a UUID."));
      return FALSE;
    }
  }

  return TRUE;
}

static char *
in_flight_key (const char *principal,
               const char *key)
{
  return g_strconcat (principal, "\n", key, NULL);
}

static void
refuse_reused (AaServerReply *refusal)
{
  aa_server_reply_error (refusal, 422, "idempotency_key_reused",
                         _("This Idempotency-Key was already used for a different request. Use a new key."));
}

AaIdempotencyOutcome
aa_server_idempotency_begin (AaServerIdempotency  *self,
                             AaServerStore        *store,
                             const char           *principal,
                             const char           *key,
                             const char           *fingerprint,
                             AaServerRecord      **out_record,
                             AaServerReply        *refusal)
{
  g_autofree char *flight = in_flight_key (principal, key);
  g_autoptr(GError) error = NULL;
  const char *in_flight = g_hash_table_lookup (self->in_flight, flight);

  if (in_flight != NULL && g_str_equal (in_flight, fingerprint)) {
    aa_server_reply_error (refusal, 409, "idempotency_in_flight",
                           _("The same request is still being handled. Wait for it, then retry."));
    return AA_IDEMPOTENCY_REFUSED;
  }
  if (in_flight != NULL) {
    refuse_reused (refusal);
    return AA_IDEMPOTENCY_REFUSED;
  }

  switch (aa_server_store_lookup_key (store, principal, key, fingerprint, out_record, &error)) {
  case AA_SERVER_KEY_ERROR:
    aa_server_reply_store_error (refusal, error);
    return AA_IDEMPOTENCY_REFUSED;
  case AA_SERVER_KEY_MISMATCH:
    refuse_reused (refusal);
    return AA_IDEMPOTENCY_REFUSED;
  case AA_SERVER_KEY_MATCH:
    return AA_IDEMPOTENCY_REPLAY;
  case AA_SERVER_KEY_NEW:
  default:
    g_hash_table_insert (self->in_flight, g_steal_pointer (&flight), g_strdup (fingerprint));
    return AA_IDEMPOTENCY_NEW;
  }
}

void
aa_server_idempotency_release (AaServerIdempotency *self,
                               const char          *principal,
                               const char          *key)
{
  g_autofree char *flight = in_flight_key (principal, key);

  g_hash_table_remove (self->in_flight, flight);
}

gboolean
aa_server_idempotency_is_recordable (guint status)
{
  /* A 5xx or a 412 (which depends on If-Match, outside the fingerprint) is
   * not the final word: a retry with the same key gets a fresh try. */
  return status < 500 && status != 412;
}
