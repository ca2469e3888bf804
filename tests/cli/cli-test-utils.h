/* cli-test-utils.h: running neural-lab-cli as a user does, for the CLI test programs.
 *
 * The executable comes from $NL_CLI (set by meson). Each test works in its own temporary
 * folder (named after the test program), removed afterwards; the output of the last run
 * stays in the fixture. tests/robustness embeds the fixture in its own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  int   status; /* exit status of the last run, or -1 when it did not exit normally */
  char *out;
  char *err;
} CliFixture;

void     cli_fixture_set_up    (CliFixture *f, gconstpointer data);
void     cli_fixture_tear_down (CliFixture *f, gconstpointer data);

/* Runs the CLI with the NULL-terminated arguments in the fixture's folder; returns its exit
 * status. A crash (a signal) leaves -1, which no test accepts. */
int      cli_run               (CliFixture *f, ...) G_GNUC_NULL_TERMINATED;
/* The same with the arguments as a NULL-terminated array. */
int      cli_run_strv          (CliFixture *f, const char *const *args);
/* A refusal: exit status 1 and exactly one line "neural-lab-cli: …" on stderr, containing
 * `fragment` unless it is NULL. */
void     cli_assert_refused    (CliFixture *f, const char *fragment);
/* The same, and the file `output` (in the fixture's folder; none when NULL) was not left
 * behind. */
void     cli_assert_refused_without (CliFixture *f, const char *fragment, const char *output);

char    *cli_path              (CliFixture *f, const char *name);
/* Writes `length` bytes (all of a NUL-terminated string when -1) into the file `name`, in
 * place, not through a temporary file as g_file_set_contents does: a name of 250 bytes
 * has no room for a temporary one beside it. */
void     cli_write             (CliFixture *f, const char *name, const char *bytes,
                                gssize length);
gboolean cli_exists            (CliFixture *f, const char *name);
/* The file's bytes (NUL-terminated too, for text). */
char    *cli_read              (CliFixture *f, const char *name, gsize *length);
guint    cli_count_lines       (const char *text);

/* The rows of the first table whose header starts with the column names `header` (single
 * spaces between them), each a NULL-terminated array of its whitespace-separated cells,
 * header first; the table ends at the first empty line. NULL when there is no such table. */
GPtrArray *cli_table_parse     (const char *text, const char *header);
/* `text` with every run of white space made one space, for finding wrapped sentences. */
char    *cli_squeeze_spaces    (const char *text);
/* The index of `name` in the header row; fails the test when it is missing. */
guint    cli_table_column      (GPtrArray *table, const char *name);
const char *cli_table_cell     (GPtrArray *table, guint row, const char *column);
/* The row (1…) whose first cell is `label`; fails the test when there is none. */
guint    cli_table_find_row    (GPtrArray *table, const char *label);

G_END_DECLS
