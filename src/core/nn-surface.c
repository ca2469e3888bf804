/* nn-surface.c: textbook functions and two-parameter models on data, with exact gradients. */
#include "nn-surface.h"
#include "nn-error.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_CRITICAL 8

struct _NnSurface
{
  gint            ref_count;
  NnSurfaceKind   kind;
  double          kappa;                      /* ravine */
  NnBox           box;
  double          start[2];
  NnCriticalPoint critical[MAX_CRITICAL];
  guint           n_critical;
  double          lr[NN_N_OPTIMIZERS];
  double          noise;

  /* Data surfaces: the samples as three parallel arrays. */
  guint           n;
  guint           batch_size;
  double         *x1;
  double         *x2;
  double         *t;                          /* 0/1 (logistic) or the target (line) */
};

typedef struct
{
  const char *name;
  const char *description;
  NnBox       box;
  double      start[2];
  double      lr[NN_N_OPTIMIZERS];           /* gd, sgd, momentum, rmsprop, adam */
  double      noise;
} SurfaceInfo;

/* Default learning rates: each converges from the default start, at or below the best
 * rate nn_race_sweep() finds there for 300 steps (the race should leave room to improve). */
static const SurfaceInfo surface_info[NN_N_SURFACES] = {
  [NN_SURFACE_BOWL] = {
    "bowl",
    N_("A round convex bowl, x² + y². Every optimizer reaches its one minimum; only the step "
       "size decides how fast."),
    { -3.0, 3.0, -3.0, 3.0 }, { -2.5, 2.0 }, { 0.1, 0.1, 0.05, 0.05, 0.1 }, 2.0 },
  [NN_SURFACE_RAVINE] = {
    "ravine",
    N_("A long, narrow valley, ½(x² + κy²): the walls are κ times steeper than the floor. Plain "
       "gradient descent zig-zags from wall to wall and crawls along the floor."),
    { -6.0, 6.0, -3.0, 3.0 }, { -5.0, 2.0 }, { 0, 0, 0, 0.05, 0.1 }, 1.0 },
  [NN_SURFACE_ROSENBROCK] = {
    "rosenbrock",
    N_("Rosenbrock's banana valley, (1 − x)² + 100(y − x²)². Falling into the valley is easy; "
       "following its curved floor to the minimum at (1, 1) is slow."),
    { -2.0, 2.0, -1.0, 3.0 }, { -1.5, 2.0 }, { 0.0015, 0.0015, 0.001, 0.02, 0.1 }, 10.0 },
  [NN_SURFACE_BEALE] = {
    "beale",
    N_("Beale's function: flat plateaus and steep walls around the minimum at (3, 0.5). The "
       "gradient's size changes by orders of magnitude from place to place."),
    { -4.5, 4.5, -4.5, 4.5 }, { 1.0, 1.5 }, { 0.01, 0.01, 0.002, 0.05, 0.1 }, 5.0 },
  [NN_SURFACE_HIMMELBLAU] = {
    "himmelblau",
    N_("Himmelblau's function has four minima of equal depth: which one an optimizer reaches "
       "depends on where it starts and on how it moves."),
    { -5.0, 5.0, -5.0, 5.0 }, { 0.0, 0.0 }, { 0.01, 0.01, 0.004, 0.05, 0.1 }, 10.0 },
  [NN_SURFACE_SADDLE] = {
    "saddle",
    N_("A saddle, x² − y²: uphill along x, downhill along y, without a minimum. Near the saddle "
       "point the gradient almost vanishes, so optimizers slow down before they slide off."),
    { -2.0, 2.0, -2.0, 2.0 }, { -1.8, 0.05 }, { 0.05, 0.05, 0.01, 0.02, 0.05 }, 1.0 },
  [NN_SURFACE_TWO_MINIMA] = {
    "two_minima",
    N_("A tilted double well, (x² − 1)² + 0.5x + y²: a shallow local minimum on the right and "
       "the global one on the left, behind a ridge. Plain descent stays in the first valley it "
       "finds; momentum or noise can carry it over the ridge."),
    { -2.0, 2.0, -2.0, 2.0 }, { 1.8, 1.5 }, { 0.02, 0.03, 0.02, 0.02, 0.05 }, 6.0 },
  [NN_SURFACE_LOGISTIC] = {
    "logistic",
    N_("Logistic regression through the origin on your training data: p = σ(w1·x1 + w2·x2), "
       "mean cross-entropy. It has exactly two parameters, so this is the true loss surface, "
       "and SGD's noise comes from real mini-batches."),
    { -4.0, 4.0, -4.0, 4.0 }, { -3.0, 3.0 }, { 0 }, 0.0 },
  [NN_SURFACE_LINE] = {
    "line",
    N_("One neuron y = w·x1 + b fitted to your training data by mean squared error. It has "
       "exactly two parameters, so this is the true loss surface, and SGD's noise comes from "
       "real mini-batches."),
    { -4.0, 4.0, -4.0, 4.0 }, { -3.0, 3.0 }, { 0 }, 0.0 },
};

const char *
nn_surface_kind_to_string (NnSurfaceKind kind)
{
  g_return_val_if_fail (kind < NN_N_SURFACES, NULL);
  return surface_info[kind].name;
}

gboolean
nn_surface_kind_from_string (const char *s, NnSurfaceKind *out)
{
  for (guint k = 0; s != NULL && k < NN_N_SURFACES; k++)
    if (strcmp (s, surface_info[k].name) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

gboolean
nn_surface_kind_is_data (NnSurfaceKind kind)
{
  return kind == NN_SURFACE_LOGISTIC || kind == NN_SURFACE_LINE;
}

static void
add_critical (NnSurface *s, double x, double y, NnCriticalKind kind)
{
  g_assert (s->n_critical < MAX_CRITICAL);
  s->critical[s->n_critical++] = (NnCriticalPoint) { x, y, nn_surface_value (s, x, y), kind };
}

/* A root of 4x³ − 4x + a near x0: the critical points of the tilted double well. */
static double
double_well_root (double a, double x0)
{
  double x = x0;

  for (guint i = 0; i < 50; i++)
    {
      double f = 4.0 * x * x * x - 4.0 * x + a;
      double df = 12.0 * x * x - 4.0;
      double dx = f / df;
      x -= dx;
      if (fabs (dx) < 1e-17)
        break;
    }
  return x;
}

#define TWO_MINIMA_TILT 0.5

static void
add_textbook_critical_points (NnSurface *s)
{
  switch (s->kind)
    {
    case NN_SURFACE_BOWL:
    case NN_SURFACE_RAVINE:
      add_critical (s, 0.0, 0.0, NN_CRITICAL_GLOBAL_MINIMUM);
      break;
    case NN_SURFACE_ROSENBROCK:
      add_critical (s, 1.0, 1.0, NN_CRITICAL_GLOBAL_MINIMUM);
      break;
    case NN_SURFACE_BEALE:
      add_critical (s, 3.0, 0.5, NN_CRITICAL_GLOBAL_MINIMUM);
      break;
    case NN_SURFACE_HIMMELBLAU:
      add_critical (s, 3.0, 2.0, NN_CRITICAL_GLOBAL_MINIMUM);
      add_critical (s, -2.805118086952745, 3.131312518250573, NN_CRITICAL_GLOBAL_MINIMUM);
      add_critical (s, -3.779310253377747, -3.283185991286170, NN_CRITICAL_GLOBAL_MINIMUM);
      add_critical (s, 3.584428340330492, -1.848126526964404, NN_CRITICAL_GLOBAL_MINIMUM);
      break;
    case NN_SURFACE_SADDLE:
      add_critical (s, 0.0, 0.0, NN_CRITICAL_SADDLE);
      break;
    case NN_SURFACE_TWO_MINIMA:
      add_critical (s, double_well_root (TWO_MINIMA_TILT, -1.0), 0.0, NN_CRITICAL_GLOBAL_MINIMUM);
      add_critical (s, double_well_root (TWO_MINIMA_TILT, 1.0), 0.0, NN_CRITICAL_LOCAL_MINIMUM);
      add_critical (s, double_well_root (TWO_MINIMA_TILT, 0.0), 0.0, NN_CRITICAL_SADDLE);
      break;
    case NN_SURFACE_LOGISTIC:
    case NN_SURFACE_LINE:
    case NN_N_SURFACES:
    default:
      g_assert_not_reached ();
    }
}

static NnSurface *
surface_alloc (NnSurfaceKind kind)
{
  const SurfaceInfo *info = &surface_info[kind];
  NnSurface *s = g_new0 (NnSurface, 1);

  s->ref_count = 1;
  s->kind = kind;
  s->kappa = 1.0;
  s->box = info->box;
  s->start[0] = info->start[0];
  s->start[1] = info->start[1];
  memcpy (s->lr, info->lr, sizeof s->lr);
  s->noise = info->noise;
  return s;
}

static NnSurface *
textbook_new (NnSurfaceKind kind, double kappa)
{
  NnSurface *s = surface_alloc (kind);

  if (kind == NN_SURFACE_RAVINE)
    {
      /* Step sizes for the steep direction: GD's factor across the valley is 1 − ηκ = −0.8,
       * a visible zig-zag that still converges; Momentum stays below its limit 2(1+μ)/κ. */
      s->kappa = kappa;
      s->lr[NN_OPTIMIZER_GD] = s->lr[NN_OPTIMIZER_SGD] = 1.8 / kappa;
      s->lr[NN_OPTIMIZER_MOMENTUM] = 0.5 / kappa;
    }
  add_textbook_critical_points (s);
  return s;
}

NnSurface *
nn_surface_new (NnSurfaceKind kind)
{
  g_return_val_if_fail (kind < NN_N_TEXTBOOK_SURFACES, NULL);
  return textbook_new (kind, NN_RAVINE_DEFAULT_KAPPA);
}

NnSurface *
nn_surface_new_ravine (double kappa, GError **error)
{
  if (!(kappa >= 1.0 && kappa <= NN_RAVINE_MAX_KAPPA))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   "ravine: the condition number %g is out of range (1–%g)", kappa,
                   NN_RAVINE_MAX_KAPPA);
      return NULL;
    }
  return textbook_new (NN_SURFACE_RAVINE, kappa);
}

NnSurface *
nn_surface_new_from_name (const char *name, GError **error)
{
  NnSurfaceKind kind;

  if (!nn_surface_kind_from_string (name, &kind))
    {
      g_autoptr (GString) names = g_string_new (NULL);
      for (guint k = 0; k < NN_N_SURFACES; k++)
        g_string_append_printf (names, "%s%s", k ? ", " : "", surface_info[k].name);
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID, "unknown surface “%s” (one of %s)",
                   name ? name : "", names->str);
      return NULL;
    }
  if (nn_surface_kind_is_data (kind))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   "the surface “%s” is a model fitted to data: it needs a project", name);
      return NULL;
    }
  return nn_surface_new (kind);
}

NnSurface *
nn_surface_ref (NnSurface *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_atomic_int_inc (&s->ref_count);
  return s;
}

void
nn_surface_unref (NnSurface *s)
{
  if (s == NULL || !g_atomic_int_dec_and_test (&s->ref_count))
    return;
  g_free (s->x1);
  g_free (s->x2);
  g_free (s->t);
  g_free (s);
}

NnSurfaceKind
nn_surface_get_kind (const NnSurface *s)
{
  return s->kind;
}

const char *
nn_surface_get_name (const NnSurface *s)
{
  return surface_info[s->kind].name;
}

const char *
nn_surface_get_description (const NnSurface *s)
{
  return surface_info[s->kind].description;
}

void
nn_surface_get_axis_names (const NnSurface *s, const char **x, const char **y)
{
  gboolean line = s->kind == NN_SURFACE_LINE, logistic = s->kind == NN_SURFACE_LOGISTIC;

  if (x != NULL)
    *x = line ? "w" : logistic ? "w1" : "x";
  if (y != NULL)
    *y = line ? "b" : logistic ? "w2" : "y";
}

double
nn_surface_get_condition_number (const NnSurface *s)
{
  return s->kappa;
}

void
nn_surface_get_view_box (const NnSurface *s, NnBox *box)
{
  *box = s->box;
}

void
nn_surface_get_start (const NnSurface *s, double *x, double *y)
{
  *x = s->start[0];
  *y = s->start[1];
}

const NnCriticalPoint *
nn_surface_get_critical_points (const NnSurface *s, guint *n)
{
  *n = s->n_critical;
  return s->critical;
}

gint
nn_surface_nearest_minimum (const NnSurface *s, double x, double y, double *distance)
{
  gint best = -1;
  double best_d = INFINITY;

  for (guint i = 0; i < s->n_critical; i++)
    {
      const NnCriticalPoint *c = &s->critical[i];
      double d = hypot (x - c->x, y - c->y);
      if (c->kind != NN_CRITICAL_SADDLE && d < best_d)
        {
          best = (gint) i;
          best_d = d;
        }
    }
  if (distance != NULL)
    *distance = best < 0 ? NAN : best_d;
  return best;
}

double
nn_surface_get_min_value (const NnSurface *s)
{
  double best = NAN;

  for (guint i = 0; i < s->n_critical; i++)
    if (s->critical[i].kind != NN_CRITICAL_SADDLE && !(s->critical[i].value >= best))
      best = s->critical[i].value;
  return best;
}

double
nn_surface_get_default_learning_rate (const NnSurface *s, NnOptimizerKind kind)
{
  g_return_val_if_fail (kind < NN_N_OPTIMIZERS, 0.01);
  return s->lr[kind];
}

double
nn_surface_get_default_noise (const NnSurface *s)
{
  return s->noise;
}

/* Value and (when g is not NULL) gradient of a closed-form surface. */
static double
textbook_eval (const NnSurface *s, double x, double y, double *g)
{
  double f, gx, gy;

  switch (s->kind)
    {
    case NN_SURFACE_BOWL:
      f = x * x + y * y;
      gx = 2.0 * x;
      gy = 2.0 * y;
      break;
    case NN_SURFACE_RAVINE:
      f = 0.5 * (x * x + s->kappa * y * y);
      gx = x;
      gy = s->kappa * y;
      break;
    case NN_SURFACE_ROSENBROCK:
      {
        double a = 1.0 - x, b = y - x * x;
        f = a * a + 100.0 * b * b;
        gx = -2.0 * a - 400.0 * x * b;
        gy = 200.0 * b;
      }
      break;
    case NN_SURFACE_BEALE:
      {
        double y2 = y * y, y3 = y2 * y;
        double a1 = 1.5 - x + x * y, a2 = 2.25 - x + x * y2, a3 = 2.625 - x + x * y3;
        f = a1 * a1 + a2 * a2 + a3 * a3;
        gx = 2.0 * (a1 * (y - 1.0) + a2 * (y2 - 1.0) + a3 * (y3 - 1.0));
        gy = 2.0 * x * (a1 + 2.0 * a2 * y + 3.0 * a3 * y2);
      }
      break;
    case NN_SURFACE_HIMMELBLAU:
      {
        double a = x * x + y - 11.0, b = x + y * y - 7.0;
        f = a * a + b * b;
        gx = 4.0 * x * a + 2.0 * b;
        gy = 2.0 * a + 4.0 * y * b;
      }
      break;
    case NN_SURFACE_SADDLE:
      f = x * x - y * y;
      gx = 2.0 * x;
      gy = -2.0 * y;
      break;
    case NN_SURFACE_TWO_MINIMA:
      {
        double a = x * x - 1.0;
        f = a * a + TWO_MINIMA_TILT * x + y * y;
        gx = 4.0 * x * a + TWO_MINIMA_TILT;
        gy = 2.0 * y;
      }
      break;
    case NN_SURFACE_LOGISTIC:
    case NN_SURFACE_LINE:
    case NN_N_SURFACES:
    default:
      g_assert_not_reached ();
    }
  if (g != NULL)
    {
      g[0] = gx;
      g[1] = gy;
    }
  return f;
}

/* log(1 + e^z) without overflow. */
static inline double
softplus (double z)
{
  return fmax (z, 0.0) + log1p (exp (-fabs (z)));
}

static inline double
sigmoid (double z)
{
  if (z >= 0.0)
    return 1.0 / (1.0 + exp (-z));
  double e = exp (z);
  return e / (1.0 + e);
}

/* Mean loss and gradient over the samples `indices` (all of them when NULL). */
static double
data_eval (const NnSurface *s, double w1, double w2, const guint *indices, guint n, double *g)
{
  double sum = 0.0, g1 = 0.0, g2 = 0.0;

  if (n == 0)
    {
      if (g != NULL)
        g[0] = g[1] = 0.0;
      return NAN;
    }
  for (guint k = 0; k < n; k++)
    {
      guint i = indices ? indices[k] : k;
      double x1 = s->x1[i], t = s->t[i];
      if (s->kind == NN_SURFACE_LOGISTIC)
        {
          /* Fused σ + binary cross-entropy: softplus(z) − t·z, d/dz = σ(z) − t. */
          double z = w1 * x1 + w2 * s->x2[i];
          double dz = sigmoid (z) - t;
          sum += softplus (z) - t * z;
          g1 += dz * x1;
          g2 += dz * s->x2[i];
        }
      else
        {
          double r = w1 * x1 + w2 - t;
          sum += r * r;
          g1 += 2.0 * r * x1;
          g2 += 2.0 * r;
        }
    }
  if (g != NULL)
    {
      g[0] = g1 / n;
      g[1] = g2 / n;
    }
  return sum / n;
}

double
nn_surface_value (const NnSurface *s, double x, double y)
{
  if (nn_surface_kind_is_data (s->kind))
    return data_eval (s, x, y, NULL, s->n, NULL);
  return textbook_eval (s, x, y, NULL);
}

double
nn_surface_gradient (const NnSurface *s, double x, double y, double *g)
{
  if (nn_surface_kind_is_data (s->kind))
    return data_eval (s, x, y, NULL, s->n, g);
  return textbook_eval (s, x, y, g);
}

guint
nn_surface_get_n_samples (const NnSurface *s)
{
  return s->n;
}

guint
nn_surface_get_batch_size (const NnSurface *s)
{
  return s->batch_size;
}

double
nn_surface_batch_gradient (const NnSurface *s, double x, double y, const guint *indices,
                           guint n, double *g)
{
  if (nn_surface_kind_is_data (s->kind))
    {
      for (guint k = 0; k < n; k++)
        g_return_val_if_fail (indices[k] < s->n, NAN);
      return data_eval (s, x, y, indices, n, g);
    }
  return textbook_eval (s, x, y, g);
}

void
nn_surface_eval_grid (const NnSurface *s, const NnBox *box, guint res, double *values)
{
  g_return_if_fail (res >= 2);
  for (guint row = 0; row < res; row++)
    {
      double y = nn_box_node_y (box, res, row);
      for (guint col = 0; col < res; col++)
        values[(gsize) row * res + col] = nn_surface_value (s, nn_box_node_x (box, res, col), y);
    }
}

/* ---- Data surfaces ---------------------------------------------------------------- */

/* Largest eigenvalue of the symmetric 2 × 2 matrix [a b; b c]. */
static double
sym2_max_eigenvalue (double a, double b, double c)
{
  return 0.5 * (a + c) + sqrt (0.25 * (a - c) * (a - c) + b * b);
}

/* Exact least squares for the line; FALSE when x1 does not vary (a valley of minima). */
static gboolean
line_minimum (const NnSurface *s, double *w)
{
  double mx = 0.0, mt = 0.0, sxx = 0.0, sxt = 0.0;

  for (guint i = 0; i < s->n; i++)
    {
      mx += s->x1[i];
      mt += s->t[i];
    }
  mx /= s->n;
  mt /= s->n;
  for (guint i = 0; i < s->n; i++)
    {
      sxx += (s->x1[i] - mx) * (s->x1[i] - mx);
      sxt += (s->x1[i] - mx) * (s->t[i] - mt);
    }
  if (sxx <= 1e-12 * s->n)
    return FALSE;
  w[0] = sxt / sxx;
  w[1] = mt - w[0] * mx;
  return TRUE;
}

/* Damped Newton on the (convex) cross-entropy; FALSE when it runs off to infinity, which
 * is what it does on linearly separable data. */
static gboolean
logistic_minimum (const NnSurface *s, double *w)
{
  double f = data_eval (s, 0.0, 0.0, NULL, s->n, NULL);

  w[0] = w[1] = 0.0;
  for (guint iter = 0; iter < 200; iter++)
    {
      double g[2], h11 = 0.0, h12 = 0.0, h22 = 0.0;
      data_eval (s, w[0], w[1], NULL, s->n, g);
      if (g[0] == 0.0 && g[1] == 0.0)
        return TRUE;
      for (guint i = 0; i < s->n; i++)
        {
          double p = sigmoid (w[0] * s->x1[i] + w[1] * s->x2[i]), c = p * (1.0 - p) / s->n;
          h11 += c * s->x1[i] * s->x1[i];
          h12 += c * s->x1[i] * s->x2[i];
          h22 += c * s->x2[i] * s->x2[i];
        }
      double det = h11 * h22 - h12 * h12;
      if (!(det > 0.0))
        return FALSE;
      double d0 = (h22 * g[0] - h12 * g[1]) / det, d1 = (h11 * g[1] - h12 * g[0]) / det;
      double step = 1.0, f_new = f;
      /* Converged when the Newton step itself is negligible. A small gradient is not
       * enough: on separable data it fades as |w| grows while the step does not. */
      if (hypot (d0, d1) <= 1e-12 * (1.0 + hypot (w[0], w[1])))
        {
          w[0] -= d0;
          w[1] -= d1;
          return TRUE;
        }
      for (guint k = 0; k < 40; k++, step *= 0.5)
        {
          f_new = data_eval (s, w[0] - step * d0, w[1] - step * d1, NULL, s->n, NULL);
          if (f_new <= f)
            break;
        }
      w[0] -= step * d0;
      w[1] -= step * d1;
      f = f_new;
      if (hypot (w[0], w[1]) > 1e4)
        return FALSE;
    }
  return FALSE;
}

/* Minimum, view box, start and learning rates of a data surface. */
static void
data_setup (NnSurface *s)
{
  double w[2], a = 0.0, b = 0.0, c = 0.0, lipschitz, half;
  gboolean found;

  found = s->kind == NN_SURFACE_LOGISTIC ? logistic_minimum (s, w) : line_minimum (s, w);
  if (found)
    {
      add_critical (s, w[0], w[1], NN_CRITICAL_GLOBAL_MINIMUM);
      /* Centred on the minimum, wide enough to show the origin too. */
      half = MAX (1.0, 1.5 * MAX (fabs (w[0]), fabs (w[1])));
      s->box = (NnBox) { w[0] - half, w[0] + half, w[1] - half, w[1] + half };
      s->start[0] = w[0] - 0.7 * half;
      s->start[1] = w[1] + 0.7 * half;
    }
  else
    half = 0.5 * (s->box.x_max - s->box.x_min);

  /* The largest curvature anywhere bounds the stable step size of GD (η < 2/L):
   * the Hessian is 2·E[(x,1)(x,1)ᵀ] for the line and at most ¼·E[x xᵀ] for the logistic. */
  for (guint i = 0; i < s->n; i++)
    {
      double u = s->x1[i], v = s->kind == NN_SURFACE_LOGISTIC ? s->x2[i] : 1.0;
      a += u * u;
      b += u * v;
      c += v * v;
    }
  lipschitz = sym2_max_eigenvalue (a, b, c) / s->n * (s->kind == NN_SURFACE_LOGISTIC ? 0.25 : 2.0);
  lipschitz = MAX (lipschitz, 1e-12);
  s->lr[NN_OPTIMIZER_GD] = 1.0 / lipschitz;
  s->lr[NN_OPTIMIZER_SGD] = 0.5 / lipschitz;
  s->lr[NN_OPTIMIZER_MOMENTUM] = 0.1 / lipschitz;
  s->lr[NN_OPTIMIZER_RMSPROP] = 0.01 * half;
  s->lr[NN_OPTIMIZER_ADAM] = 0.02 * half;
}

NnSurface *
nn_surface_new_for_data (NnSurfaceKind kind, NnProblem problem, const NnPoint *points, guint n,
                         guint batch_size, GError **error)
{
  g_autoptr (NnSurface) s = NULL;
  const char *name;

  g_return_val_if_fail (nn_surface_kind_is_data (kind), NULL);
  name = surface_info[kind].name;
  if (n < NN_MIN_POINTS)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE, "%s: needs at least %d training points, got %u",
                   name, NN_MIN_POINTS, n);
      return NULL;
    }
  if (kind == NN_SURFACE_LOGISTIC && problem != NN_PROBLEM_CLASSIFICATION)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                   "logistic: needs a classification problem with two classes");
      return NULL;
    }

  s = surface_alloc (kind);
  s->n = n;
  s->batch_size = CLAMP (batch_size, 1, n);
  s->x1 = g_new (double, n);
  s->x2 = g_new (double, n);
  s->t = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      double y = points[i].y;
      s->x1[i] = points[i].x1;
      s->x2[i] = points[i].x2;
      if (!isfinite (points[i].x1) || !isfinite (points[i].x2) || !isfinite (y))
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID, "%s: point %u is not finite", name, i);
          return NULL;
        }
      if (problem == NN_PROBLEM_REGRESSION)
        s->t[i] = y;
      else if (y == 0.0 || y == 1.0)
        s->t[i] = kind == NN_SURFACE_LOGISTIC ? y : 2.0 * y - 1.0;
      else
        {
          g_set_error (error, NN_ERROR, NN_ERROR_UNSUPPORTED,
                       "%s: needs two classes, but point %u has class %g", name, i, y);
          return NULL;
        }
    }
  data_setup (s);
  return g_steal_pointer (&s);
}

NnSurface *
nn_surface_new_for_project (NnSurfaceKind kind, const NnProject *project, GError **error)
{
  g_autoptr (NnDataset) ds = NULL;

  g_return_val_if_fail (nn_surface_kind_is_data (kind), NULL);
  ds = nn_dataset_new_from_spec (&project->dataset, project->seed, project->base_dir, error);
  if (ds == NULL)
    return NULL;
  return nn_surface_new_for_data (kind, ds->problem, ds->train, ds->n_train, project->batch_size,
                                  error);
}
