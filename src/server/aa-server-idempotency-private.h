/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-server-reply-private.h"
#include "aa-server-store.h"

G_BEGIN_DECLS

/* Longer keys are refused with 400: a key is an id, not a payload. */
#define AA_SERVER_MAX_KEY_BYTES 255

/*
 * The idempotency layer: a change sent with an "Idempotency-Key" is applied
 * once per principal (the token and the signed-in member), and a retry gets
 * the recorded answer. Requests with a key in flight are told to wait. The
 * records themselves are in the store, committed with the change.
 */
typedef struct {
  GHashTable *in_flight;   /* "principal\nkey" -> fingerprint */
} AaServerIdempotency;

typedef enum {
  AA_IDEMPOTENCY_NEW,      /* apply it; the key is now in flight */
  AA_IDEMPOTENCY_REPLAY,   /* answer with the record */
  AA_IDEMPOTENCY_REFUSED,  /* answer with the refusal */
} AaIdempotencyOutcome;

void                 aa_server_idempotency_init        (AaServerIdempotency  *self);
void                 aa_server_idempotency_clear       (AaServerIdempotency  *self);

/* Who is asking, as stored with the records: neither the token nor the
 * member can be read back from it. */
char                *aa_server_idempotency_principal   (const char           *token,
                                                        const char           *member_id);
/* What the request asks for: method, path and body. */
char                *aa_server_idempotency_fingerprint (const char           *method,
                                                        const char           *path,
                                                        GBytes               *body);
/* FALSE, with a 400 in @refusal, for a key that is too long or not text. */
gboolean             aa_server_idempotency_check_key   (const char           *key,
                                                        AaServerReply        *refusal);
AaIdempotencyOutcome aa_server_idempotency_begin       (AaServerIdempotency  *self,
                                                        AaServerStore        *store,
                                                        const char           *principal,
                                                        const char           *key,
                                                        const char           *fingerprint,
                                                        AaServerRecord      **out_record,
                                                        AaServerReply        *refusal);
void                 aa_server_idempotency_release     (AaServerIdempotency  *self,
                                                        const char           *principal,
                                                        const char           *key);
/* Whether an answer is the final word, to be replayed. */
gboolean             aa_server_idempotency_is_recordable (guint               status);

G_END_DECLS
