/* test-robustness.c: every reader of neural-lab-cli fed what a classroom brings.
 *
 * Projects (.nlab), CSV data files (a project's dataset.path), the points of `predict`
 * and imported weights (JSON and .npz) are fed every kind of bad input: not JSON, wrong
 * types, missing keys, unknown names, sizes out of range, weights of the wrong shape,
 * NaN/Inf, huge numbers, empty files, binary junk, truncated files, ragged CSV rows, a
 * million lines, a folder, a FIFO. Each run must be a refusal:
 *
 *   - exit status 1, within a time limit (a run that hangs is killed and fails);
 *   - exactly one line on stderr, "neural-lab-cli: …", naming the file, the place (a JSON
 *     path or line and column) and the problem;
 *   - nothing in the folder created or modified: every output the command was asked for
 *     exists beforehand with known bytes, and every file is compared afterwards.
 *
 * Saving is atomic: a save that fails (a folder nobody may create files in, a full disk)
 * keeps the previous file. The tests run as root here, so chmod cannot make a folder
 * read-only; they use paths the kernel refuses whoever asks (see test_save_failures).
 *
 * The CLI comes from $NL_CLI, and runs under $NL_MEASURE (measure-child.c, which reports
 * its peak memory), both set by meson. The tests of tests/cli/ cover the command lines and
 * the first refusals; these go through the readers' corners.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-test-utils.h"
#include "test-files.h"

/* A run taking longer is a hang: it is killed and the test fails. */
#define RUN_TIMEOUT_S 10.0
/* The million-line files must be refused quickly and in bounded memory. */
#define BIG_TIMEOUT_S 5.0
#define BIG_MAX_RSS_KB (200 * 1024)

/* Where measure-child writes the peak memory of each run: outside the fixtures' folders,
 * whose files the tests compare. */
static char *measure_dir;

/* tests/cli's fixture (its folder, the last run's status, -1 when killed by a signal, and
 * output), and what these runs measure besides. */
typedef struct
{
  CliFixture cli;
  gboolean   timed_out;
  double     seconds;         /* wall time of the last run */
  long       max_rss_kb;      /* peak resident memory of the last run */
  rlim_t     file_size_limit; /* RLIMIT_FSIZE for the next run, 0: none */
  double     run_timeout;     /* seconds a run may take, 0: RUN_TIMEOUT_S */
} Fixture;

/* One bad input, made from a good file: `from` replaced by the `to_length` bytes of `to`
 * (0: all of them), the whole file replaced when `from` is NULL, or the file cut just
 * before `from` when `to` is NULL. Then what the refusal must name. */
typedef struct
{
  const char *name;
  const char *from;
  const char *to;
  gsize       to_length;
  const char *place; /* JSON path or line/column; NULL for a fault of the whole file */
  const char *problem;
} BadCase;

/* The bytes of a literal holding a zero byte, and their number. */
#define BYTES(literal) literal, sizeof (literal) - 1
/* A literal without one. */
#define TEXT(literal) literal, 0
/* The good file cut before `from`. */
#define CUT NULL, 0

/* ---- running the CLI ------------------------------------------------------------- */

/* In the child before exec: a process group of its own, so that a run that hangs is killed
 * with everything it started; and, when asked, a limit on the size of the files it writes. */
static void
child_setup (gpointer data)
{
  Fixture *f = data;

  setpgid (0, 0);
  if (f->file_size_limit > 0)
    {
      struct rlimit limit = { f->file_size_limit, f->file_size_limit };

      /* Writing past the limit then fails with EFBIG, as on a full disk, instead of killing
       * the process with SIGXFSZ. */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
    }
}

static void
read_some (int *fd, GString *into)
{
  char    buf[4096];
  ssize_t n = read (*fd, buf, sizeof buf);

  if (n > 0)
    g_string_append_len (into, buf, n);
  else if (n == 0 || (errno != EINTR && errno != EAGAIN))
    {
      close (*fd);
      *fd = -1;
    }
}

/* Runs the CLI in the fixture's folder with the NULL-terminated `args`, collecting its
 * output, exit status, wall time and peak memory; kills it after `timeout` seconds. */
static int
run_with_timeout (Fixture *f, double timeout, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) err = g_string_new (NULL);
  const char      *measure = g_getenv ("NL_MEASURE");
  const char      *cli = g_getenv ("NL_CLI");
  g_autofree char *rss_path = g_build_filename (measure_dir, "max-rss-kb", NULL);
  g_autofree char *rss = NULL;
  gint64           start, deadline;
  int              fds[2] = { -1, -1 };
  GPid             pid = 0;
  int              wait_status = 0;

  g_assert_nonnull (measure);
  g_assert_nonnull (cli);
  g_unlink (rss_path);
  g_ptr_array_add (argv, (gpointer)measure);
  g_ptr_array_add (argv, rss_path);
  g_ptr_array_add (argv, (gpointer)cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  deadline = start + (gint64)(timeout * G_USEC_PER_SEC);
  g_spawn_async_with_pipes (f->cli.dir, (char **)argv->pdata, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, child_setup, f,
                            &pid, NULL, &fds[0], &fds[1], &error);
  g_assert_no_error (error);
  f->file_size_limit = 0;
  f->timed_out = FALSE;

  while (fds[0] >= 0 || fds[1] >= 0)
    {
      struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
      gint64        left = deadline - g_get_monotonic_time ();

      if (left <= 0 && !f->timed_out)
        {
          /* Killing them closes their ends of the pipes: the loop then ends. */
          kill (-pid, SIGKILL);
          f->timed_out = TRUE;
        }
      if (poll (p, 2, f->timed_out ? 1000 : (int)MAX (left / 1000, 1)) < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }
      if (fds[0] >= 0 && p[0].revents != 0)
        read_some (&fds[0], out);
      if (fds[1] >= 0 && p[1].revents != 0)
        read_some (&fds[1], err);
    }
  while (waitpid (pid, &wait_status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_spawn_close_pid (pid);

  f->seconds = (double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  f->max_rss_kb = g_file_get_contents (rss_path, &rss, NULL, NULL) ? atol (rss) : -1;
  f->cli.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_free (f->cli.out);
  g_free (f->cli.err);
  f->cli.out = g_string_free (g_steal_pointer (&out), FALSE);
  f->cli.err = g_string_free (g_steal_pointer (&err), FALSE);
  return f->cli.status;
}

static int
run (Fixture *f, const char *const *args)
{
  return run_with_timeout (f, f->run_timeout > 0 ? f->run_timeout : RUN_TIMEOUT_S, args);
}

static char *
join_args (const char *const *args)
{
  return g_strjoinv (" ", (char **)args);
}

/* The checks below mark the test failed and say why, but let it go on: one test runs
 * several commands, and every broken one is worth knowing about (and with -k, meson's
 * argument, the other tests run too). */
static void fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
fail (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The TAP line of a failed test keeps only the last reason: log every one. */
  g_test_message ("FAILED: %s", message);
  g_test_fail_printf ("%s", message);
}

/* A refusal: status 1, one line "neural-lab-cli: …" holding each non-NULL fragment. */
static void
assert_refusal (Fixture *f, const char *const *args, const char *file, const char *place,
                const char *problem)
{
  g_autofree char *command = join_args (args);
  const char      *fragments[] = { file, place, problem };

  if (f->timed_out)
    {
      fail ("“%s” hung: killed after %.1f s", command, f->seconds);
      return;
    }
  if (f->cli.status != 1 || cli_count_lines (f->cli.err) != 1
      || !g_str_has_prefix (f->cli.err, "neural-lab-cli: "))
    {
      fail ("“%s”: expected exit status 1 and one line on stderr, got status %d "
            "and “%s”",
            command, f->cli.status, f->cli.err);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
    if (fragments[i] != NULL && strstr (f->cli.err, fragments[i]) == NULL)
      {
        fail ("“%s”: the message does not name “%s”: %s", command, fragments[i],
              f->cli.err);
        return;
      }
}

/* ---- the folder: writing files and proving nothing changed --------------------------- */

/* Name → what it is: a regular file's SHA-256 and size, or its type. FIFOs are never
 * opened (that would block). Files of more than 64 MiB (the sparse giants of
 * test_huge_files) are known by inode, size and modification time instead: an atomic
 * replacement changes the first, a write in place the others. */
static GHashTable *
snapshot (Fixture *f)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) dir = g_dir_open (f->cli.dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = cli_path (&f->cli, name);
      GStatBuf         st;
      char            *what;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISREG (st.st_mode) && st.st_size > 64 << 20)
        what = g_strdup_printf ("big file %" G_GUINT64_FORMAT " %" G_GOFFSET_FORMAT " %ld.%09ld",
                                (guint64)st.st_ino, (goffset)st.st_size, (long)st.st_mtim.tv_sec,
                                (long)st.st_mtim.tv_nsec);
      else if (S_ISREG (st.st_mode))
        {
          g_autoptr (GMappedFile) map = g_mapped_file_new (path, FALSE, NULL);
          g_autofree char *sum = NULL;

          g_assert_nonnull (map);
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                             (const guchar *)g_mapped_file_get_contents (map),
                                             g_mapped_file_get_length (map));
          what = g_strdup_printf ("file %s %" G_GOFFSET_FORMAT, sum, (goffset)st.st_size);
        }
      else
        what = g_strdup_printf ("mode %o", (unsigned)(st.st_mode & S_IFMT));
      g_hash_table_insert (files, g_strdup (name), what);
    }
  return files;
}

/* The folder holds exactly what it held before, byte for byte. */
static void
assert_unchanged (Fixture *f, GHashTable *before, const char *const *args)
{
  g_autoptr (GHashTable) after = snapshot (f);
  g_autofree char *command = join_args (args);
  GHashTableIter   iter;
  gpointer         name, what;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &name, &what))
    {
      const char *was = g_hash_table_lookup (before, name);

      if (was == NULL)
        fail ("“%s” was refused but left %s behind", command, (const char *)name);
      else if (strcmp (was, what) != 0)
        fail ("“%s” was refused but changed %s", command, (const char *)name);
    }
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &what))
    if (!g_hash_table_contains (after, name))
      fail ("“%s” was refused but removed %s", command, (const char *)name);
}

/* Runs a command that must be refused, and checks the refusal and the folder. */
static void
assert_refused_unchanged (Fixture *f, const char *const *args, const char *file, const char *place,
                          const char *problem)
{
  g_autoptr (GHashTable) before = snapshot (f);

  run (f, args);
  assert_refusal (f, args, file, place, problem);
  assert_unchanged (f, before, args);
}

/* Every output a command may write, made beforehand with content no run writes. */
static void
write_sentinels (Fixture *f)
{
  const char *outputs[] = { "out.nlab", "out.csv", "history.csv", "weights.json", "weights.npz" };

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    cli_write (&f->cli, outputs[i], "known content: must survive every refused run\n", -1);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  cli_fixture_set_up (&f->cli, data);
  write_sentinels (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  cli_fixture_tear_down (&f->cli, data);
}

/* The bad file's bytes (NUL-terminated, but they may hold zero bytes: see *length). */
static char *
bad_bytes (const char *good, const BadCase *c, gsize *length)
{
  gsize       to_length = c->to == NULL ? 0 : c->to_length > 0 ? c->to_length : strlen (c->to);
  const char *at;
  GString    *s;

  if (c->from == NULL)
    {
      *length = to_length;
      return g_strndup (c->to, to_length);
    }
  at = strstr (good, c->from);
  if (at == NULL || strstr (at + 1, c->from) != NULL)
    g_error ("“%s” is not in the good file exactly once:\n%s", c->from, good);
  s = g_string_new_len (good, at - good);
  if (c->to != NULL)
    {
      g_string_append_len (s, c->to, (gssize)to_length);
      g_string_append (s, at + strlen (c->from));
    }
  *length = s->len;
  return g_string_free (s, FALSE);
}

static void
write_bad_file (Fixture *f, const char *name, const char *good, const BadCase *c)
{
  gsize            length = 0;
  g_autofree char *bytes = bad_bytes (good, c, &length);

  cli_write (&f->cli, name, bytes, (gssize)length);
}

/* ---- projects ------------------------------------------------------------------------ */

/* A small trained project: every key a case below changes is on its own line. */
static const char good_project[]
    = "{\n"
      "  \"format\": \"neural-lab\",\n"
      "  \"version\": 1,\n"
      "  \"seed\": 1,\n"
      "  \"problem\": \"classification\",\n"
      "  \"dataset\": {\n"
      "    \"generator\": \"xor\",\n"
      "    \"count\": 100,\n"
      "    \"train_ratio\": 0.5\n"
      "  },\n"
      "  \"features\": [\"x1\", \"x2\"],\n"
      "  \"network\": {\n"
      "    \"hidden\": [\n"
      "      { \"units\": 3, \"activation\": \"tanh\" }\n"
      "    ],\n"
      "    \"output_activation\": \"tanh\"\n"
      "  },\n"
      "  \"loss\": \"mse\",\n"
      "  \"optimizer\": { \"name\": \"sgd\", \"learning_rate\": 0.03 },\n"
      "  \"training\": { \"batch_size\": 10, \"epochs\": 2 },\n"
      "  \"weights\": [\n"
      "    { \"weight\": [[0.5, -0.5], [0.25, 0.75], [-1, 1]], \"bias\": [0, 0.1, -0.1] },\n"
      "    { \"weight\": [[1, -1, 0.5]], \"bias\": [0.2] }\n"
      "  ]\n"
      "}\n";

/* Eleven hidden layers: one more than the format allows. */
#define ELEVEN_LAYERS                                                                              \
  "{ \"units\": 3 }, { \"units\": 2 }, { \"units\": 2 }, { \"units\": 2 }, { \"units\": 2 }, "     \
  "{ \"units\": 2 }, { \"units\": 2 }, { \"units\": 2 }, { \"units\": 2 }, { \"units\": 2 }, "     \
  "{ \"units\": 2 }"

static const BadCase project_cases[] = {
  /* Not JSON, or not the JSON of a project. */
  { "not-json", NULL, TEXT ("Hello, this is not a project\n"), "line 1, column", "not valid JSON" },
  { "empty", NULL, TEXT (""), NULL, "empty" },
  { "only-white-space", NULL, TEXT (" \n\t\n"), NULL, "empty" },
  { "binary-junk", NULL,
    BYTES ("\x7f"
           "ELF\x02\x01\x01\0\0\0\0\x03\x00\x3e junk"),
    "line 1, column", "binary" },
  { "not-utf8", "\"seed\": 1,", TEXT ("\"title\": \"caf\xe9\", \"seed\": 1,"), "line 4, column",
    "not UTF-8" },
  { "truncated", "\"bias\": [0.2] }", CUT, "line 23, column", "not valid JSON" },
  { "top-level-array", NULL, TEXT ("[1, 2, 3]\n"), NULL, "top level" },
  { "nested-too-deep", "1,\n  \"problem\"",
    TEXT ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
    "line 4, column", "nested more than 64 levels" },
  { "nan-literal", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": NaN"), "line 19, column",
    "not valid JSON" },
  { "infinity-literal", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": -Infinity"),
    "line 19, column", "not valid JSON" },
  /* Keys: wrong types, missing, unknown names. */
  { "format-wrong", "\"format\": \"neural-lab\"", TEXT ("\"format\": \"tensorflow\""), "format",
    "tensorflow" },
  { "version-newer", "\"version\": 1", TEXT ("\"version\": 2"), "version", "newer" },
  { "string-for-number", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": \"fast\""),
    "optimizer.learning_rate", "expected a number" },
  { "number-for-string", "\"loss\": \"mse\"", TEXT ("\"loss\": 2"), "loss", "expected a string" },
  { "object-for-array", "\"features\": [\"x1\", \"x2\"]", TEXT ("\"features\": { \"x1\": true }"),
    "features", "expected an array" },
  { "bool-for-integer", "\"batch_size\": 10", TEXT ("\"batch_size\": true"), "training.batch_size",
    "expected" },
  { "null-for-object", "{ \"name\": \"sgd\", \"learning_rate\": 0.03 }", TEXT ("null"), "optimizer",
    "expected an object" },
  { "fraction-for-integer", "\"units\": 3", TEXT ("\"units\": 2.5"), "network.hidden[0].units",
    "whole number" },
  { "missing-problem", "\"problem\": \"classification\",\n", TEXT (""), "problem", "missing" },
  { "missing-units", "{ \"units\": 3, \"activation\": \"tanh\" }",
    TEXT ("{ \"activation\": \"tanh\" }"), "network.hidden[0].units", "missing" },
  { "missing-generator", "\"generator\": \"xor\",\n", TEXT (""), "dataset.generator", "missing" },
  { "unknown-activation", "\"activation\": \"tanh\"", TEXT ("\"activation\": \"sigmoidal\""),
    "network.hidden[0].activation", "unknown activation \"sigmoidal\"" },
  { "unknown-optimizer", "\"name\": \"sgd\"", TEXT ("\"name\": \"lbfgs\""), "optimizer.name",
    "unknown optimizer \"lbfgs\"" },
  { "unknown-loss", "\"loss\": \"mse\"", TEXT ("\"loss\": \"hinge\""), "loss", "unknown loss" },
  { "unknown-generator", "\"generator\": \"xor\"", TEXT ("\"generator\": \"mnist\""),
    "dataset.generator", "unknown generator \"mnist\"" },
  { "unknown-feature", "[\"x1\", \"x2\"]", TEXT ("[\"x1\", \"x3\"]"), "features[1]", "x3" },
  /* Sizes out of range. */
  { "units-too-many", "\"units\": 3", TEXT ("\"units\": 65"), "network.hidden[0].units",
    "out of range" },
  { "units-negative", "\"units\": 3", TEXT ("\"units\": -3"), "network.hidden[0].units",
    "out of range" },
  { "layers-too-many", "{ \"units\": 3, \"activation\": \"tanh\" }", TEXT (ELEVEN_LAYERS),
    "network.hidden", "10" },
  { "classes-too-many", "\"count\": 100,", TEXT ("\"count\": 100, \"classes\": 9,"),
    "dataset.classes", "out of range" },
  { "points-too-many", "\"count\": 100,", TEXT ("\"count\": 100001,"), "dataset.count",
    "out of range" },
  { "points-too-few", "\"count\": 100,", TEXT ("\"count\": 1,"), "dataset.count", "out of range" },
  { "batch-size-zero", "\"batch_size\": 10", TEXT ("\"batch_size\": 0"), "training.batch_size",
    "out of range" },
  { "learning-rate-too-high", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": 100"),
    "optimizer.learning_rate", "out of range" },
  { "cross-entropy-with-tanh", "\"loss\": \"mse\"", TEXT ("\"loss\": \"cross_entropy\""), "loss",
    "cross_entropy" },
  /* Weights of the wrong shape. */
  { "weights-row-missing", "[[0.5, -0.5], [0.25, 0.75], [-1, 1]]",
    TEXT ("[[0.5, -0.5], [0.25, 0.75]]"), "weights[0].weight", "expected 3 rows of 2" },
  { "weights-row-short", "[-1, 1]]", TEXT ("[-1]]"), "weights[0].weight", "2" },
  { "weights-bias-long", "[0, 0.1, -0.1]", TEXT ("[0, 0.1, -0.1, 7]"), "weights[0].bias", "3" },
  { "weights-layer-missing", ",\n    { \"weight\": [[1, -1, 0.5]], \"bias\": [0.2] }", TEXT (""),
    "weights", "2" },
  { "weights-not-numbers", "[-1, 1]]", TEXT ("[-1, \"one\"]]"), "weights[0].weight[2][1]",
    "expected a number" },
  /* NaN, infinity and huge numbers. */
  { "weight-overflows", "[-1, 1]]", TEXT ("[-1, 1e400]]"), "weights[0].weight[2][1]", "too large" },
  { "weight-null", "\"bias\": [0.2]", TEXT ("\"bias\": [null]"), "weights[1].bias[0]",
    "expected a number" },
  { "learning-rate-overflows", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": 1e400"),
    "optimizer.learning_rate", "too large" },
  { "learning-rate-negative-huge", "\"learning_rate\": 0.03", TEXT ("\"learning_rate\": -1e308"),
    "optimizer.learning_rate", "out of range" },
  { "seed-beyond-64-bits", "\"seed\": 1", TEXT ("\"seed\": 99999999999999999999"), "line 4, column",
    "too large" },
  { "seed-too-large", "\"seed\": 1", TEXT ("\"seed\": 4294967296"), "seed", "out of range" },
  { "epochs-huge", "\"epochs\": 2", TEXT ("\"epochs\": 1e300"), "training.epochs", "out of range" },
  { "count-huge", "\"count\": 100,", TEXT ("\"count\": 1e19,"), "dataset.count", "out of range" },
};

/* The good project, the exports of its weights and the points to predict: what the
 * commands below need besides the file under test. */
static void
write_good_files (Fixture *f)
{
  const char *const export_json[] = { "export", "good.nlab", "-o", "good.json", NULL };
  const char *const export_npz[] = { "export", "good.nlab", "-o", "good.npz", NULL };

  cli_write (&f->cli, "good.nlab", good_project, -1);
  cli_write (&f->cli, "points.csv", "x1,x2\n0,0\n1.5,-2\n", -1);
  g_assert_cmpint (run (f, export_json), ==, 0);
  g_assert_cmpint (run (f, export_npz), ==, 0);
}

/* Every command that reads a project, given `project`, with all its outputs asked for. */
static const char *const *
project_commands (const char *project, guint i)
{
  static const char *commands[][12] = {
    { "train", "@", "--epochs", "1", "--save", "out.nlab", "--history", "history.csv",
      "--export-weights", "weights.json", NULL },
    { "predict", "@", "--input", "points.csv", "--output", "out.csv", NULL },
    { "export", "@", "-o", "weights.npz", NULL },
    { "import-weights", "@", "good.json", "-o", "out.nlab", NULL },
    { NULL },
  };

  if (commands[i][0] == NULL)
    return NULL;
  commands[i][1] = project;
  return commands[i];
}

/* The unchanged file works with every command, so each refusal is about the change. */
static void
test_project_good (Fixture *f, gconstpointer data)
{
  const char *const *args;

  write_good_files (f);
  cli_write (&f->cli, "case.nlab", good_project, -1);
  for (guint i = 0; (args = project_commands ("case.nlab", i)) != NULL; i++)
    if (run (f, args) != 0)
      fail ("“%s” failed on the good project: %s", args[0], f->cli.err);
}

static void
test_project_bad (Fixture *f, gconstpointer data)
{
  const BadCase     *c = data;
  const char *const *args;

  write_good_files (f);
  write_bad_file (f, "case.nlab", good_project, c);
  for (guint i = 0; (args = project_commands ("case.nlab", i)) != NULL; i++)
    assert_refused_unchanged (f, args, "case.nlab", c->place, c->problem);
}

/* ---- CSV data files (dataset.generator "csv") ---------------------------------------- */

static const char csv_project[]
    = "{\n"
      "  \"format\": \"neural-lab\",\n"
      "  \"version\": 1,\n"
      "  \"problem\": \"classification\",\n"
      "  \"dataset\": { \"generator\": \"csv\", \"path\": \"data.csv\", \"train_ratio\": 0.5 },\n"
      "  \"network\": { \"hidden\": [{ \"units\": 3 }] },\n"
      "  \"training\": { \"epochs\": 1 }\n"
      "}\n";

static const char good_csv[] = "x1,x2,y\n"
                               "0.5,1.5,0\n"
                               "-1,2,1\n"
                               "2,-2.5,0\n"
                               "-3,-0.25,1\n";

/* 1040 spaces: a line longer than the reader's 1024 bytes. */
#define SPACES_80 "                                                                                "
#define LONG_SPACES                                                                                \
  SPACES_80 SPACES_80 SPACES_80 SPACES_80 SPACES_80 SPACES_80 SPACES_80 SPACES_80 SPACES_80        \
      SPACES_80 SPACES_80 SPACES_80 SPACES_80

static const BadCase csv_cases[] = {
  { "empty", NULL, TEXT (""), NULL, "empty" },
  { "header-only", NULL, TEXT ("x1,x2,y\n"), NULL, "0 data rows" },
  { "binary-junk", NULL,
    BYTES ("\x7f"
           "ELF\x02\x01\x01\0\0 junk"),
    "data.csv:1:1", "binary" },
  { "zero-byte", "-1,2,1", BYTES ("-1,2\0,1"), "data.csv:3:", "binary" },
  { "row-too-short", "-1,2,1", TEXT ("-1,2"), "data.csv:3:", "expected 3 columns" },
  { "row-too-long", "-1,2,1", TEXT ("-1,2,1,4"), "data.csv:3:", "expected 3 columns" },
  { "truncated", ".25,1\n", CUT, "data.csv:5:", "expected 3 columns" },
  { "not-a-number", "2,-2.5,0", TEXT ("2,two,0"), "data.csv:4:2", "'two' is not a number" },
  { "nan", "2,-2.5,0", TEXT ("2,nan,0"), "data.csv:4:2", "not a finite number" },
  { "infinity", "2,-2.5,0", TEXT ("inf,-2.5,0"), "data.csv:4:1", "not a finite number" },
  { "overflows", "2,-2.5,0", TEXT ("2,1e400,0"), "data.csv:4:2", "not a finite number" },
  { "huge", "2,-2.5,0", TEXT ("2,-1e300,0"), "data.csv:4:2", "too large" },
  { "past-limit", "-1,2,1", TEXT ("1000000.5,2,1"), "data.csv:3:1", "at most 1e+06" },
  { "label-out-of-range", "-1,2,1", TEXT ("-1,2,9"), "data.csv:3:3", "class index" },
  { "label-fraction", "-1,2,1", TEXT ("-1,2,0.5"), "data.csv:3:3", "class index" },
  { "line-too-long", "-1,2,1\n", TEXT ("-1,2,1" LONG_SPACES "\n"),
    "data.csv:3:", "longer than 1024" },
};

static void
test_csv_good (Fixture *f, gconstpointer data)
{
  const char *const args[] = { "train", "csv.nlab", "--quiet", NULL };

  cli_write (&f->cli, "csv.nlab", csv_project, -1);
  cli_write (&f->cli, "data.csv", good_csv, -1);
  g_assert_cmpint (run (f, args), ==, 0);
}

static const char *const csv_train[]
    = { "train",       "csv.nlab",         "--save",       "out.nlab", "--history",
        "history.csv", "--export-weights", "weights.json", NULL };

static void
test_csv_bad (Fixture *f, gconstpointer data)
{
  cli_write (&f->cli, "csv.nlab", csv_project, -1);
  write_bad_file (f, "data.csv", good_csv, data);
  assert_refused_unchanged (f, csv_train, "data.csv", ((const BadCase *)data)->place,
                            ((const BadCase *)data)->problem);
}

/* ---- points for predict -------------------------------------------------------------- */

/* test-cli covers ragged rows, words, too many columns and an empty file. */
static const char good_points[] = "x1,x2\n0,0\n1.5,-2\n";

static const BadCase points_cases[] = {
  { "nan", "1.5,-2", TEXT ("nan,-2"), "bad.csv:3", "not a finite number" },
  { "overflows", "1.5,-2", TEXT ("1.5,-1e400"), "bad.csv:3", "not a finite number" },
  { "binary-junk", NULL,
    BYTES ("\x7f"
           "ELF\x02\x01\x01\0\0"),
    NULL, "not a text file" },
  { "truncated", "-2\n", CUT, "bad.csv:3: column 2", "not a finite number" },
  { "header-only", "0,0\n1.5,-2\n", TEXT (""), NULL, "no points" },
};

static void
test_points_bad (Fixture *f, gconstpointer data)
{
  const BadCase    *c = data;
  const char *const args[]
      = { "predict", "good.nlab", "--input", "bad.csv", "--output", "out.csv", NULL };

  write_good_files (f);
  write_bad_file (f, "bad.csv", good_points, c);
  assert_refused_unchanged (f, args, "bad.csv", c->place, c->problem);
}

/* ---- imported weights ---------------------------------------------------------------- */

static const BadCase weights_cases[] = {
  { "not-json", NULL, TEXT ("Hello, these are not weights\n"), NULL, "neither JSON weights nor" },
  { "empty", NULL, TEXT (""), NULL, "neither JSON weights nor" },
  { "binary-junk", NULL,
    BYTES ("\x7f"
           "ELF\x02\x01\x01\0\0"),
    NULL, NULL },
  { "top-level-array", NULL, TEXT ("[1, 2]"), NULL, "neither JSON weights nor" },
  { "format-missing", "\"format\": \"neural-lab-weights\",", TEXT (""), NULL, "\"format\"" },
  { "truncated", "[0.25, 0.75]", CUT, ":", "not valid JSON" },
  { "layers-missing", "\"layers\": [", TEXT ("\"players\": ["), "layers", "missing" },
  { "weight-not-number", "[0.25, 0.75]", TEXT ("[0.25, \"x\"]"), "layers[0].weight[1][1]",
    "not a number" },
  { "weight-overflows", "[0.25, 0.75]", TEXT ("[0.25, 1e400]"), "layers[0].weight[1][1]", NULL },
  { "weight-nan", "[0.25, 0.75]", TEXT ("[0.25, NaN]"), ":", "not valid JSON" },
  { "ragged-rows", "[0.25, 0.75]", TEXT ("[0.25]"), "layers[0].weight[1]", "values" },
  { "bias-wrong-shape", "[0.0, 0.1, -0.1]", TEXT ("[0.0, 0.1]"), "layers[0].bias", "[3]" },
  { "output-row-short", "[1.0, -1.0, 0.5]", TEXT ("[1.0, -1.0]"), "layers[1].weight", "[1,3]" },
};

/* The JSON export of good.nlab with one change, or the whole file replaced. */
static void
test_weights_json_bad (Fixture *f, gconstpointer data)
{
  const BadCase    *c = data;
  const char *const args[] = { "import-weights", "good.nlab", "bad.json", "-o", "out.nlab", NULL };
  g_autofree char  *good = NULL;

  write_good_files (f);
  good = cli_read (&f->cli, "good.json", NULL);
  write_bad_file (f, "bad.json", good, c);
  assert_refused_unchanged (f, args, "bad.json", c->place, c->problem);
}

/* The .npz export cut short, with its bytes damaged, or not a zip archive at all. */
static void
test_weights_npz_bad (Fixture *f, gconstpointer data)
{
  const char *const args[] = { "import-weights", "good.nlab", "bad.npz", "-o", "out.nlab", NULL };
  g_autofree char  *good = NULL;
  gsize             length = 0;

  write_good_files (f);
  good = cli_read (&f->cli, "good.npz", &length);
  g_assert_cmpuint (length, >, 200);

  cli_write (&f->cli, "bad.npz", good, (gssize)length / 2);
  assert_refused_unchanged (f, args, "bad.npz", NULL, "zip");
  cli_write (&f->cli, "bad.npz", good, 30);
  assert_refused_unchanged (f, args, "bad.npz", NULL, "zip");
  cli_write (&f->cli, "bad.npz", "PK\x03\x04 and then nothing of a zip archive", -1);
  assert_refused_unchanged (f, args, "bad.npz", NULL, "zip");
  cli_write (&f->cli, "bad.npz", "", 0);
  assert_refused_unchanged (f, args, "bad.npz", NULL, NULL);

  /* Every byte of the data of the first member flipped: the archive's CRC-32 or the
   * array header no longer matches. */
  for (gsize i = 40; i < 120 && i < length; i++)
    good[i] = (char)~good[i];
  cli_write (&f->cli, "bad.npz", good, (gssize)length);
  assert_refused_unchanged (f, args, "bad.npz", NULL, NULL);
}

/* ---- folders, FIFOs, huge files ------------------------------------------------------ */

/* Makes `path` a folder (kind 0), a FIFO (1) or a link to /dev/zero (2), a device whose
 * reading never ends. */
static void
make_not_regular (const char *path, guint kind)
{
  test_remove_tree (path);
  g_unlink (path);
  if (kind == 0)
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  else if (kind == 1)
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
  else
    g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
}

/* Each reader given a folder, a FIFO and a device: refused at once by what the file is,
 * never waiting for a writer nor reading on forever. */
static void
test_not_regular_files (Fixture *f, gconstpointer data)
{
  const char *kinds[] = { "folder", "FIFO", "device" };

  write_good_files (f);
  cli_write (&f->cli, "csv.nlab", csv_project, -1);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const char       *names[] = { "case.nlab", "data.csv", "bad.csv", "bad.json" };
      const char *const train[] = { "train", "case.nlab", "--save", "out.nlab", NULL };
      const char *const train_csv[] = { "train", "csv.nlab", "--save", "out.nlab", NULL };
      const char *const predict[]
          = { "predict", "good.nlab", "--input", "bad.csv", "--output", "out.csv", NULL };
      const char *const import[]
          = { "import-weights", "good.nlab", "bad.json", "-o", "out.nlab", NULL };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = cli_path (&f->cli, names[i]);

          make_not_regular (path, k);
        }
      g_test_message ("%s", kinds[k]);
      /* Refusing any takes no time; a run waiting on the FIFO is killed after 5 s. */
      f->run_timeout = 5.0;
      assert_refused_unchanged (f, train, "case.nlab", NULL, "not a regular file");
      assert_refused_unchanged (f, train_csv, "data.csv", NULL, "not a regular file");
      assert_refused_unchanged (f, predict, "bad.csv", NULL, "not a regular file");
      assert_refused_unchanged (f, import, "bad.json", NULL, "not a regular file");
    }
}

/* Files far beyond any reader's limit, as sparse files (no disk used): refused from their
 * size or their first bytes, without reading them into memory. */
static void
test_huge_files (Fixture *f, gconstpointer data)
{
  const struct
  {
    const char *name;
    goffset     size;
  } files[] = {
    { "case.nlab", (goffset)65 << 20 }, /* projects: at most 64 MiB */
    { "data.csv", (goffset)1 << 32 },   /* CSV data: refused at its first byte (zero) */
    { "bad.csv", (goffset)129 << 20 },  /* predict's points: at most 128 MB */
    { "bad.json", (goffset)1 << 32 },   /* weights: at most 64 MiB */
    { "bad.npz", (goffset)1 << 32 },
  };
  const char *const train[] = { "train", "case.nlab", "--save", "out.nlab", NULL };
  const char *const train_csv[] = { "train", "csv.nlab", "--save", "out.nlab", NULL };
  const char *const predict[]
      = { "predict", "good.nlab", "--input", "bad.csv", "--output", "out.csv", NULL };
  const char *const import_json[]
      = { "import-weights", "good.nlab", "bad.json", "-o", "out.nlab", NULL };
  const char *const import_npz[]
      = { "import-weights", "good.nlab", "bad.npz", "-o", "out.nlab", NULL };

  write_good_files (f);
  cli_write (&f->cli, "csv.nlab", csv_project, -1);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = cli_path (&f->cli, files[i].name);
      int              fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, files[i].size), ==, 0);
      close (fd);
    }
  assert_refused_unchanged (f, train, "case.nlab", NULL, "64 MiB");
  assert_refused_unchanged (f, train_csv, "data.csv", "data.csv:1:", "binary");
  assert_refused_unchanged (f, predict, "bad.csv", NULL, "128 MB");
  assert_refused_unchanged (f, import_json, "bad.json", NULL, "64 MiB");
  assert_refused_unchanged (f, import_npz, "bad.npz", NULL, "64 MiB");
}

/* Writes `lines` lines "x1,x2[,y]" of small numbers to `name`. */
static void
write_many_lines (Fixture *f, const char *name, guint lines, gboolean with_label)
{
  g_autoptr (GString) s = g_string_sized_new ((gsize)lines * 12);

  for (guint i = 0; i < lines; i++)
    {
      g_string_append_printf (s, "%u.5,-%u.25", i % 6, i % 5);
      if (with_label)
        g_string_append_printf (s, ",%u", i % 2);
      g_string_append_c (s, '\n');
    }
  cli_write (&f->cli, name, s->str, (gssize)s->len);
}

static void
assert_quick_and_small (Fixture *f, const char *what)
{
  g_test_message ("%s: refused in %.2f s, peak memory %.1f MB", what, f->seconds,
                  f->max_rss_kb / 1024.0);
  if (f->seconds > BIG_TIMEOUT_S)
    fail ("%s took %.1f s (at most %.0f s)", what, f->seconds, BIG_TIMEOUT_S);
  if (f->max_rss_kb < 0 || f->max_rss_kb > BIG_MAX_RSS_KB)
    fail ("%s used %ld kB (at most %d kB)", what, f->max_rss_kb, BIG_MAX_RSS_KB);
}

/* A million lines of data: more than the 100000 points a dataset may have. Refused at the
 * first line past the limit, quickly and in bounded memory. */
static void
test_million_lines_dataset (Fixture *f, gconstpointer data)
{
  cli_write (&f->cli, "csv.nlab", csv_project, -1);
  write_many_lines (f, "data.csv", 1000000, TRUE);
  {
    g_autoptr (GHashTable) before = snapshot (f);

    run_with_timeout (f, 4 * BIG_TIMEOUT_S, csv_train);
    assert_refusal (f, csv_train, "data.csv", "data.csv:100001:", "100000");
    assert_unchanged (f, before, csv_train);
    assert_quick_and_small (f, "a dataset of a million lines");
  }
}

/* predict takes up to a million points: one line more is refused with that limit. */
static void
test_million_lines_points (Fixture *f, gconstpointer data)
{
  const char *const args[]
      = { "predict", "good.nlab", "--input", "many.csv", "--output", "out.csv", NULL };

  write_good_files (f);
  write_many_lines (f, "many.csv", 1000001, FALSE);
  {
    g_autoptr (GHashTable) before = snapshot (f);

    run_with_timeout (f, 4 * BIG_TIMEOUT_S, args);
    assert_refusal (f, args, "many.csv", NULL, "1000000 points");
    assert_unchanged (f, before, args);
    assert_quick_and_small (f, "a million and one points");
  }
}

/* ---- saving where it cannot ---------------------------------------------------------- */

/* Tests run as root, and chmod does not stop root, so a "read-only folder" is made of paths
 * the kernel refuses to anyone: /proc holds no regular files and cannot get one; a path
 * whose parent is a regular file has no folder at all; a name of 250 bytes can exist while
 * the temporary "NAME.XXXXXX" beside it cannot (NAME_MAX is 255); and RLIMIT_FSIZE makes
 * every write past a few hundred bytes fail with EFBIG, as a full disk does. */
static void
test_save_failures (Fixture *f, gconstpointer data)
{
  g_autofree char  *long_name = g_strnfill (250, 'n');
  const char *const to_proc[] = { "train", "good.nlab", "--epochs",
                                  "1",     "--save",    "/proc/neural-lab-robustness.nlab",
                                  NULL };
  const char *const under_file[]
      = { "train", "good.nlab", "--epochs", "1", "--save", "good.nlab/out.nlab", NULL };
  const char *const to_long[]
      = { "train", "good.nlab", "--epochs", "1", "--save", long_name, NULL };
  const char *const full_disk[]
      = { "train", "good.nlab", "--epochs", "1", "--save", "out.nlab", NULL };
  const char *const new_proc[] = { "new", "-o", "/proc/neural-lab-robustness.nlab", NULL };
  const char *const export_proc[]
      = { "export", "good.nlab", "-o", "/proc/neural-lab-robustness.npz", NULL };
  const char *const in_place[]
      = { "train", "good.nlab", "--epochs", "1", "--save", "good.nlab", NULL };

  write_good_files (f);
  cli_write (&f->cli, long_name, "the previous project: it must survive a failed save\n", -1);

  /* The CLI probes an output's folder before it trains: the refusal names the option and
   * the folder. */
  assert_refused_unchanged (f, to_proc, "/proc", "--save", "folder");
  assert_refused_unchanged (f, under_file, "good.nlab", NULL, NULL);
  assert_refused_unchanged (f, to_long, long_name, NULL, NULL);
  assert_refused_unchanged (f, new_proc, "/proc", "-o", "folder");
  assert_refused_unchanged (f, export_proc, "/proc", "-o", "folder");

  /* A full disk: the previous out.nlab and the project itself stay as they were, and no
   * temporary file is left beside them. */
  {
    g_autoptr (GHashTable) before = snapshot (f);

    f->file_size_limit = 512;
    run (f, full_disk);
    assert_refusal (f, full_disk, "out.nlab", NULL, NULL);
    assert_unchanged (f, before, full_disk);

    f->file_size_limit = 512;
    run (f, in_place);
    assert_refusal (f, in_place, "good.nlab", NULL, NULL);
    assert_unchanged (f, before, in_place);
  }
}

/* A run that fails at its last output leaves none of the others written: the history and
 * the exported weights asked for alongside a save that cannot happen stay as they were. */
static void
test_failed_run_writes_nothing (Fixture *f, gconstpointer data)
{
  const char *const args[] = {
    "train",       "good.nlab",        "--epochs",     "1",      "--history",
    "history.csv", "--export-weights", "weights.json", "--save", "/proc/neural-lab-robustness.nlab",
    NULL
  };

  write_good_files (f);
  assert_refused_unchanged (f, args, "/proc", "--save", "folder");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  measure_dir = g_dir_make_tmp ("test-robustness-rss-XXXXXX", &error);
  g_assert_no_error (error);

#define ADD(path, func, data)                                                                      \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
#define ADD_CASES(prefix, cases, func)                                                             \
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)                                                 \
    {                                                                                              \
      g_autofree char *path = g_strconcat (prefix, cases[i].name, NULL);                           \
      ADD (path, func, &cases[i]);                                                                 \
    }

  ADD ("/robustness/project/good", test_project_good, NULL);
  ADD_CASES ("/robustness/project/", project_cases, test_project_bad);
  ADD ("/robustness/csv/good", test_csv_good, NULL);
  ADD_CASES ("/robustness/csv/", csv_cases, test_csv_bad);
  ADD_CASES ("/robustness/points/", points_cases, test_points_bad);
  ADD_CASES ("/robustness/weights-json/", weights_cases, test_weights_json_bad);
  ADD ("/robustness/weights-npz/damaged", test_weights_npz_bad, NULL);
  ADD ("/robustness/not-regular-files", test_not_regular_files, NULL);
  ADD ("/robustness/huge-files", test_huge_files, NULL);
  ADD ("/robustness/million-lines/dataset", test_million_lines_dataset, NULL);
  ADD ("/robustness/million-lines/points", test_million_lines_points, NULL);
  ADD ("/robustness/save/failures", test_save_failures, NULL);
  ADD ("/robustness/save/failed-run-writes-nothing", test_failed_run_writes_nothing, NULL);
#undef ADD_CASES
#undef ADD

  status = g_test_run ();
  test_remove_tree (measure_dir);
  g_free (measure_dir);
  return status;
}
