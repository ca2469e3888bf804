/* nl-render-figure.h: one view of the main window as a figure (PNG, SVG, PDF, clipboard).
 *
 * The window and `neural-lab-cli render` both build the scenes (from a snapshot, or from a
 * trainer) and draw them through this, so a figure looks the same whoever made it: the
 * style's background, a margin as on a slide, and text and lines that grow with the
 * figure as they would on a bigger screen. */
#pragma once

#include <cairo.h>

#include "nl-figure-export.h"
#include "nl-render-boundary.h"
#include "nl-render-explain.h"
#include "nl-render-loss.h"
#include "nl-render-network.h"
#include "nl-render-style.h"

G_BEGIN_DECLS

typedef struct
{
  const NlNetworkScene  *network;
  const NlBoundaryScene *boundary;
  const NlLossScene     *loss;
  /* For NL_FIGURE_VIEW_EXPLAIN: the walkthrough and its network diagram (NULL: blank). */
  const NlExplainScene  *explain;
  const NlNetworkScene  *explain_diagram;
} NlFigureScenes;

/* Draws `view` in (0, 0, width, height), background included. Scenes the view does not use
 * may be NULL; a view whose scene is NULL shows the background alone. */
void nl_render_figure (cairo_t              *cr,
                       NlFigureView          view,
                       const NlFigureScenes *scenes,
                       gboolean              dark,
                       double                width,
                       double                height);

G_END_DECLS
