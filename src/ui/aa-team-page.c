/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-team-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-demo-control.h"
#include "aa-error.h"
#include "aa-load-state.h"
#include "aa-member-row.h"
#include "aa-team-page.h"
#include "aa-ui.h"

struct _AaTeamPage
{
  GtkWidget        parent_instance;

  GtkWidget       *load_state;
  GtkWidget       *header_box;
  GtkWidget       *description;
  GtkWidget       *signed_in_box;
  GtkWidget       *signed_in_combo;
  GtkWidget       *signed_in_spinner;
  GtkWidget       *list_box;

  AaActionManager *manager;
  AaDemoControl   *control;
  AaMember        *me;
  GCancellable    *cancellable;

  gboolean         updating;
  gboolean         folded;
};

G_DEFINE_FINAL_TYPE (AaTeamPage, aa_team_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_rows (AaTeamPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (AA_IS_MEMBER_ROW (child))
      aa_member_row_update_permissions (AA_MEMBER_ROW (child));
  }
}

static void
update_signed_in (AaTeamPage *self)
{
  GListModel *members = aa_action_manager_get_members (self->manager);
  guint n = g_list_model_get_n_items (members);
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && self->me != NULL; i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (members, i);

    if (member == self->me)
      position = i;
  }

  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->signed_in_combo), position);
  self->updating = FALSE;
}

/* What the signed-in member may change depends on their role, which can
 * change too (an owner making themselves an admin). */
static void
me_changed_cb (AaTeamPage *self)
{
  AaMember *me = aa_action_manager_get_me (self->manager);

  if (self->me != me) {
    if (self->me != NULL)
      g_signal_handlers_disconnect_by_func (self->me, update_rows, self);
    g_set_object (&self->me, me);
    if (me != NULL)
      g_signal_connect_object (me, "notify::role", G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
  }

  update_signed_in (self);
  update_rows (self);
}

static void
members_changing_cb (AaTeamPage *self)
{
  self->updating = TRUE;
}

static void
update_state (AaTeamPage *self)
{
  GListModel *members = aa_action_manager_get_members (self->manager);

  self->updating = FALSE;

  if (aa_load_state_get_loaded (AA_LOAD_STATE (self->load_state)))
    aa_load_state_show_content (AA_LOAD_STATE (self->load_state), g_list_model_get_n_items (members) == 0);
  update_signed_in (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  aa_load_state_reload (AA_LOAD_STATE (AA_TEAM_PAGE (widget)->load_state));
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AaTeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!aa_demo_control_sign_in_as_finish (AA_DEMO_CONTROL (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;

    /* The choice goes back to who is really signed in. */
    title = g_strdup_printf (_("Couldn’t change who is signed in. %s"), aa_error_get_next_step (error));
    aa_ui_show_toast (GTK_WIDGET (self), aa_ui_toast_new (title));
  }

  gtk_widget_set_sensitive (self->signed_in_combo, TRUE);
  gtk_widget_set_visible (self->signed_in_spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->signed_in_spinner), FALSE);
  update_signed_in (self);
}

static void
signed_in_selected_cb (AaTeamPage *self)
{
  AaMember *member;

  if (self->updating || self->manager == NULL)
    return;

  member = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->signed_in_combo));
  if (member == NULL || aa_action_manager_get_me (self->manager) == NULL ||
      member == aa_action_manager_get_me (self->manager))
    return;

  gtk_widget_set_sensitive (self->signed_in_combo, FALSE);
  gtk_widget_set_visible (self->signed_in_spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->signed_in_spinner), TRUE);
  aa_demo_control_sign_in_as_async (self->control, member, self->cancellable,
                                      sign_in_cb, g_object_ref (self));
}

static void
setup_member_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 AaTeamPage               *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (list_item, label);
}

/* In the open list, each member reads as whom it signs in as (GTK 4.8
 * names the list's items nothing). */
static void
bind_member_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                AaTeamPage               *self)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *name = aa_member_get_name (gtk_list_item_get_item (list_item));

  gtk_label_set_text (GTK_LABEL (label), name);
  if (gtk_widget_get_parent (label) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (label)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  AaTeamPage *self = AA_TEAM_PAGE (user_data);

  return aa_member_row_new (self->manager, AA_MEMBER (object));
}

static void
set_manager (AaTeamPage      *self,
             AaActionManager *manager)
{
  g_autofree char *unreachable = NULL;
  GListModel *members;

  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  self->control = aa_demo_control_new (manager);
  unreachable = g_strdup_printf (_("The team could not be loaded from %s."),
                                 aa_action_manager_get_server_url (manager));
  aa_load_state_set_source (AA_LOAD_STATE (self->load_state), manager, AA_REFRESH_MEMBERS,
                            unreachable, _("Couldn’t reload the team."));
  g_signal_connect_object (self->load_state, "notify::loaded",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  members = aa_action_manager_get_members (manager);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), members, create_row, self, NULL);
  /* The signed-in choice follows the list as it changes; only a choice of
   * the user's signs in as someone else. */
  g_signal_connect_object (members, "items-changed", G_CALLBACK (members_changing_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (members, "items-changed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (aa_action_manager_get_refresher (manager), "notify::me", G_CALLBACK (me_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->signed_in_combo), members);
  self->updating = FALSE;
  me_changed_cb (self);
}

static void
aa_team_page_dispose (GObject *object)
{
  AaTeamPage *self = AA_TEAM_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_TEAM_PAGE);
  g_clear_object (&self->me);
  g_clear_object (&self->control);
  g_clear_object (&self->manager);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aa_team_page_parent_class)->dispose (object);
}

static void
aa_team_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AaTeamPage *self = AA_TEAM_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_FOLDED:
    g_value_set_boolean (value, self->folded);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_team_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AaTeamPage *self = AA_TEAM_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    set_manager (self, g_value_get_object (value));
    break;
  case PROP_FOLDED:
    aa_team_page_set_folded (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_team_page_class_init (AaTeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_team_page_dispose;
  object_class->get_property = aa_team_page_get_property;
  object_class->set_property = aa_team_page_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_LOAD_STATE);
  
  g_type_ensure (AA_TYPE_MEMBER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, load_state);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, description);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, signed_in_box);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, signed_in_combo);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, signed_in_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaTeamPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_member_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_member_cb);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_team_page_init (AaTeamPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
aa_team_page_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_TEAM_PAGE, "manager", manager, NULL);
}

AaActionManager *
aa_team_page_get_manager (AaTeamPage *self)
{
  g_return_val_if_fail (AA_IS_TEAM_PAGE (self), NULL);

  return self->manager;
}

gboolean
aa_team_page_get_folded (AaTeamPage *self)
{
  g_return_val_if_fail (AA_IS_TEAM_PAGE (self), FALSE);

  return self->folded;
}

void
aa_team_page_set_folded (AaTeamPage *self,
                         gboolean    folded)
{
  g_return_if_fail (AA_IS_TEAM_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  /* Side by side at a phone's width, the description got a column of a
   * word or two; below it, "Signed in as" keeps its natural width. */
  self->folded = folded;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->header_box),
                                  folded ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (self->signed_in_box, folded ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLDED]);
}

GtkWidget *
aa_team_page_get_description (AaTeamPage *self)
{
  return self->description;
}

GtkWidget *
aa_team_page_get_load_state (AaTeamPage *self)
{
  return self->load_state;
}

GtkWidget *
aa_team_page_get_signed_in_combo (AaTeamPage *self)
{
  return self->signed_in_combo;
}

GtkWidget *
aa_team_page_find_row (AaTeamPage *self,
                       AaMember   *member)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (AA_IS_MEMBER_ROW (child) && aa_member_row_get_member (AA_MEMBER_ROW (child)) == member)
      return child;
  }

  return NULL;
}
