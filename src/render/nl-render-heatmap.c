/* nl-render-heatmap.c: grids of values into pixels through a lookup table. */
#include "nl-render-heatmap.h"
#include "nl-render-private.h"

#include <math.h>

static double
max_abs (const double *grid, gsize n)
{
  double m = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double a = fabs (grid[i]);
      /* `a > m` is false for NaN, so NaN never becomes the scale. */
      if (a > m && a < INFINITY)
        m = a;
    }
  return m;
}

void
nl_render_activation_range (NnActivation a, const double *grid, gsize n, double *lo,
                            double *hi)
{
  double m;

  switch (a)
    {
    case NN_ACTIVATION_TANH:
      *lo = -1.0, *hi = 1.0;
      return;
    case NN_ACTIVATION_SIGMOID:
    case NN_ACTIVATION_SOFTMAX:
      *lo = 0.0, *hi = 1.0;
      return;
    case NN_ACTIVATION_IDENTITY:
    case NN_ACTIVATION_RELU:
    case NN_ACTIVATION_LEAKY_RELU:
    case NN_N_ACTIVATIONS:
    default:
      break;
    }
  /* Unbounded outputs: symmetric around zero so zero is always the neutral colour. A
   * flat zero grid (a dead ReLU) still gets a usable range. */
  m = grid != NULL ? max_abs (grid, n) : 0.0;
  if (!(m > 1e-12))
    m = 1.0;
  *lo = -m, *hi = m;
}

void
nl_render_heatmap_fill (guint32 *dst, int stride, const double *grid, guint res, double lo,
                        double hi, const guint32 *lut)
{
  /* One multiply-add and a table load per pixel; the clamp is branch-free enough for gcc
   * to keep the loop tight. */
  double scale = (NL_RENDER_LUT_SIZE - 1) / (hi > lo ? hi - lo : 1.0);
  guint32 mid = lut[NL_RENDER_LUT_SIZE / 2];

  for (guint row = 0; row < res; row++)
    {
      guint32 *out = (guint32 *) ((guint8 *) dst + (gsize) row * stride);
      const double *in = grid + (gsize) row * res;

      for (guint col = 0; col < res; col++)
        {
          double t = (in[col] - lo) * scale + 0.5;
          if (t >= 0.0 && t < NL_RENDER_LUT_SIZE)
            out[col] = lut[(int) t];
          else if (t < 0.0)
            out[col] = lut[0];
          else if (t >= NL_RENDER_LUT_SIZE)
            out[col] = lut[NL_RENDER_LUT_SIZE - 1];
          else
            out[col] = mid; /* NaN */
        }
    }
}

/* Source cell and weight for each destination column (or row): centres line up as in a
 * scaled image; the edges clamp (PAD). */
void
nl_render_sample_positions (int n, guint res, int *i0, float *f)
{
  for (int j = 0; j < n; j++)
    {
      double u = (j + 0.5) * res / n - 0.5;
      int i = (int) floor (u);

      if (u <= 0)
        i = 0, u = 0;
      else if (i >= (int) res - 1)
        i = (int) res - 1, u = i;
      i0[j] = i;
      f[j] = (float) (u - i);
    }
}

void
nl_render_heatmap_fill_scaled (guint32 *dst, int stride, int width, int height,
                               const double *grid, guint res, double lo, double hi,
                               const guint32 *lut)
{
  double scale = (NL_RENDER_LUT_SIZE - 1) / (hi > lo ? hi - lo : 1.0);
  g_autofree int *cols = g_new (int, width + height);
  g_autofree float *weights = g_new (float, width + height);
  g_autofree double *line = g_new (double, res + 1);
  int *rows = cols + width;
  float *fy = weights + width;

  nl_render_sample_positions (width, res, cols, weights);
  nl_render_sample_positions (height, res, rows, fy);
  line[res] = 0;
  for (int y = 0; y < height; y++)
    {
      const double *a = grid + (gsize) rows[y] * res;
      const double *b = rows[y] + 1 < (int) res ? a + res : a;
      guint32 *out = (guint32 *) ((guint8 *) dst + (gsize) y * stride);

      /* Blend the two source rows once, then every destination pixel is one lerp. */
      for (guint i = 0; i < res; i++)
        line[i] = a[i] + fy[y] * (b[i] - a[i]);
      line[res] = line[res - 1];
      for (int x = 0; x < width; x++)
        {
          const double *p = line + cols[x];
          double t = (p[0] + weights[x] * (p[1] - p[0]) - lo) * scale + 0.5;

          if (t >= 0.0 && t < NL_RENDER_LUT_SIZE)
            out[x] = lut[(int) t];
          else if (t < 0.0)
            out[x] = lut[0];
          else if (t >= NL_RENDER_LUT_SIZE)
            out[x] = lut[NL_RENDER_LUT_SIZE - 1];
          else
            out[x] = lut[NL_RENDER_LUT_SIZE / 2];
        }
    }
}

cairo_surface_t *
nl_render_heatmap_surface_new (const double *grid, guint res, double lo, double hi,
                               const guint32 *lut)
{
  cairo_surface_t *s;

  g_return_val_if_fail (grid != NULL && res > 0 && lut != NULL, NULL);

  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) res, (int) res);
  cairo_surface_flush (s);
  nl_render_heatmap_fill ((guint32 *) cairo_image_surface_get_data (s),
                          cairo_image_surface_get_stride (s), grid, res, lo, hi, lut);
  cairo_surface_mark_dirty (s);
  return s;
}

/* Whether one image pixel lands on exactly one device pixel. */
static gboolean
is_pixel_exact (cairo_t *cr, int image_width, double width)
{
  double dx = width, dy = 0, sx, sy;

  cairo_user_to_device_distance (cr, &dx, &dy);
  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  return dy == 0 && fabs (dx * sx - image_width) < 1e-6;
}

void
nl_render_paint_surface_in_rect (cairo_t *cr, cairo_surface_t *surface, double x, double y,
                                 double width, double height, gboolean smooth)
{
  int sw, sh;
  cairo_pattern_t *pattern;
  cairo_matrix_t m;

  if (cairo_surface_get_type (surface) != CAIRO_SURFACE_TYPE_IMAGE)
    return;
  sw = cairo_image_surface_get_width (surface);
  sh = cairo_image_surface_get_height (surface);
  if (sw <= 0 || sh <= 0 || width <= 0 || height <= 0)
    return;

  pattern = cairo_pattern_create_for_surface (surface);
  /* Pattern space → user space: scale the image up to the rectangle. PAD keeps the edge
   * pixels from fading into transparency under the bilinear filter. An image prepared at
   * the exact pixel size is copied with NEAREST, which pixman does as a plain blit. */
  cairo_matrix_init_scale (&m, sw / width, sh / height);
  cairo_matrix_translate (&m, -x, -y);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  if (is_pixel_exact (cr, sw, width))
    smooth = FALSE;
  cairo_pattern_set_filter (pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_save (cr);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}

double
nl_render_feature_value (guint feature_index, double x1, double x2)
{
  switch (feature_index)
    {
    case 0: return x1;
    case 1: return x2;
    case 2: return x1 * x1;
    case 3: return x2 * x2;
    case 4: return x1 * x2;
    case 5: return sin (x1);
    case 6: return sin (x2);
    default: return 0.0;
    }
}

double
nl_render_feature_extent (guint feature_index)
{
  const double extent[NN_N_FEATURES] = {
    NN_PLANE_MAX, NN_PLANE_MAX,
    NN_PLANE_MAX * NN_PLANE_MAX, NN_PLANE_MAX * NN_PLANE_MAX, NN_PLANE_MAX * NN_PLANE_MAX,
    1.0, 1.0,
  };

  return feature_index < NN_N_FEATURES ? extent[feature_index] : 1.0;
}
