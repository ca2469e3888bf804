/* nl-render-raster.c: links drawn straight into image surface pixels. */
#include "nl-render-raster.h"

#include <math.h>
#include <string.h>

#define MAX_SAMPLES 96

/* Rectangle list of the clip in device pixels; FALSE unless it is one rectangle. */
static gboolean
device_clip (NlRaster *r, cairo_t *cr, int width, int height)
{
  cairo_rectangle_list_t *list = cairo_copy_clip_rectangle_list (cr);
  gboolean ok = list->status == CAIRO_STATUS_SUCCESS && list->num_rectangles == 1;

  r->clip_x0 = 0, r->clip_y0 = 0, r->clip_x1 = width, r->clip_y1 = height;
  if (ok)
    {
      const cairo_rectangle_t *c = &list->rectangles[0];
      r->clip_x0 = MAX (0, (int) ceil (c->x * r->scale + r->x0 - 1e-6));
      r->clip_y0 = MAX (0, (int) ceil (c->y * r->scale + r->y0 - 1e-6));
      r->clip_x1 = MIN (width, (int) floor ((c->x + c->width) * r->scale + r->x0 + 1e-6));
      r->clip_y1 = MIN (height, (int) floor ((c->y + c->height) * r->scale + r->y0 + 1e-6));
    }
  cairo_rectangle_list_destroy (list);
  return ok;
}

gboolean
nl_raster_begin (NlRaster *r, cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
  cairo_matrix_t m;
  double ox, oy, sx, sy;
  cairo_format_t format;

  memset (r, 0, sizeof *r);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE
      || cairo_get_operator (cr) != CAIRO_OPERATOR_OVER)
    return FALSE;
  format = cairo_image_surface_get_format (target);
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24)
    return FALSE;
  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_offset (target, &ox, &oy);
  cairo_surface_get_device_scale (target, &sx, &sy);
  if (m.xy != 0 || m.yx != 0 || m.xx != m.yy || m.xx <= 0 || sx != sy)
    return FALSE;
  r->scale = m.xx * sx;
  r->x0 = m.x0 * sx + ox;
  r->y0 = m.y0 * sy + oy;
  if (!device_clip (r, cr, cairo_image_surface_get_width (target),
                    cairo_image_surface_get_height (target)))
    return FALSE;
  cairo_surface_flush (target);
  r->target = target;
  r->data = cairo_image_surface_get_data (target);
  r->stride = cairo_image_surface_get_stride (target);
  r->opaque = format == CAIRO_FORMAT_RGB24;
  r->dirty_x0 = r->clip_x1, r->dirty_y0 = r->clip_y1;
  r->dirty_x1 = r->clip_x0, r->dirty_y1 = r->clip_y0;
  return TRUE;
}

void
nl_raster_end (NlRaster *r)
{
  if (r->target == NULL)
    return;
  if (r->dirty_x1 > r->dirty_x0 && r->dirty_y1 > r->dirty_y0)
    {
      /* mark_dirty_rectangle takes device-space coordinates minus the device offset. */
      double ox, oy;
      cairo_surface_get_device_offset (r->target, &ox, &oy);
      cairo_surface_mark_dirty_rectangle (r->target, r->dirty_x0 - (int) ox,
                                          r->dirty_y0 - (int) oy, r->dirty_x1 - r->dirty_x0,
                                          r->dirty_y1 - r->dirty_y0);
    }
  r->target = NULL;
}

double
nl_raster_pixel_scale (cairo_t *cr)
{
  NlRaster r;
  double scale;

  if (!nl_raster_begin (&r, cr))
    return 0;
  scale = r.scale;
  nl_raster_end (&r);
  return scale;
}

/* A colour ready for blending: premultiplied channels packed in pairs (red and blue,
 * alpha and green, each pair in bits 0–7 and 16–23) and as one opaque pixel. */
typedef struct
{
  guint32 rb, ag;
  guint   alpha;
  guint32 solid;
} Paint;

static Paint
paint_new (const NlRgba *color)
{
  double a = CLAMP (color->a, 0, 1);
  guint r = (guint) (CLAMP (color->r, 0, 1) * a * 255 + 0.5);
  guint g = (guint) (CLAMP (color->g, 0, 1) * a * 255 + 0.5);
  guint b = (guint) (CLAMP (color->b, 0, 1) * a * 255 + 0.5);
  Paint p;

  p.alpha = (guint) (a * 255 + 0.5);
  p.rb = r << 16 | b;
  p.ag = p.alpha << 16 | g;
  p.solid = p.alpha << 24 | r << 16 | g << 8 | b;
  return p;
}

/* Two 16-bit lanes (bits 0–15 and 16–31), each ≤ 255 · 255, divided by 255 and rounded. */
static inline guint32
div255_pair (guint32 t)
{
  t += 0x00800080u;
  return ((t + ((t >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
}

/* Premultiplied OVER with coverage cov ∈ [0, 255]: d = (s·cov + d·(255 − a)) / 255 with
 * a = alpha·cov / 255 rounded up, two channels per multiply. Rounding a up keeps each
 * lane's sum ≤ 255 · 255 (s ≤ alpha), so no channel can carry into its neighbour. */
static inline void
blend (guint32 *px, const Paint *p, guint cov, gboolean opaque)
{
  guint32 d = *px;
  guint inv = 255 - (p->alpha * cov + 254) / 255;
  guint32 rb = div255_pair ((d & 0x00ff00ffu) * inv + p->rb * cov);
  guint32 ag = div255_pair (((d >> 8) & 0x00ff00ffu) * inv + p->ag * cov);

  if (opaque)
    ag |= 0x00ff0000u;
  *px = (ag << 8) | rb;
}

/* OVER of a premultiplied source pixel. */
static inline void
blend_pixel (guint32 *px, guint32 src, gboolean opaque)
{
  guint a = src >> 24;
  guint32 d = *px, rb, ag;

  if (a == 255)
    {
      *px = src;
      return;
    }
  if (a == 0)
    return;
  rb = (src & 0x00ff00ffu) + div255_pair ((d & 0x00ff00ffu) * (255 - a));
  ag = ((src >> 8) & 0x00ff00ffu) + div255_pair (((d >> 8) & 0x00ff00ffu) * (255 - a));
  if (opaque)
    ag |= 0x00ff0000u;
  *px = (ag << 8) | rb;
}

void
nl_raster_blit (NlRaster *r, const guint8 *sprite, int stride, int w, int h, int dx, int dy)
{
  int x0 = MAX (dx, r->clip_x0), x1 = MIN (dx + w, r->clip_x1);
  int y0 = MAX (dy, r->clip_y0), y1 = MIN (dy + h, r->clip_y1);

  if (x1 <= x0 || y1 <= y0)
    return;
  for (int y = y0; y < y1; y++)
    {
      const guint32 *src = (const guint32 *) (sprite + (gsize) (y - dy) * stride) + (x0 - dx);
      guint32 *dst = (guint32 *) (r->data + (gsize) y * r->stride) + x0;

      for (int x = 0; x < x1 - x0; x++)
        blend_pixel (dst + x, src[x], r->opaque);
    }
  r->dirty_x0 = MIN (r->dirty_x0, x0), r->dirty_x1 = MAX (r->dirty_x1, x1);
  r->dirty_y0 = MIN (r->dirty_y0, y0), r->dirty_y1 = MAX (r->dirty_y1, y1);
}

/* Overlap of [a, b] with the pixel row [y, y + 1]. */
static inline double
overlap (double a, double b, double y)
{
  double lo = MAX (a, y), hi = MIN (b, y + 1.0);

  return hi > lo ? hi - lo : 0.0;
}

typedef struct
{
  int    n;
  double x[MAX_SAMPLES + 1];
  double y[MAX_SAMPLES + 1];
  double slope[MAX_SAMPLES];    /* per piece: dy/dx ... */
  double stretch[MAX_SAMPLES];  /* ... and √(1 + slope²) */
} Polyline;

/* The curve in device pixels, sampled finely enough that linear pieces stay within a
 * fraction of a pixel of it. */
static void
sample_curve (Polyline *pl, double x0, double y0, double x1, double y1, double bend)
{
  double d = x1 - x0, k = bend * d;

  pl->n = CLAMP ((int) (d / 4 + fabs (y1 - y0) / 8), 8, MAX_SAMPLES);
  for (int i = 0; i <= pl->n; i++)
    {
      double t = (double) i / pl->n, u = 1 - t;
      pl->x[i] = u * u * u * x0 + 3 * u * u * t * (x0 + k) + 3 * u * t * t * (x1 - k)
                 + t * t * t * x1;
      pl->y[i] = y0 + (y1 - y0) * (3 * t * t - 2 * t * t * t);
    }
  for (int i = 0; i < pl->n; i++)
    {
      double dx = pl->x[i + 1] - pl->x[i];
      pl->slope[i] = dx > 1e-9 ? (pl->y[i + 1] - pl->y[i]) / dx : 0;
      pl->stretch[i] = sqrt (1 + pl->slope[i] * pl->slope[i]);
    }
}

/* Centre height and vertical half-thickness of the ribbon at device x. */
static inline void
ribbon_at (const Polyline *pl, int *seg, double x, double half, double *yc, double *hv)
{
  while (*seg < pl->n - 1 && pl->x[*seg + 1] < x)
    (*seg)++;
  *yc = pl->y[*seg] + pl->slope[*seg] * (x - pl->x[*seg]);
  /* A ribbon of thickness w crossed vertically is w·√(1 + m²) tall. */
  *hv = half * pl->stretch[*seg];
}

static void
mark (NlRaster *r, int x, int y0, int y1)
{
  r->dirty_x0 = MIN (r->dirty_x0, x), r->dirty_x1 = MAX (r->dirty_x1, x + 1);
  r->dirty_y0 = MIN (r->dirty_y0, y0), r->dirty_y1 = MAX (r->dirty_y1, y1);
}

/* Coverage of pixel row py by the sub-column spans, in 1/255ths. */
static inline guint
row_coverage (const double *top, const double *bot, int used, int n_sub, int py)
{
  double cov = 0;

  for (int s = 0; s < used; s++)
    cov += overlap (top[s], bot[s], py);
  return MIN ((guint) (cov / n_sub * 255 + 0.5), 255u);
}

/* One device column: the vertical spans of `used` of its n_sub sub-columns (fewer at the
 * ribbon's ends), averaged into coverage. Rows inside every span are solid and skip the
 * averaging; only the rows at the edges are anti-aliased. */
static void
draw_column (NlRaster *r, int px, const double *top, const double *bot, int used, int n_sub,
             const Paint *c)
{
  double lo = top[0], hi = bot[0], in_lo = top[0], in_hi = bot[0];
  gboolean full_width = used == n_sub;
  guint8 *row;
  int y0, y1;

  for (int s = 1; s < used; s++)
    {
      lo = MIN (lo, top[s]), hi = MAX (hi, bot[s]);
      in_lo = MAX (in_lo, top[s]), in_hi = MIN (in_hi, bot[s]);
    }
  y0 = MAX ((int) floor (lo), r->clip_y0);
  y1 = MIN ((int) ceil (hi), r->clip_y1);
  row = r->data + (gsize) y0 * r->stride + (gsize) px * 4;
  for (int py = y0; py < y1; py++, row += r->stride)
    {
      guint32 *p = (guint32 *) row;
      guint cov = full_width && py >= in_lo && py + 1 <= in_hi
                    ? 255 : row_coverage (top, bot, used, n_sub, py);

      if (cov == 255 && c->alpha == 255)
        *p = c->solid;
      else if (cov > 0)
        blend (p, c, cov, r->opaque);
    }
  if (y1 > y0)
    mark (r, px, y0, y1);
}

/* ∫ clamp(u, 0, 1) du, the antiderivative used for exact box-filter coverage. */
static inline double
ramp_integral (double u)
{
  if (u <= 0)
    return 0;
  if (u >= 1)
    return u - 0.5;
  return u * u / 2;
}

/* An edge crossing a column linearly from e0 to e1; inv is 1 / (e1 − e0), or 0 when flat. */
typedef struct
{
  double e0, e1, inv;
} Edge;

static inline Edge
edge_new (double e0, double e1)
{
  Edge e = { e0, e1, fabs (e1 - e0) > 1e-9 ? 1.0 / (e1 - e0) : 0.0 };
  return e;
}

/* Average over the column of clamp(e(x) − py, 0, 1). */
static inline double
edge_area (const Edge *e, double py)
{
  double a = e->e0 - py, b = e->e1 - py;

  if (a <= 0 && b <= 0)
    return 0;
  if (a >= 1 && b >= 1)
    return 1;
  if (e->inv == 0)
    return CLAMP (a, 0, 1);
  return (ramp_integral (b) - ramp_integral (a)) * e->inv;
}

/* A column crossed over a share `width` ∈ (0, 1] of its width by a band between a top edge
 * (t0 → t1) and a bottom edge (b0 → b1). Coverage is the exact area of the band in each
 * pixel: overlap([top, bot], row) = clamp(bot − py) − clamp(top − py), integrated. */
static void
draw_band_column (NlRaster *r, int px, double width, double t0, double t1, double b0,
                  double b1, const Paint *c)
{
  Edge top = edge_new (t0, t1), bot = edge_new (b0, b1);
  int y0 = MAX ((int) floor (MIN (t0, t1)), r->clip_y0);
  int y1 = MIN ((int) ceil (MAX (b0, b1)), r->clip_y1);
  /* Rows below both top ends and above both bottom ends are fully covered. */
  int solid0 = width >= 1 ? (int) ceil (MAX (t0, t1)) : y1;
  int solid1 = width >= 1 ? (int) floor (MIN (b0, b1)) : y1;
  guint8 *row = r->data + (gsize) y0 * r->stride + (gsize) px * 4;

  for (int py = y0; py < y1; py++, row += r->stride)
    {
      guint32 *p = (guint32 *) row;
      double area;
      guint cov;

      if (py >= solid0 && py < solid1)
        area = 1;
      else
        area = (edge_area (&bot, py) - edge_area (&top, py)) * width;
      cov = MIN ((guint) (area * 255 + 0.5), 255u);
      if (cov == 255 && c->alpha == 255)
        *p = c->solid;
      else if (cov > 0)
        blend (p, c, cov, r->opaque);
    }
  if (y1 > y0)
    mark (r, px, y0, y1);
}

void
nl_raster_link (NlRaster *r, double x0, double y0, double x1, double y1, double bend,
                double width, const NlRgba *color)
{
  Polyline pl;
  double half = width * r->scale / 2;
  Paint c = paint_new (color);
  int seg = 0, first, last;

  x0 = x0 * r->scale + r->x0, x1 = x1 * r->scale + r->x0;
  y0 = y0 * r->scale + r->y0, y1 = y1 * r->scale + r->y0;
  if (!(x1 > x0))
    return;
  sample_curve (&pl, x0, y0, x1, y1, bend);
  first = MAX ((int) floor (x0), r->clip_x0);
  last = MIN ((int) ceil (x1), r->clip_x1);
  for (int px = first; px < last; px++)
    {
      /* The ribbon inside this column, as a band between two straight edges. */
      double xl = MAX (px, x0), xr = MIN (px + 1.0, x1), yl, hl, yr, hr;

      if (xr <= xl)
        continue;
      ribbon_at (&pl, &seg, xl, half, &yl, &hl);
      ribbon_at (&pl, &seg, xr, half, &yr, &hr);
      draw_band_column (r, px, xr - xl, yl - hl, yr - hr, yl + hl, yr + hr, &c);
    }
}

/* ---------------------------------------------------------------------------------------
 * Series
 */

#define SUB 4  /* sub-columns per pixel column */

typedef struct
{
  int     first;      /* first device column */
  int     n_cols;
  double *lo, *hi;    /* SUB per column: the union of what covers each sub-column */
} Spans;

static void
spans_add (Spans *sp, int sub, double lo, double hi)
{
  if (sub < 0 || sub >= sp->n_cols * SUB)
    return;
  sp->lo[sub] = MIN (sp->lo[sub], lo);
  sp->hi[sub] = MAX (sp->hi[sub], hi);
}

/* One segment in device space: its span at every sub-column centre it crosses, and its
 * ends in the sub-columns holding them (so a segment inside one sub-column still counts). */
static void
spans_segment (Spans *sp, double xa, double ya, double xb, double yb, double half)
{
  double dx = xb - xa, m = dx > 1e-9 ? (yb - ya) / dx : 0, hv = half * sqrt (1 + m * m);
  int s0 = (int) ceil ((xa - sp->first) * SUB - 0.5);
  int s1 = (int) floor ((xb - sp->first) * SUB - 0.5);

  for (int s = MAX (s0, 0); s <= s1 && s < sp->n_cols * SUB; s++)
    {
      double x = sp->first + (s + 0.5) / SUB, y = ya + m * (x - xa);
      spans_add (sp, s, y - hv, y + hv);
    }
  spans_add (sp, (int) floor ((xa - sp->first) * SUB), MIN (ya, yb) - half, MAX (ya, yb) + half);
  spans_add (sp, (int) floor ((xb - sp->first) * SUB), MIN (ya, yb) - half, MAX (ya, yb) + half);
}

/* Turns off the sub-columns that fall into the gaps of the dash pattern. Length is measured
 * along x: a noisy series measured along its zigzag would break into specks. */
static void
apply_dashes (Spans *sp, double on, double off)
{
  for (int i = 0; i < sp->n_cols * SUB; i++)
    if (fmod ((double) i / SUB, on + off) >= on)
      sp->lo[i] = INFINITY, sp->hi[i] = -INFINITY;
}

static void
draw_spans (NlRaster *r, const Spans *sp, const Paint *c)
{
  for (int col = 0; col < sp->n_cols; col++)
    {
      double top[SUB], bot[SUB];
      int used = 0, px = sp->first + col;

      if (px < r->clip_x0 || px >= r->clip_x1)
        continue;
      for (int k = 0; k < SUB; k++)
        {
          int i = col * SUB + k;
          if (sp->lo[i] <= sp->hi[i])
            top[used] = sp->lo[i], bot[used] = sp->hi[i], used++;
        }
      if (used > 0)
        draw_column (r, px, top, bot, used, SUB, c);
    }
}

void
nl_raster_series (NlRaster *r, const double *x, const double *y, guint n, double width,
                  const NlRgba *color, double dash_on, double dash_off)
{
  double half = width * r->scale / 2, xa, xb;
  Paint c = paint_new (color);
  Spans sp;

  if (n == 0)
    return;
  xa = x[0] * r->scale + r->x0, xb = x[n - 1] * r->scale + r->x0;
  sp.first = MAX ((int) floor (xa) - 1, r->clip_x0);
  sp.n_cols = MIN ((int) ceil (xb) + 1, r->clip_x1) - sp.first;
  if (sp.n_cols <= 0)
    return;
  sp.lo = g_new (double, (gsize) sp.n_cols * SUB * 2);
  sp.hi = sp.lo + (gsize) sp.n_cols * SUB;
  for (int i = 0; i < sp.n_cols * SUB; i++)
    sp.lo[i] = INFINITY, sp.hi[i] = -INFINITY;
  for (guint i = 0; i + 1 < n || (n == 1 && i == 0); i++)
    {
      guint j = MIN (i + 1, n - 1);
      spans_segment (&sp, x[i] * r->scale + r->x0, y[i] * r->scale + r->y0,
                     x[j] * r->scale + r->x0, y[j] * r->scale + r->y0, half);
    }
  if (dash_on > 0 && dash_off > 0)
    apply_dashes (&sp, dash_on * r->scale, dash_off * r->scale);
  draw_spans (r, &sp, &c);
  g_free (sp.lo);
}
