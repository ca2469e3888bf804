/* nn-file.c: opening the files a user names, safely. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "nn-error.h"
#include "nn-file.h"

gboolean
nn_file_fail_errno (GError **error, const char *path, const char *what, int saved_errno)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, NN_ERROR, NN_ERROR_IO, "%s: %s: %s", name, what, g_strerror (saved_errno));
  return FALSE;
}

/* fstat() of what was opened, and whether it is a regular file. */
static gboolean
check_regular (int fd, const char *path, struct stat *st, GError **error)
{
  if (fstat (fd, st) != 0)
    return nn_file_fail_errno (error, path, _("could not read the file"), errno);
  if (!S_ISREG (st->st_mode))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, NN_ERROR, NN_ERROR_IO, _("%s: not a regular file"), name);
      return FALSE;
    }
  return TRUE;
}

/* nn_file_open_regular, also giving what fstat() said of the file. */
static int
open_regular (const char *path, struct stat *st, GError **error)
{
  /* O_NONBLOCK: open() on a FIFO returns at once instead of waiting for a writer. */
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);

  if (fd < 0)
    {
      nn_file_fail_errno (error, path, _("could not open the file"), errno);
      return -1;
    }
  if (!check_regular (fd, path, st, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
nn_file_open_regular (const char *path, GError **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, -1);

  return open_regular (path, &st, error);
}

static gboolean
fail_too_large (GError **error, const char *path, const char *too_large, gsize max_size)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, NN_ERROR, NN_ERROR_INVALID, too_large, name,
               (int) (max_size / (1024 * 1024)));
  return FALSE;
}

/* Reads up to `size` bytes; fewer at the end of the file. */
static gboolean
read_up_to (int fd, const char *path, char *buf, gsize size, gsize *done, GError **error)
{
  *done = 0;
  while (*done < size)
    {
      gssize n = read (fd, buf + *done, size - *done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return nn_file_fail_errno (error, path, _("could not read the file"), errno);
      if (n == 0)
        break;
      *done += (gsize) n;
    }
  return TRUE;
}

gboolean
nn_file_read_regular (const char  *path,
                      gsize        max_size,
                      const char  *too_large,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  g_autofree char *buf = NULL;
  struct stat st;
  gsize size, done;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL && too_large != NULL, FALSE);
  g_return_val_if_fail (contents != NULL && length != NULL, FALSE);

  fd = open_regular (path, &st, error);
  if (fd < 0)
    return FALSE;
  if ((guint64) st.st_size > max_size)
    {
      close (fd);
      return fail_too_large (error, path, too_large, max_size);
    }
  /* One byte more than the size reported, so that a file that grew is noticed rather than
   * cut short silently. */
  size = (gsize) st.st_size + 1;
  buf = g_malloc (size + 1);
  ok = read_up_to (fd, path, buf, size, &done, error);
  close (fd);
  if (!ok)
    return FALSE;
  if (done > max_size)
    return fail_too_large (error, path, too_large, max_size);
  buf[done] = '\0';
  *contents = g_steal_pointer (&buf);
  *length = done;
  return TRUE;
}
