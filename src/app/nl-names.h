/* nl-names.h: the engine's vocabularies as a person reads them, translated.
 *
 * The engine names things for files ("leaky_relu", "x1^2"); these are the words and
 * symbols the window shows for them. */
#pragma once

#include <glib.h>

#include "nn-types.h"

G_BEGIN_DECLS

const char *nl_names_activation     (NnActivation a);
const char *nl_names_generator      (NnGenerator g);
const char *nl_names_optimizer      (NnOptimizerKind k);
/* Feature by index 0..NN_N_FEATURES−1, as a formula with sub- and superscripts. */
const char *nl_names_feature        (guint index);
/* A title for an example project's file name ("xor" → "XOR"), or NULL. */
const char *nl_names_example        (const char *basename);

/* The activations offered for hidden layers and for the output layer, in menu order. */
extern const NnActivation nl_hidden_activations[5];
extern const NnActivation nl_output_activations[4];

G_END_DECLS
