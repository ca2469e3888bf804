/* nl-csv-import-dialog.c: preview, guess, check and scale a CSV before importing it. */
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nl-csv-import-dialog.h"
#include "nn-types.h"

#define PREVIEW_ROWS  8
/* Scaled data keeps this margin (plane units) from the plane's edges. */
#define PLANE_MARGIN  0.3

struct _NlCsvImportDialog
{
  GtkWindow      parent_instance;

  /* Template widgets */
  GtkWidget     *cancel_button;
  GtkWidget     *import_button;
  GtkWidget     *file_label;
  GtkWidget     *preview_grid;
  GtkWidget     *rows_label;
  GtkWidget     *problem_dropdown;
  GtkWidget     *guess_label;
  GtkAdjustment *ratio_adjustment;
  GtkWidget     *split_label;
  GtkWidget     *scale_label;
  GtkWidget     *error_label;

  GFile         *file;
  char          *path;
  NnProblem      guessed;
  NnProblem      problem;
  guint          classes;
  GArray        *points;        /* as read, then scaled into the plane; NULL on error */
  char          *error;
  guint          error_line, error_column;
  double         scale;
  char          *scale_text;
  gboolean       syncing;
  /* The preview's cells by file position: line × 4 + column (both 1-based). */
  GHashTable    *cells;
};

enum {
  IMPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NlCsvImportDialog, nl_csv_import_dialog, GTK_TYPE_WINDOW)

/* ------------------------------------------------------------------------------------ */
/* Reading                                                                              */

/* "data.csv:5:2: 'abc' is not a number" → line 5, column 2 and the reason; other engine
 * messages lose only their file name. The reason stays the engine's (English) words. */
static void
set_error_from (NlCsvImportDialog *self, const GError *error)
{
  const char *message = error->message;
  guint line = 0, column = 0;
  int consumed = 0;

  g_clear_pointer (&self->error, g_free);
  self->error_line = self->error_column = 0;
  if (g_str_has_prefix (message, self->path) && message[strlen (self->path)] == ':')
    message += strlen (self->path) + 1;
  if (sscanf (message, "%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      self->error_line = line;
      self->error_column = column;
      self->error = g_strdup_printf (_("Line %u, column %u: %s"), line, column,
                                     message + consumed);
    }
  else
    self->error = g_strstrip (g_strdup (message));
}

static char
detect_separator (const char *line)
{
  if (strchr (line, ';') != NULL)
    return ';';
  if (strchr (line, '\t') != NULL && strchr (line, ',') == NULL)
    return '\t';
  return ',';
}

static void
fill_preview (NlCsvImportDialog *self)
{
  g_autoptr(GFileInputStream) input = g_file_read (self->file, NULL, NULL);
  g_autoptr(GDataInputStream) data = NULL;
  guint row = 0, line_no = 0;
  char sep = 0;

  if (input == NULL)
    return;
  data = g_data_input_stream_new (G_INPUT_STREAM (input));
  while (row < PREVIEW_ROWS + 1)
    {
      gsize length = 0;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (data, &length, NULL, NULL);
      g_auto(GStrv) fields = NULL;
      char separator[2];

      if (line == NULL)
        break;
      line_no++;
      g_strstrip (line);
      if (line[0] == '\0')
        continue;
      if (sep == 0)
        sep = detect_separator (line);
      separator[0] = sep;
      separator[1] = '\0';
      fields = g_strsplit (line, separator, 4);
      for (guint c = 0; fields[c] != NULL && c < 3; c++)
        {
          GtkWidget *label = gtk_label_new (g_strstrip (fields[c]));

          gtk_label_set_xalign (GTK_LABEL (label), c < 3 ? 1.0 : 0.0);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (label, "numeric");
          gtk_widget_add_css_class (label, "monospace");
          gtk_grid_attach (GTK_GRID (self->preview_grid), label, c, row, 1, 1);
          g_hash_table_insert (self->cells, GUINT_TO_POINTER (line_no * 4 + c + 1), label);
        }
      row++;
    }
}

/* Integers 0..7, or exactly −1 and 1: class labels. */
static NnProblem
guess_problem (const GArray *points)
{
  gboolean indices = TRUE, signs = TRUE;

  for (guint i = 0; i < points->len; i++)
    {
      double y = g_array_index (points, NnPoint, i).y;

      if (!(y == floor (y) && y >= 0 && y < NN_MAX_CLASSES))
        indices = FALSE;
      if (y != 1.0 && y != -1.0)
        signs = FALSE;
    }
  return indices || signs ? NN_PROBLEM_CLASSIFICATION : NN_PROBLEM_REGRESSION;
}

static void
format_value (char *buf, gsize size, double v)
{
  g_snprintf (buf, size, "%.3g", v);
}

/* Scales the points uniformly about their centre into the plane (keeping a margin), then
 * moves them only as far as they must to be inside it. */
static void
fit_into_plane (NlCsvImportDialog *self)
{
  double lo1 = G_MAXDOUBLE, hi1 = -G_MAXDOUBLE, lo2 = G_MAXDOUBLE, hi2 = -G_MAXDOUBLE;
  double c1, c2, s, n1, n2, span = (NN_PLANE_MAX - NN_PLANE_MIN) - 2 * PLANE_MARGIN;
  char scale[32], from1[32], from2[32], to1[32], to2[32];
  gboolean moved;

  g_clear_pointer (&self->scale_text, g_free);
  self->scale = 1.0;
  if (self->points == NULL || self->points->len == 0)
    return;
  for (guint i = 0; i < self->points->len; i++)
    {
      const NnPoint *p = &g_array_index (self->points, NnPoint, i);

      lo1 = MIN (lo1, p->x1), hi1 = MAX (hi1, p->x1);
      lo2 = MIN (lo2, p->x2), hi2 = MAX (hi2, p->x2);
    }
  if (lo1 >= NN_PLANE_MIN && hi1 <= NN_PLANE_MAX && lo2 >= NN_PLANE_MIN && hi2 <= NN_PLANE_MAX)
    return;

  c1 = (lo1 + hi1) / 2, c2 = (lo2 + hi2) / 2;
  s = MIN (1.0, span / MAX (MAX (hi1 - lo1, hi2 - lo2), 1e-12));
  /* Where the centre may sit so the scaled box stays in the plane. */
  n1 = CLAMP (c1, NN_PLANE_MIN + PLANE_MARGIN + s * (hi1 - lo1) / 2,
              NN_PLANE_MAX - PLANE_MARGIN - s * (hi1 - lo1) / 2);
  n2 = CLAMP (c2, NN_PLANE_MIN + PLANE_MARGIN + s * (hi2 - lo2) / 2,
              NN_PLANE_MAX - PLANE_MARGIN - s * (hi2 - lo2) / 2);
  for (guint i = 0; i < self->points->len; i++)
    {
      NnPoint *p = &g_array_index (self->points, NnPoint, i);

      p->x1 = CLAMP ((p->x1 - c1) * s + n1, NN_PLANE_MIN, NN_PLANE_MAX);
      p->x2 = CLAMP ((p->x2 - c2) * s + n2, NN_PLANE_MIN, NN_PLANE_MAX);
    }
  self->scale = s;

  format_value (scale, sizeof scale, s);
  format_value (from1, sizeof from1, c1);
  format_value (from2, sizeof from2, c2);
  format_value (to1, sizeof to1, n1);
  format_value (to2, sizeof to2, n2);
  moved = fabs (n1 - c1) > 1e-9 || fabs (n2 - c2) > 1e-9;
  if (s < 1.0 && moved)
    self->scale_text = g_strdup_printf (_("The data lies outside the plane [−6, 6]²: scaled by %s about its centre to fit, and its centre moved from (%s, %s) to (%s, %s)."),
                                        scale, from1, from2, to1, to2);
  else if (s < 1.0)
    self->scale_text = g_strdup_printf (_("The data lies outside the plane [−6, 6]²: scaled by %s about its centre to fit."),
                                        scale);
  else
    self->scale_text = g_strdup_printf (_("The data lies outside the plane [−6, 6]²: its centre moved from (%s, %s) to (%s, %s) to fit."),
                                        from1, from2, to1, to2);
}

/* Reads the file for the chosen problem and updates everything shown. */
static void
evaluate (NlCsvImportDialog *self)
{
  g_autoptr(GError) error = NULL;
  guint classes = 0;

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->error, g_free);
  self->error_line = self->error_column = 0;

  self->points = nn_dataset_read_csv (self->path, self->problem, &classes, &error);
  if (self->points == NULL)
    set_error_from (self, error);
  else
    self->classes = self->problem == NN_PROBLEM_CLASSIFICATION
                      ? CLAMP (classes, NN_MIN_CLASSES, NN_MAX_CLASSES) : 0;
  fit_into_plane (self);
}

static void
update_widgets (NlCsvImportDialog *self)
{
  guint n = self->points != NULL ? self->points->len : 0;
  double ratio = nl_csv_import_dialog_get_train_ratio (self);
  guint n_train = n > 0 ? MAX (1, (guint) round (n * ratio)) : 0;
  g_autofree char *rows = NULL;
  g_autofree char *guess = NULL;
  g_autofree char *split = NULL;

  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->problem_dropdown), self->problem);
  self->syncing = FALSE;

  if (n > 0)
    rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u data row in the file, the first ones shown",
                                         "%u data rows in the file, the first ones shown", n),
                            n);
  gtk_label_set_label (GTK_LABEL (self->rows_label), rows != NULL ? rows : "");

  if (self->guessed == NN_PROBLEM_CLASSIFICATION)
    guess = g_strdup (_("The labels look like classes."));
  else
    guess = g_strdup (_("The third column looks like numbers to predict."));
  if (self->points != NULL && self->problem == NN_PROBLEM_CLASSIFICATION)
    {
      g_autofree char *with = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u class.",
                                                            "%s %u classes.", self->classes),
                                               guess, self->classes);

      g_free (guess);
      guess = g_steal_pointer (&with);
    }
  gtk_label_set_label (GTK_LABEL (self->guess_label), guess);

  if (n > 0)
    split = g_strdup_printf (_("%u for training, %u for testing"), n_train, n - n_train);
  gtk_label_set_label (GTK_LABEL (self->split_label), split != NULL ? split : "");

  gtk_widget_set_visible (self->scale_label, self->scale_text != NULL && self->error == NULL);
  gtk_label_set_label (GTK_LABEL (self->scale_label),
                       self->scale_text != NULL ? self->scale_text : "");
  gtk_widget_set_visible (self->error_label, self->error != NULL);
  /* The bad value, when the preview shows it, in the error colour. */
  {
    GHashTableIter iter;
    gpointer key, cell;

    g_hash_table_iter_init (&iter, self->cells);
    while (g_hash_table_iter_next (&iter, &key, &cell))
      {
        gboolean bad = self->error != NULL && self->error_column <= 3
                       && GPOINTER_TO_UINT (key) == self->error_line * 4 + self->error_column;

        if (bad)
          gtk_widget_add_css_class (cell, "csv-error-cell");
        else
          gtk_widget_remove_css_class (cell, "csv-error-cell");
      }
  }
  gtk_label_set_label (GTK_LABEL (self->error_label), self->error != NULL ? self->error : "");
  gtk_widget_set_sensitive (self->import_button, self->error == NULL && n > 0);
}

static void
load (NlCsvImportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) as_numbers = NULL;
  g_autofree char *name = g_file_get_basename (self->file);

  gtk_label_set_label (GTK_LABEL (self->file_label), name);
  fill_preview (self);

  /* Read as numbers first: a regression accepts any third column, so what fails here is a
   * bad value whatever the problem; then the labels decide the guess. */
  as_numbers = nn_dataset_read_csv (self->path, NN_PROBLEM_REGRESSION, NULL, &error);
  self->guessed = as_numbers != NULL ? guess_problem (as_numbers) : NN_PROBLEM_CLASSIFICATION;
  self->problem = self->guessed;
  evaluate (self);
  update_widgets (self);
}

/* ------------------------------------------------------------------------------------ */
/* Signals                                                                              */

static void
on_problem_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlCsvImportDialog *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->syncing || selected >= NN_N_PROBLEMS)
    return;
  nl_csv_import_dialog_set_problem (self, selected);
}

static void
on_ratio_changed (GtkAdjustment *adjustment, NlCsvImportDialog *self)
{
  update_widgets (self);
}

static void
on_cancel_clicked (GtkButton *button, NlCsvImportDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_import_clicked (GtkButton *button, NlCsvImportDialog *self)
{
  if (self->error != NULL || self->points == NULL)
    return;
  g_signal_emit (self, signals[IMPORT], 0);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
nl_csv_import_dialog_finalize (GObject *object)
{
  NlCsvImportDialog *self = NL_CSV_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->scale_text, g_free);
  g_clear_pointer (&self->cells, g_hash_table_unref);

  G_OBJECT_CLASS (nl_csv_import_dialog_parent_class)->finalize (object);
}

static void
nl_csv_import_dialog_class_init (NlCsvImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nl_csv_import_dialog_finalize;

  /**
   * NlCsvImportDialog::import:
   *
   * The user accepted data that can be imported (nl_csv_import_dialog_split() gives it).
   */
  signals[IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-csv-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, rows_label);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, problem_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, guess_label);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, ratio_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, split_label);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, scale_label);
  gtk_widget_class_bind_template_child (widget_class, NlCsvImportDialog, error_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
nl_csv_import_dialog_init (NlCsvImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->scale = 1.0;
  self->cells = g_hash_table_new (NULL, NULL);
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect (self->import_button, "clicked", G_CALLBACK (on_import_clicked), self);
  g_signal_connect (self->problem_dropdown, "notify::selected",
                    G_CALLBACK (on_problem_selected), self);
  g_signal_connect (self->ratio_adjustment, "value-changed", G_CALLBACK (on_ratio_changed),
                    self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                            */

NlCsvImportDialog *
nl_csv_import_dialog_new (GtkWindow *parent, GFile *file, double train_ratio)
{
  NlCsvImportDialog *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (NL_TYPE_CSV_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->file = g_object_ref (file);
  self->path = g_file_get_path (file);
  if (self->path == NULL)
    self->path = g_file_get_uri (file);
  gtk_adjustment_set_value (self->ratio_adjustment, round (CLAMP (train_ratio, 0.1, 1.0) * 100));
  load (self);
  return self;
}

GFile *
nl_csv_import_dialog_get_file (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), NULL);

  return self->file;
}

const char *
nl_csv_import_dialog_get_error (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), NULL);

  return self->error;
}

void
nl_csv_import_dialog_get_error_position (NlCsvImportDialog *self, guint *line, guint *column)
{
  g_return_if_fail (NL_IS_CSV_IMPORT_DIALOG (self));

  if (line != NULL)
    *line = self->error_line;
  if (column != NULL)
    *column = self->error_column;
}

NnProblem
nl_csv_import_dialog_get_problem (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), NN_PROBLEM_CLASSIFICATION);

  return self->problem;
}

void
nl_csv_import_dialog_set_problem (NlCsvImportDialog *self, NnProblem problem)
{
  g_return_if_fail (NL_IS_CSV_IMPORT_DIALOG (self));
  g_return_if_fail (problem < NN_N_PROBLEMS);

  if (problem == self->problem && self->points != NULL)
    return;
  self->problem = problem;
  evaluate (self);
  update_widgets (self);
}

guint
nl_csv_import_dialog_get_classes (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), 0);

  return self->classes;
}

double
nl_csv_import_dialog_get_scale (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), 1.0);

  return self->scale;
}

const char *
nl_csv_import_dialog_get_scale_text (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), NULL);

  return self->scale_text;
}

double
nl_csv_import_dialog_get_train_ratio (NlCsvImportDialog *self)
{
  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), 1.0);

  return gtk_adjustment_get_value (self->ratio_adjustment) / 100.0;
}

gboolean
nl_csv_import_dialog_split (NlCsvImportDialog *self, guint32 seed, GArray **train,
                            GArray **test)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GArray) all = NULL;
  guint n, n_train;

  g_return_val_if_fail (NL_IS_CSV_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (train != NULL && test != NULL, FALSE);

  if (self->error != NULL || self->points == NULL || self->points->len == 0)
    return FALSE;

  all = g_array_copy (self->points);
  n = all->len;
  rand = g_rand_new_with_seed (seed);
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      NnPoint t = g_array_index (all, NnPoint, i);

      g_array_index (all, NnPoint, i) = g_array_index (all, NnPoint, j);
      g_array_index (all, NnPoint, j) = t;
    }
  n_train = CLAMP ((guint) round (n * nl_csv_import_dialog_get_train_ratio (self)), 1, n);
  *train = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n_train);
  *test = g_array_sized_new (FALSE, FALSE, sizeof (NnPoint), n - n_train);
  g_array_append_vals (*train, all->data, n_train);
  g_array_append_vals (*test, &g_array_index (all, NnPoint, n_train), n - n_train);
  return TRUE;
}
