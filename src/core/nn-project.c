/* nn-project.c: reading, checking and writing .nlab project files (docs/file-format.md).
 *
 * Loading runs in passes so that a bad file never leaves anything half-built: a check of
 * the raw bytes, the JSON parse, a walk over the tree that fills a fresh NnProject, then
 * the same checks nn_project_validate() applies to a project in memory, so a file and an
 * in-memory project are refused with identical messages. Every message starts with the
 * JSON path of the field at fault ("network.hidden[2].units: …"); the loaders prefix the
 * file name.
 *
 * Writing does not use JsonGenerator: json-glib 1.6 prints 1e-8 as "1e-08.0", which no
 * JSON reader accepts (json-glib included), and 0.03 as 0.029999999999999999. The small
 * writer at the end prints every double in the shortest form that reads back to the same
 * bits, and keeps a point or a row of weights on one line.
 */
#include "nn-project.h"
#include "nn-error.h"
#include "nn-features.h"
#include "nn-file.h"
#include "nn-loss.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

/* A project of 100 000 inline points is about 7 MB of JSON; anything far beyond that is
 * not a project, and reading it whole would only risk running out of memory. */
#define MAX_FILE_SIZE (64 * 1024 * 1024)
/* The schema nests five levels deep; json-glib recurses once per level with no limit. */
#define MAX_DEPTH 64

#define MAX_EPOCHS 1000000
#define MAX_LEARNING_RATE 10.0
#define MAX_REGULARIZATION 10.0
#define MIN_TRAIN_RATIO 0.1
#define MAX_TRAIN_RATIO 1.0 /* 1: every point trains (the benchmarks do) */

/* Defaults of keys a file may leave out (docs/file-format.md lists the same values). */
#define DEFAULT_SEED 1
#define DEFAULT_COUNT 500
#define DEFAULT_TRAIN_RATIO 0.5
#define DEFAULT_LEARNING_RATE 0.03
#define DEFAULT_BATCH_SIZE 10
#define DEFAULT_EPOCHS 200

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                             */

/* The JSON path of the field being read or checked, and where a failure goes. */
typedef struct
{
  GString *path;
  GError **error;
} Ctx;

static Ctx
ctx_make (GError **error)
{
  return (Ctx){ g_string_new (NULL), error };
}

static void
ctx_clear (Ctx *ctx)
{
  g_string_free (ctx->path, TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ctx, ctx_clear)

/* path_key and path_index return a mark that path_leave goes back to. After a failure the
 * path is left as it is: the message has been made and the whole load is abandoned. */
static gsize
path_key (Ctx *ctx, const char *key)
{
  gsize mark = ctx->path->len;

  if (mark > 0)
    g_string_append_c (ctx->path, '.');
  g_string_append (ctx->path, key);
  return mark;
}

static gsize
path_index (Ctx *ctx, guint index)
{
  gsize mark = ctx->path->len;

  g_string_append_printf (ctx->path, "[%u]", index);
  return mark;
}

static void
path_leave (Ctx *ctx, gsize mark)
{
  g_string_truncate (ctx->path, mark);
}

G_GNUC_PRINTF (3, 4)
static gboolean
fail (Ctx *ctx, NnError code, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list          args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  if (ctx->path->len > 0)
    g_set_error (ctx->error, NN_ERROR, code, "%s: %s", ctx->path->str, problem);
  else
    g_set_error_literal (ctx->error, NN_ERROR, code, problem);
  return FALSE;
}

/* Another unit's error, placed under the current path unless it names a field already. */
static gboolean
fail_with (Ctx *ctx, GError *cause)
{
  if (ctx->path->len > 0 && !g_str_has_prefix (cause->message, ctx->path->str))
    g_set_error (ctx->error, cause->domain, cause->code, "%s: %s", ctx->path->str, cause->message);
  else
    g_set_error_literal (ctx->error, cause->domain, cause->code, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* v with the fewest of 15, 16 or 17 significant digits that reads back to exactly the same
 * double: 0.03 stays "0.03" where %.17g would print 0.029999999999999999. A negative zero
 * is written "-0.0": "-0" is an integer to JSON readers and would lose the sign. */
static void
format_double (double v, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  if (v == 0 && signbit (v))
    {
      g_strlcpy (buf, "-0.0", G_ASCII_DTOSTR_BUF_SIZE);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        return;
    }
}

typedef char NumBuf[G_ASCII_DTOSTR_BUF_SIZE];

/* A number for a message, formatted into the caller's buffer. */
static const char *
num (double v, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  format_double (v, buf);
  return buf;
}

static gboolean
fail_range (Ctx *ctx, double v, double min, gboolean min_open, double max, gboolean max_open)
{
  NumBuf a, b, c;

  if (min_open)
    return fail (ctx, NN_ERROR_INVALID, _("%s is out of range (more than %s, at most %s)"), num (v, a),
                 num (min, b), num (max, c));
  if (max_open)
    return fail (ctx, NN_ERROR_INVALID, _("%s is out of range (at least %s, less than %s)"),
                 num (v, a), num (min, b), num (max, c));
  return fail (ctx, NN_ERROR_INVALID, _("%s is out of range (%s–%s)"), num (v, a), num (min, b),
               num (max, c));
}

static gboolean
check_uint (Ctx *ctx, guint v, guint min, guint max)
{
  if (v >= min && v <= max)
    return TRUE;
  return fail (ctx, NN_ERROR_INVALID, _("%u is out of range (%u–%u)"), v, min, max);
}

static gboolean
check_double (Ctx *ctx, double v, double min, gboolean min_open, double max, gboolean max_open)
{
  if (!isfinite (v))
    return fail (ctx, NN_ERROR_INVALID, _("%s is not a finite number"), num (v, (NumBuf){ 0 }));
  if ((min_open ? v > min : v >= min) && (max_open ? v < max : v <= max))
    return TRUE;
  return fail_range (ctx, v, min, min_open, max, max_open);
}

/* ------------------------------------------------------------------------------------ */
/* Vocabularies: the nn_*_from_string functions are the only place names are parsed.     */

typedef struct
{
  const char *what; /* "activation", for messages */
  guint       n;
  const char *(*name) (guint i);
  gboolean (*parse) (const char *s, guint *out);
} Vocab;

#define VOCAB(id, Type, prefix, count, what)                                                       \
  static const char *id##_name (guint i) { return prefix##_to_string ((Type)i); }                  \
  static gboolean    id##_parse (const char *s, guint *out)                                        \
  {                                                                                                \
    Type v;                                                                                        \
    if (!prefix##_from_string (s, &v))                                                             \
      return FALSE;                                                                                \
    *out = (guint)v;                                                                               \
    return TRUE;                                                                                   \
  }                                                                                                \
  static const Vocab id##_vocab = { what, count, id##_name, id##_parse };

VOCAB (activation, NnActivation, nn_activation, NN_N_ACTIVATIONS, N_("activation"))
VOCAB (loss, NnLoss, nn_loss, NN_N_LOSSES, N_("loss"))
VOCAB (optimizer, NnOptimizerKind, nn_optimizer_kind, NN_N_OPTIMIZERS, N_("optimizer"))
VOCAB (init, NnInit, nn_init, NN_N_INITS, N_("initialisation"))
VOCAB (regularization, NnRegularization, nn_regularization, NN_N_REGULARIZATIONS, N_("regularization"))
VOCAB (problem, NnProblem, nn_problem, NN_N_PROBLEMS, N_("problem"))
VOCAB (generator, NnGenerator, nn_generator, NN_N_GENERATORS, N_("generator"))

static char *
vocab_list (const Vocab *vocab)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < vocab->n; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", vocab->name (i));
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Project in memory                                                                    */

/* Every key a file may leave out, at its documented default. */
static NnProject *
project_new_blank (void)
{
  NnProject *p = g_new0 (NnProject, 1);

  p->seed = DEFAULT_SEED;
  p->problem = NN_PROBLEM_CLASSIFICATION;
  nn_dataset_spec_init (&p->dataset);
  p->dataset.generator = NN_GENERATOR_CIRCLE;
  p->dataset.problem = NN_PROBLEM_CLASSIFICATION;
  p->dataset.classes = NN_MIN_CLASSES;
  p->dataset.count = DEFAULT_COUNT;
  p->dataset.noise = 0.0;
  p->dataset.train_ratio = DEFAULT_TRAIN_RATIO;
  p->features = NN_FEATURE_X1 | NN_FEATURE_X2;
  p->arch.output_activation = NN_ACTIVATION_TANH;
  p->arch.output_alpha = NN_DEFAULT_LEAKY_ALPHA;
  for (guint i = 0; i < NN_MAX_HIDDEN_LAYERS; i++)
    {
      p->arch.activation[i] = NN_ACTIVATION_TANH;
      p->arch.alpha[i] = NN_DEFAULT_LEAKY_ALPHA;
    }
  p->init = NN_INIT_XAVIER;
  p->loss = NN_LOSS_MSE;
  /* PyTorch's defaults for the hyper-parameters of the optimizers not chosen. */
  p->optimizer.kind = NN_OPTIMIZER_ADAM;
  p->optimizer.learning_rate = DEFAULT_LEARNING_RATE;
  p->optimizer.momentum = 0.9;
  p->optimizer.alpha = 0.99;
  p->optimizer.beta1 = 0.9;
  p->optimizer.beta2 = 0.999;
  p->optimizer.epsilon = 1e-8;
  p->batch_size = DEFAULT_BATCH_SIZE;
  p->shuffle = TRUE;
  p->epochs = DEFAULT_EPOCHS;
  p->regularization = NN_REGULARIZATION_NONE;
  p->regularization_rate = 0.0;
  return p;
}

NnProject *
nn_project_new_default (void)
{
  NnProject *p = project_new_blank ();

  p->arch.n_hidden = 2;
  p->arch.units[0] = 4;
  p->arch.units[1] = 2;
  nn_project_sync_shape (p);
  return p;
}

NnProject *
nn_project_copy (const NnProject *p)
{
  NnProject *copy;

  g_return_val_if_fail (p != NULL, NULL);

  copy = g_new (NnProject, 1);
  *copy = *p;
  /* The copy's spec must not share the original's arrays before the deep copy. */
  nn_dataset_spec_init (&copy->dataset);
  nn_dataset_spec_copy (&copy->dataset, &p->dataset);
  copy->weights
      = p->weights != NULL ? g_memdup2 (p->weights, p->n_weights * sizeof (double)) : NULL;
  copy->n_weights = p->weights != NULL ? p->n_weights : 0;
  copy->base_dir = g_strdup (p->base_dir);
  copy->title = g_strdup (p->title);
  copy->description = g_strdup (p->description);
  return copy;
}

void
nn_project_free (NnProject *p)
{
  if (p == NULL)
    return;
  nn_dataset_spec_clear (&p->dataset);
  g_free (p->weights);
  g_free (p->base_dir);
  g_free (p->title);
  g_free (p->description);
  g_free (p);
}

guint
nn_project_output_units (const NnProject *p)
{
  g_return_val_if_fail (p != NULL, 1);

  if (p->problem == NN_PROBLEM_CLASSIFICATION && p->arch.output_activation == NN_ACTIVATION_SOFTMAX)
    return p->dataset.classes;
  return 1;
}

void
nn_project_sync_shape (NnProject *p)
{
  g_return_if_fail (p != NULL);

  p->arch.n_inputs = nn_features_count (p->features);
  p->arch.n_outputs = nn_project_output_units (p);
}

void
nn_project_set_weights (NnProject *p, const double *params, gsize n)
{
  g_return_if_fail (p != NULL);
  g_return_if_fail (params != NULL || n == 0);

  g_clear_pointer (&p->weights, g_free);
  p->n_weights = 0;
  if (n == 0)
    return;
  p->weights = g_memdup2 (params, n * sizeof (double));
  p->n_weights = n;
}

/* Layer l's inputs and outputs; layer n_hidden is the output layer. */
static void
layer_shape (const NnArchitecture *arch, guint l, guint *n_in, guint *n_out)
{
  *n_in = l == 0 ? arch->n_inputs : arch->units[l - 1];
  *n_out = l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
}

static gsize
count_params (const NnArchitecture *arch)
{
  gsize n = 0;

  for (guint l = 0; l <= arch->n_hidden; l++)
    {
      guint n_in, n_out;

      layer_shape (arch, l, &n_in, &n_out);
      n += (gsize)n_out * n_in + n_out;
    }
  return n;
}

/* ------------------------------------------------------------------------------------ */
/* Checks shared by loading and nn_project_validate()                                   */

static gboolean
generator_classes (NnGenerator g, guint *max)
{
  switch (g)
    {
    case NN_GENERATOR_SPIRAL:
      *max = 4;
      return TRUE;
    case NN_GENERATOR_BLOBS:
    case NN_GENERATOR_POINTS:
    case NN_GENERATOR_CSV:
      *max = NN_MAX_CLASSES;
      return TRUE;
    default:
      *max = NN_MIN_CLASSES;
      return FALSE;
    }
}

static gboolean
validate_point (Ctx *ctx, const NnPoint *pt, NnProblem problem, guint classes)
{
  const double xs[2] = { pt->x1, pt->x2 };
  NumBuf       a;

  for (guint c = 0; c < 2; c++)
    if (!isfinite (xs[c]) || xs[c] < NN_PLANE_MIN || xs[c] > NN_PLANE_MAX)
      {
        path_index (ctx, c);
        return fail (ctx, NN_ERROR_INVALID, _("%s is outside the plane (-6 to 6)"), num (xs[c], a));
      }
  path_index (ctx, 2);
  if (problem == NN_PROBLEM_REGRESSION && !isfinite (pt->y))
    return fail (ctx, NN_ERROR_INVALID, _("%s is not a finite number"), num (pt->y, a));
  if (problem == NN_PROBLEM_CLASSIFICATION
      && !(pt->y >= 0 && pt->y < classes && pt->y == floor (pt->y)))
    return fail (ctx, NN_ERROR_INVALID, _("%s is not a class label (a whole number 0–%u)"),
                 num (pt->y, a), classes - 1);
  return TRUE;
}

static gboolean
validate_point_list (Ctx *ctx, const char *key, const GArray *points, NnProblem problem,
                     guint classes)
{
  gsize mark = path_key (ctx, key);

  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      gsize mark_i = path_index (ctx, i);

      if (!validate_point (ctx, &g_array_index (points, NnPoint, i), problem, classes))
        return FALSE;
      path_leave (ctx, mark_i);
    }
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_inline_points (Ctx *ctx, const NnDatasetSpec *d)
{
  guint n_train = d->points != NULL ? d->points->len : 0;
  guint n_test = d->test_points != NULL ? d->test_points->len : 0;
  gsize mark = path_key (ctx, "points");

  if (n_train < NN_MIN_POINTS)
    return fail (ctx, NN_ERROR_INVALID, _("at least %u training points are needed, found %u"),
                 NN_MIN_POINTS, n_train);
  if ((gsize)n_train + n_test > NN_MAX_POINTS)
    return fail (ctx, NN_ERROR_INVALID,
                 _("%u training and %u test points are more than the %u allowed"), n_train, n_test,
                 NN_MAX_POINTS);
  path_leave (ctx, mark);
  return validate_point_list (ctx, "points", d->points, d->problem, d->classes)
         && validate_point_list (ctx, "test_points", d->test_points, d->problem, d->classes);
}

static gboolean
validate_generator (Ctx *ctx, const NnProject *p)
{
  const NnDatasetSpec *d = &p->dataset;
  gsize                mark = path_key (ctx, "generator");
  gboolean fixed = d->generator != NN_GENERATOR_POINTS && d->generator != NN_GENERATOR_CSV;

  if ((guint)d->generator >= NN_N_GENERATORS)
    return fail (ctx, NN_ERROR_INVALID, _("%u is not a generator"), (guint)d->generator);
  if (fixed && nn_generator_problem (d->generator) != p->problem)
    return fail (ctx, NN_ERROR_INVALID, _("\"%s\" makes %s data, but problem is \"%s\""),
                 nn_generator_to_string (d->generator),
                 nn_problem_to_string (nn_generator_problem (d->generator)),
                 nn_problem_to_string (p->problem));
  path_leave (ctx, mark);
  if (d->problem != p->problem)
    return fail (ctx, NN_ERROR_INVALID, _("its problem (%s) differs from the project's (%s)"),
                 nn_problem_to_string (d->problem), nn_problem_to_string (p->problem));
  return TRUE;
}

static gboolean
validate_classes (Ctx *ctx, const NnProject *p)
{
  const NnDatasetSpec *d = &p->dataset;
  gsize                mark = path_key (ctx, "classes");
  guint                max;

  if (p->problem == NN_PROBLEM_CLASSIFICATION && !generator_classes (d->generator, &max))
    {
      if (d->classes != NN_MIN_CLASSES)
        return fail (ctx, NN_ERROR_INVALID, _("%u classes, but \"%s\" always makes 2"), d->classes,
                     nn_generator_to_string (d->generator));
    }
  else if (p->problem == NN_PROBLEM_CLASSIFICATION && d->classes > max)
    return fail (ctx, NN_ERROR_INVALID, _("%u is out of range (%u–%u for %s)"), d->classes,
                 NN_MIN_CLASSES, max, nn_generator_to_string (d->generator));
  else if (!check_uint (ctx, d->classes, NN_MIN_CLASSES, NN_MAX_CLASSES))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_dataset (Ctx *ctx, const NnProject *p)
{
  const NnDatasetSpec *d = &p->dataset;
  g_autoptr (GError) cause = NULL;
  gsize mark;

  mark = path_key (ctx, "problem");
  if ((guint)p->problem >= NN_N_PROBLEMS)
    return fail (ctx, NN_ERROR_INVALID, _("%u is not a problem"), (guint)p->problem);
  path_leave (ctx, mark);

  mark = path_key (ctx, "dataset");
  if (!validate_generator (ctx, p) || !validate_classes (ctx, p))
    return FALSE;

  if (d->generator != NN_GENERATOR_POINTS && d->generator != NN_GENERATOR_CSV)
    {
      gsize m = path_key (ctx, "count");
      if (!check_uint (ctx, d->count, NN_MIN_POINTS, NN_MAX_POINTS))
        return FALSE;
      path_leave (ctx, m);
    }
  {
    gsize m = path_key (ctx, "noise");
    if (!check_double (ctx, d->noise, 0, FALSE, 1, FALSE))
      return FALSE;
    path_leave (ctx, m);
    m = path_key (ctx, "train_ratio");
    if (!check_double (ctx, d->train_ratio, MIN_TRAIN_RATIO, FALSE, MAX_TRAIN_RATIO, FALSE))
      return FALSE;
    path_leave (ctx, m);
  }

  if (d->generator == NN_GENERATOR_POINTS && !validate_inline_points (ctx, d))
    return FALSE;
  if (d->generator == NN_GENERATOR_CSV && (d->path == NULL || d->path[0] == '\0'))
    {
      path_key (ctx, "path");
      return fail (ctx, NN_ERROR_INVALID, _("a CSV dataset needs the path of its file"));
    }

  /* The dataset's own rules, should they be stricter than the file format's. */
  if (!nn_dataset_spec_validate (d, &cause))
    return fail_with (ctx, g_steal_pointer (&cause));
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_features (Ctx *ctx, const NnProject *p)
{
  gsize mark = path_key (ctx, "features");

  if (p->features == 0)
    return fail (ctx, NN_ERROR_INVALID, _("at least one feature is needed"));
  if ((p->features & ~(guint)NN_FEATURES_ALL) != 0)
    return fail (ctx, NN_ERROR_INVALID, _("0x%x holds bits that are not features"), p->features);
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_hidden_layer (Ctx *ctx, const NnArchitecture *arch, guint i)
{
  gsize mark = path_key (ctx, "units");

  if (!check_uint (ctx, arch->units[i], 1, NN_MAX_UNITS))
    return FALSE;
  path_leave (ctx, mark);

  mark = path_key (ctx, "activation");
  if ((guint)arch->activation[i] >= NN_N_ACTIVATIONS)
    return fail (ctx, NN_ERROR_INVALID, _("%u is not an activation"), (guint)arch->activation[i]);
  if (arch->activation[i] == NN_ACTIVATION_SOFTMAX)
    return fail (ctx, NN_ERROR_INVALID,
                 _("softmax is an output activation (hidden layers use identity, relu, "
                 "leaky_relu, sigmoid or tanh)"));
  path_leave (ctx, mark);

  mark = path_key (ctx, "alpha");
  if (!check_double (ctx, arch->alpha[i], 0, FALSE, 1, FALSE))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_output (Ctx *ctx, const NnProject *p)
{
  NnActivation out = p->arch.output_activation;
  gsize        mark = path_key (ctx, "output_activation");

  if (out != NN_ACTIVATION_IDENTITY && out != NN_ACTIVATION_SIGMOID && out != NN_ACTIVATION_TANH
      && out != NN_ACTIVATION_SOFTMAX)
    return fail (ctx, NN_ERROR_INVALID,
                 _("\"%s\" is not an output activation (identity, sigmoid, tanh or softmax)"),
                 (guint)out < NN_N_ACTIVATIONS ? nn_activation_to_string (out) : "?");
  if (out == NN_ACTIVATION_SOFTMAX && p->problem == NN_PROBLEM_REGRESSION)
    return fail (ctx, NN_ERROR_UNSUPPORTED,
                 _("softmax is for classification; regression needs one output "
                 "(identity, tanh or sigmoid)"));
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_shape (Ctx *ctx, const NnProject *p)
{
  guint inputs = nn_features_count (p->features);
  guint outputs = nn_project_output_units (p);

  if (p->problem == NN_PROBLEM_CLASSIFICATION && outputs == 1
      && p->dataset.classes != NN_MIN_CLASSES)
    {
      path_leave (ctx, 0);
      path_key (ctx, "dataset.classes");
      return fail (ctx, NN_ERROR_UNSUPPORTED,
                   _("%u classes need a softmax output (network.output_activation is \"%s\")"),
                   p->dataset.classes, nn_activation_to_string (p->arch.output_activation));
    }
  if (p->arch.n_inputs != inputs || p->arch.n_outputs != outputs)
    return fail (ctx, NN_ERROR_SHAPE,
                 _("%u inputs and %u outputs, but the features and problem need %u and %u "
                 "(nn_project_sync_shape() was not called)"),
                 p->arch.n_inputs, p->arch.n_outputs, inputs, outputs);
  return TRUE;
}

static gboolean
validate_network (Ctx *ctx, const NnProject *p)
{
  const NnArchitecture *arch = &p->arch;
  g_autoptr (GError) cause = NULL;
  gsize mark = path_key (ctx, "network");
  gsize mark_h = path_key (ctx, "hidden");

  if (arch->n_hidden > NN_MAX_HIDDEN_LAYERS)
    return fail (ctx, NN_ERROR_INVALID, _("%u layers is out of range (0–%u)"), arch->n_hidden,
                 NN_MAX_HIDDEN_LAYERS);
  for (guint i = 0; i < arch->n_hidden; i++)
    {
      gsize mark_i = path_index (ctx, i);

      if (!validate_hidden_layer (ctx, arch, i))
        return FALSE;
      path_leave (ctx, mark_i);
    }
  path_leave (ctx, mark_h);

  if (!validate_output (ctx, p))
    return FALSE;
  {
    gsize m = path_key (ctx, "init");
    if ((guint)p->init >= NN_N_INITS)
      return fail (ctx, NN_ERROR_INVALID, _("%u is not an initialisation"), (guint)p->init);
    path_leave (ctx, m);
  }
  if (!validate_shape (ctx, p))
    return FALSE;
  if (!nn_architecture_validate (arch, &cause))
    return fail_with (ctx, g_steal_pointer (&cause));
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_loss (Ctx *ctx, const NnProject *p)
{
  g_autoptr (GError) cause = NULL;
  gsize mark = path_key (ctx, "loss");

  if ((guint)p->loss >= NN_N_LOSSES)
    return fail (ctx, NN_ERROR_INVALID, _("%u is not a loss"), (guint)p->loss);
  if (p->loss == NN_LOSS_CROSS_ENTROPY && p->problem == NN_PROBLEM_REGRESSION)
    return fail (ctx, NN_ERROR_UNSUPPORTED,
                 _("cross_entropy is for classification; regression uses mse"));
  if (!nn_loss_supports_output (p->loss, p->arch.output_activation, &cause))
    return fail_with (ctx, g_steal_pointer (&cause));
  path_leave (ctx, mark);
  return TRUE;
}

typedef struct
{
  const char *key;
  gsize       offset; /* of the double in NnOptimizerConfig */
  double      min, max;
  gboolean    min_open, max_open;
} DoubleRule;

static const DoubleRule optimizer_rules[] = {
  { "learning_rate", G_STRUCT_OFFSET (NnOptimizerConfig, learning_rate), 0, MAX_LEARNING_RATE, TRUE,
    FALSE },
  { "momentum", G_STRUCT_OFFSET (NnOptimizerConfig, momentum), 0, 1, FALSE, TRUE },
  { "alpha", G_STRUCT_OFFSET (NnOptimizerConfig, alpha), 0, 1, FALSE, TRUE },
  { "beta1", G_STRUCT_OFFSET (NnOptimizerConfig, beta1), 0, 1, FALSE, TRUE },
  { "beta2", G_STRUCT_OFFSET (NnOptimizerConfig, beta2), 0, 1, FALSE, TRUE },
  { "epsilon", G_STRUCT_OFFSET (NnOptimizerConfig, epsilon), 0, 1, TRUE, FALSE },
};

static gboolean
validate_optimizer (Ctx *ctx, const NnProject *p)
{
  g_autoptr (GError) cause = NULL;
  gsize mark = path_key (ctx, "optimizer");

  {
    gsize m = path_key (ctx, "name");
    if ((guint)p->optimizer.kind >= NN_N_OPTIMIZERS)
      return fail (ctx, NN_ERROR_INVALID, _("%u is not an optimizer"), (guint)p->optimizer.kind);
    path_leave (ctx, m);
  }
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_rules); i++)
    {
      const DoubleRule *r = &optimizer_rules[i];
      double            v = G_STRUCT_MEMBER (double, &p->optimizer, r->offset);
      gsize             m = path_key (ctx, r->key);

      if (!check_double (ctx, v, r->min, r->min_open, r->max, r->max_open))
        return FALSE;
      path_leave (ctx, m);
    }
  if (!nn_optimizer_config_validate (&p->optimizer, &cause))
    return fail_with (ctx, g_steal_pointer (&cause));
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
validate_training (Ctx *ctx, const NnProject *p)
{
  gsize mark = path_key (ctx, "training");
  gsize m;

  m = path_key (ctx, "batch_size");
  if (!check_uint (ctx, p->batch_size, 1, NN_MAX_POINTS))
    return FALSE;
  path_leave (ctx, m);
  m = path_key (ctx, "epochs");
  if (!check_uint (ctx, p->epochs, 1, MAX_EPOCHS))
    return FALSE;
  path_leave (ctx, m);
  m = path_key (ctx, "regularization");
  if ((guint)p->regularization >= NN_N_REGULARIZATIONS)
    return fail (ctx, NN_ERROR_INVALID, _("%u is not a regularization"), (guint)p->regularization);
  path_leave (ctx, m);
  m = path_key (ctx, "regularization_rate");
  if (!check_double (ctx, p->regularization_rate, 0, FALSE, MAX_REGULARIZATION, FALSE))
    return FALSE;
  path_leave (ctx, m);
  path_leave (ctx, mark);
  return TRUE;
}

/* Names flat parameter i the way the file does: weights[l].weight[r][c] or
 * weights[l].bias[r]. */
static void
path_of_param (Ctx *ctx, const NnArchitecture *arch, gsize i)
{
  for (guint l = 0; l <= arch->n_hidden; l++)
    {
      guint n_in, n_out;

      layer_shape (arch, l, &n_in, &n_out);
      if (i < (gsize)n_in * n_out)
        {
          g_string_append_printf (ctx->path, "weights[%u].weight[%u][%u]", l, (guint)(i / n_in),
                                  (guint)(i % n_in));
          return;
        }
      i -= (gsize)n_in * n_out;
      if (i < n_out)
        {
          g_string_append_printf (ctx->path, "weights[%u].bias[%u]", l, (guint)i);
          return;
        }
      i -= n_out;
    }
}

static gboolean
validate_weights (Ctx *ctx, const NnProject *p)
{
  gsize expected = count_params (&p->arch);

  if (p->weights == NULL)
    return TRUE;
  if (p->n_weights != expected)
    {
      path_key (ctx, "weights");
      return fail (ctx, NN_ERROR_SHAPE,
                   _("expected %zu values for this network, found %zu"),
                   (size_t) expected, (size_t) p->n_weights);
    }
  for (gsize i = 0; i < p->n_weights; i++)
    if (!isfinite (p->weights[i]))
      {
        path_of_param (ctx, &p->arch, i);
        return fail (ctx, NN_ERROR_INVALID, _("%s is not a finite number"),
                     num (p->weights[i], (NumBuf){ 0 }));
      }
  return TRUE;
}

static gboolean
validate_all (Ctx *ctx, const NnProject *p)
{
  return validate_dataset (ctx, p) && validate_features (ctx, p) && validate_network (ctx, p)
         && validate_loss (ctx, p) && validate_optimizer (ctx, p) && validate_training (ctx, p)
         && validate_weights (ctx, p);
}

gboolean
nn_project_validate (const NnProject *p, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_auto (Ctx) ctx = ctx_make (error);
  return validate_all (&ctx, p);
}

/* ------------------------------------------------------------------------------------ */
/* Reading the JSON tree                                                                */

/* What a node is, for "expected …, found …". */
static char *
describe (JsonNode *node)
{
  GType type;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup (_("an object"));
    case JSON_NODE_ARRAY:
      return g_strdup (_("an array"));
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      const char      *s = json_node_get_string (node);
      g_autofree char *shown = g_utf8_substring (s, 0, MIN (g_utf8_strlen (s, -1), 40));

      return g_strdup_printf (_("the string \"%s\""), shown);
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_INT64)
    return g_strdup_printf (_("the number %lld"), (long long) json_node_get_int (node));
  return g_strdup_printf (_("the number %s"), num (json_node_get_double (node), (NumBuf){ 0 }));
}

static gboolean
fail_type (Ctx *ctx, const char *expected, JsonNode *node)
{
  g_autofree char *found = describe (node);

  return fail (ctx, NN_ERROR_INVALID, _("expected %s, found %s"), expected, found);
}

static gboolean
holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
expect_number (Ctx *ctx, JsonNode *node, double *out)
{
  if (holds (node, G_TYPE_INT64))
    {
      *out = (double)json_node_get_int (node);
      return TRUE;
    }
  if (!holds (node, G_TYPE_DOUBLE))
    return fail_type (ctx, _("a number"), node);
  *out = json_node_get_double (node);
  /* JSON has no infinity, but a literal like 1e400 overflows to one. */
  if (!isfinite (*out))
    return fail (ctx, NN_ERROR_INVALID, _("the number is too large (it overflows a double)"));
  return TRUE;
}

static gboolean
expect_uint (Ctx *ctx, JsonNode *node, guint min, guint max, guint *out)
{
  double v;

  if (holds (node, G_TYPE_INT64))
    {
      gint64 i = json_node_get_int (node);

      if (i < min || i > max)
        return fail (ctx, NN_ERROR_INVALID, _("%lld is out of range (%u–%u)"), (long long) i, min,
                     max);
      *out = (guint)i;
      return TRUE;
    }
  if (!expect_number (ctx, node, &v))
    return FALSE;
  if (v != floor (v))
    return fail (ctx, NN_ERROR_INVALID, _("expected a whole number, found %s"),
                 num (v, (NumBuf){ 0 }));
  if (v < min || v > max)
    return fail_range (ctx, v, min, FALSE, max, FALSE);
  *out = (guint)v;
  return TRUE;
}

static gboolean
expect_name (Ctx *ctx, JsonNode *node, const Vocab *vocab, guint *out)
{
  g_autofree char *known = NULL;
  const char      *s;

  if (!holds (node, G_TYPE_STRING))
    {
      g_autofree char *expected = g_strdup_printf (_("a string naming the %s"), _(vocab->what));

      return fail_type (ctx, expected, node);
    }
  s = json_node_get_string (node);
  if (vocab->parse (s, out))
    return TRUE;
  known = vocab_list (vocab);
  return fail (ctx, NN_ERROR_INVALID, _("unknown %s \"%s\" (known: %s)"), vocab->what, s, known);
}

/* Member readers: an absent key keeps the value already in *out (the default) unless the
 * key is required. */
static JsonNode *
member (Ctx *ctx, JsonObject *obj, const char *key, gboolean required, gsize *mark)
{
  JsonNode *node = json_object_get_member (obj, key);

  *mark = path_key (ctx, key);
  if (node == NULL)
    {
      if (required)
        fail (ctx, NN_ERROR_INVALID, _("missing (this key is required)"));
      else
        path_leave (ctx, *mark);
    }
  return node;
}

static gboolean
read_uint (Ctx *ctx, JsonObject *obj, const char *key, gboolean required, guint min, guint max,
           guint *out)
{
  gsize     mark;
  JsonNode *node = member (ctx, obj, key, required, &mark);

  if (node == NULL)
    return !required;
  if (!expect_uint (ctx, node, min, max, out))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_double (Ctx *ctx, JsonObject *obj, const char *key, double *out)
{
  gsize     mark;
  JsonNode *node = member (ctx, obj, key, FALSE, &mark);

  if (node == NULL)
    return TRUE;
  if (!expect_number (ctx, node, out))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_bool (Ctx *ctx, JsonObject *obj, const char *key, gboolean *out)
{
  gsize     mark;
  JsonNode *node = member (ctx, obj, key, FALSE, &mark);

  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_BOOLEAN))
    return fail_type (ctx, _("true or false"), node);
  *out = json_node_get_boolean (node);
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_string (Ctx *ctx, JsonObject *obj, const char *key, gboolean required, char **out)
{
  gsize     mark;
  JsonNode *node = member (ctx, obj, key, required, &mark);

  if (node == NULL)
    return !required;
  if (!holds (node, G_TYPE_STRING))
    return fail_type (ctx, _("a string"), node);
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_name (Ctx *ctx, JsonObject *obj, const char *key, gboolean required, const Vocab *vocab,
           guint *out)
{
  gsize     mark;
  JsonNode *node = member (ctx, obj, key, required, &mark);

  if (node == NULL)
    return !required;
  if (!expect_name (ctx, node, vocab, out))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

/* An enum member read through a guint, as the vocabularies work on guint. */
#define READ_NAME(ctx, obj, key, required, vocab, field)                                           \
  G_STMT_START                                                                                     \
  {                                                                                                \
    guint v_ = (guint)(field);                                                                     \
    if (!read_name ((ctx), (obj), (key), (required), (vocab), &v_))                                \
      return FALSE;                                                                                \
    (field) = v_;                                                                                  \
  }                                                                                                \
  G_STMT_END

/* A JSON array of exactly n numbers into out. `shape` describes the array for the
 * message ("[x1, x2, y]"), or NULL for "n values". */
static gboolean
read_row (Ctx *ctx, JsonNode *node, guint n, const char *shape, double *out)
{
  JsonArray *array;
  guint      len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type (ctx, shape != NULL ? shape : _("an array of numbers"), node);
  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len != n && shape != NULL)
    return fail (ctx, NN_ERROR_SHAPE, _("expected %s, found %u values"), shape, len);
  if (len != n)
    return fail (ctx, NN_ERROR_SHAPE, _("expected %u values, found %u"), n, len);
  for (guint i = 0; i < n; i++)
    {
      gsize mark = path_index (ctx, i);

      if (!expect_number (ctx, json_array_get_element (array, i), &out[i]))
        return FALSE;
      path_leave (ctx, mark);
    }
  return TRUE;
}

static gboolean
read_points (Ctx *ctx, JsonObject *obj, const char *key, GArray **out)
{
  gsize      mark;
  JsonNode  *node = member (ctx, obj, key, FALSE, &mark);
  JsonArray *array;
  guint      n;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type (ctx, _("an array of [x1, x2, y] points"), node);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > NN_MAX_POINTS)
    return fail (ctx, NN_ERROR_INVALID, _("%u points is out of range (0–%u)"), n, NN_MAX_POINTS);

  g_clear_pointer (out, g_array_unref);
  *out = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n);
  g_array_set_size (*out, n);
  for (guint i = 0; i < n; i++)
    {
      gsize    mark_i = path_index (ctx, i);
      double   v[3];
      NnPoint *pt = &g_array_index (*out, NnPoint, i);

      if (!read_row (ctx, json_array_get_element (array, i), 3, "[x1, x2, y]", v))
        return FALSE;
      pt->x1 = v[0];
      pt->x2 = v[1];
      pt->y = v[2];
      path_leave (ctx, mark_i);
    }
  path_leave (ctx, mark);
  return TRUE;
}

/* A key that belongs to one generator only: refused elsewhere, so that a file does not
 * silently ignore points its author meant to use. */
static gboolean
refuse_foreign_key (Ctx *ctx, JsonObject *obj, const char *key, NnGenerator owner,
                    NnGenerator generator)
{
  if (generator == owner || !json_object_has_member (obj, key))
    return TRUE;
  path_key (ctx, key);
  return fail (ctx, NN_ERROR_INVALID, _("only used with generator \"%s\", not \"%s\""),
               nn_generator_to_string (owner), nn_generator_to_string (generator));
}

static gboolean
read_dataset (Ctx *ctx, JsonObject *obj, NnProject *p)
{
  NnDatasetSpec *d = &p->dataset;

  READ_NAME (ctx, obj, "generator", TRUE, &generator_vocab, d->generator);
  d->problem = p->problem;
  if (!read_uint (ctx, obj, "classes", FALSE, NN_MIN_CLASSES, NN_MAX_CLASSES, &d->classes)
      || !read_uint (ctx, obj, "count", FALSE, NN_MIN_POINTS, NN_MAX_POINTS, &d->count)
      || !read_double (ctx, obj, "noise", &d->noise)
      || !read_double (ctx, obj, "train_ratio", &d->train_ratio))
    return FALSE;

  if (!refuse_foreign_key (ctx, obj, "points", NN_GENERATOR_POINTS, d->generator)
      || !refuse_foreign_key (ctx, obj, "test_points", NN_GENERATOR_POINTS, d->generator)
      || !refuse_foreign_key (ctx, obj, "path", NN_GENERATOR_CSV, d->generator))
    return FALSE;

  if (d->generator == NN_GENERATOR_POINTS)
    {
      gsize mark;

      if (member (ctx, obj, "points", TRUE, &mark) == NULL)
        return FALSE;
      path_leave (ctx, mark);
      if (!read_points (ctx, obj, "points", &d->points)
          || !read_points (ctx, obj, "test_points", &d->test_points))
        return FALSE;
      /* count follows the lists, so the spec is consistent whatever the file said. */
      d->count = d->points->len + (d->test_points != NULL ? d->test_points->len : 0);
    }
  if (d->generator == NN_GENERATOR_CSV && !read_string (ctx, obj, "path", TRUE, &d->path))
    return FALSE;
  return TRUE;
}

static gboolean
read_features (Ctx *ctx, JsonObject *root, NnProject *p)
{
  gsize      mark;
  JsonNode  *node = member (ctx, root, "features", FALSE, &mark);
  JsonArray *array;
  guint      mask = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type (ctx, _("an array of feature names"), node);
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return fail (ctx, NN_ERROR_INVALID, _("at least one feature is needed"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      gsize     mark_i = path_index (ctx, i);
      NnFeature f;

      if (!holds (item, G_TYPE_STRING))
        return fail_type (ctx, _("a feature name"), item);
      if (!nn_feature_from_string (json_node_get_string (item), &f))
        return fail (ctx, NN_ERROR_INVALID,
                     _("unknown feature \"%s\" (known: x1, x2, x1^2, "
                     "x2^2, x1*x2, sin(x1), sin(x2))"),
                     json_node_get_string (item));
      if (mask & f)
        return fail (ctx, NN_ERROR_INVALID, _("\"%s\" is listed twice"), json_node_get_string (item));
      mask |= f;
      path_leave (ctx, mark_i);
    }
  p->features = mask;
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_hidden_layer (Ctx *ctx, JsonNode *node, NnArchitecture *arch, guint i)
{
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (ctx, _("an object like {\"units\": 4, \"activation\": \"tanh\"}"), node);
  obj = json_node_get_object (node);
  if (!read_uint (ctx, obj, "units", TRUE, 1, NN_MAX_UNITS, &arch->units[i]))
    return FALSE;
  READ_NAME (ctx, obj, "activation", FALSE, &activation_vocab, arch->activation[i]);
  return read_double (ctx, obj, "alpha", &arch->alpha[i]);
}

static gboolean
read_network (Ctx *ctx, JsonObject *obj, NnProject *p)
{
  gsize      mark;
  JsonNode  *node = member (ctx, obj, "hidden", TRUE, &mark);
  JsonArray *hidden;
  guint      n;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type (ctx, _("an array of layers ([] for none)"), node);
  hidden = json_node_get_array (node);
  n = json_array_get_length (hidden);
  if (n > NN_MAX_HIDDEN_LAYERS)
    return fail (ctx, NN_ERROR_INVALID, _("%u layers is out of range (0–%u)"), n,
                 NN_MAX_HIDDEN_LAYERS);
  p->arch.n_hidden = n;
  for (guint i = 0; i < n; i++)
    {
      gsize mark_i = path_index (ctx, i);

      if (!read_hidden_layer (ctx, json_array_get_element (hidden, i), &p->arch, i))
        return FALSE;
      path_leave (ctx, mark_i);
    }
  path_leave (ctx, mark);

  p->arch.output_activation
      = p->problem == NN_PROBLEM_REGRESSION ? NN_ACTIVATION_IDENTITY : NN_ACTIVATION_TANH;
  READ_NAME (ctx, obj, "output_activation", FALSE, &activation_vocab, p->arch.output_activation);
  READ_NAME (ctx, obj, "init", FALSE, &init_vocab, p->init);
  return TRUE;
}

static gboolean
read_loss (Ctx *ctx, JsonObject *root, NnProject *p)
{
  READ_NAME (ctx, root, "loss", FALSE, &loss_vocab, p->loss);
  return TRUE;
}

static gboolean
read_optimizer (Ctx *ctx, JsonObject *obj, NnProject *p)
{
  READ_NAME (ctx, obj, "name", FALSE, &optimizer_vocab, p->optimizer.kind);
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_rules); i++)
    {
      const DoubleRule *r = &optimizer_rules[i];

      if (!read_double (ctx, obj, r->key, &G_STRUCT_MEMBER (double, &p->optimizer, r->offset)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_training (Ctx *ctx, JsonObject *obj, NnProject *p)
{
  if (!read_uint (ctx, obj, "batch_size", FALSE, 1, NN_MAX_POINTS, &p->batch_size)
      || !read_bool (ctx, obj, "shuffle", &p->shuffle)
      || !read_uint (ctx, obj, "epochs", FALSE, 1, MAX_EPOCHS, &p->epochs))
    return FALSE;
  READ_NAME (ctx, obj, "regularization", FALSE, &regularization_vocab, p->regularization);
  return read_double (ctx, obj, "regularization_rate", &p->regularization_rate);
}

typedef gboolean (*SectionReader) (Ctx *ctx, JsonObject *obj, NnProject *p);

static gboolean
read_section (Ctx *ctx, JsonObject *root, const char *key, gboolean required, SectionReader read,
              NnProject *p)
{
  gsize     mark;
  JsonNode *node = member (ctx, root, key, required, &mark);

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (ctx, _("an object"), node);
  if (!read (ctx, json_node_get_object (node), p))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

/* One layer's {"weight": [[…] × n_out], "bias": […]} into out (weights then bias). */
static gboolean
read_weight_layer (Ctx *ctx, JsonNode *node, guint n_in, guint n_out, double *out)
{
  JsonObject *obj;
  JsonArray  *rows;
  JsonNode   *weight, *bias;
  gsize       mark;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (ctx, _("an object with \"weight\" and \"bias\""), node);
  obj = json_node_get_object (node);

  if ((weight = member (ctx, obj, "weight", TRUE, &mark)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (weight))
    return fail_type (ctx, _("an array of rows [out][in]"), weight);
  rows = json_node_get_array (weight);
  if (json_array_get_length (rows) != n_out)
    return fail (ctx, NN_ERROR_SHAPE, _("expected %u rows of %u, found %u rows"), n_out, n_in,
                 json_array_get_length (rows));
  for (guint r = 0; r < n_out; r++)
    {
      gsize mark_r = path_index (ctx, r);

      if (!read_row (ctx, json_array_get_element (rows, r), n_in, NULL, out + (gsize)r * n_in))
        return FALSE;
      path_leave (ctx, mark_r);
    }
  path_leave (ctx, mark);

  if ((bias = member (ctx, obj, "bias", TRUE, &mark)) == NULL)
    return FALSE;
  if (!read_row (ctx, bias, n_out, NULL, out + (gsize)n_out * n_in))
    return FALSE;
  path_leave (ctx, mark);
  return TRUE;
}

/* Runs once the architecture is known and valid, so the expected shapes are sound. */
static gboolean
read_weights (Ctx *ctx, JsonObject *root, NnProject *p)
{
  gsize      mark;
  JsonNode  *node = member (ctx, root, "weights", FALSE, &mark);
  JsonArray *layers;
  guint      n_layers = p->arch.n_hidden + 1;
  double    *out;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type (ctx, _("an array with one {\"weight\", \"bias\"} per layer"), node);
  layers = json_node_get_array (node);
  if (json_array_get_length (layers) != n_layers)
    return fail (ctx, NN_ERROR_SHAPE,
                 _("expected %u layers (%u hidden and the output layer), found %u"), n_layers,
                 p->arch.n_hidden, json_array_get_length (layers));

  p->n_weights = count_params (&p->arch);
  p->weights = g_new (double, p->n_weights);
  out = p->weights;
  for (guint l = 0; l < n_layers; l++)
    {
      gsize mark_l = path_index (ctx, l);
      guint n_in, n_out;

      layer_shape (&p->arch, l, &n_in, &n_out);
      if (!read_weight_layer (ctx, json_array_get_element (layers, l), n_in, n_out, out))
        return FALSE;
      out += (gsize)n_out * n_in + n_out;
      path_leave (ctx, mark_l);
    }
  path_leave (ctx, mark);
  return TRUE;
}

/* format and version come first, so that a newer file is refused as newer rather than
 * for whatever its new structure looks like to this reader. */
static gboolean
read_header (Ctx *ctx, JsonObject *root)
{
  g_autofree char *format = NULL;
  gsize            mark;
  JsonNode        *node;
  gint64           version;

  if (!json_object_has_member (root, "format"))
    return fail (ctx, NN_ERROR_PARSE,
                 _("not a Neural Lab project (no \"format\": \"%s\")"), NN_PROJECT_FORMAT);
  if (!read_string (ctx, root, "format", TRUE, &format))
    return FALSE;
  if (strcmp (format, NN_PROJECT_FORMAT) != 0)
    {
      path_key (ctx, "format");
      return fail (ctx, NN_ERROR_PARSE,
                   _("\"%s\" is not a Neural Lab project (expected \"%s\")"),
                   format, NN_PROJECT_FORMAT);
    }
  if ((node = member (ctx, root, "version", TRUE, &mark)) == NULL)
    return FALSE;
  if (!holds (node, G_TYPE_INT64))
    {
      g_autofree char *the_version = g_strdup_printf (_("the whole number %d"), NN_PROJECT_VERSION);

      return fail_type (ctx, the_version, node);
    }
  version = json_node_get_int (node);
  if (version > NN_PROJECT_VERSION)
    return fail (ctx, NN_ERROR_UNSUPPORTED,
                 _("%lld is newer than this Neural "
                 "Lab reads (%d): update Neural Lab to open it"),
                 (long long) version, NN_PROJECT_VERSION);
  if (version != NN_PROJECT_VERSION)
    return fail (ctx, NN_ERROR_INVALID,
                 _("%lld is not a version of this "
                 "format (expected %d)"),
                 (long long) version, NN_PROJECT_VERSION);
  path_leave (ctx, mark);
  return TRUE;
}

static gboolean
read_project (Ctx *ctx, JsonObject *root, NnProject *p)
{
  if (!read_header (ctx, root))
    return FALSE;
  READ_NAME (ctx, root, "problem", TRUE, &problem_vocab, p->problem);
  return read_uint (ctx, root, "seed", FALSE, 0, G_MAXUINT32, &p->seed)
         && read_string (ctx, root, "title", FALSE, &p->title)
         && read_string (ctx, root, "description", FALSE, &p->description)
         && read_section (ctx, root, "dataset", TRUE, read_dataset, p)
         && read_features (ctx, root, p)
         && read_section (ctx, root, "network", TRUE, read_network, p) && read_loss (ctx, root, p)
         && read_section (ctx, root, "optimizer", FALSE, read_optimizer, p)
         && read_section (ctx, root, "training", FALSE, read_training, p);
}

/* ------------------------------------------------------------------------------------ */
/* Loading                                                                              */

/* "line L, column C" of a byte offset, columns counted in characters as json-glib does. */
static char *
describe_offset (const char *data, gsize offset)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }
  return g_strdup_printf (_("line %u, column %ld"), line,
                          g_utf8_pointer_to_offset (data + line_start, data + offset) + 1);
}

G_GNUC_PRINTF (4, 5)
static gboolean
fail_at (GError **error, const char *data, gsize offset, const char *format, ...)
{
  g_autofree char *where = describe_offset (data, offset);
  g_autofree char *problem = NULL;
  va_list          args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NN_ERROR, NN_ERROR_PARSE, "%s: %s", where, problem);
  return FALSE;
}

/* Where the quoted string or comment starting at data[i] ends (one past its last byte).
 * json-glib reads '…' strings raw and "…" strings with backslash escapes, and skips
 * comments; an unterminated one runs to the end, where the parser will complain. */
static gsize
skip_quoted (const char *data, gsize length, gsize i)
{
  if (data[i] == '/')
    {
      const char *end = g_strstr_len (data + i + 2, length - i - 2, "*/");
      return end != NULL ? (gsize)(end - data) + 2 : length;
    }
  for (gsize j = i + 1; j < length; j++)
    {
      if (data[j] == data[i])
        return j + 1;
      if (data[i] == '"' && data[j] == '\\')
        j++;
    }
  return length;
}

/* An integer literal json-glib would wrap silently (it keeps gint64 without a range
 * check): 99999999999999999999 reads as -1. Floats overflow to infinity, which the tree
 * walk refuses with the field's path. */
static gboolean
integer_overflows (const char *token, gsize len)
{
  g_autofree char *copy = g_strndup (token, len);
  const char      *digits = copy[0] == '-' ? copy + 1 : copy;
  gboolean         hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');

  if (!hex && strpbrk (copy, ".eE") != NULL)
    return FALSE;
  errno = 0;
  g_ascii_strtoll (copy, NULL, hex ? 16 : 10);
  return errno == ERANGE;
}

/* What json-glib 1.6 would mishandle, refused before it runs: binary data, nesting deep
 * enough to overflow its recursive parser's stack, and integers beyond gint64. */
static gboolean
check_text (const char *data, gsize length, GError **error)
{
  const char *bad = memchr (data, '\0', length);
  guint       depth = 0;

  if (bad != NULL)
    return fail_at (error, data, bad - data, _("binary data (a zero byte), not a JSON text"));
  if (!g_utf8_validate (data, length, &bad))
    return fail_at (error, data, bad - data, _("binary data (not UTF-8 text), not a JSON text"));

  for (gsize i = 0; i < length;)
    {
      char c = data[i];

      if (c == '"' || c == '\'' || (c == '/' && i + 1 < length && data[i + 1] == '*'))
        i = skip_quoted (data, length, i);
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize j = i + 1;

          while (j < length && (g_ascii_isalnum (data[j]) || strchr ("+-.", data[j]) != NULL))
            j++;
          if (integer_overflows (data + i, j - i))
            return fail_at (error, data, i, _("the number %.*s is too large"), (int)(j - i), data + i);
          i = j;
        }
      else
        {
          if ((c == '[' || c == '{') && ++depth > MAX_DEPTH)
            return fail_at (error, data, i, _("nested more than %d levels deep"), MAX_DEPTH);
          if ((c == ']' || c == '}') && depth > 0)
            depth--;
          i++;
        }
    }
  return TRUE;
}

/* json-glib says "<data>:3:8: Parse error: unexpected character `]', …"; we say
 * "line 3, column 8: not valid JSON (unexpected character `]', …)". */
static void
set_json_error (GError **error, const GError *json_error)
{
  const char *msg = json_error->message;
  unsigned    line, column;
  int         consumed = 0;

  if (sscanf (msg, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *detail = msg + consumed;

      if (g_str_has_prefix (detail, "Parse error: "))
        detail += strlen ("Parse error: ");
      if (g_str_has_prefix (detail, "scanner: "))
        detail += strlen ("scanner: ");
      g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("line %u, column %u: not valid JSON (%s)"), line,
                   column, detail);
    }
  else
    g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("not valid JSON (%s)"), msg);
}

static JsonObject *
parse_root (JsonParser *parser, const char *data, gsize length, GError **error)
{
  g_autoptr (GError) json_error = NULL;
  JsonNode *root;

  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("%zu bytes is too large for a project (at most %d MiB)"), (size_t) length,
                   MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!check_text (data, length, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      set_json_error (error, json_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, NN_ERROR, NN_ERROR_PARSE, _("the file is empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *found = describe (root);

      g_set_error (error, NN_ERROR, NN_ERROR_PARSE,
                   _("expected a JSON object at the top level, found %s"), found);
      return NULL;
    }
  return json_node_get_object (root);
}

static NnProject *
parse_project (const char *data, gsize length, const char *base_dir, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (NnProject) p = project_new_blank ();
  g_auto (Ctx) ctx = ctx_make (error);
  JsonObject *root;

  /* A byte-order mark is not JSON, but editors on some systems write one. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if ((root = parse_root (parser, data, length, error)) == NULL)
    return NULL;

  if (!read_project (&ctx, root, p))
    return NULL;
  nn_project_sync_shape (p);
  /* Weights are read against an architecture already known to be valid. */
  if (!validate_all (&ctx, p) || !read_weights (&ctx, root, p) || !validate_weights (&ctx, p))
    return NULL;
  p->base_dir = g_strdup (base_dir);
  return g_steal_pointer (&p);
}

NnProject *
nn_project_load_from_data (const char *data, gssize length, const char *name, const char *base_dir,
                           GError **error)
{
  g_autoptr (GError) local = NULL;
  NnProject *p;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);
  p = parse_project (data != NULL ? data : "", length, base_dir, &local);
  if (p == NULL && name != NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", name);
  else if (p == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return p;
}

static gboolean
read_project_file (const char *path, char **contents, gsize *length, GError **error)
{
  return nn_file_read_regular (path, MAX_FILE_SIZE,
                               _("%s: the file is too large for a project (at most %d MiB)"),
                               contents, length, error);
}

NnProject *
nn_project_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base_dir = NULL;
  gsize            length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_project_file (path, &contents, &length, error))
    return NULL;
  name = g_filename_display_basename (path);
  dir = g_path_get_dirname (path);
  base_dir = g_canonicalize_filename (dir, NULL);
  return nn_project_load_from_data (contents, length, name, base_dir, error);
}

/* ------------------------------------------------------------------------------------ */
/* Writing                                                                              */

/* Pretty JSON, two spaces a level. `first` is whether the innermost open container has no
 * member yet; after a nested container closes, its parent always has one. */
typedef struct
{
  GString *s;
  guint    depth;
  gboolean first;
} Writer;

static void
w_newline (Writer *w)
{
  g_string_append_c (w->s, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->s, "  ");
}

static void
w_begin (Writer *w, char open)
{
  g_string_append_c (w->s, open);
  w->depth++;
  w->first = TRUE;
}

static void
w_end (Writer *w, char close)
{
  w->depth--;
  if (!w->first)
    w_newline (w);
  g_string_append_c (w->s, close);
  w->first = FALSE;
}

/* Starts the next element of an array on its own line. */
static void
w_item (Writer *w)
{
  if (!w->first)
    g_string_append_c (w->s, ',');
  w->first = FALSE;
  w_newline (w);
}

static void
w_string (Writer *w, const char *str)
{
  g_autofree char *valid = g_utf8_make_valid (str, -1);

  g_string_append_c (w->s, '"');
  for (const char *c = valid; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"':
          g_string_append (w->s, "\\\"");
          break;
        case '\\':
          g_string_append (w->s, "\\\\");
          break;
        case '\n':
          g_string_append (w->s, "\\n");
          break;
        case '\r':
          g_string_append (w->s, "\\r");
          break;
        case '\t':
          g_string_append (w->s, "\\t");
          break;
        default:
          if ((guchar)*c < 0x20)
            g_string_append_printf (w->s, "\\u%04x", (guchar)*c);
          else
            g_string_append_c (w->s, *c);
        }
    }
  g_string_append_c (w->s, '"');
}

static void
w_key (Writer *w, const char *key)
{
  w_item (w);
  w_string (w, key);
  g_string_append (w->s, ": ");
}

/* JSON has no NaN or infinity. nn_project_save() refuses them beforehand; if
 * nn_project_to_data() is given one, "null" keeps the text JSON, and reading it back
 * names the very field. */
static void
w_double (Writer *w, double v)
{
  g_string_append (w->s, isfinite (v) ? num (v, (NumBuf){ 0 }) : "null");
}

static void
w_uint (Writer *w, guint v)
{
  g_string_append_printf (w->s, "%u", v);
}

static void
w_bool (Writer *w, gboolean v)
{
  g_string_append (w->s, v ? "true" : "false");
}

/* n numbers on one line: a point, a row of weights, a bias. */
static void
w_row (Writer *w, const double *v, gsize n)
{
  g_string_append_c (w->s, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (w->s, ", ");
      w_double (w, v[i]);
    }
  g_string_append_c (w->s, ']');
}

static void
w_points (Writer *w, const GArray *points)
{
  w_begin (w, '[');
  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      const NnPoint *pt = &g_array_index (points, NnPoint, i);
      const double   v[3] = { pt->x1, pt->x2, pt->y };

      w_item (w);
      w_row (w, v, 3);
    }
  w_end (w, ']');
}

static void
write_dataset (Writer *w, const NnDatasetSpec *d, const char *csv_path)
{
  w_begin (w, '{');
  w_key (w, "generator");
  w_string (w, nn_generator_to_string (d->generator));
  w_key (w, "classes");
  w_uint (w, d->classes);
  w_key (w, "count");
  /* For inline points the count is the lists' length, as loading sets it. */
  if (d->generator == NN_GENERATOR_POINTS)
    w_uint (w, (d->points != NULL ? d->points->len : 0)
                   + (d->test_points != NULL ? d->test_points->len : 0));
  else
    w_uint (w, d->count);
  w_key (w, "noise");
  w_double (w, d->noise);
  w_key (w, "train_ratio");
  w_double (w, d->train_ratio);
  if (d->generator == NN_GENERATOR_POINTS)
    {
      w_key (w, "points");
      w_points (w, d->points);
      w_key (w, "test_points");
      w_points (w, d->test_points);
    }
  if (d->generator == NN_GENERATOR_CSV)
    {
      w_key (w, "path");
      w_string (w, csv_path != NULL ? csv_path : "");
    }
  w_end (w, '}');
}

static void
write_features (Writer *w, guint mask)
{
  gboolean first = TRUE;

  g_string_append_c (w->s, '[');
  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (mask & nn_feature_nth (i))
      {
        if (!first)
          g_string_append (w->s, ", ");
        w_string (w, nn_feature_to_string (nn_feature_nth (i)));
        first = FALSE;
      }
  g_string_append_c (w->s, ']');
}

static void
write_network (Writer *w, const NnProject *p)
{
  w_begin (w, '{');
  w_key (w, "hidden");
  w_begin (w, '[');
  for (guint i = 0; i < p->arch.n_hidden; i++)
    {
      w_item (w);
      g_string_append_printf (w->s, "{ \"units\": %u, \"activation\": ", p->arch.units[i]);
      w_string (w, nn_activation_to_string (p->arch.activation[i]));
      /* The slope means something for Leaky ReLU only; elsewhere it would mislead. */
      if (p->arch.activation[i] == NN_ACTIVATION_LEAKY_RELU)
        {
          g_string_append (w->s, ", \"alpha\": ");
          w_double (w, p->arch.alpha[i]);
        }
      g_string_append (w->s, " }");
    }
  w_end (w, ']');
  w_key (w, "output_activation");
  w_string (w, nn_activation_to_string (p->arch.output_activation));
  w_key (w, "init");
  w_string (w, nn_init_to_string (p->init));
  w_end (w, '}');
}

static void
write_optimizer (Writer *w, const NnOptimizerConfig *cfg)
{
  w_begin (w, '{');
  w_key (w, "name");
  w_string (w, nn_optimizer_kind_to_string (cfg->kind));
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_rules); i++)
    {
      w_key (w, optimizer_rules[i].key);
      w_double (w, G_STRUCT_MEMBER (double, cfg, optimizer_rules[i].offset));
    }
  w_end (w, '}');
}

static void
write_training (Writer *w, const NnProject *p)
{
  w_begin (w, '{');
  w_key (w, "batch_size");
  w_uint (w, p->batch_size);
  w_key (w, "shuffle");
  w_bool (w, p->shuffle);
  w_key (w, "epochs");
  w_uint (w, p->epochs);
  w_key (w, "regularization");
  w_string (w, nn_regularization_to_string (p->regularization));
  w_key (w, "regularization_rate");
  w_double (w, p->regularization_rate);
  w_end (w, '}');
}

static void
write_weights (Writer *w, const NnProject *p)
{
  const double *v = p->weights;

  w_begin (w, '[');
  for (guint l = 0; l <= p->arch.n_hidden; l++)
    {
      guint n_in, n_out;

      layer_shape (&p->arch, l, &n_in, &n_out);
      w_item (w);
      w_begin (w, '{');
      w_key (w, "weight");
      w_begin (w, '[');
      for (guint r = 0; r < n_out; r++, v += n_in)
        {
          w_item (w);
          w_row (w, v, n_in);
        }
      w_end (w, ']');
      w_key (w, "bias");
      w_row (w, v, n_out);
      v += n_out;
      w_end (w, '}');
    }
  w_end (w, ']');
}

static char *
project_to_json (const NnProject *p, const char *csv_path, gsize *length)
{
  Writer w = { g_string_new (NULL), 0, TRUE };

  w_begin (&w, '{');
  w_key (&w, "format");
  w_string (&w, NN_PROJECT_FORMAT);
  w_key (&w, "version");
  w_uint (&w, NN_PROJECT_VERSION);
  if (p->title != NULL)
    {
      w_key (&w, "title");
      w_string (&w, p->title);
    }
  if (p->description != NULL)
    {
      w_key (&w, "description");
      w_string (&w, p->description);
    }
  w_key (&w, "seed");
  w_uint (&w, p->seed);
  w_key (&w, "problem");
  w_string (&w, nn_problem_to_string (p->problem));
  w_key (&w, "dataset");
  write_dataset (&w, &p->dataset, csv_path);
  w_key (&w, "features");
  write_features (&w, p->features);
  w_key (&w, "network");
  write_network (&w, p);
  w_key (&w, "loss");
  w_string (&w, nn_loss_to_string (p->loss));
  w_key (&w, "optimizer");
  write_optimizer (&w, &p->optimizer);
  w_key (&w, "training");
  write_training (&w, p);
  /* Only a shape that matches can be written as layers; validation refuses the rest. */
  if (p->weights != NULL && p->n_weights == count_params (&p->arch))
    {
      w_key (&w, "weights");
      write_weights (&w, p);
    }
  w_end (&w, '}');
  g_string_append_c (w.s, '\n');

  if (length != NULL)
    *length = w.s->len;
  return g_string_free (w.s, FALSE);
}

char *
nn_project_to_data (const NnProject *p, gsize *length)
{
  g_return_val_if_fail (p != NULL, NULL);

  return project_to_json (p, p->dataset.path, length);
}

/* The CSV path as the file at `target` must spell it: unchanged when the project stays in
 * its folder, relative when the CSV lies below the new folder, absolute otherwise. */
static char *
csv_path_for (const NnProject *p, const char *target)
{
  const char      *path = p->dataset.path;
  g_autofree char *dir = NULL, *target_dir = NULL, *base = NULL, *resolved = NULL;
  gsize            n;

  if (p->dataset.generator != NN_GENERATOR_CSV || path == NULL || g_path_is_absolute (path))
    return g_strdup (path);

  dir = g_path_get_dirname (target);
  target_dir = g_canonicalize_filename (dir, NULL);
  base = g_canonicalize_filename (p->base_dir != NULL ? p->base_dir : ".", NULL);
  if (strcmp (target_dir, base) == 0)
    return g_strdup (path);

  resolved = g_canonicalize_filename (path, base);
  n = strlen (target_dir);
  if (strcmp (target_dir, "/") == 0)
    return g_strdup (resolved + 1);
  if (strncmp (resolved, target_dir, n) == 0 && resolved[n] == G_DIR_SEPARATOR)
    return g_strdup (resolved + n + 1);
  return g_steal_pointer (&resolved);
}

gboolean
nn_project_save (const NnProject *p, const char *path, GError **error)
{
  g_autoptr (GError) invalid = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *data = NULL;
  gsize            length;

  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A file this program could not open again is not written at all. */
  if (!nn_project_validate (p, &invalid))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_propagate_prefixed_error (error, g_steal_pointer (&invalid), _("%s: not saved: "), name);
      return FALSE;
    }
  csv_path = csv_path_for (p, path);
  data = project_to_json (p, csv_path, &length);
  return nn_write_file_atomically (path, data, length, error);
}

static gboolean
write_all (int fd, const char *contents, gsize length)
{
  while (length > 0)
    {
      gssize n = write (fd, contents, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      contents += n;
      length -= n;
    }
  return TRUE;
}

/* Makes the rename itself durable; a failure here loses nothing, so it is not reported. */
static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int              fd = g_open (dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
nn_write_file_atomically (const char *path, const char *contents, gsize length, GError **error)
{
  /* Beside the target, not in /tmp: rename() is atomic only within one file system. */
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  struct stat      st;
  const char      *step;
  int              fd, saved;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* 0666 less the umask, as a plain new file would get; a file replaced keeps its mode. */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    return nn_file_fail_errno (error, path, _("could not create a temporary file beside it"),
                               errno);
  if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
    fchmod (fd, st.st_mode & 07777);

  step = _("could not write the file");
  if (write_all (fd, contents, length) && fsync (fd) == 0)
    {
      step = _("could not finish writing the file");
      if (close (fd) == 0)
        {
          fd = -1;
          step = _("could not replace the file");
          if (g_rename (tmp, path) == 0)
            {
              sync_folder (path);
              return TRUE;
            }
        }
    }
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return nn_file_fail_errno (error, path, step, saved);
}
