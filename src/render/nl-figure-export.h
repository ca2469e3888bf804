/* nl-figure-export.h: a drawing saved as a PNG, SVG or PDF figure, written atomically.
 *
 * Any view of src/render draws onto any cairo_t, so a figure is a draw callback and a
 * size. PNG: an image surface of exactly width × height pixels. SVG: width × height px,
 * text as glyphs and lines as paths. PDF: a page of width × height CSS pixels (0.75 pt
 * each, so the A4 preset 1123 × 794 is an A4 page), text as text, lines as vectors.
 * The file is rendered to a temporary file in the same folder, then renamed over the
 * target, so a failed export never leaves half a figure behind.
 *
 * Cairo and GLib only (no GTK): the compare window, the command line and tests use it too.
 */
#pragma once

#include <glib.h>
#include <cairo.h>

G_BEGIN_DECLS

typedef enum
{
  NL_FIGURE_PNG,
  NL_FIGURE_SVG,
  NL_FIGURE_PDF,
  NL_N_FIGURE_FORMATS
} NlFigureFormat;

/* The views the window exports (nl_window_draw_figure). */
typedef enum
{
  NL_FIGURE_VIEW_NETWORK,
  NL_FIGURE_VIEW_BOUNDARY,
  NL_FIGURE_VIEW_LOSS,
  NL_FIGURE_VIEW_EXPLAIN,
  NL_FIGURE_VIEW_ALL,       /* network, output and loss side by side */
  NL_N_FIGURE_VIEWS
} NlFigureView;

/* Draws the figure in (0, 0, width, height) user units, the background included. */
typedef void (*NlFigureDrawFunc) (cairo_t *cr, double width, double height, gpointer user_data);

#define NL_FIGURE_MAX_SIZE 10000

/* Writes the figure to `path`. Fails (G_IO_ERROR) when the size is out of 1..10000, the
 * folder cannot be written or Cairo reports an error; then `path` is left as it was. */
gboolean     nl_figure_export_save         (NlFigureFormat   format,
                                            const char      *path,
                                            int              width,
                                            int              height,
                                            NlFigureDrawFunc draw,
                                            gpointer         user_data,
                                            GError         **error);
/* The figure as PNG file contents (for the clipboard). */
GBytes      *nl_figure_export_png_bytes    (int              width,
                                            int              height,
                                            NlFigureDrawFunc draw,
                                            gpointer         user_data,
                                            GError         **error);

/* "png", "svg", "pdf" */
const char  *nl_figure_format_extension    (NlFigureFormat format);
/* From a file name's extension (case-insensitive); FALSE when it names none. */
gboolean     nl_figure_format_from_path    (const char     *path,
                                            NlFigureFormat *format);
/* Short file-name stems for the views: "network", "output", "loss", "backprop", "all". */
const char  *nl_figure_view_file_stem      (NlFigureView    view);

G_END_DECLS
