/* nn-types.c: names of the engine's vocabularies, as files and the command line spell them. */
#include "nn-types.h"
#include "nn-error.h"

#include <string.h>

G_DEFINE_QUARK (nn-error-quark, nn_error)

static const char *const activation_names[NN_N_ACTIVATIONS] = {
  "identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax",
};
static const char *const loss_names[NN_N_LOSSES] = { "mse", "cross_entropy" };
static const char *const optimizer_names[NN_N_OPTIMIZERS] = {
  "gd", "sgd", "momentum", "rmsprop", "adam",
};
static const char *const init_names[NN_N_INITS] = { "xavier", "he", "uniform" };
static const char *const regularization_names[NN_N_REGULARIZATIONS] = { "none", "l1", "l2" };
static const char *const problem_names[NN_N_PROBLEMS] = { "classification", "regression" };
static const char *const generator_names[NN_N_GENERATORS] = {
  "circle", "xor", "gauss", "spiral", "moons", "blobs",
  "plane", "multi_gauss", "sine_ridge", "points", "csv",
};
static const char *const feature_names[NN_N_FEATURES] = {
  "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)",
};

/* Looks `s` up in a table of n names; the index is the enum value. */
static gboolean
lookup (const char *const *names, guint n, const char *s, guint *out)
{
  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (strcmp (names[i], s) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

#define NAME_FUNCS(prefix, Type, table, count)                                 \
  const char *prefix##_to_string (Type v)                                      \
  {                                                                            \
    return (guint) v < (count) ? table[v] : NULL;                              \
  }                                                                            \
  gboolean prefix##_from_string (const char *s, Type *out)                     \
  {                                                                            \
    guint i;                                                                   \
    if (!lookup (table, (count), s, &i))                                       \
      return FALSE;                                                            \
    *out = (Type) i;                                                           \
    return TRUE;                                                               \
  }

NAME_FUNCS (nn_activation, NnActivation, activation_names, NN_N_ACTIVATIONS)
NAME_FUNCS (nn_loss, NnLoss, loss_names, NN_N_LOSSES)
NAME_FUNCS (nn_optimizer_kind, NnOptimizerKind, optimizer_names, NN_N_OPTIMIZERS)
NAME_FUNCS (nn_init, NnInit, init_names, NN_N_INITS)
NAME_FUNCS (nn_regularization, NnRegularization, regularization_names, NN_N_REGULARIZATIONS)
NAME_FUNCS (nn_problem, NnProblem, problem_names, NN_N_PROBLEMS)
NAME_FUNCS (nn_generator, NnGenerator, generator_names, NN_N_GENERATORS)

gboolean
nn_generator_is_regression (NnGenerator g)
{
  return g == NN_GENERATOR_PLANE || g == NN_GENERATOR_MULTI_GAUSS
         || g == NN_GENERATOR_SINE_RIDGE;
}

NnProblem
nn_generator_problem (NnGenerator g)
{
  return nn_generator_is_regression (g) ? NN_PROBLEM_REGRESSION : NN_PROBLEM_CLASSIFICATION;
}

NnFeature
nn_feature_nth (guint index)
{
  g_return_val_if_fail (index < NN_N_FEATURES, NN_FEATURE_X1);
  return (NnFeature) (1u << index);
}

const char *
nn_feature_to_string (NnFeature f)
{
  for (guint i = 0; i < NN_N_FEATURES; i++)
    if ((guint) f == (1u << i))
      return feature_names[i];
  return NULL;
}

gboolean
nn_feature_from_string (const char *s, NnFeature *out)
{
  guint i;
  if (!lookup (feature_names, NN_N_FEATURES, s, &i))
    return FALSE;
  *out = (NnFeature) (1u << i);
  return TRUE;
}
