/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-rest-client.h"

G_BEGIN_DECLS

/* What a request's answer comes to: the parsed body of a success (a JSON
 * null node for an empty one), or NULL with the AA_ERROR for @status,
 * carrying the server's own message when it sent one. @reason may be NULL.
 * Shared with the fuzzer (tests/fuzz/fuzz-client.c). */
JsonNode *_aa_rest_client_read_answer (guint        status,
                                       const char  *reason,
                                       GBytes      *bytes,
                                       GError     **error);

G_END_DECLS
