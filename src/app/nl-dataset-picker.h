/* nl-dataset-picker.h: choose a dataset generator from small pictures of its points.
 *
 * Shows the generators of the current problem type (classification or regression), each
 * as a thumbnail drawn with src/render. Choosing one activates win.set-dataset (s name). */
#pragma once

#include <gtk/gtk.h>

#include "nn-types.h"

G_BEGIN_DECLS

#define NL_TYPE_DATASET_PICKER (nl_dataset_picker_get_type ())

G_DECLARE_FINAL_TYPE (NlDatasetPicker, nl_dataset_picker, NL, DATASET_PICKER, GtkWidget)

GtkWidget *nl_dataset_picker_new           (void);
/* Which generators are offered, and which one is shown as chosen. */
void       nl_dataset_picker_set_selection (NlDatasetPicker *self,
                                            NnProblem        problem,
                                            NnGenerator      generator);
void       nl_dataset_picker_set_dark      (NlDatasetPicker *self,
                                            gboolean         dark);

G_END_DECLS
