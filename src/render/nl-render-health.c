/* nl-render-health.c: layer health sparklines and per-point neuron values on the diagram. */
#include "nl-render-health.h"
#include "nl-render-private.h"
#include "nl-render-sparkline.h"

#include <math.h>

/* The newest measurements a sparkline shows (the whole run when it has fewer). */
#define SERIES_MAX 64

guint
nl_layer_health_stuck_units (const NnLayerHealth *layer)
{
  g_return_val_if_fail (layer != NULL, 0);

  return layer->dead + layer->inactive + layer->saturated;
}

/* The band's inner rectangle: at most 110 px wide, centred on the column. */
static NlRect
band_rect (const NlNetworkColumn *col)
{
  double w = MIN (col->sparkline.width - 6, 110);

  return (NlRect) { col->x_center - w / 2, col->sparkline.y, w, col->sparkline.height };
}

gboolean
nl_network_layout_health_at (const NlNetworkLayout *layout, double x, double y, guint *layer)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  for (guint c = 1; c < layout->n_columns; c++)
    {
      NlRect r = band_rect (&layout->columns[c]);

      if (r.height > 0 && x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height)
        {
          if (layer != NULL)
            *layer = c - 1;
          return TRUE;
        }
    }
  return FALSE;
}

static void
draw_row (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const char *glyph,
          const NlRect *row, const double *values, guint n, gboolean log_scale,
          const NlRgba *color)
{
  double glyph_w = ceil (nl_text_px (style, 0.72) * 1.2);
  NlRect line = { row->x + glyph_w + 2, row->y, row->width - glyph_w - 2, row->height };

  nl_text_draw (cr, cache, style, glyph, 0.72, NL_TEXT_BOLD, color, row->x + glyph_w / 2,
                row->y + row->height / 2, 0.5, 0.5);
  if (line.width > 8)
    nl_render_sparkline (cr, &line, values, n, log_scale, color, style);
}

void
nl_render_network_health (cairo_t *cr, const NlNetworkLayout *layout,
                          const NnHealthHistory *history, const NlRenderStyle *style,
                          NlRenderCache *cache)
{
  nl_render_network_health_at (cr, layout, history, -1, style, cache);
}

void
nl_render_network_health_at (cairo_t *cr, const NlNetworkLayout *layout,
                             const NnHealthHistory *history, gint64 epoch,
                             const NlRenderStyle *style, NlRenderCache *cache)
{
  guint until = epoch < 0 ? G_MAXUINT : (guint) MIN (epoch, (gint64) G_MAXUINT);
  NlRenderCache *c_used;
  const NnHealth *last;
  double grads[SERIES_MAX], weights[SERIES_MAX];
  NlRgba grad_color, weight_color;

  g_return_if_fail (cr != NULL && layout != NULL && style != NULL);

  if (history == NULL || (last = nn_health_history_at_epoch (history, until)) == NULL)
    return;

  c_used = nl_render_cache_acquire (cache);
  grad_color = style->classes[3];  /* reddish purple: no class-free meaning elsewhere here */
  weight_color = style->muted;

  cairo_save (cr);
  for (guint c = 1; c < layout->n_columns; c++)
    {
      const NlNetworkColumn *col = &layout->columns[c];
      guint layer = c - 1;
      NlRect band = band_rect (col), row;
      guint n_grad, n_weight, stuck = 0;

      if (band.height <= 0 || band.width < 24)
        continue;

      /* A saturated output unit of a classifier is only a confident one. */
      if (layer < last->n_layers)
        stuck = c + 1 < layout->n_columns ? nl_layer_health_stuck_units (&last->layers[layer])
                                          : last->layers[layer].dead;
      if (stuck > 0)
        {
          /* The badge: "stuck/units" in the warning colour, at the right of the band. */
          g_autofree char *badge = g_strdup_printf ("%u/%u", stuck, last->layers[layer].n_units);
          double bw, bh, pad = 3;

          nl_text_measure (cr, c_used, style, badge, 0.72, NL_TEXT_BOLD, &bw, &bh);
          if (bw + 2 * pad + 30 < band.width)
            {
              double bx = band.x + band.width - bw - 2 * pad, by = band.y + (band.height - bh) / 2 - 1;
              NlRgba fill = nl_rgba_with_alpha (&style->highlight, 0.14);

              cairo_new_path (cr);
              cairo_rectangle (cr, bx, by, bw + 2 * pad, bh + 2);
              nl_render_set_source (cr, &fill);
              cairo_fill (cr);
              nl_text_draw (cr, c_used, style, badge, 0.72, NL_TEXT_BOLD, &style->highlight,
                            bx + pad, by + 1, 0.0, 0.0);
              band.width -= bw + 2 * pad + 4;
            }
        }

      n_grad = nn_health_history_series_until (history, layer, NN_HEALTH_GRAD_NORM, until, grads,
                                               SERIES_MAX);
      n_weight = nn_health_history_series_until (history, layer, NN_HEALTH_WEIGHT_NORM, until,
                                                 weights, SERIES_MAX);
      row = (NlRect) { band.x, band.y, band.width, floor (band.height / 2) };
      draw_row (cr, c_used, style, "∇", &row, grads, n_grad, TRUE, &grad_color);
      row.y += row.height;
      draw_row (cr, c_used, style, "W", &row, weights, n_weight, FALSE, &weight_color);
    }
  cairo_restore (cr);
  nl_render_cache_release (cache, c_used);
}

static void
draw_value (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
            const NlNetworkNode *node, double value)
{
  char text[32];
  double w, h, pad = 2.5, x, y;
  NlRgba fill = nl_rgba_with_alpha (&style->background, 0.92);

  if (!isfinite (value))
    g_strlcpy (text, "—", sizeof text);
  else if (fabs (value) >= 100)
    g_snprintf (text, sizeof text, "%.0f", value);
  else if (fabs (value) >= 10)
    g_snprintf (text, sizeof text, "%.1f", value);
  else
    g_snprintf (text, sizeof text, "%.2f", value);
  if (text[0] == '-')  /* a true minus sign reads better from the back of the room */
    {
      char tmp[32];

      g_snprintf (tmp, sizeof tmp, "−%s", text + 1);
      g_strlcpy (text, tmp, sizeof text);
    }

  nl_text_measure (cr, cache, style, text, 0.74, NL_TEXT_BOLD, &w, &h);
  /* On a crowded column the numbers would hide the pictures: the tooltip has them. */
  if (node->rect.height < 2.2 * h || w + 2 * pad > node->rect.width + 12)
    return;
  x = node->rect.x + node->rect.width / 2 - w / 2 - pad;
  y = node->rect.y + node->rect.height - h * 0.55;
  cairo_new_path (cr);
  cairo_rectangle (cr, x, y, w + 2 * pad, h);
  nl_render_set_source (cr, &fill);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->highlight);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  nl_text_draw (cr, cache, style, text, 0.74, NL_TEXT_BOLD, &style->foreground, x + pad, y,
                0.0, 0.0);
}

void
nl_render_network_values (cairo_t *cr, const NlNetworkLayout *layout, const double *inputs,
                          const double *neurons, const NlRenderStyle *style,
                          NlRenderCache *cache)
{
  NlRenderCache *c_used;
  gsize index = 0;

  g_return_if_fail (cr != NULL && layout != NULL && style != NULL);

  c_used = nl_render_cache_acquire (cache);
  cairo_save (cr);
  if (inputs != NULL)
    for (guint i = 0; i < layout->arch.n_inputs; i++)
      {
        const NlNetworkNode *node = nl_network_layout_get_input (layout, i);

        if (node != NULL)
          draw_value (cr, c_used, style, node, inputs[i]);
      }
  if (neurons != NULL)
    for (guint l = 0; l <= layout->arch.n_hidden; l++)
      {
        guint units = l < layout->arch.n_hidden ? layout->arch.units[l] : layout->arch.n_outputs;

        for (guint u = 0; u < units; u++, index++)
          {
            const NlNetworkNode *node = nl_network_layout_get_neuron (layout, l, u);

            if (node != NULL)
              draw_value (cr, c_used, style, node, neurons[index]);
          }
      }
  cairo_restore (cr);
  nl_render_cache_release (cache, c_used);
}
