/* gui-test-utils.c: what the GUI tests share. */
#include <string.h>

#include "gui-test-utils.h"

NlApplication *
gui_app_new (void)
{
  g_autoptr(GError) error = NULL;
  NlApplication *app;

  if (!gtk_init_check ())
    return NULL;
  app = nl_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("could not register the application: %s", error->message);
  /* Held, so that closing a test's last window does not end the application. */
  g_application_hold (G_APPLICATION (app));
  return app;
}

NlApplication *
gui_test_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* gtk_test_init would exit without a display, so nothing could skip (GTK48-NOTES.md). */
  gtk_disable_setlocale ();
  return gui_app_new ();
}

int
gui_test_run (NlApplication *app)
{
  int status = g_test_run ();

  if (app != NULL)
    {
      g_application_release (G_APPLICATION (app));
      g_object_unref (app);
    }
  return status;
}

gboolean
gui_skip_without_display (NlApplication *app)
{
  if (app != NULL)
    return FALSE;
  g_test_skip ("no display");
  return TRUE;
}

void
gui_add_view_cases (const char *prefix, const GuiViewCase *cases, guint n, GTestDataFunc func)
{
  for (guint i = 0; i < n; i++)
    {
      const GuiViewCase *c = &cases[i];
      g_autofree char *path = g_strdup_printf ("%s/%.*s-%dx%d-%s", prefix,
                                               (int) (strlen (c->example) - strlen (".nlab")),
                                               c->example, c->width, c->height,
                                               c->dark ? "dark" : "light");

      g_test_add_data_func (path, c, func);
    }
}

void
gui_set_dark_style (NlApplication *app, gboolean dark)
{
  g_action_group_change_action_state (G_ACTION_GROUP (app), "dark-style",
                                      g_variant_new_boolean (dark));
}

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

gboolean
gui_stopped (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && !snap->running;
}

char *
gui_example_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "..", "data", "examples", name, NULL);
}

NlWindow *
gui_open_file (NlApplication *app, const char *path, int width, int height)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NlWindow *window = nl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (nl_window_open_file (window, file, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

NlWindow *
gui_open_example (NlApplication *app, const char *example, int width, int height)
{
  g_autofree char *path = gui_example_path (example);
  NlWindow *window = gui_open_file (app, path, width, height);

  g_assert_true (gui_iterate_until (window, gui_has_snapshot, NULL, 10));
  return window;
}

void
gui_close_window (NlWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
gui_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

cairo_surface_t *
gui_draw_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GskRenderNode *node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width = 0, height = 0;

  /* No render node until the widget has drawn once: try again after the next frames. The
   * size is read at each attempt, as a toplevel just shown may not have its own yet. */
  for (int attempt = 0; attempt < 50 && node == NULL; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gui_iterate_until (NULL, gui_time_passes, NULL, 0.05);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  /* A NaN coordinate in a node puts Cairo in an error state: the picture is then wrong. */
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  gsk_render_node_unref (node);
  cairo_surface_flush (surface);
  return surface;
}

static guint
pixels_unlike_first (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  const guint32 *pixels;
  guint distinct = 0;

  /* ARGB32 rows hold no padding (4 bytes a pixel), so the pixels index as one array. */
  cairo_surface_flush (surface);
  pixels = (const guint32 *) cairo_image_surface_get_data (surface);
  for (int i = 0; i < width * height; i += 97)
    distinct += pixels[i] != pixels[0];
  return distinct;
}

guint
gui_screenshot (GtkWidget *widget, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  cairo_surface_t *surface = gui_draw_widget (widget);
  guint distinct;

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot %s (%d×%d)", path, cairo_image_surface_get_width (surface),
                  cairo_image_surface_get_height (surface));
  distinct = pixels_unlike_first (surface);
  cairo_surface_destroy (surface);
  return distinct;
}

GtkWidget *
gui_template_child (NlWindow *window, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), NL_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}
