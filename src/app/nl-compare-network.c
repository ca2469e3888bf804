/* nl-compare-network.c: the compare window's network source — the runs trained in a
 * worker, then a plane through them with the loss over it, one job at a time; the two
 * weights of the "two weights" plane. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-compare-window-private.h"
#include "nl-names.h"

/* ------------------------------------------------------------------------------------ */
/* The network: training runs, then a plane, the projection and the loss grid             */

void
nl_compare_clear_run_names (NlCompareWindow *self)
{
  for (guint r = 0; r < MAX_RUNNERS; r++)
    g_clear_pointer (&self->plane_labels[r], g_free);
}

static void
on_train_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlCompareWindow *self = data;
  g_autoptr(GError) error = NULL;
  NnLandscape *ls = nl_job_landscape_finish (result, &error);

  if (self->disposed)
    {
      g_clear_pointer (&ls, nn_landscape_free);
      g_object_unref (self);
      return;
    }
  nl_compare_end_job (self);
  if (ls != NULL)
    {
      g_clear_pointer (&self->landscape, nn_landscape_free);
      self->landscape = ls;
      for (guint r = 0; r < nn_landscape_get_n_runs (ls) && r < MAX_RUNNERS; r++)
        self->run_diverged[r] = nn_landscape_run_diverged (ls, r);
    }
  else if (!nl_compare_is_cancelled (error))
    {
      /* Nothing to draw a plane through. */
      self->pending = 0;
      g_free (self->message);
      self->message = g_strdup_printf (_("The runs could not be trained: %s"), error->message);
      nl_compare_show_status (self, self->message);
    }
  if (self->replan_id == 0)
    nl_compare_run_next_job (self);
  nl_compare_update_views (self);
  g_object_unref (self);
}

static void
on_plane_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlCompareWindow *self = data;
  g_autoptr(GError) error = NULL;
  NlPlaneResult *plane = nl_job_plane_finish (result, &error);
  NnLandscape *ls = nl_job_plane_take_landscape (result);

  if (self->disposed)
    {
      g_clear_pointer (&plane, nl_plane_result_free);
      g_clear_pointer (&ls, nn_landscape_free);
      g_object_unref (self);
      return;
    }
  nl_compare_end_job (self);
  g_clear_pointer (&self->landscape, nn_landscape_free);
  self->landscape = ls;
  if (plane != NULL)
    {
      g_autofree char *text = NULL;

      g_clear_pointer (&self->plane, nl_plane_result_free);
      self->plane = plane;
      self->network_step = 0;
      self->step_accumulator = 0;
      if (plane->grid_ms > 0)
        {
          self->grid_ms = plane->grid_ms;
          self->grid_ms_res = plane->grid->res;
          text = g_strdup_printf (_("Loss over the plane: %u × %u points in %.2f s"),
                                  plane->grid->res, plane->grid->res, plane->grid_ms / 1000);
          nl_compare_show_status (self, text);
        }
      nl_compare_set_playing (self, TRUE);
    }
  else if (!nl_compare_is_cancelled (error))
    {
      g_free (self->message);
      self->message = g_strdup_printf (_("No plane: %s"), error->message);
      nl_compare_show_status (self, self->message);
    }
  if (self->replan_id == 0)
    nl_compare_run_next_job (self);
  nl_compare_update_views (self);
  g_object_unref (self);
}

guint
nl_compare_selected (GtkWidget *dropdown)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));

  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

static void
weight_ref (NlCompareWindow *self, gboolean second, NnWeightRef *ref)
{
  ref->layer = nl_compare_selected (second ? self->weight_b_layer : self->weight_a_layer);
  ref->out = nl_compare_selected (second ? self->weight_b_out : self->weight_a_out);
  ref->in = nl_compare_selected (second ? self->weight_b_in : self->weight_a_in);
}

static NnLossGrid *
loss_grid_copy (const NnLossGrid *grid)
{
  NnLossGrid *copy = nn_loss_grid_new (&grid->box, grid->res);

  memcpy (copy->values, grid->values, (gsize) grid->res * grid->res * sizeof (double));
  copy->rows_done = grid->rows_done;
  return copy;
}

void
nl_compare_run_next_job (NlCompareWindow *self)
{
  GPtrArray *specs = self->specs[NL_COMPARE_NETWORK];

  if (self->disposed || self->job != JOB_NONE || self->source != NL_COMPARE_NETWORK)
    return;
  if (self->pending & PENDING_TRAIN)
    {
      const NnProject *project = nl_compare_main_project (self);
      NnOptimizerConfig optimizers[MAX_RUNNERS];
      guint n = 0;
      g_autofree char *text = NULL;

      self->pending &= ~PENDING_TRAIN;
      if (project == NULL)
        {
          nl_compare_show_status (self, _("The main window was closed: there is no network to train."));
          return;
        }
      nl_compare_clear_run_names (self);
      for (guint i = 0; i < specs->len && n < MAX_RUNNERS; i++)
        {
          RunnerSpec *spec = g_ptr_array_index (specs, i);
          if (!spec->enabled)
            continue;
          optimizers[n] = spec->cfg.optimizer;
          self->plane_labels[n] = nl_compare_display_label (specs, spec);
          self->plane_colors[n] = spec->color;
          self->plane_rates[n] = spec->cfg.optimizer.learning_rate;
          n++;
        }
      if (n == 0)
        {
          nl_compare_show_status (self, _("Switch at least one optimizer on."));
          return;
        }
      self->pending |= PENDING_PLANE;
      if (!self->keep_plane)
        g_clear_pointer (&self->plane, nl_plane_result_free);
      g_clear_pointer (&self->message, g_free);
      text = g_strdup_printf (ngettext ("Training %u run of %u steps…",
                                        "Training %u runs of %u steps…", n),
                              n, self->steps[NL_COMPARE_NETWORK]);
      nl_compare_start_job (self, JOB_TRAIN, text);
      nl_job_landscape (project, self->restart_theta, self->restart_n, optimizers, n,
                        self->steps[NL_COMPARE_NETWORK], nl_compare_on_job_progress,
                        G_OBJECT (self), self->job_cancellable, on_train_done,
                        g_object_ref (self));
      g_clear_pointer (&self->restart_theta, g_free);
      nl_compare_set_playing (self, FALSE);
      nl_compare_update_views (self);
      return;
    }
  if ((self->pending & PENDING_PLANE) && self->landscape != NULL)
    {
      NlPlaneSpec spec = { 0 };
      NnPlane *plane = NULL;
      NnLossGrid *grid = NULL;
      g_autofree char *text = NULL;

      self->pending &= ~PENDING_PLANE;
      spec.kind = self->plane_kind;
      spec.seed = 1;
      spec.res = NETWORK_RES;
      spec.margin = 0.25;
      weight_ref (self, FALSE, &spec.a);
      weight_ref (self, TRUE, &spec.b);
      /* The plane stays only for runs of the same network (the main window's may have
       * changed shape since). */
      if (self->keep_plane && self->plane != NULL
          && self->plane->plane->n_params == nn_landscape_get_n_params (self->landscape))
        {
          plane = nn_plane_copy (self->plane->plane);
          grid = loss_grid_copy (self->plane->grid);
        }
      self->keep_plane = FALSE;
      g_clear_pointer (&self->message, g_free);
      text = g_strdup_printf (_("Computing the loss on a %u × %u grid over the plane…"),
                              spec.res, spec.res);
      nl_compare_start_job (self, JOB_PLANE, text);
      /* The old plane's animation would hold the progress bar back (nl-compare-jobs.c). */
      nl_compare_set_playing (self, FALSE);
      nl_job_plane (g_steal_pointer (&self->landscape), &spec, plane, grid,
                    nl_compare_on_job_progress, G_OBJECT (self), self->job_cancellable,
                    on_plane_done, g_object_ref (self));
      nl_compare_update_views (self);
    }
}

static gboolean
replan_timeout (gpointer data)
{
  NlCompareWindow *self = data;

  self->replan_id = 0;
  nl_compare_run_next_job (self);
  return G_SOURCE_REMOVE;
}

/* Asks for a new training (and plane) or only a new plane, now or after a short pause
 * (so a few clicks on a spin button make one job). A running network job is cancelled:
 * its completion starts the next. */
void
nl_compare_schedule_network (NlCompareWindow *self, guint what, gboolean now)
{
  self->pending |= what;
  if ((self->job == JOB_TRAIN || self->job == JOB_PLANE) && self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_handle_id (&self->replan_id, g_source_remove);
  if (now)
    nl_compare_run_next_job (self);
  else
    self->replan_id = g_timeout_add (REPLAN_DELAY_MS, replan_timeout, self);
}

static void
fill_string_dropdown (GtkWidget *dropdown, GPtrArray *items, guint select)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < items->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (items, i));
  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (list));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), MIN (select, MAX (items->len, 1) - 1));
}

/* The "to" and "from" lists of a layer: neuron numbers, inputs by name, the bias last. */
void
nl_compare_fill_weight_ends (NlCompareWindow *self, gboolean second)
{
  const NnProject *project = nl_compare_main_project (self);
  GtkWidget *layer = second ? self->weight_b_layer : self->weight_a_layer;
  GtkWidget *out = second ? self->weight_b_out : self->weight_a_out;
  GtkWidget *in = second ? self->weight_b_in : self->weight_a_in;
  g_autoptr(GPtrArray) outs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ins = g_ptr_array_new_with_free_func (g_free);
  const NnArchitecture *arch;
  guint l, n_out, n_in, keep_out = nl_compare_selected (out), keep_in = nl_compare_selected (in);

  if (project == NULL)
    return;
  arch = &project->arch;
  l = nl_compare_selected (layer);
  n_out = l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
  n_in = l == 0 ? arch->n_inputs : arch->units[l - 1];
  for (guint o = 0; o < n_out; o++)
    g_ptr_array_add (outs, g_strdup_printf ("%u", o + 1));
  if (l == 0)
    {
      for (guint f = 0; f < NN_N_FEATURES; f++)
        if (project->features & nn_feature_nth (f))
          g_ptr_array_add (ins, g_strdup (nl_names_feature (f)));
    }
  else
    for (guint i = 0; i < n_in; i++)
      g_ptr_array_add (ins, g_strdup_printf ("%u", i + 1));
  g_ptr_array_add (ins, g_strdup (_("bias")));
  fill_string_dropdown (out, outs, keep_out);
  fill_string_dropdown (in, ins, keep_in);
}

void
nl_compare_fill_weight_dropdowns (NlCompareWindow *self)
{
  const NnProject *project = nl_compare_main_project (self);
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;

  if (project == NULL)
    return;
  for (guint l = 0; l < project->arch.n_hidden; l++)
    g_ptr_array_add (layers, g_strdup_printf (_("Hidden %u"), l + 1));
  g_ptr_array_add (layers, g_strdup (_("Output")));
  self->syncing = TRUE;
  fill_string_dropdown (self->weight_a_layer, layers, nl_compare_selected (self->weight_a_layer));
  fill_string_dropdown (self->weight_b_layer, layers, nl_compare_selected (self->weight_b_layer));
  nl_compare_fill_weight_ends (self, FALSE);
  nl_compare_fill_weight_ends (self, TRUE);
  /* Two different weights by default: the first input's and the second's. */
  if (nl_compare_selected (self->weight_a_layer) == nl_compare_selected (self->weight_b_layer)
      && nl_compare_selected (self->weight_a_out) == nl_compare_selected (self->weight_b_out)
      && nl_compare_selected (self->weight_a_in) == nl_compare_selected (self->weight_b_in))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->weight_b_in), nl_compare_selected (self->weight_a_in) + 1);
  self->syncing = FALSE;

  summary = g_strdup_printf (ngettext ("%s · %u hidden layer · %u training points · seed %u",
                                       "%s · %u hidden layers · %u training points · seed %u",
                                       project->arch.n_hidden),
                             nl_names_generator (project->dataset.generator),
                             project->arch.n_hidden,
                             (guint) (project->dataset.count * project->dataset.train_ratio + 0.5),
                             project->seed);
  gtk_label_set_text (GTK_LABEL (self->network_label), summary);
}

/* ------------------------------------------------------------------------------------ */
/* Picking the two weights by clicking links in the main window's network view           */

static void
update_pick_hint (NlCompareWindow *self)
{
  const char *text = NULL;

  if (self->picking)
    text = self->pick_empty[0] || (!self->pick_empty[1] && self->pick_next == 0)
             ? _("Click a link in the main window's network: it becomes α. Esc stops.")
             : _("Click a link in the main window's network: it becomes β. Esc stops.");
  gtk_label_set_text (GTK_LABEL (self->pick_hint), text != NULL ? text : "");
  gtk_widget_set_visible (self->pick_hint, text != NULL);
}

/* The marks in the network view: the dropdowns' weights, but for an axis un-picked. */
void
nl_compare_update_pick_marks (NlCompareWindow *self)
{
  NnWeightRef refs[2];

  if (self->pick_view == NULL)
    return;
  weight_ref (self, FALSE, &refs[0]);
  weight_ref (self, TRUE, &refs[1]);
  nl_network_view_set_picked (self->pick_view, self->pick_empty[0] ? NULL : &refs[0],
                              self->pick_empty[1] ? NULL : &refs[1]);
  update_pick_hint (self);
}

/* Sets one axis's three dropdowns to `ref`, quietly; FALSE when they have no such entry
 * (the main window's network changed shape since the lists were filled). */
static gboolean
select_weight (NlCompareWindow *self, gboolean second, const NnWeightRef *ref)
{
  GtkWidget *layer = second ? self->weight_b_layer : self->weight_a_layer;
  GtkWidget *out = second ? self->weight_b_out : self->weight_a_out;
  GtkWidget *in = second ? self->weight_b_in : self->weight_a_in;
  GListModel *layers = gtk_drop_down_get_model (GTK_DROP_DOWN (layer));
  gboolean ok;

  if (layers == NULL || ref->layer >= g_list_model_get_n_items (layers))
    return FALSE;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (layer), ref->layer);
  nl_compare_fill_weight_ends (self, second);
  ok = ref->out < g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (out)))
       && ref->in < g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (in)));
  if (ok)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (out), ref->out);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (in), ref->in);
    }
  self->syncing = FALSE;
  return ok;
}

static gboolean
same_weight (const NnWeightRef *a, const NnWeightRef *b)
{
  return a->layer == b->layer && a->out == b->out && a->in == b->in;
}

/* A click on a weight: a picked one is un-picked (its axis waits for the next click);
 * another fills the axis that waits, else α then β in turn. The plane follows once both
 * axes hold a weight. */
static void
on_weight_picked (NlNetworkView *view, guint layer, guint out, guint in, NlCompareWindow *self)
{
  NnWeightRef ref = { layer, out, in }, current;
  guint slot;

  for (slot = 0; slot < 2; slot++)
    {
      weight_ref (self, slot == 1, &current);
      if (!self->pick_empty[slot] && same_weight (&ref, &current))
        {
          self->pick_empty[slot] = TRUE;
          nl_compare_update_pick_marks (self);
          return;
        }
    }
  slot = self->pick_empty[0] ? 0 : self->pick_empty[1] ? 1 : self->pick_next;
  if (!select_weight (self, slot == 1, &ref))
    {
      nl_compare_show_status (self, _("That weight is not in the network the runs trained: "
                                      "press “Train the runs again” first."));
      return;
    }
  self->pick_empty[slot] = FALSE;
  self->pick_next = 1 - slot;
  nl_compare_update_pick_marks (self);
  if (!self->pick_empty[0] && !self->pick_empty[1])
    {
      self->keep_plane = FALSE;
      nl_compare_schedule_network (self, PENDING_PLANE, TRUE);
    }
}

/* Escape in the main window ends picking there: here too. */
static void
on_view_picking (NlNetworkView *view, GParamSpec *pspec, NlCompareWindow *self)
{
  if (!nl_network_view_get_picking (view) && self->picking)
    nl_compare_set_picking (self, FALSE);
}

static void
stop_picking_in_view (NlCompareWindow *self)
{
  if (self->pick_view == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->pick_view, self);
  nl_network_view_set_picked (self->pick_view, NULL, NULL);
  nl_network_view_set_picking (self->pick_view, FALSE);
  g_object_remove_weak_pointer (G_OBJECT (self->pick_view), (gpointer *) &self->pick_view);
  self->pick_view = NULL;
}

void
nl_compare_set_picking (NlCompareWindow *self, gboolean picking)
{
  picking = picking && !self->disposed && self->main_window != NULL
            && self->source == NL_COMPARE_NETWORK;
  if (self->picking == picking)
    return;
  self->picking = picking;
  stop_picking_in_view (self);
  if (picking)
    {
      self->pick_view = nl_window_compare_network_view (self->main_window);
      g_object_add_weak_pointer (G_OBJECT (self->pick_view), (gpointer *) &self->pick_view);
      self->pick_empty[0] = self->pick_empty[1] = FALSE;
      self->pick_next = 0;
      g_signal_connect (self->pick_view, "weight-picked", G_CALLBACK (on_weight_picked), self);
      g_signal_connect (self->pick_view, "notify::picking", G_CALLBACK (on_view_picking), self);
      nl_network_view_set_picking (self->pick_view, TRUE);
      nl_compare_fill_weight_dropdowns (self);
      /* Picking is for the "two weights" plane. */
      if (self->plane_kind != NN_PLANE_WEIGHTS)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->plane_dropdown), 2);
      nl_compare_update_pick_marks (self);
    }
  update_pick_hint (self);
  g_object_notify (G_OBJECT (self), "picking");
}
