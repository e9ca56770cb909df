/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-state.h"

G_BEGIN_DECLS

/* The "id" member of @state as a string, whether the server sent a string or
 * a whole number (which the state keeps as a number: ids keep their JSON
 * type); NULL without one. */
char *_aa_state_dup_id (AaState *state);

G_END_DECLS
