/* nl-insight-text.h: the health of a layer and the advice about a run, in plain words.
 *
 * The engine gives kinds and numbers (nn-health.h, nn-advice.h); the sentences a student
 * reads are written here, translated. */
#pragma once

#include <glib.h>

#include "nn-advice.h"
#include "nn-health.h"

G_BEGIN_DECLS

/* "Hidden layer 3" or "The output layer". */
char *nl_insight_layer_name     (guint layer, guint n_layers);
/* A short headline for a kind of advice ("Dead neurons"). */
const char *nl_advice_title     (NnAdviceKind kind);
/* The whole warning, e.g. "Hidden layer 3: 5 of 8 ReLU units are dead — they output 0 for
 * every point, so they no longer learn. …". */
char *nl_advice_describe        (const NnAdvice *advice);
/* The tooltip of a layer's health sparklines: what the lines are, the figures now, and in
 * plain words what is wrong (dead, saturated units; a vanishing gradient). */
char *nl_health_describe_layer  (const NnHealth *health, guint layer);

G_END_DECLS
