/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-item-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-item-row-private.h"
#include "aa-notes-page.h"
#include "aa-ui.h"

struct _AaItemRow
{
  GtkWidget  parent_instance;

  GtkWidget *done_check;
  GtkWidget *title_box;
  GtkWidget *title_label;
  GtkWidget *star_button;
  GtkWidget *delete_button;
  GtkWidget *menu_popover;
  /* Made the first time the row shows a note in that state: most rows
   * never do, and a list of thousands builds none. */
  GtkWidget *unsaved_box;
  GtkWidget *retry_button;
  GtkWidget *pending_spinner;
  GtkWidget *draft_image;
  /* Waiting for the server, or being checked: not on its way right now. */
  GtkWidget *sync_image;

  AaItem    *item;
  int        shown_starred;
  /* Set while the row writes its own controls, so that their signals are
   * not taken for clicks. */
  gboolean   updating;
};

G_DEFINE_FINAL_TYPE (AaItemRow, aa_item_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_title (AaItemRow *self)
{
  const char *title;
  g_autofree char *done_label = NULL;
  g_autofree char *star_label = NULL;
  g_autofree char *delete_label = NULL;
  g_autofree char *retry_label = NULL;

  if (self->item == NULL)
    return;

  title = aa_item_get_title (self->item);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  /* The list's item (GtkListItemWidget), which takes the focus, reads as
   * the note. */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  /* The icon-only controls name the note for screen readers. */
  done_label = g_strdup_printf (_("Done: “%s”"), title);
  star_label = g_strdup_printf (_("Star “%s”"), title);
  delete_label = g_strdup_printf (_("Move “%s” to the Trash"), title);
  retry_label = g_strdup_printf (_("Retry saving “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, done_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->star_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, star_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label, -1);
  if (self->retry_button != NULL)
    aa_ui_set_name (self->retry_button, retry_label);
}

static void
update_done (AaItemRow *self)
{
  gboolean done = aa_item_get_done (self->item);

  self->updating = TRUE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->done_check), done);
  self->updating = FALSE;

  if (done)
    gtk_widget_add_css_class (GTK_WIDGET (self), "done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "done");
}

static void
update_starred (AaItemRow *self)
{
  gboolean starred = aa_item_get_starred (self->item);

  self->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->star_button), starred);
  self->updating = FALSE;

  /* A recycled row often shows the same star already. */
  if (self->shown_starred != (int) starred)
    gtk_button_set_icon_name (GTK_BUTTON (self->star_button),
                              starred ? "starred-symbolic" : "non-starred-symbolic");
  self->shown_starred = starred;
}

/* Tooltips that follow the state are asked for when shown, not set on
 * every bind: in GTK 4.8 setting one queries the pointer from the display
 * server, a round trip per row while scrolling. */
static gboolean
done_query_tooltip_cb (AaItemRow  *self,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip)
{
  if (self->item == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, aa_item_get_done (self->item) ? _("Mark as Not Done (Ctrl+E)")
                                                               : _("Mark as Done (Ctrl+E)"));
  return TRUE;
}

static gboolean
star_query_tooltip_cb (AaItemRow  *self,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip)
{
  if (self->item == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, aa_item_get_starred (self->item) ? _("Unstar (Ctrl+D)")
                                                                  : _("Star (Ctrl+D)"));
  return TRUE;
}

/* The page the row is in holds the manager, and decides what comes
 * before a change (a confirmation, where the focus goes): the row hands
 * it its note. */
static AaNotesPage *
get_page (AaItemRow *self)
{
  return AA_NOTES_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (self), AA_TYPE_NOTES_PAGE));
}

static void
ensure_unsaved_box (AaItemRow *self)
{
  GtkWidget *label;

  if (self->unsaved_box != NULL)
    return;

  self->unsaved_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (_("Not saved yet"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Longer words in other languages ("Noch nicht gespeichert") must not
   * widen a phone-sized window: the words wrap instead. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "unsaved-label");
  gtk_box_append (GTK_BOX (self->unsaved_box), label);

  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_valign (self->retry_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry_button, "flat");
  gtk_widget_add_css_class (self->retry_button, "small-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "row.retry");
  gtk_box_append (GTK_BOX (self->unsaved_box), self->retry_button);

  gtk_box_append (GTK_BOX (self->title_box), self->unsaved_box);
  update_title (self);
}

static void
ensure_pending_spinner (AaItemRow *self)
{
  if (self->pending_spinner != NULL)
    return;

  self->pending_spinner = gtk_spinner_new ();
  gtk_widget_set_valign (self->pending_spinner, GTK_ALIGN_CENTER);
  aa_ui_set_tooltip (self->pending_spinner, _("Sending to the server…"));
  gtk_widget_add_css_class (self->pending_spinner, "dim-label");
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->title_box)),
                              self->pending_spinner, self->title_box);
}

static void
ensure_draft_image (AaItemRow *self)
{
  if (self->draft_image != NULL)
    return;

  self->draft_image = gtk_image_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_valign (self->draft_image, GTK_ALIGN_CENTER);
  aa_ui_set_tooltip (self->draft_image, _("Unsaved edits, kept until you save or close"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->draft_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Unsaved edits"), -1);
  gtk_widget_add_css_class (self->draft_image, "dim-label");
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->title_box)),
                              self->draft_image, self->title_box);
}

/* The note open beside the list shows its progress in the editor (Saving…
 * on its Save button): one save, one spinner. */
static gboolean
open_beside (AaItemRow *self)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), AA_TYPE_NOTES_PAGE);

  return item != NULL && page != NULL &&
         (gtk_widget_get_state_flags (item) & GTK_STATE_FLAG_SELECTED) != 0 &&
         !aa_notes_page_get_folded (AA_NOTES_PAGE (page));
}

static void
ensure_sync_image (AaItemRow *self)
{
  if (self->sync_image != NULL)
    return;

  self->sync_image = gtk_image_new ();
  gtk_widget_set_valign (self->sync_image, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->sync_image, "dim-label");
  gtk_widget_add_css_class (self->sync_image, "sync-mark");
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->title_box)),
                              self->sync_image, self->title_box);
}

static void
update_sync_mark (AaItemRow   *self,
                  AaSyncState  state)
{
  if (state == AA_SYNC_STATE_WAITING || state == AA_SYNC_STATE_UNKNOWN)
    ensure_sync_image (self);
  if (self->sync_image != NULL)
    aa_ui_update_sync_mark (self->sync_image, state);
}

static void
update_sync_state (AaItemRow *self)
{
  AaSyncState state;
  gboolean pending;
  gboolean busy;
  gboolean unsaved;

  if (self->item == NULL)
    return;

  state = aa_resource_get_sync_state (AA_RESOURCE (self->item));
  pending = state == AA_SYNC_STATE_PENDING;
  /* An unknown outcome is being checked: busy, as if still on its way;
   * its own mark (not the spinner, which says "Sending…") says so. */
  busy = pending || state == AA_SYNC_STATE_UNKNOWN;
  unsaved = state == AA_SYNC_STATE_UNSAVED;

  update_sync_mark (self, state);

  if (unsaved)
    ensure_unsaved_box (self);
  if (self->unsaved_box != NULL)
    gtk_widget_set_visible (self->unsaved_box, unsaved);

  if (pending)
    ensure_pending_spinner (self);
  if (self->pending_spinner != NULL) {
    gboolean spinning = pending && !open_beside (self);

    gtk_widget_set_visible (self->pending_spinner, spinning);
    gtk_spinner_set_spinning (GTK_SPINNER (self->pending_spinner), spinning);
  }

  /* Busy is false unless said otherwise: only a change is worth a call. */
  if (busy || self->pending_spinner != NULL || self->sync_image != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
}

static void
set_starred (AaItemRow *self,
             gboolean   starred)
{
  AaNotesPage *page = get_page (self);

  if (self->item != NULL && page != NULL)
    aa_notes_page_set_starred (page, self->item, starred);
}

static void
set_done (AaItemRow *self,
          gboolean   done)
{
  AaNotesPage *page = get_page (self);

  if (self->item != NULL && page != NULL)
    aa_notes_page_set_done (page, self->item, done);
}

static void
done_toggled_cb (AaItemRow *self)
{
  gboolean active = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->done_check));

  if (!self->updating && self->item != NULL && active != aa_item_get_done (self->item))
    set_done (self, active);
}

static void
star_toggled_cb (AaItemRow *self)
{
  gboolean active = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->star_button));

  if (!self->updating && self->item != NULL && active != aa_item_get_starred (self->item))
    set_starred (self, active);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AaItemRow *self = AA_ITEM_ROW (widget);

  if (self->item != NULL)
    set_starred (self, !aa_item_get_starred (self->item));
}

static void
toggle_done_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AaItemRow *self = AA_ITEM_ROW (widget);

  if (self->item != NULL)
    set_done (self, !aa_item_get_done (self->item));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AaItemRow *self = AA_ITEM_ROW (widget);
  AaNotesPage *page = get_page (self);

  if (self->item != NULL && page != NULL)
    aa_notes_page_delete_item (page, self->item);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AaItemRow *self = AA_ITEM_ROW (widget);
  AaNotesPage *page = get_page (self);

  if (self->item != NULL && page != NULL)
    aa_notes_page_retry_item (page, self->item);
}

/* Built as it opens, so that it says what each item would do now. */
static GMenuModel *
build_menu (AaItemRow *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  g_menu_append (menu, aa_item_get_starred (self->item) ? _("Un_star") : _("_Star"), "row.toggle-star");
  g_menu_append (menu, aa_item_get_done (self->item) ? _("Mark as _Not Done") : _("Mark as _Done"), "row.toggle-done");
  g_menu_append (section, _("_Move to Trash"), "row.trash");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  return G_MENU_MODEL (menu);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      AaItemRow       *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  aa_item_row_popup_menu (self, x, y);
}

static void
aa_item_row_dispose (GObject *object)
{
  AaItemRow *self = AA_ITEM_ROW (object);
  GtkWidget *child;

  aa_item_row_set_item (self, NULL);
  self->menu_popover = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aa_item_row_parent_class)->dispose (object);
}

static void
aa_item_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AaItemRow *self = AA_ITEM_ROW (object);

  switch (prop_id) {
  case PROP_ITEM:
    g_value_set_object (value, self->item);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_item_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AaItemRow *self = AA_ITEM_ROW (object);

  switch (prop_id) {
  case PROP_ITEM:
    aa_item_row_set_item (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_item_row_class_init (AaItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_item_row_dispose;
  object_class->get_property = aa_item_row_get_property;
  object_class->set_property = aa_item_row_set_property;

  props[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         AA_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "row.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "row.toggle-done", NULL, toggle_done_action);
  gtk_widget_class_install_action (widget_class, "row.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "row.retry", NULL, retry_action);

  gtk_widget_class_set_css_name (widget_class, "itemrow");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
new_icon_button (GType       type,
                 const char *icon_name)
{
  GtkWidget *button = g_object_new (type,
                                    "icon-name", icon_name,
                                    "valign", GTK_ALIGN_CENTER,
                                    "focusable", FALSE,
                                    NULL);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  return button;
}

/* Built in code, not from a template: a row is made for each line on
 * screen, and parsing a template for each costs more than all the rest of
 * a first load's rows. */
/* The list item it is in gets selected or not: see open_beside(). */
static void
parent_changed_cb (AaItemRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL)
    g_signal_connect_object (parent, "state-flags-changed", G_CALLBACK (update_sync_state), self, G_CONNECT_SWAPPED);
}

static void
aa_item_row_init (AaItemRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkGesture *gesture;

  self->shown_starred = FALSE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "item-row");
  g_signal_connect (self, "notify::parent", G_CALLBACK (parent_changed_cb), NULL);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  self->done_check = g_object_new (GTK_TYPE_CHECK_BUTTON,
                                   "valign", GTK_ALIGN_CENTER,
                                   "focusable", FALSE,
                                   "has-tooltip", TRUE,
                                   NULL);
  g_signal_connect_swapped (self->done_check, "query-tooltip", G_CALLBACK (done_query_tooltip_cb), self);
  g_signal_connect_swapped (self->done_check, "toggled", G_CALLBACK (done_toggled_cb), self);
  gtk_box_append (GTK_BOX (box), self->done_check);

  self->title_box = g_object_new (GTK_TYPE_BOX,
                                  "orientation", GTK_ORIENTATION_VERTICAL,
                                  "valign", GTK_ALIGN_CENTER,
                                  "hexpand", TRUE,
                                  NULL);
  self->title_label = g_object_new (GTK_TYPE_LABEL,
                                    "xalign", 0.0f,
                                    "ellipsize", PANGO_ELLIPSIZE_END,
                                    "single-line-mode", TRUE,
                                    NULL);
  gtk_widget_add_css_class (self->title_label, "item-title");
  gtk_box_append (GTK_BOX (self->title_box), self->title_label);
  gtk_box_append (GTK_BOX (box), self->title_box);

  self->star_button = new_icon_button (GTK_TYPE_TOGGLE_BUTTON, "non-starred-symbolic");
  gtk_widget_add_css_class (self->star_button, "star");
  gtk_widget_set_has_tooltip (self->star_button, TRUE);
  g_signal_connect_swapped (self->star_button, "query-tooltip", G_CALLBACK (star_query_tooltip_cb), self);
  g_signal_connect_swapped (self->star_button, "toggled", G_CALLBACK (star_toggled_cb), self);
  gtk_box_append (GTK_BOX (box), self->star_button);

  self->delete_button = new_icon_button (GTK_TYPE_BUTTON, "user-trash-symbolic");
  gtk_widget_add_css_class (self->delete_button, "trash");
  aa_ui_set_tooltip (self->delete_button, _("Move to Trash (Delete)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "row.trash");
  gtk_box_append (GTK_BOX (box), self->delete_button);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
aa_item_row_new (void)
{
  return g_object_new (AA_TYPE_ITEM_ROW, NULL);
}

AaItem *
aa_item_row_get_item (AaItemRow *self)
{
  g_return_val_if_fail (AA_IS_ITEM_ROW (self), NULL);

  return self->item;
}

/* One handler for the item's properties: a row is bound at each scroll
 * step, and one connection costs less than four. */
static void
item_notify_cb (AaItemRow  *self,
                GParamSpec *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "title"))
    update_title (self);
  else if (g_str_equal (name, "done"))
    update_done (self);
  else if (g_str_equal (name, "starred"))
    update_starred (self);
  else if (g_str_equal (name, "sync-state"))
    update_sync_state (self);
}

/* The row's own buttons take no keyboard focus, so that Tab leaves a list
 * of thousands in one step; their keys are Ctrl+D, Ctrl+E and Delete on the
 * selected note. Only Retry, on the rare unsaved row, is a Tab stop. */

/* Bound and unbound as the list scrolls: only signal connections here,
 * nothing that grows with the size of the list. */
void
aa_item_row_set_item (AaItemRow *self,
                      AaItem    *item)
{
  g_return_if_fail (AA_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || AA_IS_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);

  if (item != NULL) {
    g_signal_connect_swapped (item, "notify", G_CALLBACK (item_notify_cb), self);
    update_title (self);
    update_done (self);
    update_starred (self);
    update_sync_state (self);
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ITEM]);
}

void
aa_item_row_set_has_draft (AaItemRow *self,
                           gboolean   has_draft)
{
  g_return_if_fail (AA_IS_ITEM_ROW (self));

  if (has_draft)
    ensure_draft_image (self);
  if (self->draft_image != NULL)
    gtk_widget_set_visible (self->draft_image, has_draft);
}

GtkWidget *
aa_item_row_get_sync_image (AaItemRow *self)
{
  g_return_val_if_fail (AA_IS_ITEM_ROW (self), NULL);

  return self->sync_image;
}

GtkWidget *
aa_item_row_get_draft_image (AaItemRow *self)
{
  return self->draft_image;
}

/* The row's menu: at (@x, @y) in the row, or under the title when both
 * are -1 (the keyboard's Menu key and Shift+F10). */
void
aa_item_row_popup_menu (AaItemRow *self,
                        double     x,
                        double     y)
{
  g_autoptr(GMenuModel) model = NULL;
  GdkRectangle rect;

  g_return_if_fail (AA_IS_ITEM_ROW (self));

  if (self->item == NULL)
    return;

  model = build_menu (self);
  if (self->menu_popover == NULL) {
    self->menu_popover = gtk_popover_menu_new_from_model (model);
    gtk_widget_set_parent (self->menu_popover, GTK_WIDGET (self));
    gtk_popover_set_has_arrow (GTK_POPOVER (self->menu_popover), FALSE);
    gtk_widget_set_halign (self->menu_popover, GTK_ALIGN_START);
  } else {
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu_popover), model);
  }

  if (x < 0 || y < 0) {
    x = gtk_widget_get_width (self->title_label) / 2.0;
    y = gtk_widget_get_height (GTK_WIDGET (self));
  }
  rect = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->menu_popover));
}

GtkWidget *
aa_item_row_get_menu_popover (AaItemRow *self)
{
  return self->menu_popover;
}

GtkWidget *
aa_item_row_get_done_check (AaItemRow *self)
{
  return self->done_check;
}

GtkWidget *
aa_item_row_get_title_label (AaItemRow *self)
{
  return self->title_label;
}

GtkWidget *
aa_item_row_get_star_button (AaItemRow *self)
{
  return self->star_button;
}

GtkWidget *
aa_item_row_get_delete_button (AaItemRow *self)
{
  return self->delete_button;
}

GtkWidget *
aa_item_row_get_unsaved_box (AaItemRow *self)
{
  return self->unsaved_box;
}

GtkWidget *
aa_item_row_get_retry_button (AaItemRow *self)
{
  return self->retry_button;
}

GtkWidget *
aa_item_row_get_pending_spinner (AaItemRow *self)
{
  return self->pending_spinner;
}
