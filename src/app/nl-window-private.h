/* nl-window-private.h: what the files of the window class share.
 *
 * NlWindow is split by concern (nl-window.c: the template, the edit flow, transport and
 * files; further nl-window-*.c files add one feature each). A feature file installs its
 * actions and binds its template children from a nl_window_class_init_<feature>()
 * function called by nl_window_class_init(), and sets itself up from
 * nl_window_init_<feature>() called by nl_window_init().
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-autosave.h"
#include "nl-snapshot.h"
#include "nl-training-worker.h"
#include "nl-window.h"
#include "nn-project.h"

G_BEGIN_DECLS

typedef enum
{
  CHANGE_STRUCTURE,  /* anything nn_trainer_set_project handles */
  CHANGE_OPTIMIZER,
  CHANGE_TRAINING,   /* batch size, regularization */
  CHANGE_SEED,       /* new data and new initial weights */
} ChangeKind;

struct _NlWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkWidget        *play_button;
  GtkWidget        *play_image;
  GtkWidget        *epoch_label;
  GtkWidget        *subtitle_label;
  GtkAdjustment    *speed_adjustment;
  GtkWidget        *speed_scale;
  GtkWidget        *speed_label;
  GMenu            *examples_menu;
  GtkWidget        *banner_revealer;
  GtkWidget        *banner_icon;
  GtkWidget        *network_hint;
  GtkWidget        *banner_label;
  GtkWidget        *banner_reset_button;
  GtkWidget        *banner_close_button;
  GtkWidget        *problem_dropdown;
  GtkWidget        *dataset_picker;
  GtkWidget        *noise_scale;
  GtkWidget        *noise_value_label;
  GtkWidget        *ratio_scale;
  GtkWidget        *ratio_value_label;
  GtkWidget        *classes_label;
  GtkWidget        *classes_spin;
  GtkWidget        *count_spin;
  GtkWidget        *loss_dropdown;
  GtkWidget        *optimizer_dropdown;
  GtkWidget        *learning_rate_spin;
  GtkWidget        *batch_label;
  GtkWidget        *batch_spin;
  GtkWidget        *momentum_label;
  GtkWidget        *momentum_spin;
  GtkWidget        *rms_alpha_label;
  GtkWidget        *rms_alpha_spin;
  GtkWidget        *beta1_label;
  GtkWidget        *beta1_spin;
  GtkWidget        *beta2_label;
  GtkWidget        *beta2_spin;
  GtkWidget        *regularization_dropdown;
  GtkWidget        *regularization_rate_label;
  GtkWidget        *regularization_rate_box;
  GtkWidget        *regularization_rate_spin;
  GtkWidget        *seed_spin;
  GtkWidget        *layers_label;
  GtkWidget        *network_view;
  GtkWidget        *boundary_view;
  GtkWidget        *loss_view;
  GtkWidget        *accuracy_caption;
  GtkWidget        *train_loss_label;
  GtkWidget        *test_loss_label;
  GtkWidget        *accuracy_label;
  GtkWidget        *throughput_label;

  /* State */
  NnProject        *project;          /* what the user edits; no weights */
  GFile            *file;
  char             *example_title;    /* shown when the project is an unsaved example */
  gboolean          modified;
  NlTrainingWorker *worker;
  NlSnapshot       *snapshot;
  NlSnapshot       *deferred;         /* flat out: the snapshot the other views get next frame */
  gboolean          playing;          /* what the user asked for, corrected by snapshots */
  guint64           run_command;      /* serial of the last play/pause/step/reset */
  double            speed;            /* steps per second, 0 = max */
  guint             tick_id;
  gint64            last_command_time;
  gint64            last_pickup;      /* frame time the last snapshot was taken at */
  gint64            frame_work_start;  /* NEURAL_LAB_FRAME_STATS: when this frame's work began */
  guint64           seen_error_serial;
  gboolean          diverged_shown;
  gboolean          syncing;
  gboolean          dark;
  gboolean          show_test_data;
  gboolean          discretize_output;
  gboolean          log_scale;

  /* Autosave and the restore offer (nl-window-autosave.c) */
  NlAutosave       *autosave;
  guint             autosave_id;       /* writes it while there are unsaved changes */
  GtkWidget        *restore_revealer;
  GtkWidget        *restore_label;
  GPtrArray        *restore_leftovers; /* of NlAutosaveLeftover, while offered */
  /* Closing with unsaved changes (nl-window-unsaved.c) */
  GtkWidget        *unsaved_dialog;    /* Save / Discard / Cancel, while it is shown */
  gboolean          close_confirmed;

  /* Timeline, health, advice, metrics, the selected point (nl-window-insight.h) */
  struct _NlWindowInsight *insight;

  /* Exports, your own data, the Explain page (nl-window-classroom.h) */
  struct _NlWindowClassroom *classroom;
};

/* Fixes combinations the engine would refuse, validates, keeps `next` (taking it) and
 * sends the worker the smallest command for a change of this kind. FALSE with a message
 * shown when the engine refuses it. */
gboolean nl_window_commit_project (NlWindow *self, NnProject *next, ChangeKind kind);
/* Sets every control back from the project, with handlers quiet. */
void     nl_window_sync_controls  (NlWindow *self);
void     nl_window_show_banner    (NlWindow *self, const char *message, gboolean offer_reset);
/* The same bar for news that is not a problem ("Copied …"), with an information icon. */
void     nl_window_show_info      (NlWindow *self, const char *message);
void     nl_window_set_modified   (NlWindow *self, gboolean modified);

/* nl-window-autosave.c */
void     nl_window_class_init_autosave (NlWindowClass *klass);
void     nl_window_init_autosave       (NlWindow *self);
/* The modified flag, the file or the project changed: (re)arms or removes the autosave. */
void     nl_window_autosave_update     (NlWindow *self);
/* nl-window-unsaved.c: TRUE when the window must stay open (it asks first). */
gboolean nl_window_confirm_close       (NlWindow *self);
/* Restarts the frame clock callback that picks up snapshots (after a command). */
void     nl_window_ensure_ticking      (NlWindow *self);
/* nl-window-compare.c: win.compare opens the "Compare optimizers" window. */
void     nl_window_class_init_compare  (NlWindowClass *klass);

G_END_DECLS
