/* nl-explain-view.c: the back-propagation walkthrough widget (drawing is src/render's). */
#include <glib/gi18n.h>
#include <math.h>

#include "nl-explain-view.h"

/* While training, the walkthrough follows the weights at most this often (µs): numbers
 * that change sixty times a second cannot be read. */
#define UPDATE_INTERVAL (G_USEC_PER_SEC / 4)
#define TEXT_MARGIN_X   18
#define TEXT_MARGIN_Y   14
#define TEXT_SCALE      1.15

struct _NlExplainView
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkWidget       *box;
  GtkWidget       *sample_spin;
  GtkAdjustment   *sample_adjustment;
  GtkWidget       *sample_count_label;
  GtkWidget       *layer_dropdown;
  GtkWidget       *to_dropdown;
  GtkWidget       *from_dropdown;
  GtkWidget       *diagram_area;
  GtkWidget       *scroller;
  GtkWidget       *text_area;
  GtkWidget       *status_label;
  GtkWidget       *custom_toggle;
  GtkAdjustment   *custom_x1_adjustment;
  GtkAdjustment   *custom_x2_adjustment;
  GtkAdjustment   *custom_target_adjustment;
  GtkWidget       *custom_target_spin;
  GtkWidget       *custom_target_label;
  char            *hint;          /* the status line's text when all is well */

  NlSnapshot      *snapshot;      /* the latest */
  NlSnapshot      *shown;         /* the one `explain` was built from */
  NnExplain       *explain;
  gboolean         optimizer_known;
  guint            sample;        /* train points, then test points */
  gboolean         custom;        /* explaining custom_point rather than a data point */
  NnPoint          custom_point;
  NnParamRef       param;
  gboolean         dark;
  gboolean         syncing;

  /* The parameter choosers were filled for this architecture and layer. */
  NnArchitecture   menu_arch;
  guint            menu_features;
  guint            menu_layer;
  gboolean         menus_valid;

  NlNetworkLayout *layout;        /* the diagram's, for clicks */
  NlRenderCache   *cache;
  guint            update_id;
  guint            scroll_id;
  guint            measure_id;
  guint            apply_scroll_id;
  double           pending_scroll;  /* where the text should scroll once it is that long */
  gboolean         want_gradient;   /* scroll to the gradient once the text has a width */
  gint64           last_update;
  int              text_width;
};

enum {
  PROP_0,
  PROP_SAMPLE,
  PROP_CUSTOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (NlExplainView, nl_explain_view, GTK_TYPE_WIDGET)

static const NlRenderStyle *
view_style (NlExplainView *self)
{
  return nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

/* The walkthrough a little larger than the plots' labels: it is read from the back row. */
static NlRenderStyle
text_style (NlExplainView *self)
{
  NlRenderStyle style = *view_style (self);

  style.font_scale = TEXT_SCALE;
  return style;
}

/* "u₁₂": a name with 1-based subscript indices, for the plain-text menus. */
static char *
subscripted (const char *name, guint a, guint b, gboolean two)
{
  static const char *const digits[] = { "₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉" };
  GString *s = g_string_new (name);
  char buf[24];

  if (two)
    g_snprintf (buf, sizeof buf, (a + 1 >= 10 || b + 1 >= 10) ? "%u,%u" : "%u%u", a + 1, b + 1);
  else
    g_snprintf (buf, sizeof buf, "%u", a + 1);
  for (const char *p = buf; *p != '\0'; p++)
    g_string_append (s, *p == ',' ? "," : digits[*p - '0']);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* The explanation                                                                      */

static const NnDataset *
shown_dataset (NlExplainView *self)
{
  return self->snapshot != NULL ? self->snapshot->model->dataset : NULL;
}

static gboolean
param_valid (const NnArchitecture *arch, NnParamRef ref)
{
  guint n_layers = arch->n_hidden + 1;
  guint n_out, n_in;

  if (ref.layer >= n_layers)
    return FALSE;
  n_out = ref.layer < arch->n_hidden ? arch->units[ref.layer] : arch->n_outputs;
  n_in = ref.layer == 0 ? arch->n_inputs : arch->units[ref.layer - 1];
  return ref.out < n_out && (ref.kind == NN_PARAM_BIAS || ref.in < n_in);
}

static guint
n_points (const NnDataset *ds)
{
  return ds != NULL ? ds->n_train + ds->n_test : 0;
}

/* The point explained: the custom one, or data point `sample` (clamped to the data first).
 * FALSE when there is none. */
static gboolean
current_point (NlExplainView *self, NnPoint *point)
{
  const NnDataset *ds = shown_dataset (self);

  if (self->custom)
    {
      *point = self->custom_point;
      return TRUE;
    }
  if (n_points (ds) == 0)
    return FALSE;
  self->sample = MIN (self->sample, n_points (ds) - 1);
  *point = self->sample < ds->n_train ? ds->train[self->sample]
                                      : ds->test[self->sample - ds->n_train];
  return TRUE;
}

static void sync_controls (NlExplainView *self);

static void
rebuild (NlExplainView *self)
{
  NlSnapshot *snap = self->snapshot;
  const NnOptimizer *opt = NULL;
  g_autoptr(GError) error = NULL;
  NnPoint sample;

  g_clear_pointer (&self->explain, nn_explain_free);
  g_clear_pointer (&self->shown, nl_snapshot_unref);
  self->last_update = g_get_monotonic_time ();

  if (snap == NULL || !current_point (self, &sample))
    {
      sync_controls (self);
      return;
    }
  if (snap->optimizer != NULL && snap->optimizer->n == snap->net.n_params)
    opt = snap->optimizer;
  self->optimizer_known = opt != NULL;
  self->explain = nn_explain_new (snap->model->project, &snap->net, opt, &sample, &error);
  if (self->explain == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("This network cannot be explained: %s"),
                                                  error->message);

      gtk_label_set_label (GTK_LABEL (self->status_label), message);
    }
  else
    {
      self->shown = nl_snapshot_ref (snap);
      /* The hint again, in place of an earlier failure's message. */
      gtk_label_set_label (GTK_LABEL (self->status_label), self->hint);
    }

  if (!param_valid (&snap->net.arch, self->param))
    self->param = NN_PARAM_REF_WEIGHT (0, 0, 0);
  sync_controls (self);
}

static void
measure_text (NlExplainView *self)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  NlExplainScene scene;
  double height = 0;

  if (self->text_width <= 2 * TEXT_MARGIN_X)
    return;
  if (nl_explain_view_get_scenes (self, &scene, NULL))
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      cr = cairo_create (surface);
      NlRenderStyle style = text_style (self);

      height = nl_render_explain_column (cr, &scene, &style,
                                         self->text_width - 2 * TEXT_MARGIN_X, FALSE);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->text_area),
                                       (int) ceil (height) + 2 * TEXT_MARGIN_Y + 8);
}

static gboolean on_measure_idle (gpointer data);

/* The text's height for its width, set from an idle: a resize queued while GTK maps or
 * allocates (this view's map, the text area's resize) would be lost. */
static void
queue_measure (NlExplainView *self)
{
  if (self->measure_id == 0)
    self->measure_id = g_idle_add (on_measure_idle, self);
}

static void
redraw (NlExplainView *self)
{
  queue_measure (self);
  gtk_widget_queue_draw (self->text_area);
  gtk_widget_queue_draw (self->diagram_area);
}

static void
refresh (NlExplainView *self)
{
  rebuild (self);
  redraw (self);
}

static gboolean
on_update_timeout (gpointer data)
{
  NlExplainView *self = data;

  self->update_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Now, or as soon as the interval allows; nothing while the page is not shown. */
static void
schedule_refresh (NlExplainView *self)
{
  gint64 wait;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->update_id != 0)
    return;
  wait = self->last_update + UPDATE_INTERVAL - g_get_monotonic_time ();
  if (wait <= 0)
    refresh (self);
  else
    self->update_id = g_timeout_add ((guint) (wait / 1000) + 1, on_update_timeout, self);
}

/* Once the text has its new height: the chosen parameter's gradient into view. */
static gboolean
scroll_to_gradient (gpointer data)
{
  NlExplainView *self = data;
  NlRenderStyle style = text_style (self);
  NlExplainScene scene;
  GtkAdjustment *adjustment;
  cairo_surface_t *surface;
  cairo_t *cr;
  double sections[3];

  self->scroll_id = 0;
  if (self->text_width <= 2 * TEXT_MARGIN_X || !nl_explain_view_get_scenes (self, &scene, NULL))
    return G_SOURCE_REMOVE;  /* on_measure_idle tries again */
  self->want_gradient = FALSE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  nl_render_explain_sections (cr, &scene, &style, self->text_width - 2 * TEXT_MARGIN_X, sections);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  if (sections[1] < 0)
    return G_SOURCE_REMOVE;
  /* The new height may not be allocated yet: on_scroll_range_changed finishes the job. */
  self->pending_scroll = sections[1] + TEXT_MARGIN_Y - 6;
  gtk_adjustment_set_value (adjustment, self->pending_scroll);
  if (fabs (gtk_adjustment_get_value (adjustment) - self->pending_scroll) < 1)
    self->pending_scroll = -1;
  return G_SOURCE_REMOVE;
}

static gboolean
apply_pending_scroll (gpointer data)
{
  NlExplainView *self = data;
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));

  self->apply_scroll_id = 0;
  if (self->pending_scroll < 0)
    return G_SOURCE_REMOVE;
  gtk_adjustment_set_value (adjustment, self->pending_scroll);
  if (fabs (gtk_adjustment_get_value (adjustment) - self->pending_scroll) < 1)
    self->pending_scroll = -1;
  return G_SOURCE_REMOVE;
}

/* The viewport configures the adjustment, value last: scroll once it is done. */
static void
on_scroll_range_changed (GtkAdjustment *adjustment, NlExplainView *self)
{
  if (self->pending_scroll >= 0 && self->apply_scroll_id == 0)
    self->apply_scroll_id = g_idle_add (apply_pending_scroll, self);
}

/* The user chose a parameter: show its gradient rather than the forward pass. */
static void
choose_param (NlExplainView *self, NnParamRef ref)
{
  nl_explain_view_set_param (self, ref);
  self->want_gradient = TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Controls                                                                             */

static void
fill_strings (GtkWidget *dropdown, GPtrArray *names)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (names, i));
  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (list));
}

static void
fill_menus (NlExplainView *self, const NnArchitecture *arch, guint features)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  guint l = self->param.layer;
  guint n_out = l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
  guint n_in = l == 0 ? arch->n_inputs : arch->units[l - 1];

  if (self->menus_valid && nn_architecture_equal (arch, &self->menu_arch)
      && features == self->menu_features && l == self->menu_layer)
    return;

  for (guint i = 0; i < arch->n_hidden; i++)
    g_ptr_array_add (layers, g_strdup_printf (_("Layer %u"), i + 1));
  g_ptr_array_add (layers, g_strdup (_("Output")));
  for (guint j = 0; j < n_out; j++)
    g_ptr_array_add (units, subscripted ("u", l, j, TRUE));
  for (guint i = 0; i < n_in; i++)
    g_ptr_array_add (inputs, l == 0 ? subscripted ("x", i, 0, FALSE)
                                    : subscripted ("z", l - 1, i, TRUE));
  g_ptr_array_add (inputs, g_strdup (_("bias")));

  fill_strings (self->layer_dropdown, layers);
  fill_strings (self->to_dropdown, units);
  fill_strings (self->from_dropdown, inputs);
  self->menu_arch = *arch;
  self->menu_features = features;
  self->menu_layer = l;
  self->menus_valid = TRUE;
}

/* "of 250 training points" or "= test sample 3 (of 50)", after the index. */
static char *
sample_count_text (NlExplainView *self, const NnDataset *ds)
{
  if (ds == NULL)
    return g_strdup ("");
  if (self->sample >= ds->n_train && ds->n_test > 0)
    /* TRANSLATORS: after the sample's index (test points are numbered after the training
     * points): which test sample it is, counted from 0 as the walkthrough's heading does */
    return g_strdup_printf (_("= test sample %u (of %u)"), self->sample - ds->n_train, ds->n_test);
  if (ds->n_test > 0)
    /* TRANSLATORS: after the sample's index: the sizes of the training and the test sets */
    return g_strdup_printf (_("of %u training + %u test points"), ds->n_train, ds->n_test);
  /* TRANSLATORS: after the sample's index: the training set's size */
  return g_strdup_printf (_("of %u training points"), ds->n_train);
}

/* The target chooser: a class (0…classes − 1) or a regression target. */
static void
sync_custom_target (NlExplainView *self)
{
  const NnProject *p = self->snapshot->model->project;
  gboolean by_class = p->problem == NN_PROBLEM_CLASSIFICATION;
  GtkAdjustment *adj = self->custom_target_adjustment;

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->custom_target_spin), by_class ? 0 : 2);
  gtk_adjustment_configure (adj, gtk_adjustment_get_value (adj), by_class ? 0 : -10,
                            by_class ? MAX (p->dataset.classes, 2) - 1 : 10, by_class ? 1 : 0.1,
                            1, 0);
  gtk_label_set_label (GTK_LABEL (self->custom_target_label), by_class ? _("Class") : _("Target"));
}

static void
sync_controls (NlExplainView *self)
{
  const NnDataset *ds = shown_dataset (self);
  guint n = n_points (ds);
  g_autofree char *count = NULL;

  self->syncing = TRUE;

  gtk_adjustment_set_upper (self->sample_adjustment, n > 0 ? n - 1 : 0);
  if ((guint) gtk_adjustment_get_value (self->sample_adjustment) != self->sample)
    gtk_adjustment_set_value (self->sample_adjustment, self->sample);
  count = sample_count_text (self, ds);
  gtk_label_set_label (GTK_LABEL (self->sample_count_label), count);
  gtk_widget_set_sensitive (self->sample_spin, !self->custom);
  gtk_widget_set_sensitive (self->sample_count_label, !self->custom);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->custom_toggle), self->custom);
  if (self->snapshot != NULL)
    sync_custom_target (self);

  if (self->snapshot != NULL)
    {
      const NnArchitecture *arch = &self->snapshot->net.arch;
      NnParamRef p = self->param;
      guint n_in = p.layer == 0 ? arch->n_inputs : arch->units[p.layer - 1];

      fill_menus (self, arch, self->snapshot->model->project->features);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->layer_dropdown), p.layer);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->to_dropdown), p.out);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->from_dropdown),
                                  p.kind == NN_PARAM_BIAS ? n_in : p.in);
    }
  gtk_widget_set_sensitive (self->layer_dropdown, self->snapshot != NULL);
  gtk_widget_set_sensitive (self->to_dropdown, self->snapshot != NULL);
  gtk_widget_set_sensitive (self->from_dropdown, self->snapshot != NULL);

  self->syncing = FALSE;
}

static void
on_sample_changed (GtkAdjustment *adjustment, NlExplainView *self)
{
  if (self->syncing)
    return;
  nl_explain_view_set_sample (self, (guint) gtk_adjustment_get_value (adjustment));
}

/* The point of the user's, from the x1, x2 and target choosers. */
static void
custom_from_controls (NlExplainView *self)
{
  NnPoint p = {
    .x1 = gtk_adjustment_get_value (self->custom_x1_adjustment),
    .x2 = gtk_adjustment_get_value (self->custom_x2_adjustment),
    .y = gtk_adjustment_get_value (self->custom_target_adjustment),
  };

  nl_explain_view_set_custom_point (self, &p);
}

static void
on_custom_changed (GtkAdjustment *adjustment, NlExplainView *self)
{
  if (!self->syncing && self->custom)
    custom_from_controls (self);
}

static void
on_custom_toggled (GtkToggleButton *toggle, NlExplainView *self)
{
  if (self->syncing)
    return;
  if (gtk_toggle_button_get_active (toggle))
    {
      NnPoint p;

      /* From the data point shown, so the user moves it from there. */
      if (!self->custom && current_point (self, &p))
        nl_explain_view_set_custom_point (self, &p);
      else
        custom_from_controls (self);
    }
  else
    nl_explain_view_set_sample (self, self->sample);
}

static void
on_param_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlExplainView *self)
{
  const NnArchitecture *arch;
  guint layer, to, from, n_in, n_out;
  NnParamRef ref;

  if (self->syncing || self->snapshot == NULL)
    return;
  arch = &self->snapshot->net.arch;
  layer = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->layer_dropdown)), arch->n_hidden);
  n_out = layer < arch->n_hidden ? arch->units[layer] : arch->n_outputs;
  n_in = layer == 0 ? arch->n_inputs : arch->units[layer - 1];
  to = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->to_dropdown));
  from = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->from_dropdown));
  /* Another layer: its first unit and input, the menus follow. */
  if (layer != self->param.layer)
    to = 0, from = 0;
  to = MIN (to, n_out - 1);
  ref = from >= n_in ? NN_PARAM_REF_BIAS (layer, to) : NN_PARAM_REF_WEIGHT (layer, to, from);
  choose_param (self, ref);
}

/* ------------------------------------------------------------------------------------ */
/* Drawing                                                                              */

static void
draw_text (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlExplainView *self = data;
  NlRenderStyle style = text_style (self);
  NlExplainScene scene;

  nl_render_set_source (cr, &style.background);
  cairo_paint (cr);
  if (!nl_explain_view_get_scenes (self, &scene, NULL))
    return;
  cairo_translate (cr, TEXT_MARGIN_X, TEXT_MARGIN_Y);
  nl_render_explain_column (cr, &scene, &style, width - 2 * TEXT_MARGIN_X, TRUE);
}

static gboolean
on_measure_idle (gpointer data)
{
  NlExplainView *self = data;

  self->measure_id = 0;
  measure_text (self);
  if (self->want_gradient && self->scroll_id == 0)
    self->scroll_id = g_idle_add (scroll_to_gradient, self);
  return G_SOURCE_REMOVE;
}

/* A new width wraps the text anew, so it has a new height. */
static void
on_text_resize (GtkDrawingArea *area, int width, int height, NlExplainView *self)
{
  if (width == self->text_width)
    return;
  self->text_width = width;
  queue_measure (self);
}

static void
draw_diagram (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlExplainView *self = data;
  const NlRenderStyle *style = view_style (self);
  NlExplainScene scene;
  NlNetworkScene network;

  nl_render_set_source (cr, &style->background);
  cairo_paint (cr);
  if (!nl_explain_view_get_scenes (self, &scene, &network))
    return;
  nl_network_layout_compute (self->layout, network.arch, network.features,
                             NL_NETWORK_LAYOUT_NO_CONTROLS | NL_NETWORK_LAYOUT_ACTIVE_FEATURES
                             | NL_NETWORK_LAYOUT_NO_LEGEND,
                             MAX (width, 1), MAX (height, 1), style);
  nl_render_explain_diagram (cr, self->layout, &scene, &network, style, self->cache);
}

static void
on_diagram_pressed (GtkGestureClick *gesture, int n_press, double x, double y,
                    NlExplainView *self)
{
  NlNetworkHit hit;

  if (self->shown == NULL
      || !nn_architecture_equal (&self->layout->arch, &self->shown->net.arch)
      || !nl_network_hit_test (self->layout, x, y, &hit))
    return;
  if (hit.kind == NL_NETWORK_HIT_LINK)
    choose_param (self, NN_PARAM_REF_WEIGHT (hit.layer, hit.unit, hit.input));
  else if (hit.kind == NL_NETWORK_HIT_NEURON)
    choose_param (self, NN_PARAM_REF_BIAS (hit.layer, hit.unit));
}

static void
on_diagram_motion (GtkEventControllerMotion *motion, double x, double y, NlExplainView *self)
{
  NlNetworkHit hit;
  gboolean over = self->shown != NULL
                  && nn_architecture_equal (&self->layout->arch, &self->shown->net.arch)
                  && nl_network_hit_test (self->layout, x, y, &hit)
                  && (hit.kind == NL_NETWORK_HIT_LINK || hit.kind == NL_NETWORK_HIT_NEURON);

  gtk_widget_set_cursor_from_name (self->diagram_area, over ? "pointer" : NULL);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
nl_explain_view_map (GtkWidget *widget)
{
  NlExplainView *self = NL_EXPLAIN_VIEW (widget);

  GTK_WIDGET_CLASS (nl_explain_view_parent_class)->map (widget);
  refresh (self);
}

static void
nl_explain_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NlExplainView *self = NL_EXPLAIN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SAMPLE:
      g_value_set_uint (value, self->sample);
      break;
    case PROP_CUSTOM:
      g_value_set_boolean (value, self->custom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_explain_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NlExplainView *self = NL_EXPLAIN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SAMPLE:
      nl_explain_view_set_sample (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_explain_view_dispose (GObject *object)
{
  NlExplainView *self = NL_EXPLAIN_VIEW (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->scroll_id, g_source_remove);
  g_clear_handle_id (&self->measure_id, g_source_remove);
  g_clear_handle_id (&self->apply_scroll_id, g_source_remove);
  g_clear_pointer (&self->explain, nn_explain_free);
  g_clear_pointer (&self->shown, nl_snapshot_unref);
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NL_TYPE_EXPLAIN_VIEW);

  G_OBJECT_CLASS (nl_explain_view_parent_class)->dispose (object);
}

static void
nl_explain_view_finalize (GObject *object)
{
  NlExplainView *self = NL_EXPLAIN_VIEW (object);

  g_clear_pointer (&self->layout, nl_network_layout_free);
  g_clear_pointer (&self->hint, g_free);
  g_clear_pointer (&self->cache, nl_render_cache_free);

  G_OBJECT_CLASS (nl_explain_view_parent_class)->finalize (object);
}

static void
nl_explain_view_class_init (NlExplainViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_explain_view_dispose;
  object_class->finalize = nl_explain_view_finalize;
  object_class->get_property = nl_explain_view_get_property;
  object_class->set_property = nl_explain_view_set_property;
  widget_class->map = nl_explain_view_map;

  properties[PROP_SAMPLE] =
    g_param_spec_uint ("sample", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOM] =
    g_param_spec_boolean ("custom", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-explain-view.ui");
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, box);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, sample_spin);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, sample_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, sample_count_label);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, layer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, to_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, diagram_area);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, scroller);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, text_area);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, status_label);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_toggle);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_x1_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_x2_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_target_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_target_spin);
  gtk_widget_class_bind_template_child (widget_class, NlExplainView, custom_target_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nlexplainview");
}

static void
nl_explain_view_init (NlExplainView *self)
{
  GtkGesture *click;
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hint = g_strdup (gtk_label_get_label (GTK_LABEL (self->status_label)));

  self->layout = nl_network_layout_new ();
  self->cache = nl_render_cache_new ();
  self->param = NN_PARAM_REF_WEIGHT (0, 0, 0);
  self->pending_scroll = -1;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                           "changed", G_CALLBACK (on_scroll_range_changed), self, 0);

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->text_area), draw_text, self, NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->diagram_area), draw_diagram, self,
                                  NULL);
  g_signal_connect (self->text_area, "resize", G_CALLBACK (on_text_resize), self);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_diagram_pressed), self);
  gtk_widget_add_controller (self->diagram_area, GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_diagram_motion), self);
  gtk_widget_add_controller (self->diagram_area, motion);

  g_signal_connect (self->sample_adjustment, "value-changed", G_CALLBACK (on_sample_changed),
                    self);
  g_signal_connect (self->custom_toggle, "toggled", G_CALLBACK (on_custom_toggled), self);
  g_signal_connect (self->custom_x1_adjustment, "value-changed", G_CALLBACK (on_custom_changed),
                    self);
  g_signal_connect (self->custom_x2_adjustment, "value-changed", G_CALLBACK (on_custom_changed),
                    self);
  g_signal_connect (self->custom_target_adjustment, "value-changed",
                    G_CALLBACK (on_custom_changed), self);
  g_signal_connect (self->layer_dropdown, "notify::selected", G_CALLBACK (on_param_selected),
                    self);
  g_signal_connect (self->to_dropdown, "notify::selected", G_CALLBACK (on_param_selected), self);
  g_signal_connect (self->from_dropdown, "notify::selected", G_CALLBACK (on_param_selected),
                    self);
  sync_controls (self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

GtkWidget *
nl_explain_view_new (void)
{
  return g_object_new (NL_TYPE_EXPLAIN_VIEW, NULL);
}

void
nl_explain_view_set_snapshot (NlExplainView *self, NlSnapshot *snapshot)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));

  if (snapshot != NULL)
    nl_snapshot_ref (snapshot);
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  self->snapshot = snapshot;
  schedule_refresh (self);
}

void
nl_explain_view_set_dark (NlExplainView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));

  if (self->dark == !!dark)
    return;
  self->dark = !!dark;
  nl_render_cache_clear (self->cache);
  queue_measure (self);
  gtk_widget_queue_draw (self->text_area);
  gtk_widget_queue_draw (self->diagram_area);
}

static void
set_custom (NlExplainView *self, gboolean custom)
{
  if (self->custom == custom)
    return;
  self->custom = custom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM]);
}

void
nl_explain_view_set_sample (NlExplainView *self, guint index)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));

  if (self->sample == index && !self->custom && self->explain != NULL)
    return;
  self->sample = index;
  set_custom (self, FALSE);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE]);
}

void
nl_explain_view_set_custom_point (NlExplainView *self, const NnPoint *point)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));
  g_return_if_fail (point != NULL);

  self->custom_point = *point;
  set_custom (self, TRUE);
  /* The choosers show the point, whoever set it. */
  self->syncing = TRUE;
  gtk_adjustment_set_value (self->custom_x1_adjustment, point->x1);
  gtk_adjustment_set_value (self->custom_x2_adjustment, point->x2);
  gtk_adjustment_set_value (self->custom_target_adjustment, point->y);
  self->syncing = FALSE;
  refresh (self);
}

gboolean
nl_explain_view_get_custom_point (NlExplainView *self, NnPoint *point)
{
  g_return_val_if_fail (NL_IS_EXPLAIN_VIEW (self), FALSE);

  if (self->custom && point != NULL)
    *point = self->custom_point;
  return self->custom;
}

guint
nl_explain_view_get_sample (NlExplainView *self)
{
  g_return_val_if_fail (NL_IS_EXPLAIN_VIEW (self), 0);

  return self->sample;
}

void
nl_explain_view_set_param (NlExplainView *self, NnParamRef ref)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));

  if (ref.kind == NN_PARAM_BIAS)
    ref.in = 0;
  self->param = ref;
  /* The explanation holds every parameter's gradient: only the choosers and the drawing
   * change, and a pointer from get_explain stays valid. */
  if (self->snapshot != NULL && !param_valid (&self->snapshot->net.arch, self->param))
    self->param = NN_PARAM_REF_WEIGHT (0, 0, 0);
  sync_controls (self);
  redraw (self);
}

NnParamRef
nl_explain_view_get_param (NlExplainView *self)
{
  g_return_val_if_fail (NL_IS_EXPLAIN_VIEW (self), NN_PARAM_REF_WEIGHT (0, 0, 0));

  return self->param;
}

const NnExplain *
nl_explain_view_get_explain (NlExplainView *self)
{
  g_return_val_if_fail (NL_IS_EXPLAIN_VIEW (self), NULL);

  return self->explain;
}

void
nl_explain_view_update (NlExplainView *self)
{
  g_return_if_fail (NL_IS_EXPLAIN_VIEW (self));

  g_clear_handle_id (&self->update_id, g_source_remove);
  refresh (self);
}

/* Which point it is, as the walkthrough's heading says it. */
static void
scene_sample (NlExplainView *self, NlExplainScene *scene)
{
  const NnDataset *ds = self->shown->model->dataset;

  scene->sample_is_custom = self->custom;
  if (self->custom || ds == NULL)
    scene->sample_index = -1;
  else if (self->sample >= ds->n_train)
    {
      scene->sample_is_test = TRUE;
      scene->sample_index = (int) (self->sample - ds->n_train);
    }
  else
    scene->sample_index = (int) self->sample;
}

gboolean
nl_explain_view_get_scenes (NlExplainView  *self,
                            NlExplainScene *scene,
                            NlNetworkScene *network)
{
  g_return_val_if_fail (NL_IS_EXPLAIN_VIEW (self), FALSE);

  if (self->explain == NULL || self->shown == NULL)
    return FALSE;
  if (scene != NULL)
    {
      nl_explain_scene_init (scene);
      scene->explain = self->explain;
      scene->has_param = param_valid (&self->shown->net.arch, self->param);
      scene->param = self->param;
      scene->optimizer_state_known = self->optimizer_known;
      scene_sample (self, scene);
    }
  if (network != NULL)
    {
      *network = (NlNetworkScene) NL_NETWORK_SCENE_INIT;
      network->arch = &self->shown->net.arch;
      network->features = self->shown->model->project->features;
      network->params = self->shown->net.params;
      network->neuron_grids = self->shown->neuron_grids;
      network->grid_res = self->shown->neuron_res;
      network->serial = self->shown->serial;
    }
  return TRUE;
}
