/* nl-boundary-view.h: the output view — decision boundary or regression surface.
 *
 * A thin widget around nl_render_boundary(): the network's output over the plane as a
 * heatmap with the training and test points on top. Hovering tells the coordinates, the
 * output there, and the point under the pointer. */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"

G_BEGIN_DECLS

#define NL_TYPE_BOUNDARY_VIEW (nl_boundary_view_get_type ())

G_DECLARE_FINAL_TYPE (NlBoundaryView, nl_boundary_view, NL, BOUNDARY_VIEW, GtkWidget)

GtkWidget *nl_boundary_view_new            (void);
void       nl_boundary_view_set_snapshot   (NlBoundaryView *self,
                                            NlSnapshot     *snapshot);
void       nl_boundary_view_set_dark       (NlBoundaryView *self,
                                            gboolean        dark);
gboolean   nl_boundary_view_get_show_test  (NlBoundaryView *self);
void       nl_boundary_view_set_show_test  (NlBoundaryView *self,
                                            gboolean        show_test);
gboolean   nl_boundary_view_get_discretize (NlBoundaryView *self);
void       nl_boundary_view_set_discretize (NlBoundaryView *self,
                                            gboolean        discretize);

G_END_DECLS
