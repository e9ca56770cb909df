/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "async-actions.h"

#include "aa-invoice.h"
#include "aa-item.h"
#include "aa-live-sync.h"
#include "aa-member.h"
#include "aa-note-lists.h"
#include "aa-refresher.h"

G_BEGIN_DECLS

#define AA_TYPE_ACTION_MANAGER (aa_action_manager_get_type ())

G_DECLARE_FINAL_TYPE (AaActionManager, aa_action_manager, AA, ACTION_MANAGER, GObject)

/*
 * This app's domain on top of the engine (src/engine): its models (notes,
 * trash, invoices, members) and its intentions, each one a mutation of an
 * operation declared in aa-rules.c, run by an AaEngine.
 *
 * What the engine says, it says itself: its "feedback" signal, its
 * "n-pending", "n-failed", "undoable" properties and its log of mutations
 * (aa_engine_get_mutations()) are the engine's, through
 * aa_action_manager_get_engine().
 *
 * Properties (read-only, notify):
 *   "client"     AaRestClient, construct-only
 *   "trash-busy" gboolean, TRUE while emptying the trash waits for the server
 *
 * A state that one of its parts keeps is that part's property, followed
 * there: AaNoteLists:complete, AaRefresher:me, AaLiveSync:connection-state.
 *
 * Signals:
 *   "discarded" (AaMutation *mutation): a failed save whose text the user
 *   discarded (aa_action_manager_discard_typed_text()): a Retry offered
 *   for it must go, as aa_action_manager_retry() now refuses it.
 */

AaActionManager *aa_action_manager_new             (AaRestClient    *client);
AaRestClient    *aa_action_manager_get_client      (AaActionManager *self);
AaEngine        *aa_action_manager_get_engine      (AaActionManager *self);
/* Its parts, one a job (see aa-action-manager.c). */
AaNoteLists     *aa_action_manager_get_note_lists  (AaActionManager *self);
AaRefresher     *aa_action_manager_get_refresher   (AaActionManager *self);
AaLiveSync      *aa_action_manager_get_live_sync   (AaActionManager *self);
/* The base URL of the server the client talks to, for messages. */
const char      *aa_action_manager_get_server_url  (AaActionManager *self);

/* Models the UI binds to. They change only on the main context the manager
 * was created on. */
GListModel      *aa_action_manager_get_items       (AaActionManager *self); /* AaItem, newest first */
gboolean         aa_action_manager_get_items_complete (AaActionManager *self);
GListModel      *aa_action_manager_get_trash       (AaActionManager *self); /* AaItem */
GListModel      *aa_action_manager_get_invoices    (AaActionManager *self); /* AaInvoice */
GListModel      *aa_action_manager_get_members     (AaActionManager *self); /* AaMember */
/* The signed-in member, or NULL before the members were loaded. */
AaMember        *aa_action_manager_get_me          (AaActionManager *self);
gboolean         aa_action_manager_get_trash_busy  (AaActionManager *self);
/* Every note, visible or trashed: the engine's store, where
 * aa_resource_store_lookup() finds one by its id (local or server). */
AaResourceStore *aa_action_manager_get_notes       (AaActionManager *self);

/* Reading the lists again (aa_refresher_refresh_async()) and reloading
 * one note after a conflict (aa_refresher_reload_item_async()) are
 * AaRefresher's: aa_action_manager_get_refresher(). */
/* Live updates: the server's changes (GET /events) applied to the models
 * as they happen, pending changes kept on top (see AaEventStream and
 * aa_resource_store_apply_remote()). The first connection refreshes the
 * lists fetched so far once; a "reset" event too. */
void             aa_action_manager_start_live      (AaActionManager *self);
void             aa_action_manager_stop_live       (AaActionManager *self);
/* NULL before start_live(). */
AaEventStream   *aa_action_manager_get_event_stream (AaActionManager *self);
AaConnectionState aa_action_manager_get_connection_state (AaActionManager *self);
/* The window regained focus, or the network came back: unless the stream
 * is connected (then nothing was missed), refetch the lists fetched so
 * far, debounced and at most once every 2 s. This is how a backend without the stream
 * still converges. */
void             aa_action_manager_catch_up        (AaActionManager *self);

/*
 * The intentions. Each returns the mutation it started (owned by the
 * manager); optimistic ones have already changed the models when they
 * return. Invalid input (an empty title, a malformed card) gives a mutation
 * that is already FAILED with an AA_ERROR_VALIDATION and sent nothing.
 */
AaMutation      *aa_action_manager_create_note     (AaActionManager *self,
                                                    const char      *title,
                                                    const char      *notes);
/* Runs the action declared as @name in aa-rules.c on @target (NULL for
 * one without a target), with @patch, its subject named for messages: an
 * action that needs no more than its entry is started from its widget with
 * this, and no intention of its own. */
AaMutation      *aa_action_manager_run_action      (AaActionManager *self,
                                                    const char      *name,
                                                    AaResource      *target,
                                                    const char      *subject,
                                                    JsonObject      *patch);
AaMutation      *aa_action_manager_set_starred     (AaActionManager *self,
                                                    AaItem          *item,
                                                    gboolean         starred);
AaMutation      *aa_action_manager_set_done        (AaActionManager *self,
                                                    AaItem          *item,
                                                    gboolean         done);
AaMutation      *aa_action_manager_save_note       (AaActionManager *self,
                                                    AaItem          *item,
                                                    const char      *title,
                                                    const char      *notes);
/* A save of text written against @base_version (-1: the version now),
 * for an editor that kept its text over a change made elsewhere: the
 * server's If-Match check then says it conflicts. */
AaMutation      *aa_action_manager_save_note_based_on (AaActionManager *self,
                                                       AaItem          *item,
                                                       const char      *title,
                                                       const char      *notes,
                                                       gint64           base_version);
AaMutation      *aa_action_manager_delete_note     (AaActionManager *self,
                                                    AaItem          *item);
AaMutation      *aa_action_manager_restore_note    (AaActionManager *self,
                                                    AaItem          *item);
AaMutation      *aa_action_manager_empty_trash     (AaActionManager *self);
/* A second call while the same invoice is being paid returns the same
 * mutation: one intention, one idempotency key, one charge. */
AaMutation      *aa_action_manager_pay_invoice     (AaActionManager *self,
                                                    AaInvoice       *invoice,
                                                    const char      *card_number);
/* Choosing the role the member already has (or is about to have) is no
 * change: returns the pending change to it, or NULL. */
AaMutation      *aa_action_manager_change_role     (AaActionManager *self,
                                                    AaMember        *member,
                                                    AaRole           role);

/* Sends a FAILED or ROLLED_BACK mutation again with the same idempotency key
 * (re-applying it first if optimistic). Returns FALSE if it is not in a
 * state that can be retried, or was refused before anything was sent
 * (invalid input is corrected in the form, then sent as a new mutation). */
gboolean         aa_action_manager_retry           (AaActionManager *self,
                                                    AaMutation      *mutation);
/* FALSE for a save whose text the user discarded: no Retry brings it
 * back. Whether a failure is worth retrying at all is the rules' (the
 * feedback's action). */
gboolean         aa_action_manager_can_retry       (AaActionManager *self,
                                                    AaMutation      *mutation);
/* The user replaced what they typed in @item with the other side's
 * version: nothing of it may reach the server later. Its saves still
 * queued are cancelled (nothing is sent); its failed ones are let go for
 * good ("discarded" is emitted for each): aa_action_manager_retry()
 * refuses them, and neither "n-failed" nor
 * aa_action_manager_list_unsettled() counts them. Returns FALSE when a
 * save of it is on its way, which can't be called back. */
gboolean         aa_action_manager_discard_typed_text (AaActionManager *self,
                                                       AaItem          *item);
/* Whether Retry is worth offering for @mutation: it failed after it was
 * sent, the rules offer a retry, it may be retried (above), and no later
 * change made it moot (one that set the same values succeeded, or it was
 * let go). What a row of the Activity page shows. */
gboolean         aa_action_manager_offers_retry    (AaActionManager *self,
                                                    AaMutation      *mutation);
/* Lets a failed mutation go: it stops counting in "n-failed". Letting a
 * failed create go removes its unsaved note, and cancels (UNDONE) what was
 * queued behind it. */
void             aa_action_manager_dismiss         (AaActionManager *self,
                                                    AaMutation      *mutation);
/* Undoes @mutation with a real backend request (delete -> restore, star,
 * done, save -> the inverse PATCH) and returns that request's mutation; a
 * mutation still queued is cancelled instead, nothing is sent, and it is
 * returned itself (unless it had replaced queued changes of the same
 * fields: then the values from before it still go out, as an inverse PATCH
 * that is returned). NULL if it cannot be undone. */
AaMutation      *aa_action_manager_undo            (AaActionManager *self,
                                                    AaMutation      *mutation);
gboolean         aa_action_manager_can_undo        (AaActionManager *self,
                                                    AaMutation      *mutation);

/* Text for the confirmation dialog that comes before an action, or NULL
 * when the "before" column of its rule asks nothing: then widgets go ahead
 * at once. Widgets never decide this themselves. */
AaConfirmation  *aa_action_manager_describe_delete      (AaActionManager *self,
                                                         AaItem          *item);
AaConfirmation  *aa_action_manager_describe_empty_trash (AaActionManager *self);
AaConfirmation  *aa_action_manager_describe_payment     (AaActionManager *self,
                                                         AaInvoice       *invoice,
                                                         const char      *card_number);

/* What quitting now would lose, newest first: the mutations queued or in
 * flight, and the failed ones nobody retried or dismissed that a retry or a
 * reload could still save (not those the server refused for good, such as
 * a declined card or a forbidden role change). The array holds references. */
GPtrArray       *aa_action_manager_list_unsettled  (AaActionManager *self);

/*
 * The journal (docs/journal.md): the unsettled changes and the typed text
 * survive the process. Opened for @server_id (NULL: the client's URL) and
 * @account under $XDG_STATE_HOME/<app-id>/; the changes it kept from the
 * last run are restored (sent with their original idempotency keys) once
 * every list was read. Without a journal nothing is kept, as before.
 */
gboolean         aa_action_manager_open_journal    (AaActionManager *self,
                                                    const char      *server_id,
                                                    const char      *account,
                                                    GError         **error);
AaJournal       *aa_action_manager_get_journal     (AaActionManager *self);
/* How many changes kept from the last run wait to be restored: until every
 * list was read once (the server can't be reached yet), they are in the
 * journal only, and the window says so from there. */
guint            aa_action_manager_get_n_kept      (AaActionManager *self);
/* Typed text of @item, written to the journal within about a second
 * (debounced): back after a crash. @based_on is the version it was typed
 * over. Nothing without a journal. */
void             aa_action_manager_keep_draft      (AaActionManager *self,
                                                    AaItem          *item,
                                                    const char      *title,
                                                    const char      *notes,
                                                    gint64           based_on);
/* Saved or discarded: the draft leaves the journal. */
void             aa_action_manager_forget_draft    (AaActionManager *self,
                                                    AaItem          *item);
gboolean         aa_action_manager_lookup_draft    (AaActionManager *self,
                                                    AaItem          *item,
                                                    char           **title,
                                                    char           **notes,
                                                    gint64          *based_on);
/* Whether @item has a kept draft that differs from its text now. */
gboolean         aa_action_manager_has_draft       (AaActionManager *self,
                                                    AaItem          *item);
/* The notes with a kept draft (AaItem), such as those of the last run. */
GPtrArray       *aa_action_manager_list_kept_drafts (AaActionManager *self);
/* Writes the drafts waiting for the debounce now. */
void             aa_action_manager_flush_drafts    (AaActionManager *self);

G_END_DECLS
