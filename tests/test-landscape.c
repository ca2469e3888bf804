/* test-landscape.c: recorded runs, the three planes, projection and lifting, loss grids. */
#include "nn-error.h"
#include "nn-landscape.h"

#include <math.h>
#include <string.h>

static NnProject *
small_project (void)
{
  NnProject *p = nn_project_new_default ();
  p->seed = 42;
  p->batch_size = 10;
  return p;
}

/* The W2 workload of bench/nl-bench.c: spiral, 500 points, half for training, six tanh
 * layers of 8, tanh output, MSE. */
static NnProject *
w2_project (void)
{
  NnProject *p = nn_project_new_default ();

  p->seed = 1;
  p->dataset.generator = NN_GENERATOR_SPIRAL;
  p->dataset.classes = 2;
  p->dataset.count = 500;
  p->dataset.noise = 0.0;
  p->dataset.train_ratio = 0.5;
  p->arch.n_hidden = 6;
  for (guint l = 0; l < 6; l++)
    {
      p->arch.units[l] = 8;
      p->arch.activation[l] = NN_ACTIVATION_TANH;
    }
  p->arch.output_activation = NN_ACTIVATION_TANH;
  p->loss = NN_LOSS_MSE;
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_SGD);
  p->optimizer.learning_rate = 0.03;
  p->batch_size = 10;
  nn_project_sync_shape (p);
  return p;
}

/* No hidden layer and one feature: one weight and one bias, a network whose whole
 * parameter space is a plane. */
static NnProject *
two_parameter_project (void)
{
  NnProject *p = small_project ();
  p->features = NN_FEATURE_X1;
  p->arch.n_hidden = 0;
  p->dataset.generator = NN_GENERATOR_GAUSS;
  nn_project_sync_shape (p);
  return p;
}

static void
configs (NnOptimizerConfig *cfg, const NnOptimizerKind *kinds, guint n)
{
  for (guint i = 0; i < n; i++)
    nn_optimizer_config_init_defaults (&cfg[i], kinds[i]);
}

static NnLandscape *
landscape_for (const NnProject *p, const NnOptimizerKind *kinds, guint n, guint steps)
{
  NnOptimizerConfig cfg[NN_LANDSCAPE_MAX_RUNS];
  g_autoptr (GError) error = NULL;
  NnLandscape *ls;

  configs (cfg, kinds, n);
  ls = nn_landscape_new (p, cfg, n, steps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ls);
  return ls;
}

static void
test_same_start_same_batches (void)
{
  g_autoptr (NnProject) p = small_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_SGD, NN_OPTIMIZER_ADAM,
                                    NN_OPTIMIZER_GD };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 4, 30);
  gsize n = nn_landscape_get_n_params (ls);
  NnTrainer *t;

  g_assert_cmpstr (nn_landscape_get_label (ls, 0), ==, "sgd");
  g_assert_cmpstr (nn_landscape_get_label (ls, 1), ==, "sgd-2");
  g_assert_cmpuint (nn_landscape_get_n_points (ls, 0), ==, 1);
  /* Stepping: one step at a time, every run recorded. */
  g_assert_cmpuint (nn_landscape_step (ls), ==, 4);
  g_assert_cmpuint (nn_landscape_get_n_points (ls, 2), ==, 2);
  g_assert_cmpuint (nn_landscape_run (ls, 100), ==, 0); /* stops at max_steps */
  for (guint r = 0; r < 4; r++)
    {
      g_assert_cmpuint (nn_landscape_get_n_points (ls, r), ==, 31);
      g_assert_false (nn_landscape_run_diverged (ls, r));
      /* The same initial weights for everyone. */
      g_assert_cmpmem (nn_landscape_get_point (ls, r, 0), n * sizeof (double),
                       nn_landscape_get_point (ls, 0, 0), n * sizeof (double));
    }
  /* The same mini-batch order: two identical optimizers make identical runs… */
  for (guint s = 0; s <= 30; s++)
    g_assert_cmpmem (nn_landscape_get_point (ls, 0, s), n * sizeof (double),
                     nn_landscape_get_point (ls, 1, s), n * sizeof (double));
  g_assert_true (memcmp (nn_landscape_get_point (ls, 0, 30), nn_landscape_get_point (ls, 2, 30),
                         n * sizeof (double)) != 0);
  /* …identical to a trainer of the project on its own. */
  p->optimizer = *nn_landscape_get_optimizer (ls, 0);
  t = nn_trainer_new (p, NULL);
  for (guint s = 0; s < 30; s++)
    nn_trainer_step (t);
  g_assert_cmpmem (nn_trainer_get_network (t)->params, n * sizeof (double),
                   nn_landscape_get_point (ls, 0, 30), n * sizeof (double));
  nn_trainer_free (t);
  g_assert_true (nn_landscape_get_final (ls) == nn_landscape_get_point (ls, 0, 30));
}

static void
test_record_cap (void)
{
  g_autoptr (NnProject) p = w2_project ();
  NnOptimizerConfig cfg[2];
  g_autoptr (GError) error = NULL;
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_ADAM };

  configs (cfg, kinds, 2);
  g_assert_null (nn_landscape_new (p, cfg, 2, 1000000, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "MiB"));
  g_clear_error (&error);
  g_assert_null (nn_landscape_new (p, cfg, 0, 10, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_clear_error (&error);
  cfg[1].learning_rate = -1.0;
  g_assert_null (nn_landscape_new (p, cfg, 2, 10, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

static void
test_evaluator (void)
{
  g_autoptr (NnProject) p = small_project ();
  g_autoptr (GError) error = NULL;
  NnTrainer *t;
  NnEpochStats stats;
  NnNetwork *net;
  double l2 = 0.0;

  t = nn_trainer_new (p, &error);
  g_assert_no_error (error);
  nn_trainer_step_epoch (t);
  nn_trainer_evaluate (t, &stats);
  net = nn_trainer_get_network (t);

  g_autoptr (NnLossEvaluator) ev = nn_loss_evaluator_new_for_trainer (t);
  g_autoptr (NnLossEvaluator) copy = nn_loss_evaluator_copy (ev);
  g_assert_cmpuint (nn_loss_evaluator_get_n_params (ev), ==, net->n_params);
  g_assert_cmpfloat_with_epsilon (nn_loss_evaluator_eval (ev, net->params), stats.train_loss,
                                  1e-13);
  g_assert_cmpfloat_with_epsilon (nn_loss_evaluator_eval (copy, net->params), stats.train_loss,
                                  1e-13);

  /* With L2 the landscape is the objective: the loss plus rate/2·Σw² (weights only). */
  p->regularization = NN_REGULARIZATION_L2;
  p->regularization_rate = 0.01;
  nn_project_set_weights (p, net->params, net->n_params);
  g_autoptr (NnLossEvaluator) reg = nn_loss_evaluator_new (p, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < net->n_layers; l++)
    for (guint o = 0; o < net->layers[l].n_out; o++)
      for (guint i = 0; i < net->layers[l].n_in; i++)
        l2 += pow (*nn_network_weight_ptr (net, l, o, i), 2);
  g_assert_cmpfloat_with_epsilon (nn_loss_evaluator_eval (reg, net->params),
                                  stats.train_loss + 0.005 * l2, 1e-13);
  nn_trainer_free (t);
}

/* Points θ_i = c + a_i·u + b_i·v with u, v random and not orthogonal. */
static double *
planar_points (gsize n, guint count, double *c, double *u, double *v)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  double *pts = g_new (double, n * count);

  for (gsize i = 0; i < n; i++)
    {
      c[i] = g_rand_double_range (rand, -1, 1);
      u[i] = g_rand_double_range (rand, -1, 1);
      v[i] = g_rand_double_range (rand, -1, 1) + 0.5 * u[i];
    }
  for (guint k = 0; k < count; k++)
    {
      double a = 3.0 * cos (0.05 * k) * exp (-0.01 * k), b = sin (0.11 * k);
      for (gsize i = 0; i < n; i++)
        pts[k * n + i] = c[i] + a * u[i] + b * v[i];
    }
  return pts;
}

static void
assert_lift_back (const NnPlane *plane, const NnPointSet *sets, guint n_sets, double tol)
{
  gsize n = plane->n_params;
  g_autofree double *theta = g_new (double, n);

  for (guint s = 0; s < n_sets; s++)
    for (gsize k = 0; k < sets[s].n_points; k++)
      {
        const double *point = sets[s].points + k * n;
        double alpha, beta, residual;
        nn_plane_project (plane, point, &alpha, &beta, &residual);
        nn_plane_lift (plane, alpha, beta, theta);
        g_assert_cmpfloat (residual, <, tol);
        for (gsize i = 0; i < n; i++)
          g_assert_cmpfloat_with_epsilon (theta[i], point[i], tol);
      }
}

static void
test_pca_planar (void)
{
  const gsize n = 500;
  const guint count = 300;
  g_autofree double *c = g_new (double, n), *u = g_new (double, n), *v = g_new (double, n);
  g_autofree double *pts = planar_points (n, count, c, u, v);
  /* Two runs: the points split in two sets, as two recorded trajectories. */
  NnPointSet sets[2] = { { pts, 120 }, { pts + 120 * n, count - 120 } };
  const double *final = pts + (count - 1) * n;

  for (guint centre = 0; centre < 2; centre++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NnPlane) plane = nn_plane_new_pca (sets, 2, n, centre ? NULL : final, &error);
      g_assert_no_error (error);
      g_assert_cmpint (plane->kind, ==, NN_PLANE_PCA);
      /* Orthonormal directions that explain all of it. */
      double n1 = 0, n2 = 0, d12 = 0;
      for (gsize i = 0; i < n; i++)
        {
          n1 += plane->d1[i] * plane->d1[i];
          n2 += plane->d2[i] * plane->d2[i];
          d12 += plane->d1[i] * plane->d2[i];
        }
      g_assert_cmpfloat_with_epsilon (n1, 1.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (n2, 1.0, 1e-12);
      g_assert_cmpfloat (fabs (d12), <, 1e-12);
      g_assert_cmpfloat (plane->variance[0], >=, plane->variance[1]);
      g_assert_cmpfloat (plane->variance[1], >, 0.0);
      g_assert_cmpfloat (plane->variance[0] + plane->variance[1], <=, 1.0);
      g_assert_cmpfloat_with_epsilon (plane->variance[0] + plane->variance[1], 1.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (nn_plane_explained (plane, sets, 2), 1.0, 1e-9);
      assert_lift_back (plane, sets, 2, 1e-9);
      if (!centre)
        {
          /* Centred on the final point, which projects to the origin of the plane. */
          double alpha, beta;
          nn_plane_project (plane, final, &alpha, &beta, NULL);
          g_assert_cmpfloat (fabs (alpha) + fabs (beta), <, 1e-12);
        }
    }
}

/* A plane from any two independent directions, not orthogonal ones: projection solves the
 * normal equations, so the plane's own (a, b) coordinates come back. */
static void
test_custom_plane (void)
{
  const gsize n = 50;
  const guint count = 30;
  g_autofree double *c = g_new (double, n), *u = g_new (double, n), *v = g_new (double, n);
  g_autofree double *pts = planar_points (n, count, c, u, v);
  NnPointSet set = { pts, count };
  g_autoptr (GError) error = NULL;
  g_autoptr (NnPlane) plane = nn_plane_new (c, u, v, n, &error);
  double alpha, beta;

  g_assert_no_error (error);
  g_assert_cmpint (plane->kind, ==, NN_PLANE_CUSTOM);
  assert_lift_back (plane, &set, 1, 1e-12);
  nn_plane_project (plane, pts + 7 * n, &alpha, &beta, NULL);
  g_assert_cmpfloat_with_epsilon (alpha, 3.0 * cos (0.35) * exp (-0.07), 1e-12);
  g_assert_cmpfloat_with_epsilon (beta, sin (0.77), 1e-12);

  g_assert_null (nn_plane_new (c, u, u, n, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

static void
test_pca_known_variances (void)
{
  /* Coordinates ±3, ±2, ±1 along three orthonormal axes, symmetric so the mean is the
   * centre: the variances are 9 : 4 : 1, so the plane explains 9/14 and 4/14. */
  const gsize n = 40;
  double pts[6 * 40] = { 0 }, line[3 * 40] = { 0 };
  const double scale[] = { 3.0, 2.0, 1.0 };
  const gsize axis[] = { 7, 19, 33 };
  NnPointSet set = { pts, 6 };
  g_autoptr (GError) error = NULL;

  for (guint k = 0; k < 6; k++)
    {
      for (gsize i = 0; i < n; i++)
        pts[k * n + i] = 0.25 * i;
      pts[k * n + axis[k / 2]] += (k % 2 ? -1.0 : 1.0) * scale[k / 2];
    }
  g_autoptr (NnPlane) plane = nn_plane_new_pca (&set, 1, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (plane->variance[0], 9.0 / 14.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (plane->variance[1], 4.0 / 14.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (fabs (plane->d1[axis[0]]), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (fabs (plane->d2[axis[1]]), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (nn_plane_explained (plane, &set, 1), 13.0 / 14.0, 1e-12);

  /* Points on a line span no plane. */
  for (guint k = 0; k < 3; k++)
    for (gsize i = 0; i < n; i++)
      line[k * n + i] = k * (i + 1.0);
  set = (NnPointSet) { line, 3 };
  g_assert_null (nn_plane_new_pca (&set, 1, n, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

static void
test_pca_of_training (void)
{
  g_autoptr (NnProject) p = small_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_MOMENTUM, NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 3, 60);
  g_autoptr (GError) error = NULL;
  NnPointSet sets[3];
  NnProjectedPoint *proj;
  g_autofree double *theta = NULL;
  guint n;

  nn_landscape_run (ls, 60);
  nn_landscape_get_point_sets (ls, sets);
  g_autoptr (NnPlane) plane = nn_landscape_plane_pca (ls, NN_PCA_CENTER_FINAL, &error);
  g_assert_no_error (error);
  /* Honest figures: each fraction in [0, 1], together at most 1, and the same as the share
   * of Σ‖θ − θ_final‖² the projections keep, measured directly. */
  g_assert_cmpfloat (plane->variance[1], >, 0.0);
  g_assert_cmpfloat (plane->variance[0], >=, plane->variance[1]);
  g_assert_cmpfloat (plane->variance[0] + plane->variance[1], <=, 1.0);
  g_assert_cmpfloat_with_epsilon (nn_plane_explained (plane, sets, 3),
                                  plane->variance[0] + plane->variance[1], 1e-9);
  g_test_message ("PCA plane of 3 runs × 60 steps: %.1f %% + %.1f %% of the variance",
                  100 * plane->variance[0], 100 * plane->variance[1]);

  /* A projected point: its residual is its true distance from the lifted point, and its
   * loss is the loss at the real point, not on the plane. */
  proj = nn_landscape_project (ls, plane, 1, &n);
  g_assert_cmpuint (n, ==, 61);
  theta = g_new (double, nn_landscape_get_n_params (ls));
  for (guint s = 0; s < n; s += 10)
    {
      const double *real = nn_landscape_get_point (ls, 1, s);
      double d2 = 0.0;
      nn_plane_lift (plane, proj[s].alpha, proj[s].beta, theta);
      for (gsize i = 0; i < nn_landscape_get_n_params (ls); i++)
        d2 += (theta[i] - real[i]) * (theta[i] - real[i]);
      g_assert_cmpfloat_with_epsilon (proj[s].residual, sqrt (d2), 1e-12);
      g_assert_cmpfloat (proj[s].loss, ==,
                         nn_loss_evaluator_eval (nn_landscape_get_evaluator (ls), real));
    }
  g_free (proj);
  /* Training lowered the loss; the final point of the first run is the plane's origin. */
  g_assert_cmpfloat (nn_landscape_get_loss (ls, 0, 60), <, nn_landscape_get_loss (ls, 0, 0));
  proj = nn_landscape_project (ls, plane, 0, &n);
  g_assert_cmpfloat (fabs (proj[60].alpha) + fabs (proj[60].beta) + proj[60].residual, <, 1e-12);
  g_free (proj);

  /* Mean-centred PCA explains at least as much about the mean as about the final point. */
  g_autoptr (NnPlane) mean = nn_landscape_plane_pca (ls, NN_PCA_CENTER_MEAN, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (mean->variance[0] + mean->variance[1], <=, 1.0);
}

/* A network of one weight and one bias: every trajectory lies in the plane of those two
 * weights, and in its PCA plane; both give the recorded points back exactly. */
static void
test_planes_that_span (void)
{
  g_autoptr (NnProject) p = two_parameter_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 2, 80);
  g_autoptr (GError) error = NULL;
  NnPointSet sets[2];
  const NnWeightRef w = { 0, 0, 0 }, b = { 0, 0, 1 }; /* in == n_in: the bias */
  NnProjectedPoint *proj;
  guint n;

  g_assert_cmpuint (nn_landscape_get_n_params (ls), ==, 2);
  nn_landscape_run (ls, 80);
  nn_landscape_get_point_sets (ls, sets);

  g_autoptr (NnPlane) weights = nn_landscape_plane_weights (ls, &w, &b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (weights->index[0], ==, 0);
  g_assert_cmpuint (weights->index[1], ==, 1);
  assert_lift_back (weights, sets, 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (nn_plane_explained (weights, sets, 2), 1.0, 1e-12);
  /* On the weights plane α and β are the two weights' offsets from the final point. */
  proj = nn_landscape_project (ls, weights, 1, &n);
  g_assert_cmpfloat (proj[0].alpha, ==,
                     nn_landscape_get_point (ls, 1, 0)[0] - nn_landscape_get_final (ls)[0]);
  g_free (proj);

  g_autoptr (NnPlane) pca = nn_landscape_plane_pca (ls, NN_PCA_CENTER_FINAL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (pca->variance[0] + pca->variance[1], 1.0, 1e-9);
  assert_lift_back (pca, sets, 2, 1e-9);

  /* The true loss of a projected point equals the grid's loss at its (α, β) here, since
   * the plane is the whole parameter space. */
  g_autoptr (NnLossEvaluator) ev = nn_loss_evaluator_copy (nn_landscape_get_evaluator (ls));
  proj = nn_landscape_project (ls, pca, 0, &n);
  NnBox box = { proj[5].alpha, proj[5].alpha + 1.0, proj[5].beta - 1.0, proj[5].beta };
  g_autoptr (NnLossGrid) grid = nn_loss_grid_new (&box, 2);
  nn_loss_grid_compute_row (grid, ev, pca, 0);
  g_assert_cmpfloat_with_epsilon (grid->values[0], proj[5].loss, 1e-12);
  g_free (proj);
}

/* The two-weights plane of a real trajectory: α, β read the two weights; the residual
 * is the distance in all the other weights, reported rather than hidden. Synthetic points
 * where only those two weights move come back exactly. */
static void
test_weights_plane (void)
{
  g_autoptr (NnProject) p = small_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 1, 20);
  g_autoptr (GError) error = NULL;
  const NnNetwork *net = nn_loss_evaluator_get_network (nn_landscape_get_evaluator (ls));
  const NnWeightRef a = { 1, 1, 3 }, b = { 2, 0, 2 }; /* layer 1 weight [1][3], output bias */
  gsize n = nn_landscape_get_n_params (ls), ia, ib;
  g_autofree double *pts = g_new (double, 10 * n);
  NnPointSet set = { pts, 10 };
  NnProjectedPoint *proj;
  guint count;

  nn_landscape_run (ls, 20);
  g_assert_true (nn_weight_ref_index (net, &a, &ia, NULL));
  g_assert_true (nn_weight_ref_index (net, &b, &ib, NULL));
  g_assert_cmpuint (ia, ==, net->layers[1].w_offset + 1 * 4 + 3);
  g_assert_cmpuint (ib, ==, net->layers[2].b_offset);

  g_autoptr (NnPlane) plane = nn_landscape_plane_weights (ls, &a, &b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plane->kind, ==, NN_PLANE_WEIGHTS);
  proj = nn_landscape_project (ls, plane, 0, &count);
  for (guint s = 0; s < count; s++)
    {
      const double *real = nn_landscape_get_point (ls, 0, s);
      const double *final = nn_landscape_get_final (ls);
      double other = 0.0;
      for (gsize i = 0; i < n; i++)
        if (i != ia && i != ib)
          other += (real[i] - final[i]) * (real[i] - final[i]);
      g_assert_cmpfloat (proj[s].alpha, ==, real[ia] - final[ia]);
      g_assert_cmpfloat (proj[s].beta, ==, real[ib] - final[ib]);
      g_assert_cmpfloat_with_epsilon (proj[s].residual, sqrt (other), 1e-12);
    }
  g_assert_cmpfloat (proj[0].residual, >, 0.0);
  g_free (proj);

  for (guint k = 0; k < 10; k++)
    {
      memcpy (pts + k * n, nn_landscape_get_final (ls), n * sizeof (double));
      pts[k * n + ia] += 0.3 * k;
      pts[k * n + ib] -= 0.1 * k * k;
    }
  assert_lift_back (plane, &set, 1, 1e-12);

  /* Refused: a weight that does not exist, and the same weight twice. */
  const NnWeightRef bad = { 1, 2, 5 }, no_layer = { 3, 0, 0 };
  g_assert_null (nn_landscape_plane_weights (ls, &a, &bad, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);
  g_assert_null (nn_landscape_plane_weights (ls, &no_layer, &a, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);
  g_assert_null (nn_landscape_plane_weights (ls, &a, &a, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
}

static double
row_norm (const double *v, gsize offset, guint n, const double *bias)
{
  double s = bias ? *bias * *bias : 0.0;
  for (guint i = 0; i < n; i++)
    s += v[offset + i] * v[offset + i];
  return sqrt (s);
}

static void
test_filter_normalisation (void)
{
  g_autoptr (NnProject) p = w2_project ();
  g_autoptr (NnLossEvaluator) ev = nn_loss_evaluator_new (p, NULL);
  const NnNetwork *net = nn_loss_evaluator_get_network (ev);
  const double *theta = net->params;
  guint rows = 0;

  for (guint with_biases = 0; with_biases < 2; with_biases++)
    {
      g_autoptr (NnPlane) plane = nn_plane_new_random (net, theta, 11, with_biases);
      g_assert_cmpint (plane->kind, ==, NN_PLANE_RANDOM);
      g_assert_cmpmem (plane->origin, net->n_params * sizeof (double), theta,
                       net->n_params * sizeof (double));
      for (guint d = 0; d < 2; d++)
        {
          const double *dir = d ? plane->d2 : plane->d1;
          for (guint l = 0; l < net->n_layers; l++)
            for (guint o = 0; o < net->layers[l].n_out; o++)
              {
                const NnLayer *layer = &net->layers[l];
                gsize off = layer->w_offset + (gsize) o * layer->n_in, b = layer->b_offset + o;
                double want = row_norm (theta, off, layer->n_in, with_biases ? &theta[b] : NULL);
                double got = row_norm (dir, off, layer->n_in, with_biases ? &dir[b] : NULL);
                g_assert_cmpfloat (want, >, 0.0);
                g_assert_cmpfloat_with_epsilon (got, want, 1e-12 * want);
                if (!with_biases)
                  g_assert_cmpfloat (dir[b], ==, 0.0);
                rows++;
              }
        }
    }
  g_assert_cmpuint (rows, ==, 4 * nn_network_total_units (net));

  /* Seeded: the same seed the same directions, another seed others. */
  g_autoptr (NnPlane) a = nn_plane_new_random (net, theta, 11, FALSE);
  g_autoptr (NnPlane) b = nn_plane_new_random (net, theta, 11, FALSE);
  g_autoptr (NnPlane) c = nn_plane_new_random (net, theta, 12, FALSE);
  g_assert_cmpmem (a->d1, net->n_params * sizeof (double), b->d1, net->n_params * sizeof (double));
  g_assert_true (memcmp (a->d1, c->d1, net->n_params * sizeof (double)) != 0);
  g_assert_true (memcmp (a->d1, a->d2, net->n_params * sizeof (double)) != 0);
}

typedef struct
{
  guint calls;
  guint last;
  guint stop_at;
} Progress;

static gboolean
on_progress (guint rows_done, guint rows_total, gpointer user_data)
{
  Progress *pr = user_data;

  g_assert_cmpuint (rows_done, ==, pr->last + 1);
  g_assert_cmpuint (rows_total, ==, 9);
  pr->calls++;
  pr->last = rows_done;
  return rows_done != pr->stop_at;
}

static void
test_grid_progress_and_cancel (void)
{
  g_autoptr (NnProject) p = small_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 2, 25);
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (NnLossEvaluator) ev = NULL;
  g_autofree double *theta = NULL;
  Progress pr = { 0, 0, 4 };
  NnBox box;

  nn_landscape_run (ls, 25);
  g_autoptr (NnPlane) plane = nn_landscape_plane_pca (ls, NN_PCA_CENTER_FINAL, NULL);
  g_autoptr (NnPlane) copy = nn_plane_copy (plane);
  nn_landscape_suggest_box (ls, plane, 0.25, &box);
  /* The box covers every projected point with room to spare. */
  for (guint r = 0; r < 2; r++)
    {
      guint n;
      g_autofree NnProjectedPoint *proj = nn_landscape_project (ls, plane, r, &n);
      for (guint s = 0; s < n; s++)
        {
          g_assert_cmpfloat (proj[s].alpha, >, box.x_min);
          g_assert_cmpfloat (proj[s].alpha, <, box.x_max);
          g_assert_cmpfloat (proj[s].beta, >, box.y_min);
          g_assert_cmpfloat (proj[s].beta, <, box.y_max);
        }
    }

  /* The worker's own copies. */
  ev = nn_loss_evaluator_copy (nn_landscape_get_evaluator (ls));
  g_autoptr (NnLossGrid) grid = nn_loss_grid_new (&box, 9);

  /* Stopped by the callback after 4 rows… */
  g_assert_false (nn_loss_grid_compute (grid, ev, copy, on_progress, &pr, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (grid->rows_done, ==, 4);
  g_assert_cmpuint (pr.calls, ==, 4);
  g_assert_true (isnan (grid->values[4 * 9]));
  /* …by the cancellable before any work… */
  g_cancellable_cancel (cancellable);
  g_assert_false (nn_loss_grid_compute (grid, ev, copy, on_progress, &pr, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (grid->rows_done, ==, 4);
  /* …and resumed to the end. */
  pr.stop_at = 0;
  g_assert_true (nn_loss_grid_compute (grid, ev, copy, on_progress, &pr, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pr.calls, ==, 9);
  g_assert_cmpuint (grid->rows_done, ==, 9);

  /* Each value is the loss at the lifted point of its node. */
  theta = g_new (double, nn_landscape_get_n_params (ls));
  for (guint row = 0; row < 9; row += 4)
    for (guint col = 0; col < 9; col += 4)
      {
        nn_plane_lift (plane, nn_box_node_x (&box, 9, col), nn_box_node_y (&box, 9, row), theta);
        g_assert_cmpfloat (grid->values[row * 9 + col], ==,
                           nn_loss_evaluator_eval (nn_landscape_get_evaluator (ls), theta));
      }
}

static void
test_csv (void)
{
  g_autoptr (NnProject) p = small_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_GD, NN_OPTIMIZER_MOMENTUM, NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 3, 15);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  gsize length;

  nn_landscape_run (ls, 15);
  g_autoptr (NnPlane) plane = nn_landscape_plane_random (ls, 5, FALSE);
  csv = nn_landscape_to_csv (ls, plane, &length);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 16 + 1); /* the last line is empty */
  g_assert_cmpstr (lines[0], ==, "optimizer,step,x,y,loss");
  g_assert_true (g_str_has_prefix (lines[1], "gd,0,"));
  g_assert_true (g_str_has_prefix (lines[17], "momentum,0,"));
  g_assert_true (g_str_has_prefix (lines[48], "adam,15,"));
}

static gboolean
count_rows (guint rows_done, guint rows_total, gpointer user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

/* The figure asked for: a 60 × 60 grid of the full-batch loss of the W2 network. */
static void
test_w2_grid_time (void)
{
  g_autoptr (NnProject) p = w2_project ();
  const NnOptimizerKind kinds[] = { NN_OPTIMIZER_SGD, NN_OPTIMIZER_ADAM };
  g_autoptr (NnLandscape) ls = landscape_for (p, kinds, 2, 250);
  g_autoptr (NnLossGrid) grid = NULL;
  g_autoptr (GError) error = NULL;
  NnBox box;
  guint rows = 0;
  gint64 start;
  double ms;

  nn_landscape_run (ls, 250); /* ten epochs of SGD on 250 points */
  g_autoptr (NnPlane) plane = nn_landscape_plane_pca (ls, NN_PCA_CENTER_FINAL, &error);
  g_assert_no_error (error);
  nn_landscape_suggest_box (ls, plane, 0.25, &box);
  grid = nn_loss_grid_new (&box, 60);
  start = g_get_monotonic_time ();
  g_assert_true (nn_loss_grid_compute (grid, nn_landscape_get_evaluator (ls), plane, count_rows,
                                       &rows, NULL, &error));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (rows, ==, 60);
  for (guint i = 0; i < 60 * 60; i++)
    g_assert_true (isfinite (grid->values[i]));
  g_test_message ("W2 (%" G_GSIZE_FORMAT " parameters, %u training points): 60×60 loss grid "
                  "in %.1f ms (%.1f µs a point); PCA explains %.1f %% + %.1f %%",
                  nn_landscape_get_n_params (ls),
                  nn_trainer_get_dataset (nn_landscape_get_trainer (ls, 0))->n_train, ms,
                  ms * 1000.0 / 3600.0, 100 * plane->variance[0], 100 * plane->variance[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/landscape/same-start-same-batches", test_same_start_same_batches);
  g_test_add_func ("/landscape/record-cap", test_record_cap);
  g_test_add_func ("/landscape/evaluator", test_evaluator);
  g_test_add_func ("/landscape/pca-planar", test_pca_planar);
  g_test_add_func ("/landscape/custom-plane", test_custom_plane);
  g_test_add_func ("/landscape/pca-known-variances", test_pca_known_variances);
  g_test_add_func ("/landscape/pca-of-training", test_pca_of_training);
  g_test_add_func ("/landscape/planes-that-span", test_planes_that_span);
  g_test_add_func ("/landscape/weights-plane", test_weights_plane);
  g_test_add_func ("/landscape/filter-normalisation", test_filter_normalisation);
  g_test_add_func ("/landscape/grid-progress-and-cancel", test_grid_progress_and_cancel);
  g_test_add_func ("/landscape/csv", test_csv);
  g_test_add_func ("/landscape/w2-grid-time", test_w2_grid_time);
  return g_test_run ();
}
