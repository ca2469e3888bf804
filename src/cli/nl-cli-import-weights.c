/* nl-cli-import-weights.c: `neural-lab-cli import-weights PROJECT.nlab WEIGHTS -o OUT.nlab`
 * — weights exported as JSON or .npz (by Neural Lab, or saved from NumPy or PyTorch under
 * the same names) back into a project of the same shape.
 *
 * The engine tells the two formats apart by their contents and refuses weights of another
 * shape with a message naming the tensor and both shapes; OUT.nlab is written only when
 * every weight was read, atomically.
 */
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nn-export.h"
#include "nn-network.h"
#include "nn-project.h"

typedef struct
{
  char *output;
} ImportOptions;

static void
import_options_clear (ImportOptions *o)
{
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportOptions, import_options_clear)

static gboolean
check_options (const ImportOptions *o, GError **error)
{
  if (o->output == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("import-weights: -o OUT.nlab is required"));
      return FALSE;
    }
  return nl_cli_check_output ("-o", o->output, error);
}

/* Reads the weights into `project`, in its network's flat layout. */
static gboolean
import_into (NnProject *project, const char *path, GError **error)
{
  g_autoptr (NnNetwork) layout = nn_network_new (&project->arch, 1, error);
  g_autofree double *params = NULL;

  if (layout == NULL)
    return FALSE;
  params = g_new (double, layout->n_params);
  if (!nn_import_weights (path, project->features, &project->arch, params, error))
    return FALSE;
  nn_project_set_weights (project, params, layout->n_params);
  return TRUE;
}

static const char import_help[] = N_(
  "WEIGHTS is a file written by “export --format json” or “--format npz” (or an .npz saved\n"
  "from NumPy with the same names: layers.N.weight as [out, in], layers.N.bias). Its layers\n"
  "must have the project’s shape; the project’s settings are kept and only its weights\n"
  "replaced, so training OUT.nlab goes on from the imported weights.");

int
nl_cli_import_weights (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("import-weights");
  g_auto (ImportOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("Write the project with the imported weights to OUT.nlab"), "OUT.nlab" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;

  g_option_context_set_description (context, _(import_help));
  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 2, &error)
      || !check_options (&o, &error))
    return nl_cli_fail (error);

  project = nn_project_load (argv[1], &error);
  if (project == NULL || !import_into (project, argv[2], &error)
      || !nn_project_save (project, o.output, &error))
    return nl_cli_fail (error);
  return NL_CLI_OK;
}
