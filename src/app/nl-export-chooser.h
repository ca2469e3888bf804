/* nl-export-chooser.h: the file chooser behind every Export… that writes one kind of file
 * (weights, figure, training history): modal over its window, filtered to that kind,
 * proposing a name. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows a modal Save chooser (GtkFileChooserNative, accept button "Export") over `parent`,
 * with one filter named `filter_name` for *.`extension` and `name` proposed. `on_response`
 * is connected to its GtkNativeDialog::response with `user_data`, and must unref the
 * chooser. */
void nl_export_chooser_show (GtkWindow  *parent,
                             const char *title,
                             const char *filter_name,
                             const char *extension,
                             const char *name,
                             GCallback   on_response,
                             gpointer    user_data);

G_END_DECLS
