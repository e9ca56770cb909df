#define G_LOG_DOMAIN "aa-ui"

#include "config.h"

#include <X11/Xlib.h>
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

/* Whether OpenGL on the X server can only be software (llvmpipe): Mesa
 * reaches a GPU through DRI3 or DRI2, NVIDIA's driver through its own GLX.
 * An X server with none of them (Xvfb, Xvnc, xrdp, a forwarded display)
 * leaves Mesa's software rasterizer. Asked on a connection of our own, in
 * a few round trips, without loading an OpenGL driver. */
static gboolean
x11_gl_is_software (void)
{
  const char *gpu_paths[] = { "DRI3", "DRI2", "NV-GLX" };
  Display *xdisplay = XOpenDisplay (NULL);
  gboolean software = TRUE;
  int opcode, event, error;

  if (xdisplay == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (gpu_paths) && software; i++)
    software = !XQueryExtension (xdisplay, gpu_paths[i], &opcode, &event, &error);
  XCloseDisplay (xdisplay);

  return software;
}

/* GTK 4.8 draws with OpenGL whenever it can, and without the buffer-age
 * extension, which software OpenGL lacks (a virtual machine, a remote
 * session, Xvfb), it repaints the whole window on every frame that changes
 * anything: a note changed elsewhere cost a full window (15-25 ms) instead
 * of its row. The cairo renderer repaints only what changed. GTK 4.14 makes
 * the same choice itself ("don't use GPU renderers with llvmpipe"). With
 * cairo chosen, GDK is told not to set OpenGL up at all: on Xvfb that alone
 * is 80 ms of startup and 60 MB.
 *
 * GTK reads the choice from the environment, which is only safe to change
 * while no other thread runs: before gtk_init(). It is made on X11, where
 * it was seen; a Wayland session, or an X server with a way to a GPU,
 * keeps GTK's own choice. */
const char *
aa_ui_choose_renderer (void)
{
  const char *backend = g_getenv ("GDK_BACKEND");
  const char *gdk_debug = g_getenv ("GDK_DEBUG");
  gboolean software;

  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("DISPLAY") == NULL)
    return NULL;
  if (g_getenv ("WAYLAND_DISPLAY") != NULL && (backend == NULL || strstr (backend, "x11") == NULL))
    return NULL;

  software = g_strcmp0 (g_getenv ("LIBGL_ALWAYS_SOFTWARE"), "1") == 0 || x11_gl_is_software ();
  g_debug ("OpenGL on the X server: %s", software ? "software only" : "a GPU");
  if (!software)
    return NULL;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (gdk_debug == NULL || *gdk_debug == '\0') {
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  } else if (strstr (gdk_debug, "gl-disable") == NULL) {
    g_autofree char *flags = g_strconcat (gdk_debug, ",gl-disable", NULL);

    g_setenv ("GDK_DEBUG", flags, TRUE);
  }
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
