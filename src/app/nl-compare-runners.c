/* nl-compare-runners.c: the compare window's optimizers — each one's settings in the side
 * list (on/off, learning rate, momentum, α, β₁, β₂, ε, noise) and the results table. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-compare-window-private.h"
#include "nl-names.h"

/* ------------------------------------------------------------------------------------ */
/* Runner settings                                                                       */

/* The colour of each kind's first runner; more of one kind take the next free one. */
static const guint kind_colors[NN_N_OPTIMIZERS] = { 0, 3, 1, 2, 6 };
static const guint spare_colors[] = { 1, 2, 4, 3, 5, 6, 0 };

GPtrArray *
nl_compare_current_specs (NlCompareWindow *self)
{
  return self->specs[self->source];
}

static guint
free_color (GPtrArray *specs, NnOptimizerKind kind)
{
  gboolean used[NL_SURFACE_N_COLORS] = { FALSE };

  for (guint i = 0; i < specs->len; i++)
    used[((RunnerSpec *) g_ptr_array_index (specs, i))->color % NL_SURFACE_N_COLORS] = TRUE;
  if (!used[kind_colors[kind]])
    return kind_colors[kind];
  for (guint i = 0; i < G_N_ELEMENTS (spare_colors); i++)
    if (!used[spare_colors[i]])
      return spare_colors[i];
  return specs->len % NL_SURFACE_N_COLORS;
}

RunnerSpec *
nl_compare_spec_add (NlCompareWindow *self, GPtrArray *specs, const NnRunnerConfig *cfg)
{
  RunnerSpec *spec = g_new0 (RunnerSpec, 1);

  spec->window = self;
  spec->cfg = *cfg;
  spec->enabled = TRUE;
  spec->color = free_color (specs, cfg->optimizer.kind);
  g_ptr_array_add (specs, spec);
  return spec;
}

static guint
count_kind (GPtrArray *specs, NnOptimizerKind kind)
{
  guint n = 0;

  for (guint i = 0; i < specs->len; i++)
    n += ((RunnerSpec *) g_ptr_array_index (specs, i))->cfg.optimizer.kind == kind;
  return n;
}

static void
format_number (char *buf, gsize size, double v)
{
  char tmp[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (tmp, sizeof tmp, "%.3g", v);
  g_strlcpy (buf, tmp, size);
}

/* "GD", or "GD, η = 0.1" when several runners share the optimizer. */
char *
nl_compare_display_label (GPtrArray *specs, const RunnerSpec *spec)
{
  const char *name = nl_names_optimizer (spec->cfg.optimizer.kind);
  char lr[32];

  if (count_kind (specs, spec->cfg.optimizer.kind) < 2)
    return g_strdup (name);
  g_snprintf (lr, sizeof lr, "%.3g", spec->cfg.optimizer.learning_rate);
  return g_strdup_printf (_("%s, η = %s"), name, lr);
}

/* The runner's name in CSV files: the engine's words, ASCII. */
char *
nl_compare_file_label (GPtrArray *specs, const RunnerSpec *spec)
{
  const char *name = nn_optimizer_kind_to_string (spec->cfg.optimizer.kind);
  char lr[32];

  if (count_kind (specs, spec->cfg.optimizer.kind) < 2)
    return g_strdup (name);
  format_number (lr, sizeof lr, spec->cfg.optimizer.learning_rate);
  return g_strdup_printf ("%s-lr%s", name, lr);
}

RunnerSpec *
nl_compare_nth_enabled (GPtrArray *specs, guint k)
{
  for (guint i = 0; i < specs->len; i++)
    {
      RunnerSpec *spec = g_ptr_array_index (specs, i);
      if (spec->enabled && k-- == 0)
        return spec;
    }
  return NULL;
}

/* Every optimizer with the surface's sensible settings (the network's: the project's rate
 * for its own optimizer, moderate ones for the others). */
void
nl_compare_default_specs (NlCompareWindow *self, NlCompareSource source, NnSurface *surface)
{
  static const double network_rates[NN_N_OPTIMIZERS] = { 0.1, 0.03, 0.01, 0.003, 0.01 };
  GPtrArray *specs = self->specs[source];
  const NnProject *project = self->main_window ? nl_window_get_project (self->main_window) : NULL;

  g_ptr_array_set_size (specs, 0);
  for (NnOptimizerKind k = 0; k < NN_N_OPTIMIZERS; k++)
    {
      NnRunnerConfig cfg;

      nn_runner_config_init (&cfg, k, surface);
      if (source == NL_COMPARE_NETWORK)
        {
          cfg.stochastic = FALSE;
          cfg.optimizer.learning_rate = network_rates[k];
          if (project != NULL && project->optimizer.kind == k)
            cfg.optimizer = project->optimizer;
        }
      nl_compare_spec_add (self, specs, &cfg);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Number entries and spins                                                              */

static gboolean
on_spin_output (GtkSpinButton *spin, gpointer data)
{
  char text[32];

  g_snprintf (text, sizeof text, "%.4g", gtk_spin_button_get_value (spin));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_spin_input (GtkSpinButton *spin, double *value, gpointer data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *copy = g_strdup (text);
  char *end = NULL;
  double v;

  /* Both "0.01" and "0,01", whatever the locale. */
  g_strdelimit (copy, ",", '.');
  v = g_ascii_strtod (copy, &end);
  if (end == copy || !isfinite (v))
    return GTK_INPUT_ERROR;
  *value = v;
  return TRUE;
}

/* Arrow steps that follow the value's magnitude: 0.02 → 0.03, 0.002 → 0.003. */
static void
adapt_step (GtkSpinButton *spin)
{
  double v = gtk_spin_button_get_value (spin);
  double step = v > 0 ? pow (10.0, floor (log10 (v) + 1e-9)) : 1e-3;

  gtk_spin_button_set_increments (spin, step, step * 10);
}

static GtkWidget *
number_spin (double lower, double upper, double value, const char *tooltip)
{
  GtkAdjustment *adj = gtk_adjustment_new (value, lower, upper, 0.001, 0.01, 0);
  GtkWidget *spin = gtk_spin_button_new (adj, 0.001, 6);

  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (spin), 6);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  g_signal_connect (spin, "output", G_CALLBACK (on_spin_output), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (on_spin_input), NULL);
  gtk_widget_set_tooltip_text (spin, tooltip);
  adapt_step (GTK_SPIN_BUTTON (spin));
  return spin;
}

typedef enum
{
  PARAM_MOMENTUM,
  PARAM_ALPHA,
  PARAM_BETA1,
  PARAM_BETA2,
  PARAM_EPSILON,
  PARAM_NOISE,
} Param;

static double *
param_slot (NnRunnerConfig *cfg, Param p)
{
  switch (p)
    {
    case PARAM_MOMENTUM: return &cfg->optimizer.momentum;
    case PARAM_ALPHA:    return &cfg->optimizer.alpha;
    case PARAM_BETA1:    return &cfg->optimizer.beta1;
    case PARAM_BETA2:    return &cfg->optimizer.beta2;
    case PARAM_EPSILON:  return &cfg->optimizer.epsilon;
    case PARAM_NOISE:
    default:             return &cfg->noise;
    }
}

static const char *
param_symbol (Param p)
{
  switch (p)
    {
    case PARAM_MOMENTUM: return "μ";
    case PARAM_ALPHA:    return "α";
    case PARAM_BETA1:    return "β₁";
    case PARAM_BETA2:    return "β₂";
    case PARAM_EPSILON:  return "ε";
    case PARAM_NOISE:
    default:             return "σ";
    }
}

static const char *
param_tooltip (Param p)
{
  switch (p)
    {
    case PARAM_MOMENTUM: return _("Momentum μ: how much of the last step's velocity is kept");
    case PARAM_ALPHA:    return _("Smoothing α of the running mean of squared gradients");
    case PARAM_BETA1:    return _("β₁: smoothing of the running mean of gradients (momentum)");
    case PARAM_BETA2:    return _("β₂: smoothing of the running mean of squared gradients");
    case PARAM_EPSILON:  return _("ε: added to the root of the mean square so it never divides by zero");
    case PARAM_NOISE:
    default:             return _("Noise σ: the standard deviation of the random error added to each gradient component");
    }
}

/* The settings of a runner beside its learning rate. */
static guint
runner_params (NlCompareWindow *self, const RunnerSpec *spec, Param *params)
{
  guint n = 0;

  switch (spec->cfg.optimizer.kind)
    {
    case NN_OPTIMIZER_MOMENTUM:
      params[n++] = PARAM_MOMENTUM;
      break;
    case NN_OPTIMIZER_RMSPROP:
      params[n++] = PARAM_ALPHA;
      params[n++] = PARAM_EPSILON;
      break;
    case NN_OPTIMIZER_ADAM:
      params[n++] = PARAM_BETA1;
      params[n++] = PARAM_BETA2;
      params[n++] = PARAM_EPSILON;
      break;
    case NN_OPTIMIZER_GD:
    case NN_OPTIMIZER_SGD:
    case NN_N_OPTIMIZERS:
    default:
      break;
    }
  /* Added noise only on textbook surfaces: elsewhere SGD's noise is its mini-batches. */
  if (self->source == NL_COMPARE_TEXTBOOK && spec->cfg.stochastic)
    params[n++] = PARAM_NOISE;
  return n;
}

static void
set_param_text (GtkEditable *entry, double v)
{
  char text[32];

  g_snprintf (text, sizeof text, "%.4g", v);
  gtk_editable_set_text (entry, text);
}

static void
commit_param (GtkWidget *entry)
{
  RunnerSpec *spec = g_object_get_data (G_OBJECT (entry), "spec");
  Param param = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "param"));
  NlCompareWindow *self;
  g_autofree char *text = NULL;
  NnRunnerConfig candidate;
  char *end = NULL;
  double v;

  if (spec == NULL || spec->window->syncing)
    return;
  self = spec->window;
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_strdelimit (text, ",", '.');
  v = g_ascii_strtod (text, &end);
  candidate = spec->cfg;
  *param_slot (&candidate, param) = v;
  if (end == text || !isfinite (v) || !nn_runner_config_validate (&candidate, NULL))
    {
      /* Refused: back to the value in use. */
      gtk_widget_add_css_class (entry, "error");
      set_param_text (GTK_EDITABLE (entry), *param_slot (&spec->cfg, param));
      return;
    }
  gtk_widget_remove_css_class (entry, "error");
  if (*param_slot (&spec->cfg, param) == v)
    return;
  spec->cfg = candidate;
  nl_compare_runners_changed (self);
}

static void
on_param_leave (GtkEventControllerFocus *focus, gpointer data)
{
  commit_param (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus)));
}

static void
on_enabled_toggled (GtkCheckButton *check, RunnerSpec *spec)
{
  if (spec->window->syncing)
    return;
  spec->enabled = gtk_check_button_get_active (check);
  nl_compare_runners_changed (spec->window);
}

static void
on_lr_changed (GtkSpinButton *spin, RunnerSpec *spec)
{
  double v = gtk_spin_button_get_value (spin);

  adapt_step (spin);
  if (spec->window->syncing || !(v > 0) || v == spec->cfg.optimizer.learning_rate)
    return;
  spec->cfg.optimizer.learning_rate = v;
  nl_compare_runners_changed (spec->window);
}

static void
on_remove_clicked (GtkButton *button, RunnerSpec *spec)
{
  NlCompareWindow *self = spec->window;

  if (self->syncing)
    return;
  /* Frees the spec: nothing of it is touched after this. */
  g_ptr_array_remove (nl_compare_current_specs (self), spec);
  nl_compare_rebuild_rows (self);
  nl_compare_runners_changed (self);
}

const NlRenderStyle *
nl_compare_style (NlCompareWindow *self)
{
  return nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlCompareWindow *self = data;
  guint color = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "color"));
  const NlRenderStyle *style = nl_compare_style (self);
  NlRgba c = nl_surface_trajectory_color (style, color);
  NlRgba ring = nl_rgba_with_alpha (&style->foreground, 0.35);
  double r = MIN (width, height) / 2.0 - 1.5;

  cairo_arc (cr, width / 2.0, height / 2.0, r, 0, 2 * G_PI);
  nl_render_set_source (cr, &c);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &ring);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static GtkWidget *
swatch_new (NlCompareWindow *self, guint color)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 16);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 16);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (area), "color", GUINT_TO_POINTER (color));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, self, NULL);
  return area;
}

static GtkWidget *
runner_row (NlCompareWindow *self, RunnerSpec *spec)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *name = gtk_label_new (nl_names_optimizer (spec->cfg.optimizer.kind));
  GtkWidget *eta = gtk_label_new ("η");
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  Param params[4];
  guint n_params = runner_params (self, spec, params);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), spec->enabled);
  gtk_widget_set_tooltip_text (check, _("Race this optimizer"));
  g_signal_connect (check, "toggled", G_CALLBACK (on_enabled_toggled), spec);
  gtk_box_append (GTK_BOX (top), check);
  gtk_box_append (GTK_BOX (top), swatch_new (self, spec->color));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  /* Narrow sidebars shorten the name; the colour and the table still say which it is. */
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (name), 4);
  gtk_box_append (GTK_BOX (top), name);
  gtk_widget_add_css_class (eta, "dim-label");
  gtk_box_append (GTK_BOX (top), eta);
  spec->lr_spin = number_spin (1e-6, 100, spec->cfg.optimizer.learning_rate,
                               _("Learning rate η: how far each step goes along the gradient"));
  g_signal_connect (spec->lr_spin, "value-changed", G_CALLBACK (on_lr_changed), spec);
  gtk_box_append (GTK_BOX (top), spec->lr_spin);
  gtk_widget_set_tooltip_text (remove, _("Take this optimizer out of the race"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), spec);
  gtk_box_append (GTK_BOX (box), top);

  gtk_box_append (GTK_BOX (top), remove);

  /* The other settings on a second line. */
  if (n_params > 0)
    {
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

      gtk_widget_set_margin_start (line, 28);
      for (guint i = 0; i < n_params; i++)
        {
          GtkWidget *label = gtk_label_new (param_symbol (params[i]));
          GtkWidget *entry = gtk_entry_new ();
          GtkEventController *focus = gtk_event_controller_focus_new ();

          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_set_margin_start (label, i > 0 ? 6 : 0);
          gtk_box_append (GTK_BOX (line), label);
          gtk_editable_set_width_chars (GTK_EDITABLE (entry), 4);
          gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 6);
          gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
          gtk_widget_set_tooltip_text (entry, param_tooltip (params[i]));
          set_param_text (GTK_EDITABLE (entry), *param_slot (&spec->cfg, params[i]));
          g_object_set_data (G_OBJECT (entry), "spec", spec);
          g_object_set_data (G_OBJECT (entry), "param", GINT_TO_POINTER (params[i]));
          g_signal_connect (entry, "activate", G_CALLBACK (commit_param), NULL);
          g_signal_connect (focus, "leave", G_CALLBACK (on_param_leave), NULL);
          gtk_widget_add_controller (entry, focus);
          gtk_box_append (GTK_BOX (line), entry);
        }
      gtk_box_append (GTK_BOX (box), line);
    }
  return box;
}

void
nl_compare_rebuild_rows (NlCompareWindow *self)
{
  GPtrArray *specs = nl_compare_current_specs (self);
  GtkWidget *child;

  self->syncing = TRUE;
  while ((child = gtk_widget_get_first_child (self->runner_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->runner_list), child);
  for (guint i = 0; i < specs->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->runner_list),
                         runner_row (self, g_ptr_array_index (specs, i)));
  self->syncing = FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* The results table                                                                      */

static GtkWidget *
table_label (const char *text, float xalign, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

void
nl_compare_rebuild_table (NlCompareWindow *self)
{
  GtkGrid *grid = GTK_GRID (self->results_grid);
  GtkWidget *child;
  const char *headers[] = {
    _("Optimizer"), _("η"), _("Steps"), _("Loss"),
    self->source == NL_COMPARE_NETWORK ? _("Off the plane") : _("To minimum"),
    _("State"),
  };

  while ((child = gtk_widget_get_first_child (self->results_grid)) != NULL)
    gtk_grid_remove (grid, child);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      GtkWidget *h = table_label (headers[c], c == 0 ? 0.0f : 1.0f, "heading");
      gtk_grid_attach (grid, h, c == 0 ? 0 : c + 1, 0, c == 0 ? 2 : 1, 1);
      if (c == 4)
        gtk_widget_set_tooltip_text (h, self->source == NL_COMPARE_NETWORK
                                          ? _("How far the point really is from the plane it is drawn on")
                                          : _("Distance from the last point to the nearest known minimum: ★ a global one, ☆ a local one"));
    }
  self->n_table = MIN (self->n_traj, MAX_RUNNERS);
  for (guint r = 0; r < self->n_table; r++)
    {
      TableRow *row = &self->table[r];

      row->swatch = swatch_new (self, 0);
      row->name = table_label ("", 0.0f, NULL);
      row->lr = table_label ("", 1.0f, "numeric");
      row->steps = table_label ("", 1.0f, "numeric");
      row->loss = table_label ("", 1.0f, "numeric");
      row->distance = table_label ("", 1.0f, "numeric");
      row->state = table_label ("", 1.0f, NULL);
      gtk_grid_attach (grid, row->swatch, 0, r + 1, 1, 1);
      gtk_grid_attach (grid, row->name, 1, r + 1, 1, 1);
      gtk_grid_attach (grid, row->lr, 2, r + 1, 1, 1);
      gtk_grid_attach (grid, row->steps, 3, r + 1, 1, 1);
      gtk_grid_attach (grid, row->loss, 4, r + 1, 1, 1);
      gtk_grid_attach (grid, row->distance, 5, r + 1, 1, 1);
      gtk_grid_attach (grid, row->state, 6, r + 1, 1, 1);
    }
}

static void
format_value (char *buf, gsize size, double v)
{
  if (isnan (v))
    g_strlcpy (buf, "—", size);
  else if (!isfinite (v))
    g_strlcpy (buf, v > 0 ? "∞" : "−∞", size);
  else if (v != 0 && (fabs (v) < 1e-3 || fabs (v) >= 1e5))
    g_snprintf (buf, size, "%.2e", v);
  else
    g_snprintf (buf, size, "%.4g", v);
}

void
nl_compare_set_text (GtkWidget *label, const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

guint
nl_compare_network_max_points (NlCompareWindow *self)
{
  guint m = 0;

  for (guint r = 0; self->plane != NULL && r < self->plane->n_runs; r++)
    m = MAX (m, self->plane->n_points[r]);
  return m;
}

guint
nl_compare_race_limit (NlCompareWindow *self)
{
  return self->steps[self->source];
}

void
nl_compare_update_table (NlCompareWindow *self)
{
  GPtrArray *specs = nl_compare_current_specs (self);

  if (self->n_table != self->n_traj)
    nl_compare_rebuild_table (self);
  for (guint r = 0; r < self->n_table; r++)
    {
      TableRow *row = &self->table[r];
      const NlSurfaceTrajectory *t = &self->traj[r];
      char lr[32], steps[32], loss[32], distance[96];
      const char *state;
      double rate = NAN;

      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row->swatch), "color"))
          != self->traj_colors[r])
        {
          g_object_set_data (G_OBJECT (row->swatch), "color",
                             GUINT_TO_POINTER (self->traj_colors[r]));
          gtk_widget_queue_draw (row->swatch);
        }
      if (self->source == NL_COMPARE_NETWORK)
        {
          guint last = t->n > 0 ? t->n - 1 : 0;
          double residual = t->n > 0 && t->residual
                            ? *(const double *) ((const guint8 *) t->residual + last * t->stride)
                            : NAN;
          double v = t->n > 0 ? *(const double *) ((const guint8 *) t->loss + last * t->stride)
                              : NAN;

          rate = self->plane_rates[r];
          g_snprintf (steps, sizeof steps, "%u", last);
          format_value (loss, sizeof loss, v);
          format_value (distance, sizeof distance, residual);
          state = t->diverged ? _("Diverged")
                  : last + 1 >= nl_compare_network_max_points (self) ? _("Finished")
                  : self->playing ? _("Racing") : _("Paused");
        }
      else
        {
          NnRunnerResult res;
          RunnerSpec *spec = nl_compare_nth_enabled (specs, r);
          char d[32];

          nn_race_get_result (self->race, r, &res);
          rate = spec != NULL ? spec->cfg.optimizer.learning_rate : NAN;
          g_snprintf (steps, sizeof steps, "%u", res.steps);
          format_value (loss, sizeof loss, res.loss);
          format_value (d, sizeof d, res.distance);
          if (res.nearest_minimum >= 0 && isfinite (res.distance))
            {
              guint n;
              const NnCriticalPoint *cp =
                nn_surface_get_critical_points (nn_race_get_surface (self->race), &n);
              /* The legend's marks: ★ a global minimum, ☆ a local one. */
              g_snprintf (distance, sizeof distance, "%s %s", d,
                          cp[res.nearest_minimum].kind == NN_CRITICAL_LOCAL_MINIMUM ? "☆" : "★");
            }
          else
            g_strlcpy (distance, d, sizeof distance);
          state = res.state == NN_RUNNER_DIVERGED   ? _("Diverged")
                  : res.state == NN_RUNNER_FINISHED ? _("Finished")
                  : nn_race_get_step (self->race) >= nl_compare_race_limit (self) ? _("Finished")
                  : self->playing                   ? _("Racing")
                                                    : _("Paused");
        }
      g_snprintf (lr, sizeof lr, "%.3g", rate);
      nl_compare_set_text (row->name, t->label ? t->label : "");
      nl_compare_set_text (row->lr, lr);
      nl_compare_set_text (row->steps, steps);
      nl_compare_set_text (row->loss, loss);
      nl_compare_set_text (row->distance, distance);
      nl_compare_set_text (row->state, state);
    }
}
