/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-invoice-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-invoice-row.h"
#include "aa-validate.h"
#include "aa-ui.h"

struct _AaInvoiceRow
{
  GtkListBoxRow    parent_instance;

  GtkWidget       *top_box;
  GtkWidget       *description_label;
  GtkWidget       *id_label;
  GtkWidget       *amount_box;
  GtkWidget       *amount_label;
  GtkWidget       *status_label;
  GtkWidget       *pay_button;
  GtkWidget       *revealer;
  GtkWidget       *form;
  GtkWidget       *card_entry;
  GtkWidget       *field_error;
  GtkWidget       *message_box;
  GtkWidget       *message_label;
  GtkWidget       *message_icon;
  GtkWidget       *retry_button;
  GtkWidget       *cancel_button;
  GtkWidget       *submit_button;
  GtkWidget       *submit_spinner;
  GtkWidget       *submit_label;

  AaActionManager *manager;
  AaInvoice       *invoice;
  /* The payment this row started, followed until the row goes. */
  AaMutationObserver *observer;
  GtkWidget       *confirm_dialog; /* weak */
  /* Where the focus goes once the form no longer waits. */
  GtkWidget       *focus_next;
  GCancellable    *cancellable;

  /* Once the user tried to pay, the field says what is wrong as they type;
   * before, only once the number is long enough to judge. */
  gboolean         tried;
  gboolean         narrow;
};

G_DEFINE_FINAL_TYPE (AaInvoiceRow, aa_invoice_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_INVOICE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Ties what is wrong with the card (@error_label, NULL for nothing) to
 * its field: a screen reader reads it with the field, as invalid. A
 * label that says nothing is not pointed at. */
static void
mark_card (AaInvoiceRow *self,
           GtkWidget    *error_label)
{
  GtkAccessible *entry = GTK_ACCESSIBLE (self->card_entry);

  if (error_label != NULL) {
    /* A single reference, unlike described-by's list. */
    gtk_accessible_update_relation (entry, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, error_label, -1);
    gtk_accessible_update_relation (entry, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL, -1);
  } else {
    gtk_accessible_reset_relation (entry, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
    gtk_accessible_reset_relation (entry, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  }
  gtk_accessible_update_state (entry, GTK_ACCESSIBLE_STATE_INVALID,
                               error_label != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
set_field_error (AaInvoiceRow *self,
                 const char   *message)
{
  gboolean invalid = message != NULL;

  gtk_label_set_text (GTK_LABEL (self->field_error), message);
  gtk_widget_set_visible (self->field_error, invalid);
  if (invalid)
    gtk_widget_add_css_class (self->card_entry, "error");
  else
    gtk_widget_remove_css_class (self->card_entry, "error");
  mark_card (self, invalid ? self->field_error : NULL);
}

static void
set_message (AaInvoiceRow *self,
             const char   *message,
             gboolean      can_retry)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), message);
  gtk_widget_set_visible (self->message_box, message != NULL);
  if (message == NULL && !gtk_widget_get_visible (self->field_error))
    mark_card (self, NULL);
  gtk_widget_set_visible (self->retry_button, message != NULL && can_retry);
  gtk_widget_remove_css_class (self->message_box, "inline-pending");
  gtk_widget_add_css_class (self->message_box, "inline-error");
  gtk_image_set_from_icon_name (GTK_IMAGE (self->message_icon), "dialog-warning-symbolic");
}

/* Not a failure: what is happening to the payment meanwhile, calmly, with
 * nothing to press. */
static void
set_pending_message (AaInvoiceRow *self,
                     const char   *message)
{
  set_message (self, message, FALSE);
  gtk_widget_remove_css_class (self->message_box, "inline-error");
  gtk_widget_add_css_class (self->message_box, "inline-pending");
  gtk_image_set_from_icon_name (GTK_IMAGE (self->message_icon), "content-loading-symbolic");
}

/* The engine doesn't know yet whether the server has the payment: the
 * invoice is neither Open (Pay would pay twice) nor Paid. */
static gboolean
is_unconfirmed (AaInvoiceRow *self)
{
  return aa_resource_get_sync_state (AA_RESOURCE (self->invoice)) == AA_SYNC_STATE_UNKNOWN;
}

static guint
count_digits (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      n++;
  }

  return n;
}

/* Validates what is typed with the rule the server uses. Returns whether it
 * is valid; shows the error when @show, or when it is clear already. */
static gboolean
validate (AaInvoiceRow *self,
          gboolean      show)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->card_entry));
  g_autoptr(GError) error = NULL;
  gboolean valid = aa_validate_card_number (text, NULL, &error);
  gboolean has_typo = FALSE;

  for (const char *p = text; *p != '\0'; p++) {
    if (*p != ' ' && !g_ascii_isdigit (*p))
      has_typo = TRUE;
  }

  if (valid)
    set_field_error (self, NULL);
  else if (show || self->tried || has_typo || count_digits (text) > 16)
    set_field_error (self, error->message);
  else
    set_field_error (self, NULL);

  return valid;
}

/* Moves the focus to @widget once the form no longer waits for the
 * server: an insensitive field cannot take it, and the focus must not be
 * left on a widget that went away (Tab would do nothing). */
static void
focus_when_ready (AaInvoiceRow *self,
                  GtkWidget    *widget)
{
  self->focus_next = widget;
  if (!aa_resource_get_busy (AA_RESOURCE (self->invoice)) && gtk_widget_grab_focus (widget))
    self->focus_next = NULL;
}

/* Whether the focus is in the form. Not its focus child: GTK clears that
 * chain while another window is active, as the confirmation is when the
 * payment starts. */
static gboolean
form_has_focus (AaInvoiceRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, self->form);
}

static void
update_busy (AaInvoiceRow *self)
{
  gboolean busy = aa_resource_get_busy (AA_RESOURCE (self->invoice));
  g_autofree char *amount = aa_invoice_format_amount (self->invoice);
  g_autofree char *label = NULL;

  /* Focus stays on the Pay button while it works (a focused entry made
   * insensitive would lose it to nowhere); the button ignores presses
   * meanwhile, since submit() checks for busy. */
  if (busy && form_has_focus (self))
    gtk_widget_grab_focus (self->submit_button);

  /* The form waits for the server; the rest of the window does not. */
  gtk_widget_set_sensitive (self->card_entry, !busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  gtk_widget_set_can_target (self->submit_button, !busy);
  if (busy)
    gtk_widget_add_css_class (self->submit_button, "busy");
  else
    gtk_widget_remove_css_class (self->submit_button, "busy");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->form), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  gtk_widget_set_visible (self->submit_spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->submit_spinner), busy);
  if (!busy && self->focus_next != NULL) {
    gtk_widget_grab_focus (self->focus_next);
    self->focus_next = NULL;
  }

  label = busy && is_unconfirmed (self) ? g_strdup (_("Checking…"))
          : busy ? g_strdup (_("Paying…")) : g_strdup_printf (_("Pay %s"), amount);
  gtk_label_set_text (GTK_LABEL (self->submit_label), label);

  /* Its label sits in a box with a spinner, which names nothing: the
   * button says what it pays. */
  g_free (label);
  label = busy ? g_strdup_printf (_("Paying %s for “%s”…"), amount, aa_invoice_get_description (self->invoice))
               : g_strdup_printf (_("Pay %s for “%s”"), amount, aa_invoice_get_description (self->invoice));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->submit_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
close_form (AaInvoiceRow *self)
{
  gboolean had_focus = form_has_focus (self);

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->card_entry), "");
  self->tried = FALSE;
  set_field_error (self, NULL);
  set_message (self, NULL, FALSE);
  gtk_widget_set_visible (self->pay_button,
                          aa_invoice_get_status (self->invoice) == AA_INVOICE_STATUS_OPEN);
  /* Paid, there is no button left: the row keeps the focus. */
  if (had_focus)
    focus_when_ready (self, gtk_widget_get_visible (self->pay_button) ? self->pay_button : GTK_WIDGET (self));
}

/* The row takes the focus when its form goes (paid): it reads as what it
 * shows, "Design system, €1840.00, Paid". */
static void
update_row_name (AaInvoiceRow *self)
{
  g_autofree char *amount = aa_invoice_format_amount (self->invoice);
  g_autofree char *name = NULL;
  gboolean paid = aa_invoice_get_status (self->invoice) == AA_INVOICE_STATUS_PAID;

  /* TRANSLATORS: an invoice as a screen reader reads it: description,
   * amount and status, as in "Design system, €1840.00, Paid". */
  name = g_strdup_printf (_("%s, %s, %s"), aa_invoice_get_description (self->invoice), amount,
                          paid ? _("Paid") : is_unconfirmed (self) ? _("Payment not confirmed yet") : _("Open"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_status (AaInvoiceRow *self)
{
  gboolean paid = aa_invoice_get_status (self->invoice) == AA_INVOICE_STATUS_PAID;
  gboolean unconfirmed = !paid && is_unconfirmed (self);
  const char *css = paid ? "paid" : unconfirmed ? "unconfirmed" : "open";
  const char *classes[] = { "paid", "unconfirmed", "open" };

  gtk_label_set_text (GTK_LABEL (self->status_label),
                      paid ? _("Paid") : unconfirmed ? _("Not confirmed yet") : _("Open"));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->status_label, classes[i]);
  gtk_widget_add_css_class (self->status_label, css);
  aa_ui_set_tooltip (self->status_label,
                     unconfirmed ? _("The answer to this payment was lost. The app is checking with the server "
                                     "whether it went through; don’t pay again meanwhile.")
                                 : NULL);

  update_row_name (self);
  if (paid)
    close_form (self);
  else
    /* Pay is never offered while a payment may have gone through. */
    gtk_widget_set_visible (self->pay_button,
                            !unconfirmed && !gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer)));
}

static void
update_labels (AaInvoiceRow *self)
{
  g_autofree char *amount = aa_invoice_format_amount (self->invoice);
  g_autofree char *pay_label = NULL;

  gtk_label_set_text (GTK_LABEL (self->description_label), aa_invoice_get_description (self->invoice));
  gtk_label_set_text (GTK_LABEL (self->id_label), aa_resource_get_id (AA_RESOURCE (self->invoice)));
  gtk_label_set_text (GTK_LABEL (self->amount_label), amount);

  pay_label = g_strdup_printf (_("Pay “%s” by card"), aa_invoice_get_description (self->invoice));
  aa_ui_set_tooltip (self->pay_button, pay_label);
  aa_ui_name_action (self->pay_button, _("Pay"), aa_invoice_get_description (self->invoice));
  update_row_name (self);
  update_busy (self);
}

/* The outcome of the payment this row started, rendered in place. Success
 * also gets the window's toast; failures stay here, at the form. */
static void
mutation_state_cb (AaInvoiceRow *self)
{
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);
  AaFeedbackAction action = AA_FEEDBACK_ACTION_NONE;
  const GError *error;

  if (mutation == NULL)
    return;

  switch (aa_mutation_observer_get_state (self->observer)) {
  case AA_MUTATION_STATE_SUCCEEDED:
    close_form (self);
    break;

  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    error = aa_mutation_observer_get_error (self->observer);
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
    gtk_widget_set_visible (self->pay_button, FALSE);

    /* Refused before sending: the field says what to fix; refused
     * because the server can't be reached, the form says nothing
     * happened and what to do. */
    if (aa_mutation_get_attempts (mutation) == 0 && !g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE)) {
      set_field_error (self, aa_mutation_observer_get_message (self->observer));
      break;
    }

    aa_feedback_choose_tier (mutation, &action);
    set_message (self, aa_mutation_observer_get_message (self->observer), action == AA_FEEDBACK_ACTION_RETRY);

    /* A declined card: what was typed stays, ready to be corrected. */
    if (g_error_matches (error, AA_ERROR, AA_ERROR_REFUSED)) {
      mark_card (self, self->message_label);
      focus_when_ready (self, self->card_entry);
      gtk_editable_select_region (GTK_EDITABLE (self->card_entry), 0, -1);
    } else if (action == AA_FEEDBACK_ACTION_RETRY) {
      focus_when_ready (self, self->retry_button);
    }
    break;

  case AA_MUTATION_STATE_QUEUED:
  case AA_MUTATION_STATE_SENT:
    set_message (self, NULL, FALSE);
    break;

  case AA_MUTATION_STATE_UNKNOWN:
    /* Not confirmed yet: never "Couldn't pay", nothing to press; the
     * engine finds out and this row then says Paid, or what failed. */
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
    gtk_widget_set_visible (self->pay_button, FALSE);
    set_pending_message (self, aa_mutation_observer_get_message (self->observer));
    break;

  case AA_MUTATION_STATE_UNDONE:
  case AA_MUTATION_STATE_COALESCED:
  default:
    break;
  }
}

static void
set_mutation (AaInvoiceRow *self,
              AaMutation   *mutation)
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
pay_now (AaInvoiceRow *self)
{
  AaMutation *mutation;

  /* Pessimistic: nothing shows "Paid" until the server says so. Paying
   * again while this one is on its way returns this one: one key. */
  mutation = aa_action_manager_pay_invoice (self->manager, self->invoice,
                                            gtk_editable_get_text (GTK_EDITABLE (self->card_entry)));
  set_mutation (self, mutation);
}

static void
pay_chosen_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AaInvoiceRow) self = user_data;

  if (!aa_ui_confirm_finish (result) || self->manager == NULL) {
    gtk_widget_grab_focus (self->submit_button);
    return;
  }

  pay_now (self);
}

static void
submit (AaInvoiceRow *self)
{
  g_autoptr(AaConfirmation) confirmation = NULL;

  if (self->manager == NULL || self->confirm_dialog != NULL ||
      aa_resource_get_busy (AA_RESOURCE (self->invoice)) ||
      aa_invoice_get_status (self->invoice) != AA_INVOICE_STATUS_OPEN)
    return;

  self->tried = TRUE;
  set_message (self, NULL, FALSE);

  /* A malformed number is flagged at the field, before anything is sent. */
  if (!validate (self, TRUE)) {
    gtk_widget_grab_focus (self->card_entry);
    gtk_widget_error_bell (GTK_WIDGET (self));
    return;
  }

  confirmation = aa_action_manager_describe_payment (self->manager, self->invoice,
                                                     gtk_editable_get_text (GTK_EDITABLE (self->card_entry)));
  /* The rules decide whether to ask first, not this row. */
  if (confirmation == NULL) {
    pay_now (self);
    return;
  }

  self->confirm_dialog = aa_ui_confirm_async (GTK_WIDGET (self), confirmation, self->cancellable,
                                              pay_chosen_cb, g_object_ref (self));
  g_object_add_weak_pointer (G_OBJECT (self->confirm_dialog), (gpointer *) &self->confirm_dialog);
}

static void
pay_clicked_cb (AaInvoiceRow *self)
{
  gtk_widget_set_visible (self->pay_button, FALSE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
  gtk_widget_grab_focus (self->card_entry);
}

static void
cancel_clicked_cb (AaInvoiceRow *self)
{
  if (!aa_resource_get_busy (AA_RESOURCE (self->invoice)))
    close_form (self);
}

static void
submit_clicked_cb (AaInvoiceRow *self)
{
  submit (self);
}

static void
retry_clicked_cb (AaInvoiceRow *self)
{
  /* The same payment, the same key: the server charges once, however many
   * times the answer was lost. */
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);

  if (mutation != NULL)
    aa_action_manager_retry (self->manager, mutation);
}

static void
entry_changed_cb (AaInvoiceRow *self)
{
  AaMutation *mutation = aa_mutation_observer_get_mutation (self->observer);

  /* The message was about the number that was there; a new one is a new try. */
  if (mutation != NULL && !aa_mutation_is_pending (mutation))
    set_message (self, NULL, FALSE);
  validate (self, FALSE);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  cancel_clicked_cb (AA_INVOICE_ROW (user_data));
  return TRUE;
}

static void
aa_invoice_row_constructed (GObject *object)
{
  AaInvoiceRow *self = AA_INVOICE_ROW (object);

  G_OBJECT_CLASS (aa_invoice_row_parent_class)->constructed (object);

  /* Built without an invoice (as GtkBuilder may): it shows nothing. */
  if (self->invoice == NULL || self->manager == NULL)
    return;

  g_signal_connect_object (self->invoice, "notify::status", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->invoice, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->invoice, "notify::sync-state", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->invoice, "notify::sync-state", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->invoice, "notify::description", G_CALLBACK (update_labels), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->invoice, "notify::amount-cents", G_CALLBACK (update_labels), self, G_CONNECT_SWAPPED);
  update_labels (self);
  update_status (self);
}

static void
aa_invoice_row_dispose (GObject *object)
{
  AaInvoiceRow *self = AA_INVOICE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->confirm_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
  if (self->observer != NULL) {
    g_signal_handlers_disconnect_by_data (self->observer, self);
    aa_mutation_observer_set_mutation (self->observer, NULL);
  }
  g_clear_object (&self->observer);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_INVOICE_ROW);
  g_clear_object (&self->invoice);
  g_clear_object (&self->manager);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aa_invoice_row_parent_class)->dispose (object);
}

static void
aa_invoice_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AaInvoiceRow *self = AA_INVOICE_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_INVOICE:
    g_value_set_object (value, self->invoice);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_invoice_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AaInvoiceRow *self = AA_INVOICE_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  case PROP_INVOICE:
    self->invoice = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_invoice_row_class_init (AaInvoiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aa_invoice_row_constructed;
  object_class->dispose = aa_invoice_row_dispose;
  object_class->get_property = aa_invoice_row_get_property;
  object_class->set_property = aa_invoice_row_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_INVOICE] =
    g_param_spec_object ("invoice", NULL, NULL,
                         AA_TYPE_INVOICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-invoice-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, top_box);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, amount_box);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, pay_button);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, revealer);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, form);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, card_entry);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, field_error);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, message_box);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, message_icon);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, submit_button);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, submit_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaInvoiceRow, submit_label);
  gtk_widget_class_bind_template_callback (widget_class, pay_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
aa_invoice_row_init (AaInvoiceRow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->observer = aa_mutation_observer_new (NULL);
  g_signal_connect_swapped (self->observer, "notify::state", G_CALLBACK (mutation_state_cb), self);
  /* Its words come after its state (what it waits for, being checked). */
  g_signal_connect_swapped (self->observer, "notify::message", G_CALLBACK (mutation_state_cb), self);

  /* Escape leaves the form, as it would a dialog. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_cb, self, NULL)));
  gtk_widget_add_controller (self->form, controller);
}

GtkWidget *
aa_invoice_row_new (AaActionManager *manager,
                    AaInvoice       *invoice)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  return g_object_new (AA_TYPE_INVOICE_ROW, "manager", manager, "invoice", invoice, NULL);
}

/* Narrow, a title beside the amount and Pay would get a word a line: it
 * takes the row's width, and the amount, its state and Pay go on the line
 * below, Pay at its end. The same widgets either way, so the focus, the
 * busy state and the names stay as they are. */
void
aa_invoice_row_set_narrow (AaInvoiceRow *self,
                           gboolean      narrow)
{
  g_return_if_fail (AA_IS_INVOICE_ROW (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;

  self->narrow = narrow;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->top_box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self->top_box), narrow ? 8 : 12);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->amount_box),
                                  narrow ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self->amount_box), narrow ? 8 : 4);
  gtk_widget_set_hexpand (self->amount_box, narrow);
  gtk_label_set_xalign (GTK_LABEL (self->amount_label), narrow ? 0 : 1);
  gtk_widget_set_halign (self->status_label, narrow ? GTK_ALIGN_START : GTK_ALIGN_END);
}

gboolean
aa_invoice_row_get_narrow (AaInvoiceRow *self)
{
  g_return_val_if_fail (AA_IS_INVOICE_ROW (self), FALSE);

  return self->narrow;
}

AaInvoice *
aa_invoice_row_get_invoice (AaInvoiceRow *self)
{
  g_return_val_if_fail (AA_IS_INVOICE_ROW (self), NULL);
  return self->invoice;
}

AaMutation *
aa_invoice_row_get_mutation (AaInvoiceRow *self)
{
  g_return_val_if_fail (AA_IS_INVOICE_ROW (self), NULL);
  return aa_mutation_observer_get_mutation (self->observer);
}

GtkWidget *
aa_invoice_row_get_status_label (AaInvoiceRow *self)
{
  return self->status_label;
}

GtkWidget *
aa_invoice_row_get_pay_button (AaInvoiceRow *self)
{
  return self->pay_button;
}

GtkWidget *
aa_invoice_row_get_form (AaInvoiceRow *self)
{
  return self->revealer;
}

GtkWidget *
aa_invoice_row_get_card_entry (AaInvoiceRow *self)
{
  return self->card_entry;
}

GtkWidget *
aa_invoice_row_get_field_error (AaInvoiceRow *self)
{
  return self->field_error;
}

GtkWidget *
aa_invoice_row_get_message_label (AaInvoiceRow *self)
{
  return self->message_label;
}

GtkWidget *
aa_invoice_row_get_retry_button (AaInvoiceRow *self)
{
  return self->retry_button;
}

GtkWidget *
aa_invoice_row_get_cancel_button (AaInvoiceRow *self)
{
  return self->cancel_button;
}

GtkWidget *
aa_invoice_row_get_submit_button (AaInvoiceRow *self)
{
  return self->submit_button;
}

GtkWidget *
aa_invoice_row_get_submit_label (AaInvoiceRow *self)
{
  return self->submit_label;
}

GtkWidget *
aa_invoice_row_get_confirm_dialog (AaInvoiceRow *self)
{
  return self->confirm_dialog;
}
