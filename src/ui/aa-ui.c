#define G_LOG_DOMAIN "aa-ui"

#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

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

static gboolean
gl_is_software (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *renderer;
  gboolean software;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error)) {
    /* GTK finds out as well, and draws with cairo. */
    g_debug ("No OpenGL: %s", error->message);
    return FALSE;
  }

  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = renderer != NULL &&
             (strstr (renderer, "llvmpipe") != NULL || strstr (renderer, "softpipe") != NULL ||
              strstr (renderer, "swrast") != NULL);
  g_debug ("OpenGL renderer: %s (asked in %.1f ms)", renderer != NULL ? renderer : "(none)",
           (g_get_monotonic_time () - start) / 1000.0);
  gdk_gl_context_clear_current ();

  return software;
}

/* GTK 4.8 draws with OpenGL whenever it can, and without the buffer-age
 * extension, which software OpenGL lacks (a virtual machine, a remote
 * session, Xvfb), it repaints the whole window on every frame that changes
 * anything: a note changed elsewhere cost a full window (15-25 ms) instead
 * of its row. The cairo renderer repaints only what changed. GTK 4.14 makes
 * the same choice itself ("don't use GPU renderers with llvmpipe"). */
const char *
aa_ui_choose_renderer (GdkDisplay *display)
{
  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (g_getenv ("GSK_RENDERER") != NULL || !gl_is_software (display))
    return NULL;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return "cairo";
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

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "aa-tooltip");

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
aa_ui_set_tooltip (GtkWidget  *widget,
                   const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;

  if (g_object_get_data (G_OBJECT (widget), "aa-tooltip-handler") == NULL) {
    g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
    g_object_set_data (G_OBJECT (widget), "aa-tooltip-handler", GINT_TO_POINTER (TRUE));
  }
  g_object_set_data_full (G_OBJECT (widget), "aa-tooltip", g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
aa_ui_get_tooltip (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_data (G_OBJECT (widget), "aa-tooltip");
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
