/* nl-csv-import-dialog.h: bringing a CSV of x1,x2,label-or-target into the project.
 *
 * Shows the file's first rows, guesses the problem (labels that are all integers 0..7, or
 * all −1/1, make a classification with K classes; anything else a regression; the user may
 * change it), reads the whole file with nn_dataset_read_csv() and says where the first bad
 * value is ("Line 5, column 2: 'abc' is not a number"), in which case Import stays off.
 * Data outside the plane [−6, 6]² is scaled uniformly about its centre (and moved, when it
 * must) to fit, and the dialog says by how much. "import" is emitted when the user accepts;
 * the window then makes the points the project's dataset, split by the training share.
 */
#pragma once

#include <gtk/gtk.h>

#include "nn-dataset.h"

G_BEGIN_DECLS

#define NL_TYPE_CSV_IMPORT_DIALOG (nl_csv_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (NlCsvImportDialog, nl_csv_import_dialog, NL, CSV_IMPORT_DIALOG, GtkWindow)

/* Reads `file` at once; the training share starts at train_ratio (0.1..1). */
NlCsvImportDialog *nl_csv_import_dialog_new            (GtkWindow         *parent,
                                                        GFile             *file,
                                                        double             train_ratio);
GFile             *nl_csv_import_dialog_get_file       (NlCsvImportDialog *self);
/* NULL when the data can be imported, else why not, translated. */
const char        *nl_csv_import_dialog_get_error      (NlCsvImportDialog *self);
/* Where the first bad value is (1-based), or 0 and 0. */
void               nl_csv_import_dialog_get_error_position (NlCsvImportDialog *self,
                                                            guint             *line,
                                                            guint             *column);
NnProblem          nl_csv_import_dialog_get_problem    (NlCsvImportDialog *self);
void               nl_csv_import_dialog_set_problem    (NlCsvImportDialog *self,
                                                        NnProblem          problem);
/* Classification: how many classes (2..8). */
guint              nl_csv_import_dialog_get_classes    (NlCsvImportDialog *self);
/* The uniform scale applied to fit the plane (1 when the data already lies in it), and
 * what the dialog says about it (NULL when nothing was changed). */
double             nl_csv_import_dialog_get_scale      (NlCsvImportDialog *self);
const char        *nl_csv_import_dialog_get_scale_text (NlCsvImportDialog *self);
double             nl_csv_import_dialog_get_train_ratio (NlCsvImportDialog *self);
/* The points as they will be imported (in the plane), shuffled with `seed` and split by the
 * training share (at least one trains). FALSE when there is an error. */
gboolean           nl_csv_import_dialog_split          (NlCsvImportDialog *self,
                                                        guint32            seed,
                                                        GArray           **train,
                                                        GArray           **test);

G_END_DECLS
