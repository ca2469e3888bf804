/* nn-export-header.c: the network as a C99 header, for a microcontroller.
 *
 * static const double arrays, one weight matrix ([out][in]) and one bias vector a layer,
 * and a static inline neural_lab_predict (x1, x2, out) that computes the features and runs
 * the layers with plain loops. It compiles cleanly with cc -std=c99 -Wall -Wextra
 * -pedantic; link with -lm.
 */
#include "nn-export-private.h"
#include "nn-features.h"

#define PREFIX "neural_lab"
#define MACRO_PREFIX "NEURAL_LAB"
#define VALUES_PER_LINE 4

/* The C expression for each feature, in the engine's order. */
static const char *const feature_expressions[NN_N_FEATURES] = {
  "x1", "x2", "x1 * x1", "x2 * x2", "x1 * x2", "sin (x1)", "sin (x2)",
};

static void
append_comment (GString *out, const NnExportModel *m)
{
  g_autofree char *features = nn_export_features_list (m);

  g_string_append_printf (out,
                          "/* A neural network trained in Neural Lab, with its weights.\n"
                          " *\n"
                          " * Input:    a point (x1, x2); the network's inputs are the features "
                          "%s.\n"
                          " * Layers:   %u",
                          features, m->layers[0].n_in);
  for (guint l = 0; l < m->n_layers; l++)
    g_string_append_printf (out, " -> %u %s", m->layers[l].n_out,
                            nn_activation_to_string (m->layers[l].activation));
  g_string_append_printf (out,
                          "\n"
                          " * Trained:  %s, loss %s.\n"
                          " *\n"
                          " * Usage:\n"
                          " *   double y[" MACRO_PREFIX "_N_OUTPUTS];\n"
                          " *   " PREFIX "_predict (1.0, -2.0, y);\n"
                          " *\n"
                          " * C99; link with -lm. Weights are [out][in], as PyTorch's "
                          "Linear.weight:\n"
                          " * " PREFIX "_layer0_weight[j][i] is the weight from input i "
                          "into neuron j.\n"
                          " */\n",
                          nn_problem_to_string (m->problem), nn_loss_to_string (m->loss));
}

/* Values separated by commas, a few a line so long layers stay readable. */
static void
append_values (GString *out, const double *v, guint n, const char *indent)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, i % VALUES_PER_LINE == 0 ? ",\n" : ", ");
      if (i % VALUES_PER_LINE == 0)
        g_string_append (out, indent);
      nn_export_append_double (out, v[i]);
    }
}

static void
append_arrays (GString *out, const NnExportModel *m, guint l)
{
  const NnLayer   *layer = &m->layers[l];
  g_autofree char *name = nn_export_layer_name (m, l);

  g_string_append_printf (out, "\n/* layers.%u (%s): %u inputs -> %u units, %s */\n", l, name,
                          layer->n_in, layer->n_out, nn_activation_to_string (layer->activation));
  g_string_append_printf (out, "static const double " PREFIX "_layer%u_weight[%u][%u] = {\n", l,
                          layer->n_out, layer->n_in);
  for (guint o = 0; o < layer->n_out; o++)
    {
      const double *row = m->params + layer->w_offset + (gsize)o * layer->n_in;

      if (layer->n_in <= VALUES_PER_LINE)
        {
          append_values (out, row, layer->n_in, "  { ");
          g_string_append (out, " },\n");
        }
      else
        {
          g_string_append (out, "  {\n");
          append_values (out, row, layer->n_in, "    ");
          g_string_append (out, "\n  },\n");
        }
    }
  g_string_append (out, "};\n");
  g_string_append_printf (out, "static const double " PREFIX "_layer%u_bias[%u] = {\n", l,
                          layer->n_out);
  append_values (out, m->params + layer->b_offset, layer->n_out, "  ");
  g_string_append (out, "\n};\n");
}

/* dest = F(u), for every activation but softmax (done over the whole output below). */
static void
append_activation (GString *out, const NnLayer *layer, const char *dest)
{
  switch (layer->activation)
    {
    case NN_ACTIVATION_RELU:
      g_string_append_printf (out, "      %s = u > 0.0 ? u : 0.0;\n", dest);
      break;
    case NN_ACTIVATION_LEAKY_RELU:
      g_string_append_printf (out, "      %s = u > 0.0 ? u : ", dest);
      nn_export_append_double (out, layer->alpha);
      g_string_append (out, " * u;\n");
      break;
    case NN_ACTIVATION_SIGMOID:
      g_string_append_printf (out, "      %s = 1.0 / (1.0 + exp (-u));\n", dest);
      break;
    case NN_ACTIVATION_TANH:
      g_string_append_printf (out, "      %s = tanh (u);\n", dest);
      break;
    case NN_ACTIVATION_IDENTITY:
    case NN_ACTIVATION_SOFTMAX:
      g_string_append_printf (out, "      %s = u;\n", dest);
      break;
    case NN_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
append_softmax (GString *out, guint k)
{
  g_string_append_printf (out,
                          "  /* softmax: subtracting the largest value keeps exp() finite */\n"
                          "  {\n"
                          "    double largest = out[0], sum = 0.0;\n"
                          "    for (j = 1; j < %u; j++)\n"
                          "      if (out[j] > largest)\n"
                          "        largest = out[j];\n"
                          "    for (j = 0; j < %u; j++)\n"
                          "      {\n"
                          "        out[j] = exp (out[j] - largest);\n"
                          "        sum += out[j];\n"
                          "      }\n"
                          "    for (j = 0; j < %u; j++)\n"
                          "      out[j] /= sum;\n"
                          "  }\n",
                          k, k, k);
}

/* Layers alternate between two buffers, z0 and z1; the last writes into out. */
static void
append_predict (GString *out, const NnExportModel *m)
{
  const NnLayer *last = &m->layers[m->n_layers - 1];
  guint          width = m->layers[0].n_in, f = 0;

  for (guint l = 0; l + 1 < m->n_layers; l++)
    width = MAX (width, m->layers[l].n_out);

  g_string_append (out, "\nstatic inline void\n" PREFIX "_predict (double x1, double x2, "
                        "double out[" MACRO_PREFIX "_N_OUTPUTS])\n{\n");
  g_string_append_printf (out, "  double z0[%u];\n", width);
  if (m->n_layers > 1)
    g_string_append_printf (out, "  double z1[%u];\n", width);
  g_string_append (out, "  int i, j;\n\n");

  if (!(m->features & (NN_FEATURE_X1 | NN_FEATURE_X1_SQ | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X1)))
    g_string_append (out, "  (void) x1;\n");
  if (!(m->features & (NN_FEATURE_X2 | NN_FEATURE_X2_SQ | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X2)))
    g_string_append (out, "  (void) x2;\n");
  g_string_append (out, "  /* the features: the network's inputs */\n");
  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (m->features & nn_feature_nth (i))
      g_string_append_printf (out, "  z0[%u] = %s;\n", f++, feature_expressions[i]);

  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer   *layer = &m->layers[l];
      g_autofree char *name = nn_export_layer_name (m, l);
      const char      *in = l % 2 == 0 ? "z0" : "z1";
      g_autofree char *dest = NULL;

      if (l + 1 == m->n_layers)
        dest = g_strdup ("out[j]");
      else
        dest = g_strdup_printf ("%s[j]", l % 2 == 0 ? "z1" : "z0");

      g_string_append_printf (out,
                              "\n  /* %s: u = sum of weight * input + bias, then %s */\n"
                              "  for (j = 0; j < %u; j++)\n"
                              "    {\n"
                              "      double u = " PREFIX "_layer%u_bias[j];\n"
                              "      for (i = 0; i < %u; i++)\n"
                              "        u += " PREFIX "_layer%u_weight[j][i] * %s[i];\n",
                              name, nn_activation_to_string (layer->activation), layer->n_out, l,
                              layer->n_in, l, in);
      append_activation (out, layer, dest);
      g_string_append (out, "    }\n");
    }
  if (last->activation == NN_ACTIVATION_SOFTMAX)
    append_softmax (out, last->n_out);
  g_string_append (out, "}\n");
}

GBytes *
nn_export_write_c_header (const NnExportModel *m)
{
  GString         *out = g_string_new (NULL);
  g_autofree char *features = nn_export_features_list (m);
  g_autofree char *activations = nn_export_activations_list (m);

  append_comment (out, m);
  g_string_append (out, "#ifndef " MACRO_PREFIX "_NETWORK_H\n"
                        "#define " MACRO_PREFIX "_NETWORK_H\n\n"
                        "#include <math.h>\n\n");
  g_string_append_printf (out, "#define " MACRO_PREFIX "_FEATURES    \"%s\"\n", features);
  g_string_append_printf (out, "#define " MACRO_PREFIX "_ACTIVATIONS \"%s\"\n", activations);
  g_string_append_printf (out, "#define " MACRO_PREFIX "_N_FEATURES  %u\n", m->layers[0].n_in);
  g_string_append_printf (out, "#define " MACRO_PREFIX "_N_OUTPUTS   %u\n",
                          m->layers[m->n_layers - 1].n_out);
  for (guint l = 0; l < m->n_layers; l++)
    append_arrays (out, m, l);
  append_predict (out, m);
  g_string_append (out, "\n#endif /* " MACRO_PREFIX "_NETWORK_H */\n");
  return g_string_free_to_bytes (out);
}
