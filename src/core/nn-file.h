/* nn-file.h: opening the files a user names, safely.
 *
 * A user's path may name a folder, a FIFO (open() would wait for a writer for ever) or a
 * device (/dev/zero never ends), and may point somewhere else by the time it is read.
 * These open without blocking and judge what was opened, not the name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets NN_ERROR_IO "FILE: WHAT: the system's words for saved_errno" (FILE as the user
 * would write it) and returns FALSE. */
gboolean nn_file_fail_errno   (GError     **error,
                               const char  *path,
                               const char  *what,
                               int          saved_errno);

/* A descriptor open for reading on the regular file `path`, or −1 with NN_ERROR_IO
 * ("FILE: could not open the file: …" or "FILE: not a regular file"). */
int      nn_file_open_regular (const char *path, GError **error);

/* The whole regular file `path`, NUL-terminated, when it holds at most `max_size` bytes;
 * else NN_ERROR_INVALID with `too_large`, a translated format taking the file's name (%s)
 * and `max_size` in MiB (%d). A file that grows while it is read is refused the same way. */
gboolean nn_file_read_regular (const char  *path,
                               gsize        max_size,
                               const char  *too_large,
                               char       **contents,
                               gsize       *length,
                               GError     **error);

G_END_DECLS
