/* nl-boundary-view.c: the output view widget (drawing is src/render's). */
#include <glib/gi18n.h>
#include <math.h>

#include "nl-boundary-view.h"
#include "nl-render.h"
#include "nl-view-utils.h"

struct _NlBoundaryView
{
  GtkWidget      parent_instance;

  NlSnapshot    *snapshot;
  NlRenderCache *cache;
  NlViewCache    picture;
  gboolean       dark;
  gboolean       show_test;
  gboolean       discretize;
  guint64        scene_serial;   /* changes whenever the picture must be rebuilt */
  int            highlight_index;  /* the selected point (issue 7), −1 for none */
  gboolean       highlight_is_test;
  /* Points drawn instead of the snapshot's (the point editor's, while drawing). */
  GArray        *override_train;
  GArray        *override_test;
};

enum {
  PROP_0,
  PROP_SHOW_TEST,
  PROP_DISCRETIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (NlBoundaryView, nl_boundary_view, GTK_TYPE_WIDGET)

/* Fills the scene from the snapshot; FALSE when there is nothing to draw. */
static gboolean
make_scene (NlBoundaryView *self, NlBoundaryScene *scene)
{
  const NlSnapshot *snap = self->snapshot;
  const NnProject *project;
  const NnDataset *dataset;

  nl_boundary_scene_init (scene);
  if (snap == NULL)
    return FALSE;

  project = snap->model->project;
  dataset = snap->model->dataset;
  scene->problem = project->problem;
  scene->res = snap->output_res;

  if (project->problem == NN_PROBLEM_CLASSIFICATION && snap->n_outputs > 1)
    {
      scene->n_classes = snap->n_outputs;
      scene->class_probs = snap->output_grids;
    }
  else
    {
      scene->values = snap->output_grids;
      scene->n_classes = project->problem == NN_PROBLEM_CLASSIFICATION ? 2 : 0;
      if (snap->net.arch.output_activation == NN_ACTIVATION_SIGMOID)
        {
          scene->value_lo = 0;
          scene->value_hi = 1;
        }
      else
        {
          scene->value_lo = -1;
          scene->value_hi = 1;
        }
    }

  if (self->override_train != NULL)
    {
      scene->train = (const NnPoint *) self->override_train->data;
      scene->n_train = self->override_train->len;
      scene->test = (const NnPoint *) self->override_test->data;
      scene->n_test = self->override_test->len;
    }
  else if (dataset != NULL)
    {
      scene->train = dataset->train;
      scene->n_train = dataset->n_train;
      scene->test = dataset->test;
      scene->n_test = dataset->n_test;
    }
  scene->show_train = TRUE;
  scene->show_test = self->show_test;
  scene->discretize = self->discretize;
  scene->highlight_index = self->highlight_index;
  scene->highlight_is_test = self->highlight_is_test;
  scene->serial = self->scene_serial;
  return TRUE;
}

static void
compute_layout (NlBoundaryView *self, NlBoundaryLayout *layout)
{
  nl_boundary_layout_compute (layout, NL_BOUNDARY_LAYOUT_DEFAULT,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)),
                              nl_view_style (self->dark));
}

static void
draw_boundary (cairo_t *cr, int width, int height, gpointer data)
{
  NlBoundaryView *self = data;
  NlBoundaryLayout layout;
  NlBoundaryScene scene;

  if (!make_scene (self, &scene))
    return;
  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, width, height,
                              nl_view_style (self->dark));
  nl_render_boundary (cr, &layout, &scene, nl_view_style (self->dark), self->cache);
}

static void
nl_boundary_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (widget);

  if (self->snapshot != NULL)
    nl_view_cache_append (&self->picture, widget, snapshot, draw_boundary, self);
}

static void
nl_boundary_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  /* Wide enough for the plot and its legend; as tall as the plot needs at that width. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 260;
      *natural = 460;
    }
  else
    {
      int width = for_size > 0 ? for_size : 460;

      *minimum = MIN (240, (int) (width * 0.78));
      *natural = MAX (*minimum, (int) (width * 0.78));
    }
}

static GtkSizeRequestMode
nl_boundary_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The output at a point of the plane, read from the snapshot's grid. */
static double
output_at (const NlSnapshot *snap, guint output, double x1, double x2)
{
  guint res = snap->output_res;
  double cell = (NN_PLANE_MAX - NN_PLANE_MIN) / res;
  int c = (int) floor ((x1 - NN_PLANE_MIN) / cell);
  int r = (int) floor ((NN_PLANE_MAX - x2) / cell);

  c = CLAMP (c, 0, (int) res - 1);
  r = CLAMP (r, 0, (int) res - 1);
  return snap->output_grids[(gsize) output * res * res + (gsize) r * res + c];
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (widget);
  const NlSnapshot *snap = self->snapshot;
  NlBoundaryLayout layout;
  NlBoundaryScene scene;
  GString *text;
  double x1, x2;
  int index;
  gboolean is_test;

  if (keyboard_mode || !make_scene (self, &scene))
    return FALSE;
  compute_layout (self, &layout);
  if (!nl_boundary_layout_to_plane (&layout, x, y, &x1, &x2))
    return FALSE;

  text = g_string_new (NULL);
  g_string_append_printf (text, _("x₁ = %.2f, x₂ = %.2f"), x1, x2);

  if (snap->n_outputs > 1)
    {
      guint best = 0;

      for (guint k = 1; k < snap->n_outputs; k++)
        if (output_at (snap, k, x1, x2) > output_at (snap, best, x1, x2))
          best = k;
      g_string_append_printf (text, _("\nMost likely class %u (%.0f %%)"), best,
                              100 * output_at (snap, best, x1, x2));
    }
  else
    g_string_append_printf (text, _("\nNetwork output %.3f"), output_at (snap, 0, x1, x2));

  if (nl_boundary_hit_point (&layout, &scene, x, y, layout.point_radius + 3, &index, &is_test))
    {
      const NnPoint *p = is_test ? &scene.test[index] : &scene.train[index];

      if (scene.problem == NN_PROBLEM_CLASSIFICATION)
        g_string_append_printf (text, is_test ? _("\nTest point of class %u") : _("\nTraining point of class %u"),
                                (guint) p->y);
      else
        g_string_append_printf (text, is_test ? _("\nTest point, target %.3f") : _("\nTraining point, target %.3f"),
                                p->y);
      g_string_append (text, _("\nClick to follow it through the network."));
    }

  gtk_tooltip_set_text (tooltip, text->str);
  g_string_free (text, TRUE);
  return TRUE;
}

/* Clicking a data point selects it everywhere (win.select-point: train points first, then
 * test points); clicking beside the points selects none. */
static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   NlBoundaryView  *self)
{
  NlBoundaryLayout layout;
  NlBoundaryScene scene;
  int index = -1;
  gboolean is_test = FALSE;

  if (!make_scene (self, &scene))
    return;
  compute_layout (self, &layout);
  if (nl_boundary_hit_point (&layout, &scene, x, y, layout.point_radius + 3, &index, &is_test))
    index = is_test ? (int) scene.n_train + index : index;
  else if (self->highlight_index < 0)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.select-point", "i", index);
}

static void
nl_boundary_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_TEST:
      g_value_set_boolean (value, self->show_test);
      break;
    case PROP_DISCRETIZE:
      g_value_set_boolean (value, self->discretize);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_boundary_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_TEST:
      nl_boundary_view_set_show_test (self, g_value_get_boolean (value));
      break;
    case PROP_DISCRETIZE:
      nl_boundary_view_set_discretize (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_boundary_view_dispose (GObject *object)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (object);

  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  g_clear_pointer (&self->override_train, g_array_unref);
  g_clear_pointer (&self->override_test, g_array_unref);
  nl_view_cache_clear (&self->picture);

  G_OBJECT_CLASS (nl_boundary_view_parent_class)->dispose (object);
}

static void
nl_boundary_view_finalize (GObject *object)
{
  NlBoundaryView *self = NL_BOUNDARY_VIEW (object);

  g_clear_pointer (&self->cache, nl_render_cache_free);

  G_OBJECT_CLASS (nl_boundary_view_parent_class)->finalize (object);
}

static void
nl_boundary_view_class_init (NlBoundaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_boundary_view_dispose;
  object_class->finalize = nl_boundary_view_finalize;
  object_class->get_property = nl_boundary_view_get_property;
  object_class->set_property = nl_boundary_view_set_property;

  widget_class->snapshot = nl_boundary_view_snapshot;
  widget_class->measure = nl_boundary_view_measure;
  widget_class->get_request_mode = nl_boundary_view_get_request_mode;

  properties[PROP_SHOW_TEST] =
    g_param_spec_boolean ("show-test", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISCRETIZE] =
    g_param_spec_boolean ("discretize", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "nlboundaryview");
}

static void
nl_boundary_view_init (NlBoundaryView *self)
{
  self->cache = nl_render_cache_new ();
  self->show_test = TRUE;
  self->scene_serial = 1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  self->highlight_index = -1;
  nl_view_add_click (GTK_WIDGET (self), "released", G_CALLBACK (on_click_released), self);
}

GtkWidget *
nl_boundary_view_new (void)
{
  return g_object_new (NL_TYPE_BOUNDARY_VIEW, NULL);
}

void
nl_boundary_view_set_snapshot (NlBoundaryView *self, NlSnapshot *snapshot)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  nl_view_replace_snapshot (&self->snapshot, snapshot);
  self->scene_serial++;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

void
nl_boundary_view_set_dark (NlBoundaryView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  if (nl_view_set_dark (GTK_WIDGET (self), &self->picture, self->cache, &self->dark, dark))
    self->scene_serial++;
}

gboolean
nl_boundary_view_get_show_test (NlBoundaryView *self)
{
  g_return_val_if_fail (NL_IS_BOUNDARY_VIEW (self), FALSE);

  return self->show_test;
}

void
nl_boundary_view_set_show_test (NlBoundaryView *self, gboolean show_test)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  if (nl_view_set_boolean (GTK_WIDGET (self), &self->picture, &self->show_test, show_test))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TEST]);
}

gboolean
nl_boundary_view_get_discretize (NlBoundaryView *self)
{
  g_return_val_if_fail (NL_IS_BOUNDARY_VIEW (self), FALSE);

  return self->discretize;
}

void
nl_boundary_view_set_discretize (NlBoundaryView *self, gboolean discretize)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  if (!nl_view_set_boolean (GTK_WIDGET (self), &self->picture, &self->discretize, discretize))
    return;
  self->scene_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCRETIZE]);
}

void
nl_boundary_view_set_highlight (NlBoundaryView *self, int index, gboolean is_test)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  if (self->highlight_index == index && self->highlight_is_test == !!is_test)
    return;
  self->highlight_index = index;
  self->highlight_is_test = !!is_test;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

void
nl_boundary_view_override_points (NlBoundaryView *self,
                                  gboolean        override,
                                  const NnPoint  *train,
                                  guint           n_train,
                                  const NnPoint  *test,
                                  guint           n_test)
{
  g_return_if_fail (NL_IS_BOUNDARY_VIEW (self));

  g_clear_pointer (&self->override_train, g_array_unref);
  g_clear_pointer (&self->override_test, g_array_unref);
  if (override)
    {
      self->override_train = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n_train);
      self->override_test = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n_test);
      g_array_append_vals (self->override_train, train, n_train);
      g_array_append_vals (self->override_test, test, n_test);
    }
  self->scene_serial++;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

int
nl_boundary_view_get_highlight (NlBoundaryView *self, gboolean *is_test)
{
  g_return_val_if_fail (NL_IS_BOUNDARY_VIEW (self), -1);

  if (is_test != NULL)
    *is_test = self->highlight_is_test;
  return self->highlight_index;
}
