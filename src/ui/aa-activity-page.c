/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-activity-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-activity-page.h"
#include "aa-activity-row.h"
#include "aa-load-state.h"

struct _AaActivityPage
{
  GtkWidget        parent_instance;

  GtkWidget       *load_state;
  GtkWidget       *summary_label;
  GtkWidget       *scrolled_window;
  GtkWidget       *list_view;

  AaActionManager *manager;
  guint            scroll_idle_id;
  /* The reader is looking at the newest changes, not scrolled down to
   * older ones. */
  gboolean         at_top;
};

G_DEFINE_FINAL_TYPE (AaActivityPage, aa_activity_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Nothing this run, but changes kept from the last one wait for the
 * server (they are in the journal only until the lists can be read):
 * said, rather than "No Changes Yet". */
static void
update_empty (AaActivityPage *self)
{
  guint n_kept = aa_action_manager_get_n_kept (self->manager);
  g_autofree char *kept = NULL;

  if (n_kept == 0) {
    g_object_set (self->load_state,
                  "empty-title", _("No Changes Yet"),
                  "empty-description", _("Star, edit or delete a note, pay an invoice or change a role: each change shows up here as the engine runs it."),
                  NULL);
    return;
  }

  kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u change made before the app was last closed is kept, and shows up here once the server can be reached.",
                                       "%u changes made before the app was last closed are kept, and show up here once the server can be reached.",
                                       n_kept), n_kept);
  g_object_set (self->load_state,
                "empty-title", _("Changes Kept From Last Time"),
                "empty-description", kept,
                NULL);
}

static void
update_state (AaActivityPage *self)
{
  AaEngine *engine = aa_action_manager_get_engine (self->manager);
  GListModel *mutations = aa_engine_get_mutations (engine);
  guint n = g_list_model_get_n_items (mutations);
  guint n_pending = aa_engine_get_n_pending (engine);
  guint n_failed = aa_engine_get_n_failed (engine);
  guint n_waiting = aa_engine_get_n_waiting (engine);
  guint n_unknown = aa_engine_get_n_unknown (engine);
  g_autofree char *total = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *summary = NULL;

  n_pending -= MIN (n_pending, n_waiting + n_unknown);

  aa_load_state_show_content (AA_LOAD_STATE (self->load_state), n == 0);
  update_empty (self);

  total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", n), n);
  pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u on its way", "%u on their way", n_pending), n_pending);
  failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", n_failed), n_failed);
  /* Translators: "12 changes · 1 on its way · 0 failed". */
  summary = g_strdup_printf (_("%s · %s · %s"), total, pending, failed);

  /* Waiting and being checked are pending too, never failed: said apart
   * while there are any. */
  if (n_waiting > 0 || n_unknown > 0) {
    g_autoptr(GString) more = g_string_new (summary);

    if (n_waiting > 0) {
      g_string_append (more, " · ");
      g_string_append_printf (more, g_dngettext (GETTEXT_PACKAGE, "%u waiting to be sent", "%u waiting to be sent",
                                                 n_waiting), n_waiting);
    }
    if (n_unknown > 0) {
      g_string_append (more, " · ");
      g_string_append_printf (more, g_dngettext (GETTEXT_PACKAGE, "%u not confirmed yet", "%u not confirmed yet",
                                                 n_unknown), n_unknown);
    }
    g_free (summary);
    summary = g_string_free (g_steal_pointer (&more), FALSE);
  }
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
}

static GtkAdjustment *
vadjustment (AaActivityPage *self)
{
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
}

static gboolean
scroll_to_top_cb (gpointer user_data)
{
  AaActivityPage *self = AA_ACTIVITY_PAGE (user_data);
  GtkAdjustment *adjustment = vadjustment (self);

  self->scroll_idle_id = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  self->at_top = TRUE;

  return G_SOURCE_REMOVE;
}

static void
follow_newest (AaActivityPage *self)
{
  if (self->at_top && self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add (scroll_to_top_cb, self);
}

static void
value_changed_cb (AaActivityPage *self)
{
  GtkAdjustment *adjustment = vadjustment (self);

  /* Only the reader moves away from the top; the list moving to keep
   * its rows in place while one comes in above is followed back up. */
  if (self->scroll_idle_id == 0)
    self->at_top = gtk_adjustment_get_value (adjustment) <= gtk_adjustment_get_lower (adjustment) + 1;
}

static void
mutations_changed_cb (AaActivityPage *self,
                      guint           position,
                      guint           removed,
                      guint           added)
{
  /* The newest change comes in at the top: follow it there. */
  if (position == 0 && added > 0)
    follow_newest (self);
  update_state (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              AaActivityPage           *self)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, aa_activity_row_new (self->manager));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             AaActivityPage           *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);

  aa_activity_row_set_mutation (AA_ACTIVITY_ROW (row), gtk_list_item_get_item (list_item));
  /* The list's item, which takes the focus, reads as the change. */
  if (gtk_widget_get_parent (row) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    aa_mutation_get_label (gtk_list_item_get_item (list_item)), -1);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               AaActivityPage           *self)
{
  aa_activity_row_set_mutation (AA_ACTIVITY_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
set_manager (AaActivityPage  *self,
             AaActionManager *manager)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GListModel *mutations;
  AaEngine *engine;

  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  engine = aa_action_manager_get_engine (manager);
  mutations = aa_engine_get_mutations (engine);
  /* Before the view's own handler, which may scroll to keep its rows. */
  g_signal_connect_object (mutations, "items-changed", G_CALLBACK (mutations_changed_cb), self, G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (mutations));
  gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (engine, "notify::n-pending", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-failed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-waiting", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-unknown", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  update_state (self);
}

static void
aa_activity_page_map (GtkWidget *widget)
{
  AaActivityPage *self = AA_ACTIVITY_PAGE (widget);

  GTK_WIDGET_CLASS (aa_activity_page_parent_class)->map (widget);

  follow_newest (self);
}

static void
aa_activity_page_dispose (GObject *object)
{
  AaActivityPage *self = AA_ACTIVITY_PAGE (object);

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_ACTIVITY_PAGE);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_activity_page_parent_class)->dispose (object);
}

static void
aa_activity_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AaActivityPage *self = AA_ACTIVITY_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_activity_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AaActivityPage *self = AA_ACTIVITY_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    set_manager (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_activity_page_class_init (AaActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_activity_page_dispose;
  object_class->get_property = aa_activity_page_get_property;
  object_class->set_property = aa_activity_page_set_property;
  widget_class->map = aa_activity_page_map;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_LOAD_STATE);
  

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AaActivityPage, load_state);
  gtk_widget_class_bind_template_child (widget_class, AaActivityPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AaActivityPage, list_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_activity_page_init (AaActivityPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->at_top = TRUE;
  g_signal_connect_object (vadjustment (self), "value-changed", G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->list_view), factory);
}

GtkWidget *
aa_activity_page_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_ACTIVITY_PAGE, "manager", manager, NULL);
}

AaActionManager *
aa_activity_page_get_manager (AaActivityPage *self)
{
  g_return_val_if_fail (AA_IS_ACTIVITY_PAGE (self), NULL);

  return self->manager;
}

GtkWidget *
aa_activity_page_get_list_view (AaActivityPage *self)
{
  return self->list_view;
}

GtkWidget *
aa_activity_page_get_load_state (AaActivityPage *self)
{
  return self->load_state;
}

static GtkWidget *
find_row_in (GtkWidget  *widget,
             AaMutation *mutation)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (AA_IS_ACTIVITY_ROW (child) && aa_activity_row_get_mutation (AA_ACTIVITY_ROW (child)) == mutation)
      return child;

    found = find_row_in (child, mutation);
    if (found != NULL)
      return found;
  }

  return NULL;
}

GtkWidget *
aa_activity_page_find_row (AaActivityPage *self,
                           AaMutation     *mutation)
{
  return find_row_in (self->list_view, mutation);
}
