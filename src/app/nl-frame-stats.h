/* nl-frame-stats.h: frame intervals while training, for NEURAL_LAB_FRAME_STATS=1.
 *
 * The window feeds it the frame clock's frame time on every tick while training runs;
 * at exit the application prints
 *   frame-stats: frames=N median_ms=X p99_ms=Y
 *   frame-work: frames=N median_ms=X p99_ms=Y   (the UI thread's CPU time a frame)
 *   training-stats: samples_per_second=S samples_per_cpu_second=C
 * to stderr. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NlFrameStats NlFrameStats;

NlFrameStats *nl_frame_stats_new             (void);
void          nl_frame_stats_free            (NlFrameStats *stats);
/* frame_time in µs (gdk_frame_clock_get_frame_time); `measuring` FALSE breaks the chain, so
 * the pause between two runs is not counted as a long frame. */
void          nl_frame_stats_tick            (NlFrameStats *stats,
                                              gint64        frame_time,
                                              gboolean      measuring);
/* The UI thread's CPU time for one frame (update, layout, paint), in µs. */
void          nl_frame_stats_add_work        (NlFrameStats *stats,
                                              gint64        work_us);
void          nl_frame_stats_add_throughput  (NlFrameStats *stats,
                                              double        samples_per_second,
                                              double        samples_per_cpu_second);
guint         nl_frame_stats_get_n_frames    (const NlFrameStats *stats);
/* The two lines above (without a trailing newline on the last); free with g_free. */
char         *nl_frame_stats_format          (const NlFrameStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlFrameStats, nl_frame_stats_free)

G_END_DECLS
