/* test-controls.c: everything issue 3 asks a user to do with the mouse, done through the
 * widgets a mouse reaches (under Xvfb in the suite).
 *
 * Each check finds the widget the user would click — a dataset thumbnail, a drop-down, a
 * scale, a spin button, a header bar button, a layer's +/− buttons — and operates it as a
 * click does (gtk_widget_activate on a button or a thumbnail, set_selected on a drop-down,
 * set_value on a scale or spin button), then checks the project, the trainer's snapshot
 * and what the window shows. Buttons at the engine's limits must be greyed out, and every
 * setting changed while training runs must reach the trainer without stopping it.
 *
 * Two display-free checks of src/render sit here too, for the parts of the views these
 * controls rely on: the bias squares (drawn in the sign's colour, found by hit-testing) and
 * the loss axis after a divergence.
 */
#include <math.h>
#include <string.h>

#include "nl-application.h"
#include "nl-dataset-picker.h"
#include "nl-render.h"
#include "nl-window.h"
#include "gui-test-utils.h"

static NlApplication *app;

/* ------------------------------------------------------------------------------------ */
/* Running the main loop                                                                */

static void
wait_seconds (NlWindow *window, double seconds)
{
  gui_iterate_until (window, gui_time_passes, NULL, seconds);
}

static gboolean
snapshot_after (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->command_serial >= *(const guint64 *) data;
}

/* A snapshot made after the trainer applied everything sent to it so far: the worker
 * applies commands in order, so a marker command (the optimizer settings the project
 * already has: a no-op) sent now comes back once all before it are in. */
static NlSnapshot *
fresh_snapshot (NlWindow *window)
{
  guint64 marker = nl_training_worker_set_optimizer (nl_window_get_worker (window),
                                                     &nl_window_get_project (window)->optimizer);

  g_assert_true (gui_iterate_until (window, snapshot_after, &marker, 10));
  return nl_window_get_snapshot (window);
}

static gboolean
is_running (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->running == GPOINTER_TO_INT (data);
}

/* ------------------------------------------------------------------------------------ */
/* Finding what the user clicks                                                          */

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static void
collect (GtkWidget *root, Match match, gconstpointer data, GPtrArray *found)
{
  if (match (root, data))
    g_ptr_array_add (found, root);
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    collect (w, match, data, found);
}

/* The one widget under root that matches. */
static GtkWidget *
find_one (GtkWidget *root, Match match, gconstpointer data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, match, data, found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* A button bound to an action, e.g. "win.step" (with no other button bound to it). */
static gboolean
button_with_action (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
button_with_label (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
action_button (NlWindow *window, const char *action)
{
  return find_one (GTK_WIDGET (window), button_with_action, action);
}

/* The transport buttons of the header bar (the banner has a Reset button too). */
static GtkWidget *
header_button (NlWindow *window, const char *action)
{
  return find_one (gtk_window_get_titlebar (GTK_WINDOW (window)), button_with_action, action);
}

/* A click, as the button's click gesture ends in: "clicked" (gtk_widget_activate would
 * emit it only after a keyboard-press animation). Greyed out buttons cannot be clicked. */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The layer's − or + neuron button above its column in the network view. */
typedef struct { guint layer; gboolean add; } NeuronButton;

static gboolean
neuron_button (GtkWidget *widget, gconstpointer data)
{
  const NeuronButton *b = data;

  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "neuron-button")
         && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "nl-layer")) == b->layer
         && !!GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "nl-add")) == b->add;
}

static gboolean
neuron_button_mapped (NlWindow *window, gconstpointer data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (gui_template_child (window, "network_view"), neuron_button, data, found);
  return found->len == 1 && gtk_widget_get_mapped (g_ptr_array_index (found, 0));
}

/* On the screen: with many layers the columns' controls sit in compact menus, and come back
 * above the columns once the layers are fewer. */
static GtkWidget *
neuron_button_of (NlWindow *window, guint layer, gboolean add)
{
  NeuronButton b = { layer, add };

  g_assert_true (gui_iterate_until (window, neuron_button_mapped, &b, 5));
  return find_one (gui_template_child (window, "network_view"), neuron_button, &b);
}

static gboolean
column_menu (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_widget_has_css_class (widget, "column-menu")
         && gtk_widget_get_mapped (widget);
}

static gboolean
column_menus_shown (NlWindow *window, gconstpointer data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (gui_template_child (window, "network_view"), column_menu, NULL, found);
  return found->len == GPOINTER_TO_UINT (data);
}

/* The compact menu of a hidden layer: the one whose popover holds that layer's buttons. */
static gboolean
column_menu_of (GtkWidget *widget, gconstpointer data)
{
  NeuronButton b = { GPOINTER_TO_UINT (data), TRUE };
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  if (!column_menu (widget, NULL))
    return FALSE;
  collect (widget, neuron_button, &b, found);
  return found->len == 1;
}

static gboolean
activation_dropdown (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_DROP_DOWN (widget) && gtk_widget_has_css_class (widget, "activation-dropdown");
}

/* The activation drop-downs above the hidden layers and the output, left to right. */
static GPtrArray *
activation_dropdowns (NlWindow *window)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (gui_template_child (window, "network_view"), activation_dropdown, NULL, found);
  return found;
}

static const char *
dropdown_text (GtkWidget *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static void
choose (GtkWidget *dropdown, const char *text)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));

  g_assert_true (gtk_widget_is_sensitive (dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
          return;
        }
    }
  g_error ("no “%s” in the drop-down", text);
}

static gboolean
thumbnail_child (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_FLOW_BOX_CHILD (widget)
         && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "nl-generator"))
              == GPOINTER_TO_UINT (data);
}

/* The picker's thumbnail of a generator. */
static GtkWidget *
thumbnail (NlWindow *window, NnGenerator generator)
{
  return find_one (gui_template_child (window, "dataset_picker"), thumbnail_child,
                   GUINT_TO_POINTER (generator));
}

static gboolean
thumbnail_selected (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_FLOW_BOX_CHILD (widget)
         && gtk_flow_box_child_is_selected (GTK_FLOW_BOX_CHILD (widget));
}

/* The generator whose thumbnail shows as chosen (exactly one may). */
static NnGenerator
chosen_thumbnail (NlWindow *window)
{
  GtkWidget *child = find_one (gui_template_child (window, "dataset_picker"), thumbnail_selected,
                               NULL);

  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), "nl-generator"));
}

static void
set_spin (NlWindow *window, const char *name, double value)
{
  GtkWidget *spin = gui_template_child (window, name);

  g_assert_true (gtk_widget_get_visible (spin));
  g_assert_true (gtk_widget_is_sensitive (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static gboolean
shown (NlWindow *window, const char *name)
{
  return gtk_widget_is_visible (gui_template_child (window, name));
}

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                  */

static void
test_data (void)
{
  const NnProject *p;
  NlWindow *window;
  GtkWidget *problem, *classes;
  NlSnapshot *snap;
  guint32 seed;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  problem = gui_template_child (window, "problem_dropdown");
  classes = gui_template_child (window, "classes_spin");

  /* Every generator of the engine has a visible thumbnail, whatever the problem. */
  for (NnGenerator g = 0; g < NN_GENERATOR_POINTS; g++)
    g_assert_true (gtk_widget_is_visible (thumbnail (window, g)));
  g_assert_cmpint (chosen_thumbnail (window), ==, NN_GENERATOR_CIRCLE);
  g_assert_false (gtk_widget_is_visible (classes));

  /* A regression thumbnail switches the problem, and the drop-down follows. */
  gtk_widget_activate (thumbnail (window, NN_GENERATOR_MULTI_GAUSS));
  p = nl_window_get_project (window);
  g_assert_cmpint (p->dataset.generator, ==, NN_GENERATOR_MULTI_GAUSS);
  g_assert_cmpint (p->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpint (p->loss, ==, NN_LOSS_MSE);
  g_assert_cmpstr (dropdown_text (problem), ==, "Regression");
  g_assert_cmpint (chosen_thumbnail (window), ==, NN_GENERATOR_MULTI_GAUSS);
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_outputs, ==, 1);
  g_assert_null (snap->error_message);

  /* Spirals have two to four arms: the classes spin appears with that range. */
  gtk_widget_activate (thumbnail (window, NN_GENERATOR_SPIRAL));
  p = nl_window_get_project (window);
  g_assert_cmpint (p->problem, ==, NN_PROBLEM_CLASSIFICATION);
  g_assert_cmpstr (dropdown_text (problem), ==, "Classification");
  g_assert_true (gtk_widget_is_visible (classes));
  {
    double lo, hi;

    gtk_spin_button_get_range (GTK_SPIN_BUTTON (classes), &lo, &hi);
    g_assert_cmpfloat (lo, ==, 2);
    g_assert_cmpfloat (hi, ==, 4);
  }
  set_spin (window, "classes_spin", 4);
  p = nl_window_get_project (window);
  g_assert_cmpuint (p->dataset.classes, ==, 4);
  g_assert_cmpint (p->arch.output_activation, ==, NN_ACTIVATION_SOFTMAX);
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_outputs, ==, 4);
  g_assert_cmpuint (snap->model->dataset->classes, ==, 4);

  /* Blobs: two to eight. */
  gtk_widget_activate (thumbnail (window, NN_GENERATOR_BLOBS));
  {
    double lo, hi;

    gtk_spin_button_get_range (GTK_SPIN_BUTTON (classes), &lo, &hi);
    g_assert_cmpfloat (hi, ==, 8);
  }
  set_spin (window, "classes_spin", 8);
  g_assert_cmpuint (nl_window_get_project (window)->dataset.classes, ==, 8);
  set_spin (window, "classes_spin", 2);
  g_assert_cmpuint (nl_window_get_project (window)->dataset.classes, ==, 2);
  g_assert_cmpuint (nl_window_get_project (window)->arch.n_outputs, ==, 1);

  /* Moons have two classes: no classes spin. */
  gtk_widget_activate (thumbnail (window, NN_GENERATOR_MOONS));
  g_assert_false (gtk_widget_is_visible (classes));

  /* The problem drop-down picks the matching set. */
  choose (problem, "Regression");
  p = nl_window_get_project (window);
  g_assert_cmpint (p->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_true (nn_generator_is_regression (chosen_thumbnail (window)));
  choose (problem, "Classification");
  g_assert_false (nn_generator_is_regression (chosen_thumbnail (window)));
  g_assert_cmpint (nl_window_get_project (window)->problem, ==, NN_PROBLEM_CLASSIFICATION);

  /* Noise and the train/test ratio, by their scales; the labels say the value. */
  gtk_range_set_value (GTK_RANGE (gui_template_child (window, "noise_scale")), 30);
  g_assert_cmpfloat_with_epsilon (nl_window_get_project (window)->dataset.noise, 0.3, 1e-12);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gui_template_child (window, "noise_value_label"))),
                   ==, "30 %");
  gtk_range_set_value (GTK_RANGE (gui_template_child (window, "ratio_scale")), 70);
  g_assert_cmpfloat_with_epsilon (nl_window_get_project (window)->dataset.train_ratio, 0.7, 1e-12);
  set_spin (window, "count_spin", 300);
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->model->dataset->n_train + snap->model->dataset->n_test, ==, 300);
  g_assert_cmpuint (snap->model->dataset->n_train, ==, 210);
  g_assert_cmpfloat_with_epsilon (snap->model->project->dataset.noise, 0.3, 1e-12);

  /* Regenerate: new points (a new seed). */
  seed = nl_window_get_project (window)->seed;
  click (find_one (GTK_WIDGET (window), button_with_label, "Regenerate"));
  g_assert_cmpuint (nl_window_get_project (window)->seed, !=, seed);
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->model->project->seed, ==, nl_window_get_project (window)->seed);

  gui_close_window (window);
}

/* ------------------------------------------------------------------------------------ */
/* The network                                                                           */

static gboolean
units_shown (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->net.arch.n_hidden > 0
         && snap->net.arch.units[0] == GPOINTER_TO_UINT (data);
}

static void
test_network (void)
{
  NlWindow *window;
  GtkWidget *add_layer, *remove_layer, *add, *remove;
  g_autoptr(GPtrArray) dropdowns = NULL;
  NlSnapshot *snap;
  guint layers, units;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  add_layer = action_button (window, "win.add-layer");
  remove_layer = action_button (window, "win.remove-layer");

  /* Hidden layers: up to the engine's ten, and the + button greys out there. */
  layers = nl_window_get_project (window)->arch.n_hidden;
  while (nl_window_get_project (window)->arch.n_hidden < NN_MAX_HIDDEN_LAYERS)
    click (add_layer);
  g_assert_false (gtk_widget_is_sensitive (add_layer));
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_hidden, ==, NN_MAX_HIDDEN_LAYERS);
  g_assert_null (snap->error_message);

  /* Eleven columns are too narrow for their controls: each gets a compact menu, and the
   * layer's buttons are one click away in its popover. */
  g_assert_true (gui_iterate_until (window, column_menus_shown,
                                GUINT_TO_POINTER (NN_MAX_HIDDEN_LAYERS + 1), 5));
  {
    GtkWidget *menu = find_one (gui_template_child (window, "network_view"), column_menu_of,
                                GUINT_TO_POINTER (NN_MAX_HIDDEN_LAYERS - 1));
    guint before = nl_window_get_project (window)->arch.units[NN_MAX_HIDDEN_LAYERS - 1];
    GtkWidget *label;

    /* The choice holds: the same menus a while later, not rebuilt frame after frame. */
    g_object_add_weak_pointer (G_OBJECT (menu), (gpointer *) &menu);
    wait_seconds (window, 0.5);
    g_assert_nonnull (menu);
    g_object_remove_weak_pointer (G_OBJECT (menu), (gpointer *) &menu);

    label = gtk_menu_button_get_child (GTK_MENU_BUTTON (menu));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "tanh");
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    click (neuron_button_of (window, NN_MAX_HIDDEN_LAYERS - 1, TRUE));
    g_assert_cmpuint (nl_window_get_project (window)->arch.units[NN_MAX_HIDDEN_LAYERS - 1], ==,
                      before + 1);
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
  }
  while (nl_window_get_project (window)->arch.n_hidden > 0)
    click (remove_layer);
  g_assert_false (gtk_widget_is_sensitive (remove_layer));
  g_assert_true (gtk_widget_is_sensitive (add_layer));
  for (guint i = 0; i < layers; i++)
    click (add_layer);
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_hidden, ==, layers);

  /* Neurons: down to one and up to 64 with the layer's own buttons, greyed at both ends. */
  units = nl_window_get_project (window)->arch.units[0];
  while (units > 1)
    {
      click (neuron_button_of (window, 0, FALSE));
      g_assert_cmpuint (nl_window_get_project (window)->arch.units[0], ==, --units);
      g_assert_true (gui_iterate_until (window, units_shown, GUINT_TO_POINTER (units), 10));
    }
  remove = neuron_button_of (window, 0, FALSE);
  g_assert_false (gtk_widget_is_sensitive (remove));
  while (units < NN_MAX_UNITS)
    {
      click (neuron_button_of (window, 0, TRUE));
      g_assert_cmpuint (nl_window_get_project (window)->arch.units[0], ==, ++units);
      g_assert_true (gui_iterate_until (window, units_shown, GUINT_TO_POINTER (units), 10));
    }
  add = neuron_button_of (window, 0, TRUE);
  g_assert_false (gtk_widget_is_sensitive (add));
  g_assert_true (gtk_widget_is_sensitive (neuron_button_of (window, 0, FALSE)));
  g_assert_cmpuint (fresh_snapshot (window)->net.arch.units[0], ==, NN_MAX_UNITS);

  /* Each layer's activation from its own drop-down. */
  dropdowns = activation_dropdowns (window);
  g_assert_cmpuint (dropdowns->len, ==, layers + 1);
  choose (g_ptr_array_index (dropdowns, 0), "ReLU");
  g_assert_cmpint (nl_window_get_project (window)->arch.activation[0], ==, NN_ACTIVATION_RELU);
  snap = fresh_snapshot (window);
  g_assert_cmpint (snap->net.arch.activation[0], ==, NN_ACTIVATION_RELU);
  g_clear_pointer (&dropdowns, g_ptr_array_unref);
  dropdowns = activation_dropdowns (window);
  choose (g_ptr_array_index (dropdowns, dropdowns->len - 1), "Sigmoid");
  g_assert_cmpint (fresh_snapshot (window)->net.arch.output_activation, ==,
                   NN_ACTIVATION_SIGMOID);

  /* Features on and off; the last one stays. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 4);
  g_assert_cmpuint (nl_window_get_project (window)->features & NN_FEATURE_X1_X2, !=, 0);
  g_assert_cmpuint (fresh_snapshot (window)->net.arch.n_inputs, ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 4);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 1);
  g_assert_cmpuint (nl_window_get_project (window)->features, ==, NN_FEATURE_X2);

  /* The output follows the problem: one linear unit for regression ... */
  choose (gui_template_child (window, "problem_dropdown"), "Regression");
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_outputs, ==, 1);
  g_clear_pointer (&dropdowns, g_ptr_array_unref);
  dropdowns = activation_dropdowns (window);
  g_assert_cmpstr (dropdown_text (g_ptr_array_index (dropdowns, dropdowns->len - 1)), ==,
                   "Identity");
  /* ... one softmax unit per class for three blobs, with nothing else to choose. */
  gtk_widget_activate (thumbnail (window, NN_GENERATOR_BLOBS));
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->net.arch.n_outputs, ==, 3);
  g_clear_pointer (&dropdowns, g_ptr_array_unref);
  dropdowns = activation_dropdowns (window);
  g_assert_cmpstr (dropdown_text (g_ptr_array_index (dropdowns, dropdowns->len - 1)), ==,
                   "Softmax");
  g_assert_false (gtk_widget_is_sensitive (g_ptr_array_index (dropdowns, dropdowns->len - 1)));

  gui_close_window (window);
}

/* ------------------------------------------------------------------------------------ */
/* Training                                                                              */

static gboolean
steps_at_least (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->steps >= GPOINTER_TO_SIZE (data);
}

static void
test_training (void)
{
  static const struct
  {
    const char *name;
    gboolean    batch, momentum, alpha, betas;
  } optimizers[] = {
    { "GD (full batch)", FALSE, FALSE, FALSE, FALSE },
    { "SGD", TRUE, FALSE, FALSE, FALSE },
    { "Momentum", TRUE, TRUE, FALSE, FALSE },
    { "RMSProp", TRUE, FALSE, TRUE, FALSE },
    { "Adam", TRUE, FALSE, FALSE, TRUE },
  };
  NlWindow *window;
  GtkWidget *play, *speed, *speed_label;
  NlSnapshot *snap;
  guint64 steps;
  guint epoch;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);

  /* Loss: cross-entropy makes the output a probability. */
  choose (gui_template_child (window, "loss_dropdown"), "Cross-entropy");
  g_assert_cmpint (nl_window_get_project (window)->loss, ==, NN_LOSS_CROSS_ENTROPY);
  g_assert_cmpint (fresh_snapshot (window)->net.arch.output_activation, ==,
                   NN_ACTIVATION_SIGMOID);

  /* Each optimizer shows its own hyper-parameters and no others. */
  for (guint i = 0; i < G_N_ELEMENTS (optimizers); i++)
    {
      choose (gui_template_child (window, "optimizer_dropdown"), optimizers[i].name);
      g_assert_cmpint (nl_window_get_project (window)->optimizer.kind, ==, i);
      g_assert_true (shown (window, "learning_rate_spin"));
      g_assert_cmpint (shown (window, "batch_spin"), ==, optimizers[i].batch);
      g_assert_cmpint (shown (window, "batch_label"), ==, optimizers[i].batch);
      g_assert_cmpint (shown (window, "momentum_spin"), ==, optimizers[i].momentum);
      g_assert_cmpint (shown (window, "rms_alpha_spin"), ==, optimizers[i].alpha);
      g_assert_cmpint (shown (window, "beta1_spin"), ==, optimizers[i].betas);
      g_assert_cmpint (shown (window, "beta2_spin"), ==, optimizers[i].betas);
      g_assert_cmpint (fresh_snapshot (window)->optimizer->cfg.kind, ==, i);
    }
  set_spin (window, "beta1_spin", 0.8);
  set_spin (window, "beta2_spin", 0.99);
  set_spin (window, "learning_rate_spin", 0.01);
  snap = fresh_snapshot (window);
  g_assert_cmpfloat_with_epsilon (snap->optimizer->cfg.beta1, 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (snap->optimizer->cfg.beta2, 0.99, 1e-12);
  g_assert_cmpfloat_with_epsilon (snap->optimizer->cfg.learning_rate, 0.01, 1e-12);
  choose (gui_template_child (window, "optimizer_dropdown"), "Momentum");
  set_spin (window, "momentum_spin", 0.5);
  g_assert_cmpfloat_with_epsilon (fresh_snapshot (window)->optimizer->cfg.momentum, 0.5, 1e-12);
  choose (gui_template_child (window, "optimizer_dropdown"), "RMSProp");
  set_spin (window, "rms_alpha_spin", 0.9);
  g_assert_cmpfloat_with_epsilon (fresh_snapshot (window)->optimizer->cfg.alpha, 0.9, 1e-12);
  choose (gui_template_child (window, "optimizer_dropdown"), "SGD");
  set_spin (window, "batch_spin", 25);
  g_assert_cmpuint (nl_window_get_project (window)->batch_size, ==, 25);

  /* Regularization: its rate only means something once one is chosen. */
  g_assert_false (gtk_widget_is_sensitive (gui_template_child (window, "regularization_rate_spin")));
  choose (gui_template_child (window, "regularization_dropdown"), "L2");
  g_assert_true (gtk_widget_is_sensitive (gui_template_child (window, "regularization_rate_spin")));
  set_spin (window, "regularization_rate_spin", 0.01);
  g_assert_cmpint (nl_window_get_project (window)->regularization, ==, NN_REGULARIZATION_L2);
  g_assert_cmpfloat_with_epsilon (nl_window_get_project (window)->regularization_rate, 0.01,
                                  1e-12);

  /* Seed. */
  set_spin (window, "seed_spin", 42);
  g_assert_cmpuint (fresh_snapshot (window)->model->project->seed, ==, 42);

  /* Transport: one batch, one epoch, play, pause, reset; the header bar's buttons. */
  play = gui_template_child (window, "play_button");
  snap = fresh_snapshot (window);
  g_assert_false (snap->running);
  steps = snap->steps;
  click (header_button (window, "win.step"));
  g_assert_true (gui_iterate_until (window, steps_at_least, GSIZE_TO_POINTER (steps + 1), 10));
  g_assert_cmpuint (nl_window_get_snapshot (window)->steps, ==, steps + 1);
  epoch = nl_window_get_snapshot (window)->epoch;
  click (header_button (window, "win.step-epoch"));
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (epoch + 1), 10));
  g_assert_cmpuint (fresh_snapshot (window)->epoch, ==, epoch + 1);
  g_assert_false (nl_window_get_snapshot (window)->running);

  /* The slowest speed is one step a second ... */
  speed = gui_template_child (window, "speed_scale");
  speed_label = gui_template_child (window, "speed_label");
  gtk_range_set_value (GTK_RANGE (speed), 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (speed_label)), ==, "1 step/s");
  steps = fresh_snapshot (window)->steps;
  {
    gint64 start = g_get_monotonic_time ();
    double seconds;

    click (play);
    g_assert_true (gui_iterate_until (window, is_running, GINT_TO_POINTER (TRUE), 5));
    wait_seconds (window, 2.5);
    snap = fresh_snapshot (window);
    seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    g_test_message ("at one step a second: %" G_GUINT64_FORMAT " steps in %.2f s",
                    snap->steps - steps, seconds);
    /* The first step at once, then one a second. */
    g_assert_cmpuint (snap->steps - steps, >=, 2);
    g_assert_cmpfloat (snap->steps - steps, <=, floor (seconds) + 1);
  }
  /* ... the fastest, as fast as it goes. */
  gtk_range_set_value (GTK_RANGE (speed),
                       gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (speed))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (speed_label)), ==, "Max");
  steps = fresh_snapshot (window)->steps;
  wait_seconds (window, 1.0);
  snap = fresh_snapshot (window);
  g_test_message ("at full speed: %" G_GUINT64_FORMAT " steps in 1 s", snap->steps - steps);
  g_assert_cmpuint (snap->steps - steps, >, 100);
  g_assert_true (snap->running);

  click (play);
  g_assert_true (gui_iterate_until (window, is_running, GINT_TO_POINTER (FALSE), 5));
  click (header_button (window, "win.reset"));
  snap = fresh_snapshot (window);
  g_assert_cmpuint (snap->epoch, ==, 0);
  g_assert_cmpuint (snap->steps, ==, 0);

  gui_close_window (window);
}

/* Every change made while training runs reaches the trainer, and training goes on. */
static gboolean
applied_while_running (NlWindow *window, NlSnapshot **out)
{
  NlSnapshot *snap;
  guint epoch;

  snap = fresh_snapshot (window);
  epoch = snap->epoch;
  if (!gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (epoch + 2), 10))
    return FALSE;
  *out = nl_window_get_snapshot (window);
  return (*out)->running && (*out)->error_message == NULL;
}

static void
test_changes_while_training (void)
{
  g_autoptr(GPtrArray) dropdowns = NULL;
  NlWindow *window;
  NlSnapshot *snap;
  guint units;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  click (gui_template_child (window, "play_button"));
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (5), 20));

  set_spin (window, "learning_rate_spin", 0.003);
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpfloat_with_epsilon (snap->optimizer->cfg.learning_rate, 0.003, 1e-12);

  choose (gui_template_child (window, "optimizer_dropdown"), "RMSProp");
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpint (snap->optimizer->cfg.kind, ==, NN_OPTIMIZER_RMSPROP);

  units = nl_window_get_project (window)->arch.units[0];
  click (neuron_button_of (window, 0, TRUE));
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpuint (snap->net.arch.units[0], ==, units + 1);

  dropdowns = activation_dropdowns (window);
  choose (g_ptr_array_index (dropdowns, 0), "Leaky ReLU");
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpint (snap->net.arch.activation[0], ==, NN_ACTIVATION_LEAKY_RELU);

  click (action_button (window, "win.add-layer"));
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpuint (snap->net.arch.n_hidden, ==, nl_window_get_project (window)->arch.n_hidden);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-feature", "u", 2);
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpuint (snap->model->project->features & NN_FEATURE_X1_SQ, !=, 0);

  gtk_range_set_value (GTK_RANGE (gui_template_child (window, "noise_scale")), 20);
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpfloat_with_epsilon (snap->model->project->dataset.noise, 0.2, 1e-12);

  choose (gui_template_child (window, "regularization_dropdown"), "L1");
  g_assert_true (applied_while_running (window, &snap));

  choose (gui_template_child (window, "loss_dropdown"), "Cross-entropy");
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpint (snap->model->project->loss, ==, NN_LOSS_CROSS_ENTROPY);

  set_spin (window, "seed_spin", 7);
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpuint (snap->model->project->seed, ==, 7);

  click (find_one (GTK_WIDGET (window), button_with_label, "Regenerate"));
  g_assert_true (applied_while_running (window, &snap));
  g_assert_cmpuint (snap->model->project->seed, !=, 7);

  click (gui_template_child (window, "play_button"));
  g_assert_true (gui_iterate_until (window, is_running, GINT_TO_POINTER (FALSE), 5));
  gui_close_window (window);
}

/* ------------------------------------------------------------------------------------ */
/* Biases (display-free)                                                                 */

static void
test_bias_squares (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NnNetwork) net = NULL;
  g_autoptr(NlNetworkLayout) layout = nl_network_layout_new ();
  NnArchitecture arch;
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;
  cairo_surface_t *surface;
  cairo_t *cr;

  memset (&arch, 0, sizeof arch);
  arch.n_inputs = 2;
  arch.n_outputs = 1;
  arch.n_hidden = 1;
  arch.units[0] = 2;
  arch.activation[0] = NN_ACTIVATION_TANH;
  arch.output_activation = NN_ACTIVATION_TANH;
  net = nn_network_new (&arch, 1, NULL);
  g_assert_nonnull (net);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = 0.5;
  /* Hidden neuron 0: a strong positive bias; neuron 1: a strong negative one. */
  net->params[net->layers[0].b_offset + 0] = 2.0;
  net->params[net->layers[0].b_offset + 1] = -2.0;

  nl_network_layout_compute (layout, &arch, NN_FEATURE_X1 | NN_FEATURE_X2,
                             NL_NETWORK_LAYOUT_NO_CONTROLS, 500, 400, style);
  scene.arch = &arch;
  scene.features = NN_FEATURE_X1 | NN_FEATURE_X2;
  scene.params = net->params;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 500, 400);
  cr = cairo_create (surface);
  nl_render_network (cr, layout, &scene, style, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (guint u = 0; u < 2; u++)
    {
      const NlNetworkNode *node = nl_network_layout_get_neuron (layout, 0, u);
      double cx = node->bias.x + node->bias.width / 2, cy = node->bias.y + node->bias.height / 2;
      guint32 pixel = *(guint32 *) (cairo_image_surface_get_data (surface)
                                    + (int) cy * cairo_image_surface_get_stride (surface)
                                    + (int) cx * 4);
      int r = (pixel >> 16) & 0xff, b = pixel & 0xff;
      NlNetworkHit hit;

      g_assert_cmpfloat (node->bias.width, >=, 5);
      /* Positive is the blue end of the map, negative the orange end, as links. */
      g_test_message ("bias square %u: r %d b %d", u, r, b);
      if (u == 0)
        g_assert_cmpint (b, >, r + 60);
      else
        g_assert_cmpint (r, >, b + 60);

      g_assert_true (nl_network_hit_test (layout, cx, cy, &hit));
      g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_BIAS);
      g_assert_cmpuint (hit.layer, ==, 0);
      g_assert_cmpuint (hit.unit, ==, u);
      /* The middle of the neuron is the neuron, not its bias. */
      g_assert_true (nl_network_hit_test (layout, node->rect.x + node->rect.width / 2,
                                          node->rect.y + node->rect.height / 2, &hit));
      g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_NEURON);
    }
  cairo_surface_destroy (surface);
}

/* The legend fits a narrow network view whole: nothing is drawn outside the view. */
static void
test_network_legend_fits (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr(NlNetworkLayout) layout = nl_network_layout_new ();
  g_autoptr(NnNetwork) net = NULL;
  g_autofree double *grids = NULL;
  NnArchitecture arch;
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;
  const int margin = 80;

  memset (&arch, 0, sizeof arch);
  arch.n_inputs = 2;
  arch.n_outputs = 3;
  arch.n_hidden = 1;
  arch.units[0] = 8;
  arch.activation[0] = NN_ACTIVATION_RELU;
  arch.output_activation = NN_ACTIVATION_SOFTMAX;
  net = nn_network_new (&arch, 1, NULL);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = (i % 2 ? -1 : 1) * 123456.0;  /* long labels: "−1.2e+05" */
  grids = g_new0 (double, 11 * 16 * 16);

  for (int width = 280; width <= 420; width += 35)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                             width + 2 * margin, 400);
      cairo_t *cr = cairo_create (surface);
      guint32 *data;
      int stride;

      nl_network_layout_compute (layout, &arch, NN_FEATURE_X1 | NN_FEATURE_X2,
                                 NL_NETWORK_LAYOUT_NO_CONTROLS, width, 400, style);
      scene.arch = &arch;
      scene.features = NN_FEATURE_X1 | NN_FEATURE_X2;
      scene.params = net->params;
      scene.neuron_grids = grids;
      scene.grid_res = 16;
      cairo_translate (cr, margin, 0);
      nl_render_network (cr, layout, &scene, style, NULL);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      data = (guint32 *) cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface) / 4;
      for (int y = (int) layout->legend.y; y < 400; y++)
        for (int x = 0; x < width + 2 * margin; x++)
          if (x < margin || x >= margin + width)
            g_assert_cmphex (data[y * stride + x], ==, 0);
      cairo_surface_destroy (surface);
    }
}

/* After a divergence (losses up to 1e302) the axis stays at the scale of the curve. */
static void
test_loss_axis_after_divergence (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnEpochStats history[40];
  NlLossScene scene;
  NlLossLayout layout;
  cairo_surface_t *surface;
  cairo_t *cr;

  memset (history, 0, sizeof history);
  for (guint i = 0; i < G_N_ELEMENTS (history); i++)
    {
      history[i].epoch = i;
      history[i].train_loss = 0.7 * exp (-0.05 * i);
      history[i].test_loss = 0.75 * exp (-0.05 * i);
      history[i].train_accuracy = history[i].test_accuracy = NAN;
    }
  history[36].train_loss = 3e150;
  history[37].train_loss = 4e302;
  history[37].test_loss = INFINITY;
  history[38].train_loss = history[38].test_loss = NAN;
  history[39].train_loss = 5e300;

  nl_loss_scene_init (&scene);
  scene.history = history;
  scene.n_history = G_N_ELEMENTS (history);
  nl_loss_layout_compute (&layout, &scene, 400, 220, style);
  g_assert_true (layout.clipped_top);
  g_assert_cmpfloat (layout.data_max, ==, 4e302);
  g_assert_cmpfloat (layout.y_max, >=, 0.75);
  g_assert_cmpfloat (layout.y_max, <=, 1.0);

  /* Drawing it neither fails nor leaves the picture empty. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 220);
  cr = cairo_create (surface);
  nl_render_loss (cr, &layout, &scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* In log scale too. */
  scene.log_scale = TRUE;
  nl_loss_layout_compute (&layout, &scene, 400, 220, style);
  g_assert_true (layout.clipped_top);
  g_assert_cmpfloat (layout.y_max, <=, 1.0);

  /* A run that blows up at once: the first epoch's loss still sets the scale. */
  for (guint i = 1; i < 4; i++)
    {
      history[i].train_loss = pow (10, 60 * i);
      history[i].test_loss = 2 * pow (10, 60 * i);
    }
  scene.log_scale = FALSE;
  scene.n_history = 4;
  nl_loss_layout_compute (&layout, &scene, 400, 220, style);
  g_assert_true (layout.clipped_top);
  g_assert_cmpfloat (layout.y_max, <=, 1.0);
  for (guint i = 1; i < 4; i++)
    {
      history[i].train_loss = 0.7 * exp (-0.05 * i);
      history[i].test_loss = 0.75 * exp (-0.05 * i);
    }

  /* A healthy run is not clipped: its first, highest loss sets the top. */
  scene.log_scale = FALSE;
  scene.n_history = 30;
  nl_loss_layout_compute (&layout, &scene, 400, 220, style);
  g_assert_false (layout.clipped_top);
  g_assert_cmpfloat (layout.y_max, >=, 0.75);
}

int
main (int argc, char *argv[])
{
  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/controls/data", test_data);
  g_test_add_func ("/controls/network", test_network);
  g_test_add_func ("/controls/training", test_training);
  g_test_add_func ("/controls/changes-while-training", test_changes_while_training);
  g_test_add_func ("/render/bias-squares", test_bias_squares);
  g_test_add_func ("/render/network-legend-fits", test_network_legend_fits);
  g_test_add_func ("/render/loss-axis-after-divergence", test_loss_axis_after_divergence);

  return gui_test_run (app);
}
