/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-network-popover"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-ui.h"
#include "aa-demo-control.h"
#include "aa-error.h"
#include "aa-fault.h"
#include "aa-network-popover.h"

struct _AaNetworkPopover
{
  GtkPopover       parent_instance;

  GtkWidget       *latency_spin;
  GtkWidget       *failure_scale;
  GtkWidget       *offline_switch;
  GtkWidget       *queued_label;
  GtkWidget       *error_label;

  AaActionManager *manager;
  AaDemoControl   *control;
  GCancellable    *cancellable;
  /* The one-shot faults the server last said it has queued. */
  GPtrArray       *next;
  guint            apply_id;
  gboolean         updating;
  gboolean         degraded;
};

G_DEFINE_FINAL_TYPE (AaNetworkPopover, aa_network_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_DEGRADED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *
fault_get_label (const char *fault)
{
  switch (aa_fault_from_nick (fault)) {
  case AA_FAULT_ERROR_500:
    return _("fail (500)");
  case AA_FAULT_ERROR_503:
    return _("fail (503)");
  case AA_FAULT_TIMEOUT:
    return _("time out");
  case AA_FAULT_DROP:
    return _("drop the connection");
  case AA_FAULT_LOST_RESPONSE:
    return _("lose the response");
  case AA_FAULT_CONFLICT:
    return _("conflict");
  case AA_FAULT_NONE:
  default:
    return fault;
  }
}

static void
show_error (AaNetworkPopover *self,
            const GError     *error)
{
  if (error != NULL) {
    g_autofree char *message = NULL;

    message = g_strdup_printf (_("Couldn’t reach the demo server’s controls. %s"),
                               aa_error_get_next_step (error));
    gtk_label_set_text (GTK_LABEL (self->error_label), message);
  }
  gtk_widget_set_visible (self->error_label, error != NULL);
}

static void
update_from_faults (AaNetworkPopover *self,
                    JsonObject       *faults)
{
  JsonArray *next = NULL;
  g_autoptr(GString) queued = g_string_new (NULL);
  gboolean degraded;

  self->updating = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->latency_spin),
                             json_object_get_int_member_with_default (faults, "latency_ms", 0));
  gtk_range_set_value (GTK_RANGE (self->failure_scale),
                       100.0 * json_object_get_double_member_with_default (faults, "failure_rate", 0.0));
  gtk_switch_set_active (GTK_SWITCH (self->offline_switch),
                         json_object_get_boolean_member_with_default (faults, "offline", FALSE));
  self->updating = FALSE;

  g_ptr_array_set_size (self->next, 0);
  degraded = json_object_get_int_member_with_default (faults, "latency_ms", 0) > 0 ||
             json_object_get_double_member_with_default (faults, "failure_rate", 0.0) > 0.0 ||
             json_object_get_boolean_member_with_default (faults, "offline", FALSE);
  if (json_object_has_member (faults, "next") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (faults, "next")))
    next = json_object_get_array_member (faults, "next");
  for (guint i = 0; next != NULL && i < json_array_get_length (next); i++) {
    const char *fault = json_array_get_string_element (next, i);

    if (fault == NULL)
      continue;
    g_ptr_array_add (self->next, g_strdup (fault));
    if (queued->len > 0)
      g_string_append (queued, _(", then "));
    g_string_append (queued, fault_get_label (fault));
  }

  if (self->next->len == 0) {
    gtk_label_set_text (GTK_LABEL (self->queued_label), _("Nothing queued"));
  } else {
    g_autofree char *text = NULL;

    /* Translators: %s lists faults, such as "fail (500), then time out". */
    text = g_strdup_printf (_("Next requests: %s"), queued->str);
    gtk_label_set_text (GTK_LABEL (self->queued_label), text);
  }

  degraded = degraded || self->next->len > 0;
  if (degraded != self->degraded) {
    self->degraded = degraded;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEGRADED]);
  }
}

static char *
format_percent_cb (GtkScale *scale,
                   double    value,
                   gpointer  user_data)
{
  /* Translators: a failure rate, such as "10 %". */
  return g_strdup_printf (_("%.0f %%"), value);
}

static void
get_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AaNetworkPopover) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) faults = NULL;

  faults = aa_demo_control_get_faults_finish (AA_DEMO_CONTROL (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_error (self, error);
  if (faults != NULL)
    update_from_faults (self, faults);
}

static void
read_back (AaNetworkPopover *self)
{
  if (self->manager == NULL)
    return;

  aa_demo_control_get_faults_async (self->control, self->cancellable,
                                      get_faults_cb, g_object_ref (self));
}

static void
read_back_if_queued (AaNetworkPopover *self)
{
  if (self->next->len > 0)
    read_back (self);
}

static void
set_faults_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AaNetworkPopover) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_demo_control_set_faults_finish (AA_DEMO_CONTROL (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    show_error (self, error);
  }

  /* Show what the server has, not what we asked for. */
  read_back (self);
}

static void
send_faults (AaNetworkPopover *self,
             JsonObject       *faults)
{
  if (self->manager == NULL)
    return;

  aa_demo_control_set_faults_async (self->control, faults, self->cancellable,
                                      set_faults_cb, g_object_ref (self));
}

static gboolean
apply_controls_cb (gpointer user_data)
{
  AaNetworkPopover *self = AA_NETWORK_POPOVER (user_data);
  g_autoptr(JsonObject) faults = json_object_new ();

  self->apply_id = 0;

  json_object_set_int_member (faults, "latency_ms",
                              gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->latency_spin)));
  json_object_set_double_member (faults, "failure_rate",
                                 gtk_range_get_value (GTK_RANGE (self->failure_scale)) / 100.0);
  json_object_set_boolean_member (faults, "offline",
                                  gtk_switch_get_active (GTK_SWITCH (self->offline_switch)));
  send_faults (self, faults);

  return G_SOURCE_REMOVE;
}

static void
control_changed_cb (AaNetworkPopover *self)
{
  if (self->updating)
    return;

  /* A dragged scale sends one request when it settles, not one per pixel. */
  g_clear_handle_id (&self->apply_id, g_source_remove);
  self->apply_id = g_timeout_add (250, apply_controls_cb, self);
}

void
aa_network_popover_queue_fault (AaNetworkPopover *self,
                                const char       *fault)
{
  g_autoptr(JsonObject) faults = json_object_new ();
  JsonArray *next = json_array_new ();

  g_return_if_fail (AA_IS_NETWORK_POPOVER (self));
  g_return_if_fail (fault != NULL);

  /* PUT replaces the queue: send the queued ones again, then the new one. */
  for (guint i = 0; i < self->next->len; i++)
    json_array_add_string_element (next, g_ptr_array_index (self->next, i));
  json_array_add_string_element (next, fault);
  g_ptr_array_add (self->next, g_strdup (fault));
  json_object_set_array_member (faults, "next", next);
  send_faults (self, faults);
}

static void
queue_fault_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  aa_network_popover_queue_fault (AA_NETWORK_POPOVER (widget), g_variant_get_string (parameter, NULL));
}

static void
drop_streams_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AaNetworkPopover) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_demo_control_drop_streams_finish (AA_DEMO_CONTROL (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

static void
drop_streams_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AaNetworkPopover *self = AA_NETWORK_POPOVER (widget);

  if (self->control != NULL)
    aa_demo_control_drop_streams_async (self->control, self->cancellable, drop_streams_cb, g_object_ref (self));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AaNetworkPopover *self = AA_NETWORK_POPOVER (widget);
  g_autoptr(JsonObject) faults = json_object_new ();

  g_clear_handle_id (&self->apply_id, g_source_remove);
  json_object_set_int_member (faults, "latency_ms", 0);
  json_object_set_double_member (faults, "failure_rate", 0.0);
  json_object_set_boolean_member (faults, "offline", FALSE);
  json_object_set_array_member (faults, "next", json_array_new ());
  send_faults (self, faults);
}

static void
aa_network_popover_show (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (aa_network_popover_parent_class)->show (widget);

  read_back (AA_NETWORK_POPOVER (widget));
}

static void
aa_network_popover_dispose (GObject *object)
{
  AaNetworkPopover *self = AA_NETWORK_POPOVER (object);

  g_clear_handle_id (&self->apply_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->control);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->next, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_NETWORK_POPOVER);

  G_OBJECT_CLASS (aa_network_popover_parent_class)->dispose (object);
}

static void
aa_network_popover_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AaNetworkPopover *self = AA_NETWORK_POPOVER (object);

  switch (prop_id) {
  case PROP_DEGRADED:
    g_value_set_boolean (value, self->degraded);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_network_popover_class_init (AaNetworkPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_network_popover_dispose;
  object_class->get_property = aa_network_popover_get_property;
  widget_class->show = aa_network_popover_show;

  props[PROP_DEGRADED] =
    g_param_spec_boolean ("degraded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-network-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, AaNetworkPopover, latency_spin);
  gtk_widget_class_bind_template_child (widget_class, AaNetworkPopover, failure_scale);
  gtk_widget_class_bind_template_child (widget_class, AaNetworkPopover, offline_switch);
  gtk_widget_class_bind_template_child (widget_class, AaNetworkPopover, queued_label);
  gtk_widget_class_bind_template_child (widget_class, AaNetworkPopover, error_label);
  gtk_widget_class_bind_template_callback (widget_class, control_changed_cb);

  gtk_widget_class_install_action (widget_class, "network.queue-fault", "s", queue_fault_action);
  gtk_widget_class_install_action (widget_class, "network.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "network.drop-streams", NULL, drop_streams_action);
}

static void
aa_network_popover_init (AaNetworkPopover *self)
{
  self->cancellable = g_cancellable_new ();
  self->next = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));
  gtk_label_set_text (GTK_LABEL (self->queued_label), _("Nothing queued"));
  gtk_scale_set_format_value_func (GTK_SCALE (self->failure_scale), format_percent_cb, NULL, NULL);
}

GtkWidget *
aa_network_popover_new (void)
{
  return g_object_new (AA_TYPE_NETWORK_POPOVER, NULL);
}

void
aa_network_popover_set_manager (AaNetworkPopover *self,
                                AaActionManager  *manager)
{
  g_return_if_fail (AA_IS_NETWORK_POPOVER (self));
  g_return_if_fail (manager == NULL || AA_IS_ACTION_MANAGER (manager));

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (aa_action_manager_get_engine (self->manager), self);
  g_set_object (&self->manager, manager);
  g_clear_object (&self->control);
  if (manager != NULL) {
    self->control = aa_demo_control_new (manager);
    /* A change that settled may have used up a one-shot fault: the
     * badge goes once nothing is queued. */
    g_signal_connect_object (aa_action_manager_get_engine (manager), "notify::n-pending",
                             G_CALLBACK (read_back_if_queued), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (aa_action_manager_get_engine (manager), "notify::n-failed",
                             G_CALLBACK (read_back_if_queued), self, G_CONNECT_SWAPPED);
  }
  /* The server may start with faults (--latency-ms...): show them. */
  read_back (self);
}
