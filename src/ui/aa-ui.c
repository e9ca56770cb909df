#define G_LOG_DOMAIN "aa-ui"

#include "config.h"

#include "aa-ui.h"
#include "aa-ui-resources.h"

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
