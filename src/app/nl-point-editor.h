/* nl-point-editor.h: drawing your own data on the output plot.
 *
 * The editor is the toolbar shown above the output plot while drawing (the class to draw,
 * as colour swatches up to the project's classes, or the target value for regression; a
 * test split; Clear All; Done) and the pointer handling it attaches to the plot:
 *   left click      adds a point of the chosen class or target
 *   left drag       paints points, spaced and rate-limited
 *   right click/drag erases the points near the pointer
 * It keeps the point lists being drawn, shows them on the plot at once (the plot draws them
 * instead of the snapshot's until drawing stops) and emits "changed" after edits, at most
 * every 100 ms while painting; the window turns them into the project's `points` dataset.
 */
#pragma once

#include <gtk/gtk.h>

#include "nn-dataset.h"

G_BEGIN_DECLS

#define NL_TYPE_POINT_EDITOR (nl_point_editor_get_type ())

G_DECLARE_FINAL_TYPE (NlPointEditor, nl_point_editor, NL, POINT_EDITOR, GtkWidget)

GtkWidget    *nl_point_editor_new          (void);
/* The plot the pointer draws on (an NlBoundaryView; its layout maps pixels to the plane). */
void          nl_point_editor_attach       (NlPointEditor *self,
                                            GtkWidget     *plot);
/* Drawing on or off (the "active" property). */
gboolean      nl_point_editor_get_active   (NlPointEditor *self);
void          nl_point_editor_set_active   (NlPointEditor *self,
                                            gboolean       active);
void          nl_point_editor_set_dark     (NlPointEditor *self,
                                            gboolean       dark);
/* What is drawn: classes 0..classes−1, or targets in [−1, 1]. */
void          nl_point_editor_set_problem  (NlPointEditor *self,
                                            NnProblem      problem,
                                            guint          classes);
/* The points to start from (copied), without emitting "changed". */
void          nl_point_editor_set_points   (NlPointEditor *self,
                                            const NnPoint *train,
                                            guint          n_train,
                                            const NnPoint *test,
                                            guint          n_test);
/* The lists being drawn (of NnPoint). */
GArray       *nl_point_editor_get_train    (NlPointEditor *self);
GArray       *nl_point_editor_get_test     (NlPointEditor *self);
/* The class drawn (classification) or the target (regression). */
void          nl_point_editor_set_class    (NlPointEditor *self,
                                            guint          klass);
guint         nl_point_editor_get_class    (NlPointEditor *self);
void          nl_point_editor_set_target   (NlPointEditor *self,
                                            double         target);
void          nl_point_editor_set_test_split (NlPointEditor *self,
                                              gboolean       test_split);

/* What the pointer does, for the keyboard and tests. Each emits "changed". */
void          nl_point_editor_add_point    (NlPointEditor *self,
                                            double         x1,
                                            double         x2);
/* Removes the points within `radius` of (x1, x2) (plane units); returns how many. */
guint         nl_point_editor_erase_near   (NlPointEditor *self,
                                            double         x1,
                                            double         x2,
                                            double         radius);
void          nl_point_editor_clear        (NlPointEditor *self);
/* Emits a "changed" still held back by the rate limit now. */
void          nl_point_editor_flush        (NlPointEditor *self);

G_END_DECLS
