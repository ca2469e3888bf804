/* nn-export-npz.c: NumPy .npz archives of .npy arrays, both ways.
 *
 * An .npz is a zip archive with one NAME.npy member per array; numpy.load(path)[NAME]
 * gives the array back. A .npy file (format 1.0) is the magic "\x93NUMPY", the version
 * bytes 1 and 0, a little-endian 16-bit header length, and an ASCII header holding a
 * Python dict literal such as {'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }
 * padded with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes;
 * then the data, C order.
 *
 * Members written: layers.N.weight.npy ([out, in], '<f8'), layers.N.bias.npy ([out],
 * '<f8'), features.npy and activations.npy (unicode strings, '<UN'), alphas.npy (the
 * Leaky ReLU slope of each layer, '<f8'). The reader takes what numpy.savez and
 * numpy.savez_compressed write too: float32 or float64 of either byte order, C or Fortran
 * order, format versions 1 to 3.
 */
#include "nn-error.h"
#include "nn-export-private.h"
#include "nn-features.h"
#include "nn-zip.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_SIZE 6
#define NPY_ALIGN 64
#define NPY_MAX_DIMS 8

/* ------------------------------------------------------------------------------------ */
/* Writer                                                                               */

/* The header of a .npy file of the given dtype and shape (n_dims 1 or 2). */
static void
append_npy_header (GByteArray *out, const char *descr, guint n_dims, const guint *shape)
{
  GString *dict = g_string_new (NULL);
  guint16  length;

  g_string_append_printf (dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (guint d = 0; d < n_dims; d++)
    g_string_append_printf (dict, d > 0 ? ", %u" : "%u", shape[d]);
  /* A one-element tuple needs its comma, as Python writes it: (3,). */
  g_string_append (dict, n_dims == 1 ? ",), }" : "), }");
  while ((NPY_MAGIC_SIZE + 2 + 2 + dict->len + 1) % NPY_ALIGN != 0)
    g_string_append_c (dict, ' ');
  g_string_append_c (dict, '\n');

  length = GUINT16_TO_LE (dict->len);
  g_byte_array_append (out, (const guint8 *)NPY_MAGIC, NPY_MAGIC_SIZE);
  g_byte_array_append (out, (const guint8 *)"\001\000", 2);
  g_byte_array_append (out, (const guint8 *)&length, 2);
  g_byte_array_append (out, (const guint8 *)dict->str, dict->len);
  g_string_free (dict, TRUE);
}

static void
add_doubles (NnZipWriter *zip, const char *name, const double *v, guint n_dims, const guint *shape)
{
  g_autoptr (GByteArray) npy = g_byte_array_new ();
  gsize count = 1;

  for (guint d = 0; d < n_dims; d++)
    count *= shape[d];
  append_npy_header (npy, "<f8", n_dims, shape);
  for (gsize i = 0; i < count; i++)
    {
      guint64 bits;

      memcpy (&bits, &v[i], sizeof bits);
      bits = GUINT64_TO_LE (bits);
      g_byte_array_append (npy, (const guint8 *)&bits, sizeof bits);
    }
  nn_zip_writer_add (zip, name, npy->data, npy->len);
}

/* A 1-D array of ASCII strings as '<UN': N UCS-4 code units an element, zero-padded. */
static void
add_strings (NnZipWriter *zip, const char *name, const char *const *items, guint n)
{
  g_autoptr (GByteArray) npy = g_byte_array_new ();
  g_autofree char *descr = NULL;
  guint            width = 1;

  for (guint i = 0; i < n; i++)
    width = MAX (width, strlen (items[i]));
  descr = g_strdup_printf ("<U%u", width);
  append_npy_header (npy, descr, 1, &n);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < width; c++)
      {
        guint32 unit = GUINT32_TO_LE (c < strlen (items[i]) ? (guchar)items[i][c] : 0);

        g_byte_array_append (npy, (const guint8 *)&unit, sizeof unit);
      }
  nn_zip_writer_add (zip, name, npy->data, npy->len);
}

GBytes *
nn_export_write_npz (const NnExportModel *m)
{
  NnZipWriter *zip = nn_zip_writer_new ();
  const char  *features[NN_N_FEATURES], *activations[NN_MAX_LAYERS];
  double       alphas[NN_MAX_LAYERS];
  guint        n_features = 0;

  for (guint l = 0; l < m->n_layers; l++)
    {
      const NnLayer   *layer = &m->layers[l];
      guint            shape[2] = { layer->n_out, layer->n_in };
      g_autofree char *weight = g_strdup_printf ("layers.%u.weight.npy", l);
      g_autofree char *bias = g_strdup_printf ("layers.%u.bias.npy", l);

      add_doubles (zip, weight, m->params + layer->w_offset, 2, shape);
      add_doubles (zip, bias, m->params + layer->b_offset, 1, shape);
      activations[l] = nn_activation_to_string (layer->activation);
      alphas[l] = layer->alpha;
    }

  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (m->features & nn_feature_nth (i))
      features[n_features++] = nn_feature_to_string (nn_feature_nth (i));
  add_strings (zip, "features.npy", features, n_features);
  add_strings (zip, "activations.npy", activations, m->n_layers);
  add_doubles (zip, "alphas.npy", alphas, 1, &m->n_layers);

  return nn_zip_writer_finish (zip);
}

/* ------------------------------------------------------------------------------------ */
/* Reader                                                                               */

typedef struct
{
  char          kind; /* 'f' float, 'U' unicode string, 'S' byte string */
  gboolean      big_endian;
  guint         item_size; /* bytes an element */
  gboolean      fortran_order;
  guint         n_dims;
  guint64       shape[NPY_MAX_DIMS];
  guint64       count;
  const guint8 *data;
} NpyArray;

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && g_ascii_isspace (*c->p))
    c->p++;
}

static gboolean
accept (Cursor *c, char ch)
{
  skip_space (c);
  if (c->p < c->end && *c->p == ch)
    {
      c->p++;
      return TRUE;
    }
  return FALSE;
}

/* A Python string literal without escapes (all a .npy header ever has). */
static char *
parse_string (Cursor *c)
{
  const char *start;
  char        quote;

  skip_space (c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return NULL;
  quote = *c->p++;
  start = c->p;
  while (c->p < c->end && *c->p != quote && *c->p != '\\')
    c->p++;
  if (c->p >= c->end || *c->p != quote)
    return NULL;
  return g_strndup (start, c->p++ - start);
}

static gboolean
parse_word (Cursor *c, const char *word)
{
  gsize n = strlen (word);

  skip_space (c);
  if ((gsize)(c->end - c->p) >= n && strncmp (c->p, word, n) == 0)
    {
      c->p += n;
      return TRUE;
    }
  return FALSE;
}

/* (4, 3), (3,) or (): the dimensions of the array. */
static gboolean
parse_shape (Cursor *c, NpyArray *a)
{
  if (!accept (c, '('))
    return FALSE;
  a->n_dims = 0;
  while (!accept (c, ')'))
    {
      guint64  v = 0;
      gboolean digits = FALSE;

      skip_space (c);
      while (c->p < c->end && g_ascii_isdigit (*c->p))
        {
          if (v > G_MAXUINT32)
            return FALSE;
          v = v * 10 + (*c->p++ - '0');
          digits = TRUE;
        }
      if (!digits || a->n_dims == NPY_MAX_DIMS)
        return FALSE;
      a->shape[a->n_dims++] = v;
      if (!accept (c, ',') && !(skip_space (c), c->p < c->end && *c->p == ')'))
        return FALSE;
    }
  return TRUE;
}

/* descr: byte order ('<', '>', '|' or '='), kind, size in bytes (in characters for 'U'). */
static gboolean
parse_descr (const char *descr, NpyArray *a)
{
  guint64 size;
  char   *end;

  if (strlen (descr) < 3 || strchr ("<>|=", descr[0]) == NULL)
    return FALSE;
  a->big_endian = descr[0] == '>' || (descr[0] == '=' && G_BYTE_ORDER == G_BIG_ENDIAN);
  a->kind = descr[1];
  size = g_ascii_strtoull (descr + 2, &end, 10);
  if (*end != '\0' || size == 0 || size > 1024)
    return FALSE;
  switch (a->kind)
    {
    case 'f':
      a->item_size = size;
      return size == 4 || size == 8;
    case 'U':
      a->item_size = 4 * size;
      return TRUE;
    case 'S':
      a->item_size = size;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
npy_fail (GError **error, NnError code, const char *name, const char *array, const char *what)
{
  g_set_error (error, NN_ERROR, code, _("%s: %s is not a readable .npy array (%s)"), name, array,
               what);
  return FALSE;
}

static gboolean
parse_npy (GBytes *bytes, const char *name, const char *array, NpyArray *a, GError **error)
{
  gsize            length, header_length, start, data_length;
  const guint8    *p = g_bytes_get_data (bytes, &length);
  g_autofree char *descr = NULL;
  gboolean         have_order = FALSE, have_shape = FALSE;
  Cursor           c;

  memset (a, 0, sizeof *a);
  if (length < NPY_MAGIC_SIZE + 4 || memcmp (p, NPY_MAGIC, NPY_MAGIC_SIZE) != 0)
    return npy_fail (error, NN_ERROR_PARSE, name, array, _("no .npy magic"));
  switch (p[6])
    {
    case 1:
      header_length = p[8] | (gsize)p[9] << 8;
      start = 10;
      break;
    case 2:
    case 3:
      if (length < 12)
        return npy_fail (error, NN_ERROR_PARSE, name, array, _("truncated header"));
      header_length = p[8] | (gsize)p[9] << 8 | (gsize)p[10] << 16 | (gsize)p[11] << 24;
      start = 12;
      break;
    default:
      return npy_fail (error, NN_ERROR_UNSUPPORTED, name, array, _("unknown format version"));
    }
  if (header_length > length - start)
    return npy_fail (error, NN_ERROR_PARSE, name, array, _("truncated header"));

  c.p = (const char *)p + start;
  c.end = c.p + header_length;
  if (!accept (&c, '{'))
    return npy_fail (error, NN_ERROR_PARSE, name, array, _("the header is not a dict"));
  while (!accept (&c, '}'))
    {
      g_autofree char *key = parse_string (&c);

      if (key == NULL || !accept (&c, ':'))
        return npy_fail (error, NN_ERROR_PARSE, name, array, _("a malformed header"));
      if (strcmp (key, "descr") == 0)
        {
          g_free (descr);
          descr = parse_string (&c);
          if (descr == NULL)
            return npy_fail (error, NN_ERROR_UNSUPPORTED, name, array, _("a structured dtype"));
        }
      else if (strcmp (key, "fortran_order") == 0)
        {
          if (parse_word (&c, "True"))
            a->fortran_order = TRUE;
          else if (!parse_word (&c, "False"))
            return npy_fail (error, NN_ERROR_PARSE, name, array, _("a bad fortran_order"));
          have_order = TRUE;
        }
      else if (strcmp (key, "shape") == 0)
        {
          if (!parse_shape (&c, a))
            return npy_fail (error, NN_ERROR_PARSE, name, array, _("a bad shape"));
          have_shape = TRUE;
        }
      else
        return npy_fail (error, NN_ERROR_PARSE, name, array, _("an unknown header key"));
      if (!accept (&c, ','))
        {
          if (!accept (&c, '}'))
            return npy_fail (error, NN_ERROR_PARSE, name, array, _("a malformed header"));
          break;
        }
    }
  if (descr == NULL || !have_order || !have_shape)
    return npy_fail (error, NN_ERROR_PARSE, name, array, _("the header lacks a key"));
  if (!parse_descr (descr, a))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   _("%s: %s has dtype '%s'; Neural Lab reads float32 and float64 arrays"), name,
                   array, descr);
      return FALSE;
    }

  /* The element count never exceeds the data's size, so the products cannot overflow. */
  data_length = length - start - header_length;
  a->count = 1;
  for (guint d = 0; d < a->n_dims; d++)
    {
      if (a->shape[d] != 0 && a->count > data_length / a->shape[d])
        return npy_fail (error, NN_ERROR_PARSE, name, array, _("its data is shorter than its shape"));
      a->count *= a->shape[d];
    }
  if (a->count * a->item_size != data_length)
    return npy_fail (error, NN_ERROR_PARSE, name, array, _("its data does not match its shape"));
  a->data = p + start + header_length;
  return TRUE;
}

static double
npy_double (const NpyArray *a, guint64 index)
{
  const guint8 *p = a->data + index * a->item_size;

  if (a->item_size == 8)
    {
      guint64 bits;
      double  v;

      memcpy (&bits, p, sizeof bits);
      bits = a->big_endian ? GUINT64_FROM_BE (bits) : GUINT64_FROM_LE (bits);
      memcpy (&v, &bits, sizeof v);
      return v;
    }
  else
    {
      guint32 bits;
      float   v;

      memcpy (&bits, p, sizeof bits);
      bits = a->big_endian ? GUINT32_FROM_BE (bits) : GUINT32_FROM_LE (bits);
      memcpy (&v, &bits, sizeof v);
      return v;
    }
}

static char *
shape_text (const guint64 *shape, guint n_dims)
{
  GString *s = g_string_new ("[");

  for (guint d = 0; d < n_dims; d++)
    g_string_append_printf (s, d > 0 ? ",%" G_GUINT64_FORMAT : "%" G_GUINT64_FORMAT, shape[d]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* Reads the member `array`.npy, of exactly the given shape, into out (C order). */
static gboolean
read_tensor (const NnZipReader *zip, const char *name, const char *array, guint n_dims,
             const guint64 *shape, double *out, GError **error)
{
  g_autofree char *member = g_strconcat (array, ".npy", NULL);
  g_autoptr (GBytes) bytes = NULL;
  NpyArray a;

  if (!nn_zip_reader_has_member (zip, member))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE, _("%s: %s is missing"), name, array);
      return FALSE;
    }
  bytes = nn_zip_reader_extract (zip, member, error);
  if (bytes == NULL || !parse_npy (bytes, name, array, &a, error))
    return FALSE;
  if (a.kind != 'f')
    {
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   _("%s: %s holds strings; Neural Lab reads float32 and float64 arrays"), name,
                   array);
      return FALSE;
    }
  if (a.n_dims != n_dims || memcmp (a.shape, shape, n_dims * sizeof *shape) != 0)
    {
      g_autofree char *have = shape_text (a.shape, a.n_dims);
      g_autofree char *want = shape_text (shape, n_dims);

      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE, _("%s: %s has shape %s, the network needs %s"),
                   name, array, have, want);
      return FALSE;
    }

  for (guint64 i = 0; i < a.count; i++)
    {
      /* Element i in C order; in Fortran order the first index varies fastest. */
      guint64 at = i;

      if (a.fortran_order && n_dims == 2)
        at = (i % shape[1]) * shape[0] + i / shape[1];
      out[i] = npy_double (&a, at);
      if (!isfinite (out[i]))
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID, _("%s: %s holds a value that is not finite"),
                       name, array);
          return FALSE;
        }
    }
  return TRUE;
}

/* features.npy, when present, names the features the weights were trained on. */
static gboolean
check_features (const NnZipReader *zip, const char *name, guint features, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  NpyArray a;
  guint    mask = 0;

  if (features == 0 || !nn_zip_reader_has_member (zip, "features.npy"))
    return TRUE;
  bytes = nn_zip_reader_extract (zip, "features.npy", error);
  if (bytes == NULL || !parse_npy (bytes, name, "features", &a, error))
    return FALSE;
  if ((a.kind != 'U' && a.kind != 'S') || a.n_dims != 1)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("%s: features is not a 1-D array of strings"),
                   name);
      return FALSE;
    }

  for (guint64 i = 0; i < a.count; i++)
    {
      const guint8 *p = a.data + i * a.item_size;
      guint         n = a.kind == 'U' ? a.item_size / 4 : a.item_size;
      GString      *item = g_string_new (NULL);
      NnFeature     f;
      gboolean      known;

      for (guint k = 0; k < n; k++)
        {
          guint32 unit;

          if (a.kind == 'U')
            {
              memcpy (&unit, p + 4 * k, 4);
              unit = a.big_endian ? GUINT32_FROM_BE (unit) : GUINT32_FROM_LE (unit);
            }
          else
            unit = p[k];
          if (unit == 0)
            break;
          /* Feature names are ASCII; anything else is simply not one of them. */
          g_string_append_c (item, unit < 0x80 ? (char)unit : '?');
        }
      known = nn_feature_from_string (item->str, &f);
      g_string_free (item, TRUE);
      if (!known)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_PARSE,
                       _("%s: features[%llu] is not one of x1, x2, x1^2, x2^2, "
                       "x1*x2, sin(x1), sin(x2)"),
                       name, (unsigned long long) i);
          return FALSE;
        }
      mask |= f;
    }
  return nn_import_check_features (name, "features", mask, features, error);
}

/* The number of layers the archive holds: one more than the highest N of a layers.N.*
 * member (so a gap shows up as a missing tensor, not as a shorter network). */
static guint
count_layers (const NnZipReader *zip)
{
  guint n = 0;

  for (guint i = 0; i < nn_zip_reader_get_n_members (zip); i++)
    {
      const char *member = nn_zip_reader_get_member (zip, i);
      guint64     index;
      char       *end;

      if (!g_str_has_prefix (member, "layers.") || !g_ascii_isdigit (member[7]))
        continue;
      index = g_ascii_strtoull (member + 7, &end, 10);
      if (*end == '.' && index < G_MAXUINT)
        n = MAX (n, (guint)index + 1);
    }
  return n;
}

gboolean
nn_import_read_npz (GBytes *data, const char *name, guint features, const NnNetwork *net,
                    double *params, GError **error)
{
  g_autoptr (NnZipReader) zip = NULL;
  guint n_layers;

  zip = nn_zip_reader_new (data, name, error);
  if (zip == NULL)
    return FALSE;
  if (!check_features (zip, name, features, error))
    return FALSE;

  n_layers = count_layers (zip);
  if (n_layers == 0)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_PARSE,
                   _("%s: holds no layers.N.weight arrays: not an .npz of network weights"), name);
      return FALSE;
    }
  if (n_layers != net->n_layers)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("%s: holds %u layers (layers.0 to layers.%u), the network needs %u (its "
                   "hidden layers and the output layer)"),
                   name, n_layers, n_layers - 1, net->n_layers);
      return FALSE;
    }

  for (guint l = 0; l < net->n_layers; l++)
    {
      const NnLayer   *layer = &net->layers[l];
      guint64          shape[2] = { layer->n_out, layer->n_in };
      g_autofree char *weight = g_strdup_printf ("layers.%u.weight", l);
      g_autofree char *bias = g_strdup_printf ("layers.%u.bias", l);

      if (!read_tensor (zip, name, weight, 2, shape, params + layer->w_offset, error)
          || !read_tensor (zip, name, bias, 1, shape, params + layer->b_offset, error))
        return FALSE;
    }
  return TRUE;
}
