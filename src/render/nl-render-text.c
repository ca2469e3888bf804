/* nl-render-text.c: text through PangoCairo, shaped once and kept in the cache. */
#include "nl-render-private.h"

#include <math.h>
#include <string.h>

/* A status line changes every frame; past this many layouts the table is flushed rather
 * than growing without bound. */
#define MAX_LAYOUTS 600

double
nl_text_px (const NlRenderStyle *style, double size)
{
  return style->font_size * style->font_scale * size;
}

static PangoLayout *
new_layout (NlRenderCache *cache, const NlRenderStyle *style, const char *text, double px,
            NlTextFlags flags, double max_width)
{
  PangoFontDescription *desc = pango_font_description_from_string (style->font_family);
  PangoLayout *layout = pango_layout_new (cache->pango);

  pango_font_description_set_absolute_size (desc, px * PANGO_SCALE);
  if (flags & NL_TEXT_BOLD)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  if (flags & NL_TEXT_ITALIC)
    pango_font_description_set_style (desc, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_font_description_free (desc);
  return layout;
}

static void
sync_context (cairo_t *cr, NlRenderCache *cache)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double sx, sy, key[6];

  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_scale (target, &sx, &sy);
  key[0] = m.xx, key[1] = m.yx, key[2] = m.xy, key[3] = m.yy;
  key[4] = sx * 1000 + sy;
  key[5] = cairo_surface_get_type (target) + 1;
  if (memcmp (key, cache->pango_key, sizeof key) == 0)
    return;
  pango_cairo_update_context (cr, cache->pango);
  memcpy (cache->pango_key, key, sizeof key);
}

static PangoLayout *
get_layout (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const char *text,
            double size, NlTextFlags flags, double max_width)
{
  double px = nl_text_px (style, size);
  char head[64];
  g_autofree char *key = NULL;
  PangoLayout *layout;

  /* The context follows the target's font options and transformation; layouts made from
   * it notice a change through its serial and re-shape by themselves. */
  sync_context (cr, cache);

  g_snprintf (head, sizeof head, "%.2f|%d|%.0f|", px, (int) flags, max_width);
  key = g_strconcat (head, style->font_family, "|", text, NULL);
  layout = g_hash_table_lookup (cache->layouts, key);
  if (layout != NULL)
    return layout;

  if (g_hash_table_size (cache->layouts) >= MAX_LAYOUTS)
    g_hash_table_remove_all (cache->layouts);
  layout = new_layout (cache, style, text, px, flags, max_width);
  g_hash_table_insert (cache->layouts, g_steal_pointer (&key), layout);
  return layout;
}

PangoLayout *
nl_text_layout (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                const char *text, double size, NlTextFlags flags)
{
  return get_layout (cr, cache, style, text, size, flags, 0);
}

void
nl_text_measure (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                 const char *text, double size, NlTextFlags flags, double *width,
                 double *height)
{
  PangoLayout *layout = get_layout (cr, cache, style, text, size, flags, 0);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

static void
show_layout (cairo_t *cr, PangoLayout *layout, const NlRgba *color, double x, double y,
             double xalign, double yalign)
{
  PangoRectangle logical;
  double w, h;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  nl_render_set_source (cr, color);
  /* Whole-pixel origins keep the hinted glyphs sharp. */
  cairo_move_to (cr, round (x - w * xalign - (double) logical.x / PANGO_SCALE),
                 round (y - h * yalign));
  pango_cairo_show_layout (cr, layout);
  /* show_layout leaves a current point: an arc drawn next would start with a line. */
  cairo_new_path (cr);
}

void
nl_text_draw (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style, const char *text,
              double size, NlTextFlags flags, const NlRgba *color, double x, double y,
              double xalign, double yalign)
{
  PangoLayout *layout = get_layout (cr, cache, style, text, size, flags, 0);

  show_layout (cr, layout, color, x, y, xalign, yalign);
}

void
nl_text_draw_fit (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                  const char *text, double size, NlTextFlags flags, const NlRgba *color,
                  double x, double y, double xalign, double yalign, double max_width)
{
  double w;
  PangoLayout *layout;

  nl_text_measure (cr, cache, style, text, size, flags, &w, NULL);
  if (w <= max_width || max_width <= 0)
    layout = get_layout (cr, cache, style, text, size, flags, 0);
  else
    layout = get_layout (cr, cache, style, text, size, flags, floor (max_width));
  show_layout (cr, layout, color, x, y, xalign, yalign);
}

/* "1e−5": scientific notation with a true minus sign and no padded exponent. */
static void
format_scientific (char *buf, gsize size, double value)
{
  int exponent = (int) floor (log10 (fabs (value)) + 1e-9);
  double mantissa = value / pow (10, exponent);

  if (fabs (mantissa - round (mantissa)) < 1e-6)
    g_snprintf (buf, size, "%s%.0fe%s%d", value < 0 ? "−" : "", fabs (mantissa),
                exponent < 0 ? "−" : "", ABS (exponent));
  else
    g_snprintf (buf, size, "%s%.1fe%s%d", value < 0 ? "−" : "", fabs (mantissa),
                exponent < 0 ? "−" : "", ABS (exponent));
}

/* An integer with its digits grouped in threes by a thin space ("10 000"). */
static void
format_grouped (char *buf, gsize size, double value)
{
  char digits[32];
  GString *s = g_string_new (value < 0 ? "−" : "");
  gsize n;

  g_snprintf (digits, sizeof digits, "%.0f", fabs (value));
  n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (s, "\u2009"); /* thin space */
      g_string_append_c (s, digits[i]);
    }
  g_strlcpy (buf, s->str, size);
  g_string_free (s, TRUE);
}

/* Tick labels: as few digits as the step needs, a true minus sign, big integers grouped
 * and tiny or huge values in scientific notation. */
void
nl_format_tick (char *buf, gsize size, double value, double step)
{
  double a = fabs (value);
  int decimals = 0;

  if (a < fabs (step) * 1e-6)
    value = 0.0, a = 0.0;
  if (a != 0.0 && (a >= 1e6 || a < 1e-4))
    {
      format_scientific (buf, size, value);
      return;
    }
  if (a >= 10000 && step >= 1)
    {
      format_grouped (buf, size, value);
      return;
    }
  if (step > 0 && step < 1)
    decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
  g_snprintf (buf, size, "%s%.*f", value < 0 ? "−" : "", decimals, a);
}

void
nl_path_rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}
