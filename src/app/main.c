/* main.c: neural-lab, the application. */
#include <glib/gi18n.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "nl-application.h"

#if defined(__GLIBC__)
/* Hands the free pages glibc keeps in its per-thread arenas back to the system: the
 * training thread frees what the interface allocated and the other way round, and the
 * arenas fill with holes a growing heap never reuses. */
static gboolean
trim_heap (gpointer data)
{
  malloc_trim (0);
  return G_SOURCE_CONTINUE;
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NlApplication) app = NULL;

#if defined(__GLIBC__)
  /* Snapshots hand buffers of up to megabytes (the neuron and output grids) from the
   * training thread to the interface many times a second. glibc's default mmap threshold
   * grows to fit such a buffer once one is freed, after which they come from the thread
   * arenas and fragment them: in the ten-minute soak (tests/soak) resident memory then
   * climbed by about 90 MiB while the heap in use stayed flat. A fixed threshold keeps
   * big buffers mapped from the system and returned to it when freed; the trim every
   * 30 s returns what the smaller ones leave behind (about 15 MiB more). */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
  g_timeout_add_seconds (30, trim_heap, NULL);
#endif
  /* NEURAL_LAB_LOCALEDIR: the build tree's po/ (meson devenv and the tests set it), so an
   * uninstalled build finds its translations. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("NEURAL_LAB_LOCALEDIR") != NULL
                                   ? g_getenv ("NEURAL_LAB_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = nl_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
