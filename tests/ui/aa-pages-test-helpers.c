/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-pages-test"

#include "config.h"

#include "aa-pages-test-helpers.h"

typedef struct {
  GtkWidget  *widget;
  const char *text;
} Check;

static gboolean
state_cb (gpointer user_data)
{
  Check *check = user_data;

  return g_strcmp0 (aa_load_state_get_state (AA_LOAD_STATE (check->widget)), check->text) == 0;
}

void
aa_pages_wait_state (GtkWidget  *load_state,
                     const char *state)
{
  Check check = { load_state, state };

  aa_test_wait_until (state_cb, &check, 10000);
}

static gboolean
not_loading_cb (gpointer user_data)
{
  return g_strcmp0 (aa_load_state_get_state (AA_LOAD_STATE (user_data)), "loading") != 0;
}

GtkWidget *
aa_pages_show (AaUiFixture *fixture,
               const char  *name)
{
  GtkWidget *stack = aa_window_get_stack (fixture->window);
  GtkWidget *page = adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), name);
  GtkWidget *load_state = NULL;

  g_assert_nonnull (page);
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), page);

  if (AA_IS_TRASH_PAGE (page))
    load_state = aa_trash_page_get_load_state (AA_TRASH_PAGE (page));
  else if (AA_IS_BILLING_PAGE (page))
    load_state = aa_billing_page_get_load_state (AA_BILLING_PAGE (page));
  else if (AA_IS_TEAM_PAGE (page))
    load_state = aa_team_page_get_load_state (AA_TEAM_PAGE (page));
  else if (AA_IS_ACTIVITY_PAGE (page))
    load_state = aa_activity_page_get_load_state (AA_ACTIVITY_PAGE (page));

  aa_pages_wait_mapped (page);
  if (load_state != NULL)
    aa_test_wait_until (not_loading_cb, load_state, 10000);
  aa_ui_iterate_ms (50);

  return page;
}

void
aa_pages_trash_notes (AaUiFixture *fixture,
                      guint        n)
{
  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) item = aa_ui_fixture_get_item (fixture, 0);

    aa_action_manager_delete_note (fixture->manager, item);
  }
  aa_ui_fixture_wait_idle (fixture);
  aa_pages_dismiss_toasts (fixture);
}

void
aa_pages_dismiss_toasts (AaUiFixture *fixture)
{
  aa_ui_iterate_ms (20);
  aa_ui_fixture_dismiss_toasts (fixture);
}

typedef struct {
  AaUiFixture *fixture;
  const char  *title;
  AdwToast     *toast;
} ToastWait;

static gboolean
toast_title_cb (gpointer user_data)
{
  ToastWait *wait = user_data;

  wait->toast = aa_window_get_shown_toast (wait->fixture->window);

  return wait->toast != NULL && g_strcmp0 (aa_ui_toast_title (wait->toast), wait->title) == 0;
}

AdwToast *
aa_pages_wait_toast_title (AaUiFixture *fixture,
                           const char  *title)
{
  ToastWait wait = { fixture, title, NULL };

  aa_test_wait_until (toast_title_cb, &wait, 15000);

  return wait.toast;
}

AaInvoice *
aa_pages_find_invoice (AaUiFixture *fixture,
                       const char  *description_prefix)
{
  GListModel *invoices = aa_action_manager_get_invoices (fixture->manager);

  for (guint i = 0; i < g_list_model_get_n_items (invoices); i++) {
    g_autoptr(AaInvoice) invoice = g_list_model_get_item (invoices, i);

    if (g_str_has_prefix (aa_invoice_get_description (invoice), description_prefix))
      return invoice;
  }

  g_assert_not_reached ();
}

AaMember *
aa_pages_find_member (AaUiFixture *fixture,
                      const char  *name)
{
  GListModel *members = aa_action_manager_get_members (fixture->manager);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++) {
    g_autoptr(AaMember) member = g_list_model_get_item (members, i);

    if (g_strcmp0 (aa_member_get_name (member), name) == 0)
      return member;
  }

  g_assert_not_reached ();
}

static gboolean
mapped_cb (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

void
aa_pages_wait_mapped (GtkWidget *widget)
{
  aa_test_wait_until (mapped_cb, widget, 10000);
}

static gboolean
label_cb (gpointer user_data)
{
  Check *check = user_data;

  return gtk_widget_get_visible (check->widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (check->widget)), check->text) == 0;
}

void
aa_pages_wait_label (GtkWidget  *label,
                     const char *text)
{
  Check check = { label, text };

  aa_test_wait_until (label_cb, &check, 15000);
}

static gboolean
settled_cb (gpointer user_data)
{
  return !aa_mutation_is_pending (AA_MUTATION (user_data));
}

void
aa_pages_wait_settled (AaMutation *mutation)
{
  aa_test_wait_until (settled_cb, mutation, 15000);
}

typedef struct {
  GtkWidget *(*get) (gpointer);
  gpointer    data;
} Dialog;

static gboolean
dialog_cb (gpointer user_data)
{
  Dialog *dialog = user_data;
  GtkWidget *widget = dialog->get (dialog->data);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

void
aa_pages_answer_dialog (GtkWidget *(*get) (gpointer),
                        gpointer     data,
                        const char  *response)
{
  Dialog dialog = { get, data };

  aa_test_wait_until (dialog_cb, &dialog, 10000);
  aa_ui_respond (get (data), response);
}

guint
aa_pages_count_paid (AaUiFixture *fixture)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  guint status = 0;
  guint n = 0;

  node = aa_test_request (fixture->server, "GET", "/invoices", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonObject *invoice = json_array_get_object_element (array, i);

    if (g_strcmp0 (json_object_get_string_member (invoice, "status"), "paid") == 0)
      n++;
  }

  return n;
}

AaInvoiceRow *
aa_pages_invoice_row (AaUiFixture *fixture,
                      GtkWidget   *page,
                      const char  *description_prefix)
{
  AaInvoice *invoice = aa_pages_find_invoice (fixture, description_prefix);
  GtkWidget *row = aa_billing_page_find_row (AA_BILLING_PAGE (page), invoice);

  g_assert_nonnull (row);
  return AA_INVOICE_ROW (row);
}

GtkWidget *
aa_pages_invoice_dialog (gpointer row)
{
  return aa_invoice_row_get_confirm_dialog (row);
}
