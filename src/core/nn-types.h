/* nn-types.h: the small vocabularies of the engine and their file names.
 *
 * Every enum here has a stable lower-case name used in .nlab files, on the command line
 * and in exports; the *_from_string functions are the only place those names are parsed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NN_MAX_HIDDEN_LAYERS 10
#define NN_MAX_UNITS         64
#define NN_MIN_CLASSES       2
#define NN_MAX_CLASSES       8
#define NN_MAX_LAYERS        (NN_MAX_HIDDEN_LAYERS + 1) /* hidden + output */
#define NN_PLANE_MIN         (-6.0)
#define NN_PLANE_MAX         6.0
#define NN_DEFAULT_LEAKY_ALPHA 0.01

typedef enum
{
  NN_ACTIVATION_IDENTITY,
  NN_ACTIVATION_RELU,
  NN_ACTIVATION_LEAKY_RELU,
  NN_ACTIVATION_SIGMOID,
  NN_ACTIVATION_TANH,
  NN_ACTIVATION_SOFTMAX, /* output layer only */
  NN_N_ACTIVATIONS
} NnActivation;

typedef enum
{
  NN_LOSS_MSE,
  NN_LOSS_CROSS_ENTROPY,
  NN_N_LOSSES
} NnLoss;

typedef enum
{
  NN_OPTIMIZER_GD,       /* full batch */
  NN_OPTIMIZER_SGD,      /* mini-batches of batch_size */
  NN_OPTIMIZER_MOMENTUM,
  NN_OPTIMIZER_RMSPROP,
  NN_OPTIMIZER_ADAM,
  NN_N_OPTIMIZERS
} NnOptimizerKind;

typedef enum
{
  NN_INIT_XAVIER,  /* uniform ±sqrt(6/(in+out)) */
  NN_INIT_HE,      /* normal, sd sqrt(2/in) */
  NN_INIT_UNIFORM, /* uniform ±0.5 */
  NN_N_INITS
} NnInit;

typedef enum
{
  NN_REGULARIZATION_NONE,
  NN_REGULARIZATION_L1,
  NN_REGULARIZATION_L2,
  NN_N_REGULARIZATIONS
} NnRegularization;

typedef enum
{
  NN_PROBLEM_CLASSIFICATION,
  NN_PROBLEM_REGRESSION,
  NN_N_PROBLEMS
} NnProblem;

typedef enum
{
  NN_GENERATOR_CIRCLE,
  NN_GENERATOR_XOR,
  NN_GENERATOR_GAUSS,
  NN_GENERATOR_SPIRAL,
  NN_GENERATOR_MOONS,
  NN_GENERATOR_BLOBS,
  NN_GENERATOR_PLANE,       /* regression */
  NN_GENERATOR_MULTI_GAUSS, /* regression */
  NN_GENERATOR_SINE_RIDGE,  /* regression */
  NN_GENERATOR_POINTS,      /* inline list in the project */
  NN_GENERATOR_CSV,         /* x1,x2,label-or-target file */
  NN_N_GENERATORS
} NnGenerator;

/* Input features, as bits of a mask. The order is the order of the network's inputs. */
typedef enum
{
  NN_FEATURE_X1     = 1 << 0,
  NN_FEATURE_X2     = 1 << 1,
  NN_FEATURE_X1_SQ  = 1 << 2,
  NN_FEATURE_X2_SQ  = 1 << 3,
  NN_FEATURE_X1_X2  = 1 << 4,
  NN_FEATURE_SIN_X1 = 1 << 5,
  NN_FEATURE_SIN_X2 = 1 << 6,
} NnFeature;

#define NN_N_FEATURES    7
#define NN_FEATURES_ALL  0x7f

const char *nn_activation_to_string     (NnActivation a);
gboolean    nn_activation_from_string   (const char *s, NnActivation *out);
const char *nn_loss_to_string           (NnLoss l);
gboolean    nn_loss_from_string         (const char *s, NnLoss *out);
const char *nn_optimizer_kind_to_string (NnOptimizerKind k);
gboolean    nn_optimizer_kind_from_string (const char *s, NnOptimizerKind *out);
const char *nn_init_to_string           (NnInit i);
gboolean    nn_init_from_string         (const char *s, NnInit *out);
const char *nn_regularization_to_string (NnRegularization r);
gboolean    nn_regularization_from_string (const char *s, NnRegularization *out);
const char *nn_problem_to_string        (NnProblem p);
gboolean    nn_problem_from_string      (const char *s, NnProblem *out);
const char *nn_generator_to_string      (NnGenerator g);
gboolean    nn_generator_from_string    (const char *s, NnGenerator *out);
NnProblem   nn_generator_problem        (NnGenerator g); /* POINTS and CSV: either; returns CLASSIFICATION */
gboolean    nn_generator_is_regression  (NnGenerator g);

/* Feature names as in files: "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)". */
const char *nn_feature_to_string        (NnFeature f);
gboolean    nn_feature_from_string      (const char *s, NnFeature *out);
NnFeature   nn_feature_nth              (guint index); /* 0..NN_N_FEATURES-1 */

G_END_DECLS
