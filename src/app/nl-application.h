/* nl-application.h: the Neural Lab application.
 *
 * Opens the .nlab files given on the command line (or the default example), owns the
 * settings, the CSS and the app-wide actions: open, save, save-as, examples, dark style,
 * keyboard shortcuts, about, quit. */
#pragma once

#include <gtk/gtk.h>

#include "nl-frame-stats.h"

G_BEGIN_DECLS

#define NL_TYPE_APPLICATION (nl_application_get_type ())

G_DECLARE_FINAL_TYPE (NlApplication, nl_application, NL, APPLICATION, GtkApplication)

NlApplication *nl_application_new             (GApplicationFlags  extra_flags);
/* The settings, or NULL when the schema is not installed (then nothing is remembered). */
GSettings     *nl_application_get_settings    (NlApplication     *self);
gboolean       nl_application_get_dark        (NlApplication     *self);
/* Frame statistics, when NEURAL_LAB_FRAME_STATS=1; else NULL. */
NlFrameStats  *nl_application_get_frame_stats (NlApplication     *self);
/* Whether windows start training as soon as they open (--play, NEURAL_LAB_AUTOPLAY=1). */
gboolean       nl_application_get_autoplay    (NlApplication     *self);

G_END_DECLS
