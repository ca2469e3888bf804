/* nn-dataset.h: the seeded data generators, inline points and CSV data.
 *
 * A point is (x1, x2, y) with (x1, x2) in the plane [−6, 6]². For classification y is the
 * class index 0..classes−1; for regression y is the target value (generators keep it in
 * [−1, 1]). Generation is deterministic for a given spec and seed.
 */
#pragma once

#include <glib.h>
#include "nn-types.h"

G_BEGIN_DECLS

#define NN_MAX_POINTS 100000
#define NN_MIN_POINTS 2
/* The largest magnitude of a value in a CSV file. The app scales imported data into the
 * plane, but beyond this a value is more likely a mistake (a wrong column, a unit of
 * millions) than a coordinate, and its square in a feature or a loss would overflow. */
#define NN_CSV_MAX_VALUE 1e6

typedef struct
{
  double x1, x2, y;
} NnPoint;

typedef struct
{
  NnGenerator generator;
  NnProblem   problem;      /* for POINTS and CSV; generators imply theirs */
  guint       classes;      /* spiral: 2..4, blobs and points/csv: 2..8, else 2 */
  guint       count;        /* total points, train + test */
  double      noise;        /* 0..1, a fraction of the generator's natural scale */
  double      train_ratio;  /* 0.1..1 of count goes to training (1: no test set) */
  /* POINTS: the lists as given (train and test); CSV: path, absolute or relative to
   * base_dir. */
  GArray     *points;       /* of NnPoint, owned; may be NULL */
  GArray     *test_points;  /* of NnPoint, owned; may be NULL */
  char       *path;
} NnDatasetSpec;

void     nn_dataset_spec_init    (NnDatasetSpec *spec); /* defaults: circle, 500, 0, 0.5 */
void     nn_dataset_spec_clear   (NnDatasetSpec *spec);
void     nn_dataset_spec_copy    (NnDatasetSpec *dst, const NnDatasetSpec *src);
gboolean nn_dataset_spec_validate (const NnDatasetSpec *spec, GError **error);

typedef struct
{
  NnProblem problem;
  guint     classes;  /* classification only */
  NnPoint  *train;
  guint     n_train;
  NnPoint  *test;
  guint     n_test;
} NnDataset;

/* base_dir resolves a relative CSV path; may be NULL (current directory). */
NnDataset *nn_dataset_new_from_spec (const NnDatasetSpec *spec, guint32 seed,
                                     const char *base_dir, GError **error);
NnDataset *nn_dataset_new_from_points (NnProblem problem, guint classes,
                                       const NnPoint *train, guint n_train,
                                       const NnPoint *test, guint n_test);
NnDataset *nn_dataset_copy          (const NnDataset *ds);
void       nn_dataset_free          (NnDataset *ds);

/* Reads x1,x2,y rows (a header line is optional). Classification labels are class
 * indices 0..7; labels of exactly {−1, 1} are read as classes 0 and 1; every value's
 * magnitude is at most NN_CSV_MAX_VALUE. Errors name the file, the line and the column.
 * Anything but a regular file (a folder, a FIFO, a device) is refused without waiting on
 * it. Points are returned as read (not scaled). */
GArray    *nn_dataset_read_csv      (const char *path, NnProblem problem, guint *classes_out,
                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnDataset, nn_dataset_free)

G_END_DECLS
