#define G_LOG_DOMAIN "aa-server-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "aa-server-store.h"
#include "aa-validate.h"

#define SEED_RESOURCE "/org/example/AsyncActions/server/seed.json"

/* From the generated aa-server-resources.c: referencing it keeps the linker
 * from dropping the resource out of the static library. */
GResource *aa_server_get_resource (void);
#define DATA_FORMAT 1
#define KEY_LIFETIME_SECONDS (24 * 60 * 60)
#define DECLINED_CARD "4000000000000002"

typedef struct {
  char     *id;
  char     *title;
  char     *notes;
  gboolean  starred;
  gboolean  done;
  gint64    version;
  char     *updated_at;
  gboolean  trashed;
} Item;

typedef struct {
  char     *id;
  char     *description;
  char     *currency;
  gint64    amount_cents;
  gboolean  paid;
} Invoice;

typedef struct {
  char *id;
  char *invoice_id;
  char *card_last4;
  char *created_at;
} Payment;

typedef struct {
  char *id;
  char *name;
  char *role;
} Member;

typedef struct {
  char   *fingerprint;
  char   *body;
  char   *etag;
  guint   status;
  gint64  created_at;
} Record;

/* Everything that is persisted, so that a failed write can swap in the
 * state read back from the file in one go. */
typedef struct {
  GPtrArray  *items;         /* Item*, in creation order */
  GHashTable *items_by_id;   /* id -> Item* (unowned) */
  GHashTable *purged;        /* ids purged for good */
  guint64     next_item_id;
  GPtrArray  *invoices;      /* Invoice* */
  GPtrArray  *payments;      /* Payment* */
  guint64     next_payment_id;
  GPtrArray  *members;       /* Member* */
  GHashTable *records;       /* Idempotency-Key -> Record* */
} State;

struct _AaServerStore
{
  GObject  parent_instance;

  char    *path;
  State   *state;
  GBytes  *saved;     /* what the file holds: the state to go back to */
  char    *session_member_id;
  gboolean dirty;
};

G_DEFINE_TYPE (AaServerStore, aa_server_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (aa-server-store-error-quark, aa_server_store_error)

static void
item_free (Item *item)
{
  g_free (item->id);
  g_free (item->title);
  g_free (item->notes);
  g_free (item->updated_at);
  g_free (item);
}

static void
invoice_free (Invoice *invoice)
{
  g_free (invoice->id);
  g_free (invoice->description);
  g_free (invoice->currency);
  g_free (invoice);
}

static void
payment_free (Payment *payment)
{
  g_free (payment->id);
  g_free (payment->invoice_id);
  g_free (payment->card_last4);
  g_free (payment->created_at);
  g_free (payment);
}

static void
member_free (Member *member)
{
  g_free (member->id);
  g_free (member->name);
  g_free (member->role);
  g_free (member);
}

static void
record_free (Record *record)
{
  g_free (record->fingerprint);
  g_free (record->body);
  g_free (record->etag);
  g_free (record);
}

static State *
state_new (void)
{
  State *state = g_new0 (State, 1);

  state->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  state->items_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  state->purged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) invoice_free);
  state->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) payment_free);
  state->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  state->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) record_free);
  state->next_item_id = 1;
  state->next_payment_id = 1;

  return state;
}

static void
state_free (State *state)
{
  if (state == NULL)
    return;

  g_hash_table_unref (state->items_by_id);
  g_ptr_array_unref (state->items);
  g_hash_table_unref (state->purged);
  g_ptr_array_unref (state->invoices);
  g_ptr_array_unref (state->payments);
  g_ptr_array_unref (state->members);
  g_hash_table_unref (state->records);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (State, state_free)

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
is_role (const char *role)
{
  return g_strcmp0 (role, "owner") == 0 ||
         g_strcmp0 (role, "admin") == 0 ||
         g_strcmp0 (role, "member") == 0;
}

/* Reading the data file (and the seed, which has the same shape). */

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
load_items (State       *state,
            JsonObject  *root,
            GError     **error)
{
  JsonArray *array = read_array (root, "items", error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint64 max_id = 0;

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    g_autoptr(GDateTime) updated = NULL;
    Item *item;
    guint64 numeric_id;

    if (object == NULL)
      return FALSE;

    item = g_new0 (Item, 1);
    g_ptr_array_add (state->items, item);

    /* The seed may leave out ids and dates: they are given in order. */
    if (json_object_has_member (object, "id")) {
      if (!read_string (object, "id", NULL, &item->id, error))
        return FALSE;
    } else {
      item->id = g_strdup_printf ("%" G_GUINT64_FORMAT, max_id + 1);
    }
    if (!read_string (object, "title", NULL, &item->title, error) ||
        !read_string (object, "notes", "", &item->notes, error) ||
        !read_bool (object, "starred", &item->starred, error) ||
        !read_bool (object, "done", &item->done, error) ||
        !read_bool (object, "trashed", &item->trashed, error) ||
        !read_int (object, "version", FALSE, 1, &item->version, error))
      return FALSE;

    if (json_object_has_member (object, "updated_at")) {
      if (!read_string (object, "updated_at", NULL, &item->updated_at, error))
        return FALSE;
    } else {
      /* Seeded notes look as if written over the past days, oldest first. */
      gint64 minutes_ago = (gint64) (json_array_get_length (array) - i) * 437;

      updated = g_date_time_add_minutes (now, -minutes_ago);
      item->updated_at = g_date_time_format (updated, "%Y-%m-%dT%H:%M:%SZ");
    }

    if (g_hash_table_contains (state->items_by_id, item->id))
      return corrupt (error, "two items have the same id");
    g_hash_table_insert (state->items_by_id, item->id, item);

    numeric_id = g_ascii_strtoull (item->id, NULL, 10);
    max_id = MAX (max_id, numeric_id);
  }

  state->next_item_id = MAX (state->next_item_id, max_id + 1);
  return TRUE;
}

static gboolean
load_purged (State       *state,
             JsonObject  *root,
             GError     **error)
{
  JsonArray *array = read_array (root, "purged", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    const char *id;

    if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
      return corrupt (error, "a purged id is not a string");
    id = json_node_get_string (node);
    g_hash_table_add (state->purged, g_strdup (id));
    state->next_item_id = MAX (state->next_item_id, g_ascii_strtoull (id, NULL, 10) + 1);
  }

  return TRUE;
}

static gboolean
load_invoices (State       *state,
               JsonObject  *root,
               GError     **error)
{
  JsonArray *array = read_array (root, "invoices", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    g_autofree char *status = NULL;
    Invoice *invoice;

    if (object == NULL)
      return FALSE;

    invoice = g_new0 (Invoice, 1);
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
load_payments (State       *state,
               JsonObject  *root,
               GError     **error)
{
  JsonArray *array = read_array (root, "payments", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    Payment *payment;

    if (object == NULL)
      return FALSE;

    payment = g_new0 (Payment, 1);
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
    state->next_payment_id = (guint64) MAX (next_id, 1);
  }

  return TRUE;
}

static gboolean
load_members (State       *state,
              JsonObject  *root,
              GError     **error)
{
  JsonArray *array = read_array (root, "members", error);

  if (array == NULL)
    return *error == NULL;

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *object = element_object (array, i, error);
    Member *member;

    if (object == NULL)
      return FALSE;

    member = g_new0 (Member, 1);
    g_ptr_array_add (state->members, member);
    if (!read_string (object, "id", NULL, &member->id, error) ||
        !read_string (object, "name", NULL, &member->name, error) ||
        !read_string (object, "role", NULL, &member->role, error))
      return FALSE;
    if (!is_role (member->role))
      return corrupt (error, "a member role is not “owner”, “admin” or “member”");
  }

  return TRUE;
}

static gboolean
load_records (State       *state,
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
    g_autofree char *key = NULL;
    g_autofree char *etag = NULL;
    Record *record;
    gint64 status;

    if (object == NULL)
      return FALSE;

    record = g_new0 (Record, 1);
    if (!read_string (object, "key", NULL, &key, &local_error) ||
        !read_string (object, "fingerprint", NULL, &record->fingerprint, &local_error) ||
        !read_string (object, "body", "", &record->body, &local_error) ||
        !read_string (object, "etag", "", &etag, &local_error) ||
        !read_int (object, "status", TRUE, 0, &status, &local_error) ||
        !read_int (object, "created_at", TRUE, 0, &record->created_at, &local_error)) {
      record_free (record);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
    record->status = (guint) CLAMP (status, 100, 599);
    record->etag = *etag != '\0' ? g_steal_pointer (&etag) : NULL;

    /* Keys are kept for a day, then forgotten. */
    if (now - record->created_at > KEY_LIFETIME_SECONDS)
      record_free (record);
    else
      g_hash_table_replace (state->records, g_steal_pointer (&key), record);
  }

  return TRUE;
}

static State *
state_from_data (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(State) state = state_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  gint64 format;

  if (!json_parser_load_from_data (parser, data, length, &local_error)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                 "%s", local_error->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
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
      !load_records (state, root, &local_error)) {
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
    state->next_item_id = MAX (state->next_item_id, (guint64) MAX (next_id, 1));
  }

  return g_steal_pointer (&state);
}

/* Writing. */

static JsonNode *
item_to_json (const Item *item,
              gboolean    with_trashed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, item->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, item->title);
  json_builder_set_member_name (builder, "notes");
  json_builder_add_string_value (builder, item->notes);
  json_builder_set_member_name (builder, "starred");
  json_builder_add_boolean_value (builder, item->starred);
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, item->done);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, item->version);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, item->updated_at);
  if (with_trashed) {
    json_builder_set_member_name (builder, "trashed");
    json_builder_add_boolean_value (builder, item->trashed);
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
invoice_to_json (const Invoice *invoice)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", invoice->id);
  json_object_set_string_member (object, "description", invoice->description);
  json_object_set_int_member (object, "amount_cents", invoice->amount_cents);
  json_object_set_string_member (object, "currency", invoice->currency);
  json_object_set_string_member (object, "status", invoice->paid ? "paid" : "open");
  json_node_take_object (node, object);

  return node;
}

static JsonNode *
member_to_json (const Member *member)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", member->id);
  json_object_set_string_member (object, "name", member->name);
  json_object_set_string_member (object, "role", member->role);
  json_node_take_object (node, object);

  return node;
}

static JsonNode *
payment_to_json (const Payment *payment,
                 gboolean       with_private)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", payment->id);
  json_object_set_string_member (object, "invoice_id", payment->invoice_id);
  json_object_set_string_member (object, "status", "succeeded");
  if (with_private) {
    json_object_set_string_member (object, "card_last4", payment->card_last4);
    json_object_set_string_member (object, "created_at", payment->created_at);
  }
  json_node_take_object (node, object);

  return node;
}

static char *
state_to_data (State *state,
               gsize *out_length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonArray *items = json_array_sized_new (state->items->len);
  JsonArray *purged = json_array_new ();
  JsonArray *invoices = json_array_new ();
  JsonArray *payments = json_array_new ();
  JsonArray *members = json_array_new ();
  JsonArray *records = json_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < state->items->len; i++)
    json_array_add_element (items, item_to_json (g_ptr_array_index (state->items, i), TRUE));

  g_hash_table_iter_init (&iter, state->purged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_array_add_string_element (purged, key);

  for (guint i = 0; i < state->invoices->len; i++)
    json_array_add_element (invoices, invoice_to_json (g_ptr_array_index (state->invoices, i)));
  for (guint i = 0; i < state->payments->len; i++)
    json_array_add_element (payments, payment_to_json (g_ptr_array_index (state->payments, i), TRUE));
  for (guint i = 0; i < state->members->len; i++)
    json_array_add_element (members, member_to_json (g_ptr_array_index (state->members, i)));

  g_hash_table_iter_init (&iter, state->records);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    Record *record = value;
    JsonObject *entry = json_object_new ();

    json_object_set_string_member (entry, "key", key);
    json_object_set_string_member (entry, "fingerprint", record->fingerprint);
    json_object_set_int_member (entry, "status", record->status);
    json_object_set_string_member (entry, "body", record->body);
    if (record->etag != NULL)
      json_object_set_string_member (entry, "etag", record->etag);
    json_object_set_int_member (entry, "created_at", record->created_at);
    json_array_add_object_element (records, entry);
  }

  json_object_set_int_member (object, "format", DATA_FORMAT);
  json_object_set_int_member (object, "next_item_id", (gint64) state->next_item_id);
  json_object_set_int_member (object, "next_payment_id", (gint64) state->next_payment_id);
  json_object_set_array_member (object, "items", items);
  json_object_set_array_member (object, "purged", purged);
  json_object_set_array_member (object, "invoices", invoices);
  json_object_set_array_member (object, "payments", payments);
  json_object_set_array_member (object, "members", members);
  json_object_set_array_member (object, "idempotency", records);
  json_node_take_object (root, object);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, out_length);
}

static gboolean
write_state (AaServerStore  *self,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  data = state_to_data (self->state, &length);

  /* Temporary file, fsync and rename: a crash leaves the old or the new
   * file, never a torn one, and an acknowledged change is on disk. */
  if (!g_file_set_contents_full (self->path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn't write the data file “%s”: %s"), self->path, local_error->message);
    return FALSE;
  }

  g_clear_pointer (&self->saved, g_bytes_unref);
  self->saved = g_bytes_new_take (g_steal_pointer (&data), length);
  self->dirty = FALSE;
  return TRUE;
}

static void
prune_records (AaServerStore *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->state->records);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Record *record = value;

    if (now - record->created_at > KEY_LIFETIME_SECONDS) {
      g_hash_table_iter_remove (&iter);
      self->dirty = TRUE;
    }
  }
}

/* Generated notes for demos with many rows. */
static void
generate_notes (State *state,
                guint  n_notes)
{
  static const char *verbs[] = {
    "Call", "Email", "Book", "Review", "Renew", "Order", "Plan", "Pay", "Return", "Update",
  };
  static const char *objects[] = {
    "the dentist", "the landlord", "train tickets to Lyon", "the quarterly report",
    "the car insurance", "printer toner", "Maya's birthday dinner", "the electricity bill",
    "the library books", "the team wiki", "the passport", "a table at Osteria Nonna",
  };
  g_autofree char *now = now_rfc3339 ();

  for (guint i = 0; i < n_notes; i++) {
    Item *item = g_new0 (Item, 1);

    item->id = g_strdup_printf ("%" G_GUINT64_FORMAT, state->next_item_id++);
    item->title = g_strdup_printf ("%s %s (#%u)",
                                   verbs[i % G_N_ELEMENTS (verbs)],
                                   objects[(i / G_N_ELEMENTS (verbs)) % G_N_ELEMENTS (objects)],
                                   i + 1);
    item->notes = g_strdup (i % 3 == 0 ? "Generated for the large-list demo." : "");
    item->starred = i % 7 == 0;
    item->done = i % 5 == 0;
    item->version = 1;
    item->updated_at = g_strdup (now);
    g_ptr_array_add (state->items, item);
    g_hash_table_insert (state->items_by_id, item->id, item);
  }
}

static void
aa_server_store_finalize (GObject *object)
{
  AaServerStore *self = (AaServerStore *) object;

  g_free (self->path);
  g_free (self->session_member_id);
  g_clear_pointer (&self->saved, g_bytes_unref);
  state_free (self->state);

  G_OBJECT_CLASS (aa_server_store_parent_class)->finalize (object);
}

static void
aa_server_store_class_init (AaServerStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_server_store_finalize;
}

static void
aa_server_store_init (AaServerStore *self)
{
}

/* The default session: the first admin, or else the first member. */
static void
reset_session (AaServerStore *self)
{
  GPtrArray *members = self->state->members;

  for (guint i = 0; i < members->len; i++) {
    Member *member = g_ptr_array_index (members, i);

    if (g_strcmp0 (member->id, self->session_member_id) == 0)
      return;
  }

  g_clear_pointer (&self->session_member_id, g_free);
  for (guint i = 0; i < members->len; i++) {
    Member *member = g_ptr_array_index (members, i);

    if (g_str_equal (member->role, "admin")) {
      self->session_member_id = g_strdup (member->id);
      return;
    }
  }
  if (members->len > 0)
    self->session_member_id = g_strdup (((Member *) g_ptr_array_index (members, 0))->id);
}

AaServerStore *
aa_server_store_new (const char  *path,
                     guint        n_generated,
                     GError     **error)
{
  g_autoptr(AaServerStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (AA_TYPE_SERVER_STORE, NULL);
  self->path = g_strdup (path);

  if (g_file_get_contents (path, &contents, &length, &local_error)) {
    self->state = state_from_data (contents, length, &local_error);
    if (self->state == NULL) {
      /* Never overwrite what we can't read: the person decides. */
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                   _("The data file “%s” is damaged (%s). It was left untouched; "
                     "fix it, or move it away to start from the demo data."),
                   path, local_error->message);
      return NULL;
    }
    self->saved = g_bytes_new_take (g_steal_pointer (&contents), length);
    prune_records (self);
  } else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    g_autoptr(GBytes) seed = NULL;
    g_autoptr(GError) seed_error = NULL;

    seed = g_resource_lookup_data (aa_server_get_resource (), SEED_RESOURCE,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &seed_error);
    if (seed == NULL) {
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                   _("The demo data is missing from this build: %s"), seed_error->message);
      return NULL;
    }
    self->state = state_from_data (g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), &seed_error);
    if (self->state == NULL) {
      g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT,
                   _("The demo data in this build is damaged: %s"), seed_error->message);
      return NULL;
    }
    generate_notes (self->state, n_generated);
    if (!write_state (self, error))
      return NULL;
  } else {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                 _("Couldn't read the data file “%s”: %s"), path, local_error->message);
    return NULL;
  }

  reset_session (self);
  return g_steal_pointer (&self);
}

/* Items. */

static Item *
lookup_item (AaServerStore  *self,
             const char     *id,
             gboolean        allow_trashed,
             GError        **error)
{
  Item *item = g_hash_table_lookup (self->state->items_by_id, id);

  if (item == NULL && g_hash_table_contains (self->state->purged, id)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_GONE,
                 _("This note was deleted for good when the trash was emptied."));
    return NULL;
  }
  if (item == NULL || (item->trashed && !allow_trashed)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                 item == NULL ? _("There is no note with this id.")
                              : _("This note is in the trash. Restore it first."));
    return NULL;
  }

  return item;
}

JsonNode *
aa_server_store_list_items (AaServerStore *self,
                            gboolean       trashed)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  /* Creation order, newest first: a restored item is back at its place. */
  for (guint i = self->state->items->len; i > 0; i--) {
    Item *item = g_ptr_array_index (self->state->items, i - 1);

    if (item->trashed == !!trashed)
      json_array_add_element (array, item_to_json (item, FALSE));
  }
  json_node_take_array (node, array);

  return node;
}

JsonNode *
aa_server_store_get_item (AaServerStore  *self,
                          const char     *id,
                          gint64         *out_version,
                          GError        **error)
{
  Item *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  /* Absent, trashed and purged all look the same to readers. */
  item = g_hash_table_lookup (self->state->items_by_id, id);
  if (item == NULL || item->trashed) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no note with this id."));
    return NULL;
  }

  if (out_version != NULL)
    *out_version = item->version;
  return item_to_json (item, FALSE);
}

static gboolean
check_title (const char  *title,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!aa_validate_title (title, &local_error)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         local_error->message);
    return FALSE;
  }

  return TRUE;
}

JsonNode *
aa_server_store_create_item (AaServerStore  *self,
                             const char     *title,
                             const char     *notes,
                             gboolean        starred,
                             gboolean        done,
                             gint64         *out_version,
                             GError        **error)
{
  Item *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!check_title (title, error))
    return NULL;
  if (notes != NULL && !g_utf8_validate (notes, -1, NULL)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         _("The notes contain characters that can't be read."));
    return NULL;
  }

  item = g_new0 (Item, 1);
  item->id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->state->next_item_id++);
  item->title = g_strdup (title);
  item->notes = g_strdup (notes != NULL ? notes : "");
  item->starred = starred;
  item->done = done;
  item->version = 1;
  item->updated_at = now_rfc3339 ();
  g_ptr_array_add (self->state->items, item);
  g_hash_table_insert (self->state->items_by_id, item->id, item);
  self->dirty = TRUE;

  if (out_version != NULL)
    *out_version = item->version;
  return item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_update_item (AaServerStore             *self,
                             const char                *id,
                             const AaServerItemChange  *change,
                             gint64                     if_match,
                             gint64                    *out_version,
                             GError                   **error)
{
  Item *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (change != NULL, NULL);

  item = lookup_item (self, id, FALSE, error);
  if (item == NULL)
    return NULL;

  if (if_match >= 0 && if_match != item->version) {
    /* Formatted apart: xgettext cannot read G_GINT64_FORMAT in a message. */
    g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, item->version);

    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_PRECONDITION,
                 _("This note was changed elsewhere (now version %s). "
                   "Reload it and apply your change again."), version);
    return NULL;
  }

  /* Check everything before touching anything: no partial writes. */
  if (change->title != NULL && !check_title (change->title, error))
    return NULL;
  if (change->notes != NULL && !g_utf8_validate (change->notes, -1, NULL)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         _("The notes contain characters that can't be read."));
    return NULL;
  }

  if (change->title != NULL) {
    g_free (item->title);
    item->title = g_strdup (change->title);
  }
  if (change->notes != NULL) {
    g_free (item->notes);
    item->notes = g_strdup (change->notes);
  }
  if (change->starred >= 0)
    item->starred = !!change->starred;
  if (change->done >= 0)
    item->done = !!change->done;
  item->version++;
  g_free (item->updated_at);
  item->updated_at = now_rfc3339 ();
  self->dirty = TRUE;

  if (out_version != NULL)
    *out_version = item->version;
  return item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_trash_item (AaServerStore  *self,
                            const char     *id,
                            GError        **error)
{
  Item *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  item = lookup_item (self, id, TRUE, error);
  if (item == NULL)
    return NULL;

  if (!item->trashed) {
    item->trashed = TRUE;
    self->dirty = TRUE;
  }

  return item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_restore_item (AaServerStore  *self,
                              const char     *id,
                              GError        **error)
{
  Item *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  item = lookup_item (self, id, TRUE, error);
  if (item == NULL)
    return NULL;

  if (item->trashed) {
    item->trashed = FALSE;
    self->dirty = TRUE;
  }

  return item_to_json (item, FALSE);
}

guint
aa_server_store_empty_trash (AaServerStore *self)
{
  GPtrArray *items;
  guint n_purged = 0;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), 0);

  items = self->state->items;
  for (guint i = 0; i < items->len;) {
    Item *item = g_ptr_array_index (items, i);

    if (item->trashed) {
      /* Remembered, so that a late restore gets 410 rather than 404. */
      g_hash_table_add (self->state->purged, g_strdup (item->id));
      g_hash_table_remove (self->state->items_by_id, item->id);
      g_ptr_array_remove_index (items, i);
      n_purged++;
    } else {
      i++;
    }
  }

  if (n_purged > 0)
    self->dirty = TRUE;
  return n_purged;
}

/* Invoices and payments. */

JsonNode *
aa_server_store_list_invoices (AaServerStore *self)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  for (guint i = 0; i < self->state->invoices->len; i++)
    json_array_add_element (array, invoice_to_json (g_ptr_array_index (self->state->invoices, i)));
  json_node_take_array (node, array);

  return node;
}

JsonNode *
aa_server_store_pay_invoice (AaServerStore  *self,
                             const char     *invoice_id,
                             const char     *card_number,
                             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *digits = NULL;
  Invoice *invoice = NULL;
  Payment *payment;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!aa_validate_card_number (card_number, &digits, &local_error)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_INVALID_CARD,
                         local_error->message);
    return NULL;
  }

  for (guint i = 0; i < self->state->invoices->len; i++) {
    Invoice *candidate = g_ptr_array_index (self->state->invoices, i);

    if (g_strcmp0 (candidate->id, invoice_id) == 0)
      invoice = candidate;
  }
  if (invoice == NULL) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no invoice with this id."));
    return NULL;
  }
  if (invoice->paid) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_ALREADY_PAID,
                 _("Invoice “%s” is already paid. Nothing was charged."), invoice->description);
    return NULL;
  }
  if (g_str_equal (digits, DECLINED_CARD)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CARD_DECLINED,
                         _("The card was declined. Use another card or contact your bank."));
    return NULL;
  }

  payment = g_new0 (Payment, 1);
  payment->id = g_strdup_printf ("pay_%" G_GUINT64_FORMAT, self->state->next_payment_id++);
  payment->invoice_id = g_strdup (invoice->id);
  payment->card_last4 = g_strdup (digits + 12);
  payment->created_at = now_rfc3339 ();
  g_ptr_array_add (self->state->payments, payment);
  invoice->paid = TRUE;
  self->dirty = TRUE;

  return payment_to_json (payment, FALSE);
}

/* Members. */

static Member *
lookup_member (AaServerStore *self,
               const char    *id)
{
  for (guint i = 0; i < self->state->members->len; i++) {
    Member *member = g_ptr_array_index (self->state->members, i);

    if (g_strcmp0 (member->id, id) == 0)
      return member;
  }

  return NULL;
}

JsonNode *
aa_server_store_list_members (AaServerStore *self)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  for (guint i = 0; i < self->state->members->len; i++)
    json_array_add_element (array, member_to_json (g_ptr_array_index (self->state->members, i)));
  json_node_take_array (node, array);

  return node;
}

JsonNode *
aa_server_store_get_me (AaServerStore *self)
{
  Member *me;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  me = lookup_member (self, self->session_member_id);
  g_assert (me != NULL);

  return member_to_json (me);
}

JsonNode *
aa_server_store_set_role (AaServerStore  *self,
                          const char     *member_id,
                          const char     *role,
                          GError        **error)
{
  Member *me;
  Member *target;
  guint n_owners = 0;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!is_role (role)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         _("Choose a role: owner, admin or member."));
    return NULL;
  }

  target = lookup_member (self, member_id);
  if (target == NULL) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no member with this id."));
    return NULL;
  }

  me = lookup_member (self, self->session_member_id);
  g_assert (me != NULL);

  if (g_str_equal (me->role, "member")) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                         _("Only owners and admins can change roles."));
    return NULL;
  }
  if (g_str_equal (me->role, "admin")) {
    if (g_str_equal (target->role, "owner")) {
      g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                           _("Only owners can change an owner's role."));
      return NULL;
    }
    if (g_str_equal (role, "owner")) {
      g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                           _("Only owners can make owners."));
      return NULL;
    }
  }

  for (guint i = 0; i < self->state->members->len; i++) {
    Member *member = g_ptr_array_index (self->state->members, i);

    if (g_str_equal (member->role, "owner"))
      n_owners++;
  }
  if (g_str_equal (target->role, "owner") && !g_str_equal (role, "owner") && n_owners <= 1) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_LAST_OWNER,
                 _("%s is the last owner. Make someone else an owner first."), target->name);
    return NULL;
  }

  if (!g_str_equal (target->role, role)) {
    g_free (target->role);
    target->role = g_strdup (role);
    self->dirty = TRUE;
  }

  return member_to_json (target);
}

JsonNode *
aa_server_store_set_session (AaServerStore  *self,
                             const char     *member_id,
                             GError        **error)
{
  Member *member;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  member = lookup_member (self, member_id);
  if (member == NULL) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no member with this id."));
    return NULL;
  }

  g_free (self->session_member_id);
  self->session_member_id = g_strdup (member->id);

  return member_to_json (member);
}

/* Idempotency and persistence. */

AaServerKeyState
aa_server_store_lookup_key (AaServerStore  *self,
                            const char     *key,
                            const char     *fingerprint,
                            guint          *out_status,
                            const char    **out_body,
                            const char    **out_etag)
{
  Record *record;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), AA_SERVER_KEY_NEW);
  g_return_val_if_fail (key != NULL && fingerprint != NULL, AA_SERVER_KEY_NEW);

  record = g_hash_table_lookup (self->state->records, key);
  if (record == NULL ||
      g_get_real_time () / G_USEC_PER_SEC - record->created_at > KEY_LIFETIME_SECONDS)
    return AA_SERVER_KEY_NEW;
  if (!g_str_equal (record->fingerprint, fingerprint))
    return AA_SERVER_KEY_MISMATCH;

  if (out_status != NULL)
    *out_status = record->status;
  if (out_body != NULL)
    *out_body = record->body;
  if (out_etag != NULL)
    *out_etag = record->etag;
  return AA_SERVER_KEY_MATCH;
}

static void
rollback (AaServerStore *self)
{
  State *state;

  /* Back to what the file holds, the last acknowledged state. */
  state = state_from_data (g_bytes_get_data (self->saved, NULL), g_bytes_get_size (self->saved), NULL);
  g_assert (state != NULL);

  state_free (self->state);
  self->state = state;
  self->dirty = FALSE;
  reset_session (self);
}

gboolean
aa_server_store_commit (AaServerStore  *self,
                        const char     *key,
                        const char     *fingerprint,
                        guint           status,
                        const char     *body,
                        const char     *etag,
                        GError        **error)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (key == NULL || fingerprint != NULL, FALSE);

  if (key != NULL) {
    Record *record = g_new0 (Record, 1);

    record->fingerprint = g_strdup (fingerprint);
    record->body = g_strdup (body != NULL ? body : "");
    record->etag = g_strdup (etag);
    record->status = status;
    record->created_at = g_get_real_time () / G_USEC_PER_SEC;
    g_hash_table_replace (self->state->records, g_strdup (key), record);
    prune_records (self);
    self->dirty = TRUE;
  }

  if (!self->dirty)
    return TRUE;

  if (!write_state (self, error)) {
    rollback (self);
    return FALSE;
  }

  return TRUE;
}

gboolean
aa_server_store_flush (AaServerStore  *self,
                       GError        **error)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);

  if (!self->dirty)
    return TRUE;

  return write_state (self, error);
}
