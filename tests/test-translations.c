/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-test-translations"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "aa-error.h"
#include "aa-validate.h"

/* The catalogues built in po/ reach the user: the engine's error messages
 * come out in the language of LANGUAGE, with the right plural forms. Each
 * language runs in its own process, the way a user starts the app. */

typedef struct {
  const char *language;
  const char *empty_title;
  const char *long_title;
  const char *offline_next_step;
  const char *deleted_one;
  const char *deleted_three;
  const char *deleted_zero;
} Expected;

static const Expected expected[] = {
  { "de",
    "Geben Sie einen Titel ein. Er darf nicht leer sein.",
    "Kürzen Sie den Titel auf höchstens 200 Zeichen.",
    "Nichts wurde geändert: Der Server ist nicht erreichbar. Versuchen Sie es erneut, sobald er wieder da ist.",
    "1 Notiz endgültig gelöscht",
    "3 Notizen endgültig gelöscht",
    "0 Notizen endgültig gelöscht" },
  /* French uses the singular for 0 too. */
  { "fr",
    "Ajoutez un titre. Il ne peut pas être vide.",
    "Raccourcissez le titre à 200 caractères au plus.",
    "Rien n’a été modifié : le serveur est injoignable. Réessayez dès qu’il sera de retour.",
    "1 note supprimée définitivement",
    "3 notes supprimées définitivement",
    "0 note supprimée définitivement" },
};

static char *
deleted_for_good (guint count)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u note deleted for good",
                                       "%u notes deleted for good",
                                       count),
                          count);
}

static void
check_language (const Expected *e)
{
  g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *long_title = g_strnfill (AA_TITLE_MAX_CHARS + 1, 'a');
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autofree char *zero = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) offline = NULL;

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, e->language);
  g_assert_nonnull (setlocale (LC_ALL, ""));
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_assert_false (aa_validate_title ("", &error));
  g_assert_error (error, AA_ERROR, AA_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==, e->empty_title);
  g_clear_error (&error);

  g_assert_false (aa_validate_title (long_title, &error));
  g_assert_cmpstr (error->message, ==, e->long_title);

  offline = g_error_new_literal (AA_ERROR, AA_ERROR_OFFLINE, "offline");
  g_assert_cmpstr (aa_error_get_next_step (offline), ==, e->offline_next_step);

  one = deleted_for_good (1);
  three = deleted_for_good (3);
  zero = deleted_for_good (0);
  g_assert_cmpstr (one, ==, e->deleted_one);
  g_assert_cmpstr (three, ==, e->deleted_three);
  g_assert_cmpstr (zero, ==, e->deleted_zero);
}

static void
test_language (gconstpointer data)
{
  const Expected *e = data;

  if (g_test_subprocess ()) {
    check_language (e);
    return;
  }

  /* The child inherits the environment: LANGUAGE as a user would set it. */
  g_setenv ("LANGUAGE", e->language, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

static void
test_untranslated (void)
{
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ()) {
    g_autofree char *podir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

    g_assert_nonnull (setlocale (LC_ALL, ""));
    bindtextdomain (GETTEXT_PACKAGE, podir);
    g_assert_false (aa_validate_title ("", &error));
    g_assert_true (g_str_has_prefix (error->message, "Add a title."));
    return;
  }

  /* A language without a catalogue falls back to the English source. */
  g_setenv ("LANGUAGE", "xx", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    g_autofree char *path = g_strdup_printf ("/Aa/Translations/%s", expected[i].language);

    g_test_add_data_func (path, &expected[i], test_language);
  }
  g_test_add_func ("/Aa/Translations/untranslated", test_untranslated);

  return g_test_run ();
}
