/* nl-view-utils.h: what the plot widgets (boundary, loss, confusion, network, surface)
 * share around their drawing, which is src/render's.
 *
 * Each of them draws with a style of the light or the dark theme, keeps the pieces that
 * style coloured in an NlRenderCache and its picture in an NlViewCache, holds the latest
 * snapshot, and reacts to the pointer in the same few ways; these do that once. */
#pragma once

#include <gtk/gtk.h>

#include "nl-render.h"
#include "nl-snapshot.h"
#include "nl-view-cache.h"

G_BEGIN_DECLS

/* The style a view draws with in the dark or the light theme. */
const NlRenderStyle *nl_view_style                (gboolean dark);

/* Makes the widgets of `widget_class` ask for these sizes, whatever the other dimension:
 * the class's measure vfunc becomes one that answers them. */
void                 nl_view_class_set_fixed_size (GtkWidgetClass *widget_class,
                                                   int             min_width,
                                                   int             nat_width,
                                                   int             min_height,
                                                   int             nat_height);

/* Puts `snapshot` (may be NULL) in `*slot`, taking a reference, and drops the one there. */
void                 nl_view_replace_snapshot     (NlSnapshot **slot,
                                                   NlSnapshot  *snapshot);

/* Sets `*field` to `value` and, when that changed it, redraws `picture`. Returns whether it
 * changed (for a notify, or what else depends on it). */
gboolean             nl_view_set_boolean          (GtkWidget   *widget,
                                                   NlViewCache *picture,
                                                   gboolean    *field,
                                                   gboolean     value);
/* The same for the theme, which also empties `cache`: what it keeps has the old colours. */
gboolean             nl_view_set_dark             (GtkWidget     *widget,
                                                   NlViewCache   *picture,
                                                   NlRenderCache *cache,
                                                   gboolean      *dark,
                                                   gboolean       value);

/* Connects `motion` and `leave` (GtkEventControllerMotion's signals) to a new motion
 * controller of `widget`. */
void                 nl_view_track_pointer        (GtkWidget *widget,
                                                   GCallback  motion,
                                                   GCallback  leave,
                                                   gpointer   data);
/* Connects `callback` to `signal` ("pressed" or "released") of a new click gesture of
 * `widget` for the primary button. */
void                 nl_view_add_click            (GtkWidget  *widget,
                                                   const char *signal,
                                                   GCallback   callback,
                                                   gpointer    data);

G_END_DECLS
