/* test-render-insight.c: the pictures of issue 7, checked pixel by pixel: the confusion
 * matrix, the layer health sparklines (live and at a past epoch) and the enlarged neuron. */
#include "render-test-utils.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Confusion matrix                                                                     */

#define CW 640
#define CH 320

static cairo_surface_t *
render_confusion (const NnConfusion *train, const NnConfusion *test, NlConfusionLayout *layout,
                  const char *name)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlConfusionScene scene;
  cairo_surface_t *s;
  cairo_t *cr;

  nl_confusion_scene_init (&scene);
  scene.classification = TRUE;
  scene.confusion[NN_SPLIT_TRAIN] = train;
  scene.confusion[NN_SPLIT_TEST] = test;
  s = test_surface_new (CW, CH, &cr);
  nl_confusion_layout_compute (layout, &scene, CW, CH, style);
  nl_render_confusion (cr, layout, &scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  test_write_png (s, name);
  return s;
}

/* A cell's fill, sampled in its upper left corner, clear of its count and the grid. */
static NlRgba
cell_fill (cairo_surface_t *s, const NlConfusionLayout *layout, guint panel, guint truth,
           guint predicted)
{
  const NlRect *r = &layout->plot[panel];
  double cell = r->width / layout->classes;

  return test_pixel (s, r->x + predicted * cell + 0.2 * cell, r->y + truth * cell + 0.2 * cell);
}

static void
confusion_set (NnConfusion *c, guint classes, const guint *counts)
{
  memset (c, 0, sizeof *c);
  c->classes = classes;
  for (guint t = 0; t < classes; t++)
    for (guint p = 0; p < classes; p++)
      {
        c->counts[t][p] = counts[t * classes + p];
        c->total += c->counts[t][p];
      }
}

/* The cell holding the largest share of its row is the darkest, and the fill darkens as
 * the share grows. */
static void
test_confusion_darkest (void)
{
  /* Row shares: 90 %, 10 %, 0 % · 25 %, 50 %, 25 % · 5 %, 15 %, 80 %. */
  static const guint counts[9] = { 90, 10, 0, 10, 20, 10, 2, 6, 32 };
  NnConfusion c;
  NlConfusionLayout layout;
  cairo_surface_t *s;
  double lum[3][3], darkest = INFINITY;
  guint dt = 9, dp = 9;

  confusion_set (&c, 3, counts);
  s = render_confusion (&c, NULL, &layout, "insight-confusion-shares");
  g_assert_cmpuint (layout.n_panels, ==, 1);
  g_assert_cmpuint (layout.classes, ==, 3);
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      {
        NlRgba f = cell_fill (s, &layout, 0, t, p);

        lum[t][p] = test_luminance (&f);
        if (lum[t][p] < darkest)
          darkest = lum[t][p], dt = t, dp = p;
      }
  g_assert_cmpuint (dt, ==, 0);
  g_assert_cmpuint (dp, ==, 0);
  /* Ordered by share: 90 % < 80 % < 50 % < 25 % < 15 % < 10 % < 5 % < 0 % in luminance. */
  g_assert_cmpfloat (lum[0][0], <, lum[2][2]);
  g_assert_cmpfloat (lum[2][2], <, lum[1][1]);
  g_assert_cmpfloat (lum[1][1], <, lum[1][0]);
  g_assert_cmpfloat (lum[1][0], <, lum[2][1]);
  g_assert_cmpfloat (lum[2][1], <, lum[0][1]);
  g_assert_cmpfloat (lum[0][1], <, lum[2][0]);
  g_assert_cmpfloat (lum[2][0], <, lum[0][2]);
  /* The same share in two rows of different sizes is the same colour (25 % twice). */
  g_assert_cmpfloat (fabs (lum[1][0] - lum[1][2]), <, 0.01);
  cairo_surface_destroy (s);
}

/* A perfect classifier: every off-diagonal cell is empty (the plot's surface colour), every
 * diagonal cell dark; a wrong one puts colour off the diagonal. Train and test both. */
static void
test_confusion_perfect (void)
{
  static const guint perfect[16] = { 30, 0, 0, 0, 0, 25, 0, 0, 0, 0, 40, 0, 0, 0, 0, 5 };
  static const guint wrong[16] = { 30, 0, 0, 0, 0, 25, 0, 0, 0, 0, 40, 0, 4, 0, 0, 1 };
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnConfusion train, test;
  NlConfusionLayout layout;
  cairo_surface_t *s;

  confusion_set (&train, 4, perfect);
  confusion_set (&test, 4, wrong);
  s = render_confusion (&train, &test, &layout, "insight-confusion-perfect");
  g_assert_cmpuint (layout.n_panels, ==, 2);
  for (guint p = 0; p < 2; p++)
    for (guint t = 0; t < 4; t++)
      for (guint q = 0; q < 4; q++)
        {
          NlRgba f = cell_fill (s, &layout, p, t, q);
          gboolean wrong_row = layout.split[p] == NN_SPLIT_TEST && t == 3;
          gboolean misplaced = wrong_row && q == 0;

          if (t == q && wrong_row)
            {
              /* 1 of 5 right: lighter than the 4 of 5 that went to class 0. */
              NlRgba m = cell_fill (s, &layout, p, 3, 0);
              g_assert_cmpfloat (test_luminance (&m), <, test_luminance (&f));
            }
          else if (t == q)
            g_assert_cmpfloat (test_luminance (&f), <, 0.5 * test_luminance (&style->surface));
          else if (!misplaced)
            test_assert_color (s, layout.plot[p].x + (q + 0.2) * layout.plot[p].width / 4,
                               layout.plot[p].y + (t + 0.2) * layout.plot[p].width / 4,
                               &style->surface, 0.02, "an empty cell");
          else
            /* 4 of 5 points of class 3 called class 0: darker than its own diagonal. */
            g_assert_cmpfloat (test_luminance (&f), <, test_luminance (&style->surface) - 0.3);
        }
  cairo_surface_destroy (s);
}

/* ------------------------------------------------------------------------------------ */
/* Health sparklines                                                                    */

#define NW 900
#define NH 560

static void
small_arch (NnArchitecture *arch)
{
  *arch = (NnArchitecture) { 0 };
  arch->n_inputs = 2;
  arch->n_hidden = 2;
  arch->units[0] = arch->units[1] = 4;
  arch->activation[0] = arch->activation[1] = NN_ACTIVATION_TANH;
  arch->n_outputs = 1;
  arch->output_activation = NN_ACTIVATION_TANH;
}

/* Layer 0's gradient rises, layer 1's falls; layer 2's (the output) rises to a peak at
 * epoch 100 and falls after it. Weights grow steadily. Measured every 10 epochs to 200. */
static NnHealthHistory *
make_history (void)
{
  NnHealthHistory *history = nn_health_history_new (0);

  for (guint e = 0; e <= 200; e += 10)
    {
      NnHealth h = { 0 };

      h.epoch = e;
      h.n_layers = 3;
      for (guint l = 0; l < 3; l++)
        {
          h.layers[l].n_units = l < 2 ? 4 : 1;
          h.layers[l].activation = NN_ACTIVATION_TANH;
          h.layers[l].weight_norm = 1 + e / 100.0;
        }
      h.layers[0].grad_norm = pow (10, -3 + e / 50.0);
      h.layers[1].grad_norm = pow (10, 1 - e / 50.0);
      h.layers[2].grad_norm = pow (10, -fabs (e - 100.0) / 50.0);
      nn_health_history_push (history, &h);
    }
  return history;
}

static cairo_surface_t *
render_health (const NnHealthHistory *history, gint64 epoch, NlNetworkLayout *layout,
               const char *name)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnArchitecture arch;
  cairo_surface_t *s;
  cairo_t *cr;

  small_arch (&arch);
  nl_network_layout_compute (layout, &arch, NN_FEATURE_X1 | NN_FEATURE_X2,
                             NL_NETWORK_LAYOUT_SPARKLINES, NW, NH, style);
  s = test_surface_new (NW, NH, &cr);
  nl_render_network_health_at (cr, layout, history, epoch, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  test_write_png (s, name);
  return s;
}

/* The mean y of the inked pixels of column x within the upper half of a layer's band (the
 * gradient's sparkline), or NAN when there are none. */
static double
gradient_line_y (cairo_surface_t *s, const NlNetworkColumn *col, double fraction)
{
  double w = MIN (col->sparkline.width - 6, 110);
  double x = col->x_center - w / 2 + fraction * w;
  double sum = 0;
  guint n = 0;

  for (double y = col->sparkline.y; y < col->sparkline.y + floor (col->sparkline.height / 2); y++)
    {
      NlRgba p = test_pixel (s, x, y);

      if (test_luminance (&p) < 0.8)
        sum += y, n++;
    }
  return n > 0 ? sum / n : NAN;
}

/* y of the line near its start and near its end, for a column. */
static void
line_ends (cairo_surface_t *s, const NlNetworkLayout *layout, guint layer, double *start,
           double *end)
{
  const NlNetworkColumn *col = &layout->columns[layer + 1];

  g_assert_cmpfloat (col->sparkline.height, >, 6);
  *start = gradient_line_y (s, col, 0.40);
  *end = gradient_line_y (s, col, 0.93);
  g_assert_false (isnan (*start));
  g_assert_false (isnan (*end));
}

/* The sparkline goes up where the series goes up, down where it goes down. */
static void
test_health_sparklines (void)
{
  g_autoptr (NnHealthHistory) history = make_history ();
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  cairo_surface_t *s = render_health (history, -1, layout, "insight-health-live");
  double start, end;

  g_assert_cmpuint (layout->n_columns, ==, 4);
  line_ends (s, layout, 0, &start, &end);
  g_assert_cmpfloat (end, <, start - 3);   /* rising: higher on the screen */
  line_ends (s, layout, 1, &start, &end);
  g_assert_cmpfloat (end, >, start + 3);   /* falling */
  /* Past the peak at epoch 100, the output layer's line ends low. */
  line_ends (s, layout, 2, &start, &end);
  g_assert_cmpfloat (end, >, start + 3);
  cairo_surface_destroy (s);
}

/* At epoch 105 (the timeline's position) the output layer's sparkline ends at its peak
 * (epoch 100), rising, where the live one has fallen past it. */
static void
test_health_sparklines_past (void)
{
  g_autoptr (NnHealthHistory) history = make_history ();
  g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
  cairo_surface_t *live = render_health (history, -1, layout, "insight-health-live");
  cairo_surface_t *past = render_health (history, 105, layout, "insight-health-epoch-105");
  double start, end;
  gboolean differ = FALSE;

  line_ends (past, layout, 2, &start, &end);
  g_assert_cmpfloat (end, <, start - 3);   /* still rising at epoch 105 */
  line_ends (past, layout, 0, &start, &end);
  g_assert_cmpfloat (end, <, start - 3);

  /* The pictures differ in the output layer's band. */
  for (double x = 0; x < NW && !differ; x += 1)
    {
      const NlNetworkColumn *col = &layout->columns[3];
      double y = col->sparkline.y + col->sparkline.height / 4;
      NlRgba a = test_pixel (live, x, y), b = test_pixel (past, x, y);

      differ = !test_color_near (&a, &b, 0.1);
    }
  g_assert_true (differ);
  cairo_surface_destroy (past);
  cairo_surface_destroy (live);
}

/* ------------------------------------------------------------------------------------ */
/* The enlarged neuron                                                                  */

#define DW 360
#define DH 320
#define RES 64

static void
test_neuron_detail (void)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NlNeuronDetailScene scene = NL_NEURON_DETAIL_SCENE_INIT;
  g_autofree double *grid = g_new (double, RES * RES);
  NlRgba neg = nl_render_style_diverging (style, -1), pos = nl_render_style_diverging (style, 1);
  NlRgba zero = nl_render_style_diverging (style, 0), left, right, key_top, key_bottom;
  NlRect plot, key;
  cairo_surface_t *s;
  cairo_t *cr;

  /* tanh(2 x₁): negative left of the line x₁ = 0, positive right of it, whatever x₂. */
  for (guint i = 0; i < RES; i++)
    for (guint j = 0; j < RES; j++)
      grid[i * RES + j] = tanh (2 * (-6 + 12.0 * j / (RES - 1)));
  scene.grid = grid;
  scene.res = RES;
  scene.activation = NN_ACTIVATION_TANH;
  scene.title = "Hidden layer 1, neuron 2";
  scene.subtitle = "tanh";

  s = test_surface_new (DW, DH, &cr);
  nl_render_neuron_detail (cr, DW, DH, &scene, style, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  test_write_png (s, "insight-neuron-detail");
  g_assert_true (nl_neuron_detail_layout (DW, DH, &scene, style, &plot, &key));
  g_assert_cmpfloat (plot.width, >, 100);

  /* The picture: the negative colour left of x₁ = 0, the positive right, neutral on it,
   * at every height. */
  for (double fy = 0.1; fy < 1; fy += 0.4)
    {
      double y = plot.y + fy * plot.height;

      test_assert_color (s, plot.x + 0.2 * plot.width, y, &neg, 0.06, "x₁ = −3.6");
      test_assert_color (s, plot.x + 0.8 * plot.width, y, &pos, 0.06, "x₁ = +3.6");
      test_assert_color (s, plot.x + 0.5 * plot.width, y, &zero, 0.12, "x₁ = 0");
    }
  left = test_pixel (s, plot.x + 0.2 * plot.width, plot.y + plot.height / 2);
  right = test_pixel (s, plot.x + 0.8 * plot.width, plot.y + plot.height / 2);
  g_assert_false (test_color_near (&left, &right, 0.2));

  /* The colour key beside it runs from the low end (bottom) to the high end (top), the
   * picture's own colours. */
  key_top = test_pixel (s, key.x + key.width / 2, key.y + 2);
  key_bottom = test_pixel (s, key.x + key.width / 2, key.y + key.height - 2);
  g_assert_true (test_color_near (&key_top, &right, 0.08));
  g_assert_true (test_color_near (&key_bottom, &left, 0.08));
  test_assert_color (s, key.x + key.width / 2, key.y + key.height / 2, &zero, 0.06, "key middle");
  cairo_surface_destroy (s);

  /* Too small a card: no picture, no key. */
  g_assert_false (nl_neuron_detail_layout (80, 70, &scene, style, &plot, &key));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/insight/confusion/darkest", test_confusion_darkest);
  g_test_add_func ("/render/insight/confusion/perfect", test_confusion_perfect);
  g_test_add_func ("/render/insight/health/sparklines", test_health_sparklines);
  g_test_add_func ("/render/insight/health/sparklines-past", test_health_sparklines_past);
  g_test_add_func ("/render/insight/neuron-detail", test_neuron_detail);
  return g_test_run ();
}
