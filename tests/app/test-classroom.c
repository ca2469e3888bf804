/* test-classroom.c: exports, your own data and back-propagation by hand, in the real window.
 *
 * Under X (Xvfb in the suite), like test-window.c: the window is opened on an example and
 * driven through its actions and the functions its dialogs call once a file is chosen
 * (file choosers are the desktop's, not ours to click). Checks what ends up in the files,
 * the project, the worker's snapshots and the Explain view's numbers, and leaves
 * screenshots of the new pages and dialogs (PNG files in the build directory).
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-application.h"
#include "nl-boundary-view.h"
#include "nl-csv-import-dialog.h"
#include "nl-explain-view.h"
#include "nl-export-dialog.h"
#include "nl-figure-dialog.h"
#include "nl-point-editor.h"
#include "nl-window.h"
#include "gui-test-utils.h"
#include "nl-window-insight.h"
#include "nn-error.h"
#include "nn-features.h"
#include "nn-loss.h"

static NlApplication *app;

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static gboolean
epoch_reached (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->epoch >= GPOINTER_TO_UINT (data) && !snap->running;
}

/* The snapshot shows a training set of this many points. */
static gboolean
n_train_is (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->model->dataset != NULL
         && snap->model->dataset->n_train == GPOINTER_TO_UINT (data);
}

static void
train_epochs (NlWindow *window, guint epochs)
{
  guint target = nl_window_get_snapshot (window)->epoch + epochs;

  for (guint i = 0; i < epochs; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.step-epoch", NULL);
  g_assert_true (gui_iterate_until (window, epoch_reached, GUINT_TO_POINTER (target), 20));
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("neural-lab-classroom-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

/* Whether binary contents hold a string (g_strstr_len stops at the first NUL). */
static gboolean
contains (const char *contents, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Weights                                                                              */

static void
test_export_weights (void)
{
  g_autofree char *dir = NULL;
  NlWindow *window;
  NlSnapshot *snap;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "xor.nlab", 1280, 800);
  train_epochs (window, 2);
  snap = nl_window_get_snapshot (window);
  dir = temp_dir ();

  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    {
      g_autofree char *name = g_strdup_printf ("weights.%s", nn_export_format_extension (f));
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (nl_window_export_weights (window, f, file, &error));
      g_assert_no_error (error);
      contents = read_file (path, &length);
      g_assert_cmpuint (length, >, 40);
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", name, length);
      switch (f)
        {
        case NN_EXPORT_JSON:
          g_assert_nonnull (strstr (contents, NN_EXPORT_JSON_FORMAT));
          g_assert_nonnull (strstr (contents, "\"weight\""));
          break;
        case NN_EXPORT_NPZ:
          g_assert_true (contents[0] == 'P' && contents[1] == 'K');
          g_assert_true (contains (contents, length, "layers.0.weight"));
          break;
        case NN_EXPORT_CSV:
          {
            g_auto(GStrv) lines = g_strsplit (g_strstrip (contents), "\n", -1);

            /* A header and one row per parameter. */
            g_assert_cmpuint (g_strv_length (lines), ==, snap->net.n_params + 1);
          }
          break;
        case NN_EXPORT_C_HEADER:
          g_assert_nonnull (strstr (contents, "static const double"));
          break;
        case NN_EXPORT_SAFETENSORS:
          g_assert_true (contains (contents, length, "layers.0.bias"));
          break;
        case NN_EXPORT_ONNX:
        default:
          g_assert_true (contains (contents, length, "Gemm"));
          break;
        }
    }

  /* What was written is the snapshot's weights, to the last bit (JSON and .npz read back). */
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *path = g_build_filename (dir, k == 0 ? "weights.json" : "weights.npz", NULL);
      g_autofree double *params = g_new (double, snap->net.n_params);
      g_autoptr(GError) error = NULL;

      g_assert_true (nn_import_weights (path, snap->model->project->features, &snap->net.arch,
                                        params, &error));
      g_assert_no_error (error);
      for (gsize i = 0; i < snap->net.n_params; i++)
        g_assert_cmpfloat (params[i], ==, snap->net.params[i]);
    }

  gui_close_window (window);
  test_remove_tree (dir);
}

/* The dialog: formats, the Python snippets beside them, and Export. */
static void
test_export_dialog (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  NlWindow *window;
  NlExportDialog *dialog;
  char *snippet;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "spiral.nlab", 1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-weights", NULL);
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  dialog = NL_EXPORT_DIALOG (gui_find_toplevel (NL_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);

  nl_export_dialog_set_format (dialog, NN_EXPORT_NPZ);
  g_assert_cmpint (nl_export_dialog_get_format (dialog), ==, NN_EXPORT_NPZ);
  snippet = nl_export_dialog_get_snippet (dialog, NN_EXPORT_FRAMEWORK_NUMPY);
  g_assert_nonnull (strstr (snippet, "import numpy"));
  g_assert_nonnull (strstr (snippet, "weights.npz"));
  g_free (snippet);
  snippet = nl_export_dialog_get_snippet (dialog, NN_EXPORT_FRAMEWORK_PYTORCH);
  g_assert_nonnull (strstr (snippet, "torch"));
  g_free (snippet);

  /* Exported: the snippets name the file written. */
  dir = temp_dir ();
  path = g_build_filename (dir, "spiral-weights.npz", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (nl_export_dialog_export_to (dialog, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  snippet = nl_export_dialog_get_snippet (dialog, NN_EXPORT_FRAMEWORK_NUMPY);
  g_assert_nonnull (strstr (snippet, path));
  g_free (snippet);
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  gui_screenshot (GTK_WIDGET (dialog), "classroom-export-dialog.png");

  /* No Python for a C header: the note says what to do instead. */
  nl_export_dialog_set_format (dialog, NN_EXPORT_C_HEADER);
  snippet = nl_export_dialog_get_snippet (dialog, NN_EXPORT_FRAMEWORK_NUMPY);
  g_assert_nonnull (strstr (snippet, "#include"));
  g_free (snippet);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_close_window (window);
  test_remove_tree (dir);
}

static gboolean
params_equal (NlWindow *window, gconstpointer data)
{
  NlSnapshot *snap = nl_window_get_snapshot (window);
  const double *want = data;

  for (gsize i = 0; snap != NULL && i < snap->net.n_params; i++)
    if (snap->net.params[i] != want[i])
      return FALSE;
  return snap != NULL;
}

static void
test_import_weights (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *saved = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  NlWindow *window;
  NlSnapshot *snap;
  gsize n;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  train_epochs (window, 3);
  snap = nl_window_get_snapshot (window);
  n = snap->net.n_params;
  saved = g_memdup2 (snap->net.params, n * sizeof (double));
  dir = temp_dir ();
  path = g_build_filename (dir, "trained.npz", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (nl_window_export_weights (window, NN_EXPORT_NPZ, file, &error));
  g_assert_no_error (error);

  /* New initial weights, then the trained ones back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset", NULL);
  g_assert_true (gui_iterate_until (window, epoch_reached, GUINT_TO_POINTER (0), 10));
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  g_assert_false (params_equal (window, saved));
  g_assert_true (nl_window_import_weights (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (gui_iterate_until (window, params_equal, saved, 10));
  g_assert_null (nl_window_get_snapshot (window)->error_message);

  /* Another shape: refused with a shape error, and the weights stay. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-neuron", "u", 0);
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  snap = nl_window_get_snapshot (window);
  g_assert_cmpuint (snap->net.n_params, >, n);
  {
    g_autofree double *before = g_memdup2 (snap->net.params, snap->net.n_params * sizeof (double));

    g_assert_false (nl_window_import_weights (window, file, &error));
    g_assert_error (error, NN_ERROR, NN_ERROR_SHAPE);
    g_test_message ("refused: %s", error->message);
    g_clear_error (&error);
    gui_iterate_until (window, gui_time_passes, NULL, 0.2);
    g_assert_true (params_equal (window, before));
  }

  gui_close_window (window);
  test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Figures, clipboard, history                                                          */

static void
check_figure (const char *path, NlFigureFormat format, int width, int height)
{
  gsize length = 0;
  g_autofree char *contents = read_file (path, &length);

  g_assert_cmpuint (length, >, 1000);
  switch (format)
    {
    case NL_FIGURE_PNG:
      {
        cairo_surface_t *png = cairo_image_surface_create_from_png (path);

        g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
        g_assert_cmpint (cairo_image_surface_get_width (png), ==, width);
        g_assert_cmpint (cairo_image_surface_get_height (png), ==, height);
        cairo_surface_destroy (png);
      }
      break;
    case NL_FIGURE_SVG:
      g_assert_nonnull (strstr (contents, "<svg"));
      /* Text as text: Cairo writes glyphs as symbols the text uses. */
      g_assert_true (strstr (contents, "<text") != NULL || strstr (contents, "glyph") != NULL);
      break;
    case NL_FIGURE_PDF:
    default:
      g_assert_true (g_str_has_prefix (contents, "%PDF"));
      g_assert_true (contains (contents, length, "/Font"));
      break;
    }
}

static void
test_export_figures (void)
{
  g_autofree char *dir = NULL;
  NlWindow *window;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  train_epochs (window, 5);
  dir = temp_dir ();

  for (guint v = 0; v < NL_N_FIGURE_VIEWS; v++)
    for (guint f = 0; f < NL_N_FIGURE_FORMATS; f++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", nl_figure_view_file_stem (v),
                                                 nl_figure_format_extension (f));
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        int width = v == NL_FIGURE_VIEW_BOUNDARY ? 800 : 1280;
        int height = v == NL_FIGURE_VIEW_BOUNDARY ? 700 : 720;

        g_assert_true (nl_window_export_figure (window, v, f, width, height, FALSE, file, &error));
        g_assert_no_error (error);
        check_figure (path, f, width, height);
      }

  /* Slides for people to look at: in the build directory. */
  for (guint v = 0; v < NL_N_FIGURE_VIEWS; v++)
    {
      g_autofree char *name = g_strdup_printf ("classroom-figure-%s.png",
                                               nl_figure_view_file_stem (v));
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (nl_window_export_figure (window, v, NL_FIGURE_PNG, 1920, 1080, v == 3, file,
                                              &error));
      g_assert_no_error (error);
    }

  /* A folder that does not exist: an error, and nothing written. */
  {
    g_autofree char *path = g_build_filename (dir, "missing", "x.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GError) error = NULL;

    g_assert_false (nl_window_export_figure (window, NL_FIGURE_VIEW_LOSS, NL_FIGURE_PDF, 800,
                                             600, FALSE, file, &error));
    g_assert_nonnull (error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* The dialog, as a teacher sees it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL);
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  {
    NlFigureDialog *dialog = NL_FIGURE_DIALOG (gui_find_toplevel (NL_TYPE_FIGURE_DIALOG));
    g_autofree char *path = g_build_filename (dir, "from-dialog.svg", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GError) error = NULL;
    int w, h;

    g_assert_nonnull (dialog);
    nl_figure_dialog_set_view (dialog, NL_FIGURE_VIEW_NETWORK);
    nl_figure_dialog_set_format (dialog, NL_FIGURE_SVG);
    nl_figure_dialog_set_size (dialog, 1920, 1080);
    nl_figure_dialog_get_size (dialog, &w, &h);
    g_assert_cmpint (w, ==, 1920);
    gui_iterate_until (window, gui_time_passes, NULL, 0.3);
    gui_screenshot (GTK_WIDGET (dialog), "classroom-figure-dialog.png");
    g_assert_true (nl_figure_dialog_export_to (dialog, file, &error));
    g_assert_no_error (error);
    check_figure (path, NL_FIGURE_SVG, 1920, 1080);
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  gui_close_window (window);
  test_remove_tree (dir);
}

static void
on_texture_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GdkTexture **texture = data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
texture_read (NlWindow *window, gconstpointer data)
{
  GdkTexture *const *texture = data;

  return *texture != NULL;
}

static const char *
banner_text (NlWindow *window)
{
  return gtk_label_get_label (GTK_LABEL (gui_template_child (window, "banner_label")));
}

static gboolean
banner_shown (NlWindow *window, gconstpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER ((gpointer) data));
}

static gboolean
banner_hidden (NlWindow *window, gconstpointer data)
{
  return !gtk_revealer_get_reveal_child (GTK_REVEALER ((gpointer) data));
}

static void
test_copy_view (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  GdkClipboard *clipboard;
  GtkRevealer *banner;
  NlWindow *window;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  train_epochs (window, 1);
  banner = GTK_REVEALER (gui_template_child (window, "banner_revealer"));
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-view", NULL);

  /* Read back as a paste would, through the clipboard's own formats. */
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  gdk_clipboard_read_texture_async (clipboard, NULL, on_texture_read, &texture);
  g_assert_true (gui_iterate_until (window, texture_read, &texture, 10));
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1600);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 900);

  /* ... and the window says so, then folds the message away. */
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (strstr (banner_text (window), "Copied the network, the decision boundary"));
  g_assert_false (gtk_widget_get_visible (gui_template_child (window, "banner_reset_button")));
  g_assert_true (gui_iterate_until (window, banner_shown, banner, 2));
  gui_screenshot (GTK_WIDGET (window), "classroom-copied-1280x800.png");
  g_assert_true (gui_iterate_until (window, banner_hidden, banner, 8));

  /* On the Explain page it is the walkthrough. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-view", NULL);
  g_assert_nonnull (strstr (banner_text (window), "back-propagation walkthrough"));
  gui_close_window (window);
}

static void
test_export_history (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  NlWindow *window;
  guint epochs;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "xor.nlab", 1280, 800);
  train_epochs (window, 4);
  epochs = nl_window_get_snapshot (window)->epoch;
  dir = temp_dir ();
  path = g_build_filename (dir, "history.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (nl_window_export_history (window, file, &error));
  g_assert_no_error (error);
  contents = read_file (path, NULL);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpstr (lines[0], ==, "epoch,train_loss,test_loss,train_acc,test_acc");
  /* Epoch 0 and every epoch after it. */
  g_assert_cmpuint (g_strv_length (lines) - 1, ==, epochs + 1);
  g_assert_true (g_str_has_prefix (lines[1], "0,"));
  {
    g_autofree char *last = g_strdup_printf ("%u,", epochs);

    g_assert_true (g_str_has_prefix (lines[epochs + 1], last));
  }
  gui_close_window (window);
  test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Your own data                                                                        */

static void
test_draw_points (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  static const NnPoint drawn[] = {
    { -3.0, -3.0, 0 }, { -2.5, -3.5, 0 }, { -3.5, -2.0, 0 }, { 3.0, 3.0, 1 },
    { 2.5, 3.5, 1 }, { 3.5, 2.0, 1 }, { -3.0, 3.0, 1 }, { 3.0, -3.0, 0 },
  };
  NlWindow *window;
  NlPointEditor *editor;
  const NnProject *p;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  editor = NL_POINT_EDITOR (gui_template_child (window, "point_editor"));

  /* Draw mode starts from the points on screen. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-points", NULL);
  g_assert_true (nl_point_editor_get_active (editor));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gui_template_child (window, "draw_points_button"))));
  g_assert_cmpuint (nl_point_editor_get_train (editor)->len, ==,
                    nl_window_get_snapshot (window)->model->dataset->n_train);

  /* Clear all, then draw: the training set is what was drawn, and training goes on. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-points", NULL);
  g_assert_cmpuint (nl_point_editor_get_train (editor)->len, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (drawn); i++)
    {
      nl_point_editor_set_class (editor, (guint) drawn[i].y);
      nl_point_editor_add_point (editor, drawn[i].x1, drawn[i].x2);
    }
  nl_point_editor_flush (editor);
  p = nl_window_get_project (window);
  g_assert_cmpint (p->dataset.generator, ==, NN_GENERATOR_POINTS);
  g_assert_cmpuint (p->dataset.points->len, ==, G_N_ELEMENTS (drawn));
  g_assert_true (gui_iterate_until (window, n_train_is, GUINT_TO_POINTER (G_N_ELEMENTS (drawn)), 10));
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  g_assert_true (nl_window_get_snapshot (window)->running);
  g_assert_null (nl_window_get_snapshot (window)->error_message);
  gui_screenshot (GTK_WIDGET (window), "classroom-draw-points-1280x800.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);

  /* Right-click erases near the pointer: one point goes. */
  g_assert_cmpuint (nl_point_editor_erase_near (editor, 3.0, -3.0, 0.3), ==, 1);
  nl_point_editor_flush (editor);
  g_assert_cmpuint (nl_window_get_project (window)->dataset.points->len, ==,
                    G_N_ELEMENTS (drawn) - 1);
  g_assert_true (gui_iterate_until (window, n_train_is, GUINT_TO_POINTER (G_N_ELEMENTS (drawn) - 1),
                                10));

  /* Saved inside the .nlab file, and the same points come back. */
  dir = temp_dir ();
  path = g_build_filename (dir, "drawn.nlab", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (nl_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-points", NULL);
  g_assert_false (nl_point_editor_get_active (editor));
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-example",
                                  g_variant_new_string ("xor"));
  g_assert_cmpint (nl_window_get_project (window)->dataset.generator, ==, NN_GENERATOR_XOR);
  g_assert_true (nl_window_open_file (window, file, &error));
  g_assert_no_error (error);
  p = nl_window_get_project (window);
  g_assert_cmpint (p->dataset.generator, ==, NN_GENERATOR_POINTS);
  g_assert_cmpuint (p->dataset.points->len, ==, G_N_ELEMENTS (drawn) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (drawn) - 1; i++)
    {
      const NnPoint *q = &g_array_index (p->dataset.points, NnPoint, i);

      g_assert_cmpfloat (q->x1, ==, drawn[i].x1);
      g_assert_cmpfloat (q->x2, ==, drawn[i].x2);
      g_assert_cmpfloat (q->y, ==, drawn[i].y);
    }
  g_assert_true (gui_iterate_until (window, n_train_is, GUINT_TO_POINTER (G_N_ELEMENTS (drawn) - 1),
                                10));

  gui_close_window (window);
  test_remove_tree (dir);
}

/* Regression: the target spin, and a test split of every fifth point. */
static void
test_draw_regression (void)
{
  NlWindow *window;
  NlPointEditor *editor;
  const NnProject *p;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "regression.nlab", 1024, 640);
  editor = NL_POINT_EDITOR (gui_template_child (window, "point_editor"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-points", NULL);
  nl_point_editor_set_test_split (editor, TRUE);
  for (guint i = 0; i < 10; i++)
    {
      nl_point_editor_set_target (editor, i % 2 ? 0.8 : -0.6);
      nl_point_editor_add_point (editor, -5.0 + i, 0.5 * i - 2.0);
    }
  nl_point_editor_flush (editor);
  p = nl_window_get_project (window);
  g_assert_cmpint (p->problem, ==, NN_PROBLEM_REGRESSION);
  g_assert_cmpuint (p->dataset.points->len, ==, 8);
  g_assert_cmpuint (p->dataset.test_points->len, ==, 2);
  g_assert_cmpfloat (g_array_index (p->dataset.points, NnPoint, 1).y, ==, 0.8);
  g_assert_true (gui_iterate_until (window, n_train_is, GUINT_TO_POINTER (8), 10));
  gui_screenshot (GTK_WIDGET (window), "classroom-draw-regression-1024x640.png");
  gui_close_window (window);
}

static void
test_csv_bad_value (void)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "points-bad-value.csv",
                                                    NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fixture);
  g_autoptr(NnProject) before = NULL;
  NlCsvImportDialog *dialog;
  NlWindow *window;
  guint line, column;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  before = nn_project_copy (nl_window_get_project (window));
  dialog = NL_CSV_IMPORT_DIALOG (nl_window_import_csv_file (window, file));
  g_assert_nonnull (nl_csv_import_dialog_get_error (dialog));
  g_test_message ("%s", nl_csv_import_dialog_get_error (dialog));
  nl_csv_import_dialog_get_error_position (dialog, &line, &column);
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (column, ==, 2);
  g_assert_nonnull (strstr (nl_csv_import_dialog_get_error (dialog), "Line 4, column 2"));
  g_assert_nonnull (strstr (nl_csv_import_dialog_get_error (dialog), "abc"));
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  gui_screenshot (GTK_WIDGET (dialog), "classroom-csv-error.png");

  /* Import is refused, and the project is as it was. */
  g_signal_emit_by_name (dialog, "import");
  {
    g_autofree char *a = nn_project_to_data (before, NULL);
    g_autofree char *b = nn_project_to_data (nl_window_get_project (window), NULL);

    g_assert_cmpstr (a, ==, b);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_close_window (window);
}

static void
test_csv_scaled (void)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data",
                                                    "points-outside-plane.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fixture);
  NlCsvImportDialog *dialog;
  NlWindow *window;
  const NnProject *p;
  guint n;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  dialog = NL_CSV_IMPORT_DIALOG (nl_window_import_csv_file (window, file));
  g_assert_null (nl_csv_import_dialog_get_error (dialog));
  /* Labels 0, 1, 2: three classes. */
  g_assert_cmpint (nl_csv_import_dialog_get_problem (dialog), ==, NN_PROBLEM_CLASSIFICATION);
  g_assert_cmpuint (nl_csv_import_dialog_get_classes (dialog), ==, 3);
  /* Far outside the plane: scaled down, and said so. */
  g_assert_cmpfloat (nl_csv_import_dialog_get_scale (dialog), <, 0.5);
  g_assert_nonnull (nl_csv_import_dialog_get_scale_text (dialog));
  g_assert_nonnull (strstr (nl_csv_import_dialog_get_scale_text (dialog), "scaled by"));
  g_test_message ("%s", nl_csv_import_dialog_get_scale_text (dialog));
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);
  gui_screenshot (GTK_WIDGET (dialog), "classroom-csv-import.png");

  g_signal_emit_by_name (dialog, "import");
  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  p = nl_window_get_project (window);
  g_assert_cmpint (p->dataset.generator, ==, NN_GENERATOR_POINTS);
  g_assert_cmpuint (p->dataset.classes, ==, 3);
  g_assert_cmpint (p->arch.output_activation, ==, NN_ACTIVATION_SOFTMAX);
  n = p->dataset.points->len + (p->dataset.test_points ? p->dataset.test_points->len : 0);
  g_assert_cmpuint (n, ==, 60);
  g_assert_cmpuint (p->dataset.points->len, ==, (guint) round (60 * p->dataset.train_ratio));
  for (guint i = 0; i < p->dataset.points->len; i++)
    {
      const NnPoint *q = &g_array_index (p->dataset.points, NnPoint, i);

      g_assert_true (q->x1 >= NN_PLANE_MIN && q->x1 <= NN_PLANE_MAX);
      g_assert_true (q->x2 >= NN_PLANE_MIN && q->x2 <= NN_PLANE_MAX);
    }
  g_assert_true (gui_iterate_until (window, n_train_is, GUINT_TO_POINTER (p->dataset.points->len),
                                10));
  g_assert_null (nl_window_get_snapshot (window)->error_message);
  g_assert_null (gui_find_toplevel (NL_TYPE_CSV_IMPORT_DIALOG));
  gui_close_window (window);
}

/* ------------------------------------------------------------------------------------ */
/* Back-propagation by hand                                                             */

/* The engine's gradient for a batch of one sample, from the snapshot's network. */
static double *
engine_gradient (NlSnapshot *snap, const NnPoint *sample)
{
  const NnProject *p = snap->model->project;
  g_autoptr(NnNetwork) net = nn_network_new (&snap->net.arch, 1, NULL);
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];
  double x[NN_N_FEATURES], target[NN_MAX_CLASSES];

  memcpy (net->params, snap->net.params, net->n_params * sizeof (double));
  nn_features_expand (p->features, &sample->x1, &sample->x2, 1, 1, x, 1);
  nn_encode_target (p->problem, out->activation, out->n_out, sample->y, target);
  nn_network_forward (net, x, 1);
  nn_loss_evaluate (p->loss, out->activation, out->alpha, net->u[last], net->z[last], target,
                    out->n_out, 1, 1.0, net->du[last]);
  nn_network_zero_grads (net);
  nn_network_backward (net, x);
  return g_memdup2 (net->grads, net->n_params * sizeof (double));
}

/* As a user picks the input of the weight in the Explain page's menus. */
static void
choose_from_menu (NlExplainView *view, guint input)
{
  GObject *from = gtk_widget_get_template_child (GTK_WIDGET (view), NL_TYPE_EXPLAIN_VIEW,
                                                 "from_dropdown");

  g_assert_true (GTK_IS_DROP_DOWN (from));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (from), input);
}

/* How far the walkthrough is scrolled down, px. */
static double
scrolled (NlExplainView *view)
{
  GObject *scroller = gtk_widget_get_template_child (GTK_WIDGET (view), NL_TYPE_EXPLAIN_VIEW,
                                                     "scroller");

  return gtk_adjustment_get_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)));
}

static gboolean
explain_ready (NlWindow *window, gconstpointer data)
{
  NlExplainView *view = NL_EXPLAIN_VIEW ((gpointer) data);

  return nl_explain_view_get_explain (view) != NULL;
}

/* The view explains `sample` (copied: the snapshot it came from may go) with the engine's
 * gradient for every parameter, chosen one by one as a user would. */
static void
check_explain_point (NlWindow *window, NlExplainView *view, NnPoint sample)
{
  NlSnapshot *snap;
  g_autofree double *grads = NULL;
  const NnExplain *ex;
  guint checked = 0;
  gsize n;

  /* Rebuilt from the window's snapshot now, which then stays put: no main loop below. */
  nl_explain_view_update (view);
  snap = nl_window_get_snapshot (window);
  ex = nl_explain_view_get_explain (view);
  g_assert_nonnull (ex);
  g_assert_cmpfloat (nn_explain_get_output (ex)->sample.x1, ==, sample.x1);
  g_assert_cmpfloat (nn_explain_get_output (ex)->sample.x2, ==, sample.x2);
  g_assert_cmpfloat (nn_explain_get_output (ex)->sample.y, ==, sample.y);
  grads = engine_gradient (snap, &sample);
  n = nn_explain_get_n_params (ex);
  for (gsize i = 0; i < n; i++)
    {
      NnParamRef ref;
      NnGradientExplanation g;
      double product = 1;

      g_assert_true (nn_explain_param_ref (ex, i, &ref));
      /* Choosing a parameter keeps the explanation: `ex` stays valid (ASan checks). */
      nl_explain_view_set_param (view, ref);
      g_assert_true (nl_explain_view_get_explain (view) == ex);
      g_assert_true (nn_explain_gradient (ex, ref, &g));
      for (guint f = 0; f < g.n_factors; f++)
        product *= g.factors[f].value;
      g_assert_cmpfloat_with_epsilon (g.data_gradient, grads[i], 1e-12 * MAX (1, fabs (grads[i])));
      g_assert_cmpfloat_with_epsilon (product, grads[i], 1e-9 * MAX (1, fabs (grads[i])));
      if (grads[i] != 0)
        checked++;
    }
  /* Something must have been non-zero, or an all-zero gradient would pass. */
  g_assert_cmpuint (checked, >, 0);
}

static void
check_explain_agrees (NlWindow *window, NlExplainView *view, guint sample_index)
{
  check_explain_point (window, view,
                       nl_window_get_snapshot (window)->model->dataset->train[sample_index]);
}

/* What the walkthrough says about the point, as plain text. */
static char *
explain_text (NlExplainView *view)
{
  NlExplainScene scene;

  g_assert_true (nl_explain_view_get_scenes (view, &scene, NULL));
  return nl_render_explain_to_text (&scene);
}

static gboolean
has_point_at (NlWindow *window, gconstpointer data)
{
  const NnPoint *want = data;
  NlSnapshot *snap = nl_window_get_snapshot (window);

  for (guint i = 0; snap != NULL && snap->model->dataset != NULL
                    && i < snap->model->dataset->n_train; i++)
    if (snap->model->dataset->train[i].x1 == want->x1
        && snap->model->dataset->train[i].x2 == want->x2)
      return TRUE;
  return FALSE;
}

static int
train_index_of (NlWindow *window, const NnPoint *want)
{
  const NnDataset *ds = nl_window_get_snapshot (window)->model->dataset;

  for (guint i = 0; i < ds->n_train; i++)
    if (ds->train[i].x1 == want->x1 && ds->train[i].x2 == want->x2)
      return (int) i;
  return -1;
}

/* Explain opens on any point: a test point, one just drawn, any place of the plane. */
static void
test_explain_any_point (void)
{
  const NnPoint drawn = { 4.25, -1.75, 1 };
  const NnPoint own = { -1.5, 2.25, 0 };
  NlWindow *window;
  NlExplainView *view;
  NlPointEditor *editor;
  const NnDataset *ds;
  NnPoint shown, test_point;
  NlExplainScene scene;
  g_autofree char *text = NULL;
  guint n_train;
  int index;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  train_epochs (window, 3);
  view = NL_EXPLAIN_VIEW (gui_template_child (window, "explain_view"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain");
  g_assert_true (gui_iterate_until (window, explain_ready, view, 5));

  /* A test point, numbered after the training points as the plot numbers them. */
  ds = nl_window_get_snapshot (window)->model->dataset;
  n_train = ds->n_train;
  g_assert_cmpuint (ds->n_test, >, 2);
  test_point = ds->test[2];
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", (int) n_train + 2);
  g_assert_cmpuint (nl_explain_view_get_sample (view), ==, n_train + 2);
  check_explain_point (window, view, test_point);
  g_assert_true (nl_explain_view_get_scenes (view, &scene, NULL));
  g_assert_true (scene.sample_is_test);
  g_assert_cmpint (scene.sample_index, ==, 2);
  text = explain_text (view);
  g_assert_nonnull (strstr (text, "Test sample 2:"));
  g_assert_nonnull (strstr (text, "training never uses test points"));
  g_clear_pointer (&text, g_free);
  nl_explain_view_set_param (view, NN_PARAM_REF_WEIGHT (0, 0, 1));
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  gui_screenshot (GTK_WIDGET (window), "classroom-explain-test-point-1280x800-light.png");

  /* A point drawn a moment ago: once the snapshot has it, clicking it explains it. */
  editor = NL_POINT_EDITOR (gui_template_child (window, "point_editor"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-points", NULL);
  nl_point_editor_set_test_split (editor, FALSE);
  nl_point_editor_set_class (editor, (guint) drawn.y);
  nl_point_editor_add_point (editor, drawn.x1, drawn.x2);
  nl_point_editor_flush (editor);
  g_assert_true (gui_iterate_until (window, has_point_at, &drawn, 10));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-points", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain");
  index = train_index_of (window, &drawn);
  g_assert_cmpint (index, >=, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", index);
  g_assert_cmpuint (nl_explain_view_get_sample (view), ==, (guint) index);
  check_explain_point (window, view, drawn);
  g_assert_true (nl_explain_view_get_scenes (view, &scene, NULL));
  g_assert_false (scene.sample_is_test);

  /* Any place of the plane with the user's target: no data point is selected then. */
  nl_explain_view_set_custom_point (view, &own);
  g_assert_true (nl_explain_view_get_custom_point (view, &shown));
  g_assert_cmpfloat (shown.x1, ==, own.x1);
  check_explain_point (window, view, own);
  g_assert_cmpint (nl_window_get_selected_point (window), ==, -1);
  text = explain_text (view);
  g_assert_nonnull (strstr (text, "Your own point:"));
  g_clear_pointer (&text, g_free);

  /* A class the network does not have cannot be explained, and says so; until the next
   * point that can. */
  {
    GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                 NL_TYPE_EXPLAIN_VIEW,
                                                                 "status_label"));
    g_autofree char *hint = g_strdup (gtk_label_get_label (status));

    nl_explain_view_set_custom_point (view, &(NnPoint) { own.x1, own.x2, 7 });
    g_assert_null (nl_explain_view_get_explain (view));
    g_assert_nonnull (strstr (gtk_label_get_label (status), "cannot be explained"));
    nl_explain_view_set_custom_point (view, &own);
    g_assert_nonnull (nl_explain_view_get_explain (view));
    g_assert_cmpstr (gtk_label_get_label (status), ==, hint);
  }

  /* Its chooser: another target changes the explained point; a data point ends it. */
  {
    GObject *target = gtk_widget_get_template_child (GTK_WIDGET (view), NL_TYPE_EXPLAIN_VIEW,
                                                     "custom_target_adjustment");

    gtk_adjustment_set_value (GTK_ADJUSTMENT (target), 1);
    g_assert_true (nl_explain_view_get_custom_point (view, &shown));
    g_assert_cmpfloat (shown.y, ==, 1);
    check_explain_point (window, view, (NnPoint) { own.x1, own.x2, 1 });
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", 5);
  g_assert_false (nl_explain_view_get_custom_point (view, NULL));
  check_explain_agrees (window, view, 5);

  /* The Own Point button starts from the data point shown, for the user to move it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (
                                  GTK_WIDGET (view), NL_TYPE_EXPLAIN_VIEW, "custom_toggle")),
                                TRUE);
  g_assert_true (nl_explain_view_get_custom_point (view, &shown));
  check_explain_point (window, view, nl_window_get_snapshot (window)->model->dataset->train[5]);
  gui_close_window (window);
}

static void
test_explain (void)
{
  NlWindow *window;
  NlExplainView *view;
  GtkWidget *sidebar;

  if (gui_skip_without_display (app))
    return;
  window = gui_open_example (app, "default.nlab", 1280, 800);
  train_epochs (window, 5);
  view = NL_EXPLAIN_VIEW (gui_template_child (window, "explain_view"));
  sidebar = gui_template_child (window, "sidebar_scroller");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain");
  g_assert_true (gui_iterate_until (window, explain_ready, view, 5));
  g_assert_false (gtk_widget_get_visible (sidebar));

  /* A point clicked on the plot (win.select-point) is the sample explained. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", 7);
  g_assert_cmpuint (nl_explain_view_get_sample (view), ==, 7);
  check_explain_agrees (window, view, 7);

  /* ... and the other way round: the sample chosen here is ringed on the plot. */
  nl_explain_view_set_sample (view, 12);
  gui_iterate_until (window, gui_time_passes, NULL, 0.1);
  check_explain_agrees (window, view, 12);

  /* The forward pass with the chosen weight marked ... */
  nl_explain_view_set_param (view, NN_PARAM_REF_WEIGHT (0, 1, 0));
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  gui_screenshot (GTK_WIDGET (window), "classroom-explain-forward-1280x800-light.png");

  /* ... and choosing another weight in the menus brings its gradient into view. */
  choose_from_menu (view, 1);
  g_assert_cmpint (nl_explain_view_get_param (view).in, ==, 1);
  g_assert_cmpint (nl_explain_view_get_param (view).kind, ==, NN_PARAM_WEIGHT);
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  g_assert_cmpfloat (scrolled (view), >, 100);
  gui_screenshot (GTK_WIDGET (window), "classroom-explain-gradient-1280x800-light.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "train");
  gui_iterate_until (window, gui_time_passes, NULL, 0.1);
  g_assert_true (gtk_widget_get_visible (sidebar));
  gui_close_window (window);
}

static void
test_explain_screenshot (gconstpointer data)
{
  const GuiViewCase *c = data;
  g_autofree char *name = NULL;
  NlWindow *window;
  NlExplainView *view;

  if (gui_skip_without_display (app))
    return;
  gui_set_dark_style (app, c->dark);
  window = gui_open_example (app, c->example, c->width, c->height);
  train_epochs (window, 10);
  view = NL_EXPLAIN_VIEW (gui_template_child (window, "explain_view"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-point", "i", 3);
  g_assert_true (gui_iterate_until (window, explain_ready, view, 5));
  choose_from_menu (view, 1);
  gui_iterate_until (window, gui_time_passes, NULL, 0.5);
  g_assert_cmpfloat (scrolled (view), >, 100);
  name = g_strdup_printf ("classroom-explain-%dx%d-%s.png", c->width, c->height,
                          c->dark ? "dark" : "light");
  gui_screenshot (GTK_WIDGET (window), name);
  gui_close_window (window);
  gui_set_dark_style (app, FALSE);
}

static const GuiViewCase screenshot_cases[] = {
  { "default.nlab", 1280, 800, TRUE },
  { "xor.nlab", 1024, 640, FALSE },
  { "softmax-three-classes.nlab", 1024, 640, TRUE },
  { "regression.nlab", 1280, 800, FALSE },
};

int
main (int argc, char *argv[])
{
  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/classroom/export-weights", test_export_weights);
  g_test_add_func ("/classroom/export-dialog", test_export_dialog);
  g_test_add_func ("/classroom/import-weights", test_import_weights);
  g_test_add_func ("/classroom/export-figures", test_export_figures);
  g_test_add_func ("/classroom/copy-view", test_copy_view);
  g_test_add_func ("/classroom/export-history", test_export_history);
  g_test_add_func ("/classroom/draw-points", test_draw_points);
  g_test_add_func ("/classroom/draw-regression", test_draw_regression);
  g_test_add_func ("/classroom/csv-bad-value", test_csv_bad_value);
  g_test_add_func ("/classroom/csv-scaled", test_csv_scaled);
  g_test_add_func ("/classroom/explain", test_explain);
  g_test_add_func ("/classroom/explain-any-point", test_explain_any_point);
  gui_add_view_cases ("/classroom/explain-screenshot", screenshot_cases,
                      G_N_ELEMENTS (screenshot_cases), test_explain_screenshot);

  return gui_test_run (app);
}
