/* nl-dataset-picker.h: choose a dataset generator from small pictures of its points.
 *
 * Shows every generator of the engine, classification and regression under their own
 * headings, each as a thumbnail drawn with src/render (regression: a heatmap of the
 * target). Choosing one activates win.set-dataset (s name), which switches the problem
 * when the generator is of the other kind. */
#pragma once

#include <gtk/gtk.h>

#include "nn-types.h"

G_BEGIN_DECLS

#define NL_TYPE_DATASET_PICKER (nl_dataset_picker_get_type ())

G_DECLARE_FINAL_TYPE (NlDatasetPicker, nl_dataset_picker, NL, DATASET_PICKER, GtkWidget)

GtkWidget *nl_dataset_picker_new           (void);
/* The problem being solved (its heading stands out) and the generator shown as chosen. */
void       nl_dataset_picker_set_selection (NlDatasetPicker *self,
                                            NnProblem        problem,
                                            NnGenerator      generator);
void       nl_dataset_picker_set_dark      (NlDatasetPicker *self,
                                            gboolean         dark);

G_END_DECLS
