/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-member"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-domain-enums.h"
#include "aa-error.h"
#include "aa-member.h"
#include "aa-resource-private.h"
#include "aa-rest-client.h"

/* The typed properties are read from the shown state, not copied. */
struct _AaMember
{
  AaResource  parent_instance;
};

G_DEFINE_FINAL_TYPE (AaMember, aa_member, AA_TYPE_RESOURCE)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The member of the canonical state behind each property. */
static const char * const members[N_PROPS] = {
  [PROP_NAME] = "name",
  [PROP_ROLE] = "role",
};

/* Canonical state: {"id", "name", "role": "owner"|"admin"|"member"}. */
static JsonObject *
aa_member_normalize (AaResource  *resource,
                     JsonObject  *server_object,
                     GError     **error)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  AaRole parsed;

  if (!(id = aa_json_dup_id (server_object, "id", error)) ||
      !(name = aa_json_dup_string (server_object, "name", "", error)) ||
      !(role = aa_json_dup_string (server_object, "role", "member", error)))
    return NULL;

  /* A role we do not know cannot be shown or changed safely. */
  if (!aa_role_from_string (role, &parsed)) {
    g_set_error (error, AA_ERROR, AA_ERROR_BAD_RESPONSE,
                 _("The server sent a role “%s” that this version doesn’t know."), role);
    return NULL;
  }

  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "name", name);
  json_object_set_string_member (state, "role", aa_role_to_string (parsed));

  return g_steal_pointer (&state);
}

static void
aa_member_render (AaResource *resource,
                  AaState    *previous,
                  AaState    *state)
{
  for (guint i = PROP_NAME; previous != NULL && i < N_PROPS; i++)
    if (!aa_state_member_equal (previous, state, members[i]))
      g_object_notify_by_pspec (G_OBJECT (resource), props[i]);
}

static void
aa_member_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AaMember *self = AA_MEMBER (object);

  switch (prop_id) {
  case PROP_NAME:
    g_value_set_string (value, aa_member_get_name (self));
    break;
  case PROP_ROLE:
    g_value_set_enum (value, aa_member_get_role (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
aa_member_class_init (AaMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AaResourceClass *resource_class = AA_RESOURCE_CLASS (klass);

  object_class->get_property = aa_member_get_property;

  resource_class->normalize = aa_member_normalize;
  resource_class->render = aa_member_render;

  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       AA_TYPE_ROLE, AA_ROLE_MEMBER,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
aa_member_init (AaMember *self)
{
}

/* The shown state, or NULL before the engine showed any (never, in a store). */
static AaState *
shown (AaMember *self)
{
  return aa_resource_get_shown (AA_RESOURCE (self));
}

const char *
aa_member_get_name (AaMember *self)
{
  g_return_val_if_fail (AA_IS_MEMBER (self), NULL);
  return shown (self) ? aa_state_get_string (shown (self), "name", "") : "";
}

AaRole
aa_member_get_role (AaMember *self)
{
  AaRole role = AA_ROLE_MEMBER;

  g_return_val_if_fail (AA_IS_MEMBER (self), AA_ROLE_MEMBER);

  if (shown (self) != NULL)
    aa_role_from_string (aa_state_get_string (shown (self), "role", NULL), &role);
  return role;
}

const char *
aa_role_to_string (AaRole role)
{
  switch (role) {
  case AA_ROLE_OWNER:
    return "owner";
  case AA_ROLE_ADMIN:
    return "admin";
  case AA_ROLE_MEMBER:
  default:
    return "member";
  }
}

gboolean
aa_role_from_string (const char *string,
                     AaRole     *out_role)
{
  AaRole role;

  if (g_strcmp0 (string, "owner") == 0)
    role = AA_ROLE_OWNER;
  else if (g_strcmp0 (string, "admin") == 0)
    role = AA_ROLE_ADMIN;
  else if (g_strcmp0 (string, "member") == 0)
    role = AA_ROLE_MEMBER;
  else
    return FALSE;

  if (out_role != NULL)
    *out_role = role;
  return TRUE;
}

const char *
aa_role_get_label (AaRole role)
{
  switch (role) {
  case AA_ROLE_OWNER:
    return _("Owner");
  case AA_ROLE_ADMIN:
    return _("Admin");
  case AA_ROLE_MEMBER:
  default:
    return _("Member");
  }
}

gboolean
aa_role_can_change (AaRole me,
                    AaRole from,
                    AaRole to)
{
  /* Choosing the role someone already has is not a change. */
  if (from == to)
    return FALSE;

  switch (me) {
  case AA_ROLE_OWNER:
    return TRUE;
  case AA_ROLE_ADMIN:
    return from != AA_ROLE_OWNER && to != AA_ROLE_OWNER;
  case AA_ROLE_MEMBER:
  default:
    return FALSE;
  }
}
