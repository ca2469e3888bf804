/* nl-point-editor.c: the "Draw points" toolbar and the pointer on the output plot. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-point-editor.h"
#include "nl-boundary-view.h"
#include "nl-render.h"

/* Painting: a new point once the pointer has moved this far (plane units) and this long
 * (µs) since the last, so a drag lays down an even trail rather than a blob. */
#define PAINT_SPACING   0.35
#define PAINT_INTERVAL  (G_USEC_PER_SEC / 40)
/* "changed" at most this often while painting (µs): each one retrains from new data. */
#define CHANGED_INTERVAL (G_USEC_PER_SEC / 10)
/* Erasing: pixels around the pointer. */
#define ERASE_RADIUS_PX 14.0
/* Every TEST_EVERY-th point drawn goes to the test set when the split is on. */
#define TEST_EVERY      5

struct _NlPointEditor
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkWidget     *revealer;
  GtkWidget     *mode_label;
  GtkWidget     *swatch_box;
  GtkWidget     *target_box;
  GtkWidget     *target_spin;
  GtkAdjustment *target_adjustment;
  GtkWidget     *target_swatch;
  GtkWidget     *test_check;
  GtkWidget     *hint_label;

  GtkWidget     *plot;          /* weak */
  GtkWidget     *swatches[NN_MAX_CLASSES];
  gboolean       active;
  gboolean       dark;
  NnProblem      problem;
  guint          classes;
  guint          klass;
  double         target;
  gboolean       test_split;
  GArray        *train;
  GArray        *test;
  guint          n_drawn;       /* points added since drawing started, for the split */

  /* The drag in progress. */
  gboolean       erasing;
  double         start_x, start_y;
  double         last_x1, last_x2;
  gint64         last_time;
  gint64         last_changed;
  guint          changed_id;
  gboolean       syncing;
};

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NlPointEditor, nl_point_editor, GTK_TYPE_WIDGET)

static const NlRenderStyle *
editor_style (NlPointEditor *self)
{
  return nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

/* The colour a point of this label has on the plot. */
static NlRgba
label_color (NlPointEditor *self, double y)
{
  const NlRenderStyle *style = editor_style (self);

  if (self->problem == NN_PROBLEM_REGRESSION)
    return nl_render_style_diverging (style, y);
  return nl_render_style_class_color (style, (guint) y);
}

/* ------------------------------------------------------------------------------------ */
/* Showing and telling                                                                  */

static void
update_hint (NlPointEditor *self)
{
  guint n = self->train->len + self->test->len;
  g_autofree char *count = NULL;
  g_autofree char *hint = NULL;

  if (n == 0)
    hint = g_strdup (_("Click on the output plot to add the first point."));
  else
    {
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u point", "%u points", n), n);
      /* TRANSLATORS: %s is a number of points, "42 points" */
      hint = g_strdup_printf (_("%s. On the output plot: click to add, drag to paint, right-click to erase."),
                              count);
    }
  gtk_label_set_label (GTK_LABEL (self->hint_label), hint);
}

static void
show_points (NlPointEditor *self)
{
  if (self->plot != NULL && NL_IS_BOUNDARY_VIEW (self->plot))
    nl_boundary_view_override_points (NL_BOUNDARY_VIEW (self->plot), self->active,
                                      (const NnPoint *) self->train->data, self->train->len,
                                      (const NnPoint *) self->test->data, self->test->len);
  update_hint (self);
}

static gboolean
emit_changed_now (gpointer data)
{
  NlPointEditor *self = data;

  self->changed_id = 0;
  self->last_changed = g_get_monotonic_time ();
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* After an edit: the plot at once, "changed" as soon as the rate limit allows. */
static void
edited (NlPointEditor *self, gboolean immediately)
{
  gint64 wait = self->last_changed + CHANGED_INTERVAL - g_get_monotonic_time ();

  show_points (self);
  if (immediately || wait <= 0)
    {
      g_clear_handle_id (&self->changed_id, g_source_remove);
      emit_changed_now (self);
    }
  else if (self->changed_id == 0)
    self->changed_id = g_timeout_add ((guint) (wait / 1000) + 1, emit_changed_now, self);
}

/* ------------------------------------------------------------------------------------ */
/* Swatches                                                                             */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlPointEditor *self = g_object_get_data (G_OBJECT (area), "nl-editor");
  double y = GPOINTER_TO_UINT (data);
  NlRgba color, edge = { 0, 0, 0, 0.35 };
  double r = MIN (width, height) / 2.0 - 1.5;

  if (area == GTK_DRAWING_AREA (self->target_swatch))
    y = self->target;
  color = label_color (self, y);
  cairo_arc (cr, width / 2.0, height / 2.0, r, 0, 2 * G_PI);
  nl_render_set_source (cr, &color);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &edge);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static void
on_swatch_toggled (GtkToggleButton *button, NlPointEditor *self)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  nl_point_editor_set_class (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                        "nl-class")));
}

static void
rebuild_swatches (NlPointEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->swatch_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->swatch_box), child);
  memset (self->swatches, 0, sizeof self->swatches);

  if (self->problem != NN_PROBLEM_CLASSIFICATION)
    return;
  for (guint k = 0; k < self->classes && k < NN_MAX_CLASSES; k++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *tip = g_strdup_printf (_("Draw points of class %u"), k);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 20);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 20);
      g_object_set_data (G_OBJECT (area), "nl-editor", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, GUINT_TO_POINTER (k),
                                      NULL);
      gtk_button_set_child (GTK_BUTTON (button), area);
      gtk_widget_set_tooltip_text (button, tip);
      gtk_widget_add_css_class (button, "class-swatch");
      g_object_set_data (G_OBJECT (button), "nl-class", GUINT_TO_POINTER (k));
      if (k > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button),
                                     GTK_TOGGLE_BUTTON (self->swatches[0]));
      g_signal_connect (button, "toggled", G_CALLBACK (on_swatch_toggled), self);
      gtk_box_append (GTK_BOX (self->swatch_box), button);
      self->swatches[k] = button;
    }
}

static void
sync_swatches (NlPointEditor *self)
{
  self->syncing = TRUE;
  if (self->klass < NN_MAX_CLASSES && self->swatches[self->klass] != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->swatches[self->klass]), TRUE);
  self->syncing = FALSE;
}

static void
on_target_changed (GtkAdjustment *adjustment, NlPointEditor *self)
{
  if (self->syncing)
    return;
  nl_point_editor_set_target (self, gtk_adjustment_get_value (adjustment));
}

static void
on_test_toggled (GtkCheckButton *check, GParamSpec *pspec, NlPointEditor *self)
{
  if (self->syncing)
    return;
  nl_point_editor_set_test_split (self, gtk_check_button_get_active (check));
}

/* ------------------------------------------------------------------------------------ */
/* The pointer on the plot                                                              */

static gboolean
plot_to_plane (NlPointEditor *self, double x, double y, double *x1, double *x2,
               double *px_per_unit)
{
  NlBoundaryLayout layout;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT,
                              gtk_widget_get_width (self->plot),
                              gtk_widget_get_height (self->plot), editor_style (self));
  if (px_per_unit != NULL)
    *px_per_unit = layout.plot.width / (NN_PLANE_MAX - NN_PLANE_MIN);
  return nl_boundary_layout_to_plane (&layout, x, y, x1, x2);
}

static void
erase_at (NlPointEditor *self, double x, double y)
{
  double x1, x2, scale;

  plot_to_plane (self, x, y, &x1, &x2, &scale);
  if (nl_point_editor_erase_near (self, x1, x2, ERASE_RADIUS_PX / MAX (scale, 1e-6)) == 0)
    return;
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, NlPointEditor *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double x1, x2;

  if (!self->active || self->plot == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* Claimed: the plot's own click (selecting a point) does not happen while drawing. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->start_x = x;
  self->start_y = y;
  self->erasing = button == GDK_BUTTON_SECONDARY;
  if (self->erasing)
    {
      erase_at (self, x, y);
      return;
    }
  if (button != GDK_BUTTON_PRIMARY || !plot_to_plane (self, x, y, &x1, &x2, NULL))
    return;
  nl_point_editor_add_point (self, x1, x2);
  self->last_x1 = x1;
  self->last_x2 = x2;
  self->last_time = g_get_monotonic_time ();
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, NlPointEditor *self)
{
  double x = self->start_x + dx, y = self->start_y + dy, x1, x2;
  gint64 now = g_get_monotonic_time ();

  if (!self->active || self->plot == NULL)
    return;
  if (self->erasing)
    {
      erase_at (self, x, y);
      return;
    }
  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) != GDK_BUTTON_PRIMARY
      || !plot_to_plane (self, x, y, &x1, &x2, NULL))
    return;
  if (hypot (x1 - self->last_x1, x2 - self->last_x2) < PAINT_SPACING
      || now - self->last_time < PAINT_INTERVAL)
    return;
  nl_point_editor_add_point (self, x1, x2);
  self->last_x1 = x1;
  self->last_x2 = x2;
  self->last_time = now;
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, NlPointEditor *self)
{
  nl_point_editor_flush (self);
}

static void
on_plot_destroyed (gpointer data, GObject *where_the_object_was)
{
  NlPointEditor *self = data;

  self->plot = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
nl_point_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NlPointEditor *self = NL_POINT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_point_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NlPointEditor *self = NL_POINT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      nl_point_editor_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_point_editor_dispose (GObject *object)
{
  NlPointEditor *self = NL_POINT_EDITOR (object);

  g_clear_handle_id (&self->changed_id, g_source_remove);
  if (self->plot != NULL)
    {
      g_object_weak_unref (G_OBJECT (self->plot), on_plot_destroyed, self);
      self->plot = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), NL_TYPE_POINT_EDITOR);

  G_OBJECT_CLASS (nl_point_editor_parent_class)->dispose (object);
}

static void
nl_point_editor_finalize (GObject *object)
{
  NlPointEditor *self = NL_POINT_EDITOR (object);

  g_clear_pointer (&self->train, g_array_unref);
  g_clear_pointer (&self->test, g_array_unref);

  G_OBJECT_CLASS (nl_point_editor_parent_class)->finalize (object);
}

static void
nl_point_editor_class_init (NlPointEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_point_editor_dispose;
  object_class->finalize = nl_point_editor_finalize;
  object_class->get_property = nl_point_editor_get_property;
  object_class->set_property = nl_point_editor_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NlPointEditor::changed:
   *
   * The points were edited (rate-limited while painting): read them with
   * nl_point_editor_get_train() and nl_point_editor_get_test().
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-point-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, revealer);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, mode_label);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, swatch_box);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, target_box);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, target_spin);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, target_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, target_swatch);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, test_check);
  gtk_widget_class_bind_template_child (widget_class, NlPointEditor, hint_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nlpointeditor");
}

static void
nl_point_editor_init (NlPointEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->train = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  self->test = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  self->problem = NN_PROBLEM_CLASSIFICATION;
  self->classes = 2;
  self->target = 1.0;
  self->klass = 1;

  g_object_set_data (G_OBJECT (self->target_swatch), "nl-editor", self);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->target_swatch), draw_swatch, NULL,
                                  NULL);
  g_signal_connect (self->target_adjustment, "value-changed", G_CALLBACK (on_target_changed),
                    self);
  g_signal_connect (self->test_check, "notify::active", G_CALLBACK (on_test_toggled), self);
  rebuild_swatches (self);
  sync_swatches (self);
  update_hint (self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

GtkWidget *
nl_point_editor_new (void)
{
  return g_object_new (NL_TYPE_POINT_EDITOR, NULL);
}

void
nl_point_editor_attach (NlPointEditor *self, GtkWidget *plot)
{
  GtkGesture *drag;

  g_return_if_fail (NL_IS_POINT_EDITOR (self));
  g_return_if_fail (GTK_IS_WIDGET (plot));
  g_return_if_fail (self->plot == NULL);

  self->plot = plot;
  g_object_weak_ref (G_OBJECT (plot), on_plot_destroyed, self);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drag), "nl-point-editor");
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self, 0);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self, 0);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (on_drag_end), self, 0);
  gtk_widget_add_controller (plot, GTK_EVENT_CONTROLLER (drag));
}

gboolean
nl_point_editor_get_active (NlPointEditor *self)
{
  g_return_val_if_fail (NL_IS_POINT_EDITOR (self), FALSE);

  return self->active;
}

void
nl_point_editor_set_active (NlPointEditor *self, gboolean active)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  if (self->active == !!active)
    return;
  self->active = !!active;
  self->n_drawn = 0;
  if (!self->active)
    nl_point_editor_flush (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), self->active);
  if (self->plot != NULL)
    gtk_widget_set_cursor_from_name (self->plot, self->active ? "crosshair" : NULL);
  show_points (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

void
nl_point_editor_set_dark (NlPointEditor *self, gboolean dark)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  self->dark = !!dark;
  for (guint k = 0; k < NN_MAX_CLASSES; k++)
    if (self->swatches[k] != NULL)
      gtk_widget_queue_draw (gtk_button_get_child (GTK_BUTTON (self->swatches[k])));
  gtk_widget_queue_draw (self->target_swatch);
}

void
nl_point_editor_set_problem (NlPointEditor *self, NnProblem problem, guint classes)
{
  gboolean regression = problem == NN_PROBLEM_REGRESSION;

  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  classes = CLAMP (classes, NN_MIN_CLASSES, NN_MAX_CLASSES);
  if (self->problem == problem && (regression || self->classes == classes))
    return;
  self->problem = problem;
  self->classes = classes;
  if (!regression)
    self->klass = MIN (self->klass, classes - 1);
  gtk_label_set_label (GTK_LABEL (self->mode_label),
                       regression ? _("Target of the points you draw")
                                  : _("Class of the points you draw"));
  gtk_widget_set_visible (self->swatch_box, !regression);
  gtk_widget_set_visible (self->target_box, regression);
  rebuild_swatches (self);
  sync_swatches (self);
  gtk_widget_queue_draw (self->target_swatch);
}

void
nl_point_editor_set_points (NlPointEditor *self,
                            const NnPoint *train,
                            guint          n_train,
                            const NnPoint *test,
                            guint          n_test)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  g_array_set_size (self->train, 0);
  g_array_set_size (self->test, 0);
  g_array_append_vals (self->train, train, n_train);
  g_array_append_vals (self->test, test, n_test);
  show_points (self);
}

GArray *
nl_point_editor_get_train (NlPointEditor *self)
{
  g_return_val_if_fail (NL_IS_POINT_EDITOR (self), NULL);

  return self->train;
}

GArray *
nl_point_editor_get_test (NlPointEditor *self)
{
  g_return_val_if_fail (NL_IS_POINT_EDITOR (self), NULL);

  return self->test;
}

void
nl_point_editor_set_class (NlPointEditor *self, guint klass)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  self->klass = MIN (klass, self->classes - 1);
  sync_swatches (self);
}

guint
nl_point_editor_get_class (NlPointEditor *self)
{
  g_return_val_if_fail (NL_IS_POINT_EDITOR (self), 0);

  return self->klass;
}

void
nl_point_editor_set_target (NlPointEditor *self, double target)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  self->target = CLAMP (target, -1.0, 1.0);
  self->syncing = TRUE;
  gtk_adjustment_set_value (self->target_adjustment, self->target);
  self->syncing = FALSE;
  gtk_widget_queue_draw (self->target_swatch);
}

void
nl_point_editor_set_test_split (NlPointEditor *self, gboolean test_split)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  self->test_split = !!test_split;
  self->syncing = TRUE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->test_check), self->test_split);
  self->syncing = FALSE;
}

void
nl_point_editor_add_point (NlPointEditor *self, double x1, double x2)
{
  NnPoint p;

  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  p.x1 = CLAMP (x1, NN_PLANE_MIN, NN_PLANE_MAX);
  p.x2 = CLAMP (x2, NN_PLANE_MIN, NN_PLANE_MAX);
  p.y = self->problem == NN_PROBLEM_REGRESSION ? self->target : (double) self->klass;
  self->n_drawn++;
  /* The first point always trains: the engine needs one. */
  if (self->test_split && self->n_drawn % TEST_EVERY == 0 && self->train->len > 0)
    g_array_append_val (self->test, p);
  else
    g_array_append_val (self->train, p);
  edited (self, FALSE);
}

static guint
erase_from (GArray *points, double x1, double x2, double radius)
{
  guint removed = 0;

  for (guint i = points->len; i-- > 0;)
    {
      const NnPoint *p = &g_array_index (points, NnPoint, i);

      if (hypot (p->x1 - x1, p->x2 - x2) <= radius)
        {
          g_array_remove_index (points, i);
          removed++;
        }
    }
  return removed;
}

guint
nl_point_editor_erase_near (NlPointEditor *self, double x1, double x2, double radius)
{
  guint removed;

  g_return_val_if_fail (NL_IS_POINT_EDITOR (self), 0);

  removed = erase_from (self->train, x1, x2, radius) + erase_from (self->test, x1, x2, radius);
  if (removed > 0)
    edited (self, FALSE);
  return removed;
}

void
nl_point_editor_clear (NlPointEditor *self)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  g_array_set_size (self->train, 0);
  g_array_set_size (self->test, 0);
  self->n_drawn = 0;
  edited (self, TRUE);
}

void
nl_point_editor_flush (NlPointEditor *self)
{
  g_return_if_fail (NL_IS_POINT_EDITOR (self));

  if (self->changed_id != 0)
    {
      g_clear_handle_id (&self->changed_id, g_source_remove);
      emit_changed_now (self);
    }
}
