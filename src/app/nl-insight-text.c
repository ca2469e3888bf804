/* nl-insight-text.c: sentences about layer health and advice, written with _(). */
#include "nl-insight-text.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nl-names.h"

char *
nl_insight_layer_name (guint layer, guint n_layers)
{
  if (layer + 1 >= n_layers)
    return g_strdup (_("The output layer"));
  return g_strdup_printf (_("Hidden layer %u"), layer + 1);
}

const char *
nl_advice_title (NnAdviceKind kind)
{
  switch (kind)
    {
    case NN_ADVICE_DIVERGED:            return _("Training blew up");
    case NN_ADVICE_LOSS_RISING:         return _("The loss is rising");
    case NN_ADVICE_VANISHING_GRADIENTS: return _("Vanishing gradients");
    case NN_ADVICE_DEAD_UNITS:          return _("Dead neurons");
    case NN_ADVICE_ONE_CLASS:           return _("Only one class");
    case NN_N_ADVICE_KINDS:
    default:                            return "";
    }
}

static char *
format_rate (double rate)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (buf, sizeof buf, "%g", rate);
  return g_strdup (buf);
}

char *
nl_advice_describe (const NnAdvice *a)
{
  g_autofree char *rate = NULL;

  g_return_val_if_fail (a != NULL, NULL);

  switch (a->kind)
    {
    case NN_ADVICE_DIVERGED:
      rate = format_rate (a->learning_rate);
      return g_strdup_printf (_("At epoch %u the loss became infinite: the learning rate %s is too high for %s. Lower it and press Reset."),
                              a->epoch, rate, nl_names_optimizer (a->optimizer));
    case NN_ADVICE_LOSS_RISING:
      rate = format_rate (a->learning_rate);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The training loss rose from %.3g to %.3g over the last %u epoch: each step overshoots. The learning rate %s is probably too high for %s; try a smaller one.",
                                           "The training loss rose from %.3g to %.3g over the last %u epochs: each step overshoots. The learning rate %s is probably too high for %s; try a smaller one.",
                                           a->epochs),
                              a->loss_from, a->loss_to, a->epochs, rate,
                              nl_names_optimizer (a->optimizer));
    case NN_ADVICE_VANISHING_GRADIENTS:
      return g_strdup_printf (_("The gradient reaching hidden layer %u is %.0f times weaker than at the output, so the first layers hardly learn. %s squashes the gradient at every layer; try ReLU, or fewer layers."),
                              a->layer + 1, a->factor, nl_names_activation (a->activation));
    case NN_ADVICE_DEAD_UNITS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Hidden layer %u: %u of %u ReLU units is dead — it outputs 0 for every point, so it no longer learns. A smaller learning rate or Leaky ReLU keeps units alive.",
                                           "Hidden layer %u: %u of %u ReLU units are dead — they output 0 for every point, so they no longer learn. A smaller learning rate or Leaky ReLU keeps units alive.",
                                           a->units),
                              a->layer + 1, a->units, a->total);
    case NN_ADVICE_ONE_CLASS:
      return g_strdup_printf (_("The network says class %u for every training point, although all %u classes have plenty of points: it has not found a boundary yet. Give it more neurons, other features or another learning rate."),
                              a->predicted_class, a->classes);
    case NN_N_ADVICE_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
append_stuck (GString *text, const NnLayerHealth *l)
{
  const char *activation = nl_names_activation (l->activation);

  if (l->dead > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "\n%u of %u %s units is dead — it outputs 0 for every point, so it no longer learns.",
                                               "\n%u of %u %s units are dead — they output 0 for every point, so they no longer learn.",
                                               l->dead),
                            l->dead, l->n_units, activation);
  if (l->inactive > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "\n%u of %u %s units is below zero for every point — it learns only slowly, through the leak.",
                                               "\n%u of %u %s units are below zero for every point — they learn only slowly, through the leak.",
                                               l->inactive),
                            l->inactive, l->n_units, activation);
  if (l->saturated > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "\n%u of %u %s units is saturated — its input is so large that its slope is almost 0, so it learns very slowly.",
                                               "\n%u of %u %s units are saturated — their input is so large that their slope is almost 0, so they learn very slowly.",
                                               l->saturated),
                            l->saturated, l->n_units, activation);
}

char *
nl_health_describe_layer (const NnHealth *h, guint layer)
{
  g_autofree char *name = NULL;
  const NnLayerHealth *l, *out;
  GString *text;

  g_return_val_if_fail (h != NULL, NULL);
  if (layer >= h->n_layers)
    return NULL;

  l = &h->layers[layer];
  out = &h->layers[h->n_layers - 1];
  name = nl_insight_layer_name (layer, h->n_layers);
  text = g_string_new (NULL);
  g_string_append_printf (text, _("%s (%s, %u units), measured at epoch %u on %u points"),
                          name, nl_names_activation (l->activation), l->n_units, h->epoch,
                          h->n_samples);
  g_string_append_printf (text, _("\n∇  size of the gradient ‖∂L/∂W‖: %.3g — how hard the loss pulls on these weights (log scale)"),
                          l->grad_norm);
  g_string_append_printf (text, _("\nW  size of the weights ‖W‖: %.3g"), l->weight_norm);

  append_stuck (text, l);

  if (layer + 1 < h->n_layers && out->grad_rms > 0 && isfinite (l->grad_rms)
      && l->grad_rms < 0.01 * out->grad_rms)
    g_string_append_printf (text, _("\nIts gradient is %.0f times weaker than the output layer's: it hardly learns (a vanishing gradient)."),
                            l->grad_rms > 0 ? out->grad_rms / l->grad_rms : INFINITY);
  else if (isfinite (l->grad_norm) && l->grad_norm > 1e3)
    g_string_append (text, _("\nIts gradient is huge: the steps overshoot (an exploding gradient)."));

  if (l->dead + l->inactive + l->saturated == 0)
    g_string_append (text, _("\nEvery unit can still learn."));

  return g_string_free (text, FALSE);
}
