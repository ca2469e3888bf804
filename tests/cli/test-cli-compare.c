/* test-cli-compare.c: `neural-lab-cli compare` as a user runs it — the table it prints, the
 * lessons of the presets, the trajectories CSV, the network's own loss through a plane,
 * the learning-rate sweep, and one-line refusals of bad input.
 *
 * Where a figure can be checked against the engine (the surfaces' minima, the presets'
 * steps, the help's name tables), the test asks the engine rather than repeating numbers.
 */
#include <math.h>
#include <string.h>
#include <glib.h>

#include "cli-test-utils.h"
#include "nn-race.h"
#include "nn-surface.h"

#define DEFAULT_PROJECT EXAMPLES_DIR "/default.nlab"

typedef struct
{
  guint  rows;
  double x, y, loss; /* the last row */
} CsvRun;

static double
number (const char *text)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0')
    g_error ("“%s” is not a number", text);
  return v;
}

/* The trajectories CSV per optimizer: its row count and last point. Checks the header and
 * that every optimizer's steps count 0, 1, 2… without a gap. */
static GHashTable *
read_trajectories (CliFixture *f, const char *name)
{
  g_autofree char *csv = cli_read (f, name, NULL);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  GHashTable *runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_cmpstr (lines[0], ==, "optimizer,step,x,y,loss");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      CsvRun *run;

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      run = g_hash_table_lookup (runs, fields[0]);
      if (run == NULL)
        {
          run = g_new0 (CsvRun, 1);
          g_hash_table_insert (runs, g_strdup (fields[0]), run);
        }
      g_assert_cmpfloat (number (fields[1]), ==, run->rows);
      run->rows++;
      run->x = number (fields[2]);
      run->y = number (fields[3]);
      run->loss = number (fields[4]);
    }
  return runs;
}

static CsvRun *
trajectory (GHashTable *runs, const char *label)
{
  CsvRun *run = g_hash_table_lookup (runs, label);

  if (run == NULL)
    g_error ("no trajectory for %s in the CSV", label);
  return run;
}

static GPtrArray *
race_table (CliFixture *f)
{
  GPtrArray *table = cli_table_parse (f->out, "optimizer learning_rate steps");

  if (table == NULL)
    g_error ("no table in “%s”", f->out);
  return table;
}

static double
cell_number (GPtrArray *table, const char *label, const char *column)
{
  return number (cli_table_cell (table, cli_table_find_row (table, label), column));
}

/* The known minimum of `kind` of a textbook surface (the first one when there are more). */
static NnCriticalPoint
minimum_of (NnSurfaceKind surface_kind, NnCriticalKind kind)
{
  g_autoptr (NnSurface) surface = nn_surface_new (surface_kind);
  guint n;
  const NnCriticalPoint *points = nn_surface_get_critical_points (surface, &n);

  for (guint i = 0; i < n; i++)
    if (points[i].kind == kind)
      return points[i];
  g_error ("the surface has no minimum of that kind");
  return points[0];
}

static void
test_rosenbrock_table (CliFixture *f, gconstpointer data)
{
  const char *labels[] = { "gd", "momentum", "adam" };
  g_autoptr (GPtrArray) table = NULL;

  g_assert_cmpint (cli_run (f, "compare", "--surface", "rosenbrock", "--optimizers",
                            "gd,momentum,adam", "--steps", "500", NULL), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  g_assert_true (g_str_has_prefix (f->out, "rosenbrock from (-1.5, 2), 500 steps"));
  table = race_table (f);
  g_assert_cmpuint (table->len, ==, 1 + G_N_ELEMENTS (labels));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_assert_cmpstr (cli_table_cell (table, i + 1, "optimizer"), ==, labels[i]);
      g_assert_cmpstr (cli_table_cell (table, i + 1, "steps"), ==, "500");
      g_assert_cmpstr (cli_table_cell (table, i + 1, "state"), ==, "finished");
      g_assert_cmpstr (cli_table_cell (table, i + 1, "minimum"), ==, "global");
    }
  /* With each optimizer's default rate, Adam gets far further down the curved valley than
   * plain gradient descent in the same number of steps. */
  g_assert_cmpfloat (cell_number (table, "adam", "final_loss"), <, 0.1);
  g_assert_cmpfloat (cell_number (table, "gd", "final_loss"), >,
                     10 * cell_number (table, "adam", "final_loss"));
  g_assert_cmpfloat (cell_number (table, "adam", "distance"), <,
                     cell_number (table, "gd", "distance"));
}

/* The lesson of the preset, read both from the table and from the trajectories. */
static void
test_preset_local_minimum (CliFixture *f, gconstpointer data)
{
  NnCriticalPoint global = minimum_of (NN_SURFACE_TWO_MINIMA, NN_CRITICAL_GLOBAL_MINIMUM);
  NnCriticalPoint local = minimum_of (NN_SURFACE_TWO_MINIMA, NN_CRITICAL_LOCAL_MINIMUM);
  guint steps = nn_race_preset_get_steps (NN_RACE_PRESET_LOCAL_MINIMUM);
  g_autoptr (GPtrArray) table = NULL;
  g_autoptr (GHashTable) runs = NULL;
  CsvRun *gd, *momentum;

  g_assert_cmpint (cli_run (f, "compare", "--preset", "local-minimum", "--csv", "t.csv", NULL),
                   ==, 0);
  table = race_table (f);
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "gd"), "minimum"), ==,
                   "local");
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "momentum"), "minimum"),
                   ==, "global");
  g_assert_cmpfloat (cell_number (table, "gd", "distance"), <, 0.05);
  g_assert_cmpfloat (cell_number (table, "momentum", "distance"), <, 0.05);

  runs = read_trajectories (f, "t.csv");
  gd = trajectory (runs, "gd");
  momentum = trajectory (runs, "momentum");
  g_assert_cmpuint (gd->rows, ==, steps + 1);
  g_assert_cmpuint (momentum->rows, ==, steps + 1);
  g_assert_cmpfloat (hypot (gd->x - local.x, gd->y - local.y), <, 0.05);
  g_assert_cmpfloat (hypot (momentum->x - global.x, momentum->y - global.y), <, 0.05);
  g_assert_cmpfloat (momentum->loss, <, gd->loss);
}

/* Every runner's CSV rows are the points it recorded: steps + 1, fewer for a runner that
 * diverged and stopped. */
static void
test_csv_rows (CliFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) table = NULL;
  g_autoptr (GHashTable) runs = NULL;
  guint preset_steps = nn_race_preset_get_steps (NN_RACE_PRESET_DIVERGENCE);

  g_assert_cmpint (cli_run (f, "compare", "--surface", "beale", "--optimizers",
                            "gd,sgd,rmsprop", "--steps", "40", "--csv", "b.csv", NULL), ==, 0);
  runs = read_trajectories (f, "b.csv");
  g_assert_cmpuint (g_hash_table_size (runs), ==, 3);
  g_assert_cmpuint (trajectory (runs, "gd")->rows, ==, 41);
  g_assert_cmpuint (trajectory (runs, "sgd")->rows, ==, 41);
  g_assert_cmpuint (trajectory (runs, "rmsprop")->rows, ==, 41);
  g_clear_pointer (&runs, g_hash_table_unref);

  g_assert_cmpint (cli_run (f, "compare", "--preset", "divergence", "--csv", "d.csv", NULL), ==,
                   0);
  table = race_table (f);
  runs = read_trajectories (f, "d.csv");
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "gd-lr1.05"), "state"), ==,
                   "diverged");
  g_assert_cmpfloat (cell_number (table, "gd-lr1.05", "steps"), <, preset_steps);
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "gd-lr0.03"), "state"), ==,
                   "finished");
  for (guint r = 1; r < table->len; r++)
    {
      const char *label = ((GStrv) g_ptr_array_index (table, r))[0];

      g_assert_cmpfloat (trajectory (runs, label)->rows, ==,
                         cell_number (table, label, "steps") + 1);
    }
}

/* The same seed gives the same noisy run; another seed another one. */
static void
test_seed (CliFixture *f, gconstpointer data)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_assert_cmpint (cli_run (f, "compare", "--surface", "bowl", "--optimizers", "sgd",
                            "--steps", "20", "--seed", "5", "--csv", "a.csv", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "compare", "--surface", "bowl", "--optimizers", "sgd",
                            "--steps", "20", "--seed", "5", "--csv", "b.csv", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "compare", "--surface", "bowl", "--optimizers", "sgd",
                            "--steps", "20", "--seed", "6", "--csv", "c.csv", NULL), ==, 0);
  a = cli_read (f, "a.csv", NULL);
  b = cli_read (f, "b.csv", NULL);
  c = cli_read (f, "c.csv", NULL);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* --lr and --start reach the race: a rate 10× smaller moves 10× less in the first step. */
static void
test_lr_and_start (CliFixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) runs = NULL;
  g_autoptr (GPtrArray) table = NULL;

  g_assert_cmpint (cli_run (f, "compare", "--surface", "bowl", "--optimizers", "gd,gd",
                            "--lr", "gd=0.01,gd-2=0.1", "--start", "1,-2", "--steps", "1",
                            "--csv", "s.csv", NULL), ==, 0);
  table = race_table (f);
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "gd"), "learning_rate"),
                   ==, "0.01");
  g_assert_cmpstr (cli_table_cell (table, cli_table_find_row (table, "gd-2"), "learning_rate"),
                   ==, "0.1");
  runs = read_trajectories (f, "s.csv");
  /* ∇(x² + y²) = (2x, 2y) at (1, −2): one step of rate η goes to (1 − 2η, −2 + 4η). */
  g_assert_cmpfloat_with_epsilon (trajectory (runs, "gd")->x, 0.98, 1e-15);
  g_assert_cmpfloat_with_epsilon (trajectory (runs, "gd")->y, -1.96, 1e-15);
  g_assert_cmpfloat_with_epsilon (trajectory (runs, "gd-2")->x, 0.8, 1e-15);
  g_assert_cmpfloat_with_epsilon (trajectory (runs, "gd-2")->y, -1.6, 1e-15);
}

static void
test_sweep (CliFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) sweep = NULL;
  g_autoptr (GPtrArray) race = NULL;

  g_assert_cmpint (cli_run (f, "compare", "--surface", "rosenbrock", "--optimizers",
                            "gd,momentum,adam", "--steps", "200", "--sweep", NULL), ==, 0);
  sweep = cli_table_parse (f->out, "optimizer best_learning_rate");
  g_assert_nonnull (sweep);
  race = race_table (f);
  g_assert_cmpuint (sweep->len, ==, 4);
  for (guint r = 1; r < sweep->len; r++)
    {
      const char *label = ((GStrv) g_ptr_array_index (sweep, r))[0];
      const char *best = cli_table_cell (sweep, r, "best_learning_rate");

      g_assert_cmpfloat (number (best), >=, 1e-5 * (1 - 1e-9));
      g_assert_cmpfloat (number (best), <=, 1.0);
      g_assert_true (g_str_has_suffix (cli_table_cell (sweep, r, "diverged"), "/16"));
      /* The race that follows runs at the rate the sweep chose. */
      g_assert_cmpstr (cli_table_cell (race, cli_table_find_row (race, label), "learning_rate"),
                       ==, best);
      g_assert_cmpfloat_with_epsilon (cell_number (race, label, "final_loss"),
                                      number (cli_table_cell (sweep, r, "final_loss")),
                                      1e-6 * (1 + number (cli_table_cell (sweep, r,
                                                                          "final_loss"))));
    }
}

/* A two-parameter model on the project's data: SGD's noise comes from its mini-batches. */
static void
test_data_surface (CliFixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) runs = NULL;
  CsvRun *gd, *sgd;

  g_assert_cmpint (cli_run (f, "compare", "--surface", "logistic", "--project", DEFAULT_PROJECT,
                            "--optimizers", "gd,sgd", "--steps", "30", "--csv", "l.csv", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "logistic from "));
  runs = read_trajectories (f, "l.csv");
  gd = trajectory (runs, "gd");
  sgd = trajectory (runs, "sgd");
  g_assert_cmpuint (gd->rows, ==, 31);
  g_assert_cmpuint (sgd->rows, ==, 31);
  g_assert_true (gd->x != sgd->x || gd->y != sgd->y);
}

/* "plane pca  variance_d1 X  variance_d2 Y  explained Z". */
static void
plane_figures (const char *out, double *d1, double *d2, double *explained)
{
  g_autoptr (GPtrArray) line = cli_table_parse (out, "plane pca variance_d1");
  GStrv cells;

  g_assert_nonnull (line);
  cells = g_ptr_array_index (line, 0);
  g_assert_cmpuint (g_strv_length (cells), ==, 8);
  g_assert_cmpstr (cells[4], ==, "variance_d2");
  g_assert_cmpstr (cells[6], ==, "explained");
  *d1 = number (cells[3]);
  *d2 = number (cells[5]);
  *explained = number (cells[7]);
}

static void
test_project_pca (CliFixture *f, gconstpointer data)
{
  const char *labels[] = { "gd", "sgd", "adam" };
  g_autoptr (GPtrArray) table = NULL;
  g_autoptr (GHashTable) runs = NULL;
  g_autofree char *grid = NULL;
  double d1, d2, explained;
  guint gd;

  g_assert_cmpint (cli_run (f, "compare", "--project", DEFAULT_PROJECT, "--optimizers",
                            "gd,sgd,adam", "--steps", "60", "--plane", "pca", "--csv", "p.csv",
                            "--grid", "7", "--grid-csv", "g.csv", NULL), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  plane_figures (f->out, &d1, &d2, &explained);
  g_assert_cmpfloat (d1, >, 0);
  g_assert_cmpfloat (d1, <=, 1);
  g_assert_cmpfloat (d2, >, 0);
  g_assert_cmpfloat (d2, <=, d1);
  g_assert_cmpfloat_with_epsilon (explained, d1 + d2, 2e-6);
  g_assert_cmpfloat (explained, <=, 1 + 1e-6);

  table = race_table (f);
  g_assert_cmpuint (table->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      guint r = cli_table_find_row (table, labels[i]);

      g_assert_cmpstr (cli_table_cell (table, r, "steps"), ==, "60");
      g_assert_cmpstr (cli_table_cell (table, r, "state"), ==, "finished");
      g_assert_cmpfloat (cell_number (table, labels[i], "final_loss"), >, 0);
      g_assert_cmpfloat (cell_number (table, labels[i], "distance_from_plane"), >=, 0);
    }
  /* The plane is centred on the first run's final point, as Li et al.: it projects onto
   * the origin, lies in the plane, and the plane's loss there is its true loss. */
  gd = cli_table_find_row (table, "gd");
  g_assert_cmpfloat (fabs (cell_number (table, "gd", "alpha")), <, 1e-9);
  g_assert_cmpfloat (fabs (cell_number (table, "gd", "distance_from_plane")), <, 1e-9);
  g_assert_cmpstr (cli_table_cell (table, gd, "plane_loss"), ==,
                   cli_table_cell (table, gd, "final_loss"));

  runs = read_trajectories (f, "p.csv");
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_cmpuint (trajectory (runs, labels[i])->rows, ==, 61);
  grid = cli_read (f, "g.csv", NULL);
  g_assert_true (g_str_has_prefix (grid, "alpha,beta,loss\n"));
  g_assert_cmpuint (cli_count_lines (grid), ==, 1 + 7 * 7);
}

/* Without --plane there is no plane and no projection columns; with another plane, no PCA
 * variances but the fraction it explains. */
static void
test_project_planes (CliFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) table = NULL;
  g_autoptr (GPtrArray) line = NULL;
  double explained;

  g_assert_cmpint (cli_run (f, "compare", "--project", DEFAULT_PROJECT, "--steps", "20", NULL),
                   ==, 0);
  g_assert_null (strstr (f->out, "plane "));
  table = race_table (f);
  g_assert_cmpuint (table->len, ==, 6); /* every optimizer by default */
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (table, 0)), ==, 5);

  g_assert_cmpint (cli_run (f, "compare", "--project", DEFAULT_PROJECT, "--steps", "20",
                            "--optimizers", "gd,adam", "--plane", "weights:0,0,0;0,0,1", NULL),
                   ==, 0);
  line = cli_table_parse (f->out, "plane weights explained");
  g_assert_nonnull (line);
  explained = number (((GStrv) g_ptr_array_index (line, 0))[3]);
  g_assert_cmpfloat (explained, >=, 0);
  g_assert_cmpfloat (explained, <=, 1 + 1e-9);
}

static void
test_help (CliFixture *f, gconstpointer data)
{
  g_autofree char *help = NULL;

  g_assert_cmpint (cli_run (f, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, "compare"));
  g_assert_cmpint (cli_run (f, "compare", "--help", NULL), ==, 0);
  help = cli_squeeze_spaces (f->out);
  for (guint k = 0; k < NN_N_SURFACES; k++)
    g_assert_nonnull (strstr (help, nn_surface_kind_to_string (k)));
  for (guint k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      g_autoptr (NnSurface) surface = nn_surface_new (k);

      g_assert_nonnull (strstr (help, nn_surface_get_description (surface)));
    }
  for (guint k = 0; k < NN_N_OPTIMIZERS; k++)
    g_assert_nonnull (strstr (help, nn_optimizer_kind_to_string (k)));
  for (guint p = 0; p < NN_N_RACE_PRESETS; p++)
    {
      g_assert_nonnull (strstr (help, nn_race_preset_to_string (p)));
      g_assert_nonnull (strstr (help, nn_race_preset_get_description (p)));
    }
}

static void
test_bad_input (CliFixture *f, gconstpointer data)
{
  static const struct
  {
    const char *args[8];
    const char *fragment;
  } cases[] = {
    { { "--surface", "banana" }, "banana" },
    { { "--surface", "rosenbrock", "--optimizers", "gd,lbfgs" }, "lbfgs" },
    { { "--surface", "rosenbrock", "--steps", "0" }, "--steps" },
    { { "--surface", "rosenbrock", "--steps", "many" }, "--steps" },
    { { "--surface", "rosenbrock", "--lr", "adam=-1" }, "--lr adam" },
    { { "--surface", "rosenbrock", "--lr", "adam=0" }, "--lr adam" },
    { { "--surface", "rosenbrock", "--lr", "adam=fast" }, "--lr adam" },
    { { "--surface", "rosenbrock", "--optimizers", "gd,adam", "--lr", "rmsprop=0.1" },
      "rmsprop" },
    { { "--surface", "rosenbrock", "--start", "1" }, "--start" },
    { { "--surface", "rosenbrock", "--start", "a,b" }, "--start" },
    { { "--surface", "rosenbrock", "--start", "1,2,3" }, "--start" },
    { { "--surface", "rosenbrock", "--start", "1,inf" }, "--start" },
    { { "--surface", "bowl", "--kappa", "3" }, "--kappa" },
    { { "--surface", "bowl", "--optimizers", "gd", "--momentum", "0.5" }, "--momentum" },
    { { "--surface", "logistic" }, "--project" },
    { { "--preset", "nope" }, "local-minimum" },
    { { "--preset", "ravine", "--surface", "bowl" }, "--surface" },
    { { "--project", "missing.nlab" }, "missing.nlab" },
    { { "--project", DEFAULT_PROJECT, "--plane", "sideways" }, "--plane" },
    { { "--project", DEFAULT_PROJECT, "--plane", "weights:9,0,0;0,0,0" }, "--plane" },
    { { "--project", DEFAULT_PROJECT, "--start", "1,1" }, "--start" },
    { { "--surface", "bowl", "extra" }, "extra" },
    { { NULL }, "--surface" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[12] = { "compare" };
      guint n = 1;

      for (guint a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a] != NULL; a++)
        argv[n++] = cases[i].args[a];
      argv[n++] = "--csv";
      argv[n++] = "out.csv";
      cli_run_strv (f, argv);
      cli_assert_refused_without (f, cases[i].fragment, "out.csv");
    }

  /* The names a user could have meant are in the message. */
  cli_run (f, "compare", "--surface", "banana", NULL);
  for (guint k = 0; k < NN_N_SURFACES; k++)
    g_assert_nonnull (strstr (f->err, nn_surface_kind_to_string (k)));
  cli_run (f, "compare", "--surface", "bowl", "--optimizers", "lbfgs", NULL);
  for (guint k = 0; k < NN_N_OPTIMIZERS; k++)
    g_assert_nonnull (strstr (f->err, nn_optimizer_kind_to_string (k)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, CliFixture, NULL, cli_fixture_set_up, func, cli_fixture_tear_down)
  ADD ("/cli/compare/rosenbrock-table", test_rosenbrock_table);
  ADD ("/cli/compare/preset-local-minimum", test_preset_local_minimum);
  ADD ("/cli/compare/csv-rows", test_csv_rows);
  ADD ("/cli/compare/seed", test_seed);
  ADD ("/cli/compare/lr-and-start", test_lr_and_start);
  ADD ("/cli/compare/sweep", test_sweep);
  ADD ("/cli/compare/data-surface", test_data_surface);
  ADD ("/cli/compare/project-pca", test_project_pca);
  ADD ("/cli/compare/project-planes", test_project_planes);
  ADD ("/cli/compare/help", test_help);
  ADD ("/cli/compare/bad-input", test_bad_input);
#undef ADD

  return g_test_run ();
}
