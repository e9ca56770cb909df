#define G_LOG_DOMAIN "aa-toast"

#include "config.h"

#include "aa-toast-private.h"
#include "aa-toast-overlay-private.h"
#include "aa-ui-enums.h"

struct _AaToast
{
  GObject          parent_instance;

  char            *title;
  char            *button_label;
  char            *action_name;
  GVariant        *action_target;
  AaToastPriority  priority;
  guint            timeout;
  gboolean         use_markup;

  /* Weak: the overlay clears it when the toast leaves. */
  gpointer         overlay;
};

G_DEFINE_FINAL_TYPE (AaToast, aa_toast, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_USE_MARKUP,
  PROP_BUTTON_LABEL,
  PROP_ACTION_NAME,
  PROP_ACTION_TARGET,
  PROP_PRIORITY,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  SIGNAL_DISMISSED,
  SIGNAL_BUTTON_CLICKED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
aa_toast_finalize (GObject *object)
{
  AaToast *self = AA_TOAST (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->button_label, g_free);
  g_clear_pointer (&self->action_name, g_free);
  g_clear_pointer (&self->action_target, g_variant_unref);

  G_OBJECT_CLASS (aa_toast_parent_class)->finalize (object);
}

static void
aa_toast_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AaToast *self = AA_TOAST (object);

  switch (prop_id) {
  case PROP_TITLE:
    g_value_set_string (value, self->title);
    break;
  case PROP_USE_MARKUP:
    g_value_set_boolean (value, self->use_markup);
    break;
  case PROP_BUTTON_LABEL:
    g_value_set_string (value, self->button_label);
    break;
  case PROP_ACTION_NAME:
    g_value_set_string (value, self->action_name);
    break;
  case PROP_ACTION_TARGET:
    g_value_set_variant (value, self->action_target);
    break;
  case PROP_PRIORITY:
    g_value_set_enum (value, self->priority);
    break;
  case PROP_TIMEOUT:
    g_value_set_uint (value, self->timeout);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_toast_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  AaToast *self = AA_TOAST (object);

  switch (prop_id) {
  case PROP_TITLE:
    aa_toast_set_title (self, g_value_get_string (value));
    break;
  case PROP_USE_MARKUP:
    aa_toast_set_use_markup (self, g_value_get_boolean (value));
    break;
  case PROP_BUTTON_LABEL:
    aa_toast_set_button_label (self, g_value_get_string (value));
    break;
  case PROP_ACTION_NAME:
    aa_toast_set_action_name (self, g_value_get_string (value));
    break;
  case PROP_ACTION_TARGET:
    aa_toast_set_action_target (self, g_value_get_variant (value));
    break;
  case PROP_PRIORITY:
    aa_toast_set_priority (self, g_value_get_enum (value));
    break;
  case PROP_TIMEOUT:
    aa_toast_set_timeout (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_toast_class_init (AaToastClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aa_toast_finalize;
  object_class->get_property = aa_toast_get_property;
  object_class->set_property = aa_toast_set_property;

  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_USE_MARKUP] =
    g_param_spec_boolean ("use-markup", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_BUTTON_LABEL] =
    g_param_spec_string ("button-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_ACTION_NAME] =
    g_param_spec_string ("action-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_ACTION_TARGET] =
    g_param_spec_variant ("action-target", NULL, NULL,
                          G_VARIANT_TYPE_ANY, NULL,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL,
                       AA_TYPE_TOAST_PRIORITY, AA_TOAST_PRIORITY_NORMAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_DISMISSED] =
    g_signal_new ("dismissed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_BUTTON_CLICKED] =
    g_signal_new ("button-clicked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
aa_toast_init (AaToast *self)
{
  self->title = g_strdup ("");
  self->timeout = 5;
}

AaToast *
aa_toast_new (const char *title)
{
  return g_object_new (AA_TYPE_TOAST, "title", title, NULL);
}

const char *
aa_toast_get_title (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), NULL);

  return self->title;
}

void
aa_toast_set_title (AaToast    *self,
                    const char *title)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (title == NULL)
    title = "";

  if (set_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

gboolean
aa_toast_get_use_markup (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), FALSE);

  return self->use_markup;
}

void
aa_toast_set_use_markup (AaToast  *self,
                         gboolean  use_markup)
{
  g_return_if_fail (AA_IS_TOAST (self));

  use_markup = !!use_markup;
  if (self->use_markup == use_markup)
    return;

  self->use_markup = use_markup;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USE_MARKUP]);
}

const char *
aa_toast_get_button_label (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), NULL);

  return self->button_label;
}

void
aa_toast_set_button_label (AaToast    *self,
                           const char *button_label)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (set_string (&self->button_label, button_label))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUTTON_LABEL]);
}

const char *
aa_toast_get_action_name (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), NULL);

  return self->action_name;
}

void
aa_toast_set_action_name (AaToast    *self,
                          const char *action_name)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (set_string (&self->action_name, action_name))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTION_NAME]);
}

GVariant *
aa_toast_get_action_target (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), NULL);

  return self->action_target;
}

void
aa_toast_set_action_target (AaToast  *self,
                            GVariant *action_target)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (self->action_target == action_target)
    return;

  if (self->action_target != NULL && action_target != NULL &&
      g_variant_equal (self->action_target, action_target)) {
    /* Still take a floating reference so that it does not leak. */
    g_variant_unref (g_variant_ref_sink (action_target));
    return;
  }

  g_clear_pointer (&self->action_target, g_variant_unref);
  if (action_target != NULL)
    self->action_target = g_variant_ref_sink (action_target);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTION_TARGET]);
}

AaToastPriority
aa_toast_get_priority (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), AA_TOAST_PRIORITY_NORMAL);

  return self->priority;
}

void
aa_toast_set_priority (AaToast         *self,
                       AaToastPriority  priority)
{
  g_return_if_fail (AA_IS_TOAST (self));
  g_return_if_fail (priority <= AA_TOAST_PRIORITY_HIGH);

  if (self->priority == priority)
    return;

  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PRIORITY]);
}

guint
aa_toast_get_timeout (AaToast *self)
{
  g_return_val_if_fail (AA_IS_TOAST (self), 0);

  return self->timeout;
}

void
aa_toast_set_timeout (AaToast *self,
                      guint    timeout)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIMEOUT]);
}

/**
 * aa_toast_dismiss:
 *
 * Hides the toast if it is shown, or takes it out of the queue. Does nothing
 * for a toast that was never added to an overlay.
 */
void
aa_toast_dismiss (AaToast *self)
{
  g_return_if_fail (AA_IS_TOAST (self));

  if (self->overlay == NULL)
    return;

  aa_toast_overlay_dismiss_toast (self->overlay, self);
}

gpointer
aa_toast_get_overlay (AaToast *self)
{
  g_assert (AA_IS_TOAST (self));

  return self->overlay;
}

void
aa_toast_set_overlay (AaToast  *self,
                      gpointer  overlay)
{
  g_assert (AA_IS_TOAST (self));

  self->overlay = overlay;
}

void
aa_toast_emit_button_clicked (AaToast *self)
{
  g_assert (AA_IS_TOAST (self));

  g_signal_emit (self, signals[SIGNAL_BUTTON_CLICKED], 0);
}

void
aa_toast_emit_dismissed (AaToast *self)
{
  g_assert (AA_IS_TOAST (self));

  g_signal_emit (self, signals[SIGNAL_DISMISSED], 0);
}
