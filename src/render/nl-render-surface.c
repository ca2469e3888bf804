/* nl-render-surface.c: contours or a shaded 3-D view of a loss surface, the optimizers'
 * trajectories on it, and their losses against the step. */
#include "nl-render-surface.h"
#include "nl-render-private.h"
#include "nl-render-loss.h"
#include "nl-render-raster.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN        10.0
#define TICK_LEN      4.0
#define COLORBAR_W    16.0
#define LOG_SPAN      60.0   /* range / (5th percentile − lowest): ~1.8 decades */
#define MAX_3D_CELLS  100    /* the 3-D view draws at most this many quads a side */
#define HEIGHT_LOG_K  40.0   /* log-levelled surfaces: how much the 3-D heights compress */
#define HALO_W        5.5
#define LINE_W        2.75

/* ---------------------------------------------------------------------------------------
 * Levels
 */

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
linear_levels (NlSurfaceLevels *levels)
{
  double ticks[NL_SURFACE_MAX_LEVELS + 2];
  guint n = nl_render_nice_ticks (levels->lo, levels->hi, 10, ticks, G_N_ELEMENTS (ticks));

  levels->step = n > 1 ? ticks[1] - ticks[0] : 0;
  /* Only the levels strictly inside the range: a level at the lowest value would make an
   * empty band. */
  for (guint i = 0; i < n && levels->n < NL_SURFACE_MAX_LEVELS; i++)
    if (ticks[i] > levels->lo + levels->step * 1e-9 && ticks[i] < levels->hi)
      levels->values[levels->n++] = ticks[i];
}

static void
log_levels (NlSurfaceLevels *levels, double bottom)
{
  static const double mults125[] = { 1, 2, 5 }, mults13[] = { 1, 3 }, mults1[] = { 1 };
  double top = levels->hi - levels->offset, decades;
  const double *mults;
  guint n_mults, every = 1;
  int e0, e1;

  decades = log10 (top / bottom);
  if (decades <= 3.5)
    mults = mults125, n_mults = 3;
  else if (decades <= 7)
    mults = mults13, n_mults = 2;
  else
    mults = mults1, n_mults = 1, every = decades > 16 ? 2 : 1;
  e0 = (int) floor (log10 (bottom));
  e1 = (int) ceil (log10 (top));
  for (int e = e0; e <= e1; e++)
    {
      if ((e - e0) % every != 0)
        continue;
      for (guint m = 0; m < n_mults; m++)
        {
          double level = mults[m] * pow (10.0, e);
          if (level >= bottom && level < top && levels->n < NL_SURFACE_MAX_LEVELS)
            levels->values[levels->n++] = levels->offset + level;
        }
    }
}

void
nl_surface_levels_compute (NlSurfaceLevels *levels, const double *values, gsize n)
{
  g_autofree double *sorted = NULL;
  gsize m = 0;
  double p5, span;

  g_return_if_fail (levels != NULL);

  memset (levels, 0, sizeof *levels);
  levels->lo = 0.0, levels->hi = 1.0;
  if (values == NULL || n == 0)
    return;
  sorted = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      sorted[m++] = values[i];
  if (m == 0)
    return;
  qsort (sorted, m, sizeof (double), compare_doubles);
  levels->lo = sorted[0];
  levels->hi = sorted[m - 1];
  if (!(levels->hi - levels->lo > 1e-12 * MAX (fabs (levels->hi), 1e-300)))
    {
      /* A flat grid: one band, and a range that does not divide by zero. */
      levels->hi = levels->lo + MAX (fabs (levels->lo) * 1e-6, 1e-12);
      return;
    }
  p5 = sorted[m * 5 / 100];
  span = p5 > levels->lo ? (levels->hi - levels->lo) / (p5 - levels->lo) : INFINITY;
  if (span > LOG_SPAN)
    {
      double bottom;

      /* Decades of the loss itself when it is positive (the usual case); of the height
       * above the lowest value when the surface goes below zero. */
      levels->log_scale = TRUE;
      levels->offset = levels->lo < 0 ? levels->lo : 0.0;
      bottom = levels->lo - levels->offset;
      if (!(bottom > 0))
        {
          /* The lowest value is the offset itself: start at the smallest height above it. */
          gsize i = 0;
          while (i < m && !(sorted[i] - levels->offset > 0))
            i++;
          bottom = i < m ? sorted[i] - levels->offset : 1.0;
        }
      bottom = MAX (bottom, (levels->hi - levels->offset) * 1e-9);
      log_levels (levels, bottom);
    }
  else
    linear_levels (levels);
}

int
nl_surface_levels_band (const NlSurfaceLevels *levels, double v)
{
  guint lo = 0, hi = levels->n;

  if (isnan (v))
    return -1;
  /* The number of levels at or below v. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (levels->values[mid] <= v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo;
}

static double
log_bottom (const NlSurfaceLevels *levels)
{
  double first = levels->n > 0 ? levels->values[0] - levels->offset : 1.0;
  double lowest = levels->lo - levels->offset;

  /* Where the height scale starts: the lowest value, or a decade under the first level
   * when the lowest is the offset itself. */
  return lowest > 0 ? MIN (lowest, first) : first / 10.0;
}

double
nl_surface_levels_position (const NlSurfaceLevels *levels, double v)
{
  double t;

  if (isnan (v))
    return 0.0;
  if (levels->log_scale)
    {
      double b = log_bottom (levels), top = levels->hi - levels->offset;
      double u = MAX (v - levels->offset, b);
      t = (log10 (u) - log10 (b)) / (log10 (top) - log10 (b));
    }
  else
    t = (v - levels->lo) / (levels->hi - levels->lo);
  return CLAMP (t, 0.0, 1.0);
}

NlRgba
nl_surface_band_color (const NlRenderStyle *style, const NlSurfaceLevels *levels, guint band)
{
  double t = (band + 0.5) / (levels->n + 1.0);
  NlRgba c = nl_render_style_sequential (style, t);
  /* Washed a little toward the plot's background, so saturated trajectories stand out. */
  double wash = style->theme == NL_RENDER_THEME_DARK ? 0.18 : 0.3;

  return nl_rgba_mix (&c, &style->surface, wash);
}

/* The washed map at a value's position (the 3-D view's continuous colouring). */
static NlRgba
surface_color (const NlRenderStyle *style, const NlSurfaceLevels *levels, double v)
{
  NlRgba c = nl_render_style_sequential (style, nl_surface_levels_position (levels, v));
  double wash = style->theme == NL_RENDER_THEME_DARK ? 0.18 : 0.3;

  return nl_rgba_mix (&c, &style->surface, wash);
}

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                   ((hex) & 0xff) / 255.0, 1.0 }

NlRgba
nl_surface_trajectory_color (const NlRenderStyle *style, guint k)
{
  /* Okabe & Ito's palette without the yellow, which the sequential map ends in. */
  static const NlRgba light[NL_SURFACE_N_COLORS] = {
    RGB (0xd55e00), RGB (0x0072b2), RGB (0x009e73), RGB (0xcc79a7), RGB (0xe69f00),
    RGB (0x56b4e9), RGB (0x1e1e24),
  };
  static const NlRgba dark[NL_SURFACE_N_COLORS] = {
    RGB (0xff7a33), RGB (0x4aa8f0), RGB (0x22d39c), RGB (0xf09ccc), RGB (0xffc02e),
    RGB (0x8fd6ff), RGB (0xf6f6f8),
  };

  return (style->theme == NL_RENDER_THEME_DARK ? dark : light)[k % NL_SURFACE_N_COLORS];
}

/* ---------------------------------------------------------------------------------------
 * Scene and layout
 */

void
nl_surface_scene_init (NlSurfaceScene *scene)
{
  g_return_if_fail (scene != NULL);

  memset (scene, 0, sizeof *scene);
  scene->box = (NnBox) { -1, 1, -1, 1 };
  scene->hover_trajectory = -1;
  scene->hover_point = -1;
}

static inline double
traj_value (const double *base, gsize stride, guint i)
{
  return *(const double *) ((const guint8 *) base + (gsize) i * stride);
}

/* Text is measured with a scratch context: layouts are pure arithmetic for the caller. */
typedef struct
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  NlRenderCache   *cache;
  NlRenderCache   *given;
} Measure;

static void
measure_begin (Measure *m, NlRenderCache *cache)
{
  m->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  m->cr = cairo_create (m->surface);
  m->given = cache;
  m->cache = nl_render_cache_acquire (cache);
}

static void
measure_end (Measure *m)
{
  cairo_destroy (m->cr);
  cairo_surface_destroy (m->surface);
  nl_render_cache_release (m->given, m->cache);
}

static double
text_width (Measure *m, const NlRenderStyle *style, const char *text, double size,
            NlTextFlags flags)
{
  double w;

  nl_text_measure (m->cr, m->cache, style, text, size, flags, &w, NULL);
  return w;
}

static void
format_level (char *buf, gsize size, const NlSurfaceLevels *levels, double v)
{
  if (levels->log_scale)
    nl_format_tick (buf, size, v, MAX (fabs (v - levels->offset), 1e-300));
  else
    nl_format_tick (buf, size, v, levels->step > 0 ? levels->step : fabs (v) / 10);
}

/* The legend's entries in order: trajectories, the start, the kinds of critical points
 * present. Returns how many, with their labels. */
typedef enum
{
  ENTRY_TRAJECTORY,
  ENTRY_START,
  ENTRY_GLOBAL,
  ENTRY_LOCAL,
  ENTRY_SADDLE,
} EntryKind;

typedef struct
{
  EntryKind kind;
  guint     index;
  char      text[128];
} LegendEntry;

static guint
legend_entries (const NlSurfaceScene *scene, LegendEntry *entries)
{
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  guint n = 0;

  for (guint t = 0; t < scene->n_trajectories && t < NL_SURFACE_MAX_TRAJECTORIES; t++)
    {
      const NlSurfaceTrajectory *tr = &scene->trajectories[t];
      entries[n].kind = ENTRY_TRAJECTORY;
      entries[n].index = t;
      if (tr->diverged)
        g_snprintf (entries[n].text, sizeof entries[n].text, _("%s (diverged)"),
                    tr->label ? tr->label : "");
      else
        g_strlcpy (entries[n].text, tr->label ? tr->label : "", sizeof entries[n].text);
      n++;
    }
  if (scene->has_start)
    {
      entries[n].kind = ENTRY_START;
      g_strlcpy (entries[n].text, _("Start"), sizeof entries[n].text);
      n++;
    }
  for (guint i = 0; i < scene->n_critical; i++)
    seen[MIN (scene->critical[i].kind, 2)] = TRUE;
  if (seen[NN_CRITICAL_GLOBAL_MINIMUM])
    {
      entries[n].kind = ENTRY_GLOBAL;
      g_strlcpy (entries[n].text, _("Global minimum"), sizeof entries[n].text);
      n++;
    }
  if (seen[NN_CRITICAL_LOCAL_MINIMUM])
    {
      entries[n].kind = ENTRY_LOCAL;
      g_strlcpy (entries[n].text, _("Local minimum"), sizeof entries[n].text);
      n++;
    }
  if (seen[NN_CRITICAL_SADDLE])
    {
      entries[n].kind = ENTRY_SADDLE;
      g_strlcpy (entries[n].text, _("Saddle point"), sizeof entries[n].text);
      n++;
    }
  return n;
}

#define SWATCH_W 30.0
#define LEGEND_SIZE 0.95

static void
layout_legend (NlSurfaceLayout *layout, const NlSurfaceScene *scene,
               const NlRenderStyle *style, Measure *m, double top)
{
  LegendEntry entries[NL_SURFACE_MAX_TRAJECTORIES + 4];
  guint n = legend_entries (scene, entries);
  double row = ceil (nl_text_px (style, LEGEND_SIZE) * 1.55);
  double x0 = MARGIN + 4, right = layout->width - MARGIN, x = x0, y = top;

  layout->n_legend = n;
  for (guint i = 0; i < n; i++)
    {
      double w = SWATCH_W + 6 + text_width (m, style, entries[i].text, LEGEND_SIZE,
                                            NL_TEXT_REGULAR) + 18;
      if (x > x0 && x + w > right)
        x = x0, y += row;
      layout->legend_x[i] = x;
      layout->legend_y[i] = y;
      x += w;
    }
  layout->legend = (NlRect) { MARGIN, top, layout->width - 2 * MARGIN,
                              n > 0 ? y + row - top : 0 };
}

/* Fits the 3-D view's projection of the unit box into `area`. */
static void
layout_3d (NlSurfaceLayout *layout, const NlRect *area)
{
  const double theta = -0.62, kd = 0.52, kh = 0.5;
  double c = cos (theta), s = sin (theta);
  double u[2] = { c, -kd * s }, v[2] = { -s, -kd * c };
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY, scale;

  /* The projection with unit scale at the origin, then scaled and centred. */
  for (int i = 0; i < 8; i++)
    {
      double xr = i & 1, yr = (i >> 1) & 1, h = (i >> 2) & 1;
      double sx = xr * u[0] + yr * v[0];
      double sy = xr * u[1] + yr * v[1] - h * kh;
      xmin = MIN (xmin, sx), xmax = MAX (xmax, sx);
      ymin = MIN (ymin, sy), ymax = MAX (ymax, sy);
    }
  scale = MIN (area->width / (xmax - xmin), area->height / (ymax - ymin));
  layout->u3[0] = u[0] * scale, layout->u3[1] = u[1] * scale;
  layout->v3[0] = v[0] * scale, layout->v3[1] = v[1] * scale;
  layout->z3 = kh * scale;
  layout->o3[0] = area->x + (area->width - (xmax - xmin) * scale) / 2 - xmin * scale;
  layout->o3[1] = area->y + (area->height - (ymax - ymin) * scale) / 2 - ymin * scale;
}

void
nl_surface_layout_compute (NlSurfaceLayout *layout, const NlSurfaceScene *scene, double width,
                           double height, const NlRenderStyle *style, NlRenderCache *cache)
{
  double px = nl_text_px (style, 0.92), top = MARGIN, left, right, bottom, label_w = 0;
  Measure m;

  g_return_if_fail (layout != NULL && scene != NULL && style != NULL);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  layout->box = scene->box;
  layout->view = scene->view;
  if (scene->grid != NULL && scene->res >= 2)
    nl_surface_levels_compute (&layout->levels, scene->grid, (gsize) scene->res * scene->res);
  else
    nl_surface_levels_compute (&layout->levels, NULL, 0);

  measure_begin (&m, cache);
  /* Title and note. */
  if (scene->title != NULL || scene->note != NULL)
    {
      double h = (scene->title ? ceil (nl_text_px (style, 1.1) * 1.35) : 0)
                 + (scene->note ? ceil (nl_text_px (style, 0.95) * 1.4) : 0);
      layout->title = (NlRect) { MARGIN, top, width - 2 * MARGIN, h };
      top += h + 4;
    }
  layout_legend (layout, scene, style, &m, top);
  top += layout->legend.height + (layout->legend.height > 0 ? 8 : 0);

  /* The colour scale's labels. */
  for (guint i = 0; i < layout->levels.n; i++)
    {
      char label[32];
      format_level (label, sizeof label, &layout->levels, layout->levels.values[i]);
      label_w = MAX (label_w, text_width (&m, style, label, 0.85, NL_TEXT_REGULAR));
    }
  label_w = MAX (label_w, text_width (&m, style, _("Loss"), 0.85, NL_TEXT_BOLD) - COLORBAR_W);
  measure_end (&m);

  right = MARGIN + COLORBAR_W + 6 + ceil (label_w) + 8;
  if (scene->view == NL_SURFACE_VIEW_3D)
    {
      NlRect area;

      left = MARGIN;
      bottom = MARGIN + ceil (px * 1.4);
      area = (NlRect) { left + px * 2, top + px * 1.6, MAX (width - left - right - px * 4, 1),
                        MAX (height - top - bottom - px * 2.2, 1) };
      layout->plot = (NlRect) { left, top, MAX (width - left - right, 1),
                                MAX (height - top - bottom, 1) };
      layout_3d (layout, &area);
    }
  else
    {
      double w, h;

      /* Tick labels are about 4.5 digits wide; the y axis' name is rotated beside them. */
      left = MARGIN + ceil (px * 1.5) + ceil (px * 3.4) + TICK_LEN + 4;
      bottom = TICK_LEN + 3 + ceil (px * 1.35) + ceil (px * 1.45) + MARGIN;
      w = MAX (width - left - right, 1);
      h = MAX (height - top - bottom - px * 0.5, 1);
      if (scene->equal_aspect)
        {
          double bw = scene->box.x_max - scene->box.x_min, bh = scene->box.y_max - scene->box.y_min;
          double unit = MIN (w / bw, h / bh);
          double nw = bw * unit, nh = bh * unit;

          left += (w - nw) / 2;
          w = nw, h = nh;
        }
      layout->plot = (NlRect) { left, top + px * 0.5, w, h };
      /* Ten ticks at most: a big export still reads at a glance (and 1-2-5 steps for more
       * than ten could overflow the sixteen places). */
      layout->n_x_ticks = nl_render_nice_ticks (scene->box.x_min, scene->box.x_max,
                                                CLAMP ((guint) (w / 85), 2, 10), layout->x_ticks, 16);
      layout->n_y_ticks = nl_render_nice_ticks (scene->box.y_min, scene->box.y_max,
                                                CLAMP ((guint) (h / 55), 2, 10), layout->y_ticks, 16);
    }
  {
    double bar_h = MIN (layout->plot.height, 36.0 * (layout->levels.n + 1));
    double bar_top = layout->plot.y + px * 1.6;

    bar_h = MIN (bar_h, layout->plot.y + layout->plot.height - bar_top);
    /* Beside the plot: a narrow plot centred in a wide area keeps its scale close. */
    layout->colorbar = (NlRect) { MIN (width - right + 6, layout->plot.x + layout->plot.width + 22),
                                  bar_top, COLORBAR_W, MAX (bar_h, 1) };
  }
}

void
nl_surface_layout_to_widget (const NlSurfaceLayout *layout, double x, double y, double h,
                             double *wx, double *wy)
{
  const NnBox *b = &layout->box;
  double xr = (x - b->x_min) / (b->x_max - b->x_min);
  double yr = (y - b->y_min) / (b->y_max - b->y_min);

  if (layout->view == NL_SURFACE_VIEW_3D)
    {
      *wx = layout->o3[0] + xr * layout->u3[0] + yr * layout->v3[0];
      *wy = layout->o3[1] + xr * layout->u3[1] + yr * layout->v3[1] - h * layout->z3;
      return;
    }
  *wx = layout->plot.x + xr * layout->plot.width;
  *wy = layout->plot.y + (1.0 - yr) * layout->plot.height;
}

static double
grid_at (const double *grid, guint res, double col, double row)
{
  int c0 = CLAMP ((int) floor (col), 0, (int) res - 2);
  int r0 = CLAMP ((int) floor (row), 0, (int) res - 2);
  double fc = CLAMP (col - c0, 0.0, 1.0), fr = CLAMP (row - r0, 0.0, 1.0);
  const double *a = grid + (gsize) r0 * res + c0, *b = a + res;

  return (a[0] * (1 - fc) + a[1] * fc) * (1 - fr) + (b[0] * (1 - fc) + b[1] * fc) * fr;
}

double
nl_surface_scene_value_at (const NlSurfaceScene *scene, double x, double y)
{
  const NnBox *b = &scene->box;
  double col, row;

  if (scene->grid == NULL || scene->res < 2 || !(x >= b->x_min && x <= b->x_max)
      || !(y >= b->y_min && y <= b->y_max))
    return NAN;
  col = (x - b->x_min) / (b->x_max - b->x_min) * (scene->res - 1);
  row = (b->y_max - y) / (b->y_max - b->y_min) * (scene->res - 1);
  return grid_at (scene->grid, scene->res, col, row);
}

/* The 3-D view's height of a value: its linear position in the range, compressed as
 * log(1 + k t) when the levels are log-spaced. Log heights proper would turn a narrow
 * valley sampled on a grid into a row of spikes; this keeps the valley floor linear and
 * only flattens the high walls. */
static double
height_of (const NlSurfaceLevels *levels, double v)
{
  double t;

  if (isnan (v))
    return 0.0;
  t = CLAMP ((v - levels->lo) / (levels->hi - levels->lo), 0.0, 1.0);
  if (levels->log_scale)
    t = log1p (HEIGHT_LOG_K * t) / log1p (HEIGHT_LOG_K);
  return t;
}

double
nl_surface_layout_height_of (const NlSurfaceLayout *layout, double v)
{
  return height_of (&layout->levels, v);
}

static double
height_at (const NlSurfaceLayout *layout, const NlSurfaceScene *scene, double x, double y,
           double fallback)
{
  double v = nl_surface_scene_value_at (scene, x, y);

  return height_of (&layout->levels, isnan (v) ? fallback : v);
}

gboolean
nl_surface_layout_from_widget (const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                               double wx, double wy, double *x, double *y)
{
  const NnBox *b = &layout->box;

  if (layout->view == NL_SURFACE_VIEW_3D)
    {
      double best = INFINITY;
      guint res = scene->res, step;

      if (scene->grid == NULL || res < 2)
        return FALSE;
      /* The node drawn nearest the pointer; ties go to the front one. */
      step = MAX (1, (res - 1) / 120);
      for (guint r = 0; r < res; r += step)
        for (guint c = 0; c < res; c += step)
          {
            double nx = nn_box_node_x (b, res, c), ny = nn_box_node_y (b, res, r), sx, sy, d;
            double h = height_of (&layout->levels, scene->grid[r * res + c]);

            nl_surface_layout_to_widget (layout, nx, ny, h, &sx, &sy);
            d = (sx - wx) * (sx - wx) + (sy - wy) * (sy - wy);
            if (d <= best)
              best = d, *x = nx, *y = ny;
          }
      return best < 15.0 * 15.0;
    }
  if (wx < layout->plot.x || wx > layout->plot.x + layout->plot.width || wy < layout->plot.y
      || wy > layout->plot.y + layout->plot.height)
    return FALSE;
  *x = b->x_min + (wx - layout->plot.x) / layout->plot.width * (b->x_max - b->x_min);
  *y = b->y_max - (wy - layout->plot.y) / layout->plot.height * (b->y_max - b->y_min);
  return TRUE;
}

static void
point_to_widget (const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                 const NlSurfaceTrajectory *t, guint i, double *wx, double *wy)
{
  double x = traj_value (t->x, t->stride, i), y = traj_value (t->y, t->stride, i);
  double h = 0;

  if (layout->view == NL_SURFACE_VIEW_3D)
    h = height_at (layout, scene, x, y, t->loss ? traj_value (t->loss, t->stride, i) : NAN);
  nl_surface_layout_to_widget (layout, x, y, h, wx, wy);
}

gboolean
nl_surface_layout_hit_test (const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                            double wx, double wy, double radius, int *trajectory, int *point)
{
  double best = radius * radius;
  gboolean found = FALSE;

  for (guint t = 0; t < scene->n_trajectories; t++)
    {
      const NlSurfaceTrajectory *tr = &scene->trajectories[t];
      for (guint i = 0; i < tr->n; i++)
        {
          double sx, sy, d;

          point_to_widget (layout, scene, tr, i, &sx, &sy);
          d = (sx - wx) * (sx - wx) + (sy - wy) * (sy - wy);
          /* `<=`: of points drawn on top of each other, the latest step wins. */
          if (d <= best)
            {
              best = d;
              *trajectory = (int) t;
              *point = (int) i;
              found = TRUE;
            }
        }
    }
  return found;
}

/* ---------------------------------------------------------------------------------------
 * Background: filled bands
 */

/* The bands of the plot rectangle as an image at the device's pixel size (or twice the
 * user size for vector targets), painted into place. */
static void
draw_bands (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
            const NlRenderStyle *style)
{
  const NlRect *p = &layout->plot;
  const NnBox *b = &layout->box;
  double scale = nl_raster_pixel_scale (cr);
  guint32 lut[NL_SURFACE_MAX_LEVELS + 1], nan_pixel;
  cairo_surface_t *image;
  guint32 *data;
  int w, h, stride;
  g_autofree int *c0 = NULL;
  g_autofree float *fc = NULL;

  if (scene->grid == NULL || scene->res < 2)
    return;
  if (scale <= 0)
    scale = 2.0;
  w = MAX (1, (int) ceil (p->width * scale));
  h = MAX (1, (int) ceil (p->height * scale));
  for (guint i = 0; i <= layout->levels.n; i++)
    {
      NlRgba c = nl_surface_band_color (style, &layout->levels, i);
      lut[i] = nl_rgba_to_pixel (&c);
    }
  nan_pixel = nl_rgba_to_pixel (&style->grid);

  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  data = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  /* Each column's grid cell and weight, once. */
  c0 = g_new (int, w);
  fc = g_new (float, w);
  for (int x = 0; x < w; x++)
    {
      double col = (x + 0.5) / w * (scene->res - 1);
      c0[x] = CLAMP ((int) floor (col), 0, (int) scene->res - 2);
      fc[x] = (float) (col - c0[x]);
    }
  for (int y = 0; y < h; y++)
    {
      double row = (y + 0.5) / h * (scene->res - 1);
      int r0 = CLAMP ((int) floor (row), 0, (int) scene->res - 2);
      double fr = row - r0;
      const double *top = scene->grid + (gsize) r0 * scene->res, *bot = top + scene->res;
      guint32 *out = data + (gsize) y * stride;

      for (int x = 0; x < w; x++)
        {
          int c = c0[x];
          double f = fc[x];
          double v = (top[c] + (top[c + 1] - top[c]) * f) * (1 - fr)
                     + (bot[c] + (bot[c + 1] - bot[c]) * f) * fr;
          int band = nl_surface_levels_band (&layout->levels, v);

          /* +∞ (a loss that overflowed) belongs to the top band; NaN shows as a hole. */
          out[x] = band >= 0 ? lut[band] : nan_pixel;
        }
    }
  cairo_surface_mark_dirty (image);
  (void) b;

  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->width, p->height);
  cairo_clip (cr);
  cairo_translate (cr, p->x, p->y);
  cairo_scale (cr, p->width / w, p->height / h);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

/* ---------------------------------------------------------------------------------------
 * Background: contour lines (marching squares) and their labels
 */

typedef struct
{
  double x0, y0, x1, y1;
} Segment;

static double
lerp_t (double a, double b, double level)
{
  double d = b - a;

  return d != 0 ? CLAMP ((level - a) / d, 0.0, 1.0) : 0.5;
}

static void
add_segment (GArray *segments, const double *ex, const double *ey, int e1, int e2)
{
  Segment s = { ex[e1], ey[e1], ex[e2], ey[e2] };

  g_array_append_val (segments, s);
}

/* Segments of one level in widget coordinates. Corners: a top left, b top right, c bottom
 * right, d bottom left; edges 0 top, 1 right, 2 bottom, 3 left. */
static void
contour_level (const NlSurfaceLayout *layout, const NlSurfaceScene *scene, double level,
               GArray *segments)
{
  const NlRect *p = &layout->plot;
  guint res = scene->res;
  double cw = p->width / (res - 1), ch = p->height / (res - 1);

  for (guint r = 0; r + 1 < res; r++)
    for (guint c = 0; c + 1 < res; c++)
      {
        const double *row = scene->grid + (gsize) r * res;
        double va = row[c], vb = row[c + 1], vc = row[res + c + 1], vd = row[res + c];
        double ex[4], ey[4], x = p->x + c * cw, y = p->y + r * ch;
        int code;

        if (!isfinite (va) || !isfinite (vb) || !isfinite (vc) || !isfinite (vd))
          continue;
        code = (va >= level) << 3 | (vb >= level) << 2 | (vc >= level) << 1 | (vd >= level);
        if (code == 0 || code == 15)
          continue;
        ex[0] = x + lerp_t (va, vb, level) * cw, ey[0] = y;
        ex[1] = x + cw, ey[1] = y + lerp_t (vb, vc, level) * ch;
        ex[2] = x + lerp_t (vd, vc, level) * cw, ey[2] = y + ch;
        ex[3] = x, ey[3] = y + lerp_t (va, vd, level) * ch;

        switch (code)
          {
          case 1: case 14: add_segment (segments, ex, ey, 2, 3); break;
          case 2: case 13: add_segment (segments, ex, ey, 1, 2); break;
          case 3: case 12: add_segment (segments, ex, ey, 1, 3); break;
          case 4: case 11: add_segment (segments, ex, ey, 0, 1); break;
          case 6: case 9:  add_segment (segments, ex, ey, 0, 2); break;
          case 7: case 8:  add_segment (segments, ex, ey, 0, 3); break;
          case 5: case 10:
            {
              /* A saddle cell: the centre's value decides which corners connect. */
              gboolean centre_above = (va + vb + vc + vd) / 4 >= level;
              if ((code == 5) == centre_above)
                {
                  add_segment (segments, ex, ey, 0, 1);
                  add_segment (segments, ex, ey, 2, 3);
                }
              else
                {
                  add_segment (segments, ex, ey, 0, 3);
                  add_segment (segments, ex, ey, 1, 2);
                }
            }
            break;
          default:
            break;
          }
      }
}

static gboolean
rects_overlap (const NlRect *a, const NlRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height
         && b->y < a->y + a->height;
}

static void
draw_contours (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
               const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  NlRgba line = nl_rgba_with_alpha (style->theme == NL_RENDER_THEME_DARK ? &style->background
                                                                        : &style->foreground,
                                    style->theme == NL_RENDER_THEME_DARK ? 0.55 : 0.32);
  NlRgba pill = nl_rgba_with_alpha (&style->surface, 0.82);
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (NlRect));
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));

  if (scene->grid == NULL || scene->res < 2)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->width, p->height);
  cairo_clip (cr);
  for (guint l = 0; l < layout->levels.n; l++)
    {
      double level = layout->levels.values[l];
      char label[32];
      double tw, th, first_x = 0, first_y = 0;
      guint n, labels = 0;

      g_array_set_size (segments, 0);
      contour_level (layout, scene, level, segments);
      n = segments->len;
      if (n == 0)
        continue;
      cairo_new_path (cr);
      for (guint i = 0; i < n; i++)
        {
          const Segment *s = &g_array_index (segments, Segment, i);
          cairo_move_to (cr, s->x0, s->y0);
          cairo_line_to (cr, s->x1, s->y1);
        }
      nl_render_set_source (cr, &line);
      cairo_set_line_width (cr, 1.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_stroke (cr);

      /* A label or two where there is room: candidates start at a different place for
       * each level so the labels do not line up along one edge. */
      format_level (label, sizeof label, &layout->levels, level);
      nl_text_measure (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &tw, &th);
      for (guint k = 0; k < n && labels < (n > 120 ? 2u : 1u); k += MAX (1, n / 60))
        {
          guint i = (k + (guint) (n * fmod (0.37 * (l + 1), 1.0))) % n;
          const Segment *s = &g_array_index (segments, Segment, i);
          double cx = (s->x0 + s->x1) / 2, cy = (s->y0 + s->y1) / 2;
          NlRect r = { cx - tw / 2 - 3, cy - th / 2 - 1, tw + 6, th + 2 };
          NlRect grown = { r.x - 6, r.y - 6, r.width + 12, r.height + 12 };
          gboolean free = r.x > p->x + 2 && r.y > p->y + 2 && r.x + r.width < p->x + p->width - 2
                          && r.y + r.height < p->y + p->height - 2;

          for (guint j = 0; free && j < placed->len; j++)
            free = !rects_overlap (&grown, &g_array_index (placed, NlRect, j));
          /* A second label of the same level only far from the first. */
          if (free && labels > 0)
            free = hypot (cx - first_x, cy - first_y) > 0.45 * MIN (p->width, p->height);
          if (!free)
            continue;
          nl_render_set_source (cr, &pill);
          nl_path_rounded_rect (cr, r.x, r.y, r.width, r.height, 4);
          cairo_fill (cr);
          nl_text_draw (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &style->foreground, cx,
                        cy, 0.5, 0.5);
          g_array_append_val (placed, r);
          if (labels++ == 0)
            first_x = cx, first_y = cy;
        }
    }
  cairo_restore (cr);
}

/* ---------------------------------------------------------------------------------------
 * Background: the 3-D view
 */

typedef struct
{
  double depth;
  guint  r, c;
} Cell;

static int
compare_cells (const void *a, const void *b)
{
  double x = ((const Cell *) a)->depth, y = ((const Cell *) b)->depth;

  /* Far first. */
  return x > y ? -1 : x < y;
}

static void
draw_3d (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
         const NlRenderStyle *style, NlRenderCache *cache)
{
  const NnBox *b = &layout->box;
  guint res = scene->res, step, n;
  g_autofree double *hx = NULL, *sx = NULL, *sy = NULL;
  g_autofree Cell *cells = NULL;
  guint nodes, ncells = 0;
  /* Light from the upper left, in the unit box with heights scaled as drawn. */
  const double lx = -0.45, ly = 0.55, lz = 0.70;
  double corners[4][2];

  /* The base of the box, under everything. */
  for (int i = 0; i < 4; i++)
    nl_surface_layout_to_widget (layout, (i == 1 || i == 2) ? b->x_max : b->x_min,
                                 i >= 2 ? b->y_max : b->y_min, 0, &corners[i][0],
                                 &corners[i][1]);
  cairo_move_to (cr, corners[0][0], corners[0][1]);
  for (int i = 1; i < 4; i++)
    cairo_line_to (cr, corners[i][0], corners[i][1]);
  cairo_close_path (cr);
  nl_render_set_source (cr, &style->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  if (scene->grid == NULL || res < 2)
    return;
  step = MAX (1, (res - 1 + MAX_3D_CELLS - 1) / MAX_3D_CELLS);
  n = (res - 1) / step + 1;
  nodes = n * n;
  hx = g_new (double, nodes);
  sx = g_new (double, nodes);
  sy = g_new (double, nodes);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      {
        guint gr = MIN (r * step, res - 1), gc = MIN (c * step, res - 1);
        double v = scene->grid[gr * res + gc];
        double h = height_of (&layout->levels, v);
        hx[r * n + c] = h;
        nl_surface_layout_to_widget (layout, nn_box_node_x (b, res, gc), nn_box_node_y (b, res, gr),
                                     h, &sx[r * n + c], &sy[r * n + c]);
      }
  cells = g_new (Cell, (n - 1) * (n - 1));
  for (guint r = 0; r + 1 < n; r++)
    for (guint c = 0; c + 1 < n; c++)
      {
        /* Depth: how high up the screen the cell's centre is drawn at height 0 (higher is
         * further away). */
        double xr = (c + 0.5) / (n - 1), yr = 1.0 - (r + 0.5) / (n - 1);
        double by = layout->o3[1] + xr * layout->u3[1] + yr * layout->v3[1];
        cells[ncells++] = (Cell) { -by, r, c };
      }
  qsort (cells, ncells, sizeof (Cell), compare_cells);

  cairo_save (cr);
  cairo_set_line_width (cr, 0.75);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  for (guint k = 0; k < ncells; k++)
    {
      guint r = cells[k].r, c = cells[k].c;
      guint i00 = r * n + c, i01 = i00 + 1, i10 = i00 + n, i11 = i10 + 1;
      /* The normal of the quad from its diagonals, in the unit box (x right, y up the
       * plane, z up) with the heights as drawn relative to the box. */
      double du = 1.0 / (n - 1), zs = layout->z3 / MAX (fabs (layout->u3[0]), 1);
      double ax = du, ay = -du, az = (hx[i11] - hx[i00]) * zs;
      double bx2 = du, by2 = du, bz = (hx[i01] - hx[i10]) * zs;
      double nx = ay * bz - az * by2, ny = az * bx2 - ax * bz, nz = ax * by2 - ay * bx2;
      double len = sqrt (nx * nx + ny * ny + nz * nz), shade, mean;
      NlRgba col;
      if (nz < 0)
        nx = -nx, ny = -ny, nz = -nz;
      shade = len > 0 ? (nx * lx + ny * ly + nz * lz) / len : 1.0;
      shade = 0.55 + 0.45 * MAX (shade, 0.0);
      mean = (scene->grid[MIN (r * step, res - 1) * res + MIN (c * step, res - 1)]
              + scene->grid[MIN ((r + 1) * step, res - 1) * res + MIN ((c + 1) * step, res - 1)])
             / 2;
      /* The map's colour at the value's place on the levels' scale: continuous, since
       * bands would show each quad's steps. */
      col = isnan (mean) ? style->grid : surface_color (style, &layout->levels, mean);
      col.r *= shade, col.g *= shade, col.b *= shade;

      cairo_move_to (cr, sx[i00], sy[i00]);
      cairo_line_to (cr, sx[i01], sy[i01]);
      cairo_line_to (cr, sx[i11], sy[i11]);
      cairo_line_to (cr, sx[i10], sy[i10]);
      cairo_close_path (cr);
      nl_render_set_source (cr, &col);
      /* Stroked in its own colour too, so no background shows through the seams. */
      cairo_fill_preserve (cr);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* Names and end values on the two front edges, which the surface never hides: x from
   * the left corner to the front one, y from the front corner to the right one. */
  {
    char label[32];
    double xstep = (b->x_max - b->x_min) / 4, ystep = (b->y_max - b->y_min) / 4;
    double mx = (corners[0][0] + corners[1][0]) / 2, my = (corners[0][1] + corners[1][1]) / 2;
    double ny = (corners[1][0] + corners[2][0]) / 2, nyy = (corners[1][1] + corners[2][1]) / 2;

    nl_format_tick (label, sizeof label, b->x_min, xstep);
    nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted, corners[0][0],
                  corners[0][1] + 6, 0.5, 0.0);
    nl_format_tick (label, sizeof label, b->x_max, xstep);
    nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted,
                  corners[1][0] - 8, corners[1][1] + 4, 1.0, 0.0);
    nl_format_tick (label, sizeof label, b->y_min, ystep);
    nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted,
                  corners[1][0] + 8, corners[1][1] + 4, 0.0, 0.0);
    nl_format_tick (label, sizeof label, b->y_max, ystep);
    nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted,
                  corners[2][0] + 6, corners[2][1] + 2, 0.0, 0.0);
    if (scene->x_name)
      nl_text_draw (cr, cache, style, scene->x_name, 1.0, NL_TEXT_BOLD, &style->foreground,
                    mx - 8, my + 8, 1.0, 0.0);
    if (scene->y_name)
      nl_text_draw (cr, cache, style, scene->y_name, 1.0, NL_TEXT_BOLD, &style->foreground,
                    ny + 10, nyy + 6, 0.0, 0.0);
  }
}

/* ---------------------------------------------------------------------------------------
 * Background: axes, colour scale, title
 */

static void
draw_axes (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
           const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  const NnBox *b = &layout->box;
  double xstep, ystep, px = nl_text_px (style, 0.92);
  double bottom = p->y + p->height;
  char label[32];

  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, nl_snap (p->x, 1), nl_snap (p->y, 1), floor (p->width), floor (p->height));
  cairo_stroke (cr);

  xstep = layout->n_x_ticks > 1 ? layout->x_ticks[1] - layout->x_ticks[0] : 1;
  for (guint i = 0; i < layout->n_x_ticks; i++)
    {
      double wx, wy;
      nl_surface_layout_to_widget (layout, layout->x_ticks[i], b->y_min, 0, &wx, &wy);
      wx = nl_snap (wx, 1);
      cairo_move_to (cr, wx, bottom);
      cairo_line_to (cr, wx, bottom + TICK_LEN);
      cairo_stroke (cr);
      nl_format_tick (label, sizeof label, layout->x_ticks[i], xstep);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted, wx,
                    bottom + TICK_LEN + 2, 0.5, 0.0);
    }
  ystep = layout->n_y_ticks > 1 ? layout->y_ticks[1] - layout->y_ticks[0] : 1;
  for (guint i = 0; i < layout->n_y_ticks; i++)
    {
      double wx, wy;
      nl_surface_layout_to_widget (layout, b->x_min, layout->y_ticks[i], 0, &wx, &wy);
      wy = nl_snap (wy, 1);
      cairo_move_to (cr, p->x, wy);
      cairo_line_to (cr, p->x - TICK_LEN, wy);
      cairo_stroke (cr);
      nl_format_tick (label, sizeof label, layout->y_ticks[i], ystep);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted,
                    p->x - TICK_LEN - 3, wy, 1.0, 0.5);
    }
  if (scene->x_name != NULL)
    nl_text_draw (cr, cache, style, scene->x_name, 1.0, NL_TEXT_BOLD, &style->foreground,
                  p->x + p->width / 2, bottom + TICK_LEN + 2 + px * 1.3, 0.5, 0.0);
  if (scene->y_name != NULL)
    {
      /* Rotated, beside the tick labels. */
      cairo_save (cr);
      cairo_translate (cr, MAX (MARGIN + 1, p->x - TICK_LEN - 4 - ceil (px * 3.4) - ceil (px * 1.5)),
                       p->y + p->height / 2);
      cairo_rotate (cr, -G_PI / 2);
      nl_text_draw (cr, cache, style, scene->y_name, 1.0, NL_TEXT_BOLD, &style->foreground, 0,
                    0, 0.5, 0.0);
      cairo_restore (cr);
    }
}

static void
draw_colorbar (cairo_t *cr, const NlSurfaceLayout *layout, const NlRenderStyle *style,
               NlRenderCache *cache)
{
  const NlRect *r = &layout->colorbar;
  const NlSurfaceLevels *lv = &layout->levels;
  guint bands = lv->n + 1;
  double bh = r->height / bands, th, last_y = INFINITY;
  char label[32];

  if (r->height < 4)
    return;
  for (guint i = 0; i < bands; i++)
    {
      NlRgba c = nl_surface_band_color (style, lv, i);
      /* Band 0 at the bottom. */
      nl_render_set_source (cr, &c);
      cairo_rectangle (cr, r->x, r->y + r->height - (i + 1) * bh, r->width, bh + 0.5);
      cairo_fill (cr);
    }
  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, nl_snap (r->x, 1), nl_snap (r->y, 1), floor (r->width),
                   floor (r->height));
  cairo_stroke (cr);
  nl_text_draw (cr, cache, style, lv->log_scale ? _("Loss (log)") : _("Loss"), 0.85,
                NL_TEXT_BOLD, &style->foreground, r->x, r->y - 4, 0.0, 1.0);

  nl_text_measure (cr, cache, style, "0", 0.85, NL_TEXT_REGULAR, NULL, &th);
  for (guint i = 0; i < lv->n; i++)
    {
      double y = r->y + r->height - (i + 1) * bh;
      /* Labels from the bottom up, skipping those that would touch the previous one. */
      if (last_y - y < th * 0.95)
        continue;
      format_level (label, sizeof label, lv, lv->values[i]);
      cairo_move_to (cr, r->x + r->width, nl_snap (y, 1));
      cairo_line_to (cr, r->x + r->width + 3, nl_snap (y, 1));
      cairo_stroke (cr);
      nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted,
                    r->x + r->width + 5, y, 0.0, 0.5);
      last_y = y;
    }
}

static void
draw_title (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
            const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *r = &layout->title;
  double y = r->y;

  if (r->height <= 0)
    return;
  if (scene->title != NULL)
    {
      nl_text_draw_fit (cr, cache, style, scene->title, 1.1, NL_TEXT_BOLD, &style->foreground,
                        r->x + 4, y, 0.0, 0.0, r->width - 8);
      y += ceil (nl_text_px (style, 1.1) * 1.35);
    }
  if (scene->note != NULL)
    nl_text_draw_fit (cr, cache, style, scene->note, 0.95, NL_TEXT_REGULAR, &style->foreground,
                      r->x + 4, y, 0.0, 0.0, r->width - 8);
}

void
nl_render_surface_background (cairo_t *cr, const NlSurfaceLayout *layout,
                              const NlSurfaceScene *scene, const NlRenderStyle *style,
                              NlRenderCache *given_cache)
{
  NlRenderCache *cache;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  cairo_save (cr);
  nl_render_set_source (cr, &style->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);
  draw_title (cr, layout, scene, style, cache);
  if (layout->view == NL_SURFACE_VIEW_3D)
    draw_3d (cr, layout, scene, style, cache);
  else
    {
      nl_render_set_source (cr, &style->surface);
      cairo_rectangle (cr, layout->plot.x, layout->plot.y, layout->plot.width,
                       layout->plot.height);
      cairo_fill (cr);
      draw_bands (cr, layout, scene, style);
      draw_contours (cr, layout, scene, style, cache);
      draw_axes (cr, layout, scene, style, cache);
    }
  if (scene->grid != NULL)
    draw_colorbar (cr, layout, style, cache);
  cairo_restore (cr);
  nl_render_cache_release (given_cache, cache);
}

/* ---------------------------------------------------------------------------------------
 * Overlay: markers, trajectories, legend, hover
 */

static NlRgba
halo_color (const NlRenderStyle *style)
{
  return nl_rgba_with_alpha (&style->background, 0.9);
}

static void
path_star (cairo_t *cr, double x, double y, double r)
{
  for (int i = 0; i < 10; i++)
    {
      double a = -G_PI / 2 + i * G_PI / 5, rr = i % 2 ? r * 0.45 : r;
      if (i == 0)
        cairo_move_to (cr, x + rr * cos (a), y + rr * sin (a));
      else
        cairo_line_to (cr, x + rr * cos (a), y + rr * sin (a));
    }
  cairo_close_path (cr);
}

static void
draw_critical_marker (cairo_t *cr, NnCriticalKind kind, double x, double y,
                      const NlRenderStyle *style)
{
  NlRgba halo = halo_color (style);
  const NlRgba *ink = &style->foreground;

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (kind == NN_CRITICAL_SADDLE)
    {
      const double r = 6;
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x + r, y - r);
      cairo_line_to (cr, x - r, y + r);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      nl_render_set_source (cr, &halo);
      cairo_set_line_width (cr, 6);
      cairo_stroke_preserve (cr);
      nl_render_set_source (cr, ink);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
  else
    {
      path_star (cr, x, y, 10);
      nl_render_set_source (cr, &halo);
      cairo_set_line_width (cr, 4.5);
      cairo_stroke_preserve (cr);
      if (kind == NN_CRITICAL_GLOBAL_MINIMUM)
        {
          nl_render_set_source (cr, ink);
          cairo_fill (cr);
        }
      else
        {
          nl_render_set_source (cr, &halo);
          cairo_fill_preserve (cr);
          nl_render_set_source (cr, ink);
          cairo_set_line_width (cr, 2.0);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

static void
draw_start_marker (cairo_t *cr, double x, double y, const NlRenderStyle *style)
{
  NlRgba halo = halo_color (style);

  cairo_arc (cr, x, y, 7.5, 0, 2 * G_PI);
  nl_render_set_source (cr, &halo);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->foreground);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
  cairo_arc (cr, x, y, 2.2, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_position_marker (cairo_t *cr, double x, double y, const NlRgba *color,
                      const NlRenderStyle *style, double radius)
{
  NlRgba halo = halo_color (style);

  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  nl_render_set_source (cr, &halo);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  nl_render_set_source (cr, color);
  cairo_fill (cr);
}

/* Keeps far-away points (a diverged run) within what Cairo's fixed point can hold. */
static inline double
clamp_px (double v)
{
  return CLAMP (v, -1e5, 1e5);
}

static void
trajectory_path (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                 const NlSurfaceTrajectory *t)
{
  double lx = NAN, ly = NAN;
  gboolean pen = FALSE;

  cairo_new_path (cr);
  for (guint i = 0; i < t->n; i++)
    {
      double wx, wy;

      point_to_widget (layout, scene, t, i, &wx, &wy);
      if (!isfinite (wx) || !isfinite (wy))
        {
          pen = FALSE;
          continue;
        }
      wx = clamp_px (wx), wy = clamp_px (wy);
      /* Points closer than half a pixel to the last one add nothing but work. */
      if (pen && i + 1 < t->n && fabs (wx - lx) < 0.5 && fabs (wy - ly) < 0.5)
        continue;
      if (pen)
        cairo_line_to (cr, wx, wy);
      else
        cairo_move_to (cr, wx, wy);
      pen = TRUE;
      lx = wx, ly = wy;
    }
}

typedef enum
{
  STROKE_HALO,
  STROKE_LINE,
  STROKE_DOTS,
} StrokePart;

/* One part of a trajectory: every halo goes down before any line, so no halo covers an
 * earlier run's line. `extra` widens the line and its halo. */
static void
draw_trajectory (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                 const NlSurfaceTrajectory *t, const NlRenderStyle *style, double extra,
                 StrokePart part)
{
  NlRgba halo = halo_color (style);
  guint dots;

  if (t->n == 0)
    return;
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (part != STROKE_DOTS)
    {
      trajectory_path (cr, layout, scene, t);
      nl_render_set_source (cr, part == STROKE_HALO ? &halo : &t->color);
      cairo_set_line_width (cr, (part == STROKE_HALO ? HALO_W : LINE_W) + extra);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }

  /* A dot at every step while there are few enough to see one by one: a zig-zag is made
   * of steps. */
  dots = MIN (t->n, 400u);
  for (guint i = 1; i < dots; i++)
    {
      double wx, wy;
      point_to_widget (layout, scene, t, i, &wx, &wy);
      if (!isfinite (wx) || !isfinite (wy))
        continue;
      cairo_arc (cr, clamp_px (wx), clamp_px (wy), 2.6, 0, 2 * G_PI);
      cairo_close_path (cr);
    }
  nl_render_set_source (cr, &t->color);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Whether most of b's path runs within a few pixels of a's: then the one drawn first is
 * drawn wider, so both stay visible, one as a stripe around the other. */
static gboolean
paths_overlap (const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
               const NlSurfaceTrajectory *a, const NlSurfaceTrajectory *b)
{
  const guint max_a = 300, max_b = 120;
  guint step_a = MAX (1, a->n / max_a), step_b = MAX (1, b->n / max_b), near = 0, total = 0;
  g_autofree double *ax = NULL, *ay = NULL;
  guint na = 0;

  if (a->n < 2 || b->n < 4)
    return FALSE;
  ax = g_new (double, a->n / step_a + 2);
  ay = g_new (double, a->n / step_a + 2);
  for (guint i = 0; i < a->n; i += step_a)
    {
      point_to_widget (layout, scene, a, i, &ax[na], &ay[na]);
      if (isfinite (ax[na]) && isfinite (ay[na]))
        na++;
    }
  for (guint j = 1; j < b->n; j += step_b)
    {
      double x, y, best = INFINITY;

      point_to_widget (layout, scene, b, j, &x, &y);
      if (!isfinite (x) || !isfinite (y))
        continue;
      total++;
      for (guint i = 0; i + 1 < na && best > 9.0; i++)
        {
          /* Distance² from (x, y) to the segment i → i + 1. */
          double dx = ax[i + 1] - ax[i], dy = ay[i + 1] - ay[i];
          double len2 = dx * dx + dy * dy;
          double u = len2 > 0 ? CLAMP (((x - ax[i]) * dx + (y - ay[i]) * dy) / len2, 0, 1) : 0;
          double ex = ax[i] + u * dx - x, ey = ay[i] + u * dy - y;
          best = MIN (best, ex * ex + ey * ey);
        }
      near += best <= 9.0;
    }
  return total > 0 && near * 2 > total;
}

static void
draw_legend_swatch (cairo_t *cr, const LegendEntry *e, const NlSurfaceScene *scene, double x,
                    double y, const NlRenderStyle *style)
{
  switch (e->kind)
    {
    case ENTRY_TRAJECTORY:
      {
        const NlRgba *c = &scene->trajectories[e->index].color;
        NlRgba halo = halo_color (style);

        cairo_move_to (cr, x + 2, y);
        cairo_line_to (cr, x + SWATCH_W - 2, y);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
        nl_render_set_source (cr, &halo);
        cairo_set_line_width (cr, HALO_W);
        cairo_stroke_preserve (cr);
        nl_render_set_source (cr, c);
        cairo_set_line_width (cr, LINE_W + 0.5);
        cairo_stroke (cr);
        draw_position_marker (cr, x + SWATCH_W - 7, y, c, style, 5.0);
      }
      break;
    case ENTRY_START:
      draw_start_marker (cr, x + SWATCH_W / 2, y, style);
      break;
    case ENTRY_GLOBAL:
      draw_critical_marker (cr, NN_CRITICAL_GLOBAL_MINIMUM, x + SWATCH_W / 2, y, style);
      break;
    case ENTRY_LOCAL:
      draw_critical_marker (cr, NN_CRITICAL_LOCAL_MINIMUM, x + SWATCH_W / 2, y, style);
      break;
    case ENTRY_SADDLE:
      draw_critical_marker (cr, NN_CRITICAL_SADDLE, x + SWATCH_W / 2, y, style);
      break;
    default:
      break;
    }
}

static void
draw_legend (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache)
{
  LegendEntry entries[NL_SURFACE_MAX_TRAJECTORIES + 4];
  guint n = legend_entries (scene, entries);
  double row = ceil (nl_text_px (style, LEGEND_SIZE) * 1.55);

  for (guint i = 0; i < n && i < layout->n_legend; i++)
    {
      double x = layout->legend_x[i], cy = layout->legend_y[i] + row / 2;

      cairo_save (cr);
      draw_legend_swatch (cr, &entries[i], scene, x, cy, style);
      cairo_restore (cr);
      nl_text_draw (cr, cache, style, entries[i].text, LEGEND_SIZE,
                    entries[i].kind == ENTRY_TRAJECTORY ? NL_TEXT_BOLD : NL_TEXT_REGULAR,
                    &style->foreground, x + SWATCH_W + 6, cy, 0.0, 0.5);
    }
}

static void
format_value (char *buf, gsize size, double v)
{
  if (!isfinite (v))
    g_strlcpy (buf, isnan (v) ? "—" : (v > 0 ? "∞" : "−∞"), size);
  else if (v != 0 && (fabs (v) >= 1e5 || fabs (v) < 1e-3))
    {
      g_snprintf (buf, size, "%.3e", v);
      /* A true minus sign, as the tick labels. */
      if (buf[0] == '-')
        {
          g_autofree char *rest = g_strdup (buf + 1);
          g_snprintf (buf, size, "−%s", rest);
        }
    }
  else
    {
      g_snprintf (buf, size, "%.4g", fabs (v));
      if (v < 0)
        {
          g_autofree char *rest = g_strdup (buf);
          g_snprintf (buf, size, "−%s", rest);
        }
    }
}

static void
draw_hover (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
            const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlSurfaceTrajectory *t;
  double wx, wy, x, y, loss, tw, th, bw, bh, tw2, bx, by;
  char sx[32], sy[32], sl[32];
  g_autofree char *title = NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  if (scene->hover_trajectory < 0 || (guint) scene->hover_trajectory >= scene->n_trajectories)
    return;
  t = &scene->trajectories[scene->hover_trajectory];
  if (scene->hover_point < 0 || (guint) scene->hover_point >= t->n)
    return;
  point_to_widget (layout, scene, t, scene->hover_point, &wx, &wy);
  if (!isfinite (wx) || !isfinite (wy))
    return;
  x = traj_value (t->x, t->stride, scene->hover_point);
  y = traj_value (t->y, t->stride, scene->hover_point);
  loss = t->loss ? traj_value (t->loss, t->stride, scene->hover_point) : NAN;

  cairo_save (cr);
  cairo_arc (cr, wx, wy, 9, 0, 2 * G_PI);
  nl_render_set_source (cr, &style->foreground);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);

  title = g_strdup_printf (_("%s, step %d"), t->label ? t->label : "", scene->hover_point);
  format_value (sx, sizeof sx, x);
  format_value (sy, sizeof sy, y);
  format_value (sl, sizeof sl, loss);
  g_string_append_printf (body, "%s = %s,  %s = %s", scene->x_name ? scene->x_name : "x", sx,
                          scene->y_name ? scene->y_name : "y", sy);
  if (t->residual != NULL)
    {
      char sv[32], sr[32];
      format_value (sv, sizeof sv, nl_surface_scene_value_at (scene, x, y));
      format_value (sr, sizeof sr, traj_value (t->residual, t->stride, scene->hover_point));
      g_string_append_printf (body, "\n%s %s", _("True loss"), sl);
      g_string_append_printf (body, "\n%s %s", _("Contour here"), sv);
      g_string_append_printf (body, "\n%s %s", _("Distance from the plane"), sr);
    }
  else
    g_string_append_printf (body, "\n%s %s", _("Loss"), sl);

  nl_text_measure (cr, cache, style, title, 0.95, NL_TEXT_BOLD, &tw, &th);
  nl_text_measure (cr, cache, style, body->str, 0.95, NL_TEXT_REGULAR, &tw2, &bh);
  bw = MAX (tw, tw2) + 20, bh = th + bh + 16;
  bx = wx + 16 + bw > layout->width - 4 ? wx - 16 - bw : wx + 16;
  by = CLAMP (wy - bh / 2, 4, MAX (4, layout->height - bh - 4));
  bx = MAX (bx, 4);
  nl_render_set_source (cr, &style->background);
  nl_path_rounded_rect (cr, bx, by, bw, bh, 6);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &t->color);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);
  nl_text_draw (cr, cache, style, title, 0.95, NL_TEXT_BOLD, &style->foreground, bx + 10,
                by + 7, 0.0, 0.0);
  nl_text_draw (cr, cache, style, body->str, 0.95, NL_TEXT_REGULAR, &style->foreground,
                bx + 10, by + 9 + th, 0.0, 0.0);
  cairo_restore (cr);
}

static void
draw_message (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
              const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  double w, h, bx, by;

  if (scene->message == NULL)
    return;
  nl_text_measure (cr, cache, style, scene->message, 1.1, NL_TEXT_BOLD, &w, &h);
  w = MIN (w, p->width - 16);
  bx = p->x + (p->width - w) / 2 - 14, by = p->y + (p->height - h) / 2 - 10;
  nl_render_set_source (cr, &style->background);
  nl_path_rounded_rect (cr, bx, by, w + 28, h + 20, 8);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  nl_text_draw_fit (cr, cache, style, scene->message, 1.1, NL_TEXT_BOLD, &style->foreground,
                    p->x + p->width / 2, p->y + p->height / 2, 0.5, 0.5, p->width - 16);
}

void
nl_render_surface_overlay (cairo_t *cr, const NlSurfaceLayout *layout,
                           const NlSurfaceScene *scene, const NlRenderStyle *style,
                           NlRenderCache *given_cache)
{
  const NlRect *p = &layout->plot;
  NlRenderCache *cache;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  cairo_save (cr);

  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->width, p->height);
  cairo_clip (cr);
  for (guint i = 0; i < scene->n_critical; i++)
    {
      const NnCriticalPoint *c = &scene->critical[i];
      double wx, wy;
      nl_surface_layout_to_widget (layout, c->x, c->y,
                                   height_at (layout, scene, c->x, c->y, c->value), &wx, &wy);
      draw_critical_marker (cr, c->kind, wx, wy, style);
    }
  {
    /* Diverged runs first, under the others (they cross everything on their way out). A
     * run whose path later runs share is drawn wider, once for each of them. */
    guint order[NL_SURFACE_MAX_TRAJECTORIES], n = 0;
    double extra[NL_SURFACE_MAX_TRAJECTORIES];

    for (int pass = 0; pass < 2; pass++)
      for (guint t = 0; t < scene->n_trajectories && n < NL_SURFACE_MAX_TRAJECTORIES; t++)
        if (scene->trajectories[t].diverged == (pass == 0))
          order[n++] = t;
    for (guint k = n; k-- > 0;)
      {
        guint covering = 0;

        extra[k] = 0;
        for (guint j = k + 1; j < n; j++)
          if (paths_overlap (layout, scene, &scene->trajectories[order[k]],
                             &scene->trajectories[order[j]])
              || paths_overlap (layout, scene, &scene->trajectories[order[j]],
                                &scene->trajectories[order[k]]))
            covering = MAX (covering, (guint) (extra[j] / 2.5 + 1.5));
        extra[k] = 2.5 * MIN (covering, 2u);
      }
    for (StrokePart part = STROKE_HALO; part <= STROKE_DOTS; part++)
      for (guint k = 0; k < n; k++)
        draw_trajectory (cr, layout, scene, &scene->trajectories[order[k]], style, extra[k],
                         part);
  }
  if (scene->has_start)
    {
      double wx, wy;
      nl_surface_layout_to_widget (layout, scene->start_x, scene->start_y,
                                   height_at (layout, scene, scene->start_x, scene->start_y, NAN),
                                   &wx, &wy);
      draw_start_marker (cr, wx, wy, style);
    }
  /* The current positions last, on top of every line. */
  for (guint t = 0; t < scene->n_trajectories; t++)
    {
      const NlSurfaceTrajectory *tr = &scene->trajectories[t];
      double wx, wy;

      if (tr->n < 2)
        continue;
      point_to_widget (layout, scene, tr, tr->n - 1, &wx, &wy);
      if (isfinite (wx) && isfinite (wy))
        draw_position_marker (cr, clamp_px (wx), clamp_px (wy), &tr->color, style, 6.5);
    }
  cairo_restore (cr);

  draw_legend (cr, layout, scene, style, cache);
  draw_message (cr, layout, scene, style, cache);
  draw_hover (cr, layout, scene, style, cache);
  cairo_restore (cr);
  nl_render_cache_release (given_cache, cache);
}

void
nl_render_surface (cairo_t *cr, const NlSurfaceLayout *layout, const NlSurfaceScene *scene,
                   const NlRenderStyle *style, NlRenderCache *given_cache)
{
  NlRenderCache *cache;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  nl_render_surface_background (cr, layout, scene, style, cache);
  nl_render_surface_overlay (cr, layout, scene, style, cache);
  nl_render_cache_release (given_cache, cache);
}

/* ---------------------------------------------------------------------------------------
 * Loss against the step
 */

static double
series_loss (const NlRaceLossScene *scene, const NlSurfaceTrajectory *s, guint i)
{
  return traj_value (s->loss, s->stride, i) - scene->offset;
}

void
nl_race_loss_layout_compute (NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                             double width, double height, const NlRenderStyle *style)
{
  double px = nl_text_px (style, 0.92), lo = INFINITY, hi = -INFINITY, first_hi = -INFINITY;
  double lowest = INFINITY, left, bottom, top, legend_w;
  gboolean zoomed = FALSE;
  guint longest = 0;
  gboolean positive = TRUE;

  g_return_if_fail (layout != NULL && scene != NULL && style != NULL);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  for (guint s = 0; s < scene->n_series; s++)
    {
      const NlSurfaceTrajectory *ser = &scene->series[s];
      longest = MAX (longest, ser->n > 0 ? ser->n - 1 : 0);
      for (guint i = 0; i < ser->n && ser->loss != NULL; i++)
        {
          double v = series_loss (scene, ser, i);
          if (!isfinite (v))
            continue;
          if (i == 0)
            first_hi = MAX (first_hi, v);
          if (v > 0)
            lo = MIN (lo, v);
          lowest = MIN (lowest, v);
          hi = MAX (hi, v);
        }
    }
  /* Zero, or a rounding error below it (a run at the minimum, after the offset), sits on
   * the axis' floor; a loss truly below zero cannot go on a log axis. */
  positive = !(lowest < -1e-9 * MAX (fabs (hi), 1e-300));
  layout->log_scale = scene->log_scale && positive && hi >= lo && hi > 0;
  layout->x_min = 0;
  layout->x_max = MAX (MAX (scene->max_step, longest), 1);
  if (layout->log_scale)
    {
      /* A diverging run would squash everything else: the axis stops three decades above
       * the highest start. */
      if (isfinite (first_hi) && first_hi > 0)
        hi = MIN (hi, first_hi * 1e3);
      if (log10 (hi) - log10 (lo) < 0.6)
        {
          /* Less than a decade (a network's loss in a few hundred steps): the axis is
           * zoomed to the data, with ticks at round values inside it. */
          double pad = MAX ((log10 (hi) - log10 (lo)) * 0.08, 0.004);
          layout->y_min = log10 (lo) - pad;
          layout->y_max = log10 (hi) + pad;
          zoomed = TRUE;
        }
      else
        {
          layout->y_min = floor (log10 (lo));
          layout->y_max = MAX (ceil (log10 (hi)), layout->y_min + 1);
          /* Ten decades at most: below that the curves have converged for any eye. */
          layout->y_min = MAX (layout->y_min, layout->y_max - 10);
        }
    }
  else
    {
      double l2 = INFINITY, h2 = -INFINITY;

      for (guint s = 0; s < scene->n_series; s++)
        for (guint i = 0; i < scene->series[s].n && scene->series[s].loss; i++)
          {
            double v = series_loss (scene, &scene->series[s], i);
            if (isfinite (v))
              l2 = MIN (l2, v), h2 = MAX (h2, v);
          }
      if (!(h2 >= l2))
        l2 = 0, h2 = 1;
      /* As above: a diverging run does not set the scale. */
      if (isfinite (first_hi))
        h2 = MIN (h2, first_hi + 2 * fabs (first_hi - l2));
      layout->y_min = MIN (l2, 0.0);
      layout->y_max = h2 > layout->y_min ? h2 : layout->y_min + 1;
    }

  top = MARGIN + ceil (px * 1.6);
  left = MARGIN + ceil (px * 3.8) + TICK_LEN + 4;
  bottom = TICK_LEN + 3 + ceil (px * 1.3) + ceil (px * 1.4) + MARGIN;
  layout->plot = (NlRect) { left, top, MAX (width - left - MARGIN - 6, 1),
                            MAX (height - top - bottom, 1) };
  layout->n_x_ticks = nl_render_nice_ticks (layout->x_min, layout->x_max,
                                            CLAMP ((guint) (layout->plot.width / 90), 2, 10),
                                            layout->x_ticks, 16);
  if (zoomed)
    {
      layout->n_y_ticks = nl_render_nice_ticks (pow (10, layout->y_min), pow (10, layout->y_max),
                                                CLAMP ((guint) (layout->plot.height / 40), 2, 10),
                                                layout->y_ticks, 16);
      layout->y_step = layout->n_y_ticks > 1 ? layout->y_ticks[1] - layout->y_ticks[0] : 0;
    }
  else if (layout->log_scale)
    layout->n_y_ticks = nl_render_log_ticks (pow (10, layout->y_min), pow (10, layout->y_max),
                                             layout->y_ticks,
                                             CLAMP ((guint) (layout->plot.height / 26), 2, 12));
  else
    layout->n_y_ticks = nl_render_nice_ticks (layout->y_min, layout->y_max,
                                              CLAMP ((guint) (layout->plot.height / 40), 2, 10),
                                              layout->y_ticks, 16);
  /* The legend shares the top row with the axis' name, right-aligned over the plot. */
  legend_w = MAX (layout->plot.width * 0.62, 1);
  layout->legend = (NlRect) { layout->plot.x + layout->plot.width - legend_w, MARGIN - 2,
                              legend_w, top - MARGIN - 2 };
}

static double
loss_x (const NlRaceLossLayout *l, double step)
{
  return l->plot.x + (step - l->x_min) / (l->x_max - l->x_min) * l->plot.width;
}

static double
loss_y (const NlRaceLossLayout *l, double v)
{
  double t;

  if (!isfinite (v))
    return NAN;
  if (l->log_scale)
    v = v > 0 ? log10 (v) : l->y_min;
  t = (v - l->y_min) / (l->y_max - l->y_min);
  /* Far outside the axis (a diverged run) stays just outside it, where the clip ends it. */
  t = CLAMP (t, -0.2, 1.2);
  return l->plot.y + l->plot.height * (1 - t);
}

void
nl_race_loss_layout_to_widget (const NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                               double step, double loss, double *wx, double *wy)
{
  *wx = loss_x (layout, step);
  *wy = loss_y (layout, loss - scene->offset);
}

/* Whether b is drawn within two pixels of a at most of their common steps. */
static gboolean
series_coincide (const NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                 const NlSurfaceTrajectory *a, const NlSurfaceTrajectory *b)
{
  guint n = MIN (a->n, b->n), near = 0, total = 0;

  if (a->loss == NULL || b->loss == NULL)
    return FALSE;
  for (guint i = 0; i < n; i += MAX (1, n / 200))
    {
      double ya = loss_y (layout, series_loss (scene, a, i));
      double yb = loss_y (layout, series_loss (scene, b, i));

      if (!isfinite (ya) || !isfinite (yb))
        continue;
      total++;
      near += fabs (ya - yb) <= 2.0;
    }
  return total > 2 && near * 2 > total;
}

static void
draw_loss_series (cairo_t *cr, const NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                  const NlSurfaceTrajectory *s, double width)
{
  g_autofree double *xs = NULL, *ys = NULL;
  NlRaster raster;
  guint m = 0;
  gboolean fast;

  if (s->loss == NULL || s->n == 0)
    return;
  xs = g_new (double, s->n);
  ys = g_new (double, s->n);
  /* The raster pays off when many steps share a pixel column; a few hundred steps are
   * smoother as a Cairo path. */
  fast = s->n > 2 * layout->plot.width && nl_raster_begin (&raster, cr);
  cairo_new_path (cr);
  for (guint i = 0; i <= s->n; i++)
    {
      double y = i < s->n ? loss_y (layout, series_loss (scene, s, i)) : NAN;

      if (isfinite (y))
        {
          xs[m] = loss_x (layout, i), ys[m] = y;
          m++;
          continue;
        }
      /* The end of a run of finite values. */
      if (m > 0 && fast)
        nl_raster_series (&raster, xs, ys, m, width, &s->color, 0, 0);
      else if (m > 0)
        {
          cairo_move_to (cr, xs[0], ys[0]);
          for (guint k = 1; k < m; k++)
            cairo_line_to (cr, xs[k], ys[k]);
        }
      m = 0;
    }
  if (fast)
    nl_raster_end (&raster);
  else
    {
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_width (cr, width);
      nl_render_set_source (cr, &s->color);
      cairo_stroke (cr);
    }
}

#define KEY_W 24.0

/* One row of keys in the top row when they fit, else a box in the plot's top right
 * corner, one key a line. */
static void
draw_loss_legend (cairo_t *cr, const NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                  const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *r = &layout->legend;
  double widths[NL_SURFACE_MAX_TRAJECTORIES], total = 0, x, row, box_w = 0;
  guint n = MIN (scene->n_series, NL_SURFACE_MAX_TRAJECTORIES);

  if (n == 0)
    return;
  for (guint s = 0; s < n; s++)
    {
      const char *label = scene->series[s].label ? scene->series[s].label : "";
      nl_text_measure (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &widths[s], &row);
      total += KEY_W + 6 + widths[s] + (s + 1 < n ? 14 : 0);
      box_w = MAX (box_w, widths[s]);
    }
  if (total <= r->width)
    {
      x = r->x + r->width - total;
      for (guint s = 0; s < n; s++)
        {
          double y = nl_snap (r->y + r->height / 2, 3);
          nl_render_set_source (cr, &scene->series[s].color);
          cairo_set_line_width (cr, 3.0);
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + KEY_W, y);
          cairo_stroke (cr);
          nl_text_draw (cr, cache, style, scene->series[s].label ? scene->series[s].label : "",
                        0.92, NL_TEXT_REGULAR, &style->foreground, x + KEY_W + 6, y, 0.0, 0.5);
          x += KEY_W + 6 + widths[s] + 14;
        }
      return;
    }
  /* Too narrow for a box that would hide the curves: the table beside says it. */
  if (layout->plot.width < 420)
    return;
  {
    const NlRect *p = &layout->plot;
    NlRgba box = nl_rgba_with_alpha (&style->background, 0.88);
    double line = ceil (row * 1.15), w = MIN (box_w + KEY_W + 22, p->width - 8);
    double bx = p->x + p->width - w - 4, by = p->y + 4;

    nl_render_set_source (cr, &box);
    nl_path_rounded_rect (cr, bx, by, w, n * line + 8, 5);
    cairo_fill (cr);
    for (guint s = 0; s < n; s++)
      {
        double y = nl_snap (by + 4 + line * (s + 0.5), 3);
        nl_render_set_source (cr, &scene->series[s].color);
        cairo_set_line_width (cr, 3.0);
        cairo_move_to (cr, bx + 6, y);
        cairo_line_to (cr, bx + 6 + KEY_W, y);
        cairo_stroke (cr);
        nl_text_draw_fit (cr, cache, style, scene->series[s].label ? scene->series[s].label : "",
                          0.92, NL_TEXT_REGULAR, &style->foreground, bx + KEY_W + 12, y, 0.0, 0.5,
                          w - KEY_W - 16);
      }
  }
}

void
nl_render_race_loss (cairo_t *cr, const NlRaceLossLayout *layout, const NlRaceLossScene *scene,
                     const NlRenderStyle *style, NlRenderCache *given_cache)
{
  const NlRect *p = &layout->plot;
  double px = nl_text_px (style, 0.92), xstep, ystep, bottom = p->y + p->height;
  NlRenderCache *cache;
  char label[32];

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  cairo_save (cr);
  nl_render_set_source (cr, &style->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);

  /* Grid, axes, ticks. */
  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->grid);
  for (guint i = 0; i < layout->n_y_ticks; i++)
    {
      double y = nl_snap (loss_y (layout, layout->y_ticks[i]), 1);
      cairo_move_to (cr, p->x, y);
      cairo_line_to (cr, p->x + p->width, y);
    }
  for (guint i = 0; i < layout->n_x_ticks; i++)
    {
      double x = nl_snap (loss_x (layout, layout->x_ticks[i]), 1);
      cairo_move_to (cr, x, p->y);
      cairo_line_to (cr, x, bottom);
    }
  cairo_stroke (cr);
  nl_render_set_source (cr, &style->muted);
  cairo_move_to (cr, nl_snap (p->x, 1), p->y);
  cairo_line_to (cr, nl_snap (p->x, 1), nl_snap (bottom, 1));
  cairo_line_to (cr, p->x + p->width, nl_snap (bottom, 1));
  cairo_stroke (cr);
  xstep = layout->n_x_ticks > 1 ? layout->x_ticks[1] - layout->x_ticks[0] : 1;
  for (guint i = 0; i < layout->n_x_ticks; i++)
    {
      nl_format_tick (label, sizeof label, layout->x_ticks[i], MAX (xstep, 1));
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted,
                    loss_x (layout, layout->x_ticks[i]), bottom + TICK_LEN + 2, 0.5, 0.0);
    }
  ystep = layout->n_y_ticks > 1 ? layout->y_ticks[1] - layout->y_ticks[0] : 1;
  for (guint i = 0; i < layout->n_y_ticks; i++)
    {
      double v = layout->y_ticks[i];
      nl_format_tick (label, sizeof label, v,
                      layout->y_step > 0 ? layout->y_step : layout->log_scale ? v : ystep);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted,
                    p->x - TICK_LEN - 2, loss_y (layout, v), 1.0, 0.5);
    }
  nl_text_draw (cr, cache, style, _("Step"), 0.92, NL_TEXT_BOLD, &style->foreground,
                p->x + p->width / 2, bottom + TICK_LEN + 2 + px * 1.3, 0.5, 0.0);
  nl_text_draw (cr, cache, style,
                scene->y_name != NULL ? scene->y_name
                : layout->log_scale   ? _("Loss (log scale)")
                                      : _("Loss"),
                0.92, NL_TEXT_BOLD, &style->foreground, MARGIN, p->y - 5, 0.0, 1.0);

  /* The series, clipped to the plot. */
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y - 2, p->width + 2, p->height + 4);
  cairo_clip (cr);
  {
    /* A series another one draws over (two rates with the same losses) is drawn wider,
     * so both stay visible. */
    guint n = MIN (scene->n_series, NL_SURFACE_MAX_TRAJECTORIES);
    double extra[NL_SURFACE_MAX_TRAJECTORIES];

    for (guint k = n; k-- > 0;)
      {
        guint covering = 0;

        for (guint j = k + 1; j < n; j++)
          if (series_coincide (layout, scene, &scene->series[k], &scene->series[j]))
            covering = MAX (covering, (guint) (extra[j] / 2.5 + 1.5));
        extra[k] = 2.5 * MIN (covering, 2u);
      }
    for (guint k = 0; k < n; k++)
      draw_loss_series (cr, layout, scene, &scene->series[k], 2.5 + extra[k]);
  }
  cairo_restore (cr);

  draw_loss_legend (cr, layout, scene, style, cache);
  cairo_restore (cr);
  nl_render_cache_release (given_cache, cache);
}

/* ---- The race as one figure ---------------------------------------------------------- */

void
nl_render_race_picture (cairo_t *cr, const NlSurfaceScene *surface, const NlRaceLossScene *loss,
                        const NlRenderStyle *style, NlRenderCache *cache, double width,
                        double height)
{
  double loss_height = MIN (MAX (round (height * 0.3), 200), height / 2);
  NlSurfaceLayout layout;
  NlRaceLossLayout loss_layout;

  g_return_if_fail (cr != NULL && surface != NULL && loss != NULL && style != NULL);

  nl_surface_layout_compute (&layout, surface, width, height - loss_height, style, cache);
  nl_render_surface (cr, &layout, surface, style, cache);
  cairo_save (cr);
  cairo_translate (cr, 0, height - loss_height);
  nl_race_loss_layout_compute (&loss_layout, loss, width, loss_height, style);
  nl_render_race_loss (cr, &loss_layout, loss, style, cache);
  cairo_restore (cr);
}
