/* nl-figure-export.c: PNG, SVG and PDF figures through Cairo, written atomically. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <string.h>

#include "nl-figure-export.h"

/* CSS pixels are 1/96 inch, PDF points 1/72. */
#define PT_PER_PX 0.75

static const char *const extensions[NL_N_FIGURE_FORMATS] = { "png", "svg", "pdf" };

const char *
nl_figure_format_extension (NlFigureFormat format)
{
  g_return_val_if_fail (format < NL_N_FIGURE_FORMATS, "png");

  return extensions[format];
}

gboolean
nl_figure_format_from_path (const char *path, NlFigureFormat *format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  for (guint i = 0; i < NL_N_FIGURE_FORMATS; i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      {
        if (format != NULL)
          *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
nl_figure_view_file_stem (NlFigureView view)
{
  static const char *const stems[NL_N_FIGURE_VIEWS] = {
    "network", "output", "loss", "backprop", "all",
  };

  g_return_val_if_fail (view < NL_N_FIGURE_VIEWS, "figure");

  return stems[view];
}

static gboolean
check_size (int width, int height, GError **error)
{
  if (width < 1 || height < 1 || width > NL_FIGURE_MAX_SIZE || height > NL_FIGURE_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A figure must be 1 to %d pixels wide and high, not %d × %d."),
                   NL_FIGURE_MAX_SIZE, width, height);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cairo_failed (cairo_status_t status, const char *path, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, G_IO_ERROR, status == CAIRO_STATUS_WRITE_ERROR ? G_IO_ERROR_FAILED
                                                                     : G_IO_ERROR_INVALID_DATA,
               _("Could not write the figure “%s”: %s"), path, cairo_status_to_string (status));
  return TRUE;
}

/* A free name beside `path` for the temporary file: created by mkstemp so no one else takes
 * it, then removed so Cairo creates it with the usual permissions. */
static char *
temp_path_for (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", base);
  char *temp = g_build_filename (dir, template, NULL);
  int fd = g_mkstemp (temp);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write into the folder of “%s”: %s"), path, g_strerror (saved));
      g_free (temp);
      return NULL;
    }
  g_close (fd, NULL);
  g_unlink (temp);
  return temp;
}

static cairo_status_t
render_png (const char *temp, int width, int height, NlFigureDrawFunc draw, gpointer data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  draw (cr, width, height, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, temp);
  cairo_surface_destroy (surface);
  return status;
}

static cairo_status_t
render_vector (NlFigureFormat format, const char *temp, int width, int height,
               NlFigureDrawFunc draw, gpointer data)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  if (format == NL_FIGURE_SVG)
    {
      surface = cairo_svg_surface_create (temp, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    surface = cairo_pdf_surface_create (temp, width * PT_PER_PX, height * PT_PER_PX);
  cr = cairo_create (surface);
  if (format == NL_FIGURE_PDF)
    cairo_scale (cr, PT_PER_PX, PT_PER_PX);
  draw (cr, width, height, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}

gboolean
nl_figure_export_save (NlFigureFormat   format,
                       const char      *path,
                       int              width,
                       int              height,
                       NlFigureDrawFunc draw,
                       gpointer         user_data,
                       GError         **error)
{
  g_autofree char *temp = NULL;
  cairo_status_t status;

  g_return_val_if_fail (format < NL_N_FIGURE_FORMATS, FALSE);
  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_size (width, height, error))
    return FALSE;
  temp = temp_path_for (path, error);
  if (temp == NULL)
    return FALSE;

  if (format == NL_FIGURE_PNG)
    status = render_png (temp, width, height, draw, user_data);
  else
    status = render_vector (format, temp, width, height, draw, user_data);
  if (cairo_failed (status, path, error))
    {
      g_unlink (temp);
      return FALSE;
    }
  if (g_rename (temp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write the figure “%s”: %s"), path, g_strerror (saved));
      g_unlink (temp);
      return FALSE;
    }
  return TRUE;
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
nl_figure_export_png_bytes (int              width,
                            int              height,
                            NlFigureDrawFunc draw,
                            gpointer         user_data,
                            GError         **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (draw != NULL, NULL);

  if (!check_size (width, height, error))
    return NULL;
  bytes = g_byte_array_new ();
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_destroy (surface);
  if (cairo_failed (status, "clipboard", error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
