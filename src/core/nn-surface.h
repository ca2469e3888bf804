/* nn-surface.h: two-parameter loss surfaces for the optimizer race.
 *
 * A surface is a function f(x, y) with its exact gradient, a view box, a default start
 * and the critical points that are known (minima, saddles). Two families share the type:
 *
 *   textbook  closed-form functions: "bowl", "ravine" (condition number κ settable),
 *             "rosenbrock", "beale", "himmelblau", "saddle", "two_minima".
 *   data      a model with exactly two parameters fitted to real points, so no projection
 *             is needed and SGD's noise comes from real mini-batches:
 *             "logistic"  p = σ(w1·x1 + w2·x2), mean binary cross-entropy (two classes);
 *             "line"      y = w·x1 + b, mean squared error (regression targets, or the
 *                         classes of a two-class problem as −1/+1).
 *             nn_surface_value() is the full-batch loss; nn_surface_batch_gradient() the
 *             gradient of any subset of the samples.
 *
 * Surfaces are immutable once built and reference-counted, so the window can draw the
 * contours of the surface a worker is racing on.
 *
 * Grids (nn_surface_eval_grid, and NnLossGrid in nn-landscape.h) are res × res values,
 * row-major, sampled on the nodes of the box: row 0 at y_max (the top), column 0 at
 * x_min, spacing (max − min)/(res − 1), so the edges of the box are sampled too.
 */
#pragma once

#include <glib.h>
#include "nn-dataset.h"
#include "nn-optimizer.h"
#include "nn-project.h"
#include "nn-types.h"

G_BEGIN_DECLS

typedef enum
{
  NN_SURFACE_BOWL,       /* x² + y² */
  NN_SURFACE_RAVINE,     /* ½(x² + κy²) */
  NN_SURFACE_ROSENBROCK, /* (1 − x)² + 100(y − x²)² */
  NN_SURFACE_BEALE,
  NN_SURFACE_HIMMELBLAU, /* (x² + y − 11)² + (x + y² − 7)² */
  NN_SURFACE_SADDLE,     /* x² − y² */
  NN_SURFACE_TWO_MINIMA, /* (x² − 1)² + 0.5x + y²: tilted double well */
  NN_SURFACE_LOGISTIC,   /* data */
  NN_SURFACE_LINE,       /* data */
  NN_N_SURFACES
} NnSurfaceKind;

#define NN_N_TEXTBOOK_SURFACES   (NN_SURFACE_TWO_MINIMA + 1)
#define NN_RAVINE_DEFAULT_KAPPA  25.0
#define NN_RAVINE_MAX_KAPPA      1e6

typedef struct
{
  double x_min, x_max, y_min, y_max;
} NnBox;

typedef enum
{
  NN_CRITICAL_GLOBAL_MINIMUM,
  NN_CRITICAL_LOCAL_MINIMUM,
  NN_CRITICAL_SADDLE,
} NnCriticalKind;

typedef struct
{
  double         x, y, value;
  NnCriticalKind kind;
} NnCriticalPoint;

typedef struct _NnSurface NnSurface;

const char *nn_surface_kind_to_string   (NnSurfaceKind kind);
gboolean    nn_surface_kind_from_string (const char *s, NnSurfaceKind *out);
gboolean    nn_surface_kind_is_data     (NnSurfaceKind kind);

/* Textbook surfaces (the ravine with NN_RAVINE_DEFAULT_KAPPA). */
NnSurface  *nn_surface_new              (NnSurfaceKind kind);
/* κ in [1, NN_RAVINE_MAX_KAPPA]: the ratio of the Hessian's eigenvalues. */
NnSurface  *nn_surface_new_ravine       (double kappa, GError **error);
/* A textbook surface by name; data surfaces are refused (they need data). */
NnSurface  *nn_surface_new_from_name    (const char *name, GError **error);
/* A data surface over `points` (copied). problem says what y is; batch_size is the
 * mini-batch size of stochastic runners (clamped to n). */
NnSurface  *nn_surface_new_for_data     (NnSurfaceKind kind, NnProblem problem,
                                         const NnPoint *points, guint n, guint batch_size,
                                         GError **error);
/* The same on a project's training set (generated from its seed), with its batch size. */
NnSurface  *nn_surface_new_for_project  (NnSurfaceKind kind, const NnProject *project,
                                         GError **error);
NnSurface  *nn_surface_ref              (NnSurface *s);
void        nn_surface_unref            (NnSurface *s);

NnSurfaceKind nn_surface_get_kind       (const NnSurface *s);
const char *nn_surface_get_name         (const NnSurface *s);
/* One English sentence or two for the UI. */
const char *nn_surface_get_description  (const NnSurface *s);
/* "x", "y" for textbook surfaces; "w1", "w2" or "w", "b" for the data models. */
void        nn_surface_get_axis_names   (const NnSurface *s, const char **x, const char **y);
double      nn_surface_get_condition_number (const NnSurface *s); /* ravine, else 1 */
void        nn_surface_get_view_box     (const NnSurface *s, NnBox *box);
void        nn_surface_get_start        (const NnSurface *s, double *x, double *y);
/* Known critical points: every minimum first (global ones, then local), then saddles.
 * A data surface with no finite minimum (separable data) has none. */
const NnCriticalPoint *nn_surface_get_critical_points (const NnSurface *s, guint *n);
/* Index of the minimum nearest (x, y) among the critical points, −1 when there is none;
 * the distance (NAN when none) goes to `distance` if not NULL. */
gint        nn_surface_nearest_minimum  (const NnSurface *s, double x, double y,
                                         double *distance);
/* The lowest known minimum's value, NAN when none is known. */
double      nn_surface_get_min_value    (const NnSurface *s);

/* Learning rate that makes `kind` behave sensibly from the default start, and the
 * standard deviation of the gradient noise that makes SGD visibly stochastic. */
double      nn_surface_get_default_learning_rate (const NnSurface *s, NnOptimizerKind kind);
double      nn_surface_get_default_noise (const NnSurface *s);

double      nn_surface_value            (const NnSurface *s, double x, double y);
/* Returns f(x, y) and writes ∇f to g[0], g[1]. */
double      nn_surface_gradient         (const NnSurface *s, double x, double y, double *g);

/* Data surfaces: number of samples (0 for textbook ones) and mini-batch size. */
guint       nn_surface_get_n_samples    (const NnSurface *s);
guint       nn_surface_get_batch_size   (const NnSurface *s);
/* Mean loss and its gradient over the samples listed in `indices`; on a textbook surface
 * the exact value and gradient. */
double      nn_surface_batch_gradient   (const NnSurface *s, double x, double y,
                                         const guint *indices, guint n, double *g);

/* res × res values on the nodes of `box` (see above); res >= 2. */
void        nn_surface_eval_grid        (const NnSurface *s, const NnBox *box, guint res,
                                         double *values);

static inline double
nn_box_node_x (const NnBox *box, guint res, guint col)
{
  return box->x_min + (box->x_max - box->x_min) * col / (res - 1);
}

static inline double
nn_box_node_y (const NnBox *box, guint res, guint row)
{
  return box->y_max - (box->y_max - box->y_min) * row / (res - 1);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnSurface, nn_surface_unref)

G_END_DECLS
