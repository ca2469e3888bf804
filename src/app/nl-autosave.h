/* nl-autosave.h: a window's unsaved project, kept safe on disk.
 *
 * Each window has one NlAutosave: a file in the user's state folder,
 * $XDG_STATE_HOME/neural-lab/autosave/PID-N.nlab (g_get_user_state_dir ()), with a small
 * PID-N.ini beside it that remembers where the project came from. Writing and removing
 * happen in order on a private thread, so the main loop never waits for the disk; each
 * write is atomic (nn_project_save: temporary file, fsync, rename).
 *
 * A clean quit removes the file. One that is still there at the next start, and whose
 * process is gone, is a leftover of a crash or a kill: nl_autosave_find_leftovers() lists
 * them, newest first, for the window to offer them back.
 */
#pragma once

#include <gio/gio.h>

#include "nn-project.h"

G_BEGIN_DECLS

#define NL_TYPE_AUTOSAVE (nl_autosave_get_type ())

G_DECLARE_FINAL_TYPE (NlAutosave, nl_autosave, NL, AUTOSAVE, GObject)

/* The default interval: at most one write a minute. */
#define NL_AUTOSAVE_DEFAULT_SECONDS 60

/* A leftover autosave of a process that is no longer running. */
typedef struct
{
  char      *path;    /* the .nlab */
  GDateTime *time;    /* when it was last written (local time) */
  GFile     *origin;  /* the file the project was opened from, or NULL */
  char      *title;   /* the example's title when it came from one, or NULL */
} NlAutosaveLeftover;

/* $XDG_STATE_HOME/neural-lab/autosave */
char               *nl_autosave_get_dir             (void);
/* Seconds between writes: NEURAL_LAB_AUTOSAVE_SECONDS when set to a positive number,
 * else NL_AUTOSAVE_DEFAULT_SECONDS. */
guint               nl_autosave_get_interval        (void);

/* A new, not yet written, autosave file for this process. */
NlAutosave         *nl_autosave_new                 (void);
const char         *nl_autosave_get_path            (NlAutosave          *self);
/* Queues an atomic write of `project` (taken) with where it came from. Writes of identical
 * contents are skipped. */
void                nl_autosave_write               (NlAutosave          *self,
                                                     NnProject           *project,
                                                     GFile               *origin,
                                                     const char          *title);
/* Queues the removal of the file (after any queued write). */
void                nl_autosave_remove              (NlAutosave          *self);
/* Waits until every queued write and removal is done (for tests and shutdown). */
void                nl_autosave_flush               (NlAutosave          *self);
/* Makes a leftover this autosave's own file (renamed), so that the restored project stays
 * safe until it is saved or written again. */
gboolean            nl_autosave_adopt               (NlAutosave          *self,
                                                     NlAutosaveLeftover  *leftover,
                                                     GError             **error);
/* How many writes reached the disk and how many failed (for tests and tools). */
guint               nl_autosave_get_n_written       (NlAutosave          *self);
guint               nl_autosave_get_n_failed        (NlAutosave          *self);

/* Leftovers of processes that are gone, newest first. */
GPtrArray          *nl_autosave_find_leftovers      (void);
NnProject          *nl_autosave_leftover_load       (NlAutosaveLeftover  *leftover,
                                                     GError             **error);
/* Deletes the leftover's files. */
void                nl_autosave_leftover_discard    (NlAutosaveLeftover  *leftover);
void                nl_autosave_leftover_free       (NlAutosaveLeftover  *leftover);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlAutosaveLeftover, nl_autosave_leftover_free)

G_END_DECLS
