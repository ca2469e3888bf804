/* test-cli.c: neural-lab-cli as a user runs it — exit statuses, messages and files.
 *
 * The executable comes from $NL_CLI (set by meson). Every test works in its own temporary
 * folder; files the CLI writes are read back with the engine's own loader.
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "nn-project.h"
#include "cli-test-utils.h"

static NnProject *
load (CliFixture *f, const char *name)
{
  g_autofree char *path = cli_path (f, name);
  g_autoptr (GError) error = NULL;
  NnProject *p = nn_project_load (path, &error);

  g_assert_no_error (error);
  return p;
}

/* Parameters of a dense network: (inputs + 1) × units per layer. */
static gsize
expected_params (const NnProject *p)
{
  gsize n = 0, in = p->arch.n_inputs;

  for (guint l = 0; l < p->arch.n_hidden; l++)
    {
      n += (in + 1) * p->arch.units[l];
      in = p->arch.units[l];
    }
  return n + (in + 1) * p->arch.n_outputs;
}

/* A small spiral project that trains in well under a second. */
static void
make_spiral (CliFixture *f, const char *name)
{
  g_autofree char *path = cli_path (f, name);

  g_assert_cmpint (cli_run (f, "new", "-o", path, "--dataset", "spiral", "--classes", "3",
                            "--count", "120", "--hidden", "8,8", "--seed", "7", NULL),
                   ==, 0);
}

static void
test_help (CliFixture *f, gconstpointer data)
{
  const char *commands[] = { "train", "predict", "new" };
  const char *options[] = { "--epochs", "--input", "--hidden" };

  g_assert_cmpint (cli_run (f, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (f->out, commands[i]));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_assert_cmpint (cli_run (f, commands[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (f->out, options[i]));
    }

  g_assert_cmpint (cli_run (f, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, PACKAGE_VERSION));
}

static void
test_new_defaults (CliFixture *f, gconstpointer data)
{
  g_autoptr (NnProject) spiral = NULL;
  g_autoptr (NnProject) plane = NULL;
  g_autofree char *plane_path = cli_path (f, "plane.nlab");

  make_spiral (f, "spiral.nlab");
  g_assert_cmpstr (f->out, ==, "");
  spiral = load (f, "spiral.nlab");
  g_assert_cmpint (spiral->dataset.generator, ==, NN_GENERATOR_SPIRAL);
  g_assert_cmpuint (spiral->dataset.classes, ==, 3);
  g_assert_cmpuint (spiral->arch.n_hidden, ==, 2);
  g_assert_cmpuint (spiral->arch.units[1], ==, 8);
  g_assert_cmpint (spiral->arch.output_activation, ==, NN_ACTIVATION_SOFTMAX);
  g_assert_cmpuint (spiral->arch.n_outputs, ==, 3);
  g_assert_cmpint (spiral->loss, ==, NN_LOSS_CROSS_ENTROPY);
  g_assert_null (spiral->weights);

  g_assert_cmpint (cli_run (f, "new", "-o", plane_path, "--dataset", "plane",
                            "--features", "x1,x2,sin(x1)", NULL), ==, 0);
  plane = load (f, "plane.nlab");
  g_assert_cmpint (plane->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpint (plane->arch.output_activation, ==, NN_ACTIVATION_IDENTITY);
  g_assert_cmpint (plane->loss, ==, NN_LOSS_MSE);
  g_assert_cmpuint (plane->features, ==, NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X1);
  g_assert_cmpuint (plane->arch.n_inputs, ==, 3);
}

/* The value after `key` in a summary line such as "epoch 200  train_loss 0.0123 …". */
static double
summary_value (const char *line, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("  %s ", key);
  const char *p = strstr (line, needle);

  g_assert_nonnull (p);
  return g_ascii_strtod (p + strlen (needle), NULL);
}

/* Whatever `new` is not told, it picks so that the project learns in its default epochs. */
static void
test_new_defaults_train (CliFixture *f, gconstpointer data)
{
  static const struct
  {
    const char *dataset, *classes;
    const char *key;
    double      bound; /* accuracy at least, or loss at most */
  } cases[] = {
    { "spiral", "2", "test_acc", 0.95 },
    { "spiral", "3", "test_acc", 0.9 },
    { "blobs", "8", "test_acc", 0.95 },
    { "xor", "2", "test_acc", 0.95 },
    { "sine_ridge", "2", "test_loss", 0.1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v;

      g_assert_cmpint (cli_run (f, "new", "-o", "p.nlab", "--force", "--dataset",
                                cases[i].dataset, "--classes", cases[i].classes, NULL), ==, 0);
      g_assert_cmpint (cli_run (f, "train", "p.nlab", NULL), ==, 0);
      v = summary_value (f->out, cases[i].key);
      if (g_str_has_suffix (cases[i].key, "acc") ? v < cases[i].bound : v > cases[i].bound)
        g_error ("%s with %s classes did not learn: %s", cases[i].dataset, cases[i].classes,
                 f->out);
    }
}

/* The last line's shape, with test figures and accuracies for a classification project. */
static void
assert_summary_line (const char *out, guint epoch)
{
  g_autofree char *pattern = g_strdup_printf (
    "^epoch %u  train_loss [0-9]+\\.[0-9]{4}  test_loss [0-9]+\\.[0-9]{4}  "
    "train_acc [01]\\.[0-9]{3}  test_acc [01]\\.[0-9]{3}\n$", epoch);

  if (!g_regex_match_simple (pattern, out, 0, 0))
    g_error ("unexpected summary “%s”", out);
}

static void
assert_history (const char *csv, guint epochs)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);

  g_assert_cmpstr (lines[0], ==, "epoch,train_loss,test_loss,train_acc,test_acc");
  g_assert_cmpuint (cli_count_lines (csv), ==, epochs + 2); /* header + epoch 0 + epochs */
  for (guint i = 1; i <= epochs + 1; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      g_assert_cmpuint (g_ascii_strtoull (fields[0], NULL, 10), ==, i - 1);
      g_assert_cmpfloat (g_ascii_strtod (fields[1], NULL), >, 0);
    }
}

/* The weights JSON: one layer per hidden layer plus the output, [out][in] matrices. */
static void
assert_weights_json (CliFixture *f, const char *name, const NnProject *p)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = cli_path (f, name);
  g_autoptr (GError) error = NULL;
  JsonObject *root;
  JsonArray *layers;
  guint in = p->arch.n_inputs;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "neural-lab-weights");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "features")),
                    ==, p->arch.n_inputs);
  layers = json_object_get_array_member (root, "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, p->arch.n_hidden + 1);
  for (guint l = 0; l <= p->arch.n_hidden; l++)
    {
      JsonObject *layer = json_array_get_object_element (layers, l);
      JsonArray *weight = json_object_get_array_member (layer, "weight");
      guint units = l < p->arch.n_hidden ? p->arch.units[l] : p->arch.n_outputs;

      g_assert_cmpuint (json_array_get_length (weight), ==, units);
      g_assert_cmpuint (json_array_get_length (json_array_get_array_element (weight, 0)), ==,
                        in);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (layer, "bias")),
                        ==, units);
      in = units;
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (layers, p->arch.n_hidden), "activation"),
                   ==, "softmax");
}

/* The train_loss column of row `row` of a history file, as written. */
static char *
history_loss (const char *csv, guint row)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto (GStrv) fields = g_strsplit (lines[row + 1], ",", -1);

  return g_strdup (fields[1]);
}

static void
test_train_save (CliFixture *f, gconstpointer data)
{
  g_autoptr (NnProject) saved = NULL;
  g_autofree char *history = NULL, *again = NULL;
  g_autofree char *trained_loss = NULL, *reloaded_loss = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "5", "--save", "out.nlab",
                            "--history", "history.csv", "--export-weights", "weights.json",
                            NULL), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  assert_summary_line (f->out, 5);

  saved = load (f, "out.nlab");
  g_assert_nonnull (saved->weights);
  g_assert_cmpuint (saved->n_weights, ==, expected_params (saved));
  history = cli_read (f, "history.csv", NULL);
  assert_history (history, 5);
  assert_weights_json (f, "weights.json", saved);

  /* The saved weights are exactly the trained ones: evaluating them untrained gives the
   * last epoch's loss to the last digit. */
  g_assert_cmpint (cli_run (f, "train", "out.nlab", "--epochs", "0", "--quiet", "--history",
                            "again.csv", NULL), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  again = cli_read (f, "again.csv", NULL);
  trained_loss = history_loss (history, 5);
  reloaded_loss = history_loss (again, 0);
  g_assert_cmpstr (trained_loss, ==, reloaded_loss);
}

/* --export-weights writes JSON, or the format the file's extension names. */
static void
test_export_formats (CliFixture *f, gconstpointer data)
{
  g_autofree char *path = cli_path (f, "weights.npz");
  g_autofree char *npz = NULL;
  g_autofree char *json = NULL;
  gsize length = 0;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "1", "--quiet",
                            "--export-weights", "weights.npz", NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &npz, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpmem (npz, 4, "PK\x03\x04", 4); /* a zip archive, as NumPy's .npz is */

  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "1", "--quiet",
                            "--export-weights", "weights.txt", NULL), ==, 0);
  json = cli_read (f, "weights.txt", NULL);
  g_assert_nonnull (strstr (json, "\"format\": \"neural-lab-weights\""));
}

static void
test_train_deterministic (CliFixture *f, gconstpointer data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--save",
                            "a.nlab", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--save",
                            "b.nlab", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--seed",
                            "8", "--save", "c.nlab", NULL), ==, 0);
  a = cli_read (f, "a.nlab", NULL);
  b = cli_read (f, "b.nlab", NULL);
  c = cli_read (f, "c.nlab", NULL);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_predict (CliFixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *to_stdout = NULL;
  g_auto (GStrv) lines = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "2", "--quiet", "--save",
                            "out.nlab", NULL), ==, 0);
  cli_write (f, "points.csv", "x1,x2\n0,0\n1.5,-2\n\n-6,6\r\n5.5, 0.25\n", -1);
  g_assert_cmpint (cli_run (f, "predict", "out.nlab", "--input", "points.csv", "--output",
                            "pred.csv", NULL), ==, 0);
  csv = cli_read (f, "pred.csv", NULL);
  g_assert_cmpuint (cli_count_lines (csv), ==, 5);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "x1,x2,output_0,output_1,output_2");
  g_assert_true (g_str_has_prefix (lines[2], "1.5,-2,"));
  for (guint i = 1; i <= 4; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      double sum = 0;

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      for (guint k = 2; k < 5; k++)
        sum += g_ascii_strtod (fields[k], NULL);
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12); /* softmax probabilities */
    }

  /* Without --output the same table goes to the standard output. */
  g_assert_cmpint (cli_run (f, "predict", "out.nlab", "--input", "points.csv", NULL), ==, 0);
  to_stdout = g_strdup (f->out);
  g_assert_cmpstr (to_stdout, ==, csv);
}

static void
test_bad_input (CliFixture *f, gconstpointer data)
{
  make_spiral (f, "spiral.nlab");

  cli_run (f, "train", "missing.nlab", "--save", "o.nlab", NULL);
  cli_assert_refused_without (f, "missing.nlab", "o.nlab");

  cli_write (f, "malformed.nlab", "{\"format\": \"neural-lab\", \"version\": 1, \"seed\": ", -1);
  cli_run (f, "train", "malformed.nlab", "--save", "o.nlab", NULL);
  cli_assert_refused_without (f, "malformed.nlab", "o.nlab");

  cli_write (f, "junk.nlab", "\x7f" "ELF\x01\x02\x03 binary junk", -1);
  cli_run (f, "train", "junk.nlab", "--history", "h.csv", NULL);
  cli_assert_refused_without (f, "junk.nlab", "h.csv");

  cli_run (f, "train", "spiral.nlab", "--epochs", "-1", "--save", "o.nlab", NULL);
  cli_assert_refused_without (f, "--epochs", "o.nlab");
  cli_run (f, "train", "spiral.nlab", "--epochs", "ten", "--history", "h.csv", NULL);
  cli_assert_refused_without (f, "--epochs", "h.csv");
  cli_run (f, "train", "spiral.nlab", "--seed", "1.5", "--save", "o.nlab", NULL);
  cli_assert_refused_without (f, "--seed", "o.nlab");
  cli_run (f, "train", "spiral.nlab", "--save", "no-such-folder/o.nlab", NULL);
  cli_assert_refused_without (f, "no-such-folder", NULL);
  cli_run (f, "train", "spiral.nlab", "--bogus", NULL);
  cli_assert_refused (f, "--bogus");
  cli_run (f, "train", NULL);
  cli_assert_refused (f, "PROJECT.nlab");
  cli_run (f, "train", "spiral.nlab", "extra.nlab", NULL);
  cli_assert_refused (f, "extra.nlab");
  cli_run (f, "frobnicate", NULL);
  cli_assert_refused (f, "frobnicate");
  /* A message quoting a file name with a line break in it is still one line. */
  cli_run (f, "train", "two\nlines.nlab", NULL);
  cli_assert_refused (f, "lines.nlab");
}

static void
test_bad_new (CliFixture *f, gconstpointer data)
{
  static const char *const cases[][3] = {
    /* option, value, fragment the message must name */
    { "--hidden", "0", "--hidden" },
    { "--hidden", "8,0,8", "layer 2" },
    { "--hidden", "8,65", "--hidden" },
    { "--hidden", "1,1,1,1,1,1,1,1,1,1,1", "--hidden" },
    { "--activation", "sigmoidal", "sigmoidal" },
    { "--output-activation", "relu6", "relu6" },
    { "--output-activation", "relu", "--output-activation" },
    { "--activation", "softmax", "--activation" },
    { "--loss", "hinge", "hinge" },
    { "--optimizer", "lbfgs", "lbfgs" },
    { "--learning-rate", "-0.1", "--learning-rate" },
    { "--learning-rate", "nan", "--learning-rate" },
    { "--batch-size", "0", "--batch-size" },
    { "--classes", "9", "--classes" },
    { "--noise", "2", "--noise" },
    { "--dataset", "mnist", "mnist" },
    { "--features", "x1,x3", "x3" },
    { "--count", "1", "--count" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cli_run (f, "new", "-o", "o.nlab", cases[i][0], cases[i][1], NULL);
      cli_assert_refused_without (f, cases[i][2], "o.nlab");
    }

  cli_run (f, "new", NULL);
  cli_assert_refused (f, "-o");
  /* Combinations only the engine's validation knows are refused too. */
  cli_run (f, "new", "-o", "o.nlab", "--dataset", "circle", "--classes", "3", NULL);
  cli_assert_refused_without (f, NULL, "o.nlab");
  cli_run (f, "new", "-o", "o.nlab", "--output-activation", "tanh", "--loss", "cross_entropy",
           NULL);
  cli_assert_refused_without (f, NULL, "o.nlab");
}

static void
test_new_keeps_existing (CliFixture *f, gconstpointer data)
{
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (NnProject) replaced = NULL;

  make_spiral (f, "spiral.nlab");
  before = cli_read (f, "spiral.nlab", NULL);
  cli_run (f, "new", "-o", "spiral.nlab", "--dataset", "xor", NULL);
  cli_assert_refused (f, "--force");
  after = cli_read (f, "spiral.nlab", NULL);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (cli_run (f, "new", "-o", "spiral.nlab", "--dataset", "xor", "--force", NULL),
                   ==, 0);
  replaced = load (f, "spiral.nlab");
  g_assert_cmpint (replaced->dataset.generator, ==, NN_GENERATOR_XOR);
}

/* A hand-written project whose second hidden layer has `units` units. */
static void
write_project_with_units (CliFixture *f, const char *name, const char *units)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"neural-lab\", \"version\": 1, \"seed\": 1,\n"
    " \"problem\": \"classification\",\n"
    " \"dataset\": {\"generator\": \"circle\", \"count\": 100, \"train_ratio\": 0.5},\n"
    " \"features\": [\"x1\", \"x2\"],\n"
    " \"network\": {\"hidden\": [{\"units\": 4, \"activation\": \"tanh\"},\n"
    "                         {\"units\": %s, \"activation\": \"tanh\"}],\n"
    "             \"output_activation\": \"tanh\"},\n"
    " \"loss\": \"mse\",\n"
    " \"optimizer\": {\"name\": \"sgd\", \"learning_rate\": 0.03},\n"
    " \"training\": {\"batch_size\": 10, \"epochs\": 2}}\n",
    units);

  cli_write (f, name, text, -1);
}

/* A project the loader must refuse, naming the file and the JSON path of the bad field. */
static void
test_bad_project_field (CliFixture *f, gconstpointer data)
{
  const char *bad_units[] = { "0", "65", "-3", "\"four\"", "2.5" };

  /* The same file with a good value trains, so the refusals below are about the field. */
  write_project_with_units (f, "good.nlab", "2");
  g_assert_cmpint (cli_run (f, "train", "good.nlab", "--quiet", NULL), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad_units); i++)
    {
      write_project_with_units (f, "bad.nlab", bad_units[i]);
      cli_run (f, "train", "bad.nlab", "--save", "o.nlab", NULL);
      cli_assert_refused_without (f, "network.hidden[1].units", "o.nlab");
      g_assert_nonnull (strstr (f->err, "bad.nlab"));
    }
}

static void
test_bad_predict (CliFixture *f, gconstpointer data)
{
  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (cli_run (f, "train", "spiral.nlab", "--epochs", "1", "--quiet", "--save",
                            "out.nlab", NULL), ==, 0);
  cli_write (f, "points.csv", "0,0\n1,1\n", -1);
  cli_write (f, "ragged.csv", "0,0\n1,1\n2\n", -1);
  cli_write (f, "words.csv", "x1,x2\n0,0\n1,one\n", -1);
  cli_write (f, "empty.csv", "x1,x2\n", -1);
  cli_write (f, "wide.csv", "1,2,3,4\n5,6,7,8\n", -1);

  cli_run (f, "predict", "spiral.nlab", "--input", "points.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "no trained weights", "o.csv");
  cli_run (f, "predict", "out.nlab", "--input", "missing.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "missing.csv", "o.csv");
  cli_run (f, "predict", "out.nlab", "--input", "ragged.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "ragged.csv:3", "o.csv");
  cli_run (f, "predict", "out.nlab", "--input", "words.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "words.csv:3", "o.csv");
  cli_run (f, "predict", "out.nlab", "--input", "wide.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "wide.csv:1", "o.csv");
  cli_run (f, "predict", "out.nlab", "--input", "empty.csv", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "empty.csv", "o.csv");
  cli_run (f, "predict", "out.nlab", "--output", "o.csv", NULL);
  cli_assert_refused_without (f, "--input", "o.csv");
}

/* A learning rate far too high: exit 1 with the epoch and the learning rate in words. */
static void
test_diverged (CliFixture *f, gconstpointer data)
{
  g_assert_cmpint (cli_run (f, "new", "-o", "hot.nlab", "--dataset", "plane", "--activation",
                            "relu", "--hidden", "16,16", "--optimizer", "sgd", "--learning-rate",
                            "10", NULL), ==, 0);
  cli_run (f, "train", "hot.nlab", "--epochs", "100", "--save", "o.nlab", NULL);
  cli_assert_refused_without (f, "diverged at epoch", "o.nlab");
  g_assert_nonnull (strstr (f->err, "learning rate 10 "));
  g_assert_nonnull (strstr (f->err, "(SGD)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, CliFixture, NULL, cli_fixture_set_up, func, cli_fixture_tear_down)
  ADD ("/cli/help", test_help);
  ADD ("/cli/new/defaults", test_new_defaults);
  ADD ("/cli/new/defaults-train", test_new_defaults_train);
  ADD ("/cli/new/keeps-existing", test_new_keeps_existing);
  ADD ("/cli/new/bad-options", test_bad_new);
  ADD ("/cli/train/save-history-weights", test_train_save);
  ADD ("/cli/train/export-formats", test_export_formats);
  ADD ("/cli/train/deterministic", test_train_deterministic);
  ADD ("/cli/train/bad-input", test_bad_input);
  ADD ("/cli/train/bad-project-field", test_bad_project_field);
  ADD ("/cli/train/diverged", test_diverged);
  ADD ("/cli/predict/outputs", test_predict);
  ADD ("/cli/predict/bad-input", test_bad_predict);
#undef ADD

  return g_test_run ();
}
