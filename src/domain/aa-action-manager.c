/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-action-manager"

#include "config.h"

#include "aa-action-manager-private.h"
#include "aa-describe.h"
#include "aa-mutation-private.h"
#include "aa-note-drafts.h"
#include "aa-rules-private.h"
#include "aa-validate.h"

/*
 * AaActionManager is this app's domain on top of the engine, and the one
 * object the UI holds. Here, each intention (star a note, pay an invoice)
 * becomes an AaMutation of one of the operations declared in aa-rules.c,
 * which the AaEngine runs: queues, coalescing, rollback, retry and undo
 * all happen there (src/engine/aa-engine.c).
 *
 * The other jobs are objects it owns, one a file:
 *   AaNoteLists   the notes store, shown as the notes and the trash
 *   AaRefresher   reading the lists (the engine's refresh), /me
 *   AaLiveSync    the server's event stream, and catching up without it
 *   AaNoteDrafts  the journal: typed text, and what a restart restores
 *   aa-describe   the confirmation texts (functions)
 */

struct _AaActionManager
{
  GObject          parent_instance;

  AaRestClient    *client;
  AaEngine        *engine;

  AaNoteLists     *notes;
  AaResourceStore *invoices;
  AaResourceStore *members;
  AaRefresher     *refresher;
  AaLiveSync      *live;
  AaNoteDrafts    *drafts;

  gboolean         trash_busy;
};

G_DEFINE_FINAL_TYPE (AaActionManager, aa_action_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TRASH_BUSY,
  N_PROPS
};

enum {
  SIGNAL_DISCARDED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* Set on a save whose text the user discarded: nothing sends it again. */
static GQuark discarded_quark;

guint
_aa_action_manager_purge_trash (AaActionManager *self)
{
  g_assert (AA_IS_ACTION_MANAGER (self));

  return aa_note_lists_purge_trash (self->notes);
}

/* The intentions */

/* One of this app's operations, by its entry's name in aa-rules.c. */
static AaOperation *
operation (AaActionManager *self,
           const char      *name)
{
  return aa_engine_lookup_operation (self->engine, name);
}

static AaMutation *
new_mutation (AaActionManager *self,
              const char      *name,
              gpointer         target,
              const char      *subject,
              JsonObject      *patch)
{
  g_autofree char *named = subject != NULL ? aa_subject_for_messages (subject) : NULL;

  return aa_mutation_new (operation (self, name), target, named, patch);
}

static AaMutation *
run (AaActionManager *self,
     AaMutation      *mutation)
{
  return aa_engine_run (self->engine, mutation);
}

AaMutation *
aa_action_manager_create_note (AaActionManager *self,
                               const char      *title,
                               const char      *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(AaMutation) mutation = NULL;
  AaResource *item;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : "");

  if (!aa_validate_title (title, &error)) {
    mutation = new_mutation (self, "create-note", NULL, title, patch);
    return aa_engine_refuse (self->engine, mutation, error);
  }

  /* The note exists here at once, under a temporary id, at the top. */
  state = aa_json_object_copy (patch);
  json_object_set_boolean_member (state, "starred", FALSE);
  json_object_set_boolean_member (state, "done", FALSE);
  json_object_set_int_member (state, "version", -1);
  json_object_set_null_member (state, "updated_at");
  json_object_set_boolean_member (state, "trashed", FALSE);
  item = aa_resource_store_add_local (aa_note_lists_get_store (self->notes), 0, state);

  mutation = new_mutation (self, "create-note", item, title, patch);
  return run (self, mutation);
}

static AaMutation *
set_flag (AaActionManager *self,
          const char      *name,
          AaItem          *item,
          const char      *field,
          gboolean         value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  json_object_set_boolean_member (patch, field, value);
  mutation = new_mutation (self, name, item, aa_item_get_title (item), patch);

  return run (self, mutation);
}

AaMutation *
aa_action_manager_run_action (AaActionManager *self,
                              const char      *name,
                              AaResource      *target,
                              const char      *subject,
                              JsonObject      *patch)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (operation (self, name) != NULL, NULL);
  g_return_val_if_fail (target == NULL || AA_IS_RESOURCE (target), NULL);

  mutation = new_mutation (self, name, target, subject, patch);
  return run (self, mutation);
}

AaMutation *
aa_action_manager_set_starred (AaActionManager *self,
                               AaItem          *item,
                               gboolean         starred)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  return set_flag (self, "star-note", item, "starred", !!starred);
}

AaMutation *
aa_action_manager_set_done (AaActionManager *self,
                            AaItem          *item,
                            gboolean         done)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  return set_flag (self, "done-note", item, "done", !!done);
}

AaMutation *
aa_action_manager_save_note (AaActionManager *self,
                             AaItem          *item,
                             const char      *title,
                             const char      *notes)
{
  return aa_action_manager_save_note_based_on (self, item, title, notes, -1);
}

AaMutation *
aa_action_manager_save_note_based_on (AaActionManager *self,
                                      AaItem          *item,
                                      const char      *title,
                                      const char      *notes,
                                      gint64           base_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  json_object_set_string_member (patch, "title", title ? title : "");
  json_object_set_string_member (patch, "notes", notes ? notes : aa_item_get_notes (item));
  mutation = new_mutation (self, "save-note", item, aa_item_get_title (item), patch);
  if (base_version >= 0)
    aa_mutation_set_base_version (mutation, base_version);

  if (!aa_validate_title (title, &error))
    return aa_engine_refuse (self->engine, mutation, error);

  return run (self, mutation);
}

AaMutation *
aa_action_manager_delete_note (AaActionManager *self,
                               AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_mutation (self, "delete-note", item, aa_item_get_title (item), NULL);
  return run (self, mutation);
}

AaMutation *
aa_action_manager_restore_note (AaActionManager *self,
                                AaItem          *item)
{
  g_autoptr(AaMutation) mutation = NULL;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  mutation = new_mutation (self, "restore-note", item, aa_item_get_title (item), NULL);
  return run (self, mutation);
}

/* Emptying twice at once is one intention, so the one empty trash
 * mutation that is pending, if any, says whether the trash is busy. */
static void
trash_busy_cb (AaMutation      *mutation,
               GParamSpec      *pspec,
               AaActionManager *self)
{
  gboolean busy = aa_mutation_is_pending (mutation);

  if (self->trash_busy != busy) {
    self->trash_busy = busy;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRASH_BUSY]);
  }
}

AaMutation *
aa_action_manager_empty_trash (AaActionManager *self)
{
  g_autoptr(AaMutation) mutation = NULL;
  AaMutation *pending;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);

  /* Emptying twice at once is still one intention. */
  pending = aa_engine_find_pending (self->engine, NULL, operation (self, "empty-trash"));
  if (pending != NULL)
    return pending;

  mutation = new_mutation (self, "empty-trash", NULL, NULL, NULL);
  /* The trash is busy while it waits for the server, retries included. */
  g_signal_connect_object (mutation, "notify::pending", G_CALLBACK (trash_busy_cb), self, 0);
  run (self, mutation);
  trash_busy_cb (mutation, NULL, self);

  return mutation;
}

AaMutation *
aa_action_manager_pay_invoice (AaActionManager *self,
                               AaInvoice       *invoice,
                               const char      *card_number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *amount = NULL;
  AaMutation *pending;
  gboolean valid;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  /* A double click is one intention: one key, one charge. */
  pending = aa_engine_find_pending (self->engine, AA_RESOURCE (invoice), operation (self, "pay-invoice"));
  if (pending != NULL)
    return pending;

  valid = aa_validate_card_number (card_number, &digits, &error);
  json_object_set_string_member (patch, "invoice_id", aa_resource_get_id (AA_RESOURCE (invoice)));
  json_object_set_string_member (patch, "card_number", digits ? digits : "");
  amount = aa_invoice_format_amount (invoice);
  mutation = new_mutation (self, "pay-invoice", invoice, aa_invoice_get_description (invoice), patch);
  aa_app_mutation_set_detail (mutation, amount);

  if (!valid)
    return aa_engine_refuse (self->engine, mutation, error);

  return run (self, mutation);
}

AaMutation *
aa_action_manager_change_role (AaActionManager *self,
                               AaMember        *member,
                               AaRole           role)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(AaMutation) mutation = NULL;
  AaMember *me;
  AaMutation *pending;
  AaRole current;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  g_return_val_if_fail (AA_IS_MEMBER (member), NULL);

  current = aa_member_get_role (member);
  me = aa_refresher_get_me (self->refresher);

  /* Choosing the role the member has (or is about to have) is no change:
   * the pending one is the answer, or nothing at all. A control that is
   * set back to the confirmed value after a failure must not start one. */
  pending = aa_engine_find_pending (self->engine, AA_RESOURCE (member), operation (self, "change-role"));
  if (pending != NULL)
    aa_app_mutation_get_roles (pending, NULL, NULL, &current);
  if (current == role)
    return pending;

  /* A change the rules forbid is still sent: the server decides, and
   * its 403 is explained with the roles involved. The UI disables such
   * controls beforehand with aa_role_can_change(). */
  json_object_set_string_member (patch, "role", aa_role_to_string (role));
  mutation = new_mutation (self, "change-role", member, aa_member_get_name (member), patch);
  aa_app_mutation_set_roles (mutation, me != NULL,
                             me ? aa_member_get_role (me) : AA_ROLE_MEMBER,
                             aa_member_get_role (member));

  return run (self, mutation);
}

/* Retry, dismiss, undo: the engine's */

gboolean
aa_action_manager_can_retry (AaActionManager *self,
                             AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  return g_object_get_qdata (G_OBJECT (mutation), discarded_quark) == NULL;
}

gboolean
aa_action_manager_retry (AaActionManager *self,
                         AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);

  /* Text the user threw away is not brought back by a Retry offered
   * before they did (a toast, the Activity page, the quit dialog). */
  if (!aa_action_manager_can_retry (self, mutation))
    return FALSE;

  return aa_engine_retry (self->engine, mutation);
}

/* The saves of what the user typed in @item: not the undo of one, which
 * sets back values the note had. */
static gboolean
is_typed_save (AaActionManager *self,
               AaMutation      *mutation,
               AaItem          *item)
{
  return aa_mutation_get_operation (mutation) == operation (self, "save-note") &&
         aa_mutation_get_target (mutation) == AA_RESOURCE (item) &&
         aa_mutation_get_undo_of (mutation) == NULL;
}

gboolean
aa_action_manager_discard_typed_text (AaActionManager *self,
                                      AaItem          *item)
{
  GListModel *mutations;
  g_autoptr(GPtrArray) saves = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) discarded = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean all = TRUE;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_ITEM (item), FALSE);

  /* Gathered first: cancelling one may log its undo. */
  mutations = aa_engine_get_mutations (self->engine);
  for (guint i = 0; i < g_list_model_get_n_items (mutations); i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i);

    if (is_typed_save (self, mutation, item))
      g_ptr_array_add (saves, g_steal_pointer (&mutation));
  }

  for (guint i = 0; i < saves->len; i++) {
    AaMutation *mutation = g_ptr_array_index (saves, i);
    AaMutationState state = aa_mutation_get_state (mutation);

    if (state == AA_MUTATION_STATE_QUEUED) {
      /* Never sent: cancelled, nothing leaves. */
      aa_engine_undo (self->engine, mutation);
    } else if (aa_mutation_is_pending (mutation)) {
      /* On its way: it can't be called back. */
      all = FALSE;
    } else if ((state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK) &&
               g_object_get_qdata (G_OBJECT (mutation), discarded_quark) == NULL) {
      g_object_set_qdata (G_OBJECT (mutation), discarded_quark, GINT_TO_POINTER (TRUE));
      aa_engine_dismiss (self->engine, mutation);
      g_ptr_array_add (discarded, g_object_ref (mutation));
    }
  }

  /* Told once the walk is over: a handler may change the log. */
  for (guint i = 0; i < discarded->len; i++)
    g_signal_emit (self, signals[SIGNAL_DISCARDED], 0, g_ptr_array_index (discarded, i));

  return all;
}

void
aa_action_manager_dismiss (AaActionManager *self,
                           AaMutation      *mutation)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_engine_dismiss (self->engine, mutation);
}

gboolean
aa_action_manager_can_undo (AaActionManager *self,
                            AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_engine_can_undo (self->engine, mutation);
}

AaMutation *
aa_action_manager_undo (AaActionManager *self,
                        AaMutation      *mutation)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_undo (self->engine, mutation);
}

/* Whether Retry is worth offering for @mutation: it failed after it was
 * sent, nothing made it moot since (a later change that set the same
 * values, or the user letting it go), and the rules offer a retry. */
gboolean
aa_action_manager_offers_retry (AaActionManager *self,
                                AaMutation      *mutation)
{
  AaMutationState state;
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  g_return_val_if_fail (AA_IS_MUTATION (mutation), FALSE);

  state = aa_mutation_get_state (mutation);
  if (state != AA_MUTATION_STATE_FAILED && state != AA_MUTATION_STATE_ROLLED_BACK)
    return FALSE;
  if (aa_mutation_get_dismissed (mutation) || aa_mutation_get_attempts (mutation) == 0 ||
      !aa_action_manager_can_retry (self, mutation))
    return FALSE;

  aa_feedback_choose_tier (mutation, &action);
  return action == AA_FEEDBACK_ACTION_RETRY;
}

GPtrArray *
aa_action_manager_list_unsettled (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_list_unsettled (self->engine);
}


/* The other jobs, each its own object's */

gboolean
aa_action_manager_open_journal (AaActionManager  *self,
                                const char       *server_id,
                                const char       *account,
                                GError          **error)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);

  /* What the journal names is looked up by the operations' names, which
   * aa_rules_add_operations() registered. */
  return aa_note_drafts_open_journal (self->drafts, server_id, account, error);
}

AaJournal *
aa_action_manager_get_journal (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_engine_get_journal (self->engine);
}

guint
aa_action_manager_get_n_kept (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), 0);

  return aa_note_drafts_get_n_kept (self->drafts);
}

void
aa_action_manager_keep_draft (AaActionManager *self,
                              AaItem          *item,
                              const char      *title,
                              const char      *notes,
                              gint64           based_on)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_note_drafts_keep (self->drafts, item, title, notes, based_on);
}

void
aa_action_manager_forget_draft (AaActionManager *self,
                                AaItem          *item)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_note_drafts_forget (self->drafts, item);
}

gboolean
aa_action_manager_lookup_draft (AaActionManager  *self,
                                AaItem           *item,
                                char            **title,
                                char            **notes,
                                gint64           *based_on)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_note_drafts_lookup (self->drafts, item, title, notes, based_on);
}

gboolean
aa_action_manager_has_draft (AaActionManager *self,
                             AaItem          *item)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_note_drafts_has_draft (self->drafts, item);
}

GPtrArray *
aa_action_manager_list_kept_drafts (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_note_drafts_list_kept (self->drafts);
}

void
aa_action_manager_flush_drafts (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_note_drafts_flush (self->drafts);
}

void
aa_action_manager_start_live (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_live_sync_start (self->live);
}

void
aa_action_manager_stop_live (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_live_sync_stop (self->live);
}

AaEventStream *
aa_action_manager_get_event_stream (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_live_sync_get_event_stream (self->live);
}

AaConnectionState
aa_action_manager_get_connection_state (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), AA_CONNECTION_STATE_OFFLINE);
  return aa_live_sync_get_connection_state (self->live);
}

void
aa_action_manager_catch_up (AaActionManager *self)
{
  g_return_if_fail (AA_IS_ACTION_MANAGER (self));
  aa_live_sync_catch_up (self->live);
}

AaConfirmation *
aa_action_manager_describe_delete (AaActionManager *self,
                                   AaItem          *item)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_describe_delete (self->engine, operation (self, "delete-note"), item);
}

AaConfirmation *
aa_action_manager_describe_empty_trash (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_describe_empty_trash (self->engine, operation (self, "empty-trash"),
                                  g_list_model_get_n_items (aa_note_lists_get_trash (self->notes)));
}

AaConfirmation *
aa_action_manager_describe_payment (AaActionManager *self,
                                    AaInvoice       *invoice,
                                    const char      *card_number)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_describe_payment (self->engine, operation (self, "pay-invoice"), invoice, card_number);
}

/* GObject */

static void
aa_action_manager_constructed (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);
  AaResourceStore *notes;

  G_OBJECT_CLASS (aa_action_manager_parent_class)->constructed (object);

  self->engine = aa_engine_new (self->client);
  /* The cheapest read any member may make. */
  aa_connectivity_set_probe_path (aa_engine_get_connectivity (self->engine), "/items?limit=1");
  self->notes = aa_note_lists_new (self->engine);
  self->invoices = aa_resource_store_new (self->engine, AA_TYPE_INVOICE);
  self->members = aa_resource_store_new (self->engine, AA_TYPE_MEMBER);
  notes = aa_note_lists_get_store (self->notes);
  self->refresher = aa_refresher_new (self->client, self->notes, self->invoices, self->members);
  self->live = aa_live_sync_new (self->refresher, notes, self->invoices, self->members);
  self->drafts = aa_note_drafts_new (self->refresher, notes);
  aa_rules_add_operations (self->engine, notes, self->invoices, self->members, self);
}

static void
aa_action_manager_dispose (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  /* The stream stops; typed text waiting for the debounce is kept. */
  if (self->live != NULL)
    g_object_run_dispose (G_OBJECT (self->live));
  if (self->drafts != NULL)
    aa_note_drafts_flush (self->drafts);

  G_OBJECT_CLASS (aa_action_manager_parent_class)->dispose (object);
}

static void
aa_action_manager_finalize (GObject *object)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  g_clear_object (&self->drafts);
  g_clear_object (&self->live);
  g_clear_object (&self->refresher);
  g_clear_object (&self->notes);
  g_clear_object (&self->invoices);
  g_clear_object (&self->members);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (aa_action_manager_parent_class)->finalize (object);
}

static void
aa_action_manager_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_TRASH_BUSY:
    g_value_set_boolean (value, self->trash_busy);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_action_manager_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AaActionManager *self = AA_ACTION_MANAGER (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_action_manager_class_init (AaActionManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = aa_action_manager_constructed;
  object_class->dispose = aa_action_manager_dispose;
  object_class->finalize = aa_action_manager_finalize;
  object_class->get_property = aa_action_manager_get_property;
  object_class->set_property = aa_action_manager_set_property;

  props[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, AA_TYPE_REST_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_TRASH_BUSY] =
    g_param_spec_boolean ("trash-busy", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_DISCARDED] =
    g_signal_new ("discarded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AA_TYPE_MUTATION);

  discarded_quark = g_quark_from_static_string ("aa-action-manager-discarded");
}

static void
aa_action_manager_init (AaActionManager *self)
{
}

AaActionManager *
aa_action_manager_new (AaRestClient *client)
{
  g_return_val_if_fail (AA_IS_REST_CLIENT (client), NULL);

  return g_object_new (AA_TYPE_ACTION_MANAGER, "client", client, NULL);
}

AaRestClient *
aa_action_manager_get_client (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->client;
}

AaEngine *
aa_action_manager_get_engine (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->engine;
}

AaNoteLists *
aa_action_manager_get_note_lists (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->notes;
}

AaRefresher *
aa_action_manager_get_refresher (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->refresher;
}

AaLiveSync *
aa_action_manager_get_live_sync (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return self->live;
}

const char *
aa_action_manager_get_server_url (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_rest_client_get_base_url (self->client);
}

GListModel *
aa_action_manager_get_items (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_note_lists_get_items (self->notes);
}

gboolean
aa_action_manager_get_items_complete (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return aa_note_lists_get_complete (self->notes);
}

GListModel *
aa_action_manager_get_trash (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_note_lists_get_trash (self->notes);
}

GListModel *
aa_action_manager_get_invoices (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->invoices);
}

GListModel *
aa_action_manager_get_members (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return G_LIST_MODEL (self->members);
}

AaMember *
aa_action_manager_get_me (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_refresher_get_me (self->refresher);
}

gboolean
aa_action_manager_get_trash_busy (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), FALSE);
  return self->trash_busy;
}

AaResourceStore *
aa_action_manager_get_notes (AaActionManager *self)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (self), NULL);
  return aa_note_lists_get_store (self->notes);
}
