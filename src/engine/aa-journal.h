/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-version-macros.h"

#include "aa-mutation.h"

G_BEGIN_DECLS

/**
 * AA_JOURNAL_ERROR:
 *
 * The error domain of [class@Journal]; see [error@JournalError].
 */
#define AA_JOURNAL_ERROR (aa_journal_error_quark ())

/**
 * AaJournalError:
 * @AA_JOURNAL_ERROR_FAILED: the file could not be opened, read or written.
 * @AA_JOURNAL_ERROR_DAMAGED: the file was not a journal or failed its
 *   integrity check: it was set aside, and a new journal started.
 * @AA_JOURNAL_ERROR_OTHER_SERVER: the file was written for another server
 *   URL or account: it was set aside, never replayed here.
 * @AA_JOURNAL_ERROR_FULL: the journal holds as many changes or bytes as it
 *   may (see [property@Journal:max-entries]); nothing was written.
 * @AA_JOURNAL_ERROR_TOO_LARGE: one change or draft is larger than the
 *   journal accepts; nothing was written.
 * @AA_JOURNAL_ERROR_NOT_FOUND: no entry has that idempotency key.
 *
 * Why the journal refused or set something aside.
 */
typedef enum {
  AA_JOURNAL_ERROR_FAILED,
  AA_JOURNAL_ERROR_DAMAGED,
  AA_JOURNAL_ERROR_OTHER_SERVER,
  AA_JOURNAL_ERROR_FULL,
  AA_JOURNAL_ERROR_TOO_LARGE,
  AA_JOURNAL_ERROR_NOT_FOUND,
} AaJournalError;

AA_AVAILABLE_IN_ALL
GQuark aa_journal_error_quark (void);

/**
 * AaJournalEntry:
 * @seq: its place in the journal's order, given by aa_journal_append()
 * @operation: the stable name of its operation ([property@Operation:name])
 * @target_id: (nullable): the id of its target, or %NULL
 * @temporary_id: (nullable): for a create, the local id its target had
 *   before the server gave it one
 * @subject: (nullable): how messages name the object
 * @patch: (nullable): the mutation's patch, as JSON text
 * @idempotency_key: its `Idempotency-Key`, the same on every attempt
 * @base_version: the version of the target it is based on (`If-Match`), or -1
 * @state: its state when last written
 * @attempts: how many requests were sent for it
 * @created_at: when it was first written, in wall-clock microseconds
 * @error_domain: (nullable): for a failed one, the domain of its error, as
 *   a quark's string
 * @error_code: for a failed one, the code of its error
 * @error_message: (nullable): for a failed one, the message of its error
 *
 * One unsettled mutation, as the journal keeps it: enough to rebuild it
 * through its operation after the process died.
 */
typedef struct _AaJournalEntry AaJournalEntry;

struct _AaJournalEntry
{
  gint64           seq;
  char            *operation;
  char            *target_id;
  char            *temporary_id;
  char            *subject;
  char            *patch;
  char            *idempotency_key;
  gint64           base_version;
  AaMutationState  state;
  guint            attempts;
  gint64           created_at;
  char            *error_domain;
  int              error_code;
  char            *error_message;
};

#define AA_TYPE_JOURNAL_ENTRY (aa_journal_entry_get_type ())

AA_AVAILABLE_IN_ALL
GType           aa_journal_entry_get_type (void) G_GNUC_CONST;
AA_AVAILABLE_IN_ALL
AaJournalEntry *aa_journal_entry_new      (void);
AA_AVAILABLE_IN_ALL
AaJournalEntry *aa_journal_entry_copy     (const AaJournalEntry *entry);
AA_AVAILABLE_IN_ALL
void            aa_journal_entry_free     (AaJournalEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AaJournalEntry, aa_journal_entry_free)

#define AA_TYPE_JOURNAL (aa_journal_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaJournal, aa_journal, AA, JOURNAL, GObject)

AA_AVAILABLE_IN_ALL
char           *aa_journal_build_path        (const char      *app_id,
                                              const char      *server_url,
                                              const char      *account);
AA_AVAILABLE_IN_ALL
AaJournal      *aa_journal_open              (const char      *path,
                                              const char      *server_url,
                                              const char      *account,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
AaJournal      *aa_journal_open_for_server   (const char      *app_id,
                                              const char      *server_url,
                                              const char      *account,
                                              GError         **error);

AA_AVAILABLE_IN_ALL
const char     *aa_journal_get_path          (AaJournal       *self);
AA_AVAILABLE_IN_ALL
const char     *aa_journal_get_server_url    (AaJournal       *self);
AA_AVAILABLE_IN_ALL
const char     *aa_journal_get_account       (AaJournal       *self);
AA_AVAILABLE_IN_ALL
const GError   *aa_journal_get_set_aside     (AaJournal       *self);
AA_AVAILABLE_IN_ALL
guint           aa_journal_get_max_entries   (AaJournal       *self);
AA_AVAILABLE_IN_ALL
void            aa_journal_set_max_entries   (AaJournal       *self,
                                              guint            max_entries);
AA_AVAILABLE_IN_ALL
guint64         aa_journal_get_max_bytes     (AaJournal       *self);
AA_AVAILABLE_IN_ALL
void            aa_journal_set_max_bytes     (AaJournal       *self,
                                              guint64          max_bytes);
AA_AVAILABLE_IN_ALL
guint           aa_journal_get_n_entries     (AaJournal       *self);

AA_AVAILABLE_IN_ALL
gint64          aa_journal_append            (AaJournal       *self,
                                              AaJournalEntry  *entry,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
gboolean        aa_journal_update            (AaJournal       *self,
                                              const AaJournalEntry *entry,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
gboolean        aa_journal_update_state      (AaJournal       *self,
                                              const char      *idempotency_key,
                                              AaMutationState  state,
                                              guint            attempts,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
gboolean        aa_journal_remove            (AaJournal       *self,
                                              const char      *idempotency_key,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
void            aa_journal_rename_target     (AaJournal       *self,
                                              const char      *old_id,
                                              const char      *new_id);
AA_AVAILABLE_IN_ALL
gboolean        aa_journal_contains          (AaJournal       *self,
                                              const char      *idempotency_key);
AA_AVAILABLE_IN_ALL
GList          *aa_journal_list              (AaJournal       *self,
                                              GError         **error);

AA_AVAILABLE_IN_ALL
gboolean        aa_journal_set_draft         (AaJournal       *self,
                                              const char      *resource_id,
                                              JsonObject      *fields,
                                              GError         **error);
AA_AVAILABLE_IN_ALL
JsonObject     *aa_journal_dup_draft         (AaJournal       *self,
                                              const char      *resource_id,
                                              gint64          *updated_at);
AA_AVAILABLE_IN_ALL
void            aa_journal_remove_draft      (AaJournal       *self,
                                              const char      *resource_id);
AA_AVAILABLE_IN_ALL
char          **aa_journal_list_drafts       (AaJournal       *self);
AA_AVAILABLE_IN_ALL
gboolean        aa_journal_has_draft         (AaJournal       *self,
                                              const char      *resource_id);

AA_AVAILABLE_IN_ALL
gboolean        aa_journal_flush             (AaJournal       *self,
                                              GError         **error);

G_END_DECLS
