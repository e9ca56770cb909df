/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-screenshots"

#include "config.h"

#include <libintl.h>
#include <locale.h>

#include <stdlib.h>

#include <cairo.h>

#include "aa-screenshot-helpers.h"

static const char *out_dir;

gboolean
aa_screenshots_init (int          *argc,
                     char       ***argv,
                     const char   *program)
{
  gboolean dark = FALSE;

  aa_ui_test_init (argc, argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  /* In another language (LANGUAGE=de), with the catalogues of a build
   * directory: AA_LOCALEDIR=_build/po. */
  if (g_getenv ("AA_LOCALEDIR") != NULL) {
    setlocale (LC_ALL, "");
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AA_LOCALEDIR"));
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }

  /* Dark as the desktop's setting makes it: libadwaita's style manager,
   * not GTK_THEME (which libadwaita does not follow). */
  if (*argc > 1 && g_str_equal ((*argv)[1], "--dark")) {
    dark = TRUE;
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
    (*argc)--;
    (*argv)++;
  }
  if (*argc != 2) {
    g_printerr ("Usage: %s [--dark] DIRECTORY\n", program);
    exit (2);
  }
  out_dir = (*argv)[1];
  g_mkdir_with_parents (out_dir, 0755);

  return dark;
}

void
aa_screenshots_capture_screen (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autofree char *command = g_strdup_printf ("import -window root %s", path);
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Let the frame reach the X server. */
  aa_ui_iterate_ms (500);
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) || status != 0)
    g_error ("Couldn’t run “%s”: %s", command, error != NULL ? error->message : "failed");
  g_print ("%s\n", path);
}

static cairo_surface_t *
texture_to_surface (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Without a compositor, X would draw a popover's shadow black: the
 * popover is drawn over the window instead. */
void
aa_screenshots_capture_with (AaWindow   *window,
                             GtkWidget  *other,
                             gboolean    is_dialog,
                             const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autoptr(GdkTexture) window_texture = NULL;
  g_autoptr(GdkTexture) dialog_texture = NULL;
  cairo_surface_t *window_surface, *dialog_surface, *out;
  cairo_t *cr;
  int width, height, x, y;

  aa_ui_iterate_ms (500);
  window_texture = aa_ui_render (GTK_WIDGET (window));
  dialog_texture = aa_ui_render (other);
  window_surface = texture_to_surface (window_texture);
  dialog_surface = texture_to_surface (dialog_texture);
  width = cairo_image_surface_get_width (window_surface);
  height = cairo_image_surface_get_height (window_surface);

  out = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (out);
  cairo_set_source_surface (cr, window_surface, 0, 0);
  cairo_paint (cr);
  if (is_dialog) {
    /* The parent dims while a modal dialog is up. */
    cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
    cairo_paint (cr);
    x = (width - cairo_image_surface_get_width (dialog_surface)) / 2;
    y = (height - cairo_image_surface_get_height (dialog_surface)) / 3;
    /* A soft shadow, as the compositor would draw. */
    for (int i = 8; i > 0; i--) {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.025);
      cairo_rectangle (cr, x - i, y - i + 3,
                       cairo_image_surface_get_width (dialog_surface) + 2 * i,
                       cairo_image_surface_get_height (dialog_surface) + 2 * i);
      cairo_fill (cr);
    }
  } else {
    GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (other));
    double window_x, window_y, other_x, other_y;

    gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
    gtk_native_get_surface_transform (GTK_NATIVE (other), &other_x, &other_y);
    x = gdk_popup_get_position_x (GDK_POPUP (surface)) + other_x - window_x;
    y = gdk_popup_get_position_y (GDK_POPUP (surface)) + other_y - window_y;
  }
  cairo_set_source_surface (cr, dialog_surface, x, y);
  cairo_paint (cr);
  cairo_destroy (cr);

  if (cairo_surface_write_to_png (out, path) != CAIRO_STATUS_SUCCESS)
    g_error ("Couldn’t write %s", path);
  g_print ("%s\n", path);

  cairo_surface_destroy (out);
  cairo_surface_destroy (window_surface);
  cairo_surface_destroy (dialog_surface);
}

void
aa_screenshots_capture_window (AaWindow   *window,
                               const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autoptr(GdkTexture) texture = NULL;

  aa_ui_iterate_ms (500);
  texture = aa_ui_render (GTK_WIDGET (window));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Couldn’t write %s", path);
  g_print ("%s\n", path);
}

void
aa_screenshots_make_narrow (AaWindow *window)
{
  /* A phone's window has its close button only. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_unmaximize (GTK_WINDOW (window));
  for (guint i = 0; i < 3; i++) {
    gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
    aa_ui_iterate_ms (300);
  }
  if (!aa_window_get_folded (window))
    g_error ("The window did not fold at 360 px");
}

void
aa_screenshots_wait_animations (void)
{
  aa_ui_iterate_ms (700);
}

void
aa_screenshots_dismiss_toasts (AaUiFixture *fixture)
{
  aa_ui_fixture_dismiss_toasts (fixture);
  aa_screenshots_wait_animations ();
}
