/* nl-bench-frame.c: F1, the cost of drawing the whole main view.
 *
 * A network of 6 hidden layers × 8 tanh neurons with a 40×40 thumbnail per neuron, a
 * 200×200 decision boundary with 250 train and 250 test points, and a loss curve of
 * 1000 epochs, drawn into a 1280×800 ARGB32 image surface. Every frame bumps the scenes'
 * serials, as live training does, so the heatmaps are rebuilt each time: the figure is
 * the cost of a real frame, not of a cached one. The data is synthetic (random weights,
 * a forward pass written here), so the benchmark needs no trainer.
 *
 *   nl-bench-frame [--png FILE] [--dark] [--split] [--cpu]
 *
 * --png writes the frame out, --dark uses the dark style, --split also times each view
 * alone (where a regression hides), --cpu measures thread CPU time instead of wall time.
 * Prints "F1 ms_per_frame=N" (median of 20 frames after 5 of warm-up), then two extra
 * figures: the same frame with nothing changed (caches hit) and a 100 000-epoch loss
 * curve alone.
 */
#include "nl-render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WIDTH      1280
#define HEIGHT     800
#define THUMB_RES  40
#define OUTPUT_RES 200
#define N_POINTS   250
#define N_EPOCHS   1000
#define WARM_UP    5
#define FRAMES     20

typedef struct
{
  NnArchitecture arch;
  guint          features;
  double        *params;
  double        *neuron_grids;   /* every neuron, THUMB_RES² each */
  double        *output_grid;    /* OUTPUT_RES² */
  NnPoint        train[N_POINTS];
  NnPoint        test[N_POINTS];
  NnEpochStats  *history;
  guint          n_history;
} BenchData;

static guint
layer_units (const NnArchitecture *arch, guint l)
{
  return l < arch->n_hidden ? arch->units[l] : arch->n_outputs;
}

static gsize
count_params (const NnArchitecture *arch)
{
  gsize n = 0;
  guint n_in = arch->n_inputs;

  for (guint l = 0; l <= arch->n_hidden; l++)
    {
      n += (gsize) layer_units (arch, l) * (n_in + 1);
      n_in = layer_units (arch, l);
    }
  return n;
}

static double
gaussian (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

/* All neurons' outputs at one point of the plane (tanh everywhere). */
static void
forward (const BenchData *d, double x1, double x2, double *out)
{
  double in[NN_MAX_UNITS];
  const double *p = d->params;
  guint n_in = 0, k = 0;

  for (guint f = 0; f < NN_N_FEATURES; f++)
    if (d->features & (1u << f))
      in[n_in++] = nl_render_feature_value (f, x1, x2);
  for (guint l = 0; l <= d->arch.n_hidden; l++)
    {
      guint n_out = layer_units (&d->arch, l);
      const double *b = p + (gsize) n_out * n_in;

      for (guint o = 0; o < n_out; o++)
        {
          double u = b[o];
          for (guint i = 0; i < n_in; i++)
            u += p[(gsize) o * n_in + i] * in[i];
          out[k + o] = tanh (u);
        }
      memcpy (in, out + k, n_out * sizeof (double));
      k += n_out;
      p = b + n_out;
      n_in = n_out;
    }
}

static void
eval_grids (BenchData *d, guint units)
{
  gsize cells = (gsize) THUMB_RES * THUMB_RES;
  double out[NN_MAX_LAYERS * NN_MAX_UNITS];

  d->neuron_grids = g_new (double, units * cells);
  for (guint r = 0; r < THUMB_RES; r++)
    for (guint c = 0; c < THUMB_RES; c++)
      {
        forward (d, -6 + (c + 0.5) * 12.0 / THUMB_RES, 6 - (r + 0.5) * 12.0 / THUMB_RES, out);
        for (guint u = 0; u < units; u++)
          d->neuron_grids[u * cells + (gsize) r * THUMB_RES + c] = out[u];
      }
  d->output_grid = g_new (double, (gsize) OUTPUT_RES * OUTPUT_RES);
  for (guint r = 0; r < OUTPUT_RES; r++)
    for (guint c = 0; c < OUTPUT_RES; c++)
      {
        forward (d, -6 + (c + 0.5) * 12.0 / OUTPUT_RES, 6 - (r + 0.5) * 12.0 / OUTPUT_RES, out);
        d->output_grid[(gsize) r * OUTPUT_RES + c] = out[units - 1];
      }
}

static void
make_points (BenchData *d, GRand *rand)
{
  for (guint i = 0; i < 2 * N_POINTS; i++)
    {
      double r = i % 2 ? g_rand_double_range (rand, 3.8, 5.5) : g_rand_double_range (rand, 0, 2.8);
      double a = g_rand_double_range (rand, 0, 2 * G_PI);
      NnPoint p = { r * cos (a), r * sin (a), i % 2 };

      if (i < N_POINTS)
        d->train[i] = p;
      else
        d->test[i - N_POINTS] = p;
    }
}

static NnEpochStats *
make_history (guint n, GRand *rand)
{
  NnEpochStats *h = g_new (NnEpochStats, n);

  for (guint i = 0; i < n; i++)
    {
      double base = 0.05 + 0.65 * exp (-5.0 * i / n);
      h[i] = (NnEpochStats) { i, base * (1 + 0.03 * gaussian (rand)),
                              base * 1.1 * (1 + 0.05 * gaussian (rand)), 1 - base / 2,
                              1 - base / 2 - 0.02 };
    }
  return h;
}

static void
bench_data_init (BenchData *d)
{
  GRand *rand = g_rand_new_with_seed (2024);
  gsize n;

  memset (d, 0, sizeof *d);
  d->features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_X1_SQ | NN_FEATURE_X2_SQ;
  d->arch.n_inputs = 4;
  d->arch.n_hidden = 6;
  for (guint l = 0; l < 6; l++)
    d->arch.units[l] = 8, d->arch.activation[l] = NN_ACTIVATION_TANH;
  d->arch.n_outputs = 1;
  d->arch.output_activation = NN_ACTIVATION_TANH;
  n = count_params (&d->arch);
  d->params = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    d->params[i] = 0.6 * gaussian (rand);
  eval_grids (d, 6 * 8 + 1);
  make_points (d, rand);
  d->n_history = N_EPOCHS;
  d->history = make_history (N_EPOCHS, rand);
  g_rand_free (rand);
}

static void
bench_data_clear (BenchData *d)
{
  g_free (d->params);
  g_free (d->neuron_grids);
  g_free (d->output_grid);
  g_free (d->history);
}

/* Wall-clock milliseconds, or with --cpu the thread's CPU time: on a loaded machine the
 * latter still says what the drawing itself costs. */
static gboolean use_cpu_time = FALSE;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (use_cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  NlNetworkScene  network;
  NlBoundaryScene boundary;
  NlLossScene     loss;
} Scenes;

static void
scenes_init (Scenes *s, const BenchData *d)
{
  NlNetworkScene init = NL_NETWORK_SCENE_INIT;

  s->network = init;
  s->network.arch = &d->arch;
  s->network.features = d->features;
  s->network.params = d->params;
  s->network.neuron_grids = d->neuron_grids;
  s->network.grid_res = THUMB_RES;
  nl_boundary_scene_init (&s->boundary);
  s->boundary.problem = NN_PROBLEM_CLASSIFICATION;
  s->boundary.n_classes = 2;
  s->boundary.res = OUTPUT_RES;
  s->boundary.values = d->output_grid;
  s->boundary.value_lo = -1, s->boundary.value_hi = 1;
  s->boundary.train = d->train, s->boundary.n_train = N_POINTS;
  s->boundary.test = d->test, s->boundary.n_test = N_POINTS;
  nl_loss_scene_init (&s->loss);
  s->loss.history = d->history;
  s->loss.n_history = d->n_history;
  s->loss.classification = TRUE;
}

/* Median milliseconds of FRAMES frames; `changing` bumps the serials every frame. Scenes
 * left NULL in `s` by --split are skipped. */
static double
time_frames (cairo_t *cr, Scenes *s, const NlRenderStyle *style, NlRenderCache *cache,
             gboolean changing, guint views)
{
  double ms[FRAMES];
  static guint64 serial = 1;

  for (int i = -WARM_UP; i < FRAMES; i++)
    {
      double t0;

      if (changing)
        s->network.serial = s->boundary.serial = ++serial;
      t0 = now_ms ();
      nl_render_main_view (cr, views & 1 ? &s->network : NULL, views & 2 ? &s->boundary : NULL,
                           views & 4 ? &s->loss : NULL, style, cache, WIDTH, HEIGHT);
      cairo_surface_flush (cairo_get_target (cr));
      if (i >= 0)
        ms[i] = now_ms () - t0;
    }
  qsort (ms, FRAMES, sizeof ms[0], compare_doubles);
  return (ms[FRAMES / 2 - 1] + ms[FRAMES / 2]) / 2;
}

static double
time_long_loss (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache)
{
  GRand *rand = g_rand_new_with_seed (1);
  NnEpochStats *h = make_history (100000, rand);
  NlLossScene scene;
  NlLossLayout layout;
  double ms[FRAMES];

  nl_loss_scene_init (&scene);
  scene.history = h, scene.n_history = 100000;
  for (int i = -WARM_UP; i < FRAMES; i++)
    {
      double t0 = now_ms ();
      nl_loss_layout_compute (&layout, &scene, 540, 320, style);
      nl_render_loss (cr, &layout, &scene, style, cache);
      cairo_surface_flush (cairo_get_target (cr));
      if (i >= 0)
        ms[i] = now_ms () - t0;
    }
  qsort (ms, FRAMES, sizeof ms[0], compare_doubles);
  g_free (h);
  g_rand_free (rand);
  return (ms[FRAMES / 2 - 1] + ms[FRAMES / 2]) / 2;
}

int
main (int argc, char **argv)
{
  const char *png = NULL;
  gboolean dark = FALSE, split = FALSE;
  BenchData data;
  Scenes scenes;
  cairo_surface_t *surface;
  cairo_t *cr;
  NlRenderCache *cache;
  const NlRenderStyle *style;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--png") && i + 1 < argc)
        png = argv[++i];
      else if (g_str_equal (argv[i], "--dark"))
        dark = TRUE;
      else if (g_str_equal (argv[i], "--split"))
        split = TRUE;
      else if (g_str_equal (argv[i], "--cpu"))
        use_cpu_time = TRUE;
      else
        {
          fprintf (stderr, "usage: %s [--png FILE] [--dark] [--split] [--cpu]\n", argv[0]);
          return 2;
        }
    }
  style = nl_render_style_get_default (dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
  bench_data_init (&data);
  scenes_init (&scenes, &data);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);
  cache = nl_render_cache_new ();

  printf ("F1 ms_per_frame=%.2f\n", time_frames (cr, &scenes, style, cache, TRUE, 7));
  printf ("F1-unchanged ms_per_frame=%.2f\n",
          time_frames (cr, &scenes, style, cache, FALSE, 7));
  if (png != NULL && cairo_surface_write_to_png (surface, png) != CAIRO_STATUS_SUCCESS)
    fprintf (stderr, "could not write %s\n", png);
  if (split)
    {
      printf ("F1-network ms_per_frame=%.2f\n", time_frames (cr, &scenes, style, cache, TRUE, 1));
      printf ("F1-boundary ms_per_frame=%.2f\n",
              time_frames (cr, &scenes, style, cache, TRUE, 2));
      printf ("F1-loss ms_per_frame=%.2f\n", time_frames (cr, &scenes, style, cache, TRUE, 4));
      printf ("F1-background ms_per_frame=%.2f\n",
              time_frames (cr, &scenes, style, cache, TRUE, 0));
    }
  printf ("F1-loss-100k ms_per_frame=%.2f\n", time_long_loss (cr, style, cache));

  nl_render_cache_free (cache);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  bench_data_clear (&data);
  return 0;
}
