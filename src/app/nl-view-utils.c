/* nl-view-utils.c: what the plot widgets share around their drawing. */
#include "nl-view-utils.h"

const NlRenderStyle *
nl_view_style (gboolean dark)
{
  return nl_render_style_get_default (dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

/* Indexed by GtkOrientation. */
typedef struct
{
  int minimum[2];
  int natural[2];
} FixedSize;

static GQuark
fixed_size_quark (void)
{
  return g_quark_from_static_string ("nl-view-fixed-size");
}

static void
measure_fixed (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
               int *natural, int *minimum_baseline, int *natural_baseline)
{
  const FixedSize *size = NULL;

  /* Up from the widget's own type, in case a subclass inherited the vfunc. */
  for (GType type = G_OBJECT_TYPE (widget); size == NULL && type != 0; type = g_type_parent (type))
    size = g_type_get_qdata (type, fixed_size_quark ());
  g_assert (size != NULL);
  *minimum = size->minimum[orientation];
  *natural = size->natural[orientation];
}

void
nl_view_class_set_fixed_size (GtkWidgetClass *widget_class,
                              int             min_width,
                              int             nat_width,
                              int             min_height,
                              int             nat_height)
{
  FixedSize *size;

  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));

  /* Lives as long as the class, that is until the program ends. */
  size = g_new (FixedSize, 1);
  size->minimum[GTK_ORIENTATION_HORIZONTAL] = min_width;
  size->natural[GTK_ORIENTATION_HORIZONTAL] = nat_width;
  size->minimum[GTK_ORIENTATION_VERTICAL] = min_height;
  size->natural[GTK_ORIENTATION_VERTICAL] = nat_height;
  g_type_set_qdata (G_TYPE_FROM_CLASS (widget_class), fixed_size_quark (), size);
  widget_class->measure = measure_fixed;
}

void
nl_view_replace_snapshot (NlSnapshot **slot, NlSnapshot *snapshot)
{
  g_return_if_fail (slot != NULL);

  /* Referenced first: `snapshot` may be the one in the slot. */
  if (snapshot != NULL)
    nl_snapshot_ref (snapshot);
  g_clear_pointer (slot, nl_snapshot_unref);
  *slot = snapshot;
}

gboolean
nl_view_set_boolean (GtkWidget *widget, NlViewCache *picture, gboolean *field, gboolean value)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (*field == !!value)
    return FALSE;
  *field = !!value;
  nl_view_cache_redraw (picture, widget);
  return TRUE;
}

gboolean
nl_view_set_dark (GtkWidget     *widget,
                  NlViewCache   *picture,
                  NlRenderCache *cache,
                  gboolean      *dark,
                  gboolean       value)
{
  if (!nl_view_set_boolean (widget, picture, dark, value))
    return FALSE;
  nl_render_cache_clear (cache);
  return TRUE;
}

void
nl_view_track_pointer (GtkWidget *widget, GCallback motion, GCallback leave, gpointer data)
{
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", motion, data);
  g_signal_connect (controller, "leave", leave, data);
  gtk_widget_add_controller (widget, controller);
}

void
nl_view_add_click (GtkWidget *widget, const char *signal, GCallback callback, gpointer data)
{
  GtkGesture *click;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, signal, callback, data);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
}
