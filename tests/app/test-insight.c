/* test-insight.c: the timeline, layer health, advice, metrics and linked views (issue 7).
 *
 * The first tests drive the training worker as the window does, without a display:
 * scrubbing to epoch k shows exactly the parameters recorded at k, play-from-here
 * continues from k, a network built with dead units raises that advice, a confusion
 * matrix counts every point. The others open the real window (under Xvfb in the suite):
 * the scrubber, the advice bar, the confusion view, selecting a point, hovering a neuron,
 * with screenshots of each (PNG files in the build directory).
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-advice-bar.h"
#include "nl-application.h"
#include "nl-confusion-view.h"
#include "nl-insight-text.h"
#include "nl-loss-view.h"
#include "nl-training-worker.h"
#include "nl-boundary-view.h"
#include "nl-window.h"
#include "gui-test-utils.h"
#include "nl-window-insight.h"
#include "nl-window-private.h"
#include "nn-error.h"
#include "worker-test-utils.h"

/* ------------------------------------------------------------------------------------ */
/* The worker                                                                           */

static NnProject *
example_project (const char *name)
{
  g_autofree char *path = gui_example_path (name);
  g_autoptr(GError) error = NULL;
  NnProject *project = nn_project_load (path, &error);

  g_assert_no_error (error);
  return project;
}

/* Trains `epochs` whole epochs, paused, and returns the snapshot after them. */
static NlSnapshot *
train_epochs (NlTrainingWorker *worker, guint epochs)
{
  guint64 serial = 0;

  for (guint i = 0; i < epochs; i++)
    serial = nl_training_worker_step_epoch (worker);
  return worker_wait_applied (worker, serial);
}

static gboolean
same_params (const double *a, const double *b, gsize n)
{
  return memcmp (a, b, n * sizeof (double)) == 0;
}

static void
test_worker_scrub_and_rewind (void)
{
  g_autoptr(NnProject) project = example_project ("default.nlab");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  g_autoptr(NnTimelineRecord) record = NULL;
  g_autoptr(NnTimelineRecord) last = NULL;
  NlSnapshot *snap;
  guint first_epoch, last_epoch;
  const guint k = 7;

  g_assert_no_error (error);
  snap = train_epochs (worker, 20);
  g_assert_cmpuint (snap->epoch, ==, 20);
  g_assert_nonnull (snap->timeline);
  /* Every epoch recorded, 0 included. */
  g_assert_cmpuint (nn_timeline_get_n_records (snap->timeline), ==, 21);
  g_assert_true (nn_timeline_get_range (snap->timeline, &first_epoch, &last_epoch));
  g_assert_cmpuint (first_epoch, ==, 0);
  g_assert_cmpuint (last_epoch, ==, 20);
  last = nn_timeline_lookup (snap->timeline, 20);
  g_assert_true (same_params (snap->net.params, last->params, last->n_params));
  record = nn_timeline_lookup (snap->timeline, k);
  g_assert_nonnull (record);
  g_assert_cmpuint (record->epoch, ==, k);
  /* The record differs from today's network, so the comparisons below can fail. */
  g_assert_false (same_params (record->params, last->params, record->n_params));
  nl_snapshot_unref (snap);

  /* Scrubbing to k: every parameter shown is the one recorded at k, bit for bit, and the
   * pictures are that network's, while the trainer stays at epoch 20. */
  snap = worker_wait_applied (worker, nl_training_worker_preview_epoch (worker, k));
  g_assert_true (snap->previewing);
  g_assert_cmpuint (snap->preview_epoch, ==, k);
  g_assert_cmpuint (snap->epoch, ==, 20);
  g_assert_cmpuint (snap->net.n_params, ==, record->n_params);
  g_assert_true (same_params (snap->net.params, record->params, record->n_params));
  g_assert_cmpfloat (snap->stats.train_loss, ==, record->stats.train_loss);
  g_assert_nonnull (snap->optimizer);
  g_assert_cmpuint (snap->optimizer->t, ==, 0);
  nl_snapshot_unref (snap);

  /* Back to now: today's parameters again, exactly. */
  snap = worker_wait_applied (worker, nl_training_worker_end_preview (worker));
  g_assert_false (snap->previewing);
  g_assert_true (same_params (snap->net.params, last->params, last->n_params));
  g_assert_cmpuint (snap->optimizer->t, >, 0);
  nl_snapshot_unref (snap);

  /* Play from k: epoch k with k's parameters, the later history and records gone. */
  snap = worker_wait_applied (worker, nl_training_worker_rewind (worker, k));
  g_assert_null (snap->error_message);
  g_assert_cmpuint (snap->epoch, ==, k);
  g_assert_cmpuint (snap->steps, ==, record->steps);
  g_assert_true (same_params (snap->net.params, record->params, record->n_params));
  g_assert_cmpuint (snap->n_history, ==, k + 1);
  g_assert_cmpuint (snap->history->records[snap->n_history - 1].epoch, ==, k);
  g_assert_true (nn_timeline_get_range (snap->timeline, &first_epoch, &last_epoch));
  g_assert_cmpuint (last_epoch, ==, k);
  nl_snapshot_unref (snap);

  /* Training continues from there: k + 1, recorded, and a new future. */
  snap = train_epochs (worker, 1);
  g_assert_cmpuint (snap->epoch, ==, k + 1);
  g_assert_cmpuint (snap->n_history, ==, k + 2);
  g_assert_cmpuint (snap->history->records[k + 1].epoch, ==, k + 1);
  g_assert_true (nn_timeline_get_range (snap->timeline, &first_epoch, &last_epoch));
  g_assert_cmpuint (last_epoch, ==, k + 1);
  g_assert_cmpuint (nn_timeline_get_n_records (snap->timeline), ==, k + 2);
  g_assert_false (same_params (snap->net.params, record->params, record->n_params));
  nl_snapshot_unref (snap);
}

/* A record of another shape: scrubbing shows that network, playing from it rebuilds it. */
static void
test_worker_rewind_other_shape (void)
{
  g_autoptr(NnProject) project = example_project ("default.nlab");
  g_autoptr(NnProject) bigger = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  g_autoptr(NnTimelineRecord) record = NULL;
  NlSnapshot *snap;

  g_assert_no_error (error);
  nl_snapshot_unref (train_epochs (worker, 5));
  bigger = nn_project_copy (project);
  bigger->arch.units[0] += 2;
  nn_project_sync_shape (bigger);
  nl_snapshot_unref (worker_wait_applied (worker, nl_training_worker_set_project (worker, bigger)));
  snap = train_epochs (worker, 3);
  g_assert_cmpuint (snap->net.arch.units[0], ==, project->arch.units[0] + 2);
  record = nn_timeline_lookup (snap->timeline, 2);
  g_assert_true (nn_architecture_equal (&record->arch, &project->arch));
  nl_snapshot_unref (snap);

  snap = worker_wait_applied (worker, nl_training_worker_preview_epoch (worker, 2));
  g_assert_true (snap->previewing);
  g_assert_true (nn_architecture_equal (&snap->net.arch, &project->arch));
  g_assert_true (nn_architecture_equal (&snap->model->project->arch, &project->arch));
  g_assert_true (same_params (snap->net.params, record->params, record->n_params));
  g_assert_cmpuint (snap->n_neurons, ==, nn_network_total_units (&snap->net));
  nl_snapshot_unref (snap);

  snap = worker_wait_applied (worker, nl_training_worker_rewind (worker, 2));
  g_assert_null (snap->error_message);
  g_assert_false (snap->previewing);
  g_assert_cmpuint (snap->epoch, ==, 2);
  g_assert_true (nn_architecture_equal (&snap->net.arch, &project->arch));
  g_assert_true (nn_architecture_equal (&snap->model->project->arch, &project->arch));
  g_assert_true (same_params (snap->net.params, record->params, record->n_params));
  nl_snapshot_unref (snap);
  snap = train_epochs (worker, 2);
  g_assert_cmpuint (snap->epoch, ==, 4);
  nl_snapshot_unref (snap);
}

/* A ReLU network whose first layer's biases are so negative that no point reaches it. */
static NnProject *
dead_project (void)
{
  NnProject *project = example_project ("default.nlab");

  project->arch.n_hidden = 2;
  project->arch.units[0] = 8;
  project->arch.activation[0] = NN_ACTIVATION_RELU;
  project->arch.units[1] = 4;
  project->arch.activation[1] = NN_ACTIVATION_RELU;
  nn_project_sync_shape (project);
  nn_project_set_weights (project, NULL, 0);
  return project;
}

static guint64
kill_units (NlTrainingWorker *worker, guint layer, guint n)
{
  guint64 serial = 0;

  for (guint unit = 0; unit < n; unit++)
    serial = nl_training_worker_set_bias (worker, layer, unit, -100);
  return serial;
}

static gboolean
has_advice (const NlSnapshot *snap, NnAdviceKind kind)
{
  if (snap->health == NULL)
    return FALSE;
  for (guint i = 0; i < snap->health->n_advice; i++)
    if (snap->health->advice[i].kind == kind)
      return TRUE;
  return FALSE;
}

static void
test_worker_health_and_advice (void)
{
  g_autoptr(NnProject) project = dead_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
  const NnLayerHealth *layer;
  NlSnapshot *snap;

  g_assert_no_error (error);
  snap = nl_training_worker_wait_snapshot (worker, WORKER_TIMEOUT_US);
  g_assert_nonnull (snap->health);
  g_assert_cmpuint (snap->health->health.n_layers, ==, 3);
  g_assert_cmpuint (snap->health->health.layers[0].dead, <, 2);
  nl_snapshot_unref (snap);

  snap = worker_wait_applied (worker, kill_units (worker, 0, 5));
  g_assert_nonnull (snap->health);
  layer = &snap->health->health.layers[0];
  g_assert_cmpuint (layer->n_units, ==, 8);
  g_assert_cmpuint (layer->dead, ==, 5);
  g_assert_true (has_advice (snap, NN_ADVICE_DEAD_UNITS));
  /* Measured again at the same epoch: the history's record of epoch 0 follows the edit, as
   * the timeline's does, so scrubbing back there shows the units dead. */
  g_assert_cmpuint (nn_health_history_get_n (snap->health->history), ==, 1);
  g_assert_cmpuint (nn_health_history_get_last (snap->health->history)->layers[0].dead, ==, 5);
  g_test_message ("health measurement of a [8,4] ReLU network on %u points: %.0f µs",
                  snap->health->health.n_samples, snap->health->cost_us);
  nl_snapshot_unref (snap);

  /* While training, it is measured again within its time budget. */
  nl_training_worker_play (worker);
  g_usleep (600 * 1000);
  snap = worker_wait_applied (worker, nl_training_worker_pause (worker));
  g_assert_cmpuint (snap->health->health.epoch, >, 0);
  g_assert_cmpuint (snap->health->health.layers[0].dead, ==, 5);  /* they never recover */
  /* The history covers the run: epoch 0, then the measurements while training. */
  g_assert_cmpuint (nn_health_history_get_n (snap->health->history), >=, 2);
  g_assert_cmpuint (nn_health_history_get_nth (snap->health->history, 0)->epoch, ==, 0);
  g_assert_true (nn_health_history_at_epoch (snap->health->history, 0)
                 == nn_health_history_get_nth (snap->health->history, 0));
  nl_snapshot_unref (snap);
}

static void
test_worker_metrics (void)
{
  const char *examples[] = { "softmax-three-classes.nlab", "regression.nlab" };

  for (guint e = 0; e < G_N_ELEMENTS (examples); e++)
    {
      g_autoptr(NnProject) project = example_project (examples[e]);
      g_autoptr(GError) error = NULL;
      g_autoptr(NlTrainingWorker) worker = nl_training_worker_new (project, &error);
      const NnDataset *dataset;
      const NlMetrics *m;
      NlSnapshot *snap;

      g_assert_no_error (error);
      snap = nl_training_worker_wait_snapshot (worker, WORKER_TIMEOUT_US);
      g_assert_null (snap->metrics);  /* not asked for */
      nl_snapshot_unref (snap);

      nl_training_worker_set_metrics_wanted (worker, TRUE);
      snap = train_epochs (worker, 3);
      m = snap->metrics;
      dataset = snap->model->dataset;
      g_assert_nonnull (m);
      g_assert_cmpuint (m->n[NN_SPLIT_TRAIN], ==, dataset->n_train);
      g_assert_cmpuint (m->n[NN_SPLIT_TEST], ==, dataset->n_test);
      if (m->classification)
        {
          for (guint s = 0; s < NN_N_SPLITS; s++)
            {
              guint sum = 0, diagonal = 0;

              for (guint t = 0; t < m->confusion[s].classes; t++)
                for (guint p = 0; p < m->confusion[s].classes; p++)
                  {
                    sum += m->confusion[s].counts[t][p];
                    diagonal += t == p ? m->confusion[s].counts[t][p] : 0;
                  }
              g_assert_cmpuint (sum, ==, m->n[s]);
              g_assert_cmpuint (m->confusion[s].total, ==, m->n[s]);
              g_assert_cmpfloat_with_epsilon ((double) diagonal / sum,
                                              s == NN_SPLIT_TRAIN ? snap->stats.train_accuracy
                                                                  : snap->stats.test_accuracy,
                                              1e-12);
            }
        }
      else
        {
          g_assert_true (isfinite (m->r_squared[NN_SPLIT_TRAIN]));
          g_assert_cmpfloat (m->truth[NN_SPLIT_TRAIN][0], ==, dataset->train[0].y);
          g_assert_cmpfloat (m->r_squared[NN_SPLIT_TRAIN], ==,
                             nn_r_squared (m->truth[NN_SPLIT_TRAIN], m->predicted[NN_SPLIT_TRAIN],
                                           m->n[NN_SPLIT_TRAIN]));
        }
      nl_snapshot_unref (snap);
    }
}

/* ------------------------------------------------------------------------------------ */
/* The window                                                                           */

static NlApplication *app;

static gboolean
shows_epoch (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->previewing && snap->preview_epoch == GPOINTER_TO_UINT (data);
}

static gboolean
shows_present (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && !snap->previewing && snap->command_serial >= *(const guint64 *) data;
}

typedef struct
{
  guint from, below;
} EpochRange;

/* Training the present (not a preview) at an epoch in [from, below). */
static gboolean
live_in (NlWindow *window, gconstpointer data)
{
  const EpochRange *r = data;
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && !snap->previewing && snap->epoch >= r->from && snap->epoch < r->below;
}

/* A window on data/examples/EXAMPLE in the style asked for (close_window goes back to light). */
static NlWindow *
open_example (const char *example, int width, int height, gboolean dark)
{
  gui_set_dark_style (app, dark);
  return gui_open_example (app, example, width, height);
}

static void
close_window (NlWindow *window)
{
  gui_close_window (window);
  gui_set_dark_style (app, FALSE);
}

static void
train_for (NlWindow *window, guint epochs)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (epochs), 30));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));
}

static void
test_window_timeline (void)
{
  NlWindow *window;
  NlSnapshot *snap;
  g_autoptr(NnTimelineRecord) record = NULL;
  GtkAdjustment *adjustment;
  guint epoch_before, preview = 0;
  guint64 serial;
  GtkWidget *dialog;
  const guint k = 12;

  if (gui_skip_without_display (app))
    return;

  window = open_example ("default.nlab", 1280, 800, FALSE);
  train_for (window, 40);
  snap = nl_window_get_snapshot (window);
  epoch_before = snap->epoch;
  adjustment = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                             NL_TYPE_WINDOW,
                                                             "timeline_adjustment"));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, epoch_before);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, epoch_before);

  /* Dragging the scrubber to k: every view shows the network recorded at k. */
  gtk_adjustment_set_value (adjustment, k);
  g_assert_true (gui_iterate_until (window, shows_epoch, GUINT_TO_POINTER (k), 10));
  g_assert_true (nl_window_timeline_get_preview (window, &preview));
  g_assert_cmpuint (preview, ==, k);
  snap = nl_window_get_snapshot (window);
  record = nn_timeline_lookup (snap->timeline, k);
  g_assert_nonnull (record);
  g_assert_cmpuint (record->epoch, ==, k);
  g_assert_true (same_params (snap->net.params, record->params, record->n_params));
  g_assert_cmpuint (snap->epoch, ==, epoch_before);
  gui_screenshot (GTK_WIDGET (window), "insight-timeline-1280x800-light.png");

  /* Back to now. */
  serial = 0;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-now", NULL);
  serial = window->insight->preview_serial;
  g_assert_true (gui_iterate_until (window, shows_present, &serial, 10));
  g_assert_false (nl_window_timeline_get_preview (window, NULL));

  /* Clicking the loss curves at k jumps there too. */
  g_signal_emit_by_name (window->loss_view, "epoch-activated", k);
  g_assert_true (gui_iterate_until (window, shows_epoch, GUINT_TO_POINTER (k), 10));

  /* Play from there: the project is saved, so no question; training continues at k. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_null (gui_find_toplevel (GTK_TYPE_MESSAGE_DIALOG));
  if (!gui_iterate_until (window, live_in, &(EpochRange) { k + 3, G_MAXUINT }, 30))
    {
      snap = nl_window_get_snapshot (window);
      g_error ("not branched: epoch %u (before %u), previewing %d, running %d, error %s",
               snap->epoch, epoch_before, snap->previewing, snap->running, snap->error_message);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));
  snap = nl_window_get_snapshot (window);
  g_assert_false (snap->previewing);
  /* The history is the new branch's: epochs 0, 1, … without a gap or the old future. */
  g_assert_cmpuint (snap->n_history, ==, snap->epoch + 1);
  for (guint i = 0; i < snap->n_history; i++)
    g_assert_cmpuint (snap->history->records[i].epoch, ==, i);
  {
    g_autoptr(NnTimelineRecord) again = nn_timeline_lookup (snap->timeline, k);

    /* Epoch k itself is still the record it branched from. */
    g_assert_true (same_params (again->params, record->params, record->n_params));
  }

  /* With unsaved work, playing from the past asks first; Cancel changes nothing. */
  nl_window_set_modified (window, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-preview", "u", 5);
  g_assert_true (gui_iterate_until (window, shows_epoch, GUINT_TO_POINTER (5), 10));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  dialog = gui_find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  gui_screenshot (GTK_WIDGET (window), "insight-rewind-question-1280x800-light.png");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (gui_find_toplevel (GTK_TYPE_MESSAGE_DIALOG));
  g_assert_true (nl_window_timeline_get_preview (window, NULL));
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  g_assert_false (nl_window_get_snapshot (window)->running);

  /* Accepting branches from 5. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-from-here", NULL);
  dialog = gui_find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (gui_iterate_until (window, live_in, &(EpochRange) { 6, G_MAXUINT }, 10));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));
  /* Again one unbroken history from epoch 0: the branch replaced the old future. */
  snap = nl_window_get_snapshot (window);
  g_assert_cmpuint (snap->n_history, ==, snap->epoch + 1);
  for (guint i = 0; i < snap->n_history; i++)
    g_assert_cmpuint (snap->history->records[i].epoch, ==, i);

  close_window (window);
}

/* A project whose first layer is ReLU with five of eight units dead from the start. */
static NnProject *
dead_units_project (void)
{
  NnProject *project = dead_project ();
  g_autoptr(NnNetwork) net = nn_network_new (&project->arch, 1, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  nn_network_init_params (net, NN_INIT_XAVIER, rand);
  for (guint unit = 0; unit < 5; unit++)
    net->params[net->layers[0].b_offset + unit] = -100;
  nn_project_set_weights (project, net->params, net->n_params);
  project->optimizer.learning_rate = 0.001;
  return project;
}

static gboolean
advice_shown (NlWindow *window, gconstpointer data)
{
  NnAdviceKind kind;

  return nl_advice_bar_get_shown (NL_ADVICE_BAR (gui_template_child (window, "advice_bar")), &kind)
         && kind == (NnAdviceKind) GPOINTER_TO_UINT (data);
}

static gboolean
has_metrics (NlWindow *window, gconstpointer data)
{
  NlConfusionView *view = NL_CONFUSION_VIEW (gui_template_child (window, "confusion_view"));
  const NlMetrics *m = nl_confusion_view_get_metrics (view);
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return m != NULL && snap != NULL && m->epoch == snap->epoch;
}

static void
test_window_advice (gconstpointer data)
{
  const GuiViewCase *c = data;
  NnProject *project = dead_units_project ();
  g_autofree char *name = NULL;
  gboolean ellipsized = FALSE;
  g_autoptr(GError) error = NULL;
  NlAdviceBar *bar;
  NlWindow *window;
  guint shown;

  if (gui_skip_without_display (app))
    {
      nn_project_free (project);
      return;
    }

  window = open_example (c->example, c->width, c->height, c->dark);
  g_assert_true (nl_window_load_project (window, project, NULL, "Dead units", &error));
  g_assert_no_error (error);
  bar = NL_ADVICE_BAR (gui_template_child (window, "advice_bar"));
  g_assert_true (gui_iterate_until (window, advice_shown, GUINT_TO_POINTER (NN_ADVICE_DEAD_UNITS), 10));
  g_assert_nonnull (strstr (nl_advice_bar_get_text (bar), "dead"));
  g_assert_nonnull (strstr (nl_advice_bar_get_text (bar), "5 of 8"));
  shown = nl_advice_bar_get_n_shown (bar);
  g_assert_cmpuint (shown, >=, 1);
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);  /* the bar's slide-in animation */
  name = g_strdup_printf ("insight-advice-%dx%d-%s.png", c->width, c->height,
                          c->dark ? "dark" : "light");
  gui_screenshot (GTK_WIDGET (window), name);
  /* Whole or ellipsized, never cut off; the tooltip holds the whole sentence. */
  g_assert_true (nl_advice_bar_get_text_fits (bar, &ellipsized));
  g_test_message ("%d×%d: the warning is %s", c->width, c->height,
                  ellipsized ? "ellipsized" : "whole");
  if (c->width >= 1920)
    g_assert_false (ellipsized);

  /* Dismissed, it does not come back, however long the units stay dead. */
  nl_advice_bar_dismiss (bar);
  while (nl_advice_bar_get_shown (bar, NULL))
    nl_advice_bar_dismiss (bar);
  shown = nl_advice_bar_get_n_shown (bar);
  train_for (window, 15);
  g_assert_cmpuint (nl_window_get_snapshot (window)->health->health.layers[0].dead, >=, 5);
  g_assert_false (advice_shown (window, GUINT_TO_POINTER (NN_ADVICE_DEAD_UNITS)));
  g_assert_cmpuint (nl_advice_bar_get_n_shown (bar), ==, shown);

  close_window (window);
}


/* The centre of the scrubber's knob, in the loss view's coordinates. */
static double
knob_x_in_loss_view (NlWindow *window)
{
  double x = 0;

  g_assert_true (nl_window_timeline_get_knob_x (window, window->loss_view, &x));
  return x;
}

/* The knob sits within 2 px of the plot's x of the epoch it shows. */
static void
assert_knob_on_axis (NlWindow *window, guint epoch)
{
  GtkAdjustment *adjustment = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                            NL_TYPE_WINDOW,
                                                                            "timeline_adjustment"));
  double plot_x, knob_x;

  gui_iterate_until (window, gui_time_passes, NULL, 0.3);  /* the margins' new layout */
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, epoch);
  g_assert_true (nl_loss_view_get_epoch_x (NL_LOSS_VIEW (window->loss_view), epoch, &plot_x));
  knob_x = knob_x_in_loss_view (window);
  g_test_message ("epoch %u: knob at x %.1f, the plot's axis at %.1f", epoch, knob_x, plot_x);
  if (fabs (knob_x - plot_x) > 2.0)
    g_error ("the scrubber's knob for epoch %u is at x %.1f, the loss plot's epoch %u at %.1f",
             epoch, knob_x, epoch, plot_x);
}

static void
test_window_scrubber_aligned (gconstpointer data)
{
  const GuiViewCase *c = data;
  NlWindow *window;
  guint last, middle;
  double x0, x1;
  g_autofree char *name = NULL;

  if (gui_skip_without_display (app))
    return;

  window = open_example (c->example, c->width, c->height, c->dark);
  train_for (window, 30);
  last = nl_window_get_snapshot (window)->epoch;
  middle = last / 3;

  /* The plot really spans the view: the test is not comparing two zeros. */
  g_assert_true (nl_loss_view_get_epoch_x (NL_LOSS_VIEW (window->loss_view), 0, &x0));
  g_assert_true (nl_loss_view_get_epoch_x (NL_LOSS_VIEW (window->loss_view), last, &x1));
  g_assert_cmpfloat (x1 - x0, >, 0.5 * gtk_widget_get_width (window->loss_view));

  /* Live, the knob is at the right end, under the last epoch. */
  assert_knob_on_axis (window, last);
  /* Looking at the past: under the marker, at the first epoch and in the middle. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-preview", "u", 0);
  g_assert_true (gui_iterate_until (window, shows_epoch, GUINT_TO_POINTER (0), 10));
  assert_knob_on_axis (window, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-preview", "u", middle);
  g_assert_true (gui_iterate_until (window, shows_epoch, GUINT_TO_POINTER (middle), 10));
  assert_knob_on_axis (window, middle);

  name = g_strdup_printf ("insight-scrubber-%dx%d-%s.png", c->width, c->height,
                          c->dark ? "dark" : "light");
  gui_screenshot (GTK_WIDGET (window), name);
  close_window (window);
}


static void
test_window_confusion (gconstpointer data)
{
  const GuiViewCase *c = data;
  g_autofree char *name = NULL;
  const NlMetrics *m;
  NlWindow *window;
  GtkWidget *stack;

  if (gui_skip_without_display (app))
    return;

  window = open_example (c->example, c->width, c->height, c->dark);
  train_for (window, 20);
  stack = gui_template_child (window, "outputs_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "loss");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-metrics", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "metrics");
  g_assert_true (gui_iterate_until (window, has_metrics, NULL, 10));

  m = nl_confusion_view_get_metrics (NL_CONFUSION_VIEW (gui_template_child (window, "confusion_view")));
  if (m->classification)
    for (guint s = 0; s < NN_N_SPLITS; s++)
      {
        guint sum = 0;

        for (guint t = 0; t < m->confusion[s].classes; t++)
          for (guint p = 0; p < m->confusion[s].classes; p++)
            sum += m->confusion[s].counts[t][p];
        /* Every point of the set is counted once. */
        g_assert_cmpuint (sum, ==, s == NN_SPLIT_TRAIN
                                     ? nl_window_get_snapshot (window)->model->dataset->n_train
                                     : nl_window_get_snapshot (window)->model->dataset->n_test);
      }
  else
    g_assert_true (isfinite (m->r_squared[NN_SPLIT_TEST]));

  name = g_strdup_printf ("insight-metrics-%.*s-%dx%d-%s.png",
                          (int) (strlen (c->example) - 5), c->example, c->width, c->height,
                          c->dark ? "dark" : "light");
  gui_screenshot (GTK_WIDGET (window), name);

  /* Back to the loss curves: the worker stops computing them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-metrics", NULL);
  train_for (window, nl_window_get_snapshot (window)->epoch + 3);
  g_assert_null (nl_window_get_snapshot (window)->metrics);

  close_window (window);
}

static int last_selected = -2;

static void
on_point_selected (NlWindow *window, int index, gpointer data)
{
  last_selected = index;
}

static void
test_window_select_point (gconstpointer data)
{
  const GuiViewCase *c = data;
  g_autofree char *name = NULL;
  NlBoundaryView *boundary;
  NlSnapshot *snap;
  NlWindow *window;
  gboolean is_test;
  guint n_train;

  if (gui_skip_without_display (app))
    return;

  window = open_example (c->example, c->width, c->height, c->dark);
  g_signal_connect (window, "point-selected", G_CALLBACK (on_point_selected), NULL);
  train_for (window, 30);
  snap = nl_window_get_snapshot (window);
  n_train = snap->model->dataset->n_train;
  boundary = NL_BOUNDARY_VIEW (window->boundary_view);

  /* A training point. */
  g_assert_cmpint (nl_window_get_selected_point (window), ==, -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", 7);
  g_assert_cmpint (nl_window_get_selected_point (window), ==, 7);
  g_assert_cmpint (last_selected, ==, 7);
  g_assert_cmpint (nl_boundary_view_get_highlight (boundary, &is_test), ==, 7);
  g_assert_false (is_test);

  /* A test point: its index comes after the training points. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", (int) n_train + 3);
  g_assert_cmpint (last_selected, ==, (int) n_train + 3);
  g_assert_cmpint (nl_boundary_view_get_highlight (boundary, &is_test), ==, 3);
  g_assert_true (is_test);

  /* Hovering a neuron of the first hidden layer opens its picture over the output view. */
  g_assert_false (gtk_widget_get_visible (gui_template_child (window, "neuron_detail")));
  g_signal_emit_by_name (window->network_view, "neuron-hover", 0, 1);
  g_assert_true (gtk_widget_get_visible (gui_template_child (window, "neuron_detail")));
  name = g_strdup_printf ("insight-point-and-neuron-%.*s-%dx%d-%s.png",
                          (int) (strlen (c->example) - 5), c->example, c->width, c->height,
                          c->dark ? "dark" : "light");
  gui_screenshot (GTK_WIDGET (window), name);
  g_signal_emit_by_name (window->network_view, "neuron-hover", -1, -1);
  g_assert_false (gtk_widget_get_visible (gui_template_child (window, "neuron_detail")));

  /* Escape selects none; an index past the data too. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", -1);
  g_assert_cmpint (nl_window_get_selected_point (window), ==, -1);
  g_assert_cmpint (nl_boundary_view_get_highlight (boundary, NULL), ==, -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", 100000);
  g_assert_cmpint (nl_window_get_selected_point (window), ==, -1);

  close_window (window);
}

static const GuiViewCase metric_cases[] = {
  { "softmax-three-classes.nlab", 1280, 800, FALSE },
  { "default.nlab", 1024, 640, TRUE },
  { "regression.nlab", 1280, 800, TRUE },
  { "regression.nlab", 1024, 640, FALSE },
};

static const GuiViewCase advice_cases[] = {
  { "default.nlab", 1024, 640, FALSE },
  { "default.nlab", 1280, 800, FALSE },
  { "default.nlab", 1280, 800, TRUE },
  { "default.nlab", 1920, 1080, FALSE },
};

static const GuiViewCase size_cases[] = {
  { "default.nlab", 1024, 640, FALSE },
  { "default.nlab", 1280, 800, FALSE },
  { "default.nlab", 1920, 1080, TRUE },
};

static const GuiViewCase point_cases[] = {
  { "default.nlab", 1280, 800, FALSE },
  { "default.nlab", 1280, 800, TRUE },
  { "xor.nlab", 1024, 640, FALSE },
};

/* The sparklines' tooltip tells the story in words, from the engine's counts. */
static void
test_health_words (void)
{
  NnHealth health = { 0 };
  g_autofree char *dead = NULL;
  g_autofree char *saturated = NULL;
  g_autofree char *vanishing = NULL;
  g_autofree char *advice = NULL;
  NnAdvice a = { 0 };

  health.epoch = 30;
  health.n_samples = 250;
  health.n_layers = 4;
  for (guint l = 0; l < 4; l++)
    {
      health.layers[l].n_units = 8;
      health.layers[l].grad_norm = 0.5;
      health.layers[l].grad_rms = 0.05;
      health.layers[l].weight_norm = 2;
      health.layers[l].activation = NN_ACTIVATION_TANH;
    }
  health.layers[2].activation = NN_ACTIVATION_RELU;
  health.layers[2].dead = 5;
  health.layers[1].saturated = 3;
  health.layers[0].grad_rms = 0.0001;

  dead = nl_health_describe_layer (&health, 2);
  g_assert_nonnull (strstr (dead, "Hidden layer 3"));
  g_assert_nonnull (strstr (dead, "5 of 8 ReLU units are dead — they output 0 for every point, so they no longer learn"));
  saturated = nl_health_describe_layer (&health, 1);
  g_assert_nonnull (strstr (saturated, "3 of 8 Tanh units are saturated"));
  vanishing = nl_health_describe_layer (&health, 0);
  g_assert_nonnull (strstr (vanishing, "500 times weaker"));
  g_assert_null (nl_health_describe_layer (&health, 4));

  a.kind = NN_ADVICE_DEAD_UNITS;
  a.layer = 2;
  a.units = 1;
  a.total = 8;
  advice = nl_advice_describe (&a);
  g_assert_nonnull (strstr (advice, "Hidden layer 3: 1 of 8 ReLU units is dead"));
}

int
main (int argc, char *argv[])
{
  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/insight/worker/scrub-and-rewind", test_worker_scrub_and_rewind);
  g_test_add_func ("/insight/worker/rewind-other-shape", test_worker_rewind_other_shape);
  g_test_add_func ("/insight/worker/health-and-advice", test_worker_health_and_advice);
  g_test_add_func ("/insight/worker/metrics", test_worker_metrics);
  g_test_add_func ("/insight/health-words", test_health_words);
  g_test_add_func ("/insight/window/timeline", test_window_timeline);
  gui_add_view_cases ("/insight/window/advice", advice_cases, G_N_ELEMENTS (advice_cases),
                      test_window_advice);
  gui_add_view_cases ("/insight/window/metrics", metric_cases, G_N_ELEMENTS (metric_cases),
                      test_window_confusion);
  gui_add_view_cases ("/insight/window/scrubber-aligned", size_cases, G_N_ELEMENTS (size_cases),
                      test_window_scrubber_aligned);
  gui_add_view_cases ("/insight/window/select-point", point_cases, G_N_ELEMENTS (point_cases),
                      test_window_select_point);

  return gui_test_run (app);
}
