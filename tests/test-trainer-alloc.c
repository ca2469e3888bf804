/* test-trainer-alloc.c: a training step allocates nothing.
 *
 * Linked with --wrap for the allocators the engine uses, so every allocation made from
 * the engine's own code passes through a counter here. */
#include "nn-trainer.h"

#include <stdlib.h>

static gsize allocations;

#define WRAP(ret, name, params, args)                                          \
  ret __real_##name params;                                                    \
  ret __wrap_##name params;                                                    \
  ret __wrap_##name params                                                     \
  {                                                                            \
    allocations++;                                                             \
    return __real_##name args;                                                 \
  }

WRAP (gpointer, g_malloc, (gsize n), (n))
WRAP (gpointer, g_malloc0, (gsize n), (n))
WRAP (gpointer, g_malloc_n, (gsize n, gsize s), (n, s))
WRAP (gpointer, g_malloc0_n, (gsize n, gsize s), (n, s))
WRAP (gpointer, g_realloc, (gpointer p, gsize n), (p, n))
WRAP (gpointer, g_realloc_n, (gpointer p, gsize n, gsize s), (p, n, s))
WRAP (gpointer, g_aligned_alloc, (gsize n, gsize s, gsize a), (n, s, a))
WRAP (gpointer, g_aligned_alloc0, (gsize n, gsize s, gsize a), (n, s, a))
WRAP (gpointer, g_memdup2, (gconstpointer p, gsize n), (p, n))
WRAP (void *, malloc, (size_t n), (n))
WRAP (void *, calloc, (size_t n, size_t s), (n, s))

static void
check_optimizer (NnOptimizerKind kind, guint batch_size)
{
  g_autoptr (NnProject) p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;
  NnTrainer *t;

  nn_optimizer_config_init_defaults (&p->optimizer, kind);
  p->batch_size = batch_size;
  p->dataset.count = 1200; /* 600 training points: GD runs in three chunks */
  t = nn_trainer_new (p, &error);
  g_assert_no_error (error);
  nn_trainer_set_record_history (t, FALSE);
  nn_trainer_step_epoch (t); /* the first epoch may not allocate either, but warm up */

  gsize before = allocations;
  for (guint i = 0; i < 200; i++)
    nn_trainer_step (t);
  g_assert_cmpuint (allocations - before, ==, 0);

  /* The counter does count: building a trainer allocates. */
  before = allocations;
  NnTrainer *other = nn_trainer_new (p, NULL);
  g_assert_cmpuint (allocations - before, >, 0);
  nn_trainer_free (other);
  nn_trainer_free (t);
}

static void
test_no_allocation_in_step (void)
{
  for (NnOptimizerKind kind = 0; kind < NN_N_OPTIMIZERS; kind++)
    check_optimizer (kind, kind == NN_OPTIMIZER_ADAM ? 300 : 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trainer/no-allocation-in-step", test_no_allocation_in_step);
  return g_test_run ();
}
