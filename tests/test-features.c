/* test-features.c: feature expansion, feature lists and their errors. */
#include "nn-features.h"
#include "nn-dataset.h"
#include "nn-error.h"

#include <math.h>
#include <string.h>

static void
test_count (void)
{
  g_assert_cmpuint (nn_features_count (0), ==, 0);
  g_assert_cmpuint (nn_features_count (NN_FEATURES_ALL), ==, NN_N_FEATURES);
  g_assert_cmpuint (nn_features_count (NN_FEATURE_X1 | NN_FEATURE_SIN_X2), ==, 2);
  g_assert_cmpuint (nn_features_count (NN_FEATURE_X1_X2), ==, 1);
}

/* All seven features of three points, read from an NnPoint array with stride 3, into rows
 * padded to a longer stride: every value and the untouched padding are checked. */
static void
test_expand_all (void)
{
  const NnPoint pts[] = { { 1.0, 2.0, 0.0 }, { -3.0, 0.5, 1.0 }, { 0.0, -6.0, 0.0 } };
  const gsize n = G_N_ELEMENTS (pts), stride = 5;
  double out[NN_N_FEATURES * 5];

  for (gsize i = 0; i < G_N_ELEMENTS (out); i++)
    out[i] = 999.0;
  nn_features_expand (NN_FEATURES_ALL, &pts[0].x1, &pts[0].x2, 3, n, out, stride);

  for (gsize i = 0; i < n; i++)
    {
      double a = pts[i].x1, b = pts[i].x2;
      const double expected[NN_N_FEATURES] = { a, b, a * a, b * b, a * b, sin (a), sin (b) };

      for (guint f = 0; f < NN_N_FEATURES; f++)
        g_assert_cmpfloat (out[f * stride + i], ==, expected[f]);
    }
  for (guint f = 0; f < NN_N_FEATURES; f++)
    for (gsize i = n; i < stride; i++)
      g_assert_cmpfloat (out[f * stride + i], ==, 999.0);
}

/* Rows follow mask-bit order whatever subset is chosen. */
static void
test_expand_subset (void)
{
  const double x1[] = { 0.5, -2.0 };
  const double x2[] = { 4.0, 3.0 };
  double out[2 * 2];

  nn_features_expand (NN_FEATURE_SIN_X1 | NN_FEATURE_X1_X2, x1, x2, 1, 2, out, 2);
  g_assert_cmpfloat (out[0], ==, 2.0);
  g_assert_cmpfloat (out[1], ==, -6.0);
  g_assert_cmpfloat (out[2], ==, sin (0.5));
  g_assert_cmpfloat (out[3], ==, sin (-2.0));

  nn_features_expand (NN_FEATURE_X2 | NN_FEATURE_X2_SQ, x1, x2, 1, 2, out, 2);
  g_assert_cmpfloat (out[0], ==, 4.0);
  g_assert_cmpfloat (out[1], ==, 3.0);
  g_assert_cmpfloat (out[2], ==, 16.0);
  g_assert_cmpfloat (out[3], ==, 9.0);
}

static void
test_parse_list (void)
{
  GError *error = NULL;
  guint mask = 0;

  g_assert_true (nn_features_parse_list ("x1,x2,sin(x1)", &mask, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mask, ==, NN_FEATURE_X1 | NN_FEATURE_X2 | NN_FEATURE_SIN_X1);

  g_assert_true (nn_features_parse_list ("  sin( x2 ) , x1 * x2,x1^2 ", &mask, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mask, ==, NN_FEATURE_SIN_X2 | NN_FEATURE_X1_X2 | NN_FEATURE_X1_SQ);

  g_assert_true (nn_features_parse_list ("x2^2", &mask, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mask, ==, NN_FEATURE_X2_SQ);

  g_assert_true (nn_features_parse_list ("x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)", &mask,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmphex (mask, ==, NN_FEATURES_ALL);
}

/* Each bad list is refused, the message names the culprit, and the mask is untouched. */
static void
test_parse_list_errors (void)
{
  const struct
  {
    const char *list;
    const char *named;
  } cases[] = {
    { "x1,foo", "'foo'" },
    { "x1,x2,x1", "'x1'" },
    { "sin(x1), sin (x1)", "'sin(x1)'" },
    { "x1,,x2", "item 2" },
    { "x1,", "item 2" },
    { ",x1", "item 1" },
    { "", "empty" },
    { "   ", "empty" },
    { "x3", "'x3'" },
    { "X1", "'X1'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      guint mask = 0x55;

      g_test_message ("list '%s'", cases[i].list);
      g_assert_false (nn_features_parse_list (cases[i].list, &mask, &error));
      g_assert_error (error, NN_ERROR, NN_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].named));
      g_assert_cmphex (mask, ==, 0x55);
      g_clear_error (&error);
    }
}

static void
test_to_list (void)
{
  g_autofree char *all = nn_features_to_list (NN_FEATURES_ALL);
  g_autofree char *none = nn_features_to_list (0);
  g_autofree char *some = nn_features_to_list (NN_FEATURE_SIN_X2 | NN_FEATURE_X1);

  g_assert_cmpstr (all, ==, "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (some, ==, "x1,sin(x2)");
}

/* to_list and parse_list are inverses over every non-empty mask. */
static void
test_round_trip (void)
{
  for (guint mask = 1; mask <= NN_FEATURES_ALL; mask++)
    {
      g_autofree char *list = nn_features_to_list (mask);
      GError *error = NULL;
      guint parsed = 0;
      g_auto (GStrv) items = g_strsplit (list, ",", -1);

      g_assert_true (nn_features_parse_list (list, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmphex (parsed, ==, mask);
      g_assert_cmpuint (g_strv_length (items), ==, nn_features_count (mask));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/features/count", test_count);
  g_test_add_func ("/features/expand-all", test_expand_all);
  g_test_add_func ("/features/expand-subset", test_expand_subset);
  g_test_add_func ("/features/parse-list", test_parse_list);
  g_test_add_func ("/features/parse-list-errors", test_parse_list_errors);
  g_test_add_func ("/features/to-list", test_to_list);
  g_test_add_func ("/features/round-trip", test_round_trip);

  return g_test_run ();
}
