/* nl-render-loss.c: loss curves, decimated to the pixel grid. */
#include "nl-render-loss.h"
#include "nl-render-private.h"
#include "nl-render-raster.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MARGIN   8.0
#define TICK_LEN 4.0

void
nl_loss_scene_init (NlLossScene *scene)
{
  g_return_if_fail (scene != NULL);

  memset (scene, 0, sizeof *scene);
  scene->marker_epoch = -1;
  scene->hover_index = -1;
  scene->show_status = TRUE;
}

/* ---------------------------------------------------------------------------------------
 * Ticks
 */

guint
nl_render_nice_ticks (double lo, double hi, guint target, double *ticks, guint max)
{
  double raw, mag, norm, step, first;
  guint n = 0;

  if (!(hi > lo) || !isfinite (lo) || !isfinite (hi) || max == 0)
    {
      if (max > 0 && isfinite (lo))
        ticks[n++] = lo;
      return n;
    }
  raw = (hi - lo) / MAX (target, 1);
  mag = pow (10.0, floor (log10 (raw)));
  norm = raw / mag;
  step = (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * mag;
  first = ceil (lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9 && n < max; v = first + n * step)
    ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
  return n;
}

guint
nl_render_log_ticks (double lo, double hi, double *ticks, guint max)
{
  double a = ceil (log10 (lo) - 1e-9), b = floor (log10 (hi) + 1e-9);
  double every;
  guint n = 0;

  if (!(lo > 0) || !(hi >= lo) || max == 0)
    return 0;
  /* Thin whole decades to at most `max` labels. */
  every = MAX (1.0, ceil ((b - a + 1) / max));
  for (double e = a; e <= b && n < max; e += every)
    ticks[n++] = pow (10.0, e);
  return n;
}

/* ---------------------------------------------------------------------------------------
 * Layout
 */

static gboolean
value_shown (double v, gboolean log_scale)
{
  return isfinite (v) && (!log_scale || v > 0);
}

static void
data_range (const NlLossScene *scene, gboolean log_scale, double *lo, double *hi)
{
  *lo = INFINITY, *hi = -INFINITY;
  for (guint i = 0; i < scene->n_history; i++)
    {
      const double v[2] = { scene->history[i].train_loss, scene->history[i].test_loss };
      for (int s = 0; s < 2; s++)
        if (value_shown (v[s], log_scale))
          *lo = MIN (*lo, v[s]), *hi = MAX (*hi, v[s]);
    }
}

/* How far above the untrained network's loss the axis reaches: a loss ten times that (a
 * thousand in log scale) means the run is blowing up, and one such value must not flatten
 * the rest of the curve. */
#define OUTLIER_FACTOR     10.0
#define OUTLIER_FACTOR_LOG 1000.0

/* The largest shown loss of the first record: an untrained network's. */
static double
first_loss (const NlLossScene *scene, gboolean log_scale)
{
  double first = 0;

  for (guint i = 0; i < scene->n_history && first == 0; i++)
    {
      const double v[2] = { scene->history[i].train_loss, scene->history[i].test_loss };
      for (int s = 0; s < 2; s++)
        if (value_shown (v[s], log_scale))
          first = MAX (first, fabs (v[s]));
    }
  return first;
}

/* Leaves out of [lo, hi] the values more than the outlier factor above the first loss;
 * TRUE when there were any. */
static gboolean
clip_outliers (const NlLossScene *scene, gboolean log_scale, double *lo, double *hi)
{
  double limit = (log_scale ? OUTLIER_FACTOR_LOG : OUTLIER_FACTOR)
                 * first_loss (scene, log_scale);
  double top = -INFINITY;

  if (!(limit > 0) || *hi <= limit)
    return FALSE;
  for (guint i = 0; i < scene->n_history; i++)
    {
      const double v[2] = { scene->history[i].train_loss, scene->history[i].test_loss };
      for (int s = 0; s < 2; s++)
        if (value_shown (v[s], log_scale) && v[s] <= limit)
          top = MAX (top, v[s]);
    }
  if (!(top >= *lo))
    return FALSE;
  *hi = top;
  return TRUE;
}

static void
compute_y_range (NlLossLayout *layout, const NlLossScene *scene, guint target)
{
  double lo, hi;

  data_range (scene, scene->log_scale, &lo, &hi);
  layout->data_max = hi;
  layout->clipped_top = hi >= lo && clip_outliers (scene, scene->log_scale, &lo, &hi);
  if (scene->log_scale)
    {
      if (!(hi >= lo))
        lo = 1e-2, hi = 1.0;
      layout->y_min = floor (log10 (lo));
      layout->y_max = MAX (ceil (log10 (hi)), layout->y_min + 1);
      layout->n_y_ticks = nl_render_log_ticks (pow (10, layout->y_min), pow (10, layout->y_max),
                                               layout->y_ticks, MAX (target, 2));
      return;
    }
  if (!(hi >= lo))
    lo = 0.0, hi = 1.0;
  /* Loss axes start at zero (unless a loss is negative), so curves can be compared. */
  lo = MIN (lo, 0.0);
  hi = hi > lo ? hi : lo + 1.0;
  layout->n_y_ticks = nl_render_nice_ticks (lo, hi, target, layout->y_ticks, 16);
  layout->y_min = lo;
  /* Round the top up to the next tick so the highest value sits under a labelled line. */
  if (layout->n_y_ticks >= 2)
    {
      double step = layout->y_ticks[1] - layout->y_ticks[0];
      double top = layout->y_ticks[layout->n_y_ticks - 1];
      if (top < hi - step * 1e-9 && layout->n_y_ticks < 16)
        layout->y_ticks[layout->n_y_ticks++] = top + step;
      layout->y_max = layout->y_ticks[layout->n_y_ticks - 1];
    }
  else
    layout->y_max = hi;
}

static void
compute_x_range (NlLossLayout *layout, const NlLossScene *scene, guint target)
{
  double lo = 0, hi = 1;

  if (scene->n_history > 0)
    {
      lo = scene->history[0].epoch;
      hi = MAX (scene->history[scene->n_history - 1].epoch, lo + 1);
    }
  layout->x_min = lo, layout->x_max = hi;
  layout->n_x_ticks = nl_render_nice_ticks (lo, hi, target, layout->x_ticks, 16);
  /* Epochs are whole numbers: never tick at 0.5. */
  if (layout->n_x_ticks >= 2 && layout->x_ticks[1] - layout->x_ticks[0] < 1)
    layout->n_x_ticks = nl_render_nice_ticks (lo, MAX (hi, lo + 2), 2, layout->x_ticks, 16);
}

void
nl_loss_layout_compute (NlLossLayout *layout, const NlLossScene *scene, double width,
                        double height, const NlRenderStyle *style)
{
  double px = nl_text_px (style, 0.92), status_h, left, bottom, top;

  g_return_if_fail (layout != NULL && scene != NULL && style != NULL);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  layout->font_scale = style->font_scale;
  layout->log_scale = scene->log_scale;

  status_h = scene->show_status ? ceil (nl_text_px (style, 1.0) * 1.5) : 0;
  layout->status = (NlRect) { MARGIN, MARGIN, width - 2 * MARGIN, status_h };
  /* The "Loss" title sits above the tick labels, left of the plot's top. */
  top = MARGIN + status_h + ceil (px * 1.5);
  left = MARGIN + ceil (px * 3.6) + TICK_LEN + 4;
  bottom = TICK_LEN + 3 + ceil (px * 1.3) + ceil (px * 1.4) + MARGIN;
  layout->plot = (NlRect) { left, top, MAX (width - left - MARGIN - 6, 1),
                            MAX (height - top - bottom, 1) };
  layout->legend = (NlRect) { layout->plot.x + layout->plot.width - ceil (px * 11), top + 6,
                              ceil (px * 11) - 6, ceil (px * 1.5) * 2 + 8 };
  compute_x_range (layout, scene, MAX (2, (guint) (layout->plot.width / 90)));
  compute_y_range (layout, scene,
                   MAX (2, (guint) (layout->plot.height / (scene->log_scale ? 28 : 45))));
}

double
nl_loss_layout_x_of (const NlLossLayout *layout, double epoch)
{
  return layout->plot.x + (epoch - layout->x_min) / (layout->x_max - layout->x_min)
                            * layout->plot.width;
}

double
nl_loss_layout_y_of (const NlLossLayout *layout, double loss)
{
  double v;

  if (!isfinite (loss))
    return NAN;
  if (layout->log_scale)
    /* Zero (a perfect fit) and below sit on the floor of the axis. */
    v = loss > 0 ? MAX (log10 (loss), layout->y_min) : layout->y_min;
  else
    v = loss;
  return layout->plot.y + layout->plot.height
         - (v - layout->y_min) / (layout->y_max - layout->y_min) * layout->plot.height;
}

double
nl_loss_layout_epoch_at (const NlLossLayout *layout, double x)
{
  return layout->x_min + (x - layout->plot.x) / layout->plot.width
                           * (layout->x_max - layout->x_min);
}

int
nl_loss_layout_index_at (const NlLossLayout *layout, const NlLossScene *scene, double x)
{
  double epoch = nl_loss_layout_epoch_at (layout, x);
  guint lo = 0, hi;

  if (scene->n_history == 0)
    return -1;
  hi = scene->n_history - 1;
  /* The history is ordered by epoch: bisect, then take the nearer neighbour. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (scene->history[mid].epoch < epoch)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0 && epoch - scene->history[lo - 1].epoch < scene->history[lo].epoch - epoch)
    lo--;
  return (int) lo;
}

/* ---------------------------------------------------------------------------------------
 * Drawing
 */

/* A series reduced to what the pixels can show: per pixel column its first, lowest,
 * highest and last values, in runs split where a value is missing. Values are collected
 * raw and mapped to pixels only once a column is complete (the y mapping is monotone, and
 * a log scale's log10 per column instead of per epoch keeps 100 000 epochs cheap). */
typedef struct
{
  const NlLossLayout *layout;
  GArray  *x, *y;       /* of double, in pixels */
  GArray  *runs;        /* of guint: index where each run starts */
  gboolean have;        /* a pixel column is being collected */
  gint64   column;
  double   x_first, x_last, v_first, v_min, v_max, v_last;
} Decimated;

static void
push (Decimated *d, double x, double v)
{
  /* Off the top is just above the plot (the clip hides it): a value of 1e300 must not
   * become a coordinate Cairo cannot hold. */
  double y = MAX (nl_loss_layout_y_of (d->layout, v), d->layout->plot.y - 8);

  g_array_append_val (d->x, x);
  g_array_append_val (d->y, y);
}

static void
flush_column (Decimated *d)
{
  if (!d->have)
    return;
  push (d, d->x_first, d->v_first);
  /* One column of pixels shows its whole vertical extent, whatever the number of epochs
   * that fell into it. */
  if (d->v_min != d->v_max)
    {
      push (d, d->x_first, d->v_min);
      push (d, d->x_last, d->v_max);
    }
  if (d->x_last != d->x_first || d->v_last != d->v_first)
    push (d, d->x_last, d->v_last);
  d->have = FALSE;
}

static void
break_run (Decimated *d)
{
  guint start;

  flush_column (d);
  start = d->x->len;
  if (d->runs->len > 0 && g_array_index (d->runs, guint, d->runs->len - 1) == start)
    return;
  g_array_append_val (d->runs, start);
}

static inline void
add_value (Decimated *d, double x, double v)
{
  gint64 column = (gint64) floor (x);

  if (d->have && column == d->column)
    {
      d->v_min = MIN (d->v_min, v), d->v_max = MAX (d->v_max, v);
      d->x_last = x, d->v_last = v;
      return;
    }
  flush_column (d);
  d->have = TRUE;
  d->column = column;
  d->x_first = d->x_last = x;
  d->v_first = d->v_min = d->v_max = d->v_last = v;
}

static double
series_value (const NnEpochStats *s, gboolean test)
{
  return test ? s->test_loss : s->train_loss;
}

static void
decimate (Decimated *d, const NlLossLayout *layout, const NlLossScene *scene, gboolean test)
{
  /* x of an epoch, as nl_loss_layout_x_of, without a call per epoch. */
  double a = layout->plot.width / (layout->x_max - layout->x_min);
  double b = layout->plot.x - layout->x_min * a;

  memset (d, 0, sizeof *d);
  d->layout = layout;
  d->x = g_array_sized_new (FALSE, FALSE, sizeof (double), 1024);
  d->y = g_array_sized_new (FALSE, FALSE, sizeof (double), 1024);
  d->runs = g_array_new (FALSE, FALSE, sizeof (guint));
  break_run (d);
  for (guint i = 0; i < scene->n_history; i++)
    {
      double v = series_value (&scene->history[i], test);

      /* A gap: the line stops rather than bridging a value that does not exist. */
      if (!isfinite (v))
        break_run (d);
      else
        add_value (d, a * scene->history[i].epoch + b, v);
    }
  flush_column (d);
}

static void
decimated_clear (Decimated *d)
{
  g_array_unref (d->x);
  g_array_unref (d->y);
  g_array_unref (d->runs);
}

static void
run_bounds (const Decimated *d, guint run, guint *start, guint *end)
{
  *start = g_array_index (d->runs, guint, run);
  *end = run + 1 < d->runs->len ? g_array_index (d->runs, guint, run + 1) : d->x->len;
}

#define DASH_ON  6.0
#define DASH_OFF 4.0

/* Strokes every run with Cairo (vector targets) or the raster (image targets). */
static void
stroke_runs (cairo_t *cr, const Decimated *d, const NlRgba *color, gboolean dashed)
{
  const double dash[] = { DASH_ON, DASH_OFF };
  const double *x = (const double *) d->x->data, *y = (const double *) d->y->data;
  NlRaster raster;
  gboolean fast = nl_raster_begin (&raster, cr);

  cairo_save (cr);
  for (guint run = 0; run < d->runs->len; run++)
    {
      guint start, end;

      run_bounds (d, run, &start, &end);
      if (end <= start)
        continue;
      if (fast)
        {
          nl_raster_series (&raster, x + start, y + start, end - start, 2.0, color,
                            dashed ? DASH_ON : 0, DASH_OFF);
          continue;
        }
      cairo_move_to (cr, x[start], y[start]);
      for (guint i = start + 1; i < end; i++)
        cairo_line_to (cr, x[i], y[i]);
    }
  if (fast)
    nl_raster_end (&raster);
  else
    {
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_width (cr, 2.0);
      if (dashed)
        cairo_set_dash (cr, dash, 2, 0);
      nl_render_set_source (cr, color);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_series (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
             const NlRgba *color, gboolean test)
{
  Decimated d;

  decimate (&d, layout, scene, test);
  stroke_runs (cr, &d, color, test);
  if (d.x->len > 0)
    {
      /* The latest value as a dot: also what makes a one-epoch history visible. */
      nl_render_set_source (cr, color);
      cairo_arc (cr, g_array_index (d.x, double, d.x->len - 1),
                 g_array_index (d.y, double, d.y->len - 1), 3.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  decimated_clear (&d);
}

static void
draw_grid (cairo_t *cr, const NlLossLayout *layout, const NlRenderStyle *style)
{
  const NlRect *p = &layout->plot;
  NlRgba minor = nl_rgba_with_alpha (&style->grid, 0.5);

  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->grid);
  for (guint i = 0; i < layout->n_y_ticks; i++)
    {
      double y = nl_snap (nl_loss_layout_y_of (layout, layout->y_ticks[i]), 1);
      cairo_move_to (cr, p->x, y);
      cairo_line_to (cr, p->x + p->width, y);
    }
  for (guint i = 0; i < layout->n_x_ticks; i++)
    {
      double x = nl_snap (nl_loss_layout_x_of (layout, layout->x_ticks[i]), 1);
      cairo_move_to (cr, x, p->y);
      cairo_line_to (cr, x, p->y + p->height);
    }
  cairo_stroke (cr);
  if (!layout->log_scale)
    return;
  /* Every decade a line, labelled or not, and 2×, 3× … 9× lighter: the log scale reads
   * as one. */
  for (double e = layout->y_min; e <= layout->y_max; e += 1)
    {
      double y = nl_snap (nl_loss_layout_y_of (layout, pow (10, e)), 1);
      cairo_move_to (cr, p->x, y);
      cairo_line_to (cr, p->x + p->width, y);
    }
  cairo_stroke (cr);
  if (layout->y_max - layout->y_min > 6)
    return;
  nl_render_set_source (cr, &minor);
  for (double e = layout->y_min; e < layout->y_max; e += 1)
    for (int m = 2; m <= 9; m++)
      {
        double y = nl_snap (nl_loss_layout_y_of (layout, m * pow (10, e)), 1);
        cairo_move_to (cr, p->x, y);
        cairo_line_to (cr, p->x + p->width, y);
      }
  cairo_stroke (cr);
}

static void
draw_axes (cairo_t *cr, const NlLossLayout *layout, const NlRenderStyle *style,
           NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  double px = nl_text_px (style, 0.92), bottom = nl_snap (p->y + p->height, 1);
  double left = nl_snap (p->x, 1), xstep, ystep;
  char label[32];

  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, left, p->y);
  cairo_line_to (cr, left, bottom);
  cairo_line_to (cr, p->x + p->width, bottom);
  cairo_stroke (cr);

  xstep = layout->n_x_ticks > 1 ? layout->x_ticks[1] - layout->x_ticks[0] : 1;
  for (guint i = 0; i < layout->n_x_ticks; i++)
    {
      double x = nl_loss_layout_x_of (layout, layout->x_ticks[i]);
      nl_format_tick (label, sizeof label, layout->x_ticks[i], xstep);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted, x,
                    bottom + TICK_LEN + 2, 0.5, 0.0);
    }
  ystep = layout->n_y_ticks > 1 ? layout->y_ticks[1] - layout->y_ticks[0] : 1;
  for (guint i = 0; i < layout->n_y_ticks; i++)
    {
      double v = layout->y_ticks[i];
      nl_format_tick (label, sizeof label, v, layout->log_scale ? v : ystep);
      nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->muted,
                    left - TICK_LEN - 2, nl_loss_layout_y_of (layout, v), 1.0, 0.5);
    }
  nl_text_draw (cr, cache, style, _("Epoch"), 0.92, NL_TEXT_BOLD, &style->foreground,
                p->x + p->width / 2, bottom + TICK_LEN + 2 + px * 1.3, 0.5, 0.0);
  nl_text_draw (cr, cache, style,
                layout->log_scale ? _("Loss (log scale)") : _("Loss"), 0.92, NL_TEXT_BOLD,
                &style->foreground, MARGIN, p->y - 4, 0.0, 1.0);
}

static void
legend_entry (cairo_t *cr, const NlRenderStyle *style, NlRenderCache *cache, double x,
              double y, const NlRgba *color, gboolean dashed, const char *label)
{
  const double dash[] = { 6.0, 4.0 };

  cairo_save (cr);
  nl_render_set_source (cr, color);
  cairo_set_line_width (cr, 2.0);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x, nl_snap (y, 2));
  cairo_line_to (cr, x + 26, nl_snap (y, 2));
  cairo_stroke (cr);
  cairo_restore (cr);
  nl_text_draw (cr, cache, style, label, 0.92, NL_TEXT_REGULAR, &style->foreground, x + 32, y,
                0.0, 0.5);
}

static gboolean
series_present (const NlLossScene *scene, gboolean test)
{
  for (guint i = 0; i < scene->n_history; i++)
    if (isfinite (series_value (&scene->history[i], test)))
      return TRUE;
  return FALSE;
}

static void
draw_legend (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *r = &layout->legend;
  double row = ceil (nl_text_px (style, 0.92) * 1.5);
  gboolean test = series_present (scene, TRUE) || scene->n_history == 0;
  NlRgba box = nl_rgba_with_alpha (&style->background, 0.85);

  nl_render_set_source (cr, &box);
  nl_path_rounded_rect (cr, r->x, r->y, r->width, test ? r->height : r->height - row, 4);
  cairo_fill (cr);
  legend_entry (cr, style, cache, r->x + 8, r->y + 4 + row / 2, &style->train_series, FALSE,
                _("Train loss"));
  if (test)
    legend_entry (cr, style, cache, r->x + 8, r->y + 4 + row * 1.5, &style->test_series,
                  TRUE, _("Test loss"));
}

static void
format_epoch (char *buf, gsize size, guint epoch)
{
  nl_format_tick (buf, size, epoch, 1.0);
}

/* One line for the status ("train 0.054 · test 0.0625 · accuracy 96.1 % (test 95 %)"),
 * or one line per value for the hover box; what the record lacks is left out. */
static char *
stats_summary (const NnEpochStats *s, gboolean classification, gboolean multiline)
{
  GString *str = g_string_new (NULL);
  const char *sep = multiline ? "\n" : " · ";

  if (isfinite (s->train_loss))
    g_string_append_printf (str, multiline ? _("Train loss %.4g") : _("train %.3g"),
                            s->train_loss);
  if (isfinite (s->test_loss))
    {
      g_string_append (str, str->len ? sep : "");
      g_string_append_printf (str, multiline ? _("Test loss %.4g") : _("test %.3g"),
                              s->test_loss);
    }
  if (classification && isfinite (s->train_accuracy))
    {
      g_string_append (str, str->len ? sep : "");
      g_string_append_printf (str, multiline ? _("Accuracy %.1f %%") : _("accuracy %.1f %%"),
                              100 * s->train_accuracy);
    }
  if (classification && isfinite (s->test_accuracy))
    {
      g_string_append (str, multiline && !isfinite (s->train_accuracy) ? "" : " ");
      g_string_append_printf (str, _("(test %.1f %%)"), 100 * s->test_accuracy);
    }
  return g_string_free (str, FALSE);
}

static void
draw_status (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *r = &layout->status;
  const NnEpochStats *last;
  char number[32];
  g_autofree char *epoch = NULL, *summary = NULL;
  double w, cy = r->y + r->height / 2;

  if (r->height <= 0)
    return;
  if (scene->n_history == 0)
    {
      nl_text_draw (cr, cache, style, _("Not trained yet"), 1.0, NL_TEXT_REGULAR,
                    &style->muted, r->x, cy, 0.0, 0.5);
      return;
    }
  last = &scene->history[scene->n_history - 1];
  format_epoch (number, sizeof number, last->epoch);
  epoch = g_strdup_printf (_("Epoch %s"), number);
  summary = stats_summary (last, scene->classification, FALSE);
  nl_text_measure (cr, cache, style, epoch, 1.0, NL_TEXT_BOLD, &w, NULL);
  nl_text_draw (cr, cache, style, epoch, 1.0, NL_TEXT_BOLD, &style->foreground, r->x, cy, 0.0,
                0.5);
  nl_text_draw_fit (cr, cache, style, summary, 1.0, NL_TEXT_REGULAR, &style->foreground,
                    r->x + w + 12, cy, 0.0, 0.5, r->width - w - 12);
}

static void
draw_marker (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
             const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  double x;
  char number[32];

  if (scene->marker_epoch < 0)
    return;
  x = nl_loss_layout_x_of (layout, (double) scene->marker_epoch);
  if (x < p->x - 0.5 || x > p->x + p->width + 0.5)
    return;
  x = nl_snap (x, 2);
  nl_render_set_source (cr, &style->highlight);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, x, p->y);
  cairo_line_to (cr, x, p->y + p->height);
  cairo_stroke (cr);
  /* A small flag at the top says which epoch the other views show. */
  format_epoch (number, sizeof number, (guint) scene->marker_epoch);
  cairo_move_to (cr, x - 5, p->y);
  cairo_line_to (cr, x + 5, p->y);
  cairo_line_to (cr, x, p->y + 6);
  cairo_close_path (cr);
  cairo_fill (cr);
  nl_text_draw (cr, cache, style, number, 0.85, NL_TEXT_BOLD, &style->highlight,
                x + 5 > p->x + p->width - 40 ? x - 4 : x + 4, p->y + 6,
                x + 5 > p->x + p->width - 40 ? 1.0 : 0.0, 0.0);
}

/* Where the curves leave the top of the plot: a small arrowhead in the series' colour at
 * each place, and the highest value in the plot's upper left corner. */
static void
draw_off_scale (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
                const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  const double top = layout->log_scale ? pow (10, layout->y_max) : layout->y_max;
  char number[32];
  g_autofree char *text = NULL;
  NlRgba box = nl_rgba_with_alpha (&style->background, 0.85);
  double tw, th;

  if (!layout->clipped_top)
    return;
  for (int test = 1; test >= 0; test--)
    {
      double last_x = -INFINITY;

      nl_render_set_source (cr, test ? &style->test_series : &style->train_series);
      for (guint i = 0; i < scene->n_history; i++)
        {
          double v = series_value (&scene->history[i], test), x;

          if (!isfinite (v) || v <= top)
            continue;
          x = nl_loss_layout_x_of (layout, scene->history[i].epoch);
          if (x - last_x < 10)
            continue;
          last_x = x;
          cairo_move_to (cr, x, p->y - 1);
          cairo_line_to (cr, x + 5, p->y + 7);
          cairo_line_to (cr, x - 5, p->y + 7);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }

  g_snprintf (number, sizeof number, "%.2g", layout->data_max);
  text = g_strdup_printf (_("▲ off the scale, up to %s"), number);
  nl_text_measure (cr, cache, style, text, 0.85, NL_TEXT_REGULAR, &tw, &th);
  tw = MIN (tw, p->width - 16);
  nl_render_set_source (cr, &box);
  nl_path_rounded_rect (cr, p->x + 6, p->y + 10, tw + 8, th + 4, 3);
  cairo_fill (cr);
  nl_text_draw_fit (cr, cache, style, text, 0.85, NL_TEXT_REGULAR, &style->foreground,
                    p->x + 10, p->y + 12, 0.0, 0.0, p->width - 16);
}

static void
hover_dot (cairo_t *cr, const NlLossLayout *layout, double epoch, double v,
           const NlRgba *color, const NlRenderStyle *style)
{
  if (!isfinite (v))
    return;
  cairo_arc (cr, nl_loss_layout_x_of (layout, epoch),
             MAX (nl_loss_layout_y_of (layout, v), layout->plot.y), 4.5, 0, 2 * G_PI);
  nl_render_set_source (cr, &style->background);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke_preserve (cr);
  nl_render_set_source (cr, color);
  cairo_fill (cr);
}

/* A guide line at the hovered epoch, the two values marked, and a box with the numbers. */
static void
draw_hover (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
            const NlRenderStyle *style, NlRenderCache *cache)
{
  const NlRect *p = &layout->plot;
  const NnEpochStats *s;
  char number[32];
  g_autofree char *title = NULL, *body = NULL;
  double x, tw, bw, bh, th, bx, by;

  if (scene->hover_index < 0 || (guint) scene->hover_index >= scene->n_history)
    return;
  s = &scene->history[scene->hover_index];
  x = nl_snap (nl_loss_layout_x_of (layout, s->epoch), 1);
  nl_render_set_source (cr, &style->muted);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x, p->y);
  cairo_line_to (cr, x, p->y + p->height);
  cairo_stroke (cr);
  hover_dot (cr, layout, s->epoch, s->train_loss, &style->train_series, style);
  hover_dot (cr, layout, s->epoch, s->test_loss, &style->test_series, style);

  format_epoch (number, sizeof number, s->epoch);
  title = g_strdup_printf (_("Epoch %s"), number);
  body = stats_summary (s, scene->classification, TRUE);
  nl_text_measure (cr, cache, style, title, 0.92, NL_TEXT_BOLD, &tw, &th);
  nl_text_measure (cr, cache, style, body, 0.92, NL_TEXT_REGULAR, &bw, &bh);
  bw = MAX (tw, bw) + 16, bh = th + bh + 12;
  bx = x + 10 + bw > p->x + p->width ? x - 10 - bw : x + 10;
  bx = MAX (bx, 0);
  by = p->y + 8;
  nl_render_set_source (cr, &style->surface);
  nl_path_rounded_rect (cr, bx, by, bw, bh, 5);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->grid);
  cairo_stroke (cr);
  nl_text_draw (cr, cache, style, title, 0.92, NL_TEXT_BOLD, &style->foreground, bx + 8,
                by + 5, 0.0, 0.0);
  nl_text_draw (cr, cache, style, body, 0.92, NL_TEXT_REGULAR, &style->foreground, bx + 8,
                by + 6 + th, 0.0, 0.0);
}

void
nl_render_loss (cairo_t *cr, const NlLossLayout *layout, const NlLossScene *scene,
                const NlRenderStyle *style, NlRenderCache *given_cache)
{
  const NlRect *p = &layout->plot;
  NlRenderCache *cache;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  cairo_save (cr);
  nl_render_set_source (cr, &style->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);
  draw_grid (cr, layout, style);
  draw_axes (cr, layout, style, cache);
  draw_status (cr, layout, scene, style, cache);

  cairo_save (cr);
  cairo_rectangle (cr, p->x - 4, p->y - 4, p->width + 8, p->height + 8);
  cairo_clip (cr);
  draw_series (cr, layout, scene, &style->test_series, TRUE);
  draw_series (cr, layout, scene, &style->train_series, FALSE);
  cairo_restore (cr);

  draw_off_scale (cr, layout, scene, style, cache);
  draw_marker (cr, layout, scene, style, cache);
  draw_legend (cr, layout, scene, style, cache);
  draw_hover (cr, layout, scene, style, cache);
  cairo_restore (cr);
  nl_render_cache_release (given_cache, cache);
}
