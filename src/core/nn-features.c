/* nn-features.c: the input features derived from a point (x1, x2) of the plane.
 *
 * Features are always laid out in mask-bit order (x1, x2, x1², x2², x1·x2, sin x1, sin x2),
 * whatever order a list names them in, so a mask alone fixes the network's input layout.
 */
#include "nn-features.h"
#include "nn-error.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

guint
nn_features_count (guint mask)
{
  guint n = 0;

  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (mask & (1u << i))
      n++;
  return n;
}

/* One feature of n points into a contiguous row. Kept as a switch outside the loop so
 * each row is one simple loop over the points. */
static void
expand_row (NnFeature f, const double *x1, const double *x2, gsize in_stride, gsize n,
            double *row)
{
  switch (f)
    {
    case NN_FEATURE_X1:
      for (gsize i = 0; i < n; i++)
        row[i] = x1[i * in_stride];
      break;
    case NN_FEATURE_X2:
      for (gsize i = 0; i < n; i++)
        row[i] = x2[i * in_stride];
      break;
    case NN_FEATURE_X1_SQ:
      for (gsize i = 0; i < n; i++)
        row[i] = x1[i * in_stride] * x1[i * in_stride];
      break;
    case NN_FEATURE_X2_SQ:
      for (gsize i = 0; i < n; i++)
        row[i] = x2[i * in_stride] * x2[i * in_stride];
      break;
    case NN_FEATURE_X1_X2:
      for (gsize i = 0; i < n; i++)
        row[i] = x1[i * in_stride] * x2[i * in_stride];
      break;
    case NN_FEATURE_SIN_X1:
      for (gsize i = 0; i < n; i++)
        row[i] = sin (x1[i * in_stride]);
      break;
    case NN_FEATURE_SIN_X2:
      for (gsize i = 0; i < n; i++)
        row[i] = sin (x2[i * in_stride]);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
nn_features_expand (guint mask, const double *x1, const double *x2, gsize in_stride,
                    gsize n, double *out, gsize stride)
{
  guint row = 0;

  g_return_if_fail (n == 0 || (x1 != NULL && x2 != NULL && out != NULL));
  g_return_if_fail (stride >= n);

  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (mask & (1u << i))
      expand_row (nn_feature_nth (i), x1, x2, in_stride, n, out + (gsize) row++ * stride);
}

/* Lets people write "sin( x1 )" or "x1 * x2": whitespace never belongs to a name. */
static char *
strip_all_space (const char *s)
{
  GString *str = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (str, *p);
  return g_string_free (str, FALSE);
}

static char *
known_names (void)
{
  return nn_features_to_list (NN_FEATURES_ALL);
}

gboolean
nn_features_parse_list (const char *list, guint *mask, GError **error)
{
  g_auto (GStrv) items = NULL;
  guint result = 0;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (mask != NULL, FALSE);

  items = g_strsplit (list, ",", -1);
  if (items[0] == NULL || (items[1] == NULL && g_strstrip (items[0])[0] == '\0'))
    {
      g_set_error (error, NN_ERROR, NN_ERROR_INVALID, _("the feature list is empty"));
      return FALSE;
    }

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *name = strip_all_space (items[i]);
      NnFeature f;

      if (name[0] == '\0')
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("item %u of the feature list '%s' is empty"), i + 1, list);
          return FALSE;
        }
      if (!nn_feature_from_string (name, &f))
        {
          g_autofree char *known = known_names ();
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("unknown feature '%s' (known features: %s)"), name, known);
          return FALSE;
        }
      if (result & f)
        {
          g_set_error (error, NN_ERROR, NN_ERROR_INVALID,
                       _("feature '%s' is listed more than once"), name);
          return FALSE;
        }
      result |= f;
    }

  *mask = result;
  return TRUE;
}

char *
nn_features_to_list (guint mask)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < NN_N_FEATURES; i++)
    if (mask & (1u << i))
      {
        if (str->len > 0)
          g_string_append_c (str, ',');
        g_string_append (str, nn_feature_to_string (nn_feature_nth (i)));
      }
  return g_string_free (str, FALSE);
}
