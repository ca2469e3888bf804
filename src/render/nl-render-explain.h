/* nl-render-explain.h: back-propagation by hand — one sample's forward pass, loss,
 * gradient and update with the network's real numbers, in the course's notation.
 *
 * Every number comes from an NnExplain (src/core/nn-explain.h); this file only writes them
 * down. The walkthrough is a list of rows (headings, equations with Pango markup for
 * subscripts and italics, a table of the chain rule's factors), laid out in one column for
 * the scrollable view, or in as many columns as a figure needs beside the network diagram.
 *
 *   1 Forward   u₁₁ = w₁₁x₁ + w₁₂x₂ + b₁ = 0.5·1.2 + (−0.3)·0.4 + 0.1 = 0.58
 *               z₁₁ = tanh(u₁₁) = tanh(0.58) = 0.5227            … up to y_p and L
 *   2 Backward  ∂L/∂w₁₁ = ∂L/∂y_p · ∂y_p/∂z₁₁ · ∂z₁₁/∂u₁₁ · ∂u₁₁/∂w₁₁, each factor with its
 *               value and their product; δ·x with δ's sum spelled out when several paths
 *               lead to the loss; the same for the bias of that unit
 *   3 Update    the new value under the optimizer, with its state (v, h, v̂, ĥ)
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-explain.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"
#include "nl-render-network.h"

G_BEGIN_DECLS

typedef struct
{
  const NnExplain *explain;
  /* The weight whose gradient and update are shown (the bias of its unit is shown too);
   * a bias reference shows that bias alone. has_param FALSE: forward and loss only. */
  gboolean         has_param;
  NnParamRef       param;
  /* Which sample it is, for the heading: index into the training set, or into the test set
   * when sample_is_test (−1: not said). A test sample is said to be one training never
   * uses; a custom one (a point of the plane with a target the user gave), to be in no set. */
  int              sample_index;
  gboolean         sample_is_test;
  gboolean         sample_is_custom;
  /* Steps the optimizer state stands for are real (FALSE: a freshly reset optimizer,
   * said under the update). */
  gboolean         optimizer_state_known;
} NlExplainScene;

/* No explanation, no parameter, sample −1, state known. */
void    nl_explain_scene_init        (NlExplainScene *scene);

/* The walkthrough in one column `width` wide, its top left at (0, 0). Returns the height it
 * takes; with draw FALSE it only measures (then `cr` is only used for text metrics). */
double  nl_render_explain_column     (cairo_t *cr, const NlExplainScene *scene,
                                      const NlRenderStyle *style, double width,
                                      gboolean draw);
/* Where the numbered sections start in that column: [0] forward propagation, [1]
 * back-propagation, [2] the parameter update; −1 for a section not shown. */
void    nl_render_explain_sections   (cairo_t *cr, const NlExplainScene *scene,
                                      const NlRenderStyle *style, double width,
                                      double section_y[3]);

/* The figure for slides: the network diagram (`network` may be NULL) with the chosen link
 * highlighted and each neuron's value for this sample, beside the walkthrough flowed into
 * as many columns as it needs, everything scaled down when it still does not fit. */
void    nl_render_explain            (cairo_t *cr, const NlExplainScene *scene,
                                      const NlNetworkScene *network,
                                      const NlRenderStyle *style, NlRenderCache *cache,
                                      double width, double height);

/* The network diagram of the walkthrough: nl_render_network with the scene's parameter
 * highlighted and, under each neuron, its output z for this sample. `layout` must have been
 * computed for network->arch and network->features. */
void    nl_render_explain_diagram    (cairo_t *cr, const NlNetworkLayout *layout,
                                      const NlExplainScene *scene,
                                      const NlNetworkScene *network,
                                      const NlRenderStyle *style, NlRenderCache *cache);

/* What the walkthrough says, as plain text (markup removed, one row a line), for tests and
 * for copying. Free with g_free. */
char   *nl_render_explain_to_text    (const NlExplainScene *scene);

/* Numbers as the walkthrough writes them: four significant digits, a true minus sign. */
void    nl_render_explain_format_number (char *buf, gsize size, double value);

G_END_DECLS
