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
  g_clear_pointer (&self->spare, cairo_surface_destroy);
  self->dirty = TRUE;
}

/* An image of the size asked for, transparent: the spare one when it fits. Drawing over
 * it is safe even if a frame's node still paints it: Cairo copies a surface that a
 * recording uses before it is changed (GTK has normally dropped that node by then). */
static cairo_surface_t *
take_surface (NlViewCache *self, int width, int height, int scale)
{
  cairo_surface_t *surface = g_steal_pointer (&self->spare);
  cairo_t *cr;

  if (surface != NULL
      && (cairo_image_surface_get_width (surface) != width * scale
          || cairo_image_surface_get_height (surface) != height * scale))
    g_clear_pointer (&surface, cairo_surface_destroy);
  if (surface == NULL)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
      cairo_surface_set_device_scale (surface, scale, scale);
      return surface;
    }
  cr = cairo_create (surface);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_destroy (cr);
  return surface;
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
      /* Not over the picture just shown: the last frame's node still holds it, and Cairo
       * would copy it before we could change it. */
      cairo_surface_t *surface = take_surface (self, width, height, scale);

      g_clear_pointer (&self->spare, cairo_surface_destroy);
      self->spare = g_steal_pointer (&self->surface);
      self->surface = surface;
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
