/* nl-loss-view.c: the loss curve widget (drawing is src/render's). */
#include <glib/gi18n.h>
#include <string.h>

#include "nl-loss-view.h"
#include "nl-render.h"
#include "nl-view-utils.h"

struct _NlLossView
{
  GtkWidget      parent_instance;

  NlSnapshot    *snapshot;
  NlRenderCache *cache;
  NlViewCache    picture;
  gboolean       dark;
  gboolean       log_scale;
  gint64         hover_epoch;    /* the epoch under the pointer, −1 for none */
  gint64         marker_epoch;   /* the timeline's position, −1 for none */
  NlRect         plot;           /* the plot's rectangle at the last allocation */
};

enum {
  EPOCH_ACTIVATED,
  PLOT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (NlLossView, nl_loss_view, GTK_TYPE_WIDGET)

/* Index of the last record at or before `epoch`, or −1. The hover is kept as an epoch, not
 * a position: the history thins itself as it grows, and positions move. */
static int
record_at_or_before (const NnEpochStats *records, guint n, gint64 epoch)
{
  int lo = 0, hi = (int) n - 1, found = -1;

  if (records == NULL || epoch < 0)
    return -1;
  while (lo <= hi)
    {
      int mid = lo + (hi - lo) / 2;

      if ((gint64) records[mid].epoch <= epoch)
        found = mid, lo = mid + 1;
      else
        hi = mid - 1;
    }
  return found;
}

static void
make_scene (NlLossView *self, NlLossScene *scene)
{
  const NlSnapshot *snap = self->snapshot;

  nl_loss_scene_init (scene);
  scene->log_scale = self->log_scale;
  scene->show_status = FALSE;
  if (snap == NULL)
    return;

  scene->history = snap->history != NULL ? snap->history->records : NULL;
  scene->n_history = snap->n_history;
  scene->classification = snap->model->project->problem == NN_PROBLEM_CLASSIFICATION;
  scene->hover_index = record_at_or_before (scene->history, scene->n_history, self->hover_epoch);
  scene->serial = snap->serial;
  scene->marker_epoch = self->marker_epoch;
}

static void
draw_loss (cairo_t *cr, int width, int height, gpointer data)
{
  NlLossView *self = data;
  NlLossLayout layout;
  NlLossScene scene;

  make_scene (self, &scene);
  nl_loss_layout_compute (&layout, &scene, width, height, nl_view_style (self->dark));
  nl_render_loss (cr, &layout, &scene, nl_view_style (self->dark), self->cache);
}

static void
nl_loss_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NlLossView *self = NL_LOSS_VIEW (widget);

  nl_view_cache_append (&self->picture, widget, snapshot, draw_loss, self);
}

/* The layout at the view's size, from the data it shows now. */
static void
compute_layout (NlLossView *self, NlLossLayout *layout, NlLossScene *scene)
{
  make_scene (self, scene);
  nl_loss_layout_compute (layout, scene, gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)), nl_view_style (self->dark));
}

/* The plot's rectangle depends on the size and the font scale alone, not on the data:
 * whoever lines up with it (the timeline) needs telling only when the size changes. */
static void
nl_loss_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NlLossView *self = NL_LOSS_VIEW (widget);
  NlLossLayout layout;
  NlLossScene scene;

  compute_layout (self, &layout, &scene);
  if (memcmp (&layout.plot, &self->plot, sizeof layout.plot) == 0)
    return;
  self->plot = layout.plot;
  g_signal_emit (self, signals[PLOT_CHANGED], 0);
}

/* Hovers record `index` of `scene` (−1: none; `scene` may then be NULL). */
static void
set_hover (NlLossView *self, const NlLossScene *scene, int index)
{
  gint64 epoch = index >= 0 ? (gint64) scene->history[index].epoch : -1;

  if (self->hover_epoch == epoch)
    return;
  self->hover_epoch = epoch;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NlLossView *self)
{
  NlLossLayout layout;
  NlLossScene scene;

  compute_layout (self, &layout, &scene);
  if (x < layout.plot.x || x > layout.plot.x + layout.plot.width)
    set_hover (self, &scene, -1);
  else
    set_hover (self, &scene, nl_loss_layout_index_at (&layout, &scene, x));
}

static void
on_leave (GtkEventControllerMotion *motion, NlLossView *self)
{
  set_hover (self, NULL, -1);
}

/* Clicking or dragging across the curves picks the epoch under the pointer. */
static void
activate_at (NlLossView *self, double x)
{
  NlLossLayout layout;
  NlLossScene scene;
  int index;

  compute_layout (self, &layout, &scene);
  if (scene.n_history == 0)
    return;
  x = CLAMP (x, layout.plot.x, layout.plot.x + layout.plot.width);
  index = nl_loss_layout_index_at (&layout, &scene, x);
  if (index < 0)
    return;
  set_hover (self, &scene, index);
  g_signal_emit (self, signals[EPOCH_ACTIVATED], 0, scene.history[index].epoch);
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, NlLossView *self)
{
  activate_at (self, x);
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, NlLossView *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    activate_at (self, x + dx);
}

static void
nl_loss_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NlLossView *self = NL_LOSS_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->log_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_loss_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  NlLossView *self = NL_LOSS_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      nl_loss_view_set_log_scale (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_loss_view_dispose (GObject *object)
{
  NlLossView *self = NL_LOSS_VIEW (object);

  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  nl_view_cache_clear (&self->picture);

  G_OBJECT_CLASS (nl_loss_view_parent_class)->dispose (object);
}

static void
nl_loss_view_finalize (GObject *object)
{
  NlLossView *self = NL_LOSS_VIEW (object);

  g_clear_pointer (&self->cache, nl_render_cache_free);

  G_OBJECT_CLASS (nl_loss_view_parent_class)->finalize (object);
}

static void
nl_loss_view_class_init (NlLossViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_loss_view_dispose;
  object_class->finalize = nl_loss_view_finalize;
  object_class->get_property = nl_loss_view_get_property;
  object_class->set_property = nl_loss_view_set_property;

  widget_class->snapshot = nl_loss_view_snapshot;
  nl_view_class_set_fixed_size (widget_class, 220, 380, 120, 180);
  widget_class->size_allocate = nl_loss_view_size_allocate;

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "nllossview");

  /**
   * NlLossView::epoch-activated:
   * @epoch: the epoch of the history record under the pointer
   *
   * The curves were clicked or dragged across (the timeline follows).
   */
  signals[EPOCH_ACTIVATED] = g_signal_new ("epoch-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * NlLossView::plot-changed:
   *
   * The plot's rectangle moved or resized (nl_loss_view_get_epoch_x() gives new answers).
   * Emitted while the view is being allocated.
   */
  signals[PLOT_CHANGED] = g_signal_new ("plot-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
}

static void
nl_loss_view_init (NlLossView *self)
{
  GtkGesture *drag;

  self->cache = nl_render_cache_new ();
  self->hover_epoch = -1;
  self->marker_epoch = -1;

  nl_view_track_pointer (GTK_WIDGET (self), G_CALLBACK (on_motion), G_CALLBACK (on_leave), self);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
nl_loss_view_new (void)
{
  return g_object_new (NL_TYPE_LOSS_VIEW, NULL);
}

void
nl_loss_view_set_snapshot (NlLossView *self, NlSnapshot *snapshot)
{
  g_return_if_fail (NL_IS_LOSS_VIEW (self));

  nl_view_replace_snapshot (&self->snapshot, snapshot);
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

void
nl_loss_view_set_dark (NlLossView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_LOSS_VIEW (self));

  nl_view_set_dark (GTK_WIDGET (self), &self->picture, self->cache, &self->dark, dark);
}

gboolean
nl_loss_view_get_log_scale (NlLossView *self)
{
  g_return_val_if_fail (NL_IS_LOSS_VIEW (self), FALSE);

  return self->log_scale;
}

void
nl_loss_view_set_log_scale (NlLossView *self, gboolean log_scale)
{
  g_return_if_fail (NL_IS_LOSS_VIEW (self));

  if (nl_view_set_boolean (GTK_WIDGET (self), &self->picture, &self->log_scale, log_scale))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

void
nl_loss_view_set_marker_epoch (NlLossView *self, gint64 epoch)
{
  g_return_if_fail (NL_IS_LOSS_VIEW (self));

  if (self->marker_epoch == epoch)
    return;
  self->marker_epoch = epoch;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

gboolean
nl_loss_view_get_epoch_x (NlLossView *self, double epoch, double *x)
{
  NlLossLayout layout;
  NlLossScene scene;

  g_return_val_if_fail (NL_IS_LOSS_VIEW (self), FALSE);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return FALSE;
  compute_layout (self, &layout, &scene);
  if (x != NULL)
    *x = nl_loss_layout_x_of (&layout, epoch);
  return TRUE;
}
