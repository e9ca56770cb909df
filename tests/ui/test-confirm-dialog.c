#define G_LOG_DOMAIN "aa-test-confirm-dialog"

#include "config.h"

#include <gtk/gtk.h>

#include "aa-confirm-dialog.h"
#include "aa-ui.h"

typedef struct {
  const char *response;
  gboolean    done;
} Answer;

static void
choose_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  answer->response = aa_confirm_dialog_choose_finish (AA_CONFIRM_DIALOG (object), result, &error);
  g_assert_no_error (error);
  answer->done = TRUE;
}

static void
wait_for (Answer *answer)
{
  while (!answer->done)
    g_main_context_iteration (NULL, TRUE);
}

static AaConfirmDialog *
new_delete_dialog (void)
{
  AaConfirmation confirmation = {
    .heading = (char *) "Delete “Buy milk”?",
    .body = (char *) "It moves to the trash. You can undo this.",
    .confirm_label = (char *) "_Delete",
    .destructive = TRUE,
  };

  return aa_confirm_dialog_new_for_confirmation (&confirmation);
}

static void
test_confirm (void)
{
  GtkWidget *parent = gtk_window_new ();
  AaConfirmDialog *dialog = new_delete_dialog ();
  Answer answer = { 0 };
  GtkWidget *confirm, *cancel;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (parent));

  g_assert_cmpstr (aa_confirm_dialog_get_heading (dialog), ==, "Delete “Buy milk”?");
  g_assert_cmpstr (aa_confirm_dialog_get_body (dialog), ==, "It moves to the trash. You can undo this.");
  confirm = aa_confirm_dialog_get_response_button (dialog, "confirm");
  cancel = aa_confirm_dialog_get_response_button (dialog, "cancel");

  /* Destructive, and never the default: Enter must not delete. */
  g_assert_true (gtk_widget_has_css_class (confirm, "destructive-action"));
  g_assert_false (gtk_widget_has_css_class (confirm, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (cancel, "destructive-action"));
  g_assert_null (aa_confirm_dialog_get_default_response (dialog));

  aa_confirm_dialog_choose_async (dialog, GTK_WINDOW (parent), NULL, choose_cb, &answer);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (parent));

  g_signal_emit_by_name (confirm, "clicked");
  wait_for (&answer);
  g_assert_cmpstr (answer.response, ==, "confirm");

  /* It destroyed itself once it answered. */
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_escape_is_cancel (void)
{
  GtkWidget *parent = gtk_window_new ();
  AaConfirmDialog *dialog = new_delete_dialog ();
  Answer answer = { 0 };

  gtk_window_present (GTK_WINDOW (parent));
  aa_confirm_dialog_choose_async (dialog, GTK_WINDOW (parent), NULL, choose_cb, &answer);

  /* Escape is bound to window.close, and closing is the close response. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  wait_for (&answer);
  g_assert_cmpstr (answer.response, ==, "cancel");

  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_cancellable (void)
{
  GtkWidget *parent = gtk_window_new ();
  AaConfirmDialog *dialog = new_delete_dialog ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Answer answer = { 0 };

  gtk_window_present (GTK_WINDOW (parent));
  aa_confirm_dialog_set_close_response (dialog, "cancel");
  aa_confirm_dialog_choose_async (dialog, GTK_WINDOW (parent), cancellable, choose_cb, &answer);
  g_cancellable_cancel (cancellable);
  wait_for (&answer);
  g_assert_cmpstr (answer.response, ==, "cancel");

  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_suggested (void)
{
  GtkWidget *parent = gtk_window_new ();
  AaConfirmDialog *dialog = aa_confirm_dialog_new ("Pay €120.00?", "The card ending 4242 is charged.");
  Answer answer = { 0 };
  GtkWidget *pay;

  gtk_window_present (GTK_WINDOW (parent));
  aa_confirm_dialog_add_response (dialog, "cancel", "_Cancel");
  aa_confirm_dialog_add_response (dialog, "pay", "_Pay");
  aa_confirm_dialog_set_response_appearance (dialog, "pay", AA_RESPONSE_SUGGESTED);
  aa_confirm_dialog_set_default_response (dialog, "pay");
  pay = aa_confirm_dialog_get_response_button (dialog, "pay");
  g_assert_true (gtk_widget_has_css_class (pay, "suggested-action"));

  aa_confirm_dialog_choose_async (dialog, GTK_WINDOW (parent), NULL, choose_cb, &answer);
  /* Enter activates the default widget. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == pay);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  wait_for (&answer);
  g_assert_cmpstr (answer.response, ==, "pay");

  gtk_window_destroy (GTK_WINDOW (parent));
}

/* Destroyed with its parent before anyone answered: the caller still gets
 * the safe answer, so nothing waits forever or leaks. */
static void
test_destroyed_with_parent (void)
{
  GtkWidget *parent = gtk_window_new ();
  AaConfirmDialog *dialog = new_delete_dialog ();
  Answer answer = { 0 };

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (parent));
  aa_confirm_dialog_choose_async (dialog, GTK_WINDOW (parent), NULL, choose_cb, &answer);

  gtk_window_destroy (GTK_WINDOW (parent));
  wait_for (&answer);
  g_assert_cmpstr (answer.response, ==, "cancel");

  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  aa_ui_init ();

  g_test_add_func ("/Aa/ConfirmDialog/confirm", test_confirm);
  g_test_add_func ("/Aa/ConfirmDialog/escape-is-cancel", test_escape_is_cancel);
  g_test_add_func ("/Aa/ConfirmDialog/cancellable", test_cancellable);
  g_test_add_func ("/Aa/ConfirmDialog/suggested", test_suggested);
  g_test_add_func ("/Aa/ConfirmDialog/destroyed-with-parent", test_destroyed_with_parent);

  return g_test_run ();
}
