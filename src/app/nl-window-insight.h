/* nl-window-insight.h: the window's views that look inside the training (issue 7).
 *
 * Two files of NlWindow share this state (see nl-window-private.h for the pattern):
 *   nl-window-timeline.c  the scrubber under the loss curves, the loss curves' marker, hover
 *                         and click, play-from-a-past-epoch (asking before it discards an
 *                         unsaved future);
 *   nl-window-insight.c   the advice bar, the layer health sparklines, the confusion view
 *                         beside the loss curves, the selected data point followed through
 *                         every view, the hovered neuron's picture enlarged over the output.
 *
 * Actions (accelerators in ui/help-overlay.ui):
 *   win.timeline-earlier / win.timeline-later   Alt+← / Alt+→, one recorded epoch
 *   win.timeline-first                          Alt+Home
 *   win.timeline-now                            Alt+End, back to the present
 *   win.timeline-preview (u)                    show the network as it was at an epoch
 *   win.play-from-here                          Alt+Return (Play does the same while
 *                                               looking at the past)
 *   win.select-point (i)                        Escape selects none (−1)
 *   win.toggle-metrics                          Ctrl+M, loss curves ↔ confusion matrix
 *
 * Selecting a point: win.select-point's parameter is the point's index in the dataset with
 * the training points first and the test points after them (index < n_train: train[index],
 * else test[index − n_train]); −1 selects none. The window then emits
 *   "point-selected" (gint index)
 * so other views (the Explain view) can open on that point.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"
#include "nl-window.h"
#include "nn-network.h"

G_BEGIN_DECLS

typedef struct _NlWindowInsight NlWindowInsight;

struct _NlWindowInsight
{
  /* Template children (bound without an instance field; looked up at init). */
  GtkWidget        *advice_bar;
  GtkWidget        *confusion_view;
  GtkWidget        *outputs_stack;
  GtkWidget        *neuron_detail;
  GtkWidget        *timeline_scale;
  GtkWidget        *timeline_play_button;
  GtkAdjustment    *timeline_adjustment;

  GObject          *worker;           /* the worker this state follows (weak check) */

  /* Timeline */
  gboolean          previewing;       /* asked for; snapshots confirm it */
  guint             preview_epoch;    /* asked for */
  guint64           preview_serial;
  guint             first_epoch, last_epoch;
  gboolean          syncing;
  guint64           rewind_serial;    /* a rewind on its way: adopt its project */
  GtkWidget        *rewind_dialog;
  double            knob_inset;       /* the scrubber knob's centre from the scale's ends */

  /* The selected point */
  int               selected;         /* train first, then test; −1: none */
  double            selected_x1, selected_x2;
  NnNetwork        *point_net;        /* one-sample workspace */
  double            point_inputs[NN_N_FEATURES];
  double           *point_neurons;
  guint             n_point_neurons;

  /* The hovered neuron */
  int               hover_layer, hover_unit;
  gpointer          detail_cache;     /* NlRenderCache */

  gboolean          metrics_wanted;
};

/* nl-window-insight.c */
void     nl_window_class_init_insight     (NlWindowClass *klass);
void     nl_window_init_insight           (NlWindow      *self);
void     nl_window_dispose_insight        (NlWindow      *self);
/* Every snapshot the window applies, after its own views took it. */
void     nl_window_insight_apply_snapshot (NlWindow      *self,
                                           NlSnapshot    *snapshot);
void     nl_window_insight_set_dark       (NlWindow      *self,
                                           gboolean       dark);
/* The selected point (train first, then test), or −1. */
int      nl_window_get_selected_point     (NlWindow      *self);

/* nl-window-timeline.c */
void     nl_window_class_init_timeline    (NlWindowClass *klass);
void     nl_window_init_timeline          (NlWindow      *self);
void     nl_window_timeline_apply_snapshot (NlWindow     *self,
                                            NlSnapshot   *snapshot);
/* Called by the Play and Step actions first: TRUE when it took over (the window shows a
 * past epoch: it plays from there, asking first when that discards an unsaved future). */
gboolean nl_window_timeline_intercept     (NlWindow      *self,
                                           const char    *action_name);
/* The centre of the scrubber's knob in `target`'s coordinates (for tests: it lines up with
 * the loss plot's x of the epoch shown). */
gboolean nl_window_timeline_get_knob_x    (NlWindow      *self,
                                           GtkWidget     *target,
                                           double        *x);
/* Whether the window shows a past epoch, and which. */
gboolean nl_window_timeline_get_preview   (NlWindow      *self,
                                           guint         *epoch);

G_END_DECLS
