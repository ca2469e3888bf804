/* nl-dataset-picker.c: dataset thumbnails, classification and regression side by side.
 *
 * Every generator of the engine is offered, whatever the problem type: two flow boxes under
 * the headings "Classification" and "Regression", one selection across both. Choosing a
 * generator of the other kind switches the problem (win.set-dataset does that).
 *
 * Classification thumbnails show a small sample of the points in their class colours. A
 * regression target is a value over the whole plane, so its thumbnail is a heatmap of it:
 * a dense noise-free sample binned into a coarse grid, drawn with the boundary view's
 * colour map, which is what the output view will show once the network has learnt it.
 */
#include <glib/gi18n.h>

#include "nl-dataset-picker.h"
#include "nl-names.h"
#include "nl-render.h"
#include "nn-dataset.h"

#define THUMBNAIL_SIZE 64
/* The regression heatmaps: a res × res grid from a sample of this many points. */
#define TARGET_RES     20
#define TARGET_SAMPLE  4000

typedef struct
{
  NnGenerator generator;
  NnDataset  *dataset;     /* classification: a small sample, only for the picture */
  double     *target;      /* regression: TARGET_RES² mean targets, row 0 at x2 = +6 */
  GtkWidget  *child;       /* GtkFlowBoxChild */
  GtkWidget  *area;
} Thumbnail;

enum {
  GROUP_CLASSIFICATION,
  GROUP_REGRESSION,
  N_GROUPS
};

struct _NlDatasetPicker
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *headings[N_GROUPS];
  GtkWidget  *flow_boxes[N_GROUPS];
  Thumbnail   thumbnails[NN_GENERATOR_POINTS];  /* the generators, not points or CSV */
  NnProblem   problem;
  NnGenerator generator;
  gboolean    dark;
  gboolean    syncing;
};

G_DEFINE_FINAL_TYPE (NlDatasetPicker, nl_dataset_picker, GTK_TYPE_WIDGET)

static void
draw_thumbnail (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlDatasetPicker *self = g_object_get_data (G_OBJECT (area), "nl-picker");
  const Thumbnail *thumb = data;
  const NlRenderStyle *style =
    nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
  NlBoundaryLayout layout;
  NlBoundaryScene scene;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_NO_AXES | NL_BOUNDARY_LAYOUT_NO_LEGEND,
                              width, height, style);
  nl_boundary_scene_init (&scene);
  scene.highlight_index = -1;
  scene.show_test = FALSE;
  if (thumb->target != NULL)
    {
      scene.problem = NN_PROBLEM_REGRESSION;
      scene.res = TARGET_RES;
      scene.values = thumb->target;
      scene.value_lo = -1.0;
      scene.value_hi = 1.0;
      scene.show_train = FALSE;
    }
  else if (thumb->dataset != NULL)
    {
      scene.problem = NN_PROBLEM_CLASSIFICATION;
      scene.n_classes = thumb->dataset->classes;
      scene.train = thumb->dataset->train;
      scene.n_train = thumb->dataset->n_train;
      scene.show_train = TRUE;
    }
  else
    return;
  nl_render_boundary (cr, &layout, &scene, style, NULL);
}

static void
select_only (NlDatasetPicker *self, NnGenerator generator)
{
  for (guint g = 0; g < N_GROUPS; g++)
    gtk_flow_box_unselect_all (GTK_FLOW_BOX (self->flow_boxes[g]));
  if ((guint) generator < G_N_ELEMENTS (self->thumbnails))
    {
      GtkWidget *child = self->thumbnails[generator].child;

      gtk_flow_box_select_child (GTK_FLOW_BOX (gtk_widget_get_parent (child)),
                                 GTK_FLOW_BOX_CHILD (child));
    }
}

static void
on_child_activated (GtkFlowBox *box, GtkFlowBoxChild *child, NlDatasetPicker *self)
{
  NnGenerator generator = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), "nl-generator"));

  if (self->syncing)
    return;
  /* One selection across both boxes, even if the window refuses the change. */
  self->syncing = TRUE;
  select_only (self, generator);
  self->syncing = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-dataset", "s",
                              nn_generator_to_string (generator));
  /* The window answers with nl_dataset_picker_set_selection(); if it did not take the
   * generator, show what is really chosen. */
  if (self->generator != generator)
    {
      self->syncing = TRUE;
      select_only (self, self->generator);
      self->syncing = FALSE;
    }
}

static NnDataset *
sample_dataset (NnGenerator generator, guint count, double noise)
{
  NnDatasetSpec spec;
  NnDataset *dataset;

  nn_dataset_spec_init (&spec);
  spec.generator = generator;
  spec.problem = nn_generator_problem (generator);
  spec.classes = generator == NN_GENERATOR_BLOBS || generator == NN_GENERATOR_SPIRAL ? 3 : 2;
  spec.count = count;
  spec.noise = noise;
  spec.train_ratio = 1.0;
  dataset = nn_dataset_new_from_spec (&spec, 7, NULL, NULL);
  nn_dataset_spec_clear (&spec);
  return dataset;
}

/* The regression target over the plane: the mean of a dense noise-free sample in each
 * cell; a cell the sample missed takes the mean of its neighbours. */
static double *
target_grid (NnGenerator generator)
{
  g_autoptr(NnDataset) ds = sample_dataset (generator, TARGET_SAMPLE, 0.0);
  const double span = NN_PLANE_MAX - NN_PLANE_MIN;
  g_autofree double *sum = g_new0 (double, TARGET_RES * TARGET_RES);
  g_autofree guint *n = g_new0 (guint, TARGET_RES * TARGET_RES);
  double *grid;

  if (ds == NULL)
    return NULL;
  for (guint i = 0; i < ds->n_train; i++)
    {
      const NnPoint *p = &ds->train[i];
      int col = (int) ((p->x1 - NN_PLANE_MIN) / span * TARGET_RES);
      int row = (int) ((NN_PLANE_MAX - p->x2) / span * TARGET_RES);

      col = CLAMP (col, 0, TARGET_RES - 1);
      row = CLAMP (row, 0, TARGET_RES - 1);
      sum[row * TARGET_RES + col] += p->y;
      n[row * TARGET_RES + col]++;
    }

  grid = g_new0 (double, TARGET_RES * TARGET_RES);
  for (int row = 0; row < TARGET_RES; row++)
    for (int col = 0; col < TARGET_RES; col++)
      {
        double s = 0;
        guint k = 0;

        if (n[row * TARGET_RES + col] > 0)
          {
            grid[row * TARGET_RES + col] = sum[row * TARGET_RES + col] / n[row * TARGET_RES + col];
            continue;
          }
        for (int r = MAX (row - 1, 0); r <= MIN (row + 1, TARGET_RES - 1); r++)
          for (int c = MAX (col - 1, 0); c <= MIN (col + 1, TARGET_RES - 1); c++)
            if (n[r * TARGET_RES + c] > 0)
              s += sum[r * TARGET_RES + c] / n[r * TARGET_RES + c], k++;
        grid[row * TARGET_RES + col] = k > 0 ? s / k : 0.0;
      }
  return grid;
}

static const char *
generator_description (NnGenerator g)
{
  switch (g)
    {
    case NN_GENERATOR_CIRCLE:
      return _("Circle: one class inside a ring of the other");
    case NN_GENERATOR_XOR:
      return _("XOR: opposite quadrants share a class");
    case NN_GENERATOR_GAUSS:
      return _("Gaussian: two clouds of points");
    case NN_GENERATOR_SPIRAL:
      return _("Spiral: two to four arms winding around each other");
    case NN_GENERATOR_MOONS:
      return _("Moons: two interleaving half circles");
    case NN_GENERATOR_BLOBS:
      return _("Blobs: two to eight clusters, one per class");
    case NN_GENERATOR_PLANE:
      return _("Plane: the target rises evenly from one corner to the other");
    case NN_GENERATOR_MULTI_GAUSS:
      return _("Hills: six bumps, up and down");
    case NN_GENERATOR_SINE_RIDGE:
      return _("Sine ridge: a wave in both directions");
    case NN_GENERATOR_POINTS:
    case NN_GENERATOR_CSV:
    case NN_N_GENERATORS:
    default:
      return "";
    }
}

static GtkWidget *
flow_box_new (NlDatasetPicker *self)
{
  GtkWidget *box = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (box), TRUE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (box), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (box), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (box), 4);
  g_signal_connect (box, "child-activated", G_CALLBACK (on_child_activated), self);
  return box;
}

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
build_thumbnails (NlDatasetPicker *self)
{
  for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
    {
      Thumbnail *thumb = &self->thumbnails[g];
      gboolean regression = nn_generator_is_regression (g);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label = gtk_label_new (nl_names_generator (g));
      GtkWidget *frame = gtk_frame_new (NULL);

      thumb->generator = g;
      if (regression)
        thumb->target = target_grid (g);
      else
        thumb->dataset = sample_dataset (g, 200, 0.1);
      thumb->area = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (thumb->area), THUMBNAIL_SIZE);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (thumb->area), THUMBNAIL_SIZE);
      g_object_set_data (G_OBJECT (thumb->area), "nl-picker", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (thumb->area), draw_thumbnail, thumb, NULL);
      gtk_frame_set_child (GTK_FRAME (frame), thumb->area);
      gtk_widget_add_css_class (frame, "dataset-thumbnail");
      gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), frame);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);

      thumb->child = gtk_flow_box_child_new ();
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (thumb->child), box);
      gtk_widget_set_tooltip_text (thumb->child, generator_description (g));
      g_object_set_data (G_OBJECT (thumb->child), "nl-generator", GUINT_TO_POINTER (g));
      gtk_flow_box_append (GTK_FLOW_BOX (self->flow_boxes[regression ? GROUP_REGRESSION
                                                                     : GROUP_CLASSIFICATION]),
                           thumb->child);
    }
}

static void
nl_dataset_picker_dispose (GObject *object)
{
  NlDatasetPicker *self = NL_DATASET_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
    {
      g_clear_pointer (&self->thumbnails[g].dataset, nn_dataset_free);
      g_clear_pointer (&self->thumbnails[g].target, g_free);
    }

  G_OBJECT_CLASS (nl_dataset_picker_parent_class)->dispose (object);
}

static void
nl_dataset_picker_class_init (NlDatasetPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_dataset_picker_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nldatasetpicker");
}

static void
nl_dataset_picker_init (NlDatasetPicker *self)
{
  static const char *const headings[N_GROUPS] = {
    N_("Classification"), N_("Regression"),
  };

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  for (guint g = 0; g < N_GROUPS; g++)
    {
      self->headings[g] = heading_new (_(headings[g]));
      self->flow_boxes[g] = flow_box_new (self);
      gtk_box_append (GTK_BOX (self->box), self->headings[g]);
      gtk_box_append (GTK_BOX (self->box), self->flow_boxes[g]);
    }

  build_thumbnails (self);
  self->problem = NN_N_PROBLEMS;
  nl_dataset_picker_set_selection (self, NN_PROBLEM_CLASSIFICATION, NN_GENERATOR_CIRCLE);
}

GtkWidget *
nl_dataset_picker_new (void)
{
  return g_object_new (NL_TYPE_DATASET_PICKER, NULL);
}

void
nl_dataset_picker_set_selection (NlDatasetPicker *self, NnProblem problem, NnGenerator generator)
{
  g_return_if_fail (NL_IS_DATASET_PICKER (self));

  self->syncing = TRUE;
  if (problem != self->problem)
    {
      /* The heading of the problem being solved stands out; the other set stays
       * choosable. */
      self->problem = problem;
      for (guint g = 0; g < N_GROUPS; g++)
        {
          gboolean current = (g == GROUP_REGRESSION) == (problem == NN_PROBLEM_REGRESSION);

          if (current)
            gtk_widget_remove_css_class (self->headings[g], "dim-label");
          else
            gtk_widget_add_css_class (self->headings[g], "dim-label");
        }
    }
  self->generator = generator;
  select_only (self, generator);
  self->syncing = FALSE;
}

void
nl_dataset_picker_set_dark (NlDatasetPicker *self, gboolean dark)
{
  g_return_if_fail (NL_IS_DATASET_PICKER (self));

  if (self->dark == !!dark)
    return;
  self->dark = !!dark;
  for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
    gtk_widget_queue_draw (self->thumbnails[g].area);
}
