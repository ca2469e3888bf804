/* main.c: neural-lab, the application. */
#include <glib/gi18n.h>

#include "nl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NlApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = nl_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
