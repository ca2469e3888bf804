/* nl-surface-view.c: the loss surface widget (drawing is src/render's). */
#include "nl-surface-view.h"
#include "nl-view-utils.h"

#define HIT_RADIUS 9.0

struct _NlSurfaceView
{
  GtkWidget        parent_instance;

  NlSurfaceScene   scene;
  char            *background_key;  /* what the background was drawn for */
  NlSurfaceLayout  layout;
  int              layout_width, layout_height;
  gboolean         layout_valid;
  NlRenderCache   *cache;
  NlViewCache      background;
  NlViewCache      overlay;
  gboolean         dark;
  int              hover_trajectory, hover_point;
};

enum {
  SIGNAL_POINT_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NlSurfaceView, nl_surface_view, GTK_TYPE_WIDGET)

/* Everything the layout and the background depend on besides the size and the theme. The
 * legend's entries are in it: they take rows above the plot. */
static char *
background_key (const NlSurfaceScene *s)
{
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%p|%u|%" G_GUINT64_FORMAT "|%d|%d|%a|%a|%a|%a|%s|%s|%s|%s|%d|",
                          (const void *) s->grid, s->res, s->grid_serial, s->view,
                          s->equal_aspect, s->box.x_min, s->box.x_max, s->box.y_min,
                          s->box.y_max, s->x_name ? s->x_name : "", s->y_name ? s->y_name : "",
                          s->title ? s->title : "", s->note ? s->note : "", s->has_start);
  for (guint i = 0; i < s->n_critical; i++)
    g_string_append_printf (key, "%d", s->critical[i].kind);
  for (guint i = 0; i < s->n_trajectories; i++)
    g_string_append_printf (key, "|%s%d", s->trajectories[i].label ? s->trajectories[i].label : "",
                            s->trajectories[i].diverged);
  return g_string_free (key, FALSE);
}

static void
ensure_layout (NlSurfaceView *self, int width, int height)
{
  if (self->layout_valid && self->layout_width == width && self->layout_height == height)
    return;
  nl_surface_layout_compute (&self->layout, &self->scene, width, height, nl_view_style (self->dark),
                             self->cache);
  self->layout_width = width;
  self->layout_height = height;
  self->layout_valid = TRUE;
  nl_view_cache_invalidate (&self->background);
  nl_view_cache_invalidate (&self->overlay);
}

static void
draw_background (cairo_t *cr, int width, int height, gpointer data)
{
  NlSurfaceView *self = data;

  ensure_layout (self, width, height);
  nl_render_surface_background (cr, &self->layout, &self->scene, nl_view_style (self->dark),
                                self->cache);
}

static void
draw_overlay (cairo_t *cr, int width, int height, gpointer data)
{
  NlSurfaceView *self = data;
  NlSurfaceScene scene = self->scene;

  ensure_layout (self, width, height);
  scene.hover_trajectory = self->hover_trajectory;
  scene.hover_point = self->hover_point;
  nl_render_surface_overlay (cr, &self->layout, &scene, nl_view_style (self->dark), self->cache);
}

static void
nl_surface_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NlSurfaceView *self = NL_SURFACE_VIEW (widget);

  ensure_layout (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  nl_view_cache_append (&self->background, widget, snapshot, draw_background, self);
  nl_view_cache_append (&self->overlay, widget, snapshot, draw_overlay, self);
}

static void
set_hover (NlSurfaceView *self, int trajectory, int point)
{
  if (self->hover_trajectory == trajectory && self->hover_point == point)
    return;
  self->hover_trajectory = trajectory;
  self->hover_point = point;
  nl_view_cache_redraw (&self->overlay, GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NlSurfaceView *self)
{
  int t = -1, p = -1;

  ensure_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                 gtk_widget_get_height (GTK_WIDGET (self)));
  if (!nl_surface_layout_hit_test (&self->layout, &self->scene, x, y, HIT_RADIUS, &t, &p))
    t = -1, p = -1;
  set_hover (self, t, p);
}

static void
on_leave (GtkEventControllerMotion *motion, NlSurfaceView *self)
{
  set_hover (self, -1, -1);
}

static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, NlSurfaceView *self)
{
  if (nl_surface_view_click (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
nl_surface_view_dispose (GObject *object)
{
  NlSurfaceView *self = NL_SURFACE_VIEW (object);

  nl_view_cache_clear (&self->background);
  nl_view_cache_clear (&self->overlay);

  G_OBJECT_CLASS (nl_surface_view_parent_class)->dispose (object);
}

static void
nl_surface_view_finalize (GObject *object)
{
  NlSurfaceView *self = NL_SURFACE_VIEW (object);

  g_clear_pointer (&self->cache, nl_render_cache_free);
  g_clear_pointer (&self->background_key, g_free);

  G_OBJECT_CLASS (nl_surface_view_parent_class)->finalize (object);
}

static void
nl_surface_view_class_init (NlSurfaceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_surface_view_dispose;
  object_class->finalize = nl_surface_view_finalize;
  widget_class->snapshot = nl_surface_view_snapshot;
  nl_view_class_set_fixed_size (widget_class, 320, 640, 240, 440);

  /**
   * NlSurfaceView::point-chosen:
   * @x: the plane's first coordinate under the click
   * @y: its second coordinate
   *
   * The plot was clicked: the owner sets a new start there.
   */
  signals[SIGNAL_POINT_CHOSEN] =
    g_signal_new ("point-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "nlsurfaceview");
}

static void
nl_surface_view_init (NlSurfaceView *self)
{
  self->cache = nl_render_cache_new ();
  self->hover_trajectory = -1;
  self->hover_point = -1;
  nl_surface_scene_init (&self->scene);

  nl_view_track_pointer (GTK_WIDGET (self), G_CALLBACK (on_motion), G_CALLBACK (on_leave), self);
  nl_view_add_click (GTK_WIDGET (self), "pressed", G_CALLBACK (on_pressed), self);

  /* No tooltip: the hover box is the plot's own, and a tooltip would cover it. */
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
}

GtkWidget *
nl_surface_view_new (void)
{
  return g_object_new (NL_TYPE_SURFACE_VIEW, NULL);
}

void
nl_surface_view_set_scene (NlSurfaceView *self, const NlSurfaceScene *scene)
{
  g_autofree char *key = NULL;

  g_return_if_fail (NL_IS_SURFACE_VIEW (self));
  g_return_if_fail (scene != NULL);

  self->scene = *scene;
  key = background_key (scene);
  if (g_strcmp0 (key, self->background_key) != 0)
    {
      g_free (self->background_key);
      self->background_key = g_steal_pointer (&key);
      self->layout_valid = FALSE;
      nl_view_cache_invalidate (&self->background);
    }
  /* A hovered point that is gone (a reset) is no longer hovered. */
  if (self->hover_trajectory >= (int) scene->n_trajectories
      || (self->hover_trajectory >= 0
          && self->hover_point >= (int) scene->trajectories[self->hover_trajectory].n))
    self->hover_trajectory = self->hover_point = -1;
  nl_view_cache_redraw (&self->overlay, GTK_WIDGET (self));
}

void
nl_surface_view_set_dark (NlSurfaceView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_SURFACE_VIEW (self));

  if (!nl_view_set_dark (GTK_WIDGET (self), &self->overlay, self->cache, &self->dark, dark))
    return;
  self->layout_valid = FALSE;
  nl_view_cache_invalidate (&self->background);
}

const NlSurfaceLayout *
nl_surface_view_get_layout (NlSurfaceView *self)
{
  g_return_val_if_fail (NL_IS_SURFACE_VIEW (self), NULL);

  ensure_layout (self, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1),
                 MAX (gtk_widget_get_height (GTK_WIDGET (self)), 1));
  return &self->layout;
}

gboolean
nl_surface_view_click (NlSurfaceView *self, double x, double y)
{
  double px, py;

  g_return_val_if_fail (NL_IS_SURFACE_VIEW (self), FALSE);

  ensure_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                 gtk_widget_get_height (GTK_WIDGET (self)));
  if (self->scene.grid == NULL
      || !nl_surface_layout_from_widget (&self->layout, &self->scene, x, y, &px, &py))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_POINT_CHOSEN], 0, px, py);
  return TRUE;
}
