/* nl-figure-dialog.c: view, format and size of a figure, with a preview. */
#include <glib/gi18n.h>
#include <math.h>

#include "nl-figure-dialog.h"
#include "nl-export-chooser.h"

typedef struct
{
  const char *name;  /* translated at use */
  int         width, height;
} SizePreset;

/* A4 at 96 px to the inch is 1123 × 794: a PDF of that size is an A4 page. */
static const SizePreset presets[] = {
  { N_("Slide, 1280 × 720"), 1280, 720 },
  { N_("Full HD slide, 1920 × 1080"), 1920, 1080 },
  { N_("A4 landscape"), 1123, 794 },
  { N_("A4 portrait"), 794, 1123 },
  { N_("Square, 1080 × 1080"), 1080, 1080 },
  { N_("Custom"), 0, 0 },
};
#define CUSTOM_PRESET (G_N_ELEMENTS (presets) - 1)

struct _NlFigureDialog
{
  GtkWindow      parent_instance;

  /* Template widgets */
  GtkWidget     *cancel_button;
  GtkWidget     *export_button;
  GtkWidget     *view_dropdown;
  GtkWidget     *format_dropdown;
  GtkWidget     *size_dropdown;
  GtkAdjustment *width_adjustment;
  GtkAdjustment *height_adjustment;
  GtkWidget     *dark_check;
  GtkWidget     *preview_area;
  GtkWidget     *preview_label;

  NlWindow      *window;   /* weak */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (NlFigureDialog, nl_figure_dialog, GTK_TYPE_WINDOW)

static gboolean
dialog_dark (NlFigureDialog *self)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->dark_check));
}

/* The figure scaled into the preview, as it will be written, on a drop shadow. */
static void
draw_preview (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlFigureDialog *self = data;
  int fw, fh;
  double s, x, y;

  if (self->window == NULL)
    return;
  nl_figure_dialog_get_size (self, &fw, &fh);
  s = MIN ((width - 8.0) / fw, (height - 8.0) / fh);
  x = floor ((width - fw * s) / 2);
  y = floor ((height - fh * s) / 2);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.18);
  cairo_rectangle (cr, x + 1, y + 2, fw * s, fh * s);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, fw * s, fh * s);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, s, s);
  nl_window_draw_figure (self->window, nl_figure_dialog_get_view (self), dialog_dark (self), cr,
                         fw, fh);
  cairo_restore (cr);
}

static void
update (NlFigureDialog *self)
{
  int w, h;
  g_autofree char *label = NULL;

  nl_figure_dialog_get_size (self, &w, &h);
  if (nl_figure_dialog_get_format (self) == NL_FIGURE_PDF)
    label = g_strdup_printf (_("%d × %d px, a page of %.0f × %.0f mm"), w, h, w * 25.4 / 96,
                             h * 25.4 / 96);
  else
    label = g_strdup_printf (_("%d × %d px"), w, h);
  gtk_label_set_label (GTK_LABEL (self->preview_label), label);
  gtk_widget_queue_draw (self->preview_area);
}

static void
on_size_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlFigureDialog *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->syncing || i >= CUSTOM_PRESET)
    return;
  self->syncing = TRUE;
  gtk_adjustment_set_value (self->width_adjustment, presets[i].width);
  gtk_adjustment_set_value (self->height_adjustment, presets[i].height);
  self->syncing = FALSE;
  update (self);
}

/* A size typed by hand selects its preset, or Custom. */
static void
on_size_changed (GtkAdjustment *adjustment, NlFigureDialog *self)
{
  int w, h;
  guint match = CUSTOM_PRESET;

  if (self->syncing)
    return;
  nl_figure_dialog_get_size (self, &w, &h);
  for (guint i = 0; i < CUSTOM_PRESET; i++)
    if (presets[i].width == w && presets[i].height == h)
      match = i;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->size_dropdown), match);
  self->syncing = FALSE;
  update (self);
}

static void
on_changed (GObject *object, GParamSpec *pspec, NlFigureDialog *self)
{
  update (self);
}

static void
on_chooser_response (GtkNativeDialog *chooser, int response, NlFigureDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && nl_figure_dialog_export_to (self, file, &error))
        gtk_window_destroy (GTK_WINDOW (self));
      else if (file != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *primary = g_strdup_printf (_("Could not export the figure “%s”"), name);

          nl_window_show_error (GTK_WINDOW (self), primary, error->message);
        }
    }
  g_object_unref (chooser);
}

static void
on_export_clicked (GtkButton *button, NlFigureDialog *self)
{
  NlFigureFormat format = nl_figure_dialog_get_format (self);
  const char *extension = nl_figure_format_extension (format);
  g_autofree char *name = g_strdup_printf ("%s.%s",
                                           nl_figure_view_file_stem (nl_figure_dialog_get_view (self)),
                                           extension);
  GListModel *formats = gtk_drop_down_get_model (GTK_DROP_DOWN (self->format_dropdown));

  nl_export_chooser_show (GTK_WINDOW (self), _("Export Figure"),
                          gtk_string_list_get_string (GTK_STRING_LIST (formats), format),
                          extension, name, G_CALLBACK (on_chooser_response), self);
}

static void
on_cancel_clicked (GtkButton *button, NlFigureDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
nl_figure_dialog_dispose (GObject *object)
{
  NlFigureDialog *self = NL_FIGURE_DIALOG (object);

  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (nl_figure_dialog_parent_class)->dispose (object);
}

static void
nl_figure_dialog_class_init (NlFigureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_figure_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-figure-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, size_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, width_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, height_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, dark_check);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, preview_area);
  gtk_widget_class_bind_template_child (widget_class, NlFigureDialog, preview_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
nl_figure_dialog_init (NlFigureDialog *self)
{
  g_autoptr(GtkStringList) sizes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    gtk_string_list_append (sizes, _(presets[i].name));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->size_dropdown), G_LIST_MODEL (sizes));

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->preview_area), draw_preview, self,
                                  NULL);
  g_signal_connect (self->size_dropdown, "notify::selected", G_CALLBACK (on_size_selected), self);
  g_signal_connect (self->width_adjustment, "value-changed", G_CALLBACK (on_size_changed), self);
  g_signal_connect (self->height_adjustment, "value-changed", G_CALLBACK (on_size_changed), self);
  g_signal_connect (self->view_dropdown, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect (self->format_dropdown, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect (self->dark_check, "notify::active", G_CALLBACK (on_changed), self);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
}

NlFigureDialog *
nl_figure_dialog_new (NlWindow *window, NlFigureView view)
{
  NlFigureDialog *self;

  g_return_val_if_fail (NL_IS_WINDOW (window), NULL);

  self = g_object_new (NL_TYPE_FIGURE_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  nl_figure_dialog_set_view (self, view);
  update (self);
  return self;
}

void
nl_figure_dialog_set_view (NlFigureDialog *self, NlFigureView view)
{
  g_return_if_fail (NL_IS_FIGURE_DIALOG (self));
  g_return_if_fail (view < NL_N_FIGURE_VIEWS);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->view_dropdown), view);
}

NlFigureView
nl_figure_dialog_get_view (NlFigureDialog *self)
{
  g_return_val_if_fail (NL_IS_FIGURE_DIALOG (self), NL_FIGURE_VIEW_NETWORK);

  return MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->view_dropdown)),
              NL_N_FIGURE_VIEWS - 1);
}

void
nl_figure_dialog_set_format (NlFigureDialog *self, NlFigureFormat format)
{
  g_return_if_fail (NL_IS_FIGURE_DIALOG (self));
  g_return_if_fail (format < NL_N_FIGURE_FORMATS);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->format_dropdown), format);
}

NlFigureFormat
nl_figure_dialog_get_format (NlFigureDialog *self)
{
  g_return_val_if_fail (NL_IS_FIGURE_DIALOG (self), NL_FIGURE_PNG);

  return MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->format_dropdown)),
              NL_N_FIGURE_FORMATS - 1);
}

void
nl_figure_dialog_set_size (NlFigureDialog *self, int width, int height)
{
  g_return_if_fail (NL_IS_FIGURE_DIALOG (self));

  gtk_adjustment_set_value (self->width_adjustment, width);
  gtk_adjustment_set_value (self->height_adjustment, height);
}

void
nl_figure_dialog_get_size (NlFigureDialog *self, int *width, int *height)
{
  g_return_if_fail (NL_IS_FIGURE_DIALOG (self));

  *width = (int) gtk_adjustment_get_value (self->width_adjustment);
  *height = (int) gtk_adjustment_get_value (self->height_adjustment);
}

gboolean
nl_figure_dialog_export_to (NlFigureDialog *self, GFile *file, GError **error)
{
  int w, h;

  g_return_val_if_fail (NL_IS_FIGURE_DIALOG (self), FALSE);

  if (self->window == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The window is closed."));
      return FALSE;
    }
  nl_figure_dialog_get_size (self, &w, &h);
  return nl_window_export_figure (self->window, nl_figure_dialog_get_view (self),
                                  nl_figure_dialog_get_format (self), w, h,
                                  dialog_dark (self), file, error);
}
