/* test-optimizer.c: every optimizer against steps computed by hand here. */
#include "nn-error.h"
#include "nn-optimizer.h"

#include <math.h>

/* Gradients of f(w) = ½·Σ c_i w_i² at w: c_i·w_i. */
static void
gradient (const double *w, double *g)
{
  static const double c[] = { 1.0, 10.0 };
  for (guint i = 0; i < 2; i++)
    g[i] = c[i] * w[i];
}

static void
run (NnOptimizerKind kind, guint steps, double *w)
{
  NnOptimizerConfig cfg;
  double g[2];

  nn_optimizer_config_init_defaults (&cfg, kind);
  cfg.learning_rate = 0.1;
  cfg.momentum = 0.5;
  cfg.alpha = 0.9;
  g_autoptr (NnOptimizer) opt = nn_optimizer_new (&cfg, 2);
  for (guint s = 0; s < steps; s++)
    {
      gradient (w, g);
      nn_optimizer_step (opt, w, g);
    }
}

static void
test_sgd (void)
{
  double w[] = { 1.0, 1.0 };
  run (NN_OPTIMIZER_SGD, 2, w);
  /* w ← w − 0.1·c·w twice: (0.9², 0²) */
  g_assert_cmpfloat_with_epsilon (w[0], 0.81, 1e-15);
  g_assert_cmpfloat_with_epsilon (w[1], 0.0, 1e-15);
}

static void
test_momentum (void)
{
  double w[] = { 1.0, -2.0 };
  run (NN_OPTIMIZER_MOMENTUM, 2, w);
  /* step 1: v = g = (1, −20); w = (0.9, 0)
   * step 2: g = (0.9, 0); v = 0.5·(1, −20) + (0.9, 0) = (1.4, −10); w = (0.76, 1) */
  g_assert_cmpfloat_with_epsilon (w[0], 0.76, 1e-15);
  g_assert_cmpfloat_with_epsilon (w[1], 1.0, 1e-15);
}

static void
test_rmsprop (void)
{
  double w[] = { 1.0, 1.0 };
  run (NN_OPTIMIZER_RMSPROP, 2, w);
  /* step 1: h = 0.1·g² → w −= 0.1·g/(√(0.1)|g| + ε) = 0.1/√0.1 for both coordinates */
  double w1 = 1.0 - 0.1 / (sqrt (0.1) + 1e-8);
  double w1b = 1.0 - 0.1 * 10.0 / (sqrt (0.1 * 100.0) + 1e-8);
  /* step 2 */
  double h0 = 0.9 * 0.1 + 0.1 * w1 * w1;
  double e0 = w1 - 0.1 * w1 / (sqrt (h0) + 1e-8);
  double g1 = 10.0 * w1b;
  double h1 = 0.9 * 0.1 * 100.0 + 0.1 * g1 * g1;
  double e1 = w1b - 0.1 * g1 / (sqrt (h1) + 1e-8);
  g_assert_cmpfloat_with_epsilon (w[0], e0, 1e-14);
  g_assert_cmpfloat_with_epsilon (w[1], e1, 1e-14);
}

static void
test_adam (void)
{
  double w[] = { 1.0, 1.0 };
  double e[] = { 1.0, 1.0 }, m[2] = { 0 }, v[2] = { 0 };
  const double c[] = { 1.0, 10.0 };

  run (NN_OPTIMIZER_ADAM, 3, w);
  /* Kingma & Ba with bias correction, written out. */
  for (guint t = 1; t <= 3; t++)
    for (guint i = 0; i < 2; i++)
      {
        double g = c[i] * e[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mh = m[i] / (1.0 - pow (0.9, t));
        double vh = v[i] / (1.0 - pow (0.999, t));
        e[i] -= 0.1 * mh / (sqrt (vh) + 1e-8);
      }
  /* Adam's first step moves every coordinate by the learning rate, whatever its scale. */
  g_assert_cmpfloat_with_epsilon (w[0], e[0], 1e-14);
  g_assert_cmpfloat_with_epsilon (w[1], e[1], 1e-14);
}

static void
test_gd_same_rule_as_sgd (void)
{
  double a[] = { 1.0, 0.5 }, b[] = { 1.0, 0.5 };
  run (NN_OPTIMIZER_GD, 3, a);
  run (NN_OPTIMIZER_SGD, 3, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
}

static void
test_configure_and_validate (void)
{
  NnOptimizerConfig cfg;
  g_autoptr (GError) error = NULL;
  double w[] = { 1.0, 1.0 }, g[] = { 1.0, 1.0 };

  nn_optimizer_config_init_defaults (&cfg, NN_OPTIMIZER_ADAM);
  g_autoptr (NnOptimizer) opt = nn_optimizer_new (&cfg, 2);
  nn_optimizer_step (opt, w, g);
  g_assert_cmpuint (opt->t, ==, 1);

  /* A new learning rate keeps the moments; a new kind starts afresh. */
  cfg.learning_rate = 0.5;
  nn_optimizer_configure (opt, &cfg);
  g_assert_cmpuint (opt->t, ==, 1);
  g_assert_cmpfloat (opt->m[0], !=, 0.0);
  nn_optimizer_config_init_defaults (&cfg, NN_OPTIMIZER_MOMENTUM);
  nn_optimizer_configure (opt, &cfg);
  g_assert_cmpuint (opt->t, ==, 0);
  g_assert_cmpfloat (opt->m[0], ==, 0.0);

  cfg.learning_rate = -1.0;
  g_assert_false (nn_optimizer_config_validate (&cfg, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "optimizer.learning_rate"));
  g_clear_error (&error);
  cfg.learning_rate = NAN;
  g_assert_false (nn_optimizer_config_validate (&cfg, &error));
  g_clear_error (&error);
  nn_optimizer_config_init_defaults (&cfg, NN_OPTIMIZER_ADAM);
  cfg.beta2 = 1.0;
  g_assert_false (nn_optimizer_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "optimizer.beta2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/optimizer/sgd", test_sgd);
  g_test_add_func ("/optimizer/momentum", test_momentum);
  g_test_add_func ("/optimizer/rmsprop", test_rmsprop);
  g_test_add_func ("/optimizer/adam", test_adam);
  g_test_add_func ("/optimizer/gd", test_gd_same_rule_as_sgd);
  g_test_add_func ("/optimizer/configure", test_configure_and_validate);
  return g_test_run ();
}
