/* fuzz-weights.c: libFuzzer harness for importing weights (JSON and .npz).
 *
 * Whatever the bytes, the import either fills the parameters with finite values or fails
 * with an error and leaves them exactly as they were. */
#include "nn-export.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The shape of the seed files: x1, x2 → 3 tanh → 1 tanh. */
  const NnArchitecture arch = {
    .n_inputs = 2, .n_hidden = 1, .units = { 3 }, .activation = { NN_ACTIVATION_TANH },
    .alpha = { NN_DEFAULT_LEAKY_ALPHA }, .n_outputs = 1,
    .output_activation = NN_ACTIVATION_TANH, .output_alpha = NN_DEFAULT_LEAKY_ALPHA,
  };
  const gsize n_params = 3 * 2 + 3 + 3 + 1;
  double params[13], before[13];
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);

  for (gsize i = 0; i < n_params; i++)
    params[i] = before[i] = 0.25 * (double) i;

  for (guint name = 0; name < 2; name++)
    {
      g_autoptr (GError) error = NULL;
      const char *file = name == 0 ? "fuzz.json" : "fuzz.npz";

      if (nn_import_weights_from_bytes (bytes, file, NN_FEATURE_X1 | NN_FEATURE_X2, &arch,
                                        params, &error))
        {
          for (gsize i = 0; i < n_params; i++)
            g_assert_true (isfinite (params[i]));
          memcpy (params, before, sizeof params);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_cmpmem (params, sizeof params, before, sizeof before);
        }
    }
  return 0;
}
