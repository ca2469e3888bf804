/* nl-render-loss.h: train and test loss against the epoch.
 *
 * Any length of history: the curves are decimated to each pixel column's first, lowest,
 * highest and last values, so 100 000 epochs cost little more than 1 000. Linear or log
 * y scale with "nice" ticks (1, 2, 5 steps; decades in log scale). Non-finite values leave
 * a gap in the line; in log scale values ≤ 0 (a perfect fit) sit on the floor of the axis
 * and do not set its range. Nor do huge outliers (more than ten times the first epoch's
 * loss, a thousand times in log scale: a run blowing up): the curve goes off the top there,
 * with a mark, and the highest value is written in the corner. An empty or one-point
 * history draws the axes without dividing by zero.
 *
 * As the network view, layout and drawing are separate: nl_loss_layout_compute() fixes
 * the plot rectangle and the axis ranges from the data, and the app maps the pointer
 * through the same layout (nl_loss_layout_index_at) for the hover readout.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-trainer.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

typedef struct
{
  const NnEpochStats *history;      /* ordered by epoch */
  guint               n_history;
  gboolean            log_scale;
  gboolean            classification; /* show accuracy in the readouts */
  /* A marker at an epoch (the timeline's position, issue 7); −1 for none. */
  gint64              marker_epoch;
  /* Hover readout at history[hover_index] (guide line and a box); −1 for none. */
  int                 hover_index;
  /* Draw the "Epoch 1 234  train 0.012 · test 0.015 · accuracy 97.5 %" line. */
  gboolean            show_status;
  guint64             serial;         /* unused for now; reserved for caching */
} NlLossScene;

/* Zeroed, no marker, no hover, status shown. */
void     nl_loss_scene_init         (NlLossScene *scene);

typedef struct
{
  double   width, height;
  NlRect   plot;           /* the data area */
  NlRect   status;         /* the status line above the plot (height 0 when hidden) */
  NlRect   legend;         /* train / test key, top right inside the header band */
  double   font_scale;
  /* Axis ranges (epochs; loss, or log10 of loss in log scale). */
  double   x_min, x_max;
  double   y_min, y_max;
  gboolean log_scale;
  /* Ticks chosen for those ranges (values in data units, not log10). */
  guint    n_x_ticks, n_y_ticks;
  double   x_ticks[16];
  double   y_ticks[16];     /* log scale: whole decades */
  /* Values far above the curve's scale (a diverging run reaches 1e300) do not set the
   * range: they go off the top, which is marked, and data_max says how high they went. */
  gboolean clipped_top;
  double   data_max;
} NlLossLayout;

void     nl_loss_layout_compute     (NlLossLayout *layout, const NlLossScene *scene,
                                     double width, double height, const NlRenderStyle *style);
/* Epoch at widget x (not clamped). */
double   nl_loss_layout_epoch_at    (const NlLossLayout *layout, double x);
/* Widget x of an epoch; widget y of a loss value (NAN when it cannot be shown). */
double   nl_loss_layout_x_of        (const NlLossLayout *layout, double epoch);
double   nl_loss_layout_y_of        (const NlLossLayout *layout, double loss);
/* Index of the history record nearest to widget x, or −1 when the history is empty. */
int      nl_loss_layout_index_at    (const NlLossLayout *layout, const NlLossScene *scene,
                                     double x);

void     nl_render_loss             (cairo_t *cr, const NlLossLayout *layout,
                                     const NlLossScene *scene, const NlRenderStyle *style,
                                     NlRenderCache *cache);

/* "Nice" ticks covering [lo, hi] with about `target` steps of 1, 2 or 5 × 10ⁿ: writes up
 * to `max` values into `ticks` and returns how many. Used by every axis of render/. */
guint    nl_render_nice_ticks       (double lo, double hi, guint target, double *ticks,
                                     guint max);
/* Decades 10ⁿ covering [lo, hi] (both > 0), thinned to at most `max`. */
guint    nl_render_log_ticks        (double lo, double hi, double *ticks, guint max);

G_END_DECLS
