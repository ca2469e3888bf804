/* nl-bench.c: training throughput and grid-evaluation cost of the engine.
 *
 * A benchmark, not a test: it prints figures (`NAME samples_per_s=N`, `G1 ms_per_grid=N`),
 * each the median of five timed runs after a warm-up, single thread, double precision.
 * bench/compare.sh runs bench/pytorch-reference.py on the same workloads for the ratios.
 *
 *   W1  circle, 500 points, 50 % train, x1 x2, [4,2] tanh, tanh out, MSE, SGD 0.03, batch 10
 *   W2  spiral, 500 points, 50 % train, 6 × 8 tanh, tanh out, MSE, SGD 0.03, batch 10
 *   W3  W2 with all seven features
 *   W4  spiral 3 classes, 600 points, all train, [32,32] ReLU, softmax, cross-entropy,
 *       Adam 0.01, batch 32
 *   G1  the W2 network and all its neurons on a 100 × 100 grid
 */
#include "nn-project.h"
#include "nn-trainer.h"

#include <stdio.h>
#include <stdlib.h>

#define RUNS 5

typedef struct
{
  const char *name;
  NnGenerator generator;
  guint       classes;
  guint       count;
  double      train_ratio;
  guint       features;
  guint       n_hidden;
  guint       units;
  NnActivation activation;
  NnActivation output;
  NnLoss      loss;
  NnOptimizerKind optimizer;
  double      learning_rate;
  guint       batch_size;
} Workload;

static const Workload workloads[] = {
  { "W1", NN_GENERATOR_CIRCLE, 2, 500, 0.5, NN_FEATURE_X1 | NN_FEATURE_X2, 2, 0,
    NN_ACTIVATION_TANH, NN_ACTIVATION_TANH, NN_LOSS_MSE, NN_OPTIMIZER_SGD, 0.03, 10 },
  { "W2", NN_GENERATOR_SPIRAL, 2, 500, 0.5, NN_FEATURE_X1 | NN_FEATURE_X2, 6, 8,
    NN_ACTIVATION_TANH, NN_ACTIVATION_TANH, NN_LOSS_MSE, NN_OPTIMIZER_SGD, 0.03, 10 },
  { "W3", NN_GENERATOR_SPIRAL, 2, 500, 0.5, NN_FEATURES_ALL, 6, 8,
    NN_ACTIVATION_TANH, NN_ACTIVATION_TANH, NN_LOSS_MSE, NN_OPTIMIZER_SGD, 0.03, 10 },
  { "W4", NN_GENERATOR_SPIRAL, 3, 600, 1.0, NN_FEATURE_X1 | NN_FEATURE_X2, 2, 32,
    NN_ACTIVATION_RELU, NN_ACTIVATION_SOFTMAX, NN_LOSS_CROSS_ENTROPY, NN_OPTIMIZER_ADAM, 0.01,
    32 },
};

static NnProject *
workload_project (const Workload *w)
{
  NnProject *p = nn_project_new_default ();

  p->seed = 1;
  p->problem = NN_PROBLEM_CLASSIFICATION;
  p->dataset.generator = w->generator;
  p->dataset.problem = NN_PROBLEM_CLASSIFICATION;
  p->dataset.classes = w->classes;
  p->dataset.count = w->count;
  p->dataset.noise = 0.0;
  p->dataset.train_ratio = w->train_ratio;
  p->features = w->features;
  p->arch.n_hidden = w->n_hidden;
  for (guint l = 0; l < w->n_hidden; l++)
    {
      /* W1's hidden layers are [4, 2]; the others are uniform. */
      p->arch.units[l] = w->units ? w->units : (l == 0 ? 4 : 2);
      p->arch.activation[l] = w->activation;
      p->arch.alpha[l] = NN_DEFAULT_LEAKY_ALPHA;
    }
  p->arch.output_activation = w->output;
  p->loss = w->loss;
  nn_optimizer_config_init_defaults (&p->optimizer, w->optimizer);
  p->optimizer.learning_rate = w->learning_rate;
  p->batch_size = w->batch_size;
  p->shuffle = TRUE;
  p->regularization = NN_REGULARIZATION_NONE;
  g_clear_pointer (&p->weights, g_free);
  p->n_weights = 0;
  nn_project_sync_shape (p);
  return p;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *values, guint n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[n / 2];
}

/* Trains for at least `seconds` and returns samples per second. */
static double
time_training (NnTrainer *t, guint train_size, double seconds)
{
  guint64 samples = 0;
  gint64 start = g_get_monotonic_time (), elapsed;

  do
    {
      for (guint i = 0; i < 50; i++)
        nn_trainer_step_epoch (t);
      samples += (guint64) 50 * train_size;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < seconds * G_USEC_PER_SEC);
  return samples / (elapsed / (double) G_USEC_PER_SEC);
}

static NnTrainer *
build_trainer (const Workload *w)
{
  g_autoptr (NnProject) project = workload_project (w);
  g_autoptr (GError) error = NULL;
  NnTrainer *t = nn_trainer_new (project, &error);

  if (t == NULL)
    {
      fprintf (stderr, "nl-bench: %s: %s\n", w->name, error->message);
      exit (1);
    }
  nn_trainer_set_record_history (t, FALSE);
  return t;
}

static void
bench_workload (const Workload *w, double seconds)
{
  NnTrainer *t = build_trainer (w);
  guint train_size = nn_trainer_get_dataset (t)->n_train;
  double rates[RUNS];

  time_training (t, train_size, seconds / 2); /* warm-up */
  for (guint r = 0; r < RUNS; r++)
    rates[r] = time_training (t, train_size, seconds);
  printf ("%s samples_per_s=%.0f\n", w->name, median (rates, RUNS));
  fflush (stdout);
  nn_trainer_free (t);
}

static void
bench_grid (double seconds)
{
  NnTrainer *t = build_trainer (&workloads[1]);
  const guint res = 100;
  guint units = nn_network_total_units (nn_trainer_get_network (t));
  g_autofree double *output = g_new (double, res * res);
  g_autofree double *neurons = g_new (double, (gsize) units * res * res);
  double ms[RUNS];

  nn_trainer_step_epoch (t);
  for (guint r = 0; r <= RUNS; r++)
    {
      guint reps = 0;
      gint64 start = g_get_monotonic_time (), elapsed;
      do
        {
          nn_trainer_eval_grid (t, res, output, neurons);
          reps++;
          elapsed = g_get_monotonic_time () - start;
        }
      while (elapsed < seconds * G_USEC_PER_SEC / 2);
      if (r > 0) /* the first run is the warm-up */
        ms[r - 1] = elapsed / 1000.0 / reps;
    }
  printf ("G1 ms_per_grid=%.3f\n", median (ms, RUNS));
  nn_trainer_free (t);
}

int
main (int argc, char **argv)
{
  double seconds = 0.5;
  const char *only = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--seconds="))
        seconds = g_ascii_strtod (argv[i] + 10, NULL);
      else if (g_str_has_prefix (argv[i], "--only="))
        only = argv[i] + 7;
      else
        {
          fprintf (stderr, "usage: nl-bench [--seconds=S] [--only=W1|W2|W3|W4|G1]\n");
          return 1;
        }
    }
  if (!(seconds > 0.0))
    seconds = 0.5;

  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    if (only == NULL || g_strcmp0 (only, workloads[i].name) == 0)
      bench_workload (&workloads[i], seconds);
  if (only == NULL || g_strcmp0 (only, "G1") == 0)
    bench_grid (seconds);
  return 0;
}
