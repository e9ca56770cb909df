/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-connection-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-connection-status.h"
#include "aa-ui.h"

struct _AaConnectionStatus
{
  GtkWidget        parent_instance;

  AaActionManager *manager;
  GtkWidget       *box;
  GtkWidget       *spinner;
  GtkWidget       *icon;
  GtkWidget       *label;
  gboolean         compact;
};

G_DEFINE_FINAL_TYPE (AaConnectionStatus, aa_connection_status, GTK_TYPE_WIDGET)

static void
state_changed_cb (AaConnectionStatus *self)
{
  AaEventStream *stream = aa_action_manager_get_event_stream (self->manager);
  AaConnectionState state = aa_action_manager_get_connection_state (self->manager);
  AaConnectivity *connectivity = aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager));
  gboolean offline = !aa_connectivity_get_reachable (connectivity);
  /* Only after a drop, and only while the server answers: the first
   * connection is part of starting up, and an unreachable server is
   * the banner's to say (AaOfflineBanner), not a "Reconnecting…"
   * that would last as long as the outage. */
  gboolean reconnecting = !offline && stream != NULL && aa_event_stream_get_n_connections (stream) > 0 &&
                          (state == AA_CONNECTION_STATE_OFFLINE || state == AA_CONNECTION_STATE_CONNECTING);

  if (offline) {
    gtk_label_set_text (GTK_LABEL (self->label), _("Offline"));
    aa_ui_set_tooltip (self->box,
                       _("The server can’t be reached. Your changes are kept and sent by themselves once it’s "
                         "back; payments, role changes and emptying the Trash need the server."));
  } else {
    gtk_label_set_text (GTK_LABEL (self->label), _("Reconnecting…"));
    aa_ui_set_tooltip (self->box,
                       _("Changes made elsewhere will appear once live updates are back. "
                         "Your own changes are sent as usual."));
  }

  /* Compact, the box is named by the words it no longer shows. */
  gtk_widget_set_visible (self->label, !self->compact);
  if (self->compact)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_label_get_text (GTK_LABEL (self->label)), -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->box), GTK_ACCESSIBLE_PROPERTY_LABEL);

  gtk_widget_set_visible (self->box, offline || reconnecting);
  gtk_widget_set_visible (self->icon, offline);
  gtk_widget_set_visible (self->spinner, reconnecting);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), reconnecting);
}

static void
aa_connection_status_dispose (GObject *object)
{
  AaConnectionStatus *self = AA_CONNECTION_STATUS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_connection_status_parent_class)->dispose (object);
}

static void
aa_connection_status_class_init (AaConnectionStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_connection_status_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionstatus");
}

static void
aa_connection_status_init (AaConnectionStatus *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->spinner = gtk_spinner_new ();
  self->icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  self->label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->spinner);
  gtk_box_append (GTK_BOX (self->box), self->icon);
  gtk_box_append (GTK_BOX (self->box), self->label);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_visible (self->box, FALSE);
}

GtkWidget *
aa_connection_status_new (AaActionManager *manager)
{
  AaConnectionStatus *self;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  self = g_object_new (AA_TYPE_CONNECTION_STATUS, NULL);
  self->manager = g_object_ref (manager);
  g_signal_connect_object (aa_action_manager_get_live_sync (manager), "notify::connection-state",
                           G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (aa_engine_get_connectivity (aa_action_manager_get_engine (manager)), "notify::reachable",
                           G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  state_changed_cb (self);

  return GTK_WIDGET (self);
}

void
aa_connection_status_set_compact (AaConnectionStatus *self,
                                  gboolean            compact)
{
  g_return_if_fail (AA_IS_CONNECTION_STATUS (self));

  if (self->compact == !!compact)
    return;

  self->compact = !!compact;
  state_changed_cb (self);
}
