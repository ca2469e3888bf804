/* test-files.c: the folders the tests make, removed again. */
#include "test-files.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

void
test_remove_tree (const char *path)
{
  GStatBuf st;

  /* lstat, and chmod on folders only: a link (tests/robustness makes one to /dev/zero)
   * must not lead outside the tree, nor have its target's mode changed. */
  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autoptr (GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0755);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_remove_tree (child);
        }
    }
  g_remove (path);
}
