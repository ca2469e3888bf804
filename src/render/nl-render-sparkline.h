/* nl-render-sparkline.h: a word-sized line chart (Tufte's sparkline), for per-layer health
 * figures beside the network's columns (gradient norm, dead units…; issue 7). */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nl-render-style.h"

G_BEGIN_DECLS

/* Draws n values left to right across `rect`, scaled to their own range (log10 of the
 * positive values when log_scale), with a dot on the last one. Non-finite values leave a
 * gap. Nothing but the line: the caller's tooltip gives the numbers. */
void nl_render_sparkline (cairo_t *cr, const NlRect *rect, const double *values, guint n,
                          gboolean log_scale, const NlRgba *color, const NlRenderStyle *style);

G_END_DECLS
