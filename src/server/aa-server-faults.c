/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-faults"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "aa-server-faults-private.h"

#define DEFAULT_HOLD_MS 30000

void
aa_server_faults_init (AaServerFaults *faults)
{
  memset (faults, 0, sizeof *faults);
  faults->rand = g_rand_new_with_seed (0);
  faults->timeout_hold_ms = DEFAULT_HOLD_MS;
  g_queue_init (&faults->next);
}

void
aa_server_faults_clear (AaServerFaults *faults)
{
  g_clear_pointer (&faults->rand, g_rand_free);
  g_queue_clear (&faults->next);
}

void
aa_server_faults_reseed (AaServerFaults *faults,
                         guint32         seed)
{
  g_rand_set_seed (faults->rand, seed);
  faults->seed = seed;
}

AaFault
aa_server_faults_take (AaServerFaults *faults)
{
  if (!g_queue_is_empty (&faults->next))
    return GPOINTER_TO_UINT (g_queue_pop_head (&faults->next));
  if (faults->failure_rate > 0 && g_rand_double (faults->rand) < faults->failure_rate)
    return AA_FAULT_ERROR_503;

  return AA_FAULT_NONE;
}

JsonNode *
aa_server_faults_to_json (AaServerFaults *faults)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "latency_ms");
  json_builder_add_int_value (builder, faults->latency_ms);
  json_builder_set_member_name (builder, "failure_rate");
  json_builder_add_double_value (builder, faults->failure_rate);
  json_builder_set_member_name (builder, "offline");
  json_builder_add_boolean_value (builder, faults->offline);
  json_builder_set_member_name (builder, "timeout_hold_ms");
  json_builder_add_int_value (builder, faults->timeout_hold_ms);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, faults->seed);
  json_builder_set_member_name (builder, "next");
  json_builder_begin_array (builder);
  for (const GList *l = faults->next.head; l != NULL; l = l->next)
    json_builder_add_string_value (builder, aa_fault_to_nick (GPOINTER_TO_UINT (l->data)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
read_delay (JsonObject  *object,
            const char  *name,
            gint64      *out,
            char       **out_message)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > AA_SERVER_MAX_DELAY_MS) {
    *out_message = g_strdup_printf (_("The field “%s” must be a number of milliseconds "
                                      "from 0 to %d."), name, AA_SERVER_MAX_DELAY_MS);
    return FALSE;
  }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
aa_server_faults_update (AaServerFaults  *faults,
                         JsonObject      *object,
                         char           **out_message)
{
  static const char *known[] = {
    "latency_ms", "failure_rate", "offline", "next", "timeout_hold_ms", "seed", NULL,
  };
  g_autoptr(GList) names = NULL;
  g_autoptr(GArray) next = NULL;
  gint64 latency_ms = faults->latency_ms;
  gint64 hold_ms = faults->timeout_hold_ms;
  double failure_rate = faults->failure_rate;
  JsonNode *node;

  /* Everything is checked before anything is applied. */
  names = json_object_get_members (object);
  for (const GList *l = names; l != NULL; l = l->next) {
    if (!g_strv_contains (known, l->data)) {
      *out_message = g_strdup_printf (_("The field “%s” is not known here. Remove it."),
                                      (const char *) l->data);
      return FALSE;
    }
  }

  if (!read_delay (object, "latency_ms", &latency_ms, out_message) ||
      !read_delay (object, "timeout_hold_ms", &hold_ms, out_message))
    return FALSE;

  node = json_object_get_member (object, "failure_rate");
  if (node != NULL) {
    GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

    if (type == G_TYPE_INT64)
      failure_rate = json_node_get_int (node);
    else if (type == G_TYPE_DOUBLE)
      failure_rate = json_node_get_double (node);
    else
      failure_rate = -1;
    if (!(failure_rate >= 0 && failure_rate <= 1)) {
      *out_message = g_strdup (_("The field “failure_rate” must be a number from 0 to 1."));
      return FALSE;
    }
  }

  node = json_object_get_member (object, "offline");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)) {
    *out_message = g_strdup (_("The field “offline” must be true or false."));
    return FALSE;
  }

  node = json_object_get_member (object, "seed");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
                       json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT32)) {
    *out_message = g_strdup (_("The field “seed” must be a whole number from 0 to 4294967295."));
    return FALSE;
  }

  node = json_object_get_member (object, "next");
  if (node != NULL) {
    JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

    next = g_array_new (FALSE, FALSE, sizeof (AaFault));
    for (guint i = 0; array != NULL && i < json_array_get_length (array); i++) {
      JsonNode *element = json_array_get_element (array, i);
      AaFault fault = AA_FAULT_NONE;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        fault = aa_fault_from_nick (json_node_get_string (element));
      if (fault == AA_FAULT_NONE)
        array = NULL;
      else
        g_array_append_val (next, fault);
    }
    if (array == NULL) {
      *out_message = g_strdup (_("The field “next” must list faults: error-500, error-503, timeout, drop, "
                                 "lost-response or conflict."));
      return FALSE;
    }
  }

  faults->latency_ms = (guint) latency_ms;
  faults->timeout_hold_ms = (guint) hold_ms;
  faults->failure_rate = failure_rate;
  if (json_object_has_member (object, "offline"))
    faults->offline = json_object_get_boolean_member (object, "offline");
  if (json_object_has_member (object, "seed"))
    aa_server_faults_reseed (faults, (guint32) json_object_get_int_member (object, "seed"));
  if (next != NULL) {
    g_queue_clear (&faults->next);
    for (guint i = 0; i < next->len; i++)
      g_queue_push_tail (&faults->next, GUINT_TO_POINTER (g_array_index (next, AaFault, i)));
  }

  return TRUE;
}
