/* fuzz-project.c: libFuzzer harness for the .nlab reader.
 *
 * Whatever the bytes, loading either fails with an error or yields a project that
 * validates and survives a write/read round trip unchanged. */
#include "nn-project.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnProject) project = NULL;
  g_autoptr (NnProject) again = NULL;
  g_autofree char *first = NULL, *second = NULL;

  project = nn_project_load_from_data ((const char *) data, (gssize) size, "fuzz.nlab", NULL,
                                       &error);
  if (project == NULL)
    {
      /* Every refusal says what was wrong. */
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.nlab"));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (nn_project_validate (project, NULL));

  first = nn_project_to_data (project, NULL);
  again = nn_project_load_from_data (first, -1, "again.nlab", NULL, &error);
  g_assert_no_error (error);
  second = nn_project_to_data (again, NULL);
  g_assert_cmpstr (first, ==, second);
  return 0;
}
