/* nl-render-confusion.c: confusion matrices, or predicted-versus-true for regression. */
#include "nl-render-confusion.h"
#include "nl-render-loss.h"
#include "nl-render-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define GAP      14.0   /* between panels */
#define SWATCH   8.0

void
nl_confusion_scene_init (NlConfusionScene *scene)
{
  g_return_if_fail (scene != NULL);

  memset (scene, 0, sizeof *scene);
  for (guint s = 0; s < NN_N_SPLITS; s++)
    scene->r_squared[s] = NAN;
}

static gboolean
split_shown (const NlConfusionScene *scene, guint s)
{
  if (scene->classification)
    return scene->confusion[s] != NULL && scene->confusion[s]->total > 0;
  return scene->truth[s] != NULL && scene->predicted[s] != NULL && scene->n[s] > 0;
}

/* Bands of a panel: the title line, then room for the axis labels around the plot. */
static double
title_height (const NlRenderStyle *style)
{
  return ceil (nl_text_px (style, 1.0) * 1.5);
}

void
nl_confusion_layout_compute (NlConfusionLayout *layout, const NlConfusionScene *scene,
                             double width, double height, const NlRenderStyle *style)
{
  double px = nl_text_px (style, 0.85), panel_w;

  g_return_if_fail (layout != NULL && scene != NULL && style != NULL);

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;
  for (guint s = 0; s < NN_N_SPLITS; s++)
    if (split_shown (scene, s))
      layout->split[layout->n_panels++] = s;
  if (layout->n_panels == 0)
    return;

  if (scene->classification)
    layout->classes = scene->confusion[layout->split[0]]->classes;
  else
    {
      double lo = INFINITY, hi = -INFINITY;

      for (guint p = 0; p < layout->n_panels; p++)
        {
          guint s = layout->split[p];

          for (guint i = 0; i < scene->n[s]; i++)
            {
              double t = scene->truth[s][i], y = scene->predicted[s][i];

              if (isfinite (t))
                lo = MIN (lo, t), hi = MAX (hi, t);
              if (isfinite (y))
                lo = MIN (lo, y), hi = MAX (hi, y);
            }
        }
      if (!(hi > lo))
        lo = isfinite (lo) ? lo - 1 : -1, hi = isfinite (hi) ? hi + 1 : 1;
      else
        {
          double pad = (hi - lo) * 0.04;

          lo -= pad, hi += pad;
        }
      layout->lo = lo;
      layout->hi = hi;
    }

  panel_w = (width - GAP * (layout->n_panels - 1)) / layout->n_panels;
  for (guint p = 0; p < layout->n_panels; p++)
    {
      NlRect *panel = &layout->panel[p];
      /* Left: the vertical axis title and the class (or tick) labels; bottom: the same. */
      double left = scene->classification ? px * 1.4 + px * 1.2 + SWATCH + 6 : px * 1.4 + px * 3.2;
      double bottom = scene->classification ? px * 1.3 + px * 1.4 + 6 : px * 1.3 + px * 1.4 + 6;
      double avail_w, avail_h, side;

      *panel = (NlRect) { floor (p * (panel_w + GAP)), 0, floor (panel_w), height };
      avail_w = panel->width - left - 4;
      avail_h = panel->height - title_height (style) - bottom - 2;
      side = floor (MAX (0, MIN (avail_w, avail_h)));
      layout->plot[p] = (NlRect) { panel->x + left + floor ((avail_w - side) / 2),
                                   title_height (style) + 2, side, side };
    }
}

gboolean
nl_confusion_layout_cell_at (const NlConfusionLayout *layout, double x, double y,
                             NnSplit *split, guint *truth, guint *predicted)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (layout->classes == 0)
    return FALSE;
  for (guint p = 0; p < layout->n_panels; p++)
    {
      const NlRect *r = &layout->plot[p];
      double cell = r->width / layout->classes;

      if (cell <= 0 || x < r->x || y < r->y || x >= r->x + r->width || y >= r->y + r->height)
        continue;
      if (split != NULL)
        *split = layout->split[p];
      if (truth != NULL)
        *truth = MIN ((guint) ((y - r->y) / cell), layout->classes - 1);
      if (predicted != NULL)
        *predicted = MIN ((guint) ((x - r->x) / cell), layout->classes - 1);
      return TRUE;
    }
  return FALSE;
}

static const char *
split_title (guint split)
{
  return split == NN_SPLIT_TRAIN ? _("Training data") : _("Test data");
}

static const char *
split_short_title (guint split)
{
  return split == NN_SPLIT_TRAIN ? C_("short for training data", "Train") : C_("short for test data", "Test");
}

/* A panel's title: "Training data · 97.5 % right", shortened until it fits. */
static void
draw_title (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const NlRect *panel,
            const char *const *options, guint n)
{
  guint i;

  for (i = 0; i + 1 < n; i++)
    {
      double w;

      nl_text_measure (cr, cache, style, options[i], 1.0, NL_TEXT_BOLD, &w, NULL);
      if (w <= panel->width)
        break;
    }
  nl_text_draw_fit (cr, cache, style, options[i], 1.0, NL_TEXT_BOLD, &style->foreground,
                    panel->x + panel->width / 2, 0, 0.5, 0.0, panel->width);
}

/* The sequential scale of a matrix: the surface colour at 0, a deep blue at 1. */
static NlRgba
cell_color (const NlRenderStyle *style, double t)
{
  NlRgba deep = style->theme == NL_RENDER_THEME_DARK ? (NlRgba) { 0.34, 0.62, 0.91, 1 }
                                                     : (NlRgba) { 0.03, 0.27, 0.58, 1 };
  NlRgba base = style->surface;

  /* A gamma keeps a few stray points visible without washing out the diagonal. */
  return nl_rgba_mix (&base, &deep, pow (CLAMP (t, 0, 1), 0.7));
}

static double
luminance (const NlRgba *c)
{
  return 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;
}

static void
draw_vertical_title (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                     const char *text, double x, double y_center, double max_len)
{
  cairo_save (cr);
  cairo_translate (cr, x, y_center);
  cairo_rotate (cr, -G_PI / 2);
  nl_text_draw_fit (cr, cache, style, text, 0.85, NL_TEXT_BOLD, &style->foreground, 0, 0, 0.5,
                    0.0, max_len);
  cairo_restore (cr);
}

static void
draw_matrix (cairo_t *cr, NlRenderCache *cache, const NlConfusionLayout *layout, guint p,
             const NnConfusion *m, const NlRenderStyle *style)
{
  const NlRect *r = &layout->plot[p];
  const NlRect *panel = &layout->panel[p];
  guint k = m->classes;
  double cell = r->width / k, px = nl_text_px (style, 0.85);
  double size = CLAMP (cell / nl_text_px (style, 1.0) * 0.42, 0.6, 1.15);
  double accuracy = nn_confusion_accuracy (m);
  guint split = layout->split[p];
  g_autofree char *t_long = NULL, *t_mid = NULL, *t_short = NULL;

  if (isfinite (accuracy))
    {
      t_long = g_strdup_printf (_("%s · %.1f %% right"), split_title (split), 100 * accuracy);
      t_mid = g_strdup_printf (_("%s · %.1f %% right"), split_short_title (split), 100 * accuracy);
      t_short = g_strdup_printf (C_("accuracy", "%s · %.0f %%"), split_short_title (split),
                                 100 * accuracy);
    }
  else
    {
      t_long = g_strdup (split_title (split));
      t_mid = g_strdup (split_short_title (split));
      t_short = g_strdup (t_mid);
    }
  draw_title (cr, cache, style, panel, (const char *const[]) { t_long, t_mid, t_short }, 3);

  if (cell < 4)
    return;

  for (guint t = 0; t < k; t++)
    {
      guint row = nn_confusion_true_count (m, t);

      for (guint q = 0; q < k; q++)
        {
          guint count = m->counts[t][q];
          double share = row > 0 ? (double) count / row : 0;
          NlRgba fill = cell_color (style, share);
          double x = r->x + q * cell, y = r->y + t * cell;
          char text[16];

          cairo_rectangle (cr, x, y, cell, cell);
          nl_render_set_source (cr, &fill);
          cairo_fill (cr);
          if (cell >= 12)
            {
              NlRgba ink = luminance (&fill) < 0.45 ? (NlRgba) { 1, 1, 1, 1 } : style->foreground;

              g_snprintf (text, sizeof text, "%u", count);
              nl_text_draw_fit (cr, cache, style, text, size,
                                t == q ? NL_TEXT_BOLD : NL_TEXT_REGULAR, &ink, x + cell / 2,
                                y + cell / 2 - nl_text_px (style, size) * 0.62, 0.5, 0.0,
                                cell - 2);
            }
        }
    }

  /* Grid and frame. */
  cairo_set_line_width (cr, 1.0);
  nl_render_set_source (cr, &style->grid);
  for (guint i = 1; i < k; i++)
    {
      double o = floor (r->x + i * cell) + 0.5;
      double v = floor (r->y + i * cell) + 0.5;

      cairo_move_to (cr, o, r->y);
      cairo_line_to (cr, o, r->y + r->height);
      cairo_move_to (cr, r->x, v);
      cairo_line_to (cr, r->x + r->width, v);
    }
  cairo_stroke (cr);
  cairo_rectangle (cr, r->x - 0.5, r->y - 0.5, r->width + 1, r->height + 1);
  nl_render_set_source (cr, &style->muted);
  cairo_stroke (cr);

  /* Class names with their colours: rows at the left, columns below. */
  for (guint c = 0; c < k; c++)
    {
      NlRgba color = nl_render_style_class_color (style, c);
      char label[8];
      double cy = r->y + (c + 0.5) * cell, cx = r->x + (c + 0.5) * cell;
      double label_size = MIN (0.85, size);

      g_snprintf (label, sizeof label, "%u", c);
      cairo_rectangle (cr, r->x - SWATCH - 3, cy - SWATCH / 2, SWATCH, SWATCH);
      nl_render_set_source (cr, &color);
      cairo_fill (cr);
      nl_text_draw (cr, cache, style, label, label_size, NL_TEXT_REGULAR, &style->muted,
                    r->x - SWATCH - 6, cy, 1.0, 0.5);
      cairo_rectangle (cr, cx - SWATCH / 2, r->y + r->height + 3, SWATCH, SWATCH);
      nl_render_set_source (cr, &color);
      cairo_fill (cr);
      nl_text_draw (cr, cache, style, label, label_size, NL_TEXT_REGULAR, &style->muted, cx,
                    r->y + r->height + SWATCH + 4, 0.5, 0.0);
    }

  nl_text_draw_fit (cr, cache, style, _("Predicted class"), 0.85, NL_TEXT_BOLD,
                    &style->foreground, r->x + r->width / 2,
                    r->y + r->height + SWATCH + 4 + px * 1.25, 0.5, 0.0,
                    MAX (MIN (panel->width, 2 * MIN (r->x + r->width / 2 - panel->x,
                                                     panel->x + panel->width - r->x - r->width / 2)),
                         10));
  draw_vertical_title (cr, cache, style, _("True class"), panel->x + 1, r->y + r->height / 2,
                       MAX (r->height + 20, 10));
}

static void
draw_scatter (cairo_t *cr, NlRenderCache *cache, const NlConfusionLayout *layout, guint p,
              const NlConfusionScene *scene, const NlRenderStyle *style)
{
  const NlRect *r = &layout->plot[p];
  const NlRect *panel = &layout->panel[p];
  guint s = layout->split[p];
  double lo = layout->lo, hi = layout->hi, px = nl_text_px (style, 0.85);
  double ticks[16];
  guint n_ticks;
  g_autofree char *t_long = NULL, *t_mid = NULL, *t_short = NULL;
  gboolean test = s == NN_SPLIT_TEST;
  NlRgba color = test ? style->test_series : style->train_series;
  double radius = CLAMP (r->width / 90, 1.8, 3.2);

  if (isfinite (scene->r_squared[s]))
    {
      t_long = g_strdup_printf (_("%s · R² = %.3f"), split_title (s), scene->r_squared[s]);
      t_mid = g_strdup_printf (_("%s · R² = %.3f"), split_short_title (s), scene->r_squared[s]);
      t_short = g_strdup_printf (_("%s · R² = %.2f"), split_short_title (s), scene->r_squared[s]);
    }
  else
    {
      t_long = g_strdup (split_title (s));
      t_mid = g_strdup (split_short_title (s));
      t_short = g_strdup (t_mid);
    }
  draw_title (cr, cache, style, panel, (const char *const[]) { t_long, t_mid, t_short }, 3);
  if (r->width < 20)
    return;

  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  nl_render_set_source (cr, &style->surface);
  cairo_fill (cr);

  /* Ticks and grid, the same on both axes. */
  n_ticks = nl_render_nice_ticks (lo, hi, 4, ticks, G_N_ELEMENTS (ticks));
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < n_ticks; i++)
    {
      double t = (ticks[i] - lo) / (hi - lo);
      double x = floor (r->x + t * r->width) + 0.5, y = floor (r->y + (1 - t) * r->height) + 0.5;
      char label[32];

      if (t < -1e-9 || t > 1 + 1e-9)
        continue;
      g_snprintf (label, sizeof label, "%g", ticks[i]);
      nl_render_set_source (cr, &style->grid);
      cairo_move_to (cr, x, r->y);
      cairo_line_to (cr, x, r->y + r->height);
      cairo_move_to (cr, r->x, y);
      cairo_line_to (cr, r->x + r->width, y);
      cairo_stroke (cr);
      nl_text_draw (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &style->muted, x,
                    r->y + r->height + 3, 0.5, 0.0);
      nl_text_draw (cr, cache, style, label, 0.8, NL_TEXT_REGULAR, &style->muted, r->x - 4, y,
                    1.0, 0.5);
    }

  /* y = x: where a perfect network puts every point. */
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  cairo_move_to (cr, r->x, r->y + r->height);
  cairo_line_to (cr, r->x + r->width, r->y);
  {
    double dash[] = { 5, 4 };

    cairo_set_dash (cr, dash, 2, 0);
  }
  cairo_set_line_width (cr, 1.5);
  nl_render_set_source (cr, &style->muted);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  for (guint i = 0; i < scene->n[s]; i++)
    {
      double tx = (scene->truth[s][i] - lo) / (hi - lo);
      double ty = (scene->predicted[s][i] - lo) / (hi - lo);

      if (!isfinite (tx) || !isfinite (ty))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, r->x + tx * r->width, r->y + (1 - ty) * r->height, radius, 0, 2 * G_PI);
    }
  if (test)
    {
      cairo_set_line_width (cr, 1.2);
      nl_render_set_source (cr, &color);
      cairo_stroke (cr);
    }
  else
    {
      NlRgba fill = nl_rgba_with_alpha (&color, 0.7);

      nl_render_set_source (cr, &fill);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, r->x - 0.5, r->y - 0.5, r->width + 1, r->height + 1);
  nl_render_set_source (cr, &style->muted);
  cairo_stroke (cr);

  nl_text_draw_fit (cr, cache, style, _("True value"), 0.85, NL_TEXT_BOLD, &style->foreground,
                    r->x + r->width / 2, r->y + r->height + 4 + px * 1.2, 0.5, 0.0,
                    MAX (r->width + 40, 10));
  draw_vertical_title (cr, cache, style, _("Predicted value"), panel->x + 1,
                       r->y + r->height / 2, MAX (r->height + 20, 10));
}

void
nl_render_confusion (cairo_t *cr, const NlConfusionLayout *layout,
                     const NlConfusionScene *scene, const NlRenderStyle *style,
                     NlRenderCache *cache)
{
  NlRenderCache *c_used;

  g_return_if_fail (cr != NULL && layout != NULL && scene != NULL && style != NULL);

  c_used = nl_render_cache_acquire (cache);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  nl_render_set_source (cr, &style->background);
  cairo_fill (cr);

  if (layout->n_panels == 0)
    nl_text_draw (cr, c_used, style, _("No points to count yet"), 1.0, NL_TEXT_REGULAR,
                  &style->muted, layout->width / 2, layout->height / 2, 0.5, 0.5);
  for (guint p = 0; p < layout->n_panels; p++)
    {
      if (scene->classification)
        draw_matrix (cr, c_used, layout, p, scene->confusion[layout->split[p]], style);
      else
        draw_scatter (cr, c_used, layout, p, scene, style);
    }
  cairo_restore (cr);
  nl_render_cache_release (cache, c_used);
}
