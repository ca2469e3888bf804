/* nn-project.h: everything a .nlab project holds, in memory and on disk.
 *
 * The file is JSON (docs/file-format.md). Loading refuses a malformed file with one
 * message naming the file, the field (as a JSON path like network.hidden[2].units) and the
 * problem, and leaves nothing half-built. Saving writes a temporary file in the same
 * folder, flushes it and renames it over the old one.
 */
#pragma once

#include <glib.h>
#include "nn-types.h"
#include "nn-network.h"
#include "nn-optimizer.h"
#include "nn-dataset.h"

G_BEGIN_DECLS

#define NN_PROJECT_FORMAT  "neural-lab"
#define NN_PROJECT_VERSION 1

typedef struct
{
  guint32           seed;
  NnProblem         problem;
  NnDatasetSpec     dataset;
  guint             features;        /* NnFeature mask, at least one bit */
  NnArchitecture    arch;            /* n_inputs and n_outputs follow features/problem */
  NnInit            init;
  NnLoss            loss;
  NnOptimizerConfig optimizer;
  guint             batch_size;      /* 1..NN_MAX_POINTS (ignored by GD) */
  gboolean          shuffle;
  guint             epochs;          /* how many the CLI trains by default */
  NnRegularization  regularization;
  double            regularization_rate;
  /* Optional trained weights: n_params values in the network's flat layout. */
  double           *weights;
  gsize             n_weights;
  /* Folder the project was loaded from, for relative CSV paths (not saved). */
  char             *base_dir;
  /* The lesson an example teaches, shown by the app; optional (NULL). */
  char             *title;
  char             *description;
} NnProject;

NnProject *nn_project_new_default   (void);   /* circle, x1 x2, [4,2] tanh, adam: trains */
NnProject *nn_project_copy          (const NnProject *p);
void       nn_project_free          (NnProject *p);

/* Sets n_inputs from features and n_outputs from problem/classes/output activation. */
void       nn_project_sync_shape    (NnProject *p);
/* Checks every field and every combination (cross-entropy needs softmax or sigmoid…). */
gboolean   nn_project_validate      (const NnProject *p, GError **error);
/* Number of outputs the problem needs: 1 for regression, 1 for two classes with a
 * sigmoid/tanh/identity output, K for softmax. */
guint      nn_project_output_units  (const NnProject *p);

NnProject *nn_project_load          (const char *path, GError **error);
NnProject *nn_project_load_from_data (const char *data, gssize length, const char *name,
                                      const char *base_dir, GError **error);
gboolean   nn_project_save          (const NnProject *p, const char *path, GError **error);
char      *nn_project_to_data       (const NnProject *p, gsize *length);

/* Copies trained parameters into the project (replacing any stored weights). */
void       nn_project_set_weights   (NnProject *p, const double *params, gsize n);

/* Writes `contents` to path atomically: temp file in the same folder, fsync, rename. */
gboolean   nn_write_file_atomically (const char *path, const char *contents, gsize length,
                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnProject, nn_project_free)

G_END_DECLS
