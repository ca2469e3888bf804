/* nl-render-health.h: what the network diagram adds for issue 7.
 *
 *  - Per-layer health in the SPARKLINES band of each column (NL_NETWORK_LAYOUT_SPARKLINES):
 *    two sparklines, the gradient norm ‖∂L/∂W‖ (log scale, so vanishing and exploding
 *    gradients show as a steep fall or rise) and the weight norm ‖W‖, and, when a layer
 *    has dead ReLU or saturated sigmoid/tanh units, a red badge "dead/units".
 *  - Each neuron's value for one selected point: a small number on every node big enough
 *    to carry one without hiding its picture.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-health.h"
#include "nl-render-network.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

/* Units of a layer that no longer learn: dead ReLU, inactive Leaky ReLU or saturated
 * sigmoid/tanh units. */
guint    nl_layer_health_stuck_units  (const NnLayerHealth *layer);

/* Draws the sparklines of every layer the history and the layout share (the layout's
 * arch decides the columns; a layer missing from a record leaves a gap). */
void     nl_render_network_health     (cairo_t *cr, const NlNetworkLayout *layout,
                                       const NnHealthHistory *history,
                                       const NlRenderStyle *style, NlRenderCache *cache);
/* The same as it was at `epoch` (the timeline's position; −1: now): each sparkline ends at
 * the last measurement at or before it, and the badges count that measurement's units. */
void     nl_render_network_health_at  (cairo_t *cr, const NlNetworkLayout *layout,
                                       const NnHealthHistory *history, gint64 epoch,
                                       const NlRenderStyle *style, NlRenderCache *cache);
/* The network layer (0 = first hidden) whose sparkline band is under (x, y). */
gboolean nl_network_layout_health_at  (const NlNetworkLayout *layout, double x, double y,
                                       guint *layer);

/* Small numbers on the nodes: `inputs` (arch->n_inputs values, the active features in
 * order; may be NULL) and `neurons` (every neuron, hidden layers then output, as
 * NnNetwork's layers; may be NULL). */
void     nl_render_network_values     (cairo_t *cr, const NlNetworkLayout *layout,
                                       const double *inputs, const double *neurons,
                                       const NlRenderStyle *style, NlRenderCache *cache);

G_END_DECLS
