/* nn-export.c: the format names, the model every exporter reads, and the entry points.
 *
 * Each format lives in its own file (nn-export-json.c, nn-export-npz.c, …); this one
 * checks what it is given once, so the writers can trust their model.
 */
#include "nn-export.h"
#include "nn-file.h"
#include "nn-error.h"
#include "nn-export-private.h"
#include "nn-features.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>

/* A network of the largest shape is under 50 000 parameters, about 1 MiB as JSON. */
#define MAX_IMPORT_SIZE (64 * 1024 * 1024)

static const struct
{
  const char *name;
  const char *extension;
  gboolean    binary;
} formats[NN_N_EXPORT_FORMATS] = {
  [NN_EXPORT_JSON] = { "json", "json", FALSE },
  [NN_EXPORT_CSV] = { "csv", "csv", FALSE },
  [NN_EXPORT_NPZ] = { "npz", "npz", TRUE },
  [NN_EXPORT_ONNX] = { "onnx", "onnx", TRUE },
  [NN_EXPORT_C_HEADER] = { "c", "h", FALSE },
  [NN_EXPORT_SAFETENSORS] = { "safetensors", "safetensors", TRUE },
};

static const char *const frameworks[NN_N_EXPORT_FRAMEWORKS] = {
  [NN_EXPORT_FRAMEWORK_NUMPY] = "numpy",
  [NN_EXPORT_FRAMEWORK_PYTORCH] = "pytorch",
};

const char *
nn_export_format_to_string (NnExportFormat format)
{
  g_return_val_if_fail (format < NN_N_EXPORT_FORMATS, NULL);

  return formats[format].name;
}

gboolean
nn_export_format_from_string (const char *s, NnExportFormat *out)
{
  g_return_val_if_fail (s != NULL, FALSE);

  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    if (strcmp (s, formats[f].name) == 0)
      {
        if (out != NULL)
          *out = f;
        return TRUE;
      }
  return FALSE;
}

const char *
nn_export_format_extension (NnExportFormat format)
{
  g_return_val_if_fail (format < NN_N_EXPORT_FORMATS, NULL);

  return formats[format].extension;
}

gboolean
nn_export_format_from_path (const char *path, NnExportFormat *out)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    if (g_ascii_strcasecmp (dot + 1, formats[f].extension) == 0)
      {
        if (out != NULL)
          *out = f;
        return TRUE;
      }
  return FALSE;
}

gboolean
nn_export_format_is_binary (NnExportFormat format)
{
  g_return_val_if_fail (format < NN_N_EXPORT_FORMATS, FALSE);

  return formats[format].binary;
}

const char *
nn_export_framework_to_string (NnExportFramework framework)
{
  g_return_val_if_fail (framework < NN_N_EXPORT_FRAMEWORKS, NULL);

  return frameworks[framework];
}

gboolean
nn_export_framework_from_string (const char *s, NnExportFramework *out)
{
  g_return_val_if_fail (s != NULL, FALSE);

  for (guint f = 0; f < NN_N_EXPORT_FRAMEWORKS; f++)
    if (strcmp (s, frameworks[f]) == 0)
      {
        if (out != NULL)
          *out = f;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Shared by the writers                                                                */

void
nn_export_append_double (GString *out, double v)
{
  char                     buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const precisions[] = { "%.15g", "%.16g", "%.17g" };

  g_assert (isfinite (v));

  /* 17 significant digits always read back exactly; fewer often do, and are what a
   * person would write. */
  for (guint i = 0; i < G_N_ELEMENTS (precisions); i++)
    {
      g_ascii_formatd (buf, sizeof buf, precisions[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

char *
nn_export_layer_name (const NnExportModel *m, guint layer)
{
  g_assert (layer < m->n_layers);

  if (layer + 1 == m->n_layers)
    return g_strdup ("output");
  return g_strdup_printf ("hidden%u", layer + 1);
}

char *
nn_export_features_list (const NnExportModel *m)
{
  return nn_features_to_list (m->features);
}

char *
nn_export_activations_list (const NnExportModel *m)
{
  GString *out = g_string_new (NULL);

  for (guint l = 0; l < m->n_layers; l++)
    {
      if (l > 0)
        g_string_append_c (out, ',');
      g_string_append (out, nn_activation_to_string (m->layers[l].activation));
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Entry points                                                                         */

static gboolean
check_finite (const NnExportModel *m, GError **error)
{
  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer *layer = &m->layers[l];

      for (guint o = 0; o < layer->n_out; o++)
        {
          for (guint i = 0; i < layer->n_in; i++)
            {
              double w = m->params[layer->w_offset + (gsize)o * layer->n_in + i];

              if (!isfinite (w))
                {
                  g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                               _("layers.%u.weight[%u][%u] is %s: only finite weights can be "
                               "exported"),
                               l, o, i, isnan (w) ? "NaN" : "infinite");
                  return FALSE;
                }
            }
          if (!isfinite (m->params[layer->b_offset + o]))
            {
              g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                           _("layers.%u.bias[%u] is %s: only finite weights can be exported"), l, o,
                           isnan (m->params[layer->b_offset + o]) ? "NaN" : "infinite");
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Fills the model from the project and the network. With net NULL a network is built from
 * the project's architecture (and its weights when want_params), returned in *owned. */
static gboolean
model_init (NnExportModel *m, const NnProject *project, const NnNetwork *net, gboolean want_params,
            NnNetwork **owned, GError **error)
{
  guint n_features = nn_features_count (project->features);

  if (net == NULL)
    {
      NnNetwork *built;

      if (want_params && project->weights == NULL)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("the project has no trained weights to export"));
          return FALSE;
        }
      built = nn_network_new (&project->arch, 1, error);
      if (built == NULL)
        return FALSE;
      *owned = built;
      if (want_params)
        {
          if (project->n_weights != built->n_params)
            {
              g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                           _("the project holds %zu weights, its network has %zu parameters"),
                           (size_t) project->n_weights, (size_t) built->n_params);
              return FALSE;
            }
          memcpy (built->params, project->weights, built->n_params * sizeof (double));
        }
      net = built;
    }

  if (net->arch.n_inputs != n_features)
    {
      g_autofree char *list = nn_features_to_list (project->features);

      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("the network has %u inputs, but the features %s are %u"), net->arch.n_inputs,
                   list, n_features);
      return FALSE;
    }

  memset (m, 0, sizeof *m);
  m->features = project->features;
  m->problem = project->problem;
  m->classes = project->dataset.classes;
  m->loss = project->loss;
  m->n_layers = net->n_layers;
  memcpy (m->layers, net->layers, sizeof m->layers);
  m->params = want_params ? net->params : NULL;
  m->n_params = net->n_params;
  return !want_params || check_finite (m, error);
}

GBytes *
nn_export_weights (const NnProject *project, const NnNetwork *net, NnExportFormat format,
                   GError **error)
{
  g_autoptr (NnNetwork) owned = NULL;
  NnExportModel m;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (format < NN_N_EXPORT_FORMATS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!model_init (&m, project, net, TRUE, &owned, error))
    return NULL;

  switch (format)
    {
    case NN_EXPORT_JSON:
      return nn_export_write_json (&m);
    case NN_EXPORT_CSV:
      return nn_export_write_csv (&m);
    case NN_EXPORT_NPZ:
      return nn_export_write_npz (&m);
    case NN_EXPORT_ONNX:
      return nn_export_write_onnx (&m);
    case NN_EXPORT_C_HEADER:
      return nn_export_write_c_header (&m);
    case NN_EXPORT_SAFETENSORS:
      return nn_export_write_safetensors (&m);
    case NN_N_EXPORT_FORMATS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
nn_export_weights_to_file (const NnProject *project, const NnNetwork *net, NnExportFormat format,
                           const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gconstpointer data;
  gsize         length;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = nn_export_weights (project, net, format, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return nn_write_file_atomically (path, data, length, error);
}

char *
nn_export_python_snippet (const NnProject *project, NnExportFormat format,
                          NnExportFramework framework, const char *path)
{
  g_autoptr (NnNetwork) owned = NULL;
  g_autoptr (GError) error = NULL;
  NnExportModel m;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (format < NN_N_EXPORT_FORMATS, NULL);
  g_return_val_if_fail (framework < NN_N_EXPORT_FRAMEWORKS, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!model_init (&m, project, NULL, FALSE, &owned, &error))
    {
      g_critical ("%s: the project is not valid: %s", G_STRFUNC, error->message);
      return NULL;
    }
  return nn_export_write_snippet (&m, format, framework, path);
}

/* ------------------------------------------------------------------------------------ */
/* Import                                                                               */

gboolean
nn_import_check_features (const char *name, const char *key, guint file_features, guint features,
                          GError **error)
{
  g_autofree char *have = NULL, *want = NULL;

  if (features == 0 || file_features == features)
    return TRUE;
  have = nn_features_to_list (file_features);
  want = nn_features_to_list (features);
  g_set_error (error, NN_ERROR, NN_ERROR_SHAPE, _("%s: %s are %s, the network uses %s"), name, key,
               have, want);
  return FALSE;
}

gboolean
nn_import_weights_from_bytes (GBytes *data, const char *name, guint features,
                              const NnArchitecture *arch, double *params_out, GError **error)
{
  g_autoptr (NnNetwork) net = NULL;
  const guint8 *p;
  gsize         length, i = 0;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (arch != NULL, FALSE);
  g_return_val_if_fail (params_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The network is built for its layout only: it reads straight into its parameters,
   * which reach params_out only when the whole file was good. */
  net = nn_network_new (arch, 1, error);
  if (net == NULL)
    return FALSE;

  p = g_bytes_get_data (data, &length);
  if (length >= 4 && memcmp (p, "PK\003\004", 4) == 0)
    {
      if (!nn_import_read_npz (data, name, features, net, net->params, error))
        return FALSE;
    }
  else
    {
      /* JSON may start with a UTF-8 byte order mark and white space. */
      if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
        i = 3;
      while (i < length && g_ascii_isspace (p[i]))
        i++;
      if (i == length || p[i] != '{')
        {
          g_set_error (error, NN_ERROR, NN_ERROR_PARSE,
                       _("%s: neither JSON weights nor a NumPy .npz archive"), name);
          return FALSE;
        }
      if (!nn_import_read_json (data, name, features, net, net->params, error))
        return FALSE;
    }
  memcpy (params_out, net->params, net->n_params * sizeof (double));
  return TRUE;
}

gboolean
nn_import_weights (const char *path, guint features, const NnArchitecture *arch, double *params_out,
                   GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize    length;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!nn_file_read_regular (path, MAX_IMPORT_SIZE,
                             _("%s: the file is too large to be weights (at most %d MiB)"),
                             &contents, &length, error))
    return FALSE;
  name = g_filename_display_name (path);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return nn_import_weights_from_bytes (bytes, name, features, arch, params_out, error);
}
