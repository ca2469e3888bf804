/* nn-metrics.c: confusion matrices, predicted-versus-true pairs and R². */
#include "nn-metrics.h"

#include <math.h>
#include <string.h>

#define CHUNK 256

static const NnPoint *
split_points (NnTrainer *t, NnSplit split, guint *n)
{
  const NnDataset *ds = nn_trainer_get_dataset (t);

  if (split == NN_SPLIT_TEST)
    {
      *n = ds->n_test;
      return ds->test;
    }
  *n = ds->n_train;
  return ds->train;
}

/* 1 − SS_res/SS_tot, with the guards nn_r_squared() documents. */
static double
r_squared_from_sums (gsize n, double ss_res, double ss_tot)
{
  if (n == 0)
    return NAN;
  if (ss_tot == 0.0)
    return ss_res == 0.0 ? 1.0 : 0.0;
  return 1.0 - ss_res / ss_tot;
}

guint
nn_metrics_split_size (NnTrainer *t, NnSplit split)
{
  guint n;

  g_return_val_if_fail (t != NULL, 0);
  split_points (t, split, &n);
  return n;
}

/* Runs the network on points [first, first + count) into out, (count, n_outputs). */
static void
predict_chunk (NnTrainer *t, const NnPoint *points, guint first, guint count, double *out)
{
  double xy[2 * CHUNK];

  for (guint b = 0; b < count; b++)
    {
      xy[2 * b] = points[first + b].x1;
      xy[2 * b + 1] = points[first + b].x2;
    }
  nn_trainer_predict (t, xy, count, out);
}

/* The class an output row stands for, as the trainer's accuracy counts it. */
static guint
predicted_class (NnActivation activation, const double *z, guint n_outputs)
{
  guint best = 0;

  if (n_outputs > 1)
    {
      for (guint k = 1; k < n_outputs; k++)
        if (z[k] > z[best])
          best = k;
      return best;
    }
  return z[0] >= (activation == NN_ACTIVATION_SIGMOID ? 0.5 : 0.0);
}

static guint
true_class (double y, guint classes)
{
  if (classes == 2)
    return y > 0.5;
  return MIN ((guint) MAX (y, 0.0), classes - 1);
}

gboolean
nn_metrics_confusion (NnTrainer *t, NnSplit split, NnConfusion *out, guint *predicted)
{
  const NnNetwork *net;
  const NnPoint *points;
  double z[CHUNK * NN_MAX_CLASSES];
  guint n, n_out;
  NnActivation activation;

  g_return_val_if_fail (t != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (nn_trainer_get_project (t)->problem != NN_PROBLEM_CLASSIFICATION)
    return FALSE;

  net = nn_trainer_get_network (t);
  n_out = net->arch.n_outputs;
  activation = net->arch.output_activation;
  out->classes = CLAMP (MAX (nn_trainer_get_dataset (t)->classes, n_out), 2, NN_MAX_CLASSES);
  points = split_points (t, split, &n);

  for (guint done = 0; done < n; done += CHUNK)
    {
      guint count = MIN (CHUNK, n - done);
      predict_chunk (t, points, done, count, z);
      for (guint b = 0; b < count; b++)
        {
          guint guess = predicted_class (activation, z + (gsize) b * n_out, n_out);
          guint truth = true_class (points[done + b].y, out->classes);
          out->counts[truth][guess]++;
          if (predicted != NULL)
            predicted[done + b] = guess;
        }
    }
  out->total = n;
  return TRUE;
}

double
nn_confusion_accuracy (const NnConfusion *c)
{
  guint right = 0;

  g_return_val_if_fail (c != NULL, NAN);

  if (c->total == 0)
    return NAN;
  for (guint k = 0; k < c->classes; k++)
    right += c->counts[k][k];
  return (double) right / c->total;
}

guint
nn_confusion_true_count (const NnConfusion *c, guint k)
{
  guint sum = 0;

  g_return_val_if_fail (c != NULL && k < NN_MAX_CLASSES, 0);
  for (guint j = 0; j < c->classes; j++)
    sum += c->counts[k][j];
  return sum;
}

guint
nn_confusion_predicted_count (const NnConfusion *c, guint k)
{
  guint sum = 0;

  g_return_val_if_fail (c != NULL && k < NN_MAX_CLASSES, 0);
  for (guint j = 0; j < c->classes; j++)
    sum += c->counts[j][k];
  return sum;
}

gboolean
nn_metrics_regression (NnTrainer *t, NnSplit split, double *truth, double *predicted,
                       double *r_squared)
{
  const NnPoint *points;
  double z[CHUNK];
  double mean = 0.0, ss_res = 0.0, ss_tot = 0.0;
  guint n;

  g_return_val_if_fail (t != NULL, FALSE);

  if (nn_trainer_get_project (t)->problem != NN_PROBLEM_REGRESSION)
    return FALSE;
  g_return_val_if_fail (nn_trainer_get_network (t)->arch.n_outputs == 1, FALSE);

  points = split_points (t, split, &n);
  for (guint i = 0; i < n; i++)
    mean += points[i].y;
  mean /= MAX (n, 1);

  /* The same sums as nn_r_squared, without an array of predictions. */
  for (guint done = 0; done < n; done += CHUNK)
    {
      guint count = MIN (CHUNK, n - done);
      predict_chunk (t, points, done, count, z);
      for (guint b = 0; b < count; b++)
        {
          double y = points[done + b].y;
          ss_res += (y - z[b]) * (y - z[b]);
          ss_tot += (y - mean) * (y - mean);
          if (truth != NULL)
            truth[done + b] = y;
          if (predicted != NULL)
            predicted[done + b] = z[b];
        }
    }
  if (r_squared != NULL)
    *r_squared = r_squared_from_sums (n, ss_res, ss_tot);
  return TRUE;
}

double
nn_r_squared (const double *truth, const double *predicted, gsize n)
{
  double mean = 0.0, ss_res = 0.0, ss_tot = 0.0;

  for (gsize i = 0; i < n; i++)
    mean += truth[i];
  mean /= MAX (n, 1);
  for (gsize i = 0; i < n; i++)
    {
      ss_res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
      ss_tot += (truth[i] - mean) * (truth[i] - mean);
    }
  return r_squared_from_sums (n, ss_res, ss_tot);
}
