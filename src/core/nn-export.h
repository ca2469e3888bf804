/* nn-export.h: trained weights out to the tools students use next, and back in.
 *
 * Every format carries the same tensors under the same names: layers.N.weight, [out, in]
 * row-major as PyTorch's Linear.weight, and layers.N.bias, [out], N counting from the
 * first hidden layer (0) to the output layer. The network's inputs are the selected
 * features of the point (x1, x2), always in the engine's order x1, x2, x1^2, x2^2, x1*x2,
 * sin(x1), sin(x2). docs/export-formats.md describes each format.
 *
 *   json         the architecture and every weight, readable ("neural-lab-weights" v1)
 *   csv          layer,kind,to,from,value: one row per parameter, for a spreadsheet
 *   npz          NumPy's zip of .npy arrays (float64), plus features, activations, alphas
 *   onnx         opset 13, float32: the whole function from the point [N,2] to the output,
 *                feature expansion included
 *   c            a C99 header: static const double arrays and a static inline forward
 *   safetensors  the Hugging Face format: float64 tensors, features in the metadata
 */
#pragma once

#include <glib.h>
#include "nn-network.h"
#include "nn-project.h"

G_BEGIN_DECLS

typedef enum
{
  NN_EXPORT_JSON,
  NN_EXPORT_CSV,
  NN_EXPORT_NPZ,
  NN_EXPORT_ONNX,
  NN_EXPORT_C_HEADER,
  NN_EXPORT_SAFETENSORS,
  NN_N_EXPORT_FORMATS
} NnExportFormat;

typedef enum
{
  NN_EXPORT_FRAMEWORK_NUMPY,
  NN_EXPORT_FRAMEWORK_PYTORCH,
  NN_N_EXPORT_FRAMEWORKS
} NnExportFramework;

#define NN_EXPORT_JSON_FORMAT  "neural-lab-weights"
#define NN_EXPORT_JSON_VERSION 1

/* "json", "csv", "npz", "onnx", "c", "safetensors": the names on the command line. */
const char *nn_export_format_to_string      (NnExportFormat format);
gboolean    nn_export_format_from_string    (const char *s, NnExportFormat *out);
/* The file extension without its dot: "json", "csv", "npz", "onnx", "h", "safetensors". */
const char *nn_export_format_extension      (NnExportFormat format);
/* The format a file name's extension implies (case-insensitive); FALSE when none does. */
gboolean    nn_export_format_from_path      (const char *path, NnExportFormat *out);
/* Whether the file is binary (npz, onnx, safetensors) rather than text. */
gboolean    nn_export_format_is_binary      (NnExportFormat format);
const char *nn_export_framework_to_string   (NnExportFramework framework); /* numpy, pytorch */
gboolean    nn_export_framework_from_string (const char *s, NnExportFramework *out);

/* The network in `format`. `project` gives the features, problem, classes and loss; `net`
 * the architecture and the parameters. With net NULL, the project's own architecture and
 * stored weights are exported (NN_ERROR_INVALID when it has none). Fails with
 * NN_ERROR_SHAPE when the network does not fit the project's features, and with
 * NN_ERROR_INVALID when a parameter is NaN or infinite. */
GBytes     *nn_export_weights               (const NnProject *project, const NnNetwork *net,
                                             NnExportFormat format, GError **error);
/* The same, written to `path` atomically (a temporary file renamed over it). */
gboolean    nn_export_weights_to_file       (const NnProject *project, const NnNetwork *net,
                                             NnExportFormat format, const char *path,
                                             GError **error);

/* A short Python program that loads the file `path` exported in `format` and defines
 * predict(x1, x2), which returns the network's outputs for one point as the app computes
 * them (feature expansion included), then prints the prediction for one point. Uses
 * numpy (and json, csv, safetensors or onnxruntime as the format needs), or torch.
 * NULL when there is no such program: the C header, and ONNX with PyTorch (which cannot
 * load ONNX files). The architecture is the project's. Free with g_free. */
char       *nn_export_python_snippet        (const NnProject *project, NnExportFormat format,
                                             NnExportFramework framework, const char *path);

/* Reads weights exported as JSON or .npz (told apart by their contents, whatever the
 * file's name) into params_out, which holds the n_params values of a network of
 * architecture `arch`, in its flat layout. `features` (a NnFeature mask, or 0 not to
 * check) must be the file's features when it names them. On failure params_out is left
 * untouched and the error names the file, the key and the problem:
 *   NN_ERROR_SHAPE        "weights.npz: layers.1.weight has shape [8,4], the network needs
 *                         [8,3]"; another number of layers; other features
 *   NN_ERROR_PARSE        not JSON weights nor an .npz of them, or damaged
 *   NN_ERROR_UNSUPPORTED  a newer format version, a dtype other than float32/float64
 *   NN_ERROR_INVALID      a weight that is NaN or infinite
 *   NN_ERROR_IO           the file cannot be read */
gboolean    nn_import_weights               (const char *path, guint features,
                                             const NnArchitecture *arch, double *params_out,
                                             GError **error);
/* The same from the file's contents; `name` starts the error messages. */
gboolean    nn_import_weights_from_bytes    (GBytes *data, const char *name, guint features,
                                             const NnArchitecture *arch, double *params_out,
                                             GError **error);

G_END_DECLS
