/* nl-network-view.c: the network diagram widget (drawing is src/render's). */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nl-network-view.h"
#include "nl-names.h"
#include "nl-render.h"
#include "nl-view-utils.h"
#include "nl-insight-text.h"
#include "nl-render-health.h"

enum {
  NEURON_HOVER,
  WEIGHT_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PICKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

  /* Issue 7: layer health sparklines, the selected point's values, the hovered neuron */
  gboolean         show_health;
  double           point_inputs[NN_N_FEATURES];
  double          *point_neurons;
  guint            n_point_inputs;
  guint            n_point_neurons;
  int              hover_layer, hover_unit;   /* last emitted by "neuron-hover" */

  /* Controls above each column; index = column (0, the inputs, has none). */
  GtkWidget       *controls[NL_NETWORK_MAX_COLUMNS];
  GtkWidget       *activation_dropdowns[NL_NETWORK_MAX_COLUMNS];
  GtkWidget       *remove_buttons[NL_NETWORK_MAX_COLUMNS];
  GtkWidget       *add_buttons[NL_NETWORK_MAX_COLUMNS];
  /* The +/− buttons and the drop-down of a column, in a box that is controls[c] itself or,
   * when the columns are too narrow for it (a small screen), the popover of a compact menu
   * button controls[c] that shows the activation's short name. */
  GtkWidget       *inner[NL_NETWORK_MAX_COLUMNS];
  gboolean         compact;
  gboolean         want_compact;
  guint            compact_idle;
  guint            n_control_columns;   /* columns the controls were built for */
  gboolean         syncing;
  int              band_height;        /* above the diagram: the controls, the banner */
  int              hint_height;        /* the picking banner's share of it (0: none) */
  int              width, height;      /* the last allocation */

  /* Editing a weight or a bias. */
  GtkWidget       *popover;
  GtkWidget       *popover_title;
  GtkWidget       *popover_spin;
  NlNetworkHit     editing;

  /* Issue 4: picking the two weights of the compare window's plane (α, β). */
  gboolean         picking;
  NnWeightRef      picked[2];
  gboolean         has_picked[2];
};

G_DEFINE_FINAL_TYPE (NlNetworkView, nl_network_view, GTK_TYPE_WIDGET)

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

/* Plain buttons rather than actionable ones: one action serves every layer, so only the
 * buttons know that this layer is full or down to one neuron (see sync_controls). */
static void
on_neuron_button_clicked (GtkButton *button, NlNetworkView *self)
{
  guint layer = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "nl-layer"));
  gboolean add = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "nl-add"));

  gtk_widget_activate_action (GTK_WIDGET (self), add ? "win.add-neuron" : "win.remove-neuron",
                              "u", layer);
}

static GtkWidget *
neuron_button_new (NlNetworkView *self, guint layer, gboolean add)
{
  GtkWidget *button = gtk_button_new_from_icon_name (add ? "list-add-symbolic"
                                                         : "list-remove-symbolic");

  gtk_widget_add_css_class (button, "neuron-button");
  g_object_set_data (G_OBJECT (button), "nl-layer", GUINT_TO_POINTER (layer));
  g_object_set_data (G_OBJECT (button), "nl-add", GUINT_TO_POINTER (add));
  g_signal_connect (button, "clicked", G_CALLBACK (on_neuron_button_clicked), self);
  return button;
}

static GtkWidget *
neuron_buttons_new (NlNetworkView *self, guint column)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  self->remove_buttons[column] = neuron_button_new (self, column - 1, FALSE);
  self->add_buttons[column] = neuron_button_new (self, column - 1, TRUE);
  gtk_box_append (GTK_BOX (box), self->remove_buttons[column]);
  gtk_box_append (GTK_BOX (box), self->add_buttons[column]);
  return box;
}

static void
clear_controls (NlNetworkView *self)
{
  for (guint c = 0; c < NL_NETWORK_MAX_COLUMNS; c++)
    {
      g_clear_pointer (&self->controls[c], gtk_widget_unparent);
      self->activation_dropdowns[c] = NULL;
      self->remove_buttons[c] = NULL;
      self->add_buttons[c] = NULL;
      self->inner[c] = NULL;
    }
  self->n_control_columns = 0;
}

/* A compact menu button whose popover holds a column's controls. */
static GtkWidget *
column_menu_new (guint column, gboolean is_output, GtkWidget *controls)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_autofree char *title = is_output ? g_strdup (_("Output layer"))
                                     : g_strdup_printf (_("Hidden layer %u"), column);
  GtkWidget *heading = gtk_label_new (title);

  /* A label of its own, without the arrow a label of the menu button's would bring: the
   * short name is all a narrow column has room for. */
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), gtk_label_new (NULL));
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (content), heading);
  gtk_box_append (GTK_BOX (content), controls);
  gtk_popover_set_child (GTK_POPOVER (popover), content);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_add_css_class (button, "column-menu");
  gtk_widget_set_tooltip_text (button, is_output ? _("Activation of the output layer")
                                                 : _("Neurons and activation of this layer"));
  return button;
}

/* The activation's short name, for a compact column menu. */
static const char *
activation_short_name (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_IDENTITY:   return C_("short for linear", "lin");
    case NN_ACTIVATION_RELU:       return C_("activation", "ReLU");
    case NN_ACTIVATION_LEAKY_RELU: return C_("short for Leaky ReLU", "LReLU");
    case NN_ACTIVATION_SIGMOID:    return "σ";
    case NN_ACTIVATION_TANH:       return C_("short for tanh", "tanh");
    case NN_ACTIVATION_SOFTMAX:    return C_("short for softmax", "smax");
    case NN_N_ACTIVATIONS:
    default:                       return "?";
    }
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
        gtk_box_append (GTK_BOX (box), neuron_buttons_new (self, c));
      gtk_box_append (GTK_BOX (box), dropdown);
      self->inner[c] = box;
      self->controls[c] = self->compact ? column_menu_new (c, is_output, box) : box;
      gtk_widget_set_parent (self->controls[c], GTK_WIDGET (self));
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
      if (GTK_IS_MENU_BUTTON (self->controls[c]))
        {
          GtkWidget *label = gtk_menu_button_get_child (GTK_MENU_BUTTON (self->controls[c]));

          gtk_label_set_label (GTK_LABEL (label), activation_short_name (a));
        }
      if (is_output)
        {
          /* More than two classes leave one choice: a probability per class. */
          gboolean fixed = arch->output_activation == NN_ACTIVATION_SOFTMAX
                           && arch->n_outputs > 2;

          gtk_widget_set_sensitive (self->activation_dropdowns[c], !fixed);
          gtk_widget_set_tooltip_text (
            self->activation_dropdowns[c],
            fixed ? _("With more than two classes the output layer is softmax: one probability per class")
                  : _("Activation of the output layer"));
          continue;
        }
      /* Within the engine's limits: the buttons say so by greying out. */
      gtk_widget_set_sensitive (self->remove_buttons[c], arch->units[c - 1] > 1);
      gtk_widget_set_tooltip_text (self->remove_buttons[c],
                                   arch->units[c - 1] > 1 ? _("Remove a neuron from this layer")
                                                          : _("A layer needs at least one neuron"));
      gtk_widget_set_sensitive (self->add_buttons[c], arch->units[c - 1] < NN_MAX_UNITS);
      {
        g_autofree char *full = g_strdup_printf (_("A layer holds at most %u neurons"),
                                                 NN_MAX_UNITS);

        gtk_widget_set_tooltip_text (self->add_buttons[c],
                                     arch->units[c - 1] < NN_MAX_UNITS
                                       ? _("Add a neuron to this layer") : full);
      }
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
                             NL_NETWORK_LAYOUT_NO_CONTROLS
                             | (self->show_health ? NL_NETWORK_LAYOUT_SPARKLINES : 0),
                             MAX (width, 1), MAX (height, 1),
                             nl_view_style (self->dark));
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
      /* The narrowest the diagram and its legend stay whole at (a 1024-pixel screen). */
      *minimum = 280;
      *natural = 560;
    }
  else
    {
      *minimum = 300 + band;
      *natural = 480 + band;
    }
}

/* The room column c's controls may use when every `stride`-th column shares a row: up to
 * halfway to the next column of the same row (the last ones up to the edge). */
static void
control_room (NlNetworkView *self, guint c, guint stride, int width, double *left,
              double *right)
{
  const NlNetworkLayout *l = self->layout;

  *left = c >= stride ? (l->columns[c - stride].x_center + l->columns[c].x_center) / 2
                      : l->columns[0].x_center;
  *right = c + stride < l->n_columns
             ? (l->columns[c].x_center + l->columns[c + stride].x_center) / 2
             : width;
}

/* Switches between full and compact controls, outside of size allocation but before the
 * next frame (training flat out leaves no time for an ordinary idle). */
static gboolean
switch_compact (gpointer data)
{
  NlNetworkView *self = data;

  self->compact_idle = 0;
  if (self->compact != self->want_compact)
    {
      self->compact = self->want_compact;
      clear_controls (self);
      sync_controls (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  return G_SOURCE_REMOVE;
}

/* Whether every column's `widgets` (the controls shown, or the full ones: those are
 * measured in either mode, so the choice of a mode cannot flip back and forth) fit their
 * room at their natural width when every `stride`-th column shares a row. */
static gboolean
controls_fit (NlNetworkView *self, GtkWidget *const *widgets, guint stride, int width)
{
  for (guint c = 1; c < self->layout->n_columns && c < NL_NETWORK_MAX_COLUMNS; c++)
    {
      double left, right;
      int nat_w;

      if (widgets[c] == NULL)
        continue;
      control_room (self, c, stride, width, &left, &right);
      gtk_widget_measure (widgets[c], GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat_w, NULL, NULL);
      if (nat_w > right - left - 2)
        return FALSE;
    }
  return TRUE;
}

/* The picking banner's text, wrapped to the view's width. */
static PangoLayout *
pick_hint_new (NlNetworkView *self, int width)
{
  PangoLayout *hint = gtk_widget_create_pango_layout (
    GTK_WIDGET (self), _("Picking weights for the plane: click a link · Esc stops"));

  pango_layout_set_width (hint, MAX (width - 40, 80) * PANGO_SCALE);
  pango_layout_set_wrap (hint, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (hint, PANGO_ALIGN_CENTER);
  return hint;
}

/* Room for the banner (its text, 4 pixels above and below it) and a gap under it. */
static int
pick_hint_height (NlNetworkView *self, int width)
{
  PangoLayout *hint = pick_hint_new (self, width);
  int th;

  pango_layout_get_pixel_size (hint, NULL, &th);
  g_object_unref (hint);
  return th + 8 + BAND_GAP;
}

static void
nl_network_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NlNetworkView *self = NL_NETWORK_VIEW (widget);
  int row_h = 0, band;
  guint rows = 1;

  for (guint c = 0; c < NL_NETWORK_MAX_COLUMNS; c++)
    if (self->controls[c] != NULL)
      {
        int min_h, nat_h;

        gtk_widget_measure (self->controls[c], GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat_h,
                            NULL, NULL);
        row_h = MAX (row_h, nat_h);
      }
  if (width != self->width || height != self->height)
    self->layout_valid = FALSE;
  self->width = width;
  self->height = height;
  /* Columns too narrow for their controls (many layers, a small screen) get compact menus
   * instead; if even those do not fit, two staggered rows of them, each twice as wide,
   * rather than overlapping. The columns' positions do not depend on the band's height, so
   * the layout can tell before it. */
  ensure_layout (self);
  if (row_h > 0 && self->layout_valid)
    {
      self->want_compact = !controls_fit (self, self->inner, 1, width);
      if (self->want_compact != self->compact && self->compact_idle == 0)
        self->compact_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, switch_compact, self, NULL);
      if (!controls_fit (self, self->controls, 1, width))
        rows = 2;
    }
  band = row_h > 0 ? (int) rows * row_h + ((int) rows - 1) * 4 + BAND_GAP + 6 : 0;
  /* While picking, the banner takes a strip of its own between the controls and the
   * diagram: drawn over the diagram, it hid the column captions. */
  self->hint_height = self->picking ? pick_hint_height (self, width) : 0;
  band += self->hint_height;
  if (band != self->band_height)
    {
      self->band_height = band;
      self->layout_valid = FALSE;
    }
  ensure_layout (self);

  for (guint c = 1; c < NL_NETWORK_MAX_COLUMNS; c++)
    {
      GtkWidget *child = self->controls[c];
      int min_w, nat_w, min_h, nat_h, w, x, y;
      guint row = (c - 1) % rows;
      double left, right;
      const NlNetworkColumn *col;

      if (child == NULL || !self->layout_valid || c >= self->layout->n_columns)
        continue;
      col = &self->layout->columns[c];
      /* Centred over the column where they fit, inside their room. */
      control_room (self, c, rows, width, &left, &right);
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      w = MAX (min_w, MIN (nat_w, (int) (right - left) - 2));
      x = (int) round (col->x_center - w / 2.0);
      x = MIN (x, (int) right - 1 - w);
      x = MAX (x, (int) left + 1);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
      /* The output column has no +/− row: its activation lines up with the others'. */
      y = 6 + (int) row * (row_h + 4) + MAX (row_h - nat_h, 0);
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, nat_h }, -1);
    }

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

/* ------------------------------------------------------------------------------------ */
/* Picking weights for the compare window (issue 4)                                      */

/* Whether ref names a weight or bias of the snapshot's network. */
static gboolean
pick_valid (NlNetworkView *self, const NnWeightRef *ref)
{
  const NnNetwork *net = &self->snapshot->net;

  return ref->layer < net->n_layers && ref->out < net->layers[ref->layer].n_out
         && ref->in <= net->layers[ref->layer].n_in;
}

/* The axis name in a disc of the highlight colour, big enough to read from the back. */
static void
draw_pick_badge (NlNetworkView *self, cairo_t *cr, double x, double y, const char *name)
{
  const NlRenderStyle *style = nl_view_style (self->dark);
  PangoLayout *text = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
  PangoFontDescription *font = pango_font_description_from_string (style->font_family);
  const double radius = 12 * style->font_scale;
  int tw, th;

  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, 17 * style->font_scale * PANGO_SCALE);
  pango_layout_set_font_description (text, font);
  pango_layout_get_pixel_size (text, &tw, &th);
  cairo_new_path (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  nl_render_set_source (cr, &style->highlight);
  cairo_fill_preserve (cr);
  nl_render_set_source (cr, &style->surface);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_move_to (cr, x - tw / 2.0, y - th / 2.0);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, text);
  pango_font_description_free (font);
  g_object_unref (text);
}

/* A picked weight: its link traced again in the highlight colour around the weight's own
 * colour (or its bias square framed), the axis name at its middle. */
static void
draw_pick_mark (NlNetworkView *self, cairo_t *cr, const NnWeightRef *ref, const char *name)
{
  const NlRenderStyle *style = nl_view_style (self->dark);
  const NlNetworkLayout *l = self->layout;
  const NnLayer *layer = &self->snapshot->net.layers[ref->layer];
  const NlNetworkNode *node = nl_network_layout_get_neuron (l, ref->layer, ref->out);
  double x0, y0, x1, y1, mx, my, d, w;

  if (node == NULL)
    return;
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (ref->in == layer->n_in)
    {
      const NlRect *r = node->shape == NL_NODE_CIRCLE ? &node->rect : &node->bias;

      cairo_rectangle (cr, r->x - 3, r->y - 3, r->width + 6, r->height + 6);
      nl_render_set_source (cr, &style->highlight);
      cairo_set_line_width (cr, 4);
      cairo_stroke (cr);
      draw_pick_badge (self, cr, r->x - 16 * style->font_scale, r->y + r->height / 2, name);
      cairo_restore (cr);
      return;
    }
  if (!nl_network_layout_link_point (l, ref->layer, ref->out, ref->in, 0, &x0, &y0)
      || !nl_network_layout_link_point (l, ref->layer, ref->out, ref->in, 1, &x1, &y1)
      || !nl_network_layout_link_point (l, ref->layer, ref->out, ref->in, 0.5, &mx, &my))
    {
      cairo_restore (cr);
      return;
    }
  /* The same cubic as the renderer's links (nl-render-network.h). */
  d = (x1 - x0) * l->link_bend;
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, x0 + d, y0, x1 - d, y1, x1, y1);
  nl_render_set_source (cr, &style->highlight);
  cairo_set_line_width (cr, 8);
  cairo_stroke_preserve (cr);
  w = self->snapshot->net.params[layer->w_offset + (gsize) ref->out * layer->n_in + ref->in];
  nl_render_set_source (cr, w >= 0 ? &style->positive : &style->negative);
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
  draw_pick_badge (self, cr, mx, my, name);
  cairo_restore (cr);
}

/* While picking, a banner in its strip above the diagram (see size_allocate) says what a
 * click does; wrapped when the view is narrow. `top` is the strip's top. */
static void
draw_pick_hint (NlNetworkView *self, cairo_t *cr, int width, double top)
{
  const NlRenderStyle *style = nl_view_style (self->dark);
  PangoLayout *hint = pick_hint_new (self, width);
  const double r = 8;
  double x0, x1, y0 = top, y1;
  int tw, th;

  pango_layout_get_pixel_size (hint, &tw, &th);
  tw = MIN (tw, width - 40);
  x0 = (width - tw) / 2.0 - 10, x1 = (width + tw) / 2.0 + 10, y1 = top + th + 8;
  cairo_new_path (cr);
  cairo_arc (cr, x0 + r, y0 + r, r, G_PI, 3 * G_PI / 2);
  cairo_arc (cr, x1 - r, y0 + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x1 - r, y1 - r, r, 0, G_PI / 2);
  cairo_arc (cr, x0 + r, y1 - r, r, G_PI / 2, G_PI);
  cairo_close_path (cr);
  nl_render_set_source (cr, &style->highlight);
  cairo_fill (cr);
  cairo_move_to (cr, 20, top + 4);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, hint);
  g_object_unref (hint);
}

static void
draw_pick_marks (NlNetworkView *self, cairo_t *cr)
{
  static const char *names[] = { "α", "β" };

  for (guint i = 0; i < 2; i++)
    if (self->has_picked[i] && pick_valid (self, &self->picked[i]))
      draw_pick_mark (self, cr, &self->picked[i], names[i]);
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

  /* The banner's strip is above the diagram's top, which the translation moves to 0. */
  if (self->picking && self->hint_height > 0)
    draw_pick_hint (self, cr, width, self->band_height - self->hint_height);
  cairo_translate (cr, 0, self->band_height);
  nl_render_network (cr, self->layout, &scene, nl_view_style (self->dark), self->cache);
  if (self->show_health && self->snapshot->health != NULL)
    nl_render_network_health_at (cr, self->layout, self->snapshot->health->history,
                                 self->snapshot->previewing
                                   ? (gint64) self->snapshot->preview_epoch : -1,
                                 nl_view_style (self->dark), self->cache);
  if (self->n_point_neurons == nn_network_total_units (&self->snapshot->net)
      && self->n_point_inputs == self->snapshot->net.arch.n_inputs)
    nl_render_network_values (cr, self->layout, self->point_inputs, self->point_neurons,
                              nl_view_style (self->dark), self->cache);
  if (self->picking)
    draw_pick_marks (self, cr);
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

/* The weight (or bias) a hit on a link (or a bias square) names; FALSE for other hits. */
static gboolean
hit_weight_ref (NlNetworkView *self, const NlNetworkHit *hit, NnWeightRef *ref)
{
  if (self->snapshot == NULL || hit->layer >= self->snapshot->net.n_layers)
    return FALSE;
  if (hit->kind == NL_NETWORK_HIT_LINK)
    *ref = (NnWeightRef) { hit->layer, hit->unit, hit->input };
  else if (hit->kind == NL_NETWORK_HIT_BIAS)
    *ref = (NnWeightRef) { hit->layer, hit->unit, self->snapshot->net.layers[hit->layer].n_in };
  else
    return FALSE;
  return TRUE;
}

/* 0 when ref is marked α, 1 when β, −1 when it is not marked. */
static int
picked_slot (NlNetworkView *self, const NnWeightRef *ref)
{
  for (int i = 0; i < 2; i++)
    if (self->has_picked[i] && self->picked[i].layer == ref->layer
        && self->picked[i].out == ref->out && self->picked[i].in == ref->in)
      return i;
  return -1;
}

/* While picking, the tooltip says what a click will do instead of the editing hints. */
static gboolean
pick_tooltip (NlNetworkView *self, const NlNetworkHit *hit, GtkTooltip *tooltip)
{
  const NnNetwork *net = &self->snapshot->net;
  const NnLayer *layer;
  NnWeightRef ref;
  g_autofree char *name = NULL, *to = NULL, *text = NULL;
  double value;
  int slot;

  if (!hit_weight_ref (self, hit, &ref))
    {
      gtk_tooltip_set_text (tooltip, _("Picking the plane's weights: click a link or a bias "
                                       "square. Esc stops."));
      return TRUE;
    }
  layer = &net->layers[ref.layer];
  to = unit_name (&net->arch, ref.layer, ref.out);
  if (ref.in == layer->n_in)
    {
      name = g_strdup_printf (_("Bias of %s"), to);
      value = net->params[layer->b_offset + ref.out];
    }
  else
    {
      g_autofree char *from = source_name (&net->arch, hit);

      name = g_strdup_printf (_("Weight from %s to %s"), from, to);
      value = net->params[layer->w_offset + (gsize) ref.out * layer->n_in + ref.in];
    }
  slot = picked_slot (self, &ref);
  if (slot >= 0)
    text = g_markup_printf_escaped (
      _("%s: <b>%.4f</b>\nAxis %s of the plane. Click to un-pick it."), name, value,
      slot == 0 ? "α" : "β");
  else
    text = g_markup_printf_escaped (_("%s: <b>%.4f</b>\nClick to make it an axis of the plane."),
                                    name, value);
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

/* Over a layer's sparklines: its health in plain words. */
static gboolean
health_tooltip (NlNetworkView *self, int x, int y, GtkTooltip *tooltip)
{
  const NlSnapshot *snap = self->snapshot;
  const NnHealth *health;
  g_autofree char *text = NULL;
  guint layer;

  if (!self->show_health || snap == NULL || snap->health == NULL || !self->layout_valid
      || !nl_network_layout_health_at (self->layout, x, y - self->band_height, &layer))
    return FALSE;
  /* On the timeline's past: the health as it was then, as the sparklines show it. */
  health = snap->previewing
             ? nn_health_history_at_epoch (snap->health->history, snap->preview_epoch)
             : &snap->health->health;
  if (health == NULL)
    return FALSE;
  text = nl_health_describe_layer (health, layer);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The selected point's value at a hovered neuron. */
static void
append_point_value (NlNetworkView *self, const NlNetworkHit *hit, char **text)
{
  guint index = hit->unit;
  char *longer;

  if (self->point_neurons == NULL || self->snapshot == NULL)
    return;
  for (guint l = 0; l < hit->layer && l < self->snapshot->net.n_layers; l++)
    index += self->snapshot->net.layers[l].n_out;
  if (index >= self->n_point_neurons)
    return;
  longer = g_strdup_printf (_("%s\nFor the selected point it outputs <b>%.4f</b>."), *text,
                            self->point_neurons[index]);
  g_free (*text);
  *text = longer;
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

  if (keyboard_mode)
    return FALSE;
  if (!hit_test (self, x, y, &hit))
    return health_tooltip (self, x, y, tooltip);
  if (self->picking)
    return pick_tooltip (self, &hit, tooltip);

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

    case NL_NETWORK_HIT_BIAS:
      {
        const NnLayer *layer = &snap->net.layers[hit.layer];
        gsize index = layer->b_offset + hit.unit;
        g_autofree char *name = unit_name (&snap->net.arch, hit.layer, hit.unit);

        text = g_strdup_printf (_("Bias <b>b = %.4f</b>, gradient %.3g\nof %s\nClick to type a new bias."),
                                snap->net.params[index], snap->net.grads[index], name);
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

  if (hit.kind == NL_NETWORK_HIT_NEURON)
    append_point_value (self, &hit, &text);
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
set_hover (NlNetworkView *self, const NlNetworkHit *hit)
{
  if (nl_network_hit_equal (&self->hover, hit))
    return;
  self->hover = *hit;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));

  {
    int layer = hit->kind == NL_NETWORK_HIT_NEURON ? (int) hit->layer : -1;
    int unit = hit->kind == NL_NETWORK_HIT_NEURON ? (int) hit->unit : -1;

    if (layer != self->hover_layer || unit != self->hover_unit)
      {
        self->hover_layer = layer;
        self->hover_unit = unit;
        g_signal_emit (self, signals[NEURON_HOVER], 0, layer, unit);
      }
  }
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NlNetworkView *self)
{
  NlNetworkHit hit;

  NnWeightRef ref;
  const char *cursor;

  hit_test (self, x, y, &hit);
  set_hover (self, &hit);
  /* While picking only weights react to a click: a crosshair says which. */
  if (self->picking)
    cursor = hit_weight_ref (self, &hit, &ref) ? "crosshair" : NULL;
  else
    cursor = hit.kind == NL_NETWORK_HIT_NONE ? NULL : "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
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
  else if (self->editing.kind == NL_NETWORK_HIT_NEURON
           || self->editing.kind == NL_NETWORK_HIT_BIAS)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-bias", "(uud)",
                                self->editing.layer, self->editing.unit, value);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_popover_spin_activate (GtkText *text, NlNetworkView *self)
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
  /* GtkSpinButton::activate is GTK 4.14: on 4.8, Enter reaches its text's "activate". */
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->popover_spin)), "activate",
                    G_CALLBACK (on_popover_spin_activate), self);
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
  nl_network_view_click (self, x, y);
}

/* Escape ends picking wherever the focus is in the window; otherwise it is not ours. */
static gboolean
on_escape (GtkWidget *widget, GVariant *args, gpointer data)
{
  NlNetworkView *self = data;

  if (!self->picking)
    return FALSE;
  nl_network_view_set_picking (self, FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */

static void
nl_network_view_dispose (GObject *object)
{
  NlNetworkView *self = NL_NETWORK_VIEW (object);

  g_clear_handle_id (&self->compact_idle, g_source_remove);
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
  g_clear_pointer (&self->point_neurons, g_free);

  G_OBJECT_CLASS (nl_network_view_parent_class)->finalize (object);
}

static void
nl_network_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NlNetworkView *self = NL_NETWORK_VIEW (object);

  switch (prop_id)
    {
    case PROP_PICKING:
      g_value_set_boolean (value, self->picking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_network_view_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  NlNetworkView *self = NL_NETWORK_VIEW (object);

  switch (prop_id)
    {
    case PROP_PICKING:
      nl_network_view_set_picking (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nl_network_view_class_init (NlNetworkViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nl_network_view_dispose;
  object_class->finalize = nl_network_view_finalize;
  object_class->get_property = nl_network_view_get_property;
  object_class->set_property = nl_network_view_set_property;

  widget_class->measure = nl_network_view_measure;
  widget_class->size_allocate = nl_network_view_size_allocate;
  widget_class->snapshot = nl_network_view_snapshot;

  gtk_widget_class_set_css_name (widget_class, "nlnetworkview");

  /**
   * NlNetworkView::neuron-hover:
   * @layer: the hovered neuron's layer (0 = first hidden), −1 when none is
   * @unit: its index in the layer, −1 when none is
   */
  signals[NEURON_HOVER] = g_signal_new ("neuron-hover", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                        2, G_TYPE_INT, G_TYPE_INT);
  /**
   * NlNetworkView::weight-picked:
   * @layer, @out, @in: the weight clicked while picking (@in = the layer's n_in: the bias)
   */
  signals[WEIGHT_PICKED] = g_signal_new ("weight-picked", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                         3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);

  properties[PROP_PICKING] =
    g_param_spec_boolean ("picking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nl_network_view_init (NlNetworkView *self)
{
  GtkEventController *keys;

  self->layout = nl_network_layout_new ();
  self->cache = nl_render_cache_new ();
  self->hover = (NlNetworkHit) NL_NETWORK_HIT_INIT;
  self->hover_layer = self->hover_unit = -1;
  self->editing = (NlNetworkHit) NL_NETWORK_HIT_INIT;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  nl_view_track_pointer (GTK_WIDGET (self), G_CALLBACK (on_motion), G_CALLBACK (on_leave), self);
  nl_view_add_click (GTK_WIDGET (self), "released", G_CALLBACK (on_click_released), self);

  /* Global scope: Escape reaches the view wherever the focus is; in the capture phase, so
   * it ends picking before the window's own Escape binding sees it. */
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (on_escape, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
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

  nl_view_replace_snapshot (&self->snapshot, snapshot);

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
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

void
nl_network_view_set_dark (NlNetworkView *self, gboolean dark)
{
  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  if (nl_view_set_dark (GTK_WIDGET (self), &self->picture, self->cache, &self->dark, dark))
    self->layout_valid = FALSE;
}

void
nl_network_view_set_show_health (NlNetworkView *self, gboolean show_health)
{
  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  if (nl_view_set_boolean (GTK_WIDGET (self), &self->picture, &self->show_health, show_health))
    self->layout_valid = FALSE;
}

void
nl_network_view_set_point_values (NlNetworkView *self,
                                  const double  *inputs,
                                  guint          n_inputs,
                                  const double  *neurons,
                                  guint          n_neurons)
{
  g_return_if_fail (NL_IS_NETWORK_VIEW (self));
  g_return_if_fail (n_inputs <= NN_N_FEATURES);

  if (inputs == NULL || neurons == NULL)
    n_inputs = n_neurons = 0;
  if (n_inputs > 0)
    memcpy (self->point_inputs, inputs, n_inputs * sizeof (double));
  self->point_neurons = g_renew (double, self->point_neurons, MAX (n_neurons, 1));
  if (n_neurons > 0)
    memcpy (self->point_neurons, neurons, n_neurons * sizeof (double));
  else
    g_clear_pointer (&self->point_neurons, g_free);
  self->n_point_inputs = n_inputs;
  self->n_point_neurons = n_neurons;
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

void
nl_network_view_set_picking (NlNetworkView *self, gboolean picking)
{
  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  if (self->picking == !!picking)
    return;
  self->picking = !!picking;
  /* A click picks now: an editor left open would take the next one. */
  if (picking && self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  /* The banner's strip comes or goes: size_allocate makes room for it. */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PICKING]);
}

gboolean
nl_network_view_get_picking (NlNetworkView *self)
{
  g_return_val_if_fail (NL_IS_NETWORK_VIEW (self), FALSE);

  return self->picking;
}

void
nl_network_view_set_picked (NlNetworkView     *self,
                            const NnWeightRef *alpha,
                            const NnWeightRef *beta)
{
  const NnWeightRef *refs[2] = { alpha, beta };

  g_return_if_fail (NL_IS_NETWORK_VIEW (self));

  for (guint i = 0; i < 2; i++)
    {
      self->has_picked[i] = refs[i] != NULL;
      if (refs[i] != NULL)
        self->picked[i] = *refs[i];
    }
  nl_view_cache_redraw (&self->picture, GTK_WIDGET (self));
}

gboolean
nl_network_view_click (NlNetworkView *self, double x, double y)
{
  NlNetworkHit hit;
  NnWeightRef ref;

  g_return_val_if_fail (NL_IS_NETWORK_VIEW (self), FALSE);

  if (!hit_test (self, x, y, &hit))
    return FALSE;
  if (self->picking)
    {
      /* Nothing but weights can be picked, and nothing is edited meanwhile. */
      if (!hit_weight_ref (self, &hit, &ref))
        return FALSE;
      g_signal_emit (self, signals[WEIGHT_PICKED], 0, ref.layer, ref.out, ref.in);
      return TRUE;
    }

  switch (hit.kind)
    {
    case NL_NETWORK_HIT_FEATURE:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toggle-feature", "u", hit.feature);
      break;
    case NL_NETWORK_HIT_LINK:
    case NL_NETWORK_HIT_NEURON:
    case NL_NETWORK_HIT_BIAS:
      open_editor (self, &hit, x, y);
      break;
    case NL_NETWORK_HIT_NONE:
    default:
      break;
    }
  return TRUE;
}

gboolean
nl_network_view_link_point (NlNetworkView *self, guint layer, guint out, guint in, double t,
                            double *x, double *y)
{
  g_return_val_if_fail (NL_IS_NETWORK_VIEW (self), FALSE);

  if (self->snapshot == NULL)
    return FALSE;
  ensure_layout (self);
  if (!nl_network_layout_link_point (self->layout, layer, out, in, t, x, y))
    return FALSE;
  *y += self->band_height;
  return TRUE;
}
