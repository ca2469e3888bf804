/* nl-figure-dialog.h: File → Export Figure…
 *
 * Which view (network, output, loss curves, the back-propagation walkthrough, or the three
 * main views together), which format (PNG, SVG, PDF), what size (presets for slides, full
 * HD and A4, or any width × height), light or dark, with a preview; Export… asks for the
 * file and writes it through nl_window_export_figure().
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-figure-export.h"
#include "nl-window.h"

G_BEGIN_DECLS

#define NL_TYPE_FIGURE_DIALOG (nl_figure_dialog_get_type ())

G_DECLARE_FINAL_TYPE (NlFigureDialog, nl_figure_dialog, NL, FIGURE_DIALOG, GtkWindow)

NlFigureDialog *nl_figure_dialog_new        (NlWindow        *window,
                                             NlFigureView     view);
void            nl_figure_dialog_set_view   (NlFigureDialog  *self,
                                             NlFigureView     view);
NlFigureView    nl_figure_dialog_get_view   (NlFigureDialog  *self);
void            nl_figure_dialog_set_format (NlFigureDialog  *self,
                                             NlFigureFormat   format);
NlFigureFormat  nl_figure_dialog_get_format (NlFigureDialog  *self);
void            nl_figure_dialog_set_size   (NlFigureDialog  *self,
                                             int              width,
                                             int              height);
void            nl_figure_dialog_get_size   (NlFigureDialog  *self,
                                             int             *width,
                                             int             *height);
/* Writes the figure as chosen to `file`, as Export… does after the file chooser. */
gboolean        nl_figure_dialog_export_to  (NlFigureDialog  *self,
                                             GFile           *file,
                                             GError         **error);

G_END_DECLS
