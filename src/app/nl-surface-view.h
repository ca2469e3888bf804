/* nl-surface-view.h: a loss surface with the optimizers' trajectories, as a widget.
 *
 * A thin widget around nl_render_surface(): the background (bands, contour lines, colour
 * scale, axes) is drawn into an image only when the grid, the size, the view or the theme
 * change; the overlay (trajectories, markers, legend, hover box) every time the scene
 * does. The scene's pointers are borrowed: the owner keeps the data alive and calls
 * nl_surface_view_set_scene() again whenever any of it changed or moved.
 *
 * Hovering a trajectory's point shows its step, coordinates and loss (and, for projected
 * points, its true loss and distance from the plane). A click on the plot emits
 * ::point-chosen with the plane coordinates under the pointer.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-render.h"

G_BEGIN_DECLS

#define NL_TYPE_SURFACE_VIEW (nl_surface_view_get_type ())

G_DECLARE_FINAL_TYPE (NlSurfaceView, nl_surface_view, NL, SURFACE_VIEW, GtkWidget)

GtkWidget             *nl_surface_view_new        (void);
/* Copies the struct; the pointers in it are borrowed until the next call. */
void                   nl_surface_view_set_scene  (NlSurfaceView        *self,
                                                   const NlSurfaceScene *scene);
void                   nl_surface_view_set_dark   (NlSurfaceView        *self,
                                                   gboolean              dark);
/* The layout of the last drawn (or about to be drawn) frame at the widget's size. */
const NlSurfaceLayout *nl_surface_view_get_layout (NlSurfaceView        *self);
/* What a click at widget point (x, y) does: emits ::point-chosen when it is on the plot.
 * Returns whether it was. */
gboolean               nl_surface_view_click      (NlSurfaceView        *self,
                                                   double                x,
                                                   double                y);

G_END_DECLS
