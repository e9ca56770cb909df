#define G_LOG_DOMAIN "aa-clamp"

/*
 * AaClamp: one child, centred, never wider than maximum-size, and no wider
 * a minimum than the child's own. GTK 4.8 has no AdwClamp: this is what lets
 * a page read as one column of about 720 px on a wide window and fold down
 * to a phone's 360 px.
 */

#include "config.h"

#include "aa-clamp.h"

struct _AaClamp
{
  GtkWidget  parent_instance;

  GtkWidget *child;
  int        maximum_size;
};

G_DEFINE_FINAL_TYPE (AaClamp, aa_clamp, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_MAXIMUM_SIZE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
aa_clamp_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  AaClamp *self = AA_CLAMP (widget);
  int child_min = 0, child_nat = 0;

  if (self->child != NULL && gtk_widget_should_layout (self->child)) {
    if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0) {
      int width_min;

      /* Heights for the width the child will really get. */
      gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &width_min, NULL, NULL, NULL);
      for_size = MAX (width_min, MIN (for_size, self->maximum_size));
    }
    gtk_widget_measure (self->child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
  }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    child_nat = MAX (child_min, MIN (child_nat, self->maximum_size));

  *minimum = child_min;
  *natural = child_nat;
  *minimum_baseline = -1;
  *natural_baseline = -1;
}

static void
aa_clamp_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  AaClamp *self = AA_CLAMP (widget);
  int child_min = 0, child_width;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;

  gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
  child_width = MIN (width, MAX (child_min, self->maximum_size));

  gtk_widget_size_allocate (self->child,
                            &(GtkAllocation) { (width - child_width) / 2, 0, child_width, height },
                            -1);
}

static GtkSizeRequestMode
aa_clamp_get_request_mode (GtkWidget *widget)
{
  AaClamp *self = AA_CLAMP (widget);

  return self->child != NULL ? gtk_widget_get_request_mode (self->child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
aa_clamp_dispose (GObject *object)
{
  AaClamp *self = AA_CLAMP (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (aa_clamp_parent_class)->dispose (object);
}

static void
aa_clamp_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AaClamp *self = AA_CLAMP (object);

  switch (prop_id) {
  case PROP_CHILD:
    g_value_set_object (value, self->child);
    break;
  case PROP_MAXIMUM_SIZE:
    g_value_set_int (value, self->maximum_size);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_clamp_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  AaClamp *self = AA_CLAMP (object);

  switch (prop_id) {
  case PROP_CHILD:
    aa_clamp_set_child (self, g_value_get_object (value));
    break;
  case PROP_MAXIMUM_SIZE:
    aa_clamp_set_maximum_size (self, g_value_get_int (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_clamp_class_init (AaClampClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_clamp_dispose;
  object_class->get_property = aa_clamp_get_property;
  object_class->set_property = aa_clamp_set_property;
  widget_class->measure = aa_clamp_measure;
  widget_class->size_allocate = aa_clamp_size_allocate;
  widget_class->get_request_mode = aa_clamp_get_request_mode;

  props[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  props[PROP_MAXIMUM_SIZE] =
    g_param_spec_int ("maximum-size", NULL, NULL,
                      0, G_MAXINT, 720,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "clamp");
}

static void
aa_clamp_init (AaClamp *self)
{
  self->maximum_size = 720;
}

GtkWidget *
aa_clamp_new (void)
{
  return g_object_new (AA_TYPE_CLAMP, NULL);
}

GtkWidget *
aa_clamp_get_child (AaClamp *self)
{
  g_return_val_if_fail (AA_IS_CLAMP (self), NULL);

  return self->child;
}

void
aa_clamp_set_child (AaClamp   *self,
                    GtkWidget *child)
{
  g_return_if_fail (AA_IS_CLAMP (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL) {
    self->child = child;
    gtk_widget_set_parent (child, GTK_WIDGET (self));
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHILD]);
}

int
aa_clamp_get_maximum_size (AaClamp *self)
{
  g_return_val_if_fail (AA_IS_CLAMP (self), 0);

  return self->maximum_size;
}

void
aa_clamp_set_maximum_size (AaClamp *self,
                           int      maximum_size)
{
  g_return_if_fail (AA_IS_CLAMP (self));

  if (self->maximum_size == maximum_size)
    return;

  self->maximum_size = maximum_size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAXIMUM_SIZE]);
}
