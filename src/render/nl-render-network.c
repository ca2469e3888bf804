/* nl-render-network.c: drawing the network diagram from a computed layout.
 *
 * Links are grouped by sign and by a quantised width and each group is stroked as one
 * path: a few strokes instead of thousands keeps a 64 × 64 × 10 network drawable in a
 * frame, and thin links go down first so the strong ones stay on top.
 */
#include "nl-render-network.h"
#include "nl-render-heatmap.h"
#include "nl-render-private.h"
#include "nl-render-raster.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define WIDTH_LEVELS   10
#define MIN_LINK_WIDTH 0.8
#define DEFAULT_FEATURE_RES 32

/* Feature names drawn beside the input nodes (mathematics, not translated). */
static const char *const feature_labels[NN_N_FEATURES] = {
  "x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin(x₁)", "sin(x₂)",
};

static const char *
activation_label (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:   return _("identity");
    case NN_ACTIVATION_RELU:       return _("ReLU");
    case NN_ACTIVATION_LEAKY_RELU: return _("Leaky ReLU");
    case NN_ACTIVATION_SIGMOID:    return _("sigmoid");
    case NN_ACTIVATION_TANH:       return _("tanh");
    case NN_ACTIVATION_SOFTMAX:    return _("softmax");
    case NN_N_ACTIVATIONS:
    default:                       return "";
    }
}

static NnActivation
layer_activation (const NnArchitecture *arch, guint layer)
{
  return layer < arch->n_hidden ? arch->activation[layer] : arch->output_activation;
}

static guint
layer_units (const NnArchitecture *arch, guint layer)
{
  return layer < arch->n_hidden ? arch->units[layer] : arch->n_outputs;
}

static guint
layer_inputs (const NnArchitecture *arch, guint layer)
{
  return layer == 0 ? arch->n_inputs : arch->units[layer - 1];
}

/* ---------------------------------------------------------------------------------------
 * Heatmap thumbnails
 */

/* Side in pixels of a node's heatmap image: its device size when drawing to pixels (the
 * image is then copied 1:1), the grid's own resolution for vector targets. */
static guint
thumb_pixels (const NlNetworkNode *node, double scale, guint res)
{
  return scale > 0 ? (guint) MAX (round (node->rect.width * scale), 1) : res;
}

static guint32
geometry_key (const NlNetworkLayout *layout, double scale, guint res, guint first, guint last)
{
  guint32 h = res * 2654435761u ^ (guint32) (scale * 1000);

  for (guint c = first; c <= last && c < layout->n_columns; c++)
    h = (h ^ (guint32) (layout->columns[c].node_size * 16)) * 16777619u;
  return h;
}

static void
fill_feature (cairo_surface_t *s, guint f, guint n, const guint32 *lut)
{
  const double span = NN_PLANE_MAX - NN_PLANE_MIN, extent = nl_render_feature_extent (f);
  g_autofree double *grid = g_new (double, (gsize) n * n);

  for (guint row = 0; row < n; row++)
    for (guint c = 0; c < n; c++)
      grid[(gsize) row * n + c] = nl_render_feature_value (f, NN_PLANE_MIN + (c + 0.5) * span / n,
                                                           NN_PLANE_MAX - (row + 0.5) * span / n);
  cairo_surface_flush (s);
  nl_render_heatmap_fill ((guint32 *) cairo_image_surface_get_data (s),
                          cairo_image_surface_get_stride (s), grid, n, -extent, extent, lut);
  cairo_surface_mark_dirty (s);
}

/* Feature pictures are exact functions of the plane: computed per pixel, once per size. */
static void
build_feature_thumbs (NlRenderCache *cache, const NlNetworkLayout *layout, guint res,
                      double scale, const NlRenderStyle *style)
{
  guint32 hash = nl_render_lut_hash (style->diverging_lut);
  guint32 geometry = geometry_key (layout, scale, res, 0, 0)
                     ^ (layout->features << 8 | layout->flags) * 40503u;
  const NlNetworkColumn *col = &layout->columns[0];

  if (cache->feature_geometry == geometry && cache->feature_lut_hash == hash)
    return;
  for (guint i = 0; i < col->n_nodes; i++)
    {
      const NlNetworkNode *node = &layout->nodes[col->first_node + i];
      guint n = thumb_pixels (node, scale, res);

      fill_feature (nl_render_cache_image (&cache->features[node->feature], n), node->feature,
                    n, style->diverging_lut);
    }
  cache->feature_geometry = geometry;
  cache->feature_lut_hash = hash;
}

static void
fill_thumb (cairo_surface_t *s, const double *grid, guint res, double lo, double hi,
            const guint32 *lut)
{
  guint32 *data;
  int stride, n = cairo_image_surface_get_width (s);

  cairo_surface_flush (s);
  data = (guint32 *) cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  if ((guint) n == res)
    nl_render_heatmap_fill (data, stride, grid, res, lo, hi, lut);
  else
    nl_render_heatmap_fill_scaled (data, stride, n, n, grid, res, lo, hi, lut);
  cairo_surface_mark_dirty (s);
}

/* A softmax output's probability from the neutral colour (0) to its class's colour (1),
 * as the boundary view paints where that class wins: "Class 1" is blue in both. */
static void
class_lut (const NlRenderStyle *style, guint k, guint32 *lut)
{
  NlRgba color = nl_render_style_class_color (style, k);

  for (guint i = 0; i < NL_RENDER_LUT_SIZE; i++)
    {
      NlRgba c = nl_rgba_mix (&style->neutral, &color, i / (NL_RENDER_LUT_SIZE - 1.0));

      lut[i] = nl_rgba_to_pixel (&c);
    }
}

/* Refills the neuron images when the grids, the colours or the sizes changed. Circles need
 * no image, so a huge layer drawn as circles costs nothing here. */
static void
build_neuron_thumbs (NlRenderCache *cache, const NlNetworkLayout *layout,
                     const NlNetworkScene *scene, double scale, const NlRenderStyle *style)
{
  const NnArchitecture *arch = scene->arch;
  guint res = scene->grid_res, index = 0;
  gsize cells = (gsize) res * res;
  guint32 hash = nl_render_lut_hash (style->diverging_lut);
  guint32 geometry = geometry_key (layout, scale, res, 1, layout->n_columns - 1);

  if (scene->serial != 0 && scene->serial == cache->network_serial
      && cache->thumb_geometry == geometry && cache->network_lut_hash == hash)
    return;
  for (guint layer = 0; layer <= arch->n_hidden; layer++)
    {
      NnActivation a = layer_activation (arch, layer);
      gboolean classes = a == NN_ACTIVATION_SOFTMAX && layer == arch->n_hidden
                         && layer_units (arch, layer) > 1;

      for (guint u = 0; u < layer_units (arch, layer); u++, index++)
        {
          const NlNetworkNode *node = nl_network_layout_get_neuron (layout, layer, u);
          const double *grid = scene->neuron_grids + index * cells;
          guint32 lut[NL_RENDER_LUT_SIZE];
          double lo, hi;

          if (node->shape != NL_NODE_THUMBNAIL)
            continue;
          nl_render_activation_range (a, grid, cells, &lo, &hi);
          if (classes)
            class_lut (style, u, lut);
          fill_thumb (nl_render_cache_image (&cache->thumbs[index],
                                             thumb_pixels (node, scale, res)),
                      grid, res, lo, hi, classes ? lut : style->diverging_lut);
        }
    }
  cache->n_thumbs = index;
  cache->thumb_geometry = geometry;
  cache->network_serial = scene->serial;
  cache->network_lut_hash = hash;
}

/* ---------------------------------------------------------------------------------------
 * Links
 */

typedef struct
{
  double max_abs;    /* the network's largest |w| */
  double max_width;  /* the pixel width of that weight */
} LinkScale;

static LinkScale
link_scale (const NlNetworkLayout *layout, const NlNetworkScene *scene,
            const NlRenderStyle *style)
{
  LinkScale ls;
  double smallest = 64.0;

  for (guint c = 1; c < layout->n_columns; c++)
    smallest = MIN (smallest, layout->columns[c].node_size);
  ls.max_abs = nl_network_max_abs_weight (scene->arch, scene->params);
  /* Strong links about an eighth of a node thick: visible from the back of a classroom
   * without the bundle into a node turning into one solid band. */
  ls.max_width = CLAMP (smallest * 0.12, 1.5, 4.5) * style->line_scale;
  return ls;
}

static guint
weight_level (const LinkScale *ls, double w)
{
  double r = fabs (w) / ls->max_abs;

  if (isnan (r))
    return 0;
  return (guint) round (CLAMP (r, 0.0, 1.0) * (WIDTH_LEVELS - 1));
}

static double
level_width (const LinkScale *ls, guint level)
{
  return MIN_LINK_WIDTH + (ls->max_width - MIN_LINK_WIDTH) * level / (WIDTH_LEVELS - 1);
}

/* Weak links fade as well as thin out, so the strong structure reads first. */
static double
level_alpha (guint level)
{
  return 0.18 + 0.82 * level / (WIDTH_LEVELS - 1);
}

static const NlNetworkNode *
source_node (const NlNetworkLayout *layout, guint layer, guint in)
{
  return layer == 0 ? nl_network_layout_get_input (layout, in)
                    : nl_network_layout_get_neuron (layout, layer - 1, in);
}

static void
link_path (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkNode *a,
           const NlNetworkNode *b)
{
  double x0 = a->rect.x + a->rect.width, y0 = a->rect.y + a->rect.height / 2;
  double x1 = b->rect.x, y1 = b->rect.y + b->rect.height / 2;
  double k = layout->link_bend * (x1 - x0);

  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, x0 + k, y0, x1 - k, y1, x1, y1);
}

/* The link as a path to stroke later, or, given a raster, drawn at once. */
static void
link_shape (cairo_t *cr, NlRaster *raster, const NlNetworkLayout *layout,
            const NlNetworkNode *a, const NlNetworkNode *b, const NlRgba *color, double width)
{
  if (raster == NULL)
    {
      link_path (cr, layout, a, b);
      return;
    }
  nl_raster_link (raster, a->rect.x + a->rect.width, a->rect.y + a->rect.height / 2, b->rect.x,
                  b->rect.y + b->rect.height / 2, layout->link_bend, width, color);
}

/* Draws, or with a raster fills in directly, every link of one sign and width level (or
 * every link, with params NULL). */
static void
draw_link_group (cairo_t *cr, NlRaster *raster, const NlNetworkLayout *layout,
                 const NlNetworkScene *scene, const LinkScale *ls, gboolean positive,
                 guint level, const NlRgba *color, double width)
{
  const NnArchitecture *arch = scene->arch;
  guint count = 0;

  for (guint layer = 0; layer <= arch->n_hidden; layer++)
    {
      guint n_in = layer_inputs (arch, layer), n_out = layer_units (arch, layer);
      const double *w = scene->params ? scene->params + nl_network_weight_offset (arch, layer)
                                      : NULL;

      for (guint out = 0; out < n_out; out++)
        for (guint in = 0; in < n_in; in++)
          {
            double v = w != NULL ? w[(gsize) out * n_in + in] : 0.0;

            const NlNetworkNode *a, *b;

            if (w != NULL && ((v >= 0) != positive || weight_level (ls, v) != level))
              continue;
            a = source_node (layout, layer, in);
            b = nl_network_layout_get_neuron (layout, layer, out);
            if (a == NULL || b == NULL)
              continue;
            link_shape (cr, raster, layout, a, b, color, width);
            count++;
          }
    }
  if (raster == NULL && count > 0)
    {
      nl_render_set_source (cr, color);
      cairo_set_line_width (cr, width);
      cairo_stroke (cr);
    }
}

static void
draw_links (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
            const NlRenderStyle *style, const LinkScale *ls)
{
  NlRaster raster;
  NlRaster *r = nl_raster_begin (&raster, cr) ? &raster : NULL;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  if (scene->params == NULL)
    draw_link_group (cr, r, layout, scene, ls, TRUE, 0, &style->grid, 1.0);
  for (guint level = 0; level < WIDTH_LEVELS && scene->params != NULL; level++)
    for (int sign = 0; sign < 2; sign++)
      {
        NlRgba c = nl_rgba_with_alpha (sign ? &style->positive : &style->negative,
                                       level_alpha (level));
        draw_link_group (cr, r, layout, scene, ls, sign, level, &c, level_width (ls, level));
      }
  cairo_restore (cr);
  if (r != NULL)
    nl_raster_end (r);
}

static double
scene_weight (const NlNetworkScene *scene, guint layer, guint out, guint in)
{
  const NnArchitecture *arch = scene->arch;

  if (scene->params == NULL)
    return 0.0;
  return scene->params[nl_network_weight_offset (arch, layer)
                       + (gsize) out * layer_inputs (arch, layer) + in];
}

/* One link drawn again on top with a halo, for the hovered or selected one. */
static void
draw_link_emphasis (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
                    const NlRenderStyle *style, const LinkScale *ls, guint layer, guint out,
                    guint in, gboolean halo)
{
  const NlNetworkNode *a = source_node (layout, layer, in);
  const NlNetworkNode *b = nl_network_layout_get_neuron (layout, layer, out);
  double w = scene_weight (scene, layer, out, in);
  double width = MAX (level_width (ls, weight_level (ls, w)), 1.5);

  const NlRgba *color = scene->params == NULL ? &style->muted
                       : w >= 0 ? &style->positive : &style->negative;
  NlRaster raster;
  NlRaster *r;

  if (a == NULL || b == NULL)
    return;
  r = nl_raster_begin (&raster, cr) ? &raster : NULL;
  cairo_save (cr);
  if (halo)
    {
      link_shape (cr, r, layout, a, b, &style->highlight, width + 4);
      if (r == NULL)
        {
          nl_render_set_source (cr, &style->highlight);
          cairo_set_line_width (cr, width + 4);
          cairo_stroke (cr);
        }
    }
  link_shape (cr, r, layout, a, b, color, width);
  if (r == NULL)
    {
      nl_render_set_source (cr, color);
      cairo_set_line_width (cr, width);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
  if (r != NULL)
    nl_raster_end (r);
}

/* A hovered neuron: its incoming and outgoing links come forward at full strength. */
static void
draw_neuron_links (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
                   const NlRenderStyle *style, const LinkScale *ls, guint layer, guint unit)
{
  const NnArchitecture *arch = scene->arch;

  for (guint in = 0; in < layer_inputs (arch, layer); in++)
    draw_link_emphasis (cr, layout, scene, style, ls, layer, unit, in, FALSE);
  if (layer < arch->n_hidden)
    for (guint out = 0; out < layer_units (arch, layer + 1); out++)
      draw_link_emphasis (cr, layout, scene, style, ls, layer + 1, out, unit, FALSE);
}

/* ---------------------------------------------------------------------------------------
 * Nodes
 */

static void
frame_rect (cairo_t *cr, const NlRect *r, const NlRgba *color, double width)
{
  double x = nl_snap (r->x, width), y = nl_snap (r->y, width);
  double x2 = nl_snap (r->x + r->width, width), y2 = nl_snap (r->y + r->height, width);

  nl_render_set_source (cr, color);
  cairo_set_line_width (cr, width);
  cairo_rectangle (cr, x, y, x2 - x, y2 - y);
  cairo_stroke (cr);
}

static void
draw_node (cairo_t *cr, const NlNetworkNode *node, cairo_surface_t *thumb,
           const NlRenderStyle *style, gboolean dim)
{
  const NlRect *r = &node->rect;

  if (node->shape == NL_NODE_CIRCLE || thumb == NULL)
    {
      double radius = r->width / 2;

      cairo_arc (cr, r->x + radius, r->y + radius, MAX (radius - 0.5, 0.5), 0, 2 * G_PI);
      nl_render_set_source (cr, &style->surface);
      cairo_fill_preserve (cr);
      nl_render_set_source (cr, dim ? &style->grid : &style->muted);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      return;
    }
  nl_render_paint_surface_in_rect (cr, thumb, r->x, r->y, r->width, r->height, TRUE);
  if (dim)
    {
      /* An unused feature: its picture stays recognisable but clearly switched off. */
      NlRgba veil = nl_rgba_with_alpha (&style->background, 0.72);
      nl_render_set_source (cr, &veil);
      cairo_rectangle (cr, r->x, r->y, r->width, r->height);
      cairo_fill (cr);
    }
  frame_rect (cr, r, dim ? &style->grid : &style->muted, 1.0);
}

static void
draw_highlight_ring (cairo_t *cr, const NlNetworkNode *node, const NlRenderStyle *style)
{
  NlRect r = { node->rect.x - 3, node->rect.y - 3, node->rect.width + 6,
               node->rect.height + 6 };

  if (node->shape == NL_NODE_CIRCLE)
    {
      nl_render_set_source (cr, &style->highlight);
      cairo_set_line_width (cr, 2.0);
      cairo_arc (cr, r.x + r.width / 2, r.y + r.height / 2, r.width / 2, 0, 2 * G_PI);
      cairo_stroke (cr);
      return;
    }
  frame_rect (cr, &r, &style->highlight, 2.0);
}

static void
draw_feature_column (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
                     const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlNetworkColumn *col = &layout->columns[0];

  for (guint i = 0; i < col->n_nodes; i++)
    {
      const NlNetworkNode *node = &layout->nodes[col->first_node + i];
      double cy = node->rect.y + node->rect.height / 2;

      draw_node (cr, node, cache->features[node->feature], style, !node->active);
      nl_text_draw (cr, cache, style, feature_labels[node->feature], 1.0,
                    node->active ? NL_TEXT_BOLD : NL_TEXT_REGULAR,
                    node->active ? &style->foreground : &style->muted,
                    node->rect.x - 7, cy, 1.0, 0.5);
    }
}

static void
draw_output_labels (cairo_t *cr, const NlNetworkLayout *layout, const NlRenderStyle *style,
                    NlRenderCache *cache)
{
  const NlNetworkColumn *col = &layout->columns[layout->n_columns - 1];

  if (col->n_nodes < 2)
    return;
  for (guint i = 0; i < col->n_nodes; i++)
    {
      const NlNetworkNode *node = &layout->nodes[col->first_node + i];
      double x = node->rect.x + node->rect.width + 7, cy = node->rect.y + node->rect.height / 2;
      NlRgba swatch = nl_render_style_class_color (style, i);
      g_autofree char *label = g_strdup_printf (_("Class %u"), i);

      nl_render_set_source (cr, &swatch);
      cairo_arc (cr, x + 5, cy, 5, 0, 2 * G_PI);
      cairo_fill (cr);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->foreground,
                    x + 14, cy, 0.0, 0.5);
    }
}

static void
draw_neurons (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
              const NlRenderStyle *style, NlRenderCache *cache)
{
  gboolean grids = scene->neuron_grids != NULL && scene->grid_res > 0;
  guint index = 0;

  for (guint c = 1; c < layout->n_columns; c++)
    {
      const NlNetworkColumn *col = &layout->columns[c];

      for (guint i = 0; i < col->n_nodes; i++, index++)
        {
          const NlNetworkNode *node = &layout->nodes[col->first_node + i];
          cairo_surface_t *thumb = grids && node->shape == NL_NODE_THUMBNAIL
                                     ? cache->thumbs[index] : NULL;

          draw_node (cr, node, thumb, style, FALSE);
        }
    }
}

/* Each neuron's bias as a small square at its lower left corner, coloured as a link of
 * that weight would be: orange below zero, blue above, stronger as |b| nears the largest
 * |w| (a bias is the weight of an input that is always 1). */
static void
draw_biases (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
             const NlRenderStyle *style, const LinkScale *ls)
{
  const NnArchitecture *arch = scene->arch;

  if (scene->params == NULL)
    return;
  for (guint layer = 0; layer <= arch->n_hidden; layer++)
    {
      gsize offset = nl_network_weight_offset (arch, layer)
                     + (gsize) layer_units (arch, layer) * layer_inputs (arch, layer);

      for (guint u = 0; u < layer_units (arch, layer); u++)
        {
          const NlNetworkNode *node = nl_network_layout_get_neuron (layout, layer, u);
          double b = scene->params[offset + u];
          NlRgba color;

          if (node == NULL || node->bias.width <= 0)
            continue;
          color = nl_render_style_diverging (style, isfinite (b) ? b / ls->max_abs : 0.0);
          nl_render_set_source (cr, &color);
          if (node->shape == NL_NODE_CIRCLE)
            {
              double radius = node->rect.width / 2;

              cairo_arc (cr, node->rect.x + radius, node->rect.y + radius,
                         MAX (radius - 0.5, 0.5), 0, 2 * G_PI);
              cairo_fill_preserve (cr);
              nl_render_set_source (cr, &style->muted);
              cairo_set_line_width (cr, 1.0);
              cairo_stroke (cr);
              continue;
            }
          cairo_rectangle (cr, node->bias.x, node->bias.y, node->bias.width, node->bias.height);
          cairo_fill (cr);
          frame_rect (cr, &node->bias, &style->foreground, 1.0);
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * Captions and legend
 */

static const char *
activation_short_label (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:   return C_("short for identity", "id");
    case NN_ACTIVATION_LEAKY_RELU: return C_("short for Leaky ReLU", "LReLU");
    case NN_ACTIVATION_SIGMOID:    return "σ";
    case NN_ACTIVATION_SOFTMAX:    return C_("short for softmax", "smax");
    case NN_ACTIVATION_RELU:
    case NN_ACTIVATION_TANH:
    case NN_N_ACTIVATIONS:
    default:                       return activation_label (a);
    }
}

/* Draws the first of the options that fits `width` (the last one, ellipsized, if none
 * does): narrow columns get "H3" and "8" where wide ones say "Hidden layer 3", "8 neurons". */
static void
draw_first_fitting (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                    const char *const *options, guint n, double size, NlTextFlags flags,
                    const NlRgba *color, double x, double y, double width)
{
  guint i = 0;

  for (; i + 1 < n; i++)
    {
      double w;

      nl_text_measure (cr, cache, style, options[i], size, flags, &w, NULL);
      if (w <= width)
        break;
    }
  nl_text_draw_fit (cr, cache, style, options[i], size, flags, color, x, y, 0.5, 0.0, width);
}

static void
draw_caption (cairo_t *cr, const NlNetworkLayout *layout, const NnArchitecture *arch, guint c,
              const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlNetworkColumn *col = &layout->columns[c];
  double line = ceil (nl_text_px (style, 1.0) * 1.3), x = col->x_center, y = col->caption.y;
  double w = MAX (col->width - 4, 10);
  gboolean output = c == layout->n_columns - 1;
  guint n = c == 0 ? (guint) __builtin_popcount (layout->features) : layer_units (arch, c - 1);
  g_autofree char *t_long = NULL, *t_mid = NULL, *t_short = NULL, *n_long = NULL;
  g_autofree char *n_short = g_strdup_printf ("%u", n);
  const char *titles[3], *counts[2], *details[2] = { "", "" };

  if (c == 0)
    {
      titles[0] = _("Input"), titles[1] = titles[2] = C_("short for input", "In");
      n_long = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature", "%u features", n),
                                n);
    }
  else
    {
      NnActivation a = layer_activation (arch, c - 1);

      t_long = g_strdup_printf (_("Hidden layer %u"), c);
      t_mid = g_strdup_printf (_("Hidden %u"), c);
      t_short = g_strdup_printf (C_("short for hidden layer", "H%u"), c);
      titles[0] = output ? _("Output") : t_long;
      titles[1] = output ? _("Output") : t_mid;
      titles[2] = output ? C_("short for output", "Out") : t_short;
      n_long = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u neuron", "%u neurons", n), n);
      details[0] = activation_label (a), details[1] = activation_short_label (a);
    }
  counts[0] = n_long, counts[1] = n_short;
  draw_first_fitting (cr, cache, style, titles, 3, 1.0, NL_TEXT_BOLD, &style->foreground, x,
                      y, w);
  draw_first_fitting (cr, cache, style, counts, 2, 0.92, NL_TEXT_REGULAR, &style->muted, x,
                      y + line, w);
  draw_first_fitting (cr, cache, style, details, 2, 0.92, NL_TEXT_REGULAR, &style->muted, x,
                      y + 2 * line, w);
}

/* The labels under a key: `lo` at its left end, `hi` at its right end and `mid` in the
 * middle when there is room for all three (each end label gets at most half the key). */
static void
draw_key_labels (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache,
                 const char *lo, const char *mid, const char *hi, double x, double y,
                 double width)
{
  double lo_w, mid_w, hi_w;

  nl_text_measure (cr, cache, style, lo, 0.85, NL_TEXT_REGULAR, &lo_w, NULL);
  nl_text_measure (cr, cache, style, hi, 0.85, NL_TEXT_REGULAR, &hi_w, NULL);
  nl_text_draw_fit (cr, cache, style, lo, 0.85, NL_TEXT_REGULAR, &style->muted, x, y, 0.0,
                    0.0, width / 2 - 2);
  nl_text_draw_fit (cr, cache, style, hi, 0.85, NL_TEXT_REGULAR, &style->muted, x + width, y,
                    1.0, 0.0, width / 2 - 2);
  if (mid == NULL)
    return;
  nl_text_measure (cr, cache, style, mid, 0.85, NL_TEXT_REGULAR, &mid_w, NULL);
  if (MAX (lo_w, hi_w) + mid_w / 2 + 6 <= width / 2)
    nl_text_draw (cr, cache, style, mid, 0.85, NL_TEXT_REGULAR, &style->muted, x + width / 2,
                  y, 0.5, 0.0);
}

/* A bow tie `width` wide: orange wedge for negative weights, blue for positive, as thick at
 * the ends as the strongest link and as thin in the middle as the weakest. */
static void
draw_weight_key (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache,
                 const LinkScale *ls, double x, double y, double px, double width)
{
  const double half = width / 2, h = MAX (ls->max_width, 4), cy = y + px * 1.35 + h / 2 + 2;
  char lo[32], hi[32];

  nl_text_draw_fit (cr, cache, style, _("Weight"), 0.92, NL_TEXT_BOLD, &style->foreground,
                    x + half, y, 0.5, 0.0, width);
  cairo_move_to (cr, x, cy - h / 2);
  cairo_line_to (cr, x + half, cy - MIN_LINK_WIDTH / 2);
  cairo_line_to (cr, x + half, cy + MIN_LINK_WIDTH / 2);
  cairo_line_to (cr, x, cy + h / 2);
  cairo_close_path (cr);
  nl_render_set_source (cr, &style->negative);
  cairo_fill (cr);
  cairo_move_to (cr, x + 2 * half, cy - h / 2);
  cairo_line_to (cr, x + half, cy - MIN_LINK_WIDTH / 2);
  cairo_line_to (cr, x + half, cy + MIN_LINK_WIDTH / 2);
  cairo_line_to (cr, x + 2 * half, cy + h / 2);
  cairo_close_path (cr);
  nl_render_set_source (cr, &style->positive);
  cairo_fill (cr);

  g_snprintf (lo, sizeof lo, "−%.2g", ls->max_abs);
  g_snprintf (hi, sizeof hi, "+%.2g", ls->max_abs);
  draw_key_labels (cr, style, cache, lo, "0", hi, x, cy + h / 2 + 3, width);
}

static cairo_surface_t *
lut_strip_new (const guint32 *lut)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, NL_RENDER_LUT_SIZE, 1);

  cairo_surface_flush (s);
  memcpy (cairo_image_surface_get_data (s), lut, NL_RENDER_LUT_SIZE * sizeof (guint32));
  cairo_surface_mark_dirty (s);
  return s;
}

static void
draw_output_key (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache, double x,
                 double y, double px, double width)
{
  const double h = 10, by = y + px * 1.35 + 3;
  cairo_surface_t *strip = lut_strip_new (style->diverging_lut);
  NlRect bar = { x, by, width, h };

  nl_text_draw_fit (cr, cache, style, _("Neuron output"), 0.92, NL_TEXT_BOLD,
                    &style->foreground, x + width / 2, y, 0.5, 0.0, width);
  nl_render_paint_surface_in_rect (cr, strip, bar.x, bar.y, bar.width, bar.height, TRUE);
  cairo_surface_destroy (strip);
  frame_rect (cr, &bar, &style->grid, 1.0);
  draw_key_labels (cr, style, cache, _("low"), NULL, _("high"), x, by + h + 3, width);
}

/* The two keys side by side, each at most KEY_WIDTH and narrower when the view is, so
 * that both fit whole from a 280-pixel view up. */
#define KEY_WIDTH 140.0

static void
draw_legend (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache, const LinkScale *ls)
{
  const NlRect *r = &layout->legend;
  gboolean weights = scene->params != NULL, outputs = scene->neuron_grids != NULL;
  guint n = (weights ? 1 : 0) + (outputs ? 1 : 0);
  double px = nl_text_px (style, 0.92), gap = CLAMP (r->width * 0.12, 16, 48), key, x;

  if (r->height <= 0 || n == 0)
    return;
  key = floor (MIN (KEY_WIDTH, (r->width - (n - 1) * gap) / n));
  x = round (r->x + (r->width - n * key - (n - 1) * gap) / 2);
  if (weights)
    {
      draw_weight_key (cr, style, cache, ls, x, r->y, px, key);
      x += key + gap;
    }
  if (outputs)
    draw_output_key (cr, style, cache, x, r->y, px, key);
}

/* ---------------------------------------------------------------------------------------
 * The whole diagram
 */

static void
draw_highlight (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
                const NlRenderStyle *style, const LinkScale *ls)
{
  const NlNetworkHit *h = &scene->highlight;
  const NlNetworkNode *node = NULL;

  switch (h->kind)
    {
    case NL_NETWORK_HIT_LINK:
      draw_link_emphasis (cr, layout, scene, style, ls, h->layer, h->unit, h->input, TRUE);
      return;
    case NL_NETWORK_HIT_NEURON:
      node = nl_network_layout_get_neuron (layout, h->layer, h->unit);
      break;
    case NL_NETWORK_HIT_BIAS:
      node = nl_network_layout_get_neuron (layout, h->layer, h->unit);
      if (node != NULL && node->shape == NL_NODE_CIRCLE)
        break;
      if (node != NULL)
        {
          NlRect r = { node->bias.x - 2, node->bias.y - 2, node->bias.width + 4,
                       node->bias.height + 4 };

          frame_rect (cr, &r, &style->highlight, 2.0);
        }
      return;
    case NL_NETWORK_HIT_FEATURE:
      node = nl_network_layout_get_feature (layout, h->feature);
      break;
    case NL_NETWORK_HIT_NONE:
    default:
      return;
    }
  if (node != NULL)
    draw_highlight_ring (cr, node, style);
}

/* Activations may differ (they only change captions and colour ranges, both taken from
 * the scene); the shape must not. */
static gboolean
scene_matches_layout (const NlNetworkLayout *layout, const NlNetworkScene *scene)
{
  const NnArchitecture *a = &layout->arch, *b = scene->arch;

  if (b == NULL || a->n_inputs != b->n_inputs || a->n_hidden != b->n_hidden
      || a->n_outputs != b->n_outputs || (scene->features & NN_FEATURES_ALL) != layout->features)
    return FALSE;
  for (guint l = 0; l < a->n_hidden; l++)
    if (a->units[l] != b->units[l])
      return FALSE;
  return TRUE;
}

void
nl_render_network (cairo_t *cr, const NlNetworkLayout *layout, const NlNetworkScene *scene,
                   const NlRenderStyle *style, NlRenderCache *given_cache)
{
  NlRenderCache *cache;
  LinkScale ls;
  double scale;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);
  g_return_if_fail (scene_matches_layout (layout, scene));

  cache = nl_render_cache_acquire (given_cache);
  nl_render_set_source (cr, &style->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);

  scale = nl_raster_pixel_scale (cr);
  build_feature_thumbs (cache, layout,
                        scene->feature_res ? scene->feature_res : DEFAULT_FEATURE_RES, scale,
                        style);
  if (scene->neuron_grids != NULL && scene->grid_res > 0)
    build_neuron_thumbs (cache, layout, scene, scale, style);

  ls = link_scale (layout, scene, style);
  for (guint c = 0; c < layout->n_columns; c++)
    draw_caption (cr, layout, scene->arch, c, style, cache);
  draw_links (cr, layout, scene, style, &ls);
  if (scene->highlight.kind == NL_NETWORK_HIT_NEURON
      || scene->highlight.kind == NL_NETWORK_HIT_BIAS)
    draw_neuron_links (cr, layout, scene, style, &ls, scene->highlight.layer,
                       scene->highlight.unit);
  draw_feature_column (cr, layout, scene, style, cache);
  draw_neurons (cr, layout, scene, style, cache);
  draw_biases (cr, layout, scene, style, &ls);
  draw_output_labels (cr, layout, style, cache);
  draw_highlight (cr, layout, scene, style, &ls);
  draw_legend (cr, layout, scene, style, cache, &ls);
  nl_render_cache_release (given_cache, cache);
}
