/* nl-render-cache.h: what a view keeps between frames so a redraw stays cheap.
 *
 * A cache holds the heatmap image surfaces (neuron thumbnails, feature thumbnails, the
 * decision boundary) and shaped text layouts. Each scene carries a `serial`: when it is
 * the same as at the last draw the heatmaps are reused, when it changed (or is 0) they
 * are rebuilt. Give each widget its own cache; pass NULL for one-shot drawing (exports,
 * tests), which then uses a temporary one.
 *
 * A cache is not thread-safe: use it from one thread (the UI thread) at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NlRenderCache NlRenderCache;

NlRenderCache *nl_render_cache_new   (void);
void           nl_render_cache_free  (NlRenderCache *cache);
/* Drops every cached surface and layout (e.g. after the font or the theme changed). */
void           nl_render_cache_clear (NlRenderCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlRenderCache, nl_render_cache_free)

G_END_DECLS
