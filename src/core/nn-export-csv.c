/* nn-export-csv.c: one row per parameter, for a spreadsheet.
 *
 *   layer,kind,to,from,value
 *   0,weight,0,0,0.5           the weight from input 0 into neuron 0 of layer 0
 *   0,bias,0,,-0.25            neuron 0's bias: no "from"
 *
 * Layers and units count from 0; a layer's weights come row by row (neuron by neuron),
 * then its biases, so the rows follow the engine's flat parameter layout exactly.
 */
#include "nn-export-private.h"

GBytes *
nn_export_write_csv (const NnExportModel *m)
{
  GString *out = g_string_new ("layer,kind,to,from,value\n");

  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer *layer = &m->layers[l];

      for (guint o = 0; o < layer->n_out; o++)
        for (guint i = 0; i < layer->n_in; i++)
          {
            g_string_append_printf (out, "%u,weight,%u,%u,", l, o, i);
            nn_export_append_double (out, m->params[layer->w_offset + (gsize)o * layer->n_in + i]);
            g_string_append_c (out, '\n');
          }
      for (guint o = 0; o < layer->n_out; o++)
        {
          g_string_append_printf (out, "%u,bias,%u,,", l, o);
          nn_export_append_double (out, m->params[layer->b_offset + o]);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free_to_bytes (out);
}
