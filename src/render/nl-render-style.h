/* nl-render-style.h: colours, fonts and colour maps shared by every view.
 *
 * A style is a plain struct: copy it, change a field, pass it on. The colour maps are
 * precomputed 256-entry lookup tables (opaque ARGB32 pixels, as a Cairo image surface
 * stores them) so heatmaps are filled without any per-pixel colour arithmetic.
 *
 *  - diverging: weights and neuron outputs, t in [−1, 1]: orange (negative) through a
 *    neutral middle (near-white in light, dark grey in dark) to blue (positive). Orange ↔
 *    blue stays distinct for the common colour-vision deficiencies (unlike red ↔ green).
 *  - qualitative: up to 8 classes, the Okabe–Ito palette (class 0 orange, class 1 blue,
 *    so a binary problem looks the same with a sigmoid/tanh or a softmax output).
 *  - sequential: loss surfaces, t in [0, 1], a viridis-like dark-purple → yellow ramp.
 */
#pragma once

#include <glib.h>
#include <cairo.h>

G_BEGIN_DECLS

#define NL_RENDER_MAX_CLASSES 8
#define NL_RENDER_LUT_SIZE    256

typedef struct
{
  double r, g, b, a;
} NlRgba;

/* A rectangle in user-space pixels (every layout of render/ is made of these). */
typedef struct
{
  double x, y, width, height;
} NlRect;

typedef enum
{
  NL_RENDER_THEME_LIGHT,
  NL_RENDER_THEME_DARK,
} NlRenderTheme;

typedef struct
{
  NlRenderTheme theme;

  NlRgba  background;      /* behind everything */
  NlRgba  surface;         /* plot areas, node backgrounds */
  NlRgba  foreground;      /* text, axes */
  NlRgba  muted;           /* secondary text, tick labels, disabled features */
  NlRgba  grid;            /* grid lines, frames */
  NlRgba  highlight;       /* hovered / selected outline */

  NlRgba  negative;        /* diverging map at −1 (links of negative weights) */
  NlRgba  neutral;         /* diverging map at 0 */
  NlRgba  positive;        /* diverging map at +1 */

  NlRgba  train_series;    /* loss curve of the training set (solid) */
  NlRgba  test_series;     /* loss curve of the test set (dashed) */
  NlRgba  classes[NL_RENDER_MAX_CLASSES];

  char    font_family[96]; /* a Pango family list, "Cantarell, Noto Sans, sans-serif" */
  double  font_size;       /* base label size in px (≥ 12 for a projector at 1280×800) */
  double  font_scale;      /* multiplies every text size; 1.0 normally, 1.25 projector */
  double  line_scale;      /* multiplies line widths */

  /* Opaque premultiplied ARGB32 = opaque ARGB32; index 0 is t = −1 (or 0), 255 is +1 (1). */
  guint32 diverging_lut[NL_RENDER_LUT_SIZE];
  /* The diverging map washed toward the background: the decision boundary's heatmap, so
   * the saturated data points on top of it stand out. */
  guint32 boundary_lut[NL_RENDER_LUT_SIZE];
  guint32 sequential_lut[NL_RENDER_LUT_SIZE];
} NlRenderStyle;

/* Fills every field for the theme, including the lookup tables. */
void                 nl_render_style_init          (NlRenderStyle *style, NlRenderTheme theme);
/* Shared read-only instances (built once, thread-safe). */
const NlRenderStyle *nl_render_style_get_default   (NlRenderTheme theme);
/* Rebuilds the lookup tables after negative/neutral/positive were changed by hand. */
void                 nl_render_style_update_luts   (NlRenderStyle *style);

/* t in [−1, 1] (clamped; NaN gives neutral). */
NlRgba               nl_render_style_diverging     (const NlRenderStyle *style, double t);
/* t in [0, 1] (clamped). */
NlRgba               nl_render_style_sequential    (const NlRenderStyle *style, double t);
/* Class k's colour; k wraps past NL_RENDER_MAX_CLASSES. */
NlRgba               nl_render_style_class_color   (const NlRenderStyle *style, guint k);

/* Lookup-table index for a value v mapped from [lo, hi] (lo → 0, hi → 255; NaN → middle). */
static inline guint
nl_render_lut_index (double v, double lo, double hi)
{
  double t = (v - lo) / (hi - lo);

  if (!(t > 0.0))          /* also NaN... */
    return t == t ? 0 : NL_RENDER_LUT_SIZE / 2;
  if (t >= 1.0)
    return NL_RENDER_LUT_SIZE - 1;
  return (guint) (t * (NL_RENDER_LUT_SIZE - 1) + 0.5);
}

/* Helpers for drawing code. */
void                 nl_render_set_source          (cairo_t *cr, const NlRgba *c);
NlRgba               nl_rgba_mix                   (const NlRgba *a, const NlRgba *b, double t);
NlRgba               nl_rgba_with_alpha            (const NlRgba *c, double alpha);
/* Opaque ARGB32 pixel of a colour (alpha ignored). */
guint32              nl_rgba_to_pixel              (const NlRgba *c);
NlRgba               nl_rgba_from_pixel            (guint32 pixel);

G_END_DECLS
