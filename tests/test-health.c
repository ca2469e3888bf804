/* test-health.c: gradient and weight norms, dead and saturated units, and the advice
 * built on them. */
#include "nn-activation.h"
#include "nn-advice.h"
#include "nn-error.h"
#include "nn-health.h"
#include "nn-metrics.h"
#include "nn-trainer.h"
#include "test-utils.h"

#include <math.h>
#include <string.h>

static NnProject *
project_with (guint n_hidden, guint units, NnActivation activation)
{
  NnProject *p = test_project_unweighted (11);

  p->arch.n_hidden = n_hidden;
  for (guint l = 0; l < n_hidden; l++)
    {
      p->arch.units[l] = units;
      p->arch.activation[l] = activation;
    }
  nn_project_sync_shape (p);
  return p;
}

static void
measure (NnTrainer *t, NnHealth *h)
{
  g_autoptr (NnHealthProbe) probe = nn_health_probe_new ();
  nn_health_compute (probe, t, NULL, h);
}

static void
set_layer_biases (NnTrainer *t, guint layer, guint from, guint to, double value)
{
  for (guint o = from; o < to; o++)
    nn_trainer_set_bias (t, layer, o, value);
}

static void
test_dead_units (void)
{
  g_autoptr (NnProject) p = project_with (2, 8, NN_ACTIVATION_RELU);
  NnTrainer *t;
  NnHealth h;
  NnNetwork *net;
  g_autofree double *before = NULL;

  p->arch.units[1] = 4;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);
  net = nn_trainer_get_network (t);

  /* Every bias far below anything W·x reaches on the plane: nothing ever fires. */
  set_layer_biases (t, 0, 0, 8, -1000.0);
  before = g_memdup2 (net->params, net->n_params * sizeof (double));
  measure (t, &h);
  g_assert_cmpmem (before, net->n_params * sizeof (double), net->params,
                   net->n_params * sizeof (double));
  g_assert_cmpuint (h.n_layers, ==, 3);
  g_assert_cmpuint (h.n_samples, ==, nn_trainer_get_dataset (t)->n_train);
  g_assert_cmpuint (h.layers[0].n_units, ==, 8);
  g_assert_cmpuint (h.layers[0].dead, ==, 8);
  g_assert_cmpuint (h.layers[0].activation, ==, NN_ACTIVATION_RELU);
  /* Layer 2 sees only zeros, its zero biases leave u = 0: dead too; no gradient flows. */
  g_assert_cmpuint (h.layers[1].dead, ==, 4);
  g_assert_cmpfloat (h.layers[0].grad_norm, ==, 0.0);
  g_assert_cmpfloat (h.layers[0].weight_norm, >, 0.0);
  g_assert_cmpfloat (nn_layer_health_figure (&h.layers[0], NN_HEALTH_DEAD_SHARE), ==, 1.0);

  /* Five dead, three always on. */
  set_layer_biases (t, 0, 0, 5, -1000.0);
  set_layer_biases (t, 0, 5, 8, 1000.0);
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].dead, ==, 5);
  g_assert_cmpuint (h.layers[0].saturated, ==, 0);
  g_assert_cmpuint (h.layers[0].inactive, ==, 0);
  g_assert_cmpfloat (nn_layer_health_figure (&h.layers[0], NN_HEALTH_DEAD_SHARE), ==, 5.0 / 8);

  /* Left as initialised (zero biases), units cut through the data: none dead. */
  set_layer_biases (t, 0, 0, 8, 0.0);
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].dead, ==, 0);
  nn_trainer_free (t);
}

static void
test_inactive_leaky (void)
{
  g_autoptr (NnProject) p = project_with (1, 6, NN_ACTIVATION_LEAKY_RELU);
  NnTrainer *t = test_trainer_new (p);
  NnHealth h;

  set_layer_biases (t, 0, 0, 2, -1000.0);
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].inactive, ==, 2);
  g_assert_cmpuint (h.layers[0].dead, ==, 0);
  /* The leak still passes a gradient. */
  g_assert_cmpfloat (h.layers[0].grad_norm, >, 0.0);
  nn_trainer_free (t);
}

static void
test_saturation_threshold (void)
{
  double tanh_at = nn_health_saturation_threshold (NN_ACTIVATION_TANH);
  double sigmoid_at = nn_health_saturation_threshold (NN_ACTIVATION_SIGMOID);

  g_assert_cmpfloat_with_epsilon (tanh_at, 2.993222846, 1e-8);
  g_assert_cmpfloat_with_epsilon (sigmoid_at, 5.986445693, 1e-8);
  g_assert_cmpfloat_with_epsilon (nn_activation_derivative (NN_ACTIVATION_TANH, 0, tanh_at),
                                  0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (
      nn_activation_derivative (NN_ACTIVATION_SIGMOID, 0, sigmoid_at), 0.01 * 0.25, 1e-12);
  g_assert_true (isinf (nn_health_saturation_threshold (NN_ACTIVATION_RELU)));
}

static void
scale_weights (NnTrainer *t, guint layer, double factor)
{
  NnNetwork *net = nn_trainer_get_network (t);
  const NnLayer *l = &net->layers[layer];

  for (guint o = 0; o < l->n_out; o++)
    for (guint i = 0; i < l->n_in; i++)
      nn_trainer_set_weight (t, layer, o, i, *nn_network_weight_ptr (net, layer, o, i) * factor);
}

static void
test_saturation (gconstpointer data)
{
  NnActivation activation = GPOINTER_TO_UINT (data);
  g_autoptr (NnProject) p = project_with (2, 6, activation);
  NnTrainer *t = test_trainer_new (p);
  NnHealth h;

  measure (t, &h);
  g_assert_cmpuint (h.layers[0].saturated, ==, 0);

  /* Huge weights: |u| is enormous for every point off a hair-thin band. */
  scale_weights (t, 0, 1e6);
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].saturated, ==, 6);
  g_assert_cmpfloat (nn_layer_health_figure (&h.layers[0], NN_HEALTH_SATURATED_SHARE), ==, 1.0);
  g_assert_cmpuint (h.layers[0].dead, ==, 0);

  /* Two units silenced (u = 0, the derivative at its maximum): four saturated. */
  for (guint o = 0; o < 2; o++)
    for (guint i = 0; i < 2; i++)
      nn_trainer_set_weight (t, 0, o, i, 0.0);
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].saturated, ==, 4);
  nn_trainer_free (t);
}

/* The 99 % rule at its edge: 100 points, one unit saturated on 99, one on 98. */
static void
test_saturation_share (gconstpointer data)
{
  NnActivation activation = GPOINTER_TO_UINT (data);
  g_autoptr (NnProject) p = project_with (1, 2, activation);
  /* |u| = 3.5 beyond tanh's threshold, 7 beyond the sigmoid's; points stay in the plane. */
  const double big = 3.5, weight = activation == NN_ACTIVATION_TANH ? 1.0 : 2.0;
  NnTrainer *t;
  NnHealth h;

  p->dataset.generator = NN_GENERATOR_POINTS;
  p->dataset.points = g_array_new (FALSE, FALSE, sizeof (NnPoint));
  for (guint i = 0; i < 100; i++)
    {
      NnPoint pt = { i == 0 ? 0.0 : big, i <= 1 ? 0.0 : big, i % 2 };
      g_array_append_val (p->dataset.points, pt);
    }
  t = test_trainer_new (p);
  g_assert_cmpuint (nn_trainer_get_dataset (t)->n_train, ==, 100);
  for (guint o = 0; o < 2; o++)
    {
      nn_trainer_set_weight (t, 0, o, 0, o == 0 ? weight : 0.0);
      nn_trainer_set_weight (t, 0, o, 1, o == 1 ? weight : 0.0);
      nn_trainer_set_bias (t, 0, o, 0.0);
    }
  measure (t, &h);
  g_assert_cmpuint (h.layers[0].saturated, ==, 1);
  nn_trainer_free (t);
}

static double
layer_norm (const double *v, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += v[i] * v[i];
  return sqrt (s);
}

/* The health's gradient is the gradient of the full-batch loss: the one a GD step uses. */
static void
test_gradient_matches_trainer (void)
{
  g_autoptr (NnProject) p = project_with (2, 5, NN_ACTIVATION_TANH);
  g_autoptr (NnHealthProbe) probe = nn_health_probe_new ();
  NnTrainer *t;
  NnNetwork *net;
  NnHealth h;
  NnEpochStats stats;
  guint checked = 0;

  p->dataset.count = 1400;
  p->dataset.train_ratio = 0.5; /* 700 points: three chunks */
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_GD);
  p->optimizer.learning_rate = 0.1;
  t = test_trainer_new (p);
  net = nn_trainer_get_network (t);
  nn_trainer_step_epoch (t);

  nn_health_compute (probe, t, NULL, &h);
  nn_trainer_evaluate (t, &stats);
  g_assert_cmpuint (h.n_samples, ==, 700);
  g_assert_cmpfloat_with_epsilon (h.loss, stats.train_loss, 1e-12);

  g_assert_true (nn_trainer_step (t)); /* the GD step leaves its gradient in net->grads */
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      gsize n_weights = (gsize) layer->n_out * layer->n_in;
      double expected = layer_norm (net->grads + layer->w_offset, n_weights);
      double bias = layer_norm (net->grads + layer->b_offset, layer->n_out);

      g_assert_cmpfloat (expected, >, 1e-6);
      g_assert_cmpfloat (fabs (h.layers[l].grad_norm - expected), <=, 1e-12 * expected);
      g_assert_cmpfloat (fabs (h.layers[l].bias_grad_norm - bias), <=, 1e-12 * bias + 1e-15);
      g_assert_cmpfloat_with_epsilon (h.layers[l].grad_rms, expected / sqrt ((double) n_weights),
                                      1e-12);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 3);

  /* A bounded sample: evenly spaced points. */
  nn_health_probe_set_max_samples (probe, 100);
  g_assert_cmpuint (nn_health_probe_get_max_samples (probe), ==, 100);
  nn_health_compute (probe, t, NULL, &h);
  g_assert_cmpuint (h.n_samples, ==, 100);
  g_assert_cmpfloat (h.layers[0].grad_norm, >, 0.0);
  nn_trainer_free (t);
}

/* Against central differences of the loss, weight by weight. */
static void
test_gradient_finite_differences (void)
{
  g_autoptr (NnProject) p = project_with (2, 3, NN_ACTIVATION_TANH);
  g_autoptr (NnHealthProbe) probe = nn_health_probe_new ();
  NnTrainer *t;
  NnNetwork *net;
  NnHealth h, plus, minus;
  g_autofree double *params = NULL;
  const double step = 1e-5;
  guint checked = 0;

  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  p->loss = NN_LOSS_CROSS_ENTROPY;
  p->dataset.generator = NN_GENERATOR_BLOBS;
  p->dataset.classes = 3;
  p->dataset.count = 60;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);
  nn_trainer_train (t, 3, NULL, NULL, NULL);
  net = nn_trainer_get_network (t);
  params = g_memdup2 (net->params, net->n_params * sizeof (double));
  nn_health_compute (probe, t, NULL, &h);

  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      gsize n = (gsize) layer->n_out * layer->n_in;
      double sum = 0.0;

      for (gsize i = 0; i < n; i++)
        {
          double *w = params + layer->w_offset + i, saved = *w, g;
          *w = saved + step;
          nn_health_compute (probe, t, params, &plus);
          *w = saved - step;
          nn_health_compute (probe, t, params, &minus);
          *w = saved;
          g = (plus.loss - minus.loss) / (2 * step);
          sum += g * g;
        }
      g_assert_cmpfloat (h.layers[l].grad_norm, >, 1e-4);
      g_assert_cmpfloat (fabs (sqrt (sum) - h.layers[l].grad_norm), <=,
                         1e-6 * h.layers[l].grad_norm);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 3);
  /* Passing the parameters explicitly gives the same as the current ones. */
  nn_health_compute (probe, t, params, &plus);
  g_assert_cmpmem (&plus, sizeof plus, &h, sizeof h);
  nn_trainer_free (t);
}

static NnTrainer *
deep_sigmoid_trainer (void)
{
  g_autoptr (NnProject) p = project_with (8, 8, NN_ACTIVATION_SIGMOID);

  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_SGD);
  p->optimizer.learning_rate = 0.03;
  return test_trainer_new (p);
}

static void
test_vanishing (void)
{
  NnTrainer *t = deep_sigmoid_trainer ();
  NnHealth h;
  NnConfusion confusion;
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  guint n;
  gboolean found = FALSE;

  nn_trainer_train (t, NN_ADVICE_MIN_EPOCHS, NULL, NULL, NULL);
  measure (t, &h);
  g_test_message ("deep sigmoid: first layer gradient %.3g per weight, output %.3g",
                  h.layers[0].grad_rms, h.layers[h.n_layers - 1].grad_rms);
  g_assert_cmpfloat (h.layers[0].grad_rms, <, 1e-3 * h.layers[h.n_layers - 1].grad_rms);
  /* It shrinks on the way back: the lower half is far weaker than the upper half. */
  g_assert_cmpfloat (h.layers[h.n_layers / 2 - 1].grad_rms, <, h.layers[h.n_layers - 2].grad_rms);

  nn_metrics_confusion (t, NN_SPLIT_TRAIN, &confusion, NULL);
  nn_advice_input_from_trainer (&in, t, &h, &confusion);
  n = nn_advice_check (&in, advice);
  for (guint i = 0; i < n; i++)
    if (advice[i].kind == NN_ADVICE_VANISHING_GRADIENTS)
      {
        g_autofree char *text = nn_advice_format (&advice[i]);
        g_test_message ("%s", text);
        g_assert_cmpuint (advice[i].layer, ==, 0);
        g_assert_cmpfloat (advice[i].factor, >, 1000.0);
        g_assert_cmpuint (advice[i].activation, ==, NN_ACTIVATION_SIGMOID);
        g_assert_nonnull (strstr (text, "vanishing gradients"));
        found = TRUE;
      }
  g_assert_true (found);
  nn_trainer_free (t);
}

/* A healthy run raises nothing. */
static void
test_healthy_run (void)
{
  g_autoptr (NnProject) p = project_with (2, 8, NN_ACTIVATION_TANH);
  NnTrainer *t = test_trainer_new (p);
  g_autoptr (NnHealthProbe) probe = nn_health_probe_new ();

  for (guint e = 0; e < 60; e++)
    {
      NnHealth h;
      NnConfusion confusion;
      NnAdviceInput in;
      NnAdvice advice[NN_N_ADVICE_KINDS];
      guint n;

      nn_trainer_step_epoch (t);
      nn_health_compute (probe, t, NULL, &h);
      nn_metrics_confusion (t, NN_SPLIT_TRAIN, &confusion, NULL);
      nn_advice_input_from_trainer (&in, t, &h, &confusion);
      n = nn_advice_check (&in, advice);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = nn_advice_format (&advice[i]);
          g_test_message ("epoch %u: %s", e + 1, text);
        }
      g_assert_cmpuint (n, ==, 0);
    }
  nn_trainer_free (t);
}

static void
test_advice_dead_units (void)
{
  g_autoptr (NnProject) p = project_with (3, 8, NN_ACTIVATION_RELU);
  NnTrainer *t = test_trainer_new (p);
  NnHealth h;
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  guint n;
  g_autofree char *text = NULL;

  measure (t, &h);
  nn_advice_input_from_trainer (&in, t, &h, NULL);
  g_assert_cmpuint (nn_advice_check (&in, advice), ==, 0);

  /* Hidden layer 3 (index 2): 5 of 8 dead; layer 2 alive (its units always on). */
  set_layer_biases (t, 1, 0, 8, 1000.0);
  set_layer_biases (t, 2, 0, 5, -1e6);
  set_layer_biases (t, 2, 5, 8, 1e6);
  measure (t, &h);
  g_assert_cmpuint (h.layers[2].dead, ==, 5);
  nn_advice_input_from_trainer (&in, t, &h, NULL);
  n = nn_advice_check (&in, advice);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (advice[0].kind, ==, NN_ADVICE_DEAD_UNITS);
  g_assert_cmpuint (advice[0].layer, ==, 2);
  g_assert_cmpuint (advice[0].units, ==, 5);
  g_assert_cmpuint (advice[0].total, ==, 8);
  text = nn_advice_format (&advice[0]);
  g_assert_cmpstr (text, ==, "layer 3: 5 of 8 ReLU units are dead — they output 0 for every "
                             "point, so they no longer learn");

  /* One dead unit of eight is below the share worth a warning. */
  set_layer_biases (t, 2, 1, 5, 1e6);
  measure (t, &h);
  g_assert_cmpuint (h.layers[2].dead, ==, 1);
  nn_advice_input_from_trainer (&in, t, &h, NULL);
  g_assert_cmpuint (nn_advice_check (&in, advice), ==, 0);
  nn_trainer_free (t);
}

/* A history of `n` epochs from 20 on, with loss f(i) at epoch 20 + i. */
static NnEpochStats *
history_of (guint n, double (*f) (guint i))
{
  NnEpochStats *h = g_new0 (NnEpochStats, n);

  for (guint i = 0; i < n; i++)
    {
      h[i].epoch = 20 + i;
      h[i].train_loss = f (i);
      h[i].test_loss = f (i);
    }
  return h;
}

/* Adam on a hard problem: falling, with a spike every 7 epochs that recovers at once, and
 * one burst of three epochs. */
static double
spiky_falling (guint i)
{
  double base = 0.8 * exp (-0.03 * i) + 0.05 * ((i * 37) % 11) / 11.0;

  if (i % 7 == 3 || (i >= 30 && i < 33))
    return base * 4.0;
  return base;
}

/* Converged and noisy: no trend at all, ±40 % noise from a fixed seed. */
static GRand *plateau_rand;

static double
noisy_plateau (guint i)
{
  return 0.05 * (1.0 + g_rand_double_range (plateau_rand, -0.4, 0.4));
}

/* Climbing steadily, 3 % an epoch, with noise. */
static double
steady_rise (guint i)
{
  return 0.2 * pow (1.03, i) * (1.0 + 0.05 * sin (i * 1.7));
}

/* Blowing up: tenfold every four epochs. */
static double
diverging (guint i)
{
  return 0.3 * pow (10.0, i / 4.0);
}

static guint
rising_in (const NnEpochStats *h, guint n, NnAdvice *found)
{
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  guint k;

  memset (&in, 0, sizeof in);
  in.epoch = h[n - 1].epoch;
  in.history = h;
  in.n_history = n;
  in.learning_rate = 0.05;
  in.optimizer = NN_OPTIMIZER_ADAM;
  k = nn_advice_check (&in, advice);
  for (guint i = 0; i < k; i++)
    if (advice[i].kind == NN_ADVICE_LOSS_RISING)
      {
        if (found != NULL)
          *found = advice[i];
        return 1;
      }
  return 0;
}

/* How many of the history's prefixes (each a moment of the run) raise the warning. */
static guint
rising_count (const NnEpochStats *h, guint n)
{
  guint count = 0;

  for (guint end = 1; end <= n; end++)
    count += rising_in (h, end, NULL);
  return count;
}

static void
test_advice_loss_rising_constructed (void)
{
  g_autofree NnEpochStats *spiky = history_of (80, spiky_falling);
  g_autofree NnEpochStats *plateau = NULL;
  g_autofree NnEpochStats *rising = history_of (40, steady_rise);
  g_autofree NnEpochStats *blowing = history_of (3 * NN_ADVICE_RISING_WINDOW, diverging);
  NnAdvice a;

  /* Spikes four times the loss around them, and they recover: never a warning, at any
   * moment of the run; nor on a noisy plateau, however long. */
  g_assert_cmpfloat (spiky[10].train_loss, >, 3 * spiky[9].train_loss);
  g_assert_cmpuint (rising_count (spiky, 80), ==, 0);
  plateau_rand = g_rand_new_with_seed (5);
  plateau = history_of (400, noisy_plateau);
  g_clear_pointer (&plateau_rand, g_rand_free);
  g_assert_cmpuint (rising_count (plateau, 400), ==, 0);

  /* Too short a history says nothing; a steady climb is found once three windows hold it. */
  g_assert_cmpuint (rising_in (rising, 3 * NN_ADVICE_RISING_WINDOW - 1, NULL), ==, 0);
  g_assert_cmpuint (rising_in (rising, 40, &a), ==, 1);
  g_assert_cmpfloat (a.loss_to, >, 1.1 * a.loss_from);
  g_assert_cmpfloat (a.loss_from, >=, rising[40 - 3 * NN_ADVICE_RISING_WINDOW].train_loss * 0.9);
  g_assert_cmpuint (a.epochs, ==, 3 * NN_ADVICE_RISING_WINDOW - 1);
  g_assert_cmpuint (a.epoch, ==, 59);

  /* Divergence, even when its last loss is already infinite. */
  g_assert_cmpuint (rising_in (blowing, 3 * NN_ADVICE_RISING_WINDOW, NULL), ==, 1);
  blowing[3 * NN_ADVICE_RISING_WINDOW - 1].train_loss = INFINITY;
  g_assert_cmpuint (rising_in (blowing, 3 * NN_ADVICE_RISING_WINDOW, NULL), ==, 1);

  /* The rise must last: put the newest window back where the curve started. */
  for (guint i = 40 - NN_ADVICE_RISING_WINDOW; i < 40; i++)
    rising[i].train_loss = rising[40 - 3 * NN_ADVICE_RISING_WINDOW].train_loss;
  g_assert_cmpuint (rising_in (rising, 40, NULL), ==, 0);
}

/* The English sentence of the warning. */
static void
test_advice_loss_rising_text (void)
{
  NnAdvice a = { 0 };
  g_autofree char *text = NULL;

  a.kind = NN_ADVICE_LOSS_RISING;
  a.loss_from = 0.2;
  a.loss_to = 0.35;
  a.epochs = 17;
  a.learning_rate = 3.0;
  a.optimizer = NN_OPTIMIZER_SGD;
  text = nn_advice_format (&a);
  g_assert_cmpstr (text, ==, "the training loss rose from 0.2 to 0.35 over the last 17 epochs — "
                             "the learning rate 3 is probably too high for sgd; try a smaller "
                             "one");
}

/* A real run: linear regression by full-batch GD with a step far beyond 2/λ, the largest
 * step that converges. Every epoch multiplies the error by about the same factor, so the
 * loss climbs steadily, whatever the floating-point details, until it overflows. The
 * warning must come while the loss is still finite. */
static void
test_advice_loss_rising_real (void)
{
  g_autoptr (NnProject) p = project_with (0, 0, NN_ACTIVATION_TANH);
  g_autoptr (GError) error = NULL;
  NnTrainer *t;
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  const NnEpochStats *history;
  guint found_at = 0, n_history;

  p->problem = NN_PROBLEM_REGRESSION;
  p->dataset.generator = NN_GENERATOR_PLANE;
  p->dataset.problem = NN_PROBLEM_REGRESSION;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  p->loss = NN_LOSS_MSE;
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_GD);
  p->optimizer.learning_rate = 1.0;
  nn_project_sync_shape (p);
  g_assert_true (nn_project_validate (p, &error));
  t = test_trainer_new (p);
  for (guint e = 0; e < 500 && found_at == 0 && !nn_trainer_diverged (t); e++)
    {
      guint n;

      nn_trainer_step_epoch (t);
      nn_advice_input_from_trainer (&in, t, NULL, NULL);
      n = nn_advice_check (&in, advice);
      for (guint i = 0; i < n; i++)
        if (advice[i].kind == NN_ADVICE_LOSS_RISING)
          found_at = in.epoch;
    }
  history = nn_trainer_get_history (t, &n_history);
  g_test_message ("GD at 1.0: loss %.3g at epoch 0, %.3g at epoch %u; warned at epoch %u",
                  history[0].train_loss, history[n_history - 1].train_loss,
                  history[n_history - 1].epoch, found_at);
  g_assert_cmpuint (found_at, >=, 3 * NN_ADVICE_RISING_WINDOW - 1);
  g_assert_false (nn_trainer_diverged (t));
  g_assert_true (isfinite (history[n_history - 1].train_loss));
  g_assert_cmpfloat (history[n_history - 1].train_loss, >, 10 * history[0].train_loss);
  nn_trainer_free (t);
}

static void
test_advice_one_class (void)
{
  g_autoptr (NnProject) p = project_with (1, 4, NN_ACTIVATION_TANH);
  NnTrainer *t = test_trainer_new (p);
  NnConfusion confusion;
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  guint n;

  /* A saturated output unit: class 1 for every point, and no gradient to leave it. */
  nn_trainer_set_bias (t, 1, 0, 1000.0);
  nn_trainer_train (t, NN_ADVICE_MIN_EPOCHS, NULL, NULL, NULL);
  g_assert_true (nn_metrics_confusion (t, NN_SPLIT_TRAIN, &confusion, NULL));
  g_assert_cmpuint (nn_confusion_predicted_count (&confusion, 1), ==, confusion.total);
  nn_advice_input_from_trainer (&in, t, NULL, &confusion);
  n = nn_advice_check (&in, advice);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (advice[0].kind, ==, NN_ADVICE_ONE_CLASS);
  g_assert_cmpuint (advice[0].predicted_class, ==, 1);
  g_assert_cmpuint (advice[0].classes, ==, 2);

  /* Too early to judge. */
  in.epoch = NN_ADVICE_MIN_EPOCHS - 1;
  g_assert_cmpuint (nn_advice_check (&in, advice), ==, 0);

  /* Not balanced: 90 of one class, 10 of the other, all predicted as the first. */
  memset (&confusion, 0, sizeof confusion);
  confusion.classes = 2;
  confusion.total = 100;
  confusion.counts[0][0] = 90;
  confusion.counts[1][0] = 10;
  in.epoch = 50;
  g_assert_cmpuint (nn_advice_check (&in, advice), ==, 0);
  nn_trainer_free (t);
}

static void
test_advice_diverged (void)
{
  g_autoptr (NnProject) p = project_with (2, 8, NN_ACTIVATION_RELU);
  g_autoptr (GError) error = NULL;
  NnTrainer *t;
  NnAdviceInput in;
  NnAdvice advice[NN_N_ADVICE_KINDS];
  guint n;
  g_autofree char *text = NULL;

  p->problem = NN_PROBLEM_REGRESSION;
  p->dataset.generator = NN_GENERATOR_PLANE;
  p->dataset.problem = NN_PROBLEM_REGRESSION;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_SGD);
  p->optimizer.learning_rate = 10.0;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);
  g_assert_false (nn_trainer_train (t, 100, NULL, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_DIVERGED);
  g_assert_true (nn_trainer_diverged (t));

  nn_advice_input_from_trainer (&in, t, NULL, NULL);
  n = nn_advice_check (&in, advice);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (advice[0].kind, ==, NN_ADVICE_DIVERGED);
  g_assert_cmpuint (advice[0].epoch, ==, nn_trainer_get_epoch (t) + 1);
  g_assert_cmpfloat (advice[0].learning_rate, ==, 10.0);
  g_assert_cmpuint (advice[0].optimizer, ==, NN_OPTIMIZER_SGD);
  text = nn_advice_format (&advice[0]);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "diverged at epoch"));
  g_assert_nonnull (strstr (text, "learning rate 10 is too high for sgd"));
  nn_trainer_free (t);
}

static void
test_advice_shown_once (void)
{
  NnAdviceMask shown = 0;
  NnAdvice advice[3] = { { 0 } };
  guint n;

  advice[0].kind = NN_ADVICE_DEAD_UNITS;
  advice[1].kind = NN_ADVICE_ONE_CLASS;
  advice[2].kind = NN_ADVICE_LOSS_RISING;
  n = nn_advice_take_new (&shown, advice, 2);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (nn_advice_mask_has (shown, NN_ADVICE_DEAD_UNITS));
  g_assert_true (nn_advice_mask_has (shown, NN_ADVICE_ONE_CLASS));
  g_assert_false (nn_advice_mask_has (shown, NN_ADVICE_LOSS_RISING));

  advice[0].kind = NN_ADVICE_DEAD_UNITS;
  advice[1].kind = NN_ADVICE_LOSS_RISING;
  advice[2].kind = NN_ADVICE_ONE_CLASS;
  n = nn_advice_take_new (&shown, advice, 3);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (advice[0].kind, ==, NN_ADVICE_LOSS_RISING);
  g_assert_cmpuint (nn_advice_take_new (&shown, advice, 3), ==, 0);

  for (guint k = 0; k < NN_N_ADVICE_KINDS; k++)
    {
      NnAdvice a = { 0 };
      g_autofree char *text = NULL;
      a.kind = k;
      text = nn_advice_format (&a);
      g_assert_nonnull (text);
      g_assert_nonnull (nn_advice_kind_to_string (k));
    }
  g_assert_cmpstr (nn_advice_kind_to_string (NN_ADVICE_VANISHING_GRADIENTS), ==,
                   "vanishing-gradients");
}

static void
fake_health (NnHealth *h, guint n_layers, guint epoch, double value)
{
  memset (h, 0, sizeof *h);
  h->epoch = epoch;
  h->n_layers = n_layers;
  for (guint l = 0; l < n_layers; l++)
    {
      h->layers[l].n_units = 4;
      h->layers[l].grad_norm = value + l;
      h->layers[l].dead = l;
    }
}

static void
test_history (void)
{
  g_autoptr (NnHealthHistory) history = nn_health_history_new (8);
  g_autoptr (NnHealthHistory) copy = NULL;
  NnHealth h;
  double series[16];
  guint n;

  g_assert_cmpuint (nn_health_history_get_capacity (history), ==, 8);
  g_assert_null (nn_health_history_get_last (history));
  g_assert_null (nn_health_history_at_epoch (history, 5));
  for (guint i = 0; i < 8; i++)
    {
      /* Measured every 10 epochs; the shape changes at record 6: two layers, not three. */
      fake_health (&h, i < 6 ? 3 : 2, 10 * i, i);
      nn_health_history_push (history, &h);
    }
  g_assert_cmpuint (nn_health_history_get_n (history), ==, 8);
  g_assert_cmpfloat (nn_health_history_get_nth (history, 0)->layers[0].grad_norm, ==, 0.0);
  g_assert_cmpfloat (nn_health_history_get_last (history)->layers[0].grad_norm, ==, 7.0);
  g_assert_null (nn_health_history_get_nth (history, 8));

  n = nn_health_history_series (history, 1, NN_HEALTH_GRAD_NORM, series, 16);
  g_assert_cmpuint (n, ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat (series[i], ==, i + 1.0);
  n = nn_health_history_series (history, 2, NN_HEALTH_DEAD_SHARE, series, 16);
  for (guint i = 0; i < n; i++)
    {
      if (i < 6)
        g_assert_cmpfloat (series[i], ==, 0.5);
      else
        g_assert_true (isnan (series[i]));
    }
  /* At most `max` values: the newest. */
  n = nn_health_history_series (history, 0, NN_HEALTH_GRAD_NORM, series, 3);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (series[0], ==, 5.0);
  g_assert_cmpfloat (series[2], ==, 7.0);

  /* The health at a past epoch: the last measurement at or before it, and the series up
   * to there. */
  g_assert_cmpuint (nn_health_history_at_epoch (history, 35)->epoch, ==, 30);
  g_assert_cmpuint (nn_health_history_at_epoch (history, 30)->epoch, ==, 30);
  g_assert_cmpuint (nn_health_history_at_epoch (history, 1000)->epoch, ==, 70);
  n = nn_health_history_series_until (history, 0, NN_HEALTH_GRAD_NORM, 35, series, 16);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (series[3], ==, 3.0);
  n = nn_health_history_series_until (history, 0, NN_HEALTH_GRAD_NORM, 35, series, 2);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (series[0], ==, 2.0);

  /* Full: thinned evenly, the first and the newest kept, never more than the capacity. */
  for (guint i = 8; i < 200; i++)
    {
      fake_health (&h, 2, 10 * i, i);
      nn_health_history_push (history, &h);
      g_assert_cmpuint (nn_health_history_get_n (history), <=, 8);
      g_assert_cmpuint (nn_health_history_get_nth (history, 0)->epoch, ==, 0);
      g_assert_cmpuint (nn_health_history_get_last (history)->epoch, ==, 10 * i);
    }
  g_assert_cmpuint (nn_health_history_get_n (history), >=, 4);
  for (guint i = 1; i + 1 < nn_health_history_get_n (history); i++)
    {
      /* The kept records cover the run: none more than a quarter of it after the last. */
      guint gap = nn_health_history_get_nth (history, i)->epoch
                  - nn_health_history_get_nth (history, i - 1)->epoch;
      g_assert_cmpuint (gap, >, 0);
      g_assert_cmpuint (gap, <=, 1990 / 4 + 10);
    }

  /* A rewind to epoch 500: the records after it go, the new branch follows. */
  fake_health (&h, 2, 500, -1);
  nn_health_history_push (history, &h);
  g_assert_cmpuint (nn_health_history_get_last (history)->epoch, ==, 500);
  g_assert_cmpfloat (nn_health_history_get_last (history)->layers[0].grad_norm, ==, -1.0);
  for (guint i = 0; i + 1 < nn_health_history_get_n (history); i++)
    g_assert_cmpuint (nn_health_history_get_nth (history, i)->epoch, <, 500);
  /* Measured again at the same epoch (after an edit): replaced, not added. */
  n = nn_health_history_get_n (history);
  fake_health (&h, 2, 500, -2);
  nn_health_history_push (history, &h);
  g_assert_cmpuint (nn_health_history_get_n (history), ==, n);
  g_assert_cmpfloat (nn_health_history_get_last (history)->layers[0].grad_norm, ==, -2.0);

  copy = nn_health_history_copy (history);
  nn_health_history_clear (history);
  g_assert_cmpuint (nn_health_history_get_n (history), ==, 0);
  g_assert_cmpuint (nn_health_history_get_n (copy), ==, n);
  g_assert_cmpfloat (nn_health_history_get_last (copy)->layers[0].grad_norm, ==, -2.0);
  /* A copy can grow too. */
  fake_health (&h, 2, 600, 6);
  nn_health_history_push (copy, &h);
  g_assert_cmpuint (nn_health_history_get_last (copy)->epoch, ==, 600);
}

/* Not a test of speed or size, a figure: what health tracking costs in memory. */
static void
test_history_memory (void)
{
  g_autoptr (NnHealthHistory) history = nn_health_history_new (0);
  NnHealth h;

  /* A 10,000-epoch run measured every 10 epochs. */
  for (guint e = 0; e <= 10000; e += 10)
    {
      fake_health (&h, NN_MAX_LAYERS, e, e);
      nn_health_history_push (history, &h);
    }
  g_test_message ("health history: %zu bytes a record, %u records kept for 10,000 epochs "
                  "(at most %u): %.0f KiB, %.1f bytes an epoch",
                  sizeof (NnHealth), nn_health_history_get_n (history),
                  nn_health_history_get_capacity (history),
                  nn_health_history_get_n (history) * sizeof (NnHealth) / 1024.0,
                  nn_health_history_get_n (history) * sizeof (NnHealth) / 10000.0);
  g_assert_cmpuint (nn_health_history_get_n (history), <=, NN_HEALTH_HISTORY_DEFAULT_CAPACITY);
  g_assert_cmpuint (nn_health_history_get_last (history)->epoch, ==, 10000);
}

/* Not a timed test: prints what a health measurement costs. */
static double
cost_ms (NnTrainer *t, guint repeats)
{
  g_autoptr (NnHealthProbe) probe = nn_health_probe_new ();
  NnHealth h;
  gint64 start;

  nn_health_compute (probe, t, NULL, &h); /* warm-up: builds the probe's network */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < repeats; i++)
    nn_health_compute (probe, t, NULL, &h);
  return (g_get_monotonic_time () - start) / 1000.0 / repeats;
}

static double
epoch_ms (NnTrainer *t, guint repeats)
{
  gint64 start = g_get_monotonic_time ();

  nn_trainer_set_record_history (t, FALSE);
  for (guint i = 0; i < repeats; i++)
    nn_trainer_step_epoch (t);
  return (g_get_monotonic_time () - start) / 1000.0 / repeats;
}

static void
test_cost (void)
{
  g_autoptr (NnProject) w2 = project_with (6, 8, NN_ACTIVATION_TANH);
  g_autoptr (NnProject) big = project_with (NN_MAX_HIDDEN_LAYERS, NN_MAX_UNITS, NN_ACTIVATION_RELU);
  NnTrainer *t;

  w2->dataset.generator = NN_GENERATOR_SPIRAL;
  nn_optimizer_config_init_defaults (&w2->optimizer, NN_OPTIMIZER_SGD);
  w2->optimizer.learning_rate = 0.03;
  w2->batch_size = 10;
  t = test_trainer_new (w2);
  g_test_message ("W2 (spiral, %u training points, 6 × 8 tanh): health %.3f ms, an epoch %.3f ms",
                  nn_trainer_get_dataset (t)->n_train, cost_ms (t, 200), epoch_ms (t, 50));
  nn_trainer_free (t);

  big->features = NN_FEATURES_ALL;
  big->dataset.generator = NN_GENERATOR_BLOBS;
  big->dataset.classes = NN_MAX_CLASSES;
  big->dataset.count = 2000;
  big->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  big->loss = NN_LOSS_CROSS_ENTROPY;
  big->init = NN_INIT_HE;
  nn_project_sync_shape (big);
  t = test_trainer_new (big);
  g_assert_cmpuint (nn_trainer_get_network (t)->n_params, ==, 38472);
  g_test_message ("largest (7 inputs, 10 × 64 ReLU, 8 softmax; %u training points, %u "
                  "measured): health %.2f ms, an epoch (Adam, batch %u) %.2f ms",
                  nn_trainer_get_dataset (t)->n_train,
                  MIN (nn_trainer_get_dataset (t)->n_train, NN_HEALTH_DEFAULT_MAX_SAMPLES),
                  cost_ms (t, 10), big->batch_size, epoch_ms (t, 3));
  nn_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/health/dead-units", test_dead_units);
  g_test_add_func ("/health/inactive-leaky", test_inactive_leaky);
  g_test_add_func ("/health/saturation-threshold", test_saturation_threshold);
  g_test_add_data_func ("/health/saturation/tanh", GUINT_TO_POINTER (NN_ACTIVATION_TANH),
                        test_saturation);
  g_test_add_data_func ("/health/saturation/sigmoid", GUINT_TO_POINTER (NN_ACTIVATION_SIGMOID),
                        test_saturation);
  g_test_add_data_func ("/health/saturation-share/tanh", GUINT_TO_POINTER (NN_ACTIVATION_TANH),
                        test_saturation_share);
  g_test_add_data_func ("/health/saturation-share/sigmoid",
                        GUINT_TO_POINTER (NN_ACTIVATION_SIGMOID), test_saturation_share);
  g_test_add_func ("/health/gradient-matches-trainer", test_gradient_matches_trainer);
  g_test_add_func ("/health/gradient-finite-differences", test_gradient_finite_differences);
  g_test_add_func ("/health/history", test_history);
  g_test_add_func ("/health/history-memory", test_history_memory);
  g_test_add_func ("/health/cost", test_cost);
  g_test_add_func ("/advice/vanishing-gradients", test_vanishing);
  g_test_add_func ("/advice/dead-units", test_advice_dead_units);
  g_test_add_func ("/advice/loss-rising", test_advice_loss_rising_constructed);
  g_test_add_func ("/advice/loss-rising/text", test_advice_loss_rising_text);
  g_test_add_func ("/advice/loss-rising/real-run", test_advice_loss_rising_real);
  g_test_add_func ("/advice/one-class", test_advice_one_class);
  g_test_add_func ("/advice/diverged", test_advice_diverged);
  g_test_add_func ("/advice/healthy-run", test_healthy_run);
  g_test_add_func ("/advice/shown-once", test_advice_shown_once);
  return g_test_run ();
}
