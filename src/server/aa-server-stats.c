/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-server-stats"

#include "config.h"

#include <string.h>

#include "aa-server-stats-private.h"

/* Reference counted (g_rc_box): the log and the request share it. */
struct _AaServerStat {
  char  *method;
  char  *path;
  guint  status;
  gsize  size;    /* in the answer */
};

static void
stat_clear (gpointer data)
{
  AaServerStat *stat = data;

  g_free (stat->method);
  g_free (stat->path);
}

void
aa_server_stat_release (AaServerStat *stat)
{
  g_rc_box_release_full (stat, stat_clear);
}

void
aa_server_stat_set_status (AaServerStat *stat,
                           guint         status)
{
  stat->status = status;
}

static void
add_entry (JsonBuilder        *builder,
           const AaServerStat *stat,
           guint               status)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, stat->method);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, stat->path);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
}

/* What the entry adds to GET /_control/stats: its JSON, escapes included,
 * with the widest status, and the comma before the next. */
static gsize
stat_size (const AaServerStat *stat)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  add_entry (builder, stat, 999);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);

  return strlen (text) + 1;
}

void
aa_server_stats_init (AaServerStats *stats)
{
  g_queue_init (&stats->entries);
  stats->n_bytes = 0;
}

void
aa_server_stats_clear (AaServerStats *stats)
{
  g_queue_clear_full (&stats->entries, (GDestroyNotify) aa_server_stat_release);
  stats->n_bytes = 0;
}

static char *
cut_path (const char *path)
{
  const char *end;

  if (strlen (path) <= AA_SERVER_STATS_MAX_PATH)
    return g_strdup (path);

  /* Cut on a character boundary, and say so. */
  end = path + AA_SERVER_STATS_MAX_PATH;
  while (end > path && (*end & 0xc0) == 0x80)
    end--;
  return g_strdup_printf ("%.*s…", (int) (end - path), path);
}

AaServerStat *
aa_server_stats_add (AaServerStats *stats,
                     const char    *method,
                     const char    *path)
{
  AaServerStat *stat = g_rc_box_new0 (AaServerStat);

  stat->method = g_strndup (method, 16);
  stat->path = cut_path (path);
  stat->size = stat_size (stat);
  g_queue_push_tail (&stats->entries, stat);
  stats->n_bytes += stat->size;

  /* The answer's frame, {"requests":[]}, counts too. */
  while (stats->entries.length > AA_SERVER_STATS_MAX_ENTRIES ||
         stats->n_bytes + 15 > AA_SERVER_STATS_MAX_BYTES) {
    AaServerStat *oldest = g_queue_pop_head (&stats->entries);

    stats->n_bytes -= oldest->size;
    aa_server_stat_release (oldest);
  }

  return g_rc_box_acquire (stat);
}

JsonNode *
aa_server_stats_to_json (AaServerStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (const GList *l = stats->entries.head; l != NULL; l = l->next) {
    const AaServerStat *stat = l->data;

    add_entry (builder, stat, stat->status);
  }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
