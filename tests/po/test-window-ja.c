/* test-window-ja.c: the real window in Japanese (LANGUAGE=ja, under Xvfb in the suite).
 *
 * The environment (tests/po/meson.build) is the GUI tests' plus LANGUAGE=ja and
 * NEURAL_LAB_LOCALEDIR=<build>/po, where the build puts ja/LC_MESSAGES/neural-lab.mo.
 * LC_ALL stays C.UTF-8: glibc honours LANGUAGE for any locale but plain "C"/"POSIX", so no
 * ja_JP locale has to be generated (LANG=ja_JP.UTF-8 without that locale would make
 * setlocale fail, fall back to "C" and show English).
 *
 * It opens the window on the default example, trains a little, and checks that
 *  - the Play button's tooltip and the section titles are the Japanese translations,
 *  - no visible label or tooltip is left in English (a string shown without _()),
 *  - every visible label renders without a missing glyph (no tofu boxes: a Japanese font
 *    is installed, build-aux/debian-packages.txt),
 *  - the Japanese labels make the window no bigger than the English ones (opened first, in
 *    the same process: LANGUAGE is switched at run time), at 1280×800 and 1024×640,
 * and saves window-ja-1280x800.png and window-ja-1024x640.png in the build directory; the
 * same checks run on the Explain page, the shortcuts window and the Compare optimizers
 * window (window-ja-explain-1280x800.png, shortcuts-ja.png, compare-ja-1280x800.png).
 */
#include <locale.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "nl-application.h"
#include "nl-window.h"
#include "gui-test-utils.h"

static NlApplication *app;

/* GNU gettext's (and glibc's) catalogue generation: bumping it after changing LANGUAGE
 * makes gettext look the language up again (the gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

static void
set_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

/* Whether `text` holds Japanese script: kana or kanji. */
static gboolean
is_japanese (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA
          || script == G_UNICODE_SCRIPT_HAN)
        return TRUE;
    }
  return FALSE;
}

/* The translation of `msgid`, which must exist: else the catalogue was not found. */
static const char *
japanese (const char *msgid)
{
  const char *text = g_dgettext (GETTEXT_PACKAGE, msgid);

  if (!is_japanese (text))
    g_error ("“%s” is not translated: is NEURAL_LAB_LOCALEDIR (%s) the build’s po/ with "
             "ja/LC_MESSAGES/%s.mo, and LANGUAGE=ja?", msgid,
             g_getenv ("NEURAL_LAB_LOCALEDIR"), GETTEXT_PACKAGE);
  return text;
}

/* A word of three Latin letters or more in a visible text is English left untranslated,
 * unless it is one of the names the Japanese keeps (optimizers, activations, formats,
 * keys) or part of a file name. */
static GRegex *word;
static GRegex *file_name;
static const char *const kept_words[] = {
  "Neural", "Lab", "GD", "SGD", "Momentum", "RMSProp", "Adam", "MSE", "ReLU", "Leaky",
  "LReLU", "tanh", "sin", "smax", "CSV", "JSON", "NumPy", "ONNX", "PyTorch", "PNG", "SVG",
  "PDF", "XOR", "Ctrl", "Shift", "Alt", "Enter", "End", "PCA", "Netron", "safetensors",
  NULL,
};

static gboolean
shows_english (const char *text)
{
  g_autofree char *rest = g_regex_replace (file_name, text, -1, 0, "", 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (word, rest, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *w = g_match_info_fetch (match, 0);

      if (!g_strv_contains (kept_words, w))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GPtrArray *english;   /* texts shown in English */
  GPtrArray *tofu;      /* texts drawn with missing glyphs */
  GPtrArray *texts;     /* every visible text, for the log */
} Survey;

static void
survey_text (Survey *s, GtkWidget *widget, const char *what, const char *text)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (text == NULL || *text == '\0')
    return;
  g_ptr_array_add (s->texts, g_strdup_printf ("%s %s: %s", G_OBJECT_TYPE_NAME (widget), what,
                                              text));
  if (shows_english (text))
    g_ptr_array_add (s->english, g_strdup_printf ("%s %s “%s”", G_OBJECT_TYPE_NAME (widget),
                                                  what, text));
  layout = gtk_widget_create_pango_layout (widget, text);
  if (pango_layout_get_unknown_glyphs_count (layout) > 0)
    g_ptr_array_add (s->tofu, g_strdup_printf ("%s %s “%s”", G_OBJECT_TYPE_NAME (widget),
                                               what, text));
}

static void
survey (Survey *s, GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      survey_text (s, widget, "label", gtk_label_get_text (GTK_LABEL (widget)));
      if (pango_layout_get_unknown_glyphs_count (layout) > 0)
        g_ptr_array_add (s->tofu, g_strdup_printf ("label “%s”",
                                                   gtk_label_get_text (GTK_LABEL (widget))));
    }
  survey_text (s, widget, "tooltip", gtk_widget_get_tooltip_text (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    survey (s, child);
}

/* Whether some mapped label under `widget` shows exactly `text`. */
static gboolean
shows_label (GtkWidget *widget, const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* The window on the default example, settled a little longer than its first snapshot, so
 * that every label has its final text before it is measured. */
static NlWindow *
open_window (int width, int height)
{
  NlWindow *window = gui_open_example (app, "default.nlab", width, height);

  gui_iterate_until (window, gui_time_passes, NULL, 0.2);
  return window;
}

/* The minimum width of every mapped widget, by its place in the tree ("0/2/1"). */
static void
collect_widths (GtkWidget *widget, const char *place, GHashTable *widths)
{
  int min = 0, i = 0;

  if (!gtk_widget_get_mapped (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_hash_table_insert (widths, g_strdup (place), GINT_TO_POINTER (min));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      g_autofree char *child_place = g_strdup_printf ("%s/%d", place, i);

      collect_widths (child, child_place, widths);
    }
}

/* Logs the widgets the Japanese makes wider than the English, to find the one to fix. */
static void
log_wider (GtkWidget *widget, const char *place, GHashTable *english_widths)
{
  int min = 0, i = 0;
  gpointer english_min;

  if (!gtk_widget_get_mapped (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (g_hash_table_lookup_extended (english_widths, place, NULL, &english_min)
      && min > GPOINTER_TO_INT (english_min))
    g_test_message ("wider in Japanese: %s %s%s%s: %d px, English %d px", place,
                    G_OBJECT_TYPE_NAME (widget), GTK_IS_LABEL (widget) ? " " : "",
                    GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "",
                    min, GPOINTER_TO_INT (english_min));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      g_autofree char *child_place = g_strdup_printf ("%s/%d", place, i);

      log_wider (child, child_place, english_widths);
    }
}

static void
window_minimum (NlWindow *window, int *width, int *height)
{
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, width, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1, height, NULL, NULL,
                      NULL);
}

/* Saves a screenshot of `root` and fails on any visible text left in English or drawn
 * with missing glyphs. */
static void
check_view (GtkWidget *root, const char *png)
{
  Survey s = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free),
               g_ptr_array_new_with_free_func (g_free) };

  gui_screenshot (root, png);
  survey (&s, root);
  for (guint i = 0; i < s.texts->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (s.texts, i));
  for (guint i = 0; i < s.english->len; i++)
    g_test_message ("still English: %s", (char *) g_ptr_array_index (s.english, i));
  for (guint i = 0; i < s.tofu->len; i++)
    g_test_message ("missing glyphs: %s", (char *) g_ptr_array_index (s.tofu, i));
  g_assert_cmpuint (s.english->len, ==, 0);
  g_assert_cmpuint (s.tofu->len, ==, 0);
  g_ptr_array_unref (s.english);
  g_ptr_array_unref (s.tofu);
  g_ptr_array_unref (s.texts);
}

static void
test_window_japanese (gconstpointer data)
{
  const int *size = data;
  g_autoptr(GHashTable) english_widths = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                g_free, NULL);
  g_autofree char *name = NULL;
  const char *tooltip;
  NlWindow *window;
  int en_width, en_height, ja_width, ja_height;

  if (gui_skip_without_display (app))
    return;

  /* The same window in English first, for the sizes the Japanese must not exceed. */
  set_language (NULL);
  window = open_window (size[0], size[1]);
  window_minimum (window, &en_width, &en_height);
  collect_widths (GTK_WIDGET (window), "0", english_widths);
  gui_close_window (window);
  set_language ("ja");

  window = open_window (size[0], size[1]);

  /* The Japanese labels do not make the window bigger than the English ones do: measured
   * in the same state, just opened. */
  window_minimum (window, &ja_width, &ja_height);
  g_test_message ("minimum size: English %d×%d, Japanese %d×%d; window %d×%d", en_width,
                  en_height, ja_width, ja_height, gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  if (ja_width > MAX (en_width, size[0]))
    log_wider (GTK_WIDGET (window), "0", english_widths);
  g_assert_cmpint (ja_width, <=, MAX (en_width, size[0]));
  g_assert_cmpint (ja_height, <=, MAX (en_height, size[1]));

  /* The Play button's tooltip, from the template and from code. */
  tooltip = gtk_widget_get_tooltip_text (gui_template_child (window, "play_button"));
  g_assert_cmpstr (tooltip, ==, japanese ("Train (Space)"));

  /* Train a little, so the loss, the epoch and the pictures are filled in. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (20), 30));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-pause", NULL);
  g_assert_true (gui_iterate_until (window, gui_stopped, NULL, 10));
  gui_iterate_until (window, gui_time_passes, NULL, 0.3);

  /* Section titles of the side bar and the output pane, in the glossary's words. */
  g_assert_true (shows_label (GTK_WIDGET (window), japanese ("Data")));
  g_assert_true (shows_label (GTK_WIDGET (window), japanese ("Learning rate")));
  g_assert_true (shows_label (GTK_WIDGET (window), japanese ("Optimizer")));
  g_assert_true (shows_label (GTK_WIDGET (window), japanese ("Output")));

  name = g_strdup_printf ("window-ja-%dx%d.png", size[0], size[1]);
  check_view (GTK_WIDGET (window), name);

  window_minimum (window, &ja_width, &ja_height);
  g_test_message ("minimum size after training: %d×%d", ja_width, ja_height);
  gui_close_window (window);
}

/* Opens the Compare optimizers window of `window` at 1280×800; NULL without the action. */
static GtkWidget *
open_compare (NlWindow *window)
{
  GtkWidget *compare = NULL;
  GList *toplevels;

  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL))
    return NULL;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) window && g_str_equal (G_OBJECT_TYPE_NAME (l->data),
                                                     "NlCompareWindow"))
      compare = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (compare);
  /* Shown again at the classroom size (a mapped window keeps its size). */
  gtk_widget_set_visible (compare, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (compare), 1280, 800);
  gtk_window_present (GTK_WINDOW (compare));
  gui_iterate_until (window, gui_time_passes, NULL, 1.0);
  return compare;
}

/* The Explain page (back-propagation by hand) and the Compare optimizers window. */
static void
test_pages_japanese (void)
{
  g_autoptr(GHashTable) english_widths = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                g_free, NULL);
  NlWindow *window;
  GtkWidget *compare;
  int en_width = 0, en_height = 0, ja_width, ja_height;

  if (gui_skip_without_display (app))
    return;

  /* The Compare window in English, for the size the Japanese must not exceed. */
  set_language (NULL);
  window = open_window (1280, 800);
  compare = open_compare (window);
  if (compare != NULL)
    {
      gtk_widget_measure (compare, GTK_ORIENTATION_HORIZONTAL, -1, &en_width, NULL, NULL, NULL);
      gtk_widget_measure (compare, GTK_ORIENTATION_VERTICAL, -1, &en_height, NULL, NULL, NULL);
      collect_widths (compare, "0", english_widths);
      gtk_window_destroy (GTK_WINDOW (compare));
    }
  gui_close_window (window);

  set_language ("ja");
  window = open_window (1280, 800);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.step-epoch", NULL);
  gui_iterate_until (window, gui_epoch_reached, GUINT_TO_POINTER (1), 10);

  if (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "explain"))
    {
      gui_iterate_until (window, gui_time_passes, NULL, 0.5);
      check_view (GTK_WIDGET (window), "window-ja-explain-1280x800.png");
    }
  else
    g_test_message ("no win.show-page action: the Explain page is not checked");

  /* The shortcuts window, from the resources. */
  {
    GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (
      GTK_APPLICATION_WINDOW (window)));

    GLogLevelFlags fatal;

    g_assert_nonnull (overlay);
    /* GTK 4.8's shortcuts window warns that some of its labels "reported min width -4",
     * in English too: while it shows, warnings are not fatal. */
    fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
    g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
    gui_iterate_until (window, gui_time_passes, NULL, 0.5);
    check_view (overlay, "shortcuts-ja.png");
    gtk_window_close (GTK_WINDOW (overlay));
    gui_iterate_until (window, gui_time_passes, NULL, 0.1);
    g_log_set_always_fatal (fatal);
  }

  compare = open_compare (window);
  if (compare != NULL)
    {
      check_view (compare, "compare-ja-1280x800.png");
      gtk_widget_measure (compare, GTK_ORIENTATION_HORIZONTAL, -1, &ja_width, NULL, NULL, NULL);
      gtk_widget_measure (compare, GTK_ORIENTATION_VERTICAL, -1, &ja_height, NULL, NULL, NULL);
      g_test_message ("compare window minimum size: English %d×%d, Japanese %d×%d; "
                      "window %d×%d", en_width, en_height, ja_width, ja_height,
                      gtk_widget_get_width (compare), gtk_widget_get_height (compare));
      if (ja_width > MAX (en_width, 1280))
        log_wider (compare, "0", english_widths);
      g_assert_cmpint (ja_width, <=, MAX (en_width, 1280));
      g_assert_cmpint (ja_height, <=, MAX (en_height, 800));
      gtk_window_destroy (GTK_WINDOW (compare));
    }
  else
    g_test_message ("no win.compare action: the Compare optimizers window is not checked");

  gui_close_window (window);
}

int
main (int argc, char *argv[])
{
  static const int sizes[][2] = { { 1280, 800 }, { 1024, 640 } };
  const char *localedir = g_getenv ("NEURAL_LAB_LOCALEDIR");
  int status;

  /* As main.c does, with the build tree's catalogue. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gui_test_init (&argc, &argv);
  word = g_regex_new ("[A-Za-z]{3,}", G_REGEX_OPTIMIZE, 0, NULL);
  file_name = g_regex_new ("[\\w.-]+\\.(nlab|csv|json|npz|onnx|h|py|png|svg|pdf)\\b",
                           G_REGEX_OPTIMIZE, 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *test = g_strdup_printf ("/po/window-ja/%dx%d", sizes[i][0], sizes[i][1]);

      g_test_add_data_func (test, sizes[i], test_window_japanese);
    }
  g_test_add_func ("/po/pages-ja", test_pages_japanese);
  status = gui_test_run (app);
  g_regex_unref (word);
  g_regex_unref (file_name);
  return status;
}
