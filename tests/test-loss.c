/* test-loss.c: loss values worked out by hand, and the fused forms' stability. */
#include "nn-activation.h"
#include "nn-error.h"
#include "nn-loss.h"

#include <math.h>

static void
test_mse_by_hand (void)
{
  /* Two outputs, two samples (feature-major): mean over all four squared errors. */
  const double z[] = { 1.0, 0.0, 2.0, -1.0 };
  const double t[] = { 0.0, 0.0, 1.0, 1.0 };
  double du[4];
  double loss = nn_loss_evaluate (NN_LOSS_MSE, NN_ACTIVATION_IDENTITY, 0, z, z, t, 2, 2, 2, du);

  g_assert_cmpfloat_with_epsilon (loss, (1.0 + 0.0 + 1.0 + 4.0) / 4.0, 1e-15);
  /* dL/dz = 2(z − t)/4 */
  g_assert_cmpfloat_with_epsilon (du[0], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (du[3], -1.0, 1e-15);
}

static void
test_cross_entropy_softmax (void)
{
  /* Three classes, one sample, true class 2. */
  const double u[] = { 1.0, 2.0, 3.0 };
  const double t[] = { 0.0, 0.0, 1.0 };
  double z[3], du[3];

  nn_softmax_apply (u, z, 3, 1);
  double loss = nn_loss_evaluate (NN_LOSS_CROSS_ENTROPY, NN_ACTIVATION_SOFTMAX, 0, u, z, t, 3, 1,
                                  1, du);
  g_assert_cmpfloat_with_epsilon (loss, -log (z[2]), 1e-14);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (du[k], z[k] - t[k], 1e-15);

  /* Logits so far apart that the true class's probability underflows: a naive −log z
   * would be infinite; the fused form gives the exact margin. */
  const double far[] = { 2000.0, 0.0, 0.0 };
  nn_softmax_apply (far, z, 3, 1);
  loss = nn_loss_evaluate (NN_LOSS_CROSS_ENTROPY, NN_ACTIVATION_SOFTMAX, 0, far, z, t, 3, 1, 1,
                           NULL);
  g_assert_cmpfloat_with_epsilon (loss, 2000.0, 1e-9);
}

static void
test_cross_entropy_sigmoid (void)
{
  const double u[] = { 0.5, -40.0, 800.0 };
  const double t[] = { 1.0, 1.0, 0.0 };
  double z[3], du[3];

  nn_activation_apply (NN_ACTIVATION_SIGMOID, 0, u, z, 3);
  double loss = nn_loss_evaluate (NN_LOSS_CROSS_ENTROPY, NN_ACTIVATION_SIGMOID, 0, u, z, t, 1, 3,
                                  3, du);
  double expected = (log1p (exp (-0.5)) + (40.0 + log1p (exp (-40.0))) + 800.0) / 3.0;
  g_assert_true (isfinite (loss));
  g_assert_cmpfloat_with_epsilon (loss, expected, 1e-12);
  g_assert_cmpfloat_with_epsilon (du[0], (z[0] - 1.0) / 3.0, 1e-15);
}

static void
test_supported_outputs (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (nn_loss_supports_output (NN_LOSS_MSE, NN_ACTIVATION_TANH, NULL));
  g_assert_true (nn_loss_supports_output (NN_LOSS_CROSS_ENTROPY, NN_ACTIVATION_SIGMOID, NULL));
  g_assert_false (nn_loss_supports_output (NN_LOSS_CROSS_ENTROPY, NN_ACTIVATION_TANH, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "softmax or sigmoid"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/loss/mse", test_mse_by_hand);
  g_test_add_func ("/loss/cross-entropy-softmax", test_cross_entropy_softmax);
  g_test_add_func ("/loss/cross-entropy-sigmoid", test_cross_entropy_sigmoid);
  g_test_add_func ("/loss/supported", test_supported_outputs);
  return g_test_run ();
}
