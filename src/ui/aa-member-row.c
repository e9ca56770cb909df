/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-member-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-member-row.h"
#include "aa-ui.h"

/* How long a change's success stays said, in seconds. */
#define SAVED_TIMEOUT 4

struct _AaMemberRow
{
  GtkListBoxRow    parent_instance;

  GtkWidget       *avatar;
  GtkWidget       *name_label;
  GtkWidget       *you_label;
  GtkWidget       *status_box;
  GtkWidget       *status_image;
  GtkWidget       *status_label;
  GtkWidget       *retry_button;
  GtkWidget       *spinner;
  GtkWidget       *role_dropdown;

  AaActionManager *manager;
  AaMember        *member;
  /* The role change this row started, followed until the row goes. */
  AaMutationObserver *observer;
  guint            saved_timeout_id;
  /* Set while the row writes its own control, so that it is not taken for
   * a choice. */
  gboolean         updating;
  /* The role's control had the focus when it went off while the server
   * decided: the focus comes back once the answer is in. */
  gboolean         refocus;
};

G_DEFINE_FINAL_TYPE (AaMemberRow, aa_member_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_MEMBER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The dropdown lists Owner, Admin, Member: the highest first. */
guint
aa_member_row_position_for_role (AaRole role)
{
  switch (role) {
  case AA_ROLE_OWNER:
    return 0;
  case AA_ROLE_ADMIN:
    return 1;
  case AA_ROLE_MEMBER:
  default:
    return 2;
  }
}

static AaRole
role_for_position (guint position)
{
  switch (position) {
  case 0:
    return AA_ROLE_OWNER;
  case 1:
    return AA_ROLE_ADMIN;
  default:
    return AA_ROLE_MEMBER;
  }
}

static void
show_role (AaMemberRow *self,
           AaRole       role)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->role_dropdown), aa_member_row_position_for_role (role));
  self->updating = FALSE;
}

/* The outcome belongs to the role it was about: it describes the role's
 * control, and its button, where the focus is; a refusal marks them. */
static void
tie_status (AaMemberRow *self,
            gboolean     shown,
            gboolean     refused)
{
  GtkAccessible *controls[] = {
    GTK_ACCESSIBLE (self->role_dropdown),
    GTK_ACCESSIBLE (aa_ui_get_drop_down_button (self->role_dropdown)),
  };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++) {
    gtk_accessible_reset_relation (controls[i], GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    gtk_accessible_reset_relation (controls[i], GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
    if (shown)
      gtk_accessible_update_relation (controls[i], GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->status_label, NULL, -1);
    if (refused)
      gtk_accessible_update_relation (controls[i], GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, self->status_label, -1);
    gtk_accessible_update_state (controls[i], GTK_ACCESSIBLE_STATE_INVALID,
                                 refused ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  }
}

static void
clear_status (AaMemberRow *self)
{
  g_clear_handle_id (&self->saved_timeout_id, g_source_remove);
  gtk_widget_set_visible (self->status_box, FALSE);
  gtk_widget_set_visible (self->retry_button, FALSE);
  gtk_widget_remove_css_class (self->status_box, "error");
  gtk_widget_remove_css_class (self->status_box, "success");
  tie_status (self, FALSE, FALSE);
}

static gboolean
saved_timeout_cb (gpointer user_data)
{
  AaMemberRow *self = AA_MEMBER_ROW (user_data);

  self->saved_timeout_id = 0;
  clear_status (self);

  return G_SOURCE_REMOVE;
}

static void
show_status (AaMemberRow *self,
             gboolean     success,
             const char  *message,
             gboolean     can_retry)
{
  clear_status (self);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->status_image),
                                success ? "object-select-symbolic" : "dialog-warning-symbolic");
  gtk_label_set_text (GTK_LABEL (self->status_label), message);
  gtk_widget_add_css_class (self->status_box, success ? "success" : "error");
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->status_box, TRUE);
  tie_status (self, TRUE, !success);

  if (success)
    self->saved_timeout_id = g_timeout_add_seconds (SAVED_TIMEOUT, saved_timeout_cb, self);
}

/* Why the signed-in member may not change this role, or NULL if they may
 * change it to at least one other role. */
static const char *
explain_forbidden (AaRole me,
                   AaRole from)
{
  gboolean any = FALSE;

  for (AaRole to = AA_ROLE_MEMBER; to <= AA_ROLE_OWNER; to++) {
    if (to != from && aa_role_can_change (me, from, to))
      any = TRUE;
  }

  if (any)
    return NULL;
  if (me == AA_ROLE_MEMBER)
    return _("Members can’t change roles. Ask an admin or owner.");
  if (from == AA_ROLE_OWNER)
    return _("Only owners can change an owner’s role. Ask an owner.");

  return _("Your role can’t change this member’s role. Ask an owner.");
}

/* In the open list, a role the signed-in member may not give says so. */
static void
setup_choice_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 AaMemberRow              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_choice_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                AaMemberRow              *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *caption = gtk_widget_get_next_sibling (label);
  AaRole to = role_for_position (gtk_list_item_get_position (list_item));
  AaMember *me = self->manager ? aa_action_manager_get_me (self->manager) : NULL;
  gboolean allowed = TRUE;

  gtk_label_set_text (GTK_LABEL (label), aa_role_get_label (to));

  if (me != NULL && self->member != NULL && to != aa_member_get_role (self->member))
    allowed = aa_role_can_change (aa_member_get_role (me), aa_member_get_role (self->member), to);

  /* Still choosable: the server decides, and its refusal is explained. */
  gtk_label_set_text (GTK_LABEL (caption), allowed ? NULL : _("Only owners can give this role"));
  gtk_widget_set_visible (caption, !allowed);
  if (allowed)
    gtk_widget_remove_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "dim-label");

  /* The list's item, which takes the focus, reads as the role it gives,
   * and why it may be refused (GTK 4.8 names it nothing). */
  if (gtk_widget_get_parent (box) != NULL) {
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, aa_role_get_label (to), -1);
    if (allowed)
      gtk_accessible_reset_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    else
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Only owners can give this role"), -1);
  }
}

static void
refresh_choices (AaMemberRow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  /* A new factory binds the open list again, with the current rights. */
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_choice_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_choice_cb), self, 0);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->role_dropdown), factory);
}

/* Turning the focused control off makes GTK move the focus on, to the
 * next member's role: once it is on again, and the focus was left there,
 * it comes back, so the answer is read where the change was made. */
static void
keep_focus (AaMemberRow *self,
            gboolean     sensitive)
{
  GtkWidget *button = aa_ui_get_drop_down_button (self->role_dropdown);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *focus_row;

  /* The focus is on the control, or in its list of roles (a choice made
   * there closes it and gives the focus back to the control). */
  if (!sensitive && focus != NULL && gtk_widget_is_ancestor (focus, self->role_dropdown))
    self->refocus = TRUE;

  gtk_widget_set_sensitive (self->role_dropdown, sensitive);

  if (!sensitive || !self->refocus || button == NULL)
    return;

  /* Back where it was, unless the user took it somewhere else than where
   * GTK put it: nowhere, or another member's role. */
  self->refocus = FALSE;
  focus_row = focus != NULL ? gtk_widget_get_ancestor (focus, AA_TYPE_MEMBER_ROW) : NULL;
  if (focus == NULL || (focus_row != NULL && focus_row != GTK_WIDGET (self)))
    gtk_widget_grab_focus (button);
}

void
aa_member_row_update_permissions (AaMemberRow *self)
{
  AaMember *me;
  AaRole from;
  const char *forbidden;
  gboolean busy;

  g_return_if_fail (AA_IS_MEMBER_ROW (self));

  me = aa_action_manager_get_me (self->manager);
  from = aa_member_get_role (self->member);
  busy = aa_resource_get_busy (AA_RESOURCE (self->member));

  gtk_widget_set_visible (self->you_label, me == self->member);
  refresh_choices (self);

  if (me == NULL) {
    gtk_widget_set_sensitive (self->role_dropdown, FALSE);
    aa_ui_set_tooltip (self->role_dropdown, _("Waiting to learn who is signed in…"));
    return;
  }

  /* Shown before anyone clicks: a control that can only be refused is off,
   * and says why. */
  forbidden = explain_forbidden (aa_member_get_role (me), from);
  keep_focus (self, forbidden == NULL && !busy);

  if (busy)
    aa_ui_set_tooltip (self->role_dropdown, _("Waiting for the server to confirm…"));
  else if (forbidden != NULL)
    aa_ui_set_tooltip (self->role_dropdown, forbidden);
  else if (aa_member_get_role (me) != AA_ROLE_OWNER)
    aa_ui_set_tooltip (self->role_dropdown, _("Admins can make members and admins. Only owners can make owners."));
  else
    aa_ui_set_tooltip (self->role_dropdown, _("Owners can change any role. A team keeps at least one owner."));
}

static void
update_busy (AaMemberRow *self)
{
  gboolean busy = aa_resource_get_busy (AA_RESOURCE (self->member));

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->role_dropdown), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  aa_member_row_update_permissions (self);
}

static void
update_name (AaMemberRow *self)
{
  const char *name = aa_member_get_name (self->member);
  g_autofree char *label = NULL;

  gtk_label_set_text (GTK_LABEL (self->name_label), name);
  /* Its initials in libadwaita's avatar colours, which keep them readable
   * in light and dark. */
  adw_avatar_set_text (ADW_AVATAR (self->avatar), name);

  label = g_strdup_printf (_("Role of %s"), name);
  aa_ui_set_name (self->role_dropdown, label);
}

static void
update_role (AaMemberRow *self)
{
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);

  /* While a change waits, the control shows what was asked for. */
  if (mutation == NULL || !aa_mutation_is_pending (mutation))
    show_role (self, aa_member_get_role (self->member));
  aa_member_row_update_permissions (self);
}

static void
mutation_state_cb (AaMemberRow *self)
{
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;
  JsonObject *patch;
  AaRole role;

  if (mutation == NULL)
    return;

  switch (aa_mutation_observer_get_state (self->observer)) {
  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_SENT:
    clear_status (self);
    patch = aa_mutation_get_patch (mutation);
    if (patch != NULL && aa_role_from_string (json_object_get_string_member_with_default (patch, "role", ""), &role))
      show_role (self, role);
    break;

  case AA_MUTATION_STATE_SUCCEEDED: {
    /* What happened, in the rule's words: "Ada is now an admin". */
    g_autofree char *success = aa_feedback_format_success (mutation);

    show_role (self, aa_member_get_role (self->member));
    show_status (self, TRUE, success, FALSE);
    break;
  }

  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    /* Nothing changed on the server, so the control goes back to what it
     * confirmed, and the row says why and what to do next. */
    show_role (self, aa_member_get_role (self->member));
    aa_feedback_choose_tier (mutation, &action);
    show_status (self, FALSE, aa_mutation_observer_get_message (self->observer),
                 action == AA_FEEDBACK_ACTION_RETRY);
    break;

  case AA_MUTATION_STATE_UNKNOWN:
    /* "Not confirmed yet", never a failure: nothing to press. */
    clear_status (self);
    gtk_image_set_from_icon_name (GTK_IMAGE (self->status_image), "content-loading-symbolic");
    gtk_label_set_text (GTK_LABEL (self->status_label), aa_mutation_observer_get_message (self->observer));
    gtk_widget_set_visible (self->retry_button, FALSE);
    gtk_widget_set_visible (self->status_box, TRUE);
    break;

  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    show_role (self, aa_member_get_role (self->member));
    break;
  }
}

static void
set_mutation (AaMemberRow *self,
              AaMutation  *mutation)
{
  if (aa_mutation_observer_get_mutation (self->observer) == mutation)
    return;

  /* The new one is rendered once, as it is now. */
  g_signal_handlers_block_by_func (self->observer, mutation_state_cb, self);
  aa_mutation_observer_set_mutation (self->observer, mutation);
  g_signal_handlers_unblock_by_func (self->observer, mutation_state_cb, self);
  mutation_state_cb (self);
}

static void
selected_cb (AaMemberRow *self)
{
  AaRole role;
  AaMutation *mutation;

  if (self->updating || self->manager == NULL)
    return;

  role = role_for_position (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->role_dropdown)));
  mutation = aa_action_manager_change_role (self->manager, self->member, role);

  /* The role it already has: no change, nothing to wait for. */
  if (mutation == NULL) {
    clear_status (self);
    return;
  }

  set_mutation (self, mutation);
}

static void
retry_clicked_cb (AaMemberRow *self)
{
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);

  if (mutation != NULL && aa_action_manager_retry (self->manager, mutation))
    gtk_widget_grab_focus (self->role_dropdown);
}

static void
aa_member_row_constructed (GObject *object)
{
  AaMemberRow *self = AA_MEMBER_ROW (object);

  G_OBJECT_CLASS (aa_member_row_parent_class)->constructed (object);

  /* Built without a member (as GtkBuilder may): it shows nothing. */
  if (self->member == NULL || self->manager == NULL)
    return;

  g_signal_connect_object (self->member, "notify::name", G_CALLBACK (update_name), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->member, "notify::role", G_CALLBACK (update_role), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->member, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  update_name (self);
  show_role (self, aa_member_get_role (self->member));
  update_busy (self);
}

static void
aa_member_row_dispose (GObject *object)
{
  AaMemberRow *self = AA_MEMBER_ROW (object);

  g_clear_handle_id (&self->saved_timeout_id, g_source_remove);
  if (self->observer != NULL) {
    g_signal_handlers_disconnect_by_data (self->observer, self);
    aa_mutation_observer_set_mutation (self->observer, NULL);
  }
  g_clear_object (&self->observer);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_MEMBER_ROW);
  g_clear_object (&self->member);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_member_row_parent_class)->dispose (object);
}

static void
aa_member_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AaMemberRow *self = AA_MEMBER_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_MEMBER:
    g_value_set_object (value, self->member);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_member_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AaMemberRow *self = AA_MEMBER_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  case PROP_MEMBER:
    self->member = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_member_row_class_init (AaMemberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aa_member_row_constructed;
  object_class->dispose = aa_member_row_dispose;
  object_class->get_property = aa_member_row_get_property;
  object_class->set_property = aa_member_row_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_MEMBER] =
    g_param_spec_object ("member", NULL, NULL,
                         AA_TYPE_MEMBER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, you_label);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AaMemberRow, role_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
aa_member_row_init (AaMemberRow *self)
{
  const char * const roles[] = {
    aa_role_get_label (AA_ROLE_OWNER),
    aa_role_get_label (AA_ROLE_ADMIN),
    aa_role_get_label (AA_ROLE_MEMBER),
    NULL
  };
  g_autoptr(GtkStringList) model = gtk_string_list_new (roles);

  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->role_dropdown), G_LIST_MODEL (model));
  self->updating = FALSE;

  self->observer = aa_mutation_observer_new (NULL);
  g_signal_connect_swapped (self->observer, "notify::state", G_CALLBACK (mutation_state_cb), self);
  /* Its words come after its state (being checked). */
  g_signal_connect_swapped (self->observer, "notify::message", G_CALLBACK (mutation_state_cb), self);
}

GtkWidget *
aa_member_row_new (AaActionManager *manager,
                   AaMember        *member)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);
  g_return_val_if_fail (AA_IS_MEMBER (member), NULL);

  return g_object_new (AA_TYPE_MEMBER_ROW, "manager", manager, "member", member, NULL);
}

AaMember *
aa_member_row_get_member (AaMemberRow *self)
{
  g_return_val_if_fail (AA_IS_MEMBER_ROW (self), NULL);

  return self->member;
}

GtkWidget *
aa_member_row_get_role_dropdown (AaMemberRow *self)
{
  return self->role_dropdown;
}

GtkWidget *
aa_member_row_get_spinner (AaMemberRow *self)
{
  return self->spinner;
}

GtkWidget *
aa_member_row_get_status_label (AaMemberRow *self)
{
  return self->status_label;
}

GtkWidget *
aa_member_row_get_retry_button (AaMemberRow *self)
{
  return self->retry_button;
}

GtkWidget *
aa_member_row_get_you_label (AaMemberRow *self)
{
  return self->you_label;
}
