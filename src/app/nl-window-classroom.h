/* nl-window-classroom.h: what the window needs the day after the first demo (issue 5).
 *
 * Three files of NlWindow share this state (see nl-window-private.h for the pattern):
 *   nl-window-export.c   weights out and back in, figures of every view (PNG, SVG, PDF),
 *                        the current view on the clipboard, the training history as CSV;
 *   nl-window-data.c     drawing your own points on the output plot, importing a CSV;
 *   nl-window-explain.c  the "Train | Explain" pages: back-propagation by hand on the
 *                        sample selected on the plot (win.select-point), the sidebar
 *                        folded away while explaining so the equations have room.
 *
 * Actions (accelerators in ui/help-overlay.ui):
 *   win.export-weights   Ctrl+E          win.import-weights  Ctrl+I
 *   win.export-figure    Ctrl+Shift+E    win.copy-view       Ctrl+Shift+C
 *   win.export-history   Ctrl+H
 *   win.draw-points      Ctrl+P (on/off) win.clear-points    Ctrl+Shift+Delete
 *   win.import-csv       Ctrl+Shift+O
 *   win.show-page (s)    Alt+1 "train", Alt+2 "explain"
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"
#include "nl-window.h"

G_BEGIN_DECLS

typedef struct _NlWindowClassroom NlWindowClassroom;

struct _NlWindowClassroom
{
  /* Template children (bound without an instance field; looked up at init). */
  GtkWidget *centre_stack;
  GtkWidget *explain_view;
  GtkWidget *sidebar_scroller;
  GtkWidget *point_editor;
  GtkWidget *draw_points_button;

  /* Drawing: the editor started from the project's data once; edits come back as a
   * `points` dataset. */
  gboolean   drawing_synced;
  gboolean   sidebar_was_visible;
};

/* nl-window-export.c, nl-window-data.c, nl-window-explain.c */
void     nl_window_class_init_classroom     (NlWindowClass *klass);
void     nl_window_init_classroom           (NlWindow      *self);
void     nl_window_dispose_classroom        (NlWindow      *self);
/* Every snapshot the window applies, after its own views took it. */
void     nl_window_classroom_apply_snapshot (NlWindow      *self,
                                             NlSnapshot    *snapshot);
/* The project changed (from nl_window_sync_controls). */
void     nl_window_classroom_sync           (NlWindow      *self);
void     nl_window_classroom_set_dark       (NlWindow      *self,
                                             gboolean       dark);

/* Each file's part of the hooks above. */
void     nl_window_class_init_export        (NlWindowClass *klass);
void     nl_window_class_init_data          (NlWindowClass *klass);
void     nl_window_class_init_explain       (NlWindowClass *klass);
void     nl_window_init_data                (NlWindow      *self);
void     nl_window_init_explain             (NlWindow      *self);
void     nl_window_data_sync                (NlWindow      *self);
void     nl_window_explain_apply_snapshot   (NlWindow      *self,
                                             NlSnapshot    *snapshot);

G_END_DECLS
