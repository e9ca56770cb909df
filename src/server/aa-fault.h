/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The one-shot faults the demo server can inject into the next change, as
 * queued with PUT /api/v1/_control/faults {"next": [...]}. The wire names are
 * the enum nicks ("error-500", "lost-response", ...), shared by the server
 * and the app's Network conditions popover.
 */
typedef enum {
  AA_FAULT_NONE,          /*< skip >*/
  AA_FAULT_ERROR_500,     /* answer 500, change nothing */
  AA_FAULT_ERROR_503,     /* answer 503, change nothing */
  AA_FAULT_TIMEOUT,       /* hold the request, then close without applying */
  AA_FAULT_DROP,          /* close the connection without applying */
  AA_FAULT_LOST_RESPONSE, /* apply, then close without answering */
  AA_FAULT_CONFLICT,      /* answer 412, change nothing */
} AaFault;

/* The wire name, or NULL for AA_FAULT_NONE. */
const char *aa_fault_to_nick   (AaFault     fault);
/* AA_FAULT_NONE for a name that is not a fault. */
AaFault     aa_fault_from_nick (const char *nick);

G_END_DECLS
