/* nl-render-confusion.h: what the network gets right and wrong, point by point.
 *
 * Classification: a confusion matrix per split (training data, test data) side by side.
 * Rows are the true class, columns the predicted class ("True class" / "Predicted class"
 * on the axes, each class named with its colour swatch); each cell shows its count and is
 * filled on a sequential scale by its share of the row (how much of a true class lands
 * there), so classes of different sizes compare and a perfect network is a dark diagonal.
 *
 * Regression: the predicted value against the true value for every point (train filled,
 * test hollow), the line y = x where a perfect network puts every point, and R² per split.
 */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nn-metrics.h"
#include "nl-render-style.h"
#include "nl-render-cache.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean           classification;
  /* Classification: a matrix per split; NULL (or no points) leaves the split out. */
  const NnConfusion *confusion[NN_N_SPLITS];
  /* Regression: n[s] targets and predictions per split, R² (NAN when unknown). */
  const double      *truth[NN_N_SPLITS];
  const double      *predicted[NN_N_SPLITS];
  guint              n[NN_N_SPLITS];
  double             r_squared[NN_N_SPLITS];
} NlConfusionScene;

/* Zeroed, R² unknown. */
void nl_confusion_scene_init (NlConfusionScene *scene);

typedef struct
{
  double width, height;
  guint  n_panels;
  guint  split[NN_N_SPLITS];        /* which split each panel shows */
  NlRect panel[NN_N_SPLITS];        /* a panel: title, then its plot */
  NlRect plot[NN_N_SPLITS];         /* the matrix's cells (or the scatter's data area) */
  guint  classes;                   /* K (classification) */
  /* Regression: the common range of both axes. */
  double lo, hi;
} NlConfusionLayout;

void     nl_confusion_layout_compute (NlConfusionLayout *layout, const NlConfusionScene *scene,
                                      double width, double height, const NlRenderStyle *style);
/* The matrix cell under (x, y): panel's split, true and predicted class. */
gboolean nl_confusion_layout_cell_at (const NlConfusionLayout *layout, double x, double y,
                                      NnSplit *split, guint *truth, guint *predicted);

void     nl_render_confusion         (cairo_t *cr, const NlConfusionLayout *layout,
                                      const NlConfusionScene *scene, const NlRenderStyle *style,
                                      NlRenderCache *cache);

G_END_DECLS
