#define G_LOG_DOMAIN "aa-quit-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

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

static void
finish (AaQuitDialog *self,
        gboolean      quit)
{
  g_autoptr(GTask) task = steal_task (self);

  if (task == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->manager, self);
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

static GtkWidget *
create_row (const char *text,
            const char *state_text,
            gboolean    failed)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (state_text);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (state, "caption");
  gtk_widget_add_css_class (state, failed ? "failed" : "pending");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  gtk_widget_add_css_class (row, "quit-line");
  /* Read as one line: "Edits to “Groceries”, Not saved". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state_text, -1);

  return row;
}

/* The rows saying what would be lost: each unsettled change with its
 * state, then each note with unsaved edits. Counts them for the heading.
 * The one place that decides which states are listed. */
static void
build_rows (AaQuitDialog *self,
            GPtrArray    *unsettled,
            guint        *out_pending,
            guint        *out_failed)
{
  guint n_drafts = self->drafts != NULL ? self->drafts->len : 0;
  GtkWidget *child;

  *out_pending = *out_failed = 0;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);

  for (guint i = 0; i < unsettled->len; i++) {
    AaMutation *mutation = g_ptr_array_index (unsettled, i);

    if (is_failed (mutation))
      (*out_failed)++;
    else
      (*out_pending)++;
    gtk_list_box_append (GTK_LIST_BOX (self->list),
                         create_row (aa_mutation_get_label (mutation),
                                     aa_mutation_state_get_label (aa_mutation_get_state (mutation)),
                                     is_failed (mutation)));
  }

  for (guint i = 0; i < n_drafts; i++) {
    AaItem *item = g_ptr_array_index (self->drafts, i);
    g_autofree char *text = g_strdup_printf (_("Edits to “%s”"), aa_item_get_title (item));

    gtk_list_box_append (GTK_LIST_BOX (self->list), create_row (text, _("Not saved"), TRUE));
  }
}

static void
update (AaQuitDialog *self)
{
  g_autoptr(GPtrArray) unsettled = aa_action_manager_list_unsettled (self->manager);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *warning = NULL;
  guint n_pending = 0;
  guint n_failed = 0;
  guint n_drafts = self->drafts != NULL ? self->drafts->len : 0;

  /* Everything the server was to confirm, it confirmed, and nothing typed
   * waits for a save: quit as asked. */
  if (unsettled->len == 0 && n_drafts == 0) {
    finish (self, TRUE);
    return;
  }

  build_rows (self, unsettled, &n_pending, &n_failed);

  if (n_pending > 0) {
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Finishing %u Change…",
                                            "Finishing %u Changes…", n_pending), n_pending);
    if (n_failed == 0)
      body = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                    "Async Actions quits as soon as the server has confirmed it.",
                                    "Async Actions quits as soon as the server has confirmed them.",
                                    n_pending));
    else
      body = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                    "The server is confirming it. What failed needs a retry, or it is lost.",
                                    "The server is confirming them. What failed needs a retry, or it is lost.",
                                    n_pending));
  } else if (n_failed == 0) {
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u Note Has Unsaved Edits",
                                            "%u Notes Have Unsaved Edits", n_drafts), n_drafts);
    body = g_strdup (_("Keep the window open to save the edits (Ctrl+S), or quit without them."));
  } else {
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u Change Was Not Saved",
                                            "%u Changes Were Not Saved", n_failed), n_failed);
    body = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                  "It failed and was not retried. Retry it, or quit without it.",
                                  "They failed and were not retried. Retry them, or quit without them.",
                                  n_failed));
  }

  warning = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                   "Quit Anyway loses the change listed: the server does not have it.",
                                   "Quit Anyway loses the changes listed: the server does not have them.",
                                   unsettled->len + n_drafts));

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_label_set_text (GTK_LABEL (self->warning_label), warning);
  gtk_widget_set_visible (self->spinner, n_pending > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), n_pending > 0);
  gtk_widget_set_visible (self->retry_button, n_failed > 0);
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

  g_signal_handlers_disconnect_by_data (self->manager, self);
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

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              AaQuitDialog *self)
{
  /* Not from inside the cancellable's handler: it is disconnected there. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
aa_quit_dialog_constructed (GObject *object)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);

  G_OBJECT_CLASS (aa_quit_dialog_parent_class)->constructed (object);

  if (self->manager == NULL)
    return;

  g_signal_connect_swapped (self->manager, "notify::n-pending", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->manager, "notify::n-failed", G_CALLBACK (update), self);
}

static void
aa_quit_dialog_dispose (GObject *object)
{
  AaQuitDialog *self = AA_QUIT_DIALOG (object);
  g_autoptr(GTask) task = steal_task (self);

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
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

  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

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
  g_return_if_fail (self->task == NULL);

  g_clear_pointer (&self->drafts, g_ptr_array_unref);
  if (drafts != NULL)
    self->drafts = g_ptr_array_ref (drafts);
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
