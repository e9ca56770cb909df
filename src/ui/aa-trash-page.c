/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-trash-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-load-state.h"
#include "aa-trash-page.h"
#include "aa-ui.h"

struct _AaTrashPage
{
  GtkWidget        parent_instance;

  GtkWidget       *load_state;
  GtkWidget       *summary_label;
  GtkWidget       *progress_box;
  GtkWidget       *progress_spinner;
  GtkWidget       *empty_button;
  GtkWidget       *list_box;

  AaActionManager *manager;
  GCancellable    *cancellable;
  GtkWidget       *confirm_dialog; /* weak */
};

G_DEFINE_FINAL_TYPE (AaTrashPage, aa_trash_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_state (AaTrashPage *self)
{
  GListModel *trash = aa_action_manager_get_trash (self->manager);
  guint n = g_list_model_get_n_items (trash);
  gboolean busy = aa_action_manager_get_trash_busy (self->manager);
  g_autofree char *summary = NULL;

  if (!aa_load_state_get_loaded (AA_LOAD_STATE (self->load_state)))
    return;

  /* While emptying, the page stays as it is, with the progress in place:
   * nothing changes until the server has answered. */
  aa_load_state_show_content (AA_LOAD_STATE (self->load_state), n == 0 && !busy);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u note. Restore it to put it back in your notes.",
                                          "%u notes. Restore one to put it back in your notes.",
                                          n), n);
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);

  gtk_widget_set_visible (self->progress_box, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->progress_spinner), busy);
  gtk_widget_set_sensitive (self->list_box, !busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->list_box), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trash.empty", n > 0 && !busy);
}

static void
empty_chosen_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AaTrashPage) self = user_data;

  if (!aa_ui_confirm_finish (result) || self->manager == NULL)
    return;

  /* Pessimistic: the notes stay on screen until the server has deleted
   * them; the window shows the outcome as a toast. */
  aa_action_manager_empty_trash (self->manager);
}

static void
empty_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AaTrashPage *self = AA_TRASH_PAGE (widget);
  g_autoptr(AaConfirmation) confirmation = NULL;

  if (self->manager == NULL || self->confirm_dialog != NULL ||
      aa_action_manager_get_trash_busy (self->manager))
    return;

  /* The rules decide whether to ask first, not this page. */
  confirmation = aa_action_manager_describe_empty_trash (self->manager);
  if (confirmation == NULL) {
    aa_action_manager_empty_trash (self->manager);
    return;
  }

  self->confirm_dialog = aa_ui_confirm_async (widget, confirmation, self->cancellable,
                                              empty_chosen_cb, g_object_ref (self));
  g_object_add_weak_pointer (G_OBJECT (self->confirm_dialog), (gpointer *) &self->confirm_dialog);
}

/* A row's Restore button hands its own note over. */
static void
restore_clicked_cb (GtkButton *button,
                    AaItem    *item)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), AA_TYPE_TRASH_PAGE);
  AaActionManager *manager = page != NULL ? AA_TRASH_PAGE (page)->manager : NULL;

  /* Optimistic: the row leaves the trash at once; a failure brings it back
   * with a toast and Retry. */
  if (manager != NULL && aa_item_get_trashed (item))
    aa_action_manager_restore_note (manager, item);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  aa_load_state_reload (AA_LOAD_STATE (AA_TRASH_PAGE (widget)->load_state));
}

static void
title_changed_cb (AaItem    *item,
                  GParamSpec *pspec,
                  GtkWidget *button)
{
  g_autofree char *tooltip = g_strdup_printf (_("Put “%s” back in your notes"), aa_item_get_title (item));

  aa_ui_set_tooltip (button, tooltip);
  aa_ui_name_action (button, _("Restore"), aa_item_get_title (item));
}

/* Moved to the Trash, or restored, while offline: marked until it lands. */
static void
trash_sync_state_cb (AaItem     *item,
                     GParamSpec *pspec,
                     GtkWidget  *mark)
{
  aa_ui_update_sync_mark (mark, aa_resource_get_sync_state (AA_RESOURCE (item)));
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  AaItem *item = AA_ITEM (object);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore"));
  GtkWidget *mark = gtk_image_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  /* Read as the note it holds. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_widget_add_css_class (box, "trash-row");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  g_object_bind_property (item, "title", label, "label", G_BINDING_SYNC_CREATE);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", G_CALLBACK (restore_clicked_cb), item, 0);
  g_signal_connect_object (item, "notify::title", G_CALLBACK (title_changed_cb), button, 0);
  title_changed_cb (item, NULL, button);

  gtk_widget_add_css_class (mark, "dim-label");
  g_signal_connect_object (item, "notify::sync-state", G_CALLBACK (trash_sync_state_cb), mark, 0);
  trash_sync_state_cb (item, NULL, mark);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), mark);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static void
set_manager (AaTrashPage     *self,
             AaActionManager *manager)
{
  g_autofree char *unreachable = NULL;

  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  unreachable = g_strdup_printf (_("The trash could not be loaded from %s."),
                                 aa_action_manager_get_server_url (manager));
  aa_load_state_set_source (AA_LOAD_STATE (self->load_state), manager, AA_REFRESH_TRASH,
                            unreachable, _("Couldn’t reload the trash."));
  g_signal_connect_object (self->load_state, "notify::loaded",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), aa_action_manager_get_trash (manager),
                           create_row, NULL, NULL);
  g_signal_connect_object (aa_action_manager_get_trash (manager), "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::trash-busy",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
}

static void
aa_trash_page_dispose (GObject *object)
{
  AaTrashPage *self = AA_TRASH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->confirm_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
  if (self->list_box != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_TRASH_PAGE);
  g_clear_object (&self->manager);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aa_trash_page_parent_class)->dispose (object);
}

static void
aa_trash_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AaTrashPage *self = AA_TRASH_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_trash_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AaTrashPage *self = AA_TRASH_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    set_manager (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_trash_page_class_init (AaTrashPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_trash_page_dispose;
  object_class->get_property = aa_trash_page_get_property;
  object_class->set_property = aa_trash_page_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_LOAD_STATE);
  

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-trash-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, load_state);
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, empty_button);
  gtk_widget_class_bind_template_child (widget_class, AaTrashPage, list_box);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "trash.empty", NULL, empty_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_trash_page_init (AaTrashPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trash.empty", FALSE);
}

GtkWidget *
aa_trash_page_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_TRASH_PAGE, "manager", manager, NULL);
}

AaActionManager *
aa_trash_page_get_manager (AaTrashPage *self)
{
  g_return_val_if_fail (AA_IS_TRASH_PAGE (self), NULL);

  return self->manager;
}

GtkWidget *
aa_trash_page_get_load_state (AaTrashPage *self)
{
  return self->load_state;
}

GtkWidget *
aa_trash_page_get_list_box (AaTrashPage *self)
{
  return self->list_box;
}

GtkWidget *
aa_trash_page_get_empty_button (AaTrashPage *self)
{
  return self->empty_button;
}

GtkWidget *
aa_trash_page_get_progress (AaTrashPage *self)
{
  return self->progress_box;
}

GtkWidget *
aa_trash_page_get_confirm_dialog (AaTrashPage *self)
{
  return self->confirm_dialog;
}
