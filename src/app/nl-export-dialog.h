/* nl-export-dialog.h: File → Export Weights…
 *
 * Choose a format (JSON, CSV, NumPy .npz, ONNX, C header, safetensors); Export… asks for
 * the file (GtkFileChooserNative) and writes the window's current weights there
 * (nl_window_export_weights). Beside it, the generated Python program that loads that file
 * and reproduces the app's prediction for a point, for NumPy and for PyTorch, in monospace
 * with a Copy button: the bridge to the tools students use next.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-window.h"
#include "nn-export.h"

G_BEGIN_DECLS

#define NL_TYPE_EXPORT_DIALOG (nl_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (NlExportDialog, nl_export_dialog, NL, EXPORT_DIALOG, GtkWindow)

NlExportDialog *nl_export_dialog_new          (NlWindow          *window);
NnExportFormat  nl_export_dialog_get_format   (NlExportDialog    *self);
void            nl_export_dialog_set_format   (NlExportDialog    *self,
                                               NnExportFormat     format);
/* The program shown for a framework (a note when there is none for the format). */
char           *nl_export_dialog_get_snippet  (NlExportDialog    *self,
                                               NnExportFramework  framework);
/* Writes the weights to `file` in the chosen format, as Export… does after the file
 * chooser; the snippets then name that file. */
gboolean        nl_export_dialog_export_to    (NlExportDialog    *self,
                                               GFile             *file,
                                               GError           **error);

G_END_DECLS
