/* nn-trainer.h: trains a network on a dataset, a batch, an epoch or N epochs at a time.
 *
 * It owns the network, the optimizer, the dataset expanded into features and the targets
 * encoded for the output layer:
 *   softmax          → one-hot over K classes
 *   one sigmoid unit → 0/1
 *   one tanh/identity unit (classification) → −1/+1 (as TensorFlow Playground)
 *   regression       → the target value
 * GD takes the whole training set as one batch; the others take batch_size samples in
 * data order, reshuffled every epoch when shuffle is on; a last short batch is kept.
 * One seed drives initialisation and shuffling, so runs are bit-identical.
 * A step never allocates.
 */
#pragma once

#include <glib.h>
#include "nn-project.h"
#include "nn-network.h"
#include "nn-optimizer.h"
#include "nn-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  guint  epoch;
  double train_loss;
  double test_loss;   /* NAN when there is no test set */
  double train_accuracy; /* classification only, else NAN */
  double test_accuracy;
} NnEpochStats;

typedef struct _NnTrainer NnTrainer;

/* The most loss-history records a trainer keeps (see nn_trainer_get_history): 2^15
 * epochs, 1.25 MiB (40 bytes a record). That is over ten times the points a loss curve
 * has pixels across, and small enough to be reached within a lesson's first minute, so
 * that memory stays flat after it: the default example trains about 6 600 epochs a second
 * flat out without a window (5 s to the budget), the window about 500 on a busy two-core
 * machine (65 s). A 10-hour run at 6 600 epochs a second keeps every 8192nd epoch. */
#define NN_TRAINER_HISTORY_BUDGET (1u << 15)

/* Builds network, dataset and optimizer from the project. When the project holds weights
 * they are the starting point, else the seed initialises them. */
NnTrainer *nn_trainer_new             (const NnProject *project, GError **error);
void       nn_trainer_free            (NnTrainer *t);

/* One mini-batch (or the full batch for GD). Returns TRUE when it completed an epoch,
 * after which the epoch's statistics are recorded in the history. */
gboolean   nn_trainer_step            (NnTrainer *t);
void       nn_trainer_step_epoch      (NnTrainer *t);
/* Trains n epochs; `progress` (may be NULL) is called after each epoch; returning FALSE
 * from it stops early. Returns FALSE with NN_ERROR_DIVERGED when the loss or a parameter
 * became NaN or infinite (training stops at the last finite state's epoch). */
typedef gboolean (*NnTrainerProgress) (NnTrainer *t, const NnEpochStats *stats, gpointer user_data);
gboolean   nn_trainer_train           (NnTrainer *t, guint epochs, NnTrainerProgress progress,
                                       gpointer user_data, GError **error);

/* New initial weights and shuffling order from `seed`; the data stays as it is (it comes
 * from the project's seed). Optimizer state and history cleared, epoch 0. Passing the
 * project's seed returns exactly to the start a fresh trainer has. */
void       nn_trainer_reset           (NnTrainer *t, guint32 seed);

/* Moves the trainer back to a recorded state (the timeline's "play from here"): the
 * parameters become `params` (n_params must match the current network), the epoch and
 * step counters those given, the history after `epoch` is dropped, the optimizer starts
 * afresh and the next step begins a new epoch. FALSE when the shape does not match. */
gboolean   nn_trainer_rewind          (NnTrainer *t, guint epoch, guint64 steps,
                                       const double *params, gsize n_params);

guint      nn_trainer_get_epoch       (const NnTrainer *t);
guint64    nn_trainer_get_steps       (const NnTrainer *t);
/* Position inside the current epoch (samples consumed). */
guint      nn_trainer_get_epoch_position (const NnTrainer *t);
/* Loss and accuracy on the whole train and test sets now. */
void       nn_trainer_evaluate        (NnTrainer *t, NnEpochStats *out);
/* History: the record of epoch 0 (or of the first epoch trained), then one record per
 * completed epoch, by increasing epoch; each record holds its epoch, so draw and export by
 * record.epoch, never by position. It keeps every epoch while that fits a budget of
 * NN_TRAINER_HISTORY_BUDGET records; past it, it thins itself evenly as nn-timeline.h
 * does: it keeps only the epochs first + i·stride, doubling the stride (every 2nd epoch,
 * then every 4th, …), plus always the first and the last epoch. So a run of any length
 * keeps its whole curve in at most 2^15 records of 40 bytes (1.25 MiB; the app's worker
 * holds a copy of at most 5/4 of that), between 2^14 and 2^15 records once thinned. */
const NnEpochStats *nn_trainer_get_history (const NnTrainer *t, guint *n);
/* A history as CSV, the one format of the window's Export Training History and of
 * `neural-lab-cli train --history`: the header "epoch,train_loss,test_loss,train_acc,test_acc",
 * then a line a record, each value written by nn_append_exact_double (so NaN, the accuracy
 * of a regression or a missing test set, is an empty field). */
GString   *nn_history_to_csv          (const NnEpochStats *history, guint n);
/* Appends v in the fewest of 15, 16 or 17 significant digits that read back as exactly v,
 * in the C locale whatever the user's (a CSV must not get a decimal comma), or nothing when
 * v is NaN. */
void       nn_append_exact_double     (GString *out, double v);
/* Changes whenever records other than the last were dropped (reset, rewind, thinning):
 * a reader that copied the history must then copy it afresh. While it stays the same, the
 * history only gained records at its end, and lost at most its last (kept only for being
 * last: it was off the stride's grid). */
guint      nn_trainer_get_history_serial (const NnTrainer *t);
/* Epochs between the records kept (1 until the first thinning). */
guint      nn_trainer_get_history_stride (const NnTrainer *t);
guint      nn_trainer_get_history_budget (const NnTrainer *t);
/* At most max_records records (at least 3; 0 restores the default). Thins at once. */
void       nn_trainer_set_history_budget (NnTrainer *t, guint max_records);
/* Whether the last step left the loss or the parameters non-finite. */
gboolean   nn_trainer_diverged        (const NnTrainer *t);

NnNetwork       *nn_trainer_get_network   (NnTrainer *t);
const NnDataset *nn_trainer_get_dataset   (const NnTrainer *t);
const NnProject *nn_trainer_get_project   (const NnTrainer *t);
/* A copy of the project as it stands, with the current weights stored in it. */
NnProject       *nn_trainer_dup_project   (const NnTrainer *t);
/* Whether each completed epoch evaluates the whole train and test sets into the history
 * (on by default; the benchmark turns it off to time the training steps alone). */
void             nn_trainer_set_record_history (NnTrainer *t, gboolean record);
NnOptimizer     *nn_trainer_get_optimizer (NnTrainer *t);

/* Evaluates the network on an res×res grid over the plane (row 0 at x2 = +6 top, column 0
 * at x1 = −6 left, cell centres). `output` (may be NULL) receives the output unit's value,
 * or for softmax the index of the most probable class (the probabilities themselves are the
 * output neurons' grids); `neurons` (may be NULL) receives every neuron's output, neuron by
 * neuron (hidden layers in order, then the output layer), each res×res. */
void       nn_trainer_eval_grid       (NnTrainer *t, guint res, double *output, double *neurons);
/* Every output unit over the same res×res grid, one grid after the other (unit j's cell p
 * at grids[j·res² + p]; `grids` holds n_outputs·res²): the values nn_trainer_predict gives
 * at the cell centres (softmax's class probabilities, not the argmax). The grid's features
 * are cached for the two resolutions used last, so alternating this with
 * nn_trainer_eval_grid at another resolution allocates nothing after the first calls. */
void       nn_trainer_eval_output_grids (NnTrainer *t, guint res, double *grids);
/* Network outputs for n points (x1, x2), (n, n_outputs) row-major. */
void       nn_trainer_predict         (NnTrainer *t, const double *x1x2, gsize n, double *out);

/* Changes that take effect at the next step, never losing the current weights unless the
 * shape changed (then overlapping weights are kept, new ones initialised). Each returns
 * FALSE with an error and changes nothing when the project would be invalid. */
gboolean   nn_trainer_set_optimizer   (NnTrainer *t, const NnOptimizerConfig *cfg, GError **error);
gboolean   nn_trainer_set_training    (NnTrainer *t, guint batch_size, gboolean shuffle,
                                       NnRegularization reg, double rate, GError **error);
gboolean   nn_trainer_set_loss        (NnTrainer *t, NnLoss loss, GError **error);
/* Architecture, features, problem, dataset, output activation: anything in the project. */
gboolean   nn_trainer_set_project     (NnTrainer *t, const NnProject *project, GError **error);
void       nn_trainer_set_weight      (NnTrainer *t, guint layer, guint out, guint in, double value);
void       nn_trainer_set_bias        (NnTrainer *t, guint layer, guint out, double value);

/* The encoding of one class label or target for the trainer's output layer. */
void       nn_trainer_encode_target   (const NnTrainer *t, double y, double *target_k);
/* The same without a trainer (the UI thread explains from a snapshot): k output units of
 * activation `output` for `problem`. */
void       nn_encode_target           (NnProblem problem, NnActivation output, guint k, double y,
                                       double *target_k);

G_END_DECLS
