/* nl-render-network-layout.c: where every node of the network diagram goes, and what is
 * under the pointer. Drawing (nl-render-network.c) reads the same layout. */
#include "nl-render-network.h"
#include "nl-render-private.h"

#include <math.h>
#include <string.h>

/* Below this side a heatmap is unreadable: draw a circle instead. */
#define MIN_THUMBNAIL 18.0
#define MAX_NODE      64.0
#define MAX_CIRCLE    14.0
#define MARGIN        8.0
#define CONTROLS_H    40.0
#define SPARKLINE_H   28.0
/* The hit zone around a link, in pixels either side of its centre line. */
#define LINK_SLOP     4.0

NlNetworkLayout *
nl_network_layout_new (void)
{
  return g_new0 (NlNetworkLayout, 1);
}

void
nl_network_layout_free (NlNetworkLayout *layout)
{
  g_free (layout);
}

static guint
column_units (const NnArchitecture *arch, guint column)
{
  return column <= arch->n_hidden ? arch->units[column - 1] : arch->n_outputs;
}

/* The side of one node and the gap ratio for n nodes stacked in `avail` pixels. */
static double
node_size_for (guint n, double avail, double pitch)
{
  double s = avail / (n + (n - 1) * 0.28);

  return MAX (MIN (MIN (s, MAX_NODE), pitch * 0.58), 1.0);
}

static void
place_nodes (NlNetworkLayout *layout, NlNetworkColumn *col, double top, double avail)
{
  double size = col->node_size;
  NlNodeShape shape = size >= MIN_THUMBNAIL ? NL_NODE_THUMBNAIL : NL_NODE_CIRCLE;
  /* Whole pixels, so thumbnails are copied, not resampled, and frames stay crisp. */
  double drawn = floor (shape == NL_NODE_CIRCLE ? MIN (size, MAX_CIRCLE) : size);
  double step = col->n_nodes > 1 ? MIN (size * 1.28, avail / col->n_nodes) : 0;
  double y0 = top + (avail - step * (col->n_nodes - 1) - drawn) / 2;

  col->node_size = drawn;
  for (guint i = 0; i < col->n_nodes; i++)
    {
      NlNetworkNode *node = &layout->nodes[col->first_node + i];

      node->rect.x = round (col->x_center - drawn / 2);
      node->rect.y = round (y0 + i * step);
      node->rect.width = drawn;
      node->rect.height = drawn;
      node->shape = shape;
      /* The bias square straddles a thumbnail's lower left corner, away from where links
       * arrive; a neuron too small for a thumbnail is a circle that shows its bias whole. */
      if (node->column > 0 && shape == NL_NODE_CIRCLE)
        node->bias = node->rect;
      else if (node->column > 0)
        {
          double b = CLAMP (round (drawn * 0.26), 8, 12);

          node->bias = (NlRect) { node->rect.x - round (b / 2),
                                  node->rect.y + drawn - round (b / 2), b, b };
        }
    }
}

/* Fills the input column's node records (which feature, active or not, input index). */
static guint
add_feature_nodes (NlNetworkLayout *layout, guint first)
{
  guint n = 0, input = 0;

  for (guint f = 0; f < NN_N_FEATURES; f++)
    {
      gboolean active = (layout->features & nn_feature_nth (f)) != 0;
      NlNetworkNode *node;

      if (!active && (layout->flags & NL_NETWORK_LAYOUT_ACTIVE_FEATURES))
        continue;
      node = &layout->nodes[first + n];
      memset (node, 0, sizeof *node);
      node->column = 0;
      node->unit = n++;
      node->feature = f;
      node->active = active;
      node->input = active ? input++ : G_MAXUINT;
    }
  return n;
}

static guint
add_neuron_nodes (NlNetworkLayout *layout, guint column, guint first)
{
  guint n = column_units (&layout->arch, column);

  for (guint i = 0; i < n; i++)
    {
      NlNetworkNode *node = &layout->nodes[first + i];

      memset (node, 0, sizeof *node);
      node->column = column;
      node->unit = i;
      node->feature = G_MAXUINT;
      node->active = TRUE;
      node->input = G_MAXUINT;
    }
  return n;
}

/* Bands from the top: controls, caption (three lines), sparklines, nodes; legend below. */
static void
place_bands (NlNetworkLayout *layout, NlNetworkColumn *col, double px)
{
  double controls_h = (layout->flags & NL_NETWORK_LAYOUT_NO_CONTROLS) ? 0 : CONTROLS_H;
  double caption_h = ceil (3 * px * 1.3);
  double spark_h = (layout->flags & NL_NETWORK_LAYOUT_SPARKLINES) ? SPARKLINE_H : 0;
  double x = col->x_center - col->width / 2;

  col->controls = (NlRect) { x, MARGIN, col->width, controls_h };
  col->caption = (NlRect) { x, MARGIN + controls_h, col->width, caption_h };
  col->sparkline = (NlRect) { x, col->caption.y + caption_h, col->width, spark_h };
  col->nodes_top = col->sparkline.y + spark_h + (spark_h > 0 ? 6 : 10);
}

static void
place_columns (NlNetworkLayout *layout, double px)
{
  /* Room for the feature names left of the inputs and class names right of the outputs. */
  double left = MARGIN + ceil (px * 4.6);
  double right = layout->width - MARGIN - (layout->arch.n_outputs > 1 ? ceil (px * 4.2) : 0);
  double pitch, x_first, x_last;
  guint n = layout->n_columns;

  /* Column centres are spread so the first and last nodes (≤ MAX_NODE) fit. */
  pitch = (right - left) / n;
  x_first = left + MIN (pitch, MAX_NODE * 1.6) / 2;
  x_last = right - MIN (pitch, MAX_NODE * 1.6) / 2;
  pitch = n > 1 ? (x_last - x_first) / (n - 1) : right - left;
  for (guint c = 0; c < n; c++)
    {
      NlNetworkColumn *col = &layout->columns[c];

      col->x_center = round (n > 1 ? x_first + c * pitch : (left + right) / 2);
      col->width = floor (pitch);
      place_bands (layout, col, px);
    }
}

void
nl_network_layout_compute (NlNetworkLayout *layout, const NnArchitecture *arch,
                           guint features, NlNetworkLayoutFlags flags, double width,
                           double height, const NlRenderStyle *style)
{
  double px, legend_h, bottom;
  guint next = 0;

  g_return_if_fail (layout != NULL && arch != NULL && style != NULL);
  g_return_if_fail (arch->n_hidden <= NN_MAX_HIDDEN_LAYERS);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  layout->flags = flags;
  layout->arch = *arch;
  layout->features = features & NN_FEATURES_ALL;
  layout->n_columns = arch->n_hidden + 2;
  layout->font_scale = style->font_scale;
  layout->link_bend = 0.5;
  px = nl_text_px (style, 1.0);

  place_columns (layout, px);
  legend_h = (flags & NL_NETWORK_LAYOUT_NO_LEGEND) ? 0 : ceil (px * 4.4);
  layout->legend = (NlRect) { MARGIN, height - MARGIN - legend_h, width - 2 * MARGIN,
                              legend_h };
  bottom = layout->legend.y - (legend_h > 0 ? 10 : 0);

  for (guint c = 0; c < layout->n_columns; c++)
    {
      NlNetworkColumn *col = &layout->columns[c];
      double avail = MAX (bottom - col->nodes_top, 1.0);

      col->first_node = next;
      col->n_nodes = c == 0 ? add_feature_nodes (layout, next)
                            : add_neuron_nodes (layout, c, next);
      next += col->n_nodes;
      col->node_size = node_size_for (MAX (col->n_nodes, 1), avail, col->width);
      place_nodes (layout, col, col->nodes_top, avail);
    }
  layout->n_nodes = next;
}

const NlNetworkNode *
nl_network_layout_get_neuron (const NlNetworkLayout *layout, guint layer, guint unit)
{
  const NlNetworkColumn *col;

  if (layer + 1 >= layout->n_columns)
    return NULL;
  col = &layout->columns[layer + 1];
  return unit < col->n_nodes ? &layout->nodes[col->first_node + unit] : NULL;
}

const NlNetworkNode *
nl_network_layout_get_input (const NlNetworkLayout *layout, guint input)
{
  const NlNetworkColumn *col = &layout->columns[0];

  for (guint i = 0; i < col->n_nodes; i++)
    if (layout->nodes[col->first_node + i].input == input)
      return &layout->nodes[col->first_node + i];
  return NULL;
}

const NlNetworkNode *
nl_network_layout_get_feature (const NlNetworkLayout *layout, guint feature)
{
  const NlNetworkColumn *col = &layout->columns[0];

  for (guint i = 0; i < col->n_nodes; i++)
    if (layout->nodes[col->first_node + i].feature == feature)
      return &layout->nodes[col->first_node + i];
  return NULL;
}

/* The source node of input `in` of network layer `layer`. */
static const NlNetworkNode *
link_source (const NlNetworkLayout *layout, guint layer, guint in)
{
  return layer == 0 ? nl_network_layout_get_input (layout, in)
                    : nl_network_layout_get_neuron (layout, layer - 1, in);
}

gboolean
nl_network_layout_link_point (const NlNetworkLayout *layout, guint layer, guint out, guint in,
                              double t, double *x, double *y)
{
  const NlNetworkNode *a = link_source (layout, layer, in);
  const NlNetworkNode *b = nl_network_layout_get_neuron (layout, layer, out);
  double x0, y0, x1, y1, d, k = layout->link_bend, u = 1 - t;

  if (a == NULL || b == NULL)
    return FALSE;
  x0 = a->rect.x + a->rect.width, y0 = a->rect.y + a->rect.height / 2;
  x1 = b->rect.x, y1 = b->rect.y + b->rect.height / 2;
  d = x1 - x0;
  /* Cubic Bézier with control points (x0 + k·d, y0) and (x1 − k·d, y1). */
  *x = u * u * u * x0 + 3 * u * u * t * (x0 + k * d) + 3 * u * t * t * (x1 - k * d)
       + t * t * t * x1;
  *y = y0 + (y1 - y0) * (3 * t * t - 2 * t * t * t);
  return TRUE;
}

static gboolean
hit_bias (const NlNetworkLayout *layout, double x, double y, NlNetworkHit *hit)
{
  for (guint i = 0; i < layout->n_nodes; i++)
    {
      const NlNetworkNode *n = &layout->nodes[i];
      const double slop = 1.5;

      if (n->column == 0 || n->bias.width <= 0
          || x < n->bias.x - slop || x > n->bias.x + n->bias.width + slop
          || y < n->bias.y - slop || y > n->bias.y + n->bias.height + slop)
        continue;
      hit->kind = NL_NETWORK_HIT_BIAS;
      hit->layer = n->column - 1;
      hit->unit = n->unit;
      return TRUE;
    }
  return FALSE;
}

static gboolean
hit_node (const NlNetworkLayout *layout, double x, double y, NlNetworkHit *hit)
{
  for (guint i = 0; i < layout->n_nodes; i++)
    {
      const NlNetworkNode *n = &layout->nodes[i];
      const double slop = 2.0;

      if (x < n->rect.x - slop || x > n->rect.x + n->rect.width + slop
          || y < n->rect.y - slop || y > n->rect.y + n->rect.height + slop)
        continue;
      if (n->column == 0)
        {
          hit->kind = NL_NETWORK_HIT_FEATURE;
          hit->feature = n->feature;
        }
      else
        {
          hit->kind = NL_NETWORK_HIT_NEURON;
          hit->layer = n->column - 1;
          hit->unit = n->unit;
        }
      return TRUE;
    }
  return FALSE;
}

/* Parameter t at which a link between x0 and x1 reaches x: every link of one column gap
 * shares x0 and x1, so this is solved once for the whole gap. */
static double
bezier_t_at_x (double x0, double x1, double k, double x)
{
  double lo = 0, hi = 1, d = x1 - x0;

  for (int i = 0; i < 30; i++)
    {
      double t = (lo + hi) / 2, u = 1 - t;
      double bx = u * u * u * x0 + 3 * u * u * t * (x0 + k * d) + 3 * u * t * t * (x1 - k * d)
                  + t * t * t * x1;
      if (bx < x)
        lo = t;
      else
        hi = t;
    }
  return (lo + hi) / 2;
}

static void
hit_link_in_gap (const NlNetworkLayout *layout, guint layer, double x, double y,
                 NlNetworkHit *hit, double *best)
{
  const NlNetworkColumn *src = &layout->columns[layer], *dst = &layout->columns[layer + 1];
  double x0 = src->x_center + src->node_size / 2, x1 = dst->x_center - dst->node_size / 2;
  double k = layout->link_bend, t, u, s, ds, dx;

  if (x < x0 || x > x1 || x1 <= x0)
    return;
  t = bezier_t_at_x (x0, x1, k, x);
  u = 1 - t;
  s = 3 * t * t - 2 * t * t * t;
  ds = 6 * t * u;
  dx = 3 * (x1 - x0) * (u * u * k + 2 * u * t * (1 - 2 * k) + t * t * k);
  for (guint out = 0; out < dst->n_nodes; out++)
    for (guint i = 0; i < src->n_nodes; i++)
      {
        const NlNetworkNode *a = &layout->nodes[src->first_node + i];
        const NlNetworkNode *b = &layout->nodes[dst->first_node + out];
        double y0 = a->rect.y + a->rect.height / 2, y1 = b->rect.y + b->rect.height / 2;
        double slope = dx > 1e-9 ? (y1 - y0) * ds / dx : 0;
        /* Vertical distance to the curve, turned into the normal distance. */
        double dist = fabs (y0 + (y1 - y0) * s - y) / sqrt (1 + slope * slope);

        if (a->input == G_MAXUINT && layer == 0)
          continue;
        if (dist < *best)
          {
            *best = dist;
            hit->kind = NL_NETWORK_HIT_LINK;
            hit->layer = layer;
            hit->unit = out;
            hit->input = layer == 0 ? a->input : i;
            hit->feature = layer == 0 ? a->feature : 0;
          }
      }
}

gboolean
nl_network_hit_test (const NlNetworkLayout *layout, double x, double y, NlNetworkHit *hit)
{
  NlNetworkHit none = NL_NETWORK_HIT_INIT;
  double best = LINK_SLOP;

  g_return_val_if_fail (layout != NULL && hit != NULL, FALSE);

  *hit = none;
  if (hit_bias (layout, x, y, hit) || hit_node (layout, x, y, hit))
    return TRUE;
  for (guint layer = 0; layer + 1 < layout->n_columns; layer++)
    hit_link_in_gap (layout, layer, x, y, hit, &best);
  return hit->kind != NL_NETWORK_HIT_NONE;
}

gboolean
nl_network_hit_equal (const NlNetworkHit *a, const NlNetworkHit *b)
{
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case NL_NETWORK_HIT_FEATURE:
      return a->feature == b->feature;
    case NL_NETWORK_HIT_NEURON:
    case NL_NETWORK_HIT_BIAS:
      return a->layer == b->layer && a->unit == b->unit;
    case NL_NETWORK_HIT_LINK:
      return a->layer == b->layer && a->unit == b->unit && a->input == b->input;
    case NL_NETWORK_HIT_NONE:
    default:
      return TRUE;
    }
}

gsize
nl_network_weight_offset (const NnArchitecture *arch, guint layer)
{
  gsize offset = 0;
  guint n_in = arch->n_inputs;

  /* Layers are stored one after the other: W [n_out][n_in], then b [n_out]. */
  for (guint l = 0; l < layer && l <= arch->n_hidden; l++)
    {
      guint n_out = l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
      offset += (gsize) n_out * n_in + n_out;
      n_in = n_out;
    }
  return offset;
}

double
nl_network_max_abs_weight (const NnArchitecture *arch, const double *params)
{
  double m = 1e-9;
  guint n_in = arch->n_inputs;

  if (params == NULL)
    return 1.0;
  for (guint l = 0; l <= arch->n_hidden; l++)
    {
      guint n_out = l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
      const double *w = params + nl_network_weight_offset (arch, l);

      for (gsize i = 0; i < (gsize) n_out * n_in; i++)
        if (fabs (w[i]) > m && isfinite (w[i]))
          m = fabs (w[i]);
      n_in = n_out;
    }
  return m;
}
