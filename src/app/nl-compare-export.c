/* nl-compare-export.c: the compare window's trajectories as CSV and its picture as PNG,
 * SVG or PDF, through GtkFileChooserNative. */
#include <glib/gi18n.h>
#include <string.h>

#include "nl-compare-window-private.h"

/* ------------------------------------------------------------------------------------ */
/* Export                                                                                */

#define PICTURE_WIDTH  1400
#define PICTURE_HEIGHT 1280

static void
draw_picture (cairo_t *cr, double width, double height, gpointer data)
{
  NlCompareWindow *self = data;
  const NlRenderStyle *style = nl_compare_style (self);
  NlSurfaceScene scene;
  NlRaceLossScene loss;
  g_autoptr(NlRenderCache) cache = nl_render_cache_new ();

  nl_compare_build_scene (self, &scene, TRUE);
  scene.message = NULL;
  nl_compare_build_loss_scene (self, &loss);
  nl_render_race_picture (cr, &scene, &loss, style, cache, width, height);
  /* The scene's strings were rebuilt for the picture: the on-screen scene again. */
  nl_compare_update_views (self);
}

/* PNG, SVG or PDF by the file's extension (PNG when it names none of them), written whole
 * or not at all. */
gboolean
nl_compare_window_save_picture (NlCompareWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  NlFigureFormat format = NL_FIGURE_PNG;

  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written"));
      return FALSE;
    }
  if (!nl_figure_format_from_path (path, &format))
    format = NL_FIGURE_PNG;
  return nl_figure_export_save (format, path, PICTURE_WIDTH, PICTURE_HEIGHT, draw_picture, self,
                                error);
}

gboolean
nl_compare_window_save_csv (NlCompareWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (NL_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written"));
      return FALSE;
    }
  if (self->source == NL_COMPARE_NETWORK)
    {
      if (self->landscape == NULL || self->plane == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("The runs are still being computed"));
          return FALSE;
        }
      return nn_landscape_save_csv (self->landscape, self->plane->plane, path, error);
    }
  if (self->race == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no race to export"));
      return FALSE;
    }
  return nn_race_save_csv (self->race, path, error);
}

typedef gboolean (*SaveFunc) (NlCompareWindow *self, GFile *file, GError **error);

static void
on_export_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  NlCompareWindow *self = data;
  SaveFunc save = g_object_get_data (G_OBJECT (dialog), "save");
  const char *default_suffix = g_object_get_data (G_OBJECT (dialog), "suffix");

  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = chosen != NULL ? g_file_get_basename (chosen) : NULL;

      if (chosen != NULL)
        {
          /* No extension: the one the dialog proposed. */
          if (strchr (name, '.') == NULL)
            {
              g_autoptr(GFile) parent = g_file_get_parent (chosen);
              g_autofree char *with = g_strconcat (name, default_suffix, NULL);
              file = g_file_get_child (parent, with);
            }
          else
            file = g_object_ref (chosen);
          if (!save (self, file, &error))
            {
              g_autofree char *base = g_file_get_basename (file);
              g_autofree char *primary = g_strdup_printf (_("Could not export “%s”"), base);
              nl_window_show_error (GTK_WINDOW (self), primary, error->message);
            }
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *pattern, const char *mime)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (mime != NULL)
    gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
nl_compare_export (NlCompareWindow *self, gboolean picture)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (picture ? _("Export Picture") : _("Export Trajectories"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  if (picture)
    {
      add_filter (GTK_FILE_CHOOSER (chooser), _("PNG image"), "*.png", "image/png");
      add_filter (GTK_FILE_CHOOSER (chooser), _("SVG drawing"), "*.svg", "image/svg+xml");
      add_filter (GTK_FILE_CHOOSER (chooser), _("PDF document"), "*.pdf", "application/pdf");
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("optimizers.png"));
    }
  else
    {
      add_filter (GTK_FILE_CHOOSER (chooser), _("CSV table"), "*.csv", "text/csv");
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("trajectories.csv"));
    }
  g_object_set_data (G_OBJECT (chooser), "save",
                     picture ? (gpointer) nl_compare_window_save_picture
                             : (gpointer) nl_compare_window_save_csv);
  g_object_set_data (G_OBJECT (chooser), "suffix", picture ? ".png" : ".csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
