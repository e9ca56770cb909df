/* SPDX-FileCopyrightText: 2026 The Async Actions authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "aa-main"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "aa-application.h"
#include "aa-ui.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AaApplication) app = NULL;

  /* Before anything is translated, --help included. */
  setlocale (LC_ALL, "");
  /* ASYNC_ACTIONS_LOCALEDIR lets an uninstalled build (build-aux/run-demo,
   * meson devenv) speak the translations it compiled. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ASYNC_ACTIONS_LOCALEDIR") ? g_getenv ("ASYNC_ACTIONS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Async Actions"));

  /* Chosen through the environment, before any thread runs. */
  aa_ui_choose_renderer ();

  app = aa_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
