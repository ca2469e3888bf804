/* worker-test-utils.c: waiting for the training worker's snapshots. */
#include "worker-test-utils.h"

NlSnapshot *
worker_wait_for (NlTrainingWorker *worker, WorkerPredicate done, gconstpointer data)
{
  gint64 end = g_get_monotonic_time () + WORKER_TIMEOUT_US;
  NlSnapshot *last = NULL;

  while (g_get_monotonic_time () < end)
    {
      NlSnapshot *snap = nl_training_worker_wait_snapshot (worker, 100 * 1000);

      if (snap == NULL)
        continue;
      g_clear_pointer (&last, nl_snapshot_unref);
      last = snap;
      if (done (snap, data))
        return last;
    }
  /* Out of time: fail with what the last snapshot showed. */
  g_assert_nonnull (last);
  g_assert_true (done (last, data));
  return last;
}

static gboolean
applied (const NlSnapshot *snap, gconstpointer data)
{
  return snap->command_serial >= *(const guint64 *) data;
}

NlSnapshot *
worker_wait_applied (NlTrainingWorker *worker, guint64 serial)
{
  g_assert_cmpuint (serial, >, 0);
  return worker_wait_for (worker, applied, &serial);
}
