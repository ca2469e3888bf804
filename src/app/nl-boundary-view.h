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
/* Rings one data point (index into the train or test points); −1 for none. Clicking a
 * point activates win.select-point with its index, training points first. */
void       nl_boundary_view_set_highlight  (NlBoundaryView *self,
                                            int             index,
                                            gboolean        is_test);
int        nl_boundary_view_get_highlight  (NlBoundaryView *self,
                                            gboolean       *is_test);
/* Draws these points instead of the snapshot's (override TRUE: the point editor's, at once
 * and even when there are none), or the snapshot's again (override FALSE). */
void       nl_boundary_view_override_points (NlBoundaryView *self,
                                             gboolean        override,
                                             const NnPoint  *train,
                                             guint           n_train,
                                             const NnPoint  *test,
                                             guint           n_test);

G_END_DECLS
