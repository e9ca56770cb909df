#define G_LOG_DOMAIN "aa-test-toast-overlay"

#include "config.h"

#include <gtk/gtk.h>

#include "aa-toast-overlay-private.h"
#include "aa-toast-widget-private.h"
#include "aa-ui.h"

static void
count_cb (gpointer  instance,
          guint    *counter)
{
  (*counter)++;
}

static AaToast *
new_toast (const char *title,
           guint      *dismissed)
{
  AaToast *toast = aa_toast_new (title);

  g_signal_connect (toast, "dismissed", G_CALLBACK (count_cb), dismissed);
  return toast;
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
test_queue (void)
{
  GtkWidget *overlay = g_object_ref_sink (aa_toast_overlay_new ());
  guint dismissed_a = 0, dismissed_b = 0, dismissed_c = 0;
  AaToast *a = new_toast ("A", &dismissed_a);
  AaToast *b = new_toast ("B", &dismissed_b);
  AaToast *c = new_toast ("C", &dismissed_c);

  g_object_add_weak_pointer (G_OBJECT (a), (gpointer *) &a);
  g_object_add_weak_pointer (G_OBJECT (b), (gpointer *) &b);
  g_object_add_weak_pointer (G_OBJECT (c), (gpointer *) &c);

  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), a);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), b);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), c);

  /* One at a time, in order. */
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == a);
  g_assert_cmpuint (aa_toast_overlay_get_n_queued (AA_TOAST_OVERLAY (overlay)), ==, 2);

  aa_toast_dismiss (a);
  g_assert_cmpuint (dismissed_a, ==, 1);
  g_assert_null (a);
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == b);

  /* A queued toast can be dismissed before it is ever shown. */
  aa_toast_dismiss (c);
  g_assert_cmpuint (dismissed_c, ==, 1);
  g_assert_null (c);
  g_assert_cmpuint (aa_toast_overlay_get_n_queued (AA_TOAST_OVERLAY (overlay)), ==, 0);

  aa_toast_dismiss (b);
  g_assert_cmpuint (dismissed_b, ==, 1);
  g_assert_null (b);
  g_assert_null (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)));

  g_assert_finalize_object (overlay);
}

static void
test_priority (void)
{
  GtkWidget *overlay = g_object_ref_sink (aa_toast_overlay_new ());
  guint dismissed = 0;
  AaToast *a = new_toast ("A", &dismissed);
  AaToast *b = new_toast ("B", &dismissed);
  AaToast *urgent = new_toast ("Urgent", &dismissed);

  aa_toast_set_priority (urgent, AA_TOAST_PRIORITY_HIGH);

  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), a);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), b);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), urgent);

  /* The urgent one is shown at once and A goes back to the head, before B. */
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == urgent);
  g_assert_cmpuint (aa_toast_overlay_get_n_queued (AA_TOAST_OVERLAY (overlay)), ==, 2);
  g_assert_cmpuint (dismissed, ==, 0);

  aa_toast_dismiss (urgent);
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == a);
  aa_toast_dismiss (a);
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == b);
  aa_toast_dismiss (b);
  g_assert_cmpuint (dismissed, ==, 3);

  g_assert_finalize_object (overlay);
}

static void
test_timeout (void)
{
  GtkWidget *overlay = g_object_ref_sink (aa_toast_overlay_new ());
  guint dismissed = 0, dismissed_sticky = 0;
  AaToast *toast = new_toast ("Saved", &dismissed);
  AaToast *sticky = new_toast ("Sticky", &dismissed_sticky);
  gint64 start;

  g_assert_cmpuint (aa_toast_get_timeout (toast), ==, 5);
  aa_toast_set_timeout (toast, 1);
  aa_toast_set_timeout (sticky, 0);

  start = g_get_monotonic_time ();
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), g_object_ref (toast));
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), g_object_ref (sticky));

  /* Adding the shown toast again restarts its timeout. */
  wait_ms (700);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), g_object_ref (toast));
  g_assert_cmpuint (aa_toast_overlay_get_n_queued (AA_TOAST_OVERLAY (overlay)), ==, 1);
  wait_ms (700);
  g_assert_cmpuint (dismissed, ==, 0);

  while (dismissed == 0 && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (dismissed, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1700 * 1000);

  /* A timeout of 0 stays until dismissed. */
  g_assert_true (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)) == sticky);
  wait_ms (1200);
  g_assert_cmpuint (dismissed_sticky, ==, 0);
  aa_toast_dismiss (sticky);
  g_assert_cmpuint (dismissed_sticky, ==, 1);

  g_assert_finalize_object (toast);
  g_assert_finalize_object (sticky);
  g_assert_finalize_object (overlay);
}

static void
activated_cb (GSimpleAction *action,
              GVariant      *parameter,
              guint         *received)
{
  *received = g_variant_get_uint32 (parameter);
}

static void
test_button (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = aa_toast_overlay_new ();
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("undo", G_VARIANT_TYPE_UINT32);
  guint received = 0, clicked = 0, dismissed = 0;
  AaToast *toast = new_toast ("Deleted “Buy milk”", &dismissed);
  AaToastWidget *widget;
  GtkWidget *button;

  g_signal_connect (action, "activate", G_CALLBACK (activated_cb), &received);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "test", G_ACTION_GROUP (group));

  aa_toast_overlay_set_child (AA_TOAST_OVERLAY (overlay), gtk_label_new ("content"));
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));

  aa_toast_set_button_label (toast, "_Undo");
  aa_toast_set_action_name (toast, "test.undo");
  aa_toast_set_action_target (toast, g_variant_new_uint32 (7));
  g_signal_connect (toast, "button-clicked", G_CALLBACK (count_cb), &clicked);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), g_object_ref (toast));

  widget = AA_TOAST_WIDGET (aa_toast_overlay_get_shown_widget (AA_TOAST_OVERLAY (overlay)));
  g_assert_nonnull (widget);
  button = aa_toast_widget_get_button (widget);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_ALERT);

  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (received, ==, 7);
  g_assert_cmpuint (clicked, ==, 1);
  g_assert_cmpuint (dismissed, ==, 1);
  g_assert_null (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (toast);
}

static void
test_escape_and_close (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = aa_toast_overlay_new ();
  guint dismissed = 0;
  AaToast *first = new_toast ("First", &dismissed);
  AaToast *second = new_toast ("Second", &dismissed);
  GtkWidget *widget;

  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));

  /* Without a toast, Escape does nothing here. */
  gtk_widget_activate_action (overlay, "toast-overlay.dismiss", NULL);
  g_assert_cmpuint (dismissed, ==, 0);

  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), first);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), second);

  g_assert_true (gtk_widget_activate_action (overlay, "toast-overlay.dismiss", NULL));
  g_assert_cmpuint (dismissed, ==, 1);

  widget = aa_toast_overlay_get_shown_widget (AA_TOAST_OVERLAY (overlay));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (aa_toast_widget_get_close_button (AA_TOAST_WIDGET (widget))), ==, "Dismiss");
  g_signal_emit_by_name (aa_toast_widget_get_close_button (AA_TOAST_WIDGET (widget)), "clicked");
  g_assert_cmpuint (dismissed, ==, 2);
  g_assert_null (aa_toast_overlay_get_shown_toast (AA_TOAST_OVERLAY (overlay)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_plain_title (void)
{
  GtkWidget *overlay = g_object_ref_sink (aa_toast_overlay_new ());
  AaToast *toast = aa_toast_new ("Couldn’t save “<b>Fish & chips</b>”");
  GtkWidget *widget, *label;

  g_assert_false (aa_toast_get_use_markup (toast));
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (overlay), toast);

  /* A server string is shown as it is, never parsed as markup. */
  widget = aa_toast_overlay_get_shown_widget (AA_TOAST_OVERLAY (overlay));
  label = aa_toast_widget_get_title_label (AA_TOAST_WIDGET (widget));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Couldn’t save “<b>Fish & chips</b>”");

  g_assert_finalize_object (overlay);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  aa_ui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/Aa/ToastOverlay/queue", test_queue);
  g_test_add_func ("/Aa/ToastOverlay/priority", test_priority);
  g_test_add_func ("/Aa/ToastOverlay/timeout", test_timeout);
  g_test_add_func ("/Aa/ToastOverlay/button", test_button);
  g_test_add_func ("/Aa/ToastOverlay/escape-and-close", test_escape_and_close);
  g_test_add_func ("/Aa/ToastOverlay/plain-title", test_plain_title);

  return g_test_run ();
}
