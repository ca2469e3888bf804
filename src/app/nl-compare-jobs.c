/* nl-compare-jobs.c: grids, sweeps, training runs and planes in GTask threads. */
#include "nl-compare-jobs.h"

#include <string.h>

#define PROGRESS_INTERVAL_US 15000

/* ---------------------------------------------------------------------------------------
 * Progress, from the worker to the main context
 */

typedef struct
{
  NlJobProgress  func;
  /* Weak: a progress call finds the target gone rather than calling into freed memory,
   * whatever the order in which the main loop runs the job's sources. */
  GWeakRef       target;
  GCancellable  *cancellable;
  GMainContext  *context;
  GTask         *task;        /* not a reference: the task owns this */
  gint64         last_time;
} Progress;

typedef struct
{
  Progress      *progress;    /* the job's, alive as long as `task` */
  GTask         *task;
  double         fraction;
} ProgressCall;

/* On the main context, as the job starts. */
static void
progress_init (Progress *p, GTask *task, NlJobProgress func, GObject *target,
               GCancellable *cancellable)
{
  p->task = task;
  p->func = target != NULL ? func : NULL;
  g_weak_ref_init (&p->target, target);
  p->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  p->context = g_main_context_ref_thread_default ();
  p->last_time = 0;
}

static void
progress_clear (Progress *p)
{
  g_weak_ref_clear (&p->target);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->context, g_main_context_unref);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressCall *call = data;
  Progress *p = call->progress;
  g_autoptr(GObject) target = NULL;

  /* Not after the job was cancelled (a window cancels its jobs as it goes), nor once its
   * result was delivered, nor to a target already finalized. */
  if ((p->cancellable != NULL && g_cancellable_is_cancelled (p->cancellable))
      || g_task_get_completed (call->task))
    return G_SOURCE_REMOVE;
  target = g_weak_ref_get (&p->target);
  if (target != NULL)
    p->func (call->fraction, target);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_clear_object (&call->task);
  g_free (call);
}

/* From the worker: posts the fraction to the main context, at most every 15 ms unless
 * `force`. */
static void
progress_report (Progress *p, double fraction, gboolean force)
{
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;
  GSource *source;

  if (p->func == NULL || (!force && now - p->last_time < PROGRESS_INTERVAL_US))
    return;
  p->last_time = now;
  call = g_new0 (ProgressCall, 1);
  call->progress = p;
  call->task = g_object_ref (p->task);
  call->fraction = CLAMP (fraction, 0.0, 1.0);
  /* Always through a source: g_main_context_invoke() would call back right here, in the
   * worker, whenever the main thread happened not to hold its context. Below GTK's layout
   * and redraw priorities, so progress arriving faster than the main loop can show it does
   * not starve the frames that would show it (at the default priority, measured on a
   * loaded machine, the window drew 2 frames in 1.8 s of work instead of 20 to 40). The
   * other way round, an animation drawing frame after frame holds progress back: the
   * window pauses its animation while a job runs. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, deliver_progress, call, progress_call_free);
  g_source_set_static_name (source, "[neural-lab] job progress");
  g_source_attach (source, p->context);
  g_source_unref (source);
}

/* ---------------------------------------------------------------------------------------
 * Surface grid
 */

typedef struct
{
  NnSurface *surface;
  NnBox      box;
  guint      res;
} GridJob;

static void
grid_job_free (gpointer data)
{
  GridJob *job = data;

  nn_surface_unref (job->surface);
  g_free (job);
}

static void
grid_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GridJob *job = data;
  double *values = g_new (double, (gsize) job->res * job->res);

  nn_surface_eval_grid (job->surface, &job->box, job->res, values);
  if (g_task_return_error_if_cancelled (task))
    {
      g_free (values);
      return;
    }
  g_task_return_pointer (task, values, g_free);
}

void
nl_job_surface_grid (NnSurface *surface, const NnBox *box, guint res, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GridJob *job = g_new0 (GridJob, 1);

  job->surface = nn_surface_ref (surface);
  job->box = *box;
  job->res = MAX (res, 2);
  g_task_set_source_tag (task, nl_job_surface_grid);
  g_task_set_task_data (task, job, grid_job_free);
  g_task_run_in_thread (task, grid_thread);
}

double *
nl_job_surface_grid_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------
 * Fair race
 */

typedef struct
{
  NnSurface      *surface;
  guint32         seed;
  double          start[2];
  guint           n;
  NnRunnerConfig *configs;
  NnSweepConfig   config;
  Progress        progress;
} SweepJob;

static void
sweep_job_free (gpointer data)
{
  SweepJob *job = data;

  nn_surface_unref (job->surface);
  g_free (job->configs);
  progress_clear (&job->progress);
  g_free (job);
}

static void
sweep_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SweepJob *job = data;
  g_autofree NnSweepResult *results = g_new0 (NnSweepResult, MAX (job->n, 1));

  /* One runner at a time, each in a race of its own from the same start and seed: what
   * nn_race_sweep does for all of them at once, with progress between runners. */
  for (guint i = 0; i < job->n; i++)
    {
      g_autoptr(NnRace) race = nn_race_new (job->surface, job->seed);
      g_autoptr(GError) error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (nn_race_add_runner (race, &job->configs[i], NULL, &error) < 0)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      nn_race_set_start (race, job->start[0], job->start[1]);
      if (!nn_race_sweep (race, &job->config, &results[i], &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      progress_report (&job->progress, (i + 1.0) / job->n, TRUE);
    }
  g_task_return_pointer (task, g_steal_pointer (&results), g_free);
}

void
nl_job_sweep (const NnRace *race, const NnSweepConfig *config, NlJobProgress progress,
              GObject *progress_target, GCancellable *cancellable, GAsyncReadyCallback callback,
              gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SweepJob *job = g_new0 (SweepJob, 1);

  job->surface = nn_surface_ref (nn_race_get_surface (race));
  job->seed = nn_race_get_seed (race);
  nn_race_get_start (race, &job->start[0], &job->start[1]);
  job->n = nn_race_get_n_runners (race);
  job->configs = g_new0 (NnRunnerConfig, MAX (job->n, 1));
  for (guint i = 0; i < job->n; i++)
    job->configs[i] = *nn_race_get_runner_config (race, i);
  job->config = *config;
  progress_init (&job->progress, task, progress, progress_target, cancellable);
  g_task_set_source_tag (task, nl_job_sweep);
  g_task_set_task_data (task, job, sweep_job_free);
  g_task_run_in_thread (task, sweep_thread);
}

NnSweepResult *
nl_job_sweep_finish (GAsyncResult *result, guint *n_results, GError **error)
{
  SweepJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (n_results != NULL)
    *n_results = job->n;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------
 * The network's training runs
 */

typedef struct
{
  NnProject         *project;
  NnOptimizerConfig  optimizers[NN_LANDSCAPE_MAX_RUNS];
  guint              n_runs;
  guint              steps;
  Progress           progress;
} LandscapeJob;

static void
landscape_job_free (gpointer data)
{
  LandscapeJob *job = data;

  nn_project_free (job->project);
  progress_clear (&job->progress);
  g_free (job);
}

static void
landscape_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LandscapeJob *job = data;
  g_autoptr(NnLandscape) ls = NULL;
  GError *error = NULL;

  ls = nn_landscape_new (job->project, job->optimizers, job->n_runs, job->steps, &error);
  if (ls == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint s = 0; s < job->steps; s++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (nn_landscape_step (ls) == 0)
        break;
      progress_report (&job->progress, (s + 1.0) / job->steps, FALSE);
    }
  progress_report (&job->progress, 1.0, TRUE);
  g_task_return_pointer (task, g_steal_pointer (&ls), (GDestroyNotify) nn_landscape_free);
}

void
nl_job_landscape (const NnProject *project, const double *start, gsize n_start,
                  const NnOptimizerConfig *optimizers, guint n_runs, guint steps,
                  NlJobProgress progress, GObject *progress_target, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LandscapeJob *job = g_new0 (LandscapeJob, 1);

  job->project = nn_project_copy (project);
  /* The trainer starts from the project's weights when it has some, after drawing the
   * seed's: the mini-batch order stays the seed's either way. */
  if (start != NULL)
    nn_project_set_weights (job->project, start, n_start);
  else
    nn_project_set_weights (job->project, NULL, 0);
  job->n_runs = MIN (n_runs, NN_LANDSCAPE_MAX_RUNS);
  memcpy (job->optimizers, optimizers, job->n_runs * sizeof (NnOptimizerConfig));
  job->steps = MAX (steps, 1);
  progress_init (&job->progress, task, progress, progress_target, cancellable);
  g_task_set_source_tag (task, nl_job_landscape);
  g_task_set_task_data (task, job, landscape_job_free);
  g_task_run_in_thread (task, landscape_thread);
}

NnLandscape *
nl_job_landscape_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------
 * A plane and the loss over it
 */

void
nl_plane_result_free (NlPlaneResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->plane, nn_plane_free);
  g_clear_pointer (&result->grid, nn_loss_grid_free);
  for (guint r = 0; r < result->n_runs; r++)
    g_free (result->points[r]);
  g_free (result);
}

typedef struct
{
  NnLandscape *landscape;
  NlPlaneSpec  spec;
  NnPlane     *plane;
  NnLossGrid  *grid;
  Progress     progress;
} PlaneJob;

static void
plane_job_free (gpointer data)
{
  PlaneJob *job = data;

  g_clear_pointer (&job->landscape, nn_landscape_free);
  g_clear_pointer (&job->plane, nn_plane_free);
  g_clear_pointer (&job->grid, nn_loss_grid_free);
  progress_clear (&job->progress);
  g_free (job);
}

/* Projection takes the first fifth of the bar, the grid the rest. */
#define PROJECTION_SHARE 0.2

static gboolean
grid_progress (guint rows_done, guint rows_total, gpointer data)
{
  PlaneJob *job = data;

  progress_report (&job->progress,
                   PROJECTION_SHARE + (1 - PROJECTION_SHARE) * rows_done / MAX (rows_total, 1),
                   rows_done == rows_total);
  return TRUE;
}

static NnPlane *
make_plane (PlaneJob *job, GError **error)
{
  switch (job->spec.kind)
    {
    case NN_PLANE_RANDOM:
      return nn_landscape_plane_random (job->landscape, job->spec.seed, FALSE);
    case NN_PLANE_WEIGHTS:
      return nn_landscape_plane_weights (job->landscape, &job->spec.a, &job->spec.b, error);
    case NN_PLANE_PCA:
    case NN_PLANE_CUSTOM:
    default:
      return nn_landscape_plane_pca (job->landscape, NN_PCA_CENTER_FINAL, error);
    }
}

static void
plane_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PlaneJob *job = data;
  g_autoptr(NlPlaneResult) result = g_new0 (NlPlaneResult, 1);
  NnPointSet sets[NN_LANDSCAPE_MAX_RUNS];
  GError *error = NULL;
  guint n_runs = nn_landscape_get_n_runs (job->landscape);

  result->plane = job->plane != NULL ? g_steal_pointer (&job->plane) : make_plane (job, &error);
  if (result->plane == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Every recorded point: where it lands on the plane, how far it is from it and its
   * true loss (a full pass over the training set each). */
  result->n_runs = n_runs;
  for (guint r = 0; r < n_runs; r++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      result->points[r] = nn_landscape_project (job->landscape, result->plane, r,
                                                &result->n_points[r]);
      progress_report (&job->progress, PROJECTION_SHARE * (r + 1.0) / n_runs, FALSE);
    }
  nn_landscape_get_point_sets (job->landscape, sets);
  result->explained = nn_plane_explained (result->plane, sets, n_runs);

  if (job->grid != NULL)
    result->grid = g_steal_pointer (&job->grid);
  else
    {
      NnBox box;
      gint64 start;

      nn_landscape_suggest_box (job->landscape, result->plane, job->spec.margin, &box);
      result->grid = nn_loss_grid_new (&box, job->spec.res);
      start = g_get_monotonic_time ();
      if (!nn_loss_grid_compute (result->grid, nn_landscape_get_evaluator (job->landscape),
                                 result->plane, grid_progress, job, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      result->grid_ms = (g_get_monotonic_time () - start) / 1000.0;
    }
  progress_report (&job->progress, 1.0, TRUE);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) nl_plane_result_free);
}

void
nl_job_plane (NnLandscape *landscape, const NlPlaneSpec *spec, NnPlane *plane, NnLossGrid *grid,
              NlJobProgress progress, GObject *progress_target, GCancellable *cancellable,
              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PlaneJob *job = g_new0 (PlaneJob, 1);

  g_return_if_fail (landscape != NULL && spec != NULL);
  g_return_if_fail ((plane == NULL) == (grid == NULL));

  job->landscape = landscape;
  job->spec = *spec;
  job->spec.res = CLAMP (spec->res, NN_LOSS_GRID_MIN_RES, NN_LOSS_GRID_MAX_RES);
  job->plane = plane;
  job->grid = grid;
  progress_init (&job->progress, task, progress, progress_target, cancellable);
  g_task_set_source_tag (task, nl_job_plane);
  g_task_set_task_data (task, job, plane_job_free);
  g_task_run_in_thread (task, plane_thread);
}

NlPlaneResult *
nl_job_plane_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

NnLandscape *
nl_job_plane_take_landscape (GAsyncResult *result)
{
  PlaneJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  job = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&job->landscape);
}
