/* nl-cli-render.c: `neural-lab-cli render`, a view of a project as a PNG, SVG or PDF figure,
 * drawn by src/render exactly as the window's File → Export Figure draws it, with no
 * display. The scenes come from a trainer instead of a snapshot: the neurons' thumbnails
 * and the output at the window's resolutions, the loss history, the dataset. */
#include <math.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nl-render.h"
#include "nn-explain.h"
#include "nn-trainer.h"

#define MAX_EPOCHS     1000000
#define NEURON_RES     40    /* as the window's snapshots (nl-snapshot.h) */
#define OUTPUT_RES     200
#define DEFAULT_WIDTH  1600
#define DEFAULT_HEIGHT 900

typedef struct
{
  char    *view;
  char    *output;
  char    *format;
  char    *width;
  char    *height;
  char    *epochs;
  char    *sample;
  gboolean dark;
} RenderOptions;

static void
render_options_clear (RenderOptions *o)
{
  g_free (o->view);
  g_free (o->output);
  g_free (o->format);
  g_free (o->width);
  g_free (o->height);
  g_free (o->epochs);
  g_free (o->sample);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RenderOptions, render_options_clear)

typedef struct
{
  NlFigureView   view;
  NlFigureFormat format;
  guint          width, height, epochs, sample;
} RenderSettings;

static const struct { const char *name; NlFigureView view; } view_names[] = {
  { "network", NL_FIGURE_VIEW_NETWORK },
  { "output", NL_FIGURE_VIEW_BOUNDARY },
  { "loss", NL_FIGURE_VIEW_LOSS },
  { "explain", NL_FIGURE_VIEW_EXPLAIN },
  { "all", NL_FIGURE_VIEW_ALL },
};

static gboolean
parse_view (const char *name, NlFigureView *view, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    if (g_strcmp0 (name, view_names[i].name) == 0)
      {
        *view = view_names[i].view;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--view: unknown view “%s” (choose from network, output, loss, explain, all)"),
               name);
  return FALSE;
}

/* --format, or FILE's extension. */
static gboolean
parse_format (const RenderOptions *o, NlFigureFormat *format, GError **error)
{
  if (o->format == NULL && nl_figure_format_from_path (o->output, format))
    return TRUE;
  for (NlFigureFormat f = 0; o->format != NULL && f < NL_N_FIGURE_FORMATS; f++)
    if (g_ascii_strcasecmp (o->format, nl_figure_format_extension (f)) == 0)
      {
        *format = f;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               o->format != NULL ? _("--format: unknown format “%s” (choose from png, svg, pdf)")
                                 : _("%s: name the format with --format png|svg|pdf or by the extension"),
               o->format != NULL ? o->format : o->output);
  return FALSE;
}

static gboolean
parse_optional_uint (const char *option, const char *text, guint64 min, guint64 max,
                     guint fallback, guint *out, GError **error)
{
  guint64 v = fallback;

  if (text != NULL && !nl_cli_parse_uint (option, text, min, max, &v, error))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
parse_settings (const RenderOptions *o, RenderSettings *s, GError **error)
{
  if (o->output == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("render: -o FILE is required"));
      return FALSE;
    }
  return parse_view (o->view != NULL ? o->view : "all", &s->view, error)
         && nl_cli_check_output ("-o", o->output, error)
         && parse_format (o, &s->format, error)
         && parse_optional_uint ("--width", o->width, 1, NL_FIGURE_MAX_SIZE, DEFAULT_WIDTH,
                                 &s->width, error)
         && parse_optional_uint ("--height", o->height, 1, NL_FIGURE_MAX_SIZE, DEFAULT_HEIGHT,
                                 &s->height, error)
         && parse_optional_uint ("--epochs", o->epochs, 0, MAX_EPOCHS, 0, &s->epochs, error)
         && parse_optional_uint ("--sample", o->sample, 0, G_MAXUINT, 0, &s->sample, error);
}

/* What the figure shows, made from a trained trainer. */
typedef struct
{
  NnTrainer       *trainer;
  double          *neuron_grids;   /* every neuron, NEURON_RES² each */
  double          *output_grids;   /* every output unit, OUTPUT_RES² each */
  NnExplain       *explain;
  NlNetworkScene   network;
  NlBoundaryScene  boundary;
  NlLossScene      loss;
  NlExplainScene   walkthrough;
  NlFigureScenes   scenes;
  gboolean         dark;
  NlFigureView     view;
} Figure;

static void
figure_clear (Figure *f)
{
  g_free (f->neuron_grids);
  g_free (f->output_grids);
  g_clear_pointer (&f->explain, nn_explain_free);
}

static void
build_scenes (Figure *f)
{
  NnNetwork *net = nn_trainer_get_network (f->trainer);
  const NnProject *project = nn_trainer_get_project (f->trainer);
  const NnDataset *dataset = nn_trainer_get_dataset (f->trainer);
  guint k = net->arch.n_outputs;
  guint n_history;

  f->neuron_grids = g_new (double, (gsize) nn_network_total_units (net) * NEURON_RES * NEURON_RES);
  nn_trainer_eval_grid (f->trainer, NEURON_RES, NULL, f->neuron_grids);
  /* Every output unit over the output grid, one grid after the other, as the window's
   * snapshots hold them: softmax's class probabilities, or the one output's values. */
  f->output_grids = g_new (double, (gsize) k * OUTPUT_RES * OUTPUT_RES);
  nn_trainer_eval_output_grids (f->trainer, OUTPUT_RES, f->output_grids);

  f->network = (NlNetworkScene) NL_NETWORK_SCENE_INIT;
  f->network.arch = &net->arch;
  f->network.features = project->features;
  f->network.params = net->params;
  f->network.neuron_grids = f->neuron_grids;
  f->network.grid_res = NEURON_RES;

  nl_boundary_scene_init (&f->boundary);
  f->boundary.problem = project->problem;
  f->boundary.res = OUTPUT_RES;
  if (project->problem == NN_PROBLEM_CLASSIFICATION && k > 1)
    {
      f->boundary.n_classes = k;
      f->boundary.class_probs = f->output_grids;
    }
  else
    {
      f->boundary.values = f->output_grids;
      f->boundary.n_classes = project->problem == NN_PROBLEM_CLASSIFICATION ? 2 : 0;
      f->boundary.value_lo = net->arch.output_activation == NN_ACTIVATION_SIGMOID ? 0 : -1;
      f->boundary.value_hi = 1;
    }
  f->boundary.train = dataset->train;
  f->boundary.n_train = dataset->n_train;
  f->boundary.test = dataset->test;
  f->boundary.n_test = dataset->n_test;
  f->boundary.show_train = TRUE;
  f->boundary.show_test = TRUE;
  f->boundary.highlight_index = -1;

  nl_loss_scene_init (&f->loss);
  f->loss.history = nn_trainer_get_history (f->trainer, &n_history);
  f->loss.n_history = n_history;
  f->loss.classification = project->problem == NN_PROBLEM_CLASSIFICATION;
  f->loss.show_status = TRUE;

  f->scenes.network = &f->network;
  f->scenes.boundary = &f->boundary;
  f->scenes.loss = &f->loss;
}

/* The walkthrough of training point `sample` (as the window's Explain page numbers them:
 * the training points, then the test points), with the first weight's gradient shown. */
static gboolean
build_walkthrough (Figure *f, guint sample, GError **error)
{
  const NnDataset *dataset = nn_trainer_get_dataset (f->trainer);
  const NnPoint *point;

  if (sample >= dataset->n_train + dataset->n_test)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--sample: %u is past the last point (%u training and %u test points)"),
                   sample, dataset->n_train, dataset->n_test);
      return FALSE;
    }
  point = sample < dataset->n_train ? &dataset->train[sample]
                                    : &dataset->test[sample - dataset->n_train];
  f->explain = nn_explain_new_for_trainer (f->trainer, point, error);
  if (f->explain == NULL)
    return FALSE;
  nl_explain_scene_init (&f->walkthrough);
  f->walkthrough.explain = f->explain;
  f->walkthrough.has_param = TRUE;
  f->walkthrough.param = NN_PARAM_REF_WEIGHT (0, 0, 0);
  f->walkthrough.sample_is_test = sample >= dataset->n_train;
  f->walkthrough.sample_index = (int) (f->walkthrough.sample_is_test ? sample - dataset->n_train
                                                                     : sample);
  f->walkthrough.optimizer_state_known = TRUE;
  f->scenes.explain = &f->walkthrough;
  f->scenes.explain_diagram = &f->network;
  return TRUE;
}

static void
draw_figure (cairo_t *cr, double width, double height, gpointer data)
{
  Figure *f = data;

  nl_render_figure (cr, f->view, &f->scenes, f->dark, width, height);
}

static const char render_help[] = N_(
  "VIEW is network (every neuron's output over the plane and every weight), output (the\n"
  "decision boundary or regression surface with the data), loss (the loss curves), explain\n"
  "(back-propagation by hand for one point, --sample K: the training points, then the test\n"
  "points) or all (network, output and loss side by side, the default).\n"
  "The figure shows the project's stored weights, or those after --epochs N more epochs.\n"
  "PNG is width × height pixels; SVG and PDF keep text as text and lines as vectors.\n"
  "The file is written whole or not at all.");

int
nl_cli_render (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("render");
  g_auto (RenderOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "view", 'v', 0, G_OPTION_ARG_STRING, &o.view,
      N_("network, output, loss, explain or all (default: all)"), "VIEW" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Write the figure to FILE"),
      "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
      N_("png, svg or pdf (default: by FILE’s extension)"), "FORMAT" },
    { "width", 0, 0, G_OPTION_ARG_STRING, &o.width, N_("Width in pixels (default 1600)"), "W" },
    { "height", 0, 0, G_OPTION_ARG_STRING, &o.height, N_("Height in pixels (default 900)"),
      "H" },
    { "epochs", 'e', 0, G_OPTION_ARG_STRING, &o.epochs,
      N_("Train N epochs first (default: none)"), "N" },
    { "sample", 0, 0, G_OPTION_ARG_STRING, &o.sample,
      N_("The point the explain view follows (default 0)"), "K" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &o.dark, N_("Use the dark style"), NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  RenderSettings s = { 0 };
  Figure f = { 0 };
  int status = NL_CLI_OK;

  g_option_context_set_description (context, _(render_help));
  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 1, &error)
      || !parse_settings (&o, &s, &error))
    return nl_cli_fail (error);

  project = nn_project_load (argv[1], &error);
  if (project == NULL)
    return nl_cli_fail (error);
  f.trainer = nn_trainer_new (project, &error);
  if (f.trainer == NULL)
    return nl_cli_fail (error);
  f.view = s.view;
  f.dark = o.dark;
  if (s.epochs > 0 && !nn_trainer_train (f.trainer, s.epochs, NULL, NULL, &error))
    g_prefix_error (&error, _("%s: training failed, nothing was drawn: "), argv[1]);
  if (error == NULL)
    build_scenes (&f);
  if (error == NULL && s.view == NL_FIGURE_VIEW_EXPLAIN)
    build_walkthrough (&f, s.sample, &error);
  if (error == NULL)
    nl_figure_export_save (s.format, o.output, (int) s.width, (int) s.height, draw_figure, &f,
                           &error);
  if (error != NULL)
    status = nl_cli_fail (error);
  figure_clear (&f);
  nn_trainer_free (f.trainer);
  return status;
}
