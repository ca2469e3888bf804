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
#include "nl-figure-export.h"
#include "nl-snapshot.h"
#include "nl-training-worker.h"
#include "nn-export.h"
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

/* Autosave (nl-window-autosave.c). Offers, in a banner, to restore what a crashed or
 * killed run left in the autosave folder; only the first call in a process looks. */
void              nl_window_offer_restore      (NlWindow  *self);
/* The offer's text while it is shown, else NULL. */
const char       *nl_window_get_restore_offer  (NlWindow  *self);
gboolean          nl_window_get_modified       (NlWindow  *self);
const char       *nl_window_get_autosave_path  (NlWindow  *self);

/* Classroom (nl-window-export.c, nl-window-data.c): what the menu's exports and imports
 * do once a file is chosen. Each works on the snapshot on screen and fails with a GError
 * the window shows in a dialog. */
gboolean          nl_window_export_weights     (NlWindow        *self,
                                                NnExportFormat   format,
                                                GFile           *file,
                                                GError         **error);
/* JSON or .npz weights of a network of the same shape, sent to the worker. */
gboolean          nl_window_import_weights     (NlWindow        *self,
                                                GFile           *file,
                                                GError         **error);
/* Draws a view as a figure of width × height (the export dialog's preview, the files). */
void              nl_window_draw_figure        (NlWindow        *self,
                                                NlFigureView     view,
                                                gboolean         dark,
                                                cairo_t         *cr,
                                                double           width,
                                                double           height);
gboolean          nl_window_export_figure      (NlWindow        *self,
                                                NlFigureView     view,
                                                NlFigureFormat   format,
                                                int              width,
                                                int              height,
                                                gboolean         dark,
                                                GFile           *file,
                                                GError         **error);
/* The current page (all three views, or the walkthrough) on the clipboard as an image. */
gboolean          nl_window_copy_view          (NlWindow        *self,
                                                GError         **error);
/* epoch,train_loss,test_loss,train_acc,test_acc: one row per history record. */
char             *nl_window_history_csv        (NlWindow        *self);
gboolean          nl_window_export_history     (NlWindow        *self,
                                                GFile           *file,
                                                GError         **error);
/* Opens the CSV import dialog (an NlCsvImportDialog) on `file`. */
GtkWidget        *nl_window_import_csv_file    (NlWindow        *self,
                                                GFile           *file);

G_END_DECLS
