/* nl-chaos.c: random user actions, for the soak test (see nl-chaos.h).
 *
 * The sizes it grows the network to stay within what a lesson uses (at most six hidden
 * layers of sixteen units), so that resident memory measures leaks, not a network that
 * keeps growing; learning rates up to 10 make it diverge now and then, as a class does.
 */
#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "nl-chaos.h"

#define CHAOS_MAX_LAYERS 6
#define CHAOS_MAX_UNITS  16

typedef struct
{
  NlWindow *window;   /* not a reference: the timeout goes when the window does */
  GRand    *rand;
  guint     source_id;
  guint     n_actions;
  gint64    next_report;
  gint64    report_interval;
  gint64    started;
  gint64    end;      /* NEURAL_LAB_CHAOS_SECONDS: when to close the window; 0 = never */
  int       first_width, first_height;   /* the window's size when it was first shown */
  int       widest, tallest;             /* its largest size since, checked by the soak */
  gboolean  trace;    /* NEURAL_LAB_CHAOS_TRACE=1: a line an action, for what a spike follows */
} Chaos;

static const double learning_rates[] = { 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10 };
static const char *const optimizers[] = { "gd", "sgd", "momentum", "rmsprop", "adam" };
static const char *const datasets[] = { "circle", "xor", "gauss", "spiral", "moons", "blobs",
                                        "plane", "multi_gauss", "sine_ridge" };
static const guint batch_sizes[] = { 1, 4, 10, 32, 100 };

/* The chaos lives as long as its window (it is the window's data), and its timeout no
 * longer than either: the window's "destroy" may come after a timeout that closed it has
 * returned, so neither may free what the other still reads. */
static void
chaos_stop (Chaos *chaos)
{
  if (chaos->source_id != 0)
    g_source_remove (chaos->source_id);
  chaos->source_id = 0;
}

static void
chaos_free (gpointer data)
{
  Chaos *chaos = data;

  chaos_stop (chaos);
  g_rand_free (chaos->rand);
  g_free (chaos);
}

static guint
pick (Chaos *chaos, guint n)
{
  return (guint) g_rand_int_range (chaos->rand, 0, (gint32) n);
}

/* Activates the window's action `name` with `args` (NULL or a floating variant), as a
 * widget would, and traces it when asked. */
static void
act (Chaos *chaos, const char *name, GVariant *args)
{
  if (args != NULL)
    g_variant_ref_sink (args);
  if (chaos->trace)
    {
      g_autofree char *printed = args != NULL ? g_variant_print (args, FALSE) : NULL;
      fprintf (stderr, "chaos: %.2f s %s %s\n",
               (double) (g_get_monotonic_time () - chaos->started) / G_USEC_PER_SEC, name,
               printed != NULL ? printed : "");
    }
  gtk_widget_activate_action_variant (GTK_WIDGET (chaos->window), name, args);
  g_clear_pointer (&args, g_variant_unref);
}

/* One random action, chosen with the weights a soak wants: mostly edits while it trains. */
static void
chaos_step (Chaos *chaos)
{
  const NnProject *p = nl_window_get_project (chaos->window);
  NlSnapshot *snap = nl_window_get_snapshot (chaos->window);
  guint hidden = p->arch.n_hidden;
  guint layer = hidden > 0 ? pick (chaos, hidden) : 0;

  /* Paused (by a pause, a step, a reset or a divergence): press Play again, mostly. */
  if (snap != NULL && !snap->running && pick (chaos, 3) > 0)
    {
      if (snap->diverged)
        act (chaos, "win.reset", NULL);
      act (chaos, "win.play-pause", NULL);
      return;
    }

  switch (pick (chaos, 15))
    {
    case 0:
      act (chaos, "win.play-pause", NULL);
      break;
    case 1:
      if (hidden > 0 && p->arch.units[layer] < CHAOS_MAX_UNITS)
        act (chaos, "win.add-neuron", g_variant_new_uint32 (layer));
      break;
    case 2:
      if (hidden > 0)
        act (chaos, "win.remove-neuron", g_variant_new_uint32 (layer));
      break;
    case 3:
      if (hidden < CHAOS_MAX_LAYERS)
        act (chaos, "win.add-layer", NULL);
      break;
    case 4:
      if (hidden > 1)
        act (chaos, "win.remove-layer", NULL);
      break;
    case 5:
      act (chaos, "win.set-optimizer",
           g_variant_new_string (optimizers[pick (chaos, G_N_ELEMENTS (optimizers))]));
      break;
    case 6:
      act (chaos, "win.set-learning-rate",
           g_variant_new_double (learning_rates[pick (chaos, G_N_ELEMENTS (learning_rates))]));
      break;
    case 7:
      act (chaos, "win.regenerate", NULL);
      break;
    case 8:
      act (chaos, pick (chaos, 2) ? "win.step" : "win.step-epoch", NULL);
      break;
    case 9:
      act (chaos, "win.reset", NULL);
      break;
    case 10:
      act (chaos, "win.set-batch-size",
           g_variant_new_uint32 (batch_sizes[pick (chaos, G_N_ELEMENTS (batch_sizes))]));
      break;
    case 11:
      /* Identity, ReLU, Leaky ReLU, sigmoid, tanh: the hidden layers' choices. */
      if (hidden > 0)
        act (chaos, "win.set-activation",
             g_variant_new ("(uu)", layer, pick (chaos, NN_N_ACTIVATIONS)));
      break;
    case 12:
      act (chaos, "win.toggle-feature", g_variant_new_uint32 (pick (chaos, NN_N_FEATURES)));
      break;
    case 13:
      act (chaos, "win.set-dataset",
           g_variant_new_string (datasets[pick (chaos, G_N_ELEMENTS (datasets))]));
      break;
    case 14:
      if (snap != NULL && snap->net.n_layers > 0)
        {
          guint l = pick (chaos, snap->net.n_layers);
          const NnLayer *nl = &snap->net.layers[l];
          /* One draw a statement: the order of a call's arguments is unspecified. */
          guint to = pick (chaos, nl->n_out);
          guint from = pick (chaos, nl->n_in);
          double value = g_rand_double_range (chaos->rand, -3, 3);

          act (chaos, "win.set-weight", g_variant_new ("(uuud)", l, to, from, value));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_chaos_timeout (gpointer data)
{
  Chaos *chaos = data;
  gint64 now = g_get_monotonic_time ();
  int width, height;

  /* Done: close the window without asking (the autosave keeps the work), so that the
   * application ends and a sanitizer's leak check runs at its exit. */
  if (chaos->end > 0 && now >= chaos->end)
    {
      fprintf (stderr, "chaos: %u actions, done; closing the window\n", chaos->n_actions);
      fflush (stderr);
      chaos->source_id = 0;
      gtk_window_destroy (GTK_WINDOW (chaos->window));
      return G_SOURCE_REMOVE;
    }

  chaos_step (chaos);
  chaos->n_actions++;
  /* The window never grows by itself: a label that asks for more room than it has (a
   * number of 300 digits, a sentence that does not wrap) would widen it past the screen. */
  width = gtk_widget_get_width (GTK_WIDGET (chaos->window));
  height = gtk_widget_get_height (GTK_WIDGET (chaos->window));
  if (chaos->first_width == 0 && width > 0)
    {
      chaos->first_width = width;
      chaos->first_height = height;
    }
  chaos->widest = MAX (chaos->widest, width);
  chaos->tallest = MAX (chaos->tallest, height);
  if (now >= chaos->next_report)
    {
      NlSnapshot *snap = nl_window_get_snapshot (chaos->window);
      NnTimeline *timeline = snap != NULL ? snap->timeline : NULL;
      double in_use = -1, held = -1, timeline_mib = 0, reserved_mib = 0;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
      {
        /* What the program holds, against what the allocator keeps from the system: a
         * leak grows the first, fragmentation only the second. Both read 0 when another
         * allocator (AddressSanitizer's) stands in for glibc's: unknown, not none. */
        struct mallinfo2 info = mallinfo2 ();

        in_use = (double) (info.uordblks + info.hblkhd) / (1024 * 1024);
        held = (double) (info.arena + info.hblkhd) / (1024 * 1024);
      }
#endif
      if (timeline != NULL)
        {
          timeline_mib = (double) nn_timeline_get_memory (timeline) / (1024 * 1024);
          reserved_mib = (double) nn_timeline_get_reserved (timeline) / (1024 * 1024);
        }
      /* The timeline takes its arena once and keeps it (nn-timeline.h): what is in use
       * beside it is what a leak would grow (tests/soak/soak.sh reads it). */
      fprintf (stderr, "chaos: %u actions, epoch %u, %u history records, %u hidden layers; "
               "window %d×%d, first %d×%d, largest %d×%d; "
               "timeline %.1f MiB in %u records (stride %u) of %.1f MiB reserved; "
               "heap in use %.1f MiB, held %.1f MiB; in use outside the timeline %.1f MiB\n",
               chaos->n_actions, snap != NULL ? snap->epoch : 0,
               snap != NULL ? snap->n_history : 0,
               nl_window_get_project (chaos->window)->arch.n_hidden, width, height,
               chaos->first_width, chaos->first_height, chaos->widest, chaos->tallest,
               timeline_mib,
               timeline != NULL ? nn_timeline_get_n_records (timeline) : 0,
               timeline != NULL ? nn_timeline_get_stride (timeline) : 0, reserved_mib, in_use,
               held, in_use > 0 ? in_use - reserved_mib : -1.0);
      fflush (stderr);
      chaos->next_report = now + chaos->report_interval;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_window_destroy (GtkWidget *window, gpointer data)
{
  chaos_stop (data);
}

gboolean
nl_chaos_attach (NlWindow *window)
{
  const char *interval_env = g_getenv ("NEURAL_LAB_CHAOS_INTERVAL_MS");
  const char *seed_env = g_getenv ("NEURAL_LAB_CHAOS_SEED");
  const char *report_env = g_getenv ("NEURAL_LAB_CHAOS_REPORT_SECONDS");
  const char *seconds_env = g_getenv ("NEURAL_LAB_CHAOS_SECONDS");
  guint64 interval = 250, seed, report, seconds;
  Chaos *chaos;

  g_return_val_if_fail (NL_IS_WINDOW (window), FALSE);

  if (g_strcmp0 (g_getenv ("NEURAL_LAB_CHAOS"), "1") != 0)
    return FALSE;
  if (interval_env != NULL)
    g_ascii_string_to_unsigned (interval_env, 10, 1, 60000, &interval, NULL);
  if (seed_env == NULL || !g_ascii_string_to_unsigned (seed_env, 10, 0, G_MAXUINT32, &seed, NULL))
    seed = (guint32) g_get_real_time ();

  chaos = g_new0 (Chaos, 1);
  chaos->window = window;
  chaos->rand = g_rand_new_with_seed ((guint32) seed);
  chaos->report_interval = 60 * G_USEC_PER_SEC;
  chaos->started = g_get_monotonic_time ();
  if (seconds_env != NULL
      && g_ascii_string_to_unsigned (seconds_env, 10, 1, 24 * 3600, &seconds, NULL))
    chaos->end = chaos->started + (gint64) seconds * G_USEC_PER_SEC;
  chaos->trace = g_strcmp0 (g_getenv ("NEURAL_LAB_CHAOS_TRACE"), "1") == 0;
  if (report_env != NULL && g_ascii_string_to_unsigned (report_env, 10, 1, 3600, &report, NULL))
    chaos->report_interval = (gint64) report * G_USEC_PER_SEC;
  fprintf (stderr, "chaos: seed %u, an action every %u ms\n", (guint32) seed, (guint) interval);
  fflush (stderr);

  /* Full speed. */
  act (chaos, "win.set-speed", g_variant_new_double (0.0));
  chaos->source_id = g_timeout_add ((guint) interval, on_chaos_timeout, chaos);
  g_object_set_data_full (G_OBJECT (window), "nl-chaos", chaos, chaos_free);
  g_signal_connect (window, "destroy", G_CALLBACK (on_window_destroy), chaos);
  return TRUE;
}
