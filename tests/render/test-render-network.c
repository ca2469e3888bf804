/* test-render-network.c: the network diagram's layout, hit-testing and pixels. */
#include "render-test-utils.h"

#include <math.h>

#define W 700
#define H 500

/* x1, x2 → one tanh neuron → one tanh output: two links that never cross. */
static void
tiny_arch (NnArchitecture *arch)
{
  *arch = (NnArchitecture) { 0 };
  arch->n_inputs = 2;
  arch->n_hidden = 1;
  arch->units[0] = 1;
  arch->activation[0] = NN_ACTIVATION_TANH;
  arch->n_outputs = 1;
  arch->output_activation = NN_ACTIVATION_TANH;
}

typedef struct
{
  NnArchitecture   arch;
  NlNetworkLayout *layout;
  NlNetworkScene   scene;
  double           params[7]; /* W0 [1][2], b0 [1], W1 [1][1], b1 [1] */
} Tiny;

static void
tiny_init (Tiny *t, double w_in0, double w_in1, double w_out, const NlRenderStyle *style)
{
  NlNetworkScene init = NL_NETWORK_SCENE_INIT;

  tiny_arch (&t->arch);
  t->params[0] = w_in0, t->params[1] = w_in1, t->params[2] = 0.1;
  t->params[3] = w_out, t->params[4] = 0.0;
  t->layout = nl_network_layout_new ();
  nl_network_layout_compute (t->layout, &t->arch, NN_FEATURE_X1 | NN_FEATURE_X2,
                             NL_NETWORK_LAYOUT_DEFAULT, W, H, style);
  t->scene = init;
  t->scene.arch = &t->arch;
  t->scene.features = NN_FEATURE_X1 | NN_FEATURE_X2;
  t->scene.params = t->params;
}

static cairo_surface_t *
tiny_render (Tiny *t, const NlRenderStyle *style)
{
  cairo_t *cr;
  cairo_surface_t *s = test_surface_new (W, H, &cr);

  nl_render_network (cr, t->layout, &t->scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

/* How many pixels of a vertical cut through (x, y) differ from the background. */
static int
stroke_thickness (cairo_surface_t *s, double x, double y, const NlRgba *background)
{
  int n = 0;

  for (int dy = -15; dy <= 15; dy++)
    {
      NlRgba p = test_pixel (s, x, y + dy);
      if (!test_color_near (&p, background, 0.06))
        n++;
    }
  return n;
}

static void
test_link_colours (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Tiny t;
  cairo_surface_t *s;
  double x, y;

  tiny_init (&t, 2.0, -2.0, 0.3, style);
  s = tiny_render (&t, style);
  g_assert_true (nl_network_layout_link_point (t.layout, 0, 0, 0, 0.5, &x, &y));
  test_assert_color (s, x, y, &style->positive, 0.02, "positive link");
  g_assert_true (nl_network_layout_link_point (t.layout, 0, 0, 1, 0.5, &x, &y));
  test_assert_color (s, x, y, &style->negative, 0.02, "negative link");
  test_write_png (s, "network-tiny");
  cairo_surface_destroy (s);
  nl_network_layout_free (t.layout);
}

/* The output link at |w| = max is thicker than the same link at a fifth of it. */
static void
test_link_width (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Tiny weak, strong;
  cairo_surface_t *a, *b;
  double x, y;
  int thin, thick;

  tiny_init (&weak, 2.0, -2.0, 0.4, style);
  tiny_init (&strong, 2.0, -2.0, 2.0, style);
  a = tiny_render (&weak, style);
  b = tiny_render (&strong, style);
  g_assert_true (nl_network_layout_link_point (weak.layout, 1, 0, 0, 0.5, &x, &y));
  thin = stroke_thickness (a, x, y, &style->background);
  thick = stroke_thickness (b, x, y, &style->background);
  g_test_message ("thin %d px, thick %d px", thin, thick);
  g_assert_cmpint (thin, >=, 1);
  g_assert_cmpint (thick, >, thin);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  nl_network_layout_free (weak.layout);
  nl_network_layout_free (strong.layout);
}

static void
test_hit_test (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Tiny t;
  NlNetworkHit hit;
  const NlNetworkNode *node;
  double x, y;

  tiny_init (&t, 1.0, -1.0, 0.5, style);
  g_assert_true (nl_network_layout_link_point (t.layout, 0, 0, 1, 0.4, &x, &y));
  g_assert_true (nl_network_hit_test (t.layout, x, y + 1, &hit));
  g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_LINK);
  g_assert_cmpuint (hit.layer, ==, 0);
  g_assert_cmpuint (hit.unit, ==, 0);
  g_assert_cmpuint (hit.input, ==, 1);
  g_assert_cmpuint (hit.feature, ==, 1);

  node = nl_network_layout_get_neuron (t.layout, 1, 0);
  g_assert_nonnull (node);
  g_assert_true (nl_network_hit_test (t.layout, node->rect.x + node->rect.width / 2,
                                      node->rect.y + node->rect.height / 2, &hit));
  g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_NEURON);
  g_assert_cmpuint (hit.layer, ==, 1);
  g_assert_cmpuint (hit.unit, ==, 0);

  /* All seven features are shown; an unused one can be clicked to switch it on. */
  node = nl_network_layout_get_feature (t.layout, 5);
  g_assert_nonnull (node);
  g_assert_false (node->active);
  g_assert_true (nl_network_hit_test (t.layout, node->rect.x + 2, node->rect.y + 2, &hit));
  g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_FEATURE);
  g_assert_cmpuint (hit.feature, ==, 5);

  g_assert_false (nl_network_hit_test (t.layout, 2, 2, &hit));
  g_assert_cmpint (hit.kind, ==, NL_NETWORK_HIT_NONE);
  nl_network_layout_free (t.layout);
}

static gboolean
rects_overlap (const NlRect *a, const NlRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height
         && b->y < a->y + a->height;
}

/* 10 × 64 still fits: every node inside the area, none overlapping in its column, and
 * the columns in order with room for the app's controls above them. */
static void
test_layout_big (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  NnArchitecture arch = { 0 };

  arch.n_inputs = 7;
  arch.n_hidden = NN_MAX_HIDDEN_LAYERS;
  for (guint l = 0; l < arch.n_hidden; l++)
    arch.units[l] = NN_MAX_UNITS, arch.activation[l] = NN_ACTIVATION_RELU;
  arch.n_outputs = 8;
  arch.output_activation = NN_ACTIVATION_SOFTMAX;
  nl_network_layout_compute (layout, &arch, NN_FEATURES_ALL, NL_NETWORK_LAYOUT_DEFAULT, W, H,
                             style);
  g_assert_cmpuint (layout->n_columns, ==, 12);
  g_assert_cmpuint (layout->n_nodes, ==, 7 + 640 + 8);
  for (guint c = 0; c < layout->n_columns; c++)
    {
      const NlNetworkColumn *col = &layout->columns[c];
      g_assert_cmpfloat (col->controls.height, >=, 30);
      g_assert_cmpfloat (col->caption.y, >=, col->controls.y + col->controls.height);
      if (c > 0)
        g_assert_cmpfloat (col->x_center, >, layout->columns[c - 1].x_center);
      for (guint i = 0; i < col->n_nodes; i++)
        {
          const NlRect *r = &layout->nodes[col->first_node + i].rect;
          g_assert_cmpfloat (r->x, >=, 0);
          g_assert_cmpfloat (r->y, >=, col->nodes_top - 0.5);
          g_assert_cmpfloat (r->x + r->width, <=, W);
          g_assert_cmpfloat (r->y + r->height, <=, layout->legend.y);
          if (i > 0)
            g_assert_false (rects_overlap (r, &layout->nodes[col->first_node + i - 1].rect));
        }
    }
  g_assert_cmpint (layout->nodes[layout->columns[1].first_node].shape, ==, NL_NODE_CIRCLE);
}

static void
typical_arch (NnArchitecture *arch)
{
  *arch = (NnArchitecture) { 0 };
  arch->n_inputs = 4;
  arch->n_hidden = 6;
  for (guint l = 0; l < 6; l++)
    arch->units[l] = 8, arch->activation[l] = NN_ACTIVATION_TANH;
  arch->activation[5] = NN_ACTIVATION_RELU;
  arch->n_outputs = 1;
  arch->output_activation = NN_ACTIVATION_TANH;
}

static void
render_typical (NlRenderTheme theme, const char *png, NlNetworkLayoutFlags flags,
                gboolean hover_neuron)
{
  const NlRenderStyle *style = nl_render_style_get_default (theme);
  const guint features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_X1_SQ | NN_FEATURE_X2_SQ;
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;
  NnArchitecture arch;
  g_autofree double *params = NULL, *grids = NULL;
  cairo_surface_t *s;
  cairo_t *cr;
  NlRgba corner;
  const NlNetworkNode *node;

  typical_arch (&arch);
  params = test_random_params (&arch, 42, 1.2);
  grids = test_eval_grids (&arch, features, params, 40);
  nl_network_layout_compute (layout, &arch, features, flags, W, H, style);
  scene.arch = &arch;
  scene.features = features;
  scene.params = params;
  scene.neuron_grids = grids;
  scene.grid_res = 40;
  scene.serial = 1;
  if (hover_neuron)
    scene.highlight = (NlNetworkHit) { NL_NETWORK_HIT_NEURON, 2, 3, 0, 0 };
  else
    scene.highlight = (NlNetworkHit) { NL_NETWORK_HIT_LINK, 1, 2, 5, 0 };
  s = test_surface_new (W, H, &cr);
  nl_render_network (cr, layout, &scene, style, NULL);
  cairo_destroy (cr);

  /* Thumbnails, not circles, at the typical size; and the theme's background. */
  node = nl_network_layout_get_neuron (layout, 0, 0);
  g_assert_cmpint (node->shape, ==, NL_NODE_THUMBNAIL);
  g_assert_cmpfloat (node->rect.width, >=, 24);
  corner = test_pixel (s, 1, H - 2);
  test_assert_color (s, 1, H - 2, &style->background, 0.01, "background");
  if (theme == NL_RENDER_THEME_DARK)
    g_assert_cmpfloat (test_luminance (&corner), <, 0.2);
  test_write_png (s, png);
  cairo_surface_destroy (s);
}

static void
test_render_light (void)
{
  render_typical (NL_RENDER_THEME_LIGHT, "network-light", NL_NETWORK_LAYOUT_DEFAULT, FALSE);
}

static void
test_render_dark (void)
{
  render_typical (NL_RENDER_THEME_DARK, "network-dark", NL_NETWORK_LAYOUT_NO_CONTROLS, TRUE);
}

/* A neuron whose output is +1 above the x1 axis and −1 below shows the positive colour in
 * its upper half and the negative in its lower half. */
static void
test_thumbnail_orientation (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Tiny t;
  const guint res = 16;
  double grids[2 * 16 * 16];
  cairo_surface_t *s;
  const NlNetworkNode *node;
  NlRgba top, bottom;

  tiny_init (&t, 1.0, -1.0, 0.5, style);
  for (guint u = 0; u < 2; u++)
    for (guint i = 0; i < res * res; i++)
      grids[u * res * res + i] = i / res < res / 2 ? 1.0 : -1.0;
  t.scene.neuron_grids = grids;
  t.scene.grid_res = res;
  s = tiny_render (&t, style);
  node = nl_network_layout_get_neuron (t.layout, 0, 0);
  top = nl_render_style_diverging (style, 1.0);
  bottom = nl_render_style_diverging (style, -1.0);
  test_assert_color (s, node->rect.x + node->rect.width / 2, node->rect.y + 4, &top, 0.02,
                     "upper half");
  test_assert_color (s, node->rect.x + node->rect.width / 2,
                     node->rect.y + node->rect.height - 4, &bottom, 0.02, "lower half");
  cairo_surface_destroy (s);
  nl_network_layout_free (t.layout);
}

/* No weights and no grids yet (a project just opened): draws, without crashing. */
static void
test_render_empty (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Tiny t;
  cairo_surface_t *s;

  tiny_init (&t, 0, 0, 0, style);
  t.scene.params = NULL;
  s = tiny_render (&t, style);
  cairo_surface_destroy (s);
  /* Each tiny_init makes a layout of its own. */
  nl_network_layout_free (t.layout);

  /* All-zero weights: no division by zero in the width scale. */
  tiny_init (&t, 0, 0, 0, style);
  s = tiny_render (&t, style);
  cairo_surface_destroy (s);
  nl_network_layout_free (t.layout);
}

static void
test_render_big (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;
  NnArchitecture arch = { 0 };
  g_autofree double *params = NULL;
  cairo_surface_t *s;
  cairo_t *cr;

  arch.n_inputs = 7;
  arch.n_hidden = NN_MAX_HIDDEN_LAYERS;
  for (guint l = 0; l < arch.n_hidden; l++)
    arch.units[l] = l % 2 ? 64 : 16, arch.activation[l] = NN_ACTIVATION_RELU;
  arch.n_outputs = 3;
  arch.output_activation = NN_ACTIVATION_SOFTMAX;
  params = test_random_params (&arch, 3, 1.0);
  nl_network_layout_compute (layout, &arch, NN_FEATURES_ALL, NL_NETWORK_LAYOUT_DEFAULT, W, H,
                             style);
  scene.arch = &arch;
  scene.features = NN_FEATURES_ALL;
  scene.params = params;
  s = test_surface_new (W, H, &cr);
  nl_render_network (cr, layout, &scene, style, NULL);
  cairo_destroy (cr);
  test_write_png (s, "network-big");
  cairo_surface_destroy (s);
}

/* No hidden layer (a linear model), a mask with fewer features than inputs, and areas far
 * too small: all draw (or draw nothing) without crashing or writing outside the surface. */
static void
test_degenerate (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  const double sizes[][2] = { { 700, 500 }, { 60, 40 }, { 1, 1 }, { 0, 0 } };
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  NnArchitecture arch = { 0 };
  double params[3 * 3 + 3] = { 1, -1, 0.5, 0.2, 0.3, -0.4, 0.1, 0.1, 0.1, 0, 0, 0 };
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;

  arch.n_inputs = 3;
  arch.n_outputs = 3;
  arch.output_activation = NN_ACTIVATION_SOFTMAX;
  scene.arch = &arch;
  scene.params = params;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint mask = 0; mask < 2; mask++)
      {
        cairo_surface_t *s;
        cairo_t *cr;

        scene.features = mask ? NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X1
                              : NN_FEATURE_X1; /* one feature for three inputs */
        nl_network_layout_compute (layout, &arch, scene.features, NL_NETWORK_LAYOUT_DEFAULT,
                                   sizes[i][0], sizes[i][1], style);
        g_assert_cmpuint (layout->n_columns, ==, 2);
        s = test_surface_new (MAX (sizes[i][0], 1), MAX (sizes[i][1], 1), &cr);
        nl_render_network (cr, layout, &scene, style, NULL);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        if (i == 0 && mask)
          test_write_png (s, "network-linear");
        cairo_destroy (cr);
        cairo_surface_destroy (s);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/network/link-colours", test_link_colours);
  g_test_add_func ("/render/network/link-width", test_link_width);
  g_test_add_func ("/render/network/hit-test", test_hit_test);
  g_test_add_func ("/render/network/layout-big", test_layout_big);
  g_test_add_func ("/render/network/thumbnail-orientation", test_thumbnail_orientation);
  g_test_add_func ("/render/network/empty", test_render_empty);
  g_test_add_func ("/render/network/light", test_render_light);
  g_test_add_func ("/render/network/dark", test_render_dark);
  g_test_add_func ("/render/network/big", test_render_big);
  g_test_add_func ("/render/network/degenerate", test_degenerate);

  return g_test_run ();
}
