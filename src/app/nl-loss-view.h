/* nl-loss-view.h: the train and test loss curves against the epoch.
 *
 * A thin widget around nl_render_loss(); hovering shows the readout of the nearest epoch. */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"

G_BEGIN_DECLS

#define NL_TYPE_LOSS_VIEW (nl_loss_view_get_type ())

G_DECLARE_FINAL_TYPE (NlLossView, nl_loss_view, NL, LOSS_VIEW, GtkWidget)

GtkWidget *nl_loss_view_new           (void);
void       nl_loss_view_set_snapshot  (NlLossView *self,
                                       NlSnapshot *snapshot);
void       nl_loss_view_set_dark      (NlLossView *self,
                                       gboolean    dark);
gboolean   nl_loss_view_get_log_scale (NlLossView *self);
void       nl_loss_view_set_log_scale (NlLossView *self,
                                       gboolean    log_scale);
/* A marker at the epoch the timeline shows; −1 for none. Clicking or dragging across the
 * curves emits "epoch-activated" (guint epoch). */
void       nl_loss_view_set_marker_epoch (NlLossView *self,
                                          gint64      epoch);
/* Where an epoch sits on the plot's x axis, in the view's coordinates, at its current size
 * and data (the scrubber under the curves lines up with it). FALSE before the view has a
 * size. "plot-changed" is emitted when the plot's rectangle moves or resizes. */
gboolean   nl_loss_view_get_epoch_x      (NlLossView *self,
                                          double      epoch,
                                          double     *x);

G_END_DECLS
