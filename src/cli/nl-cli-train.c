/* nl-cli-train.c: `neural-lab-cli train PROJECT.nlab` — trains, reports, saves.
 *
 * Everything that can be refused (options, output folders, the project) is checked before
 * training starts, and the output files are written only after training succeeded, each
 * atomically: a failed run leaves no file behind and no file half-written.
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nn-error.h"
#include "nn-export.h"
#include "nn-trainer.h"

#define MAX_EPOCHS     10000000
#define PROGRESS_WIDTH 30
/* Redrawing the bar after every epoch of a small network would cost more than training. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 20)

typedef struct
{
  char    *epochs;
  char    *seed;
  char    *save;
  char    *export_weights;
  char    *history;
  gboolean quiet;
} TrainOptions;

typedef struct
{
  guint  first_epoch;
  guint  epochs;
  gint64 last_draw;
} Progress;

static void
train_options_clear (TrainOptions *o)
{
  g_free (o->epochs);
  g_free (o->seed);
  g_free (o->save);
  g_free (o->export_weights);
  g_free (o->history);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainOptions, train_options_clear)

static gboolean
draw_progress (NnTrainer *t, const NnEpochStats *stats, gpointer user_data)
{
  Progress *p = user_data;
  guint done = stats->epoch - p->first_epoch;
  gint64 now = g_get_monotonic_time ();
  guint filled;
  char loss[G_ASCII_DTOSTR_BUF_SIZE];

  if (done < p->epochs && now - p->last_draw < PROGRESS_INTERVAL_US)
    return TRUE;
  p->last_draw = now;
  filled = p->epochs > 0 ? (guint) ((guint64) done * PROGRESS_WIDTH / p->epochs) : PROGRESS_WIDTH;
  g_ascii_formatd (loss, sizeof loss, "%.4f", stats->train_loss);
  fprintf (stderr, "\r[");
  for (guint i = 0; i < PROGRESS_WIDTH; i++)
    fputc (i < filled ? '#' : '-', stderr);
  fprintf (stderr, "] %s %u/%u  train_loss %s", _("epoch"), done, p->epochs, loss);
  fflush (stderr);
  return TRUE;
}

static void
clear_progress (void)
{
  /* Carriage return + "erase to end of line": the terminal is back as it was. */
  fprintf (stderr, "\r\033[K");
  fflush (stderr);
}

static const char *
optimizer_plain_name (NnOptimizerKind kind)
{
  switch (kind)
    {
    case NN_OPTIMIZER_GD:
      return _("gradient descent (GD)");
    case NN_OPTIMIZER_SGD:
      return _("stochastic gradient descent (SGD)");
    case NN_OPTIMIZER_MOMENTUM:
      return _("Momentum");
    case NN_OPTIMIZER_RMSPROP:
      return _("RMSProp");
    case NN_OPTIMIZER_ADAM:
      return _("Adam");
    case NN_N_OPTIMIZERS:
    default:
      return nn_optimizer_kind_to_string (kind);
    }
}

/* The sentence a student reads when the loss exploded: where, and what to change. */
static int
fail_diverged (const char *path, NnTrainer *t)
{
  const NnProject *project = nn_trainer_get_project (t);
  double rate = project->optimizer.learning_rate;
  char rate_text[G_ASCII_DTOSTR_BUF_SIZE], lower[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (rate_text, sizeof rate_text, "%g", rate);
  g_ascii_formatd (lower, sizeof lower, "%g", rate / 10);
  return nl_cli_fail_printf (_("%s: the loss diverged at epoch %u: the learning rate %s is too "
                               "high for %s on this data. Lower it (try %s) and train again."),
                             path, nn_trainer_get_epoch (t) + 1, rate_text,
                             optimizer_plain_name (project->optimizer.kind), lower);
}

/* The last line, e.g. "epoch 200  train_loss 0.0123  test_loss 0.0150  train_acc 0.996 …":
 * test figures only when there is a test set, accuracy only for classification. */
static void
print_summary (const NnEpochStats *s, const NnDataset *data)
{
  g_autoptr (GString) line = g_string_new (NULL);
  gboolean has_test = data->n_test > 0;
  gboolean classify = data->problem == NN_PROBLEM_CLASSIFICATION;

  g_string_append_printf (line, "epoch %u  train_loss ", s->epoch);
  nl_cli_append_double (line, "%.4f", s->train_loss);
  if (has_test)
    {
      g_string_append (line, "  test_loss ");
      nl_cli_append_double (line, "%.4f", s->test_loss);
    }
  if (classify)
    {
      g_string_append (line, "  train_acc ");
      nl_cli_append_double (line, "%.3f", s->train_accuracy);
    }
  if (classify && has_test)
    {
      g_string_append (line, "  test_acc ");
      nl_cli_append_double (line, "%.3f", s->test_accuracy);
    }
  printf ("%s\n", line->str);
}

/* The weights' format follows the file's extension (.npz, .onnx, .h, .csv, .safetensors);
 * anything else gets the JSON the option is named for. */
static NnExportFormat
export_format (const char *path)
{
  NnExportFormat format;

  return nn_export_format_from_path (path, &format) ? format : NN_EXPORT_JSON;
}

/* Builds every requested output before writing any, so all of them describe the same
 * trained state; each is then written atomically. */
static gboolean
write_outputs (const TrainOptions *o, NnTrainer *t, GError **error)
{
  g_autoptr (GString) history = NULL;
  g_autoptr (GBytes) weights = NULL;
  g_autoptr (NnProject) trained = NULL;

  if (o->history != NULL)
    {
      guint n = 0;
      const NnEpochStats *records = nn_trainer_get_history (t, &n);

      history = nn_history_to_csv (records, n);
    }
  if (o->export_weights != NULL)
    {
      weights = nn_export_weights (nn_trainer_get_project (t), nn_trainer_get_network (t),
                                   export_format (o->export_weights), error);
      if (weights == NULL)
        return FALSE;
    }
  if (o->save != NULL)
    trained = nn_trainer_dup_project (t);

  if (history != NULL && !nl_cli_write_file (o->history, history, error))
    return FALSE;
  if (weights != NULL
      && !nn_write_file_atomically (o->export_weights, g_bytes_get_data (weights, NULL),
                                    g_bytes_get_size (weights), error))
    return FALSE;
  if (trained != NULL && !nn_project_save (trained, o->save, error))
    return FALSE;
  return TRUE;
}

/* --epochs and --seed, parsed before the project is loaded so a bad value is reported
 * first. */
typedef struct
{
  gboolean has_epochs, has_seed;
  guint    epochs;
  guint32  seed;
} TrainNumbers;

static gboolean
parse_numbers (const TrainOptions *o, TrainNumbers *n, GError **error)
{
  guint64 v;

  if (o->epochs != NULL)
    {
      if (!nl_cli_parse_uint ("--epochs", o->epochs, 0, MAX_EPOCHS, &v, error))
        return FALSE;
      n->has_epochs = TRUE;
      n->epochs = (guint) v;
    }
  if (o->seed != NULL)
    {
      if (!nl_cli_parse_uint ("--seed", o->seed, 0, G_MAXUINT32, &v, error))
        return FALSE;
      n->has_seed = TRUE;
      n->seed = (guint32) v;
    }
  return TRUE;
}

static gboolean
check_outputs (const TrainOptions *o, GError **error)
{
  return (o->save == NULL || nl_cli_check_output ("--save", o->save, error))
         && (o->export_weights == NULL
             || nl_cli_check_output ("--export-weights", o->export_weights, error))
         && (o->history == NULL || nl_cli_check_output ("--history", o->history, error));
}

/* Trains `epochs` epochs of `t` and writes the outputs; returns the exit status. */
static int
train_and_report (const TrainOptions *o, const char *path, NnTrainer *t, guint epochs)
{
  g_autoptr (GError) error = NULL;
  Progress progress = { nn_trainer_get_epoch (t), epochs, 0 };
  gboolean show_progress = !o->quiet && isatty (STDERR_FILENO);
  guint n = 0;
  const NnEpochStats *history;
  gboolean ok;

  ok = nn_trainer_train (t, epochs, show_progress ? draw_progress : NULL, &progress, &error);
  if (show_progress)
    clear_progress ();
  if (!ok && g_error_matches (error, NN_ERROR, NN_ERROR_DIVERGED))
    return fail_diverged (path, t);
  if (!ok)
    return nl_cli_fail (error);
  if (!write_outputs (o, t, &error))
    return nl_cli_fail (error);

  history = nn_trainer_get_history (t, &n);
  if (!o->quiet && n > 0)
    print_summary (&history[n - 1], nn_trainer_get_dataset (t));
  return NL_CLI_OK;
}

int
nl_cli_train (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("train");
  g_auto (TrainOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "epochs", 'e', 0, G_OPTION_ARG_STRING, &o.epochs,
      N_("Train N epochs (default: the project’s)"), "N" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &o.seed,
      N_("Use this seed for data, initial weights and shuffling"), "N" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &o.save,
      N_("Save the project with the trained weights as OUT.nlab"), "OUT.nlab" },
    { "export-weights", 0, 0, G_OPTION_ARG_FILENAME, &o.export_weights,
      N_("Write the architecture and the weights as JSON (or as .npz, .onnx, .h, .csv, "
         ".safetensors by the file’s extension)"), "FILE.json" },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &o.history,
      N_("Write the loss and accuracy epoch by epoch as CSV (past 32 768 epochs, every 2nd, 4th… epoch)"),
      "FILE.csv" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet,
      N_("Print nothing but errors"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  TrainNumbers numbers = { 0 };
  NnTrainer *trainer;
  int status;

  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 1, &error)
      || !parse_numbers (&o, &numbers, &error)
      || !check_outputs (&o, &error))
    return nl_cli_fail (error);

  project = nn_project_load (argv[1], &error);
  if (project == NULL)
    return nl_cli_fail (error);
  if (numbers.has_seed)
    project->seed = numbers.seed;
  trainer = nn_trainer_new (project, &error);
  if (trainer == NULL)
    return nl_cli_fail (error);

  status = train_and_report (&o, argv[1], trainer,
                             numbers.has_epochs ? numbers.epochs : project->epochs);
  nn_trainer_free (trainer);
  return status;
}
