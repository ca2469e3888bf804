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

#include <math.h>
#include <string.h>
#include <time.h>

#include "nn-error.h"

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
} NlCommand;

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
  NlSnapshot      *last_good;      /* last published snapshot with finite parameters */
  char            *error_message;
  guint64          error_serial;
  gint64           next_publish;   /* flat out: not before, so pictures take ≤ 1/4 of the time */
  double          *grid_points;    /* (x1, x2) of every output grid cell */
  double          *grid_scratch;

  /* Throughput: a one-second window for display, and the total while running. */
  gint64           window_start;
  guint64          window_samples;
  double           recent_samples_per_second;
  gint64           run_started;
  gint64           total_run_us;
  guint64          total_samples;
  gint64           run_started_cpu;  /* the thread's CPU time, for samples per CPU second */
  gint64           total_run_cpu_us;
};

G_DEFINE_FINAL_TYPE (NlTrainingWorker, nl_training_worker, G_TYPE_OBJECT)

static void
command_free (NlCommand *cmd)
{
  g_clear_pointer (&cmd->project, nn_project_free);
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

/* Appends the trainer's new history records. Entries below n_history may be read by the
 * UI at any time, so a full history is replaced by a bigger copy, never reallocated. */
static void
worker_sync_history (NlTrainingWorker *self)
{
  guint n = 0;
  const NnEpochStats *records = nn_trainer_get_history (self->trainer, &n);

  if (n < self->n_history)
    worker_clear_history (self);

  if (n > self->history->capacity)
    {
      NlHistory *bigger = nl_history_new (MAX (n, self->history->capacity * 2));

      memcpy (bigger->records, self->history->records, self->n_history * sizeof (NnEpochStats));
      nl_history_unref (self->history);
      self->history = bigger;
    }

  if (n > self->n_history)
    memcpy (self->history->records + self->n_history, records + self->n_history,
            (n - self->n_history) * sizeof (NnEpochStats));
  self->n_history = n;
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
        worker_refresh_model (self);
      break;

    case CMD_SET_PROJECT:
      if (!nn_trainer_set_project (self->trainer, cmd->project, &error))
        worker_set_error (self, cmd->serial, error);
      else
        {
          g_clear_pointer (&self->last_good, nl_snapshot_unref);
          worker_refresh_model (self);
        }
      break;

    case CMD_SET_WEIGHT:
      {
        NnNetwork *net = nn_trainer_get_network (self->trainer);

        if (cmd->layer < net->n_layers && cmd->out < net->layers[cmd->layer].n_out
            && cmd->in < net->layers[cmd->layer].n_in && isfinite (cmd->value))
          nn_trainer_set_weight (self->trainer, cmd->layer, cmd->out, cmd->in, cmd->value);
      }
      break;

    case CMD_SET_BIAS:
      {
        NnNetwork *net = nn_trainer_get_network (self->trainer);

        if (cmd->layer < net->n_layers && cmd->out < net->layers[cmd->layer].n_out
            && isfinite (cmd->value))
          nn_trainer_set_bias (self->trainer, cmd->layer, cmd->out, cmd->value);
      }
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

/* Every output unit over the output grid: one batched prediction over the cell centres,
 * then transposed from (point, output) to one grid per output. */
static void
worker_eval_outputs (NlTrainingWorker *self, NlSnapshot *snap)
{
  guint res = snap->output_res;
  gsize n = (gsize) res * res;
  guint k = snap->n_outputs;

  if (self->grid_points == NULL)
    {
      double cell = (NN_PLANE_MAX - NN_PLANE_MIN) / res;

      self->grid_points = g_new (double, 2 * n);
      for (guint r = 0; r < res; r++)
        for (guint c = 0; c < res; c++)
          {
            self->grid_points[2 * ((gsize) r * res + c)] = NN_PLANE_MIN + (c + 0.5) * cell;
            self->grid_points[2 * ((gsize) r * res + c) + 1] = NN_PLANE_MAX - (r + 0.5) * cell;
          }
    }

  if (k == 1)
    {
      nn_trainer_predict (self->trainer, self->grid_points, n, snap->output_grids);
      return;
    }

  self->grid_scratch = g_renew (double, self->grid_scratch, n * k);
  nn_trainer_predict (self->trainer, self->grid_points, n, self->grid_scratch);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      snap->output_grids[j * n + i] = self->grid_scratch[i * k + j];
}

static NlSnapshot *
worker_build_snapshot (NlTrainingWorker *self)
{
  NnNetwork *net = nn_trainer_get_network (self->trainer);
  NlSnapshot *snap = nl_snapshot_new ();
  gsize res2;

  snap->serial = ++self->snapshot_serial;
  snap->command_serial = self->applied_serial;
  snap->model = nl_snapshot_model_ref (self->model);

  snap->net = *net;
  snap->net.params = g_memdup2 (net->params, net->n_params * sizeof (double));
  snap->net.grads = g_memdup2 (net->grads, net->n_params * sizeof (double));
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

  if (nn_network_params_finite (net))
    {
      nn_trainer_evaluate (self->trainer, &snap->stats);
      nn_trainer_eval_grid (self->trainer, snap->neuron_res, NULL, snap->neuron_grids);
      worker_eval_outputs (self, snap);
      g_clear_pointer (&self->last_good, nl_snapshot_unref);
      self->last_good = nl_snapshot_ref (snap);
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

static gpointer
worker_thread (gpointer data)
{
  NlTrainingWorker *self = data;

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
                  if (!worker_apply (self, cmd))
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
  g_clear_pointer (&self->grid_points, g_free);
  g_clear_pointer (&self->grid_scratch, g_free);
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

void
nl_training_worker_quit (NlTrainingWorker *self)
{
  g_return_if_fail (NL_IS_TRAINING_WORKER (self));

  if (self->thread == NULL)
    return;
  push_command (self, command_new (CMD_QUIT), TRUE);
  g_thread_join (g_steal_pointer (&self->thread));
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
