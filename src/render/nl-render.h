/* nl-render.h: everything src/render offers — Cairo drawing of Neural Lab's views from
 * plain data, for the widgets, PNG/SVG/PDF export, the CLI renderer and the tests. */
#pragma once

#include "nl-render-style.h"
#include "nl-render-cache.h"
#include "nl-render-heatmap.h"
#include "nl-render-network.h"
#include "nl-render-boundary.h"
#include "nl-render-loss.h"
#include "nl-render-sparkline.h"
#include "nl-render-main-view.h"
#include "nl-render-health.h"
#include "nl-render-neuron-detail.h"
#include "nl-render-confusion.h"
#include "nl-render-surface.h"
#include "nl-render-explain.h"
#include "nl-render-figure.h"
