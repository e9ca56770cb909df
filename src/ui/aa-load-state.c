/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-load-state"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-load-state.h"
#include "aa-ui.h"

struct _AaLoadState
{
  GtkWidget  parent_instance;

  GtkWidget *stack;
  GtkWidget *loading_page;
  GtkWidget *loading_spinner;
  GtkWidget *error_page;
  GtkWidget *retry_button;
  GtkWidget *empty_page;
  GtkWidget *content_bin;

  AaActionManager *manager;
  AaRefreshFlags   flags;
  char            *unreachable;
  char            *reload_failed;
  GCancellable    *cancellable;
  gboolean         loading;
  gboolean         loaded;
};

G_DEFINE_FINAL_TYPE (AaLoadState, aa_load_state, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTENT,
  PROP_LOADING_LABEL,
  PROP_EMPTY_ICON_NAME,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
set_state (AaLoadState *self,
           const char  *state)
{
  gboolean loading = g_str_equal (state, "loading");

  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), loading);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), state);

  /* A page shown while it loaded takes the focus once it has something. */
  if (!loading && aa_ui_focus_is_free (GTK_WIDGET (self)))
    gtk_widget_child_focus (gtk_stack_get_visible_child (GTK_STACK (self->stack)), GTK_DIR_TAB_FORWARD);
}

/* Sets a property of one of the status pages, notifying ours on change;
 * the page's scroll pane is named after what it says. */
static void
set_page_property (AaLoadState *self,
                   GtkWidget   *page,
                   const char  *name,
                   const char  *text,
                   guint        prop_id)
{
  g_autofree char *old = NULL;

  g_object_get (page, name, &old, NULL);
  if (g_strcmp0 (old, text) == 0)
    return;

  g_object_set (page, name, text, NULL);
  aa_ui_name_parts (page);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
}

/* A load changes nothing, and one that could not reach the server is
 * tried again by itself once the server is back (reachable_cb()). */
static const char *
load_next_step (const GError *error)
{
  if (g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE))
    return _("This page loads by itself once the server can be reached.");

  return aa_error_get_next_step (error);
}

static void
show_error (AaLoadState  *self,
            const GError *error)
{
  g_autofree char *description = NULL;

  AdwStatusPage *page = ADW_STATUS_PAGE (self->error_page);

  if (g_error_matches (error, AA_ERROR, AA_ERROR_UNAUTHORIZED))
    adw_status_page_set_title (page, _("The Server Refused the Token"));
  else if (error->domain == AA_ERROR &&
           (error->code == AA_ERROR_OFFLINE || error->code == AA_ERROR_TIMEOUT ||
            error->code == AA_ERROR_CONNECTION_LOST))
    adw_status_page_set_title (page, _("Can’t Reach the Server"));
  else
    adw_status_page_set_title (page, _("Can’t Load This Page"));

  aa_ui_name_parts (self->error_page);
  aa_ui_set_error_action (self->retry_button, error, adw_status_page_get_title (page));

  /* Translators: what could not be loaded, then what to do next. */
  description = g_strdup_printf (_("%s %s"), self->unreachable, load_next_step (error));
  adw_status_page_set_description (page, description);
  set_state (self, "error");
}

/* A reload of a page already shown failed: what is on screen stays, and a
 * toast says so, with Retry. */
static void
report_reload_failure (AaLoadState  *self,
                       const GError *error)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: what could not be reloaded, then what to do next. */
  title = g_strdup_printf (_("%s %s"), self->reload_failed, aa_error_get_next_step (error));
  toast = aa_ui_toast_new (title);
  adw_toast_set_button_label (toast, _("_Retry"));
  adw_toast_set_action_name (toast, "win.reload");
  aa_ui_show_toast (GTK_WIDGET (self), toast);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AaLoadState) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;

    self->loading = FALSE;
    /* Once loaded, what is on screen stays; a failed reload is a toast. */
    if (!self->loaded)
      show_error (self, error);
    else
      report_reload_failure (self, error);
    return;
  }

  self->loading = FALSE;
  if (!self->loaded) {
    self->loaded = TRUE;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
  }
}

static void
aa_load_state_map (GtkWidget *widget)
{
  AaLoadState *self = AA_LOAD_STATE (widget);

  GTK_WIDGET_CLASS (aa_load_state_parent_class)->map (widget);

  /* Loads when first shown. */
  if (!self->loaded)
    aa_load_state_reload (self);
}

static void
aa_load_state_dispose (GObject *object)
{
  AaLoadState *self = AA_LOAD_STATE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_LOAD_STATE);
  g_clear_object (&self->manager);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aa_load_state_parent_class)->dispose (object);
}

static void
aa_load_state_finalize (GObject *object)
{
  AaLoadState *self = AA_LOAD_STATE (object);

  g_free (self->unreachable);
  g_free (self->reload_failed);

  G_OBJECT_CLASS (aa_load_state_parent_class)->finalize (object);
}

static void
aa_load_state_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AaLoadState *self = AA_LOAD_STATE (object);

  switch (prop_id) {
  case PROP_CONTENT:
    g_value_set_object (value, aa_load_state_get_content (self));
    break;
  case PROP_LOADING_LABEL:
    g_value_set_string (value, adw_status_page_get_description (ADW_STATUS_PAGE (self->loading_page)));
    break;
  case PROP_EMPTY_ICON_NAME:
    g_value_set_string (value, adw_status_page_get_icon_name (ADW_STATUS_PAGE (self->empty_page)));
    break;
  case PROP_EMPTY_TITLE:
    g_value_set_string (value, adw_status_page_get_title (ADW_STATUS_PAGE (self->empty_page)));
    break;
  case PROP_EMPTY_DESCRIPTION:
    g_value_set_string (value, adw_status_page_get_description (ADW_STATUS_PAGE (self->empty_page)));
    break;
  case PROP_LOADED:
    g_value_set_boolean (value, self->loaded);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_load_state_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AaLoadState *self = AA_LOAD_STATE (object);

  switch (prop_id) {
  case PROP_CONTENT:
    aa_load_state_set_content (self, g_value_get_object (value));
    break;
  case PROP_LOADING_LABEL:
    set_page_property (self, self->loading_page, "description", g_value_get_string (value), prop_id);
    break;
  case PROP_EMPTY_ICON_NAME:
    set_page_property (self, self->empty_page, "icon-name", g_value_get_string (value), prop_id);
    break;
  case PROP_EMPTY_TITLE:
    set_page_property (self, self->empty_page, "title", g_value_get_string (value), prop_id);
    break;
  case PROP_EMPTY_DESCRIPTION:
    set_page_property (self, self->empty_page, "description", g_value_get_string (value), prop_id);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_load_state_class_init (AaLoadStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = aa_load_state_dispose;
  object_class->finalize = aa_load_state_finalize;
  object_class->get_property = aa_load_state_get_property;
  object_class->set_property = aa_load_state_set_property;
  widget_class->map = aa_load_state_map;

  props[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET, flags);
  props[PROP_LOADING_LABEL] =
    g_param_spec_string ("loading-label", NULL, NULL, NULL, flags);
  props[PROP_EMPTY_ICON_NAME] =
    g_param_spec_string ("empty-icon-name", NULL, NULL, NULL, flags);
  props[PROP_EMPTY_TITLE] =
    g_param_spec_string ("empty-title", NULL, NULL, NULL, flags);
  props[PROP_EMPTY_DESCRIPTION] =
    g_param_spec_string ("empty-description", NULL, NULL, NULL, flags);
  props[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-load-state.ui");
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, stack);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, loading_page);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, error_page);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AaLoadState, content_bin);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_load_state_init (AaLoadState *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));
  aa_ui_name_action (self->retry_button, _("Retry"), _("Can’t Reach the Server"));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
aa_load_state_new (void)
{
  return g_object_new (AA_TYPE_LOAD_STATE, NULL);
}

GtkWidget *
aa_load_state_get_content (AaLoadState *self)
{
  g_return_val_if_fail (AA_IS_LOAD_STATE (self), NULL);

  return gtk_widget_get_first_child (self->content_bin);
}

void
aa_load_state_set_content (AaLoadState *self,
                           GtkWidget   *content)
{
  GtkWidget *old;

  g_return_if_fail (AA_IS_LOAD_STATE (self));
  g_return_if_fail (content == NULL || GTK_IS_WIDGET (content));

  old = aa_load_state_get_content (self);
  if (old == content)
    return;

  if (old != NULL)
    gtk_box_remove (GTK_BOX (self->content_bin), old);
  if (content != NULL)
    gtk_box_append (GTK_BOX (self->content_bin), content);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTENT]);
}

/* The server is back: a page that could not be loaded, and is shown,
 * loads with no Retry to press. */
static void
reachable_cb (AaLoadState *self)
{
  g_assert (AA_IS_LOAD_STATE (self));

  if (!self->loaded && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager))))
    aa_load_state_reload (self);
}

void
aa_load_state_set_source (AaLoadState     *self,
                          AaActionManager *manager,
                          AaRefreshFlags   flags,
                          const char      *unreachable,
                          const char      *reload_failed)
{
  g_return_if_fail (AA_IS_LOAD_STATE (self));
  g_return_if_fail (AA_IS_ACTION_MANAGER (manager));
  g_return_if_fail (unreachable != NULL);
  g_return_if_fail (reload_failed != NULL);
  g_return_if_fail (self->manager == NULL);

  self->manager = g_object_ref (manager);
  g_signal_connect_object (aa_engine_get_connectivity (aa_action_manager_get_engine (manager)), "notify::reachable",
                           G_CALLBACK (reachable_cb), self, G_CONNECT_SWAPPED);
  self->flags = flags;
  self->unreachable = g_strdup (unreachable);
  self->reload_failed = g_strdup (reload_failed);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    aa_load_state_reload (self);
}

void
aa_load_state_reload (AaLoadState *self)
{
  g_return_if_fail (AA_IS_LOAD_STATE (self));

  if (self->manager == NULL || self->loading)
    return;

  self->loading = TRUE;
  /* Loading is waiting, and looks like it, until there is something to
   * show; after that, what is on screen stays while it refreshes. */
  if (!self->loaded)
    set_state (self, "loading");

  aa_refresher_refresh_async (aa_action_manager_get_refresher (self->manager), self->flags,
                              self->cancellable, refresh_cb, g_object_ref (self));
}

gboolean
aa_load_state_get_loaded (AaLoadState *self)
{
  g_return_val_if_fail (AA_IS_LOAD_STATE (self), FALSE);

  return self->loaded;
}

void
aa_load_state_show_content (AaLoadState *self,
                            gboolean     empty)
{
  g_return_if_fail (AA_IS_LOAD_STATE (self));

  set_state (self, empty ? "empty" : "content");
}

const char *
aa_load_state_get_state (AaLoadState *self)
{
  g_return_val_if_fail (AA_IS_LOAD_STATE (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

const char *
aa_load_state_get_error_text (AaLoadState *self)
{
  g_return_val_if_fail (AA_IS_LOAD_STATE (self), NULL);

  return adw_status_page_get_description (ADW_STATUS_PAGE (self->error_page));
}
