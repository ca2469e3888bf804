/* nn-export-snippet.c: short Python programs that load an export and predict with it.
 *
 * Each defines predict(x1, x2), returning the network's outputs for one point as the app
 * computes them, and prints one prediction. The NumPy ones spell out the course's two
 * steps for every layer (u = W z + b, then z = F(u)); the PyTorch ones build the same
 * network as an nn.Sequential of Linear layers and load the weights into it. The features
 * are computed from the point first, except in ONNX, whose graph includes them.
 */
#include "nn-export-private.h"
#include "nn-features.h"

/* The Python expression for each feature, in the engine's order; SIN is "np" or "math". */
static const char *const feature_expressions[NN_N_FEATURES] = {
  "x1", "x2", "x1 * x1", "x2 * x2", "x1 * x2", "SIN.sin(x1)", "SIN.sin(x2)",
};

/* A Python string literal for the path, which the program opens. */
static void
append_python_string (GString *out, const char *path)
{
  g_autofree char *text = g_filename_display_name (path);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_features (GString *out, const NnExportModel *m, const char *sin_module)
{
  gboolean first = TRUE;

  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (m->features & nn_feature_nth (i))
      {
        g_autofree char *expression = NULL;
        g_auto (GStrv) parts = g_strsplit (feature_expressions[i], "SIN", 2);

        expression = g_strjoinv (sin_module, parts);
        g_string_append_printf (out, "%s%s", first ? "" : ", ", expression);
        first = FALSE;
      }
}

static void
append_heading (GString *out, const NnExportModel *m, NnExportFormat format)
{
  g_autofree char *features = nn_export_features_list (m);

  g_string_append_printf (out,
                          "# Loads the weights Neural Lab exported (%s) and computes the "
                          "network's\n# prediction for a point (x1, x2) as the app does%s.\n"
                          "# Network: features %s",
                          nn_export_format_to_string (format),
                          format == NN_EXPORT_ONNX ? " (in float32, as ONNX stores it)" : "",
                          features);
  for (guint l = 0; l < m->n_layers; l++)
    g_string_append_printf (out, " -> %u %s", m->layers[l].n_out,
                            nn_activation_to_string (m->layers[l].activation));
  g_string_append_c (out, '\n');
}

/* The standard library first, then the rest, as PEP 8 orders them. */
static void
append_imports (GString *out, NnExportFormat format, NnExportFramework framework)
{
  gboolean pytorch = framework == NN_EXPORT_FRAMEWORK_PYTORCH;

  if (format == NN_EXPORT_JSON)
    g_string_append (out, "import json\n");
  if (format == NN_EXPORT_CSV)
    g_string_append (out, "import csv\n");
  if (pytorch)
    g_string_append (out, "import math\n");
  if (format == NN_EXPORT_JSON || format == NN_EXPORT_CSV || pytorch)
    g_string_append_c (out, '\n');
  if (!pytorch || format != NN_EXPORT_SAFETENSORS)
    g_string_append (out, "import numpy as np\n");
  if (format == NN_EXPORT_ONNX)
    g_string_append (out, "import onnxruntime as ort\n");
  if (pytorch)
    g_string_append (out, "import torch\n");
  if (format == NN_EXPORT_SAFETENSORS)
    g_string_append_printf (out, "from safetensors.%s import load_file\n",
                            pytorch ? "torch" : "numpy");
  if (pytorch)
    g_string_append (out, "from torch import nn\n");
}

/* Code that leaves the tensors in a dict-like `weights`, name -> array. */
static void
append_loader (GString *out, const NnExportModel *m, NnExportFormat format, const char *path)
{
  switch (format)
    {
    case NN_EXPORT_NPZ:
      g_string_append (out, "\nweights = np.load(");
      append_python_string (out, path);
      g_string_append (out, ")\n");
      break;
    case NN_EXPORT_SAFETENSORS:
      g_string_append (out, "\nweights = load_file(");
      append_python_string (out, path);
      g_string_append (out, ")\n");
      break;
    case NN_EXPORT_JSON:
      g_string_append (out, "\nwith open(");
      append_python_string (out, path);
      g_string_append (out, ") as f:\n"
                            "    exported = json.load(f)\n"
                            "weights = {}\n"
                            "for n, layer in enumerate(exported[\"layers\"]):\n"
                            "    weights[f\"layers.{n}.weight\"] = np.array(layer[\"weight\"])\n"
                            "    weights[f\"layers.{n}.bias\"] = np.array(layer[\"bias\"])\n");
      break;
    case NN_EXPORT_CSV:
      g_string_append (out, "\nweights = {\n");
      for (guint l = 0; l < m->n_layers; l++)
        g_string_append_printf (out,
                                "    \"layers.%u.weight\": np.zeros((%u, %u)),\n"
                                "    \"layers.%u.bias\": np.zeros(%u),\n",
                                l, m->layers[l].n_out, m->layers[l].n_in, l, m->layers[l].n_out);
      g_string_append (out, "}\nwith open(");
      append_python_string (out, path);
      g_string_append (out, ", newline=\"\") as f:\n"
                            "    for row in csv.DictReader(f):\n"
                            "        tensor = weights[f\"layers.{row['layer']}.{row['kind']}\"]\n"
                            "        if row[\"kind\"] == \"weight\":\n"
                            "            tensor[int(row[\"to\"]), int(row[\"from\"])] = "
                            "float(row[\"value\"])\n"
                            "        else:\n"
                            "            tensor[int(row[\"to\"])] = float(row[\"value\"])\n");
      break;
    case NN_EXPORT_ONNX:
    case NN_EXPORT_C_HEADER:
    case NN_N_EXPORT_FORMATS:
    default:
      g_assert_not_reached ();
    }
}

/* z = F(u) in NumPy. */
static void
append_numpy_activation (GString *out, const NnLayer *layer)
{
  switch (layer->activation)
    {
    case NN_ACTIVATION_IDENTITY:
      g_string_append (out, "    z = u\n");
      break;
    case NN_ACTIVATION_RELU:
      g_string_append (out, "    z = np.maximum(u, 0.0)\n");
      break;
    case NN_ACTIVATION_LEAKY_RELU:
      g_string_append (out, "    z = np.where(u > 0.0, u, ");
      nn_export_append_double (out, layer->alpha);
      g_string_append (out, " * u)\n");
      break;
    case NN_ACTIVATION_SIGMOID:
      g_string_append (out, "    z = 1.0 / (1.0 + np.exp(-u))\n");
      break;
    case NN_ACTIVATION_TANH:
      g_string_append (out, "    z = np.tanh(u)\n");
      break;
    case NN_ACTIVATION_SOFTMAX:
      g_string_append (out, "    e = np.exp(u - u.max())  # minus the largest: exp stays finite\n"
                            "    z = e / e.sum()\n");
      break;
    case NN_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
append_numpy (GString *out, const NnExportModel *m, NnExportFormat format, const char *path)
{
  if (format == NN_EXPORT_ONNX)
    {
      g_string_append (out, "\nsession = ort.InferenceSession(\n    ");
      append_python_string (out, path);
      g_string_append (out,
                       ", providers=[\"CPUExecutionProvider\"])\n"
                       "\n\n"
                       "def predict(x1, x2):\n"
                       "    \"\"\"The network's outputs for the point (x1, x2).\"\"\"\n"
                       "    # The ONNX graph computes the features itself: it takes the point.\n"
                       "    point = np.array([[x1, x2]], dtype=np.float32)\n"
                       "    return session.run([\"output\"], {\"input\": point})[0][0]\n");
      return;
    }

  append_loader (out, m, format, path);
  g_string_append (out, "\n\n"
                        "def predict(x1, x2):\n"
                        "    \"\"\"The network's outputs for the point (x1, x2).\"\"\"\n"
                        "    z = np.array([");
  append_features (out, m, "np");
  g_string_append (out, "])  # the features\n");
  for (guint l = 0; l < m->n_layers; l++)
    {
      g_autofree char *name = nn_export_layer_name (m, l);

      g_string_append_printf (out,
                              "    u = weights[\"layers.%u.weight\"] @ z + "
                              "weights[\"layers.%u.bias\"]  # %s\n",
                              l, l, name);
      append_numpy_activation (out, &m->layers[l]);
    }
  g_string_append (out, "    return z\n");
}

/* The nn.Module after layer l's Linear, or NULL for the identity. */
static char *
torch_activation (const NnLayer *layer)
{
  switch (layer->activation)
    {
    case NN_ACTIVATION_IDENTITY:
      return NULL;
    case NN_ACTIVATION_RELU:
      return g_strdup ("nn.ReLU()");
    case NN_ACTIVATION_LEAKY_RELU:
      {
        GString *s = g_string_new ("nn.LeakyReLU(");

        nn_export_append_double (s, layer->alpha);
        g_string_append_c (s, ')');
        return g_string_free (s, FALSE);
      }
    case NN_ACTIVATION_SIGMOID:
      return g_strdup ("nn.Sigmoid()");
    case NN_ACTIVATION_TANH:
      return g_strdup ("nn.Tanh()");
    case NN_ACTIVATION_SOFTMAX:
      return g_strdup ("nn.Softmax(dim=1)");
    case NN_N_ACTIVATIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
append_pytorch (GString *out, const NnExportModel *m, NnExportFormat format, const char *path)
{
  append_loader (out, m, format, path);

  g_string_append (out, "\nmodel = nn.Sequential(\n");
  for (guint l = 0; l < m->n_layers; l++)
    {
      g_autofree char *name = nn_export_layer_name (m, l);
      g_autofree char *activation = torch_activation (&m->layers[l]);

      g_string_append_printf (out, "    nn.Linear(%u, %u),", m->layers[l].n_in, m->layers[l].n_out);
      if (activation != NULL)
        g_string_append_printf (out, " %s,", activation);
      g_string_append_printf (out, "  # %s\n", name);
    }
  g_string_append (out,
                   ").double()\n"
                   "linears = [module for module in model if isinstance(module, nn.Linear)]\n"
                   "with torch.no_grad():\n"
                   "    for n, linear in enumerate(linears):\n"
                   "        linear.weight.copy_(torch.as_tensor(weights[f\"layers.{n}.weight\"]))\n"
                   "        linear.bias.copy_(torch.as_tensor(weights[f\"layers.{n}.bias\"]))\n"
                   "model.eval()\n"
                   "\n\n"
                   "def predict(x1, x2):\n"
                   "    \"\"\"The network's outputs for the point (x1, x2).\"\"\"\n"
                   "    x = torch.tensor([[");
  append_features (out, m, "math");
  g_string_append (out, "]], dtype=torch.float64)  # the features\n"
                        "    with torch.no_grad():\n"
                        "        return model(x)[0].numpy()\n");
}

char *
nn_export_write_snippet (const NnExportModel *m, NnExportFormat format, NnExportFramework framework,
                         const char *path)
{
  GString *out;

  if (format == NN_EXPORT_C_HEADER
      || (format == NN_EXPORT_ONNX && framework == NN_EXPORT_FRAMEWORK_PYTORCH))
    return NULL;

  out = g_string_new (NULL);
  append_heading (out, m, format);
  append_imports (out, format, framework);
  if (framework == NN_EXPORT_FRAMEWORK_NUMPY)
    append_numpy (out, m, format, path);
  else
    append_pytorch (out, m, format, path);
  g_string_append (out, "\n\nprint(predict(1.0, -2.0))\n");
  return g_string_free (out, FALSE);
}
