/* nl-render-main-view.h: the whole main view in one picture — the network on the left,
 * the output above the loss curves on the right. Used by the frame benchmark and for
 * exporting the main view as one figure. */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nl-render-style.h"
#include "nl-render-cache.h"
#include "nl-render-network.h"
#include "nl-render-boundary.h"
#include "nl-render-loss.h"

G_BEGIN_DECLS

typedef struct
{
  NlRect network;
  NlRect boundary;
  NlRect loss;
} NlMainViewRects;

/* Splits width × height into the three views' rectangles. */
void nl_render_main_view_rects (double width, double height, NlMainViewRects *rects);

/* Draws all three scenes (any may be NULL: its area stays blank). The network is laid out
 * with NL_NETWORK_LAYOUT_NO_CONTROLS. `cache` may be NULL. */
void nl_render_main_view       (cairo_t *cr, const NlNetworkScene *network,
                                const NlBoundaryScene *boundary, const NlLossScene *loss,
                                const NlRenderStyle *style, NlRenderCache *cache,
                                double width, double height);

G_END_DECLS
