/* nl-render-boundary.h: the output view — decision boundary or regression surface.
 *
 * The network's output over the plane is a res×res grid (row 0 at x2 = +6, column 0 at
 * x1 = −6, as nn_trainer_eval_grid) turned into an image and scaled smoothly into a square
 * plot, with the train points (filled, outlined) and test points (hollow rings) on top,
 * axes −6…6 with x₁ / x₂ titles and a legend (a colour bar, or class swatches).
 *
 * Colouring:
 *  - `values` (binary classification with one sigmoid/tanh output, or regression): the
 *    diverging map over [value_lo, value_hi], the middle being the class threshold.
 *    Binary points: class 0 the value_lo colour, class 1 the value_hi colour. Regression
 *    points: their target through the same map.
 *  - `class_probs` (softmax, K grids) or `class_index` + `class_confidence` (per pixel):
 *    each pixel the colour of its most likely class, washed toward neutral as the
 *    confidence falls to chance (1/K). Points: their class colour.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-types.h"
#include "nn-dataset.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

typedef enum
{
  NL_BOUNDARY_LAYOUT_DEFAULT   = 0,
  NL_BOUNDARY_LAYOUT_NO_AXES   = 1 << 0,  /* plot fills the area (dataset thumbnails) */
  NL_BOUNDARY_LAYOUT_NO_LEGEND = 1 << 1,
} NlBoundaryLayoutFlags;

typedef struct
{
  double                width, height;
  NlBoundaryLayoutFlags flags;
  NlRect                plot;     /* the square heatmap, [−6, 6]² */
  NlRect                legend;   /* right of the plot; height 0 without a legend */
  double                font_scale;
  double                point_radius;
} NlBoundaryLayout;

void     nl_boundary_layout_compute    (NlBoundaryLayout *layout, NlBoundaryLayoutFlags flags,
                                        double width, double height,
                                        const NlRenderStyle *style);
/* Widget (x, y) → plane (x1, x2); TRUE when inside the plot. Always writes x1, x2. */
gboolean nl_boundary_layout_to_plane   (const NlBoundaryLayout *layout, double x, double y,
                                        double *x1, double *x2);
/* Plane (x1, x2) → widget (x, y). */
void     nl_boundary_layout_from_plane (const NlBoundaryLayout *layout, double x1, double x2,
                                        double *x, double *y);

typedef struct
{
  NnProblem       problem;
  guint           res;
  /* Either a value grid ... */
  const double   *values;            /* res×res */
  double          value_lo;          /* colour range; lo == hi: symmetric by max |v| */
  double          value_hi;
  /* ... or classes. */
  guint           n_classes;         /* classification: 2..8 */
  const double   *class_probs;       /* n_classes grids res×res one after the other */
  const guint8   *class_index;       /* or: res×res most likely class ... */
  const float    *class_confidence;  /* ... and its probability (NULL: certain) */

  const NnPoint  *train;
  guint           n_train;
  const NnPoint  *test;
  guint           n_test;
  gboolean        show_train;
  gboolean        show_test;
  gboolean        discretize;        /* hard class colours / sign of the output */
  /* A highlighted point (issue 7): index into train or test, −1 for none. */
  int             highlight_index;
  gboolean        highlight_is_test;
  /* Legend caption, NULL for "Output" (classification) or "Prediction" (regression). */
  const char     *value_label;
  guint64         serial;            /* bump when the grids change; 0 = always rebuild */
} NlBoundaryScene;

/* Zeroed, both point sets shown, no highlight. */
void     nl_boundary_scene_init  (NlBoundaryScene *scene);

void     nl_render_boundary      (cairo_t *cr, const NlBoundaryLayout *layout,
                                  const NlBoundaryScene *scene, const NlRenderStyle *style,
                                  NlRenderCache *cache);

/* The drawn point nearest to (x, y) within `radius` pixels (shown sets only): TRUE with
 * its index and which set it is in. */
gboolean nl_boundary_hit_point   (const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
                                  double x, double y, double radius, int *index,
                                  gboolean *is_test);

G_END_DECLS
