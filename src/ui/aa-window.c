/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aa-activity-page.h"
#include "aa-billing-page.h"
#include "aa-connection-status.h"
#include "aa-network-popover.h"
#include "aa-notes-page.h"
#include "aa-offline-banner.h"
#include "aa-quit-dialog.h"
#include "aa-team-page.h"
#include "aa-trash-page.h"
#include "aa-window-private.h"
#include "aa-ui.h"

struct _AaWindow
{
  AdwApplicationWindow  parent_instance;

  GtkWidget            *header_bar;
  GtkWidget            *back_button;
  GtkWidget            *switcher_title;
  GtkWidget            *new_button;
  GtkWidget            *reload_button;
  GtkWidget            *switcher_bar;
  GtkWidget            *network_button;
  GtkWidget            *network_popover;
  GtkWidget            *toast_overlay;
  GtkWidget            *stack;
  GtkWidget            *notes_page;
  GtkWidget            *trash_page;
  GtkWidget            *billing_page;
  GtkWidget            *team_page;
  GtkWidget            *activity_page;
  GtkWidget            *offline_banner;
  GtkWidget            *connection_status;
  GtkWidget            *quit_dialog; /* weak */
  gulong                notes_loaded_id;
  gulong                notes_editing_id;
  gulong                ready_loaded_id;
  gulong                ready_loading_id;
  guint                 ready_timeout_id;
  guint                 ready_wait_ms;

  gboolean              was_active;
  /* Narrow: the notes' leaflet folded, or would have on another page. */
  gboolean              folded;
  guint                 update_header_id;
  /* The top-level page a subpage (Trash, Activity) goes back to. */
  GtkWidget            *last_top_page;

  AaActionManager      *manager;
  GSettings            *settings;
  guint                 toast_timeout;
  /* The user chose to close, and nothing is left to lose (or they chose
   * to lose it). */
  gboolean              close_confirmed;

  /* The toasts added and not dismissed yet (AdwToast), oldest first. */
  GPtrArray            *toasts;
};

G_DEFINE_FINAL_TYPE (AaWindow, aa_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_TOAST_TIMEOUT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* What the button of a toast for a change does (its Retry or Undo), kept
 * on the toast itself. */
typedef struct {
  AaActionManager  *manager;
  AaMutation       *mutation;
  AaFeedbackAction  action;
} ToastAction;

static void
toast_action_free (gpointer data)
{
  ToastAction *action = data;

  g_clear_object (&action->manager);
  g_clear_object (&action->mutation);
  g_free (action);
}

static ToastAction *
toast_get_action (AdwToast *toast)
{
  return g_object_get_data (G_OBJECT (toast), "aa-toast-action");
}

static void
toast_button_clicked_cb (AdwToast    *toast,
                         ToastAction *action)
{
  if (action->action == AA_FEEDBACK_ACTION_RETRY)
    aa_action_manager_retry (action->manager, action->mutation);
  else if (action->action == AA_FEEDBACK_ACTION_UNDO)
    aa_action_manager_undo (action->manager, action->mutation);
}

/* AdwToast 1.2 names its button by its label alone ("Undo"), which does
 * not say what it acts on: the toast on screen names it with its title
 * ("Undo: “Groceries” moved to the Trash"). */
/* The widget of the toast on screen, and that toast: AdwToastOverlay 1.2
 * does not say which of its toasts that is, its toast widget does
 * ("toast"). A toast leaving (dismissed) is no longer on the list. */
static GtkWidget *
find_shown_toast (AaWindow  *self,
                  AdwToast **out_toast)
{
  if (self->toasts == NULL)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (self->toast_overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    g_autoptr(AdwToast) toast = NULL;

    if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "toast") == NULL)
      continue;
    g_object_get (child, "toast", &toast, NULL);
    if (toast != NULL && g_ptr_array_find (self->toasts, toast, NULL)) {
      /* The list holds it. */
      *out_toast = toast;
      return child;
    }
  }

  return NULL;
}

/* AdwToast 1.2 names its button by its label alone ("Undo"), which does
 * not say what it acts on: the toast on screen names it with its title
 * ("Undo: Moved “Groceries” to the Trash"). */
static void
name_toast_button (AaWindow *self)
{
  AdwToast *toast = NULL;
  GtkWidget *widget = find_shown_toast (self, &toast);
  const char *label;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (widget == NULL || (label = adw_toast_get_button_label (toast)) == NULL)
    return;

  if (!pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &title, NULL, NULL))
    return;
  /* TRANSLATORS: the accessible name of a toast's button: its label, then
   * the toast's title, as in "Undo: “Groceries” moved to the Trash". */
  name = g_strdup_printf (C_("toast button", "%s: %s"), label, title);

  for (GtkWidget *part = gtk_widget_get_first_child (widget);
       part != NULL;
       part = gtk_widget_get_next_sibling (part)) {
    if (GTK_IS_BUTTON (part) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (part)), label) == 0)
      gtk_accessible_update_property (GTK_ACCESSIBLE (part), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
}

static void
toast_dismissed_cb (AaWindow *self,
                    AdwToast *toast)
{
  if (self->toasts == NULL)
    return;

  g_ptr_array_remove (self->toasts, toast);
  /* The overlay has shown the next one by now. */
  name_toast_button (self);
}

/* Dismisses the toasts whose button does @what (any, for NONE), for
 * @only or else a change to @target (any, for NULL), except @keep. */
static void
dismiss_toasts_but (AaWindow         *self,
                    AaFeedbackAction  what,
                    AaResource       *target,
                    AaMutation       *only,
                    AdwToast         *keep)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->toasts->len; i++) {
    AdwToast *toast = g_ptr_array_index (self->toasts, i);
    ToastAction *action = toast_get_action (toast);

    if (toast == keep || action == NULL || (what != AA_FEEDBACK_ACTION_NONE && action->action != what))
      continue;
    if (only != NULL ? action->mutation == only
                     : target == NULL || aa_mutation_get_target (action->mutation) == target)
      g_ptr_array_add (toasts, g_object_ref (toast));
  }
  /* Dismissing removes them from the list: not while walking it. */
  for (guint i = 0; i < toasts->len; i++)
    adw_toast_dismiss (g_ptr_array_index (toasts, i));
}

static void
dismiss_toasts (AaWindow         *self,
                AaFeedbackAction  what,
                AaResource       *target)
{
  dismiss_toasts_but (self, what, target, NULL, NULL);
}

/* One Undo at a time, for the latest change, which is also what Ctrl+Z
 * undoes (Nautilus replaces its undo toast too). The Undo on screen takes
 * the new change, its title and a fresh timeout in place: dismissing it
 * while it slides in would trip libadwaita 1.2's toast overlay, and
 * replacing it in place does not blink. Undo toasts still queued go. */
static gboolean
replace_undo_toast (AaWindow *self,
                    AdwToast *toast)
{
  AdwToast *shown = aa_window_get_shown_toast (self);
  ToastAction *action = shown != NULL ? toast_get_action (shown) : NULL;
  ToastAction *update = toast_get_action (toast);

  dismiss_toasts_but (self, AA_FEEDBACK_ACTION_UNDO, NULL, NULL, action != NULL && action->action == AA_FEEDBACK_ACTION_UNDO ? shown : NULL);
  if (action == NULL || action->action != AA_FEEDBACK_ACTION_UNDO)
    return FALSE;

  g_set_object (&action->mutation, update->mutation);
  adw_toast_set_title (shown, adw_toast_get_title (toast));
  adw_toast_set_button_label (shown, adw_toast_get_button_label (toast));
  /* Added again, the toast on screen starts its timeout over. */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), g_object_ref (shown));
  name_toast_button (self);

  return TRUE;
}

/* The one place where the engine's feedback becomes toasts. Inline feedback
 * is rendered by whatever shows its target (the row, the editor), and the
 * dialog tier is asked before the change (aa_ui_confirm_async()). */
static void
feedback_cb (AaWindow   *self,
             AaFeedback *feedback)
{
  AaMutation *mutation = aa_feedback_get_mutation (feedback);
  AaFeedbackAction what = aa_feedback_get_action (feedback);
  const char *label = aa_feedback_get_action_label (feedback);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (aa_feedback_get_tier (feedback) != AA_FEEDBACK_TIER_TOAST)
    return;

  /* Removed elsewhere: a Retry or an Undo offered before for it can do
   * nothing now, and this toast says why. */
  if (mutation != NULL &&
      g_error_matches (aa_mutation_get_error (mutation), AA_ERROR, AA_ERROR_REMOVED_ELSEWHERE)) {
    dismiss_toasts (self, AA_FEEDBACK_ACTION_RETRY, aa_mutation_get_target (mutation));
    dismiss_toasts (self, AA_FEEDBACK_ACTION_UNDO, aa_mutation_get_target (mutation));
  }

  /* A toast's title is short (HIG): a failure says what failed, and its
   * Retry; why and what else to do are in Activity. */
  title = g_strdup (aa_feedback_get_title (feedback));
  if (what == AA_FEEDBACK_ACTION_RETRY) {
    char *end = strstr (title, ". ");

    if (end != NULL)
      end[1] = '\0';
  }

  toast = aa_ui_toast_new (title);
  /* A failure goes before routine confirmations (and waits longer). */
  if (what == AA_FEEDBACK_ACTION_RETRY)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);

  if (label != NULL && what == AA_FEEDBACK_ACTION_RELOAD) {
    adw_toast_set_button_label (toast, label);
    adw_toast_set_action_name (toast, "win.reload");
  } else if (label != NULL && mutation != NULL &&
             (what == AA_FEEDBACK_ACTION_RETRY || what == AA_FEEDBACK_ACTION_UNDO)) {
    ToastAction *action = g_new0 (ToastAction, 1);

    action->manager = g_object_ref (self->manager);
    action->mutation = g_object_ref (mutation);
    action->action = what;
    g_object_set_data_full (G_OBJECT (toast), "aa-toast-action", action, toast_action_free);
    g_signal_connect (toast, "button-clicked", G_CALLBACK (toast_button_clicked_cb), action);
    adw_toast_set_button_label (toast, label);

    if (what == AA_FEEDBACK_ACTION_UNDO && replace_undo_toast (self, toast)) {
      g_object_unref (toast);
      return;
    }
  }

  aa_window_add_toast (self, toast);
}

/* The user discarded the text of a failed save: its Retry goes with it. */
static void
discarded_cb (AaWindow   *self,
              AaMutation *mutation)
{
  dismiss_toasts_but (self, AA_FEEDBACK_ACTION_NONE, NULL, mutation, NULL);
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
                     degraded ? _("Network Conditions (degraded)") : _("The demo’s network: latency, failures, offline"));
  if (degraded)
    gtk_widget_add_css_class (self->network_button, "degraded");
  else
    gtk_widget_remove_css_class (self->network_button, "degraded");
}

static GtkWidget *
visible_page (AaWindow *self)
{
  return adw_view_stack_get_visible_child (ADW_VIEW_STACK (self->stack));
}

static void
show_notes (AaWindow *self)
{
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (self->stack), self->notes_page);
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

  return adw_view_stack_page_get_title (adw_view_stack_get_page (ADW_VIEW_STACK (self->stack), page));
}

/* The notes list and the editor one at a time (AdwLeaflet), and every
 * page laid out for a phone's width. */
static gboolean
is_folded (AaWindow *self)
{
  return self->folded;
}

/* The header's buttons act on the page shown: New Note on the notes, and
 * Reload, named for the page, where it comes from the server (Activity is
 * live). Where they would mean nothing they are not there. Narrow, Reload
 * is in the main menu: the header keeps its room for the title and the
 * window's own buttons, minimise and maximise too. */
static void
update_page_buttons (AaWindow *self)
{
  GtkWidget *page = visible_page (self);
  GAction *reload = g_action_map_lookup_action (G_ACTION_MAP (self), "reload");
  GAction *menu_reload = g_action_map_lookup_action (G_ACTION_MAP (self), "reload-from-menu");
  gboolean can_reload = page != NULL && page != self->activity_page;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (reload), can_reload);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (menu_reload), can_reload && is_folded (self));
  gtk_widget_set_visible (self->reload_button, can_reload && !is_folded (self));
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

/*
 * AdwViewSwitcherTitle shows the page switcher where it fits and the
 * title where it does not, and the bar at the bottom takes the switcher
 * over then. Trash and Activity are places with a title and Back; a note
 * opened in a narrow window has Back and its own fields, and the header
 * keeps its room for the buttons (a squeezed title would read "…").
 */
static void
update_header (AaWindow *self)
{
  GtkWidget *page = visible_page (self);
  gboolean subpage = is_subpage (self, page);
  gboolean editing = page == self->notes_page && notes_editing (self);
  AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (self->switcher_title);

  gtk_widget_set_visible (self->back_button, subpage || editing);
  gtk_widget_set_visible (self->switcher_title, !editing);
  update_page_buttons (self);
  if (self->connection_status != NULL)
    aa_connection_status_set_compact (AA_CONNECTION_STATUS (self->connection_status), is_folded (self));
  /* Shown or not: the stack is as wide as its widest page. */
  aa_billing_page_set_folded (AA_BILLING_PAGE (self->billing_page), is_folded (self));
  aa_team_page_set_folded (AA_TEAM_PAGE (self->team_page), is_folded (self));
  adw_view_switcher_title_set_view_switcher_enabled (title, !subpage);
  /* Narrow, the page's name is what fits beside the buttons. */
  adw_view_switcher_title_set_title (title, subpage || is_folded (self) ? page_title (self, page) : _("Async Actions"));
  adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (self->switcher_bar),
                                    adw_view_switcher_title_get_title_visible (title) && !subpage && !editing);
}

static gboolean
update_header_idle_cb (gpointer user_data)
{
  AaWindow *self = user_data;

  self->update_header_id = 0;
  update_header (self);
  return G_SOURCE_REMOVE;
}

/* The switcher title and the leaflet say they folded while they are
 * allocated: showing or hiding widgets then would be in the middle of the
 * layout, so it waits for it to finish. */
static void
queue_update_header (AaWindow *self)
{
  if (self->update_header_id == 0)
    self->update_header_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_header_idle_cb, self, NULL);
}

static void
set_folded (AaWindow *self,
            gboolean  folded)
{
  if (self->folded == folded)
    return;

  self->folded = folded;
  queue_update_header (self);
}

/* On Notes the window folds where its leaflet folds. On another page the
 * leaflet is not laid out and would not see the window narrowed, so the
 * window folds where the leaflet would. The header and the pages follow at
 * idle, once the layout is done. */
static void
update_folded (AaWindow *self)
{
  AaNotesPage *notes = AA_NOTES_PAGE (self->notes_page);

  if (visible_page (self) == self->notes_page)
    set_folded (self, aa_notes_page_get_folded (notes));
  else
    set_folded (self, gtk_widget_get_width (self->stack) < aa_notes_page_get_unfold_width (notes));
}

static void
aa_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  GTK_WIDGET_CLASS (aa_window_parent_class)->size_allocate (widget, width, height, baseline);

  update_folded (AA_WINDOW (widget));
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
    adw_view_stack_set_visible_child (ADW_VIEW_STACK (self->stack),
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
  AaResource *target;

  /* In a text field, Ctrl+Z undoes typing. */
  if (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus)) {
    gtk_widget_activate_action (focus, "text.undo", NULL);
    return;
  }

  undoable = aa_engine_get_undoable (aa_action_manager_get_engine (self->manager));
  if (undoable == NULL) {
    gtk_widget_error_bell (GTK_WIDGET (self));
    return;
  }

  /* The toast offering to undo it has nothing left to offer. */
  target = aa_mutation_get_target (undoable);
  if (aa_action_manager_undo (self->manager, undoable) == NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
  else
    dismiss_toasts (self, AA_FEEDBACK_ACTION_UNDO, target);
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  AaWindow *self = AA_WINDOW (user_data);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (ADW_VIEW_STACK (self->stack), name) != NULL)
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->stack), name);
}

static const GActionEntry win_entries[] = {
  { "show-page", show_page_action, "s" },
  { "back", back_action },
  { "new-note", new_note_action },
  { "reload", reload_action },
  { "reload-from-menu", reload_action },
  { "save", save_action },
  { "undo", undo_action },
  { "delete", delete_action },
  { "toggle-star", toggle_star_action },
  { "toggle-done", toggle_done_action },
};

/* A note made before the list is there would hide among nothing. */
static void
notes_loaded_changed_cb (AaWindow *self)
{
  GAction *new_note = g_action_map_lookup_action (G_ACTION_MAP (self), "new-note");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (new_note),
                               aa_notes_page_get_loaded (AA_NOTES_PAGE (self->notes_page)));
}

/* Escape dismisses the toast wherever the focus is in the window, the
 * header bar too; a control that takes Escape itself (a pay form, a
 * popover) has it first. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  AdwToast *shown = aa_window_get_shown_toast (AA_WINDOW (widget));

  if (shown == NULL)
    return FALSE;

  adw_toast_dismiss (shown);
  return TRUE;
}

/* A page without a title is a place of its own (Trash, Activity): left
 * out of the switchers, and reached from Notes and the main menu. */
static GtkWidget *
add_page (AaWindow   *self,
          GtkWidget  *page,
          const char *name,
          const char *title,
          const char *icon_name)
{
  AdwViewStackPage *stack_page;

  if (title != NULL) {
    stack_page = adw_view_stack_add_titled (ADW_VIEW_STACK (self->stack), page, name, title);
    adw_view_stack_page_set_icon_name (stack_page, icon_name);
  } else {
    stack_page = adw_view_stack_add_named (ADW_VIEW_STACK (self->stack), page, name);
    adw_view_stack_page_set_visible (stack_page, FALSE);
  }

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

  page = adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->stack));
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

/* The Save of a draft's row in the quit dialog. */
static void
save_draft_cb (AaWindow     *self,
               AaItem       *item,
               AaQuitDialog *dialog)
{
  g_autoptr(GPtrArray) drafts = NULL;

  aa_notes_page_save_draft (AA_NOTES_PAGE (self->notes_page), item);
  drafts = aa_notes_page_list_drafts (AA_NOTES_PAGE (self->notes_page));
  aa_quit_dialog_set_drafts (dialog, drafts);
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
  g_signal_connect_object (dialog, "save-draft", G_CALLBACK (save_draft_cb), self, G_CONNECT_SWAPPED);
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
  self->billing_page = add_page (self, aa_billing_page_new (self->manager), "billing", _("Billing"),
                                 "x-office-spreadsheet-symbolic");
  self->team_page = add_page (self, aa_team_page_new (self->manager), "team", _("Team"),
                              "system-users-symbolic");
  self->trash_page = add_page (self, aa_trash_page_new (self->manager), "trash", NULL, NULL);
  self->activity_page = add_page (self, aa_activity_page_new (self->manager), "activity", NULL, NULL);
  aa_ui_name_parts (GTK_WIDGET (self));
  self->last_top_page = self->notes_page;
  g_signal_connect_object (self->switcher_title, "notify::title-visible", G_CALLBACK (queue_update_header), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes_page, "notify::folded", G_CALLBACK (update_folded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (page_shown_cb), self, G_CONNECT_SWAPPED);

  aa_network_popover_set_manager (AA_NETWORK_POPOVER (self->network_popover), self->manager);
  /* Live updates: their state in the header; coming back to the window
   * refetches when there is no stream to say what changed meanwhile. */
  self->connection_status = aa_connection_status_new (self->manager);
  adw_header_bar_pack_end (ADW_HEADER_BAR (self->header_bar), self->connection_status);
  /* Offline, said once at the top of the content, for every change. */
  self->offline_banner = aa_offline_banner_new (self->manager);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->header_bar)), self->offline_banner,
                              self->header_bar);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (window_active_cb), NULL);
  g_signal_connect_object (aa_action_manager_get_engine (self->manager), "feedback", G_CALLBACK (feedback_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "discarded", G_CALLBACK (discarded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_popover, "notify::degraded", G_CALLBACK (degraded_changed_cb), self, G_CONNECT_SWAPPED);
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
  if (adw_view_stack_get_visible_child (ADW_VIEW_STACK (self->stack)) != self->notes_page)
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

static void
aa_window_dispose (GObject *object)
{
  AaWindow *self = AA_WINDOW (object);

  g_clear_handle_id (&self->ready_timeout_id, g_source_remove);
  g_clear_handle_id (&self->update_header_id, g_source_remove);
  g_clear_signal_handler (&self->ready_loaded_id, self->notes_page);
  g_clear_signal_handler (&self->ready_loading_id, self->notes_page);
  g_clear_signal_handler (&self->notes_loaded_id, self->notes_page);
  g_clear_signal_handler (&self->notes_editing_id, self->notes_page);

  if (self->quit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quit_dialog));
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
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
  widget_class->size_allocate = aa_window_size_allocate;
  window_class->close_request = aa_window_close_request;

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AaWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, AaWindow, switcher_bar);
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
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
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
  if (adw_view_stack_get_child_by_name (ADW_VIEW_STACK (self->stack), page) != NULL)
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (self->stack), page);

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
                     AdwToast *toast)
{
  guint timeout;

  g_return_if_fail (AA_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  timeout = self->toast_timeout;

  /* 0 keeps every toast until dismissed; otherwise there is time to reach
   * a button, and more to read what failed. */
  if (timeout != 0 && adw_toast_get_priority (toast) == ADW_TOAST_PRIORITY_HIGH)
    timeout = MAX (timeout, 10);
  else if (timeout != 0 && adw_toast_get_button_label (toast) != NULL)
    timeout = MAX (timeout, 8);
  adw_toast_set_timeout (toast, timeout);

  g_ptr_array_add (self->toasts, g_object_ref (toast));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
  /* After the overlay's own handler, which shows the next toast. */
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  name_toast_button (self);
}

/**
 * aa_window_get_shown_toast:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the toast on screen, or %NULL
 */
AdwToast *
aa_window_get_shown_toast (AaWindow *self)
{
  AdwToast *toast = NULL;

  g_return_val_if_fail (AA_IS_WINDOW (self), NULL);

  find_shown_toast (self, &toast);
  return toast;
}

GPtrArray *
aa_window_get_toasts (AaWindow *self)
{
  return self->toasts;
}

GtkWidget *
aa_window_get_toast_overlay (AaWindow *self)
{
  return self->toast_overlay;
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
aa_window_get_offline_banner (AaWindow *self)
{
  return self->offline_banner;
}

GtkWidget *
aa_window_get_quit_dialog (AaWindow *self)
{
  return self->quit_dialog;
}

gboolean
aa_window_get_folded (AaWindow *self)
{
  return is_folded (self);
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
aa_window_get_switcher_title (AaWindow *self)
{
  return self->switcher_title;
}
