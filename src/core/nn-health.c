/* nn-health.c: per-layer gradient and weight norms, dead and saturated units. */
#include "nn-health.h"
#include "nn-features.h"
#include "nn-loss.h"

#include <math.h>
#include <string.h>

#define CHUNK 256

struct _NnHealthProbe
{
  guint      max_samples;
  NnNetwork *net;                          /* a private copy: the trainer stays untouched */
  double     xy[2 * CHUNK];                /* the chunk's points, (x1, x2) pairs */
  double     x[NN_N_FEATURES * CHUNK];     /* (n_in, count) */
  double     target[NN_MAX_CLASSES * CHUNK]; /* (n_out, count) */
  /* Per layer and unit, over the points seen: how often u > 0, u < 0, |u| saturated. */
  guint      positive[NN_MAX_LAYERS][NN_MAX_UNITS];
  guint      negative[NN_MAX_LAYERS][NN_MAX_UNITS];
  guint      saturated[NN_MAX_LAYERS][NN_MAX_UNITS];
};

double
nn_health_saturation_threshold (NnActivation activation)
{
  /* tanh' = sech² u < 0.01 ⇔ cosh u > 10; σ' = 1/(4 cosh²(u/2)) < 0.01·¼ ⇔ cosh(u/2) > 10. */
  switch (activation)
    {
    case NN_ACTIVATION_TANH:
      return acosh (1.0 / sqrt (NN_HEALTH_SATURATION_LEVEL));
    case NN_ACTIVATION_SIGMOID:
      return 2.0 * acosh (1.0 / sqrt (NN_HEALTH_SATURATION_LEVEL));
    case NN_ACTIVATION_IDENTITY:
    case NN_ACTIVATION_RELU:
    case NN_ACTIVATION_LEAKY_RELU:
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:
      return INFINITY;
    }
}

NnHealthProbe *
nn_health_probe_new (void)
{
  NnHealthProbe *probe = g_new0 (NnHealthProbe, 1);

  probe->max_samples = NN_HEALTH_DEFAULT_MAX_SAMPLES;
  return probe;
}

void
nn_health_probe_free (NnHealthProbe *probe)
{
  if (probe == NULL)
    return;
  nn_network_free (probe->net);
  g_free (probe);
}

void
nn_health_probe_set_max_samples (NnHealthProbe *probe, guint max_samples)
{
  g_return_if_fail (probe != NULL);
  probe->max_samples = max_samples;
}

guint
nn_health_probe_get_max_samples (const NnHealthProbe *probe)
{
  g_return_val_if_fail (probe != NULL, 0);
  return probe->max_samples;
}

/* A network of the trainer's shape holding `params`. */
static NnNetwork *
prepare_network (NnHealthProbe *probe, const NnNetwork *model, const double *params)
{
  if (probe->net == NULL || !nn_architecture_equal (&probe->net->arch, &model->arch))
    {
      nn_network_free (probe->net);
      probe->net = nn_network_new (&model->arch, CHUNK, NULL);
    }
  memcpy (probe->net->params, params, model->n_params * sizeof (double));
  return probe->net;
}

/* Expands `count` points of the sample, starting at sample index `first`, into the
 * chunk's features and encoded targets. Sample i is training point ⌊i·n/m⌋. */
static void
load_chunk (NnHealthProbe *probe, NnTrainer *t, guint first, guint count, guint m)
{
  const NnDataset *ds = nn_trainer_get_dataset (t);
  guint n_out = probe->net->arch.n_outputs;
  double encoded[NN_MAX_CLASSES];

  for (guint b = 0; b < count; b++)
    {
      const NnPoint *p = &ds->train[(guint64) (first + b) * ds->n_train / m];
      probe->xy[2 * b] = p->x1;
      probe->xy[2 * b + 1] = p->x2;
      nn_trainer_encode_target (t, p->y, encoded);
      for (guint k = 0; k < n_out; k++)
        probe->target[(gsize) k * count + b] = encoded[k];
    }
  nn_features_expand (nn_trainer_get_project (t)->features, probe->xy, probe->xy + 1, 2, count,
                      probe->x, count);
}

/* Adds the chunk's pre-activations to the per-unit counts. */
static void
count_units (NnHealthProbe *probe, guint count)
{
  const NnNetwork *net = probe->net;

  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      double limit = nn_health_saturation_threshold (layer->activation);

      for (guint o = 0; o < layer->n_out; o++)
        {
          const double *u = net->u[l] + (gsize) o * count;
          guint pos = 0, neg = 0, sat = 0;
          for (guint b = 0; b < count; b++)
            {
              pos += u[b] > 0.0;
              neg += u[b] < 0.0;
              sat += fabs (u[b]) > limit;
            }
          probe->positive[l][o] += pos;
          probe->negative[l][o] += neg;
          probe->saturated[l][o] += sat;
        }
    }
}

static double
norm (const double *v, gsize n)
{
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += v[i] * v[i];
  return sqrt (sum);
}

static void
summarise_layer (const NnHealthProbe *probe, guint l, guint m, NnLayerHealth *out)
{
  const NnNetwork *net = probe->net;
  const NnLayer *layer = &net->layers[l];
  gsize n_weights = (gsize) layer->n_out * layer->n_in;
  /* At least 99 % of the points, rounded up, in integers so that 99 of 100 counts. */
  guint64 needed = ((guint64) m * NN_HEALTH_SATURATED_PERCENT + 99) / 100;

  memset (out, 0, sizeof *out);
  out->activation = layer->activation;
  out->n_units = layer->n_out;
  out->n_weights = (guint) n_weights;
  out->grad_norm = norm (net->grads + layer->w_offset, n_weights);
  out->grad_rms = out->grad_norm / sqrt ((double) n_weights);
  out->bias_grad_norm = norm (net->grads + layer->b_offset, layer->n_out);
  out->weight_norm = norm (net->params + layer->w_offset, n_weights);
  if (m == 0)
    return;

  for (guint o = 0; o < layer->n_out; o++)
    {
      switch (layer->activation)
        {
        case NN_ACTIVATION_RELU:
          /* relu(u) is exactly 0 whenever u ≤ 0. */
          out->dead += probe->positive[l][o] == 0;
          break;
        case NN_ACTIVATION_LEAKY_RELU:
          out->inactive += probe->negative[l][o] == m;
          break;
        case NN_ACTIVATION_SIGMOID:
        case NN_ACTIVATION_TANH:
          out->saturated += probe->saturated[l][o] >= needed;
          break;
        case NN_ACTIVATION_IDENTITY:
        case NN_ACTIVATION_SOFTMAX:
        case NN_N_ACTIVATIONS:
        default:
          break;
        }
    }
}

void
nn_health_compute (NnHealthProbe *probe, NnTrainer *t, const double *params, NnHealth *out)
{
  const NnProject *project;
  NnNetwork *net;
  guint n_train, m, last;
  double loss = 0.0;

  g_return_if_fail (probe != NULL && t != NULL && out != NULL);

  project = nn_trainer_get_project (t);
  net = nn_trainer_get_network (t);
  net = prepare_network (probe, net, params != NULL ? params : net->params);
  n_train = nn_trainer_get_dataset (t)->n_train;
  m = probe->max_samples > 0 ? MIN (n_train, probe->max_samples) : n_train;
  last = net->n_layers - 1;

  nn_network_zero_grads (net);
  memset (probe->positive, 0, sizeof probe->positive);
  memset (probe->negative, 0, sizeof probe->negative);
  memset (probe->saturated, 0, sizeof probe->saturated);

  for (guint done = 0; done < m; done += CHUNK)
    {
      guint count = MIN (CHUNK, m - done);
      const NnLayer *output = &net->layers[last];

      load_chunk (probe, t, done, count, m);
      nn_network_forward (net, probe->x, count);
      loss += nn_loss_evaluate (project->loss, output->activation, output->alpha, net->u[last],
                                net->z[last], probe->target, output->n_out, count, m,
                                net->du[last]);
      nn_network_backward (net, probe->x);
      count_units (probe, count);
    }

  memset (out, 0, sizeof *out);
  out->epoch = nn_trainer_get_epoch (t);
  out->n_samples = m;
  out->n_layers = net->n_layers;
  out->loss = m > 0 ? loss : NAN;
  for (guint l = 0; l < net->n_layers; l++)
    summarise_layer (probe, l, m, &out->layers[l]);
}

double
nn_layer_health_figure (const NnLayerHealth *layer, NnHealthFigure figure)
{
  double units = layer->n_units > 0 ? layer->n_units : 1.0;

  switch (figure)
    {
    case NN_HEALTH_GRAD_NORM:
      return layer->grad_norm;
    case NN_HEALTH_GRAD_RMS:
      return layer->grad_rms;
    case NN_HEALTH_WEIGHT_NORM:
      return layer->weight_norm;
    case NN_HEALTH_DEAD_SHARE:
      return layer->dead / units;
    case NN_HEALTH_INACTIVE_SHARE:
      return layer->inactive / units;
    case NN_HEALTH_SATURATED_SHARE:
      return layer->saturated / units;
    case NN_N_HEALTH_FIGURES:
    default:
      g_return_val_if_reached (NAN);
    }
}

struct _NnHealthHistory
{
  guint     capacity;   /* records kept at most */
  guint     stride;     /* epochs between kept records: doubles at each thinning */
  guint     n;
  guint     allocated;
  NnHealth *records;    /* oldest first, epochs increasing */
};

NnHealthHistory *
nn_health_history_new (guint capacity)
{
  NnHealthHistory *h = g_new0 (NnHealthHistory, 1);

  h->capacity = MAX (capacity > 0 ? capacity : NN_HEALTH_HISTORY_DEFAULT_CAPACITY, 4);
  h->stride = 1;
  return h;
}

NnHealthHistory *
nn_health_history_copy (const NnHealthHistory *history)
{
  NnHealthHistory *h;

  g_return_val_if_fail (history != NULL, NULL);

  /* Snapshots carry copies: only the records in use, not the room to grow. */
  h = g_memdup2 (history, sizeof *history);
  h->allocated = history->n;
  h->records = history->n > 0 ? g_memdup2 (history->records, history->n * sizeof (NnHealth))
                              : NULL;
  return h;
}

void
nn_health_history_free (NnHealthHistory *history)
{
  if (history == NULL)
    return;
  g_free (history->records);
  g_free (history);
}

void
nn_health_history_clear (NnHealthHistory *history)
{
  g_return_if_fail (history != NULL);
  history->n = 0;
  history->stride = 1;
}

/* Keeps every other record, the first and the newest always, and doubles the stride:
 * the run stays evenly covered in at most `capacity` records. */
static void
thin (NnHealthHistory *history)
{
  guint kept = 0, span;

  for (guint i = 0; i < history->n; i++)
    if (i % 2 == 0 || i == history->n - 1)
      history->records[kept++] = history->records[i];
  history->n = kept;
  /* In epochs: twice the old stride, or the records' spacing if measurements were sparser. */
  span = history->records[kept - 1].epoch - history->records[0].epoch;
  history->stride = MAX (2 * history->stride, span / (kept - 1));
}

void
nn_health_history_push (NnHealthHistory *history, const NnHealth *health)
{
  g_return_if_fail (history != NULL && health != NULL);

  /* An earlier epoch than the newest: the run went back (a rewind) and this is its new
   * branch, so the records of the discarded future go. */
  while (history->n > 0 && history->records[history->n - 1].epoch > health->epoch)
    history->n--;
  /* The newest record stands in for the present until it is `stride` epochs after the
   * one before it; then it stays and the next one takes its place. So the newest
   * measurement is always there and the others are `stride` apart. */
  if (history->n > 0 && (history->records[history->n - 1].epoch == health->epoch
                         || (history->n > 1
                             && history->records[history->n - 1].epoch
                                - history->records[history->n - 2].epoch < history->stride)))
    {
      history->records[history->n - 1] = *health;
      return;
    }
  if (history->n == history->allocated)
    {
      history->allocated = MIN (MAX (16, 2 * history->allocated), history->capacity + 1);
      history->records = g_renew (NnHealth, history->records, history->allocated);
    }
  history->records[history->n++] = *health;
  if (history->n > history->capacity)
    thin (history);
}

guint
nn_health_history_get_n (const NnHealthHistory *history)
{
  g_return_val_if_fail (history != NULL, 0);
  return history->n;
}

guint
nn_health_history_get_capacity (const NnHealthHistory *history)
{
  g_return_val_if_fail (history != NULL, 0);
  return history->capacity;
}

const NnHealth *
nn_health_history_get_nth (const NnHealthHistory *history, guint index)
{
  g_return_val_if_fail (history != NULL, NULL);

  return index < history->n ? &history->records[index] : NULL;
}

const NnHealth *
nn_health_history_get_last (const NnHealthHistory *history)
{
  g_return_val_if_fail (history != NULL, NULL);

  return history->n > 0 ? &history->records[history->n - 1] : NULL;
}

/* How many records have an epoch ≤ `epoch` (they come first: epochs increase). */
static guint
count_until (const NnHealthHistory *history, guint epoch)
{
  guint lo = 0, hi = history->n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (history->records[mid].epoch <= epoch)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

const NnHealth *
nn_health_history_at_epoch (const NnHealthHistory *history, guint epoch)
{
  guint n;

  g_return_val_if_fail (history != NULL, NULL);

  n = count_until (history, epoch);
  return n > 0 ? &history->records[n - 1] : NULL;
}

guint
nn_health_history_series_until (const NnHealthHistory *history, guint layer,
                                NnHealthFigure figure, guint epoch, double *out, guint max)
{
  guint end, count, skip;

  g_return_val_if_fail (history != NULL, 0);

  end = count_until (history, epoch);
  count = MIN (end, max);
  skip = end - count;
  for (guint i = 0; i < count; i++)
    {
      const NnHealth *h = &history->records[skip + i];
      out[i] = layer < h->n_layers ? nn_layer_health_figure (&h->layers[layer], figure) : NAN;
    }
  return count;
}

guint
nn_health_history_series (const NnHealthHistory *history, guint layer, NnHealthFigure figure,
                          double *out, guint max)
{
  return nn_health_history_series_until (history, layer, figure, G_MAXUINT, out, max);
}
