/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(AA_INSIDE) && !defined(AA_COMPILATION)
#error "Only <async-actions.h> can be included directly."
#endif

#include <glib-object.h>

#include "aa-version-macros.h"

#include "aa-mutation.h"

G_BEGIN_DECLS

#define AA_TYPE_MUTATION_OBSERVER (aa_mutation_observer_get_type ())

AA_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (AaMutationObserver, aa_mutation_observer, AA, MUTATION_OBSERVER, GObject)

AA_AVAILABLE_IN_ALL
AaMutationObserver *aa_mutation_observer_new          (AaMutation         *mutation);
AA_AVAILABLE_IN_ALL
AaMutation         *aa_mutation_observer_get_mutation (AaMutationObserver *self);
AA_AVAILABLE_IN_ALL
void                aa_mutation_observer_set_mutation (AaMutationObserver *self,
                                                       AaMutation         *mutation);
AA_AVAILABLE_IN_ALL
AaMutationState     aa_mutation_observer_get_state    (AaMutationObserver *self);
AA_AVAILABLE_IN_ALL
gboolean            aa_mutation_observer_get_busy     (AaMutationObserver *self);
AA_AVAILABLE_IN_ALL
const char         *aa_mutation_observer_get_message  (AaMutationObserver *self);
AA_AVAILABLE_IN_ALL
const GError       *aa_mutation_observer_get_error    (AaMutationObserver *self);
AA_AVAILABLE_IN_ALL
gboolean            aa_mutation_observer_get_settled  (AaMutationObserver *self);

G_END_DECLS
