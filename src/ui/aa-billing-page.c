/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-billing-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-billing-page.h"
#include "aa-invoice-row.h"
#include "aa-load-state.h"

struct _AaBillingPage
{
  GtkWidget        parent_instance;

  GtkWidget       *load_state;
  GtkWidget       *list_box;

  AaActionManager *manager;
  gboolean         folded;
};

G_DEFINE_FINAL_TYPE (AaBillingPage, aa_billing_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_state (AaBillingPage *self)
{
  GListModel *invoices = aa_action_manager_get_invoices (self->manager);

  if (aa_load_state_get_loaded (AA_LOAD_STATE (self->load_state)))
    aa_load_state_show_content (AA_LOAD_STATE (self->load_state), g_list_model_get_n_items (invoices) == 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  aa_load_state_reload (AA_LOAD_STATE (AA_BILLING_PAGE (widget)->load_state));
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  AaBillingPage *self = AA_BILLING_PAGE (user_data);
  GtkWidget *row = aa_invoice_row_new (self->manager, AA_INVOICE (object));

  aa_invoice_row_set_narrow (AA_INVOICE_ROW (row), self->folded);
  return row;
}

static void
set_manager (AaBillingPage   *self,
             AaActionManager *manager)
{
  g_autofree char *unreachable = NULL;

  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  unreachable = g_strdup_printf (_("The invoices could not be loaded from %s."),
                                 aa_action_manager_get_server_url (manager));
  aa_load_state_set_source (AA_LOAD_STATE (self->load_state), manager, AA_REFRESH_INVOICES,
                            unreachable, _("Couldn’t reload the invoices."));
  g_signal_connect_object (self->load_state, "notify::loaded",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), aa_action_manager_get_invoices (manager),
                           create_row, self, NULL);
  g_signal_connect_object (aa_action_manager_get_invoices (manager), "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
}

static void
aa_billing_page_dispose (GObject *object)
{
  AaBillingPage *self = AA_BILLING_PAGE (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_BILLING_PAGE);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_billing_page_parent_class)->dispose (object);
}

static void
aa_billing_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AaBillingPage *self = AA_BILLING_PAGE (object);

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
aa_billing_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AaBillingPage *self = AA_BILLING_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    set_manager (self, g_value_get_object (value));
    break;
  case PROP_FOLDED:
    aa_billing_page_set_folded (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_billing_page_class_init (AaBillingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_billing_page_dispose;
  object_class->get_property = aa_billing_page_get_property;
  object_class->set_property = aa_billing_page_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_LOAD_STATE);
  

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-billing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AaBillingPage, load_state);
  gtk_widget_class_bind_template_child (widget_class, AaBillingPage, list_box);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_billing_page_init (AaBillingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
aa_billing_page_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_BILLING_PAGE, "manager", manager, NULL);
}

AaActionManager *
aa_billing_page_get_manager (AaBillingPage *self)
{
  g_return_val_if_fail (AA_IS_BILLING_PAGE (self), NULL);

  return self->manager;
}

gboolean
aa_billing_page_get_folded (AaBillingPage *self)
{
  g_return_val_if_fail (AA_IS_BILLING_PAGE (self), FALSE);

  return self->folded;
}

void
aa_billing_page_set_folded (AaBillingPage *self,
                            gboolean       folded)
{
  g_return_if_fail (AA_IS_BILLING_PAGE (self));

  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (AA_IS_INVOICE_ROW (child))
      aa_invoice_row_set_narrow (AA_INVOICE_ROW (child), folded);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLDED]);
}

GtkWidget *
aa_billing_page_get_load_state (AaBillingPage *self)
{
  return self->load_state;
}

GtkWidget *
aa_billing_page_find_row (AaBillingPage *self,
                          AaInvoice     *invoice)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (AA_IS_INVOICE_ROW (child) && aa_invoice_row_get_invoice (AA_INVOICE_ROW (child)) == invoice)
      return child;
  }

  return NULL;
}
