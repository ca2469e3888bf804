/* nl-compare-window-private.h: what the files of the compare window share.
 *
 * NlCompareWindow is split by concern: nl-compare-window.c (the template, sources, races,
 * the scene, animation, actions), nl-compare-runners.c (each optimizer's settings in the
 * side list, and the results table), nl-compare-network.c (the network's runs, planes and
 * loss grid in worker jobs), nl-compare-export.c (CSV and pictures).
 */
#pragma once

#include <gtk/gtk.h>

#include "nl-compare-jobs.h"
#include "nl-compare-window.h"
#include "nl-network-view.h"
#include "nl-render.h"

G_BEGIN_DECLS

#define TEXTBOOK_RES      121
#define MODEL_RES         81
#define NETWORK_RES       61
#define MAX_RUNNERS       NN_LANDSCAPE_MAX_RUNS
#define DEFAULT_STEPS     300
#define NETWORK_STEPS     500
#define REPLAN_DELAY_MS   350

typedef enum
{
  JOB_NONE,
  JOB_SWEEP,
  JOB_TRAIN,
  JOB_PLANE,
} JobKind;

enum
{
  PENDING_TRAIN = 1 << 0,
  PENDING_PLANE = 1 << 1,
};

typedef struct _RunnerSpec RunnerSpec;

struct _RunnerSpec
{
  NlCompareWindow *window;
  NnRunnerConfig   cfg;
  gboolean         enabled;
  guint            color;
  /* The row's controls (NULL while it has none). */
  GtkWidget       *lr_spin;
};

typedef struct
{
  GtkWidget *swatch, *name, *lr, *steps, *loss, *distance, *state;
} TableRow;

struct _NlCompareWindow
{
  GtkWindow         parent_instance;

  /* Template widgets */
  GtkWidget        *play_button;
  GtkWidget        *play_image;
  GtkWidget        *step_label;
  GtkWidget        *subtitle_label;
  GtkWidget        *fair_race_button;
  GtkWidget        *source_dropdown;
  GtkWidget        *source_stack;
  GtkWidget        *surface_dropdown;
  GtkWidget        *surface_description;
  GtkWidget        *kappa_box;
  GtkWidget        *kappa_spin;
  GtkWidget        *network_label;
  GtkWidget        *plane_dropdown;
  GtkWidget        *plane_description;
  GtkWidget        *weights_grid;
  GtkWidget        *weight_a_layer, *weight_a_out, *weight_a_in;
  GtkWidget        *weight_b_layer, *weight_b_out, *weight_b_in;
  GtkWidget        *pick_button;
  GtkWidget        *pick_hint;
  GtkWidget        *model_dropdown;
  GtkWidget        *model_description;
  GtkWidget        *progress_revealer;
  GtkWidget        *progress_label;
  GtkWidget        *progress_bar;
  GtkWidget        *status_label;
  GtkWidget        *steps_spin;
  GtkWidget        *speed_scale;
  GtkWidget        *speed_label;
  GtkWidget        *runner_list;
  GtkWidget        *lesson_label;
  GtkWidget        *surface_view;
  GtkWidget        *loss_area;
  GtkWidget        *results_grid;

  NlWindow         *main_window;     /* weak */
  gboolean          disposed;
  gboolean          syncing;
  gboolean          dark;
  gboolean          view_3d;

  NlCompareSource   source;
  GPtrArray        *specs[3];        /* RunnerSpec, per source */
  guint             steps[3];        /* the race's length, per source */

  /* Textbook and model: the surface, its race and grid. */
  NnSurfaceKind     textbook_kind;
  double            kappa;
  int               preset;          /* the lesson loaded, or −1 */
  NnSurfaceKind     model_kind;
  NnRace           *race;
  char             *race_error;      /* why there is no race (model on unsuitable data) */
  double           *grid;
  guint             grid_res;
  NnBox             grid_box;
  guint64           grid_serial;
  GCancellable     *grid_cancellable;

  /* Network: the runs and their projection. */
  NnLandscape      *landscape;       /* NULL while a job holds it */
  NlPlaneResult    *plane;
  char             *plane_labels[MAX_RUNNERS];
  guint             plane_colors[MAX_RUNNERS];
  double            plane_rates[MAX_RUNNERS];
  NnPlaneKind       plane_kind;
  guint             network_step;
  double           *restart_theta;   /* initial weights of the next training, or NULL */
  gsize             restart_n;
  gboolean          keep_plane;      /* the next plane job reuses the current plane and grid */
  guint             pending;
  guint             replan_id;
  double            grid_ms;
  guint             grid_ms_res;

  /* Picking the two weights by clicking links in the main window's network view. */
  gboolean          picking;
  NlNetworkView    *pick_view;       /* weak; the main window's view while picking */
  gboolean          pick_empty[2];   /* α or β un-picked, waiting for a click */
  guint             pick_next;       /* the axis the next click sets when none is empty */

  /* The one worker job at a time (besides surface grids). */
  JobKind           job;
  GCancellable     *job_cancellable;
  double            progress;

  /* Animation */
  gboolean          playing;
  guint             tick_id;
  double            speed;
  double            step_accumulator;

  /* The scene handed to the views (pointers into the race or the projection). */
  NlSurfaceTrajectory traj[MAX_RUNNERS];
  char             *traj_labels[MAX_RUNNERS];
  guint             traj_colors[MAX_RUNNERS];
  gboolean          run_diverged[MAX_RUNNERS];
  guint             n_traj;
  char             *note;
  char             *message;
  char             *x_name, *y_name;

  TableRow          table[MAX_RUNNERS];
  guint             n_table;
};

/* nl-compare-window.c */
/* One worker job at a time (surface grids aside): shows its progress bar and text. */
void                 nl_compare_start_job             (NlCompareWindow *self, JobKind kind,
                                                       const char *text);
void                 nl_compare_end_job               (NlCompareWindow *self);
/* An NlJobProgress: the bar, the plot's message and the "progress" property. */
void                 nl_compare_on_job_progress       (double fraction, gpointer data);
gboolean             nl_compare_is_cancelled          (const GError *error);
/* A line under the progress bar (NULL hides it). */
void                 nl_compare_show_status           (NlCompareWindow *self, const char *text);
/* The main window's project, or NULL once it is gone. */
const NnProject     *nl_compare_main_project          (NlCompareWindow *self);
void                 nl_compare_update_actions        (NlCompareWindow *self);
/* The scene, the loss plot, the table and the header, after anything changed. */
void                 nl_compare_update_views          (NlCompareWindow *self);
void                 nl_compare_set_playing           (NlCompareWindow *self, gboolean playing);
char                *nl_compare_weight_name           (NlCompareWindow *self, gboolean second);
/* A runner's settings changed: the race restarts, or the network's runs train again. */
void                 nl_compare_runners_changed       (NlCompareWindow *self);
/* The scene of the current source; `export` adds a title for pictures. */
void                 nl_compare_build_scene           (NlCompareWindow *self,
                                                       NlSurfaceScene *scene, gboolean export);
void                 nl_compare_build_loss_scene      (NlCompareWindow *self,
                                                       NlRaceLossScene *scene);

/* nl-compare-runners.c */
GPtrArray           *nl_compare_current_specs         (NlCompareWindow *self);
RunnerSpec          *nl_compare_spec_add              (NlCompareWindow *self, GPtrArray *specs,
                                                       const NnRunnerConfig *cfg);
/* "GD", or "GD, η = 0.1" when several runners share the optimizer. */
char                *nl_compare_display_label         (GPtrArray *specs, const RunnerSpec *spec);
/* The runner's name in CSV files: the engine's words, ASCII ("gd", "gd-lr0.1"). */
char                *nl_compare_file_label            (GPtrArray *specs, const RunnerSpec *spec);
RunnerSpec          *nl_compare_nth_enabled           (GPtrArray *specs, guint k);
void                 nl_compare_default_specs         (NlCompareWindow *self,
                                                       NlCompareSource source,
                                                       NnSurface *surface);
void                 nl_compare_rebuild_rows          (NlCompareWindow *self);
void                 nl_compare_rebuild_table         (NlCompareWindow *self);
void                 nl_compare_update_table          (NlCompareWindow *self);
/* Sets a label's text only when it changed. */
void                 nl_compare_set_text              (GtkWidget *label, const char *text);
guint                nl_compare_network_max_points    (NlCompareWindow *self);
guint                nl_compare_race_limit            (NlCompareWindow *self);
const NlRenderStyle *nl_compare_style                 (NlCompareWindow *self);

/* nl-compare-network.c */
void                 nl_compare_run_next_job          (NlCompareWindow *self);
/* Asks for PENDING_TRAIN and/or PENDING_PLANE, now or after a short pause. */
void                 nl_compare_schedule_network      (NlCompareWindow *self, guint what,
                                                       gboolean now);
void                 nl_compare_clear_run_names       (NlCompareWindow *self);
void                 nl_compare_fill_weight_dropdowns (NlCompareWindow *self);
void                 nl_compare_fill_weight_ends      (NlCompareWindow *self, gboolean second);
/* A dropdown's selected position (0 when none). */
guint                nl_compare_selected              (GtkWidget *dropdown);
/* Picking the plane's weights in the main window's network view: on (the plane becomes
 * "two weights") or off; the marks there follow the dropdowns. */
void                 nl_compare_set_picking           (NlCompareWindow *self, gboolean picking);
void                 nl_compare_update_pick_marks     (NlCompareWindow *self);

/* nl-window-compare.c: the main window's network view (the compare window's way in). */
NlNetworkView       *nl_window_compare_network_view   (NlWindow *window);

/* nl-compare-export.c: the file chooser for the trajectories (CSV) or the picture. */
void                 nl_compare_export                (NlCompareWindow *self, gboolean picture);

G_END_DECLS
