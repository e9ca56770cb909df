/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-ui"

#include "config.h"

#include <X11/Xlib.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "aa-error.h"
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

  /* An AdwApplication loads style.css from its resource base path. */
  if (!ADW_IS_APPLICATION (g_application_get_default ())) {
    provider = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (provider, "/org/example/AsyncActions/style.css");
    gtk_style_context_add_provider_for_display (display,
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    g_clear_object (&provider);
  }

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
                  AdwToast  *toast)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  root = gtk_widget_get_root (widget);
  if (AA_IS_WINDOW (root))
    aa_window_add_toast (AA_WINDOW (root), toast);
  else
    g_object_unref (toast);
}

AdwToast *
aa_ui_toast_new (const char *title)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (title != NULL, NULL);

  /* Titles come from the server too (a note's title, an error message). */
  escaped = g_markup_escape_text (title, -1);
  return adw_toast_new (escaped);
}

typedef struct {
  GTask  *task;
  gulong  cancelled_id;
} Confirm;

static void
confirm_free (gpointer data)
{
  Confirm *confirm = data;

  g_clear_object (&confirm->task);
  g_free (confirm);
}

static void
confirm_answer (GtkWidget *dialog,
                gboolean   confirmed)
{
  Confirm *confirm = g_object_get_data (G_OBJECT (dialog), "aa-confirm");
  g_autoptr(GTask) task = NULL;

  if (confirm == NULL || confirm->task == NULL)
    return;

  task = g_steal_pointer (&confirm->task);
  if (confirm->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), confirm->cancelled_id);
  confirm->cancelled_id = 0;
  g_task_return_boolean (task, confirmed);
}

static void
confirm_response_cb (GtkWidget  *dialog,
                     const char *response)
{
  /* The dialog closes itself: a response comes from a button or from
   * closing it. */
  confirm_answer (dialog, g_strcmp0 (response, "confirm") == 0);
}

/* Destroyed unanswered (with its window): nothing was chosen. */
static void
confirm_destroy_cb (GtkWidget *dialog)
{
  confirm_answer (dialog, FALSE);
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
close_cancelled_cb (GCancellable *cancellable,
                    GtkWindow    *window)
{
  /* Not from inside the cancellable's handler: it is disconnected there. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (window), g_object_unref);
}

gulong
aa_ui_close_when_cancelled (GtkWindow    *window,
                            GCancellable *cancellable)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), 0);

  if (cancellable == NULL)
    return 0;

  return g_cancellable_connect (cancellable, G_CALLBACK (close_cancelled_cb), window, NULL);
}

GtkWidget *
aa_ui_confirm_async (GtkWidget            *widget,
                     const AaConfirmation *confirmation,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  GtkRoot *root;
  GtkWidget *dialog;
  Confirm *confirm;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (confirmation != NULL, NULL);

  root = gtk_widget_get_root (widget);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   confirmation->heading, confirmation->body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirmation->confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              confirmation->destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                                        : ADW_RESPONSE_SUGGESTED);
  /* What the rules ask about first cannot be taken back (a payment, an
   * emptied trash): Return and Escape must not do it. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  aa_ui_name_parts (dialog);

  confirm = g_new0 (Confirm, 1);
  confirm->task = g_task_new (dialog, cancellable, callback, user_data);
  g_task_set_source_tag (confirm->task, aa_ui_confirm_async);
  g_object_set_data_full (G_OBJECT (dialog), "aa-confirm", confirm, confirm_free);
  confirm->cancelled_id = aa_ui_close_when_cancelled (GTK_WINDOW (dialog), cancellable);

  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), NULL);
  g_signal_connect (dialog, "destroy", G_CALLBACK (confirm_destroy_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

gboolean
aa_ui_confirm_finish (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* GTK 4.8 reads a control's name as its "label" property followed by the
 * labels of its "labelled-by" relation, and a button's mnemonic label sets
 * both: "Cancel Cancel", "Pay: Hosting Pay…". A name given here is the
 * only one read. */
static void
set_only_name (GtkWidget  *widget,
               const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
name_button (GtkWidget *button)
{
  const char *own = g_object_get_data (G_OBJECT (button), "aa-name-own");
  const char *label = gtk_button_get_label (GTK_BUTTON (button));
  g_autofree char *text = NULL;

  /* A new label sets the name to the label as typed: a name given on
   * purpose (aa_ui_set_name()) is given again. */
  if (own != NULL) {
    set_only_name (button, own);
    return;
  }

  /* A label packed in the button names nothing in GTK 4.8: "GtkButton". */
  if (label == NULL && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (button)))) {
    set_only_name (button, gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))));
    return;
  }

  /* GTK 4.8 names a button by its label as typed, underscore included. */
  if (label == NULL || !gtk_button_get_use_underline (GTK_BUTTON (button)))
    return;

  if (!pango_parse_markup (label, -1, '_', NULL, &text, NULL, NULL))
    return;
  set_only_name (button, text);
}

static void
follow_label (GtkWidget *button)
{
  if (g_object_get_data (G_OBJECT (button), "aa-named") != NULL)
    return;

  /* A label set later (a state change) is named again. */
  g_object_set_data (G_OBJECT (button), "aa-named", GINT_TO_POINTER (TRUE));
  g_signal_connect (button, "notify::label", G_CALLBACK (name_button), NULL);
}

static char *
selected_text (GtkDropDown *drop_down)
{
  GObject *item = gtk_drop_down_get_selected_item (drop_down);
  GtkExpression *expression = gtk_drop_down_get_expression (drop_down);
  g_auto(GValue) value = G_VALUE_INIT;

  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  if (item != NULL && expression != NULL && gtk_expression_evaluate (expression, item, &value) &&
      G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);

  return NULL;
}

/* GtkListItemWidget in a drop-down's button: the button has the focus,
 * and its name says what is chosen, so the item is not read again (GTK
 * 4.8 names it "GtkListItemWidget"). */
static void
unfocus_items (GtkWidget *widget)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkListItemWidget")) {
    gtk_widget_set_focusable (widget, FALSE);
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    unfocus_items (child);
}

static void
name_popover_lists (GtkWidget  *widget,
                    const char *name)
{
  if (GTK_IS_LIST_VIEW (widget) || GTK_IS_SCROLLED_WINDOW (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (GTK_IS_LIST_VIEW (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_popover_lists (child, name);
}

static void
name_drop_down_button (GtkDropDown *drop_down)
{
  const char *name = g_object_get_data (G_OBJECT (drop_down), "aa-name-own");
  GtkWidget *button = aa_ui_get_drop_down_button (GTK_WIDGET (drop_down));
  g_autofree char *selected = NULL;
  g_autofree char *full = NULL;

  if (button == NULL || name == NULL)
    return;

  /* Its popover's list and scroll pane, which GTK 4.8 leaves nameless. */
  name_popover_lists (GTK_WIDGET (drop_down), name);

  selected = selected_text (drop_down);
  /* TRANSLATORS: the accessible name of a drop-down's button: what it
   * chooses, then what is chosen, as in "Role of Ada: Admin". */
  full = selected != NULL ? g_strdup_printf (C_("drop-down", "%s: %s"), name, selected) : g_strdup (name);
  set_only_name (button, full);
  unfocus_items (button);
}

GtkWidget *
aa_ui_get_drop_down_button (GtkWidget *drop_down)
{
  g_return_val_if_fail (GTK_IS_DROP_DOWN (drop_down), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (drop_down); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (GTK_IS_TOGGLE_BUTTON (child))
      return child;
  }

  return NULL;
}

void
aa_ui_name_parts (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && g_str_has_prefix (G_OBJECT_TYPE_NAME (root), "AdwViewSwitcherButton")) {
    g_autofree char *label = NULL;

    g_object_get (root, "label", &label, NULL);
    if (label != NULL)
      set_only_name (root, label);
  } else if (GTK_IS_BUTTON (root)) {
    name_button (root);
    follow_label (root);
  } else if (GTK_IS_DROP_DOWN (root) && g_object_get_data (G_OBJECT (root), "aa-name-own") == NULL) {
    g_autoptr(GList) labels = gtk_widget_list_mnemonic_labels (root);

    /* Named by its mnemonic label ("_Signed in as"). */
    if (labels != NULL && GTK_IS_LABEL (labels->data))
      aa_ui_set_name (root, gtk_label_get_text (GTK_LABEL (labels->data)));
  } else if (GTK_IS_SCROLLED_WINDOW (root)) {
    GtkWidget *parent = gtk_widget_get_parent (root);
    const char *title = NULL;

    /* A status page without a title (loading) says what it waits for. */
    if (ADW_IS_STATUS_PAGE (parent))
      title = adw_status_page_get_title (ADW_STATUS_PAGE (parent));
    if (ADW_IS_STATUS_PAGE (parent) && (title == NULL || *title == '\0'))
      title = adw_status_page_get_description (ADW_STATUS_PAGE (parent));
    else if (ADW_IS_PREFERENCES_PAGE (parent))
      title = adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (parent));
    /* The preferences window's own page of search results. */
    if (ADW_IS_PREFERENCES_PAGE (parent) && (title == NULL || *title == '\0'))
      title = _("Preferences");
    if (title != NULL && *title != '\0')
      gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  } else if (GTK_IS_SEARCH_ENTRY (root) && gtk_widget_get_ancestor (root, ADW_TYPE_PREFERENCES_WINDOW) != NULL) {
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Preferences"), -1);
  }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    aa_ui_name_parts (child);
}

void
aa_ui_set_name (GtkWidget  *widget,
                const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);

  g_object_set_data_full (G_OBJECT (widget), "aa-name-own", g_strdup (name), g_free);
  set_only_name (widget, name);
  if (GTK_IS_BUTTON (widget)) {
    follow_label (widget);
  } else if (GTK_IS_DROP_DOWN (widget)) {
    /* The focus is on its button, which says what is chosen too. */
    if (g_object_get_data (G_OBJECT (widget), "aa-named") == NULL) {
      g_object_set_data (G_OBJECT (widget), "aa-named", GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::selected", G_CALLBACK (name_drop_down_button), NULL);
      g_signal_connect (widget, "notify::model", G_CALLBACK (name_drop_down_button), NULL);
    }
    name_drop_down_button (GTK_DROP_DOWN (widget));
  }
}

void
aa_ui_name_action (GtkWidget  *button,
                   const char *verb,
                   const char *object)
{
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_WIDGET (button));

  /* TRANSLATORS: the accessible name of a button: what it does, then what
   * it acts on, as in "Retry: Can’t Reach the Server". */
  name = g_strdup_printf (C_("toast button", "%s: %s"), verb, object);
  aa_ui_set_name (button, name);
}

void
aa_ui_set_error_action (GtkWidget    *button,
                        const GError *error,
                        const char   *title)
{
  gboolean token = g_error_matches (error, AA_ERROR, AA_ERROR_UNAUTHORIZED);

  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_button_set_label (GTK_BUTTON (button), token ? _("Open _Preferences") : _("_Retry"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), token ? "app.preferences" : "page.reload");
  if (token)
    aa_ui_set_name (button, _("Open Preferences to Set the Token"));
  else
    aa_ui_name_action (button, _("Retry"), title);
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

  /* A drop-down's focus is on its button: it is described there too. */
  if (GTK_IS_DROP_DOWN (widget) && aa_ui_get_drop_down_button (widget) != NULL)
    aa_ui_set_tooltip (aa_ui_get_drop_down_button (widget), text);
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
  return focus == NULL || gtk_widget_get_ancestor (focus, GTK_TYPE_HEADER_BAR) != NULL ||
         gtk_widget_get_ancestor (focus, ADW_TYPE_HEADER_BAR) != NULL;
}

void
aa_ui_update_sync_mark (GtkWidget   *image,
                        AaSyncState  state)
{
  const char *icon_name = NULL;
  const char *label = NULL;
  const char *tooltip = NULL;

  g_return_if_fail (GTK_IS_IMAGE (image));

  if (state == AA_SYNC_STATE_WAITING) {
    icon_name = "user-status-pending-symbolic";
    label = _("Waiting to be sent");
    tooltip = _("Waiting to be sent: the server can’t be reached. It is sent by itself once the server is back.");
  } else if (state == AA_SYNC_STATE_UNKNOWN) {
    icon_name = "content-loading-symbolic";
    label = _("Not confirmed yet");
    tooltip = _("Not confirmed yet: the server’s answer was lost. Checking whether it has the change.");
  }

  gtk_widget_set_visible (image, icon_name != NULL);
  if (icon_name == NULL)
    return;

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  aa_ui_set_tooltip (image, tooltip);
}
