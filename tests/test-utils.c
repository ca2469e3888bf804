/* test-utils.c: helpers of the engine's tests. */
#include "test-utils.h"

NnProject *
test_project_unweighted (guint32 seed)
{
  NnProject *p = nn_project_new_default ();

  g_clear_pointer (&p->weights, g_free);
  p->n_weights = 0;
  p->seed = seed;
  return p;
}

NnTrainer *
test_trainer_new (const NnProject *p)
{
  g_autoptr (GError) error = NULL;
  NnTrainer *t = nn_trainer_new (p, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

NnProject *
test_net_case_project (const TestNetCase *c)
{
  NnProject *p = nn_project_new_default ();
  g_autoptr (GError) error = NULL;

  p->features = c->features;
  p->problem = c->problem;
  p->dataset.problem = c->problem;
  p->dataset.classes = c->classes;
  if (c->problem == NN_PROBLEM_REGRESSION)
    p->dataset.generator = NN_GENERATOR_PLANE;
  else if (c->classes > 2)
    p->dataset.generator = NN_GENERATOR_BLOBS;
  p->arch.n_hidden = c->n_hidden;
  for (guint l = 0; l < c->n_hidden; l++)
    {
      p->arch.units[l] = c->units[l];
      p->arch.activation[l] = c->activation[l];
      if (c->activation[l] == NN_ACTIVATION_LEAKY_RELU)
        p->arch.alpha[l] = c->alpha[l];
    }
  p->arch.output_activation = c->output;
  p->loss = c->loss;
  nn_project_sync_shape (p);
  /* Also outside a test (tests/export/export-fixture): stop on a case the engine refuses. */
  if (!nn_project_validate (p, &error))
    g_error ("case %s: %s", c->name, error->message);
  return p;
}
