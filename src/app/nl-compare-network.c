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
                        self->steps[NL_COMPARE_NETWORK], nl_compare_on_job_progress, self,
                        self->job_cancellable, on_train_done, g_object_ref (self));
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
      nl_job_plane (g_steal_pointer (&self->landscape), &spec, plane, grid, nl_compare_on_job_progress, self,
                    self->job_cancellable, on_plane_done, g_object_ref (self));
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
