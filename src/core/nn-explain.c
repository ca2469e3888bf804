/* nn-explain.c: forward, backward and update of one sample, written out as the course does.
 *
 * The numbers come from scalar code that follows the course's formulas (u = Σ w·x + b,
 * z = F(u), δ_j = (Σ_k w_kj δ_k)·F′(u_j), …) rather than from the engine's batch loops, so
 * that the test comparing the two checks something. Sums run in the engine's order
 * (bias first, inputs in order; δ over the units above in order), so the two agree to the
 * last bit or two.
 */
#include "nn-explain.h"
#include "nn-trainer.h"
#include "nn-activation.h"
#include "nn-error.h"
#include "nn-features.h"
#include "nn-loss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

/* The writable side of a layer's arrays, which the public NnExplainLayer shows read-only. */
typedef struct
{
  double *u;
  double *z;
  double *derivative;
  double *delta;
} LayerBuffers;

struct _NnExplain
{
  guint             n_layers;
  guint             n_inputs;
  NnFeature         features[NN_N_FEATURES];
  NnLayer           shape[NN_MAX_LAYERS];   /* the network's layer views, for indexing */
  NnExplainLayer    layers[NN_MAX_LAYERS];
  LayerBuffers      buffers[NN_MAX_LAYERS];
  NnExplainOutput   output;
  double           *inputs;                 /* the sample's features: layer 0's x */
  double           *y_t;
  double           *dl_dy;

  gsize             n_params;
  double           *params;                 /* copies, so the explanation outlives a step */
  double           *m;                      /* NnOptimizer's m and v for every parameter */
  double           *v;
  NnOptimizerConfig cfg;
  guint64           t;
  NnRegularization  regularization;
  double            regularization_rate;

  double           *block;                  /* the one allocation behind every array */
};

/* ---- Building ------------------------------------------------------------------------ */

static gboolean
check_shape (const NnProject *project, const NnNetwork *net, const NnOptimizer *opt,
             GError **error)
{
  guint n_features = nn_features_count (project->features);
  const NnArchitecture *arch = &net->arch;
  gboolean one_hot = project->problem == NN_PROBLEM_CLASSIFICATION
                     && arch->output_activation == NN_ACTIVATION_SOFTMAX;

  if (n_features != arch->n_inputs)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("features: the project has %u features but the network %u inputs"),
                   n_features, arch->n_inputs);
      return FALSE;
    }
  /* Only a one-hot target spans several outputs; every other encoding is one number. */
  if (!one_hot && arch->n_outputs != 1)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("network: %u output units, but this problem and output activation need 1"),
                   arch->n_outputs);
      return FALSE;
    }
  if (opt != NULL && opt->n != net->n_params)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("optimizer: state for %zu parameters, the network has %zu"),
                   (size_t) opt->n, (size_t) net->n_params);
      return FALSE;
    }
  return nn_loss_supports_output (project->loss, arch->output_activation, error);
}

static gboolean
check_sample (const NnProject *project, const NnNetwork *net, const NnPoint *sample,
              GError **error)
{
  guint classes;

  if (!isfinite (sample->x1) || !isfinite (sample->x2) || !isfinite (sample->y))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID, _("sample: (%g, %g, %g) is not finite"),
                   sample->x1, sample->x2, sample->y);
      return FALSE;
    }
  /* One output tells two classes apart (its sign or its side of 0.5). A user's own point
   * can name any class, so it is checked here, not only by the dataset's reader. */
  classes = net->arch.n_outputs == 1 ? 2 : net->arch.n_outputs;
  if (project->problem == NN_PROBLEM_CLASSIFICATION
      && !(sample->y >= 0.0 && sample->y < classes && sample->y == floor (sample->y)))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("sample: class %g is not one of the network's %u classes"), sample->y,
                   classes);
      return FALSE;
    }
  return TRUE;
}

static double *
take (double **cursor, gsize n)
{
  double *p = *cursor;
  *cursor += n;
  return p;
}

static gsize
block_size (const NnNetwork *net)
{
  gsize size = 3 * net->n_params + net->arch.n_inputs + 2 * net->arch.n_outputs;
  for (guint l = 0; l < net->n_layers; l++)
    size += 4 * (gsize) net->layers[l].n_out;
  return size;
}

/* Lays the arrays out in the block and points the public layer views at them. */
static void
carve (NnExplain *ex, const NnNetwork *net)
{
  double *cursor = ex->block;
  const double *x;

  ex->params = take (&cursor, ex->n_params);
  ex->m = take (&cursor, ex->n_params);
  ex->v = take (&cursor, ex->n_params);
  ex->inputs = take (&cursor, ex->n_inputs);
  x = ex->inputs;
  for (guint l = 0; l < ex->n_layers; l++)
    {
      const NnLayer *shape = &net->layers[l];
      LayerBuffers *buf = &ex->buffers[l];
      NnExplainLayer *layer = &ex->layers[l];

      buf->u = take (&cursor, shape->n_out);
      buf->z = take (&cursor, shape->n_out);
      buf->derivative = take (&cursor, shape->n_out);
      buf->delta = take (&cursor, shape->n_out);
      *layer = (NnExplainLayer) {
        .n_in = shape->n_in,
        .n_out = shape->n_out,
        .activation = shape->activation,
        .alpha = shape->alpha,
        .is_output = l == ex->n_layers - 1,
        .x = x,
        .w = ex->params + shape->w_offset,
        .b = ex->params + shape->b_offset,
        .u = buf->u,
        .z = buf->z,
        .derivative = buf->derivative,
        .delta = buf->delta,
      };
      x = buf->z;
    }
  ex->y_t = take (&cursor, net->arch.n_outputs);
  ex->dl_dy = take (&cursor, net->arch.n_outputs);
}

static NnExplain *
explain_alloc (const NnProject *project, const NnNetwork *net, const NnOptimizer *opt)
{
  NnExplain *ex = g_new0 (NnExplain, 1);
  guint n = 0;

  ex->n_layers = net->n_layers;
  ex->n_inputs = net->arch.n_inputs;
  ex->n_params = net->n_params;
  memcpy (ex->shape, net->layers, sizeof net->layers);
  for (guint f = 0; f < NN_N_FEATURES; f++)
    if (project->features & (1u << f))
      ex->features[n++] = nn_feature_nth (f);

  ex->block = g_new0 (double, MAX (block_size (net), 1));
  carve (ex, net);
  memcpy (ex->params, net->params, ex->n_params * sizeof (double));
  ex->cfg = opt != NULL ? opt->cfg : project->optimizer;
  if (opt != NULL)
    {
      memcpy (ex->m, opt->m, ex->n_params * sizeof (double));
      memcpy (ex->v, opt->v, ex->n_params * sizeof (double));
      ex->t = opt->t;
    }
  ex->regularization = project->regularization;
  ex->regularization_rate = project->regularization_rate;
  return ex;
}

/* Softmax as the engine computes it: shifted by the largest u, so e^u never overflows. */
static void
softmax (const double *u, double *z, guint k)
{
  double top = u[0], sum = 0.0;

  for (guint j = 1; j < k; j++)
    top = MAX (top, u[j]);
  for (guint j = 0; j < k; j++)
    {
      z[j] = nn_exp (u[j] - top);
      sum += z[j];
    }
  for (guint j = 0; j < k; j++)
    z[j] /= sum;
}

/* u_j = Σ_i w_ji x_i + b_j, then z_j = F(u_j) and F′(u_j). */
static void
forward_layer (const NnExplainLayer *layer, LayerBuffers *buf)
{
  for (guint j = 0; j < layer->n_out; j++)
    {
      const double *wj = layer->w + (gsize) j * layer->n_in;
      double u = layer->b[j];

      for (guint i = 0; i < layer->n_in; i++)
        u += wj[i] * layer->x[i];
      buf->u[j] = u;
    }

  if (layer->activation == NN_ACTIVATION_SOFTMAX)
    {
      softmax (buf->u, buf->z, layer->n_out);
      for (guint j = 0; j < layer->n_out; j++)
        buf->derivative[j] = buf->z[j] * (1.0 - buf->z[j]);
      return;
    }
  for (guint j = 0; j < layer->n_out; j++)
    {
      buf->z[j] = nn_activation_value (layer->activation, layer->alpha, buf->u[j]);
      buf->derivative[j] = nn_activation_derivative (layer->activation, layer->alpha, buf->u[j]);
    }
}

/* L of one sample, in the engine's forms: MSE the mean over the K outputs; cross-entropy
 * from u (logsumexp, or softplus for the sigmoid) so that y_p = 0 never becomes log 0. */
static double
sample_loss (NnLoss loss, NnActivation output, const double *u, const double *z,
             const double *t, guint k)
{
  double sum = 0.0;

  if (loss == NN_LOSS_MSE)
    {
      for (guint j = 0; j < k; j++)
        sum += (z[j] - t[j]) * (z[j] - t[j]);
      return sum * (1.0 / k);
    }
  if (output == NN_ACTIVATION_SIGMOID)
    return MAX (u[0], 0.0) - u[0] * t[0] + log1p (exp (-fabs (u[0])));

  double top = u[0], tu = 0.0;
  for (guint j = 1; j < k; j++)
    top = MAX (top, u[j]);
  for (guint j = 0; j < k; j++)
    {
      sum += exp (u[j] - top);
      tu += t[j] * u[j];
    }
  return top + log (sum) - tu;
}

static double
loss_dl_dy (NnLoss loss, NnActivation output, double z, double t, guint k)
{
  if (loss == NN_LOSS_MSE)
    return 2.0 * (1.0 / k) * (z - t);
  if (output == NN_ACTIVATION_SIGMOID)
    return (z - t) / (z * (1.0 - z));
  return t == 0.0 ? 0.0 : -t / z;
}

static void
explain_output (NnExplain *ex, const NnProject *project, const NnPoint *sample)
{
  const NnExplainLayer *last = &ex->layers[ex->n_layers - 1];
  NnExplainOutput *out = &ex->output;

  *out = (NnExplainOutput) {
    .sample = *sample,
    .problem = project->problem,
    .loss = project->loss,
    .activation = last->activation,
    .n_outputs = last->n_out,
    .y_p = last->z,
    .y_t = ex->y_t,
    .dl_dy = ex->dl_dy,
    .fused = project->loss == NN_LOSS_CROSS_ENTROPY,
  };
  nn_encode_target (out->problem, out->activation, out->n_outputs, sample->y, ex->y_t);
  out->value = sample_loss (out->loss, out->activation, last->u, last->z, ex->y_t,
                            out->n_outputs);
  for (guint k = 0; k < out->n_outputs; k++)
    ex->dl_dy[k] = loss_dl_dy (out->loss, out->activation, last->z[k], ex->y_t[k],
                               out->n_outputs);
}

/* δ of the output layer: fused, through F′, or through softmax's Jacobian, whose row
 * ∂y_pk/∂u_j = y_pk([k = j] − y_pj) collapses to y_pj (dL/dy_pj − Σ_k dL/dy_pk y_pk). */
static void
output_delta (NnExplain *ex)
{
  const NnExplainOutput *out = &ex->output;
  const double *z = out->y_p;
  double *delta = ex->buffers[ex->n_layers - 1].delta;
  const double *derivative = ex->buffers[ex->n_layers - 1].derivative;
  guint k = out->n_outputs;
  double dot = 0.0;

  if (out->fused)
    {
      for (guint j = 0; j < k; j++)
        delta[j] = z[j] - out->y_t[j];
      return;
    }
  if (out->activation != NN_ACTIVATION_SOFTMAX)
    {
      for (guint j = 0; j < k; j++)
        delta[j] = out->dl_dy[j] * derivative[j];
      return;
    }
  for (guint j = 0; j < k; j++)
    dot += out->dl_dy[j] * z[j];
  for (guint j = 0; j < k; j++)
    delta[j] = z[j] * (out->dl_dy[j] - dot);
}

/* Σ_k w_kj δ_k over the units k of layer l + 1: ∂L/∂z_j of unit j in layer l. */
static double
upstream_sum (const NnExplain *ex, guint l, guint j)
{
  const NnExplainLayer *above = &ex->layers[l + 1];
  double sum = 0.0;

  for (guint k = 0; k < above->n_out; k++)
    sum += above->w[(gsize) k * above->n_in + j] * above->delta[k];
  return sum;
}

static void
backward (NnExplain *ex)
{
  output_delta (ex);
  for (guint l = ex->n_layers - 1; l-- > 0;)
    {
      LayerBuffers *buf = &ex->buffers[l];
      for (guint j = 0; j < ex->layers[l].n_out; j++)
        buf->delta[j] = upstream_sum (ex, l, j) * buf->derivative[j];
    }
}

NnExplain *
nn_explain_new (const NnProject *project, const NnNetwork *net, const NnOptimizer *opt,
                const NnPoint *sample, GError **error)
{
  NnExplain *ex;

  g_return_val_if_fail (project != NULL && net != NULL && sample != NULL, NULL);

  if (!check_shape (project, net, opt, error) || !check_sample (project, net, sample, error))
    return NULL;

  ex = explain_alloc (project, net, opt);
  /* The inputs as the trainer expands them, so they are the very numbers it trains on. */
  nn_features_expand (project->features, &sample->x1, &sample->x2, 1, 1, ex->inputs, 1);
  for (guint l = 0; l < ex->n_layers; l++)
    forward_layer (&ex->layers[l], &ex->buffers[l]);
  explain_output (ex, project, sample);
  backward (ex);
  return ex;
}

NnExplain *
nn_explain_new_for_trainer (NnTrainer *trainer, const NnPoint *sample, GError **error)
{
  g_return_val_if_fail (trainer != NULL, NULL);

  return nn_explain_new (nn_trainer_get_project (trainer), nn_trainer_get_network (trainer),
                         nn_trainer_get_optimizer (trainer), sample, error);
}

void
nn_explain_free (NnExplain *ex)
{
  if (ex == NULL)
    return;
  g_free (ex->block);
  g_free (ex);
}

/* ---- The forward table --------------------------------------------------------------- */

guint
nn_explain_get_n_layers (const NnExplain *ex)
{
  g_return_val_if_fail (ex != NULL, 0);
  return ex->n_layers;
}

const NnExplainLayer *
nn_explain_get_layer (const NnExplain *ex, guint layer)
{
  g_return_val_if_fail (ex != NULL, NULL);
  g_return_val_if_fail (layer < ex->n_layers, NULL);
  return &ex->layers[layer];
}

const NnExplainOutput *
nn_explain_get_output (const NnExplain *ex)
{
  g_return_val_if_fail (ex != NULL, NULL);
  return &ex->output;
}

guint
nn_explain_get_n_inputs (const NnExplain *ex)
{
  g_return_val_if_fail (ex != NULL, 0);
  return ex->n_inputs;
}

NnFeature
nn_explain_get_feature (const NnExplain *ex, guint i)
{
  g_return_val_if_fail (ex != NULL, 0);
  g_return_val_if_fail (i < ex->n_inputs, 0);
  return ex->features[i];
}

/* ---- Parameters ---------------------------------------------------------------------- */

gsize
nn_explain_get_n_params (const NnExplain *ex)
{
  g_return_val_if_fail (ex != NULL, 0);
  return ex->n_params;
}

gboolean
nn_explain_param_index (const NnExplain *ex, NnParamRef ref, gsize *index)
{
  g_return_val_if_fail (ex != NULL && index != NULL, FALSE);

  if (ref.layer >= ex->n_layers)
    return FALSE;
  const NnLayer *shape = &ex->shape[ref.layer];
  if (ref.out >= shape->n_out)
    return FALSE;
  if (ref.kind == NN_PARAM_BIAS)
    {
      *index = shape->b_offset + ref.out;
      return TRUE;
    }
  if (ref.kind != NN_PARAM_WEIGHT || ref.in >= shape->n_in)
    return FALSE;
  *index = shape->w_offset + (gsize) ref.out * shape->n_in + ref.in;
  return TRUE;
}

gboolean
nn_explain_param_ref (const NnExplain *ex, gsize index, NnParamRef *ref)
{
  g_return_val_if_fail (ex != NULL && ref != NULL, FALSE);

  for (guint l = 0; l < ex->n_layers; l++)
    {
      const NnLayer *shape = &ex->shape[l];

      if (index >= shape->w_offset && index < shape->b_offset)
        {
          gsize k = index - shape->w_offset;
          *ref = NN_PARAM_REF_WEIGHT (l, (guint) (k / shape->n_in), (guint) (k % shape->n_in));
          return TRUE;
        }
      if (index >= shape->b_offset && index < shape->b_offset + shape->n_out)
        {
          *ref = NN_PARAM_REF_BIAS (l, (guint) (index - shape->b_offset));
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- Backward, one unit and one parameter at a time ----------------------------------- */

static void
explain_output_delta (const NnExplain *ex, guint j, NnDeltaExplanation *out)
{
  const NnExplainOutput *o = &ex->output;
  const NnExplainLayer *layer = &ex->layers[ex->n_layers - 1];

  if (o->fused)
    out->form = NN_EXPLAIN_DELTA_FUSED;
  else if (o->activation == NN_ACTIVATION_SOFTMAX)
    out->form = NN_EXPLAIN_DELTA_SOFTMAX_SUM;
  else
    {
      out->form = NN_EXPLAIN_DELTA_CHAIN;
      out->upstream = o->dl_dy[j];
      out->derivative = layer->derivative[j];
      return;
    }

  out->upstream = out->delta;
  out->derivative = 1.0;
  if (out->form != NN_EXPLAIN_DELTA_SOFTMAX_SUM)
    return;
  out->n_terms = o->n_outputs;
  for (guint k = 0; k < o->n_outputs; k++)
    {
      NnExplainTerm *term = &out->terms[k];
      term->k = k;
      term->a = o->dl_dy[k];
      term->b = o->y_p[k] * ((k == j ? 1.0 : 0.0) - o->y_p[j]);
      term->product = term->a * term->b;
    }
}

static void
explain_hidden_delta (const NnExplain *ex, guint l, guint j, NnDeltaExplanation *out)
{
  const NnExplainLayer *above = &ex->layers[l + 1];

  out->form = NN_EXPLAIN_DELTA_BACKPROP;
  out->upstream = upstream_sum (ex, l, j);
  out->derivative = ex->layers[l].derivative[j];
  out->n_terms = above->n_out;
  for (guint k = 0; k < above->n_out; k++)
    {
      NnExplainTerm *term = &out->terms[k];
      term->k = k;
      term->a = above->w[(gsize) k * above->n_in + j];
      term->b = above->delta[k];
      term->product = term->a * term->b;
    }
}

gboolean
nn_explain_delta (const NnExplain *ex, guint layer, guint unit, NnDeltaExplanation *out)
{
  g_return_val_if_fail (ex != NULL && out != NULL, FALSE);

  if (layer >= ex->n_layers || unit >= ex->layers[layer].n_out)
    return FALSE;

  *out = (NnDeltaExplanation) {
    .layer = layer,
    .unit = unit,
    .activation = ex->layers[layer].activation,
    .alpha = ex->layers[layer].alpha,
    .delta = ex->layers[layer].delta[unit],
  };
  if (layer == ex->n_layers - 1)
    explain_output_delta (ex, unit, out);
  else
    explain_hidden_delta (ex, layer, unit, out);
  return TRUE;
}

/* One path from u_j of layer l to the loss: every layer above has one unit, and the loss
 * does not mix the outputs (softmax with MSE does, through the Jacobian). */
static gboolean
has_single_path (const NnExplain *ex, guint l)
{
  if (!ex->output.fused && ex->output.activation == NN_ACTIVATION_SOFTMAX)
    return FALSE;
  for (guint m = l + 1; m < ex->n_layers; m++)
    if (ex->layers[m].n_out != 1)
      return FALSE;
  return TRUE;
}

static void
add_factor (NnGradientExplanation *out, NnExplainFactorKind kind, double value,
            const NnExplainLayer *of, guint layer, guint unit, guint input)
{
  g_assert (out->n_factors < NN_EXPLAIN_MAX_FACTORS);
  out->factors[out->n_factors++] = (NnExplainFactor) {
    .kind = kind,
    .value = value,
    .layer = layer,
    .unit = unit,
    .input = input,
    .activation = of->activation,
    .alpha = of->alpha,
  };
}

/* ∂L/∂y_p · ∂y_p/∂u, then for each layer m above l: ∂u^m/∂z^(m−1) = w and ∂z/∂u = F′. */
static void
chain_factors (const NnExplain *ex, NnParamRef ref, NnGradientExplanation *out)
{
  guint last = ex->n_layers - 1;
  const NnExplainLayer *top = &ex->layers[last];
  guint k = ref.layer == last ? ref.out : 0;

  if (ex->output.fused)
    add_factor (out, NN_EXPLAIN_FACTOR_DL_DU, top->delta[k], top, last, k, 0);
  else
    {
      add_factor (out, NN_EXPLAIN_FACTOR_DL_DY, ex->output.dl_dy[k], top, last, k, 0);
      add_factor (out, NN_EXPLAIN_FACTOR_DY_DU, top->derivative[k], top, last, k, 0);
    }
  for (guint m = last; m > ref.layer; m--)
    {
      const NnExplainLayer *layer = &ex->layers[m], *below = &ex->layers[m - 1];
      guint j = m - 1 == ref.layer ? ref.out : 0;

      add_factor (out, NN_EXPLAIN_FACTOR_WEIGHT, layer->w[j], layer, m, 0, j);
      add_factor (out, NN_EXPLAIN_FACTOR_DZ_DU, below->derivative[j], below, m - 1, j, 0);
    }
}

static double
regularization_gradient (const NnExplain *ex, NnParamRef ref, double w)
{
  if (ref.kind != NN_PARAM_WEIGHT || ex->regularization_rate == 0.0)
    return 0.0;
  if (ex->regularization == NN_REGULARIZATION_L2)
    return ex->regularization_rate * w;
  if (ex->regularization == NN_REGULARIZATION_L1)
    return ex->regularization_rate * ((w > 0.0) - (w < 0.0));
  return 0.0;
}

/* ∂L/∂w_ji = δ_j · x_i, ∂L/∂b_j = δ_j, plus the regulariser: what the optimizer gets. */
static void
param_gradient (const NnExplain *ex, NnParamRef ref, gsize index, double *data, double *total)
{
  const NnExplainLayer *layer = &ex->layers[ref.layer];
  double x = ref.kind == NN_PARAM_WEIGHT ? layer->x[ref.in] : 1.0;

  *data = ref.kind == NN_PARAM_WEIGHT ? layer->delta[ref.out] * x : layer->delta[ref.out];
  *total = *data + regularization_gradient (ex, ref, ex->params[index]);
}

gboolean
nn_explain_gradient (const NnExplain *ex, NnParamRef ref, NnGradientExplanation *out)
{
  gsize index;

  g_return_val_if_fail (ex != NULL && out != NULL, FALSE);

  if (!nn_explain_param_index (ex, ref, &index))
    return FALSE;

  const NnExplainLayer *layer = &ex->layers[ref.layer];
  gboolean weight = ref.kind == NN_PARAM_WEIGHT;

  out->ref = ref;
  out->index = index;
  out->value = ex->params[index];
  out->input = weight ? layer->x[ref.in] : 1.0;
  nn_explain_delta (ex, ref.layer, ref.out, &out->delta);
  param_gradient (ex, ref, index, &out->data_gradient, &out->gradient);
  out->regularization = ex->regularization;
  out->regularization_rate = ex->regularization_rate;
  out->regularization_gradient = regularization_gradient (ex, ref, out->value);

  out->single_path = has_single_path (ex, ref.layer);
  out->n_factors = 0;
  if (out->single_path)
    chain_factors (ex, ref, out);
  else
    add_factor (out, NN_EXPLAIN_FACTOR_DELTA, layer->delta[ref.out], layer, ref.layer, ref.out,
                0);
  if (weight)
    add_factor (out, NN_EXPLAIN_FACTOR_INPUT, out->input, layer, ref.layer, ref.out, ref.in);
  return TRUE;
}

/* ---- Update -------------------------------------------------------------------------- */

/* Each rule is written as nn_optimizer_step writes it, expression for expression, so the
 * preview rounds as the real step does. */
static void
update_momentum (NnUpdateExplanation *u)
{
  u->v_new = u->cfg.momentum * u->v + u->gradient;
  u->direction = u->v_new;
  u->new_value = u->value - u->cfg.learning_rate * u->v_new;
}

static void
update_rmsprop (NnUpdateExplanation *u)
{
  const NnOptimizerConfig *cfg = &u->cfg;

  u->h_new = cfg->alpha * u->h + (1.0 - cfg->alpha) * u->gradient * u->gradient;
  u->denominator = sqrt (u->h_new) + cfg->epsilon;
  u->direction = u->gradient / u->denominator;
  u->new_value = u->value - cfg->learning_rate * u->gradient / u->denominator;
}

static void
update_adam (NnUpdateExplanation *u)
{
  const NnOptimizerConfig *cfg = &u->cfg;
  double b1 = cfg->beta1, b2 = cfg->beta2;

  u->correction1 = 1.0 - pow (b1, (double) (u->t + 1));
  u->correction2 = 1.0 - pow (b2, (double) (u->t + 1));
  u->v_new = b1 * u->v + (1.0 - b1) * u->gradient;
  u->h_new = b2 * u->h + (1.0 - b2) * u->gradient * u->gradient;
  u->v_hat = u->v_new / u->correction1;
  u->h_hat = u->h_new / u->correction2;
  u->denominator = sqrt (u->h_hat) + cfg->epsilon;
  u->direction = u->v_hat / u->denominator;
  u->new_value = u->value - cfg->learning_rate * u->v_hat / u->denominator;
}

gboolean
nn_explain_update (const NnExplain *ex, NnParamRef ref, NnUpdateExplanation *out)
{
  gsize index;
  double data;

  g_return_val_if_fail (ex != NULL && out != NULL, FALSE);

  if (!nn_explain_param_index (ex, ref, &index))
    return FALSE;

  *out = (NnUpdateExplanation) {
    .cfg = ex->cfg,
    .batch_size = 1,
    .t = ex->t,
    .value = ex->params[index],
    .denominator = 1.0,
  };
  param_gradient (ex, ref, index, &data, &out->gradient);
  switch (ex->cfg.kind)
    {
    case NN_OPTIMIZER_MOMENTUM:
      out->v = ex->m[index];
      update_momentum (out);
      break;
    case NN_OPTIMIZER_RMSPROP:
      out->h = ex->v[index];
      update_rmsprop (out);
      break;
    case NN_OPTIMIZER_ADAM:
      out->v = ex->m[index];
      out->h = ex->v[index];
      update_adam (out);
      break;
    case NN_OPTIMIZER_GD:
    case NN_OPTIMIZER_SGD:
    case NN_N_OPTIMIZERS:
    default:
      out->direction = out->gradient;
      out->new_value = out->value - ex->cfg.learning_rate * out->gradient;
      break;
    }
  out->step = out->value - out->new_value;
  return TRUE;
}

/* ---- Notation ------------------------------------------------------------------------ */

const char *
nn_explain_activation_formula (NnActivation activation)
{
  switch (activation)
    {
    case NN_ACTIVATION_IDENTITY:
      return "u";
    case NN_ACTIVATION_RELU:
      return "max(0, u)";
    case NN_ACTIVATION_LEAKY_RELU:
      return "max(αu, u)";
    case NN_ACTIVATION_SIGMOID:
      return "1/(1 + e^−u)";
    case NN_ACTIVATION_TANH:
      return "(e^u − e^−u)/(e^u + e^−u)";
    case NN_ACTIVATION_SOFTMAX:
      return "e^u_j/Σ_k e^u_k";
    case NN_N_ACTIVATIONS:
    default:
      return "";
    }
}

const char *
nn_explain_derivative_formula (NnActivation activation)
{
  switch (activation)
    {
    case NN_ACTIVATION_IDENTITY:
      return "1";
    case NN_ACTIVATION_RELU:
      return "Θ(u)";
    case NN_ACTIVATION_LEAKY_RELU:
      return "Θ(u) + α(1 − Θ(u))";
    case NN_ACTIVATION_SIGMOID:
      return "z(1 − z)";
    case NN_ACTIVATION_TANH:
      return "1 − z²";
    case NN_ACTIVATION_SOFTMAX:
      return "y_j([j = k] − y_k)";
    case NN_N_ACTIVATIONS:
    default:
      return "";
    }
}

/* ---- Formulas ------------------------------------------------------------------------ */

/* One writer of the course's notation for both readers: plain Unicode for the command line
 * and the tests (u₁₂, y_p₂, 1.2e−05), Pango markup for the figures (<i>u</i><sub>12</sub>,
 * ×10<sup>−5</sup>). Indices are 1-based as in the course: u₁₂ is unit 2 of layer 1, w₁₂
 * the weight from input 2 to unit 1 of the layer being shown. */

#define PLAIN  NN_EXPLAIN_PLAIN
#define MARKUP NN_EXPLAIN_MARKUP

static const char *const subscript_digits[] = {
  "₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉",
};

static void
append_subscript (GString *s, guint n)
{
  char digits[16];

  g_snprintf (digits, sizeof digits, "%u", n);
  for (const char *p = digits; *p != '\0'; p++)
    g_string_append (s, subscript_digits[*p - '0']);
}

/* A letter in the formulas' italic: L, K, g. */
static void
append_letter (GString *s, NnExplainNotation n, const char *letter)
{
  g_string_append_printf (s, n == MARKUP ? "<i>%s</i>" : "%s", letter);
}

void
nn_explain_format_number (char *buf, gsize size, double value)
{
  char raw[G_ASCII_DTOSTR_BUF_SIZE];
  GString *s = g_string_new (NULL);

  if (value == 0.0)
    value = 0.0; /* no "−0" */
  if (isnan (value))
    g_string_append (s, "NaN");
  else if (isinf (value))
    g_string_append (s, value > 0 ? "∞" : "−∞");
  else
    {
      g_ascii_formatd (raw, sizeof raw, "%.4g", value);
      for (const char *p = raw; *p != '\0'; p++)
        if (*p == '-')
          g_string_append (s, "−");
        else
          g_string_append_c (s, *p);
    }
  g_strlcpy (buf, s->str, size);
  g_string_free (s, TRUE);
}

void
nn_explain_append_number (GString *s, NnExplainNotation n, double value)
{
  char buf[64];
  const char *e, *exp;
  gboolean negative;

  nn_explain_format_number (buf, sizeof buf, value);
  e = strchr (buf, 'e');
  if (n == PLAIN || e == NULL)
    {
      g_string_append (s, buf);
      return;
    }
  /* 1.2e−05 as 1.2×10⁻⁵ with a real superscript. */
  exp = e + 1;
  negative = g_str_has_prefix (exp, "−");
  if (negative)
    exp += strlen ("−");
  else if (*exp == '+')
    exp++;
  g_string_append_len (s, buf, e - buf);
  g_string_append_printf (s, "×10<sup>%s%d</sup>", negative ? "−" : "", atoi (exp));
}

void
nn_explain_append_operand (GString *s, NnExplainNotation n, double value)
{
  if (value < 0.0)
    g_string_append_c (s, '(');
  nn_explain_append_number (s, n, value);
  if (value < 0.0)
    g_string_append_c (s, ')');
}

void
nn_explain_append_squared (GString *s, NnExplainNotation n, double value)
{
  char buf[64];
  gboolean parens;

  nn_explain_format_number (buf, sizeof buf, value);
  parens = value < 0.0 || strchr (buf, 'e') != NULL;
  if (parens)
    g_string_append_c (s, '(');
  nn_explain_append_number (s, n, value);
  g_string_append (s, parens ? ")" : "");
  g_string_append (s, n == MARKUP ? "<sup>2</sup>" : "²");
}

void
nn_explain_append_symbol (GString *s, NnExplainNotation n, const char *name, guint a, guint b)
{
  gboolean comma = a + 1 >= 10 || b + 1 >= 10;

  if (n == MARKUP)
    {
      g_string_append_printf (s, "<i>%s</i><sub>%u%s%u</sub>", name, a + 1, comma ? "," : "",
                              b + 1);
      return;
    }
  g_string_append (s, name);
  append_subscript (s, a + 1);
  if (comma)
    g_string_append_c (s, ',');
  append_subscript (s, b + 1);
}

void
nn_explain_append_symbol1 (GString *s, NnExplainNotation n, const char *name, guint a)
{
  if (n == MARKUP)
    {
      g_string_append_printf (s, "<i>%s</i><sub>%u</sub>", name, a + 1);
      return;
    }
  g_string_append (s, name);
  append_subscript (s, a + 1);
}

/* y_p or y_t without an index, as the loss's derivative writes them. */
static void
append_y (GString *s, NnExplainNotation n, const char *which)
{
  g_string_append_printf (s, n == MARKUP ? "<i>y</i><sub>%s</sub>" : "y_%s", which);
}

void
nn_explain_append_output (GString *s, NnExplainNotation n, const NnExplain *ex,
                          const char *which, guint k)
{
  if (ex->output.n_outputs <= 1)
    append_y (s, n, which);
  else if (n == MARKUP)
    g_string_append_printf (s, "<i>y</i><sub>%s,%u</sub>", which, k + 1);
  else
    {
      g_string_append_printf (s, "y_%s", which);
      append_subscript (s, k + 1);
    }
}

void
nn_explain_append_z (GString *s, NnExplainNotation n, const NnExplain *ex, guint l, guint j)
{
  if (l + 1 == ex->n_layers)
    nn_explain_append_output (s, n, ex, "p", j);
  else
    nn_explain_append_symbol (s, n, "z", l, j);
}

void
nn_explain_append_input (GString *s, NnExplainNotation n, const NnExplain *ex, guint l, guint i)
{
  if (l > 0)
    nn_explain_append_z (s, n, ex, l - 1, i);
  else
    nn_explain_append_symbol1 (s, n, "x", i);
}

void
nn_explain_append_param (GString *s, NnExplainNotation n, NnParamRef ref)
{
  if (ref.kind == NN_PARAM_WEIGHT)
    nn_explain_append_symbol (s, n, "w", ref.out, ref.in);
  else
    nn_explain_append_symbol1 (s, n, "b", ref.out);
}

const char *
nn_explain_function_symbol (NnActivation a)
{
  static const char *const symbols[] = {
    "", "ReLU", "LeakyReLU", "σ", "tanh", "softmax",
  };
  return a < G_N_ELEMENTS (symbols) ? symbols[a] : "?";
}

void
nn_explain_append_derivative (GString *s, NnExplainNotation n, NnActivation a, guint l, guint j)
{
  if (a == NN_ACTIVATION_IDENTITY)
    {
      g_string_append (s, "1");
      return;
    }
  if (a == NN_ACTIVATION_RELU)
    g_string_append (s, "Θ(");
  else
    g_string_append_printf (s, "%s′(", nn_explain_function_symbol (a));
  nn_explain_append_symbol (s, n, "u", l, j);
  g_string_append_c (s, ')');
}

void
nn_explain_append_partial (GString *s, NnExplainNotation n, const NnExplain *ex,
                           const NnExplainFactor *f, NnParamRef ref)
{
  g_string_append (s, "∂");
  switch (f->kind)
    {
    case NN_EXPLAIN_FACTOR_DL_DY:
      append_letter (s, n, "L");
      g_string_append (s, "/∂");
      nn_explain_append_output (s, n, ex, "p", f->unit);
      return;
    case NN_EXPLAIN_FACTOR_DY_DU:
      nn_explain_append_output (s, n, ex, "p", f->unit);
      break;
    case NN_EXPLAIN_FACTOR_WEIGHT:
      nn_explain_append_symbol (s, n, "u", f->layer, f->unit);
      g_string_append (s, "/∂");
      nn_explain_append_z (s, n, ex, f->layer - 1, f->input);
      return;
    case NN_EXPLAIN_FACTOR_DZ_DU:
      nn_explain_append_z (s, n, ex, f->layer, f->unit);
      break;
    case NN_EXPLAIN_FACTOR_INPUT:
      nn_explain_append_symbol (s, n, "u", f->layer, f->unit);
      g_string_append (s, "/∂");
      nn_explain_append_param (s, n, ref);
      return;
    case NN_EXPLAIN_FACTOR_DL_DU:
    case NN_EXPLAIN_FACTOR_DELTA:
    default:
      append_letter (s, n, "L");
      break;
    }
  g_string_append (s, "/∂");
  nn_explain_append_symbol (s, n, "u", f->layer, f->unit);
}

void
nn_explain_append_factor_symbol (GString *s, NnExplainNotation n, const NnExplain *ex,
                                 const NnExplainFactor *f)
{
  switch (f->kind)
    {
    case NN_EXPLAIN_FACTOR_DL_DY:
      g_string_append (s, "2(");
      append_y (s, n, "p");
      g_string_append (s, " − ");
      append_y (s, n, "t");
      g_string_append (s, ")");
      if (ex->output.n_outputs > 1)
        {
          g_string_append (s, "/");
          append_letter (s, n, "K");
        }
      break;
    case NN_EXPLAIN_FACTOR_DL_DU:
      nn_explain_append_output (s, n, ex, "p", f->unit);
      g_string_append (s, " − ");
      nn_explain_append_output (s, n, ex, "t", f->unit);
      break;
    case NN_EXPLAIN_FACTOR_DY_DU:
    case NN_EXPLAIN_FACTOR_DZ_DU:
      nn_explain_append_derivative (s, n, f->activation, f->layer, f->unit);
      break;
    case NN_EXPLAIN_FACTOR_WEIGHT:
      nn_explain_append_symbol (s, n, "w", f->unit, f->input);
      break;
    case NN_EXPLAIN_FACTOR_INPUT:
      nn_explain_append_input (s, n, ex, f->layer, f->input);
      break;
    case NN_EXPLAIN_FACTOR_DELTA:
    default:
      nn_explain_append_symbol (s, n, "δ", f->layer, f->unit);
      break;
    }
}

void
nn_explain_append_linear_values (GString *s, NnExplainNotation n, const NnExplain *ex, guint l,
                                 guint j)
{
  const NnExplainLayer *layer = &ex->layers[l];
  const double *wj = layer->w + (gsize) j * layer->n_in;

  for (guint i = 0; i < layer->n_in; i++)
    {
      g_string_append (s, i == 0 ? "" : " + ");
      nn_explain_append_operand (s, n, wj[i]);
      g_string_append (s, "·");
      nn_explain_append_operand (s, n, layer->x[i]);
    }
  g_string_append (s, " + ");
  nn_explain_append_operand (s, n, layer->b[j]);
}

void
nn_explain_append_mse_terms (GString *s, NnExplainNotation n, const NnExplain *ex)
{
  const NnExplainOutput *o = &ex->output;

  for (guint k = 0; k < o->n_outputs; k++)
    {
      g_string_append (s, k == 0 ? "(" : " + (");
      nn_explain_append_number (s, n, o->y_p[k]);
      g_string_append (s, " − ");
      nn_explain_append_operand (s, n, o->y_t[k]);
      g_string_append (s, n == MARKUP ? ")<sup>2</sup>" : ")²");
    }
}

void
nn_explain_append_delta_terms (GString *s, NnExplainNotation n, const NnDeltaExplanation *d,
                               gboolean values)
{
  for (guint t = 0; t < d->n_terms; t++)
    {
      g_string_append (s, t == 0 ? "" : " + ");
      if (values)
        {
          nn_explain_append_operand (s, n, d->terms[t].a);
          g_string_append (s, "·");
          nn_explain_append_operand (s, n, d->terms[t].b);
        }
      else
        {
          nn_explain_append_symbol (s, n, "w", d->terms[t].k, d->unit);
          nn_explain_append_symbol (s, n, "δ", d->layer + 1, d->terms[t].k);
        }
    }
}

void
nn_explain_append_backprop (GString *s, NnExplainNotation n, const NnDeltaExplanation *d,
                            const char *equals)
{
  g_string_append (s, "(");
  nn_explain_append_delta_terms (s, n, d, FALSE);
  g_string_append (s, ") · ");
  nn_explain_append_derivative (s, n, d->activation, d->layer, d->unit);
  g_string_append_printf (s, "%s(", equals);
  nn_explain_append_delta_terms (s, n, d, TRUE);
  g_string_append (s, ") · ");
  nn_explain_append_operand (s, n, d->derivative);
}

void
nn_explain_append_average (GString *s, NnExplainNotation n, double a, double old, double b,
                           double g, gboolean squared)
{
  nn_explain_append_number (s, n, a);
  g_string_append (s, "·");
  nn_explain_append_operand (s, n, old);
  g_string_append (s, " + ");
  if (b != 1.0)
    {
      nn_explain_append_number (s, n, b);
      g_string_append (s, "·");
    }
  if (squared)
    nn_explain_append_squared (s, n, g);
  else
    nn_explain_append_operand (s, n, g);
}

void
nn_explain_append_correction (GString *s, NnExplainNotation n, double value, double beta,
                              guint64 t)
{
  nn_explain_append_number (s, n, value);
  g_string_append (s, "/(1 − ");
  nn_explain_append_number (s, n, beta);
  g_string_append_printf (s, n == MARKUP ? "<sup>%" G_GUINT64_FORMAT "</sup>)"
                                         : "^%" G_GUINT64_FORMAT ")", t + 1);
}

void
nn_explain_append_step (GString *s, NnExplainNotation n, const NnUpdateExplanation *u,
                        double operand, double root)
{
  nn_explain_append_number (s, n, u->value);
  g_string_append (s, " − ");
  nn_explain_append_number (s, n, u->cfg.learning_rate);
  g_string_append (s, "·");
  nn_explain_append_operand (s, n, operand);
  if (isnan (root))
    return;
  g_string_append (s, "/(√");
  nn_explain_append_number (s, n, root);
  g_string_append (s, " + ");
  nn_explain_append_number (s, n, u->cfg.epsilon);
  g_string_append (s, ")");
}

/* ---- Plain text ---------------------------------------------------------------------- */

/* English, for the command line and the tests; the app draws its own, translated. */

static void
append_number (GString *s, double v)
{
  nn_explain_append_number (s, PLAIN, v);
}

static void
append_operand (GString *s, double v)
{
  nn_explain_append_operand (s, PLAIN, v);
}

static const char *
activation_name (NnActivation a)
{
  static const char *const names[] = {
    "identity", "ReLU", "Leaky ReLU", "sigmoid", "tanh", "softmax",
  };
  return a < G_N_ELEMENTS (names) ? names[a] : "?";
}

static void
format_sample (GString *s, const NnExplain *ex)
{
  const NnPoint *p = &ex->output.sample;

  g_string_append (s, "Sample: x1 = ");
  append_number (s, p->x1);
  g_string_append (s, ", x2 = ");
  append_number (s, p->x2);
  g_string_append (s, ex->output.problem == NN_PROBLEM_REGRESSION ? ", target " : ", class ");
  append_number (s, p->y);
  g_string_append (s, "\nInputs:");
  for (guint i = 0; i < ex->n_inputs; i++)
    {
      g_string_append (s, i == 0 ? " " : ", ");
      nn_explain_append_input (s, PLAIN, ex, 0, i);
      g_string_append_printf (s, " = %s = ", nn_feature_to_string (ex->features[i]));
      append_number (s, ex->layers[0].x[i]);
    }
  g_string_append_c (s, '\n');
}

static void
format_layer_title (GString *s, const NnExplain *ex, guint l)
{
  const NnExplainLayer *layer = &ex->layers[l];

  g_string_append_printf (s, "Layer %u (%s, %s", l + 1, layer->is_output ? "output" : "hidden",
                          activation_name (layer->activation));
  if (layer->activation == NN_ACTIVATION_LEAKY_RELU)
    {
      g_string_append (s, ", α = ");
      append_number (s, layer->alpha);
    }
  g_string_append (s, ")\n");
}

/* u₁₁ = w₁₁x₁ + w₁₂x₂ + b₁ = 0.5·1.2 + (−0.3)·0.4 + 0.1 = 0.58 */
static void
format_linear (GString *s, const NnExplain *ex, guint l, guint j)
{
  const NnExplainLayer *layer = &ex->layers[l];

  g_string_append (s, "  ");
  nn_explain_append_symbol (s, PLAIN, "u", l, j);
  g_string_append (s, " =");
  for (guint i = 0; i < layer->n_in; i++)
    {
      g_string_append (s, i == 0 ? " " : " + ");
      nn_explain_append_symbol (s, PLAIN, "w", j, i);
      nn_explain_append_input (s, PLAIN, ex, l, i);
    }
  g_string_append (s, " + ");
  nn_explain_append_symbol1 (s, PLAIN, "b", j);
  g_string_append (s, " = ");
  nn_explain_append_linear_values (s, PLAIN, ex, l, j);
  g_string_append (s, " = ");
  append_number (s, layer->u[j]);
  g_string_append_c (s, '\n');
}

/* y_p₁ = e^u₂₁/Σₖ e^u₂ₖ = e^0.3/(e^0.3 + e^(−0.1)) = 0.6 */
static void
format_softmax (GString *s, const NnExplain *ex, guint l, guint j)
{
  const NnExplainLayer *layer = &ex->layers[l];

  g_string_append (s, "  ");
  nn_explain_append_z (s, PLAIN, ex, l, j);
  g_string_append (s, " = e^");
  nn_explain_append_symbol (s, PLAIN, "u", l, j);
  g_string_append (s, "/Σₖ e^u");
  append_subscript (s, l + 1);
  g_string_append (s, "ₖ = e^");
  append_operand (s, layer->u[j]);
  g_string_append (s, "/(");
  for (guint k = 0; k < layer->n_out; k++)
    {
      g_string_append (s, k == 0 ? "e^" : " + e^");
      append_operand (s, layer->u[k]);
    }
  g_string_append (s, ") = ");
  append_number (s, layer->z[j]);
  g_string_append_c (s, '\n');
}

/* z₁₁ = tanh(u₁₁) = tanh(0.58) = 0.5227, or y_p = u₂₁ = 0.3 for the identity. */
static void
format_activation (GString *s, const NnExplain *ex, guint l, guint j)
{
  const NnExplainLayer *layer = &ex->layers[l];
  const char *f = nn_explain_function_symbol (layer->activation);

  if (layer->activation == NN_ACTIVATION_SOFTMAX)
    {
      format_softmax (s, ex, l, j);
      return;
    }
  g_string_append (s, "  ");
  nn_explain_append_z (s, PLAIN, ex, l, j);
  g_string_append (s, " = ");
  if (layer->activation == NN_ACTIVATION_IDENTITY)
    nn_explain_append_symbol (s, PLAIN, "u", l, j);
  else
    {
      g_string_append_printf (s, "%s(", f);
      nn_explain_append_symbol (s, PLAIN, "u", l, j);
      g_string_append_printf (s, ") = %s(", f);
      append_number (s, layer->u[j]);
      g_string_append (s, ")");
    }
  g_string_append (s, " = ");
  append_number (s, layer->z[j]);
  g_string_append_c (s, '\n');
}

static void
format_forward (GString *s, const NnExplain *ex)
{
  g_string_append (s, "\nForward propagation\n");
  for (guint l = 0; l < ex->n_layers; l++)
    {
      format_layer_title (s, ex, l);
      for (guint j = 0; j < ex->layers[l].n_out; j++)
        {
          format_linear (s, ex, l, j);
          format_activation (s, ex, l, j);
        }
    }
}

static void
format_vector (GString *s, const NnExplain *ex, const char *name, const double *v)
{
  guint k = ex->output.n_outputs;

  g_string_append_printf (s, "%s = %s", name, k > 1 ? "(" : "");
  for (guint j = 0; j < k; j++)
    {
      if (j > 0)
        g_string_append (s, ", ");
      append_number (s, v[j]);
    }
  g_string_append (s, k > 1 ? ")" : "");
}

static void
format_mse (GString *s, const NnExplain *ex)
{
  const NnExplainOutput *o = &ex->output;

  if (o->n_outputs == 1)
    g_string_append (s, "L = (y_p − y_t)² = ");
  else
    g_string_append_printf (s, "L = (1/%u) Σₖ (y_pₖ − y_tₖ)² = (1/%u)·(", o->n_outputs,
                            o->n_outputs);
  nn_explain_append_mse_terms (s, PLAIN, ex);
  g_string_append (s, o->n_outputs == 1 ? "" : ")");
}

/* Cross-entropy with its one non-zero term: −log y_p of the true class. */
static void
format_cross_entropy (GString *s, const NnExplain *ex)
{
  const NnExplainOutput *o = &ex->output;
  guint c = 0;

  if (o->activation == NN_ACTIVATION_SIGMOID)
    {
      gboolean one = o->y_t[0] > 0.5;
      g_string_append (s, "L = −(y_t log y_p + (1 − y_t) log(1 − y_p)) = ");
      g_string_append (s, one ? "−log " : "−log(1 − ");
      append_number (s, o->y_p[0]);
      g_string_append (s, one ? "" : ")");
      return;
    }
  for (guint k = 0; k < o->n_outputs; k++)
    if (o->y_t[k] > o->y_t[c])
      c = k;
  g_string_append (s, "L = −Σₖ y_tₖ log y_pₖ = −log ");
  nn_explain_append_output (s, PLAIN, ex, "p", c);
  g_string_append (s, " = −log ");
  append_number (s, o->y_p[c]);
}

static void
format_loss (GString *s, const NnExplain *ex)
{
  const NnExplainOutput *o = &ex->output;

  g_string_append (s, "Output: ");
  format_vector (s, ex, "y_p", o->y_p);
  g_string_append (s, ", ");
  format_vector (s, ex, "y_t", o->y_t);
  g_string_append_printf (s, "\nLoss (%s): ", o->loss == NN_LOSS_MSE ? "MSE" : "cross-entropy");
  if (o->loss == NN_LOSS_MSE)
    format_mse (s, ex);
  else
    format_cross_entropy (s, ex);
  g_string_append (s, " = ");
  append_number (s, o->value);
  g_string_append_c (s, '\n');
}

static void
format_softmax_sum (GString *s, const NnDeltaExplanation *d)
{
  g_string_append (s, "Σₖ ∂L/∂y_pₖ · ∂y_pₖ/∂");
  nn_explain_append_symbol (s, PLAIN, "u", d->layer, d->unit);
  g_string_append (s, " = ");
  nn_explain_append_delta_terms (s, PLAIN, d, TRUE);
}

/* One δ with its formula, its symbols and its numbers. */
static void
format_delta (GString *s, const NnExplain *ex, const NnDeltaExplanation *d)
{
  const NnExplainOutput *o = &ex->output;

  g_string_append (s, "  ");
  nn_explain_append_symbol (s, PLAIN, "δ", d->layer, d->unit);
  g_string_append (s, " = ");
  switch (d->form)
    {
    case NN_EXPLAIN_DELTA_CHAIN:
      g_string_append (s, "∂L/∂y_p · ∂y_p/∂");
      nn_explain_append_symbol (s, PLAIN, "u", d->layer, d->unit);
      g_string_append (s, o->n_outputs == 1 ? " = 2(y_p − y_t) · " : " = 2(y_p − y_t)/K · ");
      nn_explain_append_derivative (s, PLAIN, d->activation, d->layer, d->unit);
      g_string_append (s, " = ");
      append_operand (s, d->upstream);
      g_string_append (s, "·");
      append_operand (s, d->derivative);
      break;
    case NN_EXPLAIN_DELTA_FUSED:
      g_string_append (s, "∂L/∂");
      nn_explain_append_symbol (s, PLAIN, "u", d->layer, d->unit);
      g_string_append (s, " = ");
      nn_explain_append_output (s, PLAIN, ex, "p", d->unit);
      g_string_append (s, " − ");
      nn_explain_append_output (s, PLAIN, ex, "t", d->unit);
      g_string_append (s, " = ");
      append_number (s, o->y_p[d->unit]);
      g_string_append (s, " − ");
      append_operand (s, o->y_t[d->unit]);
      break;
    case NN_EXPLAIN_DELTA_SOFTMAX_SUM:
      format_softmax_sum (s, d);
      break;
    case NN_EXPLAIN_DELTA_BACKPROP:
    default:
      nn_explain_append_backprop (s, PLAIN, d, " = ");
      break;
    }
  g_string_append (s, " = ");
  append_number (s, d->delta);
  g_string_append_c (s, '\n');
}

static void
format_backward (GString *s, const NnExplain *ex)
{
  g_string_append (s, "\nBack-propagation (δ = ∂L/∂u)\n");
  for (guint l = ex->n_layers; l-- > 0;)
    {
      const NnExplainLayer *layer = &ex->layers[l];
      NnDeltaExplanation d;

      g_string_append_printf (s, "Layer %u (%s", l + 1, layer->is_output ? "output" : "hidden");
      if (layer->activation != NN_ACTIVATION_SOFTMAX && !(layer->is_output && ex->output.fused))
        g_string_append_printf (s, "; %s′(u) = %s", activation_name (layer->activation),
                                nn_explain_derivative_formula (layer->activation));
      g_string_append (s, ")\n");
      for (guint j = 0; j < layer->n_out; j++)
        {
          nn_explain_delta (ex, l, j, &d);
          format_delta (s, ex, &d);
        }
    }
}

static void
format_regularization (GString *s, const NnGradientExplanation *g)
{
  gboolean l2 = g->regularization == NN_REGULARIZATION_L2;

  if (g->regularization_gradient == 0.0)
    return;
  g_string_append (s, "  g = ∂L/∂");
  nn_explain_append_param (s, PLAIN, g->ref);
  g_string_append (s, l2 ? " + λ" : " + λ·sign(");
  nn_explain_append_param (s, PLAIN, g->ref);
  g_string_append (s, l2 ? " = " : ") = ");
  append_number (s, g->data_gradient);
  g_string_append (s, " + ");
  append_operand (s, g->regularization_gradient);
  g_string_append (s, " = ");
  append_number (s, g->gradient);
  g_string_append_printf (s, " (%s, λ = ", l2 ? "L2" : "L1");
  append_number (s, g->regularization_rate);
  g_string_append (s, ")\n");
}

static void
format_gradient (GString *s, const NnExplain *ex, const NnGradientExplanation *g)
{
  g_string_append (s, "\nGradient of ");
  nn_explain_append_param (s, PLAIN, g->ref);
  g_string_append_printf (s, " in layer %u (%s ", g->ref.layer + 1,
                          g->ref.kind == NN_PARAM_WEIGHT ? "from" : "bias of");
  if (g->ref.kind == NN_PARAM_WEIGHT)
    {
      nn_explain_append_input (s, PLAIN, ex, g->ref.layer, g->ref.in);
      g_string_append (s, " to ");
    }
  nn_explain_append_symbol (s, PLAIN, "u", g->ref.layer, g->ref.out);
  g_string_append_printf (s, ")%s\n  ∂L/∂", g->single_path ? "" : ", through every path");
  nn_explain_append_param (s, PLAIN, g->ref);
  for (guint i = 0; i < g->n_factors; i++)
    {
      g_string_append (s, i == 0 ? " = " : " · ");
      nn_explain_append_partial (s, PLAIN, ex, &g->factors[i], g->ref);
    }
  for (guint i = 0; i < g->n_factors; i++)
    {
      /* A difference inside a product: (y_p − y_t). */
      gboolean difference = g->factors[i].kind == NN_EXPLAIN_FACTOR_DL_DU;

      g_string_append (s, i == 0 ? "\n    = " : " · ");
      g_string_append (s, difference ? "(" : "");
      nn_explain_append_factor_symbol (s, PLAIN, ex, &g->factors[i]);
      g_string_append (s, difference ? ")" : "");
    }
  g_string_append (s, "\n    = ");
  /* A lone factor is its own value: no product to show. */
  for (guint i = 0; i < g->n_factors && g->n_factors > 1; i++)
    {
      g_string_append (s, i == 0 ? "" : "·");
      append_operand (s, g->factors[i].value);
    }
  g_string_append (s, g->n_factors > 1 ? " = " : "");
  append_number (s, g->data_gradient);
  g_string_append_c (s, '\n');
  format_regularization (s, g);
}

/* "name ← " or "name = " followed by a formula, then the numbers. */
static void
format_rule (GString *s, const char *lhs, const char *formula)
{
  g_string_append_printf (s, "  %s%s = ", lhs, formula);
}

/* w ← w − η·operand, or w − η·operand/(√root + ε) when root is not NAN. */
static void
format_new_value (GString *s, const NnUpdateExplanation *u, NnParamRef ref, const char *rule,
                  double operand, double root)
{
  g_string_append (s, "  ");
  nn_explain_append_param (s, PLAIN, ref);
  g_string_append (s, " ← ");
  nn_explain_append_param (s, PLAIN, ref);
  g_string_append_printf (s, " − %s = ", rule);
  nn_explain_append_step (s, PLAIN, u, operand, root);
  g_string_append (s, " = ");
  append_number (s, u->new_value);
  g_string_append_c (s, '\n');
}

/* v ← μv + g, or h ← αh + (1 − α)g², or Adam's pair: a·old + b·g(²) = new. */
static void
format_average (GString *s, const char *lhs, const char *formula, double a, double old,
                double b, double g, gboolean squared, double result)
{
  format_rule (s, lhs, formula);
  nn_explain_append_average (s, PLAIN, a, old, b, g, squared);
  g_string_append (s, " = ");
  append_number (s, result);
  g_string_append_c (s, '\n');
}

static void
format_bias_correction (GString *s, const char *lhs, const char *formula, double value,
                        double beta, guint64 t, double result)
{
  format_rule (s, lhs, formula);
  nn_explain_append_correction (s, PLAIN, value, beta, t);
  g_string_append (s, " = ");
  append_number (s, result);
  g_string_append_c (s, '\n');
}

static void
format_adam (GString *s, const NnUpdateExplanation *u, NnParamRef ref)
{
  const NnOptimizerConfig *c = &u->cfg;

  format_average (s, "v ← ", "β₁v + (1 − β₁)g", c->beta1, u->v, 1.0 - c->beta1, u->gradient,
                  FALSE, u->v_new);
  format_average (s, "h ← ", "β₂h + (1 − β₂)g²", c->beta2, u->h, 1.0 - c->beta2, u->gradient,
                  TRUE, u->h_new);
  format_bias_correction (s, "v̂", " = v/(1 − β₁^(t+1))", u->v_new, c->beta1, u->t, u->v_hat);
  format_bias_correction (s, "ĥ", " = h/(1 − β₂^(t+1))", u->h_new, c->beta2, u->t, u->h_hat);
  format_new_value (s, u, ref, "η v̂/(√ĥ + ε)", u->v_hat, u->h_hat);
}

static const char *
optimizer_name (NnOptimizerKind kind)
{
  static const char *const names[] = { "GD", "SGD", "Momentum", "RMSProp", "Adam" };
  return kind < G_N_ELEMENTS (names) ? names[kind] : "?";
}

static void
format_update (GString *s, const NnUpdateExplanation *u, NnParamRef ref)
{
  const NnOptimizerConfig *c = &u->cfg;

  g_string_append_printf (s, "\nParameter update (%s, step %" G_GUINT64_FORMAT
                          "; this one sample taken as the batch; η = ",
                          optimizer_name (c->kind), u->t + 1);
  append_number (s, c->learning_rate);
  g_string_append (s, ")\n");
  switch (c->kind)
    {
    case NN_OPTIMIZER_MOMENTUM:
      format_average (s, "v ← ", "μv + g", c->momentum, u->v, 1.0, u->gradient, FALSE, u->v_new);
      format_new_value (s, u, ref, "ηv", u->v_new, NAN);
      break;
    case NN_OPTIMIZER_RMSPROP:
      format_average (s, "h ← ", "αh + (1 − α)g²", c->alpha, u->h, 1.0 - c->alpha, u->gradient,
                      TRUE, u->h_new);
      format_new_value (s, u, ref, "ηg/(√h + ε)", u->gradient, u->h_new);
      break;
    case NN_OPTIMIZER_ADAM:
      format_adam (s, u, ref);
      break;
    case NN_OPTIMIZER_GD:
    case NN_OPTIMIZER_SGD:
    case NN_N_OPTIMIZERS:
    default:
      format_new_value (s, u, ref, "ηg", u->gradient, NAN);
      break;
    }
}

char *
nn_explain_format_text (const NnExplain *ex, const NnParamRef *ref)
{
  GString *s;
  NnGradientExplanation gradient;
  NnUpdateExplanation update;

  g_return_val_if_fail (ex != NULL, NULL);

  s = g_string_new (NULL);
  format_sample (s, ex);
  format_forward (s, ex);
  format_loss (s, ex);
  format_backward (s, ex);
  if (ref != NULL && nn_explain_gradient (ex, *ref, &gradient)
      && nn_explain_update (ex, *ref, &update))
    {
      format_gradient (s, ex, &gradient);
      format_update (s, &update, *ref);
    }
  return g_string_free (s, FALSE);
}
