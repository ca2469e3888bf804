/* nn-timeline.c: a thinned history of the parameters, packed in one arena it keeps. */
#include "nn-timeline.h"

#include <math.h>
#include <string.h>

/* A record as the arena keeps it: this header, then its n_params parameters. */
typedef struct
{
  guint64        steps;
  guint          epoch;
  NnEpochStats   stats;
  NnArchitecture arch;
  gsize          n_params;
} StoredRecord;

G_STATIC_ASSERT (sizeof (StoredRecord) % sizeof (double) == 0);
G_STATIC_ASSERT (sizeof (NnTimelineRecord) % sizeof (double) == 0);

struct _NnTimeline
{
  GMutex  lock;
  guint8 *arena;      /* the records, oldest first, packed; NULL before the first */
  gsize   capacity;   /* bytes of arena, all written through once */
  gsize   used;       /* bytes of arena the records take */
  GArray *offsets;    /* of gsize: where record i starts in the arena, by increasing epoch */
  guint   slots;      /* offsets set aside (and written through) with the arena */
  gsize   budget;
  guint   stride;
};

static gsize
stored_size (gsize n_params)
{
  return sizeof (StoredRecord) + n_params * sizeof (double);
}

gsize
nn_timeline_record_size (gsize n_params)
{
  return stored_size (n_params) + sizeof (gsize);
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
  tl->offsets = g_array_new (FALSE, TRUE, sizeof (gsize));
  tl->budget = budget > 0 ? budget : NN_TIMELINE_DEFAULT_BUDGET;
  tl->stride = 1;
  return tl;
}

void
nn_timeline_free (NnTimeline *tl)
{
  if (tl == NULL)
    return;
  g_array_unref (tl->offsets);
  g_free (tl->arena);
  g_mutex_clear (&tl->lock);
  g_free (tl);
}

static inline guint
n_records (const NnTimeline *tl)
{
  return tl->offsets->len;
}

static inline StoredRecord *
nth (const NnTimeline *tl, guint i)
{
  return (StoredRecord *) (tl->arena + g_array_index (tl->offsets, gsize, i));
}

static inline gsize
memory_of (const NnTimeline *tl)
{
  return tl->used + n_records (tl) * sizeof (gsize);
}

/* A block of `size` bytes, written through: the memory it takes from the system is taken
 * now and stays taken, rather than page by page as the first run fills it. */
static guint8 *
arena_new (gsize size)
{
  guint8 *arena = g_malloc (size);

  memset (arena, 0, size);
  return arena;
}

/* Gives the timeline its arena, the size of the budget. Called locked, when there is none;
 * returns locked. The arena is made with the lock released: writing 64 MiB through takes
 * tens of milliseconds, which an interface asking for the epochs should not wait for. The
 * index's slots, for as many of the smallest records as the budget holds, are set aside
 * (the array clears, so writes through, what it grows by) under it. */
static void
install_arena (NnTimeline *tl)
{
  gsize size = tl->budget;
  guint8 *fresh;

  g_mutex_unlock (&tl->lock);
  fresh = arena_new (size);
  g_mutex_lock (&tl->lock);
  if (tl->arena != NULL)
    {
      g_free (fresh);   /* another caller was first */
      return;
    }
  tl->arena = fresh;
  tl->capacity = size;
  tl->slots = (guint) MIN (tl->budget / nn_timeline_record_size (0), G_MAXUINT / 2);
  if (n_records (tl) == 0)
    {
      g_array_set_size (tl->offsets, tl->slots);
      g_array_set_size (tl->offsets, 0);
    }
}

/* Makes room for `bytes` more in the arena. It grows past the budget only to take the one
 * record recorded before a thinning, or records so large that the first and last alone
 * exceed the budget; the bytes it grows by are written through too. Called locked. */
static void
reserve (NnTimeline *tl, gsize bytes)
{
  gsize wanted = MAX (tl->budget, tl->used + bytes);

  if (tl->arena != NULL && wanted <= tl->capacity)
    return;
  tl->arena = g_realloc (tl->arena, wanted);
  memset (tl->arena + tl->capacity, 0, wanted - tl->capacity);
  tl->capacity = wanted;
}

/* Keeps the first `keep` records. Called locked. */
static void
truncate_to (NnTimeline *tl, guint keep)
{
  if (keep < n_records (tl))
    {
      tl->used = g_array_index (tl->offsets, gsize, keep);
      g_array_set_size (tl->offsets, keep);
    }
  if (n_records (tl) <= 1)
    tl->stride = 1;
}

void
nn_timeline_clear (NnTimeline *tl)
{
  g_return_if_fail (tl != NULL);

  g_mutex_lock (&tl->lock);
  truncate_to (tl, 0);
  g_mutex_unlock (&tl->lock);
}

/* Whether record i sits on the even grid first + k·stride. */
static gboolean
on_grid (const NnTimeline *tl, guint i)
{
  return (nth (tl, i)->epoch - nth (tl, 0)->epoch) % tl->stride == 0;
}

/* Keeps the first record, the last, and those on the grid, moving each kept record down
 * over the ones dropped: the arena stays packed, oldest first, and the space freed is at
 * its end, for the records to come. */
static void
drop_off_grid (NnTimeline *tl)
{
  guint n = n_records (tl), kept = 0;
  gsize end = 0;

  for (guint i = 0; i < n; i++)
    {
      gsize from = g_array_index (tl->offsets, gsize, i);
      gsize size = stored_size (nth (tl, i)->n_params);

      if (i != 0 && i != n - 1 && !on_grid (tl, i))
        continue;
      if (from != end)
        memmove (tl->arena + end, tl->arena + from, size);
      g_array_index (tl->offsets, gsize, kept++) = end;
      end += size;
    }
  g_array_set_size (tl->offsets, kept);
  tl->used = end;
}

/* Doubles the stride until the records fit, or only the first and last remain. */
static void
thin (NnTimeline *tl)
{
  while (memory_of (tl) > tl->budget && n_records (tl) > 2 && tl->stride <= G_MAXUINT / 2)
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
  /* The arena follows the budget, down as well as up. */
  if (tl->arena != NULL)
    {
      gsize wanted = MAX (tl->budget, tl->used);
      if (wanted < tl->capacity)
        {
          tl->arena = g_realloc (tl->arena, wanted);
          tl->capacity = wanted;
        }
      else
        reserve (tl, 0);
    }
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
  memory = memory_of (tl);
  g_mutex_unlock (&tl->lock);
  return memory;
}

gsize
nn_timeline_get_reserved (NnTimeline *tl)
{
  gsize reserved = 0;

  g_mutex_lock (&tl->lock);
  if (tl->arena != NULL)
    reserved = tl->capacity + MAX (n_records (tl), tl->slots) * sizeof (gsize);
  g_mutex_unlock (&tl->lock);
  return reserved;
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
  int lo = 0, hi = (int) n_records (tl) - 1, found = -1;

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

/* Writes the record at the end of the arena. Called locked, with room reserved. */
static void
append (NnTimeline *tl, guint epoch, guint64 steps, const NnNetwork *net,
        const NnEpochStats *stats)
{
  StoredRecord *r = (StoredRecord *) (tl->arena + tl->used);

  r->epoch = epoch;
  r->steps = steps;
  if (stats != NULL)
    r->stats = *stats;
  else
    r->stats = (NnEpochStats) { epoch, NAN, NAN, NAN, NAN };
  r->arch = net->arch;
  r->n_params = net->n_params;
  memcpy (r + 1, net->params, net->n_params * sizeof (double));
  g_array_append_val (tl->offsets, tl->used);
  tl->used += stored_size (net->n_params);
}

void
nn_timeline_record (NnTimeline *tl, guint epoch, guint64 steps, const NnNetwork *net,
                    const NnEpochStats *stats)
{
  guint n;

  g_return_if_fail (tl != NULL && net != NULL);

  g_mutex_lock (&tl->lock);
  if (tl->arena == NULL)
    install_arena (tl);
  truncate_to (tl, epoch > 0 ? (guint) (find_at_or_before (tl, epoch - 1) + 1) : 0);

  /* The previous last record was kept only for being last, unless it is on the grid. */
  n = n_records (tl);
  if (n >= 2 && !on_grid (tl, n - 1))
    truncate_to (tl, n - 1);

  reserve (tl, stored_size (net->n_params));
  append (tl, epoch, steps, net, stats);
  thin (tl);
  g_mutex_unlock (&tl->lock);
}

guint
nn_timeline_get_n_records (NnTimeline *tl)
{
  guint n;

  g_mutex_lock (&tl->lock);
  n = n_records (tl);
  g_mutex_unlock (&tl->lock);
  return n;
}

/* A reference-counted copy of record i, for the caller to keep. Called locked. */
static NnTimelineRecord *
copy_out (const NnTimeline *tl, guint i)
{
  const StoredRecord *s = nth (tl, i);
  NnTimelineRecord *r
      = g_atomic_rc_box_alloc (sizeof (NnTimelineRecord) + s->n_params * sizeof (double));

  r->epoch = s->epoch;
  r->steps = s->steps;
  r->stats = s->stats;
  r->arch = s->arch;
  r->n_params = s->n_params;
  /* The struct's size is a multiple of 8, so the parameters after it are aligned. */
  r->params = (double *) (r + 1);
  memcpy (r->params, s + 1, s->n_params * sizeof (double));
  return r;
}

NnTimelineRecord *
nn_timeline_get_nth (NnTimeline *tl, guint index)
{
  NnTimelineRecord *r = NULL;

  g_return_val_if_fail (tl != NULL, NULL);

  g_mutex_lock (&tl->lock);
  if (index < n_records (tl))
    r = copy_out (tl, index);
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
    r = copy_out (tl, (guint) i);
  g_mutex_unlock (&tl->lock);
  return r;
}

gboolean
nn_timeline_get_range (NnTimeline *tl, guint *first, guint *last)
{
  gboolean any;

  g_return_val_if_fail (tl != NULL, FALSE);

  g_mutex_lock (&tl->lock);
  any = n_records (tl) > 0;
  if (any && first != NULL)
    *first = nth (tl, 0)->epoch;
  if (any && last != NULL)
    *last = nth (tl, n_records (tl) - 1)->epoch;
  g_mutex_unlock (&tl->lock);
  return any;
}

guint
nn_timeline_get_epochs (NnTimeline *tl, guint *epochs, guint max)
{
  guint n;

  g_return_val_if_fail (tl != NULL, 0);

  g_mutex_lock (&tl->lock);
  n = n_records (tl);
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
