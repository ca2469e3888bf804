/* nl-render-neuron-detail.c: a neuron's output over the plane, large, with axes and a key. */
#include "nl-render-neuron-detail.h"
#include "nl-render-heatmap.h"
#include "nl-render-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define PAD    10.0
#define RADIUS 8.0
#define TICK   4.0

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
format_value (char *buf, gsize size, double v)
{
  if (fabs (v) >= 100 || v == floor (v))
    g_snprintf (buf, size, "%.0f", v);
  else if (fabs (v) >= 10)
    g_snprintf (buf, size, "%.1f", v);
  else
    g_snprintf (buf, size, "%.2g", v);
  if (buf[0] == '-')
    {
      char tmp[64];

      g_snprintf (tmp, sizeof tmp, "−%s", buf + 1);
      g_strlcpy (buf, tmp, size);
    }
}

/* The heatmap at the plot's device pixel size, sampled bilinearly like the boundary. */
static void
paint_heatmap (cairo_t *cr, const NlRect *plot, const NlNeuronDetailScene *scene, double lo,
               double hi, const NlRenderStyle *style)
{
  double sx = 1, sy = 1;
  cairo_surface_t *surface;
  int w, h;

  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  w = MAX (1, (int) ceil (plot->width * sx));
  h = MAX (1, (int) ceil (plot->height * sy));
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_surface_flush (surface);
  nl_render_heatmap_fill_scaled ((guint32 *) cairo_image_surface_get_data (surface),
                                 cairo_image_surface_get_stride (surface), w, h, scene->grid,
                                 scene->res, lo, hi, style->diverging_lut);
  cairo_surface_mark_dirty (surface);
  nl_render_paint_surface_in_rect (cr, surface, plot->x, plot->y, plot->width, plot->height,
                                   FALSE);
  cairo_surface_destroy (surface);
}

static void
draw_axes (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const NlRect *plot)
{
  static const double ticks[] = { -6, -3, 0, 3, 6 };

  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->grid);
  cairo_rectangle (cr, plot->x - 0.5, plot->y - 0.5, plot->width + 1, plot->height + 1);
  cairo_stroke (cr);

  nl_render_set_source (cr, &style->muted);
  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      double t = (ticks[i] + 6) / 12;
      double x = floor (plot->x + t * plot->width) + 0.5;
      double y = floor (plot->y + (1 - t) * plot->height) + 0.5;
      char label[16];

      format_value (label, sizeof label, ticks[i]);
      cairo_move_to (cr, x, plot->y + plot->height);
      cairo_line_to (cr, x, plot->y + plot->height + TICK);
      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x - TICK, y);
      cairo_stroke (cr);
      nl_text_draw (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &style->muted, x,
                    plot->y + plot->height + TICK + 1, 0.5, 0.0);
      nl_text_draw (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &style->muted,
                    plot->x - TICK - 3, y, 1.0, 0.5);
    }
  nl_text_draw (cr, cache, style, _("x₁"), 0.9, NL_TEXT_BOLD | NL_TEXT_ITALIC,
                &style->foreground, plot->x + plot->width / 2,
                plot->y + plot->height + TICK + 1 + nl_text_px (style, 0.8) * 1.25, 0.5, 0.0);
}

static void
draw_key (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const NlRect *key,
          double lo, double hi)
{
  char lo_s[32], hi_s[32], mid_s[32];
  cairo_pattern_t *p = cairo_pattern_create_linear (0, key->y + key->height, 0, key->y);

  for (guint i = 0; i <= 16; i++)
    {
      NlRgba c = nl_render_style_diverging (style, -1 + 2.0 * i / 16);

      cairo_pattern_add_color_stop_rgb (p, i / 16.0, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, key->x, key->y, key->width, key->height);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->grid);
  cairo_rectangle (cr, key->x - 0.5, key->y - 0.5, key->width + 1, key->height + 1);
  cairo_stroke (cr);

  format_value (lo_s, sizeof lo_s, lo);
  format_value (hi_s, sizeof hi_s, hi);
  format_value (mid_s, sizeof mid_s, (lo + hi) / 2);
  nl_text_draw (cr, cache, style, hi_s, 0.8, NL_TEXT_REGULAR, &style->muted,
                key->x + key->width + 4, key->y, 0.0, 0.5);
  nl_text_draw (cr, cache, style, mid_s, 0.8, NL_TEXT_REGULAR, &style->muted,
                key->x + key->width + 4, key->y + key->height / 2, 0.0, 0.5);
  nl_text_draw (cr, cache, style, lo_s, 0.8, NL_TEXT_REGULAR, &style->muted,
                key->x + key->width + 4, key->y + key->height, 0.0, 0.5);
}

/* Below the title and subtitle lines. */
static double
header_height (const NlNeuronDetailScene *scene, const NlRenderStyle *style)
{
  double line = nl_text_px (style, 1.0) * 1.35;

  return PAD + (scene->title != NULL ? line : 0) + (scene->subtitle != NULL ? line : 0) + 2;
}

gboolean
nl_neuron_detail_layout (double width, double height, const NlNeuronDetailScene *scene,
                         const NlRenderStyle *style, NlRect *plot, NlRect *key)
{
  double small = nl_text_px (style, 0.8) * 1.25, top, left_w, key_w, side;
  NlRect p;

  g_return_val_if_fail (scene != NULL && style != NULL, FALSE);

  if (width < 60 || height < 60)
    return FALSE;
  top = header_height (scene, style);
  left_w = nl_text_px (style, 0.8) * 2.4 + TICK + 4;
  key_w = 14 + 6 + nl_text_px (style, 0.8) * 3.2;
  side = MIN (width - 2 * PAD - left_w - key_w - 10, height - top - PAD - TICK - 2 * small - 2);
  if (side < 40)
    return FALSE;
  /* The picture, its axes and its key, centred as a group. */
  p = (NlRect) { floor ((width - (left_w + side + 12 + key_w)) / 2 + left_w), floor (top + 2),
                 floor (side), floor (side) };
  if (plot != NULL)
    *plot = p;
  if (key != NULL)
    *key = (NlRect) { p.x + p.width + 12, p.y + 6, 14, p.height - 12 };
  return TRUE;
}

static void
draw_card (cairo_t *cr, double width, double height, const NlRenderStyle *style)
{
  NlRgba shadow = { 0, 0, 0, style->theme == NL_RENDER_THEME_DARK ? 0.45 : 0.18 };

  /* Lifted off the picture under it. */
  rounded_rect (cr, 2, 3, width - 4, height - 4, RADIUS);
  nl_render_set_source (cr, &shadow);
  cairo_fill (cr);
  rounded_rect (cr, 1, 1, width - 4, height - 4, RADIUS);
  nl_render_set_source (cr, &style->background);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

/* Title and subtitle centred over the picture, one line each. */
static void
draw_titles (cairo_t *cr, NlRenderCache *cache, double width,
             const NlNeuronDetailScene *scene, const NlRenderStyle *style)
{
  double line = nl_text_px (style, 1.0) * 1.35, top = PAD;

  if (scene->title != NULL)
    {
      nl_text_draw_fit (cr, cache, style, scene->title, 1.0, NL_TEXT_BOLD, &style->foreground,
                        width / 2, top, 0.5, 0.0, width - 2 * PAD);
      top += line;
    }
  if (scene->subtitle != NULL)
    nl_text_draw_fit (cr, cache, style, scene->subtitle, 0.9, NL_TEXT_REGULAR,
                      &style->muted, width / 2, top, 0.5, 0.0, width - 2 * PAD);
}

static void
draw_point (cairo_t *cr, const NlRect *plot, const NlNeuronDetailScene *scene,
            const NlRenderStyle *style)
{
  double x = plot->x + (scene->point_x1 + 6) / 12 * plot->width;
  double y = plot->y + (6 - scene->point_x2) / 12 * plot->height;

  cairo_new_path (cr);
  cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
  nl_render_set_source (cr, &style->background);
  cairo_set_line_width (cr, 4.5);
  cairo_stroke_preserve (cr);
  nl_render_set_source (cr, &style->highlight);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
}

void
nl_render_neuron_detail (cairo_t *cr, double width, double height,
                         const NlNeuronDetailScene *scene, const NlRenderStyle *style,
                         NlRenderCache *cache)
{
  NlRenderCache *c_used;
  double lo = -1, hi = 1;
  NlRect plot, key;

  g_return_if_fail (cr != NULL && scene != NULL && style != NULL);
  if (width < 60 || height < 60)
    return;

  c_used = nl_render_cache_acquire (cache);
  cairo_save (cr);
  draw_card (cr, width, height, style);
  draw_titles (cr, c_used, width, scene, style);

  if (nl_neuron_detail_layout (width, height, scene, style, &plot, &key))
    {
      if (scene->grid != NULL && scene->res > 0)
        {
          nl_render_activation_range (scene->activation, scene->grid,
                                      (gsize) scene->res * scene->res, &lo, &hi);
          paint_heatmap (cr, &plot, scene, lo, hi, style);
        }
      draw_axes (cr, c_used, style, &plot);
      nl_text_draw (cr, c_used, style, _("x₂"), 0.9, NL_TEXT_BOLD | NL_TEXT_ITALIC,
                    &style->foreground, plot.x - (nl_text_px (style, 0.8) * 2.4 + TICK + 4),
                    plot.y + plot.height / 2, 0.0, 0.5);
      draw_key (cr, c_used, style, &key, lo, hi);
      if (scene->has_point)
        draw_point (cr, &plot, scene, style);
    }

  cairo_restore (cr);
  nl_render_cache_release (cache, c_used);
}
