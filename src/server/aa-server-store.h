/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "aa-server-state-private.h"

G_BEGIN_DECLS

#define AA_SERVER_STORE_ERROR (aa_server_store_error_quark ())

/* What the store refuses, one code per HTTP answer (see aa-server.c). */
typedef enum {
  AA_SERVER_STORE_ERROR_NOT_FOUND,     /* 404 not_found */
  AA_SERVER_STORE_ERROR_GONE,          /* 410 gone */
  AA_SERVER_STORE_ERROR_VALIDATION,    /* 422 validation_failed */
  AA_SERVER_STORE_ERROR_PRECONDITION,  /* 412 precondition_failed */
  AA_SERVER_STORE_ERROR_CARD_DECLINED, /* 402 card_declined */
  AA_SERVER_STORE_ERROR_INVALID_CARD,  /* 422 invalid_card */
  AA_SERVER_STORE_ERROR_ALREADY_PAID,  /* 409 already_paid */
  AA_SERVER_STORE_ERROR_FORBIDDEN,     /* 403 forbidden */
  AA_SERVER_STORE_ERROR_LAST_OWNER,    /* 409 last_owner */
  AA_SERVER_STORE_ERROR_STORAGE,       /* 500 storage_failed */
  AA_SERVER_STORE_ERROR_CORRUPT,       /* the data file can't be read */
  AA_SERVER_STORE_ERROR_DAMAGED,       /* 500 damaged_record: one record can't be read */
} AaServerStoreError;

/* A partial change of an item: NULL strings and negative flags are left alone. */
typedef struct {
  const char *title;
  const char *notes;
  int         starred;
  int         done;
} AaServerItemChange;

typedef enum {
  AA_SERVER_KEY_ERROR,  /* the lookup failed: a 500 */
  AA_SERVER_KEY_NEW,
  AA_SERVER_KEY_MATCH,
  AA_SERVER_KEY_MISMATCH,
} AaServerKeyState;

#define AA_TYPE_SERVER_STORE (aa_server_store_get_type ())

G_DECLARE_FINAL_TYPE (AaServerStore, aa_server_store, AA, SERVER_STORE, GObject)

/*
 * The demo backend's data and its rules: pure logic, no HTTP. The records
 * live in memory and in an SQLite database (aa-server-db.c). Mutators change
 * memory only; aa_server_store_commit_async() hands what changed, with the
 * idempotency record of the request, to the writer thread
 * (aa-server-writer.c), which makes it durable in one transaction shared
 * with the other changes waiting then. When that fails the memory goes back
 * to the database. Reads never wait for the writer: the records as they
 * are on disk come from a view the writer thread keeps (aa-server-view.c),
 * idempotency records and the event log from a connection of their own.
 *
 * @path is the database. When it holds the JSON data format of earlier
 * versions, that is imported first and kept as “PATH.json-backup”; when it
 * is missing, it is created from the demo data.
 */
GQuark            aa_server_store_error_quark   (void);

AaServerStore    *aa_server_store_new           (const char               *path,
                                                 guint                     generate_notes,
                                                 GError                  **error);

/* A page of the list: up to @limit items after the one with id @after
 * (NULL: from the top) in the list's order, as a JSON array. */
GBytes           *aa_server_store_list_items_page (AaServerStore          *self,
                                                   gboolean                trashed,
                                                   const char             *after,
                                                   guint                   limit,
                                                   GError                **error);
/* The list as JSON text, as it is on disk: a change shows once it is
 * durable (before it is answered). Reads never wait for the writer. */
GBytes           *aa_server_store_list_items    (AaServerStore            *self,
                                                 gboolean                  trashed);
/* The ids of the stored records of @collection ("items", "invoices" or
 * "members") that are damaged (not UTF-8) and so left out of every answer,
 * as "3, 17"; NULL when there are none. */
char             *aa_server_store_dup_damaged   (AaServerStore            *self,
                                                 const char               *collection);
GBytes           *aa_server_store_get_item      (AaServerStore            *self,
                                                 const char               *id,
                                                 gint64                   *out_version,
                                                 GError                  **error);
JsonNode         *aa_server_store_create_item   (AaServerStore            *self,
                                                 const char               *title,
                                                 const char               *notes,
                                                 gboolean                  starred,
                                                 gboolean                  done,
                                                 gint64                   *out_version,
                                                 GError                  **error);
/* @if_match: the version the client has, or -1 for none. */
JsonNode         *aa_server_store_update_item   (AaServerStore            *self,
                                                 const char               *id,
                                                 const AaServerItemChange *change,
                                                 gint64                    if_match,
                                                 gint64                   *out_version,
                                                 GError                  **error);
JsonNode         *aa_server_store_trash_item    (AaServerStore            *self,
                                                 const char               *id,
                                                 GError                  **error);
JsonNode         *aa_server_store_restore_item  (AaServerStore            *self,
                                                 const char               *id,
                                                 GError                  **error);
guint             aa_server_store_empty_trash   (AaServerStore            *self);

GBytes           *aa_server_store_list_invoices (AaServerStore            *self);
JsonNode         *aa_server_store_pay_invoice   (AaServerStore            *self,
                                                 const char               *invoice_id,
                                                 const char               *card_number,
                                                 GError                  **error);

GBytes           *aa_server_store_list_members  (AaServerStore            *self);
GBytes           *aa_server_store_get_me        (AaServerStore            *self);
JsonNode         *aa_server_store_set_role      (AaServerStore            *self,
                                                 const char               *member_id,
                                                 const char               *role,
                                                 GError                  **error);
/* The permission part of set_role, to check before replaying one. */
gboolean          aa_server_store_may_set_role  (AaServerStore            *self,
                                                 const char               *member_id,
                                                 const char               *role,
                                                 GError                  **error);
/* The signed-in member's id. */
const char       *aa_server_store_get_session   (AaServerStore            *self);
/* The demo's "who is signed in" switch; not persisted. */
JsonNode         *aa_server_store_set_session   (AaServerStore            *self,
                                                 const char               *member_id,
                                                 GError                  **error);

/* Idempotency records are scoped by @principal (who asked). A match gives
 * the record to replay in @out_record. */
AaServerKeyState  aa_server_store_lookup_key    (AaServerStore            *self,
                                                 const char               *principal,
                                                 const char               *key,
                                                 const char               *fingerprint,
                                                 AaServerRecord          **out_record,
                                                 GError                  **error);
/* @error is NULL once the change is on disk. */
typedef void (*AaServerCommitDone) (AaServerStore *self,
                                    const GError  *error,
                                    gpointer       user_data);

/* Writes every change since the last commit plus, with a @key, the response
 * to replay for it, in one transaction; @done runs on this thread's main
 * context once it is durable or failed (at once when there is nothing to
 * write). On failure the memory goes back to the database. */
void              aa_server_store_commit_async  (AaServerStore            *self,
                                                 const char               *principal,
                                                 const char               *key,
                                                 const char               *fingerprint,
                                                 guint                     status,
                                                 const char               *body,
                                                 const char               *etag,
                                                 AaServerCommitDone        done,
                                                 gpointer                  user_data);
/* The same, waiting for it. */
gboolean          aa_server_store_commit        (AaServerStore            *self,
                                                 const char               *principal,
                                                 const char               *key,
                                                 const char               *fingerprint,
                                                 guint                     status,
                                                 const char               *body,
                                                 const char               *etag,
                                                 GError                  **error);
/* The change log (GET /events): every commit of a successful change writes
 * one AaServerEvent per changed record with it, naming @key as its origin.
 * take_events() hands over those committed since the last call. */
GPtrArray        *aa_server_store_take_events   (AaServerStore            *self);
gint64            aa_server_store_get_last_event_id (AaServerStore        *self);
/* At most @limit kept events after @after, in order;
 * AA_SERVER_STORE_ERROR_GONE when some of them are no longer kept (or
 * @after is not one of ours). */
GPtrArray        *aa_server_store_events_since  (AaServerStore            *self,
                                                 gint64                    after,
                                                 guint                     limit,
                                                 GError                  **error);
/* How many events the log keeps (1000 by default). */
void              aa_server_store_set_events_kept (AaServerStore          *self,
                                                   guint                   events_kept);

/* TRUE when every commit is on disk before it returns (the database's
 * own settings, read back): what makes an answered change survive a crash. */
gboolean          aa_server_store_is_durable    (AaServerStore            *self);
/* Writes anything not yet written, and waits for every commit under way. */
gboolean          aa_server_store_flush         (AaServerStore            *self,
                                                 GError                  **error);

G_END_DECLS
