/* nl-window-data.c: your own data — points drawn on the output plot, or a CSV imported.
 *
 * Either way the project's dataset becomes the generator `points` with the points inline
 * (train and test lists), which the .nlab file saves, and the worker gets the project at
 * once (set_project), so training goes on with the new data.
 *
 * Drawing starts from the data on screen: the project's own points, or the generated
 * points the snapshot shows, so a teacher can add an outlier to the circle; Clear All
 * starts from nothing (the project keeps its last points until the first new one exists,
 * since the engine needs one to train on, but the plot shows the empty plane at once).
 */
#include <glib/gi18n.h>

#include "nl-window-private.h"
#include "nl-window-classroom.h"
#include "nl-boundary-view.h"
#include "nl-csv-import-dialog.h"
#include "nl-point-editor.h"

static NlPointEditor *
editor (NlWindow *self)
{
  return NL_POINT_EDITOR (self->classroom->point_editor);
}

/* The points the editor starts from: what the plot shows now. */
static void
load_editor_points (NlWindow *self)
{
  const NnProject *p = self->project;
  const NnDatasetSpec *d = &p->dataset;
  NlSnapshot *snap = self->snapshot;

  if (d->generator == NN_GENERATOR_POINTS)
    nl_point_editor_set_points (editor (self),
                                d->points != NULL ? (const NnPoint *) d->points->data : NULL,
                                d->points != NULL ? d->points->len : 0,
                                d->test_points != NULL ? (const NnPoint *) d->test_points->data : NULL,
                                d->test_points != NULL ? d->test_points->len : 0);
  else if (snap != NULL && snap->model->dataset != NULL
           && snap->model->project->dataset.generator == d->generator
           && snap->model->project->seed == p->seed)
    nl_point_editor_set_points (editor (self), snap->model->dataset->train,
                                snap->model->dataset->n_train, snap->model->dataset->test,
                                snap->model->dataset->n_test);
  else
    nl_point_editor_set_points (editor (self), NULL, 0, NULL, 0);
  self->classroom->drawing_synced = TRUE;
}

/* A dataset of inline points in `p`, with the problem's output made to fit it. */
static void
set_points (NnProject *p, NnProblem problem, guint classes, const GArray *train,
            const GArray *test)
{
  NnDatasetSpec *d = &p->dataset;

  if (problem != p->problem)
    {
      /* As win.set-problem does: identity and MSE for numbers, tanh for two classes. */
      p->loss = NN_LOSS_MSE;
      p->arch.output_activation = problem == NN_PROBLEM_REGRESSION ? NN_ACTIVATION_IDENTITY
                                                                   : NN_ACTIVATION_TANH;
    }
  g_clear_pointer (&d->points, g_array_unref);
  g_clear_pointer (&d->test_points, g_array_unref);
  g_clear_pointer (&d->path, g_free);
  d->generator = NN_GENERATOR_POINTS;
  d->problem = problem;
  p->problem = problem;
  if (problem == NN_PROBLEM_CLASSIFICATION)
    d->classes = CLAMP (classes, NN_MIN_CLASSES, NN_MAX_CLASSES);
  d->points = g_array_copy ((GArray *) train);
  d->test_points = test != NULL && test->len > 0 ? g_array_copy ((GArray *) test) : NULL;
  d->count = train->len + (test != NULL ? test->len : 0);
}

static void
on_editor_changed (NlPointEditor *point_editor, NlWindow *self)
{
  GArray *train = nl_point_editor_get_train (point_editor);
  GArray *test = nl_point_editor_get_test (point_editor);
  g_autoptr(NnProject) p = NULL;

  /* The engine trains on at least one point: until there is one, only the plot changes. */
  if (self->classroom == NULL || train->len == 0)
    return;
  p = nn_project_copy (self->project);
  set_points (p, self->project->problem, self->project->dataset.classes, train, test);
  nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE);
}

static void
on_editor_active (NlPointEditor *point_editor, GParamSpec *pspec, NlWindow *self)
{
  if (self->classroom == NULL)
    return;
  if (nl_point_editor_get_active (point_editor))
    {
      /* The toolbar is in the sidebar, which the Explain page folds away. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "train");
      load_editor_points (self);
    }
  else
    self->classroom->drawing_synced = FALSE;
}

void
nl_window_data_sync (NlWindow *self)
{
  const NnProject *p = self->project;
  NlPointEditor *e = editor (self);

  nl_point_editor_set_problem (e, p->problem, p->dataset.classes);
  /* Another dataset chosen while drawing: drawing on it starts from its points. */
  if (nl_point_editor_get_active (e) && p->dataset.generator != NN_GENERATOR_POINTS)
    nl_point_editor_set_active (e, FALSE);
}

static void
draw_points_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  nl_point_editor_set_active (editor (self), !nl_point_editor_get_active (editor (self)));
}

static void
clear_points_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  nl_point_editor_set_active (editor (self), TRUE);
  nl_point_editor_clear (editor (self));
}

/* ------------------------------------------------------------------------------------ */
/* CSV                                                                                  */

static void
on_csv_import (NlCsvImportDialog *dialog, NlWindow *self)
{
  g_autoptr(GArray) train = NULL;
  g_autoptr(GArray) test = NULL;
  g_autoptr(NnProject) p = NULL;

  if (!nl_csv_import_dialog_split (dialog, self->project->seed, &train, &test))
    return;
  p = nn_project_copy (self->project);
  set_points (p, nl_csv_import_dialog_get_problem (dialog),
              nl_csv_import_dialog_get_classes (dialog), train, test);
  p->dataset.train_ratio = CLAMP (nl_csv_import_dialog_get_train_ratio (dialog), 0.1, 1.0);
  if (!nl_window_commit_project (self, g_steal_pointer (&p), CHANGE_STRUCTURE))
    return;
  if (nl_point_editor_get_active (editor (self)))
    load_editor_points (self);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

GtkWidget *
nl_window_import_csv_file (NlWindow *self, GFile *file)
{
  NlCsvImportDialog *dialog;

  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dialog = nl_csv_import_dialog_new (GTK_WINDOW (self), file, self->project->dataset.train_ratio);
  g_signal_connect_object (dialog, "import", G_CALLBACK (on_csv_import), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
on_csv_chosen (GtkNativeDialog *chooser, int response, NlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        nl_window_import_csv_file (self, file);
    }
  g_object_unref (chooser);
}

static void
import_csv_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files (x1, x2, label or target)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  chooser = gtk_file_chooser_native_new (_("Import Data"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_csv_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------------------ */
/* Hooks                                                                                 */

void
nl_window_class_init_data (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (NL_TYPE_POINT_EDITOR);
  gtk_widget_class_bind_template_child_full (widget_class, "point_editor", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "draw_points_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.draw-points", NULL, draw_points_action);
  gtk_widget_class_install_action (widget_class, "win.clear-points", NULL, clear_points_action);
  gtk_widget_class_install_action (widget_class, "win.import-csv", NULL, import_csv_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.draw-points", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.clear-points",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.import-csv", NULL);
}

void
nl_window_init_data (NlWindow *self)
{
  NlWindowClassroom *c = self->classroom;

  c->point_editor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), NL_TYPE_WINDOW,
                                                               "point_editor"));
  c->draw_points_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                     NL_TYPE_WINDOW,
                                                                     "draw_points_button"));
  g_assert (NL_IS_POINT_EDITOR (c->point_editor));
  g_assert (GTK_IS_TOGGLE_BUTTON (c->draw_points_button));

  nl_point_editor_attach (editor (self), self->boundary_view);
  g_object_bind_property (c->point_editor, "active", c->draw_points_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect (c->point_editor, "changed", G_CALLBACK (on_editor_changed), self);
  g_signal_connect (c->point_editor, "notify::active", G_CALLBACK (on_editor_active), self);
  nl_window_data_sync (self);
}
