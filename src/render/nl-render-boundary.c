/* nl-render-boundary.c: the output heatmap with the data on top, axes and a legend. */
#include "nl-render-boundary.h"
#include "nl-render-heatmap.h"
#include "nl-render-loss.h"
#include "nl-render-private.h"
#include "nl-render-raster.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MARGIN        8.0
#define TICK_LEN      4.0
#define CONF_LEVELS   64
/* Bands of a discretised regression surface. */
#define REGRESSION_BANDS 8

void
nl_boundary_scene_init (NlBoundaryScene *scene)
{
  g_return_if_fail (scene != NULL);

  memset (scene, 0, sizeof *scene);
  scene->show_train = TRUE;
  scene->show_test = TRUE;
  scene->highlight_index = -1;
}

/* ---------------------------------------------------------------------------------------
 * Layout
 */

void
nl_boundary_layout_compute (NlBoundaryLayout *layout, NlBoundaryLayoutFlags flags,
                            double width, double height, const NlRenderStyle *style)
{
  double px = nl_text_px (style, 0.92);
  gboolean axes = !(flags & NL_BOUNDARY_LAYOUT_NO_AXES);
  gboolean legend = !(flags & NL_BOUNDARY_LAYOUT_NO_LEGEND);
  double left = axes ? MARGIN + ceil (px * 1.6) + 6 + ceil (px * 1.6) + TICK_LEN + 3 : 0;
  double bottom = axes ? TICK_LEN + 3 + ceil (px * 1.3) + ceil (px * 1.5) + MARGIN : 0;
  double top = axes ? MARGIN + 2 : 0;
  double right = legend ? ceil (px * 7.0) + 16 : (axes ? MARGIN : 0);
  double side;

  g_return_if_fail (layout != NULL && style != NULL);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  layout->flags = flags;
  layout->font_scale = style->font_scale;
  side = floor (MAX (MIN (width - left - right, height - top - bottom), 1.0));
  /* Centre what is left over so the plot never hugs one edge. */
  left += floor ((width - left - right - side) / 2);
  top += floor ((height - top - bottom - side) / 2);
  layout->plot = (NlRect) { left, top, side, side };
  if (legend)
    layout->legend = (NlRect) { left + side + 16, top, right - 16, side };
  layout->point_radius = CLAMP (side / 105.0, 2.5, 5.5);
}

gboolean
nl_boundary_layout_to_plane (const NlBoundaryLayout *layout, double x, double y, double *x1,
                             double *x2)
{
  const NlRect *p = &layout->plot;
  double span = NN_PLANE_MAX - NN_PLANE_MIN;

  *x1 = NN_PLANE_MIN + (x - p->x) / p->width * span;
  *x2 = NN_PLANE_MAX - (y - p->y) / p->height * span;
  return x >= p->x && x <= p->x + p->width && y >= p->y && y <= p->y + p->height;
}

void
nl_boundary_layout_from_plane (const NlBoundaryLayout *layout, double x1, double x2, double *x,
                               double *y)
{
  const NlRect *p = &layout->plot;
  double span = NN_PLANE_MAX - NN_PLANE_MIN;

  *x = p->x + (x1 - NN_PLANE_MIN) / span * p->width;
  *y = p->y + (NN_PLANE_MAX - x2) / span * p->height;
}

/* ---------------------------------------------------------------------------------------
 * The heatmap
 */

static gboolean
uses_classes (const NlBoundaryScene *scene)
{
  return scene->n_classes >= 2 && (scene->class_probs != NULL || scene->class_index != NULL);
}

static void
value_range (const NlBoundaryScene *scene, double *lo, double *hi)
{
  *lo = scene->value_lo, *hi = scene->value_hi;
  if (*hi > *lo)
    return;
  nl_render_activation_range (NN_ACTIVATION_IDENTITY, scene->values,
                              (gsize) scene->res * scene->res, lo, hi);
}

/* Discretising a value grid: a two-entry (binary) or banded (regression) table. */
static void
discrete_lut (const NlBoundaryScene *scene, const NlRenderStyle *style, guint32 *lut)
{
  guint bands = scene->problem == NN_PROBLEM_REGRESSION ? REGRESSION_BANDS : 2;

  for (guint i = 0; i < NL_RENDER_LUT_SIZE; i++)
    {
      guint band = MIN (i * bands / NL_RENDER_LUT_SIZE, bands - 1);
      /* Each band takes the colour of its centre value. */
      guint centre = (guint) ((band + 0.5) * NL_RENDER_LUT_SIZE / bands);
      if (bands == 2)
        centre = band == 0 ? 24 : NL_RENDER_LUT_SIZE - 25;
      lut[i] = style->boundary_lut[MIN (centre, NL_RENDER_LUT_SIZE - 1)];
    }
}

static void
fill_values (cairo_surface_t *s, const NlBoundaryScene *scene, const NlRenderStyle *style)
{
  guint32 lut[NL_RENDER_LUT_SIZE];
  guint32 *data = (guint32 *) cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), n = cairo_image_surface_get_width (s);
  double lo, hi;

  value_range (scene, &lo, &hi);
  if (scene->discretize)
    discrete_lut (scene, style, lut);
  else
    memcpy (lut, style->boundary_lut, sizeof lut);
  /* At the plot's pixel size, values are interpolated before they are coloured: the
   * boundary between two classes stays a clean edge even when discretised. */
  if ((guint) n == scene->res)
    nl_render_heatmap_fill (data, stride, scene->values, scene->res, lo, hi, lut);
  else
    nl_render_heatmap_fill_scaled (data, stride, n, n, scene->values, scene->res, lo, hi, lut);
}

/* Per class, CONF_LEVELS shades from the neutral surface (chance) to the washed class
 * colour (certain). */
static void
class_luts (const NlBoundaryScene *scene, const NlRenderStyle *style,
            guint32 luts[][CONF_LEVELS])
{
  double wash = style->theme == NL_RENDER_THEME_DARK ? 0.5 : 0.45;

  for (guint k = 0; k < scene->n_classes; k++)
    {
      NlRgba c = nl_render_style_class_color (style, k);
      NlRgba full = nl_rgba_mix (&c, &style->surface, wash);

      for (guint i = 0; i < CONF_LEVELS; i++)
        {
          /* Even an uncertain region keeps a hint of its class. */
          NlRgba shade = nl_rgba_mix (&style->surface, &full, 0.25 + 0.75 * i / (CONF_LEVELS - 1));
          luts[k][i] = nl_rgba_to_pixel (&shade);
        }
    }
}

/* Class probabilities at a point between grid cells, interpolated bilinearly. */
typedef struct
{
  int   r0, r1, c0, c1;
  float fy, fx;
} Sample;

static double
sample_grid (const double *g, guint res, const Sample *sm)
{
  double a = g[(gsize) sm->r0 * res + sm->c0], b = g[(gsize) sm->r0 * res + sm->c1];
  double c = g[(gsize) sm->r1 * res + sm->c0], d = g[(gsize) sm->r1 * res + sm->c1];
  double top = a + sm->fx * (b - a), bottom = c + sm->fx * (d - c);

  return top + sm->fy * (bottom - top);
}

/* The most likely class at a sample and its probability. */
static void
sample_class (const NlBoundaryScene *scene, const Sample *sm, guint *k, double *p)
{
  gsize cells = (gsize) scene->res * scene->res;

  if (scene->class_probs != NULL)
    {
      *k = 0, *p = sample_grid (scene->class_probs, scene->res, sm);
      for (guint j = 1; j < scene->n_classes; j++)
        {
          double q = sample_grid (scene->class_probs + j * cells, scene->res, sm);
          if (q > *p)
            *k = j, *p = q;
        }
      return;
    }
  /* Indices cannot be interpolated: the nearest cell decides. */
  {
    gsize i = (gsize) (sm->fy < 0.5 ? sm->r0 : sm->r1) * scene->res
              + (sm->fx < 0.5 ? sm->c0 : sm->c1);
    *k = MIN (scene->class_index[i], scene->n_classes - 1);
    *p = scene->class_confidence != NULL ? scene->class_confidence[i] : 1.0;
  }
}

/* Fills an n×n image: each pixel the colour of its most likely class, shaded by how sure
 * the network is (from chance 1/K to certain). */
static void
fill_classes (cairo_surface_t *s, const NlBoundaryScene *scene, const NlRenderStyle *style)
{
  guint32 luts[NL_RENDER_MAX_CLASSES][CONF_LEVELS];
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), n = cairo_image_surface_get_width (s);
  double chance = 1.0 / scene->n_classes;
  g_autofree int *pos = g_new (int, n);
  g_autofree float *w = g_new (float, n);

  class_luts (scene, style, luts);
  nl_render_sample_positions (n, scene->res, pos, w);
  for (int row = 0; row < n; row++)
    {
      guint32 *out = (guint32 *) (data + (gsize) row * stride);
      Sample sm = { pos[row], MIN (pos[row] + 1, (int) scene->res - 1), 0, 0, w[row], 0 };

      for (int col = 0; col < n; col++)
        {
          guint k;
          double p, c;

          sm.c0 = pos[col], sm.c1 = MIN (pos[col] + 1, (int) scene->res - 1), sm.fx = w[col];
          sample_class (scene, &sm, &k, &p);
          c = scene->discretize ? 1.0 : (p - chance) / (1.0 - chance);
          c = isnan (c) ? 0.0 : CLAMP (c, 0.0, 1.0);
          out[col] = luts[k % NL_RENDER_MAX_CLASSES][(guint) (c * (CONF_LEVELS - 1) + 0.5)];
        }
    }
}

static guint32
options_key (const NlBoundaryScene *scene)
{
  guint32 h = (guint32) scene->discretize | (guint32) uses_classes (scene) << 1
              | scene->n_classes << 2 | (guint32) scene->problem << 6;
  gint64 lo = (gint64) (scene->value_lo * 1e6), hi = (gint64) (scene->value_hi * 1e6);

  return h ^ (guint32) (lo * 2654435761u) ^ (guint32) (hi * 40503u);
}

/* The heatmap image: drawn to pixels, at the plot's exact pixel size; for vector targets
 * at the grid's resolution, scaled by the viewer. */
static cairo_surface_t *
boundary_image (NlRenderCache *cache, const NlBoundaryScene *scene, const NlRenderStyle *style,
                guint pixels)
{
  guint32 hash = nl_render_lut_hash (style->boundary_lut);
  guint32 options = options_key (scene);
  guint n = pixels > 0 ? pixels : scene->res;
  guint32 geometry = scene->res * 65536u + n;
  cairo_surface_t *s;

  if (scene->serial != 0 && scene->serial == cache->boundary_serial && cache->boundary != NULL
      && cache->boundary_geometry == geometry && cache->boundary_lut_hash == hash
      && cache->boundary_options == options)
    return cache->boundary;
  s = nl_render_cache_image (&cache->boundary, n);
  cairo_surface_flush (s);
  if (uses_classes (scene))
    fill_classes (s, scene, style);
  else
    fill_values (s, scene, style);
  cairo_surface_mark_dirty (s);
  cache->boundary_serial = scene->serial;
  cache->boundary_geometry = geometry;
  cache->boundary_lut_hash = hash;
  cache->boundary_options = options;
  return s;
}

/* ---------------------------------------------------------------------------------------
 * Points
 */

typedef struct
{
  double lo, hi;          /* the value range of the colour map */
  NlRgba outline;         /* contrasting edge around every marker */
} PointStyle;

#define REGRESSION_POINT_LEVELS 24

static guint
n_point_groups (const NlBoundaryScene *scene)
{
  return scene->problem == NN_PROBLEM_REGRESSION ? REGRESSION_POINT_LEVELS
                                                 : NL_RENDER_MAX_CLASSES;
}

/* Points are drawn in groups of one colour so each group is one fill and one stroke. */
static guint
point_group (const NlBoundaryScene *scene, const PointStyle *ps, const NnPoint *p)
{
  double t;

  if (scene->problem != NN_PROBLEM_REGRESSION)
    return isfinite (p->y) && p->y >= 0 ? (guint) p->y % NL_RENDER_MAX_CLASSES : 0;
  t = (p->y - ps->lo) / (ps->hi - ps->lo);
  t = isnan (t) ? 0.5 : CLAMP (t, 0.0, 1.0);
  return (guint) (t * (REGRESSION_POINT_LEVELS - 1) + 0.5);
}

static NlRgba
group_color (const NlBoundaryScene *scene, const NlRenderStyle *style, guint group)
{
  if (scene->problem != NN_PROBLEM_REGRESSION)
    return nl_render_style_class_color (style, group);
  return nl_render_style_diverging (style, 2.0 * group / (REGRESSION_POINT_LEVELS - 1) - 1.0);
}

static guint
add_point_group (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
                 const PointStyle *ps, const NnPoint *pts, guint n, guint group, double r)
{
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      double x, y;

      if (point_group (scene, ps, &pts[i]) != group || !isfinite (pts[i].x1)
          || !isfinite (pts[i].x2))
        continue;
      nl_boundary_layout_from_plane (layout, pts[i].x1, pts[i].x2, &x, &y);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      count++;
    }
  return count;
}

/* The marker path's two strokes or fill-and-stroke: a train point is a filled disc with a
 * thin contrasting edge, a test point a ring in the class colour between two edges. */
static void
paint_marker_path (cairo_t *cr, const NlRgba *fill, const NlRgba *outline, gboolean hollow)
{
  if (hollow)
    {
      nl_render_set_source (cr, outline);
      cairo_set_line_width (cr, 3.6);
      cairo_stroke_preserve (cr);
      nl_render_set_source (cr, fill);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
      return;
    }
  nl_render_set_source (cr, fill);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, outline);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

typedef struct
{
  cairo_surface_t *surface;
  int              size;     /* device pixels, square */
} Sprite;

/* One marker drawn once into a small image, to be stamped at every point of its group. */
static Sprite
sprite_new (double scale, double r, const NlRgba *fill, const NlRgba *outline,
            gboolean hollow)
{
  Sprite sp;
  cairo_t *cr;
  double c;

  sp.size = (int) ceil ((r + 2.5) * 2 * scale);
  sp.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sp.size, sp.size);
  cairo_surface_set_device_scale (sp.surface, scale, scale);
  cr = cairo_create (sp.surface);
  c = sp.size / scale / 2;
  cairo_arc (cr, c, c, r, 0, 2 * G_PI);
  paint_marker_path (cr, fill, outline, hollow);
  cairo_destroy (cr);
  return sp;
}

/* Stamps the sprite at each point of the group, snapped to whole device pixels. Cairo
 * would rasterise every circle through its own mask (~20 µs a point). */
static void
stamp_group (NlRaster *raster, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
             const PointStyle *ps, const NnPoint *pts, guint n, guint group, const Sprite *sp)
{
  const guint8 *data;
  int stride;

  cairo_surface_flush (sp->surface);
  data = cairo_image_surface_get_data (sp->surface);
  stride = cairo_image_surface_get_stride (sp->surface);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      if (point_group (scene, ps, &pts[i]) != group || !isfinite (pts[i].x1)
          || !isfinite (pts[i].x2))
        continue;
      nl_boundary_layout_from_plane (layout, pts[i].x1, pts[i].x2, &x, &y);
      nl_raster_blit (raster, data, stride, sp->size, sp->size,
                      (int) round (x * raster->scale + raster->x0 - sp->size / 2.0),
                      (int) round (y * raster->scale + raster->y0 - sp->size / 2.0));
    }
}

static gboolean
group_used (const NlBoundaryScene *scene, const PointStyle *ps, const NnPoint *pts, guint n,
            guint group)
{
  for (guint i = 0; i < n; i++)
    if (point_group (scene, ps, &pts[i]) == group)
      return TRUE;
  return FALSE;
}

static void
draw_point_set (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
                const NlRenderStyle *style, const PointStyle *ps, const NnPoint *pts, guint n,
                gboolean hollow)
{
  double r = hollow ? layout->point_radius - 0.5 : layout->point_radius;
  NlRaster raster;
  gboolean stamp = nl_raster_begin (&raster, cr);

  for (guint g = 0; g < n_point_groups (scene); g++)
    {
      NlRgba c = group_color (scene, style, g);

      if (stamp)
        {
          Sprite sp;

          if (!group_used (scene, ps, pts, n, g))
            continue;
          sp = sprite_new (raster.scale, r, &c, &ps->outline, hollow);
          stamp_group (&raster, layout, scene, ps, pts, n, g, &sp);
          cairo_surface_destroy (sp.surface);
        }
      else if (add_point_group (cr, layout, scene, ps, pts, n, g, r) > 0)
        paint_marker_path (cr, &c, &ps->outline, hollow);
    }
  if (stamp)
    nl_raster_end (&raster);
}

static void
draw_highlight_point (cairo_t *cr, const NlBoundaryLayout *layout,
                      const NlBoundaryScene *scene, const NlRenderStyle *style)
{
  const NnPoint *pts = scene->highlight_is_test ? scene->test : scene->train;
  guint n = scene->highlight_is_test ? scene->n_test : scene->n_train;
  double x, y;

  if (scene->highlight_index < 0 || (guint) scene->highlight_index >= n || pts == NULL)
    return;
  nl_boundary_layout_from_plane (layout, pts[scene->highlight_index].x1,
                                 pts[scene->highlight_index].x2, &x, &y);
  cairo_arc (cr, x, y, layout->point_radius + 4.5, 0, 2 * G_PI);
  nl_render_set_source (cr, &style->background);
  cairo_set_line_width (cr, 4.5);
  cairo_stroke_preserve (cr);
  nl_render_set_source (cr, &style->highlight);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
}

static PointStyle
point_style (const NlBoundaryScene *scene, const NlRenderStyle *style)
{
  PointStyle ps;

  ps.lo = -1.0, ps.hi = 1.0;
  if (scene->values != NULL && !uses_classes (scene))
    value_range (scene, &ps.lo, &ps.hi);
  if (style->theme == NL_RENDER_THEME_DARK)
    ps.outline = (NlRgba) { 1, 1, 1, 0.85 };
  else
    ps.outline = (NlRgba) { 0.08, 0.08, 0.1, 0.7 };
  return ps;
}

static void
draw_points (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
             const NlRenderStyle *style)
{
  PointStyle ps = point_style (scene, style);

  cairo_save (cr);
  cairo_rectangle (cr, layout->plot.x - 6, layout->plot.y - 6, layout->plot.width + 12,
                   layout->plot.height + 12);
  cairo_clip (cr);
  if (scene->show_train && scene->train != NULL)
    draw_point_set (cr, layout, scene, style, &ps, scene->train, scene->n_train, FALSE);
  if (scene->show_test && scene->test != NULL)
    draw_point_set (cr, layout, scene, style, &ps, scene->test, scene->n_test, TRUE);
  draw_highlight_point (cr, layout, scene, style);
  cairo_restore (cr);
}

gboolean
nl_boundary_hit_point (const NlBoundaryLayout *layout, const NlBoundaryScene *scene, double x,
                       double y, double radius, int *index, gboolean *is_test)
{
  double best = radius * radius;
  gboolean found = FALSE;

  for (int set = 0; set < 2; set++)
    {
      const NnPoint *pts = set ? scene->test : scene->train;
      guint n = set ? scene->n_test : scene->n_train;

      if (pts == NULL || !(set ? scene->show_test : scene->show_train))
        continue;
      for (guint i = 0; i < n; i++)
        {
          double px, py, d;
          nl_boundary_layout_from_plane (layout, pts[i].x1, pts[i].x2, &px, &py);
          d = (px - x) * (px - x) + (py - y) * (py - y);
          if (d <= best)
            {
              best = d, found = TRUE;
              *index = (int) i, *is_test = set;
            }
        }
    }
  return found;
}

/* ---------------------------------------------------------------------------------------
 * Axes and legend
 */

static void
draw_axes (cairo_t *cr, const NlBoundaryLayout *layout, const NlRenderStyle *style,
           NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  double step = p->width >= 220 ? 2.0 : p->width >= 120 ? 3.0 : 6.0;
  double px = nl_text_px (style, 0.92), bottom = p->y + p->height, x, y;
  char label[32];

  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->muted);
  for (double v = NN_PLANE_MIN; v <= NN_PLANE_MAX + 1e-9; v += step)
    {
      nl_boundary_layout_from_plane (layout, v, v, &x, &y);
      cairo_move_to (cr, nl_snap (x, 1), bottom);
      cairo_line_to (cr, nl_snap (x, 1), bottom + TICK_LEN);
      cairo_move_to (cr, p->x - TICK_LEN, nl_snap (y, 1));
      cairo_line_to (cr, p->x, nl_snap (y, 1));
    }
  cairo_stroke (cr);
  for (double v = NN_PLANE_MIN; v <= NN_PLANE_MAX + 1e-9; v += step)
    {
      nl_boundary_layout_from_plane (layout, v, v, &x, &y);
      nl_format_tick (label, sizeof label, v, step);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted, x,
                    bottom + TICK_LEN + 2, 0.5, 0.0);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted,
                    p->x - TICK_LEN - 4, y, 1.0, 0.5);
    }
  nl_text_draw (cr, cache, style, _("x₁"), 1.0, NL_TEXT_BOLD | NL_TEXT_ITALIC,
                &style->foreground, p->x + p->width / 2, bottom + TICK_LEN + 2 + px * 1.3,
                0.5, 0.0);
  nl_text_draw (cr, cache, style, _("x₂"), 1.0, NL_TEXT_BOLD | NL_TEXT_ITALIC,
                &style->foreground, p->x - TICK_LEN - 6 - px * 1.7, p->y + p->height / 2,
                1.0, 0.5);
}

static void
frame_plot (cairo_t *cr, const NlRect *p, const NlRenderStyle *style)
{
  double x0 = nl_snap (p->x, 1) - 1, y0 = nl_snap (p->y, 1) - 1;
  double x1 = nl_snap (p->x + p->width, 1), y1 = nl_snap (p->y + p->height, 1);

  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);
}

/* One legend row: a marker (filled disc, ring, or swatch) and a label; returns the row's
 * height. */
static double
legend_row (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache, double x,
            double y, const NlRgba *fill, gboolean hollow, const char *label)
{
  double px = nl_text_px (style, 0.92), cy = y + px * 0.75, r = 5;
  NlRgba outline = style->theme == NL_RENDER_THEME_DARK ? (NlRgba) { 1, 1, 1, 0.85 }
                                                         : (NlRgba) { 0.08, 0.08, 0.1, 0.7 };

  cairo_arc (cr, x + r + 1, cy, r, 0, 2 * G_PI);
  paint_marker_path (cr, fill, &outline, hollow);
  nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->foreground,
                x + 2 * r + 7, cy, 0.0, 0.5);
  return ceil (px * 1.55);
}

static cairo_surface_t *
vertical_strip_new (const guint32 *lut)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, NL_RENDER_LUT_SIZE);
  guint8 *data;
  int stride;

  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  /* Highest value at the top. */
  for (guint i = 0; i < NL_RENDER_LUT_SIZE; i++)
    *(guint32 *) (data + (gsize) i * stride) = lut[NL_RENDER_LUT_SIZE - 1 - i];
  cairo_surface_mark_dirty (s);
  return s;
}

static double
draw_color_bar (cairo_t *cr, const NlBoundaryScene *scene, const NlRenderStyle *style,
                NlRenderCache *cache, double x, double y, double height)
{
  guint32 lut[NL_RENDER_LUT_SIZE];
  cairo_surface_t *strip;
  double lo, hi, ticks[12];
  guint n;
  NlRect bar = { x + 1, y, 14, height };

  value_range (scene, &lo, &hi);
  if (scene->discretize)
    discrete_lut (scene, style, lut);
  else
    memcpy (lut, style->boundary_lut, sizeof lut);
  strip = vertical_strip_new (lut);
  nl_render_paint_surface_in_rect (cr, strip, bar.x, bar.y, bar.width, bar.height,
                                   !scene->discretize);
  cairo_surface_destroy (strip);
  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, bar.x - 0.5, nl_snap (bar.y, 1) - 1, bar.width + 1, bar.height + 1);
  cairo_stroke (cr);

  n = nl_render_nice_ticks (lo, hi, MAX (2, (guint) (height / 40)), ticks, G_N_ELEMENTS (ticks));
  for (guint i = 0; i < n; i++)
    {
      double ty = bar.y + (hi - ticks[i]) / (hi - lo) * bar.height;
      char label[32];

      nl_format_tick (label, sizeof label, ticks[i], n > 1 ? ticks[1] - ticks[0] : 1.0);
      cairo_move_to (cr, bar.x + bar.width, nl_snap (ty, 1));
      cairo_line_to (cr, bar.x + bar.width + 3, nl_snap (ty, 1));
      nl_render_set_source (cr, &style->muted);
      cairo_stroke (cr);
      nl_text_draw (cr, cache, style, label, 0.85, NL_TEXT_REGULAR, &style->muted,
                    bar.x + bar.width + 6, ty, 0.0, 0.5);
    }
  return height;
}

static const char *
legend_title (const NlBoundaryScene *scene)
{
  if (scene->value_label != NULL)
    return scene->value_label;
  if (scene->problem == NN_PROBLEM_REGRESSION)
    return _("Prediction");
  return uses_classes (scene) ? _("Class") : _("Output");
}

static double
draw_class_rows (cairo_t *cr, const NlBoundaryScene *scene, const NlRenderStyle *style,
                 NlRenderCache *cache, double x, double y)
{
  guint k_max = MAX (scene->n_classes, 2);
  double y0 = y;

  for (guint k = 0; k < k_max; k++)
    {
      NlRgba c = nl_render_style_class_color (style, k);
      g_autofree char *label = g_strdup_printf (_("Class %u"), k);
      y += legend_row (cr, style, cache, x, y, &c, FALSE, label);
    }
  return y - y0;
}

static void
draw_legend (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *r = &layout->legend;
  double px = nl_text_px (style, 0.92), y = r->y, x = r->x;
  NlRgba key = style->muted;

  if (r->height <= 0 || r->width <= 0)
    return;
  nl_text_draw (cr, cache, style, legend_title (scene), 0.92, NL_TEXT_BOLD,
                &style->foreground, x, y, 0.0, 0.0);
  y += ceil (px * 1.6);
  if (!uses_classes (scene) && scene->values != NULL)
    {
      double bar_h = CLAMP (r->height * 0.38, 60, 180);
      y += draw_color_bar (cr, scene, style, cache, x, y + px * 0.5, bar_h) + px * 1.4;
    }
  if (scene->problem != NN_PROBLEM_REGRESSION)
    y += draw_class_rows (cr, scene, style, cache, x, y) + px * 0.6;
  if (scene->show_train && scene->n_train > 0)
    y += legend_row (cr, style, cache, x, y, &key, FALSE, _("Train"));
  if (scene->show_test && scene->n_test > 0)
    legend_row (cr, style, cache, x, y, &key, TRUE, _("Test"));
}

/* ---------------------------------------------------------------------------------------
 * The view
 */

static void
draw_heatmap (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
              const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  double scale;
  guint pixels;

  if (scene->res == 0 || (scene->values == NULL && !uses_classes (scene)))
    {
      nl_render_set_source (cr, &style->surface);
      cairo_rectangle (cr, p->x, p->y, p->width, p->height);
      cairo_fill (cr);
      return;
    }
  scale = nl_raster_pixel_scale (cr);
  pixels = scale > 0 ? (guint) round (p->width * scale) : 0;

  nl_render_paint_surface_in_rect (cr, boundary_image (cache, scene, style, pixels), p->x,
                                   p->y, p->width, p->height, TRUE);
}

void
nl_render_boundary (cairo_t *cr, const NlBoundaryLayout *layout, const NlBoundaryScene *scene,
                    const NlRenderStyle *style, NlRenderCache *given_cache)
{
  NlRenderCache *cache;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  cairo_save (cr);
  nl_render_set_source (cr, &style->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);
  draw_heatmap (cr, layout, scene, style, cache);
  draw_points (cr, layout, scene, style);
  if (!(layout->flags & NL_BOUNDARY_LAYOUT_NO_AXES))
    {
      frame_plot (cr, &layout->plot, style);
      draw_axes (cr, layout, style, cache);
    }
  draw_legend (cr, layout, scene, style, cache);
  cairo_restore (cr);
  nl_render_cache_release (given_cache, cache);
}
