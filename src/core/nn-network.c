/* nn-network.c: forward and backward passes of a dense network over flat arrays. */
#include "nn-network.h"
#include "nn-activation.h"
#include "nn-error.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define ALIGNMENT 64
/* Every sub-array starts on a cache line, so vector loads are aligned. */
#define ROUND_UP(n) (((n) + 7) & ~(gsize) 7)

gboolean
nn_architecture_validate (const NnArchitecture *arch, GError **error)
{
  if (arch->n_inputs < 1 || arch->n_inputs > NN_N_FEATURES)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("features: %u inputs is out of range (1–%d)"), arch->n_inputs, NN_N_FEATURES);
      return FALSE;
    }
  if (arch->n_hidden > NN_MAX_HIDDEN_LAYERS)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("network.hidden: %u layers is more than %d"), arch->n_hidden,
                   NN_MAX_HIDDEN_LAYERS);
      return FALSE;
    }
  for (guint l = 0; l < arch->n_hidden; l++)
    {
      if (arch->units[l] < 1 || arch->units[l] > NN_MAX_UNITS)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("network.hidden[%u].units: %u is out of range (1–%d)"), l, arch->units[l],
                       NN_MAX_UNITS);
          return FALSE;
        }
      if (arch->activation[l] >= NN_ACTIVATION_SOFTMAX)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("network.hidden[%u].activation: softmax is for the output layer only"), l);
          return FALSE;
        }
      if (!(arch->alpha[l] >= 0.0 && arch->alpha[l] <= 1.0))
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("network.hidden[%u].alpha: %g is out of range (0–1)"), l, arch->alpha[l]);
          return FALSE;
        }
    }
  if (arch->n_outputs < 1 || arch->n_outputs > NN_MAX_CLASSES)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("network: %u output units is out of range (1–%d)"), arch->n_outputs,
                   NN_MAX_CLASSES);
      return FALSE;
    }
  if (arch->output_activation >= NN_N_ACTIVATIONS)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("network.output_activation: unknown activation"));
      return FALSE;
    }
  if (arch->output_activation == NN_ACTIVATION_SOFTMAX && arch->n_outputs < 2)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("network.output_activation: softmax needs at least 2 output units"));
      return FALSE;
    }
  if (!(arch->output_alpha >= 0.0 && arch->output_alpha <= 1.0))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("network.output_alpha: %g is out of range (0–1)"), arch->output_alpha);
      return FALSE;
    }
  return TRUE;
}

gboolean
nn_architecture_equal (const NnArchitecture *a, const NnArchitecture *b)
{
  if (a->n_inputs != b->n_inputs || a->n_hidden != b->n_hidden || a->n_outputs != b->n_outputs
      || a->output_activation != b->output_activation || a->output_alpha != b->output_alpha)
    return FALSE;
  for (guint l = 0; l < a->n_hidden; l++)
    if (a->units[l] != b->units[l] || a->activation[l] != b->activation[l]
        || a->alpha[l] != b->alpha[l])
      return FALSE;
  return TRUE;
}

static void
describe_layers (NnNetwork *net)
{
  const NnArchitecture *arch = &net->arch;
  guint n_in = arch->n_inputs;
  gsize offset = 0;

  net->n_layers = arch->n_hidden + 1;
  for (guint l = 0; l < net->n_layers; l++)
    {
      NnLayer *layer = &net->layers[l];
      gboolean is_output = l == arch->n_hidden;

      layer->n_in = n_in;
      layer->n_out = is_output ? arch->n_outputs : arch->units[l];
      layer->activation = is_output ? arch->output_activation : arch->activation[l];
      layer->alpha = is_output ? arch->output_alpha : arch->alpha[l];
      layer->w_offset = offset;
      layer->b_offset = offset + (gsize) layer->n_out * layer->n_in;
      offset = layer->b_offset + layer->n_out;
      n_in = layer->n_out;
    }
  net->n_params = offset;
}

/* Points params, grads and the per-layer workspaces into the one block. */
static gsize
carve_block (NnNetwork *net, double *block)
{
  gsize used = 0;

  net->params = block ? block + used : NULL;
  used += ROUND_UP (net->n_params);
  net->grads = block ? block + used : NULL;
  used += ROUND_UP (net->n_params);
  for (guint l = 0; l < net->n_layers; l++)
    {
      gsize size = ROUND_UP ((gsize) net->layers[l].n_out * net->max_batch);
      net->u[l] = block ? block + used : NULL;
      used += size;
      net->z[l] = block ? block + used : NULL;
      used += size;
      net->du[l] = block ? block + used : NULL;
      used += size;
    }
  return used;
}

NnNetwork *
nn_network_new (const NnArchitecture *arch, guint max_batch, GError **error)
{
  NnNetwork *net;

  if (!nn_architecture_validate (arch, error))
    return NULL;
  g_return_val_if_fail (max_batch > 0, NULL);

  net = g_new0 (NnNetwork, 1);
  net->arch = *arch;
  net->max_batch = max_batch;
  describe_layers (net);
  net->block_size = carve_block (net, NULL);
  net->block = g_aligned_alloc0 (net->block_size, sizeof (double), ALIGNMENT);
  carve_block (net, net->block);
  return net;
}

NnNetwork *
nn_network_copy (const NnNetwork *src)
{
  NnNetwork *net = g_memdup2 (src, sizeof *src);

  net->block = g_aligned_alloc (src->block_size, sizeof (double), ALIGNMENT);
  memcpy (net->block, src->block, src->block_size * sizeof (double));
  carve_block (net, net->block);
  return net;
}

void
nn_network_free (NnNetwork *net)
{
  if (net == NULL)
    return;
  g_aligned_free (net->block);
  g_free (net);
}

guint
nn_network_total_units (const NnNetwork *net)
{
  guint total = 0;
  for (guint l = 0; l < net->n_layers; l++)
    total += net->layers[l].n_out;
  return total;
}

guint
nn_network_max_units (const NnNetwork *net)
{
  guint most = net->arch.n_inputs;
  for (guint l = 0; l < net->n_layers; l++)
    most = MAX (most, net->layers[l].n_out);
  return most;
}

/* A standard normal deviate from two uniforms (Box–Muller), so He initialisation depends
 * on nothing but the GRand sequence. */
static double
normal_deviate (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand); /* (0, 1]: log stays finite */
  double u2 = g_rand_double (rand);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

void
nn_network_init_params (NnNetwork *net, NnInit init, GRand *rand)
{
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      double *w = net->params + layer->w_offset;
      gsize n = (gsize) layer->n_out * layer->n_in;
      double limit = sqrt (6.0 / (layer->n_in + layer->n_out));
      double sd = sqrt (2.0 / layer->n_in);

      for (gsize i = 0; i < n; i++)
        {
          switch (init)
            {
            case NN_INIT_HE:
              w[i] = sd * normal_deviate (rand);
              break;
            case NN_INIT_UNIFORM:
              w[i] = g_rand_double_range (rand, -0.5, 0.5);
              break;
            case NN_INIT_XAVIER:
            case NN_N_INITS:
            default:
              w[i] = g_rand_double_range (rand, -limit, limit);
              break;
            }
        }
      memset (net->params + layer->b_offset, 0, layer->n_out * sizeof (double));
    }
}

/* u = W·in + b for an (n_in, batch) input whose rows are `in_stride` apart, one output row
 * at a time: each weight scales a contiguous input row into the output row, a loop the
 * compiler vectorises. */
static void
linear_forward (const NnLayer *layer, const double *params, const double *restrict in,
                gsize in_stride, double *restrict u, guint batch)
{
  const double *w = params + layer->w_offset;
  const double *bias = params + layer->b_offset;

  for (guint o = 0; o < layer->n_out; o++)
    {
      double *restrict uo = u + (gsize) o * batch;
      const double *wo = w + (gsize) o * layer->n_in;
      double bo = bias[o];

      for (guint b = 0; b < batch; b++)
        uo[b] = bo;
      for (guint i = 0; i < layer->n_in; i++)
        {
          const double *restrict xi = in + i * in_stride;
          double wi = wo[i];
          for (guint b = 0; b < batch; b++)
            uo[b] += wi * xi[b];
        }
    }
}

/* z = F(u) for a layer, z's rows `z_stride` apart. */
static void
activate (const NnLayer *layer, const double *u, double *z, gsize z_stride, double *scratch,
          guint batch)
{
  if (layer->activation == NN_ACTIVATION_SOFTMAX)
    {
      double *target = z_stride == batch ? z : scratch;
      nn_softmax_apply (u, target, layer->n_out, batch);
      if (target != z)
        for (guint o = 0; o < layer->n_out; o++)
          memcpy (z + o * z_stride, target + (gsize) o * batch, batch * sizeof (double));
    }
  else if (z_stride == batch)
    nn_activation_apply (layer->activation, layer->alpha, u, z, (gsize) layer->n_out * batch);
  else
    for (guint o = 0; o < layer->n_out; o++)
      nn_activation_apply (layer->activation, layer->alpha, u + (gsize) o * batch,
                           z + o * z_stride, batch);
}

void
nn_network_forward (NnNetwork *net, const double *x, guint batch)
{
  nn_network_forward_into (net, x, batch, batch, NULL, 0);
}

void
nn_network_forward_into (NnNetwork *net, const double *x, gsize x_stride, guint batch,
                         double *const *dest, gsize dest_stride)
{
  const double *in = x;
  gsize in_stride = x_stride;

  g_return_if_fail (batch > 0 && batch <= net->max_batch);

  net->batch = batch;
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      gboolean outside = dest != NULL && dest[l] != NULL;
      double *z = outside ? dest[l] : net->z[l];
      gsize z_stride = outside ? dest_stride : batch;

      linear_forward (layer, net->params, in, in_stride, net->u[l], batch);
      /* du is free during a forward pass: it serves as softmax's scratch. */
      activate (layer, net->u[l], z, z_stride, net->du[l], batch);
      in = z;
      in_stride = z_stride;
    }
}

const double *
nn_network_output (const NnNetwork *net)
{
  return net->z[net->n_layers - 1];
}

void
nn_network_zero_grads (NnNetwork *net)
{
  memset (net->grads, 0, net->n_params * sizeof (double));
}

/* dW += du·inᵀ and db += Σ du over the batch. */
static void
linear_backward_params (const NnLayer *layer, const double *restrict du, const double *restrict in,
                        double *restrict grads, guint batch)
{
  double *gw = grads + layer->w_offset;
  double *gb = grads + layer->b_offset;

  for (guint o = 0; o < layer->n_out; o++)
    {
      const double *restrict duo = du + (gsize) o * batch;
      double sum_b = 0.0;

#pragma omp simd reduction(+ : sum_b)
      for (guint b = 0; b < batch; b++)
        sum_b += duo[b];
      gb[o] += sum_b;

      for (guint i = 0; i < layer->n_in; i++)
        {
          const double *restrict xi = in + (gsize) i * batch;
          double sum = 0.0;
#pragma omp simd reduction(+ : sum)
          for (guint b = 0; b < batch; b++)
            sum += duo[b] * xi[b];
          gw[(gsize) o * layer->n_in + i] += sum;
        }
    }
}

/* d_in = Wᵀ·du, written row by row of the input so every inner loop is contiguous. */
static void
linear_backward_input (const NnLayer *layer, const double *params, const double *restrict du,
                       double *restrict din, guint batch)
{
  const double *w = params + layer->w_offset;

  for (guint i = 0; i < layer->n_in; i++)
    {
      double *restrict di = din + (gsize) i * batch;
      for (guint b = 0; b < batch; b++)
        di[b] = 0.0;
      for (guint o = 0; o < layer->n_out; o++)
        {
          const double *restrict duo = du + (gsize) o * batch;
          double wo = w[(gsize) o * layer->n_in + i];
          for (guint b = 0; b < batch; b++)
            di[b] += wo * duo[b];
        }
    }
}

void
nn_network_backward (NnNetwork *net, const double *x)
{
  guint batch = net->batch;

  for (guint l = net->n_layers; l-- > 0;)
    {
      const NnLayer *layer = &net->layers[l];
      const double *in = l == 0 ? x : net->z[l - 1];

      linear_backward_params (layer, net->du[l], in, net->grads, batch);
      if (l == 0)
        break;

      const NnLayer *below = &net->layers[l - 1];
      double *d_below = net->du[l - 1];
      linear_backward_input (layer, net->params, net->du[l], d_below, batch);
      /* Hidden layers are never softmax, so the chain rule is elementwise. */
      nn_activation_derive (below->activation, below->alpha, net->u[l - 1], net->z[l - 1],
                            d_below, d_below, (gsize) below->n_out * batch);
    }
}

double
nn_network_regularize (NnNetwork *net, NnRegularization kind, double rate)
{
  double penalty = 0.0;

  if (kind == NN_REGULARIZATION_NONE || rate == 0.0)
    return 0.0;

  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      const double *w = net->params + layer->w_offset;
      double *g = net->grads + layer->w_offset;
      gsize n = (gsize) layer->n_out * layer->n_in;

      for (gsize i = 0; i < n; i++)
        {
          if (kind == NN_REGULARIZATION_L2)
            {
              g[i] += rate * w[i];
              penalty += 0.5 * rate * w[i] * w[i];
            }
          else
            {
              /* sign(0) = 0, as torch.sign */
              double sign = (w[i] > 0.0) - (w[i] < 0.0);
              g[i] += rate * sign;
              penalty += rate * fabs (w[i]);
            }
        }
    }
  return penalty;
}

gboolean
nn_network_params_finite (const NnNetwork *net)
{
  /* Summing 0·p propagates any NaN or infinity into one value: one branch, not n. */
  double probe = 0.0;
  for (gsize i = 0; i < net->n_params; i++)
    probe += 0.0 * net->params[i];
  return probe == 0.0;
}

/* The source layer that plays the same part: hidden layer l, or the output layer. */
static int
matching_layer (const NnNetwork *dst, const NnNetwork *src, guint l)
{
  if (l == dst->n_layers - 1)
    return src->n_layers - 1;
  if (l < src->n_layers - 1)
    return l;
  return -1;
}

void
nn_network_copy_overlap (NnNetwork *dst, const NnNetwork *src)
{
  for (guint l = 0; l < dst->n_layers; l++)
    {
      int s = matching_layer (dst, src, l);
      if (s < 0)
        continue;

      const NnLayer *dl = &dst->layers[l];
      const NnLayer *sl = &src->layers[s];
      guint n_out = MIN (dl->n_out, sl->n_out);
      guint n_in = MIN (dl->n_in, sl->n_in);

      for (guint o = 0; o < n_out; o++)
        {
          for (guint i = 0; i < n_in; i++)
            dst->params[dl->w_offset + (gsize) o * dl->n_in + i]
                = src->params[sl->w_offset + (gsize) o * sl->n_in + i];
          dst->params[dl->b_offset + o] = src->params[sl->b_offset + o];
        }
    }
}
