/* test-timeline.c: thinning, exact scrubbing, branching and shape changes. */
#include "nn-timeline.h"
#include "nn-trainer.h"
#include "test-utils.h"

#include <math.h>
#include <string.h>

static NnNetwork *
network_with (guint n_inputs, guint n_hidden, guint units, guint n_outputs)
{
  NnArchitecture arch = { 0 };
  g_autoptr (GError) error = NULL;
  NnNetwork *net;

  arch.n_inputs = n_inputs;
  arch.n_hidden = n_hidden;
  for (guint l = 0; l < n_hidden; l++)
    {
      arch.units[l] = units;
      arch.activation[l] = NN_ACTIVATION_RELU;
      arch.alpha[l] = NN_DEFAULT_LEAKY_ALPHA;
    }
  arch.n_outputs = n_outputs;
  arch.output_activation = n_outputs > 1 ? NN_ACTIVATION_SOFTMAX : NN_ACTIVATION_TANH;
  arch.output_alpha = NN_DEFAULT_LEAKY_ALPHA;
  net = nn_network_new (&arch, 1, &error);
  g_assert_no_error (error);
  return net;
}

/* Parameters that say which epoch they belong to. */
static void
stamp (NnNetwork *net, guint epoch)
{
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = epoch + i * 1e-3;
}

static void
assert_stamped (const NnTimelineRecord *r)
{
  for (gsize i = 0; i < r->n_params; i++)
    g_assert_cmpfloat (r->params[i], ==, r->epoch + i * 1e-3);
}

/* After each record: under the budget, first and last kept, evenly spaced. */
static void
assert_invariants (NnTimeline *tl, guint first, guint last)
{
  guint n = nn_timeline_get_n_records (tl), stride = nn_timeline_get_stride (tl);
  g_autofree guint *epochs = g_new (guint, MAX (n, 1));

  g_assert_cmpuint (nn_timeline_get_memory (tl), <=, nn_timeline_get_budget (tl));
  g_assert_cmpuint (nn_timeline_get_epochs (tl, epochs, n), ==, n);
  g_assert_cmpuint (epochs[0], ==, first);
  g_assert_cmpuint (epochs[n - 1], ==, last);
  for (guint i = 1; i + 1 < n; i++)
    g_assert_cmpuint (epochs[i] - epochs[i - 1], ==, stride);
  /* The final gap is a partial step of the grid. */
  if (n >= 2)
    {
      g_assert_cmpuint (epochs[n - 1] - epochs[n - 2], >=, 1);
      g_assert_cmpuint (epochs[n - 1] - epochs[n - 2], <=, stride);
    }
}

static void
test_thinning (void)
{
  g_autoptr (NnNetwork) net = network_with (2, 2, 4, 1);
  gsize size = nn_timeline_record_size (net->n_params);
  const guint capacity = 50;
  g_autoptr (NnTimeline) tl = nn_timeline_new (capacity * size);
  guint thinned = 0, last_stride = 1;

  g_assert_cmpuint (nn_timeline_get_budget (tl), ==, capacity * size);
  for (guint epoch = 0; epoch <= 10000; epoch++)
    {
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, epoch * 25, net, NULL);
      assert_invariants (tl, 0, epoch);

      /* Until the first thinning every epoch is there; after it, the thinning never
       * leaves less than about half the budget in use. */
      if (nn_timeline_get_stride (tl) == 1)
        g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, epoch + 1);
      else
        g_assert_cmpuint (nn_timeline_get_n_records (tl), >=, capacity / 2 - 1);
      if (nn_timeline_get_stride (tl) != last_stride)
        {
          thinned++;
          g_assert_cmpuint (nn_timeline_get_stride (tl), ==, 2 * last_stride);
          last_stride = nn_timeline_get_stride (tl);
        }
    }
  g_test_message ("10 001 epochs in %u records, stride %u, %zu of %zu bytes",
                  nn_timeline_get_n_records (tl), nn_timeline_get_stride (tl),
                  nn_timeline_get_memory (tl), nn_timeline_get_budget (tl));
  g_assert_cmpuint (thinned, >=, 8);

  /* Each record kept the parameters of its own epoch. */
  for (guint i = 0; i < nn_timeline_get_n_records (tl); i++)
    {
      g_autoptr (NnTimelineRecord) r = nn_timeline_get_nth (tl, i);
      assert_stamped (r);
      g_assert_cmpuint (r->steps, ==, (guint64) r->epoch * 25);
    }
  g_assert_null (nn_timeline_get_nth (tl, nn_timeline_get_n_records (tl)));

  /* A smaller budget thins at once; clearing empties it. */
  nn_timeline_set_budget (tl, 10 * size);
  assert_invariants (tl, 0, 10000);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), <=, 10);
  nn_timeline_clear (tl);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 0);
  g_assert_cmpuint (nn_timeline_get_memory (tl), ==, 0);
  g_assert_false (nn_timeline_get_range (tl, NULL, NULL));
  g_assert_null (nn_timeline_lookup (tl, 5));
}

/* Records kept for a few epochs at a time: the grid starts at the first one. */
static void
test_first_epoch_not_zero (void)
{
  g_autoptr (NnNetwork) net = network_with (2, 1, 3, 1);
  g_autoptr (NnTimeline) tl = nn_timeline_new (20 * nn_timeline_record_size (net->n_params));
  guint first, last;

  for (guint epoch = 37; epoch <= 1037; epoch++)
    {
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, 0, net, NULL);
      assert_invariants (tl, 37, epoch);
    }
  g_assert_true (nn_timeline_get_range (tl, &first, &last));
  g_assert_cmpuint (first, ==, 37);
  g_assert_cmpuint (last, ==, 1037);
  g_assert_null (nn_timeline_lookup (tl, 36));
}

static void
record_trainer (NnTimeline *tl, NnTrainer *t)
{
  guint n;
  const NnEpochStats *history = nn_trainer_get_history (t, &n);

  nn_timeline_record (tl, nn_trainer_get_epoch (t), nn_trainer_get_steps (t),
                      nn_trainer_get_network (t), &history[n - 1]);
}

/* Scrubbing to epoch k gives exactly the parameters the network had at k, even after
 * thinning (then to the nearest record at or before k). */
static void
test_lookup_exact (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (7);
  NnTrainer *t = test_trainer_new (p);
  NnNetwork *net = nn_trainer_get_network (t);
  const guint epochs = 60;
  g_autoptr (NnTimeline) tl = nn_timeline_new (16 * nn_timeline_record_size (net->n_params));
  g_autofree double *seen = g_new (double, (epochs + 1) * net->n_params);
  g_autoptr (NnNetwork) restored = nn_network_copy (net);

  for (guint e = 0; e <= epochs; e++)
    {
      if (e > 0)
        nn_trainer_step_epoch (t);
      g_assert_cmpuint (nn_trainer_get_epoch (t), ==, e);
      memcpy (seen + e * net->n_params, net->params, net->n_params * sizeof (double));
      record_trainer (tl, t);
    }
  g_assert_cmpuint (nn_timeline_get_stride (tl), >, 1);

  for (guint k = 0; k <= epochs; k++)
    {
      g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, k);
      g_assert_nonnull (r);
      g_assert_cmpuint (r->epoch, <=, k);
      g_assert_cmpuint (k - r->epoch, <, nn_timeline_get_stride (tl));
      g_assert_cmpmem (r->params, r->n_params * sizeof (double), seen + r->epoch * net->n_params,
                       net->n_params * sizeof (double));
      g_assert_cmpuint (r->stats.epoch, ==, r->epoch);
      g_assert_true (isfinite (r->stats.train_loss));

      g_assert_true (nn_timeline_record_apply (r, restored));
      g_assert_cmpmem (restored->params, restored->n_params * sizeof (double),
                       seen + r->epoch * net->n_params, net->n_params * sizeof (double));
    }

  /* Without thinning every epoch is its own record. */
  nn_timeline_clear (tl);
  nn_timeline_set_budget (tl, 0);
  g_assert_cmpuint (nn_timeline_get_budget (tl), ==, NN_TIMELINE_DEFAULT_BUDGET);
  nn_trainer_reset (t, p->seed);
  for (guint e = 0; e <= epochs; e++)
    {
      if (e > 0)
        nn_trainer_step_epoch (t);
      record_trainer (tl, t);
    }
  for (guint k = 0; k <= epochs; k++)
    {
      g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, k);
      g_assert_cmpuint (r->epoch, ==, k);
      g_assert_cmpmem (r->params, r->n_params * sizeof (double), seen + k * net->n_params,
                       net->n_params * sizeof (double));
    }
  nn_trainer_free (t);
}

static void
test_branch (void)
{
  g_autoptr (NnNetwork) net = network_with (2, 1, 3, 1);
  g_autoptr (NnTimeline) tl = nn_timeline_new (0);
  g_autoptr (NnTimelineRecord) held = NULL;
  guint first, last;

  for (guint epoch = 0; epoch <= 20; epoch++)
    {
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, epoch, net, NULL);
    }
  held = nn_timeline_lookup (tl, 18);

  nn_timeline_branch (tl, 12);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 13);
  g_assert_true (nn_timeline_get_range (tl, &first, &last));
  g_assert_cmpuint (last, ==, 12);
  g_assert_cmpuint (nn_timeline_get_memory (tl), ==, 13 * nn_timeline_record_size (net->n_params));
  {
    g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, 100);
    g_assert_cmpuint (r->epoch, ==, 12);
    assert_stamped (r);
  }
  /* A record looked up before the branch outlives it. */
  g_assert_cmpuint (held->epoch, ==, 18);
  assert_stamped (held);

  /* The new future continues after 12. */
  for (guint epoch = 13; epoch <= 15; epoch++)
    {
      stamp (net, epoch + 1000);
      nn_timeline_record (tl, epoch, epoch, net, NULL);
    }
  {
    g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, 14);
    g_assert_cmpuint (r->epoch, ==, 14);
    g_assert_cmpfloat (r->params[0], ==, 1014.0);
  }

  /* Recording an epoch already recorded replaces it and what came after. */
  stamp (net, 5);
  nn_timeline_record (tl, 5, 5, net, NULL);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 6);
  g_assert_true (nn_timeline_get_range (tl, &first, &last));
  g_assert_cmpuint (last, ==, 5);

  /* Epoch 0 again (a reset) starts over. */
  stamp (net, 0);
  nn_timeline_record (tl, 0, 0, net, NULL);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 1);

  /* Branching before every record empties the timeline. */
  nn_timeline_clear (tl);
  stamp (net, 3);
  nn_timeline_record (tl, 3, 0, net, NULL);
  nn_timeline_branch (tl, 2);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 0);
}

/* A branch keeps the spacing reached: the records after it continue the grid. */
static void
test_branch_after_thinning (void)
{
  g_autoptr (NnNetwork) net = network_with (2, 1, 3, 1);
  g_autoptr (NnTimeline) tl = nn_timeline_new (10 * nn_timeline_record_size (net->n_params));
  guint stride;

  for (guint epoch = 0; epoch <= 100; epoch++)
    {
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, 0, net, NULL);
    }
  stride = nn_timeline_get_stride (tl);
  g_assert_cmpuint (stride, >, 1);
  nn_timeline_branch (tl, 50);
  assert_invariants (tl, 0, (50 / stride) * stride);
  for (guint epoch = (50 / stride) * stride + 1; epoch <= 200; epoch++)
    {
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, 0, net, NULL);
      assert_invariants (tl, 0, epoch);
    }
}

static void
test_shape_change (void)
{
  g_autoptr (NnNetwork) small = network_with (2, 1, 3, 1);
  g_autoptr (NnNetwork) big = network_with (2, 2, 5, 1);
  g_autoptr (NnTimeline) tl = nn_timeline_new (0);

  for (guint epoch = 0; epoch < 5; epoch++)
    {
      stamp (small, epoch);
      nn_timeline_record (tl, epoch, 0, small, NULL);
    }
  for (guint epoch = 5; epoch < 10; epoch++)
    {
      stamp (big, epoch);
      nn_timeline_record (tl, epoch, 0, big, NULL);
    }
  g_assert_cmpuint (nn_timeline_get_memory (tl), ==,
                    5 * nn_timeline_record_size (small->n_params)
                        + 5 * nn_timeline_record_size (big->n_params));
  {
    g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, 3);
    g_autoptr (NnNetwork) rebuilt = nn_network_new (&r->arch, 1, NULL);

    g_assert_true (nn_architecture_equal (&r->arch, &small->arch));
    g_assert_cmpuint (r->n_params, ==, small->n_params);
    assert_stamped (r);
    /* A network of another shape is left alone; one built from the record's fits. */
    stamp (big, 99);
    g_assert_false (nn_timeline_record_apply (r, big));
    g_assert_cmpfloat (big->params[0], ==, 99.0);
    g_assert_true (nn_timeline_record_apply (r, rebuilt));
    g_assert_cmpmem (rebuilt->params, rebuilt->n_params * sizeof (double), r->params,
                     r->n_params * sizeof (double));
  }
  {
    g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, 7);
    g_assert_true (nn_architecture_equal (&r->arch, &big->arch));
    assert_stamped (r);
  }
}

/* The figures of the header comment: 10 000 epochs of the largest network. */
static void
test_largest_history (void)
{
  g_autoptr (NnNetwork) net = network_with (NN_N_FEATURES, NN_MAX_HIDDEN_LAYERS, NN_MAX_UNITS,
                                            NN_MAX_CLASSES);
  g_autoptr (NnTimeline) tl = nn_timeline_new (0);
  gsize size = nn_timeline_record_size (net->n_params);
  const guint epochs = 10000;
  guint64 unthinned = (guint64) (epochs + 1) * size;

  g_assert_cmpuint (net->n_params, ==, 7 * 64 + 64 + 9 * (64 * 64 + 64) + 64 * 8 + 8);
  g_assert_cmpuint (net->n_params, ==, 38472);
#if GLIB_SIZEOF_VOID_P == 8
  /* 307 776 bytes of parameters and 256 of bookkeeping, as the header says. */
  g_assert_cmpuint (size, ==, 308032);
#endif

  for (guint epoch = 0; epoch <= epochs; epoch++)
    {
      net->params[0] = epoch;
      nn_timeline_record (tl, epoch, epoch, net, NULL);
      g_assert_cmpuint (nn_timeline_get_memory (tl), <=, NN_TIMELINE_DEFAULT_BUDGET);
    }
  assert_invariants (tl, 0, epochs);
  g_test_message ("largest network: %zu parameters, %zu bytes a record; 10 000 epochs: "
                  "%" G_GUINT64_FORMAT " bytes (%.2f GiB) unthinned, %zu bytes (%.1f MiB) in "
                  "%u records at stride %u under the default budget",
                  net->n_params, size, unthinned, unthinned / (1024.0 * 1024 * 1024),
                  nn_timeline_get_memory (tl), nn_timeline_get_memory (tl) / (1024.0 * 1024),
                  nn_timeline_get_n_records (tl), nn_timeline_get_stride (tl));
  g_assert_cmpuint (unthinned, >, (guint64) 3000 * 1000 * 1000);
  g_assert_cmpuint (nn_timeline_get_stride (tl), ==, 64);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 158);
  g_assert_cmpuint (nn_timeline_get_memory (tl), ==, 158 * size);
  {
    g_autoptr (NnTimelineRecord) r = nn_timeline_lookup (tl, 5000);
    g_assert_cmpuint (r->epoch, ==, 4992);
    g_assert_cmpfloat (r->params[0], ==, 4992.0);
  }
}

/* Records of mixed sizes, thinned (compacted) while they interleave, each still exact. */
static void
test_mixed_sizes_thinned (void)
{
  g_autoptr (NnNetwork) small = network_with (2, 1, 3, 1);
  g_autoptr (NnNetwork) big = network_with (2, 3, 9, 2);
  g_autoptr (NnTimeline) tl = nn_timeline_new (12 * nn_timeline_record_size (big->n_params));

  for (guint epoch = 0; epoch <= 500; epoch++)
    {
      /* The shape flips every 7 epochs, so kept and dropped records differ in size. */
      NnNetwork *net = (epoch / 7) % 2 ? big : small;
      stamp (net, epoch);
      nn_timeline_record (tl, epoch, epoch * 3, net, NULL);
      assert_invariants (tl, 0, epoch);
    }
  for (guint i = 0; i < nn_timeline_get_n_records (tl); i++)
    {
      g_autoptr (NnTimelineRecord) r = nn_timeline_get_nth (tl, i);
      NnNetwork *was = (r->epoch / 7) % 2 ? big : small;

      g_assert_true (nn_architecture_equal (&r->arch, &was->arch));
      g_assert_cmpuint (r->steps, ==, (guint64) r->epoch * 3);
      assert_stamped (r);
    }
}

/* The arena is taken once: clearing, branching and filling again, with other shapes, take
 * nothing more from the system; a record handed out is the caller's own. */
static void
test_arena_kept (void)
{
  g_autoptr (NnNetwork) small = network_with (2, 2, 4, 1);
  g_autoptr (NnNetwork) big = network_with (2, 4, 16, 3);
  gsize budget = 30 * nn_timeline_record_size (big->n_params);
  g_autoptr (NnTimeline) tl = nn_timeline_new (budget);
  g_autoptr (NnTimelineRecord) held = NULL;
  gsize reserved;

  g_assert_cmpuint (nn_timeline_get_reserved (tl), ==, 0);
  stamp (small, 0);
  nn_timeline_record (tl, 0, 0, small, NULL);
  reserved = nn_timeline_get_reserved (tl);
  /* The budget, and an index for a budget of the smallest records. */
  g_assert_cmpuint (reserved, >=, budget);
  g_assert_cmpuint (reserved, <=, budget + budget / nn_timeline_record_size (0) * sizeof (gsize));

  for (guint round = 0; round < 20; round++)
    {
      NnNetwork *net = round % 2 ? big : small;
      guint epochs = 50 + round * 37;

      for (guint epoch = 0; epoch <= epochs; epoch++)
        {
          stamp (net, epoch);
          nn_timeline_record (tl, epoch, 0, net, NULL);
        }
      assert_invariants (tl, 0, epochs);
      if (round == 3)
        held = nn_timeline_lookup (tl, 40);
      if (round % 3 == 0)
        nn_timeline_branch (tl, epochs / 2);
      else
        nn_timeline_clear (tl);
      /* Kept, and at most one record past the budget, taken at the first thinning. */
      g_assert_cmpuint (nn_timeline_get_reserved (tl), >=, reserved);
      g_assert_cmpuint (nn_timeline_get_reserved (tl), <=,
                        reserved + nn_timeline_record_size (big->n_params));
    }
  g_assert_cmpuint (held->epoch, ==, 40);
  g_assert_true (nn_architecture_equal (&held->arch, &big->arch));
  assert_stamped (held);
  nn_timeline_clear (tl);
  g_assert_cmpuint (nn_timeline_get_memory (tl), ==, 0);
  g_assert_cmpuint (nn_timeline_get_n_records (tl), ==, 0);
  g_assert_null (nn_timeline_lookup (tl, 10));
}

/* The worker records while another thread scrubs. */
typedef struct
{
  NnTimeline *tl;
  NnNetwork  *net;
  guint       epochs;
} RecordJob;

static gpointer
record_thread (gpointer data)
{
  RecordJob *job = data;

  for (guint epoch = 0; epoch <= job->epochs; epoch++)
    {
      stamp (job->net, epoch);
      nn_timeline_record (job->tl, epoch, 0, job->net, NULL);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (NnNetwork) net = network_with (2, 2, 8, 1);
  g_autoptr (NnTimeline) tl = nn_timeline_new (40 * nn_timeline_record_size (net->n_params));
  RecordJob job = { tl, net, 20000 };
  GThread *thread = g_thread_new ("record", record_thread, &job);
  guint lookups = 0, last = 0;

  while (last < job.epochs)
    {
      g_autoptr (NnTimelineRecord) r = NULL;
      if (!nn_timeline_get_range (tl, NULL, &last))
        continue;
      r = nn_timeline_lookup (tl, g_random_int_range (0, (gint32) last + 1));
      g_assert_nonnull (r);
      assert_stamped (r);
      lookups++;
    }
  g_thread_join (thread);
  g_test_message ("%u lookups while recording", lookups);
  assert_invariants (tl, 0, job.epochs);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timeline/thinning", test_thinning);
  g_test_add_func ("/timeline/first-epoch-not-zero", test_first_epoch_not_zero);
  g_test_add_func ("/timeline/lookup-exact", test_lookup_exact);
  g_test_add_func ("/timeline/branch", test_branch);
  g_test_add_func ("/timeline/branch-after-thinning", test_branch_after_thinning);
  g_test_add_func ("/timeline/shape-change", test_shape_change);
  g_test_add_func ("/timeline/mixed-sizes-thinned", test_mixed_sizes_thinned);
  g_test_add_func ("/timeline/arena-kept", test_arena_kept);
  g_test_add_func ("/timeline/largest-history", test_largest_history);
  g_test_add_func ("/timeline/threads", test_threads);
  return g_test_run ();
}
