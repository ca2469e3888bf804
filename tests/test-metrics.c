/* test-metrics.c: confusion matrices against the trainer's accuracy, and R². */
#include "nn-metrics.h"
#include "nn-trainer.h"
#include "test-utils.h"

#include <math.h>
#include <string.h>

static NnProject *
classification_project (NnActivation output)
{
  NnProject *p = test_project_unweighted (5);

  p->arch.output_activation = output;
  if (output == NN_ACTIVATION_SOFTMAX)
    {
      p->dataset.generator = NN_GENERATOR_BLOBS;
      p->dataset.classes = 4;
      p->loss = NN_LOSS_CROSS_ENTROPY;
    }
  else if (output == NN_ACTIVATION_SIGMOID)
    p->loss = NN_LOSS_CROSS_ENTROPY;
  p->dataset.count = 700; /* 350 a split: more than one chunk */
  p->dataset.noise = 0.3;
  nn_project_sync_shape (p);
  return p;
}

/* The class the output row of point i stands for, computed here independently. */
static guint
class_of (const double *z, guint n_out, NnActivation output)
{
  guint best = 0;

  if (output == NN_ACTIVATION_SOFTMAX)
    {
      for (guint k = 1; k < n_out; k++)
        if (z[k] > z[best])
          best = k;
      return best;
    }
  return z[0] >= (output == NN_ACTIVATION_SIGMOID ? 0.5 : 0.0);
}

static void
check_split (NnTrainer *t, NnSplit split, double accuracy)
{
  const NnDataset *ds = nn_trainer_get_dataset (t);
  const NnPoint *points = split == NN_SPLIT_TRAIN ? ds->train : ds->test;
  guint n = nn_metrics_split_size (t, split);
  guint n_out = nn_trainer_get_network (t)->arch.n_outputs;
  NnActivation output = nn_trainer_get_network (t)->arch.output_activation;
  g_autofree guint *predicted = g_new (guint, n);
  g_autofree double *xy = g_new (double, 2 * n);
  g_autofree double *z = g_new (double, (gsize) n * n_out);
  NnConfusion c;
  guint sum = 0, recount[NN_MAX_CLASSES][NN_MAX_CLASSES] = { { 0 } };

  g_assert_cmpuint (n, ==, split == NN_SPLIT_TRAIN ? ds->n_train : ds->n_test);
  g_assert_cmpuint (n, >, 256);
  g_assert_true (nn_metrics_confusion (t, split, &c, predicted));
  g_assert_cmpuint (c.classes, ==, ds->classes);
  g_assert_cmpuint (c.total, ==, n);
  for (guint i = 0; i < c.classes; i++)
    for (guint j = 0; j < c.classes; j++)
      sum += c.counts[i][j];
  g_assert_cmpuint (sum, ==, n);
  /* The very number the trainer reports. */
  g_assert_cmpfloat (nn_confusion_accuracy (&c), ==, accuracy);

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = points[i].x1;
      xy[2 * i + 1] = points[i].x2;
    }
  nn_trainer_predict (t, xy, n, z);
  for (guint i = 0; i < n; i++)
    {
      guint truth = (guint) points[i].y;
      g_assert_cmpuint (predicted[i], ==, class_of (z + (gsize) i * n_out, n_out, output));
      recount[truth][predicted[i]]++;
    }
  g_assert_cmpmem (recount, sizeof recount, c.counts, sizeof c.counts);
  for (guint k = 0; k < c.classes; k++)
    {
      guint truth = 0;
      for (guint i = 0; i < n; i++)
        truth += (guint) points[i].y == k;
      g_assert_cmpuint (nn_confusion_true_count (&c, k), ==, truth);
    }
}

static void
test_confusion (gconstpointer data)
{
  g_autoptr (NnProject) p = classification_project (GPOINTER_TO_UINT (data));
  NnTrainer *t = test_trainer_new (p);
  NnEpochStats stats;

  for (guint round = 0; round < 3; round++)
    {
      nn_trainer_evaluate (t, &stats);
      g_test_message ("epoch %u: train accuracy %.3f, test %.3f", stats.epoch,
                      stats.train_accuracy, stats.test_accuracy);
      check_split (t, NN_SPLIT_TRAIN, stats.train_accuracy);
      check_split (t, NN_SPLIT_TEST, stats.test_accuracy);
      g_assert_true (nn_trainer_train (t, 5, NULL, NULL, NULL));
    }
  g_assert_false (nn_metrics_regression (t, NN_SPLIT_TRAIN, NULL, NULL, NULL));
  nn_trainer_free (t);
}

static void
test_r_squared (void)
{
  const double truth[5] = { 1.0, 2.0, 3.0, 4.0, 5.0 };
  const double mean[5] = { 3.0, 3.0, 3.0, 3.0, 3.0 };
  const double close[5] = { 1.1, 1.9, 3.0, 4.2, 4.9 };
  const double flat[3] = { 0.5, 0.5, 0.5 };
  const double off[3] = { 0.5, 0.6, 0.5 };

  g_assert_cmpfloat (nn_r_squared (truth, truth, 5), ==, 1.0);
  g_assert_cmpfloat (nn_r_squared (truth, mean, 5), ==, 0.0);
  /* SS_res = 0.07, SS_tot = 10. */
  g_assert_cmpfloat_with_epsilon (nn_r_squared (truth, close, 5), 1.0 - 0.07 / 10.0, 1e-12);
  /* Worse than the mean is negative. */
  g_assert_cmpfloat (nn_r_squared (mean, truth, 5), ==, 0.0);
  g_assert_cmpfloat (nn_r_squared (truth, (const double[5]) { 5, 4, 3, 2, 1 }, 5), <, 0.0);
  /* Constant targets: SS_tot = 0. */
  g_assert_cmpfloat (nn_r_squared (flat, flat, 3), ==, 1.0);
  g_assert_cmpfloat (nn_r_squared (flat, off, 3), ==, 0.0);
  g_assert_true (isnan (nn_r_squared (truth, truth, 0)));
}

static NnProject *
regression_project (guint n_hidden)
{
  NnProject *p = test_project_unweighted (9);

  p->problem = NN_PROBLEM_REGRESSION;
  p->dataset.generator = NN_GENERATOR_PLANE;
  p->dataset.problem = NN_PROBLEM_REGRESSION;
  p->dataset.count = 600;
  p->arch.n_hidden = n_hidden;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  nn_project_sync_shape (p);
  return p;
}

static void
check_regression_split (NnTrainer *t, NnSplit split, double *r2)
{
  const NnDataset *ds = nn_trainer_get_dataset (t);
  const NnPoint *points = split == NN_SPLIT_TRAIN ? ds->train : ds->test;
  guint n = nn_metrics_split_size (t, split);
  g_autofree double *truth = g_new (double, n);
  g_autofree double *predicted = g_new (double, n);
  g_autofree double *xy = g_new (double, 2 * n);
  g_autofree double *z = g_new (double, n);
  double again;

  g_assert_true (nn_metrics_regression (t, split, truth, predicted, r2));
  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = points[i].x1;
      xy[2 * i + 1] = points[i].x2;
      g_assert_cmpfloat (truth[i], ==, points[i].y);
    }
  nn_trainer_predict (t, xy, n, z);
  g_assert_cmpmem (predicted, n * sizeof (double), z, n * sizeof (double));
  g_assert_cmpfloat_with_epsilon (nn_r_squared (truth, predicted, n), *r2, 1e-12);
  /* Without the arrays, the same figure. */
  g_assert_true (nn_metrics_regression (t, split, NULL, NULL, &again));
  g_assert_cmpfloat (again, ==, *r2);
}

static void
test_regression (void)
{
  g_autoptr (NnProject) linear = regression_project (0);
  g_autoptr (NnProject) deep = regression_project (2);
  NnTrainer *t = test_trainer_new (linear);
  const NnDataset *ds = nn_trainer_get_dataset (t);
  NnConfusion c;
  double r2, mean = 0.0;

  /* The plane generator's target is (x1 + x2)/12: a perfect fit. */
  nn_trainer_set_weight (t, 0, 0, 0, 1.0 / 12);
  nn_trainer_set_weight (t, 0, 0, 1, 1.0 / 12);
  nn_trainer_set_bias (t, 0, 0, 0.0);
  check_regression_split (t, NN_SPLIT_TRAIN, &r2);
  g_assert_cmpfloat (r2, >, 1.0 - 1e-12);
  check_regression_split (t, NN_SPLIT_TEST, &r2);
  g_assert_cmpfloat (r2, >, 1.0 - 1e-12);

  /* Predicting the training mean everywhere. */
  for (guint i = 0; i < ds->n_train; i++)
    mean += ds->train[i].y;
  mean /= ds->n_train;
  nn_trainer_set_weight (t, 0, 0, 0, 0.0);
  nn_trainer_set_weight (t, 0, 0, 1, 0.0);
  nn_trainer_set_bias (t, 0, 0, mean);
  check_regression_split (t, NN_SPLIT_TRAIN, &r2);
  g_assert_cmpfloat (fabs (r2), <, 1e-12);
  check_regression_split (t, NN_SPLIT_TEST, &r2);
  g_test_message ("test R² of the training mean: %.4f", r2);
  g_assert_cmpfloat (r2, <=, 0.0 + 1e-12);
  g_assert_cmpfloat (r2, >, -0.1);
  g_assert_false (nn_metrics_confusion (t, NN_SPLIT_TRAIN, &c, NULL));
  nn_trainer_free (t);

  /* A trained network lands in between and improves. */
  t = test_trainer_new (deep);
  check_regression_split (t, NN_SPLIT_TEST, &r2);
  g_assert_true (nn_trainer_train (t, 50, NULL, NULL, NULL));
  {
    double trained;
    check_regression_split (t, NN_SPLIT_TEST, &trained);
    g_test_message ("test R²: %.4f at the start, %.4f after 50 epochs", r2, trained);
    g_assert_cmpfloat (trained, >, r2);
    g_assert_cmpfloat (trained, >, 0.9);
    g_assert_cmpfloat (trained, <, 1.0);
  }
  nn_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/metrics/confusion/softmax", GUINT_TO_POINTER (NN_ACTIVATION_SOFTMAX),
                        test_confusion);
  g_test_add_data_func ("/metrics/confusion/sigmoid", GUINT_TO_POINTER (NN_ACTIVATION_SIGMOID),
                        test_confusion);
  g_test_add_data_func ("/metrics/confusion/tanh", GUINT_TO_POINTER (NN_ACTIVATION_TANH),
                        test_confusion);
  g_test_add_func ("/metrics/r-squared", test_r_squared);
  g_test_add_func ("/metrics/regression", test_regression);
  return g_test_run ();
}
