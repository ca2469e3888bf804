/* gui-test-utils.c: what the GUI tests share. */
#include "gui-test-utils.h"

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gui_iterate_until (NlWindow *window, GuiCondition done, gconstpointer data, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint timer = g_timeout_add (10, wake_up, NULL);
  gboolean ok = FALSE;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      if (done != NULL && done (window, data))
        {
          ok = TRUE;
          break;
        }
    }
  g_source_remove (timer);
  return ok;
}

gboolean
gui_time_passes (NlWindow *window, gconstpointer data)
{
  return FALSE;
}

gboolean
gui_has_snapshot (NlWindow *window, gconstpointer data)
{
  return nl_window_get_snapshot (window) != NULL;
}

gboolean
gui_epoch_reached (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->epoch >= GPOINTER_TO_UINT (data);
}

GtkWidget *
gui_template_child (NlWindow *window, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), NL_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}
