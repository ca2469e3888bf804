/* nl-explain-view.h: "Back-propagation by hand" — one sample through the network.
 *
 * A thin widget around src/render's walkthrough (nl-render-explain.h): a sample chooser
 * (an index over the training then the test points, the window also follows the point
 * clicked on the output plot; or a point of the user's own, x1, x2 and target), a parameter
 * chooser (layer, unit, input or bias; or a click on the small network diagram), and the
 * walkthrough with the current snapshot's numbers, scrollable. The numbers come from an
 * NnExplain rebuilt from each snapshot (at most a few times a second while training), with
 * the snapshot's optimizer state when it carries one, else a freshly reset optimizer.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-render.h"
#include "nl-snapshot.h"
#include "nn-explain.h"

G_BEGIN_DECLS

#define NL_TYPE_EXPLAIN_VIEW (nl_explain_view_get_type ())

G_DECLARE_FINAL_TYPE (NlExplainView, nl_explain_view, NL, EXPLAIN_VIEW, GtkWidget)

GtkWidget       *nl_explain_view_new          (void);
void             nl_explain_view_set_snapshot (NlExplainView *self,
                                               NlSnapshot    *snapshot);
void             nl_explain_view_set_dark     (NlExplainView *self,
                                               gboolean       dark);
/* The data point followed (the "sample" property), numbered as win.select-point numbers
 * them: the training points first, then the test points (index − n_train); clamped to the
 * data. Choosing one leaves a custom point. A test point is explained like a training one,
 * with a note that training never uses its gradient. */
void             nl_explain_view_set_sample   (NlExplainView *self,
                                               guint          index);
guint            nl_explain_view_get_sample   (NlExplainView *self);
/* Any point of the plane with a target of the user's (a class, or a value for regression),
 * in no dataset: a lesson's "what would this point do?". The "custom" property is TRUE
 * while one is explained; get_custom_point gives it (FALSE when a data point is shown). */
void             nl_explain_view_set_custom_point (NlExplainView *self,
                                                   const NnPoint *point);
gboolean         nl_explain_view_get_custom_point (NlExplainView *self,
                                                   NnPoint       *point);
/* The parameter whose gradient and update are shown. */
void             nl_explain_view_set_param    (NlExplainView *self,
                                               NnParamRef     ref);
NnParamRef       nl_explain_view_get_param    (NlExplainView *self);
/* The explanation shown, or NULL (no snapshot yet, or the sample does not fit). Borrowed:
 * it belongs to the view and is replaced (freed) when the view takes in a new snapshot
 * (from the main loop, or nl_explain_view_update()) or another point; choosing a parameter
 * (set_param, the menus, the diagram) keeps it, since it holds every parameter's gradient.
 * Do not keep it across those calls: fetch it again. */
const NnExplain *nl_explain_view_get_explain  (NlExplainView *self);
void             nl_explain_view_update       (NlExplainView *self);
/* What a figure of the walkthrough needs: its scene and the network diagram's. FALSE when
 * there is nothing to show. The pointers stay valid as long as get_explain's. */
gboolean         nl_explain_view_get_scenes   (NlExplainView  *self,
                                               NlExplainScene *scene,
                                               NlNetworkScene *network);

G_END_DECLS
