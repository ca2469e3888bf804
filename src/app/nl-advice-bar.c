/* nl-advice-bar.c: one warning at a time, once each, with a close button. */
#include "nl-advice-bar.h"

#include <glib/gi18n.h>
#include <string.h>

#include "nl-insight-text.h"

struct _NlAdviceBar
{
  GtkWidget     parent_instance;

  GtkWidget    *revealer;
  GtkWidget    *title_label;
  GtkWidget    *text_label;
  GtkWidget    *more_label;

  NnAdviceMask  seen;           /* kinds queued or shown since the last reset */
  GArray       *queue;          /* NnAdvice still to show */
  gboolean      showing;
  NnAdvice      current;
  guint         n_shown;
};

G_DEFINE_FINAL_TYPE (NlAdviceBar, nl_advice_bar, GTK_TYPE_WIDGET)

/* Lines of the warning's text before it is ellipsized (the tooltip has it all). */
#define TEXT_LINES 2

static void
show_next (NlAdviceBar *self)
{
  g_autofree char *text = NULL;

  if (self->queue->len == 0)
    {
      self->showing = FALSE;
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
      return;
    }

  self->current = g_array_index (self->queue, NnAdvice, 0);
  g_array_remove_index (self->queue, 0);
  self->showing = TRUE;
  self->n_shown++;

  text = nl_advice_describe (&self->current);
  gtk_label_set_label (GTK_LABEL (self->title_label), nl_advice_title (self->current.kind));
  gtk_label_set_label (GTK_LABEL (self->text_label), text);
  gtk_widget_set_tooltip_text (self->text_label, text);
  if (self->queue->len > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more",
                                                            "%u more", self->queue->len),
                                               self->queue->len);

      gtk_label_set_label (GTK_LABEL (self->more_label), more);
      gtk_widget_set_visible (self->more_label, TRUE);
    }
  else
    gtk_widget_set_visible (self->more_label, FALSE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
}

static void
on_close_clicked (GtkButton *button, NlAdviceBar *self)
{
  nl_advice_bar_dismiss (self);
}

static void
nl_advice_bar_dispose (GObject *object)
{
  NlAdviceBar *self = NL_ADVICE_BAR (object);

  g_clear_pointer (&self->revealer, gtk_widget_unparent);

  G_OBJECT_CLASS (nl_advice_bar_parent_class)->dispose (object);
}

static void
nl_advice_bar_finalize (GObject *object)
{
  NlAdviceBar *self = NL_ADVICE_BAR (object);

  g_clear_pointer (&self->queue, g_array_unref);

  G_OBJECT_CLASS (nl_advice_bar_parent_class)->finalize (object);
}

static void
nl_advice_bar_class_init (NlAdviceBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_advice_bar_dispose;
  object_class->finalize = nl_advice_bar_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nladvicebar");
}

static void
nl_advice_bar_init (NlAdviceBar *self)
{
  GtkWidget *box, *icon, *texts, *close;

  self->queue = g_array_new (FALSE, FALSE, sizeof (NnAdvice));

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_add_css_class (box, "advice-bar");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "advice-icon");
  gtk_box_append (GTK_BOX (box), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  self->title_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (texts), self->title_label);
  self->text_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->text_label), 0);
  /* At most two lines as wide as the bar, ellipsized, with the whole sentence in the
   * tooltip: on a small screen a long warning must not push the network out of sight, nor
   * be cut off mid-word. The natural width asks for the whole column; the minimum stays
   * small so the bar never widens the window. */
  gtk_label_set_wrap (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->text_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (self->text_label), TEXT_LINES);
  gtk_label_set_ellipsize (GTK_LABEL (self->text_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (self->text_label), 200);
  gtk_label_set_width_chars (GTK_LABEL (self->text_label), 10);
  gtk_box_append (GTK_BOX (texts), self->text_label);
  gtk_box_append (GTK_BOX (box), texts);

  self->more_label = gtk_label_new (NULL);
  gtk_widget_set_valign (self->more_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->more_label, "dim-label");
  gtk_widget_set_visible (self->more_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->more_label);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Dismiss: this warning will not come back"));
  g_signal_connect (close, "clicked", G_CALLBACK (on_close_clicked), self);
  gtk_box_append (GTK_BOX (box), close);
}

GtkWidget *
nl_advice_bar_new (void)
{
  return g_object_new (NL_TYPE_ADVICE_BAR, NULL);
}

void
nl_advice_bar_update (NlAdviceBar *self, const NlHealthReport *report)
{
  NnAdvice fresh[NN_N_ADVICE_KINDS];
  guint n;

  g_return_if_fail (NL_IS_ADVICE_BAR (self));

  if (report == NULL || report->n_advice == 0)
    return;

  n = MIN (report->n_advice, NN_N_ADVICE_KINDS);
  memcpy (fresh, report->advice, n * sizeof (NnAdvice));
  n = nn_advice_take_new (&self->seen, fresh, n);
  if (n == 0)
    return;
  g_array_append_vals (self->queue, fresh, n);
  if (!self->showing)
    show_next (self);
  else
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more",
                                                            "%u more", self->queue->len),
                                               self->queue->len);

      gtk_label_set_label (GTK_LABEL (self->more_label), more);
      gtk_widget_set_visible (self->more_label, TRUE);
    }
}

void
nl_advice_bar_dismiss (NlAdviceBar *self)
{
  g_return_if_fail (NL_IS_ADVICE_BAR (self));

  show_next (self);
}

void
nl_advice_bar_reset (NlAdviceBar *self)
{
  g_return_if_fail (NL_IS_ADVICE_BAR (self));

  self->seen = 0;
  self->n_shown = 0;
  g_array_set_size (self->queue, 0);
  self->showing = FALSE;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
}

gboolean
nl_advice_bar_get_shown (NlAdviceBar *self, NnAdviceKind *kind)
{
  g_return_val_if_fail (NL_IS_ADVICE_BAR (self), FALSE);

  if (self->showing && kind != NULL)
    *kind = self->current.kind;
  return self->showing;
}

const char *
nl_advice_bar_get_text (NlAdviceBar *self)
{
  g_return_val_if_fail (NL_IS_ADVICE_BAR (self), NULL);

  return self->showing ? gtk_label_get_label (GTK_LABEL (self->text_label)) : NULL;
}

guint
nl_advice_bar_get_n_shown (NlAdviceBar *self)
{
  g_return_val_if_fail (NL_IS_ADVICE_BAR (self), 0);

  return self->n_shown;
}

gboolean
nl_advice_bar_get_text_fits (NlAdviceBar *self, gboolean *ellipsized)
{
  PangoLayout *layout;
  PangoRectangle logical;
  int height;

  g_return_val_if_fail (NL_IS_ADVICE_BAR (self), FALSE);

  if (!self->showing || !gtk_widget_get_mapped (self->text_label))
    return FALSE;
  layout = gtk_label_get_layout (GTK_LABEL (self->text_label));
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (ellipsized != NULL)
    *ellipsized = pango_layout_is_ellipsized (layout);
  /* The label's text lies within the label, and the label within the bar. */
  height = gtk_widget_get_height (self->text_label);
  return logical.height <= height && logical.width <= gtk_widget_get_width (self->text_label)
         && pango_layout_get_line_count (layout) <= TEXT_LINES
         && gtk_widget_get_height (GTK_WIDGET (self)) >= height;
}
