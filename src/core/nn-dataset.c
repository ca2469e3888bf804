/* nn-dataset.c: the seeded data generators, inline points and CSV data.
 *
 * Ranges nn_dataset_spec_validate() accepts (messages use the project file's key names):
 *   dataset.count        NN_MIN_POINTS..NN_MAX_POINTS (generators; POINTS and CSV ignore it)
 *   dataset.noise        0..1 (generators)
 *   dataset.train_ratio  0.1..1 (generators and CSV; 1 puts every point in training)
 *   dataset.classes      spiral 2..4; blobs, points and csv 2..8; other classifiers 2;
 *                        ignored for regression
 *   dataset.generator    a regression generator needs the regression problem and a
 *                        classification generator the classification problem
 *
 * Generated data: `count` points, classes as balanced as `count` allows (point i has class
 * i mod K), shuffled with the seed, then the first round(count · train_ratio) (at least one)
 * are the training set. Every random draw is made whatever the noise, so the same seed
 * with a different noise gives the same points, only jittered differently. Noise is a
 * fraction of each generator's natural scale; at noise 1 the classes overlap about as much
 * as TensorFlow Playground's at its noise 50. Points are clamped into the plane.
 *
 *   circle      class 0 in the disc r < 2.5, class 1 on the ring 3.5 < r < 5;
 *               noise: uniform jitter of ±2.5 per coordinate
 *   xor         |x1|, |x2| in 0.3..5.3; class 1 where x1·x2 > 0; jitter ±2.5
 *   gauss       class 0 around (−2, −2), class 1 around (2, 2); sd √(0.5 + 3.5 noise)
 *   spiral      K arms r = 5t, θ = 3.5πt + 2πk/K, evenly spaced in t; jitter ±1
 *   moons       two interleaving half circles of radius 2.5; jitter ±1.25
 *   blobs       K clusters around a circle of radius 4; sd 0.5 + noise
 *   regression  (x1, x2) uniform over the plane; the target is taken at a position
 *               jittered by up to ±3·noise (as Playground does), so it stays in [−1, 1]:
 *               plane (x1 + x2)/12, multi_gauss six signed bumps, sine_ridge sin x1 cos x2
 *
 * CSV files are read line by line with a bounded line length and stop at the first row
 * past NN_MAX_POINTS, so a huge or binary file is refused quickly without filling memory.
 * Only regular files are read (a FIFO would block, /dev/zero never end), and values beyond
 * ±NN_CSV_MAX_VALUE are refused with their line and column.
 */
#include "nn-dataset.h"
#include "nn-file.h"
#include "nn-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIN_TRAIN_RATIO 0.1
#define MAX_TRAIN_RATIO 1.0
#define CSV_MAX_LINE    1024
#define CSV_COLUMNS     3
#define CSV_MAX_LABEL   (NN_MAX_CLASSES - 1)

/* ---------------------------------------------------------------------------------------
 * Specs
 */

void
nn_dataset_spec_init (NnDatasetSpec *spec)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->generator = NN_GENERATOR_CIRCLE;
  spec->problem = NN_PROBLEM_CLASSIFICATION;
  spec->classes = 2;
  spec->count = 500;
  spec->noise = 0.0;
  spec->train_ratio = 0.5;
}

void
nn_dataset_spec_clear (NnDatasetSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->points, g_array_unref);
  g_clear_pointer (&spec->test_points, g_array_unref);
  g_clear_pointer (&spec->path, g_free);
}

/* `dst` is overwritten as if uninitialised: clear it first if it owns anything. */
void
nn_dataset_spec_copy (NnDatasetSpec *dst, const NnDatasetSpec *src)
{
  g_return_if_fail (dst != NULL);
  g_return_if_fail (src != NULL);

  if (dst == src)
    return;
  *dst = *src;
  dst->points = src->points != NULL ? g_array_copy (src->points) : NULL;
  dst->test_points = src->test_points != NULL ? g_array_copy (src->test_points) : NULL;
  dst->path = g_strdup (src->path);
}

static gboolean invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Sets an NN_ERROR_INVALID error and returns FALSE, so checks read as one line each. */
static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, NN_ERROR, NN_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_generated (NnGenerator g)
{
  return g != NN_GENERATOR_POINTS && g != NN_GENERATOR_CSV;
}

static void
class_range (NnGenerator g, guint *min, guint *max)
{
  *min = NN_MIN_CLASSES;
  if (g == NN_GENERATOR_SPIRAL)
    *max = 4;
  else if (g == NN_GENERATOR_BLOBS || !is_generated (g))
    *max = NN_MAX_CLASSES;
  else
    *max = NN_MIN_CLASSES;
}

static gboolean
is_class_index (double y, guint classes)
{
  return y >= 0 && y < classes && y == floor (y);
}

static gboolean
validate_point_list (const NnDatasetSpec *spec, const GArray *list, const char *key,
                     GError **error)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const NnPoint *p = &g_array_index (list, NnPoint, i);

      if (!isfinite (p->x1) || !isfinite (p->x2) || !isfinite (p->y))
        /* Translators: %s is the project file's key, points or test_points (keep it as
         * it is); %u is the point's index in that list. */
        return invalid (error, _("dataset.%s[%u]: values must be finite numbers"), key, i);
      if (spec->problem == NN_PROBLEM_CLASSIFICATION && !is_class_index (p->y, spec->classes))
        /* Translators: dataset.%s[%u] is a place in the project file (the key points or
         * test_points and the point's index); %g the label found, %u the last class. */
        return invalid (error, _("dataset.%s[%u]: label %g is not a class index 0..%u"), key,
                        i, p->y, spec->classes - 1);
    }
  return TRUE;
}

static gboolean
validate_points (const NnDatasetSpec *spec, GError **error)
{
  guint n_train = spec->points != NULL ? spec->points->len : 0;
  guint n_test = spec->test_points != NULL ? spec->test_points->len : 0;

  if (n_train == 0)
    /* Translators: dataset.points is a key and "points" a generator's name in the project
     * file: keep both as they are. */
    return invalid (error, _("dataset.points: generator points needs at least one point"));
  if ((guint64) n_train + n_test > NN_MAX_POINTS)
    /* Translators: dataset.points and test_points are keys of the project file. */
    return invalid (error, _("dataset.points: %u points with test_points, the limit is %d"),
                    n_train + n_test, NN_MAX_POINTS);
  return validate_point_list (spec, spec->points, "points", error)
         && validate_point_list (spec, spec->test_points, "test_points", error);
}

static gboolean
validate_problem (const NnDatasetSpec *spec, GError **error)
{
  NnGenerator g = spec->generator;

  if ((guint) spec->problem >= NN_N_PROBLEMS)
    /* Translators: the first "problem" is the project file's key: keep it as it is. */
    return invalid (error, _("problem: unknown problem %d"), (int) spec->problem);
  if (is_generated (g) && nn_generator_problem (g) != spec->problem)
    /* Translators: dataset.generator is a key of the project file; the first %s is a
     * generator's name (circle, spiral…), the others a problem's name as the file spells
     * it (classification or regression). */
    return invalid (error, _("dataset.generator: %s makes %s data, but the problem is %s"),
                    nn_generator_to_string (g),
                    nn_problem_to_string (nn_generator_problem (g)),
                    nn_problem_to_string (spec->problem));
  return TRUE;
}

static gboolean
validate_classes (const NnDatasetSpec *spec, GError **error)
{
  guint min, max;

  if (spec->problem != NN_PROBLEM_CLASSIFICATION)
    return TRUE;
  class_range (spec->generator, &min, &max);
  if (spec->classes < min || spec->classes > max)
    {
      if (min == max)
        /* Translators: dataset.classes is a key of the project file, %s a generator's
         * name (xor, circle…). */
        return invalid (error, _("dataset.classes: %s makes exactly %u classes, not %u"),
                        nn_generator_to_string (spec->generator), min, spec->classes);
      /* Translators: dataset.classes is a key of the project file, %s a generator's
       * name (spiral, blobs…). */
      return invalid (error, _("dataset.classes: %s needs %u to %u classes, not %u"),
                      nn_generator_to_string (spec->generator), min, max, spec->classes);
    }
  return TRUE;
}

static gboolean
validate_sizes (const NnDatasetSpec *spec, GError **error)
{
  if (is_generated (spec->generator))
    {
      if (spec->count < NN_MIN_POINTS || spec->count > NN_MAX_POINTS)
        /* Translators: dataset.count is a key of the project file: keep it as it is. */
        return invalid (error, _("dataset.count: %u is out of range (%d to %d)"), spec->count,
                        NN_MIN_POINTS, NN_MAX_POINTS);
      /* Written so that NaN fails too. */
      if (!(spec->noise >= 0.0 && spec->noise <= 1.0))
        /* Translators: dataset.noise is a key of the project file: keep it as it is. */
        return invalid (error, _("dataset.noise: %g is out of range (0 to 1)"), spec->noise);
    }
  if (spec->generator != NN_GENERATOR_POINTS
      && !(spec->train_ratio >= MIN_TRAIN_RATIO && spec->train_ratio <= MAX_TRAIN_RATIO))
    /* Translators: dataset.train_ratio is a key of the project file: keep it as it is. */
    return invalid (error, _("dataset.train_ratio: %g is out of range (%g to %g)"),
                    spec->train_ratio, MIN_TRAIN_RATIO, MAX_TRAIN_RATIO);
  return TRUE;
}

gboolean
nn_dataset_spec_validate (const NnDatasetSpec *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  if ((guint) spec->generator >= NN_N_GENERATORS)
    /* Translators: dataset.generator is a key of the project file: keep it as it is. */
    return invalid (error, _("dataset.generator: unknown generator %d"),
                    (int) spec->generator);
  if (!validate_problem (spec, error) || !validate_classes (spec, error)
      || !validate_sizes (spec, error))
    return FALSE;
  if (spec->generator == NN_GENERATOR_POINTS)
    return validate_points (spec, error);
  if (spec->generator == NN_GENERATOR_CSV && (spec->path == NULL || spec->path[0] == '\0'))
    /* Translators: dataset.path is a key and "csv" a generator's name in the project file:
     * keep both as they are. */
    return invalid (error, _("dataset.path: generator csv needs the path of a CSV file"));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------
 * Datasets
 */

NnDataset *
nn_dataset_new_from_points (NnProblem problem, guint classes, const NnPoint *train,
                            guint n_train, const NnPoint *test, guint n_test)
{
  NnDataset *ds;

  g_return_val_if_fail (n_train == 0 || train != NULL, NULL);
  g_return_val_if_fail (n_test == 0 || test != NULL, NULL);

  ds = g_new0 (NnDataset, 1);
  ds->problem = problem;
  ds->classes = problem == NN_PROBLEM_CLASSIFICATION ? classes : 0;
  ds->n_train = n_train;
  ds->n_test = n_test;
  ds->train = n_train > 0 ? g_memdup2 (train, sizeof (NnPoint) * n_train) : NULL;
  ds->test = n_test > 0 ? g_memdup2 (test, sizeof (NnPoint) * n_test) : NULL;
  return ds;
}

NnDataset *
nn_dataset_copy (const NnDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);

  return nn_dataset_new_from_points (ds->problem, ds->classes, ds->train, ds->n_train,
                                     ds->test, ds->n_test);
}

void
nn_dataset_free (NnDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->train);
  g_free (ds->test);
  g_free (ds);
}

static void
shuffle_points (NnPoint *p, guint n, GRand *rand)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      NnPoint tmp = p[i - 1];

      p[i - 1] = p[j];
      p[j] = tmp;
    }
}

/* Shuffles all n points and splits them: the first round(n · ratio), at least one, train. */
static NnDataset *
split_points (NnProblem problem, guint classes, NnPoint *all, guint n, double train_ratio,
              GRand *rand)
{
  guint n_train = (guint) CLAMP (round (n * train_ratio), 1.0, (double) n);

  shuffle_points (all, n, rand);
  return nn_dataset_new_from_points (problem, classes, all, n_train, all + n_train,
                                     n - n_train);
}

/* ---------------------------------------------------------------------------------------
 * Generators
 */

typedef struct
{
  GRand *rand;
  guint  classes;
  double noise;
} GenContext;

/* Places one point of class `label`; t in [0, 1) is its rank within its class. */
typedef void (*GenFunc) (GenContext *ctx, guint label, double t, NnPoint *p);

static double
uniform (GenContext *ctx, double lo, double hi)
{
  return g_rand_double_range (ctx->rand, lo, hi);
}

/* Box–Muller; 1 − u keeps the logarithm's argument in (0, 1]. */
static double
normal (GenContext *ctx)
{
  double u = 1.0 - g_rand_double (ctx->rand);
  double v = g_rand_double (ctx->rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static double
clamp_to_plane (double x)
{
  return CLAMP (x, NN_PLANE_MIN, NN_PLANE_MAX);
}

/* Uniform jitter of ±scale·noise on both coordinates, then back into the plane. */
static void
place_jittered (GenContext *ctx, double x1, double x2, double scale, NnPoint *p)
{
  double dx = uniform (ctx, -scale, scale) * ctx->noise;
  double dy = uniform (ctx, -scale, scale) * ctx->noise;

  p->x1 = clamp_to_plane (x1 + dx);
  p->x2 = clamp_to_plane (x2 + dy);
}

static void
gen_circle (GenContext *ctx, guint label, double t, NnPoint *p)
{
  double r = label == 0 ? uniform (ctx, 0.0, 2.5) : uniform (ctx, 3.5, 5.0);
  double angle = uniform (ctx, 0.0, 2.0 * G_PI);

  place_jittered (ctx, r * sin (angle), r * cos (angle), 2.5, p);
  p->y = label;
}

static void
gen_xor (GenContext *ctx, guint label, double t, NnPoint *p)
{
  /* The 0.3 margin keeps noiseless points visibly off the axes, as Playground does. */
  double a = uniform (ctx, 0.3, 5.3);
  double b = uniform (ctx, 0.3, 5.3);
  double s1 = g_rand_boolean (ctx->rand) ? 1.0 : -1.0;
  double s2 = label == 1 ? s1 : -s1;

  place_jittered (ctx, s1 * a, s2 * b, 2.5, p);
  p->y = label;
}

static void
gen_gauss (GenContext *ctx, guint label, double t, NnPoint *p)
{
  double c = label == 1 ? 2.0 : -2.0;
  double sd = sqrt (0.5 + 3.5 * ctx->noise);
  double n1 = normal (ctx);
  double n2 = normal (ctx);

  p->x1 = clamp_to_plane (c + sd * n1);
  p->x2 = clamp_to_plane (c + sd * n2);
  p->y = label;
}

static void
gen_spiral (GenContext *ctx, guint label, double t, NnPoint *p)
{
  double r = 5.0 * t;
  double angle = 1.75 * 2.0 * G_PI * t + 2.0 * G_PI * label / ctx->classes;

  place_jittered (ctx, r * sin (angle), r * cos (angle), 1.0, p);
  p->y = label;
}

static void
gen_moons (GenContext *ctx, guint label, double t, NnPoint *p)
{
  /* Unit moons: the upper half circle about (0, 0) and the lower one about (1, 0.5),
   * centred on the origin and scaled by 2.5. */
  double angle = uniform (ctx, 0.0, G_PI);
  double u = label == 0 ? cos (angle) : 1.0 - cos (angle);
  double v = label == 0 ? sin (angle) : 0.5 - sin (angle);

  place_jittered (ctx, 2.5 * (u - 0.5), 2.5 * (v - 0.25), 1.25, p);
  p->y = label;
}

static void
gen_blobs (GenContext *ctx, guint label, double t, NnPoint *p)
{
  double angle = 2.0 * G_PI * label / ctx->classes;
  double sd = 0.5 + ctx->noise;
  double n1 = normal (ctx);
  double n2 = normal (ctx);

  p->x1 = clamp_to_plane (4.0 * cos (angle) + sd * n1);
  p->x2 = clamp_to_plane (4.0 * sin (angle) + sd * n2);
  p->y = label;
}

static double
plane_target (double x1, double x2)
{
  return (x1 + x2) / 12.0;
}

static double
multi_gauss_target (double x1, double x2)
{
  static const double bumps[][3] = {
    { -4.0, 2.5, 1.0 },  { 0.0, 2.5, -1.0 },  { 4.0, 2.5, 1.0 },
    { -4.0, -2.5, -1.0 }, { 0.0, -2.5, 1.0 }, { 4.0, -2.5, -1.0 },
  };
  const double two_sigma_sq = 2.0 * 1.25 * 1.25;
  double y = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (bumps); i++)
    {
      double dx = x1 - bumps[i][0];
      double dy = x2 - bumps[i][1];

      y += bumps[i][2] * exp (-(dx * dx + dy * dy) / two_sigma_sq);
    }
  /* The bumps barely overlap, but the promise is [−1, 1]. */
  return CLAMP (y, -1.0, 1.0);
}

static double
sine_ridge_target (double x1, double x2)
{
  return sin (x1) * cos (x2);
}

static void
gen_regression (GenContext *ctx, double (*target) (double, double), NnPoint *p)
{
  double x1 = uniform (ctx, NN_PLANE_MIN, NN_PLANE_MAX);
  double x2 = uniform (ctx, NN_PLANE_MIN, NN_PLANE_MAX);
  NnPoint at;

  place_jittered (ctx, x1, x2, 3.0, &at);
  p->x1 = x1;
  p->x2 = x2;
  p->y = target (at.x1, at.x2);
}

static void
gen_plane (GenContext *ctx, guint label, double t, NnPoint *p)
{
  gen_regression (ctx, plane_target, p);
}

static void
gen_multi_gauss (GenContext *ctx, guint label, double t, NnPoint *p)
{
  gen_regression (ctx, multi_gauss_target, p);
}

static void
gen_sine_ridge (GenContext *ctx, guint label, double t, NnPoint *p)
{
  gen_regression (ctx, sine_ridge_target, p);
}

static GenFunc
generator_func (NnGenerator g)
{
  switch (g)
    {
    case NN_GENERATOR_CIRCLE:      return gen_circle;
    case NN_GENERATOR_XOR:         return gen_xor;
    case NN_GENERATOR_GAUSS:       return gen_gauss;
    case NN_GENERATOR_SPIRAL:      return gen_spiral;
    case NN_GENERATOR_MOONS:       return gen_moons;
    case NN_GENERATOR_BLOBS:       return gen_blobs;
    case NN_GENERATOR_PLANE:       return gen_plane;
    case NN_GENERATOR_MULTI_GAUSS: return gen_multi_gauss;
    case NN_GENERATOR_SINE_RIDGE:  return gen_sine_ridge;
    case NN_GENERATOR_POINTS:
    case NN_GENERATOR_CSV:
    case NN_N_GENERATORS:
    default:
      g_assert_not_reached ();
    }
}

static NnDataset *
generate (const NnDatasetSpec *spec, GRand *rand)
{
  NnProblem problem = nn_generator_problem (spec->generator);
  guint k = problem == NN_PROBLEM_CLASSIFICATION ? spec->classes : 1;
  GenFunc func = generator_func (spec->generator);
  GenContext ctx = { rand, k, spec->noise };
  g_autofree NnPoint *all = g_new (NnPoint, spec->count);

  for (guint i = 0; i < spec->count; i++)
    {
      guint label = i % k;
      guint in_class = (spec->count - label + k - 1) / k;

      func (&ctx, label, (double) (i / k) / in_class, &all[i]);
    }
  return split_points (problem, k, all, spec->count, spec->train_ratio, rand);
}

static NnDataset *
load_csv (const NnDatasetSpec *spec, GRand *rand, const char *base_dir, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GArray) points = NULL;
  guint classes = 0;

  if (g_path_is_absolute (spec->path) || base_dir == NULL)
    path = g_strdup (spec->path);
  else
    path = g_build_filename (base_dir, spec->path, NULL);

  points = nn_dataset_read_csv (path, spec->problem, &classes, error);
  if (points == NULL)
    return NULL;
  /* The network's outputs were sized from dataset.classes before the file was read. */
  if (spec->problem == NN_PROBLEM_CLASSIFICATION && classes > spec->classes)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("%s: the labels make %u classes, but dataset.classes is %u"), path, classes,
                   spec->classes);
      return NULL;
    }
  return split_points (spec->problem, spec->classes, (NnPoint *) points->data,
                       points->len, spec->train_ratio, rand);
}

NnDataset *
nn_dataset_new_from_spec (const NnDatasetSpec *spec, guint32 seed, const char *base_dir,
                          GError **error)
{
  g_autoptr (GRand) rand = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!nn_dataset_spec_validate (spec, error))
    return NULL;

  if (spec->generator == NN_GENERATOR_POINTS)
    {
      const GArray *test = spec->test_points;

      return nn_dataset_new_from_points (spec->problem, spec->classes,
                                         (const NnPoint *) spec->points->data,
                                         spec->points->len,
                                         test != NULL ? (const NnPoint *) test->data
                                                      : NULL,
                                         test != NULL ? test->len : 0);
    }

  rand = g_rand_new_with_seed (seed);
  if (spec->generator == NN_GENERATOR_CSV)
    return load_csv (spec, rand, base_dir, error);
  return generate (spec, rand);
}

/* ---------------------------------------------------------------------------------------
 * CSV
 */

typedef struct
{
  const char *path;
  FILE       *fp;
  guint       line_no;
  char        sep;      /* 0 until the first non-blank line decides it */
  char        line[CSV_MAX_LINE + 1];
  gsize       len;
} CsvReader;

/* What the labels seen so far say about the file's encoding of classes. */
typedef struct
{
  guint  minus_one_line;  /* first line with label −1, or 0 */
  guint  index_line;      /* first line with a label 0 or 2..7, or 0 */
  double index_label;
  guint  max_label;
} LabelStats;

static gboolean csv_error (CsvReader *r, GError **error, guint column, const char *format,
                           ...) G_GNUC_PRINTF (4, 5);

/* "path:line:column: message", as compilers print it, so editors can jump to it. */
static gboolean
csv_error (CsvReader *r, GError **error, guint column, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NN_ERROR, NN_ERROR_PARSE, "%s:%u:%u: %s", r->path, r->line_no, column,
               message);
  return FALSE;
}

/* 1-based column of byte `pos`, counting separators before it. */
static guint
csv_column_at (const CsvReader *r, gsize pos)
{
  char sep = r->sep != 0 ? r->sep : ',';
  guint column = 1;

  for (gsize i = 0; i < pos && i < r->len; i++)
    if (r->line[i] == sep)
      column++;
  return column;
}

static gboolean
is_control (int c)
{
  return (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f;
}

/* Reads one line into r->line. Sets *eof at the end of the file with no line read. Control
 * bytes (NUL included) and lines longer than CSV_MAX_LINE are errors as soon as they are
 * met: a text file of x1,x2,y rows has neither, and binary junk is refused without reading
 * on. */
static gboolean
csv_read_line (CsvReader *r, gboolean *eof, GError **error)
{
  int c;

  r->len = 0;
  r->line_no++;
  while ((c = getc (r->fp)) != EOF && c != '\n')
    {
      if (is_control (c))
        return csv_error (r, error, csv_column_at (r, r->len),
                          _("binary data (byte 0x%02x), not a text file of x1,x2,y rows"), c);
      if (r->len == CSV_MAX_LINE)
        return csv_error (r, error, csv_column_at (r, r->len),
                          _("the line is longer than %d bytes; not a file of x1,x2,y rows"),
                          CSV_MAX_LINE);
      r->line[r->len++] = (char) c;
    }
  if (ferror (r->fp))
    {
      int saved_errno = errno;

      g_set_error (error, NN_ERROR, NN_ERROR_IO, "%s: %s", r->path, g_strerror (saved_errno));
      return FALSE;
    }
  r->line[r->len] = '\0';
  *eof = c == EOF && r->len == 0;
  return TRUE;
}

/* Bytes past ASCII only ever belong to a header; they must at least be text. */
static gboolean
csv_check_utf8 (CsvReader *r, GError **error)
{
  const char *end = NULL;

  if (!g_utf8_validate_len (r->line, r->len, &end))
    return csv_error (r, error, csv_column_at (r, (gsize) (end - r->line)),
                      _("binary data (invalid UTF-8), not a text file of x1,x2,y rows"));
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static char
detect_separator (const char *line)
{
  /* ';' first: files written with a decimal comma use ';' between fields. */
  if (strchr (line, ';') != NULL)
    return ';';
  if (strchr (line, '\t') != NULL && strchr (line, ',') == NULL)
    return '\t';
  return ',';
}

/* Splits r->line in place at the separator into stripped fields; returns how many fields
 * the line has, storing at most CSV_COLUMNS of them. */
static guint
csv_split (CsvReader *r, char **fields)
{
  char *p = r->line;
  guint n = 0;

  for (;;)
    {
      char *next = strchr (p, r->sep);

      if (next != NULL)
        *next = '\0';
      if (n < CSV_COLUMNS)
        fields[n] = g_strstrip (p);
      n++;
      if (next == NULL)
        return n;
      p = next + 1;
    }
}

static gboolean
parse_number (const char *field, double *out)
{
  char *end = NULL;

  if (field[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (field, &end);
  return end != field && *end == '\0';
}

static gboolean
is_header (char **fields, guint n)
{
  double v;

  for (guint i = 0; i < MIN (n, CSV_COLUMNS); i++)
    if (parse_number (fields[i], &v))
      return FALSE;
  return TRUE;
}

static gboolean
csv_check_columns (CsvReader *r, guint n, GError **error)
{
  if (n < CSV_COLUMNS)
    return csv_error (r, error, n + 1, _("expected %d columns (x1,x2,y), found %u"),
                      CSV_COLUMNS, n);
  if (n > CSV_COLUMNS)
    return csv_error (r, error, CSV_COLUMNS + 1, _("expected %d columns (x1,x2,y), found %u"),
                      CSV_COLUMNS, n);
  return TRUE;
}

static gboolean
csv_parse_label (CsvReader *r, double y, const char *field, LabelStats *stats,
                 GError **error)
{
  if (y != floor (y) || y < -1.0 || y > CSV_MAX_LABEL)
    return csv_error (r, error, CSV_COLUMNS,
                      _("label '%s' is not a class index 0..%d (or -1/1)"), field,
                      CSV_MAX_LABEL);
  if (y == -1.0)
    {
      if (stats->minus_one_line == 0)
        stats->minus_one_line = r->line_no;
    }
  else
    {
      if (y != 1.0 && stats->index_line == 0)
        {
          stats->index_line = r->line_no;
          stats->index_label = y;
        }
      stats->max_label = MAX (stats->max_label, (guint) y);
    }
  return TRUE;
}

static gboolean
csv_parse_row (CsvReader *r, char **fields, NnProblem problem, NnPoint *p,
               LabelStats *stats, GError **error)
{
  double v[CSV_COLUMNS];

  for (guint i = 0; i < CSV_COLUMNS; i++)
    {
      if (fields[i][0] == '\0')
        return csv_error (r, error, i + 1, _("the value is missing"));
      if (!parse_number (fields[i], &v[i]))
        return csv_error (r, error, i + 1, _("'%s' is not a number"), fields[i]);
      if (!isfinite (v[i]))
        return csv_error (r, error, i + 1, _("'%s' is not a finite number"), fields[i]);
      if (fabs (v[i]) > NN_CSV_MAX_VALUE)
        /* Translators: %s is the value as written in the file, %g the limit (1e+06). */
        return csv_error (r, error, i + 1, _("'%s' is too large (at most %g in magnitude)"),
                          fields[i], NN_CSV_MAX_VALUE);
    }
  p->x1 = v[0];
  p->x2 = v[1];
  p->y = v[2];
  if (problem == NN_PROBLEM_CLASSIFICATION)
    return csv_parse_label (r, v[2], fields[2], stats, error);
  return TRUE;
}

/* Handles one non-blank line: the header, or a row appended to `points`. */
static gboolean
csv_handle_line (CsvReader *r, GArray *points, NnProblem problem, gboolean *first,
                 LabelStats *stats, GError **error)
{
  char *fields[CSV_COLUMNS];
  gboolean was_first = *first;
  guint n;
  NnPoint p;

  if (!csv_check_utf8 (r, error))
    return FALSE;
  if (r->sep == 0)
    r->sep = detect_separator (r->line);
  *first = FALSE;
  n = csv_split (r, fields);
  if (!csv_check_columns (r, n, error))
    return FALSE;
  if (was_first && is_header (fields, n))
    return TRUE;
  if (points->len == NN_MAX_POINTS)
    return csv_error (r, error, 1, _("more than %d data rows; the limit is %d points"),
                      NN_MAX_POINTS, NN_MAX_POINTS);
  if (!csv_parse_row (r, fields, problem, &p, stats, error))
    return FALSE;
  g_array_append_val (points, p);
  return TRUE;
}

/* Labels are either class indices 0..7 or exactly the −1/1 of Playground's files. */
static gboolean
csv_finish_labels (CsvReader *r, GArray *points, const LabelStats *stats, guint *classes,
                   GError **error)
{
  if (stats->minus_one_line != 0 && stats->index_line != 0)
    {
      gboolean index_later = stats->index_line > stats->minus_one_line;

      r->line_no = MAX (stats->index_line, stats->minus_one_line);
      return csv_error (r, error, CSV_COLUMNS,
                        _("label %g mixes labels -1/1 (line %u) with class indices (line %u)"),
                        index_later ? stats->index_label : -1.0, stats->minus_one_line,
                        stats->index_line);
    }
  if (stats->minus_one_line != 0)
    {
      for (guint i = 0; i < points->len; i++)
        {
          NnPoint *p = &g_array_index (points, NnPoint, i);

          p->y = p->y > 0.0 ? 1.0 : 0.0;
        }
      *classes = 2;
    }
  else
    *classes = MAX (stats->max_label + 1, NN_MIN_CLASSES);
  return TRUE;
}

static gboolean
csv_read_rows (CsvReader *r, GArray *points, NnProblem problem, guint *classes,
               GError **error)
{
  LabelStats stats = { 0, 0, 0.0, 0 };
  gboolean first = TRUE;
  gboolean eof = FALSE;

  while (csv_read_line (r, &eof, error))
    {
      if (eof)
        break;
      if (is_blank (r->line))
        continue;
      if (!csv_handle_line (r, points, problem, &first, &stats, error))
        return FALSE;
    }
  if (!eof)
    return FALSE;

  if (points->len < NN_MIN_POINTS)
    {
      if (first)
        g_set_error (error, NN_ERROR, NN_ERROR_PARSE,
                     _("%s: the file is empty; expected x1,x2,y rows"), r->path);
      else
        g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("%s: %u data rows, at least %d are needed"),
                     r->path, points->len, NN_MIN_POINTS);
      return FALSE;
    }
  if (problem == NN_PROBLEM_CLASSIFICATION)
    return csv_finish_labels (r, points, &stats, classes, error);
  *classes = 0;
  return TRUE;
}

/* The CSV file as a stream: a regular file only (nn_file_open_regular()). */
static FILE *
csv_open (const char *path, GError **error)
{
  int   fd = nn_file_open_regular (path, error);
  FILE *fp;

  if (fd < 0)
    return NULL;
  fp = fdopen (fd, "rb");
  if (fp == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      int saved_errno = errno;

      close (fd);
      g_set_error (error, NN_ERROR, NN_ERROR_IO, "%s: %s", name, g_strerror (saved_errno));
    }
  return fp;
}

GArray *
nn_dataset_read_csv (const char *path, NnProblem problem, guint *classes_out,
                     GError **error)
{
  g_autoptr (GArray) points = NULL;
  CsvReader r = { 0 };
  guint classes = 0;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r.path = path;
  r.fp = csv_open (path, error);
  if (r.fp == NULL)
    return NULL;

  points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  ok = csv_read_rows (&r, points, problem, &classes, error);
  fclose (r.fp);
  if (!ok)
    return NULL;

  if (classes_out != NULL)
    *classes_out = classes;
  return g_steal_pointer (&points);
}
