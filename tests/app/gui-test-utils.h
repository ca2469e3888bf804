/* gui-test-utils.h: what the GUI tests share: the test application, running the main loop
 * until the window reaches a state, the usual states, opening and closing windows on the
 * examples, screenshots, and the window's template children. */
#pragma once

#include <gtk/gtk.h>

#include "nl-application.h"
#include "nl-window.h"
#include "test-files.h"

G_BEGIN_DECLS

typedef gboolean (*GuiCondition) (NlWindow *window, gconstpointer data);

/* An example seen in a window of a size, in the light or the dark style. */
typedef struct
{
  const char *example;  /* a file of data/examples */
  int         width, height;
  gboolean    dark;
} GuiViewCase;

/* A registered, held, non-unique application, or NULL when GTK finds no display. */
NlApplication *gui_app_new    (void);
/* g_test_init, then GTK without its own setlocale (the caller's locale stays); returns
 * gui_app_new (): without a display each test that needs one skips
 * (gui_skip_without_display) instead of the whole program failing. */
NlApplication *gui_test_init  (int *argc, char ***argv);
/* g_test_run, then lets `app` (may be NULL) go; returns g_test_run's status. */
int        gui_test_run       (NlApplication *app);
/* Marks the test skipped when there is no display (`app` is NULL); returns whether it did. */
gboolean   gui_skip_without_display (NlApplication *app);

/* Adds `func` once a case, with the case as its data, as PREFIX/EXAMPLE-WxH-light (or
 * -dark), EXAMPLE without its ".nlab". */
void       gui_add_view_cases (const char *prefix, const GuiViewCase *cases, guint n,
                               GTestDataFunc func);
/* Switches the application's dark style (app.dark-style) on or off. */
void       gui_set_dark_style (NlApplication *app, gboolean dark);

/* Runs the main loop until `done (window, data)` holds (never, when `done` is NULL) or
 * `seconds` pass; returns whether it held. A 10 ms timer keeps the loop waking up even
 * when nothing else happens, so the condition is checked at least that often. */
gboolean   gui_iterate_until  (NlWindow *window, GuiCondition done, gconstpointer data,
                               double seconds);
/* Conditions: never (to let time pass), a first snapshot, a snapshot at epoch
 * GPOINTER_TO_UINT (data) or later, a snapshot of a trainer that is not running. */
gboolean   gui_time_passes    (NlWindow *window, gconstpointer data);
gboolean   gui_has_snapshot   (NlWindow *window, gconstpointer data);
gboolean   gui_epoch_reached  (NlWindow *window, gconstpointer data);
gboolean   gui_stopped        (NlWindow *window, gconstpointer data);

/* data/examples/NAME in the source tree. */
char      *gui_example_path   (const char *name);
/* A new window of `app` of the default size asked for, on the file at `path`, presented;
 * it may have no snapshot yet. */
NlWindow  *gui_open_file      (NlApplication *app, const char *path, int width, int height);
/* The same on data/examples/EXAMPLE, with its first snapshot (within 10 s). */
NlWindow  *gui_open_example   (NlApplication *app, const char *example, int width, int height);
/* Destroys `window` and runs what that leaves pending in the main loop. */
void       gui_close_window   (NlWindow *window);

/* `widget` drawn the way GTK 4.8 allows (its paintable, a render node, Cairo) into a new
 * ARGB32 surface of its size. The main loop runs 50 ms before each attempt, so a pending
 * layout is done first, up to 50 attempts until the widget has drawn once. */
cairo_surface_t *gui_draw_widget (GtkWidget *widget);
/* A visible toplevel of `type` (or of a type derived from it): the last of them in
 * gtk_window_list_toplevels' order; NULL when there is none. */
GtkWidget *gui_find_toplevel  (GType type);

/* Draws `widget` (as gui_draw_widget) into the PNG file `name` in the build directory, for
 * people to look at; returns how many of the picture's sampled pixels (one in 97) differ
 * from its first: a blank picture has none. */
guint      gui_screenshot     (GtkWidget *widget, const char *name);

/* The window's template child `name`; fails the test when there is none. */
GtkWidget *gui_template_child (NlWindow *window, const char *name);

G_END_DECLS
