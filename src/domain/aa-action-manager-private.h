/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "aa-action-manager.h"

G_BEGIN_DECLS

/* For this app's operations (aa-rules.c). */

/* Empty trash succeeded: what the trash showed as confirmed is gone for
 * good. Returns how many notes went. */
guint        _aa_action_manager_purge_trash   (AaActionManager *self);

G_END_DECLS
