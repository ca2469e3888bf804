/* test-training-worker.c: the training thread, driven as the UI drives it. No display. */
#include <math.h>

#include "nl-training-worker.h"
#include "nn-error.h"
#include "worker-test-utils.h"

static gboolean
reached_epoch (const NlSnapshot *snap, gconstpointer data)
{
  return snap->epoch >= GPOINTER_TO_UINT (data);
}

static gboolean
is_diverged (const NlSnapshot *snap, gconstpointer data)
{
  return snap->diverged;
}

static NnProject *
default_project (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "examples",
                                                 "default.nlab", NULL);
  g_autoptr(GError) error = NULL;
  NnProject *project;

  project = nn_project_load (path, &error);
  if (project == NULL)
    {
      g_test_message ("default.nlab unavailable (%s); using the engine's default",
                      error->message);
      project = nn_project_new_default ();
    }
  return project;
}

static void
test_worker_trains (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  g_autoptr(NlSnapshot) first = NULL;
  g_autoptr(NlSnapshot) trained = NULL;
  guint64 serial;

  g_assert_no_error (error);
  g_assert_nonnull (worker);

  /* Paused at start: the first snapshot shows epoch 0 with grids and data. */
  first = nl_training_worker_wait_snapshot (worker, WORKER_TIMEOUT_US);
  g_assert_nonnull (first);
  g_assert_cmpuint (first->epoch, ==, 0);
  g_assert_false (first->running);
  g_assert_nonnull (first->model);
  g_assert_nonnull (first->model->dataset);
  g_assert_cmpuint (first->model->dataset->n_train, >, 0);
  g_assert_cmpuint (first->n_neurons, ==, nn_network_total_units (&first->net));
  g_assert_nonnull (first->neuron_grids);
  g_assert_nonnull (first->output_grids);
  g_assert_cmpuint (first->output_res, >=, 200);
  g_assert_true (isfinite (first->stats.train_loss));

  serial = nl_training_worker_play (worker);
  trained = worker_wait_for (worker, reached_epoch, GUINT_TO_POINTER (60));
  g_assert_cmpuint (trained->command_serial, >=, serial);
  g_assert_true (trained->running);
  g_test_message ("loss %g at epoch 0, %g at epoch %u", first->stats.train_loss,
                  trained->stats.train_loss, trained->epoch);
  g_assert_cmpfloat (trained->stats.train_loss, <, first->stats.train_loss);

  /* The history is shared, append-only and ordered. */
  g_assert_cmpuint (trained->n_history, >=, 2);
  for (guint i = 1; i < trained->n_history; i++)
    g_assert_cmpuint (trained->history->records[i].epoch, >, trained->history->records[i - 1].epoch);

  nl_training_worker_quit (worker);
  nl_training_worker_quit (worker);  /* idempotent */
  g_assert_cmpfloat (nl_training_worker_get_samples_per_second (worker), >, 0);
}

static void
test_worker_pause_step_reset (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  NlSnapshot *snap;
  guint epoch;
  guint64 steps;

  g_assert_no_error (error);
  nl_training_worker_play (worker);
  snap = worker_wait_for (worker, reached_epoch, GUINT_TO_POINTER (5));
  nl_snapshot_unref (snap);

  /* Pause: nothing moves any more. */
  snap = worker_wait_applied (worker, nl_training_worker_pause (worker));
  g_assert_false (snap->running);
  epoch = snap->epoch;
  steps = snap->steps;
  nl_snapshot_unref (snap);
  g_usleep (300 * 1000);
  snap = nl_training_worker_take_snapshot (worker);
  if (snap != NULL)
    {
      g_assert_cmpuint (snap->steps, ==, steps);
      nl_snapshot_unref (snap);
    }

  /* One step is one batch; one epoch step ends exactly one epoch later. */
  snap = worker_wait_applied (worker, nl_training_worker_step (worker));
  g_assert_cmpuint (snap->steps, ==, steps + 1);
  g_assert_false (snap->running);
  epoch = snap->epoch;  /* that batch may have been the last of its epoch */
  nl_snapshot_unref (snap);

  snap = worker_wait_applied (worker, nl_training_worker_step_epoch (worker));
  g_assert_cmpuint (snap->epoch, ==, epoch + 1);
  g_assert_cmpuint (snap->epoch_position, ==, 0);
  nl_snapshot_unref (snap);

  /* Reset: back to epoch 0 with a fresh history. */
  snap = worker_wait_applied (worker, nl_training_worker_reset (worker, project->seed));
  g_assert_cmpuint (snap->epoch, ==, 0);
  g_assert_cmpuint (snap->steps, ==, 0);
  g_assert_cmpuint (snap->n_history, <=, 1);
  g_assert_false (snap->running);
  nl_snapshot_unref (snap);
}

static void
test_worker_edits_while_training (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(NnProject) bigger = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  NnOptimizerConfig config = project->optimizer;
  const NnLayer *layer;
  NlSnapshot *snap;
  guint epoch;

  g_assert_no_error (error);
  nl_training_worker_play (worker);

  /* A weight typed by the user lands exactly (it is paused first so no step moves it). */
  nl_training_worker_pause (worker);
  snap = worker_wait_applied (worker, nl_training_worker_set_weight (worker, 0, 1, 0, 1.2345));
  layer = &snap->net.layers[0];
  g_assert_cmpfloat (snap->net.params[layer->w_offset + 1 * layer->n_in + 0], ==, 1.2345);
  nl_snapshot_unref (snap);

  snap = worker_wait_applied (worker, nl_training_worker_set_bias (worker, 0, 0, -0.5));
  layer = &snap->net.layers[0];
  g_assert_cmpfloat (snap->net.params[layer->b_offset], ==, -0.5);
  nl_snapshot_unref (snap);

  /* A new neuron while training: the shape follows and training goes on. */
  nl_training_worker_play (worker);
  bigger = nn_project_copy (project);
  g_assert_cmpuint (bigger->arch.n_hidden, >=, 1);
  bigger->arch.units[0] += 1;
  nn_project_sync_shape (bigger);
  snap = worker_wait_applied (worker, nl_training_worker_set_project (worker, bigger));
  g_assert_cmpuint (snap->net.arch.units[0], ==, project->arch.units[0] + 1);
  g_assert_cmpuint (snap->model->project->arch.units[0], ==, project->arch.units[0] + 1);
  g_assert_true (snap->running);
  epoch = snap->epoch;
  nl_snapshot_unref (snap);
  snap = worker_wait_for (worker, reached_epoch, GUINT_TO_POINTER (epoch + 10));
  nl_snapshot_unref (snap);

  /* A new learning rate while training. */
  config.learning_rate = 0.01;
  snap = worker_wait_applied (worker, nl_training_worker_set_optimizer (worker, &config));
  g_assert_null (snap->error_message);
  g_assert_true (snap->running);
  nl_snapshot_unref (snap);

  /* An invalid setting is refused, reported and changes nothing. */
  config.learning_rate = -1;
  snap = worker_wait_applied (worker, nl_training_worker_set_optimizer (worker, &config));
  g_assert_nonnull (snap->error_message);
  g_assert_cmpuint (snap->error_serial, ==, snap->command_serial);
  g_assert_true (snap->running);
  nl_snapshot_unref (snap);
}

static gboolean
counted_steps (const NlSnapshot *snap, gconstpointer data)
{
  return snap->steps >= GPOINTER_TO_UINT (data);
}

static void
test_worker_speed (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  NlSnapshot *snap;
  guint64 start_steps;
  gint64 start;
  double elapsed;

  g_assert_no_error (error);
  nl_training_worker_set_speed (worker, 20);
  snap = worker_wait_applied (worker, nl_training_worker_play (worker));
  start_steps = snap->steps;
  start = g_get_monotonic_time ();
  nl_snapshot_unref (snap);

  snap = worker_wait_for (worker, counted_steps, GUINT_TO_POINTER ((guint) start_steps + 20));
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("20 steps at 20 steps/s took %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >, 0.6);
  g_assert_cmpfloat (elapsed, <, 3.0);
  g_assert_cmpfloat (snap->steps_per_second, ==, 20);
  nl_snapshot_unref (snap);

  /* Pausing a throttled worker is immediate. */
  snap = worker_wait_applied (worker, nl_training_worker_pause (worker));
  g_assert_false (snap->running);
  nl_snapshot_unref (snap);
}

static void
test_worker_divergence (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = NULL;
  NlSnapshot *snap;

  project->loss = NN_LOSS_MSE;
  project->optimizer.kind = NN_OPTIMIZER_SGD;
  project->optimizer.learning_rate = 10;
  project->arch.activation[0] = NN_ACTIVATION_RELU;
  project->arch.output_activation = NN_ACTIVATION_IDENTITY;
  for (guint i = 0; i < project->arch.n_hidden; i++)
    project->arch.units[i] = 16;
  nn_project_sync_shape (project);
  nn_project_set_weights (project, NULL, 0);
  worker = nl_training_worker_new (project, &error);
  g_assert_no_error (error);

  nl_training_worker_play (worker);
  snap = worker_wait_for (worker, is_diverged, NULL);
  g_assert_false (snap->running);
  g_test_message ("diverged at epoch %u", snap->diverged_epoch);
  /* What is shown is the last finite state, never NaN. */
  for (gsize i = 0; i < snap->net.n_params; i++)
    g_assert_true (isfinite (snap->net.params[i]));
  nl_snapshot_unref (snap);
}

static void
test_worker_finalizes (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  NlTrainingWorker *worker = nl_training_worker_new (project, &error);

  g_assert_no_error (error);
  nl_training_worker_play (worker);
  g_usleep (50 * 1000);
  /* Dropping the last reference while it trains stops and joins the thread. */
  g_assert_finalize_object (worker);
}

static void
test_worker_refuses_bad_project (void)
{
  g_autoptr(NnProject) project = default_project ();
  g_autoptr(GError) error = NULL;
  NlTrainingWorker *worker;

  project->optimizer.learning_rate = -3;
  worker = nl_training_worker_new (project, &error);
  g_assert_null (worker);
  g_assert_nonnull (error);
}

/* The loss history snapshots carry: shared by consecutive snapshots (one copy per thinning
 * or growth, never one per snapshot), under its budget however long the run, thinned evenly
 * with its first epoch, epochs strictly increasing and the current epoch last. */
static void
test_worker_history_bounded (void)
{
  const guint budget = 64, epochs = 4000;
  g_autoptr(NnProject) project = nn_project_new_default ();
  g_autoptr(NlTrainingWorker) worker = NULL;
  g_autoptr(NlSnapshot) prev = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + WORKER_TIMEOUT_US;
  guint n_snapshots = 0, n_copies = 0, last_epoch = 0;
  guint64 serial;

  project->dataset.count = 20; /* short epochs: thousands of them in a second or two */
  worker = nl_training_worker_new (project, &error);
  g_assert_no_error (error);
  nl_training_worker_set_speed (worker, 0);
  serial = nl_training_worker_set_history_budget (worker, budget);
  nl_training_worker_play (worker);

  while ((last_epoch < epochs || n_snapshots < 60) && g_get_monotonic_time () < end)
    {
      NlSnapshot *snap = nl_training_worker_wait_snapshot (worker, 100 * 1000);
      const NnEpochStats *h;

      if (snap == NULL || snap->command_serial < serial)
        {
          g_clear_pointer (&snap, nl_snapshot_unref);
          continue;
        }
      h = snap->history->records;
      g_assert_cmpuint (snap->n_history, >=, 1);
      g_assert_cmpuint (snap->n_history, <=, budget + budget / 4);
      g_assert_cmpuint (h[0].epoch, ==, 0);
      g_assert_cmpuint (h[snap->n_history - 1].epoch, ==, snap->epoch);
      for (guint i = 1; i < snap->n_history; i++)
        g_assert_cmpuint (h[i].epoch, >, h[i - 1].epoch);
      /* `prev` holds the previous history alive, so a new one cannot reuse its address. */
      n_snapshots++;
      n_copies += prev == NULL || snap->history != prev->history;
      last_epoch = snap->epoch;
      g_clear_pointer (&prev, nl_snapshot_unref);
      prev = snap;
    }
  g_assert_cmpuint (last_epoch, >=, epochs);
  g_assert_cmpuint (n_snapshots, >=, 60);
  g_test_message ("%u epochs, %u snapshots, %u history copies", last_epoch, n_snapshots,
                  n_copies);
  /* A copy per thinning (the stride doubles: about log2(epochs / budget) + 1 of them), and
   * one each time the records kept for being last at a snapshot fill the budget's quarter
   * of slack: at most every budget / 4 snapshots. */
  g_assert_cmpuint (n_copies, <=, 2 + g_bit_storage (last_epoch / budget) + 1
                                  + n_snapshots / (budget / 4));
  g_assert_cmpuint (n_snapshots, >, 2 * n_copies);
  nl_training_worker_quit (worker);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/training-worker/trains", test_worker_trains);
  g_test_add_func ("/training-worker/pause-step-reset", test_worker_pause_step_reset);
  g_test_add_func ("/training-worker/edits-while-training", test_worker_edits_while_training);
  g_test_add_func ("/training-worker/speed", test_worker_speed);
  g_test_add_func ("/training-worker/divergence", test_worker_divergence);
  g_test_add_func ("/training-worker/finalizes", test_worker_finalizes);
  g_test_add_func ("/training-worker/refuses-bad-project", test_worker_refuses_bad_project);
  g_test_add_func ("/training-worker/history-bounded", test_worker_history_bounded);

  return g_test_run ();
}
