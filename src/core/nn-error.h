/* nn-error.h: the engine's error domain.
 *
 * The core never translates: it reports a code and an English message that names the
 * file, the field and the problem. The app maps codes to translated text where it must.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NN_ERROR (nn_error_quark ())

typedef enum
{
  NN_ERROR_INVALID,      /* a value is out of range or of the wrong kind */
  NN_ERROR_PARSE,        /* the file is not what it claims to be (not JSON, bad CSV) */
  NN_ERROR_SHAPE,        /* weights or data do not fit the network */
  NN_ERROR_UNSUPPORTED,  /* a newer format version, or a combination the engine refuses */
  NN_ERROR_DIVERGED,     /* training produced NaN or infinity */
  NN_ERROR_IO,           /* reading or writing failed */
} NnError;

GQuark nn_error_quark (void);

G_END_DECLS
