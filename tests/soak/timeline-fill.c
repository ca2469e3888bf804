/* timeline-fill.c: how fast the training worker fills its timeline and loss history at
 * full speed (issue 6's soak: memory must be flat after the first minute, so the budgets
 * must be reached within it). A measuring tool, not a test: it prints figures.
 *
 * It drives the real worker (nl-training-worker.c) as the window does: full speed, Play,
 * and a snapshot taken as soon as one is published (the window takes one a frame). Every
 * half second it prints the epoch, the timeline's counted memory, records and stride, the
 * loss history's records, and the process's resident memory; at the end, when the
 * timeline first thinned (it had reached its budget) and the epochs per second.
 *
 * Build it beside the worker-stress test, which compiles the same two sources:
 *   cc -O2 -o build-e/timeline-fill tests/soak/timeline-fill.c src/app/nl-training-worker.c \
 *     src/app/nl-snapshot.c -Isrc/app -Isrc/core -Ibuild-e -Ibuild-e/src/core \
 *     build-e/src/core/libnn-core.a $(pkg-config --cflags --libs gobject-2.0 json-glib-1.0) -lm
 *   build-e/timeline-fill data/examples/default.nlab 90
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl-training-worker.h"

/* VmRSS in KiB, 0 when /proc is not there. */
static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  g_autoptr (NlTrainingWorker) worker = NULL;
  double seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 60;
  gint64 start, next_print = 0, full_at = -1;
  guint last_epoch = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s PROJECT.nlab [SECONDS]\n", argv[0]);
      return 2;
    }
  project = nn_project_load (argv[1], &error);
  if (project == NULL || (worker = nl_training_worker_new (project, &error)) == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[1], error->message);
      return 1;
    }
  nl_training_worker_set_speed (worker, 0);
  nl_training_worker_play (worker);
  start = g_get_monotonic_time ();
  printf ("seconds,epoch,timeline_mib,timeline_records,stride,history_records,rss_mib\n");
  for (;;)
    {
      g_autoptr (NlSnapshot) snap = nl_training_worker_wait_snapshot (worker, G_USEC_PER_SEC);
      gint64 now = g_get_monotonic_time ();
      double t = (double) (now - start) / G_USEC_PER_SEC;

      if (snap == NULL)
        continue;
      last_epoch = snap->epoch;
      if (full_at < 0 && nn_timeline_get_stride (snap->timeline) > 1)
        full_at = now;
      if (now >= next_print || t >= seconds)
        {
          printf ("%.1f,%u,%.1f,%u,%u,%u,%.1f\n", t, snap->epoch,
                  (double) nn_timeline_get_memory (snap->timeline) / (1024 * 1024),
                  nn_timeline_get_n_records (snap->timeline),
                  nn_timeline_get_stride (snap->timeline), snap->n_history,
                  (double) rss_kib () / 1024);
          fflush (stdout);
          next_print = now + G_USEC_PER_SEC / 2;
        }
      if (t >= seconds)
        break;
    }
  printf ("# %u epochs in %.0f s: %.0f epochs/s; the timeline reached its budget (first "
          "thinning) %s%.1f s\n", last_epoch, seconds, last_epoch / seconds,
          full_at < 0 ? "never, within " : "after ",
          full_at < 0 ? seconds : (double) (full_at - start) / G_USEC_PER_SEC);
  nl_training_worker_quit (worker);
  return 0;
}
