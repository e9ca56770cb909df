/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* The one header apps include: #include <async-actions.h> */

#define AA_INSIDE

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aa-connectivity.h"
#include "aa-engine.h"
#include "aa-enums.h"
#include "aa-error.h"
#include "aa-event-stream.h"
#include "aa-feedback.h"
#include "aa-journal.h"
#include "aa-mutation.h"
#include "aa-mutation-observer.h"
#include "aa-operation.h"
#include "aa-request.h"
#include "aa-resource.h"
#include "aa-resource-store.h"
#include "aa-rest-client.h"
#include "aa-rule.h"
#include "aa-state.h"
#include "aa-types.h"
#include "aa-version.h"
#include "aa-version-macros.h"

#undef AA_INSIDE
