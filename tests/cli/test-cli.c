/* test-cli.c: neural-lab-cli as a user runs it — exit statuses, messages and files.
 *
 * The executable comes from $NL_CLI (set by meson). Every test works in its own temporary
 * folder; files the CLI writes are read back with the engine's own loader.
 */
#include <string.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "nn-project.h"

typedef struct
{
  char *dir;
  int   status; /* exit status of the last run, or -1 when it did not exit normally */
  char *out;
  char *err;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->out);
  g_free (f->err);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Runs the CLI with the NULL-terminated arguments, in the fixture's folder. A crash (a
 * signal) leaves status -1, which no test accepts. */
static int
run_cli (Fixture *f, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *cli = g_getenv ("NL_CLI");
  int wait_status = 0;
  va_list args;
  const char *arg;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, f);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &f->out,
                &f->err, &wait_status, &error);
  g_assert_no_error (error);
  f->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return f->status;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* A refusal: exit status 1 and exactly one line "neural-lab-cli: …" on stderr. */
static void
assert_refused (Fixture *f, const char *expected_fragment)
{
  if (f->status != 1 || count_lines (f->err) != 1
      || !g_str_has_prefix (f->err, "neural-lab-cli: "))
    g_error ("expected a one-line refusal, got status %d, stderr “%s”", f->status, f->err);
  if (expected_fragment != NULL && strstr (f->err, expected_fragment) == NULL)
    g_error ("expected “%s” in the message “%s”", expected_fragment, f->err);
}

static void
write_text (Fixture *f, const char *name, const char *text)
{
  g_autofree char *path = path_in (f, name);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
read_text (Fixture *f, const char *name)
{
  g_autofree char *path = path_in (f, name);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
exists (Fixture *f, const char *name)
{
  g_autofree char *path = path_in (f, name);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static NnProject *
load (Fixture *f, const char *name)
{
  g_autofree char *path = path_in (f, name);
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
make_spiral (Fixture *f, const char *name)
{
  g_autofree char *path = path_in (f, name);

  g_assert_cmpint (run_cli (f, "new", "-o", path, "--dataset", "spiral", "--classes", "3",
                            "--count", "120", "--hidden", "8,8", "--seed", "7", NULL),
                   ==, 0);
}

static void
test_help (Fixture *f, gconstpointer data)
{
  const char *commands[] = { "train", "predict", "new" };
  const char *options[] = { "--epochs", "--input", "--hidden" };

  g_assert_cmpint (run_cli (f, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (f->out, commands[i]));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_assert_cmpint (run_cli (f, commands[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (f->out, options[i]));
    }

  g_assert_cmpint (run_cli (f, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, PACKAGE_VERSION));
}

static void
test_new_defaults (Fixture *f, gconstpointer data)
{
  g_autoptr (NnProject) spiral = NULL;
  g_autoptr (NnProject) plane = NULL;
  g_autofree char *plane_path = path_in (f, "plane.nlab");

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

  g_assert_cmpint (run_cli (f, "new", "-o", plane_path, "--dataset", "plane",
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
test_new_defaults_train (Fixture *f, gconstpointer data)
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

      g_assert_cmpint (run_cli (f, "new", "-o", "p.nlab", "--force", "--dataset",
                                cases[i].dataset, "--classes", cases[i].classes, NULL), ==, 0);
      g_assert_cmpint (run_cli (f, "train", "p.nlab", NULL), ==, 0);
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
  g_assert_cmpuint (count_lines (csv), ==, epochs + 2); /* header + epoch 0 + epochs */
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
assert_weights_json (Fixture *f, const char *name, const NnProject *p)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = path_in (f, name);
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
test_train_save (Fixture *f, gconstpointer data)
{
  g_autoptr (NnProject) saved = NULL;
  g_autofree char *history = NULL, *again = NULL;
  g_autofree char *trained_loss = NULL, *reloaded_loss = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "5", "--save", "out.nlab",
                            "--history", "history.csv", "--export-weights", "weights.json",
                            NULL), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  assert_summary_line (f->out, 5);

  saved = load (f, "out.nlab");
  g_assert_nonnull (saved->weights);
  g_assert_cmpuint (saved->n_weights, ==, expected_params (saved));
  history = read_text (f, "history.csv");
  assert_history (history, 5);
  assert_weights_json (f, "weights.json", saved);

  /* The saved weights are exactly the trained ones: evaluating them untrained gives the
   * last epoch's loss to the last digit. */
  g_assert_cmpint (run_cli (f, "train", "out.nlab", "--epochs", "0", "--quiet", "--history",
                            "again.csv", NULL), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  again = read_text (f, "again.csv");
  trained_loss = history_loss (history, 5);
  reloaded_loss = history_loss (again, 0);
  g_assert_cmpstr (trained_loss, ==, reloaded_loss);
}

/* --export-weights writes JSON, or the format the file's extension names. */
static void
test_export_formats (Fixture *f, gconstpointer data)
{
  g_autofree char *path = path_in (f, "weights.npz");
  g_autofree char *npz = NULL;
  g_autofree char *json = NULL;
  gsize length = 0;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "1", "--quiet",
                            "--export-weights", "weights.npz", NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &npz, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpmem (npz, 4, "PK\x03\x04", 4); /* a zip archive, as NumPy's .npz is */

  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "1", "--quiet",
                            "--export-weights", "weights.txt", NULL), ==, 0);
  json = read_text (f, "weights.txt");
  g_assert_nonnull (strstr (json, "\"format\": \"neural-lab-weights\""));
}

static void
test_train_deterministic (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--save",
                            "a.nlab", NULL), ==, 0);
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--save",
                            "b.nlab", NULL), ==, 0);
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "3", "--quiet", "--seed",
                            "8", "--save", "c.nlab", NULL), ==, 0);
  a = read_text (f, "a.nlab");
  b = read_text (f, "b.nlab");
  c = read_text (f, "c.nlab");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_predict (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *to_stdout = NULL;
  g_auto (GStrv) lines = NULL;

  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "2", "--quiet", "--save",
                            "out.nlab", NULL), ==, 0);
  write_text (f, "points.csv", "x1,x2\n0,0\n1.5,-2\n\n-6,6\r\n5.5, 0.25\n");
  g_assert_cmpint (run_cli (f, "predict", "out.nlab", "--input", "points.csv", "--output",
                            "pred.csv", NULL), ==, 0);
  csv = read_text (f, "pred.csv");
  g_assert_cmpuint (count_lines (csv), ==, 5);
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
  g_assert_cmpint (run_cli (f, "predict", "out.nlab", "--input", "points.csv", NULL), ==, 0);
  to_stdout = g_strdup (f->out);
  g_assert_cmpstr (to_stdout, ==, csv);
}

/* A bad command line is refused with one line and leaves no output file. */
static void
assert_refused_without_output (Fixture *f, const char *fragment, const char *output)
{
  assert_refused (f, fragment);
  if (output != NULL && exists (f, output))
    g_error ("a refused run left %s behind", output);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  make_spiral (f, "spiral.nlab");

  run_cli (f, "train", "missing.nlab", "--save", "o.nlab", NULL);
  assert_refused_without_output (f, "missing.nlab", "o.nlab");

  write_text (f, "malformed.nlab", "{\"format\": \"neural-lab\", \"version\": 1, \"seed\": ");
  run_cli (f, "train", "malformed.nlab", "--save", "o.nlab", NULL);
  assert_refused_without_output (f, "malformed.nlab", "o.nlab");

  write_text (f, "junk.nlab", "\x7f" "ELF\x01\x02\x03 binary junk");
  run_cli (f, "train", "junk.nlab", "--history", "h.csv", NULL);
  assert_refused_without_output (f, "junk.nlab", "h.csv");

  run_cli (f, "train", "spiral.nlab", "--epochs", "-1", "--save", "o.nlab", NULL);
  assert_refused_without_output (f, "--epochs", "o.nlab");
  run_cli (f, "train", "spiral.nlab", "--epochs", "ten", "--history", "h.csv", NULL);
  assert_refused_without_output (f, "--epochs", "h.csv");
  run_cli (f, "train", "spiral.nlab", "--seed", "1.5", "--save", "o.nlab", NULL);
  assert_refused_without_output (f, "--seed", "o.nlab");
  run_cli (f, "train", "spiral.nlab", "--save", "no-such-folder/o.nlab", NULL);
  assert_refused_without_output (f, "no-such-folder", NULL);
  run_cli (f, "train", "spiral.nlab", "--bogus", NULL);
  assert_refused (f, "--bogus");
  run_cli (f, "train", NULL);
  assert_refused (f, "PROJECT.nlab");
  run_cli (f, "train", "spiral.nlab", "extra.nlab", NULL);
  assert_refused (f, "extra.nlab");
  run_cli (f, "frobnicate", NULL);
  assert_refused (f, "frobnicate");
  /* A message quoting a file name with a line break in it is still one line. */
  run_cli (f, "train", "two\nlines.nlab", NULL);
  assert_refused (f, "lines.nlab");
}

static void
test_bad_new (Fixture *f, gconstpointer data)
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
      run_cli (f, "new", "-o", "o.nlab", cases[i][0], cases[i][1], NULL);
      assert_refused_without_output (f, cases[i][2], "o.nlab");
    }

  run_cli (f, "new", NULL);
  assert_refused (f, "-o");
  /* Combinations only the engine's validation knows are refused too. */
  run_cli (f, "new", "-o", "o.nlab", "--dataset", "circle", "--classes", "3", NULL);
  assert_refused_without_output (f, NULL, "o.nlab");
  run_cli (f, "new", "-o", "o.nlab", "--output-activation", "tanh", "--loss", "cross_entropy",
           NULL);
  assert_refused_without_output (f, NULL, "o.nlab");
}

static void
test_new_keeps_existing (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (NnProject) replaced = NULL;

  make_spiral (f, "spiral.nlab");
  before = read_text (f, "spiral.nlab");
  run_cli (f, "new", "-o", "spiral.nlab", "--dataset", "xor", NULL);
  assert_refused (f, "--force");
  after = read_text (f, "spiral.nlab");
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (run_cli (f, "new", "-o", "spiral.nlab", "--dataset", "xor", "--force", NULL),
                   ==, 0);
  replaced = load (f, "spiral.nlab");
  g_assert_cmpint (replaced->dataset.generator, ==, NN_GENERATOR_XOR);
}

/* A hand-written project whose second hidden layer has `units` units. */
static void
write_project_with_units (Fixture *f, const char *name, const char *units)
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

  write_text (f, name, text);
}

/* A project the loader must refuse, naming the file and the JSON path of the bad field. */
static void
test_bad_project_field (Fixture *f, gconstpointer data)
{
  const char *bad_units[] = { "0", "65", "-3", "\"four\"", "2.5" };

  /* The same file with a good value trains, so the refusals below are about the field. */
  write_project_with_units (f, "good.nlab", "2");
  g_assert_cmpint (run_cli (f, "train", "good.nlab", "--quiet", NULL), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad_units); i++)
    {
      write_project_with_units (f, "bad.nlab", bad_units[i]);
      run_cli (f, "train", "bad.nlab", "--save", "o.nlab", NULL);
      assert_refused_without_output (f, "network.hidden[1].units", "o.nlab");
      g_assert_nonnull (strstr (f->err, "bad.nlab"));
    }
}

static void
test_bad_predict (Fixture *f, gconstpointer data)
{
  make_spiral (f, "spiral.nlab");
  g_assert_cmpint (run_cli (f, "train", "spiral.nlab", "--epochs", "1", "--quiet", "--save",
                            "out.nlab", NULL), ==, 0);
  write_text (f, "points.csv", "0,0\n1,1\n");
  write_text (f, "ragged.csv", "0,0\n1,1\n2\n");
  write_text (f, "words.csv", "x1,x2\n0,0\n1,one\n");
  write_text (f, "empty.csv", "x1,x2\n");
  write_text (f, "wide.csv", "1,2,3,4\n5,6,7,8\n");

  run_cli (f, "predict", "spiral.nlab", "--input", "points.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "no trained weights", "o.csv");
  run_cli (f, "predict", "out.nlab", "--input", "missing.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "missing.csv", "o.csv");
  run_cli (f, "predict", "out.nlab", "--input", "ragged.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "ragged.csv:3", "o.csv");
  run_cli (f, "predict", "out.nlab", "--input", "words.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "words.csv:3", "o.csv");
  run_cli (f, "predict", "out.nlab", "--input", "wide.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "wide.csv:1", "o.csv");
  run_cli (f, "predict", "out.nlab", "--input", "empty.csv", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "empty.csv", "o.csv");
  run_cli (f, "predict", "out.nlab", "--output", "o.csv", NULL);
  assert_refused_without_output (f, "--input", "o.csv");
}

/* A learning rate far too high: exit 1 with the epoch and the learning rate in words. */
static void
test_diverged (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (run_cli (f, "new", "-o", "hot.nlab", "--dataset", "plane", "--activation",
                            "relu", "--hidden", "16,16", "--optimizer", "sgd", "--learning-rate",
                            "10", NULL), ==, 0);
  run_cli (f, "train", "hot.nlab", "--epochs", "100", "--save", "o.nlab", NULL);
  assert_refused_without_output (f, "diverged at epoch", "o.nlab");
  g_assert_nonnull (strstr (f->err, "learning rate 10 "));
  g_assert_nonnull (strstr (f->err, "(SGD)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
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
