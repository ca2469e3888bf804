/* nl-cli-export.c: `neural-lab-cli export PROJECT.nlab -o FILE` — the trained weights for the
 * tools students use next, and a Python snippet that loads them.
 *
 * By default the project's stored weights are exported. An untrained project is refused
 * unless --epochs asks to train it first: its random initial weights would look like a
 * result and mean nothing. Everything that can be refused (options, folders, a format
 * without the snippet asked for) is checked before training, and the files are written
 * only after it succeeded, each atomically.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nn-error.h"
#include "nn-export.h"
#include "nn-trainer.h"

#define MAX_EPOCHS 10000000

typedef struct
{
  char *format;
  char *output;
  char *epochs;
  char *snippet;
  char *snippet_output;
} ExportOptions;

static void
export_options_clear (ExportOptions *o)
{
  g_free (o->format);
  g_free (o->output);
  g_free (o->epochs);
  g_free (o->snippet);
  g_free (o->snippet_output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportOptions, export_options_clear)

/* The options once parsed. */
typedef struct
{
  NnExportFormat    format;
  gboolean          has_epochs, has_snippet;
  guint             epochs;
  NnExportFramework framework;
} ExportSettings;

/* "json, csv, npz, onnx, c, safetensors": the engine's names (see NL_CLI_DEFINE_NAMES). */
NL_CLI_DEFINE_NAMES (format_names, NnExportFormat, nn_export_format_to_string, NN_N_EXPORT_FORMATS)
NL_CLI_DEFINE_NAMES (framework_names, NnExportFramework, nn_export_framework_to_string,
                     NN_N_EXPORT_FRAMEWORKS)

/* --format, or else the format the output file's extension names. */
static gboolean
parse_format (const ExportOptions *o, ExportSettings *s, GError **error)
{
  g_autofree char *names = format_names ();

  if (o->format != NULL && nn_export_format_from_string (o->format, &s->format))
    return TRUE;
  if (o->format != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("--format: unknown format “%s” (choose from %s)"), o->format, names);
  else if (!nn_export_format_from_path (o->output, &s->format))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("export: the extension of %s names no format: give --format (one of %s)"),
                 o->output, names);
  else
    return TRUE;
  return FALSE;
}

static gboolean
parse_snippet (const ExportOptions *o, ExportSettings *s, GError **error)
{
  s->has_snippet = o->snippet != NULL;
  if (o->snippet_output != NULL && !s->has_snippet)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--snippet-output needs --snippet numpy or --snippet pytorch"));
      return FALSE;
    }
  if (s->has_snippet && !nn_export_framework_from_string (o->snippet, &s->framework))
    {
      g_autofree char *names = framework_names ();

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--snippet: unknown framework “%s” (choose from %s)"), o->snippet, names);
      return FALSE;
    }
  return o->snippet_output == NULL
         || nl_cli_check_output ("--snippet-output", o->snippet_output, error);
}

static gboolean
parse_settings (const ExportOptions *o, ExportSettings *s, GError **error)
{
  guint64 v;

  if (o->output == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("export: -o FILE is required"));
      return FALSE;
    }
  if (!nl_cli_check_output ("-o", o->output, error) || !parse_format (o, s, error))
    return FALSE;
  if (o->epochs != NULL)
    {
      if (!nl_cli_parse_uint ("--epochs", o->epochs, 0, MAX_EPOCHS, &v, error))
        return FALSE;
      s->has_epochs = TRUE;
      s->epochs = (guint) v;
    }
  return parse_snippet (o, s, error);
}

/* The snippet is made before anything is trained or written, so asking for one that does
 * not exist (the C header; ONNX in PyTorch) costs nothing and leaves nothing behind. */
static char *
make_snippet (const ExportOptions *o, const ExportSettings *s, const NnProject *project,
              GError **error)
{
  char *snippet = nn_export_python_snippet (project, s->format, s->framework, o->output);

  if (snippet == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("--snippet: there is no %s snippet for the %s format"),
                 nn_export_framework_to_string (s->framework),
                 nn_export_format_to_string (s->format));
  return snippet;
}

/* The weights to export: the stored ones, or those after training `epochs` epochs. */
static GBytes *
export_bytes (const char *path, const ExportSettings *s, const NnProject *project,
              GError **error)
{
  NnTrainer *trainer;
  GBytes *bytes = NULL;

  if (!s->has_epochs)
    return nn_export_weights (project, NULL, s->format, error);
  trainer = nn_trainer_new (project, error);
  if (trainer == NULL)
    return NULL;
  if (nn_trainer_train (trainer, s->epochs, NULL, NULL, error))
    bytes = nn_export_weights (nn_trainer_get_project (trainer),
                               nn_trainer_get_network (trainer), s->format, error);
  else
    g_prefix_error (error, _("%s: training failed, nothing was exported: "), path);
  nn_trainer_free (trainer);
  return bytes;
}

static int
write_outputs (const ExportOptions *o, GBytes *bytes, const char *snippet)
{
  g_autoptr (GError) error = NULL;
  gsize length;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  if (!nn_write_file_atomically (o->output, data, length, &error))
    return nl_cli_fail (error);
  if (snippet == NULL)
    return NL_CLI_OK;
  if (o->snippet_output != NULL)
    {
      if (!nn_write_file_atomically (o->snippet_output, snippet, strlen (snippet), &error))
        return nl_cli_fail (error);
      return NL_CLI_OK;
    }
  if (fputs (snippet, stdout) < 0 || fflush (stdout) != 0)
    return nl_cli_fail_printf (_("cannot write the snippet: %s"), g_strerror (errno));
  return NL_CLI_OK;
}

static const char export_help[] = N_(
  "FORMAT is json, csv, npz (NumPy), onnx (opset 13, float32), c (a C header) or safetensors;\n"
  "without --format, the extension of FILE names it. Every format names the tensors\n"
  "layers.N.weight ([out, in], as PyTorch’s Linear.weight) and layers.N.bias, N counting from\n"
  "the first hidden layer (docs/export-formats.md).\n"
  "The project’s stored weights are exported; a project without them is refused unless\n"
  "--epochs N trains it first (from its stored weights, if any, else from its seed).\n"
  "--snippet prints a short Python program that loads FILE and predicts like the app;\n"
  "there is none for the C header, nor a PyTorch one for ONNX.");

int
nl_cli_export (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("export");
  g_auto (ExportOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
      N_("json, csv, npz, onnx, c or safetensors (default: by FILE’s extension)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("Write the weights to FILE"), "FILE" },
    { "epochs", 'e', 0, G_OPTION_ARG_STRING, &o.epochs,
      N_("Train N epochs first (default: export the stored weights)"), "N" },
    { "snippet", 0, 0, G_OPTION_ARG_STRING, &o.snippet,
      N_("Print a Python program that loads FILE with numpy or pytorch"), "FRAMEWORK" },
    { "snippet-output", 0, 0, G_OPTION_ARG_FILENAME, &o.snippet_output,
      N_("Write the snippet to this file instead of the standard output"), "FILE.py" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *snippet = NULL;
  ExportSettings s = { 0 };

  g_option_context_set_description (context, _(export_help));
  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 1, &error)
      || !parse_settings (&o, &s, &error))
    return nl_cli_fail (error);

  project = nn_project_load (argv[1], &error);
  if (project == NULL)
    return nl_cli_fail (error);
  if (project->weights == NULL && !s.has_epochs)
    return nl_cli_fail_printf (_("%s: the project has no trained weights to export; train it "
                                 "first (“%s train %s --save OUT.nlab”) or give --epochs N"),
                               argv[1], NL_CLI_NAME, argv[1]);
  if (s.has_snippet && (snippet = make_snippet (&o, &s, project, &error)) == NULL)
    return nl_cli_fail (error);

  bytes = export_bytes (argv[1], &s, project, &error);
  if (bytes == NULL)
    return nl_cli_fail (error);
  return write_outputs (&o, bytes, snippet);
}
