/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-quit-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-ui.h"
#include "aa-quit-dialog.h"

struct _AaQuitDialog
{
  AdwMessageDialog parent_instance;

  GtkWidget       *spinner;
  GtkWidget       *list;
  GtkWidget       *warning_label;
  GtkWidget       *retry_button;

  AaActionManager *manager;
  /* The notes with edits typed and not saved (AaItem): they are not the
   * engine's to settle, so the dialog waits for the user about them. */
  GPtrArray       *drafts;
  GTask           *task;
  gulong           cancelled_id;
};

G_DEFINE_FINAL_TYPE (AaQuitDialog, aa_quit_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_SAVE_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The caller's task, no longer waiting on its cancellable, or NULL once
 * answered. */
static GTask *
steal_task (AaQuitDialog *self)
{
  GTask *task = g_steal_pointer (&self->task);

  if (task != NULL && self->cancelled_id != 0) {
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
    self->cancelled_id = 0;
  }

  return task;
}

/* Answered: what changes no longer reads anew. */
static void
stop_following (AaQuitDialog *self)
{
  g_signal_handlers_disconnect_by_data (self->manager, self);
  g_signal_handlers_disconnect_by_data (aa_action_manager_get_engine (self->manager), self);
}

static void
finish (AaQuitDialog *self,
        gboolean      quit)
{
  g_autoptr(GTask) task = steal_task (self);

  if (task == NULL)
    return;

  stop_following (self);
  gtk_window_destroy (GTK_WINDOW (self));
  g_task_return_boolean (task, quit);
}

/* GTK 4.8 keeps a plain pointer to the parent, and the pending task holds
 * the dialog: leave with the parent, answering "stay", before it goes. */
static void
parent_destroy_cb (AaQuitDialog *self)
{
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  finish (self, FALSE);
}

static gboolean
is_failed (AaMutation *mutation)
{
  return !aa_mutation_is_pending (mutation);
}

/* What each row says holds for its change; the one place that decides. */
typedef enum {
  LINE_SENDING,
  LINE_WAITING,
  LINE_CHECKING,
  /* Of unknown outcome, and nothing can find out (aa_engine_can_dismiss()). */
  LINE_UNKNOWN,
  LINE_FAILED,
  LINE_DRAFT,
  N_LINES
} Line;

static Line
line_of (AaQuitDialog *self,
         AaMutation   *mutation)
{
  switch (aa_mutation_get_state (mutation)) {
  case AA_MUTATION_STATE_WAITING:
    return LINE_WAITING;
  case AA_MUTATION_STATE_UNKNOWN:
    return aa_engine_can_dismiss (aa_action_manager_get_engine (self->manager), mutation) ? LINE_UNKNOWN
                                                                                         : LINE_CHECKING;
  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_SENT:
    return LINE_SENDING;
  case AA_MUTATION_STATE_SUCCEEDED:
  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    return LINE_FAILED;
  }
}

static const char *
line_state (Line line)
{
  switch (line) {
  case LINE_SENDING:
    return _("Sending…");
  case LINE_WAITING:
    return _("Waiting to be sent");
  case LINE_CHECKING:
    return _("Being checked");
  case LINE_UNKNOWN:
    return _("Outcome unknown");
  case LINE_FAILED:
    return _("Failed");
  case LINE_DRAFT:
    return _("Not saved");
  case N_LINES:
  default:
    g_return_val_if_reached (NULL);
  }
}

static void
save_clicked_cb (GtkButton    *button,
                 AaQuitDialog *self)
{
  AaItem *item = g_object_get_data (G_OBJECT (button), "aa-item");

  g_signal_emit (self, signals[SIGNAL_SAVE_DRAFT], 0, item);
}

static GtkWidget *
create_row (AaQuitDialog *self,
            const char   *text,
            const char   *details,
            Line          line,
            AaItem       *draft)
{
  GtkWidget *row = adw_action_row_new ();
  const char *state_text = line_state (line);
  GtkWidget *state = gtk_label_new (state_text);
  g_autofree char *description = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  if (details != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);
  gtk_widget_add_css_class (state, "caption");
  gtk_widget_add_css_class (state, line == LINE_FAILED || line == LINE_DRAFT ? "failed" : "pending");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  gtk_widget_add_css_class (row, "quit-line");

  /* Typed text is the user's to save, from here too. */
  if (draft != NULL) {
    GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
    g_autofree char *name = g_strdup_printf (_("Save the edits to “%s”"), aa_item_get_title (draft));

    gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
    gtk_accessible_update_property (GTK_ACCESSIBLE (save), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    g_object_set_data_full (G_OBJECT (save), "aa-item", g_object_ref (draft), g_object_unref);
    g_signal_connect_object (save, "clicked", G_CALLBACK (save_clicked_cb), self, 0);
    gtk_widget_add_css_class (save, "quit-save");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), save);
  }

  /* Read as one line: "Edits to “Groceries”, Not saved". */
  description = details != NULL ? g_strdup_printf ("%s. %s", state_text, details) : g_strdup (state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  g_object_set_data (G_OBJECT (row), "aa-line", GINT_TO_POINTER (line));

  return row;
}

/* The rows saying what holds for each change not on the server yet: each
 * unsettled change with what really happens to it, then each note with
 * unsaved edits. Two changes that would read the same are one row. Counts
 * the rows of each kind; the heading's count is their sum. */
static void
build_rows (AaQuitDialog *self,
            GPtrArray    *unsettled,
            gboolean      kept,
            guint         n_lines[N_LINES])
{
  guint n_drafts = self->drafts != NULL ? self->drafts->len : 0;
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWidget *child;

  for (guint i = 0; i < N_LINES; i++)
    n_lines[i] = 0;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);

  for (guint i = 0; i < unsettled->len; i++) {
    AaMutation *mutation = g_ptr_array_index (unsettled, i);
    Line line = line_of (self, mutation);
    const char *details = NULL;
    char *key;

    switch (line) {
    case LINE_WAITING:
      details = kept ? _("Will be sent next time you open the app")
                     : _("Lost if you quit before the server is back");
      break;
    case LINE_CHECKING:
    case LINE_UNKNOWN:
    case LINE_FAILED:
      /* The engine's own words: "not confirmed yet…", or what failed and
       * what to do. */
      details = aa_mutation_get_message (mutation);
      break;
    case LINE_SENDING:
    case LINE_DRAFT:
    case N_LINES:
    default:
      break;
    }

    key = g_strdup_printf ("%s\n%d", aa_mutation_get_label (mutation), line);
    if (!g_hash_table_add (shown, key))
      continue;

    n_lines[line]++;
    gtk_list_box_append (GTK_LIST_BOX (self->list),
                         create_row (self, aa_mutation_get_label (mutation), details, line, NULL));
  }

  for (guint i = 0; i < n_drafts; i++) {
    AaItem *item = g_ptr_array_index (self->drafts, i);
    g_autofree char *text = g_strdup_printf (_("Edits to “%s”"), aa_item_get_title (item));

    n_lines[LINE_DRAFT]++;
    gtk_list_box_append (GTK_LIST_BOX (self->list),
                         create_row (self, text, _("Typed here and not saved yet"), LINE_DRAFT, item));
  }
}

static void
update (AaQuitDialog *self)
{
  g_autoptr(GPtrArray) unsettled = aa_action_manager_list_unsettled (self->manager);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  const char *warning = NULL;
  guint n_lines[N_LINES];
  guint n_rows = 0;
  guint n_drafts = self->drafts != NULL ? self->drafts->len : 0;
  /* The journal keeps what is unsettled and what is typed across the
   * quit: what waits is sent, what is being checked is checked, what
   * failed can be retried and the edits are back, next time. */
  gboolean kept = aa_action_manager_get_journal (self->manager) != NULL;
  gboolean safe;

  /* Everything the server was to confirm, it confirmed, and nothing typed
   * waits for a save: quit as asked. */
  if (unsettled->len == 0 && n_drafts == 0) {
    finish (self, TRUE);
    return;
  }

  build_rows (self, unsettled, kept, n_lines);
  for (guint i = 0; i < N_LINES; i++)
    n_rows += n_lines[i];

  /* Its count is its number of rows, whatever they are. */
  if (n_lines[LINE_SENDING] == n_rows)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Finishing %u Change…",
                                            "Finishing %u Changes…", n_rows), n_rows);
  else if (n_lines[LINE_DRAFT] == n_rows)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u Note Has Unsaved Edits",
                                            "%u Notes Have Unsaved Edits", n_rows), n_rows);
  else if (n_lines[LINE_FAILED] == n_rows)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u Change Was Not Saved",
                                            "%u Changes Were Not Saved", n_rows), n_rows);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u Change Not on the Server Yet",
                                            "%u Changes Not on the Server Yet", n_rows), n_rows);

  /* What holds for each kind of row, one sentence each. */
  if (n_lines[LINE_SENDING] > 0)
    g_string_append (body, _("Async Actions quits by itself as soon as the server has confirmed what is being sent."));
  if (n_lines[LINE_WAITING] > 0) {
    if (body->len > 0)
      g_string_append_c (body, ' ');
    g_string_append (body, kept ? _("The server can’t be reached: what waits is kept, and sent next time you open the app.")
                                : _("The server can’t be reached: what waits is lost if you quit before it is back."));
  }
  if (n_lines[LINE_CHECKING] > 0) {
    if (body->len > 0)
      g_string_append_c (body, ' ');
    g_string_append (body, kept ? _("The answer to what is being checked was lost; the app finds out whether the server has it, "
                                    "next time you open it if you quit now.")
                                : _("The answer to what is being checked was lost; quit now and the app can’t find out "
                                    "whether the server has it."));
  }
  if (n_lines[LINE_UNKNOWN] > 0) {
    if (body->len > 0)
      g_string_append_c (body, ' ');
    g_string_append (body, _("The app can’t find out whether the server has what is not confirmed: reload to see."));
  }
  if (n_lines[LINE_FAILED] > 0) {
    if (body->len > 0)
      g_string_append_c (body, ' ');
    g_string_append (body, kept ? _("What failed is kept: retry it now, or next time you open the app.")
                                : _("The server doesn’t have what failed: retry it, or it is lost."));
  }
  if (n_lines[LINE_DRAFT] > 0) {
    if (body->len > 0)
      g_string_append_c (body, ' ');
    g_string_append (body, kept ? _("The edits are kept: save them now, or find them again next time you open the note.")
                                : _("Save the edits (Ctrl+S), or quit without them."));
  }

  /* Without the journal, quitting loses what waits, what failed and what
   * is typed and not saved. */
  safe = kept || (n_lines[LINE_WAITING] == 0 && n_lines[LINE_FAILED] == 0 && n_lines[LINE_DRAFT] == 0);
  if (safe)
    warning = _("Nothing will be lost if you quit now.");
  else
    warning = _("Quit Anyway loses what the server doesn’t have.");

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body->str);
  gtk_label_set_text (GTK_LABEL (self->warning_label), warning);
  if (safe)
    gtk_widget_remove_css_class (self->warning_label, "quit-warning");
  else
    gtk_widget_add_css_class (self->warning_label, "quit-warning");
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "quit", safe ? _("_Quit") : _("_Quit Anyway"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "quit",
                                              safe ? ADW_RESPONSE_DEFAULT : ADW_RESPONSE_DESTRUCTIVE);
  gtk_widget_set_visible (self->spinner, n_lines[LINE_SENDING] + n_lines[LINE_CHECKING] > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), n_lines[LINE_SENDING] + n_lines[LINE_CHECKING] > 0);
  gtk_widget_set_visible (self->retry_button, n_lines[LINE_FAILED] > 0);
}

static void
retry_failed (AaQuitDialog *self)
{
  g_autoptr(GPtrArray) unsettled = aa_action_manager_list_unsettled (self->manager);

  /* Oldest first, as they were made. */
  for (guint i = unsettled->len; i > 0; i--) {
    AaMutation *mutation = g_ptr_array_index (unsettled, i - 1);

    if (is_failed (mutation))
      aa_action_manager_retry (self->manager, mutation);
  }

  update (self);
}

void
aa_quit_dialog_response (AaQuitDialog *self,
                         const char   *response)
{
  g_return_if_fail (AA_IS_QUIT_DIALOG (self));
  g_return_if_fail (response != NULL);

  if (g_str_equal (response, "retry"))
    retry_failed (self);
  else
    finish (self, g_str_equal (response, "quit"));
}

/* AdwMessageDialog closes itself on a response: the task answers then. */
static void
response_cb (AaQuitDialog *self,
             const char   *response)
{
  g_autoptr(GTask) task = steal_task (self);

  if (task == NULL)
    return;

  stop_following (self);
  g_task_return_boolean (task, g_strcmp0 (response, "quit") == 0);
}

static void
retry_clicked_cb (AaQuitDialog *self)
{
  retry_failed (self);
  /* The button may have gone with what failed. */
  if (self->task != NULL && !gtk_widget_get_visible (self->retry_button))
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
aa_quit_dialog_constructed (GObject *object)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);
  AaEngine *engine;

  G_OBJECT_CLASS (aa_quit_dialog_parent_class)->constructed (object);

  if (self->manager == NULL)
    return;

  engine = aa_action_manager_get_engine (self->manager);
  /* A change that starts or stops waiting, or being checked, reads anew. */
  g_signal_connect_object (engine, "notify::n-pending", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-failed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-waiting", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-unknown", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

static void
aa_quit_dialog_dispose (GObject *object)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);
  g_autoptr(GTask) task = steal_task (self);

  if (self->manager != NULL)
    stop_following (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_QUIT_DIALOG);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->drafts, g_ptr_array_unref);

  /* Destroyed unanswered (with its window): the caller still gets its
   * answer, and staying loses nothing. */
  if (task != NULL)
    g_task_return_boolean (task, FALSE);

  G_OBJECT_CLASS (aa_quit_dialog_parent_class)->dispose (object);
}

static void
aa_quit_dialog_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_quit_dialog_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);

  switch (prop_id) {
  case PROP_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_quit_dialog_class_init (AaQuitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aa_quit_dialog_constructed;
  object_class->dispose = aa_quit_dialog_dispose;
  object_class->get_property = aa_quit_dialog_get_property;
  object_class->set_property = aa_quit_dialog_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The Save of a draft's row: the window saves the note's edits (the
   * dialog doesn't hold them), then calls aa_quit_dialog_set_drafts(). */
  signals[SIGNAL_SAVE_DRAFT] =
    g_signal_new ("save-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AA_TYPE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-quit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AaQuitDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AaQuitDialog, list);
  gtk_widget_class_bind_template_child (widget_class, AaQuitDialog, warning_label);
  gtk_widget_class_bind_template_child (widget_class, AaQuitDialog, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
aa_quit_dialog_init (AaQuitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));
}

AaQuitDialog *
aa_quit_dialog_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_QUIT_DIALOG, "manager", manager, NULL);
}

void
aa_quit_dialog_choose_async (AaQuitDialog        *self,
                             GtkWindow           *parent,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (AA_IS_QUIT_DIALOG (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (self->manager != NULL);
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, aa_quit_dialog_choose_async);

  self->cancelled_id = aa_ui_close_when_cancelled (GTK_WINDOW (self), cancellable);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (parent_destroy_cb), self, G_CONNECT_SWAPPED);
  update (self);

  /* Everything may have settled already. */
  if (self->task != NULL)
    gtk_window_present (GTK_WINDOW (self));
}

void
aa_quit_dialog_set_drafts (AaQuitDialog *self,
                           GPtrArray    *drafts)
{
  g_return_if_fail (AA_IS_QUIT_DIALOG (self));

  g_clear_pointer (&self->drafts, g_ptr_array_unref);
  if (drafts != NULL)
    self->drafts = g_ptr_array_ref (drafts);
  /* Shown already: what it says follows. */
  if (self->task != NULL)
    update (self);
}

gboolean
aa_quit_dialog_choose_finish (AaQuitDialog  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (AA_IS_QUIT_DIALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GtkWidget *
aa_quit_dialog_get_list (AaQuitDialog *self)
{
  return self->list;
}

GtkWidget *
aa_quit_dialog_get_retry_button (AaQuitDialog *self)
{
  return self->retry_button;
}
