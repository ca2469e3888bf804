/* nl-render-raster.h: direct anti-aliased drawing into image surfaces (private).
 *
 * Cairo 1.16 rasterises every stroke through a coverage mask the size of the stroke's
 * bounding box: a diagonal link 100 px wide and 300 px tall costs ~30 µs whatever its
 * thickness, so a network of a few hundred links takes tens of milliseconds. Links are
 * ribbons along a known x-monotone curve, so they are drawn here column by column straight
 * into the pixels instead (about 1 µs each). Only on image targets with a plain scale and
 * translation and a rectangular clip; everything else (PDF, SVG, rotations) keeps the
 * vector path, and nl_raster_begin says which.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nl-render-style.h"

G_BEGIN_DECLS

typedef struct
{
  cairo_surface_t *target;
  guint8          *data;
  int              stride;
  gboolean         opaque;       /* RGB24: alpha is not stored */
  double           scale;        /* user → device: d = u · scale + offset */
  double           x0, y0;
  int              clip_x0, clip_y0, clip_x1, clip_y1; /* device pixels, end exclusive */
  int              dirty_x0, dirty_y0, dirty_x1, dirty_y1;
} NlRaster;

/* TRUE when `cr` can be drawn into directly; then nl_raster_end must follow. */
gboolean nl_raster_begin (NlRaster *raster, cairo_t *cr);
void     nl_raster_end   (NlRaster *raster);

/* Device pixels per user unit when `cr` draws straight into an image surface with a plain
 * scale (so images can be prepared at exactly the pixel size they will cover), else 0. */
double   nl_raster_pixel_scale (cairo_t *cr);

/* A link ribbon of `width` user units along the cubic Bézier (x0, y0) → (x1, y1) whose
 * control points are `bend`·(x1 − x0) inside the ends at the ends' heights (x1 > x0). */
void     nl_raster_link  (NlRaster *raster, double x0, double y0, double x1, double y1,
                          double bend, double width, const NlRgba *color);

/* Composites a premultiplied ARGB32 image (`sprite`, w × h device pixels) with OVER, its
 * top left corner at device pixel (dx, dy): markers stamped a few hundred times a frame,
 * where a cairo_fill per stamp costs ~6 000 instructions. */
void     nl_raster_blit   (NlRaster *raster, const guint8 *sprite, int stride, int w, int h,
                           int dx, int dy);

/* A line of `width` through n points whose x never decreases (a series over time), with
 * dashes of `dash_on`, `dash_off` user units when dash_on > 0. Many points falling into one
 * pixel column merge into that column's vertical extent, so any number of points costs one
 * pass over them plus one over the columns. */
void     nl_raster_series (NlRaster *raster, const double *x, const double *y, guint n,
                           double width, const NlRgba *color, double dash_on,
                           double dash_off);

G_END_DECLS
