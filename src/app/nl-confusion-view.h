/* nl-confusion-view.h: what the network gets right and wrong, live.
 *
 * A thin widget around nl_render_confusion(): confusion matrices of the training and test
 * data for classification, predicted against true values with R² for regression, from the
 * snapshot's NlMetrics (the window asks the worker for them while this view is shown).
 * Hovering a cell says in words what it counts. */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"

G_BEGIN_DECLS

#define NL_TYPE_CONFUSION_VIEW (nl_confusion_view_get_type ())

G_DECLARE_FINAL_TYPE (NlConfusionView, nl_confusion_view, NL, CONFUSION_VIEW, GtkWidget)

GtkWidget       *nl_confusion_view_new          (void);
void             nl_confusion_view_set_snapshot (NlConfusionView *self,
                                                 NlSnapshot      *snapshot);
void             nl_confusion_view_set_dark     (NlConfusionView *self,
                                                 gboolean         dark);
/* The metrics drawn now, or NULL. */
const NlMetrics *nl_confusion_view_get_metrics  (NlConfusionView *self);

G_END_DECLS
