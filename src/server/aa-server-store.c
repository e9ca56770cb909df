/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "aa-server-data-file-private.h"
#include "aa-server-db-private.h"
#include "aa-server-store.h"
#include "aa-server-view-private.h"
#include "aa-server-writer-private.h"
#include "aa-validate.h"

#define DECLINED_CARD "4000000000000002"
/* Expired idempotency records go at most this often: pruning is an index
 * range delete, but there is no need to try on every write. */
#define PRUNE_INTERVAL_SECONDS 60
#define DEFAULT_EVENTS_KEPT    1000


struct _AaServerStore
{
  GObject        parent_instance;

  char          *path;
  AaServerDb    *db;              /* reads, on the server's thread */
  AaServerWriter *writer;         /* writes, on its own */
  AaServerView  *view;            /* what is on disk, for reads */
  guint64        epoch;           /* bumped when memory goes back to the database */
  AaServerState *state;
  char          *session_member_id;

  /* What changed since the last commit, written by the next one. */
  GHashTable    *dirty_items;     /* ids */
  gboolean       invoices_dirty;
  gboolean       members_dirty;
  guint          payments_saved;
  guint64        saved_next_item_id;
  guint64        saved_next_payment_id;

  gint64         pruned_at;

  /* The change log: what changed since the last commit, as "type\tid" in
   * order, and the events committed that the server has not streamed yet. */
  GPtrArray     *changes;
  GPtrArray     *committed;       /* AaServerEvent* */
  gint64         first_event_id;
  gint64         last_event_id;   /* the last one on disk */
  gint64         next_event_id;   /* the last one handed to the writer */
  guint          events_kept;
};

G_DEFINE_TYPE (AaServerStore, aa_server_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (aa-server-store-error-quark, aa_server_store_error)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
note_change (AaServerStore *self,
             const char    *type,
             const char    *id)
{
  g_ptr_array_add (self->changes, g_strconcat (type, "\t", id, NULL));
}

static void
mark_item (AaServerStore *self,
           const char    *id)
{
  g_hash_table_add (self->dirty_items, g_strdup (id));
  note_change (self, "item", id);
}

/* What the database holds is now what memory holds. */
static void
mark_saved (AaServerStore *self)
{
  g_hash_table_remove_all (self->dirty_items);
  self->invoices_dirty = FALSE;
  self->members_dirty = FALSE;
  self->payments_saved = self->state->payments->len;
  self->saved_next_item_id = self->state->next_item_id;
  self->saved_next_payment_id = self->state->next_payment_id;
  g_ptr_array_set_size (self->changes, 0);
}

static gboolean
is_dirty (AaServerStore *self)
{
  return g_hash_table_size (self->dirty_items) > 0 ||
         self->invoices_dirty || self->members_dirty ||
         self->payments_saved != self->state->payments->len ||
         self->saved_next_item_id != self->state->next_item_id ||
         self->saved_next_payment_id != self->state->next_payment_id;
}

/* The next free numeric id; NULL once they run out (never wraps around). */
static char *
next_item_id (AaServerStore  *self,
              GError        **error)
{
  AaServerState *state = self->state;

  while (state->next_item_id <= AA_SERVER_MAX_ID) {
    g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, state->next_item_id++);

    if (!g_hash_table_contains (state->items_by_id, id) &&
        !g_hash_table_contains (state->purged, id))
      return g_steal_pointer (&id);
  }

  g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_STORAGE,
                       _("There are no note ids left in this data file. Start a new one."));
  return NULL;
}

static gboolean check_damaged (AaServerStore   *self,
                               const char      *id,
                               GError         **error);
static gboolean may_set_role (AaServerStore   *self,
                              AaServerMember  *target,
                              const char      *role,
                              GError         **error);

/* JSON answers. */

static JsonNode *
payment_to_json (const AaServerPayment *payment,
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

/* The default session: the first admin, or else the first member. */
static void
reset_session (AaServerStore *self)
{
  GPtrArray *members = self->state->members;

  for (guint i = 0; i < members->len; i++) {
    AaServerMember *member = g_ptr_array_index (members, i);

    if (g_strcmp0 (member->id, self->session_member_id) == 0)
      return;
  }

  g_clear_pointer (&self->session_member_id, g_free);
  for (guint i = 0; i < members->len; i++) {
    AaServerMember *member = g_ptr_array_index (members, i);

    if (g_str_equal (member->role, "admin")) {
      self->session_member_id = g_strdup (member->id);
      return;
    }
  }
  if (members->len > 0)
    self->session_member_id = g_strdup (((AaServerMember *) g_ptr_array_index (members, 0))->id);
}

/* Items. */

static AaServerItem *
lookup_item (AaServerStore  *self,
             const char     *id,
             gboolean        allow_trashed,
             GError        **error)
{
  AaServerItem *item = g_hash_table_lookup (self->state->items_by_id, id);

  if (item == NULL && !check_damaged (self, id, error))
    return NULL;
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

/* The lists come from the view: what is on disk, joined on the writer
 * thread (aa-server-view.c). Creation order, newest first: a restored item
 * is back at its place. */
GBytes *
aa_server_store_list_items (AaServerStore *self,
                            gboolean       trashed)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  return aa_server_view_list_items (self->view, trashed);
}

/* Keyset pagination: the page starts after an item (by its place in
 * creation order, which a change elsewhere never moves), so that notes
 * created, trashed or restored meanwhile neither repeat nor go missing. A
 * trashed item keeps its place, so a cursor stays valid when its note
 * moves to the trash; only a purge makes it unknown. */
GBytes *
aa_server_store_list_items_page (AaServerStore  *self,
                                 gboolean        trashed,
                                 const char     *after,
                                 guint           limit,
                                 GError        **error)
{
  GBytes *page;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  page = aa_server_view_list_items_page (self->view, trashed, after, limit);
  if (page == NULL)
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                 _("There is no note with the id “%s” to continue the list after. Read the list again from the start."),
                 after);

  return page;
}

static GHashTable *
damaged_table (AaServerStore *self,
               const char    *collection)
{
  if (g_str_equal (collection, "invoices"))
    return self->state->damaged_invoices;
  if (g_str_equal (collection, "members"))
    return self->state->damaged_members;
  return self->state->damaged;
}

char *
aa_server_store_dup_damaged (AaServerStore *self,
                             const char    *collection)
{
  g_autoptr(GList) ids = NULL;
  GHashTable *damaged;
  GString *names;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (collection != NULL, NULL);

  damaged = damaged_table (self, collection);
  if (g_hash_table_size (damaged) == 0)
    return NULL;

  ids = g_list_sort (g_hash_table_get_keys (damaged), (GCompareFunc) g_strcmp0);
  names = g_string_new (NULL);
  for (const GList *l = ids; l != NULL; l = l->next)
    g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", (const char *) l->data);

  return g_string_free (names, FALSE);
}

static gboolean
check_damaged (AaServerStore  *self,
               const char     *id,
               GError        **error)
{
  const char *column = g_hash_table_lookup (self->state->damaged, id);

  if (column == NULL)
    return TRUE;

  g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_DAMAGED,
               _("The stored note %s is damaged (its %s can’t be read) and can’t be served or changed."),
               id, column);
  return FALSE;
}

GBytes *
aa_server_store_get_item (AaServerStore  *self,
                          const char     *id,
                          gint64         *out_version,
                          GError        **error)
{
  GBytes *json;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!check_damaged (self, id, error))
    return NULL;

  /* Absent, trashed and purged all look the same to readers; so does a
   * note whose creation is not on disk yet. */
  json = aa_server_view_get_item (self->view, id, out_version);
  if (json == NULL)
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no note with this id."));

  return json;
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
  g_autofree char *id = NULL;
  AaServerItem *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!check_title (title, error))
    return NULL;
  if (notes != NULL && !g_utf8_validate (notes, -1, NULL)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         _("The notes contain characters that can’t be read."));
    return NULL;
  }

  id = next_item_id (self, error);
  if (id == NULL)
    return NULL;

  item = g_new0 (AaServerItem, 1);
  item->id = g_steal_pointer (&id);
  item->title = g_strdup (title);
  item->notes = g_strdup (notes != NULL ? notes : "");
  item->starred = starred;
  item->done = done;
  item->version = 1;
  item->updated_at = aa_server_now_rfc3339 ();
  aa_server_state_add_item (self->state, item);
  mark_item (self, item->id);

  if (out_version != NULL)
    *out_version = item->version;
  return aa_server_item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_update_item (AaServerStore             *self,
                             const char                *id,
                             const AaServerItemChange  *change,
                             gint64                     if_match,
                             gint64                    *out_version,
                             GError                   **error)
{
  AaServerItem *item;

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
                         _("The notes contain characters that can’t be read."));
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
  item->updated_at = aa_server_now_rfc3339 ();
  mark_item (self, item->id);

  if (out_version != NULL)
    *out_version = item->version;
  return aa_server_item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_trash_item (AaServerStore  *self,
                            const char     *id,
                            GError        **error)
{
  AaServerItem *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  item = lookup_item (self, id, TRUE, error);
  if (item == NULL)
    return NULL;

  if (!item->trashed) {
    item->trashed = TRUE;
    mark_item (self, item->id);
  }

  return aa_server_item_to_json (item, FALSE);
}

JsonNode *
aa_server_store_restore_item (AaServerStore  *self,
                              const char     *id,
                              GError        **error)
{
  AaServerItem *item;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  item = lookup_item (self, id, TRUE, error);
  if (item == NULL)
    return NULL;

  if (item->trashed) {
    item->trashed = FALSE;
    mark_item (self, item->id);
  }

  return aa_server_item_to_json (item, FALSE);
}

guint
aa_server_store_empty_trash (AaServerStore *self)
{
  GPtrArray *items;
  guint n_purged = 0;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), 0);

  items = self->state->items;
  for (guint i = 0; i < items->len;) {
    AaServerItem *item = g_ptr_array_index (items, i);

    if (item->trashed) {
      /* Remembered, so that a late restore gets 410 rather than 404. */
      g_hash_table_add (self->state->purged, g_strdup (item->id));
      mark_item (self, item->id);
      g_hash_table_remove (self->state->items_by_id, item->id);
      g_ptr_array_remove_index (items, i);
      n_purged++;
    } else {
      i++;
    }
  }

  return n_purged;
}

/* Invoices and payments. */

GBytes *
aa_server_store_list_invoices (AaServerStore *self)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  return aa_server_view_list_invoices (self->view);
}

JsonNode *
aa_server_store_pay_invoice (AaServerStore  *self,
                             const char     *invoice_id,
                             const char     *card_number,
                             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *digits = NULL;
  AaServerInvoice *invoice = NULL;
  AaServerPayment *payment;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!aa_validate_card_number (card_number, &digits, &local_error)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_INVALID_CARD,
                         local_error->message);
    return NULL;
  }

  for (guint i = 0; i < self->state->invoices->len; i++) {
    AaServerInvoice *candidate = g_ptr_array_index (self->state->invoices, i);

    if (g_strcmp0 (candidate->id, invoice_id) == 0)
      invoice = candidate;
  }
  if (invoice == NULL && invoice_id != NULL &&
      g_hash_table_contains (self->state->damaged_invoices, invoice_id)) {
    g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_DAMAGED,
                 _("The stored invoice %s is damaged (its %s can’t be read) and can’t be served or changed."),
                 invoice_id, (const char *) g_hash_table_lookup (self->state->damaged_invoices, invoice_id));
    return NULL;
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

  payment = g_new0 (AaServerPayment, 1);
  payment->id = g_strdup_printf ("pay_%" G_GUINT64_FORMAT, self->state->next_payment_id++);
  payment->invoice_id = g_strdup (invoice->id);
  payment->card_last4 = g_strdup (digits + 12);
  payment->created_at = aa_server_now_rfc3339 ();
  g_ptr_array_add (self->state->payments, payment);
  invoice->paid = TRUE;
  self->invoices_dirty = TRUE;
  note_change (self, "invoice", invoice->id);

  return payment_to_json (payment, FALSE);
}

/* Members. */

static AaServerMember *
lookup_member (AaServerStore *self,
               const char    *id)
{
  for (guint i = 0; i < self->state->members->len; i++) {
    AaServerMember *member = g_ptr_array_index (self->state->members, i);

    if (g_strcmp0 (member->id, id) == 0)
      return member;
  }

  return NULL;
}

GBytes *
aa_server_store_list_members (AaServerStore *self)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  return aa_server_view_list_members (self->view);
}

GBytes *
aa_server_store_get_me (AaServerStore *self)
{
  GBytes *me;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  me = aa_server_view_get_member (self->view, self->session_member_id);
  if (me != NULL)
    return me;

  /* Members are never created or deleted: the session's is on disk. */
  node = aa_server_member_to_json (lookup_member (self, self->session_member_id));
  return aa_server_json_to_bytes (node);
}

/* A member left out because its stored text is damaged. */
static gboolean
check_member_damaged (AaServerStore  *self,
                      const char     *id,
                      GError        **error)
{
  const char *column = id != NULL ? g_hash_table_lookup (self->state->damaged_members, id) : NULL;

  if (column == NULL)
    return TRUE;

  g_set_error (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_DAMAGED,
               _("The stored member %s is damaged (its %s can’t be read) and can’t be served or changed."),
               id, column);
  return FALSE;
}

JsonNode *
aa_server_store_set_role (AaServerStore  *self,
                          const char     *member_id,
                          const char     *role,
                          GError        **error)
{
  AaServerMember *target;
  guint n_owners = 0;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  if (!aa_server_is_role (role)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_VALIDATION,
                         _("Choose a role: owner, admin or member."));
    return NULL;
  }

  target = lookup_member (self, member_id);
  if (target == NULL && !check_member_damaged (self, member_id, error))
    return NULL;
  if (target == NULL) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no member with this id."));
    return NULL;
  }

  if (!may_set_role (self, target, role, error))
    return NULL;

  for (guint i = 0; i < self->state->members->len; i++) {
    AaServerMember *member = g_ptr_array_index (self->state->members, i);

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
    self->members_dirty = TRUE;
    note_change (self, "member", target->id);
  }

  return aa_server_member_to_json (target);
}

/* Whether the signed-in member may give @target the @role. */
static gboolean
may_set_role (AaServerStore   *self,
              AaServerMember  *target,
              const char      *role,
              GError         **error)
{
  AaServerMember *me = lookup_member (self, self->session_member_id);

  g_assert (me != NULL);

  if (g_str_equal (me->role, "member")) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                         _("Only owners and admins can change roles."));
    return FALSE;
  }
  if (g_str_equal (me->role, "admin")) {
    if (g_str_equal (target->role, "owner")) {
      g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                           _("Only owners can change an owner’s role."));
      return FALSE;
    }
    if (g_str_equal (role, "owner")) {
      g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_FORBIDDEN,
                           _("Only owners can make owners."));
      return FALSE;
    }
  }

  return TRUE;
}

gboolean
aa_server_store_may_set_role (AaServerStore  *self,
                              const char     *member_id,
                              const char     *role,
                              GError        **error)
{
  AaServerMember *target;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);

  target = lookup_member (self, member_id);
  if (target == NULL || !aa_server_is_role (role))
    return TRUE;

  return may_set_role (self, target, role, error);
}

const char *
aa_server_store_get_session (AaServerStore *self)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  return self->session_member_id;
}

JsonNode *
aa_server_store_set_session (AaServerStore  *self,
                             const char     *member_id,
                             GError        **error)
{
  AaServerMember *member;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  member = lookup_member (self, member_id);
  if (member == NULL && !check_member_damaged (self, member_id, error))
    return NULL;
  if (member == NULL) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_NOT_FOUND,
                         _("There is no member with this id."));
    return NULL;
  }

  g_free (self->session_member_id);
  self->session_member_id = g_strdup (member->id);

  return aa_server_member_to_json (member);
}


/* Idempotency and persistence. */

AaServerKeyState
aa_server_store_lookup_key (AaServerStore    *self,
                            const char       *principal,
                            const char       *key,
                            const char       *fingerprint,
                            AaServerRecord  **out_record,
                            GError          **error)
{
  g_autoptr(AaServerRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = now_seconds ();

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), AA_SERVER_KEY_NEW);
  g_return_val_if_fail (principal != NULL && key != NULL && fingerprint != NULL, AA_SERVER_KEY_NEW);

  record = aa_server_db_lookup_record (self->db, principal, key, now, &local_error);
  /* Records imported from the JSON format have no principal. */
  if (record == NULL && local_error == NULL)
    record = aa_server_db_lookup_record (self->db, "", key, now, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return AA_SERVER_KEY_ERROR;
  }

  if (record == NULL)
    return AA_SERVER_KEY_NEW;
  if (!g_str_equal (record->fingerprint, fingerprint))
    return AA_SERVER_KEY_MISMATCH;

  if (out_record != NULL)
    *out_record = g_steal_pointer (&record);
  return AA_SERVER_KEY_MATCH;
}

/* The event data for one changed record: its id, its state (null once it
 * is gone for good), for an item the one listed before it ("after", null at
 * the top: the lists are newest first), and the request's key ("origin"). */
static char *
event_data (AaServerStore *self,
            const char    *type,
            const char    *id,
            const char    *origin)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *state = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);

  if (g_str_equal (type, "item")) {
    AaServerItem *item = g_hash_table_lookup (self->state->items_by_id, id);
    const char *after = NULL;
    guint index;

    if (item != NULL && g_ptr_array_find (self->state->items, item, &index) &&
        index + 1 < self->state->items->len)
      after = ((AaServerItem *) g_ptr_array_index (self->state->items, index + 1))->id;
    if (item != NULL)
      state = aa_server_item_to_json (item, TRUE);
    json_builder_set_member_name (builder, "after");
    if (after != NULL)
      json_builder_add_string_value (builder, after);
    else
      json_builder_add_null_value (builder);
  } else if (g_str_equal (type, "invoice")) {
    for (guint i = 0; i < self->state->invoices->len && state == NULL; i++) {
      AaServerInvoice *invoice = g_ptr_array_index (self->state->invoices, i);

      if (g_str_equal (invoice->id, id))
        state = aa_server_invoice_to_json (invoice);
    }
  } else {
    AaServerMember *member = lookup_member (self, id);

    if (member != NULL)
      state = aa_server_member_to_json (member);
  }

  json_builder_set_member_name (builder, "state");
  if (state != NULL)
    json_builder_add_value (builder, state);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "origin");
  if (origin != NULL)
    json_builder_add_string_value (builder, origin);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* One event per changed record, written with the change; the log keeps the
 * latest events_kept. */
static void
collect_events (AaServerStore *self,
                const char    *origin,
                AaServerWrite *write)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->changes->len; i++) {
    const char *change = g_ptr_array_index (self->changes, i);
    g_auto(GStrv) parts = NULL;
    AaServerEvent *event;

    if (!g_hash_table_add (seen, (gpointer) change))
      continue;

    parts = g_strsplit (change, "\t", 2);
    event = g_new0 (AaServerEvent, 1);
    event->id = ++self->next_event_id;
    event->type = g_strdup (parts[0]);
    event->data = event_data (self, parts[0], parts[1], origin);
    g_ptr_array_add (write->events, event);
  }

  if (write->events->len > 0 && self->next_event_id > self->events_kept)
    write->prune_events = self->next_event_id - self->events_kept;
}

/* Copies of everything changed since the last commit, for the writer. */
static void
collect_changes (AaServerStore *self,
                 AaServerWrite *write)
{
  AaServerState *state = self->state;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->dirty_items);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    AaServerItem *item = g_hash_table_lookup (state->items_by_id, key);

    if (item != NULL)
      g_ptr_array_add (write->items, aa_server_item_copy (item));
    else
      g_ptr_array_add (write->purged, g_strdup (key));
  }
  for (guint i = 0; self->invoices_dirty && i < state->invoices->len; i++)
    g_ptr_array_add (write->invoices, aa_server_invoice_copy (g_ptr_array_index (state->invoices, i)));
  for (guint i = self->payments_saved; i < state->payments->len; i++)
    g_ptr_array_add (write->payments, aa_server_payment_copy (g_ptr_array_index (state->payments, i)));
  for (guint i = 0; self->members_dirty && i < state->members->len; i++)
    g_ptr_array_add (write->members, aa_server_member_copy (g_ptr_array_index (state->members, i)));
  write->counters = self->saved_next_item_id != state->next_item_id ||
                    self->saved_next_payment_id != state->next_payment_id;
  write->next_item_id = state->next_item_id;
  write->next_payment_id = state->next_payment_id;
}

/* Back to what the database holds, the last acknowledged state. The writer
 * refuses what was made on top of the failed change (its epoch) and writes
 * nothing else until the next epoch, so the reading connection sees just
 * that. */
static void
reload (AaServerStore *self)
{
  g_autoptr(GError) error = NULL;
  AaServerState *state = aa_server_db_load (self->db, &error);

  self->epoch++;
  self->next_event_id = self->last_event_id;
  mark_saved (self);
  /* The database was readable a moment ago; failing now leaves the memory
   * as it is. */
  if (state == NULL) {
    g_warning ("Couldn’t read back “%s”: %s", self->path, error->message);
    return;
  }

  aa_server_state_free (self->state);
  self->state = state;
  reset_session (self);
}

typedef struct {
  AaServerStore      *self;
  AaServerCommitDone  done;
  gpointer            user_data;
} Commit;

static void
written_cb (AaServerWrite *write,
            gpointer       data)
{
  Commit *commit = data;
  AaServerStore *self = commit->self;

  if (write->error == NULL && write->events->len > 0) {
    self->last_event_id = ((AaServerEvent *) g_ptr_array_index (write->events, write->events->len - 1))->id;
    self->first_event_id = MAX (self->first_event_id, 1);
    if (self->last_event_id > self->events_kept)
      self->first_event_id = MAX (self->first_event_id, self->last_event_id - self->events_kept + 1);
    g_ptr_array_extend_and_steal (self->committed, g_steal_pointer (&write->events));
  } else if (write->error != NULL && write->epoch == self->epoch) {
    reload (self);
  }

  if (commit->done != NULL)
    commit->done (self, write->error, commit->user_data);
  g_object_unref (self);
  g_free (commit);
}

void
aa_server_store_commit_async (AaServerStore       *self,
                              const char          *principal,
                              const char          *key,
                              const char          *fingerprint,
                              guint                status,
                              const char          *body,
                              const char          *etag,
                              AaServerCommitDone   done,
                              gpointer             user_data)
{
  g_autoptr(AaServerWrite) write = NULL;
  gint64 now = now_seconds ();
  Commit *commit;

  g_return_if_fail (AA_IS_SERVER_STORE (self));
  g_return_if_fail (key == NULL || (fingerprint != NULL && principal != NULL));

  if (key == NULL && !is_dirty (self)) {
    if (done != NULL)
      done (self, NULL, user_data);
    return;
  }

  /* One transaction: the change and the answer to replay for it are on disk
   * together, or neither is. */
  write = aa_server_write_new ();
  write->epoch = self->epoch;
  collect_changes (self, write);
  if (status < 300)
    collect_events (self, key, write);
  if (key != NULL) {
    write->record = g_new0 (AaServerRecord, 1);
    write->record->principal = g_strdup (principal);
    write->record->key = g_strdup (key);
    write->record->fingerprint = g_strdup (fingerprint);
    write->record->body = g_strdup (body != NULL ? body : "");
    write->record->etag = g_strdup (etag);
    write->record->status = status;
    write->record->created_at = now;
  }
  if (now - self->pruned_at >= PRUNE_INTERVAL_SECONDS) {
    write->prune_records = now;
    self->pruned_at = now;
  }
  /* In the writer's hands now: the next commit starts from here. */
  mark_saved (self);

  commit = g_new0 (Commit, 1);
  commit->self = g_object_ref (self);
  commit->done = done;
  commit->user_data = user_data;
  write->done = written_cb;
  write->user_data = commit;
  aa_server_writer_push (self->writer, g_steal_pointer (&write));
}

static void
commit_done_cb (AaServerStore *self,
                const GError  *error,
                gpointer       user_data)
{
  GError **out_error = user_data;

  if (error != NULL)
    *out_error = g_error_copy (error);
}

gboolean
aa_server_store_commit (AaServerStore  *self,
                        const char     *principal,
                        const char     *key,
                        const char     *fingerprint,
                        guint           status,
                        const char     *body,
                        const char     *etag,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);

  aa_server_store_commit_async (self, principal, key, fingerprint, status, body, etag,
                                commit_done_cb, &local_error);
  aa_server_writer_flush (self->writer);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  return TRUE;
}

gboolean
aa_server_store_is_durable (AaServerStore *self)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);

  return self->db != NULL && aa_server_db_is_durable (self->db);
}

gboolean
aa_server_store_flush (AaServerStore  *self,
                       GError        **error)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), FALSE);

  return aa_server_store_commit (self, NULL, NULL, NULL, 0, NULL, NULL, error);
}

static void
aa_server_store_finalize (GObject *object)
{
  AaServerStore *self = (AaServerStore *) object;

  g_free (self->path);
  g_free (self->session_member_id);
  g_clear_pointer (&self->writer, aa_server_writer_free);
  g_clear_pointer (&self->view, aa_server_view_free);
  g_clear_pointer (&self->db, aa_server_db_close);
  aa_server_state_free (self->state);
  g_hash_table_unref (self->dirty_items);
  g_ptr_array_unref (self->changes);
  g_ptr_array_unref (self->committed);

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
  self->dirty_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->changes = g_ptr_array_new_with_free_func (g_free);
  self->committed = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_event_free);
  self->events_kept = DEFAULT_EVENTS_KEPT;
}

AaServerStore *
aa_server_store_new (const char  *path,
                     guint        n_generated,
                     GError     **error)
{
  g_autoptr(AaServerStore) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (AA_TYPE_SERVER_STORE, NULL);
  self->path = aa_server_data_file_prepare (path, n_generated, error);
  if (self->path == NULL)
    return NULL;

  self->db = aa_server_db_open (self->path, &local_error);
  if (self->db != NULL)
    self->state = aa_server_db_load (self->db, &local_error);
  if (self->state != NULL &&
      !aa_server_db_event_bounds (self->db, &self->first_event_id, &self->last_event_id, &local_error))
    g_clear_pointer (&self->state, aa_server_state_free);
  if (self->state == NULL) {
    if (g_error_matches (local_error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_CORRUPT))
      aa_server_data_file_damaged (error, path, local_error->message);
    else
      g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  self->next_event_id = self->last_event_id;

  /* Writes go to their own thread and connection; this one reads. */
  self->view = aa_server_view_new (self->state);
  self->writer = aa_server_writer_new (self->path, self->view, g_main_context_get_thread_default () != NULL
                                                   ? g_main_context_get_thread_default ()
                                                   : g_main_context_default (), error);
  if (self->writer == NULL)
    return NULL;

  mark_saved (self);
  reset_session (self);
  return g_steal_pointer (&self);
}

/* The change log. */

GPtrArray *
aa_server_store_take_events (AaServerStore *self)
{
  GPtrArray *events;

  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  events = self->committed;
  self->committed = g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_event_free);
  return events;
}

gint64
aa_server_store_get_last_event_id (AaServerStore *self)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), 0);

  return self->last_event_id;
}

GPtrArray *
aa_server_store_events_since (AaServerStore  *self,
                              gint64          after,
                              guint           limit,
                              GError        **error)
{
  g_return_val_if_fail (AA_IS_SERVER_STORE (self), NULL);

  /* Missed events we no longer keep, or ids from another database: the
   * client has to start over from a fresh list. */
  if (after > self->last_event_id ||
      (after < self->last_event_id && after + 1 < self->first_event_id)) {
    g_set_error_literal (error, AA_SERVER_STORE_ERROR, AA_SERVER_STORE_ERROR_GONE,
                         "the events after this one are no longer kept");
    return NULL;
  }
  if (after == self->last_event_id)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) aa_server_event_free);

  return aa_server_db_events_since (self->db, after, limit, error);
}

void
aa_server_store_set_events_kept (AaServerStore *self,
                                 guint          events_kept)
{
  g_return_if_fail (AA_IS_SERVER_STORE (self));
  g_return_if_fail (events_kept > 0);

  self->events_kept = events_kept;
}
