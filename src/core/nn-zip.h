/* nn-zip.h: the small part of the zip format that NumPy's .npz files need.
 *
 * The writer stores members uncompressed (method 0) with fixed 1980-01-01 timestamps, so
 * the same contents always give the same archive. The reader follows the central
 * directory (as every zip reader should), understands the ZIP64 extra field NumPy writes,
 * inflates deflated members (np.savez_compressed) and checks every member's CRC-32.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CRC-32 as zip, PNG and gzip use it (reflected polynomial 0xEDB88320). Start with 0 and
 * pass the previous result to continue over more data. */
guint32      nn_crc32                    (guint32 crc, const void *data, gsize length);

typedef struct _NnZipWriter NnZipWriter;

NnZipWriter *nn_zip_writer_new           (void);
/* Adds a member; names are stored as given (use '/' between folders). */
void         nn_zip_writer_add           (NnZipWriter *zip, const char *name, const void *data,
                                          gsize length);
/* The finished archive; frees the writer. */
GBytes      *nn_zip_writer_finish        (NnZipWriter *zip);
void         nn_zip_writer_free          (NnZipWriter *zip);

typedef struct _NnZipReader NnZipReader;

/* Reads the central directory of `archive`. `name` (the file's display name) starts
 * every error message. Fails with NN_ERROR_PARSE when this is not a zip archive. */
NnZipReader *nn_zip_reader_new           (GBytes *archive, const char *name, GError **error);
void         nn_zip_reader_free          (NnZipReader *zip);
guint        nn_zip_reader_get_n_members (const NnZipReader *zip);
const char  *nn_zip_reader_get_member    (const NnZipReader *zip, guint index);
gboolean     nn_zip_reader_has_member    (const NnZipReader *zip, const char *member);
/* A member's contents, inflated and checked against its CRC-32. */
GBytes      *nn_zip_reader_extract       (const NnZipReader *zip, const char *member,
                                          GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnZipWriter, nn_zip_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnZipReader, nn_zip_reader_free)

G_END_DECLS
