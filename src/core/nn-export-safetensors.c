/* nn-export-safetensors.c: the Hugging Face safetensors format.
 *
 * An unsigned little-endian 64-bit header length, the header (a JSON object, padded with
 * spaces to a multiple of 8 bytes so the data stays aligned), then the tensors' raw
 * little-endian bytes one after the other. The header maps each tensor's name to
 * {"dtype", "shape", "data_offsets": [begin, end)} (offsets from the start of the data);
 * "__metadata__" maps names to strings, and only strings.
 */
#include "nn-export-private.h"

#include <string.h>

#define ALIGN 8

static void
append_metadata (GString *header, const NnExportModel *m)
{
  g_autofree char *features = nn_export_features_list (m);
  g_autofree char *activations = nn_export_activations_list (m);
  GString         *alphas = g_string_new (NULL);

  for (guint l = 0; l < m->n_layers; l++)
    {
      if (l > 0)
        g_string_append_c (alphas, ',');
      nn_export_append_double (alphas, m->layers[l].alpha);
    }
  g_string_append_printf (header,
                          "\"__metadata__\":{\"format\":\"%s\",\"features\":\"%s\","
                          "\"activations\":\"%s\",\"alphas\":\"%s\",\"problem\":\"%s\","
                          "\"loss\":\"%s\"}",
                          NN_EXPORT_JSON_FORMAT, features, activations, alphas->str,
                          nn_problem_to_string (m->problem), nn_loss_to_string (m->loss));
  g_string_free (alphas, TRUE);
}

static void
append_entry (GString *header, const char *name, const guint *shape, guint n_dims, gsize *offset)
{
  gsize count = 1;

  g_string_append_printf (header, ",\"%s\":{\"dtype\":\"F64\",\"shape\":[", name);
  for (guint d = 0; d < n_dims; d++)
    {
      g_string_append_printf (header, d > 0 ? ",%u" : "%u", shape[d]);
      count *= shape[d];
    }
  g_string_append_printf (header, "],\"data_offsets\":[%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT "]}",
                          *offset, *offset + count * sizeof (double));
  *offset += count * sizeof (double);
}

static void
append_doubles (GByteArray *out, const double *v, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, &v[i], sizeof bits);
      bits = GUINT64_TO_LE (bits);
      g_byte_array_append (out, (const guint8 *)&bits, sizeof bits);
    }
}

GBytes *
nn_export_write_safetensors (const NnExportModel *m)
{
  GString    *header = g_string_new ("{");
  GByteArray *out = g_byte_array_new ();
  gsize       offset = 0;
  guint64     length;

  append_metadata (header, m);
  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer   *layer = &m->layers[l];
      const guint      shape[2] = { layer->n_out, layer->n_in };
      g_autofree char *weight = g_strdup_printf ("layers.%u.weight", l);
      g_autofree char *bias = g_strdup_printf ("layers.%u.bias", l);

      append_entry (header, weight, shape, 2, &offset);
      append_entry (header, bias, shape, 1, &offset);
    }
  g_string_append_c (header, '}');
  while ((8 + header->len) % ALIGN != 0)
    g_string_append_c (header, ' ');

  length = GUINT64_TO_LE ((guint64)header->len);
  g_byte_array_append (out, (const guint8 *)&length, sizeof length);
  g_byte_array_append (out, (const guint8 *)header->str, header->len);
  g_string_free (header, TRUE);

  /* The data in the header's order: each layer's weight, then its bias. */
  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer *layer = &m->layers[l];

      append_doubles (out, m->params + layer->w_offset, (gsize)layer->n_out * layer->n_in);
      append_doubles (out, m->params + layer->b_offset, layer->n_out);
    }
  return g_byte_array_free_to_bytes (out);
}
