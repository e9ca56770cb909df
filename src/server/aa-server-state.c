/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-state"

#include "config.h"

#include <string.h>

#include "aa-server-state-private.h"

void
aa_server_item_free (AaServerItem *item)
{
  g_free (item->id);
  g_free (item->title);
  g_free (item->notes);
  g_free (item->updated_at);
  g_free (item);
}

void
aa_server_invoice_free (AaServerInvoice *invoice)
{
  g_free (invoice->id);
  g_free (invoice->description);
  g_free (invoice->currency);
  g_free (invoice);
}

void
aa_server_payment_free (AaServerPayment *payment)
{
  g_free (payment->id);
  g_free (payment->invoice_id);
  g_free (payment->card_last4);
  g_free (payment->created_at);
  g_free (payment);
}

void
aa_server_member_free (AaServerMember *member)
{
  g_free (member->id);
  g_free (member->name);
  g_free (member->role);
  g_free (member);
}

void
aa_server_record_free (AaServerRecord *record)
{
  g_free (record->principal);
  g_free (record->key);
  g_free (record->fingerprint);
  g_free (record->body);
  g_free (record->etag);
  g_free (record);
}

void
aa_server_event_free (AaServerEvent *event)
{
  g_free (event->type);
  g_free (event->data);
  g_free (event);
}

AaServerItem *
aa_server_item_copy (const AaServerItem *item)
{
  AaServerItem *copy = g_new0 (AaServerItem, 1);

  copy->id = g_strdup (item->id);
  copy->title = g_strdup (item->title);
  copy->notes = g_strdup (item->notes);
  copy->starred = item->starred;
  copy->done = item->done;
  copy->version = item->version;
  copy->updated_at = g_strdup (item->updated_at);
  copy->trashed = item->trashed;

  return copy;
}

AaServerInvoice *
aa_server_invoice_copy (const AaServerInvoice *invoice)
{
  AaServerInvoice *copy = g_new0 (AaServerInvoice, 1);

  copy->id = g_strdup (invoice->id);
  copy->description = g_strdup (invoice->description);
  copy->currency = g_strdup (invoice->currency);
  copy->amount_cents = invoice->amount_cents;
  copy->paid = invoice->paid;

  return copy;
}

AaServerPayment *
aa_server_payment_copy (const AaServerPayment *payment)
{
  AaServerPayment *copy = g_new0 (AaServerPayment, 1);

  copy->id = g_strdup (payment->id);
  copy->invoice_id = g_strdup (payment->invoice_id);
  copy->card_last4 = g_strdup (payment->card_last4);
  copy->created_at = g_strdup (payment->created_at);

  return copy;
}

AaServerMember *
aa_server_member_copy (const AaServerMember *member)
{
  AaServerMember *copy = g_new0 (AaServerMember, 1);

  copy->id = g_strdup (member->id);
  copy->name = g_strdup (member->name);
  copy->role = g_strdup (member->role);

  return copy;
}

AaServerState *
aa_server_state_new (void)
{
  AaServerState *state = g_new0 (AaServerState, 1);

  state->items = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_item_free);
  state->items_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  state->purged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_invoice_free);
  state->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_payment_free);
  state->members = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_member_free);
  state->damaged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->damaged_invoices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->damaged_members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->next_item_id = 1;
  state->next_payment_id = 1;

  return state;
}

void
aa_server_state_free (AaServerState *state)
{
  if (state == NULL)
    return;

  g_hash_table_unref (state->items_by_id);
  g_ptr_array_unref (state->items);
  g_hash_table_unref (state->purged);
  g_ptr_array_unref (state->invoices);
  g_ptr_array_unref (state->payments);
  g_ptr_array_unref (state->members);
  g_hash_table_unref (state->damaged);
  g_hash_table_unref (state->damaged_invoices);
  g_hash_table_unref (state->damaged_members);
  g_free (state);
}

guint64
aa_server_parse_id (const char *id)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (id, 10, 1, AA_SERVER_MAX_ID, &number, NULL))
    return 0;

  return number;
}

gboolean
aa_server_state_add_item (AaServerState *state,
                          AaServerItem  *item)
{
  guint64 number;

  if (g_hash_table_contains (state->items_by_id, item->id)) {
    aa_server_item_free (item);
    return FALSE;
  }

  g_ptr_array_add (state->items, item);
  g_hash_table_insert (state->items_by_id, item->id, item);

  /* An id too large to follow leaves the counter alone: creating skips
   * taken ids, and refuses once the numbers run out. */
  number = aa_server_parse_id (item->id);
  if (number != 0 && number < AA_SERVER_MAX_ID)
    state->next_item_id = MAX (state->next_item_id, number + 1);

  return TRUE;
}

gboolean
aa_server_is_role (const char *role)
{
  return g_strcmp0 (role, "owner") == 0 ||
         g_strcmp0 (role, "admin") == 0 ||
         g_strcmp0 (role, "member") == 0;
}

char *
aa_server_now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

JsonNode *
aa_server_item_to_json (const AaServerItem *item,
                        gboolean            with_trashed)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", item->id);
  json_object_set_string_member (object, "title", item->title);
  json_object_set_string_member (object, "notes", item->notes);
  json_object_set_boolean_member (object, "starred", item->starred);
  json_object_set_boolean_member (object, "done", item->done);
  json_object_set_int_member (object, "version", item->version);
  json_object_set_string_member (object, "updated_at", item->updated_at);
  if (with_trashed)
    json_object_set_boolean_member (object, "trashed", item->trashed);
  json_node_take_object (node, object);

  return node;
}

JsonNode *
aa_server_invoice_to_json (const AaServerInvoice *invoice)
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

JsonNode *
aa_server_member_to_json (const AaServerMember *member)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", member->id);
  json_object_set_string_member (object, "name", member->name);
  json_object_set_string_member (object, "role", member->role);
  json_node_take_object (node, object);

  return node;
}

GBytes *
aa_server_json_to_bytes (JsonNode *node)
{
  char *data = json_to_string (node, FALSE);

  return g_bytes_new_take (data, strlen (data));
}
