/* nl-training-worker.h: the thread that owns the trainer.
 *
 * The UI thread never touches the NnTrainer. It sends commands, which the worker applies
 * between two training steps, and it takes the latest NlSnapshot the worker published.
 * Every command returns its serial; a snapshot whose command_serial is at least that
 * serial shows its effect.
 *
 * The worker never calls GTK and never emits signals: the UI polls
 * nl_training_worker_take_snapshot() from its frame clock.
 */
#pragma once

#include <glib-object.h>

#include "nl-snapshot.h"
#include "nn-project.h"

G_BEGIN_DECLS

#define NL_TYPE_TRAINING_WORKER (nl_training_worker_get_type ())

G_DECLARE_FINAL_TYPE (NlTrainingWorker, nl_training_worker, NL, TRAINING_WORKER, GObject)

/* Builds the trainer from `project` (its weights, when it has some, are the starting
 * point) and starts the thread, paused. */
NlTrainingWorker *nl_training_worker_new             (const NnProject  *project,
                                                      GError          **error);

guint64           nl_training_worker_play            (NlTrainingWorker *self);
guint64           nl_training_worker_pause           (NlTrainingWorker *self);
guint64           nl_training_worker_step            (NlTrainingWorker *self);
guint64           nl_training_worker_step_epoch      (NlTrainingWorker *self);
/* New initial weights from seed, epoch 0, history cleared; pauses. */
guint64           nl_training_worker_reset           (NlTrainingWorker *self,
                                                      guint32           seed);
/* Training steps per second; 0 means as fast as it goes. */
guint64           nl_training_worker_set_speed       (NlTrainingWorker *self,
                                                      double            steps_per_second);
/* The most loss-history records the trainer keeps before it thins them (see
 * nn_trainer_get_history; 0 = NN_TRAINER_HISTORY_BUDGET). Snapshots then carry a copy of
 * at most 5/4 of that. */
guint64           nl_training_worker_set_history_budget (NlTrainingWorker *self,
                                                         guint             max_records);
guint64           nl_training_worker_set_optimizer   (NlTrainingWorker        *self,
                                                      const NnOptimizerConfig *config);
guint64           nl_training_worker_set_training    (NlTrainingWorker *self,
                                                      guint             batch_size,
                                                      gboolean          shuffle,
                                                      NnRegularization  regularization,
                                                      double            rate);
guint64           nl_training_worker_set_loss        (NlTrainingWorker *self,
                                                      NnLoss            loss);
/* Any structural change: features, layers, neurons, activations, problem, dataset. The
 * weights the old and new network share are kept. */
guint64           nl_training_worker_set_project     (NlTrainingWorker *self,
                                                      const NnProject  *project);
guint64           nl_training_worker_set_weight      (NlTrainingWorker *self,
                                                      guint             layer,
                                                      guint             out,
                                                      guint             in,
                                                      double            value);
guint64           nl_training_worker_set_bias        (NlTrainingWorker *self,
                                                      guint             layer,
                                                      guint             out,
                                                      double            value);
/* Every parameter at once, in the network's flat layout (imported weights): n must be the
 * trainer's n_params when the command is applied, else the snapshot reports an error. */
guint64           nl_training_worker_set_params      (NlTrainingWorker *self,
                                                      const double     *params,
                                                      gsize             n);
/* Play from the past: the trainer goes back to the timeline's record at or before `epoch`
 * (rebuilt with that record's architecture, features and problem when they differ from
 * today's; optimizer and training settings stay today's), the optimizer starts afresh, and
 * the timeline and history after it are discarded. Pauses. */
guint64           nl_training_worker_rewind          (NlTrainingWorker *self,
                                                      guint             epoch);
/* Shows the past without changing it: snapshots show the record at or before `epoch`
 * (NlSnapshot.previewing) until end_preview or any command that trains or edits. Pauses. */
guint64           nl_training_worker_preview_epoch   (NlTrainingWorker *self,
                                                      guint             epoch);
guint64           nl_training_worker_end_preview     (NlTrainingWorker *self);
/* Whether snapshots carry NlSnapshot.metrics (confusion matrices or regression pairs),
 * computed at most every 100 ms while training. Off by default. */
guint64           nl_training_worker_set_metrics_wanted (NlTrainingWorker *self,
                                                         gboolean          wanted);
/* Stops the thread and waits for it. Called by dispose too; idempotent. */
void              nl_training_worker_quit            (NlTrainingWorker *self);
/* The serial of the last command sent: once a snapshot's command_serial reaches it, the
 * worker has shown the effect of everything it was asked. */
guint64           nl_training_worker_get_last_serial (NlTrainingWorker *self);

/* The snapshot published since the last call, or NULL. Transfer full. */
NlSnapshot       *nl_training_worker_take_snapshot   (NlTrainingWorker *self);
/* Waits up to timeout_us for a snapshot (for tests and tools without a frame clock). */
NlSnapshot       *nl_training_worker_wait_snapshot   (NlTrainingWorker *self,
                                                      gint64            timeout_us);
/* Average training samples per second over all the time it ran, and per second of the
 * worker thread's CPU time (the same figure on a machine busy with other work). */
double            nl_training_worker_get_samples_per_second     (NlTrainingWorker *self);
double            nl_training_worker_get_samples_per_cpu_second (NlTrainingWorker *self);

G_END_DECLS
