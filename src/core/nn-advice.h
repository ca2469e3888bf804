/* nn-advice.h: warnings a student understands, found in the health and history of a run.
 *
 * The engine finds a warning and gives its kind and its numbers; the app writes the
 * sentence with _() (nn_advice_format() is the English one, for the command line and the
 * tests). Each kind is shown once and can be dismissed: NnAdviceMask remembers which kinds
 * were shown.
 *
 * The checks, with the constants below:
 *   DIVERGED            the last step made the loss or a parameter NaN or infinite.
 *   LOSS_RISING         over the last 3 × NN_ADVICE_RISING_WINDOW epochs (24) the training
 *                       loss rises consistently: Mann–Kendall's trend statistic (ranks
 *                       only, so a spike weighs no more than any epoch) is at least
 *                       NN_ADVICE_RISING_Z (4) standard deviations of what noise gives,
 *                       and the rise lasts: the lower quartile of the newest window is more
 *                       than NN_ADVICE_RISING_MARGIN (10 %) above the oldest window's
 *                       median. Adam's short spikes that recover raise nothing; a climb or
 *                       a divergence does. A non-finite loss counts as +∞. Simulated on
 *                       noise alone (±40 %, no trend) it fires in fewer than 1 in 20 000
 *                       checks; on a climb of 1.5 % an epoch in 99 %.
 *   VANISHING_GRADIENTS with at least two hidden layers, after NN_ADVICE_MIN_EPOCHS
 *                       epochs, the first layer's gradient (per weight, grad_rms) is below
 *                       NN_ADVICE_VANISHING_RATIO (1 %) of the output layer's while the
 *                       training loss is still above half of its first recorded value.
 *   DEAD_UNITS          a hidden ReLU layer has at least NN_ADVICE_DEAD_SHARE (a quarter)
 *                       of its units dead; the layer with the largest share is reported.
 *   ONE_CLASS           after NN_ADVICE_MIN_EPOCHS epochs the network predicts the same
 *                       class for every training point although every class holds at
 *                       least half of its fair share (n/K) of the points.
 */
#pragma once

#include <glib.h>
#include "nn-health.h"
#include "nn-metrics.h"
#include "nn-trainer.h"

G_BEGIN_DECLS

#define NN_ADVICE_MIN_EPOCHS      10
#define NN_ADVICE_RISING_WINDOW   8
#define NN_ADVICE_RISING_Z        4.0
#define NN_ADVICE_RISING_MARGIN   0.10
#define NN_ADVICE_VANISHING_RATIO 0.01
#define NN_ADVICE_DEAD_SHARE      0.25

typedef enum
{
  NN_ADVICE_DIVERGED,
  NN_ADVICE_LOSS_RISING,
  NN_ADVICE_VANISHING_GRADIENTS,
  NN_ADVICE_DEAD_UNITS,
  NN_ADVICE_ONE_CLASS,
  NN_N_ADVICE_KINDS
} NnAdviceKind;

/* The numbers behind a warning. Which fields a kind fills:
 *   all          kind, epoch (the epoch it was found at; DIVERGED: the epoch that diverged)
 *   DIVERGED     learning_rate, optimizer
 *   LOSS_RISING  loss_from (median of the oldest window), loss_to (of the newest),
 *                epochs (from the first epoch looked at to the last), learning_rate,
 *                optimizer
 *   VANISHING    layer (0), factor (output layer's grad_rms over the first layer's, ≥ 100),
 *                activation (the first layer's)
 *   DEAD_UNITS   layer, units (dead), total (units in the layer)
 *   ONE_CLASS    predicted_class, classes
 * `layer` is an index into NnHealth.layers, so hidden layer 1 is 0: show layer + 1. */
typedef struct
{
  NnAdviceKind    kind;
  guint           epoch;
  guint           layer;
  guint           units;
  guint           total;
  double          factor;
  NnActivation    activation;
  double          loss_from;
  double          loss_to;
  guint           epochs;
  guint           predicted_class;
  guint           classes;
  double          learning_rate;
  NnOptimizerKind optimizer;
} NnAdvice;

/* What the checks look at; any pointer may be NULL (its checks are skipped). */
typedef struct
{
  guint               epoch;
  const NnEpochStats *history;          /* one record per epoch, oldest first */
  guint               n_history;
  const NnHealth     *health;
  const NnConfusion  *train_confusion;
  gboolean            diverged;
  double              learning_rate;
  NnOptimizerKind     optimizer;
} NnAdviceInput;

/* Fills the input from a trainer (epoch, history, divergence, optimizer); health and the
 * training set's confusion matrix come from the caller and may be NULL. */
void        nn_advice_input_from_trainer (NnAdviceInput *in, NnTrainer *t, const NnHealth *health,
                                          const NnConfusion *train_confusion);
/* Runs every check; writes at most NN_N_ADVICE_KINDS warnings, most serious first, and
 * returns how many. */
guint       nn_advice_check              (const NnAdviceInput *in,
                                          NnAdvice out[NN_N_ADVICE_KINDS]);

/* Which kinds were shown: one bit a kind. */
typedef guint32 NnAdviceMask;

static inline NnAdviceMask
nn_advice_mask_bit (NnAdviceKind kind)
{
  return (NnAdviceMask) 1 << kind;
}

static inline gboolean
nn_advice_mask_has (NnAdviceMask mask, NnAdviceKind kind)
{
  return (mask & nn_advice_mask_bit (kind)) != 0;
}

/* Keeps (in order) the warnings whose kind is not in *shown yet, adds their kinds to
 * *shown, and returns how many remain. */
guint       nn_advice_take_new           (NnAdviceMask *shown, NnAdvice *advice, guint n);

/* "vanishing-gradients", … : stable names for files and the command line. */
const char *nn_advice_kind_to_string     (NnAdviceKind kind);
/* The English sentence, e.g. "layer 3: 5 of 8 ReLU units are dead — they output 0 for
 * every point, so they no longer learn". Free with g_free. */
char       *nn_advice_format             (const NnAdvice *advice);

G_END_DECLS
