/* nl-dataset-picker.c: dataset thumbnails in a flow box. */
#include <glib/gi18n.h>

#include "nl-dataset-picker.h"
#include "nl-names.h"
#include "nl-render.h"
#include "nn-dataset.h"

#define THUMBNAIL_SIZE 64

typedef struct
{
  NnGenerator generator;
  NnDataset  *dataset;     /* a small sample, only for the picture */
  GtkWidget  *child;       /* GtkFlowBoxChild */
  GtkWidget  *area;
} Thumbnail;

struct _NlDatasetPicker
{
  GtkWidget  parent_instance;

  GtkWidget *flow_box;
  Thumbnail  thumbnails[NN_GENERATOR_POINTS];  /* the generators, not points or CSV */
  NnProblem  problem;
  NnGenerator generator;
  gboolean   dark;
  gboolean   syncing;
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

  if (thumb->dataset == NULL)
    return;

  nl_boundary_layout_compute (&layout, NL_BOUNDARY_LAYOUT_NO_AXES | NL_BOUNDARY_LAYOUT_NO_LEGEND,
                              width, height, style);
  nl_boundary_scene_init (&scene);
  scene.problem = thumb->dataset->problem;
  scene.n_classes = thumb->dataset->problem == NN_PROBLEM_CLASSIFICATION
                      ? thumb->dataset->classes : 0;
  scene.train = thumb->dataset->train;
  scene.n_train = thumb->dataset->n_train;
  scene.show_train = TRUE;
  scene.show_test = FALSE;
  scene.highlight_index = -1;
  nl_render_boundary (cr, &layout, &scene, style, NULL);
}

static void
on_child_activated (GtkFlowBox *box, GtkFlowBoxChild *child, NlDatasetPicker *self)
{
  NnGenerator generator = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (child), "nl-generator"));

  if (self->syncing)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-dataset", "s",
                              nn_generator_to_string (generator));
}

static NnDataset *
sample_dataset (NnGenerator generator)
{
  NnDatasetSpec spec;
  NnDataset *dataset;

  nn_dataset_spec_init (&spec);
  spec.generator = generator;
  spec.problem = nn_generator_problem (generator);
  spec.classes = generator == NN_GENERATOR_BLOBS ? 3 : 2;
  spec.count = 200;
  spec.noise = 0.1;
  spec.train_ratio = 0.9;
  dataset = nn_dataset_new_from_spec (&spec, 7, NULL, NULL);
  nn_dataset_spec_clear (&spec);
  return dataset;
}

static void
build_thumbnails (NlDatasetPicker *self)
{
  for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
    {
      Thumbnail *thumb = &self->thumbnails[g];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label = gtk_label_new (nl_names_generator (g));
      GtkWidget *frame = gtk_frame_new (NULL);

      thumb->generator = g;
      thumb->dataset = sample_dataset (g);
      thumb->area = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (thumb->area), THUMBNAIL_SIZE);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (thumb->area), THUMBNAIL_SIZE);
      g_object_set_data (G_OBJECT (thumb->area), "nl-picker", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (thumb->area), draw_thumbnail, thumb, NULL);
      gtk_frame_set_child (GTK_FRAME (frame), thumb->area);
      gtk_widget_add_css_class (frame, "dataset-thumbnail");
      gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), frame);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);

      thumb->child = gtk_flow_box_child_new ();
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (thumb->child), box);
      gtk_widget_set_tooltip_text (thumb->child, nl_names_generator (g));
      g_object_set_data (G_OBJECT (thumb->child), "nl-generator", GUINT_TO_POINTER (g));
      gtk_flow_box_append (GTK_FLOW_BOX (self->flow_box), thumb->child);
    }
}

static void
nl_dataset_picker_dispose (GObject *object)
{
  NlDatasetPicker *self = NL_DATASET_PICKER (object);

  g_clear_pointer (&self->flow_box, gtk_widget_unparent);
  for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
    g_clear_pointer (&self->thumbnails[g].dataset, nn_dataset_free);

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
  self->flow_box = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow_box), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (self->flow_box), TRUE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow_box), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow_box), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow_box), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow_box), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow_box), 4);
  gtk_widget_set_parent (self->flow_box, GTK_WIDGET (self));
  g_signal_connect (self->flow_box, "child-activated", G_CALLBACK (on_child_activated), self);

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
      self->problem = problem;
      for (guint g = 0; g < G_N_ELEMENTS (self->thumbnails); g++)
        gtk_widget_set_visible (self->thumbnails[g].child, nn_generator_problem (g) == problem);
    }
  self->generator = generator;
  if ((guint) generator < G_N_ELEMENTS (self->thumbnails))
    gtk_flow_box_select_child (GTK_FLOW_BOX (self->flow_box),
                               GTK_FLOW_BOX_CHILD (self->thumbnails[generator].child));
  else
    gtk_flow_box_unselect_all (GTK_FLOW_BOX (self->flow_box));
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
