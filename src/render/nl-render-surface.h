/* nl-render-surface.h: a two-parameter loss surface, the optimizers racing on it, and
 * their losses against the step.
 *
 * The surface plot draws a res × res grid of values (as nn_surface_eval_grid: row 0 at
 * the top of the box, column 0 at its left edge, the edges sampled) either as filled
 * contours or as a shaded 3-D surface:
 *
 *   contours  bands between levels in a sequential colour map, a colour scale with the
 *             level values, contour lines with labels on them. The levels are "nice"
 *             numbers, evenly spaced, or log-spaced (1-2-5 a decade, thinned) when most of
 *             the box lies in the bottom of a range spanning more than about two decades,
 *             as on Rosenbrock's or Beale's function (see nl_surface_levels_compute).
 *   3-D       an oblique view of the height field, lit from the upper left (hillshading),
 *             coloured by the same bands; on a log-levelled surface the heights are
 *             compressed (log(1 + k·t)) so the high walls do not dwarf the valleys.
 *
 * On top: the known minima (a star, hollow for a local one) and saddle points (a cross),
 * one trajectory per optimizer in its own colour with a start marker and a marker at its
 * current position, a legend naming every colour and marker, axis ticks and names, an
 * optional title and note (the network's plane: "the plane explains 86 % + 7 % of the
 * trajectories' variance"), and a hover box for one point of one trajectory giving its
 * step, coordinates and loss, and when the points are projections (network mode) its true
 * loss, the contour's value there and its distance from the plane.
 *
 * Drawing is split in two so a widget can keep the expensive part: the background (bands,
 * lines, labels, colour scale, axes) depends only on the grid, the size and the style; the
 * overlay (minima, trajectories, markers, legend, hover) changes every step. Image targets
 * get the bands written pixel by pixel; SVG and PDF get them as an embedded image at the
 * plot's size and everything else as vectors.
 *
 * The loss plot draws every trajectory's loss against the step, on a log scale when every
 * value shown is positive (optionally after subtracting the surface's minimum value, so a
 * surface with negative values still gets a log axis of "loss above the minimum").
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-surface.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

#define NL_SURFACE_MAX_LEVELS       24
#define NL_SURFACE_MAX_TRAJECTORIES 16
#define NL_SURFACE_N_COLORS         7

/* ---- Levels --------------------------------------------------------------------------- */

typedef struct
{
  gboolean log_scale;
  double   offset;   /* log scale: levels are offset + 10^k; linear: 0 */
  guint    n;        /* level values, increasing; bands are n + 1 (below, between, above) */
  double   values[NL_SURFACE_MAX_LEVELS];
  double   lo, hi;   /* the finite range of the grid */
  double   step;     /* linear spacing (for tick formatting), or 0 */
} NlSurfaceLevels;

/* Levels for the `n` values of a grid (non-finite ones are ignored). Log-spaced when the
 * range from the 5th percentile up to the largest value spans more than ~1.8 decades of
 * the values above the lowest one (and there are at least two distinct values). */
void     nl_surface_levels_compute  (NlSurfaceLevels *levels, const double *values, gsize n);
/* The band a value falls in, 0 … levels->n (below the first level is band 0); −1 for
 * NaN. */
int      nl_surface_levels_band     (const NlSurfaceLevels *levels, double v);
/* A value's position on the levels' scale, 0 at the lowest value, 1 at the highest
 * (log-scaled when the levels are); clamped. The height of the 3-D view. */
double   nl_surface_levels_position (const NlSurfaceLevels *levels, double v);

/* The colour of band b of n + 1 bands (the sequential map, washed a little toward the
 * plot's background so the trajectories stand out). */
NlRgba   nl_surface_band_color      (const NlRenderStyle *style, const NlSurfaceLevels *levels,
                                     guint band);
/* Colour k of the trajectories: colour-blind-safe (Okabe–Ito), distinct from the map. */
NlRgba   nl_surface_trajectory_color (const NlRenderStyle *style, guint k);

/* ---- The scene ------------------------------------------------------------------------ */

/* A polyline of n points; point i is at x[i·stride], y[i·stride] (stride in bytes, so an
 * array of any struct can be pointed at without a copy). */
typedef struct
{
  const char   *label;
  NlRgba        color;
  const double *x, *y, *loss;
  const double *residual;   /* distance of the real point from the plane, or NULL */
  gsize         stride;
  guint         n;
  gboolean      diverged;
} NlSurfaceTrajectory;

typedef enum
{
  NL_SURFACE_VIEW_CONTOURS,
  NL_SURFACE_VIEW_3D,
} NlSurfaceViewKind;

typedef struct
{
  /* The grid; NULL while it is being computed (then `message` is shown). */
  const double          *grid;
  guint                  res;
  NnBox                  box;
  guint64                grid_serial;    /* changes whenever the grid or box does */

  NlSurfaceViewKind      view;
  gboolean               equal_aspect;   /* one unit is as long on both axes */
  const char            *x_name, *y_name;
  const char            *title;          /* bold, top left; NULL for none */
  const char            *note;           /* a line under the title; NULL for none */
  const char            *message;        /* centred over the plot (progress); NULL */

  const NnCriticalPoint *critical;
  guint                  n_critical;

  const NlSurfaceTrajectory *trajectories;
  guint                  n_trajectories;
  gboolean               has_start;
  double                 start_x, start_y;

  /* Hover box for trajectories[hover_trajectory] point hover_point; −1 for none. */
  int                    hover_trajectory;
  int                    hover_point;
} NlSurfaceScene;

/* Zeroed, contours, no hover. */
void     nl_surface_scene_init      (NlSurfaceScene *scene);

/* ---- Layout ---------------------------------------------------------------------------- */

typedef struct
{
  double          width, height;
  NlRect          title;        /* title and note lines (height 0 when both are NULL) */
  NlRect          legend;       /* the legend's entries, above the plot */
  NlRect          plot;         /* the data area (the box, in the contour view) */
  NlRect          colorbar;     /* the bands of the colour scale */
  NlSurfaceLevels levels;
  NnBox           box;
  NlSurfaceViewKind view;
  /* 3-D: screen = origin + xr·u + yr·v − h·z for the box's fractions (xr, yr) ∈ [0, 1]²
   * and the height h ∈ [0, 1]. */
  double          o3[2], u3[2], v3[2], z3;
  /* Legend rows (for drawing): where each entry starts. */
  guint           n_legend;
  double          legend_x[NL_SURFACE_MAX_TRAJECTORIES + 4];
  double          legend_y[NL_SURFACE_MAX_TRAJECTORIES + 4];
  guint           n_x_ticks, n_y_ticks;
  double          x_ticks[16], y_ticks[16];
} NlSurfaceLayout;

void     nl_surface_layout_compute  (NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                                     double width, double height, const NlRenderStyle *style,
                                     NlRenderCache *cache);
/* Widget point of a plane point (x, y) at height h ∈ [0, 1] (ignored by the contour
 * view). */
void     nl_surface_layout_to_widget (const NlSurfaceLayout *layout, double x, double y,
                                      double h, double *wx, double *wy);
/* The 3-D view's height (0 … 1) of a value. */
double   nl_surface_layout_height_of (const NlSurfaceLayout *layout, double v);
/* Plane point under a widget point: exact in the contour view; in the 3-D view the grid
 * node drawn nearest to it (needs the scene's grid). FALSE outside the plot. */
gboolean nl_surface_layout_from_widget (const NlSurfaceLayout *layout,
                                        const NlSurfaceScene *scene, double wx, double wy,
                                        double *x, double *y);
/* The trajectory point drawn nearest (wx, wy) within `radius` pixels: TRUE with its
 * trajectory and index. */
gboolean nl_surface_layout_hit_test (const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                                     double wx, double wy, double radius, int *trajectory,
                                     int *point);
/* The grid's value at (x, y), interpolated bilinearly (NAN outside the box or without a
 * grid). */
double   nl_surface_scene_value_at  (const NlSurfaceScene *scene, double x, double y);

/* ---- Drawing --------------------------------------------------------------------------- */

void     nl_render_surface_background (cairo_t *cr, const NlSurfaceLayout *layout,
                                       const NlSurfaceScene *scene, const NlRenderStyle *style,
                                       NlRenderCache *cache);
void     nl_render_surface_overlay    (cairo_t *cr, const NlSurfaceLayout *layout,
                                       const NlSurfaceScene *scene, const NlRenderStyle *style,
                                       NlRenderCache *cache);
/* Both. */
void     nl_render_surface            (cairo_t *cr, const NlSurfaceLayout *layout,
                                       const NlSurfaceScene *scene, const NlRenderStyle *style,
                                       NlRenderCache *cache);

/* ---- Loss against the step -------------------------------------------------------------- */

typedef struct
{
  const NlSurfaceTrajectory *series;  /* their `loss` and `color`, `label` */
  guint                      n_series;
  guint                      max_step; /* the x axis covers 0 … max(max_step, longest) */
  gboolean                   log_scale;
  double                     offset;   /* subtracted from every loss (a surface's minimum) */
  const char                *y_name;   /* NULL: "Loss" / "Loss (log scale)" */
} NlRaceLossScene;

typedef struct
{
  double   width, height;
  NlRect   plot;
  NlRect   legend;
  gboolean log_scale;      /* as drawn: requested and every value shown positive */
  double   x_min, x_max, y_min, y_max; /* log scale: y in log10 */
  guint    n_x_ticks, n_y_ticks;
  double   x_ticks[16], y_ticks[16];
  double   y_step;         /* spacing of evenly spaced y ticks (labels' digits), or 0 */
} NlRaceLossLayout;

void     nl_race_loss_layout_compute (NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                                      double width, double height, const NlRenderStyle *style);
/* Widget point of (step, loss) (loss before the offset); y NAN when it cannot be shown. */
void     nl_race_loss_layout_to_widget (const NlRaceLossLayout *layout,
                                        const NlRaceLossScene *scene, double step, double loss,
                                        double *wx, double *wy);
void     nl_render_race_loss         (cairo_t *cr, const NlRaceLossLayout *layout,
                                      const NlRaceLossScene *scene, const NlRenderStyle *style,
                                      NlRenderCache *cache);

/* ---- The race as one figure ------------------------------------------------------------ */

/* The surface with its trajectories above, the loss against the step below (a quarter of
 * the height, at least 200 units), as the compare window exports it and `neural-lab-cli
 * compare --figure` writes it. The background is the caller's. */
void     nl_render_race_picture      (cairo_t *cr, const NlSurfaceScene *surface,
                                      const NlRaceLossScene *loss, const NlRenderStyle *style,
                                      NlRenderCache *cache, double width, double height);

G_END_DECLS
