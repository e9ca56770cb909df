/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-ui-files"

#include "config.h"

#include <gtk/gtk.h>

#include "aa-application.h"
#include "aa-ui-test-helpers.h"

/* Every .ui file in the app's resource loads the way the app loads it: a
 * template by instantiating its class (GtkBuilder errors in a template are
 * criticals, which tests make fatal), any other file with GtkBuilder. The
 * files are found in the resource, so a new one is covered without a change
 * here. */

#define RESOURCE_ROOT "/org/example/AsyncActions/"

static void
collect_ui_files (const char *path,
                  GPtrArray  *files)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = g_resources_enumerate_children (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  g_assert_no_error (error);

  for (guint i = 0; children[i] != NULL; i++) {
    g_autofree char *child = g_strconcat (path, children[i], NULL);

    if (g_str_has_suffix (child, "/"))
      collect_ui_files (child, files);
    else if (g_str_has_suffix (child, ".ui"))
      g_ptr_array_add (files, g_steal_pointer (&child));
  }
}

/* The class of <template class="…">, or NULL for a plain builder file. */
static char *
find_template_class (const char *xml)
{
  const char *start = strstr (xml, "<template class=\"");
  const char *end;

  if (start == NULL)
    return NULL;

  start += strlen ("<template class=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static void
destroy_widget (GtkWidget *widget)
{
  if (GTK_IS_WINDOW (widget))
    gtk_window_destroy (GTK_WINDOW (widget));
  else
    g_object_unref (g_object_ref_sink (widget));
}

static void
test_template (const char *resource,
               const char *class_name)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  GType type;
  GObject *object;

  /* Resolves the class the way GtkBuilder does for a type it has not seen:
   * through aa_…_get_type () in the program's symbols. */
  type = gtk_builder_get_type_from_name (builder, class_name);
  if (type == G_TYPE_INVALID)
    g_error ("%s is the template of “%s”, which is not linked into the app", resource, class_name);
  g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));

  if (g_type_is_a (type, g_type_from_name ("AaWindow"))) {
    /* The main window needs its engine and a server: the real thing. */
    AaUiFixture *fixture = aa_ui_fixture_new ();

    g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (fixture->window, type));
    aa_ui_fixture_free (fixture);
    return;
  }

  object = g_object_new (type, NULL);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (object, type));
  destroy_widget (GTK_WIDGET (object));
}

static void
test_builder_file (const char *resource)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) objects = NULL;

  gtk_builder_add_from_resource (builder, resource, &error);
  g_assert_no_error (error);

  objects = gtk_builder_get_objects (builder);
  g_assert_nonnull (objects);
  for (GSList *l = objects; l != NULL; l = l->next) {
    if (GTK_IS_WINDOW (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));
  }
}

static void
test_ui_file (gconstpointer data)
{
  const char *resource = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autofree char *class_name = NULL;

  g_assert_no_error (error);

  class_name = find_template_class (g_bytes_get_data (bytes, NULL));
  if (class_name != NULL)
    test_template (resource, class_name);
  else
    test_builder_file (resource);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  aa_ui_test_init (&argc, &argv);
  /* Links in everything the app links, as its main () does. */
  g_type_ensure (AA_TYPE_APPLICATION);

  collect_ui_files (RESOURCE_ROOT, files);
  g_assert_cmpuint (files->len, >, 0);

  for (guint i = 0; i < files->len; i++) {
    const char *resource = g_ptr_array_index (files, i);
    g_autofree char *test_path = g_strconcat ("/Aa/UiFiles/", resource + strlen (RESOURCE_ROOT), NULL);

    g_test_add_data_func (test_path, resource, test_ui_file);
  }

  return g_test_run ();
}
