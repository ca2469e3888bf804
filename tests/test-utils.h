/* test-utils.h: what the engine's tests (and tests/export's fixture) share. */
#pragma once

#include "nn-project.h"
#include "nn-trainer.h"
#include "test-files.h"

G_BEGIN_DECLS

/* The default project without weights: a trainer made from it draws its own from `seed`. */
NnProject *test_project_unweighted (guint32 seed);
/* A trainer for `p`; fails the test when the engine refuses the project. */
NnTrainer *test_trainer_new        (const NnProject *p);

/* A network to export: features, up to two hidden layers, output and loss. */
typedef struct
{
  const char  *name;
  guint        features;
  guint        n_hidden;
  guint        units[2];
  NnActivation activation[2];
  double       alpha[2];  /* for NN_ACTIVATION_LEAKY_RELU layers */
  NnActivation output;
  NnProblem    problem;
  guint        classes;
  NnLoss       loss;
} TestNetCase;

/* The default project shaped as `c` (a dataset generator that fits its problem), checked
 * by nn_project_validate; its weights are the caller's to set. */
NnProject *test_net_case_project   (const TestNetCase *c);

G_END_DECLS
