/* export-fixture.c: writes exports and the app's own predictions for the Python checks.
 *
 *   export-fixture write DIR         one folder a network: weights.{json,csv,npz,onnx,h,
 *                                    safetensors}, snippet-FORMAT-FRAMEWORK.py, points.csv
 *                                    (x1,x2), predictions.csv (the app's outputs for those
 *                                    points, %.17g), info.json (the architecture); and
 *                                    DIR/cases.txt naming the folders.
 *   export-fixture import CASE FILE  imports FILE into network CASE; exit status 0 when
 *                                    the weights read are bit for bit the network's own.
 */
#include "nn-export.h"
#include "nn-features.h"
#include "nn-trainer.h"
#include "test-utils.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const TestNetCase cases[] = {
  {
      .name = "tanh-relu-sigmoid",
      .features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X1,
      .n_hidden = 2,
      .units = { 3, 2 },
      .activation = { NN_ACTIVATION_TANH, NN_ACTIVATION_RELU },
      .output = NN_ACTIVATION_SIGMOID,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 2,
      .loss = NN_LOSS_CROSS_ENTROPY,
  },
  {
      .name = "leaky-tanh-softmax",
      .features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X2,
      .n_hidden = 2,
      .units = { 6, 4 },
      .activation = { NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_TANH },
      .alpha = { 0.05, 0.01 },
      .output = NN_ACTIVATION_SOFTMAX,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 4,
      .loss = NN_LOSS_CROSS_ENTROPY,
  },
  {
      .name = "all-features-regression",
      .features = NN_FEATURES_ALL,
      .n_hidden = 2,
      .units = { 5, 3 },
      .activation = { NN_ACTIVATION_SIGMOID, NN_ACTIVATION_RELU },
      .output = NN_ACTIVATION_IDENTITY,
      .problem = NN_PROBLEM_REGRESSION,
      .classes = 2,
      .loss = NN_LOSS_MSE,
  },
  {
      .name = "squares-logistic",
      .features = NN_FEATURE_X1_SQ | NN_FEATURE_X2_SQ,
      .output = NN_ACTIVATION_SIGMOID,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 2,
      .loss = NN_LOSS_CROSS_ENTROPY,
  },
  {
      .name = "x1-linear-regression",
      .features = NN_FEATURE_X1,
      .output = NN_ACTIVATION_IDENTITY,
      .problem = NN_PROBLEM_REGRESSION,
      .classes = 2,
      .loss = NN_LOSS_MSE,
  },
  {
      .name = "identity-hidden-tanh",
      .features = NN_FEATURE_X1 | NN_FEATURE_X2,
      .n_hidden = 1,
      .units = { 3 },
      .activation = { NN_ACTIVATION_IDENTITY },
      .output = NN_ACTIVATION_TANH,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 2,
      .loss = NN_LOSS_MSE,
  },
};

#define N_POINTS 40

static const TestNetCase *
find_case (const char *name)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    if (strcmp (cases[c].name, name) == 0)
      return &cases[c];
  return NULL;
}

/* The case's project with weights from a fixed seed, scaled so few units saturate. */
static NnProject *
case_project (const TestNetCase *c)
{
  NnProject *p = test_net_case_project (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnNetwork) net = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (2024);

  net = nn_network_new (&p->arch, 1, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer *layer = &net->layers[l];
      double         scale = 2.0 / sqrt (layer->n_in);

      for (gsize i = 0; i < (gsize)layer->n_out * layer->n_in; i++)
        net->params[layer->w_offset + i] = scale * g_rand_double_range (rand, -1.0, 1.0);
      for (guint i = 0; i < layer->n_out; i++)
        net->params[layer->b_offset + i] = g_rand_double_range (rand, -0.5, 0.5);
    }
  nn_project_set_weights (p, net->params, net->n_params);
  return p;
}

/* Points of the plane on a 1/16 grid, exact in float32 (the ONNX model's precision). */
static void
make_points (double *x1x2)
{
  for (guint i = 0; i < N_POINTS; i++)
    {
      x1x2[2 * i] = -6.0 + (double)((i * 37) % 193) / 16.0;
      x1x2[2 * i + 1] = -6.0 + (double)((i * 101 + 17) % 193) / 16.0;
    }
}

static void
write_text (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s", error->message);
}

static void
write_info (const char *dir, const NnProject *p)
{
  g_autoptr (NnNetwork) net = nn_network_new (&p->arch, 1, NULL);
  g_autofree char *features = nn_features_to_list (p->features);
  g_auto (GStrv) names = g_strsplit (features, ",", -1);
  GString *s = g_string_new ("{\n  \"features\": [");

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (s, "%s\"%s\"", i > 0 ? ", " : "", names[i]);
  g_string_append_printf (s, "],\n  \"outputs\": %u,\n  \"layers\": [\n", p->arch.n_outputs);
  for (guint l = 0; l < net->n_layers; l++)
    {
      char alpha[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (alpha, sizeof alpha, net->layers[l].alpha);
      g_string_append_printf (s,
                              "    {\"inputs\": %u, \"units\": %u, \"activation\": \"%s\", "
                              "\"alpha\": %s}%s\n",
                              net->layers[l].n_in, net->layers[l].n_out,
                              nn_activation_to_string (net->layers[l].activation), alpha,
                              l + 1 < net->n_layers ? "," : "");
    }
  g_string_append (s, "  ]\n}\n");
  write_text (dir, "info.json", s->str);
  g_string_free (s, TRUE);
}

static void
write_case (const char *root, const TestNetCase *c)
{
  g_autoptr (NnProject) p = case_project (c);
  g_autoptr (GError) error = NULL;
  g_autofree char   *dir = g_build_filename (root, c->name, NULL);
  double             x1x2[2 * N_POINTS];
  g_autofree double *out = NULL;
  NnTrainer         *t;
  GString           *points = g_string_new ("x1,x2\n");
  GString           *predictions = g_string_new (NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    g_error ("%s: %s", dir, g_strerror (errno));

  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    {
      g_autofree char *file = g_strconcat ("weights.", nn_export_format_extension (f), NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!nn_export_weights_to_file (p, NULL, f, path, &error))
        g_error ("%s", error->message);
      for (guint fw = 0; fw < NN_N_EXPORT_FRAMEWORKS; fw++)
        {
          g_autofree char *snippet = nn_export_python_snippet (p, f, fw, path);
          g_autofree char *name = NULL;

          if (snippet == NULL)
            continue;
          name = g_strdup_printf ("snippet-%s-%s.py", nn_export_format_to_string (f),
                                  nn_export_framework_to_string (fw));
          write_text (dir, name, snippet);
        }
    }

  /* The app's predictions: the trainer's, from the project's weights. */
  make_points (x1x2);
  out = g_new (double, N_POINTS * p->arch.n_outputs);
  t = nn_trainer_new (p, &error);
  if (t == NULL)
    g_error ("%s", error->message);
  nn_trainer_predict (t, x1x2, N_POINTS, out);
  nn_trainer_free (t);
  for (guint i = 0; i < N_POINTS; i++)
    {
      g_string_append_printf (points, "%.17g,%.17g\n", x1x2[2 * i], x1x2[2 * i + 1]);
      for (guint k = 0; k < p->arch.n_outputs; k++)
        g_string_append_printf (predictions, "%s%.17g", k > 0 ? "," : "",
                                out[i * p->arch.n_outputs + k]);
      g_string_append_c (predictions, '\n');
    }
  write_text (dir, "points.csv", points->str);
  write_text (dir, "predictions.csv", predictions->str);
  g_string_free (points, TRUE);
  g_string_free (predictions, TRUE);
  write_info (dir, p);
}

static int
write_all (const char *root)
{
  GString *names = g_string_new (NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      write_case (root, &cases[c]);
      g_string_append_printf (names, "%s\n", cases[c].name);
    }
  write_text (root, "cases.txt", names->str);
  g_string_free (names, TRUE);
  return 0;
}

static int
import (const char *name, const char *path)
{
  const TestNetCase *c = find_case (name);
  g_autoptr (NnProject) p = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *params = NULL;

  if (c == NULL)
    {
      g_printerr ("no network named %s\n", name);
      return 2;
    }
  p = case_project (c);
  params = g_new0 (double, p->n_weights);
  if (!nn_import_weights (path, p->features, &p->arch, params, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (memcmp (params, p->weights, p->n_weights * sizeof (double)) != 0)
    {
      g_printerr ("%s: the weights read differ from the network's\n", path);
      return 1;
    }
  g_print ("%s: %" G_GSIZE_FORMAT " weights read back exactly\n", path, p->n_weights);
  return 0;
}

int
main (int argc, char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "write") == 0)
    return write_all (argv[2]);
  if (argc == 4 && strcmp (argv[1], "import") == 0)
    return import (argv[2], argv[3]);
  g_printerr ("usage: %s write DIR | import CASE FILE\n", argv[0]);
  return 2;
}
