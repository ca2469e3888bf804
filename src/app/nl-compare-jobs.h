/* nl-compare-jobs.h: the long computations of the compare window, each in a worker thread.
 *
 * Every job runs in a GTask thread on data it owns (copies, or a landscape handed over to
 * it), so the window keeps animating while it runs; results come back through the usual
 * GAsyncReadyCallback on the main context that started the job. Progress (a fraction in
 * [0, 1]) is delivered on that main context too, throttled to about one call every 15 ms,
 * to `progress_target`, which the job holds by a weak reference only: never once the
 * job's cancellable was cancelled (a window cancels its jobs when it goes away), never
 * after the job's result, never to a target that was finalized.
 *
 *   surface grid   the values of a two-parameter surface on a res × res grid;
 *   sweep          the fair race: each runner's learning-rate sweep (nn_race_sweep), one
 *                  runner at a time, on a copy of the race;
 *   landscape      the network's training runs, one per optimizer, from the same initial
 *                  weights (the project's seed, or given ones);
 *   plane          a plane through the runs (PCA, random filter-normalised, two weights, or
 *                  one given), every recorded point projected with its true loss, and the
 *                  loss grid over the plane. The landscape is handed to the job and back,
 *                  also when it fails or is cancelled.
 */
#pragma once

#include <gio/gio.h>

#include "nn-landscape.h"
#include "nn-race.h"
#include "nn-surface.h"

G_BEGIN_DECLS

typedef void (*NlJobProgress) (double fraction, gpointer user_data);

/* ---- Surface grid ------------------------------------------------------------------------ */
void              nl_job_surface_grid         (NnSurface           *surface,
                                               const NnBox         *box,
                                               guint                res,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* res × res values (g_free them). */
double           *nl_job_surface_grid_finish  (GAsyncResult        *result,
                                               GError             **error);

/* ---- Fair race ----------------------------------------------------------------------------- */
void              nl_job_sweep                (const NnRace        *race,
                                               const NnSweepConfig *config,
                                               NlJobProgress        progress,
                                               GObject             *progress_target,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* One result per runner of the race, in order (g_free it). */
NnSweepResult    *nl_job_sweep_finish         (GAsyncResult        *result,
                                               guint               *n_results,
                                               GError             **error);

/* ---- The network's training runs ------------------------------------------------------------ */
/* `start`, when not NULL, holds n_start initial weights (the network's parameter count)
 * instead of the seed's. */
void              nl_job_landscape            (const NnProject         *project,
                                               const double            *start,
                                               gsize                    n_start,
                                               const NnOptimizerConfig *optimizers,
                                               guint                    n_runs,
                                               guint                    steps,
                                               NlJobProgress            progress,
                                               GObject                 *progress_target,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
NnLandscape      *nl_job_landscape_finish     (GAsyncResult        *result,
                                               GError             **error);

/* ---- A plane through them and the loss over it ----------------------------------------------- */
typedef struct
{
  NnPlaneKind kind;       /* PCA, RANDOM or WEIGHTS; ignored when a plane is given */
  NnWeightRef a, b;       /* WEIGHTS */
  guint32     seed;       /* RANDOM */
  guint       res;        /* of the loss grid */
  double      margin;     /* around the projected runs, a fraction of their extent */
} NlPlaneSpec;

typedef struct
{
  NnPlane          *plane;
  NnLossGrid       *grid;
  guint             n_runs;
  NnProjectedPoint *points[NN_LANDSCAPE_MAX_RUNS];
  guint             n_points[NN_LANDSCAPE_MAX_RUNS];
  double            explained;  /* fraction of the runs' variance in the plane */
  double            grid_ms;    /* wall-clock time of the loss grid (0 when it was given) */
} NlPlaneResult;

void              nl_plane_result_free        (NlPlaneResult *result);

/* Takes `landscape`; `plane` and `grid` (both or neither) are a plane and its finished grid
 * to keep (taken too): then only the projection is computed. */
void              nl_job_plane                (NnLandscape         *landscape,
                                               const NlPlaneSpec   *spec,
                                               NnPlane             *plane,
                                               NnLossGrid          *grid,
                                               NlJobProgress        progress,
                                               GObject             *progress_target,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
NlPlaneResult    *nl_job_plane_finish         (GAsyncResult        *result,
                                               GError             **error);
/* The landscape handed back; call once, whatever the job's outcome. */
NnLandscape      *nl_job_plane_take_landscape (GAsyncResult        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlPlaneResult, nl_plane_result_free)

G_END_DECLS
