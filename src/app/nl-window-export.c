/* nl-window-export.c: weights, figures and history out of the window, weights back in.
 *
 * Everything is taken from the snapshot on screen, never from the trainer: the weights
 * exported are the ones the views show. Figures are drawn through src/render onto Cairo
 * image, SVG or PDF surfaces (nl-figure-export.h), at a size of the user's choosing, with
 * text sizes following the figure's size so a 1920 × 1080 slide reads like the window.
 * Also the shared hooks of the classroom files (nl-window-classroom.h).
 */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-window-private.h"
#include "nl-window-classroom.h"
#include "nl-explain-view.h"
#include "nl-export-chooser.h"
#include "nl-export-dialog.h"
#include "nl-figure-dialog.h"
#include "nl-point-editor.h"
#include "nl-render.h"
#include "nn-error.h"

/* The clipboard's picture of the current page. */
#define COPY_WIDTH  1600
#define COPY_HEIGHT 900
/* How long "Copied …" stays: long enough to read, short enough not to be closed by hand. */
#define COPIED_SECONDS 4

static NlWindowClassroom *
classroom (NlWindow *self)
{
  return self->classroom;
}

/* ------------------------------------------------------------------------------------ */
/* Figures                                                                              */

static void
network_scene (NlSnapshot *snap, NlNetworkScene *scene)
{
  *scene = (NlNetworkScene) NL_NETWORK_SCENE_INIT;
  scene->arch = &snap->net.arch;
  scene->features = snap->model->project->features;
  scene->params = snap->net.params;
  scene->neuron_grids = snap->neuron_grids;
  scene->grid_res = snap->neuron_res;
}

/* As the output view shows it (nl-boundary-view.c), with the window's view options. */
static void
boundary_scene (NlWindow *self, NlSnapshot *snap, NlBoundaryScene *scene)
{
  const NnProject *project = snap->model->project;
  const NnDataset *dataset = snap->model->dataset;

  nl_boundary_scene_init (scene);
  scene->problem = project->problem;
  scene->res = snap->output_res;
  if (project->problem == NN_PROBLEM_CLASSIFICATION && snap->n_outputs > 1)
    {
      scene->n_classes = snap->n_outputs;
      scene->class_probs = snap->output_grids;
    }
  else
    {
      scene->values = snap->output_grids;
      scene->n_classes = project->problem == NN_PROBLEM_CLASSIFICATION ? 2 : 0;
      scene->value_lo = snap->net.arch.output_activation == NN_ACTIVATION_SIGMOID ? 0 : -1;
      scene->value_hi = 1;
    }
  if (dataset != NULL)
    {
      scene->train = dataset->train;
      scene->n_train = dataset->n_train;
      scene->test = dataset->test;
      scene->n_test = dataset->n_test;
    }
  scene->show_train = TRUE;
  scene->show_test = self->show_test_data;
  scene->discretize = self->discretize_output;
  scene->highlight_index = -1;
}

static void
loss_scene (NlWindow *self, NlSnapshot *snap, NlLossScene *scene)
{
  nl_loss_scene_init (scene);
  scene->history = snap->history != NULL ? snap->history->records : NULL;
  scene->n_history = snap->n_history;
  scene->classification = snap->model->project->problem == NN_PROBLEM_CLASSIFICATION;
  scene->log_scale = self->log_scale;
  scene->show_status = TRUE;
}

void
nl_window_draw_figure (NlWindow     *self,
                       NlFigureView  view,
                       gboolean      dark,
                       cairo_t      *cr,
                       double        width,
                       double        height)
{
  NlSnapshot *snap;
  NlNetworkScene network, diagram;
  NlBoundaryScene boundary;
  NlLossScene loss;
  NlExplainScene explain;
  NlFigureScenes scenes = { NULL };

  g_return_if_fail (NL_IS_WINDOW (self));
  g_return_if_fail (cr != NULL);

  snap = self->snapshot;
  if (snap != NULL)
    {
      network_scene (snap, &network);
      boundary_scene (self, snap, &boundary);
      loss_scene (self, snap, &loss);
      scenes.network = &network;
      scenes.boundary = &boundary;
      scenes.loss = &loss;
    }
  if (snap != NULL && view == NL_FIGURE_VIEW_EXPLAIN)
    {
      NlExplainView *view_widget = NL_EXPLAIN_VIEW (classroom (self)->explain_view);

      if (nl_explain_view_get_explain (view_widget) == NULL)
        nl_explain_view_update (view_widget);
      if (nl_explain_view_get_scenes (view_widget, &explain, &diagram))
        {
          scenes.explain = &explain;
          scenes.explain_diagram = &diagram;
        }
    }
  nl_render_figure (cr, view, &scenes, dark, width, height);
}

typedef struct
{
  NlWindow     *window;
  NlFigureView  view;
  gboolean      dark;
} FigureJob;

static void
draw_job (cairo_t *cr, double width, double height, gpointer data)
{
  FigureJob *job = data;

  nl_window_draw_figure (job->window, job->view, job->dark, cr, width, height);
}

static gboolean
local_path (GFile *file, char **path, GError **error)
{
  *path = g_file_get_path (file);
  if (*path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only files on this computer can be written."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
have_snapshot (NlWindow *self, GError **error)
{
  if (self->snapshot != NULL)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("The network is not ready yet."));
  return FALSE;
}

gboolean
nl_window_export_figure (NlWindow        *self,
                         NlFigureView     view,
                         NlFigureFormat   format,
                         int              width,
                         int              height,
                         gboolean         dark,
                         GFile           *file,
                         GError         **error)
{
  g_autofree char *path = NULL;
  FigureJob job = { self, view, dark };

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!have_snapshot (self, error) || !local_path (file, &path, error))
    return FALSE;
  return nl_figure_export_save (format, path, width, height, draw_job, &job, error);
}

gboolean
nl_window_copy_view (NlWindow *self, GError **error)
{
  const char *page;
  FigureJob job = { self, NL_FIGURE_VIEW_ALL, self->dark };
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);

  if (!have_snapshot (self, error))
    return FALSE;
  page = gtk_stack_get_visible_child_name (GTK_STACK (classroom (self)->centre_stack));
  if (g_strcmp0 (page, "explain") == 0)
    job.view = NL_FIGURE_VIEW_EXPLAIN;
  png = nl_figure_export_png_bytes (COPY_WIDTH, COPY_HEIGHT, draw_job, &job, error);
  if (png == NULL)
    return FALSE;
  texture = gdk_texture_new_from_bytes (png, error);
  if (texture == NULL)
    return FALSE;
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Weights and history                                                                  */

gboolean
nl_window_export_weights (NlWindow        *self,
                          NnExportFormat   format,
                          GFile           *file,
                          GError         **error)
{
  g_autofree char *path = NULL;
  NlSnapshot *snap = self->snapshot;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!have_snapshot (self, error) || !local_path (file, &path, error))
    return FALSE;
  snap = self->snapshot;
  return nn_export_weights_to_file (snap->model->project, &snap->net, format, path, error);
}

gboolean
nl_window_import_weights (NlWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree double *params = NULL;
  NlSnapshot *snap;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!have_snapshot (self, error) || self->worker == NULL)
    return FALSE;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only files on this computer can be opened."));
      return FALSE;
    }
  snap = self->snapshot;
  params = g_new (double, snap->net.n_params);
  if (!nn_import_weights (path, snap->model->project->features, &snap->net.arch, params, error))
    return FALSE;
  nl_training_worker_set_params (self->worker, params, snap->net.n_params);
  nl_window_set_modified (self, TRUE);
  nl_window_ensure_ticking (self);
  return TRUE;
}

char *
nl_window_history_csv (NlWindow *self)
{
  NlSnapshot *snap;

  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  /* The same file as `neural-lab-cli train --history` writes. */
  snap = self->snapshot;
  if (snap == NULL || snap->history == NULL)
    return g_string_free (nn_history_to_csv (NULL, 0), FALSE);
  return g_string_free (nn_history_to_csv (snap->history->records, snap->n_history), FALSE);
}

gboolean
nl_window_export_history (NlWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!have_snapshot (self, error) || !local_path (file, &path, error))
    return FALSE;
  csv = nl_window_history_csv (self);
  return nn_write_file_atomically (path, csv, strlen (csv), error);
}

/* ------------------------------------------------------------------------------------ */
/* Actions                                                                              */

static void
show_failure (NlWindow *self, const char *format, GFile *file, const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *primary = g_strdup_printf (format, name);

  if (g_error_matches (error, NN_ERROR, NN_ERROR_SHAPE))
    {
      g_autofree char *secondary = g_strdup_printf ("%s\n\n%s", error->message,
                                                    _("Weights can only be imported into a network of the same shape: the same features, the same number of layers and the same neurons in each."));

      nl_window_show_error (GTK_WINDOW (self), primary, secondary);
    }
  else
    nl_window_show_error (GTK_WINDOW (self), primary, error->message);
}

static void
export_weights_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlExportDialog *dialog = nl_export_dialog_new (NL_WINDOW (widget));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_import_weights_response (GtkNativeDialog *chooser, int response, NlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && !nl_window_import_weights (self, file, &error))
        show_failure (self, _("Could not import the weights from “%s”"), file, error);
    }
  g_object_unref (chooser);
}

static void
import_weights_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Weights (JSON, NumPy .npz)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.npz");
  chooser = gtk_file_chooser_native_new (_("Import Weights"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_weights_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_figure_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (GTK_STACK (classroom (self)->centre_stack));
  NlFigureDialog *dialog;

  dialog = nl_figure_dialog_new (self, g_strcmp0 (page, "explain") == 0 ? NL_FIGURE_VIEW_EXPLAIN
                                                                        : NL_FIGURE_VIEW_BOUNDARY);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GWeakRef  window;
  char     *message;
} CopiedBanner;

static void
copied_banner_free (gpointer data)
{
  CopiedBanner *banner = data;

  g_weak_ref_clear (&banner->window);
  g_free (banner->message);
  g_free (banner);
}

/* Folds the confirmation away, unless another message (a divergence) has replaced it. */
static gboolean
hide_copied_banner (gpointer data)
{
  CopiedBanner *banner = data;
  g_autoptr(NlWindow) self = g_weak_ref_get (&banner->window);

  if (self != NULL && self->classroom != NULL
      && g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->banner_label)), banner->message) == 0)
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
  return G_SOURCE_REMOVE;
}

/* The clipboard shows nothing: say what is on it, in the window's banner, for a moment. */
static void
show_copied (NlWindow *self, NlFigureView view)
{
  CopiedBanner *banner = g_new0 (CopiedBanner, 1);
  const char *what = view == NL_FIGURE_VIEW_EXPLAIN
                       ? _("Copied the back-propagation walkthrough as an image (%d × %d pixels)")
                       : _("Copied the network, the decision boundary and the loss curves as an image (%d × %d pixels)");

  g_weak_ref_init (&banner->window, self);
  banner->message = g_strdup_printf (what, COPY_WIDTH, COPY_HEIGHT);
  nl_window_show_info (self, banner->message);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, COPIED_SECONDS, hide_copied_banner, banner,
                              copied_banner_free);
}

static void
copy_view_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *page;

  if (!nl_window_copy_view (self, &error))
    {
      nl_window_show_error (GTK_WINDOW (self), _("Could not copy the view"), error->message);
      return;
    }
  page = gtk_stack_get_visible_child_name (GTK_STACK (classroom (self)->centre_stack));
  show_copied (self, g_strcmp0 (page, "explain") == 0 ? NL_FIGURE_VIEW_EXPLAIN
                                                       : NL_FIGURE_VIEW_ALL);
}

static void
on_history_response (GtkNativeDialog *chooser, int response, NlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && !nl_window_export_history (self, file, &error))
        show_failure (self, _("Could not export the training history to “%s”"), file, error);
    }
  g_object_unref (chooser);
}

static void
export_history_action (GtkWidget *widget, const char *name, GVariant *param)
{
  nl_export_chooser_show (GTK_WINDOW (widget), _("Export Training History"), _("CSV files"), "csv",
                          _("history.csv"), G_CALLBACK (on_history_response), widget);
}

void
nl_window_class_init_export (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.export-weights", NULL, export_weights_action);
  gtk_widget_class_install_action (widget_class, "win.import-weights", NULL, import_weights_action);
  gtk_widget_class_install_action (widget_class, "win.export-figure", NULL, export_figure_action);
  gtk_widget_class_install_action (widget_class, "win.copy-view", NULL, copy_view_action);
  gtk_widget_class_install_action (widget_class, "win.export-history", NULL, export_history_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-weights", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import-weights", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-figure", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-view", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.export-history", NULL);
}

/* ------------------------------------------------------------------------------------ */
/* The classroom hooks (nl-window-classroom.h)                                          */

void
nl_window_class_init_classroom (NlWindowClass *klass)
{
  nl_window_class_init_export (klass);
  nl_window_class_init_data (klass);
  nl_window_class_init_explain (klass);
}

void
nl_window_init_classroom (NlWindow *self)
{
  self->classroom = g_new0 (NlWindowClassroom, 1);
  nl_window_init_explain (self);
  nl_window_init_data (self);
}

void
nl_window_dispose_classroom (NlWindow *self)
{
  g_clear_pointer (&self->classroom, g_free);
}

void
nl_window_classroom_apply_snapshot (NlWindow *self, NlSnapshot *snapshot)
{
  if (self->classroom != NULL)
    nl_window_explain_apply_snapshot (self, snapshot);
}

void
nl_window_classroom_sync (NlWindow *self)
{
  if (self->classroom != NULL)
    nl_window_data_sync (self);
}

void
nl_window_classroom_set_dark (NlWindow *self, gboolean dark)
{
  NlWindowClassroom *c = self->classroom;

  if (c == NULL)
    return;
  nl_explain_view_set_dark (NL_EXPLAIN_VIEW (c->explain_view), dark);
  nl_point_editor_set_dark (NL_POINT_EDITOR (c->point_editor), dark);
}
