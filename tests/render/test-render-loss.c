/* test-render-loss.c: loss curves, their axes, ticks and the hover helpers. */
#include "render-test-utils.h"

#include <math.h>

#define W 520
#define H 300

static cairo_surface_t *
render (const NlLossScene *scene, NlRenderTheme theme, NlLossLayout *layout)
{
  const NlRenderStyle *style = nl_render_style_get_default (theme);
  cairo_t *cr;
  cairo_surface_t *s = test_surface_new (W, H, &cr);

  nl_loss_layout_compute (layout, scene, W, H, style);
  nl_render_loss (cr, layout, scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

/* The topmost pixel of column x inside the plot (the legend's line sample aside) that has
 * the colour, or −1. */
static double
curve_y (cairo_surface_t *s, const NlLossLayout *layout, double x, const NlRgba *color)
{
  const NlRect *key = &layout->legend;

  for (double y = layout->plot.y; y < layout->plot.y + layout->plot.height; y++)
    {
      NlRgba p;

      if (x >= key->x && x < key->x + key->width && y >= key->y && y < key->y + key->height)
        continue;
      p = test_pixel (s, x, y);
      if (test_color_near (&p, color, 0.1))
        return y;
    }
  return -1;
}

static void
test_monotone (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autofree NnEpochStats *h = g_new0 (NnEpochStats, 500);
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *s;
  double last = -1;
  guint found = 0;

  for (guint i = 0; i < 500; i++)
    h[i] = (NnEpochStats) { i, 1.0 / (1 + 0.02 * i), NAN, NAN, NAN };
  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 500;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  /* Left to right, the curve of a falling loss only ever goes down the image. */
  for (double x = layout.plot.x + 3; x < layout.plot.x + layout.plot.width - 6; x += 7)
    {
      double y = curve_y (s, &layout, x, &style->train_series);
      if (y < 0)
        continue;
      g_assert_cmpfloat (y, >=, last - 0.5);
      last = y, found++;
    }
  g_assert_cmpuint (found, >, layout.plot.width / 7 * 0.8);
  test_write_png (s, "loss-monotone");
  cairo_surface_destroy (s);
}

static void
test_log_scale (void)
{
  g_autofree NnEpochStats *h = test_history (300, 1.0, 1e-4, TRUE);
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *s;

  h[120].train_loss = 0.0;     /* a perfect fit */
  h[121].train_loss = -1e-9;   /* rounding below zero */
  h[200].test_loss = INFINITY;
  h[201].test_loss = NAN;
  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 300;
  scene.log_scale = TRUE;
  scene.classification = TRUE;
  scene.marker_epoch = 150;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  g_assert_true (layout.log_scale);
  g_assert_cmpfloat (layout.y_min, ==, -3); /* the data bottoms out near 0.0066 */
  g_assert_cmpfloat (layout.y_max, >=, 0);
  g_assert_cmpuint (layout.n_y_ticks, >=, 3);
  /* Zero and below sit on the axis floor, not at −∞. */
  g_assert_cmpfloat_with_epsilon (nl_loss_layout_y_of (&layout, 0.0),
                                  layout.plot.y + layout.plot.height, 1e-9);
  g_assert_true (isnan (nl_loss_layout_y_of (&layout, NAN)));
  test_write_png (s, "loss-log");
  cairo_surface_destroy (s);
}

static void
test_linear_pictures (void)
{
  g_autofree NnEpochStats *h = test_history (1000, 0.7, 0.05, TRUE);
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *s;

  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 1000;
  scene.classification = TRUE;
  scene.hover_index = 400;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  g_assert_cmpfloat (layout.y_min, ==, 0);
  test_write_png (s, "loss-light");
  cairo_surface_destroy (s);
  scene.hover_index = -1;
  scene.marker_epoch = 250;
  s = render (&scene, NL_RENDER_THEME_DARK, &layout);
  test_write_png (s, "loss-dark");
  cairo_surface_destroy (s);
}

/* Nothing to draw yet, one point, all NaN: axes, no division by zero. */
static void
test_degenerate (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnEpochStats one = { 0, 0.5, 0.6, 0.5, 0.5 };
  NnEpochStats nans[3] = { { 0, NAN, NAN, NAN, NAN }, { 1, NAN, NAN, NAN, NAN },
                           { 2, INFINITY, NAN, NAN, NAN } };
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *s;
  NlRgba axis;

  for (int log = 0; log < 2; log++)
    {
      nl_loss_scene_init (&scene);
      scene.log_scale = log;
      s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
      g_assert_cmpfloat (layout.x_max, >, layout.x_min);
      g_assert_cmpfloat (layout.y_max, >, layout.y_min);
      axis = test_pixel (s, layout.plot.x, layout.plot.y + layout.plot.height / 2);
      g_assert_true (test_color_near (&axis, &style->muted, 0.1));
      if (!log)
        test_write_png (s, "loss-empty");
      cairo_surface_destroy (s);
      g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, 100), ==, -1);

      scene.history = &one, scene.n_history = 1;
      s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
      g_assert_cmpfloat (layout.x_max, >, layout.x_min);
      g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, 100), ==, 0);
      cairo_surface_destroy (s);

      scene.history = nans, scene.n_history = 3;
      s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
      g_assert_cmpfloat (layout.y_max, >, layout.y_min);
      cairo_surface_destroy (s);
    }
}

static void
test_index_at (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnEpochStats h[4] = { { 0, 1, 1, 0, 0 }, { 10, 1, 1, 0, 0 }, { 20, 1, 1, 0, 0 },
                        { 40, 1, 1, 0, 0 } };
  NlLossScene scene;
  NlLossLayout layout;

  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 4;
  nl_loss_layout_compute (&layout, &scene, W, H, style);
  g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, nl_loss_layout_x_of (&layout, 14)),
                   ==, 1);
  g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, nl_loss_layout_x_of (&layout, 16)),
                   ==, 2);
  g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, 0), ==, 0);
  g_assert_cmpint (nl_loss_layout_index_at (&layout, &scene, W), ==, 3);
  g_assert_cmpfloat_with_epsilon (nl_loss_layout_epoch_at (&layout,
                                                           nl_loss_layout_x_of (&layout, 33)),
                                  33, 1e-9);
}

static void
test_ticks (void)
{
  double t[16];
  guint n;

  n = nl_render_nice_ticks (0, 1, 5, t, 16);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat_with_epsilon (t[1], 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (t[5], 1.0, 1e-12);
  n = nl_render_nice_ticks (0, 1000, 4, t, 16);
  g_assert_cmpfloat (t[1] - t[0], ==, 200);
  n = nl_render_nice_ticks (0.13, 0.87, 3, t, 16);
  g_assert_cmpfloat_with_epsilon (t[0], 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (t[1] - t[0], 0.2, 1e-12);
  n = nl_render_nice_ticks (-1, 1, 4, t, 16);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (t[2], ==, 0.0);
  n = nl_render_nice_ticks (1, 1, 4, t, 16);
  g_assert_cmpuint (n, ==, 1);
  n = nl_render_log_ticks (1e-4, 10, t, 16);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat_with_epsilon (t[0], 1e-4, 1e-16);
  g_assert_cmpfloat_with_epsilon (t[5], 10, 1e-12);
  n = nl_render_log_ticks (1e-12, 1, t, 4);
  g_assert_cmpuint (n, <=, 4);
  g_assert_cmpuint (n, >=, 3);
}

/* 100 000 epochs draw: decimation keeps the path to a few vertices per pixel column. */
static void
test_long_history (void)
{
  g_autofree NnEpochStats *h = test_history (100000, 2.0, 0.01, TRUE);
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *s;

  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 100000;
  scene.log_scale = TRUE;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  g_assert_cmpfloat (layout.x_max, ==, 99999);
  test_write_png (s, "loss-100k-log");
  cairo_surface_destroy (s);
}

/* A rising sparkline ends at the top right of its box, a falling one at the bottom right;
 * gaps, a flat series and an empty one draw without trouble. */
static void
test_sparkline (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  const double rising[] = { 1, 2, NAN, 4, 8 }, falling[] = { 1e-1, 1e-3, 0, 1e-6 };
  const double flat[] = { 3, 3, 3 };
  NlRect box = { 10, 10, 80, 24 };
  cairo_surface_t *s;
  cairo_t *cr;

  s = test_surface_new (100, 44, &cr);
  nl_render_sparkline (cr, &box, rising, G_N_ELEMENTS (rising), FALSE, &style->train_series,
                       style);
  test_assert_color (s, 89, 11.5, &style->train_series, 0.05, "rising end");
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  s = test_surface_new (100, 44, &cr);
  nl_render_sparkline (cr, &box, falling, G_N_ELEMENTS (falling), TRUE, &style->test_series,
                       style);
  test_assert_color (s, 89, 32.5, &style->test_series, 0.05, "falling end (log)");
  nl_render_sparkline (cr, &box, flat, G_N_ELEMENTS (flat), FALSE, &style->muted, style);
  nl_render_sparkline (cr, &box, flat, 0, FALSE, &style->muted, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/loss/monotone", test_monotone);
  g_test_add_func ("/render/loss/log-scale", test_log_scale);
  g_test_add_func ("/render/loss/pictures", test_linear_pictures);
  g_test_add_func ("/render/loss/degenerate", test_degenerate);
  g_test_add_func ("/render/loss/index-at", test_index_at);
  g_test_add_func ("/render/loss/ticks", test_ticks);
  g_test_add_func ("/render/loss/long-history", test_long_history);
  g_test_add_func ("/render/loss/sparkline", test_sparkline);

  return g_test_run ();
}
