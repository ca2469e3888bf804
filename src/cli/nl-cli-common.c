/* nl-cli-common.c: errors, option parsing and output files shared by the subcommands. */
#include "nl-cli-common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "nn-project.h"

/* Messages from the engine may quote a line of a file; a one-line error must stay one line
 * whatever it quotes. */
static void
print_one_line (const char *message)
{
  g_autofree char *line = g_strdup (message);

  g_strchomp (line);
  for (char *p = line; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  fprintf (stderr, "%s: %s\n", NL_CLI_NAME, line);
}

int
nl_cli_fail (const GError *error)
{
  print_one_line (error != NULL ? error->message : _("unknown error"));
  return NL_CLI_FAILED;
}

int
nl_cli_fail_printf (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_one_line (message);
  return NL_CLI_FAILED;
}

GOptionContext *
nl_cli_option_context_new (const NlCliCommand *command, const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (command->parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
nl_cli_parse_options (GOptionContext *context, int *argc, char ***argv, GError **error)
{
  /* The usage line GOptionContext prints starts with the program name: make it
   * "neural-lab-cli train" rather than "neural-lab-cli". */
  g_autofree char *prgname = g_strdup_printf ("%s %s", NL_CLI_NAME, (*argv)[0]);

  g_set_prgname (prgname);
  return g_option_context_parse (context, argc, argv, error);
}

gboolean
nl_cli_expect_arguments (const NlCliCommand *command, int argc, char **argv, int wanted,
                         GError **error)
{
  int given = argc - 1;

  if (given == wanted)
    return TRUE;
  if (given < wanted)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("%s: missing %s (see “%s %s --help”)"), command->name, command->parameters,
                 NL_CLI_NAME, command->name);
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("%s: unexpected argument “%s” (see “%s %s --help”)"), command->name,
                 argv[wanted + 1], NL_CLI_NAME, command->name);
  return FALSE;
}

gboolean
nl_cli_parse_uint (const char *option, const char *text, guint64 min, guint64 max,
                   guint64 *out, GError **error)
{
  /* g_ascii_string_to_unsigned refuses a sign, spaces and trailing junk, which is what a
   * count or a seed should refuse. */
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a whole number from %llu to %llu"),
                   option, text, (unsigned long long) min, (unsigned long long) max);
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_cli_parse_double (const char *option, const char *text, double min, double max,
                     double *out, GError **error)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite (v) || v < min || v > max)
    {
      char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (lo, sizeof lo, "%g", min);
      g_ascii_formatd (hi, sizeof hi, "%g", max);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a number from %s to %s"), option, text, lo, hi);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* Every output is written through a temporary file in its folder: make one there now, so
 * that a folder that takes no files (read-only, /proc) is refused before anything is
 * trained or written, and a run never leaves some outputs written and others not. */
static gboolean
check_folder_writable (const char *option, const char *dir, GError **error)
{
  g_autofree char *probe = g_build_filename (dir, ".neural-lab-probe-XXXXXX", NULL);
  int fd = g_mkstemp (probe);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("%s: cannot write in the folder %s: %s"), option, dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

gboolean
nl_cli_check_output (const char *option, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (path[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: the file name is empty"), option);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: %s is a folder, not a file"), option, path);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: the folder %s does not exist"), option, dir);
      return FALSE;
    }
  return check_folder_writable (option, dir, error);
}

gboolean
nl_cli_write_file (const char *path, const GString *contents, GError **error)
{
  return nn_write_file_atomically (path, contents->str, contents->len, error);
}

void
nl_cli_append_double (GString *out, const char *format, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, format, v));
}

char *
nl_cli_join_names (guint n, NlCliNameFunc name)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", name (i));
  return g_string_free (s, FALSE);
}
