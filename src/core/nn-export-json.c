/* nn-export-json.c: weights as JSON ("neural-lab-weights", version 1), both ways.
 *
 * Written by hand: json-glib 1.6's generator prints 1e-08 as "1e-08.0", which is not
 * JSON, and cannot promise the shortest text that reads back as the same double. Read
 * with json-glib, whose parser rounds correctly, so a weight survives the round trip bit
 * for bit.
 */
#include "nn-error.h"
#include "nn-export-private.h"
#include "nn-features.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <glib/gi18n-lib.h>

/* ------------------------------------------------------------------------------------ */
/* Writer                                                                               */

static void
append_vector (GString *out, const double *v, guint n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      nn_export_append_double (out, v[i]);
    }
  g_string_append_c (out, ']');
}

static void
append_layer (GString *out, const NnExportModel *m, guint l)
{
  const NnLayer   *layer = &m->layers[l];
  g_autofree char *name = nn_export_layer_name (m, l);

  g_string_append_printf (out,
                          "    {\n"
                          "      \"name\": \"%s\",\n"
                          "      \"inputs\": %u,\n"
                          "      \"units\": %u,\n"
                          "      \"activation\": \"%s\",\n",
                          name, layer->n_in, layer->n_out,
                          nn_activation_to_string (layer->activation));
  if (layer->activation == NN_ACTIVATION_LEAKY_RELU)
    {
      g_string_append (out, "      \"alpha\": ");
      nn_export_append_double (out, layer->alpha);
      g_string_append (out, ",\n");
    }
  /* One row of the [out][in] matrix a line: the weights into one neuron. */
  g_string_append (out, "      \"weight\": [\n");
  for (guint o = 0; o < layer->n_out; o++)
    {
      g_string_append (out, "        ");
      append_vector (out, m->params + layer->w_offset + (gsize)o * layer->n_in, layer->n_in);
      g_string_append (out, o + 1 < layer->n_out ? ",\n" : "\n");
    }
  g_string_append (out, "      ],\n      \"bias\": ");
  append_vector (out, m->params + layer->b_offset, layer->n_out);
  g_string_append_printf (out, "\n    }%s\n", l + 1 < m->n_layers ? "," : "");
}

GBytes *
nn_export_write_json (const NnExportModel *m)
{
  GString *out = g_string_new ("{\n");
  gboolean first = TRUE;

  g_string_append_printf (out, "  \"format\": \"%s\",\n  \"version\": %d,\n", NN_EXPORT_JSON_FORMAT,
                          NN_EXPORT_JSON_VERSION);
  g_string_append_printf (out, "  \"problem\": \"%s\",\n", nn_problem_to_string (m->problem));
  if (m->problem == NN_PROBLEM_CLASSIFICATION)
    g_string_append_printf (out, "  \"classes\": %u,\n", m->classes);

  g_string_append (out, "  \"features\": [");
  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (m->features & nn_feature_nth (i))
      {
        g_string_append_printf (out, "%s\"%s\"", first ? "" : ", ",
                                nn_feature_to_string (nn_feature_nth (i)));
        first = FALSE;
      }
  g_string_append (out, "],\n");

  g_string_append_printf (out, "  \"loss\": \"%s\",\n", nn_loss_to_string (m->loss));
  g_string_append_printf (out, "  \"layer_sizes\": [%u", m->layers[0].n_in);
  for (guint l = 0; l < m->n_layers; l++)
    g_string_append_printf (out, ", %u", m->layers[l].n_out);
  g_string_append_printf (out, "],\n  \"output_activation\": \"%s\",\n",
                          nn_activation_to_string (m->layers[m->n_layers - 1].activation));

  g_string_append (out, "  \"layers\": [\n");
  for (guint l = 0; l < m->n_layers; l++)
    append_layer (out, m, l);
  g_string_append (out, "  ]\n}\n");

  return g_string_free_to_bytes (out);
}

/* ------------------------------------------------------------------------------------ */
/* Reader                                                                               */

static gboolean fail (GError **error, NnError code, const char *name, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, NnError code, const char *name, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list          args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NN_ERROR, code, "%s: %s", name, what);
  return FALSE;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

static const char *
get_string (JsonObject *object, const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* One number of the file into *out; `what` is its JSON path, for the message. */
static gboolean
read_value (JsonNode *node, const char *name, const char *what, double *out, GError **error)
{
  double v;

  if (!is_number (node))
    return fail (error, NN_ERROR_PARSE, name, _("%s is not a number"), what);
  v = json_node_get_double (node);
  if (!isfinite (v))
    return fail (error, NN_ERROR_INVALID, name, _("%s is not finite"), what);
  *out = v;
  return TRUE;
}

static gboolean
read_header (JsonObject *root, const char *name, guint features, GError **error)
{
  const char *format = get_string (root, "format");
  JsonNode   *version = json_object_get_member (root, "version");
  JsonNode   *list = json_object_get_member (root, "features");

  if (format == NULL)
    return fail (error, NN_ERROR_PARSE, name,
                 _("not Neural Lab weights (the string \"format\" is missing)"));
  if (g_strcmp0 (format, "neural-lab") == 0)
    return fail (error, NN_ERROR_PARSE, name,
                 _("a Neural Lab project, not exported weights (open it as a project)"));
  if (g_strcmp0 (format, NN_EXPORT_JSON_FORMAT) != 0)
    return fail (error, NN_ERROR_PARSE, name, _("format is \"%s\", not \"%s\""), format,
                 NN_EXPORT_JSON_FORMAT);
  if (!is_integer (version) || json_node_get_int (version) < 1)
    return fail (error, NN_ERROR_PARSE, name, _("version is missing or not a positive integer"));
  if (json_node_get_int (version) > NN_EXPORT_JSON_VERSION)
    return fail (error, NN_ERROR_UNSUPPORTED, name,
                 _("version %lld is newer than this Neural Lab reads (%d)"),
                 (long long) json_node_get_int (version), NN_EXPORT_JSON_VERSION);

  /* Optional: a file that names its features must name the network's. */
  if (list != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
      guint      mask = 0;

      if (array == NULL)
        return fail (error, NN_ERROR_PARSE, name, _("features is not an array of names"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          NnFeature f;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
              || !nn_feature_from_string (json_node_get_string (item), &f))
            return fail (error, NN_ERROR_PARSE, name,
                         _("features[%u] is not one of x1, x2, x1^2, x2^2, x1*x2, sin(x1), "
                         "sin(x2)"),
                         i);
          mask |= f;
        }
      if (!nn_import_check_features (name, "features", mask, features, error))
        return FALSE;
    }
  return TRUE;
}

/* The [units][inputs] matrix of layer l, every row the same length. */
static gboolean
read_weight (JsonObject *object, const char *name, guint l, const NnLayer *layer, double *w,
             GError **error)
{
  JsonNode  *node = json_object_get_member (object, "weight");
  JsonArray *rows;
  guint      n_rows, n_cols = 0;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, NN_ERROR_PARSE, name,
                 _("layers[%u].weight is missing or not an array of rows"), l);
  rows = json_node_get_array (node);
  n_rows = json_array_get_length (rows);
  for (guint o = 0; o < n_rows; o++)
    {
      JsonNode *row = json_array_get_element (rows, o);
      guint     n;

      if (!JSON_NODE_HOLDS_ARRAY (row))
        return fail (error, NN_ERROR_PARSE, name, _("layers[%u].weight[%u] is not an array"), l, o);
      n = json_array_get_length (json_node_get_array (row));
      if (o == 0)
        n_cols = n;
      else if (n != n_cols)
        return fail (error, NN_ERROR_PARSE, name,
                     _("layers[%u].weight[%u] has %u values, but layers[%u].weight[0] has %u"), l, o,
                     n, l, n_cols);
    }
  if (n_rows != layer->n_out || n_cols != layer->n_in)
    return fail (error, NN_ERROR_SHAPE, name,
                 _("layers[%u].weight has shape [%u,%u], the network needs [%u,%u]"), l, n_rows,
                 n_cols, layer->n_out, layer->n_in);

  for (guint o = 0; o < n_rows; o++)
    {
      JsonArray *row = json_array_get_array_element (rows, o);

      for (guint i = 0; i < n_cols; i++)
        {
          g_autofree char *what = g_strdup_printf ("layers[%u].weight[%u][%u]", l, o, i);

          if (!read_value (json_array_get_element (row, i), name, what, &w[(gsize)o * n_cols + i],
                           error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_bias (JsonObject *object, const char *name, guint l, const NnLayer *layer, double *b,
           GError **error)
{
  JsonNode  *node = json_object_get_member (object, "bias");
  JsonArray *array;
  guint      n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, NN_ERROR_PARSE, name, _("layers[%u].bias is missing or not an array"), l);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n != layer->n_out)
    return fail (error, NN_ERROR_SHAPE, name,
                 _("layers[%u].bias has shape [%u], the network needs [%u]"), l, n, layer->n_out);
  for (guint o = 0; o < n; o++)
    {
      g_autofree char *what = g_strdup_printf ("layers[%u].bias[%u]", l, o);

      if (!read_value (json_array_get_element (array, o), name, what, &b[o], error))
        return FALSE;
    }
  return TRUE;
}

/* "inputs" and "units" only describe the matrix; when present they must agree with it. */
static gboolean
check_size (JsonObject *object, const char *name, guint l, const char *key, guint expected,
            const char *dimension, GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!is_integer (node))
    return fail (error, NN_ERROR_PARSE, name, _("layers[%u].%s is not an integer"), l, key);
  if (json_node_get_int (node) != expected)
    return fail (error, NN_ERROR_PARSE, name,
                 _("layers[%u].%s is %lld, but layers[%u].weight has %u %s"), l, key,
                 (long long) json_node_get_int (node), l, expected, dimension);
  return TRUE;
}

gboolean
nn_import_read_json (GBytes *data, const char *name, guint features, const NnNetwork *net,
                     double *params, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  const char *text;
  gsize       length;
  JsonNode   *root, *layers_node;
  JsonArray  *layers;
  guint       n;

  text = g_bytes_get_data (data, &length);
  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, text, length, &local_error))
    return fail (error, NN_ERROR_PARSE, name, _("not valid JSON: %s"),
                 local_error != NULL ? local_error->message : "too large");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, NN_ERROR_PARSE, name, _("the top level is not a JSON object"));
  if (!read_header (json_node_get_object (root), name, features, error))
    return FALSE;

  layers_node = json_object_get_member (json_node_get_object (root), "layers");
  if (layers_node == NULL || !JSON_NODE_HOLDS_ARRAY (layers_node))
    return fail (error, NN_ERROR_PARSE, name, _("layers is missing or not an array"));
  layers = json_node_get_array (layers_node);
  n = json_array_get_length (layers);
  if (n != net->n_layers)
    return fail (error, NN_ERROR_SHAPE, name,
                 _("layers has %u entries, the network needs %u (its hidden layers and the "
                 "output layer)"),
                 n, net->n_layers);

  for (guint l = 0; l < n; l++)
    {
      JsonNode      *node = json_array_get_element (layers, l);
      const NnLayer *layer = &net->layers[l];
      JsonObject    *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, NN_ERROR_PARSE, name, _("layers[%u] is not an object"), l);
      object = json_node_get_object (node);
      if (!read_weight (object, name, l, layer, params + layer->w_offset, error)
          || !read_bias (object, name, l, layer, params + layer->b_offset, error)
          || !check_size (object, name, l, "inputs", layer->n_in, _("columns"), error)
          || !check_size (object, name, l, "units", layer->n_out, _("rows"), error))
        return FALSE;
    }
  return TRUE;
}
