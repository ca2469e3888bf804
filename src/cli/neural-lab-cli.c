/* neural-lab-cli.c: the engine without a display — train, predict and create projects.
 *
 * main() only finds the subcommand in the table below and hands it the rest of the
 * command line; each subcommand parses its own options (nl-cli-*.c).
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"

static const NlCliCommand commands[] = {
  { "train", "PROJECT.nlab", N_("Train a project and report its loss and accuracy"),
    nl_cli_train },
  { "predict", "PROJECT.nlab", N_("Compute the trained network’s outputs for points"),
    nl_cli_predict },
  { "new", "-o FILE.nlab", N_("Create a project from a few options"), nl_cli_new },
  { "compare", "--surface NAME | --preset NAME | --project FILE.nlab",
    N_("Race optimizers on a loss surface or on a project’s network"), nl_cli_compare },
  { "export", "PROJECT.nlab -o FILE", N_("Write a project’s weights for NumPy, PyTorch, ONNX…"),
    nl_cli_export },
  { "import-weights", "PROJECT.nlab WEIGHTS -o OUT.nlab",
    N_("Put exported weights (JSON or .npz) back into a project"), nl_cli_import_weights },
  { "render", "PROJECT.nlab --view VIEW -o FILE",
    N_("Draw a view of a project as a PNG, SVG or PDF figure"), nl_cli_render },
  { NULL, NULL, NULL, NULL },
};

const NlCliCommand *
nl_cli_get_commands (void)
{
  return commands;
}

const NlCliCommand *
nl_cli_find_command (const char *name)
{
  for (const NlCliCommand *c = commands; c->name != NULL; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  %s %s\n\n", _("Usage:"), NL_CLI_NAME, _("COMMAND [OPTION…]"));
  fprintf (out, "%s\n\n", _("Train and use Neural Lab projects without a display."));
  fprintf (out, "%s\n", _("Commands:"));
  for (const NlCliCommand *c = commands; c->name != NULL; c++)
    fprintf (out, "  %-15s %s\n", c->name, _(c->summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-14s %s\n", "-h, --help", _("Show this help"));
  fprintf (out, "  %-14s %s\n", "--version", _("Show the version"));
  fprintf (out, "\n");
  fprintf (out, _("Run “%s COMMAND --help” for the options of a command."), NL_CLI_NAME);
  fprintf (out, "\n");
}

/* Runs the command named argv[1] with argv[1..] as its own command line, so its argv[0] is
 * its name. */
static int
run_command (const NlCliCommand *command, int argc, char **argv)
{
  return command->run (argc - 1, argv + 1);
}

static int
fail_unknown_command (const char *name)
{
  return nl_cli_fail_printf (_("unknown command “%s” (see “%s --help”)"), name, NL_CLI_NAME);
}

/* "help" is --help, and "help train" is "train --help". */
static int
run_help (int argc, char **argv)
{
  const NlCliCommand *command;
  char *help_argv[] = { argv[0], NULL, (char *) "--help", NULL };

  if (argc == 2)
    {
      print_usage (stdout);
      return NL_CLI_OK;
    }
  command = nl_cli_find_command (argv[2]);
  if (command == NULL)
    return fail_unknown_command (argv[2]);
  help_argv[1] = argv[2];
  return run_command (command, 3, help_argv);
}

int
main (int argc, char **argv)
{
  const NlCliCommand *command;

  setlocale (LC_ALL, "");
  /* NEURAL_LAB_LOCALEDIR: the build tree's po/, for an uninstalled build (see po/meson.build). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("NEURAL_LAB_LOCALEDIR") != NULL
                                   ? g_getenv ("NEURAL_LAB_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (NL_CLI_NAME);

  if (argc < 2)
    {
      print_usage (stderr);
      return NL_CLI_FAILED;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "-?") == 0)
    {
      print_usage (stdout);
      return NL_CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("%s %s\n", NL_CLI_NAME, PACKAGE_VERSION);
      return NL_CLI_OK;
    }
  if (strcmp (argv[1], "help") == 0)
    return run_help (argc, argv);

  command = nl_cli_find_command (argv[1]);
  if (command == NULL)
    return fail_unknown_command (argv[1]);
  return run_command (command, argc, argv);
}
