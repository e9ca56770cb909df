#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AA_TYPE_CLAMP (aa_clamp_get_type ())

G_DECLARE_FINAL_TYPE (AaClamp, aa_clamp, AA, CLAMP, GtkWidget)

GtkWidget *aa_clamp_new              (void);
GtkWidget *aa_clamp_get_child        (AaClamp   *self);
void       aa_clamp_set_child        (AaClamp   *self,
                                      GtkWidget *child);
int        aa_clamp_get_maximum_size (AaClamp   *self);
void       aa_clamp_set_maximum_size (AaClamp   *self,
                                      int        maximum_size);

G_END_DECLS
