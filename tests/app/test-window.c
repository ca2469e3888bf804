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

static gboolean
stopped (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && !snap->running;
}

static NlWindow *
open_window (const char *example, int width, int height)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "examples",
                                                 example, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NlWindow *window = nl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (nl_window_open_file (window, file, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 10));
  return window;
}

static void
close_window (NlWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Draws the window into a PNG the way GTK 4.8 allows: its paintable → render node → Cairo. */
static void
screenshot (NlWindow *window, const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GskRenderNode *node = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 *pixels;
  guint distinct = 0;
  guint32 first;

  for (int attempt = 0; attempt < 50 && node == NULL; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gui_iterate_until (window, gui_time_passes, NULL, 0.05);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot %s (%d×%d)", path, width, height);

  /* Not a blank picture: many colours (heatmaps, text, links). */
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  first = pixels[0];
  for (int i = 0; i < width * height; i += 97)
    if (pixels[i] != first)
      distinct++;
  g_assert_cmpuint (distinct, >, 100);
  cairo_surface_destroy (surface);
}

static void
test_window_trains (void)
{
  NlWindow *window;
  NlSnapshot *snap;
  double first_loss;
  guint units, epoch;
  GtkWidget *spin;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window ("default.nlab", 1280, 800);
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
  g_assert_true (gui_iterate_until (window, stopped, NULL, 10));

  close_window (window);
}

static void
test_window_controls (void)
{
  NlWindow *window;
  const NnProject *p;
  guint layers;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window ("default.nlab", 1280, 800);
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

  close_window (window);
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

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window ("xor.nlab", 1280, 800);
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

  close_window (window);
  g_remove (saved_path);
  g_remove (bad_path);
  g_rmdir (dir);
}

static void
test_window_shortcuts_and_about (void)
{
  NlWindow *window;
  GtkWindow *overlay;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window ("default.nlab", 1280, 800);

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

  close_window (window);
}

/* `neural-lab missing.nlab`: a window still opens, on the default example, and says why. */
static void
test_window_open_missing_file (void)
{
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/missing.nlab");
  GList *before, *after;
  NlWindow *window = NULL;
  GtkWindow *dialog = NULL;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

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
  close_window (window);
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

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window ("learning-rate-too-high.nlab", 1280, 800);
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

  close_window (window);
}

typedef struct
{
  const char *example;
  int         width, height;
  gboolean    dark;
} ScreenshotCase;

static void
test_window_screenshot (gconstpointer data)
{
  const ScreenshotCase *c = data;
  NlWindow *window;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *stem = NULL;

  if (app == NULL)
    {
      g_test_skip ("no display");
      return;
    }
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

  g_action_group_change_action_state (G_ACTION_GROUP (app), "dark-style",
                                      g_variant_new_boolean (c->dark));
  window = open_window (c->example, c->width, c->height);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (40), 30));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, stopped, NULL, 10));

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
  close_window (window);

  g_action_group_change_action_state (G_ACTION_GROUP (app), "dark-style",
                                      g_variant_new_boolean (FALSE));
}

/* Every example a class meets first, at the three sizes a classroom meets, light and
 * dark; and XOR, the smallest network, on the smallest screen. */
static const ScreenshotCase screenshot_cases[] = {
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
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();

  if (gtk_init_check ())
    {
      g_autoptr(GError) error = NULL;

      app = nl_application_new (G_APPLICATION_NON_UNIQUE);
      if (!g_application_register (G_APPLICATION (app), NULL, &error))
        g_error ("could not register the application: %s", error->message);
      /* Screenshots must not depend on the machine's remembered window state. */
      g_application_hold (G_APPLICATION (app));
    }

  g_test_add_func ("/window/trains", test_window_trains);
  g_test_add_func ("/window/controls", test_window_controls);
  g_test_add_func ("/window/files", test_window_files);
  g_test_add_func ("/window/divergence", test_window_divergence);
  g_test_add_func ("/window/open-missing-file", test_window_open_missing_file);
  g_test_add_func ("/window/shortcuts-and-about", test_window_shortcuts_and_about);
  for (guint i = 0; i < G_N_ELEMENTS (screenshot_cases); i++)
    {
      const ScreenshotCase *c = &screenshot_cases[i];
      g_autofree char *path = g_strdup_printf ("/window/screenshot/%.*s-%dx%d-%s",
                                               (int) (strlen (c->example) - 5), c->example,
                                               c->width, c->height, c->dark ? "dark" : "light");

      g_test_add_data_func (path, c, test_window_screenshot);
    }

  status = g_test_run ();

  if (app != NULL)
    {
      g_application_release (G_APPLICATION (app));
      g_clear_object (&app);
    }
  return status;
}
