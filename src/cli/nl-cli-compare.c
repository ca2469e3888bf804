/* nl-cli-compare.c: `neural-lab-cli compare` — optimizers side by side, without a display.
 *
 * The comparisons of the app's Compare view:
 *   --surface NAME             the optimizers race from one start on a textbook surface;
 *   --preset NAME              one of the classic lessons, a race the engine sets up;
 *   --surface logistic|line --project FILE
 *                              a two-parameter model on the project's training data, whose
 *                              loss surface is exactly two-dimensional;
 *   --project FILE             the network's own loss: one training run per optimizer from
 *                              the same initial weights, seen through a plane.
 * Every option and every combination is checked before anything runs, and the CSV files are
 * written at the end, each atomically: a refused or failed run leaves none behind.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nn-error.h"
#include "nn-landscape.h"
#include "nn-race.h"
#include "nn-surface.h"

/* The surfaces' default learning rates are tuned for races of 300 steps. */
#define DEFAULT_STEPS  300
#define MAX_COORDINATE 1e6
#define MAX_LR         10.0 /* the engine's limit */
#define MAX_NOISE      1e6
#define GRID_MARGIN    0.25 /* of the trajectories' extent, on each side */
#define HELP_WIDTH     79
#define LABEL_SIZE     64
#define MAX_COLUMNS    16

typedef struct
{
  char    *surface;
  char    *preset;
  char    *project;
  char    *optimizers;
  char    *steps;
  char    *start;
  char    *lr;
  char    *momentum;
  char    *noise;
  char    *kappa;
  char    *seed;
  char    *csv;
  char    *plane;
  char    *grid;
  char    *grid_csv;
  char    *figure;
  gboolean sweep;
} CompareOptions;

static void
compare_options_clear (CompareOptions *o)
{
  char **strings[] = {
    &o->surface, &o->preset, &o->project, &o->optimizers, &o->steps, &o->start,
    &o->lr, &o->momentum, &o->noise, &o->kappa, &o->seed, &o->csv, &o->plane,
    &o->grid, &o->grid_csv, &o->figure,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CompareOptions, compare_options_clear)

typedef enum
{
  MODE_SURFACE, /* a textbook surface */
  MODE_DATA,    /* logistic or line on a project's data */
  MODE_PRESET,
  MODE_NETWORK, /* the network's own loss */
} CompareMode;

/* One item of --lr or --noise: "NAME=X", or a bare "X" (name NULL) for every runner. NAME
 * is an optimizer or the label of one runner ("gd-2", a preset's "gd-lr0.9"). */
typedef struct
{
  char    *name;
  double   value;
  gboolean used;
} NamedValue;

typedef struct
{
  guint      n;
  NamedValue items[NN_RACE_MAX_RUNNERS];
} NamedValues;

typedef struct
{
  gboolean    given;
  NnPlaneKind kind;
  NnWeightRef refs[2];
} PlaneSpec;

/* The options once parsed. */
typedef struct
{
  CompareMode     mode;
  NnSurfaceKind   surface;
  NnRacePreset    preset;
  guint           n_kinds; /* 0: the default */
  NnOptimizerKind kinds[NN_RACE_MAX_RUNNERS];
  guint           steps;   /* 0: the default */
  gboolean        has_seed, has_start, has_momentum, has_kappa;
  guint32         seed;
  double          start[2];
  double          momentum;
  double          kappa;
  NamedValues     lr, noise;
  PlaneSpec       plane;
  guint           grid_res;
} CompareSettings;

static void
compare_settings_clear (CompareSettings *s)
{
  for (guint i = 0; i < s->lr.n; i++)
    g_free (s->lr.items[i].name);
  for (guint i = 0; i < s->noise.n; i++)
    g_free (s->noise.items[i].name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CompareSettings, compare_settings_clear)

/* The optimizers of one comparison, before the race or the training runs exist. */
typedef struct
{
  guint          n;
  NnRunnerConfig cfg[NN_RACE_MAX_RUNNERS];
  char           label[NN_RACE_MAX_RUNNERS][LABEL_SIZE];
} Lineup;

/* ---- Names ------------------------------------------------------------------------- */

/* "gd, sgd, momentum, rmsprop, adam": the engine's own names (see NL_CLI_DEFINE_NAMES). */
NL_CLI_DEFINE_NAMES (optimizer_names, NnOptimizerKind, nn_optimizer_kind_to_string, NN_N_OPTIMIZERS)
NL_CLI_DEFINE_NAMES (surface_names, NnSurfaceKind, nn_surface_kind_to_string, NN_N_SURFACES)
NL_CLI_DEFINE_NAMES (preset_names, NnRacePreset, nn_race_preset_to_string, NN_N_RACE_PRESETS)

static gboolean
fail_bad_name (const char *option, const char *what, const char *value, const char *choices,
               GError **error)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s: unknown %s “%s” (choose from %s)"), option, what, value, choices);
  return FALSE;
}

/* ---- Parsing ----------------------------------------------------------------------- */

static gboolean
parse_optimizers (const char *text, CompareSettings *s, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint n = g_strv_length (items);

  if (n == 0 || n > NN_RACE_MAX_RUNNERS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--optimizers: give 1 to %d optimizers, separated by commas"),
                   NN_RACE_MAX_RUNNERS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!nn_optimizer_kind_from_string (g_strstrip (items[i]), &s->kinds[i]))
      {
        g_autofree char *names = optimizer_names ();

        return fail_bad_name ("--optimizers", _("optimizer"), items[i], names, error);
      }
  s->n_kinds = n;
  return TRUE;
}

static gboolean
named_values_has (const NamedValues *v, const char *name)
{
  for (guint i = 0; i < v->n; i++)
    if (g_strcmp0 (v->items[i].name, name) == 0)
      return TRUE;
  return FALSE;
}

/* One "NAME=X" or "X" of `option`. */
static gboolean
parse_named_value (const char *option, char *item, double max, gboolean positive,
                   NamedValues *v, GError **error)
{
  char *eq = strchr (item, '=');
  g_autofree char *name = eq != NULL ? g_strstrip (g_strndup (item, eq - item)) : NULL;
  const char *text = g_strstrip (eq != NULL ? eq + 1 : item);
  g_autofree char *what = name != NULL ? g_strdup_printf ("%s %s", option, name)
                                       : g_strdup (option);
  double value;

  if (name != NULL && name[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” has no optimizer name before “=”"), option, item);
      return FALSE;
    }
  if (named_values_has (v, name) && name != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: %s is given twice"), option, name);
      return FALSE;
    }
  if (named_values_has (v, name))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: more than one value is given for every optimizer"), option);
      return FALSE;
    }
  if (!nl_cli_parse_double (what, text, 0, max, &value, error))
    return FALSE;
  if (positive && !(value > 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” must be more than 0"), what, text);
      return FALSE;
    }
  v->items[v->n++] = (NamedValue) { g_steal_pointer (&name), value, FALSE };
  return TRUE;
}

/* "adam=0.05,gd=0.001", or one bare value for every optimizer. */
static gboolean
parse_named_values (const char *option, const char *text, double max, gboolean positive,
                    NamedValues *v, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint n = g_strv_length (items);

  if (n == 0 || n > NN_RACE_MAX_RUNNERS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: give 1 to %d values such as adam=0.05, separated by commas"),
                   option, NN_RACE_MAX_RUNNERS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!parse_named_value (option, items[i], max, positive, v, error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_start (const char *text, double *start, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);

  if (g_strv_length (items) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--start: “%s” is not a point x,y such as -1.5,2"), text);
      return FALSE;
    }
  return nl_cli_parse_double ("--start", g_strstrip (items[0]), -MAX_COORDINATE,
                              MAX_COORDINATE, &start[0], error)
         && nl_cli_parse_double ("--start", g_strstrip (items[1]), -MAX_COORDINATE,
                                 MAX_COORDINATE, &start[1], error);
}

/* "L,O,I": layer (0 = the first hidden layer), unit, input (the layer's input count names
 * the bias). Whether it exists is for the engine to say once the network is known. */
static gboolean
parse_weight_ref (const char *text, NnWeightRef *ref, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint64 v[3];

  if (g_strv_length (items) != 3)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--plane: “%s” is not a weight LAYER,UNIT,INPUT such as 0,1,0"), text);
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    if (!nl_cli_parse_uint ("--plane", g_strstrip (items[i]), 0, NN_MAX_UNITS, &v[i], error))
      return FALSE;
  *ref = (NnWeightRef) { (guint) v[0], (guint) v[1], (guint) v[2] };
  return TRUE;
}

static gboolean
parse_plane (const char *text, PlaneSpec *plane, GError **error)
{
  plane->given = TRUE;
  if (strcmp (text, "pca") == 0)
    plane->kind = NN_PLANE_PCA;
  else if (strcmp (text, "random") == 0)
    plane->kind = NN_PLANE_RANDOM;
  else if (g_str_has_prefix (text, "weights:"))
    {
      g_auto (GStrv) refs = g_strsplit (text + strlen ("weights:"), ";", -1);

      plane->kind = NN_PLANE_WEIGHTS;
      if (g_strv_length (refs) != 2)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--plane: “%s” needs two weights, as in weights:0,0,0;0,0,1"), text);
          return FALSE;
        }
      return parse_weight_ref (refs[0], &plane->refs[0], error)
             && parse_weight_ref (refs[1], &plane->refs[1], error);
    }
  else
    return fail_bad_name ("--plane", _("plane"), text, "pca, random, weights:L,O,I;L,O,I",
                          error);
  return TRUE;
}

static gboolean
parse_numbers (const CompareOptions *o, CompareSettings *s, GError **error)
{
  guint64 v;

  if (o->steps != NULL)
    {
      if (!nl_cli_parse_uint ("--steps", o->steps, 1, NN_RACE_MAX_STEPS, &v, error))
        return FALSE;
      s->steps = (guint) v;
    }
  if (o->seed != NULL)
    {
      if (!nl_cli_parse_uint ("--seed", o->seed, 0, G_MAXUINT32, &v, error))
        return FALSE;
      s->has_seed = TRUE;
      s->seed = (guint32) v;
    }
  if (o->grid != NULL)
    {
      if (!nl_cli_parse_uint ("--grid", o->grid, NN_LOSS_GRID_MIN_RES, NN_LOSS_GRID_MAX_RES, &v,
                              error))
        return FALSE;
      s->grid_res = (guint) v;
    }
  s->has_start = o->start != NULL;
  s->has_momentum = o->momentum != NULL;
  s->has_kappa = o->kappa != NULL;
  return (!s->has_start || parse_start (o->start, s->start, error))
         && (!s->has_momentum
             || nl_cli_parse_double ("--momentum", o->momentum, 0, 0.999999, &s->momentum, error))
         && (!s->has_kappa
             || nl_cli_parse_double ("--kappa", o->kappa, 1, NN_RAVINE_MAX_KAPPA, &s->kappa,
                                     error));
}

static gboolean
parse_lists (const CompareOptions *o, CompareSettings *s, GError **error)
{
  return (o->optimizers == NULL || parse_optimizers (o->optimizers, s, error))
         && (o->lr == NULL || parse_named_values ("--lr", o->lr, MAX_LR, TRUE, &s->lr, error))
         && (o->noise == NULL
             || parse_named_values ("--noise", o->noise, MAX_NOISE, FALSE, &s->noise, error))
         && (o->plane == NULL || parse_plane (o->plane, &s->plane, error));
}

/* ---- Which comparison, and which options fit it ------------------------------------- */

typedef struct
{
  const char *name;
  gboolean    given;
} GivenOption;

/* Refuses the first option of `options` that was given: it means nothing here. */
static gboolean
refuse_given (const GivenOption *options, guint n, const char *here, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (options[i].given)
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     _("%s cannot be used with %s"), options[i].name, here);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_preset (const CompareOptions *o, CompareSettings *s, GError **error)
{
  const GivenOption refused[] = {
    { "--surface", o->surface != NULL }, { "--optimizers", o->optimizers != NULL },
    { "--kappa", o->kappa != NULL },     { "--project", o->project != NULL },
    { "--plane", o->plane != NULL },     { "--grid", o->grid != NULL },
    { "--grid-csv", o->grid_csv != NULL },
  };

  if (!nn_race_preset_from_string (o->preset, &s->preset))
    {
      g_autofree char *names = preset_names ();

      return fail_bad_name ("--preset", _("preset"), o->preset, names, error);
    }
  s->mode = MODE_PRESET;
  return refuse_given (refused, G_N_ELEMENTS (refused),
                       _("--preset, which chooses the surface and the optimizers"), error);
}

static gboolean
check_surface (const CompareOptions *o, CompareSettings *s, GError **error)
{
  const GivenOption refused[] = {
    { "--plane", o->plane != NULL },
    { "--grid", o->grid != NULL },
    { "--grid-csv", o->grid_csv != NULL },
    { "--project", o->project != NULL && !nn_surface_kind_is_data (s->surface) },
    { "--noise", o->noise != NULL && nn_surface_kind_is_data (s->surface) },
  };
  g_autofree char *here = NULL;

  s->mode = nn_surface_kind_is_data (s->surface) ? MODE_DATA : MODE_SURFACE;
  if (s->mode == MODE_DATA && o->project == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--surface %s fits the training data of a project: give --project "
                     "FILE.nlab"),
                   o->surface);
      return FALSE;
    }
  if (o->kappa != NULL && s->surface != NN_SURFACE_RAVINE)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--kappa: only the ravine surface has a condition number"));
      return FALSE;
    }
  here = g_strdup_printf ("--surface %s", o->surface);
  return refuse_given (refused, G_N_ELEMENTS (refused), here, error);
}

static gboolean
check_network (const CompareOptions *o, CompareSettings *s, GError **error)
{
  const GivenOption refused[] = {
    { "--start", o->start != NULL },
    { "--noise", o->noise != NULL },
    { "--kappa", o->kappa != NULL },
    { "--sweep", o->sweep },
    /* The network's plane needs its loss grid drawn with the runs: the compare window
     * exports that picture; here --grid-csv and --csv give its data. */
    { "--figure", o->figure != NULL },
  };

  s->mode = MODE_NETWORK;
  if (s->n_kinds > NN_LANDSCAPE_MAX_RUNS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--optimizers: the network’s own loss compares at most %d training runs"),
                   NN_LANDSCAPE_MAX_RUNS);
      return FALSE;
    }
  return refuse_given (refused, G_N_ELEMENTS (refused),
                       _("--project alone (the network’s own loss, trained from the project’s "
                         "initial weights)"),
                       error);
}

static gboolean
choose_mode (const CompareOptions *o, CompareSettings *s, GError **error)
{
  if (o->grid != NULL && o->grid_csv == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--grid needs --grid-csv FILE.csv to write the grid to"));
      return FALSE;
    }
  if (o->sweep && o->lr != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--lr cannot be used with --sweep, which chooses the learning rates"));
      return FALSE;
    }
  if (o->preset != NULL)
    return check_preset (o, s, error);
  if (o->surface != NULL)
    {
      if (!nn_surface_kind_from_string (o->surface, &s->surface))
        {
          g_autofree char *names = surface_names ();

          return fail_bad_name ("--surface", _("surface"), o->surface, names, error);
        }
      return check_surface (o, s, error);
    }
  if (o->project != NULL)
    return check_network (o, s, error);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("compare: give --surface NAME, --preset NAME or --project FILE.nlab (see “%s "
                 "compare --help”)"),
               NL_CLI_NAME);
  return FALSE;
}

static gboolean
check_outputs (const CompareOptions *o, GError **error)
{
  NlFigureFormat format;

  return (o->csv == NULL || nl_cli_check_output ("--csv", o->csv, error))
         && (o->grid_csv == NULL || nl_cli_check_output ("--grid-csv", o->grid_csv, error))
         && (o->figure == NULL
             || (nl_cli_check_output ("--figure", o->figure, error)
                 && nl_cli_race_figure_format (o->figure, &format, error)));
}

/* ---- The lineup: each optimizer's configuration ------------------------------------- */

/* The engine's rule for labels: the optimizer's name, "-2", "-3"… when it repeats. */
static void
lineup_add (Lineup *l, const NnRunnerConfig *cfg)
{
  const char *name = nn_optimizer_kind_to_string (cfg->optimizer.kind);
  guint same = 1;

  for (guint i = 0; i < l->n; i++)
    same += l->cfg[i].optimizer.kind == cfg->optimizer.kind;
  l->cfg[l->n] = *cfg;
  if (same > 1)
    g_snprintf (l->label[l->n], LABEL_SIZE, "%s-%u", name, same);
  else
    g_strlcpy (l->label[l->n], name, LABEL_SIZE);
  l->n++;
}

/* The optimizers asked for (every one by default) with the surface's learning rates, or,
 * for the network, the project's settings for its own optimizer and the engine's defaults
 * for the others. */
static void
lineup_init (Lineup *l, const CompareSettings *s, const NnSurface *surface,
             const NnProject *project)
{
  guint n = s->n_kinds > 0 ? s->n_kinds : NN_N_OPTIMIZERS;

  l->n = 0;
  for (guint i = 0; i < n; i++)
    {
      NnOptimizerKind kind = s->n_kinds > 0 ? s->kinds[i] : (NnOptimizerKind) i;
      NnRunnerConfig cfg;

      nn_runner_config_init (&cfg, kind, surface);
      if (project != NULL && project->optimizer.kind == kind)
        cfg.optimizer = project->optimizer;
      lineup_add (l, &cfg);
    }
}

static void
lineup_init_from_race (Lineup *l, const NnRace *race)
{
  l->n = nn_race_get_n_runners (race);
  for (guint i = 0; i < l->n; i++)
    {
      l->cfg[i] = *nn_race_get_runner_config (race, i);
      g_strlcpy (l->label[i], nn_race_get_runner_label (race, i), LABEL_SIZE);
    }
}

static char *
lineup_labels (const Lineup *l)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < l->n; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", l->label[i]);
  return g_string_free (s, FALSE);
}

/* The value of `v` for one runner: its label first, then its optimizer, then a bare value. */
static NamedValue *
find_value (NamedValues *v, const char *label, NnOptimizerKind kind)
{
  NamedValue *by_kind = NULL, *bare = NULL;

  for (guint i = 0; i < v->n; i++)
    {
      NamedValue *item = &v->items[i];

      if (item->name == NULL)
        bare = item;
      else if (strcmp (item->name, label) == 0)
        return item;
      else if (strcmp (item->name, nn_optimizer_kind_to_string (kind)) == 0)
        by_kind = item;
    }
  return by_kind != NULL ? by_kind : bare;
}

/* A named noise makes that runner stochastic (or not, with 0); a bare one only sets the
 * noise of the runners that already are, so "--noise 2" does not turn Adam into SGD. */
static void
apply_noise (NamedValues *noise, const char *label, NnRunnerConfig *cfg)
{
  NamedValue *v = find_value (noise, label, cfg->optimizer.kind);

  if (v == NULL || (v->name == NULL && !cfg->stochastic))
    return;
  cfg->noise = v->value;
  if (v->name != NULL)
    cfg->stochastic = v->value > 0;
  v->used = TRUE;
}

/* Fails on the first value that no runner took, naming the runners there are. */
static gboolean
check_used (const char *option, const NamedValues *v, const Lineup *l, GError **error)
{
  for (guint i = 0; i < v->n; i++)
    if (!v->items[i].used)
      {
        g_autofree char *labels = lineup_labels (l);

        if (v->items[i].name != NULL)
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s: no optimizer “%s” in this comparison (it has %s)"), option,
                       v->items[i].name, labels);
        else
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s: no optimizer here is stochastic (it has %s); name one, as in "
                         "%s sgd=0.5"),
                       option, labels, option);
        return FALSE;
      }
  return TRUE;
}

static gboolean
lineup_apply (Lineup *l, CompareSettings *s, GError **error)
{
  gboolean momentum_used = FALSE;

  for (guint i = 0; i < l->n; i++)
    {
      NnRunnerConfig *cfg = &l->cfg[i];
      NamedValue *lr = find_value (&s->lr, l->label[i], cfg->optimizer.kind);

      if (lr != NULL)
        {
          cfg->optimizer.learning_rate = lr->value;
          lr->used = TRUE;
        }
      apply_noise (&s->noise, l->label[i], cfg);
      if (s->has_momentum && cfg->optimizer.kind == NN_OPTIMIZER_MOMENTUM)
        {
          cfg->optimizer.momentum = s->momentum;
          momentum_used = TRUE;
        }
    }
  if (s->has_momentum && !momentum_used)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--momentum: there is no momentum optimizer in this comparison"));
      return FALSE;
    }
  if (!check_used ("--lr", &s->lr, l, error) || !check_used ("--noise", &s->noise, l, error))
    return FALSE;
  for (guint i = 0; i < l->n; i++)
    if (!nn_runner_config_validate (&l->cfg[i], error))
      {
        g_prefix_error (error, "%s: ", l->label[i]);
        return FALSE;
      }
  return TRUE;
}

/* ---- Tables ------------------------------------------------------------------------ */

/* Rows of cells, each row a GPtrArray of strings. */
static GPtrArray *
table_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
table_add_row (GPtrArray *table)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (table, row);
  return row;
}

static void
add_cells (GPtrArray *row, ...) G_GNUC_NULL_TERMINATED;

static void
add_cells (GPtrArray *row, ...)
{
  va_list args;
  const char *cell;

  va_start (args, row);
  while ((cell = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (row, g_strdup (cell));
  va_end (args);
}

/* A number in the C locale, whatever the user's locale (the tables are read by scripts
 * too); "-" for a value that does not exist. */
static void
add_number (GPtrArray *row, const char *format, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ptr_array_add (row, g_strdup (isnan (v) ? "-" : g_ascii_formatd (buf, sizeof buf, format,
                                                                      v)));
}

/* Left-aligned columns two spaces apart. */
static void
print_table (GPtrArray *table)
{
  glong width[MAX_COLUMNS] = { 0 };

  for (guint r = 0; r < table->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (table, r);

      g_assert (row->len <= MAX_COLUMNS);
      for (guint c = 0; c < row->len; c++)
        width[c] = MAX (width[c], g_utf8_strlen (g_ptr_array_index (row, c), -1));
    }
  for (guint r = 0; r < table->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (table, r);

      for (guint c = 0; c < row->len; c++)
        {
          const char *cell = g_ptr_array_index (row, c);

          if (c + 1 == row->len)
            printf ("%s\n", cell);
          else
            printf ("%s%*s", cell, (int) (width[c] - g_utf8_strlen (cell, -1) + 2), "");
        }
    }
}

/* After the steps asked for, a runner has either taken them all or left the plot. */
static const char *
state_name (gboolean diverged)
{
  return diverged ? "diverged" : "finished";
}

/* ---- Races on a surface ------------------------------------------------------------ */

static const char *
minimum_kind_name (const NnSurface *surface, gint index)
{
  guint n;
  const NnCriticalPoint *points = nn_surface_get_critical_points (surface, &n);

  if (index < 0 || (guint) index >= n)
    return "-";
  return points[index].kind == NN_CRITICAL_GLOBAL_MINIMUM ? "global" : "local";
}

static void
print_race_table (const NnRace *race)
{
  g_autoptr (GPtrArray) table = table_new ();

  add_cells (table_add_row (table), "optimizer", "learning_rate", "steps", "final_loss",
             "distance", "minimum", "state", NULL);
  for (guint i = 0; i < nn_race_get_n_runners (race); i++)
    {
      GPtrArray *row = table_add_row (table);
      NnRunnerResult r;

      nn_race_get_result (race, i, &r);
      add_cells (row, nn_race_get_runner_label (race, i), NULL);
      add_number (row, "%g", nn_race_get_runner_config (race, i)->optimizer.learning_rate);
      add_number (row, "%.0f", r.steps);
      add_number (row, "%.6g", r.loss);
      add_number (row, "%.4g", r.distance);
      add_cells (row, minimum_kind_name (nn_race_get_surface (race), r.nearest_minimum),
                 state_name (r.state == NN_RUNNER_DIVERGED), NULL);
    }
  print_table (table);
}

static char *
format_point (double x, double y)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("(%s, %s)", g_ascii_formatd (a, sizeof a, "%.4g", x),
                          g_ascii_formatd (b, sizeof b, "%.4g", y));
}

/* "rosenbrock from (-1.5, 2), 500 steps, seed 1" and the known minima. */
static void
print_race_heading (const NnRace *race, guint steps)
{
  NnSurface *surface = nn_race_get_surface (race);
  const NnCriticalPoint *points;
  guint n;
  double x, y;
  g_autofree char *start = NULL;
  g_autoptr (GString) minima = g_string_new (NULL);

  nn_race_get_start (race, &x, &y);
  start = format_point (x, y);
  printf (_("%s from %s, %u steps, seed %u"), nn_surface_get_name (surface), start, steps,
          nn_race_get_seed (race));
  if (nn_surface_get_kind (surface) == NN_SURFACE_RAVINE)
    {
      char kappa[G_ASCII_DTOSTR_BUF_SIZE];
      double k = nn_surface_get_condition_number (surface);

      printf (", κ = %s", g_ascii_formatd (kappa, sizeof kappa, "%g", k));
    }
  printf ("\n");

  points = nn_surface_get_critical_points (surface, &n);
  for (guint i = 0; i < n; i++)
    if (points[i].kind != NN_CRITICAL_SADDLE)
      {
        g_autofree char *at = format_point (points[i].x, points[i].y);

        g_string_append_printf (minima, "%s%s %s", minima->len > 0 ? ", " : "",
                                minimum_kind_name (surface, (gint) i), at);
      }
  if (minima->len > 0)
    printf (_("Minima: %s"), minima->str);
  else
    printf ("%s", _("No finite minimum is known on this surface."));
  printf ("\n\n");
}

/* Tries each runner's rate over a log range from the same start and keeps its best, so the
 * table compares the optimizers at their best, not at the rates they happened to get. */
static gboolean
run_sweep (NnRace *race, guint steps, GError **error)
{
  guint n = nn_race_get_n_runners (race);
  g_autofree NnSweepResult *results = g_new0 (NnSweepResult, n);
  g_autoptr (GPtrArray) table = table_new ();
  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
  NnSweepConfig cfg;

  nn_sweep_config_init (&cfg);
  cfg.steps = steps;
  if (!nn_race_sweep (race, &cfg, results, error))
    return FALSE;

  printf (_("Learning-rate sweep: %u rates from %s to %s, %u steps each, the best kept:"),
          cfg.n_rates, g_ascii_formatd (lo, sizeof lo, "%g", cfg.lr_min),
          g_ascii_formatd (hi, sizeof hi, "%g", cfg.lr_max), cfg.steps);
  printf ("\n");
  add_cells (table_add_row (table), "optimizer", "best_learning_rate", "final_loss",
             "steps_to_threshold", "diverged", NULL);
  for (guint i = 0; i < n; i++)
    {
      GPtrArray *row = table_add_row (table);
      const NnSweepResult *r = &results[i];

      add_cells (row, nn_race_get_runner_label (race, i), NULL);
      add_number (row, "%.6g", r->found ? r->learning_rate : NAN);
      add_number (row, "%.6g", r->found ? r->final_loss : NAN);
      add_number (row, "%.0f", r->steps_to_threshold == G_MAXUINT ? NAN
                                                                   : r->steps_to_threshold);
      g_ptr_array_add (row, g_strdup_printf ("%u/%u", r->n_diverged, cfg.n_rates));
    }
  print_table (table);
  printf ("\n");
  nn_race_apply_sweep (race, results);
  return TRUE;
}

static NnRace *
race_new (NnSurface *surface, const Lineup *l, guint32 seed, const double *start,
          GError **error)
{
  g_autoptr (NnRace) race = nn_race_new (surface, seed);

  for (guint i = 0; i < l->n; i++)
    if (nn_race_add_runner (race, &l->cfg[i], l->label[i], error) < 0)
      return NULL;
  nn_race_set_start (race, start[0], start[1]);
  return g_steal_pointer (&race);
}

/* Runs the race (after the sweep, if asked), prints it and writes its CSV. */
/* Runs the race (after the sweep, if asked), prints it and writes its CSV and figure;
 * `title` heads the figure. */
static int
run_race (const CompareOptions *o, NnRace *race, guint steps, const char *title)
{
  g_autoptr (GError) error = NULL;

  if (o->sweep && !run_sweep (race, steps, &error))
    return nl_cli_fail (error);
  nn_race_run (race, steps);
  print_race_heading (race, steps);
  print_race_table (race);
  if (o->csv != NULL && !nn_race_save_csv (race, o->csv, &error))
    return nl_cli_fail (error);
  if (o->figure != NULL && !nl_cli_save_race_figure (race, title, o->figure, &error))
    return nl_cli_fail (error);
  return NL_CLI_OK;
}

/* ---- The network's own loss -------------------------------------------------------- */

static NnPlane *
build_plane (NnLandscape *ls, const PlaneSpec *spec, guint32 seed, GError **error)
{
  switch (spec->kind)
    {
    case NN_PLANE_RANDOM:
      return nn_landscape_plane_random (ls, seed, FALSE);
    case NN_PLANE_WEIGHTS:
      {
        NnPlane *plane = nn_landscape_plane_weights (ls, &spec->refs[0], &spec->refs[1], error);

        if (plane == NULL)
          g_prefix_error (error, "--plane: ");
        return plane;
      }
    case NN_PLANE_PCA:
    case NN_PLANE_CUSTOM:
    default:
      return nn_landscape_plane_pca (ls, NN_PCA_CENTER_FINAL, error);
    }
}

static const char *
plane_name (NnPlaneKind kind)
{
  return kind == NN_PLANE_RANDOM ? "random" : kind == NN_PLANE_WEIGHTS ? "weights" : "pca";
}

/* "plane pca  variance_d1 0.9123  variance_d2 0.0612  explained 0.9735": how much of the
 * runs' movement the plane shows, so a contour is not taken for the whole story. */
static void
print_plane_line (NnLandscape *ls, const NnPlane *plane)
{
  NnPointSet sets[NN_LANDSCAPE_MAX_RUNS];
  g_autoptr (GString) line = g_string_new ("plane ");

  nn_landscape_get_point_sets (ls, sets);
  g_string_append (line, plane_name (plane->kind));
  if (plane->kind == NN_PLANE_PCA)
    {
      g_string_append (line, "  variance_d1 ");
      nl_cli_append_double (line, "%.6f", plane->variance[0]);
      g_string_append (line, "  variance_d2 ");
      nl_cli_append_double (line, "%.6f", plane->variance[1]);
    }
  g_string_append (line, "  explained ");
  nl_cli_append_double (line, "%.6f", nn_plane_explained (plane, sets,
                                                          nn_landscape_get_n_runs (ls)));
  printf ("%s\n\n", line->str);
}

/* The final point seen through the plane: where it projects, the loss the contour shows
 * there, and how far the real point is from it. */
static void
add_projection (GPtrArray *row, NnLandscape *ls, const NnPlane *plane, guint run)
{
  guint last = nn_landscape_get_n_points (ls, run) - 1;
  g_autofree double *theta = g_new (double, plane->n_params);
  double alpha, beta, residual;

  nn_plane_project (plane, nn_landscape_get_point (ls, run, last), &alpha, &beta, &residual);
  nn_plane_lift (plane, alpha, beta, theta);
  add_number (row, "%.6g", alpha);
  add_number (row, "%.6g", beta);
  add_number (row, "%.6g", nn_loss_evaluator_eval (nn_landscape_get_evaluator (ls), theta));
  add_number (row, "%.6g", residual);
}

static void
print_network_table (NnLandscape *ls, const NnPlane *plane)
{
  g_autoptr (GPtrArray) table = table_new ();
  GPtrArray *header = table_add_row (table);

  add_cells (header, "optimizer", "learning_rate", "steps", "final_loss", "state", NULL);
  if (plane != NULL)
    add_cells (header, "alpha", "beta", "plane_loss", "distance_from_plane", NULL);
  for (guint r = 0; r < nn_landscape_get_n_runs (ls); r++)
    {
      GPtrArray *row = table_add_row (table);
      guint last = nn_landscape_get_n_points (ls, r) - 1;

      add_cells (row, nn_landscape_get_label (ls, r), NULL);
      add_number (row, "%g", nn_landscape_get_optimizer (ls, r)->learning_rate);
      add_number (row, "%.0f", last);
      add_number (row, "%.6g", nn_landscape_get_loss (ls, r, last));
      add_cells (row, state_name (nn_landscape_run_diverged (ls, r)), NULL);
      if (plane != NULL)
        add_projection (row, ls, plane, r);
    }
  print_table (table);
}

static gboolean
draw_grid_progress (guint rows_done, guint rows_total, gpointer user_data)
{
  fprintf (stderr, "\r%s %u/%u", _("loss grid: row"), rows_done, rows_total);
  fflush (stderr);
  return TRUE;
}

/* The loss over the plane, res × res nodes around every trajectory, as alpha,beta,loss rows
 * from the top row (the largest beta) down, as the engine's grids are laid out. */
static GString *
grid_to_csv (NnLandscape *ls, const NnPlane *plane, guint res, GError **error)
{
  NnBox box;
  g_autoptr (NnLossGrid) grid = NULL;
  gboolean show = isatty (STDERR_FILENO);
  GString *csv;
  gboolean ok;

  nn_landscape_suggest_box (ls, plane, GRID_MARGIN, &box);
  grid = nn_loss_grid_new (&box, res);
  ok = nn_loss_grid_compute (grid, nn_landscape_get_evaluator (ls), plane,
                             show ? draw_grid_progress : NULL, NULL, NULL, error);
  if (show)
    fprintf (stderr, "\r\033[K");
  if (!ok)
    return NULL;
  csv = g_string_new ("alpha,beta,loss\n");
  for (guint row = 0; row < res; row++)
    for (guint col = 0; col < res; col++)
      {
        nl_cli_append_double (csv, "%.17g", nn_box_node_x (&box, res, col));
        g_string_append_c (csv, ',');
        nl_cli_append_double (csv, "%.17g", nn_box_node_y (&box, res, row));
        g_string_append_c (csv, ',');
        nl_cli_append_double (csv, "%.17g", grid->values[(gsize) row * res + col]);
        g_string_append_c (csv, '\n');
      }
  return csv;
}

/* Builds both files before writing either, then writes each atomically. */
static gboolean
write_network_outputs (const CompareOptions *o, const CompareSettings *s, NnLandscape *ls,
                       const NnPlane *plane, GError **error)
{
  g_autoptr (GString) grid = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;

  if (o->grid_csv != NULL)
    {
      grid = grid_to_csv (ls, plane, s->grid_res > 0 ? s->grid_res : NN_LOSS_GRID_DEFAULT_RES,
                          error);
      if (grid == NULL)
        return FALSE;
    }
  if (o->csv != NULL)
    csv = nn_landscape_to_csv (ls, plane, &length);
  return (csv == NULL || nn_write_file_atomically (o->csv, csv, length, error))
         && (grid == NULL || nl_cli_write_file (o->grid_csv, grid, error));
}

static int
compare_network (const CompareOptions *o, CompareSettings *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = nn_project_load (o->project, &error);
  g_autoptr (NnLandscape) ls = NULL;
  g_autoptr (NnPlane) plane = NULL;
  NnOptimizerConfig configs[NN_LANDSCAPE_MAX_RUNS];
  guint steps = s->steps > 0 ? s->steps : DEFAULT_STEPS;
  Lineup lineup;

  if (project == NULL)
    return nl_cli_fail (error);
  if (s->has_seed)
    project->seed = s->seed;
  lineup_init (&lineup, s, NULL, project);
  if (!lineup_apply (&lineup, s, &error))
    return nl_cli_fail (error);
  for (guint i = 0; i < lineup.n; i++)
    configs[i] = lineup.cfg[i].optimizer;
  ls = nn_landscape_new (project, configs, lineup.n, steps, &error);
  if (ls == NULL)
    return nl_cli_fail (error);
  nn_landscape_run (ls, steps);

  /* The trajectories CSV is in plane coordinates, so it needs a plane even without
   * --plane: PCA's, the one that shows the most of them. */
  if (s->plane.given || o->csv != NULL || o->grid_csv != NULL)
    {
      plane = build_plane (ls, &s->plane, project->seed, &error);
      if (plane == NULL)
        return nl_cli_fail (error);
    }
  printf (_("%s: the network trained by each optimizer from the same initial weights, %u steps, "
            "seed %u"),
          o->project, steps, project->seed);
  printf ("\n\n");
  if (plane != NULL)
    print_plane_line (ls, plane);
  print_network_table (ls, plane);
  if (!write_network_outputs (o, s, ls, plane, &error))
    return nl_cli_fail (error);
  return NL_CLI_OK;
}

/* ---- Help ------------------------------------------------------------------------ */

/* Columns a character takes in a terminal: East Asian wide characters take two. */
static guint
char_columns (gunichar c)
{
  return g_unichar_iswide (c) ? 2 : 1;
}

/* Japanese (and Chinese) text has no spaces: a line may break before any wide character,
 * except before closing punctuation, which stays with the character it follows. */
static gboolean
may_break_before (gunichar c)
{
  static const char closing[] = "、。，．・：；？！」』）〕】〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ";

  return g_unichar_iswide (c) && g_utf8_strchr (closing, -1, c) == NULL;
}

/* Prints `text` wrapped to HELP_WIDTH columns, continuation lines indented by `indent`;
 * the first line goes on after `column` characters already printed. Lines break at spaces,
 * and between wide characters (translations into Japanese have no spaces to break at). */
static void
append_wrapped (GString *out, const char *text, guint indent, guint column)
{
  const char *p = text;
  gboolean space = TRUE;   /* the first word is spaced from what the line holds already */

  while (*p != '\0')
    {
      const char *start, *end;
      gboolean wide;
      guint width = 0;

      while (*p == ' ')
        space = TRUE, p++;
      if (*p == '\0')
        break;
      /* The next piece that cannot be broken: a word, or one wide character (with the
       * punctuation that closes it). */
      start = end = p;
      wide = g_unichar_iswide (g_utf8_get_char (start));
      do
        {
          gunichar c = g_utf8_get_char (end);

          if (end > start && (may_break_before (c) || (wide && !g_unichar_iswide (c))))
            break;
          width += char_columns (c);
          end = g_utf8_next_char (end);
        }
      while (*end != '\0' && *end != ' ');

      if (column > indent && column + (space ? 1 : 0) + width > HELP_WIDTH)
        {
          g_string_append_printf (out, "\n%*s", (int) indent, "");
          column = indent;
        }
      else if (column > indent && space)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append_len (out, start, end - start);
      column += width;
      space = FALSE;
      p = end;
    }
  g_string_append_c (out, '\n');
}

/* "  name        description…", the description wrapped under itself. */
static void
append_item (GString *out, const char *name, const char *description)
{
  const guint indent = 17;

  g_string_append_printf (out, "  %-*s", (int) indent - 2, name);
  if (strlen (name) + 2 >= indent)
    g_string_append_printf (out, "\n%*s", (int) indent, "");
  append_wrapped (out, description, indent, indent);
}

static char *
help_description (void)
{
  GString *out = g_string_new (NULL);
  g_autofree char *optimizers = optimizer_names ();

  g_string_append_printf (out, "%s\n", _("Surfaces (--surface NAME):"));
  for (guint k = 0; k < NN_N_TEXTBOOK_SURFACES; k++)
    {
      g_autoptr (NnSurface) surface = nn_surface_new (k);

      append_item (out, nn_surface_kind_to_string (k), _(nn_surface_get_description (surface)));
    }
  append_item (out, nn_surface_kind_to_string (NN_SURFACE_LOGISTIC),
               _("Logistic regression through the origin, p = σ(w1·x1 + w2·x2), on the "
                 "training data of --project (two classes). Two parameters: the true loss "
                 "surface, SGD’s noise from real mini-batches."));
  append_item (out, nn_surface_kind_to_string (NN_SURFACE_LINE),
               _("One neuron y = w·x1 + b fitted by mean squared error to the training data "
                 "of --project."));
  g_string_append_printf (out, "\n%s %s\n\n", _("Optimizers (--optimizers LIST):"), optimizers);
  g_string_append_printf (out, "%s\n", _("Presets (--preset NAME), the classic lessons:"));
  for (guint p = 0; p < NN_N_RACE_PRESETS; p++)
    append_item (out, nn_race_preset_to_string (p), _(nn_race_preset_get_description (p)));
  g_string_append_c (out, '\n');
  append_wrapped (out,
                  _("With --project alone, each optimizer trains the project’s network from "
                    "the same initial weights on the same mini-batch order, and the table "
                    "gives its final training loss. --plane pca (the trajectories’ two "
                    "principal directions), random (two filter-normalised directions) or "
                    "weights:L,O,I;L,O,I (two weights: layer from 0, unit, input; input = "
                    "the layer’s input count is the bias) adds the variance the plane "
                    "explains and, for each run, its projected final point, the loss the "
                    "plane shows there and its distance from the plane."),
                  0, 0);
  g_string_append_c (out, '\n');
  append_wrapped (out,
                  _("The table gives per optimizer its learning rate, the steps taken, the "
                    "final loss, the distance to the nearest known minimum and which minimum "
                    "that is, and its state: finished (took every step) or diverged (left "
                    "the plot or overflowed, and stopped). --csv writes every step as "
                    "optimizer,step,x,y,loss."),
                  0, 0);
  g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* ---- Races: textbook surfaces, data surfaces, presets -------------------------------- */

static NnSurface *
surface_new (const CompareOptions *o, const CompareSettings *s, guint32 *seed, GError **error)
{
  g_autoptr (NnProject) project = NULL;

  if (s->mode == MODE_SURFACE)
    return s->surface == NN_SURFACE_RAVINE && s->has_kappa
             ? nn_surface_new_ravine (s->kappa, error)
             : nn_surface_new (s->surface);
  project = nn_project_load (o->project, error);
  if (project == NULL)
    return NULL;
  /* The project's seed made its data; by default it also orders the mini-batches. */
  *seed = project->seed;
  return nn_surface_new_for_project (s->surface, project, error);
}

static int
compare_surface (const CompareOptions *o, CompareSettings *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnSurface) surface = NULL;
  g_autoptr (NnRace) race = NULL;
  guint32 seed = 1;
  double start[2];
  Lineup lineup;

  surface = surface_new (o, s, &seed, &error);
  if (surface == NULL)
    return nl_cli_fail (error);
  lineup_init (&lineup, s, surface, NULL);
  if (!lineup_apply (&lineup, s, &error))
    return nl_cli_fail (error);
  nn_surface_get_start (surface, &start[0], &start[1]);
  if (s->has_start)
    memcpy (start, s->start, sizeof start);
  race = race_new (surface, &lineup, s->has_seed ? s->seed : seed, start, &error);
  if (race == NULL)
    return nl_cli_fail (error);
  return run_race (o, race, s->steps > 0 ? s->steps : DEFAULT_STEPS, nn_surface_get_name (surface));
}

/* The preset's race, rebuilt with whatever the options change in it. */
static int
compare_preset (const CompareOptions *o, CompareSettings *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnRace) preset = nn_race_new_preset (s->preset);
  g_autoptr (NnRace) race = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;
  double start[2];
  Lineup lineup;

  lineup_init_from_race (&lineup, preset);
  if (!lineup_apply (&lineup, s, &error))
    return nl_cli_fail (error);
  nn_race_get_start (preset, &start[0], &start[1]);
  if (s->has_start)
    memcpy (start, s->start, sizeof start);
  race = race_new (nn_race_get_surface (preset), &lineup,
                   s->has_seed ? s->seed : nn_race_get_seed (preset), start, &error);
  if (race == NULL)
    return nl_cli_fail (error);
  /* The lesson first, so the table below reads as its evidence. */
  g_string_append_printf (text, "%s:", nn_race_preset_to_string (s->preset));
  append_wrapped (text, _(nn_race_preset_get_description (s->preset)), 2, (guint) text->len);
  printf ("%s\n", text->str);
  title = g_strdup_printf (_("Lesson: %s"), nn_race_preset_to_string (s->preset));
  return run_race (o, race, s->steps > 0 ? s->steps : nn_race_preset_get_steps (s->preset), title);
}

int
nl_cli_compare (int argc, char **argv)
{
  const NlCliCommand *command = nl_cli_find_command ("compare");
  g_auto (CompareOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "surface", 0, 0, G_OPTION_ARG_STRING, &o.surface,
      N_("Race on this surface (listed below)"), "NAME" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &o.preset,
      N_("Race one of the classic lessons (listed below)"), "NAME" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &o.project,
      N_("The project: its network, or its data for logistic and line"),
      "FILE.nlab" },
    { "optimizers", 0, 0, G_OPTION_ARG_STRING, &o.optimizers,
      N_("The optimizers to compare, e.g. gd,momentum,adam (default: all)"), "LIST" },
    { "steps", 0, 0, G_OPTION_ARG_STRING, &o.steps,
      N_("Steps per optimizer (default: 300, or the preset’s)"), "N" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &o.start,
      N_("Start every optimizer here (default: the surface’s)"), "X,Y" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &o.lr,
      N_("Learning rates, e.g. adam=0.05,gd=0.001, or one for all"),
      "NAME=X,…" },
    { "momentum", 0, 0, G_OPTION_ARG_STRING, &o.momentum,
      N_("The momentum μ of the momentum optimizer (default: 0.9)"), "X" },
    { "noise", 0, 0, G_OPTION_ARG_STRING, &o.noise,
      N_("Gradient noise (sd) on a textbook surface, e.g. sgd=0.5"),
      "NAME=X,…" },
    { "kappa", 0, 0, G_OPTION_ARG_STRING, &o.kappa,
      N_("The ravine’s condition number κ (default: 25)"), "X" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      N_("Seed of the noise, the batch order and the initial weights"),
      "N" },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &o.sweep,
      N_("Find each optimizer’s best learning rate first, then race"),
      NULL },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv,
      N_("Write every step as optimizer,step,x,y,loss"), "OUT.csv" },
    { "plane", 0, 0, G_OPTION_ARG_STRING, &o.plane,
      N_("View the network’s runs through pca, random or weights:…"),
      "PLANE" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &o.grid,
      N_("Nodes per side of the loss grid (default: 61)"), "N" },
    { "grid-csv", 0, 0, G_OPTION_ARG_FILENAME, &o.grid_csv,
      N_("Write the loss over the plane as alpha,beta,loss"),
      "FILE.csv" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &o.figure,
      N_("Draw the race (surface, trajectories, loss) as PNG, SVG or PDF"), "FILE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = nl_cli_option_context_new (command, entries);
  g_autofree char *description = help_description ();
  g_autoptr (GError) error = NULL;
  g_auto (CompareSettings) s = { 0 };

  g_option_context_set_description (context, description);
  if (!nl_cli_parse_options (context, &argc, &argv, &error)
      || !nl_cli_expect_arguments (command, argc, argv, 0, &error)
      || !parse_numbers (&o, &s, &error)
      || !parse_lists (&o, &s, &error)
      || !choose_mode (&o, &s, &error)
      || !check_outputs (&o, &error))
    return nl_cli_fail (error);

  switch (s.mode)
    {
    case MODE_NETWORK:
      return compare_network (&o, &s);
    case MODE_PRESET:
      return compare_preset (&o, &s);
    case MODE_SURFACE:
    case MODE_DATA:
    default:
      return compare_surface (&o, &s);
    }
}
