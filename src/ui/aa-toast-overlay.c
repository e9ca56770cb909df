#define G_LOG_DOMAIN "aa-toast-overlay"

#include "config.h"

#include "aa-toast-overlay-private.h"
#include "aa-toast-private.h"
#include "aa-toast-widget-private.h"

#define SHOW_DURATION_US (300 * 1000)
#define HIDE_DURATION_US (200 * 1000)

/* A toast widget on screen: arriving, shown, or leaving. */
typedef struct {
  AaToastOverlay *overlay;
  GtkWidget      *widget;
  guint           tick_id;
  gint64          start_time;
  double          from;
  double          to;
  double          progress; /* 0 hidden, 1 fully shown */
  gboolean        leaving;
} Presence;

struct _AaToastOverlay
{
  GtkWidget  parent_instance;

  GtkWidget *child;

  /* The toast on screen and the one widget that shows it. */
  AaToast   *shown;
  Presence  *presence;
  /* AaToast, next first. */
  GQueue     queue;
  /* Presences still sliding out. */
  GList     *leaving;
};

static void aa_toast_overlay_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AaToastOverlay, aa_toast_overlay, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, aa_toast_overlay_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void show_next (AaToastOverlay *self);
static void update_dismiss_action (AaToastOverlay *self);

static double
ease_out_cubic (double t)
{
  double p = t - 1;

  return p * p * p + 1;
}

static gboolean
animations_enabled (AaToastOverlay *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);

  return enabled && gtk_widget_get_mapped (GTK_WIDGET (self));
}

static void
presence_free (Presence *presence)
{
  if (presence->tick_id != 0)
    gtk_widget_remove_tick_callback (presence->widget, presence->tick_id);
  aa_toast_widget_stop_timeout (AA_TOAST_WIDGET (presence->widget));
  gtk_widget_unparent (presence->widget);
  g_free (presence);
}

static void
finish_leaving (Presence *presence)
{
  AaToastOverlay *self = presence->overlay;

  self->leaving = g_list_remove (self->leaving, presence);
  presence_free (presence);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  Presence *presence = user_data;
  gint64 duration = presence->leaving ? HIDE_DURATION_US : SHOW_DURATION_US;
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);
  double t = CLAMP ((double) (now - presence->start_time) / duration, 0.0, 1.0);

  presence->progress = presence->from + (presence->to - presence->from) * ease_out_cubic (t);
  gtk_widget_set_opacity (presence->widget, presence->progress);
  gtk_widget_queue_allocate (GTK_WIDGET (presence->overlay));

  if (t < 1.0)
    return G_SOURCE_CONTINUE;

  presence->tick_id = 0;
  if (presence->leaving)
    finish_leaving (presence);

  return G_SOURCE_REMOVE;
}

static void
animate (Presence *presence,
         double    to)
{
  AaToastOverlay *self = presence->overlay;

  presence->from = presence->progress;
  presence->to = to;

  if (!animations_enabled (self)) {
    presence->progress = to;
    gtk_widget_set_opacity (presence->widget, to);
    gtk_widget_queue_allocate (GTK_WIDGET (self));
    if (presence->leaving)
      finish_leaving (presence);
    return;
  }

  presence->start_time = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (presence->widget));
  if (presence->tick_id == 0)
    presence->tick_id = gtk_widget_add_tick_callback (presence->widget, tick_cb, presence, NULL);
}

/* Takes the shown toast off the screen; the caller decides where it goes. */
static AaToast *
take_shown (AaToastOverlay *self)
{
  Presence *presence = g_steal_pointer (&self->presence);
  AaToast *toast = g_steal_pointer (&self->shown);

  if (presence != NULL) {
    aa_toast_widget_stop_timeout (AA_TOAST_WIDGET (presence->widget));
    /* Keyboard focus must not stay on a widget that is leaving. */
    if (gtk_widget_get_focus_child (GTK_WIDGET (self)) == presence->widget && self->child != NULL)
      gtk_widget_child_focus (self->child, GTK_DIR_TAB_FORWARD);
    gtk_widget_set_can_target (presence->widget, FALSE);
    gtk_widget_set_can_focus (presence->widget, FALSE);
    presence->leaving = TRUE;
    self->leaving = g_list_prepend (self->leaving, presence);
    animate (presence, 0.0);
  }
  update_dismiss_action (self);

  return toast;
}

static void
show_toast (AaToastOverlay *self,
            AaToast        *toast)
{
  Presence *presence;

  g_assert (self->shown == NULL);

  self->shown = toast;
  presence = g_new0 (Presence, 1);
  presence->overlay = self;
  presence->widget = aa_toast_widget_new (toast);
  gtk_widget_set_opacity (presence->widget, 0.0);
  gtk_widget_insert_before (presence->widget, GTK_WIDGET (self), NULL);
  self->presence = presence;
  animate (presence, 1.0);
  update_dismiss_action (self);
}

static void
show_next (AaToastOverlay *self)
{
  AaToast *toast;

  if (self->shown != NULL)
    return;

  toast = g_queue_pop_head (&self->queue);
  if (toast != NULL)
    show_toast (self, toast);
}

void
aa_toast_overlay_add_toast (AaToastOverlay *self,
                            AaToast        *toast)
{
  g_return_if_fail (AA_IS_TOAST_OVERLAY (self));
  g_return_if_fail (AA_IS_TOAST (toast));

  if (toast == self->shown) {
    aa_toast_widget_reset_timeout (AA_TOAST_WIDGET (self->presence->widget));
    g_object_unref (toast);
    return;
  }

  if (aa_toast_get_overlay (toast) != NULL) {
    if (aa_toast_get_overlay (toast) == self) {
      /* Already waiting in our queue: keep its place. */
      g_object_unref (toast);
      return;
    }
    g_critical ("Toast “%s” is already in another overlay", aa_toast_get_title (toast));
    g_object_unref (toast);
    return;
  }

  aa_toast_set_overlay (toast, self);

  if (self->shown == NULL) {
    show_toast (self, toast);
  } else if (aa_toast_get_priority (toast) == AA_TOAST_PRIORITY_HIGH) {
    g_queue_push_head (&self->queue, take_shown (self));
    show_toast (self, toast);
  } else {
    g_queue_push_tail (&self->queue, toast);
  }
}

void
aa_toast_overlay_dismiss_toast (AaToastOverlay *self,
                                AaToast        *toast)
{
  g_autoptr(AaToast) owned = NULL;

  g_return_if_fail (AA_IS_TOAST_OVERLAY (self));
  g_return_if_fail (AA_IS_TOAST (toast));

  if (toast == self->shown) {
    owned = take_shown (self);
  } else if (g_queue_remove (&self->queue, toast)) {
    owned = toast;
  } else {
    return;
  }

  aa_toast_set_overlay (owned, NULL);
  aa_toast_emit_dismissed (owned);
  show_next (self);
}

AaToast *
aa_toast_overlay_get_shown_toast (AaToastOverlay *self)
{
  g_return_val_if_fail (AA_IS_TOAST_OVERLAY (self), NULL);

  return self->shown;
}

guint
aa_toast_overlay_get_n_queued (AaToastOverlay *self)
{
  g_return_val_if_fail (AA_IS_TOAST_OVERLAY (self), 0);

  return self->queue.length;
}

GtkWidget *
aa_toast_overlay_new (void)
{
  return g_object_new (AA_TYPE_TOAST_OVERLAY, NULL);
}

GtkWidget *
aa_toast_overlay_get_child (AaToastOverlay *self)
{
  g_return_val_if_fail (AA_IS_TOAST_OVERLAY (self), NULL);

  return self->child;
}

void
aa_toast_overlay_set_child (AaToastOverlay *self,
                            GtkWidget      *child)
{
  g_return_if_fail (AA_IS_TOAST_OVERLAY (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL) {
    self->child = child;
    /* First child: the toasts are drawn over it. */
    gtk_widget_insert_after (child, GTK_WIDGET (self), NULL);
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHILD]);
}

GtkWidget *
aa_toast_overlay_get_shown_widget (AaToastOverlay *self)
{
  g_return_val_if_fail (AA_IS_TOAST_OVERLAY (self), NULL);

  return self->presence != NULL ? self->presence->widget : NULL;
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (widget);

  if (self->shown != NULL)
    aa_toast_dismiss (self->shown);
}

/* Escape only means "dismiss" while a toast is up; otherwise it goes on to
 * whoever else wants it. */
static void
update_dismiss_action (AaToastOverlay *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "toast-overlay.dismiss", self->shown != NULL);
}

static void
aa_toast_overlay_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (widget);

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_measure (self->child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
allocate_presence (AaToastOverlay *self,
                   Presence       *presence,
                   int             width,
                   int             height)
{
  GtkRequisition natural;
  GskTransform *transform;
  int toast_width, toast_height, min_height;
  float y;

  gtk_widget_get_preferred_size (presence->widget, NULL, &natural);
  toast_width = MIN (natural.width, width);
  gtk_widget_measure (presence->widget, GTK_ORIENTATION_VERTICAL, toast_width,
                      &min_height, &toast_height, NULL, NULL);
  toast_height = MIN (toast_height, height);

  /* Slides up from below the bottom edge as it shows. */
  y = height - toast_height * presence->progress;
  transform = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT ((width - toast_width) / 2.0f, y));
  gtk_widget_allocate (presence->widget, toast_width, toast_height, -1, transform);
}

static void
aa_toast_overlay_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (widget);

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);

  for (GList *l = self->leaving; l != NULL; l = l->next)
    allocate_presence (self, l->data, width, height);
  if (self->presence != NULL)
    allocate_presence (self, self->presence, width, height);
}

static void
aa_toast_overlay_dispose (GObject *object)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (object);
  AaToast *toast;

  while ((toast = g_queue_pop_head (&self->queue)) != NULL) {
    aa_toast_set_overlay (toast, NULL);
    g_object_unref (toast);
  }
  if (self->presence != NULL) {
    g_clear_pointer (&self->presence, presence_free);
    aa_toast_set_overlay (self->shown, NULL);
    g_clear_object (&self->shown);
  }
  g_list_free_full (g_steal_pointer (&self->leaving), (GDestroyNotify) presence_free);
  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (aa_toast_overlay_parent_class)->dispose (object);
}

static void
aa_toast_overlay_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (object);

  switch (prop_id) {
  case PROP_CHILD:
    g_value_set_object (value, self->child);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_toast_overlay_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AaToastOverlay *self = AA_TOAST_OVERLAY (object);

  switch (prop_id) {
  case PROP_CHILD:
    aa_toast_overlay_set_child (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_toast_overlay_buildable_add_child (GtkBuildable *buildable,
                                      GtkBuilder   *builder,
                                      GObject      *child,
                                      const char   *type)
{
  if (GTK_IS_WIDGET (child))
    aa_toast_overlay_set_child (AA_TOAST_OVERLAY (buildable), GTK_WIDGET (child));
  else
    g_warning ("AaToastOverlay cannot hold a %s", G_OBJECT_TYPE_NAME (child));
}

static void
aa_toast_overlay_buildable_init (GtkBuildableIface *iface)
{
  iface->add_child = aa_toast_overlay_buildable_add_child;
}

static void
aa_toast_overlay_class_init (AaToastOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_toast_overlay_dispose;
  object_class->get_property = aa_toast_overlay_get_property;
  object_class->set_property = aa_toast_overlay_set_property;

  widget_class->measure = aa_toast_overlay_measure;
  widget_class->size_allocate = aa_toast_overlay_size_allocate;

  props[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "toast-overlay.dismiss", NULL, dismiss_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "toast-overlay.dismiss", NULL);

  gtk_widget_class_set_css_name (widget_class, "toastoverlay");
}

static void
aa_toast_overlay_init (AaToastOverlay *self)
{
  g_queue_init (&self->queue);
  update_dismiss_action (self);
}
