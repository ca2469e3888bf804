/* nl-render-figure.c: one view of the main window as a figure. */
#include <math.h>

#include "nl-render-figure.h"
#include "nl-render-main-view.h"

static void
draw_network (cairo_t *cr, const NlNetworkScene *scene, const NlRenderStyle *style,
              double width, double height)
{
  g_autoptr(NlNetworkLayout) layout = nl_network_layout_new ();

  nl_network_layout_compute (layout, scene->arch, scene->features,
                             NL_NETWORK_LAYOUT_NO_CONTROLS, width, height, style);
  nl_render_network (cr, layout, scene, style, NULL);
}

static void
draw_boundary (cairo_t *cr, const NlBoundaryScene *scene, const NlRenderStyle *style,
               double width, double height)
{
  NlBoundaryLayout layout;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_DEFAULT, width, height, style);
  nl_render_boundary (cr, &layout, scene, style, NULL);
}

static void
draw_loss (cairo_t *cr, const NlLossScene *scene, const NlRenderStyle *style,
           double width, double height)
{
  NlLossLayout layout;

  nl_loss_layout_compute (&layout, scene, width, height, style);
  nl_render_loss (cr, &layout, scene, style, NULL);
}

void
nl_render_figure (cairo_t              *cr,
                  NlFigureView          view,
                  const NlFigureScenes *scenes,
                  gboolean              dark,
                  double                width,
                  double                height)
{
  NlRenderStyle style = *nl_render_style_get_default (dark ? NL_RENDER_THEME_DARK
                                                           : NL_RENDER_THEME_LIGHT);

  g_return_if_fail (cr != NULL && scenes != NULL);

  /* Text and lines grow with the figure, as on a bigger screen. */
  style.font_scale = CLAMP (MIN (width / 1280.0, height / 720.0), 0.75, 3.0);
  style.line_scale = style.font_scale;
  nl_render_set_source (cr, &style.background);
  cairo_paint (cr);

  if (view == NL_FIGURE_VIEW_EXPLAIN)
    {
      /* The walkthrough keeps its own margin and sizes its own text to fit. */
      style.font_scale = 1.0;
      style.line_scale = 1.0;
      if (scenes->explain != NULL && scenes->explain_diagram != NULL)
        nl_render_explain (cr, scenes->explain, scenes->explain_diagram, &style, NULL, width,
                           height);
      return;
    }

  /* A margin, as on a slide. */
  {
    double margin = round (MIN (width, height) * 0.025);

    cairo_translate (cr, margin, margin);
    width -= 2 * margin;
    height -= 2 * margin;
  }
  switch (view)
    {
    case NL_FIGURE_VIEW_NETWORK:
      if (scenes->network != NULL)
        draw_network (cr, scenes->network, &style, width, height);
      break;
    case NL_FIGURE_VIEW_BOUNDARY:
      if (scenes->boundary != NULL)
        draw_boundary (cr, scenes->boundary, &style, width, height);
      break;
    case NL_FIGURE_VIEW_LOSS:
      if (scenes->loss != NULL)
        draw_loss (cr, scenes->loss, &style, width, height);
      break;
    case NL_FIGURE_VIEW_ALL:
    case NL_FIGURE_VIEW_EXPLAIN:
    case NL_N_FIGURE_VIEWS:
    default:
      {
        /* Side by side the loss curves leave their status line out: the window's header
         * says it. */
        NlLossScene loss;

        if (scenes->loss != NULL)
          {
            loss = *scenes->loss;
            loss.show_status = FALSE;
          }
        nl_render_main_view (cr, scenes->network, scenes->boundary,
                             scenes->loss != NULL ? &loss : NULL, &style, NULL, width, height);
      }
      break;
    }
}
