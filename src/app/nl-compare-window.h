/* nl-compare-window.h: "Compare optimizers", a window of its own.
 *
 * GD, SGD, Momentum, RMSProp and Adam race from a common start on one of three kinds of
 * surface, drawn as contours (or in 3-D) with every trajectory, a loss-versus-step plot and
 * a table of results:
 *
 *   textbook   a closed-form surface (nn-surface.h), or one of the classic lessons;
 *   network    the main window's project: every optimizer trains the same initial weights
 *              on the same mini-batches in a worker thread, and the runs are drawn on a
 *              plane through parameter space (PCA, random filter-normalised, two weights)
 *              over the true loss computed on a grid in the worker, honestly annotated;
 *   model      a two-parameter model fitted to the project's training data (logistic
 *              regression through the origin, or one neuron y = w·x₁ + b).
 *
 * Everything a user does is an action of the "compare" group: play-pause, step, reset,
 * preset (s), source (s: textbook, network, model), add-runner (s), fair-race, train,
 * cancel, view-3d, pick-weights, export-csv, export-picture. "pick-weights" (the "picking"
 * property) makes clicks on links of the main window's network view pick the two weights
 * of the "two weights" plane, α then β, marked there; Escape ends it.
 *
 * The race is animated from a frame-clock tick callback, some steps a frame; every long
 * computation (surface grids, the fair race's sweep, the network's runs and loss grid)
 * runs in a worker thread with a progress bar and Cancel, so the window never freezes.
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-window.h"
#include "nn-landscape.h"
#include "nn-race.h"

G_BEGIN_DECLS

#define NL_TYPE_COMPARE_WINDOW (nl_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (NlCompareWindow, nl_compare_window, NL, COMPARE_WINDOW, GtkWindow)

typedef enum
{
  NL_COMPARE_TEXTBOOK,
  NL_COMPARE_NETWORK,
  NL_COMPARE_MODEL,
} NlCompareSource;

/* A window over `main_window`'s project (which it follows while it lives). */
NlCompareWindow *nl_compare_window_new            (NlWindow        *main_window);

NlCompareSource  nl_compare_window_get_source     (NlCompareWindow *self);
/* The race being animated (textbook and model sources), or NULL. */
NnRace          *nl_compare_window_get_race       (NlCompareWindow *self);
/* The network's runs (network source) when no job holds them, or NULL. */
NnLandscape     *nl_compare_window_get_landscape  (NlCompareWindow *self);
/* Whether a worker job (grid, sweep, runs, plane) is running; and its progress. */
gboolean         nl_compare_window_is_busy        (NlCompareWindow *self);
double           nl_compare_window_get_progress   (NlCompareWindow *self);
/* How many steps the animation has shown: the race's step, or the network runs' step. */
guint            nl_compare_window_get_step       (NlCompareWindow *self);
/* Whether the surface's grid is there to draw. */
gboolean         nl_compare_window_has_grid       (NlCompareWindow *self);
/* Wall-clock milliseconds of the last network loss grid, and its resolution. */
double           nl_compare_window_get_grid_ms    (NlCompareWindow *self,
                                                   guint           *res);
GtkWidget       *nl_compare_window_get_surface_view (NlCompareWindow *self);
/* The network source's plane and its loss grid (each NULL while there is none). */
const NnPlane   *nl_compare_window_get_plane      (NlCompareWindow   *self,
                                                   const NnLossGrid **grid);

/* What the export actions write, without the file chooser. */
gboolean         nl_compare_window_save_csv       (NlCompareWindow *self,
                                                   GFile           *file,
                                                   GError         **error);
/* PNG, SVG or PDF by the file's extension. */
gboolean         nl_compare_window_save_picture   (NlCompareWindow *self,
                                                   GFile           *file,
                                                   GError         **error);

G_END_DECLS
