/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-server-state-private.h"

G_BEGIN_DECLS

/*
 * Reads the JSON data format of earlier versions (and the seed, which has
 * the same shape). @out_records: (element-type AaServerRecord) the unexpired
 * idempotency records. Errors are AA_SERVER_STORE_ERROR_CORRUPT.
 */
AaServerState *aa_server_import_json (const char  *data,
                                      gsize        length,
                                      GPtrArray  **out_records,
                                      GError     **error);

G_END_DECLS
