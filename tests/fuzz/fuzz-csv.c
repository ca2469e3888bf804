/* fuzz-csv.c: libFuzzer harness for the CSV data reader.
 *
 * The reader takes a path, so each input is written to one scratch file first. Whatever
 * the bytes, it returns points that are finite and at most NN_CSV_MAX_VALUE in magnitude
 * (and valid class indices for classification) or an error that names the file. */
#include "nn-dataset.h"

#include <math.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *scratch_path;

static void
check_points (GArray *points, NnProblem problem, guint classes)
{
  for (guint i = 0; i < points->len; i++)
    {
      const NnPoint *p = &g_array_index (points, NnPoint, i);
      g_assert_true (isfinite (p->x1) && isfinite (p->x2) && isfinite (p->y));
      g_assert_cmpfloat (fabs (p->x1), <=, NN_CSV_MAX_VALUE);
      g_assert_cmpfloat (fabs (p->x2), <=, NN_CSV_MAX_VALUE);
      g_assert_cmpfloat (fabs (p->y), <=, NN_CSV_MAX_VALUE);
      if (problem == NN_PROBLEM_CLASSIFICATION)
        {
          g_assert_cmpfloat (p->y, >=, 0.0);
          g_assert_cmpfloat (p->y, <, classes);
          g_assert_cmpfloat (p->y, ==, floor (p->y));
        }
    }
  g_assert_cmpuint (points->len, <=, NN_MAX_POINTS);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (scratch_path == NULL)
    scratch_path = g_strdup_printf ("%s/neural-lab-fuzz-%d.csv", g_get_tmp_dir (), (int) getpid ());
  /* Without fsync (G_FILE_SET_CONTENTS_NONE): the scratch file needs no durability, and
   * syncing it made each input cost milliseconds. */
  g_assert_true (g_file_set_contents_full (scratch_path, (const char *) data, (gssize) size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  for (NnProblem problem = 0; problem < NN_N_PROBLEMS; problem++)
    {
      g_autoptr (GError) error = NULL;
      guint classes = 0;
      GArray *points = nn_dataset_read_csv (scratch_path, problem, &classes, &error);

      if (points == NULL)
        {
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, "neural-lab-fuzz-"));
          continue;
        }
      check_points (points, problem, MAX (classes, 1));
      g_array_unref (points);
    }
  return 0;
}
