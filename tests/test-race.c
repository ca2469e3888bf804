/* test-race.c: hand-computed trajectories, noise, mini-batches, divergence, CSV, the
 * learning-rate sweep and the lessons of the presets. */
#include "nn-error.h"
#include "nn-race.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static NnRace *
race_with (NnSurfaceKind kind, NnOptimizerKind opt, double lr, double x0, double y0)
{
  g_autoptr (NnSurface) s = nn_surface_new (kind);
  NnRace *race = nn_race_new (s, 1);
  NnRunnerConfig cfg;

  nn_runner_config_init (&cfg, opt, s);
  cfg.optimizer.learning_rate = lr;
  cfg.stochastic = FALSE;
  g_assert_cmpint (nn_race_add_runner (race, &cfg, NULL, NULL), ==, 0);
  nn_race_set_start (race, x0, y0);
  return race;
}

static void
assert_point (const NnTrajectoryPoint *p, double x, double y, double loss)
{
  g_assert_cmpfloat_with_epsilon (p->x, x, 1e-12);
  g_assert_cmpfloat_with_epsilon (p->y, y, 1e-12);
  g_assert_cmpfloat_with_epsilon (p->loss, loss, 1e-12 * MAX (1.0, fabs (loss)));
}

static void
test_gd_bowl_by_hand (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_BOWL, NN_OPTIMIZER_GD, 0.1, -2.5, 2.0);
  const NnTrajectoryPoint *t;
  guint n;

  g_assert_cmpuint (nn_race_run (race, 3), ==, 1);
  t = nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpuint (n, ==, 4);
  /* f = x² + y², ∇f = 2(x, y): each step multiplies the point by 1 − 2·0.1 = 0.8. */
  assert_point (&t[0], -2.5, 2.0, 10.25);
  assert_point (&t[1], -2.0, 1.6, 6.56);
  assert_point (&t[2], -1.6, 1.28, 4.1984);
  assert_point (&t[3], -1.28, 1.024, 2.686976);
}

/* Adam written out (Kingma & Ba, bias-corrected) for a gradient function. */
static void
adam_by_hand (void (*grad) (const double *, double *), double lr, double *w, guint steps,
              double *xs, double *ys)
{
  double m[2] = { 0 }, v[2] = { 0 }, g[2];

  for (guint t = 1; t <= steps; t++)
    {
      grad (w, g);
      for (guint i = 0; i < 2; i++)
        {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          double mh = m[i] / (1.0 - pow (0.9, t)), vh = v[i] / (1.0 - pow (0.999, t));
          w[i] -= lr * mh / (sqrt (vh) + 1e-8);
        }
      xs[t] = w[0];
      ys[t] = w[1];
    }
}

static void
bowl_gradient (const double *w, double *g)
{
  g[0] = 2.0 * w[0];
  g[1] = 2.0 * w[1];
}

/* Rosenbrock's gradient, written as 2(x − 1) + 400x(x² − y), 200(y − x²). */
static void
rosenbrock_gradient (const double *w, double *g)
{
  g[0] = 2.0 * (w[0] - 1.0) + 400.0 * w[0] * (w[0] * w[0] - w[1]);
  g[1] = 200.0 * (w[1] - w[0] * w[0]);
}

static double
rosenbrock (double x, double y)
{
  return (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
}

static void
test_adam_bowl_by_hand (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_BOWL, NN_OPTIMIZER_ADAM, 0.1, -2.5, 2.0);
  double w[2] = { -2.5, 2.0 }, xs[5], ys[5];
  const NnTrajectoryPoint *t;
  guint n;

  nn_race_run (race, 4);
  t = nn_race_get_trajectory (race, 0, &n);
  adam_by_hand (bowl_gradient, 0.1, w, 4, xs, ys);
  for (guint i = 1; i <= 4; i++)
    assert_point (&t[i], xs[i], ys[i], xs[i] * xs[i] + ys[i] * ys[i]);
  /* Adam's first step moves each coordinate by the learning rate (up to ε). */
  g_assert_cmpfloat_with_epsilon (t[1].x, -2.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (t[1].y, 1.9, 1e-9);
}

static void
test_gd_rosenbrock_by_hand (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_ROSENBROCK, NN_OPTIMIZER_GD, 0.001, -1.5, 2.0);
  double w[2] = { -1.5, 2.0 }, g[2];
  const NnTrajectoryPoint *t;
  guint n;

  nn_race_run (race, 3);
  t = nn_race_get_trajectory (race, 0, &n);
  /* Step 1 on paper: y − x² = −0.25, ∇f = (−5 − 150, −50) = (−155, −50). */
  assert_point (&t[0], -1.5, 2.0, 12.5);
  assert_point (&t[1], -1.345, 2.05, rosenbrock (-1.345, 2.05));
  for (guint i = 1; i <= 3; i++)
    {
      rosenbrock_gradient (w, g);
      w[0] -= 0.001 * g[0];
      w[1] -= 0.001 * g[1];
      assert_point (&t[i], w[0], w[1], rosenbrock (w[0], w[1]));
    }
}

static void
test_adam_rosenbrock_by_hand (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_ROSENBROCK, NN_OPTIMIZER_ADAM, 0.05, -1.5, 2.0);
  double w[2] = { -1.5, 2.0 }, xs[6], ys[6];
  const NnTrajectoryPoint *t;
  guint n;

  nn_race_run (race, 5);
  t = nn_race_get_trajectory (race, 0, &n);
  adam_by_hand (rosenbrock_gradient, 0.05, w, 5, xs, ys);
  for (guint i = 1; i <= 5; i++)
    assert_point (&t[i], xs[i], ys[i], rosenbrock (xs[i], ys[i]));
}

static void
test_sgd_noise (void)
{
  g_autoptr (NnSurface) s = nn_surface_new (NN_SURFACE_BOWL);
  g_autoptr (NnRace) race = nn_race_new (s, 99);
  NnRunnerConfig sgd, gd, quiet;
  const NnTrajectoryPoint *a, *b, *c, *d;
  const guint steps = 5000;
  double sum = 0.0, sum2 = 0.0;
  guint na, nb, nc, nd;

  nn_runner_config_init (&sgd, NN_OPTIMIZER_SGD, s);
  g_assert_true (sgd.stochastic);
  sgd.optimizer.learning_rate = 0.01;
  sgd.noise = 2.0;
  nn_runner_config_init (&gd, NN_OPTIMIZER_GD, s);
  g_assert_false (gd.stochastic);
  gd.optimizer.learning_rate = 0.01;
  quiet = sgd;
  quiet.noise = 0.0;
  nn_race_add_runner (race, &sgd, NULL, NULL);
  nn_race_add_runner (race, &sgd, NULL, NULL);
  nn_race_add_runner (race, &gd, NULL, NULL);
  nn_race_add_runner (race, &quiet, "quiet", NULL);
  g_assert_cmpstr (nn_race_get_runner_label (race, 1), ==, "sgd-2");
  nn_race_run (race, steps);
  a = nn_race_get_trajectory (race, 0, &na);
  b = nn_race_get_trajectory (race, 1, &nb);
  c = nn_race_get_trajectory (race, 2, &nc);
  d = nn_race_get_trajectory (race, 3, &nd);
  g_assert_cmpuint (na, ==, steps + 1);

  /* Every stochastic runner draws the same noise; without noise SGD is GD. */
  g_assert_cmpmem (a, na * sizeof *a, b, nb * sizeof *b);
  g_assert_cmpmem (c, nc * sizeof *c, d, nd * sizeof *d);
  g_assert_cmpfloat (fabs (a[10].x - c[10].x), >, 1e-6);

  /* The noise SGD saw, recovered from its steps: x' = x − η(2x + ξ). Zero mean and the
   * standard deviation asked for. */
  for (guint i = 0; i < steps; i++)
    {
      double xi = (a[i].x - a[i + 1].x) / 0.01 - 2.0 * a[i].x;
      double eta = (a[i].y - a[i + 1].y) / 0.01 - 2.0 * a[i].y;
      sum += xi + eta;
      sum2 += xi * xi + eta * eta;
    }
  double mean = sum / (2 * steps), sd = sqrt (sum2 / (2 * steps) - mean * mean);
  g_assert_cmpfloat (fabs (mean), <, 4.0 * 2.0 / sqrt (2 * steps));
  g_assert_cmpfloat (fabs (sd - 2.0), <, 0.05 * 2.0);

  /* The same seed replays the same noise; another seed does not. */
  g_autoptr (NnRace) again = nn_race_new (s, 99);
  g_autoptr (NnRace) other = nn_race_new (s, 100);
  nn_race_add_runner (again, &sgd, NULL, NULL);
  nn_race_add_runner (other, &sgd, NULL, NULL);
  nn_race_run (again, 50);
  nn_race_run (other, 50);
  g_assert_cmpmem (nn_race_get_trajectory (again, 0, &na), 51 * sizeof *a, a, 51 * sizeof *a);
  g_assert_true (memcmp (nn_race_get_trajectory (other, 0, &na), a, 51 * sizeof *a) != 0);
}

/* On a data surface a stochastic runner's steps are real mini-batches: with a batch of one,
 * each step's gradient is one sample's, and every epoch uses every sample once. */
static void
test_data_minibatches (void)
{
  NnPoint pts[8];
  g_autoptr (NnSurface) s = NULL;
  g_autoptr (NnRace) race = NULL;
  NnRunnerConfig cfg;
  const NnTrajectoryPoint *t;
  guint n, used[16];
  const double lr = 0.01;

  for (guint i = 0; i < 8; i++)
    pts[i] = (NnPoint) { i - 3.5, 0.0, sin (i + 1.0) };
  s = nn_surface_new_for_data (NN_SURFACE_LINE, NN_PROBLEM_REGRESSION, pts, 8, 1, NULL);
  race = nn_race_new (s, 5);
  nn_runner_config_init (&cfg, NN_OPTIMIZER_SGD, s);
  cfg.optimizer.learning_rate = lr;
  nn_race_add_runner (race, &cfg, NULL, NULL);
  nn_race_run (race, 16);
  t = nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpuint (n, ==, 17);

  for (guint k = 0; k < 16; k++)
    {
      double g[2] = { (t[k].x - t[k + 1].x) / lr, (t[k].y - t[k + 1].y) / lr };
      guint matches = 0;
      for (guint i = 0; i < 8; i++)
        {
          double gi[2];
          nn_surface_batch_gradient (s, t[k].x, t[k].y, &i, 1, gi);
          if (fabs (gi[0] - g[0]) < 1e-9 * MAX (1.0, fabs (g[0]))
              && fabs (gi[1] - g[1]) < 1e-9 * MAX (1.0, fabs (g[1])))
            {
              used[k] = i;
              matches++;
            }
        }
      g_assert_cmpuint (matches, ==, 1);
      /* The recorded loss is the full-batch loss, the one the contours show. */
      g_assert_cmpfloat (t[k].loss, ==, nn_surface_value (s, t[k].x, t[k].y));
    }
  for (guint epoch = 0; epoch < 2; epoch++)
    {
      guint seen = 0;
      for (guint k = 0; k < 8; k++)
        seen |= 1u << used[epoch * 8 + k];
      g_assert_cmpuint (seen, ==, 0xff);
    }
  /* Shuffled: not the data order, and a new order in the second epoch. */
  g_assert_true (memcmp (used, used + 8, 8 * sizeof (guint)) != 0);

  /* A full-batch runner on the same surface follows the exact gradient. */
  g_autoptr (NnRace) gd = nn_race_new (s, 5);
  nn_runner_config_init (&cfg, NN_OPTIMIZER_GD, s);
  nn_race_add_runner (gd, &cfg, NULL, NULL);
  nn_race_run (gd, 200);
  NnRunnerResult r;
  nn_race_get_result (gd, 0, &r);
  g_assert_cmpint (r.nearest_minimum, ==, 0);
  g_assert_cmpfloat (r.distance, <, 1e-3);
}

static void
test_divergence (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_BOWL, NN_OPTIMIZER_GD, 1.05, -2.5, 2.0);
  NnRunnerResult r;
  const NnTrajectoryPoint *t;
  guint n;

  /* x ← −1.1·x: it leaves the plot and is stopped once far outside (> 10 box sizes). */
  g_assert_cmpuint (nn_race_run (race, 1000), ==, 0);
  nn_race_get_result (race, 0, &r);
  g_assert_cmpint (r.state, ==, NN_RUNNER_DIVERGED);
  g_assert_cmpuint (r.steps, <, 60);
  g_assert_cmpfloat (fabs (r.x), >, 3.0 + 10.0 * 6.0);
  t = nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpuint (n, ==, r.steps + 1);
  for (guint i = 0; i < n; i++)
    g_assert_true (isfinite (t[i].x) && isfinite (t[i].y) && isfinite (t[i].loss));
  /* Stopped runners stay stopped. */
  g_assert_cmpuint (nn_race_step (race), ==, 0);
  nn_race_get_result (race, 0, &r);
  g_assert_cmpuint (r.steps, ==, n - 1);
}

static void
test_results_and_reset (void)
{
  g_autoptr (NnRace) race = race_with (NN_SURFACE_HIMMELBLAU, NN_OPTIMIZER_GD, 0.01, 0.0, 0.0);
  g_autoptr (GError) error = NULL;
  g_autofree NnTrajectoryPoint *first = NULL;
  NnRunnerConfig cfg;
  NnRunnerResult r;
  guint n;
  double x, y;

  nn_race_run (race, 300);
  nn_race_get_result (race, 0, &r);
  g_assert_cmpint (r.state, ==, NN_RUNNER_RUNNING);
  g_assert_cmpuint (r.steps, ==, 300);
  g_assert_cmpuint (nn_race_get_step (race), ==, 300);
  g_assert_cmpint (r.nearest_minimum, ==, 0); /* (3, 2) */
  g_assert_cmpfloat (r.distance, <, 1e-6);
  g_assert_cmpfloat (r.loss, <, 1e-10);

  /* A reset replays exactly. */
  first = g_memdup2 (nn_race_get_trajectory (race, 0, &n), 301 * sizeof (NnTrajectoryPoint));
  nn_race_reset (race);
  g_assert_cmpuint (nn_race_get_step (race), ==, 0);
  nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpuint (n, ==, 1);
  nn_race_run (race, 300);
  g_assert_cmpmem (nn_race_get_trajectory (race, 0, &n), 301 * sizeof (NnTrajectoryPoint), first,
                   301 * sizeof (NnTrajectoryPoint));

  /* A click elsewhere restarts from there, and GD finds another of the four minima. */
  nn_race_set_start (race, -4.0, -4.0);
  nn_race_get_start (race, &x, &y);
  g_assert_cmpfloat (x, ==, -4.0);
  g_assert_cmpuint (nn_race_get_step (race), ==, 0);
  nn_race_run (race, 300);
  nn_race_get_result (race, 0, &r);
  g_assert_cmpint (r.nearest_minimum, ==, 2);
  g_assert_cmpfloat (r.distance, <, 1e-6);

  /* Bad configurations are refused and change nothing. */
  nn_runner_config_init (&cfg, NN_OPTIMIZER_ADAM, NULL);
  cfg.optimizer.learning_rate = -1.0;
  g_assert_cmpint (nn_race_add_runner (race, &cfg, NULL, &error), ==, -1);
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_clear_error (&error);
  nn_runner_config_init (&cfg, NN_OPTIMIZER_SGD, NULL);
  cfg.noise = -0.5;
  g_assert_false (nn_race_set_runner_config (race, 0, &cfg, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_cmpuint (nn_race_get_n_runners (race), ==, 1);
  g_assert_cmpuint (nn_race_get_step (race), ==, 300);

  /* A new configuration restarts the race. */
  nn_runner_config_init (&cfg, NN_OPTIMIZER_MOMENTUM, nn_race_get_surface (race));
  g_assert_true (nn_race_set_runner_config (race, 0, &cfg, NULL));
  g_assert_cmpuint (nn_race_get_step (race), ==, 0);
  g_assert_cmpint (nn_race_get_runner_config (race, 0)->optimizer.kind, ==, NN_OPTIMIZER_MOMENTUM);
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *c = text; *c; c++)
    n += *c == '\n';
  return n;
}

static void
test_csv (void)
{
  g_autoptr (NnRace) race = nn_race_new_preset (NN_RACE_PRESET_DIVERGENCE);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL, *csv = NULL, *saved = NULL;
  g_auto (GStrv) lines = NULL, fields = NULL;
  NnRunnerConfig cfg;
  guint total = 0, n;
  gsize length;
  const NnTrajectoryPoint *t;

  nn_runner_config_init (&cfg, NN_OPTIMIZER_ADAM, nn_race_get_surface (race));
  nn_race_add_runner (race, &cfg, "adam, \"fast\"", NULL);
  nn_race_run (race, 60);
  for (guint i = 0; i < nn_race_get_n_runners (race); i++)
    {
      nn_race_get_trajectory (race, i, &n);
      total += n;
    }
  csv = nn_race_to_csv (race, &length);
  g_assert_cmpuint (length, ==, strlen (csv));
  /* One header, one row per recorded point (the diverged runner has fewer). */
  g_assert_cmpuint (count_lines (csv), ==, 1 + total);
  g_assert_cmpuint (total, <, 4 * 61);
  g_assert_true (g_str_has_prefix (csv, "optimizer,step,x,y,loss\n"));

  /* Numbers round-trip exactly. */
  lines = g_strsplit (csv, "\n", -1);
  fields = g_strsplit (lines[2], ",", -1);
  t = nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpstr (fields[0], ==, "gd-lr0.03");
  g_assert_cmpstr (fields[1], ==, "1");
  g_assert_cmpfloat (g_ascii_strtod (fields[2], NULL), ==, t[1].x);
  g_assert_cmpfloat (g_ascii_strtod (fields[3], NULL), ==, t[1].y);
  g_assert_cmpfloat (g_ascii_strtod (fields[4], NULL), ==, t[1].loss);
  /* A label with a comma or a quote is quoted. */
  g_assert_nonnull (strstr (csv, "\n\"adam, \"\"fast\"\"\",0,"));

  dir = g_dir_make_tmp ("test-race-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "race.csv", NULL);
  g_assert_true (nn_race_save_csv (race, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==, csv);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_sweep (void)
{
  g_autoptr (NnSurface) s = nn_surface_new (NN_SURFACE_BOWL);
  g_autoptr (NnRace) race = nn_race_new (s, 1);
  g_autoptr (GError) error = NULL;
  NnRunnerConfig cfg;
  NnSweepConfig sc;
  NnSweepResult res[2];

  nn_runner_config_init (&cfg, NN_OPTIMIZER_GD, s);
  nn_race_add_runner (race, &cfg, NULL, NULL);
  nn_runner_config_init (&cfg, NN_OPTIMIZER_ADAM, s);
  nn_race_add_runner (race, &cfg, NULL, NULL);
  nn_race_run (race, 5);

  /* GD on x² + y² multiplies the point by 1 − 2η: of 0.1, 0.2, 0.4, 0.8, 1.6 the rate
   * 0.4 (factor 0.2) is best and 1.6 (factor −2.2) diverges. */
  nn_sweep_config_init (&sc);
  sc.lr_min = 0.1;
  sc.lr_max = 1.6;
  sc.n_rates = 5;
  sc.steps = 100;
  g_assert_true (nn_race_sweep (race, &sc, res, &error));
  g_assert_no_error (error);
  g_assert_true (res[0].found);
  g_assert_cmpfloat_with_epsilon (res[0].learning_rate, 0.4, 1e-12);
  g_assert_cmpuint (res[0].n_diverged, ==, 1);
  g_assert_cmpuint (res[0].steps_to_threshold, ==, 3); /* 0.04³ < 1e-3 < 0.04² */
  /* The race itself is untouched. */
  g_assert_cmpuint (nn_race_get_step (race), ==, 5);

  /* Adam on the bowl, 100 steps: rates 0.01·2^k. The lowest final loss is at 0.64; but
   * 0.08 … 1.28 all end within 1e-3 of each other, and with that tolerance the one that
   * got there first, 1.28, wins. (Measured with separate races when this test was made.) */
  sc.lr_min = 0.01;
  sc.lr_max = 1.28;
  sc.n_rates = 8;
  sc.tie = 0.0;
  g_assert_true (nn_race_sweep (race, &sc, res, NULL));
  g_assert_cmpfloat_with_epsilon (res[1].learning_rate, 0.64, 1e-12);
  sc.tie = 1e-3;
  g_assert_true (nn_race_sweep (race, &sc, res, NULL));
  g_assert_cmpfloat_with_epsilon (res[1].learning_rate, 1.28, 1e-12);
  g_assert_cmpuint (res[1].steps_to_threshold, ==, 47);

  /* Applying gives each runner its rate and restarts. */
  nn_race_apply_sweep (race, res);
  g_assert_cmpuint (nn_race_get_step (race), ==, 0);
  g_assert_cmpfloat (nn_race_get_runner_config (race, 0)->optimizer.learning_rate, ==,
                     res[0].learning_rate);
  g_assert_cmpfloat_with_epsilon (nn_race_get_runner_config (race, 1)->optimizer.learning_rate,
                                  1.28, 1e-12);

  sc.n_rates = 0;
  g_assert_false (nn_race_sweep (race, &sc, res, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

/* Times the y-step changes direction: the zig-zag count. */
static guint
zigzags (const NnTrajectoryPoint *t, guint n)
{
  guint flips = 0;
  for (guint i = 2; i < n; i++)
    flips += (t[i].y - t[i - 1].y) * (t[i - 1].y - t[i - 2].y) < 0.0;
  return flips;
}

static double
path_length (const NnTrajectoryPoint *t, guint n)
{
  double len = 0.0;
  for (guint i = 1; i < n; i++)
    len += hypot (t[i].x - t[i - 1].x, t[i].y - t[i - 1].y);
  return len;
}

static void
test_preset_local_minimum (void)
{
  g_autoptr (NnRace) race = nn_race_new_preset (NN_RACE_PRESET_LOCAL_MINIMUM);
  NnSurface *s = nn_race_get_surface (race);
  const NnCriticalPoint *c;
  NnRunnerResult gd, momentum, sgd;
  const NnTrajectoryPoint *t;
  guint n, crossed_at = 0;

  g_assert_cmpint (nn_surface_get_kind (s), ==, NN_SURFACE_TWO_MINIMA);
  c = nn_surface_get_critical_points (s, &n); /* global, local, ridge */
  nn_race_run (race, nn_race_preset_get_steps (NN_RACE_PRESET_LOCAL_MINIMUM));
  nn_race_get_result (race, 0, &gd);
  nn_race_get_result (race, 1, &momentum);
  nn_race_get_result (race, 2, &sgd);
  g_assert_cmpstr (nn_race_get_runner_label (race, 0), ==, "gd");
  g_assert_cmpstr (nn_race_get_runner_label (race, 1), ==, "momentum");
  g_assert_cmpstr (nn_race_get_runner_label (race, 2), ==, "sgd");

  /* GD settles in the local minimum and never crosses the ridge. */
  g_assert_cmpint (gd.nearest_minimum, ==, 1);
  g_assert_cmpfloat (gd.distance, <, 1e-3);
  t = nn_race_get_trajectory (race, 0, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (t[i].x, >, c[2].x);
  /* Momentum rolls over it into the global one. */
  g_assert_cmpint (momentum.nearest_minimum, ==, 0);
  g_assert_cmpfloat (momentum.distance, <, 1e-3);
  /* SGD's noise kicks it over and it stays on the global side. */
  t = nn_race_get_trajectory (race, 2, &n);
  for (guint i = 0; i < n && crossed_at == 0; i++)
    if (t[i].x < c[2].x)
      crossed_at = i;
  g_assert_cmpuint (crossed_at, >, 0);
  for (guint i = crossed_at; i < n; i++)
    g_assert_cmpfloat (t[i].x, <, c[2].x);
  g_assert_cmpint (sgd.nearest_minimum, ==, 0);
  g_assert_cmpfloat (sgd.loss, <, c[1].value);
}

static void
test_preset_ravine (void)
{
  g_autoptr (NnRace) race = nn_race_new_preset (NN_RACE_PRESET_RAVINE);
  const NnTrajectoryPoint *gd, *adam;
  NnRunnerResult rg, ra;
  guint n, m;

  nn_race_run (race, nn_race_preset_get_steps (NN_RACE_PRESET_RAVINE));
  gd = nn_race_get_trajectory (race, 0, &n);
  adam = nn_race_get_trajectory (race, 1, &m);
  g_assert_cmpuint (n, ==, 101);
  g_assert_cmpuint (m, ==, 101);
  /* GD changes direction across the valley at (nearly) every step, and walks 3× as far
   * as it gets; Adam heads down the valley with hardly a turn. */
  g_assert_cmpuint (zigzags (gd, n), >=, 90);
  g_assert_cmpfloat (path_length (gd, n), >, 3.0 * hypot (gd[n - 1].x - gd[0].x,
                                                          gd[n - 1].y - gd[0].y));
  g_assert_cmpuint (zigzags (adam, m), <=, 5);
  g_assert_cmpfloat (path_length (adam, m), <, 1.2 * hypot (adam[m - 1].x - adam[0].x,
                                                            adam[m - 1].y - adam[0].y));
  /* …and is closer to the minimum at the end. */
  nn_race_get_result (race, 0, &rg);
  nn_race_get_result (race, 1, &ra);
  g_assert_cmpfloat (ra.distance, <, rg.distance);
  g_assert_cmpfloat (nn_surface_get_condition_number (nn_race_get_surface (race)), ==, 50.0);
}

static void
test_preset_divergence (void)
{
  g_autoptr (NnRace) race = nn_race_new_preset (NN_RACE_PRESET_DIVERGENCE);
  NnRunnerResult small, edge, big;
  const NnTrajectoryPoint *t;
  guint n;

  nn_race_run (race, nn_race_preset_get_steps (NN_RACE_PRESET_DIVERGENCE));
  nn_race_get_result (race, 0, &small);
  nn_race_get_result (race, 1, &edge);
  nn_race_get_result (race, 2, &big);
  /* The small rate creeps in from one side, nearer at every step, and is still on its way
   * when the one near the limit, overshooting, has arrived. */
  t = nn_race_get_trajectory (race, 0, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (t[i].x, <, 0.0);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (t[i].loss, <, t[i - 1].loss);
  g_assert_cmpint (small.state, ==, NN_RUNNER_RUNNING);
  g_assert_cmpfloat (small.distance, >, 100 * edge.distance);
  /* Near the limit it overshoots to the other side at every step, yet converges. */
  t = nn_race_get_trajectory (race, 1, &n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (t[i].x * t[i - 1].x, <, 0.0);
  g_assert_cmpint (edge.state, ==, NN_RUNNER_RUNNING);
  g_assert_cmpfloat (edge.distance, <, 1e-3);
  /* Past it, each overshoot is bigger until it leaves the plot. */
  g_assert_cmpint (big.state, ==, NN_RUNNER_DIVERGED);
  t = nn_race_get_trajectory (race, 2, &n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (t[i].loss, >, t[i - 1].loss);
}

static void
test_preset_names (void)
{
  for (NnRacePreset p = 0; p < NN_N_RACE_PRESETS; p++)
    {
      NnRacePreset back;
      g_assert_true (nn_race_preset_from_string (nn_race_preset_to_string (p), &back));
      g_assert_cmpint (back, ==, p);
      g_assert_cmpuint (strlen (nn_race_preset_get_description (p)), >, 40);
      g_assert_cmpuint (nn_race_preset_get_steps (p), >, 0);
    }
  g_assert_false (nn_race_preset_from_string ("nope", &(NnRacePreset) { 0 }));
}

static void
test_logistic_race (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NnSurface) s = NULL;
  g_autoptr (NnRace) race = NULL;
  NnRunnerConfig cfg;
  const NnTrajectoryPoint *t;
  guint n;

  p->dataset.generator = NN_GENERATOR_GAUSS;
  p->dataset.noise = 0.8;
  s = nn_surface_new_for_project (NN_SURFACE_LOGISTIC, p, &error);
  g_assert_no_error (error);
  race = nn_race_new (s, p->seed);
  for (NnOptimizerKind k = 0; k < NN_N_OPTIMIZERS; k++)
    {
      nn_runner_config_init (&cfg, k, s);
      g_assert_cmpint (nn_race_add_runner (race, &cfg, NULL, NULL), ==, (gint) k);
    }
  nn_race_run (race, 200);
  for (guint r = 0; r < nn_race_get_n_runners (race); r++)
    {
      NnRunnerResult res;
      t = nn_race_get_trajectory (race, r, &n);
      nn_race_get_result (race, r, &res);
      g_assert_cmpint (res.state, ==, NN_RUNNER_RUNNING);
      g_assert_cmpfloat (t[n - 1].loss, <, 0.5 * t[0].loss);
      g_assert_cmpfloat (t[n - 1].loss, ==, nn_surface_value (s, t[n - 1].x, t[n - 1].y));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/race/gd-bowl-by-hand", test_gd_bowl_by_hand);
  g_test_add_func ("/race/adam-bowl-by-hand", test_adam_bowl_by_hand);
  g_test_add_func ("/race/gd-rosenbrock-by-hand", test_gd_rosenbrock_by_hand);
  g_test_add_func ("/race/adam-rosenbrock-by-hand", test_adam_rosenbrock_by_hand);
  g_test_add_func ("/race/sgd-noise", test_sgd_noise);
  g_test_add_func ("/race/data-minibatches", test_data_minibatches);
  g_test_add_func ("/race/divergence", test_divergence);
  g_test_add_func ("/race/results-and-reset", test_results_and_reset);
  g_test_add_func ("/race/csv", test_csv);
  g_test_add_func ("/race/sweep", test_sweep);
  g_test_add_func ("/race/preset-names", test_preset_names);
  g_test_add_func ("/race/preset-local-minimum", test_preset_local_minimum);
  g_test_add_func ("/race/preset-ravine", test_preset_ravine);
  g_test_add_func ("/race/preset-divergence", test_preset_divergence);
  g_test_add_func ("/race/logistic-race", test_logistic_race);
  return g_test_run ();
}
