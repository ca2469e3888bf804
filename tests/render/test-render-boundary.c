/* test-render-boundary.c: the output view's heatmap, points, axes and mapping. */
#include "render-test-utils.h"

#include <math.h>

#define W 520
#define H 440
#define RES 200

static double *
grid_of (double (*f) (double x1, double x2), guint res)
{
  double *g = g_new (double, (gsize) res * res);

  for (guint row = 0; row < res; row++)
    for (guint col = 0; col < res; col++)
      g[(gsize) row * res + col] = f (-6 + (col + 0.5) * 12.0 / res,
                                      6 - (row + 0.5) * 12.0 / res);
  return g;
}

static double
sign_x1 (double x1, double x2)
{
  return x1 < 0 ? -1.0 : 1.0;
}

static double
circle (double x1, double x2)
{
  return tanh ((x1 * x1 + x2 * x2 - 11) / 5);
}

static double
ridge (double x1, double x2)
{
  return sin (x1 * 0.7) * cos (x2 * 0.5);
}

static cairo_surface_t *
render (const NlBoundaryLayout *layout, const NlBoundaryScene *scene, NlRenderTheme theme)
{
  cairo_t *cr;
  cairo_surface_t *s = test_surface_new (W, H, &cr);

  nl_render_boundary (cr, layout, scene, nl_render_style_get_default (theme), NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

static NlRgba
lut_color (const guint32 *lut, guint i)
{
  return nl_rgba_from_pixel (lut[i]);
}

/* Output = sign(x1): one colour left of the line x1 = 0, the other right of it, and train
 * points in their class colours where they are. */
static void
test_separating_line (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autofree double *grid = grid_of (sign_x1, RES);
  const NnPoint train[] = { { -3, 3, 0 }, { 3, -3, 1 } };
  const NnPoint test[] = { { -4, -4, 0 } };
  NlBoundaryLayout layout;
  NlBoundaryScene scene;
  NlRgba left = lut_color (style->boundary_lut, 0);
  NlRgba right = lut_color (style->boundary_lut, NL_RENDER_LUT_SIZE - 1);
  cairo_surface_t *s;
  double x, y;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, style);
  nl_boundary_scene_init (&scene);
  scene.problem = NN_PROBLEM_CLASSIFICATION;
  scene.n_classes = 2;
  scene.res = RES;
  scene.values = grid;
  scene.value_lo = -1, scene.value_hi = 1;
  scene.train = train, scene.n_train = G_N_ELEMENTS (train);
  scene.test = test, scene.n_test = G_N_ELEMENTS (test);
  s = render (&layout, &scene, NL_RENDER_THEME_LIGHT);

  for (double x2 = -5; x2 <= 5; x2 += 2.5)
    {
      nl_boundary_layout_from_plane (&layout, -1, x2, &x, &y);
      test_assert_color (s, x, y, &left, 0.02, "left of x1 = 0");
      nl_boundary_layout_from_plane (&layout, 1, x2, &x, &y);
      test_assert_color (s, x, y, &right, 0.02, "right of x1 = 0");
    }
  g_assert_false (test_color_near (&left, &right, 0.2));

  nl_boundary_layout_from_plane (&layout, train[0].x1, train[0].x2, &x, &y);
  test_assert_color (s, x, y, &style->classes[0], 0.02, "class 0 train point");
  nl_boundary_layout_from_plane (&layout, train[1].x1, train[1].x2, &x, &y);
  test_assert_color (s, x, y, &style->classes[1], 0.02, "class 1 train point");
  /* A test point is a ring: the heatmap shows through its centre, its rim is the class. */
  nl_boundary_layout_from_plane (&layout, test[0].x1, test[0].x2, &x, &y);
  test_assert_color (s, x, y, &left, 0.02, "test point centre");
  test_assert_color (s, x + layout.point_radius - 0.5, y, &style->classes[0], 0.12,
                     "test point rim");
  test_write_png (s, "boundary-sign");
  cairo_surface_destroy (s);
}

static void
test_plane_mapping (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlBoundaryLayout layout;
  double x, y, x1, x2;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, style);
  g_assert_cmpfloat (layout.plot.width, ==, layout.plot.height);
  g_assert_cmpfloat (layout.plot.width, >=, 300);
  nl_boundary_layout_from_plane (&layout, -6, 6, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, layout.plot.x, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, layout.plot.y, 1e-9);
  nl_boundary_layout_from_plane (&layout, 1.5, -2.25, &x, &y);
  g_assert_true (nl_boundary_layout_to_plane (&layout, x, y, &x1, &x2));
  g_assert_cmpfloat_with_epsilon (x1, 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (x2, -2.25, 1e-9);
  g_assert_false (nl_boundary_layout_to_plane (&layout, 1, 1, &x1, &x2));
}

static void
test_hit_point (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  const NnPoint train[] = { { -3, 3, 0 }, { 3, -3, 1 } };
  const NnPoint test[] = { { 2.9, -3.1, 0 } };
  NlBoundaryLayout layout;
  NlBoundaryScene scene;
  double x, y;
  int index = -1;
  gboolean is_test = FALSE;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, style);
  nl_boundary_scene_init (&scene);
  scene.train = train, scene.n_train = 2;
  scene.test = test, scene.n_test = 1;
  nl_boundary_layout_from_plane (&layout, -3, 3, &x, &y);
  g_assert_true (nl_boundary_hit_point (&layout, &scene, x + 2, y, 6, &index, &is_test));
  g_assert_cmpint (index, ==, 0);
  g_assert_false (is_test);
  nl_boundary_layout_from_plane (&layout, 2.9, -3.1, &x, &y);
  g_assert_true (nl_boundary_hit_point (&layout, &scene, x, y, 6, &index, &is_test));
  g_assert_cmpint (index, ==, 0);
  g_assert_true (is_test);
  scene.show_test = FALSE;
  g_assert_true (nl_boundary_hit_point (&layout, &scene, x, y, 6, &index, &is_test));
  g_assert_false (is_test);
  g_assert_cmpint (index, ==, 1);
  g_assert_false (nl_boundary_hit_point (&layout, &scene, 2, 2, 6, &index, &is_test));
}

static void
binary_scene (NlBoundaryScene *scene, double *grid, NnPoint *train, NnPoint *test)
{
  nl_boundary_scene_init (scene);
  scene->problem = NN_PROBLEM_CLASSIFICATION;
  scene->n_classes = 2;
  scene->res = RES;
  scene->values = grid;
  scene->value_lo = -1, scene->value_hi = 1;
  scene->train = train, scene->n_train = 200;
  scene->test = test, scene->n_test = 100;
  scene->serial = 1;
}

/* The circle problem, in both themes, smooth and discretised, with a highlighted point. */
static void
test_circle_pictures (void)
{
  g_autofree double *grid = grid_of (circle, RES);
  g_autofree NnPoint *train = test_circle_points (200, 1);
  g_autofree NnPoint *test = test_circle_points (100, 2);
  NlBoundaryScene scene;
  NlBoundaryLayout layout;
  cairo_surface_t *s;
  const NlRenderStyle *dark = nl_render_style_get_default (NL_RENDER_THEME_DARK);
  NlRgba corner;

  binary_scene (&scene, grid, train, test);
  scene.highlight_index = 5;
  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, dark);
  s = render (&layout, &scene, NL_RENDER_THEME_LIGHT);
  test_write_png (s, "boundary-light");
  cairo_surface_destroy (s);

  s = render (&layout, &scene, NL_RENDER_THEME_DARK);
  corner = test_pixel (s, 1, 1);
  g_assert_cmpfloat (test_luminance (&corner), <, 0.2);
  test_write_png (s, "boundary-dark");
  cairo_surface_destroy (s);

  scene.discretize = TRUE;
  scene.highlight_index = -1;
  s = render (&layout, &scene, NL_RENDER_THEME_LIGHT);
  test_write_png (s, "boundary-discrete");
  cairo_surface_destroy (s);
}

/* Three classes from probability grids: each region takes its class's hue. */
static void
test_multiclass (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  const guint res = 120, k = 3;
  gsize cells = (gsize) res * res;
  g_autofree double *probs = g_new (double, k * cells);
  NnPoint train[90];
  NlBoundaryScene scene;
  NlBoundaryLayout layout;
  cairo_surface_t *s;
  GRand *rand = g_rand_new_with_seed (5);

  for (guint row = 0; row < res; row++)
    for (guint col = 0; col < res; col++)
      {
        double x1 = -6 + (col + 0.5) * 12.0 / res, x2 = 6 - (row + 0.5) * 12.0 / res;
        double e[3] = { exp (-x1 - x2), exp (x1 - 0.2 * x2), exp (1.5 * x2) }, sum;
        sum = e[0] + e[1] + e[2];
        for (guint j = 0; j < k; j++)
          probs[j * cells + (gsize) row * res + col] = e[j] / sum;
      }
  for (guint i = 0; i < G_N_ELEMENTS (train); i++)
    {
      const double cx[3] = { -3, 3, 0 }, cy[3] = { -3, -2, 4 };
      guint c = i % 3;
      train[i] = (NnPoint) { cx[c] + g_rand_double_range (rand, -1.5, 1.5),
                             cy[c] + g_rand_double_range (rand, -1.5, 1.5), c };
    }
  g_rand_free (rand);

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, style);
  nl_boundary_scene_init (&scene);
  scene.problem = NN_PROBLEM_CLASSIFICATION;
  scene.n_classes = k;
  scene.res = res;
  scene.class_probs = probs;
  scene.train = train, scene.n_train = G_N_ELEMENTS (train);
  s = render (&layout, &scene, NL_RENDER_THEME_LIGHT);
  for (guint j = 0; j < k; j++)
    {
      /* Deep inside each region the colour is nearest to its own class's colour, washed
       * toward the plot surface as the background is (by the same amount for every class,
       * so which one is nearest does not depend on how much). */
      const double px[3] = { -5.5, 5.5, 0 }, py[3] = { -5.5, -5.5, 5.7 };
      double x, y, best = 10;
      guint nearest = k;
      NlRgba got;

      nl_boundary_layout_from_plane (&layout, px[j], py[j], &x, &y);
      got = test_pixel (s, x, y);
      for (guint o = 0; o < k; o++)
        {
          NlRgba washed = nl_rgba_mix (&style->classes[o], &style->surface, 0.45);
          double d = fabs (got.r - washed.r) + fabs (got.g - washed.g) + fabs (got.b - washed.b);
          if (d < best)
            best = d, nearest = o;
        }
      g_assert_cmpuint (nearest, ==, j);
    }
  test_write_png (s, "boundary-multiclass");
  cairo_surface_destroy (s);
}

static void
test_regression (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autofree double *grid = grid_of (ridge, RES);
  NnPoint train[150];
  NlBoundaryScene scene;
  NlBoundaryLayout layout;
  cairo_surface_t *s;
  GRand *rand = g_rand_new_with_seed (9);
  double x, y;

  for (guint i = 0; i < G_N_ELEMENTS (train); i++)
    {
      double x1 = g_rand_double_range (rand, -6, 6), x2 = g_rand_double_range (rand, -6, 6);
      train[i] = (NnPoint) { x1, x2, ridge (x1, x2) };
    }
  g_rand_free (rand);
  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, W, H, style);
  nl_boundary_scene_init (&scene);
  scene.problem = NN_PROBLEM_REGRESSION;
  scene.res = RES;
  scene.values = grid;
  scene.value_lo = -1, scene.value_hi = 1;
  scene.train = train, scene.n_train = G_N_ELEMENTS (train);
  s = render (&layout, &scene, NL_RENDER_THEME_LIGHT);
  /* The surface's peak (x1 ≈ 2.24, x2 = 0) is the positive end of the map. */
  nl_boundary_layout_from_plane (&layout, 2.244, 0.1, &x, &y);
  {
    NlRgba got = test_pixel (s, x, y), top = nl_rgba_from_pixel (style->boundary_lut[250]);
    g_assert_true (test_color_near (&got, &top, 0.08));
  }
  test_write_png (s, "boundary-regression");
  cairo_surface_destroy (s);

  scene.discretize = TRUE;
  s = render (&layout, &scene, NL_RENDER_THEME_DARK);
  test_write_png (s, "boundary-regression-discrete-dark");
  cairo_surface_destroy (s);
}

/* A bare plot (dataset thumbnails): no axes, no legend, the whole area is the plane. */
static void
test_bare (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlBoundaryLayout layout;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_NO_AXES | NL_BOUNDARY_LAYOUT_NO_LEGEND,
                              100, 100, style);
  g_assert_cmpfloat (layout.plot.x, ==, 0);
  g_assert_cmpfloat (layout.plot.width, ==, 100);
  g_assert_cmpfloat (layout.legend.height, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/boundary/separating-line", test_separating_line);
  g_test_add_func ("/render/boundary/plane-mapping", test_plane_mapping);
  g_test_add_func ("/render/boundary/hit-point", test_hit_point);
  g_test_add_func ("/render/boundary/circle", test_circle_pictures);
  g_test_add_func ("/render/boundary/multiclass", test_multiclass);
  g_test_add_func ("/render/boundary/regression", test_regression);
  g_test_add_func ("/render/boundary/bare", test_bare);

  return g_test_run ();
}
