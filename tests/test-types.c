/* test-types.c: every name round-trips, unknown names are refused. */
#include "nn-types.h"

#define CHECK_ROUND_TRIP(prefix, Type, count)                                  \
  for (guint i = 0; i < (count); i++)                                          \
    {                                                                          \
      Type value;                                                              \
      const char *name = prefix##_to_string ((Type) i);                        \
      g_assert_nonnull (name);                                                 \
      g_assert_true (prefix##_from_string (name, &value));                     \
      g_assert_cmpint (value, ==, i);                                          \
    }                                                                          \
  g_assert_null (prefix##_to_string ((Type) (count)));

static void
test_round_trips (void)
{
  NnActivation a;

  CHECK_ROUND_TRIP (nn_activation, NnActivation, NN_N_ACTIVATIONS);
  CHECK_ROUND_TRIP (nn_loss, NnLoss, NN_N_LOSSES);
  CHECK_ROUND_TRIP (nn_optimizer_kind, NnOptimizerKind, NN_N_OPTIMIZERS);
  CHECK_ROUND_TRIP (nn_init, NnInit, NN_N_INITS);
  CHECK_ROUND_TRIP (nn_regularization, NnRegularization, NN_N_REGULARIZATIONS);
  CHECK_ROUND_TRIP (nn_problem, NnProblem, NN_N_PROBLEMS);
  CHECK_ROUND_TRIP (nn_generator, NnGenerator, NN_N_GENERATORS);
  g_assert_false (nn_activation_from_string ("ReLU", &a));
  g_assert_false (nn_activation_from_string ("", &a));
  g_assert_false (nn_activation_from_string (NULL, &a));
}

static void
test_features (void)
{
  NnFeature f;

  for (guint i = 0; i < NN_N_FEATURES; i++)
    {
      const char *name = nn_feature_to_string (nn_feature_nth (i));
      g_assert_true (nn_feature_from_string (name, &f));
      g_assert_cmpuint (f, ==, 1u << i);
    }
  g_assert_cmpstr (nn_feature_to_string (NN_FEATURE_X1_X2), ==, "x1*x2");
  g_assert_cmpstr (nn_feature_to_string (NN_FEATURE_SIN_X2), ==, "sin(x2)");
  g_assert_null (nn_feature_to_string (NN_FEATURE_X1 | NN_FEATURE_X2));
  g_assert_false (nn_feature_from_string ("x3", &f));
  g_assert_true (nn_generator_is_regression (NN_GENERATOR_SINE_RIDGE));
  g_assert_cmpint (nn_generator_problem (NN_GENERATOR_SPIRAL), ==, NN_PROBLEM_CLASSIFICATION);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/types/round-trips", test_round_trips);
  g_test_add_func ("/types/features", test_features);
  return g_test_run ();
}
