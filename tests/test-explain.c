/* test-explain.c: the back-propagation walkthrough against the engine's own numbers.
 *
 * For networks of every hidden activation, output activation and loss, every number the
 * walkthrough shows (u, z, y_t, L, every δ, every parameter's gradient and the product of
 * its factors, every update under every optimizer with prior state) must equal what
 * nn_network_forward, nn_loss_evaluate, nn_network_backward, nn_network_regularize and
 * nn_optimizer_step compute on a batch of this one sample.
 */
#include "nn-error.h"
#include "nn-explain.h"
#include "nn-features.h"
#include "nn-loss.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#define TOLERANCE 1e-12

typedef struct
{
  const char  *name;
  guint        features;
  NnProblem    problem;
  guint        n_hidden;
  guint        units[3];
  NnActivation activation[3];
  guint        n_outputs;
  NnActivation output;
  NnLoss       loss;
} Config;

#define XY NN_FEATURE_X1 | NN_FEATURE_X2
#define CLS NN_PROBLEM_CLASSIFICATION
#define REG NN_PROBLEM_REGRESSION
#define TANH NN_ACTIVATION_TANH
#define RELU NN_ACTIVATION_RELU
#define LEAKY NN_ACTIVATION_LEAKY_RELU
#define SIGM NN_ACTIVATION_SIGMOID
#define IDEN NN_ACTIVATION_IDENTITY
#define SOFT NN_ACTIVATION_SOFTMAX
#define MSE NN_LOSS_MSE
#define CE NN_LOSS_CROSS_ENTROPY

static const Config configs[] = {
  { "tanh-identity-mse", XY, REG, 1, { 3 }, { TANH }, 1, IDEN, MSE },
  { "relu-tanh-mse", NN_FEATURES_ALL, CLS, 2, { 4, 3 }, { RELU, RELU }, 1, TANH, MSE },
  { "leaky-sigmoid-mse", XY, CLS, 2, { 3, 2 }, { LEAKY, LEAKY }, 1, SIGM, MSE },
  { "sigmoid-sigmoid-ce", XY | NN_FEATURE_X1_X2, CLS, 1, { 3 }, { SIGM }, 1, SIGM, CE },
  { "tanh-softmax-ce", XY, CLS, 2, { 4, 3 }, { TANH, TANH }, 3, SOFT, CE },
  { "relu-softmax-mse", XY | NN_FEATURE_SIN_X1, CLS, 1, { 3 }, { RELU }, 3, SOFT, MSE },
  { "mixed-softmax-ce", NN_FEATURES_ALL, CLS, 3, { 5, 4, 3 }, { SIGM, LEAKY, TANH }, 4, SOFT,
    CE },
  { "no-hidden-identity", XY, REG, 0, { 0 }, { TANH }, 1, IDEN, MSE },
  { "single-path-relu", XY, REG, 2, { 3, 1 }, { RELU, TANH }, 1, IDEN, MSE },
  { "single-path-sigmoid-ce", XY, CLS, 2, { 2, 1 }, { TANH, SIGM }, 1, SIGM, CE },
};

/* A network of the config's shape with every weight and bias drawn at random, so that no
 * gradient is trivially zero. */
static NnNetwork *
make_network (const Config *c, GRand *rand)
{
  NnArchitecture arch = { 0 };
  NnNetwork *net;

  arch.n_inputs = nn_features_count (c->features);
  arch.n_hidden = c->n_hidden;
  for (guint l = 0; l < c->n_hidden; l++)
    {
      arch.units[l] = c->units[l];
      arch.activation[l] = c->activation[l];
      arch.alpha[l] = 0.1;
    }
  arch.n_outputs = c->n_outputs;
  arch.output_activation = c->output;
  arch.output_alpha = 0.1;
  net = nn_network_new (&arch, 1, NULL);
  g_assert_nonnull (net);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = g_rand_double_range (rand, -1.2, 1.2);
  return net;
}

static NnProject *
make_project (const Config *c)
{
  NnProject *p = nn_project_new_default ();

  p->features = c->features;
  p->problem = c->problem;
  p->loss = c->loss;
  p->arch.output_activation = c->output;
  return p;
}

static NnPoint
random_sample (const Config *c, GRand *rand)
{
  NnPoint s;

  s.x1 = g_rand_double_range (rand, -6.0, 6.0);
  s.x2 = g_rand_double_range (rand, -6.0, 6.0);
  if (c->problem == NN_PROBLEM_REGRESSION)
    s.y = g_rand_double_range (rand, -1.0, 1.0);
  else
    s.y = g_rand_int_range (rand, 0, c->output == NN_ACTIVATION_SOFTMAX ? c->n_outputs : 2);
  return s;
}

/* The largest relative difference seen, reported so a drift shows before it fails. */
static double max_deviation;

static void
assert_close (double got, double want)
{
  double scale = MAX (1.0, fabs (want));

  max_deviation = MAX (max_deviation, fabs (got - want) / scale);
  if (!(fabs (got - want) <= TOLERANCE * scale))
    g_error ("%.17g differs from %.17g by %.3g", got, want, fabs (got - want));
}

/* The engine's way: forward, loss and backward over a batch of this one sample. */
static double
engine_pass (NnNetwork *net, const NnProject *p, const NnPoint *s, const double *target)
{
  double x[NN_N_FEATURES];
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];
  double loss;

  nn_features_expand (p->features, &s->x1, &s->x2, 1, 1, x, 1);
  nn_network_forward (net, x, 1);
  loss = nn_loss_evaluate (p->loss, out->activation, out->alpha, net->u[last], net->z[last],
                           target, out->n_out, 1, 1.0, net->du[last]);
  nn_network_zero_grads (net);
  nn_network_backward (net, x);
  return loss;
}

static void
check_forward (const NnExplain *ex, const NnNetwork *net)
{
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnExplainLayer *layer = nn_explain_get_layer (ex, l);
      for (guint j = 0; j < layer->n_out; j++)
        {
          assert_close (layer->u[j], net->u[l][j]);
          assert_close (layer->z[j], net->z[l][j]);
          /* du holds δ after backward, for every layer */
          assert_close (layer->delta[j], net->du[l][j]);
        }
    }
}

static double
factor_product (const NnGradientExplanation *g)
{
  double product = 1.0;
  for (guint i = 0; i < g->n_factors; i++)
    product *= g->factors[i].value;
  return product;
}

/* δ_j rebuilt from its parts: the sum's terms and F′(u_j). */
static void
check_delta_parts (const NnDeltaExplanation *d)
{
  double sum = 0.0;

  for (guint t = 0; t < d->n_terms; t++)
    {
      assert_close (d->terms[t].product, d->terms[t].a * d->terms[t].b);
      sum += d->terms[t].product;
    }
  if (d->form == NN_EXPLAIN_DELTA_BACKPROP)
    assert_close (sum, d->upstream);
  if (d->form == NN_EXPLAIN_DELTA_SOFTMAX_SUM)
    assert_close (sum, d->delta);
  assert_close (d->upstream * d->derivative, d->delta);
}

/* The chain's kinds: the loss end, (weight, derivative) per layer above, then the input. */
static void
check_chain_kinds (const NnExplain *ex, const NnGradientExplanation *g)
{
  guint i = 0, above = nn_explain_get_n_layers (ex) - 1 - g->ref.layer;

  if (nn_explain_get_output (ex)->fused)
    g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_DL_DU);
  else
    {
      g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_DL_DY);
      g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_DY_DU);
    }
  for (guint m = 0; m < above; m++)
    {
      g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_WEIGHT);
      g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_DZ_DU);
    }
  if (g->ref.kind == NN_PARAM_WEIGHT)
    g_assert_cmpint (g->factors[i++].kind, ==, NN_EXPLAIN_FACTOR_INPUT);
  g_assert_cmpuint (i, ==, g->n_factors);
}

/* Returns how many gradients were non-zero, so a walkthrough of zeros cannot pass. */
static guint
check_gradients (const NnExplain *ex, const NnNetwork *net, guint *single_paths)
{
  guint nonzero = 0;

  g_assert_cmpuint (nn_explain_get_n_params (ex), ==, net->n_params);
  for (gsize i = 0; i < net->n_params; i++)
    {
      NnGradientExplanation g;
      NnParamRef ref;
      gsize back;

      g_assert_true (nn_explain_param_ref (ex, i, &ref));
      g_assert_true (nn_explain_param_index (ex, ref, &back));
      g_assert_cmpuint (back, ==, i);
      g_assert_true (nn_explain_gradient (ex, ref, &g));
      g_assert_cmpuint (g.index, ==, i);
      g_assert_cmpfloat (g.value, ==, net->params[i]);
      assert_close (g.data_gradient, net->grads[i]);
      assert_close (g.gradient, net->grads[i]);
      assert_close (factor_product (&g), g.data_gradient);
      check_delta_parts (&g.delta);
      if (g.single_path)
        {
          check_chain_kinds (ex, &g);
          (*single_paths)++;
        }
      else
        g_assert_cmpint (g.factors[0].kind, ==, NN_EXPLAIN_FACTOR_DELTA);
      nonzero += g.data_gradient != 0.0;
    }
  return nonzero;
}

static void
test_engine_agreement (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  guint checked = 0, nonzero = 0, single_paths = 0;

  max_deviation = 0.0;
  for (guint c = 0; c < G_N_ELEMENTS (configs); c++)
    {
      const Config *config = &configs[c];
      g_autoptr (NnNetwork) net = make_network (config, rand);
      g_autoptr (NnProject) project = make_project (config);

      for (guint n = 0; n < 6; n++)
        {
          NnPoint s = random_sample (config, rand);
          g_autoptr (GError) error = NULL;
          g_autoptr (NnExplain) ex = nn_explain_new (project, net, NULL, &s, &error);
          const NnExplainOutput *o;

          g_assert_no_error (error);
          o = nn_explain_get_output (ex);
          g_assert_cmpuint (o->n_outputs, ==, config->n_outputs);
          assert_close (o->value, engine_pass (net, project, &s, o->y_t));
          check_forward (ex, net);
          nonzero += check_gradients (ex, net, &single_paths);
          checked += net->n_params;
        }
    }
  g_test_message ("%u gradients checked, %u non-zero, %u along a single path; largest "
                  "difference from the engine %.3g", checked, nonzero, single_paths,
                  max_deviation);
  g_assert_cmpuint (nonzero, >, checked * 3 / 4);
  g_assert_cmpuint (single_paths, >, 0);
}

/* v > 0 (a mean square), m of either sign, t steps already taken. */
static NnOptimizer *
optimizer_with_state (NnOptimizerKind kind, gsize n, GRand *rand)
{
  NnOptimizerConfig cfg;
  NnOptimizer *opt;

  nn_optimizer_config_init_defaults (&cfg, kind);
  cfg.learning_rate = 0.05;
  cfg.momentum = 0.8;
  cfg.alpha = 0.9;
  opt = nn_optimizer_new (&cfg, n);
  for (gsize i = 0; i < n; i++)
    {
      opt->m[i] = g_rand_double_range (rand, -0.5, 0.5);
      opt->v[i] = g_rand_double_range (rand, 0.0, 0.3);
    }
  opt->t = 6;
  return opt;
}

static void
check_update (const NnExplain *ex, const NnNetwork *stepped, const NnOptimizer *before,
              const NnOptimizer *after)
{
  for (gsize i = 0; i < stepped->n_params; i++)
    {
      NnUpdateExplanation u;
      NnParamRef ref;

      g_assert_true (nn_explain_param_ref (ex, i, &ref));
      g_assert_true (nn_explain_update (ex, ref, &u));
      g_assert_cmpuint (u.batch_size, ==, 1);
      g_assert_cmpuint (u.t, ==, before->t);
      g_assert_cmpint (u.cfg.kind, ==, before->cfg.kind);
      assert_close (u.new_value, stepped->params[i]);
      assert_close (u.value - u.step, u.new_value);
      switch (before->cfg.kind)
        {
        case NN_OPTIMIZER_MOMENTUM:
          g_assert_cmpfloat (u.v, ==, before->m[i]);
          assert_close (u.v_new, after->m[i]);
          break;
        case NN_OPTIMIZER_RMSPROP:
          g_assert_cmpfloat (u.h, ==, before->v[i]);
          assert_close (u.h_new, after->v[i]);
          break;
        case NN_OPTIMIZER_ADAM:
          assert_close (u.v_new, after->m[i]);
          assert_close (u.h_new, after->v[i]);
          assert_close (u.v_hat, after->m[i] / (1.0 - pow (0.9, 7)));
          assert_close (u.h_hat, after->v[i] / (1.0 - pow (0.999, 7)));
          break;
        default:
          assert_close (u.direction, u.gradient);
          break;
        }
    }
}

static void
test_update_agreement (void)
{
  static const NnRegularization regs[] = {
    NN_REGULARIZATION_NONE, NN_REGULARIZATION_L2, NN_REGULARIZATION_L1,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  guint checked = 0;

  max_deviation = 0.0;
  for (guint c = 0; c < G_N_ELEMENTS (configs); c += 2)
    for (NnOptimizerKind k = 0; k < NN_N_OPTIMIZERS; k++)
      for (guint r = 0; r < G_N_ELEMENTS (regs); r++)
        {
          const Config *config = &configs[c];
          g_autoptr (NnNetwork) net = make_network (config, rand);
          g_autoptr (NnProject) project = make_project (config);
          g_autoptr (NnOptimizer) opt = optimizer_with_state (k, net->n_params, rand);
          g_autoptr (NnOptimizer) stepped_opt = nn_optimizer_copy (opt);
          g_autoptr (NnNetwork) stepped = nn_network_copy (net);
          NnPoint s = random_sample (config, rand);
          g_autoptr (NnExplain) ex = NULL;

          project->regularization = regs[r];
          project->regularization_rate = regs[r] == NN_REGULARIZATION_NONE ? 0.0 : 0.03;
          ex = nn_explain_new (project, net, opt, &s, NULL);
          g_assert_nonnull (ex);

          /* What the trainer's step does, on copies. */
          engine_pass (stepped, project, &s, nn_explain_get_output (ex)->y_t);
          nn_network_regularize (stepped, project->regularization, project->regularization_rate);
          nn_optimizer_step (stepped_opt, stepped->params, stepped->grads);
          check_update (ex, stepped, opt, stepped_opt);
          checked += net->n_params;
        }
  g_test_message ("%u updates checked; largest difference from the engine %.3g", checked,
                  max_deviation);
}

/* Without an optimizer the preview starts from the project's, fresh: Adam's first step. */
static void
test_update_fresh_optimizer (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (NnNetwork) net = make_network (&configs[0], rand);
  g_autoptr (NnProject) project = make_project (&configs[0]);
  NnPoint s = { 1.0, -2.0, 0.5 };
  g_autoptr (NnExplain) ex = nn_explain_new (project, net, NULL, &s, NULL);
  NnUpdateExplanation u;

  g_assert_true (nn_explain_update (ex, NN_PARAM_REF_WEIGHT (0, 1, 0), &u));
  g_assert_cmpint (u.cfg.kind, ==, NN_OPTIMIZER_ADAM);
  g_assert_cmpuint (u.t, ==, 0);
  g_assert_cmpfloat (u.v, ==, 0.0);
  g_assert_cmpfloat (u.h, ==, 0.0);
  assert_close (u.correction1, 1.0 - 0.9);
  assert_close (u.v_hat, u.gradient);
  /* Adam's first step moves every parameter by about η, whatever its gradient. */
  g_assert_cmpfloat (fabs (u.step), <=, u.cfg.learning_rate);
  g_assert_cmpfloat (fabs (u.step), >, 0.99 * u.cfg.learning_rate);
}

/* The course's slide: y_p = w z + b, L = (y_p − y_t)², with one ReLU unit in between,
 * ∂L/∂w₁₁ = 2(y_p − y_t) · w₁₁ · Θ(u₁₁) · x₁ — computed here by hand. */
static void
test_course_chain (void)
{
  NnArchitecture arch = { .n_inputs = 2, .n_hidden = 1, .units = { 1 },
                          .activation = { NN_ACTIVATION_RELU }, .n_outputs = 1,
                          .output_activation = NN_ACTIVATION_IDENTITY };
  g_autoptr (NnNetwork) net = nn_network_new (&arch, 1, NULL);
  g_autoptr (NnProject) project = make_project (&configs[0]);
  NnPoint s = { 1.2, 0.4, 1.0 };
  NnGradientExplanation g;
  const double w1 = 0.5, w2 = -0.3, b1 = 0.1, v = 0.8, c = 0.05;

  memcpy (net->params, (double[]) { w1, w2, b1, v, c }, sizeof (double[5]));
  g_autoptr (NnExplain) ex = nn_explain_new (project, net, NULL, &s, NULL);
  double u = w1 * 1.2 + w2 * 0.4 + b1; /* 0.58 */
  double y_p = v * u + c;

  assert_close (nn_explain_get_layer (ex, 0)->u[0], u);
  assert_close (nn_explain_get_output (ex)->y_p[0], y_p);
  assert_close (nn_explain_get_output (ex)->value, (y_p - 1.0) * (y_p - 1.0));

  g_assert_true (nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (0, 0, 0), &g));
  g_assert_true (g.single_path);
  g_assert_cmpuint (g.n_factors, ==, 5);
  assert_close (g.factors[0].value, 2.0 * (y_p - 1.0)); /* ∂L/∂y_p */
  assert_close (g.factors[1].value, 1.0);               /* ∂y_p/∂u: identity */
  assert_close (g.factors[2].value, v);                 /* ∂u/∂z₁₁ = w */
  g_assert_cmpint (g.factors[3].activation, ==, NN_ACTIVATION_RELU);
  assert_close (g.factors[3].value, 1.0);               /* Θ(0.58) */
  assert_close (g.factors[4].value, 1.2);               /* x₁ */
  assert_close (g.data_gradient, 2.0 * (y_p - 1.0) * v * 1.0 * 1.2);

  /* The output layer's bias: ∂L/∂b₁ = 2(y_p − y_t), as the slide has it. */
  g_assert_true (nn_explain_gradient (ex, NN_PARAM_REF_BIAS (1, 0), &g));
  g_assert_cmpuint (g.n_factors, ==, 2);
  assert_close (g.data_gradient, 2.0 * (y_p - 1.0));

  /* A unit that is off passes no gradient: Θ(u) = 0. */
  net->params[2] = -5.0;
  g_autoptr (NnExplain) off = nn_explain_new (project, net, NULL, &s, NULL);
  g_assert_true (nn_explain_gradient (off, NN_PARAM_REF_WEIGHT (0, 0, 1), &g));
  g_assert_cmpfloat (g.factors[3].value, ==, 0.0);
  g_assert_cmpfloat (g.data_gradient, ==, 0.0);
}

/* Several paths: δ_j = (Σ_k w_kj δ_k) · F′(u_j) with each term, and ∂L/∂w = δ_j · x_i. */
static void
test_several_paths (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  const Config *config = &configs[4]; /* tanh [4, 3], softmax 3, cross-entropy */
  g_autoptr (NnNetwork) net = make_network (config, rand);
  g_autoptr (NnProject) project = make_project (config);
  NnPoint s = { 2.0, -1.0, 2 };
  g_autoptr (NnExplain) ex = nn_explain_new (project, net, NULL, &s, NULL);
  const NnExplainLayer *above = nn_explain_get_layer (ex, 1);
  NnGradientExplanation g;
  double sum = 0.0;

  g_assert_true (nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (0, 2, 1), &g));
  g_assert_false (g.single_path);
  g_assert_cmpint (g.delta.form, ==, NN_EXPLAIN_DELTA_BACKPROP);
  g_assert_cmpuint (g.delta.n_terms, ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      g_assert_cmpfloat (g.delta.terms[k].a, ==, above->w[k * above->n_in + 2]);
      g_assert_cmpfloat (g.delta.terms[k].b, ==, above->delta[k]);
      sum += g.delta.terms[k].product;
    }
  assert_close (g.delta.derivative, 1.0 - pow (nn_explain_get_layer (ex, 0)->z[2], 2));
  assert_close (g.delta.delta, sum * g.delta.derivative);
  g_assert_cmpuint (g.n_factors, ==, 2);
  g_assert_cmpint (g.factors[1].kind, ==, NN_EXPLAIN_FACTOR_INPUT);
  assert_close (g.factors[1].value, -1.0); /* x₂ */

  /* Softmax with cross-entropy: the fused δ = y_p − y_t, one-hot target. */
  const NnExplainOutput *o = nn_explain_get_output (ex);
  g_assert_true (o->fused);
  g_assert_cmpfloat (o->y_t[2], ==, 1.0);
  g_assert_true (nn_explain_gradient (ex, NN_PARAM_REF_BIAS (2, 0), &g));
  g_assert_true (g.single_path);
  g_assert_cmpint (g.delta.form, ==, NN_EXPLAIN_DELTA_FUSED);
  assert_close (g.data_gradient, o->y_p[0] - 0.0);
}

/* Classification encodings as the trainer's, and a real training step previewed exactly:
 * with batches of one in data order, the trainer's next step is the walkthrough's sample. */
static void
test_trainer (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  NnTrainer *t;
  double target[NN_MAX_CLASSES];

  p->dataset.count = 60;
  p->batch_size = 1;
  p->shuffle = FALSE;
  p->regularization = NN_REGULARIZATION_L2;
  p->regularization_rate = 0.01;
  t = nn_trainer_new (p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 75; i++) /* into the second epoch, with Adam's state built up */
    nn_trainer_step (t);

  const NnDataset *ds = nn_trainer_get_dataset (t);
  guint position = nn_trainer_get_epoch_position (t) % ds->n_train;
  NnPoint s = ds->train[position];
  g_autoptr (NnExplain) ex = nn_explain_new_for_trainer (t, &s, &error);
  g_assert_no_error (error);
  nn_trainer_encode_target (t, s.y, target);
  g_assert_cmpfloat (nn_explain_get_output (ex)->y_t[0], ==, target[0]);

  nn_trainer_step (t);
  NnNetwork *net = nn_trainer_get_network (t);
  for (gsize i = 0; i < net->n_params; i++)
    {
      NnUpdateExplanation u;
      NnParamRef ref;
      g_assert_true (nn_explain_param_ref (ex, i, &ref));
      g_assert_true (nn_explain_update (ex, ref, &u));
      g_assert_cmpuint (u.t, ==, 75);
      assert_close (u.new_value, net->params[i]);
    }
  nn_trainer_free (t);
}

static void
check_encoding (NnProject *p, const double *labels, guint n)
{
  g_autoptr (GError) error = NULL;
  NnTrainer *t;
  double target[NN_MAX_CLASSES];

  nn_project_sync_shape (p);
  t = nn_trainer_new (p, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      NnPoint s = { 0.5, -0.5, labels[i] };
      g_autoptr (NnExplain) ex = nn_explain_new_for_trainer (t, &s, &error);
      const NnExplainOutput *o;

      g_assert_no_error (error);
      o = nn_explain_get_output (ex);
      nn_trainer_encode_target (t, labels[i], target);
      for (guint k = 0; k < o->n_outputs; k++)
        g_assert_cmpfloat (o->y_t[k], ==, target[k]);
    }
  nn_trainer_free (t);
}

static void
test_target_encoding (void)
{
  g_autoptr (NnProject) p = nn_project_new_default ();

  p->dataset.count = 40;
  check_encoding (p, (double[]) { 0, 1 }, 2); /* tanh: −1/+1 */
  p->arch.output_activation = NN_ACTIVATION_SIGMOID;
  p->loss = NN_LOSS_CROSS_ENTROPY;
  check_encoding (p, (double[]) { 0, 1 }, 2); /* 0/1 */
  p->dataset.generator = NN_GENERATOR_SPIRAL;
  p->dataset.classes = 3;
  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  check_encoding (p, (double[]) { 0, 1, 2 }, 3); /* one-hot */
  p->problem = p->dataset.problem = NN_PROBLEM_REGRESSION;
  p->dataset.generator = NN_GENERATOR_PLANE;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  p->loss = NN_LOSS_MSE;
  check_encoding (p, (double[]) { -0.25, 0.75 }, 2); /* the value */
}

static void
test_refused (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  g_autoptr (NnNetwork) net = make_network (&configs[4], rand); /* softmax over 3 */
  g_autoptr (NnProject) p = make_project (&configs[4]);
  NnPoint s = { 0.0, 0.0, 1 };
  GError *error = NULL;

  p->features = NN_FEATURES_ALL;
  g_assert_null (nn_explain_new (p, net, NULL, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);
  p->features = configs[4].features;

  g_autoptr (NnOptimizer) opt = optimizer_with_state (NN_OPTIMIZER_ADAM, 3, rand);
  g_assert_null (nn_explain_new (p, net, opt, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);

  s.y = 3;
  g_assert_null (nn_explain_new (p, net, NULL, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_clear_error (&error);
  s.y = 1;
  s.x1 = NAN;
  g_assert_null (nn_explain_new (p, net, NULL, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_clear_error (&error);
  s.x1 = 0.0;

  p->problem = NN_PROBLEM_REGRESSION; /* three outputs cannot hold one target */
  g_assert_null (nn_explain_new (p, net, NULL, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);

  /* Out-of-range selections are answered with FALSE, never a crash. */
  p->problem = NN_PROBLEM_CLASSIFICATION;
  g_autoptr (NnExplain) ex = nn_explain_new (p, net, NULL, &s, NULL);
  NnGradientExplanation g;
  NnUpdateExplanation u;
  NnDeltaExplanation d;
  NnParamRef ref;
  g_assert_false (nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (3, 0, 0), &g));
  g_assert_false (nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (0, 4, 0), &g));
  g_assert_false (nn_explain_update (ex, NN_PARAM_REF_WEIGHT (0, 0, 2), &u));
  g_assert_false (nn_explain_update (ex, NN_PARAM_REF_BIAS (2, 3), &u));
  g_assert_false (nn_explain_delta (ex, 1, 3, &d));
  g_assert_false (nn_explain_param_ref (ex, net->n_params, &ref));

  /* Cross-entropy needs a softmax or sigmoid output. */
  g_autoptr (NnNetwork) tanh_net = make_network (&configs[1], rand);
  g_autoptr (NnProject) tanh_p = make_project (&configs[1]);
  tanh_p->loss = NN_LOSS_CROSS_ENTROPY;
  g_assert_null (nn_explain_new (tanh_p, tanh_net, NULL, &s, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

/* The explanation keeps its own copy: training on does not change what it shows. */
static void
test_independent_copy (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  g_autoptr (NnNetwork) net = make_network (&configs[1], rand);
  g_autoptr (NnProject) p = make_project (&configs[1]);
  g_autoptr (NnOptimizer) opt = optimizer_with_state (NN_OPTIMIZER_MOMENTUM, net->n_params, rand);
  NnPoint s = { 1.0, 2.0, 1 };
  g_autoptr (NnExplain) ex = nn_explain_new (p, net, opt, &s, NULL);
  NnUpdateExplanation before, after;

  g_assert_true (nn_explain_update (ex, NN_PARAM_REF_WEIGHT (1, 2, 3), &before));
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = opt->m[i] = 0.0;
  g_assert_true (nn_explain_update (ex, NN_PARAM_REF_WEIGHT (1, 2, 3), &after));
  g_assert_cmpfloat (after.value, ==, before.value);
  g_assert_cmpfloat (after.gradient, ==, before.gradient);
  g_assert_cmpfloat (after.v, ==, before.v);
  g_assert_cmpfloat (after.new_value, ==, before.new_value);
  g_assert_cmpfloat (before.v, !=, 0.0);
  g_assert_cmpfloat (nn_explain_get_layer (ex, 1)->w[2 * 4 + 3], ==, before.value);
}

/* A regression network 2 → 2 → 1 with round weights, explained for the point (1.2, 0.4). */
static NnExplain *
small_explain (NnActivation hidden, NnActivation output, double target)
{
  NnArchitecture arch = { .n_inputs = 2, .n_hidden = 1, .units = { 2 },
                          .activation = { hidden }, .n_outputs = 1,
                          .output_activation = output };
  g_autoptr (NnNetwork) net = nn_network_new (&arch, 1, NULL);
  g_autoptr (NnProject) p = make_project (&configs[0]);
  NnPoint s = { 1.2, 0.4, target };
  NnExplain *ex;

  memcpy (net->params, (double[]) { 0.5, -0.3, 0.2, 0.4, 0.1, -0.1, 0.8, -0.6, 0.05 },
          sizeof (double[9]));
  ex = nn_explain_new (p, net, NULL, &s, NULL);
  g_assert_nonnull (ex);
  return ex;
}

static void
test_text (void)
{
  NnParamRef ref = NN_PARAM_REF_WEIGHT (0, 0, 1);
  g_autoptr (NnExplain) ex = small_explain (NN_ACTIVATION_RELU, NN_ACTIVATION_IDENTITY, 1.0);
  g_autofree char *text = nn_explain_format_text (ex, &ref);

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "u₁₁ = w₁₁x₁ + w₁₂x₂ + b₁ = 0.5·1.2 + (−0.3)·0.4 + 0.1 = 0.58"));
  g_assert_nonnull (strstr (text, "z₁₁ = ReLU(u₁₁) = ReLU(0.58) = 0.58"));
  g_assert_nonnull (strstr (text, "y_p = u₂₁ = "));
  g_assert_nonnull (strstr (text, "L = (y_p − y_t)² = "));
  g_assert_nonnull (strstr (text, "δ₁₁ = (w₁₁δ₂₁) · Θ(u₁₁)"));
  g_assert_nonnull (strstr (text, "∂L/∂w₁₂ = ∂L/∂y_p · ∂y_p/∂u₂₁ · ∂u₂₁/∂z₁₁ · ∂z₁₁/∂u₁₁ · "
                                  "∂u₁₁/∂w₁₂"));
  g_assert_nonnull (strstr (text, "= 2(y_p − y_t) · 1 · w₁₁ · Θ(u₁₁) · x₂"));
  g_assert_nonnull (strstr (text, "ĥ = h/(1 − β₂^(t+1))"));

  /* Without a parameter: the forward and backward passes only. */
  g_autofree char *plain = nn_explain_format_text (ex, NULL);
  g_assert_null (strstr (plain, "Gradient of"));
  g_assert_nonnull (strstr (plain, "Back-propagation"));
}

/* The one formula writer, in its two notations: the same formula, as plain Unicode for the
 * command line and as Pango markup for the figure. */
static void
test_notation (void)
{
  g_autoptr (NnExplain) ex = small_explain (NN_ACTIVATION_TANH, NN_ACTIVATION_TANH, -1.0);
  NnGradientExplanation g;
  GString *plain = g_string_new (NULL), *markup = g_string_new (NULL);
  g_autofree char *text = NULL;

  nn_explain_append_symbol (plain, NN_EXPLAIN_PLAIN, "w", 0, 11);
  nn_explain_append_symbol (markup, NN_EXPLAIN_MARKUP, "w", 0, 11);
  g_assert_cmpstr (plain->str, ==, "w₁,₁₂");
  g_assert_cmpstr (markup->str, ==, "<i>w</i><sub>1,12</sub>");

  g_string_truncate (plain, 0);
  g_string_truncate (markup, 0);
  nn_explain_append_squared (plain, NN_EXPLAIN_PLAIN, -1.25e-5);
  nn_explain_append_squared (markup, NN_EXPLAIN_MARKUP, -1.25e-5);
  g_assert_cmpstr (plain->str, ==, "(−1.25e−05)²");
  g_assert_cmpstr (markup->str, ==, "(−1.25×10<sup>−5</sup>)<sup>2</sup>");

  /* A chain factor, the same derivative in both. */
  g_assert_true (nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (0, 0, 1), &g));
  g_string_truncate (plain, 0);
  g_string_truncate (markup, 0);
  for (guint i = 0; i < g.n_factors; i++)
    {
      nn_explain_append_partial (plain, NN_EXPLAIN_PLAIN, ex, &g.factors[i], g.ref);
      nn_explain_append_partial (markup, NN_EXPLAIN_MARKUP, ex, &g.factors[i], g.ref);
    }
  g_assert_cmpstr (plain->str, ==, "∂L/∂y_p∂y_p/∂u₂₁∂u₂₁/∂z₁₁∂z₁₁/∂u₁₁∂u₁₁/∂w₁₂");
  g_assert_cmpstr (markup->str, ==,
                   "∂<i>L</i>/∂<i>y</i><sub>p</sub>∂<i>y</i><sub>p</sub>/∂<i>u</i><sub>21</sub>"
                   "∂<i>u</i><sub>21</sub>/∂<i>z</i><sub>11</sub>∂<i>z</i><sub>11</sub>/∂"
                   "<i>u</i><sub>11</sub>∂<i>u</i><sub>11</sub>/∂<i>w</i><sub>12</sub>");

  /* A negative target is bracketed in the loss, as in every sum. */
  text = nn_explain_format_text (ex, NULL);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, " − (−1))² = "));
  g_string_free (plain, TRUE);
  g_string_free (markup, TRUE);
}

/* Not a timed test: the figure is printed, the app rebuilds the walkthrough on every click. */
static void
test_cost (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);
  const guint rounds = 20000;

  for (guint c = 0; c < G_N_ELEMENTS (configs); c += 6)
    {
      g_autoptr (NnNetwork) net = make_network (&configs[c], rand);
      g_autoptr (NnProject) p = make_project (&configs[c]);
      g_autoptr (NnOptimizer) opt = optimizer_with_state (NN_OPTIMIZER_ADAM, net->n_params, rand);
      NnPoint s = random_sample (&configs[c], rand);
      gint64 start = g_get_monotonic_time ();
      double sink = 0.0;

      for (guint r = 0; r < rounds; r++)
        {
          NnGradientExplanation g;
          NnUpdateExplanation u;
          NnExplain *ex = nn_explain_new (p, net, opt, &s, NULL);
          nn_explain_gradient (ex, NN_PARAM_REF_WEIGHT (0, 0, 0), &g);
          nn_explain_update (ex, NN_PARAM_REF_WEIGHT (0, 0, 0), &u);
          sink += u.new_value;
          nn_explain_free (ex);
        }
      g_test_message ("%s (%" G_GSIZE_FORMAT " parameters): %.2f µs per walkthrough (%g)",
                      configs[c].name, net->n_params,
                      (double) (g_get_monotonic_time () - start) / rounds, sink);
    }
}

int
main (int argc, char **argv)
{
  /* The walkthrough's messages are UTF-8 (u₁₁, ∂L/∂w); the numbers must not follow it. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain/engine-agreement", test_engine_agreement);
  g_test_add_func ("/explain/update-agreement", test_update_agreement);
  g_test_add_func ("/explain/update-fresh-optimizer", test_update_fresh_optimizer);
  g_test_add_func ("/explain/course-chain", test_course_chain);
  g_test_add_func ("/explain/several-paths", test_several_paths);
  g_test_add_func ("/explain/trainer", test_trainer);
  g_test_add_func ("/explain/target-encoding", test_target_encoding);
  g_test_add_func ("/explain/refused", test_refused);
  g_test_add_func ("/explain/independent-copy", test_independent_copy);
  g_test_add_func ("/explain/text", test_text);
  g_test_add_func ("/explain/notation", test_notation);
  g_test_add_func ("/explain/cost", test_cost);
  return g_test_run ();
}
