/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "aa-action-manager.h"

G_BEGIN_DECLS

#define AA_TYPE_LOAD_STATE (aa_load_state_get_type ())

G_DECLARE_FINAL_TYPE (AaLoadState, aa_load_state, AA, LOAD_STATE, GtkWidget)

/*
 * The states every page goes through, the same on each: loading (a spinner
 * and what is loading), unreachable (what could not be loaded, what to do,
 * and Retry, which activates "page.reload"), empty (how the list gets
 * something in it) and the content itself.
 *
 * Given a source (aa_load_state_set_source()) it also runs the page's
 * loading: it refreshes when first shown, shows loading only until the
 * first answer, the unreachable state while nothing was ever loaded, and a
 * toast with Retry ("win.reload") when a later reload fails; it cancels
 * what is on its way when disposed. The page shows content or empty once
 * "loaded" is TRUE, and keeps its "page.reload" calling
 * aa_load_state_reload().
 *
 * Properties: "content" (the page's own widget), "loading-label",
 * "empty-icon-name", "empty-title", "empty-description", "loaded"
 * (read-only).
 */
GtkWidget  *aa_load_state_new              (void);

GtkWidget  *aa_load_state_get_content      (AaLoadState  *self);
void        aa_load_state_set_content      (AaLoadState  *self,
                                            GtkWidget    *content);

/* What to refresh, once. @unreachable says what could not be loaded, from
 * where ("The invoices could not be loaded from URL."); @reload_failed what
 * a failed reload of a page already shown means ("Couldn’t reload the
 * invoices."). The next step is added to either from the error. */
void        aa_load_state_set_source       (AaLoadState     *self,
                                            AaActionManager *manager,
                                            AaRefreshFlags   flags,
                                            const char      *unreachable,
                                            const char      *reload_failed);
/* Refreshes from the source, unless a refresh is on its way already. */
void        aa_load_state_reload           (AaLoadState     *self);
/* Whether the source answered at least once. */
gboolean    aa_load_state_get_loaded       (AaLoadState     *self);

void        aa_load_state_show_content     (AaLoadState  *self,
                                            gboolean      empty);
/* "loading", "error", "empty" or "content". */
const char *aa_load_state_get_state        (AaLoadState  *self);
/* What could not be loaded and what to do, under the error's title. */
const char *aa_load_state_get_error_text   (AaLoadState  *self);

G_END_DECLS
