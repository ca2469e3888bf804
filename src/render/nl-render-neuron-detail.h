/* nl-render-neuron-detail.h: one neuron's picture, large, with its axes and colour scale.
 *
 * What TensorFlow Playground shows when the pointer rests on a neuron: the neuron's output
 * over the input plane [−6, 6]², drawn on a card big enough to read, with x₁ and x₂ axes,
 * a colour bar of the activation's range (tanh −1…1, sigmoid 0…1, ReLU and identity
 * symmetric by the largest |value|) and optionally a marked point (the selected one).
 * Colours are the diagram's thumbnails' (the diverging map).
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-types.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

typedef struct
{
  const double *grid;        /* res × res, row 0 at x2 = +6 (nn_trainer_eval_grid) */
  guint         res;
  NnActivation  activation;  /* decides the colour range */
  const char   *title;       /* "Hidden layer 1, neuron 3" */
  const char   *subtitle;    /* "tanh", may be NULL */
  gboolean      has_point;   /* mark (point_x1, point_x2) */
  double        point_x1, point_x2;
} NlNeuronDetailScene;

#define NL_NEURON_DETAIL_SCENE_INIT { NULL, 0, NN_ACTIVATION_TANH, NULL, NULL, FALSE, 0, 0 }

/* Where the picture (`plot`, the plane [−6, 6]² with x₂ = +6 at the top) and its colour key
 * (`key`, bottom = the range's low end) go on a width × height card; FALSE when the card is
 * too small to hold them (then only the card and its titles are drawn). */
gboolean nl_neuron_detail_layout (double width, double height, const NlNeuronDetailScene *scene,
                                  const NlRenderStyle *style, NlRect *plot, NlRect *key);

/* Draws the card filling (0, 0, width, height), its rounded background included. */
void nl_render_neuron_detail (cairo_t *cr, double width, double height,
                              const NlNeuronDetailScene *scene, const NlRenderStyle *style,
                              NlRenderCache *cache);

G_END_DECLS
