/* nl-window-explain.c: the "Train | Explain" pages of the centre of the window.
 *
 * The Explain page (NlExplainView) follows the data point, training or test, selected on the
 * output plot (win.select-point, the window's "point-selected" signal) and, the other way round,
 * selects on the plot the sample chosen in its own spin button, so the explained point is
 * always ringed. While it is shown the sidebar folds away: the equations need the width
 * more than the data settings do, and the output plot stays beside them.
 */
#include <glib/gi18n.h>

#include "nl-window-private.h"
#include "nl-window-classroom.h"
#include "nl-window-insight.h"
#include "nl-explain-view.h"

static NlExplainView *
explain (NlWindow *self)
{
  return NL_EXPLAIN_VIEW (self->classroom->explain_view);
}

static void
on_page_changed (GtkStack *stack, GParamSpec *pspec, NlWindow *self)
{
  NlWindowClassroom *c = self->classroom;
  gboolean explaining;

  if (c == NULL)
    return;
  explaining = g_strcmp0 (gtk_stack_get_visible_child_name (stack), "explain") == 0;
  if (explaining)
    {
      c->sidebar_was_visible = gtk_widget_get_visible (c->sidebar_scroller);
      gtk_widget_set_visible (c->sidebar_scroller, FALSE);
      nl_explain_view_set_snapshot (explain (self), self->snapshot);
    }
  else if (c->sidebar_was_visible)
    gtk_widget_set_visible (c->sidebar_scroller, TRUE);
}

static void
show_page_action (GtkWidget *widget, const char *name, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  const char *page = g_variant_get_string (param, NULL);

  if (g_str_equal (page, "train") || g_str_equal (page, "explain"))
    gtk_stack_set_visible_child_name (GTK_STACK (self->classroom->centre_stack), page);
}

/* A point clicked on the plot, training or test (one drawn a moment ago too, once the
 * snapshot has it), becomes the sample explained: both number them alike. */
static void
on_point_selected (NlWindow *self, int index, gpointer data)
{
  const NnDataset *ds;

  if (self->classroom == NULL || index < 0 || self->snapshot == NULL)
    return;
  ds = self->snapshot->model->dataset;
  if (ds != NULL && (guint) index < ds->n_train + ds->n_test)
    nl_explain_view_set_sample (explain (self), (guint) index);
}

/* ... and the sample chosen in the Explain page is selected on the plot; a point of the
 * user's own is no data point, so none is. */
static void
on_sample_changed (NlExplainView *view, GParamSpec *pspec, NlWindow *self)
{
  int sample;

  if (self->classroom == NULL || self->snapshot == NULL)
    return;
  sample = nl_explain_view_get_custom_point (view, NULL) ? -1
                                                        : (int) nl_explain_view_get_sample (view);
  if (nl_window_get_selected_point (self) != sample)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.select-point", "i", sample);
}

void
nl_window_explain_apply_snapshot (NlWindow *self, NlSnapshot *snapshot)
{
  nl_explain_view_set_snapshot (explain (self), snapshot);
}

void
nl_window_class_init_explain (NlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (NL_TYPE_EXPLAIN_VIEW);
  gtk_widget_class_bind_template_child_full (widget_class, "centre_stack", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "explain_view", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "sidebar_scroller", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page",
                                       "s", "train");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page",
                                       "s", "explain");
}

void
nl_window_init_explain (NlWindow *self)
{
  NlWindowClassroom *c = self->classroom;

  c->centre_stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), NL_TYPE_WINDOW,
                                                               "centre_stack"));
  c->explain_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), NL_TYPE_WINDOW,
                                                               "explain_view"));
  c->sidebar_scroller = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                   NL_TYPE_WINDOW,
                                                                   "sidebar_scroller"));
  g_assert (GTK_IS_STACK (c->centre_stack));
  g_assert (NL_IS_EXPLAIN_VIEW (c->explain_view));
  g_assert (GTK_IS_WIDGET (c->sidebar_scroller));

  g_signal_connect (c->centre_stack, "notify::visible-child-name", G_CALLBACK (on_page_changed),
                    self);
  g_signal_connect (self, "point-selected", G_CALLBACK (on_point_selected), NULL);
  g_signal_connect (c->explain_view, "notify::sample", G_CALLBACK (on_sample_changed), self);
  g_signal_connect (c->explain_view, "notify::custom", G_CALLBACK (on_sample_changed), self);
}
