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
/* History: one record per completed epoch plus the record of epoch 0. */
const NnEpochStats *nn_trainer_get_history (const NnTrainer *t, guint *n);
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
