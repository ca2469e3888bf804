/* robust-test-utils.h: what the robustness GUI tests (autosave, unsaved changes, training
 * that explodes) share beyond gui-test-utils.h: running the main loop until something
 * holds, finding dialogs. */
#pragma once

#include <gtk/gtk.h>

#include "nl-application.h"
#include "nl-window.h"
#include "gui-test-utils.h"

G_BEGIN_DECLS

typedef gboolean (*RobustCondition) (gpointer data);

/* Runs the main loop until `done (data)` holds or `seconds` pass; returns whether it held. */
gboolean      robust_iterate_until      (RobustCondition done, gpointer data, double seconds);
/* Runs the main loop for `seconds`. */
void          robust_iterate_for        (double seconds);
/* A window of `app` showing `path` (or an example when `path` is NULL), presented, with
 * its first snapshot. */
NlWindow     *robust_open_window        (NlApplication *app, const char *path);
/* A window of `app` on data/examples/NAME as the application opens an example: no file,
 * unmodified. Presented, with its first snapshot. */
NlWindow     *robust_open_example       (NlApplication *app, const char *name);
/* The newest toplevel GtkMessageDialog transient for `parent` (any when NULL), or NULL. */
GtkWidget    *robust_find_message_dialog (GtkWindow *parent, GtkMessageType type);
/* The button of `dialog`'s action area whose label is `label` (with mnemonic), or NULL. */
GtkWidget    *robust_find_button        (GtkWidget *dialog, const char *label);
/* Whether `window` is still one of `app`'s windows. */
gboolean      robust_app_has_window     (NlApplication *app, NlWindow *window);
/* Destroys `window` and runs the main loop until it is finalized, at most `seconds`;
 * returns whether it was (FALSE: something keeps it alive, so it was never disposed). */
gboolean      robust_destroy_window     (NlWindow *window, double seconds);
/* Points XDG_STATE_HOME at a new temporary folder (the autosaves go there); returns it. */
char         *robust_isolate_state      (void);
/* Sum of a snapshot's parameters (a checksum that survives a save and a load). */
double        robust_params_sum         (const NlSnapshot *snap);

G_END_DECLS
