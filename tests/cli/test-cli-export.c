/* test-cli-export.c: `neural-lab-cli export` and `import-weights` as a user runs them —
 * each format's file starts as that format must, an untrained project is refused, the
 * Python snippet, weights that go out and come back in bit for bit, and weights of another
 * shape refused with both shapes named.
 *
 * The files are checked by their structure here (zip, protobuf, safetensors header, JSON);
 * tests/export opens them in numpy, onnx and torch when those are installed.
 */
#include <string.h>
#include <glib.h>
#include <json-glib/json-glib.h>

#include "cli-test-utils.h"
#include "nn-project.h"

static NnProject *
load (CliFixture *f, const char *name)
{
  g_autofree char *path = cli_path (f, name);
  g_autoptr (GError) error = NULL;
  NnProject *p = nn_project_load (path, &error);

  g_assert_no_error (error);
  return p;
}

/* u.nlab: a small untrained project ([4,2] tanh on x1, x2); t.nlab: the same trained. */
static void
make_projects (CliFixture *f)
{
  g_assert_cmpint (cli_run (f, "new", "-o", "u.nlab", "--count", "100", "--seed", "3", NULL),
                   ==, 0);
  g_assert_cmpint (cli_run (f, "train", "u.nlab", "--epochs", "3", "--quiet", "--save",
                            "t.nlab", NULL), ==, 0);
}

/* Whether binary `data` holds the bytes of `text` (strstr stops at the first NUL). */
static gboolean
contains (const guint8 *data, gsize length, const char *text)
{
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

/* ---- A protobuf walker, enough to see that the ONNX file is a well-formed message ----- */

static gboolean
read_varint (const guint8 **p, const guint8 *end, guint64 *v)
{
  *v = 0;
  for (guint shift = 0; shift < 64 && *p < end; shift += 7)
    {
      guint8 byte = *(*p)++;

      *v |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Walks the fields of one message; TRUE when they fill its bytes exactly. Records which
 * field numbers (below 64) occur, and where the first length-delimited field `wanted`
 * starts. */
static gboolean
walk_message (const guint8 *data, gsize length, guint64 *seen, guint wanted,
              const guint8 **sub, gsize *sub_length)
{
  const guint8 *p = data, *end = data + length;

  *seen = 0;
  while (p < end)
    {
      guint64 key, v;
      guint field, wire;

      if (!read_varint (&p, end, &key))
        return FALSE;
      field = (guint) (key >> 3);
      wire = (guint) (key & 7);
      if (field == 0)
        return FALSE;
      if (field < 64)
        *seen |= G_GUINT64_CONSTANT (1) << field;
      if (wire == 0 && !read_varint (&p, end, &v))
        return FALSE;
      else if (wire == 1 || wire == 5)
        {
          if ((gsize) (end - p) < (wire == 1 ? 8u : 4u))
            return FALSE;
          p += wire == 1 ? 8 : 4;
        }
      else if (wire == 2)
        {
          if (!read_varint (&p, end, &v) || v > (guint64) (end - p))
            return FALSE;
          if (field == wanted && sub != NULL && *sub == NULL)
            {
              *sub = p;
              *sub_length = (gsize) v;
            }
          p += v;
        }
      else if (wire != 0)
        return FALSE;
    }
  return TRUE;
}

#define HAS(seen, field) (((seen) >> (field)) & 1)

/* ModelProto: ir_version (1), graph (7), opset_import (8); its GraphProto: node (1),
 * input (11), output (12), initializer (5). */
static void
assert_onnx (const guint8 *data, gsize length)
{
  const guint8 *graph = NULL;
  gsize graph_length = 0;
  guint64 seen;

  g_assert_cmpuint (length, >, 0);
  g_assert_true (walk_message (data, length, &seen, 7, &graph, &graph_length));
  g_assert_true (HAS (seen, 1) && HAS (seen, 7) && HAS (seen, 8));
  g_assert_nonnull (graph);
  g_assert_true (walk_message (graph, graph_length, &seen, 0, NULL, NULL));
  g_assert_true (HAS (seen, 1) && HAS (seen, 5) && HAS (seen, 11) && HAS (seen, 12));
}

/* An 8-byte little-endian header size, then that much JSON naming every tensor. */
static void
assert_safetensors (const guint8 *data, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  guint64 n = 0;
  JsonObject *header, *weight;

  g_assert_cmpuint (length, >, 8);
  for (guint i = 0; i < 8; i++)
    n |= (guint64) data[i] << (8 * i);
  g_assert_cmpuint (n, <=, length - 8);
  json_parser_load_from_data (parser, (const char *) data + 8, (gssize) n, &error);
  g_assert_no_error (error);
  header = json_node_get_object (json_parser_get_root (parser));
  weight = json_object_get_object_member (header, "layers.0.weight");
  g_assert_nonnull (weight);
  g_assert_cmpstr (json_object_get_string_member (weight, "dtype"), ==, "F64");
  g_assert_true (json_object_has_member (header, "layers.2.bias"));
}

static void
assert_json_weights (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "neural-lab-weights");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "layers")), ==,
                    3);
}

/* Each format through --format, and through the output's extension alone. */
static void
test_formats (CliFixture *f, gconstpointer data)
{
  static const char *const formats[] = { "json", "csv", "npz", "onnx", "c", "safetensors" };
  /* [4,2] tanh on two inputs, one output: (2+1)·4 + (4+1)·2 + (2+1)·1 */
  const guint n_params = 25;

  make_projects (f);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("w.%s", formats[i]);
      g_autofree char *by_extension = NULL;
      g_autofree guint8 *bytes = NULL;
      gsize length = 0;

      g_assert_cmpint (cli_run (f, "export", "t.nlab", "--format", formats[i], "-o", name,
                                NULL), ==, 0);
      g_assert_cmpstr (f->out, ==, "");
      g_assert_cmpstr (f->err, ==, "");
      bytes = (guint8 *) cli_read (f, name, &length);
      g_assert_cmpuint (length, >, 0);
      if (strcmp (formats[i], "json") == 0)
        assert_json_weights ((const char *) bytes);
      else if (strcmp (formats[i], "csv") == 0)
        {
          g_assert_true (g_str_has_prefix ((const char *) bytes, "layer,kind,to,from,value\n"));
          g_assert_cmpuint (cli_count_lines ((const char *) bytes), ==, 1 + n_params);
        }
      else if (strcmp (formats[i], "npz") == 0)
        {
          g_assert_cmpmem (bytes, 4, "PK\x03\x04", 4);
          g_assert_true (contains (bytes, length, "layers.0.weight.npy"));
        }
      else if (strcmp (formats[i], "onnx") == 0)
        assert_onnx (bytes, length);
      else if (strcmp (formats[i], "c") == 0)
        g_assert_nonnull (strstr ((const char *) bytes, "static const double"));
      else
        assert_safetensors (bytes, length);

      /* The same file when only the extension names the format. */
      if (strcmp (formats[i], "c") == 0)
        continue;
      g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", name, NULL), ==, 0);
      by_extension = cli_read (f, name, NULL);
      g_assert_cmpmem (by_extension, length, bytes, length);
    }
}

/* Random initial weights are not an export; --epochs trains first, as `train` would. */
static void
test_untrained (CliFixture *f, gconstpointer data)
{
  g_autofree char *exported = NULL, *trained = NULL;

  make_projects (f);
  cli_run (f, "export", "u.nlab", "-o", "w.json", NULL);
  cli_assert_refused_without (f, "no trained weights", "w.json");
  g_assert_nonnull (strstr (f->err, "--epochs"));

  g_assert_cmpint (cli_run (f, "export", "u.nlab", "--epochs", "3", "-o", "w.json", NULL), ==,
                   0);
  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", "t.json", NULL), ==, 0);
  exported = cli_read (f, "w.json", NULL);
  trained = cli_read (f, "t.json", NULL);
  g_assert_cmpstr (exported, ==, trained);
}

static void
test_snippet (CliFixture *f, gconstpointer data)
{
  g_autofree char *snippet = NULL;

  make_projects (f);
  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", "w.npz", "--snippet", "numpy", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (f->out, "import numpy"));
  g_assert_nonnull (strstr (f->out, "w.npz"));
  g_assert_true (cli_exists (f, "w.npz"));

  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", "w.json", "--snippet", "pytorch",
                            "--snippet-output", "load.py", NULL), ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  snippet = cli_read (f, "load.py", NULL);
  g_assert_nonnull (strstr (snippet, "torch"));

  /* PyTorch cannot load ONNX: refused before anything is written. */
  cli_run (f, "export", "t.nlab", "-o", "w.onnx", "--snippet", "pytorch", NULL);
  cli_assert_refused_without (f, "pytorch", "w.onnx");
  cli_run (f, "export", "t.nlab", "-o", "w.h", "--snippet", "numpy", NULL);
  cli_assert_refused_without (f, "--snippet", "w.h");
}

static void
test_bad_export (CliFixture *f, gconstpointer data)
{
  make_projects (f);
  cli_run (f, "export", "t.nlab", "--format", "bin", "-o", "w.bin", NULL);
  cli_assert_refused_without (f, "bin", "w.bin");
  g_assert_nonnull (strstr (f->err, "safetensors"));
  cli_run (f, "export", "t.nlab", "-o", "w.bin", NULL);
  cli_assert_refused_without (f, "--format", "w.bin");
  cli_run (f, "export", "t.nlab", NULL);
  cli_assert_refused (f, "-o");
  cli_run (f, "export", "missing.nlab", "-o", "w.json", NULL);
  cli_assert_refused_without (f, "missing.nlab", "w.json");
  cli_run (f, "export", "t.nlab", "-o", "w.json", "--snippet", "matlab", NULL);
  cli_assert_refused_without (f, "numpy", "w.json");
  cli_run (f, "export", "t.nlab", "-o", "w.json", "--epochs", "-2", NULL);
  cli_assert_refused_without (f, "--epochs", "w.json");
  cli_run (f, "export", "t.nlab", "-o", "no-such-folder/w.json", NULL);
  cli_assert_refused (f, "no-such-folder");
  cli_run (f, "export", NULL);
  cli_assert_refused (f, "PROJECT.nlab");
}

/* Out as `format`, back into the untrained project: the very same doubles. */
static void
assert_round_trip (CliFixture *f, const char *format)
{
  g_autofree char *weights = g_strdup_printf ("w.%s", format);
  g_autofree char *imported = g_strdup_printf ("i-%s.nlab", format);
  g_autoptr (NnProject) trained = NULL;
  g_autoptr (NnProject) untrained = NULL;
  g_autoptr (NnProject) result = NULL;

  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", weights, NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "import-weights", "u.nlab", weights, "-o", imported, NULL), ==,
                   0);
  g_assert_cmpstr (f->err, ==, "");
  trained = load (f, "t.nlab");
  untrained = load (f, "u.nlab");
  result = load (f, imported);
  g_assert_null (untrained->weights);
  g_assert_nonnull (result->weights);
  g_assert_cmpuint (result->n_weights, ==, trained->n_weights);
  g_assert_cmpmem (result->weights, result->n_weights * sizeof (double), trained->weights,
                   trained->n_weights * sizeof (double));
  /* Only the weights changed: everything else is the project's. */
  g_assert_true (nn_architecture_equal (&result->arch, &untrained->arch));
  g_assert_cmpuint (result->seed, ==, untrained->seed);
  g_assert_cmpfloat (result->optimizer.learning_rate, ==, untrained->optimizer.learning_rate);
}

static void
test_import_round_trip (CliFixture *f, gconstpointer data)
{
  g_autofree char *a = NULL, *b = NULL;

  make_projects (f);
  assert_round_trip (f, "json");
  assert_round_trip (f, "npz");

  /* The imported project predicts as the trained one does: same loss at epoch 0. */
  g_assert_cmpint (cli_run (f, "train", "t.nlab", "--epochs", "0", NULL), ==, 0);
  a = g_strdup (f->out);
  g_assert_cmpint (cli_run (f, "train", "i-json.nlab", "--epochs", "0", NULL), ==, 0);
  b = g_strdup (f->out);
  g_assert_cmpstr (a, ==, b);
}

static void
test_import_shape (CliFixture *f, gconstpointer data)
{
  make_projects (f);
  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", "w.json", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "export", "t.nlab", "-o", "w.npz", NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "new", "-o", "wide.nlab", "--hidden", "5,2", "--count", "100",
                            NULL), ==, 0);
  g_assert_cmpint (cli_run (f, "new", "-o", "deep.nlab", "--hidden", "4,2,2", "--count", "100",
                            NULL), ==, 0);

  cli_run (f, "import-weights", "wide.nlab", "w.json", "-o", "o.nlab", NULL);
  cli_assert_refused_without (f, "[4,2]", "o.nlab");
  g_assert_nonnull (strstr (f->err, "[5,2]"));
  cli_run (f, "import-weights", "wide.nlab", "w.npz", "-o", "o.nlab", NULL);
  cli_assert_refused_without (f, "[4,2]", "o.nlab");
  g_assert_nonnull (strstr (f->err, "[5,2]"));
  cli_run (f, "import-weights", "deep.nlab", "w.json", "-o", "o.nlab", NULL);
  cli_assert_refused_without (f, "w.json", "o.nlab");

  cli_run (f, "import-weights", "u.nlab", "t.nlab", "-o", "o.nlab", NULL);
  cli_assert_refused_without (f, "t.nlab", "o.nlab");
  cli_run (f, "import-weights", "u.nlab", "missing.json", "-o", "o.nlab", NULL);
  cli_assert_refused_without (f, "missing.json", "o.nlab");
  cli_run (f, "import-weights", "u.nlab", "w.json", NULL);
  cli_assert_refused (f, "-o");
  cli_run (f, "import-weights", "u.nlab", NULL);
  cli_assert_refused (f, "WEIGHTS");
}

static void
test_help (CliFixture *f, gconstpointer data)
{
  g_assert_cmpint (cli_run (f, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, "export"));
  g_assert_nonnull (strstr (f->out, "import-weights"));
  g_assert_cmpint (cli_run (f, "export", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, "--snippet"));
  g_assert_nonnull (strstr (f->out, "safetensors"));
  g_assert_cmpint (cli_run (f, "help", "import-weights", NULL), ==, 0);
  g_assert_nonnull (strstr (f->out, "OUT.nlab"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, CliFixture, NULL, cli_fixture_set_up, func, cli_fixture_tear_down)
  ADD ("/cli/export/formats", test_formats);
  ADD ("/cli/export/untrained", test_untrained);
  ADD ("/cli/export/snippet", test_snippet);
  ADD ("/cli/export/bad-input", test_bad_export);
  ADD ("/cli/import-weights/round-trip", test_import_round_trip);
  ADD ("/cli/import-weights/shape", test_import_shape);
  ADD ("/cli/export/help", test_help);
#undef ADD

  return g_test_run ();
}
