/* nl-render-main-view.c: the three main views composed into one picture. */
#include "nl-render-main-view.h"
#include "nl-render-private.h"

void
nl_render_main_view_rects (double width, double height, NlMainViewRects *rects)
{
  /* The right column is as wide as a good square output plot plus its axes and legend;
   * the network takes the rest, which it needs more than anything else. */
  double right = floor (CLAMP (width * 0.42, MIN (width, 260), height * 0.75));
  double boundary_h = floor (MIN (height * 0.6, right * 0.88));

  rects->network = (NlRect) { 0, 0, width - right, height };
  rects->boundary = (NlRect) { width - right, 0, right, boundary_h };
  rects->loss = (NlRect) { width - right, boundary_h, right, height - boundary_h };
}

static void
begin_area (cairo_t *cr, const NlRect *r)
{
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  cairo_translate (cr, r->x, r->y);
}

static void
draw_separator (cairo_t *cr, const NlMainViewRects *rects, const NlRenderStyle *style)
{
  double x = nl_snap (rects->boundary.x, 1), y = nl_snap (rects->loss.y, 1);

  nl_render_set_source (cr, &style->grid);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x, 12);
  cairo_line_to (cr, x, rects->network.height - 12);
  cairo_move_to (cr, x + 12, y);
  cairo_line_to (cr, rects->boundary.x + rects->boundary.width - 12, y);
  cairo_stroke (cr);
}

void
nl_render_main_view (cairo_t *cr, const NlNetworkScene *network,
                     const NlBoundaryScene *boundary, const NlLossScene *loss,
                     const NlRenderStyle *style, NlRenderCache *given_cache, double width,
                     double height)
{
  NlRenderCache *cache;
  NlMainViewRects rects;

  g_return_if_fail (cr != NULL && style != NULL);

  cache = nl_render_cache_acquire (given_cache);
  nl_render_main_view_rects (width, height, &rects);
  nl_render_set_source (cr, &style->background);
  cairo_paint (cr);
  if (network != NULL && network->arch != NULL)
    {
      g_autoptr (NlNetworkLayout) layout = nl_network_layout_new ();

      nl_network_layout_compute (layout, network->arch, network->features,
                                 NL_NETWORK_LAYOUT_NO_CONTROLS, rects.network.width,
                                 rects.network.height, style);
      begin_area (cr, &rects.network);
      nl_render_network (cr, layout, network, style, cache);
      cairo_restore (cr);
    }
  if (boundary != NULL)
    {
      NlBoundaryLayout layout;

      nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, rects.boundary.width,
                                  rects.boundary.height, style);
      begin_area (cr, &rects.boundary);
      nl_render_boundary (cr, &layout, boundary, style, cache);
      cairo_restore (cr);
    }
  if (loss != NULL)
    {
      NlLossLayout layout;

      nl_loss_layout_compute (&layout, loss, rects.loss.width, rects.loss.height, style);
      begin_area (cr, &rects.loss);
      nl_render_loss (cr, &layout, loss, style, cache);
      cairo_restore (cr);
    }
  draw_separator (cr, &rects, style);
  nl_render_cache_release (given_cache, cache);
}
