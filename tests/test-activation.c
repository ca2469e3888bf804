/* test-activation.c: the engine's own exp/tanh/sigmoid against libm, and the activations'
 * values and derivatives at points worked out by hand. */
#include "nn-activation.h"

#include <math.h>

/* Distance in units in the last place. */
static double
ulps (double a, double b)
{
  if (a == b)
    return 0.0;
  return fabs (a - b) / (nextafter (fabs (b), INFINITY) - fabs (b));
}

static void
test_exp_accuracy (void)
{
  double worst = 0.0;
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < 200000; i++)
    {
      double x = g_rand_double_range (rand, -700.0, 700.0);
      if (i % 2)
        x /= 100.0; /* plenty of small arguments too */
      worst = MAX (worst, ulps (nn_exp (x), exp (x)));
    }
  g_test_message ("exp: worst error %.2f ulp", worst);
  g_assert_cmpfloat (worst, <=, 2.0);
  g_assert_cmpfloat (nn_exp (0.0), ==, 1.0);
  g_assert_cmpfloat (nn_exp (800.0), ==, INFINITY);
  g_assert_cmpfloat (nn_exp (-800.0), ==, 0.0);
  g_assert_true (isnan (nn_exp (NAN)));
}

static void
test_tanh_sigmoid_accuracy (void)
{
  double worst_tanh = 0.0, worst_sigmoid = 0.0;
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);

  for (guint i = 0; i < 200000; i++)
    {
      double x = g_rand_double_range (rand, -20.0, 20.0);
      if (i % 3 == 0)
        x *= 1e-6; /* near zero tanh must keep its relative accuracy */
      worst_tanh = MAX (worst_tanh, ulps (nn_tanh (x), tanh (x)));
      worst_sigmoid = MAX (worst_sigmoid, ulps (nn_sigmoid (x), 1.0 / (1.0 + exp (-x))));
    }
  g_test_message ("tanh: worst %.2f ulp, sigmoid: worst %.2f ulp", worst_tanh, worst_sigmoid);
  g_assert_cmpfloat (worst_tanh, <=, 4.0);
  g_assert_cmpfloat (worst_sigmoid, <=, 4.0);
  g_assert_cmpfloat (nn_tanh (1000.0), ==, 1.0);
  g_assert_cmpfloat (nn_tanh (-1000.0), ==, -1.0);
  g_assert_cmpfloat (nn_sigmoid (-1000.0), >=, 0.0);
  g_assert_cmpfloat (nn_sigmoid (1000.0), ==, 1.0);
  g_assert_true (isnan (nn_tanh (NAN)));
  g_assert_true (isnan (nn_sigmoid (NAN)));
}

static void
test_values_and_derivatives (void)
{
  /* ReLU: 0 below, identity above, derivative 0 at exactly 0 (PyTorch's choice). */
  g_assert_cmpfloat (nn_activation_value (NN_ACTIVATION_RELU, 0, -2.0), ==, 0.0);
  g_assert_cmpfloat (nn_activation_value (NN_ACTIVATION_RELU, 0, 3.0), ==, 3.0);
  g_assert_cmpfloat (nn_activation_derivative (NN_ACTIVATION_RELU, 0, 0.0), ==, 0.0);
  g_assert_cmpfloat (nn_activation_derivative (NN_ACTIVATION_RELU, 0, 0.5), ==, 1.0);
  g_assert_cmpfloat (nn_activation_value (NN_ACTIVATION_LEAKY_RELU, 0.01, -2.0), ==, -0.02);
  g_assert_cmpfloat (nn_activation_derivative (NN_ACTIVATION_LEAKY_RELU, 0.2, -2.0), ==, 0.2);
  g_assert_cmpfloat_with_epsilon (nn_activation_value (NN_ACTIVATION_SIGMOID, 0, 0.0), 0.5, 1e-16);
  g_assert_cmpfloat_with_epsilon (nn_activation_derivative (NN_ACTIVATION_SIGMOID, 0, 0.0), 0.25,
                                  1e-16);
  g_assert_cmpfloat_with_epsilon (nn_activation_derivative (NN_ACTIVATION_TANH, 0, 0.0), 1.0,
                                  1e-16);
  g_assert_cmpfloat_with_epsilon (nn_activation_derivative (NN_ACTIVATION_TANH, 0, 1.0),
                                  1.0 - tanh (1.0) * tanh (1.0), 1e-15);
  g_assert_cmpfloat (nn_activation_value (NN_ACTIVATION_IDENTITY, 0, -7.5), ==, -7.5);
}

static void
test_softmax (void)
{
  /* Two samples of three classes, feature-major; the second has huge logits that would
   * overflow a naive exp. */
  const double u[] = { 1.0, 1000.0, 2.0, 1001.0, 3.0, 1002.0 };
  double z[6], dz[6] = { 0.3, -0.1, 0.2, 0.5, -0.4, 0.0 }, du[6];

  nn_softmax_apply (u, z, 3, 2);
  for (guint b = 0; b < 2; b++)
    {
      double sum = z[b] + z[2 + b] + z[4 + b];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-15);
    }
  double e = exp (1.0) + exp (2.0) + exp (3.0);
  g_assert_cmpfloat_with_epsilon (z[0], exp (1.0) / e, 1e-15);
  g_assert_cmpfloat_with_epsilon (z[1], exp (1.0) / e, 1e-15); /* shift-invariant */

  /* The Jacobian-vector product against the explicit Jacobian diag(z) − zzᵀ. */
  nn_softmax_derive (z, dz, du, 3, 2);
  for (guint b = 0; b < 2; b++)
    for (guint i = 0; i < 3; i++)
      {
        double expected = 0.0;
        for (guint j = 0; j < 3; j++)
          expected += ((i == j ? z[i * 2 + b] : 0.0) - z[i * 2 + b] * z[j * 2 + b]) * dz[j * 2 + b];
        g_assert_cmpfloat_with_epsilon (du[i * 2 + b], expected, 1e-15);
      }
}

static void
test_arrays_match_scalars (void)
{
  double u[37], z[37], dz[37], du[37];
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);

  for (NnActivation a = 0; a < NN_ACTIVATION_SOFTMAX; a++)
    {
      for (guint i = 0; i < 37; i++)
        {
          u[i] = g_rand_double_range (rand, -5, 5);
          dz[i] = 1.0;
        }
      nn_activation_apply (a, 0.1, u, z, 37);
      nn_activation_derive (a, 0.1, u, z, dz, du, 37);
      for (guint i = 0; i < 37; i++)
        {
          g_assert_cmpfloat (z[i], ==, nn_activation_value (a, 0.1, u[i]));
          g_assert_cmpfloat (du[i], ==, nn_activation_derivative (a, 0.1, u[i]));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/activation/exp", test_exp_accuracy);
  g_test_add_func ("/activation/tanh-sigmoid", test_tanh_sigmoid_accuracy);
  g_test_add_func ("/activation/values", test_values_and_derivatives);
  g_test_add_func ("/activation/softmax", test_softmax);
  g_test_add_func ("/activation/arrays", test_arrays_match_scalars);
  return g_test_run ();
}
