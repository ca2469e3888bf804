/* test-render-explain.c: the back-propagation walkthrough says what the engine computes.
 *
 * The walkthrough's numbers come from nn-explain; here they are checked against the
 * engine's own batch code (forward, loss, backward on a batch of the one sample) as the
 * text shows them, and the figure is drawn in light and dark, one column and several. */
#include "render-test-utils.h"

#include <math.h>
#include <string.h>

#include "nn-features.h"
#include "nn-loss.h"
#include "nn-trainer.h"

typedef struct
{
  NnTrainer *trainer;
  NnExplain *explain;
  NnPoint    sample;
} Fixture;

static void
fixture_init (Fixture *f, NnProject *p, guint epochs)
{
  g_autoptr (GError) error = NULL;
  const NnDataset *ds;

  f->trainer = nn_trainer_new (p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < epochs; i++)
    nn_trainer_step_epoch (f->trainer);
  ds = nn_trainer_get_dataset (f->trainer);
  f->sample = ds->train[3];
  f->explain = nn_explain_new_for_trainer (f->trainer, &f->sample, &error);
  g_assert_no_error (error);
}

static void
fixture_clear (Fixture *f)
{
  nn_explain_free (f->explain);
  nn_trainer_free (f->trainer);
}

/* The engine's gradient of every parameter for a batch of this one sample. */
static double *
engine_gradient (Fixture *f)
{
  const NnProject *p = nn_trainer_get_project (f->trainer);
  g_autoptr (NnNetwork) net = nn_network_copy (nn_trainer_get_network (f->trainer));
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];
  double x[NN_N_FEATURES], target[NN_MAX_CLASSES];

  nn_features_expand (p->features, &f->sample.x1, &f->sample.x2, 1, 1, x, 1);
  nn_trainer_encode_target (f->trainer, f->sample.y, target);
  nn_network_forward (net, x, 1);
  nn_loss_evaluate (p->loss, out->activation, out->alpha, net->u[last], net->z[last], target,
                    out->n_out, 1, 1.0, net->du[last]);
  nn_network_zero_grads (net);
  nn_network_backward (net, x);
  return g_memdup2 (net->grads, net->n_params * sizeof (double));
}

static void
assert_text_has_number (const char *text, double value, const char *what)
{
  char buf[64];

  nl_render_explain_format_number (buf, sizeof buf, value);
  if (strstr (text, buf) == NULL)
    g_error ("the walkthrough does not show %s = %s:\n%s", what, buf, text);
}

/* Every weight and bias of a two-hidden-layer network: the gradient the walkthrough shows
 * is the engine's, to the digits shown. */
static void
test_explain_numbers_match_engine (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  Fixture f;
  g_autofree double *grads = NULL;
  NlExplainScene scene;
  guint checked = 0;

  fixture_init (&f, p, 5);
  grads = engine_gradient (&f);
  nl_explain_scene_init (&scene);
  scene.explain = f.explain;
  scene.has_param = TRUE;
  scene.sample_index = 3;

  for (gsize index = 0; index < nn_explain_get_n_params (f.explain); index++)
    {
      NnParamRef ref;
      NnGradientExplanation g;
      g_autofree char *text = NULL;

      g_assert_true (nn_explain_param_ref (f.explain, index, &ref));
      g_assert_true (nn_explain_gradient (f.explain, ref, &g));
      /* What is shown agrees with the engine (the factor product is the gradient). */
      g_assert_cmpfloat_with_epsilon (g.data_gradient, grads[index],
                                      1e-12 * MAX (1.0, fabs (grads[index])));
      scene.param = ref;
      text = nl_render_explain_to_text (&scene);
      assert_text_has_number (text, grads[index], "the gradient");
      assert_text_has_number (text, nn_explain_get_output (f.explain)->value, "the loss");
      if (ref.kind == NN_PARAM_WEIGHT)
        g_assert_nonnull (strstr (text, "∂L/∂w"));
      checked++;
    }
  /* An all-zero gradient would pass the comparisons: something must have been non-zero. */
  {
    double sum = 0;

    for (gsize i = 0; i < nn_explain_get_n_params (f.explain); i++)
      sum += fabs (grads[i]);
    g_assert_cmpfloat (sum, >, 1e-6);
  }
  g_assert_cmpuint (checked, ==, nn_explain_get_n_params (f.explain));
  fixture_clear (&f);
}

/* The course's words and symbols: the activation named, ReLU's derivative the step Θ. */
static void
test_explain_names_the_course (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  Fixture f;
  NlExplainScene scene;
  g_autofree char *text = NULL;

  p->arch.activation[0] = NN_ACTIVATION_RELU;
  p->arch.activation[1] = NN_ACTIVATION_RELU;
  p->arch.n_hidden = 1;
  p->arch.units[0] = 1;
  fixture_init (&f, p, 2);
  nl_explain_scene_init (&scene);
  scene.explain = f.explain;
  scene.has_param = TRUE;
  scene.param = NN_PARAM_REF_WEIGHT (0, 0, 1);
  text = nl_render_explain_to_text (&scene);
  g_test_message ("%s", text);

  g_assert_nonnull (strstr (text, "Forward propagation"));
  g_assert_nonnull (strstr (text, "u11 = w11x1 + w12x2 + b1"));
  g_assert_nonnull (strstr (text, "ReLU(u11)"));
  /* One path: the whole chain, ∂L/∂y_p · ∂y_p/∂u₂₁ · ∂u₂₁/∂z₁₁ · ∂z₁₁/∂u₁₁ · ∂u₁₁/∂w₁₂. */
  g_assert_nonnull (strstr (text, "∂L/∂w12  =  ∂L/∂yp · ∂yp/∂u21 · ∂u21/∂z11 · ∂z11/∂u11 · ∂u11/∂w12"));
  g_assert_nonnull (strstr (text, "Θ(u11)"));
  g_assert_nonnull (strstr (text, "Parameter update: Adam"));
  g_assert_nonnull (strstr (text, "v̂"));
  fixture_clear (&f);
}

static void
render_figure (const NlExplainScene *scene, const NnTrainer *trainer, NlRenderTheme theme,
               int width, int height, const char *name)
{
  const NlRenderStyle *style = nl_render_style_get_default (theme);
  const NnProject *p = nn_trainer_get_project ((NnTrainer *) trainer);
  const NnNetwork *net = nn_trainer_get_network ((NnTrainer *) trainer);
  NlNetworkScene network = NL_NETWORK_SCENE_INIT;
  cairo_t *cr;
  cairo_surface_t *surface = test_surface_new (width, height, &cr);

  network.arch = &net->arch;
  network.features = p->features;
  network.params = net->params;
  nl_render_explain (cr, scene, &network, style, NULL, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  /* Text on the background: the top left is background, somewhere further is ink. */
  test_assert_color (surface, 2, 2, &style->background, 0.02, "background");
  test_write_png (surface, name);
  cairo_surface_destroy (surface);
}

static void
test_explain_figure (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  Fixture f;
  NlExplainScene scene;

  fixture_init (&f, p, 10);
  nl_explain_scene_init (&scene);
  scene.explain = f.explain;
  scene.has_param = TRUE;
  scene.param = NN_PARAM_REF_WEIGHT (0, 1, 0);
  scene.sample_index = 3;
  render_figure (&scene, f.trainer, NL_RENDER_THEME_LIGHT, 1920, 1080, "explain-1920x1080-light");
  render_figure (&scene, f.trainer, NL_RENDER_THEME_DARK, 1280, 720, "explain-1280x720-dark");
  scene.param = NN_PARAM_REF_WEIGHT (2, 0, 1);
  render_figure (&scene, f.trainer, NL_RENDER_THEME_LIGHT, 1280, 720, "explain-output-weight-1280x720");
  fixture_clear (&f);
}

/* A column measures what it draws, and more text needs more height. */
static void
test_explain_column (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Fixture f;
  NlExplainScene scene;
  cairo_t *cr;
  cairo_surface_t *surface;
  double forward_only, with_param, narrow;

  fixture_init (&f, p, 3);
  nl_explain_scene_init (&scene);
  scene.explain = f.explain;
  surface = test_surface_new (600, 2400, &cr);
  forward_only = nl_render_explain_column (cr, &scene, style, 600, FALSE);
  scene.has_param = TRUE;
  scene.param = NN_PARAM_REF_WEIGHT (1, 0, 2);
  with_param = nl_render_explain_column (cr, &scene, style, 600, FALSE);
  narrow = nl_render_explain_column (cr, &scene, style, 360, FALSE);
  g_assert_cmpfloat (forward_only, >, 100);
  g_assert_cmpfloat (with_param, >, forward_only);
  g_assert_cmpfloat (narrow, >, with_param);
  g_assert_cmpfloat (nl_render_explain_column (cr, &scene, style, 600, TRUE), ==, with_param);
  cairo_destroy (cr);
  test_write_png (surface, "explain-column-600");
  cairo_surface_destroy (surface);
  fixture_clear (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/explain/numbers-match-engine", test_explain_numbers_match_engine);
  g_test_add_func ("/render/explain/names-the-course", test_explain_names_the_course);
  g_test_add_func ("/render/explain/column", test_explain_column);
  g_test_add_func ("/render/explain/figure", test_explain_figure);
  return g_test_run ();
}
