/* test-trainer.c: batching, determinism, divergence, grids and live changes. */
#include "nn-error.h"
#include "nn-trainer.h"
#include "test-utils.h"

#include <math.h>
#include <string.h>

static void
test_determinism (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *a = test_trainer_new (p), *b = test_trainer_new (p), *c;
  NnNetwork *na = nn_trainer_get_network (a), *nb = nn_trainer_get_network (b);

  g_assert_true (nn_trainer_train (a, 20, NULL, NULL, NULL));
  g_assert_true (nn_trainer_train (b, 20, NULL, NULL, NULL));
  g_assert_cmpmem (na->params, na->n_params * sizeof (double), nb->params,
                   nb->n_params * sizeof (double));

  p->seed = 43;
  c = test_trainer_new (p);
  g_assert_true (nn_trainer_train (c, 20, NULL, NULL, NULL));
  g_assert_true (memcmp (na->params, nn_trainer_get_network (c)->params,
                         na->n_params * sizeof (double)) != 0);

  /* Reset with the project's seed returns to a fresh trainer's start, and replays. */
  nn_trainer_reset (a, 42);
  g_assert_cmpuint (nn_trainer_get_epoch (a), ==, 0);
  g_assert_true (nn_trainer_train (a, 20, NULL, NULL, NULL));
  g_assert_cmpmem (na->params, na->n_params * sizeof (double), nb->params,
                   nb->n_params * sizeof (double));
  nn_trainer_free (a);
  nn_trainer_free (b);
  nn_trainer_free (c);
}

static void
test_learns_circle (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t = test_trainer_new (p);
  const NnEpochStats *history;
  guint n;

  g_assert_true (nn_trainer_train (t, 200, NULL, NULL, NULL));
  history = nn_trainer_get_history (t, &n);
  g_assert_cmpuint (n, ==, 201);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (history[i].epoch, ==, i);
  g_test_message ("circle: loss %.4f → %.4f, test accuracy %.3f", history[0].train_loss,
                  history[n - 1].train_loss, history[n - 1].test_accuracy);
  g_assert_cmpfloat (history[n - 1].train_loss, <, 0.5 * history[0].train_loss);
  g_assert_cmpfloat (history[n - 1].train_accuracy, >, 0.95);
  g_assert_cmpfloat (history[n - 1].test_accuracy, >, 0.9);
  nn_trainer_free (t);
}

static void
test_batches_and_epochs (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t;

  /* 23 training points in batches of 10: 10, 10 and a last short batch of 3. */
  p->dataset.count = 46;
  p->dataset.train_ratio = 0.5;
  p->batch_size = 10;
  t = test_trainer_new (p);
  g_assert_cmpuint (nn_trainer_get_dataset (t)->n_train, ==, 23);
  g_assert_false (nn_trainer_step (t));
  g_assert_cmpuint (nn_trainer_get_epoch_position (t), ==, 10);
  g_assert_false (nn_trainer_step (t));
  g_assert_true (nn_trainer_step (t));
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 1);
  g_assert_cmpuint (nn_trainer_get_steps (t), ==, 3);
  nn_trainer_free (t);

  /* GD: one step is the whole epoch. */
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_GD);
  t = test_trainer_new (p);
  g_assert_true (nn_trainer_step (t));
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 1);
  nn_trainer_free (t);
}

/* Full-batch GD over more points than one chunk must equal one big forward/backward. */
static void
test_chunked_full_batch (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t;
  g_autoptr (NnNetwork) big = NULL;
  const NnDataset *ds;
  const double lr = 0.1;

  p->dataset.count = 1400;
  p->dataset.train_ratio = 0.5; /* 700 points: chunks of 256, 256 and 188 */
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_GD);
  p->optimizer.learning_rate = lr;
  t = test_trainer_new (p);
  ds = nn_trainer_get_dataset (t);
  g_assert_cmpuint (ds->n_train, ==, 700);

  NnNetwork *net = nn_trainer_get_network (t);
  big = nn_network_new (&net->arch, ds->n_train, NULL);
  memcpy (big->params, net->params, net->n_params * sizeof (double));

  g_autofree double *x = g_new (double, 2 * ds->n_train);
  g_autofree double *target = g_new (double, ds->n_train);
  for (guint i = 0; i < ds->n_train; i++)
    {
      x[i] = ds->train[i].x1;
      x[ds->n_train + i] = ds->train[i].x2;
      nn_trainer_encode_target (t, ds->train[i].y, &target[i]);
    }
  nn_network_forward (big, x, ds->n_train);
  guint last = big->n_layers - 1;
  for (guint i = 0; i < ds->n_train; i++)
    big->du[last][i] = 2.0 * (big->z[last][i] - target[i]) / ds->n_train;
  for (guint i = 0; i < ds->n_train; i++)
    big->du[last][i] *= 1.0 - big->z[last][i] * big->z[last][i];
  nn_network_zero_grads (big);
  nn_network_backward (big, x);
  for (gsize i = 0; i < big->n_params; i++)
    big->params[i] -= lr * big->grads[i];

  nn_trainer_step (t);
  for (gsize i = 0; i < big->n_params; i++)
    g_assert_cmpfloat_with_epsilon (net->params[i], big->params[i], 1e-13);
  nn_trainer_free (t);
}

static void
test_targets (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t;
  double target[3];

  /* tanh output: −1/+1 */
  t = test_trainer_new (p);
  nn_trainer_encode_target (t, 0, target);
  g_assert_cmpfloat (target[0], ==, -1.0);
  nn_trainer_encode_target (t, 1, target);
  g_assert_cmpfloat (target[0], ==, 1.0);
  nn_trainer_free (t);

  /* one sigmoid output: 0/1 */
  p->arch.output_activation = NN_ACTIVATION_SIGMOID;
  p->loss = NN_LOSS_CROSS_ENTROPY;
  t = test_trainer_new (p);
  nn_trainer_encode_target (t, 0, target);
  g_assert_cmpfloat (target[0], ==, 0.0);
  nn_trainer_free (t);

  /* softmax over three classes: one-hot */
  p->dataset.generator = NN_GENERATOR_SPIRAL;
  p->dataset.classes = 3;
  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);
  g_assert_cmpuint (nn_trainer_get_network (t)->arch.n_outputs, ==, 3);
  nn_trainer_encode_target (t, 2, target);
  g_assert_cmpfloat (target[0], ==, 0.0);
  g_assert_cmpfloat (target[1], ==, 0.0);
  g_assert_cmpfloat (target[2], ==, 1.0);
  g_assert_true (nn_trainer_train (t, 30, NULL, NULL, NULL));
  guint n;
  const NnEpochStats *h = nn_trainer_get_history (t, &n);
  g_assert_cmpfloat (h[n - 1].train_loss, <, h[0].train_loss);
  nn_trainer_free (t);
}

static void
test_divergence (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  g_autoptr (GError) error = NULL;
  NnTrainer *t;

  p->problem = NN_PROBLEM_REGRESSION;
  p->dataset.generator = NN_GENERATOR_PLANE;
  p->dataset.problem = NN_PROBLEM_REGRESSION;
  p->arch.activation[0] = p->arch.activation[1] = NN_ACTIVATION_RELU;
  p->arch.output_activation = NN_ACTIVATION_IDENTITY;
  nn_optimizer_config_init_defaults (&p->optimizer, NN_OPTIMIZER_SGD);
  p->optimizer.learning_rate = 10.0;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);

  g_assert_false (nn_trainer_train (t, 1000, NULL, NULL, &error));
  g_assert_error (error, NN_ERROR, NN_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "diverged at epoch"));
  g_assert_nonnull (strstr (error->message, "learning rate 10"));
  g_assert_true (nn_trainer_diverged (t));
  /* The last finite state is kept. */
  g_assert_true (nn_network_params_finite (nn_trainer_get_network (t)));
  nn_trainer_free (t);
}

static void
test_grid (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t = test_trainer_new (p);
  const guint res = 30;
  NnNetwork *net = nn_trainer_get_network (t);
  guint units = nn_network_total_units (net);
  g_autofree double *output = g_new (double, res * res);
  g_autofree double *neurons = g_new (double, units * res * res);
  double point[2], predicted;

  g_assert_true (nn_trainer_train (t, 150, NULL, NULL, NULL));
  nn_trainer_eval_grid (t, res, output, neurons);

  /* Cell (row 4, column 21) has its centre at x1 = −6 + 21.5·0.4, x2 = 6 − 4.5·0.4. */
  point[0] = -6.0 + 21.5 * 0.4;
  point[1] = 6.0 - 4.5 * 0.4;
  nn_trainer_predict (t, point, 1, &predicted);
  g_assert_cmpfloat_with_epsilon (output[4 * res + 21], predicted, 1e-12);
  /* The output neuron's grid is the output. */
  g_assert_cmpmem (neurons + (gsize) (units - 1) * res * res, res * res * sizeof (double),
                   output, res * res * sizeof (double));
  /* The circle: class 0 (−1) in the middle, class 1 (+1) in the corners. */
  g_assert_cmpfloat (output[(res / 2) * res + res / 2], <, 0.0);
  g_assert_cmpfloat (output[0], >, 0.0);
  nn_trainer_free (t);
}

/* Every output grid of nn_trainer_eval_output_grids equals nn_trainer_predict at the cell
 * centres, however the calls at other resolutions interleave. To rounding only: the engine
 * may be built with FMA, which computes the centres here and in the trainer differently
 * in the last bit. */
static void
check_output_grids (NnTrainer *t, guint res)
{
  guint k = nn_trainer_get_network (t)->arch.n_outputs;
  gsize cells = (gsize) res * res;
  double cell = 12.0 / res;
  g_autofree double *grids = g_new (double, k * cells);
  g_autofree double *points = g_new (double, 2 * cells);
  g_autofree double *predicted = g_new (double, k * cells);
  guint checked = 0;

  nn_trainer_eval_output_grids (t, res, grids);
  for (guint r = 0; r < res; r++)
    for (guint c = 0; c < res; c++)
      {
        points[2 * (r * res + c)] = -6.0 + (c + 0.5) * cell;
        points[2 * (r * res + c) + 1] = 6.0 - (r + 0.5) * cell;
      }
  nn_trainer_predict (t, points, cells, predicted);
  for (gsize p = 0; p < cells; p++)
    for (guint j = 0; j < k; j++, checked++)
      g_assert_cmpfloat_with_epsilon (grids[j * cells + p], predicted[p * k + j], 1e-12);
  g_assert_cmpuint (checked, ==, k * cells);
}

static void
test_output_grids (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t;
  NnNetwork *net;

  /* One tanh output. */
  t = test_trainer_new (p);
  g_assert_true (nn_trainer_train (t, 20, NULL, NULL, NULL));
  check_output_grids (t, 30);
  nn_trainer_free (t);

  /* Softmax over three classes, with features beyond x1 and x2, at three resolutions in
   * turn (more than the grids the trainer caches), and more cells than one chunk. */
  p->dataset.generator = NN_GENERATOR_SPIRAL;
  p->dataset.classes = 3;
  p->features = NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X1 | NN_FEATURE_X1_X2;
  p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
  p->loss = NN_LOSS_CROSS_ENTROPY;
  nn_project_sync_shape (p);
  t = test_trainer_new (p);
  net = nn_trainer_get_network (t);
  g_assert_cmpuint (net->arch.n_outputs, ==, 3);
  g_assert_true (nn_trainer_train (t, 20, NULL, NULL, NULL));
  for (guint round = 0; round < 2; round++)
    {
      guint res = 17;
      g_autofree double *neurons = g_new (double, nn_network_total_units (net) * res * res);
      g_autofree double *grids = g_new (double, 3 * res * res);

      check_output_grids (t, 23);
      nn_trainer_eval_grid (t, 17, NULL, neurons);
      check_output_grids (t, 40);
      check_output_grids (t, 23);
      /* The output layer's neuron grids are the output grids at the same resolution. */
      nn_trainer_eval_output_grids (t, res, grids);
      g_assert_cmpmem (neurons + (gsize) (nn_network_total_units (net) - 3) * res * res,
                       3 * res * res * sizeof (double), grids, 3 * res * res * sizeof (double));
      /* New weights, same grids' features: the cache must not hold outputs. */
      g_assert_true (nn_trainer_train (t, 3, NULL, NULL, NULL));
    }
  nn_trainer_free (t);
}

/* The history's CSV: exact values, NaN as an empty field, one line a record. */
static void
test_history_csv (void)
{
  NnEpochStats records[2] = {
    { 0, 0.1, NAN, 0.5, NAN },
    { 7, 0.1 + 0.2, 2.5e-300, 1.0 / 3.0, 1.0 },
  };
  g_autoptr (GString) empty = nn_history_to_csv (NULL, 0);
  g_autoptr (GString) csv = nn_history_to_csv (records, G_N_ELEMENTS (records));

  g_assert_cmpstr (empty->str, ==, "epoch,train_loss,test_loss,train_acc,test_acc\n");
  g_assert_cmpstr (csv->str, ==,
                   "epoch,train_loss,test_loss,train_acc,test_acc\n"
                   "0,0.1,,0.5,\n"
                   "7,0.30000000000000004,2.5e-300,0.3333333333333333,1\n");
  /* 17 digits where 16 would read back as another double, 16 where they do not. */
  g_assert_cmpfloat (g_ascii_strtod ("0.30000000000000004", NULL), ==, 0.1 + 0.2);
  g_assert_cmpfloat (g_ascii_strtod ("0.3333333333333333", NULL), ==, 1.0 / 3.0);
}

static void
test_live_changes (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  g_autoptr (NnProject) wider = NULL;
  g_autoptr (GError) error = NULL;
  NnTrainer *t = test_trainer_new (p);
  NnOptimizerConfig cfg;

  g_assert_true (nn_trainer_train (t, 5, NULL, NULL, NULL));
  NnNetwork *net = nn_trainer_get_network (t);
  double kept = *nn_network_weight_ptr (net, 0, 1, 1);
  double out_w = *nn_network_weight_ptr (net, 2, 0, 1);

  /* One more neuron in the first hidden layer: trained weights stay. */
  wider = nn_project_copy (nn_trainer_get_project (t));
  wider->arch.units[0] = 5;
  g_assert_true (nn_trainer_set_project (t, wider, &error));
  g_assert_no_error (error);
  net = nn_trainer_get_network (t);
  g_assert_cmpuint (net->layers[0].n_out, ==, 5);
  g_assert_cmpfloat (*nn_network_weight_ptr (net, 0, 1, 1), ==, kept);
  g_assert_cmpfloat (*nn_network_weight_ptr (net, 2, 0, 1), ==, out_w);
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 5);
  g_assert_true (nn_trainer_train (t, 5, NULL, NULL, NULL));
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 10);

  nn_trainer_set_weight (t, 0, 2, 1, 0.125);
  g_assert_cmpfloat (*nn_network_weight_ptr (net, 0, 2, 1), ==, 0.125);

  /* Refused changes change nothing. */
  g_assert_false (nn_trainer_set_loss (t, NN_LOSS_CROSS_ENTROPY, &error));
  g_clear_error (&error);
  g_assert_cmpint (nn_trainer_get_project (t)->loss, ==, NN_LOSS_MSE);
  nn_optimizer_config_init_defaults (&cfg, NN_OPTIMIZER_MOMENTUM);
  cfg.learning_rate = -3;
  g_assert_false (nn_trainer_set_optimizer (t, &cfg, &error));
  g_clear_error (&error);
  g_assert_cmpint (nn_trainer_get_project (t)->optimizer.kind, ==, NN_OPTIMIZER_ADAM);
  g_assert_false (nn_trainer_set_training (t, 0, TRUE, NN_REGULARIZATION_L2, 0.1, &error));
  g_clear_error (&error);
  g_assert_cmpuint (nn_trainer_get_project (t)->batch_size, ==, p->batch_size);

  cfg.learning_rate = 0.01;
  g_assert_true (nn_trainer_set_optimizer (t, &cfg, NULL));
  g_assert_true (nn_trainer_set_training (t, 5, FALSE, NN_REGULARIZATION_L2, 0.001, NULL));
  g_assert_true (nn_trainer_train (t, 2, NULL, NULL, NULL));

  /* The project copy carries the current weights. */
  g_autoptr (NnProject) saved = nn_trainer_dup_project (t);
  g_assert_cmpuint (saved->n_weights, ==, net->n_params);
  g_assert_cmpmem (saved->weights, saved->n_weights * sizeof (double), net->params,
                   net->n_params * sizeof (double));
  NnTrainer *resumed = test_trainer_new (saved);
  g_assert_cmpmem (nn_trainer_get_network (resumed)->params, net->n_params * sizeof (double),
                   net->params, net->n_params * sizeof (double));
  nn_trainer_free (resumed);
  nn_trainer_free (t);
}

static void
test_rewind (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t = test_trainer_new (p);
  NnNetwork *net = nn_trainer_get_network (t);
  g_autofree double *at_ten = NULL;
  guint64 steps_at_ten;
  guint n;

  g_assert_true (nn_trainer_train (t, 10, NULL, NULL, NULL));
  at_ten = g_memdup2 (net->params, net->n_params * sizeof (double));
  steps_at_ten = nn_trainer_get_steps (t);
  g_assert_true (nn_trainer_train (t, 10, NULL, NULL, NULL));

  g_assert_false (nn_trainer_rewind (t, 10, steps_at_ten, at_ten, net->n_params - 1));
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 20);
  g_assert_true (nn_trainer_rewind (t, 10, steps_at_ten, at_ten, net->n_params));
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 10);
  g_assert_cmpuint (nn_trainer_get_steps (t), ==, steps_at_ten);
  g_assert_cmpmem (net->params, net->n_params * sizeof (double), at_ten,
                   net->n_params * sizeof (double));
  nn_trainer_get_history (t, &n);
  g_assert_cmpuint (n, ==, 11);

  /* Training goes on from there as a new branch. */
  nn_trainer_step_epoch (t);
  g_assert_cmpuint (nn_trainer_get_epoch (t), ==, 11);
  g_assert_cmpuint (nn_trainer_get_epoch_position (t), ==, 0);
  nn_trainer_get_history (t, &n);
  g_assert_cmpuint (n, ==, 12);
  nn_trainer_free (t);
}

/* The thinned history's invariants after every epoch: first record epoch 0, last the
 * current epoch, epochs strictly increasing, all but the last on the stride's grid, fewer
 * records than the budget, and each record exactly what an unthinned run recorded for its
 * epoch (`full` holds one record per epoch). */
static void
check_thinned_history (NnTrainer *t, guint budget, const NnEpochStats *full, guint n_full)
{
  guint n, stride = nn_trainer_get_history_stride (t);
  const NnEpochStats *h = nn_trainer_get_history (t, &n);

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, budget);
  g_assert_cmpuint (h[0].epoch, ==, 0);
  g_assert_cmpuint (h[n - 1].epoch, ==, nn_trainer_get_epoch (t));
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_assert_cmpuint (h[i].epoch, >, h[i - 1].epoch);
      if (i < n - 1)
        g_assert_cmpuint (h[i].epoch % stride, ==, 0);
      g_assert_cmpuint (h[i].epoch, <, n_full);
      /* Field by field (bitwise, NaN too): the struct's padding is not part of it. */
      g_assert_cmpuint (full[h[i].epoch].epoch, ==, h[i].epoch);
      g_assert_cmpmem (&h[i].train_loss, 4 * sizeof (double), &full[h[i].epoch].train_loss,
                       4 * sizeof (double));
    }
  /* Evenly thinned, not more than needed: the grid of half the stride would not fit. */
  if (stride > 1)
    g_assert_cmpuint (h[n - 1].epoch / (stride / 2) + 1, >=, budget - 1);
}

static void
test_history_thinning (void)
{
  const guint budget = 16, epochs = 300;
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *ref, *t;
  const NnEpochStats *full;
  guint n_full, serial, n, thinnings = 0;

  p->dataset.count = 40; /* 300 epochs in a blink */
  ref = test_trainer_new (p);
  t = test_trainer_new (p);
  g_assert_true (nn_trainer_train (ref, epochs, NULL, NULL, NULL));
  full = nn_trainer_get_history (ref, &n_full);
  g_assert_cmpuint (n_full, ==, epochs + 1);
  g_assert_cmpuint (nn_trainer_get_history_stride (ref), ==, 1);

  nn_trainer_set_history_budget (t, budget);
  g_assert_cmpuint (nn_trainer_get_history_budget (t), ==, budget);
  serial = nn_trainer_get_history_serial (t);
  for (guint e = 1; e <= epochs; e++)
    {
      guint stride = nn_trainer_get_history_stride (t);

      nn_trainer_step_epoch (t);
      check_thinned_history (t, budget, full, n_full);
      /* The serial tells a reader its copy is stale exactly when the stride changed. */
      if (nn_trainer_get_history_stride (t) != stride)
        {
          g_assert_cmpuint (nn_trainer_get_history_serial (t), !=, serial);
          serial = nn_trainer_get_history_serial (t);
          thinnings++;
        }
      else
        g_assert_cmpuint (nn_trainer_get_history_serial (t), ==, serial);
    }
  /* 300 epochs in fewer than 16 records: every 32nd epoch. */
  g_assert_cmpuint (nn_trainer_get_history_stride (t), ==, 32);
  g_assert_cmpuint (thinnings, ==, 5);

  /* A smaller budget thins at once; rewinding and resetting change the serial. */
  nn_trainer_set_history_budget (t, 6);
  check_thinned_history (t, 6, full, n_full);
  serial = nn_trainer_get_history_serial (t);
  g_assert_true (nn_trainer_rewind (t, 100, 0, nn_trainer_get_network (t)->params,
                                    nn_trainer_get_network (t)->n_params));
  g_assert_cmpuint (nn_trainer_get_history_serial (t), !=, serial);
  nn_trainer_get_history (t, &n);
  g_assert_cmpuint (nn_trainer_get_history (t, &n)[n - 1].epoch, <=, 100);
  serial = nn_trainer_get_history_serial (t);
  nn_trainer_reset (t, p->seed);
  g_assert_cmpuint (nn_trainer_get_history_serial (t), !=, serial);
  g_assert_cmpuint (nn_trainer_get_history_stride (t), ==, 1);
  nn_trainer_get_history (t, &n);
  g_assert_cmpuint (n, ==, 1);

  /* After a reset it thins as a fresh trainer does, records identical to the reference. */
  for (guint e = 1; e <= 100; e++)
    {
      nn_trainer_step_epoch (t);
      check_thinned_history (t, 6, full, n_full);
    }
  nn_trainer_free (ref);
  nn_trainer_free (t);
}

/* The default budget, the stated bound: every epoch kept up to 2^15 records (1.25 MiB),
 * then thinned to every 2nd epoch, first and last kept. */
static void
test_history_default_budget (void)
{
  g_autoptr (NnProject) p = test_project_unweighted (42);
  NnTrainer *t;
  const NnEpochStats *h;
  guint n;

  p->dataset.count = 20; /* 2^15 epochs in well under a second */
  t = test_trainer_new (p);
  g_assert_cmpuint (nn_trainer_get_history_budget (t), ==, NN_TRAINER_HISTORY_BUDGET);
  g_assert_cmpuint (NN_TRAINER_HISTORY_BUDGET * sizeof (NnEpochStats), <=, 1280 * 1024);
  g_assert_true (nn_trainer_train (t, NN_TRAINER_HISTORY_BUDGET - 1, NULL, NULL, NULL));
  nn_trainer_get_history (t, &n);
  g_assert_cmpuint (n, ==, NN_TRAINER_HISTORY_BUDGET);
  g_assert_cmpuint (nn_trainer_get_history_stride (t), ==, 1);

  g_assert_true (nn_trainer_train (t, 100, NULL, NULL, NULL));
  h = nn_trainer_get_history (t, &n);
  g_assert_cmpuint (nn_trainer_get_history_stride (t), ==, 2);
  g_assert_cmpuint (n, ==, NN_TRAINER_HISTORY_BUDGET / 2 + 51);
  g_assert_cmpuint (h[0].epoch, ==, 0);
  /* Every 2nd epoch up to the last, which is kept though off that grid. */
  g_assert_cmpuint (h[n - 2].epoch, ==, NN_TRAINER_HISTORY_BUDGET + 98);
  g_assert_cmpuint (h[n - 1].epoch, ==, NN_TRAINER_HISTORY_BUDGET + 99);

  nn_trainer_set_history_budget (t, 0);
  g_assert_cmpuint (nn_trainer_get_history_budget (t), ==, NN_TRAINER_HISTORY_BUDGET);
  nn_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trainer/determinism", test_determinism);
  g_test_add_func ("/trainer/learns-circle", test_learns_circle);
  g_test_add_func ("/trainer/batches", test_batches_and_epochs);
  g_test_add_func ("/trainer/chunked-full-batch", test_chunked_full_batch);
  g_test_add_func ("/trainer/targets", test_targets);
  g_test_add_func ("/trainer/divergence", test_divergence);
  g_test_add_func ("/trainer/grid", test_grid);
  g_test_add_func ("/trainer/output-grids", test_output_grids);
  g_test_add_func ("/trainer/history-csv", test_history_csv);
  g_test_add_func ("/trainer/live-changes", test_live_changes);
  g_test_add_func ("/trainer/rewind", test_rewind);
  g_test_add_func ("/trainer/history-thinning", test_history_thinning);
  g_test_add_func ("/trainer/history-default-budget", test_history_default_budget);
  return g_test_run ();
}
