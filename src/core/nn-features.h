/* nn-features.h: the input features derived from a point (x1, x2) of the plane. */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

guint nn_features_count  (guint mask);
/* Expands n points into a feature-major (count, stride) array: row f, column i holds
 * feature f of point i. x1 and x2 are read with the given element stride (so an array of
 * NnPoint can be passed as &pts[0].x1, &pts[0].x2, 3). */
void  nn_features_expand (guint mask, const double *x1, const double *x2, gsize in_stride,
                          gsize n, double *out, gsize stride);
/* "x1,x2,sin(x1)" → mask; FALSE with an error naming the bad item. */
gboolean nn_features_parse_list (const char *list, guint *mask, GError **error);
/* mask → "x1,x2,sin(x1)"; free with g_free. */
char    *nn_features_to_list    (guint mask);

G_END_DECLS
