/* nn-race.h: optimizers racing from a common start on a two-parameter surface.
 *
 * Every runner is an NnOptimizer over two parameters, so the update rules are the very
 * code that trains the network. A race is stepped one step at a time (a view animates it)
 * or run for N steps; each runner records its trajectory (x, y, loss per step, step 0 being
 * the start), and stops on its own when it diverges: a non-finite value or a position
 * farther than NN_RACE_ESCAPE box sizes outside the surface's view box.
 *
 * Stochastic runners. On a textbook surface a stochastic runner's gradient is the exact
 * gradient plus Gaussian noise of standard deviation `noise` on each component; on a data
 * surface it is the gradient of a real mini-batch (the surface's batch size, samples
 * reshuffled every epoch). Only SGD is stochastic by default, so a race compares update
 * rules; switching `stochastic` on for another runner shows the same rule with noise.
 * Every runner's random stream is seeded with the race's seed: all stochastic runners see
 * the same noise sequence (or the same mini-batch order), as training runs from the same
 * project see the same mini-batches.
 *
 * The loss recorded is always the full value of the surface (for a data surface the
 * full-batch loss), which is what its contours show.
 */
#pragma once

#include <glib.h>
#include "nn-optimizer.h"
#include "nn-surface.h"

G_BEGIN_DECLS

#define NN_RACE_MAX_RUNNERS 16
#define NN_RACE_MAX_STEPS   100000 /* per runner; then it stops */
#define NN_RACE_ESCAPE      10.0   /* how many box sizes outside the box count as diverged */

typedef struct
{
  double x, y, loss;
} NnTrajectoryPoint;

typedef struct
{
  NnOptimizerConfig optimizer;
  gboolean          stochastic;
  double            noise;     /* sd of the gradient noise on textbook surfaces, >= 0 */
} NnRunnerConfig;

typedef enum
{
  NN_RUNNER_RUNNING,
  NN_RUNNER_DIVERGED,
  NN_RUNNER_FINISHED, /* reached NN_RACE_MAX_STEPS */
} NnRunnerState;

typedef struct
{
  NnRunnerState state;
  guint         steps;            /* steps taken (trajectory length − 1) */
  double        x, y, loss;       /* the last recorded point */
  double        distance;         /* to the nearest known minimum; NAN when none is known */
  gint          nearest_minimum;  /* index into the surface's critical points, or −1 */
} NnRunnerResult;

/* PyTorch's defaults for `kind` with the surface's learning rate and noise when
 * `surface` is not NULL; stochastic for SGD only. */
void        nn_runner_config_init     (NnRunnerConfig *cfg, NnOptimizerKind kind,
                                       const NnSurface *surface);
gboolean    nn_runner_config_validate (const NnRunnerConfig *cfg, GError **error);

typedef struct _NnRace NnRace;

/* A race on `surface` (referenced) from its default start, with no runners yet. */
NnRace     *nn_race_new               (NnSurface *surface, guint32 seed);
void        nn_race_free              (NnRace *race);

/* Adds a runner (the race goes back to step 0). `label` names it in tables and CSV; NULL
 * means the optimizer's name, with "-2", "-3"… appended when that name is taken. Returns
 * the runner's index, or −1 with an error. */
gint        nn_race_add_runner        (NnRace *race, const NnRunnerConfig *cfg,
                                       const char *label, GError **error);
/* Replaces a runner's configuration; the race goes back to step 0. */
gboolean    nn_race_set_runner_config (NnRace *race, guint runner, const NnRunnerConfig *cfg,
                                       GError **error);
void        nn_race_remove_runners    (NnRace *race);
guint       nn_race_get_n_runners     (const NnRace *race);
const NnRunnerConfig *nn_race_get_runner_config (const NnRace *race, guint runner);
const char *nn_race_get_runner_label  (const NnRace *race, guint runner);

NnSurface  *nn_race_get_surface       (const NnRace *race);
guint32     nn_race_get_seed          (const NnRace *race);
/* A new start (a click on the plot); every runner goes back to step 0. */
void        nn_race_set_start         (NnRace *race, double x, double y);
void        nn_race_get_start         (const NnRace *race, double *x, double *y);
/* Every runner back to the start, its optimizer state and random stream reset. */
void        nn_race_reset             (NnRace *race);

/* Steps every running runner once; returns how many are still running. */
guint       nn_race_step              (NnRace *race);
/* Up to `steps` steps (fewer when every runner has stopped); returns how many still run. */
guint       nn_race_run               (NnRace *race, guint steps);
/* Steps the race has taken since the start. */
guint       nn_race_get_step          (const NnRace *race);

/* The points recorded so far; valid until the next step, reset or change of the race. */
const NnTrajectoryPoint *nn_race_get_trajectory (const NnRace *race, guint runner, guint *n);
void        nn_race_get_result        (const NnRace *race, guint runner, NnRunnerResult *out);

/* The trajectories as CSV: header "optimizer,step,x,y,loss", then one row per recorded
 * point of each runner in order, numbers in the C locale with 17 significant digits. */
char       *nn_race_to_csv            (const NnRace *race, gsize *length);
gboolean    nn_race_save_csv          (const NnRace *race, const char *path, GError **error);

#define NN_TRAJECTORY_CSV_HEADER "optimizer,step,x,y,loss\n"
/* Appends the rows of one trajectory (no header); shared with the network's landscape. */
void        nn_trajectory_append_csv  (GString *csv, const char *label,
                                       const NnTrajectoryPoint *points, guint n);

/* ---- The fair race: a learning-rate sweep --------------------------------------------
 * Each runner's configuration is tried with n_rates learning rates spaced evenly on a log
 * scale over [lr_min, lr_max], from the race's start and seed, for `steps` steps. The best
 * rate has the lowest final loss among the runs that did not diverge; final losses within
 * `tie` of each other count as equal, and then the one that first reached `threshold`
 * wins (then the lower final loss). */
typedef struct
{
  double lr_min, lr_max;
  guint  n_rates;
  guint  steps;
  double threshold; /* NAN: 0.1 % of the way from the start's loss to the minimum's */
  double tie;       /* NAN: 1e-9 × (the start's loss − the minimum's) */
} NnSweepConfig;

typedef struct
{
  gboolean found;              /* FALSE when every rate diverged */
  double   learning_rate;
  double   final_loss;
  guint    steps_to_threshold; /* G_MAXUINT when the threshold was never reached */
  guint    n_diverged;         /* how many of the rates diverged */
} NnSweepResult;

/* 1e-5 … 1, 16 rates, 200 steps. */
void        nn_sweep_config_init      (NnSweepConfig *cfg);
/* Sweeps every runner; `results` has one entry per runner. The race is left as it was. */
gboolean    nn_race_sweep             (NnRace *race, const NnSweepConfig *cfg,
                                       NnSweepResult *results, GError **error);
/* Gives each runner its best rate (those with `found`) and resets the race. */
void        nn_race_apply_sweep       (NnRace *race, const NnSweepResult *results);

/* ---- Presets: the classic lessons ----------------------------------------------------- */
typedef enum
{
  NN_RACE_PRESET_LOCAL_MINIMUM, /* GD stays in the local minimum; momentum and SGD escape */
  NN_RACE_PRESET_RAVINE,        /* GD zig-zags down the ravine; Adam goes straight */
  NN_RACE_PRESET_DIVERGENCE,    /* the same GD with a good, a borderline and a too large rate */
  NN_N_RACE_PRESETS
} NnRacePreset;

const char *nn_race_preset_to_string       (NnRacePreset preset); /* "local-minimum"… */
gboolean    nn_race_preset_from_string     (const char *s, NnRacePreset *out);
const char *nn_race_preset_get_description (NnRacePreset preset);
/* Steps after which the lesson is plain to see. */
guint       nn_race_preset_get_steps       (NnRacePreset preset);
NnRace     *nn_race_new_preset             (NnRacePreset preset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnRace, nn_race_free)

G_END_DECLS
