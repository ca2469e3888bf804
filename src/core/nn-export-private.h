/* nn-export-private.h: what the exporters of each format share. */
#pragma once

#include <glib.h>
#include "nn-export.h"

G_BEGIN_DECLS

/* The network as the exporters see it: the project's vocabulary around the network's
 * layers. params is NULL when only the architecture is wanted (the Python snippets). */
typedef struct
{
  guint         features; /* NnFeature mask, in the network's input order */
  NnProblem     problem;
  guint         classes;
  NnLoss        loss;
  guint         n_layers; /* hidden layers + the output layer */
  NnLayer       layers[NN_MAX_LAYERS];
  const double *params;
  gsize         n_params;
} NnExportModel;

/* Appends the shortest decimal text that reads back as exactly v, always with a '.' or
 * an exponent ("3.0", "-0.0", "0.1", "1e-300"), so it is a floating-point literal in
 * JSON, CSV, C and Python alike. v must be finite. */
void     nn_export_append_double     (GString *out, double v);
/* "hidden1", "hidden2", …, "output": the layer's name in the ONNX graph and comments. */
char    *nn_export_layer_name        (const NnExportModel *m, guint layer);
/* The features as "x1,x2,sin(x1)" and the activations as "tanh,relu,sigmoid". */
char    *nn_export_features_list     (const NnExportModel *m);
char    *nn_export_activations_list  (const NnExportModel *m);

GBytes  *nn_export_write_json        (const NnExportModel *m);
GBytes  *nn_export_write_csv         (const NnExportModel *m);
GBytes  *nn_export_write_npz         (const NnExportModel *m);
GBytes  *nn_export_write_onnx        (const NnExportModel *m);
GBytes  *nn_export_write_c_header    (const NnExportModel *m);
GBytes  *nn_export_write_safetensors (const NnExportModel *m);
char    *nn_export_write_snippet     (const NnExportModel *m, NnExportFormat format,
                                      NnExportFramework framework, const char *path);

/* Readers fill params (net->n_params values, net's flat layout) from a file's contents.
 * They may leave params half-written on failure: the caller reads into a scratch copy. */
gboolean nn_import_read_json         (GBytes *data, const char *name, guint features,
                                      const NnNetwork *net, double *params, GError **error);
gboolean nn_import_read_npz          (GBytes *data, const char *name, guint features,
                                      const NnNetwork *net, double *params, GError **error);
/* The common check of the features a file names against the network's (0: no check). */
gboolean nn_import_check_features    (const char *name, const char *key, guint file_features,
                                      guint features, GError **error);

G_END_DECLS
