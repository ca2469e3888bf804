/* test-dataset.c: generators, inline points, CSV files and the spec's validation. */
#include "nn-dataset.h"
#include "nn-error.h"
#include "test-files.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

static char *tmp_dir;

/* ---------------------------------------------------------------------------------------
 * Helpers
 */

static NnDatasetSpec
make_spec (NnGenerator g, guint classes, guint count, double noise)
{
  NnDatasetSpec spec;

  nn_dataset_spec_init (&spec);
  spec.generator = g;
  spec.problem = nn_generator_problem (g);
  spec.classes = classes;
  spec.count = count;
  spec.noise = noise;
  return spec;
}

static NnDataset *
generate (NnGenerator g, guint classes, guint count, double noise, guint32 seed)
{
  NnDatasetSpec spec = make_spec (g, classes, count, noise);
  GError *error = NULL;
  NnDataset *ds = nn_dataset_new_from_spec (&spec, seed, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* Train and test points back to back, in one array, for checks over all of them. */
static NnPoint *
all_points (const NnDataset *ds, guint *n)
{
  NnPoint *all = g_new (NnPoint, ds->n_train + ds->n_test + 1);

  memcpy (all, ds->train, sizeof (NnPoint) * ds->n_train);
  if (ds->n_test > 0)
    memcpy (all + ds->n_train, ds->test, sizeof (NnPoint) * ds->n_test);
  *n = ds->n_train + ds->n_test;
  return all;
}

static gboolean
same_points (const NnDataset *a, const NnDataset *b)
{
  return a->n_train == b->n_train && a->n_test == b->n_test
         && memcmp (a->train, b->train, sizeof (NnPoint) * a->n_train) == 0
         && memcmp (a->test, b->test, sizeof (NnPoint) * a->n_test) == 0;
}

/* Every classification generator with each class count it accepts. */
typedef struct
{
  NnGenerator generator;
  guint       classes;
} Case;

static const Case classifiers[] = {
  { NN_GENERATOR_CIRCLE, 2 }, { NN_GENERATOR_XOR, 2 },    { NN_GENERATOR_GAUSS, 2 },
  { NN_GENERATOR_SPIRAL, 2 }, { NN_GENERATOR_SPIRAL, 3 }, { NN_GENERATOR_SPIRAL, 4 },
  { NN_GENERATOR_MOONS, 2 },  { NN_GENERATOR_BLOBS, 2 },  { NN_GENERATOR_BLOBS, 3 },
  { NN_GENERATOR_BLOBS, 5 },  { NN_GENERATOR_BLOBS, 8 },
};

static const NnGenerator regressors[] = {
  NN_GENERATOR_PLANE, NN_GENERATOR_MULTI_GAUSS, NN_GENERATOR_SINE_RIDGE,
};

static char *
write_file (const char *name, const char *contents, gssize length)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static GArray *
read_csv_text (const char *contents, NnProblem problem, guint *classes)
{
  g_autofree char *path = write_file ("good.csv", contents, -1);
  GError *error = NULL;
  GArray *points = nn_dataset_read_csv (path, problem, classes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (points);
  return points;
}

static void
assert_point (const GArray *points, guint i, double x1, double x2, double y)
{
  const NnPoint *p = &g_array_index (points, NnPoint, i);

  g_assert_cmpuint (i, <, points->len);
  g_assert_cmpfloat (p->x1, ==, x1);
  g_assert_cmpfloat (p->x2, ==, x2);
  g_assert_cmpfloat (p->y, ==, y);
}

/* ---------------------------------------------------------------------------------------
 * Specs
 */

static void
test_spec_defaults (void)
{
  NnDatasetSpec spec;
  GError *error = NULL;

  nn_dataset_spec_init (&spec);
  g_assert_cmpint (spec.generator, ==, NN_GENERATOR_CIRCLE);
  g_assert_cmpint (spec.problem, ==, NN_PROBLEM_CLASSIFICATION);
  g_assert_cmpuint (spec.classes, ==, 2);
  g_assert_cmpuint (spec.count, ==, 500);
  g_assert_cmpfloat (spec.noise, ==, 0.0);
  g_assert_cmpfloat (spec.train_ratio, ==, 0.5);
  g_assert_null (spec.points);
  g_assert_null (spec.test_points);
  g_assert_null (spec.path);
  g_assert_true (nn_dataset_spec_validate (&spec, &error));
  g_assert_no_error (error);
  nn_dataset_spec_clear (&spec);
}

static void
test_spec_copy (void)
{
  NnDatasetSpec spec, copy;
  NnPoint p = { 1.0, 2.0, 1.0 };

  nn_dataset_spec_init (&spec);
  spec.generator = NN_GENERATOR_POINTS;
  spec.points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_array_append_val (spec.points, p);
  spec.test_points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_array_append_val (spec.test_points, p);
  spec.path = g_strdup ("data.csv");

  nn_dataset_spec_copy (&copy, &spec);
  g_assert_true (copy.points != spec.points);
  g_assert_true (copy.test_points != spec.test_points);
  g_assert_true (copy.path != spec.path);
  g_assert_cmpstr (copy.path, ==, "data.csv");
  g_assert_cmpuint (copy.points->len, ==, 1);
  g_assert_cmpint (copy.generator, ==, NN_GENERATOR_POINTS);

  /* Changing the copy leaves the original alone. */
  g_array_index (copy.points, NnPoint, 0).x1 = 5.0;
  g_array_append_val (copy.test_points, p);
  g_assert_cmpfloat (g_array_index (spec.points, NnPoint, 0).x1, ==, 1.0);
  g_assert_cmpuint (spec.test_points->len, ==, 1);

  nn_dataset_spec_clear (&copy);
  g_assert_null (copy.points);
  g_assert_null (copy.test_points);
  g_assert_null (copy.path);
  nn_dataset_spec_clear (&spec);
}

/* Each bad spec is refused with a message naming the project file's key. */
static void
test_spec_validate_errors (void)
{
  const struct
  {
    NnGenerator generator;
    NnProblem   problem;
    guint       classes;
    guint       count;
    double      noise;
    double      train_ratio;
    const char *key;
  } cases[] = {
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 1, 0, 0.5, "dataset.count" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, NN_MAX_POINTS + 1, 0, 0.5,
      "dataset.count" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, -0.1, 0.5, "dataset.noise" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, 1.01, 0.5, "dataset.noise" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, NAN, 0.5, "dataset.noise" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 0.05, "dataset.train_ratio" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 1.5, "dataset.train_ratio" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, NAN, "dataset.train_ratio" },
    { NN_GENERATOR_CSV, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 0.0, "dataset.train_ratio" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_CLASSIFICATION, 3, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_XOR, NN_PROBLEM_CLASSIFICATION, 4, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_SPIRAL, NN_PROBLEM_CLASSIFICATION, 5, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_SPIRAL, NN_PROBLEM_CLASSIFICATION, 1, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_BLOBS, NN_PROBLEM_CLASSIFICATION, 9, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_POINTS, NN_PROBLEM_CLASSIFICATION, 0, 500, 0, 0.5, "dataset.classes" },
    { NN_GENERATOR_PLANE, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 0.5, "dataset.generator" },
    { NN_GENERATOR_CIRCLE, NN_PROBLEM_REGRESSION, 2, 500, 0, 0.5, "dataset.generator" },
    { NN_GENERATOR_CSV, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 0.5, "dataset.path" },
    { NN_GENERATOR_POINTS, NN_PROBLEM_CLASSIFICATION, 2, 500, 0, 0.5, "dataset.points" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NnDatasetSpec spec;
      GError *error = NULL;

      nn_dataset_spec_init (&spec);
      spec.generator = cases[i].generator;
      spec.problem = cases[i].problem;
      spec.classes = cases[i].classes;
      spec.count = cases[i].count;
      spec.noise = cases[i].noise;
      spec.train_ratio = cases[i].train_ratio;
      g_test_message ("case %u, expecting %s", i, cases[i].key);
      g_assert_false (nn_dataset_spec_validate (&spec, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, cases[i].key));
      g_assert_null (nn_dataset_new_from_spec (&spec, 1, NULL, NULL));
      g_clear_error (&error);
    }
}

static void
test_spec_validate_limits (void)
{
  const Case accepted[] = {
    { NN_GENERATOR_SPIRAL, 4 }, { NN_GENERATOR_BLOBS, 8 }, { NN_GENERATOR_BLOBS, 2 },
  };
  NnDatasetSpec spec = make_spec (NN_GENERATOR_CIRCLE, 2, NN_MIN_POINTS, 0.0);
  GError *error = NULL;

  spec.train_ratio = 1.0;
  g_assert_true (nn_dataset_spec_validate (&spec, &error));
  spec.count = NN_MAX_POINTS;
  spec.noise = 1.0;
  spec.train_ratio = 0.1;
  g_assert_true (nn_dataset_spec_validate (&spec, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      spec = make_spec (accepted[i].generator, accepted[i].classes, 100, 0.0);
      g_assert_true (nn_dataset_spec_validate (&spec, &error));
      g_assert_no_error (error);
    }

  /* Regression ignores classes. */
  spec = make_spec (NN_GENERATOR_SINE_RIDGE, 0, 100, 0.5);
  g_assert_true (nn_dataset_spec_validate (&spec, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------------
 * Generators
 */

static void
test_determinism (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classifiers) + G_N_ELEMENTS (regressors); i++)
    {
      gboolean regression = i >= G_N_ELEMENTS (classifiers);
      NnGenerator g = regression ? regressors[i - G_N_ELEMENTS (classifiers)]
                                 : classifiers[i].generator;
      guint classes = regression ? 0 : classifiers[i].classes;
      g_autoptr (NnDataset) a = generate (g, classes, 300, 0.3, 42);
      g_autoptr (NnDataset) b = generate (g, classes, 300, 0.3, 42);
      g_autoptr (NnDataset) c = generate (g, classes, 300, 0.3, 43);

      g_test_message ("%s with %u classes", nn_generator_to_string (g), classes);
      g_assert_true (same_points (a, b));
      g_assert_false (same_points (a, c));
    }
}

static void
test_split_sizes (void)
{
  const struct
  {
    guint  count;
    double ratio;
    guint  n_train;
  } cases[] = {
    { 500, 0.5, 250 }, { 7, 0.3, 2 }, { 2, 0.1, 1 }, { 600, 1.0, 600 },
    { 1001, 0.9, 901 }, { 3, 0.5, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NnDatasetSpec spec = make_spec (NN_GENERATOR_SPIRAL, 3, cases[i].count, 0.1);
      g_autoptr (NnDataset) ds = NULL;
      GError *error = NULL;

      spec.train_ratio = cases[i].ratio;
      ds = nn_dataset_new_from_spec (&spec, 7, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds->n_train, ==, cases[i].n_train);
      g_assert_cmpuint (ds->n_test, ==, cases[i].count - cases[i].n_train);
      g_assert_cmpint (ds->problem, ==, NN_PROBLEM_CLASSIFICATION);
      g_assert_cmpuint (ds->classes, ==, 3);
    }
}

/* Classes are as balanced as the count allows, and every label is a class index. */
static void
test_balanced_classes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classifiers); i++)
    {
      guint k = classifiers[i].classes;
      g_autoptr (NnDataset) ds = generate (classifiers[i].generator, k, 501, 0.5, 3);
      g_autofree NnPoint *all = NULL;
      guint per_class[NN_MAX_CLASSES] = { 0 };
      guint n, lo = G_MAXUINT, hi = 0;

      g_test_message ("%s with %u classes", nn_generator_to_string (classifiers[i].generator),
                      k);
      g_assert_cmpuint (ds->classes, ==, k);
      all = all_points (ds, &n);
      g_assert_cmpuint (n, ==, 501);
      for (guint j = 0; j < n; j++)
        {
          g_assert_cmpfloat (all[j].y, ==, floor (all[j].y));
          g_assert_cmpfloat (all[j].y, >=, 0.0);
          g_assert_cmpfloat (all[j].y, <, k);
          per_class[(guint) all[j].y]++;
        }
      for (guint c = 0; c < k; c++)
        {
          lo = MIN (lo, per_class[c]);
          hi = MAX (hi, per_class[c]);
        }
      g_assert_cmpuint (hi - lo, <=, 1);
    }
}

static void
assert_in_plane (const NnDataset *ds)
{
  g_autofree NnPoint *all = NULL;
  guint n;

  all = all_points (ds, &n);
  for (guint j = 0; j < n; j++)
    {
      g_assert_true (isfinite (all[j].x1) && isfinite (all[j].x2) && isfinite (all[j].y));
      g_assert_cmpfloat (all[j].x1, >=, NN_PLANE_MIN);
      g_assert_cmpfloat (all[j].x1, <=, NN_PLANE_MAX);
      g_assert_cmpfloat (all[j].x2, >=, NN_PLANE_MIN);
      g_assert_cmpfloat (all[j].x2, <=, NN_PLANE_MAX);
      if (ds->problem == NN_PROBLEM_REGRESSION)
        g_assert_cmpfloat (fabs (all[j].y), <=, 1.0);
    }
}

static void
test_in_plane (void)
{
  const double noises[] = { 0.0, 0.5, 1.0 };

  for (guint k = 0; k < G_N_ELEMENTS (noises); k++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (classifiers); i++)
        {
          g_autoptr (NnDataset) ds = generate (classifiers[i].generator,
                                               classifiers[i].classes, 2000, noises[k], 11);
          assert_in_plane (ds);
        }
      for (guint i = 0; i < G_N_ELEMENTS (regressors); i++)
        {
          g_autoptr (NnDataset) ds = generate (regressors[i], 0, 2000, noises[k], 11);
          g_assert_cmpint (ds->problem, ==, NN_PROBLEM_REGRESSION);
          g_assert_cmpuint (ds->classes, ==, 0);
          assert_in_plane (ds);
        }
    }
}

/* Noise jitters the same underlying points: labels stay, moves are bounded. */
static void
test_noise_jitters (void)
{
  g_autoptr (NnDataset) clean = generate (NN_GENERATOR_XOR, 2, 400, 0.0, 5);
  g_autoptr (NnDataset) noisy = generate (NN_GENERATOR_XOR, 2, 400, 0.4, 5);
  double moved = 0.0;

  g_assert_cmpuint (clean->n_train, ==, noisy->n_train);
  for (guint i = 0; i < clean->n_train; i++)
    {
      double d = hypot (clean->train[i].x1 - noisy->train[i].x1,
                        clean->train[i].x2 - noisy->train[i].x2);

      g_assert_cmpfloat (clean->train[i].y, ==, noisy->train[i].y);
      g_assert_cmpfloat (d, <=, 2.5 * 0.4 * G_SQRT2 + 1e-9);
      moved += d;
    }
  g_assert_cmpfloat (moved / clean->n_train, >, 0.2);
}

/* The circle's 1000 points (seed 9) at a noise: how far from the centre the inner class
 * (0) reaches, and how close the outer one (1) comes. */
static void
circle_radii (double noise, double *max_inner, double *min_outer)
{
  g_autoptr (NnDataset) ds = generate (NN_GENERATOR_CIRCLE, 2, 1000, noise, 9);
  g_autofree NnPoint *all = NULL;
  guint n;

  *max_inner = 0.0;
  *min_outer = G_MAXDOUBLE;
  all = all_points (ds, &n);
  for (guint i = 0; i < n; i++)
    {
      double r = hypot (all[i].x1, all[i].x2);

      if (all[i].y == 0)
        *max_inner = MAX (*max_inner, r);
      else
        *min_outer = MIN (*min_outer, r);
    }
}

static void
test_circle (void)
{
  double max_inner, min_outer;

  circle_radii (0.0, &max_inner, &min_outer);
  g_assert_cmpfloat (max_inner, <, min_outer);
  g_assert_cmpfloat (max_inner, <=, 3.0);
  g_assert_cmpfloat (min_outer, >=, 3.0);
}

/* With full noise the classes of the circle overlap: noise is not a no-op. */
static void
test_circle_noisy_overlaps (void)
{
  double max_inner, min_outer;

  circle_radii (1.0, &max_inner, &min_outer);
  g_assert_cmpfloat (max_inner, >, min_outer);
}

static void
test_xor (void)
{
  g_autoptr (NnDataset) ds = generate (NN_GENERATOR_XOR, 2, 1000, 0.0, 9);
  g_autofree NnPoint *all = NULL;
  guint n;

  all = all_points (ds, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (all[i].x1 * all[i].x2 > 0, ==, all[i].y == 1.0);
      g_assert_cmpfloat (fabs (all[i].x1), >=, 0.3);
      g_assert_cmpfloat (fabs (all[i].x2), >=, 0.3);
    }
}

static void
class_means (const NnPoint *all, guint n, guint k, double *mx, double *my)
{
  guint count[NN_MAX_CLASSES] = { 0 };

  for (guint c = 0; c < k; c++)
    mx[c] = my[c] = 0.0;
  for (guint i = 0; i < n; i++)
    {
      guint c = (guint) all[i].y;

      mx[c] += all[i].x1;
      my[c] += all[i].x2;
      count[c]++;
    }
  for (guint c = 0; c < k; c++)
    {
      g_assert_cmpuint (count[c], >, 0);
      mx[c] /= count[c];
      my[c] /= count[c];
    }
}

static void
test_gauss (void)
{
  g_autoptr (NnDataset) ds = generate (NN_GENERATOR_GAUSS, 2, 1000, 0.0, 9);
  g_autofree NnPoint *all = NULL;
  double mx[2], my[2];
  guint n;

  all = all_points (ds, &n);
  class_means (all, n, 2, mx, my);
  g_assert_cmpfloat_with_epsilon (mx[0], -2.0, 0.2);
  g_assert_cmpfloat_with_epsilon (my[0], -2.0, 0.2);
  g_assert_cmpfloat_with_epsilon (mx[1], 2.0, 0.2);
  g_assert_cmpfloat_with_epsilon (my[1], 2.0, 0.2);
}

/* Without noise every point of arm k lies exactly on the curve r = 5t, θ = 3.5πt + 2πk/K. */
static void
test_spiral (void)
{
  g_autoptr (NnDataset) ds = generate (NN_GENERATOR_SPIRAL, 3, 600, 0.0, 9);
  g_autofree NnPoint *all = NULL;
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  guint n;

  g_assert_cmpuint (ds->classes, ==, 3);
  all = all_points (ds, &n);
  for (guint i = 0; i < n; i++)
    {
      double r = hypot (all[i].x1, all[i].x2);
      guint k = (guint) all[i].y;
      double angle = 1.75 * 2.0 * G_PI * (r / 5.0) + 2.0 * G_PI * k / 3.0;

      g_assert_cmpuint (k, <, 3);
      seen[k] = TRUE;
      g_assert_cmpfloat_with_epsilon (all[i].x1, r * sin (angle), 1e-9);
      g_assert_cmpfloat_with_epsilon (all[i].x2, r * cos (angle), 1e-9);
    }
  g_assert_true (seen[0] && seen[1] && seen[2]);
}

/* Class 0 is the upper half circle about c0, class 1 the lower one about c1, interleaved
 * so that each moon's tip reaches into the other's hollow. */
static void
test_moons (void)
{
  g_autoptr (NnDataset) ds = generate (NN_GENERATOR_MOONS, 2, 1000, 0.0, 9);
  g_autofree NnPoint *all = NULL;
  const double c0x = -1.25, c0y = -0.625, c1x = 1.25, c1y = 0.625;
  guint n;

  all = all_points (ds, &n);
  for (guint i = 0; i < n; i++)
    {
      gboolean upper = all[i].y == 0;
      double cx = upper ? c0x : c1x, cy = upper ? c0y : c1y;

      g_assert_cmpfloat_with_epsilon (hypot (all[i].x1 - cx, all[i].x2 - cy), 2.5, 1e-9);
      if (upper)
        g_assert_cmpfloat (all[i].x2, >=, cy - 1e-9);
      else
        g_assert_cmpfloat (all[i].x2, <=, cy + 1e-9);
    }
}

/* K separated clusters spread around the origin: nearly every point is nearest to its own
 * class's mean, and the means sit on a common circle. */
static void
test_blobs (void)
{
  for (guint k = 2; k <= NN_MAX_CLASSES; k++)
    {
      g_autoptr (NnDataset) ds = generate (NN_GENERATOR_BLOBS, k, 800, 0.0, 9);
      g_autofree NnPoint *all = NULL;
      double mx[NN_MAX_CLASSES], my[NN_MAX_CLASSES];
      guint n, own = 0;

      all = all_points (ds, &n);
      class_means (all, n, k, mx, my);
      for (guint c = 0; c < k; c++)
        g_assert_cmpfloat_with_epsilon (hypot (mx[c], my[c]), 4.0, 0.3);
      for (guint i = 0; i < n; i++)
        {
          guint best = 0;

          for (guint c = 1; c < k; c++)
            if (hypot (all[i].x1 - mx[c], all[i].x2 - my[c])
                < hypot (all[i].x1 - mx[best], all[i].x2 - my[best]))
              best = c;
          own += best == (guint) all[i].y;
        }
      g_assert_cmpfloat ((double) own / n, >, 0.95);
    }
}

static void
test_regression_targets (void)
{
  g_autoptr (NnDataset) plane = generate (NN_GENERATOR_PLANE, 0, 500, 0.0, 4);
  g_autoptr (NnDataset) ridge = generate (NN_GENERATOR_SINE_RIDGE, 0, 500, 0.0, 4);
  g_autoptr (NnDataset) bumps = generate (NN_GENERATOR_MULTI_GAUSS, 0, 2000, 0.0, 4);
  double lo = 0.0, hi = 0.0;

  for (guint i = 0; i < plane->n_train; i++)
    g_assert_cmpfloat_with_epsilon (plane->train[i].y,
                                    (plane->train[i].x1 + plane->train[i].x2) / 12.0, 1e-12);
  for (guint i = 0; i < ridge->n_test; i++)
    g_assert_cmpfloat_with_epsilon (ridge->test[i].y,
                                    sin (ridge->test[i].x1) * cos (ridge->test[i].x2), 1e-12);
  /* Signed bumps: the target reaches near both −1 and 1. */
  for (guint i = 0; i < bumps->n_train; i++)
    {
      lo = MIN (lo, bumps->train[i].y);
      hi = MAX (hi, bumps->train[i].y);
    }
  g_assert_cmpfloat (lo, <, -0.8);
  g_assert_cmpfloat (hi, >, 0.8);
}

/* Regression noise makes the target depart from the clean function of the point. */
static void
test_regression_noise (void)
{
  g_autoptr (NnDataset) plane = generate (NN_GENERATOR_PLANE, 0, 500, 1.0, 4);
  guint departed = 0;

  for (guint i = 0; i < plane->n_train; i++)
    {
      double clean = (plane->train[i].x1 + plane->train[i].x2) / 12.0;

      g_assert_cmpfloat (fabs (plane->train[i].y - clean), <=, 6.0 / 12.0 + 1e-12);
      departed += fabs (plane->train[i].y - clean) > 0.01;
    }
  g_assert_cmpuint (departed, >, plane->n_train / 2);
}

/* ---------------------------------------------------------------------------------------
 * Points
 */

static void
test_points (void)
{
  const NnPoint train[] = { { 1, 2, 2 }, { -1, 0.5, 0 }, { 3, -3, 1 } };
  const NnPoint test[] = { { 0, 0, 1 } };
  NnDatasetSpec spec;
  g_autoptr (NnDataset) ds = NULL;
  g_autoptr (NnDataset) copy = NULL;
  GError *error = NULL;

  nn_dataset_spec_init (&spec);
  spec.generator = NN_GENERATOR_POINTS;
  spec.classes = 3;
  spec.points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_array_append_vals (spec.points, train, G_N_ELEMENTS (train));
  spec.test_points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_array_append_vals (spec.test_points, test, G_N_ELEMENTS (test));

  ds = nn_dataset_new_from_spec (&spec, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->classes, ==, 3);
  g_assert_cmpuint (ds->n_train, ==, 3);
  g_assert_cmpuint (ds->n_test, ==, 1);
  /* As given: no shuffle. */
  g_assert_cmpmem (ds->train, sizeof train, train, sizeof train);
  g_assert_cmpmem (ds->test, sizeof test, test, sizeof test);

  copy = nn_dataset_copy (ds);
  g_assert_true (copy->train != ds->train);
  g_assert_true (same_points (copy, ds));
  copy->train[0].x1 = 9.0;
  g_assert_cmpfloat (ds->train[0].x1, ==, 1.0);

  /* A label outside 0..classes−1 is refused and named by its index. */
  spec.classes = 2;
  g_assert_null (nn_dataset_new_from_spec (&spec, 1, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dataset.points[0]"));
  g_clear_error (&error);

  spec.classes = 3;
  g_array_index (spec.test_points, NnPoint, 0).y = 0.5;
  g_assert_false (nn_dataset_spec_validate (&spec, &error));
  g_assert_nonnull (strstr (error->message, "dataset.test_points[0]"));
  g_clear_error (&error);

  g_array_index (spec.test_points, NnPoint, 0).y = 1.0;
  g_array_index (spec.points, NnPoint, 1).x2 = INFINITY;
  g_assert_false (nn_dataset_spec_validate (&spec, &error));
  g_assert_nonnull (strstr (error->message, "dataset.points[1]"));
  g_clear_error (&error);

  nn_dataset_spec_clear (&spec);
}

static void
test_points_regression (void)
{
  const NnPoint train[] = { { 1, 2, 0.25 }, { -1, 0.5, -7.5 } };
  NnDatasetSpec spec;
  g_autoptr (NnDataset) ds = NULL;
  GError *error = NULL;

  nn_dataset_spec_init (&spec);
  spec.generator = NN_GENERATOR_POINTS;
  spec.problem = NN_PROBLEM_REGRESSION;
  spec.points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  g_array_append_vals (spec.points, train, G_N_ELEMENTS (train));

  ds = nn_dataset_new_from_spec (&spec, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ds->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpuint (ds->n_train, ==, 2);
  g_assert_cmpuint (ds->n_test, ==, 0);
  g_assert_cmpfloat (ds->train[1].y, ==, -7.5);
  nn_dataset_spec_clear (&spec);
}

/* ---------------------------------------------------------------------------------------
 * CSV
 */

static void
test_csv_header (void)
{
  guint classes = 0;
  g_autoptr (GArray) points = read_csv_text ("x1,x2,label\n1,2,0\n3,4,1\n-1.5,2.5e0,1\n",
                                             NN_PROBLEM_CLASSIFICATION, &classes);

  g_assert_cmpuint (points->len, ==, 3);
  g_assert_cmpuint (classes, ==, 2);
  assert_point (points, 0, 1, 2, 0);
  assert_point (points, 2, -1.5, 2.5, 1);
}

/* No header, CRLF, blank lines, spaces around values: all tolerated. */
static void
test_csv_loose (void)
{
  guint classes = 0;
  g_autoptr (GArray) points = read_csv_text ("1,2,0\r\n\r\n 3 , 4 ,2 \r\n\n  \n5,-6,1\r\n",
                                             NN_PROBLEM_CLASSIFICATION, &classes);

  g_assert_cmpuint (points->len, ==, 3);
  g_assert_cmpuint (classes, ==, 3);
  assert_point (points, 1, 3, 4, 2);
  assert_point (points, 2, 5, -6, 1);
}

static void
test_csv_separators (void)
{
  guint classes = 0;
  g_autoptr (GArray) semi = read_csv_text ("a;b;c\n1;2;1\n3;4;0\n", NN_PROBLEM_CLASSIFICATION,
                                           &classes);
  g_autoptr (GArray) tabs = read_csv_text ("1\t2\t1\n3\t4\t0", NN_PROBLEM_CLASSIFICATION,
                                           &classes);

  g_assert_cmpuint (semi->len, ==, 2);
  assert_point (semi, 1, 3, 4, 0);
  g_assert_cmpuint (tabs->len, ==, 2);
  assert_point (tabs, 0, 1, 2, 1);
  assert_point (tabs, 1, 3, 4, 0);
}

static void
test_csv_minus_one_labels (void)
{
  guint classes = 0;
  g_autoptr (GArray) points = read_csv_text ("1,1,-1\n2,2,1\n3,3,-1\n",
                                             NN_PROBLEM_CLASSIFICATION, &classes);

  g_assert_cmpuint (classes, ==, 2);
  assert_point (points, 0, 1, 1, 0);
  assert_point (points, 1, 2, 2, 1);
  assert_point (points, 2, 3, 3, 0);
}

static void
test_csv_regression (void)
{
  guint classes = 99;
  g_autoptr (GArray) points = read_csv_text ("x,y,z\n1,2,0.25\n3,4,-17.5\n",
                                             NN_PROBLEM_REGRESSION, &classes);

  g_assert_cmpuint (points->len, ==, 2);
  g_assert_cmpuint (classes, ==, 0);
  assert_point (points, 1, 3, 4, -17.5);
}

/* Every kind of bad file is refused with "file:line:column:" pointing at the culprit. */
static void
test_csv_errors (void)
{
  const struct
  {
    const char *contents;
    gssize      length;
    NnProblem   problem;
    const char *where;
  } cases[] = {
    { "1,2,0\n1,abc,1\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:2: 'abc' is not a number" },
    { "x1,x2,y\n1,2,0\n1,2,0,4\n", -1, NN_PROBLEM_CLASSIFICATION, ":3:4:" },
    { "1,2,0\n\n1,2\n", -1, NN_PROBLEM_CLASSIFICATION, ":3:3:" },
    { "x1,x2\n1,2\n", -1, NN_PROBLEM_CLASSIFICATION, ":1:3:" },
    { "1,2,0\nnan,2,1\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:1:" },
    { "1,inf,0\n1,2,1\n", -1, NN_PROBLEM_REGRESSION, ":1:2:" },
    { "1,2,0\n1,2,1e999\n", -1, NN_PROBLEM_REGRESSION, ":2:3:" },
    { "1,,0\n1,2,1\n", -1, NN_PROBLEM_CLASSIFICATION, ":1:2:" },
    { "1,2,0\n1,2,0.5\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:3:" },
    { "1,2,0\n1,2,8\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:3:" },
    { "1,2,-2\n1,2,1\n", -1, NN_PROBLEM_CLASSIFICATION, ":1:3:" },
    { "1,2,-1\n1,2,1\n1,2,0\n", -1, NN_PROBLEM_CLASSIFICATION, ":3:3:" },
    { "1,2,2\n1,2,1\n1,2,-1\n", -1, NN_PROBLEM_CLASSIFICATION, ":3:3:" },
    { "1,2,0\n1,2,1\n\0\0\0\x01\x02", 17, NN_PROBLEM_CLASSIFICATION, ":3:1: binary" },
    { "1,2,0\n1,2\x01,1\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:2: binary" },
    { "x1,x2,\xff\xfe\n1,2,0\n", -1, NN_PROBLEM_CLASSIFICATION, ":1:3: binary" },
    { "1,2,0\n1,2,1;3\n", -1, NN_PROBLEM_CLASSIFICATION, ":2:3: '1;3'" },
    { "1;2;0\n1,5;2;1\n", -1, NN_PROBLEM_REGRESSION, ":2:1: '1,5'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file ("bad.csv", cases[i].contents, cases[i].length);
      g_autofree char *expected = g_strconcat (path, cases[i].where, NULL);
      GError *error = NULL;
      guint classes = 0;

      g_test_message ("case %u, expecting %s", i, cases[i].where);
      g_assert_null (nn_dataset_read_csv (path, cases[i].problem, &classes, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_clear_error (&error);
    }
}

/* Files with too few rows say so and name the file. */
static void
test_csv_too_few (void)
{
  const char *contents[] = { "", "\n\n  \r\n", "x1,x2,y\n", "x1,x2,y\n1,2,0\n" };

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autofree char *path = write_file ("few.csv", contents[i], -1);
      GError *error = NULL;

      g_assert_null (nn_dataset_read_csv (path, NN_PROBLEM_CLASSIFICATION, NULL, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_clear_error (&error);
    }
}

/* Random bytes are refused as binary at a line and column, never read as data. */
static void
test_csv_random_junk (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);

  for (guint round = 0; round < 20; round++)
    {
      guchar junk[4096];
      g_autofree char *path = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *pattern = NULL;
      GError *error = NULL;

      for (guint i = 0; i < sizeof junk; i++)
        junk[i] = (guchar) g_rand_int_range (rand, 0, 256);
      path = write_file ("junk.csv", (const char *) junk, sizeof junk);
      escaped = g_regex_escape_string (path, -1);
      pattern = g_strconcat ("^", escaped, ":[0-9]+:[0-9]+: binary data", NULL);
      g_assert_null (nn_dataset_read_csv (path, NN_PROBLEM_CLASSIFICATION, NULL, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
      g_assert_true (g_regex_match_simple (pattern, error->message, 0, 0));
      g_clear_error (&error);
    }
}

static void
test_csv_long_line (void)
{
  g_autofree char *line = g_strnfill (5000, '7');
  g_autofree char *contents = g_strconcat ("1,2,0\n1,2,", line, "\n", NULL);
  g_autofree char *path = write_file ("long.csv", contents, -1);
  g_autofree char *expected = g_strconcat (path, ":2:3:", NULL);
  GError *error = NULL;

  g_assert_null (nn_dataset_read_csv (path, NN_PROBLEM_REGRESSION, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);
}

static char *
write_rows (const char *name, guint rows, gboolean header)
{
  g_autoptr (GString) text = g_string_new (header ? "x1,x2,label\n" : NULL);

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "%u.5,-%u,%u\n", i % 12, i % 6, i % 2);
  return write_file (name, text->str, (gssize) text->len);
}

/* NN_MAX_POINTS rows are fine; one more is refused with the limit named, and the reader
 * stops at the first row past the limit instead of reading the rest of the file. */
static void
test_csv_limit (void)
{
  g_autofree char *ok_path = write_rows ("max.csv", NN_MAX_POINTS, TRUE);
  g_autofree char *big_path = write_rows ("big.csv", 200001, FALSE);
  g_autofree char *expected = g_strdup_printf ("%s:%d:1:", big_path, NN_MAX_POINTS + 1);
  g_autofree char *limit = g_strdup_printf ("%d", NN_MAX_POINTS);
  g_autoptr (GArray) points = NULL;
  GError *error = NULL;
  guint classes = 0;

  points = nn_dataset_read_csv (ok_path, NN_PROBLEM_CLASSIFICATION, &classes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, NN_MAX_POINTS);
  assert_point (points, NN_MAX_POINTS - 1, (NN_MAX_POINTS - 1) % 12 + 0.5,
                -(double) ((NN_MAX_POINTS - 1) % 6), 1);

  g_assert_null (nn_dataset_read_csv (big_path, NN_PROBLEM_CLASSIFICATION, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_nonnull (strstr (error->message + strlen (expected), limit));
  g_clear_error (&error);
}

/* The CSV at `path` is refused as an I/O error whose message starts with the path and
 * says `why` (anything when NULL). */
static void
assert_io_refused (const char *path, const char *why)
{
  GError *error = NULL;

  g_assert_null (nn_dataset_read_csv (path, NN_PROBLEM_CLASSIFICATION, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (why != NULL)
    g_assert_nonnull (strstr (error->message, why));
  g_clear_error (&error);
}

static void
test_csv_missing (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.csv", NULL);

  assert_io_refused (path, NULL);
}

/* Values up to NN_CSV_MAX_VALUE in magnitude are read, in every column; the next double
 * past it is refused at its line and column, with the limit named. */
static void
test_csv_huge_values (void)
{
  double           past = nextafter (NN_CSV_MAX_VALUE, INFINITY);
  g_autofree char *max = g_strdup_printf ("%.17g", NN_CSV_MAX_VALUE);
  g_autofree char *over = g_strdup_printf ("%.17g", past);
  g_autofree char *good = g_strdup_printf ("1,2,0\n%s,-%s,-%s\n", max, max, max);
  g_autoptr (GArray) points = read_csv_text (good, NN_PROBLEM_REGRESSION, NULL);

  g_assert_cmpfloat (g_ascii_strtod (over, NULL), ==, past);
  assert_point (points, 1, NN_CSV_MAX_VALUE, -NN_CSV_MAX_VALUE, -NN_CSV_MAX_VALUE);

  for (guint column = 1; column <= 3; column++)
    {
      const char      *cells[3] = { "1", "2", "0.5" };
      g_autofree char *row = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *path = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *limit = g_strdup_printf ("%g", NN_CSV_MAX_VALUE);
      GError          *error = NULL;

      cells[column - 1] = column == 2 ? "-1e300" : over;
      row = g_strjoin (",", cells[0], cells[1], cells[2], NULL);
      contents = g_strconcat ("x1,x2,y\n1,2,0\n", row, "\n3,4,1\n", NULL);
      path = write_file ("huge.csv", contents, -1);
      expected = g_strdup_printf ("%s:3:%u: '%s' is too large", path, column, cells[column - 1]);
      g_assert_null (nn_dataset_read_csv (path, NN_PROBLEM_REGRESSION, NULL, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_nonnull (strstr (error->message, limit));
      g_clear_error (&error);
    }
}

/* In the subprocess of test_csv_not_regular: the file it names is refused, by its name, as
 * not a regular file. */
static void
assert_not_regular_refused (const char *path)
{
  assert_io_refused (path, "not a regular file");
}

/* Reads `path` in a subprocess (the environment passes it on), so that a reader blocking
 * on it fails the test after five seconds (room for a loaded machine or a sanitizer's
 * start-up) instead of hanging it. */
static void
assert_refused_quickly (const char *path)
{
  g_test_message ("reading %s", path);
  g_setenv ("NL_TEST_CSV_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A folder, a FIFO nobody writes to and a device that never ends (/dev/zero): each refused
 * at once, by name, instead of blocking in open() or reading forever. */
static void
test_csv_not_regular (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *fifo = NULL;

  if (g_test_subprocess ())
    {
      assert_not_regular_refused (g_getenv ("NL_TEST_CSV_PATH"));
      return;
    }
  folder = g_build_filename (tmp_dir, "folder.csv", NULL);
  fifo = g_build_filename (tmp_dir, "fifo.csv", NULL);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  assert_refused_quickly (folder);
  assert_refused_quickly (fifo);
  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    assert_refused_quickly ("/dev/zero");
  g_unsetenv ("NL_TEST_CSV_PATH");
  g_rmdir (folder);
  g_unlink (fifo);
}

/* The CSV generator: a path relative to base_dir, shuffled by the seed, split by ratio. */
static void
test_csv_spec (void)
{
  g_autofree char *path = write_rows ("spec.csv", 100, TRUE);
  NnDatasetSpec spec;
  g_autoptr (NnDataset) a = NULL;
  g_autoptr (NnDataset) b = NULL;
  g_autoptr (NnDataset) c = NULL;
  g_autofree NnPoint *all = NULL;
  GError *error = NULL;
  double sum = 0.0;
  guint n;

  nn_dataset_spec_init (&spec);
  spec.generator = NN_GENERATOR_CSV;
  spec.train_ratio = 0.7;
  spec.path = g_strdup ("spec.csv");

  a = nn_dataset_new_from_spec (&spec, 3, tmp_dir, &error);
  g_assert_no_error (error);
  b = nn_dataset_new_from_spec (&spec, 3, tmp_dir, &error);
  c = nn_dataset_new_from_spec (&spec, 4, tmp_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->n_train, ==, 70);
  g_assert_cmpuint (a->n_test, ==, 30);
  g_assert_cmpuint (a->classes, ==, 2);
  g_assert_true (same_points (a, b));
  g_assert_false (same_points (a, c));

  /* A shuffle, not a change: the rows are all still there (their sum of x1 is fixed). */
  all = all_points (a, &n);
  g_assert_cmpuint (n, ==, 100);
  for (guint i = 0; i < n; i++)
    sum += all[i].x1 - (i % 12 + 0.5);
  g_assert_cmpfloat_with_epsilon (sum, 0.0, 1e-9);

  /* A file with more classes than the project's network has outputs for is refused. */
  g_clear_pointer (&spec.path, g_free);
  spec.path = write_file ("three.csv", "1,2,0\n3,4,1\n5,6,2\n", -1);
  g_assert_null (nn_dataset_new_from_spec (&spec, 3, "/nonexistent", &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dataset.classes"));
  g_clear_error (&error);

  nn_dataset_spec_clear (&spec);
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("nl-test-dataset-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/dataset/spec/defaults", test_spec_defaults);
  g_test_add_func ("/dataset/spec/copy", test_spec_copy);
  g_test_add_func ("/dataset/spec/validate-errors", test_spec_validate_errors);
  g_test_add_func ("/dataset/spec/validate-limits", test_spec_validate_limits);
  g_test_add_func ("/dataset/generate/determinism", test_determinism);
  g_test_add_func ("/dataset/generate/split-sizes", test_split_sizes);
  g_test_add_func ("/dataset/generate/balanced-classes", test_balanced_classes);
  g_test_add_func ("/dataset/generate/in-plane", test_in_plane);
  g_test_add_func ("/dataset/generate/noise-jitters", test_noise_jitters);
  g_test_add_func ("/dataset/generate/circle", test_circle);
  g_test_add_func ("/dataset/generate/circle-noisy-overlaps", test_circle_noisy_overlaps);
  g_test_add_func ("/dataset/generate/xor", test_xor);
  g_test_add_func ("/dataset/generate/gauss", test_gauss);
  g_test_add_func ("/dataset/generate/spiral", test_spiral);
  g_test_add_func ("/dataset/generate/moons", test_moons);
  g_test_add_func ("/dataset/generate/blobs", test_blobs);
  g_test_add_func ("/dataset/generate/regression-targets", test_regression_targets);
  g_test_add_func ("/dataset/generate/regression-noise", test_regression_noise);
  g_test_add_func ("/dataset/points/classification", test_points);
  g_test_add_func ("/dataset/points/regression", test_points_regression);
  g_test_add_func ("/dataset/csv/header", test_csv_header);
  g_test_add_func ("/dataset/csv/loose", test_csv_loose);
  g_test_add_func ("/dataset/csv/separators", test_csv_separators);
  g_test_add_func ("/dataset/csv/minus-one-labels", test_csv_minus_one_labels);
  g_test_add_func ("/dataset/csv/regression", test_csv_regression);
  g_test_add_func ("/dataset/csv/errors", test_csv_errors);
  g_test_add_func ("/dataset/csv/too-few", test_csv_too_few);
  g_test_add_func ("/dataset/csv/random-junk", test_csv_random_junk);
  g_test_add_func ("/dataset/csv/long-line", test_csv_long_line);
  g_test_add_func ("/dataset/csv/limit", test_csv_limit);
  g_test_add_func ("/dataset/csv/missing", test_csv_missing);
  g_test_add_func ("/dataset/csv/huge-values", test_csv_huge_values);
  g_test_add_func ("/dataset/csv/not-regular", test_csv_not_regular);
  g_test_add_func ("/dataset/csv/spec", test_csv_spec);

  status = g_test_run ();
  test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
