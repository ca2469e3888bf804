/* nl-cli-race-figure.c: `compare --figure`, the race drawn as the compare window exports
 * it: the surface's contours with every optimizer's trajectory, and the loss against the
 * step (nl_render_race_picture). */
#include <math.h>
#include <glib/gi18n.h>

#include "nl-cli-common.h"
#include "nl-render.h"

#define FIGURE_WIDTH  1400
#define FIGURE_HEIGHT 1280
#define SURFACE_RES   121   /* as the compare window's textbook grid */
#define MAX_RUNNERS   8

gboolean
nl_cli_race_figure_format (const char *path, NlFigureFormat *format, GError **error)
{
  if (nl_figure_format_from_path (path, format))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--figure: %s: the file must end in .png, .svg or .pdf"), path);
  return FALSE;
}

typedef struct
{
  NnRace              *race;
  const char          *title;
  double              *grid;
  NlSurfaceTrajectory  trajectories[MAX_RUNNERS];
} RaceFigure;

static void
draw_race (cairo_t *cr, double width, double height, gpointer data)
{
  RaceFigure *f = data;
  const NlRenderStyle *style = nl_render_style_get_default (NL_RENDER_THEME_LIGHT);
  NnSurface *surface = nn_race_get_surface (f->race);
  g_autoptr (NlRenderCache) cache = nl_render_cache_new ();
  NlSurfaceScene scene;
  NlRaceLossScene loss = { 0 };
  guint n_runners = MIN (nn_race_get_n_runners (f->race), MAX_RUNNERS), n;
  double min;

  nl_render_set_source (cr, &style->background);
  cairo_paint (cr);

  nl_surface_scene_init (&scene);
  scene.grid = f->grid;
  scene.res = SURFACE_RES;
  nn_surface_get_view_box (surface, &scene.box);
  scene.equal_aspect = TRUE;
  nn_surface_get_axis_names (surface, &scene.x_name, &scene.y_name);
  scene.title = f->title;
  scene.critical = nn_surface_get_critical_points (surface, &n);
  scene.n_critical = n;
  for (guint r = 0; r < n_runners; r++)
    {
      const NnTrajectoryPoint *pts = nn_race_get_trajectory (f->race, r, &n);
      NnRunnerResult result;

      nn_race_get_result (f->race, r, &result);
      f->trajectories[r] = (NlSurfaceTrajectory) {
        nn_race_get_runner_label (f->race, r), nl_surface_trajectory_color (style, r),
        &pts[0].x, &pts[0].y, &pts[0].loss, NULL, sizeof (NnTrajectoryPoint), n,
        result.state == NN_RUNNER_DIVERGED,
      };
    }
  scene.trajectories = f->trajectories;
  scene.n_trajectories = n_runners;
  scene.has_start = TRUE;
  nn_race_get_start (f->race, &scene.start_x, &scene.start_y);

  loss.series = f->trajectories;
  loss.n_series = n_runners;
  loss.max_step = nn_race_get_step (f->race);
  loss.log_scale = TRUE;
  min = nn_surface_get_min_value (surface);
  if (isfinite (min) && min < 0)
    {
      /* Below zero a log axis needs the height above the minimum. */
      loss.offset = min;
      loss.y_name = _("Loss above the minimum (log scale)");
    }
  nl_render_race_picture (cr, &scene, &loss, style, cache, width, height);
}

gboolean
nl_cli_save_race_figure (NnRace *race, const char *title, const char *path, GError **error)
{
  RaceFigure f = { race, title, NULL, { { 0 } } };
  NlFigureFormat format;
  NnBox box;
  gboolean ok;

  if (!nl_cli_race_figure_format (path, &format, error))
    return FALSE;
  f.grid = g_new (double, SURFACE_RES * SURFACE_RES);
  nn_surface_get_view_box (nn_race_get_surface (race), &box);
  nn_surface_eval_grid (nn_race_get_surface (race), &box, SURFACE_RES, f.grid);
  ok = nl_figure_export_save (format, path, FIGURE_WIDTH, FIGURE_HEIGHT, draw_race, &f, error);
  g_free (f.grid);
  return ok;
}
