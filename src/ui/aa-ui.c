#define G_LOG_DOMAIN "aa-ui"

#include "config.h"

#include "aa-ui.h"
#include "aa-ui-resources.h"
#include "aa-window.h"

void
aa_ui_init (void)
{
  static gsize initialized = 0;

  /* Registered by hand: a constructor in a static library may be dropped
   * by the linker when nothing references its object file. */
  if (g_once_init_enter (&initialized)) {
    aa_ui_register_resource ();
    g_once_init_leave (&initialized, 1);
  }
}

void
aa_ui_load_style (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  aa_ui_init ();

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/example/AsyncActions/style.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_clear_object (&provider);

  /* The Trash, Billing, Team and Activity pages. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/example/AsyncActions/pages.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
aa_ui_show_toast (GtkWidget *widget,
                  gpointer   toast)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (AA_IS_TOAST (toast));

  root = gtk_widget_get_root (widget);
  if (AA_IS_WINDOW (root))
    aa_window_add_toast (AA_WINDOW (root), toast);
  else
    g_object_unref (toast);
}

gboolean
aa_ui_focus_is_free (GtkWidget *widget)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  root = gtk_widget_get_root (widget);
  if (root == NULL || !gtk_widget_get_mapped (widget))
    return FALSE;

  focus = gtk_root_get_focus (root);
  return focus == NULL || gtk_widget_get_ancestor (focus, GTK_TYPE_HEADER_BAR) != NULL;
}
