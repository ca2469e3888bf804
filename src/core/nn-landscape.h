/* nn-landscape.h: the network's own loss landscape, seen through a plane.
 *
 * NnLandscape trains the same initial weights with several optimizers, each in its own
 * NnTrainer built from a copy of the project with only the optimizer changed: the same
 * seed gives every run the same initial weights and (for all but GD, which takes the
 * full batch) the same mini-batch order. It records each run's whole parameter vector
 * after every step, step 0 being the initial weights. Memory: n_params × (max_steps + 1)
 * × n_runs doubles, allocated up front and capped at NN_LANDSCAPE_MAX_VALUES (128 MiB).
 *
 * A plane through parameter space is an origin θ0 and two directions d1, d2; the point
 * (α, β) of the plane is θ0 + α·d1 + β·d2 (nn_plane_lift). Three planes make sense (Li et
 * al. 2018, "Visualizing the Loss Landscape of Neural Nets"):
 *   PCA      the two principal directions of the recorded points θ_i − c, c being the
 *            final point of the first run (as the paper) or the mean of all points;
 *            orthonormal; `variance` gives the fraction of Σ‖θ_i − c‖² each explains;
 *   random   two seeded Gaussian directions, filter-normalised: each neuron's row of
 *            incoming weights in d is scaled to the norm of that neuron's row in θ0;
 *            biases are set to 0 in d (the paper's default) or, with `with_biases`, taken
 *            into each neuron's row; around the final weights;
 *   weights  two coordinates chosen by the user (layer, out, in; in == n_in names the
 *            bias of unit out), through the final weights.
 * Projecting a recorded point gives its (α, β) (least squares, so non-orthogonal
 * directions are fine), its distance from the plane and its true loss, so a contour is
 * never mistaken for the loss the optimizer saw.
 *
 * The loss everywhere is the full-batch training loss including the regularisation
 * penalty, i.e. the objective the optimizers minimise (the trainer's reported loss leaves
 * the penalty out; they agree when there is no regularisation).
 *
 * The loss grid over a plane is computed row by row, allocating nothing per point, with a
 * progress callback and a GCancellable; it resumes where a cancelled run stopped. An
 * NnLossEvaluator and an NnPlane are independent of the landscape, so a worker thread can
 * compute a grid with its own copies while the landscape lives elsewhere.
 */
#pragma once

#include <gio/gio.h>
#include "nn-network.h"
#include "nn-project.h"
#include "nn-race.h"
#include "nn-surface.h"
#include "nn-trainer.h"

G_BEGIN_DECLS

#define NN_LANDSCAPE_MAX_RUNS   8
#define NN_LANDSCAPE_MAX_VALUES ((gsize) 16 * 1024 * 1024) /* recorded doubles: 128 MiB */
#define NN_LOSS_GRID_MIN_RES    2
#define NN_LOSS_GRID_MAX_RES    1024
#define NN_LOSS_GRID_DEFAULT_RES 61

/* ---- The full-batch loss at any parameter vector -------------------------------------- */

typedef struct _NnLossEvaluator NnLossEvaluator;

/* The training set of the project (generated from its seed). */
NnLossEvaluator *nn_loss_evaluator_new          (const NnProject *project, GError **error);
/* The training set and loss of a trainer as they are now. */
NnLossEvaluator *nn_loss_evaluator_new_for_trainer (NnTrainer *trainer);
NnLossEvaluator *nn_loss_evaluator_copy         (const NnLossEvaluator *ev);
void             nn_loss_evaluator_free         (NnLossEvaluator *ev);
gsize            nn_loss_evaluator_get_n_params (const NnLossEvaluator *ev);
/* The network whose layout the parameter vectors follow (its parameters are scratch). */
const NnNetwork *nn_loss_evaluator_get_network  (const NnLossEvaluator *ev);
/* Mean loss over the training set plus the regularisation penalty. Never allocates. */
double           nn_loss_evaluator_eval         (NnLossEvaluator *ev, const double *params);

/* ---- Planes ------------------------------------------------------------------------- */

typedef enum
{
  NN_PLANE_PCA,
  NN_PLANE_RANDOM,
  NN_PLANE_WEIGHTS,
  NN_PLANE_CUSTOM,
} NnPlaneKind;

typedef enum
{
  NN_PCA_CENTER_FINAL, /* θ_final of the first run, as Li et al. */
  NN_PCA_CENTER_MEAN,
} NnPcaCenter;

typedef struct
{
  guint layer, out, in; /* in == the layer's n_in: the bias of unit `out` */
} NnWeightRef;

typedef struct
{
  NnPlaneKind kind;
  gsize       n_params;
  double     *origin;      /* θ0 */
  double     *d1, *d2;
  double      variance[2]; /* PCA: fraction of the points' variance along d1, d2; else NAN */
  gsize       index[2];    /* WEIGHTS: the two coordinates */
} NnPlane;

/* Rows of points, n_params doubles each. */
typedef struct
{
  const double *points;
  gsize         n_points;
} NnPointSet;

/* Any origin and two linearly independent directions (copied). */
NnPlane  *nn_plane_new         (const double *origin, const double *d1, const double *d2,
                                gsize n_params, GError **error);
/* PCA of the rows of `sets` about `center` (NULL: their mean), which is the origin.
 * Fails when the points do not span two dimensions. */
NnPlane  *nn_plane_new_pca     (const NnPointSet *sets, guint n_sets, gsize n_params,
                                const double *center, GError **error);
NnPlane  *nn_plane_new_random  (const NnNetwork *layout, const double *origin, guint32 seed,
                                gboolean with_biases);
NnPlane  *nn_plane_new_weights (const NnNetwork *layout, const double *origin,
                                const NnWeightRef *a, const NnWeightRef *b, GError **error);
NnPlane  *nn_plane_copy        (const NnPlane *plane);
void      nn_plane_free        (NnPlane *plane);

/* θ = θ0 + α·d1 + β·d2. */
void      nn_plane_lift        (const NnPlane *plane, double alpha, double beta, double *theta);
/* The (α, β) of the point of the plane nearest θ, and ‖θ − lift(α, β)‖ (each may be
 * NULL). */
void      nn_plane_project     (const NnPlane *plane, const double *theta, double *alpha,
                                double *beta, double *residual);
/* Fraction of Σ‖θ_i − θ0‖² over the points that lies in the plane (1 when it spans
 * them). */
double    nn_plane_explained   (const NnPlane *plane, const NnPointSet *sets, guint n_sets);
/* Flat index of a weight or bias; FALSE with an error when it does not exist. */
gboolean  nn_weight_ref_index  (const NnNetwork *layout, const NnWeightRef *ref, gsize *index,
                                GError **error);

/* ---- Loss grids ----------------------------------------------------------------------- */

typedef struct
{
  NnBox   box;        /* in (α, β) */
  guint   res;
  double *values;     /* res × res, as nn_surface_eval_grid: row 0 at β = box.y_max */
  guint   rows_done;
} NnLossGrid;

/* Called after each row; return FALSE to stop (the grid resumes from there). */
typedef gboolean (*NnGridProgress) (guint rows_done, guint rows_total, gpointer user_data);

NnLossGrid *nn_loss_grid_new      (const NnBox *box, guint res);
void        nn_loss_grid_free     (NnLossGrid *grid);
/* Computes one row. */
void        nn_loss_grid_compute_row (NnLossGrid *grid, NnLossEvaluator *ev,
                                      const NnPlane *plane, guint row);
/* Computes the rows not done yet. Returns FALSE with G_IO_ERROR_CANCELLED when cancelled
 * through `cancellable` or by the callback. */
gboolean    nn_loss_grid_compute  (NnLossGrid *grid, NnLossEvaluator *ev, const NnPlane *plane,
                                   NnGridProgress progress, gpointer user_data,
                                   GCancellable *cancellable, GError **error);

/* ---- The landscape: training runs and their records -------------------------------------- */

typedef struct
{
  double alpha, beta;
  double residual;    /* distance of the real point from the plane */
  double loss;        /* the true loss at the real point */
} NnProjectedPoint;

typedef struct _NnLandscape NnLandscape;

/* One run per optimizer configuration (1..NN_LANDSCAPE_MAX_RUNS), up to max_steps steps
 * each. Fails when the project is invalid or the record would exceed the cap. */
NnLandscape *nn_landscape_new          (const NnProject *project,
                                        const NnOptimizerConfig *optimizers, guint n_runs,
                                        guint max_steps, GError **error);
void         nn_landscape_free         (NnLandscape *ls);

guint        nn_landscape_get_n_runs   (const NnLandscape *ls);
gsize        nn_landscape_get_n_params (const NnLandscape *ls);
guint        nn_landscape_get_max_steps (const NnLandscape *ls);
const NnOptimizerConfig *nn_landscape_get_optimizer (const NnLandscape *ls, guint run);
/* The optimizer's name, "-2"… appended when two runs share it. */
const char  *nn_landscape_get_label    (const NnLandscape *ls, guint run);
NnTrainer   *nn_landscape_get_trainer  (NnLandscape *ls, guint run);
NnLossEvaluator *nn_landscape_get_evaluator (NnLandscape *ls);

/* One training step of every run still going, recorded; returns how many still go (a run
 * stops at max_steps or when it diverges, keeping its last finite point). */
guint        nn_landscape_step         (NnLandscape *ls);
guint        nn_landscape_run          (NnLandscape *ls, guint steps);
/* Recorded points of a run (steps taken + 1) and the parameters after step `step`. */
guint        nn_landscape_get_n_points (const NnLandscape *ls, guint run);
const double *nn_landscape_get_point   (const NnLandscape *ls, guint run, guint step);
gboolean     nn_landscape_run_diverged (const NnLandscape *ls, guint run);
/* Every run's recorded points, one set per run (for PCA and nn_plane_explained). */
void         nn_landscape_get_point_sets (const NnLandscape *ls, NnPointSet *sets);
/* The last recorded point of the first run: the centre of the planes. */
const double *nn_landscape_get_final   (const NnLandscape *ls);
/* The true loss at a recorded point (computed once, then remembered). */
double       nn_landscape_get_loss     (NnLandscape *ls, guint run, guint step);

NnPlane     *nn_landscape_plane_pca    (const NnLandscape *ls, NnPcaCenter center,
                                        GError **error);
NnPlane     *nn_landscape_plane_random (const NnLandscape *ls, guint32 seed,
                                        gboolean with_biases);
NnPlane     *nn_landscape_plane_weights (const NnLandscape *ls, const NnWeightRef *a,
                                         const NnWeightRef *b, GError **error);

/* (α, β), distance from the plane and true loss of every recorded point of a run. */
NnProjectedPoint *nn_landscape_project (NnLandscape *ls, const NnPlane *plane, guint run,
                                        guint *n);
/* A box covering every projected trajectory and the origin, grown by `margin` (a fraction
 * of its size, on each side). */
void         nn_landscape_suggest_box  (const NnLandscape *ls, const NnPlane *plane,
                                        double margin, NnBox *box);
/* The projected trajectories as CSV (optimizer,step,x,y,loss with x = α, y = β and the
 * true loss), as nn_race_to_csv. */
char        *nn_landscape_to_csv       (NnLandscape *ls, const NnPlane *plane, gsize *length);
gboolean     nn_landscape_save_csv     (NnLandscape *ls, const NnPlane *plane, const char *path,
                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnLossEvaluator, nn_loss_evaluator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnPlane, nn_plane_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnLossGrid, nn_loss_grid_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnLandscape, nn_landscape_free)

G_END_DECLS
