#define G_LOG_DOMAIN "aa-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-activity-page.h"
#include "aa-billing-page.h"
#include "aa-connection-status.h"
#include "aa-network-popover.h"
#include "aa-notes-page.h"
#include "aa-quit-dialog.h"
#include "aa-team-page.h"
#include "aa-toast-overlay-private.h"
#include "aa-trash-page.h"
#include "aa-window-private.h"
#include "aa-ui.h"

struct _AaWindow
{
  GtkApplicationWindow  parent_instance;

  GtkWidget            *header_bar;
  GtkWidget            *back_button;
  GtkWidget            *new_label;
  GtkWidget            *title_stack;
  GtkWidget            *new_button;
  GtkWidget            *reload_button;
  GtkWidget            *title_label;
  GtkWidget            *switcher_bar;
  GtkWidget            *page_switcher;
  GtkWidget            *bar_switcher;
  GtkWidget            *pending_spinner;
  GtkWidget            *network_button;
  GtkWidget            *network_popover;
  GtkWidget            *toast_overlay;
  GtkWidget            *stack;
  GtkWidget            *notes_page;
  GtkWidget            *trash_page;
  GtkWidget            *billing_page;
  GtkWidget            *team_page;
  GtkWidget            *activity_page;
  GtkWidget            *quit_dialog; /* weak */
  gulong                notes_loaded_id;
  gulong                notes_editing_id;
  gulong                ready_loaded_id;
  gulong                ready_loading_id;
  guint                 ready_timeout_id;
  guint                 ready_wait_ms;

  /* Narrower than AA_WINDOW_FOLD_WIDTH: one pane at a time. */
  gboolean              folded;
  gboolean              was_active;
  gboolean              want_folded;
  guint                 fold_tick_id;
  /* The top-level page a subpage (Trash, Activity) goes back to. */
  GtkWidget            *last_top_page;

  AaActionManager      *manager;
  GSettings            *settings;
  guint                 toast_timeout;
  /* The user chose to close, and nothing is left to lose (or they chose
   * to lose it). */
  gboolean              close_confirmed;

  /* The mutations behind the buttons of toasts on screen or queued, by a
   * number that fits in an action target. */
  GHashTable           *toast_mutations;
  GHashTable           *toasts;
  guint                 last_toast_id;
};

G_DEFINE_FINAL_TYPE (AaWindow, aa_window, GTK_TYPE_APPLICATION_WINDOW)

/* Below this content width the window folds. It must stay above the
 * minimum width of the unfolded layout, or the window could never be made
 * narrow enough to fold (tests/ui/test-adaptive.c checks it). */
#define AA_WINDOW_FOLD_WIDTH 720

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_TOAST_TIMEOUT,
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
  if (self->toasts != NULL)
    g_hash_table_remove (self->toasts, GUINT_TO_POINTER (id));
}

/* Dismisses the toasts whose Retry or Undo acts on @mutation, or on any
 * change to @target. */
static void
dismiss_toasts_of (AaWindow   *self,
                   AaResource *target,
                   AaMutation *only)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer id, mutation;

  g_hash_table_iter_init (&iter, self->toast_mutations);
  while (g_hash_table_iter_next (&iter, &id, &mutation)) {
    AaToast *toast = g_hash_table_lookup (self->toasts, id);

    if (toast != NULL && (only != NULL ? mutation == (gpointer) only : aa_mutation_get_target (mutation) == target))
      g_ptr_array_add (toasts, g_object_ref (toast));
  }
  /* Dismissing removes them from the tables: not while walking them. */
  for (guint i = 0; i < toasts->len; i++)
    aa_toast_dismiss (g_ptr_array_index (toasts, i));
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

  /* Removed elsewhere: a Retry or an Undo offered before for it can do
   * nothing now, and this toast says why. */
  if (mutation != NULL &&
      g_error_matches (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE))
    dismiss_toasts_of (self, aa_mutation_get_target (mutation), NULL);

  toast = aa_toast_new (aa_feedback_get_title (feedback));

  switch (aa_feedback_get_action (feedback)) {
  case AA_FEEDBACK_ACTION_RETRY:
    action_name = "win.retry";
    /* A failure goes before routine confirmations (and waits longer). */
    aa_toast_set_priority (toast, AA_TOAST_PRIORITY_HIGH);
    break;
  case AA_FEEDBACK_ACTION_UNDO:
    action_name = "win.undo-mutation";
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
      g_hash_table_insert (self->toasts, GUINT_TO_POINTER (id), g_object_ref (toast));
      aa_toast_set_action_target (toast, g_variant_new_uint32 (id));
      g_object_set_data (G_OBJECT (toast), "aa-toast-id", GUINT_TO_POINTER (id));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
    }
  }

  aa_window_add_toast (self, toast);
}

/* The user discarded the text of a failed save: its Retry goes with it. */
static void
discarded_cb (AaWindow   *self,
              AaMutation *mutation)
{
  dismiss_toasts_of (self, NULL, mutation);
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
    aa_ui_set_tooltip (self->pending_spinner, tooltip);
  }
}

/* Anyone demoing sees at a glance that the network is not the real one. */
static void
window_active_cb (AaWindow   *self,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return;

  /* Coming back may have missed changes; the window opening has its lists
   * on their way already, and fetching them all again would only compete. */
  if (self->was_active)
    aa_action_manager_catch_up (self->manager);
  self->was_active = TRUE;
}

static void
degraded_changed_cb (AaWindow *self)
{
  gboolean degraded = FALSE;

  g_object_get (self->network_popover, "degraded", &degraded, NULL);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->network_button),
                                 degraded ? "network-error-symbolic" : "network-transmit-receive-symbolic");
  aa_ui_set_tooltip (self->network_button,
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

/* Trash and Activity are places reached from Notes and from the main menu,
 * not tabs: they have a back button instead. */
static gboolean
is_subpage (AaWindow  *self,
            GtkWidget *page)
{
  return page != NULL && (page == self->trash_page || page == self->activity_page);
}

static gboolean
notes_editing (AaWindow *self)
{
  return aa_notes_page_get_editing (AA_NOTES_PAGE (self->notes_page));
}

/* What a page is called: the switcher's title, or for the pages that are
 * places of their own (Trash, Activity) and have none, their name. */
static const char *
page_title (AaWindow  *self,
            GtkWidget *page)
{
  if (page == self->trash_page)
    return _("Trash");
  if (page == self->activity_page)
    return _("Activity");

  return gtk_stack_page_get_title (gtk_stack_get_page (GTK_STACK (self->stack), page));
}

static void
update_header (AaWindow *self)
{
  GtkWidget *page = visible_page (self);
  gboolean subpage = is_subpage (self, page);
  gboolean editing = page == self->notes_page && notes_editing (self);
  GListModel *pages = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (self->stack)));
  gboolean several = g_list_model_get_n_items (pages) > 1;
  const char *title = NULL;

  g_object_unref (pages);

  gtk_widget_set_visible (self->back_button, subpage || editing);
  gtk_widget_set_visible (self->new_label, !self->folded);
  /* A switcher with one page would be a button that goes nowhere. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->title_stack),
                                    several && !self->folded && !subpage ? "switcher" : "title");
  gtk_widget_set_visible (self->switcher_bar, several && self->folded && !subpage && !editing);
  /* The note's screen is the narrowest header (Back, New Note, Reload):
   * its fields say what it is, and the window buttons keep their room. */
  gtk_widget_set_visible (self->title_stack, !editing);

  if (subpage || (self->folded && page != NULL))
    title = page_title (self, page);
  gtk_label_set_text (GTK_LABEL (self->title_label), title != NULL ? title : _("Async Actions"));
}

static void
set_folded (AaWindow *self,
            gboolean  folded)
{
  if (self->folded == folded)
    return;

  self->folded = folded;
  aa_notes_page_set_folded (AA_NOTES_PAGE (self->notes_page), folded);
  update_header (self);
}

/* The keyboard follows the eye: a page shown is a page to work in. */
static void
focus_page (AaWindow *self)
{
  GtkWidget *page = visible_page (self);

  if (page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  if (page == self->notes_page)
    aa_notes_page_focus_list (AA_NOTES_PAGE (self->notes_page));
  else if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD)) {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

    /* Still loading: not on the page going away; the page takes the
     * focus once it has content. */
    if (focus != NULL && gtk_widget_is_ancestor (focus, self->stack))
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
  }
}

static void
page_shown_cb (AaWindow *self)
{
  GtkWidget *page = visible_page (self);

  if (page != NULL && !is_subpage (self, page))
    self->last_top_page = page;

  update_header (self);
  focus_page (self);
}

static void
back_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  GtkWidget *page = visible_page (self);

  if (page == self->notes_page && notes_editing (self))
    aa_notes_page_show_list (AA_NOTES_PAGE (self->notes_page));
  else if (is_subpage (self, page))
    gtk_stack_set_visible_child (GTK_STACK (self->stack),
                                 self->last_top_page != NULL ? self->last_top_page : self->notes_page);
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

static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  const char *name = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), name) != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
}

static const GActionEntry win_entries[] = {
  { "show-page", show_page_action, "s" },
  { "back", back_action },
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

/* A note made before the list is there would hide among nothing. */
static void
notes_loaded_changed_cb (AaWindow *self)
{
  GAction *new_note = g_action_map_lookup_action (G_ACTION_MAP (self), "new-note");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (new_note),
                               aa_notes_page_get_loaded (AA_NOTES_PAGE (self->notes_page)));
}

/* The header's buttons act on the page shown: New Note on the notes, and
 * Reload, named for the page, where it comes from the server (Activity is
 * live). Where they would mean nothing they are not there. */
static void
visible_page_changed_cb (AaWindow *self)
{
  GtkWidget *page = visible_page (self);
  GAction *reload = g_action_map_lookup_action (G_ACTION_MAP (self), "reload");
  gboolean can_reload = page != NULL && page != self->activity_page;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (reload), can_reload);
  gtk_widget_set_visible (self->reload_button, can_reload);
  gtk_widget_set_visible (self->new_button, page == self->notes_page);

  if (can_reload) {
    g_autofree char *label = NULL;

    /* TRANSLATORS: the header's Reload button, named for the page shown,
     * as in "Reload Notes". */
    label = g_strdup_printf (_("Reload %s"), page_title (self, page));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->reload_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
}

/* Escape dismisses the toast wherever the focus is in the window, the
 * header bar too; a control that takes Escape itself (a pay form, a
 * popover) has it first. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  AaWindow *self = AA_WINDOW (widget);
  GtkWidget *shown = aa_toast_overlay_get_shown_widget (AA_TOAST_OVERLAY (self->toast_overlay));

  if (shown == NULL)
    return FALSE;

  return gtk_widget_activate_action (self->toast_overlay, "toast-overlay.dismiss", NULL);
}

/* A page without a title is left out of the switchers. */
static GtkWidget *
add_page (AaWindow   *self,
          GtkWidget  *page,
          const char *name,
          const char *title)
{
  if (title != NULL)
    gtk_stack_add_titled (GTK_STACK (self->stack), page, name, title);
  else
    gtk_stack_add_named (GTK_STACK (self->stack), page, name);

  return page;
}

static void
save_state (AaWindow *self)
{
  const char *page;
  int width, height;

  if (self->settings == NULL)
    return;

  /* The default size is the unmaximised one: what to restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));

  page = gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
  if (page != NULL)
    g_settings_set_string (self->settings, "last-page", page);
}

static void
quit_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AaWindow) self = user_data;

  if (!aa_quit_dialog_choose_finish (AA_QUIT_DIALOG (object), result, NULL))
    return;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/*
 * Closing never loses a change silently. With changes on their way, or
 * failed and not retried, or typed in a note and not saved, the window
 * stays while the quit dialog says which; it closes by itself once they settled, or when the user chooses
 * to lose them.
 */
static gboolean
aa_window_close_request (GtkWindow *window)
{
  AaWindow *self = AA_WINDOW (window);
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  AaQuitDialog *dialog;

  /* Saved at each close request, while the window is as the user
   * left it (a wait for unsettled changes may follow). */
  save_state (self);

  if (self->close_confirmed || self->manager == NULL)
    return GTK_WINDOW_CLASS (aa_window_parent_class)->close_request (window);

  /* What is typed and not saved counts as much as what is on its way. */
  unsettled = aa_action_manager_list_unsettled (self->manager);
  drafts = aa_notes_page_list_drafts (AA_NOTES_PAGE (self->notes_page));
  if (unsettled->len == 0 && drafts->len == 0)
    return GTK_WINDOW_CLASS (aa_window_parent_class)->close_request (window);

  if (self->quit_dialog != NULL) {
    gtk_window_present (GTK_WINDOW (self->quit_dialog));
    return TRUE;
  }

  dialog = aa_quit_dialog_new (self->manager);
  aa_quit_dialog_set_drafts (dialog, drafts);
  self->quit_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  aa_quit_dialog_choose_async (dialog, GTK_WINDOW (self), NULL, quit_chosen_cb, g_object_ref (self));

  return TRUE;
}

static void
aa_window_constructed (GObject *object)
{
  AaWindow *self = AA_WINDOW (object);

  G_OBJECT_CLASS (aa_window_parent_class)->constructed (object);

  g_assert (self->manager != NULL);

  aa_notes_page_set_manager (AA_NOTES_PAGE (self->notes_page), self->manager);

  /* Each loads when first shown. */
  self->billing_page = add_page (self, aa_billing_page_new (self->manager), "billing", _("Billing"));
  self->team_page = add_page (self, aa_team_page_new (self->manager), "team", _("Team"));
  self->trash_page = add_page (self, aa_trash_page_new (self->manager), "trash", NULL);
  self->activity_page = add_page (self, aa_activity_page_new (self->manager), "activity", NULL);
  /* Given the stack once it has all its pages: a switcher rebuilds its
   * buttons for each page added, and each button's tooltip costs GTK 4.8 a
   * round trip to the display server. */
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (self->page_switcher), GTK_STACK (self->stack));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (self->bar_switcher), GTK_STACK (self->stack));
  self->last_top_page = self->notes_page;
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (visible_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (page_shown_cb), self, G_CONNECT_SWAPPED);
  visible_page_changed_cb (self);

  aa_network_popover_set_manager (AA_NETWORK_POPOVER (self->network_popover), self->manager);
  /* Live updates: their state in the header; coming back to the window
   * refetches when there is no stream to say what changed meanwhile. */
  gtk_header_bar_pack_end (GTK_HEADER_BAR (self->header_bar), aa_connection_status_new (self->manager));
  g_signal_connect (self, "notify::is-active", G_CALLBACK (window_active_cb), NULL);
  g_signal_connect_object (self->manager, "feedback", G_CALLBACK (feedback_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "discarded", G_CALLBACK (discarded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_popover, "notify::degraded", G_CALLBACK (degraded_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::n-pending", G_CALLBACK (n_pending_changed_cb), self, G_CONNECT_SWAPPED);
  n_pending_changed_cb (self);
  update_header (self);

  /* Not a binding: the page can outlive the window (a load still on its
   * way holds it), and must not reach the window's actions then. */
  self->notes_loaded_id = g_signal_connect_swapped (self->notes_page, "notify::loaded",
                                                    G_CALLBACK (notes_loaded_changed_cb), self);
  notes_loaded_changed_cb (self);
  self->notes_editing_id = g_signal_connect_swapped (self->notes_page, "notify::editing",
                                                     G_CALLBACK (update_header), self);
}

/* The longest the window waits for the notes it opens on. */
#define READY_WAIT_MS 150

static gboolean
notes_settled (AaWindow *self)
{
  AaNotesPage *notes = AA_NOTES_PAGE (self->notes_page);

  /* Another page to open on (the one restored from the settings) shows
   * its own loading state. */
  if (gtk_stack_get_visible_child (GTK_STACK (self->stack)) != self->notes_page)
    return TRUE;

  return aa_notes_page_get_loaded (notes) || !aa_notes_page_get_loading (notes);
}

static void
present_ready (AaWindow *self)
{
  g_clear_handle_id (&self->ready_timeout_id, g_source_remove);
  g_clear_signal_handler (&self->ready_loaded_id, self->notes_page);
  g_clear_signal_handler (&self->ready_loading_id, self->notes_page);
  gtk_window_present (GTK_WINDOW (self));
}

static void
notes_settled_cb (AaWindow *self)
{
  if (notes_settled (self))
    present_ready (self);
}

static gboolean
ready_timeout_cb (gpointer user_data)
{
  AaWindow *self = user_data;

  self->ready_timeout_id = 0;
  present_ready (self);
  return G_SOURCE_REMOVE;
}

/**
 * aa_window_present_when_ready:
 * @self: a window
 *
 * Presents @self once the notes it opens on are there, or their load
 * failed, and after at most 150 ms: a window that opens with its notes
 * beats one that flashes their spinner first, and drawing it once costs
 * less than drawing it twice. A slower load shows its loading state.
 */
void
aa_window_present_when_ready (AaWindow *self)
{
  g_return_if_fail (AA_IS_WINDOW (self));

  if (self->ready_timeout_id != 0)
    return;

  if (gtk_widget_get_visible (GTK_WIDGET (self)) || notes_settled (self)) {
    present_ready (self);
    return;
  }

  self->ready_loaded_id = g_signal_connect_swapped (self->notes_page, "notify::loaded",
                                                    G_CALLBACK (notes_settled_cb), self);
  self->ready_loading_id = g_signal_connect_swapped (self->notes_page, "notify::loading",
                                                     G_CALLBACK (notes_settled_cb), self);
  self->ready_timeout_id = g_timeout_add (self->ready_wait_ms, ready_timeout_cb, self);
}

void
aa_window_set_ready_wait (AaWindow *self,
                          guint     ready_wait_ms)
{
  g_return_if_fail (AA_IS_WINDOW (self));

  self->ready_wait_ms = ready_wait_ms;
}

/*
 * GTK 4.8 has no breakpoints: the window measures itself. size_allocate
 * sees every width the window gets (a drag, maximising, tiling), where
 * default-width only follows the unmaximised size. Folding changes which
 * widgets are shown, which must not happen in the middle of an allocation:
 * it is done at the start of the next frame, before that frame's layout.
 * Until then the old layout still fits, as both layouts' minimum widths
 * are below the breakpoint.
 */
static gboolean
fold_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (widget);

  self->fold_tick_id = 0;
  set_folded (self, self->want_folded);

  return G_SOURCE_REMOVE;
}

static void
aa_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  AaWindow *self = AA_WINDOW (widget);
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (self));

  GTK_WIDGET_CLASS (aa_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* The content's width, without the shadows and borders around it. */
  self->want_folded = gtk_widget_get_width (content) < AA_WINDOW_FOLD_WIDTH;
  if (self->want_folded != self->folded && self->fold_tick_id == 0)
    self->fold_tick_id = gtk_widget_add_tick_callback (widget, fold_tick_cb, NULL, NULL);
}

static void
aa_window_dispose (GObject *object)
{
  AaWindow *self = AA_WINDOW (object);

  g_clear_handle_id (&self->ready_timeout_id, g_source_remove);
  g_clear_signal_handler (&self->ready_loaded_id, self->notes_page);
  g_clear_signal_handler (&self->ready_loading_id, self->notes_page);
  g_clear_signal_handler (&self->notes_loaded_id, self->notes_page);
  g_clear_signal_handler (&self->notes_editing_id, self->notes_page);
  if (self->fold_tick_id != 0) {
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fold_tick_id);
    self->fold_tick_id = 0;
  }

  if (self->quit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quit_dialog));
  g_clear_pointer (&self->toast_mutations, g_hash_table_unref);
  g_clear_pointer (&self->toasts, g_hash_table_unref);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);

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
  case PROP_TOAST_TIMEOUT:
    g_value_set_uint (value, self->toast_timeout);
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
  case PROP_TOAST_TIMEOUT:
    aa_window_set_toast_timeout (self, g_value_get_uint (value));
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
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = aa_window_constructed;
  object_class->dispose = aa_window_dispose;
  object_class->get_property = aa_window_get_property;
  object_class->set_property = aa_window_set_property;
  window_class->close_request = aa_window_close_request;
  widget_class->size_allocate = aa_window_size_allocate;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  props[PROP_TOAST_TIMEOUT] =
    g_param_spec_uint ("toast-timeout", NULL, NULL,
                       0, G_MAXUINT, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_NETWORK_POPOVER);
  g_type_ensure (AA_TYPE_NOTES_PAGE);
  g_type_ensure (AA_TYPE_TOAST_OVERLAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, new_label);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, page_switcher);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, bar_switcher);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, pending_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, network_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, network_popover);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, notes_page);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
aa_window_init (AaWindow *self)
{
  self->toast_mutations = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  /* The toasts of those: each leaves when it is dismissed. */
  self->toasts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->toast_timeout = 5;
  self->ready_wait_ms = READY_WAIT_MS;

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

void
aa_window_bind_settings (AaWindow  *self,
                         GSettings *settings)
{
  g_autofree char *page = NULL;

  g_return_if_fail (AA_IS_WINDOW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* A page of an older or newer version is not restored. */
  page = g_settings_get_string (settings, "last-page");
  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), page) != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);

  g_settings_bind (settings, "toast-timeout", self, "toast-timeout", G_SETTINGS_BIND_GET);
}

guint
aa_window_get_toast_timeout (AaWindow *self)
{
  g_return_val_if_fail (AA_IS_WINDOW (self), 0);

  return self->toast_timeout;
}

void
aa_window_set_toast_timeout (AaWindow *self,
                             guint     toast_timeout)
{
  g_return_if_fail (AA_IS_WINDOW (self));

  if (self->toast_timeout == toast_timeout)
    return;

  self->toast_timeout = toast_timeout;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOAST_TIMEOUT]);
}

void
aa_window_add_toast (AaWindow *self,
                     AaToast  *toast)
{
  guint timeout;

  g_return_if_fail (AA_IS_WINDOW (self));
  g_return_if_fail (AA_IS_TOAST (toast));

  timeout = self->toast_timeout;

  /* 0 keeps every toast until dismissed; otherwise there is time to reach
   * a button, and more to read what failed. */
  if (timeout != 0 && aa_toast_get_priority (toast) == AA_TOAST_PRIORITY_HIGH)
    timeout = MAX (timeout, 10);
  else if (timeout != 0 && aa_toast_get_button_label (toast) != NULL)
    timeout = MAX (timeout, 8);

  aa_toast_set_timeout (toast, timeout);
  aa_toast_overlay_add_toast (AA_TOAST_OVERLAY (self->toast_overlay), toast);
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
aa_window_get_new_button (AaWindow *self)
{
  return self->new_button;
}

GtkWidget *
aa_window_get_reload_button (AaWindow *self)
{
  return self->reload_button;
}

GtkWidget *
aa_window_get_network_popover (AaWindow *self)
{
  return self->network_popover;
}

GtkWidget *
aa_window_get_trash_page (AaWindow *self)
{
  return self->trash_page;
}

GtkWidget *
aa_window_get_billing_page (AaWindow *self)
{
  return self->billing_page;
}

GtkWidget *
aa_window_get_team_page (AaWindow *self)
{
  return self->team_page;
}

GtkWidget *
aa_window_get_activity_page (AaWindow *self)
{
  return self->activity_page;
}

GtkWidget *
aa_window_get_quit_dialog (AaWindow *self)
{
  return self->quit_dialog;
}

gboolean
aa_window_get_folded (AaWindow *self)
{
  return self->folded;
}

GtkWidget *
aa_window_get_back_button (AaWindow *self)
{
  return self->back_button;
}

GtkWidget *
aa_window_get_switcher_bar (AaWindow *self)
{
  return self->switcher_bar;
}

GtkWidget *
aa_window_get_title_stack (AaWindow *self)
{
  return self->title_stack;
}
