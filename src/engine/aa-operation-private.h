/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-operation.h"

G_BEGIN_DECLS

/* The words of an unknown outcome the engine can't resolve by itself (no
 * check, no safe resend): that it couldn't confirm it, and what to do. By
 * the request's method: "Couldn’t confirm “X” was added. Reload to see
 * whether it was." */
char *aa_operation_format_unconfirmed (AaOperation *self,
                                       AaMutation  *mutation);

G_END_DECLS
