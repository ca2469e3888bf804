/* nl-window-insight.c: views that answer each other.
 *
 *  - The advice bar takes the warnings of each snapshot's health report (once each).
 *  - The network view draws each layer's health sparklines (gradient and weight norm).
 *  - Beside the loss curves, the confusion matrices (or predicted-versus-true with R²);
 *    the worker computes them only while that page is shown.
 *  - Clicking a data point selects it (win.select-point): it is ringed in the output view,
 *    every neuron shows its value for that point, and "point-selected" is emitted.
 *  - Hovering a neuron opens its picture large over the output view, with axes and scale.
 * Everything heavy comes computed in the snapshots; the one thing done here is one
 * point's forward pass (microseconds) for the neuron values.
 */
#include <glib/gi18n.h>
#include <string.h>

#include "nl-window-private.h"
#include "nl-window-insight.h"
#include "nl-advice-bar.h"
#include "nl-boundary-view.h"
#include "nl-confusion-view.h"
#include "nl-names.h"
#include "nl-network-view.h"
#include "nn-explain.h"
#include "nl-render.h"
#include "nl-render-neuron-detail.h"
#include "nn-features.h"

enum
{
  POINT_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static NlWindowInsight *
insight (NlWindow *self)
{
  return self->insight;
}

static const NlRenderStyle *
window_style (NlWindow *self)
{
  return nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

/* ------------------------------------------------------------------------------------ */
/* The selected point                                                                   */

/* The point of a selection index (train first, then test), or NULL. */
static const NnPoint *
point_of (const NlSnapshot *snap, int index, gboolean *is_test)
{
  const NnDataset *ds = snap != NULL && snap->model != NULL ? snap->model->dataset : NULL;

  if (ds == NULL || index < 0)
    return NULL;
  if ((guint) index < ds->n_train)
    {
      *is_test = FALSE;
      return &ds->train[index];
    }
  if ((guint) index - ds->n_train < ds->n_test)
    {
      *is_test = TRUE;
      return &ds->test[index - ds->n_train];
    }
  return NULL;
}

/* Every neuron's value for the selected point, from the parameters the snapshot shows. */
static void
update_point_values (NlWindow *self)
{
  NlWindowInsight *in = insight (self);
  const NlSnapshot *snap = self->snapshot;
  NlNetworkView *view = NL_NETWORK_VIEW (self->network_view);
  const NnPoint *p;
  gboolean is_test;
  guint n = 0;

  p = point_of (snap, in->selected, &is_test);
  if (p == NULL || !nn_network_params_finite (&snap->net))
    {
      nl_network_view_set_point_values (view, NULL, 0, NULL, 0);
      return;
    }

  if (in->point_net == NULL || !nn_architecture_equal (&in->point_net->arch, &snap->net.arch))
    {
      g_clear_pointer (&in->point_net, nn_network_free);
      in->point_net = nn_network_new (&snap->net.arch, 1, NULL);
      if (in->point_net == NULL)
        return;
    }
  memcpy (in->point_net->params, snap->net.params, snap->net.n_params * sizeof (double));
  nn_features_expand (snap->model->project->features, &p->x1, &p->x2, 1, 1, in->point_inputs, 1);
  nn_network_forward (in->point_net, in->point_inputs, 1);

  in->n_point_neurons = nn_network_total_units (in->point_net);
  in->point_neurons = g_renew (double, in->point_neurons, in->n_point_neurons);
  for (guint l = 0; l < in->point_net->n_layers; l++)
    for (guint u = 0; u < in->point_net->layers[l].n_out; u++)
      in->point_neurons[n++] = in->point_net->z[l][u];
  nl_network_view_set_point_values (view, in->point_inputs, snap->net.arch.n_inputs,
                                    in->point_neurons, n);
}

static void
select_point (NlWindow *self, int index)
{
  NlWindowInsight *in = insight (self);
  const NnPoint *p;
  gboolean is_test = FALSE;
  guint n_train = 0;

  p = point_of (self->snapshot, index, &is_test);
  if (p == NULL)
    index = -1;
  if (index == in->selected)
    return;

  in->selected = index;
  if (p != NULL)
    {
      in->selected_x1 = p->x1;
      in->selected_x2 = p->x2;
      n_train = self->snapshot->model->dataset->n_train;
    }
  nl_boundary_view_set_highlight (NL_BOUNDARY_VIEW (self->boundary_view),
                                  p == NULL ? -1 : is_test ? index - (int) n_train : index,
                                  is_test);
  update_point_values (self);
  gtk_widget_queue_draw (in->neuron_detail);
  g_signal_emit (self, signals[POINT_SELECTED], 0, index);
}

static void
select_point_action (GtkWidget *widget, const char *name, GVariant *param)
{
  select_point (NL_WINDOW (widget), g_variant_get_int32 (param));
}

/* A new dataset may have no such point, or another one under the same index. */
static void
check_selection (NlWindow *self)
{
  NlWindowInsight *in = insight (self);
  const NnPoint *p;
  gboolean is_test;

  if (in->selected < 0)
    return;
  p = point_of (self->snapshot, in->selected, &is_test);
  if (p == NULL || p->x1 != in->selected_x1 || p->x2 != in->selected_x2)
    select_point (self, -1);
  else
    update_point_values (self);
}

int
nl_window_get_selected_point (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), -1);

  return self->insight != NULL ? self->insight->selected : -1;
}

/* ------------------------------------------------------------------------------------ */
/* The hovered neuron, large over the output view                                        */

static char *
neuron_title (const NnArchitecture *arch, guint layer, guint unit)
{
  if (layer < arch->n_hidden)
    return g_strdup_printf (_("Hidden layer %u · neuron %u"), layer + 1, unit + 1);
  if (arch->n_outputs == 1)
    return g_strdup (_("The output neuron"));
  return g_strdup_printf (_("Output neuron %u"), unit + 1);
}

static void
draw_neuron_detail (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlWindow *self = data;
  NlWindowInsight *in = insight (self);
  const NlSnapshot *snap = self->snapshot;
  NlNeuronDetailScene scene = NL_NEURON_DETAIL_SCENE_INIT;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const NnLayer *layer;
  gboolean is_test;
  const NnPoint *p;

  if (snap == NULL || in->hover_layer < 0 || (guint) in->hover_layer >= snap->net.n_layers
      || (guint) in->hover_unit >= snap->net.layers[in->hover_layer].n_out)
    return;

  layer = &snap->net.layers[in->hover_layer];
  title = neuron_title (&snap->net.arch, in->hover_layer, in->hover_unit);
  p = point_of (snap, in->selected, &is_test);
  if (p != NULL && in->point_neurons != NULL)
    {
      guint index = in->hover_unit;
      char output[64];

      for (int l = 0; l < in->hover_layer; l++)
        index += snap->net.layers[l].n_out;
      if (index < in->n_point_neurons)
        nn_explain_format_number (output, sizeof output, in->point_neurons[index]);
      subtitle = index < in->n_point_neurons
                   ? g_strdup_printf (_("%s · outputs %s for the selected point"),
                                      nl_names_activation (layer->activation), output)
                   : g_strdup (nl_names_activation (layer->activation));
      scene.has_point = TRUE;
      scene.point_x1 = p->x1;
      scene.point_x2 = p->x2;
    }
  else
    subtitle = g_strdup (nl_names_activation (layer->activation));

  scene.grid = nl_snapshot_get_neuron_grid (snap, in->hover_layer, in->hover_unit);
  scene.res = snap->neuron_res;
  scene.activation = layer->activation;
  scene.title = title;
  scene.subtitle = subtitle;
  nl_render_neuron_detail (cr, width, height, &scene, window_style (self), in->detail_cache);
}

static void
on_neuron_hover (NlNetworkView *view, int layer, int unit, NlWindow *self)
{
  NlWindowInsight *in = insight (self);

  in->hover_layer = layer;
  in->hover_unit = unit;
  gtk_widget_set_visible (in->neuron_detail, layer >= 0);
  gtk_widget_queue_draw (in->neuron_detail);
}

/* ------------------------------------------------------------------------------------ */
/* Loss curves and confusion matrices                                                   */

static gboolean
metrics_shown (NlWindowInsight *in)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (in->outputs_stack)),
                    "metrics") == 0;
}

static void
sync_metrics_wanted (NlWindow *self, gboolean force)
{
  NlWindowInsight *in = insight (self);
  gboolean wanted = metrics_shown (in);

  if (self->worker == NULL || (wanted == in->metrics_wanted && !force))
    return;
  in->metrics_wanted = wanted;
  nl_training_worker_set_metrics_wanted (self->worker, wanted);
  nl_window_ensure_ticking (self);
}

static void
on_outputs_page_changed (GtkStack *stack, GParamSpec *pspec, NlWindow *self)
{
  sync_metrics_wanted (self, FALSE);
}

static void
toggle_metrics_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  NlWindowInsight *in = insight (self);

  gtk_stack_set_visible_child_name (GTK_STACK (in->outputs_stack),
                                    metrics_shown (in) ? "loss" : "metrics");
}

static void
sync_metrics_title (NlWindow *self, const NlSnapshot *snap)
{
  NlWindowInsight *in = insight (self);
  GtkStackPage *page = gtk_stack_get_page (GTK_STACK (in->outputs_stack), in->confusion_view);
  gboolean classification = snap->model->project->problem == NN_PROBLEM_CLASSIFICATION;
  const char *title = classification ? _("Confusion") : _("Predictions");

  if (page != NULL && g_strcmp0 (gtk_stack_page_get_title (page), title) != 0)
    gtk_stack_page_set_title (page, title);
}

/* ------------------------------------------------------------------------------------ */
/* Snapshots                                                                            */

/* A new worker is a new run: nothing selected, shown or asked for carries over. */
static void
follow_worker (NlWindow *self)
{
  NlWindowInsight *in = insight (self);

  if (in->worker == (GObject *) self->worker)
    return;
  in->worker = (GObject *) self->worker;
  nl_advice_bar_reset (NL_ADVICE_BAR (in->advice_bar));
  in->previewing = FALSE;
  in->preview_serial = 0;
  in->rewind_serial = 0;
  in->first_epoch = in->last_epoch = 0;
  in->selected = -1;
  nl_boundary_view_set_highlight (NL_BOUNDARY_VIEW (self->boundary_view), -1, FALSE);
  nl_network_view_set_point_values (NL_NETWORK_VIEW (self->network_view), NULL, 0, NULL, 0);
  sync_metrics_wanted (self, TRUE);
}

void
nl_window_insight_apply_snapshot (NlWindow *self, NlSnapshot *snap)
{
  NlWindowInsight *in;

  g_return_if_fail (NL_IS_WINDOW (self));
  g_return_if_fail (snap != NULL);

  in = insight (self);
  follow_worker (self);
  nl_window_timeline_apply_snapshot (self, snap);
  nl_advice_bar_update (NL_ADVICE_BAR (in->advice_bar), snap->health);
  nl_confusion_view_set_snapshot (NL_CONFUSION_VIEW (in->confusion_view), snap);
  sync_metrics_title (self, snap);
  check_selection (self);
  if (in->hover_layer >= 0)
    gtk_widget_queue_draw (in->neuron_detail);
}

void
nl_window_insight_set_dark (NlWindow *self, gboolean dark)
{
  NlWindowInsight *in;

  g_return_if_fail (NL_IS_WINDOW (self));

  in = insight (self);
  if (in == NULL)
    return;
  nl_confusion_view_set_dark (NL_CONFUSION_VIEW (in->confusion_view), dark);
  nl_render_cache_clear (in->detail_cache);
  gtk_widget_queue_draw (in->neuron_detail);
}

/* ------------------------------------------------------------------------------------ */
/* Set-up                                                                               */

void
nl_window_class_init_insight (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (NL_TYPE_ADVICE_BAR);
  g_type_ensure (NL_TYPE_CONFUSION_VIEW);

  /* Bound without an instance field: nl_window_init_insight() looks them up. */
  gtk_widget_class_bind_template_child_full (widget_class, "advice_bar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "confusion_view", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "outputs_stack", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "neuron_detail", FALSE, 0);

  /**
   * NlWindow::point-selected:
   * @index: the point, training points first then test points; −1 for none
   *
   * A data point was selected (win.select-point): views that explain one point follow it.
   */
  signals[POINT_SELECTED] = g_signal_new ("point-selected", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "win.select-point", "i", select_point_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-metrics", NULL, toggle_metrics_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.select-point", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "win.toggle-metrics", NULL);

  nl_window_class_init_timeline (klass);
}

static GtkWidget *
child (NlWindow *self, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (self), NL_TYPE_WINDOW, name);

  g_assert (object != NULL);
  return GTK_WIDGET (object);
}

void
nl_window_init_insight (NlWindow *self)
{
  NlWindowInsight *in = g_new0 (NlWindowInsight, 1);

  self->insight = in;
  in->selected = -1;
  in->hover_layer = in->hover_unit = -1;
  in->detail_cache = nl_render_cache_new ();
  in->advice_bar = child (self, "advice_bar");
  in->confusion_view = child (self, "confusion_view");
  in->outputs_stack = child (self, "outputs_stack");
  in->neuron_detail = child (self, "neuron_detail");

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (in->neuron_detail), draw_neuron_detail,
                                  self, NULL);
  gtk_widget_set_can_target (in->neuron_detail, FALSE);
  gtk_widget_set_visible (in->neuron_detail, FALSE);
  nl_network_view_set_show_health (NL_NETWORK_VIEW (self->network_view), TRUE);
  g_signal_connect (self->network_view, "neuron-hover", G_CALLBACK (on_neuron_hover), self);
  g_signal_connect (in->outputs_stack, "notify::visible-child-name",
                    G_CALLBACK (on_outputs_page_changed), self);

  nl_window_init_timeline (self);
}

void
nl_window_dispose_insight (NlWindow *self)
{
  NlWindowInsight *in = self->insight;

  if (in == NULL)
    return;
  if (in->rewind_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (in->rewind_dialog));
  g_clear_pointer (&in->point_net, nn_network_free);
  g_clear_pointer (&in->point_neurons, g_free);
  g_clear_pointer (&in->detail_cache, nl_render_cache_free);
  g_clear_pointer (&self->insight, g_free);
}
