/* nl-frame-stats.c: frame interval statistics. */
#include <math.h>
#include <stdlib.h>

#include "nl-frame-stats.h"

struct _NlFrameStats
{
  GArray *intervals_ms;   /* of double */
  GArray *work_ms;        /* of double */
  gint64  last_frame_time;
  double  samples_per_second;
  double  samples_per_cpu_second;
};

NlFrameStats *
nl_frame_stats_new (void)
{
  NlFrameStats *stats = g_new0 (NlFrameStats, 1);

  stats->intervals_ms = g_array_new (FALSE, FALSE, sizeof (double));
  stats->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  return stats;
}

void
nl_frame_stats_free (NlFrameStats *stats)
{
  if (stats == NULL)
    return;
  g_array_unref (stats->intervals_ms);
  g_array_unref (stats->work_ms);
  g_free (stats);
}

void
nl_frame_stats_tick (NlFrameStats *stats, gint64 frame_time, gboolean measuring)
{
  g_return_if_fail (stats != NULL);

  if (!measuring)
    {
      stats->last_frame_time = 0;
      return;
    }
  if (stats->last_frame_time != 0 && frame_time > stats->last_frame_time)
    {
      double ms = (frame_time - stats->last_frame_time) / 1000.0;

      g_array_append_val (stats->intervals_ms, ms);
    }
  stats->last_frame_time = frame_time;
}

void
nl_frame_stats_add_work (NlFrameStats *stats, gint64 work_us)
{
  double ms = work_us / 1000.0;

  g_return_if_fail (stats != NULL);

  g_array_append_val (stats->work_ms, ms);
}

void
nl_frame_stats_add_throughput (NlFrameStats *stats,
                               double        samples_per_second,
                               double        samples_per_cpu_second)
{
  g_return_if_fail (stats != NULL);

  stats->samples_per_second = MAX (stats->samples_per_second, samples_per_second);
  stats->samples_per_cpu_second = MAX (stats->samples_per_cpu_second, samples_per_cpu_second);
}

guint
nl_frame_stats_get_n_frames (const NlFrameStats *stats)
{
  return stats->intervals_ms->len;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The q-quantile by the nearest-rank method. */
static double
quantile (const double *sorted, guint n, double q)
{
  guint rank;

  if (n == 0)
    return 0;
  rank = (guint) ceil (q * n);
  return sorted[CLAMP (rank, 1, n) - 1];
}

/* "median_ms=X p99_ms=Y" of an array of milliseconds. */
static char *
format_quantiles (GArray *values)
{
  g_autofree double *sorted = NULL;
  guint n = values->len;
  char median[G_ASCII_DTOSTR_BUF_SIZE], p99[G_ASCII_DTOSTR_BUF_SIZE];

  sorted = g_memdup2 (values->data, MAX (n, 1) * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  g_ascii_formatd (median, sizeof median, "%.2f", quantile (sorted, n, 0.5));
  g_ascii_formatd (p99, sizeof p99, "%.2f", quantile (sorted, n, 0.99));
  return g_strdup_printf ("median_ms=%s p99_ms=%s", median, p99);
}

char *
nl_frame_stats_format (const NlFrameStats *stats)
{
  g_autofree char *intervals = NULL;
  g_autofree char *work = NULL;
  char throughput[G_ASCII_DTOSTR_BUF_SIZE], per_cpu[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (stats != NULL, NULL);

  intervals = format_quantiles (stats->intervals_ms);
  work = format_quantiles (stats->work_ms);
  g_ascii_formatd (throughput, sizeof throughput, "%.0f", stats->samples_per_second);
  g_ascii_formatd (per_cpu, sizeof per_cpu, "%.0f", stats->samples_per_cpu_second);
  return g_strdup_printf ("frame-stats: frames=%u %s\n"
                          "frame-work: frames=%u %s\n"
                          "training-stats: samples_per_second=%s samples_per_cpu_second=%s",
                          stats->intervals_ms->len, intervals, stats->work_ms->len, work,
                          throughput, per_cpu);
}
