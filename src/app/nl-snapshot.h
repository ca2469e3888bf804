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
 */
#pragma once

#include <glib.h>

#include "nn-dataset.h"
#include "nn-network.h"
#include "nn-project.h"
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
  NnEpochStats *records;   /* one per completed epoch, plus epoch 0 */
  guint         capacity;
} NlHistory;

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSnapshot, nl_snapshot_unref)

G_END_DECLS
