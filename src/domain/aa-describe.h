/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "async-actions.h"

#include "aa-invoice.h"
#include "aa-item.h"

G_BEGIN_DECLS

/*
 * Text for the confirmation dialog that comes before an action of
 * @operation, or NULL when the "before" column of its rule asks nothing
 * (or @engine would refuse it at once, offline): then widgets go ahead at
 * once. Widgets never decide this themselves. No state: functions, not an
 * object.
 */

AaConfirmation *aa_describe_delete      (AaEngine    *engine,
                                         AaOperation *operation,
                                         AaItem      *item);
AaConfirmation *aa_describe_empty_trash (AaEngine    *engine,
                                         AaOperation *operation,
                                         guint        n_notes);
AaConfirmation *aa_describe_payment     (AaEngine    *engine,
                                         AaOperation *operation,
                                         AaInvoice   *invoice,
                                         const char  *card_number);

G_END_DECLS
