/* render-test-utils.h: scenes and pixel checks shared by the render tests. */
#pragma once

#include <glib.h>
#include <cairo.h>
#include "nl-render.h"

G_BEGIN_DECLS

/* A white-initialised ARGB32 surface and a context on it. */
cairo_surface_t *test_surface_new     (int width, int height, cairo_t **cr);
/* The pixel at (x, y), rounded to the nearest pixel, as 0..1 components. */
NlRgba           test_pixel           (cairo_surface_t *surface, double x, double y);
/* Whether two colours differ by at most `tol` in each component. */
gboolean         test_color_near      (const NlRgba *a, const NlRgba *b, double tol);
/* Asserts that, with a message naming both colours. */
void             test_assert_color    (cairo_surface_t *surface, double x, double y,
                                       const NlRgba *expected, double tol, const char *what);
/* Writes the surface as NAME.png into the build directory for people to look at. */
void             test_write_png       (cairo_surface_t *surface, const char *name);
double           test_luminance       (const NlRgba *c);

/* Parameters of the architecture filled from a seeded generator, flat as NnNetwork. */
double          *test_random_params   (const NnArchitecture *arch, guint32 seed, double scale);
gsize            test_n_params        (const NnArchitecture *arch);
/* Every neuron's output over a res×res grid (as nn_trainer_eval_grid), computed here with
 * libm so the tests do not depend on the engine's implementation. */
double          *test_eval_grids      (const NnArchitecture *arch, guint features,
                                       const double *params, guint res);
guint            test_total_units     (const NnArchitecture *arch);

/* A loss history that falls from `start` to about `end` with a little noise. */
NnEpochStats    *test_history         (guint n, double start, double end, gboolean test_set);

/* Points of a circle problem: class 1 outside radius 3.5, class 0 inside. */
NnPoint         *test_circle_points   (guint n, guint32 seed);

G_END_DECLS
