/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-notes-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-item-row.h"
#include "aa-note-editor-private.h"
#include "aa-notes-page-private.h"
#include "aa-ui.h"

struct _AaNotesPage
{
  GtkWidget           parent_instance;

  GtkWidget          *state_stack;
  GtkWidget          *loading_spinner;
  GtkWidget          *error_page;
  GtkWidget          *error_retry_button;
  GtkWidget          *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *trash_button;
  GtkWidget          *list_stack;
  GtkWidget          *scrolled_window;
  GtkWidget          *list_view;
  GtkWidget          *editor_stack;
  GtkWidget          *editor;

  AaActionManager    *manager;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;
  GtkWidget          *confirm_dialog; /* weak */

  gboolean            loaded;
  gboolean            loading;

  /* Folded: the list and the editor are two screens; editing says the
   * editor's is shown. */
  gboolean            folded;
  gboolean            editing;

  /* A row to focus once the list has made its widget. */
  guint               focus_tick_id;
  guint               focus_position;
  guint               focus_attempts;
};

G_DEFINE_FINAL_TYPE (AaNotesPage, aa_notes_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_LOADED,
  PROP_LOADING,
  PROP_FOLDED,
  PROP_EDITING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
add_toast (AaNotesPage *self,
           AdwToast    *toast)
{
  aa_ui_show_toast (GTK_WIDGET (self), toast);
}

static gboolean
find_item (GListModel *model,
           AaItem     *item,
           guint      *out_position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++) {
    g_autoptr(AaItem) other = g_list_model_get_item (model, i);

    if (other == item) {
      *out_position = i;
      return TRUE;
    }
  }

  return FALSE;
}

static void
update_panes (AaNotesPage *self)
{
  if (self->folded)
    adw_leaflet_set_visible_child (ADW_LEAFLET (self->leaflet), self->editing ? self->editor_stack : self->sidebar);
}

static void set_editing (AaNotesPage *self,
                         gboolean     editing);

/* Folding shows the list first; unfolding shows both. */
static void
leaflet_folded_cb (AaNotesPage *self)
{
  gboolean folded = adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet));

  if (self->folded == folded)
    return;

  self->folded = folded;
  /* A phone's width spends less on margins (style.css). */
  if (folded)
    gtk_widget_add_css_class (GTK_WIDGET (self), "folded");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "folded");
  set_editing (self, FALSE);
  update_panes (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLDED]);
}

/* Back by a swipe or the mouse's back button: the leaflet went back to
 * the list by itself. */
static void
leaflet_child_cb (AaNotesPage *self)
{
  if (self->folded && self->editing &&
      adw_leaflet_get_visible_child (ADW_LEAFLET (self->leaflet)) == self->sidebar)
    set_editing (self, FALSE);
}

static void
set_editing (AaNotesPage *self,
             gboolean     editing)
{
  editing = editing && self->folded;
  if (self->editing == editing)
    return;

  self->editing = editing;
  update_panes (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EDITING]);
}

/* Opens the editor of the selected note: its own screen when folded. */
static void
edit_selected (AaNotesPage *self)
{
  GtkWidget *entry;

  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    return;

  set_editing (self, TRUE);
  /* The cursor at the end of the title, nothing selected: the first key
   * typed must not replace it. */
  entry = aa_note_editor_get_title_entry (AA_NOTE_EDITOR (self->editor));
  gtk_widget_grab_focus (entry);
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
}

/* The list item widget (GtkListView's own child) showing @position, if
 * the list has made it. */
static GtkWidget *
find_list_item (AaNotesPage *self,
                guint        position)
{
  g_autoptr(AaItem) item = NULL;

  if (self->selection == NULL)
    return NULL;

  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (item == NULL)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (self->list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *row = gtk_widget_get_first_child (child);

    if (AA_IS_ITEM_ROW (row) && aa_item_row_get_item (AA_ITEM_ROW (row)) == item)
      return gtk_widget_get_mapped (child) ? child : NULL;
  }

  return NULL;
}

/* The row the page puts the keyboard on shows it (a focus ring), as it
 * would after a key press: at startup, after a delete, back from a note. */
static void
grab_row_focus (GtkWidget *row)
{
  GtkRoot *root = gtk_widget_get_root (row);

  if (gtk_widget_grab_focus (row) && GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
}

static gboolean
focus_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  AaNotesPage *self = AA_NOTES_PAGE (user_data);
  GtkWidget *target = find_list_item (self, self->focus_position);

  if (target != NULL)
    grab_row_focus (target);
  else if (++self->focus_attempts < 10)
    return G_SOURCE_CONTINUE;
  else
    gtk_widget_grab_focus (self->list_view);

  self->focus_tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* Rows are made at the next layout: a row just shown, or just moved up in
 * place of a deleted one, may have no widget yet. */
static void
focus_position (AaNotesPage *self,
                guint        position)
{
  GtkWidget *target = find_list_item (self, position);

  if (target != NULL) {
    grab_row_focus (target);
    return;
  }

  self->focus_position = position;
  self->focus_attempts = 0;
  if (self->focus_tick_id == 0)
    self->focus_tick_id = gtk_widget_add_tick_callback (self->list_view, focus_tick_cb, self, NULL);
}

static void
set_loaded (AaNotesPage *self,
            gboolean     loaded)
{
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  /* A note made before the list is there would hide among nothing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.new", loaded);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
}

static void
set_loading (AaNotesPage *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADING]);
}

static void
update_list_state (AaNotesPage *self)
{
  GListModel *items;

  if (self->manager == NULL || !self->loaded)
    return;

  items = aa_action_manager_get_items (self->manager);
  gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack),
                                    g_list_model_get_n_items (items) > 0 ? "list" : "empty");
}

/* The row of @item, if on screen, shows whether it has a draft. */
static void
update_draft_mark (AaNotesPage *self,
                   AaItem      *item)
{
  GtkWidget *row = item != NULL ? aa_notes_page_find_row (self, item) : NULL;

  if (row != NULL)
    aa_item_row_set_has_draft (AA_ITEM_ROW (row),
                               aa_note_editor_has_draft (AA_NOTE_EDITOR (self->editor), item));
}

static void
selection_changed_cb (AaNotesPage *self)
{
  AaItem *selected = gtk_single_selection_get_selected_item (self->selection);
  AaItem *editing = aa_note_editor_get_item (AA_NOTE_EDITOR (self->editor));

  if (selected == NULL && editing != NULL && !aa_item_get_trashed (editing)) {
    guint position;

    /* A refresh replaced the rows: keep the note open, and what is typed. */
    if (find_item (G_LIST_MODEL (self->selection), editing, &position)) {
      gtk_single_selection_set_selected (self->selection, position);
      return;
    }
  }

  if (selected == NULL)
    set_editing (self, FALSE);
  aa_note_editor_set_item (AA_NOTE_EDITOR (self->editor), selected);
  /* Leaving a note may have kept a draft of it; opening one takes its
   * draft back into the editor. */
  update_draft_mark (self, editing);
  update_draft_mark (self, selected);
  gtk_stack_set_visible_child_name (GTK_STACK (self->editor_stack), selected != NULL ? "editor" : "none");
}

static void
show_load_error (AaNotesPage  *self,
                 const GError *error)
{
  g_autofree char *description = NULL;
  const char *url = aa_action_manager_get_server_url (self->manager);

  if (g_error_matches (error, AA_ERROR, AA_ERROR_UNAUTHORIZED)) {
    adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), _("The Server Refused the Token"));
    description = g_strdup_printf (_("The notes at %s need a different token. Set it in Preferences, then start Async Actions again."), url);
  } else if (error->domain == AA_ERROR &&
             (error->code == AA_ERROR_OFFLINE || error->code == AA_ERROR_TIMEOUT ||
              error->code == AA_ERROR_CONNECTION_LOST)) {
    adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), _("Can’t Reach the Server"));
    /* Loaded by themselves once the server is back (reachable_cb()). */
    description = g_strdup_printf (_("The notes could not be loaded from %s. %s"), url,
                                   g_error_matches (error, AA_ERROR, AA_ERROR_OFFLINE) ?
                                     _("They load by themselves once the server can be reached.") :
                                     aa_error_get_next_step (error));
  } else {
    adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), _("Can’t Load the Notes"));
    description = g_strdup_printf (_("The server at %s did not send the notes. %s"), url, aa_error_get_next_step (error));
  }

  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), description);
  aa_ui_set_error_action (self->error_retry_button, error, adw_status_page_get_title (ADW_STATUS_PAGE (self->error_page)));
  gtk_stack_set_visible_child_name (GTK_STACK (self->state_stack), "error");
}

/* The notes are there: the first page of them, or all. */
static void
show_notes (AaNotesPage *self)
{
  /* The view gets the notes once they are there: told of them one by
   * one, it would do the work of a list for each of 10,000 notes. */
  if (gtk_list_view_get_model (GTK_LIST_VIEW (self->list_view)) == NULL)
    gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), GTK_SELECTION_MODEL (self->selection));
  if (!self->loaded) {
    /* Shown before it is said: the window may open on it. */
    gtk_stack_set_visible_child_name (GTK_STACK (self->state_stack), "content");
    set_loaded (self, TRUE);
    update_list_state (self);
    /* Focus comes to the notes once, when they are there. A window that
     * waited for them opens with it there: GTK's first focus of a window
     * goes through aa_notes_page_focus(). */
    if (aa_ui_focus_is_free (GTK_WIDGET (self)))
      aa_notes_page_focus_list (self);
  } else {
    update_list_state (self);
  }
}

/* The first page of a load is in: shown at once, the rest follows. */
static void
items_arrived_cb (AaNotesPage *self,
                  guint        position,
                  guint        removed,
                  guint        added)
{
  if (self->loading && !self->loaded && added > 0)
    show_notes (self);
}

/* While the pages after the first come, the list says it is not complete. */
static void
items_complete_cb (AaNotesPage *self)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->list_view),
                               GTK_ACCESSIBLE_STATE_BUSY, !aa_action_manager_get_items_complete (self->manager),
                               -1);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AaNotesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aa_refresher_refresh_finish (AA_REFRESHER (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;

    gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), FALSE);

    if (!self->loaded) {
      show_load_error (self, error);
      set_loading (self, FALSE);
    } else {
      g_autofree char *title = NULL;
      AdwToast *toast;

      set_loading (self, FALSE);
      /* The notes on screen stay; only the refresh failed. */
      title = g_strdup_printf (_("Couldn’t reload the notes. %s"), aa_error_get_next_step (error));
      toast = aa_ui_toast_new (title);
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.reload");
      add_toast (self, toast);
    }
    return;
  }

  show_notes (self);
  set_loading (self, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), FALSE);
}

static void
reload (AaNotesPage *self)
{
  if (self->manager == NULL || self->loading)
    return;

  set_loading (self, TRUE);
  if (!self->loaded) {
    /* Loading is waiting, and it looks like it. */
    gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), TRUE);
    gtk_stack_set_visible_child_name (GTK_STACK (self->state_stack), "loading");
  }

  aa_refresher_refresh_async (aa_action_manager_get_refresher (self->manager), AA_REFRESH_ITEMS,
                              self->cancellable, refresh_cb, g_object_ref (self));
}

/* The server is back: notes that could not be loaded are loaded, with
 * no Retry to press (the notes on screen refresh by the stream's
 * catch-up). */
static void
reachable_cb (AaNotesPage *self)
{
  g_assert (AA_IS_NOTES_PAGE (self));

  if (!self->loaded && aa_connectivity_get_reachable (aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager))))
    reload (self);
}

static AaItem *
selected_item (AaNotesPage *self)
{
  if (self->selection == NULL)
    return NULL;

  return gtk_single_selection_get_selected_item (self->selection);
}

static void
select_item (AaNotesPage *self,
             AaItem      *item)
{
  guint position;

  if (find_item (G_LIST_MODEL (self->selection), item, &position)) {
    gtk_single_selection_set_selected (self->selection, position);
    if (position == 0) {
      GtkAdjustment *vadjustment;

      vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window));
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
    }
  }
}

typedef struct {
  AaNotesPage *self;
  AaItem      *item;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->item);
  g_free (data);
}

static void
delete_now (AaNotesPage *self,
            AaItem      *item)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  gboolean was_selected = selected_item (self) == item;
  guint n_items;

  if (self->manager == NULL || aa_item_get_trashed (item))
    return;

  if (!was_selected && !find_item (G_LIST_MODEL (self->selection), item, &position))
    position = 0;

  /* The row leaves at once; the window shows the toast with Undo. */
  aa_action_manager_delete_note (self->manager, item);

  /* The next note takes its place, as in a file manager, and so does the
   * keyboard focus: never the toast. */
  set_editing (self, FALSE);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (was_selected && n_items > 0)
    gtk_single_selection_set_selected (self->selection, MIN (position, n_items - 1));
  if (n_items > 0)
    focus_position (self, MIN (position, n_items - 1));
  else
    gtk_widget_child_focus (self->list_stack, GTK_DIR_TAB_FORWARD);
}

static void
delete_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DeleteData *data = user_data;

  if (aa_ui_confirm_finish (result))
    delete_now (data->self, data->item);

  delete_data_free (data);
}

static void
ask_delete (AaNotesPage *self,
            AaItem      *item)
{
  g_autoptr(AaConfirmation) confirmation = NULL;
  DeleteData *data;

  if (item == NULL || self->manager == NULL || self->confirm_dialog != NULL)
    return;

  /* The rules decide whether to ask first, not this page. */
  confirmation = aa_action_manager_describe_delete (self->manager, item);
  if (confirmation == NULL) {
    delete_now (self, item);
    return;
  }

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->item = g_object_ref (item);
  self->confirm_dialog = aa_ui_confirm_async (GTK_WIDGET (self), confirmation, NULL, delete_chosen_cb, data);
  g_object_add_weak_pointer (G_OBJECT (self->confirm_dialog), (gpointer *) &self->confirm_dialog);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (AA_NOTES_PAGE (widget));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);
  AaMutation *create;
  AaResource *item;

  if (self->manager == NULL)
    return;

  /* Optimistic: the row is at the top before the server has answered. */
  create = aa_action_manager_create_note (self->manager, _("Untitled note"), "");
  item = aa_mutation_get_target (create);
  if (!AA_IS_ITEM (item))
    return;

  select_item (self, AA_ITEM (item));
  edit_selected (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);

  gtk_widget_activate_action (self->editor, "editor.save", NULL);
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);

  ask_delete (self, selected_item (self));
}

static void
toggle_star_selected_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);
  AaItem *item = selected_item (self);

  if (item != NULL)
    aa_action_manager_set_starred (self->manager, item, !aa_item_get_starred (item));
}

static void
toggle_done_selected_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);
  AaItem *item = selected_item (self);

  if (item != NULL)
    aa_action_manager_set_done (self->manager, item, !aa_item_get_done (item));
}

/* What its rows ask for their own note (AaItemRow's actions). */

void
aa_notes_page_set_starred (AaNotesPage *self,
                           AaItem      *item,
                           gboolean     starred)
{
  g_return_if_fail (AA_IS_NOTES_PAGE (self));
  g_return_if_fail (AA_IS_ITEM (item));

  if (self->manager != NULL)
    aa_action_manager_set_starred (self->manager, item, starred);
}

void
aa_notes_page_set_done (AaNotesPage *self,
                        AaItem      *item,
                        gboolean     done)
{
  g_return_if_fail (AA_IS_NOTES_PAGE (self));
  g_return_if_fail (AA_IS_ITEM (item));

  if (self->manager != NULL)
    aa_action_manager_set_done (self->manager, item, done);
}

void
aa_notes_page_delete_item (AaNotesPage *self,
                           AaItem      *item)
{
  g_return_if_fail (AA_IS_NOTES_PAGE (self));
  g_return_if_fail (AA_IS_ITEM (item));

  ask_delete (self, item);
}

void
aa_notes_page_retry_item (AaNotesPage *self,
                          AaItem      *item)
{
  GListModel *mutations;
  guint n;

  g_return_if_fail (AA_IS_NOTES_PAGE (self));
  g_return_if_fail (AA_IS_ITEM (item));

  if (self->manager == NULL)
    return;

  /* The row knows its note, not the mutation that failed on it: the most
   * recent failed one is the one to send again, with its own key. */
  mutations = aa_engine_get_mutations (aa_action_manager_get_engine (self->manager));
  n = g_list_model_get_n_items (mutations);
  for (guint i = 0; i < n; i++) {
    g_autoptr(AaMutation) mutation = g_list_model_get_item (mutations, i);
    AaMutationState state = aa_mutation_get_state (mutation);

    if (aa_mutation_get_target (mutation) == AA_RESOURCE (item) &&
        (state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK)) {
      aa_action_manager_retry (self->manager, mutation);
      return;
    }
  }
}

static void
list_activate_cb (AaNotesPage *self,
                  guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
  edit_selected (self);
}

/* Folded, a click on a row opens it, as a tap would on a phone; the arrow
 * keys still only move through the list. Seen before the row's own
 * gesture, which claims the click, and acted on once it selected. */
static gboolean
open_clicked_idle_cb (gpointer user_data)
{
  g_autoptr(AaNotesPage) self = user_data;

  if (self->folded && gtk_widget_get_mapped (self->list_view))
    edit_selected (self);

  return G_SOURCE_REMOVE;
}

static gboolean
list_event_cb (AaNotesPage        *self,
               GdkEvent           *event,
               GtkEventController *controller)
{
  GtkNative *native;
  GtkWidget *target;
  double x, y, nx, ny;

  if (!self->folded || gdk_event_get_event_type (event) != GDK_BUTTON_RELEASE ||
      gdk_button_event_get_button (event) != GDK_BUTTON_PRIMARY)
    return GDK_EVENT_PROPAGATE;

  native = gtk_widget_get_native (self->list_view);
  gdk_event_get_position (event, &x, &y);
  gtk_native_get_surface_transform (native, &nx, &ny);
  target = gtk_widget_pick (GTK_WIDGET (native), x - nx, y - ny, GTK_PICK_DEFAULT);

  /* The row's star, check box and buttons do what they say instead. */
  if (target == NULL || gtk_widget_get_ancestor (target, AA_TYPE_ITEM_ROW) == NULL ||
      gtk_widget_get_ancestor (target, GTK_TYPE_BUTTON) != NULL ||
      gtk_widget_get_ancestor (target, GTK_TYPE_CHECK_BUTTON) != NULL)
    return GDK_EVENT_PROPAGATE;

  g_idle_add (open_clicked_idle_cb, g_object_ref (self));
  return GDK_EVENT_PROPAGATE;
}

/* Shift+F10 and the Menu key open the menu of the row with the focus. */
static gboolean
row_menu_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  AaNotesPage *self = AA_NOTES_PAGE (user_data);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkWidget *row = NULL;

  if (focus != NULL && gtk_widget_get_parent (focus) == self->list_view)
    row = gtk_widget_get_first_child (focus);
  if (!AA_IS_ITEM_ROW (row))
    return FALSE;

  aa_item_row_popup_menu (AA_ITEM_ROW (row), -1, -1);
  return TRUE;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              AaNotesPage              *self)
{
  gtk_list_item_set_child (list_item, aa_item_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             AaNotesPage              *self)
{
  AaItemRow *row = AA_ITEM_ROW (gtk_list_item_get_child (list_item));
  AaItem *item = gtk_list_item_get_item (list_item);

  aa_item_row_set_item (row, item);
  aa_item_row_set_has_draft (row, aa_note_editor_has_draft (AA_NOTE_EDITOR (self->editor), item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               AaNotesPage              *self)
{
  aa_item_row_set_item (AA_ITEM_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* GtkListView 4.8 answers Tab into it by taking the focus for no row at
 * all, which loses the keyboard (focus on nothing, and on nothing again at
 * the next Tab). A row gets it instead: the open note's, or the first.
 * And it moves Tab and Shift+Tab from row to row, through thousands of
 * them: they leave the list instead, and the arrow keys move in it. */
static gboolean
aa_notes_page_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  AaNotesPage *self = AA_NOTES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *before = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *target;
  guint position;

  if (before != NULL && gtk_widget_is_ancestor (before, self->list_view) &&
      (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)) {
    gboolean moved;

    /* A list that takes no focus is stepped over. */
    gtk_widget_set_can_focus (self->list_view, FALSE);
    moved = GTK_WIDGET_CLASS (aa_notes_page_parent_class)->focus (widget, direction);
    gtk_widget_set_can_focus (self->list_view, TRUE);
    return moved;
  }

  if (!GTK_WIDGET_CLASS (aa_notes_page_parent_class)->focus (widget, direction))
    return FALSE;

  if (root == NULL || gtk_root_get_focus (root) != before || self->selection == NULL ||
      !gtk_widget_get_mapped (self->list_view))
    return TRUE;

  position = gtk_single_selection_get_selected (self->selection);
  target = find_list_item (self, position != GTK_INVALID_LIST_POSITION ? position : 0);
  if (target == NULL)
    target = gtk_widget_get_first_child (self->list_view);

  return target != NULL && gtk_widget_grab_focus (target);
}

static void
aa_notes_page_dispose (GObject *object)
{
  AaNotesPage *self = AA_NOTES_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->focus_tick_id != 0) {
    gtk_widget_remove_tick_callback (self->list_view, self->focus_tick_id);
    self->focus_tick_id = 0;
  }
  if (self->confirm_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
  aa_notes_page_set_manager (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_NOTES_PAGE);
  /* The template's top box is not bound, so it is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aa_notes_page_parent_class)->dispose (object);
}

static void
aa_notes_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AaNotesPage *self = AA_NOTES_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_LOADED:
    g_value_set_boolean (value, self->loaded);
    break;
  case PROP_LOADING:
    g_value_set_boolean (value, self->loading);
    break;
  case PROP_FOLDED:
    g_value_set_boolean (value, self->folded);
    break;
  case PROP_EDITING:
    g_value_set_boolean (value, self->editing);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_notes_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AaNotesPage *self = AA_NOTES_PAGE (object);

  switch (prop_id) {
  case PROP_MANAGER:
    aa_notes_page_set_manager (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_notes_page_class_init (AaNotesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_notes_page_dispose;
  object_class->get_property = aa_notes_page_get_property;
  object_class->set_property = aa_notes_page_set_property;
  widget_class->focus = aa_notes_page_focus;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  props[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* A load of the notes is on its way. */
  props[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* The list and the editor are one screen at a time (AdwLeaflet). */
  props[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  props[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (AA_TYPE_NOTE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-notes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, error_retry_button);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, leaflet);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_child_cb);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, trash_button);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, AaNotesPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "notes.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "notes.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "notes.delete-selected", NULL, delete_selected_action);
  gtk_widget_class_install_action (widget_class, "notes.toggle-star-selected", NULL, toggle_star_selected_action);
  gtk_widget_class_install_action (widget_class, "notes.toggle-done-selected", NULL, toggle_done_selected_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_notes_page_init (AaNotesPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *controller;
  GtkShortcutTrigger *trigger;

  gtk_widget_init_template (GTK_WIDGET (self));
  aa_ui_name_parts (GTK_WIDGET (self));
  aa_ui_name_action (self->error_retry_button, _("Retry"), adw_status_page_get_title (ADW_STATUS_PAGE (self->error_page)));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.new", FALSE);

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->list_view), factory);

  /* Delete asks to delete the selected note, from the list only: in the
   * editor the key edits text. */
  controller = gtk_shortcut_controller_new ();
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("notes.delete-selected")));
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                         gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_callback_action_new (row_menu_cb, self, NULL)));
  gtk_widget_add_controller (self->list_view, controller);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (list_event_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->list_view, controller);
}

GtkWidget *
aa_notes_page_new (void)
{
  return g_object_new (AA_TYPE_NOTES_PAGE, NULL);
}

AaActionManager *
aa_notes_page_get_manager (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), NULL);

  return self->manager;
}

void
aa_notes_page_set_manager (AaNotesPage     *self,
                           AaActionManager *manager)
{
  g_return_if_fail (AA_IS_NOTES_PAGE (self));
  g_return_if_fail (manager == NULL || AA_IS_ACTION_MANAGER (manager));

  if (self->manager == manager)
    return;

  if (self->manager != NULL) {
    g_signal_handlers_disconnect_by_data (aa_action_manager_get_items (self->manager), self);
    g_signal_handlers_disconnect_by_data (aa_action_manager_get_note_lists (self->manager), self);
    g_signal_handlers_disconnect_by_data (self->manager, self);
    g_signal_handlers_disconnect_by_data (aa_engine_get_connectivity (aa_action_manager_get_engine (self->manager)), self);
    g_signal_handlers_disconnect_by_data (self->selection, self);
    gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), NULL);
    g_clear_object (&self->selection);
    g_cancellable_cancel (self->cancellable);
    g_clear_object (&self->cancellable);
    self->cancellable = g_cancellable_new ();
    set_loaded (self, FALSE);
    set_loading (self, FALSE);
  }

  g_set_object (&self->manager, manager);
  aa_note_editor_set_manager (AA_NOTE_EDITOR (self->editor), manager);

  if (manager != NULL) {
    GListModel *items = aa_action_manager_get_items (manager);

    self->selection = gtk_single_selection_new (g_object_ref (items));
    gtk_single_selection_set_autoselect (self->selection, FALSE);
    gtk_single_selection_set_can_unselect (self->selection, TRUE);
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
    g_signal_connect_swapped (self->selection, "notify::selected-item",
                              G_CALLBACK (selection_changed_cb), self);
    g_signal_connect_swapped (items, "items-changed", G_CALLBACK (update_list_state), self);
    g_signal_connect_swapped (items, "items-changed", G_CALLBACK (items_arrived_cb), self);
    g_signal_connect_object (aa_action_manager_get_note_lists (manager), "notify::complete",
                             G_CALLBACK (items_complete_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (aa_engine_get_connectivity (aa_action_manager_get_engine (manager)), "notify::reachable",
                             G_CALLBACK (reachable_cb), self, G_CONNECT_SWAPPED);
    reload (self);
  } else {
    aa_note_editor_set_item (AA_NOTE_EDITOR (self->editor), NULL);
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MANAGER]);
}

GPtrArray *
aa_notes_page_list_drafts (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), NULL);

  return aa_note_editor_list_drafts (AA_NOTE_EDITOR (self->editor));
}

/*
 * Saves the edits typed into @item and not saved: opening the note takes
 * its draft back into the editor, which saves it (the quit dialog's Save).
 * Returns the save, or NULL when there was nothing to save.
 */
AaMutation *
aa_notes_page_save_draft (AaNotesPage *self,
                          AaItem      *item)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  select_item (self, item);
  if (selected_item (self) != item)
    return NULL;

  return aa_note_editor_save (AA_NOTE_EDITOR (self->editor));
}

GtkWidget *
aa_notes_page_get_state_stack (AaNotesPage *self)
{
  return self->state_stack;
}

GtkWidget *
aa_notes_page_get_list_stack (AaNotesPage *self)
{
  return self->list_stack;
}

GtkWidget *
aa_notes_page_get_list_view (AaNotesPage *self)
{
  return self->list_view;
}

GtkSingleSelection *
aa_notes_page_get_selection (AaNotesPage *self)
{
  return self->selection;
}

GtkWidget *
aa_notes_page_get_editor (AaNotesPage *self)
{
  return self->editor;
}

GtkWidget *
aa_notes_page_get_confirm_dialog (AaNotesPage *self)
{
  return self->confirm_dialog;
}

static GtkWidget *
find_row_in (GtkWidget *widget,
             AaItem    *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (AA_IS_ITEM_ROW (child) && aa_item_row_get_item (AA_ITEM_ROW (child)) == item)
      return child;

    found = find_row_in (child, item);
    if (found != NULL)
      return found;
  }

  return NULL;
}

GtkWidget *
aa_notes_page_find_row (AaNotesPage *self,
                        AaItem      *item)
{
  return find_row_in (self->list_view, item);
}

gboolean
aa_notes_page_get_folded (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), FALSE);

  return self->folded;
}

int
aa_notes_page_get_unfold_width (AaNotesPage *self)
{
  g_autoptr(GListModel) pages = NULL;
  gboolean natural;
  int width = 0;

  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), 0);

  /* As AdwLeaflet sums its pages up when it is laid out. */
  pages = G_LIST_MODEL (adw_leaflet_get_pages (ADW_LEAFLET (self->leaflet)));
  natural = adw_leaflet_get_fold_threshold_policy (ADW_LEAFLET (self->leaflet)) == ADW_FOLD_THRESHOLD_POLICY_NATURAL;
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++) {
    g_autoptr(AdwLeafletPage) page = g_list_model_get_item (pages, i);
    GtkWidget *child = adw_leaflet_page_get_child (page);
    int minimum = 0, natural_width = 0;

    if (!gtk_widget_get_visible (child))
      continue;
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural_width, NULL, NULL);
    width += natural ? natural_width : minimum;
  }

  return width;
}

gboolean
aa_notes_page_get_loaded (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), FALSE);

  return self->loaded;
}

gboolean
aa_notes_page_get_loading (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), FALSE);

  return self->loading;
}

gboolean
aa_notes_page_get_editing (AaNotesPage *self)
{
  g_return_val_if_fail (AA_IS_NOTES_PAGE (self), FALSE);

  return self->editing;
}

void
aa_notes_page_show_list (AaNotesPage *self)
{
  g_return_if_fail (AA_IS_NOTES_PAGE (self));

  set_editing (self, FALSE);
  aa_notes_page_focus_list (self);
}

void
aa_notes_page_focus_list (AaNotesPage *self)
{
  guint position;

  g_return_if_fail (AA_IS_NOTES_PAGE (self));

  if (self->selection == NULL || !self->loaded)
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0) {
    gtk_widget_child_focus (self->list_stack, GTK_DIR_TAB_FORWARD);
    return;
  }

  position = gtk_single_selection_get_selected (self->selection);
  focus_position (self, position != GTK_INVALID_LIST_POSITION ? position : 0);
}

GtkWidget *
aa_notes_page_get_trash_button (AaNotesPage *self)
{
  return self->trash_button;
}
