#pragma once

#include <json-glib/json-glib.h>

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
} AaServerStoreError;

/* A partial change of an item: NULL strings and negative flags are left alone. */
typedef struct {
  const char *title;
  const char *notes;
  int         starred;
  int         done;
} AaServerItemChange;

typedef enum {
  AA_SERVER_KEY_NEW,
  AA_SERVER_KEY_MATCH,
  AA_SERVER_KEY_MISMATCH,
} AaServerKeyState;

#define AA_TYPE_SERVER_STORE (aa_server_store_get_type ())

G_DECLARE_FINAL_TYPE (AaServerStore, aa_server_store, AA, SERVER_STORE, GObject)

/*
 * The demo backend's data, its persistence and its idempotency records: pure
 * logic, no HTTP. Mutators change memory only; aa_server_store_commit()
 * writes the file (atomically and durably) together with the idempotency
 * record of the request, and rolls the memory back when the write fails.
 */
GQuark            aa_server_store_error_quark   (void);

AaServerStore    *aa_server_store_new           (const char               *path,
                                                 guint                     generate_notes,
                                                 GError                  **error);

JsonNode         *aa_server_store_list_items    (AaServerStore            *self,
                                                 gboolean                  trashed);
JsonNode         *aa_server_store_get_item      (AaServerStore            *self,
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

JsonNode         *aa_server_store_list_invoices (AaServerStore            *self);
JsonNode         *aa_server_store_pay_invoice   (AaServerStore            *self,
                                                 const char               *invoice_id,
                                                 const char               *card_number,
                                                 GError                  **error);

JsonNode         *aa_server_store_list_members  (AaServerStore            *self);
JsonNode         *aa_server_store_get_me        (AaServerStore            *self);
JsonNode         *aa_server_store_set_role      (AaServerStore            *self,
                                                 const char               *member_id,
                                                 const char               *role,
                                                 GError                  **error);
/* The demo's "who is signed in" switch; not persisted. */
JsonNode         *aa_server_store_set_session   (AaServerStore            *self,
                                                 const char               *member_id,
                                                 GError                  **error);

AaServerKeyState  aa_server_store_lookup_key    (AaServerStore            *self,
                                                 const char               *key,
                                                 const char               *fingerprint,
                                                 guint                    *out_status,
                                                 const char              **out_body,
                                                 const char              **out_etag);
/* Writes every change since the last commit plus, with a @key, the response
 * to replay for it. On failure the memory is rolled back to the file. */
gboolean          aa_server_store_commit        (AaServerStore            *self,
                                                 const char               *key,
                                                 const char               *fingerprint,
                                                 guint                     status,
                                                 const char               *body,
                                                 const char               *etag,
                                                 GError                  **error);
/* Writes the file if anything is unwritten. */
gboolean          aa_server_store_flush         (AaServerStore            *self,
                                                 GError                  **error);

G_END_DECLS
