/* nl-advice-bar.h: warnings a student understands, each shown once and dismissable.
 *
 * Fed the health report of every snapshot; shows the engine's advice (nn-advice.h) in the
 * app's own translated words (nl-insight-text.h), one warning at a time, most serious
 * first. A kind of warning is shown at most once per run: after it was dismissed it does
 * not come back until nl_advice_bar_reset() (a new project). */
#pragma once

#include <gtk/gtk.h>

#include "nl-snapshot.h"

G_BEGIN_DECLS

#define NL_TYPE_ADVICE_BAR (nl_advice_bar_get_type ())

G_DECLARE_FINAL_TYPE (NlAdviceBar, nl_advice_bar, NL, ADVICE_BAR, GtkWidget)

GtkWidget   *nl_advice_bar_new             (void);
/* Queues the report's warnings whose kind was not shown yet. NULL does nothing. */
void         nl_advice_bar_update          (NlAdviceBar          *self,
                                            const NlHealthReport *report);
/* Hides the warning shown, and shows the next queued one if any. */
void         nl_advice_bar_dismiss         (NlAdviceBar          *self);
/* Forgets what was shown and queued. */
void         nl_advice_bar_reset           (NlAdviceBar          *self);
/* The warning shown now: TRUE with its kind, FALSE when hidden. */
gboolean     nl_advice_bar_get_shown       (NlAdviceBar          *self,
                                            NnAdviceKind         *kind);
const char  *nl_advice_bar_get_text        (NlAdviceBar          *self);
/* Whether the warning's text is drawn whole or ellipsized, never cut off: it fits in its
 * label in at most two lines, and the label in the bar. `ellipsized` says which. FALSE
 * when nothing is shown. (The full text is the text label's tooltip.) */
gboolean     nl_advice_bar_get_text_fits   (NlAdviceBar          *self,
                                            gboolean             *ellipsized);
/* How many warnings it has shown since the last reset. */
guint        nl_advice_bar_get_n_shown     (NlAdviceBar          *self);

G_END_DECLS
