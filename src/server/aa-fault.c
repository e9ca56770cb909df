/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-fault"

#include "config.h"

#include "aa-fault.h"
#include "aa-fault-enums.h"

const char *
aa_fault_to_nick (AaFault fault)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (AA_TYPE_FAULT);
  GEnumValue *value = g_enum_get_value (klass, fault);

  return value != NULL ? value->value_nick : NULL;
}

AaFault
aa_fault_from_nick (const char *nick)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  if (nick == NULL)
    return AA_FAULT_NONE;

  klass = g_type_class_ref (AA_TYPE_FAULT);
  value = g_enum_get_value_by_nick (klass, nick);

  return value != NULL ? (AaFault) value->value : AA_FAULT_NONE;
}
