/* nl-window-autosave.c: the window's autosave, and the offer to restore a crashed run's.
 *
 * While the project has unsaved changes, a timeout writes it (with the weights of the
 * latest snapshot) to the window's NlAutosave at most once an interval (a minute, or
 * NEURAL_LAB_AUTOSAVE_SECONDS); saving, loading another project, discarding the changes
 * and closing the window remove the file. So a file left in the autosave folder means a
 * process that ended without closing its windows: a crash, a kill, a power cut.
 *
 * The first window of a process (nl_window_offer_restore, called by the application)
 * looks for such leftovers and offers them back in a banner under the header bar:
 * "Restore the unsaved project from 14:32?" [Discard] [Restore]. Restoring loads each
 * leftover, as a modified project that remembers its file, into this window when it holds
 * nothing of the user's yet, else into a new window; the leftover file becomes the
 * window's own autosave, so it stays safe until it is saved.
 */
#include <glib/gi18n.h>

#include "nl-autosave.h"
#include "nl-window-private.h"

/* The project as it would be saved: the trained weights, when the last snapshot has the
 * network the project describes. */
static NnProject *
project_with_weights (NlWindow *self)
{
  NnProject *copy = nn_project_copy (self->project);

  if (self->snapshot != NULL && nn_architecture_equal (&self->snapshot->net.arch, &copy->arch))
    nn_project_set_weights (copy, self->snapshot->net.params, self->snapshot->net.n_params);
  return copy;
}

static void
write_autosave (NlWindow *self)
{
  nl_autosave_write (self->autosave, project_with_weights (self), self->file,
                     self->file == NULL ? self->example_title : NULL);
}

static gboolean
on_autosave_timeout (gpointer data)
{
  NlWindow *self = data;

  if (!self->modified)
    {
      self->autosave_id = 0;
      nl_autosave_remove (self->autosave);
      return G_SOURCE_REMOVE;
    }
  write_autosave (self);
  return G_SOURCE_CONTINUE;
}

void
nl_window_autosave_update (NlWindow *self)
{
  if (self->autosave == NULL)
    return;

  if (self->modified)
    {
      if (self->autosave_id == 0)
        self->autosave_id = g_timeout_add_seconds (nl_autosave_get_interval (),
                                                   on_autosave_timeout, self);
      return;
    }
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  nl_autosave_remove (self->autosave);
}

/* ------------------------------------------------------------------------------------ */
/* Restoring                                                                             */

static void
hide_restore_offer (NlWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->restore_revealer), FALSE);
  g_clear_pointer (&self->restore_leftovers, g_ptr_array_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-autosave", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.discard-autosave", FALSE);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (now) == g_date_time_get_year (time)
      && g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (time))
    return g_date_time_format (time, "%H:%M");
  /* Translators: the date and time of an autosave from another day. */
  return g_date_time_format (time, _("%x %H:%M"));
}

/* Loads one leftover into `window`; FALSE with an error when it cannot be read. */
static gboolean
restore_into (NlWindow *window, NlAutosaveLeftover *leftover, GError **error)
{
  g_autoptr(GError) adopt_error = NULL;
  NnProject *project = nl_autosave_leftover_load (leftover, error);
  const char *title = leftover->title != NULL ? leftover->title : _("Restored project");

  if (project == NULL)
    return FALSE;
  if (!nl_window_load_project (window, project, leftover->origin, title, error))
    return FALSE;
  if (!nl_autosave_adopt (window->autosave, leftover, &adopt_error))
    g_message ("Could not keep the restored autosave: %s", adopt_error->message);
  nl_window_set_modified (window, TRUE);
  return TRUE;
}

static void
restore_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  g_autoptr(GPtrArray) leftovers = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  /* This window takes the first one, unless it holds the user's work already. */
  gboolean use_self = !self->modified && self->file == NULL;

  if (self->restore_leftovers == NULL)
    return;
  leftovers = g_ptr_array_ref (self->restore_leftovers);
  hide_restore_offer (self);

  for (guint i = 0; i < leftovers->len; i++)
    {
      NlAutosaveLeftover *leftover = g_ptr_array_index (leftovers, i);
      g_autoptr(GError) error = NULL;
      NlWindow *target = self;

      if (!use_self)
        {
          if (!NL_IS_APPLICATION (app))
            break;
          target = nl_window_new (NL_APPLICATION (app));
        }
      if (!restore_into (target, leftover, &error))
        {
          g_autofree char *name_shown = g_filename_display_basename (leftover->path);
          g_autofree char *primary = g_strdup_printf (_("Could not restore “%s”"), name_shown);

          nl_window_show_error (GTK_WINDOW (self), primary, error->message);
          if (target != self)
            gtk_window_destroy (GTK_WINDOW (target));
          continue;
        }
      if (target != self)
        gtk_window_present (GTK_WINDOW (target));
      use_self = FALSE;
    }
}

static void
discard_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);

  if (self->restore_leftovers == NULL)
    return;
  for (guint i = 0; i < self->restore_leftovers->len; i++)
    nl_autosave_leftover_discard (g_ptr_array_index (self->restore_leftovers, i));
  hide_restore_offer (self);
}

void
nl_window_offer_restore (NlWindow *self)
{
  static gboolean offered;
  g_autoptr(GPtrArray) leftovers = NULL;
  g_autofree char *time = NULL;
  g_autofree char *message = NULL;
  NlAutosaveLeftover *newest;

  g_return_if_fail (NL_IS_WINDOW (self));

  /* Once a process: later windows must not offer what the first one did. */
  if (offered)
    return;
  offered = TRUE;

  leftovers = nl_autosave_find_leftovers ();
  if (leftovers->len == 0)
    return;
  newest = g_ptr_array_index (leftovers, 0);
  time = format_time (newest->time);
  if (leftovers->len == 1)
    message = g_strdup_printf (_("Restore the unsaved project from %s?"), time);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Restore %u unsaved project? The last is from %s.",
                                            "Restore %u unsaved projects? The last is from %s.",
                                            leftovers->len),
                               leftovers->len, time);

  g_clear_pointer (&self->restore_leftovers, g_ptr_array_unref);
  self->restore_leftovers = g_steal_pointer (&leftovers);
  gtk_label_set_label (GTK_LABEL (self->restore_label), message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-autosave", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.discard-autosave", TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->restore_revealer), TRUE);
}

const char *
nl_window_get_restore_offer (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  if (self->restore_leftovers == NULL
      || !gtk_revealer_get_reveal_child (GTK_REVEALER (self->restore_revealer)))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->restore_label));
}

gboolean
nl_window_get_modified (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), FALSE);

  return self->modified;
}

const char *
nl_window_get_autosave_path (NlWindow *self)
{
  g_return_val_if_fail (NL_IS_WINDOW (self), NULL);

  return self->autosave != NULL ? nl_autosave_get_path (self->autosave) : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Set-up                                                                               */

/* The offer, built here rather than in the template: a banner like the window's message
 * banner, placed right under it. */
static void
build_restore_banner (NlWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("document-revert-symbolic");
  GtkWidget *discard = gtk_button_new_with_mnemonic (_("_Discard"));
  GtkWidget *restore = gtk_button_new_with_mnemonic (_("_Restore"));
  GtkWidget *parent = gtk_widget_get_parent (self->banner_revealer);

  self->restore_label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->restore_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->restore_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->restore_label), TRUE);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (discard), "win.discard-autosave");
  gtk_widget_set_valign (discard, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (restore), "win.restore-autosave");
  gtk_widget_set_valign (restore, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (restore, "suggested-action");

  gtk_widget_add_css_class (box, "banner");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), self->restore_label);
  gtk_box_append (GTK_BOX (box), discard);
  gtk_box_append (GTK_BOX (box), restore);

  self->restore_revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->restore_revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_child (GTK_REVEALER (self->restore_revealer), box);
  if (GTK_IS_BOX (parent))
    gtk_box_insert_child_after (GTK_BOX (parent), self->restore_revealer, self->banner_revealer);
  else
    g_critical ("The message banner is not in a box: no place for the restore offer");
}

/* A window closed or destroyed on purpose: its work was saved or given up. */
static void
on_destroy (GtkWidget *widget, gpointer data)
{
  NlWindow *self = NL_WINDOW (widget);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->autosave != NULL)
    nl_autosave_remove (self->autosave);
  /* Finalizing waits for the removal. */
  g_clear_object (&self->autosave);
  g_clear_pointer (&self->restore_leftovers, g_ptr_array_unref);
}

void
nl_window_class_init_autosave (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.restore-autosave", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "win.discard-autosave", NULL, discard_action);
}

void
nl_window_init_autosave (NlWindow *self)
{
  self->autosave = nl_autosave_new ();
  build_restore_banner (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-autosave", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.discard-autosave", FALSE);
  g_signal_connect (self, "destroy", G_CALLBACK (on_destroy), NULL);
}
