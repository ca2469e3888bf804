/* nl-chaos.h: random user actions, for the soak test.
 *
 * With NEURAL_LAB_CHAOS=1 in the environment, a window the application opens gets a
 * timeout that does what a restless class would: play and pause, add and remove neurons
 * and layers, change the optimizer, the learning rate (too high ones included), the batch
 * size, activations and features, regenerate the data, step and reset, edit weights; all
 * through the window's actions, as the widgets do. Training runs at full speed.
 * NEURAL_LAB_CHAOS_SEED=N repeats a run; NEURAL_LAB_CHAOS_INTERVAL_MS sets the pace
 * (default 250 ms). Once a minute (NEURAL_LAB_CHAOS_REPORT_SECONDS) it prints a line with
 * the actions so far, the epoch, the window's size (first and largest) and the heap in use;
 * NEURAL_LAB_CHAOS_TRACE=1 prints every action with its time too. NEURAL_LAB_CHAOS_SECONDS=N
 * closes the window, without asking, after N seconds: the application then ends, and a
 * leak checker gets its exit (the autosave keeps the work). Without NEURAL_LAB_CHAOS it
 * does nothing.
 */
#pragma once

#include "nl-window.h"

G_BEGIN_DECLS

/* Starts injecting actions into `window` when NEURAL_LAB_CHAOS=1; returns whether it did. */
gboolean nl_chaos_attach (NlWindow *window);

G_END_DECLS
