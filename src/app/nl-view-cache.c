/* nl-view-cache.c: Cairo drawing cached as an image surface. */
#include "nl-view-cache.h"

/* The frame's node paints the image through a raster-source pattern, not a surface
 * pattern. A recording surface takes a copy-on-write snapshot of every image surface
 * painted into it, and Cairo 1.16 keeps that snapshot attached to the image until the
 * image is next drawn on or freed, at which point it copies the whole image, even when no
 * recording needs it any more: a megabyte copied (and page-faulted in) per view per frame.
 * A raster source is recorded as it is, with a reference to the image that the recording
 * drops when GTK frees the frame's node; an image nobody else holds is free to draw over. */
static cairo_surface_t *
image_pattern_acquire (cairo_pattern_t             *pattern,
                       void                        *image,
                       cairo_surface_t             *target,
                       const cairo_rectangle_int_t *extents)
{
  return cairo_surface_reference (image);
}

static void
image_pattern_release (cairo_pattern_t *pattern, void *image, cairo_surface_t *surface)
{
  cairo_surface_destroy (surface);
}

/* A copy of the pattern (the recording keeps one) holds the image too. */
static cairo_status_t
image_pattern_copy (cairo_pattern_t *pattern, void *image, const cairo_pattern_t *other)
{
  cairo_surface_reference (image);
  return CAIRO_STATUS_SUCCESS;
}

static void
image_pattern_finish (cairo_pattern_t *pattern, void *image)
{
  cairo_surface_destroy (image);
}

static cairo_pattern_t *
image_pattern_new (cairo_surface_t *image)
{
  cairo_pattern_t *pattern =
    cairo_pattern_create_raster_source (cairo_surface_reference (image), CAIRO_CONTENT_COLOR_ALPHA,
                                        cairo_image_surface_get_width (image),
                                        cairo_image_surface_get_height (image));
  double sx, sy;
  cairo_matrix_t matrix;

  cairo_raster_source_pattern_set_acquire (pattern, image_pattern_acquire, image_pattern_release);
  cairo_raster_source_pattern_set_copy (pattern, image_pattern_copy);
  cairo_raster_source_pattern_set_finish (pattern, image_pattern_finish);
  /* The image has the widget's scale factor: map widget units onto its pixels. */
  cairo_surface_get_device_scale (image, &sx, &sy);
  cairo_matrix_init_scale (&matrix, sx, sy);
  cairo_pattern_set_matrix (pattern, &matrix);
  return pattern;
}

void
nl_view_cache_invalidate (NlViewCache *self)
{
  self->dirty = TRUE;
}

void
nl_view_cache_redraw (NlViewCache *self, GtkWidget *widget)
{
  nl_view_cache_invalidate (self);
  gtk_widget_queue_draw (widget);
}

void
nl_view_cache_clear (NlViewCache *self)
{
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  for (guint i = 0; i < G_N_ELEMENTS (self->spares); i++)
    g_clear_pointer (&self->spares[i], cairo_surface_destroy);
  self->dirty = TRUE;
}

static gboolean
image_free (cairo_surface_t *surface, int width, int height)
{
  return cairo_surface_get_reference_count (surface) == 1
         && cairo_image_surface_get_width (surface) == width
         && cairo_image_surface_get_height (surface) == height;
}

/* A transparent image of the size asked for: a spare one no frame paints any more when
 * there is one. (Drawing over, or freeing, an image that a frame's recording still paints
 * would make Cairo copy it first.) */
static cairo_surface_t *
take_surface (NlViewCache *self, int width, int height, int scale)
{
  cairo_surface_t *surface = NULL;
  cairo_t *cr;

  for (guint i = 0; i < G_N_ELEMENTS (self->spares) && surface == NULL; i++)
    if (self->spares[i] != NULL && image_free (self->spares[i], width * scale, height * scale))
      surface = g_steal_pointer (&self->spares[i]);
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

/* Keeps the picture just replaced for later; without a free slot it goes (once the last
 * frame painting it is freed). */
static void
keep_spare (NlViewCache *self, cairo_surface_t *surface)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->spares); i++)
    if (self->spares[i] == NULL)
      {
        self->spares[i] = surface;
        return;
      }
  cairo_surface_destroy (surface);
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
  cairo_pattern_t *pattern;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  if (self->surface == NULL || self->dirty || self->width != width || self->height != height
      || self->scale != scale)
    {
      /* Not over the picture just shown: the last frame's node still paints it. */
      cairo_surface_t *surface = take_surface (self, width, height, scale);

      if (self->surface != NULL)
        keep_spare (self, g_steal_pointer (&self->surface));
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
  pattern = image_pattern_new (self->surface);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
}
