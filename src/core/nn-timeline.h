/* nn-timeline.h: the parameters of a run, epoch by epoch, to scrub back through.
 *
 * A record is a copy of the network at the end of an epoch: its epoch and step count, the
 * epoch's statistics, the architecture and the flat parameters. Records carry their own
 * architecture, so the history survives a change of shape: an old record can still be
 * looked up and shown with a network built from its own `arch`.
 *
 * Every epoch is kept while that fits a memory budget (default 64 MiB). Past it, the
 * timeline thins itself evenly: it keeps only the epochs first + i·stride, doubling the
 * stride (every 2nd epoch, then every 4th, …) until the records fit again. The first and
 * the last recorded epochs are always kept, so the spacing is even everywhere but in the
 * final gap. Memory counted is each record's header, its parameters and its slot in the
 * index; it stays under the budget unless the first and last records alone exceed it.
 *
 * The records live packed in one arena, taken from the system and written through at the
 * first record, the size of the budget plus room for the one record that arrives before a
 * thinning. Clearing, branching and thinning (which compacts the arena in place) keep it;
 * only freeing the timeline gives it back. So the memory a run takes is the same at its
 * first epoch as at its ten-thousandth, and after a Reset as before it: a lesson that
 * trains, resets and trains again neither grows the process nor leaves the allocator
 * holes to fill (tests/soak/soak.sh checks that resident memory stays flat), and
 * recording an epoch allocates nothing.
 *
 * How big that is, for the largest network the editor allows (7 inputs, 10 hidden layers
 * of 64 units, 8 softmax outputs: 7·64+64 + 9·(64·64+64) + 64·8+8 = 38 472 parameters):
 * one record is 307 776 bytes of parameters plus 256 of bookkeeping (x86-64), 308 032
 * bytes. A 10 000-epoch run recorded every epoch (10 001 records with epoch 0) would need
 * 3.08 GB (2.87 GiB) unthinned. Under the default 64 MiB budget (217 records at most) the
 * stride ends at 64: epochs 0, 64, …, 9984 and the last epoch 10 000, 158 records, 48.7 MB
 * (46.4 MiB). tests/test-timeline.c checks these figures.
 *
 * The timeline is thread-safe: the training worker records while the interface looks
 * records up. A record looked up is a copy of its own, so it stays valid whatever the
 * timeline does meanwhile.
 */
#pragma once

#include <glib.h>
#include "nn-network.h"
#include "nn-trainer.h"

G_BEGIN_DECLS

#define NN_TIMELINE_DEFAULT_BUDGET ((gsize) 64 * 1024 * 1024)

typedef struct
{
  guint          epoch;
  guint64        steps;
  NnEpochStats   stats;     /* NAN fields when none was given */
  NnArchitecture arch;
  gsize          n_params;
  double        *params;    /* n_params, in the record's own allocation */
} NnTimelineRecord;

/* Records handed out are reference-counted copies of what the timeline keeps. */

NnTimelineRecord *nn_timeline_record_ref   (NnTimelineRecord *record);
void              nn_timeline_record_unref (NnTimelineRecord *record);
/* Copies the record's parameters into `net` when it has the record's architecture;
 * FALSE (and `net` untouched) otherwise. */
gboolean          nn_timeline_record_apply (const NnTimelineRecord *record, NnNetwork *net);
/* Bytes a record of n_params parameters counts for against the budget. */
gsize             nn_timeline_record_size  (gsize n_params);

typedef struct _NnTimeline NnTimeline;

/* budget in bytes; 0 means NN_TIMELINE_DEFAULT_BUDGET. */
NnTimeline *nn_timeline_new          (gsize budget);
void        nn_timeline_free         (NnTimeline *tl);
void        nn_timeline_clear        (NnTimeline *tl);
/* Thins at once when the records no longer fit. */
void        nn_timeline_set_budget   (NnTimeline *tl, gsize budget);
gsize       nn_timeline_get_budget   (NnTimeline *tl);
gsize       nn_timeline_get_memory   (NnTimeline *tl);
/* Bytes the timeline holds from the system: its arena and index, kept across clears.
 * 0 before the first record. */
gsize       nn_timeline_get_reserved (NnTimeline *tl);
/* The spacing, in epochs, of the records kept (1 until the first thinning). */
guint       nn_timeline_get_stride   (NnTimeline *tl);

/* Records the network as it is at the end of `epoch` (stats may be NULL). An epoch at or
 * before the last recorded one first discards the records from that epoch on: recording
 * after a branch continues the new future. */
void        nn_timeline_record       (NnTimeline *tl, guint epoch, guint64 steps,
                                      const NnNetwork *net, const NnEpochStats *stats);

guint       nn_timeline_get_n_records (NnTimeline *tl);
/* Record i (0 = oldest), a new reference; NULL when out of range. */
NnTimelineRecord *nn_timeline_get_nth (NnTimeline *tl, guint index);
/* The record at `epoch` or, when it was thinned away or never recorded, the nearest one
 * before it; NULL when `epoch` precedes every record. A new reference. */
NnTimelineRecord *nn_timeline_lookup  (NnTimeline *tl, guint epoch);
/* First and last recorded epochs; FALSE when the timeline is empty. */
gboolean    nn_timeline_get_range    (NnTimeline *tl, guint *first, guint *last);
/* Epochs of the records kept, oldest first, up to `max`; returns how many there are. */
guint       nn_timeline_get_epochs   (NnTimeline *tl, guint *epochs, guint max);

/* Play from the past: discards every record after `epoch`. The record at or before it
 * (nn_timeline_lookup) becomes the last one; training restarts from its parameters. */
void        nn_timeline_branch       (NnTimeline *tl, guint epoch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnTimelineRecord, nn_timeline_record_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnTimeline, nn_timeline_free)

G_END_DECLS
