/* test-worker-stress.c: the training worker, driven from the UI side as fast as it goes.
 *
 * Thousands of random commands while it trains: play, pause, step, step an epoch, reset,
 * speed, optimizer, training settings, loss, structural edits through set_project (layers
 * and neurons added and removed, activations, features, datasets, problems), weights and
 * biases (some out of range or not finite, which it must ignore), rewinds and previews of
 * the timeline. Between commands it takes whatever snapshot was published and checks:
 *   - the snapshot is whole: the network's shape agrees with its model, its parameter
 *     count, its neuron and output grids;
 *   - the shape is the one of the last project sent (or, after a rewind, one sent before);
 *   - every weight shown is finite;
 *   - serials only grow; epoch and step count never go back except after a reset or a
 *     rewind;
 *   - after a pause, a step or a reset the worker is not running.
 * Every 64 commands it waits until the worker has shown all of them (it must catch up).
 *
 * STRESS_COMMANDS (default 4000) and STRESS_SEED set the run; STRESS_SECONDS stops sending
 * after that long (at least 500 commands must have gone). Display-free. Built under
 * ThreadSanitizer by tests/stress/run-tsan.sh.
 */
#include <math.h>
#include <string.h>

#include "nl-training-worker.h"

#define CATCH_UP_EVERY 64
#define CATCH_UP_TIMEOUT_US (60 * G_USEC_PER_SEC)

typedef enum
{
  RUN_NONE,
  RUN_PLAY,
  RUN_STOP,    /* pause, step, step epoch, reset, rewind, preview */
} RunKind;

typedef struct
{
  guint64        serial;
  NnArchitecture arch;
} SentShape;

typedef struct
{
  GRand            *rand;
  NlTrainingWorker *worker;
  NnProject        *project;     /* the last project sent */
  GArray           *shapes;      /* of SentShape: every project sent, in order */
  GArray           *rewinds;     /* of guint64: serials of resets and rewinds */
  GArray           *runs;        /* of guint64 serial, RunKind packed as serial * 4 + kind */
  guint64           last_serial;
  GArray           *shape_rewinds; /* of guint64: serials of rewinds (old shapes may return) */

  /* The last snapshot checked. */
  guint64           seen_serial;
  guint64           seen_command;
  guint             seen_epoch;
  guint64           seen_steps;

  guint             n_commands[16];
  guint             n_snapshots;
  guint             n_running;
  guint             n_diverged;
  guint             n_previewing;
  guint             n_errors;
  guint             max_hidden;
  guint             max_units;
  char             *first_error;
  GString          *log;         /* the last commands, for a failure's message */
} Stress;

static Stress *current;

static const char *const command_names[] = {
  "play", "pause", "step", "step-epoch", "reset", "speed", "optimizer", "training", "loss",
  "project", "weight", "bias", "rewind", "preview", "end-preview", "metrics",
};

static guint
pick (Stress *s, guint n)
{
  return (guint) g_rand_int_range (s->rand, 0, (gint32) n);
}

/* ------------------------------------------------------------------------------------ */
/* Checking snapshots                                                                    */

static gboolean
arch_was_sent (Stress *s, const NnArchitecture *arch)
{
  for (guint i = 0; i < s->shapes->len; i++)
    if (nn_architecture_equal (&g_array_index (s->shapes, SentShape, i).arch, arch))
      return TRUE;
  return FALSE;
}

/* The shape of the last project sent with a serial ≤ `serial`. */
static const NnArchitecture *
expected_arch (Stress *s, guint64 serial)
{
  const NnArchitecture *arch = NULL;

  for (guint i = 0; i < s->shapes->len; i++)
    {
      const SentShape *shape = &g_array_index (s->shapes, SentShape, i);

      if (shape->serial <= serial)
        arch = &shape->arch;
    }
  return arch;
}

static gboolean
rewound_between (Stress *s, guint64 after, guint64 upto)
{
  for (guint i = 0; i < s->rewinds->len; i++)
    {
      guint64 serial = g_array_index (s->rewinds, guint64, i);

      if (serial > after && serial <= upto)
        return TRUE;
    }
  return FALSE;
}

/* Whether a rewind came after the last project sent, among the commands up to `upto`. */
static gboolean
rewound_since_project (Stress *s, guint64 upto)
{
  guint64 project = 0, rewind = 0;

  for (guint i = 0; i < s->shapes->len; i++)
    {
      guint64 serial = g_array_index (s->shapes, SentShape, i).serial;

      if (serial <= upto)
        project = serial;
    }
  for (guint i = 0; i < s->shape_rewinds->len; i++)
    {
      guint64 serial = g_array_index (s->shape_rewinds, guint64, i);

      if (serial <= upto)
        rewind = serial;
    }
  return rewind > project;
}

static RunKind
last_run (Stress *s, guint64 upto)
{
  RunKind kind = RUN_NONE;

  for (guint i = 0; i < s->runs->len; i++)
    {
      guint64 packed = g_array_index (s->runs, guint64, i);

      if (packed / 4 <= upto)
        kind = (RunKind) (packed % 4);
    }
  return kind;
}

#define FAIL(snap, ...) \
  G_STMT_START { \
    g_autofree char *what_ = g_strdup_printf (__VA_ARGS__); \
    g_printerr ("The last commands (serial kind detail):\n%s", current->log->str); \
    g_error ("snapshot %" G_GUINT64_FORMAT " (commands up to %" G_GUINT64_FORMAT \
             ", epoch %u%s%s, last refusal %" G_GUINT64_FORMAT " %s): %s", (snap)->serial, \
             (snap)->command_serial, (snap)->epoch, (snap)->previewing ? ", previewing" : "", \
             (snap)->diverged ? ", diverged" : "", (snap)->error_serial, \
             (snap)->error_message != NULL ? (snap)->error_message : "none", what_); \
  } G_STMT_END

static void
check_snapshot (Stress *s, NlSnapshot *snap)
{
  const NnNetwork *net = &snap->net;
  const NnArchitecture *expected;
  guint units = 0;
  gsize grid = (gsize) snap->neuron_res * snap->neuron_res;

  s->n_snapshots++;

  /* Serials only grow. */
  if (snap->serial <= s->seen_serial)
    FAIL (snap, "serial after %" G_GUINT64_FORMAT, s->seen_serial);
  if (snap->command_serial < s->seen_command)
    FAIL (snap, "command serial went back from %" G_GUINT64_FORMAT, s->seen_command);
  if (snap->command_serial > s->last_serial)
    FAIL (snap, "command serial beyond the last sent, %" G_GUINT64_FORMAT, s->last_serial);

  /* Whole: the network agrees with its model, its parameters and its grids. */
  if (net->n_layers != net->arch.n_hidden + 1)
    FAIL (snap, "%u layers for %u hidden", net->n_layers, net->arch.n_hidden);
  for (guint l = 0; l < net->arch.n_hidden; l++)
    {
      if (net->layers[l].n_out != net->arch.units[l])
        FAIL (snap, "layer %u has %u units, its architecture %u", l, net->layers[l].n_out,
              net->arch.units[l]);
      units += net->arch.units[l];
    }
  units += net->arch.n_outputs;
  if (snap->n_neurons != units || snap->n_outputs != net->arch.n_outputs)
    FAIL (snap, "%u neurons and %u outputs for %u and %u", snap->n_neurons, snap->n_outputs,
          units, net->arch.n_outputs);
  if (snap->neuron_grids == NULL || snap->output_grids == NULL || grid == 0)
    FAIL (snap, "missing grids");
  {
    NnArchitecture model_arch = snap->model->project->arch;
    gsize n_params = 0;

    if (!nn_architecture_equal (&model_arch, &net->arch))
      FAIL (snap, "the model's architecture is not the network's");
    for (guint l = 0; l < net->n_layers; l++)
      n_params += (gsize) net->layers[l].n_out * (net->layers[l].n_in + 1);
    if (n_params != net->n_params)
      FAIL (snap, "%" G_GSIZE_FORMAT " parameters for a shape of %" G_GSIZE_FORMAT,
            net->n_params, n_params);
  }

  /* The shape sent: exactly the last project's, or after a rewind one sent before. */
  expected = expected_arch (s, snap->command_serial);
  if (snap->previewing || rewound_since_project (s, snap->command_serial))
    {
      if (!arch_was_sent (s, &net->arch))
        FAIL (snap, "a shape that was never sent (%u hidden)", net->arch.n_hidden);
    }
  else if (expected == NULL || !nn_architecture_equal (expected, &net->arch))
    FAIL (snap, "shape of %u hidden layers (first %u), expected %u (first %u)",
          net->arch.n_hidden, net->arch.units[0], expected != NULL ? expected->n_hidden : 0,
          expected != NULL ? expected->units[0] : 0);

  /* Every weight shown is finite, diverged or not. */
  for (gsize i = 0; i < net->n_params; i++)
    if (!isfinite (net->params[i]))
      FAIL (snap, "parameter %" G_GSIZE_FORMAT " is %g%s", i, net->params[i],
            snap->diverged ? " (diverged)" : "");

  /* Time goes forward, except through a reset or a rewind. */
  if ((snap->epoch < s->seen_epoch || snap->steps < s->seen_steps)
      && !rewound_between (s, s->seen_command, snap->command_serial))
    FAIL (snap, "went back from epoch %u, step %" G_GUINT64_FORMAT " to step %" G_GUINT64_FORMAT
          " with no reset or rewind", s->seen_epoch, s->seen_steps, snap->steps);
  if (snap->n_history > 0
      && snap->history->records[snap->n_history - 1].epoch > snap->epoch)
    FAIL (snap, "history beyond the epoch");

  /* Stopped after a pause, a step or a reset. */
  if (snap->running && last_run (s, snap->command_serial) == RUN_STOP)
    FAIL (snap, "running after a pause");

  if (snap->diverged)
    s->n_diverged++;
  if (snap->previewing)
    s->n_previewing++;
  if (snap->running)
    s->n_running++;
  if (snap->error_message != NULL)
    {
      s->n_errors++;
      if (s->first_error == NULL)
        s->first_error = g_strdup (snap->error_message);
    }
  s->max_hidden = MAX (s->max_hidden, net->arch.n_hidden);
  for (guint l = 0; l < net->arch.n_hidden; l++)
    s->max_units = MAX (s->max_units, net->arch.units[l]);

  s->seen_serial = snap->serial;
  s->seen_command = snap->command_serial;
  s->seen_epoch = snap->epoch;
  s->seen_steps = snap->steps;
}

static gboolean
take_and_check (Stress *s)
{
  NlSnapshot *snap = nl_training_worker_take_snapshot (s->worker);

  if (snap == NULL)
    return FALSE;
  check_snapshot (s, snap);
  nl_snapshot_unref (snap);
  return TRUE;
}

/* Waits until the worker has shown everything sent. */
static void
catch_up (Stress *s)
{
  gint64 end = g_get_monotonic_time () + CATCH_UP_TIMEOUT_US;

  while (s->seen_command < s->last_serial)
    {
      NlSnapshot *snap = nl_training_worker_wait_snapshot (s->worker, 100 * 1000);

      if (snap != NULL)
        {
          check_snapshot (s, snap);
          nl_snapshot_unref (snap);
        }
      if (g_get_monotonic_time () > end)
        g_error ("the worker did not catch up: commands up to %" G_GUINT64_FORMAT
                 " shown, %" G_GUINT64_FORMAT " sent", s->seen_command, s->last_serial);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Commands                                                                              */

static void
note_run (Stress *s, guint64 serial, RunKind kind)
{
  guint64 packed = serial * 4 + kind;

  g_array_append_val (s->runs, packed);
}

static void
note_rewind (Stress *s, guint64 serial)
{
  g_array_append_val (s->rewinds, serial);
}

/* A random structural edit of the last project sent; FALSE when it came out invalid. */
static gboolean
edit_project (Stress *s, NnProject *p)
{
  NnArchitecture *a = &p->arch;
  guint layer = a->n_hidden > 0 ? pick (s, a->n_hidden) : 0;

  switch (pick (s, 8))
    {
    case 0:
      if (a->n_hidden < NN_MAX_HIDDEN_LAYERS)
        {
          a->units[a->n_hidden] = 1 + pick (s, 12);
          a->activation[a->n_hidden] = NN_ACTIVATION_TANH;
          a->alpha[a->n_hidden] = 0.01;
          a->n_hidden++;
        }
      break;
    case 1:
      if (a->n_hidden > 0)
        a->n_hidden--;
      break;
    case 2:
    case 3:
      if (a->n_hidden > 0 && a->units[layer] < NN_MAX_UNITS)
        a->units[layer] += 1 + pick (s, 4);
      a->units[layer] = MIN (a->units[layer], NN_MAX_UNITS);
      break;
    case 4:
      if (a->n_hidden > 0 && a->units[layer] > 1)
        a->units[layer]--;
      break;
    case 5:
      if (a->n_hidden > 0)
        a->activation[layer] = (NnActivation) pick (s, NN_ACTIVATION_SOFTMAX);
      break;
    case 6:
      {
        guint bit = nn_feature_nth (pick (s, NN_N_FEATURES));

        if (p->features != bit)
          p->features ^= bit;
      }
      break;
    case 7:
      /* Another dataset, with the output and loss it needs. */
      switch (pick (s, 3))
        {
        case 0:
          {
            static const NnGenerator two[] = { NN_GENERATOR_CIRCLE, NN_GENERATOR_XOR,
                                               NN_GENERATOR_GAUSS, NN_GENERATOR_SPIRAL,
                                               NN_GENERATOR_MOONS };

            p->dataset.generator = two[pick (s, G_N_ELEMENTS (two))];
            p->dataset.classes = 2;
            p->problem = NN_PROBLEM_CLASSIFICATION;
            p->arch.output_activation = pick (s, 2) ? NN_ACTIVATION_TANH : NN_ACTIVATION_SIGMOID;
            p->loss = p->arch.output_activation == NN_ACTIVATION_SIGMOID && pick (s, 2)
                        ? NN_LOSS_CROSS_ENTROPY : NN_LOSS_MSE;
          }
          break;
        case 1:
          p->dataset.generator = NN_GENERATOR_BLOBS;
          p->dataset.classes = 3 + pick (s, NN_MAX_CLASSES - 2);
          p->problem = NN_PROBLEM_CLASSIFICATION;
          p->arch.output_activation = NN_ACTIVATION_SOFTMAX;
          p->loss = NN_LOSS_CROSS_ENTROPY;
          break;
        default:
          {
            static const NnGenerator regression[] = { NN_GENERATOR_PLANE,
                                                      NN_GENERATOR_MULTI_GAUSS,
                                                      NN_GENERATOR_SINE_RIDGE };

            p->dataset.generator = regression[pick (s, G_N_ELEMENTS (regression))];
            p->problem = NN_PROBLEM_REGRESSION;
            p->arch.output_activation = NN_ACTIVATION_IDENTITY;
            p->loss = NN_LOSS_MSE;
          }
          break;
        }
      p->dataset.problem = p->problem;
      p->dataset.count = 100 + 50 * pick (s, 5);
      break;
    default:
      g_assert_not_reached ();
    }
  nn_project_sync_shape (p);
  return nn_project_validate (p, NULL);
}

static guint64
send_one (Stress *s)
{
  NlTrainingWorker *w = s->worker;
  guint roll = pick (s, 100);
  guint64 serial = 0;
  guint kind;

  if (roll < 16)
    {
      kind = 0;
      serial = nl_training_worker_play (w);
      note_run (s, serial, RUN_PLAY);
    }
  else if (roll < 20)
    {
      kind = 1;
      serial = nl_training_worker_pause (w);
      note_run (s, serial, RUN_STOP);
    }
  else if (roll < 23)
    {
      kind = 2;
      serial = nl_training_worker_step (w);
      note_run (s, serial, RUN_STOP);
    }
  else if (roll < 24)
    {
      kind = 3;
      serial = nl_training_worker_step_epoch (w);
      note_run (s, serial, RUN_STOP);
    }
  else if (roll < 26)
    {
      kind = 4;
      serial = nl_training_worker_reset (w, g_rand_int (s->rand));
      note_run (s, serial, RUN_STOP);
      note_rewind (s, serial);
    }
  else if (roll < 28)
    {
      kind = 5;
      serial = nl_training_worker_set_speed (w, pick (s, 4) ? 0 : 500 + pick (s, 5000));
    }
  else if (roll < 36)
    {
      NnOptimizerConfig config;
      static const double rates[] = { 0.001, 0.01, 0.1, 1, 10 };

      kind = 6;
      nn_optimizer_config_init_defaults (&config, (NnOptimizerKind) pick (s, NN_N_OPTIMIZERS));
      config.learning_rate = rates[pick (s, G_N_ELEMENTS (rates))];
      s->project->optimizer = config;
      serial = nl_training_worker_set_optimizer (w, &config);
    }
  else if (roll < 42)
    {
      static const guint batches[] = { 1, 5, 32, 1000 };

      kind = 7;
      s->project->batch_size = batches[pick (s, G_N_ELEMENTS (batches))];
      s->project->regularization = (NnRegularization) pick (s, 3);
      s->project->regularization_rate = pick (s, 2) ? 0.001 : 0.1;
      serial = nl_training_worker_set_training (w, s->project->batch_size, pick (s, 2),
                                                s->project->regularization,
                                                s->project->regularization_rate);
    }
  else if (roll < 45)
    {
      NnActivation out = s->project->arch.output_activation;

      kind = 8;
      /* Only what the output allows: cross-entropy wants sigmoid or softmax. */
      if ((out == NN_ACTIVATION_SIGMOID || out == NN_ACTIVATION_SOFTMAX) && pick (s, 2))
        s->project->loss = NN_LOSS_CROSS_ENTROPY;
      else if (out != NN_ACTIVATION_SOFTMAX)
        s->project->loss = NN_LOSS_MSE;
      serial = nl_training_worker_set_loss (w, s->project->loss);
    }
  else if (roll < 70)
    {
      g_autoptr(NnProject) next = nn_project_copy (s->project);
      SentShape shape;

      kind = 9;
      if (!edit_project (s, next))
        return 0;
      serial = nl_training_worker_set_project (w, next);
      shape.serial = serial;
      shape.arch = next->arch;
      g_array_append_val (s->shapes, shape);
      nn_project_free (s->project);
      s->project = g_steal_pointer (&next);
    }
  else if (roll < 88)
    {
      /* Sometimes out of range, sometimes not a number: it must ignore those. */
      static const double values[] = { 0.5, -2, 1e-3, NAN, INFINITY, 40 };
      guint layer = pick (s, s->project->arch.n_hidden + 2);

      kind = 10;
      serial = nl_training_worker_set_weight (w, layer, pick (s, 66), pick (s, 66),
                                              values[pick (s, G_N_ELEMENTS (values))]);
    }
  else if (roll < 92)
    {
      kind = 11;
      serial = nl_training_worker_set_bias (w, pick (s, s->project->arch.n_hidden + 2),
                                            pick (s, 66), pick (s, 2) ? -1.5 : NAN);
    }
  else if (roll < 95)
    {
      kind = 12;
      serial = nl_training_worker_rewind (w, pick (s, MAX (s->seen_epoch, 1) + 1));
      note_run (s, serial, RUN_STOP);
      note_rewind (s, serial);
      g_array_append_val (s->shape_rewinds, serial);
    }
  else if (roll < 97)
    {
      kind = 13;
      serial = nl_training_worker_preview_epoch (w, pick (s, MAX (s->seen_epoch, 1) + 1));
      note_run (s, serial, RUN_STOP);
    }
  else if (roll < 99)
    {
      kind = 14;
      serial = nl_training_worker_end_preview (w);
    }
  else
    {
      kind = 15;
      serial = nl_training_worker_set_metrics_wanted (w, pick (s, 2));
    }

  g_assert_cmpuint (serial, >, s->last_serial);
  s->last_serial = serial;
  /* Keep the last 40 or so lines. */
  if (s->log->len > 4000)
    {
      const char *cut = strchr (s->log->str + s->log->len - 2000, '\n');

      g_string_erase (s->log, 0, cut != NULL ? cut + 1 - s->log->str : 0);
    }
  g_string_append_printf (s->log, "  %" G_GUINT64_FORMAT " %s", serial, command_names[kind]);
  if (kind == 9)
    g_string_append_printf (s->log, " %u hidden, first %u", s->project->arch.n_hidden,
                            s->project->arch.units[0]);
  g_string_append_c (s->log, '\n');
  s->n_commands[kind]++;
  return serial;
}

static void
test_worker_stress (void)
{
  const char *count_env = g_getenv ("STRESS_COMMANDS");
  const char *seed_env = g_getenv ("STRESS_SEED");
  const char *seconds_env = g_getenv ("STRESS_SECONDS");
  guint64 n_commands = 4000, seed = 6, max_seconds = 0;
  gint64 deadline = G_MAXINT64;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  Stress s = { 0 };
  SentShape first;
  gint64 start;
  guint sent = 0;
  double seconds;

  if (count_env != NULL)
    g_assert_true (g_ascii_string_to_unsigned (count_env, 10, 1, G_MAXUINT32, &n_commands, NULL));
  if (seed_env != NULL)
    g_assert_true (g_ascii_string_to_unsigned (seed_env, 10, 0, G_MAXUINT32, &seed, NULL));
  if (seconds_env != NULL)
    g_assert_true (g_ascii_string_to_unsigned (seconds_env, 10, 1, 3600, &max_seconds, NULL));

  s.rand = g_rand_new_with_seed ((guint32) seed);
  s.log = g_string_new (NULL);
  current = &s;
  s.project = nn_project_new_default ();
  s.project->dataset.count = 200;
  nn_project_sync_shape (s.project);
  s.shapes = g_array_new (FALSE, FALSE, sizeof (SentShape));
  s.rewinds = g_array_new (FALSE, FALSE, sizeof (guint64));
  s.runs = g_array_new (FALSE, FALSE, sizeof (guint64));
  s.shape_rewinds = g_array_new (FALSE, FALSE, sizeof (guint64));
  first.serial = 0;
  first.arch = s.project->arch;
  g_array_append_val (s.shapes, first);

  s.worker = nl_training_worker_new (s.project, &error);
  g_assert_no_error (error);
  s.last_serial = nl_training_worker_play (s.worker);
  note_run (&s, s.last_serial, RUN_PLAY);

  start = g_get_monotonic_time ();
  if (max_seconds > 0)
    deadline = start + (gint64) max_seconds * G_USEC_PER_SEC;
  while (sent < n_commands && g_get_monotonic_time () < deadline)
    {
      if (send_one (&s) == 0)
        continue;
      sent++;
      take_and_check (&s);
      if (sent % CATCH_UP_EVERY == 0)
        {
          /* Make it show everything sent, then let it train a moment, looking at every
           * picture it publishes meanwhile. */
          catch_up (&s);
          if (pick (&s, 2) == 0)
            {
              gint64 until = g_get_monotonic_time () + 5000;

              s.last_serial = nl_training_worker_play (s.worker);
              note_run (&s, s.last_serial, RUN_PLAY);
              while (g_get_monotonic_time () < until)
                {
                  NlSnapshot *snap = nl_training_worker_wait_snapshot (s.worker, 1000);

                  if (snap != NULL)
                    {
                      check_snapshot (&s, snap);
                      nl_snapshot_unref (snap);
                    }
                }
            }
        }
    }
  catch_up (&s);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* Quitting publishes a last snapshot, of the quit command. */
  nl_training_worker_quit (s.worker);
  s.last_serial = nl_training_worker_get_last_serial (s.worker);
  while (take_and_check (&s))
    ;

  g_string_append_printf (summary, "%u commands in %.2f s (%.0f/s), %u snapshots checked; ",
                          sent, seconds, sent / seconds, s.n_snapshots);
  for (guint i = 0; i < G_N_ELEMENTS (command_names); i++)
    g_string_append_printf (summary, "%s %u%s", command_names[i], s.n_commands[i],
                            i + 1 < G_N_ELEMENTS (command_names) ? ", " : "; ");
  g_string_append_printf (summary, "training in %u snapshots, diverged in %u, previewing in "
                          "%u; up to %u hidden layers, %u units; final epoch %u; %u snapshots "
                          "with a refusal (first: %s)",
                          s.n_running, s.n_diverged, s.n_previewing, s.max_hidden, s.max_units,
                          s.seen_epoch, s.n_errors, s.first_error != NULL ? s.first_error : "none");
  g_test_message ("%s", summary->str);
  /* A time limit (STRESS_SECONDS, for slow sanitizer builds) still leaves a real run. */
  g_assert_cmpuint (sent, >=, MIN (n_commands, 500));
  g_assert_cmpuint (s.n_snapshots, >, sent / CATCH_UP_EVERY);
  g_assert_cmpuint (s.seen_command, ==, s.last_serial);

  g_object_unref (s.worker);
  nn_project_free (s.project);
  g_array_unref (s.shapes);
  g_array_unref (s.rewinds);
  g_array_unref (s.runs);
  g_array_unref (s.shape_rewinds);
  g_rand_free (s.rand);
  g_free (s.first_error);
  g_string_free (s.log, TRUE);
  current = NULL;
}

/* A race on purpose (STRESS_RACE_SELFTEST=1): run-tsan.sh checks that ThreadSanitizer,
 * with GLib's locks annotated, still reports an unsynchronised write and read. */
static int race_target;

static gpointer
race_writer (gpointer data)
{
  race_target++;
  g_usleep (100 * 1000);
  return NULL;
}

static void
test_race_selftest (void)
{
  GThread *thread;
  GMutex unrelated;

  if (g_strcmp0 (g_getenv ("STRESS_RACE_SELFTEST"), "1") != 0)
    {
      g_test_skip ("STRESS_RACE_SELFTEST=1 runs it");
      return;
    }
  g_mutex_init (&unrelated);
  thread = g_thread_new ("racer", race_writer, NULL);
  g_usleep (10 * 1000);
  /* A lock the writer never takes orders nothing. */
  g_mutex_lock (&unrelated);
  race_target++;
  g_mutex_unlock (&unrelated);
  g_thread_join (thread);
  g_mutex_clear (&unrelated);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/worker/race-selftest", test_race_selftest);
  g_test_add_func ("/worker/stress", test_worker_stress);
  return g_test_run ();
}
