/* nl-render-private.h: what the files of src/render share and nobody else sees. */
#pragma once

#include <glib.h>
#include <math.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include "nl-render-style.h"
#include "nl-render-cache.h"
#include "nl-render-network.h"

G_BEGIN_DECLS

struct _NlRenderCache
{
  PangoContext    *pango;
  GHashTable      *layouts;      /* "size|weight|text" → PangoLayout */
  /* What the Pango context was last set up for: updating it costs ~10 µs and makes every
   * layout re-shape, so it is done only when the target or its scale changes. */
  double           pango_key[6];

  /* Neuron thumbnails, one res×res surface per neuron (hidden layers then output). */
  guint64          network_serial;
  guint32          network_lut_hash;
  guint32          thumb_geometry;   /* grid resolution, node sizes and pixel scale */
  guint            n_thumbs;
  cairo_surface_t *thumbs[NN_MAX_LAYERS * NN_MAX_UNITS];

  /* Feature thumbnails depend only on their resolution and the colour map. */
  guint32          feature_geometry;
  guint32          feature_lut_hash;
  cairo_surface_t *features[NN_N_FEATURES];

  /* The decision boundary image. */
  guint64          boundary_serial;
  guint32          boundary_lut_hash;
  guint32          boundary_options;  /* colouring mode, range and discretisation */
  guint32          boundary_geometry; /* grid resolution and image size */
  cairo_surface_t *boundary;
};

/* A cache to use for one draw call: the caller's, or a temporary one freed by
 * nl_render_cache_release. */
NlRenderCache *nl_render_cache_acquire (NlRenderCache *cache);
void           nl_render_cache_release (NlRenderCache *given, NlRenderCache *used);
/* A cheap fingerprint of a lookup table, so cached images follow a theme change. */
guint32        nl_render_lut_hash      (const guint32 *lut);
/* A res×res ARGB32 surface, reused when it already has that size. */
cairo_surface_t *nl_render_cache_image (cairo_surface_t **slot, guint res);

/* For resampling a res-cell grid to n pixels: each pixel's first source cell and the
 * weight of the next one (bilinear, edges clamped). */
void           nl_render_sample_positions (int n, guint res, int *i0, float *f);

/* Text. Sizes are factors of the style's base font size (× font_scale). */
typedef enum
{
  NL_TEXT_REGULAR = 0,
  NL_TEXT_BOLD    = 1 << 0,
  NL_TEXT_ITALIC  = 1 << 1,
} NlTextFlags;

double nl_text_px   (const NlRenderStyle *style, double size);
PangoLayout *nl_text_layout (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                             const char *text, double size, NlTextFlags flags);
/* Logical size of the text in pixels. */
void   nl_text_measure (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                        const char *text, double size, NlTextFlags flags, double *width,
                        double *height);
/* Draws text with its box's point (xalign, yalign) ∈ [0, 1]² at (x, y): (0, 0) top left,
 * (0.5, 0.5) centred, (1, 0.5) right-aligned and vertically centred. */
void   nl_text_draw    (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                        const char *text, double size, NlTextFlags flags, const NlRgba *color,
                        double x, double y, double xalign, double yalign);
/* As nl_text_draw, ellipsizing the text to max_width. */
void   nl_text_draw_fit (cairo_t *cr, NlRenderCache *cache, const NlRenderStyle *style,
                         const char *text, double size, NlTextFlags flags,
                         const NlRgba *color, double x, double y, double xalign,
                         double yalign, double max_width);

/* A line snapped to the pixel grid so 1-px strokes stay crisp. */
static inline double
nl_snap (double v, double line_width)
{
  double w = line_width < 1.0 ? 1.0 : line_width;

  return ((int) w % 2 == 1) ? floor (v) + 0.5 : floor (v + 0.5);
}

/* Number formatting for ticks: "0.001", "2.5", "1e-05", "1,000". */
void   nl_format_tick  (char *buf, gsize size, double value, double step);

/* A rounded rectangle path. */
void   nl_path_rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r);

G_END_DECLS
