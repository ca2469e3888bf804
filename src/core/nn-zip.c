/* nn-zip.c: a stored-only zip writer and a central-directory zip reader.
 *
 * Layout (PKWARE APPNOTE 6.3): for each member a local file header, then its data; then
 * the central directory, one header per member pointing back at its local header; then
 * the end of central directory record. All integers are little-endian.
 */
#include "nn-zip.h"
#include "nn-error.h"

#include <gio/gio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_END64_LOCATOR 0x07064b50u
#define LOCAL_HEADER_SIZE 30
#define CENTRAL_SIZE 46
#define END_SIZE 22
#define END64_SIZE 56
#define LOCATOR_SIZE 20
#define EXTRA_ZIP64 0x0001
#define VERSION_NEEDED 20                       /* 2.0: the oldest that knows folders */
#define VERSION_MADE_BY (3 << 8 | 20)           /* Unix, 2.0: external attributes hold the mode */
#define DOS_DATE_1980 ((0 << 9) | (1 << 5) | 1) /* 1980-01-01, the earliest there is */
#define FLAG_ENCRYPTED 0x0001
#define METHOD_STORED 0
#define METHOD_DEFLATED 8
/* Deflate cannot expand data by more than about 1032:1; anything claiming more is broken
 * or hostile, and refusing it up front keeps a bad header from allocating gigabytes. */
#define MAX_DEFLATE_RATIO 1032
#define MAX_MEMBER_SIZE ((guint64)1 << 30)

/* ------------------------------------------------------------------------------------ */
/* CRC-32                                                                               */

static guint32 crc_table[256];

static void
crc_table_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          crc_table[n] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

guint32
nn_crc32 (guint32 crc, const void *data, gsize length)
{
  const guint8 *p = data;

  g_return_val_if_fail (data != NULL || length == 0, crc);

  crc_table_init ();
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* ------------------------------------------------------------------------------------ */
/* Writer                                                                               */

typedef struct
{
  char   *name;
  guint32 crc;
  guint32 size;
  guint32 offset;
} Member;

struct _NnZipWriter
{
  GByteArray *out;
  GArray     *members; /* of Member */
};

static void
put_u16 (GByteArray *out, guint v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (out, b, sizeof b);
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, sizeof b);
}

static void
member_clear (gpointer data)
{
  Member *m = data;

  g_free (m->name);
}

NnZipWriter *
nn_zip_writer_new (void)
{
  NnZipWriter *zip = g_new0 (NnZipWriter, 1);

  zip->out = g_byte_array_new ();
  zip->members = g_array_new (FALSE, TRUE, sizeof (Member));
  g_array_set_clear_func (zip->members, member_clear);
  return zip;
}

void
nn_zip_writer_free (NnZipWriter *zip)
{
  if (zip == NULL)
    return;
  g_clear_pointer (&zip->out, g_byte_array_unref);
  g_clear_pointer (&zip->members, g_array_unref);
  g_free (zip);
}

/* The fields the local and the central header share, from "version needed" on. */
static void
put_common_fields (GByteArray *out, const Member *m)
{
  put_u16 (out, VERSION_NEEDED);
  put_u16 (out, 0); /* flags */
  put_u16 (out, METHOD_STORED);
  put_u16 (out, 0); /* time 00:00:00 */
  put_u16 (out, DOS_DATE_1980);
  put_u32 (out, m->crc);
  put_u32 (out, m->size); /* compressed size */
  put_u32 (out, m->size); /* uncompressed size */
  put_u16 (out, strlen (m->name));
  put_u16 (out, 0); /* extra field length */
}

void
nn_zip_writer_add (NnZipWriter *zip, const char *name, const void *data, gsize length)
{
  Member m;

  g_return_if_fail (zip != NULL && zip->out != NULL);
  g_return_if_fail (name != NULL && *name != '\0' && strlen (name) <= G_MAXUINT16);
  g_return_if_fail (data != NULL || length == 0);
  /* Without ZIP64 a member and the archive stay below 4 GiB: weights are kilobytes. */
  g_return_if_fail (length < G_MAXUINT32 && zip->out->len + length < G_MAXUINT32 / 2);

  m.name = g_strdup (name);
  m.crc = nn_crc32 (0, data, length);
  m.size = (guint32)length;
  m.offset = zip->out->len;

  put_u32 (zip->out, SIG_LOCAL);
  put_common_fields (zip->out, &m);
  g_byte_array_append (zip->out, (const guint8 *)m.name, strlen (m.name));
  if (length > 0)
    g_byte_array_append (zip->out, data, length);
  g_array_append_val (zip->members, m);
}

GBytes *
nn_zip_writer_finish (NnZipWriter *zip)
{
  guint32 directory_offset, directory_size;
  GBytes *bytes;

  g_return_val_if_fail (zip != NULL && zip->out != NULL, NULL);
  g_return_val_if_fail (zip->members->len <= G_MAXUINT16, NULL);

  directory_offset = zip->out->len;
  for (guint i = 0; i < zip->members->len; i++)
    {
      const Member *m = &g_array_index (zip->members, Member, i);

      put_u32 (zip->out, SIG_CENTRAL);
      put_u16 (zip->out, VERSION_MADE_BY);
      put_common_fields (zip->out, m);
      put_u16 (zip->out, 0);              /* comment length */
      put_u16 (zip->out, 0);              /* disk number */
      put_u16 (zip->out, 0);              /* internal attributes */
      put_u32 (zip->out, 0100644u << 16); /* external attributes: a regular file, rw-r--r-- */
      put_u32 (zip->out, m->offset);
      g_byte_array_append (zip->out, (const guint8 *)m->name, strlen (m->name));
    }
  directory_size = zip->out->len - directory_offset;

  put_u32 (zip->out, SIG_END);
  put_u16 (zip->out, 0);                 /* this disk */
  put_u16 (zip->out, 0);                 /* the disk where the directory starts */
  put_u16 (zip->out, zip->members->len); /* entries on this disk */
  put_u16 (zip->out, zip->members->len); /* entries in all */
  put_u32 (zip->out, directory_size);
  put_u32 (zip->out, directory_offset);
  put_u16 (zip->out, 0); /* comment length */

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&zip->out));
  nn_zip_writer_free (zip);
  return bytes;
}

/* ------------------------------------------------------------------------------------ */
/* Reader                                                                               */

typedef struct
{
  char   *name;
  guint   method;
  guint32 crc;
  guint64 compressed_size;
  guint64 size;
  guint64 offset; /* of the local header */
} Entry;

struct _NnZipReader
{
  GBytes       *archive;
  const guint8 *data;
  gsize         length;
  char         *name;
  GArray       *entries; /* of Entry */
};

static guint
get_u16 (const guint8 *p)
{
  return p[0] | (guint)p[1] << 8;
}

static guint32
get_u32 (const guint8 *p)
{
  return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint64
get_u64 (const guint8 *p)
{
  return get_u32 (p) | (guint64)get_u32 (p + 4) << 32;
}

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  g_free (e->name);
}

void
nn_zip_reader_free (NnZipReader *zip)
{
  if (zip == NULL)
    return;
  g_clear_pointer (&zip->archive, g_bytes_unref);
  g_clear_pointer (&zip->entries, g_array_unref);
  g_free (zip->name);
  g_free (zip);
}

static gboolean
corrupt (GError **error, const NnZipReader *zip, const char *what)
{
  g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("%s: not a valid zip archive (%s)"), zip->name,
               what);
  return FALSE;
}

/* The end of central directory record: 22 bytes plus a comment of up to 64 KiB, so it
 * is found by searching backwards from the end. */
static gssize
find_end_record (const NnZipReader *zip)
{
  gsize lowest;

  if (zip->length < END_SIZE)
    return -1;
  lowest = zip->length > END_SIZE + G_MAXUINT16 ? zip->length - END_SIZE - G_MAXUINT16 : 0;
  for (gsize at = zip->length - END_SIZE + 1; at-- > lowest;)
    if (get_u32 (zip->data + at) == SIG_END
        && at + END_SIZE + get_u16 (zip->data + at + 20) <= zip->length)
      return at;
  return -1;
}

/* Where the directory starts and how many entries it has, from the end record or, when
 * that says "see ZIP64", from the ZIP64 end record its locator points at. */
static gboolean
read_directory_location (NnZipReader *zip, guint64 *offset, guint64 *size, guint64 *count,
                         GError **error)
{
  gssize        end = find_end_record (zip);
  const guint8 *p;

  if (end < 0)
    return corrupt (error, zip, _("no end of central directory record"));
  p = zip->data + end;
  if (get_u16 (p + 4) != 0 || get_u16 (p + 6) != 0)
    return corrupt (error, zip, _("a multi-volume archive"));
  *count = get_u16 (p + 10);
  *size = get_u32 (p + 12);
  *offset = get_u32 (p + 16);

  if (*count == G_MAXUINT16 || *size == G_MAXUINT32 || *offset == G_MAXUINT32)
    {
      const guint8 *locator, *end64;
      guint64       at;

      if ((gsize)end < LOCATOR_SIZE
          || get_u32 (zip->data + end - LOCATOR_SIZE) != SIG_END64_LOCATOR)
        return corrupt (error, zip, _("no ZIP64 end of central directory locator"));
      locator = zip->data + end - LOCATOR_SIZE;
      at = get_u64 (locator + 8);
      if (at > zip->length || zip->length - at < END64_SIZE)
        return corrupt (error, zip, _("the ZIP64 end record lies outside the file"));
      end64 = zip->data + at;
      if (get_u32 (end64) != SIG_END64)
        return corrupt (error, zip, _("a bad ZIP64 end record"));
      *count = get_u64 (end64 + 32);
      *size = get_u64 (end64 + 40);
      *offset = get_u64 (end64 + 48);
    }
  if (*offset > zip->length || *size > zip->length - *offset)
    return corrupt (error, zip, _("the central directory lies outside the file"));
  return TRUE;
}

/* The ZIP64 extra field holds, in this order, only those of the sizes and the offset
 * whose 32-bit fields are all ones. */
static gboolean
read_zip64_extra (Entry *e, const guint8 *extra, gsize length, gboolean need_size,
                  gboolean need_compressed, gboolean need_offset)
{
  while (length >= 4)
    {
      guint         id = get_u16 (extra), n = get_u16 (extra + 2);
      const guint8 *field = extra + 4;

      if (n > length - 4)
        return FALSE;
      if (id == EXTRA_ZIP64)
        {
          gsize needed = 8 * (need_size + need_compressed + need_offset);

          if (n < needed)
            return FALSE;
          if (need_size)
            e->size = get_u64 (field), field += 8;
          if (need_compressed)
            e->compressed_size = get_u64 (field), field += 8;
          if (need_offset)
            e->offset = get_u64 (field);
          return TRUE;
        }
      extra += 4 + n;
      length -= 4 + n;
    }
  return !need_size && !need_compressed && !need_offset;
}

static gboolean
read_entry (NnZipReader *zip, const guint8 *p, gsize available, gsize *used, GError **error)
{
  Entry    e = { 0 };
  guint    name_length, extra_length, comment_length, flags;
  gboolean need_size, need_compressed, need_offset;

  if (available < CENTRAL_SIZE || get_u32 (p) != SIG_CENTRAL)
    return corrupt (error, zip, _("a bad central directory entry"));
  flags = get_u16 (p + 8);
  e.method = get_u16 (p + 10);
  e.crc = get_u32 (p + 16);
  e.compressed_size = get_u32 (p + 20);
  e.size = get_u32 (p + 24);
  name_length = get_u16 (p + 28);
  extra_length = get_u16 (p + 30);
  comment_length = get_u16 (p + 32);
  e.offset = get_u32 (p + 42);
  if ((gsize)CENTRAL_SIZE + name_length + extra_length + comment_length > available)
    return corrupt (error, zip, _("a central directory entry runs past the directory"));
  if (flags & FLAG_ENCRYPTED)
    return corrupt (error, zip, _("an encrypted member"));

  need_size = e.size == G_MAXUINT32;
  need_compressed = e.compressed_size == G_MAXUINT32;
  need_offset = e.offset == G_MAXUINT32;
  if (!read_zip64_extra (&e, p + CENTRAL_SIZE + name_length, extra_length, need_size,
                         need_compressed, need_offset))
    return corrupt (error, zip, _("a bad ZIP64 extra field"));

  e.name = g_strndup ((const char *)p + CENTRAL_SIZE, name_length);
  g_array_append_val (zip->entries, e);
  *used = CENTRAL_SIZE + name_length + extra_length + comment_length;
  return TRUE;
}

NnZipReader *
nn_zip_reader_new (GBytes *archive, const char *name, GError **error)
{
  g_autoptr (NnZipReader) zip = NULL;
  guint64       offset, size, count;
  const guint8 *p;
  gsize         left;

  g_return_val_if_fail (archive != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  zip = g_new0 (NnZipReader, 1);
  zip->archive = g_bytes_ref (archive);
  zip->data = g_bytes_get_data (archive, &zip->length);
  zip->name = g_strdup (name != NULL ? name : "archive");
  zip->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (zip->entries, entry_clear);

  if (!read_directory_location (zip, &offset, &size, &count, error))
    return NULL;
  p = zip->data + offset;
  left = size;
  for (guint64 i = 0; i < count; i++)
    {
      gsize used;

      if (!read_entry (zip, p, left, &used, error))
        return NULL;
      p += used;
      left -= used;
    }
  return g_steal_pointer (&zip);
}

guint
nn_zip_reader_get_n_members (const NnZipReader *zip)
{
  g_return_val_if_fail (zip != NULL, 0);

  return zip->entries->len;
}

const char *
nn_zip_reader_get_member (const NnZipReader *zip, guint index)
{
  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (index < zip->entries->len, NULL);

  return g_array_index (zip->entries, Entry, index).name;
}

static const Entry *
find_entry (const NnZipReader *zip, const char *member)
{
  for (guint i = 0; i < zip->entries->len; i++)
    if (strcmp (g_array_index (zip->entries, Entry, i).name, member) == 0)
      return &g_array_index (zip->entries, Entry, i);
  return NULL;
}

gboolean
nn_zip_reader_has_member (const NnZipReader *zip, const char *member)
{
  g_return_val_if_fail (zip != NULL && member != NULL, FALSE);

  return find_entry (zip, member) != NULL;
}

static gboolean
member_corrupt (GError **error, const NnZipReader *zip, const Entry *e, const char *what)
{
  g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("%s: member %s is damaged (%s)"), zip->name, e->name,
               what);
  return FALSE;
}

/* Raw deflate (no zlib or gzip wrapper) into exactly e->size bytes. The output buffer has
 * one byte to spare, so data that inflates to more than the header says is caught. */
static guint8 *
inflate_member (const NnZipReader *zip, const Entry *e, const guint8 *in, GError **error)
{
  g_autoptr (GConverter) inflater = NULL;
  g_autofree guint8 *out = g_malloc (e->size + 1);
  gsize              consumed = 0, produced = 0;

  inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW));
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      gsize            n_read = 0, n_written = 0;
      GConverterResult result;

      result = g_converter_convert (inflater, in + consumed, e->compressed_size - consumed,
                                    out + produced, e->size + 1 - produced,
                                    G_CONVERTER_INPUT_AT_END, &n_read, &n_written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          member_corrupt (error, zip, e, local_error->message);
          return NULL;
        }
      consumed += n_read;
      produced += n_written;
      if (result == G_CONVERTER_FINISHED)
        break;
      if (n_read == 0 && n_written == 0)
        {
          member_corrupt (error, zip, e, _("the compressed data ends early"));
          return NULL;
        }
    }
  if (produced != e->size)
    {
      member_corrupt (error, zip, e, _("its size differs from the directory's"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GBytes *
nn_zip_reader_extract (const NnZipReader *zip, const char *member, GError **error)
{
  const Entry       *e;
  const guint8      *local, *data;
  guint64            start;
  g_autofree guint8 *contents = NULL;

  g_return_val_if_fail (zip != NULL && member != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  e = find_entry (zip, member);
  if (e == NULL)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_PARSE, _("%s: no member named %s"), zip->name, member);
      return NULL;
    }
  if (e->offset > zip->length || zip->length - e->offset < LOCAL_HEADER_SIZE
      || get_u32 (zip->data + e->offset) != SIG_LOCAL)
    {
      member_corrupt (error, zip, e, _("no local header where the directory points"));
      return NULL;
    }
  local = zip->data + e->offset;
  /* The local header's name and extra field may differ in length from the directory's
   * (ZIP64 writers add an extra field only here), so the data starts after its own. */
  start = e->offset + LOCAL_HEADER_SIZE + get_u16 (local + 26) + get_u16 (local + 28);
  if (start > zip->length || e->compressed_size > zip->length - start)
    {
      member_corrupt (error, zip, e, _("its data runs past the end of the file"));
      return NULL;
    }
  data = zip->data + start;

  if (e->size > MAX_MEMBER_SIZE)
    {
      member_corrupt (error, zip, e, _("it is too large to be weights"));
      return NULL;
    }
  switch (e->method)
    {
    case METHOD_STORED:
      if (e->compressed_size != e->size)
        {
          member_corrupt (error, zip, e, _("stored, but its two sizes differ"));
          return NULL;
        }
      contents = g_memdup2 (data, e->size);
      break;
    case METHOD_DEFLATED:
      if (e->size > e->compressed_size * MAX_DEFLATE_RATIO + 1024)
        {
          member_corrupt (error, zip, e, _("its size is impossible for its compressed size"));
          return NULL;
        }
      contents = inflate_member (zip, e, data, error);
      if (contents == NULL)
        return NULL;
      break;
    default:
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   _("%s: member %s uses compression method %u (only stored and deflated "
                   "members can be read)"),
                   zip->name, e->name, e->method);
      return NULL;
    }

  if (nn_crc32 (0, contents, e->size) != e->crc)
    {
      member_corrupt (error, zip, e, _("its CRC-32 does not match"));
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), e->size);
}
