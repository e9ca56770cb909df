/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-preferences-window"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-ui.h"
#include "aa-error.h"
#include "aa-preferences-window-private.h"

struct _AaPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkWidget *in_use_url_row;
  GtkWidget *in_use_token_row;
  GtkWidget *copy_url_button;
  GtkWidget *copy_token_button;
  GtkWidget *token_entry;
  GtkWidget *token_hint;
  GtkWidget *server_url_entry;
  GtkWidget *server_url_error;
  GtkWidget *server_url_hint;
  GtkWidget *toast_timeout_spin;
  GtkWidget *toast_timeout_hint;

  GSettings *settings;
  /* The server this copy uses, for the copy buttons. */
  char      *url;
  char      *token;
};

G_DEFINE_FINAL_TYPE (AaPreferencesWindow, aa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

gboolean
aa_preferences_window_check_server_url (const char  *url,
                                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* GUri lets a space through in the host; no address has one. */
  if (url != NULL && strpbrk (url, " \t\r\n") == NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || *host == '\0') {
    g_set_error_literal (error, AA_ERROR, AA_ERROR_VALIDATION,
                         _("Enter a web address that starts with http:// or https://, such as http://localhost:8080/api/v1."));
    return FALSE;
  }

  return TRUE;
}

static void
copy_url_cb (AaPreferencesWindow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          self->url);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Address copied")));
}

static void
copy_token_cb (AaPreferencesWindow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          self->token);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Token copied")));
}

/* Applied as typed, like every GNOME preference; an address that cannot
 * work is flagged at the field and not stored. */
static void
server_url_changed_cb (AaPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->server_url_entry));
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  gboolean valid;

  g_assert (AA_IS_PREFERENCES_WINDOW (self));

  valid = *url == '\0' || aa_preferences_window_check_server_url (url, &error);

  gtk_widget_set_visible (self->server_url_error, !valid);
  gtk_label_set_text (GTK_LABEL (self->server_url_error), valid ? "" : error->message);
  if (valid)
    gtk_widget_remove_css_class (self->server_url_entry, "error");
  else
    gtk_widget_add_css_class (self->server_url_entry, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->server_url_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  if (valid)
    g_settings_set_string (self->settings, "server-url", url);
}

static void
aa_preferences_window_constructed (GObject *object)
{
  AaPreferencesWindow *self = AA_PREFERENCES_WINDOW (object);
  g_autofree char *server_url = NULL;

  G_OBJECT_CLASS (aa_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  server_url = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_entry), server_url);
  g_signal_connect_object (self->server_url_entry, "changed",
                           G_CALLBACK (server_url_changed_cb), self, G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "token", self->token_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "toast-timeout",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->toast_timeout_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
aa_preferences_window_dispose (GObject *object)
{
  AaPreferencesWindow *self = AA_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (aa_preferences_window_parent_class)->dispose (object);
}

static void
aa_preferences_window_finalize (GObject *object)
{
  AaPreferencesWindow *self = AA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_free (self->url);
  g_free (self->token);

  G_OBJECT_CLASS (aa_preferences_window_parent_class)->finalize (object);
}

static void
aa_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AaPreferencesWindow *self = AA_PREFERENCES_WINDOW (object);

  switch (prop_id) {
  case PROP_SETTINGS:
    g_value_set_object (value, self->settings);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AaPreferencesWindow *self = AA_PREFERENCES_WINDOW (object);

  switch (prop_id) {
  case PROP_SETTINGS:
    self->settings = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_preferences_window_class_init (AaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aa_preferences_window_constructed;
  object_class->dispose = aa_preferences_window_dispose;
  object_class->finalize = aa_preferences_window_finalize;
  object_class->get_property = aa_preferences_window_get_property;
  object_class->set_property = aa_preferences_window_set_property;

  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/AsyncActions/aa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, in_use_url_row);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, in_use_token_row);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, copy_url_button);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, copy_token_button);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, token_entry);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, token_hint);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, server_url_entry);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, server_url_error);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, server_url_hint);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, toast_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, AaPreferencesWindow, toast_timeout_hint);
}

static void
aa_preferences_window_init (AaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));

  /* Screen readers read the hints with the fields they explain. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->server_url_entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->server_url_error, self->server_url_hint, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->toast_timeout_spin),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->toast_timeout_hint, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->token_entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->token_hint, NULL,
                                  -1);
  g_signal_connect_swapped (self->copy_url_button, "clicked", G_CALLBACK (copy_url_cb), self);
  g_signal_connect_swapped (self->copy_token_button, "clicked", G_CALLBACK (copy_token_cb), self);
  aa_preferences_window_set_server_in_use (self, NULL, NULL);
}

/**
 * aa_preferences_window_set_server_in_use:
 * @self: a preferences window
 * @url: (nullable): the address this copy's changes go to
 * @token: (nullable): its bearer token
 *
 * Shows where this copy's changes go, with buttons that copy the address
 * and the token: what a second client needs to reach the same notes.
 */
void
aa_preferences_window_set_server_in_use (AaPreferencesWindow *self,
                                         const char          *url,
                                         const char          *token)
{
  g_return_if_fail (AA_IS_PREFERENCES_WINDOW (self));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->in_use_url_row), url != NULL ? url : _("Not started"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->in_use_token_row), token != NULL ? token : _("None"));
  g_free (self->url);
  self->url = g_strdup (url);
  g_free (self->token);
  self->token = g_strdup (token);
  gtk_widget_set_sensitive (self->copy_url_button, url != NULL);
  gtk_widget_set_sensitive (self->copy_token_button, token != NULL);
}

GtkWidget *
aa_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (AA_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

GtkEntry *
aa_preferences_window_get_server_url_entry (AaPreferencesWindow *self)
{
  g_return_val_if_fail (AA_IS_PREFERENCES_WINDOW (self), NULL);

  return GTK_ENTRY (self->server_url_entry);
}

GtkLabel *
aa_preferences_window_get_server_url_error (AaPreferencesWindow *self)
{
  g_return_val_if_fail (AA_IS_PREFERENCES_WINDOW (self), NULL);

  return GTK_LABEL (self->server_url_error);
}

GtkSpinButton *
aa_preferences_window_get_toast_timeout (AaPreferencesWindow *self)
{
  g_return_val_if_fail (AA_IS_PREFERENCES_WINDOW (self), NULL);

  return GTK_SPIN_BUTTON (self->toast_timeout_spin);
}
