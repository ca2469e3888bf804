/* nn-loss.h: losses over a feature-major batch, fused with the output activation.
 *
 * Cross-entropy is defined for softmax outputs (one-hot targets) and sigmoid outputs
 * (0/1 targets) only, computed from the pre-activations in the numerically stable fused
 * form. MSE is the mean over batch and outputs, as PyTorch's MSELoss.
 */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

gboolean nn_loss_supports_output (NnLoss loss, NnActivation output, GError **error);

/* Given the output layer's u and z, (k, batch), and targets (k, batch), returns the mean
 * loss of the batch and, when du is not NULL, writes dL/du (k, batch) for that mean.
 * `denominator` is the number of samples the mean is taken over (normally batch). */
double   nn_loss_evaluate        (NnLoss loss, NnActivation output, double alpha,
                                  const double *u, const double *z, const double *target,
                                  guint k, guint batch, double denominator, double *du);

G_END_DECLS
