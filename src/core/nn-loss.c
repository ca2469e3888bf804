/* nn-loss.c: batch losses fused with the output activation. */
#include "nn-loss.h"
#include "nn-activation.h"
#include "nn-error.h"

#include <math.h>
#include <glib/gi18n-lib.h>

gboolean
nn_loss_supports_output (NnLoss loss, NnActivation output, GError **error)
{
  if (loss == NN_LOSS_CROSS_ENTROPY && output != NN_ACTIVATION_SOFTMAX
      && output != NN_ACTIVATION_SIGMOID)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   _("cross_entropy needs a softmax or sigmoid output, not %s"),
                   nn_activation_to_string (output));
      return FALSE;
    }
  return TRUE;
}

static double
mse (NnActivation output, double alpha, const double *u, const double *z, const double *target,
     guint k, guint batch, double denominator, double *du)
{
  gsize n = (gsize) k * batch;
  double scale = 1.0 / (denominator * k);
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double diff = z[i] - target[i];
      sum += diff * diff;
    }
  if (du == NULL)
    return sum * scale;

  for (gsize i = 0; i < n; i++)
    du[i] = 2.0 * scale * (z[i] - target[i]);
  if (output == NN_ACTIVATION_SOFTMAX)
    nn_softmax_derive (z, du, du, k, batch);
  else
    nn_activation_derive (output, alpha, u, z, du, du, n);
  return sum * scale;
}

/* −Σ t·log softmax(u) = logsumexp(u) − Σ t·u for targets that sum to one; computed from u
 * so a probability that underflows to 0 never becomes log 0. */
static double
softmax_cross_entropy (const double *u, const double *target, guint k, guint batch)
{
  double sum = 0.0;

  for (guint b = 0; b < batch; b++)
    {
      double m = u[b], s = 0.0, tu = 0.0;
      for (guint j = 1; j < k; j++)
        m = MAX (m, u[(gsize) j * batch + b]);
      for (guint j = 0; j < k; j++)
        {
          double uj = u[(gsize) j * batch + b];
          s += exp (uj - m);
          tu += target[(gsize) j * batch + b] * uj;
        }
      sum += m + log (s) - tu;
    }
  return sum;
}

/* Binary cross-entropy with logits: max(u,0) − u·t + log(1 + e^−|u|). */
static double
sigmoid_cross_entropy (const double *u, const double *target, guint batch)
{
  double sum = 0.0;

  for (guint b = 0; b < batch; b++)
    sum += MAX (u[b], 0.0) - u[b] * target[b] + log1p (exp (-fabs (u[b])));
  return sum;
}

double
nn_loss_evaluate (NnLoss loss, NnActivation output, double alpha, const double *u,
                  const double *z, const double *target, guint k, guint batch,
                  double denominator, double *du)
{
  double sum;

  if (loss == NN_LOSS_MSE)
    return mse (output, alpha, u, z, target, k, batch, denominator, du);

  g_return_val_if_fail (output == NN_ACTIVATION_SOFTMAX || output == NN_ACTIVATION_SIGMOID, NAN);
  if (output == NN_ACTIVATION_SOFTMAX)
    sum = softmax_cross_entropy (u, target, k, batch);
  else
    sum = sigmoid_cross_entropy (u, target, batch);

  /* Both fused forms have the same gradient with respect to the logits. */
  if (du != NULL)
    {
      gsize n = (gsize) k * batch;
      for (gsize i = 0; i < n; i++)
        du[i] = (z[i] - target[i]) / denominator;
    }
  return sum / denominator;
}
