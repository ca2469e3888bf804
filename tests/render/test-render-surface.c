/* test-render-surface.c: contour levels, filled bands, trajectories, markers, legends, the
 * 3-D view, the network plane's annotations and the loss-versus-step plot. */
#include "render-test-utils.h"

#include "nn-landscape.h"
#include "nn-race.h"

#include <cairo-svg.h>
#include <cairo-pdf.h>
#include <math.h>
#include <string.h>

#define W 720
#define H 560

static double *
surface_grid (NnSurface *s, guint res, NnBox *box)
{
  double *grid = g_new (double, res * res);

  nn_surface_get_view_box (s, box);
  nn_surface_eval_grid (s, box, res, grid);
  return grid;
}

static void
scene_for (NlSurfaceScene *scene, NnSurface *s, const double *grid, guint res, const NnBox *box)
{
  guint n;

  nl_surface_scene_init (scene);
  scene->grid = grid;
  scene->res = res;
  scene->box = *box;
  scene->grid_serial = 1;
  nn_surface_get_axis_names (s, &scene->x_name, &scene->y_name);
  scene->critical = nn_surface_get_critical_points (s, &n);
  scene->n_critical = n;
}

static cairo_surface_t *
render (const NlSurfaceScene *scene, NlRenderTheme theme, NlSurfaceLayout *layout)
{
  const NlRenderStyle *style = nl_render_style_get_default (theme);
  cairo_t *cr;
  cairo_surface_t *s = test_surface_new (W, H, &cr);

  nl_surface_layout_compute (layout, scene, W, H, style, NULL);
  nl_render_surface (cr, layout, scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

/* The band whose colour the pixel has (±2/255), or −1 for a pixel that is no band's
 * (a contour line, a label, a marker). */
static int
band_of_pixel (cairo_surface_t *s, const NlSurfaceLayout *layout, const NlRenderStyle *style,
               double x, double y)
{
  NlRgba p = test_pixel (s, x, y);

  for (guint b = 0; b <= layout->levels.n; b++)
    {
      NlRgba c = nl_surface_band_color (style, &layout->levels, b);
      if (test_color_near (&p, &c, 2.5 / 255))
        return (int) b;
    }
  return -1;
}

static guint
count_not_background (cairo_surface_t *s, const NlRect *r, const NlRgba *background)
{
  guint n = 0;

  for (double y = r->y + 0.5; y < r->y + r->height; y += 1)
    for (double x = r->x + 0.5; x < r->x + r->width; x += 1)
      {
        NlRgba p = test_pixel (s, x, y);
        if (!test_color_near (&p, background, 0.02))
          n++;
      }
  return n;
}

static void
test_levels (void)
{
  g_autoptr(NnSurface) bowl = nn_surface_new (NN_SURFACE_BOWL);
  g_autoptr(NnSurface) rosen = nn_surface_new (NN_SURFACE_ROSENBROCK);
  g_autoptr(NnSurface) beale = nn_surface_new (NN_SURFACE_BEALE);
  g_autoptr(NnSurface) saddle = nn_surface_new (NN_SURFACE_SADDLE);
  g_autofree double *g1 = NULL, *g2 = NULL, *g3 = NULL, *g4 = NULL;
  NlSurfaceLevels lv;
  NnBox box;
  double flat[16], with_nan[4] = { 1, NAN, 3, INFINITY };

  /* The bowl's range is one decade and a half above most of its box: even levels. */
  g1 = surface_grid (bowl, 81, &box);
  nl_surface_levels_compute (&lv, g1, 81 * 81);
  g_assert_false (lv.log_scale);
  g_assert_cmpuint (lv.n, >=, 5);
  for (guint i = 2; i < lv.n; i++)
    g_assert_cmpfloat_with_epsilon (lv.values[i] - lv.values[i - 1], lv.step, 1e-9);
  g_assert_cmpfloat (lv.values[0], >, lv.lo);
  g_assert_cmpfloat (lv.values[lv.n - 1], <, lv.hi);

  /* Rosenbrock's and Beale's span several decades: log-spaced levels, each a constant
   * factor from the last within a decade's pattern (1, 2, 5 or 1, 3 or 1). */
  g2 = surface_grid (rosen, 81, &box);
  nl_surface_levels_compute (&lv, g2, 81 * 81);
  g_assert_true (lv.log_scale);
  g_assert_cmpuint (lv.n, >=, 6);
  for (guint i = 1; i < lv.n; i++)
    {
      double r = lv.values[i] / lv.values[i - 1];
      g_assert_cmpfloat (r, >=, 1.4);
      g_assert_cmpfloat (r, <=, 10.0 + 1e-9);
    }
  /* Five decades at least between the lowest and the highest level. */
  g_assert_cmpfloat (lv.values[lv.n - 1] / lv.values[0], >=, 1e4);
  g3 = surface_grid (beale, 81, &box);
  nl_surface_levels_compute (&lv, g3, 81 * 81);
  g_assert_true (lv.log_scale);
  g_assert_cmpuint (lv.n, <=, NL_SURFACE_MAX_LEVELS);

  /* A saddle goes below zero and is linear. */
  g4 = surface_grid (saddle, 81, &box);
  nl_surface_levels_compute (&lv, g4, 81 * 81);
  g_assert_false (lv.log_scale);
  g_assert_cmpfloat (lv.values[0], <, 0);

  /* Bands count the levels at or below a value; NaN has none. */
  nl_surface_levels_compute (&lv, g1, 81 * 81);
  g_assert_cmpint (nl_surface_levels_band (&lv, lv.lo), ==, 0);
  g_assert_cmpint (nl_surface_levels_band (&lv, lv.values[0]), ==, 1);
  g_assert_cmpint (nl_surface_levels_band (&lv, lv.hi), ==, (int) lv.n);
  g_assert_cmpint (nl_surface_levels_band (&lv, NAN), ==, -1);
  g_assert_cmpfloat (nl_surface_levels_position (&lv, lv.lo), ==, 0.0);
  g_assert_cmpfloat (nl_surface_levels_position (&lv, lv.hi), ==, 1.0);

  /* A flat grid, or one with holes, does not break anything. */
  for (guint i = 0; i < 16; i++)
    flat[i] = 2.5;
  nl_surface_levels_compute (&lv, flat, 16);
  g_assert_cmpuint (lv.n, ==, 0);
  g_assert_cmpfloat (lv.hi, >, lv.lo);
  nl_surface_levels_compute (&lv, with_nan, 4);
  g_assert_cmpfloat (lv.lo, ==, 1);
  g_assert_cmpfloat (lv.hi, ==, 3);
}

/* Along a ray from the bowl's minimum to the edge, every band pixel met is of the band
 * of the value there, so the bands go up in the colour map's order. */
static void
test_contour_colour_order (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NnSurface) bowl = nn_surface_new (NN_SURFACE_BOWL);
  g_autofree double *grid = NULL;
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  NnBox box;
  cairo_surface_t *s;
  int last = -1;
  guint matched = 0, total = 0, distinct = 0;

  grid = surface_grid (bowl, 101, &box);
  scene_for (&scene, bowl, grid, 101, &box);
  scene.n_critical = 0; /* nothing over the bands at the centre */
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  test_write_png (s, "surface-bowl-contours");

  for (double x = 0.05; x < box.x_max - 0.05; x += 0.01)
    {
      double wx, wy;
      int band;

      nl_surface_layout_to_widget (&layout, x, 0.3, 0, &wx, &wy);
      band = band_of_pixel (s, &layout, style, wx, wy);
      total++;
      if (band < 0)
        continue;
      matched++;
      /* The band of the value at the pixel's centre, or its neighbour at a boundary. */
      g_assert_cmpint (ABS (band - nl_surface_levels_band (&layout.levels,
                                                           nn_surface_value (bowl, x, 0.3))),
                       <=, 1);
      g_assert_cmpint (band, >=, last);
      distinct += band != last;
      last = band;
    }
  g_assert_cmpuint (matched, >, total * 3 / 4);
  g_assert_cmpuint (distinct, >=, 4);

  /* The colour scale's bands go up the same way: band 0 at its bottom. */
  {
    const NlRect *r = &layout.colorbar;
    int b0 = band_of_pixel (s, &layout, style, r->x + r->width / 2, r->y + r->height - 2);
    int bn = band_of_pixel (s, &layout, style, r->x + r->width / 2, r->y + 2);

    g_assert_cmpint (b0, ==, 0);
    g_assert_cmpint (bn, ==, (int) layout.levels.n);
  }
  cairo_surface_destroy (s);
}

static void
test_trajectories_and_legend (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NnSurface) two = nn_surface_new (NN_SURFACE_TWO_MINIMA);
  g_autofree double *grid = NULL;
  /* Two straight runs and their steps. */
  NnTrajectoryPoint a[3] = { { -1.5, -1.5, 0 }, { 0.0, 0.0, 0 }, { 1.5, 1.5, 0 } };
  NnTrajectoryPoint b[2] = { { -1.5, 1.0, 0 }, { 1.5, 1.0, 0 } };
  NlSurfaceTrajectory t[2];
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  NnBox box;
  cairo_surface_t *s;
  double wx, wy;
  NlRgba c0 = nl_surface_trajectory_color (style, 0), c1 = nl_surface_trajectory_color (style, 1);

  grid = surface_grid (two, 101, &box);
  scene_for (&scene, two, grid, 101, &box);
  memset (t, 0, sizeof t);
  t[0] = (NlSurfaceTrajectory) { "gd", c0, &a[0].x, &a[0].y, &a[0].loss, NULL,
                                 sizeof (NnTrajectoryPoint), 3, FALSE };
  t[1] = (NlSurfaceTrajectory) { "adam", c1, &b[0].x, &b[0].y, &b[0].loss, NULL,
                                 sizeof (NnTrajectoryPoint), 2, FALSE };
  scene.trajectories = t;
  scene.n_trajectories = 2;
  scene.has_start = TRUE;
  scene.start_x = -1.5, scene.start_y = -1.5;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  test_write_png (s, "surface-two-minima-trajectories");

  /* Each trajectory has its colour where it is drawn, between its steps. */
  nl_surface_layout_to_widget (&layout, 0.75, 0.75, 0, &wx, &wy);
  test_assert_color (s, wx, wy, &c0, 0.08, "first trajectory");
  nl_surface_layout_to_widget (&layout, -0.6, 1.0, 0, &wx, &wy);
  test_assert_color (s, wx, wy, &c1, 0.08, "second trajectory");
  /* ... and at its current position (the marker's centre). */
  nl_surface_layout_to_widget (&layout, 1.5, 1.0, 0, &wx, &wy);
  test_assert_color (s, wx, wy, &c1, 0.08, "second trajectory's position");
  /* The global minimum's star is filled with the foreground colour. */
  nl_surface_layout_to_widget (&layout, scene.critical[0].x, scene.critical[0].y, 0, &wx, &wy);
  test_assert_color (s, wx, wy, &style->foreground, 0.1, "global minimum's star");

  /* The legend: entries for both runs, the start and both kinds of minimum and the saddle,
   * and pixels drawn in its area, including each run's colour. */
  g_assert_cmpuint (layout.n_legend, ==, 2 + 1 + 3);
  g_assert_cmpfloat (layout.legend.height, >, 10);
  g_assert_cmpfloat (layout.legend.y + layout.legend.height, <=, layout.plot.y);
  g_assert_cmpuint (count_not_background (s, &layout.legend, &style->background), >, 400);
  {
    gboolean found[2] = { FALSE, FALSE };
    for (guint i = 0; i < 2; i++)
      for (double x = layout.legend_x[i]; x < layout.legend_x[i] + 30; x++)
        for (double y = layout.legend_y[i]; y < layout.legend_y[i] + 20; y++)
          {
            NlRgba p = test_pixel (s, x, y);
            found[i] |= test_color_near (&p, i == 0 ? &c0 : &c1, 0.05);
          }
    g_assert_true (found[0] && found[1]);
  }

  /* Hit-testing finds the point drawn under the pointer; the plane point under a pixel is
   * the one drawn there. */
  {
    int tr = -1, pt = -1;
    double x, y;

    nl_surface_layout_to_widget (&layout, 0.0, 0.0, 0, &wx, &wy);
    g_assert_true (nl_surface_layout_hit_test (&layout, &scene, wx + 2, wy - 1, 8, &tr, &pt));
    g_assert_cmpint (tr, ==, 0);
    g_assert_cmpint (pt, ==, 1);
    g_assert_false (nl_surface_layout_hit_test (&layout, &scene, wx + 40, wy + 40, 8, &tr, &pt));
    g_assert_true (nl_surface_layout_from_widget (&layout, &scene, wx, wy, &x, &y));
    g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (y, 0.0, 1e-9);
    g_assert_false (nl_surface_layout_from_widget (&layout, &scene, 1, 1, &x, &y));
  }
  cairo_surface_destroy (s);

  /* Without runs, start or minima there is no legend. */
  scene.n_trajectories = 0;
  scene.has_start = FALSE;
  scene.n_critical = 0;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  g_assert_cmpuint (layout.n_legend, ==, 0);
  g_assert_cmpfloat (layout.legend.height, ==, 0);
  cairo_surface_destroy (s);
}

/* The network's plane: the note under the title, projected points with their true loss and
 * distance from the plane in the hover box, in the dark theme. */
static void
test_plane_annotations (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_DARK);
  const guint res = 61;
  g_autofree double *grid = g_new (double, res * res);
  NnProjectedPoint pts[40];
  NlSurfaceTrajectory t;
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  NnBox box = { -2, 3, -1, 1.5 };
  cairo_surface_t *s;
  NlRgba c = nl_surface_trajectory_color (style, 4);
  NlRect right_half, box_area;
  double wx, wy;
  guint before, after;

  for (guint r = 0; r < res; r++)
    for (guint k = 0; k < res; k++)
      {
        double a = nn_box_node_x (&box, res, k), b = nn_box_node_y (&box, res, r);
        grid[r * res + k] = 0.05 + 0.3 * (a - 1) * (a - 1) + 0.8 * b * b + 0.2 * sin (3 * a);
      }
  for (guint i = 0; i < 40; i++)
    pts[i] = (NnProjectedPoint) { -1.5 + 2.5 * i / 39.0, 1.2 * exp (-(double) i / 8.0), 0.01 * i,
                                  0.4 / (1 + i) };
  t = (NlSurfaceTrajectory) { "adam", c, &pts[0].alpha, &pts[0].beta, &pts[0].loss,
                              &pts[0].residual, sizeof (NnProjectedPoint), 40, FALSE };
  nl_surface_scene_init (&scene);
  scene.grid = grid, scene.res = res, scene.box = box;
  scene.x_name = "α", scene.y_name = "β";
  scene.title = "Your network's loss on the PCA plane";
  scene.note = "The plane explains 86 % + 7 % of the trajectories' variance";
  scene.equal_aspect = TRUE;
  scene.trajectories = &t, scene.n_trajectories = 1;
  scene.has_start = TRUE, scene.start_x = pts[0].alpha, scene.start_y = pts[0].beta;
  s = render (&scene, NL_RENDER_THEME_DARK, &layout);
  g_assert_cmpfloat (layout.title.height, >, 20);
  g_assert_cmpuint (count_not_background (s, &layout.title, &style->background), >, 300);
  /* One unit as long on both axes. */
  g_assert_cmpfloat_with_epsilon (layout.plot.width / (box.x_max - box.x_min),
                                  layout.plot.height / (box.y_max - box.y_min), 1e-6);
  nl_surface_layout_to_widget (&layout, pts[20].alpha, pts[20].beta, 0, &wx, &wy);
  right_half = (NlRect) { wx + 14, 0, W - wx - 14, H };
  before = count_not_background (s, &right_half, &style->background);
  cairo_surface_destroy (s);

  /* Hover point 20: a box beside it, framed in the run's colour. */
  scene.hover_trajectory = 0, scene.hover_point = 20;
  s = render (&scene, NL_RENDER_THEME_DARK, &layout);
  test_write_png (s, "surface-plane-hover-dark");
  box_area = (NlRect) { wx + 16, wy - 40, 200, 80 };
  after = count_not_background (s, &right_half, &style->background);
  g_assert_cmpuint (after, !=, before);
  {
    guint framed = 0;
    for (double x = box_area.x; x < box_area.x + box_area.width && x < W; x++)
      for (double y = MAX (box_area.y, 0); y < box_area.y + box_area.height && y < H; y++)
        {
          NlRgba p = test_pixel (s, x, y);
          framed += test_color_near (&p, &c, 0.05);
        }
    g_assert_cmpuint (framed, >, 40);
  }
  /* The contour's value there is the grid's, interpolated. */
  g_assert_cmpfloat_with_epsilon (nl_surface_scene_value_at (&scene, box.x_min, box.y_max),
                                  grid[0], 1e-12);
  g_assert_true (isnan (nl_surface_scene_value_at (&scene, box.x_max + 1, 0)));
  cairo_surface_destroy (s);
}

static void
test_3d (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NnSurface) rosen = nn_surface_new (NN_SURFACE_ROSENBROCK);
  g_autofree double *grid = NULL;
  NnTrajectoryPoint a[3] = { { -1.5, 2, 0 }, { -1, 1, 0 }, { 0, 0, 0 } };
  NlSurfaceTrajectory t;
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  NnBox box;
  cairo_surface_t *s;
  double x0, y0, x1, y1, px, py;
  NlRgba c = nl_surface_trajectory_color (style, 2);

  grid = surface_grid (rosen, 81, &box);
  scene_for (&scene, rosen, grid, 81, &box);
  t = (NlSurfaceTrajectory) { "rmsprop", c, &a[0].x, &a[0].y, &a[0].loss, NULL,
                              sizeof (NnTrajectoryPoint), 3, FALSE };
  scene.trajectories = &t, scene.n_trajectories = 1;
  scene.view = NL_SURFACE_VIEW_3D;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  test_write_png (s, "surface-rosenbrock-3d");
  /* Higher is up the screen; the plot is mostly drawn. */
  nl_surface_layout_to_widget (&layout, 0, 0, 0, &x0, &y0);
  nl_surface_layout_to_widget (&layout, 0, 0, 1, &x1, &y1);
  g_assert_cmpfloat (x0, ==, x1);
  g_assert_cmpfloat (y1, <, y0 - 50);
  g_assert_cmpuint (count_not_background (s, &layout.plot, &style->background), >,
                    layout.plot.width * layout.plot.height / 4);
  /* The trajectory is drawn on the surface in its colour, its position marked. */
  {
    double h = nl_surface_layout_height_of (&layout, nl_surface_scene_value_at (&scene, 0, 0));
    nl_surface_layout_to_widget (&layout, 0, 0, h, &px, &py);
    test_assert_color (s, px, py, &c, 0.08, "position on the 3-D surface");
  }
  /* Clicking a node drawn there finds it again. */
  {
    double x, y, h = nl_surface_layout_height_of (&layout, grid[40 * 81 + 20]);
    nl_surface_layout_to_widget (&layout, nn_box_node_x (&box, 81, 20), nn_box_node_y (&box, 81, 40),
                                 h, &px, &py);
    g_assert_true (nl_surface_layout_from_widget (&layout, &scene, px, py, &x, &y));
    g_assert_cmpfloat_with_epsilon (x, nn_box_node_x (&box, 81, 20), 0.06);
    g_assert_cmpfloat_with_epsilon (y, nn_box_node_y (&box, 81, 40), 0.06);
  }
  cairo_surface_destroy (s);
}

/* A run that diverges far outside the box, and a grid with non-finite values, draw without
 * trouble. */
static void
test_far_and_broken (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  double grid[9] = { 1, 2, 3, 4, NAN, 6, 7, INFINITY, 9 };
  NnTrajectoryPoint a[4] = { { 0, 0, 1 }, { -10, 20, 1e6 }, { 1e200, -1e200, INFINITY },
                             { NAN, NAN, NAN } };
  NlSurfaceTrajectory t = { "gd", nl_surface_trajectory_color (style, 0), &a[0].x, &a[0].y,
                            &a[0].loss, NULL, sizeof (NnTrajectoryPoint), 4, TRUE };
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  cairo_surface_t *s;

  nl_surface_scene_init (&scene);
  scene.grid = grid, scene.res = 3;
  scene.trajectories = &t, scene.n_trajectories = 1;
  scene.message = "Computing the loss… 40 %";
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  cairo_surface_destroy (s);
  scene.view = NL_SURFACE_VIEW_3D;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  cairo_surface_destroy (s);
  /* No grid yet: axes and the message only. */
  scene.grid = NULL;
  scene.view = NL_SURFACE_VIEW_CONTOURS;
  s = render (&scene, NL_RENDER_THEME_LIGHT, &layout);
  g_assert_cmpuint (layout.levels.n, ==, 0);
  cairo_surface_destroy (s);
}

static cairo_status_t
count_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  *(gsize *) closure += length;
  return CAIRO_STATUS_SUCCESS;
}

/* SVG and PDF: the same drawing as vectors (with the bands as one embedded image). */
static void
test_vector_targets (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NnSurface) him = nn_surface_new (NN_SURFACE_HIMMELBLAU);
  g_autofree double *grid = NULL;
  NlSurfaceScene scene;
  NlSurfaceLayout layout;
  NnBox box;

  grid = surface_grid (him, 61, &box);
  scene_for (&scene, him, grid, 61, &box);
  nl_surface_layout_compute (&layout, &scene, 600, 480, style, NULL);
  for (int kind = 0; kind < 2; kind++)
    {
      gsize bytes = 0;
      cairo_surface_t *target = kind == 0
        ? cairo_svg_surface_create_for_stream (count_bytes, &bytes, 600, 480)
        : cairo_pdf_surface_create_for_stream (count_bytes, &bytes, 600, 480);
      cairo_t *cr = cairo_create (target);

      nl_render_surface (cr, &layout, &scene, style, NULL);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_finish (target);
      g_assert_cmpint (cairo_surface_status (target), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (target);
      g_assert_cmpuint (bytes, >, 10000);
    }
}

static void
test_loss_plot (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnTrajectoryPoint a[201], b[201];
  NlSurfaceTrajectory t[2];
  NlRaceLossScene scene = { 0 };
  NlRaceLossLayout layout;
  cairo_surface_t *s;
  cairo_t *cr;
  double x, y1, y2, y3;
  NlRgba c0 = nl_surface_trajectory_color (style, 0), c1 = nl_surface_trajectory_color (style, 1);

  /* Losses falling by ten every 50 steps, and a slower run. */
  for (guint i = 0; i <= 200; i++)
    {
      a[i] = (NnTrajectoryPoint) { 0, 0, 10.0 * pow (10.0, -(double) i / 50.0) };
      b[i] = (NnTrajectoryPoint) { 0, 0, 10.0 / (1 + 0.05 * i) };
    }
  t[0] = (NlSurfaceTrajectory) { "gd", c0, &a[0].x, &a[0].y, &a[0].loss, NULL,
                                 sizeof (NnTrajectoryPoint), 201, FALSE };
  t[1] = (NlSurfaceTrajectory) { "adam", c1, &b[0].x, &b[0].y, &b[0].loss, NULL,
                                 sizeof (NnTrajectoryPoint), 201, FALSE };
  scene.series = t, scene.n_series = 2, scene.max_step = 300, scene.log_scale = TRUE;

  s = test_surface_new (520, 260, &cr);
  nl_race_loss_layout_compute (&layout, &scene, 520, 260, style);
  nl_render_race_loss (cr, &layout, &scene, style, NULL);
  cairo_destroy (cr);
  test_write_png (s, "surface-loss-steps");
  g_assert_true (layout.log_scale);
  g_assert_cmpfloat (layout.x_max, ==, 300);
  /* On a log axis, a loss falling by a constant factor is a straight line. */
  nl_race_loss_layout_to_widget (&layout, &scene, 0, 10, &x, &y1);
  nl_race_loss_layout_to_widget (&layout, &scene, 0, 1, &x, &y2);
  nl_race_loss_layout_to_widget (&layout, &scene, 0, 0.1, &x, &y3);
  g_assert_cmpfloat_with_epsilon (y2 - y1, y3 - y2, 1e-9);
  /* Each run's colour where it is drawn. */
  nl_race_loss_layout_to_widget (&layout, &scene, 100, a[100].loss, &x, &y1);
  test_assert_color (s, x, y1, &c0, 0.1, "fast run's loss");
  nl_race_loss_layout_to_widget (&layout, &scene, 100, b[100].loss, &x, &y1);
  test_assert_color (s, x, y1, &c1, 0.1, "slow run's loss");
  /* The legend is there. */
  g_assert_cmpuint (count_not_background (s, &layout.legend, &style->background), >, 150);
  cairo_surface_destroy (s);

  /* A negative loss cannot go on a log axis: linear, unless the offset lifts it. */
  a[5].loss = -0.5;
  nl_race_loss_layout_compute (&layout, &scene, 520, 260, style);
  g_assert_false (layout.log_scale);
  scene.offset = -0.6;
  nl_race_loss_layout_compute (&layout, &scene, 520, 260, style);
  g_assert_true (layout.log_scale);

  /* Nothing to draw: axes only. */
  scene.n_series = 0;
  s = test_surface_new (300, 200, &cr);
  nl_race_loss_layout_compute (&layout, &scene, 300, 200, style);
  nl_render_race_loss (cr, &layout, &scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/surface/levels", test_levels);
  g_test_add_func ("/render/surface/contour-colour-order", test_contour_colour_order);
  g_test_add_func ("/render/surface/trajectories-and-legend", test_trajectories_and_legend);
  g_test_add_func ("/render/surface/plane-annotations", test_plane_annotations);
  g_test_add_func ("/render/surface/3d", test_3d);
  g_test_add_func ("/render/surface/far-and-broken", test_far_and_broken);
  g_test_add_func ("/render/surface/vector-targets", test_vector_targets);
  g_test_add_func ("/render/surface/loss-plot", test_loss_plot);
  return g_test_run ();
}
