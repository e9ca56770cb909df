#define G_LOG_DOMAIN "aa-toast-widget"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-toast-private.h"
#include "aa-toast-widget-private.h"

struct _AaToastWidget
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *title_label;
  GtkWidget *action_button;
  GtkWidget *close_button;

  AaToast   *toast;

  /* The timeout, paused while hovered or focused. */
  guint      timeout_id;
  gint64     timer_started_at;
  gint64     remaining_us;
  gboolean   hovered;
  gboolean   focused;
  gboolean   stopped;
};

G_DEFINE_FINAL_TYPE (AaToastWidget, aa_toast_widget, GTK_TYPE_WIDGET)

static void update_button (AaToastWidget *self);

static void
update_title (AaToastWidget *self)
{
  const char *title = aa_toast_get_title (self->toast);

  gtk_label_set_use_markup (GTK_LABEL (self->title_label), aa_toast_get_use_markup (self->toast));
  gtk_label_set_label (GTK_LABEL (self->title_label), title);

  /* Screen readers get the plain text whatever the label shows. */
  if (aa_toast_get_use_markup (self->toast)) {
    g_autofree char *plain = NULL;

    if (!pango_parse_markup (title, -1, 0, NULL, &plain, NULL, NULL))
      plain = g_strdup (title);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, plain,
                                    -1);
  } else {
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
  }

  update_button (self);
}

/* The toast's text without markup: what it is about. */
static char *
dup_plain_title (AaToastWidget *self)
{
  const char *title = aa_toast_get_title (self->toast);
  char *plain = NULL;

  if (title == NULL)
    return g_strdup ("");
  if (!aa_toast_get_use_markup (self->toast) ||
      !pango_parse_markup (title, -1, 0, NULL, &plain, NULL, NULL))
    plain = g_strdup (title);

  return plain;
}

static void
update_button (AaToastWidget *self)
{
  const char *label = aa_toast_get_button_label (self->toast);

  gtk_button_set_label (GTK_BUTTON (self->action_button), label);
  gtk_widget_set_visible (self->action_button, label != NULL && *label != '\0');

  /* "Undo" or "Retry" alone does not say what it acts on: the toast does. */
  if (label != NULL && *label != '\0') {
    g_autofree char *plain_label = g_strdup (label);
    g_autofree char *title = dup_plain_title (self);
    g_autofree char *name = NULL;
    char *out = plain_label;

    /* Without its mnemonic underline. */
    for (const char *p = label; *p != '\0'; p++) {
      if (*p == '_' && p[1] != '\0')
        p++;
      *out++ = *p;
    }
    *out = '\0';
    /* TRANSLATORS: a toast's button, read by screen readers: the button's
     * label, then the toast's text, as in "Undo: “Groceries” moved to the trash". */
    name = g_strdup_printf (C_("toast button", "%s: %s"), plain_label, title);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
}

static gboolean
timeout_cb (gpointer user_data)
{
  AaToastWidget *self = AA_TOAST_WIDGET (user_data);

  self->timeout_id = 0;
  self->remaining_us = 0;
  aa_toast_dismiss (self->toast);

  return G_SOURCE_REMOVE;
}

static void
pause_timer (AaToastWidget *self)
{
  if (self->timeout_id == 0)
    return;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->remaining_us -= g_get_monotonic_time () - self->timer_started_at;
  self->remaining_us = MAX (self->remaining_us, 0);
}

static void
resume_timer (AaToastWidget *self)
{
  if (self->stopped || self->timeout_id != 0 || self->hovered || self->focused)
    return;
  if (aa_toast_get_timeout (self->toast) == 0)
    return;

  self->timer_started_at = g_get_monotonic_time ();
  self->timeout_id = g_timeout_add (MAX (self->remaining_us / 1000, 1), timeout_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[aa] toast timeout");
}

void
aa_toast_widget_reset_timeout (AaToastWidget *self)
{
  g_return_if_fail (AA_IS_TOAST_WIDGET (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->stopped = FALSE;
  self->remaining_us = (gint64) aa_toast_get_timeout (self->toast) * G_USEC_PER_SEC;
  resume_timer (self);
}

void
aa_toast_widget_stop_timeout (AaToastWidget *self)
{
  g_return_if_fail (AA_IS_TOAST_WIDGET (self));

  self->stopped = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static void
action_button_clicked_cb (AaToastWidget *self)
{
  g_autoptr(AaToast) toast = g_object_ref (self->toast);
  const char *action_name = aa_toast_get_action_name (toast);

  /* Activated here rather than by GtkActionable, so that it happens while
   * the widget is still in the window, before the toast leaves. */
  if (action_name != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (self), action_name,
                                        aa_toast_get_action_target (toast));
  aa_toast_emit_button_clicked (toast);
  aa_toast_dismiss (toast);
}

static void
close_button_clicked_cb (AaToastWidget *self)
{
  aa_toast_dismiss (self->toast);
}

static void
motion_enter_cb (AaToastWidget *self)
{
  self->hovered = TRUE;
  pause_timer (self);
}

static void
motion_leave_cb (AaToastWidget *self)
{
  self->hovered = FALSE;
  resume_timer (self);
}

static void
focus_enter_cb (AaToastWidget *self)
{
  self->focused = TRUE;
  pause_timer (self);
}

static void
focus_leave_cb (AaToastWidget *self)
{
  self->focused = FALSE;
  resume_timer (self);
}

static void
aa_toast_widget_dispose (GObject *object)
{
  AaToastWidget *self = AA_TOAST_WIDGET (object);
  GtkWidget *child;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->toast != NULL)
    g_signal_handlers_disconnect_by_data (self->toast, self);
  g_clear_object (&self->toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_TOAST_WIDGET);
  /* The template's top box is not bound, so it is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aa_toast_widget_parent_class)->dispose (object);
}

static void
aa_toast_widget_class_init (AaToastWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_toast_widget_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-toast-widget.ui");
  gtk_widget_class_bind_template_child (widget_class, AaToastWidget, box);
  gtk_widget_class_bind_template_child (widget_class, AaToastWidget, title_label);
  gtk_widget_class_bind_template_child (widget_class, AaToastWidget, action_button);
  gtk_widget_class_bind_template_child (widget_class, AaToastWidget, close_button);
  gtk_widget_class_bind_template_callback (widget_class, action_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_button_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "toast");
  /* Assistive technologies announce an alert as it appears. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
aa_toast_widget_init (AaToastWidget *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_enter_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (motion_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
aa_toast_widget_new (AaToast *toast)
{
  AaToastWidget *self;

  g_return_val_if_fail (AA_IS_TOAST (toast), NULL);

  self = g_object_new (AA_TYPE_TOAST_WIDGET, NULL);
  self->toast = g_object_ref (toast);

  g_signal_connect_object (toast, "notify::title", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "notify::use-markup", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "notify::button-label", G_CALLBACK (update_button), self, G_CONNECT_SWAPPED);

  update_title (self);
  update_button (self);
  aa_toast_widget_reset_timeout (self);

  return GTK_WIDGET (self);
}

AaToast *
aa_toast_widget_get_toast (AaToastWidget *self)
{
  g_return_val_if_fail (AA_IS_TOAST_WIDGET (self), NULL);

  return self->toast;
}

GtkWidget *
aa_toast_widget_get_button (AaToastWidget *self)
{
  g_return_val_if_fail (AA_IS_TOAST_WIDGET (self), NULL);

  return self->action_button;
}

GtkWidget *
aa_toast_widget_get_close_button (AaToastWidget *self)
{
  g_return_val_if_fail (AA_IS_TOAST_WIDGET (self), NULL);

  return self->close_button;
}

GtkWidget *
aa_toast_widget_get_title_label (AaToastWidget *self)
{
  g_return_val_if_fail (AA_IS_TOAST_WIDGET (self), NULL);

  return self->title_label;
}
