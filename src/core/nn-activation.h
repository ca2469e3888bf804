/* nn-activation.h: activation functions and their derivatives over contiguous arrays.
 *
 * The array forms are the hot loops: they are written so the compiler vectorises them
 * (tanh and sigmoid use the engine's own vectorisable exp, accurate to a few ulp).
 */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

/* z = F(u) elementwise for n values. Not for softmax. */
void   nn_activation_apply      (NnActivation a, double alpha, const double *u, double *z, gsize n);
/* du = dz · F'(u) elementwise, given u and z = F(u); du may be dz. Not for softmax. */
void   nn_activation_derive     (NnActivation a, double alpha, const double *u, const double *z,
                                 const double *dz, double *du, gsize n);
/* Softmax over the rows of a feature-major (k, batch) array, for each sample. */
void   nn_softmax_apply         (const double *u, double *z, guint k, guint batch);
/* du = J_softmax^T dz for each sample of a (k, batch) array; du may be dz. */
void   nn_softmax_derive        (const double *z, const double *dz, double *du, guint k, guint batch);

/* Scalar forms, for explanations and tests. */
double nn_activation_value      (NnActivation a, double alpha, double u);
double nn_activation_derivative (NnActivation a, double alpha, double u);

/* exp(x) and tanh(x) as the engine computes them (vectorisable, within 2 ulp of libm). */
double nn_exp                   (double x);
double nn_tanh                  (double x);
double nn_sigmoid               (double x);

G_END_DECLS
