#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AA_TYPE_LOAD_STATE (aa_load_state_get_type ())

G_DECLARE_FINAL_TYPE (AaLoadState, aa_load_state, AA, LOAD_STATE, GtkWidget)

/*
 * The states every page goes through, the same on each: loading (a spinner
 * and what is loading), unreachable (what could not be loaded, what to do,
 * and Retry, which activates "page.reload"), empty (how the list gets
 * something in it) and the content itself.
 *
 * Properties: "content" (the page's own widget), "loading-label",
 * "empty-icon-name", "empty-title", "empty-description".
 */
GtkWidget  *aa_load_state_new              (void);

GtkWidget  *aa_load_state_get_content      (AaLoadState  *self);
void        aa_load_state_set_content      (AaLoadState  *self,
                                            GtkWidget    *content);

void        aa_load_state_show_loading     (AaLoadState  *self);
/* @what says what could not be loaded, from where ("The invoices could not
 * be loaded from URL."); the next step is added from @error. */
void        aa_load_state_show_error       (AaLoadState  *self,
                                            const GError *error,
                                            const char   *what);
void        aa_load_state_show_content     (AaLoadState  *self,
                                            gboolean      empty);
/* "loading", "error", "empty" or "content". */
const char *aa_load_state_get_state        (AaLoadState  *self);
GtkWidget  *aa_load_state_get_error_label  (AaLoadState  *self);
/* A reload of a page already shown failed: what is on screen stays, and a
 * toast says so (@what: "Couldn’t reload the trash.") with Retry. */
void        aa_load_state_report_reload_failure (AaLoadState  *self,
                                                 const GError *error,
                                                 const char   *what);

G_END_DECLS
