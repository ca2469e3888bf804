/* render-test-utils.c: scenes and pixel checks shared by the render tests. */
#include "render-test-utils.h"

#include <math.h>
#include <string.h>

cairo_surface_t *
test_surface_new (int width, int height, cairo_t **cr)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  *cr = cairo_create (s);
  cairo_set_source_rgb (*cr, 1, 1, 1);
  cairo_paint (*cr);
  return s;
}

NlRgba
test_pixel (cairo_surface_t *surface, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  guint8 *data;
  guint32 p;

  cairo_surface_flush (surface);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (surface));
  data = cairo_image_surface_get_data (surface);
  p = *(guint32 *) (data + (gsize) iy * cairo_image_surface_get_stride (surface) + ix * 4);
  /* Everything drawn here is on an opaque background, so premultiplication is moot. */
  return nl_rgba_from_pixel (p | 0xff000000u);
}

gboolean
test_color_near (const NlRgba *a, const NlRgba *b, double tol)
{
  return fabs (a->r - b->r) <= tol && fabs (a->g - b->g) <= tol && fabs (a->b - b->b) <= tol;
}

void
test_assert_color (cairo_surface_t *surface, double x, double y, const NlRgba *expected,
                   double tol, const char *what)
{
  NlRgba got = test_pixel (surface, x, y);

  if (!test_color_near (&got, expected, tol))
    g_error ("%s at (%.1f, %.1f): got #%02x%02x%02x, expected #%02x%02x%02x (±%.0f)", what, x,
             y, (int) (got.r * 255 + .5), (int) (got.g * 255 + .5), (int) (got.b * 255 + .5),
             (int) (expected->r * 255 + .5), (int) (expected->g * 255 + .5),
             (int) (expected->b * 255 + .5), tol * 255);
}

void
test_write_png (cairo_surface_t *surface, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (RENDER_OUTPUT_DIR, file, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("wrote %s", path);
}

double
test_luminance (const NlRgba *c)
{
  return 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;
}

static guint
units_of (const NnArchitecture *arch, guint layer)
{
  return layer < arch->n_hidden ? arch->units[layer] : arch->n_outputs;
}

static guint
inputs_of (const NnArchitecture *arch, guint layer)
{
  return layer == 0 ? arch->n_inputs : arch->units[layer - 1];
}

gsize
test_n_params (const NnArchitecture *arch)
{
  gsize n = 0;

  for (guint l = 0; l <= arch->n_hidden; l++)
    n += (gsize) units_of (arch, l) * (inputs_of (arch, l) + 1);
  return n;
}

guint
test_total_units (const NnArchitecture *arch)
{
  guint n = 0;

  for (guint l = 0; l <= arch->n_hidden; l++)
    n += units_of (arch, l);
  return n;
}

double *
test_random_params (const NnArchitecture *arch, guint32 seed, double scale)
{
  gsize n = test_n_params (arch);
  double *p = g_new (double, n);
  GRand *rand = g_rand_new_with_seed (seed);

  /* Normally distributed (Box–Muller), as trained weights roughly are: a few strong links
   * among many weak ones. */
  for (gsize i = 0; i < n; i++)
    {
      double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);
      p[i] = scale * 0.5 * sqrt (-2 * log (u)) * cos (2 * G_PI * v);
    }
  g_rand_free (rand);
  return p;
}

static double
activate (NnActivation a, double alpha, double u)
{
  switch (a)
    {
    case NN_ACTIVATION_RELU:       return u > 0 ? u : 0;
    case NN_ACTIVATION_LEAKY_RELU: return u > 0 ? u : alpha * u;
    case NN_ACTIVATION_SIGMOID:    return 1 / (1 + exp (-u));
    case NN_ACTIVATION_TANH:       return tanh (u);
    case NN_ACTIVATION_IDENTITY:
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:                       return u;
    }
}

static void
softmax (double *z, guint k)
{
  double m = z[0], s = 0;

  for (guint i = 1; i < k; i++)
    m = MAX (m, z[i]);
  for (guint i = 0; i < k; i++)
    s += (z[i] = exp (z[i] - m));
  for (guint i = 0; i < k; i++)
    z[i] /= s;
}

/* Forward one point; writes every neuron's output into `out` (hidden then output). */
static void
forward_point (const NnArchitecture *arch, guint features, const double *params, double x1,
               double x2, double *out)
{
  double in[NN_MAX_UNITS], z[NN_MAX_UNITS];
  guint n_in = 0, k = 0;
  const double *p = params;

  for (guint f = 0; f < NN_N_FEATURES; f++)
    if (features & (1u << f))
      in[n_in++] = nl_render_feature_value (f, x1, x2);
  for (guint l = 0; l <= arch->n_hidden; l++)
    {
      guint n_out = units_of (arch, l);
      gboolean last = l == arch->n_hidden;
      NnActivation a = last ? arch->output_activation : arch->activation[l];
      const double *b = p + (gsize) n_out * n_in;

      for (guint o = 0; o < n_out; o++)
        {
          double u = b[o];
          for (guint i = 0; i < n_in; i++)
            u += p[(gsize) o * n_in + i] * in[i];
          z[o] = activate (a, last ? arch->output_alpha : arch->alpha[l], u);
        }
      if (a == NN_ACTIVATION_SOFTMAX)
        softmax (z, n_out);
      memcpy (out + k, z, n_out * sizeof (double));
      memcpy (in, z, n_out * sizeof (double));
      k += n_out;
      p = b + n_out;
      n_in = n_out;
    }
}

double *
test_eval_grids (const NnArchitecture *arch, guint features, const double *params, guint res)
{
  guint units = test_total_units (arch);
  gsize cells = (gsize) res * res;
  double *grids = g_new (double, units * cells);
  double *tmp = g_new (double, units);

  for (guint row = 0; row < res; row++)
    for (guint col = 0; col < res; col++)
      {
        double x1 = -6 + (col + 0.5) * 12.0 / res, x2 = 6 - (row + 0.5) * 12.0 / res;
        forward_point (arch, features, params, x1, x2, tmp);
        for (guint u = 0; u < units; u++)
          grids[u * cells + (gsize) row * res + col] = tmp[u];
      }
  g_free (tmp);
  return grids;
}

NnEpochStats *
test_history (guint n, double start, double end, gboolean test_set)
{
  NnEpochStats *h = g_new0 (NnEpochStats, MAX (n, 1));
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      double t = n > 1 ? (double) i / (n - 1) : 0;
      double base = end + (start - end) * exp (-5 * t);
      h[i].epoch = i;
      h[i].train_loss = base * (1 + 0.03 * g_rand_double_range (rand, -1, 1));
      h[i].test_loss = test_set ? base * 1.15 * (1 + 0.05 * g_rand_double_range (rand, -1, 1))
                                : NAN;
      h[i].train_accuracy = 1 - 0.5 * base / start;
      h[i].test_accuracy = test_set ? h[i].train_accuracy - 0.02 : NAN;
    }
  g_rand_free (rand);
  return h;
}

NnPoint *
test_circle_points (guint n, guint32 seed)
{
  NnPoint *pts = g_new (NnPoint, n);
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n; i++)
    {
      double r = i % 2 ? g_rand_double_range (rand, 3.8, 5.5) : g_rand_double_range (rand, 0, 2.8);
      double a = g_rand_double_range (rand, 0, 2 * G_PI);
      pts[i] = (NnPoint) { r * cos (a), r * sin (a), i % 2 };
    }
  g_rand_free (rand);
  return pts;
}
