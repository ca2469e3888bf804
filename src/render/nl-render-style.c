/* nl-render-style.c: the two themes and their colour maps. */
#include "nl-render-style.h"

#include <math.h>
#include <string.h>

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                   ((hex) & 0xff) / 255.0, 1.0 }

/* Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
 * vision deficiency. Class 0 and 1 are the diverging map's two ends (see below). */
static const NlRgba okabe_ito_light[NL_RENDER_MAX_CLASSES] = {
  RGB (0xe08a00), /* orange */
  RGB (0x0072b2), /* blue */
  RGB (0x009e73), /* bluish green */
  RGB (0xcc79a7), /* reddish purple */
  RGB (0x56b4e9), /* sky blue */
  RGB (0xd55e00), /* vermillion */
  RGB (0xe3d21c), /* yellow, a little darker than the original to stay visible on white */
  RGB (0x555555), /* grey */
};

/* On a dark background the dark blue and grey sink; lift them. */
static const NlRgba okabe_ito_dark[NL_RENDER_MAX_CLASSES] = {
  RGB (0xf0a020),
  RGB (0x3d9be0),
  RGB (0x1fbf8f),
  RGB (0xdc8fba),
  RGB (0x7cc8f2),
  RGB (0xee7733),
  RGB (0xf0e442),
  RGB (0xbbbbbb),
};

/* Viridis-like control points (dark purple → blue → green → yellow), evenly spaced. */
static const NlRgba sequential_stops[] = {
  RGB (0x440154), RGB (0x414487), RGB (0x2a788e), RGB (0x22a884), RGB (0x7ad151),
  RGB (0xfde725),
};

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
linear_to_srgb (double c)
{
  return c <= 0.0031308 ? c * 12.92 : 1.055 * pow (c, 1.0 / 2.4) - 0.055;
}

/* Mixing in linear light keeps the middle of a ramp from turning muddy. */
static NlRgba
mix_linear (const NlRgba *a, const NlRgba *b, double t)
{
  NlRgba c;

  c.r = linear_to_srgb (srgb_to_linear (a->r) * (1 - t) + srgb_to_linear (b->r) * t);
  c.g = linear_to_srgb (srgb_to_linear (a->g) * (1 - t) + srgb_to_linear (b->g) * t);
  c.b = linear_to_srgb (srgb_to_linear (a->b) * (1 - t) + srgb_to_linear (b->b) * t);
  c.a = a->a * (1 - t) + b->a * t;
  return c;
}

NlRgba
nl_rgba_mix (const NlRgba *a, const NlRgba *b, double t)
{
  NlRgba c = { a->r + (b->r - a->r) * t, a->g + (b->g - a->g) * t,
               a->b + (b->b - a->b) * t, a->a + (b->a - a->a) * t };
  return c;
}

NlRgba
nl_rgba_with_alpha (const NlRgba *c, double alpha)
{
  NlRgba out = *c;

  out.a = alpha;
  return out;
}

guint32
nl_rgba_to_pixel (const NlRgba *c)
{
  guint r = (guint) (CLAMP (c->r, 0.0, 1.0) * 255.0 + 0.5);
  guint g = (guint) (CLAMP (c->g, 0.0, 1.0) * 255.0 + 0.5);
  guint b = (guint) (CLAMP (c->b, 0.0, 1.0) * 255.0 + 0.5);

  return 0xff000000u | r << 16 | g << 8 | b;
}

NlRgba
nl_rgba_from_pixel (guint32 pixel)
{
  NlRgba c = { (pixel >> 16 & 0xff) / 255.0, (pixel >> 8 & 0xff) / 255.0,
               (pixel & 0xff) / 255.0, (pixel >> 24 & 0xff) / 255.0 };
  return c;
}

void
nl_render_set_source (cairo_t *cr, const NlRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

/* −1 … 0 … 1 through the three anchor colours, with intermediate stops that keep the
 * saturation up near the ends (a plain two-colour blend looks washed out). */
static NlRgba
diverging_at (const NlRenderStyle *style, double t)
{
  const NlRgba *end = t < 0 ? &style->negative : &style->positive;
  double a = fabs (t);

  /* Ease so that |t| = 0.5 is already clearly coloured: a heatmap's structure is mostly
   * in the middle of the range. */
  a = 1.0 - (1.0 - a) * (1.0 - a) * 0.85 - 0.15 * (1.0 - a);
  return mix_linear (&style->neutral, end, CLAMP (a, 0.0, 1.0));
}

NlRgba
nl_render_style_diverging (const NlRenderStyle *style, double t)
{
  if (isnan (t))
    return style->neutral;
  return diverging_at (style, CLAMP (t, -1.0, 1.0));
}

NlRgba
nl_render_style_sequential (const NlRenderStyle *style, double t)
{
  const guint n = G_N_ELEMENTS (sequential_stops);
  double s;
  guint i;

  if (isnan (t))
    t = 0.0;
  s = CLAMP (t, 0.0, 1.0) * (n - 1);
  i = MIN ((guint) s, n - 2);
  return nl_rgba_mix (&sequential_stops[i], &sequential_stops[i + 1], s - i);
}

NlRgba
nl_render_style_class_color (const NlRenderStyle *style, guint k)
{
  return style->classes[k % NL_RENDER_MAX_CLASSES];
}

void
nl_render_style_update_luts (NlRenderStyle *style)
{
  /* How far the boundary's background moves toward the plot surface. Mixed in sRGB, not
   * linear light: the washed colours stay saturated enough to read on a projector. */
  const double wash = style->theme == NL_RENDER_THEME_DARK ? 0.5 : 0.45;

  for (guint i = 0; i < NL_RENDER_LUT_SIZE; i++)
    {
      double t = (double) i / (NL_RENDER_LUT_SIZE - 1);
      NlRgba d = diverging_at (style, 2.0 * t - 1.0);
      NlRgba w = nl_rgba_mix (&d, &style->surface, wash);
      NlRgba s = nl_render_style_sequential (style, t);

      style->diverging_lut[i] = nl_rgba_to_pixel (&d);
      style->boundary_lut[i] = nl_rgba_to_pixel (&w);
      style->sequential_lut[i] = nl_rgba_to_pixel (&s);
    }
}

/* The colours that make a theme: the two differ only in these. */
typedef struct
{
  NlRgba        background, surface, foreground, muted, grid, highlight, neutral;
  NlRgba        train_series, test_series;
  const NlRgba *classes; /* NL_RENDER_MAX_CLASSES */
} Palette;

static const Palette light_palette = {
  .background = RGB (0xffffff),
  .surface = RGB (0xfafafa),
  .foreground = RGB (0x1e1e24),
  .muted = RGB (0x5e5e66),
  .grid = RGB (0xd8d8dc),
  /* Red is safe here: it only outlines, never encodes a value. */
  .highlight = RGB (0xc01c28),
  .neutral = RGB (0xf4f4f2),
  .train_series = RGB (0x0072b2),
  .test_series = RGB (0xd55e00),
  .classes = okabe_ito_light,
};

static const Palette dark_palette = {
  .background = RGB (0x1e1e22),
  .surface = RGB (0x26262b),
  .foreground = RGB (0xf2f2f4),
  .muted = RGB (0xa8a8b2),
  .grid = RGB (0x44444c),
  .highlight = RGB (0xff6b6b),
  .neutral = RGB (0x34343a),
  .train_series = RGB (0x56b4e9),
  .test_series = RGB (0xf08a3c),
  .classes = okabe_ito_dark,
};

static void
apply_palette (NlRenderStyle *style, const Palette *palette)
{
  style->background = palette->background;
  style->surface = palette->surface;
  style->foreground = palette->foreground;
  style->muted = palette->muted;
  style->grid = palette->grid;
  style->highlight = palette->highlight;
  style->neutral = palette->neutral;
  style->train_series = palette->train_series;
  style->test_series = palette->test_series;
  memcpy (style->classes, palette->classes, sizeof style->classes);
}

void
nl_render_style_init (NlRenderStyle *style, NlRenderTheme theme)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->theme = theme;
  apply_palette (style, theme == NL_RENDER_THEME_DARK ? &dark_palette : &light_palette);
  style->negative = style->classes[0];
  style->positive = style->classes[1];
  g_strlcpy (style->font_family, "Cantarell, Noto Sans, DejaVu Sans, Noto Sans CJK JP, sans-serif",
             sizeof style->font_family);
  style->font_size = 13.0;
  style->font_scale = 1.0;
  style->line_scale = 1.0;
  nl_render_style_update_luts (style);
}

const NlRenderStyle *
nl_render_style_get_default (NlRenderTheme theme)
{
  static NlRenderStyle styles[2];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      nl_render_style_init (&styles[0], NL_RENDER_THEME_LIGHT);
      nl_render_style_init (&styles[1], NL_RENDER_THEME_DARK);
      g_once_init_leave (&initialized, 1);
    }
  return &styles[theme == NL_RENDER_THEME_DARK ? 1 : 0];
}
