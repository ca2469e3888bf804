/* nl-training-worker.c: the training thread, its command queue and its snapshot mailbox.
 *
 * UI → worker: NlCommand structs on a GAsyncQueue. While running, the worker looks at the
 * queue between two steps (an atomic counter makes the look free when it is empty); while
 * paused it blocks in g_async_queue_pop() and so uses no CPU. Pause and quit are pushed to
 * the front so they never wait behind a burst of edits.
 *
 * worker → UI: a one-slot mailbox holding the latest NlSnapshot, guarded by a mutex held
 * only for the pointer swap. While running flat out, the worker builds a new snapshot (the
 * expensive part: neuron and output grids) only once the UI has taken the last one, so the
 * drawing rate, not the training rate, decides how often it pays for them.
 */
#include "nl-training-worker.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "nn-error.h"

/* The training thread's nice value, above the interface's 0. */
#define WORKER_NICE 5

typedef enum
{
  CMD_PLAY,
  CMD_PAUSE,
  CMD_STEP,
  CMD_STEP_EPOCH,
  CMD_RESET,
  CMD_SET_SPEED,
  CMD_SET_OPTIMIZER,
  CMD_SET_TRAINING,
  CMD_SET_LOSS,
  CMD_SET_PROJECT,
  CMD_SET_WEIGHT,
  CMD_SET_BIAS,
  CMD_SET_PARAMS,
  CMD_REWIND,
  CMD_PREVIEW,
  CMD_END_PREVIEW,
  CMD_SET_METRICS_WANTED,
  CMD_SET_HISTORY_BUDGET,
  CMD_QUIT,
} NlCommandKind;

typedef struct
{
  NlCommandKind     kind;
  guint64           serial;
  NnProject        *project;    /* SET_PROJECT */
  NnOptimizerConfig optimizer;  /* SET_OPTIMIZER */
  guint             seed;       /* RESET */
  guint             batch_size; /* SET_TRAINING */
  gboolean          shuffle;
  NnRegularization  regularization;
  NnLoss            loss;       /* SET_LOSS */
  guint             layer, out, in; /* SET_WEIGHT, SET_BIAS */
  double            value;      /* SET_WEIGHT, SET_BIAS, SET_SPEED, SET_TRAINING rate */
  guint             epoch;      /* REWIND, PREVIEW; SET_HISTORY_BUDGET: records */
  gboolean          flag;       /* SET_METRICS_WANTED */
  double           *params;     /* SET_PARAMS: n_params values, owned */
  gsize             n_params;
} NlCommand;

/* The project in effect from `epoch` on, so a rewind to a record of another shape can
 * rebuild the network (features, problem and architecture) that record belongs to. */
typedef struct
{
  guint      epoch;
  NnProject *project;
} NlShapeEntry;

struct _NlTrainingWorker
{
  GObject          parent_instance;

  GThread         *thread;
  GAsyncQueue     *queue;
  gint             queued;         /* atomic: commands pushed and not yet popped */
  GMutex           serial_lock;    /* keeps serials in queue order */
  guint64          next_serial;

  /* The mailbox. */
  GMutex           mailbox_lock;
  GCond            mailbox_cond;
  NlSnapshot      *pending;
  double           average_samples_per_second;
  double           samples_per_cpu_second;

  /* Owned by the worker thread from the moment it starts. */
  NnTrainer       *trainer;
  gboolean         running;
  gboolean         diverged;
  guint            diverged_epoch;
  double           speed;          /* steps per second, 0 = unlimited */
  gint64           next_step_time;
  guint64          applied_serial;
  guint64          run_serial;     /* the latest play/pause applied */
  guint64          snapshot_serial;
  guint64          model_serial;
  NlSnapshotModel *model;
  NlHistory       *history;
  guint            n_history;
  guint            history_serial; /* the trainer's when history was last copied whole */
  NlSnapshot      *last_good;      /* last published snapshot with finite parameters */
  char            *error_message;
  guint64          error_serial;
  gint64           next_publish;   /* flat out: not before, so pictures take ≤ 1/4 of the time */

  /* Throughput: a one-second window for display, and the total while running. */
  gint64           window_start;
  guint64          window_samples;
  double           recent_samples_per_second;
  gint64           run_started;
  gint64           total_run_us;
  guint64          total_samples;
  gint64           run_started_cpu;  /* the thread's CPU time, for samples per CPU second */
  gint64           total_run_cpu_us;

  /* Timeline: every epoch recorded (nn-timeline.h thins it under its budget). */
  NlTimelineShare *timeline_share;
  GArray          *shapes;          /* NlShapeEntry, oldest first */
  gboolean         previewing;
  guint            preview_epoch;
  NnTrainer       *preview_trainer; /* for records of another shape than the trainer's */
  NlSnapshotModel *preview_model;
  double          *saved_params;    /* the live parameters while a record is swapped in */

  /* Health, advice and metrics. */
  NnHealthProbe   *health_probe;
  NnHealthHistory *health_history;
  NlHealthReport  *health_report;
  guint64          health_serial;
  guint            health_epoch;     /* epoch of the last measurement */
  gint64           health_time;      /* when it was taken */
  gint64           health_not_before;
  guint64          health_steps;     /* steps and edits the last measurement saw */
  guint64          health_edit;
  gboolean         health_stale;     /* the parameters changed other than by an epoch */
  guint64          edit_serial;      /* bumped by every change of parameters but training */
  gboolean         metrics_wanted;
  NlMetrics       *metrics;
  guint64          metrics_serial;
  guint64          metrics_steps;    /* what the metrics were computed for */
  guint64          metrics_edit;
  gboolean         metrics_preview;
  guint            metrics_preview_epoch;
  gint64           metrics_time;
};

/* Health: after HEALTH_EPOCHS epochs or HEALTH_INTERVAL_US of training, whichever is
 * cheaper (the later: a small network trains 10 epochs in 2.4 ms, the largest in 2.5 s),
 * at least every HEALTH_MAX_INTERVAL_US so a slowed-down run still moves its sparklines,
 * and never more than HEALTH_MAX_SHARE of the worker's time. A probe costs about one
 * full-batch epoch without the update; measured on this project's 2-core VM: 0.15 ms for
 * W2 (spiral, 6 × 8 tanh, 250 points) against 0.24 ms an epoch; 30–100 ms for the largest
 * network (10 × 64 ReLU, 1000 points measured) against 90–260 ms an epoch. */
#define HEALTH_EPOCHS          10
#define HEALTH_INTERVAL_US     (250 * 1000)
#define HEALTH_MAX_INTERVAL_US (2 * G_USEC_PER_SEC)
#define HEALTH_MAX_SHARE       0.05
/* Metrics the UI shows: at most this often while training. */
#define METRICS_INTERVAL_US (100 * 1000)

G_DEFINE_FINAL_TYPE (NlTrainingWorker, nl_training_worker, G_TYPE_OBJECT)

static void
command_free (NlCommand *cmd)
{
  g_clear_pointer (&cmd->project, nn_project_free);
  g_clear_pointer (&cmd->params, g_free);
  g_free (cmd);
}

/* ------------------------------------------------------------------------------------ */
/* Worker side                                                                          */

static void
worker_refresh_model (NlTrainingWorker *self)
{
  g_clear_pointer (&self->model, nl_snapshot_model_unref);
  self->model = nl_snapshot_model_new (nn_trainer_get_project (self->trainer),
                                       nn_trainer_get_dataset (self->trainer),
                                       ++self->model_serial);
}

static void
worker_clear_history (NlTrainingWorker *self)
{
  g_clear_pointer (&self->history, nl_history_unref);
  self->history = nl_history_new (1024);
  self->n_history = 0;
}

/* The most records the worker's copy holds: the trainer's budget, and room for the records
 * it kept only for being last when a snapshot was taken (see worker_sync_history). */
static guint
worker_history_max (NlTrainingWorker *self)
{
  guint budget = nn_trainer_get_history_budget (self->trainer);

  return budget + budget / 4;
}

/* Replaces the copy by a new one holding the trainer's records [0, n). */
static void
worker_copy_history (NlTrainingWorker *self, const NnEpochStats *records, guint n)
{
  g_clear_pointer (&self->history, nl_history_unref);
  self->history = nl_history_new (MIN (MAX (2 * n, 1024), MAX (worker_history_max (self), n)));
  memcpy (self->history->records, records, n * sizeof (NnEpochStats));
  self->n_history = n;
  self->history_serial = nn_trainer_get_history_serial (self->trainer);
}

/* Brings the copy up to date with the trainer's history. Entries below n_history may be
 * read by the UI at any time, so they are never written: new records are appended, and a
 * copy that is full or out of date (reset, rewind, the trainer thinned its history) is
 * replaced by a new one, never reallocated. Once the trainer thins, its last record is
 * replaced at each epoch while it is off the grid; the copy keeps the one it published
 * (a real epoch, in order), so it may hold a few more records than the trainer, until the
 * next copy. That leaves one new allocation per thinning, not per snapshot. */
static void
worker_sync_history (NlTrainingWorker *self)
{
  guint n = 0, from;
  const NnEpochStats *records = nn_trainer_get_history (self->trainer, &n);

  if (nn_trainer_get_history_serial (self->trainer) != self->history_serial)
    {
      worker_copy_history (self, records, n);
      return;
    }

  /* The records newer than the last one published: only the last few, so from the end. */
  from = n;
  if (self->n_history == 0)
    from = 0;
  else
    {
      guint published = self->history->records[self->n_history - 1].epoch;

      while (from > 0 && records[from - 1].epoch > published)
        from--;
    }
  if (from == n)
    return;

  if (self->n_history + (n - from) > self->history->capacity)
    {
      guint want = self->n_history + (n - from);
      NlHistory *bigger;

      if (want > worker_history_max (self))
        {
          worker_copy_history (self, records, n);
          return;
        }
      bigger = nl_history_new (MIN (MAX (want, self->history->capacity * 2),
                                    worker_history_max (self)));
      memcpy (bigger->records, self->history->records, self->n_history * sizeof (NnEpochStats));
      nl_history_unref (self->history);
      self->history = bigger;
    }
  memcpy (self->history->records + self->n_history, records + from,
          (n - from) * sizeof (NnEpochStats));
  self->n_history += n - from;
}

/* ------------------------------------------------------------------------------------ */
/* Timeline, health and metrics (worker side)                                           */

static NnTimeline *
worker_timeline (NlTrainingWorker *self)
{
  return self->timeline_share->timeline;
}

static gboolean
same_shape (const NnProject *a, const NnProject *b)
{
  return a->features == b->features && a->problem == b->problem
         && nn_architecture_equal (&a->arch, &b->arch);
}

static void
shape_entry_clear (gpointer data)
{
  NlShapeEntry *entry = data;

  g_clear_pointer (&entry->project, nn_project_free);
}

/* Remembers the trainer's project when its shape changed, as the one in effect from the
 * current epoch on. */
static void
worker_note_shape (NlTrainingWorker *self)
{
  const NnProject *project = nn_trainer_get_project (self->trainer);
  guint epoch = nn_trainer_get_epoch (self->trainer);
  NlShapeEntry entry;

  if (self->shapes->len > 0)
    {
      NlShapeEntry *last = &g_array_index (self->shapes, NlShapeEntry, self->shapes->len - 1);

      if (same_shape (last->project, project))
        return;
      if (last->epoch == epoch)
        g_array_set_size (self->shapes, self->shapes->len - 1);
    }
  entry.epoch = epoch;
  entry.project = nn_project_copy (project);
  nn_project_set_weights (entry.project, NULL, 0);
  g_array_append_val (self->shapes, entry);
}

/* The project a record was trained with: the latest shape in effect at its epoch with its
 * architecture. */
static const NnProject *
worker_shape_of (NlTrainingWorker *self, const NnTimelineRecord *record)
{
  for (guint i = self->shapes->len; i-- > 0;)
    {
      const NlShapeEntry *entry = &g_array_index (self->shapes, NlShapeEntry, i);

      if (entry->epoch <= record->epoch && nn_architecture_equal (&entry->project->arch, &record->arch))
        return entry->project;
    }
  return NULL;
}

/* Records the trainer's network as it is now, at its current epoch. */
static void
worker_record (NlTrainingWorker *self)
{
  guint n = 0;
  const NnEpochStats *history = nn_trainer_get_history (self->trainer, &n);
  guint epoch = nn_trainer_get_epoch (self->trainer);
  const NnEpochStats *stats = n > 0 && history[n - 1].epoch == epoch ? &history[n - 1] : NULL;

  nn_timeline_record (worker_timeline (self), epoch, nn_trainer_get_steps (self->trainer),
                      nn_trainer_get_network (self->trainer), stats);
}

/* The parameters changed other than by training: the current epoch's record follows, and
 * health and metrics are measured again. */
static void
worker_after_edit (NlTrainingWorker *self)
{
  self->edit_serial++;
  worker_note_shape (self);
  if (nn_network_params_finite (nn_trainer_get_network (self->trainer)))
    worker_record (self);
}

static void
worker_measure_health (NlTrainingWorker *self)
{
  gint64 start = g_get_monotonic_time ();
  NlHealthReport *report;
  NnAdviceInput input;
  NnConfusion confusion;
  gboolean have_confusion;
  NnHealth health;
  gint64 now;

  nn_health_compute (self->health_probe, self->trainer, NULL, &health);
  /* Only the one-class advice reads the training set's confusion, and only from
   * NN_ADVICE_MIN_EPOCHS on: a big network on 10 000 points pays 100 ms for it. */
  have_confusion = nn_trainer_get_epoch (self->trainer) >= NN_ADVICE_MIN_EPOCHS
                   && nn_metrics_confusion (self->trainer, NN_SPLIT_TRAIN, &confusion, NULL);
  nn_health_history_push (self->health_history, &health);

  report = nl_health_report_new (nn_health_history_copy (self->health_history));
  report->serial = ++self->health_serial;
  report->health = health;
  nn_advice_input_from_trainer (&input, self->trainer, &health,
                                have_confusion ? &confusion : NULL);
  report->n_advice = nn_advice_check (&input, report->advice);

  now = g_get_monotonic_time ();
  report->cost_us = (double) (now - start);
  g_clear_pointer (&self->health_report, nl_health_report_unref);
  self->health_report = report;

  self->health_epoch = nn_trainer_get_epoch (self->trainer);
  self->health_time = now;
  self->health_not_before = now + (gint64) ((now - start) / HEALTH_MAX_SHARE);
  self->health_stale = FALSE;
  self->health_steps = nn_trainer_get_steps (self->trainer);
  self->health_edit = self->edit_serial;
}

/* While training: see HEALTH_EPOCHS above. */
static void
worker_maybe_measure_health (NlTrainingWorker *self)
{
  gint64 now = g_get_monotonic_time ();
  guint epoch = nn_trainer_get_epoch (self->trainer);
  gint64 since = now - self->health_time;

  if (now < self->health_not_before)
    return;
  if ((epoch >= self->health_epoch + HEALTH_EPOCHS && since >= HEALTH_INTERVAL_US)
      || since >= HEALTH_MAX_INTERVAL_US)
    worker_measure_health (self);
}

static void
worker_reset_health (NlTrainingWorker *self)
{
  nn_health_history_clear (self->health_history);
  g_clear_pointer (&self->health_report, nl_health_report_unref);
  self->health_stale = TRUE;
  self->health_not_before = 0;
}

static NlMetrics *
metrics_compute (NnTrainer *t, guint epoch, guint64 serial)
{
  NlMetrics *m = nl_metrics_new ();

  m->serial = serial;
  m->epoch = epoch;
  m->classification = nn_trainer_get_project (t)->problem == NN_PROBLEM_CLASSIFICATION;
  for (guint s = 0; s < NN_N_SPLITS; s++)
    {
      guint n = nn_metrics_split_size (t, s);

      m->n[s] = n;
      if (m->classification)
        {
          m->predicted_class[s] = g_new0 (guint, MAX (n, 1));
          nn_metrics_confusion (t, s, &m->confusion[s], m->predicted_class[s]);
        }
      else
        {
          m->truth[s] = g_new0 (double, MAX (n, 1));
          m->predicted[s] = g_new0 (double, MAX (n, 1));
          nn_metrics_regression (t, s, m->truth[s], m->predicted[s], &m->r_squared[s]);
        }
    }
  return m;
}

/* The metrics for what a snapshot shows (trainer `t`, possibly a record swapped in):
 * recomputed when that changed, at most every METRICS_INTERVAL_US while training. */
static NlMetrics *
worker_metrics (NlTrainingWorker *self, NnTrainer *t, gboolean preview, guint preview_epoch)
{
  guint64 steps = nn_trainer_get_steps (self->trainer);
  gint64 now = g_get_monotonic_time ();
  gboolean changed;

  if (!self->metrics_wanted)
    return NULL;

  changed = self->metrics == NULL || self->metrics_steps != steps
            || self->metrics_edit != self->edit_serial || self->metrics_preview != preview
            || (preview && self->metrics_preview_epoch != preview_epoch);
  if (changed && (!self->running || self->metrics == NULL
                  || now - self->metrics_time >= METRICS_INTERVAL_US))
    {
      g_clear_pointer (&self->metrics, nl_metrics_unref);
      self->metrics = metrics_compute (t, preview ? preview_epoch : nn_trainer_get_epoch (self->trainer),
                                       ++self->metrics_serial);
      self->metrics_steps = steps;
      self->metrics_edit = self->edit_serial;
      self->metrics_preview = preview;
      self->metrics_preview_epoch = preview_epoch;
      self->metrics_time = now;
    }
  return nl_metrics_ref (self->metrics);
}

static void
worker_end_preview (NlTrainingWorker *self)
{
  self->previewing = FALSE;
  g_clear_pointer (&self->preview_trainer, nn_trainer_free);
  g_clear_pointer (&self->preview_model, nl_snapshot_model_unref);
}

/* Shows `record` on a trainer: the trainer's own, with the record's parameters swapped in
 * (swap back with worker_swap_out), or for a record of another shape a second trainer
 * built for it. NULL when the record's shape is unknown. */
static NnTrainer *
worker_swap_in (NlTrainingWorker *self, const NnTimelineRecord *record, NlSnapshotModel **model)
{
  const NnProject *shape = worker_shape_of (self, record);
  NnNetwork *net = nn_trainer_get_network (self->trainer);

  if (shape == NULL)
    return NULL;

  if (same_shape (shape, nn_trainer_get_project (self->trainer))
      && nn_architecture_equal (&record->arch, &net->arch))
    {
      self->saved_params = g_renew (double, self->saved_params, net->n_params);
      memcpy (self->saved_params, net->params, net->n_params * sizeof (double));
      nn_timeline_record_apply (record, net);
      *model = self->model;
      return self->trainer;
    }

  if (self->preview_trainer == NULL
      || !same_shape (shape, nn_trainer_get_project (self->preview_trainer)))
    {
      g_autoptr(NnProject) project = nn_project_copy (shape);

      g_clear_pointer (&self->preview_trainer, nn_trainer_free);
      g_clear_pointer (&self->preview_model, nl_snapshot_model_unref);
      nn_project_set_weights (project, record->params, record->n_params);
      self->preview_trainer = nn_trainer_new (project, NULL);
      if (self->preview_trainer == NULL)
        return NULL;
      self->preview_model = nl_snapshot_model_new (nn_trainer_get_project (self->preview_trainer),
                                                   nn_trainer_get_dataset (self->preview_trainer),
                                                   ++self->model_serial);
    }
  nn_timeline_record_apply (record, nn_trainer_get_network (self->preview_trainer));
  *model = self->preview_model;
  return self->preview_trainer;
}

static void
worker_swap_out (NlTrainingWorker *self, NnTrainer *t)
{
  NnNetwork *net = nn_trainer_get_network (self->trainer);

  if (t == self->trainer)
    memcpy (net->params, self->saved_params, net->n_params * sizeof (double));
}

/* Play from the past: the trainer continues from the record at or before `epoch`, built
 * with that record's shape when it differs; the timeline's later records are dropped. */
static gboolean
worker_rewind (NlTrainingWorker *self, guint epoch, GError **error)
{
  NnTimeline *timeline = worker_timeline (self);
  g_autoptr(NnTimelineRecord) record = nn_timeline_lookup (timeline, epoch);
  const NnProject *shape;
  gboolean reshaped = FALSE;

  if (record == NULL)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("Epoch %u is not in the timeline."), epoch);
      return FALSE;
    }

  shape = worker_shape_of (self, record);
  if (shape == NULL)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("The network of epoch %u can no longer be rebuilt."), record->epoch);
      return FALSE;
    }

  if (!same_shape (shape, nn_trainer_get_project (self->trainer))
      || !nn_architecture_equal (&record->arch, &nn_trainer_get_network (self->trainer)->arch))
    {
      /* The record's network, with today's optimizer and training settings. */
      const NnProject *now = nn_trainer_get_project (self->trainer);
      g_autoptr(NnProject) project = nn_project_copy (shape);

      project->optimizer = now->optimizer;
      project->batch_size = now->batch_size;
      project->shuffle = now->shuffle;
      project->regularization = now->regularization;
      project->regularization_rate = now->regularization_rate;
      project->epochs = now->epochs;
      if (!nn_trainer_set_project (self->trainer, project, error))
        return FALSE;
      reshaped = TRUE;
    }

  if (!nn_trainer_rewind (self->trainer, record->epoch, record->steps, record->params,
                          record->n_params))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("The network of epoch %u can no longer be rebuilt."), record->epoch);
      return FALSE;
    }

  nn_timeline_branch (timeline, record->epoch);
  while (self->shapes->len > 1
         && g_array_index (self->shapes, NlShapeEntry, self->shapes->len - 1).epoch > record->epoch)
    g_array_set_size (self->shapes, self->shapes->len - 1);

  self->diverged = FALSE;
  g_clear_pointer (&self->last_good, nl_snapshot_unref);
  if (reshaped)
    worker_refresh_model (self);
  /* The health measured up to the branch stays: the next measurement, at an earlier epoch,
   * drops the records of the discarded future itself. */
  g_clear_pointer (&self->health_report, nl_health_report_unref);
  self->health_stale = TRUE;
  self->health_not_before = 0;
  self->edit_serial++;
  return TRUE;
}

/* CPU time of the calling thread, µs. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
worker_run_clock_start (NlTrainingWorker *self)
{
  gint64 now = g_get_monotonic_time ();

  self->run_started = now;
  self->run_started_cpu = thread_cpu_time ();
  self->window_start = now;
  self->window_samples = 0;
  self->next_step_time = now;
}

static void
worker_run_clock_stop (NlTrainingWorker *self)
{
  if (self->run_started != 0)
    {
      self->total_run_us += g_get_monotonic_time () - self->run_started;
      self->total_run_cpu_us += thread_cpu_time () - self->run_started_cpu;
    }
  self->run_started = 0;
  self->recent_samples_per_second = 0;
}

static void
worker_set_running (NlTrainingWorker *self, gboolean running)
{
  if (running == self->running)
    return;
  self->running = running;
  if (running)
    worker_run_clock_start (self);
  else
    worker_run_clock_stop (self);
}

static void
worker_set_error (NlTrainingWorker *self, guint64 serial, const GError *error)
{
  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  self->error_serial = serial;
}

/* One training step; counts the samples it consumed. Returns FALSE when it diverged. */
static gboolean
worker_train_step (NlTrainingWorker *self)
{
  guint before = nn_trainer_get_epoch_position (self->trainer);
  guint n_train = nn_trainer_get_dataset (self->trainer)->n_train;
  gboolean completed = nn_trainer_step (self->trainer);
  guint after = nn_trainer_get_epoch_position (self->trainer);
  guint samples;

  if (completed)
    samples = n_train > before ? n_train - before : n_train;
  else
    samples = after > before ? after - before : 0;
  self->window_samples += samples;
  self->total_samples += samples;

  if (nn_trainer_diverged (self->trainer))
    {
      self->diverged = TRUE;
      self->diverged_epoch = nn_trainer_get_epoch (self->trainer);
      worker_set_running (self, FALSE);
      return FALSE;
    }
  if (completed)
    worker_record (self);
  worker_maybe_measure_health (self);
  return TRUE;
}

static void
worker_train_epoch (NlTrainingWorker *self)
{
  guint epoch = nn_trainer_get_epoch (self->trainer);

  /* Step by step rather than nn_trainer_step_epoch(), so divergence stops it where it
   * happens and the samples are counted the same way. */
  while (nn_trainer_get_epoch (self->trainer) == epoch)
    if (!worker_train_step (self))
      break;
}

/* Applies one command. Returns FALSE for quit. */
static gboolean
worker_apply (NlTrainingWorker *self, NlCommand *cmd)
{
  g_autoptr(GError) error = NULL;
  gboolean keep_going = TRUE;

  /* Anything that trains or edits leaves the past for the present. */
  if (self->previewing && cmd->kind != CMD_PREVIEW && cmd->kind != CMD_PAUSE
      && cmd->kind != CMD_SET_SPEED && cmd->kind != CMD_SET_METRICS_WANTED
      && cmd->kind != CMD_SET_HISTORY_BUDGET)
    worker_end_preview (self);

  switch (cmd->kind)
    {
    case CMD_PLAY:
    case CMD_PAUSE:
      /* A pause jumps the queue; a play queued before it must not undo it. */
      if (cmd->serial < self->run_serial)
        break;
      self->run_serial = cmd->serial;
      if (cmd->kind == CMD_PLAY)
        self->diverged = FALSE;
      worker_set_running (self, cmd->kind == CMD_PLAY);
      break;

    case CMD_STEP:
      worker_set_running (self, FALSE);
      self->diverged = FALSE;
      worker_train_step (self);
      break;

    case CMD_STEP_EPOCH:
      worker_set_running (self, FALSE);
      self->diverged = FALSE;
      worker_train_epoch (self);
      break;

    case CMD_RESET:
      worker_set_running (self, FALSE);
      nn_trainer_reset (self->trainer, cmd->seed);
      self->diverged = FALSE;
      g_clear_pointer (&self->last_good, nl_snapshot_unref);
      worker_clear_history (self);
      nn_timeline_clear (worker_timeline (self));
      g_array_set_size (self->shapes, 0);
      worker_reset_health (self);
      worker_after_edit (self);
      break;

    case CMD_SET_HISTORY_BUDGET:
      /* The next snapshot copies the thinned history afresh (its serial changed). */
      nn_trainer_set_history_budget (self->trainer, cmd->epoch);
      break;

    case CMD_SET_SPEED:
      self->speed = MAX (cmd->value, 0.0);
      self->next_step_time = g_get_monotonic_time ();
      break;

    case CMD_SET_OPTIMIZER:
      if (!nn_trainer_set_optimizer (self->trainer, &cmd->optimizer, &error))
        worker_set_error (self, cmd->serial, error);
      break;

    case CMD_SET_TRAINING:
      if (!nn_trainer_set_training (self->trainer, cmd->batch_size, cmd->shuffle,
                                    cmd->regularization, cmd->value, &error))
        worker_set_error (self, cmd->serial, error);
      break;

    case CMD_SET_LOSS:
      if (!nn_trainer_set_loss (self->trainer, cmd->loss, &error))
        worker_set_error (self, cmd->serial, error);
      else
        {
          worker_refresh_model (self);
          worker_after_edit (self);
        }
      break;

    case CMD_SET_PROJECT:
      if (!nn_trainer_set_project (self->trainer, cmd->project, &error))
        worker_set_error (self, cmd->serial, error);
      else
        {
          g_clear_pointer (&self->last_good, nl_snapshot_unref);
          worker_refresh_model (self);
          worker_after_edit (self);
        }
      break;

    case CMD_SET_WEIGHT:
      {
        NnNetwork *net = nn_trainer_get_network (self->trainer);

        if (cmd->layer < net->n_layers && cmd->out < net->layers[cmd->layer].n_out
            && cmd->in < net->layers[cmd->layer].n_in && isfinite (cmd->value))
          {
            nn_trainer_set_weight (self->trainer, cmd->layer, cmd->out, cmd->in, cmd->value);
            worker_after_edit (self);
          }
      }
      break;

    case CMD_SET_BIAS:
      {
        NnNetwork *net = nn_trainer_get_network (self->trainer);

        if (cmd->layer < net->n_layers && cmd->out < net->layers[cmd->layer].n_out
            && isfinite (cmd->value))
          {
            nn_trainer_set_bias (self->trainer, cmd->layer, cmd->out, cmd->value);
            worker_after_edit (self);
          }
      }
      break;

    case CMD_SET_PARAMS:
      {
        NnNetwork *net = nn_trainer_get_network (self->trainer);

        /* Weights imported for another shape than the trainer's by now: refused. */
        if (cmd->n_params != net->n_params)
          {
            g_set_error (&error, NN_ERROR, NN_ERROR_SHAPE,
                         _("%zu parameters given, the network has %zu"),
                         cmd->n_params, net->n_params);
            worker_set_error (self, cmd->serial, error);
            break;
          }
        memcpy (net->params, cmd->params, net->n_params * sizeof (double));
        worker_after_edit (self);
      }
      break;

    case CMD_REWIND:
      worker_set_running (self, FALSE);
      if (!worker_rewind (self, cmd->epoch, &error))
        worker_set_error (self, cmd->serial, error);
      break;

    case CMD_PREVIEW:
      worker_set_running (self, FALSE);
      self->previewing = TRUE;
      self->preview_epoch = cmd->epoch;
      break;

    case CMD_END_PREVIEW:
      worker_end_preview (self);
      break;

    case CMD_SET_METRICS_WANTED:
      self->metrics_wanted = cmd->flag;
      if (!cmd->flag)
        g_clear_pointer (&self->metrics, nl_metrics_unref);
      break;

    case CMD_QUIT:
      worker_set_running (self, FALSE);
      keep_going = FALSE;
      break;

    default:
      g_assert_not_reached ();
    }

  self->applied_serial = MAX (self->applied_serial, cmd->serial);
  command_free (cmd);
  return keep_going;
}

/* Applies every queued command. Returns FALSE for quit. */
static gboolean
worker_drain (NlTrainingWorker *self)
{
  NlCommand *cmd;

  while ((cmd = g_async_queue_try_pop (self->queue)) != NULL)
    {
      g_atomic_int_dec_and_test (&self->queued);
      if (!worker_apply (self, cmd))
        return FALSE;
    }
  return TRUE;
}

static void
worker_measure (NlTrainingWorker *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->running && now - self->window_start >= G_USEC_PER_SEC / 2)
    {
      self->recent_samples_per_second =
        (double) self->window_samples * G_USEC_PER_SEC / (double) (now - self->window_start);
      self->window_start = now;
      self->window_samples = 0;
    }
}

static NlSnapshot *
worker_build_snapshot (NlTrainingWorker *self)
{
  g_autoptr(NnTimelineRecord) record = NULL;
  NlSnapshotModel *model = self->model;
  NnTrainer *t = self->trainer;
  NnNetwork *net;
  NlSnapshot *snap = nl_snapshot_new ();
  gsize res2;

  /* Previewing: the record's parameters stand in for the trainer's while it is drawn. */
  if (self->previewing)
    record = nn_timeline_lookup (worker_timeline (self), self->preview_epoch);
  if (record != NULL)
    {
      t = worker_swap_in (self, record, &model);
      if (t == NULL)
        {
          t = self->trainer;
          model = self->model;
          g_clear_pointer (&record, nn_timeline_record_unref);
        }
    }
  net = nn_trainer_get_network (t);

  snap->serial = ++self->snapshot_serial;
  snap->command_serial = self->applied_serial;
  snap->model = nl_snapshot_model_ref (model);

  snap->net = *net;
  snap->net.params = g_memdup2 (net->params, net->n_params * sizeof (double));
  snap->net.grads = record != NULL ? g_new0 (double, net->n_params)
                                    : g_memdup2 (net->grads, net->n_params * sizeof (double));
  snap->net.max_batch = 0;
  snap->net.batch = 0;
  memset (snap->net.u, 0, sizeof snap->net.u);
  memset (snap->net.z, 0, sizeof snap->net.z);
  memset (snap->net.du, 0, sizeof snap->net.du);
  snap->net.block = NULL;

  snap->epoch = nn_trainer_get_epoch (self->trainer);
  snap->steps = nn_trainer_get_steps (self->trainer);
  snap->epoch_position = nn_trainer_get_epoch_position (self->trainer);

  worker_sync_history (self);
  snap->history = nl_history_ref (self->history);
  snap->n_history = self->n_history;

  snap->running = self->running;
  snap->diverged = self->diverged;
  snap->diverged_epoch = self->diverged_epoch;
  snap->steps_per_second = self->speed;
  snap->samples_per_second = self->recent_samples_per_second;
  snap->error_message = g_strdup (self->error_message);
  snap->error_serial = self->error_serial;

  snap->neuron_res = NL_SNAPSHOT_NEURON_RES;
  snap->output_res = NL_SNAPSHOT_OUTPUT_RES;
  snap->n_neurons = nn_network_total_units (net);
  res2 = (gsize) snap->neuron_res * snap->neuron_res;
  snap->neuron_grids = g_new (double, snap->n_neurons * res2);
  snap->n_outputs = net->layers[net->n_layers - 1].n_out;
  snap->output_grids = g_new (double, snap->n_outputs * (gsize) snap->output_res * snap->output_res);

  /* Diverged, the loss is not finite even when the weights still are: show the last good
   * state, not infinite losses and outputs. */
  if (nn_network_params_finite (net) && (record != NULL || !self->diverged))
    {
      nn_trainer_evaluate (t, &snap->stats);
      nn_trainer_eval_grid (t, snap->neuron_res, NULL, snap->neuron_grids);
      nn_trainer_eval_output_grids (t, snap->output_res, snap->output_grids);
      if (record == NULL)
        {
          g_clear_pointer (&self->last_good, nl_snapshot_unref);
          self->last_good = nl_snapshot_ref (snap);
        }
    }
  else if (self->last_good != NULL && self->last_good->net.n_params == net->n_params
           && self->last_good->n_neurons == snap->n_neurons
           && self->last_good->n_outputs == snap->n_outputs)
    {
      /* Keep showing the last finite state rather than NaN garbage. */
      const NlSnapshot *good = self->last_good;

      snap->stats = good->stats;
      memcpy (snap->net.params, good->net.params, net->n_params * sizeof (double));
      memcpy (snap->net.grads, good->net.grads, net->n_params * sizeof (double));
      memcpy (snap->neuron_grids, good->neuron_grids, snap->n_neurons * res2 * sizeof (double));
      memcpy (snap->output_grids, good->output_grids,
              snap->n_outputs * (gsize) snap->output_res * snap->output_res * sizeof (double));
    }
  else
    {
      nn_trainer_evaluate (self->trainer, &snap->stats);
      memset (snap->neuron_grids, 0, snap->n_neurons * res2 * sizeof (double));
      memset (snap->output_grids, 0,
              snap->n_outputs * (gsize) snap->output_res * snap->output_res * sizeof (double));
    }

  snap->timeline_share = nl_timeline_share_ref (self->timeline_share);
  snap->timeline = self->timeline_share->timeline;
  snap->previewing = record != NULL;
  snap->preview_epoch = record != NULL ? record->epoch : 0;
  snap->optimizer = nn_optimizer_copy (nn_trainer_get_optimizer (t));
  if (record != NULL)
    nn_optimizer_reset (snap->optimizer);
  if (self->health_report != NULL)
    snap->health = nl_health_report_ref (self->health_report);
  snap->metrics = worker_metrics (self, t, record != NULL, record != NULL ? record->epoch : 0);

  if (record != NULL)
    worker_swap_out (self, t);

  return snap;
}

static void
worker_publish (NlTrainingWorker *self)
{
  NlSnapshot *snap;
  NlSnapshot *old;
  double average, per_cpu;
  gint64 start = g_get_monotonic_time ();

  worker_measure (self);
  if (!self->running
      && (self->health_report == NULL || self->health_stale
          || self->health_steps != nn_trainer_get_steps (self->trainer)
          || self->health_edit != self->edit_serial))
    worker_measure_health (self);
  snap = worker_build_snapshot (self);
  /* A big network's grids take milliseconds; training flat out keeps at least three
   * quarters of the time (the UI then shows fewer, never older, pictures). */
  self->next_publish = start + 4 * (g_get_monotonic_time () - start);

  average = 0;
  per_cpu = 0;
  {
    gint64 run_us = self->total_run_us;
    gint64 cpu_us = self->total_run_cpu_us;

    if (self->run_started != 0)
      {
        run_us += g_get_monotonic_time () - self->run_started;
        cpu_us += thread_cpu_time () - self->run_started_cpu;
      }
    if (run_us > 0)
      average = (double) self->total_samples * G_USEC_PER_SEC / (double) run_us;
    if (cpu_us > 0)
      per_cpu = (double) self->total_samples * G_USEC_PER_SEC / (double) cpu_us;
  }

  g_mutex_lock (&self->mailbox_lock);
  old = self->pending;
  g_atomic_pointer_set (&self->pending, snap);
  self->average_samples_per_second = average;
  self->samples_per_cpu_second = per_cpu;
  g_cond_broadcast (&self->mailbox_cond);
  g_mutex_unlock (&self->mailbox_lock);

  g_clear_pointer (&old, nl_snapshot_unref);
}

static gboolean
worker_mailbox_empty (NlTrainingWorker *self)
{
  return g_atomic_pointer_get (&self->pending) == NULL;
}

/* Training takes whatever the machine has left over: the interface thread and the display
 * server come first, so frames keep their 16.7 ms on a machine whose cores are all busy
 * (on Linux a thread has its own nice value). On an idle core this changes nothing. */
static void
lower_thread_priority (void)
{
#ifdef SYS_gettid
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE) != 0)
    g_debug ("the training thread keeps its priority: %s", g_strerror (errno));
#endif
}

static gpointer
worker_thread (gpointer data)
{
  NlTrainingWorker *self = data;

  lower_thread_priority ();
  worker_publish (self);

  for (;;)
    {
      if (!self->running)
        {
          NlCommand *cmd = g_async_queue_pop (self->queue);

          g_atomic_int_dec_and_test (&self->queued);
          if (!worker_apply (self, cmd) || !worker_drain (self))
            break;
          worker_publish (self);
          continue;
        }

      if (g_atomic_int_get (&self->queued) > 0)
        {
          if (!worker_drain (self))
            break;
          if (!self->running)
            {
              worker_publish (self);
              continue;
            }
        }

      if (self->speed > 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (now < self->next_step_time)
            {
              NlCommand *cmd = g_async_queue_timeout_pop (self->queue,
                                                          (guint64) (self->next_step_time - now));

              if (cmd != NULL)
                {
                  g_atomic_int_dec_and_test (&self->queued);
                  /* And the rest: a pause jumps the queue, and a snapshot of its serial
                   * must not claim the commands queued before it. */
                  if (!worker_apply (self, cmd) || !worker_drain (self))
                    break;
                  if (!self->running)
                    worker_publish (self);
                }
              continue;
            }
          /* Keep the rhythm, but never catch up with a burst after a stall. */
          self->next_step_time += (gint64) (G_USEC_PER_SEC / self->speed);
          if (self->next_step_time < now)
            self->next_step_time = now + (gint64) (G_USEC_PER_SEC / self->speed);
        }

      if (!worker_train_step (self))
        {
          worker_publish (self);  /* diverged: paused itself */
          continue;
        }

      /* Throttled steps are rare enough to always show; flat out, only when the UI has
       * taken the last picture and the last one was not too expensive. */
      if (self->speed > 0
          || (worker_mailbox_empty (self) && g_get_monotonic_time () >= self->next_publish))
        worker_publish (self);
    }

  worker_publish (self);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* UI side                                                                              */

static guint64
push_command (NlTrainingWorker *self, NlCommand *cmd, gboolean urgent)
{
  guint64 serial;

  if (self->thread == NULL)
    {
      command_free (cmd);
      return 0;
    }

  g_mutex_lock (&self->serial_lock);
  serial = cmd->serial = ++self->next_serial;
  g_atomic_int_inc (&self->queued);
  if (urgent)
    g_async_queue_push_front (self->queue, cmd);
  else
    g_async_queue_push (self->queue, cmd);
  g_mutex_unlock (&self->serial_lock);

  return serial;
}

static NlCommand *
command_new (NlCommandKind kind)
{
  NlCommand *cmd = g_new0 (NlCommand, 1);

  cmd->kind = kind;
  return cmd;
}

static void
nl_training_worker_dispose (GObject *object)
{
  NlTrainingWorker *self = NL_TRAINING_WORKER (object);

  nl_training_worker_quit (self);

  G_OBJECT_CLASS (nl_training_worker_parent_class)->dispose (object);
}

static void
nl_training_worker_finalize (GObject *object)
{
  NlTrainingWorker *self = NL_TRAINING_WORKER (object);

  g_clear_pointer (&self->trainer, nn_trainer_free);
  g_clear_pointer (&self->pending, nl_snapshot_unref);
  g_clear_pointer (&self->last_good, nl_snapshot_unref);
  g_clear_pointer (&self->model, nl_snapshot_model_unref);
  g_clear_pointer (&self->history, nl_history_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->timeline_share, nl_timeline_share_unref);
  g_clear_pointer (&self->shapes, g_array_unref);
  g_clear_pointer (&self->preview_trainer, nn_trainer_free);
  g_clear_pointer (&self->preview_model, nl_snapshot_model_unref);
  g_clear_pointer (&self->saved_params, g_free);
  g_clear_pointer (&self->health_probe, nn_health_probe_free);
  g_clear_pointer (&self->health_history, nn_health_history_free);
  g_clear_pointer (&self->health_report, nl_health_report_unref);
  g_clear_pointer (&self->metrics, nl_metrics_unref);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_mutex_clear (&self->serial_lock);
  g_mutex_clear (&self->mailbox_lock);
  g_cond_clear (&self->mailbox_cond);

  G_OBJECT_CLASS (nl_training_worker_parent_class)->finalize (object);
}

static void
nl_training_worker_class_init (NlTrainingWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nl_training_worker_dispose;
  object_class->finalize = nl_training_worker_finalize;
}

static void
nl_training_worker_init (NlTrainingWorker *self)
{
  self->queue = g_async_queue_new_full ((GDestroyNotify) command_free);
  g_mutex_init (&self->serial_lock);
  g_mutex_init (&self->mailbox_lock);
  g_cond_init (&self->mailbox_cond);
  self->timeline_share = nl_timeline_share_new (nn_timeline_new (NN_TIMELINE_DEFAULT_BUDGET));
  self->shapes = g_array_new (FALSE, FALSE, sizeof (NlShapeEntry));
  g_array_set_clear_func (self->shapes, shape_entry_clear);
  self->health_probe = nn_health_probe_new ();
  self->health_history = nn_health_history_new (NN_HEALTH_HISTORY_DEFAULT_CAPACITY);
}

NlTrainingWorker *
nl_training_worker_new (const NnProject *project, GError **error)
{
  g_autoptr(NlTrainingWorker) self = NULL;
  NnTrainer *trainer;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trainer = nn_trainer_new (project, error);
  if (trainer == NULL)
    return NULL;

  self = g_object_new (NL_TYPE_TRAINING_WORKER, NULL);
  self->trainer = trainer;
  worker_refresh_model (self);
  worker_clear_history (self);
  worker_note_shape (self);
  worker_record (self);
  self->thread = g_thread_new ("nl-training", worker_thread, self);

  return g_steal_pointer (&self);
}

guint64
nl_training_worker_play (NlTrainingWorker *self)
{
  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  return push_command (self, command_new (CMD_PLAY), FALSE);
}

guint64
nl_training_worker_pause (NlTrainingWorker *self)
{
  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  return push_command (self, command_new (CMD_PAUSE), TRUE);
}

guint64
nl_training_worker_step (NlTrainingWorker *self)
{
  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  return push_command (self, command_new (CMD_STEP), FALSE);
}

guint64
nl_training_worker_step_epoch (NlTrainingWorker *self)
{
  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  return push_command (self, command_new (CMD_STEP_EPOCH), FALSE);
}

guint64
nl_training_worker_reset (NlTrainingWorker *self, guint32 seed)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_RESET);
  cmd->seed = seed;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_speed (NlTrainingWorker *self, double steps_per_second)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_SPEED);
  cmd->value = steps_per_second;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_history_budget (NlTrainingWorker *self, guint max_records)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_HISTORY_BUDGET);
  cmd->epoch = max_records;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_optimizer (NlTrainingWorker *self, const NnOptimizerConfig *config)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);
  g_return_val_if_fail (config != NULL, 0);

  cmd = command_new (CMD_SET_OPTIMIZER);
  cmd->optimizer = *config;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_training (NlTrainingWorker *self,
                                 guint             batch_size,
                                 gboolean          shuffle,
                                 NnRegularization  regularization,
                                 double            rate)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_TRAINING);
  cmd->batch_size = batch_size;
  cmd->shuffle = shuffle;
  cmd->regularization = regularization;
  cmd->value = rate;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_loss (NlTrainingWorker *self, NnLoss loss)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_LOSS);
  cmd->loss = loss;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_project (NlTrainingWorker *self, const NnProject *project)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);
  g_return_val_if_fail (project != NULL, 0);

  cmd = command_new (CMD_SET_PROJECT);
  cmd->project = nn_project_copy (project);
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_weight (NlTrainingWorker *self,
                               guint             layer,
                               guint             out,
                               guint             in,
                               double            value)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_WEIGHT);
  cmd->layer = layer;
  cmd->out = out;
  cmd->in = in;
  cmd->value = value;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_bias (NlTrainingWorker *self, guint layer, guint out, double value)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_BIAS);
  cmd->layer = layer;
  cmd->out = out;
  cmd->value = value;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_set_params (NlTrainingWorker *self, const double *params, gsize n)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);
  g_return_val_if_fail (params != NULL || n == 0, 0);

  cmd = command_new (CMD_SET_PARAMS);
  cmd->params = g_memdup2 (params, n * sizeof (double));
  cmd->n_params = n;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_rewind (NlTrainingWorker *self, guint epoch)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_REWIND);
  cmd->epoch = epoch;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_preview_epoch (NlTrainingWorker *self, guint epoch)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_PREVIEW);
  cmd->epoch = epoch;
  return push_command (self, cmd, FALSE);
}

guint64
nl_training_worker_end_preview (NlTrainingWorker *self)
{
  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  return push_command (self, command_new (CMD_END_PREVIEW), FALSE);
}

guint64
nl_training_worker_set_metrics_wanted (NlTrainingWorker *self, gboolean wanted)
{
  NlCommand *cmd;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  cmd = command_new (CMD_SET_METRICS_WANTED);
  cmd->flag = wanted;
  return push_command (self, cmd, FALSE);
}

void
nl_training_worker_quit (NlTrainingWorker *self)
{
  g_return_if_fail (NL_IS_TRAINING_WORKER (self));

  if (self->thread == NULL)
    return;
  push_command (self, command_new (CMD_QUIT), TRUE);
  g_thread_join (g_steal_pointer (&self->thread));
}

guint64
nl_training_worker_get_last_serial (NlTrainingWorker *self)
{
  guint64 serial;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  g_mutex_lock (&self->serial_lock);
  serial = self->next_serial;
  g_mutex_unlock (&self->serial_lock);
  return serial;
}

NlSnapshot *
nl_training_worker_take_snapshot (NlTrainingWorker *self)
{
  NlSnapshot *snap;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), NULL);

  if (g_atomic_pointer_get (&self->pending) == NULL)
    return NULL;

  g_mutex_lock (&self->mailbox_lock);
  snap = self->pending;
  g_atomic_pointer_set (&self->pending, NULL);
  g_mutex_unlock (&self->mailbox_lock);

  return snap;
}

NlSnapshot *
nl_training_worker_wait_snapshot (NlTrainingWorker *self, gint64 timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;
  NlSnapshot *snap;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), NULL);

  g_mutex_lock (&self->mailbox_lock);
  while (self->pending == NULL)
    if (!g_cond_wait_until (&self->mailbox_cond, &self->mailbox_lock, end))
      break;
  snap = self->pending;
  g_atomic_pointer_set (&self->pending, NULL);
  g_mutex_unlock (&self->mailbox_lock);

  return snap;
}

double
nl_training_worker_get_samples_per_second (NlTrainingWorker *self)
{
  double value;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  g_mutex_lock (&self->mailbox_lock);
  value = self->average_samples_per_second;
  g_mutex_unlock (&self->mailbox_lock);

  return value;
}

double
nl_training_worker_get_samples_per_cpu_second (NlTrainingWorker *self)
{
  double value;

  g_return_val_if_fail (NL_IS_TRAINING_WORKER (self), 0);

  g_mutex_lock (&self->mailbox_lock);
  value = self->samples_per_cpu_second;
  g_mutex_unlock (&self->mailbox_lock);

  return value;
}
