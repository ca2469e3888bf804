/* nn-trainer.c: mini-batch training of an NnNetwork on an NnDataset.
 *
 * Everything a step touches is allocated when the trainer is built (or rebuilt after a
 * change of shape): the expanded features of every point, the encoded targets, the batch
 * buffers and the shuffling permutation. Large batches are processed in chunks of at most
 * CHUNK samples whose gradients add up, so full-batch GD on 100 000 points needs no more
 * workspace than SGD.
 */
#include "nn-trainer.h"
#include "nn-activation.h"
#include "nn-error.h"
#include "nn-features.h"
#include "nn-loss.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define CHUNK 256

typedef struct
{
  double *x;      /* point-major (n, n_in): features of each point */
  double *target; /* point-major (n, n_out) */
  guint   n;
} NnSamples;

/* The features of every cell of one grid resolution, feature-major (n_in, res²). */
typedef struct
{
  double *x;
  guint   res;
  guint   features;
} NnGridCache;

#define N_GRID_CACHES 2

struct _NnTrainer
{
  NnProject   *project;
  NnDataset   *dataset;
  NnNetwork   *net;
  NnOptimizer *opt;
  GRand       *rand;         /* initialisation, then shuffling */

  NnSamples    train;
  NnSamples    test;
  guint       *order;        /* n_train: the order of this epoch */
  double      *batch_x;      /* (n_in, CHUNK) */
  double      *batch_t;      /* (n_out, CHUNK) */
  double      *last_good;    /* parameters before the current step */

  guint        epoch;
  guint        position;     /* samples of this epoch already consumed */
  guint64      steps;
  gboolean     diverged;
  gboolean     record_history;
  GArray      *history;      /* of NnEpochStats, by increasing epoch, thinned (see .h) */
  guint        history_budget; /* records at most */
  guint        history_stride; /* epochs between kept records, a power of 2 */
  guint        history_serial; /* changes when records other than the last are dropped */

  /* The grids' features, for the two resolutions used last: the app's snapshots alternate
   * between the neurons' thumbnails and the finer output plane, and one cache would be
   * freed, reallocated and refilled twice a snapshot. */
  NnGridCache  grids[N_GRID_CACHES];
  guint        grid_recent;  /* the slot used last */
};

/* Forgets the grids' features (the features or the network's inputs changed). */
static void
grids_clear (NnTrainer *t)
{
  for (guint i = 0; i < N_GRID_CACHES; i++)
    g_clear_pointer (&t->grids[i].x, g_free);
}

static void
samples_clear (NnSamples *s)
{
  g_clear_pointer (&s->x, g_free);
  g_clear_pointer (&s->target, g_free);
  s->n = 0;
}

void
nn_encode_target (NnProblem problem, NnActivation output, guint k, double y, double *target)
{
  if (problem == NN_PROBLEM_REGRESSION)
    target[0] = y;
  else if (output == NN_ACTIVATION_SOFTMAX)
    for (guint j = 0; j < k; j++)
      target[j] = j == (guint) y ? 1.0 : 0.0;
  else if (output == NN_ACTIVATION_SIGMOID)
    target[0] = y > 0.5 ? 1.0 : 0.0;
  else
    target[0] = y > 0.5 ? 1.0 : -1.0;
}

void
nn_trainer_encode_target (const NnTrainer *t, double y, double *target)
{
  const NnArchitecture *arch = &t->net->arch;

  nn_encode_target (t->project->problem, arch->output_activation, arch->n_outputs, y, target);
}

static void
samples_fill (NnTrainer *t, NnSamples *s, const NnPoint *points, guint n)
{
  guint n_in = t->net->arch.n_inputs, n_out = t->net->arch.n_outputs;
  g_autofree double *fm = g_new (double, (gsize) n_in * MAX (n, 1));

  samples_clear (s);
  s->n = n;
  s->x = g_new (double, (gsize) n_in * MAX (n, 1));
  s->target = g_new (double, (gsize) n_out * MAX (n, 1));

  /* nn_features_expand writes feature-major; samples are kept point-major so a shuffled
   * batch gathers each point's features from one place. An empty set (no test split) may
   * come with no array at all, where even &points[0] would be undefined behaviour. */
  if (n > 0)
    nn_features_expand (t->project->features, &points[0].x1, &points[0].x2, 3, n, fm, n);
  for (guint i = 0; i < n; i++)
    {
      for (guint f = 0; f < n_in; f++)
        s->x[(gsize) i * n_in + f] = fm[(gsize) f * n + i];
      nn_trainer_encode_target (t, points[i].y, s->target + (gsize) i * n_out);
    }
}

static void
prepare_samples (NnTrainer *t)
{
  samples_fill (t, &t->train, t->dataset->train, t->dataset->n_train);
  samples_fill (t, &t->test, t->dataset->test, t->dataset->n_test);
  g_free (t->order);
  t->order = g_new (guint, MAX (t->train.n, 1));
  for (guint i = 0; i < t->train.n; i++)
    t->order[i] = i;
  t->position = 0;
  grids_clear (t);
}

static void
allocate_network_buffers (NnTrainer *t)
{
  g_free (t->batch_x);
  g_free (t->batch_t);
  g_free (t->last_good);
  t->batch_x = g_new0 (double, (gsize) t->net->arch.n_inputs * CHUNK);
  t->batch_t = g_new0 (double, (gsize) t->net->arch.n_outputs * CHUNK);
  t->last_good = g_new0 (double, MAX (t->net->n_params, 1));
  grids_clear (t);
}

static inline const NnEpochStats *
history_at (const NnTrainer *t, guint i)
{
  return &g_array_index (t->history, NnEpochStats, i);
}

/* Whether record i sits on the even grid first + k·stride. */
static gboolean
history_on_grid (const NnTrainer *t, guint i)
{
  return (history_at (t, i)->epoch - history_at (t, 0)->epoch) % t->history_stride == 0;
}

/* Keeps the first record, the last, and those on the grid, in place. */
static void
history_drop_off_grid (NnTrainer *t)
{
  guint n = t->history->len, kept = 0;
  NnEpochStats *records = (NnEpochStats *) (gpointer) t->history->data;

  for (guint i = 0; i < n; i++)
    if (i == 0 || i == n - 1 || history_on_grid (t, i))
      records[kept++] = records[i];
  g_array_set_size (t->history, kept);
}

/* Doubles the stride until one more record fits the budget. Readers that copied the
 * history must copy it again, hence the serial. */
static void
history_thin (NnTrainer *t)
{
  while (t->history->len >= t->history_budget && t->history->len > 2
         && t->history_stride <= G_MAXUINT / 2)
    {
      t->history_stride *= 2;
      history_drop_off_grid (t);
      t->history_serial++;
    }
}

static void
record_epoch (NnTrainer *t)
{
  NnEpochStats stats;
  guint n;

  nn_trainer_evaluate (t, &stats);
  /* Thin before appending, so the array never grows past the budget. */
  history_thin (t);
  /* The previous last record was kept only for being last, unless it is on the grid. */
  n = t->history->len;
  if (n >= 2 && !history_on_grid (t, n - 1))
    g_array_set_size (t->history, n - 1);
  g_array_append_val (t->history, stats);
}

static void
history_clear (NnTrainer *t)
{
  g_array_set_size (t->history, 0);
  t->history_stride = 1;
  t->history_serial++;
}

static void
shuffle_order (NnTrainer *t)
{
  for (guint i = t->train.n; i > 1; i--)
    {
      guint j = g_rand_int_range (t->rand, 0, (gint32) i);
      guint tmp = t->order[i - 1];
      t->order[i - 1] = t->order[j];
      t->order[j] = tmp;
    }
}

static void
start_epoch (NnTrainer *t)
{
  t->position = 0;
  if (t->project->shuffle && t->project->optimizer.kind != NN_OPTIMIZER_GD)
    shuffle_order (t);
}

NnTrainer *
nn_trainer_new (const NnProject *project, GError **error)
{
  g_autoptr (NnProject) copy = NULL;
  g_autoptr (NnDataset) dataset = NULL;
  NnTrainer *t;

  if (!nn_project_validate (project, error))
    return NULL;
  copy = nn_project_copy (project);
  nn_project_sync_shape (copy);
  dataset = nn_dataset_new_from_spec (&copy->dataset, copy->seed, copy->base_dir, error);
  if (dataset == NULL)
    return NULL;

  t = g_new0 (NnTrainer, 1);
  t->project = g_steal_pointer (&copy);
  t->dataset = g_steal_pointer (&dataset);
  t->net = nn_network_new (&t->project->arch, CHUNK, NULL);
  t->opt = nn_optimizer_new (&t->project->optimizer, t->net->n_params);
  t->history = g_array_new (FALSE, FALSE, sizeof (NnEpochStats));
  t->record_history = TRUE;
  t->history_budget = NN_TRAINER_HISTORY_BUDGET;
  t->history_stride = 1;
  allocate_network_buffers (t);
  prepare_samples (t);

  t->rand = g_rand_new_with_seed (t->project->seed);
  nn_network_init_params (t->net, t->project->init, t->rand);
  if (t->project->weights != NULL && t->project->n_weights == t->net->n_params)
    memcpy (t->net->params, t->project->weights, t->net->n_params * sizeof (double));
  start_epoch (t);
  record_epoch (t);
  return t;
}

void
nn_trainer_free (NnTrainer *t)
{
  if (t == NULL)
    return;
  nn_project_free (t->project);
  nn_dataset_free (t->dataset);
  nn_network_free (t->net);
  nn_optimizer_free (t->opt);
  g_rand_free (t->rand);
  samples_clear (&t->train);
  samples_clear (&t->test);
  g_free (t->order);
  g_free (t->batch_x);
  g_free (t->batch_t);
  g_free (t->last_good);
  grids_clear (t);
  g_array_unref (t->history);
  g_free (t);
}

/* Copies `count` samples (by index list, or consecutive from `first` when idx is NULL)
 * into the feature-major batch buffers. */
static void
gather (NnTrainer *t, const NnSamples *s, const guint *idx, guint first, guint count)
{
  guint n_in = t->net->arch.n_inputs, n_out = t->net->arch.n_outputs;

  for (guint b = 0; b < count; b++)
    {
      guint p = idx ? idx[first + b] : first + b;
      const double *x = s->x + (gsize) p * n_in;
      const double *y = s->target + (gsize) p * n_out;
      for (guint f = 0; f < n_in; f++)
        t->batch_x[(gsize) f * count + b] = x[f];
      for (guint k = 0; k < n_out; k++)
        t->batch_t[(gsize) k * count + b] = y[k];
    }
}

static double
output_loss (NnTrainer *t, guint count, double denominator, gboolean with_gradient)
{
  NnNetwork *net = t->net;
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];

  return nn_loss_evaluate (t->project->loss, out->activation, out->alpha, net->u[last],
                           net->z[last], t->batch_t, out->n_out, count, denominator,
                           with_gradient ? net->du[last] : NULL);
}

/* Forward and backward over `size` samples of the epoch's order starting at `start`,
 * in chunks; returns the batch's mean loss. */
static double
accumulate_gradients (NnTrainer *t, guint start, guint size)
{
  double loss = 0.0;

  nn_network_zero_grads (t->net);
  for (guint done = 0; done < size; done += CHUNK)
    {
      guint count = MIN (CHUNK, size - done);
      gather (t, &t->train, t->order, start + done, count);
      nn_network_forward (t->net, t->batch_x, count);
      loss += output_loss (t, count, size, TRUE);
      nn_network_backward (t->net, t->batch_x);
    }
  return loss;
}

static guint
current_batch_size (const NnTrainer *t)
{
  if (t->project->optimizer.kind == NN_OPTIMIZER_GD)
    return t->train.n;
  return MIN (t->project->batch_size, t->train.n - t->position);
}

gboolean
nn_trainer_step (NnTrainer *t)
{
  NnNetwork *net = t->net;
  guint size;
  double loss;

  if (t->train.n == 0)
    return FALSE;
  if (t->position >= t->train.n)
    start_epoch (t);
  size = current_batch_size (t);

  memcpy (t->last_good, net->params, net->n_params * sizeof (double));
  loss = accumulate_gradients (t, t->position, size);
  nn_network_regularize (net, t->project->regularization, t->project->regularization_rate);
  nn_optimizer_step (t->opt, net->params, net->grads);
  t->steps++;
  t->position += size;

  if (!isfinite (loss) || !nn_network_params_finite (net))
    {
      /* Keep showing the last finite state: a NaN never reaches the screen or a file. */
      memcpy (net->params, t->last_good, net->n_params * sizeof (double));
      t->diverged = TRUE;
      return FALSE;
    }
  t->diverged = FALSE;

  if (t->position < t->train.n)
    return FALSE;
  t->epoch++;
  if (t->record_history)
    record_epoch (t);
  return TRUE;
}

void
nn_trainer_step_epoch (NnTrainer *t)
{
  guint start = t->epoch;

  while (t->epoch == start && t->train.n > 0)
    {
      nn_trainer_step (t);
      if (t->diverged)
        break;
    }
}

gboolean
nn_trainer_train (NnTrainer *t, guint epochs, NnTrainerProgress progress, gpointer user_data,
                  GError **error)
{
  for (guint e = 0; e < epochs; e++)
    {
      nn_trainer_step_epoch (t);
      if (t->diverged)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_DIVERGED,
                       _("the loss diverged at epoch %u: the learning rate %g is too high for %s "
                       "on this data"),
                       t->epoch + 1, t->project->optimizer.learning_rate,
                       nn_optimizer_kind_to_string (t->project->optimizer.kind));
          return FALSE;
        }
      if (progress != NULL)
        {
          NnEpochStats stats;
          if (t->record_history && t->history->len > 0)
            stats = g_array_index (t->history, NnEpochStats, t->history->len - 1);
          else
            nn_trainer_evaluate (t, &stats);
          if (!progress (t, &stats, user_data))
            break;
        }
    }
  return TRUE;
}

void
nn_trainer_reset (NnTrainer *t, guint32 seed)
{
  g_rand_set_seed (t->rand, seed);
  nn_network_init_params (t->net, t->project->init, t->rand);
  nn_optimizer_reset (t->opt);
  for (guint i = 0; i < t->train.n; i++)
    t->order[i] = i;
  t->epoch = 0;
  t->steps = 0;
  t->diverged = FALSE;
  history_clear (t);
  start_epoch (t);
  record_epoch (t);
}

gboolean
nn_trainer_rewind (NnTrainer *t, guint epoch, guint64 steps, const double *params,
                   gsize n_params)
{
  g_return_val_if_fail (params != NULL, FALSE);
  if (n_params != t->net->n_params)
    return FALSE;

  memcpy (t->net->params, params, n_params * sizeof (double));
  nn_optimizer_reset (t->opt);
  t->epoch = epoch;
  t->steps = steps;
  t->position = t->train.n; /* the next step starts a fresh epoch */
  t->diverged = FALSE;

  guint keep = 0;
  while (keep < t->history->len && history_at (t, keep)->epoch <= epoch)
    keep++;
  g_array_set_size (t->history, keep);
  if (keep <= 1)
    t->history_stride = 1;
  t->history_serial++;
  return TRUE;
}

guint
nn_trainer_get_epoch (const NnTrainer *t)
{
  return t->epoch;
}

guint64
nn_trainer_get_steps (const NnTrainer *t)
{
  return t->steps;
}

guint
nn_trainer_get_epoch_position (const NnTrainer *t)
{
  return t->position >= t->train.n ? 0 : t->position;
}

gboolean
nn_trainer_diverged (const NnTrainer *t)
{
  return t->diverged;
}

/* Number of the chunk's samples whose prediction is the right class. */
static guint
count_correct (NnTrainer *t, guint count)
{
  const NnLayer *out = &t->net->layers[t->net->n_layers - 1];
  const double *z = nn_network_output (t->net);
  guint correct = 0;

  for (guint b = 0; b < count; b++)
    {
      if (out->activation == NN_ACTIVATION_SOFTMAX)
        {
          guint best = 0, truth = 0;
          for (guint k = 1; k < out->n_out; k++)
            {
              if (z[(gsize) k * count + b] > z[(gsize) best * count + b])
                best = k;
              if (t->batch_t[(gsize) k * count + b] > 0.5)
                truth = k;
            }
          correct += best == truth;
        }
      else
        {
          double threshold = out->activation == NN_ACTIVATION_SIGMOID ? 0.5 : 0.0;
          gboolean predicted = z[b] >= threshold;
          gboolean actual = t->batch_t[b] > threshold;
          correct += predicted == actual;
        }
    }
  return correct;
}

static void
evaluate_set (NnTrainer *t, const NnSamples *s, double *loss, double *accuracy)
{
  gboolean classify = t->project->problem == NN_PROBLEM_CLASSIFICATION;
  guint correct = 0;
  double sum = 0.0;

  if (s->n == 0)
    {
      *loss = *accuracy = NAN;
      return;
    }
  for (guint done = 0; done < s->n; done += CHUNK)
    {
      guint count = MIN (CHUNK, s->n - done);
      gather (t, s, NULL, done, count);
      nn_network_forward (t->net, t->batch_x, count);
      sum += output_loss (t, count, s->n, FALSE);
      if (classify)
        correct += count_correct (t, count);
    }
  *loss = sum;
  *accuracy = classify ? (double) correct / s->n : NAN;
}

void
nn_trainer_evaluate (NnTrainer *t, NnEpochStats *out)
{
  out->epoch = t->epoch;
  evaluate_set (t, &t->train, &out->train_loss, &out->train_accuracy);
  evaluate_set (t, &t->test, &out->test_loss, &out->test_accuracy);
}

const NnEpochStats *
nn_trainer_get_history (const NnTrainer *t, guint *n)
{
  *n = t->history->len;
  return (const NnEpochStats *) (gpointer) t->history->data;
}

void
nn_append_exact_double (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;
  /* 0.1 stays "0.1" instead of "0.10000000000000001"; 17 digits always read back. */
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (digits == 17 || g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
}

GString *
nn_history_to_csv (const NnEpochStats *history, guint n)
{
  GString *csv = g_string_new ("epoch,train_loss,test_loss,train_acc,test_acc\n");

  g_return_val_if_fail (history != NULL || n == 0, csv);

  for (guint i = 0; i < n; i++)
    {
      const NnEpochStats *h = &history[i];
      const double values[] = { h->train_loss, h->test_loss, h->train_accuracy,
                                h->test_accuracy };

      g_string_append_printf (csv, "%u", h->epoch);
      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        {
          g_string_append_c (csv, ',');
          nn_append_exact_double (csv, values[v]);
        }
      g_string_append_c (csv, '\n');
    }
  return csv;
}

guint
nn_trainer_get_history_serial (const NnTrainer *t)
{
  return t->history_serial;
}

guint
nn_trainer_get_history_stride (const NnTrainer *t)
{
  return t->history_stride;
}

guint
nn_trainer_get_history_budget (const NnTrainer *t)
{
  return t->history_budget;
}

void
nn_trainer_set_history_budget (NnTrainer *t, guint max_records)
{
  g_return_if_fail (t != NULL);

  t->history_budget = max_records > 0 ? MAX (max_records, 3) : NN_TRAINER_HISTORY_BUDGET;
  /* Thinned as it would be at the next epoch: under the budget with room for one more. */
  history_thin (t);
}

void
nn_trainer_set_record_history (NnTrainer *t, gboolean record)
{
  t->record_history = record;
}

NnNetwork *
nn_trainer_get_network (NnTrainer *t)
{
  return t->net;
}

const NnDataset *
nn_trainer_get_dataset (const NnTrainer *t)
{
  return t->dataset;
}

const NnProject *
nn_trainer_get_project (const NnTrainer *t)
{
  return t->project;
}

NnOptimizer *
nn_trainer_get_optimizer (NnTrainer *t)
{
  return t->opt;
}

NnProject *
nn_trainer_dup_project (const NnTrainer *t)
{
  NnProject *p = nn_project_copy (t->project);
  nn_project_set_weights (p, t->net->params, t->net->n_params);
  return p;
}

/* The features of every cell of an res×res grid, built once per resolution and feature
 * set; a new resolution replaces the one used least recently. */
static const double *
prepare_grid (NnTrainer *t, guint res)
{
  gsize n = (gsize) res * res;
  double step = (NN_PLANE_MAX - NN_PLANE_MIN) / res;
  g_autofree double *x1 = NULL, *x2 = NULL;
  NnGridCache *cache;

  for (guint i = 0; i < N_GRID_CACHES; i++)
    if (t->grids[i].x != NULL && t->grids[i].res == res
        && t->grids[i].features == t->project->features)
      {
        t->grid_recent = i;
        return t->grids[i].x;
      }

  t->grid_recent = (t->grid_recent + 1) % N_GRID_CACHES;
  cache = &t->grids[t->grid_recent];
  g_free (cache->x);
  cache->x = g_new (double, n * t->net->arch.n_inputs);
  cache->res = res;
  cache->features = t->project->features;

  x1 = g_new (double, n);
  x2 = g_new (double, n);
  for (gsize p = 0; p < n; p++)
    {
      x1[p] = NN_PLANE_MIN + (p % res + 0.5) * step;
      x2[p] = NN_PLANE_MAX - (p / res + 0.5) * step;
    }
  nn_features_expand (t->project->features, x1, x2, 1, n, cache->x, n);
  return cache->x;
}

/* Forward over every cell of an res×res grid, chunk by chunk, each layer l with a non-NULL
 * dest[l] writing its units' grids there (unit by unit, res² apart). */
static void
forward_grid (NnTrainer *t, guint res, double *const *dest)
{
  NnNetwork *net = t->net;
  gsize cells = (gsize) res * res;
  const double *x = prepare_grid (t, res);

  for (gsize done = 0; done < cells; done += CHUNK)
    {
      guint count = (guint) MIN ((gsize) CHUNK, cells - done);
      double *chunk_dest[NN_MAX_LAYERS] = { NULL };
      for (guint l = 0; l < net->n_layers; l++)
        chunk_dest[l] = dest[l] ? dest[l] + done : NULL;
      nn_network_forward_into (net, x + done, cells, count, chunk_dest, cells);
    }
}

/* Writes the most probable class of each cell of a softmax network. */
static void
store_classes (const double *probabilities, guint k, gsize cells, double *output)
{
  for (gsize p = 0; p < cells; p++)
    {
      guint best = 0;
      for (guint j = 1; j < k; j++)
        if (probabilities[j * cells + p] > probabilities[best * cells + p])
          best = j;
      output[p] = best;
    }
}

void
nn_trainer_eval_grid (NnTrainer *t, guint res, double *output, double *neurons)
{
  NnNetwork *net = t->net;
  gsize cells = (gsize) res * res;
  guint last = net->n_layers - 1;
  gboolean softmax = net->layers[last].activation == NN_ACTIVATION_SOFTMAX;
  g_autofree double *own = NULL;
  double *dest[NN_MAX_LAYERS] = { NULL };

  g_return_if_fail (res > 0);

  /* Every layer writes straight into the caller's per-neuron grids; without them the
   * output layer still needs a home (a softmax's probabilities, before the argmax). */
  if (neurons == NULL && softmax)
    neurons = own = g_new (double, cells * nn_network_total_units (net));
  for (guint l = 0, unit = 0; neurons != NULL && l < net->n_layers; l++)
    {
      dest[l] = neurons + unit * cells;
      unit += net->layers[l].n_out;
    }
  if (neurons == NULL)
    dest[last] = output;

  forward_grid (t, res, dest);

  if (output == NULL)
    return;
  if (softmax)
    store_classes (dest[last], net->layers[last].n_out, cells, output);
  else if (dest[last] != output)
    memcpy (output, dest[last], cells * sizeof (double));
}

void
nn_trainer_eval_output_grids (NnTrainer *t, guint res, double *grids)
{
  double *dest[NN_MAX_LAYERS] = { NULL };

  g_return_if_fail (res > 0 && grids != NULL);

  /* Only the output layer leaves the network's workspace, already one grid per unit. */
  dest[t->net->n_layers - 1] = grids;
  forward_grid (t, res, dest);
}

void
nn_trainer_predict (NnTrainer *t, const double *x1x2, gsize n, double *out)
{
  guint n_out = t->net->arch.n_outputs;

  for (gsize done = 0; done < n; done += CHUNK)
    {
      guint count = (guint) MIN ((gsize) CHUNK, n - done);
      nn_features_expand (t->project->features, x1x2 + 2 * done, x1x2 + 2 * done + 1, 2, count,
                          t->batch_x, count);
      nn_network_forward (t->net, t->batch_x, count);
      const double *z = nn_network_output (t->net);
      for (guint b = 0; b < count; b++)
        for (guint k = 0; k < n_out; k++)
          out[(done + b) * n_out + k] = z[(gsize) k * count + b];
    }
}

gboolean
nn_trainer_set_optimizer (NnTrainer *t, const NnOptimizerConfig *cfg, GError **error)
{
  if (!nn_optimizer_config_validate (cfg, error))
    return FALSE;
  if ((cfg->kind == NN_OPTIMIZER_GD) != (t->project->optimizer.kind == NN_OPTIMIZER_GD))
    t->position = t->train.n; /* a new batching scheme starts with a new epoch */
  t->project->optimizer = *cfg;
  nn_optimizer_configure (t->opt, cfg);
  return TRUE;
}

gboolean
nn_trainer_set_training (NnTrainer *t, guint batch_size, gboolean shuffle, NnRegularization reg,
                         double rate, GError **error)
{
  g_autoptr (NnProject) candidate = nn_project_copy (t->project);

  candidate->batch_size = batch_size;
  candidate->shuffle = shuffle;
  candidate->regularization = reg;
  candidate->regularization_rate = rate;
  if (!nn_project_validate (candidate, error))
    return FALSE;
  t->project->batch_size = batch_size;
  t->project->shuffle = shuffle;
  t->project->regularization = reg;
  t->project->regularization_rate = rate;
  return TRUE;
}

gboolean
nn_trainer_set_loss (NnTrainer *t, NnLoss loss, GError **error)
{
  if (!nn_loss_supports_output (loss, t->project->arch.output_activation, error))
    return FALSE;
  t->project->loss = loss;
  return TRUE;
}

static gboolean
point_arrays_equal (const GArray *a, const GArray *b)
{
  guint na = a ? a->len : 0, nb = b ? b->len : 0;
  return na == nb && (na == 0 || memcmp (a->data, b->data, na * sizeof (NnPoint)) == 0);
}

/* Whether the data the project generates differs between a and b. */
static gboolean
dataset_inputs_changed (const NnProject *a, const NnProject *b)
{
  const NnDatasetSpec *sa = &a->dataset, *sb = &b->dataset;

  return a->seed != b->seed || a->problem != b->problem || sa->generator != sb->generator
         || sa->problem != sb->problem || sa->classes != sb->classes || sa->count != sb->count
         || sa->noise != sb->noise || sa->train_ratio != sb->train_ratio
         || g_strcmp0 (sa->path, sb->path) != 0 || g_strcmp0 (a->base_dir, b->base_dir) != 0
         || !point_arrays_equal (sa->points, sb->points)
         || !point_arrays_equal (sa->test_points, sb->test_points);
}

gboolean
nn_trainer_set_project (NnTrainer *t, const NnProject *project, GError **error)
{
  g_autoptr (NnProject) copy = NULL;
  g_autoptr (NnDataset) dataset = NULL;
  gboolean new_data, new_shape, new_features;

  if (!nn_project_validate (project, error))
    return FALSE;
  copy = nn_project_copy (project);
  nn_project_sync_shape (copy);
  new_data = dataset_inputs_changed (t->project, copy);
  if (new_data)
    {
      dataset = nn_dataset_new_from_spec (&copy->dataset, copy->seed, copy->base_dir, error);
      if (dataset == NULL)
        return FALSE;
    }
  new_shape = !nn_architecture_equal (&t->project->arch, &copy->arch);
  new_features = copy->features != t->project->features;

  if (new_shape)
    {
      g_autoptr (NnNetwork) old = t->net;
      t->net = nn_network_new (&copy->arch, CHUNK, NULL);
      nn_network_init_params (t->net, copy->init, t->rand);
      nn_network_copy_overlap (t->net, old);
      if (t->net->n_params != old->n_params)
        {
          nn_optimizer_free (t->opt);
          t->opt = nn_optimizer_new (&copy->optimizer, t->net->n_params);
        }
      allocate_network_buffers (t);
    }
  nn_optimizer_configure (t->opt, &copy->optimizer);

  g_clear_pointer (&copy->weights, g_free);
  copy->n_weights = 0;
  nn_project_free (t->project);
  t->project = g_steal_pointer (&copy);
  if (dataset != NULL)
    {
      nn_dataset_free (t->dataset);
      t->dataset = g_steal_pointer (&dataset);
    }
  if (new_data || new_shape || new_features)
    prepare_samples (t);
  t->diverged = FALSE;
  return TRUE;
}

void
nn_trainer_set_weight (NnTrainer *t, guint layer, guint out, guint in, double value)
{
  g_return_if_fail (layer < t->net->n_layers);
  g_return_if_fail (out < t->net->layers[layer].n_out && in < t->net->layers[layer].n_in);
  *nn_network_weight_ptr (t->net, layer, out, in) = value;
}

void
nn_trainer_set_bias (NnTrainer *t, guint layer, guint out, double value)
{
  g_return_if_fail (layer < t->net->n_layers && out < t->net->layers[layer].n_out);
  *nn_network_bias_ptr (t->net, layer, out) = value;
}
