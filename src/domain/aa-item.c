/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-item"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-item.h"
#include "aa-resource-private.h"
#include "aa-rest-client.h"

/* The typed properties are read from the shown state (an AaState the
 * engine keeps anyway), not copied: 10,000 notes hold each title once. */
struct _AaItem
{
  AaResource  parent_instance;

  /* Parsed from the shown "updated_at" when first asked for. */
  GDateTime  *updated_at;
  gboolean    updated_at_parsed;
};

G_DEFINE_FINAL_TYPE (AaItem, aa_item, AA_TYPE_RESOURCE)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_NOTES,
  PROP_STARRED,
  PROP_DONE,
  PROP_VERSION,
  PROP_UPDATED_AT,
  PROP_TRASHED,
  N_PROPS
};

/* The member of the canonical state behind each property. */
static const char * const members[N_PROPS] = {
  [PROP_TITLE] = "title",
  [PROP_NOTES] = "notes",
  [PROP_STARRED] = "starred",
  [PROP_DONE] = "done",
  [PROP_VERSION] = "version",
  [PROP_UPDATED_AT] = "updated_at",
  [PROP_TRASHED] = "trashed",
};

static GParamSpec *props[N_PROPS];

/* Canonical state: {"id", "title", "notes", "starred", "done", "version"
 * (-1 when absent), "updated_at" (string or null), "trashed"}. "trashed" is
 * the engine's own: the server tells it by the list an item comes from. */
static JsonObject *
aa_item_normalize (AaResource  *resource,
                   JsonObject  *server_object,
                   GError     **error)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *updated_at = NULL;
  gboolean starred, done, trashed;
  gint64 version;

  if (!(id = aa_json_dup_id (server_object, "id", error)))
    return NULL;

  /* A title is what names the note in every message; without one the
   * object is not a note. (Absent, the reader returns NULL and no error.) */
  title = aa_json_dup_string (server_object, "title", NULL, &local_error);
  if (title == NULL) {
    if (local_error != NULL)
      g_propagate_error (error, g_steal_pointer (&local_error));
    else
      g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                   _("The server’s answer has no “%s”."), "title");
    return NULL;
  }

  if (!(notes = aa_json_dup_string (server_object, "notes", "", error)) ||
      !aa_json_get_boolean (server_object, "starred", FALSE, &starred, error) ||
      !aa_json_get_boolean (server_object, "done", FALSE, &done, error) ||
      !aa_json_get_boolean (server_object, "trashed", FALSE, &trashed, error) ||
      !aa_json_get_int (server_object, "version", -1, &version, error))
    return NULL;

  /* A timestamp we cannot read is shown as unknown rather than refused. */
  updated_at = aa_json_dup_string (server_object, "updated_at", NULL, NULL);
  if (updated_at != NULL) {
    g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (updated_at, NULL);

    if (parsed == NULL)
      g_clear_pointer (&updated_at, g_free);
  }

  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "title", title);
  json_object_set_string_member (state, "notes", notes);
  json_object_set_boolean_member (state, "starred", starred);
  json_object_set_boolean_member (state, "done", done);
  json_object_set_int_member (state, "version", version);
  if (updated_at != NULL)
    json_object_set_string_member (state, "updated_at", updated_at);
  else
    json_object_set_null_member (state, "updated_at");
  json_object_set_boolean_member (state, "trashed", trashed);

  return g_steal_pointer (&state);
}

static void
aa_item_render (AaResource *resource,
                AaState    *previous,
                AaState    *state)
{
  AaItem *self = AA_ITEM (resource);

  /* A new note: nothing listens yet. */
  if (previous == NULL)
    return;

  for (guint i = PROP_TITLE; i < N_PROPS; i++) {
    if (aa_state_member_equal (previous, state, members[i]))
      continue;
    if (i == PROP_UPDATED_AT) {
      g_clear_pointer (&self->updated_at, g_date_time_unref);
      self->updated_at_parsed = FALSE;
    }
    g_object_notify_by_pspec (G_OBJECT (self), props[i]);
  }
}

static void
aa_item_finalize (GObject *object)
{
  AaItem *self = AA_ITEM (object);

  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (aa_item_parent_class)->finalize (object);
}

static void
aa_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  AaItem *self = AA_ITEM (object);

  switch (prop_id) {
  case PROP_TITLE:
    g_value_set_string (value, aa_item_get_title (self));
    break;
  case PROP_NOTES:
    g_value_set_string (value, aa_item_get_notes (self));
    break;
  case PROP_STARRED:
    g_value_set_boolean (value, aa_item_get_starred (self));
    break;
  case PROP_DONE:
    g_value_set_boolean (value, aa_item_get_done (self));
    break;
  case PROP_VERSION:
    g_value_set_int64 (value, aa_item_get_version (self));
    break;
  case PROP_UPDATED_AT:
    g_value_set_boxed (value, aa_item_get_updated_at (self));
    break;
  case PROP_TRASHED:
    g_value_set_boolean (value, aa_item_get_trashed (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_item_class_init (AaItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AaResourceClass *resource_class = AA_RESOURCE_CLASS (klass);

  object_class->finalize = aa_item_finalize;
  object_class->get_property = aa_item_get_property;

  resource_class->normalize = aa_item_normalize;
  resource_class->render = aa_item_render;

  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_STARRED] =
    g_param_spec_boolean ("starred", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TRASHED] =
    g_param_spec_boolean ("trashed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_item_init (AaItem *self)
{
}

/* The shown state, or NULL before the engine showed any (never, in a store). */
static AaState *
shown (AaItem *self)
{
  return aa_resource_get_shown (AA_RESOURCE (self));
}

const char *
aa_item_get_title (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), NULL);
  return shown (self) ? aa_state_get_string (shown (self), "title", "") : "";
}

const char *
aa_item_get_notes (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), NULL);
  return shown (self) ? aa_state_get_string (shown (self), "notes", "") : "";
}

gboolean
aa_item_get_starred (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), FALSE);
  return shown (self) && aa_state_get_boolean (shown (self), "starred", FALSE);
}

gboolean
aa_item_get_done (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), FALSE);
  return shown (self) && aa_state_get_boolean (shown (self), "done", FALSE);
}

gint64
aa_item_get_version (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), -1);
  return shown (self) ? aa_state_get_int (shown (self), "version", -1) : -1;
}

GDateTime *
aa_item_get_updated_at (AaItem *self)
{
  const char *updated_at;

  g_return_val_if_fail (AA_IS_ITEM (self), NULL);

  /* Parsed once when asked: most notes are never asked. */
  if (!self->updated_at_parsed && shown (self) != NULL) {
    updated_at = aa_state_get_string (shown (self), "updated_at", NULL);
    self->updated_at = updated_at != NULL ? g_date_time_new_from_iso8601 (updated_at, NULL) : NULL;
    self->updated_at_parsed = TRUE;
  }

  return self->updated_at;
}

gboolean
aa_item_get_trashed (AaItem *self)
{
  g_return_val_if_fail (AA_IS_ITEM (self), FALSE);
  return shown (self) && aa_state_get_boolean (shown (self), "trashed", FALSE);
}
