/* test-compare.c: the "Compare optimizers" window under X (Xvfb in the suite).
 *
 * Opens it from the main window's action, loads each classic lesson, races it and checks
 * the lesson on the race the window owns; sets a new start by clicking the plot; computes
 * the network's loss grid in the worker while the window keeps drawing frames; exports the
 * trajectories and the picture; and takes screenshots (PNG files in the build directory)
 * at 1280×800 and 1024×640, light and dark.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "nl-application.h"
#include "nl-compare-window.h"
#include "nl-network-view.h"
#include "nl-surface-view.h"
#include "nl-window.h"
#include "gui-test-utils.h"

static NlApplication *app;

typedef gboolean (*Condition) (NlCompareWindow *compare, gconstpointer data);

typedef struct
{
  NlCompareWindow *compare;
  Condition        done;
  gconstpointer    data;
} CompareWait;

static gboolean
compare_wait_over (NlWindow *unused, gconstpointer data)
{
  const CompareWait *wait = data;

  return wait->done (wait->compare, wait->data);
}

/* gui_iterate_until for a condition on the compare window. */
static gboolean
iterate_until (NlCompareWindow *compare, Condition done, gconstpointer data, double seconds)
{
  CompareWait wait = { compare, done, data };

  return gui_iterate_until (NULL, compare_wait_over, &wait, seconds);
}

static gboolean
ready (NlCompareWindow *compare, gconstpointer data)
{
  return !nl_compare_window_is_busy (compare) && nl_compare_window_has_grid (compare);
}

static gboolean
step_reached (NlCompareWindow *compare, gconstpointer data)
{
  return nl_compare_window_get_step (compare) >= GPOINTER_TO_UINT (data);
}

static NlCompareWindow *
find_compare (void)
{
  return (NlCompareWindow *) gui_find_toplevel (NL_TYPE_COMPARE_WINDOW);
}

/* The main window on an example and its compare window, opened through win.compare. */
static NlCompareWindow *
open_compare (const char *project_path, NlWindow **main_out, int width, int height)
{
  NlWindow *main_window = gui_open_file (app, project_path, 1280, 800);
  NlCompareWindow *compare;

  gtk_widget_activate_action (GTK_WIDGET (main_window), "win.compare", NULL);
  compare = find_compare ();
  g_assert_nonnull (compare);
  /* The action brings the same window back rather than opening another. */
  gtk_widget_activate_action (GTK_WIDGET (main_window), "win.compare", NULL);
  g_assert_true (find_compare () == compare);
  gtk_window_set_default_size (GTK_WINDOW (compare), width, height);
  gtk_window_present (GTK_WINDOW (compare));
  g_assert_true (iterate_until (compare, ready, NULL, 20));
  *main_out = main_window;
  return compare;
}

static void
close_all (NlWindow *main_window)
{
  /* The compare window goes with its main window. */
  gui_close_window (main_window);
  g_assert_null (find_compare ());
}

static GtkWidget *
child (NlCompareWindow *compare, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (compare), NL_TYPE_COMPARE_WINDOW,
                                                   name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
set_speed (NlCompareWindow *compare, double position)
{
  gtk_range_set_value (GTK_RANGE (child (compare, "speed_scale")), position);
}

/* A picture of the compare window in the build directory; never a blank one. */
static void
screenshot (NlCompareWindow *compare, const char *name)
{
  g_assert_cmpuint (gui_screenshot (GTK_WIDGET (compare), name), >, 100);
}

static int
runner_named (NnRace *race, const char *label)
{
  for (guint i = 0; i < nn_race_get_n_runners (race); i++)
    if (g_strcmp0 (nn_race_get_runner_label (race, i), label) == 0)
      return (int) i;
  g_error ("no runner “%s”", label);
  return -1;
}

static NnCriticalKind
nearest_kind (NnRace *race, const NnRunnerResult *res)
{
  guint n;
  const NnCriticalPoint *cp = nn_surface_get_critical_points (nn_race_get_surface (race), &n);

  g_assert_cmpint (res->nearest_minimum, >=, 0);
  g_assert_cmpint (res->nearest_minimum, <, (int) n);
  return cp[res->nearest_minimum].kind;
}

/* How often the trajectory's y changes sign: zig-zags across a valley along x. */
static guint
y_sign_changes (NnRace *race, guint runner)
{
  guint n, changes = 0;
  const NnTrajectoryPoint *p = nn_race_get_trajectory (race, runner, &n);

  for (guint i = 1; i < n; i++)
    changes += (p[i].y > 0) != (p[i - 1].y > 0) && fabs (p[i].y) > 1e-6;
  return changes;
}

static void
check_lesson (NnRace *race, NnRacePreset preset)
{
  NnRunnerResult gd, other, third;

  switch (preset)
    {
    case NN_RACE_PRESET_LOCAL_MINIMUM:
      /* GD settles in the local minimum; momentum rolls over into the global one. */
      nn_race_get_result (race, runner_named (race, "gd"), &gd);
      nn_race_get_result (race, runner_named (race, "momentum"), &other);
      g_assert_cmpint (nearest_kind (race, &gd), ==, NN_CRITICAL_LOCAL_MINIMUM);
      g_assert_cmpfloat (gd.distance, <, 0.05);
      g_assert_cmpint (nearest_kind (race, &other), ==, NN_CRITICAL_GLOBAL_MINIMUM);
      g_assert_cmpfloat (other.distance, <, 0.05);
      g_assert_cmpfloat (other.loss, <, gd.loss - 0.5);
      break;
    case NN_RACE_PRESET_RAVINE:
      /* GD zig-zags across the ravine and ends further from the minimum than Adam. */
      nn_race_get_result (race, runner_named (race, "gd"), &gd);
      nn_race_get_result (race, runner_named (race, "adam"), &other);
      g_assert_cmpuint (y_sign_changes (race, runner_named (race, "gd")), >=, 10);
      g_assert_cmpuint (y_sign_changes (race, runner_named (race, "adam")), <,
                        y_sign_changes (race, runner_named (race, "gd")) / 3);
      g_assert_cmpfloat (other.distance, <, gd.distance);
      break;
    case NN_RACE_PRESET_DIVERGENCE:
      /* A small rate creeps, one near the limit overshoots back and forth yet gets there
       * first, one too large diverges. */
      nn_race_get_result (race, runner_named (race, "gd-lr0.03"), &gd);
      nn_race_get_result (race, runner_named (race, "gd-lr0.9"), &other);
      nn_race_get_result (race, runner_named (race, "gd-lr1.05"), &third);
      g_assert_cmpint (gd.state, !=, NN_RUNNER_DIVERGED);
      g_assert_cmpint (other.state, !=, NN_RUNNER_DIVERGED);
      g_assert_cmpfloat (other.distance, <, 1e-3);
      g_assert_cmpfloat (gd.distance, >, 100 * other.distance);
      g_assert_cmpuint (y_sign_changes (race, runner_named (race, "gd-lr0.9")), >=, 20);
      g_assert_cmpint (third.state, ==, NN_RUNNER_DIVERGED);
      break;
    case NN_N_RACE_PRESETS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_presets (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;

  if (gui_skip_without_display (app))
    return;
  gui_set_dark_style (app, FALSE);
  compare = open_compare (path, &main_window, 1280, 800);
  /* It opens on the first lesson. */
  g_assert_cmpint (nl_compare_window_get_source (compare), ==, NL_COMPARE_TEXTBOOK);
  g_assert_cmpint (nn_surface_get_kind (nn_race_get_surface (nl_compare_window_get_race (compare))),
                   ==, NN_SURFACE_TWO_MINIMA);

  for (NnRacePreset p = 0; p < NN_N_RACE_PRESETS; p++)
    {
      const char *name = nn_race_preset_to_string (p);
      guint steps = nn_race_preset_get_steps (p);
      g_autofree char *light = g_strdup_printf ("compare-%s-1280x800-light.png", name);
      g_autofree char *dark = g_strdup_printf ("compare-%s-1280x800-dark.png", name);
      NnRace *race;

      gtk_widget_activate_action (GTK_WIDGET (compare), "compare.preset", "s", name);
      g_assert_true (iterate_until (compare, ready, NULL, 20));
      race = nl_compare_window_get_race (compare);
      g_assert_nonnull (race);
      g_assert_cmpuint (nn_race_get_step (race), ==, 0);

      /* Play at a classroom's pace for a moment, then fast to the end. */
      set_speed (compare, 2);
      gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
      g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (3), 10));
      set_speed (compare, 7);
      g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (steps), 30)
                     || nn_race_get_step (race) > 0);
      gui_iterate_until (NULL, gui_time_passes, NULL, 0.2);
      race = nl_compare_window_get_race (compare);
      g_test_message ("%s: %u steps", name, nn_race_get_step (race));
      check_lesson (race, p);

      screenshot (compare, light);
      gui_set_dark_style (app, TRUE);
      screenshot (compare, dark);
      gui_set_dark_style (app, FALSE);
    }

  /* The lesson in 3-D. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.view-3d", NULL);
  screenshot (compare, "compare-divergence-3d-1280x800-light.png");
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.view-3d", NULL);
  close_all (main_window);
}

/* Every textbook surface draws; the small screen still shows plot, losses and table. */
static void
test_small_screen (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;

  if (gui_skip_without_display (app))
    return;
  gui_set_dark_style (app, FALSE);
  compare = open_compare (path, &main_window, 1024, 640);
  for (guint k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (child (compare, "surface_dropdown")), k);
      g_assert_true (iterate_until (compare, ready, NULL, 20));
      g_assert_cmpint (nn_surface_get_kind (nn_race_get_surface (nl_compare_window_get_race (compare))),
                       ==, (NnSurfaceKind) k);
    }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (compare, "surface_dropdown")),
                              NN_SURFACE_ROSENBROCK);
  g_assert_true (iterate_until (compare, ready, NULL, 20));
  set_speed (compare, 7);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
  g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (300), 30));
  screenshot (compare, "compare-rosenbrock-1024x640-light.png");
  gui_set_dark_style (app, TRUE);
  screenshot (compare, "compare-rosenbrock-1024x640-dark.png");
  gui_set_dark_style (app, FALSE);
  close_all (main_window);
}

/* A click on the plot sets the start there and restarts the race from it. */
static void
test_click_sets_start (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;
  NlSurfaceView *view;
  const NlSurfaceLayout *layout;
  NnRace *race;
  double wx, wy, x, y, sx, sy;
  NlSurfaceScene scene;

  if (gui_skip_without_display (app))
    return;
  compare = open_compare (path, &main_window, 1280, 800);
  race = nl_compare_window_get_race (compare);
  set_speed (compare, 7);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
  g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (50), 20));

  view = NL_SURFACE_VIEW (nl_compare_window_get_surface_view (compare));
  layout = nl_surface_view_get_layout (view);
  wx = layout->plot.x + 0.3 * layout->plot.width;
  wy = layout->plot.y + 0.65 * layout->plot.height;
  /* The plane point under that pixel, as the drawing maps it. */
  nl_surface_scene_init (&scene);
  g_assert_true (nl_surface_layout_from_widget (layout, &scene, wx, wy, &x, &y));
  g_assert_true (nl_surface_view_click (view, wx, wy));

  race = nl_compare_window_get_race (compare);
  nn_race_get_start (race, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, x, 1e-9);
  g_assert_cmpfloat_with_epsilon (sy, y, 1e-9);
  g_assert_cmpuint (nn_race_get_step (race), ==, 0);
  /* ... and it races from there: every trajectory begins at the clicked point. */
  g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (20), 20));
  race = nl_compare_window_get_race (compare);
  for (guint r = 0; r < nn_race_get_n_runners (race); r++)
    {
      guint n;
      const NnTrajectoryPoint *p = nn_race_get_trajectory (race, r, &n);

      g_assert_cmpuint (n, >, 1);
      g_assert_cmpfloat (p[0].x, ==, sx);
      g_assert_cmpfloat (p[0].y, ==, sy);
    }
  /* Outside the plot nothing happens. */
  g_assert_false (nl_surface_view_click (view, 1, 1));
  close_all (main_window);
}

/* The fair race sweeps in the worker and gives each runner a rate of the sweep's grid. */
static void
test_fair_race (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;
  NnRace *race;
  NnSweepConfig cfg;

  if (gui_skip_without_display (app))
    return;
  compare = open_compare (path, &main_window, 1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.preset", "s", "ravine");
  g_assert_true (iterate_until (compare, ready, NULL, 20));
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.fair-race", NULL);
  g_assert_true (nl_compare_window_is_busy (compare));
  g_assert_true (iterate_until (compare, ready, NULL, 30));
  race = nl_compare_window_get_race (compare);
  nn_sweep_config_init (&cfg);
  for (guint r = 0; r < nn_race_get_n_runners (race); r++)
    {
      double lr = nn_race_get_runner_config (race, r)->optimizer.learning_rate;
      double k = log10 (lr / cfg.lr_min) / log10 (cfg.lr_max / cfg.lr_min) * (cfg.n_rates - 1);

      g_test_message ("%s: best rate %g", nn_race_get_runner_label (race, r), lr);
      g_assert_cmpfloat (fabs (k - round (k)), <, 1e-6);
    }
  close_all (main_window);
}

typedef struct
{
  guint   updates;
  gint64  first_frame;
  gint64  last_frame;
  gint64  max_gap;
  gint64  last_cpu;
  gint64  max_cpu;
  guint   frames_while_busy;
} Watch;

/* CPU time of the calling thread, in microseconds. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_progress (GObject *object, GParamSpec *pspec, Watch *watch)
{
  watch->updates++;
}

static gboolean
watch_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Watch *watch = data;
  gint64 now = g_get_monotonic_time (), cpu = thread_cpu_us ();

  /* From the first progress on: the frame that shows the network page after the switch
   * lays out and draws a new page (some 80 ms of the main thread's own work), which is not
   * the jobs' doing. */
  if (nl_compare_window_is_busy (NL_COMPARE_WINDOW (widget))
      && (watch->first_frame != 0
          || nl_compare_window_get_progress (NL_COMPARE_WINDOW (widget)) > 0))
    {
      if (watch->first_frame == 0)
        watch->first_frame = now;
      watch->frames_while_busy++;
      if (watch->last_frame != 0)
        {
          watch->max_gap = MAX (watch->max_gap, now - watch->last_frame);
          watch->max_cpu = MAX (watch->max_cpu, cpu - watch->last_cpu);
        }
      watch->last_frame = now;
      watch->last_cpu = cpu;
    }
  else
    watch->last_frame = 0;
  return G_SOURCE_CONTINUE;
}

/* The network's own loss for the W2 benchmark network: runs trained and the 61×61 grid
 * computed in the worker, with progress, while the window keeps drawing frames. */
static void
test_network_loss (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "bench", "projects",
                                                 "w2.nlab", NULL);
  g_autofree char *csv_path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  NlWindow *main_window;
  NlCompareWindow *compare;
  NnLandscape *ls;
  Watch watch = { 0 };
  guint tick, res = 0;
  gulong handler;
  double ms;

  if (gui_skip_without_display (app))
    return;
  gui_set_dark_style (app, FALSE);
  compare = open_compare (path, &main_window, 1280, 800);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (compare), watch_frame, &watch, NULL);
  handler = g_signal_connect (compare, "notify::progress", G_CALLBACK (on_progress), &watch);

  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.source", "s", "network");
  g_assert_true (nl_compare_window_is_busy (compare));
  g_assert_true (iterate_until (compare, ready, NULL, 120));
  g_signal_handler_disconnect (compare, handler);
  gtk_widget_remove_tick_callback (GTK_WIDGET (compare), tick);

  ms = nl_compare_window_get_grid_ms (compare, &res);
  g_test_message ("W2: %u progress updates, %u frames drawn in %.0f ms of work, longest gap "
                  "between frames %.0f ms (%.0f ms of it the main thread's own work); %u×%u "
                  "loss grid in %.1f ms",
                  watch.updates, watch.frames_while_busy,
                  (watch.last_frame - watch.first_frame) / 1000.0, watch.max_gap / 1000.0,
                  watch.max_cpu / 1000.0, res, res, ms);
  g_assert_cmpuint (res, >=, 60);
  g_assert_cmpfloat (ms, >, 0);
  g_assert_cmpuint (watch.updates, >=, 5);
  /* The window drew frames all along, and the main thread never worked long between two:
   * had it computed the grid, one gap would hold the grid's whole CPU time. (Wall-clock
   * gaps also count the time a loaded machine gives other processes.) */
  g_assert_cmpuint (watch.frames_while_busy, >=, 3);
  g_assert_cmpfloat (watch.max_cpu / 1000.0, <, ms / 3);

  /* The runs all start from the same weights, one per optimizer switched on. */
  ls = nl_compare_window_get_landscape (compare);
  g_assert_nonnull (ls);
  g_assert_cmpuint (nn_landscape_get_n_runs (ls), ==, 5);
  for (guint r = 1; r < nn_landscape_get_n_runs (ls); r++)
    g_assert_cmpmem (nn_landscape_get_point (ls, r, 0), nn_landscape_get_n_params (ls) * sizeof (double),
                     nn_landscape_get_point (ls, 0, 0), nn_landscape_get_n_params (ls) * sizeof (double));

  /* Animated to the end, then pictures. */
  set_speed (compare, 8);
  g_assert_true (iterate_until (compare, step_reached,
                                GUINT_TO_POINTER (nn_landscape_get_max_steps (ls)), 20));
  screenshot (compare, "compare-network-1280x800-light.png");
  gui_set_dark_style (app, TRUE);
  screenshot (compare, "compare-network-1280x800-dark.png");
  gui_set_dark_style (app, FALSE);

  /* The CSV holds the projected runs: α, β and the true loss of every recorded step. */
  dir = g_dir_make_tmp ("neural-lab-compare-XXXXXX", &error);
  g_assert_no_error (error);
  csv_path = g_build_filename (dir, "network.csv", NULL);
  {
    g_autoptr(GFile) file = g_file_new_for_path (csv_path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    guint expected = 1;

    g_assert_true (nl_compare_window_save_csv (compare, file, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    for (guint r = 0; r < nn_landscape_get_n_runs (ls); r++)
      expected += nn_landscape_get_n_points (ls, r);
    g_assert_cmpstr (lines[0], ==, "optimizer,step,x,y,loss");
    g_assert_cmpuint (g_strv_length (lines) - 1, ==, expected); /* the last line is empty */
    g_remove (csv_path);
  }

  /* A click on the plane trains the runs again from the weights at that point; the plane
   * and its grid stay. */
  {
    NlSurfaceView *view = NL_SURFACE_VIEW (nl_compare_window_get_surface_view (compare));
    const NlSurfaceLayout *layout = nl_surface_view_get_layout (view);
    double wx = layout->plot.x + 0.25 * layout->plot.width;
    double wy = layout->plot.y + 0.3 * layout->plot.height;

    g_assert_true (nl_surface_view_click (view, wx, wy));
    g_assert_true (nl_compare_window_is_busy (compare));
    g_assert_true (iterate_until (compare, ready, NULL, 60));
    g_assert_cmpfloat (nl_compare_window_get_grid_ms (compare, NULL), ==, ms);
    ls = nl_compare_window_get_landscape (compare);
    g_assert_nonnull (ls);
  }

  /* Cancel stops a job at once and leaves the window working. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.train", NULL);
  g_assert_true (nl_compare_window_is_busy (compare));
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.cancel", NULL);
  gui_iterate_until (NULL, gui_time_passes, NULL, 0.5);
  g_assert_false (nl_compare_window_is_busy (compare));

  g_rmdir (dir);
  close_all (main_window);
}

/* ---- Picking the plane's two weights by clicking links of the main window ---------------- */

static guint
selected (NlCompareWindow *compare, const char *name)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (child (compare, name)));
}

static void
selected_weight (NlCompareWindow *compare, gboolean second, NnWeightRef *ref)
{
  ref->layer = selected (compare, second ? "weight_b_layer" : "weight_a_layer");
  ref->out = selected (compare, second ? "weight_b_out" : "weight_a_out");
  ref->in = selected (compare, second ? "weight_b_in" : "weight_a_in");
}

static void
assert_weight (NlCompareWindow *compare, gboolean second, const NnWeightRef *expected)
{
  NnWeightRef ref;

  selected_weight (compare, second, &ref);
  g_assert_cmpuint (ref.layer, ==, expected->layer);
  g_assert_cmpuint (ref.out, ==, expected->out);
  g_assert_cmpuint (ref.in, ==, expected->in);
}

/* A click on the link of weight `ref` in the main window's network view, a fifth of the
 * way along it (where links of one gap rarely cross). */
static gboolean
click_link (NlNetworkView *view, const NnWeightRef *ref)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  double x, y;

  /* The view draws once the main window's worker has sent its first snapshot. */
  while (!nl_network_view_link_point (view, ref->layer, ref->out, ref->in, 0.2, &x, &y)
         && g_get_monotonic_time () < end)
    gui_iterate_until (NULL, gui_time_passes, NULL, 0.05);
  g_assert_true (nl_network_view_link_point (view, ref->layer, ref->out, ref->in, 0.2, &x, &y));
  return nl_network_view_click (view, x, y);
}

/* The window's plane is the two weights' plane, and its loss grid is the loss over it. */
static void
assert_plane_of (NlCompareWindow *compare, const NnWeightRef *a, const NnWeightRef *b)
{
  const NnLossGrid *grid = NULL;
  const NnPlane *plane = nl_compare_window_get_plane (compare, &grid);
  NnLandscape *ls = nl_compare_window_get_landscape (compare);
  g_autoptr(NnLossEvaluator) ev = NULL;
  g_autofree double *theta = NULL;
  gsize ia, ib;
  double sum1 = 0, sum2 = 0;

  g_assert_nonnull (plane);
  g_assert_nonnull (grid);
  g_assert_nonnull (ls);
  g_assert_cmpint (plane->kind, ==, NN_PLANE_WEIGHTS);
  ev = nn_loss_evaluator_copy (nn_landscape_get_evaluator (ls));
  g_assert_true (nn_weight_ref_index (nn_loss_evaluator_get_network (ev), a, &ia, NULL));
  g_assert_true (nn_weight_ref_index (nn_loss_evaluator_get_network (ev), b, &ib, NULL));
  g_assert_cmpuint (ia, !=, ib);
  /* α moves the first weight alone, β the second. */
  for (gsize i = 0; i < plane->n_params; i++)
    {
      sum1 += fabs (plane->d1[i]);
      sum2 += fabs (plane->d2[i]);
    }
  g_assert_cmpfloat (plane->d1[ia], ==, 1);
  g_assert_cmpfloat (plane->d2[ib], ==, 1);
  g_assert_cmpfloat (sum1, ==, 1);
  g_assert_cmpfloat (sum2, ==, 1);
  /* The grid was computed on this plane: a few of its nodes, evaluated again. */
  g_assert_cmpuint (grid->rows_done, ==, grid->res);
  theta = g_new (double, plane->n_params);
  for (guint k = 0; k < 3; k++)
    {
      guint row = (k * 23 + 5) % grid->res, col = (k * 37 + 11) % grid->res;

      nn_plane_lift (plane, nn_box_node_x (&grid->box, grid->res, col),
                     nn_box_node_y (&grid->box, grid->res, row), theta);
      g_assert_cmpfloat_with_epsilon (grid->values[(gsize) row * grid->res + col],
                                      nn_loss_evaluator_eval (ev, theta), 1e-12);
    }
}

static gboolean
picking_is (NlCompareWindow *compare, gconstpointer data)
{
  gboolean picking;

  g_object_get (compare, "picking", &picking, NULL);
  return picking == GPOINTER_TO_INT (data);
}

/* "Pick in the network": clicks on links of the main window's network view pick the two
 * weights of the plane, α then β; a click on a picked one un-picks it; the dropdowns and
 * the plane follow; Escape (the view's picking ending) goes back to editing. */
static void
test_pick_weights (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;
  NlNetworkView *view;
  /* default.nlab: x1, x2 → 4 → 2 → 1. */
  const NnWeightRef a = { 1, 1, 2 }, b = { 0, 3, 0 }, c = { 2, 0, 1 }, d = { 0, 0, 1 };

  if (gui_skip_without_display (app))
    return;
  gui_set_dark_style (app, FALSE);
  compare = open_compare (path, &main_window, 1280, 800);
  view = NL_NETWORK_VIEW (gtk_widget_get_template_child (GTK_WIDGET (main_window), NL_TYPE_WINDOW,
                                                         "network_view"));
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.source", "s", "network");
  g_assert_true (iterate_until (compare, ready, NULL, 60));
  g_assert_false (nl_network_view_get_picking (view));

  /* Picking switches the plane to two weights and the main view to picking. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.pick-weights", NULL);
  g_assert_true (picking_is (compare, GINT_TO_POINTER (TRUE)));
  g_assert_true (nl_network_view_get_picking (view));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (compare, "pick_button"))));
  g_assert_cmpuint (selected (compare, "plane_dropdown"), ==, 2);

  /* First click α, second β. */
  g_assert_true (click_link (view, &a));
  assert_weight (compare, FALSE, &a);
  g_assert_true (click_link (view, &b));
  assert_weight (compare, FALSE, &a);
  assert_weight (compare, TRUE, &b);
  g_assert_true (nl_compare_window_is_busy (compare));
  g_assert_true (iterate_until (compare, ready, NULL, 60));
  assert_plane_of (compare, &a, &b);
  g_assert_cmpuint (gui_screenshot (GTK_WIDGET (main_window),
                                    "compare-pick-main-1280x800-light.png"), >, 100);
  set_speed (compare, 8);
  g_assert_true (iterate_until (compare, step_reached,
                                GUINT_TO_POINTER (nn_landscape_get_max_steps (
                                  nl_compare_window_get_landscape (compare))), 20));
  screenshot (compare, "compare-pick-plane-1280x800-light.png");

  /* A click on α un-picks it: nothing changes until a click picks its replacement. */
  g_assert_true (click_link (view, &a));
  g_assert_false (nl_compare_window_is_busy (compare));
  g_assert_true (click_link (view, &c));
  assert_weight (compare, FALSE, &c);
  assert_weight (compare, TRUE, &b);
  g_assert_true (iterate_until (compare, ready, NULL, 60));
  assert_plane_of (compare, &c, &b);

  /* Escape ends picking in the view: the compare window follows, and a click on a link is
   * an edit again, not a pick. */
  nl_network_view_set_picking (view, FALSE);
  g_assert_true (picking_is (compare, GINT_TO_POINTER (FALSE)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (compare,
                                                                          "pick_button"))));
  g_assert_true (click_link (view, &d));
  assert_weight (compare, FALSE, &c);
  assert_weight (compare, TRUE, &b);
  g_assert_false (nl_compare_window_is_busy (compare));

  /* Turned on again, then off from the compare window: the view goes back to editing. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.pick-weights", NULL);
  g_assert_true (nl_network_view_get_picking (view));
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.pick-weights", NULL);
  g_assert_false (nl_network_view_get_picking (view));
  close_all (main_window);
}

static gboolean
progress_past (NlCompareWindow *compare, gconstpointer data)
{
  return nl_compare_window_get_progress (compare) > *(const double *) data;
}

/* Closing the compare window while a job runs in the worker, once while the runs train and
 * once while the loss grid is computed: the job is cancelled, and neither its progress nor
 * its completion reaches the freed window (ASan watches in the sanitizer build). */
static void
test_close_while_busy (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "bench", "projects",
                                                 "w2.nlab", NULL);

  if (gui_skip_without_display (app))
    return;
  for (guint grid = 0; grid < 2; grid++)
    {
      NlWindow *main_window;
      NlCompareWindow *compare = open_compare (path, &main_window, 1280, 800);
      gpointer gone = compare;
      /* The grid is the last 80 % of the plane job's bar. */
      const double started = grid ? 0.3 : 0.0;

      g_object_add_weak_pointer (G_OBJECT (compare), &gone);
      gtk_widget_activate_action (GTK_WIDGET (compare), "compare.source", "s", "network");
      if (grid)
        {
          /* The runs first; then another plane, whose grid is cut short. */
          g_assert_true (iterate_until (compare, ready, NULL, 120));
          gtk_drop_down_set_selected (GTK_DROP_DOWN (child (compare, "plane_dropdown")), 1);
        }
      g_assert_true (nl_compare_window_is_busy (compare));
      iterate_until (compare, progress_past, &started, 30);
      g_test_message ("closing at %.0f %% of the %s",
                      100 * nl_compare_window_get_progress (compare),
                      grid ? "loss grid" : "runs' training");
      g_assert_cmpfloat (nl_compare_window_get_progress (compare), >, started);
      g_assert_true (nl_compare_window_is_busy (compare));
      gtk_window_destroy (GTK_WINDOW (compare));
      /* The window is freed once the worker has handed its job back. */
      gui_iterate_until (NULL, gui_time_passes, NULL, 0.2);
      {
        gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

        while (gone != NULL && g_get_monotonic_time () < end)
          g_main_context_iteration (NULL, TRUE);
      }
      g_assert_null (gone);
      /* Progress queued before the cancel finds nobody. */
      gui_iterate_until (NULL, gui_time_passes, NULL, 0.2);
      close_all (main_window);
    }
}

/* The CSV has a row per recorded point of every runner; the picture exports as PNG, SVG
 * and PDF. */
static void
test_exports (void)
{
  g_autofree char *path = gui_example_path ("default.nlab");
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  NlWindow *main_window;
  NlCompareWindow *compare;
  NnRace *race;
  const char *names[] = { "race.png", "race.svg", "race.pdf" };

  if (gui_skip_without_display (app))
    return;
  compare = open_compare (path, &main_window, 1280, 800);
  set_speed (compare, 5);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
  g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (40), 20));
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
  race = nl_compare_window_get_race (compare);

  dir = g_dir_make_tmp ("neural-lab-compare-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *csv = g_build_filename (dir, "race.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (csv);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) first = NULL;
    guint rows = 0;
    double sx, sy;

    g_assert_true (nl_compare_window_save_csv (compare, file, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "optimizer,step,x,y,loss");
    for (guint r = 0; r < nn_race_get_n_runners (race); r++)
      {
        guint n;
        nn_race_get_trajectory (race, r, &n);
        rows += n;
      }
    g_assert_cmpuint (g_strv_length (lines) - 2, ==, rows);
    /* The first row: the first runner at step 0, at the start. */
    first = g_strsplit (lines[1], ",", -1);
    nn_race_get_start (race, &sx, &sy);
    g_assert_cmpstr (first[0], ==, nn_race_get_runner_label (race, 0));
    g_assert_cmpstr (first[1], ==, "0");
    g_assert_cmpfloat (g_ascii_strtod (first[2], NULL), ==, sx);
    g_assert_cmpfloat (g_ascii_strtod (first[3], NULL), ==, sy);
    g_remove (csv);
  }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file_path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (file_path);
      GStatBuf st;

      g_assert_true (nl_compare_window_save_picture (compare, file, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (file_path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 10000);
      if (i == 0)
        {
          cairo_surface_t *png = cairo_image_surface_create_from_png (file_path);
          g_autofree char *kept = g_test_build_filename (G_TEST_BUILT, "compare-export.png", NULL);

          g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
          g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1400);
          /* A copy to look at. */
          g_assert_cmpint (cairo_surface_write_to_png (png, kept), ==, CAIRO_STATUS_SUCCESS);
          cairo_surface_destroy (png);
        }
      g_remove (file_path);
    }
  g_rmdir (dir);
  close_all (main_window);
}

/* Logistic regression through the origin on the circle example's data: a real
 * two-parameter surface with mini-batch noise. */
static void
test_model (void)
{
  g_autofree char *path = gui_example_path ("xor.nlab");
  NlWindow *main_window;
  NlCompareWindow *compare;
  NnRace *race;
  guint n;

  if (gui_skip_without_display (app))
    return;
  compare = open_compare (path, &main_window, 1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.source", "s", "model");
  g_assert_true (iterate_until (compare, ready, NULL, 20));
  race = nl_compare_window_get_race (compare);
  g_assert_nonnull (race);
  g_assert_true (nn_surface_kind_is_data (nn_surface_get_kind (nn_race_get_surface (race))));
  g_assert_cmpuint (nn_surface_get_n_samples (nn_race_get_surface (race)), >, 0);
  set_speed (compare, 6);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.play-pause", NULL);
  g_assert_true (iterate_until (compare, step_reached, GUINT_TO_POINTER (100), 20));
  race = nl_compare_window_get_race (compare);
  g_assert_cmpuint (nn_race_get_n_runners (race), ==, 5);
  nn_race_get_trajectory (race, 0, &n);
  g_assert_cmpuint (n, >, 100);
  screenshot (compare, "compare-model-1280x800-light.png");
  close_all (main_window);
}

int
main (int argc, char *argv[])
{
  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/compare/presets", test_presets);
  g_test_add_func ("/compare/small-screen", test_small_screen);
  g_test_add_func ("/compare/click-sets-start", test_click_sets_start);
  g_test_add_func ("/compare/fair-race", test_fair_race);
  g_test_add_func ("/compare/exports", test_exports);
  g_test_add_func ("/compare/model", test_model);
  g_test_add_func ("/compare/network-loss", test_network_loss);
  g_test_add_func ("/compare/pick-weights", test_pick_weights);
  g_test_add_func ("/compare/close-while-busy", test_close_while_busy);

  return gui_test_run (app);
}
