/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-import"

#include "config.h"

#include "aa-server-import-private.h"
#include "aa-server-store.h"

/* The JSON data format of earlier versions, and of the seed. */
#define DATA_FORMAT 1

static gboolean
corrupt (GError     **error,
         const char  *what)
{
  g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
               "%s", what);
  return FALSE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             const char  *fallback,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && fallback != NULL) {
    *out = g_strdup (fallback);
    return TRUE;
  }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "“%s” is missing or not a string", name);
    return FALSE;
  }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gboolean     required,
          gint64       fallback,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && !required) {
    *out = fallback;
    return TRUE;
  }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "“%s” is missing or not an integer", name);
    return FALSE;
  }

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *name,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL) {
    *out = FALSE;
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "“%s” is not a boolean", name);
    return FALSE;
  }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static JsonArray *
read_array (JsonObject  *root,
            const char  *name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "“%s” is not an array", name);
    return NULL;
  }

  return json_node_get_array (node);
}

static JsonObject *
element_object (JsonArray  *array,
                guint       i,
                GError    **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    corrupt (error, "an entry is not an object");
    return NULL;
  }

  return json_node_get_object (node);
}

static gboolean
load_items (AaServerState  *state,
            JsonObject     *root,
            GError        **error)
{
  JsonArray *array = read_array (root, "items", error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    g_autoptr(GDateTime) updated = NULL;
    AaServerItem *item;

    if (object == NULL)
      return FALSE;

    item = g_new0 (AaServerItem, 1);

    /* The seed may leave out ids and dates: they are given in order. */
    if (json_object_has_member (object, "id")) {
      if (!read_string (object, "id", NULL, &item->id, error)) {
        aa_server_item_free (item);
        return FALSE;
      }
    } else {
      item->id = g_strdup_printf ("%" G_GUINT64_FORMAT, state->next_item_id);
    }
    if (!read_string (object, "title", NULL, &item->title, error) ||
        !read_string (object, "notes", "", &item->notes, error) ||
        !read_bool (object, "starred", &item->starred, error) ||
        !read_bool (object, "done", &item->done, error) ||
        !read_bool (object, "trashed", &item->trashed, error) ||
        !read_int (object, "version", FALSE, 1, &item->version, error)) {
      aa_server_item_free (item);
      return FALSE;
    }

    if (json_object_has_member (object, "updated_at")) {
      if (!read_string (object, "updated_at", NULL, &item->updated_at, error)) {
        aa_server_item_free (item);
        return FALSE;
      }
    } else {
      /* Seeded notes look as if written over the past days, oldest first. */
      gint64 minutes_ago = (gint64) (json_array_get_length (array) - i) * 437;

      updated = g_date_time_add_minutes (now, -minutes_ago);
      item->updated_at = g_date_time_format (updated, "%Y-%m-%dT%H:%M:%SZ");
    }

    if (*item->id == '\0') {
      aa_server_item_free (item);
      return corrupt (error, "an item has an empty id");
    }
    if (!aa_server_state_add_item (state, item))
      return corrupt (error, "two items have the same id");
  }

  return TRUE;
}

static gboolean
load_purged (AaServerState *state,
             JsonObject  *root,
             GError     **error)
{
  JsonArray *array = read_array (root, "purged", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    const char *id;
    guint64 number;

    if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
      return corrupt (error, "a purged id is not a string");
    id = json_node_get_string (node);
    g_hash_table_add (state->purged, g_strdup (id));
    number = aa_server_parse_id (id);
    if (number != 0 && number < AA_SERVER_MAX_ID)
      state->next_item_id = MAX (state->next_item_id, number + 1);
  }

  return TRUE;
}

static gboolean
load_invoices (AaServerState *state,
               JsonObject  *root,
               GError     **error)
{
  JsonArray *array = read_array (root, "invoices", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    g_autofree char *status = NULL;
    AaServerInvoice *invoice;

    if (object == NULL)
      return FALSE;

    invoice = g_new0 (AaServerInvoice, 1);
    g_ptr_array_add (state->invoices, invoice);
    if (!read_string (object, "id", NULL, &invoice->id, error) ||
        !read_string (object, "description", NULL, &invoice->description, error) ||
        !read_string (object, "currency", "EUR", &invoice->currency, error) ||
        !read_int (object, "amount_cents", TRUE, 0, &invoice->amount_cents, error) ||
        !read_string (object, "status", "open", &status, error))
      return FALSE;
    if (g_strcmp0 (status, "open") != 0 && g_strcmp0 (status, "paid") != 0)
      return corrupt (error, "an invoice status is neither “open” nor “paid”");
    invoice->paid = g_str_equal (status, "paid");
  }

  return TRUE;
}

static gboolean
load_payments (AaServerState *state,
               JsonObject  *root,
               GError     **error)
{
  JsonArray *array = read_array (root, "payments", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    AaServerPayment *payment;

    if (object == NULL)
      return FALSE;

    payment = g_new0 (AaServerPayment, 1);
    g_ptr_array_add (state->payments, payment);
    if (!read_string (object, "id", NULL, &payment->id, error) ||
        !read_string (object, "invoice_id", NULL, &payment->invoice_id, error) ||
        !read_string (object, "card_last4", "", &payment->card_last4, error) ||
        !read_string (object, "created_at", "", &payment->created_at, error))
      return FALSE;
  }

  {
    gint64 next_id;

    if (!read_int (root, "next_payment_id", FALSE, state->payments->len + 1, &next_id, error))
      return FALSE;
    state->next_payment_id = (guint64) CLAMP (next_id, 1, AA_SERVER_MAX_ID);
  }

  return TRUE;
}

static gboolean
load_members (AaServerState *state,
              JsonObject  *root,
              GError     **error)
{
  JsonArray *array = read_array (root, "members", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    AaServerMember *member;

    if (object == NULL)
      return FALSE;

    member = g_new0 (AaServerMember, 1);
    g_ptr_array_add (state->members, member);
    if (!read_string (object, "id", NULL, &member->id, error) ||
        !read_string (object, "name", NULL, &member->name, error) ||
        !read_string (object, "role", NULL, &member->role, error))
      return FALSE;
    if (!aa_server_is_role (member->role))
      return corrupt (error, "a member role is not “owner”, “admin” or “member”");
  }

  return TRUE;
}

static gboolean
load_records (GPtrArray   *records,
              JsonObject  *root,
              GError     **error)
{
  JsonArray *array = read_array (root, "idempotency", error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    g_autoptr(GError) local_error = NULL;
    g_autofree char *etag = NULL;
    AaServerRecord *record;
    gint64 status;

    if (object == NULL)
      return FALSE;

    record = g_new0 (AaServerRecord, 1);
    if (!read_string (object, "key", NULL, &record->key, &local_error) ||
        !read_string (object, "fingerprint", NULL, &record->fingerprint, &local_error) ||
        !read_string (object, "body", "", &record->body, &local_error) ||
        !read_string (object, "etag", "", &etag, &local_error) ||
        !read_int (object, "status", TRUE, 0, &status, &local_error) ||
        !read_int (object, "created_at", TRUE, 0, &record->created_at, &local_error)) {
      aa_server_record_free (record);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
    record->status = (guint) CLAMP (status, 100, 599);
    record->etag = *etag != '\0' ? g_steal_pointer (&etag) : NULL;

    /* Keys are kept for a day, then forgotten. Records of this format
     * predate principals: they answer whoever is signed in (see the
     * idempotency layer), and only until they expire. */
    record->principal = g_strdup ("");
    if (now - record->created_at > AA_SERVER_KEY_LIFETIME_SECONDS)
      aa_server_record_free (record);
    else
      g_ptr_array_add (records, record);
  }

  return TRUE;
}

AaServerState *
aa_server_import_json (const char  *data,
                       gsize        length,
                       GPtrArray  **out_records,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AaServerState) state = aa_server_state_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_record_free);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  gint64 format;

  if (length == 0) {
    corrupt (error, "it is empty");
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "%s", local_error->message);
    return NULL;
  }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    corrupt (error, "the top level is not an object");
    return NULL;
  }
  root = json_node_get_object (json_parser_get_root (parser));

  if (!read_int (root, "format", FALSE, DATA_FORMAT, &format, error))
    return NULL;
  if (format != DATA_FORMAT) {
    corrupt (error, "the format version is not one this server knows");
    return NULL;
  }

  /* The loaders test *error, so they always get a real one. */
  if (!load_items (state, root, &local_error) ||
      !load_purged (state, root, &local_error) ||
      !load_invoices (state, root, &local_error) ||
      !load_payments (state, root, &local_error) ||
      !load_members (state, root, &local_error) ||
      !load_records (records, root, &local_error)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  if (state->members->len == 0) {
    corrupt (error, "there are no members");
    return NULL;
  }

  if (json_object_has_member (root, "next_item_id")) {
    gint64 next_id;

    if (!read_int (root, "next_item_id", TRUE, 0, &next_id, error))
      return NULL;
    /* Earlier versions wrote a counter past G_MAXINT64 as a negative number. */
    if (next_id > 0)
      state->next_item_id = MAX (state->next_item_id, (guint64) MIN (next_id, AA_SERVER_MAX_ID));
  }

  if (out_records != NULL)
    *out_records = g_steal_pointer (&records);
  return g_steal_pointer (&state);
}
