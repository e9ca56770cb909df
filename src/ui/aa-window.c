#define G_LOG_DOMAIN "aa-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-network-popover.h"
#include "aa-notes-page.h"
#include "aa-toast-overlay.h"
#include "aa-window-private.h"

struct _AaWindow
{
  GtkApplicationWindow  parent_instance;

  GtkWidget            *header_bar;
  GtkWidget            *title_stack;
  GtkWidget            *pending_spinner;
  GtkWidget            *network_button;
  GtkWidget            *network_popover;
  GtkWidget            *toast_overlay;
  GtkWidget            *stack;
  GtkWidget            *notes_page;

  AaActionManager      *manager;

  /* The mutations behind the buttons of toasts on screen or queued, by a
   * number that fits in an action target. */
  GHashTable           *toast_mutations;
  guint                 last_toast_id;
};

G_DEFINE_FINAL_TYPE (AaWindow, aa_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
toast_dismissed_cb (AaToast  *toast,
                    AaWindow *self)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "aa-toast-id"));

  if (self->toast_mutations != NULL)
    g_hash_table_remove (self->toast_mutations, GUINT_TO_POINTER (id));
}

/* The one place where the engine's feedback becomes toasts. Inline feedback
 * is rendered by whatever shows its target (the row, the editor). */
static void
feedback_cb (AaWindow   *self,
             AaFeedback *feedback)
{
  AaMutation *mutation = aa_feedback_get_mutation (feedback);
  const char *action_name = NULL;
  AaToast *toast;

  if (aa_feedback_get_tier (feedback) != AA_FEEDBACK_TIER_TOAST)
    return;

  toast = aa_toast_new (aa_feedback_get_title (feedback));

  switch (aa_feedback_get_action (feedback)) {
  case AA_FEEDBACK_ACTION_RETRY:
    action_name = "win.retry";
    /* A failure goes before routine confirmations, and waits longer. */
    aa_toast_set_priority (toast, AA_TOAST_PRIORITY_HIGH);
    aa_toast_set_timeout (toast, 10);
    break;
  case AA_FEEDBACK_ACTION_UNDO:
    action_name = "win.undo-mutation";
    aa_toast_set_timeout (toast, 8);
    break;
  case AA_FEEDBACK_ACTION_RELOAD:
    action_name = "win.reload";
    break;
  case AA_FEEDBACK_ACTION_NONE:
  default:
    break;
  }

  if (action_name != NULL && aa_feedback_get_action_label (feedback) != NULL) {
    aa_toast_set_button_label (toast, aa_feedback_get_action_label (feedback));
    aa_toast_set_action_name (toast, action_name);

    if (mutation != NULL && !g_str_equal (action_name, "win.reload")) {
      guint id = ++self->last_toast_id;

      g_hash_table_insert (self->toast_mutations, GUINT_TO_POINTER (id), g_object_ref (mutation));
      aa_toast_set_action_target (toast, g_variant_new_uint32 (id));
      g_object_set_data (G_OBJECT (toast), "aa-toast-id", GUINT_TO_POINTER (id));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
    }
  }

  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (self->toast_overlay), toast);
}

static void
n_pending_changed_cb (AaWindow *self)
{
  guint n = aa_action_manager_get_n_pending (self->manager);

  gtk_widget_set_visible (self->pending_spinner, n > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->pending_spinner), n > 0);
  if (n > 0) {
    g_autofree char *tooltip = NULL;

    tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Sending %u change to the server…",
                                            "Sending %u changes to the server…", n), n);
    gtk_widget_set_tooltip_text (self->pending_spinner, tooltip);
  }
}

/* Anyone demoing sees at a glance that the network is not the real one. */
static void
degraded_changed_cb (AaWindow *self)
{
  gboolean degraded = FALSE;

  g_object_get (self->network_popover, "degraded", &degraded, NULL);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->network_button),
                                 degraded ? "network-error-symbolic" : "network-transmit-receive-symbolic");
  gtk_widget_set_tooltip_text (self->network_button,
                               degraded ? _("Network Conditions (degraded)") : _("Network Conditions"));
  if (degraded)
    gtk_widget_add_css_class (self->network_button, "degraded");
  else
    gtk_widget_remove_css_class (self->network_button, "degraded");
}

static GtkWidget *
visible_page (AaWindow *self)
{
  return gtk_stack_get_visible_child (GTK_STACK (self->stack));
}

static void
show_notes (AaWindow *self)
{
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->notes_page);
}

static void
new_note_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);

  show_notes (self);
  gtk_widget_activate_action (self->notes_page, "notes.new", NULL);
}

static void
reload_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);

  gtk_widget_activate_action (visible_page (self), "page.reload", NULL);
}

static void
notes_action (AaWindow   *self,
              const char *name)
{
  if (visible_page (self) == self->notes_page)
    gtk_widget_activate_action (self->notes_page, name, NULL);
}

static void
save_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  notes_action (AA_WINDOW (user_data), "notes.save");
}

static void
toggle_star_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  notes_action (AA_WINDOW (user_data), "notes.toggle-star-selected");
}

static void
toggle_done_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  notes_action (AA_WINDOW (user_data), "notes.toggle-done-selected");
}

static void
delete_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  notes_action (AA_WINDOW (user_data), "notes.delete-selected");
}

static void
undo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  AaMutation *undoable;

  /* In a text field, Ctrl+Z undoes typing. */
  if (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus)) {
    gtk_widget_activate_action (focus, "text.undo", NULL);
    return;
  }

  undoable = aa_action_manager_get_undoable (self->manager);
  if (undoable == NULL || aa_action_manager_undo (self->manager, undoable) == NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static AaMutation *
lookup_toast_mutation (AaWindow *self,
                       GVariant *parameter)
{
  return g_hash_table_lookup (self->toast_mutations,
                              GUINT_TO_POINTER (g_variant_get_uint32 (parameter)));
}

static void
retry_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  AaMutation *mutation = lookup_toast_mutation (self, parameter);

  if (mutation != NULL)
    aa_action_manager_retry (self->manager, mutation);
}

static void
undo_mutation_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  AaMutation *mutation = lookup_toast_mutation (self, parameter);

  if (mutation != NULL)
    aa_action_manager_undo (self->manager, mutation);
}

static const GActionEntry win_entries[] = {
  { "new-note", new_note_action },
  { "reload", reload_action },
  { "save", save_action },
  { "undo", undo_action },
  { "delete", delete_action },
  { "toggle-star", toggle_star_action },
  { "toggle-done", toggle_done_action },
  { "retry", retry_action, "u" },
  { "undo-mutation", undo_mutation_action, "u" },
};

static void
update_title (AaWindow *self)
{
  GListModel *pages = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (self->stack)));

  /* A switcher with one page would be a button that goes nowhere. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->title_stack),
                                    g_list_model_get_n_items (pages) > 1 ? "switcher" : "title");
  g_object_unref (pages);
}

static void
aa_window_constructed (GObject *object)
{
  AaWindow *self = AA_WINDOW (object);

  G_OBJECT_CLASS (aa_window_parent_class)->constructed (object);

  g_assert (self->manager != NULL);

  aa_notes_page_set_manager (AA_NOTES_PAGE (self->notes_page), self->manager);
  aa_network_popover_set_manager (AA_NETWORK_POPOVER (self->network_popover), self->manager);
  g_signal_connect_object (self->manager, "feedback", G_CALLBACK (feedback_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_popover, "notify::degraded", G_CALLBACK (degraded_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::n-pending", G_CALLBACK (n_pending_changed_cb), self, G_CONNECT_SWAPPED);
  n_pending_changed_cb (self);
  update_title (self);

  g_object_bind_property (self->notes_page, "loaded",
                          g_action_map_lookup_action (G_ACTION_MAP (self), "new-note"), "enabled",
                          G_BINDING_SYNC_CREATE);
}

static void
aa_window_dispose (GObject *object)
{
  AaWindow *self = AA_WINDOW (object);

  g_clear_pointer (&self->toast_mutations, g_hash_table_unref);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (aa_window_parent_class)->dispose (object);
}

static void
aa_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AaWindow *self = AA_WINDOW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AaWindow *self = AA_WINDOW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_window_class_init (AaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aa_window_constructed;
  object_class->dispose = aa_window_dispose;
  object_class->get_property = aa_window_get_property;
  object_class->set_property = aa_window_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_NETWORK_POPOVER);
  g_type_ensure (AA_TYPE_NOTES_PAGE);
  g_type_ensure (AA_TYPE_TOAST_OVERLAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, pending_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, network_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, network_popover);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, notes_page);
}

static void
aa_window_init (AaWindow *self)
{
  self->toast_mutations = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
}

AaWindow *
aa_window_new (GtkApplication  *application,
               AaActionManager *manager)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_WINDOW,
                       "application", application,
                       "manager", manager,
                       NULL);
}

AaActionManager *
aa_window_get_manager (AaWindow *self)
{
  g_return_val_if_fail (AA_IS_WINDOW (self), NULL);

  return self->manager;
}

AaToastOverlay *
aa_window_get_toast_overlay (AaWindow *self)
{
  return AA_TOAST_OVERLAY (self->toast_overlay);
}

GtkWidget *
aa_window_get_stack (AaWindow *self)
{
  return self->stack;
}

GtkWidget *
aa_window_get_notes_page (AaWindow *self)
{
  return self->notes_page;
}

GtkWidget *
aa_window_get_network_button (AaWindow *self)
{
  return self->network_button;
}

GtkWidget *
aa_window_get_network_popover (AaWindow *self)
{
  return self->network_popover;
}
