/* test-network.c: back-propagation against central finite differences, for every hidden
 * activation × output activation × loss the engine accepts, and the network's bookkeeping. */
#include "nn-activation.h"
#include "nn-loss.h"
#include "nn-network.h"

#include <math.h>

#define BATCH 5

typedef struct
{
  NnNetwork *net;
  NnLoss     loss;
  double     x[4 * BATCH];
  double     target[8 * BATCH];
  gsize      net_params_half;
} GradCase;

static double
case_loss (GradCase *c, gboolean with_gradient)
{
  NnNetwork *net = c->net;
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];

  nn_network_forward (net, c->x, BATCH);
  return nn_loss_evaluate (c->loss, out->activation, out->alpha, net->u[last], net->z[last],
                           c->target, out->n_out, BATCH, BATCH,
                           with_gradient ? net->du[last] : NULL);
}

static void
fill_targets (GradCase *c, GRand *rand)
{
  const NnLayer *out = &c->net->layers[c->net->n_layers - 1];

  for (guint b = 0; b < BATCH; b++)
    {
      guint cls = g_rand_int_range (rand, 0, out->n_out);
      for (guint k = 0; k < out->n_out; k++)
        {
          double t;
          if (out->activation == NN_ACTIVATION_SOFTMAX)
            t = k == cls ? 1.0 : 0.0;
          else if (out->activation == NN_ACTIVATION_SIGMOID)
            t = g_rand_boolean (rand) ? 1.0 : 0.0;
          else
            t = g_rand_double_range (rand, -1.0, 1.0);
          c->target[k * BATCH + b] = t;
        }
    }
}

/* The signs of every pre-activation: a finite difference that flips one of them has
 * stepped over a ReLU kink and measures a different linear piece. */
static guint64
kink_signature (const NnNetwork *net)
{
  guint64 signature = 1469598103934665603ull;
  for (guint l = 0; l < net->n_layers; l++)
    for (gsize i = 0; i < (gsize) net->layers[l].n_out * net->batch; i++)
      signature = (signature ^ (net->u[l][i] > 0.0)) * 1099511628211ull;
  return signature;
}

/* The loss's derivative with respect to parameter i by fourth-order central differences
 * (h = 1e-3: truncation ~h⁴ and rounding ~1e-16/h both far below the tolerance), falling
 * back to a tiny second-order step when the wide one crosses a kink. FALSE when even that
 * crosses one. */
static gboolean
numeric_gradient (GradCase *c, gsize i, guint64 base_signature, double *out)
{
  NnNetwork *net = c->net;
  double saved = net->params[i], f[4];
  const double h = 1e-3, tiny = 1e-7;
  const double offsets[4] = { -2 * h, -h, h, 2 * h };
  gboolean smooth = TRUE;

  for (guint k = 0; k < 4; k++)
    {
      net->params[i] = saved + offsets[k];
      f[k] = case_loss (c, FALSE);
      smooth = smooth && kink_signature (net) == base_signature;
    }
  if (smooth)
    {
      net->params[i] = saved;
      *out = (8.0 * (f[2] - f[1]) - (f[3] - f[0])) / (12.0 * h);
      return TRUE;
    }
  net->params[i] = saved + tiny;
  f[2] = case_loss (c, FALSE);
  smooth = kink_signature (net) == base_signature;
  net->params[i] = saved - tiny;
  f[1] = case_loss (c, FALSE);
  smooth = smooth && kink_signature (net) == base_signature;
  net->params[i] = saved;
  *out = (f[2] - f[1]) / (2 * tiny);
  return smooth;
}

/* Returns how many gradients were large enough to say something (genann's lesson: an
 * all-zero gradient must not pass). */
static guint
check_gradients (GradCase *c, const char *label)
{
  NnNetwork *net = c->net;
  guint checked = 0;

  nn_network_zero_grads (net);
  case_loss (c, TRUE);
  nn_network_backward (net, c->x);
  guint64 base_signature = kink_signature (net);

  for (gsize i = 0; i < net->n_params; i++)
    {
      double numeric, analytic = net->grads[i];
      if (!numeric_gradient (c, i, base_signature, &numeric))
        continue;

      /* Relative error, with a floor so that gradients near zero compare absolutely. */
      double scale = MAX (MAX (fabs (numeric), fabs (analytic)), 1e-4);
      if (fabs (numeric - analytic) / scale >= 1e-6)
        g_error ("%s: parameter %zu: analytic %.12g, numeric %.12g", label, (size_t) i,
                 analytic, numeric);
      if (fabs (analytic) > 1e-5)
        checked++;
    }
  return checked;
}

static void
build_case (GradCase *c, NnActivation hidden, NnActivation output, NnLoss loss, guint seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  NnArchitecture arch = {
    .n_inputs = 3,
    .n_hidden = 2,
    .units = { 4, 3 },
    .activation = { hidden, hidden },
    .alpha = { 0.05, 0.05 },
    .n_outputs = output == NN_ACTIVATION_SOFTMAX ? 3 : (output == NN_ACTIVATION_IDENTITY ? 2 : 1),
    .output_activation = output,
    .output_alpha = 0.05,
  };

  c->net = nn_network_new (&arch, BATCH, NULL);
  g_assert_nonnull (c->net);
  nn_network_init_params (c->net, NN_INIT_UNIFORM, rand);
  /* Biases away from zero, so ReLU kinks are not sat on by chance. */
  for (gsize i = 0; i < c->net->n_params; i++)
    c->net->params[i] += g_rand_double_range (rand, -0.3, 0.3);
  for (guint i = 0; i < 3 * BATCH; i++)
    c->x[i] = g_rand_double_range (rand, -2.0, 2.0);
  c->loss = loss;
  fill_targets (c, rand);
}

static void
test_gradients_all_combinations (void)
{
  static const NnActivation hidden[] = {
    NN_ACTIVATION_IDENTITY, NN_ACTIVATION_RELU, NN_ACTIVATION_LEAKY_RELU,
    NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH,
  };
  guint combinations = 0;

  for (guint h = 0; h < G_N_ELEMENTS (hidden); h++)
    for (NnActivation out = 0; out < NN_N_ACTIVATIONS; out++)
      for (NnLoss loss = 0; loss < NN_N_LOSSES; loss++)
        {
          GradCase c = { 0 };
          g_autofree char *label = NULL;

          if (!nn_loss_supports_output (loss, out, NULL))
            continue;
          label = g_strdup_printf ("%s → %s, %s", nn_activation_to_string (hidden[h]),
                                   nn_activation_to_string (out), nn_loss_to_string (loss));
          /* A ReLU network can be dead for every sample of a random draw; try a few
           * draws until one has gradients to compare. Every draw is still checked. */
          guint checked = 0;
          for (guint attempt = 0; attempt < 20 && checked <= c.net_params_half; attempt++)
            {
              build_case (&c, hidden[h], out, loss, 17 + h * 31 + out * 7 + loss + 1000 * attempt);
              c.net_params_half = c.net->n_params / 2;
              checked = check_gradients (&c, label);
              nn_network_free (c.net);
            }
          g_assert_cmpuint (checked, >, c.net_params_half);
          combinations++;
        }
  /* 5 hidden × (6 outputs with MSE + softmax and sigmoid with cross-entropy) */
  g_assert_cmpuint (combinations, ==, 5 * 8);
}

static void
test_regularization_gradient (void)
{
  GradCase c = { 0 };

  build_case (&c, NN_ACTIVATION_TANH, NN_ACTIVATION_TANH, NN_LOSS_MSE, 5);
  for (NnRegularization kind = NN_REGULARIZATION_L1; kind <= NN_REGULARIZATION_L2; kind++)
    {
      NnNetwork *net = c.net;
      const double rate = 0.3, h = 1e-6;

      nn_network_zero_grads (net);
      nn_network_regularize (net, kind, rate);
      for (guint l = 0; l < net->n_layers; l++)
        {
          /* Biases are never regularised. */
          for (guint o = 0; o < net->layers[l].n_out; o++)
            g_assert_cmpfloat (net->grads[net->layers[l].b_offset + o], ==, 0.0);
        }
      for (gsize i = 0; i < net->layers[0].b_offset; i++)
        {
          g_autofree double *scratch = g_new0 (double, net->n_params);
          double saved = net->params[i], *grads = net->grads;
          net->grads = scratch;
          net->params[i] = saved + h;
          double up = nn_network_regularize (net, kind, rate);
          net->params[i] = saved - h;
          double down = nn_network_regularize (net, kind, rate);
          net->params[i] = saved;
          net->grads = grads;
          g_assert_cmpfloat_with_epsilon (grads[i], (up - down) / (2 * h), 1e-6);
        }
    }
  nn_network_free (c.net);
}

static void
test_layout_and_copy (void)
{
  NnArchitecture arch = {
    .n_inputs = 2, .n_hidden = 1, .units = { 3 }, .activation = { NN_ACTIVATION_TANH },
    .n_outputs = 1, .output_activation = NN_ACTIVATION_TANH,
  };
  g_autoptr (NnNetwork) net = nn_network_new (&arch, 4, NULL);
  g_autoptr (NnNetwork) wider = NULL;

  g_assert_cmpuint (net->n_params, ==, 3 * 2 + 3 + 1 * 3 + 1);
  g_assert_cmpuint (net->layers[0].b_offset, ==, 6);
  g_assert_cmpuint (net->layers[1].w_offset, ==, 9);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = i + 1;
  g_assert_cmpfloat (*nn_network_weight_ptr (net, 0, 2, 1), ==, 6.0);

  /* One more hidden unit: old weights stay where they were, the output layer gets a new
   * input column. */
  arch.units[0] = 4;
  wider = nn_network_new (&arch, 4, NULL);
  nn_network_copy_overlap (wider, net);
  g_assert_cmpfloat (*nn_network_weight_ptr (wider, 0, 2, 1), ==, 6.0);
  g_assert_cmpfloat (*nn_network_bias_ptr (wider, 0, 2), ==, 9.0);
  g_assert_cmpfloat (*nn_network_weight_ptr (wider, 1, 0, 2), ==, 12.0);
  g_assert_cmpfloat (*nn_network_bias_ptr (wider, 1, 0), ==, 13.0);
  g_assert_cmpfloat (*nn_network_weight_ptr (wider, 1, 0, 3), ==, 0.0);

  g_autoptr (NnNetwork) copy = nn_network_copy (net);
  g_assert_cmpmem (copy->params, net->n_params * sizeof (double), net->params,
                   net->n_params * sizeof (double));
  g_assert_true (copy->params != net->params);
  g_assert_true (nn_network_params_finite (copy));
  copy->params[3] = NAN;
  g_assert_false (nn_network_params_finite (copy));
  copy->params[3] = -INFINITY;
  g_assert_false (nn_network_params_finite (copy));
}

static void
test_forward_by_hand (void)
{
  /* One hidden ReLU unit, identity output: y = 2·relu(0.5·x1 − x2 + 0.1) − 0.3. */
  NnArchitecture arch = {
    .n_inputs = 2, .n_hidden = 1, .units = { 1 }, .activation = { NN_ACTIVATION_RELU },
    .n_outputs = 1, .output_activation = NN_ACTIVATION_IDENTITY,
  };
  g_autoptr (NnNetwork) net = nn_network_new (&arch, 2, NULL);
  const double params[] = { 0.5, -1.0, 0.1, 2.0, -0.3 };
  const double x[] = { 3.0, 1.0, /* x1 of both samples */ 1.0, 4.0 /* x2 */ };

  memcpy (net->params, params, sizeof params);
  nn_network_forward (net, x, 2);
  g_assert_cmpfloat_with_epsilon (nn_network_output (net)[0], 2.0 * 0.6 - 0.3, 1e-15);
  g_assert_cmpfloat_with_epsilon (nn_network_output (net)[1], -0.3, 1e-15);
}

static void
test_invalid_architectures (void)
{
  NnArchitecture arch = {
    .n_inputs = 2, .n_hidden = 1, .units = { 65 }, .activation = { NN_ACTIVATION_TANH },
    .n_outputs = 1, .output_activation = NN_ACTIVATION_TANH,
  };
  g_autoptr (GError) error = NULL;

  g_assert_null (nn_network_new (&arch, 4, &error));
  g_assert_nonnull (strstr (error->message, "network.hidden[0].units"));
  g_clear_error (&error);

  arch.units[0] = 4;
  arch.activation[0] = NN_ACTIVATION_SOFTMAX;
  g_assert_false (nn_architecture_validate (&arch, &error));
  g_clear_error (&error);

  arch.activation[0] = NN_ACTIVATION_TANH;
  arch.output_activation = NN_ACTIVATION_SOFTMAX;
  g_assert_false (nn_architecture_validate (&arch, &error));
  g_clear_error (&error);

  arch.n_outputs = 3;
  arch.n_hidden = 11;
  g_assert_false (nn_architecture_validate (&arch, &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/network/gradients", test_gradients_all_combinations);
  g_test_add_func ("/network/regularization", test_regularization_gradient);
  g_test_add_func ("/network/layout-and-copy", test_layout_and_copy);
  g_test_add_func ("/network/forward-by-hand", test_forward_by_hand);
  g_test_add_func ("/network/invalid", test_invalid_architectures);
  return g_test_run ();
}
