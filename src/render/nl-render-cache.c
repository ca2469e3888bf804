/* nl-render-cache.c: surfaces and text layouts kept between frames. */
#include "nl-render-private.h"

NlRenderCache *
nl_render_cache_new (void)
{
  NlRenderCache *cache = g_new0 (NlRenderCache, 1);
  PangoFontMap *map = pango_cairo_font_map_get_default ();

  cache->pango = pango_font_map_create_context (map);
  cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

static void
clear_surfaces (cairo_surface_t **surfaces, guint n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&surfaces[i], cairo_surface_destroy);
}

void
nl_render_cache_clear (NlRenderCache *cache)
{
  g_return_if_fail (cache != NULL);

  g_hash_table_remove_all (cache->layouts);
  clear_surfaces (cache->thumbs, G_N_ELEMENTS (cache->thumbs));
  clear_surfaces (cache->features, G_N_ELEMENTS (cache->features));
  g_clear_pointer (&cache->boundary, cairo_surface_destroy);
  cache->network_serial = 0;
  cache->boundary_serial = 0;
  cache->n_thumbs = 0;
  cache->thumb_geometry = 0;
  cache->feature_geometry = 0;
  cache->boundary_geometry = 0;
}

void
nl_render_cache_free (NlRenderCache *cache)
{
  if (cache == NULL)
    return;
  nl_render_cache_clear (cache);
  g_hash_table_unref (cache->layouts);
  g_object_unref (cache->pango);
  g_free (cache);
}

NlRenderCache *
nl_render_cache_acquire (NlRenderCache *cache)
{
  return cache != NULL ? cache : nl_render_cache_new ();
}

void
nl_render_cache_release (NlRenderCache *given, NlRenderCache *used)
{
  if (used != given)
    nl_render_cache_free (used);
}

guint32
nl_render_lut_hash (const guint32 *lut)
{
  guint32 h = 2166136261u;

  /* FNV-1a over a sample of the table is plenty to tell two themes apart. */
  for (guint i = 0; i < NL_RENDER_LUT_SIZE; i += 5)
    h = (h ^ lut[i]) * 16777619u;
  return h;
}

cairo_surface_t *
nl_render_cache_image (cairo_surface_t **slot, guint res)
{
  cairo_surface_t *s = *slot;

  if (s != NULL && (guint) cairo_image_surface_get_width (s) == res)
    return s;
  g_clear_pointer (slot, cairo_surface_destroy);
  *slot = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) res, (int) res);
  return *slot;
}
