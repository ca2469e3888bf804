/* nl-application.c: the GtkApplication — files, settings, style, app-wide actions. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "nl-application.h"
#include "nl-chaos.h"
#include "nl-names.h"
#include "nl-window.h"

#define RESOURCE_PATH "/org/neurallab/NeuralLab"

struct _NlApplication
{
  GtkApplication  parent_instance;

  GSettings      *settings;
  GtkCssProvider *css;
  NlFrameStats   *frame_stats;
  gboolean        autoplay;
  double          quit_after;   /* seconds, 0 = never */
  gboolean        dark;
};

G_DEFINE_FINAL_TYPE (NlApplication, nl_application, GTK_TYPE_APPLICATION)

/* The installed schema, else the one compiled in the build tree (running uninstalled),
 * else none: then nothing is remembered, but everything works. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
#ifdef NL_BUILD_SCHEMA_DIR
  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) build_source =
        g_settings_schema_source_new_from_directory (NL_BUILD_SCHEMA_DIR, source, FALSE, NULL);

      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APP_ID, FALSE);
    }
#endif
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static NlWindow *
active_window (NlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return NL_IS_WINDOW (window) ? NL_WINDOW (window) : NULL;
}

/* Loads data/examples/NAME.nlab from the resources. */
static NnProject *
load_example (const char *name, GError **error)
{
  g_autofree char *path = g_strdup_printf (RESOURCE_PATH "/examples/%s.nlab", name);
  g_autofree char *file_name = g_strdup_printf ("%s.nlab", name);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  gsize size;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return nn_project_load_from_data (data, size, file_name, NULL, error);
}

static gboolean
window_load_example (NlWindow *window, const char *name, GError **error)
{
  NnProject *project = load_example (name, error);
  const char *title = nl_names_example (name);

  if (project == NULL)
    return FALSE;
  return nl_window_load_project (window, project, NULL, title != NULL ? title : name, error);
}

/* The default example, or the engine's default project if even that cannot be read. */
static void
window_load_default (NlWindow *window)
{
  g_autoptr(GError) error = NULL;

  if (window_load_example (window, "default", &error))
    return;
  g_debug ("Default example unavailable: %s", error->message);
  g_clear_error (&error);
  if (!nl_window_load_project (window, nn_project_new_default (), NULL, _("Circle (default)"),
                               &error))
    g_critical ("The default project does not train: %s", error->message);
}

static NlWindow *
new_window (NlApplication *self)
{
  NlWindow *window = nl_window_new (self);

  if (self->quit_after > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  nl_window_offer_restore (window);
  nl_chaos_attach (window);
  return window;
}

/* ------------------------------------------------------------------------------------ */
/* Actions                                                                               */

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing runs each window's close-request: settings saved, worker stopped. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  static const char *authors[] = { "The Neural Lab developers", NULL };

  gtk_show_about_dialog (GTK_WINDOW (active_window (self)),
                         "program-name", _("Neural Lab"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("See how a small neural network learns: build it by clicking, press Play, watch every neuron, weight and loss change."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
shortcuts_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlWindow *window = active_window (data);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Neural Lab projects"));
  gtk_file_filter_add_pattern (filter, "*.nlab");
  gtk_file_filter_add_mime_type (filter, "application/x-neural-lab");
  return filter;
}

static void
show_file_error (NlWindow *window, const char *format, GFile *file, const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *primary = g_strdup_printf (format, name);

  nl_window_show_error (GTK_WINDOW (window), primary, error->message);
}

static void
on_open_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  NlApplication *self = data;
  NlWindow *window = active_window (self);

  if (response == GTK_RESPONSE_ACCEPT && window != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (file != NULL && !nl_window_open_file (window, file, &error))
        show_file_error (window, _("Could not open “%s”"), file, error);
    }
  g_object_unref (dialog);
}

static void
open_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = project_filter ();

  chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (active_window (self)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_save_response (GtkNativeDialog *dialog, int response, gpointer data)
{
  NlApplication *self = data;
  NlWindow *window = active_window (self);

  if (response == GTK_RESPONSE_ACCEPT && window != NULL)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = chosen != NULL ? g_file_get_basename (chosen) : NULL;

      if (chosen == NULL)
        goto out;
      /* A project file ends in .nlab, so the file chooser and the MIME type find it. */
      if (!g_str_has_suffix (name, ".nlab"))
        {
          g_autoptr(GFile) parent = g_file_get_parent (chosen);
          g_autofree char *with_suffix = g_strconcat (name, ".nlab", NULL);

          file = g_file_get_child (parent, with_suffix);
        }
      else
        file = g_object_ref (chosen);

      if (!nl_window_save_to_file (window, file, &error))
        show_file_error (window, _("Could not save “%s”"), file, error);
    }
out:
  g_object_unref (dialog);
}

static void
save_as_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  NlWindow *window = active_window (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = project_filter ();

  if (window == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save Project"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (nl_window_get_file (window) != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), nl_window_get_file (window), NULL);
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("project.nlab"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  NlWindow *window = active_window (self);
  g_autoptr(GError) error = NULL;
  GFile *file;

  if (window == NULL)
    return;
  file = nl_window_get_file (window);
  if (file == NULL)
    {
      save_as_action (action, param, data);
      return;
    }
  if (!nl_window_save_to_file (window, file, &error))
    show_file_error (window, _("Could not save “%s”"), file, error);
}

static void
open_example_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlApplication *self = data;
  NlWindow *window = active_window (self);
  const char *name = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    return;
  if (!window_load_example (window, name, &error))
    {
      g_autofree char *primary = g_strdup_printf (_("Could not open the example “%s”"), name);

      nl_window_show_error (GTK_WINDOW (window), primary, error->message);
    }
}

static void
apply_dark (NlApplication *self)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", self->dark, NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (NL_IS_WINDOW (l->data))
      nl_window_set_dark (l->data, self->dark);
}

static void
dark_style_changed (GSimpleAction *action, GVariant *state, gpointer data)
{
  NlApplication *self = data;

  g_simple_action_set_state (action, state);
  self->dark = g_variant_get_boolean (state);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "dark-style", self->dark);
  apply_dark (self);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_action, NULL, NULL, NULL, { 0 } },
  { "open", open_action, NULL, NULL, NULL, { 0 } },
  { "save", save_action, NULL, NULL, NULL, { 0 } },
  { "save-as", save_as_action, NULL, NULL, NULL, { 0 } },
  { "open-example", open_example_action, "s", NULL, NULL, { 0 } },
  { "dark-style", NULL, NULL, "false", dark_style_changed, { 0 } },
};

/* ------------------------------------------------------------------------------------ */
/* GApplication                                                                          */

static gboolean
quit_timeout (gpointer data)
{
  g_action_group_activate_action (G_ACTION_GROUP (data), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
nl_application_startup (GApplication *app)
{
  NlApplication *self = NL_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL, NULL } },
    { "app.open", { "<Control>o", NULL, NULL } },
    { "app.save", { "<Control>s", NULL, NULL } },
    { "app.save-as", { "<Control><Shift>s", NULL, NULL } },
    { "app.shortcuts", { "<Control>question", NULL, NULL } },
    { "app.dark-style", { "<Control><Shift>d", NULL, NULL } },
    { "win.show-help-overlay", { NULL, NULL, NULL } },
  };
  const char *theme = g_getenv ("GTK_THEME");
  gboolean prefer_dark = FALSE;

  G_APPLICATION_CLASS (nl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* Dark when the user chose it here, or asked the whole desktop for it. */
  self->settings = settings_new ();
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &prefer_dark,
                NULL);
  self->dark = prefer_dark || (theme != NULL && g_str_has_suffix (theme, ":dark"))
               || (self->settings != NULL && g_settings_get_boolean (self->settings, "dark-style"));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "dark-style",
                                      g_variant_new_boolean (self->dark));
  apply_dark (self);

  if (g_strcmp0 (g_getenv ("NEURAL_LAB_FRAME_STATS"), "1") == 0)
    self->frame_stats = nl_frame_stats_new ();
  if (g_strcmp0 (g_getenv ("NEURAL_LAB_AUTOPLAY"), "1") == 0)
    self->autoplay = TRUE;
  if (self->quit_after > 0)
    g_timeout_add ((guint) (self->quit_after * 1000), quit_timeout, self);
}

static void
nl_application_shutdown (GApplication *app)
{
  NlApplication *self = NL_APPLICATION (app);

  if (self->frame_stats != NULL)
    {
      g_autofree char *line = nl_frame_stats_format (self->frame_stats);

      fprintf (stderr, "%s\n", line);
      fflush (stderr);
    }

  G_APPLICATION_CLASS (nl_application_parent_class)->shutdown (app);
}

static void
nl_application_activate (GApplication *app)
{
  NlApplication *self = NL_APPLICATION (app);
  NlWindow *window = active_window (self);

  if (window == NULL)
    {
      window = new_window (self);
      window_load_default (window);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
nl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  NlApplication *self = NL_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      NlWindow *window = new_window (self);
      g_autoptr(GError) error = NULL;

      if (!nl_window_open_file (window, files[i], &error))
        {
          window_load_default (window);
          gtk_window_present (GTK_WINDOW (window));
          show_file_error (window, _("Could not open “%s”"), files[i], error);
          continue;
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

static int
nl_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  NlApplication *self = NL_APPLICATION (app);
  double seconds = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("neural-lab %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "play"))
    self->autoplay = TRUE;
  if (g_variant_dict_lookup (options, "quit-after", "d", &seconds))
    self->quit_after = MAX (seconds, 0);

  return -1;
}

static void
nl_application_dispose (GObject *object)
{
  NlApplication *self = NL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->css);
  g_clear_pointer (&self->frame_stats, nl_frame_stats_free);

  G_OBJECT_CLASS (nl_application_parent_class)->dispose (object);
}

static void
nl_application_class_init (NlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = nl_application_dispose;
  app_class->startup = nl_application_startup;
  app_class->shutdown = nl_application_shutdown;
  app_class->activate = nl_application_activate;
  app_class->open = nl_application_open;
  app_class->handle_local_options = nl_application_handle_local_options;
}

static void
nl_application_init (NlApplication *self)
{
  static const GOptionEntry options[] = {
    { "play", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start training as soon as the window opens"), NULL },
    { "quit-after", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Quit after SECONDS seconds (for measurements)"), N_("SECONDS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.nlab…]"));
}

NlApplication *
nl_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (NL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | extra_flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GSettings *
nl_application_get_settings (NlApplication *self)
{
  g_return_val_if_fail (NL_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
nl_application_get_dark (NlApplication *self)
{
  g_return_val_if_fail (NL_IS_APPLICATION (self), FALSE);

  return self->dark;
}

NlFrameStats *
nl_application_get_frame_stats (NlApplication *self)
{
  g_return_val_if_fail (NL_IS_APPLICATION (self), NULL);

  return self->frame_stats;
}

gboolean
nl_application_get_autoplay (NlApplication *self)
{
  g_return_val_if_fail (NL_IS_APPLICATION (self), FALSE);

  return self->autoplay;
}
