/* test-render-main-view.c: the composed main view, and every view on the targets exports
 * use (SVG, PDF) and on a HiDPI (device scale 2) image. */
#include "render-test-utils.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#define W 1280
#define H 800

typedef struct
{
  NnArchitecture  arch;
  guint           features;
  double         *params;
  double         *grids;
  double         *output;
  NnPoint        *train;
  NnPoint        *test;
  NnEpochStats   *history;
  NlNetworkScene  network;
  NlBoundaryScene boundary;
  NlLossScene     loss;
} Fixture;

static void
fixture_init (Fixture *f)
{
  const guint res = 32, out_res = 100;
  NlNetworkScene init = NL_NETWORK_SCENE_INIT;
  guint units;

  f->arch = (NnArchitecture) { 0 };
  f->arch.n_inputs = 3;
  f->arch.n_hidden = 3;
  for (guint l = 0; l < 3; l++)
    f->arch.units[l] = 6, f->arch.activation[l] = NN_ACTIVATION_TANH;
  f->arch.activation[1] = NN_ACTIVATION_RELU;
  f->arch.n_outputs = 1;
  f->arch.output_activation = NN_ACTIVATION_TANH;
  f->features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_X1_X2;
  f->params = test_random_params (&f->arch, 11, 1.5);
  f->grids = test_eval_grids (&f->arch, f->features, f->params, res);
  units = test_total_units (&f->arch);
  {
    g_autofree double *all = test_eval_grids (&f->arch, f->features, f->params, out_res);
    f->output = g_memdup2 (all + (gsize) (units - 1) * out_res * out_res,
                           sizeof (double) * out_res * out_res);
  }
  f->train = test_circle_points (200, 3);
  f->test = test_circle_points (100, 4);
  f->history = test_history (600, 0.9, 0.08, TRUE);

  f->network = init;
  f->network.arch = &f->arch;
  f->network.features = f->features;
  f->network.params = f->params;
  f->network.neuron_grids = f->grids;
  f->network.grid_res = res;
  f->network.highlight = (NlNetworkHit) { NL_NETWORK_HIT_NEURON, 1, 2, 0, 0 };
  nl_boundary_scene_init (&f->boundary);
  f->boundary.problem = NN_PROBLEM_CLASSIFICATION;
  f->boundary.n_classes = 2;
  f->boundary.res = out_res;
  f->boundary.values = f->output;
  f->boundary.value_lo = -1, f->boundary.value_hi = 1;
  f->boundary.train = f->train, f->boundary.n_train = 200;
  f->boundary.test = f->test, f->boundary.n_test = 100;
  nl_loss_scene_init (&f->loss);
  f->loss.history = f->history, f->loss.n_history = 600;
  f->loss.classification = TRUE;
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->params);
  g_free (f->grids);
  g_free (f->output);
  g_free (f->train);
  g_free (f->test);
  g_free (f->history);
}

/* How many pixels of a rectangle are not the background: each view drew something. */
static guint
ink (cairo_surface_t *s, const NlRect *r, const NlRgba *background)
{
  guint n = 0;

  for (double y = r->y + 2; y < r->y + r->height - 2; y += 4)
    for (double x = r->x + 2; x < r->x + r->width - 2; x += 4)
      {
        NlRgba p = test_pixel (s, x, y);
        n += !test_color_near (&p, background, 0.05);
      }
  return n;
}

static void
render_main (NlRenderTheme theme, const char *png)
{
  const NlRenderStyle *style = nl_render_style_get_default (theme);
  g_autoptr (NlRenderCache) cache = nl_render_cache_new ();
  NlMainViewRects rects;
  Fixture f;
  cairo_surface_t *s;
  cairo_t *cr;

  fixture_init (&f);
  s = test_surface_new (W, H, &cr);
  nl_render_main_view (cr, &f.network, &f.boundary, &f.loss, style, cache, W, H);
  /* Twice through one cache: the second frame reuses what the first built. */
  nl_render_main_view (cr, &f.network, &f.boundary, &f.loss, style, cache, W, H);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  nl_render_main_view_rects (W, H, &rects);
  g_assert_cmpuint (ink (s, &rects.network, &style->background), >, 500);
  g_assert_cmpuint (ink (s, &rects.boundary, &style->background), >, 2000);
  g_assert_cmpuint (ink (s, &rects.loss, &style->background), >, 200);
  test_write_png (s, png);
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

static void
test_main_light (void)
{
  render_main (NL_RENDER_THEME_LIGHT, "main-view-light");
}

static void
test_main_dark (void)
{
  render_main (NL_RENDER_THEME_DARK, "main-view-dark");
}

/* Scenes left out leave their area blank. */
static void
test_main_partial (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlMainViewRects rects;
  Fixture f;
  cairo_surface_t *s;
  cairo_t *cr;

  fixture_init (&f);
  s = test_surface_new (W, H, &cr);
  nl_render_main_view (cr, NULL, &f.boundary, NULL, style, NULL, W, H);
  cairo_destroy (cr);
  nl_render_main_view_rects (W, H, &rects);
  g_assert_cmpuint (ink (s, &rects.network, &style->background), ==, 0);
  g_assert_cmpuint (ink (s, &rects.boundary, &style->background), >, 2000);
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* HiDPI: the same picture at device scale 2 has the link colours where they belong. */
static void
test_device_scale (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  NnArchitecture arch = { 0 };
  double params[] = { 2.0, -2.0, 0.0, 0.5, 0.0 };
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;
  cairo_surface_t *s;
  cairo_t *cr;
  double x, y;

  arch.n_inputs = 2, arch.n_hidden = 1, arch.units[0] = 1;
  arch.activation[0] = NN_ACTIVATION_TANH;
  arch.n_outputs = 1, arch.output_activation = NN_ACTIVATION_TANH;
  scene.arch = &arch;
  scene.features = NN_FEATURE_X1 | NN_FEATURE_X2;
  scene.params = params;
  nl_network_layout_compute (layout, &arch, scene.features, NL_NETWORK_LAYOUT_DEFAULT, 600, 400,
                             style);
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 800);
  cairo_surface_set_device_scale (s, 2, 2);
  cr = cairo_create (s);
  nl_render_network (cr, layout, &scene, style, NULL);
  cairo_destroy (cr);
  g_assert_true (nl_network_layout_link_point (layout, 0, 0, 0, 0.5, &x, &y));
  test_assert_color (s, 2 * x, 2 * y, &style->positive, 0.02, "positive link at 2×");
  g_assert_true (nl_network_layout_link_point (layout, 0, 0, 1, 0.5, &x, &y));
  test_assert_color (s, 2 * x, 2 * y, &style->negative, 0.02, "negative link at 2×");
  cairo_surface_destroy (s);
}

static void
render_vector (cairo_surface_t *target, Fixture *f)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  cairo_t *cr = cairo_create (target);

  nl_render_main_view (cr, &f->network, &f->boundary, &f->loss, style, NULL, W, H);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_finish (target);
  g_assert_cmpint (cairo_surface_status (target), ==, CAIRO_STATUS_SUCCESS);
}

/* Exports draw through the vector paths (no pixel shortcuts) and keep text as text. */
static void
test_vector_targets (void)
{
  g_autofree char *svg = g_build_filename (RENDER_OUTPUT_DIR, "main-view.svg", NULL);
  g_autofree char *pdf = g_build_filename (RENDER_OUTPUT_DIR, "main-view.pdf", NULL);
  g_autofree char *text = NULL;
  cairo_surface_t *s;
  Fixture f;

  fixture_init (&f);
  s = cairo_svg_surface_create (svg, W, H);
  render_vector (s, &f);
  cairo_surface_destroy (s);
  s = cairo_pdf_surface_create (pdf, W, H);
  render_vector (s, &f);
  cairo_surface_destroy (s);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  /* Curves are paths, not pixels; the heatmaps are embedded images. */
  g_assert_nonnull (strstr (text, "<path"));
  g_assert_nonnull (strstr (text, "<image"));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/main-view/light", test_main_light);
  g_test_add_func ("/render/main-view/dark", test_main_dark);
  g_test_add_func ("/render/main-view/partial", test_main_partial);
  g_test_add_func ("/render/main-view/device-scale", test_device_scale);
  g_test_add_func ("/render/main-view/vector-targets", test_vector_targets);

  return g_test_run ();
}
