/* nl-network-view.h: the network diagram as a widget.
 *
 * A thin widget around nl_render_network(): it lays the diagram out with
 * nl_network_layout_compute(), draws it with Cairo, and reads the same layout to place the
 * per-layer controls (+/− neuron, activation) above the columns, to explain what is under
 * the pointer in a tooltip and to turn clicks into actions:
 *   click a feature  → win.toggle-feature (u feature)
 *   click a link     → a popover to type the weight → win.set-weight ((uuud) layer out in w)
 *   click a neuron   → a popover to type the bias   → win.set-bias ((uud) layer out b)
 * The column controls activate win.add-neuron (u), win.remove-neuron (u) and
 * win.set-activation ((uu) layer activation), layer n_hidden being the output.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"

G_BEGIN_DECLS

#define NL_TYPE_NETWORK_VIEW (nl_network_view_get_type ())

G_DECLARE_FINAL_TYPE (NlNetworkView, nl_network_view, NL, NETWORK_VIEW, GtkWidget)

GtkWidget  *nl_network_view_new          (void);
void        nl_network_view_set_snapshot (NlNetworkView *self,
                                          NlSnapshot    *snapshot);
void        nl_network_view_set_dark     (NlNetworkView *self,
                                          gboolean       dark);

G_END_DECLS
