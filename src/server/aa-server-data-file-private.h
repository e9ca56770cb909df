/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The data file before the store opens it: a symbolic link is followed, a
 * missing file is created from the demo data (plus @n_generated notes), and
 * a file in the JSON format of earlier versions is imported, a copy kept as
 * "PATH.json-backup". Returns the path of the database to open, or NULL
 * with an AA_SERVER_STORE_ERROR; what can't be read is left untouched.
 */
char *aa_server_data_file_prepare (const char  *path,
                                   guint        n_generated,
                                   GError     **error);
/* The error for a data file that can't be read. */
void  aa_server_data_file_damaged (GError     **error,
                                   const char  *path,
                                   const char  *why);

G_END_DECLS
