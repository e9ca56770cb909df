/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-resource.h"

G_BEGIN_DECLS

typedef enum {
  AA_ROLE_MEMBER,
  AA_ROLE_ADMIN,
  AA_ROLE_OWNER,
} AaRole;

#define AA_TYPE_MEMBER (aa_member_get_type ())

G_DECLARE_FINAL_TYPE (AaMember, aa_member, AA, MEMBER, AaResource)

/* Properties "name", "role". */
const char *aa_member_get_name     (AaMember *self);
AaRole      aa_member_get_role     (AaMember *self);

const char *aa_role_to_string      (AaRole      role);   /* "owner", "admin", "member" */
gboolean    aa_role_from_string    (const char *string,
                                    AaRole     *out_role);
const char *aa_role_get_label      (AaRole      role);   /* translated, "Owner" */

/* The backend's permission rule, so that the UI can show before any click
 * which role changes @me may make: a member changes no role; an admin
 * changes members and admins, never owners, and makes no owners; an owner
 * changes any role. (Demoting the last owner is refused by the server.) */
gboolean    aa_role_can_change     (AaRole      me,
                                    AaRole      from,
                                    AaRole      to);

G_END_DECLS
