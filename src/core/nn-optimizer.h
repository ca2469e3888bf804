/* nn-optimizer.h: parameter updates, one loop over the flat arrays (PyTorch's rules).
 *
 *   GD, SGD   w -= η g
 *   Momentum  v = μv + g;            w -= η v
 *   RMSProp   h = αh + (1−α)g²;      w -= η g / (√h + ε)
 *   Adam      m = β1 m + (1−β1) g;  v = β2 v + (1−β2) g²;
 *             w -= η m̂ / (√v̂ + ε),  m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
 */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

typedef struct
{
  NnOptimizerKind kind;
  double          learning_rate;
  double          momentum; /* μ, Momentum */
  double          alpha;    /* α, RMSProp smoothing */
  double          beta1;
  double          beta2;
  double          epsilon;
} NnOptimizerConfig;

void     nn_optimizer_config_init_defaults (NnOptimizerConfig *cfg, NnOptimizerKind kind);
gboolean nn_optimizer_config_validate      (const NnOptimizerConfig *cfg, GError **error);

typedef struct
{
  NnOptimizerConfig cfg;
  gsize             n;
  double           *m;   /* velocity (Momentum) or first moment (Adam) */
  double           *v;   /* mean square (RMSProp) or second moment (Adam) */
  guint64           t;   /* steps taken */
} NnOptimizer;

NnOptimizer *nn_optimizer_new        (const NnOptimizerConfig *cfg, gsize n_params);
void         nn_optimizer_free       (NnOptimizer *opt);
NnOptimizer *nn_optimizer_copy       (const NnOptimizer *opt);
void         nn_optimizer_reset      (NnOptimizer *opt);
/* Changes hyper-parameters; keeps the state when the kind is the same, else resets it. */
void         nn_optimizer_configure  (NnOptimizer *opt, const NnOptimizerConfig *cfg);
void         nn_optimizer_step       (NnOptimizer *opt, double *params, const double *grads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnOptimizer, nn_optimizer_free)

G_END_DECLS
