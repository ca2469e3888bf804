/* nl-window-unsaved.c: closing a window with unsaved changes asks first.
 *
 * nl_window_close_request() asks nl_window_confirm_close() before it lets the window go.
 * With unsaved changes it shows "Save changes to “x.nlab” before closing?" with Cancel,
 * Discard and Save (Save As… for a project that has no file yet) and keeps the window.
 * Discard closes it; Save saves and closes only when the save worked. A save that fails (a
 * read-only or vanished folder, a full disk) shows why and keeps everything: the window,
 * the project, its modified state, and the previous file, which an atomic save never
 * touches. Quitting (Ctrl+Q) closes every window, so each one with changes asks.
 */
#include <glib/gi18n.h>

#include "nl-window-private.h"

enum
{
  RESPONSE_DISCARD = 1,
  RESPONSE_SAVE = 2,
};

static gboolean
close_idle (gpointer data)
{
  NlWindow *self = data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

/* Not from inside the dialog's response: the dialogs still point at the window as their
 * transient parent until their signal emission ends, and must not outlive it. */
static void
close_now (NlWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle, g_object_ref (self), g_object_unref);
}

/* Saves to `file`; closes the window when that worked, else says why and keeps it. */
static void
save_and_close (NlWindow *self, GFile *file)
{
  g_autoptr(GError) error = NULL;

  if (nl_window_save_to_file (self, file, &error))
    {
      close_now (self);
      return;
    }
  {
    g_autofree char *name = g_file_get_basename (file);
    g_autofree char *primary = g_strdup_printf (_("Could not save “%s”"), name);

    nl_window_show_error (GTK_WINDOW (self), primary, error->message);
  }
}

static void
on_save_as_response (GtkNativeDialog *chooser, int response, gpointer data)
{
  NlWindow *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (chosen != NULL)
        {
          g_autofree char *name = g_file_get_basename (chosen);
          g_autoptr(GFile) file = NULL;

          /* Project files end in .nlab, as the Save As of the menu makes them. */
          if (g_str_has_suffix (name, ".nlab"))
            file = g_object_ref (chosen);
          else
            {
              g_autoptr(GFile) parent = g_file_get_parent (chosen);
              g_autofree char *with_suffix = g_strconcat (name, ".nlab", NULL);

              file = g_file_get_child (parent, with_suffix);
            }
          save_and_close (self, file);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
save_as_and_close (NlWindow *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Save Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Neural Lab projects"));
  gtk_file_filter_add_pattern (filter, "*.nlab");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("project.nlab"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_as_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_unsaved_response (GtkDialog *dialog, int response, gpointer data)
{
  NlWindow *self = data;

  self->unsaved_dialog = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));

  switch (response)
    {
    case RESPONSE_DISCARD:
      close_now (self);
      break;
    case RESPONSE_SAVE:
      if (self->file != NULL)
        save_and_close (self, self->file);
      else
        save_as_and_close (self);
      break;
    default: /* Cancel, Escape, the dialog closed */
      break;
    }
}

static char *
project_name (NlWindow *self)
{
  if (self->file != NULL)
    return g_file_get_basename (self->file);
  if (self->example_title != NULL)
    return g_strdup (self->example_title);
  return g_strdup (_("New project"));
}

gboolean
nl_window_confirm_close (NlWindow *self)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog;
  GtkWidget *discard;

  if (!self->modified || self->close_confirmed)
    return FALSE;
  if (self->unsaved_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->unsaved_dialog));
      return TRUE;
    }

  name = project_name (self);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Save changes to “%s” before closing?"), name);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog), "%s",
    _("If you don’t save, the changes since the last save are lost."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  discard = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard"), RESPONSE_DISCARD);
  gtk_widget_add_css_class (discard, "destructive-action");
  gtk_dialog_add_button (GTK_DIALOG (dialog), self->file != NULL ? _("_Save") : _("_Save As…"),
                         RESPONSE_SAVE);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), RESPONSE_SAVE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_unsaved_response), self);

  self->unsaved_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
