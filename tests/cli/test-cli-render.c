/* test-cli-render.c: `neural-lab-cli render` as a user runs it — every view to a PNG of
 * the size asked for, with the picture the view must show; SVG and PDF that keep text as
 * text; bad views, sizes, samples and formats refused with no file left behind. */
#include <string.h>
#include <cairo.h>
#include <glib.h>

#include "cli-test-utils.h"

/* p.nlab: a small project on the circle, [4, 2] tanh on x1, x2. */
static void
make_project (CliFixture *f)
{
  g_assert_cmpint (cli_run (f, "new", "-o", "p.nlab", "--dataset", "circle", "--count", "200",
                            "--hidden", "4,2", "--seed", "5", NULL), ==, 0);
}

static cairo_surface_t *
load_png (CliFixture *f, const char *name)
{
  g_autofree char *path = cli_path (f, name);
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  return png;
}

/* How many distinct colours the picture has (up to `cap`): a blank figure has one. */
static guint
count_colours (cairo_surface_t *png, guint cap)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png);
  int stride = cairo_image_surface_get_stride (png);
  const guint8 *data = cairo_image_surface_get_data (png);

  for (int y = 0; y < h && g_hash_table_size (seen) < cap; y += 3)
    for (int x = 0; x < w; x += 3)
      {
        guint32 px = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);

        g_hash_table_add (seen, GUINT_TO_POINTER (px & 0xffffff));
      }
  return g_hash_table_size (seen);
}

static void
test_every_view (CliFixture *f, gconstpointer data)
{
  static const char *const views[] = { "network", "output", "loss", "explain", "all" };

  make_project (f);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.png", views[i]);
      cairo_surface_t *png;

      g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", views[i], "--epochs", "20",
                                "--width", "800", "--height", "600", "-o", name, NULL), ==, 0);
      png = load_png (f, name);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, 800);
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, 600);
      /* Drawn, not blank: heatmaps, lines and text give many colours. */
      g_assert_cmpuint (count_colours (png, 50), >=, 50);
      cairo_surface_destroy (png);
    }
}

/* The output view of a trained circle: the centre of the plane and its corners are on
 * opposite sides of the boundary, so their colours differ. */
static void
test_output_shows_the_boundary (CliFixture *f, gconstpointer data)
{
  cairo_surface_t *png;
  const guint8 *d;
  int stride;
  guint32 centre, corner;

  make_project (f);
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", "output", "--epochs", "300",
                            "--width", "900", "--height", "900", "-o", "o.png", NULL), ==, 0);
  png = load_png (f, "o.png");
  d = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);
  /* The plot is square and centred-left in the figure; sample well inside it. */
  {
    int cx = 0, cy = 0, n = 0;
    int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png);

    /* Find the plot: the bounding box of strongly coloured pixels (the heatmap). */
    int x0 = w, y0 = h, x1 = 0, y1 = 0;
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          guint32 p = *(const guint32 *) (d + (gsize) y * stride + 4 * (gsize) x);
          int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

          if (MAX (MAX (r, g), b) - MIN (MIN (r, g), b) > 60)
            {
              x0 = MIN (x0, x), y0 = MIN (y0, y), x1 = MAX (x1, x), y1 = MAX (y1, y);
              n++;
            }
        }
    g_assert_cmpint (n, >, 1000);
    cx = (x0 + x1) / 2;
    cy = (y0 + y1) / 2;
    centre = *(const guint32 *) (d + (gsize) cy * stride + 4 * (gsize) cx);
    corner = *(const guint32 *) (d + (gsize) (y0 + 4) * stride + 4 * (gsize) (x0 + 4));
  }
  g_assert_cmpuint (centre & 0xffffff, !=, corner & 0xffffff);
  cairo_surface_destroy (png);
}

static void
test_vector_formats (CliFixture *f, gconstpointer data)
{
  g_autofree char *svg = NULL, *pdf = NULL;
  gsize length;

  make_project (f);
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", "loss", "--epochs", "5", "-o",
                            "l.svg", NULL), ==, 0);
  svg = cli_read (f, "l.svg", &length);
  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "<path"));
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", "network", "--format", "pdf",
                            "--dark", "-o", "n.out", NULL), ==, 0);
  pdf = cli_read (f, "n.out", &length);
  g_assert_true (length > 5 && memcmp (pdf, "%PDF-", 5) == 0);
}

static void
test_bad_input_refused (CliFixture *f, gconstpointer data)
{
  make_project (f);
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", "landscape", "-o", "x.png", NULL),
                   ==, 1);
  cli_assert_refused_without (f, "landscape", "x.png");
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--width", "0", "-o", "x.png", NULL), ==, 1);
  cli_assert_refused_without (f, "--width", "x.png");
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--height", "20000", "-o", "x.png", NULL),
                   ==, 1);
  cli_assert_refused_without (f, "--height", "x.png");
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "-o", "x.gif", NULL), ==, 1);
  cli_assert_refused_without (f, "x.gif", "x.gif");
  g_assert_cmpint (cli_run (f, "render", "p.nlab", "--view", "explain", "--sample", "200",
                            "-o", "x.png", NULL), ==, 1);
  cli_assert_refused_without (f, "--sample", "x.png");
  g_assert_cmpint (cli_run (f, "render", "missing.nlab", "-o", "x.png", NULL), ==, 1);
  cli_assert_refused_without (f, "missing.nlab", "x.png");
  g_assert_cmpint (cli_run (f, "render", "p.nlab", NULL), ==, 1);
  cli_assert_refused (f, "-o");
}

/* compare --figure: the race's picture, at the compare window's export size. */
static void
test_race_figure (CliFixture *f, gconstpointer data)
{
  cairo_surface_t *png;

  g_assert_cmpint (cli_run (f, "compare", "--preset", "local-minimum", "--figure", "race.png",
                            NULL), ==, 0);
  png = load_png (f, "race.png");
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1400);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 1280);
  g_assert_cmpuint (count_colours (png, 50), >=, 50);
  cairo_surface_destroy (png);

  g_assert_cmpint (cli_run (f, "compare", "--surface", "bowl", "--figure", "race.bmp", NULL),
                   ==, 1);
  cli_assert_refused_without (f, "race.bmp", "race.bmp");
  make_project (f);
  g_assert_cmpint (cli_run (f, "compare", "--project", "p.nlab", "--figure", "n.png", NULL),
                   ==, 1);
  cli_assert_refused_without (f, "--figure", "n.png");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-render/every-view", CliFixture, NULL, cli_fixture_set_up, test_every_view,
              cli_fixture_tear_down);
  g_test_add ("/cli-render/output-shows-the-boundary", CliFixture, NULL, cli_fixture_set_up,
              test_output_shows_the_boundary, cli_fixture_tear_down);
  g_test_add ("/cli-render/vector-formats", CliFixture, NULL, cli_fixture_set_up,
              test_vector_formats, cli_fixture_tear_down);
  g_test_add ("/cli-render/bad-input-refused", CliFixture, NULL, cli_fixture_set_up,
              test_bad_input_refused, cli_fixture_tear_down);
  g_test_add ("/cli-render/race-figure", CliFixture, NULL, cli_fixture_set_up,
              test_race_figure, cli_fixture_tear_down);
  return g_test_run ();
}
