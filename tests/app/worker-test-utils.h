/* worker-test-utils.h: driving the training worker without a display, as the window does:
 * send a command, then take snapshots until one shows its effect. */
#pragma once

#include "nl-training-worker.h"

G_BEGIN_DECLS

/* How long a wait for a snapshot may take before the test fails (a loaded machine, a
 * sanitizer build). */
#define WORKER_TIMEOUT_US (20 * G_USEC_PER_SEC)

typedef gboolean (*WorkerPredicate) (const NlSnapshot *snap, gconstpointer data);

/* Takes snapshots until one satisfies `done`; returns it. Fails the test when none has
 * within WORKER_TIMEOUT_US. */
NlSnapshot *worker_wait_for     (NlTrainingWorker *worker, WorkerPredicate done,
                                 gconstpointer data);
/* The first snapshot made after the worker applied command `serial` (never 0: the value
 * of no command sent). */
NlSnapshot *worker_wait_applied (NlTrainingWorker *worker, guint64 serial);

G_END_DECLS
