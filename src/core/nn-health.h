/* nn-health.h: how well each layer can still learn, measured on the training data.
 *
 * A probe runs the network forward and backward over the training set (at most
 * NN_HEALTH_DEFAULT_MAX_SAMPLES points: when there are more it takes an evenly spaced,
 * deterministic sample of them, point ⌊i·n/m⌋ for i < m) with its own copy of the network,
 * so the trainer is left exactly as it was. Per layer it reports:
 *
 *   grad_norm   ‖∂L/∂W‖, the Euclidean norm of the gradient of the mean data loss
 *               over those points with respect to the layer's weights (biases apart, no
 *               regulariser): the number that vanishes or explodes.
 *   grad_rms    grad_norm / √(weights), comparable between layers of different sizes.
 *   weight_norm ‖W‖ of the layer's weights.
 *   dead        ReLU layers: units whose output is exactly 0 on every point. Such a unit
 *               passes no gradient back, so it never recovers.
 *   inactive    Leaky ReLU layers: units with u < 0 on every point (they still learn,
 *               slowly, through the leak).
 *   saturated   sigmoid and tanh layers: units whose derivative is below 1 % of its
 *               maximum on at least 99 % of the points. That is |u| > acosh 10 ≈ 2.993
 *               for tanh (1 − tanh² u < 0.01) and |u| > 2 acosh 10 ≈ 5.986 for the sigmoid
 *               (σ(1 − σ) < 0.0025).
 *
 * The output layer is measured like the others; a saturated output unit of a classifier
 * is only a confident one, so the advice looks at hidden layers alone.
 *
 * Cost: one forward and backward pass over m points, the work of one full-batch epoch
 * without the update; no allocation after the first call for a given shape. Measured
 * (tests/test-health.c prints it; 2-core AMD EPYC VM, -O3 AVX2, other builds running):
 *   W2, spiral, 250 training points, 6 × 8 tanh:   0.2 ms  (one SGD epoch, batch 10: 0.3–0.7 ms)
 *   largest, 7 inputs, 10 × 64 ReLU, 8 softmax,
 *   1000 points measured:                          20–40 ms (one Adam epoch, batch 10: 80–130 ms)
 * Every few epochs (say when 10 epochs or 250 ms have passed) it stays within a few per
 * cent of the training time.
 */
#pragma once

#include <glib.h>
#include "nn-trainer.h"

G_BEGIN_DECLS

#define NN_HEALTH_DEFAULT_MAX_SAMPLES 1000
#define NN_HEALTH_SATURATED_PERCENT   99     /* of the points */
#define NN_HEALTH_SATURATION_LEVEL    0.01   /* of the derivative's maximum */

typedef struct
{
  NnActivation activation;
  guint        n_units;
  guint        n_weights;
  double       grad_norm;
  double       grad_rms;
  double       bias_grad_norm;
  double       weight_norm;
  guint        dead;       /* ReLU only, else 0 */
  guint        inactive;   /* Leaky ReLU only, else 0 */
  guint        saturated;  /* sigmoid and tanh only, else 0 */
} NnLayerHealth;

typedef struct
{
  guint         epoch;
  guint         n_samples;  /* points measured */
  guint         n_layers;   /* hidden layers, then the output layer */
  double        loss;       /* mean data loss over those points */
  NnLayerHealth layers[NN_MAX_LAYERS];
} NnHealth;

/* |u| beyond which the activation's derivative is below NN_HEALTH_SATURATION_LEVEL of its
 * maximum; INFINITY for activations that do not saturate. */
double nn_health_saturation_threshold (NnActivation activation);

typedef struct _NnHealthProbe NnHealthProbe;

NnHealthProbe *nn_health_probe_new             (void);
void           nn_health_probe_free            (NnHealthProbe *probe);
/* 0 measures every training point. */
void           nn_health_probe_set_max_samples (NnHealthProbe *probe, guint max_samples);
guint          nn_health_probe_get_max_samples (const NnHealthProbe *probe);

/* Measures the trainer's network on its training set, with `params` in place of the
 * current parameters when not NULL (they must be in the trainer's network's layout, e.g.
 * a timeline record of the same architecture). The trainer is not modified. With no
 * training points every figure is 0 and n_samples is 0. */
void           nn_health_compute               (NnHealthProbe *probe, NnTrainer *t,
                                                const double *params, NnHealth *out);

/* The figures a sparkline can follow. Shares are counts over n_units, in [0, 1]. */
typedef enum
{
  NN_HEALTH_GRAD_NORM,
  NN_HEALTH_GRAD_RMS,
  NN_HEALTH_WEIGHT_NORM,
  NN_HEALTH_DEAD_SHARE,
  NN_HEALTH_INACTIVE_SHARE,
  NN_HEALTH_SATURATED_SHARE,
  NN_N_HEALTH_FIGURES
} NnHealthFigure;

double nn_layer_health_figure (const NnLayerHealth *layer, NnHealthFigure figure);

/* The health records of the whole run, oldest first: the sparklines' data, live and when
 * the timeline shows a past epoch. Every record is kept until there are `capacity`; then
 * every other one goes (the first and the newest stay) and from then on records are kept
 * twice as far apart, so the run stays evenly covered in at most `capacity` records (as
 * the timeline thins its parameters). The newest measurement is always the last record.
 * A record of an earlier epoch than the newest starts a new branch (the run was rewound):
 * the later records are dropped; one of the same epoch replaces it.
 *
 * Cost: sizeof (NnHealth) a record (728 bytes with NN_MAX_LAYERS = 11, whatever the
 * network's size), one record per measurement (the app measures every 10 epochs at most),
 * so at most capacity × 728 bytes (364 KiB for the default 512) however long the run.
 * Not locked: one thread fills it (the worker), and copies go into snapshots. */
typedef struct _NnHealthHistory NnHealthHistory;

#define NN_HEALTH_HISTORY_DEFAULT_CAPACITY 512

NnHealthHistory *nn_health_history_new      (guint capacity); /* 0: the default; at least 4 */
/* Holds the records in use only. */
NnHealthHistory *nn_health_history_copy     (const NnHealthHistory *history);
void             nn_health_history_free     (NnHealthHistory *history);
void             nn_health_history_clear    (NnHealthHistory *history);
void             nn_health_history_push     (NnHealthHistory *history, const NnHealth *health);
guint            nn_health_history_get_n    (const NnHealthHistory *history);
guint            nn_health_history_get_capacity (const NnHealthHistory *history);
/* Record i, 0 being the oldest kept; NULL out of range. */
const NnHealth  *nn_health_history_get_nth  (const NnHealthHistory *history, guint index);
const NnHealth  *nn_health_history_get_last (const NnHealthHistory *history);
/* The health as it was at `epoch`: the last record at or before it; NULL if none. */
const NnHealth  *nn_health_history_at_epoch (const NnHealthHistory *history, guint epoch);
/* Writes one layer's figure for the newest `max` records at most, oldest first; NAN where a
 * record has no such layer (the shape changed). Returns how many it wrote. _until takes
 * only the records up to `epoch` (the timeline's position). */
guint            nn_health_history_series   (const NnHealthHistory *history, guint layer,
                                             NnHealthFigure figure, double *out, guint max);
guint            nn_health_history_series_until (const NnHealthHistory *history, guint layer,
                                                 NnHealthFigure figure, guint epoch,
                                                 double *out, guint max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnHealthProbe, nn_health_probe_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnHealthHistory, nn_health_history_free)

G_END_DECLS
