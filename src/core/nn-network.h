/* nn-network.h: a dense feed-forward network over one flat parameter array.
 *
 * Parameters live in one `double` array with a parallel gradient array. Layer l's weights
 * are `params[w_offset .. w_offset + n_out*n_in)` laid out [out][in] (as PyTorch's
 * Linear.weight), followed by its bias `params[b_offset .. b_offset + n_out)`.
 *
 * Batches are feature-major: a batch of B samples with n features is an (n, B) array,
 * row f holding feature f of every sample contiguously. That keeps every hot loop a
 * contiguous, vectorisable sweep over the batch. Workspace for `max_batch` samples is
 * allocated once in nn_network_new(); forward and backward never allocate.
 */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint        n_inputs;
  guint        n_hidden;                       /* 0..NN_MAX_HIDDEN_LAYERS */
  guint        units[NN_MAX_HIDDEN_LAYERS];    /* 1..NN_MAX_UNITS each */
  NnActivation activation[NN_MAX_HIDDEN_LAYERS];
  double       alpha[NN_MAX_HIDDEN_LAYERS];    /* Leaky ReLU slope */
  guint        n_outputs;
  NnActivation output_activation;
  double       output_alpha;
} NnArchitecture;

gboolean nn_architecture_validate (const NnArchitecture *arch, GError **error);
gboolean nn_architecture_equal    (const NnArchitecture *a, const NnArchitecture *b);

typedef struct
{
  guint        n_in;
  guint        n_out;
  NnActivation activation;
  double       alpha;
  gsize        w_offset;
  gsize        b_offset;
} NnLayer;

typedef struct
{
  NnArchitecture arch;
  guint          n_layers;               /* hidden layers + the output layer */
  NnLayer        layers[NN_MAX_LAYERS];
  gsize          n_params;
  double        *params;                 /* n_params */
  double        *grads;                  /* n_params */

  /* Workspace, (units, batch) per layer with room for max_batch: pre-activations u,
   * outputs z, and the gradient with respect to u during backward. */
  guint          max_batch;
  guint          batch;                  /* size of the last forward pass */
  double        *u[NN_MAX_LAYERS];
  double        *z[NN_MAX_LAYERS];
  double        *du[NN_MAX_LAYERS];
  double        *block;                  /* the one allocation behind all the arrays */
  gsize          block_size;             /* in doubles */
} NnNetwork;

NnNetwork *nn_network_new          (const NnArchitecture *arch, guint max_batch, GError **error);
NnNetwork *nn_network_copy         (const NnNetwork *net);
void       nn_network_free         (NnNetwork *net);
void       nn_network_init_params  (NnNetwork *net, NnInit init, GRand *rand);
guint      nn_network_total_units  (const NnNetwork *net); /* hidden + output neurons */
guint      nn_network_max_units    (const NnNetwork *net);

/* x is (n_inputs, batch) with batch <= max_batch. Leaves u and z of every layer. */
void       nn_network_forward      (NnNetwork *net, const double *x, guint batch);
/* The same, with x's rows `x_stride` apart, and layer l's outputs written to dest[l] (rows
 * `dest_stride` apart) instead of the workspace where dest[l] is not NULL; dest may be
 * NULL. Evaluating a grid this way writes every neuron's values straight into the
 * caller's buffers. Backward needs the workspace: use nn_network_forward before it. */
void       nn_network_forward_into (NnNetwork *net, const double *x, gsize x_stride, guint batch,
                                    double *const *dest, gsize dest_stride);
/* The output layer's z after forward, (n_outputs, batch) with row stride `batch`. */
const double *nn_network_output    (const NnNetwork *net);

/* Back-propagates du of the output layer (already in net->du[last], (n_out, batch)) and
 * ADDS the parameter gradients to net->grads. x is the same input given to forward. */
void       nn_network_backward     (NnNetwork *net, const double *x);
void       nn_network_zero_grads   (NnNetwork *net);

/* Adds the regulariser's gradient to the weights' gradients (never the biases'), and
 * returns the penalty (rate·Σ|w| or rate/2·Σw²). */
double     nn_network_regularize   (NnNetwork *net, NnRegularization kind, double rate);

/* Whether every parameter is finite. */
gboolean   nn_network_params_finite (const NnNetwork *net);

/* Copies the weights that two architectures share (same layer index, same unit and input
 * index) from src into dst; the rest of dst stays as it is. Used when the user adds or
 * removes neurons while training. */
void       nn_network_copy_overlap (NnNetwork *dst, const NnNetwork *src);

static inline double *
nn_network_weight_ptr (NnNetwork *net, guint layer, guint out, guint in)
{
  return &net->params[net->layers[layer].w_offset + (gsize) out * net->layers[layer].n_in + in];
}

static inline double *
nn_network_bias_ptr (NnNetwork *net, guint layer, guint out)
{
  return &net->params[net->layers[layer].b_offset + out];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnNetwork, nn_network_free)

G_END_DECLS
