/* test-unsaved.c: quitting or closing with unsaved changes asks first; failed saves lose
 * nothing.
 *
 * Drives the real flows: app.quit (Ctrl+Q) and the window's close button ask
 * "Save changes …?" with Cancel / Discard / Save; the test clicks the dialog's buttons.
 * Saving into a folder that has become a regular file fails: the error is shown, the window
 * stays open with its changes, still marked modified. Save As… for an untitled project
 * goes through the file chooser, and the window closes only once the file is written.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "robust-test-utils.h"

static NlApplication *app;

typedef struct
{
  char *dir;
  char *path;
  GFile *file;
} Scratch;

static void
scratch_init (Scratch *s)
{
  g_autofree char *source = gui_example_path ("xor.nlab");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  s->dir = g_dir_make_tmp ("neural-lab-unsaved-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  s->path = g_build_filename (s->dir, "xor.nlab", NULL);
  g_assert_true (g_file_set_contents (s->path, contents, length, NULL));
  s->file = g_file_new_for_path (s->path);
}

static void
scratch_clear (Scratch *s)
{
  test_remove_tree (s->dir);
  g_free (s->dir);
  g_free (s->path);
  g_object_unref (s->file);
}

typedef struct
{
  NlWindow      *window;
  GtkMessageType type;
  GtkWidget     *found;
} DialogQuery;

static gboolean
dialog_shown (gpointer data)
{
  DialogQuery *q = data;

  q->found = robust_find_message_dialog (GTK_WINDOW (q->window), q->type);
  return q->found != NULL;
}

static GtkWidget *
wait_dialog (NlWindow *window, GtkMessageType type)
{
  DialogQuery q = { window, type, NULL };

  g_assert_true (robust_iterate_until (dialog_shown, &q, 5));
  return q.found;
}

static guint
count_dialogs (NlWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      n++;
  g_list_free (toplevels);
  return n;
}

static void
click (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = robust_find_button (dialog, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  robust_iterate_for (0.1);
}

static char *
dialog_text (GtkWidget *dialog)
{
  g_autofree char *text = NULL;

  g_object_get (dialog, "text", &text, NULL);
  return g_steal_pointer (&text);
}

static gboolean
window_gone (gpointer data)
{
  return !robust_app_has_window (app, data);
}

static void
test_quit_asks (void)
{
  Scratch s;
  NlWindow *window;
  GtkWidget *dialog;
  g_autofree char *text = NULL;
  g_autoptr(NnProject) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (gui_skip_without_display (app))
    return;
  scratch_init (&s);

  /* No changes: quitting just closes. */
  window = robust_open_window (app, s.path);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (robust_iterate_until (window_gone, window, 5));

  /* A change, then Ctrl+Q: it asks, and Cancel keeps everything. */
  window = robust_open_window (app, s.path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  g_assert_true (nl_window_get_modified (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  text = dialog_text (dialog);
  g_test_message ("asks: %s", text);
  g_assert_cmpstr (text, ==, "Save changes to “xor.nlab” before closing?");
  g_assert_nonnull (robust_find_button (dialog, "_Discard"));
  g_assert_nonnull (robust_find_button (dialog, "_Save"));
  click (dialog, "_Cancel");
  g_assert_true (robust_app_has_window (app, window));
  g_assert_true (nl_window_get_modified (window));
  g_assert_cmpuint (nl_window_get_project (window)->arch.n_hidden, ==, 2);

  /* The close button asks the same; a second request while it asks opens no second one. */
  gtk_window_close (GTK_WINDOW (window));
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  robust_iterate_for (0.2);
  g_assert_cmpuint (count_dialogs (window), ==, 1);
  click (robust_find_message_dialog (GTK_WINDOW (window), GTK_MESSAGE_QUESTION), "_Cancel");
  g_assert_true (robust_app_has_window (app, window));

  /* The folder is gone, a regular file in its place: every save fails. */
  g_assert_cmpint (g_remove (s.path), ==, 0);
  g_assert_cmpint (g_rmdir (s.dir), ==, 0);
  g_assert_true (g_file_set_contents (s.dir, "not a folder", -1, NULL));

  /* Ctrl+S: the error is shown, the work stays. */
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "save", NULL);
  dialog = wait_dialog (window, GTK_MESSAGE_ERROR);
  g_clear_pointer (&text, g_free);
  text = dialog_text (dialog);
  g_test_message ("save error: %s", text);
  g_assert_cmpstr (text, ==, "Could not save “xor.nlab”");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (nl_window_get_modified (window));

  /* Quit → Save: it fails, says so, and does not quit. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  click (dialog, "_Save");
  dialog = wait_dialog (window, GTK_MESSAGE_ERROR);
  {
    g_autofree char *secondary = NULL;

    g_object_get (dialog, "secondary-text", &secondary, NULL);
    g_test_message ("why: %s", secondary);
    g_assert_nonnull (secondary);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  robust_iterate_for (0.2);
  g_assert_true (robust_app_has_window (app, window));
  g_assert_true (nl_window_get_modified (window));
  g_assert_cmpuint (nl_window_get_project (window)->arch.n_hidden, ==, 2);
  g_assert_nonnull (nl_window_get_autosave_path (window));

  /* The folder is back: Save writes the file, and only then the window goes. */
  g_assert_cmpint (g_remove (s.dir), ==, 0);
  g_assert_cmpint (g_mkdir (s.dir, 0700), ==, 0);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  click (dialog, "_Save");
  g_assert_true (robust_iterate_until (window_gone, window, 5));
  saved = nn_project_load (s.path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->arch.n_hidden, ==, 2);
  g_assert_cmpuint (saved->n_weights, >, 0);

  scratch_clear (&s);
}

static void
test_discard (void)
{
  Scratch s;
  NlWindow *window;
  GtkWidget *dialog;
  g_autofree char *autosave = NULL;
  g_autoptr(NnProject) kept = NULL;
  g_autoptr(GError) error = NULL;

  if (gui_skip_without_display (app))
    return;
  scratch_init (&s);

  window = robust_open_window (app, s.path);
  autosave = g_strdup (nl_window_get_autosave_path (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d", 0.5);
  gtk_window_close (GTK_WINDOW (window));
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  click (dialog, "_Discard");
  g_assert_true (robust_iterate_until (window_gone, window, 5));

  /* The file is as it was, and no autosave stays behind. */
  kept = nn_project_load (s.path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->arch.n_hidden, ==, 1);
  g_assert_cmpfloat (kept->optimizer.learning_rate, !=, 0.5);
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));

  scratch_clear (&s);
}

static gboolean
chooser_shown (gpointer data)
{
  GtkWidget **found = data;
  GList *toplevels = gtk_window_list_toplevels ();

  *found = NULL;
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER (l->data) && GTK_IS_DIALOG (l->data)
        && gtk_widget_get_visible (l->data))
      *found = l->data;
  g_list_free (toplevels);
  return *found != NULL;
}

static void
test_save_as_untitled (void)
{
  Scratch s;
  NlWindow *window;
  GtkWidget *dialog;
  GtkWidget *chooser = NULL;
  g_autofree char *example = gui_example_path ("xor.nlab");
  g_autofree char *target = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(NnProject) saved = NULL;
  g_autoptr(GError) error = NULL;
  NnProject *project;

  if (gui_skip_without_display (app))
    return;
  scratch_init (&s);
  folder = g_file_new_for_path (s.dir);

  /* An example: no file of its own. */
  window = nl_window_new (app);
  project = nn_project_load (example, &error);
  g_assert_no_error (error);
  g_assert_true (nl_window_load_project (window, project, NULL, "XOR", &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-neuron", "u", 0);
  g_assert_true (nl_window_get_modified (window));

  gtk_window_close (GTK_WINDOW (window));
  dialog = wait_dialog (window, GTK_MESSAGE_QUESTION);
  {
    g_autofree char *text = dialog_text (dialog);

    g_assert_cmpstr (text, ==, "Save changes to “XOR” before closing?");
  }
  g_assert_null (robust_find_button (dialog, "_Save"));
  click (dialog, "_Save As…");

  /* The file chooser: a name without the suffix gets .nlab. Cancel first: nothing. */
  g_assert_true (robust_iterate_until (chooser_shown, &chooser, 5));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  robust_iterate_for (0.2);
  g_assert_true (robust_app_has_window (app, window));
  g_assert_true (nl_window_get_modified (window));

  gtk_window_close (GTK_WINDOW (window));
  click (wait_dialog (window, GTK_MESSAGE_QUESTION), "_Save As…");
  g_assert_true (robust_iterate_until (chooser_shown, &chooser, 5));
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "lesson");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (robust_iterate_until (window_gone, window, 5));

  target = g_build_filename (s.dir, "lesson.nlab", NULL);
  saved = nn_project_load (target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->arch.units[0], ==, 5);

  scratch_clear (&s);
}

int
main (int argc, char *argv[])
{
  g_autofree char *state = robust_isolate_state ();
  int status;

  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/unsaved/quit-asks", test_quit_asks);
  g_test_add_func ("/unsaved/discard", test_discard);
  g_test_add_func ("/unsaved/save-as-untitled", test_save_as_untitled);

  status = gui_test_run (app);
  test_remove_tree (state);
  return status;
}
