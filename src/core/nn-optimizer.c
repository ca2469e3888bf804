/* nn-optimizer.c: one loop over the flat parameter array per update. */
#include "nn-optimizer.h"
#include "nn-error.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

void
nn_optimizer_config_init_defaults (NnOptimizerConfig *cfg, NnOptimizerKind kind)
{
  /* PyTorch's defaults, so a project without them replays the same in torch.optim. */
  cfg->kind = kind;
  cfg->learning_rate = kind == NN_OPTIMIZER_ADAM || kind == NN_OPTIMIZER_RMSPROP ? 0.01 : 0.03;
  cfg->momentum = 0.9;
  cfg->alpha = 0.99;
  cfg->beta1 = 0.9;
  cfg->beta2 = 0.999;
  cfg->epsilon = 1e-8;
}

static gboolean
check_range (double value, double lo, double hi, gboolean hi_open, const char *field,
             GError **error)
{
  gboolean ok = value >= lo && (hi_open ? value < hi : value <= hi);
  if (!ok)
    g_set_error (error, NN_ERROR, NN_ERROR_INVALID, _("optimizer.%s: %g is out of range (%g–%g%s)"),
                 field, value, lo, hi, hi_open ? _(", exclusive") : "");
  return ok;
}

gboolean
nn_optimizer_config_validate (const NnOptimizerConfig *cfg, GError **error)
{
  if (cfg->kind >= NN_N_OPTIMIZERS)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID, _("optimizer.name: unknown optimizer"));
      return FALSE;
    }
  if (!(cfg->learning_rate > 0.0))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("optimizer.learning_rate: %g must be a positive number"), cfg->learning_rate);
      return FALSE;
    }
  return check_range (cfg->learning_rate, 0.0, 10.0, FALSE, "learning_rate", error)
         && check_range (cfg->momentum, 0.0, 1.0, TRUE, "momentum", error)
         && check_range (cfg->alpha, 0.0, 1.0, TRUE, "alpha", error)
         && check_range (cfg->beta1, 0.0, 1.0, TRUE, "beta1", error)
         && check_range (cfg->beta2, 0.0, 1.0, TRUE, "beta2", error)
         && check_range (cfg->epsilon, 0.0, 1.0, FALSE, "epsilon", error);
}

NnOptimizer *
nn_optimizer_new (const NnOptimizerConfig *cfg, gsize n_params)
{
  NnOptimizer *opt = g_new0 (NnOptimizer, 1);

  opt->cfg = *cfg;
  opt->n = n_params;
  opt->m = g_new0 (double, MAX (n_params, 1));
  opt->v = g_new0 (double, MAX (n_params, 1));
  return opt;
}

void
nn_optimizer_free (NnOptimizer *opt)
{
  if (opt == NULL)
    return;
  g_free (opt->m);
  g_free (opt->v);
  g_free (opt);
}

NnOptimizer *
nn_optimizer_copy (const NnOptimizer *src)
{
  NnOptimizer *opt = nn_optimizer_new (&src->cfg, src->n);

  memcpy (opt->m, src->m, src->n * sizeof (double));
  memcpy (opt->v, src->v, src->n * sizeof (double));
  opt->t = src->t;
  return opt;
}

void
nn_optimizer_reset (NnOptimizer *opt)
{
  memset (opt->m, 0, opt->n * sizeof (double));
  memset (opt->v, 0, opt->n * sizeof (double));
  opt->t = 0;
}

void
nn_optimizer_configure (NnOptimizer *opt, const NnOptimizerConfig *cfg)
{
  gboolean same_kind = opt->cfg.kind == cfg->kind;

  opt->cfg = *cfg;
  if (!same_kind)
    nn_optimizer_reset (opt);
}

static void
step_plain (double *restrict w, const double *restrict g, gsize n, double lr)
{
  for (gsize i = 0; i < n; i++)
    w[i] -= lr * g[i];
}

static void
step_momentum (double *restrict w, const double *restrict g, double *restrict v, gsize n,
               double lr, double mu)
{
  for (gsize i = 0; i < n; i++)
    {
      v[i] = mu * v[i] + g[i];
      w[i] -= lr * v[i];
    }
}

static void
step_rmsprop (double *restrict w, const double *restrict g, double *restrict h, gsize n,
              double lr, double alpha, double eps)
{
  for (gsize i = 0; i < n; i++)
    {
      h[i] = alpha * h[i] + (1.0 - alpha) * g[i] * g[i];
      w[i] -= lr * g[i] / (sqrt (h[i]) + eps);
    }
}

static void
step_adam (double *restrict w, const double *restrict g, double *restrict m, double *restrict v,
           gsize n, const NnOptimizerConfig *cfg, guint64 t)
{
  double b1 = cfg->beta1, b2 = cfg->beta2;
  double correction1 = 1.0 - pow (b1, (double) t);
  double correction2 = 1.0 - pow (b2, (double) t);

  for (gsize i = 0; i < n; i++)
    {
      m[i] = b1 * m[i] + (1.0 - b1) * g[i];
      v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
      double m_hat = m[i] / correction1;
      double v_hat = v[i] / correction2;
      w[i] -= cfg->learning_rate * m_hat / (sqrt (v_hat) + cfg->epsilon);
    }
}

void
nn_optimizer_step (NnOptimizer *opt, double *params, const double *grads)
{
  const NnOptimizerConfig *cfg = &opt->cfg;

  opt->t++;
  switch (cfg->kind)
    {
    case NN_OPTIMIZER_MOMENTUM:
      step_momentum (params, grads, opt->m, opt->n, cfg->learning_rate, cfg->momentum);
      break;
    case NN_OPTIMIZER_RMSPROP:
      step_rmsprop (params, grads, opt->v, opt->n, cfg->learning_rate, cfg->alpha, cfg->epsilon);
      break;
    case NN_OPTIMIZER_ADAM:
      step_adam (params, grads, opt->m, opt->v, opt->n, cfg, opt->t);
      break;
    case NN_OPTIMIZER_GD:
    case NN_OPTIMIZER_SGD:
    case NN_N_OPTIMIZERS:
    default:
      step_plain (params, grads, opt->n, cfg->learning_rate);
      break;
    }
}
