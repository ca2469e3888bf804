/* nl-names.c: translated names of the engine's vocabularies. */
#include <glib/gi18n.h>

#include "nl-names.h"

const NnActivation nl_hidden_activations[5] = {
  NN_ACTIVATION_IDENTITY, NN_ACTIVATION_RELU, NN_ACTIVATION_LEAKY_RELU,
  NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH,
};

const NnActivation nl_output_activations[4] = {
  NN_ACTIVATION_IDENTITY, NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH, NN_ACTIVATION_SOFTMAX,
};

const char *
nl_names_activation (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:   return C_("activation", "Identity");
    case NN_ACTIVATION_RELU:       return C_("activation", "ReLU");
    case NN_ACTIVATION_LEAKY_RELU: return C_("activation", "Leaky ReLU");
    case NN_ACTIVATION_SIGMOID:    return C_("activation", "Sigmoid");
    case NN_ACTIVATION_TANH:       return C_("activation", "Tanh");
    case NN_ACTIVATION_SOFTMAX:    return C_("activation", "Softmax");
    case NN_N_ACTIVATIONS:
    default:                       return "?";
    }
}

const char *
nl_names_generator (NnGenerator g)
{
  switch (g)
    {
    case NN_GENERATOR_CIRCLE:      return C_("dataset", "Circle");
    case NN_GENERATOR_XOR:         return C_("dataset", "XOR");
    case NN_GENERATOR_GAUSS:       return C_("dataset", "Gaussian");
    case NN_GENERATOR_SPIRAL:      return C_("dataset", "Spiral");
    case NN_GENERATOR_MOONS:       return C_("dataset", "Moons");
    case NN_GENERATOR_BLOBS:       return C_("dataset", "Blobs");
    case NN_GENERATOR_PLANE:       return C_("dataset", "Plane");
    case NN_GENERATOR_MULTI_GAUSS: return C_("dataset", "Hills");
    case NN_GENERATOR_SINE_RIDGE:  return C_("dataset", "Sine ridge");
    case NN_GENERATOR_POINTS:      return C_("dataset", "Points");
    case NN_GENERATOR_CSV:         return C_("dataset", "CSV file");
    case NN_N_GENERATORS:
    default:                       return "?";
    }
}

const char *
nl_names_optimizer (NnOptimizerKind k)
{
  switch (k)
    {
    case NN_OPTIMIZER_GD:       return C_("optimizer", "GD");
    case NN_OPTIMIZER_SGD:      return C_("optimizer", "SGD");
    case NN_OPTIMIZER_MOMENTUM: return C_("optimizer", "Momentum");
    case NN_OPTIMIZER_RMSPROP:  return C_("optimizer", "RMSProp");
    case NN_OPTIMIZER_ADAM:     return C_("optimizer", "Adam");
    case NN_N_OPTIMIZERS:
    default:                    return "?";
    }
}

const char *
nl_names_feature (guint index)
{
  static const char *const names[NN_N_FEATURES] = {
    "x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂",
  };

  return index < NN_N_FEATURES ? names[index] : "?";
}

const char *
nl_names_example (const char *basename)
{
  static const struct { const char *file; const char *title; } examples[] = {
    { "default",               N_("Circle (default)") },
    { "xor",                   N_("XOR") },
    { "spiral",                N_("Spiral") },
    { "softmax-three-classes", N_("Three classes with softmax") },
    { "regression",            N_("Regression") },
    { "learning-rate-too-high", N_("Learning rate too high") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    if (g_strcmp0 (basename, examples[i].file) == 0)
      return _(examples[i].title);
  return NULL;
}
