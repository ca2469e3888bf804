/* nn-explain.h: one back-propagation by hand, for one sample, with the network's real numbers.
 *
 * The Explain view follows the course step by step, in its notation:
 *
 *   forward   u_j = Σ_i w_ji x_i + b_j (linear map), z_j = F(u_j) (non-linearity), up to
 *             the output y_p; the target y_t as the trainer encodes it; the loss L of this
 *             one sample (MSE: mean over the outputs of (y_p − y_t)²; cross-entropy).
 *   backward  δ_j = ∂L/∂u_j for every unit, top down: at the output from the loss, below
 *             it δ_j = (Σ_k w_kj δ_k) · F′(u_j); then ∂L/∂w_ji = δ_j · x_i, ∂L/∂b_j = δ_j.
 *             For a chosen parameter, the chain of factors the course writes,
 *             ∂L/∂y_p · ∂y_p/∂u · ∂u/∂z · ∂z/∂u · … · ∂u/∂w, when there is one path from it
 *             to the loss; else δ_j and x_i, with δ_j's sum spelled out term by term.
 *   update    the parameter's next value under the current optimizer and its state, as if
 *             this one sample were the whole batch.
 *
 * Every number is computed here from the formulas above, independently of the engine's
 * batch code, and tests/test-explain.c checks them against nn_network_forward,
 * nn_loss_evaluate, nn_network_backward and nn_optimizer_step on a batch of this sample.
 *
 * An NnExplain copies what it needs (parameters, optimizer state), so it stays valid when
 * the network trains on. It is cheap to build (one allocation, one forward and backward
 * pass of one sample): rebuild it whenever the sample, the weights or the selection change.
 *
 * Strings: the core returns numbers, structure and formulas, never words to translate.
 * The formulas (symbols, partial derivatives, the numbers of a sum or a step) are written
 * here once, in one of two notations: plain Unicode, which nn_explain_format_text() uses
 * for the command line and the tests, and Pango markup, which src/render lays out into the
 * figure with its translated words around them.
 */
#pragma once

#include <glib.h>
#include "nn-dataset.h"
#include "nn-network.h"
#include "nn-optimizer.h"
#include "nn-project.h"
#include "nn-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  NN_PARAM_WEIGHT,
  NN_PARAM_BIAS,
} NnParamKind;

/* A parameter by position: layer 0 is the first hidden layer (the output layer when there
 * is none). A weight w_ji scales input i of unit j (`out` = j, `in` = i); a bias b_j feeds
 * unit j (`in` is ignored). */
typedef struct
{
  NnParamKind kind;
  guint       layer;
  guint       out;
  guint       in;
} NnParamRef;

#define NN_PARAM_REF_WEIGHT(l, j, i) ((NnParamRef) { NN_PARAM_WEIGHT, (l), (j), (i) })
#define NN_PARAM_REF_BIAS(l, j)      ((NnParamRef) { NN_PARAM_BIAS, (l), (j), 0 })

/* One layer of the forward table. The arrays belong to the NnExplain. */
typedef struct
{
  guint         n_in;
  guint         n_out;
  NnActivation  activation;
  double        alpha;       /* Leaky ReLU slope */
  gboolean      is_output;
  const double *x;           /* n_in: the features (layer 0) or the z of the layer below */
  const double *w;           /* (n_out, n_in): w[j·n_in + i] = w_ji */
  const double *b;           /* n_out */
  const double *u;           /* n_out: u_j = Σ_i w_ji x_i + b_j */
  const double *z;           /* n_out: z_j = F(u_j); in the output layer z is y_p */
  const double *derivative;  /* n_out: F′(u_j); softmax: the Jacobian's diagonal y_j(1 − y_j) */
  const double *delta;       /* n_out: δ_j = ∂L/∂u_j */
} NnExplainLayer;

typedef struct
{
  NnPoint       sample;
  NnProblem     problem;
  NnLoss        loss;
  NnActivation  activation;  /* the output layer's */
  guint         n_outputs;   /* K */
  const double *y_p;         /* K: the prediction (softmax: the class probabilities) */
  const double *y_t;         /* K: the target as the trainer encodes it */
  /* K: ∂L/∂y_p. MSE: 2(y_p − y_t)/K. Cross-entropy: −y_t/y_p (softmax), (y_p − y_t)/
   * (y_p(1 − y_p)) (sigmoid); these may be infinite when y_p saturates, which is why the
   * engine never uses them: see `fused`. */
  const double *dl_dy;
  double        value;       /* L of this sample (the engine's batch loss for a batch of one) */
  /* Cross-entropy with softmax or sigmoid: the output's δ is y_p − y_t directly (the
   * engine's numerically stable fused form), not ∂L/∂y_p · ∂y_p/∂u. */
  gboolean      fused;
} NnExplainOutput;

/* How δ_j = ∂L/∂u_j of one unit comes about. */
typedef enum
{
  NN_EXPLAIN_DELTA_CHAIN,       /* output, MSE: δ_j = ∂L/∂y_pj · F′(u_j) */
  NN_EXPLAIN_DELTA_FUSED,       /* output, cross-entropy: δ_j = y_pj − y_tj */
  NN_EXPLAIN_DELTA_SOFTMAX_SUM, /* output, softmax with MSE: δ_j = Σ_k ∂L/∂y_pk · ∂y_pk/∂u_j */
  NN_EXPLAIN_DELTA_BACKPROP,    /* hidden: δ_j = (Σ_k w_kj δ_k) · F′(u_j) */
} NnExplainDeltaForm;

/* One term of a δ's sum. BACKPROP: a = w_kj (of the layer above), b = δ_k (of the layer
 * above). SOFTMAX_SUM: a = ∂L/∂y_pk, b = ∂y_pk/∂u_j = y_pk([k = j] − y_pj). */
typedef struct
{
  guint  k;
  double a;
  double b;
  double product;            /* a · b */
} NnExplainTerm;

typedef struct
{
  guint              layer;
  guint              unit;
  NnExplainDeltaForm form;
  NnActivation       activation; /* of this unit's layer */
  double             alpha;
  /* CHAIN: ∂L/∂y_pj. BACKPROP: Σ_k w_kj δ_k (= ∂L/∂z_j). FUSED, SOFTMAX_SUM: δ_j. */
  double             upstream;
  double             derivative; /* CHAIN, BACKPROP: F′(u_j) = ∂z_j/∂u_j; else 1 */
  guint              n_terms;    /* BACKPROP, SOFTMAX_SUM */
  NnExplainTerm      terms[NN_MAX_UNITS];
  double             delta;      /* δ_j = upstream · derivative (= Σ terms for SOFTMAX_SUM) */
} NnDeltaExplanation;

/* One factor of a gradient's product. */
typedef enum
{
  NN_EXPLAIN_FACTOR_DL_DY,  /* ∂L/∂y_p (MSE) at output unit `unit` */
  NN_EXPLAIN_FACTOR_DL_DU,  /* ∂L/∂u = y_p − y_t of output unit `unit` (fused cross-entropy) */
  NN_EXPLAIN_FACTOR_DY_DU,  /* ∂y_p/∂u = F′(u) of output unit `unit` */
  NN_EXPLAIN_FACTOR_WEIGHT, /* ∂u_k/∂z_j = w_kj on the path: `unit` = k, `input` = j */
  NN_EXPLAIN_FACTOR_DZ_DU,  /* ∂z_j/∂u_j = F′(u_j) of hidden unit `unit` (ReLU: Θ(u)) */
  NN_EXPLAIN_FACTOR_DELTA,  /* δ_j = ∂L/∂u_j, when several paths lead to the loss */
  NN_EXPLAIN_FACTOR_INPUT,  /* ∂u_j/∂w_ji = x_i: `unit` = j, `input` = i */
} NnExplainFactorKind;

typedef struct
{
  NnExplainFactorKind kind;
  double              value;
  guint               layer;      /* the layer of the u or z the factor differentiates */
  guint               unit;
  guint               input;      /* WEIGHT, INPUT; else 0 */
  NnActivation        activation; /* DY_DU, DZ_DU: the activation whose derivative it is */
  double              alpha;
} NnExplainFactor;

/* ∂L/∂y · ∂y/∂u, then a weight and a derivative per layer above the parameter, then x_i. */
#define NN_EXPLAIN_MAX_FACTORS (2 * NN_MAX_LAYERS + 1)

typedef struct
{
  NnParamRef         ref;
  gsize              index;         /* in the flat parameter array */
  double             value;         /* the parameter now */
  double             input;         /* x_i = ∂u_j/∂w_ji; 1 for a bias */
  NnDeltaExplanation delta;         /* δ_j of the unit the parameter feeds */
  double             data_gradient; /* ∂L/∂w_ji = δ_j · x_i; ∂L/∂b_j = δ_j */
  NnRegularization   regularization;
  double             regularization_rate;     /* λ */
  double             regularization_gradient; /* L2 λw, L1 λ·sign(w); 0 for biases or none */
  double             gradient;      /* data_gradient + regularization_gradient: what the
                                     * optimizer is given */
  /* TRUE when one path leads from the parameter to the loss (every layer above has one
   * unit, and the loss does not mix the outputs): then `factors` is the course's chain,
   * ∂L/∂y_p · ∂y_p/∂u · (∂u/∂z · ∂z/∂u)… · ∂u/∂w. Otherwise the factors are δ_j and x_i,
   * and `delta` spells out δ_j's sum. Either way their product is data_gradient (to
   * rounding). A bias has no x_i factor (∂u_j/∂b_j = 1). */
  gboolean           single_path;
  guint              n_factors;
  NnExplainFactor    factors[NN_EXPLAIN_MAX_FACTORS];
} NnGradientExplanation;

/* The next value of one parameter. The state is named as the course names it:
 *   Momentum  v ← μv + g;                        w ← w − ηv
 *   RMSProp   h ← αh + (1 − α)g²;                w ← w − ηg/(√h + ε)
 *   Adam      v ← β1 v + (1 − β1) g;  h ← β2 h + (1 − β2) g²;
 *             v̂ = v/(1 − β1^(t+1)),  ĥ = h/(1 − β2^(t+1));  w ← w − η v̂/(√ĥ + ε)
 * (the engine's NnOptimizer calls Momentum's and Adam's v `m`, and RMSProp's and Adam's h
 * `v`). Unused fields are 0. */
typedef struct
{
  NnOptimizerConfig cfg;         /* kind, η, μ, α, β1, β2, ε */
  guint             batch_size;  /* always 1: this sample's gradient stands for the batch */
  guint64           t;           /* steps the optimizer has taken; this would be step t + 1 */
  double            value;       /* w */
  double            gradient;    /* g, with the regulariser's part */
  double            v, v_new, v_hat;
  double            h, h_new, h_hat;
  double            correction1; /* Adam: 1 − β1^(t+1) */
  double            correction2; /* Adam: 1 − β2^(t+1) */
  double            denominator; /* RMSProp: √h + ε; Adam: √ĥ + ε; else 1 */
  double            direction;   /* what η multiplies: g, v, g/(√h + ε) or v̂/(√ĥ + ε) */
  double            step;        /* value − new_value */
  double            new_value;
} NnUpdateExplanation;

typedef struct _NnExplain NnExplain;

/* Explains `sample` (a point of the plane and its label or target) for the network `net`
 * (only its architecture, layers and params are read: a snapshot's read-only network
 * will do) trained as `project` says (features, problem, loss, regulariser). `opt` gives
 * the optimizer and its state; NULL means the project's optimizer, freshly reset. Fails
 * with NN_ERROR_SHAPE when the parts do not fit together, NN_ERROR_UNSUPPORTED when the
 * loss does not go with the output activation, and NN_ERROR_INVALID for a sample that is
 * not finite or names a class the network does not have. */
NnExplain  *nn_explain_new                (const NnProject *project, const NnNetwork *net,
                                           const NnOptimizer *opt, const NnPoint *sample,
                                           GError **error);
/* The same with the trainer's project, network and optimizer. */
NnExplain  *nn_explain_new_for_trainer    (NnTrainer *trainer, const NnPoint *sample,
                                           GError **error);
void        nn_explain_free               (NnExplain *ex);

guint       nn_explain_get_n_layers       (const NnExplain *ex);
const NnExplainLayer  *nn_explain_get_layer  (const NnExplain *ex, guint layer);
const NnExplainOutput *nn_explain_get_output (const NnExplain *ex);
/* The network's inputs: feature i (nn_feature_to_string names it) has the value
 * nn_explain_get_layer (ex, 0)->x[i]. */
guint       nn_explain_get_n_inputs       (const NnExplain *ex);
NnFeature   nn_explain_get_feature        (const NnExplain *ex, guint i);

/* Between a reference and the flat parameter index; FALSE when out of range. */
gsize       nn_explain_get_n_params       (const NnExplain *ex);
gboolean    nn_explain_param_index        (const NnExplain *ex, NnParamRef ref, gsize *index);
gboolean    nn_explain_param_ref          (const NnExplain *ex, gsize index, NnParamRef *ref);

/* Each returns FALSE, leaving `out` untouched, when the unit or parameter does not exist
 * (a selection can outlive a change of shape). */
gboolean    nn_explain_delta              (const NnExplain *ex, guint layer, guint unit,
                                           NnDeltaExplanation *out);
gboolean    nn_explain_gradient           (const NnExplain *ex, NnParamRef ref,
                                           NnGradientExplanation *out);
gboolean    nn_explain_update             (const NnExplain *ex, NnParamRef ref,
                                           NnUpdateExplanation *out);

/* The whole walkthrough as English plain text in the course's notation (u₁₁ = w₁₁x₁ + …),
 * with the gradient and update of `ref` when it is not NULL. Free with g_free. */
char       *nn_explain_format_text        (const NnExplain *ex, const NnParamRef *ref);

/* ---- Formulas ---- */

/* Plain: u₁₂, y_p₂, (−0.3)², 1.2e−05. Markup (Pango): <i>u</i><sub>12</sub>, …, ×10<sup>−5</sup>. */
typedef enum
{
  NN_EXPLAIN_PLAIN,
  NN_EXPLAIN_MARKUP,
} NnExplainNotation;

/* Four significant digits whatever the locale, a true minus sign, no −0, NaN, ±∞. */
void        nn_explain_format_number      (char *buf, gsize size, double value);
/* Each appends to `s`; indices are 0-based and written 1-based, as the course does. */
void        nn_explain_append_number      (GString *s, NnExplainNotation n, double value);
/* In a product or a sum: (−0.3). Squared: (−0.3)², (1.2e−05)². */
void        nn_explain_append_operand     (GString *s, NnExplainNotation n, double value);
void        nn_explain_append_squared     (GString *s, NnExplainNotation n, double value);
/* name with two indices (u₁₂; u₁,₁₂ once one has two digits), or one (x₁, b₂). */
void        nn_explain_append_symbol      (GString *s, NnExplainNotation n, const char *name,
                                           guint a, guint b);
void        nn_explain_append_symbol1     (GString *s, NnExplainNotation n, const char *name,
                                           guint a);
/* y_p or y_t (`which` "p" or "t"), indexed by output k when there are several. */
void        nn_explain_append_output      (GString *s, NnExplainNotation n, const NnExplain *ex,
                                           const char *which, guint k);
/* z of unit j of layer l (the output layer's is y_p); input i of layer l (x_i or a z). */
void        nn_explain_append_z           (GString *s, NnExplainNotation n, const NnExplain *ex,
                                           guint l, guint j);
void        nn_explain_append_input       (GString *s, NnExplainNotation n, const NnExplain *ex,
                                           guint l, guint i);
void        nn_explain_append_param       (GString *s, NnExplainNotation n, NnParamRef ref);
/* The function as applied in a formula: "tanh", "σ", "ReLU"; "" for the identity. */
const char *nn_explain_function_symbol    (NnActivation a);
/* F′(u_lj) by name: Θ(u₁₁) for ReLU (the course's step), tanh′(u₁₁), 1 for the identity. */
void        nn_explain_append_derivative  (GString *s, NnExplainNotation n, NnActivation a,
                                           guint l, guint j);
/* A chain-rule factor as a partial derivative (∂u₂₁/∂z₁₁), and in symbols (w₂₁, Θ(u₁₁),
 * x₁, δ₁₁, 2(y_p − y_t), y_p − y_t: a difference the caller brackets inside a product). */
void        nn_explain_append_partial     (GString *s, NnExplainNotation n, const NnExplain *ex,
                                           const NnExplainFactor *f, NnParamRef ref);
void        nn_explain_append_factor_symbol (GString *s, NnExplainNotation n,
                                             const NnExplain *ex, const NnExplainFactor *f);
/* The numbers of u_j: w·x + … + b, "0.5·1.2 + (−0.3)·0.4 + 0.1". */
void        nn_explain_append_linear_values (GString *s, NnExplainNotation n,
                                             const NnExplain *ex, guint l, guint j);
/* The numbers of the MSE's sum: (y_p₁ − y_t₁)² + … */
void        nn_explain_append_mse_terms   (GString *s, NnExplainNotation n, const NnExplain *ex);
/* A δ's sum term by term: in symbols (w₁₁δ₂₁ + …) or in numbers (0.3·0.1 + …). */
void        nn_explain_append_delta_terms (GString *s, NnExplainNotation n,
                                           const NnDeltaExplanation *d, gboolean values);
/* A hidden δ: (w₁₁δ₂₁ + …) · F′(u₁₁), `equals`, then the same in numbers. */
void        nn_explain_append_backprop    (GString *s, NnExplainNotation n,
                                           const NnDeltaExplanation *d, const char *equals);
/* The numbers of an optimizer's rules: a running average a·old + b·g (or g²), a bias
 * correction value/(1 − β^(t+1)), and the step w − η·operand (/(√root + ε) unless root is
 * NAN). */
void        nn_explain_append_average     (GString *s, NnExplainNotation n, double a,
                                           double old, double b, double g, gboolean squared);
void        nn_explain_append_correction  (GString *s, NnExplainNotation n, double value,
                                           double beta, guint64 t);
void        nn_explain_append_step        (GString *s, NnExplainNotation n,
                                           const NnUpdateExplanation *u, double operand,
                                           double root);

/* F(u) and F′ in the course's notation: "tanh(u)", "max(0, u)"…; "1 − z²", "Θ(u)"… */
const char *nn_explain_activation_formula (NnActivation activation);
const char *nn_explain_derivative_formula (NnActivation activation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnExplain, nn_explain_free)

G_END_DECLS
