/* nn-metrics.h: what the network gets right and wrong, point by point.
 *
 * For classification, a confusion matrix over the train or test set: counts[truth][predicted],
 * the prediction being the class the trainer's accuracy uses (softmax: the most probable
 * class; one sigmoid output: z ≥ 0.5; one tanh or identity output: z ≥ 0), so the
 * diagonal over the total is exactly nn_trainer_evaluate()'s accuracy.
 * For regression, the predicted and true values of every point and R².
 *
 * These run the trainer's network (nn_trainer_predict): call them where the trainer lives,
 * the training worker. They allocate nothing.
 */
#pragma once

#include <glib.h>
#include "nn-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  NN_SPLIT_TRAIN,
  NN_SPLIT_TEST,
  NN_N_SPLITS
} NnSplit;

typedef struct
{
  guint classes;                                     /* K */
  guint total;                                       /* points counted */
  guint counts[NN_MAX_CLASSES][NN_MAX_CLASSES];      /* [truth][predicted] */
} NnConfusion;

/* Points of a split (the dataset's n_train or n_test). */
guint  nn_metrics_split_size      (NnTrainer *t, NnSplit split);

/* Fills the confusion matrix of a classification split; `predicted` (may be NULL) receives
 * each point's predicted class, in the dataset's order. FALSE for regression. */
gboolean nn_metrics_confusion     (NnTrainer *t, NnSplit split, NnConfusion *out,
                                   guint *predicted);
/* Share of the diagonal; NAN when empty. */
double nn_confusion_accuracy      (const NnConfusion *c);
/* How many points of class k there are (row sum) and how many were predicted k (column). */
guint  nn_confusion_true_count    (const NnConfusion *c, guint k);
guint  nn_confusion_predicted_count (const NnConfusion *c, guint k);

/* For a regression split, writes every point's target and the network's output (each
 * nn_metrics_split_size() values, either may be NULL) and returns R². FALSE for
 * classification. */
gboolean nn_metrics_regression    (NnTrainer *t, NnSplit split, double *truth,
                                   double *predicted, double *r_squared);
/* 1 − SS_res/SS_tot. When every target is the same (SS_tot = 0) it is 1 for a perfect fit
 * and 0 otherwise (as scikit-learn's r2_score); NAN for n = 0. */
double nn_r_squared               (const double *truth, const double *predicted, gsize n);

G_END_DECLS
