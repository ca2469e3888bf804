/* nl-window.c: the main window.
 *
 * Flow of an edit: a widget activates a window action → the action edits a copy of the
 * project → nl_window_commit_project() fixes combinations the engine would refuse, validates it,
 * keeps it and sends the worker one command → the next snapshot, picked up by the tick
 * callback, redraws the views. Widgets are set back from the project in nl_window_sync_controls(),
 * with `syncing` set so their signal handlers stay quiet.
 */
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nl-window.h"
#include "nl-window-private.h"
#include "nl-window-insight.h"
#include "nl-window-classroom.h"
#include "nl-boundary-view.h"
#include "nl-dataset-picker.h"
#include "nl-loss-view.h"
#include "nl-names.h"
#include "nl-network-view.h"
#include "nn-error.h"

/* Speed scale positions: steps per second, 0 = as fast as it goes. */
static const double speeds[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 0 };
#define N_SPEEDS G_N_ELEMENTS (speeds)


enum {
  PROP_0,
  PROP_SHOW_TEST_DATA,
  PROP_DISCRETIZE_OUTPUT,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (NlWindow, nl_window, GTK_TYPE_APPLICATION_WINDOW)

static void ensure_ticking  (NlWindow *self);

static NlApplication *
window_app (NlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return NL_IS_APPLICATION (app) ? NL_APPLICATION (app) : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                             */

static void
show_message (NlWindow *self, const char *icon, const char *message, gboolean offer_reset)
{
  gtk_image_set_from_icon_name (GTK_IMAGE (self->banner_icon), icon);
  gtk_label_set_label (GTK_LABEL (self->banner_label), message);
  gtk_widget_set_tooltip_text (self->banner_label, message);
  gtk_widget_set_visible (self->banner_reset_button, offer_reset);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), TRUE);
}

void
nl_window_show_banner (NlWindow *self, const char *message, gboolean offer_reset)
{
  show_message (self, "dialog-warning-symbolic", message, offer_reset);
}

void
nl_window_show_info (NlWindow *self, const char *message)
{
  show_message (self, "dialog-information-symbolic", message, FALSE);
}

static void
hide_banner (NlWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
}

static void
on_banner_close (GtkButton *button, NlWindow *self)
{
  hide_banner (self);
}

static void
on_error_dialog_response (GtkDialog *dialog, int response, gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A modal message for what the user must read: a file that could not be opened or saved. */
void
nl_window_show_error (GtkWindow *parent, const char *primary, const char *secondary)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  if (secondary != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_dialog_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------ */
/* Title, formatting                                                                    */

static void
update_title (NlWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;

  if (self->file != NULL)
    name = g_file_get_basename (self->file);
  else if (self->example_title != NULL)
    name = g_strdup (self->example_title);
  else
    name = g_strdup (_("New project"));

  subtitle = self->modified ? g_strdup_printf ("• %s", name) : g_strdup (name);
  gtk_label_set_label (GTK_LABEL (self->subtitle_label), subtitle);
  title = g_strdup_printf (_("%s — Neural Lab"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
nl_window_set_modified (NlWindow *self, gboolean modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  update_title (self);
  nl_window_autosave_update (self);
}

/* Four decimals, or three significant digits in scientific notation when that would show
 * too few of them (below 0.001) or too many: a loss that has grown huge before it diverged
 * reads "1.43e+307", never a label of 300 digits that would widen the window. */
static char *
format_loss (double loss)
{
  if (!isfinite (loss))
    return g_strdup ("—");
  if ((loss != 0 && fabs (loss) < 0.001) || fabs (loss) >= 1e4)
    return g_strdup_printf ("%.2e", loss);
  return g_strdup_printf ("%.4f", loss);
}

/* ------------------------------------------------------------------------------------ */
/* Snapshots                                                                            */

static void
update_play_button (NlWindow *self)
{
  gtk_image_set_from_icon_name (GTK_IMAGE (self->play_image),
                                self->playing ? "media-playback-pause-symbolic"
                                              : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button,
                               self->playing ? _("Pause (Space)") : _("Train (Space)"));
}

static void
show_divergence (NlWindow *self, const NlSnapshot *snap)
{
  const NnProject *p = self->project;
  char rate[G_ASCII_DTOSTR_BUF_SIZE], lower[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *message = NULL;

  g_snprintf (rate, sizeof rate, "%g", p->optimizer.learning_rate);
  g_snprintf (lower, sizeof lower, "%g", p->optimizer.learning_rate / 10);
  message = g_strdup_printf (_("The loss diverged at epoch %u: the learning rate %s is too high for %s on this data. Lower it (try %s) and press Reset."),
                             snap->diverged_epoch, rate, nl_names_optimizer (p->optimizer.kind),
                             lower);
  nl_window_show_banner (self, message, TRUE);
}

/* Takes a new snapshot: the labels, the banners and the network view. */
static void
apply_snapshot (NlWindow *self, NlSnapshot *snap)
{
  g_autofree char *epoch = NULL;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  gboolean classification;

  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  self->snapshot = nl_snapshot_ref (snap);

  if (snap->command_serial >= self->run_command && self->playing != snap->running)
    {
      self->playing = snap->running;
      update_play_button (self);
    }

  nl_network_view_set_snapshot (NL_NETWORK_VIEW (self->network_view), snap);

  epoch = g_strdup_printf (_("Epoch %'u"), snap->epoch);
  gtk_label_set_label (GTK_LABEL (self->epoch_label), epoch);

  train = format_loss (snap->stats.train_loss);
  test = format_loss (snap->stats.test_loss);
  gtk_label_set_label (GTK_LABEL (self->train_loss_label), train);
  gtk_label_set_label (GTK_LABEL (self->test_loss_label), test);

  classification = snap->model->project->problem == NN_PROBLEM_CLASSIFICATION;
  gtk_widget_set_visible (self->accuracy_caption, classification);
  gtk_widget_set_visible (self->accuracy_label, classification);
  if (classification)
    {
      double accuracy = isfinite (snap->stats.test_accuracy) ? snap->stats.test_accuracy
                                                             : snap->stats.train_accuracy;
      g_autofree char *text = isfinite (accuracy) ? g_strdup_printf ("%.1f %%", 100 * accuracy)
                                                  : g_strdup ("—");

      gtk_label_set_label (GTK_LABEL (self->accuracy_caption),
                           isfinite (snap->stats.test_accuracy) ? _("Test accuracy")
                                                                : _("Accuracy"));
      gtk_label_set_label (GTK_LABEL (self->accuracy_label), text);
    }

  if (snap->running && snap->samples_per_second > 0)
    {
      g_autofree char *rate = g_strdup_printf (_("%'.0f samples/s"), snap->samples_per_second);

      gtk_label_set_label (GTK_LABEL (self->throughput_label), rate);
    }
  else if (!snap->running)
    gtk_label_set_label (GTK_LABEL (self->throughput_label), "");

  if (snap->diverged && !self->diverged_shown)
    {
      self->diverged_shown = TRUE;
      show_divergence (self, snap);
    }
  else if (!snap->diverged)
    self->diverged_shown = FALSE;

  if (snap->error_message != NULL && snap->error_serial > self->seen_error_serial)
    {
      self->seen_error_serial = snap->error_serial;
      nl_window_show_banner (self, snap->error_message, FALSE);
    }
}

/* The views that apply_snapshot() leaves out: the output, the loss curves, the insight
 * panes and the Explain view. */
static void
apply_snapshot_rest (NlWindow *self, NlSnapshot *snap)
{
  nl_boundary_view_set_snapshot (NL_BOUNDARY_VIEW (self->boundary_view), snap);
  nl_loss_view_set_snapshot (NL_LOSS_VIEW (self->loss_view), snap);
  nl_window_insight_apply_snapshot (self, snap);
  nl_window_classroom_apply_snapshot (self, snap);
}

/* With NEURAL_LAB_FRAME_STATS=1: the UI thread's CPU time per frame while training, from
 * the frame clock's first phase to the end of its paint. */
/* CPU time of the calling thread, µs: what a frame costs, whatever else the machine runs. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_frame_update (GdkFrameClock *clock, NlWindow *self)
{
  self->frame_work_start = self->playing ? thread_cpu_time () : 0;
}

static void
on_frame_after_paint (GdkFrameClock *clock, NlWindow *self)
{
  NlApplication *app = window_app (self);
  NlFrameStats *stats = app != NULL ? nl_application_get_frame_stats (app) : NULL;

  if (stats != NULL && self->frame_work_start != 0)
    nl_frame_stats_add_work (stats, thread_cpu_time () - self->frame_work_start);
  self->frame_work_start = 0;
}

static void
nl_window_realize (GtkWidget *widget)
{
  NlWindow *self = NL_WINDOW (widget);
  NlApplication *app = window_app (self);

  GTK_WIDGET_CLASS (nl_window_parent_class)->realize (widget);

  if (app != NULL && nl_application_get_frame_stats (app) != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

      g_signal_connect_object (clock, "update", G_CALLBACK (on_frame_update), self, 0);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_frame_after_paint), self, 0);
    }
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  NlWindow *self = NL_WINDOW (widget);
  NlApplication *app = window_app (self);
  NlFrameStats *stats = app != NULL ? nl_application_get_frame_stats (app) : NULL;
  g_autoptr(NlSnapshot) snap = NULL;

  if (stats != NULL)
    nl_frame_stats_tick (stats, gdk_frame_clock_get_frame_time (clock), self->playing);

  /* Training flat out, one snapshot's pictures are spread over two frames: the network
   * view in the frame that takes it, the other views in the next. Redrawing all of them
   * in one frame can pass the 16.7 ms a frame has at 60 Hz on a machine whose other core
   * trains; half of them never does. The views are one frame (a few epochs) apart. */
  if (self->deferred != NULL)
    {
      g_autoptr(NlSnapshot) rest = g_steal_pointer (&self->deferred);

      apply_snapshot_rest (self, rest);
      return G_SOURCE_CONTINUE;
    }

  /* Flat out, a new picture every other frame at 60 Hz is as smooth to the eye and leaves
   * the worker (which makes the next picture only once this one is taken) and the frame
   * budget twice the room. */
  if (self->worker != NULL
      && (!self->playing || self->speed > 0
          || gdk_frame_clock_get_frame_time (clock) - self->last_pickup >= 30000))
    snap = nl_training_worker_take_snapshot (self->worker);
  if (snap != NULL)
    {
      self->last_pickup = gdk_frame_clock_get_frame_time (clock);
      apply_snapshot (self, snap);
      if (self->playing && self->speed <= 0 && snap->running)
        self->deferred = nl_snapshot_ref (snap);
      else
        apply_snapshot_rest (self, snap);
    }

  /* Paused and quiet for a while: let the frame clock rest. Not while the worker still
   * owes the picture of a command (a big network's takes seconds). */
  if (!self->playing && snap == NULL
      && g_get_monotonic_time () - self->last_command_time > G_USEC_PER_SEC
      && (self->worker == NULL
          || (self->snapshot != NULL
              && self->snapshot->command_serial >= nl_training_worker_get_last_serial (self->worker))))
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_ticking (NlWindow *self)
{
  self->last_command_time = g_get_monotonic_time ();
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
nl_window_ensure_ticking (NlWindow *self)
{
  ensure_ticking (self);
}

/* ------------------------------------------------------------------------------------ */
/* Editing the project                                                                  */

static guint
max_classes_for (NnGenerator g)
{
  switch (g)
    {
    case NN_GENERATOR_SPIRAL:
      return 4;
    case NN_GENERATOR_BLOBS:
    case NN_GENERATOR_POINTS:
    case NN_GENERATOR_CSV:
      return NN_MAX_CLASSES;
    default:
      return 2;
    }
}

/* Makes the combinations the engine refuses into the nearest ones it accepts. */
static void
fix_combinations (NnProject *p)
{
  NnDatasetSpec *d = &p->dataset;
  gboolean from_data = d->generator == NN_GENERATOR_POINTS || d->generator == NN_GENERATOR_CSV;

  if (!from_data)
    d->problem = nn_generator_problem (d->generator);
  p->problem = d->problem;

  if (p->problem == NN_PROBLEM_REGRESSION)
    {
      p->loss = NN_LOSS_MSE;
      if (p->arch.output_activation == NN_ACTIVATION_SOFTMAX)
        p->arch.output_activation = NN_ACTIVATION_IDENTITY;
    }
  else
    {
      d->classes = CLAMP (d->classes, NN_MIN_CLASSES, max_classes_for (d->generator));
      if (d->classes > 2)
        p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
      if (p->loss == NN_LOSS_CROSS_ENTROPY
          && p->arch.output_activation != NN_ACTIVATION_SIGMOID
          && p->arch.output_activation != NN_ACTIVATION_SOFTMAX)
        p->arch.output_activation = NN_ACTIVATION_SIGMOID;
    }
  p->batch_size = CLAMP (p->batch_size, 1, NN_MAX_POINTS);
}

gboolean
nl_window_commit_project (NlWindow *self, NnProject *next, ChangeKind kind)
{
  g_autoptr(NnProject) project = next;
  g_autoptr(GError) error = NULL;

  fix_combinations (project);
  nn_project_sync_shape (project);
  if (!nn_project_validate (project, &error))
    {
      nl_window_show_banner (self, error->message, FALSE);
      nl_window_sync_controls (self);
      return FALSE;
    }

  nn_project_free (self->project);
  self->project = g_steal_pointer (&project);

  if (self->worker != NULL)
    {
      switch (kind)
        {
        case CHANGE_STRUCTURE:
          nl_training_worker_set_project (self->worker, self->project);
          break;
        case CHANGE_OPTIMIZER:
          nl_training_worker_set_optimizer (self->worker, &self->project->optimizer);
          break;
        case CHANGE_TRAINING:
          nl_training_worker_set_training (self->worker, self->project->batch_size,
                                           self->project->shuffle,
                                           self->project->regularization,
                                           self->project->regularization_rate);
          break;
        case CHANGE_SEED:
          nl_training_worker_set_project (self->worker, self->project);
          self->run_command = nl_training_worker_reset (self->worker, self->project->seed);
          /* New points and new first weights; a class watching it train keeps watching. */
          if (self->playing)
            self->run_command = nl_training_worker_play (self->worker);
          update_play_button (self);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  nl_window_set_modified (self, TRUE);
  nl_window_sync_controls (self);
  ensure_ticking (self);
  return TRUE;
}

static NnProject *
edit (NlWindow *self)
{
  return nn_project_copy (self->project);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: training                                                                    */

static void
play_pause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (self->worker == NULL || nl_window_timeline_intercept (self, name))
    return;
  self->playing = !self->playing;
  self->run_command = self->playing ? nl_training_worker_play (self->worker)
                                    : nl_training_worker_pause (self->worker);
  if (self->playing)
    hide_banner (self);
  update_play_button (self);
  ensure_ticking (self);
}

static void
step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (self->worker == NULL || nl_window_timeline_intercept (self, name))
    return;
  self->playing = FALSE;
  self->run_command = g_str_equal (name, "win.step-epoch")
                        ? nl_training_worker_step_epoch (self->worker)
                        : nl_training_worker_step (self->worker);
  update_play_button (self);
  ensure_ticking (self);
}

static void
reset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (self->worker == NULL)
    return;
  self->playing = FALSE;
  self->run_command = nl_training_worker_reset (self->worker, self->project->seed);
  hide_banner (self);
  update_play_button (self);
  ensure_ticking (self);
}

/* The scale position nearest to a speed (on a log scale). */
static guint
speed_index (double speed)
{
  guint best = 0;

  if (speed <= 0)
    return N_SPEEDS - 1;
  for (guint i = 1; i + 1 < N_SPEEDS; i++)
    if (fabs (log (speeds[i] / speed)) < fabs (log (speeds[best] / speed)))
      best = i;
  return best;
}

static void
apply_speed (NlWindow *self, double speed)
{
  NlApplication *app = window_app (self);
  GSettings *settings = app != NULL ? nl_application_get_settings (app) : NULL;
  g_autofree char *label = NULL;

  self->speed = MAX (speed, 0);
  if (self->worker != NULL)
    nl_training_worker_set_speed (self->worker, self->speed);
  if (settings != NULL)
    g_settings_set_double (settings, "speed", self->speed);

  if (self->speed > 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%g step/s", "%g steps/s",
                                          (gulong) self->speed),
                             self->speed);
  else
    label = g_strdup (_("Max"));
  gtk_label_set_label (GTK_LABEL (self->speed_label), label);

  self->syncing = TRUE;
  gtk_adjustment_set_value (self->speed_adjustment, speed_index (self->speed));
  self->syncing = FALSE;
}

static void
set_speed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  apply_speed (NL_WINDOW (widget), g_variant_get_double (param));
}

static void
faster_slower_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  guint index = speed_index (self->speed);

  if (g_str_equal (name, "win.faster") && index + 1 < N_SPEEDS)
    index++;
  else if (g_str_equal (name, "win.slower") && index > 0)
    index--;
  apply_speed (self, speeds[index]);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: the network                                                                 */

static void
add_layer_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);
  NnArchitecture *a = &p->arch;
  guint n = a->n_hidden;

  if (n >= NN_MAX_HIDDEN_LAYERS)
    return;
  a->units[n] = n > 0 ? a->units[n - 1] : 4;
  a->activation[n] = n > 0 ? a->activation[n - 1] : NN_ACTIVATION_TANH;
  a->alpha[n] = n > 0 ? a->alpha[n - 1] : NN_DEFAULT_LEAKY_ALPHA;
  a->n_hidden = n + 1;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
remove_layer_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);

  if (p->arch.n_hidden == 0)
    return;
  p->arch.n_hidden--;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
neuron_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  guint layer = g_variant_get_uint32 (param);
  gboolean add = g_str_equal (name, "win.add-neuron");
  g_autoptr(NnProject) p = NULL;

  if (layer >= self->project->arch.n_hidden)
    return;
  if (add ? self->project->arch.units[layer] >= NN_MAX_UNITS
          : self->project->arch.units[layer] <= 1)
    return;

  p = edit (self);
  p->arch.units[layer] += add ? 1 : -1;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
set_activation_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);
  guint layer, activation;

  g_variant_get (param, "(uu)", &layer, &activation);
  if (activation >= NN_N_ACTIVATIONS || layer > p->arch.n_hidden)
    return;

  if (layer < p->arch.n_hidden)
    {
      if (activation == NN_ACTIVATION_SOFTMAX)
        return;
      p->arch.activation[layer] = activation;
    }
  else
    {
      if (activation == NN_ACTIVATION_SOFTMAX && p->problem == NN_PROBLEM_REGRESSION)
        {
          nl_window_show_banner (self, _("Softmax gives class probabilities: it needs a classification problem."), FALSE);
          nl_window_sync_controls (self);
          return;
        }
      if (p->problem == NN_PROBLEM_CLASSIFICATION && p->dataset.classes > 2
          && activation != NN_ACTIVATION_SOFTMAX)
        {
          nl_window_show_banner (self, _("With more than two classes the output layer needs softmax: one output per class."), FALSE);
          nl_window_sync_controls (self);
          return;
        }
      p->arch.output_activation = activation;
      /* Cross-entropy is only defined for sigmoid and softmax outputs. */
      if (p->loss == NN_LOSS_CROSS_ENTROPY && activation != NN_ACTIVATION_SIGMOID
          && activation != NN_ACTIVATION_SOFTMAX)
        p->loss = NN_LOSS_MSE;
    }
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
toggle_feature_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  guint index = g_variant_get_uint32 (param);
  g_autoptr(NnProject) p = NULL;
  guint bit;

  if (index >= NN_N_FEATURES)
    return;
  bit = nn_feature_nth (index);
  if (self->project->features == bit)
    {
      nl_window_show_banner (self, _("The network needs at least one input feature."), FALSE);
      return;
    }
  p = edit (self);
  p->features ^= bit;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
set_weight_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  guint layer, out, in;
  double value;

  g_variant_get (param, "(uuud)", &layer, &out, &in, &value);
  if (self->worker == NULL || !isfinite (value))
    return;
  nl_training_worker_set_weight (self->worker, layer, out, in, value);
  nl_window_set_modified (self, TRUE);
  ensure_ticking (self);
}

static void
set_bias_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  guint layer, out;
  double value;

  g_variant_get (param, "(uud)", &layer, &out, &value);
  if (self->worker == NULL || !isfinite (value))
    return;
  nl_training_worker_set_bias (self->worker, layer, out, value);
  nl_window_set_modified (self, TRUE);
  ensure_ticking (self);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: data                                                                        */

static void
set_problem_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = NULL;
  NnProblem problem;

  if (!nn_problem_from_string (g_variant_get_string (param, NULL), &problem)
      || problem == self->project->problem)
    return;

  p = edit (self);
  p->problem = problem;
  p->dataset.problem = problem;
  if (problem == NN_PROBLEM_REGRESSION)
    {
      if (nn_generator_problem (p->dataset.generator) != NN_PROBLEM_REGRESSION)
        p->dataset.generator = NN_GENERATOR_PLANE;
      p->loss = NN_LOSS_MSE;
      p->arch.output_activation = NN_ACTIVATION_IDENTITY;
    }
  else
    {
      if (nn_generator_is_regression (p->dataset.generator))
        p->dataset.generator = NN_GENERATOR_CIRCLE;
      p->dataset.classes = 2;
      p->arch.output_activation = NN_ACTIVATION_TANH;
    }
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
set_dataset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = NULL;
  NnGenerator generator;

  if (!nn_generator_from_string (g_variant_get_string (param, NULL), &generator)
      || generator == NN_GENERATOR_POINTS || generator == NN_GENERATOR_CSV)
    return;
  if (generator == self->project->dataset.generator)
    return;

  p = edit (self);
  g_clear_pointer (&p->dataset.points, g_array_unref);
  g_clear_pointer (&p->dataset.test_points, g_array_unref);
  g_clear_pointer (&p->dataset.path, g_free);
  if (nn_generator_problem (generator) != p->problem)
    {
      p->loss = NN_LOSS_MSE;
      p->arch.output_activation = nn_generator_is_regression (generator)
                                    ? NN_ACTIVATION_IDENTITY : NN_ACTIVATION_TANH;
    }
  p->dataset.generator = generator;
  if (generator == NN_GENERATOR_BLOBS && p->dataset.classes < 3)
    p->dataset.classes = 3;
  if (p->dataset.count < 20)
    p->dataset.count = 500;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
dataset_number_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);
  NnDatasetSpec *d = &p->dataset;

  if (g_str_equal (name, "win.set-noise"))
    d->noise = CLAMP (g_variant_get_double (param), 0.0, 1.0);
  else if (g_str_equal (name, "win.set-train-ratio"))
    d->train_ratio = CLAMP (g_variant_get_double (param), 0.1, 0.9);
  else if (g_str_equal (name, "win.set-classes"))
    {
      guint classes = g_variant_get_uint32 (param);

      d->classes = CLAMP (classes, NN_MIN_CLASSES, max_classes_for (d->generator));
      /* Two classes read best as one output unit again. */
      if (d->classes == 2 && self->project->dataset.classes > 2)
        p->arch.output_activation = p->loss == NN_LOSS_CROSS_ENTROPY ? NN_ACTIVATION_SIGMOID
                                                                     : NN_ACTIVATION_TANH;
    }
  else if (g_str_equal (name, "win.set-count"))
    d->count = CLAMP (g_variant_get_uint32 (param), 20, NN_MAX_POINTS);
  else
    g_assert_not_reached ();

  if (d->noise == self->project->dataset.noise
      && d->train_ratio == self->project->dataset.train_ratio
      && d->classes == self->project->dataset.classes
      && d->count == self->project->dataset.count)
    return;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
regenerate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);

  p->seed = g_random_int_range (1, G_MAXINT32);
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_SEED);
}

static void
set_seed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = NULL;
  guint seed = g_variant_get_uint32 (param);

  if (seed == self->project->seed)
    return;
  p = edit (self);
  p->seed = seed;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_SEED);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: training settings                                                           */

static void
set_loss_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = NULL;
  NnLoss loss;

  if (!nn_loss_from_string (g_variant_get_string (param, NULL), &loss)
      || loss == self->project->loss)
    return;

  if (loss == NN_LOSS_CROSS_ENTROPY && self->project->problem == NN_PROBLEM_REGRESSION)
    {
      nl_window_show_banner (self, _("Cross-entropy compares class probabilities: it needs a classification problem. Regression uses mean squared error."), FALSE);
      nl_window_sync_controls (self);
      return;
    }

  p = edit (self);
  p->loss = loss;
  /* Cross-entropy needs probabilities: sigmoid for one output, softmax for several. */
  if (loss == NN_LOSS_CROSS_ENTROPY && p->arch.output_activation != NN_ACTIVATION_SIGMOID
      && p->arch.output_activation != NN_ACTIVATION_SOFTMAX)
    p->arch.output_activation = p->dataset.classes > 2 ? NN_ACTIVATION_SOFTMAX
                                                       : NN_ACTIVATION_SIGMOID;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
set_optimizer_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = NULL;
  NnOptimizerKind kind;
  NnOptimizerConfig config;

  if (!nn_optimizer_kind_from_string (g_variant_get_string (param, NULL), &kind)
      || kind == self->project->optimizer.kind)
    return;

  p = edit (self);
  /* The new optimizer's own defaults, but the learning rate the class is working with. */
  nn_optimizer_config_init_defaults (&config, kind);
  config.learning_rate = p->optimizer.learning_rate;
  p->optimizer = config;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_OPTIMIZER);
}

static void
optimizer_number_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);
  double value = g_variant_get_double (param);
  double *field;

  if (g_str_equal (name, "win.set-learning-rate"))
    field = &p->optimizer.learning_rate;
  else if (g_str_equal (name, "win.set-momentum"))
    field = &p->optimizer.momentum;
  else if (g_str_equal (name, "win.set-rms-alpha"))
    field = &p->optimizer.alpha;
  else if (g_str_equal (name, "win.set-beta1"))
    field = &p->optimizer.beta1;
  else if (g_str_equal (name, "win.set-beta2"))
    field = &p->optimizer.beta2;
  else
    g_assert_not_reached ();

  if (!isfinite (value) || *field == value)
    return;
  *field = value;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_OPTIMIZER);
}

static void
training_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(NnProject) p = edit (self);

  if (g_str_equal (name, "win.set-batch-size"))
    p->batch_size = CLAMP (g_variant_get_uint32 (param), 1, NN_MAX_POINTS);
  else if (g_str_equal (name, "win.set-regularization"))
    {
      if (!nn_regularization_from_string (g_variant_get_string (param, NULL),
                                          &p->regularization))
        return;
      if (p->regularization != NN_REGULARIZATION_NONE && p->regularization_rate == 0)
        p->regularization_rate = 0.001;
    }
  else if (g_str_equal (name, "win.set-regularization-rate"))
    p->regularization_rate = MAX (g_variant_get_double (param), 0.0);
  else
    g_assert_not_reached ();

  if (p->batch_size == self->project->batch_size
      && p->regularization == self->project->regularization
      && p->regularization_rate == self->project->regularization_rate)
    return;
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_TRAINING);
}

/* ------------------------------------------------------------------------------------ */
/* Widgets → actions                                                                    */

static void
on_problem_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlWindow *self)
{
  if (self->syncing)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-problem", "s",
                              nn_problem_to_string (gtk_drop_down_get_selected (dropdown)));
}

static void
on_loss_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlWindow *self)
{
  if (self->syncing)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-loss", "s",
                              nn_loss_to_string (gtk_drop_down_get_selected (dropdown)));
}

static void
on_optimizer_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlWindow *self)
{
  if (self->syncing)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-optimizer", "s",
                              nn_optimizer_kind_to_string (gtk_drop_down_get_selected (dropdown)));
}

static void
on_regularization_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlWindow *self)
{
  if (self->syncing)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-regularization", "s",
                              nn_regularization_to_string (gtk_drop_down_get_selected (dropdown)));
}

static void
on_scale_changed (GtkRange *range, NlWindow *self)
{
  double value = gtk_range_get_value (range);

  if (self->syncing)
    return;
  if ((GtkWidget *) range == self->noise_scale)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-noise", "d", round (value) / 100.0);
  else if ((GtkWidget *) range == self->ratio_scale)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-train-ratio", "d",
                                round (value) / 100.0);
  else if ((GtkWidget *) range == self->speed_scale)
    {
      guint index = (guint) CLAMP (round (value), 0, N_SPEEDS - 1);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.set-speed", "d", speeds[index]);
    }
}

static void
on_spin_changed (GtkSpinButton *spin, NlWindow *self)
{
  GtkWidget *w = GTK_WIDGET (spin);
  double value = gtk_spin_button_get_value (spin);

  if (self->syncing)
    return;
  if (w == self->classes_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-classes", "u", (guint) value);
  else if (w == self->count_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-count", "u", (guint) value);
  else if (w == self->learning_rate_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-learning-rate", "d", value);
  else if (w == self->batch_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-batch-size", "u", (guint) value);
  else if (w == self->momentum_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-momentum", "d", value);
  else if (w == self->rms_alpha_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-rms-alpha", "d", value);
  else if (w == self->beta1_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-beta1", "d", value);
  else if (w == self->beta2_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-beta2", "d", value);
  else if (w == self->regularization_rate_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-regularization-rate", "d", value);
  else if (w == self->seed_spin)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-seed", "u", (guint) value);
}

/* ------------------------------------------------------------------------------------ */
/* Project → widgets                                                                    */

static void
set_spin (GtkWidget *spin, double value)
{
  if (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)) != value)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static void
set_dropdown (GtkWidget *dropdown, guint position)
{
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)) != position)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), position);
}

static void
show_row (GtkWidget *label, GtkWidget *control, gboolean visible)
{
  gtk_widget_set_visible (label, visible);
  gtk_widget_set_visible (control, visible);
}

void
nl_window_sync_controls (NlWindow *self)
{
  const NnProject *p = self->project;
  const NnDatasetSpec *d = &p->dataset;
  NnOptimizerKind kind = p->optimizer.kind;
  gboolean from_data = d->generator == NN_GENERATOR_POINTS || d->generator == NN_GENERATOR_CSV;
  guint max_classes = max_classes_for (d->generator);
  g_autofree char *noise = NULL;
  g_autofree char *ratio = NULL;
  g_autofree char *layers = NULL;

  self->syncing = TRUE;

  set_dropdown (self->problem_dropdown, p->problem);
  nl_dataset_picker_set_selection (NL_DATASET_PICKER (self->dataset_picker), p->problem,
                                   d->generator);
  gtk_range_set_value (GTK_RANGE (self->noise_scale), round (d->noise * 100));
  noise = g_strdup_printf ("%.0f %%", d->noise * 100);
  gtk_label_set_label (GTK_LABEL (self->noise_value_label), noise);
  gtk_range_set_value (GTK_RANGE (self->ratio_scale), round (d->train_ratio * 100));
  ratio = g_strdup_printf ("%.0f %%", d->train_ratio * 100);
  gtk_label_set_label (GTK_LABEL (self->ratio_value_label), ratio);
  gtk_widget_set_sensitive (self->noise_scale, !from_data);
  gtk_widget_set_sensitive (self->ratio_scale, d->generator != NN_GENERATOR_POINTS);

  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->classes_spin), NN_MIN_CLASSES,
                             MAX (max_classes, NN_MIN_CLASSES));
  set_spin (self->classes_spin, d->classes);
  show_row (self->classes_label, self->classes_spin,
            p->problem == NN_PROBLEM_CLASSIFICATION && max_classes > 2 && !from_data);
  set_spin (self->count_spin, d->count);
  gtk_widget_set_sensitive (self->count_spin, !from_data);

  set_dropdown (self->loss_dropdown, p->loss);
  set_dropdown (self->optimizer_dropdown, kind);
  set_spin (self->learning_rate_spin, p->optimizer.learning_rate);
  set_spin (self->batch_spin, p->batch_size);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->batch_spin), 1, MAX (d->count, 1));
  show_row (self->batch_label, self->batch_spin, kind != NN_OPTIMIZER_GD);
  set_spin (self->momentum_spin, p->optimizer.momentum);
  show_row (self->momentum_label, self->momentum_spin, kind == NN_OPTIMIZER_MOMENTUM);
  set_spin (self->rms_alpha_spin, p->optimizer.alpha);
  show_row (self->rms_alpha_label, self->rms_alpha_spin, kind == NN_OPTIMIZER_RMSPROP);
  set_spin (self->beta1_spin, p->optimizer.beta1);
  set_spin (self->beta2_spin, p->optimizer.beta2);
  show_row (self->beta1_label, self->beta1_spin, kind == NN_OPTIMIZER_ADAM);
  show_row (self->beta2_label, self->beta2_spin, kind == NN_OPTIMIZER_ADAM);
  set_dropdown (self->regularization_dropdown, p->regularization);
  set_spin (self->regularization_rate_spin, p->regularization_rate);
  gtk_widget_set_sensitive (self->regularization_rate_box,
                            p->regularization != NN_REGULARIZATION_NONE);
  gtk_widget_set_sensitive (self->regularization_rate_label,
                            p->regularization != NN_REGULARIZATION_NONE);
  set_spin (self->seed_spin, p->seed);

  layers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hidden layer", "%u hidden layers",
                                         p->arch.n_hidden),
                            p->arch.n_hidden);
  gtk_label_set_label (GTK_LABEL (self->layers_label), layers);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-layer",
                                 p->arch.n_hidden < NN_MAX_HIDDEN_LAYERS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-layer", p->arch.n_hidden > 0);

  self->syncing = FALSE;
  nl_window_classroom_sync (self);
}

/* ------------------------------------------------------------------------------------ */
/* Keys                                                                                  */

/* Space and the step keys work whatever has the focus, except where they type or move. */
static gboolean
on_transport_key (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  const char *action = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  for (GtkWidget *w = focus; w != NULL && w != widget; w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_EDITABLE (w))
        return FALSE;
      if (!g_str_equal (action, "win.play-pause") && GTK_IS_RANGE (w))
        return FALSE;
    }
  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL
      && !g_str_equal (action, "win.play-pause"))
    return FALSE;

  return gtk_widget_activate_action (widget, action, NULL);
}

static void
add_transport_shortcuts (NlWindow *self)
{
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_space,  0, "win.play-pause" },
    { GDK_KEY_Right,  0, "win.step" },
    { GDK_KEY_period, 0, "win.step" },
    { GDK_KEY_Right,  GDK_SHIFT_MASK, "win.step-epoch" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                        gtk_callback_action_new (on_transport_key, (gpointer) keys[i].action,
                                                 NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ------------------------------------------------------------------------------------ */
/* Examples menu                                                                         */

static int
compare_examples (gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;

  /* The default first, then by name. */
  if (g_str_equal (x, "default.nlab"))
    return -1;
  if (g_str_equal (y, "default.nlab"))
    return 1;
  return g_strcmp0 (x, y);
}

static void
fill_examples_menu (NlWindow *self)
{
  g_auto(GStrv) names = g_resources_enumerate_children ("/org/neurallab/NeuralLab/examples/",
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  if (names == NULL)
    return;
  qsort (names, g_strv_length (names), sizeof (char *), compare_examples);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *base = NULL;
      g_autoptr(GMenuItem) item = NULL;
      const char *title;

      if (!g_str_has_suffix (names[i], ".nlab"))
        continue;
      base = g_strndup (names[i], strlen (names[i]) - strlen (".nlab"));
      title = nl_names_example (base);
      item = g_menu_item_new (title != NULL ? title : base, NULL);
      g_menu_item_set_action_and_target (item, "app.open-example", "s", base);
      g_menu_append_item (self->examples_menu, item);
    }
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

static gboolean
nl_window_close_request (GtkWindow *window)
{
  NlWindow *self = NL_WINDOW (window);
  NlApplication *app = window_app (self);
  GSettings *settings = app != NULL ? nl_application_get_settings (app) : NULL;
  NlFrameStats *stats = app != NULL ? nl_application_get_frame_stats (app) : NULL;

  if (nl_window_confirm_close (self))
    return TRUE;

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
    }

  if (self->worker != NULL)
    {
      nl_training_worker_quit (self->worker);
      if (stats != NULL)
        nl_frame_stats_add_throughput (stats,
                                       nl_training_worker_get_samples_per_second (self->worker),
                                       nl_training_worker_get_samples_per_cpu_second (self->worker));
    }

  return GTK_WINDOW_CLASS (nl_window_parent_class)->close_request (window);
}

static void
nl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NlWindow *self = NL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_TEST_DATA:
      g_value_set_boolean (value, self->show_test_data);
      break;
    case PROP_DISCRETIZE_OUTPUT:
      g_value_set_boolean (value, self->discretize_output);
      break;
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->log_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NlWindow *self = NL_WINDOW (object);
  gboolean b = g_value_get_boolean (value);

  switch (prop_id)
    {
    case PROP_SHOW_TEST_DATA:
      if (self->show_test_data == b)
        return;
      self->show_test_data = b;
      nl_boundary_view_set_show_test (NL_BOUNDARY_VIEW (self->boundary_view), b);
      break;
    case PROP_DISCRETIZE_OUTPUT:
      if (self->discretize_output == b)
        return;
      self->discretize_output = b;
      nl_boundary_view_set_discretize (NL_BOUNDARY_VIEW (self->boundary_view), b);
      break;
    case PROP_LOG_SCALE:
      if (self->log_scale == b)
        return;
      self->log_scale = b;
      nl_loss_view_set_log_scale (NL_LOSS_VIEW (self->loss_view), b);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

/* What the window takes from the application: remembered size and view options, speed,
 * style. (Not in constructed(): GtkWindow:application is set after it runs.) */
static void
setup_from_application (NlWindow *self)
{
  NlApplication *app = window_app (self);
  GSettings *settings = app != NULL ? nl_application_get_settings (app) : NULL;

  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind (settings, "show-test-data", self, "show-test-data", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "discretize-output", self, "discretize-output",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "log-scale", self, "log-scale", G_SETTINGS_BIND_DEFAULT);
      apply_speed (self, g_settings_get_double (settings, "speed"));
    }
  else
    apply_speed (self, 0);

  if (app != NULL)
    nl_window_set_dark (self, nl_application_get_dark (app));
}

static void
nl_window_dispose (GObject *object)
{
  NlWindow *self = NL_WINDOW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->worker != NULL)
    nl_training_worker_quit (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  g_clear_pointer (&self->deferred, nl_snapshot_unref);

  nl_window_dispose_insight (self);
  nl_window_dispose_classroom (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NL_TYPE_WINDOW);

  G_OBJECT_CLASS (nl_window_parent_class)->dispose (object);
}

static void
nl_window_finalize (GObject *object)
{
  NlWindow *self = NL_WINDOW (object);

  g_clear_pointer (&self->project, nn_project_free);
  g_clear_object (&self->file);
  g_clear_pointer (&self->example_title, g_free);

  G_OBJECT_CLASS (nl_window_parent_class)->finalize (object);
}

static void
nl_window_class_init (NlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = nl_window_dispose;
  object_class->finalize = nl_window_finalize;
  object_class->get_property = nl_window_get_property;
  object_class->set_property = nl_window_set_property;
  window_class->close_request = nl_window_close_request;
  widget_class->realize = nl_window_realize;

  properties[PROP_SHOW_TEST_DATA] =
    g_param_spec_boolean ("show-test-data", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISCRETIZE_OUTPUT] =
    g_param_spec_boolean ("discretize-output", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NL_TYPE_NETWORK_VIEW);
  g_type_ensure (NL_TYPE_BOUNDARY_VIEW);
  g_type_ensure (NL_TYPE_LOSS_VIEW);
  g_type_ensure (NL_TYPE_DATASET_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/neurallab/NeuralLab/nl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, play_image);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, epoch_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, speed_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, speed_scale);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, examples_menu);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, network_hint);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, banner_reset_button);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, banner_close_button);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, problem_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, dataset_picker);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, noise_scale);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, noise_value_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, ratio_scale);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, ratio_value_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, classes_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, classes_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, count_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, loss_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, optimizer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, learning_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, batch_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, momentum_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, momentum_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, rms_alpha_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, rms_alpha_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, beta1_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, beta1_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, beta2_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, beta2_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, regularization_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, regularization_rate_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, regularization_rate_box);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, regularization_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, layers_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, network_view);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, boundary_view);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, loss_view);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, accuracy_caption);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, train_loss_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, test_loss_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, NlWindow, throughput_label);

  /* Training */
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.step-epoch", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.set-speed", "d", set_speed_action);
  gtk_widget_class_install_action (widget_class, "win.faster", NULL, faster_slower_action);
  gtk_widget_class_install_action (widget_class, "win.slower", NULL, faster_slower_action);
  /* The network */
  gtk_widget_class_install_action (widget_class, "win.add-layer", NULL, add_layer_action);
  gtk_widget_class_install_action (widget_class, "win.remove-layer", NULL, remove_layer_action);
  gtk_widget_class_install_action (widget_class, "win.add-neuron", "u", neuron_action);
  gtk_widget_class_install_action (widget_class, "win.remove-neuron", "u", neuron_action);
  gtk_widget_class_install_action (widget_class, "win.set-activation", "(uu)", set_activation_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-feature", "u", toggle_feature_action);
  gtk_widget_class_install_action (widget_class, "win.set-weight", "(uuud)", set_weight_action);
  gtk_widget_class_install_action (widget_class, "win.set-bias", "(uud)", set_bias_action);
  /* Data */
  gtk_widget_class_install_action (widget_class, "win.set-problem", "s", set_problem_action);
  gtk_widget_class_install_action (widget_class, "win.set-dataset", "s", set_dataset_action);
  gtk_widget_class_install_action (widget_class, "win.set-noise", "d", dataset_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-train-ratio", "d", dataset_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-classes", "u", dataset_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-count", "u", dataset_number_action);
  gtk_widget_class_install_action (widget_class, "win.regenerate", NULL, regenerate_action);
  gtk_widget_class_install_action (widget_class, "win.set-seed", "u", set_seed_action);
  /* Training settings */
  gtk_widget_class_install_action (widget_class, "win.set-loss", "s", set_loss_action);
  gtk_widget_class_install_action (widget_class, "win.set-optimizer", "s", set_optimizer_action);
  gtk_widget_class_install_action (widget_class, "win.set-learning-rate", "d", optimizer_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-momentum", "d", optimizer_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-rms-alpha", "d", optimizer_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-beta1", "d", optimizer_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-beta2", "d", optimizer_number_action);
  gtk_widget_class_install_action (widget_class, "win.set-batch-size", "u", training_action);
  gtk_widget_class_install_action (widget_class, "win.set-regularization", "s", training_action);
  gtk_widget_class_install_action (widget_class, "win.set-regularization-rate", "d", training_action);
  /* View options */
  gtk_widget_class_install_property_action (widget_class, "win.show-test-data", "show-test-data");
  gtk_widget_class_install_property_action (widget_class, "win.discretize-output", "discretize-output");
  gtk_widget_class_install_property_action (widget_class, "win.log-scale", "log-scale");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.regenerate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, GDK_CONTROL_MASK, "win.add-layer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, GDK_CONTROL_MASK, "win.remove-layer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_CONTROL_MASK, "win.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_CONTROL_MASK, "win.slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.show-test-data", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.discretize-output", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.log-scale", NULL);

  nl_window_class_init_autosave (klass);
  nl_window_class_init_insight (klass);
  nl_window_class_init_classroom (klass);
  nl_window_class_init_compare (klass);
}

/* The hint under the network says what a click does: while the compare window picks its
 * plane's weights, a click on a link picks instead of editing. */
static void
on_picking_changed (NlNetworkView *view, GParamSpec *pspec, NlWindow *self)
{
  gtk_label_set_label (GTK_LABEL (self->network_hint),
                       nl_network_view_get_picking (view)
                         ? _("Click a link to pick it for the comparison’s plane (Esc stops).")
                         : _("Click features, links and biases to change them."));
}

static void
nl_window_init (NlWindow *self)
{
  /* Before the template: its check buttons read the property actions' state now. */
  self->show_test_data = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->project = nn_project_new_default ();
  nn_project_set_weights (self->project, NULL, 0);

  g_signal_connect (self->banner_close_button, "clicked", G_CALLBACK (on_banner_close), self);
  g_signal_connect (self->problem_dropdown, "notify::selected", G_CALLBACK (on_problem_selected), self);
  g_signal_connect (self->loss_dropdown, "notify::selected", G_CALLBACK (on_loss_selected), self);
  g_signal_connect (self->optimizer_dropdown, "notify::selected", G_CALLBACK (on_optimizer_selected), self);
  g_signal_connect (self->regularization_dropdown, "notify::selected",
                    G_CALLBACK (on_regularization_selected), self);
  g_signal_connect (self->noise_scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  g_signal_connect (self->ratio_scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  g_signal_connect (self->speed_scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  g_signal_connect (self->network_view, "notify::picking", G_CALLBACK (on_picking_changed), self);

  {
    GtkWidget *spins[] = {
      self->classes_spin, self->count_spin, self->learning_rate_spin, self->batch_spin,
      self->momentum_spin, self->rms_alpha_spin, self->beta1_spin, self->beta2_spin,
      self->regularization_rate_spin, self->seed_spin,
    };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      g_signal_connect (spins[i], "value-changed", G_CALLBACK (on_spin_changed), self);
  }

  add_transport_shortcuts (self);
  fill_examples_menu (self);
  update_play_button (self);
  update_title (self);
  nl_window_sync_controls (self);
  nl_window_init_autosave (self);
  nl_window_init_insight (self);
  nl_window_init_classroom (self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

NlWindow *
nl_window_new (NlApplication *application)
{
  NlWindow *self = g_object_new (NL_TYPE_WINDOW, "application", application, NULL);

  setup_from_application (self);
  return self;
}

gboolean
nl_window_load_project (NlWindow    *self,
                        NnProject   *project,
                        GFile       *file,
                        const char  *title,
                        GError     **error)
{
  g_autoptr(NnProject) owned = project;
  NlTrainingWorker *worker;
  NlApplication *app;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (project != NULL, FALSE);

  nn_project_sync_shape (owned);
  worker = nl_training_worker_new (owned, error);
  if (worker == NULL)
    return FALSE;

  if (self->worker != NULL)
    nl_training_worker_quit (self->worker);
  g_clear_object (&self->worker);
  self->worker = worker;

  nn_project_set_weights (owned, NULL, 0);
  nn_project_free (self->project);
  self->project = g_steal_pointer (&owned);
  g_set_object (&self->file, file);
  g_free (self->example_title);
  self->example_title = g_strdup (title);
  self->modified = FALSE;
  self->playing = FALSE;
  self->run_command = 0;
  self->seen_error_serial = 0;
  self->diverged_shown = FALSE;
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  g_clear_pointer (&self->deferred, nl_snapshot_unref);

  nl_training_worker_set_speed (self->worker, self->speed);
  hide_banner (self);
  update_title (self);
  nl_window_autosave_update (self);
  update_play_button (self);
  nl_window_sync_controls (self);
  ensure_ticking (self);

  app = window_app (self);
  if (app != NULL && nl_application_get_autoplay (app))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.play-pause", NULL);

  return TRUE;
}

gboolean
nl_window_open_file (NlWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  NnProject *project;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only files on this computer can be opened."));
      return FALSE;
    }
  project = nn_project_load (path, error);
  if (project == NULL)
    return FALSE;
  return nl_window_load_project (self, project, file, NULL, error);
}

gboolean
nl_window_save_to_file (NlWindow *self, GFile *file, GError **error)
{
  g_autoptr(NnProject) copy = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only files on this computer can be written."));
      return FALSE;
    }

  copy = nn_project_copy (self->project);
  /* The trained weights, when the last snapshot has the network the project describes. */
  if (self->snapshot != NULL && nn_architecture_equal (&self->snapshot->net.arch, &copy->arch))
    nn_project_set_weights (copy, self->snapshot->net.params, self->snapshot->net.n_params);

  if (!nn_project_save (copy, path, error))
    return FALSE;

  g_set_object (&self->file, file);
  g_clear_pointer (&self->example_title, g_free);
  self->modified = FALSE;
  update_title (self);
  nl_window_autosave_update (self);
  return TRUE;
}

GFile *
nl_window_get_file (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  return self->file;
}

void
nl_window_set_dark (NlWindow *self, gboolean dark)
{
  g_return_if_fail (NL_IS_WINDOW (self));

  self->dark = dark;
  nl_network_view_set_dark (NL_NETWORK_VIEW (self->network_view), dark);
  nl_boundary_view_set_dark (NL_BOUNDARY_VIEW (self->boundary_view), dark);
  nl_loss_view_set_dark (NL_LOSS_VIEW (self->loss_view), dark);
  nl_dataset_picker_set_dark (NL_DATASET_PICKER (self->dataset_picker), dark);
  nl_window_insight_set_dark (self, dark);
  nl_window_classroom_set_dark (self, dark);
}

const NnProject *
nl_window_get_project (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  return self->project;
}

NlSnapshot *
nl_window_get_snapshot (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  return self->snapshot;
}

NlTrainingWorker *
nl_window_get_worker (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  return self->worker;
}
