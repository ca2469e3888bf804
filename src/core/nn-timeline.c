/* nn-timeline.c: a thinned, reference-counted history of the parameters. */
#include "nn-timeline.h"

#include <math.h>
#include <string.h>

/* What a record costs besides its parameters: the struct, the reference count's header
 * GLib puts in front of it (at most 32 bytes) and its slot in the array. */
#define RECORD_OVERHEAD (sizeof (NnTimelineRecord) + 32 + sizeof (gpointer))

struct _NnTimeline
{
  GMutex     lock;
  GPtrArray *records;   /* of NnTimelineRecord, by increasing epoch */
  gsize      budget;
  gsize      memory;
  guint      stride;
};

gsize
nn_timeline_record_size (gsize n_params)
{
  return RECORD_OVERHEAD + n_params * sizeof (double);
}

static NnTimelineRecord *
record_new (guint epoch, guint64 steps, const NnNetwork *net, const NnEpochStats *stats)
{
  /* The parameters follow the struct in the same allocation; the struct's size is a
   * multiple of 8, so they are aligned for doubles. */
  NnTimelineRecord *r
      = g_atomic_rc_box_alloc (sizeof (NnTimelineRecord) + net->n_params * sizeof (double));

  G_STATIC_ASSERT (sizeof (NnTimelineRecord) % sizeof (double) == 0);
  r->epoch = epoch;
  r->steps = steps;
  if (stats != NULL)
    r->stats = *stats;
  else
    r->stats = (NnEpochStats) { epoch, NAN, NAN, NAN, NAN };
  r->arch = net->arch;
  r->n_params = net->n_params;
  r->params = (double *) (r + 1);
  memcpy (r->params, net->params, net->n_params * sizeof (double));
  return r;
}

NnTimelineRecord *
nn_timeline_record_ref (NnTimelineRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return g_atomic_rc_box_acquire (record);
}

void
nn_timeline_record_unref (NnTimelineRecord *record)
{
  if (record != NULL)
    g_atomic_rc_box_release (record);
}

gboolean
nn_timeline_record_apply (const NnTimelineRecord *record, NnNetwork *net)
{
  g_return_val_if_fail (record != NULL && net != NULL, FALSE);

  if (!nn_architecture_equal (&record->arch, &net->arch) || record->n_params != net->n_params)
    return FALSE;
  memcpy (net->params, record->params, record->n_params * sizeof (double));
  return TRUE;
}

NnTimeline *
nn_timeline_new (gsize budget)
{
  NnTimeline *tl = g_new0 (NnTimeline, 1);

  g_mutex_init (&tl->lock);
  tl->records = g_ptr_array_new_with_free_func ((GDestroyNotify) nn_timeline_record_unref);
  tl->budget = budget > 0 ? budget : NN_TIMELINE_DEFAULT_BUDGET;
  tl->stride = 1;
  return tl;
}

void
nn_timeline_free (NnTimeline *tl)
{
  if (tl == NULL)
    return;
  g_ptr_array_unref (tl->records);
  g_mutex_clear (&tl->lock);
  g_free (tl);
}

static inline NnTimelineRecord *
nth (const NnTimeline *tl, guint i)
{
  return g_ptr_array_index (tl->records, i);
}

static void
remove_range (NnTimeline *tl, guint from, guint count)
{
  for (guint i = from; i < from + count; i++)
    tl->memory -= nn_timeline_record_size (nth (tl, i)->n_params);
  g_ptr_array_remove_range (tl->records, from, count);
}

void
nn_timeline_clear (NnTimeline *tl)
{
  g_return_if_fail (tl != NULL);

  g_mutex_lock (&tl->lock);
  remove_range (tl, 0, tl->records->len);
  tl->stride = 1;
  g_mutex_unlock (&tl->lock);
}

/* Whether record i sits on the even grid first + k·stride. */
static gboolean
on_grid (const NnTimeline *tl, guint i)
{
  return (nth (tl, i)->epoch - nth (tl, 0)->epoch) % tl->stride == 0;
}

/* Keeps the first record, the last, and those on the grid. In place: a new array of every
 * record's pointer at each thinning would leave the allocator a hole of that size to fill
 * (a megabyte past 100 000 records), and resident memory would creep up thinning after
 * thinning. */
static void
drop_off_grid (NnTimeline *tl)
{
  guint n = tl->records->len, kept = 0, first = nth (tl, 0)->epoch;

  for (guint i = 0; i < n; i++)
    {
      NnTimelineRecord *r = nth (tl, i);
      if (i == 0 || i == n - 1 || (r->epoch - first) % tl->stride == 0)
        tl->records->pdata[kept++] = r;
      else
        {
          tl->memory -= nn_timeline_record_size (r->n_params);
          nn_timeline_record_unref (r);
        }
    }
  /* The slots past `kept` hold pointers moved or released already: drop them unfreed. */
  g_ptr_array_set_free_func (tl->records, NULL);
  g_ptr_array_set_size (tl->records, kept);
  g_ptr_array_set_free_func (tl->records, (GDestroyNotify) nn_timeline_record_unref);
}

/* Doubles the stride until the records fit, or only the first and last remain. */
static void
thin (NnTimeline *tl)
{
  while (tl->memory > tl->budget && tl->records->len > 2 && tl->stride <= G_MAXUINT / 2)
    {
      tl->stride *= 2;
      drop_off_grid (tl);
    }
}

void
nn_timeline_set_budget (NnTimeline *tl, gsize budget)
{
  g_return_if_fail (tl != NULL);

  g_mutex_lock (&tl->lock);
  tl->budget = budget > 0 ? budget : NN_TIMELINE_DEFAULT_BUDGET;
  thin (tl);
  g_mutex_unlock (&tl->lock);
}

gsize
nn_timeline_get_budget (NnTimeline *tl)
{
  gsize budget;

  g_mutex_lock (&tl->lock);
  budget = tl->budget;
  g_mutex_unlock (&tl->lock);
  return budget;
}

gsize
nn_timeline_get_memory (NnTimeline *tl)
{
  gsize memory;

  g_mutex_lock (&tl->lock);
  memory = tl->memory;
  g_mutex_unlock (&tl->lock);
  return memory;
}

guint
nn_timeline_get_stride (NnTimeline *tl)
{
  guint stride;

  g_mutex_lock (&tl->lock);
  stride = tl->stride;
  g_mutex_unlock (&tl->lock);
  return stride;
}

/* Index of the last record whose epoch is <= epoch, or -1. Called locked. */
static int
find_at_or_before (const NnTimeline *tl, guint epoch)
{
  int lo = 0, hi = (int) tl->records->len - 1, found = -1;

  while (lo <= hi)
    {
      int mid = lo + (hi - lo) / 2;
      if (nth (tl, (guint) mid)->epoch <= epoch)
        {
          found = mid;
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }
  return found;
}

/* Keeps the first `keep` records. Called locked. */
static void
truncate_to (NnTimeline *tl, guint keep)
{
  if (keep < tl->records->len)
    remove_range (tl, keep, tl->records->len - keep);
  if (tl->records->len <= 1)
    tl->stride = 1;
}

void
nn_timeline_record (NnTimeline *tl, guint epoch, guint64 steps, const NnNetwork *net,
                    const NnEpochStats *stats)
{
  NnTimelineRecord *r;
  guint n;

  g_return_if_fail (tl != NULL && net != NULL);

  r = record_new (epoch, steps, net, stats);
  g_mutex_lock (&tl->lock);
  truncate_to (tl, epoch > 0 ? (guint) (find_at_or_before (tl, epoch - 1) + 1) : 0);

  /* The previous last record was kept only for being last, unless it is on the grid. */
  n = tl->records->len;
  if (n >= 2 && !on_grid (tl, n - 1))
    remove_range (tl, n - 1, 1);

  g_ptr_array_add (tl->records, r);
  tl->memory += nn_timeline_record_size (r->n_params);
  thin (tl);
  g_mutex_unlock (&tl->lock);
}

guint
nn_timeline_get_n_records (NnTimeline *tl)
{
  guint n;

  g_mutex_lock (&tl->lock);
  n = tl->records->len;
  g_mutex_unlock (&tl->lock);
  return n;
}

NnTimelineRecord *
nn_timeline_get_nth (NnTimeline *tl, guint index)
{
  NnTimelineRecord *r = NULL;

  g_return_val_if_fail (tl != NULL, NULL);

  g_mutex_lock (&tl->lock);
  if (index < tl->records->len)
    r = nn_timeline_record_ref (nth (tl, index));
  g_mutex_unlock (&tl->lock);
  return r;
}

NnTimelineRecord *
nn_timeline_lookup (NnTimeline *tl, guint epoch)
{
  NnTimelineRecord *r = NULL;
  int i;

  g_return_val_if_fail (tl != NULL, NULL);

  g_mutex_lock (&tl->lock);
  i = find_at_or_before (tl, epoch);
  if (i >= 0)
    r = nn_timeline_record_ref (nth (tl, (guint) i));
  g_mutex_unlock (&tl->lock);
  return r;
}

gboolean
nn_timeline_get_range (NnTimeline *tl, guint *first, guint *last)
{
  gboolean any;

  g_return_val_if_fail (tl != NULL, FALSE);

  g_mutex_lock (&tl->lock);
  any = tl->records->len > 0;
  if (any && first != NULL)
    *first = nth (tl, 0)->epoch;
  if (any && last != NULL)
    *last = nth (tl, tl->records->len - 1)->epoch;
  g_mutex_unlock (&tl->lock);
  return any;
}

guint
nn_timeline_get_epochs (NnTimeline *tl, guint *epochs, guint max)
{
  guint n;

  g_return_val_if_fail (tl != NULL, 0);

  g_mutex_lock (&tl->lock);
  n = tl->records->len;
  for (guint i = 0; i < MIN (n, max); i++)
    epochs[i] = nth (tl, i)->epoch;
  g_mutex_unlock (&tl->lock);
  return n;
}

void
nn_timeline_branch (NnTimeline *tl, guint epoch)
{
  g_return_if_fail (tl != NULL);

  g_mutex_lock (&tl->lock);
  truncate_to (tl, (guint) (find_at_or_before (tl, epoch) + 1));
  g_mutex_unlock (&tl->lock);
}
