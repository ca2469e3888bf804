/* nn-landscape.c: recorded training runs, planes through parameter space, loss grids. */
#include "nn-landscape.h"
#include "nn-error.h"
#include "nn-features.h"
#include "nn-loss.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define EVAL_CHUNK 256

/* ---- NnLossEvaluator ----------------------------------------------------------------- */

struct _NnLossEvaluator
{
  NnNetwork       *net;     /* its params are the point being evaluated */
  NnLoss           loss;
  NnRegularization reg;
  double           rate;
  guint            n;       /* training samples */
  /* The training set in chunks of EVAL_CHUNK samples, each chunk feature-major with its
   * own stride (the chunk's size), as nn_network_forward wants it: the chunk starting at
   * sample s is at x + s·n_in and target + s·n_out. */
  double          *x;
  double          *target;
};

NnLossEvaluator *
nn_loss_evaluator_new_for_trainer (NnTrainer *trainer)
{
  const NnProject *p = nn_trainer_get_project (trainer);
  const NnDataset *ds = nn_trainer_get_dataset (trainer);
  const NnNetwork *tn = nn_trainer_get_network (trainer);
  guint n_in = tn->arch.n_inputs, n_out = tn->arch.n_outputs;
  NnLossEvaluator *ev = g_new0 (NnLossEvaluator, 1);
  double code[NN_MAX_UNITS];

  ev->net = nn_network_new (&tn->arch, EVAL_CHUNK, NULL);
  memcpy (ev->net->params, tn->params, tn->n_params * sizeof (double));
  ev->loss = p->loss;
  ev->reg = p->regularization;
  ev->rate = p->regularization_rate;
  ev->n = ds->n_train;
  ev->x = g_new (double, (gsize) n_in * MAX (ev->n, 1));
  ev->target = g_new (double, (gsize) n_out * MAX (ev->n, 1));

  for (guint start = 0; start < ev->n; start += EVAL_CHUNK)
    {
      guint count = MIN (EVAL_CHUNK, ev->n - start);
      const NnPoint *pts = ds->train + start;
      double *t = ev->target + (gsize) start * n_out;
      nn_features_expand (p->features, &pts[0].x1, &pts[0].x2, 3, count,
                          ev->x + (gsize) start * n_in, count);
      for (guint b = 0; b < count; b++)
        {
          nn_trainer_encode_target (trainer, pts[b].y, code);
          for (guint k = 0; k < n_out; k++)
            t[(gsize) k * count + b] = code[k];
        }
    }
  return ev;
}

NnLossEvaluator *
nn_loss_evaluator_new (const NnProject *project, GError **error)
{
  NnTrainer *t = nn_trainer_new (project, error);
  NnLossEvaluator *ev;

  if (t == NULL)
    return NULL;
  ev = nn_loss_evaluator_new_for_trainer (t);
  nn_trainer_free (t);
  return ev;
}

NnLossEvaluator *
nn_loss_evaluator_copy (const NnLossEvaluator *src)
{
  NnLossEvaluator *ev = g_memdup2 (src, sizeof *src);
  guint n_in = src->net->arch.n_inputs, n_out = src->net->arch.n_outputs;

  ev->net = nn_network_copy (src->net);
  ev->x = g_memdup2 (src->x, (gsize) n_in * MAX (src->n, 1) * sizeof (double));
  ev->target = g_memdup2 (src->target, (gsize) n_out * MAX (src->n, 1) * sizeof (double));
  return ev;
}

void
nn_loss_evaluator_free (NnLossEvaluator *ev)
{
  if (ev == NULL)
    return;
  nn_network_free (ev->net);
  g_free (ev->x);
  g_free (ev->target);
  g_free (ev);
}

gsize
nn_loss_evaluator_get_n_params (const NnLossEvaluator *ev)
{
  return ev->net->n_params;
}

const NnNetwork *
nn_loss_evaluator_get_network (const NnLossEvaluator *ev)
{
  return ev->net;
}

/* rate·Σ|w| or rate/2·Σw² over the weights (never the biases), as the trainer's. */
static double
penalty (const NnLossEvaluator *ev)
{
  const NnNetwork *net = ev->net;
  double sum = 0.0;

  if (ev->reg == NN_REGULARIZATION_NONE || ev->rate == 0.0)
    return 0.0;
  for (guint l = 0; l < net->n_layers; l++)
    {
      const double *w = net->params + net->layers[l].w_offset;
      gsize n = (gsize) net->layers[l].n_out * net->layers[l].n_in;
      for (gsize i = 0; i < n; i++)
        sum += ev->reg == NN_REGULARIZATION_L1 ? fabs (w[i]) : 0.5 * w[i] * w[i];
    }
  return ev->rate * sum;
}

double
nn_loss_evaluator_eval (NnLossEvaluator *ev, const double *params)
{
  NnNetwork *net = ev->net;
  guint last = net->n_layers - 1;
  const NnLayer *out = &net->layers[last];
  guint n_in = net->arch.n_inputs, n_out = net->arch.n_outputs;
  double sum = 0.0;

  if (ev->n == 0)
    return NAN;
  if (params != net->params)
    memcpy (net->params, params, net->n_params * sizeof (double));
  for (guint start = 0; start < ev->n; start += EVAL_CHUNK)
    {
      guint count = MIN (EVAL_CHUNK, ev->n - start);
      nn_network_forward (net, ev->x + (gsize) start * n_in, count);
      sum += nn_loss_evaluate (ev->loss, out->activation, out->alpha, net->u[last], net->z[last],
                               ev->target + (gsize) start * n_out, n_out, count, ev->n, NULL);
    }
  return sum + penalty (ev);
}

/* ---- Small dense linear algebra -------------------------------------------------------- */

static double
dot (const double *a, const double *b, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

static void
axpy (double a, const double *x, double *y, gsize n)
{
  for (gsize i = 0; i < n; i++)
    y[i] += a * x[i];
}

static double
gaussian (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand), v = g_rand_double (rand);
  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* Eigenvalues (descending) and eigenvectors (columns of s, row-major k × k) of the
 * symmetric k × k matrix h, by cyclic Jacobi rotations; h is destroyed. */
static void
jacobi_eigen (double *h, guint k, double *lambda, double *s)
{
  for (guint i = 0; i < k; i++)
    for (guint j = 0; j < k; j++)
      s[i * k + j] = i == j;

  for (guint sweep = 0; sweep < 100; sweep++)
    {
      double off = 0.0, diag = 0.0;
      for (guint i = 0; i < k; i++)
        {
          diag += h[i * k + i] * h[i * k + i];
          for (guint j = i + 1; j < k; j++)
            off += h[i * k + j] * h[i * k + j];
        }
      if (off <= 1e-32 * diag || off == 0.0)
        break;
      for (guint p = 0; p < k; p++)
        for (guint q = p + 1; q < k; q++)
          {
            double hpq = h[p * k + q];
            if (hpq == 0.0)
              continue;
            /* The rotation that zeroes h[p][q] (Golub & Van Loan, the symmetric Schur). */
            double theta = (h[q * k + q] - h[p * k + p]) / (2.0 * hpq);
            double t = (theta >= 0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta + 1.0));
            double c = 1.0 / sqrt (t * t + 1.0), sn = t * c;
            for (guint r = 0; r < k; r++)
              {
                double hrp = h[r * k + p], hrq = h[r * k + q];
                h[r * k + p] = c * hrp - sn * hrq;
                h[r * k + q] = sn * hrp + c * hrq;
              }
            for (guint r = 0; r < k; r++)
              {
                double hpr = h[p * k + r], hqr = h[q * k + r];
                h[p * k + r] = c * hpr - sn * hqr;
                h[q * k + r] = sn * hpr + c * hqr;
              }
            for (guint r = 0; r < k; r++)
              {
                double srp = s[r * k + p], srq = s[r * k + q];
                s[r * k + p] = c * srp - sn * srq;
                s[r * k + q] = sn * srp + c * srq;
              }
          }
    }

  /* Sort by eigenvalue, largest first (selection sort: k is tiny). */
  for (guint i = 0; i < k; i++)
    lambda[i] = h[i * k + i];
  for (guint i = 0; i < k; i++)
    {
      guint best = i;
      for (guint j = i + 1; j < k; j++)
        if (lambda[j] > lambda[best])
          best = j;
      if (best == i)
        continue;
      double tmp = lambda[i];
      lambda[i] = lambda[best];
      lambda[best] = tmp;
      for (guint r = 0; r < k; r++)
        {
          tmp = s[r * k + i];
          s[r * k + i] = s[r * k + best];
          s[r * k + best] = tmp;
        }
    }
}

/* Orthonormalises the k columns v[j] (n each) in place by modified Gram–Schmidt, twice;
 * a column that vanishes (the span has fewer dimensions) becomes a random one. */
static void
orthonormalise (double **v, guint k, gsize n, GRand *rand)
{
  for (guint j = 0; j < k; j++)
    {
      double before = sqrt (dot (v[j], v[j], n)), after;
      for (guint attempt = 0;; attempt++)
        {
          for (guint pass = 0; pass < 2; pass++)
            for (guint i = 0; i < j; i++)
              axpy (-dot (v[i], v[j], n), v[i], v[j], n);
          after = sqrt (dot (v[j], v[j], n));
          if (after > 1e-10 * before && after > 0.0)
            break;
          g_assert (attempt < 10);
          for (gsize i = 0; i < n; i++)
            v[j][i] = gaussian (rand);
          before = sqrt (dot (v[j], v[j], n));
        }
      for (gsize i = 0; i < n; i++)
        v[j][i] /= after;
    }
}

/* ---- Planes ---------------------------------------------------------------------------- */

static NnPlane *
plane_alloc (NnPlaneKind kind, gsize n)
{
  NnPlane *plane = g_new0 (NnPlane, 1);

  plane->kind = kind;
  plane->n_params = n;
  plane->origin = g_new0 (double, MAX (n, 1));
  plane->d1 = g_new0 (double, MAX (n, 1));
  plane->d2 = g_new0 (double, MAX (n, 1));
  plane->variance[0] = plane->variance[1] = NAN;
  return plane;
}

void
nn_plane_free (NnPlane *plane)
{
  if (plane == NULL)
    return;
  g_free (plane->origin);
  g_free (plane->d1);
  g_free (plane->d2);
  g_free (plane);
}

NnPlane *
nn_plane_copy (const NnPlane *src)
{
  NnPlane *plane = plane_alloc (src->kind, src->n_params);

  memcpy (plane->origin, src->origin, src->n_params * sizeof (double));
  memcpy (plane->d1, src->d1, src->n_params * sizeof (double));
  memcpy (plane->d2, src->d2, src->n_params * sizeof (double));
  plane->variance[0] = src->variance[0];
  plane->variance[1] = src->variance[1];
  plane->index[0] = src->index[0];
  plane->index[1] = src->index[1];
  return plane;
}

/* Whether d1 and d2 span two dimensions: sin² of their angle above 1e-12. */
static gboolean
independent (const double *d1, const double *d2, gsize n)
{
  double g11 = dot (d1, d1, n), g22 = dot (d2, d2, n), g12 = dot (d1, d2, n);
  return g11 > 0.0 && g22 > 0.0 && (g11 * g22 - g12 * g12) > 1e-12 * g11 * g22;
}

NnPlane *
nn_plane_new (const double *origin, const double *d1, const double *d2, gsize n, GError **error)
{
  NnPlane *plane;

  if (!independent (d1, d2, n))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("plane: the two directions are zero or parallel"));
      return NULL;
    }
  plane = plane_alloc (NN_PLANE_CUSTOM, n);
  memcpy (plane->origin, origin, n * sizeof (double));
  memcpy (plane->d1, d1, n * sizeof (double));
  memcpy (plane->d2, d2, n * sizeof (double));
  return plane;
}

void
nn_plane_lift (const NnPlane *plane, double alpha, double beta, double *theta)
{
  const double *o = plane->origin, *d1 = plane->d1, *d2 = plane->d2;

  for (gsize i = 0; i < plane->n_params; i++)
    theta[i] = o[i] + alpha * d1[i] + beta * d2[i];
}

void
nn_plane_project (const NnPlane *plane, const double *theta, double *alpha, double *beta,
                  double *residual)
{
  const double *o = plane->origin, *d1 = plane->d1, *d2 = plane->d2;
  gsize n = plane->n_params;
  double g11 = 0.0, g12 = 0.0, g22 = 0.0, b1 = 0.0, b2 = 0.0, det, a, b;

  for (gsize i = 0; i < n; i++)
    {
      double v = theta[i] - o[i];
      g11 += d1[i] * d1[i];
      g12 += d1[i] * d2[i];
      g22 += d2[i] * d2[i];
      b1 += d1[i] * v;
      b2 += d2[i] * v;
    }
  /* The normal equations of min ‖v − a·d1 − b·d2‖ (exact for orthonormal directions). */
  det = g11 * g22 - g12 * g12;
  a = (g22 * b1 - g12 * b2) / det;
  b = (g11 * b2 - g12 * b1) / det;
  if (alpha != NULL)
    *alpha = a;
  if (beta != NULL)
    *beta = b;
  if (residual != NULL)
    {
      double r2 = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          double r = theta[i] - o[i] - a * d1[i] - b * d2[i];
          r2 += r * r;
        }
      *residual = sqrt (r2);
    }
}

double
nn_plane_explained (const NnPlane *plane, const NnPointSet *sets, guint n_sets)
{
  gsize n = plane->n_params;
  double total = 0.0, inside = 0.0;

  for (guint s = 0; s < n_sets; s++)
    for (gsize p = 0; p < sets[s].n_points; p++)
      {
        const double *theta = sets[s].points + p * n;
        double r, d2 = 0.0;
        for (gsize i = 0; i < n; i++)
          d2 += (theta[i] - plane->origin[i]) * (theta[i] - plane->origin[i]);
        nn_plane_project (plane, theta, NULL, NULL, &r);
        total += d2;
        inside += d2 - r * r;
      }
  return total > 0.0 ? CLAMP (inside / total, 0.0, 1.0) : NAN;
}

#define SCATTER_TILE 16

/* y_j = (XᵀX) v_j for the k columns, X's rows being the points minus the centre. The
 * columns are interleaved into vt and yt ((n, k) row-major) and the points taken
 * SCATTER_TILE at a time, so that each tile costs two streaming passes over vt and yt:
 * with 10 000 parameters they do not fit in the cache, the points' rows must be read
 * anyway. */
static void
apply_scatter (const double *const *rows, gsize n_rows, gsize n, const double *center,
               double **v, double **y, guint k, double *vt, double *yt)
{
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      vt[i * k + j] = v[j][i];
  memset (yt, 0, n * k * sizeof (double));

  for (gsize first = 0; first < n_rows; first += SCATTER_TILE)
    {
      guint tile = (guint) MIN ((gsize) SCATTER_TILE, n_rows - first);
      const double *const *x = rows + first;
      double s[SCATTER_TILE][8] = { { 0 } };

      for (gsize i = 0; i < n; i++)
        for (guint b = 0; b < tile; b++)
          {
            double r = x[b][i] - center[i];
            for (guint j = 0; j < k; j++)
              s[b][j] += r * vt[i * k + j];
          }
      for (gsize i = 0; i < n; i++)
        {
          double acc[8] = { 0 };
          for (guint b = 0; b < tile; b++)
            {
              double r = x[b][i] - center[i];
              for (guint j = 0; j < k; j++)
                acc[j] += s[b][j] * r;
            }
          for (guint j = 0; j < k; j++)
            yt[i * k + j] += acc[j];
        }
    }

  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      y[j][i] = yt[i * k + j];
}

/* The sign that makes a direction's largest component positive, for repeatable pictures. */
static void
canonical_sign (double *d, gsize n)
{
  gsize best = 0;

  for (gsize i = 1; i < n; i++)
    if (fabs (d[i]) > fabs (d[best]))
      best = i;
  if (d[best] < 0.0)
    for (gsize i = 0; i < n; i++)
      d[i] = -d[i];
}

NnPlane *
nn_plane_new_pca (const NnPointSet *sets, guint n_sets, gsize n, const double *center,
                  GError **error)
{
  /* Subspace iteration with k > 2 vectors on A = XᵀX, never formed: each iteration costs
   * two passes over the points (2·k·points·n flops) and no memory beyond k vectors, which
   * beats forming either Gram matrix when there are thousands of points and parameters.
   * Rayleigh–Ritz on the k × k matrix VᵀAV extracts the two leading eigenpairs; with k
   * well above 2 they converge at the rate λ_{k+1}/λ_2, fast for trajectories. */
  guint k = (guint) MIN ((gsize) 8, n);
  gsize total_points = 0;
  g_autofree double *mean = NULL, *block = NULL, *vt = NULL, *yt = NULL;
  g_autofree const double **rows = NULL;
  double *v[8], *w[8], *tmp[8], h[64], s[64], lambda[8], trace = 0.0;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20180101);
  NnPlane *plane;

  for (guint set = 0; set < n_sets; set++)
    total_points += sets[set].n_points;
  if (total_points < 2 || n < 2)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("PCA plane: needs at least two points of two or more parameters"));
      return NULL;
    }
  if (center == NULL)
    {
      mean = g_new0 (double, n);
      for (guint set = 0; set < n_sets; set++)
        for (gsize p = 0; p < sets[set].n_points; p++)
          axpy (1.0 / total_points, sets[set].points + p * n, mean, n);
      center = mean;
    }
  for (guint set = 0; set < n_sets; set++)
    for (gsize p = 0; p < sets[set].n_points; p++)
      for (gsize i = 0; i < n; i++)
        {
          double d = sets[set].points[p * n + i] - center[i];
          trace += d * d;
        }
  if (!(trace > 0.0) || !isfinite (trace))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("PCA plane: the points do not move away from the centre"));
      return NULL;
    }

  rows = g_new (const double *, total_points);
  for (guint set = 0, r = 0; set < n_sets; set++)
    for (gsize p = 0; p < sets[set].n_points; p++)
      rows[r++] = sets[set].points + p * n;
  vt = g_new (double, (gsize) k * n);
  yt = g_new (double, (gsize) k * n);
  block = g_new (double, 3 * (gsize) k * n);
  for (guint j = 0; j < k; j++)
    {
      v[j] = block + (gsize) j * n;
      w[j] = block + (gsize) (k + j) * n;
      tmp[j] = block + (gsize) (2 * k + j) * n;
      for (gsize i = 0; i < n; i++)
        v[j][i] = gaussian (rand);
    }
  orthonormalise (v, k, n, rand);

  for (guint iter = 0; iter < 1000; iter++)
    {
      gboolean converged = TRUE;

      apply_scatter (rows, total_points, n, center, v, w, k, vt, yt);
      for (guint a = 0; a < k; a++)
        for (guint b = a; b < k; b++)
          h[a * k + b] = h[b * k + a] = 0.5 * (dot (v[a], w[b], n) + dot (v[b], w[a], n));
      jacobi_eigen (h, k, lambda, s);

      /* Ritz vectors V·S (into tmp) and A·V·S (into v, whose old values are no longer
       * needed once tmp holds them). */
      for (guint j = 0; j < k; j++)
        {
          memset (tmp[j], 0, n * sizeof (double));
          for (guint c = 0; c < k; c++)
            axpy (s[c * k + j], v[c], tmp[j], n);
        }
      for (guint j = 0; j < k; j++)
        {
          memset (v[j], 0, n * sizeof (double));
          for (guint c = 0; c < k; c++)
            axpy (s[c * k + j], w[c], v[j], n);
        }
      for (guint j = 0; j < 2; j++)
        {
          double r2 = 0.0;
          for (gsize i = 0; i < n; i++)
            {
              double r = v[j][i] - lambda[j] * tmp[j][i];
              r2 += r * r;
            }
          converged = converged && sqrt (r2) <= 1e-11 * lambda[0];
        }
      if (converged)
        break;
      /* Next basis: A·V·S, orthonormalised (the leading columns keep their order). */
      orthonormalise (v, k, n, rand);
    }

  if (!(lambda[1] > 1e-13 * trace))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("PCA plane: the points lie on a line, they do not span a plane"));
      return NULL;
    }
  plane = plane_alloc (NN_PLANE_PCA, n);
  memcpy (plane->origin, center, n * sizeof (double));
  memcpy (plane->d1, tmp[0], n * sizeof (double));
  memcpy (plane->d2, tmp[1], n * sizeof (double));
  canonical_sign (plane->d1, n);
  canonical_sign (plane->d2, n);
  plane->variance[0] = MIN (lambda[0] / trace, 1.0);
  plane->variance[1] = MIN (lambda[1] / trace, 1.0 - plane->variance[0]);
  return plane;
}

/* Scales each neuron's row of d (its incoming weights, and its bias when with_biases) to
 * the norm of the same row of theta; biases are zeroed otherwise. */
static void
filter_normalise (const NnNetwork *layout, const double *theta, double *d, gboolean with_biases)
{
  for (guint l = 0; l < layout->n_layers; l++)
    {
      const NnLayer *layer = &layout->layers[l];
      for (guint o = 0; o < layer->n_out; o++)
        {
          gsize w = layer->w_offset + (gsize) o * layer->n_in, b = layer->b_offset + o;
          double dn = dot (d + w, d + w, layer->n_in), tn = dot (theta + w, theta + w, layer->n_in);
          double scale;
          if (with_biases)
            {
              dn += d[b] * d[b];
              tn += theta[b] * theta[b];
            }
          else
            d[b] = 0.0;
          scale = dn > 0.0 ? sqrt (tn / dn) : 0.0;
          for (guint i = 0; i < layer->n_in; i++)
            d[w + i] *= scale;
          if (with_biases)
            d[b] *= scale;
        }
    }
}

NnPlane *
nn_plane_new_random (const NnNetwork *layout, const double *origin, guint32 seed,
                     gboolean with_biases)
{
  gsize n = layout->n_params;
  NnPlane *plane = plane_alloc (NN_PLANE_RANDOM, n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

  memcpy (plane->origin, origin, n * sizeof (double));
  for (gsize i = 0; i < n; i++)
    plane->d1[i] = gaussian (rand);
  for (gsize i = 0; i < n; i++)
    plane->d2[i] = gaussian (rand);
  filter_normalise (layout, origin, plane->d1, with_biases);
  filter_normalise (layout, origin, plane->d2, with_biases);
  return plane;
}

gboolean
nn_weight_ref_index (const NnNetwork *layout, const NnWeightRef *ref, gsize *index,
                     GError **error)
{
  const NnLayer *layer;

  if (ref->layer >= layout->n_layers)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE, _("weight: layer %u does not exist (%u layers)"),
                   ref->layer, layout->n_layers);
      return FALSE;
    }
  layer = &layout->layers[ref->layer];
  if (ref->out >= layer->n_out || ref->in > layer->n_in)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_SHAPE,
                   _("weight: layer %u has %u units of %u inputs (and a bias at input %u); "
                   "there is no (%u, %u)"),
                   ref->layer, layer->n_out, layer->n_in, layer->n_in, ref->out, ref->in);
      return FALSE;
    }
  *index = ref->in == layer->n_in ? layer->b_offset + ref->out
                                  : layer->w_offset + (gsize) ref->out * layer->n_in + ref->in;
  return TRUE;
}

NnPlane *
nn_plane_new_weights (const NnNetwork *layout, const double *origin, const NnWeightRef *a,
                      const NnWeightRef *b, GError **error)
{
  gsize ia, ib;
  NnPlane *plane;

  if (!nn_weight_ref_index (layout, a, &ia, error) || !nn_weight_ref_index (layout, b, &ib, error))
    return NULL;
  if (ia == ib)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("weights plane: the two weights must be different"));
      return NULL;
    }
  plane = plane_alloc (NN_PLANE_WEIGHTS, layout->n_params);
  memcpy (plane->origin, origin, layout->n_params * sizeof (double));
  plane->d1[ia] = 1.0;
  plane->d2[ib] = 1.0;
  plane->index[0] = ia;
  plane->index[1] = ib;
  return plane;
}

/* ---- Loss grids ----------------------------------------------------------------------- */

NnLossGrid *
nn_loss_grid_new (const NnBox *box, guint res)
{
  NnLossGrid *grid;

  g_return_val_if_fail (res >= NN_LOSS_GRID_MIN_RES && res <= NN_LOSS_GRID_MAX_RES, NULL);
  grid = g_new0 (NnLossGrid, 1);
  grid->box = *box;
  grid->res = res;
  grid->values = g_new (double, (gsize) res * res);
  for (gsize i = 0; i < (gsize) res * res; i++)
    grid->values[i] = NAN;
  return grid;
}

void
nn_loss_grid_free (NnLossGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->values);
  g_free (grid);
}

void
nn_loss_grid_compute_row (NnLossGrid *grid, NnLossEvaluator *ev, const NnPlane *plane,
                          guint row)
{
  double *theta = ev->net->params; /* lifted in place: nothing allocated, nothing copied */
  double beta;

  g_return_if_fail (row < grid->res && plane->n_params == ev->net->n_params);
  beta = nn_box_node_y (&grid->box, grid->res, row);
  for (guint col = 0; col < grid->res; col++)
    {
      nn_plane_lift (plane, nn_box_node_x (&grid->box, grid->res, col), beta, theta);
      grid->values[(gsize) row * grid->res + col] = nn_loss_evaluator_eval (ev, theta);
    }
  if (row == grid->rows_done)
    grid->rows_done++;
}

gboolean
nn_loss_grid_compute (NnLossGrid *grid, NnLossEvaluator *ev, const NnPlane *plane,
                      NnGridProgress progress, gpointer user_data, GCancellable *cancellable,
                      GError **error)
{
  while (grid->rows_done < grid->res)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      nn_loss_grid_compute_row (grid, ev, plane, grid->rows_done);
      if (progress != NULL && !progress (grid->rows_done, grid->res, user_data))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("the loss grid was stopped after %u of %u rows"), grid->rows_done,
                       grid->res);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- NnLandscape --------------------------------------------------------------------- */

struct _NnLandscape
{
  guint              n_runs;
  guint              max_steps;
  gsize              n_params;
  NnTrainer         *trainers[NN_LANDSCAPE_MAX_RUNS];
  NnOptimizerConfig  optimizers[NN_LANDSCAPE_MAX_RUNS];
  char              *labels[NN_LANDSCAPE_MAX_RUNS];
  guint              n_points[NN_LANDSCAPE_MAX_RUNS];
  gboolean           diverged[NN_LANDSCAPE_MAX_RUNS];
  double            *record;  /* run r, step s at ((r·(max_steps + 1)) + s)·n_params */
  double            *losses;  /* the same indexing without n_params; NAN until computed */
  NnLossEvaluator   *ev;
};

static double *
record_slot (const NnLandscape *ls, guint run, guint step)
{
  return ls->record + ((gsize) run * (ls->max_steps + 1) + step) * ls->n_params;
}

NnLandscape *
nn_landscape_new (const NnProject *project, const NnOptimizerConfig *optimizers, guint n_runs,
                  guint max_steps, GError **error)
{
  g_autoptr (NnLandscape) ls = NULL;
  double values;

  if (n_runs < 1 || n_runs > NN_LANDSCAPE_MAX_RUNS || max_steps < 1)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("landscape: needs 1–%d runs and at least one step (got %u runs, %u steps)"),
                   NN_LANDSCAPE_MAX_RUNS, n_runs, max_steps);
      return NULL;
    }
  ls = g_new0 (NnLandscape, 1);
  ls->n_runs = n_runs;
  ls->max_steps = max_steps;
  for (guint r = 0; r < n_runs; r++)
    {
      g_autoptr (NnProject) copy = nn_project_copy (project);
      const char *name = nn_optimizer_kind_to_string (optimizers[r].kind);
      guint same = 1;

      if (!nn_optimizer_config_validate (&optimizers[r], error))
        return NULL;
      copy->optimizer = optimizers[r];
      ls->trainers[r] = nn_trainer_new (copy, error);
      if (ls->trainers[r] == NULL)
        return NULL;
      nn_trainer_set_record_history (ls->trainers[r], FALSE);
      ls->optimizers[r] = optimizers[r];
      for (guint q = 0; q < r; q++)
        same += optimizers[q].kind == optimizers[r].kind;
      ls->labels[r] = same > 1 ? g_strdup_printf ("%s-%u", name, same) : g_strdup (name);
    }
  ls->n_params = nn_trainer_get_network (ls->trainers[0])->n_params;

  values = (double) ls->n_params * (max_steps + 1.0) * n_runs;
  if (values > (double) NN_LANDSCAPE_MAX_VALUES)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("landscape: recording %u runs of %u steps of %zu parameters "
                   "needs %.0f MiB, more than the %zu MiB allowed; take fewer "
                   "steps or runs"),
                   n_runs, max_steps, (size_t) ls->n_params, values * sizeof (double) / 1048576.0,
                   NN_LANDSCAPE_MAX_VALUES * sizeof (double) / 1048576);
      return NULL;
    }
  ls->record = g_try_malloc_n ((gsize) values, sizeof (double));
  ls->losses = g_try_malloc_n ((gsize) n_runs * (max_steps + 1), sizeof (double));
  if (ls->record == NULL || ls->losses == NULL)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   _("landscape: out of memory for %.0f MiB of records"),
                   values * sizeof (double) / 1048576.0);
      return NULL;
    }
  for (gsize i = 0; i < (gsize) n_runs * (max_steps + 1); i++)
    ls->losses[i] = NAN;
  for (guint r = 0; r < n_runs; r++)
    {
      memcpy (record_slot (ls, r, 0), nn_trainer_get_network (ls->trainers[r])->params,
              ls->n_params * sizeof (double));
      ls->n_points[r] = 1;
    }
  ls->ev = nn_loss_evaluator_new_for_trainer (ls->trainers[0]);
  return g_steal_pointer (&ls);
}

void
nn_landscape_free (NnLandscape *ls)
{
  if (ls == NULL)
    return;
  for (guint r = 0; r < NN_LANDSCAPE_MAX_RUNS; r++)
    {
      g_clear_pointer (&ls->trainers[r], nn_trainer_free);
      g_free (ls->labels[r]);
    }
  g_free (ls->record);
  g_free (ls->losses);
  nn_loss_evaluator_free (ls->ev);
  g_free (ls);
}

guint
nn_landscape_get_n_runs (const NnLandscape *ls)
{
  return ls->n_runs;
}

gsize
nn_landscape_get_n_params (const NnLandscape *ls)
{
  return ls->n_params;
}

guint
nn_landscape_get_max_steps (const NnLandscape *ls)
{
  return ls->max_steps;
}

const NnOptimizerConfig *
nn_landscape_get_optimizer (const NnLandscape *ls, guint run)
{
  g_return_val_if_fail (run < ls->n_runs, NULL);
  return &ls->optimizers[run];
}

const char *
nn_landscape_get_label (const NnLandscape *ls, guint run)
{
  g_return_val_if_fail (run < ls->n_runs, NULL);
  return ls->labels[run];
}

NnTrainer *
nn_landscape_get_trainer (NnLandscape *ls, guint run)
{
  g_return_val_if_fail (run < ls->n_runs, NULL);
  return ls->trainers[run];
}

NnLossEvaluator *
nn_landscape_get_evaluator (NnLandscape *ls)
{
  return ls->ev;
}

static gboolean
run_going (const NnLandscape *ls, guint r)
{
  return !ls->diverged[r] && ls->n_points[r] <= ls->max_steps;
}

guint
nn_landscape_step (NnLandscape *ls)
{
  guint going = 0;

  for (guint r = 0; r < ls->n_runs; r++)
    {
      if (!run_going (ls, r))
        continue;
      nn_trainer_step (ls->trainers[r]);
      if (nn_trainer_diverged (ls->trainers[r]))
        {
          ls->diverged[r] = TRUE;
          continue;
        }
      memcpy (record_slot (ls, r, ls->n_points[r]),
              nn_trainer_get_network (ls->trainers[r])->params, ls->n_params * sizeof (double));
      ls->n_points[r]++;
      going += run_going (ls, r);
    }
  return going;
}

guint
nn_landscape_run (NnLandscape *ls, guint steps)
{
  guint going = 0;

  for (guint r = 0; r < ls->n_runs; r++)
    going += run_going (ls, r);
  for (guint s = 0; s < steps && going > 0; s++)
    going = nn_landscape_step (ls);
  return going;
}

guint
nn_landscape_get_n_points (const NnLandscape *ls, guint run)
{
  g_return_val_if_fail (run < ls->n_runs, 0);
  return ls->n_points[run];
}

const double *
nn_landscape_get_point (const NnLandscape *ls, guint run, guint step)
{
  g_return_val_if_fail (run < ls->n_runs && step < ls->n_points[run], NULL);
  return record_slot (ls, run, step);
}

gboolean
nn_landscape_run_diverged (const NnLandscape *ls, guint run)
{
  g_return_val_if_fail (run < ls->n_runs, FALSE);
  return ls->diverged[run];
}

void
nn_landscape_get_point_sets (const NnLandscape *ls, NnPointSet *sets)
{
  for (guint r = 0; r < ls->n_runs; r++)
    sets[r] = (NnPointSet) { record_slot (ls, r, 0), ls->n_points[r] };
}

const double *
nn_landscape_get_final (const NnLandscape *ls)
{
  return record_slot (ls, 0, ls->n_points[0] - 1);
}

double
nn_landscape_get_loss (NnLandscape *ls, guint run, guint step)
{
  double *cached;

  g_return_val_if_fail (run < ls->n_runs && step < ls->n_points[run], NAN);
  cached = &ls->losses[(gsize) run * (ls->max_steps + 1) + step];
  if (isnan (*cached))
    *cached = nn_loss_evaluator_eval (ls->ev, record_slot (ls, run, step));
  return *cached;
}

NnPlane *
nn_landscape_plane_pca (const NnLandscape *ls, NnPcaCenter center, GError **error)
{
  NnPointSet sets[NN_LANDSCAPE_MAX_RUNS];

  nn_landscape_get_point_sets (ls, sets);
  return nn_plane_new_pca (sets, ls->n_runs, ls->n_params,
                           center == NN_PCA_CENTER_FINAL ? nn_landscape_get_final (ls) : NULL,
                           error);
}

NnPlane *
nn_landscape_plane_random (const NnLandscape *ls, guint32 seed, gboolean with_biases)
{
  return nn_plane_new_random (ls->ev->net, nn_landscape_get_final (ls), seed, with_biases);
}

NnPlane *
nn_landscape_plane_weights (const NnLandscape *ls, const NnWeightRef *a, const NnWeightRef *b,
                            GError **error)
{
  return nn_plane_new_weights (ls->ev->net, nn_landscape_get_final (ls), a, b, error);
}

NnProjectedPoint *
nn_landscape_project (NnLandscape *ls, const NnPlane *plane, guint run, guint *n)
{
  NnProjectedPoint *out;

  g_return_val_if_fail (run < ls->n_runs && plane->n_params == ls->n_params, NULL);
  *n = ls->n_points[run];
  out = g_new (NnProjectedPoint, *n);
  for (guint s = 0; s < *n; s++)
    {
      nn_plane_project (plane, record_slot (ls, run, s), &out[s].alpha, &out[s].beta,
                        &out[s].residual);
      out[s].loss = nn_landscape_get_loss (ls, run, s);
    }
  return out;
}

/* Grows [lo, hi] by margin × its size on each side; a degenerate range becomes ±1. */
static void
grow_range (double *lo, double *hi, double margin)
{
  double span = *hi - *lo;

  if (span <= 1e-12 * MAX (1.0, MAX (fabs (*lo), fabs (*hi))))
    {
      *lo -= 1.0;
      *hi += 1.0;
      return;
    }
  *lo -= margin * span;
  *hi += margin * span;
}

void
nn_landscape_suggest_box (const NnLandscape *ls, const NnPlane *plane, double margin, NnBox *box)
{
  NnBox b = { 0.0, 0.0, 0.0, 0.0 };

  for (guint r = 0; r < ls->n_runs; r++)
    for (guint s = 0; s < ls->n_points[r]; s++)
      {
        double alpha, beta;
        nn_plane_project (plane, record_slot (ls, r, s), &alpha, &beta, NULL);
        b.x_min = MIN (b.x_min, alpha);
        b.x_max = MAX (b.x_max, alpha);
        b.y_min = MIN (b.y_min, beta);
        b.y_max = MAX (b.y_max, beta);
      }
  grow_range (&b.x_min, &b.x_max, margin);
  grow_range (&b.y_min, &b.y_max, margin);
  *box = b;
}

char *
nn_landscape_to_csv (NnLandscape *ls, const NnPlane *plane, gsize *length)
{
  GString *csv = g_string_new (NN_TRAJECTORY_CSV_HEADER);

  for (guint r = 0; r < ls->n_runs; r++)
    {
      guint n;
      g_autofree NnProjectedPoint *proj = nn_landscape_project (ls, plane, r, &n);
      g_autofree NnTrajectoryPoint *points = g_new (NnTrajectoryPoint, n);
      for (guint s = 0; s < n; s++)
        points[s] = (NnTrajectoryPoint) { proj[s].alpha, proj[s].beta, proj[s].loss };
      nn_trajectory_append_csv (csv, ls->labels[r], points, n);
    }
  if (length != NULL)
    *length = csv->len;
  return g_string_free (csv, FALSE);
}

gboolean
nn_landscape_save_csv (NnLandscape *ls, const NnPlane *plane, const char *path, GError **error)
{
  gsize length;
  g_autofree char *csv = nn_landscape_to_csv (ls, plane, &length);

  return nn_write_file_atomically (path, csv, length, error);
}
