/* nn-activation.c: activation functions over contiguous arrays.
 *
 * libm's exp and tanh are scalar calls that the compiler cannot vectorise, and deep tanh
 * networks spend most of their time in them. So the engine has its own exp kernel
 * (Cody–Waite range reduction, a degree-13 polynomial, the exponent put back with integer
 * bit arithmetic) written so gcc vectorises the array loops. It is within a couple of ulp
 * of libm; tanh is built on its expm1 form so that it stays accurate near zero.
 */
#include "nn-activation.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define LOG2E       1.4426950408889634074
#define LN2_HI      6.93147180369123816490e-01 /* ln 2 with its low bits cleared */
#define LN2_LO      1.90821492927058770002e-10
#define ROUND_MAGIC 6755399441055744.0 /* 1.5·2^52: adding it rounds to an integer */
#define EXP_MIN     (-708.0)
#define EXP_MAX     709.0

/* exp(r) − 1 for |r| ≤ ln2/2, by Taylor series to degree 13 (error below 1e-17). */
static inline double
expm1_reduced (double r)
{
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  return p * r;
}

/* Splits x into k·ln2 + r and returns 2^k as a double, r through *r_out. x must already
 * be clamped to [EXP_MIN, EXP_MAX] so that 2^k is a normal number. */
static inline double
reduce (double x, double *r_out)
{
  double kd = x * LOG2E + ROUND_MAGIC;
  int64_t kbits;
  memcpy (&kbits, &kd, sizeof kbits);
  kd -= ROUND_MAGIC;
  *r_out = (x - kd * LN2_HI) - kd * LN2_LO;

  uint64_t magic_bits;
  double magic = ROUND_MAGIC;
  memcpy (&magic_bits, &magic, sizeof magic_bits);
  /* Unsigned, so a NaN x (whose bits make k meaningless; the result is NaN anyway) cannot
   * overflow the shift: a signed one would be undefined behaviour. */
  uint64_t k = (uint64_t) kbits - magic_bits;
  uint64_t scale_bits = (k + 1023) << 52;
  double scale;
  memcpy (&scale, &scale_bits, sizeof scale);
  return scale;
}

static inline double
clamp_exp_arg (double x)
{
  /* Written so NaN passes through both comparisons unchanged. */
  x = x < EXP_MIN ? EXP_MIN : x;
  x = x > EXP_MAX ? EXP_MAX : x;
  return x;
}

static inline double
exp_inline (double x)
{
  double r;
  double scale = reduce (clamp_exp_arg (x), &r);
  return scale * (expm1_reduced (r) + 1.0);
}

static inline double
expm1_inline (double x)
{
  double r;
  double scale = reduce (clamp_exp_arg (x), &r);
  /* 2^k·(p+1) − 1 = 2^k·p + (2^k − 1): exact when k = 0, so small x keeps its digits. */
  return scale * expm1_reduced (r) + (scale - 1.0);
}

static inline double
tanh_inline (double x)
{
  double e = expm1_inline (2.0 * x);
  return e / (e + 2.0);
}

static inline double
sigmoid_inline (double x)
{
  return 1.0 / (1.0 + exp_inline (-x));
}

double
nn_exp (double x)
{
  if (x > EXP_MAX)
    return INFINITY;
  if (x < -745.2)
    return 0.0;
  return exp_inline (x);
}

double
nn_tanh (double x)
{
  return tanh_inline (x);
}

double
nn_sigmoid (double x)
{
  return sigmoid_inline (x);
}

void
nn_activation_apply (NnActivation a, double alpha, const double *restrict u, double *restrict z,
                     gsize n)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:
      if (z != u)
        memcpy (z, u, n * sizeof *z);
      break;
    case NN_ACTIVATION_RELU:
      for (gsize i = 0; i < n; i++)
        z[i] = u[i] > 0.0 ? u[i] : 0.0;
      break;
    case NN_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        z[i] = u[i] > 0.0 ? u[i] : alpha * u[i];
      break;
    case NN_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        z[i] = sigmoid_inline (u[i]);
      break;
    case NN_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        z[i] = tanh_inline (u[i]);
      break;
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

void
nn_activation_derive (NnActivation a, double alpha, const double *restrict u,
                      const double *restrict z, const double *dz, double *du, gsize n)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:
      memcpy (du, dz, n * sizeof *du);
      break;
    case NN_ACTIVATION_RELU:
      /* PyTorch's convention: the derivative at exactly 0 is 0. */
      for (gsize i = 0; i < n; i++)
        du[i] = u[i] > 0.0 ? dz[i] : 0.0;
      break;
    case NN_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        du[i] = u[i] > 0.0 ? dz[i] : alpha * dz[i];
      break;
    case NN_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        du[i] = dz[i] * z[i] * (1.0 - z[i]);
      break;
    case NN_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        du[i] = dz[i] * (1.0 - z[i] * z[i]);
      break;
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Softmax works on a chunk of samples at a time so the per-sample maximum and sum stay
 * in small stack arrays while every loop still runs along the contiguous batch axis. */
#define SOFTMAX_CHUNK 64

void
nn_softmax_apply (const double *u, double *z, guint k, guint batch)
{
  double m[SOFTMAX_CHUNK], s[SOFTMAX_CHUNK];

  for (guint b0 = 0; b0 < batch; b0 += SOFTMAX_CHUNK)
    {
      guint n = MIN (SOFTMAX_CHUNK, batch - b0);
      for (guint b = 0; b < n; b++)
        {
          m[b] = u[b0 + b];
          s[b] = 0.0;
        }
      for (guint j = 1; j < k; j++)
        for (guint b = 0; b < n; b++)
          m[b] = MAX (m[b], u[(gsize) j * batch + b0 + b]);
      for (guint j = 0; j < k; j++)
        {
          const double *uj = u + (gsize) j * batch + b0;
          double *zj = z + (gsize) j * batch + b0;
          for (guint b = 0; b < n; b++)
            {
              zj[b] = exp_inline (uj[b] - m[b]);
              s[b] += zj[b];
            }
        }
      for (guint j = 0; j < k; j++)
        {
          double *zj = z + (gsize) j * batch + b0;
          for (guint b = 0; b < n; b++)
            zj[b] /= s[b];
        }
    }
}

void
nn_softmax_derive (const double *z, const double *dz, double *du, guint k, guint batch)
{
  double dot[SOFTMAX_CHUNK];

  for (guint b0 = 0; b0 < batch; b0 += SOFTMAX_CHUNK)
    {
      guint n = MIN (SOFTMAX_CHUNK, batch - b0);
      for (guint b = 0; b < n; b++)
        dot[b] = 0.0;
      for (guint j = 0; j < k; j++)
        for (guint b = 0; b < n; b++)
          dot[b] += dz[(gsize) j * batch + b0 + b] * z[(gsize) j * batch + b0 + b];
      for (guint j = 0; j < k; j++)
        for (guint b = 0; b < n; b++)
          {
            gsize i = (gsize) j * batch + b0 + b;
            du[i] = z[i] * (dz[i] - dot[b]);
          }
    }
}

double
nn_activation_value (NnActivation a, double alpha, double u)
{
  double z;
  if (a == NN_ACTIVATION_SOFTMAX)
    return 1.0; /* a softmax of one unit */
  nn_activation_apply (a, alpha, &u, &z, 1);
  return z;
}

double
nn_activation_derivative (NnActivation a, double alpha, double u)
{
  double z, dz = 1.0, du;
  if (a == NN_ACTIVATION_SOFTMAX)
    return 0.0;
  nn_activation_apply (a, alpha, &u, &z, 1);
  nn_activation_derive (a, alpha, &u, &z, &dz, &du, 1);
  return du;
}
