/* cli-test-utils.c: running neural-lab-cli and reading what it printed and wrote. */
#include "cli-test-utils.h"
#include "test-files.h"

#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

void
cli_fixture_set_up (CliFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* Named after the test program, to tell whose a folder left behind is (g_test_init sets
   * the program name to argv[0], a path). */
  g_autofree char *program = g_path_get_basename (g_get_prgname () != NULL ? g_get_prgname ()
                                                                           : "test-cli");
  g_autofree char *name = g_strdup_printf ("%s-XXXXXX", program);

  f->dir = g_dir_make_tmp (name, &error);
  g_assert_no_error (error);
}

void
cli_fixture_tear_down (CliFixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->out);
  g_free (f->err);
}

int
cli_run_strv (CliFixture *f, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *cli = g_getenv ("NL_CLI");
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &f->out,
                &f->err, &wait_status, &error);
  g_assert_no_error (error);
  f->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return f->status;
}

int
cli_run (CliFixture *f, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, f);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return cli_run_strv (f, (const char *const *) args->pdata);
}

guint
cli_count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

void
cli_assert_refused (CliFixture *f, const char *fragment)
{
  if (f->status != 1 || cli_count_lines (f->err) != 1
      || !g_str_has_prefix (f->err, "neural-lab-cli: "))
    g_error ("expected a one-line refusal, got status %d, stderr “%s”", f->status, f->err);
  if (fragment != NULL && strstr (f->err, fragment) == NULL)
    g_error ("expected “%s” in the message “%s”", fragment, f->err);
}

void
cli_assert_refused_without (CliFixture *f, const char *fragment, const char *output)
{
  cli_assert_refused (f, fragment);
  if (output != NULL && cli_exists (f, output))
    g_error ("a refused run left %s behind", output);
}

char *
cli_path (CliFixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

void
cli_write (CliFixture *f, const char *name, const char *bytes, gssize length)
{
  g_autofree char *path = cli_path (f, name);
  gsize            n = length < 0 ? strlen (bytes) : (gsize) length;
  int              fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, bytes, n), ==, (gssize) n);
  g_assert_cmpint (close (fd), ==, 0);
}

gboolean
cli_exists (CliFixture *f, const char *name)
{
  g_autofree char *path = cli_path (f, name);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

char *
cli_read (CliFixture *f, const char *name, gsize *length)
{
  g_autofree char *path = cli_path (f, name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

char *
cli_squeeze_spaces (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
cli_table_parse (const char *text, const char *header)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *table = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = cli_squeeze_spaces (lines[i]);

      if (table == NULL && g_str_has_prefix (line, header))
        table = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      else if (table != NULL && line[0] == '\0')
        break;
      if (table != NULL)
        g_ptr_array_add (table, g_strsplit (line, " ", -1));
    }
  return table;
}

guint
cli_table_column (GPtrArray *table, const char *name)
{
  GStrv header = g_ptr_array_index (table, 0);

  for (guint c = 0; header[c] != NULL; c++)
    if (strcmp (header[c], name) == 0)
      return c;
  g_error ("the table has no column %s", name);
  return 0;
}

const char *
cli_table_cell (GPtrArray *table, guint row, const char *column)
{
  GStrv cells;
  guint c = cli_table_column (table, column);

  g_assert_cmpuint (row, <, table->len);
  cells = g_ptr_array_index (table, row);
  g_assert_cmpuint (c, <, g_strv_length (cells));
  return cells[c];
}

guint
cli_table_find_row (GPtrArray *table, const char *label)
{
  for (guint r = 1; r < table->len; r++)
    if (strcmp (((GStrv) g_ptr_array_index (table, r))[0], label) == 0)
      return r;
  g_error ("the table has no row %s", label);
  return 0;
}
