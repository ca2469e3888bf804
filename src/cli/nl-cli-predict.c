/* nl-cli-predict.c: `neural-lab-cli predict PROJECT.nlab --input POINTS.csv` — the trained
 * network's outputs for each point.
 *
 * The input is one point a line, "x1,x2" (a third column, such as the label of a data
 * file, is ignored), with an optional header line. The output repeats x1 and x2 and adds
 * one column per network output: output_0 … output_{k−1}.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nl-cli-common.h"
#include "nn-trainer.h"

/* Stated limits, so a huge file is refused at once rather than exhausting memory. */
#define MAX_POINTS     1000000
#define MAX_INPUT_SIZE (128 * 1024 * 1024)
/* Points handed to the network at once: bounds the output buffer. */
#define CHUNK 1024

typedef struct
{
  char *input;
  char *output;
} PredictOptions;

static void
predict_options_clear (PredictOptions *o)
{
  g_free (o->input);
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PredictOptions, predict_options_clear)

/* A whole field must be one finite number, surrounded by spaces at most. */
static gboolean
parse_number (const char *field, double *out)
{
  char *end = NULL;

  while (g_ascii_isspace (*field))
    field++;
  if (*field == '\0')
    return FALSE;
  *out = g_ascii_strtod (field, &end);
  while (g_ascii_isspace (*end))
    end++;
  return end != field && *end == '\0' && isfinite (*out);
}

/* Splits `line` in place at commas into at most `max` fields; returns how many it has. */
static guint
split_fields (char *line, char **fields, guint max)
{
  guint n = 0;

  for (char *p = line;; p++)
    {
      if (n < max)
        fields[n] = p;
      n++;
      p = strchr (p, ',');
      if (p == NULL)
        return n;
      *p = '\0';
    }
}

typedef struct
{
  const char *path;
  GArray     *xy;        /* x1, x2 pairs */
  guint       columns;   /* of the first data row; every row must match */
  gboolean    seen_line; /* a header is allowed on the first line only */
} Reader;

static gboolean
read_line (Reader *r, char *line, guint line_no, GError **error)
{
  char *fields[3];
  guint n;
  double x[2];

  g_strstrip (line);
  if (line[0] == '\0' || line[0] == '#')
    return TRUE;
  n = split_fields (line, fields, G_N_ELEMENTS (fields));

  if (!r->seen_line && !parse_number (fields[0], &x[0]))
    {
      r->seen_line = TRUE; /* a header such as "x1,x2" */
      return TRUE;
    }
  r->seen_line = TRUE;
  if (n < 2 || n > 3)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s:%u: expected x1,x2 (and at most a label after them), found %u values"),
                   r->path, line_no, n);
      return FALSE;
    }
  if (r->columns != 0 && n != r->columns)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s:%u: found %u values where the lines before have %u"), r->path,
                   line_no, n, r->columns);
      return FALSE;
    }
  r->columns = n;
  for (guint c = 0; c < 2; c++)
    if (!parse_number (fields[c], &x[c]))
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     _("%s:%u: column %u: “%s” is not a finite number"), r->path, line_no,
                     c + 1, g_strstrip (fields[c]));
        return FALSE;
      }
  if (r->xy->len / 2 >= MAX_POINTS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                   _("%s: more than %u points; split the file"), r->path, MAX_POINTS);
      return FALSE;
    }
  g_array_append_vals (r->xy, x, 2);
  return TRUE;
}

static gboolean
fail_errno (const char *path, int saved, GError **error)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
fail_too_large (const char *path, GError **error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, _("%s: larger than %d MB; split the file"),
               path, MAX_INPUT_SIZE / (1024 * 1024));
  return FALSE;
}

/* Checks what `fd` is: a FIFO or a device would block the read forever or never end, so
 * what is not a plain file is refused, as the project reader does; and a file past the
 * stated size is refused before it is read. */
static gboolean
check_input (int fd, const char *path, gsize *size, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return fail_errno (path, errno, error);
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: not a regular file"), path);
      return FALSE;
    }
  if (st.st_size > MAX_INPUT_SIZE)
    return fail_too_large (path, error);
  *size = (gsize) st.st_size;
  return TRUE;
}

/* Reads the whole file, `size` bytes as fstat() said, or more if it grew since: up to one
 * byte past the limit, which makes it refused as too large. */
static gboolean
read_all (int fd, const char *path, gsize size, char **text, gsize *length, GError **error)
{
  gsize cap = size + 1;
  g_autofree char *buf = g_malloc (cap + 1);
  gsize done = 0;

  for (;;)
    {
      gssize n;

      if (done == cap)
        {
          if (cap > MAX_INPUT_SIZE)
            break;
          cap = MIN (2 * cap, (gsize) MAX_INPUT_SIZE + 1);
          buf = g_realloc (buf, cap + 1);
        }
      n = read (fd, buf + done, cap - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return fail_errno (path, errno, error);
      if (n == 0)
        break;
      done += (gsize) n;
    }
  if (done > MAX_INPUT_SIZE)
    return fail_too_large (path, error);
  buf[done] = '\0';
  *text = g_steal_pointer (&buf);
  *length = done;
  return TRUE;
}

/* O_NONBLOCK keeps open() from waiting for a writer on a FIFO; check_input() then refuses
 * it by what was opened, not by a name that may have changed since. */
static gboolean
read_input (const char *path, char **text, gsize *length, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  gsize size = 0;
  gboolean ok;

  if (fd < 0)
    return fail_errno (path, errno, error);
  ok = check_input (fd, path, &size, error) && read_all (fd, path, size, text, length, error);
  close (fd);
  return ok;
}

/* Reads the points of `path` as x1, x2 pairs. */
static GArray *
read_points (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  Reader r = { path, xy, 0, FALSE };
  gsize length = 0;
  char *line;
  guint line_no = 0;

  if (!read_input (path, &text, &length, error))
    return NULL;
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s: not a text file"), path);
      return NULL;
    }
  for (line = text; line != NULL; )
    {
      char *next = strchr (line, '\n');

      if (next != NULL)
        *next++ = '\0';
      if (!read_line (&r, line, ++line_no, error))
        return NULL;
      line = next;
    }
  if (xy->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: no points"), path);
      return NULL;
    }
  return g_steal_pointer (&xy);
}

static GString *
predict_csv (NnTrainer *t, const double *xy, gsize n)
{
  guint k = nn_trainer_get_network (t)->arch.n_outputs;
  g_autofree double *out = g_new (double, (gsize) CHUNK * k);
  GString *csv = g_string_new ("x1,x2");

  for (guint j = 0; j < k; j++)
    g_string_append_printf (csv, ",output_%u", j);
  g_string_append_c (csv, '\n');

  for (gsize start = 0; start < n; start += CHUNK)
    {
      gsize m = MIN (CHUNK, n - start);

      nn_trainer_predict (t, xy + 2 * start, m, out);
      for (gsize i = 0; i < m; i++)
        {
          nn_append_exact_double (csv, xy[2 * (start + i)]);
          g_string_append_c (csv, ',');
          nn_append_exact_double (csv, xy[2 * (start + i) + 1]);
          /* Outputs rarely have a short exact form: print their 17 digits at once rather
           * than trying shorter ones first (printing is most of the time of a big file). */
          for (guint j = 0; j < k; j++)
            {
              g_string_append_c (csv, ',');
              nl_cli_append_double (csv, "%.17g", out[i * k + j]);
            }
          g_string_append_c (csv, '\n');
        }
    }
  return csv;
}

static int
predict_and_write (const PredictOptions *o, NnTrainer *t, const GArray *xy)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) csv = predict_csv (t, (const double *) xy->data, xy->len / 2);

  if (o->output == NULL)
    {
      if (fwrite (csv->str, 1, csv->len, stdout) != csv->len || fflush (stdout) != 0)
        return nl_cli_fail_printf (_("cannot write the output: %s"), g_strerror (errno));
      return NL_CLI_OK;
    }
  if (!nl_cli_write_file (o->output, csv, &error))
    return nl_cli_fail (error);
  return NL_CLI_OK;
}

static gboolean
check_options (const PredictOptions *o, GError **error)
{
  if (o->input == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("predict: --input POINTS.csv is required"));
      return FALSE;
    }
  return o->output == NULL || nl_cli_check_output ("--output", o->output, error);
}

int
nl_cli_predict (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("predict");
  g_auto (PredictOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &o.input,
      N_("Read the points from a CSV file of x1,x2 rows (header optional)"), "POINTS.csv" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("Write the outputs to a CSV file instead of the standard output"), "OUT.csv" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  g_autoptr (GArray) xy = NULL;
  NnTrainer *trainer;
  int status;

  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 1, &error)
      || !check_options (&o, &error))
    return nl_cli_fail (error);

  project = nn_project_load (argv[1], &error);
  if (project == NULL)
    return nl_cli_fail (error);
  /* Outputs of random initial weights would look like an answer and mean nothing. */
  if (project->weights == NULL)
    return nl_cli_fail_printf (_("%s: the project has no trained weights; train it with "
                                 "“%s train %s --save OUT.nlab” first"),
                               argv[1], NL_CLI_NAME, argv[1]);
  xy = read_points (o.input, &error);
  if (xy == NULL)
    return nl_cli_fail (error);
  trainer = nn_trainer_new (project, &error);
  if (trainer == NULL)
    return nl_cli_fail (error);

  status = predict_and_write (&o, trainer, xy);
  nn_trainer_free (trainer);
  return status;
}
