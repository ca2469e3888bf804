/* test-autosave.c: nothing is lost when the app is killed.
 *
 * The autosave files themselves (written atomically, skipped when nothing changed,
 * removed), which leftovers count as a crashed run's (the writer's pid is gone, or now
 * belongs to another program, or ran before a reboot), the window's timer (writes only
 * while there are unsaved changes, at most once an interval, removed by a save and by
 * closing), and the whole story: a child process (this program, re-run) opens a project,
 * changes it, trains it and waits for its autosave; the test kills it with SIGKILL, then
 * finds the leftover, sees the offer "Restore the unsaved project from HH:MM?", restores
 * it and gets every change and every trained weight back, as a modified project.
 *
 * Runs with XDG_STATE_HOME in a temporary folder and NEURAL_LAB_AUTOSAVE_SECONDS=1.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <utime.h>
#include <unistd.h>

#include "nl-autosave.h"
#include "robust-test-utils.h"

static NlApplication *app;
static char *state_dir;

static char *
autosave_dir (void)
{
  return nl_autosave_get_dir ();
}

/* A copy of an example in a fresh temporary folder (removed by the caller's rm_rf). */
static char *
copy_example (const char *name, char **dir_out)
{
  g_autofree char *source = gui_example_path (name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("neural-lab-autosave-test-XXXXXX", &error);
  char *path;
  gsize length;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  *dir_out = dir;
  return path;
}

static guint
count_files (const char *suffix)
{
  g_autofree char *path = autosave_dir ();
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_suffix (name, suffix))
        {
          /* Named in the log: which file was left tells whose removal went missing. */
          g_test_message ("in the autosave folder: %s", name);
          n++;
        }
  return n;
}

/* ------------------------------------------------------------------------------------ */
/* The files                                                                            */

static void
test_interval (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("NEURAL_LAB_AUTOSAVE_SECONDS"));

  g_setenv ("NEURAL_LAB_AUTOSAVE_SECONDS", "7", TRUE);
  g_assert_cmpuint (nl_autosave_get_interval (), ==, 7);
  g_setenv ("NEURAL_LAB_AUTOSAVE_SECONDS", "soon", TRUE);
  g_assert_cmpuint (nl_autosave_get_interval (), ==, NL_AUTOSAVE_DEFAULT_SECONDS);
  g_setenv ("NEURAL_LAB_AUTOSAVE_SECONDS", "0", TRUE);
  g_assert_cmpuint (nl_autosave_get_interval (), ==, NL_AUTOSAVE_DEFAULT_SECONDS);
  g_unsetenv ("NEURAL_LAB_AUTOSAVE_SECONDS");
  g_assert_cmpuint (nl_autosave_get_interval (), ==, 60);
  g_setenv ("NEURAL_LAB_AUTOSAVE_SECONDS", saved, TRUE);

  /* Under the user's state folder. */
  {
    g_autofree char *dir = autosave_dir ();

    g_assert_true (g_str_has_prefix (dir, state_dir));
    g_assert_true (g_str_has_suffix (dir, "/neural-lab/autosave"));
  }
}

static void
test_write_and_remove (void)
{
  g_autoptr(NlAutosave) autosave = nl_autosave_new ();
  g_autoptr(NnProject) project = nn_project_new_default ();
  g_autoptr(NnProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) origin = g_file_new_for_path ("/somewhere/lesson.nlab");
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *info_path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected_name = g_strdup_printf ("%d-", (int) getpid ());
  const char *path = nl_autosave_get_path (autosave);
  double weights[64];
  NnNetwork *net;

  g_assert_true (g_str_has_prefix (path, state_dir));
  {
    g_autofree char *base = g_path_get_basename (path);

    g_assert_true (g_str_has_prefix (base, expected_name));
    g_assert_true (g_str_has_suffix (base, ".nlab"));
  }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Weights in the project's flat layout. */
  nn_project_sync_shape (project);
  net = nn_network_new (&project->arch, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net->n_params, <=, G_N_ELEMENTS (weights));
  for (gsize i = 0; i < net->n_params; i++)
    weights[i] = 0.125 * (double) i - 1.0 / 3.0;
  nn_project_set_weights (project, weights, net->n_params);
  project->optimizer.learning_rate = 0.0421;

  nl_autosave_write (autosave, nn_project_copy (project), origin, NULL);
  nl_autosave_flush (autosave);
  g_assert_cmpuint (nl_autosave_get_n_written (autosave), ==, 1);
  g_assert_cmpuint (nl_autosave_get_n_failed (autosave), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  loaded = nn_project_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (loaded->optimizer.learning_rate, ==, 0.0421);
  g_assert_cmpuint (loaded->n_weights, ==, net->n_params);
  for (gsize i = 0; i < net->n_params; i++)
    g_assert_cmpfloat (loaded->weights[i], ==, weights[i]);

  /* The key file beside it names this process and the origin. */
  {
    g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".nlab"));

    info_path = g_strconcat (stem, ".ini", NULL);
  }
  g_assert_true (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (info, "autosave", "pid", NULL), ==, getpid ());
  uri = g_key_file_get_string (info, "autosave", "origin", NULL);
  g_assert_cmpstr (uri, ==, "file:///somewhere/lesson.nlab");

  /* The same contents again: nothing written. A change: written. */
  nl_autosave_write (autosave, nn_project_copy (project), origin, NULL);
  nl_autosave_flush (autosave);
  g_assert_cmpuint (nl_autosave_get_n_written (autosave), ==, 1);
  project->optimizer.learning_rate = 0.5;
  nl_autosave_write (autosave, nn_project_copy (project), origin, NULL);
  nl_autosave_flush (autosave);
  g_assert_cmpuint (nl_autosave_get_n_written (autosave), ==, 2);

  /* This process is alive: its own file is no leftover. */
  {
    g_autoptr(GPtrArray) leftovers = nl_autosave_find_leftovers ();

    g_assert_cmpuint (leftovers->len, ==, 0);
  }

  /* A write then a removal, queued back to back: the removal wins. */
  project->optimizer.learning_rate = 0.25;
  nl_autosave_write (autosave, nn_project_copy (project), origin, NULL);
  nl_autosave_remove (autosave);
  nl_autosave_flush (autosave);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (info_path, G_FILE_TEST_EXISTS));

  nn_network_free (net);
}

/* Writes an autosave as process `pid` would have, at time `mtime`. */
static char *
plant_autosave (int pid, int n, const char *process, const char *boot_id, time_t mtime)
{
  g_autofree char *dir = autosave_dir ();
  g_autofree char *name = g_strdup_printf ("%d-%d.nlab", pid, n);
  g_autofree char *info_name = g_strdup_printf ("%d-%d.ini", pid, n);
  g_autofree char *info_path = g_build_filename (dir, info_name, NULL);
  g_autoptr(NnProject) project = nn_project_new_default ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times = { mtime, mtime };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  project->seed = (guint32) n;
  g_assert_true (nn_project_save (project, path, &error));
  g_assert_no_error (error);
  if (process != NULL)
    {
      g_autofree char *info = g_strdup_printf ("[autosave]\npid=%d\nboot-id=%s\nprocess=%s\n"
                                               "title=Planted %d\n",
                                               pid, boot_id, process, n);

      g_assert_true (g_file_set_contents (info_path, info, -1, NULL));
    }
  g_assert_cmpint (utime (path, &times), ==, 0);
  return path;
}

static char *
read_trimmed (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_strstrip (g_steal_pointer (&contents));
}

/* A pid that no process has any more: a child that has ended and been reaped. */
static int
dead_pid (void)
{
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "true", NULL };
  GPid pid;

  g_assert_true (g_spawn_async (NULL, argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  return pid;
}

static void
test_leftovers (void)
{
  g_autofree char *boot = read_trimmed ("/proc/sys/kernel/random/boot_id");
  g_autofree char *init_name = read_trimmed ("/proc/1/comm");
  time_t now = time (NULL);
  int gone = dead_pid ();
  g_autofree char *own = plant_autosave (getpid (), 900, "whatever", boot, now);
  g_autofree char *crashed = plant_autosave (gone, 1, "neural-lab", boot, now - 3600);
  g_autofree char *reused = plant_autosave (1, 2, "neural-lab-gone", boot, now - 60);
  g_autofree char *running = plant_autosave (1, 3, init_name, boot, now - 10);
  g_autofree char *rebooted = plant_autosave (1, 4, init_name, "another-boot", now - 7200);
  g_autofree char *bare = plant_autosave (gone, 5, NULL, NULL, now - 30);
  g_autoptr(GPtrArray) leftovers = nl_autosave_find_leftovers ();
  const char *expected[] = { bare, reused, crashed, rebooted };

  /* Newest first: the bare file (30 s), the reused pid (1 min), the crash (1 h), the
   * reboot (2 h). Not this process's own, not the running one's. */
  g_assert_cmpuint (leftovers->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < leftovers->len; i++)
    {
      NlAutosaveLeftover *leftover = g_ptr_array_index (leftovers, i);

      g_test_message ("leftover %u: %s", i, leftover->path);
      g_assert_cmpstr (leftover->path, ==, expected[i]);
      g_assert_null (leftover->origin);
    }
  {
    NlAutosaveLeftover *second = g_ptr_array_index (leftovers, 1);
    NlAutosaveLeftover *third = g_ptr_array_index (leftovers, 2);

    g_assert_cmpstr (second->title, ==, "Planted 2");
    g_assert_cmpint (g_date_time_to_unix (third->time), ==, now - 3600);
  }

  /* Each loads, and discarding removes both files. */
  for (guint i = 0; i < leftovers->len; i++)
    {
      NlAutosaveLeftover *leftover = g_ptr_array_index (leftovers, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(NnProject) project = nl_autosave_leftover_load (leftover, &error);

      g_assert_no_error (error);
      g_assert_nonnull (project);
      nl_autosave_leftover_discard (leftover);
      g_assert_false (g_file_test (leftover->path, G_FILE_TEST_EXISTS));
    }
  g_remove (own);
  g_remove (running);
  {
    g_autofree char *dir = autosave_dir ();

    test_remove_tree (dir);
  }
  g_assert_cmpuint (count_files (".ini"), ==, 0);
}

/* ------------------------------------------------------------------------------------ */
/* The window's timer                                                                   */

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_missing (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_window_timer (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *autosave = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NnProject) loaded = NULL;
  NlWindow *window;
  gint64 start;
  guint edits = 0;

  if (gui_skip_without_display (app))
    return;
  g_assert_cmpuint (nl_autosave_get_interval (), ==, 1);

  project_path = copy_example ("xor.nlab", &dir);
  file = g_file_new_for_path (project_path);
  window = robust_open_window (app, project_path);
  autosave = g_strdup (nl_window_get_autosave_path (window));
  g_assert_nonnull (autosave);

  /* Training alone is no unsaved change: nothing is written. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  robust_iterate_for (2.5);
  g_assert_false (nl_window_get_modified (window));
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));

  /* An edit: written within the interval (1 s here), with the change. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d", 0.0123);
  g_assert_true (nl_window_get_modified (window));
  g_assert_true (robust_iterate_until (file_exists, autosave, 5));
  loaded = nn_project_load (autosave, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (loaded->optimizer.learning_rate, ==, 0.0123);
  g_assert_cmpuint (loaded->n_weights, >, 0);

  /* Edits every 50 ms for 3.5 s: still at most one write a second. */
  {
    GStatBuf st;
    gint64 last_change = 0;
    guint writes = 0;
    /* Inode and modification time: a new file replaced the old one. */
    ino_t inode = 0;
    struct timespec mtime = { 0, 0 };

    start = g_get_monotonic_time ();
    while (g_get_monotonic_time () - start < 3.5 * G_USEC_PER_SEC)
      {
        gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d",
                                    0.01 + 0.0001 * (edits++ % 50));
        robust_iterate_for (0.05);
        if (g_stat (autosave, &st) == 0
            && (st.st_ino != inode || st.st_mtim.tv_sec != mtime.tv_sec
                || st.st_mtim.tv_nsec != mtime.tv_nsec))
          {
            gint64 now = g_get_monotonic_time ();

            if (inode != 0)
              {
                writes++;
                g_test_message ("autosave rewritten %.2f s after the last",
                                (now - last_change) / 1e6);
                /* Never on each edit (one every 50 ms). The poll sees a write late by up
                 * to a poll and an fsync, so the gaps seen vary around the second. */
                if (last_change != 0)
                  g_assert_cmpint (now - last_change, >, G_USEC_PER_SEC / 2);
              }
            inode = st.st_ino;
            mtime = st.st_mtim;
            last_change = now;
          }
      }
    g_test_message ("%u edits, %u rewrites in 3.5 s", edits, writes);
    g_assert_cmpuint (writes, >=, 2);
    g_assert_cmpuint (writes, <=, 4);
  }

  /* Saving removes it; the next edit brings it back; closing removes it. */
  g_assert_true (nl_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_false (nl_window_get_modified (window));
  g_assert_true (robust_iterate_until (file_missing, autosave, 5));
  robust_iterate_for (1.5);
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  g_assert_true (robust_iterate_until (file_exists, autosave, 5));
  g_assert_true (robust_destroy_window (window, 5));
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (".nlab"), ==, 0);
  g_assert_cmpuint (count_files (".ini"), ==, 0);

  test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* A crash and a restore                                                                */

typedef struct
{
  guint          n_hidden;
  guint          units0;
  NnOptimizerKind optimizer;
  double         learning_rate;
} Changes;

static const Changes child_changes = { 2, 5, NN_OPTIMIZER_MOMENTUM, 0.0123 };

static gboolean
child_trained (gpointer data)
{
  NlWindow *window = data;
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->epoch >= 3 && !snap->running
         && snap->net.arch.n_hidden == child_changes.n_hidden
         && snap->net.arch.units[0] == child_changes.units0;
}

/* The child: opens `path`, makes the changes, trains three epochs, waits until the
 * autosave holds exactly those weights, says "ready SUM" and waits to be killed. */
static int
run_crash_child (const char *path)
{
  NlApplication *child_app;
  NlWindow *window;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *autosave;
  double sum;

  gtk_disable_setlocale ();
  child_app = gui_app_new ();
  if (child_app == NULL)
    return 2;
  window = nl_window_new (child_app);
  if (!nl_window_open_file (window, file, &error))
    g_error ("child: %s", error->message);
  gtk_window_present (GTK_WINDOW (window));

  /* xor.nlab has one hidden layer of 4: make it two, the first of 5. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-layer", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-neuron", "u", 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-optimizer", "s", "momentum");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-learning-rate", "d",
                              child_changes.learning_rate);
  for (int i = 0; i < 3; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.step-epoch", NULL);
  if (!robust_iterate_until (child_trained, window, 30))
    g_error ("child: the changes did not reach the trainer");
  sum = robust_params_sum (nl_window_get_snapshot (window));

  autosave = nl_window_get_autosave_path (window);
  for (;;)
    {
      g_autoptr(NnProject) saved = NULL;

      if (g_get_monotonic_time () > deadline)
        g_error ("child: no autosave with the trained weights");
      robust_iterate_for (0.1);
      saved = g_file_test (autosave, G_FILE_TEST_EXISTS) ? nn_project_load (autosave, NULL) : NULL;
      if (saved != NULL && saved->n_weights == nl_window_get_snapshot (window)->net.n_params)
        {
          double saved_sum = 0;

          for (gsize i = 0; i < saved->n_weights; i++)
            saved_sum += saved->weights[i];
          if (saved_sum == sum)
            break;
        }
    }

  printf ("ready %.17g\n", sum);
  fflush (stdout);
  for (;;)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("child: nobody killed me");
      robust_iterate_for (0.1);
    }
  return 0;
}

static gboolean
snapshot_matches (gpointer data)
{
  NlWindow *window = data;
  NlSnapshot *snap = nl_window_get_snapshot (window);

  return snap != NULL && snap->net.arch.n_hidden == child_changes.n_hidden
         && snap->net.arch.units[0] == child_changes.units0;
}

static void
test_crash_and_restore (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *line = NULL;
  g_autofree char *expected_offer = NULL;
  g_autofree char *time_text = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leftovers = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *leftover_path = NULL;
  const NnProject *p;
  NlAutosaveLeftover *leftover;
  NlWindow *window;
  const char *offer;
  const char *adopted;
  double child_sum, restored_sum;

  if (gui_skip_without_display (app))
    return;

  project_path = copy_example ("xor.nlab", &dir);
  file = g_file_new_for_path (project_path);
  exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);

  /* The child edits, trains, autosaves; then it is killed, no clean-up at all. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--crash-child",
                            project_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("child: %s", line);
  g_assert_true (g_str_has_prefix (line, "ready "));
  child_sum = g_ascii_strtod (line + strlen ("ready "), NULL);
  g_subprocess_send_signal (child, SIGKILL);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* The next start finds what it left. */
  leftovers = nl_autosave_find_leftovers ();
  g_assert_cmpuint (leftovers->len, ==, 1);
  leftover = g_ptr_array_index (leftovers, 0);
  leftover_path = g_strdup (leftover->path);
  g_assert_nonnull (leftover->origin);
  g_assert_true (g_file_equal (leftover->origin, file));

  /* A window on the default example, as at start-up, offers it back. */
  window = robust_open_example (app, "default.nlab");
  g_assert_null (nl_window_get_restore_offer (window));
  nl_window_offer_restore (window);
  offer = nl_window_get_restore_offer (window);
  g_assert_nonnull (offer);
  time_text = g_date_time_format (leftover->time, "%H:%M");
  expected_offer = g_strdup_printf ("Restore the unsaved project from %s?", time_text);
  g_test_message ("offer: %s", offer);
  g_assert_cmpstr (offer, ==, expected_offer);
  /* Only once a process. */
  nl_window_offer_restore (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-autosave", NULL);
  g_assert_null (nl_window_get_restore_offer (window));

  /* Everything is back, as unsaved changes to the file it came from. */
  p = nl_window_get_project (window);
  g_assert_cmpuint (p->arch.n_hidden, ==, child_changes.n_hidden);
  g_assert_cmpuint (p->arch.units[0], ==, child_changes.units0);
  g_assert_cmpint (p->optimizer.kind, ==, child_changes.optimizer);
  g_assert_cmpfloat (p->optimizer.learning_rate, ==, child_changes.learning_rate);
  g_assert_true (nl_window_get_modified (window));
  g_assert_nonnull (nl_window_get_file (window));
  g_assert_true (g_file_equal (nl_window_get_file (window), file));
  {
    const char *title = gtk_window_get_title (GTK_WINDOW (window));

    g_test_message ("title: %s", title);
    g_assert_nonnull (strstr (title, "xor.nlab"));
  }
  g_assert_true (robust_iterate_until (snapshot_matches, window, 10));
  restored_sum = robust_params_sum (nl_window_get_snapshot (window));
  g_test_message ("weights: child %.17g, restored %.17g", child_sum, restored_sum);
  g_assert_cmpfloat_with_epsilon (restored_sum, child_sum, 1e-12 * MAX (1, fabs (child_sum)));

  /* The leftover became this window's autosave: no longer offered, still safe. */
  adopted = nl_window_get_autosave_path (window);
  g_test_message ("adopted as %s", adopted);
  g_assert_false (g_file_test (leftover_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (adopted, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GPtrArray) again = nl_autosave_find_leftovers ();

    g_assert_cmpuint (again->len, ==, 0);
  }

  /* Closed on purpose (destroyed, as after Discard): nothing left behind once it is gone.
   * A destroyed window is disposed, and removes its autosave, when the last reference
   * goes; here the restore leaves main-loop work holding one, so wait for it. */
  g_assert_true (robust_destroy_window (window, 5));
  g_assert_cmpuint (count_files (".nlab"), ==, 0);
  g_assert_cmpuint (count_files (".ini"), ==, 0);
  test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  int status;

  if (argc == 3 && strcmp (argv[1], "--crash-child") == 0)
    return run_crash_child (argv[2]);

  /* A state folder of our own (inherited by the child), short autosave interval. */
  state_dir = robust_isolate_state ();
  g_setenv ("NEURAL_LAB_AUTOSAVE_SECONDS", "1", TRUE);

  app = gui_test_init (&argc, &argv);

  g_test_add_func ("/autosave/interval", test_interval);
  g_test_add_func ("/autosave/write-and-remove", test_write_and_remove);
  g_test_add_func ("/autosave/leftovers", test_leftovers);
  g_test_add_func ("/autosave/window-timer", test_window_timer);
  g_test_add_func ("/autosave/crash-and-restore", test_crash_and_restore);

  status = gui_test_run (app);
  test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
