/* nl-compare-window.c: optimizers racing on a loss surface, side by side.
 *
 * The window keeps one list of optimizer settings per source (textbook, network, model)
 * and the thing they race on: an NnRace for the two-parameter surfaces, stepped on the UI
 * thread from the tick callback (a step of five runners costs microseconds), or the
 * network's recorded runs and their projection onto a plane, which the tick callback
 * reveals step by step. Everything slow is a job of nl-compare-jobs.c in a worker thread;
 * the network's pipeline (train the runs → plane, projection and loss grid) runs one job
 * at a time and hands the landscape back and forth, so no two threads ever touch it.
 */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-compare-window-private.h"
#include "nl-application.h"
#include "nl-names.h"
#include "nl-surface-view.h"

/* Steps shown per frame, by the speed scale's position. */
static const double speeds[] = { 0.25, 0.5, 1, 2, 5, 10, 20, 50, 200 };

enum {
  PROP_0,
  PROP_BUSY,
  PROP_PROGRESS,
  PROP_VIEW_3D,
  PROP_PICKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (NlCompareWindow, nl_compare_window, GTK_TYPE_WINDOW)

/* ------------------------------------------------------------------------------------ */
/* Names: the engine's English descriptions, translated here by name                      */

static const char *
surface_title (NnSurfaceKind kind)
{
  switch (kind)
    {
    case NN_SURFACE_BOWL:       return _("Bowl");
    case NN_SURFACE_RAVINE:     return _("Ravine");
    case NN_SURFACE_ROSENBROCK: return _("Rosenbrock's banana valley");
    case NN_SURFACE_BEALE:      return _("Beale's function");
    case NN_SURFACE_HIMMELBLAU: return _("Himmelblau's function");
    case NN_SURFACE_SADDLE:     return _("Saddle");
    case NN_SURFACE_TWO_MINIMA: return _("Two minima");
    case NN_SURFACE_LOGISTIC:   return _("Logistic regression through the origin");
    case NN_SURFACE_LINE:       return _("One neuron, y = w·x₁ + b");
    case NN_N_SURFACES:
    default:                    return "?";
    }
}

static const char *
surface_description (NnSurfaceKind kind)
{
  switch (kind)
    {
    case NN_SURFACE_BOWL:
      return _("A round convex bowl, x² + y². Every optimizer reaches its one minimum; only the "
               "step size decides how fast.");
    case NN_SURFACE_RAVINE:
      return _("A long, narrow valley, ½(x² + κy²): the walls are κ times steeper than the "
               "floor. Plain gradient descent zig-zags from wall to wall and crawls along the "
               "floor.");
    case NN_SURFACE_ROSENBROCK:
      return _("Rosenbrock's banana valley, (1 − x)² + 100(y − x²)². Falling into the valley "
               "is easy; following its curved floor to the minimum at (1, 1) is slow.");
    case NN_SURFACE_BEALE:
      return _("Beale's function: flat plateaus and steep walls around the minimum at (3, 0.5). "
               "The gradient's size changes by orders of magnitude from place to place.");
    case NN_SURFACE_HIMMELBLAU:
      return _("Himmelblau's function has four minima of equal depth: which one an optimizer "
               "reaches depends on where it starts and on how it moves.");
    case NN_SURFACE_SADDLE:
      return _("A saddle, x² − y²: uphill along x, downhill along y, without a minimum. Near "
               "the saddle point the gradient almost vanishes, so optimizers slow down before "
               "they slide off.");
    case NN_SURFACE_TWO_MINIMA:
      return _("A tilted double well, (x² − 1)² + 0.5x + y²: a shallow local minimum on the "
               "right and the global one on the left, behind a ridge. Plain descent stays in "
               "the first valley it finds; momentum or noise can carry it over the ridge.");
    case NN_SURFACE_LOGISTIC:
      return _("Logistic regression through the origin on your training data: p = σ(w₁·x₁ + "
               "w₂·x₂), mean cross-entropy. It has exactly two parameters, so this is the true "
               "loss surface, and SGD's noise comes from real mini-batches.");
    case NN_SURFACE_LINE:
      return _("One neuron y = w·x₁ + b fitted to your training data by mean squared error. It "
               "has exactly two parameters, so this is the true loss surface, and SGD's noise "
               "comes from real mini-batches.");
    case NN_N_SURFACES:
    default:
      return "";
    }
}

static const char *
preset_title (NnRacePreset preset)
{
  switch (preset)
    {
    case NN_RACE_PRESET_LOCAL_MINIMUM: return _("Lesson: stuck in a local minimum");
    case NN_RACE_PRESET_RAVINE:        return _("Lesson: zig-zag down a ravine");
    case NN_RACE_PRESET_DIVERGENCE:    return _("Lesson: too large a learning rate");
    case NN_N_RACE_PRESETS:
    default:                           return "";
    }
}

static const char *
preset_description (NnRacePreset preset)
{
  switch (preset)
    {
    case NN_RACE_PRESET_LOCAL_MINIMUM:
      return _("Gradient descent settles in the first valley it meets, a local minimum. "
               "Momentum keeps enough speed to roll over the ridge into the deeper, global "
               "minimum, and SGD's noise kicks it over too. Noise is chance: with other seeds "
               "SGD may cross later, or hop back.");
    case NN_RACE_PRESET_RAVINE:
      return _("In a narrow ravine the gradient points mostly across the valley: gradient "
               "descent zig-zags from wall to wall and crawls along the floor. Adam scales each "
               "direction by its own gradient size and heads straight down the valley.");
    case NN_RACE_PRESET_DIVERGENCE:
      return _("The same gradient descent with three learning rates on a bowl: a small one "
               "creeps in, one near the limit overshoots back and forth but still converges, "
               "and one past the limit (η > 1 here) is thrown further out at every step until "
               "it leaves the plot.");
    case NN_N_RACE_PRESETS:
    default:
      return "";
    }
}

static const char *
plane_title (NnPlaneKind kind)
{
  switch (kind)
    {
    case NN_PLANE_RANDOM:  return _("Your network's loss on a random, filter-normalised plane");
    case NN_PLANE_WEIGHTS: return _("Your network's loss over two of its weights");
    case NN_PLANE_PCA:
    case NN_PLANE_CUSTOM:
    default:               return _("Your network's loss on the runs' principal plane");
    }
}

static const char *
plane_description (NnPlaneKind kind)
{
  switch (kind)
    {
    case NN_PLANE_RANDOM:
      return _("Two random directions around the final weights, each neuron's part scaled to "
               "that neuron's weights (Li et al. 2018). The runs mostly leave this plane: hover "
               "a point to see how far.");
    case NN_PLANE_WEIGHTS:
      return _("Every other weight stays at its final value: the loss as these two weights "
               "alone change. Pick them below, or click their links in the main window's "
               "network.");
    case NN_PLANE_PCA:
    case NN_PLANE_CUSTOM:
    default:
      return _("The two directions in which the recorded runs spread most, through the first "
               "run's final weights (Li et al. 2018).");
    }
}

/* ------------------------------------------------------------------------------------ */
/* Jobs: progress, start and end                                                          */

const NnProject *
nl_compare_main_project (NlCompareWindow *self)
{
  return self->main_window != NULL ? nl_window_get_project (self->main_window) : NULL;
}

void
nl_compare_show_status (NlCompareWindow *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text != NULL ? text : "");
  gtk_widget_set_visible (self->status_label, text != NULL && *text != '\0');
}

void
nl_compare_update_actions (NlCompareWindow *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean busy = self->job != JOB_NONE;
  gboolean race = self->source != NL_COMPARE_NETWORK && self->race != NULL;

  gtk_widget_action_set_enabled (w, "compare.fair-race",
                                 race && !busy && nn_race_get_n_runners (self->race) > 0);
  gtk_widget_action_set_enabled (w, "compare.cancel", busy || self->grid_cancellable != NULL);
  gtk_widget_action_set_enabled (w, "compare.train",
                                 self->source == NL_COMPARE_NETWORK && self->main_window != NULL);
  gtk_widget_action_set_enabled (w, "compare.export-csv",
                                 race || (self->landscape != NULL && self->plane != NULL));
  gtk_widget_action_set_enabled (w, "compare.add-runner",
                                 nl_compare_current_specs (self)->len < MAX_RUNNERS);
}

void
nl_compare_start_job (NlCompareWindow *self, JobKind kind, const char *text)
{
  g_assert (self->job == JOB_NONE);

  self->job = kind;
  g_clear_object (&self->job_cancellable);
  self->job_cancellable = g_cancellable_new ();
  self->progress = 0;
  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
  nl_compare_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

void
nl_compare_end_job (NlCompareWindow *self)
{
  self->job = JOB_NONE;
  g_clear_object (&self->job_cancellable);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), FALSE);
  nl_compare_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
nl_compare_on_job_progress (double fraction, gpointer data)
{
  NlCompareWindow *self = data;

  if (self->disposed || self->job == JOB_NONE)
    return;
  self->progress = fraction;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), fraction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  nl_compare_update_views (self);
}

gboolean
nl_compare_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------------------------------------------ */
/* Textbook and model: the race and its surface's grid                                    */

static void
on_grid_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlCompareWindow *self = data;
  g_autoptr(GError) error = NULL;
  double *values = nl_job_surface_grid_finish (result, &error);

  if (self->disposed || values == NULL
      || g_task_get_cancellable (G_TASK (result)) != self->grid_cancellable)
    {
      g_free (values);
      g_object_unref (self);
      return;
    }
  g_free (self->grid);
  self->grid = values;
  self->grid_serial++;
  g_clear_object (&self->grid_cancellable);
  nl_compare_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  nl_compare_update_views (self);
  g_object_unref (self);
}

static void
start_surface_grid (NlCompareWindow *self)
{
  NnSurface *surface = nn_race_get_surface (self->race);

  if (self->grid_cancellable != NULL)
    g_cancellable_cancel (self->grid_cancellable);
  g_clear_object (&self->grid_cancellable);
  g_clear_pointer (&self->grid, g_free);
  self->grid_cancellable = g_cancellable_new ();
  nn_surface_get_view_box (surface, &self->grid_box);
  self->grid_res = nn_surface_kind_is_data (nn_surface_get_kind (surface)) ? MODEL_RES
                                                                           : TEXTBOOK_RES;
  self->grid_serial++;
  nl_job_surface_grid (surface, &self->grid_box, self->grid_res, self->grid_cancellable,
                       on_grid_done, g_object_ref (self));
  nl_compare_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The race's runners from the enabled settings, back at the start. */
static void
rebuild_race_runners (NlCompareWindow *self)
{
  GPtrArray *specs = nl_compare_current_specs (self);

  if (self->race == NULL)
    return;
  nn_race_remove_runners (self->race);
  for (guint i = 0; i < specs->len; i++)
    {
      RunnerSpec *spec = g_ptr_array_index (specs, i);
      g_autofree char *label = NULL;
      g_autoptr(GError) error = NULL;

      if (!spec->enabled)
        continue;
      label = nl_compare_file_label (specs, spec);
      if (nn_race_add_runner (self->race, &spec->cfg, label, &error) < 0)
        {
          /* The row is switched off rather than racing with settings the engine refused. */
          nl_compare_show_status (self, error->message);
          spec->enabled = FALSE;
        }
    }
  nn_race_reset (self->race);
  self->step_accumulator = 0;
}

/* A runner's settings changed: the race restarts, or the network's runs train again. */
void
nl_compare_runners_changed (NlCompareWindow *self)
{
  if (self->job == JOB_SWEEP && self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  if (self->source == NL_COMPARE_NETWORK)
    nl_compare_schedule_network (self, PENDING_TRAIN, FALSE);
  else
    rebuild_race_runners (self);
  nl_compare_update_actions (self);
  nl_compare_update_views (self);
}

static void
set_race (NlCompareWindow *self, NnRace *race)
{
  g_clear_pointer (&self->race, nn_race_free);
  g_clear_pointer (&self->race_error, g_free);
  self->race = race;
  if (race == NULL)
    {
      if (self->grid_cancellable != NULL)
        g_cancellable_cancel (self->grid_cancellable);
      g_clear_object (&self->grid_cancellable);
      g_clear_pointer (&self->grid, g_free);
      return;
    }
  rebuild_race_runners (self);
  start_surface_grid (self);
}

static NnSurface *
textbook_surface (NlCompareWindow *self)
{
  if (self->textbook_kind == NN_SURFACE_RAVINE)
    {
      NnSurface *s = nn_surface_new_ravine (self->kappa, NULL);
      if (s != NULL)
        return s;
    }
  return nn_surface_new (self->textbook_kind);
}

/* Default settings for the surface, keeping which kinds were switched off. */
static void
reset_specs_keeping_choice (NlCompareWindow *self, NlCompareSource source, NnSurface *surface)
{
  gboolean off[NN_N_OPTIMIZERS] = { FALSE };
  GPtrArray *specs = self->specs[source];

  for (guint i = 0; i < specs->len; i++)
    {
      RunnerSpec *spec = g_ptr_array_index (specs, i);
      if (!spec->enabled)
        off[spec->cfg.optimizer.kind] = TRUE;
    }
  nl_compare_default_specs (self, source, surface);
  for (guint i = 0; i < specs->len; i++)
    {
      RunnerSpec *spec = g_ptr_array_index (specs, i);
      spec->enabled = !off[spec->cfg.optimizer.kind];
    }
}

static void
load_textbook (NlCompareWindow *self, gboolean new_settings)
{
  g_autoptr(NnSurface) surface = textbook_surface (self);
  NnRace *race;

  if (self->preset >= 0)
    {
      /* The lesson's seed and start, with the runners as they are set now. */
      race = nn_race_new_preset (self->preset);
    }
  else
    {
      race = nn_race_new (surface, 1);
      if (new_settings)
        reset_specs_keeping_choice (self, NL_COMPARE_TEXTBOOK, surface);
    }
  set_race (self, race);
}

static void
load_model (NlCompareWindow *self)
{
  const NnProject *project = nl_compare_main_project (self);
  g_autoptr(NnSurface) surface = NULL;
  g_autoptr(GError) error = NULL;

  if (project == NULL)
    {
      set_race (self, NULL);
      self->race_error = g_strdup (_("The main window was closed: there is no data to fit."));
      return;
    }
  surface = nn_surface_new_for_project (self->model_kind, project, &error);
  if (surface == NULL)
    {
      set_race (self, NULL);
      self->race_error = g_strdup_printf (_("This model does not fit the project's data: %s"),
                                          error->message);
      return;
    }
  reset_specs_keeping_choice (self, NL_COMPARE_MODEL, surface);
  set_race (self, nn_race_new (surface, project->seed));
}

/* ------------------------------------------------------------------------------------ */
/* The scene                                                                             */

static const char *
pretty_axis (const char *name)
{
  if (g_strcmp0 (name, "w1") == 0)
    return "w₁";
  if (g_strcmp0 (name, "w2") == 0)
    return "w₂";
  return name;
}

char *
nl_compare_weight_name (NlCompareWindow *self, gboolean second)
{
  GtkWidget *layer = second ? self->weight_b_layer : self->weight_a_layer;
  GtkWidget *out = second ? self->weight_b_out : self->weight_a_out;
  GtkWidget *in = second ? self->weight_b_in : self->weight_a_in;
  GListModel *in_model = gtk_drop_down_get_model (GTK_DROP_DOWN (in));
  GtkStringObject *layer_item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (layer));
  GtkStringObject *in_item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (in));
  guint n_in = in_model != NULL ? g_list_model_get_n_items (in_model) : 0;

  if (layer_item == NULL || in_item == NULL)
    return g_strdup ("?");
  if (nl_compare_selected (in) + 1 == n_in)
    return g_strdup_printf (_("%s: bias of %u"), gtk_string_object_get_string (layer_item),
                            nl_compare_selected (out) + 1);
  return g_strdup_printf (_("%s: %s → %u"), gtk_string_object_get_string (layer_item),
                          gtk_string_object_get_string (in_item), nl_compare_selected (out) + 1);
}

/* Whether one unit can be as long on both axes without wasting most of the plot. */
static gboolean
aspect_ok (const NnBox *b, double limit)
{
  double r = (b->x_max - b->x_min) / (b->y_max - b->y_min);

  return r > 1.0 / limit && r < limit;
}

static void
set_string (char **slot, char *value)
{
  g_free (*slot);
  *slot = value;
}

/* The scene of the current source; `export` adds a title for pictures. */
void
nl_compare_build_scene (NlCompareWindow *self, NlSurfaceScene *scene, gboolean export)
{
  GPtrArray *specs = nl_compare_current_specs (self);

  nl_surface_scene_init (scene);
  scene->view = self->view_3d ? NL_SURFACE_VIEW_3D : NL_SURFACE_VIEW_CONTOURS;
  for (guint r = 0; r < MAX_RUNNERS; r++)
    g_clear_pointer (&self->traj_labels[r], g_free);
  self->n_traj = 0;
  set_string (&self->note, NULL);

  if (self->source == NL_COMPARE_NETWORK)
    {
      NlPlaneResult *p = self->plane;

      if (self->job == JOB_TRAIN)
        set_string (&self->message, g_strdup_printf (_("Training the runs… %.0f %%"),
                                                     100 * self->progress));
      else if (self->job == JOB_PLANE)
        set_string (&self->message, g_strdup_printf (_("Computing the loss over the plane… %.0f %%"),
                                                     100 * self->progress));
      scene->message = self->job == JOB_NONE && p != NULL ? NULL : self->message;
      if (p == NULL)
        {
          if (scene->message == NULL)
            scene->message = _("Press “Train the runs again” to start");
          return;
        }
      scene->grid = p->grid->values;
      scene->res = p->grid->res;
      scene->box = p->grid->box;
      scene->grid_serial = GPOINTER_TO_SIZE (p) ^ 0x5bd1e995u;
      scene->equal_aspect = aspect_ok (&scene->box, 1.6);
      if (p->plane->kind == NN_PLANE_WEIGHTS)
        {
          set_string (&self->x_name, nl_compare_weight_name (self, FALSE));
          set_string (&self->y_name, nl_compare_weight_name (self, TRUE));
        }
      else
        {
          set_string (&self->x_name, g_strdup ("α"));
          set_string (&self->y_name, g_strdup ("β"));
        }
      scene->x_name = self->x_name;
      scene->y_name = self->y_name;
      if (p->plane->kind == NN_PLANE_PCA)
        set_string (&self->note,
                    g_strdup_printf (_("The plane explains %.0f %% + %.0f %% of the runs' variance; "
                                       "hover a point for its true loss and its distance from the plane"),
                                     100 * p->plane->variance[0], 100 * p->plane->variance[1]));
      else
        set_string (&self->note,
                    g_strdup_printf (_("The plane explains %.0f %% of the runs' variance; hover a "
                                       "point for its true loss and its distance from the plane"),
                                     100 * p->explained));
      scene->note = self->note;
      if (export)
        scene->title = plane_title (p->plane->kind);
      /* While new runs train from a clicked start, the old ones are not shown. */
      for (guint r = 0; self->job != JOB_TRAIN && r < p->n_runs && r < MAX_RUNNERS; r++)
        {
          NlSurfaceTrajectory *t = &self->traj[r];

          self->traj_labels[r] = g_strdup (self->plane_labels[r] ? self->plane_labels[r] : "?");
          self->traj_colors[r] = self->plane_colors[r];
          *t = (NlSurfaceTrajectory) {
            self->traj_labels[r], nl_surface_trajectory_color (nl_compare_style (self), self->plane_colors[r]),
            &p->points[r][0].alpha, &p->points[r][0].beta, &p->points[r][0].loss,
            &p->points[r][0].residual, sizeof (NnProjectedPoint),
            MIN (self->network_step + 1, p->n_points[r]),
            self->run_diverged[r] && self->network_step + 1 >= p->n_points[r],
          };
          self->n_traj++;
        }
      if (p->n_runs > 0 && p->n_points[0] > 0)
        {
          scene->has_start = TRUE;
          scene->start_x = p->points[0][0].alpha;
          scene->start_y = p->points[0][0].beta;
        }
      scene->trajectories = self->traj;
      scene->n_trajectories = self->n_traj;
      return;
    }

  if (self->race == NULL)
    {
      scene->message = self->race_error;
      return;
    }
  {
    NnSurface *surface = nn_race_get_surface (self->race);
    const char *xn, *yn;
    guint n;

    scene->grid = self->grid;
    scene->res = self->grid_res;
    scene->box = self->grid_box;
    scene->grid_serial = self->grid_serial;
    if (self->grid == NULL)
      {
        nn_surface_get_view_box (surface, &scene->box);
        scene->message = _("Computing the surface…");
      }
    scene->equal_aspect = self->source == NL_COMPARE_TEXTBOOK && aspect_ok (&scene->box, 3.5);
    nn_surface_get_axis_names (surface, &xn, &yn);
    scene->x_name = pretty_axis (xn);
    scene->y_name = pretty_axis (yn);
    scene->critical = nn_surface_get_critical_points (surface, &n);
    scene->n_critical = n;
    if (export)
      scene->title = self->preset >= 0 && self->source == NL_COMPARE_TEXTBOOK
                     ? preset_title (self->preset)
                     : surface_title (nn_surface_get_kind (surface));
    for (guint r = 0; r < nn_race_get_n_runners (self->race) && r < MAX_RUNNERS; r++)
      {
        RunnerSpec *spec = nl_compare_nth_enabled (specs, r);
        const NnTrajectoryPoint *pts = nn_race_get_trajectory (self->race, r, &n);
        NnRunnerResult res;
        NlSurfaceTrajectory *t = &self->traj[r];

        nn_race_get_result (self->race, r, &res);
        self->traj_labels[r] = spec != NULL ? nl_compare_display_label (specs, spec) : g_strdup ("?");
        self->traj_colors[r] = spec != NULL ? spec->color : r;
        *t = (NlSurfaceTrajectory) {
          self->traj_labels[r], nl_surface_trajectory_color (nl_compare_style (self), self->traj_colors[r]),
          &pts[0].x, &pts[0].y, &pts[0].loss, NULL, sizeof (NnTrajectoryPoint), n,
          res.state == NN_RUNNER_DIVERGED,
        };
        self->n_traj++;
      }
    scene->trajectories = self->traj;
    scene->n_trajectories = self->n_traj;
    scene->has_start = TRUE;
    nn_race_get_start (self->race, &scene->start_x, &scene->start_y);
  }
}

void
nl_compare_build_loss_scene (NlCompareWindow *self, NlRaceLossScene *scene)
{
  memset (scene, 0, sizeof *scene);
  scene->series = self->traj;
  scene->n_series = self->n_traj;
  scene->log_scale = TRUE;
  if (self->source == NL_COMPARE_NETWORK)
    scene->max_step = self->steps[NL_COMPARE_NETWORK];
  else
    {
      scene->max_step = nl_compare_race_limit (self);
      if (self->race != NULL)
        {
          double min = nn_surface_get_min_value (nn_race_get_surface (self->race));
          /* Below zero a log axis needs the height above the minimum. */
          if (isfinite (min) && min < 0)
            {
              scene->offset = min;
              scene->y_name = _("Loss above the minimum (log scale)");
            }
        }
    }
}

static void
draw_loss (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlCompareWindow *self = data;
  NlRaceLossScene scene;
  NlRaceLossLayout layout;

  nl_compare_build_loss_scene (self, &scene);
  nl_race_loss_layout_compute (&layout, &scene, width, height, nl_compare_style (self));
  nl_render_race_loss (cr, &layout, &scene, nl_compare_style (self), NULL);
}

static void
update_lesson (NlCompareWindow *self)
{
  g_autofree char *markup = NULL;
  const char *title, *text;

  switch (self->source)
    {
    case NL_COMPARE_NETWORK:
      title = _("Your network's own loss");
      text = _("Every optimizer trains your network from the same initial weights on the same "
               "mini-batches. The contours are the true loss on the plane; points off the plane "
               "are drawn where they project.");
      break;
    case NL_COMPARE_MODEL:
      title = surface_title (self->model_kind);
      text = _("A model with exactly two parameters on your training data: its whole loss "
               "surface is this picture. Click anywhere to start there.");
      break;
    case NL_COMPARE_TEXTBOOK:
    default:
      if (self->preset >= 0)
        {
          title = preset_title (self->preset);
          text = preset_description (self->preset);
        }
      else
        {
          title = surface_title (self->textbook_kind);
          text = _("Press Play to race. Click anywhere on the plot to start there.");
        }
      break;
    }
  markup = g_markup_printf_escaped ("<b>%s</b>  %s", title, text);
  gtk_label_set_markup (GTK_LABEL (self->lesson_label), markup);
  /* The whole text when three lines cut it short. */
  gtk_widget_set_tooltip_text (self->lesson_label, text);
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), title);
}

void
nl_compare_update_views (NlCompareWindow *self)
{
  NlSurfaceScene scene;
  char step[64];
  guint shown = nl_compare_window_get_step (self);

  if (self->disposed)
    return;
  nl_compare_build_scene (self, &scene, FALSE);
  nl_surface_view_set_scene (NL_SURFACE_VIEW (self->surface_view), &scene);
  gtk_widget_queue_draw (self->loss_area);
  nl_compare_update_table (self);

  g_snprintf (step, sizeof step, _("Step %u"), shown);
  nl_compare_set_text (self->step_label, step);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->play_image),
                                self->playing ? "media-playback-pause-symbolic"
                                              : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, self->playing ? _("Pause (Space)")
                                                                : _("Race (Space)"));
}

/* ------------------------------------------------------------------------------------ */
/* Animation                                                                             */

static gboolean
at_end (NlCompareWindow *self)
{
  if (self->source == NL_COMPARE_NETWORK)
    return self->plane == NULL || self->network_step + 1 >= nl_compare_network_max_points (self);
  if (self->race == NULL || nn_race_get_n_runners (self->race) == 0)
    return TRUE;
  if (nn_race_get_step (self->race) >= nl_compare_race_limit (self))
    return TRUE;
  for (guint r = 0; r < nn_race_get_n_runners (self->race); r++)
    {
      NnRunnerResult res;
      nn_race_get_result (self->race, r, &res);
      if (res.state == NN_RUNNER_RUNNING)
        return FALSE;
    }
  return TRUE;
}

/* k more steps, up to the end; returns whether anything moved. */
static gboolean
advance (NlCompareWindow *self, guint k)
{
  if (self->source == NL_COMPARE_NETWORK)
    {
      guint max = nl_compare_network_max_points (self);

      if (max == 0 || self->network_step + 1 >= max)
        return FALSE;
      self->network_step = MIN (self->network_step + k, max - 1);
      return TRUE;
    }
  if (self->race == NULL)
    return FALSE;
  for (guint i = 0; i < k; i++)
    if (nn_race_get_step (self->race) >= nl_compare_race_limit (self) || nn_race_step (self->race) == 0)
      return i > 0;
  return TRUE;
}

static void
restart (NlCompareWindow *self)
{
  if (self->source == NL_COMPARE_NETWORK)
    self->network_step = 0;
  else if (self->race != NULL)
    nn_race_reset (self->race);
  self->step_accumulator = 0;
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);
  guint k;

  if (!self->playing)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->step_accumulator += self->speed;
  k = (guint) self->step_accumulator;
  self->step_accumulator -= k;
  if (k > 0)
    advance (self, k);
  if (at_end (self))
    {
      self->playing = FALSE;
      self->tick_id = 0;
      nl_compare_update_views (self);
      return G_SOURCE_REMOVE;
    }
  if (k > 0)
    nl_compare_update_views (self);
  return G_SOURCE_CONTINUE;
}

void
nl_compare_set_playing (NlCompareWindow *self, gboolean playing)
{
  if (playing && at_end (self))
    restart (self);
  if (playing && at_end (self))
    playing = FALSE;
  self->playing = playing;
  if (playing && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  if (!self->disposed)
    nl_compare_update_views (self);
}

/* ------------------------------------------------------------------------------------ */
/* Actions                                                                               */

static void
play_pause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  nl_compare_set_playing (self, !self->playing);
}

static void
step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  self->playing = FALSE;
  advance (self, 1);
  nl_compare_update_views (self);
}

static void
reset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  self->playing = FALSE;
  restart (self);
  nl_compare_update_views (self);
}

static void
export_csv_action (GtkWidget *widget, const char *name, GVariant *param)
{
  nl_compare_export (NL_COMPARE_WINDOW (widget), FALSE);
}

static void
export_picture_action (GtkWidget *widget, const char *name, GVariant *param)
{
  nl_compare_export (NL_COMPARE_WINDOW (widget), TRUE);
}

static void
sync_source_widgets (NlCompareWindow *self)
{
  static const char *pages[] = { "textbook", "network", "model" };

  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->source_dropdown), self->source);
  gtk_stack_set_visible_child_name (GTK_STACK (self->source_stack), pages[self->source]);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin), self->steps[self->source]);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->surface_dropdown), self->textbook_kind);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->kappa_spin), self->kappa);
  gtk_widget_set_visible (self->kappa_box, self->textbook_kind == NN_SURFACE_RAVINE);
  gtk_label_set_text (GTK_LABEL (self->surface_description),
                      surface_description (self->textbook_kind));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->model_dropdown),
                              self->model_kind == NN_SURFACE_LINE);
  gtk_label_set_text (GTK_LABEL (self->model_description), surface_description (self->model_kind));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->plane_dropdown),
                              self->plane_kind == NN_PLANE_RANDOM    ? 1
                              : self->plane_kind == NN_PLANE_WEIGHTS ? 2
                                                                     : 0);
  gtk_widget_set_visible (self->weights_grid, self->plane_kind == NN_PLANE_WEIGHTS);
  gtk_label_set_text (GTK_LABEL (self->plane_description), plane_description (self->plane_kind));
  gtk_widget_set_sensitive (self->fair_race_button, self->source != NL_COMPARE_NETWORK);
  gtk_widget_set_tooltip_text (self->fair_race_button,
                               self->source == NL_COMPARE_NETWORK
                                 ? _("The fair race works on two-parameter surfaces")
                                 : _("Try 16 learning rates for every optimizer from this start and "
                                     "give each its best one, so the race compares the methods, not "
                                     "the settings (Ctrl+F)"));
  self->syncing = FALSE;
}

static void
set_source (NlCompareWindow *self, NlCompareSource source)
{
  self->playing = FALSE;
  /* What the other source was computing is of no use now (the network's runs come back
   * with their job and stay for later). */
  if (self->job != JOB_NONE && self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  self->pending = 0;
  g_clear_handle_id (&self->replan_id, g_source_remove);
  self->source = source;
  if (source != NL_COMPARE_NETWORK)
    nl_compare_set_picking (self, FALSE);
  sync_source_widgets (self);
  switch (source)
    {
    case NL_COMPARE_NETWORK:
      set_race (self, NULL);
      if (self->specs[NL_COMPARE_NETWORK]->len == 0)
        nl_compare_default_specs (self, NL_COMPARE_NETWORK, NULL);
      nl_compare_fill_weight_dropdowns (self);
      if (self->plane == NULL)
        nl_compare_schedule_network (self, self->landscape != NULL ? PENDING_PLANE : PENDING_TRAIN, TRUE);
      break;
    case NL_COMPARE_MODEL:
      load_model (self);
      break;
    case NL_COMPARE_TEXTBOOK:
    default:
      load_textbook (self, FALSE);
      break;
    }
  nl_compare_rebuild_rows (self);
  nl_compare_rebuild_table (self);
  update_lesson (self);
  nl_compare_update_actions (self);
  nl_compare_update_views (self);
}

static void
source_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);
  const char *s = g_variant_get_string (param, NULL);

  if (g_str_equal (s, "network"))
    set_source (self, NL_COMPARE_NETWORK);
  else if (g_str_equal (s, "model"))
    set_source (self, NL_COMPARE_MODEL);
  else
    set_source (self, NL_COMPARE_TEXTBOOK);
}

static void
preset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);
  NnRacePreset preset;
  g_autoptr(NnRace) race = NULL;
  NnSurface *surface;
  GPtrArray *specs = self->specs[NL_COMPARE_TEXTBOOK];

  if (!nn_race_preset_from_string (g_variant_get_string (param, NULL), &preset))
    return;
  /* The lesson's surface, runners and length; then the usual textbook set-up. */
  race = nn_race_new_preset (preset);
  surface = nn_race_get_surface (race);
  self->preset = preset;
  self->textbook_kind = nn_surface_get_kind (surface);
  if (self->textbook_kind == NN_SURFACE_RAVINE)
    self->kappa = nn_surface_get_condition_number (surface);
  g_ptr_array_set_size (specs, 0);
  for (guint i = 0; i < nn_race_get_n_runners (race); i++)
    nl_compare_spec_add (self, specs, nn_race_get_runner_config (race, i));
  self->steps[NL_COMPARE_TEXTBOOK] = nn_race_preset_get_steps (preset);
  nl_compare_show_status (self, NULL);
  set_source (self, NL_COMPARE_TEXTBOOK);
}

static void
add_runner_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);
  GPtrArray *specs = nl_compare_current_specs (self);
  NnOptimizerKind kind;
  NnRunnerConfig cfg;

  if (!nn_optimizer_kind_from_string (g_variant_get_string (param, NULL), &kind)
      || specs->len >= MAX_RUNNERS)
    return;
  nn_runner_config_init (&cfg, kind, self->race != NULL ? nn_race_get_surface (self->race) : NULL);
  if (self->source == NL_COMPARE_NETWORK)
    cfg.stochastic = FALSE;
  nl_compare_spec_add (self, specs, &cfg);
  nl_compare_rebuild_rows (self);
  nl_compare_runners_changed (self);
}

static void
on_sweep_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlCompareWindow *self = data;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  g_autofree NnSweepResult *results = nl_job_sweep_finish (result, &n, &error);
  GPtrArray *specs;
  g_autoptr(GString) summary = NULL;

  if (self->disposed)
    {
      g_object_unref (self);
      return;
    }
  nl_compare_end_job (self);
  specs = nl_compare_current_specs (self);
  if (results == NULL || self->source == NL_COMPARE_NETWORK)
    {
      nl_compare_show_status (self, nl_compare_is_cancelled (error) || error == NULL ? _("Fair race cancelled.")
                                                                : error->message);
      nl_compare_update_views (self);
      g_object_unref (self);
      return;
    }
  summary = g_string_new (_("Fair race: each optimizer now has its best learning rate."));
  for (guint k = 0; k < n; k++)
    {
      RunnerSpec *spec = nl_compare_nth_enabled (specs, k);
      g_autofree char *label = NULL;

      if (spec == NULL)
        continue;
      label = nl_compare_display_label (specs, spec);
      if (results[k].found)
        {
          spec->cfg.optimizer.learning_rate = results[k].learning_rate;
          g_string_append_printf (summary, "\n%s: η = %.3g", label, results[k].learning_rate);
        }
      else
        g_string_append_printf (summary, _("\n%s: every rate diverged"), label);
    }
  nl_compare_show_status (self, summary->str);
  nl_compare_rebuild_rows (self);
  rebuild_race_runners (self);
  nl_compare_rebuild_table (self);
  nl_compare_set_playing (self, TRUE);
  g_object_unref (self);
}

static void
fair_race_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);
  NnSweepConfig cfg;
  g_autofree char *text = NULL;

  if (self->source == NL_COMPARE_NETWORK || self->race == NULL || self->job != JOB_NONE
      || nn_race_get_n_runners (self->race) == 0)
    return;
  nn_sweep_config_init (&cfg);
  cfg.steps = nl_compare_race_limit (self);
  text = g_strdup_printf (_("Fair race: %u learning rates from %g to %g for each optimizer…"),
                          cfg.n_rates, cfg.lr_min, cfg.lr_max);
  nl_compare_set_playing (self, FALSE);
  nl_compare_start_job (self, JOB_SWEEP, text);
  nl_job_sweep (self->race, &cfg, nl_compare_on_job_progress, G_OBJECT (self),
                self->job_cancellable, on_sweep_done, g_object_ref (self));
}

static void
train_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  if (self->source != NL_COMPARE_NETWORK)
    return;
  nl_compare_fill_weight_dropdowns (self);
  g_clear_pointer (&self->restart_theta, g_free);
  self->keep_plane = FALSE;
  nl_compare_schedule_network (self, PENDING_TRAIN, TRUE);
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  self->pending = 0;
  g_clear_handle_id (&self->replan_id, g_source_remove);
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  if (self->grid_cancellable != NULL)
    g_cancellable_cancel (self->grid_cancellable);
}

static void
on_point_chosen (NlSurfaceView *view, double x, double y, NlCompareWindow *self)
{
  if (self->source == NL_COMPARE_NETWORK)
    {
      gsize n;

      /* The same runs again, from the weights at the clicked point of the plane; the plane
       * and its loss grid stay, so the new trajectories are drawn on the same map. */
      if (self->plane == NULL || self->landscape == NULL || self->job != JOB_NONE)
        return;
      n = self->plane->plane->n_params;
      g_clear_pointer (&self->restart_theta, g_free);
      self->restart_theta = g_new (double, n);
      self->restart_n = n;
      nn_plane_lift (self->plane->plane, x, y, self->restart_theta);
      self->keep_plane = TRUE;
      nl_compare_schedule_network (self, PENDING_TRAIN, TRUE);
      return;
    }
  if (self->race == NULL)
    return;
  nn_race_set_start (self->race, x, y);
  self->step_accumulator = 0;
  nl_compare_set_playing (self, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Controls                                                                              */

static void
on_source_selected (GObject *dropdown, GParamSpec *pspec, NlCompareWindow *self)
{
  if (!self->syncing)
    set_source (self, nl_compare_selected (self->source_dropdown));
}

static void
on_surface_selected (GObject *dropdown, GParamSpec *pspec, NlCompareWindow *self)
{
  if (self->syncing)
    return;
  self->textbook_kind = MIN (nl_compare_selected (self->surface_dropdown), NN_N_TEXTBOOK_SURFACES - 1);
  self->preset = -1;
  self->steps[NL_COMPARE_TEXTBOOK] = DEFAULT_STEPS;
  nl_compare_show_status (self, NULL);
  sync_source_widgets (self);
  load_textbook (self, TRUE);
  nl_compare_rebuild_rows (self);
  update_lesson (self);
  nl_compare_update_actions (self);
  nl_compare_update_views (self);
}

static void
on_kappa_changed (GtkSpinButton *spin, NlCompareWindow *self)
{
  if (self->syncing || self->textbook_kind != NN_SURFACE_RAVINE)
    return;
  self->kappa = gtk_spin_button_get_value (spin);
  self->preset = -1;
  load_textbook (self, TRUE);
  nl_compare_rebuild_rows (self);
  update_lesson (self);
  nl_compare_update_views (self);
}

static void
on_model_selected (GObject *dropdown, GParamSpec *pspec, NlCompareWindow *self)
{
  if (self->syncing)
    return;
  self->model_kind = nl_compare_selected (self->model_dropdown) == 1 ? NN_SURFACE_LINE : NN_SURFACE_LOGISTIC;
  sync_source_widgets (self);
  load_model (self);
  nl_compare_rebuild_rows (self);
  update_lesson (self);
  nl_compare_update_actions (self);
  nl_compare_update_views (self);
}

static void
on_plane_selected (GObject *dropdown, GParamSpec *pspec, NlCompareWindow *self)
{
  static const NnPlaneKind kinds[] = { NN_PLANE_PCA, NN_PLANE_RANDOM, NN_PLANE_WEIGHTS };

  if (self->syncing)
    return;
  self->plane_kind = kinds[MIN (nl_compare_selected (self->plane_dropdown), 2)];
  /* Picked weights make sense on the "two weights" plane only. */
  if (self->plane_kind != NN_PLANE_WEIGHTS)
    nl_compare_set_picking (self, FALSE);
  sync_source_widgets (self);
  self->keep_plane = FALSE;
  nl_compare_schedule_network (self, PENDING_PLANE, TRUE);
}

static void
on_weight_selected (GObject *dropdown, GParamSpec *pspec, NlCompareWindow *self)
{
  if (self->syncing)
    return;
  if (GTK_WIDGET (dropdown) == self->weight_a_layer || GTK_WIDGET (dropdown) == self->weight_b_layer)
    {
      self->syncing = TRUE;
      nl_compare_fill_weight_ends (self, GTK_WIDGET (dropdown) == self->weight_b_layer);
      self->syncing = FALSE;
    }
  /* A weight chosen here is picked too, and marked in the network. */
  {
    gboolean second = GTK_WIDGET (dropdown) == self->weight_b_layer
                      || GTK_WIDGET (dropdown) == self->weight_b_out
                      || GTK_WIDGET (dropdown) == self->weight_b_in;

    self->pick_empty[second] = FALSE;
    nl_compare_update_pick_marks (self);
  }
  if (self->plane_kind == NN_PLANE_WEIGHTS)
    {
      self->keep_plane = FALSE;
      nl_compare_schedule_network (self, PENDING_PLANE, FALSE);
    }
}

static void
on_steps_changed (GtkSpinButton *spin, NlCompareWindow *self)
{
  if (self->syncing)
    return;
  self->steps[self->source] = (guint) gtk_spin_button_get_value (spin);
  if (self->source == NL_COMPARE_NETWORK)
    nl_compare_schedule_network (self, PENDING_TRAIN, FALSE);
  nl_compare_update_views (self);
}

static void
apply_speed (NlCompareWindow *self)
{
  guint i = (guint) CLAMP (gtk_range_get_value (GTK_RANGE (self->speed_scale)), 0,
                           G_N_ELEMENTS (speeds) - 1);
  char text[32];

  self->speed = speeds[i];
  /* At the display's usual 60 frames a second. */
  g_snprintf (text, sizeof text, _("%.0f steps/s"), speeds[i] * 60);
  gtk_label_set_text (GTK_LABEL (self->speed_label), text);
}

static void
on_speed_changed (GtkRange *range, NlCompareWindow *self)
{
  apply_speed (self);
}

static void
apply_dark (NlCompareWindow *self, gboolean dark)
{
  self->dark = dark;
  nl_surface_view_set_dark (NL_SURFACE_VIEW (self->surface_view), dark);
  if (!self->disposed)
    {
      nl_compare_rebuild_rows (self);
      nl_compare_rebuild_table (self);
      nl_compare_update_views (self);
    }
}

static void
on_dark_changed (GtkSettings *settings, GParamSpec *pspec, NlCompareWindow *self)
{
  gboolean dark = FALSE;

  g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  if (dark != self->dark)
    apply_dark (self, dark);
}

static gboolean
on_transport_key (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  const char *action = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  /* Keys typed into a field belong to it. */
  for (GtkWidget *w = focus; w != NULL && w != widget; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || (!g_str_equal (action, "compare.play-pause") && GTK_IS_RANGE (w)))
      return FALSE;
  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, action, NULL);
}

/* Escape ends picking weights in the main window's network; otherwise it is not ours. */
static gboolean
on_escape_key (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (widget);

  if (!self->picking)
    return FALSE;
  nl_compare_set_picking (self, FALSE);
  return TRUE;
}

static void
add_transport_shortcuts (NlCompareWindow *self)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space,  "compare.play-pause" },
    { GDK_KEY_Right,  "compare.step" },
    { GDK_KEY_period, "compare.step" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                        gtk_callback_action_new (on_transport_key, (gpointer) keys[i].action,
                                                 NULL)));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (on_escape_key, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* The sidebar takes a share of a wider window (names of optimizers need the room), and no
 * more than it needs of a small one. */
static void
on_default_width (GObject *object, GParamSpec *pspec, NlCompareWindow *self)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* The paned is the window's child: not a bound template child, which
   * gtk_widget_dispose_template() would unparent before GtkWindow does. */
  if (width > 0 && GTK_IS_PANED (gtk_window_get_child (GTK_WINDOW (self))))
    gtk_paned_set_position (GTK_PANED (gtk_window_get_child (GTK_WINDOW (self))),
                            CLAMP (width * 29 / 100, 316, 400));
}

static void
fill_surface_dropdown (NlCompareWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (NnSurfaceKind k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    gtk_string_list_append (list, surface_title (k));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->surface_dropdown), G_LIST_MODEL (list));
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

static void
nl_compare_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, nl_compare_window_is_busy (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_VIEW_3D:
      g_value_set_boolean (value, self->view_3d);
      break;
    case PROP_PICKING:
      g_value_set_boolean (value, self->picking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_compare_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW_3D:
      if (self->view_3d != g_value_get_boolean (value))
        {
          self->view_3d = g_value_get_boolean (value);
          nl_compare_update_views (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PICKING:
      nl_compare_set_picking (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_compare_window_dispose (GObject *object)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (object);

  /* The main window's network view goes back to editing. */
  nl_compare_set_picking (self, FALSE);
  self->disposed = TRUE;
  /* Jobs still running finish on their own data and find the window disposed. */
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  if (self->grid_cancellable != NULL)
    g_cancellable_cancel (self->grid_cancellable);
  g_clear_object (&self->job_cancellable);
  g_clear_object (&self->grid_cancellable);
  g_clear_handle_id (&self->replan_id, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_signal_handlers_disconnect_by_data (gtk_settings_get_default (), self);
  if (self->main_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->main_window), (gpointer *) &self->main_window);
      self->main_window = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), NL_TYPE_COMPARE_WINDOW);

  G_OBJECT_CLASS (nl_compare_window_parent_class)->dispose (object);
}

static void
nl_compare_window_finalize (GObject *object)
{
  NlCompareWindow *self = NL_COMPARE_WINDOW (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->specs); i++)
    g_clear_pointer (&self->specs[i], g_ptr_array_unref);
  g_clear_pointer (&self->race, nn_race_free);
  g_clear_pointer (&self->race_error, g_free);
  g_clear_pointer (&self->grid, g_free);
  g_clear_pointer (&self->landscape, nn_landscape_free);
  g_clear_pointer (&self->plane, nl_plane_result_free);
  g_clear_pointer (&self->restart_theta, g_free);
  nl_compare_clear_run_names (self);
  for (guint r = 0; r < MAX_RUNNERS; r++)
    g_clear_pointer (&self->traj_labels[r], g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->x_name, g_free);
  g_clear_pointer (&self->y_name, g_free);

  G_OBJECT_CLASS (nl_compare_window_parent_class)->finalize (object);
}

static void
nl_compare_window_class_init (NlCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_compare_window_dispose;
  object_class->finalize = nl_compare_window_finalize;
  object_class->get_property = nl_compare_window_get_property;
  object_class->set_property = nl_compare_window_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_3D] =
    g_param_spec_boolean ("view-3d", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether clicks on links of the main window's network pick the plane's two weights. */
  properties[PROP_PICKING] =
    g_param_spec_boolean ("picking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NL_TYPE_SURFACE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, play_image);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, fair_race_button);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, source_stack);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, surface_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, surface_description);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, kappa_box);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, kappa_spin);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, network_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, plane_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, plane_description);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weights_grid);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_a_layer);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_a_out);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_a_in);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_b_layer);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_b_out);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, weight_b_in);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, pick_button);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, pick_hint);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, model_description);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, speed_scale);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, speed_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, runner_list);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, lesson_label);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, surface_view);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, loss_area);
  gtk_widget_class_bind_template_child (widget_class, NlCompareWindow, results_grid);

  gtk_widget_class_install_action (widget_class, "compare.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "compare.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "compare.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "compare.source", "s", source_action);
  gtk_widget_class_install_action (widget_class, "compare.add-runner", "s", add_runner_action);
  gtk_widget_class_install_action (widget_class, "compare.fair-race", NULL, fair_race_action);
  gtk_widget_class_install_action (widget_class, "compare.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "compare.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "compare.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "compare.export-picture", NULL,
                                   export_picture_action);
  gtk_widget_class_install_property_action (widget_class, "compare.view-3d", "view-3d");
  gtk_widget_class_install_property_action (widget_class, "compare.pick-weights", "picking");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "compare.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "compare.fair-race", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "compare.export-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "compare.export-picture", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "compare.view-3d", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
nl_compare_window_init (NlCompareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->specs); i++)
    self->specs[i] = g_ptr_array_new_with_free_func (g_free);
  self->steps[NL_COMPARE_TEXTBOOK] = DEFAULT_STEPS;
  self->steps[NL_COMPARE_MODEL] = DEFAULT_STEPS;
  self->steps[NL_COMPARE_NETWORK] = NETWORK_STEPS;
  self->textbook_kind = NN_SURFACE_TWO_MINIMA;
  self->kappa = NN_RAVINE_DEFAULT_KAPPA;
  self->preset = -1;
  self->model_kind = NN_SURFACE_LOGISTIC;
  self->plane_kind = NN_PLANE_PCA;

  fill_surface_dropdown (self);
  g_signal_connect (self->source_dropdown, "notify::selected", G_CALLBACK (on_source_selected), self);
  g_signal_connect (self->surface_dropdown, "notify::selected", G_CALLBACK (on_surface_selected), self);
  g_signal_connect (self->model_dropdown, "notify::selected", G_CALLBACK (on_model_selected), self);
  g_signal_connect (self->plane_dropdown, "notify::selected", G_CALLBACK (on_plane_selected), self);
  {
    GtkWidget *weights[] = { self->weight_a_layer, self->weight_a_out, self->weight_a_in,
                             self->weight_b_layer, self->weight_b_out, self->weight_b_in };
    for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
      g_signal_connect (weights[i], "notify::selected", G_CALLBACK (on_weight_selected), self);
  }
  g_signal_connect (self->kappa_spin, "value-changed", G_CALLBACK (on_kappa_changed), self);
  g_signal_connect (self->steps_spin, "value-changed", G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->speed_scale, "value-changed", G_CALLBACK (on_speed_changed), self);
  g_signal_connect (self->surface_view, "point-chosen", G_CALLBACK (on_point_chosen), self);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->loss_area), draw_loss, self, NULL);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_width), self);
  on_default_width (G_OBJECT (self), NULL, self);
  add_transport_shortcuts (self);
  apply_speed (self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

NlCompareWindow *
nl_compare_window_new (NlWindow *main_window)
{
  NlCompareWindow *self;
  GtkApplication *app;
  GtkSettings *settings = gtk_settings_get_default ();
  gboolean dark = FALSE;

  g_return_val_if_fail (NL_IS_WINDOW (main_window), NULL);

  app = gtk_window_get_application (GTK_WINDOW (main_window));
  self = g_object_new (NL_TYPE_COMPARE_WINDOW, "application", app, NULL);
  self->main_window = main_window;
  g_object_add_weak_pointer (G_OBJECT (main_window), (gpointer *) &self->main_window);
  /* The window follows the project of its main window, and goes with it. */
  g_signal_connect_object (main_window, "destroy", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);

  if (NL_IS_APPLICATION (app))
    dark = nl_application_get_dark (NL_APPLICATION (app));
  else
    g_object_get (settings, "gtk-application-prefer-dark-theme", &dark, NULL);
  g_signal_connect (settings, "notify::gtk-application-prefer-dark-theme",
                    G_CALLBACK (on_dark_changed), self);
  apply_dark (self, dark);

  /* It opens on the first classic lesson, ready to press Play. */
  gtk_widget_activate_action (GTK_WIDGET (self), "compare.preset", "s",
                              nn_race_preset_to_string (NN_RACE_PRESET_LOCAL_MINIMUM));
  return self;
}

NlCompareSource
nl_compare_window_get_source (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), NL_COMPARE_TEXTBOOK);

  return self->source;
}

NnRace *
nl_compare_window_get_race (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), NULL);

  return self->race;
}

NnLandscape *
nl_compare_window_get_landscape (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), NULL);

  return self->landscape;
}

gboolean
nl_compare_window_is_busy (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), FALSE);

  return self->job != JOB_NONE || self->grid_cancellable != NULL || self->pending != 0
         || self->replan_id != 0;
}

double
nl_compare_window_get_progress (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), 0);

  return self->progress;
}

guint
nl_compare_window_get_step (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), 0);

  if (self->source == NL_COMPARE_NETWORK)
    return self->plane != NULL ? self->network_step : 0;
  return self->race != NULL ? nn_race_get_step (self->race) : 0;
}

gboolean
nl_compare_window_has_grid (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), FALSE);

  if (self->source == NL_COMPARE_NETWORK)
    return self->plane != NULL && self->plane->grid != NULL;
  return self->grid != NULL;
}

double
nl_compare_window_get_grid_ms (NlCompareWindow *self, guint *res)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), 0);

  if (res != NULL)
    *res = self->grid_ms_res;
  return self->grid_ms;
}

GtkWidget *
nl_compare_window_get_surface_view (NlCompareWindow *self)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), NULL);

  return self->surface_view;
}

const NnPlane *
nl_compare_window_get_plane (NlCompareWindow *self, const NnLossGrid **grid)
{
  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), NULL);

  if (grid != NULL)
    *grid = self->plane != NULL ? self->plane->grid : NULL;
  return self->plane != NULL ? self->plane->plane : NULL;
}
