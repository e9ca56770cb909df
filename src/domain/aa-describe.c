/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-describe"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aa-describe.h"
#include "aa-rules-private.h"

static gboolean
asks_first (AaEngine    *engine,
            AaOperation *operation)
{
  /* Nothing to confirm while the server can't be reached and the rule
   * refuses the action then: the engine refuses it at once, nothing
   * happens, and the refusal says so. */
  if (!aa_connectivity_get_reachable (aa_engine_get_connectivity (engine)) &&
      aa_operation_get_offline_policy (operation) == AA_OFFLINE_POLICY_REFUSE)
    return FALSE;

  return aa_operation_asks_first (operation);
}

AaConfirmation *
aa_describe_delete (AaEngine    *engine,
                    AaOperation *operation,
                    AaItem      *item)
{
  g_autofree char *subject = NULL;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (AA_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (AA_IS_OPERATION (operation), NULL);
  g_return_val_if_fail (AA_IS_ITEM (item), NULL);

  if (!asks_first (engine, operation))
    return NULL;

  subject = aa_subject_for_messages (aa_item_get_title (item));
  heading = g_strdup_printf (_("Move “%s” to the Trash?"), subject);
  return aa_confirmation_new (heading, _("You can undo this right after, or restore it from the Trash later."),
                              _("Move to Trash"), TRUE);
}

AaConfirmation *
aa_describe_empty_trash (AaEngine    *engine,
                         AaOperation *operation,
                         guint        n_notes)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (AA_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (AA_IS_OPERATION (operation), NULL);

  if (!asks_first (engine, operation))
    return NULL;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u note will be deleted for good. This can’t be undone.",
                                       "%u notes will be deleted for good. This can’t be undone.",
                                       n_notes),
                          n_notes);
  return aa_confirmation_new (_("Empty Trash?"), body, _("Empty Trash"), TRUE);
}

AaConfirmation *
aa_describe_payment (AaEngine    *engine,
                     AaOperation *operation,
                     AaInvoice   *invoice,
                     const char  *card_number)
{
  g_autofree char *amount = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);

  g_return_val_if_fail (AA_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (AA_IS_OPERATION (operation), NULL);
  g_return_val_if_fail (AA_IS_INVOICE (invoice), NULL);

  if (!asks_first (engine, operation))
    return NULL;

  for (const char *p = card_number ? card_number : ""; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  }

  amount = aa_invoice_format_amount (invoice);
  heading = g_strdup_printf (_("Pay %s?"), amount);
  body = g_strdup_printf (_("“%s” will be charged to the card ending in %s."),
                          aa_invoice_get_description (invoice),
                          digits->str + (digits->len > 4 ? digits->len - 4 : 0));
  label = g_strdup_printf (_("Pay %s"), amount);

  return aa_confirmation_new (heading, body, label, FALSE);
}

