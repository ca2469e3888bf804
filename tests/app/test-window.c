/* test-window.c: the real application window under X (Xvfb in the suite).
 *
 * Opens the window on an example, presses Play through its action, lets it train, adds a
 * neuron and changes the learning rate while it trains, the way a user does, and takes
 * screenshots of the window (PNG files in the build directory) at the sizes a classroom
 * meets: 1280×800, 1920×1080 and 1024×640, light and dark.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-application.h"
#include "nl-window.h"
#include "gui-test-utils.h"

static NlApplication *app;

static gboolean
first_layer_has (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->net.arch.n_hidden > 0
         && snap->net.arch.units[0] == GPOINTER_TO_UINT (data);
}

/* A picture of the window in the build directory, and not a blank one: many colours
 * (heatmaps, text, links). */
static void
screenshot (NlWindow *window, const char *name)
{
  g_assert_cmpuint (gui_screenshot (GTK_WIDGET (window), name), >, 100);
}

static void
test_window_trains (void)
{
  NlWindow *window;
  NlSnapshot *snap;
  double first_loss;
  guint units, epoch;
  GtkWidget *spin;

  if (gui_skip_without_display (app))
    return;

  window = gui_open_example (app, "default.nlab", 1280, 800);
  {
    gboolean show_test = FALSE;

    g_object_get (window, "show-test-data", &show_test, NULL);
    g_assert_true (show_test);
  }
  snap = nl_window_get_snapshot (window);
  g_assert_cmpuint (snap->epoch, ==, 0);
  first_loss = snap->stats.train_loss;
  units = snap->net.arch.units[0];

  /* Play, as the header bar button and the Space key do. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (30), 30));
  snap = nl_window_get_snapshot (window);
  g_test_message ("loss %g → %g after %u epochs", first_loss, snap->stats.train_loss, snap->epoch);
  g_assert_true (snap->running);
  g_assert_cmpfloat (snap->stats.train_loss, <, first_loss);

  /* Add a neuron to the first hidden layer with its + button's action. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-neuron", "u", 0);
  g_assert_cmpuint (nl_window_get_project (window)->arch.units[0], ==, units + 1);
  g_assert_true (gui_iterate_until (window, first_layer_has, GUINT_TO_POINTER (units + 1), 10));

  /* Type a new learning rate into the spin button. */
  spin = gui_template_child (window, "learning_rate_spin");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0.01);
  g_assert_cmpfloat (nl_window_get_project (window)->optimizer.learning_rate, ==, 0.01);
  /* ... and pick one from the presets menu (the same action). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d", 0.03);
  g_assert_cmpfloat (nl_window_get_project (window)->optimizer.learning_rate, ==, 0.03);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 0.03);

  /* It kept training through all of it. */
  snap = nl_window_get_snapshot (window);
  epoch = snap->epoch;
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (epoch + 20), 30));
  snap = nl_window_get_snapshot (window);
  g_assert_true (snap->running);
  g_assert_null (snap->error_message);

  screenshot (window, "window-training-1280x800.png");

  /* Pause stops it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));

  gui_close_window (window);
}

static void
test_window_controls (void)
{
  NlWindow *window;
  const NnProject *p;
  guint layers;

  if (gui_skip_without_display (app))
    return;

  window = gui_open_example (app, "default.nlab", 1280, 800);
  p = nl_window_get_project (window);
  layers = p->arch.n_hidden;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  g_assert_cmpuint (nl_window_get_project (window)->arch.n_hidden, ==, layers + 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-layer", NULL);
  g_assert_cmpuint (nl_window_get_project (window)->arch.n_hidden, ==, layers);

  /* Cross-entropy turns a tanh output into a sigmoid one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-activation", "(uu)", layers,
                              (guint) NN_ACTIVATION_TANH);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-loss", "s", "cross_entropy");
  p = nl_window_get_project (window);
  g_assert_cmpint (p->loss, ==, NN_LOSS_CROSS_ENTROPY);
  g_assert_cmpint (p->arch.output_activation, ==, NN_ACTIVATION_SIGMOID);

  /* Regression: one output, mean squared error. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-problem", "s", "regression");
  p = nl_window_get_project (window);
  g_assert_cmpint (p->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpint (p->loss, ==, NN_LOSS_MSE);
  g_assert_cmpuint (p->arch.n_outputs, ==, 1);
  g_assert_true (nn_generator_is_regression (p->dataset.generator));

  /* Back to classification with three blobs: softmax with three outputs. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-problem", "s", "classification");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-dataset", "s", "blobs");
  p = nl_window_get_project (window);
  g_assert_cmpuint (p->dataset.classes, ==, 3);
  g_assert_cmpint (p->arch.output_activation, ==, NN_ACTIVATION_SOFTMAX);
  g_assert_cmpuint (p->arch.n_outputs, ==, 3);

  /* Features: toggled on and off; the last one cannot go. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 2);
  g_assert_cmpuint (nl_window_get_project (window)->features & NN_FEATURE_X1_SQ, !=, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-optimizer", "s", "momentum");
  g_assert_cmpint (nl_window_get_project (window)->optimizer.kind, ==, NN_OPTIMIZER_MOMENTUM);

  /* Everything reached the trainer without an error. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.step-epoch", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (1), 10));
  g_assert_null (nl_window_get_snapshot (window)->error_message);
  g_assert_cmpuint (nl_window_get_snapshot (window)->n_outputs, ==, 3);

  gui_close_window (window);
}

static void
test_window_files (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *saved_path = NULL;
  g_autoptr(GFile) bad = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NnProject) reloaded = NULL;
  NlWindow *window;
  NlSnapshot *snap;
  guint units;

  if (gui_skip_without_display (app))
    return;

  window = gui_open_example (app, "xor.nlab", 1280, 800);
  units = nl_window_get_project (window)->arch.units[0];
  dir = g_dir_make_tmp ("neural-lab-test-XXXXXX", &error);
  g_assert_no_error (error);

  /* A broken file is refused with a message, and the open project stays. */
  bad_path = g_build_filename (dir, "broken.nlab", NULL);
  g_assert_true (g_file_set_contents (bad_path, "{ \"format\": \"neural-lab\", \"version\": 1, ", -1, NULL));
  bad = g_file_new_for_path (bad_path);
  g_assert_false (nl_window_open_file (window, bad, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (nl_window_get_project (window)->arch.units[0], ==, units);
  g_assert_nonnull (nl_window_get_worker (window));

  /* Train a little, save, and the file holds the trained weights. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.step-epoch", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (1), 10));
  snap = nl_window_get_snapshot (window);
  saved_path = g_build_filename (dir, "saved.nlab", NULL);
  saved = g_file_new_for_path (saved_path);
  g_assert_true (nl_window_save_to_file (window, saved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (nl_window_get_file (window), saved));

  reloaded = nn_project_load (saved_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reloaded->n_weights, ==, snap->net.n_params);
  for (gsize i = 0; i < reloaded->n_weights; i++)
    g_assert_cmpfloat (reloaded->weights[i], ==, snap->net.params[i]);

  /* Saving into a folder that does not exist fails with a message and loses nothing. */
  {
    g_autofree char *nowhere_path = g_build_filename (dir, "missing", "x.nlab", NULL);
    g_autoptr(GFile) nowhere = g_file_new_for_path (nowhere_path);

    g_assert_false (nl_window_save_to_file (window, nowhere, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_true (g_file_equal (nl_window_get_file (window), saved));
  }

  /* And it opens again. */
  g_assert_true (nl_window_open_file (window, saved, &error));
  g_assert_no_error (error);

  gui_close_window (window);
  g_remove (saved_path);
  g_remove (bad_path);
  g_rmdir (dir);
}

static void
test_window_shortcuts_and_about (void)
{
  NlWindow *window;
  GtkWindow *overlay;

  if (gui_skip_without_display (app))
    return;

  window = gui_open_example (app, "default.nlab", 1280, 800);

  /* The shortcuts window comes from the resources and lists the transport keys. */
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  {
    /* GTK 4.8's shortcuts window has labels that report a negative minimum width once it
     * lays out long shortcut lists (a GTK bug, English and Japanese alike; GTK logs it
     * through structured logging, which no fatal handler can filter). While it shows,
     * warnings are not fatal. */
    GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);

    g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
    gui_iterate_until (window, gui_time_passes, NULL, 0.2);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
    gtk_window_close (overlay);
    gui_iterate_until (window, gui_time_passes, NULL, 0.1);
    g_log_set_always_fatal (fatal);
  }

  /* Every transport action is there and enabled. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "open"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "save-as"));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.save-as");

    g_assert_cmpstr (accels[0], ==, "<Shift><Control>s");
  }

  /* The About dialog opens over the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  {
    GList *toplevels = gtk_window_list_toplevels ();
    GtkWindow *about = NULL;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (GTK_IS_ABOUT_DIALOG (l->data))
        about = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (about);
    g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_VERSION);
    gtk_window_destroy (about);
  }

  /* Examples load from the resources through the menu's action. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-example", g_variant_new_string ("spiral"));
  g_assert_cmpint (nl_window_get_project (window)->dataset.generator, ==, NN_GENERATOR_SPIRAL);
  g_assert_null (nl_window_get_file (window));

  gui_close_window (window);
}

/* `neural-lab missing.nlab`: a window still opens, on the default example, and says why. */
static void
test_window_open_missing_file (void)
{
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/missing.nlab");
  GList *before, *after;
  NlWindow *window = NULL;
  GtkWindow *dialog = NULL;

  if (gui_skip_without_display (app))
    return;

  before = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_null (before);
  g_application_open (G_APPLICATION (app), &missing, 1, "");
  after = gtk_application_get_windows (GTK_APPLICATION (app));
  for (GList *l = after; l != NULL; l = l->next)
    if (NL_IS_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);
  g_assert_nonnull (nl_window_get_worker (window));
  g_assert_null (nl_window_get_file (window));
  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 10));

  {
    GList *toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (GTK_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_list_free (toplevels);
  }
  g_assert_nonnull (dialog);
  gtk_window_destroy (dialog);
  gui_close_window (window);
}

static gboolean
diverged (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->diverged;
}

/* Too high a learning rate: training pauses itself and the window says why, in words. */
static void
test_window_divergence (void)
{
  NlWindow *window;
  NlSnapshot *snap;
  GtkWidget *revealer, *label;

  if (gui_skip_without_display (app))
    return;

  window = gui_open_example (app, "learning-rate-too-high.nlab", 1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, diverged, NULL, 30));
  snap = nl_window_get_snapshot (window);
  g_assert_false (snap->running);
  for (gsize i = 0; i < snap->net.n_params; i++)
    g_assert_true (isfinite (snap->net.params[i]));

  revealer = gui_template_child (window, "banner_revealer");
  label = gui_template_child (window, "banner_label");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_test_message ("banner: %s", gtk_label_get_label (GTK_LABEL (label)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "diverged"));
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  screenshot (window, "window-diverged-1280x800.png");

  /* Reset takes it back to a trainable start. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset", NULL);
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  g_assert_false (nl_window_get_snapshot (window)->diverged);
  g_assert_cmpuint (nl_window_get_snapshot (window)->epoch, ==, 0);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  gui_close_window (window);
}

/* A loss that has grown huge without diverging yet reads as a short number, and the window
 * keeps its size: "%.4f" once printed 1.4e307 as 308 digits, and the label asked for a
 * window five times as wide as the screen. */
static void
test_window_huge_loss (void)
{
  g_autofree char *example = gui_example_path ("regression.nlab");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NnProject) project = NULL;
  g_autoptr(NnNetwork) net = NULL;
  NlWindow *window;
  const NlSnapshot *snap;
  const char *shown;
  int width;

  if (gui_skip_without_display (app))
    return;

  /* Every weight zero and the output's bias 1e150: an identity output of 1e150 everywhere,
   * a squared error near 1e300, finite. */
  project = nn_project_load (example, &error);
  g_assert_no_error (error);
  net = nn_network_new (&project->arch, 1, &error);
  g_assert_no_error (error);
  memset (net->params, 0, net->n_params * sizeof (double));
  net->params[net->layers[net->n_layers - 1].b_offset] = 1e150;
  nn_project_set_weights (project, net->params, net->n_params);
  dir = g_dir_make_tmp ("neural-lab-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "huge-loss.nlab", NULL);
  g_assert_true (nn_project_save (project, path, &error));
  g_assert_no_error (error);

  window = gui_open_file (app, path, 1024, 640);
  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 10));
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  snap = nl_window_get_snapshot (window);
  g_assert_true (isfinite (snap->stats.train_loss));
  g_assert_cmpfloat (snap->stats.train_loss, >, 1e299);

  shown = gtk_label_get_label (GTK_LABEL (gui_template_child (window, "train_loss_label")));
  g_test_message ("a loss of %g reads \"%s\"", snap->stats.train_loss, shown);
  g_assert_cmpuint (g_utf8_strlen (shown, -1), <=, 12);
  g_assert_nonnull (strstr (shown, "e+"));
  width = gtk_widget_get_width (GTK_WIDGET (window));
  g_assert_cmpint (width, <=, 1024 + 24);

  gui_close_window (window);
  g_remove (path);
  g_rmdir (dir);
}

static void
test_window_screenshot (gconstpointer data)
{
  const GuiViewCase *c = data;
  NlWindow *window;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *stem = NULL;

  if (gui_skip_without_display (app))
    return;
  {
    GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    GdkRectangle geometry;

    gdk_monitor_get_geometry (monitor, &geometry);
    if (geometry.width < c->width || geometry.height < c->height)
      {
        g_test_skip_printf ("the screen (%d×%d) is smaller than %d×%d", geometry.width,
                            geometry.height, c->width, c->height);
        return;
      }
  }

  gui_set_dark_style (app, c->dark);
  window = gui_open_example (app, c->example, c->width, c->height);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (40), 30));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));

  /* What each pane asks for, to see who widens the window when it is too wide. */
  {
    GtkWidget *content = gtk_window_get_child (GTK_WINDOW (window));
    GtkWidget *main_box = gtk_widget_get_last_child (content);

    for (GtkWidget *w = gtk_widget_get_first_child (main_box); w; w = gtk_widget_get_next_sibling (w))
      {
        int min, nat;

        gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
        g_test_message ("pane %s: min %d nat %d actual %d", G_OBJECT_TYPE_NAME (w), min, nat,
                        gtk_widget_get_width (w));
        /* Down the widest child, to the widget that asks for the width. */
        for (GtkWidget *v = w; v != NULL;)
          {
            GtkWidget *widest = NULL;
            int widest_min = -1;

            for (GtkWidget *k = gtk_widget_get_first_child (v); k;
                 k = gtk_widget_get_next_sibling (k))
              {
                int kmin;

                if (!gtk_widget_should_layout (k))
                  continue;
                gtk_widget_measure (k, GTK_ORIENTATION_HORIZONTAL, -1, &kmin, NULL, NULL, NULL);
                if (kmin > widest_min)
                  widest = k, widest_min = kmin;
              }
            if (widest != NULL)
              g_test_message ("  widest child %s%s%s: min %d", G_OBJECT_TYPE_NAME (widest),
                              gtk_widget_get_name (widest)[0] ? " " : "",
                              gtk_widget_get_name (widest), widest_min);
            v = widest;
          }
      }
  }
  /* The window is the size asked for, less at most the frame the theme draws around it. */
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - c->width), <=, 24);
  g_assert_cmpint (ABS (gtk_widget_get_height (GTK_WIDGET (window)) - c->height), <=, 24);

  stem = g_strndup (c->example, strlen (c->example) - strlen (".nlab"));
  name = g_strdup_printf ("window-%s-%dx%d-%s.png", stem, c->width, c->height,
                          c->dark ? "dark" : "light");
  screenshot (window, name);
  gui_close_window (window);

  gui_set_dark_style (app, FALSE);
}

/* Every example a class meets first, at the three sizes a classroom meets, light and
 * dark; and XOR, the smallest network, on the smallest screen. */
static const GuiViewCase screenshot_cases[] = {
  { "default.nlab", 1280, 800, FALSE },
  { "default.nlab", 1280, 800, TRUE },
  { "default.nlab", 1920, 1080, FALSE },
  { "default.nlab", 1920, 1080, TRUE },
  { "default.nlab", 1024, 640, FALSE },
  { "default.nlab", 1024, 640, TRUE },
  { "spiral.nlab", 1280, 800, FALSE },
  { "spiral.nlab", 1280, 800, TRUE },
  { "spiral.nlab", 1920, 1080, FALSE },
  { "spiral.nlab", 1920, 1080, TRUE },
  { "spiral.nlab", 1024, 640, FALSE },
  { "spiral.nlab", 1024, 640, TRUE },
  { "softmax-three-classes.nlab", 1280, 800, FALSE },
  { "softmax-three-classes.nlab", 1280, 800, TRUE },
  { "softmax-three-classes.nlab", 1920, 1080, FALSE },
  { "softmax-three-classes.nlab", 1920, 1080, TRUE },
  { "softmax-three-classes.nlab", 1024, 640, FALSE },
  { "softmax-three-classes.nlab", 1024, 640, TRUE },
  { "regression.nlab", 1280, 800, FALSE },
  { "regression.nlab", 1280, 800, TRUE },
  { "regression.nlab", 1920, 1080, FALSE },
  { "regression.nlab", 1920, 1080, TRUE },
  { "regression.nlab", 1024, 640, FALSE },
  { "regression.nlab", 1024, 640, TRUE },
  { "xor.nlab", 1024, 640, FALSE },
};

int
main (int argc, char *argv[])
{
  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/window/trains", test_window_trains);
  g_test_add_func ("/window/controls", test_window_controls);
  g_test_add_func ("/window/files", test_window_files);
  g_test_add_func ("/window/divergence", test_window_divergence);
  g_test_add_func ("/window/huge-loss", test_window_huge_loss);
  g_test_add_func ("/window/open-missing-file", test_window_open_missing_file);
  g_test_add_func ("/window/shortcuts-and-about", test_window_shortcuts_and_about);
  gui_add_view_cases ("/window/screenshot", screenshot_cases, G_N_ELEMENTS (screenshot_cases),
                      test_window_screenshot);

  return gui_test_run (app);
}
