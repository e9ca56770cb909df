/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AA_TYPE_APPLICATION (aa_application_get_type ())

G_DECLARE_FINAL_TYPE (AaApplication, aa_application, AA, APPLICATION, AdwApplication)

/*
 * Async Actions. Options: --server-url URL and --token T for an external
 * backend; without them it starts the embedded demo server on a free
 * loopback port, its data in the user data dir.
 */
AaApplication *aa_application_new (void);

G_END_DECLS
