/* robust-test-utils.c: helpers of the robustness GUI tests. */
#include "robust-test-utils.h"

typedef struct
{
  RobustCondition done;
  gpointer        data;
} RobustWait;

static gboolean
robust_wait_over (NlWindow *window, gconstpointer data)
{
  const RobustWait *wait = data;

  return wait->done != NULL && wait->done (wait->data);
}

gboolean
robust_iterate_until (RobustCondition done, gpointer data, double seconds)
{
  RobustWait wait = { done, data };

  return gui_iterate_until (NULL, robust_wait_over, &wait, seconds);
}

void
robust_iterate_for (double seconds)
{
  robust_iterate_until (NULL, NULL, seconds);
}

NlWindow *
robust_open_window (NlApplication *app, const char *path)
{
  g_autofree char *example = path == NULL ? gui_example_path ("default.nlab") : NULL;
  NlWindow *window = gui_open_file (app, path != NULL ? path : example, 1280, 800);

  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 20));
  return window;
}

NlWindow *
robust_open_example (NlApplication *app, const char *name)
{
  g_autofree char *path = gui_example_path (name);
  g_autoptr(GError) error = NULL;
  NlWindow *window = nl_window_new (app);
  NnProject *project = nn_project_load (path, &error);

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (nl_window_load_project (window, project, NULL, name, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 20));
  return window;
}

GtkWidget *
robust_find_message_dialog (GtkWindow *parent, GtkMessageType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GtkMessageType message_type;

      if (!GTK_IS_MESSAGE_DIALOG (l->data) || !gtk_widget_get_visible (l->data))
        continue;
      if (parent != NULL && gtk_window_get_transient_for (l->data) != parent)
        continue;
      g_object_get (l->data, "message-type", &message_type, NULL);
      if (message_type == type)
        found = l->data;
    }
  g_list_free (toplevels);
  return found;
}

static GtkWidget *
find_button_in (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_in (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
robust_find_button (GtkWidget *dialog, const char *label)
{
  return find_button_in (dialog, label);
}

gboolean
robust_app_has_window (NlApplication *app, NlWindow *window)
{
  return g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window) != NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
robust_destroy_window (NlWindow *window, double seconds)
{
  gpointer alive = window;

  /* GTK 4's gtk_window_destroy() only drops GTK's own reference: the window is disposed
   * (and its "destroy" handlers run) once the main loop has run what still holds one. */
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  gtk_window_destroy (GTK_WINDOW (window));
  if (alive == NULL || robust_iterate_until (is_null, &alive, seconds))
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (alive), &alive);
  return FALSE;
}

double
robust_params_sum (const NlSnapshot *snap)
{
  double sum = 0;

  for (gsize i = 0; i < snap->net.n_params; i++)
    sum += snap->net.params[i];
  return sum;
}

char *
robust_isolate_state (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("neural-lab-state-XXXXXX", &error);

  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  return dir;
}
