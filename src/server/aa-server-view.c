/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-view"

#include "config.h"

#include <string.h>

#include "aa-server-view-private.h"

typedef struct {
  char     *id;
  gboolean  trashed;
  gint64    version;
  GBytes   *json;      /* as the lists show it */
} Entry;

struct _AaServerView
{
  GMutex      mutex;       /* readers read, the writer thread changes */
  GPtrArray  *entries;     /* Entry*, in creation order */
  GHashTable *by_id;       /* id -> Entry* (unowned) */
  GBytes     *lists[2];    /* GET /items, GET /trash; NULL when stale */
  GBytes     *invoices;
  GBytes     *members;
  GHashTable *member_by_id; /* id -> GBytes* */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_bytes_unref (entry->json);
  g_free (entry);
}

static void
entry_set (Entry              *entry,
           const AaServerItem *item)
{
  g_autoptr(JsonNode) node = aa_server_item_to_json (item, FALSE);

  g_clear_pointer (&entry->json, g_bytes_unref);
  entry->json = aa_server_json_to_bytes (node);
  entry->trashed = item->trashed;
  entry->version = item->version;
}

static void
set_invoices (AaServerView *view,
              GPtrArray    *invoices)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < invoices->len; i++)
    json_array_add_element (array, aa_server_invoice_to_json (g_ptr_array_index (invoices, i)));
  json_node_take_array (node, array);
  g_clear_pointer (&view->invoices, g_bytes_unref);
  view->invoices = aa_server_json_to_bytes (node);
}

static void
set_members (AaServerView *view,
             GPtrArray    *members)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  g_hash_table_remove_all (view->member_by_id);
  for (guint i = 0; i < members->len; i++) {
    const AaServerMember *member = g_ptr_array_index (members, i);
    JsonNode *element = aa_server_member_to_json (member);

    g_hash_table_insert (view->member_by_id, g_strdup (member->id), aa_server_json_to_bytes (element));
    json_array_add_element (array, element);
  }
  json_node_take_array (node, array);
  g_clear_pointer (&view->members, g_bytes_unref);
  view->members = aa_server_json_to_bytes (node);
}

static void
add_entry (AaServerView       *view,
           const AaServerItem *item)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->id = g_strdup (item->id);
  entry_set (entry, item);
  g_ptr_array_add (view->entries, entry);
  g_hash_table_insert (view->by_id, entry->id, entry);
}

AaServerView *
aa_server_view_new (const AaServerState *state)
{
  AaServerView *view = g_new0 (AaServerView, 1);

  g_mutex_init (&view->mutex);
  view->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  view->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  view->member_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < state->items->len; i++)
    add_entry (view, g_ptr_array_index (state->items, i));
  set_invoices (view, state->invoices);
  set_members (view, state->members);

  return view;
}

void
aa_server_view_free (AaServerView *view)
{
  if (view == NULL)
    return;

  g_hash_table_unref (view->by_id);
  g_ptr_array_unref (view->entries);
  g_clear_pointer (&view->lists[0], g_bytes_unref);
  g_clear_pointer (&view->lists[1], g_bytes_unref);
  g_clear_pointer (&view->invoices, g_bytes_unref);
  g_clear_pointer (&view->members, g_bytes_unref);
  g_hash_table_unref (view->member_by_id);
  g_mutex_clear (&view->mutex);
  g_free (view);
}

/* Up to @limit entries below @start in creation order (newest first), as a
 * JSON array. Called with the lock held, or from the writer thread (the
 * one that changes entries). */
static GBytes *
join (AaServerView *view,
      gboolean      trashed,
      guint         start,
      guint         limit)
{
  GString *text = g_string_sized_new (200 * MIN (limit, view->entries->len) + 2);
  guint n = 0;

  g_string_append_c (text, '[');
  for (guint i = start; i > 0 && n < limit; i--) {
    Entry *entry = g_ptr_array_index (view->entries, i - 1);
    gsize length;
    const char *data;

    if (entry->trashed != !!trashed)
      continue;
    data = g_bytes_get_data (entry->json, &length);
    if (n++ > 0)
      g_string_append_c (text, ',');
    g_string_append_len (text, data, (gssize) length);
  }
  g_string_append_c (text, ']');

  return g_string_free_to_bytes (text);
}

void
aa_server_view_apply (AaServerView        *view,
                      const AaServerWrite *write)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  /* Which lists the write changed: a change in the list of notes leaves
   * the trash as it was, and the other way round. */
  gboolean stale[2] = { FALSE, FALSE };

  g_return_if_fail (view != NULL && write != NULL && write->error == NULL);

  /* Serialised before the lock: readers wait for the swap alone. */
  for (guint i = 0; i < write->items->len; i++) {
    const AaServerItem *item = g_ptr_array_index (write->items, i);
    Entry *entry = g_new0 (Entry, 1);

    entry->id = g_strdup (item->id);
    entry_set (entry, item);
    g_ptr_array_add (entries, entry);
  }

  g_mutex_lock (&view->mutex);
  for (guint i = 0; i < entries->len; i++) {
    Entry *fresh = g_ptr_array_index (entries, i);
    Entry *entry = g_hash_table_lookup (view->by_id, fresh->id);

    stale[fresh->trashed ? 1 : 0] = TRUE;
    if (entry != NULL)
      stale[entry->trashed ? 1 : 0] = TRUE;
    if (entry == NULL) {
      g_ptr_array_index (entries, i) = NULL;
      g_ptr_array_add (view->entries, fresh);
      g_hash_table_insert (view->by_id, fresh->id, fresh);
    } else {
      GBytes *json = entry->json;

      entry->json = fresh->json;
      fresh->json = json;
      entry->trashed = fresh->trashed;
      entry->version = fresh->version;
    }
  }
  for (guint i = 0; i < write->purged->len; i++) {
    Entry *entry = g_hash_table_lookup (view->by_id, g_ptr_array_index (write->purged, i));

    if (entry != NULL) {
      stale[entry->trashed ? 1 : 0] = TRUE;
      g_hash_table_remove (view->by_id, entry->id);
      g_ptr_array_remove (view->entries, entry);
    }
  }
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++) {
    if (stale[i])
      g_clear_pointer (&view->lists[i], g_bytes_unref);
  }
  if (write->invoices->len > 0)
    set_invoices (view, write->invoices);
  if (write->members->len > 0)
    set_members (view, write->members);
  g_mutex_unlock (&view->mutex);

  /* The entries left over are NULL (moved in) or hold the old serialisation. */
  g_ptr_array_set_free_func (entries, NULL);
  for (guint i = 0; i < entries->len; i++) {
    Entry *entry = g_ptr_array_index (entries, i);

    if (entry != NULL)
      entry_free (entry);
  }
}

void
aa_server_view_prepare (AaServerView *view)
{
  GBytes *lists[2] = { NULL, NULL };
  gboolean stale[2];

  g_return_if_fail (view != NULL);

  g_mutex_lock (&view->mutex);
  stale[0] = view->lists[0] == NULL;
  stale[1] = view->lists[1] == NULL;
  g_mutex_unlock (&view->mutex);

  /* The writer thread is the only one that changes the entries: it reads
   * them without the lock, and takes it to publish. */
  for (guint i = 0; i < 2; i++) {
    if (stale[i])
      lists[i] = join (view, i == 1, view->entries->len, G_MAXUINT);
  }

  g_mutex_lock (&view->mutex);
  for (guint i = 0; i < 2; i++) {
    if (lists[i] != NULL && view->lists[i] == NULL)
      view->lists[i] = g_steal_pointer (&lists[i]);
  }
  g_mutex_unlock (&view->mutex);

  g_clear_pointer (&lists[0], g_bytes_unref);
  g_clear_pointer (&lists[1], g_bytes_unref);
}

GBytes *
aa_server_view_list_items (AaServerView *view,
                           gboolean      trashed)
{
  GBytes *list;
  guint i = trashed ? 1 : 0;

  g_return_val_if_fail (view != NULL, NULL);

  g_mutex_lock (&view->mutex);
  /* Stale only between a batch and the writer thread's prepare(). */
  if (view->lists[i] == NULL)
    view->lists[i] = join (view, trashed, view->entries->len, G_MAXUINT);
  list = g_bytes_ref (view->lists[i]);
  g_mutex_unlock (&view->mutex);

  return list;
}

GBytes *
aa_server_view_list_items_page (AaServerView *view,
                                gboolean      trashed,
                                const char   *after,
                                guint         limit)
{
  GBytes *page = NULL;
  guint start;

  g_return_val_if_fail (view != NULL && limit > 0, NULL);

  g_mutex_lock (&view->mutex);
  start = view->entries->len;
  if (after == NULL ||
      g_ptr_array_find (view->entries, g_hash_table_lookup (view->by_id, after), &start))
    page = join (view, trashed, start, limit);
  g_mutex_unlock (&view->mutex);

  return page;
}

GBytes *
aa_server_view_get_item (AaServerView *view,
                         const char   *id,
                         gint64       *out_version)
{
  GBytes *json = NULL;
  Entry *entry;

  g_return_val_if_fail (view != NULL && id != NULL, NULL);

  g_mutex_lock (&view->mutex);
  entry = g_hash_table_lookup (view->by_id, id);
  if (entry != NULL && !entry->trashed) {
    json = g_bytes_ref (entry->json);
    if (out_version != NULL)
      *out_version = entry->version;
  }
  g_mutex_unlock (&view->mutex);

  return json;
}

/* A reference to what @slot holds now. */
static GBytes *
ref_locked (AaServerView  *view,
            GBytes       **slot)
{
  GBytes *bytes;

  g_mutex_lock (&view->mutex);
  bytes = g_bytes_ref (*slot);
  g_mutex_unlock (&view->mutex);

  return bytes;
}

GBytes *
aa_server_view_list_invoices (AaServerView *view)
{
  g_return_val_if_fail (view != NULL, NULL);

  return ref_locked (view, &view->invoices);
}

GBytes *
aa_server_view_list_members (AaServerView *view)
{
  g_return_val_if_fail (view != NULL, NULL);

  return ref_locked (view, &view->members);
}

GBytes *
aa_server_view_get_member (AaServerView *view,
                           const char   *id)
{
  GBytes *member;

  g_return_val_if_fail (view != NULL, NULL);

  g_mutex_lock (&view->mutex);
  member = id != NULL ? g_hash_table_lookup (view->member_by_id, id) : NULL;
  if (member != NULL)
    g_bytes_ref (member);
  g_mutex_unlock (&view->mutex);

  return member;
}
