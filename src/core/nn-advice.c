/* nn-advice.c: the checks behind the warnings, and their English sentences. */
#include "nn-advice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
advice_init (NnAdvice *a, NnAdviceKind kind, const NnAdviceInput *in)
{
  memset (a, 0, sizeof *a);
  a->kind = kind;
  a->epoch = in->epoch;
  a->learning_rate = in->learning_rate;
  a->optimizer = in->optimizer;
}

void
nn_advice_input_from_trainer (NnAdviceInput *in, NnTrainer *t, const NnHealth *health,
                              const NnConfusion *train_confusion)
{
  const NnProject *project;

  g_return_if_fail (in != NULL && t != NULL);

  project = nn_trainer_get_project (t);
  memset (in, 0, sizeof *in);
  in->epoch = nn_trainer_get_epoch (t);
  in->history = nn_trainer_get_history (t, &in->n_history);
  in->health = health;
  in->train_confusion = train_confusion;
  in->diverged = nn_trainer_diverged (t);
  in->learning_rate = project->optimizer.learning_rate;
  in->optimizer = project->optimizer.kind;
}

static gboolean
check_diverged (const NnAdviceInput *in, NnAdvice *a)
{
  if (!in->diverged)
    return FALSE;
  advice_init (a, NN_ADVICE_DIVERGED, in);
  /* The trainer stays at the last finite epoch; the one that failed is the next. */
  a->epoch = in->epoch + 1;
  return TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The training loss of a record; a non-finite one counts as +∞ (the run is blowing up),
 * so it ranks above every finite one. */
static double
loss_of (const NnEpochStats *r)
{
  return isfinite (r->train_loss) ? r->train_loss : INFINITY;
}

/* The training losses of `n` records, sorted. */
static void
sorted_losses (const NnEpochStats *h, guint n, double *out)
{
  for (guint i = 0; i < n; i++)
    out[i] = loss_of (&h[i]);
  qsort (out, n, sizeof (double), compare_doubles);
}

static double
median_of_sorted (const double *v, guint n)
{
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Mann–Kendall's trend statistic over n losses in units of its standard deviation when
 * the losses are only noise: Σ_{i<j} sign(x_j − x_i) / √(n(n−1)(2n+5)/18). It looks at
 * ranks only, so a spike weighs no more than any other epoch above its neighbours. */
static double
trend_z (const NnEpochStats *h, guint n)
{
  double s = 0;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        double a = loss_of (&h[i]), b = loss_of (&h[j]);
        s += (b > a) - (b < a);
      }
  return s / sqrt (n * (n - 1.0) * (2.0 * n + 5.0) / 18.0);
}

/* Over the last 3 w epochs: the loss rises more consistently than noise ever would, and
 * the rise lasts (the newest w epochs mostly sit well above where the oldest w were; a
 * spike that recovered leaves them low again). */
static gboolean
check_loss_rising (const NnAdviceInput *in, NnAdvice *a)
{
  const guint w = NN_ADVICE_RISING_WINDOW, n = 3 * NN_ADVICE_RISING_WINDOW;
  double first[NN_ADVICE_RISING_WINDOW], last[NN_ADVICE_RISING_WINDOW], from;
  const NnEpochStats *h;

  if (in->history == NULL || in->n_history < n)
    return FALSE;
  h = in->history + in->n_history - n;
  sorted_losses (h, w, first);
  sorted_losses (h + n - w, w, last);
  from = median_of_sorted (first, w);
  if (!isfinite (from) || !(last[w / 4] > (1.0 + NN_ADVICE_RISING_MARGIN) * from)
      || trend_z (h, n) < NN_ADVICE_RISING_Z)
    return FALSE;

  advice_init (a, NN_ADVICE_LOSS_RISING, in);
  a->loss_from = from;
  a->loss_to = median_of_sorted (last, w);
  a->epochs = h[n - 1].epoch - h[0].epoch;
  return TRUE;
}

static gboolean
check_vanishing (const NnAdviceInput *in, NnAdvice *a)
{
  const NnHealth *health = in->health;
  const NnLayerHealth *first, *output;
  double start, now;

  if (health == NULL || health->n_layers < 3 || in->epoch < NN_ADVICE_MIN_EPOCHS)
    return FALSE;
  if (in->history == NULL || in->n_history == 0)
    return FALSE;
  start = in->history[0].train_loss;
  now = in->history[in->n_history - 1].train_loss;
  if (!(now >= 0.5 * start))
    return FALSE; /* it is learning (or the loss is not a number) */

  first = &health->layers[0];
  output = &health->layers[health->n_layers - 1];
  if (!(output->grad_rms > 0.0)
      || !(first->grad_rms < NN_ADVICE_VANISHING_RATIO * output->grad_rms))
    return FALSE;
  advice_init (a, NN_ADVICE_VANISHING_GRADIENTS, in);
  a->layer = 0;
  a->factor = first->grad_rms > 0.0 ? output->grad_rms / first->grad_rms : INFINITY;
  a->activation = first->activation;
  return TRUE;
}

static gboolean
check_dead_units (const NnAdviceInput *in, NnAdvice *a)
{
  const NnHealth *health = in->health;
  double worst = 0.0;
  int found = -1;

  if (health == NULL)
    return FALSE;
  for (guint l = 0; l + 1 < health->n_layers; l++)
    {
      const NnLayerHealth *lh = &health->layers[l];
      double share = lh->n_units > 0 ? (double) lh->dead / lh->n_units : 0.0;
      if (lh->activation == NN_ACTIVATION_RELU && lh->dead > 0 && share >= NN_ADVICE_DEAD_SHARE
          && share > worst)
        {
          worst = share;
          found = (int) l;
        }
    }
  if (found < 0)
    return FALSE;
  advice_init (a, NN_ADVICE_DEAD_UNITS, in);
  a->layer = (guint) found;
  a->units = health->layers[found].dead;
  a->total = health->layers[found].n_units;
  a->activation = NN_ACTIVATION_RELU;
  return TRUE;
}

static gboolean
check_one_class (const NnAdviceInput *in, NnAdvice *a)
{
  const NnConfusion *c = in->train_confusion;
  guint predicted = 0, used = 0;

  if (c == NULL || c->total == 0 || c->classes < 2 || in->epoch < NN_ADVICE_MIN_EPOCHS)
    return FALSE;
  for (guint k = 0; k < c->classes; k++)
    {
      /* Balanced: each class holds at least half of n/K points. */
      if (2 * (guint64) nn_confusion_true_count (c, k) * c->classes < c->total)
        return FALSE;
      if (nn_confusion_predicted_count (c, k) > 0)
        {
          predicted = k;
          used++;
        }
    }
  if (used != 1)
    return FALSE;
  advice_init (a, NN_ADVICE_ONE_CLASS, in);
  a->predicted_class = predicted;
  a->classes = c->classes;
  return TRUE;
}

guint
nn_advice_check (const NnAdviceInput *in, NnAdvice out[NN_N_ADVICE_KINDS])
{
  typedef gboolean (*Check) (const NnAdviceInput *, NnAdvice *);
  /* Most serious first: nothing else matters once the loss is NaN. */
  static const Check checks[NN_N_ADVICE_KINDS] = {
    check_diverged, check_loss_rising, check_vanishing, check_dead_units, check_one_class,
  };
  guint n = 0;

  g_return_val_if_fail (in != NULL && out != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (checks[i] (in, &out[n]))
      n++;
  return n;
}

guint
nn_advice_take_new (NnAdviceMask *shown, NnAdvice *advice, guint n)
{
  guint kept = 0;

  g_return_val_if_fail (shown != NULL && (advice != NULL || n == 0), 0);

  for (guint i = 0; i < n; i++)
    {
      if (nn_advice_mask_has (*shown, advice[i].kind))
        continue;
      *shown |= nn_advice_mask_bit (advice[i].kind);
      advice[kept++] = advice[i];
    }
  return kept;
}

const char *
nn_advice_kind_to_string (NnAdviceKind kind)
{
  static const char *const names[NN_N_ADVICE_KINDS] = {
    "diverged", "loss-rising", "vanishing-gradients", "dead-units", "one-class",
  };

  g_return_val_if_fail (kind < NN_N_ADVICE_KINDS, NULL);
  return names[kind];
}

static const char *
activation_name (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_RELU:
      return "ReLU";
    case NN_ACTIVATION_LEAKY_RELU:
      return "Leaky ReLU";
    case NN_ACTIVATION_SIGMOID:
      return "sigmoid";
    case NN_ACTIVATION_TANH:
      return "tanh";
    case NN_ACTIVATION_IDENTITY:
      return "linear";
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:
      return "softmax";
    }
}

char *
nn_advice_format (const NnAdvice *a)
{
  g_return_val_if_fail (a != NULL, NULL);

  switch (a->kind)
    {
    case NN_ADVICE_DIVERGED:
      return g_strdup_printf ("training diverged at epoch %u: the loss became infinite or not "
                              "a number — the learning rate %g is too high for %s; lower it "
                              "and reset",
                              a->epoch, a->learning_rate,
                              nn_optimizer_kind_to_string (a->optimizer));
    case NN_ADVICE_LOSS_RISING:
      return g_strdup_printf ("the training loss rose from %.3g to %.3g over the last %u epochs "
                              "— the learning rate %g is probably too high for %s; try a "
                              "smaller one",
                              a->loss_from, a->loss_to, a->epochs, a->learning_rate,
                              nn_optimizer_kind_to_string (a->optimizer));
    case NN_ADVICE_VANISHING_GRADIENTS:
      return g_strdup_printf ("vanishing gradients: the gradient reaching layer %u is %.0f "
                              "times weaker than at the output, so the first %s layers "
                              "hardly learn — try ReLU or fewer layers",
                              a->layer + 1, a->factor, activation_name (a->activation));
    case NN_ADVICE_DEAD_UNITS:
      return g_strdup_printf ("layer %u: %u of %u ReLU units are dead — they output 0 for "
                              "every point, so they no longer learn",
                              a->layer + 1, a->units, a->total);
    case NN_ADVICE_ONE_CLASS:
      return g_strdup_printf ("the network predicts class %u for every training point "
                              "although the %u classes are balanced — it has not found a "
                              "boundary yet",
                              a->predicted_class, a->classes);
    case NN_N_ADVICE_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}
