/* nl-render-explain.c: the back-propagation walkthrough, written with the network's numbers.
 *
 * The walkthrough is built as blocks of rows (markup strings), measured with Pango for a
 * column width, then drawn. A block is never split between columns; the rows of a "card"
 * block (a gradient, an update) sit on a tinted rounded rectangle. Symbols follow the
 * course: u₁₂ is unit 2 of layer 1, w₁₂ the weight from input 2 to unit 1 of the layer
 * shown, x the network's inputs, y_p and y_t the prediction and the target, L the loss.
 */
#include "nl-render-explain.h"
#include "nl-render-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sizes, as factors of the style's base font size. */
#define SIZE_TITLE    1.45
#define SIZE_HEADING  1.2
#define SIZE_SUB      1.0
#define SIZE_MATH     1.12
#define SIZE_NOTE     0.92

#define CARD_PAD      10.0
#define INDENT        14.0

typedef enum
{
  ROW_TITLE,
  ROW_HEADING,     /* "1  Forward propagation": `number` in a disc */
  ROW_SUBHEADING,
  ROW_MATH,
  ROW_RESULT,      /* a math row in bold: the answer of a card */
  ROW_NOTE,
  ROW_FACTOR,      /* `lhs` right-aligned in the block's factor column, then `text` */
} RowKind;

typedef struct
{
  RowKind kind;
  char   *text;
  char   *lhs;
  guint   number;
  /* Measured for a width. */
  double  height;
} Row;

typedef struct
{
  GPtrArray *rows;
  gboolean   card;
  double     lhs_width;  /* widest factor lhs */
  double     height;
} Block;

typedef struct
{
  GPtrArray           *blocks;
  const NlRenderStyle *style;
  char                 accent[16];     /* the selected parameter, as #rrggbb */
} Doc;

/* ---- Numbers and symbols ------------------------------------------------------------- */

/* The formulas are the core's (nn-explain.h), in its markup notation: this file adds the
 * words, the highlighting and the layout. */
#define MARKUP NN_EXPLAIN_MARKUP

void
nl_render_explain_format_number (char *buf, gsize size, double value)
{
  nn_explain_format_number (buf, size, value);
}

static guint
n_outputs (const NnExplain *ex)
{
  return nn_explain_get_output (ex)->n_outputs;
}

static const char *
activation_name (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:
      return _("identity");
    case NN_ACTIVATION_RELU:
      return "ReLU";
    case NN_ACTIVATION_LEAKY_RELU:
      return "Leaky ReLU";
    case NN_ACTIVATION_SIGMOID:
      return _("sigmoid");
    case NN_ACTIVATION_TANH:
      return "tanh";
    case NN_ACTIVATION_SOFTMAX:
      return _("softmax");
    case NN_N_ACTIVATIONS:
    default:
      return "?";
    }
}

/* F′ written out in the unit's own values: 1 − z₁₁², z₁₁(1 − z₁₁), Θ(u₁₁). Empty when the
 * symbol already says it all (identity, ReLU). */
static void
append_derivative_formula (GString *s, const NnExplain *ex, NnActivation a, guint l, guint j)
{
  switch (a)
    {
    case NN_ACTIVATION_TANH:
      g_string_append (s, "1 − ");
      nn_explain_append_z (s, MARKUP, ex, l, j);
      g_string_append (s, "<sup>2</sup>");
      break;
    case NN_ACTIVATION_SIGMOID:
      nn_explain_append_z (s, MARKUP, ex, l, j);
      g_string_append (s, "(1 − ");
      nn_explain_append_z (s, MARKUP, ex, l, j);
      g_string_append (s, ")");
      break;
    case NN_ACTIVATION_LEAKY_RELU:
      g_string_append (s, "Θ(");
      nn_explain_append_symbol (s, MARKUP, "u", l, j);
      g_string_append (s, ") + α(1 − Θ(");
      nn_explain_append_symbol (s, MARKUP, "u", l, j);
      g_string_append (s, "))");
      break;
    default:
      break;
    }
}

/* What the derivative is called, in words. */
static char *
derivative_note (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:
      return g_strdup (_("the identity’s derivative is 1"));
    case NN_ACTIVATION_RELU:
      return g_strdup (_("ReLU’s derivative is the step Θ(u): 1 for u > 0, else 0"));
    case NN_ACTIVATION_LEAKY_RELU:
      return g_strdup (_("Leaky ReLU’s derivative: 1 for u > 0, else α"));
    case NN_ACTIVATION_SIGMOID:
      return g_strdup (_("derivative of the sigmoid: σ′(u) = σ(u)(1 − σ(u))"));
    case NN_ACTIVATION_TANH:
      return g_strdup (_("derivative of tanh: tanh′(u) = 1 − tanh²(u)"));
    case NN_ACTIVATION_SOFTMAX:
    case NN_N_ACTIVATIONS:
    default:
      return g_strdup ("");
    }
}

/* ---- Building the document ----------------------------------------------------------- */

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->text);
  g_free (row->lhs);
  g_free (row);
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_ptr_array_unref (block->rows);
  g_free (block);
}

static Block *
doc_block (Doc *doc, gboolean card)
{
  Block *block = g_new0 (Block, 1);

  block->rows = g_ptr_array_new_with_free_func (row_free);
  block->card = card;
  g_ptr_array_add (doc->blocks, block);
  return block;
}

/* Adds a row, taking `text` (and `lhs`). */
static Row *
block_add (Block *block, RowKind kind, char *text, char *lhs)
{
  Row *row = g_new0 (Row, 1);

  row->kind = kind;
  row->text = text;
  row->lhs = lhs;
  g_ptr_array_add (block->rows, row);
  return row;
}

static void
block_add_gstring (Block *block, RowKind kind, GString *text)
{
  block_add (block, kind, g_string_free (text, FALSE), NULL);
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text, -1);
}

/* Why the gradient below moves no weight, for a point training does not use. */
static void
add_sample_note (Block *block, const NlExplainScene *scene)
{
  const char *note = NULL;

  if (scene->sample_is_custom)
    note = _("A point of the plane with the target you gave, in neither set: the gradient below is the one it would give, training never uses it.");
  else if (scene->sample_is_test)
    note = _("A test point: the gradient below is the one it would give, but training never uses test points, so it moves no weight.");
  if (note != NULL)
    block_add (block, ROW_NOTE, escape (note), NULL);
}

static void
add_title (Doc *doc, const NlExplainScene *scene)
{
  const NnExplain *ex = scene->explain;
  const NnExplainOutput *o = nn_explain_get_output (ex);
  Block *block = doc_block (doc, FALSE);
  GString *s = g_string_new (NULL);
  g_autofree char *title = escape (_("Back-propagation by hand"));
  g_autofree char *which = NULL;
  guint features = 0;

  block_add (block, ROW_TITLE, g_steal_pointer (&title), NULL);

  if (scene->sample_is_custom)
    which = g_strdup (_("Your own point:"));
  else if (scene->sample_index >= 0)
    which = g_strdup_printf (scene->sample_is_test ? _("Test sample %d:") : _("Training sample %d:"),
                             scene->sample_index);
  else
    which = g_strdup (_("Sample:"));
  g_string_append_printf (s, "%s  (<i>x</i><sub>1</sub>, <i>x</i><sub>2</sub>) = (", which);
  nn_explain_append_number (s, MARKUP, o->sample.x1);
  g_string_append (s, ", ");
  nn_explain_append_number (s, MARKUP, o->sample.x2);
  g_string_append (s, "),  ");
  if (o->problem == NN_PROBLEM_REGRESSION)
    {
      GString *v = g_string_new (NULL);

      nn_explain_append_number (v, MARKUP, o->sample.y);
      g_string_append_printf (s, _("target %s"), v->str);
      g_string_free (v, TRUE);
    }
  else
    g_string_append_printf (s, _("class %u"), (guint) o->sample.y);
  block_add_gstring (block, ROW_SUBHEADING, s);
  add_sample_note (block, scene);

  /* The inputs, when they are more than the point's two coordinates. */
  for (guint i = 0; i < nn_explain_get_n_inputs (ex); i++)
    features |= nn_explain_get_feature (ex, i);
  if (features != (NN_FEATURE_X1 | NN_FEATURE_X2))
    {
      s = g_string_new (NULL);
      g_string_append_printf (s, "%s ", _("Inputs:"));
      for (guint i = 0; i < nn_explain_get_n_inputs (ex); i++)
        {
          const char *f;

          switch (nn_explain_get_feature (ex, i))
            {
            case NN_FEATURE_X1:     f = "<i>x</i><sub>1</sub>"; break;
            case NN_FEATURE_X2:     f = "<i>x</i><sub>2</sub>"; break;
            case NN_FEATURE_X1_SQ:  f = "<i>x</i><sub>1</sub><sup>2</sup>"; break;
            case NN_FEATURE_X2_SQ:  f = "<i>x</i><sub>2</sub><sup>2</sup>"; break;
            case NN_FEATURE_X1_X2:  f = "<i>x</i><sub>1</sub><i>x</i><sub>2</sub>"; break;
            case NN_FEATURE_SIN_X1: f = "sin <i>x</i><sub>1</sub>"; break;
            case NN_FEATURE_SIN_X2: f = "sin <i>x</i><sub>2</sub>"; break;
            default:                f = "?"; break;
            }
          if (i > 0)
            g_string_append (s, ",  ");
          nn_explain_append_symbol1 (s, MARKUP, "x", i);
          g_string_append_printf (s, " = %s = ", f);
          nn_explain_append_number (s, MARKUP, nn_explain_get_layer (ex, 0)->x[i]);
        }
      block_add_gstring (block, ROW_MATH, s);
    }
}

static void
add_heading (Block *block, guint number, const char *text)
{
  Row *row = block_add (block, ROW_HEADING, escape (text), NULL);

  row->number = number;
}

static gboolean
is_selected (const NlExplainScene *scene, NnParamKind kind, guint l, guint j, guint i)
{
  if (!scene->has_param || scene->param.layer != l || scene->param.out != j)
    return FALSE;
  if (kind == NN_PARAM_BIAS)
    return TRUE; /* a weight's unit shows its bias too */
  return scene->param.kind == NN_PARAM_WEIGHT && scene->param.in == i;
}

/* u₁₁ = w₁₁x₁ + w₁₂x₂ + b₁ = 0.5·1.2 + (−0.3)·0.4 + 0.1 = 0.58, the chosen parameter in
 * the accent colour. */
static GString *
linear_row (Doc *doc, const NlExplainScene *scene, guint l, guint j)
{
  const NnExplain *ex = scene->explain;
  const NnExplainLayer *layer = nn_explain_get_layer (ex, l);
  GString *s = g_string_new (NULL);
  gboolean spelled = layer->n_in <= 6;

  nn_explain_append_symbol (s, MARKUP, "u", l, j);
  g_string_append (s, " = ");
  if (spelled)
    for (guint i = 0; i < layer->n_in; i++)
      {
        gboolean mark = is_selected (scene, NN_PARAM_WEIGHT, l, j, i);

        if (i > 0)
          g_string_append (s, " + ");
        if (mark)
          g_string_append_printf (s, "<span foreground=\"%s\" weight=\"bold\">", doc->accent);
        nn_explain_append_symbol (s, MARKUP, "w", j, i);
        if (mark)
          g_string_append (s, "</span>");
        nn_explain_append_input (s, MARKUP, ex, l, i);
      }
  else
    {
      g_string_append (s, "Σ<sub><i>i</i></sub> ");
      g_string_append_printf (s, "<i>w</i><sub>%u<i>i</i></sub>", j + 1);
      g_string_append (s, l == 0 ? "<i>x</i><sub><i>i</i></sub>"
                                 : "<i>z</i><sub><i>i</i></sub>");
    }
  g_string_append (s, " + ");
  if (is_selected (scene, NN_PARAM_BIAS, l, j, 0))
    g_string_append_printf (s, "<span foreground=\"%s\" weight=\"bold\">", doc->accent);
  nn_explain_append_symbol1 (s, MARKUP, "b", j);
  if (is_selected (scene, NN_PARAM_BIAS, l, j, 0))
    g_string_append (s, "</span>");
  g_string_append (s, "  =  ");
  nn_explain_append_linear_values (s, MARKUP, ex, l, j);
  g_string_append (s, "  =  <b>");
  nn_explain_append_number (s, MARKUP, layer->u[j]);
  g_string_append (s, "</b>");
  return s;
}

/* z₁₁ = tanh(u₁₁) = tanh(0.58) = 0.5227; y_p = u₂₁ = 0.3; softmax spelled out. */
static GString *
activation_row (const NlExplainScene *scene, guint l, guint j)
{
  const NnExplain *ex = scene->explain;
  const NnExplainLayer *layer = nn_explain_get_layer (ex, l);
  GString *s = g_string_new (NULL);

  nn_explain_append_z (s, MARKUP, ex, l, j);
  g_string_append (s, " = ");
  switch (layer->activation)
    {
    case NN_ACTIVATION_IDENTITY:
      nn_explain_append_symbol (s, MARKUP, "u", l, j);
      break;
    case NN_ACTIVATION_SOFTMAX:
      g_string_append (s, "e<sup>");
      nn_explain_append_symbol (s, MARKUP, "u", l, j);
      g_string_append_printf (s, "</sup> / Σ<sub><i>k</i></sub> e<sup><i>u</i><sub>%u<i>k</i></sub></sup>  =  e<sup>",
                              l + 1);
      nn_explain_append_number (s, MARKUP, layer->u[j]);
      g_string_append (s, "</sup> / (");
      for (guint k = 0; k < layer->n_out; k++)
        {
          g_string_append (s, k > 0 ? " + e<sup>" : "e<sup>");
          nn_explain_append_number (s, MARKUP, layer->u[k]);
          g_string_append (s, "</sup>");
        }
      g_string_append (s, ")");
      break;
    default:
      g_string_append_printf (s, "%s(", nn_explain_function_symbol (layer->activation));
      nn_explain_append_symbol (s, MARKUP, "u", l, j);
      g_string_append_printf (s, ")  =  %s(", nn_explain_function_symbol (layer->activation));
      nn_explain_append_number (s, MARKUP, layer->u[j]);
      g_string_append (s, ")");
      break;
    }
  g_string_append (s, "  =  <b>");
  nn_explain_append_number (s, MARKUP, layer->z[j]);
  g_string_append (s, "</b>");
  return s;
}

static void
add_forward (Doc *doc, const NlExplainScene *scene)
{
  const NnExplain *ex = scene->explain;
  guint n_layers = nn_explain_get_n_layers (ex);

  for (guint l = 0; l < n_layers; l++)
    {
      const NnExplainLayer *layer = nn_explain_get_layer (ex, l);
      g_autofree char *title = NULL;
      Block *block = doc_block (doc, FALSE);

      if (l == 0)
        add_heading (block, 1, _("Forward propagation"));
      if (layer->is_output)
        title = g_strdup_printf (_("Output layer: linear transformation, then %s"),
                                 activation_name (layer->activation));
      else
        title = g_strdup_printf (_("Hidden layer %u: linear transformation, then %s"), l + 1,
                                 activation_name (layer->activation));
      block_add (block, ROW_SUBHEADING, escape (title), NULL);
      for (guint j = 0; j < layer->n_out; j++)
        {
          /* Big layers: one block per unit, so a figure may flow them into columns. */
          if (j > 0 && layer->n_out > 4)
            block = doc_block (doc, FALSE);
          block_add_gstring (block, ROW_MATH, linear_row (doc, scene, l, j));
          block_add_gstring (block, ROW_MATH, activation_row (scene, l, j));
        }
    }
}

static void
append_vector (GString *s, const NnExplain *ex, const double *v)
{
  guint k = n_outputs (ex);

  if (k > 1)
    g_string_append (s, "(");
  for (guint j = 0; j < k; j++)
    {
      if (j > 0)
        g_string_append (s, ", ");
      nn_explain_append_number (s, MARKUP, v[j]);
    }
  if (k > 1)
    g_string_append (s, ")");
}

static void
add_loss (Doc *doc, const NlExplainScene *scene)
{
  const NnExplain *ex = scene->explain;
  const NnExplainOutput *o = nn_explain_get_output (ex);
  Block *block = doc_block (doc, FALSE);
  GString *s = g_string_new (NULL);
  guint k = o->n_outputs;

  block_add (block, ROW_SUBHEADING,
             escape (o->loss == NN_LOSS_MSE ? _("Loss function: mean squared error (MSE)")
                                            : _("Loss function: cross-entropy error")),
             NULL);

  g_string_append (s, k > 1 ? "<i>y</i><sub>p</sub> = " : "<i>y</i><sub>p</sub> = ");
  append_vector (s, ex, o->y_p);
  g_string_append_printf (s, "  (%s),   <i>y</i><sub>t</sub> = ", _("prediction"));
  append_vector (s, ex, o->y_t);
  g_string_append_printf (s, "  (%s)", _("target"));
  block_add_gstring (block, ROW_MATH, s);

  s = g_string_new (NULL);
  if (o->loss == NN_LOSS_MSE)
    {
      if (k == 1)
        g_string_append (s, "<i>L</i> = (<i>y</i><sub>p</sub> − <i>y</i><sub>t</sub>)<sup>2</sup>  =  ");
      else
        g_string_append_printf (s, "<i>L</i> = (1/%u) Σ<sub><i>k</i></sub> (<i>y</i><sub>p,<i>k</i></sub> − <i>y</i><sub>t,<i>k</i></sub>)<sup>2</sup>  =  (1/%u)·(",
                                k, k);
      nn_explain_append_mse_terms (s, MARKUP, ex);
      if (k > 1)
        g_string_append (s, ")");
    }
  else if (o->activation == NN_ACTIVATION_SIGMOID)
    {
      gboolean one = o->y_t[0] > 0.5;

      g_string_append (s, "<i>L</i> = −(<i>y</i><sub>t</sub> log <i>y</i><sub>p</sub> + (1 − <i>y</i><sub>t</sub>) log(1 − <i>y</i><sub>p</sub>))  =  ");
      g_string_append (s, one ? "−log " : "−log(1 − ");
      nn_explain_append_number (s, MARKUP, o->y_p[0]);
      if (!one)
        g_string_append (s, ")");
    }
  else
    {
      guint c = 0;

      for (guint j = 0; j < k; j++)
        if (o->y_t[j] > o->y_t[c])
          c = j;
      g_string_append (s, "<i>L</i> = −Σ<sub><i>k</i></sub> <i>y</i><sub>t,<i>k</i></sub> log <i>y</i><sub>p,<i>k</i></sub>  =  −log ");
      nn_explain_append_output (s, MARKUP, ex, "p", c);
      g_string_append (s, "  =  −log ");
      nn_explain_append_number (s, MARKUP, o->y_p[c]);
    }
  g_string_append (s, "  =  <b>");
  nn_explain_append_number (s, MARKUP, o->value);
  g_string_append (s, "</b>");
  block_add_gstring (block, ROW_RESULT, s);
}

/* The factor's formula: 2(y_p − y_t), w₂₁, Θ(u₁₁) or 1 − z₁₁², x₁, δ₁₁. */
static void
append_factor_formula (GString *s, const NnExplain *ex, const NnExplainFactor *f)
{
  GString *formula = g_string_new (NULL);

  nn_explain_append_factor_symbol (s, MARKUP, ex, f);
  if (f->kind == NN_EXPLAIN_FACTOR_DY_DU || f->kind == NN_EXPLAIN_FACTOR_DZ_DU)
    append_derivative_formula (formula, ex, f->activation, f->layer, f->unit);
  if (formula->len > 0)
    g_string_append_printf (s, " = %s", formula->str);
  g_string_free (formula, TRUE);
}

static char *
factor_note (const NnExplainFactor *f)
{
  switch (f->kind)
    {
    case NN_EXPLAIN_FACTOR_DL_DY:
      return g_strdup (_("derivative of the loss"));
    case NN_EXPLAIN_FACTOR_DL_DU:
      return g_strdup (_("cross-entropy with its output activation: prediction − target"));
    case NN_EXPLAIN_FACTOR_DY_DU:
    case NN_EXPLAIN_FACTOR_DZ_DU:
      return derivative_note (f->activation);
    case NN_EXPLAIN_FACTOR_WEIGHT:
      return g_strdup (_("the weight on the path"));
    case NN_EXPLAIN_FACTOR_INPUT:
      return g_strdup (_("the input this weight multiplies"));
    case NN_EXPLAIN_FACTOR_DELTA:
    default:
      return g_strdup (_("δ = ∂L/∂u of this unit, summed over every path"));
    }
}

/* δ₁₁ = (w₁₁δ₂₁ + w₂₁δ₂₂) · tanh′(u₁₁) = (0.3·0.1 + …) · 0.73 = 0.0146 */
static GString *
delta_row (const NnExplain *ex, const NnDeltaExplanation *d)
{
  const NnExplainOutput *o = nn_explain_get_output (ex);
  GString *s = g_string_new (NULL);

  nn_explain_append_symbol (s, MARKUP, "δ", d->layer, d->unit);
  g_string_append (s, " = ");
  switch (d->form)
    {
    case NN_EXPLAIN_DELTA_CHAIN:
      g_string_append (s, "∂<i>L</i>/∂");
      nn_explain_append_output (s, MARKUP, ex, "p", d->unit);
      g_string_append (s, " · ");
      nn_explain_append_derivative (s, MARKUP, d->activation, d->layer, d->unit);
      g_string_append (s, "  =  ");
      nn_explain_append_operand (s, MARKUP, d->upstream);
      g_string_append (s, "·");
      nn_explain_append_operand (s, MARKUP, d->derivative);
      break;
    case NN_EXPLAIN_DELTA_FUSED:
      nn_explain_append_output (s, MARKUP, ex, "p", d->unit);
      g_string_append (s, " − ");
      nn_explain_append_output (s, MARKUP, ex, "t", d->unit);
      g_string_append (s, "  =  ");
      nn_explain_append_number (s, MARKUP, o->y_p[d->unit]);
      g_string_append (s, " − ");
      nn_explain_append_operand (s, MARKUP, o->y_t[d->unit]);
      break;
    case NN_EXPLAIN_DELTA_SOFTMAX_SUM:
      g_string_append (s, "Σ<sub><i>k</i></sub> ∂<i>L</i>/∂<i>y</i><sub>p,<i>k</i></sub> · ∂<i>y</i><sub>p,<i>k</i></sub>/∂");
      nn_explain_append_symbol (s, MARKUP, "u", d->layer, d->unit);
      g_string_append (s, "  =  ");
      nn_explain_append_delta_terms (s, MARKUP, d, TRUE);
      break;
    case NN_EXPLAIN_DELTA_BACKPROP:
    default:
      nn_explain_append_backprop (s, MARKUP, d, "  =  ");
      break;
    }
  g_string_append (s, "  =  ");
  nn_explain_append_number (s, MARKUP, d->delta);
  return s;
}

static void
add_gradient (Doc *doc, const NlExplainScene *scene, NnParamRef ref)
{
  const NnExplain *ex = scene->explain;
  NnGradientExplanation g;
  Block *block;
  GString *s;
  g_autofree char *title = NULL;
  GString *param = g_string_new (NULL), *from = g_string_new (NULL), *to = g_string_new (NULL);

  if (!nn_explain_gradient (ex, ref, &g))
    {
      g_string_free (param, TRUE);
      g_string_free (from, TRUE);
      g_string_free (to, TRUE);
      return;
    }
  nn_explain_append_param (param, MARKUP, ref);
  nn_explain_append_symbol (to, MARKUP, "u", ref.layer, ref.out);
  if (ref.kind == NN_PARAM_WEIGHT)
    {
      nn_explain_append_input (from, MARKUP, ex, ref.layer, ref.in);
      title = g_strdup_printf (_("Gradient of the weight %s (layer %u, from %s to %s)"),
                               param->str, ref.layer + 1, from->str, to->str);
    }
  else
    title = g_strdup_printf (_("Gradient of the bias %s (layer %u, added to %s)"), param->str,
                             ref.layer + 1, to->str);

  block = doc_block (doc, TRUE);
  block_add (block, ROW_SUBHEADING, g_steal_pointer (&title), NULL);

  /* ∂L/∂w = ∂L/∂y_p · ∂y_p/∂u · … · ∂u/∂w */
  s = g_string_new ("∂<i>L</i>/∂");
  g_string_append (s, param->str);
  for (guint i = 0; i < g.n_factors; i++)
    {
      g_string_append (s, i == 0 ? "  =  " : " · ");
      nn_explain_append_partial (s, MARKUP, ex, &g.factors[i], ref);
    }
  if (ref.kind == NN_PARAM_BIAS)
    {
      g_string_append (s, " · ∂");
      nn_explain_append_symbol (s, MARKUP, "u", ref.layer, ref.out);
      g_string_append (s, "/∂");
      g_string_append (s, param->str);
    }
  block_add_gstring (block, ROW_MATH, s);

  if (!g.single_path)
    {
      block_add (block, ROW_NOTE,
                 escape (_("Several paths lead from this parameter to the loss: δ adds them up, layer by layer from the output.")),
                 NULL);
      block_add_gstring (block, ROW_MATH, delta_row (ex, &g.delta));
    }

  /* Each factor: its symbol, its formula, its value, what it is. */
  for (guint i = 0; i < g.n_factors; i++)
    {
      const NnExplainFactor *f = &g.factors[i];
      GString *lhs = g_string_new (NULL);
      g_autofree char *note = factor_note (f);
      g_autofree char *note_markup = escape (note);

      nn_explain_append_partial (lhs, MARKUP, ex, f, ref);
      s = g_string_new (" = ");
      append_factor_formula (s, ex, f);
      g_string_append (s, " = <b>");
      nn_explain_append_number (s, MARKUP, f->value);
      g_string_append (s, "</b>");
      if (note[0] != '\0')
        g_string_append_printf (s, "   <span size=\"smaller\" alpha=\"70%%\">%s</span>", note_markup);
      block_add (block, ROW_FACTOR, g_string_free (s, FALSE), g_string_free (lhs, FALSE));
    }
  if (ref.kind == NN_PARAM_BIAS)
    {
      GString *lhs = g_string_new ("∂");

      nn_explain_append_symbol (lhs, MARKUP, "u", ref.layer, ref.out);
      g_string_append (lhs, "/∂");
      g_string_append (lhs, param->str);
      block_add (block, ROW_FACTOR,
                 g_strdup_printf (" = <b>1</b>   <span size=\"smaller\" alpha=\"70%%\">%s</span>",
                                  _("the bias is added as it is")),
                 g_string_free (lhs, FALSE));
    }

  /* The product. */
  s = g_string_new ("∂<i>L</i>/∂");
  g_string_append (s, param->str);
  g_string_append (s, "  =  ");
  if (g.n_factors > 1)
    {
      for (guint i = 0; i < g.n_factors; i++)
        {
          if (i > 0)
            g_string_append (s, " · ");
          nn_explain_append_operand (s, MARKUP, g.factors[i].value);
        }
      g_string_append (s, "  =  ");
    }
  g_string_append (s, "<b>");
  nn_explain_append_number (s, MARKUP, g.data_gradient);
  g_string_append (s, "</b>");
  block_add_gstring (block, ROW_RESULT, s);

  if (g.regularization_gradient != 0.0)
    {
      gboolean l2 = g.regularization == NN_REGULARIZATION_L2;

      s = g_string_new ("<i>g</i> = ∂<i>L</i>/∂");
      g_string_append (s, param->str);
      g_string_append (s, l2 ? " + λ" : " + λ·sign(");
      g_string_append (s, param->str);
      g_string_append (s, l2 ? "  =  " : ")  =  ");
      nn_explain_append_number (s, MARKUP, g.data_gradient);
      g_string_append (s, " + ");
      nn_explain_append_operand (s, MARKUP, g.regularization_gradient);
      g_string_append (s, "  =  <b>");
      nn_explain_append_number (s, MARKUP, g.gradient);
      g_string_append_printf (s, "</b>   (%s, λ = ", l2 ? "L2" : "L1");
      nn_explain_append_number (s, MARKUP, g.regularization_rate);
      g_string_append (s, ")");
      block_add_gstring (block, ROW_RESULT, s);
    }

  g_string_free (param, TRUE);
  g_string_free (from, TRUE);
  g_string_free (to, TRUE);
}

static const char *
optimizer_name (NnOptimizerKind kind)
{
  switch (kind)
    {
    case NN_OPTIMIZER_GD:
      return _("gradient descent (GD)");
    case NN_OPTIMIZER_SGD:
      return _("stochastic gradient descent (SGD)");
    case NN_OPTIMIZER_MOMENTUM:
      return "Momentum";
    case NN_OPTIMIZER_RMSPROP:
      return "RMSProp";
    case NN_OPTIMIZER_ADAM:
      return "Adam";
    case NN_N_OPTIMIZERS:
    default:
      return "?";
    }
}

/* name ← a·old + b·g(²) = … = new */
static GString *
average_row (const char *lhs, const char *formula, double a, double old, double b, double g,
             gboolean squared, double result)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s ← %s  =  ", lhs, formula);
  nn_explain_append_average (s, MARKUP, a, old, b, g, squared);
  g_string_append (s, "  =  ");
  nn_explain_append_number (s, MARKUP, result);
  return s;
}

static GString *
correction_row (const char *lhs, const char *formula, double value, double beta, guint64 t,
                double result)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s = %s  =  ", lhs, formula);
  nn_explain_append_correction (s, MARKUP, value, beta, t);
  g_string_append (s, "  =  ");
  nn_explain_append_number (s, MARKUP, result);
  return s;
}

/* w ← w − η·d or w − η·d/(√r + ε) = … = new */
static GString *
new_value_row (const NnUpdateExplanation *u, NnParamRef ref, const char *rule, double operand,
               double root)
{
  GString *s = g_string_new (NULL), *p = g_string_new (NULL);

  nn_explain_append_param (p, MARKUP, ref);
  g_string_append_printf (s, "%s ← %s − %s  =  ", p->str, p->str, rule);
  nn_explain_append_step (s, MARKUP, u, operand, root);
  g_string_append (s, "  =  <b>");
  nn_explain_append_number (s, MARKUP, u->new_value);
  g_string_append (s, "</b>");
  g_string_free (p, TRUE);
  return s;
}

static void
add_update_rows (Block *block, const NnExplain *ex, NnParamRef ref)
{
  NnUpdateExplanation u;
  const NnOptimizerConfig *c;
  GString *p = g_string_new (NULL);
  g_autofree char *title = NULL;

  if (!nn_explain_update (ex, ref, &u))
    {
      g_string_free (p, TRUE);
      return;
    }
  c = &u.cfg;
  nn_explain_append_param (p, MARKUP, ref);
  title = g_strdup_printf (ref.kind == NN_PARAM_WEIGHT ? _("The weight %s") : _("The bias %s"),
                           p->str);
  block_add (block, ROW_SUBHEADING, g_steal_pointer (&title), NULL);

  switch (c->kind)
    {
    case NN_OPTIMIZER_MOMENTUM:
      block_add_gstring (block, ROW_MATH, average_row ("<i>v</i>", "μ<i>v</i> + <i>g</i>",
                                                       c->momentum, u.v, 1.0, u.gradient, FALSE,
                                                       u.v_new));
      block_add_gstring (block, ROW_RESULT, new_value_row (&u, ref, "η<i>v</i>", u.v_new, NAN));
      break;
    case NN_OPTIMIZER_RMSPROP:
      block_add_gstring (block, ROW_MATH,
                         average_row ("<i>h</i>", "α<i>h</i> + (1 − α)<i>g</i><sup>2</sup>",
                                      c->alpha, u.h, 1.0 - c->alpha, u.gradient, TRUE, u.h_new));
      block_add_gstring (block, ROW_RESULT,
                         new_value_row (&u, ref, "η<i>g</i>/(√<i>h</i> + ε)", u.gradient,
                                        u.h_new));
      break;
    case NN_OPTIMIZER_ADAM:
      block_add_gstring (block, ROW_MATH,
                         average_row ("<i>v</i>", "β<sub>1</sub><i>v</i> + (1 − β<sub>1</sub>)<i>g</i>",
                                      c->beta1, u.v, 1.0 - c->beta1, u.gradient, FALSE, u.v_new));
      block_add_gstring (block, ROW_MATH,
                         average_row ("<i>h</i>", "β<sub>2</sub><i>h</i> + (1 − β<sub>2</sub>)<i>g</i><sup>2</sup>",
                                      c->beta2, u.h, 1.0 - c->beta2, u.gradient, TRUE, u.h_new));
      block_add_gstring (block, ROW_MATH,
                         correction_row ("<i>v̂</i>", "<i>v</i>/(1 − β<sub>1</sub><sup><i>t</i>+1</sup>)",
                                         u.v_new, c->beta1, u.t, u.v_hat));
      block_add_gstring (block, ROW_MATH,
                         correction_row ("<i>ĥ</i>", "<i>h</i>/(1 − β<sub>2</sub><sup><i>t</i>+1</sup>)",
                                         u.h_new, c->beta2, u.t, u.h_hat));
      block_add_gstring (block, ROW_RESULT,
                         new_value_row (&u, ref, "η<i>v̂</i>/(√<i>ĥ</i> + ε)", u.v_hat, u.h_hat));
      break;
    case NN_OPTIMIZER_GD:
    case NN_OPTIMIZER_SGD:
    case NN_N_OPTIMIZERS:
    default:
      block_add_gstring (block, ROW_RESULT, new_value_row (&u, ref, "η<i>g</i>", u.gradient, NAN));
      break;
    }
  g_string_free (p, TRUE);
}

static void
add_update (Doc *doc, const NlExplainScene *scene)
{
  const NnExplain *ex = scene->explain;
  NnUpdateExplanation u;
  Block *block;
  g_autofree char *heading = NULL;
  g_autofree char *note = NULL;
  char rate[64];

  if (!nn_explain_update (ex, scene->param, &u))
    return;
  block = doc_block (doc, FALSE);
  heading = g_strdup_printf (_("Parameter update: %s"), optimizer_name (u.cfg.kind));
  add_heading (block, 3, heading);
  nl_render_explain_format_number (rate, sizeof rate, u.cfg.learning_rate);
  note = g_strdup_printf (_("Step %llu of the optimizer, learning rate η = %s, with this one sample’s gradient as the batch’s."),
                          (unsigned long long) (u.t + 1), rate);
  block_add (block, ROW_NOTE, escape (note), NULL);
  if (!scene->optimizer_state_known)
    block_add (block, ROW_NOTE,
               escape (_("The optimizer’s state (v, h) is shown freshly reset.")), NULL);

  block = doc_block (doc, TRUE);
  add_update_rows (block, ex, scene->param);
  if (scene->param.kind == NN_PARAM_WEIGHT)
    {
      block = doc_block (doc, TRUE);
      add_update_rows (block, ex, NN_PARAM_REF_BIAS (scene->param.layer, scene->param.out));
    }
}

static void
doc_build (Doc *doc, const NlExplainScene *scene, const NlRenderStyle *style)
{
  NlRgba accent = style->highlight;

  doc->blocks = g_ptr_array_new_with_free_func (block_free);
  doc->style = style;
  g_snprintf (doc->accent, sizeof doc->accent, "#%02x%02x%02x",
              (guint) (CLAMP (accent.r, 0, 1) * 255 + 0.5), (guint) (CLAMP (accent.g, 0, 1) * 255 + 0.5),
              (guint) (CLAMP (accent.b, 0, 1) * 255 + 0.5));
  if (scene->explain == NULL)
    return;

  add_title (doc, scene);
  add_forward (doc, scene);
  add_loss (doc, scene);
  if (scene->has_param)
    {
      Block *block = doc_block (doc, FALSE);

      add_heading (block, 2, _("Back-propagation"));
      block_add (block, ROW_NOTE,
                 escape (_("The chain rule, from the loss back to the parameter: multiply the derivatives along the way.")),
                 NULL);
      add_gradient (doc, scene, scene->param);
      if (scene->param.kind == NN_PARAM_WEIGHT)
        add_gradient (doc, scene, NN_PARAM_REF_BIAS (scene->param.layer, scene->param.out));
      add_update (doc, scene);
    }
}

static void
doc_clear (Doc *doc)
{
  g_clear_pointer (&doc->blocks, g_ptr_array_unref);
}

/* ---- Layout and drawing -------------------------------------------------------------- */

static double
row_size (RowKind kind)
{
  switch (kind)
    {
    case ROW_TITLE:
      return SIZE_TITLE;
    case ROW_HEADING:
      return SIZE_HEADING;
    case ROW_SUBHEADING:
      return SIZE_SUB;
    case ROW_NOTE:
      return SIZE_NOTE;
    case ROW_MATH:
    case ROW_RESULT:
    case ROW_FACTOR:
    default:
      return SIZE_MATH;
    }
}

/* Space above a row of this kind (not at the top of a block). */
static double
row_gap (const NlRenderStyle *style, RowKind kind)
{
  double px = nl_text_px (style, 1.0);

  switch (kind)
    {
    case ROW_HEADING:
      return px * 0.9;
    case ROW_SUBHEADING:
      return px * 0.55;
    case ROW_RESULT:
      return px * 0.35;
    default:
      return px * 0.28;
    }
}

static double
block_gap (const NlRenderStyle *style)
{
  return nl_text_px (style, 1.0) * 0.6;
}

static PangoLayout *
row_layout (cairo_t *cr, const NlRenderStyle *style, const char *markup, RowKind kind,
            double width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (style->font_family);

  pango_font_description_set_absolute_size (desc, nl_text_px (style, row_size (kind)) * PANGO_SCALE);
  if (kind == ROW_TITLE || kind == ROW_HEADING || kind == ROW_SUBHEADING)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_markup (layout, markup, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      /* An equation that wraps goes on indented, so where it starts stays clear. */
      if (kind == ROW_MATH || kind == ROW_RESULT || kind == ROW_FACTOR)
        pango_layout_set_indent (layout, (int) (-2.0 * nl_text_px (style, row_size (kind))
                                                * PANGO_SCALE));
    }
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

static double
heading_disc (const NlRenderStyle *style)
{
  return nl_text_px (style, SIZE_HEADING) * 1.5;
}

/* Where a row's text starts and how wide it may be, inside a block of width `width`. */
static void
row_box (const Block *block, const Row *row, const NlRenderStyle *style, double width,
         double *x, double *w)
{
  double left = block->card ? CARD_PAD : 0;
  double right = block->card ? CARD_PAD : 0;

  switch (row->kind)
    {
    case ROW_HEADING:
      left += heading_disc (style) + 8;
      break;
    case ROW_MATH:
    case ROW_RESULT:
    case ROW_NOTE:
      left += block->card ? 0 : INDENT;
      break;
    case ROW_FACTOR:
      left += block->lhs_width + (block->card ? 0 : INDENT);
      break;
    default:
      break;
    }
  *x = left;
  *w = MAX (width - left - right, 40);
}

static void
block_measure (cairo_t *cr, Block *block, const NlRenderStyle *style, double width)
{
  double y = block->card ? CARD_PAD : 0;

  block->lhs_width = 0;
  for (guint r = 0; r < block->rows->len; r++)
    {
      Row *row = g_ptr_array_index (block->rows, r);

      if (row->kind == ROW_FACTOR)
        {
          PangoLayout *layout = row_layout (cr, style, row->lhs, ROW_FACTOR, -1);

          block->lhs_width = MAX (block->lhs_width, layout_width (layout));
          g_object_unref (layout);
        }
    }
  block->lhs_width = MIN (block->lhs_width, width * 0.45);

  for (guint r = 0; r < block->rows->len; r++)
    {
      Row *row = g_ptr_array_index (block->rows, r);
      PangoLayout *layout;
      double x, w;

      row_box (block, row, style, width, &x, &w);
      layout = row_layout (cr, style, row->text, row->kind, w);
      row->height = layout_height (layout);
      if (row->kind == ROW_HEADING)
        row->height = MAX (row->height, heading_disc (style));
      g_object_unref (layout);
      if (r > 0)
        y += row_gap (style, row->kind);
      y += row->height;
    }
  block->height = y + (block->card ? CARD_PAD : 0);
}

static void
draw_row (cairo_t *cr, const Block *block, const Row *row, const NlRenderStyle *style,
          double width, double y)
{
  PangoLayout *layout;
  double x, w;
  NlRgba color = row->kind == ROW_NOTE ? style->muted : style->foreground;

  row_box (block, row, style, width, &x, &w);
  if (row->kind == ROW_HEADING)
    {
      double d = heading_disc (style);
      char number[8];

      nl_render_set_source (cr, &style->train_series);
      cairo_arc (cr, d / 2, y + row->height / 2, d / 2, 0, 2 * G_PI);
      cairo_fill (cr);
      g_snprintf (number, sizeof number, "%u", row->number);
      layout = row_layout (cr, style, number, ROW_HEADING, -1);
      nl_render_set_source (cr, &style->surface);
      cairo_move_to (cr, d / 2 - layout_width (layout) / 2,
                     y + row->height / 2 - layout_height (layout) / 2);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      cairo_new_path (cr);
    }
  if (row->kind == ROW_FACTOR)
    {
      layout = row_layout (cr, style, row->lhs, ROW_FACTOR, -1);
      nl_render_set_source (cr, &style->foreground);
      cairo_move_to (cr, x - layout_width (layout), y);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      cairo_new_path (cr);
    }

  layout = row_layout (cr, style, row->text, row->kind, w);
  nl_render_set_source (cr, &color);
  cairo_move_to (cr, x, row->kind == ROW_HEADING
                          ? y + row->height / 2 - layout_height (layout) / 2 : y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  cairo_new_path (cr);
}

static void
draw_block (cairo_t *cr, const Block *block, const NlRenderStyle *style, double x, double y,
            double width)
{
  double row_y = y + (block->card ? CARD_PAD : 0);

  cairo_save (cr);
  cairo_translate (cr, x, 0);
  if (block->card)
    {
      NlRgba fill = nl_rgba_mix (&style->surface, &style->train_series, 0.07);
      NlRgba edge = nl_rgba_with_alpha (&style->train_series, 0.35);

      nl_path_rounded_rect (cr, 0.5, y + 0.5, width - 1, block->height - 1, 8);
      nl_render_set_source (cr, &fill);
      cairo_fill_preserve (cr);
      nl_render_set_source (cr, &edge);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
  for (guint r = 0; r < block->rows->len; r++)
    {
      const Row *row = g_ptr_array_index (block->rows, r);

      if (r > 0)
        row_y += row_gap (style, row->kind);
      draw_row (cr, block, row, style, width, row_y);
      row_y += row->height;
    }
  cairo_restore (cr);
}

static double
column_run (cairo_t *cr, Doc *doc, double width, gboolean draw, double *section_y)
{
  double y = 0;

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      Block *block = g_ptr_array_index (doc->blocks, b);
      const Row *first = g_ptr_array_index (block->rows, 0);

      block_measure (cr, block, doc->style, width);
      if (b > 0)
        y += block_gap (doc->style);
      if (section_y != NULL && first->kind == ROW_HEADING && first->number >= 1
          && first->number <= 3)
        section_y[first->number - 1] = y;
      if (draw)
        draw_block (cr, block, doc->style, 0, y, width);
      y += block->height;
    }
  return y;
}

void
nl_explain_scene_init (NlExplainScene *scene)
{
  g_return_if_fail (scene != NULL);

  memset (scene, 0, sizeof *scene);
  scene->sample_index = -1;
  scene->optimizer_state_known = TRUE;
}

double
nl_render_explain_column (cairo_t *cr, const NlExplainScene *scene, const NlRenderStyle *style,
                          double width, gboolean draw)
{
  Doc doc = { 0 };
  double height;

  g_return_val_if_fail (cr != NULL && scene != NULL && style != NULL, 0);

  doc_build (&doc, scene, style);
  cairo_save (cr);
  height = column_run (cr, &doc, width, draw, NULL);
  cairo_restore (cr);
  doc_clear (&doc);
  return height;
}

void
nl_render_explain_sections (cairo_t *cr, const NlExplainScene *scene,
                            const NlRenderStyle *style, double width, double section_y[3])
{
  Doc doc = { 0 };

  g_return_if_fail (cr != NULL && scene != NULL && style != NULL && section_y != NULL);

  section_y[0] = section_y[1] = section_y[2] = -1;
  doc_build (&doc, scene, style);
  cairo_save (cr);
  column_run (cr, &doc, width, FALSE, section_y);
  cairo_restore (cr);
  doc_clear (&doc);
}

/* ---- The figure ---------------------------------------------------------------------- */

/* Flows the blocks into n columns of width col_w and height limit; TRUE when they fit. */
static gboolean
flow_fits (cairo_t *cr, Doc *doc, guint n, double col_w, double limit)
{
  guint column = 0;
  double y = 0;

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      Block *block = g_ptr_array_index (doc->blocks, b);
      double gap = y > 0 ? block_gap (doc->style) : 0;

      block_measure (cr, block, doc->style, col_w);
      if (y > 0 && y + gap + block->height > limit)
        {
          if (++column >= n)
            return FALSE;
          y = 0;
          gap = 0;
        }
      if (block->height > limit)
        return FALSE;
      y += gap + block->height;
    }
  return TRUE;
}

static void
flow_draw (cairo_t *cr, Doc *doc, double x0, double y0, guint n, double col_w, double gutter,
           double limit)
{
  guint column = 0;
  double y = 0;

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      Block *block = g_ptr_array_index (doc->blocks, b);
      double gap = y > 0 ? block_gap (doc->style) : 0;

      block_measure (cr, block, doc->style, col_w);
      if (y > 0 && y + gap + block->height > limit && column + 1 < n)
        {
          column++;
          y = 0;
          gap = 0;
        }
      draw_block (cr, block, doc->style, x0 + column * (col_w + gutter), y0 + y + gap, col_w);
      y += gap + block->height;
    }
}

/* A value on a tag under a node of the diagram (nothing for a node not laid out). */
static void
draw_node_value (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                 const NlNetworkNode *node, double v)
{
  NlRgba back = nl_rgba_with_alpha (&style->surface, 0.85);
  char value[64];
  double w, h;

  if (node == NULL)
    return;
  nl_render_explain_format_number (value, sizeof value, v);
  nl_text_measure (cr, cache, style, value, 0.78, NL_TEXT_BOLD, &w, &h);
  nl_path_rounded_rect (cr, node->rect.x + node->rect.width / 2 - w / 2 - 3,
                        node->rect.y + node->rect.height - h / 2, w + 6, h, 3);
  nl_render_set_source (cr, &back);
  cairo_fill (cr);
  nl_text_draw (cr, cache, style, value, 0.78, NL_TEXT_BOLD, &style->foreground,
                node->rect.x + node->rect.width / 2, node->rect.y + node->rect.height, 0.5, 0.5);
}

void
nl_render_explain_diagram (cairo_t *cr, const NlNetworkLayout *layout,
                           const NlExplainScene *scene, const NlNetworkScene *network,
                           const NlRenderStyle *style, NlRenderCache *cache)
{
  NlNetworkScene marked;
  const NnExplain *ex = scene->explain;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && network != NULL);

  marked = *network;
  if (scene->has_param && scene->param.kind == NN_PARAM_WEIGHT)
    marked.highlight = (NlNetworkHit) { NL_NETWORK_HIT_LINK, scene->param.layer,
                                        scene->param.out, scene->param.in, 0 };
  else if (scene->has_param)
    marked.highlight = (NlNetworkHit) { NL_NETWORK_HIT_NEURON, scene->param.layer,
                                        scene->param.out, 0, 0 };
  nl_render_network (cr, layout, &marked, style, cache);

  if (ex == NULL || !nn_architecture_equal (network->arch, &layout->arch))
    return;

  /* Each unit's value for this sample, under its node; the inputs' too. */
  for (guint l = 0; l < nn_explain_get_n_layers (ex); l++)
    {
      const NnExplainLayer *el = nn_explain_get_layer (ex, l);

      for (guint j = 0; j < el->n_out; j++)
        draw_node_value (cr, cache, style, nl_network_layout_get_neuron (layout, l, j), el->z[j]);
    }
  for (guint i = 0; i < nn_explain_get_n_inputs (ex); i++)
    draw_node_value (cr, cache, style, nl_network_layout_get_input (layout, i),
                     nn_explain_get_layer (ex, 0)->x[i]);
}

/* Where everything goes at text scale s: the page is width/s × height/s in text units. */
typedef struct
{
  double   s;
  gboolean diagram;
  double   diagram_w;
  double   text_x;
  double   text_w;
  double   limit;
  guint    columns;
  double   col_w;
} FigureGeometry;

#define FIGURE_PAD     24.0
#define FIGURE_GUTTER  28.0
#define FIGURE_MIN_COL 420.0
#define FIGURE_MIN_S   0.34
#define FIGURE_MAX_S   1.8

/* TRUE when the walkthrough fits at scale s, in the fewest columns it needs (`force`: in
 * as many as there is room for, whether it fits or not). */
static gboolean
figure_fits (cairo_t *cr, Doc *doc, const NlNetworkScene *network, double width,
             double height, double s, gboolean force, FigureGeometry *g)
{
  double w = width / s, h = height / s;
  guint max_cols;
  gboolean fits = FALSE;

  g->s = s;
  g->diagram = network != NULL && network->arch != NULL && w >= 900;
  g->diagram_w = g->diagram ? floor (CLAMP (w * 0.3, 300, 560)) : 0;
  g->text_x = FIGURE_PAD + (g->diagram ? g->diagram_w + FIGURE_GUTTER : 0);
  g->text_w = w - g->text_x - FIGURE_PAD;
  g->limit = h - 2 * FIGURE_PAD;
  max_cols = MAX (1, (guint) ((g->text_w + FIGURE_GUTTER) / (FIGURE_MIN_COL + FIGURE_GUTTER)));

  cairo_save (cr);
  cairo_scale (cr, s, s);
  for (guint n = 1; n <= max_cols && !fits; n++)
    {
      g->columns = n;
      g->col_w = (g->text_w - (n - 1) * FIGURE_GUTTER) / n;
      fits = flow_fits (cr, doc, n, g->col_w, g->limit);
    }
  cairo_restore (cr);
  return fits || force;
}

void
nl_render_explain (cairo_t *cr, const NlExplainScene *scene, const NlNetworkScene *network,
                   const NlRenderStyle *style, NlRenderCache *given_cache, double width,
                   double height)
{
  NlRenderCache *cache;
  Doc doc = { 0 };
  FigureGeometry g, best;

  g_return_if_fail (cr != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  nl_render_set_source (cr, &style->background);
  cairo_paint (cr);
  doc_build (&doc, scene, style);

  /* The largest text that fits: big on a roomy slide, smaller on a small one (a bisection:
   * measuring the walkthrough at a scale is the expensive part). */
  if (!figure_fits (cr, &doc, network, width, height, FIGURE_MAX_S, FALSE, &best))
    {
      double lo = FIGURE_MIN_S, hi = FIGURE_MAX_S;

      /* Too long even for the smallest text: as many columns as there is room for. */
      if (!figure_fits (cr, &doc, network, width, height, lo, FALSE, &best))
        figure_fits (cr, &doc, network, width, height, lo, TRUE, &best);
      else
        for (int i = 0; i < 7; i++)
          {
            double mid = (lo + hi) / 2;

            if (figure_fits (cr, &doc, network, width, height, mid, FALSE, &g))
              lo = mid, best = g;
            else
              hi = mid;
          }
    }

  cairo_save (cr);
  cairo_scale (cr, best.s, best.s);
  if (best.diagram)
    {
      g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();
      double diagram_h = MIN (best.limit, best.diagram_w * 1.25);

      nl_network_layout_compute (layout, network->arch, network->features,
                                 NL_NETWORK_LAYOUT_NO_CONTROLS | NL_NETWORK_LAYOUT_ACTIVE_FEATURES,
                                 best.diagram_w, diagram_h, style);
      cairo_save (cr);
      cairo_translate (cr, FIGURE_PAD, FIGURE_PAD);
      cairo_rectangle (cr, 0, 0, best.diagram_w, diagram_h);
      cairo_clip (cr);
      nl_render_explain_diagram (cr, layout, scene, network, style, cache);
      cairo_restore (cr);
    }
  flow_draw (cr, &doc, best.text_x, FIGURE_PAD, best.columns, best.col_w, FIGURE_GUTTER,
             best.limit);
  cairo_restore (cr);

  doc_clear (&doc);
  nl_render_cache_release (given_cache, cache);
}

/* ---- Plain text ---------------------------------------------------------------------- */

static void
append_plain (GString *out, const char *markup)
{
  g_autofree char *text = NULL;

  if (pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    g_string_append (out, text);
  else
    g_string_append (out, markup);
}

char *
nl_render_explain_to_text (const NlExplainScene *scene)
{
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  Doc doc = { 0 };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (scene != NULL, NULL);

  doc_build (&doc, scene, style);
  for (guint b = 0; b < doc.blocks->len; b++)
    {
      const Block *block = g_ptr_array_index (doc.blocks, b);

      for (guint r = 0; r < block->rows->len; r++)
        {
          const Row *row = g_ptr_array_index (block->rows, r);

          if (row->kind == ROW_HEADING)
            g_string_append_printf (out, "%u ", row->number);
          if (row->lhs != NULL)
            append_plain (out, row->lhs);
          append_plain (out, row->text);
          g_string_append_c (out, '\n');
        }
    }
  doc_clear (&doc);
  return g_string_free (out, FALSE);
}
