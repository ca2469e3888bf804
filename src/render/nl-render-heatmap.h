/* nl-render-heatmap.h: res×res grids of values turned into pixels.
 *
 * Grids follow nn_trainer_eval_grid(): row 0 at x2 = +6 (top), column 0 at x1 = −6
 * (left), so a grid maps to an image without flipping.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-types.h"
#include "nl-render-style.h"

G_BEGIN_DECLS

/* The value range a neuron's output is coloured with: tanh [−1, 1], sigmoid and softmax
 * [0, 1], ReLU, Leaky ReLU and identity symmetric by the grid's largest |value| (so zero
 * is always the neutral colour). `grid` may be NULL for the fixed ranges. */
void             nl_render_activation_range   (NnActivation a, const double *grid, gsize n,
                                               double *lo, double *hi);

/* Writes res×res opaque pixels into `dst` (ARGB32, `stride` bytes a row) through a
 * 256-entry lookup table, v = lo → lut[0], v = hi → lut[255]. */
void             nl_render_heatmap_fill       (guint32 *dst, int stride, const double *grid,
                                               guint res, double lo, double hi,
                                               const guint32 *lut);

/* Writes width × height pixels sampling the res×res grid bilinearly (values are
 * interpolated, then coloured: transitions stay sharp and exact). Cell centres of the grid
 * sit at the centres of equal-sized blocks of the destination, as when the res×res image
 * is scaled up. */
void             nl_render_heatmap_fill_scaled (guint32 *dst, int stride, int width,
                                                int height, const double *grid, guint res,
                                                double lo, double hi, const guint32 *lut);

/* A new res×res ARGB32 surface of the grid. */
cairo_surface_t *nl_render_heatmap_surface_new (const double *grid, guint res, double lo,
                                                double hi, const guint32 *lut);

/* Paints an image surface scaled into a rectangle, smoothly (bilinear) or NEAREST when
 * `smooth` is FALSE; works on image, PDF and SVG targets alike. */
void             nl_render_paint_surface_in_rect (cairo_t *cr, cairo_surface_t *surface,
                                                  double x, double y, double width,
                                                  double height, gboolean smooth);

/* The value of feature `feature_index` (0..NN_N_FEATURES−1, as nn_feature_nth) at a
 * point of the plane, and its symmetric colour range (±6 for x, 0..36 → ±36 for squares,
 * ±36 for x1·x2, ±1 for the sines). */
double           nl_render_feature_value      (guint feature_index, double x1, double x2);
double           nl_render_feature_extent     (guint feature_index);

G_END_DECLS
