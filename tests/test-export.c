/* test-export.c: weights out in every format and back in, and refused when they don't fit.
 *
 * Each file is read back by code written here from the format's specification, not by the
 * exporter's own reader: the zip directory and CRCs, the .npy headers, the safetensors
 * header, the ONNX protobuf. The C header is compiled and run. numpy, onnx and torch check
 * the same files in tests/export/.
 */
#include "nn-error.h"
#include "nn-export.h"
#include "nn-features.h"
#include "nn-trainer.h"
#include "test-utils.h"
#include "nn-zip.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Networks                                                                             */

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
      .name = "leaky-softmax",
      .features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X2,
      .n_hidden = 1,
      .units = { 4 },
      .activation = { NN_ACTIVATION_LEAKY_RELU },
      .alpha = { 0.05 },
      .output = NN_ACTIVATION_SOFTMAX,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 3,
      .loss = NN_LOSS_CROSS_ENTROPY,
  },
  {
      .name = "all-features-regression",
      .features = NN_FEATURES_ALL,
      .n_hidden = 1,
      .units = { 5 },
      .activation = { NN_ACTIVATION_SIGMOID },
      .output = NN_ACTIVATION_IDENTITY,
      .problem = NN_PROBLEM_REGRESSION,
      .classes = 2,
      .loss = NN_LOSS_MSE,
  },
  {
      .name = "no-hidden-x2",
      .features = NN_FEATURE_X2,
      .output = NN_ACTIVATION_TANH,
      .problem = NN_PROBLEM_CLASSIFICATION,
      .classes = 2,
      .loss = NN_LOSS_MSE,
  },
};

#define N_POINTS 9
/* Multiples of 1/8, exact in float32 too. */
static const double points[N_POINTS][2] = {
  { 0.0, 0.0 },     { 1.0, -2.0 },   { -6.0, 6.0 }, { 5.5, 4.25 },    { -3.125, -0.5 },
  { 2.75, -5.875 }, { -1.5, 3.375 }, { 6.0, -6.0 }, { 0.125, 1.625 },
};

/* The case's project, holding weights drawn from a fixed seed. */
static NnProject *
case_project (const TestNetCase *c)
{
  NnProject *p = test_net_case_project (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnNetwork) net = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  net = nn_network_new (&p->arch, 1, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = g_rand_double_range (rand, -1.5, 1.5);
  nn_project_set_weights (p, net->params, net->n_params);
  return p;
}

static NnNetwork *
project_network (const NnProject *p)
{
  g_autoptr (GError) error = NULL;
  NnNetwork *net = nn_network_new (&p->arch, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (net->n_params, ==, p->n_weights);
  memcpy (net->params, p->weights, p->n_weights * sizeof (double));
  return net;
}

/* The app's predictions for the points, (N_POINTS, n_outputs). */
static double *
predictions (const NnProject *p)
{
  g_autoptr (GError) error = NULL;
  NnTrainer *t = nn_trainer_new (p, &error);
  double    *out = g_new (double, N_POINTS * p->arch.n_outputs);

  g_assert_no_error (error);
  nn_trainer_predict (t, &points[0][0], N_POINTS, out);
  nn_trainer_free (t);
  return out;
}

static GBytes *export(const NnProject *p, NnExportFormat format)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = nn_export_weights (p, NULL, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint
le16 (const guint8 *p)
{
  return p[0] | (guint)p[1] << 8;
}

static double
le_double (const guint8 *p)
{
  guint64 bits = 0;
  double  v;

  for (int i = 7; i >= 0; i--)
    bits = bits << 8 | p[i];
  memcpy (&v, &bits, sizeof v);
  return v;
}

/* memmem is a GNU extension. */
static guint8 *
find_bytes (const guint8 *haystack, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return (guint8 *)haystack + i;
  return NULL;
}

static gboolean
same_double (double a, double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

/* ------------------------------------------------------------------------------------ */
/* Names                                                                                */

static void
test_names (void)
{
  static const char *const names[] = { "json", "csv", "npz", "onnx", "c", "safetensors" };
  static const char *const extensions[] = { "json", "csv", "npz", "onnx", "h", "safetensors" };
  NnExportFormat           f;
  NnExportFramework        fw;

  g_assert_cmpuint (G_N_ELEMENTS (names), ==, NN_N_EXPORT_FORMATS);
  for (guint i = 0; i < NN_N_EXPORT_FORMATS; i++)
    {
      g_autofree char *path = g_strconcat ("/tmp/a.b/weights.", extensions[i], NULL);

      g_assert_cmpstr (nn_export_format_to_string (i), ==, names[i]);
      g_assert_cmpstr (nn_export_format_extension (i), ==, extensions[i]);
      g_assert_true (nn_export_format_from_string (names[i], &f));
      g_assert_cmpuint (f, ==, i);
      g_assert_true (nn_export_format_from_path (path, &f));
      g_assert_cmpuint (f, ==, i);
    }
  g_assert_true (nn_export_format_from_path ("W.NPZ", &f));
  g_assert_cmpuint (f, ==, NN_EXPORT_NPZ);
  g_assert_false (nn_export_format_from_path ("weights", &f));
  g_assert_false (nn_export_format_from_path ("dir.npz/weights", &f));
  g_assert_false (nn_export_format_from_path ("weights.txt", &f));
  g_assert_false (nn_export_format_from_string ("JSON", &f));
  g_assert_true (nn_export_format_is_binary (NN_EXPORT_ONNX));
  g_assert_false (nn_export_format_is_binary (NN_EXPORT_C_HEADER));
  g_assert_true (nn_export_framework_from_string ("pytorch", &fw));
  g_assert_cmpuint (fw, ==, NN_EXPORT_FRAMEWORK_PYTORCH);
  g_assert_cmpstr (nn_export_framework_to_string (NN_EXPORT_FRAMEWORK_NUMPY), ==, "numpy");
}

/* ------------------------------------------------------------------------------------ */
/* JSON                                                                                 */

static void
test_json_content (void)
{
  g_autoptr (NnProject) p = case_project (&cases[1]);
  g_autoptr (GBytes) bytes = export(p, NN_EXPORT_JSON);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root, *layer;
  JsonArray  *layers, *features, *sizes, *row;
  gsize       length;
  const char *text = g_bytes_get_data (bytes, &length);

  g_assert_true (json_parser_load_from_data (parser, text, length, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "neural-lab-weights");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "problem"), ==, "classification");
  g_assert_cmpint (json_object_get_int_member (root, "classes"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (root, "loss"), ==, "cross_entropy");
  g_assert_cmpstr (json_object_get_string_member (root, "output_activation"), ==, "softmax");
  features = json_object_get_array_member (root, "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (features, 2), ==, "x1*x2");
  g_assert_cmpstr (json_array_get_string_element (features, 3), ==, "sin(x2)");
  sizes = json_object_get_array_member (root, "layer_sizes");
  g_assert_cmpuint (json_array_get_length (sizes), ==, 3);
  g_assert_cmpint (json_array_get_int_element (sizes, 0), ==, 4);
  g_assert_cmpint (json_array_get_int_element (sizes, 1), ==, 4);
  g_assert_cmpint (json_array_get_int_element (sizes, 2), ==, 3);

  layers = json_object_get_array_member (root, "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, 2);
  layer = json_array_get_object_element (layers, 0);
  g_assert_cmpstr (json_object_get_string_member (layer, "name"), ==, "hidden1");
  g_assert_cmpstr (json_object_get_string_member (layer, "activation"), ==, "leaky_relu");
  g_assert_cmpfloat (json_object_get_double_member (layer, "alpha"), ==, 0.05);
  g_assert_cmpint (json_object_get_int_member (layer, "inputs"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (layer, "units"), ==, 4);
  row = json_array_get_array_element (json_object_get_array_member (layer, "weight"), 1);
  /* weight[1][2]: from input 2 into neuron 1, at [out][in] in the flat layout. */
  g_assert_cmpfloat (json_array_get_double_element (row, 2), ==, p->weights[1 * 4 + 2]);
  layer = json_array_get_object_element (layers, 1);
  g_assert_cmpstr (json_object_get_string_member (layer, "name"), ==, "output");
  g_assert_false (json_object_has_member (layer, "alpha"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (layer, "bias")), ==, 3);
}

/* Awkward doubles survive the text round trip bit for bit. */
static void
test_json_round_trip (void)
{
  static const double awkward[] = { -0.0,
                                    0.1,
                                    1.0 / 3.0,
                                    1e-300,
                                    5e-324,
                                    1e300,
                                    -123456.789,
                                    2.0,
                                    0.30000000000000004,
                                    4.35,
                                    -1e-8,
                                    1e22,
                                    9007199254740992.0 };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree double *back = g_new0 (double, p->n_weights);

      for (guint i = 0; i < G_N_ELEMENTS (awkward) && i < p->n_weights; i++)
        p->weights[i] = awkward[i];
      bytes = export(p, NN_EXPORT_JSON);
      g_assert_true (nn_import_weights_from_bytes (bytes, "weights.json", p->features, &p->arch,
                                                   back, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (back, p->n_weights * sizeof (double), p->weights,
                       p->n_weights * sizeof (double));
    }
}

/* ------------------------------------------------------------------------------------ */
/* CSV                                                                                  */

static void
test_csv (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autoptr (NnNetwork) net = project_network (p);
      g_autoptr (GBytes) bytes = export(p, NN_EXPORT_CSV);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      guint n_rows = 0;
      gsize seen = 0;

      g_assert_true (g_str_has_suffix (text, "\n"));
      g_assert_cmpstr (lines[0], ==, "layer,kind,to,from,value");
      for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
        {
          g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
          guint  l, to;
          double v;
          gsize  at;

          g_assert_cmpuint (g_strv_length (f), ==, 5);
          l = atoi (f[0]);
          to = atoi (f[2]);
          v = g_ascii_strtod (f[4], NULL);
          g_assert_cmpuint (l, <, net->n_layers);
          if (strcmp (f[1], "weight") == 0)
            at = net->layers[l].w_offset + (gsize)to * net->layers[l].n_in + atoi (f[3]);
          else
            {
              g_assert_cmpstr (f[1], ==, "bias");
              g_assert_cmpstr (f[3], ==, "");
              at = net->layers[l].b_offset + to;
            }
          /* Rows follow the flat layout, and every value reads back exactly. */
          g_assert_cmpuint (at, ==, seen);
          g_assert_true (same_double (v, p->weights[at]));
          seen++;
          n_rows++;
        }
      g_assert_cmpuint (n_rows, ==, p->n_weights);
      g_assert_cmpuint (g_strv_length (lines), ==, p->n_weights + 2); /* + header + last "" */
    }
}

/* ------------------------------------------------------------------------------------ */
/* NumPy .npz                                                                           */

/* CRC-32 bit by bit, independently of the exporter's table. */
static guint32
slow_crc32 (const guint8 *p, gsize n)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      crc ^= p[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static void
test_crc32 (void)
{
  g_assert_cmphex (nn_crc32 (0, "123456789", 9), ==, 0xcbf43926);
  g_assert_cmphex (nn_crc32 (nn_crc32 (0, "1234", 4), "56789", 5), ==, 0xcbf43926);
  g_assert_cmphex (nn_crc32 (0, "", 0), ==, 0);
  g_assert_cmphex (slow_crc32 ((const guint8 *)"123456789", 9), ==, 0xcbf43926);
}

typedef struct
{
  char         *name;
  const guint8 *data;
  gsize         size;
} ZipMember;

static void
zip_member_clear (gpointer data)
{
  g_free (((ZipMember *)data)->name);
}

/* Walks the archive as a reader following APPNOTE would: end record, then central
 * directory, then each local header. Checks every CRC. */
static GArray *
parse_zip (GBytes *bytes)
{
  gsize         length;
  const guint8 *z = g_bytes_get_data (bytes, &length);
  const guint8 *end, *dir;
  guint         n;
  GArray       *members = g_array_new (FALSE, TRUE, sizeof (ZipMember));

  g_array_set_clear_func (members, zip_member_clear);
  g_assert_cmpuint (length, >=, 22);
  end = z + length - 22; /* no archive comment */
  g_assert_cmphex (le32 (end), ==, 0x06054b50);
  n = le16 (end + 10);
  g_assert_cmpuint (le16 (end + 8), ==, n);
  g_assert_cmpuint (le32 (end + 16) + le32 (end + 12), ==, length - 22);
  dir = z + le32 (end + 16);

  for (guint i = 0; i < n; i++)
    {
      ZipMember     m;
      const guint8 *local;
      guint         name_length = le16 (dir + 28);

      g_assert_cmphex (le32 (dir), ==, 0x02014b50);
      g_assert_cmpuint (le16 (dir + 10), ==, 0);               /* stored */
      g_assert_cmpuint (le32 (dir + 20), ==, le32 (dir + 24)); /* sizes */
      local = z + le32 (dir + 42);
      g_assert_cmphex (le32 (local), ==, 0x04034b50);
      g_assert_cmpuint (le32 (local + 14), ==, le32 (dir + 16)); /* CRC */
      g_assert_cmpuint (le32 (local + 22), ==, le32 (dir + 24)); /* size */
      g_assert_cmpmem (local + 30, le16 (local + 26), dir + 46, name_length);
      m.name = g_strndup ((const char *)dir + 46, name_length);
      m.data = local + 30 + le16 (local + 26) + le16 (local + 28);
      m.size = le32 (dir + 24);
      g_assert_cmphex (slow_crc32 (m.data, m.size), ==, le32 (dir + 16));
      g_array_append_val (members, m);
      dir += 46 + name_length + le16 (dir + 30) + le16 (dir + 32);
    }
  g_assert_true (dir == z + le32 (end + 16) + le32 (end + 12));
  return members;
}

static const ZipMember *
find_member (GArray *members, const char *name)
{
  for (guint i = 0; i < members->len; i++)
    if (strcmp (g_array_index (members, ZipMember, i).name, name) == 0)
      return &g_array_index (members, ZipMember, i);
  g_error ("no member %s", name);
  return NULL;
}

/* The member's .npy header must be exactly `dict` (padded); returns its data. */
static const guint8 *
check_npy (const ZipMember *m, const char *dict, gsize data_size)
{
  guint            header_length = le16 (m->data + 8);
  g_autofree char *header = NULL;

  g_assert_cmpmem (m->data, 8, "\x93NUMPY\x01\x00", 8);
  g_assert_cmpuint ((10 + header_length) % 64, ==, 0);
  header = g_strndup ((const char *)m->data + 10, header_length);
  g_assert_true (g_str_has_prefix (header, dict));
  g_assert_true (g_str_has_suffix (header, "\n"));
  for (gsize i = strlen (dict); i + 1 < header_length; i++)
    g_assert_cmpint (header[i], ==, ' ');
  g_assert_cmpuint (m->size, ==, 10 + header_length + data_size);
  return m->data + 10 + header_length;
}

static void
check_npy_strings (const ZipMember *m, const char *const *items, guint n, guint width)
{
  g_autofree char *dict = g_strdup_printf ("{'descr': '<U%u', 'fortran_order': False, "
                                           "'shape': (%u,), }",
                                           width, n);
  const guint8    *data = check_npy (m, dict, (gsize)n * width * 4);

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < width; c++)
      g_assert_cmpuint (le32 (data + 4 * ((gsize)i * width + c)), ==,
                        c < strlen (items[i]) ? (guchar)items[i][c] : 0);
}

static void
test_npz_layout (void)
{
  g_autoptr (NnProject) p = case_project (&cases[0]);
  g_autoptr (NnNetwork) net = project_network (p);
  g_autoptr (GBytes) bytes = export(p, NN_EXPORT_NPZ);
  g_autoptr (GArray) members = parse_zip (bytes);
  static const char *const features[] = { "x1", "x2", "sin(x1)" };
  static const char *const activations[] = { "tanh", "relu", "sigmoid" };
  const guint8            *data;

  /* 3 layers × (weight, bias) + features, activations, alphas */
  g_assert_cmpuint (members->len, ==, 9);
  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer   *layer = &net->layers[l];
      g_autofree char *weight = g_strdup_printf ("layers.%u.weight.npy", l);
      g_autofree char *bias = g_strdup_printf ("layers.%u.bias.npy", l);
      g_autofree char *weight_dict
          = g_strdup_printf ("{'descr': '<f8', 'fortran_order': False, 'shape': (%u, %u), }",
                             layer->n_out, layer->n_in);
      g_autofree char *bias_dict = g_strdup_printf (
          "{'descr': '<f8', 'fortran_order': False, 'shape': (%u,), }", layer->n_out);

      data = check_npy (find_member (members, weight), weight_dict,
                        (gsize)layer->n_out * layer->n_in * 8);
      for (guint i = 0; i < layer->n_out * layer->n_in; i++)
        g_assert_true (same_double (le_double (data + 8 * i), net->params[layer->w_offset + i]));
      data = check_npy (find_member (members, bias), bias_dict, (gsize)layer->n_out * 8);
      for (guint i = 0; i < layer->n_out; i++)
        g_assert_true (same_double (le_double (data + 8 * i), net->params[layer->b_offset + i]));
    }
  check_npy_strings (find_member (members, "features.npy"), features, 3, 7);
  check_npy_strings (find_member (members, "activations.npy"), activations, 3, 7);
  data = check_npy (find_member (members, "alphas.npy"),
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 24);
  g_assert_cmpfloat (le_double (data), ==, 0.01);

  /* The same network always gives the same archive. */
  {
    g_autoptr (GBytes) again = export(p, NN_EXPORT_NPZ);

    g_assert_true (g_bytes_equal (bytes, again));
  }
}

static void
test_npz_round_trip (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autoptr (GBytes) bytes = export(p, NN_EXPORT_NPZ);
      g_autoptr (GError) error = NULL;
      g_autofree double *back = g_new0 (double, p->n_weights);

      g_assert_true (
          nn_import_weights_from_bytes (bytes, "weights.npz", p->features, &p->arch, back, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (back, p->n_weights * sizeof (double), p->weights,
                       p->n_weights * sizeof (double));
    }
}

/* ------------------------------------------------------------------------------------ */
/* The zip reader on archives other writers make                                        */

static void
put16 (GByteArray *a, guint v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (a, b, 4);
}

static void
put64 (GByteArray *a, guint64 v)
{
  put32 (a, v & 0xffffffffu);
  put32 (a, v >> 32);
}

/* Raw deflate with GIO's zlib converter. */
static GByteArray *
deflate_raw (const char *text)
{
  g_autoptr (GConverter) z = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9));
  GByteArray      *out = g_byte_array_new ();
  guint8           buf[4096];
  gsize            in_length = strlen (text), read_total = 0;
  GConverterResult result;

  do
    {
      gsize n_read, n_written;
      g_autoptr (GError) error = NULL;

      result = g_converter_convert (z, text + read_total, in_length - read_total, buf, sizeof buf,
                                    G_CONVERTER_INPUT_AT_END, &n_read, &n_written, &error);
      g_assert_no_error (error);
      read_total += n_read;
      g_byte_array_append (out, buf, n_written);
    }
  while (result != G_CONVERTER_FINISHED);
  return out;
}

/* One member as a ZIP64 writer with a data descriptor would store it: sizes 0xffffffff in
 * both headers and the real ones in ZIP64 extra fields; deflated when asked. */
static GBytes *
zip64_archive (const char *name, const char *text, gboolean deflated)
{
  GByteArray *a = g_byte_array_new ();
  g_autoptr (GByteArray) data = NULL;
  guint32 crc = nn_crc32 (0, text, strlen (text));
  guint32 directory;

  if (deflated)
    data = deflate_raw (text);
  else
    {
      data = g_byte_array_new ();
      g_byte_array_append (data, (const guint8 *)text, strlen (text));
    }

  put32 (a, 0x04034b50);
  put16 (a, 45);
  put16 (a, 0);
  put16 (a, deflated ? 8 : 0);
  put16 (a, 0);
  put16 (a, 0x21);
  put32 (a, crc);
  put32 (a, 0xffffffffu);
  put32 (a, 0xffffffffu);
  put16 (a, strlen (name));
  put16 (a, 20);
  g_byte_array_append (a, (const guint8 *)name, strlen (name));
  put16 (a, 0x0001);
  put16 (a, 16);
  put64 (a, strlen (text));
  put64 (a, data->len);
  g_byte_array_append (a, data->data, data->len);

  directory = a->len;
  put32 (a, 0x02014b50);
  put16 (a, 45);
  put16 (a, 45);
  put16 (a, 0);
  put16 (a, deflated ? 8 : 0);
  put16 (a, 0);
  put16 (a, 0x21);
  put32 (a, crc);
  put32 (a, 0xffffffffu);
  put32 (a, 0xffffffffu);
  put16 (a, strlen (name));
  put16 (a, 4 + 8 + 8 + 8 + 4); /* an unknown extra field first, then ZIP64 */
  put16 (a, 0);
  put16 (a, 0);
  put16 (a, 0);
  put32 (a, 0);
  put32 (a, 0xffffffffu); /* the offset is in the ZIP64 field too */
  g_byte_array_append (a, (const guint8 *)name, strlen (name));
  put16 (a, 0xcafe);
  put16 (a, 0);
  put16 (a, 0x0001);
  put16 (a, 24);
  put64 (a, strlen (text));
  put64 (a, data->len);
  put64 (a, 0);

  put32 (a, 0x06054b50);
  put16 (a, 0);
  put16 (a, 0);
  put16 (a, 1);
  put16 (a, 1);
  put32 (a, a->len - 4 - 8 - directory);
  put32 (a, directory);
  put16 (a, 0);
  return g_byte_array_free_to_bytes (a);
}

static void
test_zip_reader (void)
{
  const char *text = "Neural Lab reads what other zip writers write, "
                     "Neural Lab reads what other zip writers write.";

  for (int deflated = 0; deflated <= 1; deflated++)
    {
      g_autoptr (GBytes) archive = zip64_archive ("a/b.txt", text, deflated);
      g_autoptr (GError) error = NULL;
      g_autoptr (NnZipReader) zip = nn_zip_reader_new (archive, "x.zip", &error);
      g_autoptr (GBytes) member = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (nn_zip_reader_get_n_members (zip), ==, 1);
      g_assert_cmpstr (nn_zip_reader_get_member (zip, 0), ==, "a/b.txt");
      g_assert_false (nn_zip_reader_has_member (zip, "a"));
      member = nn_zip_reader_extract (zip, "a/b.txt", &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (member, NULL), g_bytes_get_size (member), text,
                       strlen (text));
      g_assert_null (nn_zip_reader_extract (zip, "c.txt", &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, "x.zip: no member named c.txt");
    }

  /* Deflated data cut short is refused, not read past. */
  {
    g_autoptr (GBytes) archive = zip64_archive ("t", text, TRUE);
    gsize   length;
    guint8 *copy = g_memdup2 (g_bytes_get_data (archive, &length), g_bytes_get_size (archive));
    g_autoptr (GBytes) bad = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (NnZipReader) zip = NULL;

    copy[30 + 1 + 20 + 2] ^= 0xff; /* a byte inside the deflate stream */
    bad = g_bytes_new_take (copy, length);
    zip = nn_zip_reader_new (bad, "x.zip", &error);
    g_assert_no_error (error);
    g_assert_null (nn_zip_reader_extract (zip, "t", &error));
    g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "x.zip: member t is damaged"));
  }

  /* Not a zip at all, and empty. */
  {
    g_autoptr (GBytes) junk = g_bytes_new_static ("PK\003\004 and then nothing", 24);
    g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr (GError) error = NULL;

    g_assert_null (nn_zip_reader_new (junk, "x.zip", &error));
    g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
    g_clear_error (&error);
    g_assert_null (nn_zip_reader_new (empty, "x.zip", &error));
    g_assert_error (error, NN_ERROR, NN_ERROR_PARSE);
  }
}

/* ------------------------------------------------------------------------------------ */
/* safetensors                                                                          */

static void
test_safetensors (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autoptr (NnNetwork) net = project_network (p);
      g_autoptr (GBytes) bytes = export(p, NN_EXPORT_SAFETENSORS);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *features = nn_features_to_list (p->features);
      gsize            length, header_length, expected_offset = 0;
      const guint8    *d = g_bytes_get_data (bytes, &length);
      JsonObject      *header, *metadata;

      header_length = le32 (d) | (gsize)le32 (d + 4) << 32;
      g_assert_cmpuint ((8 + header_length) % 8, ==, 0);
      g_assert_cmpint (d[8], ==, '{');
      g_assert_true (
          json_parser_load_from_data (parser, (const char *)d + 8, header_length, &error));
      g_assert_no_error (error);
      header = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpuint (json_object_get_size (header), ==, 1 + 2 * net->n_layers);

      metadata = json_object_get_object_member (header, "__metadata__");
      g_assert_cmpstr (json_object_get_string_member (metadata, "features"), ==, features);
      /* Metadata values must all be strings. */
      {
        g_autoptr (GList) keys = json_object_get_members (metadata);

        for (GList *k = keys; k != NULL; k = k->next)
          g_assert_cmpuint (json_node_get_value_type (json_object_get_member (metadata, k->data)),
                            ==, G_TYPE_STRING);
      }

      for (guint l = 0; l < net->n_layers; l++)
        for (guint kind = 0; kind < 2; kind++)
          {
            const NnLayer   *layer = &net->layers[l];
            g_autofree char *name = g_strdup_printf ("layers.%u.%s", l, kind ? "bias" : "weight");
            JsonObject      *t = json_object_get_object_member (header, name);
            JsonArray       *shape = json_object_get_array_member (t, "shape");
            JsonArray       *offsets = json_object_get_array_member (t, "data_offsets");
            gsize            begin = json_array_get_int_element (offsets, 0);
            gsize            end = json_array_get_int_element (offsets, 1);
            gsize            count = kind ? layer->n_out : (gsize)layer->n_out * layer->n_in;
            const double    *expected = net->params + (kind ? layer->b_offset : layer->w_offset);

            g_assert_cmpstr (json_object_get_string_member (t, "dtype"), ==, "F64");
            g_assert_cmpuint (json_array_get_length (shape), ==, kind ? 1 : 2);
            g_assert_cmpint (json_array_get_int_element (shape, 0), ==, layer->n_out);
            if (!kind)
              g_assert_cmpint (json_array_get_int_element (shape, 1), ==, layer->n_in);
            /* Tensors are contiguous, in order, and fill the data exactly. */
            g_assert_cmpuint (begin, ==, expected_offset);
            g_assert_cmpuint (end - begin, ==, count * 8);
            expected_offset = end;
            for (gsize i = 0; i < count; i++)
              g_assert_true (
                  same_double (le_double (d + 8 + header_length + begin + 8 * i), expected[i]));
          }
      g_assert_cmpuint (8 + header_length + expected_offset, ==, length);
    }
}

/* ------------------------------------------------------------------------------------ */
/* C header                                                                             */

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int              status;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || (err != NULL && *err != '\0'))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      return FALSE;
    }
  return TRUE;
}

static void
test_c_header (void)
{
  g_autofree char *cc = g_find_program_in_path ("cc");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;

  if (cc == NULL)
    {
      g_test_skip ("no C compiler (cc) to compile the header with");
      return;
    }
  dir = g_dir_make_tmp ("neural-lab-export-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autofree double *expected = predictions (p);
      g_autofree char   *header = g_build_filename (dir, "network.h", NULL);
      g_autofree char   *main_c = g_build_filename (dir, "main.c", NULL);
      g_autofree char   *exe = g_build_filename (dir, "predict", NULL);
      g_autofree char   *output = NULL;
      g_auto (GStrv) values = NULL;
      GString    *program = g_string_new ("#include <stdio.h>\n#include \"network.h\"\n\n"
                                             "int\nmain (void)\n{\n"
                                             "  static const double points[][2] = {\n");
      const char *compile[] = { cc,   "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                                "-o", exe,        main_c,  "-lm",     NULL };
      const char *predict[] = { exe, NULL };
      guint       k = p->arch.n_outputs;

      g_assert_true (nn_export_weights_to_file (p, NULL, NN_EXPORT_C_HEADER, header, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < N_POINTS; i++)
        g_string_append_printf (program, "    { %.17g, %.17g },\n", points[i][0], points[i][1]);
      g_string_append (program, "  };\n"
                                "  double y[NEURAL_LAB_N_OUTPUTS];\n"
                                "  unsigned i, j;\n\n"
                                "  for (i = 0; i < sizeof points / sizeof points[0]; i++)\n"
                                "    {\n"
                                "      neural_lab_predict (points[i][0], points[i][1], y);\n"
                                "      for (j = 0; j < NEURAL_LAB_N_OUTPUTS; j++)\n"
                                "        printf (\"%.17g\\n\", y[j]);\n"
                                "    }\n"
                                "  return 0;\n"
                                "}\n");
      g_assert_true (g_file_set_contents (main_c, program->str, -1, &error));
      g_string_free (program, TRUE);

      g_assert_true (run (compile, NULL));
      g_assert_true (run (predict, &output));
      values = g_strsplit (g_strstrip (output), "\n", -1);
      g_assert_cmpuint (g_strv_length (values), ==, N_POINTS * k);
      for (guint i = 0; i < N_POINTS * k; i++)
        {
          double v = g_ascii_strtod (values[i], NULL);

          g_assert_cmpfloat_with_epsilon (v, expected[i], 1e-12 * MAX (1.0, fabs (expected[i])));
        }
    }
  test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* ONNX                                                                                 */

/* A protobuf reader of the four wire types the model uses; asserts well-formedness. */
typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Pb;

typedef struct
{
  guint         field;
  guint         wire;
  guint64       varint;
  const guint8 *data;
  gsize         length;
} PbField;

static guint64
pb_varint (Pb *pb)
{
  guint64 v = 0;

  for (guint shift = 0;; shift += 7)
    {
      g_assert_true (pb->p < pb->end && shift < 64);
      v |= (guint64)(*pb->p & 0x7f) << shift;
      if (!(*pb->p++ & 0x80))
        return v;
    }
}

static gboolean
pb_next (Pb *pb, PbField *f)
{
  guint64 key;

  if (pb->p == pb->end)
    return FALSE;
  key = pb_varint (pb);
  f->field = key >> 3;
  f->wire = key & 7;
  g_assert_cmpuint (f->field, >=, 1);
  switch (f->wire)
    {
    case 0:
      f->varint = pb_varint (pb);
      break;
    case 2:
      f->length = pb_varint (pb);
      g_assert_cmpuint (f->length, <=, (gsize)(pb->end - pb->p));
      f->data = pb->p;
      pb->p += f->length;
      break;
    case 5:
      g_assert_cmpuint (pb->end - pb->p, >=, 4);
      f->data = pb->p;
      pb->p += 4;
      break;
    default:
      g_error ("unexpected wire type %u", f->wire);
    }
  return TRUE;
}

static Pb
pb_sub (const PbField *f)
{
  Pb pb = { f->data, f->data + f->length };

  g_assert_cmpuint (f->wire, ==, 2);
  return pb;
}

static char *
pb_string (const PbField *f)
{
  g_assert_cmpuint (f->wire, ==, 2);
  return g_strndup ((const char *)f->data, f->length);
}

typedef struct
{
  char      *name;
  char      *op_type;
  GPtrArray *inputs;
  char      *output;
  GPtrArray *attributes; /* "name=value" */
} Node;

static void
node_free (gpointer data)
{
  Node *n = data;

  g_free (n->name);
  g_free (n->op_type);
  g_free (n->output);
  g_ptr_array_unref (n->inputs);
  g_ptr_array_unref (n->attributes);
  g_free (n);
}

static char *
parse_attribute (Pb pb)
{
  g_autofree char *name = NULL;
  PbField          f;
  guint64          i = 0, type = 0;
  float            fl = 0;

  while (pb_next (&pb, &f))
    if (f.field == 1)
      name = pb_string (&f);
    else if (f.field == 3)
      i = f.varint;
    else if (f.field == 2)
      {
        g_assert_cmpuint (f.wire, ==, 5);
        memcpy (&fl, f.data, 4);
      }
    else if (f.field == 20)
      type = f.varint;
  if (type == 2)
    return g_strdup_printf ("%s=%" G_GINT64_FORMAT, name, (gint64)i);
  g_assert_cmpuint (type, ==, 1);
  return g_strdup_printf ("%s=%g", name, fl);
}

static Node *
parse_node (Pb pb)
{
  Node   *n = g_new0 (Node, 1);
  PbField f;

  n->inputs = g_ptr_array_new_with_free_func (g_free);
  n->attributes = g_ptr_array_new_with_free_func (g_free);
  while (pb_next (&pb, &f))
    switch (f.field)
      {
      case 1:
        g_ptr_array_add (n->inputs, pb_string (&f));
        break;
      case 2:
        g_assert_null (n->output);
        n->output = pb_string (&f);
        break;
      case 3:
        n->name = pb_string (&f);
        break;
      case 4:
        n->op_type = pb_string (&f);
        break;
      case 5:
        g_ptr_array_add (n->attributes, parse_attribute (pb_sub (&f)));
        break;
      default:
        g_error ("unexpected NodeProto field %u", f.field);
      }
  return n;
}

/* Name and [dims] of a ValueInfoProto, as "input[N,2]". */
static char *
parse_value_info (Pb pb)
{
  GString *s = g_string_new (NULL);
  PbField  f, t, tt, sh, d, dv;

  while (pb_next (&pb, &f))
    if (f.field == 1)
      {
        g_autofree char *name = pb_string (&f);

        g_string_prepend (s, name);
      }
    else if (f.field == 2)
      {
        Pb type = pb_sub (&f);

        g_assert_true (pb_next (&type, &t) && t.field == 1); /* tensor_type */
        Pb tensor = pb_sub (&t);
        while (pb_next (&tensor, &tt))
          if (tt.field == 1)
            g_assert_cmpuint (tt.varint, ==, 1); /* FLOAT */
          else if (tt.field == 2)
            {
              Pb shape = pb_sub (&tt);

              g_string_append_c (s, '[');
              while (pb_next (&shape, &sh))
                {
                  Pb dim = pb_sub (&sh);

                  g_assert_true (pb_next (&dim, &d));
                  if (s->str[s->len - 1] != '[')
                    g_string_append_c (s, ',');
                  if (d.field == 1)
                    g_string_append_printf (s, "%" G_GUINT64_FORMAT, d.varint);
                  else
                    {
                      g_autofree char *param = pb_string (&d);

                      g_string_append (s, param);
                    }
                  g_assert_false (pb_next (&dim, &dv));
                }
              g_string_append_c (s, ']');
            }
      }
  return g_string_free (s, FALSE);
}

/* Checks an initializer against the values it should hold (as float32). */
static void
check_initializer (Pb pb, const NnNetwork *net, GHashTable *seen)
{
  g_autofree char *name = NULL;
  g_autoptr (GArray) dims = g_array_new (FALSE, FALSE, sizeof (gint64));
  const guint8 *raw = NULL;
  gsize         raw_length = 0;
  guint64       type = 0;
  PbField       f;
  guint         l;
  char          kind[8];

  while (pb_next (&pb, &f))
    switch (f.field)
      {
      case 1:
        g_array_append_val (dims, f.varint);
        break;
      case 2:
        type = f.varint;
        break;
      case 8:
        name = pb_string (&f);
        break;
      case 9:
        raw = f.data;
        raw_length = f.length;
        break;
      default:
        g_error ("unexpected TensorProto field %u", f.field);
      }
  g_assert_nonnull (name);
  g_hash_table_add (seen, g_strdup (name));
  if (g_str_has_prefix (name, "features/"))
    {
      g_assert_cmpuint (type, ==, 7); /* INT64 */
      g_assert_cmpuint (raw_length, ==, 8);
      return;
    }
  g_assert_cmpuint (type, ==, 1); /* FLOAT */
  g_assert_cmpint (sscanf (name, "layers.%u.%7s", &l, kind), ==, 2);
  g_assert_cmpuint (l, <, net->n_layers);
  {
    const NnLayer *layer = &net->layers[l];
    gboolean       weight = strcmp (kind, "weight") == 0;
    gsize          count = weight ? (gsize)layer->n_out * layer->n_in : layer->n_out;
    const double  *values = net->params + (weight ? layer->w_offset : layer->b_offset);

    g_assert_true (weight || strcmp (kind, "bias") == 0);
    g_assert_cmpuint (dims->len, ==, weight ? 2 : 1);
    g_assert_cmpint (g_array_index (dims, gint64, 0), ==, layer->n_out);
    if (weight)
      g_assert_cmpint (g_array_index (dims, gint64, 1), ==, layer->n_in);
    g_assert_cmpuint (raw_length, ==, count * 4);
    for (gsize i = 0; i < count; i++)
      {
        guint32 bits = le32 (raw + 4 * i);
        float   v;

        memcpy (&v, &bits, 4);
        g_assert_cmpfloat (v, ==, (float)values[i]);
      }
  }
}

static void
test_onnx_structure (void)
{
  g_autoptr (NnProject) p = case_project (&cases[0]);
  g_autoptr (NnNetwork) net = project_network (p);
  g_autoptr (GBytes) bytes = export(p, NN_EXPORT_ONNX);
  g_autoptr (GPtrArray) nodes = g_ptr_array_new_with_free_func (node_free);
  g_autoptr (GHashTable) initializers
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) outputs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char         *producer = NULL;
  gsize                    length;
  const guint8            *data = g_bytes_get_data (bytes, &length);
  Pb                       model = { data, data + length };
  PbField                  f;
  guint64                  ir_version = 0, opset = 0;
  gboolean                 have_graph = FALSE;
  static const char *const expected[][3] = {
    /* name, op_type, output */
    { "features/x1", "Slice", "x1" },        { "features/x2", "Slice", "x2" },
    { "features/sin(x1)", "Sin", "sin_x1" }, { "features/Concat", "Concat", "features" },
    { "hidden1/Gemm", "Gemm", "hidden1/u" }, { "hidden1/Tanh", "Tanh", "hidden1/z" },
    { "hidden2/Gemm", "Gemm", "hidden2/u" }, { "hidden2/Relu", "Relu", "hidden2/z" },
    { "output/Gemm", "Gemm", "output/u" },   { "output/Sigmoid", "Sigmoid", "output" },
  };

  /* ModelProto */
  while (pb_next (&model, &f))
    switch (f.field)
      {
      case 1:
        ir_version = f.varint;
        break;
      case 2:
        producer = pb_string (&f);
        break;
      case 3:
      case 6:
      case 14:
        break;
      case 7:
        {
          Pb      graph = pb_sub (&f);
          PbField g;

          have_graph = TRUE;
          while (pb_next (&graph, &g))
            switch (g.field)
              {
              case 1:
                g_ptr_array_add (nodes, parse_node (pb_sub (&g)));
                break;
              case 5:
                check_initializer (pb_sub (&g), net, initializers);
                break;
              case 11:
                g_ptr_array_add (inputs, parse_value_info (pb_sub (&g)));
                break;
              case 12:
                g_ptr_array_add (outputs, parse_value_info (pb_sub (&g)));
                break;
              case 2:
              case 10:
                break;
              default:
                g_error ("unexpected GraphProto field %u", g.field);
              }
        }
        break;
      case 8:
        {
          Pb      op = pb_sub (&f);
          PbField o;

          while (pb_next (&op, &o))
            if (o.field == 1)
              g_assert_cmpuint (o.length, ==, 0); /* the default domain, "" */
            else if (o.field == 2)
              opset = o.varint;
        }
        break;
      default:
        g_error ("unexpected ModelProto field %u", f.field);
      }

  g_assert_cmpuint (ir_version, ==, 7);
  g_assert_cmpuint (opset, ==, 13);
  g_assert_cmpstr (producer, ==, "Neural Lab");
  g_assert_true (have_graph);
  g_assert_cmpuint (inputs->len, ==, 1);
  g_assert_cmpstr (inputs->pdata[0], ==, "input[N,2]");
  g_assert_cmpuint (outputs->len, ==, 1);
  g_assert_cmpstr (outputs->pdata[0], ==, "output[N,1]");

  g_assert_cmpuint (nodes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *n = nodes->pdata[i];

      g_assert_cmpstr (n->name, ==, expected[i][0]);
      g_assert_cmpstr (n->op_type, ==, expected[i][1]);
      g_assert_cmpstr (n->output, ==, expected[i][2]);
      /* Every input was produced before, or is an initializer or the graph's input. */
      for (guint k = 0; k < n->inputs->len; k++)
        {
          const char *in = n->inputs->pdata[k];
          gboolean    found = strcmp (in, "input") == 0 || g_hash_table_contains (initializers, in);

          for (guint j = 0; j < i && !found; j++)
            found = strcmp (((Node *)nodes->pdata[j])->output, in) == 0;
          g_assert_true (found);
        }
    }
  g_assert_cmpuint (((Node *)nodes->pdata[3])->inputs->len, ==, 3);
  g_assert_cmpstr (((Node *)nodes->pdata[3])->attributes->pdata[0], ==, "axis=1");
  g_assert_cmpstr (((Node *)nodes->pdata[4])->attributes->pdata[0], ==, "transB=1");
  g_assert_cmpstr (((Node *)nodes->pdata[4])->inputs->pdata[1], ==, "layers.0.weight");
  g_assert_cmpstr (((Node *)nodes->pdata[4])->inputs->pdata[2], ==, "layers.0.bias");
  g_assert_true (g_hash_table_contains (initializers, "layers.2.bias"));
}

/* LeakyRelu carries alpha, Softmax axis 1, and an identity output adds no node. */
static void
test_onnx_attributes (void)
{
  for (guint c = 1; c <= 2; c++)
    {
      g_autoptr (NnProject) p = case_project (&cases[c]);
      g_autoptr (GBytes) bytes = export(p, NN_EXPORT_ONNX);
      gsize         length;
      const guint8 *data = g_bytes_get_data (bytes, &length);
      Pb            model = { data, data + length };
      PbField       f, g;
      GString      *ops = g_string_new (NULL);

      while (pb_next (&model, &f))
        if (f.field == 7)
          {
            Pb graph = pb_sub (&f);

            while (pb_next (&graph, &g))
              if (g.field == 1)
                {
                  Node *n = parse_node (pb_sub (&g));

                  g_string_append_printf (ops, "%s%s", ops->len > 0 ? " " : "", n->op_type);
                  for (guint a = 0; a < n->attributes->len; a++)
                    g_string_append_printf (ops, "(%s)", (char *)n->attributes->pdata[a]);
                  node_free (n);
                }
          }
      if (c == 1)
        g_assert_cmpstr (ops->str, ==,
                         "Slice Slice Mul Sin Concat(axis=1) Gemm(transB=1) "
                         "LeakyRelu(alpha=0.05) Gemm(transB=1) Softmax(axis=1)");
      else
        g_assert_cmpstr (ops->str, ==,
                         "Slice Slice Mul Mul Mul Sin Sin Concat(axis=1) "
                         "Gemm(transB=1) Sigmoid Gemm(transB=1)");
      g_string_free (ops, TRUE);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Import refuses what does not fit                                                     */

static GBytes *
bytes_from_text (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Imports `bytes` into case c's architecture (optionally changed) and expects `code`
 * with a message containing `message`; the output must stay untouched. */
static void
expect_import_error (GBytes *bytes, const NnProject *p, const NnArchitecture *arch, guint features,
                     gint code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnNetwork) net = nn_network_new (arch, 1, NULL);
  g_autofree double *out = g_new (double, net->n_params);

  (void)p;
  for (gsize i = 0; i < net->n_params; i++)
    out[i] = 42.0;
  g_assert_false (nn_import_weights_from_bytes (bytes, "weights.x", features, arch, out, &error));
  g_assert_error (error, NN_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("expected \"%s\" in \"%s\"", message, error->message);
  g_assert_true (g_str_has_prefix (error->message, "weights.x: "));
  for (gsize i = 0; i < net->n_params; i++)
    g_assert_cmpfloat (out[i], ==, 42.0);
}

static void
test_import_shapes (void)
{
  g_autoptr (NnProject) p = case_project (&cases[0]);
  NnArchitecture arch = p->arch;

  for (guint format = NN_EXPORT_JSON; format <= NN_EXPORT_NPZ; format += NN_EXPORT_NPZ)
    {
      g_autoptr (GBytes) bytes = export(p, format);
      gboolean json = format == NN_EXPORT_JSON;

      /* A wider second hidden layer: layers.1.weight is [2,3], the network needs [4,3]. */
      arch = p->arch;
      arch.units[1] = 4;
      expect_import_error (bytes, p, &arch, p->features, NN_ERROR_SHAPE,
                           json ? "weights.x: layers[1].weight has shape [2,3], the network "
                                  "needs [4,3]"
                                : "weights.x: layers.1.weight has shape [2,3], the network "
                                  "needs [4,3]");
      /* A wider first layer changes what the second reads. */
      arch = p->arch;
      arch.units[0] = 5;
      expect_import_error (bytes, p, &arch, p->features, NN_ERROR_SHAPE,
                           json ? "layers[0].weight has shape [3,3], the network needs [5,3]"
                                : "layers.0.weight has shape [3,3], the network needs [5,3]");
      /* One hidden layer fewer. */
      arch = p->arch;
      arch.n_hidden = 1;
      expect_import_error (bytes, p, &arch, p->features, NN_ERROR_SHAPE,
                           json ? "layers has 3 entries, the network needs 2"
                                : "holds 3 layers (layers.0 to layers.2), the network needs 2");
      /* Other features, even of the same count. */
      arch = p->arch;
      expect_import_error (bytes, p, &arch, NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X2,
                           NN_ERROR_SHAPE,
                           "features are x1,x2,sin(x1), the network uses x1,x2,sin(x2)");
      /* Features 0: not checked. */
      {
        g_autoptr (GError) error = NULL;
        g_autofree double *out = g_new (double, p->n_weights);

        g_assert_true (nn_import_weights_from_bytes (bytes, "w", 0, &p->arch, out, &error));
        g_assert_no_error (error);
      }
    }
}

static void
test_import_malformed_json (void)
{
  g_autoptr (NnProject) p = case_project (&cases[3]); /* x2 → 1 tanh */
  static const struct
  {
    const char *text;
    NnError     code;
    const char *message;
  } bad[] = {
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, ", NN_ERROR_PARSE, "not valid JSON" },
    { "{\"version\": 1}", NN_ERROR_PARSE, "\"format\" is missing" },
    { "{\"format\": \"neural-lab\", \"version\": 1}", NN_ERROR_PARSE, "a Neural Lab project" },
    { "{\"format\": \"other\", \"version\": 1}", NN_ERROR_PARSE, "format is \"other\"" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 2, \"layers\": []}", NN_ERROR_UNSUPPORTED,
      "version 2 is newer" },
    { "{\"format\": \"neural-lab-weights\", \"version\": \"1\"}", NN_ERROR_PARSE, "version" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1}", NN_ERROR_PARSE, "layers is missing" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"features\": [\"x3\"], "
      "\"layers\": []}",
      NN_ERROR_PARSE, "features[0] is not one of" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"weight\": [[1.0]], "
      "\"bias\": [0.5, 1.0]}]}",
      NN_ERROR_SHAPE, "layers[0].bias has shape [2], the network needs [1]" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"weight\": [[\"1\"]], "
      "\"bias\": [0.5]}]}",
      NN_ERROR_PARSE, "layers[0].weight[0][0] is not a number" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"weight\": [[1.0], "
      "[1.0, 2.0]], \"bias\": [0.5]}]}",
      NN_ERROR_PARSE, "layers[0].weight[1] has 2 values, but layers[0].weight[0] has 1" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"weight\": [[1.0]]}]}",
      NN_ERROR_PARSE, "layers[0].bias is missing" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"weight\": [[1e999]], "
      "\"bias\": [0.5]}]}",
      NN_ERROR_INVALID, "layers[0].weight[0][0] is not finite" },
    { "{\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": [{\"units\": 2, "
      "\"weight\": [[1.0]], \"bias\": [0.5]}]}",
      NN_ERROR_PARSE, "layers[0].units is 2, but layers[0].weight has 1 rows" },
    { "[1, 2]", NN_ERROR_PARSE, "neither JSON weights nor" },
    { "", NN_ERROR_PARSE, "neither JSON weights nor" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) bytes = bytes_from_text (bad[i].text);

      g_test_message ("%s", bad[i].text);
      expect_import_error (bytes, p, &p->arch, p->features, bad[i].code, bad[i].message);
    }

  /* The smallest good file, with a byte order mark and integral numbers. */
  {
    g_autoptr (GBytes) bytes = bytes_from_text (
        "\xef\xbb\xbf {\"format\": \"neural-lab-weights\", \"version\": 1, \"layers\": "
        "[{\"weight\": [[2]], \"bias\": [-0.5]}]}");
    g_autoptr (GError) error = NULL;
    double out[2];

    g_assert_true (nn_import_weights_from_bytes (bytes, "w", p->features, &p->arch, out, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (out[0], ==, 2.0);
    g_assert_cmpfloat (out[1], ==, -0.5);
  }
}

/* Replaces the bytes at `offset` of a copy of `bytes`. */
static GBytes *
patched (GBytes *bytes, gsize offset, const void *with, gsize n)
{
  gsize   length;
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));

  g_assert_cmpuint (offset + n, <=, length);
  memcpy (copy + offset, with, n);
  return g_bytes_new_take (copy, length);
}

static gsize
find_text (GBytes *bytes, const char *text)
{
  gsize         length;
  const guint8 *d = g_bytes_get_data (bytes, &length);
  const guint8 *at = find_bytes (d, length, text);

  g_assert_nonnull (at);
  return at - d;
}

/* A copy of the archive with `member` dropped (from NULL) or with `from` replaced by `to`
 * in it (same length), written afresh so the CRCs are right. */
static GBytes *
rebuilt (GBytes *archive, const char *member, const char *from, const char *to)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnZipReader) reader = nn_zip_reader_new (archive, "in", &error);
  NnZipWriter *zip = nn_zip_writer_new ();
  gboolean     done = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < nn_zip_reader_get_n_members (reader); i++)
    {
      const char *name = nn_zip_reader_get_member (reader, i);
      g_autoptr (GBytes) data = nn_zip_reader_extract (reader, name, &error);
      gsize              length = g_bytes_get_size (data);
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (data, NULL), length);

      g_assert_no_error (error);
      if (strcmp (name, member) == 0)
        {
          guint8 *at;

          done = TRUE;
          if (from == NULL)
            continue;
          g_assert_cmpuint (strlen (from), ==, strlen (to));
          at = find_bytes (copy, length, from);
          g_assert_nonnull (at);
          memcpy (at, to, strlen (to));
        }
      nn_zip_writer_add (zip, name, copy, length);
    }
  g_assert_true (done);
  return nn_zip_writer_finish (zip);
}

static void
test_import_malformed_npz (void)
{
  g_autoptr (NnProject) p = case_project (&cases[0]);
  g_autoptr (GBytes) good = export(p, NN_EXPORT_NPZ);
  gsize length = g_bytes_get_size (good);

  /* Cut short: the end record is gone. */
  {
    g_autoptr (GBytes) cut = g_bytes_new_from_bytes (good, 0, length / 2);

    expect_import_error (cut, p, &p->arch, p->features, NN_ERROR_PARSE,
                         "not a valid zip archive (no end of central directory record)");
  }
  /* One flipped byte of weight data: the CRC no longer matches. */
  {
    gsize at = find_text (good, "'shape': (3, 3), }") + 60;
    g_autoptr (GBytes) bad = patched (good, at, "\x55", 1);

    expect_import_error (bad, p, &p->arch, p->features, NN_ERROR_PARSE,
                         "member layers.0.weight.npy is damaged (its CRC-32 does not match)");
  }
  /* A dtype the importer does not read: layers.0.bias as '<i8'. */
  {
    g_autoptr (GBytes) bad = rebuilt (good, "layers.0.bias.npy", "'<f8'", "'<i8'");

    expect_import_error (bad, p, &p->arch, p->features, NN_ERROR_UNSUPPORTED,
                         "weights.x: layers.0.bias has dtype '<i8'; Neural Lab reads float32 "
                         "and float64 arrays");
  }
  /* A member missing. */
  {
    g_autoptr (GBytes) bad = rebuilt (good, "layers.1.bias.npy", NULL, NULL);

    expect_import_error (bad, p, &p->arch, p->features, NN_ERROR_SHAPE,
                         "weights.x: layers.1.bias is missing");
  }
  /* Data shorter than the header's shape. */
  {
    g_autoptr (GBytes) bad = rebuilt (good, "layers.2.weight.npy", "(1, 2)", "(1, 3)");

    expect_import_error (bad, p, &p->arch, p->features, NN_ERROR_PARSE,
                         "layers.2.weight is not a readable .npy array");
  }
  /* A zip without layers. */
  {
    NnZipWriter *zip = nn_zip_writer_new ();
    g_autoptr (GBytes) empty = NULL;

    nn_zip_writer_add (zip, "readme.txt", "hello", 5);
    empty = nn_zip_writer_finish (zip);
    expect_import_error (empty, p, &p->arch, p->features, NN_ERROR_PARSE,
                         "holds no layers.N.weight arrays");
  }
}

/* A .npy file by hand: the header dict padded to 64 bytes, then the given data. */
static void
add_npy (NnZipWriter *zip, const char *name, const char *dict, const void *data, gsize size)
{
  g_autoptr (GByteArray) npy = g_byte_array_new ();
  GString *header = g_string_new (dict);
  guint8   length[2];

  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  length[0] = header->len & 0xff;
  length[1] = header->len >> 8;
  g_byte_array_append (npy, (const guint8 *)"\x93NUMPY\x01\x00", 8);
  g_byte_array_append (npy, length, 2);
  g_byte_array_append (npy, (const guint8 *)header->str, header->len);
  g_byte_array_append (npy, data, size);
  nn_zip_writer_add (zip, name, npy->data, npy->len);
  g_string_free (header, TRUE);
}

/* float32 and big-endian arrays, as other tools may write them, read as doubles. */
static void
test_import_npy_dtypes (void)
{
  g_autoptr (NnProject) p = case_project (&cases[3]); /* x2 → 1 tanh: weight [1,1], bias [1] */
  NnZipWriter *zip = nn_zip_writer_new ();
  g_autoptr (GBytes) archive = NULL;
  g_autoptr (GError) error = NULL;
  const float  weight = 0.5f;
  const guint8 bias_be[8] = { 0xbf, 0xd0, 0, 0, 0, 0, 0, 0 }; /* -0.25, big-endian */
  guint8       weight_le[4];
  guint32      bits;
  double       out[2];

  memcpy (&bits, &weight, 4);
  for (int i = 0; i < 4; i++)
    weight_le[i] = bits >> (8 * i);
  add_npy (zip, "layers.0.weight.npy",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", weight_le, 4);
  add_npy (zip, "layers.0.bias.npy", "{'shape': (1,), 'fortran_order': False, 'descr': '>f8'}",
           bias_be, 8);
  archive = nn_zip_writer_finish (zip);
  g_assert_true (
      nn_import_weights_from_bytes (archive, "w.npz", p->features, &p->arch, out, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (out[0], ==, 0.5);
  g_assert_cmpfloat (out[1], ==, -0.25);
}

static void
test_import_file (void)
{
  g_autoptr (NnProject) p = case_project (&cases[1]);
  g_autoptr (GError) error = NULL;
  g_autofree char   *dir = g_dir_make_tmp ("neural-lab-export-XXXXXX", &error);
  g_autofree char   *path = g_build_filename (dir, "weights.npz", NULL);
  g_autofree char   *renamed = g_build_filename (dir, "weights.json", NULL);
  g_autofree char   *missing = g_build_filename (dir, "missing.npz", NULL);
  g_autofree double *back = g_new0 (double, p->n_weights);

  g_assert_no_error (error);
  g_assert_true (nn_export_weights_to_file (p, NULL, NN_EXPORT_NPZ, path, &error));
  g_assert_no_error (error);
  g_assert_true (nn_import_weights (path, p->features, &p->arch, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, p->n_weights * sizeof (double), p->weights,
                   p->n_weights * sizeof (double));

  /* Told apart by contents, not by name. */
  g_assert_cmpint (g_rename (path, renamed), ==, 0);
  memset (back, 0, p->n_weights * sizeof (double));
  g_assert_true (nn_import_weights (renamed, p->features, &p->arch, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, p->n_weights * sizeof (double), p->weights,
                   p->n_weights * sizeof (double));

  g_assert_false (nn_import_weights (missing, p->features, &p->arch, back, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.npz"));
  g_clear_error (&error);

  /* Writing into a folder that does not exist fails cleanly. */
  g_assert_false (nn_export_weights_to_file (p, NULL, NN_EXPORT_JSON,
                                             "/nonexistent-folder/weights.json", &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_IO);
  g_clear_error (&error);

  g_unlink (renamed);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Export refuses what it cannot write                                                  */

static void
test_export_refuses (void)
{
  g_autoptr (NnProject) p = case_project (&cases[0]);
  g_autoptr (NnNetwork) net = project_network (p);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) other = NULL;
  GBytes *bytes;

  /* From the network, not the project: the same bytes. */
  {
    g_autoptr (GBytes) a = nn_export_weights (p, net, NN_EXPORT_JSON, &error);
    g_autoptr (GBytes) b = export(p, NN_EXPORT_JSON);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (a, b));
  }

  net->params[net->layers[1].w_offset + 3] = NAN;
  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    {
      bytes = nn_export_weights (p, net, f, &error);
      g_assert_null (bytes);
      g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "layers.1.weight[1][0] is NaN"));
      g_clear_error (&error);
    }
  net->params[net->layers[1].w_offset + 3] = 0.0;
  net->params[net->layers[2].b_offset] = -INFINITY;
  bytes = nn_export_weights (p, net, NN_EXPORT_NPZ, &error);
  g_assert_null (bytes);
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "layers.2.bias[0] is infinite"));
  g_clear_error (&error);

  /* The network does not fit the project's features. */
  other = nn_project_copy (p);
  other->features = NN_FEATURE_X1 | NN_FEATURE_X2;
  net->params[net->layers[2].b_offset] = 0.0;
  bytes = nn_export_weights (other, net, NN_EXPORT_CSV, &error);
  g_assert_null (bytes);
  g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
  g_clear_error (&error);

  /* A project without weights. */
  nn_project_set_weights (other, NULL, 0);
  other->features = p->features;
  bytes = nn_export_weights (other, NULL, NN_EXPORT_CSV, &error);
  g_assert_null (bytes);
  g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no trained weights"));
}

/* ------------------------------------------------------------------------------------ */
/* Python snippets                                                                      */

static void
test_snippets (void)
{
  g_autoptr (NnProject) p = case_project (&cases[1]);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("neural-lab-export-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    for (guint fw = 0; fw < NN_N_EXPORT_FRAMEWORKS; fw++)
      {
        const char      *path = "/home/sensei/\"class\" 3\\weights.x";
        g_autofree char *snippet = nn_export_python_snippet (p, f, fw, path);
        g_autofree char *file = g_build_filename (dir, "snippet.py", NULL);

        if (f == NN_EXPORT_C_HEADER || (f == NN_EXPORT_ONNX && fw == NN_EXPORT_FRAMEWORK_PYTORCH))
          {
            g_assert_null (snippet);
            continue;
          }
        g_assert_nonnull (snippet);
        g_assert_nonnull (strstr (snippet, "\"/home/sensei/\\\"class\\\" 3\\\\weights.x\""));
        g_assert_nonnull (strstr (snippet, "def predict(x1, x2):"));
        g_assert_true (g_str_has_suffix (snippet, "print(predict(1.0, -2.0))\n"));
        if (f != NN_EXPORT_ONNX)
          g_assert_nonnull (strstr (snippet, fw == NN_EXPORT_FRAMEWORK_NUMPY
                                                 ? "[x1, x2, x1 * x2, np.sin(x2)]"
                                                 : "[[x1, x2, x1 * x2, math.sin(x2)]]"));
        if (fw == NN_EXPORT_FRAMEWORK_PYTORCH)
          g_assert_nonnull (strstr (snippet, "nn.Linear(4, 4), nn.LeakyReLU(0.05),"));
        else if (f != NN_EXPORT_ONNX)
          g_assert_nonnull (strstr (snippet, "z = np.where(u > 0.0, u, 0.05 * u)"));

        /* It is Python (running it is for tests/export, where numpy may be found). */
        if (python != NULL)
          {
            const char *argv[]
                = { python, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", file,
                    NULL };

            g_assert_true (g_file_set_contents (file, snippet, -1, &error));
            g_assert_true (run (argv, NULL));
            g_unlink (file);
          }
      }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/names", test_names);
  g_test_add_func ("/export/json/content", test_json_content);
  g_test_add_func ("/export/json/round-trip", test_json_round_trip);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/npz/crc32", test_crc32);
  g_test_add_func ("/export/npz/zip-reader", test_zip_reader);
  g_test_add_func ("/export/npz/layout", test_npz_layout);
  g_test_add_func ("/export/npz/round-trip", test_npz_round_trip);
  g_test_add_func ("/export/safetensors", test_safetensors);
  g_test_add_func ("/export/c-header/compiles-and-predicts", test_c_header);
  g_test_add_func ("/export/onnx/structure", test_onnx_structure);
  g_test_add_func ("/export/onnx/attributes", test_onnx_attributes);
  g_test_add_func ("/export/import/shapes", test_import_shapes);
  g_test_add_func ("/export/import/malformed-json", test_import_malformed_json);
  g_test_add_func ("/export/import/malformed-npz", test_import_malformed_npz);
  g_test_add_func ("/export/import/npy-dtypes", test_import_npy_dtypes);
  g_test_add_func ("/export/import/file", test_import_file);
  g_test_add_func ("/export/refuses", test_export_refuses);
  g_test_add_func ("/export/snippets", test_snippets);

  return g_test_run ();
}
