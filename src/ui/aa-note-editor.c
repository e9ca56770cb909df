#define G_LOG_DOMAIN "aa-note-editor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-note-editor-private.h"
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

struct _AaNoteEditor
{
  GtkWidget        parent_instance;

  GtkWidget       *conflict_banner;
  GtkWidget       *conflict_label;
  GtkWidget       *reload_button;
  GtkWidget       *elsewhere_banner;
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

static void
show_conflict (AaNoteEditor *self,
               const char   *message)
{
  if (message != NULL)
    gtk_label_set_text (GTK_LABEL (self->conflict_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->conflict_banner), message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reload-latest", message != NULL);
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
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->elsewhere_banner), changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-editing", changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.show-theirs", changed);
}

/* A field the user touched did not follow the item: if that was a change
 * made elsewhere (a newer version, not our own save), say so inline. */
static void
check_changed_elsewhere (AaNoteEditor *self)
{
  if (is_saving (self) || aa_item_get_version (self->item) <= self->loaded_version)
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
  self->loaded_version = aa_item_get_version (self->item);
  self->kept_version = -1;
  show_elsewhere (self, FALSE);

  /* Changed elsewhere while it waited as a draft: said as for an open note,
   * and a save meets the conflict over the version the text is based on. */
  if ((title_touched || notes_touched) && draft->based_on < self->loaded_version) {
    self->kept_version = draft->based_on;
    show_elsewhere (self, TRUE);
  }
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
    /* What was saved is now what the fields were loaded with. */
    g_free (self->loaded_title);
    self->loaded_title = g_strdup (aa_item_get_title (self->item));
    g_free (self->loaded_notes);
    self->loaded_notes = g_strdup (aa_item_get_notes (self->item));
    self->loaded_version = aa_item_get_version (self->item);
    self->kept_version = -1;
  } else if (state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK) {
    /* Input failures are ours to show; other failures get a toast from
     * the window. */
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

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AaNoteEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_action_manager_reload_item_finish (AA_ACTION_MANAGER (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Couldn’t load the latest version. %s"), aa_error_get_next_step (error));
      show_conflict (self, message);
      gtk_widget_set_sensitive (self->reload_button, TRUE);
    }
    return;
  }

  /* The user chose the server's version over what they typed. */
  gtk_widget_set_sensitive (self->reload_button, TRUE);
  show_conflict (self, NULL);
  show_title_error (self, NULL);
  load_fields (self);
}

static void
reload_latest_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AaNoteEditor *self = AA_NOTE_EDITOR (widget);

  if (self->item == NULL || self->manager == NULL)
    return;

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  gtk_widget_set_sensitive (self->reload_button, FALSE);
  aa_action_manager_reload_item_async (self->manager, self->item, self->reload_cancellable,
                                       reload_cb, g_object_ref (self));
}

static void
keep_editing_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  /* The text stays, based on the version it was written against. */
  show_elsewhere (AA_NOTE_EDITOR (widget), FALSE);
}

static void
show_theirs_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AaNoteEditor *self = AA_NOTE_EDITOR (widget);

  show_title_error (self, NULL);
  load_fields (self);
}

static void
title_changed_cb (AaNoteEditor *self)
{
  if (self->loading)
    return;

  /* The user is fixing it: the error has said its piece. */
  show_title_error (self, NULL);
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
  if (!self->loading) {
    update_save_button (self);
    journal_open_draft (self);
  }
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
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, reload_button);
  gtk_widget_class_bind_template_child (widget_class, AaNoteEditor, elsewhere_banner);
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
  gtk_widget_class_install_action (widget_class, "editor.reload-latest", NULL, reload_latest_action);
  gtk_widget_class_install_action (widget_class, "editor.keep-editing", NULL, keep_editing_action);
  gtk_widget_class_install_action (widget_class, "editor.show-theirs", NULL, show_theirs_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_note_editor_init (AaNoteEditor *self)
{
  self->drafts = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) draft_free);
  gtk_widget_init_template (GTK_WIDGET (self));

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

  /* Leaving a note keeps what was typed in it, for its return. */
  stash_draft (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  /* A reload still on its way was for the other note; its callback is
   * not the one to give the button back. */
  g_cancellable_cancel (self->reload_cancellable);
  gtk_widget_set_sensitive (self->reload_button, TRUE);
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

GtkWidget *
aa_note_editor_get_reload_button (AaNoteEditor *self)
{
  return self->reload_button;
}
