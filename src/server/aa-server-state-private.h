/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The server's records in memory. AaServerStore applies the rules to them,
 * aa-server-db.c keeps them in SQLite and aa-server-import.c reads them from
 * the JSON data format of earlier versions (and from the seed).
 */

/* Ids are decimal numbers up to G_MAXINT64: beyond, they would not survive
 * a round trip through SQLite's integers. */
#define AA_SERVER_MAX_ID G_MAXINT64

/* Idempotency keys are answered for a day, then forgotten. */
#define AA_SERVER_KEY_LIFETIME_SECONDS (24 * 60 * 60)

typedef struct {
  char     *id;
  char     *title;
  char     *notes;
  gboolean  starred;
  gboolean  done;
  gint64    version;
  char     *updated_at;
  gboolean  trashed;
} AaServerItem;

typedef struct {
  char     *id;
  char     *description;
  char     *currency;
  gint64    amount_cents;
  gboolean  paid;
} AaServerInvoice;

typedef struct {
  char *id;
  char *invoice_id;
  char *card_last4;
  char *created_at;
} AaServerPayment;

typedef struct {
  char *id;
  char *name;
  char *role;
} AaServerMember;

/* An idempotency record: the answer to replay for (principal, key). */
typedef struct {
  char   *principal;
  char   *key;
  char   *fingerprint;
  char   *body;
  char   *etag;
  guint   status;
  gint64  created_at;
} AaServerRecord;

/* One accepted change as GET /events streams it: "item", "invoice" or
 * "member", with its JSON data (see README, the REST contract). */
typedef struct {
  gint64  id;
  char   *type;
  char   *data;
} AaServerEvent;

typedef struct {
  GPtrArray  *items;         /* AaServerItem*, in creation order */
  GHashTable *items_by_id;   /* id -> AaServerItem* (unowned) */
  GHashTable *purged;        /* ids purged for good */
  guint64     next_item_id;
  GPtrArray  *invoices;      /* AaServerInvoice* */
  GPtrArray  *payments;      /* AaServerPayment* */
  guint64     next_payment_id;
  GPtrArray  *members;       /* AaServerMember* */
  /* Records whose stored text is not UTF-8 (a damaged file): id -> the
   * field. They are kept out of items, invoices and members, so that
   * nothing serves or rewrites them. */
  GHashTable *damaged;           /* items */
  GHashTable *damaged_invoices;
  GHashTable *damaged_members;
} AaServerState;

AaServerState *aa_server_state_new          (void);
void           aa_server_state_free         (AaServerState  *state);
/* Adds @item (taking it), refusing a second item with its id. */
gboolean       aa_server_state_add_item     (AaServerState  *state,
                                             AaServerItem   *item);
/* The number in a decimal id, or 0 when it is not one up to AA_SERVER_MAX_ID. */
guint64        aa_server_parse_id           (const char     *id);

/* Now, as the records write dates: "2026-01-02T03:04:05Z". */
char          *aa_server_now_rfc3339        (void);
/* "owner", "admin" or "member". */
gboolean       aa_server_is_role            (const char     *role);

/* Copies for the writer thread (aa-server-writer.c). */
AaServerItem    *aa_server_item_copy        (const AaServerItem    *item);
AaServerInvoice *aa_server_invoice_copy     (const AaServerInvoice *invoice);
AaServerPayment *aa_server_payment_copy     (const AaServerPayment *payment);
AaServerMember  *aa_server_member_copy      (const AaServerMember  *member);

/* The records as the API shows them (an item as the lists show it, with
 * "trashed" for the events). */
JsonNode        *aa_server_item_to_json     (const AaServerItem    *item,
                                             gboolean               with_trashed);
JsonNode        *aa_server_invoice_to_json  (const AaServerInvoice *invoice);
JsonNode        *aa_server_member_to_json   (const AaServerMember  *member);
GBytes          *aa_server_json_to_bytes    (JsonNode              *node);

void           aa_server_item_free          (AaServerItem    *item);
void           aa_server_invoice_free       (AaServerInvoice *invoice);
void           aa_server_payment_free       (AaServerPayment *payment);
void           aa_server_member_free        (AaServerMember  *member);
void           aa_server_record_free        (AaServerRecord  *record);
void           aa_server_event_free         (AaServerEvent   *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaServerState, aa_server_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaServerRecord, aa_server_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaServerEvent, aa_server_event_free)

G_END_DECLS
