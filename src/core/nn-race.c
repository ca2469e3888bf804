/* nn-race.c: runners (an NnOptimizer over two parameters each) stepping on one surface. */
#include "nn-race.h"
#include "nn-error.h"
#include "nn-project.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  NnRunnerConfig cfg;
  char          *label;
  NnOptimizer   *opt;
  GRand         *rand;        /* gradient noise, or the mini-batch order */
  double         p[2];
  GArray        *trajectory;  /* of NnTrajectoryPoint; [0] is the start */
  NnRunnerState  state;
  guint         *order;       /* data surfaces: this epoch's sample order */
  guint          position;    /* samples of the epoch already used */
  gboolean       has_spare;   /* Box–Muller makes deviates in pairs */
  double         spare;
} Runner;

struct _NnRace
{
  NnSurface *surface;
  guint32    seed;
  double     start[2];
  GPtrArray *runners;
  guint      step;
  NnBox      escape;          /* beyond this a runner has diverged */
};

void
nn_runner_config_init (NnRunnerConfig *cfg, NnOptimizerKind kind, const NnSurface *surface)
{
  nn_optimizer_config_init_defaults (&cfg->optimizer, kind);
  cfg->stochastic = kind == NN_OPTIMIZER_SGD;
  cfg->noise = 0.5;
  if (surface != NULL)
    {
      cfg->optimizer.learning_rate = nn_surface_get_default_learning_rate (surface, kind);
      cfg->noise = nn_surface_get_default_noise (surface);
    }
}

gboolean
nn_runner_config_validate (const NnRunnerConfig *cfg, GError **error)
{
  if (!nn_optimizer_config_validate (&cfg->optimizer, error))
    return FALSE;
  if (!(cfg->noise >= 0.0 && isfinite (cfg->noise)))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   "noise: %g must be a finite number, zero or more", cfg->noise);
      return FALSE;
    }
  return TRUE;
}

/* ---- Runners ----------------------------------------------------------------------- */

static Runner *
runner_new (const NnRunnerConfig *cfg, const char *label, guint n_samples)
{
  Runner *r = g_new0 (Runner, 1);

  r->cfg = *cfg;
  r->label = g_strdup (label);
  r->opt = nn_optimizer_new (&cfg->optimizer, 2);
  r->rand = g_rand_new_with_seed (0);
  r->trajectory = g_array_new (FALSE, FALSE, sizeof (NnTrajectoryPoint));
  r->order = g_new (guint, MAX (n_samples, 1));
  return r;
}

static void
runner_free (gpointer data)
{
  Runner *r = data;

  g_free (r->label);
  nn_optimizer_free (r->opt);
  g_rand_free (r->rand);
  g_array_unref (r->trajectory);
  g_free (r->order);
  g_free (r);
}

static void
runner_reset (const NnRace *race, Runner *r)
{
  guint n = nn_surface_get_n_samples (race->surface);
  NnTrajectoryPoint start = { race->start[0], race->start[1], 0.0 };

  nn_optimizer_configure (r->opt, &r->cfg.optimizer);
  nn_optimizer_reset (r->opt);
  g_rand_set_seed (r->rand, race->seed);
  r->has_spare = FALSE;
  for (guint i = 0; i < n; i++)
    r->order[i] = i;
  r->position = n; /* the first step starts an epoch */
  r->p[0] = start.x;
  r->p[1] = start.y;
  start.loss = nn_surface_value (race->surface, start.x, start.y);
  g_array_set_size (r->trajectory, 0);
  g_array_append_val (r->trajectory, start);
  r->state = isfinite (start.loss) ? NN_RUNNER_RUNNING : NN_RUNNER_DIVERGED;
}

static double
gaussian (Runner *r)
{
  double u, v, radius;

  if (r->has_spare)
    {
      r->has_spare = FALSE;
      return r->spare;
    }
  u = 1.0 - g_rand_double (r->rand); /* (0, 1]: log(u) is finite */
  v = g_rand_double (r->rand);
  radius = sqrt (-2.0 * log (u));
  r->spare = radius * sin (2.0 * G_PI * v);
  r->has_spare = TRUE;
  return radius * cos (2.0 * G_PI * v);
}

static void
shuffle (Runner *r, guint n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (r->rand, 0, (gint32) i);
      guint tmp = r->order[i - 1];
      r->order[i - 1] = r->order[j];
      r->order[j] = tmp;
    }
}

/* The gradient this runner sees at its position. */
static void
runner_gradient (const NnRace *race, Runner *r, double *g)
{
  const NnSurface *s = race->surface;
  guint n = nn_surface_get_n_samples (s);

  if (!r->cfg.stochastic)
    {
      nn_surface_gradient (s, r->p[0], r->p[1], g);
      return;
    }
  if (n > 0)
    {
      guint size;
      if (r->position >= n)
        {
          shuffle (r, n);
          r->position = 0;
        }
      size = MIN (nn_surface_get_batch_size (s), n - r->position);
      nn_surface_batch_gradient (s, r->p[0], r->p[1], r->order + r->position, size, g);
      r->position += size;
      return;
    }
  nn_surface_gradient (s, r->p[0], r->p[1], g);
  if (r->cfg.noise > 0.0)
    {
      g[0] += r->cfg.noise * gaussian (r);
      g[1] += r->cfg.noise * gaussian (r);
    }
}

static gboolean
escaped (const NnBox *escape, double x, double y)
{
  return !(x >= escape->x_min && x <= escape->x_max && y >= escape->y_min && y <= escape->y_max);
}

static void
runner_step (const NnRace *race, Runner *r)
{
  NnTrajectoryPoint point;
  double g[2];

  if (r->state != NN_RUNNER_RUNNING)
    return;
  runner_gradient (race, r, g);
  nn_optimizer_step (r->opt, r->p, g);
  point.x = r->p[0];
  point.y = r->p[1];
  point.loss = nn_surface_value (race->surface, point.x, point.y);
  if (!isfinite (point.x) || !isfinite (point.y) || !isfinite (point.loss))
    {
      /* The trajectory ends at its last finite point: nothing non-finite is drawn. */
      r->state = NN_RUNNER_DIVERGED;
      return;
    }
  g_array_append_val (r->trajectory, point);
  if (escaped (&race->escape, point.x, point.y))
    r->state = NN_RUNNER_DIVERGED;
  else if (r->trajectory->len > NN_RACE_MAX_STEPS)
    r->state = NN_RUNNER_FINISHED;
}

/* ---- The race ---------------------------------------------------------------------- */

NnRace *
nn_race_new (NnSurface *surface, guint32 seed)
{
  NnRace *race = g_new0 (NnRace, 1);
  NnBox box;
  double w, h;

  g_return_val_if_fail (surface != NULL, NULL);
  race->surface = nn_surface_ref (surface);
  race->seed = seed;
  race->runners = g_ptr_array_new_with_free_func (runner_free);
  nn_surface_get_start (surface, &race->start[0], &race->start[1]);
  nn_surface_get_view_box (surface, &box);
  w = box.x_max - box.x_min;
  h = box.y_max - box.y_min;
  race->escape = (NnBox) { box.x_min - NN_RACE_ESCAPE * w, box.x_max + NN_RACE_ESCAPE * w,
                           box.y_min - NN_RACE_ESCAPE * h, box.y_max + NN_RACE_ESCAPE * h };
  return race;
}

void
nn_race_free (NnRace *race)
{
  if (race == NULL)
    return;
  g_ptr_array_unref (race->runners);
  nn_surface_unref (race->surface);
  g_free (race);
}

static Runner *
runner_at (const NnRace *race, guint i)
{
  return g_ptr_array_index (race->runners, i);
}

static gboolean
label_taken (const NnRace *race, const char *label)
{
  for (guint i = 0; i < race->runners->len; i++)
    if (strcmp (runner_at (race, i)->label, label) == 0)
      return TRUE;
  return FALSE;
}

gint
nn_race_add_runner (NnRace *race, const NnRunnerConfig *cfg, const char *label, GError **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (race != NULL && cfg != NULL, -1);
  if (!nn_runner_config_validate (cfg, error))
    return -1;
  if (race->runners->len >= NN_RACE_MAX_RUNNERS)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID, "a race has at most %d runners",
                   NN_RACE_MAX_RUNNERS);
      return -1;
    }
  if (label != NULL && *label != '\0')
    name = g_strdup (label);
  else
    {
      const char *base = nn_optimizer_kind_to_string (cfg->optimizer.kind);
      name = g_strdup (base);
      for (guint k = 2; label_taken (race, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s-%u", base, k);
        }
    }
  g_ptr_array_add (race->runners,
                   runner_new (cfg, name, nn_surface_get_n_samples (race->surface)));
  nn_race_reset (race);
  return (gint) race->runners->len - 1;
}

gboolean
nn_race_set_runner_config (NnRace *race, guint runner, const NnRunnerConfig *cfg, GError **error)
{
  g_return_val_if_fail (runner < race->runners->len, FALSE);
  if (!nn_runner_config_validate (cfg, error))
    return FALSE;
  runner_at (race, runner)->cfg = *cfg;
  nn_race_reset (race);
  return TRUE;
}

void
nn_race_remove_runners (NnRace *race)
{
  g_ptr_array_set_size (race->runners, 0);
  race->step = 0;
}

guint
nn_race_get_n_runners (const NnRace *race)
{
  return race->runners->len;
}

const NnRunnerConfig *
nn_race_get_runner_config (const NnRace *race, guint runner)
{
  g_return_val_if_fail (runner < race->runners->len, NULL);
  return &runner_at (race, runner)->cfg;
}

const char *
nn_race_get_runner_label (const NnRace *race, guint runner)
{
  g_return_val_if_fail (runner < race->runners->len, NULL);
  return runner_at (race, runner)->label;
}

NnSurface *
nn_race_get_surface (const NnRace *race)
{
  return race->surface;
}

guint32
nn_race_get_seed (const NnRace *race)
{
  return race->seed;
}

void
nn_race_set_start (NnRace *race, double x, double y)
{
  g_return_if_fail (isfinite (x) && isfinite (y));
  race->start[0] = x;
  race->start[1] = y;
  nn_race_reset (race);
}

void
nn_race_get_start (const NnRace *race, double *x, double *y)
{
  *x = race->start[0];
  *y = race->start[1];
}

void
nn_race_reset (NnRace *race)
{
  for (guint i = 0; i < race->runners->len; i++)
    runner_reset (race, runner_at (race, i));
  race->step = 0;
}

guint
nn_race_step (NnRace *race)
{
  guint running = 0;

  for (guint i = 0; i < race->runners->len; i++)
    {
      Runner *r = runner_at (race, i);
      runner_step (race, r);
      running += r->state == NN_RUNNER_RUNNING;
    }
  race->step++;
  return running;
}

guint
nn_race_run (NnRace *race, guint steps)
{
  guint running = 0;

  for (guint i = 0; i < race->runners->len; i++)
    running += runner_at (race, i)->state == NN_RUNNER_RUNNING;
  for (guint s = 0; s < steps && running > 0; s++)
    running = nn_race_step (race);
  return running;
}

guint
nn_race_get_step (const NnRace *race)
{
  return race->step;
}

const NnTrajectoryPoint *
nn_race_get_trajectory (const NnRace *race, guint runner, guint *n)
{
  Runner *r;

  g_return_val_if_fail (runner < race->runners->len, NULL);
  r = runner_at (race, runner);
  *n = r->trajectory->len;
  return (const NnTrajectoryPoint *) (gpointer) r->trajectory->data;
}

static void
runner_result (const NnRace *race, const Runner *r, NnRunnerResult *out)
{
  const NnTrajectoryPoint *last =
    &g_array_index (r->trajectory, NnTrajectoryPoint, r->trajectory->len - 1);

  out->state = r->state;
  out->steps = r->trajectory->len - 1;
  out->x = last->x;
  out->y = last->y;
  out->loss = last->loss;
  out->nearest_minimum = nn_surface_nearest_minimum (race->surface, last->x, last->y,
                                                     &out->distance);
}

void
nn_race_get_result (const NnRace *race, guint runner, NnRunnerResult *out)
{
  g_return_if_fail (runner < race->runners->len);
  runner_result (race, runner_at (race, runner), out);
}

/* ---- CSV ----------------------------------------------------------------------------- */

static void
append_csv_field (GString *csv, const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (csv, field);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *c = field; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

static void
append_number (GString *csv, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.17g", value));
}

void
nn_trajectory_append_csv (GString *csv, const char *label, const NnTrajectoryPoint *points,
                          guint n)
{
  for (guint i = 0; i < n; i++)
    {
      append_csv_field (csv, label);
      g_string_append_printf (csv, ",%u,", i);
      append_number (csv, points[i].x);
      g_string_append_c (csv, ',');
      append_number (csv, points[i].y);
      g_string_append_c (csv, ',');
      append_number (csv, points[i].loss);
      g_string_append_c (csv, '\n');
    }
}

char *
nn_race_to_csv (const NnRace *race, gsize *length)
{
  GString *csv = g_string_new (NN_TRAJECTORY_CSV_HEADER);

  for (guint i = 0; i < race->runners->len; i++)
    {
      const Runner *r = runner_at (race, i);
      const NnTrajectoryPoint *points = (const NnTrajectoryPoint *) (gpointer) r->trajectory->data;
      nn_trajectory_append_csv (csv, r->label, points, r->trajectory->len);
    }
  if (length != NULL)
    *length = csv->len;
  return g_string_free (csv, FALSE);
}

gboolean
nn_race_save_csv (const NnRace *race, const char *path, GError **error)
{
  gsize length;
  g_autofree char *csv = nn_race_to_csv (race, &length);

  return nn_write_file_atomically (path, csv, length, error);
}

/* ---- The learning-rate sweep ------------------------------------------------------ */

void
nn_sweep_config_init (NnSweepConfig *cfg)
{
  cfg->lr_min = 1e-5;
  cfg->lr_max = 1.0;
  cfg->n_rates = 16;
  cfg->steps = 200;
  cfg->threshold = NAN;
  cfg->tie = NAN;
}

typedef struct
{
  gboolean diverged;
  double   final_loss;
  guint    steps_to_threshold;
} SweepRun;

static SweepRun
sweep_run (const NnRace *race, const NnRunnerConfig *cfg, guint steps, double threshold)
{
  Runner *r = runner_new (cfg, "sweep", nn_surface_get_n_samples (race->surface));
  SweepRun run = { FALSE, NAN, G_MAXUINT };
  const NnTrajectoryPoint *points;

  runner_reset (race, r);
  for (guint s = 0; s < steps && r->state == NN_RUNNER_RUNNING; s++)
    runner_step (race, r);
  points = (const NnTrajectoryPoint *) (gpointer) r->trajectory->data;
  for (guint i = 0; i < r->trajectory->len && run.steps_to_threshold == G_MAXUINT; i++)
    if (points[i].loss <= threshold)
      run.steps_to_threshold = i;
  run.diverged = r->state == NN_RUNNER_DIVERGED;
  run.final_loss = points[r->trajectory->len - 1].loss;
  runner_free (r);
  return run;
}

/* Whether `a` beats `b` under the sweep's rule. */
static gboolean
sweep_better (const SweepRun *a, const SweepRun *b, double tie)
{
  if (fabs (a->final_loss - b->final_loss) > tie)
    return a->final_loss < b->final_loss;
  if (a->steps_to_threshold != b->steps_to_threshold)
    return a->steps_to_threshold < b->steps_to_threshold;
  return a->final_loss < b->final_loss;
}

gboolean
nn_race_sweep (NnRace *race, const NnSweepConfig *cfg, NnSweepResult *results, GError **error)
{
  double f0 = nn_surface_value (race->surface, race->start[0], race->start[1]);
  double fmin = nn_surface_get_min_value (race->surface);
  double threshold = cfg->threshold, tie = cfg->tie;

  if (!(cfg->lr_min > 0.0 && cfg->lr_max >= cfg->lr_min && cfg->lr_max <= 10.0)
      || cfg->n_rates < 1 || cfg->steps < 1)
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                   "sweep: needs 0 < lr_min <= lr_max <= 10, at least one rate and one step "
                   "(got %g–%g, %u rates, %u steps)",
                   cfg->lr_min, cfg->lr_max, cfg->n_rates, cfg->steps);
      return FALSE;
    }
  if (isnan (threshold))
    threshold = isfinite (fmin) ? fmin + 1e-3 * (f0 - fmin) : -INFINITY;
  if (isnan (tie))
    tie = 1e-9 * (isfinite (fmin) ? fabs (f0 - fmin) : MAX (1.0, fabs (f0)));

  for (guint i = 0; i < race->runners->len; i++)
    {
      NnRunnerConfig rc = runner_at (race, i)->cfg;
      NnSweepResult *res = &results[i];
      SweepRun best = { TRUE, NAN, G_MAXUINT };

      *res = (NnSweepResult) { FALSE, NAN, NAN, G_MAXUINT, 0 };
      for (guint k = 0; k < cfg->n_rates; k++)
        {
          double t = cfg->n_rates > 1 ? (double) k / (cfg->n_rates - 1) : 0.0;
          SweepRun run;
          rc.optimizer.learning_rate = cfg->lr_min * pow (cfg->lr_max / cfg->lr_min, t);
          run = sweep_run (race, &rc, cfg->steps, threshold);
          if (run.diverged)
            {
              res->n_diverged++;
              continue;
            }
          if (!res->found || sweep_better (&run, &best, tie))
            {
              best = run;
              res->found = TRUE;
              res->learning_rate = rc.optimizer.learning_rate;
              res->final_loss = run.final_loss;
              res->steps_to_threshold = run.steps_to_threshold;
            }
        }
    }
  return TRUE;
}

void
nn_race_apply_sweep (NnRace *race, const NnSweepResult *results)
{
  for (guint i = 0; i < race->runners->len; i++)
    if (results[i].found)
      runner_at (race, i)->cfg.optimizer.learning_rate = results[i].learning_rate;
  nn_race_reset (race);
}

/* ---- Presets --------------------------------------------------------------------- */

typedef struct
{
  NnOptimizerKind kind;
  double          learning_rate;
  gboolean        stochastic;
  double          noise;
  const char     *label;
} PresetRunner;

typedef struct
{
  const char  *name;
  const char  *description;
  NnSurfaceKind surface;
  double       kappa;
  double       start[2];
  guint        steps;
  guint32      seed;
  PresetRunner runners[4];
} PresetInfo;

static const PresetInfo presets[NN_N_RACE_PRESETS] = {
  [NN_RACE_PRESET_LOCAL_MINIMUM] = {
    "local-minimum",
    N_("Gradient descent settles in the first valley it meets, a local minimum. Momentum keeps "
       "enough speed to roll over the ridge into the deeper, global minimum, and SGD's noise "
       "kicks it over too. Noise is chance: with other seeds SGD may cross later, or hop back."),
    NN_SURFACE_TWO_MINIMA, 0.0, { 1.8, 1.5 }, 300, 4,
    { { NN_OPTIMIZER_GD, 0.02, FALSE, 0.0, NULL },
      { NN_OPTIMIZER_MOMENTUM, 0.02, FALSE, 0.0, NULL },
      { NN_OPTIMIZER_SGD, 0.03, TRUE, 6.0, NULL } } },
  [NN_RACE_PRESET_RAVINE] = {
    "ravine",
    N_("In a narrow ravine the gradient points mostly across the valley: gradient descent "
       "zig-zags from wall to wall and crawls along the floor. Adam scales each direction by "
       "its own gradient size and heads straight down the valley."),
    NN_SURFACE_RAVINE, 50.0, { -5.0, 2.0 }, 100, 1,
    { { NN_OPTIMIZER_GD, 0.036, FALSE, 0.0, NULL },
      { NN_OPTIMIZER_ADAM, 0.1, FALSE, 0.0, NULL } } },
  [NN_RACE_PRESET_DIVERGENCE] = {
    "divergence",
    N_("The same gradient descent with three learning rates on a bowl: a small one creeps in, "
       "one near the limit overshoots back and forth but still converges, and one past the "
       "limit (η > 1 here) is thrown further out at every step until it leaves the plot."),
    NN_SURFACE_BOWL, 0.0, { -2.5, 2.0 }, 60, 1,
    { { NN_OPTIMIZER_GD, 0.03, FALSE, 0.0, "gd-lr0.03" },
      { NN_OPTIMIZER_GD, 0.9, FALSE, 0.0, "gd-lr0.9" },
      { NN_OPTIMIZER_GD, 1.05, FALSE, 0.0, "gd-lr1.05" } } },
};

const char *
nn_race_preset_to_string (NnRacePreset preset)
{
  g_return_val_if_fail (preset < NN_N_RACE_PRESETS, NULL);
  return presets[preset].name;
}

gboolean
nn_race_preset_from_string (const char *s, NnRacePreset *out)
{
  for (guint p = 0; s != NULL && p < NN_N_RACE_PRESETS; p++)
    if (strcmp (s, presets[p].name) == 0)
      {
        *out = p;
        return TRUE;
      }
  return FALSE;
}

const char *
nn_race_preset_get_description (NnRacePreset preset)
{
  g_return_val_if_fail (preset < NN_N_RACE_PRESETS, NULL);
  return presets[preset].description;
}

guint
nn_race_preset_get_steps (NnRacePreset preset)
{
  g_return_val_if_fail (preset < NN_N_RACE_PRESETS, 0);
  return presets[preset].steps;
}

NnRace *
nn_race_new_preset (NnRacePreset preset)
{
  const PresetInfo *info;
  g_autoptr (NnSurface) surface = NULL;
  NnRace *race;

  g_return_val_if_fail (preset < NN_N_RACE_PRESETS, NULL);
  info = &presets[preset];
  surface = info->kappa > 0.0 ? nn_surface_new_ravine (info->kappa, NULL)
                              : nn_surface_new (info->surface);
  race = nn_race_new (surface, info->seed);
  for (guint i = 0; i < G_N_ELEMENTS (info->runners) && info->runners[i].learning_rate > 0.0; i++)
    {
      const PresetRunner *pr = &info->runners[i];
      NnRunnerConfig cfg;
      nn_runner_config_init (&cfg, pr->kind, surface);
      cfg.optimizer.learning_rate = pr->learning_rate;
      cfg.stochastic = pr->stochastic;
      cfg.noise = pr->noise;
      nn_race_add_runner (race, &cfg, pr->label, NULL);
    }
  nn_race_set_start (race, info->start[0], info->start[1]);
  return race;
}
