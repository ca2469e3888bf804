/* nl-export-chooser.c: the Save chooser of the Export… commands. */
#include "nl-export-chooser.h"

#include <glib/gi18n.h>

void
nl_export_chooser_show (GtkWindow *parent, const char *title, const char *filter_name,
                        const char *extension, const char *name, GCallback on_response,
                        gpointer user_data)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", extension);

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (title != NULL && filter_name != NULL && extension != NULL && name != NULL);

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Modal, so the dialog or window it writes from cannot change or close meanwhile. */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", on_response, user_data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
