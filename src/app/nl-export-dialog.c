/* nl-export-dialog.c: choose a weight format, write the file, and show how to load it. */
#include <glib/gi18n.h>

#include "nl-export-dialog.h"
#include "nl-export-chooser.h"

struct _NlExportDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  GtkWidget      *close_button;
  GtkWidget      *export_button;
  GtkWidget      *format_dropdown;
  GtkWidget      *shape_label;
  GtkWidget      *description_label;
  GtkWidget      *copy_button;
  GtkWidget      *snippet_stack;
  GtkWidget      *numpy_view;
  GtkWidget      *pytorch_view;
  GtkWidget      *status_label;

  NlWindow       *window;        /* weak */
  NnExportFormat  format;
  /* The file the snippets load: the last one written in this format, else a plain name. */
  char           *paths[NN_N_EXPORT_FORMATS];
};

G_DEFINE_FINAL_TYPE (NlExportDialog, nl_export_dialog, GTK_TYPE_WINDOW)

static const char *
format_title (NnExportFormat format)
{
  switch (format)
    {
    case NN_EXPORT_JSON:
      return _("JSON — architecture and weights");
    case NN_EXPORT_CSV:
      return _("CSV — one row per parameter");
    case NN_EXPORT_NPZ:
      return _("NumPy .npz");
    case NN_EXPORT_ONNX:
      return _("ONNX model");
    case NN_EXPORT_C_HEADER:
      return _("C header");
    case NN_EXPORT_SAFETENSORS:
      return _("safetensors");
    case NN_N_EXPORT_FORMATS:
    default:
      return "?";
    }
}

static const char *
format_description (NnExportFormat format)
{
  switch (format)
    {
    case NN_EXPORT_JSON:
      return _("A readable file with the features, the layer sizes, the activations, the loss and every weight and bias. Import Weights reads it back.");
    case NN_EXPORT_CSV:
      return _("One row per parameter (layer, weight or bias, to, from, value): opens in any spreadsheet.");
    case NN_EXPORT_NPZ:
      return _("NumPy arrays layers.N.weight [out, in] and layers.N.bias, as PyTorch’s Linear layers hold them; numpy.load reads it, and Import Weights reads it back.");
    case NN_EXPORT_ONNX:
      return _("The whole function from the point (x₁, x₂) to the output, feature expansion included (opset 13, float32): open it in Netron or run it with onnxruntime.");
    case NN_EXPORT_C_HEADER:
      return _("static const double arrays and an inline forward function, for taking the network to a microcontroller.");
    case NN_EXPORT_SAFETENSORS:
      return _("The format of the Hugging Face tools, with the same tensor names as the .npz file.");
    case NN_N_EXPORT_FORMATS:
    default:
      return "";
    }
}

static const NnProject *
dialog_project (NlExportDialog *self)
{
  NlSnapshot *snap = self->window != NULL ? nl_window_get_snapshot (self->window) : NULL;

  return snap != NULL ? snap->model->project : NULL;
}

static const char *
snippet_path (NlExportDialog *self)
{
  if (self->paths[self->format] == NULL)
    self->paths[self->format] = g_strdup_printf ("weights.%s",
                                                 nn_export_format_extension (self->format));
  return self->paths[self->format];
}

static void
set_text (GtkWidget *view, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static void
update (NlExportDialog *self)
{
  const NnProject *project = dialog_project (self);
  NlSnapshot *snap = self->window != NULL ? nl_window_get_snapshot (self->window) : NULL;

  gtk_label_set_label (GTK_LABEL (self->description_label), format_description (self->format));
  for (guint f = 0; f < NN_N_EXPORT_FRAMEWORKS; f++)
    {
      g_autofree char *snippet = nl_export_dialog_get_snippet (self, f);

      set_text (f == NN_EXPORT_FRAMEWORK_NUMPY ? self->numpy_view : self->pytorch_view, snippet);
    }
  if (project != NULL && snap != NULL)
    {
      g_autofree char *shape = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u layer, %zu parameters",
                                                             "%u layers, %zu parameters",
                                                             snap->net.n_layers),
                                                snap->net.n_layers, snap->net.n_params);

      gtk_label_set_label (GTK_LABEL (self->shape_label), shape);
    }
  gtk_widget_set_sensitive (self->export_button, snap != NULL);
}

static void
on_format_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlExportDialog *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected >= NN_N_EXPORT_FORMATS || selected == self->format)
    return;
  self->format = selected;
  gtk_label_set_label (GTK_LABEL (self->status_label), "");
  update (self);
}

static void
on_copy_clicked (GtkButton *button, NlExportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (GTK_STACK (self->snippet_stack));
  NnExportFramework framework = g_strcmp0 (page, "pytorch") == 0 ? NN_EXPORT_FRAMEWORK_PYTORCH
                                                                 : NN_EXPORT_FRAMEWORK_NUMPY;
  g_autofree char *snippet = nl_export_dialog_get_snippet (self, framework);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), snippet);
  gtk_label_set_label (GTK_LABEL (self->status_label),
                       framework == NN_EXPORT_FRAMEWORK_PYTORCH
                         ? _("The PyTorch program is on the clipboard.")
                         : _("The NumPy program is on the clipboard."));
}

static void
on_chooser_response (GtkNativeDialog *chooser, int response, NlExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (file != NULL && !nl_export_dialog_export_to (self, file, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *primary = g_strdup_printf (_("Could not export the weights to “%s”"),
                                                      name);

          nl_window_show_error (GTK_WINDOW (self), primary, error->message);
        }
    }
  g_object_unref (chooser);
}

static void
on_export_clicked (GtkButton *button, NlExportDialog *self)
{
  g_autofree char *name = g_path_get_basename (snippet_path (self));

  nl_export_chooser_show (GTK_WINDOW (self), _("Export Weights"), format_title (self->format),
                          nn_export_format_extension (self->format), name,
                          G_CALLBACK (on_chooser_response), self);
}

static void
on_close_clicked (GtkButton *button, NlExportDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
nl_export_dialog_dispose (GObject *object)
{
  NlExportDialog *self = NL_EXPORT_DIALOG (object);

  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (nl_export_dialog_parent_class)->dispose (object);
}

static void
nl_export_dialog_finalize (GObject *object)
{
  NlExportDialog *self = NL_EXPORT_DIALOG (object);

  for (guint i = 0; i < NN_N_EXPORT_FORMATS; i++)
    g_free (self->paths[i]);

  G_OBJECT_CLASS (nl_export_dialog_parent_class)->finalize (object);
}

static void
nl_export_dialog_class_init (NlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_export_dialog_dispose;
  object_class->finalize = nl_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/neurallab/NeuralLab/nl-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, shape_label);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, snippet_stack);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, numpy_view);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, pytorch_view);
  gtk_widget_class_bind_template_child (widget_class, NlExportDialog, status_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
nl_export_dialog_init (NlExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint f = 0; f < NN_N_EXPORT_FORMATS; f++)
    gtk_string_list_append (formats, format_title (f));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->format_dropdown), G_LIST_MODEL (formats));
  self->format = NN_EXPORT_JSON;

  g_signal_connect (self->format_dropdown, "notify::selected", G_CALLBACK (on_format_selected),
                    self);
  g_signal_connect (self->copy_button, "clicked", G_CALLBACK (on_copy_clicked), self);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect (self->close_button, "clicked", G_CALLBACK (on_close_clicked), self);
}

NlExportDialog *
nl_export_dialog_new (NlWindow *window)
{
  NlExportDialog *self;

  g_return_val_if_fail (NL_IS_WINDOW (window), NULL);

  self = g_object_new (NL_TYPE_EXPORT_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  update (self);
  return self;
}

NnExportFormat
nl_export_dialog_get_format (NlExportDialog *self)
{
  g_return_val_if_fail (NL_IS_EXPORT_DIALOG (self), NN_EXPORT_JSON);

  return self->format;
}

void
nl_export_dialog_set_format (NlExportDialog *self, NnExportFormat format)
{
  g_return_if_fail (NL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (format < NN_N_EXPORT_FORMATS);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->format_dropdown), format);
}

char *
nl_export_dialog_get_snippet (NlExportDialog *self, NnExportFramework framework)
{
  const NnProject *project;
  char *snippet;

  g_return_val_if_fail (NL_IS_EXPORT_DIALOG (self), NULL);

  project = dialog_project (self);
  if (project == NULL)
    return g_strdup (_("# The network is not ready yet."));
  snippet = nn_export_python_snippet (project, self->format, framework, snippet_path (self));
  if (snippet != NULL)
    return snippet;
  if (self->format == NN_EXPORT_C_HEADER)
    return g_strdup (_("# A C header is for C programs: #include it and call its forward function.\n# For Python, choose JSON, NumPy .npz or safetensors."));
  return g_strdup (_("# PyTorch cannot load ONNX files: run them with onnxruntime (the NumPy tab),\n# or choose NumPy .npz or safetensors to load the weights into torch.nn.Linear layers."));
}

gboolean
nl_export_dialog_export_to (NlExportDialog *self, GFile *file, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (NL_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->window == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The window is closed."));
      return FALSE;
    }
  path = g_file_get_path (file);
  if (!nl_window_export_weights (self->window, self->format, file, error))
    return FALSE;

  g_free (self->paths[self->format]);
  self->paths[self->format] = g_strdup (path);
  message = g_strdup_printf (_("Saved %s. The programs below load it."), path);
  gtk_label_set_label (GTK_LABEL (self->status_label), message);
  update (self);
  return TRUE;
}
