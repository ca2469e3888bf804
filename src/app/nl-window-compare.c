/* nl-window-compare.c: the main window's "Compare optimizers" (win.compare, Ctrl+K).
 *
 * One compare window per main window: the action opens it, or brings it to the front. It
 * follows the main window's project and closes with it. */
#include "nl-window-private.h"
#include "nl-compare-window-private.h"

#define COMPARE_KEY "nl-compare-window"

static void
forget_compare_window (GtkWidget *compare, NlWindow *self)
{
  if (g_object_get_data (G_OBJECT (self), COMPARE_KEY) == compare)
    g_object_set_data (G_OBJECT (self), COMPARE_KEY, NULL);
}

static void
compare_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  NlCompareWindow *compare = g_object_get_data (G_OBJECT (self), COMPARE_KEY);

  if (compare == NULL)
    {
      compare = nl_compare_window_new (self);
      g_object_set_data (G_OBJECT (self), COMPARE_KEY, compare);
      g_signal_connect_object (compare, "destroy", G_CALLBACK (forget_compare_window), self, 0);
    }
  gtk_window_present (GTK_WINDOW (compare));
}

/* The compare window picks its plane's weights by clicks in this view. */
NlNetworkView *
nl_window_compare_network_view (NlWindow *window)
{
  g_return_val_if_fail (NL_IS_WINDOW (window), NULL);

  return NL_NETWORK_VIEW (window->network_view);
}

void
nl_window_class_init_compare (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.compare",
                                       NULL);
}
