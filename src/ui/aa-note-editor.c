/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-note-editor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-note-editor-private.h"
#include "aa-ui.h"
#include "aa-validate.h"

/* What was typed in a note and not saved, kept while another note is
 * open. Each field also keeps what it was loaded with, to tell a field the
 * user touched (kept) from one they did not (it follows the note). */
typedef struct {
  char *title;
  char *notes;
  char *loaded_title;
  char *loaded_notes;
  /* The note's version the typed text is based on. */
  gint64 based_on;
} Draft;

static void
draft_free (Draft *draft)
{
  g_free (draft->title);
  g_free (draft->notes);
  g_free (draft->loaded_title);
  g_free (draft->loaded_notes);
  g_free (draft);
}

/* What Discard My Changes replaced, for its Undo: the fields as typed,
 * what they were based on, and the choice the editor was offering. */
typedef struct {
  char   *title;
  char   *notes;
  char   *loaded_title;
  char   *loaded_notes;
  gint64  loaded_version;
  gint64  kept_version;
  /* The conflict banner's message, or NULL: the live banner was shown. */
  char   *conflict;
} Discarded;

static void
discarded_free (Discarded *discarded)
{
  g_free (discarded->title);
  g_free (discarded->notes);
  g_free (discarded->loaded_title);
  g_free (discarded->loaded_notes);
  g_free (discarded->conflict);
  g_free (discarded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Discarded, discarded_free)

/* How long "Your changes were discarded" offers its Undo, unless the user
 * types first. */
#define DISCARD_UNDO_TIMEOUT_S 15

/* What a fetch of the latest version is for: the user chose at a
 * conflict, and their choice needs the version they chose over. */
typedef enum {
  RELOAD_TO_DISCARD,
  RELOAD_TO_KEEP,
} ReloadPurpose;

struct _AaNoteEditor
{
  GtkWidget        parent_instance;

  GtkWidget       *conflict_banner;
  GtkWidget       *conflict_label;
  GtkWidget       *conflict_keep_button;
  GtkWidget       *conflict_discard_button;
  GtkWidget       *elsewhere_banner;
  GtkWidget       *elsewhere_keep_button;
  GtkWidget       *elsewhere_discard_button;
  GtkWidget       *discarded_banner;
  GtkWidget       *undo_discard_button;
  GtkWidget       *title_entry;
  GtkWidget       *title_error;
  GtkWidget       *notes_view;
  GtkWidget       *status_label;
  GtkWidget       *save_button;
  GtkWidget       *save_spinner;
  GtkWidget       *save_label;

  AaActionManager *manager;
  AaItem          *item;
  /* The last save of this editor, watched for its inline outcome. */
  AaMutation      *save;
  GCancellable    *reload_cancellable;
  ReloadPurpose    reload_purpose;
  gboolean         reloading;
  /* The text the user discarded, while its Undo is offered. */
  Discarded       *discarded;
  guint            discarded_timeout;

  /* What the fields were last loaded with: a field the user has not
   * touched follows the item; a touched one is never overwritten. */
  char            *loaded_title;
  char            *loaded_notes;
  gboolean         loading;

  /* AaItem → Draft, for the notes left with unsaved edits. */
  GHashTable      *drafts;
  /* The version the fields were loaded from; after a change elsewhere the
   * user chose to keep editing over, the one their text is based on, so
   * that saving it meets the usual conflict (If-Match). */
  gint64           loaded_version;
  gint64           kept_version;
};

G_DEFINE_FINAL_TYPE (AaNoteEditor, aa_note_editor, GTK_TYPE_WIDGET)

static char *
dup_notes_text (AaNoteEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
title_text (AaNoteEditor *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
}

static gboolean
is_saving (AaNoteEditor *self)
{
  return self->save != NULL && aa_mutation_is_pending (self->save);
}

static gboolean
is_dirty (AaNoteEditor *self)
{
  g_autofree char *notes = NULL;

  if (self->item == NULL)
    return FALSE;

  notes = dup_notes_text (self);

  return g_strcmp0 (title_text (self), aa_item_get_title (self->item)) != 0 ||
         g_strcmp0 (notes, aa_item_get_notes (self->item)) != 0;
}

static gboolean
is_revealed (GtkWidget *revealer)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
name_button (GtkWidget  *button,
             const char *name)
{
  aa_ui_set_name (button, name);
}

/* Keep My Changes and Discard My Changes: on both banners, each saying
 * which note it acts on, and not while the note is being saved or the
 * latest version fetched. */
static void
update_choices (AaNoteEditor *self)
{
  gboolean offered = is_revealed (self->conflict_banner) || is_revealed (self->elsewhere_banner);
  gboolean enabled = offered && self->item != NULL && !self->reloading && !is_saving (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-mine", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard-mine", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo-discard", self->discarded != NULL);

  /* Named when shown: not at every key typed. */
  if (self->item != NULL && (offered || self->discarded != NULL)) {
    const char *title = aa_item_get_title (self->item);
    g_autofree char *keep = g_strdup_printf (_("Keep My Changes to “%s”"), title);
    g_autofree char *discard = g_strdup_printf (_("Discard My Changes to “%s”"), title);
    g_autofree char *undo = g_strdup_printf (_("Undo Discarding My Changes to “%s”"), title);

    name_button (self->conflict_keep_button, keep);
    name_button (self->elsewhere_keep_button, keep);
    name_button (self->conflict_discard_button, discard);
    name_button (self->elsewhere_discard_button, discard);
    name_button (self->undo_discard_button, undo);
  }
}

static void
update_save_button (AaNoteEditor *self)
{
  gboolean saving = is_saving (self);
  gboolean dirty = is_dirty (self);

  gtk_widget_set_visible (self->save_spinner, saving);
  gtk_spinner_set_spinning (GTK_SPINNER (self->save_spinner), saving);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->save_label), saving ? _("Saving…") : _("_Save"));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_STATE_BUSY, saving, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->item != NULL && !saving && dirty);

  if (saving)
    gtk_label_set_text (GTK_LABEL (self->status_label), "");
  else if (dirty)
    gtk_label_set_text (GTK_LABEL (self->status_label), _("Changes not saved"));
  else
    gtk_label_set_text (GTK_LABEL (self->status_label), "");

  update_choices (self);
}

static void
show_title_error (AaNoteEditor *self,
                  const char   *message)
{
  gtk_label_set_text (GTK_LABEL (self->title_error), message != NULL ? message : "");
  gtk_widget_set_visible (self->title_error, message != NULL);

  if (message != NULL) {
    gtk_widget_add_css_class (self->title_entry, "error");
    gtk_accessible_update_state (GTK_ACCESSIBLE (self->title_entry),
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
  } else {
    gtk_widget_remove_css_class (self->title_entry, "error");
    gtk_accessible_reset_state (GTK_ACCESSIBLE (self->title_entry), GTK_ACCESSIBLE_STATE_INVALID);
  }
}

/* A conflict says it all: the live banner, which offers the same
 * choices, makes way for it. */
static void
show_conflict (AaNoteEditor *self,
               const char   *message)
{
  if (message != NULL) {
    gtk_label_set_text (GTK_LABEL (self->conflict_label), message);
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->elsewhere_banner), FALSE);
  }
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->conflict_banner), message != NULL);
  update_choices (self);
}

static void
set_fields (AaNoteEditor *self,
            const char   *title,
            const char   *notes,
            const char   *loaded_title,
            const char   *loaded_notes)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));

  self->loading = TRUE;
  g_free (self->loaded_title);
  self->loaded_title = g_strdup (loaded_title);
  g_free (self->loaded_notes);
  self->loaded_notes = g_strdup (loaded_notes);
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title);
  gtk_text_buffer_set_text (buffer, notes, -1);
  self->loading = FALSE;

  update_save_button (self);
}

static void
show_elsewhere (AaNoteEditor *self,
                gboolean      changed)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->elsewhere_banner),
                                 changed && !is_revealed (self->conflict_banner));
  update_choices (self);
}

/* Whether someone else changed a field the user typed in: the note's
 * value is neither what the field was loaded with nor what was typed. Our
 * own save is neither: while pending it shows the typed text, and its
 * rollback brings back the loaded value. Nor is a change to a field the
 * user did not touch: that one follows the note. */
static gboolean
typed_field_changed_elsewhere (AaNoteEditor *self)
{
  g_autofree char *notes = dup_notes_text (self);
  const char *title = title_text (self);
  const char *their_title = aa_item_get_title (self->item);
  const char *their_notes = aa_item_get_notes (self->item);

  return (g_strcmp0 (title, self->loaded_title) != 0 &&
          g_strcmp0 (their_title, self->loaded_title) != 0 &&
          g_strcmp0 (their_title, title) != 0) ||
         (g_strcmp0 (notes, self->loaded_notes) != 0 &&
          g_strcmp0 (their_notes, self->loaded_notes) != 0 &&
          g_strcmp0 (their_notes, notes) != 0);
}

/* A field the user typed in was changed elsewhere: say so inline, and
 * remember the version the typed text is based on, so that saving it
 * without choosing meets the usual conflict (If-Match). */
static void
check_changed_elsewhere (AaNoteEditor *self)
{
  if (is_saving (self) || !typed_field_changed_elsewhere (self))
    return;

  if (self->kept_version < 0)
    self->kept_version = self->loaded_version;
  self->loaded_version = aa_item_get_version (self->item);
  show_elsewhere (self, TRUE);
}

/* Typed text goes to the journal (debounced there), so that it is back
 * after a crash; text that is the note's own is no draft. */
static void
journal_draft (AaNoteEditor *self,
               const char   *title,
               const char   *notes,
               gint64        based_on)
{
  if (self->item == NULL || self->manager == NULL)
    return;

  if (title != NULL)
    aa_action_manager_keep_draft (self->manager, self->item, title, notes, based_on);
  else
    aa_action_manager_forget_draft (self->manager, self->item);
}

static void
journal_open_draft (AaNoteEditor *self)
{
  g_autofree char *notes = NULL;

  if (!is_dirty (self)) {
    journal_draft (self, NULL, NULL, -1);
    return;
  }
  notes = dup_notes_text (self);
  journal_draft (self, title_text (self), notes,
                 self->kept_version >= 0 ? self->kept_version : self->loaded_version);
}

/* Nothing typed differs from the note any more (a Retry saved it, say):
 * there is nothing left to choose. */
static void
forget_choice_if_clean (AaNoteEditor *self)
{
  if (is_saving (self) || is_dirty (self))
    return;

  self->kept_version = -1;
  show_elsewhere (self, FALSE);
  show_conflict (self, NULL);
}

static void
clear_discarded (AaNoteEditor *self)
{
  g_clear_handle_id (&self->discarded_timeout, g_source_remove);
  g_clear_pointer (&self->discarded, discarded_free);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->discarded_banner), FALSE);
  update_choices (self);
}

static gboolean
discarded_timeout_cb (gpointer data)
{
  AaNoteEditor *self = data;

  self->discarded_timeout = 0;
  clear_discarded (self);

  return G_SOURCE_REMOVE;
}

/* Puts the item's values in the fields, forgetting what was typed. */
static void
load_fields (AaNoteEditor *self)
{
  const char *title = self->item != NULL ? aa_item_get_title (self->item) : "";
  const char *notes = self->item != NULL ? aa_item_get_notes (self->item) : "";

  journal_draft (self, NULL, NULL, -1);
  set_fields (self, title, notes, title, notes);
  self->loaded_version = self->item != NULL ? aa_item_get_version (self->item) : -1;
  self->kept_version = -1;
  show_elsewhere (self, FALSE);
}

/* Keeps what is typed in the open note, if it differs from the note. */
static void
stash_draft (AaNoteEditor *self)
{
  Draft *draft;

  if (self->item == NULL)
    return;

  journal_open_draft (self);
  if (!is_dirty (self)) {
    g_hash_table_remove (self->drafts, self->item);
    return;
  }

  draft = g_new0 (Draft, 1);
  draft->title = g_strdup (title_text (self));
  draft->notes = dup_notes_text (self);
  draft->loaded_title = g_strdup (self->loaded_title);
  draft->loaded_notes = g_strdup (self->loaded_notes);
  draft->based_on = self->kept_version >= 0 ? self->kept_version : self->loaded_version;
  g_hash_table_replace (self->drafts, g_object_ref (self->item), draft);
}

/* Puts the open note's draft back: the fields the user touched as typed,
 * the others as the note is now (it may have changed meanwhile). An
 * invalid title is flagged at once, not found out at the next save. */
static void
restore_draft (AaNoteEditor *self)
{
  Draft *draft = g_hash_table_lookup (self->drafts, self->item);
  const char *title = aa_item_get_title (self->item);
  const char *notes = aa_item_get_notes (self->item);
  gboolean title_touched = g_strcmp0 (draft->title, draft->loaded_title) != 0;
  gboolean notes_touched = g_strcmp0 (draft->notes, draft->loaded_notes) != 0;
  g_autoptr(GError) error = NULL;

  set_fields (self,
              title_touched ? draft->title : title,
              notes_touched ? draft->notes : notes,
              title_touched ? draft->loaded_title : title,
              notes_touched ? draft->loaded_notes : notes);
  self->kept_version = -1;
  show_elsewhere (self, FALSE);

  /* A field typed in was changed elsewhere while it waited as a draft:
   * said as for an open note, and a save meets the conflict over the
   * version the text is based on. */
  self->loaded_version = draft->based_on;
  check_changed_elsewhere (self);
  self->loaded_version = aa_item_get_version (self->item);
  g_hash_table_remove (self->drafts, self->item);

  if (title_touched && !aa_validate_title (title_text (self), &error))
    show_title_error (self, error->message);
}

static void
item_title_changed_cb (AaNoteEditor *self)
{
  const char *title = aa_item_get_title (self->item);

  /* An untouched field follows the item (a refresh, an undo); a touched
   * one keeps what the user typed, through a rollback too. */
  if (g_strcmp0 (title_text (self), self->loaded_title) == 0 && !is_saving (self)) {
    self->loading = TRUE;
    gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title);
    self->loading = FALSE;
    g_free (self->loaded_title);
    self->loaded_title = g_strdup (title);
  } else if (g_strcmp0 (title_text (self), title) != 0) {
    check_changed_elsewhere (self);
  }

  forget_choice_if_clean (self);
  update_save_button (self);
}

static void
item_notes_changed_cb (AaNoteEditor *self)
{
  const char *notes = aa_item_get_notes (self->item);
  g_autofree char *current = dup_notes_text (self);

  if (g_strcmp0 (current, self->loaded_notes) == 0 && !is_saving (self)) {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view));

    self->loading = TRUE;
    gtk_text_buffer_set_text (buffer, notes, -1);
    self->loading = FALSE;
    g_free (self->loaded_notes);
    self->loaded_notes = g_strdup (notes);
  } else if (g_strcmp0 (current, notes) != 0) {
    check_changed_elsewhere (self);
  }

  forget_choice_if_clean (self);
  update_save_button (self);
}

static void
save_state_changed_cb (AaNoteEditor *self,
                       GParamSpec   *pspec,
                       AaMutation   *save)
{
  AaMutationState state = aa_mutation_get_state (save);
  const GError *error = aa_mutation_get_error (save);

  if (save != self->save)
    return;

  if (state == AA_MUTATION_STATE_SUCCEEDED || state == AA_MUTATION_STATE_COALESCED) {
    /* What was saved is now what the fields were loaded with, at the
     * version the server gave it (not yet shown by the item). A banner
     * still up (a Retry saved the text over a change made elsewhere) has
     * nothing left to offer. */
    g_free (self->loaded_title);
    self->loaded_title = g_strdup (aa_item_get_title (self->item));
    g_free (self->loaded_notes);
    self->loaded_notes = g_strdup (aa_item_get_notes (self->item));
    self->loaded_version = aa_state_get_int (aa_resource_get_confirmed (AA_RESOURCE (self->item)), "version",
                                             aa_item_get_version (self->item));
    self->kept_version = -1;
    show_elsewhere (self, FALSE);
    show_conflict (self, NULL);
  } else if (state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK) {
    /* Input failures are ours to show; other failures get a toast from
     * the window, and are no change made elsewhere. */
    if (g_error_matches (error, AA_ERROR, AA_ERROR_VALIDATION))
      show_title_error (self, error->message);
    else if (g_error_matches (error, AA_ERROR, AA_ERROR_CONFLICT))
      show_conflict (self, aa_mutation_get_message (save));
  }

  update_save_button (self);
}

static void
set_save (AaNoteEditor *self,
          AaMutation   *save)
{
  if (self->save != NULL)
    g_signal_handlers_disconnect_by_data (self->save, self);
  g_set_object (&self->save, save);
  if (save != NULL) {
    g_signal_connect_object (save, "notify::state", G_CALLBACK (save_state_changed_cb), self, G_CONNECT_SWAPPED);
    save_state_changed_cb (self, NULL, save);
  }
  update_save_button (self);
}

AaMutation *
aa_note_editor_save (AaNoteEditor *self)
{
  g_autofree char *notes = NULL;
  AaMutation *save;

  g_return_val_if_fail (AA_IS_NOTE_EDITOR (self), NULL);

  if (self->item == NULL || self->manager == NULL || is_saving (self))
    return NULL;

  show_title_error (self, NULL);
  notes = dup_notes_text (self);
  save = aa_action_manager_save_note_based_on (self->manager, self->item, title_text (self), notes,
                                               self->kept_version);
  set_save (self, save);

  return save;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  aa_note_editor_save (AA_NOTE_EDITOR (widget));
}

/* Focus was on a banner's button, about to go: it moves to @widget. */
static void
move_focus_from_banners (AaNoteEditor *self,
                         GtkWidget    *widget)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL ||
      gtk_widget_is_ancestor (focus, self->conflict_banner) ||
      gtk_widget_is_ancestor (focus, self->elsewhere_banner) ||
      gtk_widget_is_ancestor (focus, self->discarded_banner))
    gtk_widget_grab_focus (widget);
}

/* The user's choice at either banner, Discard My Changes: the note's
 * version replaces the typed text at once, nothing of the text is saved
 * later (no queued save, no Retry, no draft), and the editor offers to
 * bring it back until the next edit or a timeout. */
static void
discard_typed_text (AaNoteEditor *self)
{
  Discarded *discarded = g_new0 (Discarded, 1);

  discarded->title = g_strdup (title_text (self));
  discarded->notes = dup_notes_text (self);
  discarded->loaded_title = g_strdup (self->loaded_title);
  discarded->loaded_notes = g_strdup (self->loaded_notes);
  discarded->loaded_version = self->loaded_version;
  discarded->kept_version = self->kept_version;
  if (is_revealed (self->conflict_banner))
    discarded->conflict = g_strdup (gtk_label_get_text (GTK_LABEL (self->conflict_label)));

  clear_discarded (self);
  self->discarded = discarded;
  if (self->manager != NULL)
    aa_action_manager_discard_typed_text (self->manager, self->item);

  show_title_error (self, NULL);
  show_conflict (self, NULL);
  load_fields (self);

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->discarded_banner), TRUE);
  self->discarded_timeout = g_timeout_add_seconds (DISCARD_UNDO_TIMEOUT_S, discarded_timeout_cb, self);
  update_choices (self);
  move_focus_from_banners (self, self->undo_discard_button);
}

/* Keep My Changes: the typed text stays, now based on the note's version,
 * so that saving it replaces that version; the fields the user did not
 * touch follow the note. */
static void
keep_typed_text (AaNoteEditor *self)
{
  g_autofree char *notes = dup_notes_text (self);
  const char *title = title_text (self);
  gboolean title_touched = g_strcmp0 (title, self->loaded_title) != 0;
  gboolean notes_touched = g_strcmp0 (notes, self->loaded_notes) != 0;
  g_autofree char *keep_title = g_strdup (title_touched ? title : aa_item_get_title (self->item));
  g_autofree char *keep_notes = g_strdup (notes_touched ? notes : aa_item_get_notes (self->item));

  set_fields (self, keep_title, keep_notes, aa_item_get_title (self->item), aa_item_get_notes (self->item));
  self->loaded_version = aa_item_get_version (self->item);
  self->kept_version = -1;
  show_conflict (self, NULL);
  show_elsewhere (self, FALSE);
  move_focus_from_banners (self, self->title_entry);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AaNoteEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_refresher_reload_item_finish (AA_REFRESHER (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Couldn’t load the latest version. %s"), aa_error_get_next_step (error));
      self->reloading = FALSE;
      show_conflict (self, message);
    }
    return;
  }

  self->reloading = FALSE;
  if (self->reload_purpose == RELOAD_TO_DISCARD)
    discard_typed_text (self);
  else
    keep_typed_text (self);
}

/* After a conflict, either choice needs the latest version: the one to
 * show, or the one to save over. */
static void
reload_latest (AaNoteEditor  *self,
               ReloadPurpose  purpose)
{
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  self->reload_purpose = purpose;
  self->reloading = TRUE;
  update_choices (self);
  aa_refresher_reload_item_async (aa_action_manager_get_refresher (self->manager), self->item,
                                  self->reload_cancellable, reload_cb, g_object_ref (self));
}

/* Either choice at either banner. A conflict's needs the latest version
 * first: the app may not have heard of it. */
static void
choose (AaNoteEditor  *self,
        ReloadPurpose  choice)
{
  if (self->item == NULL || self->manager == NULL || is_saving (self))
    return;

  if (is_revealed (self->conflict_banner))
    reload_latest (self, choice);
  else if (choice == RELOAD_TO_KEEP)
    keep_typed_text (self);
  else
    discard_typed_text (self);
}

static void
keep_mine_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose (AA_NOTE_EDITOR (widget), RELOAD_TO_KEEP);
}

static void
discard_mine_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose (AA_NOTE_EDITOR (widget), RELOAD_TO_DISCARD);
}

/* Undo: the discarded text is back as typed, unsaved, based on the version
 * it was written against, with the choice the editor offered then. */
static void
undo_discard_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AaNoteEditor *self = AA_NOTE_EDITOR (widget);
  g_autoptr(Discarded) discarded = g_steal_pointer (&self->discarded);
  g_autoptr(GError) error = NULL;

  if (discarded == NULL || self->item == NULL)
    return;

  clear_discarded (self);
  set_fields (self, discarded->title, discarded->notes, discarded->loaded_title, discarded->loaded_notes);
  self->loaded_version = discarded->loaded_version;
  self->kept_version = discarded->kept_version;
  /* The text is back: so is its draft in the journal. */
  journal_open_draft (self);
  if (discarded->conflict != NULL) {
    show_conflict (self, discarded->conflict);
    move_focus_from_banners (self, self->conflict_keep_button);
  } else {
    show_elsewhere (self, TRUE);
    move_focus_from_banners (self, self->elsewhere_keep_button);
  }

  if (!aa_validate_title (title_text (self), &error))
    show_title_error (self, error->message);
}

static void
title_changed_cb (AaNoteEditor *self)
{
  if (self->loading)
    return;

  /* The user is fixing it: the error has said its piece. Typing again
   * ends the Undo of a discard, which would lose what is typed now. */
  show_title_error (self, NULL);
  clear_discarded (self);
  update_save_button (self);
  journal_open_draft (self);
}

static void
title_activate_cb (AaNoteEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
notes_changed_cb (AaNoteEditor *self)
{
  if (self->loading)
    return;

  clear_discarded (self);
  update_save_button (self);
  journal_open_draft (self);
}

/* A draft the journal kept from an earlier run becomes this run's: the
 * fields it differs in count as touched. */
static void
adopt_kept_draft (AaNoteEditor *self,
                  AaItem       *item)
{
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;
  Draft *draft;
  gint64 based_on = -1;

  if (self->manager == NULL || !aa_action_manager_has_draft (self->manager, item) ||
      !aa_action_manager_lookup_draft (self->manager, item, &title, &notes, &based_on))
    return;

  draft = g_new0 (Draft, 1);
  draft->title = g_steal_pointer (&title);
  draft->notes = g_steal_pointer (&notes);
  draft->loaded_title = g_strdup (aa_item_get_title (item));
  draft->loaded_notes = g_strdup (aa_item_get_notes (item));
  draft->based_on = based_on;
  g_hash_table_replace (self->drafts, g_object_ref (item), draft);
}

static void
aa_note_editor_dispose (GObject *object)
{
  AaNoteEditor *self = AA_NOTE_EDITOR (object);
  GtkWidget *child;

  aa_note_editor_set_item (self, NULL);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_handle_id (&self->discarded_timeout, g_source_remove);
  g_clear_pointer (&self->discarded, discarded_free);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_NOTE_EDITOR);
  /* The template's top box is not bound, so it is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aa_note_editor_parent_class)->dispose (object);
}

static void
aa_note_editor_finalize (GObject *object)
{
  AaNoteEditor *self = AA_NOTE_EDITOR (object);

  g_free (self->loaded_title);
  g_free (self->loaded_notes);
  g_hash_table_unref (self->drafts);

  G_OBJECT_CLASS (aa_note_editor_parent_class)->finalize (object);
}

static void
aa_note_editor_class_init (AaNoteEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_note_editor_dispose;
  object_class->finalize = aa_note_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-note-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, conflict_banner);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, conflict_keep_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, conflict_discard_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, elsewhere_banner);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, elsewhere_keep_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, elsewhere_discard_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, discarded_banner);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, undo_discard_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, title_entry);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, title_error);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, save_label);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_activate_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.keep-mine", NULL, keep_mine_action);
  gtk_widget_class_install_action (widget_class, "editor.discard-mine", NULL, discard_mine_action);
  gtk_widget_class_install_action (widget_class, "editor.undo-discard", NULL, undo_discard_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_note_editor_init (AaNoteEditor *self)
{
  self->drafts = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) draft_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Until a note's discarded text names it. */
  name_button (self->undo_discard_button, _("Undo Discarding My Changes"));

  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->notes_view)), "changed",
                           G_CALLBACK (notes_changed_cb), self, G_CONNECT_SWAPPED);
  show_conflict (self, NULL);
  self->loaded_version = self->kept_version = -1;
  show_elsewhere (self, FALSE);
  update_save_button (self);
}

GtkWidget *
aa_note_editor_new (void)
{
  return g_object_new (AA_TYPE_NOTE_EDITOR, NULL);
}

void
aa_note_editor_set_manager (AaNoteEditor    *self,
                            AaActionManager *manager)
{
  g_return_if_fail (AA_IS_NOTE_EDITOR (self));
  g_return_if_fail (manager == NULL || AA_IS_ACTION_MANAGER (manager));

  g_set_object (&self->manager, manager);
}

AaItem *
aa_note_editor_get_item (AaNoteEditor *self)
{
  g_return_val_if_fail (AA_IS_NOTE_EDITOR (self), NULL);

  return self->item;
}

void
aa_note_editor_set_item (AaNoteEditor *self,
                         AaItem       *item)
{
  g_return_if_fail (AA_IS_NOTE_EDITOR (self));
  g_return_if_fail (item == NULL || AA_IS_ITEM (item));

  if (self->item == item)
    return;

  /* Leaving a note keeps what was typed in it, for its return; the Undo
   * of a discard was about that note. */
  clear_discarded (self);
  stash_draft (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  /* A reload still on its way was for the other note. */
  g_cancellable_cancel (self->reload_cancellable);
  self->reloading = FALSE;
  set_save (self, NULL);
  g_set_object (&self->item, item);

  if (item != NULL) {
    g_signal_connect_swapped (item, "notify::title", G_CALLBACK (item_title_changed_cb), self);
    g_signal_connect_swapped (item, "notify::notes", G_CALLBACK (item_notes_changed_cb), self);
  }

  show_title_error (self, NULL);
  show_conflict (self, NULL);
  if (item != NULL && !g_hash_table_contains (self->drafts, item))
    adopt_kept_draft (self, item);
  if (item != NULL && g_hash_table_contains (self->drafts, item))
    restore_draft (self);
  else
    load_fields (self);
}

GPtrArray *
aa_note_editor_list_drafts (AaNoteEditor *self)
{
  GPtrArray *drafts = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer item;

  g_return_val_if_fail (AA_IS_NOTE_EDITOR (self), drafts);

  if (is_dirty (self))
    g_ptr_array_add (drafts, g_object_ref (self->item));

  /* A note deleted since is gone on purpose, its draft with it. */
  g_hash_table_iter_init (&iter, self->drafts);
  while (g_hash_table_iter_next (&iter, &item, NULL)) {
    if (!aa_item_get_trashed (item))
      g_ptr_array_add (drafts, g_object_ref (item));
  }

  /* And those kept from an earlier run, not opened since. */
  if (self->manager != NULL) {
    g_autoptr(GPtrArray) kept = aa_action_manager_list_kept_drafts (self->manager);

    for (guint i = 0; i < kept->len; i++) {
      AaItem *other = g_ptr_array_index (kept, i);

      if (other != self->item && !g_hash_table_contains (self->drafts, other) && !aa_item_get_trashed (other))
        g_ptr_array_add (drafts, g_object_ref (other));
    }
  }

  return drafts;
}

gboolean
aa_note_editor_has_draft (AaNoteEditor *self,
                          AaItem       *item)
{
  return g_hash_table_contains (self->drafts, item) ||
         (self->manager != NULL && item != self->item && aa_action_manager_has_draft (self->manager, item));
}

void
aa_note_editor_focus_title (AaNoteEditor *self)
{
  g_return_if_fail (AA_IS_NOTE_EDITOR (self));

  gtk_widget_grab_focus (self->title_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->title_entry), 0, -1);
}

GtkWidget *
aa_note_editor_get_title_entry (AaNoteEditor *self)
{
  return self->title_entry;
}

GtkWidget *
aa_note_editor_get_title_error (AaNoteEditor *self)
{
  return self->title_error;
}

GtkWidget *
aa_note_editor_get_notes_view (AaNoteEditor *self)
{
  return self->notes_view;
}

GtkWidget *
aa_note_editor_get_save_button (AaNoteEditor *self)
{
  return self->save_button;
}

GtkWidget *
aa_note_editor_get_save_label (AaNoteEditor *self)
{
  return self->save_label;
}

GtkWidget *
aa_note_editor_get_save_spinner (AaNoteEditor *self)
{
  return self->save_spinner;
}

GtkWidget *
aa_note_editor_get_conflict_banner (AaNoteEditor *self)
{
  return self->conflict_banner;
}

