/* nl-view-cache.c: Cairo drawing cached as an image surface. */
#include "nl-view-cache.h"

void
nl_view_cache_invalidate (NlViewCache *self)
{
  self->dirty = TRUE;
}

void
nl_view_cache_clear (NlViewCache *self)
{
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  self->dirty = TRUE;
}

void
nl_view_cache_append (NlViewCache    *self,
                      GtkWidget      *widget,
                      GtkSnapshot    *snapshot,
                      NlViewDrawFunc  draw,
                      gpointer        data)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  if (self->surface == NULL || self->dirty || self->width != width || self->height != height
      || self->scale != scale)
    {
      /* A new surface rather than drawing over the old one: the last frame's node may still
       * hold the old one, and Cairo would copy it before we could change it. */
      g_clear_pointer (&self->surface, cairo_surface_destroy);
      self->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale,
                                                  height * scale);
      cairo_surface_set_device_scale (self->surface, scale, scale);
      cr = cairo_create (self->surface);
      draw (cr, width, height, data);
      cairo_destroy (cr);
      self->width = width;
      self->height = height;
      self->scale = scale;
      self->dirty = FALSE;
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
}
