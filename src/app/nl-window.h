/* nl-window.h: the main window — data and training settings, the network, the output.
 *
 * The window keeps the project the user edits (NnProject, without weights) and a training
 * worker that trains a copy of it. Every user action is a window action ("win.*") that
 * edits the project, checks it, and sends the worker the smallest command that applies the
 * change; widgets only activate actions, and are synchronised back from the project. The
 * views show the worker's latest snapshot, picked up on the frame clock. */
#pragma once

#include <gtk/gtk.h>

#include "nl-application.h"
#include "nl-snapshot.h"
#include "nl-training-worker.h"
#include "nn-project.h"

G_BEGIN_DECLS

#define NL_TYPE_WINDOW (nl_window_get_type ())

G_DECLARE_FINAL_TYPE (NlWindow, nl_window, NL, WINDOW, GtkApplicationWindow)

NlWindow         *nl_window_new           (NlApplication  *application);
/* Replaces the project (takes ownership). On failure, shows nothing, returns FALSE with an
 * error and leaves the window as it was. `file` may be NULL (an example, unsaved). */
gboolean          nl_window_load_project  (NlWindow       *self,
                                           NnProject      *project,
                                           GFile          *file,
                                           const char     *title,
                                           GError        **error);
gboolean          nl_window_open_file     (NlWindow       *self,
                                           GFile          *file,
                                           GError        **error);
gboolean          nl_window_save_to_file  (NlWindow       *self,
                                           GFile          *file,
                                           GError        **error);
GFile            *nl_window_get_file      (NlWindow       *self);
void              nl_window_set_dark      (NlWindow       *self,
                                           gboolean        dark);

/* A modal error message (GtkMessageDialog) over `parent`. */
void              nl_window_show_error    (GtkWindow      *parent,
                                           const char     *primary,
                                           const char     *secondary);

/* For tests and tools. */
const NnProject  *nl_window_get_project   (NlWindow       *self);
NlSnapshot       *nl_window_get_snapshot  (NlWindow       *self);
NlTrainingWorker *nl_window_get_worker    (NlWindow       *self);

G_END_DECLS
