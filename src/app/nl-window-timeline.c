/* nl-window-timeline.c: the run's history, to scrub back through and play again from.
 *
 * The worker records the network at every epoch (nn-timeline.h, thinned under 64 MiB).
 * Dragging the scrubber under the loss curves, or clicking the curves, asks the worker to
 * preview that epoch: it pauses and publishes snapshots showing the recorded network, its
 * neuron pictures and its decision boundary (computed in the worker, never here), and the
 * loss curves mark the epoch. Back at the right end, or with "Back to now", the present
 * returns. Play (or Step) while looking at the past branches from there: the worker
 * rewinds to that record and the later epochs are discarded, after asking when the
 * project has unsaved work.
 *
 * The scrubber lines up with the loss plot's x axis: its margins are set so that the
 * knob's centre at the first recorded epoch and at the last sit exactly under those epochs
 * on the axis, so the knob and the curves' marker are one above the other at any size.
 */
#include <glib/gi18n.h>
#include <math.h>

#include "nl-window-private.h"
#include "nl-window-insight.h"
#include "nl-loss-view.h"

static NlWindowInsight *
insight (NlWindow *self)
{
  return self->insight;
}

/* The epoch shown is written on the curves' marker and, in the past, in the window's
 * title, big enough for the back of the room. */
static void
update_label (NlWindow *self)
{
  NlWindowInsight *in = insight (self);

  if (in->previewing)
    {
      g_autofree char *title = g_strdup_printf (_("Epoch %'u of %'u"), in->preview_epoch,
                                                in->last_epoch);

      gtk_label_set_label (GTK_LABEL (self->epoch_label), title);
    }
  gtk_widget_set_visible (in->timeline_play_button, in->previewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.timeline-now", in->previewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-from-here", in->previewing);
}

/* ------------------------------------------------------------------------------------ */
/* Lining the scrubber up with the loss plot                                            */

/* The scale's knob: the descendant whose CSS name is "slider" (GtkRange's own
 * gtk_range_get_slider_range() answers with the trough on 4.8). */
static GtkWidget *
find_knob (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = g_str_equal (gtk_widget_get_css_name (c), "slider") ? c : find_knob (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
nl_window_timeline_get_knob_x (NlWindow *self, GtkWidget *target, double *x)
{
  NlWindowInsight *in;
  GtkWidget *knob;
  graphene_rect_t bounds;

  g_return_val_if_fail (NL_IS_WINDOW (self) && GTK_IS_WIDGET (target), FALSE);

  in = insight (self);
  if (in == NULL || (knob = find_knob (in->timeline_scale)) == NULL
      || !gtk_widget_compute_bounds (knob, target, &bounds) || bounds.size.width <= 0)
    return FALSE;
  if (x != NULL)
    *x = bounds.origin.x + bounds.size.width / 2;
  return TRUE;
}

/* How far the knob's centre sits inside the scale's own ends (its padding, the trough,
 * half the knob), measured from where GTK put the knob: at a fraction f of the range its
 * centre is at inset + f · (width − 2 inset). Both come from the same allocation, so the
 * margins asked for since do not matter. Only positions near either end are used, where
 * that solves well. */
static gboolean
measure_knob_inset (NlWindow *self, double *inset)
{
  GtkWidget *scale = insight (self)->timeline_scale;
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (scale));
  double span = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_lower (adj);
  double width = gtk_widget_get_width (scale), f, c;

  if (!(span > 0) || width < 100)
    return FALSE;
  f = (gtk_adjustment_get_value (adj) - gtk_adjustment_get_lower (adj)) / span;
  if (fabs (1 - 2 * f) < 0.5 || !nl_window_timeline_get_knob_x (self, scale, &c))
    return FALSE;
  *inset = (c - f * width) / (1 - 2 * f);
  return *inset >= 0 && *inset < width / 4;
}

/* The CSS margin, border and padding of a widget's left and right sides. */
static void
theme_edges (GtkWidget *widget, int *left, int *right)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GtkBorder margin, border, padding;

  gtk_style_context_get_margin (style, &margin);
  gtk_style_context_get_border (style, &border);
  gtk_style_context_get_padding (style, &padding);
  *left = margin.left + border.left + padding.left;
  *right = margin.right + border.right + padding.right;
}

/* Sets the scale's margins so that its knob travels from the loss plot's x of the first
 * recorded epoch to that of the last. The scale's box and the loss view's stack share
 * their left edge and width (ui/nl-window.ui), so loss view coordinates translated into
 * the stack are the box's too. */
static void
align_scale (NlWindow *self)
{
  NlWindowInsight *in = insight (self);
  GtkWidget *scale, *stack;
  double x0, x1, y, measured;
  int width, left, right;
  guint upper;

  if (in == NULL || self->loss_view == NULL)
    return;  /* disposed before an idle call */
  scale = in->timeline_scale;
  stack = in->outputs_stack;
  width = gtk_widget_get_width (stack);
  upper = MAX (in->last_epoch, in->first_epoch + 1);
  if (measure_knob_inset (self, &measured))
    in->knob_inset = measured;
  if (width <= 0
      || gtk_stack_get_visible_child (GTK_STACK (stack)) != self->loss_view
      || !nl_loss_view_get_epoch_x (NL_LOSS_VIEW (self->loss_view), in->first_epoch, &x0)
      || !nl_loss_view_get_epoch_x (NL_LOSS_VIEW (self->loss_view), upper, &x1)
      || !gtk_widget_translate_coordinates (self->loss_view, stack, x0, 0, &x0, &y)
      || !gtk_widget_translate_coordinates (self->loss_view, stack, x1, 0, &x1, &y)
      || x0 < 0 || x1 > width || x1 <= x0)
    return;  /* not shown, or the curves have not caught up with the timeline yet */
  /* The theme's margin, border and padding around the scale's content (where the knob's
   * inset is measured from) come on top of ours. */
  theme_edges (scale, &left, &right);
  gtk_widget_set_margin_start (scale, MAX (0, (int) round (x0 - left - in->knob_inset)));
  gtk_widget_set_margin_end (scale, MAX (0, (int) round (width - x1 - right - in->knob_inset)));
}

static void
on_loss_plot_changed (NlLossView *view, NlWindow *self)
{
  align_scale (self);
}

static void
on_outputs_child_changed (GObject *stack, GParamSpec *pspec, NlWindow *self)
{
  align_scale (self);
}

static gboolean
align_scale_idle (gpointer data)
{
  align_scale (NL_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* The knob's inset is only known once GTK placed it: look again after the first frame. */
static void
on_scale_map (GtkWidget *scale, NlWindow *self)
{
  g_idle_add_full (G_PRIORITY_LOW, align_scale_idle, g_object_ref (self), g_object_unref);
}

/* The scrubber follows the run: its range is the recorded epochs, its knob the epoch
 * shown (the right end while live). */
static void
sync_scale (NlWindow *self)
{
  NlWindowInsight *in = insight (self);
  double value = in->previewing ? in->preview_epoch : in->last_epoch;

  in->syncing = TRUE;
  gtk_adjustment_configure (in->timeline_adjustment, value, in->first_epoch,
                            MAX (in->last_epoch, in->first_epoch + 1), 1,
                            MAX (1, (in->last_epoch - in->first_epoch) / 20), 0);
  in->syncing = FALSE;
  gtk_widget_set_sensitive (in->timeline_scale, in->last_epoch > in->first_epoch);
  update_label (self);
  align_scale (self);
}

static void
set_marker (NlWindow *self)
{
  NlWindowInsight *in = insight (self);

  nl_loss_view_set_marker_epoch (NL_LOSS_VIEW (self->loss_view),
                                 in->previewing ? (gint64) in->preview_epoch : -1);
}

/* Pauses first when training, through the window's own action so its button follows. */
static void
pause_if_playing (NlWindow *self)
{
  if (self->playing)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.play-pause", NULL);
}

static void
show_epoch (NlWindow *self, guint epoch)
{
  NlWindowInsight *in = insight (self);

  if (self->worker == NULL)
    return;
  if (epoch >= in->last_epoch)
    {
      if (in->previewing)
        {
          in->previewing = FALSE;
          in->preview_serial = nl_training_worker_end_preview (self->worker);
        }
    }
  else
    {
      pause_if_playing (self);
      in->previewing = TRUE;
      in->preview_epoch = epoch;
      in->preview_serial = nl_training_worker_preview_epoch (self->worker, epoch);
      self->run_command = in->preview_serial;
    }
  sync_scale (self);
  set_marker (self);
  nl_window_ensure_ticking (self);
}

static void
on_scale_value_changed (GtkAdjustment *adjustment, NlWindow *self)
{
  if (insight (self)->syncing)
    return;
  show_epoch (self, (guint) MAX (0.0, gtk_adjustment_get_value (adjustment) + 0.5));
}

static void
on_loss_epoch_activated (NlLossView *view, guint epoch, NlWindow *self)
{
  show_epoch (self, epoch);
}

/* ------------------------------------------------------------------------------------ */
/* Play from the past                                                                   */

static void
rewind_and_run (NlWindow *self, const char *action_name)
{
  NlWindowInsight *in = insight (self);

  if (self->worker == NULL || !in->previewing)
    return;
  in->rewind_serial = nl_training_worker_rewind (self->worker, in->preview_epoch);
  in->last_epoch = in->preview_epoch;
  in->previewing = FALSE;
  sync_scale (self);
  set_marker (self);
  nl_window_ensure_ticking (self);
  if (action_name != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), action_name, NULL);
}

static void
on_rewind_response (GtkDialog *dialog, int response, NlWindow *self)
{
  NlWindowInsight *in = insight (self);
  g_autofree char *action_name = g_strdup (g_object_get_data (G_OBJECT (dialog), "nl-action"));

  in->rewind_dialog = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    rewind_and_run (self, action_name);
}

/* Asks before discarding the epochs after the one shown when they are not saved. */
static void
confirm_rewind (NlWindow *self, const char *action_name)
{
  NlWindowInsight *in = insight (self);
  g_autofree char *primary = NULL;
  g_autofree char *secondary = NULL;
  g_autofree char *accept = NULL;
  guint later = in->last_epoch > in->preview_epoch ? in->last_epoch - in->preview_epoch : 0;
  GtkWidget *dialog, *button;

  if (!self->modified && self->file != NULL)
    {
      rewind_and_run (self, action_name);
      return;
    }
  if (in->rewind_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (in->rewind_dialog));
      return;
    }

  primary = g_strdup_printf (_("Train again from epoch %'u?"), in->preview_epoch);
  secondary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The network goes back to epoch %'u and learns from there with today’s settings. The %'u epoch after it is discarded, and this project has unsaved work.",
                                            "The network goes back to epoch %'u and learns from there with today’s settings. The %'u epochs after it are discarded, and this project has unsaved work.",
                                            later),
                               in->preview_epoch, later);
  accept = g_strdup_printf (_("_Train from Epoch %'u"), in->preview_epoch);

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), accept, GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "nl-action", g_strdup (action_name), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_rewind_response), self);
  in->rewind_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
nl_window_timeline_intercept (NlWindow *self, const char *action_name)
{
  NlWindowInsight *in;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);

  in = insight (self);
  if (in == NULL || !in->previewing || self->worker == NULL)
    return FALSE;
  if (g_str_equal (action_name, "win.play-pause") && self->playing)
    return FALSE;  /* pausing needs no past */
  confirm_rewind (self, action_name);
  return TRUE;
}

gboolean
nl_window_timeline_get_preview (NlWindow *self, guint *epoch)
{
  NlWindowInsight *in;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);

  in = insight (self);
  if (in != NULL && in->previewing && epoch != NULL)
    *epoch = in->preview_epoch;
  return in != NULL && in->previewing;
}

/* ------------------------------------------------------------------------------------ */
/* Snapshots                                                                            */

/* After a rewind to a record of another shape, the window's project follows the worker's. */
static void
adopt_rewound_project (NlWindow *self, const NlSnapshot *snap)
{
  const NnProject *now = snap->model->project;
  NnProject *copy;

  if (now->features == self->project->features && now->problem == self->project->problem
      && nn_architecture_equal (&now->arch, &self->project->arch))
    return;
  copy = nn_project_copy (now);
  nn_project_set_weights (copy, NULL, 0);
  g_free (copy->base_dir);
  copy->base_dir = g_strdup (self->project->base_dir);
  nn_project_free (self->project);
  self->project = copy;
  nl_window_sync_controls (self);
}

void
nl_window_timeline_apply_snapshot (NlWindow *self, NlSnapshot *snap)
{
  NlWindowInsight *in = insight (self);
  guint first = 0, last = snap->epoch;

  if (snap->timeline != NULL && nn_timeline_get_range (snap->timeline, &first, &last))
    last = MAX (last, snap->epoch);

  if (in->rewind_serial != 0 && snap->command_serial >= in->rewind_serial)
    {
      in->rewind_serial = 0;
      if (snap->error_message == NULL || snap->error_serial < snap->command_serial)
        adopt_rewound_project (self, snap);
    }

  /* A snapshot answering the last preview request says where the worker really is (a
   * command that trains or edits ends the preview there too). */
  if (snap->command_serial >= in->preview_serial)
    {
      in->previewing = snap->previewing;
      if (snap->previewing)
        in->preview_epoch = snap->preview_epoch;
    }

  in->first_epoch = first;
  in->last_epoch = last;
  sync_scale (self);
  set_marker (self);
}

/* ------------------------------------------------------------------------------------ */
/* Actions                                                                              */

static guint
neighbour_record (NlWindow *self, int direction)
{
  NlWindowInsight *in = insight (self);
  guint now = in->previewing ? in->preview_epoch : in->last_epoch;
  guint n, best;
  g_autofree guint *epochs = NULL;

  if (self->snapshot == NULL || self->snapshot->timeline == NULL)
    return now;
  n = nn_timeline_get_n_records (self->snapshot->timeline);
  epochs = g_new (guint, MAX (n, 1));
  n = nn_timeline_get_epochs (self->snapshot->timeline, epochs, n);
  best = now;
  for (guint i = 0; i < n; i++)
    {
      if (direction < 0 && epochs[i] < now)
        best = epochs[i];
      if (direction > 0 && epochs[i] > now)
        return epochs[i];
    }
  return direction > 0 ? MAX (now, in->last_epoch) : best;
}

static void
timeline_step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (g_str_equal (name, "win.timeline-first"))
    show_epoch (self, insight (self)->first_epoch);
  else
    show_epoch (self, neighbour_record (self, g_str_equal (name, "win.timeline-earlier") ? -1 : 1));
}

static void
timeline_now_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  show_epoch (self, G_MAXUINT);
}

static void
timeline_preview_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_epoch (NL_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
play_from_here_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (insight (self)->previewing)
    confirm_rewind (self, self->playing ? NULL : "win.play-pause");
}

void
nl_window_class_init_timeline (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child_full (widget_class, "timeline_scale", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "timeline_adjustment", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "timeline_play_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.timeline-earlier", NULL, timeline_step_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-later", NULL, timeline_step_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-first", NULL, timeline_step_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-now", NULL, timeline_now_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-preview", "u", timeline_preview_action);
  gtk_widget_class_install_action (widget_class, "win.play-from-here", NULL, play_from_here_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.timeline-earlier", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.timeline-later", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.timeline-first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_ALT_MASK, "win.timeline-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "win.play-from-here", NULL);
}

static GtkWidget *
child (NlWindow *self, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), NL_TYPE_WINDOW, name));
}

void
nl_window_init_timeline (NlWindow *self)
{
  NlWindowInsight *in = insight (self);

  in->timeline_scale = child (self, "timeline_scale");
  in->timeline_play_button = child (self, "timeline_play_button");
  in->timeline_adjustment = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                          NL_TYPE_WINDOW,
                                                                          "timeline_adjustment"));

  g_signal_connect (in->timeline_adjustment, "value-changed",
                    G_CALLBACK (on_scale_value_changed), self);
  g_signal_connect (self->loss_view, "epoch-activated", G_CALLBACK (on_loss_epoch_activated),
                    self);
  g_signal_connect (self->loss_view, "plot-changed", G_CALLBACK (on_loss_plot_changed), self);
  g_signal_connect (in->timeline_scale, "map", G_CALLBACK (on_scale_map), self);
  g_signal_connect (in->outputs_stack, "notify::visible-child", G_CALLBACK (on_outputs_child_changed),
                    self);
  sync_scale (self);
}
