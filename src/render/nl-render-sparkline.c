/* nl-render-sparkline.c: a word-sized line chart. */
#include "nl-render-sparkline.h"

#include <math.h>

static gboolean
usable (double v, gboolean log_scale)
{
  return isfinite (v) && (!log_scale || v > 0);
}

static double
transform (double v, gboolean log_scale)
{
  return log_scale ? log10 (v) : v;
}

static gboolean
value_range (const double *values, guint n, gboolean log_scale, double *lo, double *hi)
{
  *lo = INFINITY, *hi = -INFINITY;
  for (guint i = 0; i < n; i++)
    if (usable (values[i], log_scale))
      {
        double t = transform (values[i], log_scale);
        *lo = MIN (*lo, t), *hi = MAX (*hi, t);
      }
  if (!(*hi >= *lo))
    return FALSE;
  if (*hi - *lo < 1e-12)
    *lo -= 0.5, *hi += 0.5;  /* a flat line sits in the middle */
  return TRUE;
}

void
nl_render_sparkline (cairo_t *cr, const NlRect *rect, const double *values, guint n,
                     gboolean log_scale, const NlRgba *color, const NlRenderStyle *style)
{
  double lo, hi, x = 0, y = 0;
  gboolean open = FALSE, any = FALSE;

  g_return_if_fail (cr != NULL && rect != NULL && style != NULL);

  if (n == 0 || values == NULL || !value_range (values, n, log_scale, &lo, &hi))
    return;
  cairo_save (cr);
  for (guint i = 0; i < n; i++)
    {
      if (!usable (values[i], log_scale))
        {
          open = FALSE;
          continue;
        }
      x = rect->x + (n > 1 ? (double) i / (n - 1) : 0.5) * rect->width;
      y = rect->y + rect->height - 1.5
          - (transform (values[i], log_scale) - lo) / (hi - lo) * (rect->height - 3);
      if (open)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      open = any = TRUE;
    }
  nl_render_set_source (cr, color);
  cairo_set_line_width (cr, 1.5 * style->line_scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  if (any)
    {
      cairo_arc (cr, x, y, 2.0, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}
