/* test-surface.c: names, exact gradients, minima, grids and the two-parameter models. */
#include "nn-error.h"
#include "nn-surface.h"

#include <math.h>
#include <string.h>

/* Central difference of a surface's full value (h scaled to the coordinate). */
static void
numeric_gradient (const NnSurface *s, double x, double y, double *g)
{
  double hx = 1e-6 * MAX (1.0, fabs (x)), hy = 1e-6 * MAX (1.0, fabs (y));

  g[0] = (nn_surface_value (s, x + hx, y) - nn_surface_value (s, x - hx, y)) / (2.0 * hx);
  g[1] = (nn_surface_value (s, x, y + hy) - nn_surface_value (s, x, y - hy)) / (2.0 * hy);
}

/* Compares the gradient with central differences on a 9 × 9 lattice inside the view box
 * (offset from round numbers); returns how many components were large enough to check. */
static guint
check_gradient (const NnSurface *s)
{
  NnBox box;
  guint checked = 0;

  nn_surface_get_view_box (s, &box);
  for (guint i = 0; i < 9; i++)
    for (guint j = 0; j < 9; j++)
      {
        double x = box.x_min + (box.x_max - box.x_min) * (i + 0.37) / 9.0;
        double y = box.y_min + (box.y_max - box.y_min) * (j + 0.61) / 9.0;
        double g[2], fd[2], f = nn_surface_gradient (s, x, y, g);
        numeric_gradient (s, x, y, fd);
        g_assert_cmpfloat (f, ==, nn_surface_value (s, x, y));
        for (guint k = 0; k < 2; k++)
          {
            /* Relative error, except where the gradient itself is tiny (then it is
             * compared to the function's own scale). */
            double scale = MAX (fabs (g[k]), 1e-3 * MAX (1.0, fabs (f)));
            double rel = fabs (g[k] - fd[k]) / scale;
            if (rel >= 1e-6)
              g_error ("%s at (%g, %g): ∂%c analytic %.12g, numeric %.12g (rel %.2g)",
                       nn_surface_get_name (s), x, y, "xy"[k], g[k], fd[k], rel);
            checked += fabs (g[k]) > 1e-3;
          }
      }
  return checked;
}

static void
test_names (void)
{
  for (NnSurfaceKind k = 0; k < NN_N_SURFACES; k++)
    {
      NnSurfaceKind back;
      const char *name = nn_surface_kind_to_string (k);
      g_assert_nonnull (name);
      g_assert_true (nn_surface_kind_from_string (name, &back));
      g_assert_cmpint (back, ==, k);
      g_assert_cmpint (nn_surface_kind_is_data (k), ==, k >= NN_N_TEXTBOOK_SURFACES);
    }
  g_assert_cmpstr (nn_surface_kind_to_string (NN_SURFACE_TWO_MINIMA), ==, "two_minima");
  g_assert_cmpstr (nn_surface_kind_to_string (NN_SURFACE_ROSENBROCK), ==, "rosenbrock");

  for (NnSurfaceKind k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NnSurface) s = nn_surface_new_from_name (nn_surface_kind_to_string (k), &error);
      g_assert_no_error (error);
      g_assert_cmpint (nn_surface_get_kind (s), ==, k);
      g_assert_cmpuint (strlen (nn_surface_get_description (s)), >, 20);
    }

  g_autoptr (GError) error = NULL;
  g_assert_null (nn_surface_new_from_name ("banana", &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "rosenbrock")); /* lists the names */
  g_clear_error (&error);
  g_assert_null (nn_surface_new_from_name ("logistic", &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED);
}

static void
test_textbook_gradients (void)
{
  for (NnSurfaceKind k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      g_autoptr (NnSurface) s = nn_surface_new (k);
      /* Most of the lattice has a gradient worth checking: an all-zero gradient fails. */
      g_assert_cmpuint (check_gradient (s), >, 100);
    }
  g_autoptr (NnSurface) steep = nn_surface_new_ravine (1000.0, NULL);
  g_assert_cmpuint (check_gradient (steep), >, 100);
}

static void
test_known_values (void)
{
  g_autoptr (NnSurface) bowl = nn_surface_new (NN_SURFACE_BOWL);
  g_autoptr (NnSurface) rosen = nn_surface_new (NN_SURFACE_ROSENBROCK);
  g_autoptr (NnSurface) beale = nn_surface_new (NN_SURFACE_BEALE);
  g_autoptr (NnSurface) himmel = nn_surface_new (NN_SURFACE_HIMMELBLAU);
  g_autoptr (NnSurface) saddle = nn_surface_new (NN_SURFACE_SADDLE);

  g_assert_cmpfloat (nn_surface_value (bowl, 3.0, -4.0), ==, 25.0);
  /* (1 − (−1))² + 100·(2 − 1)² */
  g_assert_cmpfloat (nn_surface_value (rosen, -1.0, 2.0), ==, 104.0);
  /* (1.5 − 1 + 1)² + (2.25 − 1 + 1)² + (2.625 − 1 + 1)² at (1, 1) */
  g_assert_cmpfloat_with_epsilon (nn_surface_value (beale, 1.0, 1.0), 2.25 + 5.0625 + 6.890625,
                                  1e-12);
  /* (0 + 0 − 11)² + (0 + 0 − 7)² */
  g_assert_cmpfloat (nn_surface_value (himmel, 0.0, 0.0), ==, 170.0);
  g_assert_cmpfloat (nn_surface_value (saddle, 1.0, 2.0), ==, -3.0);
}

static void
test_critical_points (void)
{
  for (NnSurfaceKind k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      g_autoptr (NnSurface) s = nn_surface_new (k);
      guint n, n_min = 0;
      const NnCriticalPoint *c = nn_surface_get_critical_points (s, &n);
      NnBox box;
      double sx, sy;

      nn_surface_get_view_box (s, &box);
      nn_surface_get_start (s, &sx, &sy);
      g_assert_true (sx > box.x_min && sx < box.x_max && sy > box.y_min && sy < box.y_max);
      g_assert_cmpuint (n, >, 0);
      for (guint i = 0; i < n; i++)
        {
          double g[2];
          g_assert_cmpfloat (nn_surface_gradient (s, c[i].x, c[i].y, g), ==, c[i].value);
          g_assert_cmpfloat (hypot (g[0], g[1]), <, 1e-9);
          g_assert_true (c[i].x > box.x_min && c[i].x < box.x_max);
          g_assert_true (c[i].y > box.y_min && c[i].y < box.y_max);
          if (c[i].kind == NN_CRITICAL_SADDLE)
            continue;
          n_min++;
          /* A minimum: the value rises a little away from it in every direction. */
          for (guint d = 0; d < 8; d++)
            {
              double a = d * G_PI / 4, x = c[i].x + 1e-3 * cos (a), y = c[i].y + 1e-3 * sin (a);
              g_assert_cmpfloat (nn_surface_value (s, x, y), >, c[i].value);
            }
          if (c[i].kind == NN_CRITICAL_GLOBAL_MINIMUM)
            g_assert_cmpfloat_with_epsilon (c[i].value, nn_surface_get_min_value (s), 1e-12);
          else
            g_assert_cmpfloat (c[i].value, >, nn_surface_get_min_value (s));
          g_assert_cmpint (nn_surface_nearest_minimum (s, c[i].x + 1e-4, c[i].y, NULL), ==, i);
        }
      g_assert_cmpuint (n_min, ==, k == NN_SURFACE_SADDLE ? 0 : k == NN_SURFACE_HIMMELBLAU ? 4
                                  : k == NN_SURFACE_TWO_MINIMA ? 2 : 1);
    }

  /* The double well: the global minimum on the left, the local one on the right, the
   * ridge between; and no minimum at all on the saddle. */
  g_autoptr (NnSurface) well = nn_surface_new (NN_SURFACE_TWO_MINIMA);
  guint n;
  const NnCriticalPoint *c = nn_surface_get_critical_points (well, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (c[0].kind, ==, NN_CRITICAL_GLOBAL_MINIMUM);
  g_assert_cmpint (c[1].kind, ==, NN_CRITICAL_LOCAL_MINIMUM);
  g_assert_cmpint (c[2].kind, ==, NN_CRITICAL_SADDLE);
  g_assert_cmpfloat (c[0].x, <, c[2].x);
  g_assert_cmpfloat (c[2].x, <, c[1].x);
  g_assert_cmpfloat (c[0].value, <, c[1].value);

  g_autoptr (NnSurface) saddle = nn_surface_new (NN_SURFACE_SADDLE);
  double d;
  g_assert_cmpint (nn_surface_nearest_minimum (saddle, 0.5, 0.5, &d), ==, -1);
  g_assert_true (isnan (d));
  g_assert_true (isnan (nn_surface_get_min_value (saddle)));

  g_autoptr (NnSurface) himmel = nn_surface_new (NN_SURFACE_HIMMELBLAU);
  g_assert_cmpint (nn_surface_nearest_minimum (himmel, 2.0, 1.0, &d), ==, 0);
  g_assert_cmpfloat_with_epsilon (d, sqrt (2.0), 1e-15);
}

static void
test_ravine_condition (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnSurface) r = nn_surface_new_ravine (400.0, &error);
  double g[2];

  g_assert_no_error (error);
  g_assert_cmpfloat (nn_surface_get_condition_number (r), ==, 400.0);
  /* The Hessian is diag(1, κ): the gradient at (1, 1) is (1, κ). */
  nn_surface_gradient (r, 1.0, 1.0, g);
  g_assert_cmpfloat (g[0], ==, 1.0);
  g_assert_cmpfloat (g[1], ==, 400.0);
  /* GD's default rate follows κ: stable (< 2/κ) and zig-zagging (> 1/κ). */
  double lr = nn_surface_get_default_learning_rate (r, NN_OPTIMIZER_GD);
  g_assert_cmpfloat (lr, <, 2.0 / 400.0);
  g_assert_cmpfloat (lr, >, 1.0 / 400.0);

  g_autoptr (NnSurface) dflt = nn_surface_new (NN_SURFACE_RAVINE);
  g_assert_cmpfloat (nn_surface_get_condition_number (dflt), ==, NN_RAVINE_DEFAULT_KAPPA);

  g_assert_null (nn_surface_new_ravine (0.5, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (nn_surface_new_ravine (NAN, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

static void
test_grid (void)
{
  g_autoptr (NnSurface) s = nn_surface_new (NN_SURFACE_ROSENBROCK);
  NnBox box = { -2.0, 2.0, -1.0, 3.0 };
  double values[5 * 5];

  nn_surface_eval_grid (s, &box, 5, values);
  /* Row 0 is the top (y = 3), column 0 the left (x = −2); the edges are sampled. */
  g_assert_cmpfloat (values[0], ==, nn_surface_value (s, -2.0, 3.0));
  g_assert_cmpfloat (values[4], ==, nn_surface_value (s, 2.0, 3.0));
  g_assert_cmpfloat (values[20], ==, nn_surface_value (s, -2.0, -1.0));
  g_assert_cmpfloat (values[3 * 5 + 3], ==, nn_surface_value (s, 1.0, 0.0));
  g_assert_cmpfloat (nn_box_node_x (&box, 5, 4), ==, 2.0);
  g_assert_cmpfloat (nn_box_node_y (&box, 5, 4), ==, -1.0);
}

/* Two overlapping classes around (1, 2) and (−1, −2), deterministic. */
static GArray *
overlapping_points (guint n)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      double sign = i % 2 ? 1.0 : -1.0;
      NnPoint p = { sign * 1.0 + g_rand_double_range (rand, -2.5, 2.5),
                    sign * 2.0 + g_rand_double_range (rand, -3.0, 3.0), i % 2 };
      g_array_append_val (pts, p);
    }
  return pts;
}

static void
check_batch_gradient (const NnSurface *s, double x, double y, const guint *idx, guint n)
{
  double g[2], unused[2], lo, hi, h = 1e-6;

  nn_surface_batch_gradient (s, x, y, idx, n, g);
  for (guint k = 0; k < 2; k++)
    {
      double dx = (k == 0) * h, dy = (k == 1) * h;
      lo = nn_surface_batch_gradient (s, x - dx, y - dy, idx, n, unused);
      hi = nn_surface_batch_gradient (s, x + dx, y + dy, idx, n, unused);
      g_assert_cmpfloat (fabs (g[k] - (hi - lo) / (2 * h)), <, 1e-6 * MAX (fabs (g[k]), 1e-3));
    }
}

static void
test_logistic (void)
{
  g_autoptr (GArray) pts = overlapping_points (200);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnSurface) s = nn_surface_new_for_data (NN_SURFACE_LOGISTIC,
                                                    NN_PROBLEM_CLASSIFICATION,
                                                    (NnPoint *) (gpointer) pts->data, pts->len,
                                                    10, &error);
  const guint batch[] = { 3, 17, 42, 199 };
  const char *ax, *ay;
  guint n;
  double g[2];

  g_assert_no_error (error);
  g_assert_cmpuint (nn_surface_get_n_samples (s), ==, 200);
  g_assert_cmpuint (nn_surface_get_batch_size (s), ==, 10);
  nn_surface_get_axis_names (s, &ax, &ay);
  g_assert_cmpstr (ax, ==, "w1");
  g_assert_cmpstr (ay, ==, "w2");
  g_assert_cmpuint (check_gradient (s), >, 100);
  check_batch_gradient (s, 0.3, -0.7, batch, G_N_ELEMENTS (batch));

  /* At w = 0 every p is ½: the loss is log 2 whatever the data. */
  g_assert_cmpfloat_with_epsilon (nn_surface_value (s, 0.0, 0.0), G_LN2, 1e-14);
  /* One sample by hand: z = w·x, loss = log(1 + e^z) − t·z. */
  const NnPoint *p = &g_array_index (pts, NnPoint, 17);
  double z = 0.3 * p->x1 - 0.7 * p->x2;
  guint one = 17;
  g_assert_cmpfloat_with_epsilon (nn_surface_batch_gradient (s, 0.3, -0.7, &one, 1, g),
                                  log1p (exp (z)) - p->y * z, 1e-14);
  g_assert_cmpfloat_with_epsilon (g[0], (1.0 / (1.0 + exp (-z)) - p->y) * p->x1, 1e-14);

  /* The data overlap, so there is one finite minimum: the gradient vanishes there. */
  const NnCriticalPoint *c = nn_surface_get_critical_points (s, &n);
  g_assert_cmpuint (n, ==, 1);
  nn_surface_gradient (s, c[0].x, c[0].y, g);
  g_assert_cmpfloat (hypot (g[0], g[1]), <, 1e-12);
  g_assert_cmpfloat (c[0].x, >, 0.0);
  g_assert_cmpfloat (c[0].y, >, 0.0);
  g_assert_cmpfloat (c[0].value, <, G_LN2);
  double lr = nn_surface_get_default_learning_rate (s, NN_OPTIMIZER_GD);
  g_assert_true (lr > 0.0 && isfinite (lr));

  /* Separable data have no finite minimum; the surface says so instead of inventing one. */
  NnPoint sep[] = { { 1, 1, 1 }, { 2, 0.5, 1 }, { -1, -1, 0 }, { -0.5, -2, 0 } };
  g_autoptr (NnSurface) s2 = nn_surface_new_for_data (NN_SURFACE_LOGISTIC,
                                                     NN_PROBLEM_CLASSIFICATION, sep, 4, 2, NULL);
  g_assert_nonnull (s2);
  nn_surface_get_critical_points (s2, &n);
  g_assert_cmpuint (n, ==, 0);

  /* Three classes or a regression are refused. */
  sep[0].y = 2;
  g_assert_null (nn_surface_new_for_data (NN_SURFACE_LOGISTIC, NN_PROBLEM_CLASSIFICATION, sep, 4,
                                          2, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (nn_surface_new_for_data (NN_SURFACE_LOGISTIC, NN_PROBLEM_REGRESSION, sep, 4, 2,
                                          &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED);
}

static void
test_line (void)
{
  /* y = 0.5·x1 − 1 plus a zero-mean wiggle: least squares recovers w = 0.5, b = −1. */
  NnPoint pts[40];
  g_autoptr (NnSurface) s = NULL;
  const guint batch[] = { 0, 5, 39 };
  guint n;
  double g[2];

  for (guint i = 0; i < 40; i++)
    {
      double x = -4.0 + 8.0 * i / 39.0;
      pts[i] = (NnPoint) { x, 0.0, 0.5 * x - 1.0 + (i % 2 ? 0.1 : -0.1) };
    }
  /* The wiggle alternates with i and so correlates a little with x: the exact fit is
   * computed here in closed form. */
  double mx = 0, my = 0, sxx = 0, sxy = 0;
  for (guint i = 0; i < 40; i++)
    {
      mx += pts[i].x1 / 40;
      my += pts[i].y / 40;
    }
  for (guint i = 0; i < 40; i++)
    {
      sxx += (pts[i].x1 - mx) * (pts[i].x1 - mx);
      sxy += (pts[i].x1 - mx) * (pts[i].y - my);
    }

  s = nn_surface_new_for_data (NN_SURFACE_LINE, NN_PROBLEM_REGRESSION, pts, 40, 100, NULL);
  g_assert_nonnull (s);
  g_assert_cmpuint (nn_surface_get_batch_size (s), ==, 40); /* clamped to the data */
  g_assert_cmpuint (check_gradient (s), >, 100);
  check_batch_gradient (s, 1.5, 0.25, batch, G_N_ELEMENTS (batch));

  const NnCriticalPoint *c = nn_surface_get_critical_points (s, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat_with_epsilon (c[0].x, sxy / sxx, 1e-12);
  g_assert_cmpfloat_with_epsilon (c[0].y, my - sxy / sxx * mx, 1e-12);
  nn_surface_gradient (s, c[0].x, c[0].y, g);
  g_assert_cmpfloat (hypot (g[0], g[1]), <, 1e-12);

  /* Mean squared error by hand at (w, b) = (1, 0). */
  double mse = 0;
  for (guint i = 0; i < 40; i++)
    mse += (pts[i].x1 - pts[i].y) * (pts[i].x1 - pts[i].y) / 40;
  g_assert_cmpfloat_with_epsilon (nn_surface_value (s, 1.0, 0.0), mse, 1e-13);

  /* GD at the default rate is stable: η < 2/L for the largest curvature L. */
  double lr = nn_surface_get_default_learning_rate (s, NN_OPTIMIZER_GD), x = 0, b = 0;
  for (guint i = 0; i < 500; i++)
    {
      nn_surface_gradient (s, x, b, g);
      x -= lr * g[0];
      b -= lr * g[1];
    }
  g_assert_cmpfloat (hypot (x - c[0].x, b - c[0].y), <, 1e-6);
}

static void
test_for_project (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NnSurface) logistic = nn_surface_new_for_project (NN_SURFACE_LOGISTIC, p, &error);
  g_autoptr (NnSurface) line = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (nn_surface_get_n_samples (logistic), >, 0);
  g_assert_cmpuint (nn_surface_get_batch_size (logistic), ==, MIN (p->batch_size,
                                                     nn_surface_get_n_samples (logistic)));
  /* Two classes as −1/+1 targets for the line. */
  line = nn_surface_new_for_project (NN_SURFACE_LINE, p, &error);
  g_assert_no_error (error);
  g_assert_true (isfinite (nn_surface_value (line, 0.1, 0.2)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/surface/names", test_names);
  g_test_add_func ("/surface/textbook-gradients", test_textbook_gradients);
  g_test_add_func ("/surface/known-values", test_known_values);
  g_test_add_func ("/surface/critical-points", test_critical_points);
  g_test_add_func ("/surface/ravine-condition", test_ravine_condition);
  g_test_add_func ("/surface/grid", test_grid);
  g_test_add_func ("/surface/logistic", test_logistic);
  g_test_add_func ("/surface/line", test_line);
  g_test_add_func ("/surface/for-project", test_for_project);
  return g_test_run ();
}
