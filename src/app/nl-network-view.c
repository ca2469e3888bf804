/* nl-network-view.c: the network diagram widget (drawing is src/render's). */
#include <glib/gi18n.h>
#include <math.h>

#include "nl-network-view.h"
#include "nl-names.h"
#include "nl-render.h"
#include "nl-view-cache.h"

#define BAND_GAP 6  /* between the column controls and the diagram */

struct _NlNetworkView
{
  GtkWidget        parent_instance;

  NlSnapshot      *snapshot;
  NlNetworkLayout *layout;
  gboolean         layout_valid;
  NlRenderCache   *cache;
  NlViewCache      picture;
  gboolean         dark;
  NlNetworkHit     hover;

  /* Controls above each column; index = column (0, the inputs, has none). */
  GtkWidget       *controls[NL_NETWORK_MAX_COLUMNS];
  GtkWidget       *activation_dropdowns[NL_NETWORK_MAX_COLUMNS];
  guint            n_control_columns;   /* columns the controls were built for */
  gboolean         syncing;
  int              band_height;
  int              width, height;      /* the last allocation */

  /* Editing a weight or a bias. */
  GtkWidget       *popover;
  GtkWidget       *popover_title;
  GtkWidget       *popover_spin;
  NlNetworkHit     editing;
};

G_DEFINE_FINAL_TYPE (NlNetworkView, nl_network_view, GTK_TYPE_WIDGET)

static const NlRenderStyle *
view_style (NlNetworkView *self)
{
  return nl_render_style_get_default (self->dark ? NL_RENDER_THEME_DARK : NL_RENDER_THEME_LIGHT);
}

static const NnArchitecture *
view_arch (NlNetworkView *self)
{
  return self->snapshot != NULL ? &self->snapshot->net.arch : NULL;
}

static guint
view_features (NlNetworkView *self)
{
  return self->snapshot != NULL ? self->snapshot->model->project->features : 0;
}

/* ------------------------------------------------------------------------------------ */
/* Column controls                                                                      */

static void
on_activation_selected (GtkDropDown *dropdown, GParamSpec *pspec, NlNetworkView *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "nl-column"));
  gboolean is_output = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "nl-output"));
  guint selected = gtk_drop_down_get_selected (dropdown);
  NnActivation activation;

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (is_output)
    activation = nl_output_activations[MIN (selected, G_N_ELEMENTS (nl_output_activations) - 1)];
  else
    activation = nl_hidden_activations[MIN (selected, G_N_ELEMENTS (nl_hidden_activations) - 1)];

  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-activation", "(uu)",
                              column - 1, (guint) activation);
}

static void
setup_ellipsized_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_ellipsized_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (string));
}

static GtkWidget *
activation_dropdown_new (NlNetworkView *self, guint column, gboolean is_output)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *dropdown;
  const NnActivation *list = is_output ? nl_output_activations : nl_hidden_activations;
  guint n = is_output ? G_N_ELEMENTS (nl_output_activations) : G_N_ELEMENTS (nl_hidden_activations);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, nl_names_activation (list[i]));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_ellipsized_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_ellipsized_label), NULL);

  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
  gtk_widget_set_tooltip_text (dropdown, is_output ? _("Activation of the output layer")
                                                   : _("Activation of this layer"));
  gtk_widget_add_css_class (dropdown, "activation-dropdown");
  g_object_set_data (G_OBJECT (dropdown), "nl-column", GUINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (dropdown), "nl-output", GUINT_TO_POINTER (is_output));
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_activation_selected), self);
  return dropdown;
}

static GtkWidget *
neuron_buttons_new (guint layer)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.remove-neuron");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", layer);
  gtk_widget_set_tooltip_text (remove, _("Remove a neuron from this layer"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "win.add-neuron");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (add), "u", layer);
  gtk_widget_set_tooltip_text (add, _("Add a neuron to this layer"));
  gtk_widget_add_css_class (remove, "neuron-button");
  gtk_widget_add_css_class (add, "neuron-button");
  gtk_box_append (GTK_BOX (box), remove);
  gtk_box_append (GTK_BOX (box), add);
  return box;
}

static void
clear_controls (NlNetworkView *self)
{
  for (guint c = 0; c < NL_NETWORK_MAX_COLUMNS; c++)
    {
      g_clear_pointer (&self->controls[c], gtk_widget_unparent);
      self->activation_dropdowns[c] = NULL;
    }
  self->n_control_columns = 0;
}

static void
build_controls (NlNetworkView *self, const NnArchitecture *arch)
{
  guint n_columns = arch->n_hidden + 2;

  clear_controls (self);
  for (guint c = 1; c < n_columns; c++)
    {
      gboolean is_output = c == n_columns - 1;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *dropdown = activation_dropdown_new (self, c, is_output);

      gtk_widget_add_css_class (box, "column-controls");
      if (!is_output)
        gtk_box_append (GTK_BOX (box), neuron_buttons_new (c - 1));
      gtk_box_append (GTK_BOX (box), dropdown);
      gtk_widget_set_parent (box, GTK_WIDGET (self));
      self->controls[c] = box;
      self->activation_dropdowns[c] = dropdown;
    }
  self->n_control_columns = n_columns;
}

static guint
activation_position (const NnActivation *list, guint n, NnActivation a)
{
  for (guint i = 0; i < n; i++)
    if (list[i] == a)
      return i;
  return 0;
}

static void
sync_controls (NlNetworkView *self)
{
  const NnArchitecture *arch = view_arch (self);

  if (arch == NULL)
    {
      clear_controls (self);
      return;
    }
  if (self->n_control_columns != arch->n_hidden + 2)
    build_controls (self, arch);

  self->syncing = TRUE;
  for (guint c = 1; c < self->n_control_columns; c++)
    {
      gboolean is_output = c == self->n_control_columns - 1;
      NnActivation a = is_output ? arch->output_activation : arch->activation[c - 1];
      guint pos = is_output
                    ? activation_position (nl_output_activations,
                                           G_N_ELEMENTS (nl_output_activations), a)
                    : activation_position (nl_hidden_activations,
                                           G_N_ELEMENTS (nl_hidden_activations), a);

      if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->activation_dropdowns[c])) != pos)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->activation_dropdowns[c]), pos);
    }
  self->syncing = FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* Layout                                                                               */

static void
ensure_layout (NlNetworkView *self)
{
  int width = self->width;
  int height = self->height - self->band_height;

  if (self->layout_valid || view_arch (self) == NULL)
    return;

  nl_network_layout_compute (self->layout, view_arch (self), view_features (self),
                             NL_NETWORK_LAYOUT_NO_CONTROLS, MAX (width, 1), MAX (height, 1),
                             view_style (self));
  self->layout_valid = TRUE;
  nl_view_cache_invalidate (&self->picture);
}

static gboolean
hit_test (NlNetworkView *self, double x, double y, NlNetworkHit *hit)
{
  *hit = (NlNetworkHit) NL_NETWORK_HIT_INIT;
  if (self->snapshot == NULL)
    return FALSE;
  ensure_layout (self);
  return nl_network_hit_test (self->layout, x, y - self->band_height, hit);
}

static void
nl_network_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  NlNetworkView *self = NL_NETWORK_VIEW (widget);
  int band = 0;

  for (guint c = 0; c < NL_NETWORK_MAX_COLUMNS; c++)
    if (self->controls[c] != NULL)
      {
        int min_h;

        gtk_widget_measure (self->controls[c], GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL,
                            NULL, NULL);
        band = MAX (band, min_h);
      }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 560;
    }
  else
    {
      *minimum = 300 + band;
      *natural = 480 + band;
    }
}

static void
nl_network_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NlNetworkView *self = NL_NETWORK_VIEW (widget);
  int band = 0;

  for (guint c = 0; c < NL_NETWORK_MAX_COLUMNS; c++)
    if (self->controls[c] != NULL)
      {
        int min_h, nat_h;

        gtk_widget_measure (self->controls[c], GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat_h,
                            NULL, NULL);
        band = MAX (band, nat_h);
      }
  band = band > 0 ? band + BAND_GAP + 6 : 0;
  if (band != self->band_height)
    {
      self->band_height = band;
      self->layout_valid = FALSE;
    }
  if (width != self->width || height != self->height)
    self->layout_valid = FALSE;
  self->width = width;
  self->height = height;
  ensure_layout (self);

  for (guint c = 1; c < NL_NETWORK_MAX_COLUMNS; c++)
    {
      GtkWidget *child = self->controls[c];
      int min_w, nat_w, min_h, nat_h, w, x, y;
      double left, right;
      const NlNetworkColumn *col;

      if (child == NULL || !self->layout_valid || c >= self->layout->n_columns)
        continue;
      col = &self->layout->columns[c];
      /* A column's controls may use the room up to halfway to its neighbours (the output
       * column up to the edge), centred over the column where they fit. */
      left = (self->layout->columns[c - 1].x_center + col->x_center) / 2;
      right = c + 1 < self->layout->n_columns
                ? (col->x_center + self->layout->columns[c + 1].x_center) / 2
                : width;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      w = MAX (min_w, MIN (nat_w, (int) (right - left) - 4));
      x = (int) round (col->x_center - w / 2.0);
      x = MIN (x, (int) right - 2 - w);
      x = MAX (x, (int) left + 2);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
      /* The output column has no +/− row: its activation lines up with the others'. */
      y = c + 1 == self->layout->n_columns ? MAX (6, self->band_height - BAND_GAP - nat_h) : 6;
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, nat_h }, -1);
    }

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
draw_network (cairo_t *cr, int width, int height, gpointer data)
{
  NlNetworkView *self = data;
  NlNetworkScene scene = NL_NETWORK_SCENE_INIT;

  ensure_layout (self);
  scene.arch = &self->snapshot->net.arch;
  scene.features = view_features (self);
  scene.params = self->snapshot->net.params;
  scene.neuron_grids = self->snapshot->neuron_grids;
  scene.grid_res = self->snapshot->neuron_res;
  scene.serial = self->snapshot->serial;
  scene.highlight = self->hover;

  cairo_translate (cr, 0, self->band_height);
  nl_render_network (cr, self->layout, &scene, view_style (self), self->cache);
}

static void
nl_network_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NlNetworkView *self = NL_NETWORK_VIEW (widget);

  if (self->snapshot == NULL || gtk_widget_get_height (widget) <= self->band_height)
    return;

  nl_view_cache_append (&self->picture, widget, snapshot, draw_network, self);
  GTK_WIDGET_CLASS (nl_network_view_parent_class)->snapshot (widget, snapshot);
}

/* ------------------------------------------------------------------------------------ */
/* Pointer                                                                              */

static char *
source_name (const NnArchitecture *arch, const NlNetworkHit *hit)
{
  if (hit->layer == 0)
    return g_strdup (nl_names_feature (hit->feature));
  return g_strdup_printf (_("neuron %u of hidden layer %u"), hit->input + 1, hit->layer);
}

static char *
unit_name (const NnArchitecture *arch, guint layer, guint unit)
{
  if (layer < arch->n_hidden)
    return g_strdup_printf (_("neuron %u of hidden layer %u"), unit + 1, layer + 1);
  if (arch->n_outputs == 1)
    return g_strdup (_("the output"));
  return g_strdup_printf (_("output %u"), unit + 1);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  NlNetworkView *self = NL_NETWORK_VIEW (widget);
  const NlSnapshot *snap = self->snapshot;
  NlNetworkHit hit;
  g_autofree char *text = NULL;

  if (keyboard_mode || !hit_test (self, x, y, &hit))
    return FALSE;

  switch (hit.kind)
    {
    case NL_NETWORK_HIT_FEATURE:
      {
        gboolean used = (view_features (self) & nn_feature_nth (hit.feature)) != 0;

        text = g_strdup_printf (used ? _("Feature %s: the network uses it.\nClick to take it away.")
                                     : _("Feature %s: not used.\nClick to feed it to the network."),
                                nl_names_feature (hit.feature));
      }
      break;

    case NL_NETWORK_HIT_NEURON:
      {
        const NnLayer *layer = &snap->net.layers[hit.layer];
        double bias = snap->net.params[layer->b_offset + hit.unit];
        g_autofree char *name = unit_name (&snap->net.arch, hit.layer, hit.unit);

        text = g_strdup_printf (_("<b>%s</b> (%s)\nBias %.4f\nThe picture shows its output over the input plane.\nClick to change the bias."),
                                name, nl_names_activation (layer->activation), bias);
      }
      break;

    case NL_NETWORK_HIT_LINK:
      {
        const NnLayer *layer = &snap->net.layers[hit.layer];
        gsize index = layer->w_offset + (gsize) hit.unit * layer->n_in + hit.input;
        g_autofree char *from = source_name (&snap->net.arch, &hit);
        g_autofree char *to = unit_name (&snap->net.arch, hit.layer, hit.unit);

        text = g_strdup_printf (_("Weight <b>%.4f</b>\nGradient %.3g\nfrom %s to %s\nClick to type a new weight."),
                                snap->net.params[index], snap->net.grads[index], from, to);
      }
      break;

    case NL_NETWORK_HIT_NONE:
    default:
      return FALSE;
    }

  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
set_hover (NlNetworkView *self, const NlNetworkHit *hit)
{
  if (nl_network_hit_equal (&self->hover, hit))
    return;
  self->hover = *hit;
  nl_view_cache_invalidate (&self->picture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NlNetworkView *self)
{
  NlNetworkHit hit;

  hit_test (self, x, y, &hit);
  set_hover (self, &hit);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   hit.kind == NL_NETWORK_HIT_NONE ? NULL : "pointer");
}

static void
on_leave (GtkEventControllerMotion *motion, NlNetworkView *self)
{
  NlNetworkHit none = NL_NETWORK_HIT_INIT;

  set_hover (self, &none);
}

static void
apply_edit (NlNetworkView *self)
{
  double value;

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->popover_spin));
  value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->popover_spin));

  if (self->editing.kind == NL_NETWORK_HIT_LINK)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-weight", "(uuud)",
                                self->editing.layer, self->editing.unit, self->editing.input,
                                value);
  else if (self->editing.kind == NL_NETWORK_HIT_NEURON)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-bias", "(uud)",
                                self->editing.layer, self->editing.unit, value);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_popover_spin_activate (GtkSpinButton *spin, NlNetworkView *self)
{
  apply_edit (self);
}

static void
on_popover_apply (GtkButton *button, NlNetworkView *self)
{
  apply_edit (self);
}

static void
ensure_popover (NlNetworkView *self)
{
  GtkWidget *box, *row, *apply, *hint;

  if (self->popover != NULL)
    return;

  self->popover = gtk_popover_new ();
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  gtk_widget_add_css_class (self->popover, "edit-popover");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  self->popover_title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->popover_title), 0);
  gtk_widget_add_css_class (self->popover_title, "heading");
  gtk_box_append (GTK_BOX (box), self->popover_title);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->popover_spin = gtk_spin_button_new_with_range (-100, 100, 0.1);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->popover_spin), 4);
  gtk_widget_set_hexpand (self->popover_spin, TRUE);
  g_signal_connect (self->popover_spin, "activate", G_CALLBACK (on_popover_spin_activate), self);
  gtk_box_append (GTK_BOX (row), self->popover_spin);
  apply = gtk_button_new_with_label (_("Set"));
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect (apply, "clicked", G_CALLBACK (on_popover_apply), self);
  gtk_box_append (GTK_BOX (row), apply);
  gtk_box_append (GTK_BOX (box), row);

  hint = gtk_label_new (_("Training goes on from the new value."));
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), hint);

  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
}

static void
open_editor (NlNetworkView *self, const NlNetworkHit *hit, double x, double y)
{
  const NlSnapshot *snap = self->snapshot;
  const NnLayer *layer = &snap->net.layers[hit->layer];
  g_autofree char *title = NULL;
  double value;

  ensure_popover (self);
  self->editing = *hit;

  if (hit->kind == NL_NETWORK_HIT_LINK)
    {
      g_autofree char *from = source_name (&snap->net.arch, hit);
      g_autofree char *to = unit_name (&snap->net.arch, hit->layer, hit->unit);

      value = snap->net.params[layer->w_offset + (gsize) hit->unit * layer->n_in + hit->input];
      title = g_strdup_printf (_("Weight from %s to %s"), from, to);
    }
  else
    {
      g_autofree char *name = unit_name (&snap->net.arch, hit->layer, hit->unit);

      value = snap->net.params[layer->b_offset + hit->unit];
      title = g_strdup_printf (_("Bias of %s"), name);
    }

  gtk_label_set_label (GTK_LABEL (self->popover_title), title);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->popover_spin), value);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x - 2, (int) y - 2, 4, 4 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_widget_grab_focus (self->popover_spin);
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   NlNetworkView   *self)
{
  NlNetworkHit hit;

  if (!hit_test (self, x, y, &hit))
    return;

  switch (hit.kind)
    {
    case NL_NETWORK_HIT_FEATURE:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toggle-feature", "u", hit.feature);
      break;
    case NL_NETWORK_HIT_LINK:
    case NL_NETWORK_HIT_NEURON:
      open_editor (self, &hit, x, y);
      break;
    case NL_NETWORK_HIT_NONE:
    default:
      break;
    }
}

/* ------------------------------------------------------------------------------------ */

static void
nl_network_view_dispose (GObject *object)
{
  NlNetworkView *self = NL_NETWORK_VIEW (object);

  clear_controls (self);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  nl_view_cache_clear (&self->picture);

  G_OBJECT_CLASS (nl_network_view_parent_class)->dispose (object);
}

static void
nl_network_view_finalize (GObject *object)
{
  NlNetworkView *self = NL_NETWORK_VIEW (object);

  g_clear_pointer (&self->layout, nl_network_layout_free);
  g_clear_pointer (&self->cache, nl_render_cache_free);

  G_OBJECT_CLASS (nl_network_view_parent_class)->finalize (object);
}

static void
nl_network_view_class_init (NlNetworkViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_network_view_dispose;
  object_class->finalize = nl_network_view_finalize;

  widget_class->measure = nl_network_view_measure;
  widget_class->size_allocate = nl_network_view_size_allocate;
  widget_class->snapshot = nl_network_view_snapshot;

  gtk_widget_class_set_css_name (widget_class, "nlnetworkview");
}

static void
nl_network_view_init (NlNetworkView *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  self->layout = nl_network_layout_new ();
  self->cache = nl_render_cache_new ();
  self->hover = (NlNetworkHit) NL_NETWORK_HIT_INIT;
  self->editing = (NlNetworkHit) NL_NETWORK_HIT_INIT;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
nl_network_view_new (void)
{
  return g_object_new (NL_TYPE_NETWORK_VIEW, NULL);
}

void
nl_network_view_set_snapshot (NlNetworkView *self, NlSnapshot *snapshot)
{
  gboolean relayout;

  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  relayout = self->snapshot == NULL || snapshot == NULL
             || self->snapshot->model != snapshot->model
             || !nn_architecture_equal (&self->snapshot->net.arch, &snapshot->net.arch);

  if (snapshot != NULL)
    nl_snapshot_ref (snapshot);
  g_clear_pointer (&self->snapshot, nl_snapshot_unref);
  self->snapshot = snapshot;

  if (relayout)
    {
      NlNetworkHit none = NL_NETWORK_HIT_INIT;

      self->layout_valid = FALSE;
      self->hover = none;
      sync_controls (self);
      if (self->popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->popover));
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  nl_view_cache_invalidate (&self->picture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nl_network_view_set_dark (NlNetworkView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  if (self->dark == !!dark)
    return;
  self->dark = !!dark;
  nl_render_cache_clear (self->cache);
  self->layout_valid = FALSE;
  nl_view_cache_invalidate (&self->picture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
