/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "async-actions.h"

#include "aa-item.h"
#include "aa-refresher.h"

G_BEGIN_DECLS

#define AA_TYPE_NOTE_DRAFTS (aa_note_drafts_get_type ())

G_DECLARE_FINAL_TYPE (AaNoteDrafts, aa_note_drafts, AA, NOTE_DRAFTS, GObject)

/*
 * The journal (docs/journal.md), the engine's: the unsettled changes and
 * the typed text survive the process. This object opens it, restores what
 * it kept once every list was read, and keeps the typed text of notes in
 * it (debounced). Without a journal nothing is kept.
 */

AaNoteDrafts *aa_note_drafts_new            (AaRefresher     *refresher,
                                             AaResourceStore *notes);
/* Opens the journal for @server_id and @account under
 * $XDG_STATE_HOME/<app-id>/ and hands it to the engine, whose operations
 * must be registered already; the changes it kept from the last run are
 * restored once every list was read. */
gboolean      aa_note_drafts_open_journal   (AaNoteDrafts    *self,
                                             const char      *server_id,
                                             const char      *account,
                                             GError         **error);
void          aa_note_drafts_keep           (AaNoteDrafts    *self,
                                             AaItem          *item,
                                             const char      *title,
                                             const char      *notes,
                                             gint64           based_on);
void          aa_note_drafts_forget         (AaNoteDrafts    *self,
                                             AaItem          *item);
gboolean      aa_note_drafts_lookup         (AaNoteDrafts    *self,
                                             AaItem          *item,
                                             char           **title,
                                             char           **notes,
                                             gint64          *based_on);
gboolean      aa_note_drafts_has_draft      (AaNoteDrafts    *self,
                                             AaItem          *item);
GPtrArray    *aa_note_drafts_list_kept      (AaNoteDrafts    *self);
void          aa_note_drafts_flush          (AaNoteDrafts    *self);

G_END_DECLS
