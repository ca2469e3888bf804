/* nl-view-cache.h: a view's Cairo drawing kept as an image between frames.
 *
 * Drawing through gtk_snapshot_append_cairo() records every operation and replays it when
 * the frame is rendered, which costs about three times the drawing; and on GTK 4.8 a
 * GdkMemoryTexture is converted pixel by pixel through floats whenever the Cairo renderer
 * draws it. So the views draw into an image surface, only when what they show changed,
 * and each frame hands GTK a Cairo node that paints that image: one blit.
 *
 * A few images take turns: a view redrawn every frame (training flat out) draws into one
 * that no frame's node paints any more, instead of allocating (and page-faulting in) a new
 * megabyte each frame, or making Cairo copy an image a recording still uses. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*NlViewDrawFunc) (cairo_t *cr, int width, int height, gpointer data);

typedef struct
{
  cairo_surface_t *surface;
  cairo_surface_t *spares[3];  /* pictures before, drawn over once no frame paints them */
  int              width, height, scale;
  gboolean         dirty;
} NlViewCache;

/* Marks the picture out of date; the next append draws it again. */
void nl_view_cache_invalidate (NlViewCache *self);
/* Marks the picture out of date and asks `widget` for a frame, which draws it again. */
void nl_view_cache_redraw     (NlViewCache *self,
                               GtkWidget   *widget);
/* Appends the picture for `widget`'s current size, drawing it first when it is out of date
 * or the size or scale changed. */
void nl_view_cache_append     (NlViewCache    *self,
                               GtkWidget      *widget,
                               GtkSnapshot    *snapshot,
                               NlViewDrawFunc  draw,
                               gpointer        data);
void nl_view_cache_clear      (NlViewCache *self);

G_END_DECLS
