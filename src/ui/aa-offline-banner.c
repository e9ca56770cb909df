/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-offline-banner"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-offline-banner.h"
#include "aa-ui.h"

struct _AaOfflineBanner
{
  GtkWidget        parent_instance;

  GtkWidget       *revealer;
  GtkWidget       *box;
  GtkWidget       *icon;
  GtkWidget       *label;
  GtkWidget       *button;

  AaActionManager *manager;
  AaConnectivity  *connectivity;
  gboolean         offline;
  /* What waited when it was last offline. */
  guint            n_waiting;
  guint            back_delay_ms;
  guint            back_id;
};

G_DEFINE_FINAL_TYPE (AaOfflineBanner, aa_offline_banner, GTK_TYPE_WIDGET)

static void
set_title (AaOfflineBanner *self,
           const char      *title)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->label)), title) == 0)
    return;

  gtk_label_set_text (GTK_LABEL (self->label), title);
  /* The alert is named by what it says, so that it is read when it
   * changes as when it appears. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->box), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

/* Hidden, the alert is not there for screen readers either: it would be
 * read as an empty "GtkBox" before the app has first gone offline. */
static void
set_revealed (AaOfflineBanner *self,
              gboolean         revealed)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->box), GTK_ACCESSIBLE_STATE_HIDDEN, !revealed, -1);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), revealed);
}

static gboolean
back_timeout_cb (gpointer user_data)
{
  AaOfflineBanner *self = user_data;

  self->back_id = 0;
  set_revealed (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
update (AaOfflineBanner *self)
{
  AaEngine *engine = aa_action_manager_get_engine (self->manager);
  gboolean offline = !aa_connectivity_get_reachable (self->connectivity);
  /* With the changes kept from the last run, shown from the journal at
   * once: they wait for the lists, which wait for the server. */
  guint n_waiting = aa_engine_get_n_waiting (engine) + aa_action_manager_get_n_kept (self->manager);
  g_autofree char *title = NULL;

  if (offline) {
    g_clear_handle_id (&self->back_id, g_source_remove);
    if (n_waiting == 0)
      title = g_strdup (_("Offline — the server can’t be reached. Your changes are kept and will be sent when it’s back."));
    else
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Offline — %u change is kept and will be sent when the server is back.",
                                            "Offline — %u changes are kept and will be sent when the server is back.",
                                            n_waiting), n_waiting);
    gtk_widget_remove_css_class (self->box, "back");
    gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "network-offline-symbolic");
    gtk_widget_set_visible (self->button, TRUE);
    set_revealed (self, TRUE);
    set_title (self, title);
  } else if (self->offline) {
    /* Back: said for a moment, then the banner goes by itself; the rows
     * say when each change landed. */
    set_title (self, self->n_waiting > 0 ? _("Back online — the changes made offline are being sent.")
                                         : _("Back online."));
    gtk_widget_add_css_class (self->box, "back");
    gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "network-transmit-receive-symbolic");
    gtk_widget_set_visible (self->button, FALSE);
    self->back_id = g_timeout_add (self->back_delay_ms, back_timeout_cb, self);
  }

  if (offline)
    self->n_waiting = n_waiting;
  self->offline = offline;
}

static void
try_again_clicked_cb (AaOfflineBanner *self)
{
  aa_connectivity_check (self->connectivity);
}

static void
aa_offline_banner_dispose (GObject *object)
{
  AaOfflineBanner *self = AA_OFFLINE_BANNER (object);

  g_clear_handle_id (&self->back_id, g_source_remove);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  g_clear_object (&self->connectivity);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_offline_banner_parent_class)->dispose (object);
}

static void
aa_offline_banner_class_init (AaOfflineBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_offline_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "offlinebanner");
}

static void
aa_offline_banner_init (AaOfflineBanner *self)
{
  self->back_delay_ms = 4000;

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer), GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  /* An alert: a screen reader says it when it appears or changes. */
  self->box = g_object_new (GTK_TYPE_BOX,
                            "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                            "orientation", GTK_ORIENTATION_HORIZONTAL,
                            "spacing", 12,
                            NULL);
  gtk_widget_add_css_class (self->box, "offline-banner");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), self->box);
  set_revealed (self, FALSE);

  self->icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL, NULL, -1);
  gtk_box_append (GTK_BOX (self->box), self->icon);

  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->label);

  self->button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  aa_ui_set_tooltip (self->button, _("Check now whether the server can be reached"));
  aa_ui_set_name (self->button, _("Try Reaching the Server Again"));
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (try_again_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->button);
}

GtkWidget *
aa_offline_banner_new (AaActionManager *manager)
{
  AaOfflineBanner *self;

  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  self = g_object_new (AA_TYPE_OFFLINE_BANNER, NULL);
  self->manager = g_object_ref (manager);
  self->connectivity = g_object_ref (aa_engine_get_connectivity (aa_action_manager_get_engine (manager)));
  g_signal_connect_object (self->connectivity, "notify::reachable", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (aa_action_manager_get_engine (manager), "notify::n-waiting", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

gboolean
aa_offline_banner_get_revealed (AaOfflineBanner *self)
{
  g_return_val_if_fail (AA_IS_OFFLINE_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
aa_offline_banner_get_title (AaOfflineBanner *self)
{
  g_return_val_if_fail (AA_IS_OFFLINE_BANNER (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->label));
}

void
aa_offline_banner_set_back_delay (AaOfflineBanner *self,
                                  guint            ms)
{
  g_return_if_fail (AA_IS_OFFLINE_BANNER (self));

  self->back_delay_ms = ms;
}
