/* nl-network-view.h: the network diagram as a widget.
 *
 * A thin widget around nl_render_network(): it lays the diagram out with
 * nl_network_layout_compute(), draws it with Cairo, and reads the same layout to place the
 * per-layer controls (+/− neuron, activation) above the columns, to explain what is under
 * the pointer in a tooltip and to turn clicks into actions:
 *   click a feature  → win.toggle-feature (u feature)
 *   click a link     → a popover to type the weight → win.set-weight ((uuud) layer out in w)
 *   click a neuron or its bias square
 *                    → a popover to type the bias   → win.set-bias ((uud) layer out b)
 * The column controls activate win.add-neuron (u), win.remove-neuron (u) and
 * win.set-activation ((uu) layer activation), layer n_hidden being the output; the +/−
 * buttons grey out at the engine's limits. When the columns are too narrow for them (many
 * layers, a small screen) each column gets a compact menu button with the activation's
 * short name instead, whose popover holds the same controls.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"
#include "nn-landscape.h"

G_BEGIN_DECLS

#define NL_TYPE_NETWORK_VIEW (nl_network_view_get_type ())

G_DECLARE_FINAL_TYPE (NlNetworkView, nl_network_view, NL, NETWORK_VIEW, GtkWidget)

GtkWidget  *nl_network_view_new          (void);
void        nl_network_view_set_snapshot (NlNetworkView *self,
                                          NlSnapshot    *snapshot);
void        nl_network_view_set_dark     (NlNetworkView *self,
                                          gboolean       dark);
/* Issue 7: per-layer health sparklines (the snapshot's NlHealthReport) above the columns,
 * with their story in a tooltip. Hovering a neuron emits "neuron-hover" (int layer, int
 * unit), −1 −1 when the pointer leaves it. */
void        nl_network_view_set_show_health  (NlNetworkView *self,
                                              gboolean       show_health);
/* Every node shows its value for one point: `inputs` (n_inputs, the network's inputs) and
 * `neurons` (n_neurons, hidden layers then output). NULL clears them. */
void        nl_network_view_set_point_values (NlNetworkView *self,
                                              const double  *inputs,
                                              guint          n_inputs,
                                              const double  *neurons,
                                              guint          n_neurons);

/* Issue 4: picking the two weights of the compare window's plane. While "picking" is on,
 * a click on a link (or on a bias square) emits "weight-picked" (uint layer, uint out,
 * uint in; in = the layer's n_in for a bias) instead of opening the editor, the cursor and
 * the tooltip say so, and the weights given to set_picked are drawn marked α and β.
 * Escape, anywhere in the window, turns picking off (notify::picking). */
void        nl_network_view_set_picking      (NlNetworkView     *self,
                                              gboolean           picking);
gboolean    nl_network_view_get_picking      (NlNetworkView     *self);
/* The weights marked α and β while picking (each may be NULL: no mark). */
void        nl_network_view_set_picked       (NlNetworkView     *self,
                                              const NnWeightRef *alpha,
                                              const NnWeightRef *beta);
/* What a click at widget point (x, y) does (the click gesture's "released" calls it);
 * returns whether it hit something. */
gboolean    nl_network_view_click            (NlNetworkView     *self,
                                              double             x,
                                              double             y);
/* The widget point at t ∈ [0, 1] along the link of weight [layer][out][in]; FALSE when
 * the diagram has no such link. */
gboolean    nl_network_view_link_point       (NlNetworkView     *self,
                                              guint              layer,
                                              guint              out,
                                              guint              in,
                                              double             t,
                                              double            *x,
                                              double            *y);

G_END_DECLS
