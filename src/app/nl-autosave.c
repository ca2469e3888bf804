/* nl-autosave.c: a window's unsaved project, kept safe on disk.
 *
 * The files: PID-N.nlab, the project with its weights, and PID-N.ini, a key file with the
 * process that wrote it (pid, its name and the boot it ran in: a leftover of a process that
 * still runs is not offered, and a pid reused after a reboot is not mistaken for it) and
 * where the project came from. The .ini is written first and removed last, so a .nlab never
 * lacks one for long; a .nlab without one is still a leftover.
 *
 * Writes and removals are jobs on a one-thread GThreadPool, which runs them in the order
 * they were queued: a removal never overtakes the write before it.
 */
#include "nl-autosave.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GROUP "autosave"

typedef enum
{
  JOB_WRITE,
  JOB_REMOVE,
} JobKind;

typedef struct
{
  JobKind    kind;
  NnProject *project;
  char      *info;     /* the .ini contents */
} Job;

struct _NlAutosave
{
  GObject      parent_instance;

  char        *path;
  char        *info_path;
  GThreadPool *pool;
  GMutex       lock;
  GCond        idle;
  guint        pending;       /* jobs queued and not finished; under lock */
  gint         n_written;     /* atomic */
  gint         n_failed;      /* atomic */

  /* Only touched by the job thread (or with the pool idle, after nl_autosave_flush). */
  char        *last_written;  /* what the files hold now, NULL when unknown or removed */
  gboolean     reported;      /* a failure was logged already */
};

G_DEFINE_FINAL_TYPE (NlAutosave, nl_autosave, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  g_clear_pointer (&job->project, nn_project_free);
  g_free (job->info);
  g_free (job);
}

/* ------------------------------------------------------------------------------------ */
/* Which process wrote a file                                                           */

static char *
read_trimmed (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (g_steal_pointer (&contents));
}

static const char *
boot_id (void)
{
  static char *id;

  if (g_once_init_enter (&id))
    {
      char *value = read_trimmed ("/proc/sys/kernel/random/boot_id");

      g_once_init_leave (&id, value != NULL ? value : g_strdup (""));
    }
  return id;
}

static char *
process_name (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/comm", pid);

  return read_trimmed (path);
}

/* Whether the process that wrote an autosave may still be running (then it is not a
 * leftover: that process will save or remove it itself). */
static gboolean
writer_alive (int pid, const char *writer_boot, const char *writer_name)
{
  g_autofree char *name = NULL;

  if (pid <= 0)
    return FALSE;
  if (pid == getpid ())
    return TRUE;
  if (writer_boot != NULL && *writer_boot != '\0' && *boot_id () != '\0'
      && strcmp (writer_boot, boot_id ()) != 0)
    return FALSE;
  name = process_name (pid);
  if (name != NULL)
    return writer_name == NULL || strcmp (name, writer_name) == 0;
  /* No /proc: ask the kernel whether the pid exists at all. */
  return kill (pid, 0) == 0 || errno == EPERM;
}

/* ------------------------------------------------------------------------------------ */
/* The job thread                                                                       */

static gboolean
remove_file (const char *path, GError **error)
{
  if (g_remove (path) == 0 || errno == ENOENT)
    return TRUE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", path,
               g_strerror (errno));
  return FALSE;
}

static gboolean
job_write (NlAutosave *self, Job *job, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  g_autofree char *key = NULL;

  data = nn_project_to_data (job->project, NULL);
  key = g_strconcat (job->info, "\n", data, NULL);
  if (self->last_written != NULL && strcmp (self->last_written, key) == 0)
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  if (!nn_write_file_atomically (self->info_path, job->info, strlen (job->info), error)
      || !nn_project_save (job->project, self->path, error))
    {
      g_clear_pointer (&self->last_written, g_free);
      return FALSE;
    }
  g_free (self->last_written);
  self->last_written = g_steal_pointer (&key);
  g_atomic_int_inc (&self->n_written);
  return TRUE;
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;
  NlAutosave *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (job->kind == JOB_WRITE)
    ok = job_write (self, job, &error);
  else
    {
      g_clear_pointer (&self->last_written, g_free);
      ok = remove_file (self->path, &error) && remove_file (self->info_path, &error);
    }

  if (!ok)
    {
      g_atomic_int_inc (&self->n_failed);
      /* Once: a state folder that cannot be written stays so. */
      if (!self->reported)
        g_message ("Autosave failed: %s", error->message);
      self->reported = TRUE;
    }
  job_free (job);

  g_mutex_lock (&self->lock);
  if (--self->pending == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
}

static void
push_job (NlAutosave *self, Job *job)
{
  g_mutex_lock (&self->lock);
  self->pending++;
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->pool, job, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
nl_autosave_finalize (GObject *object)
{
  NlAutosave *self = NL_AUTOSAVE (object);

  /* Runs what is queued (a removal on a clean quit) before it returns. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_free (self->path);
  g_free (self->info_path);
  g_free (self->last_written);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);

  G_OBJECT_CLASS (nl_autosave_parent_class)->finalize (object);
}

static void
nl_autosave_class_init (NlAutosaveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nl_autosave_finalize;
}

static void
nl_autosave_init (NlAutosave *self)
{
  static gint counter;
  g_autofree char *dir = nl_autosave_get_dir ();
  g_autofree char *base = g_strdup_printf ("%d-%d", (int) getpid (),
                                           g_atomic_int_add (&counter, 1) + 1);
  g_autofree char *name = g_strconcat (base, ".nlab", NULL);
  g_autofree char *info_name = g_strconcat (base, ".ini", NULL);

  self->path = g_build_filename (dir, name, NULL);
  self->info_path = g_build_filename (dir, info_name, NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  /* One thread, not exclusive: it ends when idle, and jobs run in queue order. */
  self->pool = g_thread_pool_new (run_job, self, 1, FALSE, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */

char *
nl_autosave_get_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "neural-lab", "autosave", NULL);
}

guint
nl_autosave_get_interval (void)
{
  const char *value = g_getenv ("NEURAL_LAB_AUTOSAVE_SECONDS");
  guint64 seconds = 0;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 24 * 3600, &seconds, NULL))
    return (guint) seconds;
  return NL_AUTOSAVE_DEFAULT_SECONDS;
}

NlAutosave *
nl_autosave_new (void)
{
  return g_object_new (NL_TYPE_AUTOSAVE, NULL);
}

const char *
nl_autosave_get_path (NlAutosave *self)
{
  g_return_val_if_fail (NL_IS_AUTOSAVE (self), NULL);

  return self->path;
}

void
nl_autosave_write (NlAutosave *self,
                   NnProject  *project,
                   GFile      *origin,
                   const char *title)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *name = process_name (getpid ());
  Job *job;

  g_return_if_fail (NL_IS_AUTOSAVE (self));
  g_return_if_fail (project != NULL);

  g_key_file_set_integer (info, GROUP, "pid", getpid ());
  g_key_file_set_string (info, GROUP, "boot-id", boot_id ());
  if (name != NULL)
    g_key_file_set_string (info, GROUP, "process", name);
  if (origin != NULL)
    {
      g_autofree char *uri = g_file_get_uri (origin);

      g_key_file_set_string (info, GROUP, "origin", uri);
    }
  if (title != NULL)
    g_key_file_set_string (info, GROUP, "title", title);

  job = g_new0 (Job, 1);
  job->kind = JOB_WRITE;
  job->project = project;
  job->info = g_key_file_to_data (info, NULL, NULL);
  push_job (self, job);
}

void
nl_autosave_remove (NlAutosave *self)
{
  Job *job;

  g_return_if_fail (NL_IS_AUTOSAVE (self));

  job = g_new0 (Job, 1);
  job->kind = JOB_REMOVE;
  push_job (self, job);
}

void
nl_autosave_flush (NlAutosave *self)
{
  g_return_if_fail (NL_IS_AUTOSAVE (self));

  g_mutex_lock (&self->lock);
  while (self->pending > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}

gboolean
nl_autosave_adopt (NlAutosave          *self,
                   NlAutosaveLeftover  *leftover,
                   GError             **error)
{
  g_autofree char *stem = NULL;
  g_autofree char *info_path = NULL;

  g_return_val_if_fail (NL_IS_AUTOSAVE (self), FALSE);
  g_return_val_if_fail (leftover != NULL, FALSE);

  nl_autosave_flush (self);
  if (g_rename (leftover->path, self->path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", leftover->path,
                   g_strerror (saved));
      return FALSE;
    }
  /* The .ini names the dead process: this one writes its own at the next change. */
  stem = g_strndup (leftover->path, strlen (leftover->path) - strlen (".nlab"));
  info_path = g_strconcat (stem, ".ini", NULL);
  g_remove (info_path);
  g_clear_pointer (&self->last_written, g_free);
  return TRUE;
}

guint
nl_autosave_get_n_written (NlAutosave *self)
{
  g_return_val_if_fail (NL_IS_AUTOSAVE (self), 0);

  return (guint) g_atomic_int_get (&self->n_written);
}

guint
nl_autosave_get_n_failed (NlAutosave *self)
{
  g_return_val_if_fail (NL_IS_AUTOSAVE (self), 0);

  return (guint) g_atomic_int_get (&self->n_failed);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const NlAutosaveLeftover *x = *(NlAutosaveLeftover *const *) a;
  const NlAutosaveLeftover *y = *(NlAutosaveLeftover *const *) b;

  return g_date_time_compare (y->time, x->time);
}

static NlAutosaveLeftover *
leftover_new (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".nlab"));
  g_autofree char *info_path = g_strconcat (stem, ".ini", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *writer_boot = NULL;
  g_autofree char *writer_name = NULL;
  g_autofree char *origin = NULL;
  NlAutosaveLeftover *leftover;
  GStatBuf st;
  int pid;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;
  pid = atoi (name);
  if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    {
      writer_boot = g_key_file_get_string (info, GROUP, "boot-id", NULL);
      writer_name = g_key_file_get_string (info, GROUP, "process", NULL);
      origin = g_key_file_get_string (info, GROUP, "origin", NULL);
    }
  if (writer_alive (pid, writer_boot, writer_name))
    return NULL;

  leftover = g_new0 (NlAutosaveLeftover, 1);
  leftover->path = g_steal_pointer (&path);
  leftover->time = g_date_time_new_from_unix_local (st.st_mtime);
  leftover->origin = origin != NULL ? g_file_new_for_uri (origin) : NULL;
  leftover->title = g_key_file_get_string (info, GROUP, "title", NULL);
  return leftover;
}

GPtrArray *
nl_autosave_find_leftovers (void)
{
  GPtrArray *leftovers =
    g_ptr_array_new_with_free_func ((GDestroyNotify) nl_autosave_leftover_free);
  g_autofree char *dir_path = nl_autosave_get_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return leftovers;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      NlAutosaveLeftover *leftover;

      if (!g_str_has_suffix (name, ".nlab") || !g_ascii_isdigit (name[0]))
        continue;
      leftover = leftover_new (dir_path, name);
      if (leftover != NULL)
        g_ptr_array_add (leftovers, leftover);
    }
  g_ptr_array_sort (leftovers, compare_newest_first);
  return leftovers;
}

NnProject *
nl_autosave_leftover_load (NlAutosaveLeftover *leftover, GError **error)
{
  g_return_val_if_fail (leftover != NULL, NULL);

  return nn_project_load (leftover->path, error);
}

void
nl_autosave_leftover_discard (NlAutosaveLeftover *leftover)
{
  g_autofree char *stem = NULL;
  g_autofree char *info_path = NULL;

  g_return_if_fail (leftover != NULL);

  stem = g_strndup (leftover->path, strlen (leftover->path) - strlen (".nlab"));
  info_path = g_strconcat (stem, ".ini", NULL);
  g_remove (leftover->path);
  g_remove (info_path);
}

void
nl_autosave_leftover_free (NlAutosaveLeftover *leftover)
{
  if (leftover == NULL)
    return;
  g_free (leftover->path);
  g_clear_pointer (&leftover->time, g_date_time_unref);
  g_clear_object (&leftover->origin);
  g_free (leftover->title);
  g_free (leftover);
}
