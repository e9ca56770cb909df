/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-activity-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-activity-row.h"
#include "aa-ui.h"

/* Shown as the start of a key: enough to tell retries of one intention
 * (same key) from a new one. */
#define KEY_CHARS 8

struct _AaActivityRow
{
  GtkWidget        parent_instance;

  GtkWidget       *outcome_label;
  GtkWidget       *state_label;
  GtkWidget       *title_label;
  GtkWidget       *details_button;
  GtkWidget       *key_label;
  GtkWidget       *details_label;
  GtkWidget       *message_label;
  GtkWidget       *timing_label;
  GtkWidget       *retry_button;
  GtkWidget       *dismiss_button;
  GtkWidget       *undo_button;

  AaActionManager *manager;
  AaMutation      *mutation;
  char            *state_class;
};

G_DEFINE_FINAL_TYPE (AaActivityRow, aa_activity_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_MUTATION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *
state_class (AaMutationState state)
{
  switch (state) {
  case AA_MUTATION_STATE_QUEUED:
    return "queued";
  case AA_MUTATION_STATE_SENT:
    return "sent";
  case AA_MUTATION_STATE_SUCCEEDED:
    return "succeeded";
  case AA_MUTATION_STATE_FAILED:
    return "failed";
  case AA_MUTATION_STATE_ROLLED_BACK:
    return "rolled-back";
  case AA_MUTATION_STATE_UNDONE:
    return "undone";
  case AA_MUTATION_STATE_WAITING:
    return "waiting";
  case AA_MUTATION_STATE_UNKNOWN:
    return "unknown";
  case AA_MUTATION_STATE_COALESCED:
  default:
    return "coalesced";
  }
}

/* The verbs of an outcome that fit the action: "Paid" and "Couldn’t pay",
 * not "Saved" for everything. By the operation's name (aa-rules.c); a
 * flag's verb depends on the value it sets. */
typedef struct {
  const char *operation;
  const char *field;      /* a boolean of the patch, or NULL */
  const char *done;       /* succeeded (the field set to TRUE) */
  const char *done_off;   /* succeeded, the field set to FALSE */
  const char *failed;
  const char *failed_off;
} Verbs;

static const Verbs verbs[] = {
  { "create-note",  NULL,      N_("Created"),        NULL,                   N_("Couldn’t create"),  NULL },
  { "star-note",    "starred", N_("Starred"),        N_("Unstarred"),        N_("Couldn’t star"),    N_("Couldn’t unstar") },
  { "done-note",    "done",    N_("Marked as done"), N_("Marked as not done"), N_("Couldn’t mark as done"),
                                                                               N_("Couldn’t mark as not done") },
  { "save-note",    NULL,      N_("Saved"),          NULL,                   N_("Couldn’t save"),    NULL },
  { "delete-note",  NULL,      N_("Moved to Trash"), NULL,                   N_("Couldn’t move to Trash"), NULL },
  { "restore-note", NULL,      N_("Restored"),       NULL,                   N_("Couldn’t restore"), NULL },
  { "empty-trash",  NULL,      N_("Trash emptied"),  NULL,                   N_("Couldn’t empty the Trash"), NULL },
  { "pay-invoice",  NULL,      N_("Paid"),           NULL,                   N_("Couldn’t pay"),     NULL },
  { "change-role",  NULL,      N_("Role changed"),   NULL,                   N_("Couldn’t change the role"), NULL },
};

static const char *
outcome_verb (AaMutation *mutation,
              gboolean    succeeded)
{
  const char *name = aa_operation_get_name (aa_mutation_get_operation (mutation));

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++) {
    JsonObject *patch;
    gboolean off;

    if (g_strcmp0 (verbs[i].operation, name) != 0)
      continue;

    patch = aa_mutation_get_patch (mutation);
    off = verbs[i].field != NULL && patch != NULL && json_object_has_member (patch, verbs[i].field) &&
          !json_object_get_boolean_member (patch, verbs[i].field);
    if (succeeded)
      return _(off ? verbs[i].done_off : verbs[i].done);
    return _(off ? verbs[i].failed_off : verbs[i].failed);
  }

  return succeeded ? _("Done") : _("Couldn’t do it");
}

/* What happened, in plain words; the engine's own state name is in the
 * details. */
static const char *
outcome_label (AaMutation *mutation,
               gboolean    checked)
{
  switch (aa_mutation_get_state (mutation)) {
  case AA_MUTATION_STATE_QUEUED:
    /* Translators: behind another change of the same object. */
    return _("Queued");
  case AA_MUTATION_STATE_SENT:
    return _("Sending…");
  case AA_MUTATION_STATE_WAITING:
    return _("Waiting to be sent");
  case AA_MUTATION_STATE_UNKNOWN:
    /* Nothing checks an outcome the engine can't find out, or one the
     * user let go: it is not known, and never called failed. */
    return checked ? _("Not confirmed yet — checking") : _("Outcome unknown");
  case AA_MUTATION_STATE_SUCCEEDED:
    return outcome_verb (mutation, TRUE);
  case AA_MUTATION_STATE_FAILED:
  case AA_MUTATION_STATE_ROLLED_BACK:
    return outcome_verb (mutation, FALSE);
  case AA_MUTATION_STATE_UNDONE:
    return _("Undone");
  case AA_MUTATION_STATE_COALESCED:
  default:
    /* Translators: a click replaced by a later one before it was sent. */
    return _("Skipped");
  }
}

/* Milliseconds, as an int for the translatable formats. */
static int
ms_between (gint64 from,
            gint64 to)
{
  return (int) CLAMP ((to - from) / 1000, 0, G_MAXINT);
}

static char *
format_timing (AaMutation *mutation)
{
  gint64 queued = aa_mutation_get_queued_at (mutation);
  gint64 sent = aa_mutation_get_sent_at (mutation);
  gint64 finished = aa_mutation_get_finished_at (mutation);

  if (queued == 0)
    return g_strdup (_("refused before sending"));
  if (sent == 0 && finished == 0 && aa_mutation_get_state (mutation) == AA_MUTATION_STATE_WAITING)
    return g_strdup (_("waiting for the server to be reachable"));
  if (sent == 0 && finished == 0)
    return g_strdup (_("waiting to be sent"));
  if (sent == 0)
    return g_strdup (_("never sent"));
  if (finished == 0 || finished < sent)
    /* Translators: milliseconds between queueing and sending. */
    return g_strdup_printf (_("sent after %d ms · waiting for the server"),
                            ms_between (queued, sent));

  /* Translators: milliseconds from queueing to sending, then from sending
   * to the server's answer. */
  return g_strdup_printf (_("sent after %d ms · answered in %d ms"),
                          ms_between (queued, sent), ms_between (sent, finished));
}

static char *
format_details (AaMutation *mutation)
{
  g_autoptr(GString) details = g_string_new (aa_policy_get_label (aa_mutation_get_policy (mutation)));
  const char *key = aa_mutation_get_idempotency_key (mutation);
  guint attempts = aa_mutation_get_attempts (mutation);

  if (key != NULL) {
    g_autofree char *start = g_utf8_substring (key, 0, MIN ((glong) KEY_CHARS, g_utf8_strlen (key, -1)));

    g_string_append (details, " · ");
    /* Translators: the start of an idempotency key. */
    g_string_append_printf (details, _("key %s…"), start);
  }

  if (attempts > 0) {
    g_string_append (details, " · ");
    g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts", attempts),
                            attempts);
  }

  if (aa_mutation_get_replayed (mutation)) {
    g_string_append (details, " · ");
    g_string_append (details, _("replayed: the server had it already"));
  }

  if (aa_mutation_get_undo_of (mutation) != NULL) {
    g_string_append (details, " · ");
    g_string_append (details, _("an undo"));
  }

  return g_string_free (g_steal_pointer (&details), FALSE);
}

/* Retry where the rules offer it: not for what the server refused for good
 * (a declined card, a forbidden role), which sending again cannot change,
 * nor for a change that a later one made moot (it succeeded since). */
static gboolean
can_retry (AaActivityRow *self)
{
  return aa_action_manager_offers_retry (self->manager, self->mutation);
}

/* An outcome the engine can't find out (no check, and sending it again
 * could apply it twice): the user may stop waiting for it. */
static gboolean
can_dismiss_unknown (AaActivityRow *self)
{
  return self->manager != NULL && aa_mutation_get_state (self->mutation) == AA_MUTATION_STATE_UNKNOWN &&
         aa_engine_can_dismiss (aa_action_manager_get_engine (self->manager), self->mutation);
}

static void
update_buttons (AaActivityRow *self)
{
  g_autofree char *dismiss_label = NULL;
  g_autofree char *retry_label = NULL;
  g_autofree char *undo_label = NULL;

  if (self->mutation == NULL || self->manager == NULL)
    return;

  /* In a list of changes, a bare "Retry" does not say which. The label
   * quotes its object already: "Retry: Star “Groceries”". */
  retry_label = g_strdup_printf (_("Retry: %s"), aa_mutation_get_label (self->mutation));
  undo_label = g_strdup_printf (_("Undo: %s"), aa_mutation_get_label (self->mutation));
  aa_ui_set_name (self->retry_button, retry_label);
  aa_ui_set_name (self->undo_button, undo_label);
  dismiss_label = g_strdup_printf (_("Stop waiting: %s"), aa_mutation_get_label (self->mutation));
  aa_ui_set_name (self->dismiss_button, dismiss_label);
  gtk_widget_set_visible (self->dismiss_button, can_dismiss_unknown (self));

  gtk_widget_set_visible (self->retry_button, can_retry (self));
  gtk_widget_set_visible (self->undo_button, aa_action_manager_can_undo (self->manager, self->mutation));
}

static void
update (AaActivityRow *self)
{
  AaMutation *mutation = self->mutation;
  AaMutationState state;
  g_autofree char *details = NULL;
  g_autofree char *timing = NULL;
  g_autofree char *key_tooltip = NULL;
  const char *new_class;
  gboolean failed, shows_message;

  if (mutation == NULL)
    return;

  state = aa_mutation_get_state (mutation);
  new_class = state_class (state);
  if (g_strcmp0 (self->state_class, new_class) != 0) {
    if (self->state_class != NULL) {
      gtk_widget_remove_css_class (self->state_label, self->state_class);
      gtk_widget_remove_css_class (self->outcome_label, self->state_class);
    }
    gtk_widget_add_css_class (self->state_label, new_class);
    gtk_widget_add_css_class (self->outcome_label, new_class);
    g_free (self->state_class);
    self->state_class = g_strdup (new_class);
  }
  gtk_label_set_text (GTK_LABEL (self->state_label), aa_mutation_state_get_label (state));
  gtk_label_set_text (GTK_LABEL (self->outcome_label),
                      outcome_label (mutation, aa_mutation_is_pending (mutation) && !can_dismiss_unknown (self)));
  gtk_label_set_text (GTK_LABEL (self->key_label), aa_mutation_get_idempotency_key (mutation));

  gtk_label_set_text (GTK_LABEL (self->title_label), aa_mutation_get_label (mutation));

  details = format_details (mutation);
  gtk_label_set_text (GTK_LABEL (self->details_label), details);
  key_tooltip = g_strdup_printf (_("Idempotency key %s: the same on every retry of this change"),
                                 aa_mutation_get_idempotency_key (mutation));
  aa_ui_set_tooltip (self->details_label, key_tooltip);

  /* What failed and what to do; or, waiting or being checked, what is
   * happening to it (never worded as a failure). */
  failed = state == AA_MUTATION_STATE_FAILED || state == AA_MUTATION_STATE_ROLLED_BACK;
  shows_message = failed || state == AA_MUTATION_STATE_WAITING || state == AA_MUTATION_STATE_UNKNOWN;
  gtk_label_set_text (GTK_LABEL (self->message_label), shows_message ? aa_mutation_get_message (mutation) : NULL);
  gtk_widget_set_visible (self->message_label, shows_message && aa_mutation_get_message (mutation) != NULL);
  if (failed)
    gtk_widget_remove_css_class (self->message_label, "pending");
  else
    gtk_widget_add_css_class (self->message_label, "pending");

  timing = format_timing (mutation);
  gtk_label_set_text (GTK_LABEL (self->timing_label), timing);

  update_buttons (self);
}

static void
retry_clicked_cb (AaActivityRow *self)
{
  if (self->mutation != NULL && self->manager != NULL)
    aa_action_manager_retry (self->manager, self->mutation);
}

static void
dismiss_clicked_cb (AaActivityRow *self)
{
  if (self->mutation != NULL && self->manager != NULL)
    aa_engine_dismiss (aa_action_manager_get_engine (self->manager), self->mutation);
}

static void
undo_clicked_cb (AaActivityRow *self)
{
  if (self->mutation != NULL && self->manager != NULL)
    aa_action_manager_undo (self->manager, self->mutation);
}

static void
set_manager (AaActivityRow   *self,
             AaActionManager *manager)
{
  AaEngine *engine;

  g_assert (self->manager == NULL);

  if (manager == NULL)
    return;

  self->manager = g_object_ref (manager);
  /* Whether undo applies depends on the rest of the session too. */
  engine = aa_action_manager_get_engine (manager);
  g_signal_connect_object (engine, "notify::undoable", G_CALLBACK (update_buttons), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::n-pending", G_CALLBACK (update_buttons), self, G_CONNECT_SWAPPED);
  /* A later change that made a failure moot lets it go: no Retry then. */
  g_signal_connect_object (engine, "notify::n-failed", G_CALLBACK (update_buttons), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "discarded", G_CALLBACK (update_buttons), self, G_CONNECT_SWAPPED);
}

static void
aa_activity_row_dispose (GObject *object)
{
  AaActivityRow *self = AA_ACTIVITY_ROW (object);
  GtkWidget *child;

  aa_activity_row_set_mutation (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AA_TYPE_ACTIVITY_ROW);
  /* The template's top box is not bound, so it is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->state_class, g_free);

  G_OBJECT_CLASS (aa_activity_row_parent_class)->dispose (object);
}

static void
aa_activity_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AaActivityRow *self = AA_ACTIVITY_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_MUTATION:
    g_value_set_object (value, self->mutation);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_activity_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AaActivityRow *self = AA_ACTIVITY_ROW (object);

  switch (prop_id) {
  case PROP_MANAGER:
    set_manager (self, g_value_get_object (value));
    break;
  case PROP_MUTATION:
    aa_activity_row_set_mutation (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_activity_row_class_init (AaActivityRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aa_activity_row_dispose;
  object_class->get_property = aa_activity_row_get_property;
  object_class->set_property = aa_activity_row_set_property;

  props[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         AA_TYPE_ACTION_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL,
                         AA_TYPE_MUTATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/AsyncActions/aa-activity-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, details_button);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, timing_label);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, AaActivityRow, dismiss_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, undo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aa_activity_row_init (AaActivityRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
aa_activity_row_new (AaActionManager *manager)
{
  g_return_val_if_fail (AA_IS_ACTION_MANAGER (manager), NULL);

  return g_object_new (AA_TYPE_ACTIVITY_ROW, "manager", manager, NULL);
}

AaMutation *
aa_activity_row_get_mutation (AaActivityRow *self)
{
  g_return_val_if_fail (AA_IS_ACTIVITY_ROW (self), NULL);

  return self->mutation;
}

/* Bound and unbound as the list scrolls: only signal connections here. */
void
aa_activity_row_set_mutation (AaActivityRow *self,
                              AaMutation    *mutation)
{
  g_return_if_fail (AA_IS_ACTIVITY_ROW (self));
  g_return_if_fail (mutation == NULL || AA_IS_MUTATION (mutation));

  if (self->mutation == mutation)
    return;

  if (self->mutation != NULL)
    g_signal_handlers_disconnect_by_data (self->mutation, self);
  g_set_object (&self->mutation, mutation);

  if (mutation != NULL) {
    g_signal_connect_swapped (mutation, "notify", G_CALLBACK (update), self);
    update (self);
  }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTATION]);
}

GtkWidget *
aa_activity_row_get_state_label (AaActivityRow *self)
{
  return self->state_label;
}

GtkWidget *
aa_activity_row_get_outcome_label (AaActivityRow *self)
{
  return self->outcome_label;
}

GtkWidget *
aa_activity_row_get_details_label (AaActivityRow *self)
{
  return self->details_label;
}

GtkWidget *
aa_activity_row_get_retry_button (AaActivityRow *self)
{
  return self->retry_button;
}

GtkWidget *
aa_activity_row_get_undo_button (AaActivityRow *self)
{
  return self->undo_button;
}
