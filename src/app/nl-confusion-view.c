/* nl-confusion-view.c: the confusion matrix / regression scatter widget (drawing is
 * src/render's). */
#include "nl-confusion-view.h"

#include <glib/gi18n.h>

#include "nl-render.h"
#include "nl-render-confusion.h"
#include "nl-view-utils.h"

struct _NlConfusionView
{
  GtkWidget      parent_instance;

  NlSnapshot    *snapshot;
  NlRenderCache *cache;
  NlViewCache    picture;
  gboolean       dark;
  guint64        metrics_serial;   /* of the metrics drawn */
};

G_DEFINE_FINAL_TYPE (NlConfusionView, nl_confusion_view, GTK_TYPE_WIDGET)

static void
make_scene (NlConfusionView *self, NlConfusionScene *scene)
{
  const NlMetrics *m = self->snapshot != NULL ? self->snapshot->metrics : NULL;

  nl_confusion_scene_init (scene);
  if (m == NULL)
    return;
  scene->classification = m->classification;
  for (guint s = 0; s < NN_N_SPLITS; s++)
    {
      scene->n[s] = m->n[s];
      if (m->classification)
        scene->confusion[s] = &m->confusion[s];
      else
        {
          scene->truth[s] = m->truth[s];
          scene->predicted[s] = m->predicted[s];
          scene->r_squared[s] = m->r_squared[s];
        }
    }
}

static void
draw_confusion (cairo_t *cr, int width, int height, gpointer data)
{
  NlConfusionView *self = data;
  const NlRenderStyle *style = nl_view_style (self->dark);
  NlConfusionLayout layout;
  NlConfusionScene scene;

  make_scene (self, &scene);
  nl_confusion_layout_compute (&layout, &scene, width - 16, height - 12, style);
  cairo_rectangle (cr, 0, 0, width, height);
  nl_render_set_source (cr, &style->background);
  cairo_fill (cr);
  cairo_translate (cr, 8, 6);
  nl_render_confusion (cr, &layout, &scene, style, self->cache);
}

static void
nl_confusion_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NlConfusionView *self = NL_CONFUSION_VIEW (widget);

  nl_view_cache_append (&self->picture, widget, snapshot, draw_confusion, self);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  NlConfusionView *self = NL_CONFUSION_VIEW (widget);
  NlConfusionLayout layout;
  NlConfusionScene scene;
  g_autofree char *text = NULL;
  NnSplit split;
  guint truth, predicted, count, row;

  if (keyboard_mode)
    return FALSE;
  make_scene (self, &scene);
  if (!scene.classification)
    return FALSE;
  nl_confusion_layout_compute (&layout, &scene, gtk_widget_get_width (widget) - 16,
                               gtk_widget_get_height (widget) - 12, nl_view_style (self->dark));
  if (!nl_confusion_layout_cell_at (&layout, x - 8, y - 6, &split, &truth, &predicted))
    return FALSE;

  count = scene.confusion[split]->counts[truth][predicted];
  row = nn_confusion_true_count (scene.confusion[split], truth);
  if (truth == predicted)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of the %u points of class %u is classified right.",
                                         "%u of the %u points of class %u are classified right.",
                                         count),
                            count, row, truth);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of the %u points of class %u is taken for class %u.",
                                         "%u of the %u points of class %u are taken for class %u.",
                                         count),
                            count, row, truth, predicted);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
nl_confusion_view_dispose (GObject *object)
{
  NlConfusionView *self = NL_CONFUSION_VIEW (object);

  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  nl_view_cache_clear (&self->picture);

  G_OBJECT_CLASS (nl_confusion_view_parent_class)->dispose (object);
}

static void
nl_confusion_view_finalize (GObject *object)
{
  NlConfusionView *self = NL_CONFUSION_VIEW (object);

  g_clear_pointer (&self->cache, nl_render_cache_free);

  G_OBJECT_CLASS (nl_confusion_view_parent_class)->finalize (object);
}

static void
nl_confusion_view_class_init (NlConfusionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_confusion_view_dispose;
  object_class->finalize = nl_confusion_view_finalize;

  widget_class->snapshot = nl_confusion_view_snapshot;
  /* The loss view's sizes: the two take turns in one place. */
  nl_view_class_set_fixed_size (widget_class, 220, 380, 120, 180);

  gtk_widget_class_set_css_name (widget_class, "nlconfusionview");
}

static void
nl_confusion_view_init (NlConfusionView *self)
{
  self->cache = nl_render_cache_new ();
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

GtkWidget *
nl_confusion_view_new (void)
{
  return g_object_new (NL_TYPE_CONFUSION_VIEW, NULL);
}

void
nl_confusion_view_set_snapshot (NlConfusionView *self, NlSnapshot *snapshot)
{
  guint64 serial;

  g_return_if_fail (NL_IS_CONFUSION_VIEW (self));

  serial = snapshot != NULL && snapshot->metrics != NULL ? snapshot->metrics->serial : 0;
  nl_view_replace_snapshot (&self->snapshot, snapshot);

  /* Metrics come at their own pace: redraw only when they changed. */
  if (serial != self->metrics_serial)
    {
      self->metrics_serial = serial;
      nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
    }
}

void
nl_confusion_view_set_dark (NlConfusionView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_CONFUSION_VIEW (self));

  nl_view_set_dark (GTK_WIDGET (self), &self->picture, self->cache, &self->dark, dark);
}

const NlMetrics *
nl_confusion_view_get_metrics (NlConfusionView *self)
{
  g_return_val_if_fail (NL_IS_CONFUSION_VIEW (self), NULL);

  return self->snapshot != NULL ? self->snapshot->metrics : NULL;
}
