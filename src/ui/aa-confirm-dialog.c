#define G_LOG_DOMAIN "aa-confirm-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-confirm-dialog.h"

typedef struct {
  char                 *id;
  GtkWidget            *button;
  AaResponseAppearance  appearance;
} Response;

struct _AaConfirmDialog
{
  GtkWindow     parent_instance;

  GtkWidget    *heading_label;
  GtkWidget    *body_label;
  GtkWidget    *response_box;

  GPtrArray    *responses; /* Response */
  char         *default_response;
  char         *close_response;

  /* While choose_async() waits. */
  GTask        *task;
  gulong        cancelled_id;
  gboolean      answered;
};

G_DEFINE_FINAL_TYPE (AaConfirmDialog, aa_confirm_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_HEADING,
  PROP_BODY,
  PROP_DEFAULT_RESPONSE,
  PROP_CLOSE_RESPONSE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
response_free (Response *response)
{
  g_free (response->id);
  g_free (response);
}

static Response *
find_response (AaConfirmDialog *self,
               const char      *id)
{
  for (guint i = 0; i < self->responses->len; i++) {
    Response *response = g_ptr_array_index (self->responses, i);

    if (g_strcmp0 (response->id, id) == 0)
      return response;
  }

  return NULL;
}

static void
update_default (AaConfirmDialog *self)
{
  Response *response = find_response (self, self->default_response);

  gtk_window_set_default_widget (GTK_WINDOW (self), response != NULL ? response->button : NULL);
}

static void
response_clicked_cb (GtkButton       *button,
                     AaConfirmDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "aa-response-id");

  aa_confirm_dialog_response (self, id);
}

/* Returns @id to the caller of choose_async(), once. */
static gboolean
answer (AaConfirmDialog *self,
        const char      *id)
{
  g_autoptr(GTask) task = NULL;

  if (self->answered || self->task == NULL)
    return FALSE;

  self->answered = TRUE;
  task = g_steal_pointer (&self->task);
  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  g_task_return_pointer (task, g_strdup (id), g_free);

  return TRUE;
}

/* Destroyed unanswered (with its parent, say): the pending task holds a
 * reference on the dialog, so dispose would never come. Give the caller the
 * safe answer here, which also breaks that cycle. */
static void
aa_confirm_dialog_unrealize (GtkWidget *widget)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (widget);

  answer (self, self->close_response);

  GTK_WIDGET_CLASS (aa_confirm_dialog_parent_class)->unrealize (widget);
}

static void
parent_destroy_cb (AaConfirmDialog *self)
{
  answer (self, self->close_response);
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
aa_confirm_dialog_close_request (GtkWindow *window)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (window);

  if (!self->answered && self->task != NULL) {
    aa_confirm_dialog_response (self, self->close_response);
    return TRUE;
  }

  return GTK_WINDOW_CLASS (aa_confirm_dialog_parent_class)->close_request (window);
}

static void
aa_confirm_dialog_map (GtkWidget *widget)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (widget);
  Response *response;

  GTK_WIDGET_CLASS (aa_confirm_dialog_parent_class)->map (widget);

  /* Focus starts on the default response, or else on the safe way out. */
  response = find_response (self, self->default_response);
  if (response == NULL)
    response = find_response (self, self->close_response);
  if (response != NULL)
    gtk_widget_grab_focus (response->button);
}

static void
aa_confirm_dialog_dispose (GObject *object)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (object);

  answer (self, self->close_response);

  G_OBJECT_CLASS (aa_confirm_dialog_parent_class)->dispose (object);
}

static void
aa_confirm_dialog_finalize (GObject *object)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (object);

  g_clear_pointer (&self->responses, g_ptr_array_unref);
  g_clear_pointer (&self->default_response, g_free);
  g_clear_pointer (&self->close_response, g_free);

  G_OBJECT_CLASS (aa_confirm_dialog_parent_class)->finalize (object);
}

static void
aa_confirm_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (object);

  switch (prop_id) {
  case PROP_HEADING:
    g_value_set_string (value, aa_confirm_dialog_get_heading (self));
    break;
  case PROP_BODY:
    g_value_set_string (value, aa_confirm_dialog_get_body (self));
    break;
  case PROP_DEFAULT_RESPONSE:
    g_value_set_string (value, self->default_response);
    break;
  case PROP_CLOSE_RESPONSE:
    g_value_set_string (value, self->close_response);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_confirm_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AaConfirmDialog *self = AA_CONFIRM_DIALOG (object);

  switch (prop_id) {
  case PROP_HEADING:
    aa_confirm_dialog_set_heading (self, g_value_get_string (value));
    break;
  case PROP_BODY:
    aa_confirm_dialog_set_body (self, g_value_get_string (value));
    break;
  case PROP_DEFAULT_RESPONSE:
    aa_confirm_dialog_set_default_response (self, g_value_get_string (value));
    break;
  case PROP_CLOSE_RESPONSE:
    aa_confirm_dialog_set_close_response (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_confirm_dialog_class_init (AaConfirmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = aa_confirm_dialog_dispose;
  object_class->finalize = aa_confirm_dialog_finalize;
  object_class->get_property = aa_confirm_dialog_get_property;
  object_class->set_property = aa_confirm_dialog_set_property;

  widget_class->map = aa_confirm_dialog_map;
  widget_class->unrealize = aa_confirm_dialog_unrealize;
  window_class->close_request = aa_confirm_dialog_close_request;

  props[PROP_HEADING] =
    g_param_spec_string ("heading", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_DEFAULT_RESPONSE] =
    g_param_spec_string ("default-response", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_CLOSE_RESPONSE] =
    g_param_spec_string ("close-response", NULL, NULL,
                         "cancel",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-confirm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AaConfirmDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, AaConfirmDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, AaConfirmDialog, response_box);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT_DIALOG);
}

static void
aa_confirm_dialog_init (AaConfirmDialog *self)
{
  self->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) response_free);
  self->close_response = g_strdup ("cancel");

  gtk_widget_init_template (GTK_WIDGET (self));
}

AaConfirmDialog *
aa_confirm_dialog_new (const char *heading,
                       const char *body)
{
  return g_object_new (AA_TYPE_CONFIRM_DIALOG,
                       "heading", heading,
                       "body", body,
                       NULL);
}

AaConfirmDialog *
aa_confirm_dialog_new_for_confirmation (const AaConfirmation *confirmation)
{
  AaConfirmDialog *self;

  g_return_val_if_fail (confirmation != NULL, NULL);

  self = aa_confirm_dialog_new (confirmation->heading, confirmation->body);
  aa_confirm_dialog_add_response (self, "cancel", _("_Cancel"));
  aa_confirm_dialog_add_response (self, "confirm", confirmation->confirm_label);
  aa_confirm_dialog_set_close_response (self, "cancel");

  /* A destructive choice is never the default: Enter must not destroy. */
  if (confirmation->destructive) {
    aa_confirm_dialog_set_response_appearance (self, "confirm", AA_RESPONSE_DESTRUCTIVE);
  } else {
    aa_confirm_dialog_set_response_appearance (self, "confirm", AA_RESPONSE_SUGGESTED);
    aa_confirm_dialog_set_default_response (self, "confirm");
  }

  return self;
}

const char *
aa_confirm_dialog_get_heading (AaConfirmDialog *self)
{
  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->heading_label));
}

void
aa_confirm_dialog_set_heading (AaConfirmDialog *self,
                               const char      *heading)
{
  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));

  if (g_strcmp0 (heading, aa_confirm_dialog_get_heading (self)) == 0)
    return;

  gtk_label_set_label (GTK_LABEL (self->heading_label), heading);
  gtk_window_set_title (GTK_WINDOW (self), heading);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HEADING]);
}

const char *
aa_confirm_dialog_get_body (AaConfirmDialog *self)
{
  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->body_label));
}

void
aa_confirm_dialog_set_body (AaConfirmDialog *self,
                            const char      *body)
{
  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));

  if (body == NULL)
    body = "";
  if (g_strcmp0 (body, aa_confirm_dialog_get_body (self)) == 0)
    return;

  gtk_label_set_label (GTK_LABEL (self->body_label), body);
  gtk_widget_set_visible (self->body_label, *body != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, body,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BODY]);
}

void
aa_confirm_dialog_add_response (AaConfirmDialog *self,
                                const char      *id,
                                const char      *label)
{
  Response *response;

  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (find_response (self, id) == NULL);

  response = g_new0 (Response, 1);
  response->id = g_strdup (id);
  response->button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_hexpand (response->button, TRUE);
  g_object_set_data_full (G_OBJECT (response->button), "aa-response-id", g_strdup (id), g_free);
  g_signal_connect_object (response->button, "clicked", G_CALLBACK (response_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (self->response_box), response->button);
  g_ptr_array_add (self->responses, response);

  update_default (self);
}

void
aa_confirm_dialog_set_response_appearance (AaConfirmDialog      *self,
                                           const char           *id,
                                           AaResponseAppearance  appearance)
{
  Response *response;

  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));

  response = find_response (self, id);
  g_return_if_fail (response != NULL);

  response->appearance = appearance;
  gtk_widget_remove_css_class (response->button, "suggested-action");
  gtk_widget_remove_css_class (response->button, "destructive-action");
  if (appearance == AA_RESPONSE_SUGGESTED)
    gtk_widget_add_css_class (response->button, "suggested-action");
  else if (appearance == AA_RESPONSE_DESTRUCTIVE)
    gtk_widget_add_css_class (response->button, "destructive-action");
}

const char *
aa_confirm_dialog_get_default_response (AaConfirmDialog *self)
{
  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);

  return self->default_response;
}

void
aa_confirm_dialog_set_default_response (AaConfirmDialog *self,
                                        const char      *id)
{
  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));

  if (g_strcmp0 (self->default_response, id) == 0)
    return;

  g_free (self->default_response);
  self->default_response = g_strdup (id);
  update_default (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEFAULT_RESPONSE]);
}

const char *
aa_confirm_dialog_get_close_response (AaConfirmDialog *self)
{
  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);

  return self->close_response;
}

void
aa_confirm_dialog_set_close_response (AaConfirmDialog *self,
                                      const char      *id)
{
  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));
  g_return_if_fail (id != NULL);

  if (g_strcmp0 (self->close_response, id) == 0)
    return;

  g_free (self->close_response);
  self->close_response = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOSE_RESPONSE]);
}

GtkWidget *
aa_confirm_dialog_get_response_button (AaConfirmDialog *self,
                                       const char      *id)
{
  Response *response;

  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);

  response = find_response (self, id);

  return response != NULL ? response->button : NULL;
}

void
aa_confirm_dialog_response (AaConfirmDialog *self,
                            const char      *id)
{
  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));
  g_return_if_fail (id != NULL);

  if (answer (self, id))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancelled_cb (GCancellable    *cancellable,
              AaConfirmDialog *self)
{
  /* A handler cannot disconnect itself, and the cancellable fires once. */
  self->cancelled_id = 0;
  aa_confirm_dialog_response (self, self->close_response);
}

void
aa_confirm_dialog_choose_async (AaConfirmDialog     *self,
                                GtkWindow           *parent,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AA_IS_CONFIRM_DIALOG (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && !self->answered);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aa_confirm_dialog_choose_async);
  /* Cancelling answers with the close response, not an error. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, NULL)) {
    g_task_return_pointer (task, g_strdup (self->close_response), g_free);
    return;
  }

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  /* GTK 4.8 keeps a plain pointer to the parent: leave with it, answering
   * the safe way, before it goes. */
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (parent_destroy_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self));
}

/**
 * aa_confirm_dialog_choose_finish:
 *
 * Returns: the id of the chosen response, valid while @self lives.
 */
const char *
aa_confirm_dialog_choose_finish (AaConfirmDialog  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (AA_IS_CONFIRM_DIALOG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  id = g_task_propagate_pointer (G_TASK (result), error);
  if (id == NULL)
    return NULL;

  /* Intern it so that the string outlives the dialog. */
  return g_intern_string (id);
}
