/* nl-explain-view.h: "Back-propagation by hand" — one training sample through the network.
 *
 * A thin widget around src/render's walkthrough (nl-render-explain.h): a sample chooser
 * (an index; the window also follows the point clicked on the output plot), a parameter
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
/* The training sample followed (the "sample" property; clamped to the training set). */
void             nl_explain_view_set_sample   (NlExplainView *self,
                                               guint          index);
guint            nl_explain_view_get_sample   (NlExplainView *self);
/* The parameter whose gradient and update are shown. */
void             nl_explain_view_set_param    (NlExplainView *self,
                                               NnParamRef     ref);
NnParamRef       nl_explain_view_get_param    (NlExplainView *self);
/* The explanation shown, or NULL (no snapshot yet, or the sample does not fit). Valid until
 * the next snapshot or selection; nl_explain_view_update() rebuilds it now. */
const NnExplain *nl_explain_view_get_explain  (NlExplainView *self);
void             nl_explain_view_update       (NlExplainView *self);
/* What a figure of the walkthrough needs: its scene and the network diagram's. FALSE when
 * there is nothing to show. The pointers stay valid as long as get_explain's. */
gboolean         nl_explain_view_get_scenes   (NlExplainView  *self,
                                               NlExplainScene *scene,
                                               NlNetworkScene *network);

G_END_DECLS
