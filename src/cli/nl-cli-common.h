/* nl-cli-common.h: what the subcommands of neural-lab-cli share.
 *
 * Each subcommand is one function of (argc, argv) that returns the process's exit status:
 * 0 on success, 1 after printing one line "neural-lab-cli: …" on stderr. The table in
 * neural-lab-cli.c maps names to these functions, so a new subcommand is one file and one
 * row of that table.
 */
#pragma once

#include <glib.h>

#include "nl-figure-export.h"
#include "nn-race.h"

G_BEGIN_DECLS

#define NL_CLI_NAME "neural-lab-cli"

/* Exit statuses. */
#define NL_CLI_OK     0
#define NL_CLI_FAILED 1

typedef int (*NlCliRunFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *parameters; /* the usage after the command's name, e.g. "PROJECT.nlab" */
  const char  *summary;    /* marked with N_(), translated when shown */
  NlCliRunFunc run;
} NlCliCommand;

int nl_cli_train          (int argc, char **argv);
int nl_cli_predict        (int argc, char **argv);
int nl_cli_new            (int argc, char **argv);
int nl_cli_compare        (int argc, char **argv);
int nl_cli_export         (int argc, char **argv);
int nl_cli_import_weights (int argc, char **argv);
int nl_cli_render         (int argc, char **argv);

/* compare --figure (nl-cli-race-figure.c): the race drawn to FILE.png|svg|pdf. */
gboolean nl_cli_race_figure_format (const char *path, NlFigureFormat *format, GError **error);
gboolean nl_cli_save_race_figure   (NnRace *race, const char *title, const char *path,
                                    GError **error);

/* The command table, terminated by a row whose name is NULL. */
const NlCliCommand *nl_cli_get_commands (void);
const NlCliCommand *nl_cli_find_command (const char *name);

/* Prints "neural-lab-cli: MESSAGE" as a single line on stderr and returns NL_CLI_FAILED. */
int  nl_cli_fail        (const GError *error);
int  nl_cli_fail_printf (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* An option context for `command` with its usage, summary and options; the option
 * descriptions are translated through GETTEXT_PACKAGE. */
GOptionContext *nl_cli_option_context_new (const NlCliCommand *command,
                                           const GOptionEntry *entries);
/* Parses the command's options in place; positional arguments stay in argv[1..]. */
gboolean        nl_cli_parse_options      (GOptionContext *context, int *argc, char ***argv,
                                           GError **error);
/* Fails unless exactly `wanted` positional arguments remain after option parsing. */
gboolean        nl_cli_expect_arguments   (const NlCliCommand *command, int argc,
                                           char **argv, int wanted, GError **error);

/* Option values are parsed here rather than by GOptionContext so a bad value gets a message
 * that names the option and the allowed range. */
gboolean nl_cli_parse_uint     (const char *option, const char *text, guint64 min, guint64 max,
                                guint64 *out, GError **error);
gboolean nl_cli_parse_double   (const char *option, const char *text, double min, double max,
                                double *out, GError **error);
/* Fails early when the folder `path` would be written into does not exist, so a long
 * training run does not end in a failed write. */
gboolean nl_cli_check_output   (const char *option, const char *path, GError **error);

/* Writes `contents` to `path` atomically (never a half-written file). */
gboolean nl_cli_write_file     (const char *path, const GString *contents, GError **error);

/* Appends v with printf `format` in the C locale (a file read elsewhere must not get a
 * decimal comma from the user's locale). */
void     nl_cli_append_double  (GString *out, const char *format, double v);

/* "gd, sgd, momentum, rmsprop, adam": name (0) … name (n − 1), as the help and the error
 * messages list an option's choices. Free with g_free. */
typedef const char *(*NlCliNameFunc) (guint i);
char    *nl_cli_join_names     (guint n, NlCliNameFunc name);

/* Defines `static char *func (void)` listing every value of an enum by the engine's own
 * nn_*_to_string, so a new optimizer, surface or format shows up in the help and the
 * messages without a change in the CLI. The adapter exists because the engine's functions
 * take their enum, not a guint. */
#define NL_CLI_DEFINE_NAMES(func, Type, to_string, count)                                          \
  static const char *func##_nth (guint i) { return to_string ((Type) i); }                         \
  static char *func (void) { return nl_cli_join_names ((count), func##_nth); }

G_END_DECLS
