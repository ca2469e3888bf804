/* gui-test-utils.h: what the GUI tests share: running the main loop until the window
 * reaches a state, the usual states, and the window's template children. */
#pragma once

#include <gtk/gtk.h>

#include "nl-window.h"

G_BEGIN_DECLS

typedef gboolean (*GuiCondition) (NlWindow *window, gconstpointer data);

/* Runs the main loop until `done (window, data)` holds (never, when `done` is NULL) or
 * `seconds` pass; returns whether it held. A 10 ms timer keeps the loop waking up even
 * when nothing else happens, so the condition is checked at least that often. */
gboolean   gui_iterate_until  (NlWindow *window, GuiCondition done, gconstpointer data,
                               double seconds);
/* Conditions: never (to let time pass), a first snapshot, a snapshot at epoch
 * GPOINTER_TO_UINT (data) or later. */
gboolean   gui_time_passes    (NlWindow *window, gconstpointer data);
gboolean   gui_has_snapshot   (NlWindow *window, gconstpointer data);
gboolean   gui_epoch_reached  (NlWindow *window, gconstpointer data);
/* The window's template child `name`; fails the test when there is none. */
GtkWidget *gui_template_child (NlWindow *window, const char *name);

G_END_DECLS
