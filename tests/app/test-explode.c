/* test-explode.c: training that explodes is a lesson, not a crash.
 *
 *  - Divergence: the window pauses by itself and says, in a student's words, at which
 *    epoch, with which learning rate and optimizer, and what to do; it keeps showing the
 *    last finite state (parameters, grids, losses all finite).
 *  - Garbage in, no garbage out: a snapshot with NaN and ±Inf in the loss history, the
 *    grids and the statistics, and weights of ±1e300, drawn by the three views (network,
 *    output, loss) in a window and by their render functions straight onto Cairo, at
 *    ordinary and degenerate sizes: nothing crashes, Cairo never enters an error state
 *    (a NaN coordinate would), and the pictures are pictures.
 *  - Extreme but legal settings (learning rate 10, 10 hidden layers of 64, batch size 1 on
 *    10 000 points of 8 classes): while it trains, the main loop keeps drawing frames. The
 *    frame intervals are reported; the assertions are loose (the UI kept iterating).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nl-boundary-view.h"
#include "nl-loss-view.h"
#include "nl-network-view.h"
#include "nl-render.h"
#include "nl-training-worker.h"
#include "gui-test-utils.h"
#include "robust-test-utils.h"

static NlApplication *app;

static gboolean
all_finite (const double *v, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Divergence                                                                           */

static gboolean
diverged (gpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (data);

  return snap != NULL && snap->diverged;
}

static void
test_divergence_message (void)
{
  g_autofree char *path = gui_example_path ("learning-rate-too-high.nlab");
  g_autofree char *expected = NULL;
  NlWindow *window;
  NlSnapshot *snap;
  const char *message;
  const NnEpochStats *last;

  if (gui_skip_without_display (app))
    return;

  window = robust_open_window (app, path);
  g_assert_cmpint (nl_window_get_project (window)->optimizer.kind, ==, NN_OPTIMIZER_SGD);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (robust_iterate_until (diverged, window, 30));
  robust_iterate_for (0.3);
  snap = nl_window_get_snapshot (window);

  /* It paused itself: the worker and the play button agree. */
  g_assert_false (snap->running);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gui_template_child (window, "play_button")), ==,
                   "Train (Space)");

  /* The words: epoch, learning rate, optimizer, what to do. */
  message = gtk_label_get_label (GTK_LABEL (gui_template_child (window, "banner_label")));
  g_test_message ("banner: %s", message);
  expected = g_strdup_printf ("The loss diverged at epoch %u: the learning rate 0.1 is too high "
                              "for SGD on this data. Lower it (try 0.01) and press Reset.",
                              snap->diverged_epoch);
  g_assert_cmpstr (message, ==, expected);
  g_assert_true (gtk_revealer_get_reveal_child (
    GTK_REVEALER (gui_template_child (window, "banner_revealer"))));
  g_assert_true (gtk_widget_get_visible (gui_template_child (window, "banner_reset_button")));

  /* The last finite state: parameters, statistics, every grid. */
  g_assert_true (all_finite (snap->net.params, snap->net.n_params));
  g_assert_true (isfinite (snap->stats.train_loss));
  g_assert_true (all_finite (snap->neuron_grids,
                             (gsize) snap->n_neurons * snap->neuron_res * snap->neuron_res));
  g_assert_true (all_finite (snap->output_grids,
                             (gsize) snap->n_outputs * snap->output_res * snap->output_res));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gui_template_child (window, "train_loss_label"))),
                   !=, "—");
  last = nl_snapshot_get_last_record (snap);
  g_assert_nonnull (last);
  g_test_message ("diverged at epoch %u; last record epoch %u, loss %g; shown loss %s",
                  snap->diverged_epoch, last->epoch, last->train_loss,
                  gtk_label_get_label (GTK_LABEL (gui_template_child (window, "train_loss_label"))));

  /* Another optimizer, another learning rate: the message follows. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-optimizer", "s", "momentum");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d", 3.0);
  robust_iterate_for (0.3);
  g_assert_false (nl_window_get_snapshot (window)->diverged);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (robust_iterate_until (diverged, window, 30));
  robust_iterate_for (0.3);
  message = gtk_label_get_label (GTK_LABEL (gui_template_child (window, "banner_label")));
  g_test_message ("banner: %s", message);
  g_assert_nonnull (strstr (message, "the learning rate 3 is too high for Momentum on this data"));
  g_assert_true (g_str_has_suffix (message, "and press Reset."));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------------------------ */
/* Garbage in, no garbage out                                                           */

static const double poison[] = { NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e308, 0, -0.0,
                                 4.9e-324, -1e-300 };

static double
poisoned (gsize i, double otherwise)
{
  return i % 3 == 0 ? poison[(i / 3) % G_N_ELEMENTS (poison)] : otherwise;
}

/* A real snapshot (three classes, two hidden layers), then filled with trouble. The
 * worker has stopped, so nothing else reads or writes it. */
static NlSnapshot *
poisoned_snapshot (void)
{
  g_autoptr(NnProject) project = nn_project_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTrainingWorker) worker = NULL;
  NlSnapshot *snap = NULL;
  NlHistory *history;
  gsize n;

  project->dataset.generator = NN_GENERATOR_BLOBS;
  project->dataset.classes = 3;
  project->problem = NN_PROBLEM_CLASSIFICATION;
  project->dataset.problem = NN_PROBLEM_CLASSIFICATION;
  project->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  project->loss = NN_LOSS_CROSS_ENTROPY;
  nn_project_sync_shape (project);
  worker = nl_training_worker_new (project, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    nl_training_worker_step_epoch (worker);
  while (snap == NULL || snap->epoch < 5)
    {
      NlSnapshot *next = nl_training_worker_wait_snapshot (worker, 10 * G_USEC_PER_SEC);

      g_assert_nonnull (next);
      g_clear_pointer (&snap, nl_snapshot_unref);
      snap = next;
    }
  nl_training_worker_quit (worker);
  g_assert_cmpuint (snap->n_history, >=, 6);
  g_assert_cmpuint (snap->n_outputs, ==, 3);

  for (gsize i = 0; i < snap->net.n_params; i++)
    {
      snap->net.params[i] = i % 2 ? 1e300 : -1e300;
      if (i % 5 == 0)
        snap->net.params[i] = poisoned (i, 1e300);
      snap->net.grads[i] = poisoned (i + 1, 1e300);
    }
  n = (gsize) snap->n_neurons * snap->neuron_res * snap->neuron_res;
  for (gsize i = 0; i < n; i++)
    snap->neuron_grids[i] = poisoned (i, (double) (i % 7) - 3);
  n = (gsize) snap->n_outputs * snap->output_res * snap->output_res;
  for (gsize i = 0; i < n; i++)
    snap->output_grids[i] = poisoned (i, 1.0 / 3.0);

  history = (NlHistory *) snap->history;
  for (guint i = 0; i < snap->n_history; i++)
    {
      history->records[i].train_loss = poison[i % G_N_ELEMENTS (poison)];
      history->records[i].test_loss = poison[(i + 1) % G_N_ELEMENTS (poison)];
      history->records[i].train_accuracy = poison[(i + 2) % G_N_ELEMENTS (poison)];
      history->records[i].test_accuracy = NAN;
    }
  snap->stats.train_loss = NAN;
  snap->stats.test_loss = INFINITY;
  snap->stats.train_accuracy = -INFINITY;
  snap->stats.test_accuracy = NAN;
  return snap;
}

/* How many different colours a picture has (sampled): a blank or broken picture has one. */
static guint
distinct_colours (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y += 3)
    for (int x = 0; x < width; x += 3)
      {
        guint32 pixel = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);

        g_hash_table_add (seen, GUINT_TO_POINTER (pixel));
      }
  return g_hash_table_size (seen);
}

typedef void (*RenderFunc) (cairo_t *cr, NlSnapshot *snap, double width, double height,
                            gboolean variant);

static void
render_loss (cairo_t *cr, NlSnapshot *snap, double width, double height, gboolean log_scale)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlLossScene scene;
  NlLossLayout layout;

  nl_loss_scene_init (&scene);
  scene.history = snap->history->records;
  scene.n_history = snap->n_history;
  scene.log_scale = log_scale;
  scene.classification = TRUE;
  scene.hover_index = (int) snap->n_history / 2;
  nl_loss_layout_compute (&layout, &scene, width, height, style);
  nl_render_loss (cr, &layout, &scene, style, NULL);
  /* Hover mapping over the same data stays in range. */
  if (width > 1)
    {
      int index = nl_loss_layout_index_at (&layout, &scene, width / 2);

      g_assert_cmpint (index, >=, -1);
      g_assert_cmpint (index, <, (int) snap->n_history);
    }
}

static void
render_network (cairo_t *cr, NlSnapshot *snap, double width, double height, gboolean dark)
{
  const NlRenderStyle *style = nl_render_style_get_default (dark ? NL_RENDER_THEME_DARK
                                                                 : NL_RENDER_THEME_LIGHT);
  NlNetworkLayout *layout = nl_network_layout_new ();
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;

  scene.arch = &snap->net.arch;
  scene.features = snap->model->project->features;
  scene.params = snap->net.params;
  scene.neuron_grids = snap->neuron_grids;
  scene.grid_res = snap->neuron_res;
  nl_network_layout_compute (layout, &snap->net.arch, scene.features, NL_NETWORK_LAYOUT_DEFAULT,
                             width, height, style);
  nl_render_network (cr, layout, &scene, style, NULL);
  nl_network_layout_free (layout);
}

static void
render_boundary (cairo_t *cr, NlSnapshot *snap, double width, double height, gboolean discretize)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  const NnDataset *dataset = snap->model->dataset;
  NlBoundaryLayout layout;
  NlBoundaryScene scene;

  nl_boundary_scene_init (&scene);
  scene.problem = NN_PROBLEM_CLASSIFICATION;
  scene.res = snap->output_res;
  scene.n_classes = snap->n_outputs;
  scene.class_probs = snap->output_grids;
  scene.train = dataset->train;
  scene.n_train = dataset->n_train;
  scene.test = dataset->test;
  scene.n_test = dataset->n_test;
  scene.discretize = discretize;
  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, width, height, style);
  nl_render_boundary (cr, &layout, &scene, style, NULL);

  /* And as a regression surface of values with a symmetric range. */
  scene.problem = NN_PROBLEM_REGRESSION;
  scene.class_probs = NULL;
  scene.n_classes = 0;
  scene.values = snap->output_grids;
  scene.value_lo = scene.value_hi = 0;
  nl_render_boundary (cr, &layout, &scene, style, NULL);
}

static void
test_render_poison (void)
{
  static const struct { const char *name; RenderFunc func; } renders[] = {
    { "loss", render_loss },
    { "network", render_network },
    { "boundary", render_boundary },
  };
  static const int sizes[][2] = { { 640, 400 }, { 1, 1 }, { 7, 3 }, { 3, 200 }, { 2000, 40 } };
  NlSnapshot *snap = poisoned_snapshot ();

  for (guint r = 0; r < G_N_ELEMENTS (renders); r++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (int variant = 0; variant < 2; variant++)
        {
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sizes[s][0],
                                                                 sizes[s][1]);
          cairo_t *cr = cairo_create (surface);
          guint colours;

          renders[r].func (cr, snap, sizes[s][0], sizes[s][1], variant);
          /* A NaN or infinite coordinate puts Cairo in an error state: drawing stops. */
          if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
            g_error ("%s at %d×%d: Cairo error “%s”", renders[r].name, sizes[s][0], sizes[s][1],
                     cairo_status_to_string (cairo_status (cr)));
          colours = distinct_colours (surface);
          if (sizes[s][0] >= 640)
            {
              g_test_message ("%s %d×%d (%d): %u colours", renders[r].name, sizes[s][0],
                              sizes[s][1], variant, colours);
              g_assert_cmpuint (colours, >, 8);
            }
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
        }
  nl_snapshot_unref (snap);
}

static void
test_views_poison (void)
{
  NlSnapshot *snap;
  GtkWidget *window, *box, *views[3];
  static const char *const names[] = { "network", "boundary", "loss" };

  if (gui_skip_without_display (app))
    return;

  snap = poisoned_snapshot ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 500);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  views[0] = nl_network_view_new ();
  views[1] = nl_boundary_view_new ();
  views[2] = nl_loss_view_new ();
  for (guint i = 0; i < 3; i++)
    {
      gtk_widget_set_hexpand (views[i], TRUE);
      gtk_widget_set_vexpand (views[i], TRUE);
      gtk_box_append (GTK_BOX (box), views[i]);
    }
  gtk_window_set_child (GTK_WINDOW (window), box);
  nl_network_view_set_snapshot (NL_NETWORK_VIEW (views[0]), snap);
  nl_boundary_view_set_snapshot (NL_BOUNDARY_VIEW (views[1]), snap);
  nl_loss_view_set_snapshot (NL_LOSS_VIEW (views[2]), snap);
  gtk_window_present (GTK_WINDOW (window));
  robust_iterate_for (0.5);

  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < 3; i++)
        {
          cairo_surface_t *surface = gui_draw_widget (views[i]);
          guint colours = distinct_colours (surface);

          g_test_message ("%s view %d×%d%s: %u colours", names[i],
                          cairo_image_surface_get_width (surface),
                          cairo_image_surface_get_height (surface), pass ? " (dark, log)" : "",
                          colours);
          g_assert_cmpuint (colours, >, 8);
          cairo_surface_destroy (surface);
        }
      /* Again in the dark style and on a log scale. */
      nl_network_view_set_dark (NL_NETWORK_VIEW (views[0]), TRUE);
      nl_boundary_view_set_dark (NL_BOUNDARY_VIEW (views[1]), TRUE);
      nl_boundary_view_set_discretize (NL_BOUNDARY_VIEW (views[1]), TRUE);
      nl_loss_view_set_dark (NL_LOSS_VIEW (views[2]), TRUE);
      nl_loss_view_set_log_scale (NL_LOSS_VIEW (views[2]), TRUE);
      robust_iterate_for (0.3);
    }

  /* Shrunk to almost nothing, then gone: no division by zero on the way. */
  gtk_window_set_default_size (GTK_WINDOW (window), 40, 20);
  robust_iterate_for (0.3);
  gtk_window_destroy (GTK_WINDOW (window));
  robust_iterate_for (0.1);
  nl_snapshot_unref (snap);
}

/* ------------------------------------------------------------------------------------ */
/* Extreme but legal settings                                                           */

typedef struct
{
  GArray *intervals;   /* of double, ms */
  gint64  last;
} FrameLog;

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  FrameLog *log = data;
  gint64 now = g_get_monotonic_time ();

  if (log->last != 0)
    {
      double ms = (now - log->last) / 1000.0;

      g_array_append_val (log->intervals, ms);
    }
  log->last = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
stopped (gpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (data);

  return snap != NULL && !snap->running
         && snap->command_serial >= nl_training_worker_get_last_serial (nl_window_get_worker (data));
}

static gboolean
trainer_has_extreme (gpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (data);

  return snap != NULL && snap->net.arch.n_hidden == NN_MAX_HIDDEN_LAYERS
         && snap->net.arch.units[NN_MAX_HIDDEN_LAYERS - 1] == NN_MAX_UNITS
         && snap->n_outputs == 8
         && snap->model->dataset->n_train + snap->model->dataset->n_test == 10000;
}

static void
test_extreme_settings (void)
{
  NlWindow *window;
  const NnProject *p;
  FrameLog log = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  guint tick;
  guint64 steps_before, steps_after;
  guint divergences = 0, loop_iterations = 0;
  gint64 start, max_iteration_gap = 0, last_iteration;
  double seconds = 6;
  double *v;
  guint n;

  if (gui_skip_without_display (app))
    return;

  window = robust_open_window (app, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-dataset", "s", "blobs");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-classes", "u", 8);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-count", "u", 10000);
  while (nl_window_get_project (window)->arch.units[0] < NN_MAX_UNITS)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.add-neuron", "u", 0);
  while (nl_window_get_project (window)->arch.n_hidden > 1)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-layer", NULL);
  while (nl_window_get_project (window)->arch.n_hidden < NN_MAX_HIDDEN_LAYERS)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-optimizer", "s", "sgd");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-batch-size", "u", 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d", 10.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-speed", "d", 0.0);

  p = nl_window_get_project (window);
  g_assert_cmpuint (p->arch.n_hidden, ==, 10);
  for (guint l = 0; l < p->arch.n_hidden; l++)
    g_assert_cmpuint (p->arch.units[l], ==, 64);
  g_assert_cmpuint (p->dataset.classes, ==, 8);
  g_assert_cmpuint (p->dataset.count, ==, 10000);
  g_assert_cmpuint (p->batch_size, ==, 1);
  g_assert_cmpfloat (p->optimizer.learning_rate, ==, 10.0);
  start = g_get_monotonic_time ();
  if (!robust_iterate_until (trainer_has_extreme, window, 90))
    {
      NlSnapshot *snap = nl_window_get_snapshot (window);

      g_error ("the trainer has %u hidden layers, last %u units, %u outputs, %u points; %s",
               snap->net.arch.n_hidden, snap->net.arch.units[MAX (snap->net.arch.n_hidden, 1) - 1],
               snap->n_outputs, snap->model->dataset->n_train + snap->model->dataset->n_test,
               snap->error_message != NULL ? snap->error_message : "no error");
    }
  g_test_message ("the worker took the settings in %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_null (nl_window_get_snapshot (window)->error_message);
  steps_before = nl_window_get_snapshot (window)->steps;

  /* Play, and keep playing as a student would: Reset and Play after each divergence. */
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, &log, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  start = last_iteration = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < seconds * G_USEC_PER_SEC)
    {
      NlSnapshot *snap;
      gint64 now;

      robust_iterate_for (0.02);
      now = g_get_monotonic_time ();
      max_iteration_gap = MAX (max_iteration_gap, now - last_iteration);
      last_iteration = now;
      loop_iterations++;
      snap = nl_window_get_snapshot (window);
      if (snap->diverged && !snap->running)
        {
          divergences++;
          gtk_widget_activate_action (GTK_WIDGET (window), "win.reset", NULL);
          gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
          robust_iterate_for (0.05);
        }
    }
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
  /* Flat out, a network this big is pictured only every few seconds; a pause publishes
   * the state as soon as the worker's step ends (a minute is generous; under
   * AddressSanitizer on a loaded machine it has taken longer). */
  if (nl_window_get_snapshot (window)->running)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (robust_iterate_until (stopped, window, 120));
  steps_after = nl_window_get_snapshot (window)->steps;

  /* What drawing this network costs the interface thread, view by view. */
  {
    static const struct { const char *name; const char *child; RenderFunc func; } views[] = {
      { "network", "network_view", render_network },
      { "output", "boundary_view", render_boundary },
      { "loss", "loss_view", render_loss },
    };
    NlSnapshot *snap = nl_window_get_snapshot (window);

    for (guint i = 0; i < G_N_ELEMENTS (views); i++)
      {
        GtkWidget *view = gui_template_child (window, views[i].child);
        int width = MAX (gtk_widget_get_width (view), 1);
        int height = MAX (gtk_widget_get_height (view), 1);
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
        cairo_t *cr = cairo_create (surface);
        gint64 t0 = g_get_monotonic_time ();

        views[i].func (cr, snap, width, height, FALSE);
        g_test_message ("drawing the %s view (%d×%d) of this network: %.1f ms", views[i].name,
                        width, height, (g_get_monotonic_time () - t0) / 1000.0);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
  }

  v = (double *) (gpointer) log.intervals->data;
  n = log.intervals->len;
  g_assert_cmpuint (n, >, 0);
  qsort (v, n, sizeof (double), compare_doubles);
  {
    g_autofree char *line = g_strdup_printf (
      "extreme settings, %.0f s: %u frames (%.1f fps); frame interval median %.1f ms, "
      "p95 %.1f ms, max %.1f ms; longest main-loop stall %.1f ms; %" G_GUINT64_FORMAT
      " steps trained (after the last reset); %u divergences reset",
      seconds, n + 1, (n + 1) / seconds, v[n / 2], v[MIN (n - 1, (guint) (0.95 * n))],
      v[n - 1], max_iteration_gap / 1000.0, steps_after, divergences);

    g_test_message ("%s", line);
    if (g_getenv ("NEURAL_LAB_EXPLODE_REPORT") != NULL)
      printf ("# %s\n", line);
  }

  /* Loose: it drew at least a few frames a second and the loop never froze. */
  g_assert_cmpuint (n + 1, >=, (guint) (2 * seconds));
  g_assert_cmpfloat (max_iteration_gap, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (loop_iterations, >=, 10);
  /* And it trained. */
  g_assert_true (steps_after > steps_before || divergences > 0);

  g_array_unref (log.intervals);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autofree char *state = robust_isolate_state ();
  int status;

  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/explode/divergence-message", test_divergence_message);
  g_test_add_func ("/explode/render-poison", test_render_poison);
  g_test_add_func ("/explode/views-poison", test_views_poison);
  g_test_add_func ("/explode/extreme-settings", test_extreme_settings);

  status = gui_test_run (app);
  test_remove_tree (state);
  return status;
}
