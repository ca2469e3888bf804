/* nl-render-network.h: the network diagram.
 *
 * Columns left to right: the input features, each hidden layer, the output layer. Every
 * neuron is a small heatmap of its own output over the plane (a circle when the column
 * is too crowded for a readable thumbnail); every link a curve whose width grows with |w|
 * (relative to the network's largest |w|) and whose colour gives the sign.
 *
 * Layout is separate from drawing: nl_network_layout_compute() places every node once;
 * drawing, hit-testing (tooltips, clicking a link to edit its weight) and the app's
 * per-layer controls all read the same NlNetworkLayout.
 *
 * Indices. A "column" is 0 for the inputs, 1..n_hidden for hidden layers, n_hidden + 1
 * for the output. A network "layer" is as in NnNetwork: 0 is the first hidden layer (or
 * the output when there is none), n_hidden the output. Column c > 0 shows layer c − 1.
 * Parameters are the flat NnNetwork array: per layer W [n_out][n_in] then b [n_out],
 * layers one after the other.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-types.h"
#include "nn-network.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

#define NL_NETWORK_MAX_COLUMNS (NN_MAX_LAYERS + 1)
#define NL_NETWORK_MAX_NODES   (NN_N_FEATURES + NN_MAX_LAYERS * NN_MAX_UNITS)

typedef enum
{
  NL_NETWORK_LAYOUT_DEFAULT         = 0,
  /* No band above the columns for the app's +/− buttons and activation menus (exports). */
  NL_NETWORK_LAYOUT_NO_CONTROLS     = 1 << 0,
  /* Only the features the network uses, not all seven (exports). */
  NL_NETWORK_LAYOUT_ACTIVE_FEATURES = 1 << 1,
  /* A band under each caption for per-layer sparklines (issue 7). */
  NL_NETWORK_LAYOUT_SPARKLINES      = 1 << 2,
  /* No legend band at the bottom. */
  NL_NETWORK_LAYOUT_NO_LEGEND       = 1 << 3,
} NlNetworkLayoutFlags;

typedef enum
{
  NL_NODE_THUMBNAIL,   /* a heatmap square */
  NL_NODE_CIRCLE,      /* too small for a heatmap */
} NlNodeShape;

typedef struct
{
  NlRect      rect;     /* the square the node occupies (the circle's bounding box) */
  NlNodeShape shape;
  guint       column;
  guint       unit;     /* index in its column (features: row in the input column) */
  /* Input column only: the feature (0..NN_N_FEATURES−1, as nn_feature_nth), whether the
   * network uses it and, if so, its input index (else G_MAXUINT). */
  guint       feature;
  gboolean    active;
  guint       input;
  /* Neurons only: the small square at a thumbnail's lower left corner that shows its bias,
   * or the whole circle of a neuron drawn as one (zero size for the inputs). */
  NlRect      bias;
} NlNetworkNode;

typedef struct
{
  double x_center;       /* where the column's nodes are centred */
  double width;          /* the horizontal room the column owns (pitch between columns) */
  /* A free band for the app's per-layer controls (height 0 with NO_CONTROLS). */
  NlRect controls;
  NlRect caption;        /* "Hidden layer 1", "8 neurons", "tanh" */
  NlRect sparkline;      /* height 0 unless NL_NETWORK_LAYOUT_SPARKLINES */
  double nodes_top;      /* top of the node area (the first node may start lower) */
  double node_size;      /* side of each node's square in this column */
  guint  first_node;     /* index into NlNetworkLayout.nodes */
  guint  n_nodes;
} NlNetworkColumn;

typedef struct
{
  double               width, height;
  NlNetworkLayoutFlags flags;
  NnArchitecture       arch;
  guint                features;      /* NnFeature mask */
  guint                n_columns;
  NlNetworkColumn      columns[NL_NETWORK_MAX_COLUMNS];
  guint                n_nodes;
  NlNetworkNode        nodes[NL_NETWORK_MAX_NODES];
  NlRect               legend;        /* height 0 with NO_LEGEND */
  double               font_scale;    /* from the style, for the text drawn later */
  /* Link curves: cubic Béziers from a node's right edge to the next column's node's left
   * edge; the control points sit `link_bend` × the horizontal gap inside the ends. */
  double               link_bend;
} NlNetworkLayout;

NlNetworkLayout *nl_network_layout_new     (void);
void             nl_network_layout_free    (NlNetworkLayout *layout);
/* Places everything inside width × height. `features` is the NnFeature mask; its bit count
 * must equal arch->n_inputs. */
void             nl_network_layout_compute (NlNetworkLayout *layout, const NnArchitecture *arch,
                                            guint features, NlNetworkLayoutFlags flags,
                                            double width, double height,
                                            const NlRenderStyle *style);

/* Node of a layer's unit (layer as NnNetwork's), or NULL when out of range. */
const NlNetworkNode *nl_network_layout_get_neuron  (const NlNetworkLayout *layout, guint layer,
                                                    guint unit);
/* Node of the network's input `input` (the input-th active feature), or NULL. */
const NlNetworkNode *nl_network_layout_get_input   (const NlNetworkLayout *layout, guint input);
/* Node of feature 0..NN_N_FEATURES−1, or NULL when not shown. */
const NlNetworkNode *nl_network_layout_get_feature (const NlNetworkLayout *layout,
                                                    guint feature);

/* The point at parameter t ∈ [0, 1] along the link of weight [layer][out][in]. FALSE
 * when there is no such link. */
gboolean         nl_network_layout_link_point (const NlNetworkLayout *layout, guint layer,
                                               guint out, guint in, double t,
                                               double *x, double *y);

typedef enum
{
  NL_NETWORK_HIT_NONE,
  NL_NETWORK_HIT_FEATURE,  /* feature */
  NL_NETWORK_HIT_NEURON,   /* layer, unit */
  NL_NETWORK_HIT_LINK,     /* layer, unit (= out), input (= in); feature too when layer 0 */
  NL_NETWORK_HIT_BIAS,     /* layer, unit: the neuron's bias square (or its circle) */
} NlNetworkHitKind;

typedef struct
{
  NlNetworkHitKind kind;
  guint            layer;
  guint            unit;
  guint            input;
  guint            feature;
} NlNetworkHit;

#define NL_NETWORK_HIT_INIT { NL_NETWORK_HIT_NONE, 0, 0, 0, 0 }

/* What is under (x, y): a bias square first, then a node, else the nearest link within a
 * few pixels (link geometry needs no weights). Returns FALSE, with kind NONE, when nothing is. */
gboolean         nl_network_hit_test        (const NlNetworkLayout *layout, double x, double y,
                                             NlNetworkHit *hit);
gboolean         nl_network_hit_equal       (const NlNetworkHit *a, const NlNetworkHit *b);

/* Everything drawn, as plain data. */
typedef struct
{
  const NnArchitecture *arch;
  guint                 features;     /* NnFeature mask (arch->n_inputs bits set) */
  /* Flat parameters as NnNetwork (may be NULL: links are drawn thin and neutral). */
  const double         *params;
  /* Neuron output grids, hidden layers then output, each grid_res × grid_res (row 0 at
   * x2 = +6), as nn_trainer_eval_grid's `neurons`. NULL or grid_res 0: plain nodes. */
  const double         *neuron_grids;
  guint                 grid_res;
  /* Resolution of the feature thumbnails the renderer computes itself for vector targets
   * (0: 32); drawn to pixels they are computed at their exact pixel size. */
  guint                 feature_res;
  /* Bump whenever params or grids change; 0 means "always rebuild" (no caching). */
  guint64               serial;
  NlNetworkHit          highlight;    /* hovered or selected; kind NONE for none */
} NlNetworkScene;

#define NL_NETWORK_SCENE_INIT { NULL, 0, NULL, NULL, 0, 0, 0, NL_NETWORK_HIT_INIT }

/* Draws the scene in the layout's rectangle (0, 0, layout->width, layout->height), the
 * background included. The layout must have been computed for scene->arch and
 * scene->features. `cache` may be NULL. */
void             nl_render_network          (cairo_t *cr, const NlNetworkLayout *layout,
                                             const NlNetworkScene *scene,
                                             const NlRenderStyle *style, NlRenderCache *cache);

/* Largest |w| over the weights (biases excluded), at least a tiny positive number. */
double           nl_network_max_abs_weight  (const NnArchitecture *arch, const double *params);
/* Offset of layer `layer`'s weights in the flat array; its bias starts n_out·n_in later. */
gsize            nl_network_weight_offset   (const NnArchitecture *arch, guint layer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlNetworkLayout, nl_network_layout_free)

G_END_DECLS
