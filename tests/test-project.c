/* test-project.c: the .nlab file: round trips, the examples, malformed input, saving. */
#include "nn-dataset.h"
#include "nn-error.h"
#include "nn-project.h"
#include "test-utils.h"

#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Test JSON is written with ' for " to stay readable; this swaps them back. */
static char *
dq (const char *s)
{
  char *copy = g_strdup (s);

  g_strdelimit (copy, "'", '"');
  return copy;
}

static char *
examples_dir (void)
{
  return g_build_filename (TEST_DATA_DIR, "..", "..", "data", "examples", NULL);
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Names in a folder, sorted, so tests can check nothing was left behind. */
static char *
list_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, (gpointer)name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **)names->pdata);
}

/* ------------------------------------------------------------------------------------ */

static void
test_default_round_trip (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (NnProject) q = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;
  gsize            length;

  g_assert_true (nn_project_validate (p, &error));
  g_assert_no_error (error);

  first = nn_project_to_data (p, &length);
  g_assert_cmpuint (length, ==, strlen (first));
  q = nn_project_load_from_data (first, length, "default", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (q);
  second = nn_project_to_data (q, NULL);
  g_assert_cmpstr (first, ==, second);

  /* What the header promises: circle, x1 x2, [4, 2] tanh, Adam. */
  g_assert_cmpint (q->dataset.generator, ==, NN_GENERATOR_CIRCLE);
  g_assert_cmpuint (q->features, ==, NN_FEATURE_X1 | NN_FEATURE_X2);
  g_assert_cmpuint (q->arch.n_inputs, ==, 2);
  g_assert_cmpuint (q->arch.n_hidden, ==, 2);
  g_assert_cmpuint (q->arch.units[0], ==, 4);
  g_assert_cmpuint (q->arch.units[1], ==, 2);
  g_assert_cmpint (q->arch.activation[0], ==, NN_ACTIVATION_TANH);
  g_assert_cmpint (q->arch.output_activation, ==, NN_ACTIVATION_TANH);
  g_assert_cmpuint (q->arch.n_outputs, ==, 1);
  g_assert_cmpint (q->optimizer.kind, ==, NN_OPTIMIZER_ADAM);
  g_assert_cmpfloat (q->optimizer.learning_rate, ==, 0.03);
  g_assert_cmpuint (q->batch_size, ==, 10);
  g_assert_null (q->weights);
}

static void
test_default_matches_example (void)
{
  g_autofree char *dir = examples_dir ();
  g_autofree char *path = g_build_filename (dir, "default.nlab", NULL);
  g_autoptr (NnProject) example = NULL;
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL;

  example = nn_project_load (path, &error);
  g_assert_no_error (error);
  /* The example adds its lesson text; everything else is the engine's default. */
  g_assert_nonnull (example->title);
  g_clear_pointer (&example->title, g_free);
  g_clear_pointer (&example->description, g_free);
  a = nn_project_to_data (example, NULL);
  b = nn_project_to_data (p, NULL);
  g_assert_cmpstr (a, ==, b);
}

/* Doubles of every kind: random bit patterns, the extremes, a negative zero. */
static double
awkward_double (GRand *rand, guint i)
{
  static const double specials[] = {
    -0.0,
    0.0,
    5e-324,
    -5e-324,
    DBL_MIN,
    DBL_MAX,
    -DBL_MAX,
    0.1,
    1.0 / 3.0,
    0.03,
    1e-8,
    2.2250738585072009e-308,
    9007199254740993.0,
    123456789012345678.0,
    1e21,
    1e22,
  };

  if (i < G_N_ELEMENTS (specials))
    return specials[i];
  for (;;)
    {
      guint64 bits = ((guint64)g_rand_int (rand) << 32) | g_rand_int (rand);
      double  v;

      memcpy (&v, &bits, sizeof v);
      if (isfinite (v))
        return v;
    }
}

static GArray *
random_points (GRand *rand, guint n, guint classes)
{
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n);

  for (guint i = 0; i < n; i++)
    {
      NnPoint pt = {
        g_rand_double_range (rand, -6, 6),
        g_rand_double_range (rand, -6, 6),
        g_rand_int_range (rand, 0, classes),
      };
      g_array_append_val (points, pt);
    }
  return points;
}

/* A project with inline points and trained weights must come back bit for bit. */
static void
test_bit_exact_round_trip (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (NnProject) q = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GError) error = NULL;
  g_autofree char   *text = NULL, *again = NULL;
  g_autofree double *weights = NULL;
  gsize              n;

  p->seed = 4000000000u;
  p->dataset.generator = NN_GENERATOR_POINTS;
  p->dataset.classes = 3;
  p->dataset.points = random_points (rand, 200, 3);
  p->dataset.test_points = random_points (rand, 50, 3);
  p->features = NN_FEATURES_ALL;
  p->arch.n_hidden = 2;
  p->arch.units[0] = 64;
  p->arch.units[1] = 64;
  p->arch.activation[1] = NN_ACTIVATION_LEAKY_RELU;
  p->arch.alpha[1] = 0.2;
  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  p->loss = NN_LOSS_CROSS_ENTROPY;
  p->optimizer.learning_rate = 1.0 / 3.0;
  p->shuffle = FALSE;
  nn_project_sync_shape (p);
  n = (7 * 64 + 64) + (64 * 64 + 64) + (64 * 3 + 3);
  weights = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    weights[i] = awkward_double (rand, i);
  nn_project_set_weights (p, weights, n);
  g_assert_true (nn_project_validate (p, &error));
  g_assert_no_error (error);

  text = nn_project_to_data (p, NULL);
  q = nn_project_load_from_data (text, -1, "exact.nlab", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (q);

  g_assert_cmpuint (q->n_weights, ==, n);
  /* memcmp, not ==: a negative zero must keep its sign. */
  g_assert_cmpmem (q->weights, n * sizeof (double), weights, n * sizeof (double));
  for (gsize i = 0; i < n; i++)
    g_assert_true (q->weights[i] == weights[i]);
  g_assert_cmpmem (q->dataset.points->data, 200 * sizeof (NnPoint), p->dataset.points->data,
                   200 * sizeof (NnPoint));
  g_assert_cmpmem (q->dataset.test_points->data, 50 * sizeof (NnPoint),
                   p->dataset.test_points->data, 50 * sizeof (NnPoint));
  g_assert_true (q->optimizer.learning_rate == 1.0 / 3.0);
  g_assert_cmpfloat (q->arch.alpha[1], ==, 0.2);
  g_assert_cmpuint (q->seed, ==, 4000000000u);
  g_assert_false (q->shuffle);
  g_assert_cmpuint (q->arch.n_outputs, ==, 3);

  again = nn_project_to_data (q, NULL);
  g_assert_cmpstr (text, ==, again);
}

/* Numbers are written as a person would: 0.03, not 0.029999999999999999; and 1e-08, not
 * json-glib 1.6's unreadable "1e-08.0". */
static void
test_number_format (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autofree char *text = nn_project_to_data (p, NULL);

  g_assert_nonnull (strstr (text, "\"learning_rate\": 0.03,"));
  g_assert_nonnull (strstr (text, "\"epsilon\": 1e-08\n"));
  g_assert_nonnull (strstr (text, "\"beta2\": 0.999,"));
  g_assert_null (strstr (text, "99999"));
  g_assert_nonnull (strstr (text, "\"features\": [\"x1\", \"x2\"]"));
  g_assert_nonnull (strstr (text, "{ \"units\": 4, \"activation\": \"tanh\" }"));
}

static void
test_examples (void)
{
  static const char *const expected[] = {
    "default.nlab",    "xor.nlab",
    "spiral.nlab",     "softmax-three-classes.nlab",
    "regression.nlab", "learning-rate-too-high.nlab",
  };
  g_autofree char *dir = examples_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (NnProject) p = NULL;
      g_autoptr (GError) error = NULL;

      if (!g_str_has_suffix (name, ".nlab"))
        continue;
      g_test_message ("%s", name);
      p = nn_project_load (path, &error);
      g_assert_no_error (error);
      g_assert_true (nn_project_validate (p, &error));
      g_assert_no_error (error);
      n++;
    }
  g_assert_cmpuint (n, >=, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (dir, expected[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static NnProject *
load_example (const char *name)
{
  g_autofree char *dir = examples_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  NnProject *p = nn_project_load (path, &error);

  g_assert_no_error (error);
  return p;
}

/* Each example teaches what its name says. */
static void
test_examples_lessons (void)
{
  g_autoptr (NnProject) xor = load_example ("xor.nlab");
  g_autoptr (NnProject) softmax = load_example ("softmax-three-classes.nlab");
  g_autoptr (NnProject) regression = load_example ("regression.nlab");
  g_autoptr (NnProject) high = load_example ("learning-rate-too-high.nlab");
  g_autoptr (NnProject) spiral = load_example ("spiral.nlab");

  g_assert_cmpint (xor->dataset.generator, ==, NN_GENERATOR_XOR);
  g_assert_cmpuint (xor->arch.n_hidden, >=, 1);
  g_assert_cmpint (spiral->dataset.generator, ==, NN_GENERATOR_SPIRAL);
  g_assert_cmpuint (softmax->dataset.classes, ==, 3);
  g_assert_cmpint (softmax->arch.output_activation, ==, NN_ACTIVATION_SOFTMAX);
  g_assert_cmpint (softmax->loss, ==, NN_LOSS_CROSS_ENTROPY);
  g_assert_cmpuint (softmax->arch.n_outputs, ==, 3);
  g_assert_cmpint (regression->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpint (regression->arch.output_activation, ==, NN_ACTIVATION_IDENTITY);
  g_assert_cmpint (regression->loss, ==, NN_LOSS_MSE);
  g_assert_cmpfloat (high->optimizer.learning_rate, >=, 0.1);
}

/* Everything but the required keys may be left out; docs/file-format.md lists these. */
static void
test_defaults (void)
{
  g_autofree char *text = dq ("{'format': 'neural-lab', 'version': 1, 'problem': 'classification',"
                              " 'dataset': {'generator': 'circle'},"
                              " 'network': {'hidden': [{'units': 3}]}}");
  g_autofree char *regression_text = dq ("{'format': 'neural-lab', 'version': 1,"
                                         " 'problem': 'regression',"
                                         " 'dataset': {'generator': 'plane'},"
                                         " 'network': {'hidden': []}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) p = nn_project_load_from_data (text, -1, "min", NULL, &error);
  g_autoptr (NnProject) r = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (p->seed, ==, 1);
  g_assert_cmpuint (p->dataset.classes, ==, 2);
  g_assert_cmpuint (p->dataset.count, ==, 500);
  g_assert_cmpfloat (p->dataset.noise, ==, 0);
  g_assert_cmpfloat (p->dataset.train_ratio, ==, 0.5);
  g_assert_cmpuint (p->features, ==, NN_FEATURE_X1 | NN_FEATURE_X2);
  g_assert_cmpint (p->arch.activation[0], ==, NN_ACTIVATION_TANH);
  g_assert_cmpfloat (p->arch.alpha[0], ==, 0.01);
  g_assert_cmpint (p->arch.output_activation, ==, NN_ACTIVATION_TANH);
  g_assert_cmpint (p->init, ==, NN_INIT_XAVIER);
  g_assert_cmpint (p->loss, ==, NN_LOSS_MSE);
  g_assert_cmpint (p->optimizer.kind, ==, NN_OPTIMIZER_ADAM);
  g_assert_cmpfloat (p->optimizer.learning_rate, ==, 0.03);
  g_assert_cmpfloat (p->optimizer.momentum, ==, 0.9);
  g_assert_cmpfloat (p->optimizer.alpha, ==, 0.99);
  g_assert_cmpfloat (p->optimizer.beta1, ==, 0.9);
  g_assert_cmpfloat (p->optimizer.beta2, ==, 0.999);
  g_assert_cmpfloat (p->optimizer.epsilon, ==, 1e-8);
  g_assert_cmpuint (p->batch_size, ==, 10);
  g_assert_true (p->shuffle);
  g_assert_cmpuint (p->epochs, ==, 200);
  g_assert_cmpint (p->regularization, ==, NN_REGULARIZATION_NONE);
  g_assert_cmpfloat (p->regularization_rate, ==, 0);
  g_assert_null (p->weights);
  g_assert_null (p->base_dir);

  r = nn_project_load_from_data (regression_text, -1, "min", "/some/dir", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->arch.output_activation, ==, NN_ACTIVATION_IDENTITY);
  g_assert_cmpuint (r->arch.n_hidden, ==, 0);
  g_assert_cmpint (r->dataset.problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpstr (r->base_dir, ==, "/some/dir");
}

/* Keys this version does not know are a later version's business, not an error. */
static void
test_unknown_keys (void)
{
  g_autofree char *text = dq ("{'format': 'neural-lab', 'version': 1, 'problem': 'classification',"
                              " 'colour': 'blue', 'ui': {'zoom': [1, 2, {'x': null}]},"
                              " 'dataset': {'generator': 'circle', 'shape': 'round'},"
                              " 'network': {'hidden': [{'units': 3, 'dropout': 0.5}],"
                              "  'bias_init': 'zeros'},"
                              " 'training': {'early_stop': true},"
                              " 'title': 'T', 'description': 'a \\'quoted\\' lesson'}");
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) p = nn_project_load_from_data (text, -1, "future", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_cmpuint (p->arch.units[0], ==, 3);
}

static void
test_integral_numbers_and_bom (void)
{
  g_autofree char *text = dq ("\xEF\xBB\xBF{'format': 'neural-lab', 'version': 1,"
                              " 'problem': 'classification',"
                              " 'dataset': {'generator': 'circle', 'count': 300.0, 'noise': 1},"
                              " 'network': {'hidden': []},"
                              " 'weights': [{'weight': [[1, -2]], 'bias': [0]}]}");
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) p = nn_project_load_from_data (text, -1, "bom", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p->dataset.count, ==, 300);
  g_assert_cmpfloat (p->dataset.noise, ==, 1.0);
  g_assert_cmpuint (p->n_weights, ==, 3);
  g_assert_cmpfloat (p->weights[0], ==, 1.0);
  g_assert_cmpfloat (p->weights[1], ==, -2.0);
  g_assert_cmpfloat (p->weights[2], ==, 0.0);
}

/* ------------------------------------------------------------------------------------ */
/* Malformed input: each refused with the file name, the JSON path and the problem.     */

#define HEAD "{'format': 'neural-lab', 'version': 1, "
#define CLS HEAD "'problem': 'classification', "
#define CIRCLE CLS "'dataset': {'generator': 'circle'}, "
#define NET "'network': {'hidden': [{'units': 4}]}"
#define VALID CIRCLE NET
#define POINTS(list) CLS "'dataset': {'generator': 'points', 'points': " list "}, " NET "}"
#define W2 "'features': ['x1', 'x2'], 'network': {'hidden': [{'units': 4}]}, "

typedef struct
{
  const char *json;    /* ' stands for " */
  const char *message; /* expected after "bad.nlab: "; ' stands for " */
  int         code;    /* an NnError, or -1 when any will do */
  gboolean    exact;   /* the whole message, not just a part of it */
} Malformed;

static const Malformed malformed[] = {
  /* Not JSON, or not an object. */
  { "", "the file is empty", NN_ERROR_PARSE, TRUE },
  { "  \n\t ", "the file is empty", NN_ERROR_PARSE, TRUE },
  { "\xff\xfe{}", "line 1, column 1: binary data (not UTF-8 text)", NN_ERROR_PARSE, FALSE },
  { "{'format': 'neural-lab', 'version': 1,\n  'problem': ]}",
    "line 2, column 14: not valid JSON (unexpected character", NN_ERROR_PARSE, FALSE },
  { CLS "'dataset': {'generator': 'cir", "not valid JSON", NN_ERROR_PARSE, FALSE },
  { CLS, "not valid JSON", NN_ERROR_PARSE, FALSE },
  { VALID "} trailing", "line 1, column", NN_ERROR_PARSE, FALSE },
  { CLS "'seed': NaN, " NET "}", "not valid JSON", NN_ERROR_PARSE, FALSE },
  { "[1, 2, 3]", "expected a JSON object at the top level, found an array", NN_ERROR_PARSE, TRUE },
  { "'neural-lab'", "found the string 'neural-lab'", NN_ERROR_PARSE, FALSE },
  { "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "line 1, column 65: nested more than 64 levels deep", NN_ERROR_PARSE, TRUE },
  /* Header. */
  { "{}", "not a Neural Lab project", NN_ERROR_PARSE, FALSE },
  { "{'format': 'tensorflow', 'version': 1}",
    "format: 'tensorflow' is not a Neural Lab project (expected 'neural-lab')", NN_ERROR_PARSE,
    TRUE },
  { "{'format': 3}", "format: expected a string, found the number 3", -1, TRUE },
  { "{'format': 'neural-lab', 'problem': 'classification'}", "version: missing", -1, FALSE },
  { "{'format': 'neural-lab', 'version': 2, 'whatever': []}", "version: 2 is newer",
    NN_ERROR_UNSUPPORTED, FALSE },
  { "{'format': 'neural-lab', 'version': '1'}",
    "version: expected the whole number 1, "
    "found the string '1'",
    -1, TRUE },
  { "{'format': 'neural-lab', 'version': 0}", "version: 0 is not a version", -1, FALSE },
  { HEAD NET "}", "problem: missing", -1, FALSE },
  { HEAD "'problem': 'clustering'}",
    "problem: unknown problem 'clustering' (known: classification, regression)", NN_ERROR_INVALID,
    TRUE },
  { CLS "'seed': -1, " NET "}", "seed: -1 is out of range (0–4294967295)", -1, TRUE },
  { CLS "'seed': 4294967296, " NET "}", "seed: 4294967296 is out of range", -1, FALSE },
  { CLS "'seed': 99999999999999999999, " NET "}",
    "line 1, column 77: the number 99999999999999999999 is too large", NN_ERROR_PARSE, TRUE },
  { VALID ", 'title': 5}", "title: expected a string, found the number 5", -1, TRUE },
  /* Dataset. */
  { CLS NET "}", "dataset: missing", -1, FALSE },
  { CLS "'dataset': [], " NET "}", "dataset: expected an object, found an array", -1, TRUE },
  { CLS "'dataset': {}, " NET "}", "dataset.generator: missing", -1, FALSE },
  { CLS "'dataset': {'generator': 'spirall'}, " NET "}",
    "dataset.generator: unknown generator 'spirall' (known: circle, xor, gauss, spiral, "
    "moons, blobs, plane, multi_gauss, sine_ridge, points, csv)",
    NN_ERROR_INVALID, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'count': '500'}, " NET "}",
    "dataset.count: expected a number, found the string '500'", NN_ERROR_INVALID, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'count': true}, " NET "}",
    "dataset.count: expected a number, found true", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'count': 1}, " NET "}",
    "dataset.count: 1 is out of range (2–100000)", NN_ERROR_INVALID, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'count': 4.5}, " NET "}",
    "dataset.count: expected a whole number, found 4.5", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'count': 1e9}, " NET "}",
    "dataset.count: 1000000000 is out of range (2–100000)", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'noise': 1e400}, " NET "}",
    "dataset.noise: the number is too large", NN_ERROR_INVALID, FALSE },
  { CLS "'dataset': {'generator': 'circle', 'noise': -0.5}, " NET "}",
    "dataset.noise: -0.5 is out of range (0–1)", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'train_ratio': 1.5}, " NET "}",
    "dataset.train_ratio: 1.5 is out of range (0.1–1)", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'train_ratio': 0.05}, " NET "}",
    "dataset.train_ratio: 0.05 is out of range (0.1–1)", -1, TRUE },
  { CLS "'dataset': {'generator': 'blobs', 'classes': 9}, " NET "}",
    "dataset.classes: 9 is out of range (2–8)", -1, TRUE },
  { CLS "'dataset': {'generator': 'spiral', 'classes': 5}, "
        "'network': {'hidden': [], 'output_activation': 'softmax'}}",
    "dataset.classes: 5 is out of range (2–4 for spiral)", -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'classes': 3}, " NET "}",
    "dataset.classes: 3 classes, but 'circle' always makes 2", -1, TRUE },
  { CLS "'dataset': {'generator': 'spiral', 'classes': 3}, " NET "}",
    "dataset.classes: 3 classes need a softmax output (network.output_activation is 'tanh')",
    NN_ERROR_UNSUPPORTED, TRUE },
  { HEAD "'problem': 'regression', 'dataset': {'generator': 'circle'}, " NET "}",
    "dataset.generator: 'circle' makes classification data, but problem is 'regression'", -1,
    TRUE },
  { CLS "'dataset': {'generator': 'points'}, " NET "}", "dataset.points: missing", -1, FALSE },
  { POINTS ("[[1, 1, 0]]"), "dataset.points: at least 2 training points are needed, found 1", -1,
    TRUE },
  { POINTS ("[[1, 1, 0], [1, 2]]"), "dataset.points[1]: expected [x1, x2, y], found 2 values",
    NN_ERROR_SHAPE, TRUE },
  { POINTS ("[[7, 1, 0], [1, 2, 1]]"), "dataset.points[0][0]: 7 is outside the plane (-6 to 6)", -1,
    TRUE },
  { POINTS ("[[1, 1, 0], [1, 2, 2]]"),
    "dataset.points[1][2]: 2 is not a class label (a whole number 0–1)", -1, TRUE },
  { POINTS ("[[1, 1, 0.5], [1, 2, 1]]"), "dataset.points[0][2]: 0.5 is not a class label", -1,
    FALSE },
  { POINTS ("[[1, 'a', 0], [1, 2, 1]]"),
    "dataset.points[0][1]: expected a number, found the string 'a'", -1, TRUE },
  { POINTS ("{'x': 1}"),
    "dataset.points: expected an array of [x1, x2, y] points, found an "
    "object",
    -1, TRUE },
  { CLS "'dataset': {'generator': 'circle', 'points': []}, " NET "}",
    "dataset.points: only used with generator 'points', not 'circle'", -1, TRUE },
  { CLS "'dataset': {'generator': 'csv'}, " NET "}", "dataset.path: missing", -1, FALSE },
  { CLS "'dataset': {'generator': 'csv', 'path': 42}, " NET "}",
    "dataset.path: expected a string, found the number 42", -1, TRUE },
  /* Features. */
  { CIRCLE "'features': [], " NET "}", "features: at least one feature is needed", -1, TRUE },
  { CIRCLE "'features': ['x1', 'x3'], " NET "}", "features[1]: unknown feature 'x3'", -1, FALSE },
  { CIRCLE "'features': ['x1', 'x1'], " NET "}", "features[1]: 'x1' is listed twice", -1, TRUE },
  { CIRCLE "'features': 'x1,x2', " NET "}", "features: expected an array of feature names", -1,
    FALSE },
  /* Network. */
  { CIRCLE "'loss': 'mse'}", "network: missing", -1, FALSE },
  { CIRCLE "'network': {}}", "network.hidden: missing", -1, FALSE },
  { CIRCLE "'network': {'hidden': {'units': 4}}}",
    "network.hidden: expected an array of layers ([] for none), found an object", -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': 1}, {'units': 1}, {'units': 1}, {'units': 1}, "
           "{'units': 1}, {'units': 1}, {'units': 1}, {'units': 1}, {'units': 1}, {'units': 1}, "
           "{'units': 1}]}}",
    "network.hidden: 11 layers is out of range (0–10)", -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': 4}, {'units': 4}, {'units': 80}]}}",
    "network.hidden[2].units: 80 is out of range (1–64)", NN_ERROR_INVALID, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': 0}]}}",
    "network.hidden[0].units: 0 is out of range (1–64)", -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': -3}]}}",
    "network.hidden[0].units: -3 is out of range (1–64)", -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'activation': 'tanh'}]}}", "network.hidden[0].units: missing",
    -1, FALSE },
  { CIRCLE "'network': {'hidden': [4]}}", "network.hidden[0]: expected an object", -1, FALSE },
  { CIRCLE "'network': {'hidden': [{'units': 4, 'activation': 'rleu'}]}}",
    "network.hidden[0].activation: unknown activation 'rleu' (known: identity, relu, "
    "leaky_relu, sigmoid, tanh, softmax)",
    -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': 4, 'activation': 3}]}}",
    "network.hidden[0].activation: expected a string naming the activation, found the "
    "number 3",
    -1, TRUE },
  { CIRCLE "'network': {'hidden': [{'units': 4, 'activation': 'softmax'}]}}",
    "network.hidden[0].activation: softmax is an output activation", -1, FALSE },
  { CIRCLE "'network': {'hidden': [{'units': 4, 'activation': 'leaky_relu', 'alpha': 2}]}}",
    "network.hidden[0].alpha: 2 is out of range (0–1)", -1, TRUE },
  { CIRCLE "'network': {'hidden': [], 'output_activation': 'relu'}}",
    "network.output_activation: 'relu' is not an output activation", -1, FALSE },
  { HEAD "'problem': 'regression', 'dataset': {'generator': 'sine_ridge'}, "
         "'network': {'hidden': [], 'output_activation': 'softmax'}}",
    "network.output_activation: softmax is for classification", NN_ERROR_UNSUPPORTED, FALSE },
  { CIRCLE "'network': {'hidden': [], 'init': 'glorot'}}",
    "network.init: unknown initialisation 'glorot'", -1, FALSE },
  /* Loss, optimizer, training. */
  { VALID ", 'loss': 'hinge'}", "loss: unknown loss 'hinge' (known: mse, cross_entropy)", -1,
    TRUE },
  { VALID ", 'loss': 'cross_entropy'}", "loss: ", -1, FALSE },
  { HEAD "'problem': 'regression', 'dataset': {'generator': 'plane'}, " NET
         ", 'loss': 'cross_entropy'}",
    "loss: cross_entropy is for classification", -1, FALSE },
  { VALID ", 'optimizer': 'adam'}", "optimizer: expected an object, found the string 'adam'", -1,
    TRUE },
  { VALID ", 'optimizer': {'name': 'adamw'}}",
    "optimizer.name: unknown optimizer 'adamw' "
    "(known: gd, sgd, momentum, rmsprop, adam)",
    -1, TRUE },
  { VALID ", 'optimizer': {'learning_rate': 0}}",
    "optimizer.learning_rate: 0 is out of range (more than 0, at most 10)", -1, TRUE },
  { VALID ", 'optimizer': {'learning_rate': 'fast'}}",
    "optimizer.learning_rate: expected a number, found the string 'fast'", -1, TRUE },
  { VALID ", 'optimizer': {'momentum': 1}}",
    "optimizer.momentum: 1 is out of range (at least 0, less than 1)", -1, TRUE },
  { VALID ", 'optimizer': {'epsilon': -1e-8}}",
    "optimizer.epsilon: -1e-08 is out of range (more than 0, at most 1)", -1, TRUE },
  { VALID ", 'training': {'batch_size': 0}}", "training.batch_size: 0 is out of range (1–100000)",
    -1, TRUE },
  { VALID ", 'training': {'shuffle': 'yes'}}",
    "training.shuffle: expected true or false, found the string 'yes'", -1, TRUE },
  { VALID ", 'training': {'epochs': 0}}", "training.epochs: 0 is out of range (1–1000000)", -1,
    TRUE },
  { VALID ", 'training': {'regularization': 'l3'}}",
    "training.regularization: unknown regularization 'l3'", -1, FALSE },
  { VALID ", 'training': {'regularization_rate': -1}}",
    "training.regularization_rate: -1 is out of range (0–10)", -1, TRUE },
  /* Weights: one layer per hidden layer and the output, [out][in] and bias. */
  { CIRCLE W2 "'weights': {}}", "weights: expected an array", -1, FALSE },
  { CIRCLE W2 "'weights': [{'weight': [[1, 2]], 'bias': [0]}]}",
    "weights: expected 2 layers (1 hidden and the output layer), found 1", NN_ERROR_SHAPE, TRUE },
  { CIRCLE W2 "'weights': [{'weight': [[1, 2], [1, 2, 3], [1, 2], [1, 2]], 'bias': [0, 0, 0, 0]},"
              " {'weight': [[1, 2, 3, 4]], 'bias': [0]}]}",
    "weights[0].weight[1]: expected 2 values, found 3", NN_ERROR_SHAPE, TRUE },
  { CIRCLE W2 "'weights': [{'weight': [[1, 2], [1, 2], [1, 2], [1, 2]], 'bias': [0, 0, 0]},"
              " {'weight': [[1, 2, 3, 4]], 'bias': [0]}]}",
    "weights[0].bias: expected 4 values, found 3", NN_ERROR_SHAPE, TRUE },
  { CIRCLE W2 "'weights': [{'weight': [[1, 2], [1, 2], [1, 2], [1, 2]]},"
              " {'weight': [[1, 2, 3, 4]], 'bias': [0]}]}",
    "weights[0].bias: missing", -1, FALSE },
  { CIRCLE W2 "'weights': [{'weight': [[1, null], [1, 2], [1, 2], [1, 2]], 'bias': [0, 0, 0, 0]},"
              " {'weight': [[1, 2, 3, 4]], 'bias': [0]}]}",
    "weights[0].weight[0][1]: expected a number, found null", -1, TRUE },
  { CIRCLE W2 "'weights': [{'weight': [[1, 2], [1, 2], [1, 2], [1, 2]], 'bias': [0, 0, 0, 0]},"
              " {'weight': [[1, 2, 1e999, 4]], 'bias': [0]}]}",
    "weights[1].weight[0][2]: the number is too large", -1, FALSE },
  /* The example of the brief: 4 inputs, hidden [4, 8], and 7 rows where 8 belong. */
  { CIRCLE
    "'features': ['x1', 'x2', 'x1^2', 'x2^2'], "
    "'network': {'hidden': [{'units': 4}, {'units': 8}]}, 'weights': ["
    "{'weight': [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], 'bias': [0, 0, 0, 0]},"
    "{'weight': [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], "
    "[1, 1, 1, 1], [1, 1, 1, 1]], 'bias': [0, 0, 0, 0, 0, 0, 0, 0]},"
    "{'weight': [[1, 1, 1, 1, 1, 1, 1, 1]], 'bias': [0]}]}",
    "weights[1].weight: expected 8 rows of 4, found 7 rows", NN_ERROR_SHAPE, TRUE },
};

static void
check_refused (const char *text, gssize length, const Malformed *m)
{
  g_autofree char *message = dq (m->message);
  g_autofree char *full = g_strconcat ("bad.nlab: ", message, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *head = g_strndup (text, MIN (length < 0 ? strlen (text) : (gsize)length, 120));
  g_autofree char *shown = g_strescape (head, NULL);
  g_autoptr (NnProject) p = nn_project_load_from_data (text, length, "bad.nlab", NULL, &error);

  g_test_message ("input: %s", shown);
  g_assert_null (p);
  g_assert_nonnull (error);
  g_assert_true (error->domain == NN_ERROR);
  if (m->code >= 0)
    g_assert_cmpint (error->code, ==, m->code);
  g_assert_true (g_str_has_prefix (error->message, "bad.nlab: "));
  if (m->exact)
    g_assert_cmpstr (error->message, ==, full);
  else if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message);
  /* One line, as the command line prints it. */
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_malformed (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (malformed), >=, 25);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *text = dq (malformed[i].json);

      check_refused (text, -1, &malformed[i]);
    }
}

/* Inputs no text editor makes: zero bytes, a gigantic nesting, a length that cuts a
 * valid file short. */
static void
test_malformed_binary (void)
{
  static const char      png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  static const Malformed binary
      = { NULL, "line 3, column 1: binary data (a zero byte)", NN_ERROR_PARSE, FALSE };
  static const Malformed deep = { NULL, "nested more than 64 levels deep", NN_ERROR_PARSE, FALSE };
  static const Malformed cut = { NULL, "not valid JSON", NN_ERROR_PARSE, FALSE };
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autofree char *valid = nn_project_to_data (p, NULL);
  g_autofree char *nested = g_strnfill (1000000, '[');

  check_refused (png, sizeof png - 1, &binary);
  check_refused (nested, -1, &deep);
  /* Every prefix of a valid file, cut at a few places, is refused, never half-loaded. */
  for (gsize len = 1; len < strlen (valid); len += 37)
    check_refused (valid, len, &cut);
}

/* The fixtures in tests/data/project, read through nn_project_load. */
static void
test_malformed_files (void)
{
  static const struct
  {
    const char *file;
    const char *message;
  } cases[] = {
    { "empty.nlab", "empty.nlab: the file is empty" },
    { "truncated.nlab", "truncated.nlab: line 24, column 16: not valid JSON" },
    { "binary.nlab", "binary.nlab: line 1, column 8: binary data (a zero byte)" },
    { "not-an-object.nlab", "not-an-object.nlab: expected a JSON object at the top level" },
    { "newer-version.nlab", "newer-version.nlab: version: 7 is newer" },
    { "weights-shape.nlab",
      "weights-shape.nlab: weights[1].weight: expected 8 rows of 4, found 7 rows" },
    { "units-out-of-range.nlab",
      "units-out-of-range.nlab: network.hidden[2].units: 80 is out of range (1–64)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (TEST_DATA_DIR, "project", cases[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (NnProject) p = nn_project_load (path, &error);

      g_assert_null (p);
      g_assert_error (error, NN_ERROR, error->code);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("“%s” does not start with “%s”", error->message, cases[i].message);
    }
}

static void
test_load_io_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) p = nn_project_load ("/nonexistent/folder/x.nlab", &error);

  g_assert_null (p);
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/folder/x.nlab: "));
  g_clear_error (&error);

  p = nn_project_load (TEST_DATA_DIR, &error);
  g_assert_null (p);
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
}

/* ------------------------------------------------------------------------------------ */

static void
test_validate_in_memory (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  double weights[25] = { 0 };

  p->arch.units[1] = 80;
  g_assert_false (nn_project_validate (p, &error));
  /* The same words as for a file, without a file name. */
  g_assert_cmpstr (error->message, ==, "network.hidden[1].units: 80 is out of range (1–64)");
  g_clear_error (&error);
  p->arch.units[1] = 2;

  weights[20] = NAN;
  nn_project_set_weights (p, weights, 25);
  g_assert_false (nn_project_validate (p, &error));
  g_assert_true (g_str_has_prefix (error->message, "weights[1].bias[0]: "));
  g_clear_error (&error);
  {
    /* Written anyway, the text stays JSON and reading it back names the field. */
    g_autofree char *text = nn_project_to_data (p, NULL);
    g_autoptr (NnProject) back = nn_project_load_from_data (text, -1, "nan.nlab", NULL, &error);

    g_assert_null (back);
    g_assert_cmpstr (error->message, ==,
                     "nan.nlab: weights[1].bias[0]: expected a number, found null");
    g_clear_error (&error);
  }

  weights[20] = 0;
  weights[23] = INFINITY;
  nn_project_set_weights (p, weights, 25);
  g_assert_false (nn_project_validate (p, &error));
  g_assert_true (g_str_has_prefix (error->message, "weights[2].weight[0][1]: "));
  g_clear_error (&error);

  nn_project_set_weights (p, weights, 3);
  g_assert_false (nn_project_validate (p, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==, "weights: expected 25 values for this network, found 3");
  g_clear_error (&error);

  weights[23] = 0;
  nn_project_set_weights (p, weights, 25);
  g_assert_true (nn_project_validate (p, &error));

  /* A feature added without nn_project_sync_shape() leaves the shape stale. */
  p->features |= NN_FEATURE_SIN_X1;
  g_assert_false (nn_project_validate (p, &error));
  g_assert_nonnull (strstr (error->message, "nn_project_sync_shape"));
  g_clear_error (&error);

  p->features = 0;
  g_assert_false (nn_project_validate (p, &error));
  g_assert_cmpstr (error->message, ==, "features: at least one feature is needed");
}

static void
test_output_units (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();

  g_assert_cmpuint (nn_project_output_units (p), ==, 1);
  p->dataset.generator = NN_GENERATOR_BLOBS;
  p->dataset.classes = 5;
  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  g_assert_cmpuint (nn_project_output_units (p), ==, 5);
  p->dataset.classes = 2;
  g_assert_cmpuint (nn_project_output_units (p), ==, 2);
  p->arch.output_activation = NN_ACTIVATION_SIGMOID;
  g_assert_cmpuint (nn_project_output_units (p), ==, 1);
  p->problem = NN_PROBLEM_REGRESSION;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  g_assert_cmpuint (nn_project_output_units (p), ==, 1);

  p->features = NN_FEATURE_X1 | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X2;
  nn_project_sync_shape (p);
  g_assert_cmpuint (p->arch.n_inputs, ==, 3);
  g_assert_cmpuint (p->arch.n_outputs, ==, 1);
}

static void
test_copy (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (NnProject) copy = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autofree char *before = NULL, *after = NULL, *copied = NULL;
  double           weights[25];

  for (guint i = 0; i < 25; i++)
    weights[i] = i * 0.5;
  p->dataset.generator = NN_GENERATOR_POINTS;
  p->dataset.points = random_points (rand, 10, 2);
  p->dataset.count = 10;
  p->base_dir = g_strdup ("/base");
  nn_project_set_weights (p, weights, 25);
  weights[0] = 99; /* the project keeps its own copy */
  g_assert_cmpfloat (p->weights[0], ==, 0);

  before = nn_project_to_data (p, NULL);
  copy = nn_project_copy (p);
  copied = nn_project_to_data (copy, NULL);
  g_assert_cmpstr (before, ==, copied);
  g_assert_cmpstr (copy->base_dir, ==, "/base");

  /* Changing the copy leaves the original as it was. */
  copy->weights[1] = -7;
  g_array_index (copy->dataset.points, NnPoint, 0).x1 = 5.5;
  copy->base_dir[1] = 'X';
  after = nn_project_to_data (p, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (p->base_dir, ==, "/base");

  nn_project_set_weights (p, NULL, 0);
  g_assert_null (p->weights);
  g_assert_cmpuint (p->n_weights, ==, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Saving                                                                               */

static void
test_save_atomic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nlab-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "project.nlab", NULL);
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (NnProject) q = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = nn_project_to_data (p, NULL);
  g_autofree char *written = NULL, *listing = NULL;
  struct stat      st;

  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  p->seed = 77;
  g_free (expected);
  expected = nn_project_to_data (p, NULL);

  g_assert_true (nn_project_save (p, path, &error));
  g_assert_no_error (error);
  written = read_text (path);
  g_assert_cmpstr (written, ==, expected);
  /* The file replaced keeps its permissions; no temporary file is left behind. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "project.nlab");

  q = nn_project_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (q->seed, ==, 77);
  g_assert_cmpstr (q->base_dir, ==, dir);

  test_remove_tree (dir);
}

/* Every way a save can fail leaves the old file as it was and no temporary file. */
static void
test_save_failures (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nlab-fail-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.nlab", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "folder", "x.nlab", NULL);
  g_autofree char *under_file = g_build_filename (dir, "keep.nlab", "x.nlab", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.nlab", NULL);
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  g_autofree char *listing = NULL, *contents = NULL;

  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);

  g_assert_false (nn_project_save (p, missing, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  g_assert_false (nn_project_save (p, under_file, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_clear_error (&error);

  /* The temporary file is made, then rename() fails: it must be removed. */
  g_assert_false (nn_project_save (p, folder, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "folder.nlab: could not replace the file"));
  g_clear_error (&error);

  /* A project that could not be opened again is not written. */
  p->arch.units[0] = 0;
  g_assert_false (nn_project_save (p, path, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not saved: network.hidden[0].units"));
  g_clear_error (&error);
  p->arch.units[0] = 4;

  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "folder.nlab keep.nlab");
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "old contents");

  /* A read-only folder; root writes anyway, so only where permissions hold. */
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  if (access (dir, W_OK) == 0)
    g_test_message ("running as root: the read-only folder case is not checked");
  else
    {
      g_autofree char *after = NULL, *listing2 = NULL;

      g_assert_false (nn_project_save (p, path, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_IO);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_clear_error (&error);
      after = read_text (path);
      g_assert_cmpstr (after, ==, "old contents");
      listing2 = list_dir (dir);
      g_assert_cmpstr (listing2, ==, "folder.nlab keep.nlab");
    }
  g_chmod (dir, 0755);
  test_remove_tree (dir);
}

static void
test_write_atomically_bytes (void)
{
  g_autofree char  *dir = g_dir_make_tmp ("nlab-bytes-XXXXXX", NULL);
  g_autofree char  *path = g_build_filename (dir, "blob", NULL);
  static const char bytes[] = "a\0b\nc";
  g_autofree char  *back = NULL;
  gsize             length;
  g_autoptr (GError) error = NULL;

  g_assert_true (nn_write_file_atomically (path, bytes, sizeof bytes, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &back, &length, NULL));
  g_assert_cmpmem (back, length, bytes, sizeof bytes);

  g_assert_true (nn_write_file_atomically (path, "", 0, &error));
  g_free (back);
  g_assert_true (g_file_get_contents (path, &back, &length, NULL));
  g_assert_cmpuint (length, ==, 0);
  test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* CSV datasets: the path is relative to the project file's folder.                     */

static const char csv_project[]
    = "{'format': 'neural-lab', 'version': 1, 'problem': 'classification',"
      " 'dataset': {'generator': 'csv', 'classes': 2, 'path': 'data.csv'},"
      " 'network': {'hidden': [{'units': 2}]}}";

static char *
saved_csv_path (const char *project_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) p = nn_project_load (project_path, &error);

  g_assert_no_error (error);
  return g_strdup (p->dataset.path);
}

static void
test_csv_relative (void)
{
  g_autofree char *root = g_dir_make_tmp ("nlab-csv-XXXXXX", NULL);
  g_autofree char *other = g_dir_make_tmp ("nlab-other-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (root, "sub", NULL);
  g_autofree char *csv = g_build_filename (sub, "data.csv", NULL);
  g_autofree char *project = g_build_filename (sub, "p.nlab", NULL);
  g_autofree char *text = dq (csv_project);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *same = g_build_filename (sub, "same.nlab", NULL);
  g_autofree char *above = g_build_filename (root, "above.nlab", NULL);
  g_autofree char *elsewhere = g_build_filename (other, "elsewhere.nlab", NULL);
  g_autofree char *same_path = NULL, *above_path = NULL, *elsewhere_path = NULL;
  g_autoptr (NnProject) p = NULL;
  g_autoptr (NnProject) moved = NULL;
  g_autoptr (NnDataset) data = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (csv,
                                      "x1,x2,label\n1,1,0\n-1,-1,1\n2,2,0\n-2,-2,1\n"
                                      "3,1,0\n-3,-1,1\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (project, text, -1, NULL));

  /* Loaded by a relative name from another folder, where data.csv does not exist. */
  g_assert_cmpint (g_chdir (root), ==, 0);
  p = nn_project_load ("sub/p.nlab", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->base_dir, ==, sub);
  g_assert_cmpstr (p->dataset.path, ==, "data.csv");
  data = nn_dataset_new_from_spec (&p->dataset, p->seed, p->base_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  /* Saved beside it, the path stays as written; elsewhere it still finds the file. */
  g_assert_true (nn_project_save (p, same, &error));
  g_assert_true (nn_project_save (p, above, &error));
  g_assert_true (nn_project_save (p, elsewhere, &error));
  g_assert_no_error (error);
  same_path = saved_csv_path (same);
  above_path = saved_csv_path (above);
  elsewhere_path = saved_csv_path (elsewhere);
  g_assert_cmpstr (same_path, ==, "data.csv");
  g_assert_cmpstr (above_path, ==, "sub" G_DIR_SEPARATOR_S "data.csv");
  g_assert_cmpstr (elsewhere_path, ==, csv);
  /* In memory, the project is unchanged by where it was saved. */
  g_assert_cmpstr (p->dataset.path, ==, "data.csv");

  moved = nn_project_load (above, &error);
  g_assert_no_error (error);
  g_clear_pointer (&data, nn_dataset_free);
  data = nn_dataset_new_from_spec (&moved->dataset, moved->seed, moved->base_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);

  test_remove_tree (root);
  test_remove_tree (other);
}

static void
test_lesson_text_round_trip (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (NnProject) q = NULL, copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;

  p->title = g_strdup ("XOR needs a hidden layer");
  p->description = g_strdup ("Remove the hidden layer: \"no line\" separates the quadrants.\n");
  data = nn_project_to_data (p, NULL);
  q = nn_project_load_from_data (data, -1, "lesson", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (q->title, ==, p->title);
  g_assert_cmpstr (q->description, ==, p->description);
  copy = nn_project_copy (q);
  g_assert_cmpstr (copy->title, ==, p->title);
  g_assert_true (copy->title != q->title);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project/default/round-trip", test_default_round_trip);
  g_test_add_func ("/project/lesson-text", test_lesson_text_round_trip);
  g_test_add_func ("/project/default/matches-example", test_default_matches_example);
  g_test_add_func ("/project/round-trip/bit-exact", test_bit_exact_round_trip);
  g_test_add_func ("/project/round-trip/number-format", test_number_format);
  g_test_add_func ("/project/examples/load", test_examples);
  g_test_add_func ("/project/examples/lessons", test_examples_lessons);
  g_test_add_func ("/project/load/defaults", test_defaults);
  g_test_add_func ("/project/load/unknown-keys", test_unknown_keys);
  g_test_add_func ("/project/load/integral-numbers-and-bom", test_integral_numbers_and_bom);
  g_test_add_func ("/project/load/malformed", test_malformed);
  g_test_add_func ("/project/load/malformed-binary", test_malformed_binary);
  g_test_add_func ("/project/load/malformed-files", test_malformed_files);
  g_test_add_func ("/project/load/io-errors", test_load_io_errors);
  g_test_add_func ("/project/validate", test_validate_in_memory);
  g_test_add_func ("/project/output-units", test_output_units);
  g_test_add_func ("/project/copy", test_copy);
  g_test_add_func ("/project/save/atomic", test_save_atomic);
  g_test_add_func ("/project/save/failures", test_save_failures);
  g_test_add_func ("/project/save/bytes", test_write_atomically_bytes);
  g_test_add_func ("/project/csv/relative-path", test_csv_relative);

  return g_test_run ();
}
