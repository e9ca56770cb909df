#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AA_TYPE_PREFERENCES_WINDOW (aa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AaPreferencesWindow, aa_preferences_window, AA, PREFERENCES_WINDOW, GtkWindow)

/*
 * Preferences, applied as they change: the server URL to use instead of the
 * embedded demo server (checked as typed; it takes effect at the next
 * launch), and how long toasts stay. Property "settings" (construct-only):
 * the org.example.AsyncActions GSettings to edit; by default the app's.
 */
GtkWidget *aa_preferences_window_new                 (GSettings   *settings);

/* A usable backend address: http or https, with a host. On FALSE, @error
 * says what to type instead. NULL and "" are not addresses either. */
gboolean   aa_preferences_window_check_server_url    (const char  *url,
                                                      GError     **error);

G_END_DECLS
