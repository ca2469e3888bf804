/* nl-snapshot.h: an immutable picture of the trainer, handed from the worker to the UI.
 *
 * The training worker builds one of these whenever the UI has taken the previous one, and
 * never changes it afterwards, so the UI thread reads it without locks. It is reference
 * counted (g_atomic_rc_box): views keep the one they draw until the next arrives.
 *
 * The heavy parts that rarely change (the project and the dataset, the loss history) are
 * shared between consecutive snapshots instead of copied:
 *   - NlSnapshotModel holds the trainer's project (without weights) and its dataset; a
 *     new one is made only when the structure changes (model_serial tells views to relayout).
 *   - NlHistory is append-only: the worker writes past the n_history entries any snapshot
 *     has published, so entries [0, n_history) never change while a snapshot holds them.
 *     It is the worker's copy of the trainer's loss history, thinned as that is (see
 *     nn_trainer_get_history): records by increasing epoch, not one per epoch, so read
 *     each record's epoch rather than its position. When the trainer thins, the worker
 *     starts a new NlHistory; snapshots already published keep the old one.
 */
#pragma once

#include <glib.h>

#include "nn-advice.h"
#include "nn-dataset.h"
#include "nn-health.h"
#include "nn-metrics.h"
#include "nn-network.h"
#include "nn-optimizer.h"
#include "nn-project.h"
#include "nn-timeline.h"
#include "nn-trainer.h"

G_BEGIN_DECLS

typedef struct
{
  NnProject *project;      /* the trainer's project, without weights */
  NnDataset *dataset;      /* train and test points */
  guint64    serial;       /* changes with every structural change */
} NlSnapshotModel;

typedef struct
{
  NnEpochStats *records;   /* by increasing epoch: every epoch, or a thinned selection */
  guint         capacity;
} NlHistory;

/* The worker's timeline, reference counted so that a snapshot may outlive the worker. */
typedef struct
{
  NnTimeline *timeline;
} NlTimelineShare;

/* Layer health and the advice found in it, shared by consecutive snapshots until the
 * worker measures again (every few epochs, see nl-training-worker.c). */
typedef struct
{
  guint64          serial;            /* changes with every measurement */
  NnHealth         health;            /* the last measurement */
  NnHealthHistory *history;           /* the last NN_HEALTH_HISTORY_DEFAULT_CAPACITY ones */
  NnAdvice         advice[NN_N_ADVICE_KINDS]; /* nn_advice_check() on it, most serious first */
  guint            n_advice;
  double           cost_us;           /* what the measurement cost the worker, µs */
} NlHealthReport;

/* What the network gets right and wrong point by point, on the train and test sets
 * (nn-metrics.h), for the parameters the snapshot shows. */
typedef struct
{
  guint64     serial;
  guint       epoch;
  gboolean    classification;
  guint       n[NN_N_SPLITS];                  /* points of each split */
  /* Classification: counts[truth][predicted]; predicted[s][i] is point i's class. */
  NnConfusion confusion[NN_N_SPLITS];
  guint      *predicted_class[NN_N_SPLITS];
  /* Regression: every point's target and output, and R² (NAN when empty). */
  double     *truth[NN_N_SPLITS];
  double     *predicted[NN_N_SPLITS];
  double      r_squared[NN_N_SPLITS];
} NlMetrics;

typedef struct
{
  guint64                serial;          /* increases with every published snapshot */
  guint64                command_serial;  /* the last command the worker had applied */

  const NlSnapshotModel *model;           /* shared, see above */

  /* The network as a read-only NnNetwork: arch, layers, params and grads are valid; the
   * workspace pointers (u, z, du, dz, block) are NULL. */
  NnNetwork              net;

  guint                  epoch;
  guint64                steps;
  guint                  epoch_position;  /* samples consumed in the current epoch */
  NnEpochStats           stats;           /* train/test loss and accuracy right now */

  const NlHistory       *history;         /* shared, see above */
  guint                  n_history;

  /* Every neuron's output over the plane (hidden layers, then the output layer), neuron
   * after neuron, each neuron_res × neuron_res, row 0 at x2 = +6. */
  guint                  neuron_res;
  guint                  n_neurons;
  double                *neuron_grids;
  /* The network's outputs over the plane, output unit after output unit (for softmax,
   * each class's probability), each output_res × output_res, row 0 at x2 = +6. */
  guint                  output_res;
  guint                  n_outputs;
  double                *output_grids;

  gboolean               running;
  gboolean               diverged;        /* training paused itself: loss or weights not finite */
  guint                  diverged_epoch;
  double                 steps_per_second;   /* the speed asked for, 0 = as fast as it goes */
  double                 samples_per_second; /* measured over the last second of training */

  /* The last command the worker could not apply, with the serial of that command. */
  char                  *error_message;
  guint64                error_serial;

  /* The run's parameters epoch by epoch (nn-timeline.h: thread-safe, look records up
   * from the UI thread). Shared with the worker, valid as long as the snapshot. */
  NnTimeline            *timeline;
  NlTimelineShare       *timeline_share;  /* the reference that keeps it alive */

  /* Previewing the past (nl_training_worker_preview_epoch): net, the grids, stats,
   * optimizer and metrics show timeline record `preview_epoch`, while epoch, steps and
   * the history stay the trainer's. The record may have another architecture than the
   * trainer's network: then `model` describes the record's network. */
  gboolean               previewing;
  guint                  preview_epoch;

  /* A copy of the optimizer's state for the parameters shown (nn_optimizer_copy: the
   * configuration, step count t and the moment arrays m and v, n_params each), so a
   * view can preview the next update. Previewing, a reset one: a rewind starts afresh. */
  NnOptimizer           *optimizer;

  /* The last health measurement and the advice found in it; NULL before the first. */
  const NlHealthReport  *health;
  /* Confusion matrices or regression pairs for the parameters shown; NULL unless the UI
   * asked for them (nl_training_worker_set_metrics_wanted). While training they are
   * recomputed at most every 100 ms, so consecutive snapshots may share them. */
  const NlMetrics       *metrics;
} NlSnapshot;

#define NL_SNAPSHOT_NEURON_RES 40
#define NL_SNAPSHOT_OUTPUT_RES 200

NlSnapshot      *nl_snapshot_ref              (NlSnapshot *self);
void             nl_snapshot_unref            (NlSnapshot *self);

/* The last history record, or NULL when there is none. */
const NnEpochStats *nl_snapshot_get_last_record (const NlSnapshot *self);
/* The grid of neuron `unit` of layer `layer` (hidden layers first, then the output). */
const double    *nl_snapshot_get_neuron_grid  (const NlSnapshot *self, guint layer, guint unit);

/* For the worker. */
NlSnapshot      *nl_snapshot_new              (void);
NlSnapshotModel *nl_snapshot_model_new        (const NnProject *project, const NnDataset *dataset,
                                               guint64 serial);
NlSnapshotModel *nl_snapshot_model_ref        (NlSnapshotModel *model);
void             nl_snapshot_model_unref      (NlSnapshotModel *model);
NlHistory       *nl_history_new               (guint capacity);
NlHistory       *nl_history_ref               (NlHistory *history);
void             nl_history_unref             (NlHistory *history);
/* Takes ownership of the timeline. */
NlTimelineShare *nl_timeline_share_new        (NnTimeline *timeline);
NlTimelineShare *nl_timeline_share_ref        (NlTimelineShare *share);
void             nl_timeline_share_unref      (NlTimelineShare *share);
/* Takes ownership of the history. */
NlHealthReport  *nl_health_report_new         (NnHealthHistory *history);
NlHealthReport  *nl_health_report_ref         (NlHealthReport *report);
void             nl_health_report_unref       (NlHealthReport *report);
NlMetrics       *nl_metrics_new               (void);
NlMetrics       *nl_metrics_ref               (NlMetrics *metrics);
void             nl_metrics_unref             (NlMetrics *metrics);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSnapshot, nl_snapshot_unref)

G_END_DECLS
